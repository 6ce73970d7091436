# migguard-pair on the index git is committing: git add -p partial staging,
# git commit -a, git commit PATH, run for real from a pre-commit hook, on
# real drizzle-kit output (fixture steps 01 -> 02: a column and an index).
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 1 r
cd r
m=packages/db/src/migrations
s=packages/db/src/schema
hint_generate="  hint: run 'npm run db:generate' in 'packages/db', then git add $m; if the edit cannot change the database, generate writes nothing; bypass once: MIGGUARD_SKIP=pair git commit ..."
hint_whole="  hint: stage the whole migration: git add $m (the .sql, meta/ snapshot and meta/_journal.json); if a file is lost, remove the partial migration and run 'npm run db:generate' in 'packages/db' again; bypass once: MIGGUARD_SKIP=pair git commit ..."
schema_only="$s/research.ts:11:5: error: schema file '$s/research.ts' modified without a generated migration: pgTable \"research_plan\" changed; no new .sql, snapshot and journal entry in '$m' [schema-without-migration]
$hint_generate"

# Nothing staged: nothing to pair.
expect_exit 0 migguard-pair
expect_out ""
expect_err "migguard: 0 errors, 0 warnings"

# Work tree right (step 02 generated), index wrong: git add -p takes the
# first half of the schema edit (split: s, y, n) and none of the migration.
copy_step 02 .
printf 's\ny\nn\n' | git add -p $s/research.ts >/dev/null
[ "$(git diff --cached --numstat | cut -f1-2)" = "1	0" ] ||
	fail "git add -p did not stage one line: $(git diff --cached --numstat)"
expect_exit 1 migguard-pair
expect_out "$schema_only"
expect_err "migguard: 1 error, 0 warnings"

# ... and the .sql and snapshot, but git add -p declines the journal hunk.
git add $m/0002_plan_summary.sql $m/meta/0002_snapshot.json
printf 'n\n' | git add -p $m/meta/_journal.json >/dev/null
expect_exit 1 migguard-pair
expect_out "$m/0002_plan_summary.sql:1:1: error: new migration '0002_plan_summary' is incomplete: its entry in '$m/meta/_journal.json' is not staged [migration-incomplete]
$hint_whole"
expect_exit 1 migguard-pair --format json
expect_contains "$OUT" '"rule":"migration-incomplete","severity":"error","path":"packages/db/src/migrations/0002_plan_summary.sql","line":0'

# Index right, work tree wrong: everything staged, then the work tree
# moves on (a further schema edit, a snapshot deleted): the index decides.
git add -A $m $s
echo "// wip: not generated yet" >>$s/research.ts
rm $m/meta/0002_snapshot.json
expect_exit 0 migguard-pair
expect_out ""
expect_err "migguard: 0 errors, 0 warnings"
git checkout -q -- $m $s

# For real, from a pre-commit hook (git sets GIT_INDEX_FILE).
cat >.git/hooks/pre-commit <<'HOOK'
#!/bin/sh
migguard-pair >"$MG_TMP/hook.out" 2>"$MG_TMP/hook.err"
HOOK
chmod +x .git/hooks/pre-commit
hooked() { # expected exit of the hook, expected stdout
	[ "$(cat "$MG_TMP/hook.out")" = "$2" ] ||
		fail "hook stdout: $(cat "$MG_TMP/hook.out")"
	n="$1 errors"
	[ "$1" = 1 ] && n="1 error"
	[ "$(tail -n 1 "$MG_TMP/hook.err")" = "migguard: $n, 0 warnings" ] ||
		fail "hook stderr: $(cat "$MG_TMP/hook.err")"
}
head0=$(git rev-parse HEAD)

# git commit PATH: only the schema goes in, the staged migration does not.
expect_exit 1 git commit -q -m "Add summary" $s
hooked 1 "$schema_only"
[ "$(git rev-parse HEAD)" = "$head0" ] || fail "commit PATH went through"

# git commit -a after git reset: the new .sql and snapshot are untracked,
# so -a takes the schema and the journal only.
git reset -q
expect_exit 1 git commit -q -a -m "Add summary"
hooked 1 "$m/meta/_journal.json:19:1: error: new migration '0002_plan_summary' is incomplete: '$m/0002_plan_summary.sql' and '$m/meta/0002_snapshot.json' are not staged [migration-incomplete]
$hint_whole"
[ "$(git rev-parse HEAD)" = "$head0" ] || fail "commit -a went through"

# The bypass the hint names skips the hook; here: add the files, commit -a.
git add $m
git commit -q -a -m "Add summary"
hooked 0 ""
[ "$(git rev-parse HEAD)" != "$head0" ] || fail "complete commit refused"

# git commit PATH with the whole package: passes.
copy_step 04 .
git add -N $m
expect_exit 0 git commit -q -m "Add research_step" packages/db
hooked 0 ""
[ -z "$(git status --porcelain)" ] || fail "left over: $(git status --porcelain)"

# A migration committed without its schema edit.
copy_step 05 .
git add $m
expect_exit 1 git commit -q -m "Rename summary"
hooked 1 "$m/0005_rename_summary.sql:1:1: error: new migration '0005_rename_summary' changes the schema snapshot but no schema file under '$s' is staged [migration-without-schema]
  hint: stage the schema edit that generated it: git add $s; a hand-written migration starts from 'drizzle-kit generate --custom', which copies the previous snapshot; bypass once: MIGGUARD_SKIP=pair git commit ..."

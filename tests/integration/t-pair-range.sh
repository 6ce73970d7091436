# migguard-pair --base and --pre-push on a branch of three commits where the
# schema edit and its migration are in different commits: the range as a
# whole passes; --each-commit names the commits that broke the rule.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 1 r
cd r
m=packages/db/src/migrations
s=packages/db/src/schema
git checkout -q -b feature
copy_step 02 .
git add $s
git commit -q -m "Add research_plan.summary"
git add $m
git commit -q -m "Generate the summary migration"
copy_step 03 .
git add -A
git commit -q -m "Enable pgvector (custom migration)"
c1=$(git rev-parse --short=7 HEAD~2)
c2=$(git rev-parse --short=7 HEAD~1)

expect_exit 0 migguard-pair --base main
expect_out ""
expect_err "migguard: 0 errors, 0 warnings"

per_commit="$s/research.ts:11:5: error: schema file '$s/research.ts' modified without a generated migration: pgTable \"research_plan\" changed; no new .sql, snapshot and journal entry in '$m' (in commit $c1 'Add research_plan.summary') [schema-without-migration]
  hint: run 'npm run db:generate' in 'packages/db' and commit what it writes under '$m'; if the edit cannot change the database, generate writes nothing: add a 'Schema-Impact: none (reason)' trailer to the commit message"
expect_exit 1 migguard-pair --base main --each-commit
expect_out "$per_commit"
expect_err "migguard: 1 error, 0 warnings"

# The same from git's pre-push input, against what the remote has.
git init -q --bare "$MG_TMP/remote.git"
git remote add origin "$MG_TMP/remote.git"
git push -q origin main
line="refs/heads/feature $(git rev-parse HEAD) refs/heads/feature 0000000000000000000000000000000000000000"
echo "$line" >"$MG_TMP/push"
expect_exit 0 migguard-pair --pre-push origin <"$MG_TMP/push"
expect_exit 1 migguard-pair --pre-push origin --each-commit <"$MG_TMP/push"
expect_out "$s/research.ts:11:5: error: schema file '$s/research.ts' modified without a generated migration: pgTable \"research_plan\" changed; no new .sql, snapshot and journal entry in '$m' (in commit $c1 'Add research_plan.summary') [schema-without-migration]
  hint: run 'npm run db:generate' in 'packages/db' and commit what it writes under '$m'; if the edit cannot change the database, generate writes nothing: add a 'Schema-Impact: none (reason)' trailer to the commit message; bypass once: MIGGUARD_SKIP=pair git push ..."
expect_err "migguard: 1 error, 0 warnings"

# Once main has the first commit, only the second one is new: the late
# migration for what main already has.
git push -q origin HEAD~2:main
expect_exit 0 migguard-pair --pre-push origin --each-commit <"$MG_TMP/push"
expect_not_contains "$OUT" "(in commit $c1 "
expect_err "migguard: 0 errors, 0 warnings"

# --each-commit needs a range.
expect_exit 2 migguard-pair --each-commit
expect_err "migguard-pair: error: --each-commit goes with --base or --pre-push"
expect_exit 2 migguard-pair --all --each-commit

# --each-commit over a range that starts at the root commit (a first push
# to an empty remote): the root is paired against nothing.
cd "$MG_TMP"
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" rootpush
cd rootpush
git commit -q --no-verify -m "schema only"
z=0000000000000000000000000000000000000000
printf 'refs/heads/main %s refs/heads/main %s\n' "$(git rev-parse HEAD)" "$z" >"$MG_TMP/in"
expect_exit 1 migguard-pair --pre-push origin --each-commit <"$MG_TMP/in"
expect_contains "$OUT" "(in commit $(git rev-parse --short=7 HEAD) 'schema only')"
[ "$(printf '%s\n' "$OUT" | grep -c 'error:')" = 1 ] || fail "root or step commits flagged: $OUT"

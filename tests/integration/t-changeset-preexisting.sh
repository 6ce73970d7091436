# Only what the change introduces blocks: in --staged, --base and
# --pre-push a finding that already held at the base of the change is
# left out, counted on stderr and in the JSON summary; --all lists it.
git init -q --bare remote.git
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 5 r
cd r
m=packages/db/src/migrations
git remote add origin "$MG_TMP/remote.git"
# Main has up to step 4; step 5 (the rename generated as drop + add) is
# a local, unpushed commit, so it may still be amended.
git push -q origin HEAD~1:refs/heads/main
git fetch -q origin
git branch -q --set-upstream-to=origin/main

# Amending the unpushed migration with a harmless statement: its DROP
# COLUMN (drop-column, rename-as-drop) was there before this change.
printf '%s\n' '--> statement-breakpoint' \
	'CREATE INDEX IF NOT EXISTS "plan_abstract_idx" ON "research_plan" ("abstract");' \
	>>$m/0005_rename_summary.sql
git add $m/0005_rename_summary.sql
expect_exit 0 migguard check
expect_out ""
expect_err "migguard: 2 problems were already there before this change (migguard check --all lists them)
migguard: 0 errors, 0 warnings"
expect_exit 0 migguard check --format json
expect_contains "$OUT" '"summary":{"errors":0,"warnings":0,"preexisting":2}'
expect_not_contains "$OUT" '"rule":"drop-column"'

# A new problem in the same file is reported, the old ones still not.
printf '%s\n' '--> statement-breakpoint' 'DROP TABLE "research_plan";' \
	>>$m/0005_rename_summary.sql
git add $m/0005_rename_summary.sql
expect_exit 1 migguard check
expect_contains "$OUT" "[drop-table]"
expect_not_contains "$OUT" "[drop-column]"
expect_not_contains "$OUT" "[rename-as-drop]"
expect_contains "$ERR" "migguard: 2 problems were already there"
git reset -q --hard

# The hook too: the commit goes through.
expect_exit 0 migguard install
printf '%s\n' '--> statement-breakpoint' \
	'CREATE INDEX IF NOT EXISTS "plan_abstract_idx" ON "research_plan" ("abstract");' \
	>>$m/0005_rename_summary.sql
git add $m/0005_rename_summary.sql
expect_exit 0 git commit -q -m "amend: index the abstract"
expect_contains "$ERR" "migguard: 2 problems were already there"

# --all reports everything.
expect_exit 1 migguard check --all
expect_contains "$OUT" "$m/0005_rename_summary.sql:2:"
expect_contains "$OUT" "[drop-column]"
expect_not_contains "$ERR" "already there"
expect_exit 1 migguard check --all --format json
expect_not_contains "$OUT" "preexisting"

# A journal finding: a stray SQL file committed earlier is not this
# change's doing (CI, --base).
git checkout -q -b pr
printf 'SELECT 1;\n' >$m/9999_stray.sql
git add $m/9999_stray.sql
git commit -q -n -m "stray"
stray=$(git rev-parse HEAD)
printf 'notes\n' >$m/NOTES.md
git add $m/NOTES.md
git commit -q -n -m "notes"
expect_exit 0 migguard check --base "$stray" --head HEAD
expect_out ""
expect_err "migguard: 1 problem was already there before this change (migguard check --all lists it)
migguard: 0 errors, 0 warnings"
expect_exit 1 migguard check --base "$stray^" --head HEAD
expect_contains "$OUT" "$m/9999_stray.sql:1:1: error:"
expect_contains "$OUT" "[orphan-sql]"
expect_exit 1 migguard check --all --format sarif
expect_contains "$OUT" '"partialFingerprints":{"migguardFingerprint/v1":"'

# Pre-push: the same, for each pushed ref.
expect_exit 0 migguard check --pre-push origin <<EOF
refs/heads/pr $(git rev-parse HEAD) refs/heads/pr $stray
EOF
expect_contains "$ERR" "migguard: 1 problem was already there"

# A merge commit: what a merge brings in is paired like any other change,
# checked at the index while concluding the merge and as a CI range
# (GitHub's HEAD^1..HEAD of a pull-request merge).
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 1 r
cd r
m=packages/db/src/migrations
s=packages/db/src/schema

# A complete branch: schema edit and migration in one commit.
git checkout -q -b summary
copy_step 02 .
git add -A
git commit -q -m "Add research_plan.summary"
git checkout -q main
echo "More about the schema." >>docs/database/migrations.md
git commit -q -a -m "Docs"
git merge -q --no-ff --no-commit summary
expect_exit 0 migguard-pair
expect_out ""
expect_err "migguard: 0 errors, 0 warnings"
git commit -q -m "Merge summary"
expect_exit 0 migguard-pair --base HEAD^1 --each-commit
expect_out ""

# A branch that split its schema edit and migration over two commits:
# the merge as a whole passes, --each-commit names the schema commit (the
# migration's commit is the late migration for it).
git checkout -q -b step main
copy_step 04 .
git add $s
git commit -q -m "Add research_step"
git add -A
git commit -q -m "Generate research_step"
c1=$(git rev-parse --short=7 HEAD~1)
c2=$(git rev-parse --short=7 HEAD)
git checkout -q main
git merge -q --no-ff -m "Merge step" step
expect_exit 0 migguard-pair --base HEAD^1
expect_out ""
expect_exit 1 migguard-pair --base HEAD^1 --each-commit
expect_out "$s/research.ts:20:1: error: schema file '$s/research.ts' modified without a generated migration: pgTable \"research_step\" added; no new .sql, snapshot and journal entry in '$m' (in commit $c1 'Add research_step') [schema-without-migration]
  hint: run 'npm run db:generate' in 'packages/db' and commit what it writes under '$m'; if the edit cannot change the database, generate writes nothing: add a 'Schema-Impact: none (reason)' trailer to the commit message"
expect_err "migguard: 1 error, 0 warnings"

# Merging a branch that has only the schema edit: the merge is refused
# at the index, and the merge commit is what CI reports.
git checkout -q -b rename main
copy_step 05 .
git add $s
git commit -q -m "Rename summary to abstract (schema only)"
git checkout -q main
git merge -q --no-ff --no-commit rename
expect_exit 1 migguard-pair
expect_out "$s/research.ts:11:5: error: schema file '$s/research.ts' modified without a generated migration: pgTable \"research_plan\" changed; no new .sql, snapshot and journal entry in '$m' [schema-without-migration]
  hint: run 'npm run db:generate' in 'packages/db', then git add $m; if the edit cannot change the database, generate writes nothing; bypass once: MIGGUARD_SKIP=pair git commit ..."
expect_err "migguard: 1 error, 0 warnings"
git commit -q --no-verify -m "Merge rename"
merge=$(git rev-parse --short=7 HEAD)
expect_exit 1 migguard-pair --base HEAD^1
expect_contains "$OUT" "$s/research.ts:11:5: error: schema file '$s/research.ts' modified without a generated migration"
expect_exit 1 migguard-pair --base HEAD^1 --each-commit
expect_contains "$OUT" "(in commit $merge 'Merge rename')"
expect_contains "$OUT" "'Rename summary to abstract (schema only)')"
expect_err "migguard: 2 errors, 0 warnings"

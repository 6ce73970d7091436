# migguard-journal on real repositories: merged branches, edits to
# published and to unpushed migrations, CI ranges.
git init -q --bare remote.git
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 6 r
cd r
git remote add origin "$MG_TMP/remote.git"
git push -q -u origin main
m=packages/db/src/migrations
fixtures="$MG_SOURCE_DIR/tests/fixtures/drizzle/branches"

# The real history passes.
expect_exit 0 migguard-journal --all
expect_out ""

# Two branches each generate migration 0007 on top of the same snapshot.
git checkout -q -b branch-a
rm -rf packages/db && cp -R "$fixtures/branch-a" packages/db
git add -A && git commit -q -m "plan priority"
git checkout -q -b branch-b main
rm -rf packages/db && cp -R "$fixtures/branch-b" packages/db
git add -A && git commit -q -m "user last seen"
expect_exit 0 migguard-journal --base main
# Merging them: git conflicts on the journal and the 0007 snapshot;
# keeping one side leaves the other's SQL behind, never applied.
git checkout -q branch-a
git merge -q -X ours -m "merge b" branch-b >/dev/null 2>&1
expect_exit 1 migguard-journal --base main
expect_out "$m/0007_user_last_seen.sql:1:1: error: '0007_user_last_seen.sql' has the same prefix '0007' as '0007_plan_priority.sql' [journal-duplicate-tag]
  hint: keep one migration per prefix: remove the one not in the journal
$m/0007_user_last_seen.sql:1:1: error: '0007_user_last_seen.sql' is not in the journal: the migrator never applies it [orphan-sql]
  hint: remove it, or create hand-written SQL with \`npm run db:generate -- --custom\` so it gets a journal entry"
expect_exit 1 migguard check --base main --format json
expect_contains "$OUT" '"rule":"orphan-sql"'

# Editing a published migration is stopped at the pre-commit.
git checkout -q main
echo "-- tweak" >> $m/0002_plan_summary.sql
git add $m/0002_plan_summary.sql
expect_exit 1 migguard-journal
expect_contains "$OUT" "$m/0002_plan_summary.sql:"
expect_contains "$OUT" "[migration-edited]"
git reset -q --hard

# A migration only in local, unpushed commits may be amended.
git checkout -q branch-b
git branch -q --set-upstream-to=origin/main
echo "-- amend" >> $m/0007_user_last_seen.sql
git add $m/0007_user_last_seen.sql
expect_exit 0 migguard-journal
git commit -q -m "amend unpushed"

# In CI, a PR that edits a migration main already has is stopped.
git checkout -q -b pr main
printf '\n' >> $m/0001_research_plan.sql
git commit -q -a -m "edit an old migration"
expect_exit 1 migguard-journal --base main --format github
expect_contains "$OUT" "::error file=$m/0001_research_plan.sql"
expect_contains "$OUT" "title=migration-edited::"

# Deleting a published migration.
git checkout -q main
git rm -q $m/0006_drop_research_step.sql
expect_exit 1 migguard-journal
expect_contains "$OUT" "[migration-deleted]"

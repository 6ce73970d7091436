# What is not a change to a published migration: a snapshot reformatted
# (compared as JSON values); an SQL change of blanks only is still an
# edit (drizzle's hash covers the bytes) and says so.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 4 r
cd r
m=packages/db/src/migrations

# Re-indented, the same JSON: not migration-edited.
sed 's/^  /    /' $m/meta/0002_snapshot.json >"$MG_TMP/s" &&
	cp "$MG_TMP/s" $m/meta/0002_snapshot.json
git add $m/meta/0002_snapshot.json
expect_exit 0 migguard-journal
expect_out ""
git commit -q -n -m "reformat a snapshot"
expect_exit 0 migguard-journal --base HEAD^
expect_out ""

# A value changed is an edit.
sed 's/"version": "7"/"version": "7" /; s/"public"/"other"/' \
	$m/meta/0001_snapshot.json >"$MG_TMP/s" &&
	cp "$MG_TMP/s" $m/meta/0001_snapshot.json
git add $m/meta/0001_snapshot.json
expect_exit 1 migguard-journal
expect_contains "$OUT" "0001_snapshot.json' was edited [migration-edited]"
git reset -q --hard

# A blank line added to published SQL: still an edit, whitespace only.
printf '\n\n' >>$m/0001_research_plan.sql
git add $m/0001_research_plan.sql
expect_exit 1 migguard-journal
expect_contains "$OUT" "'0001_research_plan.sql' was edited (whitespace only: the migrator's hash still changes) [migration-edited]"
git reset -q --hard

# An edit that got published, then put back as it was first committed:
# the restore is no edit (the edit was the problem, and was reported).
cp $m/0001_research_plan.sql "$MG_TMP/orig"
printf -- '-- tweak\n' >>$m/0001_research_plan.sql
git commit -q -n -a -m "edit a published migration"
cp "$MG_TMP/orig" $m/0001_research_plan.sql
git add $m/0001_research_plan.sql
expect_exit 0 migguard-journal
expect_out ""
git commit -q -n -m "restore it"
expect_exit 0 migguard check --base HEAD^
expect_exit 1 migguard check --base HEAD~2 --head HEAD^
expect_contains "$OUT" "[migration-edited]"

# Folders drizzle-kit wrote in 2023 (journal and snapshots version "5",
# dialect "pg"; snapshots "6") still run under today's migrator: valid.
git checkout -q -b old-formats HEAD~2
sed -i 's/"version": "7"/"version": "5"/; s/"dialect": "postgresql"/"dialect": "pg"/' $m/meta/_journal.json $m/meta/0000_snapshot.json
sed -i 's/"version": "7"/"version": "6"/' $m/meta/0001_snapshot.json
git commit -q -n -a -m "as drizzle-kit 0.20 wrote it"
expect_exit 0 migguard-journal --all
expect_out ""
expect_not_contains "$ERR" "drizzle-kit up"

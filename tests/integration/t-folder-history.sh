# migguard-journal on the folder layout of drizzle-kit 1.0 (the real
# rc.5 fixtures of tests/fixtures/drizzle-1.0, one commit per step),
# checked as CI checks a pull request: --base C^ --head C, and --all.
fx="$MG_SOURCE_DIR/tests/fixtures/drizzle-1.0"
old="$MG_SOURCE_DIR/tests/fixtures/drizzle"
m=packages/db/src/migrations

# use FIXTURE: packages/db becomes that fixture project.
use() {
	rm -rf packages/db
	mkdir -p packages
	cp -R "$1" packages/db
}

# ci_ok: the last commit passes as a CI range and the tree as --all.
ci_ok() {
	expect_exit 0 migguard-journal --base HEAD^ --head HEAD
	expect_out ""
	expect_err "migguard: 0 errors, 0 warnings"
	expect_exit 0 migguard-journal --all
	expect_out ""
}

new_repo r
cd r
use "$fx/step-00"
commit_all . "step 00"
expect_exit 0 migguard-journal --all
expect_out ""
for s in 01 02 03 04 05 06; do
	use "$fx/step-$s"
	commit_all . "step $s"
	ci_ok
done
published=$(git rev-parse HEAD)

# A published folder renamed: the 1.0 migrator knows applied migrations
# by name and runs it again (rc.5 case 3); not also a deletion.
git checkout -q -b renamed "$published"
git mv $m/20261203102035_drop_research_step $m/20261203110000_drop_research_step
git commit -q -m "rename a folder"
expect_exit 1 migguard-journal --base HEAD^ --head HEAD
expect_out "$m/20261203110000_drop_research_step/migration.sql:1:1: error: published migration '20261203102035_drop_research_step' was renamed to '20261203110000_drop_research_step': the 1.0 migrator runs it again [migration-renamed]
  hint: the migrator knows an applied migration by its folder name: rename it back to '20261203102035_drop_research_step'"
expect_err "migguard: 1 error, 0 warnings"
expect_not_contains "$OUT" "migration-deleted"
# The whole front: pair, lint and docs have nothing to say about a move.
expect_exit 1 migguard check --base HEAD^ --head HEAD --format json
expect_contains "$OUT" '"rule":"migration-renamed"'
expect_not_contains "$OUT" '"rule":"migration-deleted"'

# Deleted: rc.5 passes silently, its row stays (case 4).
git checkout -q -b deleted "$published"
git rm -r -q $m/20261203102035_drop_research_step
git commit -q -m "delete a folder"
expect_exit 1 migguard-journal --base HEAD^ --head HEAD
expect_out "$m/20261203102035_drop_research_step/migration.sql:1:1: error: published migration '20261203102035_drop_research_step' was deleted [migration-deleted]
  hint: a published migration may already be applied: restore it and generate a new migration for the change"

# Edited, whitespace only: the hash changes all the same.
git checkout -q -b edited "$published"
printf '\n\n' >>$m/20261203102012_plan_summary/migration.sql
git commit -q -a -m "touch a published migration"
expect_exit 1 migguard-journal --base HEAD^ --head HEAD
expect_out "$m/20261203102012_plan_summary/migration.sql:2:89: error: published migration file '20261203102012_plan_summary/migration.sql' was edited (whitespace only: the migrator's hash still changes) [migration-edited]
  hint: a published migration may already be applied: restore it and generate a new migration for the change"
# Put back as first committed: restored, not edited.
git checkout -q "$published" -- $m/20261203102012_plan_summary/migration.sql
git commit -q -m "restore it"
expect_exit 0 migguard-journal --base "$published" --head HEAD
expect_out ""
# A snapshot reformatted is the same JSON value: no edit.
git checkout -q -b reformat "$published"
tr -d '\n' <$m/20261203102012_plan_summary/snapshot.json >snap.tmp
mv snap.tmp $m/20261203102012_plan_summary/snapshot.json
git commit -q -a -m "reformat a snapshot"
expect_exit 0 migguard-journal --base HEAD^ --head HEAD
expect_out ""

# A hand-made folder: created_at is NaN, the insert fails at apply time
# (rc.5 case 13); said before apply.
git checkout -q -b manual "$published"
mkdir $m/manual_fix
printf 'UPDATE "organization" SET "slug" = lower("slug");\n' >$m/manual_fix/migration.sql
git add -A
git commit -q -m "manual fix"
expect_exit 1 migguard-journal --base HEAD^ --head HEAD
expect_out "$m/manual_fix/migration.sql:1:1: error: migration folder 'manual_fix' does not start with a UTC timestamp YYYYMMDDHHMMSS and '_': the 1.0 migrator's created_at is NaN and its insert fails at apply time [journal-invalid]
  hint: rename it as drizzle-kit names folders: '<YYYYMMDDHHMMSS>_<name>', the UTC time of its creation, after '20261203102035_drop_research_step' (or make it with \`npm run db:generate -- --custom --name <name>\`)"

# Two branches from one parent, merged by git (two new folders): a and b
# commute ("Everything's fine"), a and c both add research_plan.priority
# ("Conflicting migrations detected").
for b in a b c; do
	git checkout -q -b branch-$b "$published"
	use "$fx/branches/branch-$b"
	commit_all . "branch $b"
	ci_ok
done
git checkout -q -b merged-ab branch-a
git merge -q --no-commit -s ours branch-b >/dev/null
use "$fx/branches/merged-ab"
commit_all . "merge b"
ci_ok
expect_exit 0 migguard-journal --base "$published" --head HEAD
expect_out ""
git checkout -q -b merged-ac branch-a
git merge -q --no-commit -s ours branch-c >/dev/null
use "$fx/branches/merged-ac"
commit_all . "merge c"
collision="$m/20261203102052_plan_priority_text/snapshot.json:6:3: error: '20261203102044_plan_priority' and '20261203102052_plan_priority_text' were both generated on top of '20261203102035_drop_research_step' and conflict: add_column public.research_plan.priority in '20261203102044_plan_priority', add_column public.research_plan.priority in '20261203102052_plan_priority_text' [snapshot-collision]
  hint: git merged two folders made on two branches: remove '20261203102052_plan_priority_text' (not yet applied anywhere) and generate it again with \`npm run db:generate\` on top of '20261203102044_plan_priority', or run \`npm run db:generate -- --fix-conflicts\` (it deletes both branches' folders)"
expect_exit 1 migguard-journal --base HEAD^ --head HEAD
expect_out "$collision"
expect_exit 1 migguard-journal --base "$published" --head HEAD
expect_out "$collision"
expect_exit 1 migguard-journal --all
expect_out "$collision"
# Once there, a later change does not block on it.
printf '\n' >>packages/db/src/schema/index.ts
commit_all . "later"
expect_exit 0 migguard-journal --base HEAD^ --head HEAD
expect_out ""
expect_err "migguard: 1 problem was already there before this change (migguard check --all lists it)
migguard: 0 errors, 0 warnings"
# Accepted in a baseline: --all leaves it out (no line in the entry).
expect_exit 0 migguard baseline
git add .migguard-baseline.json
git commit -q -m "baseline"
expect_contains "$(cat .migguard-baseline.json)" '"rule": "snapshot-collision", "path": "'"$m"'/20261203102052_plan_priority_text/snapshot.json", "fingerprint": "'
expect_exit 0 migguard check --all
expect_out ""
expect_exit 0 migguard-journal --all
expect_out ""

# A prevIds entry that names no snapshot of the folder.
a=$m/20261203102044_plan_priority
git checkout -q -b no-parent "$published"
use "$fx/branches/branch-a"
sed 's/5310a59e-31da-4188-a5b2-27588c11db3a/5310a59e-0000-4188-a5b2-27588c11db3a/' \
	"$fx/branches/branch-a/src/migrations/20261203102044_plan_priority/snapshot.json" >$a/snapshot.json
commit_all . "lost parent"
expect_exit 1 migguard-journal --base HEAD^ --head HEAD
expect_out "$a/snapshot.json:6:3: error: snapshot of '20261203102044_plan_priority' names parent 5310a59e-0000-4188-a5b2-27588c11db3a, which is no snapshot in the folder [snapshot-chain-broken]
  hint: its parent's folder is gone or was never committed: restore it from git, or remove '20261203102044_plan_priority' and generate it again with \`npm run db:generate\`"

# A folder sorting before its parent: drizzle-kit check refuses it, the
# migrator could run it first.
git checkout -q -b early "$published"
use "$fx/branches/branch-a"
mv $a $m/20261203102000_plan_priority
commit_all . "early folder"
expect_exit 1 migguard-journal --base HEAD^ --head HEAD
expect_out "$m/20261203102000_plan_priority/snapshot.json:6:3: error: migration '20261203102000_plan_priority' sorts before its parent '20261203102035_drop_research_step', so migrate can run it first [snapshot-chain-broken]
  hint: rename '20261203102000_plan_priority' so its timestamp is after its parent's (drizzle-kit check refuses the folder as it is)"

# A snapshot that is not JSON (cut short).
git checkout -q -b not-json "$published"
use "$fx/branches/branch-a"
head -c 120 "$fx/branches/branch-a/src/migrations/20261203102044_plan_priority/snapshot.json" >$a/snapshot.json
commit_all . "cut snapshot"
expect_exit 1 migguard-journal --base HEAD^ --head HEAD
expect_out "$a/snapshot.json:6:10: error: snapshot of '20261203102044_plan_priority' is not valid JSON: unexpected end of JSON (truncated file?) [snapshot-invalid]
  hint: restore the snapshot.json drizzle-kit 1.0 wrote (git history), or remove the migration folder and generate it again"

# Another migrator: the folder rules are not drizzle's to keep, the
# published migrations still are.
git checkout -q -b other-migrator manual
printf '{"projects": [{"name": "db", "schema": "packages/db/src/schema", "migrations": "%s", "migrator": "none"}]}\n' $m >.migguard.json
git add .migguard.json
git commit -q -m "another migrator"
expect_exit 0 migguard-journal --all
expect_out ""
git rm -r -q $m/20261203102035_drop_research_step
git commit -q -m "delete a folder"
expect_exit 1 migguard-journal --base HEAD^ --head HEAD
expect_contains "$OUT" "[migration-deleted]"

# `drizzle-kit up` half done: meta/_journal.json and the folders together.
# The 1.0 migrator refuses to run, 0.45 ignores the folders: one finding.
cd "$MG_TMP"
new_repo u
cd u
use "$old/step-06"
commit_all . "0.31"
expect_exit 0 migguard-journal --all
cp -R "$fx/up/step-06/src/migrations/"2* $m/
commit_all . "up, half"
both="$m/meta/_journal.json:1:1: error: migrations in both drizzle layouts at once: '$m/meta/_journal.json' (drizzle-kit 0.31) and 7 migration folders such as '$m/20261125234438_init/migration.sql' (drizzle-kit 1.0) [journal-invalid]
  hint: an unfinished \`drizzle-kit up\`: the 1.0 migrator refuses to run while meta/_journal.json exists, and 0.45 ignores the folders; run \`drizzle-kit up\` with drizzle-kit 1.0 and commit its result (meta/ removed), or remove the folders to stay on 0.31"
expect_exit 1 migguard-journal --base HEAD^ --head HEAD
expect_out "$both"
expect_exit 1 migguard-journal --all
expect_out "$both"
# Finished: the folders alone pass.
git rm -r -q $m/meta $m/*.sql
commit_all . "up, finished"
ci_ok

# The commit that runs `drizzle-kit up` on a published 0.31 folder: each
# published migration must be some folder's migration.sql, byte for byte
# (up/step-06 was made after moving 0003's `when`, as up asked).
cd "$MG_TMP"
new_repo v
cd v
use "$old/step-06"
commit_all . "0.31"
published=$(git rev-parse HEAD)
git checkout -q -b up
use "$fx/up/step-06"
commit_all . "drizzle-kit up"
ci_ok
git checkout -q -b up-lossy "$published"
use "$fx/up/step-06"
rm -r $m/20261125234442_drop_research_step
printf '\n' >>$m/20261125234439_plan_summary/migration.sql
commit_all . "drizzle-kit up, and more"
expect_exit 1 migguard-journal --base HEAD^ --head HEAD
expect_out "$m/0006_drop_research_step.sql:1:1: error: published migration '0006_drop_research_step' is in no migration folder: no migration.sql has its SQL [migration-deleted]
  hint: a published migration may already be applied: restore it; \`drizzle-kit up\` copies it byte for byte into '20261125234442_drop_research_step/migration.sql'
$m/20261125234439_plan_summary/migration.sql:2:101: error: published migration '0002_plan_summary' was edited on its way to '20261125234439_plan_summary/migration.sql' (whitespace only: the migrator's hash still changes) [migration-edited]
  hint: a published migration may already be applied: restore it and generate a new migration for the change"

# An orphan .sql the journal did not list: up leaves it at the root,
# where the 1.0 migrator never looks (rc.5 case 9).
cd "$MG_TMP"
new_repo o
cd o
use "$old/step-02"
cp "$fx/up/orphan-sql/src/migrations/0003_hand_written.sql" $m/
commit_all . "0.31 with a hand-written file"
use "$fx/up/orphan-sql"
commit_all . "up"
orphan="$m/0003_hand_written.sql:1:1: error: '0003_hand_written.sql' is not a migration folder's migration.sql: the 1.0 migrator never runs it [orphan-sql]
  hint: \`drizzle-kit up\` leaves SQL the journal did not list at the root: make it a migration with \`npm run db:generate -- --custom\` and move the SQL into its migration.sql, or delete it"
expect_exit 1 migguard-journal --base HEAD^ --head HEAD
expect_out "$orphan"
expect_exit 1 migguard-journal --all
expect_out "$orphan"

# pair and lint on the folder layout of drizzle 1.0 (rc.5): the real
# fixtures tests/fixtures/drizzle-1.0/step-00..06 committed one step a
# commit, as a team would, each commit checked against its parent; then
# commits made from them that break what rc.5 lets through.
#
# The single binaries migguard-pair and migguard-lint run here, each
# step also through `migguard check` (every check at once, the history
# rules of t-folder-history included).
fx="$MG_SOURCE_DIR/tests/fixtures/drizzle-1.0"
m=packages/db/src/migrations
s=packages/db/src/schema/index.ts
gen="'npm run db:generate' in 'packages/db'"

# step N: the project as it is after fixture step N.
step() {
	rm -rf packages/db
	mkdir -p packages
	cp -R "$fx/step-$1" packages/db
}

# pair_is EXIT TEXT, lint_is EXIT TEXT: HEAD checked against its parent.
pair_is() {
	expect_exit "$1" migguard-pair --base HEAD^ --head HEAD
	expect_out "$2"
}
lint_is() {
	expect_exit "$1" migguard-lint --base HEAD^ --head HEAD
	expect_out "$2"
}

new_repo r
cd r
printf '# app\n' >README.md
commit_all . "readme"

# --- the fixtures, one commit a step: every one passes -----------------
for n in 00 01 02 03 04 05; do
	step $n
	commit_all . "step $n"
	pair_is 0 ""
	expect_err "migguard: 0 errors, 0 warnings"
	lint_is 0 ""
	expect_err "migguard: 0 errors, 0 warnings"
	expect_exit 0 migguard check --base HEAD^ --head HEAD
	expect_out ""
	expect_err "migguard: 0 errors, 0 warnings"
done
# step 06 drops a table: that is lint's to say, pair is satisfied.
step 06
commit_all . "step 06"
pair_is 0 ""
lint_is 1 "$m/20261203102035_drop_research_step/migration.sql:1:12: error: table \"research_step\" is dropped [drop-table]
  hint: make sure no deployed code uses it and its data is not needed (back it up first), or keep it with '-- migguard-ignore drop-table <reason>' on the line before the statement"
expect_exit 1 migguard check --base HEAD^ --head HEAD
expect_out "$m/20261203102035_drop_research_step/migration.sql:1:12: error: table \"research_step\" is dropped [drop-table]
  hint: make sure no deployed code uses it and its data is not needed (back it up first), or keep it with '-- migguard-ignore drop-table <reason>' on the line before the statement"
expect_err "migguard: 1 error, 0 warnings"
top=$(git rev-parse HEAD)
step03=$(git rev-list -n1 --grep='^step 03$' HEAD)

# The conventions are read from the folders: step 03's header and
# extension guard show theirs; of the three foreign keys, two have no
# ON DELETE clause (1.0's no action), so no fk action is inferred.
expect_exit 0 migguard conventions
expect_contains "$OUT" "packages/db ($m): 7 published migrations read, 20261203101957_init/migration.sql to 20261203102035_drop_research_step/migration.sql"
expect_contains "$OUT" "  fk-on-delete: off [fk-on-delete]
    1 of 3 foreign keys ON DELETE cascade, first at $m/20261203101957_init/migration.sql:17"
expect_contains "$OUT" "  manual-header: on, inferred [manual-addition-without-header]
    1 of 1 hand-written statements under a '-- Manual addition:' header, first at $m/20261203102017_enable_pgvector/migration.sql:3
    shown by 20261203102017_enable_pgvector/migration.sql"

a="$fx/branches/branch-a"
prio=20261203102044_plan_priority
pf=$m/$prio

# --- schema edited, no new folder: schema-without-migration -------------
git checkout -q -b schema-only "$top"
cp "$a/src/schema/index.ts" $s
commit_all . "plan priority (schema only)"
pair_is 1 "$s:32:3: error: schema file '$s' modified without a generated migration: pgTable \"research_plan\" changed; no new migration folder (migration.sql and snapshot.json) in '$m' [schema-without-migration]
  hint: run $gen and commit what it writes under '$m'; if the edit cannot change the database, generate writes nothing: add a 'Schema-Impact: none (reason)' trailer to the commit message"
# Its migration generated and committed afterwards: the late migration.
mkdir -p $pf
cp "$a/src/migrations/$prio/migration.sql" "$a/src/migrations/$prio/snapshot.json" $pf/
commit_all . "its migration"
pair_is 0 ""
lint_is 0 ""

# --- the same folder with no schema edit: migration-without-schema -----
git checkout -q -b no-schema "$top"
mkdir -p $pf
cp "$a/src/migrations/$prio/migration.sql" "$a/src/migrations/$prio/snapshot.json" $pf/
commit_all . "a migration out of nowhere"
pair_is 1 "$pf/migration.sql:1:1: error: new migration '$prio' changes the schema snapshot but no schema file under 'packages/db/src/schema' is changed [migration-without-schema]
  hint: commit the schema edit that generated it with the migration; a hand-written migration starts from 'drizzle-kit generate --custom', whose snapshot records no change"

# --- a folder renamed, bytes kept: no new migration for pair -----------
git checkout -q -b renamed "$top"
git mv $m/20261203102035_drop_research_step $m/20261203102036_drop_research_step
git commit -q -m "rename the last folder"
pair_is 0 ""
lint_is 0 ""

# --- a new folder with only migration.sql (rc.5 case 5: applied, and
# invisible to generate) ------------------------------------------------
git checkout -q -b sql-only "$top"
cp "$a/src/schema/index.ts" $s
mkdir -p $pf
cp "$a/src/migrations/$prio/migration.sql" $pf/
commit_all . "priority, snapshot left out"
pair_is 1 "$pf/migration.sql:1:1: error: new migration '$prio' is incomplete: '$pf/snapshot.json' is not committed (drizzle 1.0 applies the migration.sql, but drizzle-kit reads only snapshots and never learns what it did) [migration-incomplete]
  hint: commit the whole migration folder '$pf' (migration.sql and snapshot.json); if a file is lost, remove the folder and run $gen again"
expect_err "migguard: 1 error, 0 warnings"
# Staged, the hint names the folder to add.
git reset -q --soft HEAD^
expect_exit 1 migguard-pair
expect_out "$pf/migration.sql:1:1: error: new migration '$prio' is incomplete: '$pf/snapshot.json' is not staged (drizzle 1.0 applies the migration.sql, but drizzle-kit reads only snapshots and never learns what it did) [migration-incomplete]
  hint: stage the whole migration folder: git add $pf; if a file is lost, remove the folder and run $gen again; bypass once: MIGGUARD_SKIP=pair git commit ..."
cp "$a/src/migrations/$prio/snapshot.json" $pf/
git add $pf
expect_exit 0 migguard-pair
expect_out ""

# --- a new folder with only snapshot.json (rc.5 case 6: never applied) -
git checkout -q -f -b snapshot-only "$top"
cp "$a/src/schema/index.ts" $s
mkdir -p $pf
cp "$a/src/migrations/$prio/snapshot.json" $pf/
commit_all . "priority, SQL left out"
pair_is 1 "$pf/snapshot.json:1:1: error: new migration '$prio' is incomplete: '$pf/migration.sql' is not committed (the drizzle 1.0 migrator never applies a folder without it, and drizzle-kit check does not notice) [migration-incomplete]
  hint: commit the whole migration folder '$pf' (migration.sql and snapshot.json); if a file is lost, remove the folder and run $gen again"

# custom DIR SQL N: a `drizzle-kit generate --custom` folder after step 06
# (as rc.5 writes step 03's: a "diff" snapshot with no deltas and no
# footprints), its SQL the template line and what follows.
last_id=$(sed -n 's/^  "id": "\(.*\)",$/\1/p' "$fx/step-06/src/migrations/20261203102035_drop_research_step/snapshot.json")
[ -n "$last_id" ] || fail "no id in step 06's last snapshot"
custom() {
	mkdir -p "$m/$1"
	printf '{\n  "type": "diff",\n  "version": "9",\n  "dialect": "postgres",\n  "id": "0bd4c3a0-56a5-4a49-9a4e-%012d",\n  "prevIds": [\n    "%s"\n  ],\n  "footprints": [],\n  "deltas": []\n}' \
		"$3" "$last_id" >"$m/$1/snapshot.json"
	printf '%s' "$2" >"$m/$1/migration.sql"
}
tpl='-- Custom SQL migration file, put your code below! --'

# --- a custom migration does not pair a schema edit -------------------
git checkout -q -b custom-only "$top"
cp "$a/src/schema/index.ts" $s
custom 20261203110000_backfill "$tpl
-- Manual addition: nothing yet
SELECT 1;" 5
commit_all . "priority, with a custom migration only"
pair_is 1 "$s:32:3: error: schema file '$s' modified without a generated migration: pgTable \"research_plan\" changed; only the custom migration '20261203110000_backfill' is added (its snapshot records no change) [schema-without-migration]
  hint: run $gen and commit what it writes under '$m'; if the edit cannot change the database, generate writes nothing: add a 'Schema-Impact: none (reason)' trailer to the commit message"

# --- CREATE INDEX CONCURRENTLY (rc.5 case 7: the whole run fails) -----
git checkout -q -b concurrently "$top"
custom 20261203110000_title_idx "$tpl
CREATE INDEX CONCURRENTLY \"research_plan_title_idx\" ON \"research_plan\" (\"title\");" 1
commit_all . "an index built concurrently"
pair_is 0 ""
lint_is 1 "$m/20261203110000_title_idx/migration.sql:2:14: error: CONCURRENTLY cannot run inside the migrator's transaction [concurrently-in-transaction]
  hint: drizzle runs all pending migrations in one transaction, where CONCURRENTLY fails: drop the keyword (the table is locked meanwhile) or run it outside the migrator, or keep it with '-- migguard-ignore concurrently-in-transaction <reason>' on the line before the statement"

# --- SQL glued onto the template's comment line (rc.5 case 8: recorded
# as applied, nothing ran) ----------------------------------------------
git checkout -q -b glued "$top"
custom 20261203110000_glued "$tpl" 2
echo 'CREATE TABLE "glued" ("id" integer);' >>$m/20261203110000_glued/migration.sql
commit_all . "echo >> the custom template"
pair_is 0 ""
lint_is 1 "$m/20261203110000_glued/migration.sql:1:54: error: the SQL on this line is part of the --custom template's comment and never runs: the migration holds no statement [migration-empty]
  hint: put it on a line of its own, after the template's, or keep it with '-- migguard-ignore-file migration-empty <reason>'"

# --- index names against the schema replayed from the snapshots: one
# made in step 02's diff collides, one dropped in step 06 is free, the
# unique constraint PostgreSQL named in step 00 holds its name, and an
# index of another schema may reuse a public one's --------------------
git checkout -q -b index-name "$top"
custom 20261203110000_reuse "$tpl
CREATE INDEX \"research_plan_status_idx\" ON \"user\" (\"role\");--> statement-breakpoint
CREATE INDEX \"research_step_plan_id_idx\" ON \"user\" (\"email\");--> statement-breakpoint
CREATE UNIQUE INDEX \"user_email_key\" ON \"user\" (lower(\"email\"));--> statement-breakpoint
CREATE INDEX \"user_organization_id_idx\" ON \"audit\".\"entry\" (\"organization_id\");" 3
commit_all . "index names"
pair_is 0 ""
lint_is 1 "$m/20261203110000_reuse/migration.sql:2:14: error: index name \"research_plan_status_idx\" is already used on table \"research_plan\" in the previous snapshot [index-name-collision]
  hint: rename it (in the schema, pass an explicit name), or keep it with '-- migguard-ignore index-name-collision <reason>' on the line before the statement
$m/20261203110000_reuse/migration.sql:4:21: error: index name \"user_email_key\" is already used on table \"user\" in the previous snapshot [index-name-collision]
  hint: rename it (in the schema, pass an explicit name), or keep it with '-- migguard-ignore index-name-collision <reason>' on the line before the statement"

# --all lints every folder, the state carried from one to the next: the
# same two findings, and step 06's drop.
expect_exit 1 migguard-lint --all
expect_out "$m/20261203102035_drop_research_step/migration.sql:1:12: error: table \"research_step\" is dropped [drop-table]
  hint: make sure no deployed code uses it and its data is not needed (back it up first), or keep it with '-- migguard-ignore drop-table <reason>' on the line before the statement
$m/20261203110000_reuse/migration.sql:2:14: error: index name \"research_plan_status_idx\" is already used on table \"research_plan\" in the previous snapshot [index-name-collision]
  hint: rename it (in the schema, pass an explicit name), or keep it with '-- migguard-ignore index-name-collision <reason>' on the line before the statement
$m/20261203110000_reuse/migration.sql:4:21: error: index name \"user_email_key\" is already used on table \"user\" in the previous snapshot [index-name-collision]
  hint: rename it (in the schema, pass an explicit name), or keep it with '-- migguard-ignore index-name-collision <reason>' on the line before the statement"

# --- a hand addition without its header: the convention step 03 shows -
git checkout -q -b no-header "$top"
custom 20261203110000_trgm "$tpl
CREATE EXTENSION IF NOT EXISTS pg_trgm;" 4
commit_all . "pg_trgm"
pair_is 0 ""
lint_is 0 "$m/20261203110000_trgm/migration.sql:2:1: warning: hand-written CREATE EXTENSION has no '-- Manual addition:' header [manual-addition-without-header]
  hint: put a comment such as '-- Manual addition: why' on the line before it (one header covers consecutive hand-written statements), or keep it with '-- migguard-ignore manual-addition-without-header <reason>' on the line before the statement"
expect_err "migguard: 0 errors, 1 warning"

# --- the conventions configured (.migguard.json in the same commit): step
# 03's custom migration passes with its header and not without; step 01's
# foreign key, with no ON DELETE clause as 1.0 writes the default, is not
# the configured cascade --------------------------------------------------
conf='{"lint": {"manualHeader": true, "fkOnDelete": "cascade"}}'
pv=$m/20261203102017_enable_pgvector/migration.sql
git checkout -q -b header-kept "$(git rev-list -n1 --grep='^step 02$' main)"
step 03
printf '%s\n' "$conf" >.migguard.json
commit_all . "step 03, conventions configured"
pair_is 0 ""
lint_is 0 ""
git checkout -q -b header-dropped HEAD^
step 03
printf '%s\n' "$conf" >.migguard.json
sed -i '/^-- Manual addition:/d' $pv
commit_all . "step 03 without its header"
pair_is 0 ""
lint_is 0 "$pv:2:1: warning: hand-written CREATE EXTENSION has no '-- Manual addition:' header [manual-addition-without-header]
  hint: put a comment such as '-- Manual addition: why' on the line before it (one header covers consecutive hand-written statements), or keep it with '-- migguard-ignore manual-addition-without-header <reason>' on the line before the statement"
git checkout -q -b fk-configured "$(git rev-list -n1 --grep='^step 00$' main)"
step 01
printf '%s\n' "$conf" >.migguard.json
commit_all . "step 01, conventions configured"
lint_is 0 "$m/20261203102004_research_plan/migration.sql:11:129: warning: foreign key \"research_plan_organization_id_organization_id_fkey\" has no ON DELETE (no action), the convention is cascade [fk-on-delete]
  hint: write ON DELETE cascade (drizzle: .references(() => t.id, { onDelete: \"cascade\" })), or keep it with '-- migguard-ignore fk-on-delete <reason>' on the line before the statement"

# --- the rename answered "create": DROP + ADD, the dropped column's type
# from the replayed snapshots (text), so it pairs with "abstract" (text)
# and not "score" (integer) --------------------------------------------
git checkout -q -b rename-as-drop "$step03"
step 04
printf '%s' 'ALTER TABLE "research_plan" DROP COLUMN "summary";--> statement-breakpoint
ALTER TABLE "research_plan" ADD COLUMN "abstract" text;--> statement-breakpoint
ALTER TABLE "research_plan" ADD COLUMN "score" integer;' >$m/20261203102025_rename_summary/migration.sql
commit_all . "rename summary (answered create)"
pair_is 0 ""
lint_is 1 "$m/20261203102025_rename_summary/migration.sql:1:41: error: column \"research_plan\".\"summary\" is dropped [drop-column]
  hint: deploy code that no longer reads it first and drop it in a later migration; if it was renamed, use ALTER TABLE ... RENAME COLUMN, or keep it with '-- migguard-ignore drop-column <reason>' on the line before the statement
$m/20261203102025_rename_summary/migration.sql:1:41: error: column \"research_plan\".\"summary\" is dropped and \"research_plan\".\"abstract\" added in the same migration [rename-as-drop]
  hint: if it is a rename, write ALTER TABLE \"research_plan\" RENAME COLUMN \"summary\" TO \"abstract\" instead, which keeps the data, or keep it with '-- migguard-ignore rename-as-drop <reason>' on the line before the statement"

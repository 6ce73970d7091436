# drop-table and drop-column in change-set modes: a drop of a table or
# column that a migration of the same change created, and that the newest
# published migration's snapshot does not have, loses no deployed data and
# is not reported (vercel/ai-chatbot's "Move to drizzle" adds 0000 to 0002
# in one commit, 0001 dropping a column 0000 created). A drop of a
# published object is still reported, and --all reports every drop.
m=packages/db/src/migrations

# mig N TAG SQL TABLES: plain_migration, with the snapshot's "tables"
# written as TABLES (the JSON object drizzle-kit 0.31 writes).
mig() {
	plain_migration "$1" "$2" "$3"
	sed -i "s|\"tables\": {\"public.t$1\": {\"name\": \"t$1\"}}|\"tables\": $4|" \
		"$m/meta/$(printf '%04d' "$1")_snapshot.json"
	grep -q '"public.note"\|"tables": {}' \
		"$m/meta/$(printf '%04d' "$1")_snapshot.json" ||
		fail "snapshot $1 not written"
}

note_ab='{"public.note": {"name": "note", "schema": "", "columns": {"id": {"name": "id", "type": "serial"}, "body": {"name": "body", "type": "text"}}}}'
note_a='{"public.note": {"name": "note", "schema": "", "columns": {"id": {"name": "id", "type": "serial"}}}}'
all='{"public.note": {"name": "note", "schema": "", "columns": {"id": {"name": "id", "type": "serial"}, "body": {"name": "body", "type": "text"}}}, "public.draft": {"name": "draft", "schema": "", "columns": {"id": {"name": "id", "type": "serial"}}}}'
note_sql='CREATE TABLE "note" (
	"id" serial PRIMARY KEY NOT NULL,
	"body" text
);'
draft_sql='CREATE TABLE "draft" (
	"id" serial PRIMARY KEY NOT NULL
);'
drop_sql='ALTER TABLE "note" DROP COLUMN "body";--> statement-breakpoint
DROP TABLE "draft";'
drop_column_err="$m/0002_drops.sql:1:32: error: column \"note\".\"body\" is dropped [drop-column]
  hint: deploy code that no longer reads it first and drop it in a later migration; if it was renamed, use ALTER TABLE ... RENAME COLUMN, or keep it with '-- migguard-ignore drop-column <reason>' on the line before the statement"
drop_table_err="$m/0002_drops.sql:2:12: error: table \"draft\" is dropped [drop-table]
  hint: make sure no deployed code uses it and its data is not needed (back it up first), or keep it with '-- migguard-ignore drop-table <reason>' on the line before the statement"

# repo DIR: a project with one published migration (an empty schema).
repo() {
	new_repo "$1"
	cd "$1"
	mkdir -p packages/db
	printf 'export default { dialect: "postgresql", schema: "./src/schema/index.ts", out: "./src/migrations" };\n' \
		>packages/db/drizzle.config.ts
	mig 0 0000_init 'CREATE SCHEMA "app";' '{}'
	commit_all . "init"
}

# (a) Two new migrations in one commit, the second dropping a column and
# a table the first created: nothing published is lost.
repo a
mig 1 0001_note "$note_sql--> statement-breakpoint
$draft_sql" "$all"
mig 2 0002_drops "$drop_sql" "$note_a"
commit_all . "note, then its drops"
expect_exit 0 migguard-lint --base HEAD^ --head HEAD
expect_out ""
expect_err "migguard: 0 errors, 0 warnings"
expect_exit 0 migguard check --base HEAD^ --head HEAD
expect_out ""

# (d) --all has no change set: every drop is reported.
expect_exit 1 migguard-lint --all
expect_out "$drop_column_err
$drop_table_err"
cd ..

# (b) The same, but the column and the table were published: both
# reported, with an unrelated new table in the same commit.
repo b
mig 1 0001_note "$note_sql--> statement-breakpoint
$draft_sql" "$all"
commit_all . "note"
mig 2 0002_drops "$drop_sql--> statement-breakpoint
CREATE TABLE \"other\" (\"id\" serial PRIMARY KEY NOT NULL);" "$note_a"
commit_all . "drops"
expect_exit 1 migguard-lint --base HEAD^ --head HEAD
expect_out "$drop_column_err
$drop_table_err"
# Only the column published: the table's drop passes, the column's not.
git reset -q --hard HEAD~2
mig 1 0001_note "$note_sql" "$note_ab"
commit_all . "note"
mig 2 0002_draft "$draft_sql" "$all"
mig 3 0003_drops "$drop_sql" "$note_a"
commit_all . "draft, then the drops"
expect_exit 1 migguard-lint --base HEAD^ --head HEAD
expect_out "$m/0003_drops.sql:1:32: error: column \"note\".\"body\" is dropped [drop-column]
  hint: deploy code that no longer reads it first and drop it in a later migration; if it was renamed, use ALTER TABLE ... RENAME COLUMN, or keep it with '-- migguard-ignore drop-column <reason>' on the line before the statement"
cd ..

# (c) pre-commit: the two migrations generated and staged, not pushed.
repo c
mig 1 0001_note "$note_sql--> statement-breakpoint
$draft_sql" "$all"
mig 2 0002_drops "$drop_sql" "$note_a"
git add -A
expect_exit 0 migguard-lint
expect_out ""
expect_err "migguard: 0 errors, 0 warnings"
# A published table renamed into the dropped one is still reported.
git reset -q --hard
git clean -qfd
mig 1 0001_note "$note_sql" "$note_ab"
commit_all . "note"
mig 2 0002_rename 'ALTER TABLE "note" RENAME TO "draft";' \
	'{"public.draft": {"name": "draft", "schema": "", "columns": {"id": {"name": "id", "type": "serial"}, "body": {"name": "body", "type": "text"}}}}'
mig 3 0003_drop 'DROP TABLE "draft";' '{}'
git add -A
expect_exit 1 migguard-lint
expect_out "$m/0003_drop.sql:1:12: error: table \"draft\" is dropped [drop-table]
  hint: make sure no deployed code uses it and its data is not needed (back it up first), or keep it with '-- migguard-ignore drop-table <reason>' on the line before the statement"
cd ..

# (e) The folder layout (real rc.5 folders): step 05 creates research_step,
# step 06 drops it. Published at step 04 and both added in one commit:
# nothing reported; published at step 05: the drop is reported.
fx="$MG_SOURCE_DIR/tests/fixtures/drizzle-1.0"
new_repo e
cd e
rm -rf packages/db
mkdir -p packages
cp -R "$fx/step-04" packages/db
commit_all . "step 04"
rm -rf packages/db
cp -R "$fx/step-06" packages/db
commit_all . "steps 05 and 06"
expect_exit 0 migguard-lint --base HEAD^ --head HEAD
expect_out ""
expect_exit 1 migguard-lint --all
expect_out "$m/20261203102035_drop_research_step/migration.sql:1:12: error: table \"research_step\" is dropped [drop-table]
  hint: make sure no deployed code uses it and its data is not needed (back it up first), or keep it with '-- migguard-ignore drop-table <reason>' on the line before the statement"
cd ..

# (f) rename-as-drop likewise: a column the change created, dropped and
# another of its type added, is no lost rename; once published it is.
repo f
mig 1 0001_note "$note_sql" "$note_ab"
mig 2 0002_content 'ALTER TABLE "note" DROP COLUMN "body";--> statement-breakpoint
ALTER TABLE "note" ADD COLUMN "content" text;' \
	'{"public.note": {"name": "note", "schema": "", "columns": {"id": {"name": "id", "type": "serial"}, "content": {"name": "content", "type": "text"}}}}'
commit_all . "note, body renamed"
expect_exit 0 migguard-lint --base HEAD^ --head HEAD
expect_out ""
expect_exit 1 migguard-lint --all --format json
expect_contains "$OUT" '"rule":"rename-as-drop","severity":"error","path":"packages/db/src/migrations/0002_content.sql","line":1,"column":32'
git reset -q --hard HEAD^
mig 1 0001_note "$note_sql" "$note_ab"
commit_all . "note"
mig 2 0002_content 'ALTER TABLE "note" DROP COLUMN "body";--> statement-breakpoint
ALTER TABLE "note" ADD COLUMN "content" text;' \
	'{"public.note": {"name": "note", "schema": "", "columns": {"id": {"name": "id", "type": "serial"}, "content": {"name": "content", "type": "text"}}}}'
commit_all . "body renamed"
expect_exit 1 migguard-lint --base HEAD^ --head HEAD --format json
expect_contains "$OUT" '"rule":"rename-as-drop","severity":"error","path":"packages/db/src/migrations/0002_content.sql","line":1,"column":32'
expect_contains "$OUT" '"rule":"drop-column","severity":"error","path":"packages/db/src/migrations/0002_content.sql","line":1,"column":32'

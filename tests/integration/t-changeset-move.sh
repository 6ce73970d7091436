# A pure move of the migrations (the folder relocated, bytes unchanged) is
# no new SQL to lint and no deletion of published migrations.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 6 r
cd r
git mv packages/db/src/migrations packages/db/migrations
sed -i 's|out: "./src/migrations"|out: "./migrations"|' packages/db/drizzle.config.ts
grep -q '"./migrations"' packages/db/drizzle.config.ts || fail "config not edited"
git add -A
expect_exit 0 migguard check
expect_out ""
git commit -q -n -m "move the migrations"
expect_exit 0 migguard check --base HEAD^
expect_out ""
# They are still linted as a whole tree.
expect_exit 1 migguard check --all
expect_contains "$OUT" "packages/db/migrations/0006_drop_research_step.sql:5:12: error: table \"research_step\" is dropped [drop-table]"

# A move that also changes the bytes is linted.
git mv packages/db/migrations packages/db/src/migrations
sed -i 's|out: "./migrations"|out: "./src/migrations"|' packages/db/drizzle.config.ts
printf '%s\n' '--> statement-breakpoint' 'DROP TABLE "plan";' >>packages/db/src/migrations/0006_drop_research_step.sql
git add -A
expect_exit 1 migguard check
expect_contains "$OUT" "packages/db/src/migrations/0006_drop_research_step.sql:6:12: error: table \"plan\" is dropped [drop-table]"
expect_not_contains "$OUT" "0005_rename_summary.sql"
# What the moved file already had is not this change's doing.
expect_not_contains "$OUT" "table \"research_step\" is dropped"
expect_contains "$ERR" "already there before this change"

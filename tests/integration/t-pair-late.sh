# The late migration: a schema edit committed on its own, its migration
# generated and committed afterwards. The migration's commit is not
# migration-without-schema: the schema changed after the newest migration
# was committed. With no schema change since then, it still is.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 3 r
cd r
step="$MG_SOURCE_DIR/tests/fixtures/drizzle/step-04"
m=packages/db/src/migrations
s=packages/db/src/schema
git checkout -q -b late

rm -rf $s && cp -R "$step/src/schema" $s
git add -A && git commit -q -n -m "schema: research steps"
expect_exit 1 migguard check --base HEAD^
expect_contains "$OUT" "[schema-without-migration]"
rm -rf $m && cp -R "$step/src/migrations" $m
git add -A && git commit -q -n -m "the migration for it"
expect_exit 0 migguard check --base HEAD^
expect_not_contains "$OUT" "migration-without-schema"
# CI on the whole branch, and each commit with --each-commit.
expect_exit 0 migguard check --base main
expect_exit 1 migguard check --base main --each-commit
expect_contains "$OUT" "[schema-without-migration]"
expect_not_contains "$OUT" "[migration-without-schema]"

# The same migration with no schema edit since the last migration.
git checkout -q -b nothing main
rm -rf $m && cp -R "$step/src/migrations" $m
git add -A && git commit -q -n -m "a migration out of nowhere"
expect_exit 1 migguard check --base HEAD^
expect_contains "$OUT" "[migration-without-schema]"

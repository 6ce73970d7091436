# migguard-apply in a repository: the project from drizzle.config, the
# URL from the .env beside it, the migrations of the work tree or of a
# commit (--rev, as the pre-push hook uses it).
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
pg_start
psql_q "CREATE ROLE authenticated" >/dev/null
new_repo r
copy_step 01 r
commit_all r "step 01"
copy_step 02 r
pg_createdb app
printf '# docker\nDATABASE_URL="%s"\n' "$DB_URL" >r/packages/db/.env
cd r

# --rev HEAD: the two committed migrations, not the third in the tree.
expect_exit 0 env -u DATABASE_URL migguard-apply --rev HEAD --dry-run
expect_out "Database: $DB_URL (from DATABASE_URL in packages/db/.env:2)
Migration state: 0 applied, 2 expected, 2 pending
Dry run: 2 migrations applied, then rolled back"

# The work tree: three; from a subfolder too.
cd packages
expect_exit 0 env -u DATABASE_URL migguard-apply
expect_contains "$OUT" "Migration state: 0 applied, 3 expected, 3 pending"
cd ..

# HEAD lacks the applied third migration: a row no journal entry matches.
expect_exit 1 env -u DATABASE_URL migguard-apply --rev HEAD
expect_contains "$OUT" "packages/db/src/migrations/meta/_journal.json:1:1: error: the database has an applied migration (id 3,"
expect_contains "$OUT" "that no journal entry matches [applied-migration-missing]"

# Findings name repository-relative paths.
printf 'SELECT nope;\n' >>packages/db/src/migrations/0002_plan_summary.sql
expect_exit 1 env -u DATABASE_URL migguard-apply
expect_contains "$OUT" "packages/db/src/migrations/0002_plan_summary.sql:1:1: error: '0002_plan_summary' was changed after it was applied"

expect_exit 2 env -u DATABASE_URL migguard-apply --project nope
expect_contains "$ERR" "no project named 'nope'"

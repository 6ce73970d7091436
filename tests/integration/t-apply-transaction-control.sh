# migguard-apply refuses a pending migration that holds transaction
# control (COMMIT, ROLLBACK, BEGIN, SAVEPOINT...), which would break the
# migrator's one transaction: lint's finding at its file:line, before any
# pending migration runs.
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
pg_start
make_migrations m 2
pg_createdb app
expect_exit 0 migguard-apply --migrations m --database-url "$DB_URL"

make_migrations m 4
cat >m/0003_m3.sql <<'SQL'
CREATE TABLE "x3" ("id" integer);--> statement-breakpoint
-- Manual addition: a backfill committed on its own
INSERT INTO "x3" VALUES (1);
COMMIT;
SQL
expect_exit 1 migguard-apply --migrations m --database-url "$DB_URL"
expect_contains "$OUT" "m/0003_m3.sql:4:1: error: COMMIT in a migration ends the migrator's transaction: a later failure leaves the database half migrated [transaction-control]"
[ "$(psql_q "select count(*) from drizzle.__drizzle_migrations" app)" = 2 ] ||
	fail "rows were added"
[ "$(psql_q "select count(*) from pg_tables where tablename in ('t2', 'x3')" app)" = 0 ] ||
	fail "a pending migration ran"

# Inside a DO block too; --dry-run refuses the same way.
cat >m/0003_m3.sql <<'SQL'
DO $$ BEGIN
  CREATE TABLE "x3" ("id" integer);
  COMMIT;
END $$;
SQL
expect_exit 1 migguard-apply --migrations m --database-url "$DB_URL" --dry-run
expect_contains "$OUT" "m/0003_m3.sql:3:3: error: COMMIT in a DO block fails inside the migrator's transaction"

# A migguard-ignore keeps it, as in lint.
cat >m/0003_m3.sql <<'SQL'
-- migguard-ignore transaction-control savepoints inside the transaction are fine here
SAVEPOINT "s";
SQL
expect_exit 0 migguard-apply --migrations m --database-url "$DB_URL"
[ "$(psql_q "select count(*) from drizzle.__drizzle_migrations" app)" = 4 ] ||
	fail "the migrations were not applied"


# What migguard-apply finds: a failing statement (file:line:col, nothing
# applied), migrations drizzle would skip, applied files changed, rows
# without created_at, the count check.
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
pg_start
make_migrations m 2
pg_createdb app
expect_exit 0 migguard-apply --migrations m --database-url "$DB_URL"

# Five pending; the third fails on line 5 (after a multi-byte line).
make_migrations m 7
cat >m/0004_m4.sql <<'SQL'
CREATE TABLE "x4" (
	"id" serial PRIMARY KEY NOT NULL
);--> statement-breakpoint
-- Manual addition: a comment with é ✓
INSERT INTO "x4" ("id", "nope") VALUES (1, 2);
SQL
expect_exit 1 migguard-apply --migrations m --database-url "$DB_URL"
expect_out "Database: $DB_URL (from --database-url)
Migration state: 2 applied, 7 expected, 5 pending
m/0004_m4.sql:5:25: error: column \"nope\" of relation \"x4\" does not exist [apply-failed]
  hint: nothing was applied: the 5 pending migrations ran in one transaction, rolled back"
[ "$(psql_q "select count(*) from drizzle.__drizzle_migrations" app)" = 2 ] ||
	fail "rows were added"
[ "$(psql_q "select count(*) from pg_tables where tablename in ('t2', 't3', 'x4')" app)" = 0 ] ||
	fail "tables of the failed run remain"

# No position from the server: the failing chunk's first statement.
printf 'SELECT 1;--> statement-breakpoint\n\n-- why\nSELECT 1/0;\n' >m/0004_m4.sql
expect_exit 1 migguard-apply --migrations m --database-url "$DB_URL" --format github
expect_contains "$OUT" "::error file=m/0004_m4.sql,line=4,col=1,title=apply-failed::division by zero"

# JSON output names the same place.
printf 'SELECT 1;\nSELEC 2;\n' >m/0004_m4.sql
expect_exit 1 migguard-apply --migrations m --database-url "$DB_URL" --format json
expect_contains "$OUT" '"rule":"apply-failed","severity":"error","path":"m/0004_m4.sql","line":2,"column":1,"message":"syntax error at or near \"SELEC\""'

# Apply them all, then break the history.
printf 'SELECT 1;\n' >m/0004_m4.sql
expect_exit 0 migguard-apply --migrations m --database-url "$DB_URL"

# An applied file edited: named, by created_at == when.
printf 'SELECT 2;\n' >m/0004_m4.sql
expect_exit 1 migguard-apply --migrations m --database-url "$DB_URL"
expect_contains "$OUT" "m/0004_m4.sql:1:1: error: '0004_m4' was changed after it was applied"
expect_contains "$OUT" "[applied-migration-modified]"
printf 'SELECT 1;\n' >m/0004_m4.sql

# A migration merged in with an older `when`: drizzle would skip it.
make_migrations m 8
printf 'SELECT 1;\n' >m/0004_m4.sql
sed -i 's/"when": 1700000007000/"when": 1700000003500/' m/meta/_journal.json
expect_exit 1 migguard-apply --migrations m --database-url "$DB_URL"
expect_contains "$OUT" "m/meta/_journal.json:54:1: error: '0007_m7' is not applied and its when (1700000003500) is not after the newest applied one (1700000006000): drizzle's migrator would skip it and report success [migration-would-be-skipped]"
expect_contains "$OUT" "hint: generate it again on top of the newest migration, or set its \"when\" after 1700000006000 in the journal"
[ "$(psql_q "select count(*) from pg_tables where tablename = 't7'" app)" = 0 ] ||
	fail "the skipped migration was applied"
make_migrations m 7
printf 'SELECT 1;\n' >m/0004_m4.sql

# A row without created_at: drizzle would run everything again.
psql_q "update drizzle.__drizzle_migrations set created_at = null where id = 1" app
expect_exit 1 migguard-apply --migrations m --database-url "$DB_URL"
expect_contains "$OUT" "without created_at: drizzle's migrator would run every migration again [applied-migration-modified]"
psql_q "update drizzle.__drizzle_migrations set created_at = 1700000000000 where id = 1" app

# A row no journal entry matches (another branch's migration).
psql_q "insert into drizzle.__drizzle_migrations (hash, created_at) values ('abc', 1700000000500)" app
expect_exit 1 migguard-apply --migrations m --database-url "$DB_URL"
expect_contains "$OUT" "m/meta/_journal.json:1:1: error: the database has an applied migration (id 14, created_at 1700000000500, hash abc) that no journal entry matches [applied-migration-missing]"
# Serial ids advance with rolled back runs too (14, not 8).
psql_q "delete from drizzle.__drizzle_migrations where hash = 'abc'" app
expect_exit 0 migguard-apply --migrations m --database-url "$DB_URL"
expect_contains "$OUT" "Migration state: 7 applied, 7 expected, 0 pending"

# Invalid UTF-8 is refused before connecting (drizzle would hash U+FFFD).
make_migrations m 8
printf 'SELECT 1;\n' >m/0004_m4.sql
printf 'SELECT 1; -- caf\351\n' >m/0007_m7.sql
expect_exit 1 migguard-apply --migrations m --database-url "$DB_URL"
expect_contains "$OUT" "m/0007_m7.sql:1:17: error: '0007_m7' is not valid UTF-8 text"

# A journal entry without its file: could not run, as drizzle.
rm m/0007_m7.sql
expect_exit 2 migguard-apply --migrations m --database-url "$DB_URL"
expect_contains "$ERR" "'m/0007_m7.sql' is missing or unreadable"

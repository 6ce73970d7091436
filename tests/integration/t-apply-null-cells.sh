# A hand-made or foreign migrations table with NULL cells (id, hash,
# created_at): each is a finding on the journal, never a crash.
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
pg_start
make_migrations m 2
pg_createdb app

for col in id hash created_at; do
	psql_q "DROP SCHEMA IF EXISTS drizzle CASCADE; CREATE SCHEMA drizzle;
		CREATE TABLE drizzle.__drizzle_migrations (id int, hash text, created_at bigint);" app >/dev/null
	case $col in
	id) row="NULL, 'abc', 1700000000000" ;;
	hash) row="1, NULL, 1700000000000" ;;
	created_at) row="1, 'abc', NULL" ;;
	esac
	psql_q "INSERT INTO drizzle.__drizzle_migrations VALUES ($row)" app >/dev/null
	expect_exit 1 migguard-apply --migrations m --database-url "$DB_URL" --dry-run
	expect_contains "$OUT" "[applied-migration-modified]"
	expect_contains "$OUT" "Migration state: 1 applied, 2 expected"
	case $col in
	id) expect_contains "$OUT" "without id" ;;
	hash) expect_contains "$OUT" "without hash" ;;
	created_at) expect_contains "$OUT" "without created_at" ;;
	esac
done

# All three NULL in one row, in every format.
psql_q "DELETE FROM drizzle.__drizzle_migrations;
	INSERT INTO drizzle.__drizzle_migrations VALUES (NULL, NULL, NULL)" app >/dev/null
for f in text json github sarif; do
	expect_exit 1 migguard-apply --migrations m --database-url "$DB_URL" --dry-run --format $f
	expect_contains "$OUT" "applied-migration-modified"
done

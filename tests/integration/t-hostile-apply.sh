# Apply faults beyond t-apply-interrupt.sh: the server restarted mid-run,
# a statement timeout, a lock timeout against a concurrent transaction,
# Ctrl-C during --fresh, output piped into a reader that is gone. Each
# leaves the database as it was (or, for --fresh, no scratch database).
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
pg_start
make_migrations m 3
pg_createdb app

wait_active() {
	n=0
	while [ "$(psql_q "select count(*) from pg_stat_activity where query like '$1%' and state = 'active'")" = 0 ]; do
		n=$((n + 1))
		[ "$n" -lt 200 ] || fail "'$1' never started"
		sleep 0.05
	done
}

unchanged() {
	[ "$(psql_q "select count(*) from pg_namespace where nspname = 'drizzle'" app)" = 0 ] ||
		fail "$1: the drizzle schema exists"
	[ "$(psql_q "select count(*) from pg_tables where tablename = 't0'" app)" = 0 ] ||
		fail "$1: t0 exists"
}

# The server restarts while a migration runs: exit 2, nothing committed;
# the next run applies everything.
printf 'SELECT pg_sleep(30);\n' >m/0001_m1.sql
migguard-apply --migrations m --database-url "$DB_URL" >out 2>err &
pid=$!
wait_active "SELECT pg_sleep"
pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w restart \
	-l "$PG_DIR/server.log" >/dev/null 2>&1 || fail "restart failed"
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" = 2 ] || { cat out err >&2; fail "restart: exit $rc"; }
expect_contains "$(cat err)" "0001_m1"
unchanged restart
printf 'SELECT 1;\n' >m/0001_m1.sql
expect_exit 0 migguard-apply --migrations m --database-url "$DB_URL"
expect_contains "$OUT" "Migration state: 0 applied, 3 expected, 3 pending"
psql_q "DROP SCHEMA drizzle CASCADE; DROP TABLE t0, t2" app >/dev/null 2>&1

# statement_timeout (set in the URL): the slow statement is an
# apply-failed finding at its file (exit 1), nothing committed.
printf 'SELECT pg_sleep(5);\n' >m/0001_m1.sql
url="$DB_URL?options=-c%20statement_timeout%3D300"
expect_exit 1 timeout 30 migguard-apply --migrations m --database-url "$url"
expect_contains "$OUT$ERR" "canceling statement due to statement timeout"
expect_contains "$OUT$ERR" "0001_m1.sql"
unchanged "statement timeout"

# lock_timeout against a concurrent transaction holding the table.
printf 'SELECT 1;\n' >m/0001_m1.sql
psql_q 'CREATE TABLE "busy" ("id" int)' app >/dev/null
printf 'ALTER TABLE "busy" ADD COLUMN "x" int;\n' >m/0002_m2.sql
psql -X -q -d app -c 'BEGIN; LOCK TABLE busy; SELECT pg_sleep(30); COMMIT;' \
	>/dev/null 2>&1 &
locker=$!
wait_active "BEGIN; LOCK TABLE busy"
url="$DB_URL?options=-c%20lock_timeout%3D300"
expect_exit 1 timeout 30 migguard-apply --migrations m --database-url "$url"
expect_contains "$OUT$ERR" "canceling statement due to lock timeout"
expect_contains "$OUT$ERR" "0002_m2.sql"
unchanged "lock timeout"
psql_q "select pg_cancel_backend(pid) from pg_stat_activity where query like 'BEGIN; LOCK TABLE busy%'" >/dev/null
wait "$locker" || true

# Ctrl-C during --fresh: exit 130, the scratch database dropped.
printf 'SELECT pg_sleep(30);\n' >m/0001_m1.sql
before=$(psql_q "select count(*) from pg_database")
migguard-apply --migrations m --database-url "$DB_URL" --fresh >out 2>err &
pid=$!
wait_active "SELECT pg_sleep"
kill -INT "$pid"
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" = 130 ] || { cat out err >&2; fail "SIGINT --fresh: exit $rc"; }
[ "$(psql_q "select count(*) from pg_database")" = "$before" ] ||
	fail "--fresh left its database after SIGINT"

# Output into a pipe whose reader is gone (also with SIGPIPE ignored by
# the parent): --fresh still finishes and drops its database, quietly.
make_migrations m 3
printf 'SELECT pg_sleep(0.5);\n' >m/0001_m1.sql
set +e
migguard-apply --migrations m --database-url "$DB_URL" --fresh 2>err | true
(trap '' PIPE; migguard-apply --migrations m --database-url "$DB_URL" \
	--fresh 2>>err | true)
set -e
[ "$(psql_q "select count(*) from pg_database")" = "$before" ] ||
	fail "--fresh left its database when its reader went away"
expect_err_file() {
	[ "$(cat err)" = "migguard: 0 errors, 0 warnings
migguard: 0 errors, 0 warnings" ] || { cat err >&2; fail "stderr: $1"; }
}
expect_err_file "reader gone"

# Every binary ends quietly when its reader does (SIGPIPE, even ignored
# by the parent): no "write error", no partial report on stderr.
awk 'BEGIN { for (i = 0; i < 20000; i++) print "DROP TABLE \"t" i "\";" }' >many.sql
(trap '' PIPE; migguard-lint many.sql 2>err | head -1 >first)
expect_contains "$(cat first)" 'many.sql:1:12: error: table "t0" is dropped'
[ ! -s err ] || { cat err >&2; fail "stderr after the reader went away"; }

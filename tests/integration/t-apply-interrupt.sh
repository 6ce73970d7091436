# A run that dies or is stopped leaves the database as it was: SIGKILL,
# the server ending the connection, Ctrl-C (also with --fresh); two runs
# at once are serialised by the advisory lock.
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
pg_start
make_migrations m 3
printf 'SELECT pg_sleep(%s);\n' 30 >m/0001_m1.sql
pg_createdb app

# wait_sleeping: until a backend runs the pg_sleep migration.
wait_sleeping() {
	n=0
	while [ "$(psql_q "select count(*) from pg_stat_activity where query like 'SELECT pg_sleep(%' and state = 'active'")" = 0 ]; do
		n=$((n + 1))
		[ "$n" -lt 200 ] || fail "the migration never started"
		sleep 0.05
	done
}

unchanged() {
	[ "$(psql_q "select count(*) from pg_namespace where nspname = 'drizzle'" app)" = 0 ] ||
		fail "$1: the drizzle schema exists"
	[ "$(psql_q "select count(*) from pg_tables where tablename = 't0'" app)" = 0 ] ||
		fail "$1: t0 exists"
}

# The server ends the connection mid-apply: exit 2, nothing committed.
migguard-apply --migrations m --database-url "$DB_URL" >out 2>err &
pid=$!
wait_sleeping
psql_q "select pg_terminate_backend(pid) from pg_stat_activity where query like 'SELECT pg_sleep(%'" >/dev/null
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" = 2 ] || { cat out err >&2; fail "terminated: exit $rc"; }
expect_contains "$(cat err)" "migguard-apply: error: lost the connection while applying '0001_m1'"
expect_contains "$(cat err)" "nothing was committed"
unchanged terminated

# Ctrl-C cancels the running statement and rolls back: exit 130, fast.
migguard-apply --migrations m --database-url "$DB_URL" >out 2>err &
pid=$!
wait_sleeping
kill -INT "$pid"
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" = 130 ] || { cat out err >&2; fail "SIGINT: exit $rc"; }
expect_contains "$(cat err)" "interrupted"
unchanged SIGINT

# --fresh and SIGTERM: the scratch database is dropped on the way out.
before=$(psql_q "select count(*) from pg_database")
migguard-apply --migrations m --database-url "$DB_URL" --fresh >out 2>err &
pid=$!
wait_sleeping
kill -TERM "$pid"
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" = 143 ] || { cat out err >&2; fail "SIGTERM: exit $rc"; }
[ "$(psql_q "select count(*) from pg_database")" = "$before" ] ||
	fail "--fresh left its database after SIGTERM"

# SIGKILL: nothing to clean up, the server rolls back; the next run
# (after the killed one's sleep, which still holds the lock) applies all.
printf 'SELECT pg_sleep(%s);\n' 2 >m/0001_m1.sql
migguard-apply --migrations m --database-url "$DB_URL" >out 2>err &
pid=$!
wait_sleeping
kill -KILL "$pid"
set +e; wait "$pid"; set -e
unchanged SIGKILL
expect_exit 0 migguard-apply --migrations m --database-url "$DB_URL"
expect_contains "$OUT" "Migration state: 0 applied, 3 expected, 3 pending"
[ "$(psql_q "select count(*) from drizzle.__drizzle_migrations" app)" = 3 ] ||
	fail "the next run did not apply all"

# Two runs at once: the second waits for the lock, then finds nothing.
make_migrations m 5
printf 'SELECT pg_sleep(%s);\n' 2 >m/0001_m1.sql
printf 'SELECT pg_sleep(%s);\n' 1 >m/0003_m3.sql
migguard-apply --migrations m --database-url "$DB_URL" >out1 2>err1 &
p1=$!
migguard-apply --migrations m --database-url "$DB_URL" >out2 2>err2 &
p2=$!
set +e; wait "$p1"; r1=$?; wait "$p2"; r2=$?; set -e
[ "$r1" = 0 ] && [ "$r2" = 0 ] || { cat out1 err1 out2 err2 >&2; fail "concurrent: $r1 $r2"; }
states=$(grep -h "Migration state" out1 out2 | sort | tr '\n' '|')
[ "$states" = "Migration state: 3 applied, 5 expected, 0 pending|Migration state: 3 applied, 5 expected, 2 pending|" ] ||
	[ "$states" = "Migration state: 3 applied, 5 expected, 2 pending|Migration state: 5 applied, 5 expected, 0 pending|" ] ||
	fail "concurrent runs not serialised: $states"
[ "$(psql_q "select count(*) from drizzle.__drizzle_migrations" app)" = 5 ] ||
	fail "concurrent runs applied twice"

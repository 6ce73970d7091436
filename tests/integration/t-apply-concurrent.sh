# Concurrent applies on one database serialise before creating anything:
# two runs on different migrations tables in one new schema both succeed
# (CREATE SCHEMA IF NOT EXISTS raced: a unique violation).
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
pg_start
# One folder per run, each creating its own tables.
# (make_migrations uses $i itself.)
k=0
while [ "$k" -lt 4 ]; do
	make_migrations "m$k" 3
	for f in "m$k"/*.sql; do
		sed "s/\"t\([0-9]\)/\"r${k}t\\1/g" "$f" >"$f.new" && mv "$f.new" "$f"
	done
	k=$((k + 1))
done

round=0
while [ "$round" -lt 8 ]; do
	round=$((round + 1))
	pg_createdb "app$round"
	i=0
	pids=
	while [ "$i" -lt 4 ]; do
		migguard-apply --migrations "m$i" --database-url "$DB_URL" \
			--migrations-schema shared --migrations-table "mig$i" \
			>"out$i" 2>"err$i" &
		pids="$pids $!"
		i=$((i + 1))
	done
	i=0
	for pid in $pids; do
		set +e; wait "$pid"; rc=$?; set -e
		if [ "$rc" != 0 ]; then
			cat "out$i" "err$i" >&2
			fail "round $round, run $i: exit $rc"
		fi
		expect_not_contains "$(cat "out$i" "err$i")" "duplicate key"
		i=$((i + 1))
	done
	[ "$(psql_q "select count(*) from pg_tables where schemaname = 'shared'" "app$round")" = 4 ] ||
		fail "round $round: not every migrations table was created"
done

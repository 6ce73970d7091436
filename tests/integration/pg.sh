# A throwaway PostgreSQL 15 cluster for integration scenarios.
#   . "$MG_SOURCE_DIR/tests/integration/pg.sh"; pg_start
# pg_start makes a cluster in $MG_TMP/pg (data and socket folders), on a
# free port in 20000-40000, listening on 127.0.0.1 and the unix socket,
# trust authentication, fsync off, room for 1,000 migrations in one
# transaction (max_locks_per_transaction); exports PGHOST (the socket folder),
# PGPORT, PGUSER=postgres, PGDATABASE=postgres, DATABASE_URL (TCP) and
# PG_SOCKET_URL, and registers pg_stop on exit. Run as root, the server
# runs as the postgres user.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_as_postgres() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] ||
		fail "PostgreSQL 15 server is missing: apt-get install -y postgresql-15"
	command -v psql >/dev/null 2>&1 ||
		fail "psql is missing: apt-get install -y postgresql-client-15"
	PG_DIR="$MG_TMP/pg"
	mkdir -p "$PG_DIR/sock"
	chmod 755 "$MG_TMP"
	if [ "$(id -u)" = 0 ]; then
		chown -R postgres "$PG_DIR"
	fi
	pg_as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres \
		--auth=trust --encoding=UTF8 --locale=C.UTF-8 \
		>"$PG_DIR/initdb.log" 2>&1 ||
		{ cat "$PG_DIR/initdb.log" >&2; fail "initdb failed"; }
	tries=0
	while :; do
		tries=$((tries + 1))
		[ "$tries" -le 20 ] || fail "no free port for PostgreSQL"
		PGPORT=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 ))
		if pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -t 30 \
			-l "$PG_DIR/server.log" \
			-o "-p $PGPORT -k $PG_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50 -c max_locks_per_transaction=1024" \
			start >/dev/null 2>&1; then
			break
		fi
		# Busy port (or a slow start): look at the log, try another.
		grep -q "could not bind\|already in use" "$PG_DIR/server.log" ||
			{ cat "$PG_DIR/server.log" >&2; fail "PostgreSQL did not start"; }
	done
	PG_STARTED=1
	trap pg_stop EXIT
	PGHOST="$PG_DIR/sock"
	PGUSER=postgres
	PGDATABASE=postgres
	DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"
	PG_SOCKET_URL="postgresql:///postgres?host=$PG_DIR/sock&port=$PGPORT&user=postgres"
	export PGHOST PGPORT PGUSER PGDATABASE DATABASE_URL PG_SOCKET_URL
}

pg_stop() {
	if [ "${PG_STARTED:-0}" = 1 ]; then
		pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate \
			stop >/dev/null 2>&1 || true
		PG_STARTED=0
	fi
}

# psql_q SQL [DB]: one value, unaligned, no headers.
psql_q() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "${2:-postgres}" -c "$1"
}

# pg_createdb NAME: a database, and DB_URL for it.
pg_createdb() {
	psql_q "CREATE DATABASE \"$1\"" >/dev/null
	DB_URL="postgres://postgres@127.0.0.1:$PGPORT/$1"
}

# make_migrations DIR N [BASE_WHEN]: a journal-layout folder of N small
# migrations (0000_m0.sql ...), each creating one table, `when` one
# second apart from BASE_WHEN (default 1700000000000).
make_migrations() {
	dir=$1 n=$2 base=${3:-1700000000000}
	mkdir -p "$dir/meta"
	i=0
	{
		printf '{\n  "version": "7",\n  "dialect": "postgresql",\n  "entries": ['
		while [ "$i" -lt "$n" ]; do
			tag=$(printf '%04d_m%d' "$i" "$i")
			printf 'CREATE TABLE "t%d" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"name" text\n);\n--> statement-breakpoint\nCREATE INDEX "t%d_name_idx" ON "t%d" ("name");' \
				"$i" "$i" "$i" >"$dir/$tag.sql"
			[ "$i" -gt 0 ] && printf ','
			printf '\n    {\n      "idx": %d,\n      "version": "7",\n      "when": %d,\n      "tag": "%s",\n      "breakpoints": true\n    }' \
				"$i" "$((base + i * 1000))" "$tag"
			i=$((i + 1))
		done
		printf '\n  ]\n}'
	} >"$dir/meta/_journal.json"
}

# migguard-apply on the folder layout against drizzle-orm 1.0.0-rc.5's real
# migrator (tests/interop/rc5/migrate.mjs, node-postgres): each finds
# nothing pending after the other, both write the same rows (hash,
# created_at, name) and schema; a table drizzle-orm 0.45 wrote
# (tests/interop/migrate.mjs) is upgraded by either to the same state, and
# a row neither can match is refused by both, changing nothing.
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
need node "apt-get install -y nodejs npm"
need pg_dump "apt-get install -y postgresql-client-15"
sh "$MG_SOURCE_DIR/tests/interop/rc5/setup.sh" || fail "tests/interop/rc5/setup.sh failed"
sh "$MG_SOURCE_DIR/tests/interop/setup.sh" || fail "tests/interop/setup.sh failed"
pg_start
psql_q "CREATE ROLE authenticated" >/dev/null
fx=$MG_SOURCE_DIR/tests/fixtures/drizzle-1.0

# pgvector is not installed for PostgreSQL 15 here, so step 03's custom
# migration creates pgcrypto instead of vector in this test's copy, which
# both migrators read (as in t-apply-folder.sh).
no_pgvector() {
	for f in "$1"/*_enable_pgvector/migration.sql; do
		[ -f "$f" ] || continue
		sed 's/CREATE EXTENSION IF NOT EXISTS vector;/CREATE EXTENSION IF NOT EXISTS pgcrypto;/' \
			"$f" >"$f.new"
		mv "$f.new" "$f"
	done
}

# folder DIR NN: fixture step NN's migrations folder as DIR.
folder() {
	rm -rf "$1"
	cp -R "$fx/step-$2/src/migrations" "$1"
	no_pgvector "$1"
}

rc5() {
	node "$MG_SOURCE_DIR/tests/interop/rc5/migrate.mjs" "$@"
}

d045() {
	node "$MG_SOURCE_DIR/tests/interop/migrate.mjs" "$@"
}

# Every column but applied_at's time, which differs by the second.
rows() {
	psql_q "select id || ' ' || hash || ' ' || coalesce(created_at::text, '-') || ' ' || coalesce(name, '-') || ' ' || (applied_at is null) from ${2:-drizzle.__drizzle_migrations} order by id" "$1"
}

schema() {
	pg_dump -s -d "$1" | grep -v '^--\|^.restrict\|^.unrestrict'
}

same_schema() {
	schema "$1" >"$1.sql"
	schema "$2" >"$2.sql"
	diff "$1.sql" "$2.sql" >&2 || fail "schemas of $1 and $2 differ"
}

folder fx 06

# migguard first, then rc.5: nothing left for rc.5 to do.
pg_createdb a
expect_exit 0 migguard-apply --migrations fx --database-url "$DB_URL"
expect_contains "$OUT" "Migration state: 0 applied, 7 expected, 7 pending"
before=$(rows a)
rc5 --url "$DB_URL" --folder fx || fail "rc.5 after migguard failed"
[ "$(rows a)" = "$before" ] || fail "rc.5 applied again after migguard: $(rows a)"

# rc.5 first, then migguard: nothing pending, no finding.
pg_createdb b
rc5 --url "$DB_URL" --folder fx || fail "rc.5 failed"
expect_exit 0 migguard-apply --migrations fx --database-url "$DB_URL"
expect_out "Database: $DB_URL (from --database-url)
Migration state: 7 applied, 7 expected, 0 pending"

# The same rows and the same schema (the migrations table's too) either way.
[ "$(rows a)" = "$(rows b)" ] || fail "rows differ: $(rows a) / $(rows b)"
same_schema a b

# One step at a time, the two migrators taking turns.
pg_createdb c
who=migguard
for s in 00 01 02 03 04 05 06; do
	folder step "$s"
	if [ $who = migguard ]; then
		expect_exit 0 migguard-apply --migrations step --database-url "$DB_URL"
		who=rc5
	else
		rc5 --url "$DB_URL" --folder step || fail "rc.5 at step $s failed"
		who=migguard
	fi
done
[ "$(rows c)" = "$(rows a)" ] || fail "turn-taking rows differ: $(rows c)"
same_schema a c

# An out-of-order folder (older than every applied one): both run it.
mkdir fx/20200101000000_late
printf 'CREATE TABLE IF NOT EXISTS "late" ("id" integer);' >fx/20200101000000_late/migration.sql
expect_exit 0 migguard-apply --migrations fx --database-url "${DB_URL%/*}/a"
expect_contains "$OUT" "Migration state: 7 applied, 8 expected, 1 pending"
rc5 --url "${DB_URL%/*}/b" --folder fx || fail "rc.5 (late) failed"
[ "$(rows a)" = "$(rows b)" ] || fail "out-of-order rows differ: $(rows a) / $(rows b)"
same_schema a b
rm -r fx/20200101000000_late

# Custom schema and table names, both ways.
pg_createdb d
expect_exit 0 migguard-apply --migrations fx --database-url "$DB_URL" \
	--migrations-schema ops --migrations-table applied
rc5 --url "$DB_URL" --folder fx --schema ops --table applied ||
	fail "rc.5 (custom table) failed"
pg_createdb e
rc5 --url "$DB_URL" --folder fx --schema ops --table applied ||
	fail "rc.5 (custom table) failed"
expect_exit 0 migguard-apply --migrations fx --database-url "$DB_URL" \
	--migrations-schema ops --migrations-table applied
expect_contains "$OUT" "Migration state: 7 applied, 7 expected, 0 pending"
[ "$(rows d ops.applied)" = "$(rows e ops.applied)" ] || fail "custom table rows differ"
[ "$(psql_q "select count(*) from pg_namespace where nspname = 'drizzle'" d)" = 0 ] ||
	fail "drizzle schema created despite the custom one"
same_schema d e

# A table drizzle-orm 0.45 wrote (the 0.31 journal of ../drizzle/step-02),
# then the folders `drizzle-kit up` made of it (up/orphan-sql), plus two
# new folders whose order by time is not their order by name (December
# 99th is in March): in the run that upgrades, rc.5 runs them by time.
cp -R "$MG_SOURCE_DIR/tests/fixtures/drizzle/step-02/src/migrations" j
cp -R "$fx/up/orphan-sql/src/migrations" up
mkdir up/20261299000000_carry up/20270201000000_feb
printf 'CREATE TABLE "carry" ("id" integer);' >up/20261299000000_carry/migration.sql
printf 'CREATE TABLE "feb" ("id" integer);' >up/20270201000000_feb/migration.sql
for db in u0 u1 u2; do
	pg_createdb $db
	d045 --url "$DB_URL" --folder j || fail "0.45 on $db failed"
done
old=$(psql_q "select id || ' ' || hash || ' ' || created_at from drizzle.__drizzle_migrations order by id" u0)
schema u0 >u0-before.sql

# --dry-run says what rc.5 will do, and leaves the database as it was
# (on u0: a rolled back run still advances the id sequence).
DB_URL=${DB_URL%/*}/u0
expect_exit 0 migguard-apply --migrations up --database-url "$DB_URL" --dry-run
expect_out "Database: $DB_URL (from --database-url)
Upgrade of the migrations table drizzle-orm 0.45 wrote (no \"name\" column), as drizzle-orm 1.0's migrator does it (then rolled back):
  row 1 (created_at 1795650278392): name 20261125234438_init
  row 2 (created_at 1795650278798): name 20261125234438_research_plan
  row 3 (created_at 1795650279342): name 20261125234439_plan_summary
Migration state: 3 applied, 5 expected, 2 pending
  pending: 20270201000000_feb
  pending: 20261299000000_carry
Dry run: 2 migrations applied, then rolled back"
schema u0 >u0-after.sql
diff u0-before.sql u0-after.sql >&2 || fail "the dry run changed the schema"
[ "$(psql_q "select id || ' ' || hash || ' ' || created_at from drizzle.__drizzle_migrations order by id" u0)" = "$old" ] ||
	fail "the dry run changed the rows"

# rc.5 on u1, migguard on u2: the same upgrade, the same runs in the same
# order (feb before carry), the same schema.
rc5 --url "${DB_URL%/*}/u1" --folder up || fail "rc.5 upgrade failed"
DB_URL=${DB_URL%/*}/u2
expect_exit 0 migguard-apply --migrations up --database-url "$DB_URL"
expect_contains "$OUT" "Migration state: 3 applied, 5 expected, 2 pending
Applied 2 migrations: 5 applied, 5 expected"
[ "$(rows u1)" = "$(rows u2)" ] || fail "upgraded rows differ: $(rows u1) / $(rows u2)"
[ "$(psql_q "select string_agg(name, ' ' order by id) from drizzle.__drizzle_migrations" u2)" = "20261125234438_init 20261125234438_research_plan 20261125234439_plan_summary 20270201000000_feb 20261299000000_carry" ] ||
	fail "upgrade run order: $(rows u2)"
[ "$(psql_q "select count(*) from drizzle.__drizzle_migrations where applied_at is null" u2)" = 3 ] ||
	fail "upgraded rows keep applied_at NULL"
same_schema u1 u2
# Afterwards, each finds nothing pending after the other.
rc5 --url "$DB_URL" --folder up || fail "rc.5 after the migguard upgrade failed"
expect_exit 0 migguard-apply --migrations up --database-url "${DB_URL%/*}/u1"
expect_contains "$OUT" "Migration state: 5 applied, 5 expected, 0 pending"
[ "$(rows u1)" = "$(rows u2)" ] || fail "rows differ after the second runs"

# A 0.45 row that matches no folder: both refuse and change nothing.
for db in v1 v2; do
	pg_createdb $db
	d045 --url "$DB_URL" --folder j || fail "0.45 on $db failed"
	psql_q "insert into drizzle.__drizzle_migrations (hash, created_at) values ('deadbeef', 1600000000000)" $db
done
set +e
rc5 --url "${DB_URL%/*}/v1" --folder up 2>rc5.err
rc=$?
set -e
[ $rc = 1 ] || fail "rc.5 did not refuse (exit $rc)"
expect_contains "$(cat rc5.err)" "While upgrading your database migrations table we found 1 migrations (ids: 4) in the database that do not match any local migration"
expect_exit 1 migguard-apply --migrations up --database-url "$DB_URL"
expect_out "Database: $DB_URL (from --database-url)
up:1:1: error: row id 4 of \"drizzle\".\"__drizzle_migrations\" (created_at 1600000000000, hash deadbeef), written by drizzle-orm 0.45, matches no migration folder: drizzle's migrator refuses to upgrade the table and changes nothing (\"we found 1 migrations (ids: 4) in the database that do not match any local migration\") [applied-migration-missing]
  hint: restore the migration's folder (\`drizzle-kit up\` names it 20200913122640_<tag without its number>), or, if the database has migrations of another branch, recreate the local database and apply from zero"
expect_exit 1 migguard-apply --migrations up --database-url "$DB_URL" --dry-run
expect_contains "$OUT" "[applied-migration-missing]"
[ "$(rows v1)" = "$(rows v2)" ] || fail "refused tables differ"
same_schema v1 v2
[ "$(psql_q "select count(*) from information_schema.columns where table_name = '__drizzle_migrations' and column_name = 'name'" v2)" = 0 ] ||
	fail "the refused upgrade left a name column"

# A 0.45 row whose second holds one folder but another hash: rc.5 names
# it anyway (facts.txt 11c) and runs on; migguard stops, the file no
# longer being what was applied.
for db in w1 w2; do
	pg_createdb $db
	d045 --url "$DB_URL" --folder j || fail "0.45 on $db failed"
	psql_q "update drizzle.__drizzle_migrations set hash = 'edited' where id = 3" $db
done
rc5 --url "${DB_URL%/*}/w1" --folder up || fail "rc.5 (11c) failed"
[ "$(psql_q "select name from drizzle.__drizzle_migrations where id = 3" w1)" = 20261125234439_plan_summary ] ||
	fail "rc.5 did not name the edited row"
expect_exit 1 migguard-apply --migrations up --database-url "$DB_URL" --dry-run
expect_contains "$OUT" "  row 3 (created_at 1795650279342): name 20261125234439_plan_summary"
expect_contains "$OUT" "up/20261125234439_plan_summary/migration.sql:1:1: error: '20261125234439_plan_summary' was changed after it was applied (the database has hash edited, the file hashes 9f063be99bfc)"

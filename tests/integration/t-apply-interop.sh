# migguard-apply against drizzle-orm 0.45.4's real migrator
# (tests/interop/migrate.mjs, node-postgres): each finds nothing pending
# after the other, and both write identical rows and schemas.
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
need node "apt-get install -y nodejs npm"
need pg_dump "apt-get install -y postgresql-client-15"
sh "$MG_SOURCE_DIR/tests/interop/setup.sh" || fail "tests/interop/setup.sh failed"
pg_start
psql_q "CREATE ROLE authenticated" >/dev/null
cp -R "$MG_SOURCE_DIR/tests/fixtures/drizzle/step-02/src/migrations" fx

drizzle() {
	node "$MG_SOURCE_DIR/tests/interop/migrate.mjs" "$@"
}

rows() {
	psql_q "select id || ' ' || hash || ' ' || created_at from ${2:-drizzle.__drizzle_migrations} order by id" "$1"
}

# migguard first, then drizzle: nothing left for drizzle to do.
pg_createdb a
expect_exit 0 migguard-apply --migrations fx --database-url "$DB_URL"
expect_contains "$OUT" "Migration state: 0 applied, 3 expected, 3 pending"
before=$(rows a)
drizzle --url "$DB_URL" --folder fx || fail "drizzle after migguard failed"
[ "$(rows a)" = "$before" ] || fail "drizzle applied again after migguard"

# drizzle first, then migguard: nothing pending, no finding.
pg_createdb b
drizzle --url "$DB_URL" --folder fx || fail "drizzle failed"
expect_exit 0 migguard-apply --migrations fx --database-url "$DB_URL"
expect_out "Database: $DB_URL (from --database-url)
Migration state: 3 applied, 3 expected, 0 pending"

# Same rows (id, hash, created_at) and the same schema either way.
[ "$(rows a)" = "$(rows b)" ] || fail "rows differ: $(rows a) / $(rows b)"
pg_dump -s -d a | grep -v '^--\|^.restrict\|^.unrestrict' >a.sql
pg_dump -s -d b | grep -v '^--\|^.restrict\|^.unrestrict' >b.sql
diff a.sql b.sql >&2 || fail "schemas differ"

# Half each: drizzle applies the first two, migguard the third.
pg_createdb c
mkdir -p half/meta
cp fx/0000_init.sql fx/0001_research_plan.sql half/
node -e 'const fs = require("fs");
const j = JSON.parse(fs.readFileSync("fx/meta/_journal.json", "utf8"));
j.entries = j.entries.slice(0, 2);
fs.writeFileSync("half/meta/_journal.json", JSON.stringify(j, null, 2));'
drizzle --url "$DB_URL" --folder half || fail "drizzle (half) failed"
expect_exit 0 migguard-apply --migrations fx --database-url "$DB_URL"
expect_contains "$OUT" "Migration state: 2 applied, 3 expected, 1 pending"
drizzle --url "$DB_URL" --folder fx || fail "drizzle after half failed"
[ "$(rows c)" = "$(rows a)" ] || fail "half-and-half rows differ"

# Custom schema and table names, both ways.
pg_createdb d
expect_exit 0 migguard-apply --migrations fx --database-url "$DB_URL" \
	--migrations-schema ops --migrations-table applied
drizzle --url "$DB_URL" --folder fx --schema ops --table applied ||
	fail "drizzle (custom table) failed"
[ "$(rows d ops.applied)" = "$(rows a)" ] || fail "custom table rows differ"
[ "$(psql_q "select count(*) from pg_namespace where nspname = 'drizzle'" d)" = 0 ] ||
	fail "drizzle schema created despite the custom one"

# The premise of migration-would-be-skipped: drizzle really skips an
# entry older than the newest applied one, and says nothing.
pg_createdb e
make_migrations m 3
drizzle --url "$DB_URL" --folder m || fail "drizzle (m) failed"
make_migrations m 4
sed -i 's/"when": 1700000003000/"when": 1700000001500/' m/meta/_journal.json
drizzle --url "$DB_URL" --folder m || fail "drizzle (skip) failed"
[ "$(psql_q "select count(*) from drizzle.__drizzle_migrations" e)" = 3 ] ||
	fail "drizzle did not skip"
[ "$(psql_q "select count(*) from pg_tables where tablename = 't3'" e)" = 0 ] ||
	fail "drizzle ran the skipped migration"
expect_exit 1 migguard-apply --migrations m --database-url "$DB_URL"
expect_contains "$OUT" "'0003_m3' is not applied and its when (1700000001500) is not after the newest applied one (1700000002000)"

# A table upgraded by drizzle 1.0 (name, applied_at): migguard fills name
# as drizzle-kit 1.0's `up` names the folder, so 1.0 does not re-run it.
pg_createdb f
psql_q 'CREATE SCHEMA drizzle; CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint, name text, applied_at timestamp with time zone DEFAULT now())' f
make_migrations m 2
expect_exit 0 migguard-apply --migrations m --database-url "$DB_URL"
[ "$(psql_q "select string_agg(name, ' ' order by id) from drizzle.__drizzle_migrations" f)" = "20231114221320_m0 20231114221321_m1" ] ||
	fail "name column: $(psql_q "select string_agg(name, ' ') from drizzle.__drizzle_migrations" f)"

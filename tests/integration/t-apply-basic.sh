# migguard-apply on a real PostgreSQL: apply, re-run, exact state lines,
# drizzle's rows, --dry-run, --fresh, where the URL comes from, masking.
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
pg_start
make_migrations m 3
pg_createdb app
APP_URL=$DB_URL

# Apply to an empty database, then nothing is pending.
expect_exit 0 migguard-apply --migrations m --database-url "$DB_URL"
expect_out "Database: $DB_URL (from --database-url)
Migration state: 0 applied, 3 expected, 3 pending
Applied 3 migrations: 3 applied, 3 expected"
expect_err "migguard: 0 errors, 0 warnings"
expect_exit 0 migguard-apply --migrations m --database-url "$DB_URL"
expect_out "Database: $DB_URL (from --database-url)
Migration state: 3 applied, 3 expected, 0 pending"

# drizzle's rows: sha256 of the whole file, created_at = when.
rows=$(psql_q "select hash || ' ' || created_at from drizzle.__drizzle_migrations order by id" app)
want=$(for f in 0000_m0 0001_m1 0002_m2; do
	sha256sum "m/$f.sql" | cut -d' ' -f1 | tr '\n' ' '
	case $f in 0000*) echo 1700000000000 ;; 0001*) echo 1700000001000 ;; *) echo 1700000002000 ;; esac
done)
[ "$rows" = "$want" ] || fail "rows differ: $rows / $want"
[ "$(psql_q "select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'drizzle.__drizzle_migrations'::regclass and attnum > 0 order by attnum" app | tr '\n' ' ')" = "integer text bigint " ] ||
	fail "table DDL differs from drizzle's"

# Two new migrations: only they run.
make_migrations m 5
expect_exit 0 migguard-apply --migrations m --database-url "$DB_URL"
expect_contains "$OUT" "Migration state: 3 applied, 5 expected, 2 pending"
[ "$(psql_q "select count(*) from drizzle.__drizzle_migrations" app)" = 5 ] || fail "count"

# --dry-run: everything rolled back, even the drizzle schema.
pg_createdb dry
DRY_URL=$DB_URL
DB_URL=$APP_URL
expect_exit 0 migguard-apply --migrations m --database-url "$DRY_URL" --dry-run
expect_contains "$OUT" "Migration state: 0 applied, 5 expected, 5 pending
Dry run: 5 migrations applied, then rolled back"
[ "$(psql_q "select count(*) from pg_namespace where nspname = 'drizzle'" dry)" = 0 ] ||
	fail "--dry-run left the drizzle schema"
[ "$(psql_q "select count(*) from pg_tables where tablename like 't%'" dry)" = 0 ] ||
	fail "--dry-run left tables"

# --fresh: a scratch database, all from zero, dropped afterwards.
before=$(psql_q "select count(*) from pg_database")
expect_exit 0 migguard-apply --migrations m --database-url "$DB_URL" --fresh
expect_contains "$OUT" "Scratch database: migguard_fresh_"
expect_contains "$OUT" "Migration state: 0 applied, 5 expected, 5 pending
Applied 5 migrations: 5 applied, 5 expected"
[ "$(psql_q "select count(*) from pg_database")" = "$before" ] ||
	fail "--fresh left its database"

# --json keeps stdout for data; the state goes to stderr.
expect_exit 0 migguard-apply --migrations m --database-url "$DB_URL" --format json
expect_out '{"version":1,"findings":[],"summary":{"errors":0,"warnings":0}}'
expect_contains "$ERR" "Migration state: 5 applied, 5 expected, 0 pending"

# The URL: option, then $DATABASE_URL, then .env; the password masked.
secret="pw-$$-Zq9"
url_pw="postgres://postgres:$secret@127.0.0.1:$PGPORT/app"
expect_exit 0 env DATABASE_URL="$url_pw" migguard-apply --migrations m
expect_contains "$OUT" "Database: postgres://postgres:***@127.0.0.1:$PGPORT/app (from \$DATABASE_URL)"
expect_not_contains "$OUT$ERR" "$secret"
printf '# local\nexport DATABASE_URL="%s" # docker\n' "$url_pw" >.env
expect_exit 0 env -u DATABASE_URL migguard-apply --migrations m
expect_contains "$OUT" "(from DATABASE_URL in .env:2)"
expect_not_contains "$OUT$ERR" "$secret"
rm .env
expect_exit 2 env -u DATABASE_URL migguard-apply --migrations m
expect_contains "$ERR" "migguard-apply: error: no database URL: pass --database-url, set DATABASE_URL"

# key=value strings and unix sockets work; passwords masked there too.
expect_exit 0 migguard-apply --migrations m \
	--database-url "host=$PGHOST port=$PGPORT user=postgres dbname=app password=$secret"
expect_contains "$OUT" "dbname=app password=*** (from --database-url)"
expect_not_contains "$OUT$ERR" "$secret"
expect_contains "$OUT" "Migration state: 5 applied, 5 expected, 0 pending"

# Custom schema and table names.
expect_exit 0 migguard-apply --migrations m --database-url "$DRY_URL" \
	--migrations-schema "my schema" --migrations-table log
expect_contains "$OUT" "Migration state: 0 applied, 5 expected, 5 pending"
[ "$(psql_q 'select count(*) from "my schema".log' dry)" = 5 ] || fail "custom table"
[ "$(psql_q "select count(*) from pg_namespace where nspname = 'drizzle'" dry)" = 0 ] ||
	fail "custom schema: drizzle schema created anyway"

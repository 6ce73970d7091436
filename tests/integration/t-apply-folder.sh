# migguard-apply on the folder layout of drizzle 1.0 (the 1.0.0-rc.5
# migrator's rules, tests/fixtures/drizzle-1.0/README and facts.txt): the
# real rc.5 fixtures step-00..06 applied in order with the exact rows rc.5
# writes, and what rc.5 lets through silently, as findings before anything
# runs. t-apply-folder-interop.sh runs the real rc.5 migrator beside it.
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
need pg_dump "apt-get install -y postgresql-client-15"
pg_start
psql_q "CREATE ROLE authenticated" >/dev/null
pg_createdb app
fx=$MG_SOURCE_DIR/tests/fixtures/drizzle-1.0

# pgvector is not installed for PostgreSQL 15 here (no vector.control in
# /usr/share/postgresql/15/extension), so the test's copy of step 03's
# custom migration creates pgcrypto (PostgreSQL's contrib) instead of
# vector: the one statement that needs it, replaced the same way in every
# copy either migrator reads (t-apply-folder-interop.sh does the same).
no_pgvector() {
	for f in "$1"/*_enable_pgvector/migration.sql; do
		[ -f "$f" ] || continue
		sed 's/CREATE EXTENSION IF NOT EXISTS vector;/CREATE EXTENSION IF NOT EXISTS pgcrypto;/' \
			"$f" >"$f.new"
		mv "$f.new" "$f"
	done
}

# step NN: fixture step NN's migrations folder as m/.
step() {
	rm -rf m
	cp -R "$fx/step-$1/src/migrations" m
	no_pgvector m
}

# millis NAME: rc.5's created_at, Date.UTC of the name's first 14 digits.
millis() {
	d=$(printf '%s' "$1" | sed 's/^\(....\)\(..\)\(..\)\(..\)\(..\)\(..\).*/\1-\2-\3 \4:\5:\6/')
	echo "$(date -u -d "$d" +%s)000"
}

# The rows rc.5 writes for the folders of m/ applied in order (id, sha256
# of migration.sql, millis, folder name, applied_at set).
want_rows() {
	i=0
	for d in m/*/; do
		n=$(basename "$d")
		i=$((i + 1))
		printf '%s|%s|%s|%s|f\n' "$i" \
			"$(sha256sum "$d/migration.sql" | cut -c1-64)" \
			"$(millis "$n")" "$n"
	done
}

rows() {
	psql_q "select id, hash, created_at, name, applied_at is null from drizzle.__drizzle_migrations order by id" "${1:-app}"
}

apply() {
	migguard-apply --migrations m --database-url "$DB_URL" "$@"
}

# Step 00 on an empty database: the table exactly as rc.5 creates it.
step 00
expect_exit 0 apply
expect_out "Database: $DB_URL (from --database-url)
Migration state: 0 applied, 1 expected, 1 pending
Applied 1 migration: 1 applied, 1 expected"
[ "$(psql_q "select column_name || ' ' || data_type || ' ' || coalesce(column_default, '-') || ' ' || is_nullable from information_schema.columns where table_schema = 'drizzle' and table_name = '__drizzle_migrations' order by ordinal_position" app)" = "id integer nextval('drizzle.__drizzle_migrations_id_seq'::regclass) NO
hash text - NO
created_at bigint - YES
name text - YES
applied_at timestamp with time zone now() YES" ] || fail "the migrations table is not rc.5's"
# The row rc.5 wrote for the same folder (facts.txt, scenario 1).
[ "$(rows)" = "1|bd0929771c15384ff44a0ac9d26d5d0beaa7c038e50cfa423b97faee51f49881|1796293197000|20261203101957_init|f" ] ||
	fail "step 00 row: $(rows)"

# Steps 01..06, one at a time: one pending each, the rows rc.5 writes.
n=1
for s in 01 02 03 04 05 06; do
	step $s
	expect_exit 0 apply
	expect_out "Database: $DB_URL (from --database-url)
Migration state: $n applied, $((n + 1)) expected, 1 pending
Applied 1 migration: $((n + 1)) applied, $((n + 1)) expected"
	[ "$(rows)" = "$(want_rows)" ] || fail "step $s rows: $(rows)"
	n=$((n + 1))
done
[ "$(psql_q "select string_agg(tablename, ' ' order by tablename) from pg_tables where schemaname = 'public'" app)" = "organization research_plan user" ] ||
	fail "tables after step 06"
[ "$(psql_q "select count(*) from pg_extension where extname = 'pgcrypto'" app)" = 1 ] ||
	fail "step 03 did not run"
expect_exit 0 apply
expect_out "Database: $DB_URL (from --database-url)
Migration state: 7 applied, 7 expected, 0 pending"
all=$(rows)

# An applied folder renamed: rc.5 sees a new name and runs it again.
mv m/20261203102035_drop_research_step m/20261203102036_drop_research_step
expect_exit 1 apply
expect_out "Database: $DB_URL (from --database-url)
Migration state: 7 applied, 7 expected, 1 pending
m/20261203102036_drop_research_step/migration.sql:1:1: error: '20261203102035_drop_research_step' was applied (row id 7) and its folder is gone, but '20261203102036_drop_research_step' holds the same migration.sql: a renamed folder, which drizzle's migrator runs again as a new one (a statement that cannot run twice fails the run, others leave a second row with the same hash) [applied-migration-missing]
  hint: rename the folder back to '20261203102035_drop_research_step' (or, if the new name is meant, set name = '20261203102036_drop_research_step' in row 7)"
[ "$(rows)" = "$all" ] || fail "rows changed after the rename"

# An applied folder deleted: rc.5 says nothing.
rm -r m/20261203102036_drop_research_step
expect_exit 1 apply
h=$(printf '%s' "$all" | sed -n '7s/^7|\(.\{12\}\).*/\1/p')
expect_out "Database: $DB_URL (from --database-url)
Migration state: 7 applied, 6 expected, 0 pending
m:1:1: error: '20261203102035_drop_research_step' was applied (row id 7, hash $h) but its folder is gone: drizzle's migrator says nothing, and the database keeps what it did [applied-migration-missing]
  hint: restore the folder (git log --diff-filter=D names the commit that removed it), or, if the database has migrations of another branch, recreate the local database and apply from zero"
expect_contains "$ERR" "migguard: 1 error, 0 warnings"

# An applied migration.sql edited: rc.5 never compares the hash.
step 06
printf '\nALTER TABLE "research_plan" ADD COLUMN "notes" text;' \
	>>m/20261203102025_rename_summary/migration.sql
new=$(sha256sum m/20261203102025_rename_summary/migration.sql | cut -c1-12)
old=$(printf '%s' "$all" | sed -n '5s/^5|\(.\{12\}\).*/\1/p')
expect_exit 1 apply
expect_out "Database: $DB_URL (from --database-url)
Migration state: 7 applied, 7 expected, 0 pending
m/20261203102025_rename_summary/migration.sql:1:1: error: '20261203102025_rename_summary' was changed after it was applied (the database has hash $old, the file hashes $new): drizzle's migrator never compares them, so the change will never reach a database that already applied it [applied-migration-modified]
  hint: restore the file as it was applied and put the change in a new migration"

# A row without name (a table written by hand): rc.5 does not count it,
# and runs its migration again.
step 06
psql_q "update drizzle.__drizzle_migrations set name = null where id = 7" app
expect_exit 1 apply
h=$(printf '%s' "$all" | sed -n '7s/^7|\(.\{12\}\).*/\1/p')
expect_out "Database: $DB_URL (from --database-url)
Migration state: 7 applied, 7 expected, 1 pending
m/20261203102035_drop_research_step/migration.sql:1:1: error: the migrations table has a row (id 7, hash $h) without name: drizzle's migrator does not count it, and runs '20261203102035_drop_research_step', which has its hash, again [applied-migration-modified]
  hint: set the row's name to the folder's name, or delete the row"
psql_q "update drizzle.__drizzle_migrations set name = '20261203102035_drop_research_step' where id = 7" app
[ "$(rows)" = "$all" ] || fail "rows changed"

# An out-of-order folder (older than every applied one) runs, as in rc.5.
mkdir m/20200101000000_late
printf 'CREATE TABLE IF NOT EXISTS "late" ("id" integer);' >m/20200101000000_late/migration.sql
expect_exit 0 apply
expect_out "Database: $DB_URL (from --database-url)
Migration state: 7 applied, 8 expected, 1 pending
Applied 1 migration: 8 applied, 8 expected"
[ "$(rows)" = "$all
8|$(sha256sum m/20200101000000_late/migration.sql | cut -c1-64)|1577836800000|20200101000000_late|f" ] ||
	fail "out-of-order row: $(rows)"
all=$(rows)

# --dry-run: what runs, in its order; the database stays as it was.
schema() { pg_dump -s -d app | grep -v '^--\|^.restrict\|^.unrestrict'; }
schema >before.sql
mkdir m/20300101000001_more m/20300101000000_most
printf 'CREATE TABLE "more" ("id" integer);' >m/20300101000001_more/migration.sql
printf 'CREATE TABLE "most" ("id" integer);' >m/20300101000000_most/migration.sql
expect_exit 0 apply --dry-run
expect_out "Database: $DB_URL (from --database-url)
Migration state: 8 applied, 10 expected, 2 pending
  pending: 20300101000000_most
  pending: 20300101000001_more
Dry run: 2 migrations applied, then rolled back"
schema >after.sql
diff before.sql after.sql >&2 || fail "the dry run changed the schema"
[ "$(rows)" = "$all" ] || fail "the dry run changed the rows"
rm -r m/20300101000001_more m/20300101000000_most

# A folder not named <YYYYMMDDHHMMSS>_<name>: rc.5 fails the whole run when
# it records it (created_at NaN); refused here before connecting.
mkdir m/manual_fix
printf 'CREATE TABLE "manual" ("id" integer);' >m/manual_fix/migration.sql
expect_exit 1 apply --database-url postgres://postgres@127.0.0.1:1/nothing
expect_out "Database: postgres://postgres@127.0.0.1:1/nothing (from --database-url)
m/manual_fix/migration.sql:1:1: error: migration folder 'manual_fix' does not start with 14 digits (YYYYMMDDHHMMSS): drizzle's migrator reads its created_at as NaN, and recording it fails the whole run (invalid input syntax for type bigint: \"NaN\") [apply-failed]
  hint: rename the folder to <YYYYMMDDHHMMSS>_<name> (the UTC time, as drizzle-kit generate names folders), later than the folders it must follow"
rm -r m/manual_fix

# CONCURRENTLY cannot run in the one transaction: nothing is applied, the
# other pending migration neither.
mkdir m/20300101000000_t m/20300101000001_concurrently
printf 'CREATE TABLE "t" ("id" integer);' >m/20300101000000_t/migration.sql
printf 'CREATE INDEX CONCURRENTLY "t_id_idx" ON "t" ("id");' >m/20300101000001_concurrently/migration.sql
expect_exit 1 apply
expect_out "Database: $DB_URL (from --database-url)
Migration state: 8 applied, 10 expected, 2 pending
m/20300101000001_concurrently/migration.sql:1:1: error: CREATE INDEX CONCURRENTLY cannot run inside a transaction block [apply-failed]
  hint: nothing was applied: the 2 pending migrations ran in one transaction, rolled back"
[ "$(rows)" = "$all" ] || fail "rows changed after the failed run"
[ "$(psql_q "select count(*) from pg_tables where tablename = 't'" app)" = 0 ] ||
	fail "the other pending migration was not rolled back"
rm -r m/20300101000000_t m/20300101000001_concurrently

# A folder with a snapshot and no migration.sql: rc.5 never runs it.
mkdir m/20300101000000_snapshot_only
cp m/20261203102035_drop_research_step/snapshot.json m/20300101000000_snapshot_only/
expect_exit 0 apply
expect_out "Database: $DB_URL (from --database-url)
Migration state: 8 applied, 8 expected, 0 pending"
rm -r m/20300101000000_snapshot_only

# Two runs at once on a new database: the lock makes the second find
# everything applied.
pg_createdb two
step 06
migguard-apply --migrations m --database-url "$DB_URL" >out1 2>err1 &
p1=$!
migguard-apply --migrations m --database-url "$DB_URL" >out2 2>err2 &
p2=$!
wait "$p1" || { cat out1 err1 >&2; fail "first concurrent run failed"; }
wait "$p2" || { cat out2 err2 >&2; fail "second concurrent run failed"; }
[ "$(rows two)" = "$(want_rows)" ] || fail "concurrent rows: $(rows two)"
expect_contains "$(cat out1 out2)" "Migration state: 0 applied, 7 expected, 7 pending"
expect_contains "$(cat out1 out2)" "Migration state: 7 applied, 7 expected, 0 pending"

# --fresh: all from zero in a scratch database, dropped afterwards.
expect_exit 0 apply --fresh
expect_contains "$OUT" "Migration state: 0 applied, 7 expected, 7 pending
Applied 7 migrations: 7 applied, 7 expected"
[ "$(psql_q "select count(*) from pg_database where datname like 'migguard_fresh_%'")" = 0 ] ||
	fail "scratch database left behind"

# Both layouts at once (an unfinished `drizzle-kit up`): rc.5 refuses
# while meta/_journal.json exists; nothing is applied (exit 2).
step 06
two=$(rows two)
cp -R "$MG_SOURCE_DIR/tests/fixtures/drizzle/step-02/src/migrations/meta" m/
expect_exit 2 apply
expect_err "migguard-apply: error: migrations in both drizzle layouts at once: 'm/meta/_journal.json' (drizzle-kit 0.31) and 7 migration folders such as 'm/20261203101957_init/migration.sql' (drizzle-kit 1.0): an unfinished \`drizzle-kit up\`: the 1.0 migrator refuses to run while meta/_journal.json exists, and 0.45 ignores the folders; run \`drizzle-kit up\` with drizzle-kit 1.0 and commit its result (meta/ removed), or remove the folders to stay on 0.31"
[ "$(rows two)" = "$two" ] || fail "rows changed"

# A repository: the project from drizzle.config.ts, --rev, and the
# pre-push hook's apply (dry-run by default).
pg_createdb repo
unset DATABASE_URL
new_repo r
cp -R "$fx/step-05/." r/
no_pgvector r/src/migrations
printf 'DATABASE_URL="%s"\n' "$DB_URL" >r/.env
printf '.env\n' >r/.gitignore
commit_all r "step 05"
rm -rf r/src/migrations
cp -R "$fx/step-06/." r/
no_pgvector r/src/migrations
cd r
expect_exit 0 migguard-apply --rev HEAD --dry-run
expect_out "Database: $DB_URL (from DATABASE_URL in .env:1)
Migration state: 0 applied, 6 expected, 6 pending
  pending: 20261203101957_init
  pending: 20261203102004_research_plan
  pending: 20261203102012_plan_summary
  pending: 20261203102017_enable_pgvector
  pending: 20261203102025_rename_summary
  pending: 20261203102030_research_step
Dry run: 6 migrations applied, then rolled back"
expect_exit 0 migguard-apply
expect_contains "$OUT" "Migration state: 0 applied, 7 expected, 7 pending"
[ "$(rows repo)" = "$(cd .. && step 06 && want_rows)" ] || fail "repository rows: $(rows repo)"
# The push checks its commits against the database, the static checks
# beside it (lint is skipped: step 06 drops a table, a review gate that
# is not this scenario's; the remote is new, so nothing was published).
git init -q --bare ../remote.git
git remote add origin "$MG_TMP/remote.git"
commit_all . "step 06"
rm -r src/migrations/20261203102035_drop_research_step
commit_all . "drop a published migration"
expect_exit 0 migguard install
MIGGUARD_SKIP=lint expect_exit 1 git push -q origin main
expect_contains "$ERR" "migguard: pre-push apply (dry-run) of 'src/migrations'"
expect_contains "$ERR" "Migration state: 7 applied, 6 expected, 0 pending"
expect_contains "$ERR" "src/migrations:1:1: error: '20261203102035_drop_research_step' was applied (row id 7,"
expect_contains "$ERR" "[applied-migration-missing]"
git reset -q --hard HEAD~1
MIGGUARD_SKIP=lint expect_exit 0 git push -q origin main
expect_contains "$ERR" "Migration state: 7 applied, 7 expected, 0 pending"

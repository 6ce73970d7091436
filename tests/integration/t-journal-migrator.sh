# Another migrator runs the folder: a journal that lists a fraction of the
# SQL files is said once (journal-partial) with the setting that fits;
# "migrator": "supabase" / "none" turn the journal (and apply) rules off,
# pair and lint still run.
new_repo r
cd r
copy_step 00 .
m=packages/db/src/migrations
s=packages/db/src/schema
for t in 20240101000000_a 20240102000000_b 20240103000000_c \
	20240104000000_d 20240105000000_e; do
	printf 'CREATE TABLE IF NOT EXISTS "%s" ("id" integer);\n' "$t" >$m/$t.sql
done
commit_all . "supabase migrations beside drizzle's journal"

# One finding, not five orphan-sql errors.
expect_exit 1 migguard check --all
expect_contains "$OUT" "$m/meta/_journal.json:"
expect_contains "$OUT" ": error: the journal lists 1 of the 6 SQL files in '$m': drizzle's migrator never applies the other 5 [journal-partial]"
expect_contains "$OUT" '"migrator": "supabase"'
expect_not_contains "$OUT" "[orphan-sql]"

# Declared: the journal rules are off, lint still runs.
cat >.migguard.json <<'JSON'
{
  "projects": [
    {"name": "db", "schema": "packages/db/src/schema",
     "migrations": "packages/db/src/migrations", "migrator": "supabase"}
  ]
}
JSON
commit_all . "declare supabase"
expect_exit 0 migguard check --all
expect_not_contains "$OUT" "[journal-"
expect_not_contains "$OUT" "[orphan-"
printf 'DROP TABLE "20240101000000_a";\n' >$m/20240106000000_f.sql
git add -A
expect_exit 1 migguard check
expect_contains "$OUT" "$m/20240106000000_f.sql:1:12: error: table \"20240101000000_a\" is dropped [drop-table]"
expect_not_contains "$OUT" "orphan-sql"
expect_not_contains "$OUT" "migration-incomplete"
git reset -q --hard

# Pair: a new .sql file pairs a schema edit; the edit alone does not.
# (a new enum: a change drizzle-kit turns into SQL)
echo 'export const color = pgEnum("color", ["red", "blue"]);' >>$s/enums.ts
git add -A
expect_exit 1 migguard check
expect_contains "$OUT" "[schema-without-migration]"
printf 'ALTER TABLE "x" ADD COLUMN IF NOT EXISTS "y" integer;\n' >$m/20240107000000_g.sql
git add -A
expect_exit 0 migguard check
git reset -q --hard

# "none": no journal or apply rules.
sed -i 's/"supabase"/"none"/' .migguard.json
commit_all . "no migrator"
expect_exit 0 migguard check --all
expect_not_contains "$OUT" "[journal-"
expect_exit 2 migguard-apply --dry-run --database-url postgres://localhost/none
expect_contains "$ERR" "project 'db' declares \"migrator\": \"none\" in .migguard.json"

# Strict config: anything else is exit 2, with the place.
sed -i 's/"none"/"flyway"/' .migguard.json
commit_all . "unknown migrator"
expect_exit 2 migguard check --all
expect_contains "$ERR" ".migguard.json:4:"
expect_contains "$ERR" "\"migrator\" must be \"drizzle\", \"supabase\" or \"none\", not 'flyway'"

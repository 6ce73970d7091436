# A project that was not on PostgreSQL is not checked, and its migrations
# were never applied to a PostgreSQL database: drizzle-kit before 0.21
# named the database in `driver` ('libsql', 'turso', 'better-sqlite',
# ...), and a project that moves to PostgreSQL regenerates its
# migrations without editing anything published.
new_repo r
cd r
printf '# app\n' >README.md
commit_all . "readme"
printf '{"name": "app", "scripts": {"db:generate": "drizzle-kit generate"}}\n' >package.json
cat >drizzle.config.ts <<'TS'
export default {
  out: './migrations',
  schema: './src/models/schema.ts',
  driver: 'libsql',
} satisfies Config;
TS
mkdir -p migrations/meta src/models
printf 'CREATE TABLE `guestbook` (\n\t`id` integer PRIMARY KEY NOT NULL\n);\n' >migrations/0000_init.sql
printf '{\n  "version": "5",\n  "dialect": "sqlite",\n  "id": "00000000-0000-4000-8000-000000000001",\n  "prevId": "00000000-0000-0000-0000-000000000000",\n  "tables": {}\n}\n' >migrations/meta/0000_snapshot.json
printf '{\n  "version": "5",\n  "dialect": "sqlite",\n  "entries": [\n    {\n      "idx": 0,\n      "version": "5",\n      "when": 1692800000000,\n      "tag": "0000_init",\n      "breakpoints": true\n    }\n  ]\n}\n' >migrations/meta/_journal.json
printf "export const guestbook = sqliteTable('guestbook', { id: integer('id').primaryKey() });\n" >src/models/schema.ts
commit_all . "turso"
expect_exit 0 migguard check --base HEAD^
expect_out ""
expect_err "migguard: no drizzle project found (no tracked drizzle.config.* for postgresql, no \"projects\" in .migguard.json): nothing checked
migguard: 0 errors, 0 warnings"

# The move to PostgreSQL: the config, the schema and migration 0000
# generated again, under the same tag.
cat >drizzle.config.ts <<'TS'
export default {
  out: './migrations',
  schema: './src/models/schema.ts',
  dialect: 'postgresql',
} satisfies Config;
TS
printf 'CREATE TABLE "guestbook" (\n\t"id" serial PRIMARY KEY NOT NULL\n);\n' >migrations/0000_init.sql
printf '{\n  "id": "00000000-0000-4000-8000-000000000002",\n  "prevId": "00000000-0000-0000-0000-000000000000",\n  "version": "7",\n  "dialect": "postgresql",\n  "tables": {"public.guestbook": {"name": "guestbook"}},\n  "enums": {},\n  "schemas": {},\n  "sequences": {},\n  "roles": {},\n  "policies": {},\n  "views": {},\n  "_meta": {"columns": {}, "schemas": {}, "tables": {}}\n}\n' >migrations/meta/0000_snapshot.json
printf '{\n  "version": "7",\n  "dialect": "postgresql",\n  "entries": [\n    {\n      "idx": 0,\n      "version": "7",\n      "when": 1719279419936,\n      "tag": "0000_init",\n      "breakpoints": true\n    }\n  ]\n}\n' >migrations/meta/_journal.json
printf "export const guestbook = pgTable('guestbook', { id: serial('id').primaryKey() });\n" >src/models/schema.ts
commit_all . "switch to postgres"
expect_exit 0 migguard check --base HEAD^
expect_out ""
expect_err "migguard: 0 errors, 0 warnings"
# Once on PostgreSQL, an edit of 0000 is one.
printf -- '-- edited\n' >>migrations/0000_init.sql
commit_all . "edit"
expect_exit 1 migguard-journal --base HEAD^
expect_contains "$OUT" "published migration file '0000_init.sql' was edited [migration-edited]"

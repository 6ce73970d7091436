# drizzle-kit resolves "schema" and "out" against the folder it runs in:
# the package.json folder whose script passes --config, not the config's
# folder. Every run says what it checked; a config whose folders are not
# in the tree is named, never a silent pass.
new_repo r
cd r
f="$MG_SOURCE_DIR/tests/fixtures/drizzle/step-01/src"
mkdir -p server/db
cp -R "$f/schema" server/db/schema
cp -R "$f/migrations" server/db/migrations
cat >server/db/drizzle.config.ts <<'TS'
import { defineConfig } from "drizzle-kit";
export default defineConfig({
  dialect: "postgresql",
  schema: "./server/db/schema/index.ts",
  out: "./server/db/migrations",
});
TS
cat >package.json <<'JSON'
{"name": "app", "scripts": {"db:generate": "drizzle-kit generate --config server/db/drizzle.config.ts", "db:migrate": "drizzle-kit migrate --config=server/db/drizzle.config.ts"}}
JSON
commit_all . "App with its database under server/db"

expect_exit 0 migguard check --base HEAD
expect_err "migguard: 0 errors, 0 warnings"
expect_contains "$ERR" "migguard: checked server/db (drizzle.config.ts, 2 migrations)"

echo 'export const audit = pgTable("audit", {});' >>server/db/schema/research.ts
git add -A
expect_exit 1 migguard-pair
expect_contains "$OUT" "server/db/schema/research.ts:17:1: error: schema file 'server/db/schema/research.ts' modified without a generated migration: pgTable \"audit\" added; no new .sql, snapshot and journal entry in 'server/db/migrations' [schema-without-migration]
  hint: run 'npm run db:generate', then git add server/db/migrations;"
git reset -q --hard

# The migrations folder moves ("out" changes): nothing was generated, no
# schema change is needed.
git mv server/db/migrations server/db/drizzle
sed -i 's|./server/db/migrations|./server/db/drizzle|' server/db/drizzle.config.ts
git commit -q -a -m "Move the migrations"
expect_exit 0 migguard-pair --base HEAD~1
expect_out ""
expect_contains "$ERR" "migguard: checked server/db (drizzle.config.ts, 2 migrations)"

# The config's folders are not in the tree: said, with what was looked for.
sed -i 's|./server/db/schema/index.ts|./db/schema/index.ts|' server/db/drizzle.config.ts
git commit -q -a -m "Wrong schema path"
expect_exit 0 migguard-pair --base HEAD~1
expect_contains "$ERR" "migguard: server/db/drizzle.config.ts: the schema 'db/schema/index.ts' is not in"
expect_contains "$ERR" "(paths resolved against '.', where drizzle-kit runs): nothing to pair"

# No drizzle project at all: said too.
git rm -q -r server package.json
git commit -q -m "No database"
expect_exit 0 migguard check --base HEAD~1
expect_contains "$ERR" "migguard: no drizzle project found"

# One migration is "1 migration".
cd "$MG_TMP"
new_repo one
copy_step 00 one
commit_all one "init"
cd one
expect_exit 0 migguard check --base HEAD
expect_contains "$ERR" "migguard: checked packages/db (drizzle.config.ts, 1 migration)"

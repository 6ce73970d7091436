# git push runs the pre-push apply (apply.prePush) against the local
# database, and is stopped by a failing migration.
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
pg_start
psql_q "CREATE ROLE authenticated" >/dev/null
pg_createdb app
unset DATABASE_URL
git init -q --bare remote.git
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 1 r
cd r
git remote add origin "$MG_TMP/remote.git"
printf 'DATABASE_URL="%s"\n' "$DB_URL" > packages/db/.env
# The fixture's history has lint findings of its own: keep to apply here.
rules='"rules": {"enum-without-guard": "off", "rls-missing": "off", "rls-policy-missing": "off"}'
printf '{%s}' "$rules" > .migguard.json
git add .migguard.json
git commit -q -m "config"
expect_exit 0 migguard install
rows() { psql -d app -tAc "SELECT count(*) FROM drizzle.__drizzle_migrations" 2>/dev/null || echo none; }

# Default dry-run: the push is checked against the database, which is
# left as it was.
expect_exit 0 git push -q origin main
expect_contains "$ERR" "migguard: pre-push apply (dry-run) of 'packages/db/src/migrations'"
expect_contains "$ERR" "Migration state: 0 applied, 2 expected, 2 pending"
expect_contains "$ERR" "Dry run: 2 migrations applied, then rolled back"
[ "$(rows)" = none ] || fail "dry-run left rows: $(rows)"

# A migration that fails in PostgreSQL stops the push, naming file:line.
copy_step 02 .
printf 'DATABASE_URL="%s"\n' "$DB_URL" > packages/db/.env
printf '%s\n' '--> statement-breakpoint' 'ALTER TABLE "research_plan" ADD COLUMN "x" nosuchtype;' \
	>> packages/db/src/migrations/0002_plan_summary.sql
git add -A
git commit -q --no-verify -m "bad migration"
expect_exit 1 git push -q origin main
expect_contains "$ERR" "packages/db/src/migrations/0002_plan_summary.sql:3:44: error: type \"nosuchtype\" does not exist [apply-failed]"
expect_contains "$ERR" "type \"nosuchtype\" does not exist [apply-failed]"
expect_contains "$ERR" "migguard: push stopped"
[ "$(git rev-parse origin/main)" = "$(git rev-parse HEAD~1)" ] || fail "bad push went through"
[ "$(rows)" = none ] || fail "failed apply left rows"
git reset -q --hard HEAD~1

# apply.prePush "apply": the migrations are applied for real.
copy_step 02 .
printf '{%s, "apply": {"prePush": "apply"}}' "$rules" > .migguard.json
git add -A
git commit -q -m "plan summary"
printf 'DATABASE_URL="%s"\n' "$DB_URL" > packages/db/.env
expect_exit 0 git push -q origin main
expect_contains "$ERR" "Migration state: 0 applied, 3 expected, 3 pending"
[ "$(rows)" = 3 ] || fail "apply did not apply: $(rows)"

# No database and apply.required: the push is stopped (exit 2)...
copy_step 03 .
printf '{%s, "apply": {"prePush": "dry-run", "required": true}}' "$rules" > .migguard.json
printf 'DATABASE_URL="postgres://postgres@127.0.0.1:1/app"\n' > packages/db/.env
git add -A
git commit -q -m "custom migration"
expect_exit 1 git push -q origin main
expect_contains "$ERR" "migguard-apply: error:"
expect_contains "$ERR" "127.0.0.1:1"
expect_contains "$ERR" "docker compose up -d"
# ... MIGGUARD_SKIP=apply lets it through, and says so.
# ... skipping every static check skips exactly those: the apply still
# runs (and stops the push), and the hook says what still ran.
MIGGUARD_SKIP=pair,journal,lint,docs expect_exit 1 git push -q origin main
expect_contains "$ERR" "skipping pair, journal, lint, docs; still running apply"
expect_contains "$ERR" "migguard-apply: error:"
MIGGUARD_SKIP=apply expect_exit 0 git push -q origin main
expect_contains "$ERR" "skipping apply; still running pair, journal, lint, docs"

# Not required (the default): a warning with the way to start it.
copy_step 04 .
printf '{%s, "fk-on-delete": "off"}}' "${rules%\}}" > .migguard.json
printf 'DATABASE_URL="postgres://postgres@127.0.0.1:1/app"\n' > packages/db/.env
git add -A
git commit -q -m "research step"
expect_exit 0 git push -q origin main
expect_contains "$ERR" "migguard-apply: warning:"
expect_contains "$ERR" "docker compose up -d"
expect_contains "$ERR" "the migrations were not applied"

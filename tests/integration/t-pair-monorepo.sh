# Two drizzle projects in one repository (found by their drizzle.config.ts):
# each is paired on its own, and only the incomplete one is reported.
F="$MG_SOURCE_DIR/tests/fixtures/drizzle"
new_repo r
cd r
a=packages/db
b=services/audit
put() { # step dir
	rm -rf "$2"
	mkdir -p "$(dirname "$2")"
	cp -R "$F/step-$1" "$2"
}
put 01 $a
put 00 $b
echo "lockfileVersion: '9.0'" >pnpm-lock.yaml
commit_all . "Two databases"

# Both complete: passes.
put 02 $a
put 01 $b
git add -A
expect_exit 0 migguard-pair
expect_out ""
expect_err "migguard: 0 errors, 0 warnings"

# The audit service forgot meta/: only it is reported.
git reset -q $b/src/migrations/meta
expect_exit 1 migguard-pair
expect_out "$b/src/migrations/0001_research_plan.sql:1:1: error: new migration '0001_research_plan' is incomplete: '$b/src/migrations/meta/0001_snapshot.json' and its entry in '$b/src/migrations/meta/_journal.json' are not staged [migration-incomplete]
  hint: stage the whole migration: git add $b/src/migrations (the .sql, meta/ snapshot and meta/_journal.json); if a file is lost, remove the partial migration and run 'pnpm db:generate' in '$b' again; bypass once: MIGGUARD_SKIP=pair git commit ..."
expect_err "migguard: 1 error, 0 warnings"

# ... or all of its migration: its schema edit is unpaired.
git reset -q $b/src/migrations
expect_exit 1 migguard-pair
expect_out "$b/src/schema/enums.ts:4:1: error: schema file '$b/src/schema/enums.ts' modified without a generated migration: pgEnum \"plan_status\" added; no new .sql, snapshot and journal entry in '$b/src/migrations' [schema-without-migration]
  hint: run 'pnpm db:generate' in '$b', then git add $b/src/migrations; if the edit cannot change the database, generate writes nothing; bypass once: MIGGUARD_SKIP=pair git commit ...
$b/src/schema/research.ts:5:1: error: schema file '$b/src/schema/research.ts' modified without a generated migration: pgTable \"research_plan\" added; no new .sql, snapshot and journal entry in '$b/src/migrations' [schema-without-migration]
  hint: run 'pnpm db:generate' in '$b', then git add $b/src/migrations; if the edit cannot change the database, generate writes nothing; bypass once: MIGGUARD_SKIP=pair git commit ..."
expect_err "migguard: 2 errors, 0 warnings"

# A migration of one project does not pair the other's schema edit.
git reset -q
git add $b/src/migrations $a/src/schema
expect_exit 1 migguard-pair
expect_contains "$OUT" "$a/src/schema/research.ts:11:5: error: schema file '$a/src/schema/research.ts' modified without a generated migration"
expect_contains "$OUT" "$b/src/migrations/0001_research_plan.sql:1:1: error: new migration '0001_research_plan' changes the schema snapshot but no schema file under '$b/src/schema' is staged [migration-without-schema]"
expect_err "migguard: 2 errors, 0 warnings"

# Renamed schema files: a rename alone changes no SQL, but the re-export
# that follows it is not read as the same (migguard does not resolve it);
# "pair.ignore" waives files that never affect the schema.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 1 r
cd r
m=packages/db/src/migrations
s=packages/db/src/schema

# A pure rename (with the re-export updated): drizzle generates nothing;
# the renamed file passes, the edited re-export counts, and the hint says
# so and how to bypass.
git mv $s/research.ts $s/plans.ts
sed -i 's|"./research"|"./plans"|' $s/index.ts
git add $s/index.ts
expect_exit 1 migguard-pair
expect_out "$s/index.ts:5:1: error: schema file '$s/index.ts' modified without a generated migration: export from './plans' added; no new .sql, snapshot and journal entry in '$m' [schema-without-migration]
  hint: run 'npm run db:generate' in 'packages/db', then git add $m; if the edit cannot change the database, generate writes nothing; bypass once: MIGGUARD_SKIP=pair git commit ..."
expect_err "pair: '$s/plans.ts' changed, but nothing drizzle-kit turns into SQL (comments, formatting, types, relations, zod, ...): no migration needed
migguard: 1 error, 0 warnings"

# The rename with a real schema change and its migration: passes.
cp "$MG_SOURCE_DIR/tests/fixtures/drizzle/step-02/src/schema/research.ts" $s/plans.ts
cp -R "$MG_SOURCE_DIR/tests/fixtures/drizzle/step-02/src/migrations/." $m/
git add -A
expect_exit 0 migguard-pair
expect_out ""
git commit -q -m "Move research_plan to plans.ts, add summary"
expect_exit 0 migguard-pair --base HEAD~1
expect_out ""

# Moved out of the watched folders: the change set (a diff limited to
# them) sees the schema file deleted.
mkdir -p packages/db/src/legacy
git mv $s/auth.ts packages/db/src/legacy/auth.ts
expect_exit 1 migguard-pair
expect_out "$s/auth.ts:1:1: error: schema file '$s/auth.ts' deleted without a generated migration: pgTable \"organization\" removed; no new .sql, snapshot and journal entry in '$m' [schema-without-migration]
  hint: run 'npm run db:generate' in 'packages/db', then git add $m; if the edit cannot change the database, generate writes nothing; bypass once: MIGGUARD_SKIP=pair git commit ..."
git reset -q --hard

# Tests under the schema folder, waived by pair.ignore.
mkdir -p $s/__tests__
echo 'test("plans", () => {});' >$s/__tests__/plans.test.ts
git mv $s/base.ts $s/columns.ts
sed -i 's|"./base"|"./columns"|' $s/index.ts
echo 'export const extra = pgTable("extra", {});' >>$s/columns.ts
git add -A
expect_exit 1 migguard-pair
# Nothing imports the test: drizzle-kit does not read it.
expect_not_contains "$OUT" "plans.test.ts"
expect_contains "$ERR" "pair: '$s/__tests__/plans.test.ts' changed beside the schema: drizzle-kit does not read it (nothing imports it from 'packages/db/src/schema/index.ts')"
cat >.migguard.json <<'JSON'
{"pair": {"ignore": ["packages/db/src/schema/__tests__",
                     "packages/db/src/schema/columns.ts",
                     "packages/db/src/schema/index.ts"]}}
JSON
git add .migguard.json
# columns.ts was renamed from base.ts, which is not ignored.
expect_exit 1 migguard-pair
expect_out "$s/columns.ts:29:1: error: schema file '$s/columns.ts' renamed from '$s/base.ts' without a generated migration: pgTable \"extra\" added; no new .sql, snapshot and journal entry in '$m' [schema-without-migration]
  hint: run 'npm run db:generate' in 'packages/db', then git add $m; if the edit cannot change the database, generate writes nothing; bypass once: MIGGUARD_SKIP=pair git commit ..."
# A glob covers both names.
cat >.migguard.json <<'JSON'
{"pair": {"ignore": ["packages/db/src/schema/__tests__",
                     "packages/db/src/schema/*.ts"]}}
JSON
git add .migguard.json
expect_exit 0 migguard-pair
expect_out ""
expect_err "migguard: 0 errors, 0 warnings"

# Schema edits that cannot change the database need no migration:
# comments, formatting, types, relations, zod values, runtime-only column
# methods, enum unions on text columns, a rename keeping the SQL name.
# A real change is reported at its first changed token, named.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 1 r
cd r
s=packages/db/src/schema
r=$s/research.ts

# Comments and a formatter run (single quotes, no semicolons, one line).
cat >$r <<'TS'
import { index, pgTable, text } from 'drizzle-orm/pg-core'
import { tenantColumns, tenantPolicies } from './base'
import { planStatus } from './enums'

/** A research plan. */
export const researchPlan = pgTable('research_plan', {
  ...tenantColumns, // organization and timestamps
  title: text('title').notNull(), status: planStatus('status').notNull().default('draft')
}, t => [
  index('research_plan_organization_id_idx').on(t.organizationId),
  ...tenantPolicies('research_plan')
])
TS
git add $r
expect_exit 0 migguard-pair
expect_out ""
expect_err "pair: '$r' changed, but nothing drizzle-kit turns into SQL (comments, formatting, types, relations, zod, ...): no migration needed
migguard: 0 errors, 0 warnings"
git commit -q -m "Format research.ts"

# Types, relations, zod, $type/$defaultFn, { enum } and a TypeScript
# rename (with its uses) that keeps the SQL name.
cat >$r <<'TS'
import { index, pgTable, text } from 'drizzle-orm/pg-core'
import { relations } from 'drizzle-orm'
import { createInsertSchema } from 'drizzle-zod'
import { z } from 'zod'
import { tenantColumns, tenantPolicies } from './base'
import { planStatus } from './enums'

/** A research plan. */
export const plans = pgTable('research_plan', {
  ...tenantColumns, // organization and timestamps
  title: text('title', { enum: ['a', 'b'] }).notNull().$type<'a' | 'b'>().$defaultFn(() => 'a'), status: planStatus('status').notNull().default('draft')
}, t => [
  index('research_plan_organization_id_idx').on(t.organizationId),
  ...tenantPolicies('research_plan')
])
export type Plan = typeof plans.$inferSelect
export interface PlanInput { title: string }
export const plansRelations = relations(plans, () => ({}))
export const insertPlan = createInsertSchema(plans).extend({ title: z.string().min(1) })
export const PlanFilter = z.object({ status: z.string() })
TS
git add $r
expect_exit 0 migguard-pair
expect_out ""
git commit -q -m "Types, relations and validators for plans"
expect_exit 0 migguard check --base HEAD~1
expect_not_contains "$OUT" "schema-without-migration"

# A real change: a new column, at its token, the table named.
sed -i "s|status: planStatus('status')|summary: text('summary'), status: planStatus('status')|" $r
git add $r
expect_exit 1 migguard-pair
expect_contains "$OUT" "$r:11:98: error: schema file '$r' modified without a generated migration: pgTable \"research_plan\" changed; no new .sql"
git reset -q --hard

# Changing the SQL name of a renamed table is a change.
sed -i "s|pgTable('research_plan'|pgTable('plan'|" $r
git add $r
expect_exit 1 migguard-pair --format json
expect_contains "$OUT" '"rule":"schema-without-migration","severity":"error","path":"packages/db/src/schema/research.ts","line":9,"column":30'
git reset -q --hard

# A plain object the table may read (a default value) is not classified:
# it counts.
printf 'export const defaults = { title: "x" }\n' >>$r
git add $r
expect_exit 1 migguard-pair
expect_contains "$OUT" "$r:21:1: error: schema file '$r' modified without a generated migration: 'defaults' added"
git reset -q --hard

# The table renamed to the name of a type that stays (vercel/ai-chatbot
# c5f6ac8d: const Suggestion -> const suggestion beside type Suggestion):
# a type never stands in for the value of its name; the SQL name is kept.
sed -i 's/\bplans\b/Plan/g' $r
git add $r
expect_exit 0 migguard-pair
expect_out ""
git commit -q -m "plans -> Plan"
sed -i 's/\bPlan\b/plan/g; s/^export type plan /export type Plan /' $r
git add $r
expect_exit 0 migguard-pair
expect_out ""
# The same rename with a column added is a change.
sed -i "s|status: planStatus('status')|summary: text('summary'), status: planStatus('status')|" $r
git add $r
expect_exit 1 migguard-pair
expect_contains "$OUT" "error: schema file '$r' modified without a generated migration: pgTable \"research_plan\" changed"
expect_not_contains "$OUT" "added"

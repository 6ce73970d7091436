import { index, pgTable, text } from "drizzle-orm/pg-core";
import { tenantColumns, tenantPolicies } from "./base";
import { planStatus } from "./enums";

export const researchPlan = pgTable(
  "research_plan",
  {
    ...tenantColumns,
    title: text("title").notNull(),
    status: planStatus("status").notNull().default("draft"),
  },
  (t) => [
    index("research_plan_organization_id_idx").on(t.organizationId),
    ...tenantPolicies("research_plan"),
  ],
);

@@@@
import { index, pgTable, text } from "drizzle-orm/pg-core";
import { tenantColumns, tenantPolicies } from "./base";
import { planStatus } from "./enums";

export const researchPlan = pgTable(
  "research_plan",
  {
    ...tenantColumns,
    title: text("title").notNull(),
    status: planStatus("status").notNull().default("draft"),
    summary: text("summary"),
  },
  (t) => [
    index("research_plan_organization_id_idx").on(t.organizationId),
    index("research_plan_status_idx").on(t.organizationId, t.status),
    ...tenantPolicies("research_plan"),
  ],
);

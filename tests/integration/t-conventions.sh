# The convention rules follow the conventions learned from the published
# migrations: a project that never followed one is not told to (check,
# lint and the pre-commit hook alike); the fixtures' team (RLS tenant
# tables, cascade, guarded extension, headers) is; configured is enforced.

plain_conventions_repo plain

# An ordinary new migration, as drizzle-kit writes it: no error, and no
# convention the team never followed.
plain_migration 2 0002_labels 'CREATE TYPE "public"."color" AS ENUM('"'"'red'"'"', '"'"'blue'"'"');--> statement-breakpoint
CREATE TABLE "label" (
	"id" serial PRIMARY KEY NOT NULL,
	"organization_id" integer NOT NULL,
	"task_id" integer NOT NULL,
	"color" "color" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "task" ADD COLUMN "done" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "label" ADD CONSTRAINT "label_task_id_task_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."task"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "label_task_id_idx" ON "label" USING btree ("task_id");'
git add -A
expect_exit 0 migguard check
expect_out ""
expect_err "migguard: 0 errors, 0 warnings"
expect_exit 0 migguard hook pre-commit
expect_err "migguard: 0 errors, 0 warnings"
expect_exit 0 migguard-lint --format json
expect_out '{"version":1,"findings":[],"summary":{"errors":0,"warnings":0,"preexisting":0}}'

m=packages/db/src/migrations

# Configured is enforced, whatever the history shows; the output says where.
printf '{\n  "rules": {"enum-without-guard": "warning"},\n  "lint": {"fkOnDelete": "cascade"}\n}\n' >.migguard.json
git add .migguard.json
expect_exit 0 migguard check
expect_contains "$OUT" "$m/0002_labels.sql:1:22: warning: enum \"color\" is created without a duplicate_object guard [enum-without-guard]"
expect_contains "$OUT" "$m/0002_labels.sql:10:130: warning: foreign key \"label_task_id_task_id_fk\" uses ON DELETE no action (the default), the convention is cascade [fk-on-delete]"
expect_err "migguard: 0 errors, 2 warnings"
git rm -q --cached .migguard.json
rm .migguard.json
cd "$MG_TMP"

# The fixtures' team: its conventions are inferred from its migrations.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 6 team
cd team

# A new tenant table without RLS, a bare extension, an FK without cascade,
# SQL added by hand without its header: each is the team's convention.
cat >$m/0007_audit.sql <<'EOF'
CREATE TABLE "audit" (
	"id" serial PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"plan_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit" ADD CONSTRAINT "audit_plan_id_research_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."research_plan"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE EXTENSION pg_trgm;
EOF
git add $m/0007_audit.sql
expect_exit 1 migguard-lint
expect_contains "$OUT" "$m/0007_audit.sql:1:14: error: table \"audit\" has \"organization_id\" but row level security is not enabled [rls-missing]"
expect_contains "$OUT" "$m/0007_audit.sql:1:14: error: table \"audit\" has no policy for select, insert, update, delete to \"authenticated\" [rls-policy-missing]"
expect_contains "$OUT" "[fk-on-delete]"
expect_contains "$OUT" "$m/0007_audit.sql:8:18: error: extension \"pg_trgm\" is created without IF NOT EXISTS [extension-without-guard]"
expect_contains "$OUT" "$m/0007_audit.sql:8:1: warning: hand-written CREATE EXTENSION has no '-- Manual addition:' header [manual-addition-without-header]"
expect_not_contains "$OUT" "[enum-without-guard]"
expect_not_contains "$OUT" "[missing-if-not-exists]"

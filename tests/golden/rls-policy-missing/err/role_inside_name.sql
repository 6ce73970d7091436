CREATE TABLE IF NOT EXISTS "note" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "note" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "note_all" ON "note" AS PERMISSIVE FOR ALL TO "authenticated_admin" USING ("organization_id" = current_setting('app.org')::uuid);--> statement-breakpoint
CREATE POLICY "note_select" ON "note" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("last_authenticated_at" IS NOT NULL);

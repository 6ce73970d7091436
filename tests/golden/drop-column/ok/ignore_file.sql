-- migguard-ignore-file drop-column columns unused since v2.3
ALTER TABLE "session" DROP COLUMN IF EXISTS "ip_address";--> statement-breakpoint
ALTER TABLE "session" DROP COLUMN IF EXISTS "user_agent";
ALTER TABLE "member" ADD COLUMN IF NOT EXISTS "role" text DEFAULT 'member' NOT NULL;--> statement-breakpoint
-- migguard-ignore drop-column superseded by member.role
ALTER TABLE "invitation" DROP COLUMN IF EXISTS "role";
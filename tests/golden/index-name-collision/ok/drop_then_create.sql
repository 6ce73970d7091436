DROP INDEX IF EXISTS "user_email_idx";--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "user_email_idx" ON "user" USING btree (lower("email"));
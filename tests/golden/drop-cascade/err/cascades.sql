DROP SCHEMA IF EXISTS "legacy" CASCADE;--> statement-breakpoint
DROP TYPE IF EXISTS "public"."status" CASCADE;--> statement-breakpoint
DROP EXTENSION IF EXISTS "vector" CASCADE;--> statement-breakpoint
ALTER TABLE "user" DROP CONSTRAINT IF EXISTS "user_pkey" CASCADE;

DROP SCHEMA IF EXISTS "legacy";--> statement-breakpoint
DROP TYPE IF EXISTS "public"."status";--> statement-breakpoint
ALTER TABLE "post" DROP CONSTRAINT IF EXISTS "post_author_id_user_id_fk";

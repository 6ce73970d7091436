DROP VIEW IF EXISTS "active_user";--> statement-breakpoint
DROP MATERIALIZED VIEW IF EXISTS "public"."daily_stats";

-- A PL/pgSQL BEGIN ... END is a block, not a transaction.
DO $$ BEGIN
 CREATE TYPE "public"."status" AS ENUM('active', 'archived');
EXCEPTION
 WHEN duplicate_object THEN null;
END $$;
--> statement-breakpoint
-- Manual addition: per-transaction settings are fine
SET LOCAL lock_timeout = '5s';

CREATE TABLE IF NOT EXISTS "user" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Manual addition: role grants for authenticated
GRANT SELECT, INSERT, UPDATE, DELETE ON "user" TO authenticated;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO authenticated;--> statement-breakpoint
COMMENT ON TABLE "user" IS 'Better Auth users';
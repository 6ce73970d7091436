CREATE TABLE "ai_model" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"provider" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "ai_model_name_idx" ON "ai_model" USING btree ("name");--> statement-breakpoint
DROP INDEX "ai_model_old_idx";--> statement-breakpoint
ALTER TABLE "ai_model" ADD COLUMN "context_window" integer;
CREATE TABLE "ai_pricing" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE SEQUENCE "public"."ai_pricing_seq" INCREMENT BY 1 MINVALUE 1 START WITH 1 CACHE 1;

-- Manual addition: backfill in two steps
ALTER TABLE "invoice" ADD COLUMN IF NOT EXISTS "total_cents" integer;--> statement-breakpoint
UPDATE "invoice" SET "total_cents" = "total" * 100;
COMMIT;
BEGIN;
CREATE INDEX IF NOT EXISTS "invoice_total_cents_idx" ON "invoice" ("total_cents");
END;

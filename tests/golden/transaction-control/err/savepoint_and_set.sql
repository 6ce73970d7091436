SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;--> statement-breakpoint
SAVEPOINT "before_index";
CREATE INDEX IF NOT EXISTS "event_kind_idx" ON "event" ("kind");
RELEASE SAVEPOINT "before_index";

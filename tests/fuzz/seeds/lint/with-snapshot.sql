-- migguard-ignore drop-table reason
DROP TABLE "old";--> statement-breakpoint
CREATE UNIQUE INDEX "a_idx" ON "a" USING btree ("x");--> statement-breakpoint
ALTER TABLE "b" ADD CONSTRAINT "b_fk" FOREIGN KEY ("a_id") REFERENCES "a"("id") ON DELETE no action;
@@@ snapshot
{"id":"x","prevId":"y","version":"7","dialect":"postgresql","tables":{"public.a":{"name":"a","schema":"","columns":{},"indexes":{"a_idx":{"name":"a_idx"}},"foreignKeys":{"b_fk":{"name":"b_fk"}},"uniqueConstraints":{}}}}

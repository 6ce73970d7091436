-- Manual addition: batch the backfill
DO $$
DECLARE
  n integer;
BEGIN
  LOOP
    UPDATE "event" SET "kind" = 'legacy' WHERE "id" IN (
      SELECT "id" FROM "event" WHERE "kind" IS NULL LIMIT 1000);
    GET DIAGNOSTICS n = ROW_COUNT;
    EXIT WHEN n = 0;
    COMMIT;
  END LOOP;
END $$;

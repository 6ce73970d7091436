DO $$ BEGIN
 EXECUTE 'DROP TABLE IF EXISTS "legacy_session"';
END $$;

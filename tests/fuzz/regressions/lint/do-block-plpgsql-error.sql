DO $$ BEGIN
 EXECUBLE IF EXISTS "legacy_session"';
END $$;

-- Manual addition: drop expired sessions
DELETE FROM "session" WHERE "expires_at" < now();

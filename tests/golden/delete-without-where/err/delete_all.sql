-- Manual addition: start over
DELETE FROM "session";

CREATE VIEW "active_user" AS SELECT * FROM "user" WHERE "active";

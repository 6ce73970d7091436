-- "parent_organization_id" and "last_authenticated_at" hold the tenant
-- column's and the role's names, but are neither.
CREATE TABLE IF NOT EXISTS "audit" (
	"id" uuid PRIMARY KEY NOT NULL,
	"parent_organization_id" uuid,
	"last_authenticated_at" timestamp
);

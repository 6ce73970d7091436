/*
 * missing-if-not-exists: from the project's guardsFromIndex on, CREATE
 * and DROP carry IF [NOT] EXISTS so that a migration can run again on a
 * database that already has (or lacks) the object.
 */
#include <stdlib.h>
#include <string.h>

#include "../rule.h"

static const char rule[] = "missing-if-not-exists";

static void missing(struct mg_lint *l, const struct mg_lint_unit *u,
		    size_t rel, const char *what, const char *subject,
		    const char *guard)
{
	mg_lint_add(l, rule, mg_lint_pos(u, rel), u->stmt,
		    "add the guard so that the migration can run again on a "
		    "database that has it",
		    "%s %s has no %s", what, subject, guard);
}

static const char *drop_what(const char *type)
{
	static const struct {
		const char *type, *sql;
	} kinds[] = {
		{ "OBJECT_TABLE", "DROP TABLE" },
		{ "OBJECT_INDEX", "DROP INDEX" },
		{ "OBJECT_TYPE", "DROP TYPE" },
		{ "OBJECT_SCHEMA", "DROP SCHEMA" },
		{ "OBJECT_SEQUENCE", "DROP SEQUENCE" },
		{ "OBJECT_VIEW", "DROP VIEW" },
		{ "OBJECT_MATVIEW", "DROP MATERIALIZED VIEW" },
		{ "OBJECT_POLICY", "DROP POLICY" },
		{ "OBJECT_FUNCTION", "DROP FUNCTION" },
		{ "OBJECT_TRIGGER", "DROP TRIGGER" },
		{ "OBJECT_EXTENSION", "DROP EXTENSION" },
		{ "OBJECT_ROLE", "DROP ROLE" },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].type, type))
			return kinds[i].sql;
	return "DROP";
}

static void alter_table(struct mg_lint *l, const struct mg_lint_unit *u,
			const struct mg_json *s)
{
	const struct mg_json *rel = mg_json_get(s, "relation");
	const struct mg_json *cmds = mg_lint_jarray(s, "cmds");
	const char *schema = mg_json_get_string(rel, "schemaname");
	const char *table = mg_json_get_string(rel, "relname");
	size_t i, *at;

	if (!table || !cmds)
		return;
	at = mg_lint_alter_positions(u, s);
	for (i = 0; i < cmds->nr; i++) {
		const struct mg_json *cmd = mg_lint_node_body(cmds->children[i]);
		const char *sub = mg_json_get_string(cmd, "subtype");
		const char *name = mg_json_get_string(cmd, "name");
		const struct mg_json *def = mg_json_get(cmd, "def");
		const char *what = NULL, *guard = "IF EXISTS";
		char *q = NULL;

		if (!sub || mg_lint_jbool(cmd, "missing_ok"))
			continue;
		if (!strcmp(sub, "AT_DropColumn") && name) {
			what = "DROP COLUMN";
			q = mg_lint_quoted(schema, table, name);
		} else if (!strcmp(sub, "AT_AddColumn") && def) {
			what = "ADD COLUMN";
			guard = "IF NOT EXISTS";
			q = mg_lint_quoted(schema, table,
					   mg_json_get_string(
						   mg_lint_node_body(def),
						   "colname"));
		} else if (!strcmp(sub, "AT_DropConstraint") && name) {
			what = "DROP CONSTRAINT";
			q = mg_lint_quoted(schema, table, name);
		}
		if (what)
			missing(l, u, at[i], what, q, guard);
		free(q);
	}
	free(at);
}

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	size_t first = mg_lint_first(u);
	char *q = NULL;

	(void)state;
	/* A convention: off unless the project has it (conventions.h). */
	if (!l->opts || l->opts->guards_from_index < 0 ||
	    !mg_lint_guards_apply(l, u))
		return;
	if (!strcmp(type, "AlterTableStmt")) {
		alter_table(l, u, s);
		return;
	}
	if (!strcmp(type, "DropStmt")) {
		const char *kind = mg_json_get_string(s, "removeType");
		struct mg_lint_object *objs = NULL;
		size_t n;

		if (!kind || mg_lint_jbool(s, "missing_ok"))
			return;
		n = mg_lint_drop_objects(&objs, u, s);
		if (n) {
			q = mg_lint_quoted(objs[0].schema, objs[0].name, NULL);
			missing(l, u, objs[0].at, drop_what(kind), q,
				"IF EXISTS");
		}
		free(objs);
		free(q);
		return;
	}
	if (mg_lint_jbool(s, "if_not_exists"))
		return;
	if (!strcmp(type, "CreateStmt")) {
		const struct mg_json *rel = mg_json_get(s, "relation");
		const char *table = mg_json_get_string(rel, "relname");

		if (!table)
			return;
		q = mg_lint_quoted(mg_json_get_string(rel, "schemaname"),
				   table, NULL);
		missing(l, u, (size_t)mg_lint_jint(rel, "location",
						   (long)first),
			"CREATE TABLE", q, "IF NOT EXISTS");
	} else if (!strcmp(type, "IndexStmt")) {
		const char *name = mg_json_get_string(s, "idxname");

		if (!name)
			return;
		q = mg_lint_quoted(NULL, NULL, name);
		missing(l, u, mg_lint_find(u, first, name, first),
			"CREATE INDEX", q, "IF NOT EXISTS");
	} else if (!strcmp(type, "CreateSchemaStmt")) {
		const char *name = mg_json_get_string(s, "schemaname");

		q = mg_lint_quoted(NULL, NULL, name ? name : "");
		missing(l, u, mg_lint_find(u, first, name, first),
			"CREATE SCHEMA", q, "IF NOT EXISTS");
	} else if (!strcmp(type, "CreateSeqStmt")) {
		const struct mg_json *rel = mg_json_get(s, "sequence");

		q = mg_lint_quoted(mg_json_get_string(rel, "schemaname"),
				   mg_json_get_string(rel, "relname"), NULL);
		missing(l, u, (size_t)mg_lint_jint(rel, "location",
						   (long)first),
			"CREATE SEQUENCE", q, "IF NOT EXISTS");
	}
	free(q);
}

const struct mg_lint_rule mg_lint_rule_missing_if_not_exists = {
	.id = "missing-if-not-exists",
	.stmt = stmt,
};

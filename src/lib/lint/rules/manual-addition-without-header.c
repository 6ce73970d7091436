/*
 * manual-addition-without-header: what drizzle-kit never writes (GRANT,
 * functions, triggers, extensions, data changes, generated tsvector
 * columns, hand-made DO blocks) needs a '-- Manual addition:' comment
 * before it, as the workflow asks. One header covers the hand-written
 * statements that follow it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../rule.h"

struct state {
	const char **manual; /* per statement: what makes it hand-written */
	size_t nr;
};

static int is_generated_tsvector(const struct mg_json *coldef)
{
	const struct mg_json *cons = mg_lint_jarray(coldef, "constraints");
	const char *type = mg_lint_column_type(coldef);
	size_t i;

	if (!cons || !type || strcmp(type, "tsvector"))
		return 0;
	for (i = 0; i < cons->nr; i++) {
		const char *ct = mg_json_get_string(
			mg_lint_node_body(cons->children[i]), "contype");

		if (ct && !strcmp(ct, "CONSTR_GENERATED"))
			return 1;
	}
	return 0;
}

/* What makes the statement hand-written, or NULL. */
static const char *manual_what(const struct mg_lint_unit *u,
			       const char *type, const struct mg_json *s)
{
	static const struct {
		const char *type, *what;
	} kinds[] = {
		{ "CreateExtensionStmt", "CREATE EXTENSION" },
		{ "AlterDefaultPrivilegesStmt", "ALTER DEFAULT PRIVILEGES" },
		{ "CreateTrigStmt", "CREATE TRIGGER" },
		{ "CommentStmt", "COMMENT ON" },
		{ "InsertStmt", "INSERT" },
		{ "UpdateStmt", "UPDATE" },
		{ "DeleteStmt", "DELETE" },
		{ "SelectStmt", "SELECT" },
	};
	const struct mg_json *list;
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(type, kinds[i].type))
			return kinds[i].what;
	if (!strcmp(type, "GrantStmt") || !strcmp(type, "GrantRoleStmt"))
		return mg_lint_jbool(s, "is_grant") ? "GRANT" : "REVOKE";
	if (!strcmp(type, "CreateFunctionStmt"))
		return mg_lint_jbool(s, "is_procedure") ? "CREATE PROCEDURE"
							: "CREATE FUNCTION";
	if (!strcmp(type, "DoStmt"))
		return u->do_drizzle ? NULL : "DO block";
	if (!strcmp(type, "CreateStmt")) {
		if (!mg_json_get_string(mg_json_get(s, "relation"), "relname"))
			return NULL;
		list = mg_lint_jarray(s, "tableElts");
		for (i = 0; list && i < list->nr; i++)
			if (!strcmp(mg_lint_node_type(list->children[i]),
				    "ColumnDef") &&
			    is_generated_tsvector(
				    mg_lint_node_body(list->children[i])))
				return "generated tsvector column";
	} else if (!strcmp(type, "AlterTableStmt")) {
		if (!mg_json_get_string(mg_json_get(s, "relation"), "relname"))
			return NULL;
		list = mg_lint_jarray(s, "cmds");
		for (i = 0; list && i < list->nr; i++) {
			const struct mg_json *cmd =
				mg_lint_node_body(list->children[i]);
			const char *sub = mg_json_get_string(cmd, "subtype");
			const struct mg_json *def = mg_json_get(cmd, "def");

			if (sub && !strcmp(sub, "AT_AddColumn") && def &&
			    is_generated_tsvector(mg_lint_node_body(def)))
				return "generated tsvector column";
		}
	}
	return NULL;
}

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	struct state *st = state;
	const char *what;

	if (u->in_do || u->stmt == MG_LINT_NO_STMT || u->stmt >= l->stmts_nr)
		return;
	if (!st->manual) {
		st->nr = l->stmts_nr;
		st->manual = mg_xcalloc(st->nr, sizeof(*st->manual));
	}
	if (st->manual[u->stmt])
		return;
	what = manual_what(u, type, s);
	if (what)
		st->manual[u->stmt] = what;
}

static void file(struct mg_lint *l, void *state)
{
	struct state *st = state;
	size_t i;
	int group = 0;

	/* A convention: off unless the project has it (conventions.h). */
	if (!l->opts || !l->opts->manual_header)
		return;
	for (i = 0; i < l->stmts_nr; i++) {
		const struct mg_lint_stmt *s = &l->stmts[i];
		const char *manual = i < st->nr ? st->manual[i] : NULL;

		if (s->first == SIZE_MAX)
			continue;
		if (s->header)
			group = 1;
		if (manual && !group && !l->custom)
			mg_lint_add(l, "manual-addition-without-header",
				    s->first, i, "put a comment such as "
				    "'-- Manual addition: why' on the line "
				    "before it (one header covers consecutive "
				    "hand-written statements)", "hand-written "
				    "%s has no '-- Manual addition:' header",
				    manual);
		if (!manual && !s->header)
			group = 0;
	}
}

static void release(void *state)
{
	struct state *st = state;

	free(st->manual);
}

const struct mg_lint_rule mg_lint_rule_manual_addition_without_header = {
	.id = "manual-addition-without-header",
	.state_size = sizeof(struct state),
	.stmt = stmt,
	.file = file,
	.release = release,
};

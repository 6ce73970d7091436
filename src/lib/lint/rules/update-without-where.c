/*
 * update-without-where: UPDATE with no WHERE overwrites a column in every
 * row. A backfill is not a finding: every column it sets was added in
 * this migration, or the table was created in it.
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/strbuf.h"
#include "../rule.h"

struct state {
	struct mg_lint_names made; /* tables created, columns added here */
};

static int made_here(const struct state *st, const char *schema,
		     const char *table, const char *column)
{
	size_t i;

	for (i = 0; i < st->made.nr; i++) {
		const struct mg_lint_name *n = &st->made.items[i];

		if (mg_lint_same_table(n, schema, table) &&
		    (!n->name || (column && !strcmp(n->name, column))))
			return 1;
	}
	return 0;
}

static void update(struct mg_lint *l, struct state *st,
		   const struct mg_lint_unit *u, const struct mg_json *s)
{
	const struct mg_json *rel = mg_json_get(s, "relation");
	const struct mg_json *targets = mg_lint_jarray(s, "targetList");
	const char *table = mg_json_get_string(rel, "relname");
	const char *schema = mg_json_get_string(rel, "schemaname");
	struct mg_strbuf cols = MG_STRBUF_INIT;
	size_t i;
	char *q;

	if (!table || mg_json_get(s, "whereClause"))
		return;
	for (i = 0; targets && i < targets->nr; i++) {
		const char *name = mg_json_get_string(
			mg_lint_node_body(targets->children[i]), "name");

		if (name && !made_here(st, schema, table, name))
			mg_strbuf_addf(&cols, "%s\"%s\"", cols.len ? ", " : "",
				       name);
	}
	if (!cols.len)
		return; /* a backfill of what this migration made */
	q = mg_lint_quoted(schema, table, NULL);
	mg_lint_add(l, "update-without-where",
		    mg_lint_pos(u, (size_t)mg_lint_jint(rel, "location",
							(long)mg_lint_first(u))),
		    u->stmt, "add the WHERE that picks the rows, or make sure "
		    "the old values are not needed",
		    "UPDATE %s has no WHERE: it overwrites %s in every row", q,
		    cols.buf);
	mg_strbuf_release(&cols);
	free(q);
}

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	struct state *st = state;
	const struct mg_json *rel = mg_json_get(s, "relation");
	const char *schema = mg_json_get_string(rel, "schemaname");
	const char *table = mg_json_get_string(rel, "relname");
	const struct mg_json *cmds = mg_lint_jarray(s, "cmds");
	size_t i;

	if (!strcmp(type, "UpdateStmt")) {
		update(l, st, u, s);
	} else if (!strcmp(type, "CreateStmt") && table) {
		mg_lint_names_push(&st->made, schema, table, NULL, 0, u->stmt);
	} else if (!strcmp(type, "AlterTableStmt") && table) {
		for (i = 0; cmds && i < cmds->nr; i++) {
			const struct mg_json *cmd =
				mg_lint_node_body(cmds->children[i]);
			const char *sub = mg_json_get_string(cmd, "subtype");
			const char *col = mg_json_get_string(
				mg_lint_node_body(mg_json_get(cmd, "def")),
				"colname");

			if (sub && !strcmp(sub, "AT_AddColumn") && col)
				mg_lint_names_push(&st->made, schema, table,
						   col, 0, u->stmt);
		}
	}
}

static void release(void *state)
{
	struct state *st = state;

	mg_lint_names_release(&st->made);
}

const struct mg_lint_rule mg_lint_rule_update_without_where = {
	.id = "update-without-where",
	.state_size = sizeof(struct state),
	.stmt = stmt,
	.release = release,
};

/*
 * rename-as-drop: drizzle-kit writes a renamed column as DROP COLUMN and
 * ADD COLUMN when its prompt is answered wrong, losing the data.
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/strbuf.h"
#include "../rule.h"

struct state {
	struct mg_lint_names dropped;
	struct mg_lint_names added;
};

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	struct state *st = state;
	const struct mg_json *rel = mg_json_get(s, "relation");
	const struct mg_json *cmds = mg_lint_jarray(s, "cmds");
	const char *schema = mg_json_get_string(rel, "schemaname");
	const char *table = mg_json_get_string(rel, "relname");
	size_t i, *at;

	(void)l;
	if (strcmp(type, "AlterTableStmt") || !table || !cmds)
		return;
	at = mg_lint_alter_positions(u, s);
	for (i = 0; i < cmds->nr; i++) {
		const struct mg_json *cmd = mg_lint_node_body(cmds->children[i]);
		const char *sub = mg_json_get_string(cmd, "subtype");
		const char *name = mg_json_get_string(cmd, "name");
		const struct mg_json *def = mg_json_get(cmd, "def");

		if (!sub)
			continue;
		if (!strcmp(sub, "AT_DropColumn") && name) {
			mg_lint_names_push(&st->dropped, schema, table, name,
					   mg_lint_pos(u, at[i]), u->stmt);
		} else if (!strcmp(sub, "AT_AddColumn") && def) {
			const char *col = mg_json_get_string(
				mg_lint_node_body(def), "colname");

			if (col)
				mg_lint_names_push(&st->added, schema, table,
						   col, mg_lint_pos(u, at[i]),
						   u->stmt);
		}
	}
	free(at);
}

static void file(struct mg_lint *l, void *state)
{
	struct state *st = state;
	size_t i, j;

	for (i = 0; i < st->dropped.nr; i++) {
		const struct mg_lint_name *d = &st->dropped.items[i];

		for (j = 0; j < st->added.nr; j++) {
			const struct mg_lint_name *a = &st->added.items[j];
			char *qd, *qa, *fix;

			if (!mg_lint_same_table(a, d->schema, d->table))
				continue;
			qd = mg_lint_quoted(d->schema, d->table, d->name);
			qa = mg_lint_quoted(a->schema, a->table, a->name);
			fix = mg_xstrfmt("if it is a rename, write ALTER "
					 "TABLE \"%s\" RENAME COLUMN \"%s\" "
					 "TO \"%s\" instead, which keeps the "
					 "data", d->table, d->name, a->name);
			mg_lint_add(l, "rename-as-drop", d->offset, d->stmt,
				    fix, "column %s is dropped and %s added "
				    "in the same migration", qd, qa);
			free(fix);
			free(qa);
			free(qd);
			break;
		}
	}
}

static void release(void *state)
{
	struct state *st = state;

	mg_lint_names_release(&st->dropped);
	mg_lint_names_release(&st->added);
}

const struct mg_lint_rule mg_lint_rule_rename_as_drop = {
	.id = "rename-as-drop",
	.state_size = sizeof(struct state),
	.stmt = stmt,
	.file = file,
	.release = release,
};

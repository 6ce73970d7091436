/* drop-column: ALTER TABLE ... DROP COLUMN loses the column's data. */
#include <stdlib.h>
#include <string.h>

#include "../rule.h"

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	const struct mg_json *rel = mg_json_get(s, "relation");
	const struct mg_json *cmds = mg_lint_jarray(s, "cmds");
	const char *schema = mg_json_get_string(rel, "schemaname");
	const char *table = mg_json_get_string(rel, "relname");
	size_t i, *at;

	(void)state;
	if (strcmp(type, "AlterTableStmt") || !table || !cmds)
		return;
	at = mg_lint_alter_positions(u, s);
	for (i = 0; i < cmds->nr; i++) {
		const struct mg_json *cmd = mg_lint_node_body(cmds->children[i]);
		const char *sub = mg_json_get_string(cmd, "subtype");
		const char *name = mg_json_get_string(cmd, "name");
		char *q;

		if (!sub || strcmp(sub, "AT_DropColumn") || !name)
			continue;
		/* Created by the change, never published: no data lost. */
		if (mg_lint_unpublished(l, schema, table, name))
			continue;
		q = mg_lint_quoted(schema, table, name);
		mg_lint_add(l, "drop-column", mg_lint_pos(u, at[i]), u->stmt,
			    "deploy code that no longer reads it first and "
			    "drop it in a later migration; if it was renamed, "
			    "use ALTER TABLE ... RENAME COLUMN",
			    "column %s is dropped", q);
		free(q);
	}
	free(at);
}

const struct mg_lint_rule mg_lint_rule_drop_column = {
	.id = "drop-column",
	.stmt = stmt,
};

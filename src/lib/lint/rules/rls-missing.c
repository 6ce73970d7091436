/*
 * rls-missing: a table created with the tenant column (lint.tenant.column)
 * whose row level security is not enabled in the same migration. Off
 * without a tenant column. Names compare as whole identifiers.
 */
#include <stdlib.h>
#include <string.h>

#include "../rule.h"

struct state {
	struct mg_lint_names created; /* flag: has the tenant column */
	struct mg_lint_names enabled;
};

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	struct state *st = state;
	const struct mg_json *rel = mg_json_get(s, "relation");
	const struct mg_json *cmds = mg_lint_jarray(s, "cmds");
	const char *table = mg_json_get_string(rel, "relname");
	size_t i;

	if (!mg_lint_tenant_column(l))
		return; /* no tenant convention */
	if (!strcmp(type, "CreateStmt")) {
		mg_lint_note_tenant_table(&st->created, l, u, s);
		return;
	}
	if (strcmp(type, "AlterTableStmt") || !table || !cmds)
		return;
	for (i = 0; i < cmds->nr; i++) {
		const char *sub = mg_json_get_string(
			mg_lint_node_body(cmds->children[i]), "subtype");

		if (sub && !strcmp(sub, "AT_EnableRowSecurity"))
			mg_lint_names_push(&st->enabled,
					   mg_json_get_string(rel,
							      "schemaname"),
					   table, NULL, 0, u->stmt);
	}
}

static void file(struct mg_lint *l, void *state)
{
	struct state *st = state;
	size_t i, j;

	for (i = 0; i < st->created.nr; i++) {
		const struct mg_lint_name *t = &st->created.items[i];
		int enabled = 0;
		char *q, *fix;

		if (!t->flag)
			continue;
		for (j = 0; j < st->enabled.nr; j++)
			if (mg_lint_same_table(&st->enabled.items[j],
					       t->schema, t->table))
				enabled = 1;
		if (enabled)
			continue;
		q = mg_lint_quoted(t->schema, t->table, NULL);
		fix = mg_xstrfmt("add ALTER TABLE %s ENABLE ROW LEVEL "
				 "SECURITY (drizzle: pgTable(...)"
				 ".enableRLS() or a pgPolicy)", q);
		mg_lint_add(l, "rls-missing", t->offset, t->stmt, fix,
			    "table %s has \"%s\" but row level security is "
			    "not enabled", q, mg_lint_tenant_column(l));
		free(fix);
		free(q);
	}
}

static void release(void *state)
{
	struct state *st = state;

	mg_lint_names_release(&st->created);
	mg_lint_names_release(&st->enabled);
}

const struct mg_lint_rule mg_lint_rule_rls_missing = {
	.id = "rls-missing",
	.state_size = sizeof(struct state),
	.stmt = stmt,
	.file = file,
	.release = release,
};

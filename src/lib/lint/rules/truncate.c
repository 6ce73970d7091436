/* truncate: TRUNCATE deletes every row of the tables it names. */
#include <stdlib.h>
#include <string.h>

#include "../rule.h"

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	const struct mg_json *rels = mg_lint_jarray(s, "relations");
	size_t i;

	(void)state;
	if (strcmp(type, "TruncateStmt"))
		return;
	for (i = 0; rels && i < rels->nr; i++) {
		const struct mg_json *r = mg_lint_node_body(rels->children[i]);
		const char *table = mg_json_get_string(r, "relname");
		size_t at = (size_t)mg_lint_jint(r, "location",
						 (long)mg_lint_first(u));
		char *q;

		if (!table)
			continue;
		q = mg_lint_quoted(mg_json_get_string(r, "schemaname"), table,
				   NULL);
		mg_lint_add(l, "truncate", mg_lint_pos(u, at), u->stmt,
			    "make sure its data is not needed (back it up "
			    "first)", "table %s is truncated: every row is "
			    "deleted", q);
		free(q);
	}
}

const struct mg_lint_rule mg_lint_rule_truncate = {
	.id = "truncate",
	.stmt = stmt,
};

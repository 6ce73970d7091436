/* drop-table: DROP TABLE loses the table's data for good. */
#include <stdlib.h>
#include <string.h>

#include "../rule.h"

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	const char *kind = mg_json_get_string(s, "removeType");
	struct mg_lint_object *objs = NULL;
	size_t i, n;

	(void)state;
	if (strcmp(type, "DropStmt") || !kind || strcmp(kind, "OBJECT_TABLE"))
		return;
	n = mg_lint_drop_objects(&objs, u, s);
	for (i = 0; i < n; i++) {
		char *q;

		/* Created by the change, never published: no data lost. */
		if (mg_lint_unpublished(l, objs[i].schema, objs[i].name,
					NULL))
			continue;
		q = mg_lint_quoted(objs[i].schema, objs[i].name, NULL);
		mg_lint_add(l, "drop-table", mg_lint_pos(u, objs[i].at),
			    u->stmt, "make sure no deployed code uses it and "
			    "its data is not needed (back it up first)",
			    "table %s is dropped", q);
		free(q);
	}
	free(objs);
}

const struct mg_lint_rule mg_lint_rule_drop_table = {
	.id = "drop-table",
	.stmt = stmt,
};

/*
 * drop-view: DROP VIEW and DROP MATERIALIZED VIEW: code that reads the
 * view breaks, and a materialized view's rows are gone until it is
 * created and refreshed again.
 */
#include <stdlib.h>
#include <string.h>

#include "../rule.h"

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	const char *kind = mg_json_get_string(s, "removeType");
	struct mg_lint_object *objs = NULL;
	size_t i, n;
	int mat;

	(void)state;
	if (strcmp(type, "DropStmt") || !kind ||
	    (strcmp(kind, "OBJECT_VIEW") && strcmp(kind, "OBJECT_MATVIEW")))
		return;
	mat = !strcmp(kind, "OBJECT_MATVIEW");
	n = mg_lint_drop_objects(&objs, u, s);
	for (i = 0; i < n; i++) {
		char *q = mg_lint_quoted(objs[i].schema, objs[i].name, NULL);

		mg_lint_add(l, "drop-view", mg_lint_pos(u, objs[i].at),
			    u->stmt, "make sure no deployed code reads it "
			    "(drizzle-kit drops and creates a view whose "
			    "definition changed)", "%sview %s is dropped%s",
			    mat ? "materialized " : "", q,
			    mat ? ": its rows are gone until it is created and "
				  "refreshed again" : "");
		free(q);
	}
	free(objs);
}

const struct mg_lint_rule mg_lint_rule_drop_view = {
	.id = "drop-view",
	.stmt = stmt,
};

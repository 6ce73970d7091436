/* delete-without-where: DELETE with no WHERE deletes every row. */
#include <stdlib.h>
#include <string.h>

#include "../rule.h"

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	const struct mg_json *rel = mg_json_get(s, "relation");
	const char *table = mg_json_get_string(rel, "relname");
	char *q;

	(void)state;
	if (strcmp(type, "DeleteStmt") || !table ||
	    mg_json_get(s, "whereClause"))
		return;
	q = mg_lint_quoted(mg_json_get_string(rel, "schemaname"), table,
			   NULL);
	mg_lint_add(l, "delete-without-where",
		    mg_lint_pos(u, (size_t)mg_lint_jint(rel, "location",
							(long)mg_lint_first(u))),
		    u->stmt, "add the WHERE that picks the rows, and make sure "
		    "their data is not needed",
		    "DELETE FROM %s has no WHERE: every row is deleted", q);
	free(q);
}

const struct mg_lint_rule mg_lint_rule_delete_without_where = {
	.id = "delete-without-where",
	.stmt = stmt,
};

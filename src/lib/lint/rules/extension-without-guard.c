/*
 * extension-without-guard: CREATE EXTENSION without IF NOT EXISTS fails
 * on a database that has it (every hosted one that preinstalls it).
 */
#include <stdlib.h>
#include <string.h>

#include "../rule.h"

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	const char *name = mg_json_get_string(s, "extname");
	size_t first = mg_lint_first(u);
	char *q;

	(void)state;
	/* A convention: off unless the project has it (conventions.h). */
	if (!l->opts || !l->opts->extension_guards ||
	    strcmp(type, "CreateExtensionStmt") ||
	    mg_lint_jbool(s, "if_not_exists"))
		return;
	q = mg_lint_quoted(NULL, NULL, name ? name : "");
	mg_lint_add(l, "extension-without-guard",
		    mg_lint_pos(u, mg_lint_find(u, first, name, first)),
		    u->stmt, "write CREATE EXTENSION IF NOT EXISTS",
		    "extension %s is created without IF NOT EXISTS", q);
	free(q);
}

const struct mg_lint_rule mg_lint_rule_extension_without_guard = {
	.id = "extension-without-guard",
	.stmt = stmt,
};

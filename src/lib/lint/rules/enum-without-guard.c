/*
 * enum-without-guard: CREATE TYPE ... AS ENUM fails on a database that
 * has the type; drizzle-kit's own guard is a DO block catching
 * duplicate_object.
 */
#include <stdlib.h>
#include <string.h>

#include "../rule.h"

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	const struct mg_json *names = mg_lint_jarray(s, "typeName");
	const char *name = mg_lint_name_part(names, -1);
	const char *schema = names && names->nr > 1
				     ? mg_lint_name_part(names, 0)
				     : NULL;
	size_t first = mg_lint_first(u);
	char *q;

	(void)state;
	/* A convention: off unless the project has it (conventions.h). */
	if (!l->opts || !l->opts->enum_guards ||
	    strcmp(type, "CreateEnumStmt") || u->guarded)
		return;
	q = mg_lint_quoted(schema, name, NULL);
	mg_lint_add(l, "enum-without-guard",
		    mg_lint_pos(u, mg_lint_find(u, first, name, first)),
		    u->stmt, "wrap it: DO $$ BEGIN CREATE TYPE ...; EXCEPTION "
		    "WHEN duplicate_object THEN null; END $$",
		    "enum %s is created without a duplicate_object guard", q);
	free(q);
}

const struct mg_lint_rule mg_lint_rule_enum_without_guard = {
	.id = "enum-without-guard",
	.stmt = stmt,
};

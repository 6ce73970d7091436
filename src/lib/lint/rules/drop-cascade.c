/*
 * drop-cascade: DROP ... CASCADE drops what depends on the object too,
 * data included: DROP SCHEMA every table in it, DROP TYPE or DOMAIN every
 * column of that type, DROP EXTENSION its objects and the columns of its
 * types; ALTER TABLE ... DROP CONSTRAINT ... CASCADE the foreign keys
 * that need it. Tables and views have their own rules.
 */
#include <stdlib.h>
#include <string.h>

#include "../rule.h"

static const char rule[] = "drop-cascade";
static const char fix[] = "drop the dependent objects by name first, so "
			  "that the migration says what goes, and drop this "
			  "without CASCADE";

static int cascade(const struct mg_json *o)
{
	const char *b = mg_json_get_string(o, "behavior");

	return b && !strcmp(b, "DROP_CASCADE");
}

static void drop(struct mg_lint *l, const struct mg_lint_unit *u,
		 const struct mg_json *s)
{
	static const struct {
		const char *kind, *what, *effect;
	} kinds[] = {
		{ "OBJECT_SCHEMA", "schema",
		  "every table in it goes, with its data" },
		{ "OBJECT_TYPE", "type",
		  "every column of that type goes, with its data" },
		{ "OBJECT_DOMAIN", "domain",
		  "every column of that domain goes, with its data" },
		{ "OBJECT_EXTENSION", "extension",
		  "its objects go, and every column of its types with its "
		  "data" },
	};
	const char *kind = mg_json_get_string(s, "removeType");
	const char *what = NULL, *effect = NULL;
	struct mg_lint_object *objs = NULL;
	size_t i, n;

	if (!kind || !cascade(s) || !strcmp(kind, "OBJECT_TABLE") ||
	    !strcmp(kind, "OBJECT_VIEW") || !strcmp(kind, "OBJECT_MATVIEW"))
		return;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i].kind)) {
			what = kinds[i].what;
			effect = kinds[i].effect;
		}
	n = mg_lint_drop_objects(&objs, u, s);
	for (i = 0; i < n; i++) {
		char *q = mg_lint_quoted(NULL, objs[i].name, NULL);

		mg_lint_add(l, rule, mg_lint_pos(u, objs[i].at), u->stmt, fix,
			    "%s %s is dropped with CASCADE: %s",
			    what ? what : "object", q,
			    effect ? effect
				   : "everything that depends on it goes too");
		free(q);
	}
	free(objs);
}

static void alter_table(struct mg_lint *l, const struct mg_lint_unit *u,
			const struct mg_json *s)
{
	const struct mg_json *cmds = mg_lint_jarray(s, "cmds");
	const char *table = mg_json_get_string(mg_json_get(s, "relation"),
					       "relname");
	size_t i, *at;

	if (!table || !cmds)
		return;
	at = mg_lint_alter_positions(u, s);
	for (i = 0; i < cmds->nr; i++) {
		const struct mg_json *cmd = mg_lint_node_body(cmds->children[i]);
		const char *sub = mg_json_get_string(cmd, "subtype");
		const char *name = mg_json_get_string(cmd, "name");

		if (sub && !strcmp(sub, "AT_DropConstraint") && name &&
		    cascade(cmd))
			mg_lint_add(l, rule, mg_lint_pos(u, at[i]), u->stmt,
				    fix, "constraint \"%s\" of \"%s\" is "
				    "dropped with CASCADE: the foreign keys "
				    "that depend on it go too", name, table);
	}
	free(at);
}

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	(void)state;
	if (!strcmp(type, "DropStmt"))
		drop(l, u, s);
	else if (!strcmp(type, "AlterTableStmt"))
		alter_table(l, u, s);
}

const struct mg_lint_rule mg_lint_rule_drop_cascade = {
	.id = "drop-cascade",
	.stmt = stmt,
};

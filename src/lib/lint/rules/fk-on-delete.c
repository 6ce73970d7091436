/*
 * fk-on-delete: a foreign key whose ON DELETE is not the project's
 * convention (lint.fkOnDelete, e.g. cascade).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "migguard/strbuf.h"
#include "../rule.h"

/* The project's action; NULL: the convention is off (conventions.h). */
static const char *convention(const struct mg_lint *l)
{
	const char *v = l->opts ? l->opts->fk_on_delete : NULL;

	return v && *v ? v : NULL;
}

/* "set null", "SET_NULL", "setNull" all become "setnull". */
static char *action_key(const char *s)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;

	for (; *s; s++)
		if (isalpha((unsigned char)*s))
			mg_strbuf_addch(&sb, (char)tolower((unsigned char)*s));
	return mg_strbuf_detach(&sb, NULL);
}

static const char *action_name(const char *code)
{
	switch (code ? code[0] : 'a') {
	case 'r':
		return "restrict";
	case 'c':
		return "cascade";
	case 'n':
		return "set null";
	case 'd':
		return "set default";
	default:
		return "no action";
	}
}

/*
 * The ON DELETE action's token of the FK whose REFERENCES is at or after
 * rel, or def when the FK has no ON DELETE.
 */
static size_t delete_at(const struct mg_lint_unit *u, size_t rel, size_t def)
{
	size_t i = mg_lint_token_at(u, rel);
	int depth = 0, seen_ref = 0;

	for (; i < u->tokens_nr; i++) {
		if (u->tokens[i].kind == MG_PG_TOKEN_COMMENT)
			continue;
		if (mg_lint_token_is(u, i, "references"))
			seen_ref = 1;
		if (!seen_ref)
			continue;
		if (mg_lint_token_is(u, i, "("))
			depth++;
		if (mg_lint_token_is(u, i, ")") && --depth < 0)
			break;
		if ((mg_lint_token_is(u, i, ",") && !depth) ||
		    u->tokens[i].kind == MG_PG_TOKEN_SEMICOLON)
			break;
		if (mg_lint_token_is(u, i, "delete") && i > 0 &&
		    mg_lint_token_is(u, i - 1, "on") && i + 1 < u->tokens_nr)
			return u->tokens[i + 1].start;
	}
	return def;
}

static void constraint(struct mg_lint *l, const struct mg_lint_unit *u,
		       const struct mg_json *c, const char *table,
		       const char *column)
{
	const char *contype = mg_json_get_string(c, "contype");
	const char *conname = mg_json_get_string(c, "conname");
	const char *action;
	size_t loc = (size_t)mg_lint_jint(c, "location",
					  (long)mg_lint_first(u));
	size_t ref, at;
	char *want = NULL, *have = NULL, *subject = NULL, *fix = NULL;

	if (!contype || strcmp(contype, "CONSTR_FOREIGN") || !convention(l))
		return;
	action = action_name(mg_json_get_string(c, "fk_del_action"));
	want = action_key(convention(l));
	have = action_key(action);
	if (!strcmp(want, have))
		goto out;
	if (conname)
		subject = mg_lint_quoted(NULL, NULL, conname);
	else
		subject = mg_lint_quoted(NULL, table, column ? column :
			mg_lint_name_part(mg_lint_jarray(c, "fk_attrs"), 0));
	ref = mg_lint_find_keyword(u, loc, "references", loc);
	at = delete_at(u, loc, SIZE_MAX);
	fix = mg_xstrfmt("write ON DELETE %s (drizzle: .references(() => "
			 "t.id, { onDelete: \"%s\" }))", convention(l),
			 convention(l));
	if (at == SIZE_MAX)
		mg_lint_add(l, "fk-on-delete", mg_lint_pos(u, ref), u->stmt,
			    fix, "foreign key %s has no ON DELETE (no "
			    "action), the convention is %s", subject,
			    convention(l));
	else
		mg_lint_add(l, "fk-on-delete", mg_lint_pos(u, at), u->stmt,
			    fix, "foreign key %s uses ON DELETE %s, the "
			    "convention is %s", subject, action,
			    convention(l));
out:
	free(fix);
	free(subject);
	free(want);
	free(have);
}

static void column(struct mg_lint *l, const struct mg_lint_unit *u,
		   const struct mg_json *coldef, const char *table)
{
	const struct mg_json *cons = mg_lint_jarray(coldef, "constraints");
	const char *col = mg_json_get_string(coldef, "colname");
	size_t i;

	for (i = 0; cons && i < cons->nr; i++)
		constraint(l, u, mg_lint_node_body(cons->children[i]), table,
			   col);
}

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	const struct mg_json *rel = mg_json_get(s, "relation");
	const char *table = mg_json_get_string(rel, "relname");
	const struct mg_json *list;
	size_t i;

	(void)state;
	if (!table)
		return;
	if (!strcmp(type, "CreateStmt")) {
		list = mg_lint_jarray(s, "tableElts");
		for (i = 0; list && i < list->nr; i++) {
			const char *t = mg_lint_node_type(list->children[i]);
			const struct mg_json *b =
				mg_lint_node_body(list->children[i]);

			if (!strcmp(t, "ColumnDef"))
				column(l, u, b, table);
			else if (!strcmp(t, "Constraint"))
				constraint(l, u, b, table, NULL);
		}
	} else if (!strcmp(type, "AlterTableStmt")) {
		list = mg_lint_jarray(s, "cmds");
		for (i = 0; list && i < list->nr; i++) {
			const struct mg_json *cmd =
				mg_lint_node_body(list->children[i]);
			const char *sub = mg_json_get_string(cmd, "subtype");
			const struct mg_json *def = mg_json_get(cmd, "def");

			if (!sub || !def)
				continue;
			if (!strcmp(sub, "AT_AddColumn"))
				column(l, u, mg_lint_node_body(def), table);
			else if (!strcmp(sub, "AT_AddConstraint"))
				constraint(l, u, mg_lint_node_body(def), table,
					   NULL);
		}
	}
}

const struct mg_lint_rule mg_lint_rule_fk_on_delete = {
	.id = "fk-on-delete",
	.stmt = stmt,
};

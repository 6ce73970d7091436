/*
 * The helpers rules share: file offsets of what the parse tree names,
 * parse tree access, names as PostgreSQL compares them.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migguard/migfolder.h"
#include "migguard/strbuf.h"
#include "rule.h"

/* ---- findings --------------------------------------------------------- */

void mg_lint_add(struct mg_lint *l, const char *rule, size_t offset,
		 size_t stmt, const char *fix, const char *fmt, ...)
{
	struct mg_strbuf msg = MG_STRBUF_INIT;
	struct mg_lint_finding *f;
	va_list ap;

	va_start(ap, fmt);
	mg_strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	l->findings_nr++;
	MG_ALLOC_GROW(l->findings, l->findings_nr, l->findings_alloc);
	f = &l->findings[l->findings_nr - 1];
	f->rule = rule;
	f->offset = offset;
	f->stmt = stmt;
	f->warning = 0;
	f->message = mg_strbuf_detach(&msg, NULL);
	if (!fix)
		f->hint = NULL;
	else if (stmt == MG_LINT_NO_STMT) /* only a file directive reaches it */
		f->hint = mg_xstrfmt("%s, or keep it with "
				     "'-- migguard-ignore-file %s <reason>'",
				     fix, rule);
	else
		f->hint = mg_xstrfmt("%s, or keep it with "
				     "'-- migguard-ignore %s <reason>' on the "
				     "line before the statement", fix, rule);
}

/* ---- positions -------------------------------------------------------- */

size_t mg_lint_pos(const struct mg_lint_unit *u, size_t rel)
{
	if (!u->exact)
		return u->fallback;
	return u->base + (rel > u->len ? u->len : rel);
}

size_t mg_lint_first(const struct mg_lint_unit *u)
{
	size_t i;

	for (i = 0; i < u->tokens_nr; i++)
		if (u->tokens[i].kind != MG_PG_TOKEN_COMMENT)
			return u->tokens[i].start;
	return 0;
}

char *mg_lint_token_ident(const char *text, const struct mg_pg_token *t)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	size_t i;

	if (t->kind == MG_PG_TOKEN_IDENT && text[t->start] == '"') {
		for (i = t->start + 1; i + 1 < t->end; i++) {
			mg_strbuf_addch(&sb, text[i]);
			if (text[i] == '"')
				i++; /* "" is one quote */
		}
		return mg_strbuf_detach(&sb, NULL);
	}
	for (i = t->start; i < t->end; i++)
		mg_strbuf_addch(&sb, (char)tolower((unsigned char)text[i]));
	return mg_strbuf_detach(&sb, NULL);
}

size_t mg_lint_token_at(const struct mg_lint_unit *u, size_t rel)
{
	size_t lo = 0, hi = u->tokens_nr;

	/* Tokens are in source order: the first one starting at rel on. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (u->tokens[mid].start < rel)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int mg_lint_token_is(const struct mg_lint_unit *u, size_t i,
		     const char *text)
{
	const struct mg_pg_token *t = &u->tokens[i];

	return t->end - t->start == strlen(text) &&
	       !strncasecmp(u->text + t->start, text, strlen(text));
}

char *mg_lint_ident_at(const struct mg_lint_unit *u, size_t rel)
{
	size_t i = mg_lint_token_at(u, rel);

	if (i >= u->tokens_nr || u->tokens[i].start != rel ||
	    u->tokens[i].kind != MG_PG_TOKEN_IDENT)
		return NULL;
	return mg_lint_token_ident(u->text, &u->tokens[i]);
}

size_t mg_lint_find(const struct mg_lint_unit *u, size_t rel,
		    const char *name, size_t def)
{
	size_t i;

	if (!name)
		return def;
	for (i = mg_lint_token_at(u, rel); i < u->tokens_nr; i++) {
		const struct mg_pg_token *t = &u->tokens[i];
		char *id;
		int match;

		if (t->kind != MG_PG_TOKEN_IDENT &&
		    t->kind != MG_PG_TOKEN_KEYWORD)
			continue;
		id = mg_lint_token_ident(u->text, t);
		/* The parse tree holds names already cut to 63 bytes. */
		match = !strcmp(id, name) ||
			(strlen(id) > MG_LINT_NAMEDATALEN_MAX &&
			 mg_lint_same_after_clip(id, name));
		free(id);
		if (match)
			return t->start;
	}
	return def;
}

size_t mg_lint_find_keyword(const struct mg_lint_unit *u, size_t rel,
			    const char *kw, size_t def)
{
	size_t i;

	for (i = mg_lint_token_at(u, rel); i < u->tokens_nr; i++) {
		const struct mg_pg_token *t = &u->tokens[i];

		if (t->kind == MG_PG_TOKEN_KEYWORD &&
		    t->end - t->start == strlen(kw) &&
		    !strncasecmp(u->text + t->start, kw, strlen(kw)))
			return t->start;
	}
	return def;
}

size_t *mg_lint_alter_positions(const struct mg_lint_unit *u,
				const struct mg_json *s)
{
	const struct mg_json *rel = mg_json_get(s, "relation");
	const struct mg_json *cmds = mg_lint_jarray(s, "cmds");
	size_t cursor = (size_t)mg_lint_jint(rel, "location",
					     (long)mg_lint_first(u));
	size_t i, *at;

	at = mg_xcalloc(cmds && cmds->nr ? cmds->nr : 1, sizeof(*at));
	for (i = 0; cmds && i < cmds->nr; i++) {
		const struct mg_json *cmd = mg_lint_node_body(cmds->children[i]);
		const char *sub = mg_json_get_string(cmd, "subtype");
		const char *name = mg_json_get_string(cmd, "name");
		const struct mg_json *def = mg_json_get(cmd, "def");

		if (!sub) {
		} else if (!strcmp(sub, "AT_DropColumn") && name) {
			cursor = mg_lint_find_keyword(u, cursor, "drop",
						      cursor);
			cursor = mg_lint_find(u, cursor, name, cursor);
		} else if (!strcmp(sub, "AT_AddColumn") && def) {
			cursor = (size_t)mg_lint_jint(mg_lint_node_body(def),
						      "location",
						      (long)cursor);
		} else if (!strcmp(sub, "AT_AddConstraint") && def) {
			cursor = (size_t)mg_lint_jint(mg_lint_node_body(def),
						      "location",
						      (long)cursor);
		} else if (!strcmp(sub, "AT_DropConstraint") && name) {
			cursor = mg_lint_find(u, cursor, name, cursor);
		}
		at[i] = cursor;
	}
	return at;
}

size_t mg_lint_drop_objects(struct mg_lint_object **out,
			    const struct mg_lint_unit *u,
			    const struct mg_json *s)
{
	const struct mg_json *objs = mg_lint_jarray(s, "objects");
	struct mg_lint_object *items;
	size_t cursor = mg_lint_first(u), i, n = 0;

	items = mg_xcalloc(objs && objs->nr ? objs->nr : 1, sizeof(*items));
	for (i = 0; objs && i < objs->nr; i++) {
		const struct mg_json *o = objs->children[i];
		const struct mg_json *parts = NULL;
		const char *schema = NULL, *name;

		if (!strcmp(mg_lint_node_type(o), "List"))
			parts = mg_lint_jarray(mg_lint_node_body(o), "items");
		else if (!strcmp(mg_lint_node_type(o), "TypeName"))
			parts = mg_lint_jarray(mg_lint_node_body(o), "names");
		name = parts ? mg_lint_name_part(parts, -1)
			     : mg_json_get_string(mg_lint_node_body(o),
						  "sval");
		if (!name)
			continue;
		if (parts && parts->nr > 1)
			schema = mg_lint_name_part(parts, -2);
		cursor = mg_lint_find(u, cursor, name, cursor);
		items[n].schema = schema;
		items[n].name = name;
		items[n].at = cursor;
		n++;
	}
	*out = items;
	return n;
}

/* ---- parse tree access ------------------------------------------------ */

const char *mg_lint_node_type(const struct mg_json *node)
{
	if (!node || node->type != MG_JSON_OBJECT || node->nr != 1)
		return "";
	return node->children[0]->key;
}

const struct mg_json *mg_lint_node_body(const struct mg_json *node)
{
	if (!node || node->type != MG_JSON_OBJECT || node->nr != 1)
		return NULL;
	return node->children[0];
}

int mg_lint_jbool(const struct mg_json *obj, const char *key)
{
	const struct mg_json *v = mg_json_get(obj, key);

	return v && v->type == MG_JSON_TRUE;
}

long mg_lint_jint(const struct mg_json *obj, const char *key, long def)
{
	const struct mg_json *v = mg_json_get(obj, key);

	return v && v->type == MG_JSON_NUMBER ? (long)v->number : def;
}

const struct mg_json *mg_lint_jarray(const struct mg_json *obj,
				     const char *key)
{
	const struct mg_json *v = mg_json_get(obj, key);

	return v && v->type == MG_JSON_ARRAY ? v : NULL;
}

const char *mg_lint_name_part(const struct mg_json *list, long i)
{
	const struct mg_json *s;

	if (!list || list->type != MG_JSON_ARRAY || !list->nr)
		return NULL;
	if (i < 0)
		i += (long)list->nr;
	if (i < 0 || (size_t)i >= list->nr)
		return NULL;
	s = mg_lint_node_body(list->children[i]);
	return mg_json_get_string(s, "sval");
}

const char *mg_lint_column_type(const struct mg_json *coldef)
{
	return mg_lint_name_part(
		mg_lint_jarray(mg_json_get(coldef, "typeName"), "names"), -1);
}

/* ---- names ------------------------------------------------------------ */

size_t mg_lint_ident_clip(const char *s)
{
	size_t n = strlen(s);

	if (n <= MG_LINT_NAMEDATALEN_MAX)
		return n;
	n = MG_LINT_NAMEDATALEN_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

int mg_lint_same_after_clip(const char *a, const char *b)
{
	size_t na = mg_lint_ident_clip(a), nb = mg_lint_ident_clip(b);

	return na == nb && !memcmp(a, b, na);
}

char *mg_lint_quoted(const char *schema, const char *table,
		     const char *name)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;

	if (schema && *schema && strcmp(schema, "public"))
		mg_strbuf_addf(&sb, "\"%s\".", schema);
	if (table)
		mg_strbuf_addf(&sb, "\"%s\"", table);
	if (table && name)
		mg_strbuf_addch(&sb, '.');
	if (name)
		mg_strbuf_addf(&sb, "\"%s\"", name);
	return mg_strbuf_detach(&sb, NULL);
}

struct mg_lint_name *mg_lint_names_push(struct mg_lint_names *n,
					const char *schema, const char *table,
					const char *name, size_t offset,
					size_t stmt)
{
	struct mg_lint_name *it;

	n->nr++;
	MG_ALLOC_GROW(n->items, n->nr, n->alloc);
	it = &n->items[n->nr - 1];
	it->schema = mg_xstrdup(schema && *schema ? schema : "public");
	it->table = table ? mg_xstrdup(table) : NULL;
	it->name = name ? mg_xstrdup(name) : NULL;
	it->extra = NULL;
	it->offset = offset;
	it->stmt = stmt;
	it->flag = 0;
	return it;
}

void mg_lint_names_release(struct mg_lint_names *n)
{
	size_t i;

	for (i = 0; i < n->nr; i++) {
		free(n->items[i].schema);
		free(n->items[i].table);
		free(n->items[i].name);
		free(n->items[i].extra);
	}
	free(n->items);
	memset(n, 0, sizeof(*n));
}

int mg_lint_same_table(const struct mg_lint_name *n, const char *schema,
		       const char *table)
{
	return n->table && !strcmp(n->table, table) &&
	       !strcmp(n->schema, schema && *schema ? schema : "public");
}

int mg_lint_guards_apply(const struct mg_lint *l,
			 const struct mg_lint_unit *u)
{
	return l->guards && !u->guarded;
}

const char *mg_lint_tenant_column(const struct mg_lint *l)
{
	const char *v = l->opts ? l->opts->tenant_column : NULL;

	return v && *v ? v : NULL;
}

void mg_lint_note_tenant_table(struct mg_lint_names *created,
			       const struct mg_lint *l,
			       const struct mg_lint_unit *u,
			       const struct mg_json *s)
{
	const struct mg_json *rel = mg_json_get(s, "relation");
	const struct mg_json *elts = mg_lint_jarray(s, "tableElts");
	const char *table = mg_json_get_string(rel, "relname");
	const char *column = mg_lint_tenant_column(l);
	size_t loc = (size_t)mg_lint_jint(rel, "location",
					  (long)mg_lint_first(u));
	size_t i;
	int tenant = 0;

	if (!table || !column)
		return;
	for (i = 0; elts && i < elts->nr; i++) {
		const char *col = mg_json_get_string(
			mg_lint_node_body(elts->children[i]), "colname");

		if (!strcmp(mg_lint_node_type(elts->children[i]),
			    "ColumnDef") &&
		    col && !strcmp(col, column))
			tenant = 1;
	}
	mg_lint_names_push(created, mg_json_get_string(rel, "schemaname"),
			   table, NULL, mg_lint_pos(u, loc), u->stmt)->flag =
		tenant;
}

/* ---- what the change created ---- */

static int same_schema(const char *a, const char *b)
{
	return !strcmp(a && *a ? a : "public", b && *b ? b : "public");
}

/* A journal snapshot's table, or NULL. */
static const struct mg_json *snap_table(const struct mg_json *snap,
					const char *schema, const char *table)
{
	const struct mg_json *tables = mg_json_get(snap, "tables");
	size_t i;

	for (i = 0; tables && tables->type == MG_JSON_OBJECT &&
		    i < tables->nr; i++) {
		const struct mg_json *t = tables->children[i];
		const char *name = mg_json_get_string(t, "name");

		if (name && !strcmp(name, table) &&
		    same_schema(mg_json_get_string(t, "schema"), schema))
			return t;
	}
	return NULL;
}

/* The schema (a snapshot or a replayed state) has the table / column. */
static int schema_has(const struct mg_json *snap,
		      const struct mg_ddl_state *st, const char *schema,
		      const char *table, const char *column)
{
	const struct mg_json *t;

	schema = schema && *schema ? schema : "public";
	if (st)
		return mg_ddl_state_find(st, column ? "columns" : "tables",
					 schema, column ? table : NULL,
					 column ? column : table) != NULL;
	t = snap_table(snap, schema, table);
	if (!t || !column)
		return t != NULL;
	return mg_json_get(mg_json_get(t, "columns"), column) != NULL;
}

/*
 * Every published table (table NULL), or every published column of
 * table, is still there before this migration: nothing published was
 * renamed into what is dropped.
 */
static int published_kept(const struct mg_lint *l, const char *schema,
			  const char *table)
{
	const struct mg_lint_input *in = l->in;
	const struct mg_json *prev = in->prev_snapshot;
	const struct mg_ddl_state *ps = in->prev_state;
	size_t i;

	if (in->published_state) {
		const struct mg_ddl_state *s = in->published_state;

		for (i = 0; i < s->nr; i++) {
			const struct mg_ddl_entity *e = &s->items[i];

			if (!e->name)
				continue;
			if (!table && !strcmp(e->entity_type, "tables") &&
			    !schema_has(prev, ps, e->schema, e->name, NULL))
				return 0;
			if (table && !strcmp(e->entity_type, "columns") &&
			    e->table && !strcmp(e->table, table) &&
			    same_schema(e->schema, schema) &&
			    !schema_has(prev, ps, e->schema, table, e->name))
				return 0;
		}
		return 1;
	}
	if (table) {
		const struct mg_json *cols = mg_json_get(
			snap_table(in->published_snapshot, schema, table),
			"columns");

		for (i = 0; cols && cols->type == MG_JSON_OBJECT &&
			    i < cols->nr; i++)
			if (!schema_has(prev, ps, schema, table,
					cols->children[i]->key))
				return 0;
		return 1;
	}
	{
		const struct mg_json *tables = mg_json_get(
			in->published_snapshot, "tables");

		for (i = 0; tables && tables->type == MG_JSON_OBJECT &&
			    i < tables->nr; i++) {
			const struct mg_json *t = tables->children[i];
			const char *name = mg_json_get_string(t, "name");

			if (!name ||
			    !schema_has(prev, ps,
					mg_json_get_string(t, "schema"), name,
					NULL))
				return 0;
		}
	}
	return 1;
}

int mg_lint_unpublished(const struct mg_lint *l, const char *schema,
			const char *table, const char *column)
{
	const struct mg_lint_input *in = l->in;
	const struct mg_json *pub = in->published_snapshot;
	const struct mg_ddl_state *ps = in->published_state;

	if (!in->published_known || !table ||
	    (!in->prev_snapshot && !in->prev_state) ||
	    !schema_has(in->prev_snapshot, in->prev_state, schema, table,
			column))
		return 0;
	if ((pub || ps) && schema_has(pub, ps, schema, table, column))
		return 0;
	/* A renamed published table, or a renamed published column. */
	if (!published_kept(l, schema, NULL))
		return 0;
	return !column || published_kept(l, schema, table);
}

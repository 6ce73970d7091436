/*
 * migguard-lint: review a migration's SQL the way the user workflow's
 * "Review the generated SQL" step asks, with PostgreSQL's own parser.
 *
 * The file is cut where drizzle's migrator cuts it (every
 * "--> statement-breakpoint", even inside a string), each chunk is split
 * into statements by the scanner and each statement parsed alone, so one
 * bad statement does not hide the rest. DO blocks are parsed as PL/pgSQL
 * and the SQL inside them (EXECUTE of a string literal too) is linted as
 * if it stood at the top level. Findings are collected with byte offsets
 * and the statement they belong to, then filtered by the migguard-ignore
 * directives and mapped to line:column by mg_srcmap.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migguard/check.h"
#include "migguard/lint.h"
#include "migguard/migdir.h"
#include "migguard/pgparse.h"
#include "migguard/srcmap.h"
#include "migguard/strbuf.h"

#define NAMEDATALEN_MAX 63 /* PostgreSQL keeps NAMEDATALEN - 1 bytes */
#define NO_STMT SIZE_MAX   /* a finding of the file, not of a statement */
#define NO_OWNER (SIZE_MAX - 1) /* an ignore directive before nothing */

static const char breakpoint[] = "--> statement-breakpoint";

struct finding {
	const char *rule;
	size_t offset;
	size_t stmt;
	int warning; /* always a warning, whatever the rule's severity */
	char *message;
	char *hint;
};

struct ignore {
	char *rule;
	size_t offset; /* of the directive */
	size_t stmt;   /* NO_STMT: the whole file */
	int used;
};

struct stmt {
	size_t start, end; /* [start, end) in the file, ';' excluded */
	size_t first;	   /* offset of the first token */
	size_t first_tok;  /* its index in lint.tokens */
	int header;	   /* led by a "-- Manual addition:" comment */
	const char *manual; /* what makes it hand-written, or NULL */
};

/* A name of a table, column, index or constraint, with where it is. */
struct name {
	char *schema; /* "public" when not written */
	char *table;
	char *name;   /* column, index or constraint; NULL for a table */
	size_t offset;
	size_t stmt;
	int flag; /* tables: has the tenant column; snapshot names: dropped */
};

struct names {
	struct name *items;
	size_t nr, alloc;
};

struct policy {
	char *schema, *table;
	unsigned cmds; /* CMD_* bits */
};

enum {
	CMD_SELECT = 1,
	CMD_INSERT = 2,
	CMD_UPDATE = 4,
	CMD_DELETE = 8,
	CMD_ALL = 15,
};

struct lint {
	struct mg_report *r;
	const struct mg_lint_options *opts;
	const struct mg_lint_input *in;
	char *buf; /* NUL-terminated copy, BOM and NUL bytes blanked */
	size_t len;
	struct mg_srcmap map;
	int failed;  /* an internal error, in mg_error_last() */
	int guards;  /* missing-if-not-exists applies to this file */
	int custom;
	struct mg_pg_token *tokens; /* every chunk's, in file offsets */
	size_t tokens_nr, tokens_alloc;
	struct stmt *stmts;
	size_t stmts_nr, stmts_alloc;
	struct finding *findings;
	size_t findings_nr, findings_alloc;
	struct ignore *ignores;
	size_t ignores_nr, ignores_alloc;
	struct names created;	 /* tables created here */
	struct names rls;	 /* tables with ENABLE ROW LEVEL SECURITY */
	struct names dropped;	 /* columns dropped */
	struct names added;	 /* columns added */
	struct names snapshot;	 /* index/constraint names before */
	struct names new_names;	 /* index/constraint names made here */
	struct policy *policies;
	size_t policies_nr, policies_alloc;
};

/* What a DO block holds, to tell drizzle-kit's guards from hand work. */
struct do_shape {
	size_t stmts, generated;
	int dynamic;
};

/* A piece of SQL text linted on its own: a statement, or SQL in a DO. */
struct unit {
	const char *text;
	size_t len;
	size_t base;	 /* file offset of text[0] when exact */
	int exact;	 /* text is the file's bytes at base */
	size_t fallback; /* file offset for everything when not exact */
	size_t stmt;
	int in_do, guarded;
	struct do_shape *shape;
	struct mg_pg_token *tokens;
	size_t tokens_nr;
};

/* ---- small helpers ---------------------------------------------------- */

static const char *opt_or(const char *v, const char *def)
{
	return v && *v ? v : def;
}

static const char *tenant_column(const struct lint *l)
{
	return opt_or(l->opts ? l->opts->tenant_column : NULL,
		      "organization_id");
}

static const char *tenant_role(const struct lint *l)
{
	return opt_or(l->opts ? l->opts->tenant_role : NULL, "authenticated");
}

static const char *fk_convention(const struct lint *l)
{
	return opt_or(l->opts ? l->opts->fk_on_delete : NULL, "cascade");
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

/* PostgreSQL's truncation: 63 bytes, not splitting a UTF-8 character. */
static size_t ident_clip(const char *s)
{
	size_t n = strlen(s);

	if (n <= NAMEDATALEN_MAX)
		return n;
	n = NAMEDATALEN_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

static int same_after_clip(const char *a, const char *b)
{
	size_t na = ident_clip(a), nb = ident_clip(b);

	return na == nb && !memcmp(a, b, na);
}

static char *quoted(const char *schema, const char *table, const char *name)
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

static void names_push(struct names *n, const char *schema,
		       const char *table, const char *name, size_t offset,
		       size_t stmt)
{
	struct name *it;

	n->nr++;
	MG_ALLOC_GROW(n->items, n->nr, n->alloc);
	it = &n->items[n->nr - 1];
	it->schema = mg_xstrdup(schema && *schema ? schema : "public");
	it->table = table ? mg_xstrdup(table) : NULL;
	it->name = name ? mg_xstrdup(name) : NULL;
	it->offset = offset;
	it->stmt = stmt;
	it->flag = 0;
}

static void names_release(struct names *n)
{
	size_t i;

	for (i = 0; i < n->nr; i++) {
		free(n->items[i].schema);
		free(n->items[i].table);
		free(n->items[i].name);
	}
	free(n->items);
	memset(n, 0, sizeof(*n));
}

static int same_table(const struct name *n, const char *schema,
		      const char *table)
{
	return n->table && !strcmp(n->table, table) &&
	       !strcmp(n->schema, schema && *schema ? schema : "public");
}

/* ---- parse tree access ------------------------------------------------ */

static const char *node_type(const struct mg_json *node)
{
	if (!node || node->type != MG_JSON_OBJECT || node->nr != 1)
		return "";
	return node->children[0]->key;
}

static const struct mg_json *node_body(const struct mg_json *node)
{
	if (!node || node->type != MG_JSON_OBJECT || node->nr != 1)
		return NULL;
	return node->children[0];
}

static int jbool(const struct mg_json *obj, const char *key)
{
	const struct mg_json *v = mg_json_get(obj, key);

	return v && v->type == MG_JSON_TRUE;
}

static long jint(const struct mg_json *obj, const char *key, long def)
{
	const struct mg_json *v = mg_json_get(obj, key);

	return v && v->type == MG_JSON_NUMBER ? (long)v->number : def;
}

static const struct mg_json *jarray(const struct mg_json *obj,
				    const char *key)
{
	const struct mg_json *v = mg_json_get(obj, key);

	return v && v->type == MG_JSON_ARRAY ? v : NULL;
}

/* The sval of the i-th String node of a name list, from the end if < 0. */
static const char *name_part(const struct mg_json *list, long i)
{
	const struct mg_json *s;

	if (!list || list->type != MG_JSON_ARRAY || !list->nr)
		return NULL;
	if (i < 0)
		i += (long)list->nr;
	if (i < 0 || (size_t)i >= list->nr)
		return NULL;
	s = node_body(list->children[i]);
	return mg_json_get_string(s, "sval");
}

/* ---- findings --------------------------------------------------------- */

static void add_finding(struct lint *l, const char *rule, size_t offset,
			size_t stmt, const char *fix, const char *fmt, ...)
	MG_PRINTF(6, 7);

static void add_finding(struct lint *l, const char *rule, size_t offset,
			size_t stmt, const char *fix, const char *fmt, ...)
{
	struct mg_strbuf msg = MG_STRBUF_INIT;
	struct finding *f;
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
	f->hint = fix ? mg_xstrfmt("%s, or keep it with "
				   "'-- migguard-ignore %s <reason>' on the "
				   "line before the statement", fix, rule)
		      : NULL;
}

static size_t unit_pos(const struct unit *u, size_t rel)
{
	if (!u->exact)
		return u->fallback;
	return u->base + (rel > u->len ? u->len : rel);
}

/* Offset of the first token of the unit that is not a comment. */
static size_t unit_first(const struct unit *u)
{
	size_t i;

	for (i = 0; i < u->tokens_nr; i++)
		if (u->tokens[i].kind != MG_PG_TOKEN_COMMENT)
			return u->tokens[i].start;
	return 0;
}

/* The identifier or keyword token as PostgreSQL reads it. */
static char *token_ident(const char *text, const struct mg_pg_token *t)
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

/* Index of the first token at or after rel; tokens_nr when none. */
static size_t unit_token_at(const struct unit *u, size_t rel)
{
	size_t i;

	for (i = 0; i < u->tokens_nr; i++)
		if (u->tokens[i].start >= rel)
			return i;
	return u->tokens_nr;
}

/*
 * The first identifier (or keyword used as one) equal to name at or after
 * rel. Returns its offset, or def when there is none.
 */
static size_t unit_find(const struct unit *u, size_t rel, const char *name,
			size_t def)
{
	size_t i;

	if (!name)
		return def;
	for (i = unit_token_at(u, rel); i < u->tokens_nr; i++) {
		const struct mg_pg_token *t = &u->tokens[i];
		char *id;
		int match;

		if (t->kind != MG_PG_TOKEN_IDENT &&
		    t->kind != MG_PG_TOKEN_KEYWORD)
			continue;
		id = token_ident(u->text, t);
		/* The parse tree holds names already cut to 63 bytes. */
		match = !strcmp(id, name) ||
			(strlen(id) > NAMEDATALEN_MAX &&
			 same_after_clip(id, name));
		free(id);
		if (match)
			return t->start;
	}
	return def;
}

static size_t unit_find_keyword(const struct unit *u, size_t rel,
				const char *kw, size_t def)
{
	size_t i;

	for (i = unit_token_at(u, rel); i < u->tokens_nr; i++) {
		const struct mg_pg_token *t = &u->tokens[i];

		if (t->kind == MG_PG_TOKEN_KEYWORD &&
		    t->end - t->start == strlen(kw) &&
		    !strncasecmp(u->text + t->start, kw, strlen(kw)))
			return t->start;
	}
	return def;
}

static int token_is(const struct unit *u, size_t i, const char *text)
{
	const struct mg_pg_token *t = &u->tokens[i];

	return t->end - t->start == strlen(text) &&
	       !strncasecmp(u->text + t->start, text, strlen(text));
}

/* ---- rules on single statements --------------------------------------- */

static void check_tokens(struct lint *l, const struct unit *u)
{
	size_t i;

	for (i = 0; i < u->tokens_nr; i++) {
		const struct mg_pg_token *t = &u->tokens[i];
		char *id;

		if (t->kind == MG_PG_TOKEN_KEYWORD &&
		    token_is(u, i, "concurrently"))
			add_finding(l, "concurrently-in-transaction",
				unit_pos(u, t->start), u->stmt,
				"drizzle runs all pending migrations in one "
				"transaction, where CONCURRENTLY fails: drop "
				"the keyword (the table is locked meanwhile) "
				"or run it outside the migrator",
				"CONCURRENTLY cannot run inside the "
				"migrator's transaction");
		if (t->kind != MG_PG_TOKEN_IDENT)
			continue;
		id = token_ident(u->text, t);
		if (strlen(id) > NAMEDATALEN_MAX)
			add_finding(l, "identifier-too-long",
				unit_pos(u, t->start), u->stmt,
				"shorten it (in the schema, give the index, "
				"foreign key or constraint an explicit name)",
				"identifier \"%s\" is %zu bytes, postgresql "
				"silently truncates it to \"%.*s\"", id,
				strlen(id), (int)ident_clip(id), id);
		free(id);
	}
}

static int guards_apply(const struct lint *l, const struct unit *u)
{
	return l->guards && !u->guarded;
}

static void missing_guard(struct lint *l, const struct unit *u, size_t rel,
			  const char *what, const char *subject,
			  const char *guard)
{
	add_finding(l, "missing-if-not-exists", unit_pos(u, rel), u->stmt,
		    "add the guard so that the migration can run again on a "
		    "database that has it",
		    "%s %s has no %s", what, subject, guard);
}

/* Forget index or constraint names dropped here: they may be reused. */
static void names_forget(struct names *n, const char *name, const char *table)
{
	size_t i;

	for (i = 0; i < n->nr; i++) {
		if (name && n->items[i].name && !strcmp(n->items[i].name, name))
			n->items[i].flag = 1;
		if (table && n->items[i].table &&
		    !strcmp(n->items[i].table, table))
			n->items[i].flag = 1;
	}
}

/* The identifier as written at rel (not cut to 63 bytes), or NULL. */
static char *unit_ident_at(const struct unit *u, size_t rel)
{
	size_t i = unit_token_at(u, rel);

	if (i >= u->tokens_nr || u->tokens[i].start != rel ||
	    u->tokens[i].kind != MG_PG_TOKEN_IDENT)
		return NULL;
	return token_ident(u->text, &u->tokens[i]);
}

static void check_new_name(struct lint *l, const struct unit *u, size_t rel,
			   const char *kind, const char *parsed,
			   const char *table)
{
	size_t i, pos = unit_pos(u, rel);
	unsigned line, col;
	char *written = unit_ident_at(u, rel);
	const char *name = written ? written : parsed;
	char *q = quoted(NULL, NULL, name);
	const char *fix = "rename it (in the schema, pass an explicit name)";

	for (i = 0; i < l->snapshot.nr; i++) {
		const struct name *n = &l->snapshot.items[i];

		if (n->flag || !same_after_clip(n->name, name))
			continue;
		if (!strcmp(n->name, name))
			add_finding(l, "index-name-collision", pos, u->stmt,
				    fix, "%s name %s is already used on table "
				    "\"%s\" in the previous snapshot", kind, q,
				    n->table);
		else
			add_finding(l, "index-name-collision", pos, u->stmt,
				    fix, "%s name %s equals \"%s\" of table "
				    "\"%s\" once postgresql truncates both to "
				    "63 bytes", kind, q, n->name, n->table);
		goto out;
	}
	for (i = 0; i < l->new_names.nr; i++) {
		const struct name *n = &l->new_names.items[i];

		if (n->flag || !same_after_clip(n->name, name))
			continue;
		mg_srcmap_locate(&l->map, n->offset, &line, &col);
		if (!strcmp(n->name, name))
			add_finding(l, "index-name-collision", pos, u->stmt,
				    fix, "%s name %s is used twice in this "
				    "migration (first on line %u)", kind, q,
				    line);
		else
			add_finding(l, "index-name-collision", pos, u->stmt,
				    fix, "%s name %s equals \"%s\" (line %u) "
				    "once postgresql truncates both to 63 "
				    "bytes", kind, q, n->name, line);
		goto out;
	}
out:
	names_push(&l->new_names, NULL, table, name, pos, u->stmt);
	free(written);
	free(q);
}

static const char *fk_action_name(const char *code)
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

/* The ON DELETE action's token of the FK whose REFERENCES is at or after
 * rel, or NULL-ish def when the FK has no ON DELETE. */
static size_t fk_delete_at(const struct unit *u, size_t rel, size_t def)
{
	size_t i = unit_token_at(u, rel);
	int depth = 0, seen_ref = 0;

	for (; i < u->tokens_nr; i++) {
		if (u->tokens[i].kind == MG_PG_TOKEN_COMMENT)
			continue;
		if (token_is(u, i, "references"))
			seen_ref = 1;
		if (!seen_ref)
			continue;
		if (token_is(u, i, "("))
			depth++;
		if (token_is(u, i, ")") && --depth < 0)
			break;
		if ((token_is(u, i, ",") && !depth) ||
		    u->tokens[i].kind == MG_PG_TOKEN_SEMICOLON)
			break;
		if (token_is(u, i, "delete") && i > 0 &&
		    token_is(u, i - 1, "on") && i + 1 < u->tokens_nr)
			return u->tokens[i + 1].start;
	}
	return def;
}

static void check_constraint(struct lint *l, const struct unit *u,
			     const struct mg_json *c, const char *schema,
			     const char *table, const char *column)
{
	const char *contype = mg_json_get_string(c, "contype");
	const char *conname = mg_json_get_string(c, "conname");
	const char *del = mg_json_get_string(c, "fk_del_action");
	size_t loc = (size_t)jint(c, "location", (long)unit_first(u));
	char *want = NULL, *have = NULL, *subject = NULL;
	const char *action;

	if (!contype)
		return;
	if (conname)
		check_new_name(l, u, unit_find(u, loc, conname, loc),
			       "constraint", conname, table);
	if (strcmp(contype, "CONSTR_FOREIGN"))
		return;
	action = fk_action_name(del);
	want = action_key(fk_convention(l));
	have = action_key(action);
	if (!strcmp(want, have))
		goto out;
	if (conname)
		subject = quoted(NULL, NULL, conname);
	else
		subject = quoted(NULL, table, column ? column :
				 name_part(jarray(c, "fk_attrs"), 0));
	(void)schema;
	{
		size_t ref = unit_find_keyword(u, loc, "references", loc);
		size_t at = fk_delete_at(u, loc, SIZE_MAX);
		char *fix = mg_xstrfmt("write ON DELETE %s (drizzle: "
				       ".references(() => t.id, { onDelete: "
				       "\"%s\" }))", fk_convention(l),
				       fk_convention(l));

		if (at == SIZE_MAX)
			add_finding(l, "fk-on-delete", unit_pos(u, ref),
				    u->stmt, fix, "foreign key %s has no ON "
				    "DELETE (no action), the convention is %s",
				    subject, fk_convention(l));
		else
			add_finding(l, "fk-on-delete", unit_pos(u, at),
				    u->stmt, fix, "foreign key %s uses ON "
				    "DELETE %s, the convention is %s", subject,
				    action, fk_convention(l));
		free(fix);
	}
out:
	free(subject);
	free(want);
	free(have);
}

static int is_generated_tsvector(const struct mg_json *coldef)
{
	const struct mg_json *cons = jarray(coldef, "constraints");
	const char *type = name_part(
		jarray(mg_json_get(coldef, "typeName"), "names"), -1);
	size_t i;

	if (!cons || !type || strcmp(type, "tsvector"))
		return 0;
	for (i = 0; i < cons->nr; i++) {
		const char *ct = mg_json_get_string(
			node_body(cons->children[i]), "contype");

		if (ct && !strcmp(ct, "CONSTR_GENERATED"))
			return 1;
	}
	return 0;
}

static void mark_manual(struct lint *l, const struct unit *u,
			const char *what)
{
	if (u->in_do || u->stmt == NO_STMT || l->stmts[u->stmt].manual)
		return;
	l->stmts[u->stmt].manual = what;
}

static void check_column(struct lint *l, const struct unit *u,
			 const struct mg_json *coldef, const char *schema,
			 const char *table)
{
	const struct mg_json *cons = jarray(coldef, "constraints");
	const char *col = mg_json_get_string(coldef, "colname");
	size_t i;

	if (is_generated_tsvector(coldef))
		mark_manual(l, u, "generated tsvector column");
	for (i = 0; cons && i < cons->nr; i++)
		check_constraint(l, u, node_body(cons->children[i]), schema,
				 table, col);
}

static void check_create_table(struct lint *l, const struct unit *u,
			       const struct mg_json *s)
{
	const struct mg_json *rel = mg_json_get(s, "relation");
	const struct mg_json *elts = jarray(s, "tableElts");
	const char *schema = mg_json_get_string(rel, "schemaname");
	const char *table = mg_json_get_string(rel, "relname");
	size_t loc = (size_t)jint(rel, "location", (long)unit_first(u));
	size_t i;
	int tenant = 0;
	char *q;

	if (!table)
		return;
	q = quoted(schema, table, NULL);
	if (!jbool(s, "if_not_exists") && guards_apply(l, u))
		missing_guard(l, u, loc, "CREATE TABLE", q, "IF NOT EXISTS");
	for (i = 0; elts && i < elts->nr; i++) {
		const char *type = node_type(elts->children[i]);
		const struct mg_json *body = node_body(elts->children[i]);
		const char *col = mg_json_get_string(body, "colname");

		if (!strcmp(type, "ColumnDef")) {
			if (col && !strcmp(col, tenant_column(l)))
				tenant = 1;
			check_column(l, u, body, schema, table);
		} else if (!strcmp(type, "Constraint")) {
			check_constraint(l, u, body, schema, table, NULL);
		}
	}
	names_push(&l->created, schema, table, NULL, unit_pos(u, loc),
		   u->stmt);
	l->created.items[l->created.nr - 1].flag = tenant;
	free(q);
}

static void check_alter_table(struct lint *l, const struct unit *u,
			      const struct mg_json *s)
{
	const struct mg_json *rel = mg_json_get(s, "relation");
	const struct mg_json *cmds = jarray(s, "cmds");
	const char *schema = mg_json_get_string(rel, "schemaname");
	const char *table = mg_json_get_string(rel, "relname");
	size_t cursor = (size_t)jint(rel, "location", (long)unit_first(u));
	size_t i;

	if (!table || !cmds)
		return;
	for (i = 0; i < cmds->nr; i++) {
		const struct mg_json *cmd = node_body(cmds->children[i]);
		const char *sub = mg_json_get_string(cmd, "subtype");
		const char *name = mg_json_get_string(cmd, "name");
		const struct mg_json *def = mg_json_get(cmd, "def");
		char *q = NULL;
		size_t at;

		if (!sub)
			continue;
		if (!strcmp(sub, "AT_DropColumn") && name) {
			at = unit_find_keyword(u, cursor, "drop", cursor);
			at = unit_find(u, at, name, at);
			cursor = at;
			q = quoted(schema, table, name);
			add_finding(l, "drop-column", unit_pos(u, at), u->stmt,
				    "deploy code that no longer reads it first "
				    "and drop it in a later migration; if it "
				    "was renamed, use ALTER TABLE ... RENAME "
				    "COLUMN", "column %s is dropped", q);
			if (!jbool(cmd, "missing_ok") && guards_apply(l, u))
				missing_guard(l, u, at, "DROP COLUMN", q,
					      "IF EXISTS");
			names_push(&l->dropped, schema, table, name,
				   unit_pos(u, at), u->stmt);
		} else if (!strcmp(sub, "AT_AddColumn") && def) {
			const struct mg_json *cd = node_body(def);
			const char *col = mg_json_get_string(cd, "colname");

			at = (size_t)jint(cd, "location", (long)cursor);
			cursor = at;
			q = quoted(schema, table, col);
			if (!jbool(cmd, "missing_ok") && guards_apply(l, u))
				missing_guard(l, u, at, "ADD COLUMN", q,
					      "IF NOT EXISTS");
			if (col)
				names_push(&l->added, schema, table, col,
					   unit_pos(u, at), u->stmt);
			check_column(l, u, cd, schema, table);
		} else if (!strcmp(sub, "AT_AddConstraint") && def) {
			const struct mg_json *c = node_body(def);

			cursor = (size_t)jint(c, "location", (long)cursor);
			check_constraint(l, u, c, schema, table, NULL);
		} else if (!strcmp(sub, "AT_DropConstraint") && name) {
			at = unit_find(u, cursor, name, cursor);
			cursor = at;
			names_forget(&l->snapshot, name, NULL);
			names_forget(&l->new_names, name, NULL);
			q = quoted(schema, table, name);
			if (!jbool(cmd, "missing_ok") && guards_apply(l, u))
				missing_guard(l, u, at, "DROP CONSTRAINT", q,
					      "IF EXISTS");
		} else if (!strcmp(sub, "AT_EnableRowSecurity")) {
			names_push(&l->rls, schema, table, NULL, 0, u->stmt);
		}
		free(q);
	}
}

static const char *drop_what(const char *type)
{
	static const struct {
		const char *type, *sql;
	} kinds[] = {
		{ "OBJECT_TABLE", "DROP TABLE" },
		{ "OBJECT_INDEX", "DROP INDEX" },
		{ "OBJECT_TYPE", "DROP TYPE" },
		{ "OBJECT_SCHEMA", "DROP SCHEMA" },
		{ "OBJECT_SEQUENCE", "DROP SEQUENCE" },
		{ "OBJECT_VIEW", "DROP VIEW" },
		{ "OBJECT_MATVIEW", "DROP MATERIALIZED VIEW" },
		{ "OBJECT_POLICY", "DROP POLICY" },
		{ "OBJECT_FUNCTION", "DROP FUNCTION" },
		{ "OBJECT_TRIGGER", "DROP TRIGGER" },
		{ "OBJECT_EXTENSION", "DROP EXTENSION" },
		{ "OBJECT_ROLE", "DROP ROLE" },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].type, type))
			return kinds[i].sql;
	return "DROP";
}

static void check_drop(struct lint *l, const struct unit *u,
		       const struct mg_json *s)
{
	const char *type = mg_json_get_string(s, "removeType");
	const struct mg_json *objs = jarray(s, "objects");
	size_t cursor = unit_first(u), i;
	int table, guard_done = 0;

	if (!type || !objs)
		return;
	table = !strcmp(type, "OBJECT_TABLE");
	for (i = 0; i < objs->nr; i++) {
		const struct mg_json *o = objs->children[i];
		const struct mg_json *items = NULL;
		const char *schema = NULL, *name;
		char *q;

		if (!strcmp(node_type(o), "List"))
			items = jarray(node_body(o), "items");
		else if (!strcmp(node_type(o), "TypeName"))
			items = jarray(node_body(o), "names");
		else if (!strcmp(node_type(o), "String"))
			items = NULL;
		name = items ? name_part(items, -1)
			     : mg_json_get_string(node_body(o), "sval");
		if (!name)
			continue;
		if (items && items->nr > 1)
			schema = name_part(items, -2);
		cursor = unit_find(u, cursor, name, cursor);
		q = quoted(schema, name, NULL);
		if (table) {
			add_finding(l, "drop-table", unit_pos(u, cursor),
				    u->stmt, "make sure no deployed code uses "
				    "it and its data is not needed (back it up "
				    "first)", "table %s is dropped", q);
			names_forget(&l->snapshot, NULL, name);
		}
		if (!strcmp(type, "OBJECT_INDEX")) {
			names_forget(&l->snapshot, name, NULL);
			names_forget(&l->new_names, name, NULL);
		}
		if (!guard_done && !jbool(s, "missing_ok") &&
		    guards_apply(l, u)) {
			missing_guard(l, u, cursor, drop_what(type), q,
				      "IF EXISTS");
			guard_done = 1;
		}
		free(q);
	}
}

static void check_index(struct lint *l, const struct unit *u,
			const struct mg_json *s)
{
	const struct mg_json *rel = mg_json_get(s, "relation");
	const char *name = mg_json_get_string(s, "idxname");
	const char *table = mg_json_get_string(rel, "relname");
	size_t first = unit_first(u), at;
	char *q;

	if (!name)
		return;
	at = unit_find(u, first, name, first);
	q = quoted(NULL, NULL, name);
	if (!jbool(s, "if_not_exists") && guards_apply(l, u))
		missing_guard(l, u, at, "CREATE INDEX", q, "IF NOT EXISTS");
	check_new_name(l, u, at, "index", name, table);
	free(q);
}

static void check_enum(struct lint *l, const struct unit *u,
		       const struct mg_json *s)
{
	const struct mg_json *names = jarray(s, "typeName");
	const char *name = name_part(names, -1);
	const char *schema = names && names->nr > 1 ? name_part(names, 0)
						    : NULL;
	size_t first = unit_first(u);
	char *q;

	if (u->guarded) {
		if (u->shape)
			u->shape->generated++;
		return;
	}
	q = quoted(schema, name, NULL);
	add_finding(l, "enum-without-guard",
		    unit_pos(u, unit_find(u, first, name, first)), u->stmt,
		    "wrap it: DO $$ BEGIN CREATE TYPE ...; EXCEPTION WHEN "
		    "duplicate_object THEN null; END $$",
		    "enum %s is created without a duplicate_object guard", q);
	free(q);
}

static unsigned policy_cmd(const char *cmd)
{
	if (!cmd || !strcmp(cmd, "all"))
		return CMD_ALL;
	if (!strcmp(cmd, "select"))
		return CMD_SELECT;
	if (!strcmp(cmd, "insert"))
		return CMD_INSERT;
	if (!strcmp(cmd, "update"))
		return CMD_UPDATE;
	if (!strcmp(cmd, "delete"))
		return CMD_DELETE;
	return 0;
}

static void check_policy(struct lint *l, const struct mg_json *s)
{
	const struct mg_json *rel = mg_json_get(s, "table");
	const struct mg_json *roles = jarray(s, "roles");
	const char *table = mg_json_get_string(rel, "relname");
	const char *schema = mg_json_get_string(rel, "schemaname");
	struct policy *p;
	size_t i;
	int to_tenant = 0;

	for (i = 0; roles && i < roles->nr; i++) {
		const char *role = mg_json_get_string(
			node_body(roles->children[i]), "rolename");

		if (role && !strcmp(role, tenant_role(l)))
			to_tenant = 1;
	}
	if (!table || !to_tenant)
		return;
	l->policies_nr++;
	MG_ALLOC_GROW(l->policies, l->policies_nr, l->policies_alloc);
	p = &l->policies[l->policies_nr - 1];
	p->schema = mg_xstrdup(schema ? schema : "public");
	p->table = mg_xstrdup(table);
	p->cmds = policy_cmd(mg_json_get_string(s, "cmd_name"));
}

static void lint_do(struct lint *l, struct unit *u, const struct mg_json *s);

/* One parsed statement of a unit. */
static void lint_node(struct lint *l, struct unit *u,
		      const struct mg_json *node)
{
	const char *type = node_type(node);
	const struct mg_json *s = node_body(node);
	size_t first = unit_first(u);

	if (u->shape)
		u->shape->stmts++;
	if (!strcmp(type, "CreateStmt")) {
		check_create_table(l, u, s);
	} else if (!strcmp(type, "AlterTableStmt")) {
		const struct mg_json *cmds = jarray(s, "cmds");
		size_t i, fk = 0;

		check_alter_table(l, u, s);
		for (i = 0; cmds && i < cmds->nr; i++) {
			const char *sub = mg_json_get_string(
				node_body(cmds->children[i]), "subtype");

			fk += sub && !strcmp(sub, "AT_AddConstraint");
		}
		if (u->shape && u->guarded && cmds && fk == cmds->nr)
			u->shape->generated++;
	} else if (!strcmp(type, "DropStmt")) {
		check_drop(l, u, s);
	} else if (!strcmp(type, "IndexStmt")) {
		check_index(l, u, s);
	} else if (!strcmp(type, "CreateSchemaStmt")) {
		const char *name = mg_json_get_string(s, "schemaname");
		char *q = quoted(NULL, NULL, name ? name : "");

		if (!jbool(s, "if_not_exists") && guards_apply(l, u))
			missing_guard(l, u, unit_find(u, first, name, first),
				      "CREATE SCHEMA", q, "IF NOT EXISTS");
		free(q);
	} else if (!strcmp(type, "CreateSeqStmt")) {
		const struct mg_json *rel = mg_json_get(s, "sequence");
		char *q = quoted(mg_json_get_string(rel, "schemaname"),
				 mg_json_get_string(rel, "relname"), NULL);

		if (!jbool(s, "if_not_exists") && guards_apply(l, u))
			missing_guard(l, u, (size_t)jint(rel, "location",
							 (long)first),
				      "CREATE SEQUENCE", q, "IF NOT EXISTS");
		free(q);
	} else if (!strcmp(type, "CreateEnumStmt")) {
		check_enum(l, u, s);
	} else if (!strcmp(type, "CreateExtensionStmt")) {
		const char *name = mg_json_get_string(s, "extname");
		char *q = quoted(NULL, NULL, name ? name : "");

		mark_manual(l, u, "CREATE EXTENSION");
		if (!jbool(s, "if_not_exists"))
			add_finding(l, "extension-without-guard",
				    unit_pos(u, unit_find(u, first, name,
							  first)),
				    u->stmt, "write CREATE EXTENSION IF NOT "
				    "EXISTS", "extension %s is created without "
				    "IF NOT EXISTS", q);
		free(q);
	} else if (!strcmp(type, "CreatePolicyStmt")) {
		check_policy(l, s);
	} else if (!strcmp(type, "DoStmt")) {
		lint_do(l, u, s);
	} else if (!strcmp(type, "GrantStmt")) {
		mark_manual(l, u, jbool(s, "is_grant") ? "GRANT" : "REVOKE");
	} else if (!strcmp(type, "GrantRoleStmt")) {
		mark_manual(l, u, jbool(s, "is_grant") ? "GRANT" : "REVOKE");
	} else if (!strcmp(type, "AlterDefaultPrivilegesStmt")) {
		mark_manual(l, u, "ALTER DEFAULT PRIVILEGES");
	} else if (!strcmp(type, "CreateFunctionStmt")) {
		mark_manual(l, u, jbool(s, "is_procedure") ? "CREATE PROCEDURE"
							   : "CREATE FUNCTION");
	} else if (!strcmp(type, "CreateTrigStmt")) {
		mark_manual(l, u, "CREATE TRIGGER");
	} else if (!strcmp(type, "CommentStmt")) {
		mark_manual(l, u, "COMMENT ON");
	} else if (!strcmp(type, "InsertStmt")) {
		mark_manual(l, u, "INSERT");
	} else if (!strcmp(type, "UpdateStmt")) {
		mark_manual(l, u, "UPDATE");
	} else if (!strcmp(type, "DeleteStmt")) {
		mark_manual(l, u, "DELETE");
	} else if (!strcmp(type, "SelectStmt")) {
		mark_manual(l, u, "SELECT");
	}
}

/* ---- units: parse and lint a piece of SQL ----------------------------- */

static void unit_release(struct unit *u)
{
	free(u->tokens);
	u->tokens = NULL;
	u->tokens_nr = 0;
}

/* Scan, parse and lint u; its text must be NUL-terminated. */
static int lint_unit(struct lint *l, struct unit *u, const char *context)
{
	struct mg_pg_error perr = { NULL, 0 };
	struct mg_json *tree = NULL;
	const struct mg_json *stmts;
	size_t i;
	int err;

	err = mg_pgparse_scan(&u->tokens, &u->tokens_nr, u->text, &perr);
	if (err < 0)
		goto out;
	mg_pg_error_release(&perr);
	check_tokens(l, u);
	err = mg_pgparse_parse(&tree, u->text, &perr);
	if (err < 0)
		goto out;
	if (perr.message) {
		add_finding(l, "sql-parse-error", unit_pos(u, perr.offset),
			    u->stmt, "fix the statement: the migration fails "
			    "when it reaches it", "%s%s", context,
			    perr.message);
		goto out;
	}
	stmts = jarray(tree, "stmts");
	for (i = 0; stmts && i < stmts->nr; i++)
		lint_node(l, u, mg_json_get(stmts->children[i], "stmt"));
out:
	mg_json_free(tree);
	mg_pg_error_release(&perr);
	return err;
}

struct do_ctx {
	struct unit *u;	  /* the unit holding the DO statement */
	const char *body; /* NUL-terminated */
	size_t body_rel;  /* offset of body in u->text */
	int exact;	  /* body is u->text's bytes at body_rel */
	size_t fallback;  /* file offset when positions are unknown */
	struct do_shape shape;
};

/* Offset in body of the first byte of 1-based line. */
static size_t body_line(const char *body, long lineno)
{
	size_t off = 0;

	while (lineno > 1 && body[off]) {
		if (body[off] == '\n')
			lineno--;
		off++;
	}
	return off;
}

static int lint_do_sql(struct lint *l, struct do_ctx *d, const char *query,
		       long lineno, int guarded, int literal)
{
	struct unit sub;
	struct mg_strbuf text = MG_STRBUF_INIT;
	const char *at = strstr(d->body + body_line(d->body, lineno), query);
	size_t pos, i;
	int err, exact = 1;

	if (!at)
		at = strstr(d->body, query);
	pos = at ? (size_t)(at - d->body) : 0;
	if (literal) {
		/* 'DROP TABLE "x"': the SQL inside the quotes. */
		for (i = 1; query[i] && query[i + 1]; i++) {
			mg_strbuf_addch(&text, query[i]);
			if (query[i] == '\'') {
				i++;
				exact = 0;
			}
		}
		pos++;
	} else {
		mg_strbuf_adds(&text, query);
	}
	memset(&sub, 0, sizeof(sub));
	sub.text = text.buf;
	sub.len = text.len;
	sub.exact = at && exact && d->exact;
	sub.base = d->u->base + d->body_rel + pos;
	sub.fallback = at && d->exact ? sub.base : d->fallback;
	if (!d->u->exact) {
		sub.exact = 0;
		sub.fallback = d->fallback;
	}
	sub.stmt = d->u->stmt;
	sub.in_do = 1;
	sub.guarded = guarded;
	sub.shape = &d->shape;
	err = lint_unit(l, &sub, "in DO block: ");
	unit_release(&sub);
	mg_strbuf_release(&text);
	return err;
}

/* A block that catches duplicate_object (or everything) guards its body. */
static int block_guards(const struct mg_json *block)
{
	const struct mg_json *exc = node_body(mg_json_get(block, "exceptions"));
	const struct mg_json *list = jarray(exc, "exc_list");
	size_t i, j;

	for (i = 0; list && i < list->nr; i++) {
		const struct mg_json *conds = jarray(
			node_body(list->children[i]), "conditions");

		for (j = 0; conds && j < conds->nr; j++) {
			const char *name = mg_json_get_string(
				node_body(conds->children[j]), "condname");

			if (name && (!strcmp(name, "duplicate_object") ||
				     !strcmp(name, "others")))
				return 1;
		}
	}
	return 0;
}

static const char *expr_query(const struct mg_json *expr)
{
	return mg_json_get_string(node_body(expr), "query");
}

static int walk_plpgsql(struct lint *l, struct do_ctx *d,
			const struct mg_json *j, int guarded)
{
	size_t i;
	int err = 0;

	if (!j || (j->type != MG_JSON_OBJECT && j->type != MG_JSON_ARRAY))
		return 0;
	for (i = 0; i < j->nr && err >= 0; i++) {
		const struct mg_json *c = j->children[i];
		const char *key = c->key ? c->key : "";
		long lineno = jint(c, "lineno", 1);
		int g = guarded;

		if (!strcmp(key, "PLpgSQL_stmt_execsql")) {
			const char *q = expr_query(mg_json_get(c, "sqlstmt"));

			if (q)
				err = lint_do_sql(l, d, q, lineno, guarded, 0);
			continue;
		}
		if (!strcmp(key, "PLpgSQL_stmt_dynexecute")) {
			const char *q = expr_query(mg_json_get(c, "query"));
			size_t n = q ? strlen(q) : 0;

			if (n >= 2 && q[0] == '\'' && q[n - 1] == '\'')
				err = lint_do_sql(l, d, q, lineno, guarded, 1);
			else
				d->shape.dynamic = 1;
			continue;
		}
		if (!strcmp(key, "PLpgSQL_stmt_block") && block_guards(c))
			g = 1;
		if (!strcmp(key, "PLpgSQL_stmt_if")) {
			const char *cond = expr_query(mg_json_get(c, "cond"));

			if (cond && strstr(cond, "EXISTS"))
				g = 1;
			if (cond && strstr(cond, "exists"))
				g = 1;
		}
		err = walk_plpgsql(l, d, c, g);
	}
	return err;
}

/*
 * libpg_query 15-4.0.0 gives PL/pgSQL errors no position (cursorpos 0):
 * find the word of 'syntax error at or near "X"' in the body instead.
 */
static size_t near_offset(const char *body, const char *message)
{
	const char *near = strstr(message, "at or near \"");
	const char *p, *end;
	char *word;
	size_t ret = 0, n;

	if (!near)
		return 0;
	near += strlen("at or near \"");
	end = strrchr(near, '"');
	if (!end || end == near)
		return 0;
	word = mg_xstrndup(near, (size_t)(end - near));
	n = strlen(word);
	for (p = strstr(body, word); p; p = strstr(p + 1, word)) {
		if ((p == body || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n])) {
			ret = (size_t)(p - body);
			break;
		}
	}
	free(word);
	return ret;
}

static void lint_do(struct lint *l, struct unit *u, const struct mg_json *s)
{
	const struct mg_json *args = jarray(s, "args");
	const char *body = NULL, *lang = NULL;
	struct mg_pg_error perr = { NULL, 0 };
	struct mg_json *tree = NULL;
	struct do_ctx d;
	size_t i, loc = unit_first(u);

	memset(&d, 0, sizeof(d));
	for (i = 0; args && i < args->nr; i++) {
		const struct mg_json *de = node_body(args->children[i]);
		const char *name = mg_json_get_string(de, "defname");
		const char *val = mg_json_get_string(
			node_body(mg_json_get(de, "arg")), "sval");

		if (name && !strcmp(name, "as")) {
			body = val;
			loc = (size_t)jint(de, "location", (long)loc);
		} else if (name && !strcmp(name, "language")) {
			lang = val;
		}
	}
	if (!body || (lang && strcmp(lang, "plpgsql"))) {
		mark_manual(l, u, "DO block");
		return;
	}
	d.u = u;
	d.body = body;
	d.fallback = unit_pos(u, loc);
	/* Where the body starts: after $tag$ or the opening quote. */
	d.body_rel = loc;
	if (loc < u->len && u->text[loc] == '$') {
		const char *end = strchr(u->text + loc + 1, '$');

		if (end)
			d.body_rel = (size_t)(end - u->text) + 1;
	} else if (loc < u->len && u->text[loc] == '\'') {
		d.body_rel = loc + 1;
	}
	d.exact = d.body_rel + strlen(body) <= u->len &&
		  !memcmp(u->text + d.body_rel, body, strlen(body));
	if (mg_pgparse_plpgsql(&tree, body, &perr) < 0) {
		l->failed = 1;
		goto out;
	}
	if (perr.message) {
		add_finding(l, "sql-parse-error",
			    d.exact ? unit_pos(u, d.body_rel +
					       near_offset(body, perr.message))
				    : d.fallback,
			    u->stmt, "fix the block: the migration fails "
			    "when it reaches it", "in DO block: %s",
			    perr.message);
		goto out;
	}
	if (walk_plpgsql(l, &d, tree, u->guarded) < 0)
		l->failed = 1;
out:
	/* drizzle-kit's own DO blocks only guard enums and foreign keys. */
	if (!d.shape.stmts || d.shape.dynamic ||
	    d.shape.generated != d.shape.stmts)
		mark_manual(l, u, "DO block");
	mg_json_free(tree);
	mg_pg_error_release(&perr);
}

/* ---- the file: chunks, statements, directives ------------------------- */

static void push_token(struct lint *l, const struct mg_pg_token *t,
		       size_t shift)
{
	l->tokens_nr++;
	MG_ALLOC_GROW(l->tokens, l->tokens_nr, l->tokens_alloc);
	l->tokens[l->tokens_nr - 1] = *t;
	l->tokens[l->tokens_nr - 1].start += shift;
	l->tokens[l->tokens_nr - 1].end += shift;
}

static void push_stmt(struct lint *l, size_t start, size_t end)
{
	struct stmt *s;

	l->stmts_nr++;
	MG_ALLOC_GROW(l->stmts, l->stmts_nr, l->stmts_alloc);
	s = &l->stmts[l->stmts_nr - 1];
	memset(s, 0, sizeof(*s));
	s->start = start;
	s->end = end;
}

/*
 * The statements of one chunk: the scanner's split, plus what it left
 * out (see mg_pgparse_split) up to the next ';'.
 */
static int split_chunk(struct lint *l, size_t cstart, size_t cend)
{
	struct mg_pg_error perr = { NULL, 0 };
	struct mg_pg_token *toks = NULL;
	struct mg_pg_range *ranges = NULL;
	char *text = mg_xstrndup(l->buf + cstart, cend - cstart);
	size_t ntoks = 0, nranges = 0, i, r = 0, gap = SIZE_MAX, gap_end = 0;
	int err;

	err = mg_pgparse_scan(&toks, &ntoks, text, &perr);
	if (err < 0)
		goto out;
	if (perr.message) {
		add_finding(l, "sql-parse-error", cstart + perr.offset, NO_STMT,
			    "fix the SQL; drizzle cuts the file at every "
			    "'--> statement-breakpoint', even inside a string",
			    "%s", perr.message);
		goto out;
	}
	err = mg_pgparse_split(&ranges, &nranges, text, &perr);
	if (err < 0)
		goto out;
	for (i = 0; i < ntoks; i++) {
		const struct mg_pg_token *t = &toks[i];
		int covered;

		push_token(l, t, cstart);
		while (r < nranges &&
		       ranges[r].start + ranges[r].len <= t->start)
			r++;
		covered = r < nranges && ranges[r].start <= t->start;
		if (covered || t->kind == MG_PG_TOKEN_SEMICOLON) {
			if (gap != SIZE_MAX)
				push_stmt(l, cstart + gap, cstart + gap_end);
			gap = SIZE_MAX;
		}
		if (covered && (i == 0 || toks[i - 1].start < ranges[r].start))
			push_stmt(l, cstart + ranges[r].start,
				  cstart + ranges[r].start + ranges[r].len);
		if (covered || t->kind == MG_PG_TOKEN_COMMENT ||
		    t->kind == MG_PG_TOKEN_SEMICOLON)
			continue;
		if (gap == SIZE_MAX)
			gap = t->start;
		gap_end = t->end;
	}
	if (gap != SIZE_MAX)
		push_stmt(l, cstart + gap, cstart + gap_end);
out:
	mg_pg_error_release(&perr);
	free(ranges);
	free(toks);
	free(text);
	return err;
}

/* "-- migguard-ignore a,b why": 1 and the rule list, or 0. */
static int parse_directive(const char *c, size_t n, int *file, char **rules)
{
	static const char word[] = "migguard-ignore";
	size_t i = 2, j;

	if (n < 2 || c[0] != '-' || c[1] != '-')
		return 0;
	while (i < n && (c[i] == ' ' || c[i] == '\t'))
		i++;
	if (n - i < strlen(word) || strncmp(c + i, word, strlen(word)))
		return 0;
	i += strlen(word);
	*file = 0;
	if (n - i >= 5 && !strncmp(c + i, "-file", 5)) {
		*file = 1;
		i += 5;
	}
	if (i < n && c[i] != ' ' && c[i] != '\t' && c[i] != '\r')
		return 0;
	while (i < n && (c[i] == ' ' || c[i] == '\t'))
		i++;
	j = i;
	while (j < n && c[j] != ' ' && c[j] != '\t' && c[j] != '\r')
		j++;
	*rules = mg_xstrndup(c + i, j - i);
	return 1;
}

static void add_directive(struct lint *l, const struct mg_pg_token *t,
			  size_t owner)
{
	char *rules = NULL, *p, *save = NULL;
	int file = 0;

	if (!parse_directive(l->buf + t->start, t->end - t->start, &file,
			     &rules))
		return;
	if (!*rules)
		add_finding(l, "sql-parse-error", t->start, NO_STMT,
			    "name the rules: -- migguard-ignore RULE[,RULE] "
			    "reason", "migguard-ignore names no rule");
	for (p = strtok_r(rules, ",", &save); p;
	     p = strtok_r(NULL, ",", &save)) {
		const struct mg_rule *rule = mg_rule_find(p);
		struct ignore *ig;

		if (!rule || strcmp(rule->check, "lint")) {
			add_finding(l, "sql-parse-error", t->start, NO_STMT,
				    "use a lint rule id, as shown in brackets "
				    "after a finding",
				    "unknown rule '%s' in migguard-ignore", p);
			continue;
		}
		l->ignores_nr++;
		MG_ALLOC_GROW(l->ignores, l->ignores_nr, l->ignores_alloc);
		ig = &l->ignores[l->ignores_nr - 1];
		ig->rule = mg_xstrdup(rule->id);
		ig->offset = t->start;
		ig->stmt = file ? NO_STMT : owner;
		ig->used = 0;
	}
	free(rules);
}

static int is_header(const struct lint *l, const struct mg_pg_token *t)
{
	static const char word[] = "manual addition";
	const char *c = l->buf + t->start;
	size_t n = t->end - t->start, i = 2;

	if (n < 2 || c[0] != '-' || c[1] != '-')
		return 0;
	while (i < n && (c[i] == ' ' || c[i] == '\t' || c[i] == '-'))
		i++;
	return n - i >= strlen(word) &&
	       !strncasecmp(c + i, word, strlen(word));
}

/* First tokens, leading comments: headers and ignore directives. */
static void attach_comments(struct lint *l)
{
	unsigned char *claimed = mg_xcalloc(l->tokens_nr + 1, 1);
	size_t s, t = 0, j;

	for (s = 0; s < l->stmts_nr; s++) {
		struct stmt *st = &l->stmts[s];

		while (t < l->tokens_nr && (l->tokens[t].start < st->start ||
					    l->tokens[t].kind ==
						    MG_PG_TOKEN_COMMENT))
			t++;
		if (t >= l->tokens_nr || l->tokens[t].start >= st->end) {
			st->first = SIZE_MAX; /* only comments */
			continue;
		}
		st->first = l->tokens[t].start;
		st->first_tok = t;
		for (j = t; j > 0 && l->tokens[j - 1].kind ==
					     MG_PG_TOKEN_COMMENT; j--) {
			claimed[j - 1] = 1;
			if (is_header(l, &l->tokens[j - 1]))
				st->header = 1;
			add_directive(l, &l->tokens[j - 1], s);
		}
	}
	for (j = 0; j < l->tokens_nr; j++)
		if (!claimed[j] && l->tokens[j].kind == MG_PG_TOKEN_COMMENT)
			add_directive(l, &l->tokens[j], NO_OWNER);
	free(claimed);
}

/* ---- rules over the whole file ---------------------------------------- */

static void check_rls(struct lint *l)
{
	static const struct {
		unsigned bit;
		const char *name;
	} cmds[] = {
		{ CMD_SELECT, "select" },
		{ CMD_INSERT, "insert" },
		{ CMD_UPDATE, "update" },
		{ CMD_DELETE, "delete" },
	};
	size_t i, j;

	for (i = 0; i < l->created.nr; i++) {
		const struct name *t = &l->created.items[i];
		struct mg_strbuf missing = MG_STRBUF_INIT;
		unsigned have = 0;
		int enabled = 0;
		char *q, *fix;

		if (!t->flag)
			continue;
		for (j = 0; j < l->rls.nr; j++)
			if (same_table(&l->rls.items[j], t->schema, t->table))
				enabled = 1;
		for (j = 0; j < l->policies_nr; j++)
			if (!strcmp(l->policies[j].table, t->table) &&
			    !strcmp(l->policies[j].schema, t->schema))
				have |= l->policies[j].cmds;
		q = quoted(t->schema, t->table, NULL);
		if (!enabled) {
			fix = mg_xstrfmt("add ALTER TABLE %s ENABLE ROW LEVEL "
					 "SECURITY (drizzle: pgTable(...)"
					 ".enableRLS() or a pgPolicy)", q);
			add_finding(l, "rls-missing", t->offset, t->stmt, fix,
				    "table %s has \"%s\" but row level "
				    "security is not enabled", q,
				    tenant_column(l));
			free(fix);
		}
		for (j = 0; j < sizeof(cmds) / sizeof(cmds[0]); j++)
			if (!(have & cmds[j].bit))
				mg_strbuf_addf(&missing, "%s%s",
					       missing.len ? ", " : "",
					       cmds[j].name);
		if (missing.len) {
			fix = mg_xstrfmt("add CREATE POLICY ... ON %s FOR "
					 "<command> TO \"%s\" for each (the "
					 "tenantPolicies() helper)", q,
					 tenant_role(l));
			add_finding(l, "rls-policy-missing", t->offset,
				    t->stmt, fix, "table %s has no policy for "
				    "%s to \"%s\"", q, missing.buf,
				    tenant_role(l));
			free(fix);
		}
		mg_strbuf_release(&missing);
		free(q);
	}
}

static void check_renames(struct lint *l)
{
	size_t i, j;

	for (i = 0; i < l->dropped.nr; i++) {
		const struct name *d = &l->dropped.items[i];

		for (j = 0; j < l->added.nr; j++) {
			const struct name *a = &l->added.items[j];
			char *qd, *qa, *fix;

			if (!same_table(a, d->schema, d->table))
				continue;
			qd = quoted(d->schema, d->table, d->name);
			qa = quoted(a->schema, a->table, a->name);
			fix = mg_xstrfmt("if it is a rename, write ALTER "
					 "TABLE \"%s\" RENAME COLUMN \"%s\" "
					 "TO \"%s\" "
					 "instead, which keeps the data",
					 d->table, d->name, a->name);
			add_finding(l, "rename-as-drop", d->offset, d->stmt,
				    fix, "column %s is dropped and %s added "
				    "in the same migration", qd, qa);
			free(fix);
			free(qa);
			free(qd);
			break;
		}
	}
}

static void check_manual(struct lint *l)
{
	size_t i;
	int group = 0;

	for (i = 0; i < l->stmts_nr; i++) {
		const struct stmt *s = &l->stmts[i];

		if (s->first == SIZE_MAX)
			continue;
		if (s->header)
			group = 1;
		if (s->manual && !group && !l->custom)
			add_finding(l, "manual-addition-without-header",
				    s->first, i, "put a comment such as "
				    "'-- Manual addition: why' on the line "
				    "before it (one header covers consecutive "
				    "hand-written statements)", "hand-written "
				    "%s has no '-- Manual addition:' header",
				    s->manual);
		if (!s->manual && !s->header)
			group = 0;
	}
}

/* Index and constraint names of drizzle's previous snapshot. */
static void load_snapshot(struct lint *l, const struct mg_json *snap)
{
	static const char *const kinds[] = {
		"indexes", "foreignKeys", "uniqueConstraints",
		"compositePrimaryKeys", "checkConstraints",
	};
	const struct mg_json *tables = mg_json_get(snap, "tables");
	size_t i, k, j;

	for (i = 0; tables && tables->type == MG_JSON_OBJECT &&
		    i < tables->nr; i++) {
		const struct mg_json *t = tables->children[i];
		const char *name = mg_json_get_string(t, "name");

		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			const struct mg_json *set = mg_json_get(t, kinds[k]);

			for (j = 0; set && set->type == MG_JSON_OBJECT &&
				    j < set->nr; j++)
				names_push(&l->snapshot,
					   mg_json_get_string(t, "schema"),
					   name ? name : t->key,
					   set->children[j]->key, 0, NO_STMT);
		}
	}
}

/* ---- findings out ------------------------------------------------------ */

static int ignored(struct lint *l, const struct finding *f)
{
	size_t i;
	int hit = 0;

	for (i = 0; i < l->ignores_nr; i++) {
		struct ignore *ig = &l->ignores[i];

		if (strcmp(ig->rule, f->rule))
			continue;
		if (ig->stmt == NO_STMT ||
		    (f->stmt != NO_STMT && ig->stmt == f->stmt)) {
			ig->used = 1;
			hit = 1;
		}
	}
	return hit;
}

static void emit(struct lint *l, const struct finding *f)
{
	size_t before = l->r->nr;
	unsigned line, col;

	mg_srcmap_locate(&l->map, f->offset, &line, &col);
	mg_report_add(l->r, f->rule, l->in->path, line, col, f->hint, "%s",
		      f->message);
	/*
	 * Identity across commits: the statement's text from its first
	 * token (comments before it aside), not its line.
	 */
	if (f->stmt < l->stmts_nr && l->stmts[f->stmt].end <= l->len &&
	    l->stmts[f->stmt].first < l->stmts[f->stmt].end) {
		const struct stmt *s = &l->stmts[f->stmt];

		mg_report_anchor(l->r, before, l->buf + s->first,
				 s->end - s->first);
	}
	if (f->warning && l->r->nr > before &&
	    l->r->items[l->r->nr - 1].severity == MG_SEVERITY_ERROR)
		l->r->items[l->r->nr - 1].severity = MG_SEVERITY_WARNING;
}

static void emit_all(struct lint *l)
{
	size_t i, n;

	for (i = 0; i < l->findings_nr; i++)
		if (!ignored(l, &l->findings[i]))
			emit(l, &l->findings[i]);
	n = l->findings_nr;
	for (i = 0; i < l->ignores_nr; i++) {
		const struct ignore *ig = &l->ignores[i];

		if (ig->used)
			continue;
		add_finding(l, ig->rule, ig->offset, NO_STMT,
			    NULL, "migguard-ignore%s %s silences nothing",
			    ig->stmt == NO_STMT ? "-file" : "", ig->rule);
		l->findings[l->findings_nr - 1].warning = 1;
		l->findings[l->findings_nr - 1].hint = mg_xstrdup(
			"remove it, or move it to the line right before the "
			"statement it is meant for");
	}
	for (i = n; i < l->findings_nr; i++)
		emit(l, &l->findings[i]);
}

/* ---- the file --------------------------------------------------------- */

static void check_encoding(struct lint *l)
{
	size_t i, bad;

	if (l->len >= 3 && !memcmp(l->buf, "\xEF\xBB\xBF", 3)) {
		add_finding(l, "sql-parse-error", 0, NO_STMT,
			    "save the file as UTF-8 without a byte order "
			    "mark", "file starts with a byte order mark, "
			    "which postgresql reads as part of the first "
			    "statement");
		memset(l->buf, ' ', 3);
	}
	for (i = 0; i < l->len; i++) {
		if (l->buf[i])
			continue;
		add_finding(l, "sql-parse-error", i, NO_STMT,
			    "remove the NUL bytes", "file holds a NUL byte");
		for (; i < l->len; i++)
			if (!l->buf[i])
				l->buf[i] = ' ';
	}
	bad = mg_utf8_valid_prefix(l->buf, l->len);
	if (bad < l->len)
		add_finding(l, "sql-parse-error", bad, NO_STMT,
			    "save the file as UTF-8: drizzle replaces invalid "
			    "bytes with U+FFFD, so the database gets other "
			    "text than the file holds",
			    "invalid utf-8 byte 0x%02x",
			    (unsigned char)l->buf[bad]);
}

static void lint_release(struct lint *l)
{
	size_t i;

	for (i = 0; i < l->findings_nr; i++) {
		free(l->findings[i].message);
		free(l->findings[i].hint);
	}
	free(l->findings);
	for (i = 0; i < l->ignores_nr; i++)
		free(l->ignores[i].rule);
	free(l->ignores);
	for (i = 0; i < l->policies_nr; i++) {
		free(l->policies[i].schema);
		free(l->policies[i].table);
	}
	free(l->policies);
	names_release(&l->created);
	names_release(&l->rls);
	names_release(&l->dropped);
	names_release(&l->added);
	names_release(&l->snapshot);
	names_release(&l->new_names);
	free(l->stmts);
	free(l->tokens);
	mg_srcmap_release(&l->map);
	free(l->buf);
}

int mg_lint_sql(struct mg_report *r, const struct mg_lint_options *opts,
		const struct mg_lint_input *in)
{
	struct lint l;
	size_t i, start = 0;
	const char *mark;
	int err = 0;

	memset(&l, 0, sizeof(l));
	l.r = r;
	l.opts = opts;
	l.in = in;
	l.len = in->len;
	l.buf = mg_xmalloc(in->len + 1);
	if (in->len)
		memcpy(l.buf, in->sql, in->len);
	l.buf[in->len] = '\0';
	/* The file as it is, BOM included: columns count what is there. */
	mg_srcmap_init(&l.map, in->sql, in->len);
	l.guards = in->index < 0 || !opts ||
		   in->index >= (long long)opts->guards_from_index;
	l.custom = in->custom ||
		   mg_starts_with(l.buf, "-- Custom SQL migration file");
	check_encoding(&l);
	load_snapshot(&l, in->prev_snapshot);
	/* The migrator's chunks: the file cut at every breakpoint. */
	for (;;) {
		mark = strstr(l.buf + start, breakpoint);
		err = split_chunk(&l, start,
				  mark ? (size_t)(mark - l.buf) : l.len);
		if (err < 0 || !mark)
			break;
		start = (size_t)(mark - l.buf) + strlen(breakpoint);
	}
	if (err < 0)
		goto out;
	attach_comments(&l);
	for (i = 0; i < l.stmts_nr; i++) {
		struct stmt *s = &l.stmts[i];
		struct unit u;
		char *text;

		if (s->first == SIZE_MAX)
			continue;
		text = mg_xstrndup(l.buf + s->start, s->end - s->start);
		memset(&u, 0, sizeof(u));
		u.text = text;
		u.len = s->end - s->start;
		u.base = s->start;
		u.exact = 1;
		u.stmt = i;
		err = lint_unit(&l, &u, "");
		unit_release(&u);
		free(text);
		if (err < 0)
			goto out;
	}
	if (l.failed) {
		err = MG_ERROR;
		goto out;
	}
	check_rls(&l);
	check_renames(&l);
	check_manual(&l);
	emit_all(&l);
out:
	lint_release(&l);
	return err;
}

/* A migration file: <out>/<tag>.sql, directly in the folder. */
static int is_migration_sql(const struct mg_project *p, const char *path)
{
	size_t n = strlen(p->migrations);

	return !strncmp(path, p->migrations, n) && path[n] == '/' &&
	       !strchr(path + n + 1, '/') && strlen(path + n + 1) > 4 &&
	       !strcmp(path + strlen(path) - 4, ".sql");
}

void mg_lint_unreadable(struct mg_report *r, const char *path, int err)
{
	if (err == MG_ETOOBIG)
		mg_report_add(r, "sql-parse-error", path, 0, 0,
			      "split it into migrations under the limit: "
			      "migguard reads no larger file",
			      "migration is too large to review (over %u "
			      "MiB)", MG_TREE_MAX_FILE >> 20);
	else
		mg_report_add(r, "sql-parse-error", path, 0, 0,
			      "a migration must be a regular text file",
			      "%s", mg_error_last());
}

/* What load_snapshot reads of a snapshot. */
static const char *const snapshot_paths[] = {
	"tables/*/name",
	"tables/*/schema",
	"tables/*/indexes/*",
	"tables/*/foreignKeys/*",
	"tables/*/uniqueConstraints/*",
	"tables/*/compositePrimaryKeys/*",
	"tables/*/checkConstraints/*",
};

/*
 * The snapshot before a migration, as far as load_snapshot reads it: the
 * migdir's tree when another check parsed it, else a small tree of the
 * names only (*own, the caller's), else (text the strict reader refuses)
 * the full parse. NULL when it cannot be read or is not JSON.
 */
static const struct mg_json *prev_snapshot(struct mg_migdir *d,
					   struct mg_migration *pm,
					   struct mg_json **own)
{
	const struct mg_json *full = NULL;
	const char *text;
	size_t len;

	*own = NULL;
	if (pm->snapshot)
		return pm->snapshot;
	if (mg_migdir_snapshot_text(d, pm, &text, &len) < 0)
		return NULL;
	if (mg_json_parse_paths(own, text, len, snapshot_paths,
				sizeof(snapshot_paths) /
					sizeof(snapshot_paths[0]),
				NULL) >= 0)
		return *own;
	if (mg_migdir_snapshot(d, pm, &full) < 0)
		return NULL;
	return full;
}

static int lint_file(struct mg_report *r, struct mg_context *ctx,
		     struct mg_migdir *d, const char *path)
{
	struct mg_migration *m = mg_migdir_find_path(d, path);
	const struct mg_json *prev = NULL;
	struct mg_json *prev_own = NULL;
	struct mg_lint_input in;
	char *own = NULL;
	const char *sql;
	size_t len;
	int err;

	if (m) {
		size_t k = (size_t)(m - d->items);

		err = mg_migdir_sql(d, m, &sql, &len);
		if (k > 0)
			prev = prev_snapshot(d, &d->items[k - 1], &prev_own);
	} else {
		err = mg_tree_read(ctx->cs->head, path, &own, &len);
		sql = own;
	}
	if (err == MG_ENOTFOUND)
		goto out;
	if (err < 0) {
		mg_lint_unreadable(r, path, err);
		err = 0;
		goto out;
	}
	memset(&in, 0, sizeof(in));
	in.path = path;
	in.sql = sql;
	in.len = len;
	in.index = m ? m->idx : -1;
	in.prev_snapshot = prev;
	err = mg_lint_sql(r, &ctx->config->lint, &in);
	/* --all goes through the folder in order: the next one needs m's. */
	if (m && m > d->items && ctx->cs->mode == MG_CHANGESET_ALL)
		mg_migdir_snapshot_release(d, m - 1);
out:
	mg_json_free(prev_own);
	free(own);
	return err;
}

/* A rename that keeps the bytes: no new SQL to review. */
static int pure_move(const struct mg_changeset *cs, const struct mg_change *c)
{
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	int same;

	if (c->status != MG_CHANGE_RENAMED || !c->old_path || !cs->base)
		return 0;
	same = mg_tree_read(cs->base, c->old_path, &a, &alen) >= 0 &&
	       mg_tree_read(cs->head, c->path, &b, &blen) >= 0 &&
	       alen == blen && !memcmp(a, b, alen);
	free(a);
	free(b);
	return same;
}

static int lint_project(struct mg_report *r, struct mg_context *ctx,
			const struct mg_project *p)
{
	struct mg_strlist files = MG_STRLIST_INIT;
	struct mg_migdir *d = NULL;
	size_t i;
	int err;

	if (ctx->cs->mode != MG_CHANGESET_ALL) {
		/* New and changed migrations only: deleted ones are gone. */
		for (i = 0; i < ctx->cs->nr; i++) {
			const struct mg_change *c = &ctx->cs->changes[i];

			if (c->status != MG_CHANGE_DELETED &&
			    is_migration_sql(p, c->path) &&
			    !pure_move(ctx->cs, c))
				mg_strlist_push(&files,
						ctx->at_base && c->old_path
							? c->old_path
							: c->path);
		}
		if (!files.nr)
			return 0;
	}
	err = mg_context_migdir(&d, ctx, p);
	if (err < 0)
		goto out;
	if (ctx->cs->mode == MG_CHANGESET_ALL)
		for (i = 0; i < d->files.nr; i++)
			if (d->files.items[i].type == MG_ENTRY_FILE &&
			    is_migration_sql(p, d->files.items[i].path))
				mg_strlist_push(&files, d->files.items[i].path);
	for (i = 0; i < files.nr && err >= 0; i++)
		err = lint_file(r, ctx, d, files.items[i]);
out:
	mg_context_migdir_put(ctx, d);
	mg_strlist_release(&files);
	return err;
}

int mg_lint_check(struct mg_report *r, struct mg_context *ctx)
{
	size_t i;
	int err;

	for (i = 0; i < ctx->config->projects_nr; i++) {
		err = lint_project(r, ctx, &ctx->config->projects[i]);
		if (err < 0)
			return err;
	}
	return 0;
}

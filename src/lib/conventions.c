/*
 * Conventions learned from the published migrations (conventions.h).
 *
 * Each migration is cut where drizzle's migrator cuts it, split into
 * statements by PostgreSQL's scanner and each statement parsed alone;
 * DO bodies are parsed as PL/pgSQL and the SQL inside them read as if it
 * stood alone, guarded when the block catches duplicate_object. What is
 * counted is what the convention rules look at.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migguard/check.h"
#include "migguard/conventions.h"
#include "migguard/lint.h"
#include "migguard/pgparse.h"
#include "migguard/srcmap.h"

static const char breakpoint[] = "--> statement-breakpoint";

static const struct {
	const char *name, *rules;
} kinds[MG_CONVENTION_NR] = {
	[MG_CONVENTION_ENUM_GUARDS] = { "enum-guards", "enum-without-guard" },
	[MG_CONVENTION_EXTENSION_GUARDS] = { "extension-guards",
					     "extension-without-guard" },
	[MG_CONVENTION_DDL_GUARDS] = { "ddl-guards", "missing-if-not-exists" },
	[MG_CONVENTION_TENANT] = { "tenant-rls",
				   "rls-missing,rls-policy-missing" },
	[MG_CONVENTION_FK_ON_DELETE] = { "fk-on-delete", "fk-on-delete" },
	[MG_CONVENTION_MANUAL_HEADER] = { "manual-header",
					  "manual-addition-without-header" },
};

const char *mg_convention_name(enum mg_convention_kind k)
{
	return kinds[k].name;
}

const char *mg_convention_rules(enum mg_convention_kind k)
{
	return kinds[k].rules;
}

/* ---- what the walk collects ------------------------------------------- */

/* One thing a convention is about: follows it or not, and where. */
struct occ {
	size_t mig; /* index in the read list */
	long long idx;
	unsigned line;
	int follow;
};

struct occs {
	struct occ *items;
	size_t nr, alloc;
};

struct fk {
	const char *action; /* static: "cascade", ... */
	size_t mig;
	unsigned line;
};

enum { CMD_SELECT = 1, CMD_INSERT = 2, CMD_UPDATE = 4, CMD_DELETE = 8,
       CMD_ALL = 15 };

struct table {
	char *name; /* "schema.table" */
	struct mg_strlist columns;
	int created, rls;
	size_t mig;
	long long idx;
	unsigned line;
};

struct policy {
	char *table; /* "schema.table" */
	char *role;
	unsigned cmds;
	struct mg_strlist columns; /* referenced in USING / WITH CHECK */
};

struct walk {
	struct occs enums, exts, ddl, hand;
	struct fk *fks;
	size_t fks_nr, fks_alloc;
	struct table *tables;
	size_t tables_nr, tables_alloc;
	struct policy *pols;
	size_t pols_nr, pols_alloc;
	/* the migration being read */
	size_t mig;
	long long idx;
	const struct mg_srcmap *map;
	size_t offset;	   /* of the statement being read */
	const char *manual; /* the statement is hand-written */
	int failed;
};

static void occ_add(struct walk *w, struct occs *o, int follow)
{
	struct occ *it;
	unsigned col;

	o->nr++;
	MG_ALLOC_GROW(o->items, o->nr, o->alloc);
	it = &o->items[o->nr - 1];
	it->mig = w->mig;
	it->idx = w->idx;
	it->follow = follow;
	mg_srcmap_locate(w->map, w->offset, &it->line, &col);
}

static char *table_key(const char *schema, const char *table)
{
	return mg_xstrfmt("%s.%s", schema && *schema ? schema : "public",
			  table);
}

static struct table *table_get(struct walk *w, const char *schema,
			       const char *name)
{
	char *key = table_key(schema, name);
	struct table *t;
	size_t i;
	unsigned col;

	for (i = 0; i < w->tables_nr; i++) {
		if (!strcmp(w->tables[i].name, key)) {
			free(key);
			return &w->tables[i];
		}
	}
	w->tables_nr++;
	MG_ALLOC_GROW(w->tables, w->tables_nr, w->tables_alloc);
	t = &w->tables[w->tables_nr - 1];
	memset(t, 0, sizeof(*t));
	t->name = key;
	t->mig = w->mig;
	t->idx = w->idx;
	mg_srcmap_locate(w->map, w->offset, &t->line, &col);
	return t;
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

static const struct mg_json *jarray(const struct mg_json *obj,
				    const char *key)
{
	const struct mg_json *v = mg_json_get(obj, key);

	return v && v->type == MG_JSON_ARRAY ? v : NULL;
}

static const char *fk_action(const char *code)
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

/* Every column name a ColumnRef in j names (its last field). */
static void column_refs(const struct mg_json *j, struct mg_strlist *out)
{
	size_t i;

	if (!j || (j->type != MG_JSON_OBJECT && j->type != MG_JSON_ARRAY))
		return;
	for (i = 0; i < j->nr; i++) {
		const struct mg_json *c = j->children[i];

		if (c->key && !strcmp(c->key, "ColumnRef")) {
			const struct mg_json *f = jarray(c, "fields");
			const char *name = f && f->nr ? mg_json_get_string(
				node_body(f->children[f->nr - 1]), "sval")
						  : NULL;

			if (name && !mg_strlist_has(out, name))
				mg_strlist_push(out, name);
			continue;
		}
		column_refs(c, out);
	}
}

/* ---- statements ------------------------------------------------------- */

static void constraint(struct walk *w, const struct mg_json *c)
{
	const char *type = mg_json_get_string(c, "contype");
	struct fk *f;
	unsigned col;

	if (!type || strcmp(type, "CONSTR_FOREIGN"))
		return;
	w->fks_nr++;
	MG_ALLOC_GROW(w->fks, w->fks_nr, w->fks_alloc);
	f = &w->fks[w->fks_nr - 1];
	f->action = fk_action(mg_json_get_string(c, "fk_del_action"));
	f->mig = w->mig;
	mg_srcmap_locate(w->map, w->offset, &f->line, &col);
}

static void column(struct walk *w, struct table *t, const struct mg_json *cd)
{
	const struct mg_json *cons = jarray(cd, "constraints");
	const char *name = mg_json_get_string(cd, "colname");
	size_t i;

	if (name && t && !mg_strlist_has(&t->columns, name))
		mg_strlist_push(&t->columns, name);
	for (i = 0; cons && i < cons->nr; i++)
		constraint(w, node_body(cons->children[i]));
}

static void create_table(struct walk *w, const struct mg_json *s,
			 int guarded)
{
	const struct mg_json *rel = mg_json_get(s, "relation");
	const struct mg_json *elts = jarray(s, "tableElts");
	const char *name = mg_json_get_string(rel, "relname");
	struct table *t;
	size_t i;

	occ_add(w, &w->ddl, guarded || jbool(s, "if_not_exists"));
	if (!name)
		return;
	t = table_get(w, mg_json_get_string(rel, "schemaname"), name);
	if (!t->created) {
		t->created = 1;
		t->mig = w->mig;
		t->idx = w->idx;
	}
	for (i = 0; elts && i < elts->nr; i++) {
		const char *type = node_type(elts->children[i]);

		if (!strcmp(type, "ColumnDef"))
			column(w, t, node_body(elts->children[i]));
		else if (!strcmp(type, "Constraint"))
			constraint(w, node_body(elts->children[i]));
	}
}

static void alter_table(struct walk *w, const struct mg_json *s, int guarded)
{
	const struct mg_json *rel = mg_json_get(s, "relation");
	const struct mg_json *cmds = jarray(s, "cmds");
	const char *name = mg_json_get_string(rel, "relname");
	const char *schema = mg_json_get_string(rel, "schemaname");
	size_t i;

	for (i = 0; name && cmds && i < cmds->nr; i++) {
		const struct mg_json *cmd = node_body(cmds->children[i]);
		const char *sub = mg_json_get_string(cmd, "subtype");
		const struct mg_json *def = node_body(mg_json_get(cmd, "def"));
		int g = guarded || jbool(cmd, "missing_ok");

		if (!sub)
			continue;
		if (!strcmp(sub, "AT_AddColumn")) {
			occ_add(w, &w->ddl, g);
			column(w, table_get(w, schema, name), def);
		} else if (!strcmp(sub, "AT_DropColumn") ||
			   !strcmp(sub, "AT_DropConstraint")) {
			occ_add(w, &w->ddl, g);
		} else if (!strcmp(sub, "AT_AddConstraint")) {
			constraint(w, def);
		} else if (!strcmp(sub, "AT_EnableRowSecurity")) {
			table_get(w, schema, name)->rls = 1;
		}
	}
}

static unsigned policy_cmd(const char *cmd)
{
	static const struct {
		const char *name;
		unsigned bit;
	} cmds[] = { { "select", CMD_SELECT }, { "insert", CMD_INSERT },
		     { "update", CMD_UPDATE }, { "delete", CMD_DELETE } };
	size_t i;

	for (i = 0; cmd && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmd, cmds[i].name))
			return cmds[i].bit;
	return CMD_ALL;
}

static void create_policy(struct walk *w, const struct mg_json *s)
{
	const struct mg_json *rel = mg_json_get(s, "table");
	const struct mg_json *roles = jarray(s, "roles");
	const char *table = mg_json_get_string(rel, "relname");
	struct mg_strlist columns = MG_STRLIST_INIT;
	size_t i, k;

	if (!table)
		return;
	column_refs(mg_json_get(s, "qual"), &columns);
	column_refs(mg_json_get(s, "with_check"), &columns);
	for (i = 0; roles && i < roles->nr; i++) {
		const struct mg_json *r = node_body(roles->children[i]);
		const char *role = mg_json_get_string(r, "rolename");
		struct policy *p;

		w->pols_nr++;
		MG_ALLOC_GROW(w->pols, w->pols_nr, w->pols_alloc);
		p = &w->pols[w->pols_nr - 1];
		memset(p, 0, sizeof(*p));
		p->table = table_key(mg_json_get_string(rel, "schemaname"),
				     table);
		p->role = mg_xstrdup(role ? role : "public");
		p->cmds = policy_cmd(mg_json_get_string(s, "cmd_name"));
		for (k = 0; k < columns.nr; k++)
			mg_strlist_push(&p->columns, columns.items[k]);
	}
	mg_strlist_release(&columns);
}

/* What a DO block holds: drizzle-kit's own only guard enums and FKs. */
struct do_shape {
	size_t stmts, generated;
	int dynamic;
};

static void statement(struct walk *w, const struct mg_json *node,
		      int guarded, struct do_shape *shape);

/* Parse sql (NUL-terminated) and read each statement. */
static void sql_text(struct walk *w, const char *sql, int guarded,
		     struct do_shape *shape)
{
	struct mg_pg_error perr = { NULL, 0, 0 };
	struct mg_json *tree = NULL;
	const struct mg_json *stmts;
	size_t i;

	if (mg_pgparse_parse(&tree, sql, &perr) < 0) {
		w->failed = 1;
		goto out;
	}
	stmts = jarray(tree, "stmts");
	for (i = 0; !perr.message && stmts && i < stmts->nr; i++)
		statement(w, mg_json_get(stmts->children[i], "stmt"), guarded,
			  shape);
out:
	if (perr.message && shape)
		shape->dynamic = 1; /* unreadable: not drizzle's */
	mg_json_free(tree);
	mg_pg_error_release(&perr);
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

static void plpgsql(struct walk *w, const struct mg_json *j, int guarded,
		    struct do_shape *shape)
{
	size_t i;

	if (!j || (j->type != MG_JSON_OBJECT && j->type != MG_JSON_ARRAY))
		return;
	for (i = 0; i < j->nr; i++) {
		const struct mg_json *c = j->children[i];
		const char *key = c->key ? c->key : "";
		int g = guarded;

		if (!strcmp(key, "PLpgSQL_stmt_execsql")) {
			const char *q = expr_query(mg_json_get(c, "sqlstmt"));

			if (q)
				sql_text(w, q, guarded, shape);
			continue;
		}
		if (!strcmp(key, "PLpgSQL_stmt_dynexecute")) {
			shape->dynamic = 1;
			continue;
		}
		if (!strcmp(key, "PLpgSQL_stmt_block") && block_guards(c))
			g = 1;
		if (!strcmp(key, "PLpgSQL_stmt_if")) {
			const char *cond = expr_query(mg_json_get(c, "cond"));

			if (cond && (strstr(cond, "EXISTS") ||
				     strstr(cond, "exists")))
				g = 1;
		}
		plpgsql(w, c, g, shape);
	}
}

static void do_block(struct walk *w, const struct mg_json *s, int guarded)
{
	const struct mg_json *args = jarray(s, "args");
	const char *body = NULL, *lang = NULL;
	struct mg_pg_error perr = { NULL, 0, 0 };
	struct mg_json *tree = NULL;
	struct do_shape shape = { 0, 0, 0 };
	size_t i;

	for (i = 0; args && i < args->nr; i++) {
		const struct mg_json *de = node_body(args->children[i]);
		const char *name = mg_json_get_string(de, "defname");
		const char *val = mg_json_get_string(
			node_body(mg_json_get(de, "arg")), "sval");

		if (name && !strcmp(name, "as"))
			body = val;
		else if (name && !strcmp(name, "language"))
			lang = val;
	}
	if (!body || (lang && strcmp(lang, "plpgsql")))
		goto out;
	if (mg_pgparse_plpgsql(&tree, body, &perr) < 0) {
		w->failed = 1;
		goto out;
	}
	if (!perr.message)
		plpgsql(w, tree, guarded, &shape);
out:
	if (!shape.stmts || shape.dynamic || shape.generated != shape.stmts)
		w->manual = "DO block";
	mg_json_free(tree);
	mg_pg_error_release(&perr);
}

static void statement(struct walk *w, const struct mg_json *node,
		      int guarded, struct do_shape *shape)
{
	static const char *const hand_written[] = {
		"GrantStmt", "GrantRoleStmt", "AlterDefaultPrivilegesStmt",
		"CreateFunctionStmt", "CreateTrigStmt", "CommentStmt",
		"InsertStmt", "UpdateStmt", "DeleteStmt", "SelectStmt",
		"CreateExtensionStmt", NULL,
	};
	const char *type = node_type(node);
	const struct mg_json *s = node_body(node);
	size_t i;

	if (shape)
		shape->stmts++;
	for (i = 0; !shape && hand_written[i]; i++)
		if (!strcmp(type, hand_written[i]))
			w->manual = type;
	if (!strcmp(type, "CreateEnumStmt")) {
		occ_add(w, &w->enums, guarded);
		if (shape && guarded)
			shape->generated++;
	} else if (!strcmp(type, "CreateExtensionStmt")) {
		occ_add(w, &w->exts, guarded || jbool(s, "if_not_exists"));
	} else if (!strcmp(type, "CreateStmt")) {
		create_table(w, s, guarded);
	} else if (!strcmp(type, "AlterTableStmt")) {
		const struct mg_json *cmds = jarray(s, "cmds");
		size_t fk = 0;

		alter_table(w, s, guarded);
		for (i = 0; cmds && i < cmds->nr; i++) {
			const char *sub = mg_json_get_string(
				node_body(cmds->children[i]), "subtype");

			fk += sub && !strcmp(sub, "AT_AddConstraint");
		}
		if (shape && guarded && cmds && fk == cmds->nr)
			shape->generated++;
	} else if (!strcmp(type, "IndexStmt") ||
		   !strcmp(type, "CreateSchemaStmt")) {
		occ_add(w, &w->ddl, guarded || jbool(s, "if_not_exists"));
	} else if (!strcmp(type, "CreateSeqStmt")) {
		occ_add(w, &w->ddl, guarded || jbool(s, "if_not_exists"));
	} else if (!strcmp(type, "DropStmt")) {
		occ_add(w, &w->ddl, guarded || jbool(s, "missing_ok"));
	} else if (!strcmp(type, "CreatePolicyStmt")) {
		create_policy(w, s);
	} else if (!strcmp(type, "DoStmt") && !shape) {
		do_block(w, s, guarded);
	}
}

/* "-- Manual addition: ..." */
static int is_header(const char *c, size_t n)
{
	static const char word[] = "manual addition";
	size_t i = 2;

	if (n < 2 || c[0] != '-' || c[1] != '-')
		return 0;
	while (i < n && (c[i] == ' ' || c[i] == '\t' || c[i] == '-'))
		i++;
	return n - i >= strlen(word) &&
	       !strncasecmp(c + i, word, strlen(word));
}

/*
 * One statement's text (its leading comments included): where its first
 * token is, whether a header leads it; then what it holds.
 */
static void read_statement(struct walk *w, const char *text, size_t base,
			   int *group)
{
	struct mg_pg_error perr = { NULL, 0, 0 };
	struct mg_pg_token *toks = NULL;
	size_t ntoks = 0, i, lead = 0;
	int header = 0;

	/*
	 * Only leading comments need the scanner (a header, where the first
	 * token is): without one, the statement starts after its blanks
	 * (PostgreSQL's: space, tab, newline, CR, form feed, vertical tab).
	 */
	while (text[lead] && strchr(" \t\n\r\f\v", text[lead]))
		lead++;
	if (!text[lead])
		return; /* blanks only */
	if (strncmp(text + lead, "--", 2) && strncmp(text + lead, "/*", 2)) {
		w->offset = base + lead;
		w->manual = NULL;
		sql_text(w, text, 0, NULL);
		if (w->manual)
			occ_add(w, &w->hand, *group);
		else
			*group = 0;
		return;
	}
	if (mg_pgparse_scan(&toks, &ntoks, text, &perr) < 0) {
		w->failed = 1;
		goto out;
	}
	for (i = 0; i < ntoks && toks[i].kind == MG_PG_TOKEN_COMMENT; i++)
		if (is_header(text + toks[i].start,
			      toks[i].end - toks[i].start))
			header = 1;
	if (perr.message || i == ntoks)
		goto out; /* comments only, or the scanner refuses it */
	w->offset = base + toks[i].start;
	w->manual = NULL;
	sql_text(w, text, 0, NULL);
	if (header)
		*group = 1;
	if (w->manual)
		occ_add(w, &w->hand, *group);
	else if (!header)
		*group = 0;
out:
	mg_pg_error_release(&perr);
	free(toks);
}

/* One migration file: the migrator's chunks, the scanner's statements. */
static void read_migration(struct walk *w, const char *sql, size_t len)
{
	char *buf = mg_xstrndup(sql, len);
	struct mg_srcmap map;
	size_t start = 0, k;
	int group = 0;

	mg_srcmap_init(&map, buf, strlen(buf));
	w->map = &map;
	for (;;) {
		const char *mark = strstr(buf + start, breakpoint);
		size_t end = mark ? (size_t)(mark - buf) : strlen(buf);
		char *chunk = mg_xstrndup(buf + start, end - start);
		struct mg_pg_error perr = { NULL, 0, 0 };
		struct mg_pg_range *ranges = NULL;
		size_t nr = 0;

		if (mg_pgparse_split(&ranges, &nr, chunk, &perr) < 0)
			w->failed = 1;
		for (k = 0; !perr.message && k < nr; k++) {
			char *text = mg_xstrndup(chunk + ranges[k].start,
						 ranges[k].len);

			read_statement(w, text, start + ranges[k].start,
				       &group);
			free(text);
		}
		mg_pg_error_release(&perr);
		free(ranges);
		free(chunk);
		if (!mark)
			break;
		start = end + strlen(breakpoint);
	}
	mg_srcmap_release(&map);
	w->map = NULL;
	free(buf);
}

static void walk_release(struct walk *w)
{
	size_t i;

	free(w->enums.items);
	free(w->exts.items);
	free(w->ddl.items);
	free(w->hand.items);
	free(w->fks);
	for (i = 0; i < w->tables_nr; i++) {
		free(w->tables[i].name);
		mg_strlist_release(&w->tables[i].columns);
	}
	free(w->tables);
	for (i = 0; i < w->pols_nr; i++) {
		free(w->pols[i].table);
		free(w->pols[i].role);
		mg_strlist_release(&w->pols[i].columns);
	}
	free(w->pols);
}

/* ---- deciding --------------------------------------------------------- */

static int two_thirds(size_t follow, size_t total)
{
	return follow && 3 * follow >= 2 * total;
}

/* Record the evidence of o[from..] in c. */
static void evidence(struct mg_convention *c, const struct occs *o,
		     size_t from, const struct mg_strlist *read)
{
	size_t i;

	c->follow = 0;
	c->total = o->nr - from;
	for (i = from; i < o->nr; i++) {
		const char *path = read->items[o->items[i].mig];

		if (!o->items[i].follow)
			continue;
		c->follow++;
		if (!c->first)
			c->first = mg_xstrfmt("%s:%u", path,
					      o->items[i].line);
		if (!mg_strlist_has(&c->migrations, path))
			mg_strlist_push(&c->migrations, path);
	}
}

/*
 * Shown from a migration on: the first migration holding an occurrence
 * that follows, from which on two thirds follow. Its first occurrence's
 * position in o, or SIZE_MAX; c gets the counts either way.
 */
static size_t shown_from(struct mg_convention *c, const struct occs *o,
			 const struct mg_strlist *read)
{
	size_t *after = mg_xcalloc(o->nr + 1, sizeof(*after));
	size_t i, start = 0, found = SIZE_MAX;

	for (i = o->nr; i > 0; i--)
		after[i - 1] = after[i] + (size_t)o->items[i - 1].follow;
	for (i = 0; i < o->nr && found == SIZE_MAX; i++) {
		if (i == 0 || o->items[i].mig != o->items[i - 1].mig)
			start = i;
		if (o->items[i].follow &&
		    two_thirds(after[start], o->nr - start))
			found = start;
	}
	free(after);
	evidence(c, o, found == SIZE_MAX ? 0 : found, read);
	c->shown = found != SIZE_MAX;
	return found;
}

/* The action most foreign keys use, other than the default. */
static const char *infer_fk(struct mg_convention *c, const struct walk *w,
			    const struct mg_strlist *read)
{
	static const char *const actions[] = { "cascade", "restrict",
		"set default", "set null" };
	const char *best = NULL;
	size_t i, k, n, best_n = 0;

	for (k = 0; k < sizeof(actions) / sizeof(actions[0]); k++) {
		for (i = n = 0; i < w->fks_nr; i++)
			n += !strcmp(w->fks[i].action, actions[k]);
		if (n > best_n) {
			best = actions[k];
			best_n = n;
		}
	}
	c->total = w->fks_nr;
	c->follow = best_n;
	c->candidate = best;
	for (i = 0; best && i < w->fks_nr; i++) {
		const char *path = read->items[w->fks[i].mig];

		if (strcmp(w->fks[i].action, best))
			continue;
		if (!c->first)
			c->first = mg_xstrfmt("%s:%u", path, w->fks[i].line);
		if (!mg_strlist_has(&c->migrations, path))
			mg_strlist_push(&c->migrations, path);
	}
	c->shown = w->fks_nr >= 2 && two_thirds(best_n, w->fks_nr);
	return c->shown ? best : NULL;
}

/* The commands policies give role on table. */
static unsigned table_cmds(const struct walk *w, const char *table,
			   const char *role)
{
	unsigned cmds = 0;
	size_t i;

	for (i = 0; i < w->pols_nr; i++)
		if (!strcmp(w->pols[i].table, table) &&
		    !strcmp(w->pols[i].role, role))
			cmds |= w->pols[i].cmds;
	return cmds;
}

/* A table with RLS on and policies for every command to role. */
static int complete(const struct walk *w, const struct table *t,
		    const char *role)
{
	return t->rls && table_cmds(w, t->name, role) == CMD_ALL;
}

/* Of names, the one counted most (ties: the first in byte order). */
static const char *most(const struct mg_strlist *names)
{
	const char *best = NULL;
	size_t i, k, n, best_n = 0;

	for (i = 0; i < names->nr; i++) {
		for (k = n = 0; k < names->nr; k++)
			n += !strcmp(names->items[k], names->items[i]);
		if (n > best_n ||
		    (n == best_n && strcmp(names->items[i], best) < 0)) {
			best = names->items[i];
			best_n = n;
		}
	}
	return best;
}

/*
 * Tenant tables: the role whose policies cover every command on the most
 * RLS tables, the column those policies test that most of them have;
 * then, over the tables created with that column, shown from a migration
 * on like the others.
 */
static void infer_tenant(struct mg_convention *c, const struct walk *w,
			 const struct mg_strlist *read, char **column,
			 char **role)
{
	struct mg_strlist roles = MG_STRLIST_INIT, cols = MG_STRLIST_INIT;
	struct occs o = { NULL, 0, 0 };
	const char *r, *col;
	size_t i, k, j;

	/* Each role once per table whose every command it covers. */
	for (i = 0; i < w->tables_nr; i++) {
		struct mg_strlist seen = MG_STRLIST_INIT;

		for (k = 0; k < w->pols_nr; k++) {
			const char *pr = w->pols[k].role;

			if (strcmp(w->pols[k].table, w->tables[i].name) ||
			    mg_strlist_has(&seen, pr) ||
			    !complete(w, &w->tables[i], pr))
				continue;
			mg_strlist_push(&seen, pr);
			mg_strlist_push(&roles, pr);
		}
		mg_strlist_release(&seen);
	}
	r = most(&roles);
	for (i = 0; r && i < w->tables_nr; i++) {
		const struct table *t = &w->tables[i];
		struct mg_strlist seen = MG_STRLIST_INIT;

		if (!complete(w, t, r))
			continue;
		for (k = 0; k < w->pols_nr; k++) {
			const struct policy *p = &w->pols[k];

			if (strcmp(p->table, t->name) || strcmp(p->role, r))
				continue;
			for (j = 0; j < p->columns.nr; j++) {
				const char *pc = p->columns.items[j];

				if (mg_strlist_has(&t->columns, pc) &&
				    !mg_strlist_has(&seen, pc)) {
					mg_strlist_push(&seen, pc);
					mg_strlist_push(&cols, pc);
				}
			}
		}
		mg_strlist_release(&seen);
	}
	col = most(&cols);
	for (i = 0; col && i < w->tables_nr; i++) {
		const struct table *t = &w->tables[i];
		struct occ *it;

		if (!t->created || !mg_strlist_has(&t->columns, col))
			continue;
		o.nr++;
		MG_ALLOC_GROW(o.items, o.nr, o.alloc);
		it = &o.items[o.nr - 1];
		it->mig = t->mig;
		it->idx = t->idx;
		it->line = t->line;
		it->follow = complete(w, t, r);
	}
	if (col && shown_from(c, &o, read) != SIZE_MAX) {
		*column = mg_xstrdup(col);
		*role = mg_xstrdup(r);
	}
	free(o.items);
	mg_strlist_release(&cols);
	mg_strlist_release(&roles);
}

/*
 * How cfg sets a convention: 1 a lint key (*line), 2 a severity other
 * than "off" for one of its rules (*line), 0 neither.
 */
static int configured(const struct mg_config *cfg, enum mg_convention_kind k,
		      unsigned *line)
{
	const struct mg_lint_configured *set = &cfg->lint_set;
	const unsigned keys[MG_CONVENTION_NR] = {
		[MG_CONVENTION_ENUM_GUARDS] = set->enum_guards,
		[MG_CONVENTION_EXTENSION_GUARDS] = set->extension_guards,
		[MG_CONVENTION_DDL_GUARDS] = set->guards_from_index,
		[MG_CONVENTION_TENANT] = set->tenant,
		[MG_CONVENTION_FK_ON_DELETE] = set->fk_on_delete,
		[MG_CONVENTION_MANUAL_HEADER] = set->manual_header,
	};
	struct mg_strlist rules = MG_STRLIST_INIT;
	size_t i;
	int ret = 0;

	*line = keys[k];
	if (*line)
		return 1;
	mg_strlist_split(&rules, kinds[k].rules);
	for (i = 0; i < rules.nr && !ret; i++) {
		enum mg_severity sev = MG_SEVERITY_OFF;
		unsigned l = mg_config_rule_line(cfg, rules.items[i], &sev);

		if (l && sev != MG_SEVERITY_OFF) {
			*line = l;
			ret = 2;
		}
	}
	mg_strlist_release(&rules);
	return ret;
}

static void set_opt(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? mg_xstrdup(v) : NULL;
}

int mg_conventions_infer(struct mg_conventions *out,
			 const struct mg_config *cfg,
			 struct mg_migdir *published)
{
	struct walk w;
	struct mg_lint_options *o = &out->opts;
	struct mg_convention *c = out->items;
	char *column = NULL, *role = NULL;
	const char *fk;
	size_t i, at;
	unsigned line;
	int how, err = 0, inferred_guards = -1;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	o->guards_from_index = -1;
	for (i = 0; published && i < published->nr; i++) {
		struct mg_migration *m = &published->items[i];
		const char *sql;
		size_t len;

		if (!m->sql_path || mg_migdir_sql(published, m, &sql, &len) < 0)
			continue;
		w.mig = out->read.nr;
		w.idx = m->idx >= 0 ? m->idx : (long long)i;
		mg_strlist_push(&out->read, m->sql_path);
		read_migration(&w, sql, len);
	}
	if (w.failed) {
		err = mg_error_set("conventions: %s", mg_error_last());
		goto out;
	}
	/* What the migrations show. */
	c[MG_CONVENTION_ENUM_GUARDS].on =
		shown_from(&c[MG_CONVENTION_ENUM_GUARDS], &w.enums, &out->read)
		!= SIZE_MAX;
	c[MG_CONVENTION_EXTENSION_GUARDS].on =
		shown_from(&c[MG_CONVENTION_EXTENSION_GUARDS], &w.exts,
			   &out->read) != SIZE_MAX;
	c[MG_CONVENTION_MANUAL_HEADER].on =
		shown_from(&c[MG_CONVENTION_MANUAL_HEADER], &w.hand,
			   &out->read) != SIZE_MAX;
	at = shown_from(&c[MG_CONVENTION_DDL_GUARDS], &w.ddl, &out->read);
	if (at != SIZE_MAX) {
		inferred_guards = (int)w.ddl.items[at].idx;
		c[MG_CONVENTION_DDL_GUARDS].on = 1;
	}
	fk = infer_fk(&c[MG_CONVENTION_FK_ON_DELETE], &w, &out->read);
	c[MG_CONVENTION_FK_ON_DELETE].on = fk != NULL;
	infer_tenant(&c[MG_CONVENTION_TENANT], &w, &out->read, &column, &role);
	c[MG_CONVENTION_TENANT].on = column != NULL;
	o->enum_guards = c[MG_CONVENTION_ENUM_GUARDS].on;
	o->extension_guards = c[MG_CONVENTION_EXTENSION_GUARDS].on;
	o->manual_header = c[MG_CONVENTION_MANUAL_HEADER].on;
	o->guards_from_index = inferred_guards;
	set_opt(&o->fk_on_delete, fk);
	set_opt(&o->tenant_column, column);
	set_opt(&o->tenant_role, role);
	for (i = 0; i < MG_CONVENTION_NR; i++)
		c[i].source = c[i].on ? MG_CONVENTION_INFERRED
				      : MG_CONVENTION_NONE;
	/* What the configuration says wins. */
	for (i = 0; i < MG_CONVENTION_NR; i++) {
		enum mg_convention_kind k = (enum mg_convention_kind)i;

		how = configured(cfg, k, &line);
		if (!how)
			continue;
		c[k].source = how == 1 ? MG_CONVENTION_CONFIGURED
				       : MG_CONVENTION_RULE;
		c[k].config_line = line;
		switch (k) {
		case MG_CONVENTION_ENUM_GUARDS:
			o->enum_guards = how == 2 || cfg->lint.enum_guards;
			break;
		case MG_CONVENTION_EXTENSION_GUARDS:
			o->extension_guards =
				how == 2 || cfg->lint.extension_guards;
			break;
		case MG_CONVENTION_MANUAL_HEADER:
			o->manual_header = how == 2 || cfg->lint.manual_header;
			break;
		case MG_CONVENTION_DDL_GUARDS:
			if (how == 1)
				o->guards_from_index =
					cfg->lint.guards_from_index;
			else if (o->guards_from_index < 0)
				o->guards_from_index = 0;
			break;
		case MG_CONVENTION_TENANT:
			if (how == 1) {
				set_opt(&o->tenant_column,
					cfg->lint.tenant_column);
				if (cfg->lint.tenant_role || !o->tenant_role)
					set_opt(&o->tenant_role,
						cfg->lint.tenant_role
							? cfg->lint.tenant_role
							: "authenticated");
				if (!o->tenant_column)
					set_opt(&o->tenant_role, NULL);
			} else if (!o->tenant_column) {
				set_opt(&o->tenant_column, "organization_id");
				set_opt(&o->tenant_role, "authenticated");
			}
			break;
		case MG_CONVENTION_FK_ON_DELETE:
			if (how == 1)
				set_opt(&o->fk_on_delete,
					cfg->lint.fk_on_delete);
			else if (!o->fk_on_delete)
				set_opt(&o->fk_on_delete, "cascade");
			break;
		default:
			break;
		}
	}
	c[MG_CONVENTION_ENUM_GUARDS].on = o->enum_guards;
	c[MG_CONVENTION_EXTENSION_GUARDS].on = o->extension_guards;
	c[MG_CONVENTION_MANUAL_HEADER].on = o->manual_header;
	c[MG_CONVENTION_DDL_GUARDS].on = o->guards_from_index >= 0;
	c[MG_CONVENTION_TENANT].on = o->tenant_column != NULL;
	c[MG_CONVENTION_FK_ON_DELETE].on = o->fk_on_delete != NULL;
out:
	free(column);
	free(role);
	walk_release(&w);
	return err;
}

void mg_conventions_release(struct mg_conventions *c)
{
	size_t i;

	if (!c)
		return;
	free(c->opts.tenant_column);
	free(c->opts.tenant_role);
	free(c->opts.fk_on_delete);
	for (i = 0; i < MG_CONVENTION_NR; i++) {
		free(c->items[i].first);
		mg_strlist_release(&c->items[i].migrations);
	}
	mg_strlist_release(&c->read);
	memset(c, 0, sizeof(*c));
}

void mg_conventions_free(struct mg_conventions *c)
{
	mg_conventions_release(c);
	free(c);
}

void mg_conventions_pin(struct mg_strbuf *out,
			const struct mg_conventions *c, const char *indent)
{
	const struct mg_lint_options *o = &c->opts;

	mg_strbuf_addf(out, "%s\"lint\": {\n", indent);
	if (o->guards_from_index >= 0)
		mg_strbuf_addf(out, "%s  \"guardsFromIndex\": %d,\n", indent,
			       o->guards_from_index);
	else
		mg_strbuf_addf(out, "%s  \"guardsFromIndex\": false,\n",
			       indent);
	if (o->tenant_column) {
		mg_strbuf_addf(out, "%s  \"tenant\": {\"column\": ", indent);
		mg_strbuf_add_json_string(out, o->tenant_column);
		mg_strbuf_adds(out, ", \"role\": ");
		mg_strbuf_add_json_string(out, o->tenant_role
						       ? o->tenant_role
						       : "authenticated");
		mg_strbuf_adds(out, "},\n");
	} else {
		mg_strbuf_addf(out, "%s  \"tenant\": false,\n", indent);
	}
	mg_strbuf_addf(out, "%s  \"fkOnDelete\": ", indent);
	if (o->fk_on_delete)
		mg_strbuf_add_json_string(out, o->fk_on_delete);
	else
		mg_strbuf_adds(out, "false");
	mg_strbuf_addf(out, ",\n%s  \"enumGuards\": %s,\n", indent,
		       o->enum_guards ? "true" : "false");
	mg_strbuf_addf(out, "%s  \"extensionGuards\": %s,\n", indent,
		       o->extension_guards ? "true" : "false");
	mg_strbuf_addf(out, "%s  \"manualHeader\": %s\n", indent,
		       o->manual_header ? "true" : "false");
	mg_strbuf_addf(out, "%s}", indent);
}

/* ---- per run ---------------------------------------------------------- */

int mg_context_lint_options(const struct mg_lint_options **out,
			    struct mg_context *ctx,
			    const struct mg_project *p)
{
	struct mg_migdir *d = NULL;
	struct mg_tree *tree = NULL;
	size_t i;
	int err;

	*out = &ctx->config->lint;
	for (i = 0; i < ctx->config->projects_nr; i++)
		if (&ctx->config->projects[i] == p)
			break;
	if (i == ctx->config->projects_nr)
		return 0;
	if (!ctx->conventions)
		ctx->conventions = mg_xcalloc(ctx->config->projects_nr,
					      sizeof(*ctx->conventions));
	if (!ctx->conventions[i]) {
		unsigned line;
		size_t k;

		/*
		 * Every convention set by a "lint" key: what the migrations
		 * show changes nothing the rules get, so they are not read.
		 */
		for (k = 0; k < MG_CONVENTION_NR; k++)
			if (configured(ctx->config, (enum mg_convention_kind)k,
				       &line) != 1)
				break;
		if (k == MG_CONVENTION_NR) {
			ctx->conventions[i] =
				mg_xcalloc(1, sizeof(**ctx->conventions));
			err = mg_conventions_infer(ctx->conventions[i],
						   ctx->config, NULL);
			if (err < 0)
				return err;
			*out = &ctx->conventions[i]->opts;
			return 0;
		}
		/* --all: the head tree is the one published. */
		if (ctx->cs->mode == MG_CHANGESET_ALL) {
			err = mg_context_migdir(&d, ctx, p);
		} else {
			err = mg_context_published(&tree, ctx);
			if (err >= 0)
				err = mg_context_migdir_at(&d, ctx, tree, p);
		}
		if (err < 0)
			return err;
		ctx->conventions[i] = mg_xcalloc(1, sizeof(**ctx->conventions));
		err = mg_conventions_infer(ctx->conventions[i], ctx->config, d);
		mg_context_migdir_put(ctx, d);
		if (err < 0)
			return err;
	}
	*out = &ctx->conventions[i]->opts;
	return 0;
}

int mg_conventions_lint_check(struct mg_report *r, struct mg_context *ctx)
{
	struct mg_config *cfg = ctx->config;
	size_t i, k;
	int err = 0;

	for (i = 0; i < cfg->projects_nr && err >= 0; i++) {
		const struct mg_project *p = &cfg->projects[i];
		const struct mg_lint_options *opts;
		struct mg_config one = *cfg;
		struct mg_context sub;

		/* Nothing of p to lint: no need to learn its conventions. */
		for (k = 0; ctx->cs->mode != MG_CHANGESET_ALL &&
			    k < ctx->cs->nr; k++)
			if (ctx->cs->changes[k].status != MG_CHANGE_DELETED &&
			    mg_migdir_is_sql(p->migrations,
					     ctx->cs->changes[k].path))
				break;
		if (ctx->cs->mode != MG_CHANGESET_ALL && k == ctx->cs->nr)
			continue;
		err = mg_context_lint_options(&opts, ctx, p);
		if (err < 0)
			break;
		sub = *ctx;
		one.projects = &cfg->projects[i];
		one.projects_nr = 1;
		one.lint = *opts;
		sub.config = &one;
		sub.migdirs = ctx->migdirs ? &ctx->migdirs[i] : NULL;
		sub.migdirs_nr = ctx->migdirs ? 1 : 0;
		sub.conventions = NULL;
		err = mg_lint_check(r, &sub);
		/* What the lint check loaded belongs to ctx. */
		ctx->tree_migdirs = sub.tree_migdirs;
		ctx->tree_migdirs_nr = sub.tree_migdirs_nr;
		ctx->tree_migdirs_alloc = sub.tree_migdirs_alloc;
		ctx->published = sub.published;
	}
	return err;
}

/* ---- describing ------------------------------------------------------- */

/* What is counted, as `migguard conventions` says it. */
static const char *const counted[MG_CONVENTION_NR] = {
	[MG_CONVENTION_ENUM_GUARDS] =
		"enums created in a DO block that catches duplicate_object",
	[MG_CONVENTION_EXTENSION_GUARDS] =
		"extensions created with IF NOT EXISTS",
	[MG_CONVENTION_DDL_GUARDS] =
		"DDL statements with IF NOT EXISTS / IF EXISTS",
	[MG_CONVENTION_TENANT] = "tables created with the tenant column "
				 "that enable row level security with "
				 "select, insert, update and delete policies",
	[MG_CONVENTION_FK_ON_DELETE] = "foreign keys ON DELETE",
	[MG_CONVENTION_MANUAL_HEADER] = "hand-written statements under a "
					"'-- Manual addition:' header",
};

static const char *source_name(enum mg_convention_source s)
{
	switch (s) {
	case MG_CONVENTION_CONFIGURED:
		return "configured";
	case MG_CONVENTION_RULE:
		return "rule";
	case MG_CONVENTION_INFERRED:
		return "inferred";
	default:
		return "none";
	}
}

/* The convention's value as JSON: true/false, a number, a string. */
static void value_json(struct mg_strbuf *out, const struct mg_conventions *c,
		       enum mg_convention_kind k)
{
	const struct mg_lint_options *o = &c->opts;

	if (!c->items[k].on) {
		mg_strbuf_adds(out, "false");
		return;
	}
	switch (k) {
	case MG_CONVENTION_DDL_GUARDS:
		mg_strbuf_addf(out, "%d", o->guards_from_index);
		break;
	case MG_CONVENTION_TENANT:
		mg_strbuf_adds(out, "{\"column\":");
		mg_strbuf_add_json_string(out, o->tenant_column);
		mg_strbuf_adds(out, ",\"role\":");
		mg_strbuf_add_json_string(out, o->tenant_role);
		mg_strbuf_addch(out, '}');
		break;
	case MG_CONVENTION_FK_ON_DELETE:
		mg_strbuf_add_json_string(out, o->fk_on_delete);
		break;
	default:
		mg_strbuf_adds(out, "true");
	}
}

/* The value as text: "on", "from idx 7", "cascade", ... */
static void value_text(struct mg_strbuf *out, const struct mg_conventions *c,
		       enum mg_convention_kind k)
{
	const struct mg_lint_options *o = &c->opts;

	if (!c->items[k].on) {
		mg_strbuf_adds(out, "off");
		return;
	}
	switch (k) {
	case MG_CONVENTION_DDL_GUARDS:
		mg_strbuf_addf(out, "from migration %d on",
			       o->guards_from_index);
		break;
	case MG_CONVENTION_TENANT:
		mg_strbuf_addf(out, "column \"%s\", role \"%s\"",
			       o->tenant_column, o->tenant_role);
		break;
	case MG_CONVENTION_FK_ON_DELETE:
		mg_strbuf_addf(out, "ON DELETE %s", o->fk_on_delete);
		break;
	default:
		mg_strbuf_adds(out, "on");
	}
}

/* "0001_x.sql"; the folder layout's "20261203101957_init/migration.sql". */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/'), *p;

	if (!slash)
		return path;
	if (strcmp(slash + 1, "migration.sql") || slash == path)
		return slash + 1;
	for (p = slash - 1; p > path && p[-1] != '/'; p--)
		;
	return p;
}

#define SHOWN_MAX 5 /* migrations named in text, then "and N more" */

static void describe_text(struct mg_strbuf *out, const struct mg_project *p,
			  const struct mg_conventions *c,
			  const char *config_path)
{
	size_t i, k;

	mg_strbuf_addf(out, "%s (%s): ", p->name, p->migrations);
	if (c->read.nr)
		mg_strbuf_addf(out, "%zu published migration%s read, %s to "
			       "%s\n", c->read.nr, c->read.nr == 1 ? "" : "s",
			       base_name(c->read.items[0]),
			       base_name(c->read.items[c->read.nr - 1]));
	else
		mg_strbuf_adds(out, "no published migration\n");
	for (i = 0; i < MG_CONVENTION_NR; i++) {
		const struct mg_convention *v = &c->items[i];
		enum mg_convention_kind kind = (enum mg_convention_kind)i;

		mg_strbuf_addf(out, "  %s: ", kinds[i].name);
		value_text(out, c, kind);
		if (v->source == MG_CONVENTION_CONFIGURED)
			mg_strbuf_addf(out, ", configured at %s:%u",
				       config_path, v->config_line);
		else if (v->source == MG_CONVENTION_RULE)
			mg_strbuf_addf(out, ", its rule's severity is set at "
				       "%s:%u", config_path, v->config_line);
		else if (v->source == MG_CONVENTION_INFERRED)
			mg_strbuf_adds(out, ", inferred");
		mg_strbuf_addf(out, " [%s]\n    %zu of %zu %s", kinds[i].rules,
			       v->follow, v->total, counted[i]);
		if (kind == MG_CONVENTION_FK_ON_DELETE)
			mg_strbuf_addf(out, " %s", v->candidate
					       ? v->candidate
					       : "other than no action");
		if (v->first)
			mg_strbuf_addf(out, ", first at %s", v->first);
		mg_strbuf_addch(out, '\n');
		if (!v->migrations.nr)
			continue;
		mg_strbuf_adds(out, "    shown by ");
		for (k = 0; k < v->migrations.nr && k < SHOWN_MAX; k++)
			mg_strbuf_addf(out, "%s%s", k ? ", " : "",
				       base_name(v->migrations.items[k]));
		if (v->migrations.nr > SHOWN_MAX)
			mg_strbuf_addf(out, " and %zu more",
				       v->migrations.nr - SHOWN_MAX);
		mg_strbuf_addch(out, '\n');
	}
	mg_strbuf_addf(out, "  pin them in %s:\n", config_path);
	mg_conventions_pin(out, c, "    ");
	mg_strbuf_addch(out, '\n');
}

static void describe_json(struct mg_strbuf *out, const struct mg_project *p,
			  const struct mg_conventions *c,
			  const char *config_path)
{
	struct mg_strlist rules = MG_STRLIST_INIT;
	size_t i, k;

	mg_strbuf_adds(out, "{\"name\":");
	mg_strbuf_add_json_string(out, p->name);
	mg_strbuf_adds(out, ",\"migrations\":");
	mg_strbuf_add_json_string(out, p->migrations);
	mg_strbuf_adds(out, ",\"read\":[");
	for (i = 0; i < c->read.nr; i++) {
		if (i)
			mg_strbuf_addch(out, ',');
		mg_strbuf_add_json_string(out, c->read.items[i]);
	}
	mg_strbuf_adds(out, "],\"conventions\":[");
	for (i = 0; i < MG_CONVENTION_NR; i++) {
		const struct mg_convention *v = &c->items[i];

		mg_strbuf_addf(out, "%s{\"name\":\"%s\",\"rules\":[",
			       i ? "," : "", kinds[i].name);
		mg_strlist_split(&rules, kinds[i].rules);
		for (k = 0; k < rules.nr; k++)
			mg_strbuf_addf(out, "%s\"%s\"", k ? "," : "",
				       rules.items[k]);
		mg_strlist_release(&rules);
		mg_strbuf_addf(out, "],\"on\":%s,\"value\":",
			       v->on ? "true" : "false");
		value_json(out, c, (enum mg_convention_kind)i);
		mg_strbuf_addf(out, ",\"source\":\"%s\",\"config\":",
			       source_name(v->source));
		if (v->config_line)
			mg_strbuf_addf(out, "\"%s:%u\"", config_path,
				       v->config_line);
		else
			mg_strbuf_adds(out, "null");
		mg_strbuf_addf(out, ",\"shown\":%s,\"follow\":%zu,"
			       "\"total\":%zu,\"first\":",
			       v->shown ? "true" : "false", v->follow,
			       v->total);
		if (v->first)
			mg_strbuf_add_json_string(out, v->first);
		else
			mg_strbuf_adds(out, "null");
		mg_strbuf_adds(out, ",\"shownBy\":[");
		for (k = 0; k < v->migrations.nr; k++) {
			if (k)
				mg_strbuf_addch(out, ',');
			mg_strbuf_add_json_string(out, v->migrations.items[k]);
		}
		mg_strbuf_adds(out, "]}");
	}
	mg_strbuf_adds(out, "],\"pin\":{");
	{
		struct mg_strbuf pin = MG_STRBUF_INIT;

		mg_conventions_pin(&pin, c, "");
		/* "lint": {...} without newlines, as a member. */
		for (k = 0; k < pin.len; k++)
			if (pin.buf[k] != '\n')
				mg_strbuf_addch(out, pin.buf[k]);
		mg_strbuf_release(&pin);
	}
	mg_strbuf_adds(out, "}}");
}

void mg_conventions_describe(struct mg_strbuf *out,
			     const struct mg_project *p,
			     const struct mg_conventions *c, int json)
{
	if (json)
		describe_json(out, p, c, ".migguard.json");
	else
		describe_text(out, p, c, ".migguard.json");
}

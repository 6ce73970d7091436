/*
 * rename-as-drop: drizzle-kit writes a renamed column as DROP COLUMN and
 * ADD COLUMN when its prompt is answered wrong, losing the data. A pair
 * is a column dropped and another added in the same table with the same
 * type (the dropped one's from the previous snapshot; without it, only a
 * table's lone added column pairs), and no statement of the file copying
 * data from the old column into the new one (UPDATE t SET new = old).
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/migfolder.h"
#include "migguard/pgparse.h"
#include "migguard/strbuf.h"
#include "../rule.h"

struct state {
	struct mg_lint_names dropped; /* extra: the type, or NULL */
	struct mg_lint_names added;   /* extra: the type */
	struct mg_lint_names copies;  /* name: target; extra: a source */
};

/* A type as the parser names it ("int4", "varchar[]"), a new string. */
static char *type_key(const struct mg_json *type_name)
{
	const char *name = mg_lint_name_part(
		mg_lint_jarray(type_name, "names"), -1);
	const struct mg_json *bounds = mg_lint_jarray(type_name,
						      "arrayBounds");

	if (!name)
		return NULL;
	return mg_xstrfmt("%s%s", name, bounds && bounds->nr ? "[]" : "");
}

/* The same for a type written as in a snapshot ("varchar(64)"). */
static char *type_key_of_text(const char *type)
{
	struct mg_pg_error perr = { NULL, 0, 0 };
	struct mg_json *tree = NULL;
	const struct mg_json *stmts, *val;
	char *sql = mg_xstrfmt("SELECT NULL::%s", type), *key = NULL;

	if (mg_pgparse_parse(&tree, sql, &perr) < 0 || perr.message)
		goto out;
	stmts = mg_lint_jarray(tree, "stmts");
	if (!stmts || stmts->nr != 1)
		goto out;
	val = mg_json_get(mg_lint_node_body(mg_json_get(stmts->children[0],
							"stmt")),
			  "targetList");
	val = val && val->type == MG_JSON_ARRAY && val->nr == 1
		      ? mg_json_get(mg_lint_node_body(val->children[0]), "val")
		      : NULL;
	if (!strcmp(mg_lint_node_type(val), "TypeCast"))
		key = type_key(mg_json_get(mg_lint_node_body(val),
					   "typeName"));
out:
	mg_pg_error_release(&perr);
	mg_json_free(tree);
	free(sql);
	return key;
}

/*
 * The same from the replayed state of the folder layout: a "columns" row
 * has its type without the array bounds, which "dimensions" counts.
 */
static char *state_type(const struct mg_ddl_state *s, const char *schema,
			const char *table, const char *column)
{
	const struct mg_ddl_entity *e = mg_ddl_state_find(
		s, "columns", schema && *schema ? schema : "public", table,
		column);
	const struct mg_json *dims;
	const char *type;
	struct mg_strbuf sb = MG_STRBUF_INIT;
	char *key;

	type = e ? mg_json_get_string(e->row, "type") : NULL;
	if (!type)
		return NULL;
	mg_strbuf_adds(&sb, type);
	dims = mg_json_get(e->row, "dimensions");
	if (dims && dims->type == MG_JSON_NUMBER && dims->number > 0)
		mg_strbuf_adds(&sb, "[]");
	key = type_key_of_text(sb.buf);
	mg_strbuf_release(&sb);
	return key;
}

/* The dropped column's type from the previous snapshot, or NULL. */
static char *snapshot_type(const struct mg_lint *l, const char *schema,
			   const char *table, const char *column)
{
	const struct mg_json *tables = mg_json_get(l->in->prev_snapshot,
						   "tables");
	size_t i;

	if (l->in->prev_state)
		return state_type(l->in->prev_state, schema, table, column);
	for (i = 0; tables && tables->type == MG_JSON_OBJECT &&
		    i < tables->nr; i++) {
		const struct mg_json *t = tables->children[i];
		const char *name = mg_json_get_string(t, "name");
		const char *sch = mg_json_get_string(t, "schema");
		const char *type = mg_json_get_string(
			mg_json_get(mg_json_get(t, "columns"), column),
			"type");

		if (!name || strcmp(name, table) || !type)
			continue;
		if (strcmp(sch && *sch ? sch : "public",
			   schema && *schema ? schema : "public"))
			continue;
		return type_key_of_text(type);
	}
	return NULL;
}

/* Every column a SET expression reads, as copies of target. */
static void add_sources(struct state *st, const struct mg_json *j,
			const char *schema, const char *table,
			const char *target)
{
	size_t i;

	if (!j || (j->type != MG_JSON_OBJECT && j->type != MG_JSON_ARRAY))
		return;
	if (j->type == MG_JSON_OBJECT && !strcmp(mg_lint_node_type(j),
						  "ColumnRef")) {
		const char *col = mg_lint_name_part(
			mg_lint_jarray(mg_lint_node_body(j), "fields"), -1);

		if (col)
			mg_lint_names_push(&st->copies, schema, table, target,
					   0, 0)->extra = mg_xstrdup(col);
		return;
	}
	for (i = 0; i < j->nr; i++)
		add_sources(st, j->children[i], schema, table, target);
}

static void update(struct state *st, const struct mg_json *s)
{
	const struct mg_json *rel = mg_json_get(s, "relation");
	const struct mg_json *targets = mg_lint_jarray(s, "targetList");
	const char *table = mg_json_get_string(rel, "relname");
	size_t i;

	for (i = 0; table && targets && i < targets->nr; i++) {
		const struct mg_json *t = mg_lint_node_body(targets->children[i]);
		const char *name = mg_json_get_string(t, "name");

		if (name)
			add_sources(st, mg_json_get(t, "val"),
				    mg_json_get_string(rel, "schemaname"),
				    table, name);
	}
}

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	struct state *st = state;
	const struct mg_json *rel = mg_json_get(s, "relation");
	const struct mg_json *cmds = mg_lint_jarray(s, "cmds");
	const char *schema = mg_json_get_string(rel, "schemaname");
	const char *table = mg_json_get_string(rel, "relname");
	size_t i, *at;

	if (!strcmp(type, "UpdateStmt")) {
		update(st, s);
		return;
	}
	if (strcmp(type, "AlterTableStmt") || !table || !cmds)
		return;
	at = mg_lint_alter_positions(u, s);
	for (i = 0; i < cmds->nr; i++) {
		const struct mg_json *cmd = mg_lint_node_body(cmds->children[i]);
		const char *sub = mg_json_get_string(cmd, "subtype");
		const char *name = mg_json_get_string(cmd, "name");
		const struct mg_json *def = mg_json_get(cmd, "def");

		if (!sub)
			continue;
		if (!strcmp(sub, "AT_DropColumn") && name) {
			mg_lint_names_push(&st->dropped, schema, table, name,
					   mg_lint_pos(u, at[i]), u->stmt)
				->extra = snapshot_type(l, schema, table,
							name);
		} else if (!strcmp(sub, "AT_AddColumn") && def) {
			const struct mg_json *cd = mg_lint_node_body(def);
			const char *col = mg_json_get_string(cd, "colname");

			if (col)
				mg_lint_names_push(&st->added, schema, table,
						   col, mg_lint_pos(u, at[i]),
						   u->stmt)
					->extra = type_key(mg_json_get(
						cd, "typeName"));
		}
	}
	free(at);
}

static int copied(const struct state *st, const struct mg_lint_name *d,
		  const struct mg_lint_name *a)
{
	size_t i;

	for (i = 0; i < st->copies.nr; i++) {
		const struct mg_lint_name *c = &st->copies.items[i];

		if (mg_lint_same_table(c, d->schema, d->table) &&
		    !strcmp(c->name, a->name) && !strcmp(c->extra, d->name))
			return 1;
	}
	return 0;
}

/* The added column d pairs with, or NULL. */
static const struct mg_lint_name *pair(const struct state *st,
				       const struct mg_lint_name *d)
{
	const struct mg_lint_name *match = NULL;
	size_t i, candidates = 0;

	for (i = 0; i < st->added.nr; i++) {
		const struct mg_lint_name *a = &st->added.items[i];

		if (!mg_lint_same_table(a, d->schema, d->table))
			continue;
		candidates++;
		if (!strcmp(a->name, d->name) || copied(st, d, a))
			continue; /* dropped and re-made, or a rename done */
		if (d->extra && (!a->extra || strcmp(a->extra, d->extra)))
			continue; /* another type */
		if (!match)
			match = a;
	}
	/* The type unknown, only a table's lone added column pairs. */
	if (!d->extra && candidates != 1)
		return NULL;
	return match;
}

static void file(struct mg_lint *l, void *state)
{
	struct state *st = state;
	size_t i;

	for (i = 0; i < st->dropped.nr; i++) {
		const struct mg_lint_name *d = &st->dropped.items[i];
		const struct mg_lint_name *a = pair(st, d);
		char *qd, *qa, *fix;

		if (!a || mg_lint_unpublished(l, d->schema, d->table, d->name))
			continue;
		qd = mg_lint_quoted(d->schema, d->table, d->name);
		qa = mg_lint_quoted(a->schema, a->table, a->name);
		fix = mg_xstrfmt("if it is a rename, write ALTER TABLE \"%s\" "
				 "RENAME COLUMN \"%s\" TO \"%s\" instead, which "
				 "keeps the data", d->table, d->name, a->name);
		mg_lint_add(l, "rename-as-drop", d->offset, d->stmt, fix,
			    "column %s is dropped and %s added in the same "
			    "migration", qd, qa);
		free(fix);
		free(qa);
		free(qd);
	}
}

static void release(void *state)
{
	struct state *st = state;

	mg_lint_names_release(&st->dropped);
	mg_lint_names_release(&st->added);
	mg_lint_names_release(&st->copies);
}

const struct mg_lint_rule mg_lint_rule_rename_as_drop = {
	.id = "rename-as-drop",
	.state_size = sizeof(struct state),
	.stmt = stmt,
	.file = file,
	.release = release,
};

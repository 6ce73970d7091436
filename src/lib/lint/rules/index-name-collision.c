/*
 * index-name-collision: an index or constraint name already used in the
 * previous snapshot or earlier in this migration (after PostgreSQL cuts
 * both to 63 bytes) fails the migration.
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/migfolder.h"
#include "../rule.h"

struct state {
	int loaded;
	const char *schema; /* of the statement's table, or NULL (public) */
	struct mg_lint_names snapshot;	/* names before; flag: dropped */
	struct mg_lint_names new_names; /* names made here; flag: dropped */
};

static const char rule[] = "index-name-collision";

/* Index and constraint names of drizzle's previous snapshot. */
static void load_snapshot(struct state *st, const struct mg_json *snap)
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
				mg_lint_names_push(
					&st->snapshot,
					mg_json_get_string(t, "schema"),
					name ? name : t->key,
					set->children[j]->key, 0,
					MG_LINT_NO_STMT);
		}
	}
}

/*
 * The same from the replayed state of the folder layout: index names are
 * the schema's, constraint names their table's; drizzle 1.0 also records
 * the names PostgreSQL gives a primary key or unique constraint itself
 * ("user_pkey", "user_email_key"), which take an index's name as well.
 */
static void load_state(struct state *st, const struct mg_ddl_state *s)
{
	static const char *const kinds[] = {
		"indexes", "fks", "uniques", "pks", "checks",
	};
	size_t i, k;

	for (i = 0; s && i < s->nr; i++) {
		const struct mg_ddl_entity *e = &s->items[i];

		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (!strcmp(e->entity_type, kinds[k]))
				break;
		if (k == sizeof(kinds) / sizeof(kinds[0]) || !e->name ||
		    !e->table)
			continue;
		mg_lint_names_push(&st->snapshot, e->schema, e->table,
				   e->name, 0, MG_LINT_NO_STMT);
	}
}

/*
 * Forget index or constraint names dropped here: they may be reused. The
 * parse tree holds the dropped name cut to 63 bytes, as PostgreSQL does.
 */
static void forget(struct mg_lint_names *n, const char *name,
		   const char *table)
{
	size_t i;

	for (i = 0; i < n->nr; i++) {
		if (name && n->items[i].name &&
		    mg_lint_same_after_clip(n->items[i].name, name))
			n->items[i].flag = 1;
		if (table && n->items[i].table &&
		    !strcmp(n->items[i].table, table))
			n->items[i].flag = 1;
	}
}

static void new_name(struct mg_lint *l, struct state *st,
		     const struct mg_lint_unit *u, size_t rel,
		     const char *kind, const char *parsed, const char *table)
{
	size_t i, pos = mg_lint_pos(u, rel);
	unsigned line, col;
	char *written = mg_lint_ident_at(u, rel);
	const char *name = written ? written : parsed;
	char *q = mg_lint_quoted(NULL, NULL, name);
	const char *fix = "rename it (in the schema, pass an explicit name)";

	for (i = 0; i < st->snapshot.nr; i++) {
		const struct mg_lint_name *n = &st->snapshot.items[i];

		if (n->flag || !mg_lint_same_after_clip(n->name, name))
			continue;
		/* The replayed state knows each name's schema. */
		if (l->in->prev_state &&
		    strcmp(n->schema ? n->schema : "public",
			   st->schema ? st->schema : "public"))
			continue;
		if (!strcmp(n->name, name))
			mg_lint_add(l, rule, pos, u->stmt, fix, "%s name %s "
				    "is already used on table \"%s\" in the "
				    "previous snapshot", kind, q, n->table);
		else
			mg_lint_add(l, rule, pos, u->stmt, fix, "%s name %s "
				    "equals \"%s\" of table \"%s\" once "
				    "postgresql truncates both to 63 bytes",
				    kind, q, n->name, n->table);
		goto out;
	}
	for (i = 0; i < st->new_names.nr; i++) {
		const struct mg_lint_name *n = &st->new_names.items[i];

		if (n->flag || !mg_lint_same_after_clip(n->name, name))
			continue;
		mg_srcmap_locate(&l->map, n->offset, &line, &col);
		if (!strcmp(n->name, name))
			mg_lint_add(l, rule, pos, u->stmt, fix, "%s name %s "
				    "is used twice in this migration (first "
				    "on line %u)", kind, q, line);
		else
			mg_lint_add(l, rule, pos, u->stmt, fix, "%s name %s "
				    "equals \"%s\" (line %u) once postgresql "
				    "truncates both to 63 bytes", kind, q,
				    n->name, line);
		goto out;
	}
out:
	mg_lint_names_push(&st->new_names, NULL, table, name, pos, u->stmt);
	free(written);
	free(q);
}

static void constraint(struct mg_lint *l, struct state *st,
		       const struct mg_lint_unit *u, const struct mg_json *c,
		       const char *table)
{
	const char *conname = mg_json_get_string(c, "conname");
	size_t loc = (size_t)mg_lint_jint(c, "location",
					  (long)mg_lint_first(u));

	if (!mg_json_get_string(c, "contype") || !conname)
		return;
	new_name(l, st, u, mg_lint_find(u, loc, conname, loc), "constraint",
		 conname, table);
}

static void column(struct mg_lint *l, struct state *st,
		   const struct mg_lint_unit *u, const struct mg_json *coldef,
		   const char *table)
{
	const struct mg_json *cons = mg_lint_jarray(coldef, "constraints");
	size_t i;

	for (i = 0; cons && i < cons->nr; i++)
		constraint(l, st, u, mg_lint_node_body(cons->children[i]),
			   table);
}

static void create_table(struct mg_lint *l, struct state *st,
			 const struct mg_lint_unit *u, const struct mg_json *s)
{
	const struct mg_json *elts = mg_lint_jarray(s, "tableElts");
	const char *table = mg_json_get_string(mg_json_get(s, "relation"),
					       "relname");
	size_t i;

	if (!table)
		return;
	for (i = 0; elts && i < elts->nr; i++) {
		const char *t = mg_lint_node_type(elts->children[i]);
		const struct mg_json *b = mg_lint_node_body(elts->children[i]);

		if (!strcmp(t, "ColumnDef"))
			column(l, st, u, b, table);
		else if (!strcmp(t, "Constraint"))
			constraint(l, st, u, b, table);
	}
}

static void alter_table(struct mg_lint *l, struct state *st,
			const struct mg_lint_unit *u, const struct mg_json *s)
{
	const struct mg_json *cmds = mg_lint_jarray(s, "cmds");
	const char *table = mg_json_get_string(mg_json_get(s, "relation"),
					       "relname");
	size_t i;

	if (!table || !cmds)
		return;
	for (i = 0; i < cmds->nr; i++) {
		const struct mg_json *cmd = mg_lint_node_body(cmds->children[i]);
		const char *sub = mg_json_get_string(cmd, "subtype");
		const char *name = mg_json_get_string(cmd, "name");
		const struct mg_json *def = mg_json_get(cmd, "def");

		if (!sub)
			continue;
		if (!strcmp(sub, "AT_AddColumn") && def) {
			column(l, st, u, mg_lint_node_body(def), table);
		} else if (!strcmp(sub, "AT_AddConstraint") && def) {
			constraint(l, st, u, mg_lint_node_body(def), table);
		} else if (!strcmp(sub, "AT_DropConstraint") && name) {
			forget(&st->snapshot, name, NULL);
			forget(&st->new_names, name, NULL);
		}
	}
}

static void drop(struct state *st, const struct mg_lint_unit *u,
		 const struct mg_json *s)
{
	const char *kind = mg_json_get_string(s, "removeType");
	struct mg_lint_object *objs = NULL;
	size_t i, n;

	if (!kind)
		return;
	n = mg_lint_drop_objects(&objs, u, s);
	for (i = 0; i < n; i++) {
		if (!strcmp(kind, "OBJECT_TABLE")) {
			forget(&st->snapshot, NULL, objs[i].name);
		} else if (!strcmp(kind, "OBJECT_INDEX")) {
			forget(&st->snapshot, objs[i].name, NULL);
			forget(&st->new_names, objs[i].name, NULL);
		}
	}
	free(objs);
}

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	struct state *st = state;

	if (!st->loaded) {
		load_snapshot(st, l->in->prev_snapshot);
		load_state(st, l->in->prev_state);
		st->loaded = 1;
	}
	st->schema = mg_json_get_string(mg_json_get(s, "relation"),
					"schemaname");
	if (!strcmp(type, "CreateStmt")) {
		create_table(l, st, u, s);
	} else if (!strcmp(type, "AlterTableStmt")) {
		alter_table(l, st, u, s);
	} else if (!strcmp(type, "DropStmt")) {
		drop(st, u, s);
	} else if (!strcmp(type, "IndexStmt")) {
		const char *name = mg_json_get_string(s, "idxname");
		size_t first = mg_lint_first(u);

		if (name)
			new_name(l, st, u, mg_lint_find(u, first, name, first),
				 "index", name,
				 mg_json_get_string(mg_json_get(s, "relation"),
						    "relname"));
	}
}

static void release(void *state)
{
	struct state *st = state;

	mg_lint_names_release(&st->snapshot);
	mg_lint_names_release(&st->new_names);
}

const struct mg_lint_rule mg_lint_rule_index_name_collision = {
	.id = "index-name-collision",
	.state_size = sizeof(struct state),
	.stmt = stmt,
	.release = release,
};

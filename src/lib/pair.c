/*
 * The pair check: a schema change and its generated migration travel
 * together, and a new migration is whole (.sql, meta/ snapshot and journal
 * entry). Schema files are TypeScript, which migguard does not evaluate:
 * the old and new versions of a changed schema file are scanned (tsscan.h)
 * and edits that cannot reach the database (comments, formatting, types,
 * relations, zod values, ...) do not count; what the scanner cannot
 * classify does. Config "pair.ignore" lists files that never affect the
 * schema.
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/check.h"
#include "migguard/git.h"
#include "migguard/glob.h"
#include "migguard/migdir.h"
#include "migguard/migfolder.h"
#include "migguard/pair.h"
#include "migguard/schemagraph.h"
#include "migguard/srcmap.h"
#include "migguard/strbuf.h"
#include "migguard/tsscan.h"

static int is_chain_key(const char *key)
{
	return key && (!strcmp(key, "id") || !strcmp(key, "prevId"));
}

static size_t count_members(const struct mg_json *obj, int top)
{
	size_t i, n = 0;

	for (i = 0; i < obj->nr; i++)
		if (!top || !is_chain_key(obj->children[i]->key))
			n++;
	return n;
}

static int json_equal(const struct mg_json *a, const struct mg_json *b,
		      int top)
{
	size_t i;

	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case MG_JSON_NUMBER:
		return !(a->number < b->number || a->number > b->number);
	case MG_JSON_STRING:
		return !strcmp(a->string, b->string);
	case MG_JSON_ARRAY:
		if (a->nr != b->nr)
			return 0;
		for (i = 0; i < a->nr; i++)
			if (!json_equal(a->children[i], b->children[i], 0))
				return 0;
		return 1;
	case MG_JSON_OBJECT:
		if (count_members(a, top) != count_members(b, top))
			return 0;
		for (i = 0; i < a->nr; i++) {
			const struct mg_json *m = a->children[i], *other;

			if (top && is_chain_key(m->key))
				continue;
			other = mg_json_get(b, m->key);
			if (!other || !json_equal(m, other, 0))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

int mg_pair_snapshots_equal(const struct mg_json *a, const struct mg_json *b)
{
	return json_equal(a, b, 1);
}

int mg_pair_snapshot_texts_equal(const char *a, size_t alen, const char *b,
				 size_t blen)
{
	static const char *const chain_keys[] = { "id", "prevId" };
	struct mg_strbuf ca = MG_STRBUF_INIT, cb = MG_STRBUF_INIT;
	int err;

	err = mg_json_canonical(&ca, a, alen, chain_keys, 2);
	if (err < 0)
		goto out;
	err = mg_json_canonical(&cb, b, blen, chain_keys, 2);
	if (err < 0)
		goto out;
	err = ca.len == cb.len && !memcmp(ca.buf, cb.buf, ca.len);
out:
	mg_strbuf_release(&cb);
	mg_strbuf_release(&ca);
	return err;
}

/* Migration files the change adds that no journal entry names. */
struct orphan {
	char *prefix;	     /* "0007" */
	char *tag;	     /* from the .sql name, or NULL */
	char *sql_path;	     /* the added .sql, or NULL */
	char *snapshot_path; /* the added snapshot, or NULL */
};

/* A schema file change that may change the database. */
struct schema_edit {
	const struct mg_change *c;
	unsigned line, column; /* its first changed token */
	char *what;	       /* "pgTable \"user\" changed", or NULL */
};

struct pair_state {
	struct mg_report *r;
	struct mg_context *ctx;
	const struct mg_project *p;
	struct mg_migdir *head, *base;
	struct schema_edit *schema; /* watched, not ignored, may change SQL */
	size_t schema_nr, schema_alloc;
	/* schema files outside the watched folders that changed */
	struct mg_change *extra;
	size_t extra_nr;
	struct orphan *orphans;
	size_t orphans_nr, orphans_alloc;
	int generated;	 /* a new migration that changes the snapshot */
	int attempted;	 /* an incomplete one (reported on its own) */
	int late;	 /* schema_changed_late: -1 not asked yet */
	char *custom;	 /* tag of a new custom migration, or NULL */
	char *moved_from; /* the base's migrations folder, if "out" moved */
};

enum { SNAPSHOT_SAME, SNAPSHOT_CHANGED, SNAPSHOT_UNKNOWN };

/* "'pnpm db:generate' in 'packages/db'" */
static void add_generate(struct mg_strbuf *sb, const struct pair_state *st)
{
	const char *dir = st->p->run_dir ? st->p->run_dir : st->p->root;

	mg_strbuf_addf(sb, "'%s'", st->p->generate_command
		       ? st->p->generate_command : "npx drizzle-kit generate");
	if (dir && dir[0])
		mg_strbuf_addf(sb, " in '%s'", dir);
}

static void add_bypass(struct mg_strbuf *sb, const struct pair_state *st)
{
	switch (st->ctx->cs->mode) {
	case MG_CHANGESET_STAGED:
		mg_strbuf_adds(sb, "; bypass once: MIGGUARD_SKIP=pair git "
			       "commit ...");
		break;
	case MG_CHANGESET_PRE_PUSH:
		mg_strbuf_adds(sb, "; bypass once: MIGGUARD_SKIP=pair git "
			       "push ...");
		break;
	default:
		break;
	}
}

static int staged(const struct pair_state *st)
{
	return st->ctx->cs->mode == MG_CHANGESET_STAGED;
}

static int is_ignored(const struct mg_config *cfg, const char *path)
{
	size_t i;

	for (i = 0; i < cfg->pair_ignore.nr; i++)
		if (mg_path_watched(cfg->pair_ignore.items[i], path))
			return 1;
	return 0;
}

/* A path of the project's schema that may change it. */
static int counts_as_schema(const struct pair_state *st, const char *path)
{
	return path && mg_project_is_schema(st->p, path) &&
	       !mg_path_watched(st->p->migrations, path) &&
	       !is_ignored(st->ctx->config, path);
}

static int is_script(const char *path)
{
	static const char *const exts[] = { ".ts", ".tsx", ".mts", ".cts",
		".js", ".jsx", ".mjs", ".cjs", NULL };
	size_t i;

	for (i = 0; exts[i]; i++)
		if (mg_ends_with(path, exts[i]))
			return 1;
	return 0;
}

/* One version of a changed file: "" when it is not in that tree. */
static int read_version(struct mg_tree *t, const char *path, char **buf,
			size_t *len)
{
	int err;

	*buf = NULL;
	*len = 0;
	if (!t || !path)
		return 0;
	err = mg_tree_read(t, path, buf, len);
	if (err == MG_ENOTFOUND)
		return 0;
	return err;
}

/*
 * The schema files drizzle-kit reads at head and (read only when a change
 * needs it) at base: the config's entries and what they import. When the
 * entries match nothing in either tree, every watched file counts.
 */
struct reach {
	struct mg_strlist head, base;
	struct mg_schema_uses head_uses, base_uses;
	size_t head_roots, base_roots;
	int head_loaded, base_loaded;
};

static int reach_base(struct pair_state *st, struct reach *rc)
{
	struct mg_config old;
	size_t i;
	int err;

	if (rc->base_loaded || !st->ctx->cs->base)
		return 0;
	rc->base_loaded = 1;
	err = mg_schema_files_used(&rc->base, &rc->base_roots,
				   st->ctx->cs->base, st->p, &rc->base_uses);
	if (err < 0 || rc->base_roots)
		return err;
	/*
	 * The head's entries match nothing at base: the schema moved with
	 * the config's "schema". The base's own config names what it was
	 * (a config the base cannot read is no reason to fail).
	 */
	if (mg_config_load(&old, st->ctx->cs->base) < 0) {
		mg_config_release(&old);
		return 0;
	}
	for (i = 0; i < old.projects_nr; i++) {
		const struct mg_project *o = &old.projects[i];

		if (!o->name || !st->p->name || strcmp(o->name, st->p->name))
			continue;
		mg_strlist_release(&rc->base);
		mg_schema_uses_release(&rc->base_uses);
		err = mg_schema_files_used(&rc->base, &rc->base_roots,
					   st->ctx->cs->base, o,
					   &rc->base_uses);
		break;
	}
	mg_config_release(&old);
	return err;
}

/*
 * The schema on one side that the other side does not have: the text of
 * the files of `from` (side t) that `other` does not list, each followed
 * by a newline, except skip. An added or deleted schema file is compared
 * with this (a file moved byte for byte, or a declaration moved from a
 * file that is gone to one that is new, changes nothing).
 */
static int schema_beside(struct mg_strbuf *out, struct mg_tree *t,
			 const struct mg_strlist *from,
			 const struct mg_strlist *other, const char *skip)
{
	size_t i;

	for (i = 0; i < from->nr; i++) {
		const char *path = from->items[i];
		char *buf = NULL;
		size_t len;
		int err;

		if (!strcmp(path, skip) || mg_strlist_has(other, path) ||
		    !is_script(path))
			continue;
		err = read_version(t, path, &buf, &len);
		if (err < 0) {
			free(buf);
			return err;
		}
		if (buf) {
			mg_strbuf_addch(out, '\n');
			mg_strbuf_add(out, buf, len);
		}
		free(buf);
	}
	return 0;
}

/*
 * A file the schema reaches only through imports: 1 and *names the
 * declarations used of it at base or at head (tsscan.h's
 * mg_ts_schema_effect_used). 0: all of it counts (a root, a re-export,
 * unsure, or the graph was not read).
 */
static int used_names(struct mg_strlist *names, const struct reach *rc,
		      const struct mg_change *c)
{
	const char *old = c->old_path ? c->old_path : c->path;
	const struct mg_schema_use *uh = NULL, *ub = NULL;
	size_t i;

	if (!rc || (!rc->head_roots && !rc->base_roots))
		return 0;
	if (c->status != MG_CHANGE_DELETED) {
		uh = mg_schema_use_of(&rc->head_uses, c->path);
		if (!uh || uh->all)
			return 0;
	}
	if (c->status != MG_CHANGE_ADDED && rc->base_loaded) {
		ub = mg_schema_use_of(&rc->base_uses, old);
		if (ub && ub->all)
			return 0;
	}
	if (c->status != MG_CHANGE_ADDED && !rc->base_loaded)
		return 0; /* what base used is not known */
	for (i = 0; uh && i < uh->names.nr; i++)
		mg_strlist_push(names, uh->names.items[i]);
	for (i = 0; ub && i < ub->names.nr; i++)
		if (!mg_strlist_has(names, ub->names.items[i]))
			mg_strlist_push(names, ub->names.items[i]);
	return 1;
}

/*
 * Scan the old and new versions of a schema file: 0 when the edit cannot
 * change the database, 1 when it may (e filled), < 0 on a read error. A
 * file the scanner does not read (not TypeScript or JavaScript, too big)
 * counts at its first line.
 */
static int classify_edit(struct pair_state *st, struct reach *rc,
			 struct schema_edit *e)
{
	const struct mg_changeset *cs = st->ctx->cs;
	const struct mg_change *c = e->c;
	const char *old_path = c->old_path ? c->old_path : c->path;
	struct mg_strbuf wa = MG_STRBUF_INIT, wb = MG_STRBUF_INIT;
	struct mg_strlist used = MG_STRLIST_INIT;
	char *a = NULL, *b = NULL;
	size_t alen, blen;
	struct mg_ts_file fa, fb;
	struct mg_ts_effect eff;
	struct mg_srcmap map;
	int err, whole = 0;

	e->line = e->column = 1;
	if (c->status == MG_CHANGE_TYPECHANGE || !is_script(c->path) ||
	    !is_script(old_path))
		return 1;
	err = read_version(cs->base, c->status == MG_CHANGE_ADDED ? NULL
								  : old_path,
			   &a, &alen);
	if (err >= 0)
		err = read_version(cs->head, c->status == MG_CHANGE_DELETED
						     ? NULL : c->path,
				   &b, &blen);
	/*
	 * An added or deleted file: compared with the schema files that only
	 * the other side has (moved, or declarations moved between them).
	 * Its own text comes first, so its own effects come first.
	 */
	if (err >= 0 && rc && (rc->head_roots || rc->base_roots) &&
	    (c->status == MG_CHANGE_ADDED || c->status == MG_CHANGE_DELETED)) {
		err = reach_base(st, rc);
		mg_strbuf_add(&wa, a ? a : "", alen);
		mg_strbuf_add(&wb, b ? b : "", blen);
		if (err >= 0)
			err = schema_beside(&wa, cs->base, &rc->base, &rc->head,
					    c->path);
		if (err >= 0)
			err = schema_beside(&wb, cs->head, &rc->head, &rc->base,
					    c->path);
		whole = wa.len > alen || wb.len > blen;
	}
	if (err == MG_ETOOBIG) {
		err = 1;
		goto out;
	}
	if (err < 0)
		goto out;
	if (whole && c->status == MG_CHANGE_DELETED) {
		/* its own declarations, wherever they went */
		mg_ts_scan(&fa, a ? a : "", alen);
		mg_ts_scan(&fb, wb.buf, wb.len);
	} else if (whole) {
		mg_ts_scan(&fa, wa.buf, wa.len);
		mg_ts_scan(&fb, wb.buf, wb.len);
	} else {
		mg_ts_scan(&fa, a ? a : "", alen);
		mg_ts_scan(&fb, b ? b : "", blen);
	}
	if (!whole && rc && c->status != MG_CHANGE_ADDED &&
	    (rc->head_roots || rc->base_roots)) {
		const struct mg_schema_use *u =
			mg_schema_use_of(&rc->head_uses, c->path);

		/* partly used at head: what did base use? */
		if ((!u || !u->all) && reach_base(st, rc) < 0)
			rc = NULL; /* unsure: the whole file */
	}
	if (whole && c->status == MG_CHANGE_DELETED)
		mg_ts_schema_effect_gone(&eff, &fa, &fb);
	else if (!whole && used_names(&used, rc, c))
		mg_ts_schema_effect_used(&eff, &fa, &fb, &used);
	else
		mg_ts_schema_effect(&eff, &fa, &fb);
	mg_strlist_release(&used);
	/* an added file's effect in another new file is that file's own */
	if (whole && eff.changed && blen && eff.offset >= blen)
		eff.changed = 0;
	err = eff.changed;
	if (eff.changed) {
		e->what = mg_xstrfmt("%s %s", eff.subject, eff.verb);
		if (blen) {
			mg_srcmap_init(&map, b, blen);
			mg_srcmap_locate(&map, eff.offset, &e->line,
					 &e->column);
			mg_srcmap_release(&map);
		}
	}
	mg_ts_effect_release(&eff);
	mg_ts_file_release(&fb);
	mg_ts_file_release(&fa);
out:
	mg_strbuf_release(&wb);
	mg_strbuf_release(&wa);
	free(b);
	free(a);
	return err;
}

/* 1 when c is a schema file drizzle-kit reads (or read), 0 if not. */
static int reached(struct pair_state *st, struct reach *rc,
		   const struct mg_change *c)
{
	const char *old = c->old_path ? c->old_path : c->path;
	int err;

	if (!rc->head_loaded) {
		rc->head_loaded = 1;
		err = mg_schema_files_used(&rc->head, &rc->head_roots,
					   st->ctx->cs->head, st->p,
					   &rc->head_uses);
		if (err < 0)
			return err;
	}
	if (c->status != MG_CHANGE_DELETED && mg_strlist_has(&rc->head, c->path))
		return 1;
	err = reach_base(st, rc);
	if (err < 0)
		return err;
	if (!rc->head_roots && !rc->base_roots)
		return 1; /* the entries match nothing: watch the folders */
	return c->status != MG_CHANGE_ADDED && mg_strlist_has(&rc->base, old);
}

/* Reached files outside the watched folders whose blob changed. */
static int collect_extra(struct pair_state *st, const struct mg_strlist *head,
			 const struct mg_strlist *base)
{
	const struct mg_changeset *cs = st->ctx->cs;
	struct mg_strlist all = MG_STRLIST_INIT;
	size_t i;
	int err = 0;

	for (i = 0; i < head->nr; i++)
		mg_strlist_push(&all, head->items[i]);
	for (i = 0; i < base->nr; i++)
		if (!mg_strlist_has(&all, base->items[i]))
			mg_strlist_push(&all, base->items[i]);
	st->extra = mg_xcalloc(all.nr + 1, sizeof(*st->extra));
	for (i = 0; i < all.nr; i++) {
		const char *path = all.items[i];
		char *a = NULL, *b = NULL;
		size_t alen, blen;
		struct mg_change *c;
		enum mg_change_status status;

		if (counts_as_schema(st, path) ||
		    is_ignored(st->ctx->config, path))
			continue; /* in the diff already, or waived */
		err = read_version(cs->base, path, &a, &alen);
		if (err >= 0)
			err = read_version(cs->head, path, &b, &blen);
		if (err >= 0 && (!a) == (!b) &&
		    (!a || (alen == blen && !memcmp(a, b, alen)))) {
			free(a);
			free(b);
			continue;
		}
		status = !a ? MG_CHANGE_ADDED : !b ? MG_CHANGE_DELETED
						   : MG_CHANGE_MODIFIED;
		free(a);
		free(b);
		if (err < 0 && err != MG_ETOOBIG)
			break;
		err = 0;
		c = &st->extra[st->extra_nr++];
		c->path = mg_xstrdup(path);
		c->status = status;
	}
	mg_strlist_release(&all);
	return err;
}

static int add_edit(struct pair_state *st, struct reach *rc,
		    const struct mg_change *c, size_t *harmless,
		    const char **first)
{
	struct schema_edit *e;
	int err;

	MG_ALLOC_GROW(st->schema, st->schema_nr + 1, st->schema_alloc);
	e = &st->schema[st->schema_nr];
	memset(e, 0, sizeof(*e));
	e->c = c;
	err = classify_edit(st, rc, e);
	if (err < 0)
		return err;
	if (err) {
		st->schema_nr++;
		return 0;
	}
	if (!(*harmless)++)
		*first = c->path;
	return 0;
}

static int collect_schema(struct pair_state *st)
{
	const struct mg_changeset *cs = st->ctx->cs;
	struct reach rc;
	size_t i, harmless = 0, beside = 0;
	const char *first = NULL, *first_beside = NULL;
	int err = 0;

	memset(&rc, 0, sizeof(rc));

	for (i = 0; i < cs->nr; i++) {
		const struct mg_change *c = &cs->changes[i];

		if (!counts_as_schema(st, c->path) &&
		    !counts_as_schema(st, c->old_path))
			continue;
		/* the graph is read only when something here changed */
		err = reached(st, &rc, c);
		if (err < 0)
			goto out;
		if (!err) {
			/* beside the schema, not read by drizzle-kit */
			if (!beside++)
				first_beside = c->path;
			continue;
		}
		err = add_edit(st, &rc, c, &harmless, &first);
		if (err < 0)
			goto out;
	}
	if (rc.head_roots || rc.base_roots)
		err = collect_extra(st, &rc.head, &rc.base);
	if (err < 0)
		goto out;
	for (i = 0; i < st->extra_nr; i++) {
		err = add_edit(st, &rc, &st->extra[i], &harmless, &first);
		if (err < 0)
			goto out;
	}
	if (beside)
		mg_report_note(st->r, "pair: '%s'%s changed beside the schema: "
			       "drizzle-kit does not read %s (nothing imports "
			       "%s from '%s')", first_beside,
			       beside > 1 ? " and others" : "",
			       beside > 1 ? "them" : "it",
			       beside > 1 ? "them" : "it",
			       st->p->schema_entries.nr
				       ? st->p->schema_entries.items[0]
				       : st->p->schema.items[0]);
	if (harmless == 1)
		mg_report_note(st->r, "pair: '%s' changed, but nothing "
			       "drizzle-kit turns into SQL (comments, "
			       "formatting, types, relations, zod, ...): no "
			       "migration needed", first);
	else if (harmless)
		mg_report_note(st->r, "pair: '%s' and %zu more schema files "
			       "changed, but nothing drizzle-kit turns into "
			       "SQL (comments, formatting, types, relations, "
			       "zod, ...): no migration needed", first,
			       harmless - 1);
out:
	mg_schema_uses_release(&rc.base_uses);
	mg_schema_uses_release(&rc.head_uses);
	mg_strlist_release(&rc.base);
	mg_strlist_release(&rc.head);
	return err;
}

/*
 * Does the base journal have m's tag? A usable tag is its .sql path, so
 * the base's sorted paths answer (an unusable tag has no path and is
 * never new); a snapshot path never ends in ".sql" directly in the folder.
 */
static int base_has_tag(const struct pair_state *st,
			const struct mg_migration *m)
{
	const struct mg_migration *b = mg_migdir_find_path(st->base,
							   m->sql_path);

	return b && b->sql_path && !strcmp(b->sql_path, m->sql_path);
}

/* A journal entry the change adds. */
static int is_new(const struct pair_state *st, const struct mg_migration *m)
{
	if (!m->tag || !m->sql_path)
		return 0; /* unusable tags are the journal check's */
	if (st->base->journal_state == MG_ERROR) /* guess from the files */
		return !mg_tree_listing_find(&st->base->files, m->sql_path);
	return !base_has_tag(st, m);
}

static int has_file(const struct mg_migdir *d, const char *path)
{
	return mg_tree_listing_find(&d->files, path) != NULL;
}

/* "A", "A and B", "A, B and C" */
static void add_list(struct mg_strbuf *sb, const struct mg_strlist *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		if (i)
			mg_strbuf_adds(sb, i + 1 == l->nr ? " and " : ", ");
		mg_strbuf_adds(sb, l->items[i]);
	}
}

static void report_incomplete(struct pair_state *st, const char *name,
			      const char *path, unsigned line,
			      const struct mg_strlist *missing)
{
	struct mg_strbuf msg = MG_STRBUF_INIT, hint = MG_STRBUF_INIT;

	add_list(&msg, missing);
	if (staged(st))
		mg_strbuf_addf(&hint, "stage the whole migration: git add %s "
			       "(the .sql, meta/ snapshot and "
			       "meta/_journal.json)", st->p->migrations);
	else
		mg_strbuf_addf(&hint, "commit the whole migration (the .sql, "
			       "meta/ snapshot and meta/_journal.json under "
			       "'%s')", st->p->migrations);
	mg_strbuf_adds(&hint, "; if a file is lost, remove the partial "
		       "migration and run ");
	add_generate(&hint, st);
	mg_strbuf_adds(&hint, " again");
	add_bypass(&hint, st);
	mg_report_add(st->r, "migration-incomplete", path, line, 0, hint.buf,
		      "new migration '%s' is incomplete: %s %s %s", name,
		      msg.buf, missing->nr > 1 ? "are" : "is",
		      staged(st) ? "not staged" : "not committed");
	mg_strbuf_release(&hint);
	mg_strbuf_release(&msg);
}

/*
 * The folder layout: a new migration folder without one of its two files,
 * reported at the file that is there. What drizzle 1.0 does with such a
 * folder (rc.5, tests/fixtures/drizzle-1.0/README, cases 5 and 6) is said.
 */
static void report_folder_incomplete(struct pair_state *st,
				     const struct mg_migration *m,
				     int has_sql, int has_snapshot)
{
	struct mg_strbuf hint = MG_STRBUF_INIT;
	const char *slash = strrchr(m->sql_path, '/');
	char *dir = mg_xstrndup(m->sql_path, (size_t)(slash - m->sql_path));

	if (staged(st))
		mg_strbuf_addf(&hint, "stage the whole migration folder: "
			       "git add %s", dir);
	else
		mg_strbuf_addf(&hint, "commit the whole migration folder "
			       "'%s' (migration.sql and snapshot.json)", dir);
	mg_strbuf_adds(&hint, "; if a file is lost, remove the folder and "
		       "run ");
	add_generate(&hint, st);
	mg_strbuf_adds(&hint, " again");
	add_bypass(&hint, st);
	if (!has_snapshot)
		mg_report_add(st->r, "migration-incomplete", m->sql_path, 1, 0,
			      hint.buf, "new migration '%s' is incomplete: "
			      "'%s' is %s (drizzle 1.0 applies the "
			      "migration.sql, but drizzle-kit reads only "
			      "snapshots and never learns what it did)",
			      m->tag, m->snapshot_path,
			      staged(st) ? "not staged" : "not committed");
	else if (!has_sql)
		mg_report_add(st->r, "migration-incomplete", m->snapshot_path,
			      1, 0, hint.buf, "new migration '%s' is "
			      "incomplete: '%s' is %s (the drizzle 1.0 "
			      "migrator never applies a folder without it, "
			      "and drizzle-kit check does not notice)",
			      m->tag, m->sql_path,
			      staged(st) ? "not staged" : "not committed");
	mg_strbuf_release(&hint);
	free(dir);
}

/*
 * The folder layout: a snapshot's change is its own ("diff" deltas; a
 * `generate --custom` one has none). A snapshot written whole (a "base",
 * or version 8) is compared with its parent's "ddl".
 */
static int folder_snapshot_change(struct pair_state *st,
				  const struct mg_migration *m)
{
	struct mg_migfolder *f = st->head->folder;
	struct mg_folder_migration *fm = mg_migdir_folder_item(st->head, m);
	struct mg_folder_migration *parent;
	const struct mg_folder_snapshot *s, *ps;
	const struct mg_json *a, *b, *da, *db;

	if (!fm || mg_migfolder_fields(f, fm, &s) < 0)
		return SNAPSHOT_UNKNOWN; /* the journal check reports it */
	if (s->has_deltas)
		return s->deltas_nr ? SNAPSHOT_CHANGED : SNAPSHOT_SAME;
	if (!s->has_ddl)
		return SNAPSHOT_UNKNOWN;
	parent = s->prev_ids_nr ? mg_migfolder_find_id(f, s->prev_ids[0])
				: NULL;
	if (!parent || parent == fm ||
	    mg_migfolder_fields(f, parent, &ps) < 0 || !ps->has_ddl)
		return SNAPSHOT_CHANGED; /* the first: from nothing */
	if (mg_migfolder_snapshot(f, fm, &a) < 0 ||
	    mg_migfolder_snapshot(f, parent, &b) < 0)
		return SNAPSHOT_UNKNOWN;
	da = mg_json_get(a, "ddl");
	db = mg_json_get(b, "ddl");
	return da && db && json_equal(da, db, 0) ? SNAPSHOT_SAME
						 : SNAPSHOT_CHANGED;
}

/* The blob at path in the head is also in the base, at another path. */
static int blob_in_base(const struct pair_state *st, const char *path)
{
	const struct mg_tree_entry *he = mg_tree_listing_find(&st->head->files,
							      path);
	size_t i;

	if (!he || !he->id[0])
		return 0;
	for (i = 0; i < st->base->files.nr; i++)
		if (!strcmp(st->base->files.items[i].id, he->id) &&
		    strcmp(st->base->files.items[i].path, path))
			return 1;
	return 0;
}

/*
 * The folder layout: a new folder that only moved bytes the base has (a
 * folder renamed, which the journal check names, or `drizzle-kit up`,
 * which keeps each SQL file byte for byte and converts its snapshot).
 */
static int folder_moved(const struct pair_state *st,
			const struct mg_migration *m)
{
	return blob_in_base(st, m->sql_path) &&
	       (blob_in_base(st, m->snapshot_path) ||
		(st->base->layout != MG_LAYOUT_FOLDER && st->base->nr));
}

/*
 * Does m's snapshot differ from the one before it in the journal? Their
 * canonical forms say, without trees; texts the strict reader refuses
 * (or with a member named twice) are compared as trees.
 */
static int snapshot_change(struct pair_state *st, size_t i)
{
	const struct mg_json *now, *before;
	const char *a, *b;
	size_t alen, blen;
	int eq;

	if (i > 0 &&
	    mg_migdir_snapshot_text(st->head, &st->head->items[i], &a,
				    &alen) >= 0 &&
	    mg_migdir_snapshot_text(st->head, &st->head->items[i - 1], &b,
				    &blen) >= 0) {
		eq = mg_pair_snapshot_texts_equal(a, alen, b, blen);
		if (eq >= 0)
			return eq ? SNAPSHOT_SAME : SNAPSHOT_CHANGED;
	}
	if (mg_migdir_snapshot(st->head, &st->head->items[i], &now) < 0)
		return SNAPSHOT_UNKNOWN;
	if (i == 0)
		return SNAPSHOT_CHANGED; /* the first: from nothing */
	if (mg_migdir_snapshot(st->head, &st->head->items[i - 1], &before) <
	    0)
		return SNAPSHOT_UNKNOWN; /* the journal check reports it */
	return mg_pair_snapshots_equal(now, before) ? SNAPSHOT_SAME
						    : SNAPSHOT_CHANGED;
}

static void add_schema_paths(struct mg_strbuf *sb, const struct mg_project *p)
{
	size_t i;

	for (i = 0; i < p->schema.nr; i++)
		mg_strbuf_addf(sb, "%s'%s'", i ? ", " : "",
			       p->schema.items[i]);
}

static void report_without_schema(struct pair_state *st,
				  const struct mg_migration *m)
{
	struct mg_strbuf where = MG_STRBUF_INIT, hint = MG_STRBUF_INIT;

	add_schema_paths(&where, st->p);
	if (staged(st))
		mg_strbuf_addf(&hint, "stage the schema edit that generated "
			       "it: git add %s", st->p->schema.items[0]);
	else
		mg_strbuf_adds(&hint, "commit the schema edit that generated "
			       "it with the migration");
	if (st->head->folder)
		mg_strbuf_adds(&hint, "; a hand-written migration starts "
			       "from 'drizzle-kit generate --custom', whose "
			       "snapshot records no change");
	else
		mg_strbuf_adds(&hint, "; a hand-written migration starts "
			       "from 'drizzle-kit generate --custom', which "
			       "copies the previous snapshot");
	add_bypass(&hint, st);
	mg_report_add(st->r, "migration-without-schema", m->sql_path, 0, 0,
		      hint.buf, "new migration '%s' changes the schema "
		      "snapshot but no schema file under %s is %s", m->tag,
		      where.buf, staged(st) ? "staged" : "changed");
	mg_strbuf_release(&hint);
	mg_strbuf_release(&where);
}

/*
 * The migrations folder the base's drizzle config names, when "out"
 * changed in this change (the folder moved), else NULL. A new string.
 */
static char *base_out(const struct pair_state *st)
{
	const struct mg_project *p = st->p;
	struct mg_project bp;
	char *buf = NULL, *run_dir, *out = NULL;
	size_t len;

	if (!st->ctx->cs->base || !strcmp(p->config_path, ".migguard.json") ||
	    mg_tree_read(st->ctx->cs->base, p->config_path, &buf, &len) < 0)
		return NULL;
	run_dir = mg_config_run_dir(st->ctx->cs->base, p->config_path);
	if (mg_config_parse_drizzle_at(&bp, p->config_path, buf, len,
				       run_dir) >= 0) {
		if (strcmp(bp.migrations, p->migrations))
			out = mg_xstrdup(bp.migrations);
		mg_project_release(&bp);
	}
	free(run_dir);
	free(buf);
	return out;
}

/* The same bytes at the base's migrations folder: the file moved. */
static int moved_in(const struct pair_state *st, const char *from,
		    const char *path)
{
	size_t n = strlen(st->p->migrations);
	char *a = NULL, *b = NULL, *old;
	size_t alen, blen;
	int same = 0;

	if (!from || !path || strncmp(path, st->p->migrations, n) ||
	    path[n] != '/')
		return 0;
	old = mg_path_join(from, path + n + 1);
	if (mg_tree_read(st->ctx->cs->base, old, &a, &alen) >= 0 &&
	    mg_tree_read(st->ctx->cs->head, path, &b, &blen) >= 0)
		same = alen == blen && !memcmp(a, b, alen);
	free(old);
	free(a);
	free(b);
	return same;
}

/* How many commits the late-migration question walks at most. */
#define LATE_WALK_MAX 20000

static int watched_schema(const char *path, void *data)
{
	return counts_as_schema(data, path);
}

/* The base holds a schema file of the project. */
static int base_has_schema(struct pair_state *st)
{
	struct mg_tree_listing l = { 0 };
	size_t i, k;
	int has = 0;

	for (i = 0; i < st->p->schema.nr && !has; i++) {
		if (mg_tree_list(st->ctx->cs->base, st->p->schema.items[i],
				 &l) < 0)
			continue;
		for (k = 0; k < l.nr && !has; k++)
			has = counts_as_schema(st, l.items[k].path);
		mg_tree_listing_release(&l);
	}
	return has;
}

/*
 * The late migration: the schema edit was committed earlier, and this
 * change adds the migration it needs. 1 when a schema file changed in a
 * commit of the base's history that came after the base's newest
 * migration (or, without one, when the base already has the schema).
 * Asked once per project, only when a migration-without-schema would be
 * reported, so the walk costs nothing on the usual path.
 */
static int schema_changed_late(struct pair_state *st)
{
	const struct mg_changeset *cs = st->ctx->cs;
	const struct mg_migration *last = NULL;
	size_t i;
	int err;

	if (st->late >= 0)
		return st->late;
	st->late = 0;
	for (i = st->base->nr; i > 0 && !last; i--)
		if (st->base->items[i - 1].sql_path &&
		    has_file(st->base, st->base->items[i - 1].sql_path))
			last = &st->base->items[i - 1];
	if (!last) {
		st->late = base_has_schema(st);
		return st->late;
	}
	if (!cs->base_rev || !st->ctx->repo)
		return 0;
	err = mg_git_changed_since_added(st->ctx->repo, cs->base_rev,
					 last->sql_path, watched_schema, st,
					 LATE_WALK_MAX);
	st->late = err > 0;
	return st->late;
}

static void check_new_entries(struct pair_state *st)
{
	size_t i;

	for (i = 0; i < st->head->nr; i++) {
		struct mg_migration *m = &st->head->items[i];
		struct mg_strlist missing = MG_STRLIST_INIT;
		int change;

		if (!is_new(st, m))
			continue;
		if (!has_file(st->head, m->sql_path))
			mg_strlist_push_owned(&missing,
				mg_xstrfmt("'%s'", m->sql_path));
		if (!has_file(st->head, m->snapshot_path))
			mg_strlist_push_owned(&missing,
				mg_xstrfmt("'%s'", m->snapshot_path));
		if (missing.nr && st->head->folder)
			report_folder_incomplete(st, m,
						 has_file(st->head, m->sql_path),
						 has_file(st->head,
							  m->snapshot_path));
		else if (missing.nr)
			report_incomplete(st, m->tag, st->head->journal_path,
					  m->line, &missing);
		if (missing.nr) {
			st->attempted = 1;
			mg_strlist_release(&missing);
			continue;
		}
		if (moved_in(st, st->moved_from, m->sql_path) &&
		    moved_in(st, st->moved_from, m->snapshot_path))
			continue; /* the folder moved, nothing was generated */
		if (st->head->folder && folder_moved(st, m))
			continue;
		change = st->head->folder ? folder_snapshot_change(st, m)
					  : snapshot_change(st, i);
		if (change == SNAPSHOT_SAME) {
			if (!st->custom)
				st->custom = mg_xstrdup(m->tag);
			continue;
		}
		st->generated = 1;
		if (change == SNAPSHOT_CHANGED && !st->schema_nr &&
		    !schema_changed_late(st))
			report_without_schema(st, m);
	}
}

static struct orphan *orphan_for(struct pair_state *st, const char *prefix)
{
	struct orphan *o;
	size_t i;

	for (i = 0; i < st->orphans_nr; i++)
		if (!strcmp(st->orphans[i].prefix, prefix))
			return &st->orphans[i];
	st->orphans_nr++;
	MG_ALLOC_GROW(st->orphans, st->orphans_nr, st->orphans_alloc);
	o = &st->orphans[st->orphans_nr - 1];
	memset(o, 0, sizeof(*o));
	o->prefix = mg_xstrdup(prefix);
	return o;
}

/*
 * Added .sql and snapshot files that the head journal does not name, and
 * snapshots of existing entries regenerated in place (which pair a schema
 * change like a new migration does).
 */
static void collect_files(struct pair_state *st)
{
	const struct mg_changeset *cs = st->ctx->cs;
	size_t dirlen = strlen(st->p->migrations), i;

	for (i = 0; i < cs->nr; i++) {
		const struct mg_change *c = &cs->changes[i];
		const char *rel = c->path + dirlen + 1;
		const struct mg_migration *m;
		struct orphan *o;
		char *name;

		if (c->status == MG_CHANGE_DELETED ||
		    strncmp(c->path, st->p->migrations, dirlen) ||
		    c->path[dirlen] != '/')
			continue;
		m = mg_migdir_find_path(st->head, c->path);
		if (m) {
			if (!is_new(st, m) && m->snapshot_path &&
			    !strcmp(m->snapshot_path, c->path))
				st->generated = 1;
			continue;
		}
		if ((c->status != MG_CHANGE_ADDED &&
		     c->status != MG_CHANGE_RENAMED) ||
		    st->head->folder) /* no journal: every folder is one */
			continue;
		if (!strchr(rel, '/') && mg_ends_with(rel, ".sql")) {
			char *prefix;

			name = mg_xstrndup(rel, strlen(rel) - 4);
			prefix = mg_migdir_tag_prefix(name);
			o = orphan_for(st, prefix);
			free(prefix);
			if (o->sql_path) { /* two .sql, one prefix */
				free(name);
				continue;
			}
			o->tag = name;
			o->sql_path = mg_xstrdup(c->path);
		} else if (mg_starts_with(rel, "meta/") &&
			   !strchr(rel + 5, '/') && rel[5] != '_' &&
			   mg_ends_with(rel, "_snapshot.json")) {
			name = mg_xstrndup(rel + 5, strlen(rel + 5) -
					   strlen("_snapshot.json"));
			o = orphan_for(st, name);
			free(name);
			if (!o->snapshot_path)
				o->snapshot_path = mg_xstrdup(c->path);
		}
	}
}

/* Is there a .sql for prefix in the head tree ("<out>/<prefix>_*.sql")? */
static int has_sql_for(const struct pair_state *st, const char *prefix)
{
	size_t dirlen = strlen(st->p->migrations), plen = strlen(prefix), i;

	for (i = 0; i < st->head->files.nr; i++) {
		const char *rel = st->head->files.items[i].path + dirlen + 1;

		if (!strchr(rel, '/') && !strncmp(rel, prefix, plen) &&
		    (rel[plen] == '_' || rel[plen] == '.') &&
		    mg_ends_with(rel, ".sql"))
			return 1;
	}
	return 0;
}

static void check_orphans(struct pair_state *st)
{
	size_t i;

	for (i = 0; i < st->orphans_nr; i++) {
		struct orphan *o = &st->orphans[i];
		struct mg_strlist missing = MG_STRLIST_INIT;
		char *snap;

		if (!o->sql_path && !has_sql_for(st, o->prefix))
			mg_strlist_push_owned(&missing,
				mg_xstrfmt("'%s/%s_*.sql'", st->p->migrations,
					   o->prefix));
		snap = mg_xstrfmt("%s/meta/%s_snapshot.json", st->p->migrations,
				  o->prefix);
		if (!o->snapshot_path && !has_file(st->head, snap))
			mg_strlist_push_owned(&missing,
					      mg_xstrfmt("'%s'", snap));
		free(snap);
		mg_strlist_push_owned(&missing, mg_xstrfmt("its entry in '%s'",
				      st->head->journal_path));
		report_incomplete(st, o->tag ? o->tag : o->prefix,
				  o->sql_path ? o->sql_path : o->snapshot_path,
				  0, &missing);
		st->attempted = 1;
		mg_strlist_release(&missing);
	}
}

static const char *status_word(const struct mg_change *c)
{
	switch (c->status) {
	case MG_CHANGE_ADDED:
		return "added";
	case MG_CHANGE_DELETED:
		return "deleted";
	case MG_CHANGE_RENAMED:
		return "renamed";
	case MG_CHANGE_TYPECHANGE:
		return "changed type";
	default:
		return "modified";
	}
}

/* Does a change of cs touch the edit's file? */
static int touches(const struct mg_changeset *cs, const struct mg_change *c)
{
	size_t i;

	for (i = 0; i < cs->nr; i++) {
		const struct mg_change *o = &cs->changes[i];

		if (!strcmp(o->path, c->path) ||
		    (c->old_path && !strcmp(o->path, c->old_path)) ||
		    (o->old_path && !strcmp(o->old_path, c->path)))
			return 1;
	}
	return 0;
}

/*
 * A commit of the range with a 'Schema-Impact: none' trailer waives the
 * schema edits it made: an edit is dropped when no commit without the
 * trailer touches its file. Each waiving commit gets a note.
 */
static int apply_waiver(struct pair_state *st)
{
	struct mg_changeset *cs = st->ctx->cs, *one = NULL;
	unsigned char *waived = NULL, *kept = NULL;
	size_t i, k, n = 0, kept_nr = 0;
	char *reason = NULL;
	int err;

	if ((cs->mode != MG_CHANGESET_RANGE &&
	     cs->mode != MG_CHANGESET_PRE_PUSH) || !st->schema_nr ||
	    st->generated || st->attempted)
		return 0;
	err = mg_changeset_commits(cs);
	if (err < 0)
		return err;
	waived = mg_xcalloc(cs->commits_nr + 1, 1);
	for (i = 0; i < cs->commits_nr; i++) {
		if (!mg_commit_waiver(&reason, cs->commits[i].message,
				      "schema-impact"))
			continue;
		waived[i] = 1;
		n++;
		mg_report_note(st->r, "pair: schema-without-migration waived "
			       "by the 'Schema-Impact: none' trailer of commit "
			       "%.7s%s%s%s", cs->commits[i].id,
			       *reason ? " (" : "", reason,
			       *reason ? ")" : "");
		free(reason);
	}
	if (!n)
		goto out;
	kept = mg_xcalloc(st->schema_nr, 1);
	for (i = 0; n < cs->commits_nr && i < cs->commits_nr; i++) {
		if (waived[i] || !cs->repo)
			continue;
		err = mg_changeset_open_commit(&one, cs->repo,
					       cs->commits[i].id, cs->mode);
		if (err >= 0)
			err = mg_changeset_diff(one, &st->p->schema);
		if (err < 0)
			goto out;
		for (k = 0; k < st->schema_nr; k++)
			if (touches(one, st->schema[k].c))
				kept[k] = 1;
		mg_changeset_free(one);
		one = NULL;
	}
	if (n < cs->commits_nr && !cs->repo)
		memset(kept, 1, st->schema_nr); /* cannot tell: keep all */
	for (k = 0; k < st->schema_nr; k++) {
		if (kept[k]) {
			st->schema[kept_nr++] = st->schema[k];
			continue;
		}
		free(st->schema[k].what);
	}
	st->schema_nr = kept_nr;
	err = 0;
out:
	mg_changeset_free(one);
	free(kept);
	free(waived);
	return err;
}

/*
 * The first lines of the SQL drizzle-kit generate wrote, joined on one
 * line (the report escapes what control characters are left), at most
 * a few hundred bytes: enough to show what is missing.
 */
static void add_sql_excerpt(struct mg_strbuf *sb, const char *sql)
{
	const char *line = sql, *end;
	size_t lines = 0, start = sb->len, len;

	while (*line && lines < 6 && sb->len - start < 300) {
		end = strchr(line, '\n');
		len = end ? (size_t)(end - line) : strlen(line);
		if (len && line[len - 1] == '\r')
			len--;
		/* drizzle-kit ends a statement's last line with it */
		if (len >= 24 && !strncmp(line + len - 24,
					  "--> statement-breakpoint", 24))
			len -= 24;
		if (len) {
			if (lines++)
				mg_strbuf_addch(sb, ' ');
			mg_strbuf_add(sb, line, len);
		}
		if (!end)
			break;
		line = end + 1;
	}
	if (*line && (lines >= 6 || sb->len - start >= 300))
		mg_strbuf_adds(sb, " ...");
}

static int check_schema(struct pair_state *st)
{
	struct mg_strbuf what = MG_STRBUF_INIT, hint = MG_STRBUF_INIT;
	char *sql = NULL;
	size_t i;
	int err;

	if (!st->schema_nr || st->generated || st->attempted)
		return 0;
	if (st->ctx->verify_generate) {
		err = st->ctx->verify_generate(&sql, st->ctx->verify_data,
					       st->ctx->cs->head, st->p);
		if (err < 0)
			return err;
		if (!sql) {
			mg_report_note(st->r, "pair: drizzle-kit generate "
				       "wrote nothing for %s: the schema edit "
				       "needs no migration", st->p->name);
			return 0;
		}
	}
	if (sql)
		mg_strbuf_addf(&what, "drizzle-kit generate writes a new "
			       "migration in '%s'", st->p->migrations);
	else if (st->custom && st->head->folder)
		mg_strbuf_addf(&what, "only the custom migration '%s' is "
			       "added (its snapshot records no change)",
			       st->custom);
	else if (st->custom)
		mg_strbuf_addf(&what, "only the custom migration '%s' is "
			       "added (its snapshot equals the previous one)",
			       st->custom);
	else if (st->head->folder)
		mg_strbuf_addf(&what, "no new migration folder "
			       "(migration.sql and snapshot.json) in '%s'",
			       st->p->migrations);
	else
		mg_strbuf_addf(&what, "no new .sql, snapshot and journal "
			       "entry in '%s'", st->p->migrations);
	mg_strbuf_adds(&hint, "run ");
	add_generate(&hint, st);
	if (staged(st))
		mg_strbuf_addf(&hint, ", then git add %s", st->p->migrations);
	else
		mg_strbuf_addf(&hint, " and commit what it writes under '%s'",
			       st->p->migrations);
	if (!sql)
		mg_strbuf_adds(&hint, "; if the edit cannot change the "
			       "database, generate writes nothing");
	if (!sql && (st->ctx->cs->mode == MG_CHANGESET_RANGE ||
		     st->ctx->cs->mode == MG_CHANGESET_PRE_PUSH))
		mg_strbuf_adds(&hint, ": add a 'Schema-Impact: none (reason)' "
			       "trailer to the commit message");
	add_bypass(&hint, st);
	if (sql) {
		mg_strbuf_adds(&hint, "; the missing SQL: ");
		add_sql_excerpt(&hint, sql);
	}
	for (i = 0; i < st->schema_nr; i++) {
		const struct schema_edit *e = &st->schema[i];
		const struct mg_change *c = e->c;
		char *from = c->old_path ? mg_xstrfmt(" from '%s'", c->old_path)
					 : mg_xstrdup("");

		mg_report_add(st->r, "schema-without-migration", c->path,
			      e->line, e->column, hint.buf, "schema file '%s' "
			      "%s%s without a generated migration: %s%s%s",
			      c->path, status_word(c), from,
			      e->what ? e->what : "", e->what ? "; " : "",
			      what.buf);
		free(from);
	}
	free(sql);
	mg_strbuf_release(&hint);
	mg_strbuf_release(&what);
	return 0;
}

/* The change adds an .sql file right in p's migrations folder. */
static int added_sql(const struct mg_changeset *cs, const struct mg_project *p)
{
	size_t i, n = strlen(p->migrations);

	for (i = 0; i < cs->nr; i++) {
		const struct mg_change *c = &cs->changes[i];

		if ((c->status == MG_CHANGE_ADDED ||
		     c->status == MG_CHANGE_RENAMED) &&
		    !strncmp(c->path, p->migrations, n) && c->path[n] == '/' &&
		    !strchr(c->path + n + 1, '/') &&
		    mg_ends_with(c->path, ".sql"))
			return 1;
	}
	return 0;
}

static void pair_state_release(struct pair_state *st)
{
	size_t i;

	for (i = 0; i < st->orphans_nr; i++) {
		free(st->orphans[i].prefix);
		free(st->orphans[i].tag);
		free(st->orphans[i].sql_path);
		free(st->orphans[i].snapshot_path);
	}
	free(st->orphans);
	for (i = 0; i < st->schema_nr; i++)
		free(st->schema[i].what);
	free(st->schema);
	for (i = 0; i < st->extra_nr; i++)
		free(st->extra[i].path);
	free(st->extra);
	free(st->custom);
	free(st->moved_from);
	mg_context_migdir_put(st->ctx, st->base);
	mg_context_migdir_put(st->ctx, st->head);
}

static int check_project(struct mg_report *r, struct mg_context *ctx,
			 const struct mg_project *p)
{
	struct pair_state st;
	int err;

	memset(&st, 0, sizeof(st));
	st.late = -1;
	st.r = r;
	st.ctx = ctx;
	st.p = p;
	err = mg_context_migdir(&st.head, ctx, p);
	if (err < 0)
		goto out;
	err = mg_context_migdir_at(&st.base, ctx, ctx->cs->base, p);
	if (err < 0)
		goto out;
	err = collect_schema(&st);
	if (err < 0)
		goto out;
	if (!mg_project_drizzle_migrator(p)) {
		/* No journal: any new .sql file is the migration. */
		st.generated = added_sql(ctx->cs, p);
		err = apply_waiver(&st);
		if (err < 0)
			goto out;
		err = check_schema(&st);
		goto out;
	}
	collect_files(&st);
	st.moved_from = base_out(&st);
	check_new_entries(&st);
	check_orphans(&st);
	err = apply_waiver(&st);
	if (err < 0)
		goto out;
	err = check_schema(&st);
out:
	pair_state_release(&st);
	return err;
}

int mg_pair_check(struct mg_report *r, struct mg_context *ctx)
{
	size_t i;
	int err;

	if (ctx->cs->mode == MG_CHANGESET_ALL || !ctx->cs->base) {
		mg_report_note(r, "pair: skipped: --all checks the whole "
			       "tree, and pairing schema edits with their "
			       "migrations needs a change (--staged, --base "
			       "or --pre-push)");
		return 0;
	}
	for (i = 0; i < ctx->config->projects_nr; i++) {
		err = check_project(r, ctx, &ctx->config->projects[i]);
		if (err < 0)
			return err;
	}
	return 0;
}

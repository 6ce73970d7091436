/*
 * The pair check: a schema change and its generated migration travel
 * together, and a new migration is whole (.sql, meta/ snapshot and journal
 * entry). Schema files are TypeScript, which migguard cannot evaluate: any
 * change to a watched schema file counts, comments and formatting too;
 * config "pair.ignore" lists files that never affect the schema.
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/check.h"
#include "migguard/git.h"
#include "migguard/glob.h"
#include "migguard/migdir.h"
#include "migguard/pair.h"
#include "migguard/strbuf.h"

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

struct pair_state {
	struct mg_report *r;
	struct mg_context *ctx;
	const struct mg_project *p;
	struct mg_migdir *head, *base;
	const struct mg_change **schema; /* watched, not ignored */
	size_t schema_nr;
	struct orphan *orphans;
	size_t orphans_nr, orphans_alloc;
	int generated;	 /* a new migration that changes the snapshot */
	int attempted;	 /* an incomplete one (reported on its own) */
	int late;	 /* schema_changed_late: -1 not asked yet */
	char *custom;	 /* tag of a new custom migration, or NULL */
};

enum { SNAPSHOT_SAME, SNAPSHOT_CHANGED, SNAPSHOT_UNKNOWN };

/* "'pnpm db:generate' in 'packages/db'" */
static void add_generate(struct mg_strbuf *sb, const struct pair_state *st)
{
	mg_strbuf_addf(sb, "'%s'", st->p->generate_command
		       ? st->p->generate_command : "npx drizzle-kit generate");
	if (st->p->root && st->p->root[0])
		mg_strbuf_addf(sb, " in '%s'", st->p->root);
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

static void collect_schema(struct pair_state *st)
{
	const struct mg_changeset *cs = st->ctx->cs;
	size_t i;

	st->schema = mg_xcalloc(cs->nr ? cs->nr : 1, sizeof(*st->schema));
	for (i = 0; i < cs->nr; i++) {
		const struct mg_change *c = &cs->changes[i];

		if (counts_as_schema(st, c->path) ||
		    counts_as_schema(st, c->old_path))
			st->schema[st->schema_nr++] = c;
	}
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
	mg_strbuf_adds(&hint, "; a hand-written migration starts from "
		       "'drizzle-kit generate --custom', which copies the "
		       "previous snapshot");
	add_bypass(&hint, st);
	mg_report_add(st->r, "migration-without-schema", m->sql_path, 0, 0,
		      hint.buf, "new migration '%s' changes the schema "
		      "snapshot but no schema file under %s is %s", m->tag,
		      where.buf, staged(st) ? "staged" : "changed");
	mg_strbuf_release(&hint);
	mg_strbuf_release(&where);
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
		if (missing.nr) {
			report_incomplete(st, m->tag, st->head->journal_path,
					  m->line, &missing);
			st->attempted = 1;
			mg_strlist_release(&missing);
			continue;
		}
		change = snapshot_change(st, i);
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
		if (c->status != MG_CHANGE_ADDED &&
		    c->status != MG_CHANGE_RENAMED)
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

static void check_schema(struct pair_state *st)
{
	struct mg_strbuf what = MG_STRBUF_INIT, hint = MG_STRBUF_INIT;
	size_t i;

	if (!st->schema_nr || st->generated || st->attempted)
		return;
	if (st->custom)
		mg_strbuf_addf(&what, "only the custom migration '%s' is "
			       "added (its snapshot equals the previous one)",
			       st->custom);
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
	mg_strbuf_adds(&hint, "; if the edit cannot change the database "
		       "(comments, formatting), generate writes nothing");
	if (st->ctx->cs->mode == MG_CHANGESET_RANGE)
		mg_strbuf_adds(&hint, ": list such files in \"pair.ignore\" "
			       "or set the rule to \"warning\"");
	add_bypass(&hint, st);
	for (i = 0; i < st->schema_nr; i++) {
		const struct mg_change *c = st->schema[i];
		char *from = c->old_path ? mg_xstrfmt(" from '%s'", c->old_path)
					 : mg_xstrdup("");

		mg_report_add(st->r, "schema-without-migration", c->path, 0, 0,
			      hint.buf, "schema file '%s' %s%s without a "
			      "generated migration: %s", c->path,
			      status_word(c), from, what.buf);
		free(from);
	}
	mg_strbuf_release(&hint);
	mg_strbuf_release(&what);
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
	free(st->schema);
	free(st->custom);
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
	collect_schema(&st);
	if (!mg_project_drizzle_migrator(p)) {
		/* No journal: any new .sql file is the migration. */
		st.generated = added_sql(ctx->cs, p);
		check_schema(&st);
		err = 0;
		goto out;
	}
	collect_files(&st);
	check_new_entries(&st);
	check_orphans(&st);
	check_schema(&st);
	err = 0;
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

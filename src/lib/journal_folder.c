/*
 * migguard-journal on the folder layout of drizzle-kit 1.0 (checked on
 * 1.0.0-rc.5, tests/fixtures/drizzle-1.0): no journal, one folder per
 * migration, snapshots chained by prevIds into a DAG. The rules mirror
 * the journal layout's where the meaning carries over:
 *
 *   snapshot-invalid       a snapshot.json drizzle-kit cannot read or
 *                          migguard cannot replay
 *   snapshot-chain-broken  a prevId naming nothing, no base or two, a
 *                          folder sorting before its parent (drizzle-kit
 *                          check's own refusal), two snapshots sharing id
 *   snapshot-collision     two branches from one parent whose footprints
 *                          do not commute (check: "Conflicting migrations
 *                          detected")
 *   orphan-sql             a .sql that is no folder's migration.sql
 *   journal-invalid        a folder name the migrator cannot insert
 *   migration-edited,      a published folder changed, by name
 *   migration-deleted
 *   migration-renamed      a published folder under a new name: the 1.0
 *                          migrator knows migrations by name and runs it
 *                          again
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/error.h"
#include "migguard/json.h"
#include "migguard/migdir.h"
#include "migguard/migfolder.h"
#include "migguard/srcmap.h"
#include "migguard/strbuf.h"

#include "journal_internal.h"

#define ZERO_UUID "00000000-0000-0000-0000-000000000000"

struct id_slot {
	const char *id;
	size_t at; /* index in f->items */
};

struct fcheck {
	struct mg_report *r;
	struct mg_migfolder *f;
	const struct mg_project *p;
	const struct mg_journal_options *opts;
	const char *generate;
	char *generate_custom; /* generate --custom */
	char *generate_named;  /* generate --custom --name <name> */
	char *generate_fix;    /* generate --fix-conflicts */
	/* Per migration: its snapshot's fields when id and prevIds are. */
	const struct mg_folder_snapshot **s;
	/* Per migration: a snapshot or chain finding was made about it. */
	unsigned char *bad;
	struct id_slot *ids; /* sorted by id, then position */
	size_t ids_nr;
};

/* A finding at byte offset of text (no position when text is NULL). */
static void add_at(struct fcheck *c, const char *rule, const char *path,
		   const char *text, size_t len, size_t offset,
		   const char *hint, char *msg)
{
	mg_journal_add_at(c->r, rule, path, text, len, offset, hint, msg);
}

/* A finding at a member of m's snapshot (its name when at_key). */
static void add_snap(struct fcheck *c, const char *rule,
		     const struct mg_folder_migration *m,
		     const struct mg_json *node, int at_key, const char *hint,
		     char *msg)
{
	size_t off = 0;

	if (node)
		off = at_key ? node->key_offset : node->offset;
	add_at(c, rule, m->snapshot_path, node ? m->snapshot_text : NULL,
	       m->snapshot_len, off, hint, msg);
}

/* The file a finding about the whole folder m is reported at. */
static const char *folder_path(const struct mg_folder_migration *m)
{
	if (m->sql_path)
		return m->sql_path;
	if (m->snapshot_path)
		return m->snapshot_path;
	return m->dir;
}

static size_t pos(const struct fcheck *c, const struct mg_folder_migration *m)
{
	return (size_t)(m - c->f->items);
}

/* ------------------------------------------------------------- names --- */

/*
 * The 1.0 migrator inserts Date.UTC of the name's first 14 characters as
 * created_at: anything else is NaN and the insert fails, at apply time
 * (rc.5 case 13), rolling back everything pending with it.
 */
static void check_names(struct fcheck *c)
{
	struct mg_migfolder *f = c->f;
	const char *last_ok = NULL;
	size_t i;

	for (i = 0; i < f->nr; i++)
		if (f->items[i].name_ok)
			last_ok = f->items[i].name;
	for (i = 0; i < f->nr; i++) {
		const struct mg_folder_migration *m = &f->items[i];
		char *hint;

		if (m->name_ok)
			continue;
		hint = mg_xstrfmt(
		    "rename it as drizzle-kit names folders: "
		    "'<YYYYMMDDHHMMSS>_<name>', the UTC time of its "
		    "creation%s%s%s (or make it with `%s`)",
		    last_ok ? ", after '" : "", last_ok ? last_ok : "",
		    last_ok ? "'" : "", c->generate_named);
		add_at(c, "journal-invalid", folder_path(m), NULL, 0, 0, hint,
		       mg_xstrfmt("migration folder '%s' does not start with "
				  "a UTC timestamp YYYYMMDDHHMMSS and '_': "
				  "the 1.0 migrator's created_at is NaN and "
				  "its insert fails at apply time",
				  m->name));
		free(hint);
	}
}

/* --------------------------------------------------------- snapshots --- */

static const char snapshot_hint[] =
    "restore the snapshot.json drizzle-kit 1.0 wrote (git history), or "
    "remove the migration folder and generate it again";

static int cmp_id_slot(const void *a_, const void *b_)
{
	const struct id_slot *a = a_, *b = b_;
	int d = strcmp(a->id, b->id);

	if (d)
		return d;
	return a->at < b->at ? -1 : a->at > b->at;
}

/* The migration whose snapshot has id (the first in order), or NULL. */
static struct mg_folder_migration *by_id(struct fcheck *c, const char *id)
{
	size_t lo = 0, hi = c->ids_nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(c->ids[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->ids_nr && !strcmp(c->ids[lo].id, id))
		return &c->f->items[c->ids[lo].at];
	return NULL;
}

static int is_zero(const char *id)
{
	return !strcmp(id, ZERO_UUID);
}

/* Validity of one snapshot. < 0 only when it cannot be read. */
static int check_snapshot(struct fcheck *c, struct mg_folder_migration *m)
{
	const struct mg_folder_snapshot *s;
	const struct mg_json *j, *v;
	size_t i = pos(c, m);
	int err;

	if (!m->snapshot_path)
		return 0; /* pair: migration-incomplete */
	err = mg_migfolder_snapshot(c->f, m, &j);
	if (err < 0 && m->snapshot_error) {
		c->bad[i] = 1;
		add_at(c, "snapshot-invalid", m->snapshot_path,
		       m->snapshot_text, m->snapshot_len,
		       m->snapshot_error_offset, snapshot_hint,
		       mg_xstrfmt("snapshot of '%s' is not valid JSON: %s",
				  m->name, m->snapshot_error));
		return 0;
	}
	if (err == MG_ETOOBIG) {
		c->bad[i] = 1;
		add_at(
		    c, "snapshot-invalid", m->snapshot_path, NULL, 0, 0,
		    snapshot_hint,
		    mg_xstrfmt("snapshot of '%s' is too big to read", m->name));
		return 0;
	}
	if (err < 0)
		return err;
	if (j->type != MG_JSON_OBJECT) {
		c->bad[i] = 1;
		add_snap(c, "snapshot-invalid", m, j, 0, snapshot_hint,
			 mg_xstrfmt("snapshot of '%s' is %s, expected an "
				    "object",
				    m->name, mg_json_type_name(j->type)));
		return 0;
	}
	err = mg_migfolder_fields(c->f, m, &s);
	if (err < 0)
		return err;
	v = mg_json_get(j, "version");
	if (!s->version ||
	    (strcmp(s->version, "9") && strcmp(s->version, "8"))) {
		c->bad[i] = 1;
		add_snap(c, "snapshot-invalid", m, v ? v : j, 0,
			 "drizzle-kit 1.0 writes version \"9\" (\"8\" from "
			 "its source branch); a 0.31 snapshot is converted "
			 "by `drizzle-kit up`",
			 mg_xstrfmt("snapshot of '%s' has version '%s', "
				    "expected \"9\"",
				    m->name,
				    s->version ? s->version : "(none)"));
	}
	v = mg_json_get(j, "dialect");
	if (!s->dialect || strcmp(s->dialect, "postgres")) {
		c->bad[i] = 1;
		add_snap(c, "snapshot-invalid", m, v ? v : j, 0,
			 "migguard checks PostgreSQL migrations only; "
			 "drizzle-kit 1.0 writes \"postgres\"",
			 mg_xstrfmt("snapshot of '%s' has dialect '%s', "
				    "expected 'postgres'",
				    m->name,
				    s->dialect ? s->dialect : "(none)"));
	}
	v = mg_json_get(j, "type");
	if (s->kind == MG_SNAPSHOT_UNKNOWN) {
		c->bad[i] = 1;
		add_snap(c, "snapshot-invalid", m, v ? v : j, 0, snapshot_hint,
			 mg_xstrfmt("snapshot of '%s' has type '%s', expected "
				    "'base' or 'diff'",
				    m->name, s->type ? s->type : "(none)"));
	}
	v = mg_json_get(j, "id");
	if (!s->id || !*s->id) {
		c->bad[i] = 1;
		add_snap(
		    c, "snapshot-invalid", m, v ? v : j, v != NULL,
		    snapshot_hint,
		    mg_xstrfmt("snapshot of '%s' has no 'id' string", m->name));
	}
	v = mg_json_get(j, "prevIds");
	if (!s->prev_ids_valid || !s->prev_ids_nr) {
		c->bad[i] = 1;
		add_snap(c, "snapshot-invalid", m, v ? v : j, v != NULL,
			 snapshot_hint,
			 mg_xstrfmt("snapshot of '%s' has no 'prevIds' array "
				    "of parent ids",
				    m->name));
	}
	if (s->id && *s->id && s->prev_ids_valid && s->prev_ids_nr)
		c->s[i] = s;
	return 0;
}

static void index_ids(struct fcheck *c)
{
	size_t i;

	c->ids = mg_xcalloc(c->f->nr + 1, sizeof(*c->ids));
	for (i = 0; i < c->f->nr; i++) {
		if (!c->s[i])
			continue;
		c->ids[c->ids_nr].id = c->s[i]->id;
		c->ids[c->ids_nr].at = i;
		c->ids_nr++;
	}
	qsort(c->ids, c->ids_nr, sizeof(*c->ids), cmp_id_slot);
}

/* ------------------------------------------------------------- chain --- */

static void chain_finding(struct fcheck *c, struct mg_folder_migration *m,
			  const char *hint, char *msg)
{
	const struct mg_folder_snapshot *s = c->s[pos(c, m)];

	c->bad[pos(c, m)] = 1;
	mg_report_add(c->r, "snapshot-chain-broken", m->snapshot_path,
		      s->prev_ids_line, s->prev_ids_column, hint, "%s", msg);
	free(msg);
}

/* 1 when the snapshot is a root: its prevIds name only the empty schema. */
static int is_root(const struct mg_folder_snapshot *s)
{
	size_t k;

	for (k = 0; k < s->prev_ids_nr; k++)
		if (!is_zero(s->prev_ids[k]))
			return 0;
	return 1;
}

/* drizzle-kit check's own folder test, and the ids being one each. */
static void check_chain(struct fcheck *c)
{
	struct mg_migfolder *f = c->f;
	struct mg_folder_migration *root = NULL;
	char *hint;
	size_t i, k, roots = 0;

	for (i = 1; i < c->ids_nr; i++) {
		struct mg_folder_migration *a, *b;

		if (strcmp(c->ids[i - 1].id, c->ids[i].id))
			continue;
		a = &f->items[c->ids[i - 1].at];
		b = &f->items[c->ids[i].at];
		hint = mg_xstrfmt("a copied folder keeps its snapshot's id: "
				  "remove '%s' and generate it again with "
				  "`%s`",
				  b->name, c->generate);
		c->bad[c->ids[i].at] = 1;
		add_snap(c, "snapshot-chain-broken", b,
			 mg_json_get(b->snapshot, "id"), 1, hint,
			 mg_xstrfmt("snapshot of '%s' has the same id as the "
				    "snapshot of '%s'",
				    b->name, a->name));
		free(hint);
	}
	for (i = 0; i < f->nr; i++) {
		struct mg_folder_migration *m = &f->items[i];
		const struct mg_folder_snapshot *s = c->s[i];

		if (!s)
			continue;
		if (is_root(s)) {
			roots++;
			if (!root) {
				root = m;
				continue;
			}
			hint = mg_xstrfmt("only the first migration starts "
					  "from the empty schema: remove '%s' "
					  "and generate it again on top of the "
					  "others",
					  m->name);
			chain_finding(c, m, hint,
				      mg_xstrfmt("snapshot of '%s' is a second "
						 "base: '%s' starts from the "
						 "empty schema too",
						 m->name, root->name));
			free(hint);
			continue;
		}
		for (k = 0; k < s->prev_ids_nr; k++) {
			const char *id = s->prev_ids[k];
			struct mg_folder_migration *parent;

			if (is_zero(id))
				continue;
			parent = by_id(c, id);
			if (!parent) {
				hint = mg_xstrfmt(
				    "its parent's folder is gone or was "
				    "never committed: restore it from "
				    "git, or remove '%s' and generate it "
				    "again with `%s`",
				    m->name, c->generate);
				chain_finding(c, m, hint,
					      mg_xstrfmt("snapshot of '%s' "
							 "names parent %s, "
							 "which is no "
							 "snapshot in the "
							 "folder",
							 m->name, id));
				free(hint);
				continue;
			}
			if (!mg_folder_sorts_after(m->name, parent->name)) {
				hint = mg_xstrfmt(
				    "rename '%s' so its timestamp is after "
				    "its parent's (drizzle-kit check "
				    "refuses the folder as it is)",
				    m->name);
				chain_finding(c, m, hint,
					      mg_xstrfmt("migration '%s' sorts "
							 "before its parent "
							 "'%s', so migrate "
							 "can run it first",
							 m->name,
							 parent->name));
				free(hint);
			}
		}
	}
	if (!roots && c->ids_nr) {
		struct mg_folder_migration *first = NULL;

		for (i = 0; i < f->nr && !first; i++)
			if (c->s[i])
				first = &f->items[i];
		hint = mg_xstrfmt("restore the first migration's folder "
				  "from git (its snapshot's prevIds is "
				  "[\"%s\"])",
				  ZERO_UUID);
		chain_finding(c, first, hint,
			      mg_xstrfmt("no base snapshot in '%s': every "
					 "snapshot names a parent, so no "
					 "history starts from the empty schema",
					 f->path));
		free(hint);
	}
}

/* ------------------------------------------------------------ replay --- */

/* The first-parent chain from m down to its base, m last. NULL if broken. */
static struct mg_folder_migration **
first_parents(struct fcheck *c, struct mg_folder_migration *m, size_t *nr)
{
	struct mg_folder_migration **chain;
	size_t n = 0, i;

	chain = mg_xcalloc(c->f->nr + 1, sizeof(*chain));
	for (;;) {
		const struct mg_folder_snapshot *s = c->s[pos(c, m)];

		if (!s || c->bad[pos(c, m)] || n == c->f->nr) {
			free(chain);
			return NULL;
		}
		chain[n++] = m;
		if (is_root(s))
			break;
		m = by_id(c, s->prev_ids[0]);
		if (!m) {
			free(chain);
			return NULL;
		}
	}
	for (i = 0; i < n / 2; i++) {
		struct mg_folder_migration *t = chain[i];

		chain[i] = chain[n - 1 - i];
		chain[n - 1 - i] = t;
	}
	*nr = n;
	return chain;
}

static int replays(struct fcheck *c, struct mg_folder_migration *m, char **why)
{
	struct mg_ddl_state st;
	int err = mg_migfolder_state(&st, c->f, m);

	if (err < 0) {
		if (why)
			*why = mg_xstrdup(mg_error_last());
		return 0;
	}
	mg_ddl_state_release(&st);
	return 1;
}

/*
 * The schema at each leaf (a snapshot no other names) rebuilt from the
 * base through the diffs, as drizzle-kit does before it generates. A
 * leaf that does not replay is narrowed down its first-parent chain to
 * the first snapshot that does not: that one is reported.
 */
static void check_replay(struct fcheck *c)
{
	struct mg_migfolder *f = c->f;
	unsigned char *parent_of = mg_xcalloc(f->nr + 1, 1);
	unsigned char *done = mg_xcalloc(f->nr + 1, 1);
	size_t i, k;

	for (i = 0; i < f->nr; i++) {
		const struct mg_folder_snapshot *s = c->s[i];
		struct mg_folder_migration *p;

		for (k = 0; s && k < s->prev_ids_nr; k++) {
			p = is_zero(s->prev_ids[k]) ? NULL
						    : by_id(c, s->prev_ids[k]);
			if (p)
				parent_of[pos(c, p)] = 1;
		}
	}
	for (i = 0; i < f->nr; i++) {
		struct mg_folder_migration **chain;
		size_t n = 0, lo, hi;
		char *why = NULL;
		const char *reason;

		if (!c->s[i] || parent_of[i] || c->bad[i])
			continue;
		chain = first_parents(c, &f->items[i], &n);
		if (!chain)
			continue;
		if (replays(c, &f->items[i], NULL)) {
			free(chain);
			continue;
		}
		/* chain[hi] fails; find the first that does. */
		lo = 0;
		hi = n - 1;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (done[pos(c, chain[mid])] ||
			    !replays(c, chain[mid], NULL))
				hi = mid;
			else
				lo = mid + 1;
		}
		if (!done[pos(c, chain[lo])]) {
			struct mg_folder_migration *m = chain[lo];

			done[pos(c, m)] = 1;
			replays(c, m, &why);
			reason = why ? why : "unknown error";
			/* "cannot replay '<its snapshot>': " says it twice. */
			if (mg_starts_with(reason, "cannot replay '") &&
			    strstr(reason, "': "))
				reason = strstr(reason, "': ") + 3;
			add_at(c, "snapshot-invalid", m->snapshot_path, NULL, 0,
			       0, snapshot_hint,
			       mg_xstrfmt("snapshot of '%s' does not replay "
					  "onto its parent's schema: %s",
					  m->name, reason));
			free(why);
		}
		free(chain);
	}
	free(parent_of);
	free(done);
}

/* --------------------------------------------------------- collision --- */

/* Mark from and every snapshot that descends from it. */
static void mark_descendants(struct fcheck *c, size_t from,
			     unsigned char *marks)
{
	struct mg_migfolder *f = c->f;
	size_t *stack = mg_xcalloc(f->nr + 1, sizeof(*stack));
	size_t top = 0, i, k;

	marks[from] = 1;
	stack[top++] = from;
	while (top) {
		const char *id = c->s[stack[--top]]->id;

		for (i = 0; i < f->nr; i++) {
			const struct mg_folder_snapshot *s = c->s[i];

			if (!s || marks[i])
				continue;
			for (k = 0; k < s->prev_ids_nr; k++)
				if (!strcmp(s->prev_ids[k], id))
					break;
			if (k < s->prev_ids_nr) {
				marks[i] = 1;
				stack[top++] = i;
			}
		}
	}
	free(stack);
}

/* "add_column public.research_plan.priority" (new string). */
static char *footprint_name(const struct mg_footprint *fp)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	size_t k;

	mg_strbuf_adds(&sb,
		       fp->statement_type ? fp->statement_type : "a statement");
	for (k = 1; k < fp->target_nr; k++) {
		mg_strbuf_adds(&sb, k == 1 ? " " : ".");
		mg_strbuf_adds(&sb, fp->target[k]);
	}
	return mg_strbuf_detach(&sb, NULL);
}

/* The branches from a and b (children of one parent) do not commute. */
static int branches_conflict(struct fcheck *c, size_t a, size_t b,
			     const struct mg_footprint **left,
			     const struct mg_footprint **right, size_t *left_at,
			     size_t *right_at)
{
	struct mg_migfolder *f = c->f;
	unsigned char *da = mg_xcalloc(f->nr + 1, 1);
	unsigned char *db = mg_xcalloc(f->nr + 1, 1);
	size_t x, y;
	int hit = 0;

	mark_descendants(c, a, da);
	mark_descendants(c, b, db);
	for (x = 0; x < f->nr && !hit; x++) {
		if (!da[x] || db[x])
			continue;
		for (y = 0; y < f->nr && !hit; y++) {
			if (!db[y] || da[y])
				continue;
			hit = mg_footprints_conflict(
			    c->s[x]->footprints, c->s[x]->footprints_nr,
			    c->s[y]->footprints, c->s[y]->footprints_nr, left,
			    right);
			if (hit) {
				*left_at = x;
				*right_at = y;
			}
		}
	}
	free(da);
	free(db);
	return hit;
}

/*
 * Two folders generated on two branches from one parent, merged by git
 * without a conflict (two new folders): drizzle-kit check compares the
 * branches' footprints and refuses when they do not commute.
 */
static void check_collisions(struct fcheck *c)
{
	struct mg_migfolder *f = c->f;
	size_t *children = mg_xcalloc(f->nr + 1, sizeof(*children));
	size_t i, a, b, k;

	/* Only a parent of two or more is a fork. */
	for (a = 0; a < f->nr; a++) {
		for (k = 0; c->s[a] && k < c->s[a]->prev_ids_nr; k++) {
			struct mg_folder_migration *p =
			    is_zero(c->s[a]->prev_ids[k])
				? NULL
				: by_id(c, c->s[a]->prev_ids[k]);

			if (p)
				children[pos(c, p)]++;
		}
	}
	for (i = 0; i < f->nr; i++) {
		const char *id;

		if (!c->s[i] || c->bad[i] || children[i] < 2)
			continue;
		id = c->s[i]->id;
		for (a = i + 1; a < f->nr; a++) {
			if (!c->s[a] || c->bad[a])
				continue;
			for (k = 0; k < c->s[a]->prev_ids_nr; k++)
				if (!strcmp(c->s[a]->prev_ids[k], id))
					break;
			if (k == c->s[a]->prev_ids_nr)
				continue;
			for (b = a + 1; b < f->nr; b++) {
				const struct mg_footprint *l, *r;
				size_t la = 0, ra = 0;
				char *ln, *rn, *hint;

				if (!c->s[b] || c->bad[b])
					continue;
				for (k = 0; k < c->s[b]->prev_ids_nr; k++)
					if (!strcmp(c->s[b]->prev_ids[k], id))
						break;
				if (k == c->s[b]->prev_ids_nr ||
				    !branches_conflict(c, a, b, &l, &r, &la,
						       &ra))
					continue;
				ln = footprint_name(l);
				rn = footprint_name(r);
				hint = mg_xstrfmt(
				    "git merged two folders made on two "
				    "branches: remove '%s' (not yet "
				    "applied anywhere) and generate it "
				    "again with `%s` on top of '%s', or "
				    "run `%s` (it deletes both branches' "
				    "folders)",
				    f->items[b].name, c->generate,
				    f->items[a].name, c->generate_fix);
				add_snap(c, "snapshot-collision", &f->items[b],
					 mg_json_get(f->items[b].snapshot,
						     "prevIds"),
					 1, hint,
					 mg_xstrfmt("'%s' and '%s' were both "
						    "generated on top of '%s' "
						    "and conflict: %s in '%s', "
						    "%s in '%s'",
						    f->items[a].name,
						    f->items[b].name,
						    f->items[i].name, ln,
						    f->items[la].name, rn,
						    f->items[ra].name));
				free(ln);
				free(rn);
				free(hint);
			}
		}
	}
	free(children);
}

/* ------------------------------------------------------------ strays --- */

static void check_stray(struct fcheck *c)
{
	struct mg_migfolder *f = c->f;
	size_t i, n = strlen(f->path);

	for (i = 0; i < f->stray_sql_nr; i++) {
		const char *path = f->stray_sql[i];
		const char *rel = n ? path + n + 1 : path;
		char *hint;

		if (!strchr(rel, '/'))
			hint = mg_xstrfmt(
			    "`drizzle-kit up` leaves SQL the journal did "
			    "not list at the root: make it a migration "
			    "with `%s` and move the SQL into its "
			    "migration.sql, or delete it",
			    c->generate_custom);
		else
			hint = mg_xstrfmt(
			    "only a folder's migration.sql runs: move the "
			    "SQL into migration.sql, or make it its own "
			    "migration with `%s`",
			    c->generate_custom);
		add_at(c, "orphan-sql", path, NULL, 0, 0, hint,
		       mg_xstrfmt("'%s' is not a migration folder's "
				  "migration.sql: the 1.0 migrator never runs "
				  "it",
				  rel));
		free(hint);
	}
}

/* --------------------------------------------------------- published --- */

static const char published_hint[] =
    "a published migration may already be applied: restore it and "
    "generate a new migration for the change";

/* The blob id of path in a listing, or "" when unknown. */
static const char *blob_id(const struct mg_tree_listing *l, const char *path)
{
	const struct mg_tree_entry *e =
	    path ? mg_tree_listing_find(l, path) : NULL;

	return e && e->type == MG_ENTRY_FILE ? e->id : "";
}

/* "<folder>/migration.sql" relative to the migrations folder. */
static const char *in_folder(const struct mg_migfolder *f, const char *path)
{
	size_t n = strlen(f->path);

	return n && !strncmp(path, f->path, n) && path[n] == '/' ? path + n + 1
								 : path;
}

/* One published file of a folder still there: unchanged? */
static int check_published_file(struct fcheck *c, struct mg_migfolder *pf,
				const char *path)
{
	const struct mg_tree_entry *he =
	    mg_tree_listing_find(&c->f->files, path);
	const char *pid = blob_id(&pf->files, path);
	char *head = NULL, *pub = NULL;
	size_t hlen = 0, plen = 0, off;
	int err = 0;

	if (!he) {
		add_at(c, "migration-deleted", path, NULL, 0, 0, published_hint,
		       mg_xstrfmt("published migration file '%s' was deleted",
				  in_folder(c->f, path)));
		return 0;
	}
	if (pid[0] && he->id[0] && !strcmp(pid, he->id))
		return 0;
	err = mg_tree_read(c->f->tree, path, &head, &hlen);
	if (err >= 0)
		err = mg_tree_read(pf->tree, path, &pub, &plen);
	if (err < 0)
		goto out;
	if (hlen == plen && !memcmp(head, pub, hlen))
		goto out;
	/* drizzle-kit reads a snapshot as JSON: a reformat is no edit. */
	if (mg_ends_with(path, ".json") &&
	    mg_journal_same_json(head, hlen, pub, plen))
		goto out;
	if (mg_journal_restored(c->opts, path, he))
		goto out;
	off = mg_journal_first_difference(head, hlen, pub, plen);
	add_at(c, "migration-edited", path, head, hlen, off, published_hint,
	       mg_xstrfmt("published migration file '%s' was edited%s",
			  in_folder(c->f, path),
			  mg_journal_same_but_whitespace(head, hlen, pub, plen)
			      ? " (whitespace only: the migrator's hash "
				"still changes)"
			      : ""));
out:
	free(head);
	free(pub);
	return err;
}

/* The same SQL bytes (by blob id, else read) in pm and hm. */
static int same_sql(struct fcheck *c, struct mg_migfolder *pf,
		    struct mg_folder_migration *pm,
		    struct mg_folder_migration *hm)
{
	const char *pid = blob_id(&pf->files, pm->sql_path);
	const char *hid = blob_id(&c->f->files, hm->sql_path);
	const char *a, *b;
	size_t alen, blen;

	if (!pm->sql_path || !hm->sql_path)
		return 0;
	if (pid[0] && hid[0])
		return !strcmp(pid, hid);
	if (mg_migfolder_sql(pf, pm, &a, &alen) < 0 ||
	    mg_migfolder_sql(c->f, hm, &b, &blen) < 0)
		return 0;
	return alen == blen && !memcmp(a, b, alen);
}

static int same_snapshot_id(struct fcheck *c, struct mg_migfolder *pf,
			    struct mg_folder_migration *pm,
			    struct mg_folder_migration *hm)
{
	const struct mg_folder_snapshot *ps, *hs;

	return mg_migfolder_fields(pf, pm, &ps) >= 0 &&
	       mg_migfolder_fields(c->f, hm, &hs) >= 0 && ps->id && hs->id &&
	       *ps->id && !strcmp(ps->id, hs->id);
}

/*
 * Published folders, by name: still there with the same bytes. A folder
 * gone whose SQL or snapshot id is in a new folder was renamed, which
 * the 1.0 migrator cannot tell from a new migration (rc.5 case 3).
 */
static int check_published(struct fcheck *c, struct mg_migfolder *pf)
{
	struct mg_migfolder *f = c->f;
	unsigned char *claimed = mg_xcalloc(f->nr + 1, 1);
	int drizzle = mg_project_drizzle_migrator(c->p);
	size_t i, k;
	int err = 0;

	for (i = 0; i < pf->nr; i++) {
		struct mg_folder_migration *pm = &pf->items[i];
		struct mg_folder_migration *hm = mg_migfolder_find(f, pm->name);

		if (hm) {
			if (pm->sql_path)
				err = check_published_file(c, pf, pm->sql_path);
			if (err >= 0 && pm->snapshot_path)
				err = check_published_file(c, pf,
							   pm->snapshot_path);
			if (err < 0)
				goto out;
			continue;
		}
		for (k = 0; k < f->nr; k++) {
			struct mg_folder_migration *nm = &f->items[k];

			if (claimed[k] || mg_migfolder_find(pf, nm->name))
				continue;
			if (same_sql(c, pf, pm, nm) ||
			    same_snapshot_id(c, pf, pm, nm))
				break;
		}
		if (k < f->nr) {
			char *hint;

			claimed[k] = 1;
			if (!drizzle)
				continue; /* another migrator: a move */
			hint = mg_xstrfmt("the migrator knows an applied "
					  "migration by its folder name: "
					  "rename it back to '%s'",
					  pm->name);
			add_at(c, "migration-renamed",
			       folder_path(&f->items[k]), NULL, 0, 0, hint,
			       mg_xstrfmt("published migration '%s' was "
					  "renamed to '%s': the 1.0 migrator "
					  "runs it again",
					  pm->name, f->items[k].name));
			free(hint);
			continue;
		}
		add_at(c, "migration-deleted", folder_path(pm), NULL, 0, 0,
		       published_hint,
		       mg_xstrfmt("published migration '%s' was deleted",
				  pm->name));
	}
out:
	free(claimed);
	return err;
}

/*
 * The commit that runs `drizzle-kit up`: the published base is still in
 * the journal layout. up copies each entry's SQL byte for byte into a
 * folder (named after its `when`, which users move when up refuses two
 * entries of one second), so a published entry is kept when its bytes
 * are some folder's migration.sql; else the folder up names for it was
 * edited, or there is none.
 */
static int check_published_up(struct fcheck *c, struct mg_migdir *pd)
{
	struct mg_migfolder *f = c->f;
	struct mg_up_plan plan;
	size_t i, k;
	int err;

	if (!pd->journal)
		return 0;
	err = mg_up_plan_make(&plan, pd);
	if (err < 0)
		return err;
	for (i = 0; i < plan.nr && err >= 0; i++) {
		const struct mg_up_move *mv = &plan.items[i];
		const char *pid = blob_id(&pd->files, mv->sql_path);
		struct mg_folder_migration *hm;
		const char *head;
		char *pub = NULL, *hint;
		size_t hlen, plen;

		if (!pid[0])
			continue; /* not published as a file */
		for (k = 0; k < f->nr; k++)
			if (!strcmp(blob_id(&f->files, f->items[k].sql_path),
				    pid))
				break;
		if (k < f->nr)
			continue;
		hm = mv->folder ? mg_migfolder_find(f, mv->folder) : NULL;
		if (hm && hm->sql_path) {
			err = mg_migfolder_sql(f, hm, &head, &hlen);
			if (err >= 0)
				err = mg_tree_read(pd->tree, mv->sql_path, &pub,
						   &plen);
			if (err >= 0)
				add_at(c, "migration-edited", hm->sql_path,
				       head, hlen,
				       mg_journal_first_difference(head, hlen,
								   pub, plen),
				       published_hint,
				       mg_xstrfmt(
					   "published migration '%s' was "
					   "edited on its way to '%s'%s",
					   mv->tag, in_folder(f, hm->sql_path),
					   mg_journal_same_but_whitespace(
					       head, hlen, pub, plen)
					       ? " (whitespace only: "
						 "the migrator's hash "
						 "still changes)"
					       : ""));
			free(pub);
			continue;
		}
		hint = mg_xstrfmt("a published migration may already be "
				  "applied: restore it; `drizzle-kit up` "
				  "copies it byte for byte into '%s/"
				  "migration.sql'",
				  mv->folder ? mv->folder : "<folder>");
		add_at(c, "migration-deleted", mv->sql_path, NULL, 0, 0, hint,
		       mg_xstrfmt("published migration '%s' is in no migration "
				  "folder: no migration.sql has its SQL",
				  mv->tag));
		free(hint);
	}
	mg_up_plan_release(&plan);
	return err;
}

/* -------------------------------------------------------------- entry --- */

int mg_journal_check_folder(struct mg_report *r, struct mg_migfolder *f,
			    const struct mg_project *p,
			    struct mg_migfolder *published,
			    struct mg_migdir *published_journal,
			    const struct mg_journal_options *opts)
{
	struct fcheck c;
	size_t i;
	int err = 0, any_bad = 0;

	memset(&c, 0, sizeof(c));
	c.r = r;
	c.f = f;
	c.p = p;
	c.opts = opts;
	c.generate = p->generate_command ? p->generate_command
					 : "npx drizzle-kit generate";
	c.generate_custom = mg_project_generate_with(p, "--custom");
	c.generate_named = mg_project_generate_with(p, "--custom --name "
						       "<name>");
	c.generate_fix = mg_project_generate_with(p, "--fix-conflicts");
	c.s = mg_xcalloc(f->nr + 1, sizeof(*c.s));
	c.bad = mg_xcalloc(f->nr + 1, 1);
	/* Another migrator: the folders are not drizzle's to keep. */
	if (mg_project_drizzle_migrator(p)) {
		check_names(&c);
		for (i = 0; i < f->nr; i++) {
			err = check_snapshot(&c, &f->items[i]);
			if (err < 0)
				goto out;
		}
		index_ids(&c);
		check_chain(&c);
		for (i = 0; i < f->nr; i++)
			any_bad |= c.bad[i];
		/* A broken snapshot breaks every replay after it: fix it. */
		if (!any_bad) {
			check_replay(&c);
			check_collisions(&c);
		}
		check_stray(&c);
	}
	if (published)
		err = check_published(&c, published);
	else if (published_journal)
		err = check_published_up(&c, published_journal);
out:
	free(c.s);
	free(c.bad);
	free(c.ids);
	free(c.generate_custom);
	free(c.generate_named);
	free(c.generate_fix);
	return err;
}

int mg_journal_check_folder_project(struct mg_report *r, struct mg_context *ctx,
				    const struct mg_project *p,
				    struct mg_tree *published,
				    const struct mg_journal_options *opts)
{
	struct mg_migfolder *f = NULL, *pf = NULL, *own = NULL, *pown = NULL;
	struct mg_migdir *d = NULL, *pd = NULL;
	struct mg_layout_info info;
	int err = 0;

	memset(&info, 0, sizeof(info));
	/*
	 * The run's shared folder (parsed snapshots that lint and pair use
	 * too) when there is one; else a folder of our own.
	 */
	if (ctx->migdirs)
		err = mg_context_migdir(&d, ctx, p);
	if (err >= 0 && d && d->folder) {
		f = d->folder;
	} else if (err >= 0) {
		err = mg_migfolder_load(&own, ctx->cs->head, p->migrations);
		f = own;
	}
	if (err >= 0 && published)
		err = mg_layout_detect(&info, published, p->migrations);
	if (err >= 0 && info.layout != MG_LAYOUT_NONE && ctx->migdirs)
		err = mg_context_migdir_at(&pd, ctx, published, p);
	if (err >= 0 && info.layout == MG_LAYOUT_FOLDER) {
		if (pd && pd->folder) {
			pf = pd->folder;
		} else {
			err = mg_migfolder_load(&pown, published,
						p->migrations);
			pf = pown;
		}
	}
	if (err >= 0 && info.layout == MG_LAYOUT_JOURNAL && !pd)
		err = mg_context_migdir_at(&pd, ctx, published, p);
	if (err >= 0)
		err = mg_journal_check_folder(
			r, f, p, pf,
			info.layout == MG_LAYOUT_JOURNAL ? pd : NULL, opts);
	mg_context_migdir_put(ctx, pd);
	mg_context_migdir_put(ctx, d);
	mg_layout_info_release(&info);
	mg_migfolder_free(pown);
	mg_migfolder_free(own);
	return err;
}

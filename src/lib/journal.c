/*
 * migguard-journal: a drizzle migrations folder is consistent (journal,
 * snapshots and .sql files agree, in the order the migrator and
 * drizzle-kit rely on) and its published migrations are unchanged.
 *
 * Every file is read at most once (migdir caches), lookups go through
 * sorted arrays, so a folder of thousands of migrations is n log n.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "migguard/git.h"
#include "migguard/glob.h"
#include "migguard/journal.h"
#include "migguard/json.h"
#include "migguard/migfolder.h"
#include "migguard/srcmap.h"
#include "migguard/strbuf.h"

#include "journal_internal.h"

#define ZERO_UUID "00000000-0000-0000-0000-000000000000"

/* What the checks learn about one journal entry. */
struct entry_state {
	char *prefix;	  /* tag up to the first '_', or NULL */
	int has_sql;	  /* the .sql file is in the tree */
	int has_snapshot; /* the snapshot file is in the tree */
	const char *id, *prev_id; /* of a valid snapshot (its fields) */
	unsigned id_line, id_col, prev_line, prev_col;
	int collided;	  /* reported as snapshot-collision */
	int tag_bad;	  /* reported as journal-invalid */
	int duplicate;	  /* reported as journal-duplicate-tag */
	int shared;	  /* its snapshot is an earlier entry's */
};

struct jcheck {
	struct mg_report *r;
	struct mg_migdir *d;
	const struct mg_project *p;
	const struct mg_journal_options *opts;
	const char *mode;     /* prefix mode */
	const char *generate; /* the project's generate command */
	char *generate_custom; /* the same with --custom */
	struct mg_srcmap map; /* lines of _journal.json */
	struct entry_state *st;
	struct mg_migration **by_tag; /* entries with a tag, sorted */
	size_t by_tag_nr;
	struct mg_migdir *published; /* or NULL */
};

void mg_journal_options_init(struct mg_journal_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->future_skew_ms = MG_JOURNAL_FUTURE_SKEW_MS;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int mode_is(const struct jcheck *j, const char *mode)
{
	return !strcmp(j->mode, mode);
}

static size_t entry_pos(const struct jcheck *j, const struct mg_migration *m)
{
	return (size_t)(m - j->d->items);
}

/* A finding at a node of _journal.json. */
static void add_journal(struct jcheck *j, const char *rule,
			const struct mg_json *node, int at_key,
			const char *hint, char *msg)
{
	unsigned line = 0, col = 0;

	if (node)
		mg_srcmap_locate(&j->map, at_key ? node->key_offset
						 : node->offset,
				 &line, &col);
	mg_report_add(j->r, rule, j->d->journal_path, line, col, hint, "%s",
		      msg);
	free(msg);
}

void mg_journal_add_at(struct mg_report *r, const char *rule,
		       const char *path, const char *text, size_t len,
		       size_t offset, const char *hint, char *msg)
{
	struct mg_srcmap map;
	unsigned line = 0, col = 0;

	if (text) {
		mg_srcmap_init(&map, text, len);
		mg_srcmap_locate(&map, offset, &line, &col);
		mg_srcmap_release(&map);
	}
	mg_report_add(r, rule, path, line, col, hint, "%s", msg);
	free(msg);
}

/* A finding at byte offset of a file's text (whole-file when text NULL). */
static void add_text(struct jcheck *j, const char *rule, const char *path,
		     const char *text, size_t len, size_t offset,
		     const char *hint, char *msg)
{
	mg_journal_add_at(j->r, rule, path, text, len, offset, hint, msg);
}

/*
 * The journal and snapshot versions today's migrator runs: "7" (drizzle-
 * kit 0.21 on), and "5" / "6", which drizzle-kit wrote in 2023 (with
 * dialect "pg" for 5). The migrator reads only the entries' tag, when
 * and breakpoints, so they are valid input as they are.
 */
static int known_version(const char *v)
{
	return !strcmp(v, "7") || !strcmp(v, "6") || !strcmp(v, "5");
}

/* A version `drizzle-kit up` upgrades: a number below 5. */
static int older_version(const char *v)
{
	return v[0] >= '0' && v[0] <= '4' && !v[1];
}

static int postgres_dialect(const char *d)
{
	return !strcmp(d, "postgresql") || !strcmp(d, "pg");
}

/* The journal names a database other than PostgreSQL. */
static int other_dialect(const struct mg_migdir *d)
{
	const char *v = d->journal ? mg_json_get_string(d->journal, "dialect")
				   : NULL;

	return v && !postgres_dialect(v);
}

/* "journal entry 3 ('0003_x')" or "journal entry 3". New string. */
static char *entry_name(const struct jcheck *j, const struct mg_migration *m)
{
	if (m->tag)
		return mg_xstrfmt("journal entry %zu ('%s')", entry_pos(j, m),
				  m->tag);
	return mg_xstrfmt("journal entry %zu", entry_pos(j, m));
}

static int has_conflict_markers(const char *text, size_t len,
				size_t *offset)
{
	size_t i;

	for (i = 0; i + 7 <= len; i++) {
		if ((i == 0 || text[i - 1] == '\n') &&
		    (!strncmp(text + i, "<<<<<<<", 7) ||
		     !strncmp(text + i, ">>>>>>>", 7))) {
			*offset = i;
			return 1;
		}
	}
	return 0;
}

/* Top level of _journal.json. 1 when its entries can be checked. */
static int check_journal_root(struct jcheck *j)
{
	struct mg_migdir *d = j->d;
	const struct mg_json *v;
	size_t off;
	char *hint;
	int ok = 0;

	hint = mg_xstrfmt("restore it from git, or resolve the conflict and "
			  "re-run `%s`", j->generate);
	if (d->journal_state == MG_ENOTFOUND) {
		size_t i;

		for (i = 0; i < d->files.nr; i++) {
			const char *name = base_name(d->files.items[i].path);

			if (mg_ends_with(name, ".sql") ||
			    mg_ends_with(name, "_snapshot.json"))
				break;
		}
		if (i < d->files.nr)
			add_text(j, "journal-invalid", d->journal_path, NULL, 0,
				 0, hint,
				 mg_xstrfmt("missing journal '%s': no "
					    "migration in '%s' is applied",
					    d->journal_path, d->path));
		goto out;
	}
	if (!d->journal && !d->journal_text) {
		add_text(j, "journal-invalid", d->journal_path, NULL, 0, 0,
			 NULL,
			 mg_xstrfmt("cannot read '_journal.json': %s",
				    d->journal_error ? d->journal_error
						     : "unknown error"));
		goto out;
	}
	if (!d->journal) {
		if (has_conflict_markers(d->journal_text, d->journal_len,
					 &off))
			add_text(j, "journal-invalid", d->journal_path,
				 d->journal_text, d->journal_len, off,
				 "keep both branches' entries in order, or "
				 "take one side and regenerate the other "
				 "branch's migration",
				 mg_xstrdup("merge conflict markers in "
					    "'_journal.json'"));
		else
			add_text(j, "journal-invalid", d->journal_path,
				 d->journal_text, d->journal_len,
				 d->journal_error_offset, hint,
				 mg_xstrfmt("'_journal.json' is not valid "
					    "JSON: %s",
					    d->journal_error ? d->journal_error
							     : "invalid JSON"));
		goto out;
	}
	if (d->journal->type != MG_JSON_OBJECT) {
		add_journal(j, "journal-invalid", d->journal, 0, hint,
			    mg_xstrfmt("'_journal.json' is %s, expected an "
				       "object",
				       mg_json_type_name(d->journal->type)));
		goto out;
	}
	v = mg_json_get(d->journal, "version");
	if (!v || v->type != MG_JSON_STRING || !known_version(v->string))
		add_journal(j, "journal-invalid", v ? v : d->journal, 0,
			    v && v->type == MG_JSON_STRING &&
					    older_version(v->string)
				    ? "drizzle-kit 0.31 writes version \"7\"; "
				      "upgrade old folders with `drizzle-kit up`"
				    : "drizzle-kit 0.31 writes version \"7\" "
				      "(\"5\" and \"6\", from older releases, "
				      "are read too)",
			    mg_xstrfmt("unsupported journal version %s%s%s",
				       v && v->type == MG_JSON_STRING ? "'"
								      : "",
				       !v ? "(none)"
				       : v->type == MG_JSON_STRING
					       ? v->string
					       : mg_json_type_name(v->type),
				       v && v->type == MG_JSON_STRING ? "'"
								      : ""));
	v = mg_json_get(d->journal, "dialect");
	if (!v || v->type != MG_JSON_STRING || !postgres_dialect(v->string))
		add_journal(j, "journal-invalid", v ? v : d->journal, 0,
			    "migguard checks PostgreSQL migrations only",
			    mg_xstrfmt("journal dialect is '%s', expected "
				       "'postgresql'",
				       v && v->type == MG_JSON_STRING
					       ? v->string
					       : "(none)"));
	v = mg_json_get(d->journal, "entries");
	if (!v || v->type != MG_JSON_ARRAY) {
		add_journal(j, "journal-invalid", v ? v : d->journal, 0, hint,
			    mg_xstrdup("'_journal.json' has no 'entries' "
				       "array"));
		goto out;
	}
	ok = 1;
out:
	free(hint);
	return ok;
}

struct field {
	const char *name;
	const char *expected;
	enum mg_json_type type;
};

static const struct field entry_fields[] = {
	{ "idx", "an integer", MG_JSON_NUMBER },
	{ "version", "a string", MG_JSON_STRING },
	{ "when", "an integer", MG_JSON_NUMBER },
	{ "tag", "a string", MG_JSON_STRING },
	{ "breakpoints", "a boolean", MG_JSON_TRUE },
};

static int field_type_ok(const struct field *f, const struct mg_json *v)
{
	if (f->type == MG_JSON_TRUE)
		return v->type == MG_JSON_TRUE || v->type == MG_JSON_FALSE;
	if (f->type == MG_JSON_NUMBER)
		return v->type == MG_JSON_NUMBER && v->is_integer &&
		       v->number >= 0 && v->number <= 9007199254740992.0;
	return v->type == f->type;
}

/* Why a tag cannot name a file, or NULL. */
static const char *tag_problem(const struct jcheck *j, const char *tag)
{
	if (!*tag)
		return "is empty";
	if (strchr(tag, '/') || strchr(tag, '\\'))
		return "contains a path separator";
	if (strstr(tag, ".."))
		return "contains '..'";
	if (tag[0] == '.')
		return "starts with '.'";
	if (tag[0] == '_' && !mode_is(j, "none"))
		return "starts with '_' (drizzle-kit skips such snapshots)";
	return NULL;
}

static void check_entry_fields(struct jcheck *j, struct mg_migration *m)
{
	const char *hint = "restore the entry as drizzle-kit wrote it: "
			   "{\"idx\", \"version\", \"when\", \"tag\", "
			   "\"breakpoints\"}";
	const char *problem;
	char *name = entry_name(j, m);
	size_t i;

	if (m->entry->type != MG_JSON_OBJECT) {
		add_journal(j, "journal-invalid", m->entry, 0, hint,
			    mg_xstrfmt("%s is %s, expected an object", name,
				       mg_json_type_name(m->entry->type)));
		goto out;
	}
	for (i = 0; i < sizeof(entry_fields) / sizeof(entry_fields[0]); i++) {
		const struct field *f = &entry_fields[i];
		const struct mg_json *v = mg_json_get(m->entry, f->name);

		if (!v)
			add_journal(j, "journal-invalid", m->entry, 0, hint,
				    mg_xstrfmt("%s has no '%s'", name,
					       f->name));
		else if (!field_type_ok(f, v))
			add_journal(j, "journal-invalid", v, 0, hint,
				    mg_xstrfmt("%s: '%s' is %s, expected %s",
					       name, f->name,
					       mg_json_type_name(v->type),
					       f->expected));
	}
	if (!m->tag)
		goto out;
	problem = tag_problem(j, m->tag);
	j->st[entry_pos(j, m)].tag_bad = problem != NULL;
	if (problem)
		add_journal(j, "journal-invalid", mg_json_get(m->entry, "tag"),
			    0,
			    "a tag is a file name: <prefix>_<name>, as "
			    "drizzle-kit generate writes it",
			    mg_xstrfmt("%s: tag %s", name, problem));
out:
	free(name);
}

/* 1 when s is exactly n ASCII digits. */
static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[n] == '\0';
}

/* Why a prefix does not fit the prefix mode, or NULL. */
static char *prefix_problem(const struct jcheck *j, const char *prefix,
			    size_t pos)
{
	char want[32];

	if (mode_is(j, "none"))
		return NULL;
	if (mode_is(j, "timestamp") || mode_is(j, "supabase")) {
		if (!all_digits(prefix, 14))
			return mg_xstrfmt("prefix '%s' is not a UTC "
					  "timestamp YYYYMMDDHHMMSS (prefix "
					  "mode '%s')",
					  prefix, j->mode);
		return NULL;
	}
	if (mode_is(j, "unix")) {
		if (!all_digits(prefix, 10))
			return mg_xstrfmt("prefix '%s' is not unix seconds "
					  "(10 digits, prefix mode 'unix')",
					  prefix);
		return NULL;
	}
	snprintf(want, sizeof(want), "%04zu", pos);
	if (strcmp(prefix, want))
		return mg_xstrfmt("prefix '%s' at position %zu, expected "
				  "'%s' (prefix mode 'index')",
				  prefix, pos, want);
	return NULL;
}

static void check_order(struct jcheck *j)
{
	struct mg_migdir *d = j->d;
	const struct mg_migration *last_when = NULL;
	char *hint_idx;
	size_t i;

	hint_idx = mg_xstrfmt("do not edit the journal by hand: remove the "
			      "out-of-place migration and re-run `%s`",
			      j->generate);
	for (i = 0; i < d->nr; i++) {
		struct mg_migration *m = &d->items[i];
		const struct mg_json *idx = mg_json_get(m->entry, "idx");
		char *problem;

		if (m->idx >= 0 && (size_t)m->idx != i)
			add_journal(j, "journal-idx-order", idx, 0, hint_idx,
				    mg_xstrfmt("'%s' has idx %lld at position "
					       "%zu of the journal",
					       m->tag ? m->tag : "(no tag)",
					       m->idx, i));
		if (m->tag && j->st[i].prefix && !j->st[i].tag_bad &&
		    !j->st[i].duplicate) {
			problem = prefix_problem(j, j->st[i].prefix, i);
			if (problem)
				add_journal(j, "journal-idx-order",
					    mg_json_get(m->entry, "tag"), 0,
					    hint_idx,
					    mg_xstrfmt("'%s': %s", m->tag,
						       problem));
			free(problem);
		}
		if (m->when < 0)
			continue;
		if (last_when && m->when <= last_when->when) {
			char *hint = mg_xstrfmt(
				"drizzle's migrator skips it on every database "
				"that applied '%s': set its \"when\" above "
				"%lld, or remove it and re-run `%s`",
				last_when->tag ? last_when->tag : "(no tag)",
				last_when->when, j->generate);

			add_journal(j, "journal-when-order",
				    mg_json_get(m->entry, "when"), 0, hint,
				    mg_xstrfmt("'%s' has when %lld, not after "
					       "%lld of the previous entry "
					       "'%s'",
					       m->tag ? m->tag : "(no tag)",
					       m->when, last_when->when,
					       last_when->tag ? last_when->tag
							      : "(no tag)"));
			free(hint);
		}
		if (j->opts->now_ms > 0 &&
		    m->when > j->opts->now_ms + j->opts->future_skew_ms) {
			/*
			 * Once applied, every later migration (generated
			 * now, so with a smaller when) is skipped by the
			 * migrator's when comparison, silently.
			 */
			char *name = entry_name(j, m);

			add_journal(j, "journal-when-order",
				    mg_json_get(m->entry, "when"), 0,
				    "set its \"when\" to the time it was "
				    "generated (epoch milliseconds) before any "
				    "database applies it, and check the clock "
				    "of the machine that generated it",
				    mg_xstrfmt("%s has when %lld, more than a "
					       "day in the future: once it is "
					       "applied, the migrator skips "
					       "every migration generated "
					       "before that time",
					       name, m->when));
			free(name);
		}
		last_when = m;
	}
	free(hint_idx);
}

static int cmp_tag(const void *a_, const void *b_)
{
	const struct mg_migration *a = *(struct mg_migration *const *)a_;
	const struct mg_migration *b = *(struct mg_migration *const *)b_;
	int c = strcmp(a->tag, b->tag);

	if (c)
		return c;
	return a < b ? -1 : a > b;
}

static struct mg_migration *find_tag(const struct jcheck *j,
				     const char *tag)
{
	size_t lo = 0, hi = j->by_tag_nr;

	/* The first entry with this tag. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(j->by_tag[mid]->tag, tag) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < j->by_tag_nr && !strcmp(j->by_tag[lo]->tag, tag))
		return j->by_tag[lo];
	return NULL;
}

/* Index of entries: by tag, and the prefix of each. */
static void index_entries(struct jcheck *j)
{
	size_t i;

	j->by_tag = mg_xcalloc(j->d->nr + 1, sizeof(*j->by_tag));
	for (i = 0; i < j->d->nr; i++) {
		struct mg_migration *m = &j->d->items[i];

		if (!m->tag)
			continue;
		j->st[i].prefix = mg_migdir_tag_prefix(m->tag);
		j->by_tag[j->by_tag_nr++] = m;
	}
	qsort(j->by_tag, j->by_tag_nr, sizeof(*j->by_tag), cmp_tag);
}

struct prefixed {
	const char *prefix;
	struct mg_migration *m;
};

static int cmp_prefixed(const void *a_, const void *b_)
{
	const struct prefixed *a = a_, *b = b_;
	int c = strcmp(a->prefix, b->prefix);

	if (c)
		return c;
	return a->m < b->m ? -1 : a->m > b->m;
}

static void check_duplicates(struct jcheck *j)
{
	struct prefixed *by_prefix = NULL;
	char *hint = NULL;
	size_t i, n = 0;

	for (i = 1; i < j->by_tag_nr; i++) {
		struct mg_migration *a = j->by_tag[i - 1], *b = j->by_tag[i];

		if (strcmp(a->tag, b->tag))
			continue;
		j->st[entry_pos(j, b)].duplicate = 1;
		add_journal(j, "journal-duplicate-tag",
			    mg_json_get(b->entry, "tag"), 0,
			    "remove the repeated entry from the journal",
			    mg_xstrfmt("tag '%s' of journal entry %zu is "
				       "already journal entry %zu",
				       b->tag, entry_pos(j, b),
				       entry_pos(j, a)));
	}
	if (mode_is(j, "none"))
		goto out;
	by_prefix = mg_xcalloc(j->d->nr + 1, sizeof(*by_prefix));
	for (i = 0; i < j->d->nr; i++) {
		if (!j->st[i].prefix)
			continue;
		by_prefix[n].prefix = j->st[i].prefix;
		by_prefix[n++].m = &j->d->items[i];
	}
	qsort(by_prefix, n, sizeof(*by_prefix), cmp_prefixed);
	for (i = 1; i < n; i++) {
		struct mg_migration *a = by_prefix[i - 1].m;
		struct mg_migration *b = by_prefix[i].m;

		if (strcmp(by_prefix[i - 1].prefix, by_prefix[i].prefix) ||
		    !strcmp(a->tag, b->tag))
			continue;
		j->st[entry_pos(j, b)].duplicate = 1;
		free(hint);
		hint = mg_xstrfmt("they share one snapshot file: remove the "
				  "later migration '%s' (its .sql, snapshot "
				  "and journal entry) and re-run `%s`",
				  b->tag, j->generate);
		add_journal(j, "journal-duplicate-tag",
			    mg_json_get(b->entry, "tag"), 0, hint,
			    mg_xstrfmt("'%s' has the same prefix '%s' as "
				       "'%s'",
				       b->tag, by_prefix[i].prefix, a->tag));
	}
out:
	free(hint);
	free(by_prefix);
}

enum file_kind { FILE_OTHER, FILE_SQL, FILE_SNAPSHOT };

/* What a path of the folder's listing is. */
static enum file_kind file_kind(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	const char *rest;

	if (n && (strncmp(path, dir, n) || path[n] != '/'))
		return FILE_OTHER;
	rest = n ? path + n + 1 : path;
	if (!strchr(rest, '/'))
		return mg_ends_with(rest, ".sql") ? FILE_SQL : FILE_OTHER;
	if (mg_starts_with(rest, "meta/") && !strchr(rest + 5, '/') &&
	    mg_ends_with(rest, "_snapshot.json"))
		return FILE_SNAPSHOT;
	return FILE_OTHER;
}

static int listed(const struct mg_tree_listing *l, const char *path)
{
	const struct mg_tree_entry *e = mg_tree_listing_find(l, path);

	return e && e->type == MG_ENTRY_FILE;
}

/* A name as supabase writes them: 14 digits (UTC time) and '_'. */
static int timestamp_named(const char *name)
{
	size_t i;

	for (i = 0; i < 14; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return name[14] == '_';
}

/*
 * The journal lists only a fraction of the SQL files: the folder is run
 * by another migrator (supabase, a hand-made runner). Said once, with the
 * setting that fits, instead of one orphan-sql a file. 1 when said.
 */
static int check_partial(struct jcheck *j)
{
	struct mg_migdir *d = j->d;
	size_t i, sql = 0, journaled = 0, stamped = 0;
	const char *fits;
	char *hint;

	for (i = 0; i < d->files.nr; i++) {
		const char *path = d->files.items[i].path;

		if (file_kind(d->path, path) != FILE_SQL)
			continue;
		sql++;
		if (mg_migdir_find_path(d, path))
			journaled++;
		if (timestamp_named(base_name(path)))
			stamped++;
	}
	if (sql < MG_JOURNAL_PARTIAL_MIN || journaled * 2 >= sql)
		return 0;
	fits = stamped * 2 > sql ? "supabase" : "none";
	hint = mg_xstrfmt("if another migrator runs '%s', say so in "
			  ".migguard.json: {\"projects\": [{..., \"migrator\": "
			  "\"%s\"}]} (\"%s\": %s); if drizzle runs it, the "
			  "files not in the journal are never applied: "
			  "regenerate them with `%s`",
			  d->path, fits, fits,
			  !strcmp(fits, "supabase")
				  ? "files applied in name order, no journal "
				    "rules"
				  : "no journal or apply rules",
			  j->generate_custom);
	add_journal(j, "journal-partial", mg_json_get(d->journal, "entries"),
		    1, hint,
		    mg_xstrfmt("the journal lists %zu of the %zu SQL files in "
			       "'%s': drizzle's migrator never applies the "
			       "other %zu",
			       journaled, sql, d->path, sql - journaled));
	free(hint);
	return 1;
}

static void check_files(struct jcheck *j)
{
	struct mg_migdir *d = j->d;
	const char *last_sql = NULL;
	struct mg_migration *last_m = NULL;
	const struct mg_tree_entry *link;
	char *hint;
	size_t i;
	int partial = check_partial(j);

	hint = mg_xstrfmt("restore the file from git, or remove the "
			  "migration's journal entry and re-run `%s`",
			  j->generate);
	for (i = 0; i < d->nr; i++) {
		struct mg_migration *m = &d->items[i];
		char *name;

		if (!m->sql_path)
			continue;
		j->st[i].has_sql = listed(&d->files, m->sql_path);
		j->st[i].has_snapshot = listed(&d->files, m->snapshot_path);
		j->st[i].shared =
			mg_migdir_find_path(d, m->snapshot_path) != m;
		name = entry_name(j, m);
		link = mg_tree_listing_find(&d->files, m->sql_path);
		if (link && link->type != MG_ENTRY_FILE)
			/*
			 * drizzle's fs follows a link; git keeps only the
			 * link, so an edit of its target is a changed
			 * migration no check sees.
			 */
			add_journal(j, "journal-missing-sql", m->entry, 0,
				    "commit the SQL itself: replace the link "
				    "with a copy of the file it points to",
				    mg_xstrfmt("%s's SQL file '%s' is %s, "
					       "not a file: what it runs can "
					       "change with no change to the "
					       "migration", name,
					       base_name(m->sql_path),
					       link->type == MG_ENTRY_SYMLINK
					       ? "a symbolic link"
					       : "a submodule or folder"));
		else if (!j->st[i].has_sql && !partial)
			add_journal(j, "journal-missing-sql", m->entry, 0, hint,
				    mg_xstrfmt("%s has no SQL file '%s': the "
					       "migrator fails on it",
					       name, base_name(m->sql_path)));
		if (!j->st[i].has_snapshot && !mode_is(j, "none"))
			add_journal(j, "journal-missing-snapshot", m->entry, 0,
				    hint,
				    mg_xstrfmt("%s has no snapshot 'meta/%s'",
					       name,
					       base_name(m->snapshot_path)));
		free(name);
	}
	free(hint);
	for (i = 0; i < d->files.nr; i++) {
		const char *path = d->files.items[i].path;
		enum file_kind kind = file_kind(d->path, path);
		struct mg_migration *m;

		if (kind == FILE_OTHER)
			continue;
		m = mg_migdir_find_path(d, path);
		if (kind == FILE_SNAPSHOT) {
			if (!m)
				add_text(j, "orphan-snapshot", path, NULL, 0, 0,
					 "remove it: drizzle-kit chains the "
					 "next migration to the last snapshot "
					 "file name in meta/",
					 mg_xstrfmt("snapshot '%s' belongs to "
						    "no journal entry",
						    base_name(path)));
			continue;
		}
		if (!m && !partial) {
			char *h = mg_xstrfmt(
				"remove it, or create hand-written SQL with "
				"`%s` so it gets a journal entry",
				j->generate_custom);

			add_text(j, "orphan-sql", path, NULL, 0, 0, h,
				 mg_xstrfmt("'%s' is not in the journal: the "
					    "migrator never applies it",
					    base_name(path)));
			free(h);
		}
		/* Two files with one prefix: the journal check sees one. */
		if (!mode_is(j, "none") && last_sql && (!m || !last_m)) {
			char *a = mg_migdir_tag_prefix(base_name(last_sql));
			char *b = mg_migdir_tag_prefix(base_name(path));

			/* Shown at the file the journal does not know. */
			if (!strcmp(a, b))
				add_text(j, "journal-duplicate-tag",
					 m ? last_sql : path, NULL, 0, 0,
					 "keep one migration per prefix: "
					 "remove the one not in the journal",
					 mg_xstrfmt("'%s' has the same prefix "
						    "'%s' as '%s'",
						    base_name(m ? last_sql
								: path),
						    b,
						    base_name(m ? path
								: last_sql)));
			free(b);
			free(a);
		}
		last_sql = path;
		last_m = m;
	}
}

static void check_sql_bytes(struct jcheck *j, struct mg_migration *m,
			    const char *data, size_t len)
{
	size_t off[MG_SQL_DEFECT_CRLF + 1];
	unsigned found = mg_migdir_sql_defects(data, len, off);
	const char *name = base_name(m->sql_path);

	if (found & (1u << MG_SQL_DEFECT_BOM))
		add_text(j, "journal-invalid", m->sql_path, data, len, 0,
			 "save it as UTF-8 without a BOM: drizzle runs and "
			 "hashes the raw bytes",
			 mg_xstrfmt("byte order mark at the start of '%s'",
				    name));
	if (found & (1u << MG_SQL_DEFECT_NUL))
		add_text(j, "journal-invalid", m->sql_path, data, len,
			 off[MG_SQL_DEFECT_NUL],
			 "remove it: PostgreSQL rejects a NUL byte in a query",
			 mg_xstrfmt("NUL byte in '%s'", name));
	if (found & (1u << MG_SQL_DEFECT_UTF8))
		add_text(j, "journal-invalid", m->sql_path, data, len,
			 off[MG_SQL_DEFECT_UTF8],
			 "re-encode it as UTF-8: drizzle replaces invalid "
			 "bytes with U+FFFD before running and hashing it",
			 mg_xstrfmt("invalid UTF-8 in '%s'", name));
	if (found & (1u << MG_SQL_DEFECT_CRLF))
		add_text(j, "journal-invalid", m->sql_path, data, len,
			 off[MG_SQL_DEFECT_CRLF],
			 "convert it to LF and add '*.sql text eol=lf' to "
			 ".gitattributes: drizzle hashes the raw bytes, so "
			 "the hash depends on the checkout",
			 mg_xstrfmt("CRLF line ends in '%s'", name));
}

/* A finding at a node of m's snapshot. */
static void add_snapshot(struct jcheck *j, const char *rule,
			 struct mg_migration *m, const struct mg_json *node,
			 const char *hint, char *msg)
{
	size_t off = 0;

	/* A member is shown at its name: "prevId": ... */
	if (node)
		off = node->key ? node->key_offset : node->offset;
	add_text(j, rule, m->snapshot_path, m->snapshot_text, m->snapshot_len,
		 off, hint, msg);
}

/* A finding at the "id" (or "prevId" when prev) of m's snapshot. */
static void add_chain(struct jcheck *j, const char *rule,
		      struct mg_migration *m, const struct entry_state *st,
		      int prev, const char *hint, char *msg)
{
	mg_report_add(j->r, rule, m->snapshot_path,
		      prev ? st->prev_line : st->id_line,
		      prev ? st->prev_col : st->id_col, hint, "%s", msg);
	free(msg);
}

static void chain_fields(struct entry_state *st,
			 const struct mg_snapshot_fields *f)
{
	st->id = f->id;
	st->prev_id = f->prev_id;
	st->id_line = f->id_line;
	st->id_col = f->id_column;
	st->prev_line = f->prev_id_line;
	st->prev_col = f->prev_id_column;
}

/* Validate one snapshot; fills st->id and st->prev_id when they chain. */
static int check_snapshot(struct jcheck *j, struct mg_migration *m,
			  struct entry_state *st)
{
	const char *hint = "restore the snapshot drizzle-kit wrote, or "
			   "remove the migration and regenerate it";
	const struct mg_snapshot_fields *f = NULL;
	const struct mg_json *s, *v, *id, *prev;
	const char *name = base_name(m->snapshot_path);
	int err;

	err = mg_migdir_snapshot_fields(j->d, m, &f);
	if (err == MG_ENOTFOUND)
		return 0;
	if (err >= 0 && f->id && *f->id && f->prev_id && *f->prev_id)
		chain_fields(st, f);
	/* The common case: nothing to report, no tree to build. */
	if (err >= 0 && st->id && f->version && known_version(f->version) &&
	    f->dialect && postgres_dialect(f->dialect))
		return 0;
	err = mg_migdir_snapshot(j->d, m, &s);
	if (err == MG_ENOTFOUND)
		return 0;
	if (err < 0 && !m->snapshot_error)
		return err; /* the tree failed, not the file */
	if (err < 0) {
		size_t off;

		if (has_conflict_markers(m->snapshot_text, m->snapshot_len,
					 &off))
			add_text(j, "snapshot-invalid", m->snapshot_path,
				 m->snapshot_text, m->snapshot_len, off,
				 "never merge snapshots by hand: keep one "
				 "side and regenerate the other branch's "
				 "migration",
				 mg_xstrfmt("merge conflict markers in '%s'",
					    name));
		else
			add_text(j, "snapshot-invalid", m->snapshot_path,
				 m->snapshot_text, m->snapshot_len,
				 m->snapshot_error_offset, hint,
				 mg_xstrfmt("'%s' is not valid JSON: %s", name,
					    m->snapshot_error));
		return 0;
	}
	if (s->type != MG_JSON_OBJECT) {
		add_snapshot(j, "snapshot-invalid", m, s, hint,
			     mg_xstrfmt("'%s' is %s, expected an object",
					name, mg_json_type_name(s->type)));
		return 0;
	}
	v = mg_json_get(s, "version");
	if (!v || v->type != MG_JSON_STRING || !known_version(v->string))
		add_snapshot(j, "snapshot-invalid", m, v ? v : s,
			     v && v->type == MG_JSON_STRING &&
					     older_version(v->string)
				     ? "drizzle-kit 0.31 writes version \"7\"; "
				       "upgrade old snapshots with `drizzle-kit "
				       "up`"
				     : "drizzle-kit 0.31 writes version \"7\" "
				       "(\"5\" and \"6\", from older releases, "
				       "are read too)",
			     mg_xstrfmt("'%s' has version '%s', expected "
					"'7' (or '5', '6')",
					name,
					v && v->type == MG_JSON_STRING
						? v->string
						: "(none)"));
	v = mg_json_get(s, "dialect");
	if (!v || v->type != MG_JSON_STRING || !postgres_dialect(v->string))
		add_snapshot(j, "snapshot-invalid", m, v ? v : s,
			     "migguard checks PostgreSQL migrations only",
			     mg_xstrfmt("'%s' has dialect '%s', expected "
					"'postgresql'",
					name,
					v && v->type == MG_JSON_STRING
						? v->string
						: "(none)"));
	id = mg_json_get(s, "id");
	prev = mg_json_get(s, "prevId");
	if (!id || id->type != MG_JSON_STRING || !*id->string)
		add_snapshot(j, "snapshot-invalid", m, id ? id : s, hint,
			     mg_xstrfmt("'%s' has no string 'id'", name));
	if (!prev || prev->type != MG_JSON_STRING || !*prev->string)
		add_snapshot(j, "snapshot-invalid", m, prev ? prev : s, hint,
			     mg_xstrfmt("'%s' has no string 'prevId'", name));
	return 0;
}

struct chain_key {
	const char *key;
	size_t pos;
};

static int cmp_chain_key(const void *a_, const void *b_)
{
	const struct chain_key *a = a_, *b = b_;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* The first position whose key is key, or (size_t)-1. */
static size_t find_chain_key(const struct chain_key *keys, size_t n,
			     const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(keys[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(keys[lo].key, key) ? keys[lo].pos
						    : (size_t)-1;
}

static void check_chain(struct jcheck *j)
{
	struct mg_migdir *d = j->d;
	struct chain_key *ids, *prevs;
	char *hint = NULL;
	size_t i, n = 0;

	ids = mg_xcalloc(d->nr + 1, sizeof(*ids));
	prevs = mg_xcalloc(d->nr + 1, sizeof(*prevs));
	for (i = 0; i < d->nr; i++) {
		if (!j->st[i].id)
			continue;
		ids[n].key = j->st[i].id;
		ids[n].pos = i;
		prevs[n].key = j->st[i].prev_id;
		prevs[n++].pos = i;
	}
	qsort(ids, n, sizeof(*ids), cmp_chain_key);
	qsort(prevs, n, sizeof(*prevs), cmp_chain_key);

	/* Two children of one parent: branches merged. */
	for (i = 1; i < n; i++) {
		struct mg_migration *a = &d->items[prevs[i - 1].pos];
		struct mg_migration *b = &d->items[prevs[i].pos];
		size_t parent;

		if (strcmp(prevs[i - 1].key, prevs[i].key))
			continue;
		j->st[prevs[i].pos].collided = 1;
		parent = find_chain_key(ids, n, prevs[i].key);
		free(hint);
		hint = mg_xstrfmt("regenerate '%s' on top of '%s': remove "
				  "'%s' (its .sql, snapshot and journal "
				  "entry), then re-run `%s`",
				  b->tag, a->tag, b->tag, j->generate);
		add_chain(j, "snapshot-collision", b, &j->st[prevs[i].pos], 1,
			  hint,
			     mg_xstrfmt("'%s' and '%s' were both generated "
					"on top of %s%s%s: branches were "
					"merged",
					a->tag, b->tag,
					parent != (size_t)-1 ? "'" : "",
					parent != (size_t)-1
						? d->items[parent].tag
						: "the empty schema",
					parent != (size_t)-1 ? "'" : ""));
	}
	/* A copied snapshot. */
	for (i = 1; i < n; i++) {
		struct mg_migration *a = &d->items[ids[i - 1].pos];
		struct mg_migration *b = &d->items[ids[i].pos];

		if (strcmp(ids[i - 1].key, ids[i].key))
			continue;
		free(hint);
		hint = mg_xstrfmt("remove '%s' and re-run `%s` to give it a "
				  "fresh snapshot",
				  b->tag, j->generate);
		add_chain(j, "snapshot-chain-broken", b, &j->st[ids[i].pos], 0,
			  hint,
			     mg_xstrfmt("snapshot of '%s' has the same id as "
					"the snapshot of '%s'",
					b->tag, a->tag));
	}
	/* Each prevId is the previous entry's id; the first is zero. */
	for (i = 0; i < d->nr; i++) {
		struct entry_state *st = &j->st[i];
		struct mg_migration *m = &d->items[i];
		const char *want, *got;
		size_t points_at;

		if (!st->id || st->collided)
			continue;
		if (i > 0 && !j->st[i - 1].id)
			continue; /* unknown parent: already reported */
		want = i ? j->st[i - 1].id : ZERO_UUID;
		got = st->prev_id;
		if (!strcmp(want, got))
			continue;
		points_at = find_chain_key(ids, n, got);
		free(hint);
		hint = mg_xstrfmt("the snapshots must chain in journal order: "
				  "remove '%s' and the migrations after it "
				  "that are not published, then re-run `%s`",
				  m->tag, j->generate);
		if (!i)
			add_chain(j, "snapshot-chain-broken", m, st, 1, hint,
				     mg_xstrfmt("snapshot of the first "
						"migration '%s' has prevId "
						"'%s', expected '%s'",
						m->tag, got, ZERO_UUID));
		else
			add_chain(j, "snapshot-chain-broken", m, st, 1, hint,
				     mg_xstrfmt("snapshot of '%s' has prevId "
						"'%s', which is %s%s%s, not "
						"the previous entry '%s'",
						m->tag, got,
						points_at != (size_t)-1
							? "the snapshot of '"
							: "no snapshot's id",
						points_at != (size_t)-1
							? d->items[points_at]
								  .tag
							: "",
						points_at != (size_t)-1 ? "'"
									: "",
						d->items[i - 1].tag));
	}
	free(hint);
	free(prevs);
	free(ids);
}

/* drizzle-kit takes the last file name as the next parent. */
static void check_snapshot_names(struct jcheck *j)
{
	struct mg_migdir *d = j->d;
	size_t i;

	for (i = 1; i < d->nr; i++) {
		struct mg_migration *a = &d->items[i - 1], *b = &d->items[i];

		if (!j->st[i - 1].has_snapshot || !j->st[i].has_snapshot ||
		    mode_is(j, "none") ||
		    strcmp(a->snapshot_path, b->snapshot_path) <= 0)
			continue;
		add_journal(j, "snapshot-chain-broken", b->entry, 0,
			    "drizzle-kit chains a new migration to the last "
			    "snapshot file name: its prefix must sort after "
			    "the previous one's; remove it and regenerate it",
			    mg_xstrfmt("snapshot '%s' of '%s' sorts before "
				       "'%s' of the previous entry '%s'",
				       base_name(b->snapshot_path), b->tag,
				       base_name(a->snapshot_path), a->tag));
	}
}

/* Offset of the first byte where a and b differ. */
size_t mg_journal_first_difference(const char *a, size_t alen, const char *b,
				   size_t blen)
{
	size_t i, n = alen < blen ? alen : blen;

	for (i = 0; i < n && a[i] == b[i]; i++)
		;
	return i;
}

/* Two JSON texts are the same value (member order, spacing aside). */
int mg_journal_same_json(const char *a, size_t alen, const char *b,
			 size_t blen)
{
	struct mg_strbuf ca = MG_STRBUF_INIT, cb = MG_STRBUF_INIT;
	int same;

	same = mg_json_canonical(&ca, a, alen, NULL, 0) >= 0 &&
	       mg_json_canonical(&cb, b, blen, NULL, 0) >= 0 &&
	       ca.len == cb.len && !memcmp(ca.buf, cb.buf, ca.len);
	mg_strbuf_release(&ca);
	mg_strbuf_release(&cb);
	return same;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* a and b differ only in blanks (spaces, tabs, line ends). */
int mg_journal_same_but_whitespace(const char *a, size_t alen, const char *b,
				   size_t blen)
{
	size_t i = 0, k = 0;

	for (;;) {
		while (i < alen && is_blank(a[i]))
			i++;
		while (k < blen && is_blank(b[k]))
			k++;
		if (i == alen || k == blen)
			return i == alen && k == blen;
		if (a[i++] != b[k++])
			return 0;
	}
}

/* The head bytes of a migration file, through the migdir's cache. */
static int head_bytes(struct jcheck *j, const char *path, const char **data,
		      size_t *len, char **owned)
{
	struct mg_migration *m = mg_migdir_find_path(j->d, path);
	int err;

	*owned = NULL;
	if (m && m->sql_path && !strcmp(m->sql_path, path))
		return mg_migdir_sql(j->d, m, data, len);
	if (m && m->snapshot_text) {
		*data = m->snapshot_text;
		*len = m->snapshot_len;
		return 0;
	}
	/* A snapshot is compared as bytes: no need to parse it. */
	err = mg_tree_read(j->d->tree, path, owned, len);
	*data = *owned;
	return err;
}

/*
 * A published file gone from its path whose bytes (blob id) are at a
 * path the published folder did not have, of the same kind: a move, not
 * a deletion. What the journal says about the new name is checked as any
 * entry is.
 */
static int moved_within(const struct mg_migdir *d, const struct mg_migdir *pd,
			const struct mg_tree_entry *pe)
{
	enum file_kind kind = file_kind(pd->path, pe->path);
	size_t i;

	if (!pe->id[0])
		return 0;
	for (i = 0; i < d->files.nr; i++) {
		const struct mg_tree_entry *e = &d->files.items[i];

		if (e->type == MG_ENTRY_FILE && !strcmp(e->id, pe->id) &&
		    file_kind(d->path, e->path) == kind &&
		    !mg_tree_listing_find(&pd->files, e->path))
			return 1;
	}
	return 0;
}

/*
 * Edited once, and now put back: the head has the bytes the file had
 * when it was first committed (an edit that was published is reverted).
 */
int mg_journal_restored(const struct mg_journal_options *opts,
			const char *path, const struct mg_tree_entry *he)
{
	char first[MG_JOURNAL_OID_HEXSZ];

	return opts->first_blob && he->id[0] &&
	       opts->first_blob(opts->first_blob_data, path, first) >= 0 &&
	       !strcmp(first, he->id);
}

static void check_published_file(struct jcheck *j, struct mg_migdir *pd,
				 const struct mg_tree_entry *pe, int *err)
{
	const struct mg_tree_entry *he = mg_tree_listing_find(&j->d->files,
							      pe->path);
	const char *hint = "a published migration may already be applied: "
			   "restore it and generate a new migration for the "
			   "change";
	const char *head = NULL;
	char *pub = NULL, *owned = NULL;
	size_t hlen = 0, plen = 0, off;

	if (!he && moved_within(j->d, pd, pe))
		goto out; /* the same bytes under another name */
	if (!he) {
		add_text(j, "migration-deleted", pe->path, NULL, 0, 0, hint,
			 mg_xstrfmt("published migration file '%s' was "
				    "deleted",
				    base_name(pe->path)));
		goto out;
	}
	if (pe->id[0] && he->id[0] && !strcmp(pe->id, he->id))
		goto out;
	*err = head_bytes(j, pe->path, &head, &hlen, &owned);
	if (*err < 0)
		goto out;
	*err = mg_tree_read(pd->tree, pe->path, &pub, &plen);
	if (*err < 0)
		goto out;
	if (hlen == plen && !memcmp(head, pub, hlen))
		goto out;
	/*
	 * Snapshots are data drizzle-kit reads as JSON: a reformat is not
	 * an edit. The SQL stays byte-exact: the migrator's hash covers
	 * its bytes.
	 */
	if (mg_ends_with(pe->path, ".json") &&
	    mg_journal_same_json(head, hlen, pub, plen))
		goto out;
	/* Last, as it walks history: only for what would be reported. */
	if (mg_journal_restored(j->opts, pe->path, he))
		goto out;
	off = mg_journal_first_difference(head, hlen, pub, plen);
	add_text(j, "migration-edited", pe->path, head, hlen, off, hint,
		 mg_xstrfmt("published migration file '%s' was edited%s",
			    base_name(pe->path),
			    mg_journal_same_but_whitespace(head, hlen, pub,
							   plen)
				    ? " (whitespace only: the migrator's hash "
				      "still changes)"
				    : ""));
out:
	free(owned);
	free(pub);
}

/* Published journal entries: still there, with the same when/flags. */
static void check_published_entries(struct jcheck *j, struct mg_migdir *pd,
				    unsigned char *gone)
{
	const char *hint = "a published migration may already be applied: "
			   "restore its journal entry and generate a new "
			   "migration for the change";
	size_t i;

	if (!pd->journal || !j->d->journal)
		return;
	for (i = 0; i < pd->nr; i++) {
		struct mg_migration *pm = &pd->items[i];
		struct mg_migration *hm;

		if (!pm->tag)
			continue;
		hm = find_tag(j, pm->tag);
		if (!hm && i < j->d->nr && j->d->items[i].tag &&
		    j->st[i].prefix && pm->sql_path) {
			char *prefix = mg_migdir_tag_prefix(pm->tag);

			if (!strcmp(prefix, j->st[i].prefix)) {
				add_journal(j, "migration-edited",
					    mg_json_get(j->d->items[i].entry,
							"tag"),
					    0, hint,
					    mg_xstrfmt("published migration "
						       "'%s' was renamed to "
						       "'%s'",
						       pm->tag,
						       j->d->items[i].tag));
				gone[i] = 1;
			}
			free(prefix);
			if (gone[i])
				continue;
		}
		if (!hm) {
			add_text(j, "migration-deleted", j->d->journal_path,
				 NULL, 0, 0, hint,
				 mg_xstrfmt("published migration '%s' was "
					    "removed from the journal",
					    pm->tag));
			gone[i] = 1;
			continue;
		}
		if (hm->when != pm->when)
			add_journal(j, "migration-edited",
				    mg_json_get(hm->entry, "when"), 0, hint,
				    mg_xstrfmt("published migration '%s' "
					       "changed its when from %lld to "
					       "%lld",
					       pm->tag, pm->when, hm->when));
		if (hm->breakpoints != pm->breakpoints)
			add_journal(j, "migration-edited", hm->entry, 0, hint,
				    mg_xstrfmt("published migration '%s' "
					       "changed its breakpoints to "
					       "%s",
					       pm->tag,
					       hm->breakpoints ? "true"
							       : "false"));
	}
}

static int check_published(struct jcheck *j, struct mg_migdir *pd)
{
	unsigned char *gone = NULL;
	size_t i;
	int err = 0;

	if (!pd || !pd->files.nr)
		return 0;
	if (pd->journal && j->d->journal_state == MG_ENOTFOUND) {
		add_text(j, "migration-deleted", j->d->journal_path, NULL, 0, 0,
			 "restore it: its migrations may already be applied",
			 mg_xstrfmt("published journal '_journal.json' was "
				    "deleted, with %zu migrations",
				    pd->nr));
		return 0;
	}
	gone = mg_xcalloc(pd->nr + 1, 1);
	check_published_entries(j, pd, gone);
	for (i = 0; i < pd->files.nr; i++) {
		const struct mg_tree_entry *pe = &pd->files.items[i];
		struct mg_migration *pm;

		if (file_kind(pd->path, pe->path) == FILE_OTHER)
			continue;
		pm = mg_migdir_find_path(pd, pe->path);
		/* Reported with its journal entry. */
		if (pm && gone[pm - pd->items] &&
		    !listed(&j->d->files, pe->path))
			continue;
		check_published_file(j, pd, pe, &err);
		if (err < 0)
			goto out;
	}
out:
	free(gone);
	return err;
}

/*
 * A .sql file as published (same path, same blob id), in a change set:
 * its bytes were checked when it was new, like a trusted snapshot's.
 */
static int sql_trusted(const struct jcheck *j, const struct mg_migration *m)
{
	const struct mg_tree_entry *he, *pe;

	if (!j->opts->trust_published || !j->published)
		return 0;
	he = mg_tree_listing_find(&j->d->files, m->sql_path);
	pe = mg_tree_listing_find(&j->published->files, m->sql_path);
	return he && pe && he->type == MG_ENTRY_FILE &&
	       pe->type == MG_ENTRY_FILE && he->id[0] &&
	       !strcmp(he->id, pe->id);
}

/*
 * The .sql bytes of every entry (when sql) but the trusted ones, and the
 * snapshots of the entries from position from on.
 */
static int check_entries(struct jcheck *j, int sql, size_t from)
{
	struct mg_migdir *d = j->d;
	size_t i;
	int err;

	for (i = 0; i < d->nr; i++) {
		struct mg_migration *m = &d->items[i];
		const char *data;
		size_t len;

		if (sql && j->st[i].has_sql && !sql_trusted(j, m)) {
			err = mg_migdir_sql(d, m, &data, &len);
			if (err < 0)
				return err;
			check_sql_bytes(j, m, data, len);
		}
		if (i >= from && j->st[i].has_snapshot && !j->st[i].shared &&
		    !mode_is(j, "none")) {
			err = check_snapshot(j, m, &j->st[i]);
			if (err < 0)
				return err;
		}
	}
	return 0;
}

/*
 * How many leading entries are as published: same tag at the same
 * position, a snapshot whose blob id is the published one. Their chain
 * was checked when they were new; a change set does not read them again.
 */
static size_t trusted_prefix(struct jcheck *j, struct mg_migdir *pd)
{
	struct mg_migdir *d = j->d;
	size_t i;

	if (!pd || !pd->journal || !d->journal)
		return 0;
	for (i = 0; i < d->nr && i < pd->nr; i++) {
		struct mg_migration *m = &d->items[i], *pm = &pd->items[i];
		const struct entry_state *st = &j->st[i];
		const struct mg_tree_entry *he, *pe;

		if (!m->snapshot_path || !pm->snapshot_path ||
		    strcmp(m->tag, pm->tag) ||
		    strcmp(m->snapshot_path, pm->snapshot_path) ||
		    !st->has_snapshot || st->shared || st->tag_bad ||
		    st->duplicate)
			break;
		he = mg_tree_listing_find(&d->files, m->snapshot_path);
		pe = mg_tree_listing_find(&pd->files, pm->snapshot_path);
		if (!he || !pe || pe->type != MG_ENTRY_FILE || !he->id[0] ||
		    strcmp(he->id, pe->id))
			break;
	}
	return i;
}

/*
 * The chain of the entries after the first from trusted ones: read those
 * snapshots and the last trusted one (for its id). 0 when they chain
 * without a finding; 1 when anything is off (a finding, an unreadable
 * file): the caller checks every snapshot, so the findings and their
 * wording are the ones of a full check (a prevId pointing at an older
 * snapshot names it).
 */
static int new_snapshots_chain(struct jcheck *j, size_t from)
{
	struct mg_report scratch, *r = j->r;
	size_t i;
	int err, off;

	if (from >= j->d->nr)
		return 0; /* nothing new */
	mg_report_init(&scratch);
	j->r = &scratch;
	err = check_entries(j, 0, from - 1);
	if (err >= 0)
		check_chain(j);
	j->r = r;
	off = err < 0 || scratch.nr;
	mg_report_release(&scratch);
	if (!off)
		return 0;
	for (i = 0; i < j->d->nr; i++) {
		j->st[i].id = j->st[i].prev_id = NULL;
		j->st[i].collided = 0;
	}
	return 1;
}

int mg_journal_check_dir(struct mg_report *r, struct mg_migdir *d,
			 const struct mg_project *p,
			 struct mg_migdir *published,
			 const struct mg_journal_options *opts)
{
	struct jcheck j;
	size_t i, from;
	int err = 0;

	memset(&j, 0, sizeof(j));
	j.r = r;
	j.d = d;
	j.p = p;
	j.opts = opts;
	j.published = published;
	j.mode = p->prefix && *p->prefix ? p->prefix : "index";
	j.generate = p->generate_command ? p->generate_command
					 : "npx drizzle-kit generate";
	j.generate_custom = mg_project_generate_with(p, "--custom");
	j.st = mg_xcalloc(d->nr + 1, sizeof(*j.st));
	if (d->journal_text)
		mg_srcmap_init(&j.map, d->journal_text, d->journal_len);
	index_entries(&j);
	/* Another migrator: the journal is not drizzle's to keep. */
	if (mg_project_drizzle_migrator(p) && check_journal_root(&j)) {
		for (i = 0; i < d->nr; i++)
			check_entry_fields(&j, &d->items[i]);
		check_duplicates(&j);
		check_order(&j);
		check_files(&j);
		from = opts->trust_published ? trusted_prefix(&j, published)
					     : 0;
		if (from && !new_snapshots_chain(&j, from)) {
			err = check_entries(&j, 1, d->nr);
		} else {
			err = check_entries(&j, 1, 0);
			if (err >= 0)
				check_chain(&j);
		}
		if (err < 0)
			goto out;
		check_snapshot_names(&j);
	}
	err = check_published(&j, published);
out:
	for (i = 0; i < d->nr; i++)
		free(j.st[i].prefix);
	free(j.st);
	free(j.by_tag);
	free(j.generate_custom);
	if (d->journal_text)
		mg_srcmap_release(&j.map);
	return err;
}

int mg_journal_project_touched(const struct mg_context *ctx,
			       const struct mg_project *p)
{
	const struct mg_changeset *cs = ctx->cs;
	size_t i, k;

	if (cs->mode == MG_CHANGESET_ALL)
		return 1;
	for (i = 0; i < cs->nr; i++) {
		const char *paths[2];

		paths[0] = cs->changes[i].path;
		paths[1] = cs->changes[i].old_path;
		for (k = 0; k < 2; k++) {
			size_t s;

			if (!paths[k])
				continue;
			if (mg_path_watched(p->migrations, paths[k]))
				return 1;
			for (s = 0; s < p->schema.nr; s++)
				if (mg_path_watched(p->schema.items[s],
						    paths[k]))
					return 1;
		}
	}
	return 0;
}

/* How far back history is walked for a file's first version. */
#define FIRST_BLOB_WALK_MAX 20000

static int first_blob(void *data, const char *path,
		      char out[MG_JOURNAL_OID_HEXSZ])
{
	struct mg_context *ctx = data;

	return mg_git_blob_when_added(out, ctx->repo, ctx->cs->base_rev, path,
				      FIRST_BLOB_WALK_MAX);
}

/*
 * Which layout p's migrations folder is in at head, asked before any
 * journal rule looks at it. When the run shares its migdirs (the
 * binaries, `migguard check`), the folder is listed once for every
 * check: the shared migdir is loaded into *d and its listing answers
 * (a folder-layout project's migdir is given back unused). Otherwise
 * the tree is listed for the question alone and *d stays NULL.
 */
static int project_layout(struct mg_layout_info *info, struct mg_migdir **d,
			  struct mg_context *ctx, const struct mg_project *p)
{
	int err;

	*d = NULL;
	if (!ctx->migdirs)
		return mg_layout_detect(info, ctx->cs->head, p->migrations);
	err = mg_context_migdir(d, ctx, p);
	if (err < 0)
		return err;
	mg_layout_detect_listing(info, &(*d)->files, (*d)->path);
	return 0;
}

/*
 * An unfinished `drizzle-kit up`: the 1.0 migrator refuses the folder and
 * 0.45 ignores the new one, so nothing else about it is worth saying.
 */
static void report_both(struct mg_report *r, const struct mg_layout_info *info)
{
	char *message, *hint;

	mg_layout_both_message(info, &message, &hint);
	mg_report_add(r, "journal-invalid", info->journal_path, 0, 0, hint,
		      "%s", message);
	free(message);
	free(hint);
}

int mg_journal_check_with(struct mg_report *r, struct mg_context *ctx,
			  const struct mg_journal_options *opts)
{
	struct mg_journal_options o = *opts;
	struct mg_migdir *d = NULL, *pd = NULL;
	struct mg_tree *published = NULL;
	struct mg_layout_info info;
	enum mg_layout layout;
	size_t i;
	int err = 0;

	o.trust_published = ctx->cs->mode != MG_CHANGESET_ALL;
	if (ctx->repo && ctx->cs->base_rev && !o.first_blob) {
		o.first_blob = first_blob;
		o.first_blob_data = ctx;
	}
	for (i = 0; i < ctx->config->projects_nr; i++) {
		const struct mg_project *p = &ctx->config->projects[i];

		if (!p->migrations || !mg_journal_project_touched(ctx, p))
			continue;
		/* The layout first: a folder-layout project has no journal. */
		err = project_layout(&info, &d, ctx, p);
		if (err < 0)
			goto out;
		layout = info.layout;
		/* Another migrator: the journal is its own business. */
		if (layout == MG_LAYOUT_BOTH && !mg_project_drizzle_migrator(p))
			layout = MG_LAYOUT_JOURNAL;
		if (layout == MG_LAYOUT_BOTH)
			report_both(r, &info);
		mg_layout_info_release(&info);
		if (layout == MG_LAYOUT_BOTH || layout == MG_LAYOUT_FOLDER) {
			mg_context_migdir_put(ctx, d);
			d = NULL;
		}
		if (layout == MG_LAYOUT_BOTH)
			continue;
		if (!published) {
			err = mg_context_published(&published, ctx);
			if (err < 0)
				goto out;
		}
		if (layout == MG_LAYOUT_FOLDER) {
			err = mg_journal_check_folder_project(r, ctx, p,
							      published, &o);
			if (err < 0)
				goto out;
			continue;
		}
		if (!d)
			err = mg_context_migdir(&d, ctx, p);
		if (err < 0)
			goto out;
		err = mg_context_migdir_at(&pd, ctx, published, p);
		if (err < 0)
			goto out;
		/*
		 * Published for another database (a project that moved to
		 * PostgreSQL and generated its migrations again): nothing of
		 * it was applied to PostgreSQL, nothing is published.
		 */
		if (pd && other_dialect(pd)) {
			mg_context_migdir_put(ctx, pd);
			pd = NULL;
		}
		err = mg_journal_check_dir(r, d, p, pd, &o);
		if (err < 0)
			goto out;
		mg_context_migdir_put(ctx, pd);
		pd = NULL;
		mg_context_migdir_put(ctx, d);
		d = NULL;
	}
out:
	mg_context_migdir_put(ctx, pd);
	mg_context_migdir_put(ctx, d);
	return err;
}

int mg_journal_check(struct mg_report *r, struct mg_context *ctx)
{
	struct mg_journal_options opts;

	mg_journal_options_init(&opts);
	opts.now_ms = (long long)time(NULL) * 1000;
	return mg_journal_check_with(r, ctx, &opts);
}

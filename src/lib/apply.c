#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "migguard/apply.h"
#include "migguard/lint.h"
#include "migguard/sha256.h"
#include "migguard/srcmap.h"
#include "migguard/strbuf.h"

/* What one run holds; released by run_release. */
struct run {
	struct mg_report *r;
	struct mg_apply_result *res;
	const struct mg_apply_request *req;
	const char *schema, *table;
	char *qtable; /* "schema"."table" */
	struct mg_pg *conn;
	int in_transaction;
	struct mg_apply_entry *entries;
	char **sql_paths;    /* display paths, per entry (or folder) */
	size_t sql_paths_nr;
	char *journal_path;  /* display path */
	struct mg_apply_row *rows;
	size_t rows_nr;
	unsigned char *pending;
	/* The folder layout: the folders holding migration.sql. */
	struct mg_apply_folder *folders;
	struct mg_folder_migration **fitems; /* each one's migfolder item */
	size_t folders_nr;
	char *dir_path;	     /* display path of the migrations folder */
	size_t *order;	     /* pending folders in the order they run */
	size_t order_nr;
};

void mg_apply_result_release(struct mg_apply_result *res)
{
	size_t i;

	free(res->target);
	for (i = 0; i < res->upgrade_nr; i++)
		free(res->upgrade[i].name);
	free(res->upgrade);
	for (i = 0; i < res->run_nr; i++)
		free(res->run[i]);
	free(res->run);
	memset(res, 0, sizeof(*res));
}

int64_t mg_apply_lock_key(void)
{
	static const char name[] = "migguard-apply";
	unsigned char digest[MG_SHA256_SIZE];
	struct mg_sha256 ctx;
	uint64_t key = 0;
	unsigned i;

	/*
	 * One key for every run on a database, whatever its migrations
	 * table: two tables in one new schema both create the schema, and
	 * the second CREATE SCHEMA IF NOT EXISTS fails on the first's
	 * uncommitted row. Advisory locks are per database already.
	 */
	mg_sha256_init(&ctx);
	mg_sha256_update(&ctx, name, sizeof(name));
	mg_sha256_final(&ctx, digest);
	for (i = 0; i < 8; i++)
		key = key << 8 | digest[i];
	return (int64_t)key;
}

void mg_apply_split(struct mg_apply_chunk **out, size_t *nr,
		    const char *sql, size_t len)
{
	static const char marker[] = MG_APPLY_BREAKPOINT;
	const size_t mlen = sizeof(marker) - 1;
	struct mg_apply_chunk *chunks = NULL;
	size_t n = 0, alloc = 0, start = 0, i = 0;

	/* JavaScript's String.split: every marker, left to right. */
	while (i + mlen <= len) {
		if (memcmp(sql + i, marker, mlen)) {
			i++;
			continue;
		}
		n++;
		MG_ALLOC_GROW(chunks, n, alloc);
		chunks[n - 1].offset = start;
		chunks[n - 1].len = i - start;
		i += mlen;
		start = i;
	}
	n++;
	MG_ALLOC_GROW(chunks, n, alloc);
	chunks[n - 1].offset = start;
	chunks[n - 1].len = len - start;
	*out = chunks;
	*nr = n;
}

static size_t utf8_next(const char *s, size_t i, size_t end)
{
	i++;
	while (i < end && ((unsigned char)s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

/* First byte of a chunk that is not blank or inside a comment. */
static size_t skip_blank_and_comments(const char *s, size_t i, size_t end)
{
	while (i < end) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r' || s[i] == '\f') {
			i++;
		} else if (i + 1 < end && s[i] == '-' && s[i + 1] == '-') {
			while (i < end && s[i] != '\n')
				i++;
		} else if (i + 1 < end && s[i] == '/' && s[i + 1] == '*') {
			const char *close = NULL;
			size_t j;

			for (j = i + 2; j + 1 < end; j++) {
				if (s[j] == '*' && s[j + 1] == '/') {
					close = s + j;
					break;
				}
			}
			if (!close)
				return i;
			i = (size_t)(close - s) + 2;
		} else {
			break;
		}
	}
	return i;
}

size_t mg_apply_error_offset(const char *sql, size_t len,
			     const struct mg_apply_chunk *chunk,
			     unsigned position)
{
	size_t end = chunk->offset + chunk->len, i = chunk->offset;
	unsigned c;

	if (end > len)
		end = len;
	if (!position) {
		i = skip_blank_and_comments(sql, i, end);
		return i < end ? i : chunk->offset;
	}
	for (c = 1; c < position && i < end; c++)
		i = utf8_next(sql, i, end);
	return i;
}

size_t mg_apply_check_text(const char *sql, size_t len)
{
	size_t valid = mg_utf8_valid_prefix(sql, len);
	const char *nul = memchr(sql, '\0', valid);

	if (nul)
		return (size_t)(nul - sql) + 1;
	return valid < len ? valid + 1 : 0;
}

static const struct mg_apply_entry *entry_by_hash(
	const struct mg_apply_entry *entries, size_t nr, const char *hash,
	size_t *index)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (hash && !strcmp(entries[i].hash, hash)) {
			*index = i;
			return &entries[i];
		}
	}
	return NULL;
}

static const struct mg_apply_entry *entry_by_when(
	const struct mg_apply_entry *entries, size_t nr, long long when,
	size_t *index)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (entries[i].when == when) {
			*index = i;
			return &entries[i];
		}
	}
	return NULL;
}

static const char short_hash_fmt[] = "%.12s";

/* What a finding calls a row: its hash's first 12 digits, its id. */
static void row_labels(const struct mg_apply_row *row, char *hash,
		       size_t hash_size, char *id, size_t id_size)
{
	snprintf(hash, hash_size, short_hash_fmt,
		 row->hash ? row->hash : "NULL");
	if (row->id_null)
		snprintf(id, id_size, "NULL");
	else
		snprintf(id, id_size, "%lld", row->id);
}

void mg_apply_analyse(struct mg_report *r, unsigned char *pending,
		      const struct mg_apply_entry *entries, size_t nr,
		      const struct mg_apply_row *rows, size_t rows_nr,
		      const char *journal_path)
{
	unsigned char *applied = mg_xcalloc(nr ? nr : 1, 1);
	long long newest = 0;
	int all_pending = rows_nr == 0;
	size_t i, j;

	/*
	 * drizzle reads "order by created_at desc limit 1": a NULL sorts
	 * first and counts as 0, so then every migration runs again.
	 */
	for (i = 0; i < rows_nr; i++) {
		if (rows[i].created_at_null)
			all_pending = 1;
		else if (rows[i].created_at > newest)
			newest = rows[i].created_at;
	}
	for (i = 0; i < rows_nr; i++) {
		const struct mg_apply_row *row = &rows[i];
		const struct mg_apply_entry *e = NULL;
		char short_hash[16], id[32];

		row_labels(row, short_hash, sizeof(short_hash), id,
			   sizeof(id));
		/* A hand-made or foreign table: NULL cells are findings. */
		if (row->id_null)
			mg_report_add(r, "applied-migration-modified",
				journal_path, 0, 0,
				"give the row an id, or recreate the table as "
				"drizzle makes it (id SERIAL PRIMARY KEY)",
				"the migrations table has a row without id "
				"(created_at %s%lld, hash %s): drizzle's "
				"migrator did not write it",
				row->created_at_null ? "NULL, was " : "",
				row->created_at, short_hash);
		if (!row->hash) {
			e = row->created_at_null ? NULL :
			    entry_by_when(entries, nr, row->created_at, &j);
			if (e)
				applied[j] = 1;
			mg_report_add(r, "applied-migration-modified",
				journal_path, e ? e->journal_line : 0, 0,
				"set hash to the sha256 of the migration's "
				"file, or delete the row",
				"the migrations table has a row (id %s%s%s) "
				"without hash: it cannot be checked against "
				"a migration", id, e ? ", migration " : "",
				e ? e->tag : "");
			if (!row->created_at_null)
				continue;
		}
		if (row->created_at_null) {
			e = entry_by_hash(entries, nr, row->hash, &j);
			if (e)
				applied[j] = 1;
			mg_report_add(r, "applied-migration-modified",
				journal_path, e ? e->journal_line : 0, 0,
				"set created_at to the migration's journal "
				"\"when\", or delete the row",
				"the migrations table has a row (id %s%s%s) "
				"without created_at: drizzle's migrator would "
				"run every migration again", id,
				e ? ", migration " : "", e ? e->tag : "");
			continue;
		}
		e = entry_by_when(entries, nr, row->created_at, &j);
		if (e) {
			applied[j] = 1;
			if (row->hash && !strcmp(row->hash, e->hash))
				continue;
			mg_report_add(r, "applied-migration-modified",
				e->sql_path, 0, 0,
				"restore the file as it was applied and put "
				"the change in a new migration",
				"'%s' was changed after it was applied (the "
				"database has hash %s, the file hashes "
				"%.12s): the change will never reach a "
				"database that already applied it", e->tag,
				short_hash, e->hash);
			continue;
		}
		e = entry_by_hash(entries, nr, row->hash, &j);
		if (e && !applied[j]) {
			applied[j] = 1;
			mg_report_add(r, "applied-migration-modified",
				journal_path, e->journal_line, 0,
				"restore its \"when\" in the journal",
				"'%s' was applied with when %lld, but the "
				"journal now says %lld", e->tag,
				row->created_at, e->when);
			continue;
		}
		/*
		 * 0.45 compares only the newest created_at: such a row is
		 * ignored (or, when it is the newest, skips later entries).
		 */
		mg_report_add(r, "applied-migration-missing", journal_path,
			0, 0,
			"restore the migration, or, if the database has "
			"migrations of another branch, recreate the local "
			"database and apply from zero",
			"the database has an applied migration (id %s, "
			"created_at %lld, hash %s) that no journal entry "
			"matches", id, row->created_at, short_hash);
	}
	for (i = 0; i < nr; i++) {
		const struct mg_apply_entry *e = &entries[i];

		pending[i] = all_pending || e->when > newest;
		if (pending[i] || applied[i])
			continue;
		{
			char hint[256];

			snprintf(hint, sizeof(hint),
				 "generate it again on top of the newest "
				 "migration, or set its \"when\" after %lld in "
				 "the journal", newest);
			mg_report_add(r, "migration-would-be-skipped",
				journal_path, e->journal_line, 0, hint,
				"'%s' is not applied and its when (%lld) is "
				"not after the newest applied one (%lld): "
				"drizzle's migrator would skip it and report "
				"success", e->tag, e->when, newest);
		}
	}
	free(applied);
}

/* ------------------------------------------- the folder layout (rc.5) --- */

/* rc.5's sort in the upgrade run: millis, then localeCompare of names. */
struct sort_key {
	long long millis;
	const char *name;
	size_t index;
};

static int cmp_millis_name(const void *a_, const void *b_)
{
	const struct sort_key *a = a_, *b = b_;

	if (a->millis != b->millis)
		return a->millis < b->millis ? -1 : 1;
	return mg_folder_name_cmp(a->name, b->name);
}

/* Indexes of folders sorted as rc.5 sorts them when it upgrades. */
static size_t *by_millis_name(const struct mg_apply_folder *folders,
			      size_t nr)
{
	struct sort_key *keys = mg_xcalloc(nr ? nr : 1, sizeof(*keys));
	size_t *idx = mg_xcalloc(nr ? nr : 1, sizeof(*idx));
	size_t i;

	for (i = 0; i < nr; i++) {
		keys[i].millis = folders[i].millis;
		keys[i].name = folders[i].name;
		keys[i].index = i;
	}
	if (nr > 1)
		qsort(keys, nr, sizeof(*keys), cmp_millis_name);
	for (i = 0; i < nr; i++)
		idx[i] = keys[i].index;
	free(keys);
	return idx;
}

/*
 * rc.5: String(created_at), the last three characters replaced by "000",
 * read as a number. NULL reads "null": NaN, which no folder has (a folder
 * without 14 digits is refused before this).
 */
static int row_second(const struct mg_apply_row *row, long long *second)
{
	char text[32];
	size_t n;

	if (row->created_at_null)
		return 0;
	n = (size_t)snprintf(text, sizeof(text), "%lld", row->created_at);
	/* substring(0, n - 3): nothing left is "" + "000", 0 ("-" too). */
	if (n <= 3) {
		*second = 0;
		return 1;
	}
	text[n - 3] = '\0';
	*second = strtoll(text, NULL, 10) * 1000;
	return 1;
}

size_t mg_apply_upgrade_match(size_t *match,
			      const struct mg_apply_folder *folders,
			      size_t nr, const struct mg_apply_row *rows,
			      size_t rows_nr)
{
	size_t *order = by_millis_name(folders, nr);
	size_t i, k, unmatched = 0;

	for (i = 0; i < rows_nr; i++) {
		const struct mg_apply_row *row = &rows[i];
		size_t candidates = 0, by_hash = (size_t)-1;
		size_t first_hash = (size_t)-1, only = (size_t)-1;
		long long second = 0;
		int has_second = row_second(row, &second);

		for (k = 0; k < nr; k++) {
			const struct mg_apply_folder *f = &folders[order[k]];
			int same_hash = row->hash && !strcmp(f->hash, row->hash);

			/* byHash: a Map set in order, so the last one wins. */
			if (same_hash)
				by_hash = order[k];
			if (!has_second || f->millis != second)
				continue;
			candidates++;
			only = order[k];
			if (same_hash && first_hash == (size_t)-1)
				first_hash = order[k];
		}
		if (candidates == 1)
			match[i] = only;
		else if (candidates > 1)
			match[i] = first_hash;
		else
			match[i] = by_hash;
		unmatched += match[i] == (size_t)-1;
	}
	free(order);
	return unmatched;
}

static const struct mg_apply_folder *folder_by_name(
	const struct mg_apply_folder *folders, size_t nr, const char *name,
	size_t *index)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (!strcmp(folders[i].name, name)) {
			*index = i;
			return &folders[i];
		}
	}
	return NULL;
}

/* The first folder with this hash that no row names, or NULL. */
static const struct mg_apply_folder *unnamed_by_hash(
	const struct mg_apply_folder *folders, size_t nr,
	const unsigned char *named, const char *hash)
{
	size_t i;

	for (i = 0; hash && i < nr; i++)
		if (!named[i] && !strcmp(folders[i].hash, hash))
			return &folders[i];
	return NULL;
}

void mg_apply_folder_analyse(struct mg_report *r, unsigned char *pending,
			     const struct mg_apply_folder *folders, size_t nr,
			     const struct mg_apply_row *rows, size_t rows_nr,
			     const char *dir_path)
{
	unsigned char *named = mg_xcalloc(nr ? nr : 1, 1);
	size_t i, j;

	/* rc.5: pending = every folder whose name is not in the table. */
	for (i = 0; i < rows_nr; i++)
		if (rows[i].name && folder_by_name(folders, nr, rows[i].name,
						   &j))
			named[j] = 1;
	for (i = 0; i < rows_nr; i++) {
		const struct mg_apply_row *row = &rows[i];
		const struct mg_apply_folder *f, *again;
		char short_hash[16], id[32];

		row_labels(row, short_hash, sizeof(short_hash), id,
			   sizeof(id));
		if (!row->name) {
			/* getMigrationsToRun drops NULL names. */
			again = unnamed_by_hash(folders, nr, named, row->hash);
			if (again)
				mg_report_add(r, "applied-migration-modified",
					again->sql_path, 0, 0,
					"set the row's name to the folder's "
					"name, or delete the row",
					"the migrations table has a row (id "
					"%s, hash %s) without name: drizzle's "
					"migrator does not count it, and runs "
					"'%s', which has its hash, again", id,
					short_hash, again->name);
			else
				mg_report_add(r, "applied-migration-modified",
					dir_path, 0, 0,
					"set the row's name to its migration "
					"folder's name, or delete the row",
					"the migrations table has a row (id "
					"%s, hash %s) without name: drizzle's "
					"migrator does not count it", id,
					short_hash);
			continue;
		}
		f = folder_by_name(folders, nr, row->name, &j);
		if (f) {
			if (row->hash && !strcmp(row->hash, f->hash))
				continue;
			mg_report_add(r, "applied-migration-modified",
				f->sql_path, 0, 0,
				"restore the file as it was applied and put "
				"the change in a new migration",
				"'%s' was changed after it was applied (the "
				"database has hash %s, the file hashes "
				"%.12s): drizzle's migrator never compares "
				"them, so the change will never reach a "
				"database that already applied it", f->name,
				short_hash, f->hash);
			continue;
		}
		again = unnamed_by_hash(folders, nr, named, row->hash);
		if (again) {
			char *hint = mg_xstrfmt(
				"rename the folder back to '%s' (or, if the "
				"new name is meant, set name = '%s' in row "
				"%s)", row->name, again->name, id);

			mg_report_add(r, "applied-migration-missing",
				again->sql_path, 0, 0, hint,
				"'%s' was applied (row id %s) and its folder "
				"is gone, but '%s' holds the same "
				"migration.sql: a renamed folder, which "
				"drizzle's migrator runs again as a new one "
				"(a statement that cannot run twice fails the "
				"run, others leave a second row with the same "
				"hash)", row->name, id, again->name);
			free(hint);
			continue;
		}
		mg_report_add(r, "applied-migration-missing", dir_path, 0, 0,
			"restore the folder (git log --diff-filter=D names "
			"the commit that removed it), or, if the database "
			"has migrations of another branch, recreate the "
			"local database and apply from zero",
			"'%s' was applied (row id %s, hash %s) but its "
			"folder is gone: drizzle's migrator says nothing, and "
			"the database keeps what it did", row->name, id,
			short_hash);
	}
	for (i = 0; i < nr; i++)
		pending[i] = !named[i];
	free(named);
}

size_t mg_apply_folder_order(size_t *order,
			     const struct mg_apply_folder *folders, size_t nr,
			     const unsigned char *pending, int upgrading)
{
	size_t *sorted = upgrading ? by_millis_name(folders, nr) : NULL;
	size_t i, n = 0;

	for (i = 0; i < nr; i++) {
		size_t k = sorted ? sorted[i] : i;

		if (pending[k])
			order[n++] = k;
	}
	free(sorted);
	return n;
}

/* drizzle-kit 1.0's `up`: folder YYYYMMDDHHMMSS_<tag after its '_'>. */
static char *folder_name(const struct mg_apply_entry *e)
{
	time_t secs = (time_t)(e->when / 1000);
	const char *rest = strchr(e->tag, '_');
	struct tm tm;
	char stamp[32];

	if (!gmtime_r(&secs, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
	return mg_xstrfmt("%s_%s", stamp, rest ? rest + 1 : "");
}

static int aborted(const struct run *run)
{
	const struct mg_apply_hooks *h = run->req->hooks;

	return h && h->aborted && h->aborted(h->ctx);
}

static int exec(struct run *run, const char *sql)
{
	struct mg_pg_diag e;
	int err = mg_pg_exec(run->conn, sql, &e);

	if (err < 0) {
		mg_error_set("%s", e.message);
		mg_pg_diag_release(&e);
	}
	return err;
}

static void rollback(struct run *run)
{
	if (!run->in_transaction)
		return;
	run->in_transaction = 0;
	mg_pg_exec(run->conn, "ROLLBACK", NULL);
}

static void rows_release(struct run *run)
{
	size_t i;

	for (i = 0; i < run->rows_nr; i++) {
		free(run->rows[i].hash);
		free(run->rows[i].name);
	}
	free(run->rows);
	run->rows = NULL;
	run->rows_nr = 0;
}

static void run_release(struct run *run)
{
	const struct mg_apply_hooks *h = run->req->hooks;
	size_t i;

	if (run->conn) {
		char *saved = mg_xstrdup(mg_error_last());

		rollback(run);
		if (h && h->set_cancel)
			h->set_cancel(h->ctx, NULL);
		mg_pg_free(run->conn);
		mg_error_set("%s", saved);
		free(saved);
	}
	rows_release(run);
	for (i = 0; i < run->sql_paths_nr; i++)
		free(run->sql_paths[i]);
	free(run->sql_paths);
	free(run->entries);
	free(run->journal_path);
	free(run->qtable);
	free(run->pending);
	free(run->folders);
	free(run->fitems);
	free(run->dir_path);
	free(run->order);
}

static char *display_path(const struct mg_apply_request *req,
			  const char *path)
{
	if (!req->path_prefix || !*req->path_prefix)
		return mg_xstrdup(path);
	return mg_path_join(req->path_prefix, path);
}

/* Read every entry's file, hash it; findings for unusable text. */
static int load_entries(struct run *run, int *blocked)
{
	struct mg_migdir *d = run->req->migdir;
	size_t i;

	if (d->journal_state == MG_ENOTFOUND)
		return mg_error_set("no journal at '%s': is '%s' a drizzle "
				    "migrations folder?", run->journal_path,
				    d->path);
	if (d->journal_state < 0 || !d->journal)
		return mg_error_set("'%s' is invalid: %s (migguard-journal "
				    "says more)", run->journal_path,
				    d->journal_error ? d->journal_error : "");
	run->entries = mg_xcalloc(d->nr ? d->nr : 1, sizeof(*run->entries));
	run->sql_paths = mg_xcalloc(d->nr ? d->nr : 1, sizeof(char *));
	run->sql_paths_nr = d->nr;
	for (i = 0; i < d->nr; i++) {
		struct mg_migration *m = &d->items[i];
		struct mg_apply_entry *e = &run->entries[i];
		const char *sql;
		size_t len, bad;

		if (!m->tag || !m->sql_path || m->when < 0)
			return mg_error_set("%s:%u: journal entry %zu has no "
					    "usable tag or when",
					    run->journal_path, m->line, i);
		run->sql_paths[i] = display_path(run->req, m->sql_path);
		e->tag = m->tag;
		e->when = m->when;
		e->sql_path = run->sql_paths[i];
		e->journal_line = m->line;
		if (mg_migdir_sql(d, m, &sql, &len) < 0)
			return mg_error_set("'%s' is missing or unreadable: "
					    "drizzle's migrator stops there "
					    "too", run->sql_paths[i]);
		bad = mg_apply_check_text(sql, len);
		if (bad) {
			struct mg_srcmap map;
			unsigned line, col;

			mg_srcmap_init(&map, sql, len);
			mg_srcmap_locate(&map, bad - 1, &line, &col);
			mg_srcmap_release(&map);
			mg_report_add(run->r, "apply-failed", e->sql_path,
				line, col,
				"save the file as UTF-8 without NUL bytes",
				"'%s' is not valid UTF-8 text: drizzle would "
				"hash and run a different text", m->tag);
			*blocked = 1;
		}
		mg_sha256_hex(e->hash, sql, len);
	}
	return 0;
}

/*
 * A pending migration with COMMIT, ROLLBACK, BEGIN, SAVEPOINT... would
 * break the one transaction: lint's transaction-control findings, and
 * nothing runs.
 */
static int refuse_transaction_control(struct run *run)
{
	struct mg_migdir *d = run->req->migdir;
	const char *sql;
	size_t i, len;
	int err;

	for (i = 0; i < d->nr; i++) {
		if (!run->pending[i] ||
		    mg_migdir_sql(d, &d->items[i], &sql, &len) < 0)
			continue;
		err = mg_lint_transaction_control(run->r,
						  run->entries[i].sql_path,
						  sql, len);
		if (err < 0)
			return err;
	}
	return 0;
}

static int read_state(struct run *run)
{
	struct mg_pg_rows rows;
	struct mg_pg_diag pe;
	const char *params[1];
	char *sql = NULL;
	size_t i;
	int err;

	memset(&rows, 0, sizeof(rows));
	params[0] = run->qtable;
	err = mg_pg_query(run->conn, &rows,
		"select 1 from pg_catalog.pg_attribute where attrelid = "
		"to_regclass($1) and attname = 'name' and attnum > 0 and not "
		"attisdropped", 1, params, NULL);
	if (err < 0)
		goto out;
	run->res->has_name_column = rows.nr > 0;
	mg_pg_rows_release(&rows);
	sql = mg_xstrfmt("select id, hash, created_at%s from %s order by id",
			 run->res->has_name_column ? ", name" : "",
			 run->qtable);
	err = mg_pg_query(run->conn, &rows, sql, 0, NULL, &pe);
	if (err < 0) {
		err = mg_error_set("cannot read %s: %s", run->qtable,
				   pe.message);
		mg_pg_diag_release(&pe);
		goto out;
	}
	run->rows = mg_xcalloc(rows.nr ? rows.nr : 1, sizeof(*run->rows));
	run->rows_nr = rows.nr;
	for (i = 0; i < rows.nr; i++) {
		struct mg_apply_row *row = &run->rows[i];
		const char *created = mg_pg_rows_get(&rows, i, 2);
		const char *name = mg_pg_rows_get(&rows, i, 3);
		const char *hash = mg_pg_rows_get(&rows, i, 1);
		const char *id = mg_pg_rows_get(&rows, i, 0);

		/* Any cell may be NULL in a table drizzle did not make. */
		row->id_null = !id;
		row->id = id ? strtoll(id, NULL, 10) : 0;
		row->hash = hash ? mg_xstrdup(hash) : NULL;
		row->created_at_null = !created;
		/* numeric (pg-proxy) reads as "123.0": the integer part. */
		row->created_at = created ? strtoll(created, NULL, 10) : 0;
		row->name = name ? mg_xstrdup(name) : NULL;
	}
out:
	mg_pg_rows_release(&rows);
	free(sql);
	return err;
}

static int count_rows(struct run *run, size_t *count)
{
	struct mg_pg_rows rows;
	char *sql = mg_xstrfmt("select count(*) from %s", run->qtable);
	int err = mg_pg_query(run->conn, &rows, sql, 0, NULL, NULL);

	if (err >= 0) {
		const char *v = mg_pg_rows_get(&rows, 0, 0);

		*count = v ? (size_t)strtoull(v, NULL, 10) : 0;
	}
	mg_pg_rows_release(&rows);
	free(sql);
	return err;
}

/* One migration to run and record, whichever layout it comes from. */
struct unit {
	const char *tag;      /* journal tag or folder name, for messages */
	const char *sql_path; /* display path */
	const char *sql;      /* its bytes */
	size_t len;
	const char *hash;
	long long created_at;
	const char *name;     /* the "name" cell, or NULL for none */
};

/*
 * A statement failed. A lost connection or an abort cannot run (< 0);
 * anything else is an apply-failed finding at the statement (0).
 */
static int statement_failed(struct run *run, const struct unit *u,
			    const struct mg_apply_chunk *chunk,
			    struct mg_pg_diag *pe)
{
	struct mg_strbuf hint = MG_STRBUF_INIT;
	struct mg_srcmap map;
	unsigned line, col;
	size_t off;
	int err = 0;

	if (aborted(run)) {
		err = mg_error_set("interrupted while applying '%s': rolled "
				   "back, nothing was applied", u->tag);
		goto out;
	}
	if (pe->connection_lost) {
		err = mg_error_set("lost the connection while applying '%s' "
				   "(%s): nothing was committed", u->tag,
				   pe->message);
		goto out;
	}
	off = mg_apply_error_offset(u->sql, u->len, chunk, pe->position);
	mg_srcmap_init(&map, u->sql, u->len);
	mg_srcmap_locate(&map, off, &line, &col);
	mg_srcmap_release(&map);
	mg_strbuf_init(&hint);
	if (pe->detail)
		mg_strbuf_addf(&hint, "%s; ", pe->detail);
	if (pe->hint)
		mg_strbuf_addf(&hint, "%s; ", pe->hint);
	mg_strbuf_addf(&hint, "nothing was applied: the %zu pending "
		       "migration%s ran in one transaction, rolled back",
		       run->res->pending, run->res->pending == 1 ? "" : "s");
	mg_report_add(run->r, "apply-failed", u->sql_path, line, col,
		      hint.buf, "%s", pe->message);
out:
	mg_strbuf_release(&hint);
	return err;
}

/* Run one migration's chunks and record it. 1 when a statement failed. */
static int run_unit(struct run *run, const struct unit *u)
{
	struct mg_apply_chunk *chunks = NULL;
	struct mg_pg_diag pe;
	const char *params[3];
	char when[32], *insert = NULL;
	size_t nr = 0, i;
	int err = 0;

	memset(&pe, 0, sizeof(pe));
	mg_apply_split(&chunks, &nr, u->sql, u->len);
	for (i = 0; i < nr; i++) {
		char *text;

		if (aborted(run)) {
			err = mg_error_set("interrupted before '%s': rolled "
					   "back, nothing was applied",
					   u->tag);
			goto out;
		}
		text = mg_xstrndup(u->sql + chunks[i].offset, chunks[i].len);
		err = mg_pg_exec(run->conn, text, &pe);
		free(text);
		if (err < 0) {
			err = statement_failed(run, u, &chunks[i], &pe);
			if (err == 0)
				err = 1;
			goto out;
		}
	}
	snprintf(when, sizeof(when), "%lld", u->created_at);
	params[0] = u->hash;
	params[1] = when;
	params[2] = u->name;
	insert = mg_xstrfmt("insert into %s (\"hash\", \"created_at\"%s) "
			    "values($1, $2%s)", run->qtable,
			    u->name ? ", \"name\"" : "", u->name ? ", $3" : "");
	{
		struct mg_pg_rows rows;

		err = mg_pg_query(run->conn, &rows, insert, u->name ? 3 : 2,
				  params, &pe);
		mg_pg_rows_release(&rows);
	}
	if (err < 0) {
		err = mg_error_set("cannot record '%s' in %s: %s", u->tag,
				   run->qtable, pe.message);
		goto out;
	}
	run->res->applied_now++;
out:
	mg_pg_diag_release(&pe);
	free(insert);
	free(chunks);
	return err;
}

/* A journal entry: 1 when a statement failed. */
static int apply_one(struct run *run, size_t idx)
{
	struct mg_migration *m = &run->req->migdir->items[idx];
	const struct mg_apply_entry *e = &run->entries[idx];
	struct unit u;
	char *name = NULL;
	int err;

	memset(&u, 0, sizeof(u));
	err = mg_migdir_sql(run->req->migdir, m, &u.sql, &u.len);
	if (err < 0)
		return err;
	u.tag = e->tag;
	u.sql_path = e->sql_path;
	u.hash = e->hash;
	u.created_at = e->when;
	if (run->res->has_name_column) {
		name = folder_name(e);
		u.name = name;
	}
	err = run_unit(run, &u);
	free(name);
	return err;
}

static size_t error_count(const struct mg_report *r)
{
	size_t errors, warnings;

	mg_report_count(r, &errors, &warnings);
	return errors;
}

/*
 * BEGIN, the lock, CREATE SCHEMA, and, for the journal layout (table_045),
 * 0.45's CREATE TABLE.
 */
static int begin_locked(struct run *run, int table_045)
{
	char key[32], *sql = NULL, *qschema = NULL;
	const char *params[1];
	struct mg_pg_rows rows;
	int err;

	err = exec(run, "BEGIN");
	if (err < 0)
		goto out;
	run->in_transaction = 1;
	/* Serialise runs on this database before creating anything. */
	snprintf(key, sizeof(key), "%lld", (long long)mg_apply_lock_key());
	params[0] = key;
	err = mg_pg_query(run->conn, &rows,
			  "select pg_advisory_xact_lock($1::bigint)", 1,
			  params, NULL);
	mg_pg_rows_release(&rows);
	if (err < 0)
		goto out;
	/* drizzle's DDL, here inside the transaction: a failure undoes it. */
	qschema = mg_pg_quote_ident(run->schema);
	sql = mg_xstrfmt("CREATE SCHEMA IF NOT EXISTS %s", qschema);
	err = exec(run, sql);
	if (err < 0 || !table_045)
		goto out;
	free(sql);
	sql = mg_xstrfmt("CREATE TABLE IF NOT EXISTS %s (\n"
			 "\t\t\tid SERIAL PRIMARY KEY,\n"
			 "\t\t\thash text NOT NULL,\n"
			 "\t\t\tcreated_at bigint\n"
			 "\t\t)", run->qtable);
	err = exec(run, sql);
out:
	free(sql);
	free(qschema);
	return err;
}

static int finish(struct run *run, size_t errors_before)
{
	const struct mg_apply_request *req = run->req;
	int err;

	if (error_count(run->r) > errors_before ||
	    req->mode != MG_APPLY_COMMIT) {
		rollback(run);
		return 0;
	}
	err = exec(run, "COMMIT");
	run->in_transaction = 0;
	if (err < 0)
		return mg_error_set("COMMIT failed (%s): run again to see "
				    "what was applied", mg_error_last());
	run->res->committed = run->res->ran;
	return 0;
}

/* ------------------------------------------- a run on the folder layout --- */

static void locate_bad_text(const char *sql, size_t len, size_t bad,
			    unsigned *line, unsigned *col)
{
	struct mg_srcmap map;

	mg_srcmap_init(&map, sql, len);
	mg_srcmap_locate(&map, bad - 1, line, col);
	mg_srcmap_release(&map);
}

/*
 * The folders rc.5's migrator runs (those holding migration.sql), read
 * and hashed; findings for what it would choke on or mis-hash, which
 * block the run before any connection.
 */
static int load_folders(struct run *run, int *blocked)
{
	struct mg_migfolder *f = run->req->migfolder;
	size_t i, n = 0;

	run->folders = mg_xcalloc(f->nr ? f->nr : 1, sizeof(*run->folders));
	run->fitems = mg_xcalloc(f->nr ? f->nr : 1, sizeof(*run->fitems));
	run->sql_paths = mg_xcalloc(f->nr ? f->nr : 1, sizeof(char *));
	for (i = 0; i < f->nr; i++) {
		struct mg_folder_migration *m = &f->items[i];
		struct mg_apply_folder *af = &run->folders[n];
		const char *sql;
		size_t len, bad;

		/* A snapshot without migration.sql: rc.5 never runs it. */
		if (!m->sql_path)
			continue;
		run->fitems[n] = m;
		run->sql_paths[n] = display_path(run->req, m->sql_path);
		run->sql_paths_nr = ++n;
		run->folders_nr = n;
		af->name = m->name;
		af->millis = m->millis;
		af->sql_path = run->sql_paths[n - 1];
		if (mg_migfolder_sql(f, m, &sql, &len) < 0)
			return mg_error_set("'%s' is unreadable: drizzle's "
					    "migrator stops there too",
					    af->sql_path);
		bad = mg_apply_check_text(sql, len);
		if (bad) {
			unsigned line, col;

			locate_bad_text(sql, len, bad, &line, &col);
			mg_report_add(run->r, "apply-failed", af->sql_path,
				line, col,
				"save the file as UTF-8 without NUL bytes",
				"'%s' is not valid UTF-8 text: drizzle would "
				"hash and run a different text", m->name);
			*blocked = 1;
		}
		if (m->millis < 0) {
			/* formatToMillis: NaN, and the insert fails. */
			mg_report_add(run->r, "apply-failed", af->sql_path,
				0, 0,
				"rename the folder to <YYYYMMDDHHMMSS>_<name> "
				"(the UTC time, as drizzle-kit generate names "
				"folders), later than the folders it must "
				"follow",
				"migration folder '%s' does not start with 14 "
				"digits (YYYYMMDDHHMMSS): drizzle's migrator "
				"reads its created_at as NaN, and recording it "
				"fails the whole run (invalid input syntax for "
				"type bigint: \"NaN\")", m->name);
			*blocked = 1;
		}
		mg_sha256_hex(af->hash, sql, len);
	}
	run->res->expected = n;
	return 0;
}

/* "YYYYMMDDHHMMSS" of epoch milliseconds, UTC (what up names a folder). */
static void utc_stamp(char *stamp, size_t size, long long millis)
{
	time_t secs = (time_t)(millis / 1000);
	struct tm tm;

	if (millis < 0 || !gmtime_r(&secs, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(stamp, size, "%Y%m%d%H%M%S", &tm);
}

/*
 * rc.5's upToV1 on a table 0.45 wrote: every row matched to a folder,
 * else nothing changes (applied-migration-missing findings, as rc.5
 * refuses); then the two columns and a name per row, as rc.5 writes them.
 */
static int folder_upgrade(struct run *run)
{
	struct mg_apply_result *res = run->res;
	struct mg_strbuf ids = MG_STRBUF_INIT;
	struct mg_pg_diag pe;
	size_t *match = NULL, unmatched, i;
	char *sql = NULL;
	int err;

	memset(&pe, 0, sizeof(pe));
	err = read_state(run);
	if (err < 0)
		goto out;
	match = mg_xcalloc(run->rows_nr ? run->rows_nr : 1, sizeof(*match));
	unmatched = mg_apply_upgrade_match(match, run->folders,
					   run->folders_nr, run->rows,
					   run->rows_nr);
	mg_strbuf_init(&ids);
	for (i = 0; i < run->rows_nr; i++) {
		if (match[i] != (size_t)-1)
			continue;
		if (ids.len)
			mg_strbuf_adds(&ids, ", ");
		if (run->rows[i].id_null)
			mg_strbuf_adds(&ids, "null");
		else
			mg_strbuf_addf(&ids, "%lld", run->rows[i].id);
	}
	for (i = 0; i < run->rows_nr; i++) {
		const struct mg_apply_row *row = &run->rows[i];
		char stamp[32], id[32], *hint;

		if (match[i] != (size_t)-1)
			continue;
		if (row->id_null)
			snprintf(id, sizeof(id), "NULL");
		else
			snprintf(id, sizeof(id), "%lld", row->id);
		utc_stamp(stamp, sizeof(stamp), row->created_at);
		hint = mg_xstrfmt("restore the migration's folder (`drizzle-kit "
				  "up` names it %s_<tag without its number>), "
				  "or, if the database has migrations of "
				  "another branch, recreate the local database "
				  "and apply from zero", stamp);
		mg_report_add(run->r, "applied-migration-missing",
			run->dir_path, 0, 0, hint,
			"row id %s of %s (created_at %s%lld, hash %.12s), "
			"written by drizzle-orm 0.45, matches no migration "
			"folder: drizzle's migrator refuses to upgrade the "
			"table and changes nothing (\"we found %zu "
			"migrations (ids: %s) in the database that do not "
			"match any local migration\")", id, run->qtable,
			row->created_at_null ? "NULL, read as " : "",
			row->created_at, row->hash ? row->hash : "NULL",
			unmatched, ids.buf);
		free(hint);
	}
	if (unmatched)
		goto out;
	res->upgraded = 1;
	res->upgrade = mg_xcalloc(run->rows_nr ? run->rows_nr : 1,
				  sizeof(*res->upgrade));
	res->upgrade_nr = run->rows_nr;
	for (i = 0; i < run->rows_nr; i++) {
		struct mg_apply_upgrade_row *u = &res->upgrade[i];

		u->id = run->rows[i].id;
		u->id_null = run->rows[i].id_null;
		u->created_at = run->rows[i].created_at;
		u->created_at_null = run->rows[i].created_at_null;
		u->name = mg_xstrdup(run->folders[match[i]].name);
	}
	/* up-migrations/pg.js, statement for statement. */
	sql = mg_xstrfmt("ALTER TABLE %s ADD COLUMN IF NOT EXISTS \"name\" "
			 "text", run->qtable);
	err = exec(run, sql);
	if (err < 0)
		goto out;
	free(sql);
	sql = mg_xstrfmt("ALTER TABLE %s ADD COLUMN IF NOT EXISTS "
			 "\"applied_at\" timestamp with time zone DEFAULT "
			 "now()", run->qtable);
	err = exec(run, sql);
	if (err < 0)
		goto out;
	free(sql);
	sql = mg_xstrfmt("UPDATE %s SET \"name\" = $1, \"applied_at\" = NULL "
			 "WHERE \"id\" = $2", run->qtable);
	for (i = 0; i < run->rows_nr; i++) {
		struct mg_pg_rows rows;
		const char *params[2];
		char id[32];

		snprintf(id, sizeof(id), "%lld", run->rows[i].id);
		params[0] = res->upgrade[i].name;
		params[1] = run->rows[i].id_null ? NULL : id;
		err = mg_pg_query(run->conn, &rows, sql, 2, params, &pe);
		mg_pg_rows_release(&rows);
		if (err < 0) {
			err = mg_error_set("cannot upgrade %s: %s", run->qtable,
					   pe.message);
			goto out;
		}
	}
	run->res->has_name_column = 1;
out:
	mg_pg_diag_release(&pe);
	mg_strbuf_release(&ids);
	free(match);
	free(sql);
	return err;
}

/*
 * The table as rc.5 leaves it before it reads the applied names: made
 * with its five columns when missing, upgraded when 0.45 wrote it.
 */
static int folder_table(struct run *run, int *upgrading)
{
	struct mg_pg_rows rows;
	const char *params[1];
	char *sql = NULL;
	int err, exists, named;

	*upgrading = 0;
	params[0] = run->qtable;
	err = mg_pg_query(run->conn, &rows,
		"select to_regclass($1) is not null, exists (select 1 from "
		"pg_catalog.pg_attribute where attrelid = to_regclass($1) and "
		"attname = 'name' and attnum > 0 and not attisdropped)", 1,
		params, NULL);
	exists = err >= 0 && mg_pg_rows_get(&rows, 0, 0) &&
		 !strcmp(mg_pg_rows_get(&rows, 0, 0), "t");
	named = err >= 0 && mg_pg_rows_get(&rows, 0, 1) &&
		!strcmp(mg_pg_rows_get(&rows, 0, 1), "t");
	mg_pg_rows_release(&rows);
	if (err < 0)
		return err;
	if (exists && named) {
		run->res->has_name_column = 1;
		return 0;
	}
	if (exists) {
		*upgrading = 1;
		return folder_upgrade(run);
	}
	sql = mg_xstrfmt("CREATE TABLE IF NOT EXISTS %s (\n"
			 "\t\t\t\tid SERIAL PRIMARY KEY,\n"
			 "\t\t\t\thash text NOT NULL,\n"
			 "\t\t\t\tcreated_at bigint,\n"
			 "\t\t\t\tname text,\n"
			 "\t\t\t\tapplied_at timestamp with time zone "
			 "DEFAULT now()\n"
			 "\t\t\t)", run->qtable);
	err = exec(run, sql);
	free(sql);
	if (err == 0)
		run->res->has_name_column = 1;
	return err;
}

static int connect_db(struct run *run)
{
	const struct mg_apply_hooks *h = run->req->hooks;
	int err;

	err = mg_pg_connect(&run->conn, run->req->conninfo, run->req->dbname,
			    run->req->allow_remote);
	if (err < 0) {
		run->res->unreachable = 1;
		return err;
	}
	if (h && h->set_cancel)
		h->set_cancel(h->ctx, mg_pg_cancel_handle(run->conn));
	return 0;
}

/* A run cut short by a signal says so, whatever failed first. */
static int lost(struct run *run, int err)
{
	if (aborted(run) && strncmp(mg_error_last(), "interrupted", 11))
		return mg_error_set("interrupted: rolled back, nothing was "
				    "applied");
	return err;
}

static int folder_run(struct run *run, size_t errors_before)
{
	struct mg_apply_result *res = run->res;
	struct mg_migfolder *f = run->req->migfolder;
	const char *sql;
	size_t i, len;
	int err, blocked = 0, upgrading = 0;

	/* The folder itself (--migrations DIR outside the work tree: ""). */
	run->dir_path = *f->path || !run->req->path_prefix ?
			display_path(run->req, f->path) :
			mg_xstrdup(run->req->path_prefix);
	err = load_folders(run, &blocked);
	if (err < 0 || blocked)
		return err;
	err = connect_db(run);
	if (err < 0)
		return err;
	err = begin_locked(run, 0);
	if (err == 0)
		err = folder_table(run, &upgrading);
	if (err < 0)
		return lost(run, err);
	if (error_count(run->r) > errors_before) {
		rollback(run);
		return 0;
	}
	rows_release(run);
	err = read_state(run);
	if (err < 0)
		return lost(run, err);
	res->applied_before = run->rows_nr;
	res->applied_after = run->rows_nr;
	res->state_read = 1;
	run->pending = mg_xcalloc(run->folders_nr ? run->folders_nr : 1, 1);
	mg_apply_folder_analyse(run->r, run->pending, run->folders,
				run->folders_nr, run->rows, run->rows_nr,
				run->dir_path);
	run->order = mg_xcalloc(run->folders_nr ? run->folders_nr : 1,
				sizeof(*run->order));
	run->order_nr = mg_apply_folder_order(run->order, run->folders,
					      run->folders_nr, run->pending,
					      upgrading);
	res->pending = run->order_nr;
	res->run = mg_xcalloc(run->order_nr ? run->order_nr : 1,
			      sizeof(*res->run));
	for (i = 0; i < run->order_nr; i++)
		res->run[i] = mg_xstrdup(run->folders[run->order[i]].name);
	res->run_nr = run->order_nr;
	for (i = 0; i < run->order_nr; i++) {
		size_t k = run->order[i];

		if (mg_migfolder_sql(f, run->fitems[k], &sql, &len) < 0)
			continue;
		err = mg_lint_transaction_control(run->r,
						  run->folders[k].sql_path,
						  sql, len);
		if (err < 0) {
			rollback(run);
			return err;
		}
	}
	if (error_count(run->r) > errors_before ||
	    run->req->mode == MG_APPLY_CHECK) {
		rollback(run);
		return 0;
	}
	res->ran = res->pending > 0 || res->upgraded;
	for (i = 0; i < run->order_nr; i++) {
		const struct mg_apply_folder *af = &run->folders[run->order[i]];
		struct unit u;

		memset(&u, 0, sizeof(u));
		err = mg_migfolder_sql(f, run->fitems[run->order[i]], &u.sql,
				       &u.len);
		if (err < 0)
			return err;
		u.tag = af->name;
		u.sql_path = af->sql_path;
		u.hash = af->hash;
		u.created_at = af->millis;
		u.name = af->name;
		err = run_unit(run, &u);
		if (err > 0) {
			rollback(run);
			res->ran = 0;
			return 0;
		}
		if (err < 0)
			return lost(run, err);
	}
	err = count_rows(run, &res->applied_after);
	if (err < 0)
		return lost(run, err);
	if (res->applied_after != res->expected)
		mg_report_add(run->r, "apply-count-mismatch", run->dir_path, 0,
			0, "see the other findings: rows that no migration "
			"folder names, or two rows of one folder",
			"after applying, %s records %zu migration%s but the "
			"folder has %zu", run->qtable, res->applied_after,
			res->applied_after == 1 ? "" : "s", res->expected);
	return finish(run, errors_before);
}

int mg_apply_run(struct mg_report *r, struct mg_apply_result *res,
		 const struct mg_apply_request *req)
{
	struct mg_pg_target target;
	struct run run;
	char *remote = NULL, *qschema = NULL, *qtab = NULL;
	size_t errors_before = error_count(r), i;
	int err, blocked = 0;

	memset(res, 0, sizeof(*res));
	memset(&run, 0, sizeof(run));
	memset(&target, 0, sizeof(target));
	run.r = r;
	run.res = res;
	run.req = req;
	run.schema = req->schema ? req->schema : MG_APPLY_DEFAULT_SCHEMA;
	run.table = req->table ? req->table : MG_APPLY_DEFAULT_TABLE;
	qschema = mg_pg_quote_ident(run.schema);
	qtab = mg_pg_quote_ident(run.table);
	run.qtable = mg_xstrfmt("%s.%s", qschema, qtab);

	/* Where it would connect, judged before any connection. */
	err = mg_pg_target_parse(&target, req->conninfo);
	if (err < 0)
		goto out;
	res->target = mg_pg_target_describe(&target);
	if (!mg_pg_target_is_local(&target, &remote) && !req->allow_remote) {
		res->refused = 1;
		mg_report_add(r, "remote-database-refused", "", 0, 0,
			"pass --allow-remote (or set apply.allowRemote) to "
			"apply to a database on another machine",
			"refusing to connect to '%s'%s%s%s: not a local "
			"database (a unix socket, localhost, 127.0.0.0/8 or "
			"::1)", remote, *target.service ? " (from service '" :
			"", target.service, *target.service ? "')" : "");
		goto out;
	}
	if (req->migfolder) {
		err = folder_run(&run, errors_before);
		goto out;
	}
	run.journal_path = display_path(req, req->migdir->journal_path);
	res->expected = req->migdir->nr;
	err = load_entries(&run, &blocked);
	if (err < 0 || blocked)
		goto out;

	err = connect_db(&run);
	if (err < 0)
		goto out;
	err = begin_locked(&run, 1);
	if (err < 0)
		goto lost;
	err = read_state(&run);
	if (err < 0)
		goto lost;
	res->applied_before = run.rows_nr;
	res->state_read = 1;
	run.pending = mg_xcalloc(req->migdir->nr ? req->migdir->nr : 1, 1);
	mg_apply_analyse(r, run.pending, run.entries, req->migdir->nr,
			 run.rows, run.rows_nr, run.journal_path);
	for (i = 0; i < req->migdir->nr; i++)
		res->pending += run.pending[i];
	res->applied_after = res->applied_before;
	err = refuse_transaction_control(&run);
	if (err < 0) {
		rollback(&run);
		goto out;
	}
	if (error_count(r) > errors_before || req->mode == MG_APPLY_CHECK) {
		rollback(&run);
		goto out;
	}
	res->ran = res->pending > 0;
	for (i = 0; i < req->migdir->nr; i++) {
		if (!run.pending[i])
			continue;
		err = apply_one(&run, i);
		if (err > 0) {
			err = 0;
			rollback(&run);
			res->ran = 0;
			goto out;
		}
		if (err < 0)
			goto lost;
	}
	err = count_rows(&run, &res->applied_after);
	if (err < 0)
		goto lost;
	if (res->applied_after != res->expected)
		mg_report_add(r, "apply-count-mismatch", run.journal_path, 0,
			0, "see the other findings: drizzle's migrator "
			"skipped or repeated migrations",
			"after applying, %s records %zu migration%s but the "
			"journal has %zu", run.qtable, res->applied_after,
			res->applied_after == 1 ? "" : "s", res->expected);
	err = finish(&run, errors_before);
	goto out;
lost:
	err = lost(&run, err);
out:
	run_release(&run);
	mg_pg_target_release(&target);
	free(qschema);
	free(qtab);
	return err < 0 ? err : 0;
}

int mg_apply_fresh_create(char **name, const char *conninfo,
			  int allow_remote)
{
	static unsigned counter;
	struct mg_pg *c = NULL;
	struct timespec ts;
	char *sql = NULL, *candidate = NULL;
	int err;

	*name = NULL;
	err = mg_pg_connect(&c, conninfo, NULL, allow_remote);
	if (err < 0)
		goto out;
	clock_gettime(CLOCK_REALTIME, &ts);
	candidate = mg_xstrfmt("migguard_fresh_%ld_%ld_%u", (long)getpid(),
			       (long)ts.tv_nsec, counter++);
	sql = mg_xstrfmt("CREATE DATABASE \"%s\"", candidate);
	err = mg_pg_exec(c, sql, NULL);
	if (err < 0) {
		err = mg_error_set("cannot create a scratch database: %s",
				   mg_error_last());
		goto out;
	}
	*name = candidate;
	candidate = NULL;
out:
	free(candidate);
	free(sql);
	mg_pg_free(c);
	return err;
}

int mg_apply_fresh_drop(const char *conninfo, const char *name,
			int allow_remote)
{
	struct mg_pg *c = NULL;
	char *sql = NULL, *quoted = mg_pg_quote_ident(name);
	int err;

	err = mg_pg_connect(&c, conninfo, NULL, allow_remote);
	if (err < 0)
		goto out;
	sql = mg_xstrfmt("DROP DATABASE IF EXISTS %s%s", quoted,
			 mg_pg_server_version(c) >= 130000 ? " WITH (FORCE)"
							   : "");
	err = mg_pg_exec(c, sql, NULL);
	if (err < 0)
		err = mg_error_set("cannot drop scratch database '%s': %s",
				   name, mg_error_last());
out:
	free(sql);
	free(quoted);
	mg_pg_free(c);
	return err;
}

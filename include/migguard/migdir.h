/*
 * A drizzle migrations folder as stored in a tree: the journal layout of
 * drizzle-kit 0.31 (<out>/<tag>.sql, <out>/meta/_journal.json,
 * <out>/meta/<prefix>_snapshot.json). Loading is tolerant: a broken journal
 * still gives a migdir (journal == NULL, journal_error set) so checks can
 * report it; files are listed once and read at most once, on demand.
 *
 * The folder layout of drizzle 1.0 (<out>/<name>/migration.sql and
 * snapshot.json, migfolder.h) comes through the same interface: items
 * are then the migration folders in the 1.0 migrator's order, so what
 * asks only "which migrations, which files" need not know the layout.
 */
#ifndef MIGGUARD_MIGDIR_H
#define MIGGUARD_MIGDIR_H

#include <stddef.h>

#include "migguard/json.h"
#include "migguard/migfolder.h"
#include "migguard/strbuf.h"
#include "migguard/tree.h"

struct mg_migdir_path;

/* What the snapshot chain needs of a snapshot, kept without the rest. */
struct mg_snapshot_fields {
	char *id, *prev_id; /* NULL when absent or not a string */
	char *version, *dialect;
	unsigned id_line, id_column; /* of the member name "id", 1-based */
	unsigned prev_id_line, prev_id_column; /* of "prevId" */
};

/*
 * A journal entry, or (folder layout) a migration folder: tag = the
 * folder's name, idx = its position, when = created_at as the 1.0
 * migrator writes it (mg_folder_migration.millis), entry = NULL, line 1,
 * sql_path = <dir>/migration.sql, snapshot_path = <dir>/snapshot.json
 * (set whether or not the files exist, as the journal's are).
 */
struct mg_migration {
	long long idx;	 /* as written; -1 when missing or not a number */
	char *tag;	 /* "0001_odd_the_twelve"; NULL when missing */
	long long when;	 /* epoch milliseconds; -1 when missing */
	int breakpoints; /* 1 unless the entry says false */
	const struct mg_json *entry; /* the journal entry, or NULL (folder) */
	unsigned line;	 /* line of the entry in _journal.json */
	char *sql_path;	 /* <out>/<tag>.sql (NULL without a usable tag) */
	char *snapshot_path; /* <out>/meta/<prefix>_snapshot.json */
	/* Loaded on first use by mg_migdir_sql / mg_migdir_snapshot. */
	char *sql;
	size_t sql_len;
	int sql_state; /* 0 not read, 1 read, MG_ENOTFOUND, MG_ERROR */
	char *snapshot_text;
	size_t snapshot_len;
	struct mg_json *snapshot; /* NULL when absent or invalid */
	int snapshot_state;
	char *snapshot_error;	      /* why it is not JSON, or NULL */
	size_t snapshot_error_offset; /* where the parser stopped */
	/* Loaded by mg_migdir_snapshot_fields; kept after a release. */
	struct mg_snapshot_fields fields;
	int fields_state; /* as snapshot_state */
};

struct mg_migdir {
	char *path;	    /* repository-relative folder */
	/*
	 * mg_layout_detect_listing of files. MG_LAYOUT_FOLDER: items come
	 * from folder (journal_state MG_ENOTFOUND); JOURNAL, BOTH (an
	 * unfinished `drizzle-kit up`) and NONE: from the journal.
	 */
	enum mg_layout layout;
	struct mg_migfolder *folder; /* MG_LAYOUT_FOLDER only, else NULL */
	char *journal_path; /* <out>/meta/_journal.json */
	char *journal_text;
	size_t journal_len;
	struct mg_json *journal;  /* NULL when missing or invalid */
	int journal_state;	  /* 0 ok, MG_ENOTFOUND, MG_ERROR */
	char *journal_error;	  /* parse error message, or NULL */
	size_t journal_error_offset;
	struct mg_migration *items; /* journal entries in array order, or
				     * folders in the 1.0 migrator's */
	size_t nr;
	struct mg_tree_listing files; /* every entry under path */
	struct mg_tree *tree;	      /* borrowed: outlives the migdir */
	/* sql_path and snapshot_path sorted, built by mg_migdir_find_path. */
	struct mg_migdir_path *paths;
	size_t paths_nr;
};

/* Load the folder at path from tree. MG_ERROR only on a tree failure. */
int mg_migdir_load(struct mg_migdir **out, struct mg_tree *tree,
		   const char *path);
void mg_migdir_free(struct mg_migdir *d);
/* The migration's SQL bytes (borrowed, NUL-terminated); MG_ENOTFOUND. */
int mg_migdir_sql(struct mg_migdir *d, struct mg_migration *m,
		  const char **data, size_t *len);
/*
 * The snapshot's bytes, read once and not parsed (borrowed until
 * mg_migdir_snapshot_release or mg_migdir_free); MG_ENOTFOUND, or an
 * error when it cannot be read.
 */
int mg_migdir_snapshot_text(struct mg_migdir *d, struct mg_migration *m,
			    const char **data, size_t *len);
/* The parsed snapshot (borrowed); MG_ENOTFOUND, or MG_ERROR if invalid. */
int mg_migdir_snapshot(struct mg_migdir *d, struct mg_migration *m,
		       const struct mg_json **out);
/*
 * The chain fields of the migration's snapshot (borrowed, live as long as
 * d). From the parsed snapshot when it is loaded; else the file is read,
 * scanned without building a tree and dropped. MG_ENOTFOUND, or MG_ERROR
 * when it is not JSON (then mg_migdir_snapshot has the error, the text
 * and its offset, without reading it again).
 */
int mg_migdir_snapshot_fields(struct mg_migdir *d, struct mg_migration *m,
			      const struct mg_snapshot_fields **out);
/*
 * Drop the snapshot's text and tree (a big folder checked in journal
 * order needs one or two at a time); the fields stay, and the next
 * mg_migdir_snapshot reads it again.
 */
void mg_migdir_snapshot_release(struct mg_migdir *d, struct mg_migration *m);
/*
 * The folder-layout migration behind m (same position in d->folder), or
 * NULL on the journal layout.
 */
struct mg_folder_migration *mg_migdir_folder_item(struct mg_migdir *d,
						  const struct mg_migration *m);
/* The entry whose sql_path or snapshot_path is path, or NULL. */
struct mg_migration *mg_migdir_find_path(struct mg_migdir *d,
					 const char *path);
/*
 * path is a migration's SQL in the folder out: <out>/<tag>.sql (the
 * journal layout) or <out>/<name>/migration.sql (drizzle 1.0's folders);
 * mg_migdir_is_folder_sql only the second.
 */
int mg_migdir_is_sql(const char *out, const char *path);
int mg_migdir_is_folder_sql(const char *out, const char *path);
/* "0001_foo" -> "0001"; a tag without '_' is its own prefix. New string. */
char *mg_migdir_tag_prefix(const char *tag);

/*
 * Byte-level defects of a migration file that make drizzle run or hash
 * something else than what is reviewed: drizzle hashes the raw bytes and
 * replaces invalid UTF-8 with U+FFFD before running it.
 */
enum mg_sql_defect {
	MG_SQL_DEFECT_NONE = 0,
	MG_SQL_DEFECT_BOM,	/* starts with EF BB BF */
	MG_SQL_DEFECT_NUL,	/* a NUL byte */
	MG_SQL_DEFECT_UTF8,	/* not valid UTF-8 */
	MG_SQL_DEFECT_CRLF,	/* a CR LF line end */
};

/*
 * The first defect of each kind found in data, as a bit set of
 * (1 << MG_SQL_DEFECT_*); offsets[kind] is the byte offset of its first
 * occurrence (offsets needs MG_SQL_DEFECT_CRLF + 1 slots). One pass.
 */
unsigned mg_migdir_sql_defects(const char *data, size_t len,
			       size_t *offsets);

#endif

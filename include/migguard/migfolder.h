/*
 * A drizzle migrations folder in the folder layout of drizzle-kit /
 * drizzle-orm 1.0 (checked on 1.0.0-rc.5, tests/fixtures/drizzle-1.0):
 *
 *   <out>/<YYYYMMDDHHMMSS>_<name>/migration.sql
 *   <out>/<YYYYMMDDHHMMSS>_<name>/snapshot.json
 *
 * and no journal. This module holds what migguard knows of that layout:
 * which layout a folder is in (mg_layout_detect, for every check), the
 * migrations in the order the 1.0 migrator runs them, their snapshots'
 * chain fields (id, prevIds, type, version, dialect, footprints), the
 * folders missing one of their files, the SQL files no migrator runs,
 * and the schema state at a migration, replayed from the base snapshot
 * through the version 9 diffs.
 *
 * Loading is tolerant, as mg_migdir's: a broken snapshot still gives a
 * migration (its state says why), files are listed once and read at most
 * once, on demand. Nothing here prints or decides severity.
 *
 * Wiring (a later change): pair, journal, lint, docs and apply call
 * mg_layout_detect on each project's `out`; MG_LAYOUT_JOURNAL keeps
 * mg_migdir, MG_LAYOUT_FOLDER uses this module, MG_LAYOUT_BOTH is one
 * finding with mg_layout_both_message. See tests/fixtures/drizzle-1.0/README.
 */
#ifndef MIGGUARD_MIGFOLDER_H
#define MIGGUARD_MIGFOLDER_H

#include <stddef.h>

#include "migguard/json.h"
#include "migguard/tree.h"

/* ------------------------------------------------------------ layout --- */

enum mg_layout {
	MG_LAYOUT_NONE = 0, /* neither: an empty or missing folder */
	MG_LAYOUT_JOURNAL,  /* <out>/meta/_journal.json (drizzle-kit 0.31) */
	MG_LAYOUT_FOLDER,   /* <out>/<dir>/migration.sql, snapshot.json (1.0) */
	MG_LAYOUT_BOTH,	    /* both: an unfinished `drizzle-kit up` */
};

struct mg_layout_info {
	enum mg_layout layout;
	char *journal_path; /* <out>/meta/_journal.json when present */
	/* The first migration folder's file (by path), when any. */
	char *folder_file;
	size_t folders;	    /* subfolders holding one of the two files */
	size_t journal_sql; /* <out>/<tag>.sql files (the journal layout) */
};

/*
 * Which layout the folder at path is in, from a listing of the entries
 * below it (mg_tree_list(tree, path, ...)). The journal decides as the
 * 1.0 migrator does (it refuses to run while meta/_journal.json exists);
 * a folder is a migration folder when it holds migration.sql (what the
 * migrator runs) or snapshot.json (what drizzle-kit reads).
 */
void mg_layout_detect_listing(struct mg_layout_info *out,
			      const struct mg_tree_listing *files,
			      const char *path);
/* The same, listing the tree; < 0 only when the tree cannot be listed. */
int mg_layout_detect(struct mg_layout_info *out, struct mg_tree *tree,
		     const char *path);
void mg_layout_info_release(struct mg_layout_info *info);
const char *mg_layout_name(enum mg_layout layout);
/*
 * For MG_LAYOUT_BOTH: what is where and how to finish, as a finding's
 * message and hint (new strings, the caller's).
 */
void mg_layout_both_message(const struct mg_layout_info *info,
			    char **message, char **hint);

/* -------------------------------------------------------- migrations --- */

/* A footprint: what one statement of a migration writes and reads. */
struct mg_footprint {
	char *statement_type; /* "create_table", "add_column", ... */
	char **target;	      /* statementTarget: table, schema, name */
	size_t target_nr;
	char **writes; /* "s|col|public.users.age", ... */
	size_t writes_nr;
	char **reads;
	size_t reads_nr;
	char **shared_writes; /* "sharedWrites": uniqueness keys, optional */
	size_t shared_writes_nr;
	char *sql_hash; /* "sqlHash", optional: the same change twice */
};

/*
 * drizzle-kit's test that two branches from one parent do not commute
 * (`check` exits 1, "Conflicting migrations detected"): a footprint of
 * one writes (or shared-writes) a node that a footprint of the other
 * writes or reads, and they are not the same change (same statementType
 * and sqlHash). 1 with *left (of a) and *right (of b) set, else 0.
 */
int mg_footprints_conflict(const struct mg_footprint *a, size_t a_nr,
			   const struct mg_footprint *b, size_t b_nr,
			   const struct mg_footprint **left,
			   const struct mg_footprint **right);

enum mg_snapshot_kind {
	MG_SNAPSHOT_UNKNOWN = 0, /* "type" missing or another value */
	MG_SNAPSHOT_BASE,	 /* "base": the whole schema in "ddl" */
	MG_SNAPSHOT_DIFF,	 /* "diff": "deltas" from prevIds[0] */
};

/* What the checks need of a snapshot.json, kept without the rest. */
struct mg_folder_snapshot {
	char *id;	   /* NULL when absent or not a string */
	char **prev_ids;   /* prevIds, in order */
	size_t prev_ids_nr;
	int prev_ids_valid; /* 1 when prevIds is an array of strings */
	char *type;	    /* as written, NULL when not a string */
	enum mg_snapshot_kind kind;
	char *version;	    /* "9" (rc.5 on npm) or "8" (source branch) */
	char *dialect;	    /* "postgres" */
	struct mg_footprint *footprints;
	size_t footprints_nr;
	int has_ddl;	    /* a "ddl" array: the state is written whole */
	int has_deltas;	    /* a "deltas" array */
	size_t deltas_nr;
	unsigned id_line, id_column;	     /* of the member name "id" */
	unsigned prev_ids_line, prev_ids_column; /* of "prevIds" */
};

struct mg_folder_migration {
	char *name;	     /* the folder's name: "20261203080553_init" */
	char *dir;	     /* <out>/<name> */
	char *sql_path;	     /* <dir>/migration.sql, NULL when absent */
	char *snapshot_path; /* <dir>/snapshot.json, NULL when absent */
	/* The tree's entry types (a symlinked migration.sql still runs). */
	enum mg_entry_type sql_type, snapshot_type;
	/*
	 * created_at as the 1.0 migrator writes it: Date.UTC of the first 14
	 * characters read as YYYYMMDDHHMMSS (out-of-range fields carry, as
	 * Date.UTC does); -1 when they are not 14 digits.
	 */
	long long millis;
	int name_ok; /* <14 digits>_<name>, as drizzle-kit names it */
	/* Loaded on first use. */
	char *sql;
	size_t sql_len;
	int sql_state; /* 0 not read, 1 read, or < 0 (MG_ENOTFOUND, ...) */
	char *snapshot_text;
	size_t snapshot_len;
	struct mg_json *snapshot;
	int snapshot_state;
	char *snapshot_error; /* why it is not JSON, or NULL */
	size_t snapshot_error_offset;
	struct mg_folder_snapshot fields;
};

struct mg_migfolder {
	char *path; /* repository-relative `out` folder */
	struct mg_layout_info layout;
	/* Migration folders in the 1.0 migrator's order (mg_folder_name_cmp) */
	struct mg_folder_migration *items;
	size_t nr;
	/*
	 * .sql files that are not a migration folder's migration.sql (e.g.
	 * what `drizzle-kit up` leaves at the root): no migrator runs them.
	 */
	char **stray_sql;
	size_t stray_sql_nr;
	struct mg_tree_listing files; /* every entry under path */
	struct mg_tree *tree;	      /* borrowed: outlives f */
};

/* Load the folder at path from tree. < 0 only on a tree failure. */
int mg_migfolder_load(struct mg_migfolder **out, struct mg_tree *tree,
		      const char *path);
void mg_migfolder_free(struct mg_migfolder *f);
/* The migration folder called name, or NULL. */
struct mg_folder_migration *mg_migfolder_find(struct mg_migfolder *f,
					      const char *name);
/* The migration whose snapshot has this id (the first in order), or NULL. */
struct mg_folder_migration *mg_migfolder_find_id(struct mg_migfolder *f,
						 const char *id);
/* The migration's SQL (borrowed, NUL-terminated); MG_ENOTFOUND without. */
int mg_migfolder_sql(struct mg_migfolder *f, struct mg_folder_migration *m,
		     const char **data, size_t *len);
/*
 * The parsed snapshot (borrowed until mg_migfolder_free); MG_ENOTFOUND
 * without one, MG_ERROR when it is not JSON (snapshot_error says why).
 */
int mg_migfolder_snapshot(struct mg_migfolder *f,
			  struct mg_folder_migration *m,
			  const struct mg_json **out);
/* Its fields (borrowed); the same errors. */
int mg_migfolder_fields(struct mg_migfolder *f, struct mg_folder_migration *m,
			const struct mg_folder_snapshot **out);

/*
 * The order of the 1.0 migrator: JavaScript's a.localeCompare(b) under
 * node's ICU root collation (what en-US gives), for the names drizzle-kit
 * writes: control characters ignored; then whitespace, punctuation
 * ("_ - , ; : ! ? . ' \" ( ) [ ] { } @ * / \\ & # % ` ^ + < = > | ~ $"),
 * digits, letters case-blind; then lower case before upper case. So
 * "x_plan_a" < "x_plan2" and "x_alpha" < "x_Beta", unlike bytes. Bytes
 * beyond ASCII sort after 'z' by code point (an approximation: ICU knows
 * better). Names equal to localeCompare are ordered by bytes, so the
 * order is total. node follows LANG: da_DK (upper case first) and lt_LT
 * ('y' between 'i' and 'j') differ; C, en, de, sv, tr, ja do not.
 */
int mg_folder_name_cmp(const char *a, const char *b);
/*
 * drizzle-kit's own test that a migration may follow its parent: after it
 * in both byte order and localeCompare (else `check` refuses the folder).
 */
int mg_folder_sorts_after(const char *folder, const char *parent);
/* created_at for a folder name, as in mg_folder_migration.millis. */
long long mg_folder_name_millis(const char *name);

/* ------------------------------------------------------------ replay --- */

/*
 * One row of a version 9 snapshot's "ddl": a table, column, index, fk, ...
 * entity_type is drizzle's ("tables", "columns", "indexes", "fks", "pks",
 * "uniques", "checks", "enums", "sequences", "views", "schemas", "roles",
 * "policies", "privileges"); schema, table and name point into row (NULL
 * when the row has none). Indexes are keyed by schema and name (their
 * names are unique in a schema), constraints by table and name.
 */
struct mg_ddl_entity {
	char *entity_type;
	const char *schema, *table, *name;
	struct mg_json *row; /* owned copy, with renames applied */
	/* A hash of the type and key fields, so lookups skip the others. */
	unsigned long long key_hash;
};

struct mg_ddl_state {
	struct mg_ddl_entity *items;
	size_t nr, alloc;
	/*
	 * An index of items by key_hash (migfolder.c): open addressing over
	 * item indices (SIZE_MAX = empty), slots_nr a power of two (0: none
	 * yet); rebuilt on the next lookup when slots_stale is set.
	 */
	size_t *slots;
	size_t slots_nr;
	int slots_stale;
};

void mg_ddl_state_init(struct mg_ddl_state *s);
void mg_ddl_state_release(struct mg_ddl_state *s);
/* Add every row of a "ddl" array. MG_ERROR on a row it cannot key. */
int mg_ddl_state_load(struct mg_ddl_state *s, const struct mg_json *ddl);
/*
 * Apply a "deltas" array as drizzle-kit does: "create" adds the row (an
 * equal row already there is fine, another one under its key is a
 * collision), "drop" removes the keyed row, "alter" and "rename" set
 * fields, and a changed key carries to the rows that point at it (a
 * renamed table's columns, indexes and constraints, a renamed column in
 * index and constraint column lists, ...). text and len are the document
 * deltas was parsed from: a delta's key holds a NUL ("columns\u0000[...]"),
 * which mg_json strings cannot, so it is read again from there. MG_ERROR
 * with the reason; the state is then only good for releasing.
 */
int mg_ddl_state_apply(struct mg_ddl_state *s, const struct mg_json *deltas,
		       const char *text, size_t len);
/* The entity of that type and key (NULL fields are not compared). */
const struct mg_ddl_entity *mg_ddl_state_find(const struct mg_ddl_state *s,
					      const char *entity_type,
					      const char *schema,
					      const char *table,
					      const char *name);
/* How many entities of a type (a table's when table is not NULL). */
size_t mg_ddl_state_count(const struct mg_ddl_state *s,
			  const char *entity_type, const char *schema,
			  const char *table);

/*
 * The schema after migration m: the base snapshot (or a version 8 one,
 * written whole) reached through prevIds[0], replayed through each diff
 * up to m; at a merge (several prevIds) the other parents' diffs that the
 * first parent's history lacks are applied first, in migration order.
 * MG_ERROR with the reason: a parent that is not in the folder, a
 * snapshot that is not valid, a delta that does not apply.
 */
int mg_migfolder_state(struct mg_ddl_state *out, struct mg_migfolder *f,
		       struct mg_folder_migration *m);

/* ---------------------------------------------------------------- up --- */

struct mg_migdir;

/* What `drizzle-kit up` (rc.5) does with one journal entry. */
struct mg_up_move {
	const char *tag;     /* the entry's tag (borrowed from the migdir) */
	/* "<when as UTC YYYYMMDDHHMMSS>_<tag after its first '_'>"; NULL when
	 * the entry has no `when` (up would use the current time). */
	char *folder;
	char *sql_path;	     /* <tag>.sql, or its prefix's one .sql; NULL */
	char *snapshot_path; /* <out>/meta/<prefix>_snapshot.json */
	int has_snapshot;
	int sql_ambiguous; /* no <tag>.sql and several <prefix>_*.sql */
};

/* Each reason `drizzle-kit up` refuses, in the order rc.5 checks them. */
enum mg_up_refusal_kind {
	MG_UP_NO_SNAPSHOT = 1,	  /* "No snapshot was found" */
	MG_UP_SQL_AMBIGUOUS,	  /* "Several sql files were found" */
	MG_UP_NO_SQL,		  /* the entry has no SQL file */
	MG_UP_SNAPSHOT_MALFORMED, /* the snapshot is not JSON */
	MG_UP_PARENT_MISSING,	  /* prevId names no snapshot of the folder */
	MG_UP_SORTS_BEFORE_PARENT, /* two entries of one second, wrong way */
	MG_UP_TWO_FIRSTS,	  /* two snapshots with no parent */
};

struct mg_up_refusal {
	enum mg_up_refusal_kind kind;
	size_t index; /* the entry it names, into items (journal order) */
	/* The other entry: the parent, or the other first; (size_t)-1. */
	size_t other;
	char *message; /* rc.5's reason, naming the migrations */
	char *hint;    /* what to change, or NULL */
};

struct mg_up_plan {
	struct mg_up_move *items; /* journal order */
	size_t nr;
	/* Root .sql files up leaves there (no migrator runs them). */
	char **left_sql;
	size_t left_sql_nr;
	/*
	 * Why up would refuse, writing nothing (the first reason it checks:
	 * a missing snapshot, a missing or ambiguous SQL file, a parent
	 * missing, a folder that would sort before its parent's), or NULL.
	 */
	char *refusal;
	const char *refusal_tag; /* the entry it names (borrowed), or NULL */
	/*
	 * Every reason, the first one up would print first (refusal is its
	 * message). up stops at the first; the later ones are what it would
	 * say once that is fixed.
	 */
	struct mg_up_refusal *refusals;
	size_t refusals_nr, refusals_alloc;
};

/*
 * What `drizzle-kit up` would do to the journal-layout folder d, without
 * doing it. < 0 only when the tree fails.
 */
int mg_up_plan_make(struct mg_up_plan *out, struct mg_migdir *d);
void mg_up_plan_release(struct mg_up_plan *p);

#endif

/*
 * migguard-apply: apply a project's pending migrations to PostgreSQL in
 * the state drizzle-orm's migrator reads and writes (same schema, table,
 * DDL, hash, created_at, split, one transaction), plus what it lacks: a
 * lock, checks of the applied history before applying, the file and line
 * of a failing statement, dry runs and scratch databases. Two migrators:
 * 0.45's for the journal layout (pending = `when` after the newest
 * created_at), 1.0.0-rc.5's for the folder layout (pending = a folder
 * whose name is not in the table's "name" column; a table 0.45 wrote is
 * upgraded first, as rc.5 upgrades it).
 *
 * The library never prints and never handles signals: the caller passes
 * hooks to learn the connection's cancel handle and to ask for an abort.
 */
#ifndef MIGGUARD_APPLY_H
#define MIGGUARD_APPLY_H

#include <stddef.h>
#include <stdint.h>

#include "migguard/migdir.h"
#include "migguard/migfolder.h"
#include "migguard/pg.h"
#include "migguard/report.h"

#define MG_APPLY_DEFAULT_SCHEMA "drizzle"
#define MG_APPLY_DEFAULT_TABLE "__drizzle_migrations"

/* The marker drizzle's migrator splits a file on. */
#define MG_APPLY_BREAKPOINT "--> statement-breakpoint"

enum mg_apply_mode {
	MG_APPLY_COMMIT,  /* apply and commit */
	MG_APPLY_DRY_RUN, /* apply, check, roll back */
	MG_APPLY_CHECK,	  /* read the state and check it; apply nothing */
};

struct mg_apply_hooks {
	/*
	 * Called with the open connection's cancel handle, and with NULL
	 * before that connection is closed. A signal handler may pass the
	 * handle to mg_pg_cancel_send.
	 */
	void (*set_cancel)(void *ctx, struct mg_pg_cancel *cancel);
	/* Polled between statements: nonzero stops (and rolls back). */
	int (*aborted)(void *ctx);
	void *ctx;
};

struct mg_apply_request {
	/*
	 * The migrations, loaded from the work tree or a commit: the journal
	 * layout (migdir), or, when migfolder is not NULL, the folder layout
	 * of drizzle 1.0 (then migdir is not read). The caller decides with
	 * mg_layout_detect.
	 */
	struct mg_migdir *migdir;
	struct mg_migfolder *migfolder;
	const char *path_prefix;     /* prepended to their paths in findings */
	const char *conninfo;	     /* URL or key=value string */
	const char *dbname;	     /* replaces conninfo's database, or NULL */
	const char *schema;	     /* NULL: "drizzle" */
	const char *table;	     /* NULL: "__drizzle_migrations" */
	enum mg_apply_mode mode;
	int allow_remote;
	const struct mg_apply_hooks *hooks; /* may be NULL */
};

/* A row of a table 0.45 wrote, and the folder rc.5's upgrade names it. */
struct mg_apply_upgrade_row {
	long long id;
	int id_null;
	long long created_at;
	int created_at_null;
	char *name;
};

struct mg_apply_result {
	size_t applied_before; /* rows in the table before */
	size_t expected;       /* journal entries (folders with migration.sql) */
	size_t pending;	       /* what drizzle's migrator would run */
	size_t applied_now;    /* migrations run by this call */
	size_t applied_after;  /* rows after applying (before a dry-run's
				  rollback) */
	int state_read;	       /* 1 once the table was read */
	int ran;	       /* 1 when pending migrations were run */
	int committed;	       /* 1 when they were committed */
	int has_name_column;   /* the table has drizzle 1.0's "name" */
	int refused;	       /* a remote host, not contacted */
	int unreachable;       /* the connection could not be made */
	char *target;	       /* "host:port" tried, for messages */
	/* The folder layout only: */
	int upgraded;	       /* the table had no "name": upgraded first */
	struct mg_apply_upgrade_row *upgrade; /* the names rows got */
	size_t upgrade_nr;
	char **run;	       /* pending folders, in the order they run */
	size_t run_nr;
};

void mg_apply_result_release(struct mg_apply_result *res);

/*
 * Check and apply. Findings (apply-failed, applied-migration-modified,
 * applied-migration-missing, migration-would-be-skipped,
 * apply-count-mismatch, remote-database-refused) go to r; an error-severity finding found
 * before applying stops the run with nothing applied. Returns < 0 when it
 * could not run (bad journal, unreachable server, lost connection,
 * aborted), with the reason in mg_error_last().
 */
int mg_apply_run(struct mg_report *r, struct mg_apply_result *res,
		 const struct mg_apply_request *req);

/*
 * A scratch database for --fresh: CREATE DATABASE with a unique name
 * (*name, new string) on the server conninfo points to. Dropping it
 * closes other sessions on it first (WITH (FORCE) on PostgreSQL 13+).
 */
int mg_apply_fresh_create(char **name, const char *conninfo,
			  int allow_remote);
int mg_apply_fresh_drop(const char *conninfo, const char *name,
			int allow_remote);

/*
 * The advisory lock key every run takes, first thing in its transaction:
 * one per database, so runs on different migrations tables serialise too.
 */
int64_t mg_apply_lock_key(void);

/* Pure helpers, exposed for tests. */

/* One chunk of drizzle's split: file bytes [offset, offset + len). */
struct mg_apply_chunk {
	size_t offset, len;
};

/* Split as drizzle does: on every marker, untrimmed. *out is freed. */
void mg_apply_split(struct mg_apply_chunk **out, size_t *nr,
		    const char *sql, size_t len);
/*
 * The byte offset in the file of a failing statement: PostgreSQL's
 * 1-based character position within the chunk, or, without one, the
 * chunk's first byte that is not blank or a comment.
 */
size_t mg_apply_error_offset(const char *sql, size_t len,
			     const struct mg_apply_chunk *chunk,
			     unsigned position);
/* 0 when the bytes are valid UTF-8 without NUL, else offset + 1 of the
 * first bad byte. */
size_t mg_apply_check_text(const char *sql, size_t len);

/* A row of the migrations table. */
struct mg_apply_row {
	long long id;
	int id_null;
	char *hash; /* NULL for SQL NULL */
	long long created_at;
	int created_at_null;
	char *name; /* drizzle 1.0's column, or NULL */
};

/* A journal entry as the checks see it. */
struct mg_apply_entry {
	const char *tag;
	long long when;
	char hash[65];
	const char *sql_path; /* for findings */
	unsigned journal_line;
};

/*
 * The checks before applying, over plain data: appends the findings and
 * sets pending[i] to 1 for each entry drizzle's migrator would run.
 */
void mg_apply_analyse(struct mg_report *r, unsigned char *pending,
		      const struct mg_apply_entry *entries, size_t nr,
		      const struct mg_apply_row *rows, size_t rows_nr,
		      const char *journal_path);

/*
 * A migration folder as rc.5's migrator sees it (one holding
 * migration.sql), in its order (mg_folder_name_cmp).
 */
struct mg_apply_folder {
	const char *name;     /* the folder's name, the "name" cell */
	long long millis;     /* created_at; -1: the name has no 14 digits */
	char hash[65];
	const char *sql_path; /* for findings */
};

/*
 * rc.5's upgrade of a table 0.45 wrote (up-migrations/pg.js, upToV1):
 * match[i] = the folder row i gets, or (size_t)-1. A row's created_at is
 * cut to the second (as text: its last three digits become 000); one
 * folder of that second is the match whatever its hash, several = the
 * first with the row's hash, none = the last folder with that hash, in
 * the order (millis, name). Returns how many rows match nothing (rc.5
 * then refuses, changing nothing).
 */
size_t mg_apply_upgrade_match(size_t *match,
			      const struct mg_apply_folder *folders,
			      size_t nr, const struct mg_apply_row *rows,
			      size_t rows_nr);

/*
 * The checks before applying on the folder layout, over rows read with
 * their "name": applied-migration-modified (hash per name; a row without
 * name, which rc.5 does not count), applied-migration-missing (a row whose
 * folder is gone: renamed, when another pending folder has its hash, which
 * rc.5 runs again, or deleted, which rc.5 passes silently). pending[i] is
 * 1 for each folder whose name no row has. dir_path names the folder.
 */
void mg_apply_folder_analyse(struct mg_report *r, unsigned char *pending,
			     const struct mg_apply_folder *folders, size_t nr,
			     const struct mg_apply_row *rows, size_t rows_nr,
			     const char *dir_path);

/*
 * The order rc.5 runs the pending folders in: the folders' order, or,
 * in the run that upgrades a 0.45 table (whose sort rc.5 keeps), by
 * millis, then name. Fills order with indexes; returns how many.
 */
size_t mg_apply_folder_order(size_t *order,
			     const struct mg_apply_folder *folders, size_t nr,
			     const unsigned char *pending, int upgrading);

#endif

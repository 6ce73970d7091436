/*
 * migguard-lint: review migration SQL with the real PostgreSQL parser
 * (libpg_query, PostgreSQL 15 grammar).
 */
#ifndef MIGGUARD_LINT_H
#define MIGGUARD_LINT_H

#include <stddef.h>

#include "migguard/config.h"
#include "migguard/json.h"
#include "migguard/report.h"

struct mg_ddl_state;

struct mg_lint_input {
	const char *path; /* repository-relative, as findings show it */
	const char *sql;
	size_t len;
	long long index; /* journal idx, -1 when unknown (files from disk) */
	int custom;	 /* a `drizzle-kit generate --custom` migration */
	/* The previous migration's snapshot, or NULL (index collisions). */
	const struct mg_json *prev_snapshot;
	/*
	 * The folder layout (drizzle 1.0): the schema before the migration,
	 * replayed from the snapshots (mg_migfolder_state of its first
	 * parent), or NULL; used where prev_snapshot is on the journal one.
	 */
	const struct mg_ddl_state *prev_state;
	/*
	 * Change-set modes, for a migration the change adds: the schema of
	 * the newest published migration (journal: its snapshot, folder: its
	 * replayed state; both NULL when nothing is published). A DROP of
	 * what exists before this migration but is not published loses no
	 * deployed data (drop-table, drop-column, rename-as-drop). 0: not
	 * known, every drop is reported.
	 */
	int published_known;
	const struct mg_json *published_snapshot;
	const struct mg_ddl_state *published_state;
};

/* Lint one file. < 0 only when linting could not run. */
int mg_lint_sql(struct mg_report *r, const struct mg_lint_options *opts,
		const struct mg_lint_input *in);

/*
 * The finding for a migration that could not be read: err is what
 * mg_tree_read returned (MG_ETOOBIG: over MG_TREE_MAX_FILE; MG_ERROR: a
 * symbolic link, a submodule), with the reason in mg_error_last().
 */
void mg_lint_unreadable(struct mg_report *r, const char *path, int err);

/*
 * Only the transaction-control findings of one migration, as lint reports
 * them (migguard-ignore directives honoured): migguard-apply refuses to
 * run such a migration. Returns how many were added, < 0 when linting
 * could not run.
 */
int mg_lint_transaction_control(struct mg_report *r, const char *path,
				const char *sql, size_t len);

/* The id of the i-th lint rule, NULL past the last (for tests and help). */
const char *mg_lint_rule_id(size_t i);

#endif

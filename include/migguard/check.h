/*
 * The checks and what they share. Each check is one function that reads
 * the context and appends findings; it returns < 0 only when it could not
 * run (exit 2). `migguard check` runs them all in one process.
 */
#ifndef MIGGUARD_CHECK_H
#define MIGGUARD_CHECK_H

#include "migguard/changeset.h"
#include "migguard/config.h"
#include "migguard/conventions.h"
#include "migguard/migdir.h"
#include "migguard/report.h"

struct mg_context {
	struct mg_config *config;
	struct mg_changeset *cs;
	struct mg_repo *repo;
	/* Published base for migration-edited/deleted, loaded on demand. */
	struct mg_tree *published;
	const char *protected_ref;
	/*
	 * The head migdir of each project (indexed like config->projects),
	 * loaded once and shared by the checks of one run; NULL: each check
	 * loads its own. Set up by mg_context_share_migdirs.
	 */
	struct mg_migdir **migdirs;
	size_t migdirs_nr;
	/*
	 * Migdirs of other trees (the base, the published base), shared by
	 * git tree id and folder when sharing is on: in a hook the base and
	 * the published base are usually one commit.
	 */
	struct mg_migdir **tree_migdirs;
	size_t tree_migdirs_nr, tree_migdirs_alloc;
	/*
	 * The checks run on the base of the change in the role of head
	 * (mg_context_subtract_base): a renamed file is read at its old
	 * path, and belongs to the project of its new one.
	 */
	int at_base;
	/*
	 * The conventions of each project (indexed like config->projects),
	 * inferred on first use by mg_context_lint_options.
	 */
	struct mg_conventions **conventions;
	/*
	 * --verify-generate (CI): when pair would report
	 * schema-without-migration for p, it asks this instead of trusting
	 * the static verdict. The callback runs p's own drizzle-kit generate
	 * on a copy of head (src/cmd: the library spawns nothing) and sets
	 * *sql to the SQL of the migration it wrote (new, the caller frees)
	 * or NULL when it wrote none. < 0: it could not run (exit 2).
	 */
	int (*verify_generate)(char **sql, void *data, struct mg_tree *head,
			       const struct mg_project *p);
	void *verify_data;
};

enum mg_check_id {
	MG_CHECK_PAIR = 1 << 0,
	MG_CHECK_JOURNAL = 1 << 1,
	MG_CHECK_LINT = 1 << 2,
	MG_CHECK_DOCS = 1 << 3,
	MG_CHECK_ALL_STATIC = (1 << 4) - 1,
};

int mg_pair_check(struct mg_report *r, struct mg_context *ctx);
int mg_journal_check(struct mg_report *r, struct mg_context *ctx);
int mg_lint_check(struct mg_report *r, struct mg_context *ctx);
int mg_docs_check(struct mg_report *r, struct mg_context *ctx);

/* The published base tree of ctx, opened on first use. */
int mg_context_published(struct mg_tree **out, struct mg_context *ctx);

/*
 * The lint options of project p: its conventions, configured or inferred
 * from the published migrations (--all: the head's), computed once per
 * run (conventions.h). Borrowed until mg_context_release.
 */
int mg_context_lint_options(const struct mg_lint_options **out,
			    struct mg_context *ctx,
			    const struct mg_project *p);

/* Share one head migdir per project between the checks run on ctx. */
void mg_context_share_migdirs(struct mg_context *ctx);
/*
 * The migrations folder of p in the head tree: the shared one, loaded on
 * first use, or (without sharing) a new one. Give it back with
 * mg_context_migdir_put, which frees it unless it is shared. A check that
 * reads snapshots in bulk may release them as it goes
 * (mg_migdir_snapshot_release): others read them again if they need to.
 */
int mg_context_migdir(struct mg_migdir **out, struct mg_context *ctx,
		      const struct mg_project *p);
/*
 * The migrations folder of p in another tree of the run (ctx->cs->base,
 * the published tree): with sharing on, loaded once per git tree; give it
 * back with mg_context_migdir_put. tree must outlive ctx's release.
 */
int mg_context_migdir_at(struct mg_migdir **out, struct mg_context *ctx,
			 struct mg_tree *tree, const struct mg_project *p);
void mg_context_migdir_put(struct mg_context *ctx, struct mg_migdir *d);
/*
 * Only what the change introduces blocks: run the journal and lint
 * checks of `checks` again with ctx's base tree in the role of head (the
 * same changed paths, their old names for renames, the same config and
 * published base), and drop from r's findings from index since on those
 * that already held there (by fingerprint), counting them in
 * r->preexisting. Pair and docs findings are about the change itself and
 * are kept. Does nothing in ALL mode, without a base, or when no journal
 * or lint finding was added since `since` (the hooks' quiet path stays
 * as fast as it was); lint runs again only for findings in files the
 * base has (a new migration's warnings cost no second run).
 */
int mg_context_subtract_base(struct mg_report *r, size_t since,
			     struct mg_context *ctx, unsigned checks);
/* Free what ctx loaded: the shared migdirs, the published tree. */
void mg_context_release(struct mg_context *ctx);

#endif

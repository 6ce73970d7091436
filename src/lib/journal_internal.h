/*
 * What the journal check's two halves share: journal.c (the journal
 * layout of drizzle-kit 0.31) and journal_folder.c (the folder layout of
 * drizzle-kit 1.0). Not a public header: only src/lib includes it.
 */
#ifndef MIGGUARD_JOURNAL_INTERNAL_H
#define MIGGUARD_JOURNAL_INTERNAL_H

#include <stddef.h>

#include "migguard/check.h"
#include "migguard/journal.h"
#include "migguard/tree.h"

/* Offset of the first byte where a and b differ. */
size_t mg_journal_first_difference(const char *a, size_t alen, const char *b,
				   size_t blen);
/* Two JSON texts are the same value (member order, spacing aside). */
int mg_journal_same_json(const char *a, size_t alen, const char *b,
			 size_t blen);
/* a and b differ only in blanks (spaces, tabs, line ends). */
int mg_journal_same_but_whitespace(const char *a, size_t alen, const char *b,
				   size_t blen);
/*
 * A published file edited once and now put back: the head entry he has
 * the bytes path had when it was first committed (opts->first_blob).
 */
int mg_journal_restored(const struct mg_journal_options *opts, const char *path,
			const struct mg_tree_entry *he);

/*
 * A finding at byte offset of a file's text (line and column from it; a
 * whole-file finding when text is NULL). Takes msg (an allocated string).
 */
void mg_journal_add_at(struct mg_report *r, const char *rule,
		       const char *path, const char *text, size_t len,
		       size_t offset, const char *hint, char *msg);

/*
 * The history rules of project p, whose migrations folder is in the
 * folder layout at ctx's head: loads it and the published one (the tree
 * published, in either layout) and runs mg_journal_check_folder.
 */
int mg_journal_check_folder_project(struct mg_report *r, struct mg_context *ctx,
				    const struct mg_project *p,
				    struct mg_tree *published,
				    const struct mg_journal_options *opts);

#endif

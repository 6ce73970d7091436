/*
 * The git adapter: the only module that talks to libgit2 or spawns git.
 * Object ids are hex strings (40 or 64 characters, NUL-terminated).
 */
#ifndef MIGGUARD_GIT_H
#define MIGGUARD_GIT_H

#include <stddef.h>

#include "migguard/changeset.h"

#define MG_OID_HEXSZ 65

/* Resolve a revision to a commit id (tags peeled). MG_ENOTFOUND. */
int mg_git_resolve(char out[MG_OID_HEXSZ], struct mg_repo *repo,
		   const char *rev);
/* HEAD's commit, MG_ENOTFOUND when HEAD is unborn. */
int mg_git_head(char out[MG_OID_HEXSZ], struct mg_repo *repo);
/* 1 when the object exists locally. */
int mg_git_has_object(struct mg_repo *repo, const char *id);
int mg_git_merge_base(char out[MG_OID_HEXSZ], struct mg_repo *repo,
		      const char *a, const char *b);
/* The upstream of the current branch, MG_ENOTFOUND when none. */
int mg_git_upstream(char out[MG_OID_HEXSZ], struct mg_repo *repo);
/* The index git is committing ($GIT_INDEX_FILE honoured). */
int mg_git_tree_index(struct mg_tree **out, struct mg_repo *repo);
/* Fails with a message naming the unmerged paths, if any. */
int mg_git_check_unmerged(struct mg_repo *repo);
/* The tree of a commit id. */
int mg_git_tree_commit(struct mg_tree **out, struct mg_repo *repo,
		       const char *id);
/*
 * Changes from base (a commit id, or NULL for the empty tree) to head (a
 * commit id, or NULL for the index), limited to the prefixes.
 */
int mg_git_diff(struct mg_changeset *cs, struct mg_repo *repo,
		const char *base, const char *head,
		const struct mg_strlist *prefixes);
/*
 * Commits reachable from head and not from hide (an id or NULL) nor from
 * refs matching hide_glob (or NULL); oldest first.
 */
int mg_git_commits(struct mg_commit_info **out, size_t *nr,
		   struct mg_repo *repo, const char *head, const char *hide,
		   const char *hide_glob);
/* The first parent of a commit, MG_ENOTFOUND for a root commit. */
int mg_git_parent(char out[MG_OID_HEXSZ], struct mg_repo *repo,
		  const char *id);
/* 1 for a shallow clone. */
int mg_git_is_shallow(struct mg_repo *repo);
/*
 * Did a commit reachable from rev but not from the commit that added path
 * (the oldest one reachable from rev whose first parent lacks it) change
 * a file that watched() accepts? Merges are skipped: what they bring is
 * in their own commits. 1 yes, 0 no (also when rev lacks path or the
 * walk passes max commits), < 0 on failure.
 */
/*
 * The blob id path had in the commit that added it (the oldest one
 * reachable from rev whose first parent lacks it, at most max commits
 * back). MG_ENOTFOUND when history does not have it.
 */
int mg_git_blob_when_added(char out[MG_OID_HEXSZ], struct mg_repo *repo,
			   const char *rev, const char *path, size_t max);
int mg_git_changed_since_added(struct mg_repo *repo, const char *rev,
			       const char *path,
			       int (*watched)(const char *path, void *data),
			       void *data, size_t max);
/* The common git dir (linked worktrees share it), with '/'. Borrowed. */
const char *mg_git_common_dir(struct mg_repo *repo);
/* A config value as git reads it (all levels); MG_ENOTFOUND when unset. */
int mg_git_config_string(char **out, struct mg_repo *repo, const char *key);

#endif

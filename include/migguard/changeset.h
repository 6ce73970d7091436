/*
 * Which change is checked, read from git (libgit2, with a spawned-git
 * fallback for what libgit2 1.5 cannot read). A changeset is a base view,
 * a head view and the changed paths between them, limited to the watched
 * paths. Pre-push input gives one changeset per pushed ref.
 */
#ifndef MIGGUARD_CHANGESET_H
#define MIGGUARD_CHANGESET_H

#include <stddef.h>

#include "migguard/strbuf.h"
#include "migguard/tree.h"

struct mg_repo;

/* What the environment says; the library never reads it itself. */
struct mg_repo_options {
	const char *dir;	/* --repo, or NULL: discover from cwd */
	const char *git_dir;	/* $GIT_DIR */
	const char *work_tree;	/* $GIT_WORK_TREE */
	const char *index_file; /* $GIT_INDEX_FILE */
	int in_hook;		/* git already checked ownership */
};

int mg_repo_open(struct mg_repo **out, const struct mg_repo_options *opts);
void mg_repo_free(struct mg_repo *repo);
/* The work tree's top, or NULL for a bare repository. Borrowed. */
const char *mg_repo_workdir(const struct mg_repo *repo);
/* The view of a commit (any revision expression). */
int mg_repo_tree_at(struct mg_tree **out, struct mg_repo *repo,
		    const char *rev);
/* The published base: merge-base of HEAD with upstream or protected_ref,
 * else HEAD; the empty tree when there is no HEAD. */
int mg_repo_published_tree(struct mg_tree **out, struct mg_repo *repo,
			   const char *protected_ref);

enum mg_changeset_mode {
	MG_CHANGESET_STAGED,
	MG_CHANGESET_RANGE,
	MG_CHANGESET_PRE_PUSH,
	MG_CHANGESET_ALL,
};

struct mg_changeset_options {
	enum mg_changeset_mode mode;
	const char *base;	 /* RANGE */
	const char *head;	 /* RANGE, ALL: default "HEAD" */
	const char *remote;	 /* PRE_PUSH: the remote's name */
	const char *push_lines;	 /* PRE_PUSH: git's stdin, NULL if none */
};

enum mg_change_status {
	MG_CHANGE_ADDED = 'A',
	MG_CHANGE_MODIFIED = 'M',
	MG_CHANGE_DELETED = 'D',
	MG_CHANGE_RENAMED = 'R',
	MG_CHANGE_TYPECHANGE = 'T',
};

struct mg_change {
	enum mg_change_status status;
	char *path;	/* new path (the old one for a deletion) */
	char *old_path; /* renames only, else NULL */
};

struct mg_commit_info {
	char id[65];
	char *message;
};

struct mg_changeset {
	enum mg_changeset_mode mode;
	char *label;	     /* "the index", "abc1234..def5678", "HEAD" */
	struct mg_tree *head; /* what is checked */
	struct mg_tree *base; /* before; NULL in ALL mode */
	char *base_rev, *head_rev; /* commit ids, NULL for index/empty */
	struct mg_change *changes; /* filled by mg_changeset_diff */
	size_t nr, alloc;
	struct mg_commit_info *commits; /* the range's commits, lazily */
	size_t commits_nr;
	int commits_loaded;
	struct mg_repo *repo; /* borrowed */
};

/*
 * The changesets to check (one, or one per pushed ref). Errors name the
 * problem and the fix (shallow clone, unmerged entries, bad revision).
 */
int mg_changeset_list(struct mg_changeset ***out, size_t *nr,
		      struct mg_repo *repo,
		      const struct mg_changeset_options *opts);
void mg_changeset_list_free(struct mg_changeset **list, size_t nr);
/*
 * One commit against its first parent (a root commit: against nothing),
 * checked as part of a range of the given mode (--each-commit).
 */
int mg_changeset_open_commit(struct mg_changeset **out, struct mg_repo *repo,
			     const char *id, enum mg_changeset_mode mode);
void mg_changeset_free(struct mg_changeset *cs);
/* Fill cs->changes with base->head changes under the watched paths. */
int mg_changeset_diff(struct mg_changeset *cs,
		      const struct mg_strlist *watched);
/*
 * After mg_changeset_diff: when the change adds several .sql files and
 * deletes or renames none, the migrations may have moved from a folder
 * the head's config no longer watches. Add the base config's migrations
 * folders to watched and diff again, so the moves show as renames.
 * Nothing to do (0) in the usual case; a base config that cannot be
 * read is no reason to fail.
 */
int mg_changeset_diff_moves(struct mg_changeset *cs,
			    struct mg_strlist *watched);
/* The commits of the range, oldest first (empty for STAGED and ALL). */
int mg_changeset_commits(struct mg_changeset *cs);
/* One line of git's pre-push input. */
struct mg_push_update {
	char *local_ref;
	char local_oid[65];
	char *remote_ref;
	char remote_oid[65];
};

/*
 * Parse git's pre-push stdin: "<local ref> SP <local oid> SP <remote ref>
 * SP <remote oid>" a line, split from the right (the local ref may hold
 * spaces). Blank lines are skipped; a malformed line is an error naming it.
 */
int mg_push_updates_parse(struct mg_push_update **out, size_t *nr,
			  const char *text);
void mg_push_updates_free(struct mg_push_update *u, size_t nr);
/*
 * 1 when a commit message has a "<Key>: none" line (key given lowercase,
 * matched in any case; the value starts with the word "none"), else 0.
 * *reason gets what follows "none" (parentheses and separators stripped,
 * "" when nothing), the caller's to free; NULL when 0 is returned.
 * message may be NULL. Docs-Impact and Schema-Impact are such trailers.
 */
int mg_commit_waiver(char **reason, const char *message, const char *key);
/* 1 when an object id is all zeros (any length). */
int mg_oid_is_zero(const char *hex);


#endif

/*
 * A read-only view of a set of files: a commit's tree, the index being
 * committed, a directory on disk, or nothing. Every check reads files
 * through this, so the same code checks a commit, the index or a folder.
 * Paths are relative to the view's root, '/' separated, never with "..".
 */
#ifndef MIGGUARD_TREE_H
#define MIGGUARD_TREE_H

#include <stddef.h>

/*
 * Files larger than this are refused, not read: MG_ETOOBIG. Checks turn
 * it into a finding on that file (a 100 MB migration is the input's
 * problem, not the tool's), and carry on.
 */
#define MG_TREE_MAX_FILE (64u * 1024 * 1024)

enum mg_entry_type {
	MG_ENTRY_FILE,
	MG_ENTRY_SYMLINK,
	MG_ENTRY_SUBMODULE,
	MG_ENTRY_OTHER,
};

struct mg_tree_entry {
	char *path;
	enum mg_entry_type type;
	char id[65]; /* content id (hex object id) or "" when unknown */
};

struct mg_tree_listing {
	struct mg_tree_entry *items;
	size_t nr, alloc;
};

struct mg_tree;

struct mg_tree_ops {
	int (*read)(struct mg_tree *t, const char *path, char **data,
		    size_t *len);
	int (*list)(struct mg_tree *t, const char *dir,
		    struct mg_tree_listing *out);
	void (*free)(struct mg_tree *t);
};

struct mg_tree {
	const struct mg_tree_ops *ops;
	char *label; /* for messages: "the index", "HEAD", a directory */
	/*
	 * The git tree object it shows (hex), or "" (the index, a folder):
	 * two views with one id hold the same files, so what is read from
	 * one can stand for the other.
	 */
	char id[65];
	/*
	 * Optional (NULL: list everything, then filter): the entries whose
	 * path match() accepts, unsorted, without copying the others (the
	 * index of a 100,000-file monorepo).
	 */
	int (*list_matching)(struct mg_tree *t,
			     int (*match)(const char *path, void *payload),
			     void *payload, struct mg_tree_listing *out);
	/*
	 * Optional (NULL: the view has no links): when path is a symbolic
	 * link, 0 and its target text (*target, new); MG_ENOTFOUND when it
	 * is anything else or nothing.
	 */
	int (*readlink)(struct mg_tree *t, const char *path, char **target);
};

/*
 * Read a whole file; *data is the caller's (free()), NUL-terminated after
 * len bytes. MG_ENOTFOUND when there is no such file.
 */
int mg_tree_read(struct mg_tree *t, const char *path, char **data,
		 size_t *len);
/* Every entry below dir ("" for all), recursively, sorted by path. */
int mg_tree_list(struct mg_tree *t, const char *dir,
		 struct mg_tree_listing *out);
/* Every entry whose path match() accepts, sorted by path. */
int mg_tree_list_matching(struct mg_tree *t,
			  int (*match)(const char *path, void *payload),
			  void *payload, struct mg_tree_listing *out);
void mg_tree_listing_release(struct mg_tree_listing *l);
/* Find an entry of a listing by path, or NULL. */
const struct mg_tree_entry *mg_tree_listing_find(
	const struct mg_tree_listing *l, const char *path);
void mg_tree_free(struct mg_tree *t);

/* A directory on disk (the work tree, or files for a test). */
int mg_tree_open_dir(struct mg_tree **out, const char *root);
/* The empty tree (no HEAD yet, a deleted folder). */
int mg_tree_open_empty(struct mg_tree **out);

/*
 * path with the symbolic links on its way (its folders and itself)
 * followed as drizzle's fs calls follow them, within the view: a link's
 * target is read relative to the link's folder. *out is new; *links is
 * how many links were followed (may be NULL). MG_EUSAGE when a link
 * leaves the view (an absolute target, or ".." above the root) or they
 * loop, the message naming the link (not its target).
 */
int mg_tree_resolve(struct mg_tree *t, const char *path, char **out,
		    unsigned *links);

/* 1 when path is relative, not empty, and has no "." or ".." component. */
int mg_path_is_safe(const char *path);

#endif

/*
 * The files drizzle-kit reads as a project's schema: the config's schema
 * entries (a file, a folder's script files, a glob's matches) and every
 * file they import, followed through relative imports ("./x", "../y",
 * with .ts/.tsx/.js->.ts and index resolution) and through workspace
 * packages ("@scope/pkg/sub", resolved by the package.json "name" and
 * "exports"/"main" found in the tree). Read from a tree (git objects).
 */
#ifndef MIGGUARD_SCHEMAGRAPH_H
#define MIGGUARD_SCHEMAGRAPH_H

#include "migguard/config.h"
#include "migguard/strbuf.h"
#include "migguard/tree.h"

/*
 * Fill out (sorted) with the repository paths of p's schema files in
 * tree. *roots gets how many came from the entries themselves (0: the
 * entries match nothing in tree). Files too big to read are listed, not
 * followed.
 */
int mg_schema_files(struct mg_strlist *out, size_t *roots,
		    struct mg_tree *tree, const struct mg_project *p);

/*
 * What drizzle-kit uses of one schema file: all of it (a root, a module
 * re-exported, imported as a namespace or for its effects, something
 * unparsed), or only the names imported from it (and what they
 * reference, tsscan.h's mg_ts_used). A module imported and never used
 * is not followed.
 */
struct mg_schema_use {
	char *path;
	int all;
	struct mg_strlist names;
	int dirty; /* while walking: to be read again */
};

struct mg_schema_uses {
	struct mg_schema_use *items;
	size_t nr, alloc;
};

/* mg_schema_files, and what is used of each file (uses may be NULL). */
int mg_schema_files_used(struct mg_strlist *out, size_t *roots,
			 struct mg_tree *tree, const struct mg_project *p,
			 struct mg_schema_uses *uses);
const struct mg_schema_use *mg_schema_use_of(const struct mg_schema_uses *u,
					     const char *path);
void mg_schema_uses_release(struct mg_schema_uses *u);

/* The workspace packages of a tree: each package.json's name and path. */
struct mg_schema_packages {
	struct mg_strlist names, paths;
};

void mg_schema_packages_load(struct mg_schema_packages *pk,
			     struct mg_tree *tree);
void mg_schema_packages_release(struct mg_schema_packages *pk);

/*
 * Resolve one import specifier of the file at `from` to a path of tree,
 * or NULL (a package from npm, a file not in the tree). packages NULL:
 * workspace packages are not followed. A new string.
 */
char *mg_schema_resolve(struct mg_tree *tree, const char *from,
			const char *spec,
			const struct mg_schema_packages *packages);

#endif

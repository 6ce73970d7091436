/*
 * Installing migguard's git hooks: file operations in the hooks folder git
 * runs (core.hooksPath, else the common git dir's hooks/, which linked
 * worktrees share). A foreign hook already there is kept and chained
 * (renamed NAME.migguard-chained; `migguard hook` runs it first), or, when
 * forced, saved as NAME.migguard-saved; uninstall puts it back. Under a
 * hook manager (husky, lefthook, the pre-commit framework) nothing is
 * written: the caller prints the line to add. Nothing here prints; every
 * call returns what it did.
 */
#ifndef MIGGUARD_INSTALL_H
#define MIGGUARD_INSTALL_H

#include <stddef.h>

#include "migguard/changeset.h"

enum mg_hook {
	MG_HOOK_PRE_COMMIT = 1 << 0,
	MG_HOOK_PRE_PUSH = 1 << 1,
	MG_HOOK_ALL = (1 << 2) - 1,
};

#define MG_HOOKS_NR 2
/* Beside the hook: the foreign hook that runs first, or the replaced one. */
#define MG_INSTALL_CHAINED_SUFFIX ".migguard-chained"
#define MG_INSTALL_SAVED_SUFFIX ".migguard-saved"
/* The first words of the second line of every hook migguard writes. */
#define MG_INSTALL_MARKER "# migguard-hook "

/* "pre-commit", "pre-push". */
const char *mg_hook_name(enum mg_hook hook);
/* "pre-commit,pre-push" (either, in any order) to a mask; MG_EUSAGE. */
int mg_hook_parse_list(unsigned *out, const char *list);

enum mg_hook_manager {
	MG_MANAGER_NONE,
	MG_MANAGER_HUSKY,
	MG_MANAGER_LEFTHOOK,
	MG_MANAGER_PRE_COMMIT,
};

struct mg_install_target {
	char *hooks_dir;  /* absolute, no trailing '/' */
	char *hooks_path; /* core.hooksPath as configured, or NULL */
	char *workdir;	  /* work tree top with '/', or NULL (bare) */
	enum mg_hook_manager manager;
	/*
	 * When manager is set: where the line goes, relative to the work
	 * tree (husky: its folder, ".husky"; lefthook and pre-commit: the
	 * config file), and what showed the manager.
	 */
	char *manager_file;
	char *evidence;
};

/*
 * Where repo's hooks live, and whether a hook manager owns them. home
 * expands a leading "~/" in core.hooksPath, as git does (NULL: no
 * expansion).
 */
int mg_install_target_find(struct mg_install_target *out,
			   struct mg_repo *repo, const char *home);
void mg_install_target_release(struct mg_install_target *t);

enum mg_install_action {
	MG_INSTALL_WROTE,	 /* no hook was there */
	MG_INSTALL_CHAINED,	 /* the foreign hook kept, runs first */
	MG_INSTALL_REPLACED,	 /* force: the foreign hook saved aside */
	MG_INSTALL_UPDATED,	 /* migguard's hook, rewritten */
	MG_INSTALL_UNCHANGED,	 /* migguard's hook, already current */
	MG_UNINSTALL_REMOVED,	 /* migguard's hook removed */
	MG_UNINSTALL_RESTORED,	 /* ... and the kept hook put back */
	MG_UNINSTALL_FOREIGN,	 /* not migguard's hook: left alone */
	MG_UNINSTALL_ABSENT,	 /* no hook */
};

struct mg_install_result {
	enum mg_hook hook;
	enum mg_install_action action;
	char *path; /* the hook file */
	char *kept; /* the kept (chained or saved) hook, or NULL */
	/*
	 * CHAINED, REPLACED, FOREIGN: the hook there carries migguard's
	 * marker but is not byte for byte what migguard writes (the user
	 * edited it), so it was kept like a foreign one.
	 */
	int edited;
};

/*
 * Write migguard's hooks (the mask) into t->hooks_dir, creating it.
 * binary is the absolute path written into the hook (installed=), or
 * NULL. Safe to run again: migguard's own hook is rewritten, never
 * chained. Fills out[] (MG_HOOKS_NR entries) and *nr even on failure, for
 * what was done before it.
 */
int mg_install_hooks(struct mg_install_result *out, size_t *nr,
		     const struct mg_install_target *t, unsigned hooks,
		     const char *binary, int force);
/* Remove migguard's hooks and put back what they kept. */
int mg_uninstall_hooks(struct mg_install_result *out, size_t *nr,
		       const struct mg_install_target *t, unsigned hooks);
void mg_install_results_release(struct mg_install_result *r, size_t nr);

/*
 * The project's node_modules/.bin/migguard (the npm package's shim), in
 * cwd or a folder above it up to the work tree's top, relative to the
 * top (where git runs hooks); NULL when there is none.
 */
char *mg_install_find_npm_bin(const struct mg_install_target *t,
			      const char *cwd);

/* The script for hook with installed= set to binary (NULL: empty). */
char *mg_install_hook_text(enum mg_hook hook, const char *binary);
/*
 * 1 when text is byte for byte the hook migguard writes for hook (with
 * any installed= path): only such a hook is rewritten or removed.
 */
int mg_install_is_ours(enum mg_hook hook, const char *text, size_t len);
/* 1 when text starts like a hook migguard wrote (its marker line). */
int mg_install_has_marker(const char *text, size_t len);

#endif

/*
 * The hook runtime: what `migguard hook` and `migguard install` do around
 * the checks, where a unit test reaches it without spawning migguard:
 * MIGGUARD_SKIP, the kept hook that runs first (chaining), the pre-push
 * apply's command lines, and the messages hooks and install show. Nothing
 * here prints, exits or reads the environment: the caller passes the
 * values in (MIGGUARD_SKIP, PRE_COMMIT_*) and prints what comes back.
 */
#ifndef MIGGUARD_HOOK_H
#define MIGGUARD_HOOK_H

#include <stddef.h>

#include "migguard/check.h"
#include "migguard/install.h"
#include "migguard/strbuf.h"

/* MIGGUARD_SKIP bits: the checks of check.h, and the pre-push apply. */
#define MG_HOOK_SKIP_APPLY (MG_CHECK_ALL_STATIC + 1u)
#define MG_HOOK_SKIP_ALL (MG_CHECK_ALL_STATIC | MG_HOOK_SKIP_APPLY)

struct mg_hook_skip {
	unsigned mask;		 /* what is skipped */
	struct mg_strlist unknown; /* names that are no check */
};

/*
 * MIGGUARD_SKIP's value (NULL: unset): "1" or "all" skips everything, ""
 * and "0" nothing, else a comma list of pair, journal, lint, docs, apply.
 */
void mg_hook_skip_parse(struct mg_hook_skip *out, const char *value);
void mg_hook_skip_release(struct mg_hook_skip *s);
/* What hook runs: pre-commit the static checks, pre-push also apply. */
unsigned mg_hook_runs(enum mg_hook hook);
/*
 * The lines a hook says about MIGGUARD_SKIP=value: a warning per unknown
 * name, then what it skips and what still runs (nothing when none of
 * what the hook runs is skipped).
 */
void mg_hook_skip_describe(struct mg_strbuf *out, enum mg_hook hook,
			   const char *value, const struct mg_hook_skip *s);

/*
 * The pre-commit framework runs pre-push hooks without git's stdin and
 * describes the push in PRE_COMMIT_FROM_REF, _TO_REF, _LOCAL_BRANCH and
 * _REMOTE_BRANCH: git's line for them, appended to in when in is empty
 * and both refs are given.
 */
void mg_hook_framework_push_line(struct mg_strbuf *in, const char *from,
				 const char *to, const char *local,
				 const char *remote);

enum mg_hook_chained {
	MG_HOOK_CHAINED_ABSENT,	 /* no kept hook: nothing ran */
	MG_HOOK_CHAINED_NOT_EXEC, /* not executable: not run (as git does) */
	MG_HOOK_CHAINED_RAN,	 /* ran; *status is its exit code */
};

/*
 * Run the hook `migguard install` kept at path first, with args and, on
 * its stdin, input (NULL: ours). A script without a #! line runs with
 * /bin/sh, as git runs it. *status: its exit code (a signal: 1). < 0
 * when it could not be started.
 */
int mg_hook_run_chained(enum mg_hook_chained *what, int *status,
			const char *path, char **args, size_t nargs,
			const struct mg_strbuf *input);

/* A project to apply after the pre-push checks, at a pushed commit. */
struct mg_apply_target {
	char *rev;     /* the pushed commit */
	char *project; /* the project's name (migguard-apply --project) */
	char *folder;  /* its migrations folder, for the message */
	char *mode;    /* apply.prePush: dry-run, apply, fresh */
	int required;  /* apply.required */
};

#define MG_HOOK_APPLY_ARGV_MAX 11
/*
 * migguard-apply's argv (NULL-terminated, borrowed from t and repo_dir)
 * for t: --rev, --project, the mode, --if-reachable unless required.
 */
void mg_hook_apply_argv(char **argv, const struct mg_apply_target *t,
			const char *repo_dir);
/*
 * Run prog (a path, or a name looked up in PATH) with argv and wait; its
 * stdout goes to our stderr when stdout_to_stderr (a hook's output is for
 * git's stderr). *status: its exit code, 2 when killed. < 0 when it could
 * not be started.
 */
int mg_hook_spawn(int *status, const char *prog, char *const *argv,
		  int stdout_to_stderr);

/* The last line of a stopped hook: how to fix, how to bypass. */
void mg_hook_stop_message(struct mg_strbuf *out, enum mg_hook hook,
			  int exit_code);

/* What install or uninstall did with one hook, one line. */
void mg_install_describe(struct mg_strbuf *out,
			 const struct mg_install_target *t,
			 const struct mg_install_result *res);
/*
 * Under a hook manager: what to add to its configuration, running
 * command ("migguard", or the project's "node_modules/.bin/migguard").
 */
void mg_install_manager_snippet(struct mg_strbuf *out,
				const struct mg_install_target *t,
				unsigned hooks, const char *command);

#endif

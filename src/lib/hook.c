#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "migguard/error.h"
#include "migguard/hook.h"

extern char **environ;

/* MIGGUARD_SKIP. */

static const struct {
	const char *name;
	unsigned id;
} skip_names[] = {
	{ "pair", MG_CHECK_PAIR },   { "journal", MG_CHECK_JOURNAL },
	{ "lint", MG_CHECK_LINT },   { "docs", MG_CHECK_DOCS },
	{ "apply", MG_HOOK_SKIP_APPLY },
};

#define SKIP_NAMES_NR (sizeof(skip_names) / sizeof(skip_names[0]))

void mg_hook_skip_parse(struct mg_hook_skip *out, const char *value)
{
	struct mg_strlist names = MG_STRLIST_INIT;
	size_t i, k;

	memset(out, 0, sizeof(*out));
	if (!value || !*value || !strcmp(value, "0"))
		return;
	if (!strcmp(value, "1") || !strcmp(value, "all")) {
		out->mask = MG_HOOK_SKIP_ALL;
		return;
	}
	mg_strlist_split(&names, value);
	for (k = 0; k < names.nr; k++) {
		for (i = 0; i < SKIP_NAMES_NR; i++)
			if (!strcmp(skip_names[i].name, names.items[k]))
				break;
		if (i < SKIP_NAMES_NR)
			out->mask |= skip_names[i].id;
		else
			mg_strlist_push(&out->unknown, names.items[k]);
	}
	mg_strlist_release(&names);
}

void mg_hook_skip_release(struct mg_hook_skip *s)
{
	mg_strlist_release(&s->unknown);
	s->mask = 0;
}

unsigned mg_hook_runs(enum mg_hook hook)
{
	return hook == MG_HOOK_PRE_PUSH ? MG_HOOK_SKIP_ALL
					: MG_CHECK_ALL_STATIC;
}

static void add_names(struct mg_strbuf *out, unsigned mask)
{
	const char *sep = "";
	size_t i;

	for (i = 0; i < SKIP_NAMES_NR; i++) {
		if (!(mask & skip_names[i].id))
			continue;
		mg_strbuf_addf(out, "%s%s", sep, skip_names[i].name);
		sep = ", ";
	}
}

void mg_hook_skip_describe(struct mg_strbuf *out, enum mg_hook hook,
			   const char *value, const struct mg_hook_skip *s)
{
	unsigned runs = mg_hook_runs(hook);
	const char *name = mg_hook_name(hook);
	size_t k;

	for (k = 0; k < s->unknown.nr; k++)
		mg_strbuf_addf(out, "migguard: warning: MIGGUARD_SKIP: unknown "
			       "check '%s' (pair, journal, lint, docs, apply; "
			       "1 = all)\n", s->unknown.items[k]);
	if (!(s->mask & runs))
		return;
	if (!(runs & ~s->mask)) {
		mg_strbuf_addf(out, "migguard: MIGGUARD_SKIP=%s: %s: every "
			       "check skipped\n", value, name);
		return;
	}
	mg_strbuf_addf(out, "migguard: MIGGUARD_SKIP=%s: %s: skipping ",
		       value, name);
	add_names(out, s->mask & runs);
	mg_strbuf_adds(out, "; still running ");
	add_names(out, runs & ~s->mask);
	mg_strbuf_addch(out, '\n');
}

void mg_hook_framework_push_line(struct mg_strbuf *in, const char *from,
				 const char *to, const char *local,
				 const char *remote)
{
	if (in->len || !from || !*from || !to || !*to)
		return;
	mg_strbuf_addf(in, "%s %s %s %s\n", local && *local ? local : "HEAD",
		       to, remote && *remote ? remote : "refs/heads/unknown",
		       from);
}

/* Running another program. */

static int wait_for(int *status, pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return mg_error_set("cannot wait for process %ld: %s",
					    (long)pid, strerror(errno));
	}
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return 0;
}

int mg_hook_run_chained(enum mg_hook_chained *what, int *status,
			const char *path, char **args, size_t nargs,
			const struct mg_strbuf *input)
{
	char **argv = mg_xcalloc(nargs + 3, sizeof(*argv));
	posix_spawn_file_actions_t fa;
	int fa_ready = 0, err = 0;
	FILE *tmp = NULL;
	pid_t pid;
	size_t i;

	*what = MG_HOOK_CHAINED_ABSENT;
	*status = 0;
	if (access(path, F_OK) < 0)
		goto out;
	if (access(path, X_OK) < 0) {
		*what = MG_HOOK_CHAINED_NOT_EXEC;
		goto out;
	}
	if (input) {
		tmp = tmpfile();
		if (!tmp || (input->len && fwrite(input->buf, 1, input->len,
						  tmp) != input->len) ||
		    fflush(tmp)) {
			err = mg_error_set("cannot keep stdin for '%s': %s",
					   path, strerror(errno));
			goto out;
		}
		rewind(tmp);
	}
	argv[0] = (char *)"/bin/sh";
	argv[1] = (char *)path;
	for (i = 0; i < nargs; i++)
		argv[i + 2] = args[i];
	posix_spawn_file_actions_init(&fa);
	fa_ready = 1;
	if (tmp)
		posix_spawn_file_actions_adddup2(&fa, fileno(tmp),
						 STDIN_FILENO);
	fflush(stdout);
	fflush(stderr);
	err = posix_spawn(&pid, path, &fa, NULL, argv + 1, environ);
	if (err == ENOEXEC) /* no #! line: git runs it with sh */
		err = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	if (err) {
		err = mg_error_set("cannot run '%s': %s", path, strerror(err));
		goto out;
	}
	err = wait_for(status, pid);
	if (err < 0)
		goto out;
	if (*status < 0)
		*status = 1; /* killed: a failure all the same */
	*what = MG_HOOK_CHAINED_RAN;
out:
	if (fa_ready)
		posix_spawn_file_actions_destroy(&fa);
	if (tmp)
		fclose(tmp);
	free(argv);
	return err;
}

void mg_hook_apply_argv(char **argv, const struct mg_apply_target *t,
			const char *repo_dir)
{
	size_t n = 0;

	argv[n++] = (char *)"migguard-apply";
	argv[n++] = (char *)"--rev";
	argv[n++] = t->rev;
	argv[n++] = (char *)"--project";
	argv[n++] = t->project;
	if (!strcmp(t->mode, "dry-run"))
		argv[n++] = (char *)"--dry-run";
	else if (!strcmp(t->mode, "fresh"))
		argv[n++] = (char *)"--fresh";
	if (!t->required)
		argv[n++] = (char *)"--if-reachable";
	if (repo_dir) {
		argv[n++] = (char *)"--repo";
		argv[n++] = (char *)repo_dir;
	}
	argv[n] = NULL;
}

int mg_hook_spawn(int *status, const char *prog, char *const *argv,
		  int stdout_to_stderr)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int err;

	*status = 2;
	posix_spawn_file_actions_init(&fa);
	if (stdout_to_stderr)
		posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO,
						 STDOUT_FILENO);
	fflush(stdout);
	fflush(stderr);
	if (strchr(prog, '/'))
		err = posix_spawn(&pid, prog, &fa, NULL, argv, environ);
	else
		err = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err)
		return mg_error_set("cannot run %s: %s", prog, strerror(err));
	err = wait_for(status, pid);
	if (err < 0)
		return err;
	if (*status < 0)
		*status = 2;
	return 0;
}

void mg_hook_stop_message(struct mg_strbuf *out, enum mg_hook hook,
			  int exit_code)
{
	const char *verb = hook == MG_HOOK_PRE_PUSH ? "push" : "commit";

	/* The contract's exit codes: 1 findings, 2 could not run. */
	if (exit_code == 1)
		mg_strbuf_addf(out, "migguard: %s stopped: fix the findings "
			       "above; to bypass once: MIGGUARD_SKIP=CHECK[,"
			       "CHECK] git %s (pair, journal, lint, docs, "
			       "apply; 1 = all) or git %s --no-verify\n", verb,
			       verb, verb);
	else if (exit_code == 2)
		mg_strbuf_addf(out, "migguard: %s stopped: the %s checks "
			       "could not run (above); to bypass once: "
			       "MIGGUARD_SKIP=1 git %s or git %s --no-verify\n",
			       verb, mg_hook_name(hook), verb, verb);
}

/* install's messages. */

/* A path as the user reads it: relative to the work tree's top. */
static const char *shown(const struct mg_install_target *t, const char *path)
{
	if (t->workdir && mg_starts_with(path, t->workdir))
		return path + strlen(t->workdir);
	return path;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

void mg_install_describe(struct mg_strbuf *out,
			 const struct mg_install_target *t,
			 const struct mg_install_result *res)
{
	const char *hook = mg_hook_name(res->hook);
	const char *path = shown(t, res->path);
	const char *kept = res->kept ? base_name(res->kept) : "";
	const char *edited =
		res->edited ? ", migguard's with local edits," : "";

	switch (res->action) {
	case MG_INSTALL_WROTE:
	case MG_INSTALL_UPDATED:
	case MG_INSTALL_UNCHANGED:
		if (res->action == MG_INSTALL_UNCHANGED)
			mg_strbuf_addf(out, "migguard: the %s hook is up to "
				       "date: %s", hook, path);
		else
			mg_strbuf_addf(out, "migguard: installed the %s hook: "
				       "%s", hook, path);
		if (res->kept && mg_ends_with(kept, MG_INSTALL_CHAINED_SUFFIX))
			mg_strbuf_addf(out, " (runs %s first)", kept);
		mg_strbuf_addch(out, '\n');
		break;
	case MG_INSTALL_CHAINED:
		mg_strbuf_addf(out, "migguard: installed the %s hook: %s (the "
			       "existing hook%s is kept as %s and runs first)\n",
			       hook, path, edited, kept);
		break;
	case MG_INSTALL_REPLACED:
		mg_strbuf_addf(out, "migguard: replaced the %s hook: %s (the "
			       "existing hook%s is saved as %s; migguard "
			       "uninstall puts it back)\n", hook, path, edited,
			       kept);
		break;
	case MG_UNINSTALL_REMOVED:
		mg_strbuf_addf(out, "migguard: removed the %s hook: %s\n", hook,
			       path);
		break;
	case MG_UNINSTALL_RESTORED:
		mg_strbuf_addf(out, "migguard: removed the %s hook and put back "
			       "the one it kept: %s\n", hook, path);
		break;
	case MG_UNINSTALL_FOREIGN:
		if (res->edited)
			mg_strbuf_addf(out, "migguard: %s is migguard's hook "
				       "with local edits: left alone (remove "
				       "it yourself)\n", path);
		else
			mg_strbuf_addf(out, "migguard: %s is not migguard's "
				       "hook: left alone\n", path);
		break;
	case MG_UNINSTALL_ABSENT:
		mg_strbuf_addf(out, "migguard: no %s hook at %s: nothing to "
			       "remove\n", hook, path);
		break;
	}
}

void mg_install_manager_snippet(struct mg_strbuf *out,
				const struct mg_install_target *t,
				unsigned hooks, const char *command)
{
	static const char *const names[] = { "husky", "lefthook",
					     "the pre-commit framework" };
	const char *file = t->manager_file;

	if (t->manager == MG_MANAGER_NONE)
		return;
	mg_strbuf_addf(out, "migguard: %s runs this repository's hooks (%s): "
		       "nothing written.\n", names[t->manager - 1],
		       t->evidence);
	switch (t->manager) {
	case MG_MANAGER_HUSKY:
		if (hooks & MG_HOOK_PRE_COMMIT)
			mg_strbuf_addf(out, "Add this line to %s/pre-commit:\n"
				       "  %s hook pre-commit\n", file, command);
		if (hooks & MG_HOOK_PRE_PUSH)
			mg_strbuf_addf(out, "Add this line to %s/pre-push:\n"
				       "  %s hook pre-push \"$@\"\n", file,
				       command);
		break;
	case MG_MANAGER_LEFTHOOK:
		mg_strbuf_addf(out, "Add to %s, then run 'lefthook install':\n",
			       file);
		if (hooks & MG_HOOK_PRE_COMMIT)
			mg_strbuf_addf(out, "pre-commit:\n  commands:\n    "
				       "migguard:\n      run: %s hook "
				       "pre-commit\n", command);
		if (hooks & MG_HOOK_PRE_PUSH)
			mg_strbuf_addf(out, "pre-push:\n  commands:\n    "
				       "migguard:\n      run: %s hook pre-push "
				       "{1} {2}\n      use_stdin: true\n",
				       command);
		break;
	case MG_MANAGER_PRE_COMMIT:
		mg_strbuf_addf(out, "Add to %s, then run 'pre-commit install "
			       "--hook-type pre-commit --hook-type pre-push':\n"
			       "  - repo: local\n    hooks:\n", file);
		if (hooks & MG_HOOK_PRE_COMMIT)
			mg_strbuf_addf(out, "      - id: migguard\n"
				       "        name: migguard\n"
				       "        entry: %s hook pre-commit\n"
				       "        language: system\n"
				       "        always_run: true\n"
				       "        pass_filenames: false\n"
				       "        stages: [commit]\n", command);
		if (hooks & MG_HOOK_PRE_PUSH)
			mg_strbuf_addf(out, "      - id: migguard-pre-push\n"
				       "        name: migguard (pre-push)\n"
				       "        entry: %s hook pre-push\n"
				       "        language: system\n"
				       "        always_run: true\n"
				       "        pass_filenames: false\n"
				       "        stages: [push]\n", command);
		break;
	case MG_MANAGER_NONE:
		break;
	}
}

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "migguard/install.h"

static const char usage[] =
	"usage: migguard <command> [options]\n"
	"\n"
	"  check      run pair, journal, lint and docs in one process (CI)\n"
	"  pair       schema and migration are changed together, complete\n"
	"  journal    journal, snapshots and SQL agree; committed migrations "
	"unchanged\n"
	"  lint       review migration SQL with the PostgreSQL parser\n"
	"  docs       flag documentation pages that need updating\n"
	"  apply      apply pending migrations, drizzle-compatible\n"
	"  hook NAME  what the installed git hooks run (pre-commit, "
	"pre-push)\n"
	"  install    write the git hooks into this repository\n"
	"  uninstall  remove them, restoring what was there\n"
	"  changes    print the change set the checks see (A/M/D/R path)\n"
	"  baseline   write .migguard-baseline.json: what check --all finds "
	"now,\n"
	"             left out of check --all from then on\n"
	"  version    print the version\n"
	"  help [CMD] this text, a command's options, or 'help rules'\n"
	"\n"
	"Change set: --staged (default) | --base REV [--head REV] |\n"
	"            --pre-push REMOTE | --all;  --repo DIR\n"
	"Output:     --format text|json|github|sarif, --color[=WHEN]\n"
	"Exit:       0 no error, 1 errors found, 2 could not run\n";

/* migguard-X next to this binary, else on PATH. */
static int exec_sibling(const char *name, int argc, char **argv)
{
	char self[PATH_MAX], *slash, *path;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	argv[0] = (char *)name;
	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			slash[1] = '\0';
			path = mg_xstrfmt("%s%s", self, name);
			execv(path, argv);
			free(path);
		}
	}
	(void)argc;
	execvp(name, argv);
	fprintf(stderr, "migguard: error: cannot run %s: %s\n", name,
		strerror(errno));
	return MG_EXIT_FAILURE;
}

static void read_stdin(struct mg_strbuf *in)
{
	char buf[4096];
	size_t n;

	for (;;) {
		n = fread(buf, 1, sizeof(buf), stdin);
		if (!n)
			break;
		mg_strbuf_add(in, buf, n);
	}
}

static int cmd_changes(int argc, char **argv)
{
	struct mg_cli cli;
	struct mg_repo_options ropts;
	struct mg_repo *repo = NULL;
	struct mg_changeset **list = NULL;
	struct mg_strlist all = MG_STRLIST_INIT;
	size_t nr = 0, i, k;
	int ret;

	ret = mg_cli_parse(&cli, argc, argv, "migguard changes",
			   "usage: migguard changes [--staged | --base REV "
			   "[--head REV] | --pre-push REMOTE] [--repo DIR]\n");
	if (ret >= 0)
		goto out;
	ret = MG_EXIT_FAILURE;
	mg_cli_repo_options(&cli, &ropts);
	if (mg_repo_open(&repo, &ropts) < 0) {
		mg_cli_fail(&cli, "%s", mg_error_last());
		goto out;
	}
	if (cli.change.mode == MG_CHANGESET_PRE_PUSH) {
		struct mg_strbuf in = MG_STRBUF_INIT;

		read_stdin(&in);
		cli.change.push_lines = mg_strbuf_detach(&in, NULL);
	}
	if (mg_changeset_list(&list, &nr, repo, &cli.change) < 0) {
		mg_cli_fail(&cli, "%s", mg_error_last());
		goto out;
	}
	/* Everything: an empty watch list means no pathspec limit. */
	for (i = 0; i < nr; i++) {
		struct mg_changeset *cs = list[i];

		if (mg_changeset_diff(cs, &all) < 0) {
			mg_cli_fail(&cli, "%s", mg_error_last());
			goto out;
		}
		printf("# %s\n", cs->label);
		for (k = 0; k < cs->nr; k++) {
			if (cs->changes[k].old_path)
				printf("%c\t%s\t%s\n", cs->changes[k].status,
				       cs->changes[k].old_path,
				       cs->changes[k].path);
			else
				printf("%c\t%s\n", cs->changes[k].status,
				       cs->changes[k].path);
		}
	}
	ret = MG_EXIT_OK;
out:
	free((char *)cli.change.push_lines);
	mg_changeset_list_free(list, nr);
	mg_repo_free(repo);
	mg_cli_release(&cli);
	return ret;
}

static const char baseline_usage[] =
	"usage: migguard baseline [--repo DIR] [--head REV]\n"
	"\n"
	"Write .migguard-baseline.json at the top of the work tree: every "
	"finding\n"
	"of 'migguard check --all' at HEAD (or REV), as rule, path and a "
	"fingerprint\n"
	"of the statement or journal entry (no line numbers), sorted. Commit "
	"it:\n"
	"check --all then leaves those findings out and warns about an entry "
	"that\n"
	"matches nothing any more (baseline-stale). The change set modes "
	"(hooks,\n"
	"--base) need no baseline: they report only what the change "
	"introduces.\n";

static int cmd_baseline(int argc, char **argv)
{
	char **args = mg_xcalloc((size_t)argc + 2, sizeof(*args));
	struct mg_cli cli;
	int i, ret;

	args[0] = (char *)"migguard baseline";
	args[1] = (char *)"--all";
	for (i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	ret = mg_cli_parse(&cli, argc + 1, args, "migguard baseline",
			   baseline_usage);
	if (ret >= 0)
		goto out;
	if (cli.change.mode != MG_CHANGESET_ALL || cli.each_commit ||
	    cli.files.nr || cli.format != MG_FORMAT_TEXT) {
		ret = mg_cli_fail(&cli, "baseline takes --repo and --head "
				  "only\n%s", baseline_usage);
		goto out;
	}
	cli.write_baseline = 1;
	ret = mg_cli_run_checks(&cli, MG_CHECK_ALL_STATIC);
out:
	mg_cli_release(&cli);
	free(args);
	return ret;
}

/* The hooks. */

static const char hook_usage[] =
	"usage: migguard hook pre-commit [--chain FILE] [FILE...]\n"
	"       migguard hook pre-push [--chain FILE] REMOTE [URL]\n"
	"\n"
	"What the installed git hooks run. pre-commit checks the staged "
	"change\n"
	"(pair, journal, lint, docs) and returns at once when nothing under a"
	"\n"
	"watched path changed; trailing file names are ignored. pre-push "
	"checks\n"
	"the pushed commits, read from git's lines on stdin, then applies the\n"
	"migrations per the config's apply.prePush. --chain FILE: a hook kept"
	"\n"
	"by 'migguard install' that runs first, with the same arguments and\n"
	"stdin; its failure stops git.\n"
	"\n"
	"Bypass, from the narrowest:\n"
	"  MIGGUARD_SKIP=lint,docs git commit ...  skip some checks (pair,\n"
	"                                          journal, lint, docs, apply)"
	"\n"
	"  MIGGUARD_SKIP=1 git commit ...          skip them all (also: all)\n"
	"  git commit --no-verify                  skip every hook\n"
	"Only 'migguard hook' honours MIGGUARD_SKIP; 'migguard check' (CI) "
	"does not.\n"
	"Exit: 0 go on, 1 errors found, 2 could not run (both stop git).\n";

/* MIGGUARD_SKIP bits: the checks of check.h, and the pre-push apply. */
enum { SKIP_APPLY = MG_CHECK_ALL_STATIC + 1 };
#define SKIP_EVERYTHING (MG_CHECK_ALL_STATIC | SKIP_APPLY)

static const struct {
	const char *name;
	unsigned id;
} skip_names[] = {
	{ "pair", MG_CHECK_PAIR },   { "journal", MG_CHECK_JOURNAL },
	{ "lint", MG_CHECK_LINT },   { "docs", MG_CHECK_DOCS },
	{ "apply", SKIP_APPLY },
};

#define SKIP_NAMES_NR (sizeof(skip_names) / sizeof(skip_names[0]))

/* MIGGUARD_SKIP: "1"/"all" skips everything, else a list of names. */
static unsigned skip_parse(const char *skip)
{
	struct mg_strlist names = MG_STRLIST_INIT;
	unsigned mask = 0;
	size_t i, k;

	if (!skip || !*skip || !strcmp(skip, "0"))
		return 0;
	if (!strcmp(skip, "1") || !strcmp(skip, "all"))
		return SKIP_EVERYTHING;
	mg_strlist_split(&names, skip);
	for (k = 0; k < names.nr; k++) {
		for (i = 0; i < SKIP_NAMES_NR; i++)
			if (!strcmp(skip_names[i].name, names.items[k]))
				break;
		if (i < SKIP_NAMES_NR)
			mask |= skip_names[i].id;
		else
			fprintf(stderr, "migguard: warning: MIGGUARD_SKIP: "
				"unknown check '%s' (pair, journal, lint, "
				"docs, apply; 1 = all)\n", names.items[k]);
	}
	mg_strlist_release(&names);
	return mask;
}

static void skip_say(const char *hook, const char *skip, unsigned mask)
{
	const char *sep = "";
	size_t i;

	if (mask == SKIP_EVERYTHING) {
		fprintf(stderr, "migguard: MIGGUARD_SKIP=%s: %s: every check "
			"skipped\n", skip, hook);
		return;
	}
	fprintf(stderr, "migguard: MIGGUARD_SKIP=%s: %s: skipping ", skip,
		hook);
	for (i = 0; i < SKIP_NAMES_NR; i++) {
		if (!(mask & skip_names[i].id))
			continue;
		fprintf(stderr, "%s%s", sep, skip_names[i].name);
		sep = ", ";
	}
	fputc('\n', stderr);
}

/*
 * The foreign hook 'migguard install' kept: run it first, with the same
 * arguments and stdin (input, or ours when NULL), exactly once. Like git,
 * a file that is not executable is not run.
 */
static int run_chained(const char *hook, const char *path, char **args,
		       int nargs, const struct mg_strbuf *input)
{
	char **argv = mg_xcalloc((size_t)nargs + 3, sizeof(*argv));
	FILE *tmp = NULL;
	pid_t pid;
	int i, status, ret = MG_EXIT_OK;

	if (access(path, F_OK) < 0)
		goto out;
	if (access(path, X_OK) < 0) {
		fprintf(stderr, "migguard: %s: the kept hook '%s' is not "
			"executable, so it is not run (chmod +x it)\n", hook,
			path);
		goto out;
	}
	if (input) {
		tmp = tmpfile();
		if (!tmp || (input->len && fwrite(input->buf, 1, input->len,
						  tmp) != input->len) ||
		    fflush(tmp)) {
			fprintf(stderr, "migguard: error: cannot keep stdin "
				"for '%s': %s\n", path, strerror(errno));
			ret = MG_EXIT_FAILURE;
			goto out;
		}
		rewind(tmp);
	}
	argv[0] = (char *)"/bin/sh";
	argv[1] = (char *)path;
	for (i = 0; i < nargs; i++)
		argv[i + 2] = args[i];
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "migguard: error: cannot run '%s': %s\n", path,
			strerror(errno));
		ret = MG_EXIT_FAILURE;
		goto out;
	}
	if (pid == 0) {
		if (tmp)
			dup2(fileno(tmp), STDIN_FILENO);
		execv(path, argv + 1);
		if (errno == ENOEXEC) /* no #! line: git runs it with sh */
			execv(argv[0], argv);
		fprintf(stderr, "migguard: error: cannot run '%s': %s\n", path,
			strerror(errno));
		_exit(126);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		goto out;
	ret = WIFEXITED(status) ? WEXITSTATUS(status) : MG_EXIT_FINDINGS;
	fprintf(stderr, "migguard: %s: the kept hook '%s' failed (exit %d), "
		"so migguard's checks did not run\n", hook, path, ret);
out:
	if (tmp)
		fclose(tmp);
	free(argv);
	return ret;
}

/*
 * The pre-commit framework runs pre-push hooks without git's stdin and
 * describes the push in PRE_COMMIT_* instead.
 */
static void pre_commit_framework_lines(struct mg_strbuf *in)
{
	const char *from = getenv("PRE_COMMIT_FROM_REF");
	const char *to = getenv("PRE_COMMIT_TO_REF");
	const char *local = getenv("PRE_COMMIT_LOCAL_BRANCH");
	const char *remote = getenv("PRE_COMMIT_REMOTE_BRANCH");

	if (in->len || !from || !*from || !to || !*to)
		return;
	mg_strbuf_addf(in, "%s %s %s %s\n", local && *local ? local : "HEAD",
		       to, remote && *remote ? remote : "refs/heads/unknown",
		       from);
}

/*
 * APPLY (pre-push), to be wired by the migguard-apply branch: run
 * migguard-apply on the pushed commit per the config's apply.prePush
 * ("dry-run" by default, "apply", "fresh", "off"); a database that cannot
 * be reached is a warning saying how to start it, or exit 2 when
 * apply.required is true. MIGGUARD_SKIP=apply (or 1) skips it: the caller
 * does not call this then. Returns an exit code.
 */
/* Run migguard-apply with args, its output on stderr; its exit code. */
static int run_apply(char **args)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "migguard: error: cannot fork: %s\n",
			strerror(errno));
		return MG_EXIT_FAILURE;
	}
	if (pid == 0) {
		dup2(STDERR_FILENO, STDOUT_FILENO);
		exec_sibling("migguard-apply", 0, args);
		_exit(MG_EXIT_FAILURE);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status))
		return MG_EXIT_FAILURE;
	return WEXITSTATUS(status);
}

/*
 * pre-push, after the checks: apply, as apply.prePush says (dry-run by
 * default), each project whose migrations a pushed ref changes (noted by
 * the checks' run). No database is a warning unless apply.required.
 */
static int hook_apply(struct mg_cli *cli)
{
	size_t i;
	int ret = MG_EXIT_OK;

	for (i = 0; i < cli->apply_nr && ret == MG_EXIT_OK; i++) {
		const struct mg_apply_target *t = &cli->apply[i];
		char *args[10];
		size_t n = 0;

		fprintf(stderr, "migguard: pre-push apply (%s) of '%s' at "
			"%.7s\n", t->mode, t->folder, t->rev);
		args[n++] = (char *)"migguard-apply";
		args[n++] = (char *)"--rev";
		args[n++] = t->rev;
		args[n++] = (char *)"--project";
		args[n++] = t->project;
		if (!strcmp(t->mode, "dry-run"))
			args[n++] = (char *)"--dry-run";
		else if (!strcmp(t->mode, "fresh"))
			args[n++] = (char *)"--fresh";
		if (!t->required)
			args[n++] = (char *)"--if-reachable";
		if (cli->repo_dir) {
			args[n++] = (char *)"--repo";
			args[n++] = (char *)cli->repo_dir;
		}
		args[n] = NULL;
		ret = run_apply(args);
	}
	return ret;
}

static int cmd_hook(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	const char *skip = getenv("MIGGUARD_SKIP");
	const char *chain = NULL, *remote, *verb;
	struct mg_strbuf in = MG_STRBUF_INIT;
	unsigned skipped;
	struct mg_cli cli;
	char *args[4];
	int pre_push, first = 2, ret;

	memset(&cli, 0, sizeof(cli));
	if (name && (!strcmp(name, "-h") || !strcmp(name, "--help"))) {
		fputs(hook_usage, stdout);
		return MG_EXIT_OK;
	}
	if (!name || (strcmp(name, "pre-commit") && strcmp(name, "pre-push"))) {
		fprintf(stderr, "migguard hook: error: name the hook: "
			"pre-commit or pre-push\n%s", hook_usage);
		return MG_EXIT_FAILURE;
	}
	pre_push = !strcmp(name, "pre-push");
	verb = pre_push ? "push" : "commit";
	if (first + 1 < argc && !strcmp(argv[first], "--chain")) {
		chain = argv[first + 1];
		first += 2;
	}
	if (first < argc && !strcmp(argv[first], "--"))
		first++;
	/* git's arguments from argv[first]: pre-push's remote and URL. */
	if (pre_push && !isatty(STDIN_FILENO))
		read_stdin(&in);
	if (chain) {
		ret = run_chained(name, chain, argv + first, argc - first,
				  pre_push && !isatty(STDIN_FILENO) ? &in
								    : NULL);
		if (ret != MG_EXIT_OK)
			goto out;
	}
	skipped = skip_parse(skip);
	if (skipped)
		skip_say(name, skip, skipped);
	ret = MG_EXIT_OK;
	if (skipped == SKIP_EVERYTHING)
		goto out;
	args[0] = (char *)"migguard hook";
	if (!pre_push) {
		args[1] = (char *)"--staged";
		args[2] = NULL;
		ret = mg_cli_parse(&cli, 2, args, "migguard", hook_usage);
	} else {
		remote = first < argc ? argv[first] :
					getenv("PRE_COMMIT_REMOTE_NAME");
		args[1] = (char *)"--pre-push";
		args[2] = (char *)(remote && *remote ? remote : "origin");
		args[3] = NULL;
		ret = mg_cli_parse(&cli, 3, args, "migguard", hook_usage);
	}
	if (ret >= 0)
		goto out;
	cli.in_hook = 1;
	if (pre_push) {
		pre_commit_framework_lines(&in);
		/* Left NULL when stdin is a terminal: run_checks says so. */
		if (in.len || !isatty(STDIN_FILENO))
			cli.change.push_lines = in.len ? in.buf : "";
	}
	ret = MG_EXIT_OK;
	/* The checks' run also notes what the pre-push apply applies. */
	cli.want_apply = pre_push && !(skipped & SKIP_APPLY);
	if ((skipped & MG_CHECK_ALL_STATIC) != MG_CHECK_ALL_STATIC ||
	    cli.want_apply)
		ret = mg_cli_run_checks(&cli, MG_CHECK_ALL_STATIC & ~skipped);
	if (pre_push && ret == MG_EXIT_OK && !(skipped & SKIP_APPLY))
		ret = hook_apply(&cli);
	if (ret == MG_EXIT_FINDINGS)
		fprintf(stderr, "migguard: %s stopped: fix the findings above;"
			" to bypass once: MIGGUARD_SKIP=CHECK[,CHECK] git %s "
			"(pair, journal, lint, docs, apply; 1 = all) or git %s "
			"--no-verify\n", verb, verb, verb);
	else if (ret == MG_EXIT_FAILURE)
		fprintf(stderr, "migguard: %s stopped: the %s checks could "
			"not run (above); to bypass once: MIGGUARD_SKIP=1 git "
			"%s or git %s --no-verify\n", verb, name, verb, verb);
out:
	mg_cli_release(&cli);
	mg_strbuf_release(&in);
	return ret;
}

/* install, uninstall. */

static const char install_usage[] =
	"usage: migguard install [--repo DIR] [--hooks pre-commit,pre-push] "
	"[--force]\n"
	"       migguard uninstall [--repo DIR] [--hooks pre-commit,pre-push]"
	"\n"
	"\n"
	"install writes the pre-commit and pre-push hooks (or those --hooks "
	"names)\n"
	"into the folder git runs hooks from: core.hooksPath, else the common "
	"git\n"
	"dir's hooks/ (shared by linked worktrees). The hook records where "
	"this\n"
	"migguard is, so GUI clients with a minimal PATH find it. An existing "
	"hook\n"
	"that is not migguard's is kept as NAME.migguard-chained and runs "
	"first,\n"
	"with the same arguments and stdin; its failure still stops git. "
	"--force\n"
	"replaces it instead (kept as NAME.migguard-saved, not run). Running "
	"it\n"
	"again rewrites migguard's hooks and chains nothing new.\n"
	"\n"
	"Under husky, lefthook or the pre-commit framework, install writes "
	"nothing:\n"
	"it prints what to add to their configuration, and exits 0.\n"
	"\n"
	"uninstall removes migguard's hooks and puts back the hooks they "
	"kept;\n"
	"a hook that is not migguard's is left alone.\n"
	"Exit: 0 done (or nothing to do), 2 could not.\n";

static const struct option install_options[] = {
	{ "repo", required_argument, NULL, 'r' },
	{ "hooks", required_argument, NULL, 'k' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void manager_snippet(const struct mg_install_target *t,
			    unsigned hooks)
{
	static const char *const names[] = { "husky", "lefthook",
					     "the pre-commit framework" };
	const char *file = t->manager_file;

	printf("migguard: %s runs this repository's hooks (%s): nothing "
	       "written.\n", names[t->manager - 1], t->evidence);
	switch (t->manager) {
	case MG_MANAGER_HUSKY:
		if (hooks & MG_HOOK_PRE_COMMIT)
			printf("Add this line to %s/pre-commit:\n"
			       "  migguard hook pre-commit\n", file);
		if (hooks & MG_HOOK_PRE_PUSH)
			printf("Add this line to %s/pre-push:\n"
			       "  migguard hook pre-push \"$@\"\n", file);
		break;
	case MG_MANAGER_LEFTHOOK:
		printf("Add to %s, then run 'lefthook install':\n", file);
		if (hooks & MG_HOOK_PRE_COMMIT)
			printf("pre-commit:\n  commands:\n    migguard:\n"
			       "      run: migguard hook pre-commit\n");
		if (hooks & MG_HOOK_PRE_PUSH)
			printf("pre-push:\n  commands:\n    migguard:\n"
			       "      run: migguard hook pre-push {1} {2}\n"
			       "      use_stdin: true\n");
		break;
	case MG_MANAGER_PRE_COMMIT:
		printf("Add to %s, then run 'pre-commit install --hook-type "
		       "pre-commit --hook-type pre-push':\n"
		       "  - repo: local\n    hooks:\n", file);
		if (hooks & MG_HOOK_PRE_COMMIT)
			printf("      - id: migguard\n"
			       "        name: migguard\n"
			       "        entry: migguard hook pre-commit\n"
			       "        language: system\n"
			       "        always_run: true\n"
			       "        pass_filenames: false\n"
			       "        stages: [pre-commit]\n");
		if (hooks & MG_HOOK_PRE_PUSH)
			printf("      - id: migguard-pre-push\n"
			       "        name: migguard (pre-push)\n"
			       "        entry: migguard hook pre-push\n"
			       "        language: system\n"
			       "        always_run: true\n"
			       "        pass_filenames: false\n"
			       "        stages: [pre-push]\n");
		break;
	case MG_MANAGER_NONE:
		break;
	}
}

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

static void say_result(const struct mg_install_target *t,
		       const struct mg_install_result *res)
{
	const char *hook = mg_hook_name(res->hook);
	const char *path = shown(t, res->path);
	const char *kept = res->kept ? base_name(res->kept) : "";

	switch (res->action) {
	case MG_INSTALL_WROTE:
	case MG_INSTALL_UPDATED:
	case MG_INSTALL_UNCHANGED:
		if (res->action == MG_INSTALL_UNCHANGED)
			printf("migguard: the %s hook is up to date: %s", hook,
			       path);
		else
			printf("migguard: installed the %s hook: %s", hook,
			       path);
		if (res->kept && mg_ends_with(kept, MG_INSTALL_CHAINED_SUFFIX))
			printf(" (runs %s first)", kept);
		putchar('\n');
		break;
	case MG_INSTALL_CHAINED:
		printf("migguard: installed the %s hook: %s (the existing hook "
		       "is kept as %s and runs first)\n", hook, path, kept);
		break;
	case MG_INSTALL_REPLACED:
		printf("migguard: replaced the %s hook: %s (the existing hook "
		       "is saved as %s; migguard uninstall puts it back)\n",
		       hook, path, kept);
		break;
	case MG_UNINSTALL_REMOVED:
		printf("migguard: removed the %s hook: %s\n", hook, path);
		break;
	case MG_UNINSTALL_RESTORED:
		printf("migguard: removed the %s hook and put back the one it "
		       "kept: %s\n", hook, path);
		break;
	case MG_UNINSTALL_FOREIGN:
		printf("migguard: %s is not migguard's hook: left alone\n",
		       path);
		break;
	case MG_UNINSTALL_ABSENT:
		printf("migguard: no %s hook at %s: nothing to remove\n", hook,
		       path);
		break;
	}
}

/* The absolute path of this binary, for the hook's installed=. */
static char *self_path(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return NULL;
	self[n] = '\0';
	return mg_xstrdup(self);
}

static int cmd_install(int argc, char **argv, int install)
{
	const char *prog = install ? "migguard install" : "migguard uninstall";
	struct mg_install_result results[MG_HOOKS_NR];
	struct mg_install_target target;
	struct mg_repo_options ropts;
	struct mg_repo *repo = NULL;
	unsigned hooks = MG_HOOK_ALL;
	char *binary = NULL;
	size_t nr = 0, i;
	int c, force = 0, err, ret = MG_EXIT_FAILURE;

	memset(&target, 0, sizeof(target));
	memset(&ropts, 0, sizeof(ropts));
	optind = 1;
	opterr = 0;
	for (;;) {
		c = getopt_long(argc, argv, "+h", install_options, NULL);
		if (c == -1)
			break;
		switch (c) {
		case 'r':
			ropts.dir = optarg;
			break;
		case 'k':
			if (mg_hook_parse_list(&hooks, optarg) < 0) {
				fprintf(stderr, "%s: error: %s\n", prog,
					mg_error_last());
				goto out;
			}
			break;
		case 'f':
			force = install;
			if (!install) {
				fprintf(stderr, "%s: error: --force is for "
					"install\n", prog);
				goto out;
			}
			break;
		case 'h':
			fputs(install_usage, stdout);
			ret = MG_EXIT_OK;
			goto out;
		default:
			fprintf(stderr, "%s: error: unknown option '%s'\n%s",
				prog, argv[optind - 1], install_usage);
			goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: error: unexpected argument '%s'\n%s", prog,
			argv[optind], install_usage);
		goto out;
	}
	if (!ropts.dir) {
		ropts.git_dir = getenv("GIT_DIR");
		ropts.work_tree = getenv("GIT_WORK_TREE");
	}
	if (mg_repo_open(&repo, &ropts) < 0 ||
	    mg_install_target_find(&target, repo, getenv("HOME")) < 0) {
		fprintf(stderr, "%s: error: %s\n", prog, mg_error_last());
		goto out;
	}
	if (install && target.manager != MG_MANAGER_NONE) {
		manager_snippet(&target, hooks);
		ret = MG_EXIT_OK;
		goto out;
	}
	binary = install ? self_path() : NULL;
	if (install)
		err = mg_install_hooks(results, &nr, &target, hooks, binary,
				       force);
	else
		err = mg_uninstall_hooks(results, &nr, &target, hooks);
	for (i = 0; i < nr; i++)
		if (err >= 0 || i + 1 < nr)
			say_result(&target, &results[i]);
	if (err < 0) {
		fprintf(stderr, "%s: error: %s\n", prog, mg_error_last());
		goto out;
	}
	if (!install && target.manager != MG_MANAGER_NONE)
		printf("migguard: this repository's hooks are run by a hook "
		       "manager (%s): remove the 'migguard hook' lines from %s"
		       "\n", target.evidence, target.manager_file);
	ret = MG_EXIT_OK;
out:
	mg_install_results_release(results, nr);
	mg_install_target_release(&target);
	mg_repo_free(repo);
	free(binary);
	return ret;
}

/* help. */

static int help_rules(void)
{
	size_t nr, i;
	const struct mg_rule *rules = mg_rules_all(&nr);

	printf("%-30s %-8s %-8s %s\n", "rule", "check", "default", "summary");
	for (i = 0; i < nr; i++)
		printf("%-30s %-8s %-8s %s\n", rules[i].id, rules[i].check,
		       mg_severity_name(rules[i].severity), rules[i].summary);
	printf("\nSet a rule's severity in .migguard.json: "
	       "{\"rules\": {\"RULE\": \"error\"|\"warning\"|\"off\"}}.\n"
	       "Silence one statement: -- migguard-ignore RULE[,RULE] "
	       "[reason]\n");
	return MG_EXIT_OK;
}

static int cmd_help(int argc, char **argv)
{
	const char *topic = argc > 1 ? argv[1] : NULL;
	char *help_argv[] = { (char *)topic, (char *)"--help", NULL };
	char prog[64];

	if (!topic) {
		fputs(usage, stdout);
		return MG_EXIT_OK;
	}
	if (!strcmp(topic, "rules"))
		return help_rules();
	if (!strcmp(topic, "hook")) {
		fputs(hook_usage, stdout);
		return MG_EXIT_OK;
	}
	if (!strcmp(topic, "baseline")) {
		fputs(baseline_usage, stdout);
		return MG_EXIT_OK;
	}
	if (!strcmp(topic, "install") || !strcmp(topic, "uninstall")) {
		fputs(install_usage, stdout);
		return MG_EXIT_OK;
	}
	if (!strcmp(topic, "apply"))
		return exec_sibling("migguard-apply", 2, help_argv);
	if (!strcmp(topic, "check") || !strcmp(topic, "pair") ||
	    !strcmp(topic, "journal") || !strcmp(topic, "lint") ||
	    !strcmp(topic, "docs")) {
		snprintf(prog, sizeof(prog), "migguard %s", topic);
		return mg_cli_check_main(2, help_argv, prog,
					 MG_CHECK_ALL_STATIC);
	}
	fprintf(stderr, "migguard help: error: no help on '%s' (commands: "
		"check pair journal lint docs apply hook install uninstall "
		"changes baseline; or rules)\n", topic);
	return MG_EXIT_FAILURE;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("migguard %s\n", MIGGUARD_VERSION);
	return MG_EXIT_OK;
}

static int cmd_check(int argc, char **argv)
{
	static const struct {
		const char *name, *prog;
		unsigned checks;
	} checks[] = {
		{ "check", "migguard check", MG_CHECK_ALL_STATIC },
		{ "pair", "migguard-pair", MG_CHECK_PAIR },
		{ "journal", "migguard-journal", MG_CHECK_JOURNAL },
		{ "lint", "migguard-lint", MG_CHECK_LINT },
		{ "docs", "migguard-docs", MG_CHECK_DOCS },
	};
	size_t i;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (!strcmp(argv[0], checks[i].name))
			break;
	return mg_cli_check_main(argc, argv, checks[i].prog,
				 checks[i].checks);
}

static int cmd_apply(int argc, char **argv)
{
	return exec_sibling("migguard-apply", argc, argv);
}

static int cmd_install_hooks(int argc, char **argv)
{
	return cmd_install(argc, argv, 1);
}

static int cmd_uninstall_hooks(int argc, char **argv)
{
	return cmd_install(argc, argv, 0);
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "check", cmd_check },
	{ "pair", cmd_check },
	{ "journal", cmd_check },
	{ "lint", cmd_check },
	{ "docs", cmd_check },
	{ "apply", cmd_apply },
	{ "hook", cmd_hook },
	{ "install", cmd_install_hooks },
	{ "uninstall", cmd_uninstall_hooks },
	{ "changes", cmd_changes },
	{ "baseline", cmd_baseline },
	{ "version", cmd_version },
	{ "--version", cmd_version },
	{ "help", cmd_help },
	{ "--help", cmd_help },
	{ "-h", cmd_help },
};

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;
	size_t i;

	mg_cli_default_sigpipe();
	if (!cmd) {
		fputs(usage, stderr);
		return MG_EXIT_FAILURE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "migguard: error: unknown command '%s' (migguard help)"
		"\n", cmd);
	return MG_EXIT_FAILURE;
}

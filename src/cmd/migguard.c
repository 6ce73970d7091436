#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "upcheck.h"
#include "migguard/conventions.h"
#include "migguard/hook.h"
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
	"  conventions  the conventions the lint rules enforce, and why\n"
	"  baseline     write .migguard-baseline.json: what check --all finds "
	"now,\n"
	"               left out of check --all from then on\n"
	"  up-check     before/after `drizzle-kit up` (drizzle 1.0): does the"
	"\n"
	"               history convert, did it convert intact\n"
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

/* conventions. */

static const char conventions_usage[] =
	"usage: migguard conventions [--all] [--repo DIR] [--format text|json]"
	"\n"
	"\n"
	"The conventions the convention rules enforce, per project: each one\n"
	"configured in .migguard.json, or shown by the project's published\n"
	"migrations (the commits the branch's upstream or protectedRef already\n"
	"has; --all: HEAD, as 'migguard check --all' sees them), else off.\n"
	"Prints what was counted, the migrations that show it, and the \"lint\"\n"
	"lines of .migguard.json that pin it as it is now.\n";

static int cmd_conventions(int argc, char **argv)
{
	struct mg_cli cli;
	struct mg_repo_options ropts;
	struct mg_repo *repo = NULL;
	struct mg_changeset **list = NULL;
	struct mg_config config;
	struct mg_context ctx;
	struct mg_strbuf out = MG_STRBUF_INIT;
	const struct mg_lint_options *opts;
	size_t nr = 0, i;
	int ret, json;

	memset(&ctx, 0, sizeof(ctx));
	memset(&config, 0, sizeof(config));
	ret = mg_cli_parse(&cli, argc, argv, "migguard conventions",
			   conventions_usage);
	if (ret >= 0)
		goto out;
	ret = MG_EXIT_FAILURE;
	if ((cli.mode_given && cli.change.mode != MG_CHANGESET_ALL) ||
	    cli.files.nr) {
		mg_cli_fail(&cli, "conventions takes --all, --repo and "
			    "--format only\n%s", conventions_usage);
		goto out;
	}
	if (cli.format != MG_FORMAT_TEXT && cli.format != MG_FORMAT_JSON) {
		mg_cli_fail(&cli, "--format: text or json");
		goto out;
	}
	json = cli.format == MG_FORMAT_JSON;
	mg_cli_repo_options(&cli, &ropts);
	if (mg_repo_open(&repo, &ropts) < 0 ||
	    mg_changeset_list(&list, &nr, repo, &cli.change) < 0 || !nr ||
	    mg_config_load(&config, list[0]->head) < 0) {
		mg_cli_fail(&cli, "%s", mg_error_last());
		goto out;
	}
	ctx.config = &config;
	ctx.cs = list[0];
	ctx.repo = repo;
	ctx.protected_ref = config.protected_ref;
	mg_context_share_migdirs(&ctx);
	if (json)
		mg_strbuf_adds(&out, "{\"version\":1,\"projects\":[");
	for (i = 0; i < config.projects_nr; i++) {
		if (mg_context_lint_options(&opts, &ctx,
					    &config.projects[i]) < 0) {
			mg_cli_fail(&cli, "%s", mg_error_last());
			goto out;
		}
		if (json && i)
			mg_strbuf_addch(&out, ',');
		mg_conventions_describe(&out, &config.projects[i],
					ctx.conventions[i], json);
	}
	if (json)
		mg_strbuf_adds(&out, "]}\n");
	else if (!config.projects_nr)
		mg_strbuf_adds(&out, "no drizzle project found\n");
	fwrite(out.buf, 1, out.len, stdout);
	ret = mg_cli_output_status(&cli, MG_EXIT_OK);
out:
	mg_strbuf_release(&out);
	mg_context_release(&ctx);
	mg_config_release(&config);
	mg_changeset_list_free(list, nr);
	mg_repo_free(repo);
	mg_cli_release(&cli);
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

/* Print what a library call wrote, then let the buffer go. */
static void put(FILE *f, struct mg_strbuf *sb)
{
	if (sb->len)
		fwrite(sb->buf, 1, sb->len, f);
	mg_strbuf_release(sb);
}

/* The kept hook, first; an exit code (MG_EXIT_OK to go on). */
static int hook_chained(const char *hook, const char *path, char **args,
			int nargs, const struct mg_strbuf *input)
{
	enum mg_hook_chained what;
	int status;

	if (mg_hook_run_chained(&what, &status, path, args, (size_t)nargs,
				input) < 0) {
		fprintf(stderr, "migguard: error: %s\n", mg_error_last());
		return MG_EXIT_FAILURE;
	}
	if (what == MG_HOOK_CHAINED_NOT_EXEC)
		fprintf(stderr, "migguard: %s: the kept hook '%s' is not "
			"executable, so it is not run (chmod +x it)\n", hook,
			path);
	if (what != MG_HOOK_CHAINED_RAN || !status)
		return MG_EXIT_OK;
	fprintf(stderr, "migguard: %s: the kept hook '%s' failed (exit %d), "
		"so migguard's checks did not run\n", hook, path, status);
	return status;
}

/* migguard-X beside this binary, else the name, for PATH. */
static char *sibling_path(const char *name)
{
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			slash[1] = '\0';
			return mg_xstrfmt("%s%s", self, name);
		}
	}
	return mg_xstrdup(name);
}

/*
 * pre-push, after the checks: apply, as apply.prePush says (dry-run by
 * default), each project whose migrations a pushed ref changes (noted by
 * the checks' run). No database is a warning unless apply.required.
 */
static int hook_apply(struct mg_cli *cli)
{
	char *prog = sibling_path("migguard-apply");
	char *bare = NULL;
	char *args[MG_HOOK_APPLY_ARGV_MAX];
	int ret = MG_EXIT_OK;
	size_t i;

	if (access(prog, X_OK) < 0) { /* not beside us: PATH */
		bare = prog;
		prog = mg_xstrdup("migguard-apply");
	}
	for (i = 0; i < cli->apply_nr && ret == MG_EXIT_OK; i++) {
		const struct mg_apply_target *t = &cli->apply[i];

		fprintf(stderr, "migguard: pre-push apply (%s) of '%s' at "
			"%.7s\n", t->mode, t->folder, t->rev);
		mg_hook_apply_argv(args, t, cli->repo_dir);
		if (mg_hook_spawn(&ret, prog, args, 1) < 0) {
			fprintf(stderr, "migguard: error: %s\n",
				mg_error_last());
			ret = MG_EXIT_FAILURE;
		}
	}
	free(bare);
	free(prog);
	return ret;
}

static int cmd_hook(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	const char *skip = getenv("MIGGUARD_SKIP");
	const char *nested = getenv("MIGGUARD_HOOK_NESTED");
	const char *chain = NULL, *remote;
	struct mg_strbuf in = MG_STRBUF_INIT, msg = MG_STRBUF_INIT;
	struct mg_hook_skip skipped;
	enum mg_hook hook;
	struct mg_cli cli;
	char *args[4];
	int pre_push, first = 2, ret;

	memset(&cli, 0, sizeof(cli));
	memset(&skipped, 0, sizeof(skipped));
	if (name && (!strcmp(name, "-h") || !strcmp(name, "--help"))) {
		fputs(hook_usage, stdout);
		return MG_EXIT_OK;
	}
	if (!name || (strcmp(name, "pre-commit") && strcmp(name, "pre-push"))) {
		fprintf(stderr, "migguard hook: error: name the hook: "
			"pre-commit or pre-push\n%s", hook_usage);
		return MG_EXIT_FAILURE;
	}
	for (ret = first; ret < argc; ret++)
		if (!strcmp(argv[ret], "--verify-generate")) {
			fprintf(stderr, "migguard hook: error: "
				"--verify-generate is for CI (migguard check "
				"--base REV), never at pre-commit or in a "
				"hook\n");
			return MG_EXIT_FAILURE;
		}
	pre_push = !strcmp(name, "pre-push");
	hook = pre_push ? MG_HOOK_PRE_PUSH : MG_HOOK_PRE_COMMIT;
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
		/*
		 * A kept hook that runs `migguard hook` itself (a migguard
		 * hook the user edited, a pasted line) must not run the
		 * checks twice: this run does them.
		 */
		setenv("MIGGUARD_HOOK_NESTED", "1", 1);
		ret = hook_chained(name, chain, argv + first, argc - first,
				   pre_push && !isatty(STDIN_FILENO) ? &in
								     : NULL);
		unsetenv("MIGGUARD_HOOK_NESTED");
		if (ret != MG_EXIT_OK)
			goto out;
	}
	ret = MG_EXIT_OK;
	if (nested && *nested)
		goto out;
	mg_hook_skip_parse(&skipped, skip);
	mg_hook_skip_describe(&msg, hook, skip, &skipped);
	put(stderr, &msg);
	ret = MG_EXIT_OK;
	if (!(mg_hook_runs(hook) & ~skipped.mask))
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
		mg_hook_framework_push_line(
			&in, getenv("PRE_COMMIT_FROM_REF"),
			getenv("PRE_COMMIT_TO_REF"),
			getenv("PRE_COMMIT_LOCAL_BRANCH"),
			getenv("PRE_COMMIT_REMOTE_BRANCH"));
		/* Left NULL when stdin is a terminal: run_checks says so. */
		if (in.len || !isatty(STDIN_FILENO))
			cli.change.push_lines = in.len ? in.buf : "";
	}
	ret = MG_EXIT_OK;
	/* The checks' run also notes what the pre-push apply applies. */
	cli.want_apply = pre_push && !(skipped.mask & MG_HOOK_SKIP_APPLY);
	if ((skipped.mask & MG_CHECK_ALL_STATIC) != MG_CHECK_ALL_STATIC ||
	    cli.want_apply)
		ret = mg_cli_run_checks(&cli,
					MG_CHECK_ALL_STATIC & ~skipped.mask);
	if (cli.want_apply && ret == MG_EXIT_OK)
		ret = hook_apply(&cli);
	mg_hook_stop_message(&msg, hook, ret);
	put(stderr, &msg);
out:
	mg_hook_skip_release(&skipped);
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
	struct mg_strbuf msg = MG_STRBUF_INIT;
	struct mg_repo_options ropts;
	char cwd[PATH_MAX];
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
	/*
	 * Started through the npm package's shim (npx, pnpm exec): the
	 * hooks call the project's node_modules/.bin/migguard, which
	 * survives upgrades and finds the binary with a minimal PATH.
	 */
	if (install && getenv("MIGGUARD_NODE_SHIM") && getcwd(cwd, sizeof(cwd)))
		binary = mg_install_find_npm_bin(&target, cwd);
	if (install && target.manager != MG_MANAGER_NONE) {
		mg_install_manager_snippet(&msg, &target, hooks,
					   binary ? binary : "migguard");
		put(stdout, &msg);
		ret = MG_EXIT_OK;
		goto out;
	}
	if (install && !binary)
		binary = self_path();
	if (install)
		err = mg_install_hooks(results, &nr, &target, hooks, binary,
				       force);
	else
		err = mg_uninstall_hooks(results, &nr, &target, hooks);
	for (i = 0; i < nr; i++)
		if (err >= 0 || i + 1 < nr)
			mg_install_describe(&msg, &target, &results[i]);
	put(stdout, &msg);
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
	if (!strcmp(topic, "conventions")) {
		fputs(conventions_usage, stdout);
		return MG_EXIT_OK;
	}
	if (!strcmp(topic, "up-check")) {
		fputs(mg_upcheck_usage, stdout);
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
		"changes baseline conventions up-check; or rules)\n", topic);
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
	{ "conventions", cmd_conventions },
	{ "up-check", mg_cli_upcheck_main },
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

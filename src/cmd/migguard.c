#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

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
	"  changes    print the change set the checks see (A/M/D/R path)\n"
	"  version    print the version\n"
	"  help [CMD] this text, or a command's options\n"
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
		char buf[4096];
		size_t n;

		while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
			mg_strbuf_add(&in, buf, n);
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

/* MIGGUARD_SKIP: "1"/"all" skips everything, else a list of checks. */
static unsigned skipped_checks(const char *skip)
{
	static const struct {
		const char *name;
		unsigned id;
	} names[] = { { "pair", MG_CHECK_PAIR }, { "journal", MG_CHECK_JOURNAL },
		      { "lint", MG_CHECK_LINT }, { "docs", MG_CHECK_DOCS } };
	unsigned mask = 0;
	size_t i;

	if (!skip || !*skip || !strcmp(skip, "0"))
		return 0;
	if (!strcmp(skip, "1") || !strcmp(skip, "all"))
		return MG_CHECK_ALL_STATIC;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *p = strstr(skip, names[i].name);
		size_t len = strlen(names[i].name);

		if (p && (p == skip || p[-1] == ',') &&
		    (p[len] == '\0' || p[len] == ','))
			mask |= names[i].id;
	}
	return mask;
}

static int cmd_hook(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	const char *skip = getenv("MIGGUARD_SKIP");
	unsigned checks = MG_CHECK_ALL_STATIC, skipped;
	struct mg_cli cli;
	char *args[4];
	int ret;

	if (!name || (strcmp(name, "pre-commit") && strcmp(name, "pre-push"))) {
		fprintf(stderr, "migguard hook: error: name the hook: "
			"pre-commit or pre-push\n");
		return MG_EXIT_FAILURE;
	}
	skipped = skipped_checks(skip);
	if (skipped == MG_CHECK_ALL_STATIC) {
		fprintf(stderr, "migguard: MIGGUARD_SKIP=%s: all checks "
			"skipped\n", skip);
		return MG_EXIT_OK;
	}
	if (skipped)
		fprintf(stderr, "migguard: MIGGUARD_SKIP=%s: skipping %s%s%s%s"
			"\n", skip,
			skipped & MG_CHECK_PAIR ? "pair " : "",
			skipped & MG_CHECK_JOURNAL ? "journal " : "",
			skipped & MG_CHECK_LINT ? "lint " : "",
			skipped & MG_CHECK_DOCS ? "docs " : "");
	checks &= ~skipped;
	args[0] = (char *)"migguard hook";
	if (!strcmp(name, "pre-commit")) {
		args[1] = (char *)"--staged";
		args[2] = NULL;
		ret = mg_cli_parse(&cli, 2, args, "migguard", usage);
	} else {
		/* git runs pre-push with the remote's name and URL. */
		args[1] = (char *)"--pre-push";
		args[2] = argc > 2 ? argv[2] : (char *)"origin";
		args[3] = NULL;
		ret = mg_cli_parse(&cli, 3, args, "migguard", usage);
	}
	if (ret >= 0)
		return ret;
	cli.in_hook = 1;
	ret = mg_cli_run_checks(&cli, checks);
	if (ret == MG_EXIT_FINDINGS)
		fprintf(stderr, "migguard: %s stopped: fix the findings above, "
			"or bypass once with MIGGUARD_SKIP=%s or git's "
			"--no-verify\n", name,
			"lint,docs");
	mg_cli_release(&cli);
	return ret;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd || !strcmp(cmd, "help") || !strcmp(cmd, "-h") ||
	    !strcmp(cmd, "--help")) {
		if (cmd && !strcmp(cmd, "help") && argc > 2) {
			char *help_argv[] = { argv[2], (char *)"--help",
					      NULL };

			if (!strcmp(argv[2], "apply"))
				return exec_sibling("migguard-apply", 2,
						    help_argv);
			if (!strcmp(argv[2], "check") ||
			    !strcmp(argv[2], "pair") ||
			    !strcmp(argv[2], "journal") ||
			    !strcmp(argv[2], "lint") ||
			    !strcmp(argv[2], "docs"))
				return mg_cli_check_main(2, help_argv,
					mg_xstrfmt("migguard %s", argv[2]),
					MG_CHECK_ALL_STATIC);
		}
		fputs(usage, cmd ? stdout : stderr);
		return cmd ? MG_EXIT_OK : MG_EXIT_FAILURE;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("migguard %s\n", MIGGUARD_VERSION);
		return MG_EXIT_OK;
	}
	if (!strcmp(cmd, "check"))
		return mg_cli_check_main(argc - 1, argv + 1, "migguard check",
					 MG_CHECK_ALL_STATIC);
	if (!strcmp(cmd, "pair"))
		return mg_cli_check_main(argc - 1, argv + 1, "migguard-pair",
					 MG_CHECK_PAIR);
	if (!strcmp(cmd, "journal"))
		return mg_cli_check_main(argc - 1, argv + 1,
					 "migguard-journal", MG_CHECK_JOURNAL);
	if (!strcmp(cmd, "lint"))
		return mg_cli_check_main(argc - 1, argv + 1, "migguard-lint",
					 MG_CHECK_LINT);
	if (!strcmp(cmd, "docs"))
		return mg_cli_check_main(argc - 1, argv + 1, "migguard-docs",
					 MG_CHECK_DOCS);
	if (!strcmp(cmd, "apply"))
		return exec_sibling("migguard-apply", argc - 1, argv + 1);
	if (!strcmp(cmd, "hook"))
		return cmd_hook(argc - 1, argv + 1);
	if (!strcmp(cmd, "changes"))
		return cmd_changes(argc - 1, argv + 1);
	fprintf(stderr, "migguard: error: unknown command '%s' (migguard help)"
		"\n", cmd);
	return MG_EXIT_FAILURE;
}

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "verify.h"
#include "migguard/baseline.h"
#include "migguard/conventions.h"
#include "migguard/lint.h"

enum {
	OPT_STAGED = 256,
	OPT_BASE,
	OPT_HEAD,
	OPT_PRE_PUSH,
	OPT_ALL,
	OPT_REPO,
	OPT_EACH_COMMIT,
	OPT_VERIFY_GENERATE,
};

static const struct option common_options[] = {
	{ "staged", no_argument, NULL, OPT_STAGED },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "head", required_argument, NULL, OPT_HEAD },
	{ "pre-push", required_argument, NULL, OPT_PRE_PUSH },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "repo", required_argument, NULL, OPT_REPO },
	MG_CLI_OUTPUT_OPTIONS,
	{ "each-commit", no_argument, NULL, OPT_EACH_COMMIT },
	{ "verify-generate", no_argument, NULL, OPT_VERIFY_GENERATE },
	{ NULL, 0, NULL, 0 },
};

int mg_cli_want_color(const char *when, int fd)
{
	const char *env;

	if (when && !strcmp(when, "always"))
		return 1;
	if (when && !strcmp(when, "never"))
		return 0;
	env = getenv("NO_COLOR");
	if (env && *env)
		return 0;
	env = getenv("CLICOLOR_FORCE");
	if (env && *env && strcmp(env, "0"))
		return 1;
	env = getenv("FORCE_COLOR");
	if (env && *env && strcmp(env, "0"))
		return 1;
	env = getenv("TERM");
	if (env && !strcmp(env, "dumb"))
		return 0;
	return isatty(fd);
}

void mg_cli_default_sigpipe(void)
{
	signal(SIGPIPE, SIG_DFL);
}

int mg_cli_output_status(const struct mg_cli *cli, int ret)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return ret;
	if (errno == EPIPE)
		return ret;
	fprintf(stderr, "%s: error: cannot write the output: %s\n",
		cli->prog, strerror(errno));
	return MG_EXIT_FAILURE;
}

int mg_cli_fail(const struct mg_cli *cli, const char *fmt, ...)
{
	struct mg_strbuf msg = MG_STRBUF_INIT, out = MG_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	mg_strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	mg_strbuf_addf(&out, "%s: error: ", cli->prog);
	/*
	 * A reason is one line, and may name repository files: escaped as
	 * notes are. Only a usage text (its format has lines) is kept.
	 */
	if (strchr(fmt, '\n'))
		mg_strbuf_adds(&out, msg.buf);
	else
		mg_strbuf_add_escaped(&out, msg.buf);
	mg_strbuf_addch(&out, '\n');
	fwrite(out.buf, 1, out.len, stderr);
	mg_strbuf_release(&msg);
	mg_strbuf_release(&out);
	return MG_EXIT_FAILURE;
}

static int set_mode(struct mg_cli *cli, enum mg_changeset_mode mode)
{
	if (cli->mode_given && cli->change.mode != mode)
		return mg_cli_fail(cli, "--staged, --base, --pre-push and "
					"--all exclude each other");
	cli->mode_given = 1;
	cli->change.mode = mode;
	return -1;
}

int mg_cli_output_option(struct mg_cli *cli, int c, const char *usage,
			 char **argv)
{
	const char *color;

	switch (c) {
	case MG_CLI_OPT_FORMAT:
		if (mg_format_parse(&cli->format, optarg) < 0)
			return mg_cli_fail(cli, "%s", mg_error_last());
		return -1;
	case MG_CLI_OPT_COLOR:
		color = optarg ? optarg : "always";
		if (strcmp(color, "auto") && strcmp(color, "always") &&
		    strcmp(color, "never"))
			return mg_cli_fail(cli, "--color takes auto, always or "
					   "never, not '%s'", color);
		cli->color_when = color;
		return -1;
	case 'h':
		fputs(usage, stdout);
		return MG_EXIT_OK;
	case MG_CLI_OPT_VERSION:
		printf("%s %s\n", cli->prog, MIGGUARD_VERSION);
		return MG_EXIT_OK;
	default:
		return mg_cli_fail(cli, "unknown option '%s'\n%s",
				   argv[optind - 1], usage);
	}
}

int mg_cli_parse(struct mg_cli *cli, int argc, char **argv,
		 const char *prog, const char *usage)
{
	int c, ret;

	memset(cli, 0, sizeof(*cli));
	cli->prog = prog;
	cli->format = MG_FORMAT_TEXT;
	cli->change.mode = MG_CHANGESET_STAGED;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", common_options, NULL)) !=
	       -1) {
		ret = -1;
		switch (c) {
		case OPT_STAGED:
			ret = set_mode(cli, MG_CHANGESET_STAGED);
			break;
		case OPT_BASE:
			ret = set_mode(cli, MG_CHANGESET_RANGE);
			cli->change.base = optarg;
			break;
		case OPT_HEAD:
			cli->change.head = optarg;
			break;
		case OPT_PRE_PUSH:
			ret = set_mode(cli, MG_CHANGESET_PRE_PUSH);
			cli->change.remote = optarg;
			break;
		case OPT_ALL:
			ret = set_mode(cli, MG_CHANGESET_ALL);
			break;
		case OPT_REPO:
			cli->repo_dir = optarg;
			break;
		case OPT_EACH_COMMIT:
			cli->each_commit = 1;
			break;
		case OPT_VERIFY_GENERATE:
			cli->verify_generate = 1;
			break;
		default:
			ret = mg_cli_output_option(cli, c, usage, argv);
		}
		if (ret >= 0)
			return ret;
	}
	if (cli->change.head && cli->change.mode != MG_CHANGESET_RANGE &&
	    cli->change.mode != MG_CHANGESET_ALL)
		return mg_cli_fail(cli, "--head goes with --base or --all");
	if (cli->each_commit && cli->change.mode != MG_CHANGESET_RANGE &&
	    cli->change.mode != MG_CHANGESET_PRE_PUSH)
		return mg_cli_fail(cli, "--each-commit goes with --base or "
				   "--pre-push");
	/*
	 * drizzle-kit takes seconds and needs node_modules: a CI step, never
	 * a commit's wait.
	 */
	if (cli->verify_generate && cli->change.mode == MG_CHANGESET_STAGED)
		return mg_cli_fail(cli, "--verify-generate goes with --base or "
				   "--pre-push (CI), never at pre-commit "
				   "(--staged)");
	if (cli->verify_generate && cli->change.mode == MG_CHANGESET_ALL)
		return mg_cli_fail(cli, "--verify-generate goes with --base or "
				   "--pre-push: --all has no change to pair");
	for (; optind < argc; optind++)
		mg_strlist_push(&cli->files, argv[optind]);
	if (!cli->color_when)
		cli->color_when = "auto";
	cli->color = mg_cli_want_color(cli->color_when, STDOUT_FILENO);
	return -1;
}

void mg_cli_release(struct mg_cli *cli)
{
	size_t i;

	for (i = 0; i < cli->apply_nr; i++) {
		free(cli->apply[i].rev);
		free(cli->apply[i].project);
		free(cli->apply[i].folder);
		free(cli->apply[i].mode);
	}
	free(cli->apply);
	free(cli->baseline_path);
	mg_strlist_release(&cli->files);
}

int mg_cli_finish(const struct mg_cli *cli, struct mg_report *r)
{
	struct mg_strbuf out = MG_STRBUF_INIT;
	size_t errors, warnings;

	/*
	 * A hook's findings go to stderr: git passes pre-push's stdout
	 * through, and GUI clients show only stderr.
	 */
	FILE *f = cli->in_hook ? stderr : stdout;
	int color = cli->in_hook ? mg_cli_want_color(cli->color_when,
						      STDERR_FILENO)
				 : cli->color;

	mg_report_sort(r);
	mg_report_format(&out, r, cli->format, color);
	if (out.len)
		fwrite(out.buf, 1, out.len, f);
	fflush(f);
	mg_strbuf_reset(&out);
	mg_report_format_notes(&out, r);
	mg_report_summary(&out, r);
	fwrite(out.buf, 1, out.len, stderr);
	mg_strbuf_release(&out);
	mg_report_count(r, &errors, &warnings);
	return errors ? MG_EXIT_FINDINGS : MG_EXIT_OK;
}

void mg_cli_repo_options(const struct mg_cli *cli,
			 struct mg_repo_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->dir = cli->repo_dir;
	opts->git_dir = getenv("GIT_DIR");
	opts->work_tree = getenv("GIT_WORK_TREE");
	opts->index_file = getenv("GIT_INDEX_FILE");
	opts->in_hook = cli->in_hook;
}

static char *read_all(FILE *f)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	char buf[4096];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		mg_strbuf_add(&sb, buf, n);
	return mg_strbuf_detach(&sb, NULL);
}

static const struct {
	unsigned id;
	const char *name;
	int (*run)(struct mg_report *r, struct mg_context *ctx);
} checks_table[] = {
	{ MG_CHECK_PAIR, "pair", mg_pair_check },
	{ MG_CHECK_JOURNAL, "journal", mg_journal_check },
	{ MG_CHECK_LINT, "lint", mg_conventions_lint_check },
	{ MG_CHECK_DOCS, "docs", mg_docs_check },
};

/* The projects whose migrations the change set changes, to apply later. */
static void note_apply_targets(struct mg_cli *cli,
			       const struct mg_config *config,
			       const struct mg_changeset *cs)
{
	struct mg_apply_target *t;
	size_t k, c;

	if (!strcmp(config->apply.pre_push, "off") || !cs->head_rev)
		return;
	for (k = 0; k < config->projects_nr; k++) {
		const struct mg_project *p = &config->projects[k];

		if (!mg_project_drizzle_migrator(p))
			continue; /* apply is drizzle's migrator only */
		for (c = 0; c < cs->nr; c++)
			if (mg_config_project_of_migration(
				    config, cs->changes[c].path) == p)
				break;
		if (c == cs->nr)
			continue; /* this change leaves it alone */
		cli->apply_nr++;
		MG_ALLOC_GROW(cli->apply, cli->apply_nr, cli->apply_alloc);
		t = &cli->apply[cli->apply_nr - 1];
		t->rev = mg_xstrdup(cs->head_rev);
		t->project = mg_xstrdup(p->name);
		t->folder = mg_xstrdup(p->migrations);
		t->mode = mg_xstrdup(config->apply.pre_push);
		t->required = config->apply.required;
	}
}

/* Add a note unless the report has it already (one per run). */
static void note_once(struct mg_report *r, char *note)
{
	size_t i;

	for (i = 0; i < r->notes_nr; i++)
		if (!strcmp(r->notes[i], note)) {
			free(note);
			return;
		}
	mg_report_note(r, "%s", note);
	free(note);
}

/* Migrations in a folder listing: <out>/x.sql and <out>/x/migration.sql. */
static size_t count_migrations(const struct mg_tree_listing *l,
			       const char *dir)
{
	size_t i, n = 0, dl = strlen(dir);

	for (i = 0; i < l->nr; i++) {
		const char *path = l->items[i].path, *rel, *slash;

		/* The folder's own entry (a link, say) is not a migration. */
		if (strncmp(path, dir, dl) || path[dl] != '/')
			continue;
		rel = path + dl + 1;
		slash = strchr(rel, '/');
		if ((!slash && mg_ends_with(rel, ".sql")) ||
		    (slash && !strcmp(slash, "/migration.sql")))
			n++;
	}
	return n;
}

/*
 * Say on stderr what the run checked: each project, its config and its
 * migrations, and a project whose schema or migrations folder is not in
 * the tree (found in the wrong place, then silence, is the worst case).
 */
static void note_checked(struct mg_report *r, const struct mg_config *cfg,
			 struct mg_changeset *cs)
{
	size_t i, k;

	if (!cfg->projects_nr) {
		note_once(r, mg_xstrdup("migguard: no drizzle project found "
			  "(no tracked drizzle.config.* for postgresql, no "
			  "\"projects\" in .migguard.json): nothing checked"));
		return;
	}
	for (i = 0; i < cfg->projects_nr; i++) {
		const struct mg_project *p = &cfg->projects[i];
		struct mg_tree_listing l = { 0 };
		const char *cfgname = p->config_path;
		size_t nl = strlen(p->name), found = 0;
		const char *from = p->run_dir && *p->run_dir ? p->run_dir
							      : NULL;

		if (strcmp(p->name, ".") && !strncmp(cfgname, p->name, nl) &&
		    cfgname[nl] == '/')
			cfgname += nl + 1;
		if (mg_tree_list(cs->head, p->migrations, &l) >= 0) {
			size_t n = count_migrations(&l, p->migrations);

			note_once(r, mg_xstrfmt("migguard: checked %s (%s, %zu "
				  "migration%s)", p->name, cfgname, n,
				  n == 1 ? "" : "s"));
		}
		mg_tree_listing_release(&l);
		for (k = 0; k < p->schema.nr; k++) {
			memset(&l, 0, sizeof(l));
			if (mg_tree_list(cs->head, p->schema.items[k], &l) >=
				    0 &&
			    l.nr)
				found++;
			mg_tree_listing_release(&l);
		}
		if (!found)
			note_once(r, mg_xstrfmt("migguard: %s: the schema "
				  "'%s' is not in %s (paths resolved against "
				  "'%s', where drizzle-kit runs): nothing to "
				  "pair; fix \"schema\" or describe the "
				  "project in .migguard.json", p->config_path,
				  p->schema_entries.nr
					  ? p->schema_entries.items[0]
					  : p->schema.items[0],
				  cs->head->label ? cs->head->label : "the tree",
				  from ? from : "."));
	}
}

static int run_changeset(struct mg_cli *cli, unsigned checks,
			 struct mg_changeset *cs, struct mg_repo *repo,
			 struct mg_report *r)
{
	struct mg_config config;
	struct mg_strlist watched = MG_STRLIST_INIT;
	struct mg_context ctx;
	struct mg_verify verify = { NULL };
	size_t i, since;
	int err;

	memset(&ctx, 0, sizeof(ctx));
	err = mg_config_load(&config, cs->head);
	if (err < 0) {
		err = mg_cli_fail(cli, "%s", mg_error_last());
		goto out; /* a failed load still holds what it read */
	}
	mg_config_apply(&config, r);
	note_checked(r, &config, cs);
	ctx.config = &config;
	ctx.cs = cs;
	ctx.repo = repo;
	ctx.protected_ref = config.protected_ref;
	if (cli->verify_generate) {
		verify.workdir = mg_repo_workdir(repo);
		ctx.verify_generate = mg_cli_verify_generate;
		ctx.verify_data = &verify;
	}
	mg_context_share_migdirs(&ctx);
	if (cs->mode != MG_CHANGESET_ALL) {
		mg_config_watched(&config, &watched);
		err = mg_changeset_diff(cs, &watched);
		if (err >= 0)
			err = mg_changeset_diff_moves(cs, &watched);
		if (err < 0) {
			err = mg_cli_fail(cli, "%s", mg_error_last());
			goto out;
		}
		/* A hook returns at once when nothing watched changed. */
		if (cli->in_hook && !cs->nr)
			checks = 0;
		if (cli->want_apply)
			note_apply_targets(cli, &config, cs);
	}
	since = r->nr;
	for (i = 0; i < sizeof(checks_table) / sizeof(checks_table[0]); i++) {
		if (!(checks & checks_table[i].id))
			continue;
		err = checks_table[i].run(r, &ctx);
		if (err < 0) {
			err = mg_cli_fail(cli, "%s: %s", checks_table[i].name,
					  mg_error_last());
			goto out;
		}
	}
	if (cs->mode == MG_CHANGESET_ALL && !cli->write_baseline) {
		err = mg_baseline_apply(r, since, cs->head, checks);
		if (err < 0) {
			err = mg_cli_fail(cli, "%s", mg_error_last());
			goto out;
		}
	} else if (cs->mode != MG_CHANGESET_ALL) {
		r->counts_preexisting = 1;
		err = mg_context_subtract_base(r, since, &ctx, checks);
		if (err < 0) {
			err = mg_cli_fail(cli, "at the base: %s",
					  mg_error_last());
			goto out;
		}
	}
	err = -1;
out:
	mg_context_release(&ctx);
	mg_strlist_release(&watched);
	mg_config_release(&config);
	return err;
}

/*
 * --each-commit: the pair check on every commit of the range against its
 * first parent; each finding names its commit. The other checks look at
 * the range as a whole (migrations edited within unpushed commits are
 * allowed, so per-commit journal checks would be wrong).
 */
static int run_each_commit(struct mg_cli *cli, struct mg_changeset *range,
			   struct mg_repo *repo, struct mg_report *r)
{
	struct mg_changeset *one = NULL;
	struct mg_report sub;
	size_t i, k, len;
	int ret = -1;

	mg_report_init(&sub);
	if (mg_changeset_commits(range) < 0) {
		ret = mg_cli_fail(cli, "%s", mg_error_last());
		goto out;
	}
	for (i = 0; ret < 0 && i < range->commits_nr; i++) {
		const struct mg_commit_info *c = &range->commits[i];
		const char *msg = c->message ? c->message : "";

		if (mg_changeset_open_commit(&one, repo, c->id,
					     range->mode) < 0) {
			ret = mg_cli_fail(cli, "%s", mg_error_last());
			goto out;
		}
		ret = run_changeset(cli, MG_CHECK_PAIR, one, repo, &sub);
		len = strcspn(msg, "\n");
		for (k = 0; k < sub.nr; k++) {
			char *m = mg_xstrfmt("%s (in commit %.7s '%.*s')",
					     sub.items[k].message, c->id,
					     (int)len, msg);

			free(sub.items[k].message);
			sub.items[k].message = m;
		}
		mg_report_move(r, &sub);
		mg_changeset_free(one);
		one = NULL;
	}
out:
	mg_changeset_free(one);
	mg_report_release(&sub);
	return ret;
}

/* migguard baseline: the report becomes .migguard-baseline.json. */
static int write_baseline(const struct mg_cli *cli, struct mg_report *r)
{
	struct mg_strbuf text = MG_STRBUF_INIT;
	size_t errors, warnings;
	FILE *f;
	int ret = MG_EXIT_OK;

	mg_baseline_format(&text, r);
	f = fopen(cli->baseline_path, "w");
	if (!f || fwrite(text.buf, 1, text.len, f) != text.len) {
		ret = mg_cli_fail(cli, "cannot write '%s': %s",
				  cli->baseline_path, strerror(errno));
		if (f)
			fclose(f);
		goto out;
	}
	if (fclose(f)) {
		ret = mg_cli_fail(cli, "cannot write '%s': %s",
				  cli->baseline_path, strerror(errno));
		goto out;
	}
	mg_report_count(r, &errors, &warnings);
	fprintf(stderr, "%s: wrote %s: %zu finding%s (%zu error%s, %zu "
		"warning%s); commit it, and 'migguard check --all' leaves "
		"them out\n", cli->prog, MG_BASELINE_FILE, r->nr,
		r->nr == 1 ? "" : "s", errors, errors == 1 ? "" : "s",
		warnings, warnings == 1 ? "" : "s");
out:
	mg_strbuf_release(&text);
	return ret;
}

int mg_cli_run_checks(struct mg_cli *cli, unsigned checks)
{
	struct mg_repo_options ropts;
	struct mg_repo *repo = NULL;
	struct mg_changeset **list = NULL;
	struct mg_report report;
	char *push_lines = NULL;
	size_t nr = 0, i;
	int ret = MG_EXIT_FAILURE;

	mg_report_init(&report);
	mg_cli_repo_options(cli, &ropts);
	if (mg_repo_open(&repo, &ropts) < 0) {
		mg_cli_fail(cli, "%s", mg_error_last());
		goto out;
	}
	if (cli->write_baseline) {
		const char *top = mg_repo_workdir(repo);

		if (!top) {
			mg_cli_fail(cli, "a bare repository has no work tree "
				    "to write %s into", MG_BASELINE_FILE);
			goto out;
		}
		free(cli->baseline_path);
		cli->baseline_path = mg_xstrfmt("%s%s%s", top,
			mg_ends_with(top, "/") ? "" : "/", MG_BASELINE_FILE);
	}
	if (cli->change.mode == MG_CHANGESET_PRE_PUSH &&
	    !cli->change.push_lines) {
		if (isatty(STDIN_FILENO)) {
			fprintf(stderr, "%s: stdin is a terminal, so git's "
				"pre-push lines are missing: nothing to check "
				"(lefthook: set use_stdin: true)\n", cli->prog);
		} else {
			push_lines = read_all(stdin);
		}
		cli->change.push_lines = push_lines;
	}
	if (mg_changeset_list(&list, &nr, repo, &cli->change) < 0) {
		mg_cli_fail(cli, "%s", mg_error_last());
		goto out;
	}
	for (i = 0; i < nr; i++) {
		unsigned whole = checks;

		if (cli->each_commit && (checks & MG_CHECK_PAIR)) {
			whole &= ~(unsigned)MG_CHECK_PAIR;
			ret = run_each_commit(cli, list[i], repo, &report);
			if (ret >= 0)
				goto out;
		}
		/* No check left still notes what the pre-push apply needs. */
		ret = whole || cli->want_apply
			      ? run_changeset(cli, whole, list[i], repo, &report)
			      : -1;
		if (ret >= 0)
			goto out;
	}
	ret = cli->write_baseline ? write_baseline(cli, &report)
				  : mg_cli_finish(cli, &report);
out:
	mg_changeset_list_free(list, nr);
	mg_repo_free(repo);
	mg_report_release(&report);
	free(push_lines);
	return ret;
}

/*
 * migguard-lint FILE.sql...: lint files from disk, no repository. No
 * history to learn conventions from: only those .migguard.json (the
 * nearest, up to the repository's top) configures apply.
 */
static int lint_files(struct mg_cli *cli)
{
	struct mg_conventions conv;
	struct mg_config config;
	struct mg_report report;
	struct mg_tree *disk = NULL;
	size_t i;
	int ret = MG_EXIT_FAILURE, found = 0;

	mg_report_init(&report);
	memset(&conv, 0, sizeof(conv));
	if (mg_config_load_dir(&config, ".", &found) < 0 ||
	    mg_conventions_infer(&conv, &config, NULL) < 0) {
		mg_cli_fail(cli, "%s", mg_error_last());
		goto out;
	}
	mg_config_apply(&config, &report);
	for (i = 0; i < cli->files.nr; i++) {
		const char *path = cli->files.items[i];
		struct mg_lint_input in;
		char *data = NULL;
		size_t len = 0;
		int err;

		if (path[0] == '/') {
			err = mg_tree_open_dir(&disk, "/");
			path++;
		} else {
			err = mg_tree_open_dir(&disk, ".");
		}
		if (err >= 0)
			err = disk->ops->read(disk, path, &data, &len);
		mg_tree_free(disk);
		disk = NULL;
		if (err == MG_ETOOBIG) {
			/* As in a repository: a finding, not a failure. */
			mg_lint_unreadable(&report, cli->files.items[i], err);
			continue;
		}
		if (err < 0) {
			mg_cli_fail(cli, "cannot read '%s': %s",
				    cli->files.items[i], mg_error_last());
			goto out;
		}
		memset(&in, 0, sizeof(in));
		in.path = cli->files.items[i];
		in.sql = data;
		in.len = len;
		in.index = -1;
		err = mg_lint_sql(&report, &conv.opts, &in);
		free(data);
		if (err < 0) {
			mg_cli_fail(cli, "%s", mg_error_last());
			goto out;
		}
	}
	ret = mg_cli_finish(cli, &report);
out:
	mg_conventions_release(&conv);
	mg_config_release(&config);
	mg_report_release(&report);
	return ret;
}

static const char check_usage_fmt[] =
	"usage: %s [--staged | --base REV [--head REV] | --pre-push REMOTE "
	"| --all]\n"
	"       %*s [--each-commit] [--verify-generate] [--repo DIR] "
	"[--format text|json|github|sarif]\n"
	"       %*s [--color[=WHEN]]%s\n";

int mg_cli_check_main(int argc, char **argv, const char *prog,
		      unsigned checks)
{
	struct mg_cli cli;
	char usage[512];
	int ret;

	mg_cli_default_sigpipe();
	snprintf(usage, sizeof(usage), check_usage_fmt, prog,
		 (int)strlen(prog), "", (int)strlen(prog), "",
		 checks == MG_CHECK_LINT ? " [FILE.sql...]" : "");
	ret = mg_cli_parse(&cli, argc, argv, prog, usage);
	if (ret >= 0)
		goto out;
	if (checks == MG_CHECK_LINT && cli.files.nr && !cli.mode_given)
		ret = lint_files(&cli);
	else
		ret = mg_cli_run_checks(&cli, checks);
out:
	mg_cli_release(&cli);
	return ret;
}

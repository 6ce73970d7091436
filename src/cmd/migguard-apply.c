/*
 * migguard-apply: apply pending migrations to the local PostgreSQL as
 * drizzle-orm's migrator would, after checking the applied history.
 * This file reads the environment and .env files, handles signals (a
 * Ctrl-C cancels the running statement; --fresh drops its scratch
 * database on the way out) and prints; src/lib/apply.c does the rest.
 */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "migguard/apply.h"
#include "migguard/config.h"
#include "migguard/dotenv.h"

static const char usage[] =
	"usage: migguard-apply [--database-url URL] [--project NAME] "
	"[--rev REV]\n"
	"                      [--dry-run | --fresh] [--allow-remote] "
	"[--repo DIR]\n"
	"                      [--format text|json|github|sarif] "
	"[--color[=WHEN]]\n"
	"       extensions: [--migrations DIR] [--migrations-schema NAME] "
	"[--migrations-table NAME]\n"
	"                   [--if-reachable]  (no database: a warning, exit 0)"
	"\n";

enum {
	OPT_URL = 256,
	OPT_PROJECT,
	OPT_REV,
	OPT_DRY_RUN,
	OPT_FRESH,
	OPT_ALLOW_REMOTE,
	OPT_REPO,
	OPT_MIGRATIONS,
	OPT_SCHEMA,
	OPT_TABLE,
	OPT_IF_REACHABLE,
};

static const struct option options[] = {
	{ "database-url", required_argument, NULL, OPT_URL },
	{ "project", required_argument, NULL, OPT_PROJECT },
	{ "rev", required_argument, NULL, OPT_REV },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "fresh", no_argument, NULL, OPT_FRESH },
	{ "allow-remote", no_argument, NULL, OPT_ALLOW_REMOTE },
	{ "repo", required_argument, NULL, OPT_REPO },
	{ "migrations", required_argument, NULL, OPT_MIGRATIONS },
	{ "migrations-schema", required_argument, NULL, OPT_SCHEMA },
	{ "migrations-table", required_argument, NULL, OPT_TABLE },
	{ "if-reachable", no_argument, NULL, OPT_IF_REACHABLE },
	MG_CLI_OUTPUT_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

struct apply_opts {
	const char *url, *project, *rev, *migrations, *schema, *table;
	int dry_run, fresh, allow_remote;
	int if_reachable; /* the pre-push hook: no database is a warning */
};

/* Signals: set the flag and cancel the running statement. */
static volatile sig_atomic_t interrupted;
static struct mg_pg_cancel *volatile running;

static void on_signal(int signo)
{
	interrupted = signo;
	if (running)
		mg_pg_cancel_send(running);
}

static void set_cancel(void *ctx, struct mg_pg_cancel *cancel)
{
	sigset_t block, old;

	(void)ctx;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	running = cancel;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static int is_aborted(void *ctx)
{
	(void)ctx;
	return interrupted != 0;
}

static void install_handlers(void)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		sigaction(signals[i], &sa, NULL);
	/*
	 * `migguard-apply --fresh | head -1`: a closed pipe must not kill
	 * the run before it drops its scratch database; the output is
	 * lost, the exit code says what happened (mg_cli_output_status).
	 */
	signal(SIGPIPE, SIG_IGN);
}

static int parse(struct mg_cli *cli, struct apply_opts *o, int argc,
		 char **argv)
{
	int c, ret;

	memset(cli, 0, sizeof(*cli));
	memset(o, 0, sizeof(*o));
	cli->prog = "migguard-apply";
	cli->color_when = "auto";
	cli->format = MG_FORMAT_TEXT;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case OPT_URL: o->url = optarg; break;
		case OPT_PROJECT: o->project = optarg; break;
		case OPT_REV: o->rev = optarg; break;
		case OPT_DRY_RUN: o->dry_run = 1; break;
		case OPT_FRESH: o->fresh = 1; break;
		case OPT_ALLOW_REMOTE: o->allow_remote = 1; break;
		case OPT_REPO: cli->repo_dir = optarg; break;
		case OPT_MIGRATIONS: o->migrations = optarg; break;
		case OPT_SCHEMA: o->schema = optarg; break;
		case OPT_TABLE: o->table = optarg; break;
		case OPT_IF_REACHABLE: o->if_reachable = 1; break;
		default:
			ret = mg_cli_output_option(cli, c, usage, argv);
			if (ret >= 0)
				return ret;
		}
	}
	if (o->dry_run && o->fresh)
		return mg_cli_fail(cli, "--dry-run and --fresh exclude each "
				   "other");
	if (o->migrations && (o->rev || o->project))
		return mg_cli_fail(cli, "--migrations reads a folder on disk: "
				   "it goes without --rev and --project");
	cli->color = mg_cli_want_color(cli->color_when, STDOUT_FILENO);
	return -1;
}

/* Informational lines: stdout for text, stderr when stdout is data. */
static FILE *info_stream(const struct mg_cli *cli)
{
	return cli->format == MG_FORMAT_TEXT ? stdout : stderr;
}

/*
 * A .env file of the checked tree, which a pull request can add or make a
 * symbolic link to any file on the machine (~/.aws/credentials): read only
 * as a regular file, reached through no link, inside root (NULL: the
 * current folder). NULL when it is absent; *refused says why it was not
 * read (a warning to print).
 */
static char *read_env_file(const char *path, const char *root, size_t *len,
			   const char **refused)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	char buf[4096], *dir = NULL, *p;
	struct stat st;
	ssize_t n;
	int fd = -1;
	char *text = NULL;

	*refused = NULL;
	if (lstat(path, &st) < 0)
		return NULL;
	if (!S_ISREG(st.st_mode)) {
		*refused = S_ISLNK(st.st_mode) ? "is a symbolic link"
					       : "is not a regular file";
		return NULL;
	}
	/* No folder between the root and it may be a link either. */
	n = root ? (ssize_t)strlen(root) : 0;
	if (n && (strncmp(path, root, (size_t)n) || path[n] != '/')) {
		*refused = "is not inside the repository";
		goto out;
	}
	dir = mg_xstrdup(path);
	p = strchr(dir + (n ? n + 1 : 0), '/');
	while (p) {
		*p = '\0';
		if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			*refused = "is reached through a symbolic link";
			goto out;
		}
		*p = '/';
		p = strchr(p + 1, '/');
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*refused = "is not a regular file";
		goto out;
	}
	mg_strbuf_init(&sb);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		mg_strbuf_add(&sb, buf, (size_t)n);
	text = mg_strbuf_detach(&sb, len);
out:
	if (fd >= 0)
		close(fd);
	free(dir);
	return text;
}

/* Where the URL came from: who can change it. */
enum url_source {
	URL_OPTION,	 /* --database-url: whoever runs migguard */
	URL_ENV,	 /* $DATABASE_URL: the environment's owner */
	URL_ENV_CONFIG,	 /* a variable the checked tree's config names */
	URL_DOTENV,	 /* a .env file of the checked tree */
};

/*
 * A URL from the environment or a .env file must be a postgres:// URL
 * libpq reads: the config of a pull request may name any variable
 * (AWS_SECRET_ACCESS_KEY), and what is not a database URL is never shown.
 */
static int check_url_shape(const char *url, const char *what)
{
	struct mg_pg_target t;
	int err;

	if (strncmp(url, "postgres://", 11) &&
	    strncmp(url, "postgresql://", 13))
		return mg_error_set("%s does not hold a postgres:// or "
				    "postgresql:// URL (its value is not "
				    "shown)", what);
	err = mg_pg_target_parse(&t, url);
	mg_pg_target_release(&t);
	if (err < 0)
		return mg_error_set("%s does not hold a database URL libpq "
				    "reads (its value is not shown): %s",
				    what, mg_error_last());
	return 0;
}

/* The URL, and where it came from: option, environment, .env files. */
static int find_url(char **url, char **source, enum url_source *kind,
		    const struct apply_opts *o, const char *env_name,
		    int env_from_config, const struct mg_strlist *env_files,
		    const char *root)
{
	const char *v;
	char *what = NULL;
	size_t i;
	int err;

	if (o->url) {
		*url = mg_xstrdup(o->url);
		*source = mg_xstrdup("--database-url");
		*kind = URL_OPTION;
		return 0;
	}
	v = getenv(env_name);
	if (v && *v) {
		what = mg_xstrfmt("$%s%s", env_name, env_from_config ?
				  " (named by apply.databaseUrlEnv)" : "");
		err = check_url_shape(v, what);
		if (err < 0) {
			free(what);
			return err;
		}
		*url = mg_xstrdup(v);
		*source = what;
		*kind = env_from_config ? URL_ENV_CONFIG : URL_ENV;
		return 0;
	}
	for (i = 0; i < env_files->nr; i++) {
		const char *shown = env_files->items[i], *refused = NULL;
		size_t len = 0, n = root ? strlen(root) : 0;
		char *text;
		unsigned line = 0;

		/* Repository-relative, like every path shown. */
		if (n && !strncmp(shown, root, n) && shown[n] == '/')
			shown += n + 1;
		text = read_env_file(env_files->items[i], root, &len,
				     &refused);
		if (refused)
			fprintf(stderr, "migguard-apply: warning: '%s' %s: not "
				"read (a .env file is read only as a regular "
				"file inside the repository)\n", shown,
				refused);
		if (!text)
			continue;
		err = mg_dotenv_get(url, &line, text, len, env_name);
		free(text);
		if (err == 0 && **url) {
			*source = mg_xstrfmt("%s in %s:%u", env_name, shown,
					     line);
			err = check_url_shape(*url, *source);
			if (err < 0) {
				free(*source);
				*source = NULL;
				free(*url);
				*url = NULL;
				return err;
			}
			*kind = URL_DOTENV;
			return 0;
		}
		free(*url);
		*url = NULL;
	}
	return mg_error_set("no database URL: pass --database-url, set %s, "
			    "or put %s=postgres://... in a .env file",
			    env_name, env_name);
}

/* The migrations to apply: --migrations DIR, or the config's project. */
struct source {
	struct mg_repo *repo;
	struct mg_tree *tree;
	struct mg_config cfg;
	int cfg_loaded;
	const struct mg_project *project;
	struct mg_migdir *migdir;	/* the journal layout, or */
	struct mg_migfolder *migfolder; /* the folder layout (drizzle 1.0) */
	char *prefix; /* shown before paths for --migrations outside cwd */
	struct mg_strlist env_files;
	char *root; /* the work tree's top, no trailing '/' */
};

static int strip_dot_slash(char **out, const char *dir)
{
	char *d = mg_xstrdup(dir);
	size_t n = strlen(d);

	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	while (!strncmp(d, "./", 2))
		memmove(d, d + 2, strlen(d + 2) + 1);
	*out = d;
	return 0;
}

/*
 * The layout first (mg_layout_detect), then the model of that layout: a
 * journal for 0.45's migrator, folders for 1.0's; both at once is an
 * unfinished `drizzle-kit up`, which neither migrator runs as it is.
 */
static int load_migrations(struct source *s, const char *path)
{
	struct mg_layout_info info;
	char *message = NULL, *hint = NULL;
	int err;

	err = mg_layout_detect(&info, s->tree, path);
	if (err < 0)
		return err;
	switch (info.layout) {
	case MG_LAYOUT_FOLDER:
		err = mg_migfolder_load(&s->migfolder, s->tree, path);
		break;
	case MG_LAYOUT_BOTH:
		mg_layout_both_message(&info, &message, &hint);
		err = mg_error_set("%s: %s", message, hint);
		break;
	case MG_LAYOUT_JOURNAL:
	case MG_LAYOUT_NONE:
		err = mg_migdir_load(&s->migdir, s->tree, path);
		break;
	}
	free(message);
	free(hint);
	mg_layout_info_release(&info);
	return err;
}

static int open_source(struct source *s, const struct mg_cli *cli,
		       const struct apply_opts *o)
{
	struct mg_repo_options ropts;
	const char *root = cli->repo_dir ? cli->repo_dir : ".";
	char *dir = NULL;
	size_t i;
	int err;

	if (o->migrations) {
		strip_dot_slash(&dir, o->migrations);
		if (mg_path_is_safe(dir)) {
			err = mg_tree_open_dir(&s->tree, ".");
			if (err == 0)
				err = load_migrations(s, dir);
		} else {
			/* Outside the current folder: show the given path. */
			err = mg_tree_open_dir(&s->tree, dir);
			if (err == 0)
				err = load_migrations(s, "");
			s->prefix = mg_xstrdup(dir);
		}
		mg_strlist_push(&s->env_files, ".env");
		goto out;
	}
	mg_cli_repo_options(cli, &ropts);
	if (o->rev) {
		err = mg_repo_open(&s->repo, &ropts);
		if (err == 0)
			err = mg_repo_tree_at(&s->tree, s->repo, o->rev);
		if (err == 0 && mg_repo_workdir(s->repo))
			root = mg_repo_workdir(s->repo);
	} else {
		if (!cli->repo_dir && mg_repo_open(&s->repo, &ropts) == 0 &&
		    mg_repo_workdir(s->repo))
			root = mg_repo_workdir(s->repo);
		err = mg_tree_open_dir(&s->tree, root);
	}
	if (err < 0)
		goto out;
	s->root = mg_xstrdup(root);
	for (i = strlen(s->root); i > 1 && s->root[i - 1] == '/'; i--)
		s->root[i - 1] = '\0';
	err = mg_config_load(&s->cfg, s->tree);
	s->cfg_loaded = 1; /* a failed load still holds what it read */
	if (err < 0) {
		err = mg_error_set("%s (or name the folder with --migrations "
				   "DIR)", mg_error_last());
		goto out;
	}
	for (i = 0; i < s->cfg.projects_nr; i++) {
		const struct mg_project *p = &s->cfg.projects[i];

		if (o->project ? !strcmp(p->name, o->project)
			       : s->cfg.projects_nr == 1)
			s->project = p;
	}
	if (!s->project) {
		err = mg_error_set(o->project ? "no project named '%s' in %s"
				   : "%s: %s has %zu drizzle projects: pick "
				   "one with --project NAME",
				   o->project ? o->project : "", s->cfg.source,
				   s->cfg.projects_nr);
		goto out;
	}
	if (!mg_project_drizzle_migrator(s->project)) {
		err = mg_error_set("project '%s' declares \"migrator\": "
				   "\"%s\" in %s: migguard-apply applies what "
				   "drizzle's migrator would, so it has nothing "
				   "to do here", s->project->name,
				   s->project->migrator, s->cfg.source);
		goto out;
	}
	err = load_migrations(s, s->project->migrations);
	if (err < 0)
		goto out;
	/* .env beside the drizzle config, then at the top. */
	if (s->project->root && *s->project->root)
		mg_strlist_push_owned(&s->env_files,
			mg_xstrfmt("%s/%s/.env", s->root, s->project->root));
	mg_strlist_push_owned(&s->env_files, mg_xstrfmt("%s/.env", s->root));
out:
	free(dir);
	return err;
}

static void close_source(struct source *s)
{
	mg_migdir_free(s->migdir);
	mg_migfolder_free(s->migfolder);
	if (s->cfg_loaded)
		mg_config_release(&s->cfg);
	mg_tree_free(s->tree);
	mg_repo_free(s->repo);
	free(s->prefix);
	free(s->root);
	mg_strlist_release(&s->env_files);
}

/* A folder name from the tree or the database, escaped for the terminal. */
static void print_name(FILE *f, const char *prefix, const char *name)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;

	mg_strbuf_init(&sb);
	mg_strbuf_adds(&sb, prefix);
	mg_strbuf_add_quoted(&sb, name);
	mg_strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, f);
	mg_strbuf_release(&sb);
}

static void print_outcome(const struct mg_cli *cli,
			  const struct mg_apply_result *res,
			  const struct apply_opts *o)
{
	FILE *f = info_stream(cli);
	size_t i;

	if (!res->state_read)
		return;
	if (res->upgraded) {
		fprintf(f, "Upgrade of the migrations table drizzle-orm 0.45 "
			"wrote (no \"name\" column), as drizzle-orm 1.0's "
			"migrator does it%s:\n", res->committed ? "" :
			" (then rolled back)");
		for (i = 0; i < res->upgrade_nr; i++) {
			const struct mg_apply_upgrade_row *u = &res->upgrade[i];

			if (u->id_null)
				fprintf(f, "  row NULL");
			else
				fprintf(f, "  row %lld", u->id);
			if (u->created_at_null)
				fprintf(f, " (created_at NULL)");
			else
				fprintf(f, " (created_at %lld)", u->created_at);
			print_name(f, ": name ", u->name);
		}
	}
	fprintf(f, "Migration state: %zu applied, %zu expected, %zu "
		"pending\n", res->applied_before, res->expected, res->pending);
	/* The folder layout: what runs, in its order (it may surprise). */
	if (o->dry_run)
		for (i = 0; i < res->run_nr; i++)
			print_name(f, "  pending: ", res->run[i]);
	if (!res->ran)
		return;
	if (res->committed)
		fprintf(f, "Applied %zu migration%s: %zu applied, %zu "
			"expected\n",
			res->applied_now, res->applied_now == 1 ? "" : "s",
			res->applied_after, res->expected);
	else if (o->dry_run)
		fprintf(f, "Dry run: %zu migration%s applied, then rolled "
			"back\n", res->applied_now,
			res->applied_now == 1 ? "" : "s");
}

static const char unreachable_hint[] =
	"is the database running? In the usual setup it is the Docker "
	"container on port 5433 (docker compose up -d)";

/* --if-reachable: say what was skipped and why, and let the push go on. */
static int skipped_unreachable(const struct mg_cli *cli, const char *why)
{
	fprintf(stderr, "%s: warning: %s; %s\n"
		"%s: the migrations were not applied; set \"apply\": "
		"{\"required\": true} in .migguard.json to stop the push "
		"instead\n", cli->prog, why, unreachable_hint, cli->prog);
	return MG_EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct mg_apply_hooks hooks = { set_cancel, is_aborted, NULL };
	struct mg_apply_request req;
	struct mg_apply_result res;
	struct mg_report report;
	struct apply_opts o;
	struct source src;
	struct mg_cli cli;
	char *url = NULL, *from = NULL, *masked = NULL, *scratch = NULL;
	const char *env_name;
	enum url_source kind = URL_OPTION;
	int ret, err;

	memset(&src, 0, sizeof(src));
	memset(&res, 0, sizeof(res));
	mg_report_init(&report);
	mg_cli_default_sigpipe();
	ret = parse(&cli, &o, argc, argv);
	if (ret >= 0)
		goto out;
	ret = MG_EXIT_FAILURE;
	install_handlers();
	if (open_source(&src, &cli, &o) < 0) {
		mg_cli_fail(&cli, "%s", mg_error_last());
		goto out;
	}
	env_name = src.cfg_loaded && src.cfg.apply.database_url_env ?
		   src.cfg.apply.database_url_env : "DATABASE_URL";
	if (find_url(&url, &from, &kind, &o, env_name,
		     strcmp(env_name, "DATABASE_URL") != 0, &src.env_files,
		     src.root) < 0) {
		if (o.if_reachable)
			ret = skipped_unreachable(&cli, mg_error_last());
		else
			mg_cli_fail(&cli, "%s", mg_error_last());
		goto out;
	}
	if (src.cfg_loaded)
		mg_config_apply(&src.cfg, &report);
	masked = mg_pg_mask(url);
	fprintf(info_stream(&cli), "Database: %s (from %s)\n", masked, from);
	memset(&req, 0, sizeof(req));
	req.migdir = src.migdir;
	req.migfolder = src.migfolder;
	req.path_prefix = src.prefix;
	req.conninfo = url;
	req.schema = o.schema;
	req.table = o.table;
	if (src.project && !req.schema)
		req.schema = src.cfg.apply.migrations_schema ?
			src.cfg.apply.migrations_schema :
			src.project->migrations_schema;
	if (src.project && !req.table)
		req.table = src.cfg.apply.migrations_table ?
			src.cfg.apply.migrations_table :
			src.project->migrations_table;
	req.mode = o.dry_run ? MG_APPLY_DRY_RUN : MG_APPLY_COMMIT;
	/*
	 * The checked tree's apply.allowRemote does not reach a URL the same
	 * tree chose (a .env file, a variable its config names): a pull
	 * request cannot both point at a host and allow it.
	 */
	req.allow_remote = o.allow_remote ||
			   (src.cfg_loaded && src.cfg.apply.allow_remote &&
			    (kind == URL_OPTION || kind == URL_ENV));
	req.hooks = &hooks;
	if (o.fresh) {
		struct mg_pg_target t;

		/* Judge the host before creating anything on it. */
		/* Unparsable or refused: the run below says which. */
		err = mg_pg_target_parse(&t, url);
		if (err < 0 || (!req.allow_remote &&
				!mg_pg_target_is_local(&t, NULL)))
			o.fresh = 0;
		mg_pg_target_release(&t);
	}
	if (o.fresh) {
		err = mg_apply_fresh_create(&scratch, url,
					    req.allow_remote);
		if (err < 0) {
			if (o.if_reachable)
				ret = skipped_unreachable(&cli,
							  mg_error_last());
			else
				mg_cli_fail(&cli, "%s; %s", mg_error_last(),
					    unreachable_hint);
			goto out;
		}
		fprintf(info_stream(&cli), "Scratch database: %s (dropped "
			"afterwards)\n", scratch);
		req.dbname = scratch;
	}
	err = interrupted ? mg_error_set("interrupted") :
			    mg_apply_run(&report, &res, &req);
	if (scratch && mg_apply_fresh_drop(url, scratch,
						req.allow_remote) < 0) {
		mg_cli_fail(&cli, "%s", mg_error_last());
		err = MG_ERROR;
	}
	print_outcome(&cli, &res, &o);
	if (err < 0 && res.unreachable && o.if_reachable) {
		ret = skipped_unreachable(&cli, mg_error_last());
		goto out;
	}
	if (err < 0) {
		if (res.unreachable)
			mg_cli_fail(&cli, "%s; %s", mg_error_last(),
				    unreachable_hint);
		else
			mg_cli_fail(&cli, "%s", mg_error_last());
		ret = interrupted ? 128 + interrupted : MG_EXIT_FAILURE;
		goto out;
	}
	ret = mg_cli_finish(&cli, &report);
	if (interrupted)
		ret = 128 + interrupted;
out:
	ret = mg_cli_output_status(&cli, ret);
	free(scratch);
	free(masked);
	free(from);
	free(url);
	mg_apply_result_release(&res);
	close_source(&src);
	mg_report_release(&report);
	return ret;
}

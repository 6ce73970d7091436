/*
 * --verify-generate: run the project's own drizzle-kit generate on a
 * scratch copy of the head tree, to decide schema-without-migration.
 * The only place that spawns drizzle-kit; pair.c asks through
 * mg_context.verify_generate and makes the decision.
 *
 * The copy: the project's run folder (where drizzle-kit runs), its
 * schema entries, its migrations folder and its drizzle config, read
 * from git objects into a new folder under $TMPDIR (never the work
 * tree). node_modules comes from the work tree by a symbolic link: the
 * project's run folder's, its config folder's or the repository top's,
 * the first holding .bin/drizzle-kit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "verify.h"

#define VERIFY_TIMEOUT_SECONDS 120

static int mkdir_p(const char *path)
{
	char *copy = mg_xstrdup(path), *s;
	int err = 0;

	for (s = copy + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(copy, 0700) < 0 && errno != EEXIST)
			err = -1;
		*s = '/';
	}
	if (!err && mkdir(copy, 0700) < 0 && errno != EEXIST)
		err = -1;
	if (err)
		mg_error_set("cannot create '%s': %s", copy, strerror(errno));
	free(copy);
	return err;
}

/* Remove a folder we made, not following links (node_modules is one). */
static void remove_tree(const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	d = opendir(path);
	if (d) {
		while ((de = readdir(d))) {
			char *sub;

			if (!strcmp(de->d_name, ".") ||
			    !strcmp(de->d_name, ".."))
				continue;
			sub = mg_xstrfmt("%s/%s", path, de->d_name);
			remove_tree(sub);
			free(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

static int has_node_modules(const char *path)
{
	const char *s;

	for (s = path; (s = strstr(s, "node_modules")); s++)
		if ((s == path || s[-1] == '/') &&
		    (s[12] == '/' || s[12] == '\0'))
			return 1;
	return 0;
}

static int write_file(const char *path, const char *data, size_t len)
{
	char *dir = mg_xstrdup(path), *slash = strrchr(dir, '/');
	FILE *f = NULL;
	int err = 0;

	if (slash) {
		*slash = '\0';
		err = mkdir_p(dir);
		if (err < 0)
			goto out;
	}
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len) {
		err = mg_error_set("cannot write '%s': %s", path,
				   strerror(errno));
		goto out;
	}
	if (fclose(f)) {
		f = NULL;
		err = mg_error_set("cannot write '%s': %s", path,
				   strerror(errno));
		goto out;
	}
	f = NULL;
out:
	if (f)
		fclose(f);
	free(dir);
	return err;
}

/* Copy the files below dir ("" = all) of head into scratch. */
static int copy_folder(const char *scratch, struct mg_tree *head,
		       const char *dir)
{
	struct mg_tree_listing l = { 0 };
	size_t i;
	int err;

	err = mg_tree_list(head, dir, &l);
	if (err == MG_ENOTFOUND) {
		err = 0;
		goto out;
	}
	if (err < 0)
		goto out;
	for (i = 0; i < l.nr; i++) {
		const struct mg_tree_entry *e = &l.items[i];
		char *data = NULL, *path;
		size_t len = 0;

		/* Links and submodules stay out: the copy holds files. */
		if (e->type != MG_ENTRY_FILE || !mg_path_is_safe(e->path) ||
		    has_node_modules(e->path))
			continue;
		err = mg_tree_read(head, e->path, &data, &len);
		if (err == MG_ETOOBIG)
			continue;
		if (err < 0)
			goto out;
		path = mg_xstrfmt("%s/%s", scratch, e->path);
		err = write_file(path, data, len);
		free(path);
		free(data);
		if (err < 0)
			goto out;
	}
	err = 0;
out:
	mg_tree_listing_release(&l);
	return err;
}

static int copy_one(const char *scratch, struct mg_tree *head,
		    const char *path)
{
	char *data = NULL, *dst;
	size_t len = 0;
	int err;

	err = mg_tree_read(head, path, &data, &len);
	if (err < 0)
		return err == MG_ENOTFOUND ? copy_folder(scratch, head, path)
					   : err;
	dst = mg_xstrfmt("%s/%s", scratch, path);
	err = write_file(dst, data, len);
	free(dst);
	free(data);
	return err;
}

static char *join(const char *a, const char *b)
{
	if (!a || !*a)
		return mg_xstrdup(b);
	return mg_xstrfmt("%s/%s", a, b);
}

static char *dirname_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? mg_xstrfmt("%.*s", (int)(slash - path), path)
		     : mg_xstrdup("");
}

/*
 * Link scratch/<dir>/node_modules to the work tree's, for the first
 * folder of dirs whose node_modules has .bin/drizzle-kit. *bin: the
 * path of drizzle-kit in the copy.
 */
static int link_node_modules(char **bin, const char *scratch,
			     const char *workdir, char **dirs, size_t nr)
{
	struct stat st;
	size_t i;

	for (i = 0; i < nr; i++) {
		char *nm_rel = join(dirs[i], "node_modules");
		char *real = mg_xstrfmt("%s/%s", workdir, nm_rel);
		char *kit = mg_xstrfmt("%s/.bin/drizzle-kit", real);
		char *link = mg_xstrfmt("%s/%s", scratch, nm_rel);
		int found = stat(kit, &st) == 0;
		int err = 0;

		if (found) {
			char *parent = dirname_of(link);

			err = mkdir_p(parent);
			free(parent);
			if (!err && symlink(real, link) < 0)
				err = mg_error_set("cannot link '%s': %s",
						   link, strerror(errno));
			if (!err)
				*bin = mg_xstrfmt("%s/.bin/drizzle-kit", link);
		}
		free(nm_rel);
		free(real);
		free(kit);
		free(link);
		if (err < 0)
			return err;
		if (found)
			return 0;
	}
	return mg_error_set("--verify-generate needs the project's "
			    "node_modules installed (npm ci / pnpm install): "
			    "no node_modules/.bin/drizzle-kit in the work tree "
			    "at '%s'%s", dirs[0][0] ? dirs[0] : ".",
			    nr > 1 ? " or above" : "");
}

static char *read_log(const char *log)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	FILE *f = fopen(log, "rb");
	char buf[4096];
	size_t n;

	if (f) {
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			mg_strbuf_add(&sb, buf, n);
		fclose(f);
	}
	return mg_strbuf_detach(&sb, NULL);
}

/*
 * The line of drizzle-kit's output that says why: its first "Error"
 * line (a stack trace follows it), else its last non-empty line.
 */
static char *log_reason(const char *text)
{
	const char *line = text, *end, *last = NULL;
	size_t len, last_len = 0;

	while (*line) {
		end = strchr(line, '\n');
		len = end ? (size_t)(end - line) : strlen(line);
		while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
			len--;
		if (len && strstr(line, "Error") &&
		    (size_t)(strstr(line, "Error") - line) < len)
			return mg_xstrfmt("%.*s", (int)len, line);
		if (len) {
			last = line;
			last_len = len;
		}
		if (!end)
			break;
		line = end + 1;
	}
	return last ? mg_xstrfmt("%.*s", (int)last_len, last)
		    : mg_xstrdup("(no output)");
}

/*
 * The environment drizzle-kit gets: what finds node and formats text,
 * nothing else. The config and schema it runs are the checked commit's
 * code: CI secrets (tokens, DATABASE_URL) stay out of its reach, and
 * generate needs none. TMPDIR is the scratch folder's (tsx's cache
 * goes with it); no colour, so that its error line reads as text.
 * Called in the child, between fork and exec.
 */
static char **child_env(const char *tmp)
{
	static const char *const keep[] = { "PATH", "HOME", "LANG", "LC_ALL",
					    "LC_CTYPE", "NODE_OPTIONS" };
	static char *env[sizeof(keep) / sizeof(keep[0]) + 4];
	size_t i, n = 0;

	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		const char *v = getenv(keep[i]);

		if (v)
			env[n++] = mg_xstrfmt("%s=%s", keep[i], v);
	}
	env[n++] = mg_xstrfmt("TMPDIR=%s", tmp);
	env[n++] = (char *)"NO_COLOR=1";
	env[n++] = (char *)"FORCE_COLOR=0";
	env[n] = NULL;
	return env;
}

/*
 * Run bin generate --config config in cwd: stdin /dev/null, stdout and
 * stderr into log, the environment child_env(tmp), in its own process
 * group so that a timeout ends whatever it started. 0, or < 0 with the reason.
 */
static int run_generate(const char *bin, const char *config,
			const char *cwd, const char *log, const char *tmp,
			const char *dir)
{
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	long waited_ms = 0;
	int status = 0;
	pid_t pid, got;
	char *reason, *text;
	int err;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return mg_error_set("cannot start drizzle-kit: %s",
				    strerror(errno));
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		char *argv[] = { (char *)bin, (char *)"generate",
				 (char *)"--config", (char *)config, NULL };

		setpgid(0, 0);
		if (in < 0 || out < 0 || chdir(cwd) < 0 ||
		    dup2(in, STDIN_FILENO) < 0 ||
		    dup2(out, STDOUT_FILENO) < 0 ||
		    dup2(out, STDERR_FILENO) < 0)
			_exit(127);
		execve(bin, argv, child_env(tmp));
		_exit(127);
	}
	setpgid(pid, pid);
	for (;;) {
		got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			break;
		if (got < 0 && errno != EINTR)
			return mg_error_set("cannot wait for drizzle-kit: %s",
					    strerror(errno));
		if (waited_ms >= VERIFY_TIMEOUT_SECONDS * 1000L) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return mg_error_set("drizzle-kit generate in '%s' did "
					    "not end within %d s (a prompt? it "
					    "has no terminal here)", dir,
					    VERIFY_TIMEOUT_SECONDS);
		}
		nanosleep(&nap, NULL);
		waited_ms += 50;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	text = read_log(log);
	reason = log_reason(text);
	free(text);
	if (WIFEXITED(status))
		err = mg_error_set("drizzle-kit generate failed in '%s' (exit "
				   "%d): %s", dir, WEXITSTATUS(status),
				   reason);
	else
		err = mg_error_set("drizzle-kit generate in '%s' was killed "
				   "by signal %d: %s", dir, WTERMSIG(status),
				   reason);
	free(reason);
	return err;
}

static int is_migration_sql(const char *rel)
{
	const char *slash = strchr(rel, '/');

	return (!slash && mg_ends_with(rel, ".sql")) ||
	       (slash && !strcmp(slash, "/migration.sql"));
}

/* The SQL of the migrations scratch has in dir and head has not. */
static int new_sql(char **sql, const char *scratch, struct mg_tree *head,
		   const char *dir)
{
	struct mg_tree_listing before = { 0 }, after = { 0 };
	struct mg_strbuf sb = MG_STRBUF_INIT;
	struct mg_tree *disk = NULL;
	size_t i, dl = strlen(dir);
	int err, found = 0;

	err = mg_tree_list(head, dir, &before);
	if (err < 0 && err != MG_ENOTFOUND)
		goto out;
	err = mg_tree_open_dir(&disk, scratch);
	if (err < 0)
		goto out;
	err = mg_tree_list(disk, dir, &after);
	if (err == MG_ENOTFOUND) {
		err = 0;
		goto out;
	}
	if (err < 0)
		goto out;
	for (i = 0; i < after.nr; i++) {
		const char *path = after.items[i].path;
		char *data = NULL;
		size_t len = 0;

		if (strncmp(path, dir, dl) || path[dl] != '/' ||
		    !is_migration_sql(path + dl + 1) ||
		    mg_tree_listing_find(&before, path))
			continue;
		err = mg_tree_read(disk, path, &data, &len);
		if (err < 0)
			goto out;
		if (found++)
			mg_strbuf_addch(&sb, '\n');
		mg_strbuf_add(&sb, data, len);
		free(data);
	}
	err = 0;
	if (found)
		*sql = mg_strbuf_detach(&sb, NULL);
out:
	mg_strbuf_release(&sb);
	mg_tree_listing_release(&before);
	mg_tree_listing_release(&after);
	mg_tree_free(disk);
	return err;
}

int mg_cli_verify_generate(char **sql, void *data, struct mg_tree *head,
			   const struct mg_project *p)
{
	const struct mg_verify *v = data;
	const char *run = p->run_dir ? p->run_dir : p->root;
	const char *tmp = getenv("TMPDIR");
	char *top = NULL, *scratch = NULL, *cwd = NULL, *config = NULL;
	char *bin = NULL, *log = NULL, *child_tmp = NULL, *text = NULL;
	char *reason = NULL, *dirs[3];
	size_t i, dirs_nr = 0;
	int err;

	*sql = NULL;
	if (mg_ends_with(p->config_path, ".migguard.json"))
		return mg_error_set("--verify-generate needs a drizzle config "
				    "file for project '%s' (it runs "
				    "drizzle-kit generate --config)", p->name);
	if (!v->workdir)
		return mg_error_set("--verify-generate needs a work tree with "
				    "the project's node_modules installed");
	/* Absolute: drizzle-kit runs in the copy, not here. */
	top = mg_xstrfmt("%s/migguard-verify-XXXXXX",
			 tmp && *tmp == '/' ? tmp : "/tmp");
	if (!mkdtemp(top)) {
		err = mg_error_set("cannot create a scratch folder '%s': %s",
				   top, strerror(errno));
		free(top);
		return err;
	}
	/* The copy in top/tree; drizzle-kit's output beside it. */
	scratch = mg_xstrfmt("%s/tree", top);
	log = mg_xstrfmt("%s/generate.log", top);
	child_tmp = mg_xstrfmt("%s/tmp", top);
	err = mkdir_p(scratch);
	if (err >= 0)
		err = mkdir_p(child_tmp);
	if (err < 0)
		goto out;
	err = copy_folder(scratch, head, run ? run : "");
	for (i = 0; err >= 0 && i < p->schema_entries.nr; i++)
		err = copy_one(scratch, head, p->schema_entries.items[i]);
	for (i = 0; err >= 0 && i < p->schema.nr; i++)
		err = copy_one(scratch, head, p->schema.items[i]);
	if (err >= 0)
		err = copy_folder(scratch, head, p->migrations);
	if (err >= 0)
		err = copy_one(scratch, head, p->config_path);
	if (err < 0)
		goto out;
	cwd = run && *run ? mg_xstrfmt("%s/%s", scratch, run)
			  : mg_xstrdup(scratch);
	err = mkdir_p(cwd);
	if (err < 0)
		goto out;
	dirs[dirs_nr++] = mg_xstrdup(run ? run : "");
	if (p->root && strcmp(p->root, dirs[0]))
		dirs[dirs_nr++] = mg_xstrdup(p->root);
	if (dirs[0][0] && (dirs_nr == 1 || dirs[1][0]))
		dirs[dirs_nr++] = mg_xstrdup("");
	err = link_node_modules(&bin, scratch, v->workdir, dirs, dirs_nr);
	for (i = 0; i < dirs_nr; i++)
		free(dirs[i]);
	if (err < 0)
		goto out;
	config = mg_xstrfmt("%s/%s", scratch, p->config_path);
	err = run_generate(bin, config, cwd, log, child_tmp, p->name);
	if (err < 0)
		goto out;
	err = new_sql(sql, scratch, head, p->migrations);
	if (err < 0 || *sql)
		goto out;
	/*
	 * drizzle-kit 0.31 exits 0 when it cannot load the schema (a
	 * TypeScript error): writing nothing passes only when it said so.
	 */
	text = read_log(log);
	if (strstr(text, "Interactive prompts require a TTY")) {
		err = mg_error_set("drizzle-kit generate in '%s' asks a "
				   "question (a rename, or what to do with a "
				   "table or column?) and has no terminal "
				   "here: run it yourself and commit the "
				   "migration it writes", p->name);
	} else if (!strstr(text, "No schema changes, nothing to migrate")) {
		reason = log_reason(text);
		err = mg_error_set("drizzle-kit generate in '%s' wrote no "
				   "migration and did not say 'No schema "
				   "changes': %s", p->name, reason);
	}
out:
	free(text);
	free(reason);
	remove_tree(top);
	free(top);
	free(log);
	free(child_tmp);
	free(scratch);
	free(cwd);
	free(config);
	free(bin);
	return err;
}

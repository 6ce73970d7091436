#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "migguard/git.h"
#include "migguard/install.h"
#include "migguard/strbuf.h"

/* hooks/pre-commit and hooks/pre-push, embedded by CMakeLists.txt. */
static const struct {
	const char *name;
	const char *text;
} templates[MG_HOOKS_NR] = {
#include "migguard-hooks.inc"
};

static const char installed_line[] = "\ninstalled=\n";

const char *mg_hook_name(enum mg_hook hook)
{
	return hook == MG_HOOK_PRE_PUSH ? "pre-push" : "pre-commit";
}

static int hook_index(enum mg_hook hook)
{
	return hook == MG_HOOK_PRE_PUSH ? 1 : 0;
}

int mg_hook_parse_list(unsigned *out, const char *list)
{
	struct mg_strlist names = MG_STRLIST_INIT;
	unsigned mask = 0;
	size_t i, k;
	int err = 0;

	*out = 0;
	mg_strlist_split(&names, list);
	for (k = 0; k < names.nr; k++) {
		for (i = 0; i < MG_HOOKS_NR; i++)
			if (!strcmp(templates[i].name, names.items[k]))
				break;
		if (i == MG_HOOKS_NR) {
			err = mg_error_set_code(MG_EUSAGE,
				"unknown hook '%s': migguard installs "
				"pre-commit and pre-push", names.items[k]);
			goto out;
		}
		mask |= i ? MG_HOOK_PRE_PUSH : MG_HOOK_PRE_COMMIT;
	}
	if (!mask) {
		err = mg_error_set_code(MG_EUSAGE, "no hook named: give "
					"pre-commit, pre-push or both");
		goto out;
	}
	*out = mask;
out:
	mg_strlist_release(&names);
	return err;
}

char *mg_install_hook_text(enum mg_hook hook, const char *binary)
{
	const char *text = templates[hook_index(hook)].text;
	const char *at = strstr(text, installed_line);
	struct mg_strbuf sb = MG_STRBUF_INIT;
	const char *p;

	if (!binary || !at)
		return mg_xstrdup(text);
	mg_strbuf_add(&sb, text, (size_t)(at - text));
	mg_strbuf_adds(&sb, "\ninstalled='");
	for (p = binary; *p; p++) {
		if (*p == '\'')
			mg_strbuf_adds(&sb, "'\\''");
		else
			mg_strbuf_addch(&sb, *p);
	}
	mg_strbuf_adds(&sb, "'\n");
	mg_strbuf_adds(&sb, at + strlen(installed_line));
	return mg_strbuf_detach(&sb, NULL);
}

int mg_install_has_marker(const char *text, size_t len)
{
	const char *nl = memchr(text, '\n', len);
	size_t rest, mlen = strlen(MG_INSTALL_MARKER);

	if (len < 2 || memcmp(text, "#!", 2) || !nl)
		return 0;
	rest = len - (size_t)(nl + 1 - text);
	return rest >= mlen && !memcmp(nl + 1, MG_INSTALL_MARKER, mlen);
}

/*
 * The binary of an installed= value as mg_install_hook_text quotes it:
 * '...' with each ' as '\''. NULL when value is not quoted that way.
 */
static char *unquote_installed(const char *value, size_t len)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	size_t i;

	if (len < 2 || value[0] != '\'' || value[len - 1] != '\'')
		return NULL;
	for (i = 1; i + 1 < len; i++) {
		if (value[i] != '\'') {
			mg_strbuf_addch(&sb, value[i]);
			continue;
		}
		if (i + 4 >= len || memcmp(value + i, "'\\''", 4)) {
			mg_strbuf_release(&sb);
			return NULL;
		}
		mg_strbuf_addch(&sb, '\'');
		i += 3;
	}
	return mg_strbuf_detach(&sb, NULL);
}

int mg_install_is_ours(enum mg_hook hook, const char *text, size_t len)
{
	static const char key[] = "\ninstalled=";
	const char *at, *end;
	char *binary = NULL, *want;
	int ours;

	if (!mg_install_has_marker(text, len) || memchr(text, '\0', len))
		return 0;
	at = strstr(text, key);
	if (!at)
		return 0;
	at += strlen(key);
	end = strchr(at, '\n');
	if (!end)
		return 0;
	if (end > at) {
		binary = unquote_installed(at, (size_t)(end - at));
		if (!binary)
			return 0;
	}
	want = mg_install_hook_text(hook, binary);
	ours = strlen(want) == len && !memcmp(want, text, len);
	free(want);
	free(binary);
	return ours;
}

/* Files. */

/* 1 when something (even a dangling symlink) is at path. */
static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The hook's bytes; MG_ENOTFOUND when nothing is there. */
static int read_hook(char **out, size_t *len, const char *path)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	char buf[8192];
	ssize_t n;
	int fd = -1, err = 0;

	*out = NULL;
	*len = 0;
	if (!exists(path))
		return MG_ENOTFOUND;
	fd = open(path, O_RDONLY);
	if (fd < 0 && errno == ENOENT) {
		/* A dangling symlink: someone's hook all the same. */
		*out = mg_xstrdup("");
		goto out;
	}
	if (fd < 0) {
		err = mg_error_set("cannot read '%s': %s", path,
				   strerror(errno));
		goto out;
	}
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = mg_error_set("cannot read '%s': %s", path,
					   strerror(errno));
			goto out;
		}
		if (!n)
			break;
		mg_strbuf_add(&sb, buf, (size_t)n);
	}
	*out = mg_strbuf_detach(&sb, len);
out:
	if (fd >= 0)
		close(fd);
	mg_strbuf_release(&sb);
	return err;
}

static int mkdir_p(const char *dir)
{
	char *copy = mg_xstrdup(dir), *p;
	int err = 0;

	for (p = copy + 1;; p++) {
		if (*p && *p != '/')
			continue;
		if (p[-1] != '/') {
			char c = *p;

			*p = '\0';
			if (mkdir(copy, 0777) < 0 && errno != EEXIST) {
				err = mg_error_set("cannot create '%s': %s",
						   copy, strerror(errno));
				goto out;
			}
			*p = c;
		}
		if (!*p)
			break;
	}
	if (!is_dir(dir))
		err = mg_error_set("'%s' is not a folder", dir);
out:
	free(copy);
	return err;
}

/*
 * Write text to path through a temporary file, executable. The file is
 * made anew (mkstemp: O_EXCL, a fresh name) in the hooks folder, so that
 * nothing planted there, a symlink in a shared core.hooksPath say, is
 * followed or overwritten.
 */
static int write_hook(const char *path, const char *text)
{
	char *tmp = mg_xstrfmt("%s.migguard-tmp-XXXXXX", path);
	size_t len = strlen(text), done = 0;
	ssize_t n;
	int fd, err = 0;

	fd = mkstemp(tmp);
	if (fd < 0) {
		err = mg_error_set("cannot write '%s': %s", tmp,
				   strerror(errno));
		free(tmp);
		return err;
	}
	while (done < len) {
		n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = mg_error_set("cannot write '%s': %s", tmp,
					   strerror(errno));
			goto out;
		}
		done += (size_t)n;
	}
	/* mkstemp makes it 0600; git runs only an executable hook. */
	if (fchmod(fd, 0755) < 0 || close(fd) < 0) {
		fd = -1;
		err = mg_error_set("cannot write '%s': %s", tmp,
				   strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		err = mg_error_set("cannot write '%s': %s", path,
				   strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (err < 0)
		unlink(tmp);
	free(tmp);
	return err;
}

static int move(const char *from, const char *to)
{
	if (rename(from, to) < 0)
		return mg_error_set("cannot rename '%s' to '%s': %s", from, to,
				    strerror(errno));
	return 0;
}

static int is_executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       (st.st_mode & 0111) == 0111;
}

/* Finding the hooks folder and the hook manager. */

/* path shown relative to the work tree when it is inside it. */
static char *display_path(const struct mg_install_target *t, const char *path)
{
	if (t->workdir && mg_starts_with(path, t->workdir))
		return mg_xstrdup(path + strlen(t->workdir));
	return mg_xstrdup(path);
}

static const char *const lefthook_configs[] = {
	"lefthook.yml",		 ".lefthook.yml",
	"lefthook.yaml",	 ".lefthook.yaml",
	".config/lefthook.yml",	 ".config/lefthook.yaml",
	"lefthook.toml",	 ".lefthook.toml",
	"lefthook.json",	 ".lefthook.json",
	"lefthook.jsonc",	 ".lefthook.jsonc",
};

/* The first of our hook files holding needle, or NULL. */
static char *hook_mentioning(const struct mg_install_target *t,
			     const char *needle)
{
	char *path = NULL, *data = NULL, *found = NULL;
	size_t i, len;

	for (i = 0; i < MG_HOOKS_NR && !found; i++) {
		path = mg_path_join(t->hooks_dir, templates[i].name);
		if (read_hook(&data, &len, path) >= 0 && data &&
		    strstr(data, needle))
			found = display_path(t, path);
		free(data);
		data = NULL;
		free(path);
	}
	return found;
}

static void set_manager(struct mg_install_target *t, enum mg_hook_manager m,
			char *file, char *evidence)
{
	t->manager = m;
	t->manager_file = file;
	t->evidence = evidence;
}

/* husky: its core.hooksPath (".husky/_", or ".husky" before v9), or a
 * .husky folder that `husky` will hook up on the next install. */
static int detect_husky(struct mg_install_target *t)
{
	char *h = mg_path_join(t->hooks_dir, "husky.sh");
	char *h_old = mg_path_join(t->hooks_dir, "_/husky.sh");
	char *top = t->workdir ? mg_path_join(t->workdir, ".husky") : NULL;
	const char *base = strrchr(t->hooks_dir, '/');
	char *dir = NULL;
	int found = 1;

	base = base ? base + 1 : t->hooks_dir;
	if (t->hooks_path && exists(h) && !strcmp(base, "_"))
		dir = mg_xstrndup(t->hooks_dir, (size_t)(base - 1 -
							  t->hooks_dir));
	else if (t->hooks_path && (exists(h_old) || !strcmp(base, ".husky")))
		dir = mg_xstrdup(t->hooks_dir);
	else if (t->hooks_path && mg_ends_with(t->hooks_dir, "/.husky/_"))
		dir = mg_xstrndup(t->hooks_dir, strlen(t->hooks_dir) - 2);
	if (dir) {
		set_manager(t, MG_MANAGER_HUSKY, display_path(t, dir),
			    mg_xstrfmt("core.hooksPath is '%s'",
				       t->hooks_path));
		goto out;
	}
	if (top && is_dir(top)) {
		set_manager(t, MG_MANAGER_HUSKY, mg_xstrdup(".husky"),
			    mg_xstrdup("the repository has a .husky folder"));
		goto out;
	}
	found = 0;
out:
	free(dir);
	free(top);
	free(h_old);
	free(h);
	return found;
}

static int detect_lefthook(struct mg_install_target *t)
{
	char *path, *hook;
	size_t i;

	for (i = 0; t->workdir &&
		    i < sizeof(lefthook_configs) / sizeof(lefthook_configs[0]);
	     i++) {
		path = mg_path_join(t->workdir, lefthook_configs[i]);
		if (exists(path)) {
			free(path);
			set_manager(t, MG_MANAGER_LEFTHOOK,
				    mg_xstrdup(lefthook_configs[i]),
				    mg_xstrfmt("'%s' exists",
					       lefthook_configs[i]));
			return 1;
		}
		free(path);
	}
	hook = hook_mentioning(t, "lefthook");
	if (!hook)
		return 0;
	set_manager(t, MG_MANAGER_LEFTHOOK, mg_xstrdup("lefthook.yml"),
		    mg_xstrfmt("'%s' runs lefthook", hook));
	free(hook);
	return 1;
}

static int detect_pre_commit(struct mg_install_target *t)
{
	static const char config[] = ".pre-commit-config.yaml";
	char *path = t->workdir ? mg_path_join(t->workdir, config) : NULL;
	char *hook;
	int found = path && exists(path);

	free(path);
	if (found) {
		set_manager(t, MG_MANAGER_PRE_COMMIT, mg_xstrdup(config),
			    mg_xstrfmt("'%s' exists", config));
		return 1;
	}
	hook = hook_mentioning(t, "pre-commit.com");
	if (!hook)
		return 0;
	set_manager(t, MG_MANAGER_PRE_COMMIT, mg_xstrdup(config),
		    mg_xstrfmt("'%s' runs the pre-commit framework", hook));
	free(hook);
	return 1;
}

int mg_install_target_find(struct mg_install_target *out,
			   struct mg_repo *repo, const char *home)
{
	const char *wd = mg_repo_workdir(repo);
	const char *common = mg_git_common_dir(repo);
	char *hp = NULL;
	size_t len;
	int err;

	memset(out, 0, sizeof(*out));
	out->workdir = wd ? mg_xstrdup(wd) : NULL;
	err = mg_git_config_string(&hp, repo, "core.hooksPath");
	if (err == MG_ENOTFOUND)
		err = 0;
	if (err < 0)
		goto out;
	if (hp && *hp) {
		out->hooks_path = hp;
		hp = NULL;
		if (mg_starts_with(out->hooks_path, "~/") && home)
			out->hooks_dir = mg_path_join(home,
						      out->hooks_path + 2);
		else if (out->hooks_path[0] == '/')
			out->hooks_dir = mg_xstrdup(out->hooks_path);
		else /* git runs hooks from the work tree's top */
			out->hooks_dir = mg_path_join(wd ? wd : common,
						      out->hooks_path);
	} else {
		out->hooks_dir = mg_path_join(common, "hooks");
	}
	len = strlen(out->hooks_dir);
	while (len > 1 && out->hooks_dir[len - 1] == '/')
		out->hooks_dir[--len] = '\0';
	if (!detect_husky(out) && !detect_lefthook(out))
		detect_pre_commit(out);
out:
	free(hp);
	if (err < 0)
		mg_install_target_release(out);
	return err;
}

void mg_install_target_release(struct mg_install_target *t)
{
	free(t->hooks_dir);
	free(t->hooks_path);
	free(t->workdir);
	free(t->manager_file);
	free(t->evidence);
	memset(t, 0, sizeof(*t));
}

char *mg_install_find_npm_bin(const struct mg_install_target *t,
			      const char *cwd)
{
	static const char bin[] = "node_modules/.bin/migguard";
	size_t top, len = strlen(cwd);
	char *dir, *path, *found = NULL;

	if (!t->workdir)
		return NULL;
	top = strlen(t->workdir); /* with its '/' */
	if (len + 1 < top || strncmp(cwd, t->workdir, top - 1) ||
	    (cwd[top - 1] && cwd[top - 1] != '/'))
		return NULL; /* cwd is not in the work tree */
	dir = mg_xstrdup(cwd);
	for (;;) {
		path = mg_path_join(dir, bin);
		if (is_executable_file(path)) {
			len = strlen(dir);
			found = len + 1 > top ? mg_path_join(dir + top, bin)
					      : mg_xstrdup(bin);
			free(path);
			break;
		}
		free(path);
		len = strlen(dir);
		if (len + 1 <= top)
			break;
		while (len > 0 && dir[len - 1] != '/')
			len--;
		while (len > 1 && dir[len - 1] == '/')
			len--;
		dir[len] = '\0';
	}
	free(dir);
	return found;
}

/* Installing. */

static int install_one(struct mg_install_result *res, enum mg_hook hook,
		       const char *binary, int force)
{
	char *chained = mg_xstrfmt("%s%s", res->path,
				   MG_INSTALL_CHAINED_SUFFIX);
	char *saved = mg_xstrfmt("%s%s", res->path, MG_INSTALL_SAVED_SUFFIX);
	char *want = mg_install_hook_text(hook, binary);
	char *have = NULL, **keep;
	size_t len = 0;
	int err;

	err = read_hook(&have, &len, res->path);
	if (err == MG_ENOTFOUND) {
		err = write_hook(res->path, want);
		res->action = MG_INSTALL_WROTE;
		if (exists(chained))
			res->kept = mg_xstrdup(chained);
		goto out;
	}
	if (err < 0)
		goto out;
	if (mg_install_is_ours(hook, have, len)) {
		if (exists(chained))
			res->kept = mg_xstrdup(chained);
		else if (exists(saved))
			res->kept = mg_xstrdup(saved);
		if (len == strlen(want) && !memcmp(have, want, len) &&
		    is_executable_file(res->path)) {
			res->action = MG_INSTALL_UNCHANGED;
			goto out;
		}
		res->action = MG_INSTALL_UPDATED;
		err = write_hook(res->path, want);
		goto out;
	}
	/*
	 * A foreign hook, or one of ours the user edited (their lines are
	 * theirs): keep it, to run first (or, forced, aside).
	 */
	res->edited = mg_install_has_marker(have, len);
	keep = force ? &saved : &chained;
	if (exists(*keep)) {
		err = mg_error_set("cannot keep the existing hook '%s': '%s' "
			"is in the way (left by an earlier install); move one "
			"of them away", res->path, *keep);
		goto out;
	}
	err = move(res->path, *keep);
	if (err < 0)
		goto out;
	err = write_hook(res->path, want);
	if (err < 0) {
		rename(*keep, res->path);
		goto out;
	}
	res->action = force ? MG_INSTALL_REPLACED : MG_INSTALL_CHAINED;
	res->kept = *keep;
	*keep = NULL;
out:
	free(have);
	free(want);
	free(saved);
	free(chained);
	return err;
}

static int uninstall_one(struct mg_install_result *res, enum mg_hook hook)
{
	char *chained = mg_xstrfmt("%s%s", res->path,
				   MG_INSTALL_CHAINED_SUFFIX);
	char *saved = mg_xstrfmt("%s%s", res->path, MG_INSTALL_SAVED_SUFFIX);
	char *have = NULL, *kept = NULL;
	size_t len = 0;
	int err;

	err = read_hook(&have, &len, res->path);
	if (err < 0 && err != MG_ENOTFOUND)
		goto out;
	if (err == 0 && !mg_install_is_ours(hook, have, len)) {
		res->action = MG_UNINSTALL_FOREIGN;
		res->edited = mg_install_has_marker(have, len);
		goto out;
	}
	if (err == 0 && unlink(res->path) < 0) {
		err = mg_error_set("cannot remove '%s': %s", res->path,
				   strerror(errno));
		goto out;
	}
	res->action = err == 0 ? MG_UNINSTALL_REMOVED : MG_UNINSTALL_ABSENT;
	err = 0;
	if (exists(chained))
		kept = chained;
	else if (exists(saved))
		kept = saved;
	if (!kept)
		goto out;
	err = move(kept, res->path);
	if (err < 0)
		goto out;
	res->action = MG_UNINSTALL_RESTORED;
	res->kept = mg_xstrdup(kept);
out:
	free(have);
	free(saved);
	free(chained);
	return err;
}

static int for_each_hook(struct mg_install_result *out, size_t *nr,
			 const struct mg_install_target *t, unsigned hooks,
			 const char *binary, int force, int install)
{
	static const enum mg_hook order[MG_HOOKS_NR] = { MG_HOOK_PRE_COMMIT,
							 MG_HOOK_PRE_PUSH };
	size_t i;
	int err = 0;

	*nr = 0;
	if (install) {
		err = mkdir_p(t->hooks_dir);
		if (err < 0)
			goto out;
	}
	for (i = 0; i < MG_HOOKS_NR; i++) {
		struct mg_install_result *res = &out[*nr];

		if (!(hooks & order[i]))
			continue;
		memset(res, 0, sizeof(*res));
		res->hook = order[i];
		res->path = mg_path_join(t->hooks_dir, mg_hook_name(order[i]));
		(*nr)++;
		if (install)
			err = install_one(res, order[i], binary, force);
		else
			err = uninstall_one(res, order[i]);
		if (err < 0)
			goto out;
	}
out:
	return err;
}

int mg_install_hooks(struct mg_install_result *out, size_t *nr,
		     const struct mg_install_target *t, unsigned hooks,
		     const char *binary, int force)
{
	return for_each_hook(out, nr, t, hooks, binary, force, 1);
}

int mg_uninstall_hooks(struct mg_install_result *out, size_t *nr,
		       const struct mg_install_target *t, unsigned hooks)
{
	return for_each_hook(out, nr, t, hooks, NULL, 0, 0);
}

void mg_install_results_release(struct mg_install_result *r, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		free(r[i].path);
		free(r[i].kept);
		r[i].path = r[i].kept = NULL;
	}
}

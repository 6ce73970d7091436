#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <git2/sys/repository.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "migguard/git.h"
#include "migguard/strbuf.h"

extern char **environ;

struct mg_repo {
	git_repository *repo;
	char *gitdir;	  /* the repository's git dir */
	char *workdir;	  /* work tree top with a trailing '/', or NULL */
	char *index_path; /* the index file to read (absolute) */
	git_index *index; /* NULL until read; NULL too when libgit2 can't */
	int index_fallback; /* libgit2 refused the index: spawned git */
	char *index_error;
};

static int libgit2_users;

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	return mg_error_set("%s: %s", what, e && e->message ? e->message
							    : "unknown error");
}

static void oid_hex(char out[MG_OID_HEXSZ], const git_oid *oid)
{
	git_oid_tostr(out, MG_OID_HEXSZ, oid);
}

/* Spawned git, for what libgit2 1.5 cannot read. */

static int run_git(struct mg_repo *r, const char *const *args,
		   struct mg_strbuf *out)
{
	struct mg_strlist env = MG_STRLIST_INIT;
	struct mg_strlist argv = MG_STRLIST_INIT;
	posix_spawn_file_actions_t fa;
	int pipefd[2] = { -1, -1 };
	char buf[65536];
	pid_t pid;
	size_t i;
	int status, err = 0;

	for (i = 0; environ[i]; i++)
		if (!mg_starts_with(environ[i], "GIT_DIR=") &&
		    !mg_starts_with(environ[i], "GIT_WORK_TREE=") &&
		    !mg_starts_with(environ[i], "GIT_INDEX_FILE=") &&
		    !mg_starts_with(environ[i], "GIT_OPTIONAL_LOCKS="))
			mg_strlist_push(&env, environ[i]);
	mg_strlist_push_owned(&env, mg_xstrfmt("GIT_DIR=%s", r->gitdir));
	if (r->workdir)
		mg_strlist_push_owned(&env, mg_xstrfmt("GIT_WORK_TREE=%s",
						       r->workdir));
	if (r->index_path)
		mg_strlist_push_owned(&env, mg_xstrfmt("GIT_INDEX_FILE=%s",
						       r->index_path));
	mg_strlist_push(&env, "GIT_OPTIONAL_LOCKS=0");
	mg_strlist_push_owned(&env, NULL);
	env.nr--;
	mg_strlist_push(&argv, "git");
	for (i = 0; args[i]; i++)
		mg_strlist_push(&argv, args[i]);
	mg_strlist_push_owned(&argv, NULL);
	argv.nr--;
	if (pipe(pipefd) < 0) {
		err = mg_error_set("cannot create a pipe: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	status = posix_spawnp(&pid, "git", &fa, NULL, argv.items, env.items);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	pipefd[1] = -1;
	if (status) {
		err = mg_error_set("cannot run git (%s): install git",
				   strerror(status));
		goto out;
	}
	for (;;) {
		ssize_t n = read(pipefd[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		mg_strbuf_add(out, buf, (size_t)n);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		err = mg_error_set("'git %s' failed", args[0]);
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	mg_strlist_release(&env);
	mg_strlist_release(&argv);
	return err;
}

/* Opening. */

static int is_absolute(const char *p)
{
	return p[0] == '/';
}

int mg_repo_open(struct mg_repo **out, const struct mg_repo_options *opts)
{
	struct mg_repo *r = mg_xcalloc(1, sizeof(*r));
	const char *path = opts->dir ? opts->dir : ".";
	unsigned flags = 0;
	const char *wd;
	int err;

	*out = NULL;
	if (!libgit2_users++) {
		git_libgit2_init();
		/* worktreeConfig is harmless to read past (GIT-HOOKS.md). */
		{
			const char *ext[] = { "worktreeconfig" };

			git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, ext, 1);
		}
	}
	if (opts->in_hook)
		git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	if (opts->git_dir && *opts->git_dir && !opts->dir) {
		path = opts->git_dir;
		flags |= GIT_REPOSITORY_OPEN_NO_SEARCH;
	}
	err = git_repository_open_ext(&r->repo, path, flags, NULL);
	if (err == GIT_EOWNER) {
		err = mg_error_set("'%s' is owned by another user: git refuses "
			"it too (git config --global --add safe.directory "
			"PATH)", path);
		goto fail;
	}
	if (err < 0) {
		const git_error *e = git_error_last();

		if (e && e->message && strstr(e->message, "objectformat"))
			err = mg_error_set("'%s' uses SHA-256 object ids, "
				"which libgit2 1.5 cannot read", path);
		else
			err = mg_error_set("not a git repository: '%s' (%s)",
				path, e && e->message ? e->message : "");
		goto fail;
	}
	if (opts->work_tree && *opts->work_tree && !opts->dir &&
	    git_repository_set_workdir(r->repo, opts->work_tree, 0) < 0) {
		err = git_fail("cannot use GIT_WORK_TREE");
		goto fail;
	}
	r->gitdir = mg_xstrdup(git_repository_path(r->repo));
	wd = git_repository_workdir(r->repo);
	r->workdir = wd ? mg_xstrdup(wd) : NULL;
	if (opts->index_file && *opts->index_file) {
		struct stat st;

		if (is_absolute(opts->index_file) || !r->workdir)
			r->index_path = mg_xstrdup(opts->index_file);
		else /* relative to the work tree's top, not the cwd */
			r->index_path = mg_path_join(r->workdir,
						     opts->index_file);
		if (stat(r->index_path, &st) < 0) {
			err = mg_error_set("GIT_INDEX_FILE '%s' does not exist",
					   r->index_path);
			goto fail;
		}
	} else {
		r->index_path = mg_path_join(r->gitdir, "index");
	}
	*out = r;
	return 0;
fail:
	mg_repo_free(r);
	return err;
}

void mg_repo_free(struct mg_repo *r)
{
	if (!r)
		return;
	git_index_free(r->index);
	git_repository_free(r->repo);
	free(r->gitdir);
	free(r->workdir);
	free(r->index_path);
	free(r->index_error);
	free(r);
	if (!--libgit2_users)
		git_libgit2_shutdown();
}

const char *mg_repo_workdir(const struct mg_repo *r)
{
	return r->workdir;
}

int mg_git_is_shallow(struct mg_repo *r)
{
	return git_repository_is_shallow(r->repo) == 1;
}

const char *mg_git_common_dir(struct mg_repo *r)
{
	return git_repository_commondir(r->repo);
}

int mg_git_config_string(char **out, struct mg_repo *r, const char *key)
{
	git_config *cfg = NULL;
	git_buf buf = GIT_BUF_INIT;
	int err;

	*out = NULL;
	err = git_repository_config_snapshot(&cfg, r->repo);
	if (err < 0) {
		err = git_fail("cannot read the git config");
		goto out;
	}
	err = git_config_get_string_buf(&buf, cfg, key);
	if (err == GIT_ENOTFOUND) {
		err = mg_error_set_code(MG_ENOTFOUND, "'%s' is not set", key);
		goto out;
	}
	if (err < 0) {
		err = git_fail(key);
		goto out;
	}
	*out = mg_xstrdup(buf.ptr);
out:
	git_buf_dispose(&buf);
	git_config_free(cfg);
	return err;
}

/* Revisions. */

int mg_git_resolve(char out[MG_OID_HEXSZ], struct mg_repo *r,
		   const char *rev)
{
	git_object *obj = NULL, *peeled = NULL;
	int err;

	out[0] = '\0';
	err = git_revparse_single(&obj, r->repo, rev);
	if (err == GIT_ENOTFOUND || err == GIT_EAMBIGUOUS ||
	    err == GIT_EINVALIDSPEC) {
		err = mg_error_set_code(MG_ENOTFOUND,
			"unknown revision '%s'", rev);
		goto out;
	}
	if (err < 0) {
		err = git_fail(rev);
		goto out;
	}
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		err = mg_error_set_code(MG_ENOTFOUND,
			"'%s' does not name a commit", rev);
		goto out;
	}
	oid_hex(out, git_object_id(peeled));
	err = 0;
out:
	git_object_free(peeled);
	git_object_free(obj);
	return err;
}

int mg_git_head(char out[MG_OID_HEXSZ], struct mg_repo *r)
{
	out[0] = '\0';
	if (git_repository_head_unborn(r->repo) == 1)
		return mg_error_set_code(MG_ENOTFOUND, "HEAD is unborn");
	return mg_git_resolve(out, r, "HEAD");
}

int mg_git_has_object(struct mg_repo *r, const char *id)
{
	git_odb *odb = NULL;
	git_oid oid;
	int found = 0;

	if (git_oid_fromstr(&oid, id) < 0)
		return 0;
	if (git_repository_odb(&odb, r->repo) == 0)
		found = git_odb_exists(odb, &oid);
	git_odb_free(odb);
	return found;
}

static int shallow_error(struct mg_repo *r, const char *what)
{
	if (mg_git_is_shallow(r))
		return mg_error_set("%s: this clone is shallow, so the history "
			"needed is missing: fetch the full history (git fetch "
			"--unshallow; GitHub Actions: actions/checkout with "
			"fetch-depth: 0)", what);
	return git_fail(what);
}

int mg_git_merge_base(char out[MG_OID_HEXSZ], struct mg_repo *r,
		      const char *a, const char *b)
{
	git_oid oa, ob, base;
	int err;

	out[0] = '\0';
	if (git_oid_fromstr(&oa, a) < 0 || git_oid_fromstr(&ob, b) < 0)
		return mg_error_set("bad object id");
	err = git_merge_base(&base, r->repo, &oa, &ob);
	if (err == GIT_ENOTFOUND) {
		if (mg_git_is_shallow(r))
			return shallow_error(r, "no merge base");
		return mg_error_set_code(MG_ENOTFOUND,
			"%.7s and %.7s have no common history", a, b);
	}
	if (err < 0)
		return shallow_error(r, "cannot find the merge base");
	oid_hex(out, &base);
	return 0;
}

int mg_git_upstream(char out[MG_OID_HEXSZ], struct mg_repo *r)
{
	git_reference *head = NULL, *up = NULL;
	int err = MG_ENOTFOUND;

	out[0] = '\0';
	if (git_repository_head(&head, r->repo) < 0 ||
	    !git_reference_is_branch(head) ||
	    git_branch_upstream(&up, head) < 0) {
		git_error_clear();
		goto out;
	}
	{
		git_object *obj = NULL;

		if (git_reference_peel(&obj, up, GIT_OBJECT_COMMIT) == 0) {
			oid_hex(out, git_object_id(obj));
			err = 0;
		}
		git_object_free(obj);
	}
out:
	git_reference_free(up);
	git_reference_free(head);
	return err;
}

int mg_git_parent(char out[MG_OID_HEXSZ], struct mg_repo *r, const char *id)
{
	git_commit *c = NULL;
	git_oid oid;
	int err;

	out[0] = '\0';
	if (git_oid_fromstr(&oid, id) < 0)
		return mg_error_set("bad object id '%s'", id);
	if (git_commit_lookup(&c, r->repo, &oid) < 0)
		return shallow_error(r, "cannot read a commit");
	if (git_commit_parentcount(c) == 0) {
		err = MG_ENOTFOUND;
	} else {
		oid_hex(out, git_commit_parent_id(c, 0));
		err = 0;
	}
	git_commit_free(c);
	return err;
}

int mg_git_commits(struct mg_commit_info **out, size_t *nr,
		   struct mg_repo *r, const char *head, const char *hide,
		   const char *hide_glob)
{
	struct mg_commit_info *items = NULL;
	git_revwalk *walk = NULL;
	size_t n = 0, alloc = 0;
	git_oid oid;
	int err;

	*out = NULL;
	*nr = 0;
	if (git_revwalk_new(&walk, r->repo) < 0)
		return git_fail("cannot walk history");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	if (git_oid_fromstr(&oid, head) < 0 ||
	    git_revwalk_push(walk, &oid) < 0) {
		err = git_fail("cannot walk history");
		goto out;
	}
	if (hide && (git_oid_fromstr(&oid, hide) < 0 ||
		     git_revwalk_hide(walk, &oid) < 0)) {
		err = git_fail("cannot walk history");
		goto out;
	}
	if (hide_glob && git_revwalk_hide_glob(walk, hide_glob) < 0) {
		err = git_fail("cannot walk history");
		goto out;
	}
	for (;;) {
		git_commit *c = NULL;
		const char *msg;

		err = git_revwalk_next(&oid, walk);
		if (err == GIT_ITEROVER)
			break;
		if (err < 0 || git_commit_lookup(&c, r->repo, &oid) < 0) {
			err = shallow_error(r, "cannot walk history");
			goto out;
		}
		n++;
		MG_ALLOC_GROW(items, n, alloc);
		oid_hex(items[n - 1].id, &oid);
		msg = git_commit_message_raw(c);
		items[n - 1].message = mg_xstrdup(msg ? msg : "");
		git_commit_free(c);
	}
	err = 0;
	*out = items;
	*nr = n;
	items = NULL;
out:
	if (items) {
		size_t i;

		for (i = 0; i < n; i++)
			free(items[i].message);
		free(items);
	}
	git_revwalk_free(walk);
	return err;
}

/* Views: a commit's tree. */

struct commit_view {
	struct mg_tree base;
	struct mg_repo *repo;
	git_tree *tree;
};

static int read_blob(struct mg_repo *r, const git_oid *id, const char *path,
		     char **data, size_t *len)
{
	git_odb *odb = NULL;
	git_blob *blob = NULL;
	git_object_t type;
	size_t size = 0;
	int err;

	if (git_repository_odb(&odb, r->repo) < 0)
		return git_fail("cannot open the object database");
	err = git_odb_read_header(&size, &type, odb, id);
	git_odb_free(odb);
	if (err < 0)
		return git_fail(path);
	if (size > MG_TREE_MAX_FILE)
		return mg_error_set_code(MG_ETOOBIG, "'%s' is too large "
					 "(%zu bytes, limit %u MiB)", path,
					 size, MG_TREE_MAX_FILE >> 20);
	if (git_blob_lookup(&blob, r->repo, id) < 0)
		return git_fail(path);
	size = (size_t)git_blob_rawsize(blob);
	*data = mg_xmalloc(size + 1);
	memcpy(*data, git_blob_rawcontent(blob), size);
	(*data)[size] = '\0';
	*len = size;
	git_blob_free(blob);
	return 0;
}

static enum mg_entry_type mode_type(unsigned mode)
{
	switch (mode) {
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		return MG_ENTRY_FILE;
	case GIT_FILEMODE_LINK:
		return MG_ENTRY_SYMLINK;
	case GIT_FILEMODE_COMMIT:
		return MG_ENTRY_SUBMODULE;
	default:
		return MG_ENTRY_OTHER;
	}
}

static int commit_read(struct mg_tree *t, const char *path, char **data,
		       size_t *len)
{
	struct commit_view *v = (struct commit_view *)t;
	git_tree_entry *e = NULL;
	int err;

	if (git_tree_entry_bypath(&e, v->tree, path) < 0) {
		git_error_clear();
		return mg_error_set_code(MG_ENOTFOUND, "'%s' does not exist",
					 path);
	}
	if (mode_type(git_tree_entry_filemode(e)) != MG_ENTRY_FILE) {
		err = git_tree_entry_type(e) == GIT_OBJECT_TREE
			? mg_error_set_code(MG_ENOTFOUND,
					    "'%s' is a folder", path)
			: mg_error_set("'%s' is not a regular file (a symbolic "
				"link or submodule)", path);
		goto out;
	}
	err = read_blob(v->repo, git_tree_entry_id(e), path, data, len);
out:
	git_tree_entry_free(e);
	return err;
}

struct walk_ctx {
	struct mg_tree_listing *out;
	const char *prefix;
};

static void listing_push(struct mg_tree_listing *out, char *path,
			 enum mg_entry_type type, const git_oid *id)
{
	struct mg_tree_entry *e;

	out->nr++;
	MG_ALLOC_GROW(out->items, out->nr, out->alloc);
	e = &out->items[out->nr - 1];
	e->path = path;
	e->type = type;
	if (id)
		oid_hex(e->id, id);
	else
		e->id[0] = '\0';
}

static int walk_cb(const char *root, const git_tree_entry *entry,
		   void *payload)
{
	struct walk_ctx *w = payload;

	if (git_tree_entry_type(entry) == GIT_OBJECT_TREE)
		return 0;
	listing_push(w->out, mg_xstrfmt("%s%s%s", w->prefix, root,
					git_tree_entry_name(entry)),
		     mode_type(git_tree_entry_filemode(entry)),
		     git_tree_entry_id(entry));
	return 0;
}

static int commit_list(struct mg_tree *t, const char *dir,
		       struct mg_tree_listing *out)
{
	struct commit_view *v = (struct commit_view *)t;
	git_tree_entry *e = NULL;
	git_tree *sub = NULL;
	struct walk_ctx w;
	char *prefix = NULL;
	int err = 0;

	if (!*dir) {
		w.out = out;
		w.prefix = "";
		if (git_tree_walk(v->tree, GIT_TREEWALK_PRE, walk_cb, &w) < 0)
			return git_fail("cannot list the tree");
		return 0;
	}
	if (git_tree_entry_bypath(&e, v->tree, dir) < 0) {
		git_error_clear();
		return 0; /* no such folder: nothing in it */
	}
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
		listing_push(out, mg_xstrdup(dir),
			     mode_type(git_tree_entry_filemode(e)),
			     git_tree_entry_id(e));
		goto out;
	}
	if (git_tree_lookup(&sub, v->repo->repo, git_tree_entry_id(e)) < 0) {
		err = git_fail(dir);
		goto out;
	}
	prefix = mg_xstrfmt("%s/", dir);
	w.out = out;
	w.prefix = prefix;
	if (git_tree_walk(sub, GIT_TREEWALK_PRE, walk_cb, &w) < 0)
		err = git_fail("cannot list the tree");
out:
	free(prefix);
	git_tree_free(sub);
	git_tree_entry_free(e);
	return err;
}

static void commit_free(struct mg_tree *t)
{
	struct commit_view *v = (struct commit_view *)t;

	git_tree_free(v->tree);
	free(v);
}

static const struct mg_tree_ops commit_ops = { commit_read, commit_list,
					       commit_free };

int mg_git_tree_commit(struct mg_tree **out, struct mg_repo *r,
		       const char *id)
{
	struct commit_view *v;
	git_commit *c = NULL;
	git_oid oid;

	*out = NULL;
	if (git_oid_fromstr(&oid, id) < 0)
		return mg_error_set("bad object id '%s'", id);
	if (git_commit_lookup(&c, r->repo, &oid) < 0)
		return shallow_error(r, "cannot read a commit");
	v = mg_xcalloc(1, sizeof(*v));
	if (git_commit_tree(&v->tree, c) < 0) {
		git_commit_free(c);
		free(v);
		return shallow_error(r, "cannot read a commit's tree");
	}
	git_commit_free(c);
	v->base.ops = &commit_ops;
	v->base.label = mg_xstrfmt("commit %.7s", id);
	v->repo = r;
	*out = &v->base;
	return 0;
}

int mg_repo_tree_at(struct mg_tree **out, struct mg_repo *r, const char *rev)
{
	char id[MG_OID_HEXSZ];
	int err = mg_git_resolve(id, r, rev);

	if (err < 0) {
		*out = NULL;
		return err;
	}
	return mg_git_tree_commit(out, r, id);
}

/* Views: the index. */

static int load_index(struct mg_repo *r)
{
	if (r->index || r->index_fallback)
		return 0;
	if (git_index_open(&r->index, r->index_path) < 0) {
		const git_error *e = git_error_last();

		/*
		 * Split, sparse and skipHash indexes: libgit2 1.5 fails on
		 * their extensions; git itself reads them (GIT-HOOKS.md).
		 */
		r->index_error = mg_xstrdup(e && e->message ? e->message
							    : "unreadable");
		r->index = NULL;
		r->index_fallback = 1;
		git_error_clear();
		return 0;
	}
	if (git_repository_set_index(r->repo, r->index) < 0)
		return git_fail("cannot use the index");
	return 0;
}

struct index_view {
	struct mg_tree base;
	struct mg_repo *repo;
	/* The fallback's entries from `git ls-files -s`: path, oid, type. */
	struct mg_tree_listing files;
	int files_loaded;
};

static int fallback_load(struct index_view *v)
{
	static const char *const args[] = { "ls-files", "-s", "-z",
					    "--full-name", NULL };
	struct mg_strbuf out = MG_STRBUF_INIT;
	size_t pos = 0;
	int err;

	if (v->files_loaded)
		return 0;
	err = run_git(v->repo, args, &out);
	if (err < 0)
		goto out;
	while (pos < out.len) {
		/* "<mode> <oid> <stage>\t<path>\0" */
		char *rec = out.buf + pos, *tab = strchr(rec, '\t');
		unsigned mode;
		git_oid oid;
		char hex[MG_OID_HEXSZ];

		pos += strlen(rec) + 1;
		if (!tab || sscanf(rec, "%o %64s", &mode, hex) != 2 ||
		    git_oid_fromstr(&oid, hex) < 0)
			continue;
		if (tab[-1] != '0') /* unmerged stages */
			continue;
		listing_push(&v->files, mg_xstrdup(tab + 1), mode_type(mode),
			     &oid);
	}
	v->files_loaded = 1;
out:
	mg_strbuf_release(&out);
	return err;
}

static int index_entry_live(const git_index_entry *e)
{
	return e && !(e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD);
}

static int index_read(struct mg_tree *t, const char *path, char **data,
		      size_t *len)
{
	struct index_view *v = (struct index_view *)t;
	const git_index_entry *e;
	git_oid oid;
	unsigned mode;

	if (v->repo->index_fallback) {
		const struct mg_tree_entry *fe;
		int err = fallback_load(v);

		if (err < 0)
			return err;
		fe = mg_tree_listing_find(&v->files, path);
		if (!fe)
			return mg_error_set_code(MG_ENOTFOUND,
						 "'%s' is not staged", path);
		if (fe->type != MG_ENTRY_FILE)
			return mg_error_set("'%s' is not a regular file", path);
		git_oid_fromstr(&oid, fe->id);
		return read_blob(v->repo, &oid, path, data, len);
	}
	e = git_index_get_bypath(v->repo->index, path, 0);
	if (!index_entry_live(e))
		return mg_error_set_code(MG_ENOTFOUND, "'%s' is not staged",
					 path);
	mode = e->mode;
	if (mode_type(mode) != MG_ENTRY_FILE)
		return mg_error_set("'%s' is not a regular file (a symbolic "
				    "link or submodule)", path);
	oid = e->id;
	return read_blob(v->repo, &oid, path, data, len);
}

static int index_list(struct mg_tree *t, const char *dir,
		      struct mg_tree_listing *out)
{
	struct index_view *v = (struct index_view *)t;
	char *prefix = *dir ? mg_xstrfmt("%s/", dir) : mg_xstrdup("");
	size_t plen = strlen(prefix), pos = 0, n, i;

	if (v->repo->index_fallback) {
		int err = fallback_load(v);

		if (err < 0) {
			free(prefix);
			return err;
		}
		for (i = 0; i < v->files.nr; i++) {
			const struct mg_tree_entry *fe = &v->files.items[i];
			git_oid oid;

			if (strncmp(fe->path, prefix, plen))
				continue;
			git_oid_fromstr(&oid, fe->id);
			listing_push(out, mg_xstrdup(fe->path), fe->type, &oid);
		}
		free(prefix);
		return 0;
	}
	n = git_index_entrycount(v->repo->index);
	if (plen && git_index_find_prefix(&pos, v->repo->index, prefix) < 0) {
		git_error_clear();
		free(prefix);
		return 0;
	}
	for (i = pos; i < n; i++) {
		const git_index_entry *e =
			git_index_get_byindex(v->repo->index, i);

		if (strncmp(e->path, prefix, plen))
			break;
		if (git_index_entry_stage(e) != 0 || !index_entry_live(e))
			continue;
		listing_push(out, mg_xstrdup(e->path), mode_type(e->mode),
			     &e->id);
	}
	free(prefix);
	return 0;
}

static void index_free(struct mg_tree *t)
{
	struct index_view *v = (struct index_view *)t;

	mg_tree_listing_release(&v->files);
	free(v);
}

static const struct mg_tree_ops index_ops = { index_read, index_list,
					      index_free };

int mg_git_tree_index(struct mg_tree **out, struct mg_repo *r)
{
	struct index_view *v;
	int err;

	*out = NULL;
	err = load_index(r);
	if (err < 0)
		return err;
	v = mg_xcalloc(1, sizeof(*v));
	v->base.ops = &index_ops;
	v->base.label = mg_xstrdup("the index");
	v->repo = r;
	*out = &v->base;
	return 0;
}

int mg_git_check_unmerged(struct mg_repo *r)
{
	struct mg_strbuf paths = MG_STRBUF_INIT;
	size_t i, n, shown = 0;
	int err;

	err = load_index(r);
	if (err < 0)
		return err;
	if (r->index_fallback) {
		static const char *const args[] = { "ls-files", "-u", "-z",
						    NULL };
		struct mg_strbuf out = MG_STRBUF_INIT;
		size_t pos = 0;

		err = run_git(r, args, &out);
		while (err >= 0 && pos < out.len) {
			char *rec = out.buf + pos, *tab = strchr(rec, '\t');

			pos += strlen(rec) + 1;
			if (tab && shown < 5 && !strstr(paths.buf, tab + 1)) {
				mg_strbuf_addf(&paths, "%s'%s'",
					       shown ? ", " : "", tab + 1);
				shown++;
			}
		}
		mg_strbuf_release(&out);
		if (err < 0)
			goto out;
	} else if (git_index_has_conflicts(r->index)) {
		n = git_index_entrycount(r->index);
		for (i = 0; i < n && shown < 5; i++) {
			const git_index_entry *e =
				git_index_get_byindex(r->index, i);

			if (git_index_entry_stage(e) == 0 ||
			    (i && !strcmp(git_index_get_byindex(r->index,
								i - 1)->path,
					  e->path)))
				continue;
			mg_strbuf_addf(&paths, "%s'%s'", shown ? ", " : "",
				       e->path);
			shown++;
		}
	}
	if (shown)
		err = mg_error_set("the index has unmerged paths (%s): resolve "
				   "the conflicts and 'git add' them first",
				   paths.buf);
out:
	mg_strbuf_release(&paths);
	return err;
}

/* Diffs. */

static void change_push(struct mg_changeset *cs, char status,
			const char *path, const char *old_path)
{
	struct mg_change *c;

	cs->nr++;
	MG_ALLOC_GROW(cs->changes, cs->nr, cs->alloc);
	c = &cs->changes[cs->nr - 1];
	c->status = (enum mg_change_status)status;
	c->path = mg_xstrdup(path);
	c->old_path = old_path ? mg_xstrdup(old_path) : NULL;
}

/* The empty tree's id in this repository's object format. */
static int empty_tree_id(char out[MG_OID_HEXSZ], struct mg_repo *r)
{
	git_treebuilder *tb = NULL;
	git_oid oid;
	int err = 0;

	if (git_treebuilder_new(&tb, r->repo, NULL) < 0 ||
	    git_treebuilder_write(&oid, tb) < 0)
		err = git_fail("cannot make the empty tree");
	else
		oid_hex(out, &oid);
	git_treebuilder_free(tb);
	return err;
}

static int fallback_diff(struct mg_changeset *cs, struct mg_repo *r,
			 const char *base, const struct mg_strlist *prefixes)
{
	struct mg_strlist args = MG_STRLIST_INIT;
	struct mg_strbuf out = MG_STRBUF_INIT;
	char empty[MG_OID_HEXSZ];
	size_t i, pos = 0;
	int err = 0;

	if (!base) {
		err = empty_tree_id(empty, r);
		if (err < 0)
			return err;
		base = empty;
	}
	mg_strlist_push(&args, "diff-index");
	mg_strlist_push(&args, "--cached");
	mg_strlist_push(&args, "-z");
	mg_strlist_push(&args, "--raw");
	mg_strlist_push(&args, "-M");
	mg_strlist_push(&args, "--no-ext-diff");
	mg_strlist_push(&args, base);
	mg_strlist_push(&args, "--");
	for (i = 0; prefixes && i < prefixes->nr; i++)
		mg_strlist_push(&args, prefixes->items[i]);
	mg_strlist_push_owned(&args, NULL);
	args.nr--;
	err = run_git(r, (const char *const *)args.items, &out);
	while (err >= 0 && pos < out.len) {
		/* ":100644 100644 <old> <new> M\0path\0[path2\0]" */
		char *rec = out.buf + pos, *status, *path, *path2 = NULL;

		pos += strlen(rec) + 1;
		status = strrchr(rec, ' ');
		if (rec[0] != ':' || !status || pos >= out.len + 1)
			break;
		status++;
		path = out.buf + pos;
		pos += strlen(path) + 1;
		if (*status == 'R' || *status == 'C') {
			path2 = out.buf + pos;
			pos += strlen(path2) + 1;
		}
		if (*status == 'R')
			change_push(cs, 'R', path2, path);
		else if (*status == 'C')
			change_push(cs, 'A', path2, NULL);
		else if (strchr("AMDT", *status))
			change_push(cs, *status, path, NULL);
	}
	mg_strlist_release(&args);
	mg_strbuf_release(&out);
	return err;
}

static int tree_of(git_tree **out, struct mg_repo *r, const char *id)
{
	git_commit *c = NULL;
	git_oid oid;
	int err = 0;

	*out = NULL;
	if (!id)
		return 0;
	if (git_oid_fromstr(&oid, id) < 0 ||
	    git_commit_lookup(&c, r->repo, &oid) < 0 ||
	    git_commit_tree(out, c) < 0)
		err = shallow_error(r, "cannot read a commit");
	git_commit_free(c);
	return err;
}

int mg_git_diff(struct mg_changeset *cs, struct mg_repo *r, const char *base,
		const char *head, const struct mg_strlist *prefixes)
{
	git_diff_options opts;
	git_diff_find_options find;
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_diff *diff = NULL;
	size_t i, n;
	int err;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
	if (!head) {
		err = load_index(r);
		if (err < 0)
			return err;
		if (r->index_fallback)
			return fallback_diff(cs, r, base, prefixes);
	}
	err = tree_of(&old_tree, r, base);
	if (err >= 0)
		err = tree_of(&new_tree, r, head);
	if (err < 0)
		goto out;
	opts.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
	if (prefixes && prefixes->nr) {
		opts.pathspec.strings = prefixes->items;
		opts.pathspec.count = prefixes->nr;
	}
	if (head)
		err = git_diff_tree_to_tree(&diff, r->repo, old_tree, new_tree,
					    &opts);
	else
		err = git_diff_tree_to_index(&diff, r->repo, old_tree,
					     r->index, &opts);
	if (err < 0) {
		err = shallow_error(r, "cannot compute the change");
		goto out;
	}
	find.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_find_similar(diff, &find) < 0) {
		err = git_fail("cannot find renames");
		goto out;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		switch (d->status) {
		case GIT_DELTA_ADDED:
			if (!head) {
				const git_index_entry *e = git_index_get_bypath(
					r->index, d->new_file.path, 0);

				if (!index_entry_live(e))
					break; /* git add -N */
			}
			change_push(cs, 'A', d->new_file.path, NULL);
			break;
		case GIT_DELTA_DELETED:
			change_push(cs, 'D', d->old_file.path, NULL);
			break;
		case GIT_DELTA_MODIFIED:
			change_push(cs, 'M', d->new_file.path, NULL);
			break;
		case GIT_DELTA_RENAMED:
			change_push(cs, 'R', d->new_file.path,
				    d->old_file.path);
			break;
		case GIT_DELTA_TYPECHANGE:
			change_push(cs, 'T', d->new_file.path, NULL);
			break;
		default:
			break;
		}
	}
	err = 0;
out:
	git_diff_free(diff);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	return err;
}

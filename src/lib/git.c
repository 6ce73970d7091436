#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <git2/sys/repository.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
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
	int index_checked; /* index_count_possible ran */
	struct fast_index *fast; /* the index read directly, or NULL */
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

/*
 * The index, read directly. libgit2 1.5 spends ~4 us an entry building its
 * index (450-850 ms on 200k files, GIT-HOOKS.md) when a hook needs a few
 * folders of it; this reads the file once (mmap), keeps every entry's path,
 * mode, id and flags in one sorted array, and lets lookups and prefix
 * listings use binary search. Versions 2, 3 and 4; optional extensions are
 * skipped. A split or sparse index (mandatory "link"/"sdir" extensions), or
 * anything unexpected, returns 1 so the caller uses libgit2 or spawned git.
 */

struct fast_entry {
	const char *path; /* into the map (v2, v3) or the arena (v4) */
	unsigned mode;
	unsigned stage;
	int intent_to_add;
	git_oid id;
};

struct fast_index {
	void *map;
	size_t map_len;
	char *arena; /* v4 paths, NUL-separated */
	struct fast_entry *items;
	size_t nr;
};

static void fast_index_free(struct fast_index *fi)
{
	if (!fi)
		return;
	if (fi->map)
		munmap(fi->map, fi->map_len);
	free(fi->arena);
	free(fi->items);
	free(fi);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* git's offset varint (read-cache.c, v4 path compression). */
static int read_varint(const unsigned char **pp, const unsigned char *end,
		       size_t *out)
{
	const unsigned char *p = *pp;
	size_t val;
	unsigned char c;

	if (p >= end)
		return -1;
	c = *p++;
	val = c & 127;
	while (c & 128) {
		if (p >= end || val > ((size_t)-1 >> 8))
			return -1;
		c = *p++;
		val = ((val + 1) << 7) | (c & 127);
	}
	*pp = p;
	*out = val;
	return 0;
}

/* Mandatory extensions (lowercase) other than the ones git tolerates. */
static int fast_index_extensions(const unsigned char *p,
				 const unsigned char *end)
{
	while (end - p >= 8) {
		uint32_t size = be32(p + 4);

		if (p[0] < 'A' || p[0] > 'Z')
			return 1; /* "link" (split), "sdir" (sparse), ... */
		if ((size_t)(end - p - 8) < size)
			return 1;
		p += 8 + size;
	}
	return p == end ? 0 : 1;
}

/* 0 read, 1 not for us (use libgit2 or git), negative on error. */
static int fast_index_read(struct fast_index **out, const char *path)
{
	struct fast_index *fi = mg_xcalloc(1, sizeof(*fi));
	const unsigned char *base, *p, *end;
	struct stat st;
	size_t arena_len = 0, arena_alloc = 0, prev_len = 0, i, prev_off = 0;
	uint32_t version, count;
	int fd, ret = 1;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < 12 + 20 ||
	    (unsigned long long)st.st_size > (size_t)-1 / 2) {
		if (fd >= 0)
			close(fd);
		goto out;
	}
	fi->map_len = (size_t)st.st_size;
	fi->map = mmap(NULL, fi->map_len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (fi->map == MAP_FAILED) {
		fi->map = NULL;
		goto out;
	}
	base = fi->map;
	/* The trailing checksum: SHA-1 here (libgit2 1.5 has no SHA-256). */
	end = base + fi->map_len - 20;
	version = be32(base + 4);
	count = be32(base + 8);
	if (memcmp(base, "DIRC", 4) || version < 2 || version > 4 ||
	    count > (fi->map_len - 12) / 62)
		goto out;
	fi->items = mg_xcalloc(count ? count : 1, sizeof(*fi->items));
	p = base + 12;
	for (i = 0; i < count; i++) {
		struct fast_entry *e = &fi->items[i];
		const unsigned char *name, *nul;
		unsigned flags, ext = 0;
		size_t hdr = 62, len;

		if (end - p < 62)
			goto out;
		flags = (unsigned)p[60] << 8 | p[61];
		if (flags & 0x4000) {
			if (version < 3 || end - p < 64)
				goto out;
			ext = (unsigned)p[62] << 8 | p[63];
			hdr = 64;
		}
		e->mode = be32(p + 24);
		if (e->mode != 0100644 && e->mode != 0100755 &&
		    e->mode != 0120000 && e->mode != 0160000 &&
		    e->mode != 0040000)
			goto out; /* not an index git wrote: libgit2 decides */
		memcpy(e->id.id, p + 40, 20);
		e->stage = (flags >> 12) & 3;
		e->intent_to_add = (ext & 0x2000) != 0;
		if (ext & 0x4000 && (e->mode & 0170000) == 0040000)
			goto out; /* a sparse directory entry */
		name = p + hdr;
		if (version == 4) {
			size_t strip, keep;

			if (read_varint(&name, end, &strip) < 0 ||
			    strip > prev_len)
				goto out;
			nul = memchr(name, '\0', (size_t)(end - name));
			if (!nul)
				goto out;
			keep = prev_len - strip;
			len = keep + (size_t)(nul - name);
			if (arena_len + len + 1 > arena_alloc) {
				arena_alloc = (arena_len + len + 1) * 2 + 4096;
				fi->arena = mg_xrealloc(fi->arena,
							arena_alloc);
			}
			memcpy(fi->arena + arena_len,
			       fi->arena + prev_off, keep);
			memcpy(fi->arena + arena_len + keep, name,
			       (size_t)(nul - name) + 1);
			/* Offsets now; pointers once the arena stops moving. */
			e->path = (const char *)(uintptr_t)arena_len;
			prev_off = arena_len;
			prev_len = len;
			arena_len += len + 1;
			p = nul + 1;
		} else {
			nul = memchr(name, '\0', (size_t)(end - name));
			if (!nul)
				goto out;
			len = (size_t)(nul - name);
			/* The flags hold the name's length, up to 0xFFF. */
			if ((flags & 0x0FFF) != (len < 0x0FFF ? len : 0x0FFF))
				goto out;
			e->path = (const char *)name;
			p += (hdr + len + 8) & ~(size_t)7;
			if (p > end)
				goto out;
		}
	}
	fi->nr = count;
	if (version == 4)
		for (i = 0; i < fi->nr; i++)
			fi->items[i].path = fi->arena +
					    (uintptr_t)fi->items[i].path;
	/*
	 * Lookups bisect: entries must be sorted by path then stage, and
	 * every path a clean relative one. Anything else is a damaged file.
	 */
	for (i = 0; i < fi->nr; i++) {
		int c = i ? strcmp(fi->items[i - 1].path, fi->items[i].path)
			  : -1;

		if (c > 0 || (c == 0 && fi->items[i - 1].stage >=
						fi->items[i].stage) ||
		    !mg_path_is_safe(fi->items[i].path))
			goto out;
	}
	if (fast_index_extensions(p, end))
		goto out;
	*out = fi;
	fi = NULL;
	ret = 0;
out:
	fast_index_free(fi);
	return ret;
}

/* First entry whose path is >= key (the index is sorted by path, stage). */
static size_t fast_index_lower(const struct fast_index *fi, const char *key)
{
	size_t lo = 0, hi = fi->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(fi->items[mid].path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The stage-0 entry at path that is really staged (not `git add -N`). */
static const struct fast_entry *fast_index_get(const struct fast_index *fi,
					       const char *path)
{
	size_t i = fast_index_lower(fi, path);

	for (; i < fi->nr && !strcmp(fi->items[i].path, path); i++)
		if (fi->items[i].stage == 0)
			return fi->items[i].intent_to_add ? NULL
							  : &fi->items[i];
	return NULL;
}

/* 1 when path is dir itself or below it ("" holds everything). */
static int path_under(const char *path, const char *dir, size_t dlen)
{
	return !dlen || (!strncmp(path, dir, dlen) &&
			 (path[dlen] == '\0' || path[dlen] == '/'));
}

/* Opening. */

#ifdef MG_LIBGIT2_MBEDTLS
/*
 * libgit2 1.5 built with mbedTLS (Debian's) parses the system's whole CA
 * bundle in git_libgit2_init (streams/mbedtls.c, "load default
 * certificates"): about 50 M instructions, a third of a pre-commit hook
 * on a 10,000-file repository, every run. migguard opens no TLS
 * connection through libgit2 (it never fetches or pushes; the database is
 * libpq's), so the bundle is not read: these definitions, found before
 * libmbedx509's (the executable's symbols come first; the self-contained
 * link keeps the first definition), say "not loaded", which libgit2
 * takes as no default certificates and goes on. tests/integration/
 * t-hooks-startup.sh checks that no certificate file is opened.
 */
struct mbedtls_x509_crt;
int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain,
				const char *path);
int mbedtls_x509_crt_parse_path(struct mbedtls_x509_crt *chain,
				const char *path);

int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain,
				const char *path)
{
	(void)chain;
	(void)path;
	return -0x2900; /* MBEDTLS_ERR_X509_FILE_IO_ERROR */
}

int mbedtls_x509_crt_parse_path(struct mbedtls_x509_crt *chain,
				const char *path)
{
	(void)chain;
	(void)path;
	return -0x2900;
}
#endif

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
		/*
		 * Like git, trust the object store: hashing every blob read
		 * again was 14% of a hook with a 370 KB snapshot staged.
		 */
		git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
		/*
		 * libgit2 caches no tree over 4 KiB: a migrations folder of
		 * drizzle 1.0 (a subfolder per migration, 300 of them: 15
		 * KiB) was inflated and parsed again for every file read.
		 */
		git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT,
				 (int)GIT_OBJECT_TREE, (size_t)1 << 20);
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
	fast_index_free(r->fast);
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

/* merge-base by spawned git (a shallow clone). */
static int shallow_merge_base(char out[MG_OID_HEXSZ], struct mg_repo *r,
			      const char *a, const char *b)
{
	const char *args[] = { "merge-base", a, b, NULL };
	struct mg_strbuf sb = MG_STRBUF_INIT;
	git_oid oid;
	int err;

	mg_strbuf_init(&sb);
	err = run_git(r, args, &sb);
	while (sb.len && (sb.buf[sb.len - 1] == '\n' ||
			  sb.buf[sb.len - 1] == '\r'))
		sb.buf[--sb.len] = '\0';
	if (err < 0 || git_oid_fromstr(&oid, sb.buf) < 0) {
		git_error_clear();
		err = shallow_error(r, "no merge base");
	} else {
		oid_hex(out, &oid);
	}
	mg_strbuf_release(&sb);
	return err;
}

int mg_git_merge_base(char out[MG_OID_HEXSZ], struct mg_repo *r,
		      const char *a, const char *b)
{
	git_oid oa, ob, base;
	int err;

	out[0] = '\0';
	if (git_oid_fromstr(&oa, a) < 0 || git_oid_fromstr(&ob, b) < 0)
		return mg_error_set("bad object id");
	/*
	 * libgit2 1.5 does not read the shallow graft points: git_merge_base
	 * walks into the missing parents, fails, and leaks its commit list
	 * on the way out. git itself knows where the history stops.
	 */
	if (mg_git_is_shallow(r))
		return shallow_merge_base(out, r, a, b);
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

/* 1 when commit c's tree has path, 0 when not, < 0 on failure. */
static int commit_has_path(git_commit *c, const char *path)
{
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	int has;

	if (git_commit_tree(&t, c) < 0)
		return git_fail("cannot read a commit's tree");
	has = git_tree_entry_bypath(&e, t, path) == 0;
	git_tree_entry_free(e);
	git_tree_free(t);
	return has;
}

/* The oldest commit reachable from start whose first parent lacks path. */
static int oldest_adding(git_oid *out, struct mg_repo *r,
			 const git_oid *start, const char *path, size_t max)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL, *parent = NULL;
	git_oid oid;
	size_t n = 0;
	int err = MG_ENOTFOUND, has;

	if (git_revwalk_new(&walk, r->repo) < 0 ||
	    git_revwalk_push(walk, start) < 0)
		return git_fail("cannot walk history");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	while (n++ < max && !git_revwalk_next(&oid, walk)) {
		if (git_commit_lookup(&c, r->repo, &oid) < 0) {
			err = shallow_error(r, "cannot read a commit");
			goto out;
		}
		has = commit_has_path(c, path);
		if (has > 0 && git_commit_parentcount(c) > 0) {
			if (git_commit_parent(&parent, c, 0) < 0) {
				err = shallow_error(r, "cannot read a commit");
				goto out;
			}
			has = commit_has_path(parent, path) ? 0 : 1;
			git_commit_free(parent);
			parent = NULL;
		}
		if (has < 0) {
			err = has;
			goto out;
		}
		if (has > 0) {
			*out = oid; /* older ones come later in the walk */
			err = 0;
		}
		git_commit_free(c);
		c = NULL;
	}
	if (n > max)
		err = MG_ENOTFOUND;
out:
	git_commit_free(c);
	git_revwalk_free(walk);
	return err;
}

/* 1 when commit c (one parent) changes a path watched() accepts. */
static int commit_touches(struct mg_repo *r, git_commit *c,
			  int (*watched)(const char *path, void *data),
			  void *data)
{
	git_commit *parent = NULL;
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	size_t i, n;
	int hit = 0;

	if (git_commit_parent(&parent, c, 0) < 0 ||
	    git_commit_tree(&a, parent) < 0 || git_commit_tree(&b, c) < 0 ||
	    git_diff_tree_to_tree(&diff, r->repo, a, b, NULL) < 0) {
		hit = git_fail("cannot diff a commit");
		goto out;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && !hit; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		hit = (d->new_file.path && watched(d->new_file.path, data)) ||
		      (d->old_file.path && watched(d->old_file.path, data));
	}
out:
	git_diff_free(diff);
	git_tree_free(b);
	git_tree_free(a);
	git_commit_free(parent);
	return hit;
}

int mg_git_blob_when_added(char out[MG_OID_HEXSZ], struct mg_repo *r,
			   const char *rev, const char *path, size_t max)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_oid head, added;
	int err;

	out[0] = '\0';
	if (git_oid_fromstr(&head, rev) < 0)
		return mg_error_set("bad object id '%s'", rev);
	err = oldest_adding(&added, r, &head, path, max);
	if (err < 0)
		return err;
	if (git_commit_lookup(&c, r->repo, &added) < 0 ||
	    git_commit_tree(&t, c) < 0 ||
	    git_tree_entry_bypath(&e, t, path) < 0) {
		err = git_fail("cannot read a commit's tree");
		goto out;
	}
	oid_hex(out, git_tree_entry_id(e));
	err = 0;
out:
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return err;
}

int mg_git_changed_since_added(struct mg_repo *r, const char *rev,
			       const char *path,
			       int (*watched)(const char *path, void *data),
			       void *data, size_t max)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid head, added, oid;
	size_t n = 0;
	int err;

	if (git_oid_fromstr(&head, rev) < 0)
		return mg_error_set("bad object id '%s'", rev);
	err = oldest_adding(&added, r, &head, path, max);
	if (err == MG_ENOTFOUND)
		return 0;
	if (err < 0)
		return err;
	if (git_revwalk_new(&walk, r->repo) < 0 ||
	    git_revwalk_push(walk, &head) < 0 ||
	    git_revwalk_hide(walk, &added) < 0) {
		err = git_fail("cannot walk history");
		goto out;
	}
	err = 0;
	while (!err && n++ < max && !git_revwalk_next(&oid, walk)) {
		if (git_commit_lookup(&c, r->repo, &oid) < 0) {
			err = shallow_error(r, "cannot read a commit");
			goto out;
		}
		if (git_commit_parentcount(c) == 1)
			err = commit_touches(r, c, watched, data);
		git_commit_free(c);
		c = NULL;
	}
out:
	git_commit_free(c);
	git_revwalk_free(walk);
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
	/*
	 * The folders of the last files read: a migrations folder of
	 * thousands of files is looked up once, not once a file, while
	 * the checks go between it and its meta/ (replaced in turn).
	 */
	struct commit_dir {
		char *path;
		git_tree *tree; /* NULL: no such folder */
	} dirs[4];
	size_t dirs_next;
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

static int read_entry(struct commit_view *v, const git_tree_entry *e,
		      const char *path, char **data, size_t *len)
{
	if (mode_type(git_tree_entry_filemode(e)) != MG_ENTRY_FILE)
		return git_tree_entry_type(e) == GIT_OBJECT_TREE
			? mg_error_set_code(MG_ENOTFOUND,
					    "'%s' is a folder", path)
			: mg_error_set("'%s' is not a regular file (a symbolic "
				"link or submodule)", path);
	return read_blob(v->repo, git_tree_entry_id(e), path, data, len);
}

/* The entry of path in its folder, through the cached folders; or NULL. */
static const git_tree_entry *cached_entry(struct commit_view *v,
					  const char *path)
{
	const char *slash = strrchr(path, '/');
	git_tree_entry *de = NULL;
	struct commit_dir *d = NULL;
	size_t n, i;

	if (!slash)
		return NULL;
	n = (size_t)(slash - path);
	for (i = 0; i < 4 && !d; i++)
		if (v->dirs[i].path && strlen(v->dirs[i].path) == n &&
		    !memcmp(v->dirs[i].path, path, n))
			d = &v->dirs[i];
	if (!d) {
		d = &v->dirs[v->dirs_next];
		v->dirs_next = (v->dirs_next + 1) % 4;
		free(d->path);
		d->path = mg_xstrndup(path, n);
		git_tree_free(d->tree);
		d->tree = NULL;
		if (git_tree_entry_bypath(&de, v->tree, d->path) < 0 ||
		    git_tree_entry_type(de) != GIT_OBJECT_TREE ||
		    git_tree_lookup(&d->tree, v->repo->repo,
				    git_tree_entry_id(de)) < 0) {
			git_error_clear();
			d->tree = NULL;
		}
		git_tree_entry_free(de);
	}
	return d->tree ? git_tree_entry_byname(d->tree, slash + 1) : NULL;
}

static int commit_read(struct mg_tree *t, const char *path, char **data,
		       size_t *len)
{
	struct commit_view *v = (struct commit_view *)t;
	const git_tree_entry *hit = cached_entry(v, path);
	git_tree_entry *e = NULL;
	int err;

	if (hit)
		return read_entry(v, hit, path, data, len);
	/* Not in a folder read before: the whole path, for its error. */
	if (git_tree_entry_bypath(&e, v->tree, path) < 0) {
		git_error_clear();
		return mg_error_set_code(MG_ENOTFOUND, "'%s' does not exist",
					 path);
	}
	err = read_entry(v, e, path, data, len);
	git_tree_entry_free(e);
	return err;
}

/* A link's target: its blob's text (no NUL, a sane length). */
static int link_target(struct mg_repo *r, const git_oid *id,
		       const char *path, char **target)
{
	size_t len = 0;
	int err = read_blob(r, id, path, target, &len);

	if (err < 0)
		return err;
	if (!len || len > 4095 || memchr(*target, '\0', len)) {
		free(*target);
		*target = NULL;
		return mg_error_set_code(MG_EUSAGE, "'%s' is a symbolic link "
					 "with an unusable target", path);
	}
	return 0;
}

static int commit_readlink(struct mg_tree *t, const char *path,
			   char **target)
{
	struct commit_view *v = (struct commit_view *)t;
	git_tree_entry *e = NULL;
	int err = MG_ENOTFOUND;

	*target = NULL;
	if (git_tree_entry_bypath(&e, v->tree, path) < 0) {
		git_error_clear();
		return MG_ENOTFOUND;
	}
	if (git_tree_entry_filemode(e) == GIT_FILEMODE_LINK)
		err = link_target(v->repo, git_tree_entry_id(e), path, target);
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

struct match_walk {
	struct mg_tree_listing *out;
	int (*match)(const char *path, void *payload);
	void *payload;
	struct mg_strbuf path;
};

static int match_walk_cb(const char *root, const git_tree_entry *entry,
			 void *payload)
{
	struct match_walk *w = payload;

	if (git_tree_entry_type(entry) == GIT_OBJECT_TREE)
		return 0;
	mg_strbuf_reset(&w->path);
	mg_strbuf_adds(&w->path, root);
	mg_strbuf_adds(&w->path, git_tree_entry_name(entry));
	if (w->match(w->path.buf, w->payload))
		listing_push(w->out, mg_xstrdup(w->path.buf),
			     mode_type(git_tree_entry_filemode(entry)),
			     git_tree_entry_id(entry));
	return 0;
}

static int commit_list_matching(struct mg_tree *t,
				int (*match)(const char *path, void *payload),
				void *payload, struct mg_tree_listing *out)
{
	struct commit_view *v = (struct commit_view *)t;
	struct match_walk w;
	int err = 0;

	w.out = out;
	w.match = match;
	w.payload = payload;
	mg_strbuf_init(&w.path);
	if (git_tree_walk(v->tree, GIT_TREEWALK_PRE, match_walk_cb, &w) < 0)
		err = git_fail("cannot list the tree");
	mg_strbuf_release(&w.path);
	return err;
}

static void commit_free(struct mg_tree *t)
{
	struct commit_view *v = (struct commit_view *)t;
	size_t i;

	for (i = 0; i < 4; i++) {
		git_tree_free(v->dirs[i].tree);
		free(v->dirs[i].path);
	}
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
	git_oid_tostr(v->base.id, sizeof(v->base.id), git_tree_id(v->tree));
	v->base.ops = &commit_ops;
	v->base.list_matching = commit_list_matching;
	v->base.readlink = commit_readlink;
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

/* The index is damaged (or neither libgit2 nor git reads it): say what to do. */
static int index_unreadable(struct mg_repo *r)
{
	return mg_error_set("cannot read the index '%s' (%s): it is "
		"damaged; 'git status' shows git's view, and 'rm %s && git "
		"reset' rebuilds it from HEAD (staged changes are lost)",
		r->index_path,
		r->index_error ? r->index_error : "unreadable", r->index_path);
}

/* index.skipHash (git 2.40+) writes an all-zero trailing checksum. */
static int trailer_is_zero(const char *path)
{
	unsigned char tail[20];
	int fd = open(path, O_RDONLY | O_CLOEXEC), zero = 0;
	size_t i;

	if (fd < 0)
		return 0;
	if (lseek(fd, -20, SEEK_END) >= 0 &&
	    read(fd, tail, sizeof(tail)) == (ssize_t)sizeof(tail)) {
		zero = 1;
		for (i = 0; i < sizeof(tail); i++)
			zero &= tail[i] == 0;
	}
	close(fd);
	return zero;
}

/*
 * Before anyone reads the index: its header's entry count must fit in the
 * file (an entry takes 62 bytes at least). libgit2 sizes its tables from
 * the count, so a damaged count (0x7fffffff) costs gigabytes before it
 * fails. A missing or short file is left to the readers.
 */
static int index_count_possible(struct mg_repo *r)
{
	unsigned char hdr[12];
	struct stat st;
	uint32_t version, count;
	int fd;

	if (r->index_checked)
		return 0;
	r->index_checked = 1;
	fd = open(r->index_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || read(fd, hdr, sizeof(hdr)) !=
				       (ssize_t)sizeof(hdr)) {
		close(fd);
		return 0;
	}
	close(fd);
	version = be32(hdr + 4);
	count = be32(hdr + 8);
	if (memcmp(hdr, "DIRC", 4) || version < 2 || version > 4 ||
	    st.st_size < 12 + 20 ||
	    count <= (unsigned long long)(st.st_size - 12 - 20) / 62)
		return 0;
	free(r->index_error);
	r->index_error = mg_xstrfmt("its header claims %lu entries, more "
				    "than its %lld bytes can hold",
				    (unsigned long)count,
				    (long long)st.st_size);
	return index_unreadable(r);
}

/* libgit2's index, for what the direct reader leaves to it. */
static int load_libgit2_index(struct mg_repo *r)
{
	int err;

	if (r->index || r->index_fallback)
		return 0;
	err = index_count_possible(r);
	if (err < 0)
		return err;
	if (git_index_open(&r->index, r->index_path) < 0) {
		const git_error *e = git_error_last();

		r->index_error = mg_xstrdup(e && e->message ? e->message
							    : "unreadable");
		r->index = NULL;
		git_error_clear();
		/*
		 * Split, sparse and skipHash indexes: libgit2 1.5 fails on
		 * their extensions or zero checksum; git itself reads them
		 * (GIT-HOOKS.md). Anything else is damage: say so.
		 */
		if (!strstr(r->index_error, "extension") &&
		    !trailer_is_zero(r->index_path))
			return index_unreadable(r);
		r->index_fallback = 1;
		return 0;
	}
	if (git_repository_set_index(r->repo, r->index) < 0)
		return git_fail("cannot use the index");
	return 0;
}

/* The index: read directly when we can, else libgit2, else git. */
static int load_index(struct mg_repo *r)
{
	int err;

	if (r->fast || r->index || r->index_fallback)
		return 0;
	err = index_count_possible(r);
	if (err < 0)
		return err;
	err = fast_index_read(&r->fast, r->index_path);
	if (err <= 0)
		return err;
	return load_libgit2_index(r);
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
	if (err < 0) {
		err = index_unreadable(v->repo);
		goto out;
	}
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
	if (v->repo->fast) {
		const struct fast_entry *fe =
			fast_index_get(v->repo->fast, path);

		if (!fe)
			return mg_error_set_code(MG_ENOTFOUND,
						 "'%s' is not staged", path);
		if (mode_type(fe->mode) != MG_ENTRY_FILE)
			return mg_error_set("'%s' is not a regular file (a "
				"symbolic link or submodule)", path);
		return read_blob(v->repo, &fe->id, path, data, len);
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
	if (v->repo->fast) {
		const struct fast_index *fi = v->repo->fast;

		for (i = fast_index_lower(fi, prefix); i < fi->nr; i++) {
			const struct fast_entry *fe = &fi->items[i];

			if (strncmp(fe->path, prefix, plen))
				break;
			if (fe->stage || fe->intent_to_add)
				continue;
			listing_push(out, mg_xstrdup(fe->path),
				     mode_type(fe->mode), &fe->id);
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

static int index_list_matching(struct mg_tree *t,
			       int (*match)(const char *path, void *payload),
			       void *payload, struct mg_tree_listing *out)
{
	struct index_view *v = (struct index_view *)t;
	const struct fast_index *fi = v->repo->fast;
	struct mg_tree_listing all = { 0 };
	size_t i;
	int err;

	if (fi) {
		for (i = 0; i < fi->nr; i++) {
			const struct fast_entry *fe = &fi->items[i];

			if (fe->stage || fe->intent_to_add ||
			    !match(fe->path, payload))
				continue;
			listing_push(out, mg_xstrdup(fe->path),
				     mode_type(fe->mode), &fe->id);
		}
		return 0;
	}
	err = index_list(t, "", &all);
	for (i = 0; i < all.nr; i++) {
		if (err >= 0 && match(all.items[i].path, payload)) {
			out->nr++;
			MG_ALLOC_GROW(out->items, out->nr, out->alloc);
			out->items[out->nr - 1] = all.items[i];
		} else {
			free(all.items[i].path);
		}
	}
	free(all.items);
	return err;
}

static void index_free(struct mg_tree *t)
{
	struct index_view *v = (struct index_view *)t;

	mg_tree_listing_release(&v->files);
	free(v);
}

static const struct mg_tree_ops index_ops = { index_read, index_list,
					      index_free };

static int index_readlink(struct mg_tree *t, const char *path,
			  char **target)
{
	struct index_view *v = (struct index_view *)t;
	const git_index_entry *e;
	git_oid oid;

	*target = NULL;
	if (v->repo->index_fallback) {
		const struct mg_tree_entry *fe;
		int err = fallback_load(v);

		if (err < 0)
			return err;
		fe = mg_tree_listing_find(&v->files, path);
		if (!fe || fe->type != MG_ENTRY_SYMLINK)
			return MG_ENOTFOUND;
		git_oid_fromstr(&oid, fe->id);
		return link_target(v->repo, &oid, path, target);
	}
	if (v->repo->fast) {
		const struct fast_entry *fe =
			fast_index_get(v->repo->fast, path);

		if (!fe || mode_type(fe->mode) != MG_ENTRY_SYMLINK)
			return MG_ENOTFOUND;
		return link_target(v->repo, &fe->id, path, target);
	}
	e = git_index_get_bypath(v->repo->index, path, 0);
	if (!index_entry_live(e) || mode_type(e->mode) != MG_ENTRY_SYMLINK)
		return MG_ENOTFOUND;
	oid = e->id;
	return link_target(v->repo, &oid, path, target);
}

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
	v->base.list_matching = index_list_matching;
	v->base.readlink = index_readlink;
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
		if (err < 0)
			err = index_unreadable(r);
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
	} else if (r->fast) {
		const struct fast_index *fi = r->fast;

		for (i = 0; i < fi->nr && shown < 5; i++) {
			const struct fast_entry *e = &fi->items[i];

			if (e->stage == 0 ||
			    (i && !strcmp(fi->items[i - 1].path, e->path)))
				continue;
			mg_strbuf_addf(&paths, "%s'%s'", shown ? ", " : "",
				       e->path);
			shown++;
		}
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

/* One delta as a change (additions of `git add -N` are filtered before). */
static void push_delta(struct mg_changeset *cs, const git_diff_delta *d)
{
	switch (d->status) {
	case GIT_DELTA_ADDED:
		change_push(cs, 'A', d->new_file.path, NULL);
		break;
	case GIT_DELTA_DELETED:
		change_push(cs, 'D', d->old_file.path, NULL);
		break;
	case GIT_DELTA_MODIFIED:
		change_push(cs, 'M', d->new_file.path, NULL);
		break;
	case GIT_DELTA_RENAMED:
		change_push(cs, 'R', d->new_file.path, d->old_file.path);
		break;
	case GIT_DELTA_TYPECHANGE:
		change_push(cs, 'T', d->new_file.path, NULL);
		break;
	default:
		break;
	}
}

/* Sorted folders of prefixes, none inside another ("a" covers "a/b"). */
static void diff_roots(const struct mg_strlist *prefixes,
		       struct mg_strlist *out)
{
	size_t i, k;

	for (i = 0; i < prefixes->nr; i++) {
		const char *p = prefixes->items[i];
		int covered = 0;

		for (k = 0; k < prefixes->nr && !covered; k++) {
			const char *q = prefixes->items[k];

			if (k == i)
				continue;
			if (!strcmp(p, q))
				covered = k < i;
			else
				covered = path_under(p, q, strlen(q));
		}
		if (!covered)
			mg_strlist_push(out, p);
	}
}

static int fast_index_add_range(git_index *small,
				const struct fast_index *fi,
				const char *root)
{
	char *dir = mg_xstrfmt("%s/", root);
	size_t dlen = strlen(dir), i;
	int err = 0;

	i = fast_index_lower(fi, root);
	for (; i < fi->nr && err >= 0; i++) {
		const struct fast_entry *fe = &fi->items[i];
		git_index_entry e;

		if (strcmp(fe->path, root) && strncmp(fe->path, dir, dlen)) {
			if (strcmp(fe->path, dir) > 0)
				break;
			continue; /* "root-x", "root.x" sort before "root/" */
		}
		if (fe->stage || fe->intent_to_add)
			continue; /* git add -N: not staged */
		memset(&e, 0, sizeof(e));
		e.mode = fe->mode;
		e.id = fe->id;
		e.path = fe->path;
		err = git_index_add(small, &e);
	}
	free(dir);
	return err;
}

/*
 * The staged change under prefixes, without libgit2 reading the whole
 * index: the entries under the prefixes go into a small in-memory index,
 * diffed one folder at a time (a single pathspec lets libgit2 walk only
 * that subtree of HEAD), then merged for rename detection.
 */
static int fast_diff(struct mg_changeset *cs, struct mg_repo *r,
		     const char *base, const struct mg_strlist *prefixes)
{
	struct mg_strlist roots = MG_STRLIST_INIT;
	git_diff_options opts;
	git_diff_find_options find;
	git_index *small = NULL;
	git_tree *old_tree = NULL;
	git_diff *all = NULL, *one = NULL;
	size_t i, n;
	int err;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
	diff_roots(prefixes, &roots);
	if (git_index_new(&small) < 0) {
		err = git_fail("cannot make an index");
		goto out;
	}
	for (i = 0; i < roots.nr; i++) {
		if (fast_index_add_range(small, r->fast, roots.items[i]) < 0) {
			err = git_fail("cannot read the index");
			goto out;
		}
	}
	err = tree_of(&old_tree, r, base);
	if (err < 0)
		goto out;
	opts.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
	for (i = 0; i < roots.nr; i++) {
		opts.pathspec.strings = &roots.items[i];
		opts.pathspec.count = 1;
		if (git_diff_tree_to_index(&one, r->repo, old_tree, small,
					   &opts) < 0) {
			err = shallow_error(r, "cannot compute the change");
			goto out;
		}
		if (!all) {
			all = one;
		} else if (git_diff_merge(all, one) < 0) {
			err = git_fail("cannot compute the change");
			goto out;
		} else {
			git_diff_free(one);
		}
		one = NULL;
	}
	find.flags = GIT_DIFF_FIND_RENAMES;
	if (all && git_diff_find_similar(all, &find) < 0) {
		err = git_fail("cannot find renames");
		goto out;
	}
	n = all ? git_diff_num_deltas(all) : 0;
	for (i = 0; i < n; i++)
		push_delta(cs, git_diff_get_delta(all, i));
	err = 0;
out:
	git_diff_free(one);
	git_diff_free(all);
	git_tree_free(old_tree);
	git_index_free(small);
	mg_strlist_release(&roots);
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
		if (r->fast && prefixes && prefixes->nr)
			return fast_diff(cs, r, base, prefixes);
		/* Everything: libgit2 diffs its own index. */
		err = load_libgit2_index(r);
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

		if (!head && d->status == GIT_DELTA_ADDED &&
		    !index_entry_live(git_index_get_bypath(
			    r->index, d->new_file.path, 0)))
			continue; /* git add -N */
		push_delta(cs, d);
	}
	err = 0;
out:
	git_diff_free(diff);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	return err;
}

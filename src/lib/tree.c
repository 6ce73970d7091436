#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "migguard/strbuf.h"
#include "migguard/tree.h"

/*
 * Every path of a 100,000-file index comes here, so a few scans of the
 * whole string, not one per component: an empty component is "//", a
 * leading or a trailing '/'; "." and ".." begin at a '.' that begins a
 * component.
 */
int mg_path_is_safe(const char *path)
{
	const char *p;

	if (!*path || *path == '/' || path[strlen(path) - 1] == '/' ||
	    strstr(path, "//"))
		return 0;
	for (p = strchr(path, '.'); p; p = strchr(p + 1, '.')) {
		if (p != path && p[-1] != '/')
			continue;
		if (!p[1] || p[1] == '/' ||
		    (p[1] == '.' && (!p[2] || p[2] == '/')))
			return 0;
	}
	return 1;
}

int mg_tree_read(struct mg_tree *t, const char *path, char **data,
		 size_t *len)
{
	*data = NULL;
	*len = 0;
	if (!mg_path_is_safe(path))
		return mg_error_set_code(MG_EUSAGE,
			"path '%s' is not inside the repository", path);
	return t->ops->read(t, path, data, len);
}

static void sb_truncate(struct mg_strbuf *sb, size_t n)
{
	if (sb->alloc && n <= sb->len) {
		sb->len = n;
		sb->buf[n] = '\0';
	}
}

/*
 * Append rel's components to parts (a '/'-joined relative path), reading
 * "." and ".." as a file system does; -1 when ".." climbs above the root.
 */
static int path_push(struct mg_strbuf *parts, const char *rel)
{
	const char *p = rel;

	while (*p) {
		size_t n = strcspn(p, "/");

		if ((n == 1 && p[0] == '.') || n == 0) {
			/* "." and empty components ("a//b"): nothing. */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash;

			if (!parts->len)
				return -1;
			slash = strrchr(parts->buf, '/');
			sb_truncate(parts, slash ? (size_t)(slash -
							 parts->buf) : 0);
		} else {
			if (parts->len)
				mg_strbuf_addch(parts, '/');
			mg_strbuf_add(parts, p, n);
		}
		p += n;
		if (*p == '/')
			p++;
	}
	return 0;
}

int mg_tree_resolve(struct mg_tree *t, const char *path, char **out,
		    unsigned *links)
{
	struct mg_strbuf done = MG_STRBUF_INIT, next = MG_STRBUF_INIT;
	char *rest = mg_xstrdup(path), *target = NULL;
	const char *p = rest;
	unsigned followed = 0;
	int err = 0;

	*out = NULL;
	mg_strbuf_init(&done);
	mg_strbuf_init(&next);
	while (t->readlink && *p) {
		size_t n = strcspn(p, "/"), keep = done.len;

		if (done.len)
			mg_strbuf_addch(&done, '/');
		mg_strbuf_add(&done, p, n);
		p += n;
		if (*p == '/')
			p++;
		free(target);
		target = NULL;
		err = t->readlink(t, done.buf, &target);
		if (err == MG_ENOTFOUND) {
			err = 0;
			continue;
		}
		if (err < 0)
			goto out;
		if (++followed > 40) {
			err = mg_error_set_code(MG_EUSAGE, "'%s': too many "
				"symbolic links (a loop?)", path);
			goto out;
		}
		/* The target, read from the link's folder, then the rest. */
		sb_truncate(&next, 0);
		mg_strbuf_add(&next, done.buf, keep);
		if (target[0] == '/' || path_push(&next, target) < 0) {
			/* The target is not shown: it names the machine. */
			err = mg_error_set_code(MG_EUSAGE, "'%s' is a symbolic "
				"link to a place outside the repository: not "
				"followed", done.buf);
			goto out;
		}
		if (path_push(&next, p) < 0) {
			err = mg_error_set_code(MG_EUSAGE, "'%s' leaves the "
				"repository through the symbolic link '%s'",
				path, done.buf);
			goto out;
		}
		free(rest);
		rest = mg_strbuf_detach(&next, NULL);
		mg_strbuf_init(&next);
		p = rest;
		sb_truncate(&done, 0);
	}
	if (!t->readlink) {
		sb_truncate(&done, 0);
		mg_strbuf_adds(&done, path);
	}
	*out = mg_strbuf_detach(&done, NULL);
	mg_strbuf_init(&done);
	if (links)
		*links = followed;
out:
	free(target);
	free(rest);
	mg_strbuf_release(&done);
	mg_strbuf_release(&next);
	return err;
}

static int cmp_entry(const void *a_, const void *b_)
{
	const struct mg_tree_entry *a = a_, *b = b_;

	return strcmp(a->path, b->path);
}

int mg_tree_list(struct mg_tree *t, const char *dir,
		 struct mg_tree_listing *out)
{
	int err;

	memset(out, 0, sizeof(*out));
	if (*dir && !mg_path_is_safe(dir))
		return mg_error_set_code(MG_EUSAGE,
			"path '%s' is not inside the repository", dir);
	err = t->ops->list(t, dir, out);
	if (err < 0) {
		mg_tree_listing_release(out);
		return err;
	}
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items), cmp_entry);
	return 0;
}

int mg_tree_list_matching(struct mg_tree *t,
			  int (*match)(const char *path, void *payload),
			  void *payload, struct mg_tree_listing *out)
{
	size_t i, kept = 0;
	int err;

	memset(out, 0, sizeof(*out));
	if (!t->list_matching) {
		err = t->ops->list(t, "", out);
		for (i = 0; err >= 0 && i < out->nr; i++) {
			if (match(out->items[i].path, payload))
				out->items[kept++] = out->items[i];
			else
				free(out->items[i].path);
		}
		if (err >= 0)
			out->nr = kept;
	} else {
		err = t->list_matching(t, match, payload, out);
	}
	if (err < 0) {
		mg_tree_listing_release(out);
		return err;
	}
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items), cmp_entry);
	return 0;
}

void mg_tree_listing_release(struct mg_tree_listing *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->items[i].path);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

const struct mg_tree_entry *mg_tree_listing_find(
	const struct mg_tree_listing *l, const char *path)
{
	struct mg_tree_entry key;

	if (!l->nr)
		return NULL;
	key.path = (char *)path;
	return bsearch(&key, l->items, l->nr, sizeof(*l->items), cmp_entry);
}

void mg_tree_free(struct mg_tree *t)
{
	if (!t)
		return;
	free(t->label);
	t->ops->free(t);
}

/* The empty tree. */

static int empty_read(struct mg_tree *t, const char *path, char **data,
		      size_t *len)
{
	(void)t;
	(void)data;
	(void)len;
	return mg_error_set_code(MG_ENOTFOUND, "'%s' does not exist", path);
}

static int empty_list(struct mg_tree *t, const char *dir,
		      struct mg_tree_listing *out)
{
	(void)t;
	(void)dir;
	(void)out;
	return 0;
}

static void plain_free(struct mg_tree *t)
{
	free(t);
}

static const struct mg_tree_ops empty_ops = { empty_read, empty_list,
					      plain_free };

int mg_tree_open_empty(struct mg_tree **out)
{
	struct mg_tree *t = mg_xcalloc(1, sizeof(*t));

	t->ops = &empty_ops;
	t->label = mg_xstrdup("the empty tree");
	*out = t;
	return 0;
}

/* A directory on disk. */

struct dir_tree {
	struct mg_tree base;
	char *root;
};

static int dir_read(struct mg_tree *t, const char *path, char **data,
		    size_t *len)
{
	struct dir_tree *d = (struct dir_tree *)t;
	char *full = mg_path_join(d->root, path);
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd = -1, err = 0;

	fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			err = mg_error_set_code(MG_ENOTFOUND,
						"'%s' does not exist", path);
		else
			err = mg_error_set("cannot open '%s': %s", full,
					   strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err = mg_error_set("'%s' is not a regular file", path);
		goto out;
	}
	if ((unsigned long long)st.st_size > MG_TREE_MAX_FILE) {
		err = mg_error_set_code(MG_ETOOBIG, "'%s' is too large "
					"(%lld bytes, limit %u MiB)", path,
					(long long)st.st_size,
					MG_TREE_MAX_FILE >> 20);
		goto out;
	}
	buf = mg_xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = mg_error_set("cannot read '%s': %s", full,
					   strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	buf = NULL;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	free(full);
	return err;
}

static void listing_add(struct mg_tree_listing *out, const char *path,
			enum mg_entry_type type)
{
	struct mg_tree_entry *e;

	out->nr++;
	MG_ALLOC_GROW(out->items, out->nr, out->alloc);
	e = &out->items[out->nr - 1];
	e->path = mg_xstrdup(path);
	e->type = type;
	e->id[0] = '\0';
}

static int dir_walk(const char *root, const char *rel,
		    struct mg_tree_listing *out, int depth)
{
	char *full = rel[0] ? mg_path_join(root, rel) : mg_xstrdup(root);
	DIR *dir = NULL;
	struct dirent *de;
	int err = 0;

	if (depth > 64) {
		err = mg_error_set("'%s' is nested too deeply", rel);
		goto out;
	}
	dir = opendir(full);
	if (!dir) {
		if (errno != ENOENT && errno != ENOTDIR)
			err = mg_error_set("cannot read directory '%s': %s",
					   full, strerror(errno));
		goto out;
	}
	while ((de = readdir(dir))) {
		char *child, *child_full;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, ".git"))
			continue;
		child = mg_path_join(rel, de->d_name);
		child_full = mg_path_join(root, child);
		if (lstat(child_full, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				err = dir_walk(root, child, out, depth + 1);
			else if (S_ISREG(st.st_mode))
				listing_add(out, child, MG_ENTRY_FILE);
			else if (S_ISLNK(st.st_mode))
				listing_add(out, child, MG_ENTRY_SYMLINK);
			else
				listing_add(out, child, MG_ENTRY_OTHER);
		}
		free(child_full);
		free(child);
		if (err < 0)
			break;
	}
out:
	if (dir)
		closedir(dir);
	free(full);
	return err;
}

static int dir_list(struct mg_tree *t, const char *dir,
		    struct mg_tree_listing *out)
{
	struct dir_tree *d = (struct dir_tree *)t;

	return dir_walk(d->root, dir, out, 0);
}

static void dir_free(struct mg_tree *t)
{
	struct dir_tree *d = (struct dir_tree *)t;

	free(d->root);
	free(d);
}

static int dir_readlink(struct mg_tree *t, const char *path, char **target)
{
	struct dir_tree *d = (struct dir_tree *)t;
	char *full = mg_path_join(d->root, path);
	struct stat st;
	ssize_t n;
	int err = MG_ENOTFOUND;

	*target = NULL;
	if (lstat(full, &st) == 0 && S_ISLNK(st.st_mode) &&
	    st.st_size < 4096) {
		char buf[4096];

		n = readlink(full, buf, sizeof(buf) - 1);
		if (n >= 0) {
			*target = mg_xstrndup(buf, (size_t)n);
			err = 0;
		}
	}
	free(full);
	return err;
}

static const struct mg_tree_ops dir_ops = { dir_read, dir_list, dir_free };

int mg_tree_open_dir(struct mg_tree **out, const char *root)
{
	struct dir_tree *d;
	struct stat st;

	*out = NULL;
	if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode))
		return mg_error_set_code(MG_ENOTFOUND,
					 "'%s' is not a directory", root);
	d = mg_xcalloc(1, sizeof(*d));
	d->base.ops = &dir_ops;
	d->base.label = mg_xstrdup(root);
	d->base.readlink = dir_readlink;
	d->root = mg_xstrdup(root);
	*out = &d->base;
	return 0;
}

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "migguard/strbuf.h"

struct memfile {
	char *path;
	enum mg_entry_type type;
	const char *data; /* borrowed from the input buffer */
	size_t len;
};

struct memtree {
	struct mg_tree base;
	struct memfile *files;
	size_t nr, alloc;
};

static const char header[] = "@@@ ";

static int mem_read(struct mg_tree *t, const char *path, char **data,
		    size_t *len)
{
	struct memtree *m = (struct memtree *)t;
	size_t i, plen = strlen(path);

	for (i = 0; i < m->nr; i++) {
		const struct memfile *f = &m->files[i];

		if (strcmp(f->path, path))
			continue;
		/* As the git trees do: only a regular file has contents. */
		if (f->type != MG_ENTRY_FILE)
			return mg_error_set("'%s' is not a regular file",
					    path);
		if (f->len > MG_TREE_MAX_FILE)
			return mg_error_set_code(MG_ETOOBIG,
						 "'%s' is too large", path);
		*data = mg_xmalloc(f->len + 1);
		if (f->len)
			memcpy(*data, f->data, f->len);
		(*data)[f->len] = '\0';
		*len = f->len;
		return 0;
	}
	for (i = 0; i < m->nr; i++)
		if (!strncmp(m->files[i].path, path, plen) &&
		    m->files[i].path[plen] == '/')
			return mg_error_set_code(MG_ENOTFOUND,
						 "'%s' is a folder", path);
	return mg_error_set_code(MG_ENOTFOUND, "'%s' does not exist", path);
}

static int mem_list(struct mg_tree *t, const char *dir,
		    struct mg_tree_listing *out)
{
	struct memtree *m = (struct memtree *)t;
	size_t i, dlen = strlen(dir);

	for (i = 0; i < m->nr; i++) {
		const struct memfile *f = &m->files[i];
		struct mg_tree_entry *e;

		if (dlen && (strncmp(f->path, dir, dlen) ||
			     f->path[dlen] != '/'))
			continue;
		out->nr++;
		MG_ALLOC_GROW(out->items, out->nr, out->alloc);
		e = &out->items[out->nr - 1];
		e->path = mg_xstrdup(f->path);
		e->type = f->type;
		e->id[0] = '\0';
	}
	return 0;
}

static void mem_free(struct mg_tree *t)
{
	struct memtree *m = (struct memtree *)t;
	size_t i;

	for (i = 0; i < m->nr; i++)
		free(m->files[i].path);
	free(m->files);
	free(m);
}

static const struct mg_tree_ops mem_ops = { mem_read, mem_list, mem_free };

/* The next header at or after p that starts a line of [start, end). */
static const char *find_header(const char *start, const char *p,
			       const char *end)
{
	size_t hlen = sizeof(header) - 1;

	for (; (size_t)(end - p) >= hlen; p++) {
		p = memchr(p, '@', (size_t)(end - p));
		if (!p || (size_t)(end - p) < hlen)
			return NULL;
		if ((p == start || p[-1] == '\n') && !memcmp(p, header, hlen))
			return p;
	}
	return NULL;
}

static enum mg_entry_type type_of(char c)
{
	switch (c) {
	case 'f':
		return MG_ENTRY_FILE;
	case 'l':
		return MG_ENTRY_SYMLINK;
	case 's':
		return MG_ENTRY_SUBMODULE;
	default:
		return MG_ENTRY_OTHER;
	}
}

int mg_fuzz_memtree_open(struct mg_tree **out, const uint8_t *data,
			 size_t size)
{
	struct memtree *m = mg_xcalloc(1, sizeof(*m));
	const char *p = (const char *)data, *end = p + size;
	const char *h = find_header(p, p, end);

	m->base.ops = &mem_ops;
	m->base.label = mg_xstrdup("the fuzz tree");
	while (h) {
		const char *line = h + sizeof(header) - 1;
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		const char *body, *next;
		struct memfile *f;

		if (!eol || eol - line < 2)
			break;
		body = eol + 1;
		next = find_header(p, body, end);
		/* The newline before the next header ends the file. */
		m->nr++;
		MG_ALLOC_GROW(m->files, m->nr, m->alloc);
		f = &m->files[m->nr - 1];
		f->type = type_of(line[0]);
		f->path = mg_xstrndup(line + 2, (size_t)(eol - line - 2));
		f->data = body;
		f->len = (size_t)((next ? next : end) - body);
		if (next && f->len && body[f->len - 1] == '\n')
			f->len--;
		h = next;
	}
	*out = &m->base;
	return 0;
}

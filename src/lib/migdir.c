#include <stdlib.h>
#include <string.h>

#include "migguard/migdir.h"
#include "migguard/srcmap.h"
#include "migguard/strbuf.h"

/* The part of path below out, or NULL. */
static const char *below_out(const char *out, const char *path)
{
	size_t n = strlen(out);

	if (strncmp(path, out, n) || path[n] != '/')
		return NULL;
	return path + n + 1;
}

int mg_migdir_is_folder_sql(const char *out, const char *path)
{
	const char *rel = below_out(out, path), *slash;

	if (!rel)
		return 0;
	slash = strchr(rel, '/');
	return slash && slash > rel && !strcmp(slash + 1, "migration.sql");
}

int mg_migdir_is_sql(const char *out, const char *path)
{
	const char *rel = below_out(out, path);

	if (!rel)
		return 0;
	if (strchr(rel, '/'))
		return mg_migdir_is_folder_sql(out, path);
	return strlen(rel) > 4 && mg_ends_with(rel, ".sql");
}

char *mg_migdir_tag_prefix(const char *tag)
{
	const char *us = strchr(tag, '_');

	return us ? mg_xstrndup(tag, (size_t)(us - tag)) : mg_xstrdup(tag);
}

/*
 * A tag usable as a file name: no '/', '\\', "..", leading '.'. A leading
 * '_' is what drizzle writes in prefix mode "none" ("_name"); the journal
 * check decides whether it is allowed.
 */
static int tag_is_usable(const char *tag)
{
	return *tag && !strchr(tag, '/') && !strchr(tag, '\\') &&
	       !strstr(tag, "..") && tag[0] != '.';
}

static long long json_int(const struct mg_json *v)
{
	if (!v || v->type != MG_JSON_NUMBER || !v->is_integer ||
	    v->number < 0 || v->number > 9007199254740992.0)
		return -1;
	return (long long)v->number;
}

static void load_entries(struct mg_migdir *d)
{
	const struct mg_json *entries = mg_json_get(d->journal, "entries");
	struct mg_srcmap map;
	size_t i;

	if (!entries || entries->type != MG_JSON_ARRAY || !entries->nr)
		return;
	mg_srcmap_init(&map, d->journal_text, d->journal_len);
	d->items = mg_xcalloc(entries->nr, sizeof(*d->items));
	d->nr = entries->nr;
	for (i = 0; i < entries->nr; i++) {
		const struct mg_json *e = entries->children[i];
		struct mg_migration *m = &d->items[i];
		const struct mg_json *bp = mg_json_get(e, "breakpoints");
		const char *tag = mg_json_get_string(e, "tag");
		unsigned col;

		m->entry = e;
		mg_srcmap_locate(&map, e->offset, &m->line, &col);
		m->idx = json_int(mg_json_get(e, "idx"));
		m->when = json_int(mg_json_get(e, "when"));
		m->breakpoints = !(bp && bp->type == MG_JSON_FALSE);
		if (!tag)
			continue;
		m->tag = mg_xstrdup(tag);
		if (tag_is_usable(tag)) {
			char *prefix = mg_migdir_tag_prefix(tag);
			char *sql = mg_xstrfmt("%s.sql", tag);
			char *snap = mg_xstrfmt("meta/%s_snapshot.json",
						prefix);

			m->sql_path = mg_path_join(d->path, sql);
			m->snapshot_path = mg_path_join(d->path, snap);
			free(snap);
			free(sql);
			free(prefix);
		}
	}
	mg_srcmap_release(&map);
}

/*
 * The folder layout: one item per migration folder, in the 1.0
 * migrator's order, with the paths drizzle 1.0 reads whether or not the
 * files are there (as a journal entry's are set from its tag).
 */
static int load_folder(struct mg_migdir *d)
{
	size_t i;
	int err;

	err = mg_migfolder_load(&d->folder, d->tree, d->path);
	if (err < 0)
		return err;
	d->nr = d->folder->nr;
	d->items = mg_xcalloc(d->nr + 1, sizeof(*d->items));
	for (i = 0; i < d->nr; i++) {
		const struct mg_folder_migration *f = &d->folder->items[i];
		struct mg_migration *m = &d->items[i];

		m->idx = (long long)i;
		m->tag = mg_xstrdup(f->name);
		m->when = f->millis;
		m->breakpoints = 1;
		m->line = 1;
		m->sql_path = mg_path_join(f->dir, "migration.sql");
		m->snapshot_path = mg_path_join(f->dir, "snapshot.json");
	}
	return 0;
}

struct mg_folder_migration *mg_migdir_folder_item(struct mg_migdir *d,
						  const struct mg_migration *m)
{
	if (!d->folder || m < d->items || m >= d->items + d->nr)
		return NULL;
	return &d->folder->items[m - d->items];
}

static void fields_release(struct mg_snapshot_fields *f)
{
	free(f->id);
	free(f->prev_id);
	free(f->version);
	free(f->dialect);
	memset(f, 0, sizeof(*f));
}

int mg_migdir_load(struct mg_migdir **out, struct mg_tree *tree,
		   const char *path)
{
	struct mg_migdir *d = mg_xcalloc(1, sizeof(*d));
	struct mg_layout_info info;
	char *real = NULL;
	unsigned links = 0;
	int err;

	*out = NULL;
	d->tree = tree;
	/*
	 * drizzle reads the folder through symbolic links (a folder linked
	 * to the real one): so do we, within the tree. A link out of it is
	 * a journal finding, never a folder silently empty.
	 */
	err = *path ? mg_tree_resolve(tree, path, &real, &links) : 0;
	if (err == MG_EUSAGE) {
		d->path = mg_xstrdup(path);
		d->journal_path = mg_path_join(path, "meta/_journal.json");
		d->journal_state = MG_ERROR;
		d->journal_error = mg_xstrdup(mg_error_last());
		goto done;
	}
	if (err < 0)
		goto fail;
	d->path = real ? real : mg_xstrdup(path);
	d->journal_path = mg_path_join(d->path, "meta/_journal.json");
	err = mg_tree_list(tree, d->path, &d->files);
	if (err < 0)
		goto fail;
	if (links && !d->files.nr) {
		d->journal_state = MG_ERROR;
		d->journal_error = mg_xstrfmt("'%s' is a symbolic link to "
					      "'%s', which holds no file",
					      path, d->path);
		goto done;
	}
	mg_layout_detect_listing(&info, &d->files, d->path);
	d->layout = info.layout;
	mg_layout_info_release(&info);
	if (d->layout == MG_LAYOUT_FOLDER) {
		d->journal_state = MG_ENOTFOUND; /* 1.0 has none */
		err = load_folder(d);
		if (err < 0)
			goto fail;
		goto done;
	}
	err = mg_tree_read(tree, d->journal_path, &d->journal_text,
			   &d->journal_len);
	if (err == MG_ENOTFOUND) {
		d->journal_state = MG_ENOTFOUND;
		goto done;
	}
	if (err < 0) {
		/* Unreadable (too large, not a file): a journal finding. */
		d->journal_state = MG_ERROR;
		d->journal_error = mg_xstrdup(mg_error_last());
		goto done;
	}
	err = mg_json_parse(&d->journal, d->journal_text, d->journal_len,
			    &d->journal_error_offset);
	if (err < 0) {
		d->journal_state = MG_ERROR;
		d->journal_error = mg_xstrdup(mg_error_last());
		goto done;
	}
	load_entries(d);
done:
	*out = d;
	return 0;
fail:
	mg_migdir_free(d);
	return err;
}

void mg_migdir_free(struct mg_migdir *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->nr; i++) {
		struct mg_migration *m = &d->items[i];

		free(m->tag);
		free(m->sql_path);
		free(m->snapshot_path);
		free(m->sql);
		free(m->snapshot_text);
		free(m->snapshot_error);
		mg_json_free(m->snapshot);
		fields_release(&m->fields);
	}
	free(d->paths);
	free(d->items);
	mg_migfolder_free(d->folder);
	mg_json_free(d->journal);
	free(d->journal_text);
	free(d->journal_error);
	free(d->journal_path);
	mg_tree_listing_release(&d->files);
	free(d->path);
	free(d);
}

int mg_migdir_sql(struct mg_migdir *d, struct mg_migration *m,
		  const char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	if (!m->sql_path)
		return mg_error_set_code(MG_ENOTFOUND,
					 "journal entry has no usable tag");
	if (!m->sql_state) {
		int err = mg_tree_read(d->tree, m->sql_path, &m->sql,
				       &m->sql_len);

		m->sql_state = err < 0 ? err : 1;
	}
	if (m->sql_state < 0)
		return mg_error_set_code(m->sql_state, "cannot read '%s'",
					 m->sql_path);
	*data = m->sql;
	*len = m->sql_len;
	return 0;
}

/* Parse m->snapshot_text (read) into m->snapshot; sets the state. */
static void parse_snapshot(struct mg_migration *m)
{
	int err = mg_json_parse(&m->snapshot, m->snapshot_text,
				m->snapshot_len, &m->snapshot_error_offset);

	if (err < 0)
		m->snapshot_error = mg_xstrdup(mg_error_last());
	m->snapshot_state = err < 0 ? err : 1;
}

/* Read m's snapshot bytes into m->snapshot_text, once; < 0 when unreadable. */
static int read_snapshot_text(struct mg_migdir *d, struct mg_migration *m)
{
	int err;

	if (m->snapshot_text)
		return 0;
	if (m->snapshot_state < 0)
		return m->snapshot_state;
	err = mg_tree_read(d->tree, m->snapshot_path, &m->snapshot_text,
			   &m->snapshot_len);
	if (err < 0)
		m->snapshot_state = err;
	return err;
}

int mg_migdir_snapshot_text(struct mg_migdir *d, struct mg_migration *m,
			    const char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	if (!m->snapshot_path)
		return mg_error_set_code(MG_ENOTFOUND,
					 "journal entry has no usable tag");
	if (read_snapshot_text(d, m) < 0)
		return mg_error_set_code(m->snapshot_state,
					 "cannot read snapshot '%s'",
					 m->snapshot_path);
	*data = m->snapshot_text;
	*len = m->snapshot_len;
	return 0;
}

int mg_migdir_snapshot(struct mg_migdir *d, struct mg_migration *m,
		       const struct mg_json **out)
{
	*out = NULL;
	if (!m->snapshot_path)
		return mg_error_set_code(MG_ENOTFOUND,
					 "journal entry has no usable tag");
	if (!m->snapshot_state && read_snapshot_text(d, m) >= 0)
		parse_snapshot(m);
	if (m->snapshot_state < 0)
		return mg_error_set_code(m->snapshot_state,
					 "cannot read snapshot '%s'",
					 m->snapshot_path);
	*out = m->snapshot;
	return 0;
}

/* Line and column of offset, as mg_srcmap gives them over the whole text. */
static void locate(const char *text, size_t offset, unsigned *line,
		   unsigned *column)
{
	struct mg_srcmap map;

	mg_srcmap_init(&map, text, offset); /* what is after does not count */
	mg_srcmap_locate(&map, offset, line, column);
	mg_srcmap_release(&map);
}

static const char *const field_keys[] = { "id", "prevId", "version",
					   "dialect" };

static char **field_slot(struct mg_snapshot_fields *f, size_t i)
{
	char **slots[] = { &f->id, &f->prev_id, &f->version, &f->dialect };

	return slots[i];
}

/* The fields out of the parsed snapshot. */
static void fields_from_tree(struct mg_migration *m)
{
	struct mg_snapshot_fields *f = &m->fields;
	size_t i;

	for (i = 0; i < 4; i++) {
		const struct mg_json *v = mg_json_get(m->snapshot,
						      field_keys[i]);

		if (!v || v->type != MG_JSON_STRING)
			continue;
		*field_slot(f, i) = mg_xstrdup(v->string);
		if (i == 0)
			locate(m->snapshot_text, v->key_offset, &f->id_line,
			       &f->id_column);
		else if (i == 1)
			locate(m->snapshot_text, v->key_offset,
			       &f->prev_id_line, &f->prev_id_column);
	}
}

/* The fields by the tree-less reader; 0, or < 0 when it refused text. */
static int fields_scan(struct mg_migration *m, const char *text, size_t len)
{
	struct mg_snapshot_fields *f = &m->fields;
	struct mg_json_member mem[4];
	size_t i;
	int type;

	memset(mem, 0, sizeof(mem));
	for (i = 0; i < 4; i++)
		mem[i].key = field_keys[i];
	type = mg_json_top_strings(mem, 4, text, len, NULL);
	if (type < 0)
		return type;
	for (i = 0; i < 4; i++) {
		if (!mem[i].found || mem[i].type != MG_JSON_STRING)
			continue;
		*field_slot(f, i) = mem[i].string;
		mem[i].string = NULL;
		if (i == 0)
			locate(text, mem[i].key_offset, &f->id_line,
			       &f->id_column);
		else if (i == 1)
			locate(text, mem[i].key_offset, &f->prev_id_line,
			       &f->prev_id_column);
	}
	mg_json_members_release(mem, 4);
	return 0;
}

/*
 * The fields of m from its text (read here, or already read for another
 * check); the text is kept only when the full parser has to say why it
 * is not JSON.
 */
static void fields_load(struct mg_migdir *d, struct mg_migration *m)
{
	char *text = NULL;
	size_t len = 0;
	int err;

	if (m->snapshot_text) {
		if (fields_scan(m, m->snapshot_text, m->snapshot_len) >= 0) {
			m->fields_state = 1;
			return;
		}
	} else {
		err = mg_tree_read(d->tree, m->snapshot_path, &text, &len);
		if (err < 0) {
			m->snapshot_state = m->fields_state = err;
			return;
		}
		if (fields_scan(m, text, len) >= 0) {
			m->fields_state = 1;
			free(text);
			return;
		}
		m->snapshot_text = text;
		m->snapshot_len = len;
	}
	/* Not plain JSON: the full parser says what, with this text. */
	parse_snapshot(m);
	if (m->snapshot_state > 0)
		fields_from_tree(m);
	m->fields_state = m->snapshot_state;
}

int mg_migdir_snapshot_fields(struct mg_migdir *d, struct mg_migration *m,
			      const struct mg_snapshot_fields **out)
{
	*out = NULL;
	if (!m->snapshot_path)
		return mg_error_set_code(MG_ENOTFOUND,
					 "journal entry has no usable tag");
	if (!m->fields_state && m->snapshot_state) {
		if (m->snapshot_state > 0)
			fields_from_tree(m);
		m->fields_state = m->snapshot_state;
	} else if (!m->fields_state) {
		fields_load(d, m);
	}
	if (m->fields_state < 0)
		return mg_error_set_code(m->fields_state,
					 "cannot read snapshot '%s'",
					 m->snapshot_path);
	*out = &m->fields;
	return 0;
}

void mg_migdir_snapshot_release(struct mg_migdir *d, struct mg_migration *m)
{
	(void)d;
	free(m->snapshot_text);
	m->snapshot_text = NULL;
	m->snapshot_len = 0;
	mg_json_free(m->snapshot);
	m->snapshot = NULL;
	free(m->snapshot_error);
	m->snapshot_error = NULL;
	m->snapshot_error_offset = 0;
	m->snapshot_state = 0;
}

struct mg_migdir_path {
	const char *path;
	struct mg_migration *m;
};

static int cmp_path(const void *a_, const void *b_)
{
	const struct mg_migdir_path *a = a_, *b = b_;

	return strcmp(a->path, b->path);
}

/* Sorted once, so looking up every file of a big folder is n log n. */
static void build_paths(struct mg_migdir *d)
{
	size_t i, n = 0;

	d->paths = mg_xcalloc(2 * d->nr + 1, sizeof(*d->paths));
	for (i = 0; i < d->nr; i++) {
		struct mg_migration *m = &d->items[i];

		if (m->sql_path) {
			d->paths[n].path = m->sql_path;
			d->paths[n++].m = m;
		}
		if (m->snapshot_path) {
			d->paths[n].path = m->snapshot_path;
			d->paths[n++].m = m;
		}
	}
	qsort(d->paths, n, sizeof(*d->paths), cmp_path);
	d->paths_nr = n;
}

struct mg_migration *mg_migdir_find_path(struct mg_migdir *d,
					 const char *path)
{
	struct mg_migdir_path key, *hit, *end;
	struct mg_migration *best;

	if (!d->paths)
		build_paths(d);
	key.path = path;
	key.m = NULL;
	hit = d->paths_nr ? bsearch(&key, d->paths, d->paths_nr,
				    sizeof(*d->paths), cmp_path)
			  : NULL;
	if (!hit)
		return NULL;
	/* Equal paths (duplicate tags): the earliest journal entry wins. */
	while (hit > d->paths && !strcmp(hit[-1].path, path))
		hit--;
	end = d->paths + d->paths_nr;
	for (best = hit->m; hit < end && !strcmp(hit->path, path); hit++)
		if (hit->m < best)
			best = hit->m;
	return best;
}


unsigned mg_migdir_sql_defects(const char *data, size_t len,
			       size_t *offsets)
{
	unsigned found = 0;
	size_t i, valid;

	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
		found |= 1u << MG_SQL_DEFECT_BOM;
		offsets[MG_SQL_DEFECT_BOM] = 0;
	}
	valid = mg_utf8_valid_prefix(data, len);
	if (valid < len) {
		found |= 1u << MG_SQL_DEFECT_UTF8;
		offsets[MG_SQL_DEFECT_UTF8] = valid;
	}
	for (i = 0; i < len; i++) {
		if (!data[i] && !(found & (1u << MG_SQL_DEFECT_NUL))) {
			found |= 1u << MG_SQL_DEFECT_NUL;
			offsets[MG_SQL_DEFECT_NUL] = i;
		} else if (data[i] == '\r' && i + 1 < len &&
			   data[i + 1] == '\n' &&
			   !(found & (1u << MG_SQL_DEFECT_CRLF))) {
			found |= 1u << MG_SQL_DEFECT_CRLF;
			offsets[MG_SQL_DEFECT_CRLF] = i;
		}
	}
	return found;
}

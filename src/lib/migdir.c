#include <stdlib.h>
#include <string.h>

#include "migguard/migdir.h"
#include "migguard/srcmap.h"
#include "migguard/strbuf.h"

char *mg_migdir_tag_prefix(const char *tag)
{
	const char *us = strchr(tag, '_');

	return us ? mg_xstrndup(tag, (size_t)(us - tag)) : mg_xstrdup(tag);
}

/* A tag usable as a file name: no '/', '\\', "..", leading '_' or '.'. */
static int tag_is_usable(const char *tag)
{
	return *tag && !strchr(tag, '/') && !strchr(tag, '\\') &&
	       !strstr(tag, "..") && tag[0] != '_' && tag[0] != '.';
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

int mg_migdir_load(struct mg_migdir **out, struct mg_tree *tree,
		   const char *path)
{
	struct mg_migdir *d = mg_xcalloc(1, sizeof(*d));
	int err;

	*out = NULL;
	d->tree = tree;
	d->path = mg_xstrdup(path);
	d->journal_path = mg_path_join(path, "meta/_journal.json");
	err = mg_tree_list(tree, path, &d->files);
	if (err < 0)
		goto fail;
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
		mg_json_free(m->snapshot);
	}
	free(d->items);
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

int mg_migdir_snapshot(struct mg_migdir *d, struct mg_migration *m,
		       const struct mg_json **out)
{
	*out = NULL;
	if (!m->snapshot_path)
		return mg_error_set_code(MG_ENOTFOUND,
					 "journal entry has no usable tag");
	if (!m->snapshot_state) {
		int err = mg_tree_read(d->tree, m->snapshot_path,
				       &m->snapshot_text, &m->snapshot_len);

		if (err >= 0)
			err = mg_json_parse(&m->snapshot, m->snapshot_text,
					    m->snapshot_len, NULL);
		m->snapshot_state = err < 0 ? err : 1;
	}
	if (m->snapshot_state < 0)
		return mg_error_set_code(m->snapshot_state,
					 "cannot read snapshot '%s'",
					 m->snapshot_path);
	*out = m->snapshot;
	return 0;
}

struct mg_migration *mg_migdir_find_path(struct mg_migdir *d,
					 const char *path)
{
	size_t i;

	for (i = 0; i < d->nr; i++) {
		struct mg_migration *m = &d->items[i];

		if ((m->sql_path && !strcmp(m->sql_path, path)) ||
		    (m->snapshot_path && !strcmp(m->snapshot_path, path)))
			return m;
	}
	return NULL;
}

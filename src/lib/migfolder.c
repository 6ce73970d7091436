#include <stdlib.h>
#include <string.h>

#include "migguard/error.h"
#include "migguard/migdir.h"
#include "migguard/migfolder.h"
#include "migguard/srcmap.h"
#include "migguard/strbuf.h"

/* ------------------------------------------------------------ layout --- */

/*
 * The part of path below dir ("" dir: all of it), or NULL when path is not
 * below dir.
 */
static const char *below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (!n)
		return path;
	if (strncmp(path, dir, n) || path[n] != '/')
		return NULL;
	return path + n + 1;
}

/* rel is "<dir>/<file>" with one '/': the file's name, else NULL. */
static const char *second_level(const char *rel)
{
	const char *slash = strchr(rel, '/');

	if (!slash || slash == rel || !slash[1] || strchr(slash + 1, '/'))
		return NULL;
	return slash + 1;
}

static int is_migration_file(const char *file)
{
	return !strcmp(file, "migration.sql") || !strcmp(file, "snapshot.json");
}

void mg_layout_detect_listing(struct mg_layout_info *out,
			      const struct mg_tree_listing *files,
			      const char *path)
{
	char *last_dir = NULL;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < files->nr; i++) {
		const char *p = files->items[i].path;
		const char *rel = below(p, path), *file;

		if (!rel)
			continue;
		if (!strcmp(rel, "meta/_journal.json")) {
			free(out->journal_path);
			out->journal_path = mg_xstrdup(p);
			continue;
		}
		if (!strchr(rel, '/') && mg_ends_with(rel, ".sql")) {
			out->journal_sql++;
			continue;
		}
		file = second_level(rel);
		if (!file || !is_migration_file(file))
			continue;
		if (!out->folder_file)
			out->folder_file = mg_xstrdup(p);
		/* A sorted listing keeps a folder's files together. */
		if (!last_dir || strncmp(last_dir, rel, (size_t)(file - rel)) ||
		    last_dir[file - rel]) {
			free(last_dir);
			last_dir = mg_xstrndup(rel, (size_t)(file - rel));
			out->folders++;
		}
	}
	free(last_dir);
	if (out->journal_path && out->folders)
		out->layout = MG_LAYOUT_BOTH;
	else if (out->journal_path)
		out->layout = MG_LAYOUT_JOURNAL;
	else if (out->folders)
		out->layout = MG_LAYOUT_FOLDER;
	else
		out->layout = MG_LAYOUT_NONE;
}

int mg_layout_detect(struct mg_layout_info *out, struct mg_tree *tree,
		     const char *path)
{
	struct mg_tree_listing files;
	int err;

	memset(out, 0, sizeof(*out));
	err = mg_tree_list(tree, path, &files);
	if (err < 0)
		return err;
	mg_layout_detect_listing(out, &files, path);
	mg_tree_listing_release(&files);
	return 0;
}

void mg_layout_info_release(struct mg_layout_info *info)
{
	free(info->journal_path);
	free(info->folder_file);
	memset(info, 0, sizeof(*info));
}

const char *mg_layout_name(enum mg_layout layout)
{
	switch (layout) {
	case MG_LAYOUT_JOURNAL:
		return "journal";
	case MG_LAYOUT_FOLDER:
		return "folder";
	case MG_LAYOUT_BOTH:
		return "journal and folder";
	case MG_LAYOUT_NONE:
		break;
	}
	return "none";
}

void mg_layout_both_message(const struct mg_layout_info *info,
			    char **message, char **hint)
{
	*message = mg_xstrfmt(
		"migrations in both drizzle layouts at once: '%s' "
		"(drizzle-kit 0.31) and %zu migration folder%s such as '%s' "
		"(drizzle-kit 1.0)",
		info->journal_path ? info->journal_path : "meta/_journal.json",
		info->folders, info->folders == 1 ? "" : "s",
		info->folder_file ? info->folder_file : "");
	*hint = mg_xstrdup(
		"an unfinished `drizzle-kit up`: the 1.0 migrator refuses to "
		"run while meta/_journal.json exists, and 0.45 ignores the "
		"folders; run `drizzle-kit up` with drizzle-kit 1.0 and commit "
		"its result (meta/ removed), or remove the folders to stay on "
		"0.31");
}

/* ------------------------------------------------------------- order --- */

/*
 * Primary weights of ASCII under ICU's root collation, as node 20 (ICU
 * 78) sorts them with localeCompare: 0 = ignored. Letters weigh the same
 * in both cases; case decides only when everything else is equal.
 */
static const char punct_order[] =
	"\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

static unsigned primary_weight(unsigned char c)
{
	const char *p;

	if (c >= 0x80)
		return 1000u + c; /* after ASCII; see the header */
	if (c >= '0' && c <= '9')
		return 100u + (unsigned)(c - '0');
	if (c >= 'a' && c <= 'z')
		return 200u + (unsigned)(c - 'a');
	if (c >= 'A' && c <= 'Z')
		return 200u + (unsigned)(c - 'A');
	if (c)
		p = strchr(punct_order, c);
	else
		p = NULL;
	return p ? 1u + (unsigned)(p - punct_order) : 0u;
}

/* The next character with a weight at or after *i, its weight; 0 at end. */
static unsigned next_weighted(const unsigned char *s, size_t *i,
			      unsigned char *c)
{
	while (s[*i]) {
		unsigned w = primary_weight(s[*i]);

		*c = s[(*i)++];
		if (w)
			return w;
	}
	*c = 0;
	return 0;
}

static int locale_cmp(const char *a_, const char *b_)
{
	const unsigned char *a = (const unsigned char *)a_;
	const unsigned char *b = (const unsigned char *)b_;
	size_t i = 0, j = 0;
	int tertiary = 0;

	for (;;) {
		unsigned char ca, cb;
		unsigned wa = next_weighted(a, &i, &ca);
		unsigned wb = next_weighted(b, &j, &cb);

		if (wa != wb)
			return wa < wb ? -1 : 1;
		if (!wa)
			return tertiary;
		/* Lower case before upper case, first difference wins. */
		if (!tertiary && ca != cb) {
			int ua = ca >= 'A' && ca <= 'Z';
			int ub = cb >= 'A' && cb <= 'Z';

			if (ua != ub)
				tertiary = ua ? 1 : -1;
		}
	}
}

int mg_folder_name_cmp(const char *a, const char *b)
{
	int c = locale_cmp(a, b);

	return c ? c : strcmp(a, b);
}

int mg_folder_sorts_after(const char *folder, const char *parent)
{
	return strcmp(folder, parent) > 0 && locale_cmp(folder, parent) > 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian, m 1..12). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

long long mg_folder_name_millis(const char *name)
{
	long long year, month, days;
	size_t i;

	for (i = 0; i < 14; i++)
		if (name[i] < '0' || name[i] > '9')
			return -1;
	/* Date.UTC(y, mon - 1, d, h, mi, s): months past 12 carry. */
	year = two(name) * 100 + two(name + 2);
	month = two(name + 4) - 1;
	if (month < 0) {
		year--;
		month += 12;
	}
	year += month / 12;
	month %= 12;
	days = days_from_civil(year, (unsigned)month + 1, 1) +
	       two(name + 6) - 1;
	return ((days * 24 + two(name + 8)) * 60 + two(name + 10)) * 60000 +
	       two(name + 12) * 1000LL;
}

static int name_is_drizzles(const char *name)
{
	return mg_folder_name_millis(name) >= 0 && name[14] == '_' &&
	       name[15];
}

/* -------------------------------------------------------- migrations --- */

static void snapshot_fields_release(struct mg_folder_snapshot *s)
{
	size_t i, j;

	free(s->id);
	for (i = 0; i < s->prev_ids_nr; i++)
		free(s->prev_ids[i]);
	free(s->prev_ids);
	free(s->type);
	free(s->version);
	free(s->dialect);
	for (i = 0; i < s->footprints_nr; i++) {
		struct mg_footprint *fp = &s->footprints[i];

		free(fp->statement_type);
		for (j = 0; j < fp->target_nr; j++)
			free(fp->target[j]);
		for (j = 0; j < fp->writes_nr; j++)
			free(fp->writes[j]);
		for (j = 0; j < fp->reads_nr; j++)
			free(fp->reads[j]);
		for (j = 0; j < fp->shared_writes_nr; j++)
			free(fp->shared_writes[j]);
		free(fp->shared_writes);
		free(fp->sql_hash);
		free(fp->target);
		free(fp->writes);
		free(fp->reads);
	}
	free(s->footprints);
	memset(s, 0, sizeof(*s));
}

static void migration_release(struct mg_folder_migration *m)
{
	free(m->name);
	free(m->dir);
	free(m->sql_path);
	free(m->snapshot_path);
	free(m->sql);
	free(m->snapshot_text);
	mg_json_free(m->snapshot);
	free(m->snapshot_error);
	snapshot_fields_release(&m->fields);
}

static int cmp_migration(const void *a_, const void *b_)
{
	const struct mg_folder_migration *a = a_, *b = b_;

	return mg_folder_name_cmp(a->name, b->name);
}

/* The migration for folder name, appended when it is not the last one. */
static struct mg_folder_migration *folder_for(struct mg_migfolder *f,
					      const char *name, size_t len,
					      size_t *alloc)
{
	struct mg_folder_migration *m;

	if (f->nr) {
		m = &f->items[f->nr - 1];
		if (strlen(m->name) == len && !memcmp(m->name, name, len))
			return m;
	}
	f->nr++;
	MG_ALLOC_GROW(f->items, f->nr, *alloc);
	m = &f->items[f->nr - 1];
	memset(m, 0, sizeof(*m));
	m->name = mg_xstrndup(name, len);
	m->dir = mg_path_join(f->path, m->name);
	m->millis = mg_folder_name_millis(m->name);
	m->name_ok = name_is_drizzles(m->name);
	return m;
}

static void collect(struct mg_migfolder *f)
{
	size_t i, alloc = 0, stray_alloc = 0;

	for (i = 0; i < f->files.nr; i++) {
		const struct mg_tree_entry *e = &f->files.items[i];
		const char *rel = below(e->path, f->path);
		const char *file = rel ? second_level(rel) : NULL;
		struct mg_folder_migration *m;

		if (!rel)
			continue;
		if (file && is_migration_file(file)) {
			m = folder_for(f, rel, (size_t)(file - rel - 1),
				       &alloc);
			if (!strcmp(file, "migration.sql")) {
				if (!m->sql_path)
					m->sql_path = mg_xstrdup(e->path);
				m->sql_type = e->type;
			} else {
				if (!m->snapshot_path)
					m->snapshot_path = mg_xstrdup(e->path);
				m->snapshot_type = e->type;
			}
			continue;
		}
		if (mg_ends_with(rel, ".sql")) {
			f->stray_sql_nr++;
			MG_ALLOC_GROW(f->stray_sql, f->stray_sql_nr,
				      stray_alloc);
			f->stray_sql[f->stray_sql_nr - 1] = mg_xstrdup(e->path);
		}
	}
	if (f->nr > 1)
		qsort(f->items, f->nr, sizeof(*f->items), cmp_migration);
}

int mg_migfolder_load(struct mg_migfolder **out, struct mg_tree *tree,
		      const char *path)
{
	struct mg_migfolder *f = mg_xcalloc(1, sizeof(*f));
	int err;

	*out = NULL;
	f->tree = tree;
	f->path = mg_xstrdup(path);
	err = mg_tree_list(tree, path, &f->files);
	if (err < 0) {
		mg_migfolder_free(f);
		return err;
	}
	mg_layout_detect_listing(&f->layout, &f->files, path);
	collect(f);
	*out = f;
	return 0;
}

void mg_migfolder_free(struct mg_migfolder *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nr; i++)
		migration_release(&f->items[i]);
	free(f->items);
	for (i = 0; i < f->stray_sql_nr; i++)
		free(f->stray_sql[i]);
	free(f->stray_sql);
	mg_layout_info_release(&f->layout);
	mg_tree_listing_release(&f->files);
	free(f->path);
	free(f);
}

struct mg_folder_migration *mg_migfolder_find(struct mg_migfolder *f,
					      const char *name)
{
	size_t i;

	for (i = 0; i < f->nr; i++)
		if (!strcmp(f->items[i].name, name))
			return &f->items[i];
	return NULL;
}

struct mg_folder_migration *mg_migfolder_find_id(struct mg_migfolder *f,
						 const char *id)
{
	const struct mg_folder_snapshot *s;
	size_t i;

	for (i = 0; i < f->nr; i++)
		if (mg_migfolder_fields(f, &f->items[i], &s) >= 0 && s->id &&
		    !strcmp(s->id, id))
			return &f->items[i];
	return NULL;
}

int mg_migfolder_sql(struct mg_migfolder *f, struct mg_folder_migration *m,
		     const char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	if (!m->sql_path)
		return mg_error_set_code(MG_ENOTFOUND,
					 "'%s' has no migration.sql", m->dir);
	if (!m->sql_state) {
		int err = mg_tree_read(f->tree, m->sql_path, &m->sql,
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

static char *string_of(const struct mg_json *v)
{
	return v && v->type == MG_JSON_STRING ? mg_xstrdup(v->string) : NULL;
}

/* An array of strings as a new list; 0 when v is not one (list empty). */
static int strings_of(const struct mg_json *v, char ***list, size_t *nr)
{
	size_t i;

	*list = NULL;
	*nr = 0;
	if (!v || v->type != MG_JSON_ARRAY)
		return 0;
	for (i = 0; i < v->nr; i++)
		if (v->children[i]->type != MG_JSON_STRING)
			return 0;
	*list = mg_xcalloc(v->nr + 1, sizeof(**list));
	for (i = 0; i < v->nr; i++)
		(*list)[i] = mg_xstrdup(v->children[i]->string);
	*nr = v->nr;
	return 1;
}

static void load_footprints(struct mg_folder_snapshot *s,
			    const struct mg_json *v)
{
	size_t i;

	if (!v || v->type != MG_JSON_ARRAY || !v->nr)
		return;
	s->footprints = mg_xcalloc(v->nr, sizeof(*s->footprints));
	for (i = 0; i < v->nr; i++) {
		const struct mg_json *e = v->children[i];
		struct mg_footprint *fp = &s->footprints[s->footprints_nr];

		if (e->type != MG_JSON_OBJECT)
			continue;
		fp->statement_type = string_of(mg_json_get(e, "statementType"));
		strings_of(mg_json_get(e, "statementTarget"), &fp->target,
			   &fp->target_nr);
		strings_of(mg_json_get(e, "writes"), &fp->writes,
			   &fp->writes_nr);
		strings_of(mg_json_get(e, "reads"), &fp->reads, &fp->reads_nr);
		strings_of(mg_json_get(e, "sharedWrites"), &fp->shared_writes,
			   &fp->shared_writes_nr);
		fp->sql_hash = string_of(mg_json_get(e, "sqlHash"));
		s->footprints_nr++;
	}
}

static void locate(const char *text, size_t offset, unsigned *line,
		   unsigned *column)
{
	struct mg_srcmap map;

	mg_srcmap_init(&map, text, offset);
	mg_srcmap_locate(&map, offset, line, column);
	mg_srcmap_release(&map);
}

static void load_fields(struct mg_folder_migration *m)
{
	struct mg_folder_snapshot *s = &m->fields;
	const struct mg_json *j = m->snapshot, *v;

	if (j->type != MG_JSON_OBJECT)
		return;
	v = mg_json_get(j, "id");
	s->id = string_of(v);
	if (v)
		locate(m->snapshot_text, v->key_offset, &s->id_line,
		       &s->id_column);
	v = mg_json_get(j, "prevIds");
	s->prev_ids_valid = strings_of(v, &s->prev_ids, &s->prev_ids_nr);
	if (v)
		locate(m->snapshot_text, v->key_offset, &s->prev_ids_line,
		       &s->prev_ids_column);
	s->type = string_of(mg_json_get(j, "type"));
	if (s->type && !strcmp(s->type, "base"))
		s->kind = MG_SNAPSHOT_BASE;
	else if (s->type && !strcmp(s->type, "diff"))
		s->kind = MG_SNAPSHOT_DIFF;
	s->version = string_of(mg_json_get(j, "version"));
	s->dialect = string_of(mg_json_get(j, "dialect"));
	load_footprints(s, mg_json_get(j, "footprints"));
	v = mg_json_get(j, "ddl");
	s->has_ddl = v && v->type == MG_JSON_ARRAY;
	v = mg_json_get(j, "deltas");
	s->has_deltas = v && v->type == MG_JSON_ARRAY;
	s->deltas_nr = s->has_deltas ? v->nr : 0;
}

int mg_migfolder_snapshot(struct mg_migfolder *f,
			  struct mg_folder_migration *m,
			  const struct mg_json **out)
{
	int err;

	*out = NULL;
	if (!m->snapshot_path)
		return mg_error_set_code(MG_ENOTFOUND,
					 "'%s' has no snapshot.json", m->dir);
	if (!m->snapshot_state) {
		err = mg_tree_read(f->tree, m->snapshot_path,
				   &m->snapshot_text, &m->snapshot_len);
		if (err >= 0) {
			err = mg_json_parse(&m->snapshot, m->snapshot_text,
					    m->snapshot_len,
					    &m->snapshot_error_offset);
			if (err < 0)
				m->snapshot_error = mg_xstrdup(mg_error_last());
			else
				load_fields(m);
		}
		m->snapshot_state = err < 0 ? err : 1;
	}
	if (m->snapshot_state < 0)
		return mg_error_set_code(m->snapshot_state,
					 "cannot read snapshot '%s'",
					 m->snapshot_path);
	*out = m->snapshot;
	return 0;
}

static int same_change(const struct mg_footprint *a,
		       const struct mg_footprint *b)
{
	return a->sql_hash && b->sql_hash && a->statement_type &&
	       b->statement_type &&
	       !strcmp(a->statement_type, b->statement_type) &&
	       !strcmp(a->sql_hash, b->sql_hash);
}

static int touches(const struct mg_footprint *fp, const char *node)
{
	size_t i;

	for (i = 0; i < fp->writes_nr; i++)
		if (!strcmp(fp->writes[i], node))
			return 1;
	for (i = 0; i < fp->reads_nr; i++)
		if (!strcmp(fp->reads[i], node))
			return 1;
	return 0;
}

/* A footprint of from that writes what one of to touches. */
static int first_conflict(const struct mg_footprint *from, size_t from_nr,
			  const struct mg_footprint *to, size_t to_nr,
			  const struct mg_footprint **left,
			  const struct mg_footprint **right)
{
	size_t i, j, k;

	for (i = 0; i < from_nr; i++) {
		const struct mg_footprint *fp = &from[i];
		size_t n = fp->writes_nr + fp->shared_writes_nr;

		for (k = 0; k < n; k++) {
			const char *node =
				k < fp->writes_nr
					? fp->writes[k]
					: fp->shared_writes[k - fp->writes_nr];

			for (j = to_nr; j-- > 0;) {
				if (!touches(&to[j], node) ||
				    same_change(fp, &to[j]))
					continue;
				*left = fp;
				*right = &to[j];
				return 1;
			}
		}
	}
	return 0;
}

int mg_footprints_conflict(const struct mg_footprint *a, size_t a_nr,
			   const struct mg_footprint *b, size_t b_nr,
			   const struct mg_footprint **left,
			   const struct mg_footprint **right)
{
	*left = *right = NULL;
	if (first_conflict(a, a_nr, b, b_nr, left, right))
		return 1;
	return first_conflict(b, b_nr, a, a_nr, right, left);
}

int mg_migfolder_fields(struct mg_migfolder *f, struct mg_folder_migration *m,
			const struct mg_folder_snapshot **out)
{
	const struct mg_json *j;
	int err = mg_migfolder_snapshot(f, m, &j);

	*out = err < 0 ? NULL : &m->fields;
	return err;
}

/* ------------------------------------------------------------ replay --- */

/*
 * drizzle-kit's identity of each entity type (postgres dialect): the
 * fields of the key a "drop", "alter" or "rename" delta names, as the
 * JSON array after "<type>\0".
 */
struct identity {
	const char *type;
	const char *fields[5];
};

static const struct identity identities[] = {
	{ "schemas", { "name" } },
	{ "tables", { "schema", "name" } },
	{ "enums", { "schema", "name" } },
	{ "columns", { "schema", "table", "name" } },
	{ "indexes", { "schema", "name" } },
	{ "fks", { "schema", "table", "name" } },
	{ "pks", { "schema", "table", "name" } },
	{ "uniques", { "schema", "table", "name" } },
	{ "checks", { "schema", "table", "name" } },
	{ "sequences", { "schema", "name" } },
	{ "roles", { "name" } },
	{ "privileges",
	  { "schema", "table", "grantor", "grantee", "type" } },
	{ "policies", { "schema", "table", "name" } },
	{ "views", { "schema", "name" } },
};

/*
 * Where a row points at another (drizzle-kit's edges): when the target
 * changes key, the pointing fields follow. map[i] = { field in the
 * target, field in this row }; a list edge matches one field of the
 * target against each element of this row's list (or the element's pick).
 */
struct edge {
	const char *from, *to;
	const char *map[3][2];
	const char *list, *list_target, *pick, *skip_when;
	int enum_type; /* only when typeSchema names a user schema */
};

/* A row's (schema, table) naming a table, or (schema) naming a schema. */
#define IN_TABLE { { "schema", "schema" }, { "name", "table" } }
#define IN_SCHEMA { { "name", "schema" } }
/* A row's (schema, table) and a list of the table's column names. */
#define OF_TABLE { { "schema", "schema" }, { "table", "table" } }

static const struct edge edges[] = {
	{ "tables", "schemas", IN_SCHEMA, NULL, NULL, NULL, NULL, 0 },
	{ "enums", "schemas", IN_SCHEMA, NULL, NULL, NULL, NULL, 0 },
	{ "sequences", "schemas", IN_SCHEMA, NULL, NULL, NULL, NULL, 0 },
	{ "views", "schemas", IN_SCHEMA, NULL, NULL, NULL, NULL, 0 },
	{ "checks", "tables", IN_TABLE, NULL, NULL, NULL, NULL, 0 },
	{ "policies", "tables", IN_TABLE, NULL, NULL, NULL, NULL, 0 },
	{ "policies", "roles", { { NULL } }, "roles", "name", NULL, NULL, 0 },
	{ "privileges", "tables", IN_TABLE, NULL, NULL, NULL, NULL, 0 },
	{ "privileges", "roles", { { "name", "grantee" } }, NULL, NULL, NULL,
	  NULL, 0 },
	{ "privileges", "roles", { { "name", "grantor" } }, NULL, NULL, NULL,
	  NULL, 0 },
	{ "columns", "tables", IN_TABLE, NULL, NULL, NULL, NULL, 0 },
	{ "columns", "enums",
	  { { "schema", "typeSchema" }, { "name", "type" } },
	  NULL, NULL, NULL, NULL, 1 },
	{ "indexes", "tables", IN_TABLE, NULL, NULL, NULL, NULL, 0 },
	{ "indexes", "columns", OF_TABLE, "columns", "name", "value",
	  "isExpression", 0 },
	{ "pks", "tables", IN_TABLE, NULL, NULL, NULL, NULL, 0 },
	{ "pks", "columns", OF_TABLE, "columns", "name", NULL, NULL, 0 },
	{ "uniques", "tables", IN_TABLE, NULL, NULL, NULL, NULL, 0 },
	{ "uniques", "columns", OF_TABLE, "columns", "name", NULL, NULL, 0 },
	{ "fks", "tables", IN_TABLE, NULL, NULL, NULL, NULL, 0 },
	{ "fks", "columns", OF_TABLE, "columns", "name", NULL, NULL, 0 },
	{ "fks", "tables", { { "schema", "schemaTo" }, { "name", "tableTo" } },
	  NULL, NULL, NULL, NULL, 0 },
	{ "fks", "columns",
	  { { "schema", "schemaTo" }, { "table", "tableTo" } },
	  "columnsTo", "name", NULL, NULL, 0 },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct identity *identity_of(const char *type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(identities); i++)
		if (!strcmp(identities[i].type, type))
			return &identities[i];
	return NULL;
}

static struct mg_json *json_copy(const struct mg_json *j)
{
	struct mg_json *c = mg_xcalloc(1, sizeof(*c));
	size_t i;

	c->type = j->type;
	c->key = j->key ? mg_xstrdup(j->key) : NULL;
	c->string = j->string ? mg_xstrdup(j->string) : NULL;
	c->number = j->number;
	c->is_integer = j->is_integer;
	if (j->nr) {
		c->children = mg_xcalloc(j->nr, sizeof(*c->children));
		for (i = 0; i < j->nr; i++)
			c->children[i] = json_copy(j->children[i]);
		c->nr = j->nr;
	}
	return c;
}

static int json_equal(const struct mg_json *a, const struct mg_json *b);

/* Objects are equal when each has the other's members, equal. */
static int object_covers(const struct mg_json *a, const struct mg_json *b)
{
	size_t i;

	for (i = 0; i < a->nr; i++) {
		const struct mg_json *o = mg_json_get(b, a->children[i]->key);

		if (!o) {
			if (a->children[i]->type != MG_JSON_NULL)
				return 0;
		} else if (!json_equal(a->children[i], o)) {
			return 0;
		}
	}
	return 1;
}

static int json_equal(const struct mg_json *a, const struct mg_json *b)
{
	size_t i;

	if (!a || !b)
		return (!a || a->type == MG_JSON_NULL) &&
		       (!b || b->type == MG_JSON_NULL);
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case MG_JSON_NUMBER:
		return a->number == b->number;
	case MG_JSON_STRING:
		return !strcmp(a->string, b->string);
	case MG_JSON_ARRAY:
		if (a->nr != b->nr)
			return 0;
		for (i = 0; i < a->nr; i++)
			if (!json_equal(a->children[i], b->children[i]))
				return 0;
		return 1;
	case MG_JSON_OBJECT:
		return object_covers(a, b) && object_covers(b, a);
	default:
		return 1;
	}
}

/* Set member key of obj to a copy of v (replacing the first one). */
static void json_set(struct mg_json *obj, const char *key,
		     const struct mg_json *v)
{
	struct mg_json *c = json_copy(v);
	size_t i;

	free(c->key);
	c->key = mg_xstrdup(key);
	for (i = 0; i < obj->nr; i++) {
		if (!strcmp(obj->children[i]->key, key)) {
			mg_json_free(obj->children[i]);
			obj->children[i] = c;
			return;
		}
	}
	obj->children = mg_xrealloc(obj->children,
				    (obj->nr + 1) * sizeof(*obj->children));
	obj->children[obj->nr++] = c;
}

/*
 * FNV-1a over a key: values json_equal calls equal hash alike (a missing
 * field as null; strings by their bytes, other values by their type).
 */
static unsigned long long hash_bytes(unsigned long long h, const char *p,
				     size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static unsigned long long hash_value(unsigned long long h,
				     const struct mg_json *v)
{
	char tag = !v || v->type == MG_JSON_NULL ? 'n' : (char)('a' + v->type);

	h = hash_bytes(h, &tag, 1);
	if (v && v->type == MG_JSON_STRING)
		h = hash_bytes(h, v->string, strlen(v->string) + 1);
	return h;
}

static unsigned long long hash_type(const char *type)
{
	return hash_bytes(14695981039346656037ULL, type, strlen(type) + 1);
}

static const struct mg_json *field(const struct mg_json *row, const char *f);

/* The hash of a row's key (id's fields of the row). */
static unsigned long long row_key_hash(const struct identity *id,
				       const char *type,
				       const struct mg_json *row)
{
	unsigned long long h = hash_type(type);
	size_t i;

	for (i = 0; id && i < 5 && id->fields[i]; i++)
		h = hash_value(h, field(row, id->fields[i]));
	return h;
}

static void entity_refresh(struct mg_ddl_entity *e)
{
	e->schema = mg_json_get_string(e->row, "schema");
	e->table = mg_json_get_string(e->row, "table");
	e->name = mg_json_get_string(e->row, "name");
	e->key_hash = row_key_hash(identity_of(e->entity_type),
				   e->entity_type, e->row);
}

/* The value of field in row as the key writes it: a string or null. */
static const struct mg_json *field(const struct mg_json *row, const char *f)
{
	return mg_json_get(row, f);
}

/* Does e's key equal the identity values (strings, NULL = null)? */
static int key_matches(const struct mg_ddl_entity *e,
		       const struct identity *id, const struct mg_json *key)
{
	size_t i, n = 0;

	while (n < 5 && id->fields[n])
		n++;
	if (key->type != MG_JSON_ARRAY || key->nr != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!json_equal(field(e->row, id->fields[i]),
				key->children[i]))
			return 0;
	return 1;
}

/* Do two rows of one type have the same key? */
static int same_key(const struct identity *id, const struct mg_json *a,
		    const struct mg_json *b)
{
	size_t i;

	for (i = 0; i < 5 && id->fields[i]; i++)
		if (!json_equal(field(a, id->fields[i]),
				field(b, id->fields[i])))
			return 0;
	return 1;
}

/*
 * The key index: open addressing with linear probing over item indices,
 * at most half full. Rebuilt lazily: whatever moves items or changes a
 * key marks it stale; add_row inserts while it is fresh.
 */
#define SLOT_EMPTY ((size_t)-1)

static size_t slot_of(unsigned long long h, size_t mask)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h & mask;
}

static void index_insert(struct mg_ddl_state *s, size_t i)
{
	size_t mask = s->slots_nr - 1, at;

	for (at = slot_of(s->items[i].key_hash, mask);
	     s->slots[at] != SLOT_EMPTY; at = (at + 1) & mask)
		;
	s->slots[at] = i;
}

static void index_rebuild(struct mg_ddl_state *s)
{
	size_t want = 16, i;

	while (want < 2 * s->nr + 2)
		want *= 2;
	if (want != s->slots_nr) {
		free(s->slots);
		s->slots = mg_xmalloc(want * sizeof(*s->slots));
		s->slots_nr = want;
	}
	for (i = 0; i < want; i++)
		s->slots[i] = SLOT_EMPTY;
	for (i = 0; i < s->nr; i++)
		index_insert(s, i);
	s->slots_stale = 0;
}

static void index_fresh(struct mg_ddl_state *s)
{
	if (s->slots_stale || !s->slots_nr)
		index_rebuild(s);
}

/*
 * The first item (by index, as a scan finds it) whose key_hash is h and
 * type is type, for which match(e, arg) holds; skip excluded.
 */
static struct mg_ddl_entity *
index_find(struct mg_ddl_state *s, unsigned long long h, const char *type,
	   const struct mg_ddl_entity *skip,
	   int (*match)(const struct mg_ddl_entity *e, const void *a,
			const void *b),
	   const void *a, const void *b)
{
	size_t mask, at, best = SLOT_EMPTY;

	index_fresh(s);
	mask = s->slots_nr - 1;
	for (at = slot_of(h, mask); s->slots[at] != SLOT_EMPTY;
	     at = (at + 1) & mask) {
		size_t i = s->slots[at];
		struct mg_ddl_entity *e = &s->items[i];

		if (i < best && e != skip && e->key_hash == h &&
		    !strcmp(e->entity_type, type) && match(e, a, b))
			best = i;
	}
	return best == SLOT_EMPTY ? NULL : &s->items[best];
}

static int match_row(const struct mg_ddl_entity *e, const void *id,
		     const void *row)
{
	return same_key(id, e->row, row);
}

static struct mg_ddl_entity *find_same_key(struct mg_ddl_state *s,
					   const char *type,
					   const struct mg_json *row,
					   const struct mg_ddl_entity *skip)
{
	const struct identity *id = identity_of(type);
	unsigned long long h = row_key_hash(id, type, row);

	return index_find(s, h, type, skip, match_row, id, row);
}

void mg_ddl_state_init(struct mg_ddl_state *s)
{
	memset(s, 0, sizeof(*s));
}

static void entity_release(struct mg_ddl_entity *e)
{
	free(e->entity_type);
	mg_json_free(e->row);
}

void mg_ddl_state_release(struct mg_ddl_state *s)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		entity_release(&s->items[i]);
	free(s->items);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

/* The row's entityType when it is one drizzle keys, else NULL. */
static const char *row_type(const struct mg_json *row)
{
	const char *type = mg_json_get_string(row, "entityType");

	return row->type == MG_JSON_OBJECT && type && identity_of(type)
		       ? type
		       : NULL;
}

/* Add a copy of row; the caller checked its type and key. */
static void add_row(struct mg_ddl_state *s, const char *type,
		    const struct mg_json *row)
{
	struct mg_ddl_entity *e;

	s->nr++;
	MG_ALLOC_GROW(s->items, s->nr, s->alloc);
	e = &s->items[s->nr - 1];
	e->entity_type = mg_xstrdup(type);
	e->row = json_copy(row);
	entity_refresh(e);
	if (s->slots_stale || !s->slots_nr)
		return;
	if (2 * s->nr + 2 > s->slots_nr)
		s->slots_stale = 1;
	else
		index_insert(s, s->nr - 1);
}

static int create_row(struct mg_ddl_state *s, const struct mg_json *row)
{
	const char *type = row_type(row);
	struct mg_ddl_entity *old;

	if (!type)
		return mg_error_set("a row whose entityType is not one of "
				    "drizzle's");
	old = find_same_key(s, type, row, NULL);
	if (old) {
		/* drizzle-kit: every stored field equal (absent = null). */
		if (object_covers(old->row, row))
			return 0;
		return mg_error_set("the create delta adds %s '%s', and "
				    "another %s with other values has its key",
				    type, old->name ? old->name : "", type);
	}
	add_row(s, type, row);
	return 0;
}

int mg_ddl_state_load(struct mg_ddl_state *s, const struct mg_json *ddl)
{
	size_t i;
	int err;

	if (!ddl || ddl->type != MG_JSON_ARRAY)
		return mg_error_set("\"ddl\" is not an array");
	s->slots_stale = 1;
	for (i = 0; i < ddl->nr; i++) {
		err = create_row(s, ddl->children[i]);
		if (err < 0)
			return err;
	}
	return 0;
}


/* A JSON string's raw inside (between the quotes), decoded; NULL if bad. */
static char *decode_fragment(const char *raw, size_t n)
{
	struct mg_strbuf sb;
	struct mg_json *j = NULL;
	size_t off;
	char *s = NULL;

	mg_strbuf_init(&sb);
	mg_strbuf_addch(&sb, '"');
	mg_strbuf_add(&sb, raw, n);
	mg_strbuf_addch(&sb, '"');
	if (mg_json_parse(&j, sb.buf, sb.len, &off) >= 0 &&
	    j->type == MG_JSON_STRING)
		s = mg_xstrdup(j->string);
	mg_json_free(j);
	mg_strbuf_release(&sb);
	return s;
}

/*
 * A delta's "key", "<type>\u0000<JSON array>" as JSON.stringify writes
 * it: the identity of the type and the parsed array (the caller's). The
 * decoded mg_json string ends at the NUL, so the key is read again from
 * the text at the value's offset.
 */
static int parse_key(const struct mg_json *v, const char *text, size_t len,
		     const struct identity **id, struct mg_json **values)
{
	const char *p, *end, *nul = NULL, *stop = text + len;
	char *type = NULL, *rest = NULL;
	size_t off;
	int err;

	*id = NULL;
	*values = NULL;
	if (!v || v->type != MG_JSON_STRING || v->offset >= len ||
	    text[v->offset] != '"')
		return mg_error_set("a delta without a string \"key\"");
	p = text + v->offset + 1;
	for (end = p; end < stop && *end != '"'; end++) {
		if (*end != '\\')
			continue;
		if (!nul && stop - end >= 6 && !memcmp(end, "\\u0000", 6))
			nul = end;
		end++;
	}
	if (end >= stop || !nul)
		return mg_error_set("delta key \"%s\" does not name an entity "
				    "type and a key", v->string);
	type = decode_fragment(p, (size_t)(nul - p));
	rest = decode_fragment(nul + 6, (size_t)(end - nul - 6));
	err = MG_ERROR;
	if (!type || !rest) {
		mg_error_set("delta key \"%s\" is not a JSON string",
			     v->string);
		goto out;
	}
	*id = identity_of(type);
	if (!*id) {
		mg_error_set("delta key names entity type \"%s\", not one of "
			     "drizzle's", type);
		goto out;
	}
	err = mg_json_parse(values, rest, strlen(rest), &off);
	if (err >= 0 && (*values)->type != MG_JSON_ARRAY)
		err = MG_ERROR;
	if (err < 0) {
		mg_json_free(*values);
		*values = NULL;
		mg_error_set("delta key \"%s\" has no JSON array after the "
			     "type", type);
	}
out:
	free(type);
	free(rest);
	return err;
}

static int match_values(const struct mg_ddl_entity *e, const void *id,
			const void *values)
{
	return key_matches(e, id, values);
}

static struct mg_ddl_entity *find_key(struct mg_ddl_state *s,
				      const struct identity *id,
				      const struct mg_json *values)
{
	unsigned long long h = hash_type(id->type);
	size_t i;

	if (values->type != MG_JSON_ARRAY)
		return NULL;
	for (i = 0; i < values->nr && i < 5 && id->fields[i]; i++)
		h = hash_value(h, values->children[i]);
	return index_find(s, h, id->type, NULL, match_values, id, values);
}

static void drop_entity(struct mg_ddl_state *s, struct mg_ddl_entity *e)
{
	size_t i = (size_t)(e - s->items);

	entity_release(e);
	memmove(e, e + 1, (s->nr - i - 1) * sizeof(*e));
	s->nr--;
	s->slots_stale = 1;
}

/*
 * Make row (of edge->from) follow its target's move from `from` to `to`
 * along edge. 1 when it changed.
 */
static int relocate(struct mg_json *row, const struct edge *edge,
		    const struct mg_json *from, const struct mg_json *to)
{
	const struct mg_json *list;
	int changed = 0;
	size_t i;

	if (edge->enum_type) {
		const char *ts = mg_json_get_string(row, "typeSchema");

		if (!ts || !*ts || !strcmp(ts, "pg_catalog"))
			return 0;
	}
	for (i = 0; i < 3 && edge->map[i][0]; i++)
		if (!json_equal(field(row, edge->map[i][1]),
				field(from, edge->map[i][0])))
			return 0;
	if (edge->list) {
		const struct mg_json *old = field(from, edge->list_target);
		const struct mg_json *now = field(to, edge->list_target);

		list = mg_json_get(row, edge->list);
		if (!list || list->type != MG_JSON_ARRAY || !old || !now)
			return 0;
		for (i = 0; i < list->nr; i++) {
			struct mg_json *el = list->children[i];
			const struct mg_json *skip = NULL;

			if (edge->skip_when)
				skip = mg_json_get(el, edge->skip_when);

			if (skip && skip->type == MG_JSON_TRUE)
				continue;
			if (!json_equal(edge->pick ? mg_json_get(el, edge->pick)
						   : el,
					old))
				continue;
			if (edge->pick) {
				json_set(el, edge->pick, now);
			} else {
				struct mg_json *c = json_copy(now);

				free(c->key);
				c->key = NULL;
				mg_json_free(el);
				list->children[i] = c;
			}
			changed = 1;
		}
		if (!changed)
			return 0;
	}
	for (i = 0; i < 3 && edge->map[i][0]; i++) {
		const struct mg_json *v = field(to, edge->map[i][0]);

		if (v && !json_equal(field(row, edge->map[i][1]), v)) {
			json_set(row, edge->map[i][1], v);
			changed = 1;
		}
	}
	return changed;
}

struct moved {
	size_t index;	     /* of the entity in the state */
	struct mg_json *old; /* its row before the move */
};

/* After items[index] changed key from old: carry it to what points at it. */
static int carry_move(struct mg_ddl_state *s, size_t index,
		      struct mg_json *old)
{
	struct moved *queue = NULL;
	size_t nr = 0, alloc = 0, q, i, k;
	unsigned char *seen = mg_xcalloc(s->nr + 1, 1);
	int err = 0;

	/* Rows change keys below (relocate, entity_refresh). */
	s->slots_stale = 1;

	MG_ALLOC_GROW(queue, nr + 1, alloc);
	queue[nr].index = index;
	queue[nr++].old = old;
	seen[index] = 1;
	for (q = 0; q < nr; q++) {
		const struct mg_ddl_entity *target = &s->items[queue[q].index];

		for (k = 0; k < ARRAY_SIZE(edges); k++) {
			const struct edge *edge = &edges[k];

			if (strcmp(edge->to, target->entity_type))
				continue;
			for (i = 0; i < s->nr; i++) {
				struct mg_ddl_entity *dep = &s->items[i];
				const struct identity *id;
				struct mg_json *before;

				if (strcmp(dep->entity_type, edge->from))
					continue;
				before = json_copy(dep->row);
				if (!relocate(dep->row, edge, queue[q].old,
					      s->items[queue[q].index].row)) {
					mg_json_free(before);
					continue;
				}
				entity_refresh(dep);
				id = identity_of(dep->entity_type);
				if (seen[i] || same_key(id, before, dep->row)) {
					mg_json_free(before);
					continue;
				}
				seen[i] = 1;
				MG_ALLOC_GROW(queue, nr + 1, alloc);
				queue[nr].index = i;
				queue[nr++].old = before;
			}
		}
	}
	/* Two rows of one type under one key: drizzle-kit refuses. */
	for (q = 0; q < nr && !err; q++) {
		const struct mg_ddl_entity *e = &s->items[queue[q].index];

		if (find_same_key(s, e->entity_type, e->row, e))
			err = mg_error_set("a rename moves %s '%s' onto the "
					   "key of another one",
					   e->entity_type,
					   e->name ? e->name : "");
	}
	for (q = 0; q < nr; q++)
		mg_json_free(queue[q].old);
	free(queue);
	free(seen);
	return err;
}

static int alter_row(struct mg_ddl_state *s, struct mg_ddl_entity *e,
		     const struct mg_json *set)
{
	const struct identity *id = identity_of(e->entity_type);
	struct mg_json *old = json_copy(e->row);
	unsigned long long old_hash = e->key_hash;
	size_t i;

	for (i = 0; i < set->nr; i++)
		if (set->children[i]->key &&
		    strcmp(set->children[i]->key, "entityType"))
			json_set(e->row, set->children[i]->key,
				 set->children[i]);
	entity_refresh(e);
	if (e->key_hash != old_hash)
		s->slots_stale = 1;
	if (same_key(id, old, e->row)) {
		mg_json_free(old);
		return 0;
	}
	return carry_move(s, (size_t)(e - s->items), old);
}

static int apply_delta(struct mg_ddl_state *s, const struct mg_json *d,
		       const char *text, size_t len)
{
	const char *op = mg_json_get_string(d, "op");
	const struct mg_json *set = mg_json_get(d, "set");
	const struct identity *id;
	struct mg_json *values = NULL;
	struct mg_ddl_entity *e;
	int err;

	if (!op)
		return mg_error_set("a delta without \"op\"");
	if (!strcmp(op, "create")) {
		const struct mg_json *row = mg_json_get(d, "row");

		if (!row || row->type != MG_JSON_OBJECT)
			return mg_error_set("a create delta without a \"row\"");
		return create_row(s, row);
	}
	if (strcmp(op, "drop") && strcmp(op, "alter") && strcmp(op, "rename"))
		return mg_error_set("a delta whose op is \"%s\"", op);
	err = parse_key(mg_json_get(d, "key"), text, len, &id, &values);
	if (err < 0)
		return err;
	e = find_key(s, id, values);
	mg_json_free(values);
	/* As drizzle-kit: a key that matches nothing changes nothing. */
	if (!e)
		return 0;
	if (!strcmp(op, "drop")) {
		drop_entity(s, e);
		return 0;
	}
	if (!set || set->type != MG_JSON_OBJECT)
		return mg_error_set("an %s delta without a \"set\" object", op);
	return alter_row(s, e, set);
}

int mg_ddl_state_apply(struct mg_ddl_state *s, const struct mg_json *deltas,
		       const char *text, size_t len)
{
	size_t i;
	int err;

	if (!deltas || deltas->type != MG_JSON_ARRAY)
		return mg_error_set("\"deltas\" is not an array");
	for (i = 0; i < deltas->nr; i++) {
		const struct mg_json *d = deltas->children[i];

		if (d->type != MG_JSON_OBJECT)
			return mg_error_set("delta %zu is not an object", i);
		err = apply_delta(s, d, text, len);
		if (err < 0)
			return mg_error_set("delta %zu: %s", i,
					    mg_error_last());
	}
	return 0;
}

static int field_is(const char *have, const char *want)
{
	return !want || (have && !strcmp(have, want));
}

const struct mg_ddl_entity *mg_ddl_state_find(const struct mg_ddl_state *s,
					      const char *entity_type,
					      const char *schema,
					      const char *table,
					      const char *name)
{
	size_t i;

	for (i = 0; i < s->nr; i++) {
		const struct mg_ddl_entity *e = &s->items[i];

		if (!strcmp(e->entity_type, entity_type) &&
		    field_is(e->schema, schema) && field_is(e->table, table) &&
		    field_is(e->name, name))
			return e;
	}
	return NULL;
}

size_t mg_ddl_state_count(const struct mg_ddl_state *s,
			  const char *entity_type, const char *schema,
			  const char *table)
{
	size_t i, n = 0;

	for (i = 0; i < s->nr; i++) {
		const struct mg_ddl_entity *e = &s->items[i];

		if (!strcmp(e->entity_type, entity_type) &&
		    field_is(e->schema, schema) && field_is(e->table, table))
			n++;
	}
	return n;
}

/* ------------------------------------------------------------ history --- */

static const char zero_id[] = "00000000-0000-0000-0000-000000000000";

/* The index of the migration with snapshot id, or f->nr. */
static size_t index_of_id(struct mg_migfolder *f, const char *id)
{
	struct mg_folder_migration *m = mg_migfolder_find_id(f, id);

	return m ? (size_t)(m - f->items) : f->nr;
}

/*
 * Mark in marks (one per migration) every snapshot reachable from ids
 * through prevIds, not crossing those already marked in stop (may be
 * NULL). MG_ERROR when an id is not in the folder.
 */
static int mark_history(struct mg_migfolder *f, char *const *ids, size_t nr,
			unsigned char *marks, const unsigned char *stop)
{
	size_t *stack = mg_xcalloc(f->nr + nr + 1, sizeof(*stack));
	size_t top = 0, i;
	int err = 0;

	for (i = 0; i < nr && !err; i++) {
		size_t at;

		if (!strcmp(ids[i], zero_id))
			continue;
		at = index_of_id(f, ids[i]);
		if (at == f->nr)
			err = mg_error_set("snapshot %s is not in the folder",
					   ids[i]);
		else
			stack[top++] = at;
	}
	while (top && !err) {
		size_t at = stack[--top];
		const struct mg_folder_snapshot *s;

		if (marks[at] || (stop && stop[at]))
			continue;
		marks[at] = 1;
		if (mg_migfolder_fields(f, &f->items[at], &s) < 0)
			continue;
		stack = mg_xrealloc(stack, (top + s->prev_ids_nr + 1) *
						   sizeof(*stack));
		for (i = 0; i < s->prev_ids_nr && !err; i++) {
			size_t p;

			if (!strcmp(s->prev_ids[i], zero_id))
				continue;
			p = index_of_id(f, s->prev_ids[i]);
			if (p == f->nr)
				err = mg_error_set("snapshot %s is not in the "
						   "folder", s->prev_ids[i]);
			else
				stack[top++] = p;
		}
	}
	free(stack);
	return err;
}

static int apply_snapshot(struct mg_ddl_state *state, struct mg_migfolder *f,
			  struct mg_folder_migration *m)
{
	const struct mg_json *j;
	int err = mg_migfolder_snapshot(f, m, &j);

	if (err >= 0)
		err = mg_ddl_state_apply(state, mg_json_get(j, "deltas"),
					 m->snapshot_text, m->snapshot_len);
	if (err < 0)
		return mg_error_set("cannot replay '%s': %s",
				    m->snapshot_path ? m->snapshot_path
						     : m->dir,
				    mg_error_last());
	return 0;
}

/* At a merge: the diffs the other parents bring, in migration order. */
static int apply_other_parents(struct mg_ddl_state *state,
			       struct mg_migfolder *f,
			       const struct mg_folder_snapshot *s)
{
	unsigned char *first = mg_xcalloc(f->nr + 1, 1);
	unsigned char *rest = mg_xcalloc(f->nr + 1, 1);
	size_t i;
	int err;

	err = mark_history(f, s->prev_ids, 1, first, NULL);
	if (err >= 0)
		err = mark_history(f, s->prev_ids + 1, s->prev_ids_nr - 1,
				   rest, first);
	for (i = 0; err >= 0 && i < f->nr; i++) {
		const struct mg_folder_snapshot *o;

		if (!rest[i] || mg_migfolder_fields(f, &f->items[i], &o) < 0 ||
		    o->kind != MG_SNAPSHOT_DIFF)
			continue;
		err = apply_snapshot(state, f, &f->items[i]);
	}
	free(first);
	free(rest);
	return err;
}

int mg_migfolder_state(struct mg_ddl_state *out, struct mg_migfolder *f,
		       struct mg_folder_migration *m)
{
	struct mg_folder_migration **chain = NULL;
	const struct mg_folder_snapshot *s = NULL;
	const struct mg_json *j;
	size_t nr = 0, i;
	int err;

	mg_ddl_state_init(out);
	chain = mg_xcalloc(f->nr + 1, sizeof(*chain));
	for (;;) {
		err = mg_migfolder_fields(f, m, &s);
		if (err < 0) {
			err = mg_error_set("cannot replay '%s': %s", m->dir,
					   mg_error_last());
			goto out;
		}
		if (s->has_ddl)
			break;
		if (s->kind != MG_SNAPSHOT_DIFF || !s->has_deltas) {
			err = mg_error_set("cannot replay '%s': its snapshot "
					   "is neither a base nor a diff",
					   m->dir);
			goto out;
		}
		if (nr == f->nr || !s->prev_ids_nr ||
		    !strcmp(s->prev_ids[0], zero_id)) {
			err = mg_error_set("cannot replay '%s': its history "
					   "does not reach a base snapshot",
					   m->dir);
			goto out;
		}
		chain[nr++] = m;
		m = mg_migfolder_find_id(f, s->prev_ids[0]);
		if (!m) {
			err = mg_error_set("cannot replay '%s': its parent "
					   "snapshot %s is not in the folder",
					   chain[nr - 1]->dir, s->prev_ids[0]);
			goto out;
		}
	}
	err = mg_migfolder_snapshot(f, m, &j);
	if (err >= 0)
		err = mg_ddl_state_load(out, mg_json_get(j, "ddl"));
	if (err < 0) {
		err = mg_error_set("cannot replay '%s': %s", m->dir,
				   mg_error_last());
		goto out;
	}
	for (i = nr; i-- > 0;) {
		err = mg_migfolder_fields(f, chain[i], &s);
		if (err >= 0 && s->prev_ids_nr > 1)
			err = apply_other_parents(out, f, s);
		if (err >= 0)
			err = apply_snapshot(out, f, chain[i]);
		if (err < 0)
			goto out;
	}
out:
	free(chain);
	if (err < 0)
		mg_ddl_state_release(out);
	return err;
}

/* ---------------------------------------------------------------- up --- */

/* The civil date of a day count from 1970-01-01 (inverse of the above). */
static void civil_from_days(long long z, long long *y, unsigned *m,
			    unsigned *d)
{
	long long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

/* drizzle-kit's folder time: new Date(ms) in UTC, YYYYMMDDHHMMSS. */
static char *folder_time(long long ms)
{
	long long days = ms / 86400000, rest = ms % 86400000, y;
	unsigned m, d;

	if (rest < 0) {
		rest += 86400000;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	rest /= 1000;
	return mg_xstrfmt("%04lld%02u%02u%02lld%02lld%02lld", y, m, d,
			  rest / 3600, rest / 60 % 60, rest % 60);
}

static int listed(const struct mg_tree_listing *l, const char *path)
{
	return mg_tree_listing_find(l, path) != NULL;
}

/* Plan one entry as planFoldersV3 does. */
static void plan_move(struct mg_up_move *mv, struct mg_migdir *d,
		      const struct mg_migration *m)
{
	const char *us = strchr(m->tag, '_');
	char *prefix = mg_migdir_tag_prefix(m->tag);
	char *name = mg_xstrfmt("meta/%s_snapshot.json", prefix);
	char *want = mg_xstrfmt("%s_", prefix);
	size_t i, found = 0;

	mv->tag = m->tag;
	if (m->when > 0) {
		char *t = folder_time(m->when);

		mv->folder = mg_xstrfmt("%s_%s", t, us ? us + 1 : "");
		free(t);
	}
	mv->snapshot_path = mg_path_join(d->path, name);
	mv->has_snapshot = listed(&d->files, mv->snapshot_path);
	if (m->sql_path && listed(&d->files, m->sql_path)) {
		mv->sql_path = mg_xstrdup(m->sql_path);
		goto out;
	}
	for (i = 0; i < d->files.nr; i++) {
		const char *rel = below(d->files.items[i].path, d->path);

		if (!rel || strchr(rel, '/') || !mg_starts_with(rel, want) ||
		    !mg_ends_with(rel, ".sql"))
			continue;
		if (!found++)
			mv->sql_path = mg_xstrdup(d->files.items[i].path);
	}
	if (found > 1) {
		mv->sql_ambiguous = 1;
		free(mv->sql_path);
		mv->sql_path = NULL;
	}
out:
	free(want);
	free(name);
	free(prefix);
}

#define UP_NONE ((size_t)-1)

/* One more reason; the first is also p->refusal, as before. */
static void refuse(struct mg_up_plan *p, enum mg_up_refusal_kind kind,
		   size_t index, size_t other, char *why, char *hint)
{
	struct mg_up_refusal *r;

	MG_ALLOC_GROW(p->refusals, p->refusals_nr + 1, p->refusals_alloc);
	r = &p->refusals[p->refusals_nr++];
	r->kind = kind;
	r->index = index;
	r->other = other;
	r->message = why;
	r->hint = hint;
	if (p->refusal)
		return;
	p->refusal = mg_xstrdup(why);
	p->refusal_tag = p->items[index].tag;
}

struct up_order {
	const char *folder;
	size_t index;
};

static int cmp_up_order(const void *a_, const void *b_)
{
	const struct up_order *a = a_, *b = b_;
	int c = strcmp(a->folder, b->folder);

	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* The chain fields of entry i when up reads its snapshot, else NULL. */
static const struct mg_snapshot_fields *up_fields(struct mg_up_plan *p,
						  struct mg_migdir *d,
						  size_t i)
{
	const struct mg_snapshot_fields *f;

	if (!p->items[i].tag || !p->items[i].has_snapshot ||
	    mg_migdir_snapshot_fields(d, &d->items[i], &f) < 0)
		return NULL;
	return f;
}

static int is_first(const struct mg_snapshot_fields *f)
{
	return !f->prev_id || !*f->prev_id || !strcmp(f->prev_id, zero_id);
}

/*
 * What upPgHandler checks of the snapshots, in folder order (bytes, as
 * its sort): each parent present and sorting before its child, then one
 * first migration.
 */
static void check_up_order(struct mg_up_plan *p, struct mg_migdir *d)
{
	struct up_order *order = mg_xcalloc(p->nr + 1, sizeof(*order));
	size_t i, j, first = UP_NONE;
	int unreadable = 0;

	for (i = 0; i < p->nr; i++) {
		order[i].folder = p->items[i].folder ? p->items[i].folder : "";
		order[i].index = i;
		/* A parent may be there, in a snapshot already refused. */
		if (p->items[i].tag && !up_fields(p, d, i))
			unreadable = 1;
	}
	qsort(order, p->nr, sizeof(*order), cmp_up_order);
	for (i = 0; i < p->nr; i++) {
		const struct mg_snapshot_fields *f, *g = NULL;
		size_t k = order[i].index;
		struct mg_up_move *mv = &p->items[k];

		f = up_fields(p, d, k);
		if (!f || is_first(f))
			continue;
		for (j = 0; j < p->nr; j++) {
			g = up_fields(p, d, j);
			if (g && g->id && !strcmp(g->id, f->prev_id))
				break;
		}
		if (j == p->nr && !unreadable) {
			refuse(p, MG_UP_PARENT_MISSING, k, UP_NONE,
			       mg_xstrfmt("a migration was deleted in the "
					  "middle of the history: migration %s "
					  "follows the snapshot %s, and no "
					  "migration in the folder has this "
					  "snapshot", mv->tag, f->prev_id),
			       mg_xstrfmt("restore the missing migration from "
					  "git; if that is not possible, delete "
					  "%s and every later migration, run "
					  "drizzle-kit up, and generate them "
					  "again", mv->tag));
		} else if (j < p->nr && mv->folder && p->items[j].folder &&
			   !mg_folder_sorts_after(mv->folder,
						  p->items[j].folder)) {
			const struct mg_migration *parent = &d->items[j];

			refuse(p, MG_UP_SORTS_BEFORE_PARENT, k, j,
			       mg_xstrfmt("after drizzle-kit up moves the "
					  "migrations into folders, migration "
					  "%s sorts before its parent %s, so "
					  "migrate can run it first "
					  "('%s' <= '%s': drizzle-kit up names "
					  "each folder after the time in `when` "
					  "of its journal entry)", mv->tag,
					  parent->tag, mv->folder,
					  p->items[j].folder),
			       mg_xstrfmt("in %s, set `when` of %s to a time "
					  "at least one second after `when` of "
					  "%s (%lld or later), then run "
					  "drizzle-kit up again", d->journal_path,
					  mv->tag, parent->tag,
					  parent->when + 1000));
		}
	}
	for (i = 0; i < p->nr; i++) {
		const struct mg_snapshot_fields *f;
		size_t k = order[i].index;

		f = up_fields(p, d, k);
		if (!f || !is_first(f))
			continue;
		if (first == UP_NONE) {
			first = k;
			continue;
		}
		refuse(p, MG_UP_TWO_FIRSTS, k, first,
		       mg_xstrfmt("the folder has two first migrations, %s "
				  "and %s, and a folder must have one",
				  p->items[first].tag, p->items[k].tag),
		       mg_xstrdup("delete one of the two migrations together "
				  "with every migration that follows it, run "
				  "drizzle-kit up again, and then run "
				  "drizzle-kit generate"));
		break;
	}
	free(order);
}

int mg_up_plan_make(struct mg_up_plan *out, struct mg_migdir *d)
{
	size_t i, alloc = 0;

	memset(out, 0, sizeof(*out));
	out->items = mg_xcalloc(d->nr + 1, sizeof(*out->items));
	out->nr = d->nr;
	/* planFoldersV3, entry by entry. */
	for (i = 0; i < d->nr; i++) {
		struct mg_up_move *mv = &out->items[i];

		if (!d->items[i].tag)
			continue;
		plan_move(mv, d, &d->items[i]);
		if (!mv->has_snapshot)
			refuse(out, MG_UP_NO_SNAPSHOT, i, UP_NONE,
			       mg_xstrfmt("journal entry %s has no snapshot "
					  "'%s' (drizzle-kit up stops: \"No "
					  "snapshot was found\")", mv->tag,
					  mv->snapshot_path),
			       mg_xstrfmt("restore '%s' from git, then run "
					  "drizzle-kit up", mv->snapshot_path));
		else if (mv->sql_ambiguous)
			refuse(out, MG_UP_SQL_AMBIGUOUS, i, UP_NONE,
			       mg_xstrfmt("journal entry %s has no %s.sql and "
					  "several other .sql files with its "
					  "prefix (drizzle-kit up stops: "
					  "\"Several sql files were found\")",
					  mv->tag, mv->tag),
			       mg_xstrfmt("keep one .sql file named %s.sql",
					  mv->tag));
	}
	/* upPgHandler: an entry without SQL, then each snapshot's JSON. */
	for (i = 0; i < out->nr; i++)
		if (out->items[i].tag && !out->items[i].sql_path &&
		    !out->items[i].sql_ambiguous)
			refuse(out, MG_UP_NO_SQL, i, UP_NONE,
			       mg_xstrfmt("journal entry %s has no SQL file: "
					  "drizzle-kit expects it at %s",
					  out->items[i].tag,
					  d->items[i].sql_path ?
					  d->items[i].sql_path : "?"),
			       mg_xstrdup("restore this file from git, then "
					  "run drizzle-kit up"));
	for (i = 0; i < out->nr; i++) {
		const struct mg_snapshot_fields *f;

		if (out->items[i].tag && out->items[i].has_snapshot &&
		    mg_migdir_snapshot_fields(d, &d->items[i], &f) ==
			    MG_ERROR)
			refuse(out, MG_UP_SNAPSHOT_MALFORMED, i, UP_NONE,
			       mg_xstrfmt("%s data is malformed (not JSON): "
					  "drizzle-kit up cannot convert %s",
					  out->items[i].snapshot_path,
					  out->items[i].tag),
			       mg_xstrdup("restore the file from git, or fix "
					  "the JSON in it by hand"));
	}
	check_up_order(out, d);
	for (i = 0; i < d->files.nr; i++) {
		const char *p = d->files.items[i].path;
		const char *rel = below(p, d->path);
		size_t j;

		if (!rel || strchr(rel, '/') || !mg_ends_with(rel, ".sql"))
			continue;
		for (j = 0; j < out->nr; j++)
			if (out->items[j].sql_path &&
			    !strcmp(out->items[j].sql_path, p))
				break;
		if (j < out->nr)
			continue;
		out->left_sql_nr++;
		MG_ALLOC_GROW(out->left_sql, out->left_sql_nr, alloc);
		out->left_sql[out->left_sql_nr - 1] = mg_xstrdup(p);
	}
	return 0;
}

void mg_up_plan_release(struct mg_up_plan *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++) {
		free(p->items[i].folder);
		free(p->items[i].sql_path);
		free(p->items[i].snapshot_path);
	}
	free(p->items);
	for (i = 0; i < p->left_sql_nr; i++)
		free(p->left_sql[i]);
	free(p->left_sql);
	free(p->refusal);
	for (i = 0; i < p->refusals_nr; i++) {
		free(p->refusals[i].message);
		free(p->refusals[i].hint);
	}
	free(p->refusals);
	memset(p, 0, sizeof(*p));
}

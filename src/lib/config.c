#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "migguard/config.h"
#include "migguard/glob.h"
#include "migguard/json.h"
#include "migguard/srcmap.h"
#include "migguard/tsscan.h"

#define CONFIG_FILE ".migguard.json"

/* Parsing state for error positions. */
struct cfg_src {
	const char *path;
	const char *buf;
	size_t len;
	struct mg_srcmap map;
};

static int cfg_error(struct cfg_src *src, size_t offset, const char *fmt,
		     ...) MG_PRINTF(3, 4);

static int cfg_error(struct cfg_src *src, size_t offset, const char *fmt,
		     ...)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	unsigned line, col;
	va_list ap;

	mg_srcmap_locate(&src->map, offset, &line, &col);
	mg_strbuf_addf(&sb, "%s:%u:%u: ", src->path, line, col);
	va_start(ap, fmt);
	mg_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	mg_error_set("%s", sb.buf);
	mg_strbuf_release(&sb);
	return MG_ERROR;
}

static void set_str(char **dst, const char *value)
{
	free(*dst);
	*dst = value ? mg_xstrdup(value) : NULL;
}

static void config_defaults(struct mg_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	/* The conventions are off until configured or inferred. */
	cfg->lint.guards_from_index = -1;
	set_str(&cfg->apply.database_url_env, "DATABASE_URL");
	set_str(&cfg->apply.pre_push, "dry-run");
}

static void project_release(struct mg_project *p)
{
	free(p->name);
	free(p->config_path);
	free(p->root);
	free(p->run_dir);
	mg_strlist_release(&p->schema);
	mg_strlist_release(&p->schema_entries);
	free(p->migrations);
	free(p->prefix);
	free(p->migrations_table);
	free(p->migrations_schema);
	free(p->generate_command);
	free(p->migrator);
	memset(p, 0, sizeof(*p));
}

void mg_project_release(struct mg_project *p)
{
	project_release(p);
}

void mg_config_release(struct mg_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->projects_nr; i++)
		project_release(&cfg->projects[i]);
	free(cfg->projects);
	free(cfg->source);
	mg_strlist_release(&cfg->severity_rules);
	free(cfg->severity_values);
	free(cfg->severity_lines);
	free(cfg->lint.tenant_column);
	free(cfg->lint.tenant_role);
	free(cfg->lint.fk_on_delete);
	for (i = 0; i < cfg->docs_nr; i++) {
		mg_strlist_release(&cfg->docs[i].when);
		mg_strlist_release(&cfg->docs[i].pages);
	}
	free(cfg->docs);
	mg_strlist_release(&cfg->docs_roots);
	mg_strlist_release(&cfg->pair_ignore);
	free(cfg->apply.database_url_env);
	free(cfg->apply.pre_push);
	free(cfg->apply.migrations_schema);
	free(cfg->apply.migrations_table);
	free(cfg->protected_ref);
	memset(cfg, 0, sizeof(*cfg));
}

/*
 * A schema entry: a file means its folder is watched (drizzle-kit reads the
 * file and what it imports, which lives beside it); folders and globs are
 * kept as they are.
 */
/* A schema path as watched: a schema file means its folder. */
static void schema_watch_path(char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (!mg_glob_has_magic(path) && strchr(base, '.') &&
	    (mg_ends_with(path, ".ts") || mg_ends_with(path, ".js") ||
	     mg_ends_with(path, ".mts") || mg_ends_with(path, ".cts") ||
	     mg_ends_with(path, ".mjs") || mg_ends_with(path, ".cjs") ||
	     mg_ends_with(path, ".tsx"))) {
		char *slash = strrchr(path, '/');

		if (slash)
			*slash = '\0';
		else
			path[0] = '\0';
	}
}

static void add_schema_watch(struct mg_project *p, char *path)
{
	if (!mg_strlist_has(&p->schema_entries, path))
		mg_strlist_push(&p->schema_entries, path);
	schema_watch_path(path);
	if (!mg_strlist_has(&p->schema, path))
		mg_strlist_push(&p->schema, path);
	free(path);
}

struct str_index {
	const char *s;
	size_t i;
};

static int cmp_str_index(const void *a_, const void *b_)
{
	const struct str_index *a = a_, *b = b_;
	int c = strcmp(a->s, b->s);

	if (c)
		return c;
	return a->i < b->i ? -1 : a->i > b->i;
}

/*
 * items[0..nr) with their indexes, sorted by string, then by index: equal
 * strings end up next to each other, the first one first. In n log n,
 * where a has-check per item is quadratic on a 10 MiB config.
 */
static struct str_index *sorted_strings(const char *const *items, size_t nr)
{
	struct str_index *v = mg_xcalloc(nr ? nr : 1, sizeof(*v));
	size_t i;

	for (i = 0; i < nr; i++) {
		v[i].s = items[i];
		v[i].i = i;
	}
	qsort(v, nr, sizeof(*v), cmp_str_index);
	return v;
}

/* A new project watches every path of paths, each once, in order. */
static void add_schema_watches(struct mg_project *p, struct mg_strlist *paths)
{
	struct str_index *v;
	size_t i;
	char *keep;

	for (i = 0; i < paths->nr; i++) {
		mg_strlist_push(&p->schema_entries, paths->items[i]);
		schema_watch_path(paths->items[i]);
	}
	v = sorted_strings((const char *const *)paths->items, paths->nr);
	keep = mg_xcalloc(paths->nr ? paths->nr : 1, 1);
	for (i = 0; i < paths->nr; i++)
		keep[v[i].i] = !i || strcmp(v[i - 1].s, v[i].s);
	for (i = 0; i < paths->nr; i++)
		if (keep[i])
			mg_strlist_push(&p->schema, paths->items[i]);
	free(keep);
	free(v);
}

static void project_defaults(struct mg_project *p)
{
	if (!p->prefix)
		p->prefix = mg_xstrdup("index");
	if (!p->migrations_table)
		p->migrations_table = mg_xstrdup("__drizzle_migrations");
	if (!p->migrations_schema)
		p->migrations_schema = mg_xstrdup("drizzle");
	if (!p->migrator)
		p->migrator = mg_xstrdup("drizzle");
}

int mg_project_drizzle_migrator(const struct mg_project *p)
{
	return !p->migrator || !strcmp(p->migrator, "drizzle");
}

static struct mg_project *add_project(struct mg_config *cfg)
{
	struct mg_project *p;

	cfg->projects_nr++;
	MG_ALLOC_GROW(cfg->projects, cfg->projects_nr, cfg->projects_alloc);
	p = &cfg->projects[cfg->projects_nr - 1];
	memset(p, 0, sizeof(*p));
	return p;
}

/* .migguard.json */

static int want_type(struct cfg_src *src, const struct mg_json *v,
		     enum mg_json_type type, const char *what)
{
	if (v->type == type ||
	    (type == MG_JSON_TRUE && v->type == MG_JSON_FALSE))
		return 0;
	return cfg_error(src, v->offset, "%s must be %s, not %s", what,
			 type == MG_JSON_TRUE ? "true or false"
					      : mg_json_type_name(type),
			 mg_json_type_name(v->type));
}

static int check_keys(struct cfg_src *src, const struct mg_json *obj,
		      const char *what, const char *const *allowed)
{
	size_t i, k;

	for (i = 0; i < obj->nr; i++) {
		for (k = 0; allowed[k]; k++)
			if (!strcmp(obj->children[i]->key, allowed[k]))
				break;
		if (!allowed[k])
			return cfg_error(src, obj->children[i]->key_offset,
					 "unknown key '%s' in %s",
					 obj->children[i]->key, what);
	}
	return 0;
}

/* A string or an array of strings, as repository paths or globs. */
static int read_paths(struct cfg_src *src, const struct mg_json *v,
		      const char *what, struct mg_strlist *out, int as_path)
{
	size_t i, n = v->type == MG_JSON_ARRAY ? v->nr : 1;

	if (v->type != MG_JSON_STRING && v->type != MG_JSON_ARRAY)
		return cfg_error(src, v->offset,
				 "%s must be a string or an array of strings",
				 what);
	for (i = 0; i < n; i++) {
		const struct mg_json *s =
			v->type == MG_JSON_ARRAY ? v->children[i] : v;
		char *norm;

		if (s->type != MG_JSON_STRING)
			return cfg_error(src, s->offset,
					 "%s must hold strings, not %s", what,
					 mg_json_type_name(s->type));
		if (!as_path) {
			mg_strlist_push(out, s->string);
			continue;
		}
		norm = mg_path_normalize("", s->string);
		if (!norm)
			return cfg_error(src, s->offset,
				"%s: '%s' is outside the repository (write a "
				"path relative to the repository root)",
				what, s->string);
		mg_strlist_push_owned(out, norm);
	}
	return 0;
}

static int read_string(struct cfg_src *src, const struct mg_json *obj,
		       const char *key, const char *what, char **out)
{
	const struct mg_json *v = mg_json_get(obj, key);

	if (!v)
		return 0;
	if (want_type(src, v, MG_JSON_STRING, what) < 0)
		return MG_ERROR;
	set_str(out, v->string);
	return 0;
}

static int read_bool(struct cfg_src *src, const struct mg_json *obj,
		     const char *key, const char *what, int *out)
{
	const struct mg_json *v = mg_json_get(obj, key);

	if (!v)
		return 0;
	if (want_type(src, v, MG_JSON_TRUE, what) < 0)
		return MG_ERROR;
	*out = v->type == MG_JSON_TRUE;
	return 0;
}

/*
 * Project names are unique: the pre-push apply and --project pick a
 * project by name, and would run the wrong one. The error is at the
 * second project of the first pair in the text, naming both lines.
 */
static int check_project_names(struct mg_config *cfg, struct cfg_src *src,
			       const struct mg_json *v)
{
	const char **names = mg_xcalloc(v->nr ? v->nr : 1, sizeof(*names));
	struct str_index *sorted;
	size_t i, first = 0, second = 0;
	int err = 0;

	for (i = 0; i < v->nr; i++)
		names[i] = cfg->projects[cfg->projects_nr - v->nr + i].name;
	sorted = sorted_strings(names, v->nr);
	for (i = 1; i < v->nr; i++) {
		if (strcmp(sorted[i - 1].s, sorted[i].s))
			continue;
		if (i >= 2 && !strcmp(sorted[i - 2].s, sorted[i].s))
			continue; /* a third: the pair before counts */
		if (!second || sorted[i].i < second) {
			first = sorted[i - 1].i;
			second = sorted[i].i;
		}
	}
	if (second) {
		const struct mg_json *a = v->children[first];
		const struct mg_json *b = v->children[second];
		const struct mg_json *name = mg_json_get(b, "name");
		unsigned line_a, line_b, col;

		if (mg_json_get(a, "name"))
			a = mg_json_get(a, "name");
		mg_srcmap_locate(&src->map, a->offset, &line_a, &col);
		mg_srcmap_locate(&src->map, (name ? name : b)->offset,
				 &line_b, &col);
		err = cfg_error(src, (name ? name : b)->offset,
				"two projects are named '%s' (lines %u and "
				"%u): give each its own \"name\"",
				names[second], line_a, line_b);
	}
	free(sorted);
	free(names);
	return err;
}

static int parse_projects(struct mg_config *cfg, struct cfg_src *src,
			  const struct mg_json *v)
{
	static const char *const keys[] = { "name", "schema", "migrations",
		"prefix", "migrationsTable", "migrationsSchema", "generate",
		"migrator", NULL };
	size_t i;

	if (want_type(src, v, MG_JSON_ARRAY, "\"projects\"") < 0)
		return MG_ERROR;
	for (i = 0; i < v->nr; i++) {
		const struct mg_json *o = v->children[i];
		const struct mg_json *schema, *migrations;
		struct mg_strlist paths = MG_STRLIST_INIT;
		struct mg_project *p;
		int err;

		if (want_type(src, o, MG_JSON_OBJECT, "a project") < 0 ||
		    check_keys(src, o, "a project", keys) < 0)
			return MG_ERROR;
		schema = mg_json_get(o, "schema");
		migrations = mg_json_get(o, "migrations");
		if (!schema || !migrations)
			return cfg_error(src, o->offset,
				"a project needs \"schema\" and \"migrations\"");
		p = add_project(cfg);
		p->config_path = mg_xstrdup(CONFIG_FILE);
		p->root = mg_xstrdup("");
		err = read_paths(src, schema, "\"schema\"", &paths, 1);
		add_schema_watches(p, &paths);
		mg_strlist_release(&paths);
		if (err < 0)
			return err;
		if (want_type(src, migrations, MG_JSON_STRING,
			      "\"migrations\"") < 0)
			return MG_ERROR;
		p->migrations = mg_path_normalize("", migrations->string);
		if (!p->migrations || !*p->migrations)
			return cfg_error(src, migrations->offset,
				"\"migrations\" must be a folder inside the "
				"repository, not '%s'", migrations->string);
		if (read_string(src, o, "name", "\"name\"", &p->name) < 0 ||
		    read_string(src, o, "prefix", "\"prefix\"", &p->prefix) <
			    0 ||
		    read_string(src, o, "migrationsTable",
				"\"migrationsTable\"", &p->migrations_table) <
			    0 ||
		    read_string(src, o, "migrationsSchema",
				"\"migrationsSchema\"",
				&p->migrations_schema) < 0 ||
		    read_string(src, o, "generate", "\"generate\"",
				&p->generate_command) < 0 ||
		    read_string(src, o, "migrator", "\"migrator\"",
				&p->migrator) < 0)
			return MG_ERROR;
		if (p->migrator && strcmp(p->migrator, "drizzle") &&
		    strcmp(p->migrator, "supabase") &&
		    strcmp(p->migrator, "none"))
			return cfg_error(src, mg_json_get(o, "migrator")->offset,
				"\"migrator\" must be \"drizzle\", \"supabase\" "
				"or \"none\", not '%s'", p->migrator);
		if (!p->name)
			p->name = mg_xstrdup(p->migrations);
		project_defaults(p);
	}
	return check_project_names(cfg, src, v);
}

static int parse_rules(struct mg_config *cfg, struct cfg_src *src,
		       const struct mg_json *v)
{
	size_t i;

	if (want_type(src, v, MG_JSON_OBJECT, "\"rules\"") < 0)
		return MG_ERROR;
	cfg->severity_values = mg_xcalloc(v->nr, sizeof(*cfg->severity_values));
	cfg->severity_lines = mg_xcalloc(v->nr, sizeof(*cfg->severity_lines));
	for (i = 0; i < v->nr; i++) {
		const struct mg_json *r = v->children[i];
		enum mg_severity sev;
		unsigned col;

		if (!mg_rule_find(r->key))
			return cfg_error(src, r->key_offset,
				"unknown rule '%s' (see 'migguard help rules')",
				r->key);
		if (r->type != MG_JSON_STRING ||
		    mg_severity_parse(&sev, r->string) < 0)
			return cfg_error(src, r->offset,
				"the severity of '%s' must be \"error\", "
				"\"warning\" or \"off\"", r->key);
		cfg->severity_values[cfg->severity_rules.nr] = sev;
		mg_srcmap_locate(&src->map, r->key_offset,
				 &cfg->severity_lines[cfg->severity_rules.nr],
				 &col);
		mg_strlist_push(&cfg->severity_rules, r->key);
	}
	return 0;
}

/* The line of member key of obj, 0 when absent. */
static unsigned key_line(struct cfg_src *src, const struct mg_json *obj,
			 const char *key)
{
	const struct mg_json *v = mg_json_get(obj, key);
	unsigned line = 0, col;

	if (v)
		mg_srcmap_locate(&src->map, v->key_offset, &line, &col);
	return line;
}

/* A lint boolean ("enumGuards": true); false turns it off explicitly. */
static int read_lint_flag(struct cfg_src *src, const struct mg_json *v,
			  const char *key, int *out, unsigned *line)
{
	char *what = mg_xstrfmt("\"%s\"", key);
	int err = read_bool(src, v, key, what, out);

	free(what);
	if (err >= 0)
		*line = key_line(src, v, key);
	return err;
}

static int parse_lint(struct mg_config *cfg, struct cfg_src *src,
		      const struct mg_json *v)
{
	static const char *const keys[] = { "guardsFromIndex", "tenant",
		"fkOnDelete", "enumGuards", "extensionGuards", "manualHeader",
		NULL };
	static const char *const tenant_keys[] = { "column", "role", NULL };
	static const char *const actions[] = { "cascade", "restrict",
		"no action", "set null", "set default", NULL };
	struct mg_lint_configured *set = &cfg->lint_set;
	const struct mg_json *g, *t, *f;
	size_t i;

	if (want_type(src, v, MG_JSON_OBJECT, "\"lint\"") < 0 ||
	    check_keys(src, v, "\"lint\"", keys) < 0)
		return MG_ERROR;
	g = mg_json_get(v, "guardsFromIndex");
	if (g && g->type == MG_JSON_FALSE) {
		cfg->lint.guards_from_index = -1;
	} else if (g) {
		if (g->type != MG_JSON_NUMBER || !g->is_integer ||
		    g->number < 0 || g->number > 1e9)
			return cfg_error(src, g->offset,
				"\"guardsFromIndex\" must be a whole number "
				"(the first migration idx that needs IF NOT "
				"EXISTS guards) or false");
		cfg->lint.guards_from_index = (int)g->number;
	}
	set->guards_from_index = key_line(src, v, "guardsFromIndex");
	t = mg_json_get(v, "tenant");
	if (t && t->type == MG_JSON_FALSE) {
		set_str(&cfg->lint.tenant_column, NULL);
		set_str(&cfg->lint.tenant_role, NULL);
	} else if (t) {
		if (want_type(src, t, MG_JSON_OBJECT, "\"tenant\"") < 0 ||
		    check_keys(src, t, "\"tenant\"", tenant_keys) < 0 ||
		    read_string(src, t, "column", "\"column\"",
				&cfg->lint.tenant_column) < 0 ||
		    read_string(src, t, "role", "\"role\"",
				&cfg->lint.tenant_role) < 0)
			return MG_ERROR;
		if (!cfg->lint.tenant_column)
			return cfg_error(src, t->offset,
				"\"tenant\" needs a \"column\" (or write "
				"\"tenant\": false)");
	}
	set->tenant = key_line(src, v, "tenant");
	if (read_lint_flag(src, v, "enumGuards", &cfg->lint.enum_guards,
			   &set->enum_guards) < 0 ||
	    read_lint_flag(src, v, "extensionGuards",
			   &cfg->lint.extension_guards,
			   &set->extension_guards) < 0 ||
	    read_lint_flag(src, v, "manualHeader", &cfg->lint.manual_header,
			   &set->manual_header) < 0)
		return MG_ERROR;
	f = mg_json_get(v, "fkOnDelete");
	set->fk_on_delete = key_line(src, v, "fkOnDelete");
	if (!f)
		return 0;
	if (f->type == MG_JSON_FALSE) {
		set_str(&cfg->lint.fk_on_delete, NULL);
		return 0;
	}
	if (read_string(src, v, "fkOnDelete", "\"fkOnDelete\"",
			&cfg->lint.fk_on_delete) < 0)
		return MG_ERROR;
	for (i = 0; actions[i]; i++)
		if (!strcmp(actions[i], cfg->lint.fk_on_delete))
			return 0;
	return cfg_error(src, f->offset,
		"\"fkOnDelete\" must be one of cascade, restrict, no action, "
		"set null, set default, or false");
}

static int parse_docs(struct mg_config *cfg, struct cfg_src *src,
		      const struct mg_json *v)
{
	static const char *const keys[] = { "when", "pages", NULL };
	size_t i, counted = 0;
	unsigned line = 1;

	if (want_type(src, v, MG_JSON_ARRAY, "\"docs\"") < 0)
		return MG_ERROR;
	for (i = 0; i < v->nr; i++) {
		const struct mg_json *o = v->children[i];
		const struct mg_json *when, *pages;
		struct mg_docs_map *m;

		if (want_type(src, o, MG_JSON_OBJECT, "a docs mapping") < 0 ||
		    check_keys(src, o, "a docs mapping", keys) < 0)
			return MG_ERROR;
		when = mg_json_get(o, "when");
		pages = mg_json_get(o, "pages");
		if (!when || !pages)
			return cfg_error(src, o->offset,
				"a docs mapping needs \"when\" and \"pages\"");
		cfg->docs_nr++;
		MG_ALLOC_GROW(cfg->docs, cfg->docs_nr, cfg->docs_alloc);
		m = &cfg->docs[cfg->docs_nr - 1];
		memset(m, 0, sizeof(*m));
		/*
		 * Mappings come in text order: count the lines between
		 * them, where locating each one on a long line is slow.
		 */
		for (; counted < o->offset; counted++)
			line += src->buf[counted] == '\n';
		m->line = line;
		if (read_paths(src, when, "\"when\"", &m->when, 1) < 0 ||
		    read_paths(src, pages, "\"pages\"", &m->pages, 1) < 0)
			return MG_ERROR;
	}
	return 0;
}

static int parse_apply(struct mg_config *cfg, struct cfg_src *src,
		       const struct mg_json *v)
{
	static const char *const keys[] = { "databaseUrlEnv", "prePush",
		"required", "allowRemote", "migrationsSchema",
		"migrationsTable", NULL };
	const char *pp, *name;

	if (want_type(src, v, MG_JSON_OBJECT, "\"apply\"") < 0 ||
	    check_keys(src, v, "\"apply\"", keys) < 0 ||
	    read_string(src, v, "databaseUrlEnv", "\"databaseUrlEnv\"",
			&cfg->apply.database_url_env) < 0 ||
	    read_string(src, v, "prePush", "\"prePush\"",
			&cfg->apply.pre_push) < 0 ||
	    read_bool(src, v, "required", "\"required\"",
		      &cfg->apply.required) < 0 ||
	    read_bool(src, v, "allowRemote", "\"allowRemote\"",
		      &cfg->apply.allow_remote) < 0 ||
	    read_string(src, v, "migrationsSchema", "\"migrationsSchema\"",
			&cfg->apply.migrations_schema) < 0 ||
	    read_string(src, v, "migrationsTable", "\"migrationsTable\"",
			&cfg->apply.migrations_table) < 0)
		return MG_ERROR;
	/* An environment variable's name, nothing else. */
	name = cfg->apply.database_url_env;
	if (name && (!*name || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					    "abcdefghijklmnopqrstuvwxyz"
					    "0123456789_") != strlen(name) ||
		     (*name >= '0' && *name <= '9')))
		return cfg_error(src, mg_json_get(v, "databaseUrlEnv")->offset,
			"\"databaseUrlEnv\" must name an environment "
			"variable (letters, digits, '_')");
	/* NULL when parsed without mg_config_load's defaults (tests). */
	pp = cfg->apply.pre_push;
	if (pp && strcmp(pp, "dry-run") && strcmp(pp, "apply") &&
	    strcmp(pp, "fresh") && strcmp(pp, "off"))
		return cfg_error(src, mg_json_get(v, "prePush")->offset,
			"\"prePush\" must be \"dry-run\", \"apply\", "
			"\"fresh\" or \"off\"");
	return 0;
}

static int parse_pair(struct mg_config *cfg, struct cfg_src *src,
		      const struct mg_json *v)
{
	static const char *const keys[] = { "ignore", NULL };
	const struct mg_json *ignore;

	if (want_type(src, v, MG_JSON_OBJECT, "\"pair\"") < 0 ||
	    check_keys(src, v, "\"pair\"", keys) < 0)
		return MG_ERROR;
	ignore = mg_json_get(v, "ignore");
	if (ignore && read_paths(src, ignore, "\"pair.ignore\"",
				 &cfg->pair_ignore, 1) < 0)
		return MG_ERROR;
	return 0;
}

static int parse_json_config(struct mg_config *cfg, struct cfg_src *src)
{
	static const char *const keys[] = { "$schema", "projects", "rules",
		"lint", "docs", "docsRoots", "pair", "apply", "protectedRef",
		NULL };
	struct mg_json *root = NULL;
	const struct mg_json *v;
	size_t err_offset = 0;
	int err;

	if (src->len >= 3 && !memcmp(src->buf, "\xEF\xBB\xBF", 3))
		return cfg_error(src, 0, "the file starts with a byte order "
			"mark: save it as UTF-8 without BOM");
	err = mg_json_parse(&root, src->buf, src->len, &err_offset);
	if (err < 0) {
		char *msg = mg_xstrdup(mg_error_last());

		err = cfg_error(src, err_offset, "%s", msg);
		free(msg);
		return err;
	}
	err = MG_ERROR;
	if (want_type(src, root, MG_JSON_OBJECT, "the configuration") < 0 ||
	    check_keys(src, root, CONFIG_FILE, keys) < 0)
		goto out;
	v = mg_json_get(root, "projects");
	if (v && parse_projects(cfg, src, v) < 0)
		goto out;
	v = mg_json_get(root, "rules");
	if (v && parse_rules(cfg, src, v) < 0)
		goto out;
	v = mg_json_get(root, "lint");
	if (v && parse_lint(cfg, src, v) < 0)
		goto out;
	v = mg_json_get(root, "docs");
	if (v && parse_docs(cfg, src, v) < 0)
		goto out;
	v = mg_json_get(root, "docsRoots");
	if (v && read_paths(src, v, "\"docsRoots\"", &cfg->docs_roots, 1) < 0)
		goto out;
	v = mg_json_get(root, "pair");
	if (v && parse_pair(cfg, src, v) < 0)
		goto out;
	v = mg_json_get(root, "apply");
	if (v && parse_apply(cfg, src, v) < 0)
		goto out;
	if (read_string(src, root, "protectedRef", "\"protectedRef\"",
			&cfg->protected_ref) < 0)
		goto out;
	err = 0;
out:
	mg_json_free(root);
	return err;
}

int mg_config_parse_json(struct mg_config *cfg, const char *path,
			 const char *buf, size_t len)
{
	struct cfg_src src = { path, buf, len, { 0 } };
	int err;

	mg_srcmap_init(&src.map, buf, len);
	err = parse_json_config(cfg, &src);
	mg_srcmap_release(&src.map);
	return err;
}

/*
 * drizzle.config.{ts,js,mjs,cjs}: we cannot run TypeScript, so a small
 * scanner reads the object literal: string values of keys, with the path
 * of enclosing keys ("migrations.prefix"). Comments and template strings
 * are skipped; values that are expressions are ignored.
 */
enum ts_tok { TS_END, TS_IDENT, TS_STRING, TS_PUNCT };

struct ts_lexer {
	const char *buf;
	size_t len, pos;
	enum ts_tok tok;
	char *text; /* identifier or decoded string */
	char punct;
};

static void ts_next(struct ts_lexer *lx)
{
	const char *b = lx->buf;

	free(lx->text);
	lx->text = NULL;
	lx->pos = mg_ts_skip_blank(b, lx->len, lx->pos);
	if (lx->pos >= lx->len) {
		lx->tok = TS_END;
		return;
	}
	if (b[lx->pos] == '"' || b[lx->pos] == '\'' || b[lx->pos] == '`') {
		struct mg_strbuf sb = MG_STRBUF_INIT;
		char q = b[lx->pos++];
		int plain = 1;

		while (lx->pos < lx->len && b[lx->pos] != q) {
			if (b[lx->pos] == '\\' && lx->pos + 1 < lx->len)
				lx->pos++;
			else if (q == '`' && b[lx->pos] == '$')
				plain = 0; /* ${...}: not a literal */
			mg_strbuf_addch(&sb, b[lx->pos++]);
		}
		lx->pos++;
		lx->tok = TS_STRING;
		lx->text = mg_strbuf_detach(&sb, NULL);
		if (!plain) {
			lx->tok = TS_PUNCT;
			lx->punct = '`';
		}
		return;
	}
	if ((b[lx->pos] >= 'a' && b[lx->pos] <= 'z') ||
	    (b[lx->pos] >= 'A' && b[lx->pos] <= 'Z') || b[lx->pos] == '_' ||
	    b[lx->pos] == '$') {
		size_t start = lx->pos;

		while (lx->pos < lx->len &&
		       ((b[lx->pos] >= 'a' && b[lx->pos] <= 'z') ||
			(b[lx->pos] >= 'A' && b[lx->pos] <= 'Z') ||
			(b[lx->pos] >= '0' && b[lx->pos] <= '9') ||
			b[lx->pos] == '_' || b[lx->pos] == '$'))
			lx->pos++;
		lx->tok = TS_IDENT;
		lx->text = mg_xstrndup(b + start, lx->pos - start);
		return;
	}
	lx->tok = TS_PUNCT;
	lx->punct = b[lx->pos++];
}

struct ts_found {
	char *dialect;
	char *driver; /* drizzle-kit before 0.21 named the database so */
	struct mg_strlist schema;
	char *out;
	char *prefix, *table, *schema_name;
	int schema_found;
};

static void ts_assign(struct ts_found *f, const char *keypath,
		      struct mg_strlist *values)
{
	char **dst = NULL;

	if (!strcmp(keypath, "schema")) {
		size_t i;

		f->schema_found = 1;
		for (i = 0; i < values->nr; i++)
			mg_strlist_push(&f->schema, values->items[i]);
		return;
	}
	if (!values->nr)
		return;
	if (!strcmp(keypath, "dialect"))
		dst = &f->dialect;
	else if (!strcmp(keypath, "driver"))
		dst = &f->driver;
	else if (!strcmp(keypath, "out"))
		dst = &f->out;
	else if (!strcmp(keypath, "migrations.prefix"))
		dst = &f->prefix;
	else if (!strcmp(keypath, "migrations.table"))
		dst = &f->table;
	else if (!strcmp(keypath, "migrations.schema"))
		dst = &f->schema_name;
	if (dst)
		set_str(dst, values->items[0]);
}

static void ts_scan(struct ts_found *f, const char *buf, size_t len)
{
	struct ts_lexer lx = { buf, len, 0, TS_END, NULL, 0 };
	struct mg_strlist stack = MG_STRLIST_INIT; /* keys of open objects */
	char *key = NULL;

	ts_next(&lx);
	while (lx.tok != TS_END) {
		if (!key && (lx.tok == TS_IDENT || lx.tok == TS_STRING)) {
			char *name = mg_xstrdup(lx.text);

			ts_next(&lx);
			if (lx.tok == TS_PUNCT && lx.punct == ':') {
				free(key);
				key = name;
				ts_next(&lx);
			} else {
				free(name);
			}
			continue;
		}
		if (lx.tok == TS_PUNCT && lx.punct == '{') {
			/* "" marks an object that is not a key's value. */
			mg_strlist_push(&stack, key ? key : "");
			free(key);
			key = NULL;
			ts_next(&lx);
			continue;
		}
		if (lx.tok == TS_PUNCT && lx.punct == '}') {
			if (stack.nr)
				free(stack.items[--stack.nr]);
			free(key);
			key = NULL;
			ts_next(&lx);
			continue;
		}
		if (key) {
			struct mg_strbuf path = MG_STRBUF_INIT;
			struct mg_strlist values = MG_STRLIST_INIT;
			size_t i;

			for (i = 0; i < stack.nr; i++) {
				if (!stack.items[i][0])
					continue;
				mg_strbuf_adds(&path, stack.items[i]);
				mg_strbuf_addch(&path, '.');
			}
			mg_strbuf_adds(&path, key);
			if (lx.tok == TS_STRING) {
				mg_strlist_push(&values, lx.text);
				ts_next(&lx);
			} else if (lx.tok == TS_PUNCT && lx.punct == '[') {
				ts_next(&lx);
				while (lx.tok != TS_END &&
				       !(lx.tok == TS_PUNCT &&
					 lx.punct == ']')) {
					if (lx.tok == TS_STRING)
						mg_strlist_push(&values,
								lx.text);
					ts_next(&lx);
				}
				ts_next(&lx);
			} else {
				ts_next(&lx);
			}
			ts_assign(f, path.buf, &values);
			mg_strlist_release(&values);
			mg_strbuf_release(&path);
			free(key);
			key = NULL;
			continue;
		}
		ts_next(&lx);
	}
	free(key);
	free(lx.text);
	mg_strlist_release(&stack);
}

static void json_found(struct ts_found *f, const struct mg_json *root)
{
	const struct mg_json *schema = mg_json_get(root, "schema");
	const struct mg_json *mig = mg_json_get(root, "migrations");
	size_t i;

	set_str(&f->dialect, mg_json_get_string(root, "dialect"));
	set_str(&f->driver, mg_json_get_string(root, "driver"));
	set_str(&f->out, mg_json_get_string(root, "out"));
	if (schema && schema->type == MG_JSON_STRING) {
		f->schema_found = 1;
		mg_strlist_push(&f->schema, schema->string);
	} else if (schema && schema->type == MG_JSON_ARRAY) {
		f->schema_found = 1;
		for (i = 0; i < schema->nr; i++)
			if (schema->children[i]->type == MG_JSON_STRING)
				mg_strlist_push(&f->schema,
						schema->children[i]->string);
	}
	set_str(&f->prefix, mg_json_get_string(mig, "prefix"));
	set_str(&f->table, mg_json_get_string(mig, "table"));
	set_str(&f->schema_name, mg_json_get_string(mig, "schema"));
}

int mg_config_parse_drizzle(struct mg_project *p, const char *path,
			    const char *buf, size_t len)
{
	return mg_config_parse_drizzle_at(p, path, buf, len, NULL);
}

int mg_config_parse_drizzle_at(struct mg_project *p, const char *path,
			       const char *buf, size_t len,
			       const char *run_dir)
{
	struct ts_found f;
	const char *slash = strrchr(path, '/');
	char *root = slash ? mg_xstrndup(path, (size_t)(slash - path))
			   : mg_xstrdup("");
	size_t i;
	int err = 0;

	memset(&f, 0, sizeof(f));
	memset(p, 0, sizeof(*p));
	if (mg_ends_with(path, ".json")) {
		struct mg_json *j = NULL;
		size_t off;

		if (mg_json_parse(&j, buf, len, &off) < 0) {
			err = mg_error_set("%s: invalid JSON at byte %zu: %s",
					   path, off, mg_error_last());
			goto out;
		}
		json_found(&f, j);
		mg_json_free(j);
	} else {
		ts_scan(&f, buf, len);
	}
	p->config_path = mg_xstrdup(path);
	p->root = root;
	root = NULL;
	p->run_dir = mg_xstrdup(run_dir ? run_dir : p->root);
	p->name = mg_xstrdup(p->root[0] ? p->root : ".");
	if (f.dialect && strcmp(f.dialect, "postgresql")) {
		/* Not ours: MG_ENOTFOUND tells the caller to skip it. */
		err = mg_error_set_code(MG_ENOTFOUND,
			"%s: dialect '%s' is not postgresql", path, f.dialect);
		goto out;
	}
	/*
	 * No dialect: drizzle-kit before 0.21 took the database from
	 * `driver` ("pg", "mysql2", "better-sqlite", "libsql", "turso",
	 * "d1", ...); today's drivers of PostgreSQL are "aws-data-api" and
	 * "pglite".
	 */
	if (!f.dialect && f.driver && strcmp(f.driver, "pg") &&
	    strcmp(f.driver, "aws-data-api") && strcmp(f.driver, "pglite")) {
		err = mg_error_set_code(MG_ENOTFOUND,
			"%s: driver '%s' is not postgresql", path, f.driver);
		goto out;
	}
	if (!f.schema_found || !f.schema.nr) {
		err = mg_error_set("%s: no \"schema\" string found; write it "
			"as a string literal, or describe the project in "
			".migguard.json", path);
		goto out;
	}
	for (i = 0; i < f.schema.nr; i++) {
		char *norm = mg_path_normalize(p->run_dir, f.schema.items[i]);

		if (!norm) {
			err = mg_error_set("%s: schema path '%s' is outside "
				"the repository", path, f.schema.items[i]);
			goto out;
		}
		add_schema_watch(p, norm);
	}
	/* drizzle-kit's default out folder is "drizzle". */
	p->migrations =
		mg_path_normalize(p->run_dir, f.out ? f.out : "drizzle");
	if (!p->migrations || !*p->migrations) {
		err = mg_error_set("%s: out folder '%s' is outside the "
				   "repository", path, f.out);
		goto out;
	}
	p->prefix = f.prefix;
	p->migrations_table = f.table;
	p->migrations_schema = f.schema_name;
	f.prefix = f.table = f.schema_name = NULL;
	project_defaults(p);
out:
	free(root);
	free(f.dialect);
	free(f.driver);
	mg_strlist_release(&f.schema);
	free(f.out);
	free(f.prefix);
	free(f.table);
	free(f.schema_name);
	if (err < 0)
		project_release(p);
	return err;
}

static int is_drizzle_config(const char *path)
{
	static const char *const names[] = { "drizzle.config.ts",
		"drizzle.config.js", "drizzle.config.mjs", "drizzle.config.cjs",
		"drizzle.config.mts", "drizzle.config.cts",
		"drizzle.config.json", NULL };
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	/* Every path of the index comes here: the cheap test first. */
	if (strncmp(base, "drizzle.config.", 15) ||
	    strstr(path, "node_modules/"))
		return 0;
	for (i = 0; names[i]; i++)
		if (!strcmp(base, names[i]))
			return 1;
	return 0;
}

/* The value of "--config X" or "--config=X" in a script, or NULL. */
static char *script_config(const char *script)
{
	const char *p = strstr(script, "--config");
	size_t n;

	if (!p)
		return NULL;
	p += strlen("--config");
	if (*p != '=' && *p != ' ')
		return NULL;
	while (*p == '=' || *p == ' ')
		p++;
	if (*p == '"' || *p == '\'') {
		char q = *p++;

		n = strcspn(p, q == '"' ? "\"" : "'");
	} else {
		n = strcspn(p, " ;&|");
	}
	return n ? mg_xstrndup(p, n) : NULL;
}

/* The script of pkg that passes --config naming path (from dir), or NULL. */
static const char *script_naming(const struct mg_json *pkg, const char *dir,
				 const char *path, int want_generate)
{
	const struct mg_json *scripts = mg_json_get(pkg, "scripts");
	size_t i;

	for (i = 0; scripts && scripts->type == MG_JSON_OBJECT &&
		    i < scripts->nr; i++) {
		const struct mg_json *s = scripts->children[i];
		char *cfg, *norm;
		int hit;

		if (s->type != MG_JSON_STRING ||
		    !strstr(s->string, "drizzle-kit") ||
		    (want_generate && (!strstr(s->string, "generate") ||
				       strstr(s->string, "--custom"))))
			continue;
		cfg = script_config(s->string);
		if (!cfg)
			continue;
		norm = mg_path_normalize(dir, cfg);
		hit = norm && !strcmp(norm, path);
		free(norm);
		free(cfg);
		if (hit)
			return s->key;
	}
	return NULL;
}

char *mg_config_run_dir(struct mg_tree *tree, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? mg_xstrndup(path, (size_t)(slash - path))
			  : mg_xstrdup("");
	char *cur = mg_xstrdup(dir);

	for (;;) {
		char *pkg_path = mg_path_join(cur, "package.json"), *buf = NULL;
		struct mg_json *pkg = NULL;
		size_t len;
		int hit = 0;

		if (mg_tree_read(tree, pkg_path, &buf, &len) >= 0 &&
		    mg_json_parse(&pkg, buf, len, NULL) >= 0)
			hit = script_naming(pkg, cur, path, 0) != NULL;
		mg_json_free(pkg);
		free(buf);
		free(pkg_path);
		if (hit) {
			free(dir);
			return cur;
		}
		if (!*cur)
			break;
		slash = strrchr(cur, '/');
		if (slash)
			cur[slash - cur] = '\0';
		else
			cur[0] = '\0';
	}
	free(cur);
	return dir;
}

/* "pnpm db:generate": the package.json script that runs generate. */
static char *find_generate_command(struct mg_tree *tree,
				   const struct mg_project *p,
				   const struct mg_tree_listing *all)
{
	char *pkg_path = mg_path_join(p->run_dir ? p->run_dir : p->root,
				      "package.json");
	char *buf = NULL, *cmd = NULL;
	struct mg_json *pkg = NULL;
	const struct mg_json *scripts;
	const char *runner = "npm run";
	size_t len, i;

	if (mg_tree_listing_find(all, "pnpm-lock.yaml"))
		runner = "pnpm";
	else if (mg_tree_listing_find(all, "yarn.lock"))
		runner = "yarn";
	else if (mg_tree_listing_find(all, "bun.lockb") ||
		 mg_tree_listing_find(all, "bun.lock"))
		runner = "bun run";
	if (mg_tree_read(tree, pkg_path, &buf, &len) < 0 ||
	    mg_json_parse(&pkg, buf, len, NULL) < 0)
		goto out;
	if (p->run_dir && strcmp(p->run_dir, p->root)) {
		/* run from elsewhere: the script that names this config */
		const char *key = script_naming(pkg, p->run_dir,
						p->config_path, 1);

		if (key)
			cmd = mg_xstrfmt("%s %s", runner, key);
		goto out;
	}
	scripts = mg_json_get(pkg, "scripts");
	for (i = 0; scripts && scripts->type == MG_JSON_OBJECT &&
		    i < scripts->nr; i++) {
		const struct mg_json *s = scripts->children[i];

		if (s->type == MG_JSON_STRING &&
		    strstr(s->string, "drizzle-kit generate") &&
		    !strstr(s->string, "--custom")) {
			cmd = mg_xstrfmt("%s %s", runner, s->key);
			break;
		}
	}
out:
	if (!cmd)
		cmd = mg_xstrdup("npx drizzle-kit generate");
	mg_json_free(pkg);
	free(buf);
	free(pkg_path);
	return cmd;
}

/* What loading needs from the whole tree: drizzle configs, lock files. */
static int config_match(const char *path, void *payload)
{
	(void)payload;
	return is_drizzle_config(path) ||
	       ((path[0] == 'p' || path[0] == 'y' || path[0] == 'b') &&
		(!strcmp(path, "pnpm-lock.yaml") ||
		 !strcmp(path, "yarn.lock") || !strcmp(path, "bun.lockb") ||
		 !strcmp(path, "bun.lock")));
}

static int discover(struct mg_config *cfg, struct mg_tree *tree,
		    const struct mg_tree_listing *all)
{
	size_t i;
	int err = 0;

	for (i = 0; i < all->nr; i++) {
		const struct mg_tree_entry *e = &all->items[i];
		struct mg_project found, *p;
		char *buf = NULL, *run_dir;
		size_t len;

		if (e->type != MG_ENTRY_FILE || !is_drizzle_config(e->path))
			continue;
		err = mg_tree_read(tree, e->path, &buf, &len);
		if (err < 0)
			return err;
		run_dir = mg_config_run_dir(tree, e->path);
		err = mg_config_parse_drizzle_at(&found, e->path, buf, len,
						 run_dir);
		free(run_dir);
		free(buf);
		if (err == MG_ENOTFOUND) {
			err = 0;
			continue;
		}
		if (err < 0)
			return err;
		p = add_project(cfg);
		*p = found;
	}
	return err;
}

/* A link's target holds something (else mg_migdir_load says so). */
static int real_folder_has_files(struct mg_tree *tree, const char *path)
{
	struct mg_tree_listing l;
	int found;

	found = mg_tree_list(tree, path, &l) == 0 && l.nr > 0;
	mg_tree_listing_release(&l);
	return found;
}

int mg_config_load(struct mg_config *cfg, struct mg_tree *tree)
{
	struct mg_tree_listing all = { 0 };
	char *buf = NULL;
	size_t len, i;
	int err;

	config_defaults(cfg);
	err = mg_tree_read(tree, CONFIG_FILE, &buf, &len);
	if (err >= 0) {
		cfg->source = mg_xstrdup(CONFIG_FILE);
		err = mg_config_parse_json(cfg, CONFIG_FILE, buf, len);
		free(buf);
		if (err < 0)
			goto out;
	} else if (err != MG_ENOTFOUND) {
		goto out;
	} else {
		cfg->source = mg_xstrdup("drizzle.config discovery");
	}
	if (!cfg->docs_roots.nr)
		mg_strlist_push(&cfg->docs_roots, "docs");
	err = mg_tree_list_matching(tree, config_match, NULL, &all);
	if (err < 0)
		goto out;
	if (!cfg->projects_nr) {
		err = discover(cfg, tree, &all);
		if (err < 0)
			goto out;
	}
	for (i = 0; i < cfg->projects_nr; i++) {
		struct mg_project *p = &cfg->projects[i];

		char *real = NULL;
		unsigned links = 0;

		/*
		 * A migrations folder that is a symbolic link to the real
		 * one (drizzle follows it): every check then reads and
		 * matches the real folder. A link out of the tree is left
		 * for mg_migdir_load to report.
		 */
		if (p->migrations && *p->migrations &&
		    mg_tree_resolve(tree, p->migrations, &real, &links) == 0 &&
		    links && real_folder_has_files(tree, real)) {
			free(p->migrations);
			p->migrations = real;
			real = NULL;
		}
		free(real);
		if (!p->generate_command)
			p->generate_command =
				find_generate_command(tree, p, &all);
		if (cfg->apply.migrations_table)
			set_str(&p->migrations_table,
				cfg->apply.migrations_table);
		if (cfg->apply.migrations_schema)
			set_str(&p->migrations_schema,
				cfg->apply.migrations_schema);
	}
	err = 0;
out:
	mg_tree_listing_release(&all);
	return err;
}

unsigned mg_config_rule_line(const struct mg_config *cfg, const char *rule,
			     enum mg_severity *sev)
{
	size_t i;

	for (i = 0; i < cfg->severity_rules.nr; i++) {
		if (strcmp(cfg->severity_rules.items[i], rule))
			continue;
		if (sev)
			*sev = cfg->severity_values[i];
		return cfg->severity_lines ? cfg->severity_lines[i] : 1;
	}
	return 0;
}

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* dir is the file system's root: its ".." is itself. */
static int is_root(const char *dir)
{
	char *up = mg_path_join(dir, "..");
	struct stat a, b;
	int ret = stat(dir, &a) < 0 || stat(up, &b) < 0 ||
		  (a.st_dev == b.st_dev && a.st_ino == b.st_ino);

	free(up);
	return ret;
}

int mg_config_load_dir(struct mg_config *cfg, const char *dir, int *found)
{
	char *cur = mg_xstrdup(dir), *path = NULL, *git = NULL, *up;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err = 0;

	config_defaults(cfg);
	*found = 0;
	for (;;) {
		free(path);
		free(git);
		path = mg_path_join(cur, CONFIG_FILE);
		git = mg_path_join(cur, ".git");
		f = fopen(path, "rb");
		if (f)
			break;
		if (access(git, F_OK) == 0 || is_root(cur))
			goto out;
		up = mg_path_join(cur, "..");
		free(cur);
		cur = up;
	}
	if (is_dir(path)) {
		fclose(f);
		goto out;
	}
	{
		struct mg_strbuf sb = MG_STRBUF_INIT;
		char chunk[4096];
		size_t n;

		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			mg_strbuf_add(&sb, chunk, n);
		if (ferror(f)) {
			mg_error_set("cannot read '%s'", path);
			err = MG_ERROR;
		}
		fclose(f);
		buf = mg_strbuf_detach(&sb, &len);
	}
	if (err < 0)
		goto out;
	*found = 1;
	cfg->source = mg_xstrdup(path);
	err = mg_config_parse_json(cfg, path, buf, len);
out:
	free(buf);
	free(path);
	free(git);
	free(cur);
	return err;
}

void mg_config_apply(const struct mg_config *cfg, struct mg_report *r)
{
	size_t i;

	for (i = 0; i < cfg->severity_rules.nr; i++)
		mg_report_set_severity(r, cfg->severity_rules.items[i],
				       cfg->severity_values[i]);
}

int mg_project_is_schema(const struct mg_project *p, const char *path)
{
	size_t i;

	for (i = 0; i < p->schema.nr; i++)
		if (mg_path_watched(p->schema.items[i], path))
			return 1;
	return 0;
}

const struct mg_project *mg_config_project_of_migration(
	const struct mg_config *cfg, const char *path)
{
	size_t i;

	for (i = 0; i < cfg->projects_nr; i++)
		if (mg_path_watched(cfg->projects[i].migrations, path))
			return &cfg->projects[i];
	return NULL;
}

char *mg_project_generate_with(const struct mg_project *p, const char *args)
{
	const char *cmd = p->generate_command ? p->generate_command
					      : "npx drizzle-kit generate";

	/* npm run passes arguments to the script only after "--". */
	if (mg_starts_with(cmd, "npm run "))
		return mg_xstrfmt("%s -- %s", cmd, args);
	return mg_xstrfmt("%s %s", cmd, args);
}

void mg_config_watched(const struct mg_config *cfg, struct mg_strlist *out)
{
	size_t i, k;

	mg_strlist_push(out, CONFIG_FILE);
	for (i = 0; i < cfg->projects_nr; i++) {
		const struct mg_project *p = &cfg->projects[i];

		for (k = 0; k < p->schema.nr; k++)
			mg_strlist_push(out, p->schema.items[k]);
		mg_strlist_push(out, p->migrations);
		if (strcmp(p->config_path, CONFIG_FILE))
			mg_strlist_push(out, p->config_path);
	}
	for (i = 0; i < cfg->docs_nr; i++) {
		for (k = 0; k < cfg->docs[i].when.nr; k++)
			mg_strlist_push(out, cfg->docs[i].when.items[k]);
		for (k = 0; k < cfg->docs[i].pages.nr; k++)
			mg_strlist_push(out, cfg->docs[i].pages.items[k]);
	}
	for (i = 0; i < cfg->docs_roots.nr; i++)
		mg_strlist_push(out, cfg->docs_roots.items[i]);
}

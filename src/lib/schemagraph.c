/*
 * Which files are a project's schema, as drizzle-kit sees it: it loads
 * the files the config's "schema" names and, through them, whatever they
 * import. A file beside them that nothing imports (a db client, query
 * helpers, validators) is not schema.
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/glob.h"
#include "migguard/json.h"
#include "migguard/schemagraph.h"
#include "migguard/tsscan.h"

/* Files followed at most, so that a hostile tree cannot make it slow. */
#define MAX_SCHEMA_FILES 2000
/* package.json files read at most when resolving workspace packages. */
#define MAX_PACKAGES 500
/* Times the files are read again as their uses grow, at most. */
#define MAX_PASSES 64

static int is_script(const char *path)
{
	static const char *const exts[] = { ".ts", ".tsx", ".mts", ".cts",
		".js", ".jsx", ".mjs", ".cjs", NULL };
	size_t i;

	for (i = 0; exts[i]; i++)
		if (mg_ends_with(path, exts[i]))
			return 1;
	return 0;
}

static int exists(struct mg_tree *tree, const char *path)
{
	char *buf = NULL;
	size_t len;
	int err;

	if (!mg_path_is_safe(path))
		return 0;
	err = mg_tree_read(tree, path, &buf, &len);
	free(buf);
	return err >= 0 || err == MG_ETOOBIG;
}

/* Join a folder and a relative path, resolving "." and ".."; or NULL. */
static char *join_clean(const char *dir, const char *rel)
{
	char *p = mg_path_normalize(dir, rel);

	if (p && !*p) {
		free(p);
		return NULL;
	}
	return p;
}

/* A path as TypeScript resolves a module: x.ts, x.tsx, x/index.ts, ... */
static char *resolve_file(struct mg_tree *tree, const char *base)
{
	static const char *const suffixes[] = { "", ".ts", ".tsx", ".mts",
		".cts", ".js", ".mjs", ".cjs", "/index.ts", "/index.tsx",
		"/index.js", NULL };
	static const char *const js_to_ts[][2] = { { ".js", ".ts" },
		{ ".js", ".tsx" }, { ".mjs", ".mts" }, { ".cjs", ".cts" },
		{ ".jsx", ".tsx" } };
	char *cand;
	size_t i;

	for (i = 0; i < sizeof(js_to_ts) / sizeof(js_to_ts[0]); i++) {
		size_t n = strlen(base), e = strlen(js_to_ts[i][0]);

		if (n > e && mg_ends_with(base, js_to_ts[i][0])) {
			cand = mg_xstrfmt("%.*s%s", (int)(n - e), base,
					  js_to_ts[i][1]);
			if (exists(tree, cand))
				return cand;
			free(cand);
		}
	}
	for (i = 0; suffixes[i]; i++) {
		if (!*suffixes[i] && !is_script(base))
			continue;
		cand = mg_xstrfmt("%s%s", base, suffixes[i]);
		if (exists(tree, cand))
			return cand;
		free(cand);
	}
	return NULL;
}

/* The target a package.json "exports" value gives (conditions picked). */
static const char *export_target(const struct mg_json *v)
{
	static const char *const conds[] = { "types", "import", "default",
		"require", "node", NULL };
	size_t i;

	if (!v)
		return NULL;
	if (v->type == MG_JSON_STRING)
		return v->string;
	if (v->type == MG_JSON_ARRAY && v->nr)
		return export_target(v->children[0]);
	if (v->type != MG_JSON_OBJECT)
		return NULL;
	for (i = 0; conds[i]; i++) {
		const char *t = export_target(mg_json_get(v, conds[i]));

		if (t)
			return t;
	}
	return NULL;
}

/* "./sub" in a package's exports: exact, then "./prefix*" patterns. */
static char *package_subpath(const struct mg_json *pkg, const char *sub)
{
	const struct mg_json *exp = mg_json_get(pkg, "exports");
	const char *t;
	size_t i;

	if (exp && (exp->type == MG_JSON_STRING ||
		    (exp->type == MG_JSON_OBJECT && exp->nr &&
		     exp->children[0]->key[0] != '.'))) {
		if (!strcmp(sub, "."))
			return (t = export_target(exp)) ? mg_xstrdup(t) : NULL;
		return NULL;
	}
	if (exp && exp->type == MG_JSON_OBJECT) {
		t = export_target(mg_json_get(exp, sub));
		if (t)
			return mg_xstrdup(t);
		for (i = 0; i < exp->nr; i++) {
			const char *key = exp->children[i]->key;
			const char *star = strchr(key, '*');
			size_t pre;

			if (!star)
				continue;
			pre = (size_t)(star - key);
			t = export_target(exp->children[i]);
			if (t && strchr(t, '*') && !strncmp(sub, key, pre) &&
			    mg_ends_with(sub + pre, star + 1)) {
				const char *ts = strchr(t, '*');
				size_t mid = strlen(sub + pre) - strlen(star + 1);

				return mg_xstrfmt("%.*s%.*s%s", (int)(ts - t), t,
						  (int)mid, sub + pre, ts + 1);
			}
		}
		return NULL;
	}
	if (!strcmp(sub, ".")) {
		t = mg_json_get_string(pkg, "types");
		if (!t)
			t = mg_json_get_string(pkg, "main");
		return mg_xstrdup(t ? t : "index");
	}
	return mg_xstrdup(sub);
}

static int is_package_json(const char *path, void *payload)
{
	const char *base = strrchr(path, '/');

	(void)payload;
	base = base ? base + 1 : path;
	return !strcmp(base, "package.json") && !strstr(path, "node_modules/");
}

void mg_schema_packages_load(struct mg_schema_packages *pk,
			     struct mg_tree *tree)
{
	struct mg_tree_listing l = { 0 };
	size_t i;

	memset(pk, 0, sizeof(*pk));
	if (mg_tree_list_matching(tree, is_package_json, NULL, &l) < 0)
		return; /* workspace packages are then not followed */
	for (i = 0; i < l.nr && i < MAX_PACKAGES; i++) {
		struct mg_json *pkg = NULL;
		const char *name;
		char *buf = NULL;
		size_t len;

		if (mg_tree_read(tree, l.items[i].path, &buf, &len) >= 0 &&
		    mg_json_parse(&pkg, buf, len, NULL) >= 0) {
			name = mg_json_get_string(pkg, "name");
			if (name) {
				mg_strlist_push(&pk->names, name);
				mg_strlist_push(&pk->paths, l.items[i].path);
			}
		}
		mg_json_free(pkg);
		free(buf);
	}
	mg_tree_listing_release(&l);
}

void mg_schema_packages_release(struct mg_schema_packages *pk)
{
	mg_strlist_release(&pk->names);
	mg_strlist_release(&pk->paths);
}

/* "@scope/pkg/sub/x" -> the file in the workspace package, or NULL. */
static char *resolve_package(struct mg_tree *tree, const char *spec,
			     const struct mg_schema_packages *pk)
{
	const char *slash = strchr(spec, '/');
	size_t name_len, i;
	char *out = NULL;

	if (spec[0] == '@' && slash)
		slash = strchr(slash + 1, '/');
	name_len = slash ? (size_t)(slash - spec) : strlen(spec);
	for (i = 0; !out && pk && i < pk->names.nr; i++) {
		const char *path = pk->paths.items[i];
		struct mg_json *pkg = NULL;
		char *buf = NULL, *dir, *sub, *target, *base;
		size_t len;

		if (strlen(pk->names.items[i]) != name_len ||
		    strncmp(pk->names.items[i], spec, name_len))
			continue;
		if (mg_tree_read(tree, path, &buf, &len) < 0 ||
		    mg_json_parse(&pkg, buf, len, NULL) < 0) {
			free(buf);
			continue;
		}
		free(buf);
		dir = mg_xstrndup(path, strlen(path) - strlen("package.json"));
		sub = slash ? mg_xstrfmt(".%s", slash) : mg_xstrdup(".");
		target = package_subpath(pkg, sub);
		if (target) {
			base = join_clean(dir, target);
			if (base)
				out = resolve_file(tree, base);
			free(base);
		}
		free(target);
		free(sub);
		free(dir);
		mg_json_free(pkg);
	}
	return out;
}

char *mg_schema_resolve(struct mg_tree *tree, const char *from,
			const char *spec,
			const struct mg_schema_packages *packages)
{
	const char *slash = strrchr(from, '/');
	char *dir, *base, *out;

	if (!spec[0] || spec[0] == '/' || strstr(spec, "node:") == spec)
		return NULL;
	if (spec[0] != '.')
		return resolve_package(tree, spec, packages);
	dir = slash ? mg_xstrndup(from, (size_t)(slash - from))
		    : mg_xstrdup("");
	base = join_clean(dir, spec);
	free(dir);
	if (!base)
		return NULL;
	out = resolve_file(tree, base);
	free(base);
	return out;
}

struct roots_match {
	const struct mg_project *p;
};

/* A root: a file entry itself, a folder's direct script files, a glob. */
static int is_root(const char *path, void *payload)
{
	const struct mg_project *p = ((struct roots_match *)payload)->p;
	size_t i, n;

	for (i = 0; i < p->schema_entries.nr; i++) {
		const char *e = p->schema_entries.items[i];

		if (mg_glob_has_magic(e)) {
			if (mg_glob_match(e, path))
				return 1;
			continue;
		}
		if (!strcmp(e, path))
			return 1;
		n = strlen(e);
		if ((!n || (!strncmp(path, e, n) && path[n] == '/')) &&
		    !strchr(path + (n ? n + 1 : 0), '/') && is_script(path))
			return 1;
	}
	return 0;
}

/* A package name no workspace uses: drizzle itself and its usual peers. */
static int is_npm_package(const char *spec)
{
	static const char *const names[] = { "drizzle-orm", "drizzle-zod",
		"drizzle-kit", "drizzle-valibot", "drizzle-typebox", "zod",
		"pg", "postgres", "uuid", "nanoid", "@paralleldrive/cuid2",
		"node:", NULL };
	size_t i, n;

	for (i = 0; names[i]; i++) {
		n = strlen(names[i]);
		if (!strncmp(spec, names[i], n) &&
		    (!spec[n] || spec[n] == '/' || names[i][n - 1] == ':'))
			return 1;
	}
	return 0;
}

static int starts_bare(const char *spec)
{
	return spec[0] && spec[0] != '.' && spec[0] != '/';
}

/* What the graph uses of each file while it is walked (by out's index). */
struct walk {
	struct mg_strlist *out;
	struct mg_schema_use *u;
	size_t nr, alloc; /* u[0..nr) are set */
	int grew;
};

static struct mg_schema_use *walk_use(struct walk *w, const char *path)
{
	size_t i;

	for (i = 0; i < w->out->nr; i++)
		if (!strcmp(w->out->items[i], path))
			break;
	if (i == w->out->nr) {
		if (w->out->nr >= MAX_SCHEMA_FILES)
			return NULL;
		mg_strlist_push(w->out, path);
	}
	MG_ALLOC_GROW(w->u, w->out->nr, w->alloc);
	while (w->nr <= i) { /* out's items are set in order */
		memset(&w->u[w->nr], 0, sizeof(w->u[w->nr]));
		w->u[w->nr].path = mg_xstrdup(w->out->items[w->nr]);
		w->u[w->nr].dirty = 1;
		w->nr++;
		w->grew = 1;
	}
	return &w->u[i];
}

static void use_all(struct walk *w, const char *path)
{
	struct mg_schema_use *u = walk_use(w, path);

	if (u && !u->all) {
		u->all = 1;
		u->dirty = w->grew = 1;
	}
}

static void use_name(struct walk *w, const char *path, const char *name)
{
	struct mg_schema_use *u = walk_use(w, path);

	if (u && !u->all && !mg_strlist_has(&u->names, name)) {
		mg_strlist_push(&u->names, name);
		u->dirty = w->grew = 1;
	}
}

/* Another module of the graph, or NULL (a package from npm, not found). */
static char *follow(struct mg_tree *tree, const char *from, const char *spec,
		    struct mg_schema_packages *packages, int *have_packages)
{
	if (starts_bare(spec) && is_npm_package(spec))
		return NULL;
	if (starts_bare(spec) && !*have_packages) {
		*have_packages = 1;
		mg_schema_packages_load(packages, tree);
	}
	return mg_schema_resolve(tree, from, spec, packages);
}

/* What file i uses of the modules it imports. */
static void walk_imports(struct walk *w, size_t i, const struct mg_ts_file *ts,
			 const struct mg_strlist *refs, struct mg_tree *tree,
			 struct mg_schema_packages *packages,
			 int *have_packages)
{
	struct mg_strlist declared = MG_STRLIST_INIT;
	char *from = mg_xstrdup(w->out->items[i]);
	size_t k, j;

	for (k = 0; k < ts->decls_nr; k++) {
		const struct mg_ts_decl *d = &ts->decls[k];
		struct mg_strlist locals = MG_STRLIST_INIT;
		struct mg_strlist imported = MG_STRLIST_INIT;
		char *to;

		if (!d->module || (d->kind != MG_TS_DECL_IMPORT &&
				   d->kind != MG_TS_DECL_EXPORT))
			continue;
		mg_strlist_push(&declared, d->module);
		to = follow(tree, from, d->module, packages, have_packages);
		if (!to)
			continue;
		if (d->kind == MG_TS_DECL_EXPORT ||
		    mg_ts_import_bindings(ts, d, &locals, &imported) < 0) {
			use_all(w, to); /* a re-export, a side effect, unparsed */
		} else {
			for (j = 0; j < locals.nr; j++) {
				if (!mg_strlist_has(refs, locals.items[j]))
					continue; /* imported, never used */
				if (!strcmp(imported.items[j], "*"))
					use_all(w, to);
				else
					use_name(w, to, imported.items[j]);
			}
		}
		mg_strlist_release(&imported);
		mg_strlist_release(&locals);
		free(to);
	}
	/* import('x'), require('x'): the whole module */
	for (k = 0; k < ts->specifiers.nr; k++) {
		char *to;

		if (mg_strlist_has(&declared, ts->specifiers.items[k]))
			continue;
		to = follow(tree, from, ts->specifiers.items[k], packages,
			    have_packages);
		if (to)
			use_all(w, to);
		free(to);
	}
	free(from);
	mg_strlist_release(&declared);
}

int mg_schema_files_used(struct mg_strlist *out, size_t *roots,
			 struct mg_tree *tree, const struct mg_project *p,
			 struct mg_schema_uses *uses)
{
	struct roots_match rm = { p };
	struct mg_tree_listing found = { 0 };
	struct mg_schema_packages packages = { MG_STRLIST_INIT,
					       MG_STRLIST_INIT };
	struct walk w;
	size_t i, passes = 0;
	int err, have_packages = 0;

	memset(&w, 0, sizeof(w));
	w.out = out;
	*roots = 0;
	err = mg_tree_list_matching(tree, is_root, &rm, &found);
	if (err < 0)
		goto out;
	for (i = 0; i < out->nr; i++)
		use_all(&w, out->items[i]);
	for (i = 0; i < found.nr; i++)
		if (found.items[i].type == MG_ENTRY_FILE)
			use_all(&w, found.items[i].path);
	*roots = out->nr;
	/* a file's uses may grow after it was read: read it again */
	while (w.grew && passes++ < MAX_PASSES) {
		w.grew = 0;
		for (i = 0; i < w.nr; i++) {
			struct mg_strlist refs = MG_STRLIST_INIT;
			struct mg_ts_file ts;
			char *buf = NULL;
			size_t len;

			if (!w.u[i].dirty)
				continue;
			w.u[i].dirty = 0;
			err = mg_tree_read(tree, out->items[i], &buf, &len);
			if (err == MG_ETOOBIG || err == MG_ENOTFOUND) {
				w.u[i].all = 1;
				continue;
			}
			if (err < 0)
				goto out;
			mg_ts_scan(&ts, buf, len);
			if (mg_ts_used(&ts, w.u[i].all, &w.u[i].names, &refs))
				w.u[i].all = 1; /* unsure: all of it */
			walk_imports(&w, i, &ts, &refs, tree, &packages,
				     &have_packages);
			mg_strlist_release(&refs);
			mg_ts_file_release(&ts);
			free(buf);
		}
	}
	for (i = 0; w.grew && i < w.nr; i++)
		if (w.u[i].dirty)
			w.u[i].all = 1; /* not settled: all of it */
	if (uses) {
		for (i = 0; i < w.nr; i++) {
			MG_ALLOC_GROW(uses->items, uses->nr + 1, uses->alloc);
			uses->items[uses->nr++] = w.u[i];
			memset(&w.u[i], 0, sizeof(w.u[i]));
		}
	}
	mg_strlist_sort(out);
	err = 0;
out:
	for (i = 0; i < w.nr; i++) {
		free(w.u[i].path);
		mg_strlist_release(&w.u[i].names);
	}
	free(w.u);
	mg_schema_packages_release(&packages);
	mg_tree_listing_release(&found);
	return err;
}

int mg_schema_files(struct mg_strlist *out, size_t *roots,
		    struct mg_tree *tree, const struct mg_project *p)
{
	return mg_schema_files_used(out, roots, tree, p, NULL);
}

const struct mg_schema_use *mg_schema_use_of(const struct mg_schema_uses *u,
					     const char *path)
{
	size_t i;

	for (i = 0; u && i < u->nr; i++)
		if (!strcmp(u->items[i].path, path))
			return &u->items[i];
	return NULL;
}

void mg_schema_uses_release(struct mg_schema_uses *u)
{
	size_t i;

	for (i = 0; i < u->nr; i++) {
		free(u->items[i].path);
		mg_strlist_release(&u->items[i].names);
	}
	free(u->items);
	memset(u, 0, sizeof(*u));
}

/*
 * .migguard-baseline.json (baseline.h). Entries are matched by rule,
 * path and fingerprint; the file is written sorted so that `migguard
 * baseline` on the same tree writes the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/baseline.h"
#include "migguard/check.h"
#include "migguard/json.h"
#include "migguard/srcmap.h"

static int cmp_entry(const void *a_, const void *b_)
{
	const struct mg_finding *a = *(const struct mg_finding *const *)a_;
	const struct mg_finding *b = *(const struct mg_finding *const *)b_;
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	c = strcmp(a->rule, b->rule);
	if (c)
		return c;
	return strcmp(a->fingerprint, b->fingerprint);
}

void mg_baseline_format(struct mg_strbuf *out, const struct mg_report *r)
{
	const struct mg_finding **sorted;
	size_t i, n = 0;

	sorted = mg_xcalloc(r->nr + 1, sizeof(*sorted));
	for (i = 0; i < r->nr; i++)
		if (strcmp(r->items[i].rule, "baseline-stale"))
			sorted[n++] = &r->items[i];
	if (n > 1)
		qsort(sorted, n, sizeof(*sorted), cmp_entry);
	mg_strbuf_adds(out, "{\n  \"version\": 1,\n  \"findings\": [");
	for (i = 0; i < n; i++) {
		mg_strbuf_adds(out, i ? ",\n    {\"rule\": " : "\n    {\"rule\": ");
		mg_strbuf_add_json_string(out, sorted[i]->rule);
		mg_strbuf_adds(out, ", \"path\": ");
		mg_strbuf_add_json_string(out, sorted[i]->path);
		mg_strbuf_adds(out, ", \"fingerprint\": ");
		mg_strbuf_add_json_string(out, sorted[i]->fingerprint);
		mg_strbuf_addch(out, '}');
	}
	mg_strbuf_adds(out, n ? "\n  ]\n}\n" : "]\n}\n");
	free(sorted);
}

static int malformed(struct mg_srcmap *map, size_t offset, const char *why)
{
	unsigned line = 1, col = 1;

	mg_srcmap_locate(map, offset, &line, &col);
	return mg_error_set("%s:%u:%u: %s (rewrite it with 'migguard "
			    "baseline')", MG_BASELINE_FILE, line, col, why);
}

/* Did a check of rule run? An unknown rule: say so (stale). */
static int rule_checked(const char *rule, unsigned checks)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = { { "pair", MG_CHECK_PAIR },
		      { "journal", MG_CHECK_JOURNAL },
		      { "lint", MG_CHECK_LINT },
		      { "docs", MG_CHECK_DOCS } };
	const struct mg_rule *def = mg_rule_find(rule);
	size_t i;

	if (!def)
		return 1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(def->check, names[i].name))
			return (checks & names[i].bit) != 0;
	return 1;
}

int mg_baseline_apply(struct mg_report *r, size_t since,
		      struct mg_tree *tree, unsigned checks)
{
	struct mg_json *doc = NULL;
	const struct mg_json *list, *version;
	struct mg_srcmap map;
	unsigned char *used = NULL;
	char *text = NULL;
	size_t len = 0, i, k, out, before, error_offset = 0;
	int err;

	err = mg_tree_read(tree, MG_BASELINE_FILE, &text, &len);
	if (err == MG_ENOTFOUND)
		return 0;
	if (err < 0)
		return err;
	mg_srcmap_init(&map, text, len);
	err = mg_json_parse(&doc, text, len, &error_offset);
	if (err < 0) {
		err = malformed(&map, error_offset, "not JSON");
		goto out;
	}
	version = mg_json_get(doc, "version");
	list = mg_json_get(doc, "findings");
	if (doc->type != MG_JSON_OBJECT || !version ||
	    version->type != MG_JSON_NUMBER || version->number != 1) {
		err = malformed(&map, doc->offset, "not a version 1 baseline");
		goto out;
	}
	if (!list || list->type != MG_JSON_ARRAY) {
		err = malformed(&map, doc->offset,
				"\"findings\" is missing or not an array");
		goto out;
	}
	used = mg_xcalloc(r->nr + 1, 1);
	for (k = 0; k < list->nr; k++) {
		const struct mg_json *e = list->children[k];
		const char *rule = mg_json_get_string(e, "rule");
		const char *path = mg_json_get_string(e, "path");
		const char *fp = mg_json_get_string(e, "fingerprint");
		unsigned line = 1, col = 1;

		if (!rule || !path || !fp) {
			err = malformed(&map, e->offset,
					"an entry needs the strings \"rule\", "
					"\"path\" and \"fingerprint\"");
			goto out;
		}
		for (i = since; i < r->nr; i++) {
			const struct mg_finding *f = &r->items[i];

			if (!used[i] && !strcmp(f->fingerprint, fp) &&
			    !strcmp(f->rule, rule) && !strcmp(f->path, path))
				break;
		}
		if (i < r->nr) {
			used[i] = 1;
			continue;
		}
		if (!rule_checked(rule, checks))
			continue;
		mg_srcmap_locate(&map, e->offset, &line, &col);
		before = r->nr;
		mg_report_add(r, "baseline-stale", MG_BASELINE_FILE, line, col,
			      "the problem is gone: run 'migguard baseline' "
			      "to rewrite the file",
			      "baseline entry %s in '%s' matches no finding",
			      rule, path);
		if (r->nr == before)
			continue; /* configured off */
		used = realloc(used, r->nr + 1);
		if (!used)
			abort();
		used[r->nr - 1] = 0;
	}
	/* Drop the matched findings, keeping the order. */
	for (i = out = since; i < r->nr; i++) {
		if (used[i]) {
			free(r->items[i].path);
			free(r->items[i].message);
			free(r->items[i].hint);
			continue;
		}
		r->items[out++] = r->items[i];
	}
	r->nr = out;
	err = 0;
out:
	free(used);
	mg_json_free(doc);
	mg_srcmap_release(&map);
	free(text);
	return err;
}

/*
 * mg_json_parse: journals, snapshots, package.json, .migguard.json. The
 * tree-less readers must accept exactly the texts the tree parser accepts
 * (one grammar: JSON.parse's), and refuse the others at the same byte.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "migguard/json.h"
#include "migguard/srcmap.h"

/* Touch every node, as the checks do, so a bad offset shows. */
static void walk(const struct mg_json *j, const struct mg_srcmap *map,
		 int depth)
{
	unsigned line, col;
	size_t i;

	mg_srcmap_locate(map, j->offset, &line, &col);
	if (j->key)
		mg_srcmap_locate(map, j->key_offset, &line, &col);
	(void)mg_json_type_name(j->type);
	if (j->type == MG_JSON_OBJECT && j->nr)
		(void)mg_json_get_string(j, j->children[0]->key);
	for (i = 0; i < j->nr; i++)
		walk(j->children[i], map, depth + 1);
}

/* The other readers agree with the tree on accepting and where not. */
static void agree(const char *text, size_t size, int parsed, size_t off)
{
	static const char *const paths[] = { "entries/*/tag", "id" };
	struct mg_json_member m[2];
	struct mg_json *f = NULL;
	size_t off2 = 0;
	int ok;

	memset(m, 0, sizeof(m));
	m[0].key = "id";
	m[1].key = "prevId";
	ok = mg_json_top_strings(m, 2, text, size, &off2) >= 0;
	mg_json_members_release(m, 2);
	if (ok != parsed || (!ok && off2 != off))
		abort();
	ok = mg_json_parse_paths(&f, text, size, paths, 2, &off2) >= 0;
	mg_json_free(f);
	if (ok != parsed || (!ok && off2 != off))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mg_json *j = NULL;
	struct mg_srcmap map;
	size_t off = 0;

	if (mg_json_parse(&j, (const char *)data, size, &off) < 0) {
		if (off > size)
			abort(); /* the error offset must be in the text */
		agree((const char *)data, size, 0, off);
		return 0;
	}
	agree((const char *)data, size, 1, 0);
	mg_srcmap_init(&map, (const char *)data, size);
	walk(j, &map, 0);
	mg_srcmap_release(&map);
	mg_json_free(j);
	return 0;
}

/* mg_json_parse: journals, snapshots, package.json, .migguard.json. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mg_json *j = NULL;
	struct mg_srcmap map;
	size_t off = 0;

	if (mg_json_parse(&j, (const char *)data, size, &off) < 0) {
		if (off > size)
			abort(); /* the error offset must be in the text */
		return 0;
	}
	mg_srcmap_init(&map, (const char *)data, size);
	walk(j, &map, 0);
	mg_srcmap_release(&map);
	mg_json_free(j);
	return 0;
}

/*
 * mg_config_parse_drizzle: drizzle.config.ts scanned as TypeScript, and as
 * drizzle.config.json when the input starts with '{', from a folder when
 * its size is odd (paths relative to the config's folder).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "migguard/config.h"
#include "migguard/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mg_config cfg;
	struct mg_project p;
	const char *path;

	if (size && data[0] == '{')
		path = size % 2 ? "apps/api/drizzle.config.json"
				: "drizzle.config.json";
	else
		path = size % 2 ? "apps/api/drizzle.config.ts"
				: "drizzle.config.ts";
	if (mg_config_parse_drizzle(&p, path, (const char *)data, size) < 0)
		return 0;
	/* A parsed project is released as a config's project. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.projects = mg_xmalloc(sizeof(p));
	cfg.projects[0] = p;
	cfg.projects_nr = cfg.projects_alloc = 1;
	if (!mg_path_is_safe(p.migrations))
		abort(); /* "out" must stay inside the repository */
	mg_config_release(&cfg);
	return 0;
}

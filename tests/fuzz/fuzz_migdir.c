/*
 * A whole tree (memtree.c format): drizzle.config / .migguard.json
 * discovery, then every project's migrations folder loaded with
 * mg_migdir_load, each entry's SQL and snapshot read.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "migguard/config.h"
#include "migguard/migdir.h"

static void load_folder(struct mg_tree *tree, const char *path)
{
	struct mg_migdir *d = NULL;
	size_t i;

	if (mg_migdir_load(&d, tree, path) < 0)
		return;
	for (i = 0; i < d->nr; i++) {
		struct mg_migration *m = &d->items[i];
		const struct mg_json *snap;
		const char *sql;
		size_t len;

		(void)mg_migdir_sql(d, m, &sql, &len);
		(void)mg_migdir_snapshot(d, m, &snap);
		if (m->sql_path && mg_migdir_find_path(d, m->sql_path) == NULL)
			abort();
		if (m->tag)
			free(mg_migdir_tag_prefix(m->tag));
	}
	for (i = 0; i < d->files.nr; i++)
		(void)mg_migdir_find_path(d, d->files.items[i].path);
	mg_migdir_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mg_tree *tree = NULL;
	struct mg_config cfg;
	size_t i;

	mg_fuzz_memtree_open(&tree, data, size);
	memset(&cfg, 0, sizeof(cfg));
	if (mg_config_load(&cfg, tree) == 0) {
		for (i = 0; i < cfg.projects_nr; i++)
			load_folder(tree, cfg.projects[i].migrations);
	}
	mg_config_release(&cfg);
	/* Where the fixtures keep it, whatever the config says. */
	load_folder(tree, "src/migrations");
	mg_tree_free(tree);
	return 0;
}

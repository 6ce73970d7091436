/*
 * A tree (memtree.c format) read as a folder-layout migrations folder at
 * src/migrations: layout detection, every migration's SQL and snapshot
 * fields, and the schema replayed at each migration; the migrator's
 * order checked to be an order; the history rules of the folder layout
 * (mg_journal_check_folder) with nothing published and with the same
 * tree published; and, read as a journal folder, what `drizzle-kit up`
 * would do with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "migguard/config.h"
#include "migguard/journal.h"
#include "migguard/migdir.h"
#include "migguard/migfolder.h"
#include "migguard/report.h"
#include "migguard/strbuf.h"

static void check_order(const struct mg_migfolder *f)
{
	size_t i;

	for (i = 0; i + 1 < f->nr; i++) {
		const char *a = f->items[i].name, *b = f->items[i + 1].name;

		if (mg_folder_name_cmp(a, b) > 0 ||
		    mg_folder_name_cmp(b, a) < 0)
			abort();
		if (mg_folder_sorts_after(a, b))
			abort();
	}
}

/* The history rules on f, against published (NULL: nothing published). */
static void check_history(struct mg_migfolder *f, const char *path,
			  struct mg_migfolder *published)
{
	struct mg_journal_options opts;
	struct mg_strbuf out = MG_STRBUF_INIT;
	struct mg_project p;
	struct mg_report r;
	char migrations[64];

	memset(&p, 0, sizeof(p));
	snprintf(migrations, sizeof(migrations), "%s", path);
	p.name = (char *)"fuzz";
	p.config_path = (char *)".migguard.json";
	p.root = (char *)"";
	p.run_dir = (char *)"";
	p.migrations = migrations;
	mg_report_init(&r);
	mg_journal_options_init(&opts);
	opts.now_ms = 1800000000000LL;
	if (mg_journal_check_folder(&r, f, &p, published, NULL, &opts) == 0) {
		mg_report_sort(&r);
		mg_report_format(&out, &r, MG_FORMAT_TEXT, 0);
		mg_report_format(&out, &r, MG_FORMAT_JSON, 0);
	}
	mg_strbuf_release(&out);
	mg_report_release(&r);
}

static void load_folder(struct mg_tree *tree, const char *path)
{
	struct mg_migfolder *f = NULL, *published = NULL;
	struct mg_layout_info info;
	size_t i;

	if (mg_layout_detect(&info, tree, path) == 0) {
		if (info.layout == MG_LAYOUT_BOTH) {
			char *message, *hint;

			mg_layout_both_message(&info, &message, &hint);
			free(message);
			free(hint);
		}
		mg_layout_info_release(&info);
	}
	if (mg_migfolder_load(&f, tree, path) < 0)
		return;
	check_order(f);
	for (i = 0; i < f->nr; i++) {
		struct mg_folder_migration *m = &f->items[i];
		const struct mg_folder_snapshot *s;
		struct mg_ddl_state state;
		const char *sql;
		size_t len;

		(void)mg_migfolder_sql(f, m, &sql, &len);
		if (mg_migfolder_fields(f, m, &s) == 0 && s->id &&
		    !mg_migfolder_find_id(f, s->id))
			abort();
		if (mg_migfolder_find(f, m->name) == NULL)
			abort();
		if (mg_migfolder_state(&state, f, m) == 0) {
			(void)mg_ddl_state_find(&state, "tables", "public",
						NULL, "user");
			(void)mg_ddl_state_count(&state, "columns", NULL, NULL);
			mg_ddl_state_release(&state);
		}
	}
	check_history(f, path, NULL);
	if (mg_migfolder_load(&published, tree, path) == 0) {
		check_history(f, path, published);
		mg_migfolder_free(published);
	}
	mg_migfolder_free(f);
}

static void plan_up(struct mg_tree *tree, const char *path)
{
	struct mg_migdir *d = NULL;
	struct mg_up_plan plan;
	size_t i;

	if (mg_migdir_load(&d, tree, path) < 0)
		return;
	if (mg_up_plan_make(&plan, d) == 0) {
		if (plan.refusal && !plan.refusal_tag)
			abort();
		for (i = 0; i < plan.nr; i++)
			if (plan.items[i].folder &&
			    strlen(plan.items[i].folder) < 15)
				abort();
		mg_up_plan_release(&plan);
	}
	mg_migdir_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mg_tree *tree = NULL;

	mg_fuzz_memtree_open(&tree, data, size);
	load_folder(tree, "src/migrations");
	plan_up(tree, "src/migrations");
	mg_tree_free(tree);
	return 0;
}

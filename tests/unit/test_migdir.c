/*
 * The migrations adapter (migdir.h) on both drizzle layouts: the folder
 * layout of rc.5 (tests/fixtures/drizzle-1.0) comes through as items in
 * the 1.0 migrator's order, with the paths 1.0 reads; the journal layout
 * (tests/fixtures/drizzle) and an unfinished `drizzle-kit up` keep the
 * journal's items.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migguard/error.h"
#include "migguard/migdir.h"
#include "migguard/migfolder.h"
#include "migguard/strbuf.h"

#include "scratch.h"

#define FX MG_TEST_SOURCE_DIR "/tests/fixtures/drizzle-1.0"
#define OLD MG_TEST_SOURCE_DIR "/tests/fixtures/drizzle"
#define OUT "src/migrations"


static struct mg_tree *open_dir(const char *root)
{
	struct mg_tree *t = NULL;

	assert_int_equal(mg_tree_open_dir(&t, root), 0);
	return t;
}

static struct mg_migdir *load(struct mg_tree *t)
{
	struct mg_migdir *d = NULL;

	assert_int_equal(mg_migdir_load(&d, t, OUT), 0);
	assert_non_null(d);
	return d;
}

static const char *const history[] = {
	"init",		 "research_plan",  "plan_summary",
	"enable_pgvector", "rename_summary", "research_step",
	"drop_research_step",
};

static void test_migdir__folder_items_in_migrator_order(void **state)
{
	struct mg_tree *t = open_dir(FX "/step-06");
	struct mg_migdir *d = load(t);
	const struct mg_snapshot_fields *fields;
	const char *sql;
	char *want, *file = NULL;
	size_t i, len, flen;

	(void)state;
	assert_int_equal(d->layout, MG_LAYOUT_FOLDER);
	assert_non_null(d->folder);
	assert_int_equal(d->journal_state, MG_ENOTFOUND);
	assert_null(d->journal);
	assert_int_equal(d->nr, 7);
	assert_int_equal(d->folder->nr, 7);
	for (i = 0; i < d->nr; i++) {
		struct mg_migration *m = &d->items[i];
		const struct mg_folder_migration *f = &d->folder->items[i];

		assert_ptr_equal(mg_migdir_folder_item(d, m), f);
		assert_string_equal(m->tag, f->name);
		want = mg_xstrfmt("_%s", history[i]);
		assert_true(mg_ends_with(m->tag, want));
		free(want);
		assert_int_equal(m->idx, (long long)i);
		assert_int_equal(m->when, mg_folder_name_millis(m->tag));
		assert_true(m->when > 0);
		assert_int_equal(m->breakpoints, 1);
		assert_null(m->entry);
		assert_int_equal(m->line, 1);
		want = mg_xstrfmt(OUT "/%s/migration.sql", m->tag);
		assert_string_equal(m->sql_path, want);
		free(want);
		want = mg_xstrfmt(OUT "/%s/snapshot.json", m->tag);
		assert_string_equal(m->snapshot_path, want);
		free(want);
		assert_ptr_equal(mg_migdir_find_path(d, m->sql_path), m);
		assert_ptr_equal(mg_migdir_find_path(d, m->snapshot_path), m);
	}
	/* 20261203101957_init: created_at as the 1.0 migrator writes it. */
	assert_string_equal(d->items[0].tag, "20261203101957_init");
	assert_int_equal(d->items[0].when, 1796293197000LL);
	/* The files read through the usual calls, bytes as they are. */
	assert_int_equal(mg_migdir_sql(d, &d->items[6], &sql, &len), 0);
	assert_int_equal(mg_tree_read(t, d->items[6].sql_path, &file, &flen),
			 0);
	assert_int_equal(len, flen);
	assert_memory_equal(sql, file, len);
	free(file);
	assert_int_equal(mg_migdir_snapshot_fields(d, &d->items[1], &fields),
			 0);
	assert_non_null(fields->id);
	assert_null(fields->prev_id); /* 1.0 writes prevIds */
	assert_null(mg_migdir_find_path(d, OUT "/meta/_journal.json"));
	assert_null(mg_migdir_folder_item(d, NULL));
	mg_migdir_free(d);
	mg_tree_free(t);
}

/* A folder missing a file still has both paths, as a journal entry has. */
static void test_migdir__folder_paths_without_their_files(void **state)
{
	char *dir = scratch(FX "/step-02");
	struct mg_tree *t;
	struct mg_migdir *d;
	const struct mg_json *snap;
	const char *sql;
	size_t len;

	(void)state;
	run("mkdir -p '%s/" OUT "/20261203110000_no_snapshot' "
	    "'%s/" OUT "/20261203110001_no_sql'", dir, dir);
	run("printf 'SELECT 1;' >'%s/" OUT
	    "/20261203110000_no_snapshot/migration.sql'", dir);
	run("printf '{}' >'%s/" OUT "/20261203110001_no_sql/snapshot.json'",
	    dir);
	t = open_dir(dir);
	d = load(t);
	assert_int_equal(d->layout, MG_LAYOUT_FOLDER);
	assert_int_equal(d->nr, 5);
	assert_string_equal(d->items[3].tag, "20261203110000_no_snapshot");
	assert_string_equal(d->items[3].snapshot_path,
			    OUT "/20261203110000_no_snapshot/snapshot.json");
	assert_int_equal(mg_migdir_snapshot(d, &d->items[3], &snap),
			 MG_ENOTFOUND);
	assert_int_equal(mg_migdir_sql(d, &d->items[3], &sql, &len), 0);
	assert_int_equal(len, 9);
	assert_string_equal(d->items[4].sql_path,
			    OUT "/20261203110001_no_sql/migration.sql");
	assert_int_equal(mg_migdir_sql(d, &d->items[4], &sql, &len),
			 MG_ENOTFOUND);
	assert_int_equal(d->items[4].idx, 4);
	mg_migdir_free(d);
	mg_tree_free(t);
	scratch_rm(dir);
}

/* The journal layout: items from the journal, no folder. */
static void test_migdir__journal_layout_as_before(void **state)
{
	struct mg_tree *t = open_dir(OLD "/step-02");
	struct mg_migdir *d = load(t);

	(void)state;
	assert_int_equal(d->layout, MG_LAYOUT_JOURNAL);
	assert_null(d->folder);
	assert_int_equal(d->journal_state, 0);
	assert_int_equal(d->nr, 3);
	assert_string_equal(d->items[2].tag, "0002_plan_summary");
	assert_non_null(d->items[2].entry);
	assert_string_equal(d->items[2].sql_path, OUT "/0002_plan_summary.sql");
	assert_string_equal(d->items[2].snapshot_path,
			    OUT "/meta/0002_snapshot.json");
	assert_null(mg_migdir_folder_item(d, &d->items[0]));
	mg_migdir_free(d);
	mg_tree_free(t);
}

/*
 * An unfinished `drizzle-kit up` (journal and folders): the journal's
 * items, as today; no journal and no folder: nothing.
 */
static void test_migdir__both_layouts_and_none(void **state)
{
	char *dir = scratch(FX "/step-02");
	struct mg_tree *t;
	struct mg_migdir *d;

	(void)state;
	run("cp -R '%s/step-02/src/migrations/meta' '%s/" OUT "/'", OLD, dir);
	run("cp '%s/step-02/src/migrations/'*.sql '%s/" OUT "/'", OLD, dir);
	t = open_dir(dir);
	d = load(t);
	assert_int_equal(d->layout, MG_LAYOUT_BOTH);
	assert_null(d->folder);
	assert_int_equal(d->journal_state, 0);
	assert_int_equal(d->nr, 3);
	assert_string_equal(d->items[0].tag, "0000_init");
	assert_non_null(d->items[0].entry);
	mg_migdir_free(d);
	mg_tree_free(t);
	scratch_rm(dir);

	assert_int_equal(mg_tree_open_empty(&t), 0);
	d = load(t);
	assert_int_equal(d->layout, MG_LAYOUT_NONE);
	assert_null(d->folder);
	assert_int_equal(d->journal_state, MG_ENOTFOUND);
	assert_int_equal(d->nr, 0);
	mg_migdir_free(d);
	mg_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migdir__folder_items_in_migrator_order),
		cmocka_unit_test(test_migdir__folder_paths_without_their_files),
		cmocka_unit_test(test_migdir__journal_layout_as_before),
		cmocka_unit_test(test_migdir__both_layouts_and_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

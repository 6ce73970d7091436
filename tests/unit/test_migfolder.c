/*
 * The folder-layout reader on real drizzle-kit 1.0.0-rc.5 output
 * (tests/fixtures/drizzle-1.0, see its README), copies of it broken as
 * users break it, and small hand-written deltas for the replay's edges.
 * Folder names and ids change when the fixtures are made again: tests
 * find migrations by the name after the timestamp.
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
#define ZERO "00000000-0000-0000-0000-000000000000"

static struct mg_tree *open_fixture(const char *name)
{
	struct mg_tree *t = NULL;
	char *root = mg_xstrfmt("%s/%s", FX, name);

	assert_int_equal(mg_tree_open_dir(&t, root), 0);
	free(root);
	return t;
}

static struct mg_migfolder *load(struct mg_tree *t)
{
	struct mg_migfolder *f = NULL;

	assert_int_equal(mg_migfolder_load(&f, t, OUT), 0);
	assert_non_null(f);
	return f;
}

/* The migration whose name ends in "_<suffix>". */
static struct mg_folder_migration *by_suffix(struct mg_migfolder *f,
					     const char *suffix)
{
	char *want = mg_xstrfmt("_%s", suffix);
	size_t i;

	for (i = 0; i < f->nr; i++) {
		if (mg_ends_with(f->items[i].name, want) &&
		    strlen(f->items[i].name) == 14 + strlen(want)) {
			free(want);
			return &f->items[i];
		}
	}
	fail_msg("no migration *_%s", suffix);
	free(want);
	return NULL;
}


/* ------------------------------------------------------------ layout --- */

static void expect_layout(struct mg_tree *t, enum mg_layout want)
{
	struct mg_layout_info info;

	assert_int_equal(mg_layout_detect(&info, t, OUT), 0);
	assert_int_equal(info.layout, want);
	mg_layout_info_release(&info);
}

static void test_migfolder__layout_of_each_drizzle(void **state)
{
	struct mg_tree *t = open_fixture("step-06");
	struct mg_layout_info info;

	(void)state;
	assert_int_equal(mg_layout_detect(&info, t, OUT), 0);
	assert_int_equal(info.layout, MG_LAYOUT_FOLDER);
	assert_int_equal(info.folders, 7);
	assert_null(info.journal_path);
	assert_true(mg_starts_with(info.folder_file, OUT "/"));
	assert_string_equal(mg_layout_name(info.layout), "folder");
	mg_layout_info_release(&info);
	expect_layout(t, MG_LAYOUT_FOLDER);
	mg_tree_free(t);

	assert_int_equal(mg_tree_open_dir(&t, OLD "/step-06"), 0);
	expect_layout(t, MG_LAYOUT_JOURNAL);
	mg_tree_free(t);

	/* The branches' merge and what up wrote are folders too. */
	t = open_fixture("branches/merged-ab-next");
	expect_layout(t, MG_LAYOUT_FOLDER);
	mg_tree_free(t);
	t = open_fixture("up/step-06");
	expect_layout(t, MG_LAYOUT_FOLDER);
	mg_tree_free(t);

	assert_int_equal(mg_tree_open_empty(&t), 0);
	expect_layout(t, MG_LAYOUT_NONE);
	mg_tree_free(t);
}

static void test_migfolder__layout_both_is_an_unfinished_up(void **state)
{
	char *dir = scratch(FX "/up/step-06");
	struct mg_layout_info info;
	struct mg_tree *t = NULL;
	char *message, *hint;

	(void)state;
	run("cp -R '%s/step-06/src/migrations/meta' '%s/src/migrations/'",
	    OLD, dir);
	assert_int_equal(mg_tree_open_dir(&t, dir), 0);
	assert_int_equal(mg_layout_detect(&info, t, OUT), 0);
	assert_int_equal(info.layout, MG_LAYOUT_BOTH);
	assert_string_equal(info.journal_path, OUT "/meta/_journal.json");
	assert_int_equal(info.folders, 7);
	mg_layout_both_message(&info, &message, &hint);
	assert_non_null(strstr(message, "'" OUT "/meta/_journal.json'"));
	assert_non_null(strstr(message, info.folder_file));
	assert_non_null(strstr(message, "7 migration folders"));
	assert_non_null(strstr(hint, "drizzle-kit up"));
	free(message);
	free(hint);
	mg_layout_info_release(&info);
	mg_tree_free(t);
	scratch_rm(dir);
}

/* -------------------------------------------------------- migrations --- */

static const char *const history[] = {
	"init",		 "research_plan",  "plan_summary",
	"enable_pgvector", "rename_summary", "research_step",
	"drop_research_step",
};

static void test_migfolder__lists_rc5_history_in_order(void **state)
{
	struct mg_tree *t = open_fixture("step-06");
	struct mg_migfolder *f = load(t);
	const char *prev = ZERO;
	size_t i;

	(void)state;
	assert_int_equal(f->nr, 7);
	assert_int_equal(f->stray_sql_nr, 0);
	assert_int_equal(f->layout.layout, MG_LAYOUT_FOLDER);
	for (i = 0; i < f->nr; i++) {
		struct mg_folder_migration *m = &f->items[i];
		const struct mg_folder_snapshot *s;
		char *sql = mg_xstrfmt("%s/%s/migration.sql", OUT, m->name);

		assert_ptr_equal(by_suffix(f, history[i]), m);
		assert_true(m->name_ok);
		assert_string_equal(m->sql_path, sql);
		assert_non_null(m->snapshot_path);
		assert_int_equal(m->sql_type, MG_ENTRY_FILE);
		assert_int_equal(m->millis, mg_folder_name_millis(m->name));
		assert_true(m->millis > 1700000000000LL);
		assert_int_equal(mg_migfolder_fields(f, m, &s), 0);
		assert_string_equal(s->version, "9");
		assert_string_equal(s->dialect, "postgres");
		assert_true(s->prev_ids_valid);
		assert_int_equal(s->prev_ids_nr, 1);
		assert_string_equal(s->prev_ids[0], prev);
		assert_int_equal(s->id_line, 5);
		assert_int_equal(s->prev_ids_line, 6);
		if (i == 0) {
			assert_int_equal(s->kind, MG_SNAPSHOT_BASE);
			assert_true(s->has_ddl);
			assert_false(s->has_deltas);
		} else {
			assert_int_equal(s->kind, MG_SNAPSHOT_DIFF);
			assert_false(s->has_ddl);
			assert_true(s->has_deltas);
		}
		/* The custom migration: no deltas and no footprints. */
		if (i == 3) {
			assert_int_equal(s->deltas_nr, 0);
			assert_int_equal(s->footprints_nr, 0);
		} else {
			assert_true(s->footprints_nr > 0);
		}
		assert_ptr_equal(mg_migfolder_find_id(f, s->id), m);
		assert_ptr_equal(mg_migfolder_find(f, m->name), m);
		if (i > 0)
			assert_true(mg_folder_sorts_after(m->name, m[-1].name));
		prev = s->id;
		free(sql);
	}
	mg_migfolder_free(f);
	mg_tree_free(t);
}

static void test_migfolder__footprints_of_a_diff(void **state)
{
	struct mg_tree *t = open_fixture("step-02");
	struct mg_migfolder *f = load(t);
	const struct mg_folder_snapshot *s;
	const struct mg_footprint *fp;
	size_t i, found = 0;

	(void)state;
	assert_int_equal(mg_migfolder_fields(f, by_suffix(f, "plan_summary"),
					     &s), 0);
	assert_int_equal(s->footprints_nr, 2);
	assert_int_equal(s->deltas_nr, 2);
	fp = &s->footprints[0];
	assert_string_equal(fp->statement_type, "add_column");
	assert_true(fp->target_nr >= 2);
	for (i = 0; i < fp->writes_nr; i++)
		if (!strcmp(fp->writes[i],
			    "s|col|public.research_plan.summary"))
			found++;
	assert_int_equal(found, 1);
	assert_string_equal(s->footprints[1].statement_type, "create_index");
	mg_migfolder_free(f);
	mg_tree_free(t);
}

/* The footprints of branch's last migration (its only new one). */
static const struct mg_folder_snapshot *branch_tip(const char *branch,
						   struct mg_tree **t,
						   struct mg_migfolder **f)
{
	const struct mg_folder_snapshot *s;

	*t = open_fixture(branch);
	*f = load(*t);
	assert_int_equal(mg_migfolder_fields(*f, &(*f)->items[(*f)->nr - 1],
					     &s),
			 0);
	return s;
}

static void test_migfolder__footprints_conflict_as_check_says(void **state)
{
	struct mg_tree *ta, *tb, *tc;
	struct mg_migfolder *fa, *fb, *fc;
	const struct mg_folder_snapshot *a, *b, *c;
	const struct mg_footprint *left, *right;

	(void)state;
	a = branch_tip("branches/branch-a", &ta, &fa);
	b = branch_tip("branches/branch-b", &tb, &fb);
	c = branch_tip("branches/branch-c", &tc, &fc);
	/* merged-ab.check.out: fine; merged-ac.check.out: a conflict on
	 * add_column priority. */
	assert_int_equal(mg_footprints_conflict(a->footprints,
						a->footprints_nr,
						b->footprints,
						b->footprints_nr, &left,
						&right),
			 0);
	assert_int_equal(mg_footprints_conflict(a->footprints,
						a->footprints_nr,
						c->footprints,
						c->footprints_nr, &left,
						&right),
			 1);
	assert_string_equal(left->statement_type, "add_column");
	assert_string_equal(right->statement_type, "add_column");
	assert_int_equal(mg_footprints_conflict(c->footprints,
						c->footprints_nr,
						a->footprints,
						a->footprints_nr, &left,
						&right),
			 1);
	mg_migfolder_free(fa);
	mg_migfolder_free(fb);
	mg_migfolder_free(fc);
	mg_tree_free(ta);
	mg_tree_free(tb);
	mg_tree_free(tc);
}

static void test_migfolder__sql_read_once_as_is(void **state)
{
	struct mg_tree *t = open_fixture("step-03");
	struct mg_migfolder *f = load(t);
	struct mg_folder_migration *m = by_suffix(f, "enable_pgvector");
	const char *sql, *again;
	size_t len, len2;

	(void)state;
	assert_int_equal(mg_migfolder_sql(f, m, &sql, &len), 0);
	assert_true(mg_starts_with(sql, "-- Custom SQL migration file, put "
					"your code below! --\n-- Manual "
					"addition:"));
	assert_int_equal(len, strlen(sql));
	assert_int_equal(mg_migfolder_sql(f, m, &again, &len2), 0);
	assert_ptr_equal(sql, again);
	mg_migfolder_free(f);
	mg_tree_free(t);
}

static void test_migfolder__up_leaves_stray_sql(void **state)
{
	struct mg_tree *t = open_fixture("up/orphan-sql");
	struct mg_migfolder *f = load(t);

	(void)state;
	assert_int_equal(f->nr, 3);
	assert_int_equal(f->stray_sql_nr, 1);
	assert_string_equal(f->stray_sql[0], OUT "/0003_hand_written.sql");
	assert_int_equal(f->layout.layout, MG_LAYOUT_FOLDER);
	assert_int_equal(f->layout.journal_sql, 1);
	/* up names folders after `when` in UTC seconds, prefix dropped. */
	assert_ptr_equal(by_suffix(f, "init"), &f->items[0]);
	assert_ptr_equal(by_suffix(f, "research_plan"), &f->items[1]);
	assert_ptr_equal(by_suffix(f, "plan_summary"), &f->items[2]);
	assert_true(f->items[0].name_ok);
	assert_true(f->items[0].millis % 1000 == 0);
	assert_true(f->items[0].millis <= f->items[1].millis);
	mg_migfolder_free(f);
	mg_tree_free(t);
}

static void test_migfolder__incomplete_and_broken_folders(void **state)
{
	char *dir = scratch(FX "/step-02");
	struct mg_folder_migration *m;
	const struct mg_folder_snapshot *s;
	const struct mg_json *j;
	struct mg_migfolder *f;
	struct mg_tree *t = NULL;
	const char *sql;
	size_t len;

	(void)state;
	/* SQL without snapshot, snapshot without SQL, a broken snapshot,
	 * a .sql beside migration.sql, a folder not named by drizzle. */
	run("cd '%s/src/migrations' && mkdir 20300101000000_no_snapshot "
	    "20300101000001_no_sql hand && printf 'SELECT 1;' "
	    ">20300101000000_no_snapshot/migration.sql && echo '{}' "
	    ">20300101000001_no_sql/snapshot.json && echo x >hand/notes.sql "
	    "&& printf 'SELECT 2;' >hand/migration.sql", dir);
	run("cd '%s/src/migrations' && for d in *_plan_summary; do "
	    "printf '{\"id\": ' >\"$d/snapshot.json\"; done", dir);
	assert_int_equal(mg_tree_open_dir(&t, dir), 0);
	f = load(t);
	assert_int_equal(f->nr, 6);
	m = mg_migfolder_find(f, "20300101000000_no_snapshot");
	assert_non_null(m);
	assert_non_null(m->sql_path);
	assert_null(m->snapshot_path);
	assert_int_equal(mg_migfolder_fields(f, m, &s), MG_ENOTFOUND);
	m = mg_migfolder_find(f, "20300101000001_no_sql");
	assert_null(m->sql_path);
	assert_int_equal(mg_migfolder_sql(f, m, &sql, &len), MG_ENOTFOUND);
	assert_int_equal(mg_migfolder_fields(f, m, &s), 0);
	assert_null(s->id);
	assert_false(s->prev_ids_valid);
	assert_int_equal(s->kind, MG_SNAPSHOT_UNKNOWN);
	m = mg_migfolder_find(f, "hand");
	assert_false(m->name_ok);
	assert_int_equal(m->millis, -1);
	assert_int_equal(f->stray_sql_nr, 1);
	assert_string_equal(f->stray_sql[0], OUT "/hand/notes.sql");
	m = by_suffix(f, "plan_summary");
	assert_int_equal(mg_migfolder_snapshot(f, m, &j), MG_ERROR);
	assert_non_null(m->snapshot_error);
	assert_int_equal(m->snapshot_error_offset, 7);
	/* "hand" sorts after the digits: the migrator runs it last. */
	assert_string_equal(f->items[f->nr - 1].name, "hand");
	mg_migfolder_free(f);
	mg_tree_free(t);
	scratch_rm(dir);
}

/* ------------------------------------------------------------- order --- */

static int cmp_names(const void *a, const void *b)
{
	return mg_folder_name_cmp(*(const char *const *)a,
				  *(const char *const *)b);
}

static void test_migfolder__order_is_locale_compare(void **state)
{
	/* As node 20 sorted them (tests/fixtures/drizzle-1.0/facts.txt). */
	const char *names[] = {
		"20260101000000_plan2",	 "20260101000000_plan_x",
		"20260101000000_Zeta",	 "20260101000000_alpha",
		"20260101000000_Alpha",	 "20260101000000-dash",
		"20260101000000_a.b",
	};
	const char *want[] = {
		"20260101000000_a.b",	 "20260101000000_alpha",
		"20260101000000_Alpha",	 "20260101000000_plan_x",
		"20260101000000_plan2",	 "20260101000000_Zeta",
		"20260101000000-dash",
	};
	size_t i;

	(void)state;
	qsort(names, 7, sizeof(names[0]), cmp_names);
	for (i = 0; i < 7; i++)
		assert_string_equal(names[i], want[i]);
	/* Case decides last; control characters are ignored. */
	assert_true(mg_folder_name_cmp("Ab", "aC") < 0);
	assert_true(mg_folder_name_cmp("a", "A") < 0);
	assert_true(mg_folder_name_cmp("a\001b", "ab") != 0);
	assert_true(mg_folder_name_cmp("x", "x") == 0);
	/* drizzle-kit wants both orders to agree. */
	assert_true(mg_folder_sorts_after("20260101000001_a",
					  "20260101000000_b"));
	assert_false(mg_folder_sorts_after("20260101000000_plan2",
					   "20260101000000_plan_x"));
	assert_false(mg_folder_sorts_after("20260101000000_plan_x",
					   "20260101000000_plan2"));
}

static void test_migfolder__millis_as_date_utc(void **state)
{
	(void)state;
	/* Values from node: Date.UTC(...) of the same fields. */
	assert_int_equal(mg_folder_name_millis("20200101000000_late"),
			 1577836800000LL);
	assert_int_equal(mg_folder_name_millis("20261125234438_init"),
			 1795650278000LL);
	assert_int_equal(mg_folder_name_millis("20261301000000_x"),
			 1798761600000LL);
	assert_int_equal(mg_folder_name_millis("20260001000000"),
			 1764547200000LL);
	assert_int_equal(mg_folder_name_millis("20260230256161"),
			 1772503321000LL);
	assert_int_equal(mg_folder_name_millis("19691231235959"), -1000LL);
	assert_int_equal(mg_folder_name_millis("2026120310195_x"), -1);
	assert_int_equal(mg_folder_name_millis("short"), -1);
}

/* ------------------------------------------------------------ replay --- */

static int has(const struct mg_ddl_state *s, const char *type,
	       const char *table, const char *name)
{
	return mg_ddl_state_find(s, type, "public", table, name) != NULL;
}

static void test_migfolder__replay_rc5_history(void **state)
{
	struct mg_tree *t = open_fixture("step-06");
	struct mg_migfolder *f = load(t);
	struct mg_ddl_state s;

	(void)state;
	assert_int_equal(mg_migfolder_state(&s, f, by_suffix(f, "init")), 0);
	assert_int_equal(mg_ddl_state_count(&s, "tables", NULL, NULL), 2);
	assert_int_equal(mg_ddl_state_count(&s, "columns", "public", "user"),
			 4);
	assert_true(has(&s, "fks", "user",
			"user_organization_id_organization_id_fkey"));
	assert_true(has(&s, "indexes", "user", "user_organization_id_idx"));
	assert_true(has(&s, "uniques", "organization",
			"organization_slug_key"));
	assert_true(has(&s, "enums", NULL, "member_role"));
	mg_ddl_state_release(&s);

	assert_int_equal(mg_migfolder_state(&s, f,
					    by_suffix(f, "enable_pgvector")),
			 0);
	assert_true(has(&s, "columns", "research_plan", "summary"));
	assert_true(has(&s, "indexes", "research_plan",
			"research_plan_status_idx"));
	assert_true(has(&s, "policies", "research_plan",
			"research_plan_select"));
	mg_ddl_state_release(&s);

	assert_int_equal(mg_migfolder_state(&s, f,
					    by_suffix(f, "rename_summary")),
			 0);
	assert_false(has(&s, "columns", "research_plan", "summary"));
	assert_true(has(&s, "columns", "research_plan", "abstract"));
	mg_ddl_state_release(&s);

	assert_int_equal(mg_migfolder_state(&s, f,
					    by_suffix(f, "research_step")),
			 0);
	assert_int_equal(mg_ddl_state_count(&s, "tables", NULL, NULL), 4);
	assert_true(has(&s, "fks", "research_step",
			"research_step_plan_id_research_plan_id_fkey"));
	mg_ddl_state_release(&s);

	assert_int_equal(
		mg_migfolder_state(&s, f, by_suffix(f, "drop_research_step")),
		0);
	assert_int_equal(mg_ddl_state_count(&s, "tables", NULL, NULL), 3);
	assert_int_equal(mg_ddl_state_count(&s, "columns", "public",
					    "research_step"),
			 0);
	assert_false(has(&s, "indexes", NULL, "research_step_plan_id_idx"));
	assert_int_equal(mg_ddl_state_count(&s, "columns", "public",
					    "research_plan"),
			 5);
	mg_ddl_state_release(&s);
	mg_migfolder_free(f);
	mg_tree_free(t);
}

static void test_migfolder__replay_merge_of_two_branches(void **state)
{
	struct mg_tree *t = open_fixture("branches/merged-ab-next");
	struct mg_migfolder *f = load(t);
	struct mg_folder_migration *merge = by_suffix(f, "organization_plan");
	const struct mg_folder_snapshot *s;
	struct mg_ddl_state st;

	(void)state;
	assert_int_equal(f->nr, 10);
	assert_int_equal(mg_migfolder_fields(f, merge, &s), 0);
	assert_int_equal(s->prev_ids_nr, 2);
	assert_ptr_equal(mg_migfolder_find_id(f, s->prev_ids[0]),
			 by_suffix(f, "user_last_seen"));
	assert_ptr_equal(mg_migfolder_find_id(f, s->prev_ids[1]),
			 by_suffix(f, "plan_priority"));

	/* Each branch alone. */
	assert_int_equal(mg_migfolder_state(&st, f,
					    by_suffix(f, "plan_priority")),
			 0);
	assert_true(has(&st, "columns", "research_plan", "priority"));
	assert_false(has(&st, "columns", "user", "last_seen_at"));
	mg_ddl_state_release(&st);
	assert_int_equal(mg_migfolder_state(&st, f,
					    by_suffix(f, "user_last_seen")),
			 0);
	assert_false(has(&st, "columns", "research_plan", "priority"));
	assert_true(has(&st, "columns", "user", "last_seen_at"));
	mg_ddl_state_release(&st);

	/* The merge has both, and its own change. */
	assert_int_equal(mg_migfolder_state(&st, f, merge), 0);
	assert_true(has(&st, "columns", "research_plan", "priority"));
	assert_true(has(&st, "columns", "user", "last_seen_at"));
	assert_true(has(&st, "columns", "organization", "plan"));
	mg_ddl_state_release(&st);
	mg_migfolder_free(f);
	mg_tree_free(t);
}

static void test_migfolder__replay_what_up_converted(void **state)
{
	struct mg_tree *t = open_fixture("up/step-06");
	struct mg_migfolder *f = load(t);
	struct mg_ddl_state s;

	(void)state;
	assert_int_equal(f->nr, 7);
	assert_int_equal(mg_migfolder_state(&s, f, &f->items[f->nr - 1]), 0);
	assert_false(mg_ddl_state_find(&s, "tables", "public",
				       NULL, "research_step"));
	assert_true(has(&s, "columns", "research_plan", "abstract"));
	assert_false(has(&s, "columns", "research_plan", "summary"));
	assert_true(has(&s, "policies", "research_plan",
			"research_plan_select"));
	mg_ddl_state_release(&s);
	mg_migfolder_free(f);
	mg_tree_free(t);
}

static void test_migfolder__replay_without_its_base(void **state)
{
	char *dir = scratch(FX "/step-02");
	struct mg_migfolder *f;
	struct mg_tree *t = NULL;
	struct mg_ddl_state s;

	(void)state;
	run("rm -r '%s/src/migrations/'*_init", dir);
	assert_int_equal(mg_tree_open_dir(&t, dir), 0);
	f = load(t);
	assert_int_equal(f->nr, 2);
	assert_int_equal(mg_migfolder_state(&s, f, &f->items[1]), MG_ERROR);
	assert_non_null(strstr(mg_error_last(), "is not in the folder"));
	assert_int_equal(s.nr, 0);
	mg_migfolder_free(f);
	mg_tree_free(t);
	scratch_rm(dir);
}

/* A state from a ddl text, then deltas from another. */
static void replay_text(struct mg_ddl_state *s, const char *ddl,
			const char *deltas, int want)
{
	struct mg_json *a = NULL, *b = NULL;
	size_t off;

	mg_ddl_state_init(s);
	assert_int_equal(mg_json_parse(&a, ddl, strlen(ddl), &off), 0);
	assert_int_equal(mg_ddl_state_load(s, a), 0);
	assert_int_equal(mg_json_parse(&b, deltas, strlen(deltas), &off), 0);
	assert_int_equal(mg_ddl_state_apply(s, b, deltas, strlen(deltas)),
			 want);
	mg_json_free(a);
	mg_json_free(b);
}

/* A table row, a text column row, a delta key as drizzle-kit writes one. */
#define T(s, t)                                                        \
	"{\"entityType\":\"tables\",\"schema\":\"" s "\",\"name\":\"" t  \
	"\"}"
#define C(t, c)                                                        \
	"{\"entityType\":\"columns\",\"schema\":\"public\",\"table\":\"" t \
	"\",\"name\":\"" c "\",\"type\":\"text\",\"typeSchema\":null}"
#define KEY(type, arr) "\"" type "\\u0000" arr "\""
/* An element of the key's array: a JSON string inside a JSON string. */
#define Q(x) "\\\"" x "\\\""
#define KEY_A KEY("tables", "[" Q("public") "," Q("a") "]")
#define KEY_A_COL(c) KEY("columns", "[" Q("public") "," Q("a") "," Q(c) "]")
#define RENAME(key, to) "[{\"op\":\"rename\",\"key\":" key ",\"set\":" \
	"{\"name\":\"" to "\"}}]"

static const char small_ddl[] =
	"[" T("public", "a") "," C("a", "x") "," C("a", "y") ","
	"{\"entityType\":\"indexes\",\"schema\":\"public\",\"table\":\"a\","
	"\"name\":\"a_x_idx\",\"columns\":[{\"value\":\"x\",\"isExpression\":"
	"false},{\"value\":\"lower(x)\",\"isExpression\":true}]},"
	"{\"entityType\":\"fks\",\"schema\":\"public\",\"table\":\"b\","
	"\"name\":\"b_ax_fkey\",\"columns\":[\"ax\"],\"schemaTo\":\"public\","
	"\"tableTo\":\"a\",\"columnsTo\":[\"x\"]},"
	T("public", "b") "," C("b", "ax") "]";

static void test_migfolder__rename_carries_to_dependents(void **state)
{
	struct mg_ddl_state s;
	const struct mg_ddl_entity *e;
	const struct mg_json *cols;

	(void)state;
	/* A table renamed: its columns, index and the fk pointing at it. */
	replay_text(&s, small_ddl, RENAME(KEY_A, "a2"), 0);
	assert_false(has(&s, "tables", NULL, "a"));
	assert_true(has(&s, "tables", NULL, "a2"));
	assert_int_equal(mg_ddl_state_count(&s, "columns", "public", "a2"), 2);
	assert_int_equal(mg_ddl_state_count(&s, "columns", "public", "a"), 0);
	assert_true(has(&s, "indexes", "a2", "a_x_idx"));
	e = mg_ddl_state_find(&s, "fks", "public", "b", "b_ax_fkey");
	assert_non_null(e);
	assert_string_equal(mg_json_get_string(e->row, "tableTo"), "a2");
	mg_ddl_state_release(&s);

	/* A column renamed: index and fk column lists follow, expressions
	 * do not. */
	replay_text(&s, small_ddl, RENAME(KEY_A_COL("x"), "z"), 0);
	assert_true(has(&s, "columns", "a", "z"));
	assert_false(has(&s, "columns", "a", "x"));
	e = mg_ddl_state_find(&s, "indexes", "public", NULL, "a_x_idx");
	cols = mg_json_get(e->row, "columns");
	assert_string_equal(mg_json_get_string(cols->children[0], "value"),
			    "z");
	assert_string_equal(mg_json_get_string(cols->children[1], "value"),
			    "lower(x)");
	e = mg_ddl_state_find(&s, "fks", "public", "b", "b_ax_fkey");
	cols = mg_json_get(e->row, "columnsTo");
	assert_string_equal(cols->children[0]->string, "z");
	cols = mg_json_get(e->row, "columns");
	assert_string_equal(cols->children[0]->string, "ax");
	mg_ddl_state_release(&s);

	/* A schema renamed: the table moves, and its columns with it. */
	replay_text(&s, small_ddl,
		    "[{\"op\":\"create\",\"row\":{\"entityType\":\"schemas\","
		    "\"name\":\"public\"}},{\"op\":\"rename\",\"key\":"
		    KEY("schemas", "[" Q("public") "]")
		    ",\"set\":{\"name\":\"app\"}}]",
		    0);
	assert_non_null(mg_ddl_state_find(&s, "tables", "app", NULL, "a"));
	assert_int_equal(mg_ddl_state_count(&s, "columns", "app", "a"), 2);
	assert_int_equal(mg_ddl_state_count(&s, "columns", "public", NULL), 0);
	mg_ddl_state_release(&s);
}

static void test_migfolder__deltas_refused_as_drizzle_does(void **state)
{
	struct mg_ddl_state s;

	(void)state;
	/* An equal row created again is fine, another one is a collision. */
	replay_text(&s, small_ddl, "[{\"op\":\"create\",\"row\":" C("a", "x")
		    "}]", 0);
	assert_int_equal(mg_ddl_state_count(&s, "columns", "public", "a"), 2);
	mg_ddl_state_release(&s);
	replay_text(&s, small_ddl,
		    "[{\"op\":\"create\",\"row\":{\"entityType\":\"columns\","
		    "\"schema\":\"public\",\"table\":\"a\",\"name\":\"x\","
		    "\"type\":\"integer\"}}]",
		    MG_ERROR);
	assert_non_null(strstr(mg_error_last(), "another columns"));
	mg_ddl_state_release(&s);
	/* A rename onto an existing key. */
	replay_text(&s, small_ddl, RENAME(KEY_A_COL("x"), "y"), MG_ERROR);
	mg_ddl_state_release(&s);
	/* A drop of nothing changes nothing; a drop removes one row. */
	replay_text(&s, small_ddl,
		    "[{\"op\":\"drop\",\"key\":" KEY_A_COL("nope")
		    "},{\"op\":\"drop\",\"key\":"
		    KEY("indexes", "[" Q("public") "," Q("a_x_idx") "]") "}]",
		    0);
	assert_int_equal(s.nr, 6);
	assert_false(has(&s, "indexes", NULL, "a_x_idx"));
	mg_ddl_state_release(&s);
	/* Keys that are not drizzle's. */
	replay_text(&s, small_ddl, "[{\"op\":\"drop\",\"key\":\"tables\"}]",
		    MG_ERROR);
	mg_ddl_state_release(&s);
	replay_text(&s, small_ddl,
		    "[{\"op\":\"drop\",\"key\":" KEY("widgets", "[]") "}]",
		    MG_ERROR);
	mg_ddl_state_release(&s);
	replay_text(&s, small_ddl, "[{\"op\":\"explode\"}]", MG_ERROR);
	mg_ddl_state_release(&s);
}

/*
 * The key index at size: a state of a few thousand rows through creates,
 * drops (which move every later row), renames carried to columns and
 * equal re-creates, interleaved; every key then looked up against the
 * model, and each found once by a scan of the items.
 */
#define BIG_T 600
#define BIG_C 8

struct big_model {
	int table[BIG_T];	   /* alive */
	int renamed[BIG_T];	   /* t<i> is r<i> now */
	int col[BIG_T][BIG_C];	   /* alive, under the table's name */
};

static void big_col_row(struct mg_strbuf *sb, const char *t, int c,
			const char *type)
{
	mg_strbuf_addf(sb, "{\"entityType\":\"columns\",\"schema\":\"public\","
		       "\"table\":\"%s\",\"name\":\"c%d\",\"type\":\"%s\"}",
		       t, c, type);
}

static size_t scan_count(const struct mg_ddl_state *s, const char *type,
			 const char *table, const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < s->nr; i++) {
		const struct mg_ddl_entity *e = &s->items[i];

		if (!strcmp(e->entity_type, type) && e->name &&
		    !strcmp(e->name, name) &&
		    (!table || (e->table && !strcmp(e->table, table))))
			n++;
	}
	return n;
}

static void test_migfolder__replay_index_matches_a_scan(void **state)
{
	static struct big_model m;
	struct mg_strbuf ddl = MG_STRBUF_INIT, d = MG_STRBUF_INIT;
	struct mg_json *a = NULL, *b = NULL;
	struct mg_ddl_state s;
	size_t off, total = 0;
	char t[16], r[16], c[8];
	int i, k;

	(void)state;
	memset(&m, 0, sizeof(m));
	mg_strbuf_addch(&ddl, '[');
	for (i = 0; i < BIG_T; i++) {
		snprintf(t, sizeof(t), "t%d", i);
		mg_strbuf_addf(&ddl, "%s{\"entityType\":\"tables\",\"schema\":"
			       "\"public\",\"name\":\"%s\"}",
			       i ? "," : "", t);
		m.table[i] = 1;
		for (k = 0; k < 5; k++) {
			mg_strbuf_addch(&ddl, ',');
			big_col_row(&ddl, t, k, "text");
			m.col[i][k] = 1;
		}
	}
	mg_strbuf_addch(&ddl, ']');

	mg_strbuf_addch(&d, '[');
	for (i = 0; i < BIG_T; i++) {
		snprintf(t, sizeof(t), "t%d", i);
		snprintf(r, sizeof(r), "r%d", i);
		if (i % 3 == 0) {
			mg_strbuf_addf(&d, "{\"op\":\"drop\",\"key\":\"columns"
				       "\\u0000[\\\"public\\\",\\\"%s\\\","
				       "\\\"c0\\\"]\"},", t);
			m.col[i][0] = 0;
		}
		mg_strbuf_adds(&d, "{\"op\":\"create\",\"row\":");
		big_col_row(&d, t, 5, "text");
		mg_strbuf_adds(&d, "},");
		m.col[i][5] = 1;
		if (i % 7 == 0) {
			/* equal to the row there: nothing changes */
			mg_strbuf_adds(&d, "{\"op\":\"create\",\"row\":");
			big_col_row(&d, t, 1, "text");
			mg_strbuf_adds(&d, "},");
		}
		mg_strbuf_addf(&d, "{\"op\":\"drop\",\"key\":\"columns\\u0000"
			       "[\\\"public\\\",\\\"%s\\\",\\\"zz\\\"]\"},", t);
		if (i % 5 == 0) {
			/* the table's row only, as drizzle-kit */
			mg_strbuf_addf(&d, "{\"op\":\"drop\",\"key\":\"tables"
				       "\\u0000[\\\"public\\\",\\\"%s\\\"]\"},",
				       t);
			m.table[i] = 0;
		}
		if (i % 11 == 1) {
			mg_strbuf_addf(&d, "{\"op\":\"rename\",\"key\":\"tables"
				       "\\u0000[\\\"public\\\",\\\"%s\\\"]\","
				       "\"set\":{\"name\":\"%s\"}},", t, r);
			m.renamed[i] = m.table[i];
		}
		mg_strbuf_adds(&d, "{\"op\":\"create\",\"row\":");
		big_col_row(&d, m.renamed[i] ? r : t, 6, "integer");
		mg_strbuf_adds(&d, "}");
		m.col[i][6] = 1;
		mg_strbuf_addch(&d, i + 1 < BIG_T ? ',' : ']');
	}

	mg_ddl_state_init(&s);
	assert_int_equal(mg_json_parse(&a, ddl.buf, ddl.len, &off), 0);
	assert_int_equal(mg_ddl_state_load(&s, a), 0);
	assert_int_equal(s.nr, BIG_T * 6);
	assert_int_equal(mg_json_parse(&b, d.buf, d.len, &off), 0);
	assert_int_equal(mg_ddl_state_apply(&s, b, d.buf, d.len), 0);
	for (i = 0; i < BIG_T; i++) {
		const char *name;
		size_t cols = 0;

		snprintf(t, sizeof(t), "t%d", i);
		snprintf(r, sizeof(r), "r%d", i);
		name = m.renamed[i] ? r : t;
		assert_int_equal(mg_ddl_state_find(&s, "tables", "public", NULL,
						   name) != NULL,
				 m.table[i]);
		assert_int_equal(scan_count(&s, "tables", NULL, name),
				 m.table[i]);
		if (m.renamed[i])
			assert_null(mg_ddl_state_find(&s, "tables", NULL, NULL,
						      t));
		total += (size_t)m.table[i];
		for (k = 0; k < BIG_C; k++) {
			snprintf(c, sizeof(c), "c%d", k);
			assert_int_equal(mg_ddl_state_find(&s, "columns",
							   "public", name,
							   c) != NULL,
					 m.col[i][k]);
			assert_int_equal(scan_count(&s, "columns", name, c),
					 m.col[i][k]);
			cols += (size_t)m.col[i][k];
		}
		assert_int_equal(mg_ddl_state_count(&s, "columns", "public",
						    name),
				 cols);
		if (m.renamed[i])
			assert_int_equal(mg_ddl_state_count(&s, "columns",
							    NULL, t),
					 0);
		total += cols;
	}
	assert_int_equal(s.nr, total);
	mg_json_free(b);
	b = NULL;

	/* Then the lookups that refuse: a create with other values under a
	 * key there, after a rename (the index rebuilt). */
	mg_strbuf_reset(&d);
	mg_strbuf_adds(&d, "[{\"op\":\"rename\",\"key\":\"tables\\u0000"
			 "[\\\"public\\\",\\\"t2\\\"]\",\"set\":{\"name\":"
			 "\"q2\"}},{\"op\":\"create\",\"row\":");
	big_col_row(&d, "q2", 4, "integer");
	mg_strbuf_adds(&d, "}]");
	assert_int_equal(mg_json_parse(&b, d.buf, d.len, &off), 0);
	assert_int_equal(mg_ddl_state_apply(&s, b, d.buf, d.len), MG_ERROR);
	assert_non_null(strstr(mg_error_last(), "another columns"));
	mg_ddl_state_release(&s);
	mg_json_free(a);
	mg_json_free(b);

	/* A rename onto the key of another row, on a fresh state. */
	mg_ddl_state_init(&s);
	assert_int_equal(mg_json_parse(&a, ddl.buf, ddl.len, &off), 0);
	assert_int_equal(mg_ddl_state_load(&s, a), 0);
	mg_strbuf_reset(&d);
	mg_strbuf_adds(&d, "[{\"op\":\"drop\",\"key\":\"columns\\u0000"
			 "[\\\"public\\\",\\\"t9\\\",\\\"c0\\\"]\"},"
			 "{\"op\":\"rename\",\"key\":\"columns\\u0000"
			 "[\\\"public\\\",\\\"t599\\\",\\\"c1\\\"]\","
			 "\"set\":{\"name\":\"c2\"}}]");
	b = NULL;
	assert_int_equal(mg_json_parse(&b, d.buf, d.len, &off), 0);
	assert_int_equal(mg_ddl_state_apply(&s, b, d.buf, d.len), MG_ERROR);
	assert_non_null(strstr(mg_error_last(), "onto the key"));
	mg_ddl_state_release(&s);
	mg_json_free(a);
	mg_json_free(b);
	mg_strbuf_release(&ddl);
	mg_strbuf_release(&d);
}

/* ---------------------------------------------------------------- up --- */

static void up_plan(const char *root, struct mg_tree **t,
		    struct mg_migdir **d, struct mg_up_plan *p)
{
	assert_int_equal(mg_tree_open_dir(t, root), 0);
	assert_int_equal(mg_migdir_load(d, *t, OUT), 0);
	assert_int_equal(mg_up_plan_make(p, *d), 0);
}

static void up_done(struct mg_tree *t, struct mg_migdir *d,
		    struct mg_up_plan *p)
{
	mg_up_plan_release(p);
	mg_migdir_free(d);
	mg_tree_free(t);
}

static void test_migfolder__up_plan_names_folders_as_up_did(void **state)
{
	struct mg_migfolder *f;
	struct mg_migdir *d;
	struct mg_tree *t, *ft;
	struct mg_up_plan p;
	size_t i;

	(void)state;
	/* ../drizzle/step-02 is what up/orphan-sql was made from. */
	up_plan(OLD "/step-02", &t, &d, &p);
	ft = open_fixture("up/orphan-sql");
	f = load(ft);
	assert_null(p.refusal);
	assert_int_equal(p.nr, 3);
	assert_int_equal(p.left_sql_nr, 0);
	for (i = 0; i < p.nr; i++) {
		assert_string_equal(p.items[i].folder, f->items[i].name);
		assert_true(p.items[i].has_snapshot);
		assert_non_null(p.items[i].sql_path);
	}
	mg_migfolder_free(f);
	mg_tree_free(ft);
	up_done(t, d, &p);
}

static void test_migfolder__up_plan_refuses_as_up_did(void **state)
{
	char *dir = scratch(OLD "/step-02");
	struct mg_migdir *d;
	struct mg_tree *t;
	struct mg_up_plan p;

	(void)state;
	/* up/step-06.refused.out: 0003 sorts before its parent 0002. */
	up_plan(OLD "/step-06", &t, &d, &p);
	assert_non_null(p.refusal);
	assert_string_equal(p.refusal_tag, "0003_enable_pgvector");
	assert_non_null(strstr(p.refusal, "before its parent "
					  "0002_plan_summary"));
	up_done(t, d, &p);

	/* up/orphan-sql: the stray .sql stays at the root. */
	run("printf 'SELECT 1;' >'%s/src/migrations/0003_hand_written.sql'",
	    dir);
	up_plan(dir, &t, &d, &p);
	assert_null(p.refusal);
	assert_int_equal(p.left_sql_nr, 1);
	assert_string_equal(p.left_sql[0], OUT "/0003_hand_written.sql");
	up_done(t, d, &p);

	/* An entry without its snapshot, then without its SQL. */
	run("rm '%s/src/migrations/meta/0001_snapshot.json'", dir);
	up_plan(dir, &t, &d, &p);
	assert_string_equal(p.refusal_tag, "0001_research_plan");
	assert_non_null(strstr(p.refusal, "no snapshot"));
	up_done(t, d, &p);
	run("cd '%s/src/migrations' && cp '" OLD "/step-02/src/migrations/"
	    "meta/0001_snapshot.json' meta/ && rm 0002_plan_summary.sql", dir);
	up_plan(dir, &t, &d, &p);
	assert_string_equal(p.refusal_tag, "0002_plan_summary");
	assert_non_null(strstr(p.refusal, "no SQL file"));
	up_done(t, d, &p);
	scratch_rm(dir);
}

/* Every reason, in the order rc.5's up checks them (it stops at the first). */
static void test_migfolder__up_plan_lists_every_refusal(void **state)
{
	char *dir = scratch(OLD "/step-02");
	struct mg_migdir *d;
	struct mg_tree *t;
	struct mg_up_plan p;

	(void)state;
	run("cd '%s/src/migrations' && rm meta/0001_snapshot.json "
	    "0002_plan_summary.sql", dir);
	up_plan(dir, &t, &d, &p);
	assert_int_equal(p.refusals_nr, 2);
	assert_int_equal(p.refusals[0].kind, MG_UP_NO_SNAPSHOT);
	assert_int_equal(p.refusals[0].index, 1);
	assert_int_equal(p.refusals[1].kind, MG_UP_NO_SQL);
	assert_int_equal(p.refusals[1].index, 2);
	assert_string_equal(p.refusal, p.refusals[0].message);
	assert_string_equal(p.refusal_tag, "0001_research_plan");
	up_done(t, d, &p);

	/* Restored with another id: a parent gone, then two firsts. */
	run("cd '%s/src/migrations' && cp '" OLD "/step-02/src/migrations/"
	    "0002_plan_summary.sql' . && sed -e 's/\"id\": \"8af2b24a-/"
	    "\"id\": \"ffffffff-/' -e 's/\"prevId\": \"874842d0-[^\"]*"
	    "\"/\"prevId\": \"00000000-0000-0000-0000-000000000000\"/' "
	    "'" OLD "/step-02/src/migrations/meta/0001_snapshot.json' "
	    ">meta/0001_snapshot.json", dir);
	up_plan(dir, &t, &d, &p);
	assert_int_equal(p.refusals_nr, 2);
	assert_int_equal(p.refusals[0].kind, MG_UP_PARENT_MISSING);
	assert_int_equal(p.refusals[0].index, 2);
	assert_int_equal(p.refusals[1].kind, MG_UP_TWO_FIRSTS);
	assert_int_equal(p.refusals[1].index, 1);
	assert_int_equal(p.refusals[1].other, 0);
	up_done(t, d, &p);

	/* Not JSON: refused as malformed, and no parent called missing. */
	run("printf '{\"id\": ' >'%s/src/migrations/meta/0001_snapshot.json'",
	    dir);
	up_plan(dir, &t, &d, &p);
	assert_int_equal(p.refusals_nr, 1);
	assert_int_equal(p.refusals[0].kind, MG_UP_SNAPSHOT_MALFORMED);
	up_done(t, d, &p);
	scratch_rm(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migfolder__layout_of_each_drizzle),
		cmocka_unit_test(test_migfolder__layout_both_is_an_unfinished_up),
		cmocka_unit_test(test_migfolder__lists_rc5_history_in_order),
		cmocka_unit_test(test_migfolder__footprints_of_a_diff),
		cmocka_unit_test(test_migfolder__footprints_conflict_as_check_says),
		cmocka_unit_test(test_migfolder__sql_read_once_as_is),
		cmocka_unit_test(test_migfolder__up_leaves_stray_sql),
		cmocka_unit_test(test_migfolder__incomplete_and_broken_folders),
		cmocka_unit_test(test_migfolder__order_is_locale_compare),
		cmocka_unit_test(test_migfolder__millis_as_date_utc),
		cmocka_unit_test(test_migfolder__replay_rc5_history),
		cmocka_unit_test(test_migfolder__replay_merge_of_two_branches),
		cmocka_unit_test(test_migfolder__replay_what_up_converted),
		cmocka_unit_test(test_migfolder__replay_without_its_base),
		cmocka_unit_test(test_migfolder__rename_carries_to_dependents),
		cmocka_unit_test(test_migfolder__deltas_refused_as_drizzle_does),
		cmocka_unit_test(test_migfolder__replay_index_matches_a_scan),
		cmocka_unit_test(test_migfolder__up_plan_names_folders_as_up_did),
		cmocka_unit_test(test_migfolder__up_plan_refuses_as_up_did),
		cmocka_unit_test(test_migfolder__up_plan_lists_every_refusal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

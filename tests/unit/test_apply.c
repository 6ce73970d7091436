#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "migguard/apply.h"
#include "migguard/sha256.h"
#include "migguard/srcmap.h"

static void test_apply__split_like_javascript(void **state)
{
	static const char sql[] =
		"CREATE TABLE a (id int);--> statement-breakpoint\n"
		"CREATE TABLE b (id int);\n--> statement-breakpoint"
		"--> statement-breakpoint";
	struct mg_apply_chunk *c = NULL;
	size_t nr = 0;

	(void)state;
	mg_apply_split(&c, &nr, sql, sizeof(sql) - 1);
	assert_int_equal(nr, 4);
	assert_int_equal(c[0].offset, 0);
	assert_int_equal(c[0].len, 24);
	/* Untrimmed: the newline after the marker starts chunk 1. */
	assert_int_equal(c[1].offset, 48);
	assert_memory_equal(sql + c[1].offset, "\nCREATE TABLE b", 15);
	assert_int_equal(c[2].len, 0);
	assert_int_equal(c[3].offset, sizeof(sql) - 1);
	assert_int_equal(c[3].len, 0);
	free(c);
	mg_apply_split(&c, &nr, "", 0);
	assert_int_equal(nr, 1);
	assert_int_equal(c[0].len, 0);
	free(c);
}

static void locate(const char *sql, size_t off, unsigned *line,
		   unsigned *col)
{
	struct mg_srcmap map;

	mg_srcmap_init(&map, sql, strlen(sql));
	mg_srcmap_locate(&map, off, line, col);
	mg_srcmap_release(&map);
}

static void test_apply__error_position_maps_to_file_line(void **state)
{
	static const char sql[] =
		"CREATE TABLE a (id int);--> statement-breakpoint\n"
		"-- Manual addition: ok\n"
		"CREATE TABLE \"é\" (id int);\n"
		"SELECT nope FROM b;";
	struct mg_apply_chunk *c = NULL;
	unsigned line, col;
	size_t nr = 0, off;

	(void)state;
	mg_apply_split(&c, &nr, sql, strlen(sql));
	assert_int_equal(nr, 2);
	/* Position 59 in chunk 1 is 'n' of "nope" ("é" is one character). */
	off = mg_apply_error_offset(sql, strlen(sql), &c[1], 59);
	locate(sql, off, &line, &col);
	assert_int_equal(line, 4);
	assert_int_equal(col, 8);
	/* Without a position: the chunk's first statement, past comments. */
	off = mg_apply_error_offset(sql, strlen(sql), &c[1], 0);
	locate(sql, off, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 1);
	off = mg_apply_error_offset(sql, strlen(sql), &c[0], 0);
	assert_int_equal(off, 0);
	free(c);
}

static void test_apply__check_text_rejects_bad_utf8(void **state)
{
	static const char ok[] = "plain é ✓ 𝄞";

	(void)state;
	assert_int_equal(mg_apply_check_text(ok, strlen(ok)), 0);
	assert_int_equal(mg_apply_check_text("ab\0c", 4), 3);
	assert_int_equal(mg_apply_check_text("a\xff", 2), 2);
	assert_int_equal(mg_apply_check_text("a\xc3", 2), 2);
	/* An overlong form, a surrogate, beyond U+10FFFF. */
	assert_int_equal(mg_apply_check_text("\xc0\xaf", 2), 1);
	assert_int_equal(mg_apply_check_text("\xed\xa0\x80", 3), 1);
	assert_int_equal(mg_apply_check_text("\xf4\x90\x80\x80", 4), 1);
}

static void test_apply__lock_key_is_fixed(void **state)
{
	(void)state;
	/* sha256("migguard-apply\0"), first 8 bytes, big-endian. */
	assert_true(mg_apply_lock_key() == mg_apply_lock_key());
	assert_true(mg_apply_lock_key() != 0);
}

/* Three entries, hashes "h0".."h2" (not real: the analysis compares). */
static void fill_entries(struct mg_apply_entry *e)
{
	static const char *const tags[] = { "0000_a", "0001_b", "0002_c" };
	static const char *const paths[] = { "m/0000_a.sql", "m/0001_b.sql",
					     "m/0002_c.sql" };
	int i;

	memset(e, 0, 3 * sizeof(*e));
	for (i = 0; i < 3; i++) {
		e[i].tag = tags[i];
		e[i].when = 1000 * (i + 1);
		snprintf(e[i].hash, sizeof(e[i].hash), "h%d", i);
		e[i].sql_path = paths[i];
		e[i].journal_line = (unsigned)(5 + 7 * i);
	}
}

static struct mg_apply_row row(long long id, const char *hash,
			       long long created_at)
{
	struct mg_apply_row r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.hash = (char *)hash;
	r.created_at = created_at;
	r.created_at_null = created_at < 0;
	return r;
}

static void test_apply__pending_after_newest(void **state)
{
	struct mg_apply_entry e[3];
	struct mg_apply_row rows[2];
	unsigned char pending[3];
	struct mg_report r;

	(void)state;
	fill_entries(e);
	mg_report_init(&r);
	mg_apply_analyse(&r, pending, e, 3, NULL, 0, "m/meta/_journal.json");
	assert_int_equal(r.nr, 0);
	assert_true(pending[0] && pending[1] && pending[2]);
	rows[0] = row(1, "h0", 1000);
	rows[1] = row(2, "h1", 2000);
	mg_apply_analyse(&r, pending, e, 3, rows, 2, "m/meta/_journal.json");
	assert_int_equal(r.nr, 0);
	assert_false(pending[0] || pending[1]);
	assert_true(pending[2]);
	mg_report_release(&r);
}

static void test_apply__would_be_skipped(void **state)
{
	struct mg_apply_entry e[3];
	struct mg_apply_row rows[2];
	unsigned char pending[3];
	struct mg_report r;

	(void)state;
	fill_entries(e);
	mg_report_init(&r);
	/* 0001_b merged in from a branch: older than the newest applied. */
	rows[0] = row(1, "h0", 1000);
	rows[1] = row(2, "h2", 3000);
	mg_apply_analyse(&r, pending, e, 3, rows, 2, "m/meta/_journal.json");
	assert_int_equal(r.nr, 1);
	assert_string_equal(r.items[0].rule, "migration-would-be-skipped");
	assert_string_equal(r.items[0].path, "m/meta/_journal.json");
	assert_int_equal(r.items[0].line, 12);
	assert_non_null(strstr(r.items[0].message, "'0001_b'"));
	assert_non_null(strstr(r.items[0].hint, "after 3000"));
	assert_false(pending[0] || pending[1] || pending[2]);
	mg_report_release(&r);
}

static void test_apply__modified_file_named(void **state)
{
	struct mg_apply_entry e[3];
	struct mg_apply_row rows[2];
	unsigned char pending[3];
	struct mg_report r;

	(void)state;
	fill_entries(e);
	mg_report_init(&r);
	rows[0] = row(1, "h0", 1000);
	rows[1] = row(2, "edited", 2000);
	mg_apply_analyse(&r, pending, e, 3, rows, 2, "m/meta/_journal.json");
	assert_int_equal(r.nr, 1);
	assert_string_equal(r.items[0].rule, "applied-migration-modified");
	assert_string_equal(r.items[0].path, "m/0001_b.sql");
	assert_non_null(strstr(r.items[0].message, "changed after it was "
					      "applied"));
	mg_report_release(&r);
}

static void test_apply__unknown_row_and_moved_when(void **state)
{
	struct mg_apply_entry e[3];
	struct mg_apply_row rows[3];
	unsigned char pending[3];
	struct mg_report r;

	(void)state;
	fill_entries(e);
	mg_report_init(&r);
	rows[0] = row(1, "h0", 1000);
	rows[1] = row(2, "h1", 1500);	 /* 0001_b's when was edited */
	rows[2] = row(3, "gone", 1700); /* a branch's migration */
	mg_apply_analyse(&r, pending, e, 3, rows, 3, "j");
	assert_int_equal(r.nr, 2);
	assert_int_equal(r.items[0].line, 12);
	assert_non_null(strstr(r.items[0].message, "applied with when 1500"));
	assert_non_null(strstr(r.items[1].message, "no journal entry"));
	assert_string_equal(r.items[1].rule, "applied-migration-missing");
	/* 0001_b is later than 1700: drizzle would run it again. */
	assert_true(pending[1]);
	mg_report_release(&r);
}

static void test_apply__null_created_at_reruns_everything(void **state)
{
	struct mg_apply_entry e[3];
	struct mg_apply_row rows[2];
	unsigned char pending[3];
	struct mg_report r;

	(void)state;
	fill_entries(e);
	mg_report_init(&r);
	rows[0] = row(1, "h0", -1);
	rows[1] = row(2, "h1", 2000);
	mg_apply_analyse(&r, pending, e, 3, rows, 2, "j");
	assert_int_equal(r.nr, 1);
	assert_string_equal(r.items[0].rule, "applied-migration-modified");
	assert_non_null(strstr(r.items[0].message, "without created_at"));
	assert_true(pending[0] && pending[1] && pending[2]);
	mg_report_release(&r);
}

/* rc.5's folders: two in one second (the 0.31 fixtures' init and plan). */
static void fill_folders(struct mg_apply_folder *f)
{
	static const char *const names[] = {
		"20261125234438_init", "20261125234438_research_plan",
		"20261125234439_plan_summary"
	};
	static const long long millis[] = { 1795650278000LL, 1795650278000LL,
					    1795650279000LL };
	int i;

	memset(f, 0, 3 * sizeof(*f));
	for (i = 0; i < 3; i++) {
		f[i].name = names[i];
		f[i].millis = millis[i];
		snprintf(f[i].hash, sizeof(f[i].hash), "h%d", i);
		f[i].sql_path = names[i];
	}
}

static struct mg_apply_row named_row(long long id, const char *hash,
				     const char *name)
{
	struct mg_apply_row r = row(id, hash, 0);

	r.name = (char *)name;
	return r;
}

static void test_apply__upgrade_matches_as_rc5(void **state)
{
	struct mg_apply_folder f[3];
	struct mg_apply_row rows[6];
	size_t match[6];

	(void)state;
	fill_folders(f);
	/* 0.45's created_at in milliseconds, cut to the second. */
	rows[0] = row(1, "h0", 1795650278392LL); /* two that second: hash */
	rows[1] = row(2, "h1", 1795650278798LL);
	rows[2] = row(3, "edited", 1795650279342LL); /* one: any hash */
	rows[3] = row(4, "h2", 1600000000000LL);     /* none: by hash */
	rows[4] = row(5, "nope", 1795650278000LL);   /* two, no hash: none */
	rows[5] = row(6, "h1", -1);		      /* NULL: by hash */
	assert_int_equal(mg_apply_upgrade_match(match, f, 3, rows, 6), 1);
	assert_int_equal(match[0], 0);
	assert_int_equal(match[1], 1);
	assert_int_equal(match[2], 2);
	assert_int_equal(match[3], 2);
	assert_true(match[4] == (size_t)-1);
	assert_int_equal(match[5], 1);
	/* A created_at of three digits or fewer reads as second 0. */
	rows[0] = row(1, "x", 999);
	f[0].millis = 0;
	assert_int_equal(mg_apply_upgrade_match(match, f, 3, rows, 1), 0);
	assert_int_equal(match[0], 0);
}

static void test_apply__folder_pending_by_name(void **state)
{
	struct mg_apply_folder f[3];
	struct mg_apply_row rows[3];
	unsigned char pending[3];
	struct mg_report r;

	(void)state;
	fill_folders(f);
	mg_report_init(&r);
	/* Only the name counts, not the time: the first one runs. */
	rows[0] = named_row(1, "h2", "20261125234439_plan_summary");
	mg_apply_folder_analyse(&r, pending, f, 3, rows, 1, "m");
	assert_int_equal(r.nr, 0);
	assert_true(pending[0] && pending[1]);
	assert_false(pending[2]);
	/* Edited after it was applied. */
	rows[0] = named_row(1, "old", "20261125234439_plan_summary");
	mg_apply_folder_analyse(&r, pending, f, 3, rows, 1, "m");
	assert_int_equal(r.nr, 1);
	assert_string_equal(r.items[0].rule, "applied-migration-modified");
	assert_string_equal(r.items[0].path, "20261125234439_plan_summary");
	mg_report_release(&r);
}

static void test_apply__folder_missing_renamed_nameless(void **state)
{
	struct mg_apply_folder f[3];
	struct mg_apply_row rows[3];
	unsigned char pending[3];
	struct mg_report r;

	(void)state;
	fill_folders(f);
	mg_report_init(&r);
	rows[0] = named_row(1, "h0", "20261125234438_init");
	rows[1] = named_row(2, "h1", "20261125234437_research_plan");
	rows[2] = named_row(3, "gone", "20261125234440_gone");
	mg_apply_folder_analyse(&r, pending, f, 3, rows, 3, "m");
	assert_int_equal(r.nr, 2);
	/* Renamed: reported at the folder rc.5 would run again. */
	assert_string_equal(r.items[0].rule, "applied-migration-missing");
	assert_string_equal(r.items[0].path, "20261125234438_research_plan");
	assert_non_null(strstr(r.items[0].message, "renamed"));
	/* Deleted: at the migrations folder. */
	assert_string_equal(r.items[1].rule, "applied-migration-missing");
	assert_string_equal(r.items[1].path, "m");
	assert_true(pending[1] && pending[2]);
	mg_report_release(&r);
	/* A row without name is not counted: its folder runs again. */
	mg_report_init(&r);
	rows[0] = named_row(1, "h0", NULL);
	mg_apply_folder_analyse(&r, pending, f, 3, rows, 1, "m");
	assert_int_equal(r.nr, 1);
	assert_string_equal(r.items[0].rule, "applied-migration-modified");
	assert_string_equal(r.items[0].path, "20261125234438_init");
	assert_true(pending[0]);
	mg_report_release(&r);
}

static void test_apply__folder_order_by_time_when_upgrading(void **state)
{
	/* December 99th is in March: by name first, by time second. */
	struct mg_apply_folder f[3];
	unsigned char pending[3] = { 1, 1, 0 };
	size_t order[3];

	(void)state;
	memset(f, 0, sizeof(f));
	f[0].name = "20261299000000_carry";
	f[0].millis = 1804550400000LL;
	f[1].name = "20270201000000_feb";
	f[1].millis = 1801440000000LL;
	f[2].name = "20270301000000_mar";
	f[2].millis = 1803859200000LL;
	assert_int_equal(mg_apply_folder_order(order, f, 3, pending, 0), 2);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 1);
	assert_int_equal(mg_apply_folder_order(order, f, 3, pending, 1), 2);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply__split_like_javascript),
		cmocka_unit_test(test_apply__error_position_maps_to_file_line),
		cmocka_unit_test(test_apply__check_text_rejects_bad_utf8),
		cmocka_unit_test(test_apply__lock_key_is_fixed),
		cmocka_unit_test(test_apply__pending_after_newest),
		cmocka_unit_test(test_apply__would_be_skipped),
		cmocka_unit_test(test_apply__modified_file_named),
		cmocka_unit_test(test_apply__unknown_row_and_moved_when),
		cmocka_unit_test(test_apply__null_created_at_reruns_everything),
		cmocka_unit_test(test_apply__upgrade_matches_as_rc5),
		cmocka_unit_test(test_apply__folder_pending_by_name),
		cmocka_unit_test(test_apply__folder_missing_renamed_nameless),
		cmocka_unit_test(test_apply__folder_order_by_time_when_upgrading),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

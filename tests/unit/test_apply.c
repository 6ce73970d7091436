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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

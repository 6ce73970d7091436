#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migguard/baseline.h"
#include "migguard/check.h"

static char *make_dir(void)
{
	char tmpl[] = "/tmp/mg-baseline-XXXXXX";
	char *dir = mkdtemp(tmpl);

	assert_non_null(dir);
	return strdup(dir);
}

static void write_baseline(const char *dir, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, MG_BASELINE_FILE);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_dir(char *dir)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, MG_BASELINE_FILE);
	unlink(path);
	rmdir(dir);
	free(dir);
}

static void fill(struct mg_report *r)
{
	mg_report_init(r);
	mg_report_add(r, "drop-table", "db/b.sql", 3, 1, NULL, "table t");
	mg_report_add(r, "drop-column", "db/a.sql", 9, 2, NULL, "column c");
	mg_report_add(r, "drop-table", "db/a.sql", 1, 1, NULL, "table u");
}

/* Sorted by path, rule, fingerprint; no line numbers; the same bytes. */
static void test_baseline__format_sorted_without_lines(void **state)
{
	struct mg_strbuf a = MG_STRBUF_INIT, b = MG_STRBUF_INIT;
	struct mg_report r;
	const char *p1, *p2, *p3;

	(void)state;
	fill(&r);
	mg_baseline_format(&a, &r);
	mg_report_sort(&r);
	mg_baseline_format(&b, &r);
	assert_string_equal(a.buf, b.buf);
	p1 = strstr(a.buf, "\"drop-column\", \"path\": \"db/a.sql\"");
	p2 = strstr(a.buf, "\"drop-table\", \"path\": \"db/a.sql\"");
	p3 = strstr(a.buf, "\"drop-table\", \"path\": \"db/b.sql\"");
	assert_true(p1 && p2 && p3 && p1 < p2 && p2 < p3);
	assert_null(strstr(a.buf, "line"));
	mg_strbuf_release(&a);
	mg_strbuf_release(&b);
	mg_report_release(&r);
}

/* Listed findings go, each entry once; an entry matching nothing is stale. */
static void test_baseline__apply_and_stale(void **state)
{
	struct mg_strbuf text = MG_STRBUF_INIT;
	struct mg_report r;
	struct mg_tree *t = NULL;
	char *dir = make_dir();

	(void)state;
	fill(&r);
	mg_baseline_format(&text, &r);
	mg_report_release(&r);
	write_baseline(dir, text.buf);
	assert_int_equal(mg_tree_open_dir(&t, dir), 0);

	/* The same findings, lines moved: all left out. */
	mg_report_init(&r);
	mg_report_add(&r, "drop-table", "db/b.sql", 30, 1, NULL, "table t");
	mg_report_add(&r, "drop-column", "db/a.sql", 90, 2, NULL, "column c");
	mg_report_add(&r, "drop-table", "db/a.sql", 10, 1, NULL, "table u");
	mg_report_add(&r, "drop-table", "db/c.sql", 1, 1, NULL, "new one");
	assert_int_equal(mg_baseline_apply(&r, 0, t, MG_BASELINE_ALL_CHECKS), 0);
	assert_int_equal(r.nr, 1);
	assert_string_equal(r.items[0].path, "db/c.sql");
	mg_report_release(&r);

	/* One fixed: its entry is a baseline-stale warning at its line. */
	mg_report_init(&r);
	mg_report_add(&r, "drop-table", "db/b.sql", 3, 1, NULL, "table t");
	mg_report_add(&r, "drop-column", "db/a.sql", 9, 2, NULL, "column c");
	assert_int_equal(mg_baseline_apply(&r, 0, t, MG_BASELINE_ALL_CHECKS), 0);
	assert_int_equal(r.nr, 1);
	assert_string_equal(r.items[0].rule, "baseline-stale");
	assert_string_equal(r.items[0].path, MG_BASELINE_FILE);
	assert_int_equal(r.items[0].severity, MG_SEVERITY_WARNING);
	assert_int_equal(r.items[0].line, 5);
	mg_report_release(&r);

	/*
	 * A run of some checks (migguard-journal) does not call the other
	 * checks' entries stale: they were not looked for.
	 */
	mg_report_init(&r);
	assert_int_equal(mg_baseline_apply(&r, 0, t, MG_CHECK_JOURNAL), 0);
	assert_int_equal(r.nr, 0);
	assert_int_equal(mg_baseline_apply(&r, 0, t, MG_CHECK_LINT), 0);
	assert_int_equal(r.nr, 3);
	mg_report_release(&r);
	mg_tree_free(t);
	mg_strbuf_release(&text);
	remove_dir(dir);
}

static void test_baseline__none_and_malformed(void **state)
{
	struct mg_report r;
	struct mg_tree *t = NULL;
	char *dir = make_dir();

	(void)state;
	assert_int_equal(mg_tree_open_dir(&t, dir), 0);
	fill(&r);
	assert_int_equal(mg_baseline_apply(&r, 0, t, MG_BASELINE_ALL_CHECKS), 0);
	assert_int_equal(r.nr, 3);
	write_baseline(dir, "{\"version\": 1, \"findings\": [{\"rule\": 1}]}");
	assert_true(mg_baseline_apply(&r, 0, t, MG_BASELINE_ALL_CHECKS) < 0);
	assert_non_null(strstr(mg_error_last(),
			       ".migguard-baseline.json:1:29: an entry needs"));
	write_baseline(dir, "{\"version\": 2, \"findings\": []}");
	assert_true(mg_baseline_apply(&r, 0, t, MG_BASELINE_ALL_CHECKS) < 0);
	assert_non_null(strstr(mg_error_last(), "not a version 1 baseline"));
	mg_report_release(&r);
	mg_tree_free(t);
	remove_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline__format_sorted_without_lines),
		cmocka_unit_test(test_baseline__apply_and_stale),
		cmocka_unit_test(test_baseline__none_and_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migguard/json.h"
#include "migguard/report.h"

static void fill(struct mg_report *r)
{
	mg_report_init(r);
	mg_report_add(r, "drop-column", "db/0001_b.sql", 3, 7,
		      "use ALTER TABLE ... RENAME COLUMN",
		      "column '%s' is dropped", "\"user\".\"email\"");
	mg_report_add(r, "fk-on-delete", "db/0001_b.sql", 1, 2, NULL,
		      "foreign key 'x' has ON DELETE no action");
	mg_report_add(r, "journal-invalid", "a, b:c%.json", 0, 0, NULL,
		      "line one\nline two 100%%");
}

static char *render(struct mg_report *r, enum mg_format f, int color)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;

	mg_report_sort(r);
	mg_report_format(&sb, r, f, color);
	return mg_strbuf_detach(&sb, NULL);
}

static void test_report__text_sorted_compiler_style(void **state)
{
	struct mg_report r;
	char *out;

	(void)state;
	fill(&r);
	out = render(&r, MG_FORMAT_TEXT, 0);
	assert_string_equal(out,
		"a, b:c%.json:1:1: error: line one\\nline two 100% "
		"[journal-invalid]\n"
		"db/0001_b.sql:1:2: warning: foreign key 'x' has ON DELETE no "
		"action [fk-on-delete]\n"
		"db/0001_b.sql:3:7: error: column '\"user\".\"email\"' is "
		"dropped [drop-column]\n"
		"  hint: use ALTER TABLE ... RENAME COLUMN\n");
	free(out);
	mg_report_release(&r);
}

static void test_report__text_color_only_when_asked(void **state)
{
	struct mg_report r;
	char *out;

	(void)state;
	fill(&r);
	out = render(&r, MG_FORMAT_TEXT, 1);
	assert_non_null(strstr(out, "\033[1;31merror"));
	free(out);
	out = render(&r, MG_FORMAT_TEXT, 0);
	assert_null(strchr(out, '\033'));
	free(out);
	mg_report_release(&r);
}

static void test_report__severity_override_and_off(void **state)
{
	struct mg_report r;
	size_t e, w;

	(void)state;
	mg_report_init(&r);
	assert_int_equal(mg_report_set_severity(&r, "drop-column",
						MG_SEVERITY_WARNING), 0);
	assert_int_equal(mg_report_set_severity(&r, "fk-on-delete",
						MG_SEVERITY_OFF), 0);
	assert_int_equal(mg_report_set_severity(&r, "no-such-rule",
						MG_SEVERITY_OFF),
			 MG_ENOTFOUND);
	mg_report_add(&r, "drop-column", "a.sql", 1, 1, NULL, "x");
	mg_report_add(&r, "fk-on-delete", "a.sql", 1, 1, NULL, "y");
	mg_report_count(&r, &e, &w);
	assert_int_equal(e, 0);
	assert_int_equal(w, 1);
	assert_int_equal(r.nr, 1);
	mg_report_release(&r);
}

static void test_report__json_shape(void **state)
{
	struct mg_report r;
	struct mg_json *j = NULL;
	const struct mg_json *f, *first;
	char *out;

	(void)state;
	fill(&r);
	out = render(&r, MG_FORMAT_JSON, 0);
	assert_int_equal(mg_json_parse(&j, out, strlen(out), NULL), 0);
	assert_int_equal(mg_json_get(j, "version")->number, 1);
	f = mg_json_get(j, "findings");
	assert_int_equal(f->nr, 3);
	first = f->children[0];
	assert_string_equal(mg_json_get_string(first, "rule"),
			    "journal-invalid");
	assert_string_equal(mg_json_get_string(first, "severity"), "error");
	assert_string_equal(mg_json_get_string(first, "message"),
			    "line one\nline two 100%");
	assert_int_equal(mg_json_get(first, "hint")->type, MG_JSON_NULL);
	assert_string_equal(mg_json_get_string(f->children[2], "hint"),
			    "use ALTER TABLE ... RENAME COLUMN");
	assert_int_equal(mg_json_get(f->children[2], "line")->number, 3);
	assert_int_equal(mg_json_get(f->children[2], "column")->number, 7);
	assert_int_equal(
		mg_json_get(mg_json_get(j, "summary"), "errors")->number, 2);
	assert_int_equal(
		mg_json_get(mg_json_get(j, "summary"), "warnings")->number, 1);
	mg_json_free(j);
	free(out);
	mg_report_release(&r);
}

static void test_report__github_escapes(void **state)
{
	struct mg_report r;
	char *out;

	(void)state;
	fill(&r);
	out = render(&r, MG_FORMAT_GITHUB, 0);
	assert_string_equal(out,
		"::error file=a%2C b%3Ac%25.json,line=1,col=1,"
		"title=journal-invalid::line one\\nline two 100%25\n"
		"::warning file=db/0001_b.sql,line=1,col=2,title=fk-on-delete"
		"::foreign key 'x' has ON DELETE no action\n"
		"::error file=db/0001_b.sql,line=3,col=7,title=drop-column::"
		"column '\"user\".\"email\"' is dropped%0Ahint: use ALTER "
		"TABLE ... RENAME COLUMN\n");
	free(out);
	mg_report_release(&r);
}

/* The SARIF 2.1.0 schema's required properties, object by object. */
static void test_report__sarif_required_fields(void **state)
{
	struct mg_report r;
	struct mg_json *j = NULL;
	const struct mg_json *run, *driver, *rules, *results;
	char *out;
	size_t i, nr;

	(void)state;
	fill(&r);
	out = render(&r, MG_FORMAT_SARIF, 0);
	assert_int_equal(mg_json_parse(&j, out, strlen(out), NULL), 0);
	assert_string_equal(mg_json_get_string(j, "version"), "2.1.0");
	assert_int_equal(mg_json_get(j, "runs")->type, MG_JSON_ARRAY);
	assert_int_equal(mg_json_get(j, "runs")->nr, 1);
	run = mg_json_get(j, "runs")->children[0];
	driver = mg_json_get(mg_json_get(run, "tool"), "driver");
	assert_string_equal(mg_json_get_string(driver, "name"), "migguard");
	rules = mg_json_get(driver, "rules");
	mg_rules_all(&nr);
	assert_int_equal(rules->nr, nr);
	for (i = 0; i < rules->nr; i++)
		assert_non_null(mg_json_get_string(rules->children[i], "id"));
	results = mg_json_get(run, "results");
	assert_int_equal(results->nr, 3);
	for (i = 0; i < results->nr; i++) {
		const struct mg_json *res = results->children[i];
		const struct mg_json *loc, *phys, *region, *idx;

		assert_non_null(mg_json_get_string(
			mg_json_get(res, "message"), "text"));
		idx = mg_json_get(res, "ruleIndex");
		assert_string_equal(
			mg_json_get_string(rules->children[(size_t)idx->number],
					   "id"),
			mg_json_get_string(res, "ruleId"));
		loc = mg_json_get(res, "locations")->children[0];
		phys = mg_json_get(loc, "physicalLocation");
		assert_non_null(mg_json_get_string(
			mg_json_get(phys, "artifactLocation"), "uri"));
		region = mg_json_get(phys, "region");
		assert_true(mg_json_get(region, "startLine")->number >= 1);
		assert_true(mg_json_get(region, "startColumn")->number >= 1);
	}
	mg_json_free(j);
	free(out);
	mg_report_release(&r);
}

/*
 * Names from the repository (file names, quoted SQL identifiers) may hold
 * any byte: a newline would forge a report line or a GitHub workflow
 * command, ESC and BEL drive the terminal. Paths are quoted as git quotes
 * them (core.quotePath), messages and hints escaped the same way inside.
 */
static void fill_hostile(struct mg_report *r)
{
	mg_report_init(r);
	mg_report_add(r, "drop-table", "db/a\nok.sql:1:1: warning: x [y].sql",
		      2, 1, "drop \"\x1b[2J\"\a first",
		      "table \"t\n::error file=x::forged\" is dropped");
	mg_report_add(r, "drop-column", "db/\xff\xc2\x9b\x7f\\\"q\".sql", 1, 1,
		      NULL, "column '\xc3\xa9\r\x01' is dropped");
	mg_report_add(r, "drop-column", "db/\xc3\xa9t\xc3\xa9.sql", 1, 1,
		      NULL, "plain");
}

static void test_report__text_quotes_control_bytes(void **state)
{
	struct mg_report r;
	char *out;

	(void)state;
	fill_hostile(&r);
	out = render(&r, MG_FORMAT_TEXT, 0);
	assert_string_equal(out,
		"\"db/a\\nok.sql:1:1: warning: x [y].sql\":2:1: error: table "
		"\"t\\n::error file=x::forged\" is dropped [drop-table]\n"
		"  hint: drop \"\\033[2J\"\\a first\n"
		"db/\xc3\xa9t\xc3\xa9.sql:1:1: error: plain [drop-column]\n"
		"\"db/\\377\\302\\233\\177\\\\\\\"q\\\".sql\":1:1: error: "
		"column '\xc3\xa9\\r\\001' is dropped [drop-column]\n");
	free(out);
	mg_report_release(&r);
}

static void test_report__github_quotes_control_bytes(void **state)
{
	struct mg_report r;
	char *out;

	(void)state;
	fill_hostile(&r);
	out = render(&r, MG_FORMAT_GITHUB, 0);
	assert_null(strchr(out, '\033'));
	assert_null(strchr(out, '\a'));
	assert_null(strchr(out, '\r'));
	assert_string_equal(out,
		"::error file=\"db/a\\nok.sql%3A1%3A1%3A warning%3A x [y].sql\","
		"line=2,col=1,title=drop-table::table \"t\\n::error "
		"file=x::forged\" is dropped%0Ahint: drop \"\\033[2J\"\\a "
		"first\n"
		"::error file=db/\xc3\xa9t\xc3\xa9.sql,line=1,col=1,"
		"title=drop-column::plain\n"
		"::error file=\"db/\\377\\302\\233\\177\\\\\\\"q\\\".sql\","
		"line=1,col=1,title=drop-column::column '\xc3\xa9\\r\\001' is "
		"dropped\n");
	free(out);
	mg_report_release(&r);
}

/* JSON and SARIF stay valid UTF-8: a byte that is not is U+FFFD. */
static void test_report__json_sarif_valid_utf8(void **state)
{
	struct mg_report r;
	struct mg_json *j = NULL;
	const struct mg_json *f;
	char *out;

	(void)state;
	fill_hostile(&r);
	out = render(&r, MG_FORMAT_JSON, 0);
	assert_int_equal(mg_json_parse(&j, out, strlen(out), NULL), 0);
	f = mg_json_get(j, "findings")->children[2];
	assert_string_equal(mg_json_get_string(f, "path"),
			    "db/\xef\xbf\xbd\xc2\x9b\x7f\\\"q\".sql");
	assert_string_equal(mg_json_get_string(f, "message"),
			    "column '\xc3\xa9\r\x01' is dropped");
	mg_json_free(j);
	free(out);
	out = render(&r, MG_FORMAT_SARIF, 0);
	assert_int_equal(mg_json_parse(&j, out, strlen(out), NULL), 0);
	mg_json_free(j);
	free(out);
	mg_report_release(&r);
}

/* Notes for stderr: escaped as messages are. */
static void test_report__notes_escaped(void **state)
{
	struct mg_report r;
	struct mg_strbuf sb = MG_STRBUF_INIT;

	(void)state;
	mg_report_init(&r);
	mg_report_note(&r, "migguard: checked '%s'", "db\n\x1b]0;x\a");
	mg_report_format_notes(&sb, &r);
	assert_string_equal(sb.buf, "migguard: checked 'db\\n\\033]0;x\\a'\n");
	mg_strbuf_release(&sb);
	mg_report_release(&r);
}

static void test_report__summary_line(void **state)
{
	struct mg_report r;
	struct mg_strbuf sb = MG_STRBUF_INIT;

	(void)state;
	fill(&r);
	mg_report_summary(&sb, &r);
	assert_string_equal(sb.buf, "migguard: 2 errors, 1 warning\n");
	mg_strbuf_release(&sb);
	mg_report_release(&r);
}

static void test_report__duplicates_dropped(void **state)
{
	struct mg_report r;

	(void)state;
	mg_report_init(&r);
	mg_report_add(&r, "drop-table", "a.sql", 1, 1, NULL, "same");
	mg_report_add(&r, "drop-table", "a.sql", 1, 1, NULL, "same");
	mg_report_sort(&r);
	assert_int_equal(r.nr, 1);
	mg_report_release(&r);
}

static void test_report__summary_singular_and_preexisting(void **state)
{
	struct mg_report r;
	struct mg_strbuf sb = MG_STRBUF_INIT;

	(void)state;
	mg_report_init(&r);
	mg_report_add(&r, "drop-table", "a.sql", 1, 1, NULL, "x");
	r.preexisting = 1;
	mg_report_summary(&sb, &r);
	assert_string_equal(sb.buf,
		"migguard: 1 problem was already there before this change "
		"(migguard check --all lists it)\n"
		"migguard: 1 error, 0 warnings\n");
	mg_strbuf_reset(&sb);
	r.preexisting = 3;
	mg_report_summary(&sb, &r);
	assert_non_null(strstr(sb.buf, "migguard: 3 problems were already "
				       "there before this change (migguard "
				       "check --all lists them)\n"));
	mg_strbuf_release(&sb);
	mg_report_release(&r);
}

/* The fingerprint ignores positions, digits in messages and the path. */
static void test_report__fingerprint_stable(void **state)
{
	struct mg_report r;

	(void)state;
	mg_report_init(&r);
	mg_report_add(&r, "orphan-sql", "a/0003_x.sql", 0, 0, NULL,
		      "entry 3 is odd");
	mg_report_add(&r, "orphan-sql", "b/0003_x.sql", 9, 4, NULL,
		      "entry 4 is odd");
	mg_report_add(&r, "orphan-sql", "a/0003_x.sql", 0, 0, NULL,
		      "entry 3 is even");
	assert_string_equal(r.items[0].fingerprint, r.items[1].fingerprint);
	assert_string_not_equal(r.items[0].fingerprint,
				r.items[2].fingerprint);
	/* An anchor: the statement's text, whitespace runs as one. */
	mg_report_anchor(&r, 0, "DROP  TABLE\n\"t\"", 15);
	mg_report_anchor(&r, 2, "DROP TABLE \"t\"", 14);
	assert_string_equal(r.items[0].fingerprint, r.items[2].fingerprint);
	assert_int_equal(strlen(r.items[0].fingerprint), 16);
	mg_report_release(&r);
}

static void test_report__subtract_matches_each_once(void **state)
{
	struct mg_report r, base;

	(void)state;
	mg_report_init(&r);
	mg_report_init(&base);
	mg_report_add(&r, "drop-table", "a.sql", 1, 1, NULL, "t");
	mg_report_add(&r, "drop-table", "a.sql", 5, 1, NULL, "t");
	mg_report_add(&r, "drop-table", "b.sql", 1, 1, NULL, "t");
	mg_report_add(&r, "drop-column", "a.sql", 1, 1, NULL, "t");
	mg_report_add(&base, "drop-table", "a.sql", 7, 3, NULL, "t");
	assert_int_equal(mg_report_subtract(&r, 0, &base), 1);
	assert_int_equal(r.nr, 3);
	assert_int_equal(r.items[0].line, 5);
	assert_string_equal(r.items[1].path, "b.sql");
	assert_string_equal(r.items[2].rule, "drop-column");
	/* Findings before `since` are left alone. */
	assert_int_equal(mg_report_subtract(&r, 1, &base), 0);
	mg_report_release(&base);
	mg_report_release(&r);
}

static void test_report__json_preexisting_and_sarif_fingerprint(void **state)
{
	struct mg_report r;
	char *out;

	(void)state;
	fill(&r);
	out = render(&r, MG_FORMAT_JSON, 0);
	assert_null(strstr(out, "preexisting"));
	free(out);
	r.counts_preexisting = 1;
	r.preexisting = 2;
	out = render(&r, MG_FORMAT_JSON, 0);
	assert_non_null(strstr(out, "\"summary\":{\"errors\":2,"
				    "\"warnings\":1,\"preexisting\":2}}"));
	free(out);
	out = render(&r, MG_FORMAT_SARIF, 0);
	assert_non_null(strstr(out, "\"partialFingerprints\":{"
				    "\"migguardFingerprint/v1\":\""));
	free(out);
	mg_report_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report__text_sorted_compiler_style),
		cmocka_unit_test(test_report__text_color_only_when_asked),
		cmocka_unit_test(test_report__severity_override_and_off),
		cmocka_unit_test(test_report__json_shape),
		cmocka_unit_test(test_report__github_escapes),
		cmocka_unit_test(test_report__sarif_required_fields),
		cmocka_unit_test(test_report__text_quotes_control_bytes),
		cmocka_unit_test(test_report__github_quotes_control_bytes),
		cmocka_unit_test(test_report__json_sarif_valid_utf8),
		cmocka_unit_test(test_report__notes_escaped),
		cmocka_unit_test(test_report__summary_line),
		cmocka_unit_test(test_report__duplicates_dropped),
		cmocka_unit_test(test_report__summary_singular_and_preexisting),
		cmocka_unit_test(test_report__fingerprint_stable),
		cmocka_unit_test(test_report__subtract_matches_each_once),
		cmocka_unit_test(
			test_report__json_preexisting_and_sarif_fingerprint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

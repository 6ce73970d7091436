#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "migguard/lint.h"

#define BP "--> statement-breakpoint\n"

struct fixture {
	struct mg_report r;
	struct mg_lint_options opts;
	struct mg_lint_input in;
	struct mg_json *snapshot;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	mg_report_init(&f->r);
	f->opts.guards_from_index = 0;
	f->opts.tenant_column = "organization_id";
	f->opts.tenant_role = "authenticated";
	f->opts.fk_on_delete = "cascade";
	f->opts.enum_guards = 1;
	f->opts.extension_guards = 1;
	f->opts.manual_header = 1;
	f->in.path = "0007_test.sql";
	f->in.index = -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	mg_report_release(&f->r);
	mg_json_free(f->snapshot);
	free(f);
	return 0;
}

static void lint(struct fixture *f, const char *sql)
{
	f->in.sql = sql;
	f->in.len = strlen(sql);
	assert_int_equal(mg_lint_sql(&f->r, &f->opts, &f->in), 0);
	mg_report_sort(&f->r);
}

static size_t count(const struct fixture *f, const char *rule)
{
	size_t i, n = 0;

	for (i = 0; i < f->r.nr; i++)
		n += !strcmp(f->r.items[i].rule, rule);
	return n;
}

static const struct mg_finding *find(const struct fixture *f,
				     const char *rule)
{
	size_t i;

	for (i = 0; i < f->r.nr; i++)
		if (!strcmp(f->r.items[i].rule, rule))
			return &f->r.items[i];
	return NULL;
}

static void assert_at(const struct fixture *f, const char *rule,
		      unsigned line, unsigned column)
{
	const struct mg_finding *x = find(f, rule);

	assert_non_null(x);
	assert_int_equal(x->line, line);
	assert_int_equal(x->column, column);
}

static void test_lint__clean_generated_sql(void **state)
{
	struct fixture *f = *state;

	lint(f, "CREATE TABLE IF NOT EXISTS \"user\" (\n"
		"\t\"id\" uuid PRIMARY KEY DEFAULT gen_random_uuid() "
		"NOT NULL,\n\t\"email\" text NOT NULL\n);\n" BP
		"CREATE INDEX IF NOT EXISTS \"user_email_idx\" ON \"user\" "
		"USING btree (\"email\");");
	assert_int_equal(f->r.nr, 0);
}

static void test_lint__drop_column_points_at_column(void **state)
{
	struct fixture *f = *state;

	lint(f, "ALTER TABLE \"a\" ADD COLUMN IF NOT EXISTS \"x\" text;"
		"--> statement-breakpoint\n"
		"ALTER TABLE \"user\" DROP COLUMN IF EXISTS \"email\";");
	assert_at(f, "drop-column", 2, 42);
	assert_string_equal(find(f, "drop-column")->message,
			    "column \"user\".\"email\" is dropped");
	assert_non_null(strstr(find(f, "drop-column")->hint,
			       "-- migguard-ignore drop-column"));
	assert_int_equal(count(f, "rename-as-drop"), 0);
}

static void test_lint__drop_table_each_name(void **state)
{
	struct fixture *f = *state;

	lint(f, "DROP TABLE IF EXISTS \"a\", \"b\" CASCADE;");
	assert_int_equal(count(f, "drop-table"), 2);
	assert_int_equal(f->r.items[1].column, 27);
}

static void test_lint__rename_as_drop_same_table(void **state)
{
	struct fixture *f = *state;

	lint(f, "ALTER TABLE \"user\" ADD COLUMN IF NOT EXISTS \"nick\" text;"
		BP "ALTER TABLE \"user\" DROP COLUMN IF EXISTS \"name\";");
	assert_int_equal(count(f, "rename-as-drop"), 1);
	assert_non_null(strstr(find(f, "rename-as-drop")->hint,
			       "RENAME COLUMN \"name\" TO \"nick\""));
}

static void test_lint__missing_guard_respects_index(void **state)
{
	struct fixture *f = *state;
	const char *sql = "CREATE TABLE \"t\" (\"id\" integer);";

	f->opts.guards_from_index = 7;
	f->in.index = 3;
	lint(f, sql);
	assert_int_equal(count(f, "missing-if-not-exists"), 0);
	f->in.index = 7;
	lint(f, sql);
	assert_int_equal(count(f, "missing-if-not-exists"), 1);
	assert_at(f, "missing-if-not-exists", 1, 14);
}

static void test_lint__enum_guarded_by_do_block(void **state)
{
	struct fixture *f = *state;

	lint(f, "DO $$ BEGIN\n CREATE TYPE \"public\".\"s\" AS ENUM('a');\n"
		"EXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;");
	assert_int_equal(f->r.nr, 0);
	lint(f, "CREATE TYPE \"public\".\"s\" AS ENUM('a');");
	assert_at(f, "enum-without-guard", 1, 22);
}

static void test_lint__extension_without_guard(void **state)
{
	struct fixture *f = *state;

	lint(f, "-- Manual addition: pgvector\nCREATE EXTENSION vector;");
	assert_at(f, "extension-without-guard", 2, 18);
	assert_int_equal(count(f, "manual-addition-without-header"), 0);
}

static const char tenant_table[] =
	"CREATE TABLE IF NOT EXISTS \"doc\" (\n"
	"\t\"id\" uuid PRIMARY KEY NOT NULL,\n"
	"\t\"organization_id\" uuid NOT NULL\n);\n";

static void test_lint__rls_missing_and_policies(void **state)
{
	struct fixture *f = *state;

	lint(f, tenant_table);
	assert_at(f, "rls-missing", 1, 28);
	assert_string_equal(find(f, "rls-policy-missing")->message,
			    "table \"doc\" has no policy for select, insert, "
			    "update, delete to \"authenticated\"");
}

static void test_lint__rls_complete(void **state)
{
	struct fixture *f = *state;
	char sql[1024];

	snprintf(sql, sizeof(sql), "%s" BP
		 "ALTER TABLE \"doc\" ENABLE ROW LEVEL SECURITY;" BP
		 "CREATE POLICY \"p1\" ON \"doc\" AS PERMISSIVE FOR SELECT TO "
		 "\"authenticated\" USING (true);" BP
		 "CREATE POLICY \"p2\" ON \"doc\" AS PERMISSIVE FOR INSERT TO "
		 "\"authenticated\" WITH CHECK (true);" BP
		 "CREATE POLICY \"p3\" ON \"doc\" AS PERMISSIVE FOR UPDATE TO "
		 "\"authenticated\" USING (true);" BP
		 "CREATE POLICY \"p4\" ON \"doc\" AS PERMISSIVE FOR DELETE TO "
		 "\"anon\" USING (true);", tenant_table);
	lint(f, sql);
	assert_int_equal(count(f, "rls-missing"), 0);
	/* DELETE goes to another role: still missing. */
	assert_string_equal(find(f, "rls-policy-missing")->message,
			    "table \"doc\" has no policy for delete to "
			    "\"authenticated\"");
}

static void test_lint__tenant_options(void **state)
{
	struct fixture *f = *state;

	f->opts.tenant_column = "tenant_id";
	lint(f, tenant_table);
	assert_int_equal(count(f, "rls-missing"), 0);
}

/* What no convention of the project asks for is not reported. */
static const char no_convention_sql[] =
	"CREATE TYPE \"public\".\"s\" AS ENUM('a');" BP
	"CREATE TABLE \"doc\" (\"id\" uuid, \"organization_id\" uuid, "
	"\"p\" uuid REFERENCES \"p\"(\"id\") ON DELETE no action);" BP
	"ALTER TABLE \"doc\" ADD COLUMN \"x\" text;" BP
	"CREATE INDEX \"doc_x_idx\" ON \"doc\" (\"x\");" BP
	"CREATE EXTENSION vector;" BP
	"GRANT SELECT ON \"doc\" TO \"reader\";" BP
	"DROP TABLE \"old\";";

static void test_lint__conventions_off(void **state)
{
	struct fixture *f = *state;
	static const char *const conventions[] = {
		"enum-without-guard", "missing-if-not-exists",
		"extension-without-guard", "rls-missing", "rls-policy-missing",
		"fk-on-delete", "manual-addition-without-header",
	};
	size_t i;

	memset(&f->opts, 0, sizeof(f->opts));
	f->opts.guards_from_index = -1;
	lint(f, no_convention_sql);
	for (i = 0; i < sizeof(conventions) / sizeof(conventions[0]); i++)
		assert_int_equal(count(f, conventions[i]), 0);
	/* The rules that are not conventions still run. */
	assert_int_equal(count(f, "drop-table"), 1);
	assert_int_equal(f->r.nr, 1);
	/* No options at all: the same. */
	mg_report_release(&f->r);
	mg_report_init(&f->r);
	f->in.sql = no_convention_sql;
	f->in.len = strlen(no_convention_sql);
	assert_int_equal(mg_lint_sql(&f->r, NULL, &f->in), 0);
	assert_int_equal(f->r.nr, 1);
}

/* Each convention on alone brings its rule back. */
static void test_lint__conventions_one_by_one(void **state)
{
	struct fixture *f = *state;

	memset(&f->opts, 0, sizeof(f->opts));
	f->opts.guards_from_index = -1;
	f->opts.enum_guards = 1;
	f->opts.fk_on_delete = "cascade";
	lint(f, no_convention_sql);
	assert_int_equal(count(f, "enum-without-guard"), 1);
	assert_int_equal(count(f, "fk-on-delete"), 1);
	assert_int_equal(count(f, "rls-missing"), 0);
	assert_int_equal(count(f, "missing-if-not-exists"), 0);
	mg_report_release(&f->r);
	mg_report_init(&f->r);
	f->opts.enum_guards = 0;
	f->opts.fk_on_delete = NULL;
	f->opts.tenant_column = "organization_id";
	f->opts.tenant_role = "authenticated";
	f->opts.guards_from_index = 0;
	f->opts.extension_guards = 1;
	f->opts.manual_header = 1;
	lint(f, no_convention_sql);
	assert_int_equal(count(f, "rls-missing"), 1);
	assert_int_equal(count(f, "rls-policy-missing"), 1);
	assert_int_equal(count(f, "missing-if-not-exists"), 4);
	assert_int_equal(count(f, "extension-without-guard"), 1);
	assert_int_equal(count(f, "manual-addition-without-header"), 2);
	assert_int_equal(count(f, "enum-without-guard"), 0);
	assert_int_equal(count(f, "fk-on-delete"), 0);
}

static void test_lint__identifier_too_long(void **state)
{
	struct fixture *f = *state;

	lint(f, "CREATE INDEX IF NOT EXISTS \"a234567890123456789012345678901"
		"234567890123456789012345678901234\" ON \"t\" (\"x\");");
	assert_at(f, "identifier-too-long", 1, 28);
	mg_report_release(&f->r);
	mg_report_init(&f->r);
	lint(f, "CREATE INDEX IF NOT EXISTS \"a23456789012345678901234567890123"
		"456789012345678901234567890123\" ON \"t\" (\"x\");");
	assert_int_equal(count(f, "identifier-too-long"), 0);
}

static void test_lint__index_name_in_snapshot(void **state)
{
	struct fixture *f = *state;
	const char *snap =
		"{\"version\":\"7\",\"tables\":{\"public.user\":{\"name\":"
		"\"user\",\"schema\":\"\",\"indexes\":{\"user_email_idx\":{}},"
		"\"foreignKeys\":{\"user_org_fk\":{}},\"uniqueConstraints\":"
		"{},\"compositePrimaryKeys\":{},\"checkConstraints\":{}}}}";

	assert_int_equal(mg_json_parse(&f->snapshot, snap, strlen(snap),
				       NULL), 0);
	f->in.prev_snapshot = f->snapshot;
	lint(f, "CREATE INDEX IF NOT EXISTS \"user_email_idx\" ON \"member\" "
		"(\"email\");" BP
		"ALTER TABLE \"m\" ADD CONSTRAINT \"user_org_fk\" FOREIGN KEY "
		"(\"o\") REFERENCES \"public\".\"o\"(\"id\") "
		"ON DELETE cascade;");
	assert_int_equal(count(f, "index-name-collision"), 2);
	assert_at(f, "index-name-collision", 1, 28);
	assert_string_equal(find(f, "index-name-collision")->message,
			    "index name \"user_email_idx\" is already used on "
			    "table \"user\" in the previous snapshot");
}

static void test_lint__index_dropped_then_reused(void **state)
{
	struct fixture *f = *state;

	lint(f, "DROP INDEX IF EXISTS \"i\";" BP
		"CREATE INDEX IF NOT EXISTS \"i\" ON \"t\" (\"x\");" BP
		"CREATE INDEX IF NOT EXISTS \"j\" ON \"t\" (\"y\");" BP
		"CREATE INDEX IF NOT EXISTS \"j\" ON \"u\" (\"y\");");
	assert_int_equal(count(f, "index-name-collision"), 1);
	assert_at(f, "index-name-collision", 4, 28);
}

static void test_lint__fk_on_delete(void **state)
{
	struct fixture *f = *state;

	lint(f, "ALTER TABLE \"s\" ADD CONSTRAINT \"s_u_fk\" FOREIGN KEY "
		"(\"u\") REFERENCES \"public\".\"user\"(\"id\") ON DELETE "
		"set null ON UPDATE no action;");
	assert_at(f, "fk-on-delete", 1, 102);
	f->opts.fk_on_delete = "set null";
	mg_report_release(&f->r);
	mg_report_init(&f->r);
	lint(f, "ALTER TABLE \"s\" ADD CONSTRAINT \"s_u_fk\" FOREIGN KEY "
		"(\"u\") REFERENCES \"public\".\"user\"(\"id\") ON DELETE "
		"set null ON UPDATE no action;");
	assert_int_equal(count(f, "fk-on-delete"), 0);
}

static void test_lint__fk_without_on_delete(void **state)
{
	struct fixture *f = *state;

	lint(f, "CREATE TABLE IF NOT EXISTS \"s\" (\"u\" uuid REFERENCES "
		"\"user\"(\"id\"), \"v\" uuid REFERENCES \"v\"(\"id\") ON "
		"DELETE cascade);");
	assert_int_equal(count(f, "fk-on-delete"), 1);
	assert_string_equal(find(f, "fk-on-delete")->message,
			    "foreign key \"s\".\"u\" has no ON DELETE (no "
			    "action), the convention is cascade");
	assert_at(f, "fk-on-delete", 1, 42);
}

static void test_lint__do_block_contents(void **state)
{
	struct fixture *f = *state;

	lint(f, "-- Manual addition: cleanup\nDO $$\nBEGIN\n"
		"  EXECUTE 'DROP TABLE \"old\"';\n"
		"  ALTER TABLE \"a\" DROP COLUMN IF EXISTS \"b\";\nEND $$;");
	assert_at(f, "drop-table", 4, 23);
	assert_at(f, "drop-column", 5, 41);
	assert_int_equal(count(f, "manual-addition-without-header"), 0);
}

static void test_lint__concurrently(void **state)
{
	struct fixture *f = *state;

	lint(f, "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"i\" ON \"t\" "
		"(\"x\");" BP "CREATE INDEX IF NOT EXISTS \"concurrently\" "
		"ON \"t\" (\"y\");");
	assert_int_equal(count(f, "concurrently-in-transaction"), 1);
	assert_at(f, "concurrently-in-transaction", 1, 14);
}

static void test_lint__manual_header_group(void **state)
{
	struct fixture *f = *state;

	lint(f, "-- Manual addition: grants\n"
		"GRANT SELECT ON \"a\" TO authenticated;" BP
		"GRANT SELECT ON \"b\" TO authenticated;" BP
		"CREATE INDEX IF NOT EXISTS \"i\" ON \"a\" (\"x\");" BP
		"INSERT INTO \"a\" VALUES (1);");
	assert_int_equal(count(f, "manual-addition-without-header"), 1);
	assert_at(f, "manual-addition-without-header", 5, 1);
}

static void test_lint__custom_needs_no_header(void **state)
{
	struct fixture *f = *state;

	f->in.custom = 1;
	lint(f, "INSERT INTO \"a\" VALUES (1);");
	assert_int_equal(f->r.nr, 0);
}

static void test_lint__parse_error_rest_still_linted(void **state)
{
	struct fixture *f = *state;

	lint(f, "SELEC 1;" BP "CREATE TABLE IF NOT EXISTS \"a\" (\"x\" int,);"
		BP "DROP TABLE IF EXISTS \"b\";");
	assert_int_equal(count(f, "sql-parse-error"), 2);
	assert_at(f, "sql-parse-error", 1, 1);
	assert_int_equal(f->r.items[1].line, 2);
	assert_int_equal(f->r.items[1].column, 41);
	assert_at(f, "drop-table", 3, 22);
}

static void test_lint__missing_semicolon_between_breakpoints(void **state)
{
	struct fixture *f = *state;

	/* drizzle runs chunks alone: no ';' needed before a breakpoint */
	lint(f, "CREATE INDEX IF NOT EXISTS \"i\" ON \"t\" (\"x\")\n" BP
		"DROP TABLE IF EXISTS \"b\"");
	assert_int_equal(count(f, "sql-parse-error"), 0);
	assert_at(f, "drop-table", 3, 22);
}

static void test_lint__crlf_bom_and_utf8(void **state)
{
	struct fixture *f = *state;

	lint(f, "\xEF\xBB\xBF" "DROP TABLE IF EXISTS \"a\";\r\n" BP
		"DROP TABLE IF EXISTS \"\xC3\xA9t\xC3\xA9\";\r\n");
	assert_at(f, "sql-parse-error", 1, 1);
	assert_int_equal(count(f, "drop-table"), 2);
	assert_int_equal(f->r.items[f->r.nr - 1].line, 3);
	assert_int_equal(f->r.items[f->r.nr - 1].column, 22);
	mg_report_release(&f->r);
	mg_report_init(&f->r);
	lint(f, "SELECT 'a\xFF';");
	assert_string_equal(find(f, "sql-parse-error")->message,
			    "invalid utf-8 byte 0xff");
	assert_at(f, "sql-parse-error", 1, 10);
}

static void test_lint__ignore_directives(void **state)
{
	struct fixture *f = *state;

	lint(f, "-- migguard-ignore drop-table,missing-if-not-exists gone\n"
		"DROP TABLE \"a\";" BP "DROP TABLE IF EXISTS \"b\";");
	assert_int_equal(count(f, "drop-table"), 1);
	assert_at(f, "drop-table", 3, 22);
	assert_int_equal(count(f, "missing-if-not-exists"), 0);
}

static void test_lint__ignore_file_and_unused(void **state)
{
	struct fixture *f = *state;
	const struct mg_finding *x;

	lint(f, "DROP TABLE IF EXISTS \"b\";\n"
		"-- migguard-ignore-file drop-table\n"
		"-- migguard-ignore drop-column nothing here\n"
		"-- migguard-ignore no-such-rule\n"
		"SELECT 1;");
	assert_int_equal(count(f, "drop-table"), 0);
	x = find(f, "drop-column");
	assert_non_null(x);
	assert_int_equal(x->severity, MG_SEVERITY_WARNING);
	assert_string_equal(x->message,
			    "migguard-ignore drop-column silences nothing");
	x = find(f, "sql-parse-error");
	assert_non_null(x);
	assert_string_equal(x->message,
			    "unknown rule 'no-such-rule' in migguard-ignore");
}

static void test_lint__severity_off_drops(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mg_report_set_severity(&f->r, "drop-table",
						MG_SEVERITY_OFF), 0);
	lint(f, "DROP TABLE IF EXISTS \"b\";");
	assert_int_equal(f->r.nr, 0);
}

static void test_lint__empty_and_comment_only(void **state)
{
	struct fixture *f = *state;

	lint(f, "");
	lint(f, "-- Custom SQL migration file, put your code below! --");
	lint(f, "/* nothing */\n--> statement-breakpoint\n");
	assert_int_equal(f->r.nr, 0);
}

static char *repeat(const char *head, const char *part, size_t n,
		    const char *tail)
{
	size_t len = strlen(head) + n * strlen(part) + strlen(tail) + 1, i;
	char *s = malloc(len);

	assert_non_null(s);
	strcpy(s, head);
	for (i = 0; i < n; i++)
		strcat(s + strlen(head) + i * strlen(part), part);
	strcat(s, tail);
	return s;
}

/* libpg_query's tree output would overflow the stack: refused first. */
static void test_lint__long_operator_chain(void **state)
{
	struct fixture *f = *state;
	char *sql = repeat("SELECT 1", "+1", 100000, ";\n");

	lint(f, sql);
	assert_int_equal(count(f, "sql-parse-error"), 1);
	assert_string_equal(find(f, "sql-parse-error")->message,
			    "statement too deeply nested to review (over "
			    "10000 operators in a row)");
	assert_int_equal(find(f, "sql-parse-error")->severity,
			 MG_SEVERITY_WARNING);
	assert_at(f, "sql-parse-error", 1, 20009);
	free(sql);
}

/* Flat lists and AND chains are long, not deep: still reviewed. */
static void test_lint__long_flat_statement(void **state)
{
	struct fixture *f = *state;
	char *sql = repeat("-- Manual addition: seed\n"
			   "DELETE FROM \"t\" WHERE \"a\" = 1", " OR \"a\" = -1",
			   15000, ";\n");

	lint(f, sql);
	assert_int_equal(count(f, "sql-parse-error"), 0);
	free(sql);
}

/* The lint table and the rule catalogue (report.c) name the same rules. */
static void test_lint__table_matches_catalogue(void **state)
{
	const struct mg_rule *all;
	size_t i, n, lint = 0;

	(void)state;
	for (i = 0; mg_lint_rule_id(i); i++) {
		const struct mg_rule *r = mg_rule_find(mg_lint_rule_id(i));

		assert_non_null(r);
		assert_string_equal(r->check, "lint");
	}
	all = mg_rules_all(&n);
	while (n--)
		lint += !strcmp(all[n].check, "lint");
	assert_int_equal(lint, i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		cmocka_unit_test(test_lint__table_matches_catalogue),
		T(test_lint__long_operator_chain),
		T(test_lint__long_flat_statement),
		T(test_lint__clean_generated_sql),
		T(test_lint__drop_column_points_at_column),
		T(test_lint__drop_table_each_name),
		T(test_lint__rename_as_drop_same_table),
		T(test_lint__missing_guard_respects_index),
		T(test_lint__enum_guarded_by_do_block),
		T(test_lint__extension_without_guard),
		T(test_lint__rls_missing_and_policies),
		T(test_lint__rls_complete),
		T(test_lint__tenant_options),
		T(test_lint__conventions_off),
		T(test_lint__conventions_one_by_one),
		T(test_lint__identifier_too_long),
		T(test_lint__index_name_in_snapshot),
		T(test_lint__index_dropped_then_reused),
		T(test_lint__fk_on_delete),
		T(test_lint__fk_without_on_delete),
		T(test_lint__do_block_contents),
		T(test_lint__concurrently),
		T(test_lint__manual_header_group),
		T(test_lint__custom_needs_no_header),
		T(test_lint__parse_error_rest_still_linted),
		T(test_lint__missing_semicolon_between_breakpoints),
		T(test_lint__crlf_bom_and_utf8),
		T(test_lint__ignore_directives),
		T(test_lint__ignore_file_and_unused),
		T(test_lint__severity_off_drops),
		T(test_lint__empty_and_comment_only),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

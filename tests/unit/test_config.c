#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "migguard/config.h"
#include "migguard/strbuf.h"

static void write_file(const char *root, const char *path, const char *text)
{
	char full[1024], dir[1024], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", root, path);
	snprintf(dir, sizeof(dir), "%s", full);
	for (slash = strchr(dir + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	f = fopen(full, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int parse(struct mg_config *cfg, const char *text)
{
	memset(cfg, 0, sizeof(*cfg));
	return mg_config_parse_json(cfg, ".migguard.json", text, strlen(text));
}

static void expect_error(const char *text, const char *message)
{
	struct mg_config cfg;

	assert_int_equal(parse(&cfg, text), MG_ERROR);
	assert_string_equal(mg_error_last(), message);
	mg_config_release(&cfg);
}

static void test_config__json_errors_name_line_and_reason(void **state)
{
	(void)state;
	expect_error("{\n  \"rulez\": {}\n}",
		     ".migguard.json:2:3: unknown key 'rulez' in .migguard.json");
	expect_error("{\n  \"rules\": {\"drop-colum\": \"error\"}\n}",
		     ".migguard.json:2:13: unknown rule 'drop-colum' (see "
		     "'migguard help rules')");
	expect_error("{\"rules\": {\"drop-column\": \"fatal\"}}",
		     ".migguard.json:1:27: the severity of 'drop-column' must "
		     "be \"error\", \"warning\" or \"off\"");
	expect_error("{\"projects\": [{\"schema\": \"s\"}]}",
		     ".migguard.json:1:15: a project needs \"schema\" and "
		     "\"migrations\"");
	expect_error("{\"projects\": [{\"schema\": \"s\", \"migrations\": "
		     "\"../x\"}]}",
		     ".migguard.json:1:45: \"migrations\" must be a folder "
		     "inside the repository, not '../x'");
	expect_error("{\"apply\": {\"prePush\": \"sometimes\"}}",
		     ".migguard.json:1:23: \"prePush\" must be \"dry-run\", "
		     "\"apply\", \"fresh\" or \"off\"");
	expect_error("{\"lint\": {\"guardsFromIndex\": -1}}",
		     ".migguard.json:1:30: \"guardsFromIndex\" must be a whole "
		     "number (the first migration idx that needs IF NOT "
		     "EXISTS guards) or false");
	expect_error("{\"lint\": {\"tenant\": {\"role\": \"x\"}}}",
		     ".migguard.json:1:21: \"tenant\" needs a \"column\" (or "
		     "write \"tenant\": false)");
	expect_error("{\"lint\": {\"enumGuards\": 1}}",
		     ".migguard.json:1:25: \"enumGuards\" must be true or "
		     "false, not a number");
	expect_error("{\"lint\": {\"fkOnDelete\": \"drop\"}}",
		     ".migguard.json:1:25: \"fkOnDelete\" must be one of "
		     "cascade, restrict, no action, set null, set default, "
		     "or false");
	expect_error("{\n  \"docs\": [\n", ".migguard.json:3:1: unexpected end "
		     "of JSON (truncated file?)");
	expect_error("\xEF\xBB\xBF{}", ".migguard.json:1:1: the file starts "
		     "with a byte order mark: save it as UTF-8 without BOM");
	expect_error("[]", ".migguard.json:1:1: the configuration must be an "
		     "object, not an array");
}

static void test_config__json_full(void **state)
{
	struct mg_config cfg;
	const char *text =
		"{\"projects\": [{\"name\": \"db\", \"schema\": "
		"[\"packages/db/src/schema/index.ts\", \"./shared/*.ts\"], "
		"\"migrations\": \"./packages/db/src/migrations/\"}],\n"
		" \"rules\": {\"fk-on-delete\": \"error\"},\n"
		" \"lint\": {\"guardsFromIndex\": 7, \"tenant\": {\"column\": "
		"\"org_id\"}, \"fkOnDelete\": \"set null\"},\n"
		" \"docs\": [{\"when\": [\"packages/db/**\"], \"pages\": "
		"\"docs/db.md\"}],\n"
		" \"apply\": {\"required\": true, \"prePush\": \"fresh\"},\n"
		" \"protectedRef\": \"origin/main\"}";
	struct mg_report r;

	(void)state;
	assert_int_equal(parse(&cfg, text), 0);
	assert_int_equal(cfg.projects_nr, 1);
	assert_string_equal(cfg.projects[0].name, "db");
	assert_int_equal(cfg.projects[0].schema.nr, 2);
	assert_string_equal(cfg.projects[0].schema.items[0],
			    "packages/db/src/schema");
	assert_string_equal(cfg.projects[0].schema.items[1], "shared/*.ts");
	assert_string_equal(cfg.projects[0].migrations,
			    "packages/db/src/migrations");
	assert_string_equal(cfg.projects[0].migrations_table,
			    "__drizzle_migrations");
	assert_int_equal(cfg.lint.guards_from_index, 7);
	assert_string_equal(cfg.lint.tenant_column, "org_id");
	assert_string_equal(cfg.lint.fk_on_delete, "set null");
	assert_int_equal(cfg.docs_nr, 1);
	assert_int_equal(cfg.docs[0].line, 4);
	assert_string_equal(cfg.docs[0].pages.items[0], "docs/db.md");
	assert_true(cfg.apply.required);
	assert_string_equal(cfg.apply.pre_push, "fresh");
	assert_string_equal(cfg.protected_ref, "origin/main");
	mg_report_init(&r);
	mg_config_apply(&cfg, &r);
	assert_int_equal(mg_report_severity(&r, "fk-on-delete"),
			 MG_SEVERITY_ERROR);
	mg_report_release(&r);
	assert_true(mg_project_is_schema(&cfg.projects[0],
					 "packages/db/src/schema/x.ts"));
	assert_true(mg_project_is_schema(&cfg.projects[0], "shared/a.ts"));
	assert_false(mg_project_is_schema(&cfg.projects[0], "shared/a/b.ts"));
	mg_config_release(&cfg);
}

/*
 * Two projects named alike: the pre-push apply picks one by name, so it
 * could run the wrong one. A config error naming both lines.
 */
static void test_config__duplicate_project_names(void **state)
{
	(void)state;
	expect_error("{\"projects\": [\n"
		     "  {\"name\": \"db\", \"schema\": \"a/s\", "
		     "\"migrations\": \"a/m\"},\n"
		     "  {\"name\": \"x\", \"schema\": \"c/s\", "
		     "\"migrations\": \"c/m\"},\n"
		     "  {\"name\": \"db\", \"schema\": \"b/s\", "
		     "\"migrations\": \"b/m\"}\n]}",
		     ".migguard.json:4:12: two projects are named 'db' (lines "
		     "2 and 4): give each its own \"name\"");
	/* Without "name", the migrations folder is the name. */
	expect_error("{\"projects\": [\n"
		     "  {\"schema\": \"a/s\", \"migrations\": \"a/m\"},\n"
		     "  {\"schema\": \"b/s\", \"migrations\": \"./a/m/\"}\n]}",
		     ".migguard.json:3:3: two projects are named 'a/m' (lines "
		     "2 and 3): give each its own \"name\"");
}

/* A 10 MiB .migguard.json of any shape parses in linear time. */
static void test_config__big_config_linear(void **state)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	struct mg_config cfg;
	size_t i, n = 50000;

	(void)state;
	alarm(120); /* the sanitizers on a loaded machine */
	/* One project watching 50,000 schema paths. */
	mg_strbuf_adds(&sb, "{\"projects\": [{\"name\": \"a\", "
			    "\"migrations\": \"m\", \"schema\": [");
	for (i = 0; i < n; i++)
		mg_strbuf_addf(&sb, "%s\"s/%zu/x.ts\"", i ? "," : "", i);
	mg_strbuf_adds(&sb, "]}], \"docs\": [");
	/* 50,000 docs mappings on one line. */
	for (i = 0; i < n; i++)
		mg_strbuf_addf(&sb, "%s{\"when\": [\"a/%zu\"], \"pages\": "
				    "[\"d.md\"]}", i ? "," : "", i);
	mg_strbuf_adds(&sb, "]}");
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(mg_config_parse_json(&cfg, ".migguard.json", sb.buf,
					      sb.len),
			 0);
	assert_int_equal(cfg.projects[0].schema.nr, n);
	assert_string_equal(cfg.projects[0].schema.items[n - 1], "s/49999");
	assert_int_equal(cfg.docs_nr, n);
	assert_int_equal(cfg.docs[n - 1].line, 1);
	mg_config_release(&cfg);
	/* 25,000 projects, each on its own line. */
	mg_strbuf_reset(&sb);
	mg_strbuf_adds(&sb, "{\"projects\": [");
	for (i = 0; i < n / 2; i++)
		mg_strbuf_addf(&sb, "%s\n{\"name\": \"p%zu\", \"schema\": "
				    "\"s%zu\", \"migrations\": \"m%zu\"}",
			       i ? "," : "", i, i, i);
	mg_strbuf_adds(&sb, "]}");
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(mg_config_parse_json(&cfg, ".migguard.json", sb.buf,
					      sb.len),
			 0);
	assert_int_equal(cfg.projects_nr, n / 2);
	mg_config_release(&cfg);
	alarm(0);
	mg_strbuf_release(&sb);
}

static void test_config__drizzle_ts_scanner(void **state)
{
	struct mg_project p;
	const char *ts =
		"import { defineConfig } from 'drizzle-kit';\n"
		"// schema: './not/this',\n"
		"/* out: 'nor/this' */\n"
		"export default defineConfig({\n"
		"  schema: ['./src/a.ts', \"./src/b/*.ts\"],\n"
		"  out: `./drizzle`,\n"
		"  dialect: 'postgresql',\n"
		"  dbCredentials: { url: `postgres://${host}/db` },\n"
		"  migrations: { prefix: 'timestamp', table: 'my_migrations',"
		" schema: 'public' },\n"
		"});\n";

	(void)state;
	assert_int_equal(mg_config_parse_drizzle(&p, "apps/api/drizzle.config.ts",
						 ts, strlen(ts)), 0);
	assert_string_equal(p.root, "apps/api");
	assert_int_equal(p.schema.nr, 2);
	assert_string_equal(p.schema.items[0], "apps/api/src");
	assert_string_equal(p.schema.items[1], "apps/api/src/b/*.ts");
	assert_string_equal(p.migrations, "apps/api/drizzle");
	assert_string_equal(p.prefix, "timestamp");
	assert_string_equal(p.migrations_table, "my_migrations");
	assert_string_equal(p.migrations_schema, "public");
	mg_project_release(&p);
}

static void test_config__drizzle_other_dialect_and_errors(void **state)
{
	struct mg_project p;
	const char *sqlite = "export default { dialect: 'sqlite', schema: "
			     "'./s.ts' }";
	const char *noschema = "export default { dialect: 'postgresql', "
			       "schema: schemaPath }";
	const char *escape = "export default { schema: '../../x.ts' }";

	/* drizzle-kit before 0.21: no dialect, a driver naming it. */
	const char *libsql = "export default { out: './migrations', schema: "
			     "'./s.ts', driver: 'libsql' }";
	const char *old_pg = "export default { out: './m', schema: './s.ts', "
			     "driver: 'pg' }";
	const char *pglite = "export default { dialect: 'postgresql', driver: "
			     "'pglite', schema: './s.ts' }";
	const char *other[] = { "mysql2", "better-sqlite", "turso", "d1",
				"d1-http", "expo", "durable-sqlite" };
	size_t i;
	char buf[160];

	(void)state;
	assert_int_equal(mg_config_parse_drizzle(&p, "drizzle.config.ts",
						 sqlite, strlen(sqlite)),
			 MG_ENOTFOUND);
	assert_int_equal(mg_config_parse_drizzle(&p, "drizzle.config.ts",
						 libsql, strlen(libsql)),
			 MG_ENOTFOUND);
	assert_string_equal(mg_error_last(), "drizzle.config.ts: driver "
			    "'libsql' is not postgresql");
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		snprintf(buf, sizeof(buf), "export default { schema: "
			 "'./s.ts', driver: '%s' }", other[i]);
		assert_int_equal(mg_config_parse_drizzle(&p,
				 "drizzle.config.ts", buf, strlen(buf)),
				 MG_ENOTFOUND);
	}
	assert_int_equal(mg_config_parse_drizzle(&p, "drizzle.config.ts",
						 old_pg, strlen(old_pg)), 0);
	assert_string_equal(p.migrations, "m");
	mg_project_release(&p);
	assert_int_equal(mg_config_parse_drizzle(&p, "drizzle.config.ts",
						 pglite, strlen(pglite)), 0);
	mg_project_release(&p);
	assert_int_equal(mg_config_parse_drizzle(&p, "a/drizzle.config.ts",
						 noschema, strlen(noschema)),
			 MG_ERROR);
	assert_string_equal(mg_error_last(),
		"a/drizzle.config.ts: no \"schema\" string found; write it as "
		"a string literal, or describe the project in .migguard.json");
	assert_int_equal(mg_config_parse_drizzle(&p, "a/drizzle.config.ts",
						 escape, strlen(escape)),
			 MG_ERROR);
	assert_string_equal(mg_error_last(), "a/drizzle.config.ts: schema "
			    "path '../../x.ts' is outside the repository");
}

static void test_config__discovery_monorepo(void **state)
{
	char root[] = "/tmp/mg-config-XXXXXX";
	struct mg_tree *tree = NULL;
	struct mg_config cfg;
	char cmd[256];

	(void)state;
	assert_non_null(mkdtemp(root));
	write_file(root, "pnpm-lock.yaml", "");
	write_file(root, "packages/db/drizzle.config.ts",
		   "export default defineConfig({ dialect: \"postgresql\", "
		   "schema: \"./src/schema/index.ts\", out: "
		   "\"./src/migrations\" });");
	write_file(root, "packages/db/package.json",
		   "{\"scripts\": {\"db:generate\": \"drizzle-kit generate\"}}");
	write_file(root, "apps/billing/drizzle.config.json",
		   "{\"dialect\": \"postgresql\", \"schema\": \"./schema\", "
		   "\"out\": \"./drizzle\"}");
	write_file(root, "apps/cache/drizzle.config.ts",
		   "export default { dialect: 'sqlite', schema: './s.ts' }");
	write_file(root, "node_modules/x/drizzle.config.ts",
		   "export default { dialect: 'postgresql', schema: 'y' }");
	assert_int_equal(mg_tree_open_dir(&tree, root), 0);
	assert_int_equal(mg_config_load(&cfg, tree), 0);
	assert_string_equal(cfg.source, "drizzle.config discovery");
	assert_int_equal(cfg.projects_nr, 2);
	assert_string_equal(cfg.projects[0].migrations, "apps/billing/drizzle");
	assert_string_equal(cfg.projects[0].generate_command,
			    "npx drizzle-kit generate");
	assert_string_equal(cfg.projects[1].migrations,
			    "packages/db/src/migrations");
	assert_string_equal(cfg.projects[1].schema.items[0],
			    "packages/db/src/schema");
	assert_string_equal(cfg.projects[1].generate_command,
			    "pnpm db:generate");
	assert_string_equal(cfg.docs_roots.items[0], "docs");
	mg_config_release(&cfg);
	mg_tree_free(tree);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

/* What is configured is remembered, with its line; the rest is unset. */
static void test_config__lint_configured_lines(void **state)
{
	struct mg_config cfg;
	enum mg_severity sev = MG_SEVERITY_OFF;
	const char *text = "{\n"
			   "  \"rules\": {\"rls-missing\": \"warning\",\n"
			   "            \"fk-on-delete\": \"off\"},\n"
			   "  \"lint\": {\n"
			   "    \"guardsFromIndex\": false,\n"
			   "    \"fkOnDelete\": \"restrict\",\n"
			   "    \"enumGuards\": true,\n"
			   "    \"manualHeader\": false\n"
			   "  }\n"
			   "}\n";

	(void)state;
	assert_int_equal(parse(&cfg, text), 0);
	assert_int_equal(cfg.lint_set.guards_from_index, 5);
	assert_int_equal(cfg.lint.guards_from_index, -1);
	assert_int_equal(cfg.lint_set.fk_on_delete, 6);
	assert_string_equal(cfg.lint.fk_on_delete, "restrict");
	assert_int_equal(cfg.lint_set.enum_guards, 7);
	assert_true(cfg.lint.enum_guards);
	assert_int_equal(cfg.lint_set.manual_header, 8);
	assert_false(cfg.lint.manual_header);
	assert_int_equal(cfg.lint_set.tenant, 0);
	assert_null(cfg.lint.tenant_column);
	assert_int_equal(cfg.lint_set.extension_guards, 0);
	assert_int_equal(mg_config_rule_line(&cfg, "rls-missing", &sev), 2);
	assert_int_equal(sev, MG_SEVERITY_WARNING);
	assert_int_equal(mg_config_rule_line(&cfg, "fk-on-delete", &sev), 3);
	assert_int_equal(sev, MG_SEVERITY_OFF);
	assert_int_equal(mg_config_rule_line(&cfg, "drop-table", NULL), 0);
	mg_config_release(&cfg);
}

/* Loading sets no convention: they are off until configured or shown. */
static void test_config__no_convention_defaults(void **state)
{
	struct mg_tree *tree = NULL;
	struct mg_config cfg;
	char root[] = "/tmp/mg-config-XXXXXX", sub[1100], cmd[1100];
	int found = 0;

	(void)state;
	assert_non_null(mkdtemp(root));
	write_file(root, "drizzle.config.ts",
		   "export default { dialect: 'postgresql', schema: './s.ts', "
		   "out: './drizzle' }");
	assert_int_equal(mg_tree_open_dir(&tree, root), 0);
	assert_int_equal(mg_config_load(&cfg, tree), 0);
	assert_int_equal(cfg.lint.guards_from_index, -1);
	assert_null(cfg.lint.tenant_column);
	assert_null(cfg.lint.tenant_role);
	assert_null(cfg.lint.fk_on_delete);
	assert_false(cfg.lint.enum_guards || cfg.lint.extension_guards ||
		     cfg.lint.manual_header);
	mg_config_release(&cfg);
	mg_tree_free(tree);

	/* From disk: the nearest .migguard.json, not past a .git. */
	write_file(root, "a/b/x.sql", "");
	snprintf(sub, sizeof(sub), "%s/a/b", root);
	write_file(root, "a/.migguard.json",
		   "{\"lint\": {\"fkOnDelete\": \"cascade\"}}");
	assert_int_equal(mg_config_load_dir(&cfg, sub, &found), 0);
	assert_true(found);
	assert_string_equal(cfg.lint.fk_on_delete, "cascade");
	assert_int_equal(cfg.lint_set.fk_on_delete, 1);
	mg_config_release(&cfg);
	write_file(root, "a/b/.git", "gitdir: elsewhere\n");
	assert_int_equal(mg_config_load_dir(&cfg, sub, &found), 0);
	assert_false(found);
	assert_null(cfg.lint.fk_on_delete);
	mg_config_release(&cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

static void test_config__real_fixture(void **state)
{
	struct mg_tree *tree = NULL;
	struct mg_config cfg;
	char path[1024];

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/fixtures/drizzle",
		 MG_TEST_SOURCE_DIR);
	assert_int_equal(mg_tree_open_dir(&tree, path), 0);
	assert_int_equal(mg_config_load(&cfg, tree), 0);
	assert_true(cfg.projects_nr >= 7);
	assert_string_equal(cfg.projects[2].migrations,
			    "step-00/src/migrations");
	assert_string_equal(cfg.projects[2].schema.items[0],
			    "step-00/src/schema");
	assert_string_equal(cfg.projects[2].generate_command,
			    "npm run db:generate");
	mg_config_release(&cfg);
	mg_tree_free(tree);
}

/* "migrator": drizzle (default), supabase or none; anything else named. */
static void test_config__project_migrator(void **state)
{
	struct mg_config cfg;

	(void)state;
	expect_error("{\"projects\": [{\"schema\": \"s\", \"migrations\": "
		     "\"m\", \"migrator\": \"flyway\"}]}",
		     ".migguard.json:1:62: \"migrator\" must be \"drizzle\", "
		     "\"supabase\" or \"none\", not 'flyway'");
	assert_int_equal(parse(&cfg, "{\"projects\": [{\"schema\": \"s\", "
				     "\"migrations\": \"m\"}, {\"schema\": "
				     "\"t\", \"migrations\": \"n\", "
				     "\"migrator\": \"supabase\"}]}"),
			 0);
	assert_int_equal(cfg.projects_nr, 2);
	assert_string_equal(cfg.projects[0].migrator, "drizzle");
	assert_true(mg_project_drizzle_migrator(&cfg.projects[0]));
	assert_string_equal(cfg.projects[1].migrator, "supabase");
	assert_false(mg_project_drizzle_migrator(&cfg.projects[1]));
	mg_config_release(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config__json_errors_name_line_and_reason),
		cmocka_unit_test(test_config__project_migrator),
		cmocka_unit_test(test_config__json_full),
		cmocka_unit_test(test_config__duplicate_project_names),
		cmocka_unit_test(test_config__big_config_linear),
		cmocka_unit_test(test_config__drizzle_ts_scanner),
		cmocka_unit_test(test_config__drizzle_other_dialect_and_errors),
		cmocka_unit_test(test_config__discovery_monorepo),
		cmocka_unit_test(test_config__real_fixture),
		cmocka_unit_test(test_config__lint_configured_lines),
		cmocka_unit_test(test_config__no_convention_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

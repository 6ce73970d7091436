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
		     "EXISTS guards)");
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
	free(p.name);
	free(p.config_path);
	free(p.root);
	mg_strlist_release(&p.schema);
	free(p.migrations);
	free(p.prefix);
	free(p.migrations_table);
	free(p.migrations_schema);
}

static void test_config__drizzle_other_dialect_and_errors(void **state)
{
	struct mg_project p;
	const char *sqlite = "export default { dialect: 'sqlite', schema: "
			     "'./s.ts' }";
	const char *noschema = "export default { dialect: 'postgresql', "
			       "schema: schemaPath }";
	const char *escape = "export default { schema: '../../x.ts' }";

	(void)state;
	assert_int_equal(mg_config_parse_drizzle(&p, "drizzle.config.ts",
						 sqlite, strlen(sqlite)),
			 MG_ENOTFOUND);
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
		cmocka_unit_test(test_config__drizzle_ts_scanner),
		cmocka_unit_test(test_config__drizzle_other_dialect_and_errors),
		cmocka_unit_test(test_config__discovery_monorepo),
		cmocka_unit_test(test_config__real_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

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
#include "migguard/conventions.h"
#include "migguard/migdir.h"
#include "migguard/tree.h"

/* A migrations folder on disk: SQL texts in journal order. */
struct folder {
	char root[64];
	struct mg_tree *tree;
	struct mg_migdir *dir;
	struct mg_config cfg;
	struct mg_conventions conv;
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void make_folder(struct folder *f, const char *const *sql, size_t nr)
{
	char path[256];
	FILE *j;
	size_t i;

	memset(f, 0, sizeof(*f));
	snprintf(f->root, sizeof(f->root), "/tmp/mg-conv-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	snprintf(path, sizeof(path), "%s/meta", f->root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/meta/_journal.json", f->root);
	j = fopen(path, "w");
	assert_non_null(j);
	fputs("{\"version\":\"7\",\"dialect\":\"postgresql\",\"entries\":[", j);
	for (i = 0; i < nr; i++) {
		fprintf(j, "%s{\"idx\":%zu,\"version\":\"7\",\"when\":%zu,"
			"\"tag\":\"%04zu_m\",\"breakpoints\":true}",
			i ? "," : "", i, 1000 + i, i);
		snprintf(path, sizeof(path), "%s/%04zu_m.sql", f->root, i);
		write_file(path, sql[i]);
	}
	fputs("]}", j);
	fclose(j);
	assert_int_equal(mg_tree_open_dir(&f->tree, f->root), 0);
	assert_int_equal(mg_migdir_load(&f->dir, f->tree, ""), 0);
}

static void infer_with(struct folder *f, const char *config)
{
	if (config)
		assert_int_equal(mg_config_parse_json(&f->cfg, ".migguard.json",
						      config, strlen(config)),
				 0);
	assert_int_equal(mg_conventions_infer(&f->conv, &f->cfg, f->dir), 0);
}

static void folder_release(struct folder *f)
{
	char cmd[128];

	mg_conventions_release(&f->conv);
	mg_config_release(&f->cfg);
	mg_migdir_free(f->dir);
	mg_tree_free(f->tree);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->root);
	assert_int_equal(system(cmd), 0);
}

#define BP "--> statement-breakpoint\n"

/* Plain drizzle-kit output of a team that follows none of them. */
static const char *const plain[] = {
	"CREATE TYPE \"public\".\"status\" AS ENUM('a', 'b');" BP
	"CREATE TABLE \"org\" (\"id\" serial PRIMARY KEY NOT NULL);" BP
	"CREATE TABLE \"item\" (\"id\" serial PRIMARY KEY NOT NULL, "
	"\"organization_id\" integer NOT NULL, \"status\" \"status\");" BP
	"ALTER TABLE \"item\" ADD CONSTRAINT \"item_organization_id_org_id_fk\" "
	"FOREIGN KEY (\"organization_id\") REFERENCES \"public\".\"org\"(\"id\")"
	" ON DELETE no action ON UPDATE no action;" BP
	"CREATE INDEX \"item_org_idx\" ON \"item\" USING btree "
	"(\"organization_id\");",
	"CREATE TABLE \"tag\" (\"id\" serial PRIMARY KEY NOT NULL, "
	"\"item_id\" integer);" BP
	"ALTER TABLE \"tag\" ADD CONSTRAINT \"tag_item_id_item_id_fk\" FOREIGN "
	"KEY (\"item_id\") REFERENCES \"public\".\"item\"(\"id\") ON DELETE no "
	"action ON UPDATE no action;" BP
	"CREATE EXTENSION vector;" BP
	"GRANT SELECT ON \"tag\" TO \"reader\";",
};

static void test_conventions__plain_project_has_none(void **state)
{
	struct folder f;
	size_t i;

	(void)state;
	make_folder(&f, plain, 2);
	infer_with(&f, NULL);
	assert_int_equal(f.conv.read.nr, 2);
	assert_int_equal(f.conv.opts.guards_from_index, -1);
	assert_null(f.conv.opts.tenant_column);
	assert_null(f.conv.opts.tenant_role);
	assert_null(f.conv.opts.fk_on_delete);
	assert_false(f.conv.opts.enum_guards);
	assert_false(f.conv.opts.extension_guards);
	assert_false(f.conv.opts.manual_header);
	for (i = 0; i < MG_CONVENTION_NR; i++) {
		assert_false(f.conv.items[i].on);
		assert_int_equal(f.conv.items[i].source, MG_CONVENTION_NONE);
	}
	/* What was counted, though nothing followed. */
	assert_int_equal(f.conv.items[MG_CONVENTION_ENUM_GUARDS].total, 1);
	assert_int_equal(f.conv.items[MG_CONVENTION_FK_ON_DELETE].total, 2);
	assert_int_equal(f.conv.items[MG_CONVENTION_DDL_GUARDS].total, 4);
	assert_int_equal(f.conv.items[MG_CONVENTION_MANUAL_HEADER].total, 2);
	folder_release(&f);
}

/* No published migration at all: nothing shown, everything off. */
static void test_conventions__no_migrations(void **state)
{
	struct mg_conventions c;
	struct mg_config cfg;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(mg_conventions_infer(&c, &cfg, NULL), 0);
	assert_int_equal(c.opts.guards_from_index, -1);
	assert_null(c.opts.fk_on_delete);
	assert_int_equal(c.read.nr, 0);
	mg_conventions_release(&c);
}

/* The fixtures' team: real drizzle-kit output, step 06. */
static void test_conventions__fixture_team(void **state)
{
	struct mg_tree *tree = NULL;
	struct mg_migdir *d = NULL;
	struct mg_config cfg;
	struct mg_conventions c;
	const struct mg_convention *t;
	char path[1024];

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	snprintf(path, sizeof(path), "%s/tests/fixtures/drizzle/step-06",
		 MG_TEST_SOURCE_DIR);
	assert_int_equal(mg_tree_open_dir(&tree, path), 0);
	assert_int_equal(mg_migdir_load(&d, tree, "src/migrations"), 0);
	assert_int_equal(mg_conventions_infer(&c, &cfg, d), 0);
	assert_int_equal(c.read.nr, 7);
	assert_string_equal(c.opts.tenant_column, "organization_id");
	assert_string_equal(c.opts.tenant_role, "authenticated");
	assert_string_equal(c.opts.fk_on_delete, "cascade");
	assert_true(c.opts.extension_guards);
	assert_true(c.opts.manual_header);
	assert_false(c.opts.enum_guards);	  /* both enums are bare */
	assert_int_equal(c.opts.guards_from_index, -1); /* none guarded */
	t = &c.items[MG_CONVENTION_TENANT];
	assert_int_equal(t->source, MG_CONVENTION_INFERRED);
	/* "user" (0000) has the column but predates the first RLS table. */
	assert_int_equal(t->follow, 2);
	assert_int_equal(t->total, 2);
	assert_string_equal(t->first,
			    "src/migrations/0001_research_plan.sql:2");
	assert_int_equal(t->migrations.nr, 2);
	assert_string_equal(t->migrations.items[1],
			    "src/migrations/0004_research_step.sql");
	t = &c.items[MG_CONVENTION_FK_ON_DELETE];
	assert_int_equal(t->follow, 3);
	assert_int_equal(t->total, 4);
	assert_string_equal(t->first, "src/migrations/0000_init.sql:20");
	mg_conventions_release(&c);
	mg_migdir_free(d);
	mg_tree_free(tree);
}

/* IF NOT EXISTS from 0007 on, as the users' workflow says. */
static void test_conventions__guards_from_index(void **state)
{
	const char *sql[10];
	struct folder f;
	size_t i;

	(void)state;
	for (i = 0; i < 7; i++)
		sql[i] = "CREATE TABLE \"t\" (\"id\" integer);" BP
			 "CREATE INDEX \"t_idx\" ON \"t\" (\"id\");";
	/* One guarded statement early (a hand-written index) is not it. */
	sql[3] = "CREATE INDEX IF NOT EXISTS \"t_idx\" ON \"t\" (\"id\");" BP
		 "ALTER TABLE \"t\" ADD COLUMN \"a\" text;" BP
		 "ALTER TABLE \"t\" ADD COLUMN \"b\" text;";
	sql[7] = "CREATE TABLE IF NOT EXISTS \"u\" (\"id\" integer);" BP
		 "ALTER TABLE \"u\" ADD COLUMN IF NOT EXISTS \"x\" text;";
	sql[8] = "DROP INDEX IF EXISTS \"t_idx\";" BP
		 "CREATE INDEX IF NOT EXISTS \"u_idx\" ON \"u\" (\"id\");";
	/* One slip later: still two thirds. */
	sql[9] = "CREATE INDEX \"u2_idx\" ON \"u\" (\"x\");";
	make_folder(&f, sql, 10);
	infer_with(&f, NULL);
	assert_int_equal(f.conv.opts.guards_from_index, 7);
	assert_int_equal(f.conv.items[MG_CONVENTION_DDL_GUARDS].source,
			 MG_CONVENTION_INFERRED);
	assert_int_equal(f.conv.items[MG_CONVENTION_DDL_GUARDS].follow, 4);
	assert_int_equal(f.conv.items[MG_CONVENTION_DDL_GUARDS].total, 5);
	assert_string_equal(f.conv.items[MG_CONVENTION_DDL_GUARDS].first,
			    "0007_m.sql:1");
	folder_release(&f);
}

/* Enums in drizzle's old DO guard, extensions guarded, headers. */
static void test_conventions__enum_guards_and_headers(void **state)
{
	static const char *const sql[] = {
		"CREATE TYPE \"a\" AS ENUM('x');",
		"DO $$ BEGIN\n CREATE TYPE \"b\" AS ENUM('y');\nEXCEPTION\n "
		"WHEN duplicate_object THEN null;\nEND $$;" BP
		"-- Manual addition: pgvector\n"
		"CREATE EXTENSION IF NOT EXISTS vector;\n"
		"GRANT USAGE ON SCHEMA public TO app;",
		"DO $$ BEGIN\n CREATE TYPE \"c\" AS ENUM('z');\nEXCEPTION\n "
		"WHEN duplicate_object THEN null;\nEND $$;" BP
		"-- Manual addition: a trigger\n"
		"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $f$ "
		"BEGIN RETURN NEW; END $f$;",
	};
	struct folder f;

	(void)state;
	make_folder(&f, sql, 3);
	infer_with(&f, NULL);
	assert_true(f.conv.opts.enum_guards);
	assert_int_equal(f.conv.items[MG_CONVENTION_ENUM_GUARDS].follow, 2);
	assert_int_equal(f.conv.items[MG_CONVENTION_ENUM_GUARDS].total, 2);
	assert_string_equal(f.conv.items[MG_CONVENTION_ENUM_GUARDS].first,
			    "0001_m.sql:1");
	assert_true(f.conv.opts.extension_guards);
	/* The header covers the GRANT right after the extension too. */
	assert_true(f.conv.opts.manual_header);
	assert_int_equal(f.conv.items[MG_CONVENTION_MANUAL_HEADER].follow, 3);
	assert_int_equal(f.conv.items[MG_CONVENTION_MANUAL_HEADER].total, 3);
	folder_release(&f);
}

/* Foreign keys: one non-default action on two thirds of at least two. */
static void test_conventions__fk_majority(void **state)
{
	static const char *const one[] = {
		"ALTER TABLE \"a\" ADD CONSTRAINT \"f1\" FOREIGN KEY (\"x\") "
		"REFERENCES \"b\"(\"id\") ON DELETE cascade;",
	};
	static const char *const three[] = {
		"ALTER TABLE \"a\" ADD CONSTRAINT \"f1\" FOREIGN KEY (\"x\") "
		"REFERENCES \"b\"(\"id\") ON DELETE set null;" BP
		"CREATE TABLE \"c\" (\"y\" integer REFERENCES \"b\"(\"id\") ON "
		"DELETE set null, \"z\" integer REFERENCES \"b\"(\"id\"));",
	};
	static const char *const split[] = {
		"ALTER TABLE \"a\" ADD CONSTRAINT \"f1\" FOREIGN KEY (\"x\") "
		"REFERENCES \"b\"(\"id\") ON DELETE cascade;" BP
		"ALTER TABLE \"a\" ADD CONSTRAINT \"f2\" FOREIGN KEY (\"y\") "
		"REFERENCES \"b\"(\"id\") ON DELETE restrict;",
	};
	struct folder f;

	(void)state;
	make_folder(&f, one, 1);
	infer_with(&f, NULL);
	assert_null(f.conv.opts.fk_on_delete);
	folder_release(&f);
	make_folder(&f, three, 1);
	infer_with(&f, NULL);
	assert_string_equal(f.conv.opts.fk_on_delete, "set null");
	assert_int_equal(f.conv.items[MG_CONVENTION_FK_ON_DELETE].follow, 2);
	assert_int_equal(f.conv.items[MG_CONVENTION_FK_ON_DELETE].total, 3);
	folder_release(&f);
	make_folder(&f, split, 1);
	infer_with(&f, NULL);
	assert_null(f.conv.opts.fk_on_delete);
	folder_release(&f);
}

/* The tenant column and role come from the policies themselves. */
static void test_conventions__tenant_inferred(void **state)
{
	static const char *const sql[] = {
		"CREATE TABLE \"doc\" (\"id\" uuid, \"team_id\" uuid, "
		"\"owner\" text);" BP
		"ALTER TABLE \"doc\" ENABLE ROW LEVEL SECURITY;" BP
		"CREATE POLICY \"p\" ON \"doc\" AS PERMISSIVE FOR ALL TO "
		"\"member\" USING (\"doc\".\"team_id\" = "
		"current_setting('app.team')::uuid);" BP
		"CREATE POLICY \"q\" ON \"doc\" FOR SELECT TO \"anon\" USING "
		"(true);",
		"CREATE TABLE \"note\" (\"id\" uuid, \"team_id\" uuid);" BP
		"ALTER TABLE \"note\" ENABLE ROW LEVEL SECURITY;" BP
		"CREATE POLICY \"s\" ON \"note\" FOR SELECT TO \"member\" USING "
		"(team_id = current_setting('app.team')::uuid);" BP
		"CREATE POLICY \"i\" ON \"note\" FOR INSERT TO \"member\" WITH "
		"CHECK (team_id = current_setting('app.team')::uuid);" BP
		"CREATE POLICY \"u\" ON \"note\" FOR UPDATE TO \"member\" USING "
		"(team_id = current_setting('app.team')::uuid);" BP
		"CREATE POLICY \"d\" ON \"note\" FOR DELETE TO \"member\" USING "
		"(team_id = current_setting('app.team')::uuid);",
	};
	struct folder f;

	(void)state;
	make_folder(&f, sql, 2);
	infer_with(&f, NULL);
	assert_string_equal(f.conv.opts.tenant_column, "team_id");
	assert_string_equal(f.conv.opts.tenant_role, "member");
	assert_int_equal(f.conv.items[MG_CONVENTION_TENANT].follow, 2);
	folder_release(&f);
}

/* Configuration wins over inference, and says where. */
static void test_conventions__configured(void **state)
{
	struct folder f;
	const char *config =
		"{\n"
		"  \"rules\": {\"enum-without-guard\": \"warning\",\n"
		"            \"rls-missing\": \"error\",\n"
		"            \"missing-if-not-exists\": \"off\"},\n"
		"  \"lint\": {\"fkOnDelete\": \"restrict\",\n"
		"           \"extensionGuards\": false}\n"
		"}";

	(void)state;
	make_folder(&f, plain, 2);
	infer_with(&f, config);
	/* A severity turns the convention on with the classic value. */
	assert_true(f.conv.opts.enum_guards);
	assert_int_equal(f.conv.items[MG_CONVENTION_ENUM_GUARDS].source,
			 MG_CONVENTION_RULE);
	assert_int_equal(f.conv.items[MG_CONVENTION_ENUM_GUARDS].config_line,
			 2);
	assert_string_equal(f.conv.opts.tenant_column, "organization_id");
	assert_string_equal(f.conv.opts.tenant_role, "authenticated");
	assert_int_equal(f.conv.items[MG_CONVENTION_TENANT].config_line, 3);
	/* "off" is not a convention. */
	assert_int_equal(f.conv.opts.guards_from_index, -1);
	assert_int_equal(f.conv.items[MG_CONVENTION_DDL_GUARDS].source,
			 MG_CONVENTION_NONE);
	assert_string_equal(f.conv.opts.fk_on_delete, "restrict");
	assert_int_equal(f.conv.items[MG_CONVENTION_FK_ON_DELETE].source,
			 MG_CONVENTION_CONFIGURED);
	assert_int_equal(f.conv.items[MG_CONVENTION_FK_ON_DELETE].config_line,
			 5);
	assert_false(f.conv.opts.extension_guards);
	assert_int_equal(f.conv.items[MG_CONVENTION_EXTENSION_GUARDS].source,
			 MG_CONVENTION_CONFIGURED);
	folder_release(&f);
}

/* A configured false turns off what the migrations show. */
static void test_conventions__configured_off(void **state)
{
	struct mg_tree *tree = NULL;
	struct mg_migdir *d = NULL;
	struct mg_config cfg;
	struct mg_conventions c;
	struct mg_strbuf pin = MG_STRBUF_INIT;
	const char *config = "{\"lint\": {\"tenant\": false, "
			     "\"fkOnDelete\": false, \"guardsFromIndex\": 7}}";
	char path[1024];

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(mg_config_parse_json(&cfg, ".migguard.json", config,
					      strlen(config)), 0);
	snprintf(path, sizeof(path), "%s/tests/fixtures/drizzle/step-06",
		 MG_TEST_SOURCE_DIR);
	assert_int_equal(mg_tree_open_dir(&tree, path), 0);
	assert_int_equal(mg_migdir_load(&d, tree, "src/migrations"), 0);
	assert_int_equal(mg_conventions_infer(&c, &cfg, d), 0);
	assert_null(c.opts.tenant_column);
	assert_null(c.opts.tenant_role);
	assert_null(c.opts.fk_on_delete);
	assert_int_equal(c.opts.guards_from_index, 7);
	/* What the migrations show is still known. */
	assert_true(c.items[MG_CONVENTION_TENANT].shown);
	mg_conventions_pin(&pin, &c, "");
	assert_string_equal(pin.buf, "\"lint\": {\n"
				     "  \"guardsFromIndex\": 7,\n"
				     "  \"tenant\": false,\n"
				     "  \"fkOnDelete\": false,\n"
				     "  \"enumGuards\": false,\n"
				     "  \"extensionGuards\": true,\n"
				     "  \"manualHeader\": true\n"
				     "}");
	mg_strbuf_release(&pin);
	mg_conventions_release(&c);
	mg_migdir_free(d);
	mg_tree_free(tree);
	mg_config_release(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conventions__plain_project_has_none),
		cmocka_unit_test(test_conventions__no_migrations),
		cmocka_unit_test(test_conventions__fixture_team),
		cmocka_unit_test(test_conventions__guards_from_index),
		cmocka_unit_test(test_conventions__enum_guards_and_headers),
		cmocka_unit_test(test_conventions__fk_majority),
		cmocka_unit_test(test_conventions__tenant_inferred),
		cmocka_unit_test(test_conventions__configured),
		cmocka_unit_test(test_conventions__configured_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "migguard/schemagraph.h"

#define STEP MG_TEST_SOURCE_DIR "/tests/fixtures/drizzle/step-01"

static void test_schemagraph__relative_imports_resolve(void **state)
{
	struct mg_tree *t = NULL;
	char *p;

	(void)state;
	assert_int_equal(mg_tree_open_dir(&t, STEP), 0);
	p = mg_schema_resolve(t, "src/schema/index.ts", "./research", NULL);
	assert_string_equal(p, "src/schema/research.ts");
	free(p);
	p = mg_schema_resolve(t, "src/schema/index.ts", "./base.js", NULL);
	assert_string_equal(p, "src/schema/base.ts");
	free(p);
	p = mg_schema_resolve(t, "src/schema/index.ts", "../schema", NULL);
	assert_string_equal(p, "src/schema/index.ts");
	free(p);
	assert_null(mg_schema_resolve(t, "src/schema/index.ts", "./nope",
				      NULL));
	assert_null(mg_schema_resolve(t, "src/schema/index.ts",
				      "../../../../x", NULL));
	assert_null(mg_schema_resolve(t, "src/schema/index.ts",
				      "drizzle-orm/pg-core", NULL));
	mg_tree_free(t);
}

static void test_schemagraph__file_entry_and_its_imports(void **state)
{
	struct mg_strlist files = MG_STRLIST_INIT;
	struct mg_project p;
	struct mg_tree *t = NULL;
	size_t roots;

	(void)state;
	memset(&p, 0, sizeof(p));
	mg_strlist_push(&p.schema_entries, "src/schema/research.ts");
	assert_int_equal(mg_tree_open_dir(&t, STEP), 0);
	assert_int_equal(mg_schema_files(&files, &roots, t, &p), 0);
	assert_int_equal(roots, 1);
	/* research imports base (which imports auth) and enums */
	assert_true(mg_strlist_has(&files, "src/schema/research.ts"));
	assert_true(mg_strlist_has(&files, "src/schema/base.ts"));
	assert_true(mg_strlist_has(&files, "src/schema/enums.ts"));
	assert_false(mg_strlist_has(&files, "src/schema/index.ts"));
	mg_strlist_release(&files);

	/* a folder: its script files */
	mg_strlist_release(&p.schema_entries);
	mg_strlist_push(&p.schema_entries, "src/schema");
	assert_int_equal(mg_schema_files(&files, &roots, t, &p), 0);
	assert_int_equal(roots, 5);
	mg_strlist_release(&files);

	/* nothing there */
	mg_strlist_release(&p.schema_entries);
	mg_strlist_push(&p.schema_entries, "src/missing.ts");
	assert_int_equal(mg_schema_files(&files, &roots, t, &p), 0);
	assert_int_equal(roots, 0);
	assert_int_equal(files.nr, 0);
	mg_strlist_release(&files);
	mg_strlist_release(&p.schema_entries);
	mg_tree_free(t);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Only what the importing chain uses of a module counts. */
static void test_schemagraph__used_names(void **state)
{
	char dir[] = "/tmp/mg-schemagraph-XXXXXX";
	static const char *const names[] = { "schema.ts", "blocks.ts",
		"cols.ts", "queries.ts", "ns.ts", NULL };
	struct mg_strlist files = MG_STRLIST_INIT;
	struct mg_schema_uses uses = { 0 };
	const struct mg_schema_use *u;
	struct mg_project p;
	struct mg_tree *t = NULL;
	size_t roots, i;
	char path[512];

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "schema.ts",
	    "import { kinds } from './blocks';\n"
	    "import { ts as stamps, type Kind } from './cols';\n"
	    "import * as ns from './ns';\n"
	    "export const t = pgTable('t', { ...stamps(), n: ns.n });\n");
	put(dir, "blocks.ts", "import { save } from './queries';\n"
	    "export const kinds = ['a'];\n"
	    "export function handler() { return save(); }\n");
	put(dir, "cols.ts", "import { save } from './queries';\n"
	    "const base = () => ({ at: timestamp('at') });\n"
	    "export const ts = () => base();\n"
	    "export const other = () => save();\n"
	    "export type Kind = string;\n");
	put(dir, "queries.ts", "export function save() {}\n");
	put(dir, "ns.ts", "export const n = text('n');\n");
	memset(&p, 0, sizeof(p));
	mg_strlist_push(&p.schema_entries, "schema.ts");
	assert_int_equal(mg_tree_open_dir(&t, dir), 0);
	assert_int_equal(mg_schema_files_used(&files, &roots, t, &p, &uses),
			 0);
	assert_int_equal(roots, 1);
	/* kinds is imported, never used: blocks.ts is not followed */
	assert_int_equal(files.nr, 3);
	assert_string_equal(files.items[0], "cols.ts");
	assert_string_equal(files.items[1], "ns.ts");
	assert_string_equal(files.items[2], "schema.ts");
	u = mg_schema_use_of(&uses, "schema.ts");
	assert_non_null(u);
	assert_true(u->all);
	u = mg_schema_use_of(&uses, "ns.ts");
	assert_non_null(u);
	assert_true(u->all); /* a namespace: all of it */
	u = mg_schema_use_of(&uses, "cols.ts");
	assert_non_null(u);
	assert_false(u->all);
	/* ts, and base that it calls; not other (nor queries.ts it uses) */
	assert_int_equal(u->names.nr, 2);
	assert_true(mg_strlist_has(&u->names, "ts"));
	assert_true(mg_strlist_has(&u->names, "base"));
	assert_null(mg_schema_use_of(&uses, "queries.ts"));
	mg_schema_uses_release(&uses);
	mg_strlist_release(&files);

	/* a side-effect import: all of it, and what it imports */
	put(dir, "schema.ts", "import './blocks';\n"
	    "export const t = pgTable('t', {});\n");
	assert_int_equal(mg_schema_files_used(&files, &roots, t, &p, &uses),
			 0);
	u = mg_schema_use_of(&uses, "blocks.ts");
	assert_non_null(u);
	assert_true(u->all);
	assert_true(mg_strlist_has(&files, "queries.ts"));
	mg_schema_uses_release(&uses);
	mg_strlist_release(&files);
	mg_strlist_release(&p.schema_entries);
	mg_tree_free(t);
	for (i = 0; names[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schemagraph__relative_imports_resolve),
		cmocka_unit_test(test_schemagraph__file_entry_and_its_imports),
		cmocka_unit_test(test_schemagraph__used_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schemagraph__relative_imports_resolve),
		cmocka_unit_test(test_schemagraph__file_entry_and_its_imports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

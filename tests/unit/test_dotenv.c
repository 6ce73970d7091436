#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "migguard/dotenv.h"
#include "migguard/error.h"

static void check(const char *text, const char *key, const char *want,
		  unsigned want_line)
{
	char *got = NULL;
	unsigned line = 0;
	int err = mg_dotenv_get(&got, &line, text, strlen(text), key);

	if (!want) {
		assert_int_equal(err, MG_ENOTFOUND);
		assert_null(got);
		return;
	}
	assert_int_equal(err, 0);
	assert_string_equal(got, want);
	assert_int_equal(line, want_line);
	free(got);
}

static void test_dotenv__plain_values(void **state)
{
	(void)state;
	check("A=1\nDATABASE_URL=postgres://u:p@localhost:5433/db\n",
	      "DATABASE_URL", "postgres://u:p@localhost:5433/db", 2);
	check("DATABASE_URL = spaced value  \n", "DATABASE_URL",
	      "spaced value", 1);
	check("K=a#b # comment\n", "K", "a#b", 1);
	check("K=\n", "K", "", 1);
	check("\xEF\xBB\xBFK=bom\r\n", "K", "bom", 1);
}

static void test_dotenv__export_and_comments(void **state)
{
	(void)state;
	check("# DATABASE_URL=commented\nexport DATABASE_URL=x\n",
	      "DATABASE_URL", "x", 2);
	check("  # K=1\n", "K", NULL, 0);
	check("KX=1\nXK=2\n", "K", NULL, 0);
	check("exportK=1\n", "K", NULL, 0);
}

static void test_dotenv__quotes(void **state)
{
	(void)state;
	check("K='a b # not a comment'\n", "K", "a b # not a comment", 1);
	check("K=\"line\\nnext \\\"q\\\"\"\n", "K", "line\nnext \"q\"", 1);
	check("K='no \\n escape'\n", "K", "no \\n escape", 1);
	check("K=`back`\n", "K", "back", 1);
	check("K=\"multi\nline\"\nL=after\n", "L", "after", 3);
	check("K=\"multi\nline\"\n", "K", "multi\nline", 1);
	check("K=\"open\n", "K", "\"open", 1);
}

static void test_dotenv__last_assignment_wins(void **state)
{
	(void)state;
	check("K=1\nK=2\n", "K", "2", 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dotenv__plain_values),
		cmocka_unit_test(test_dotenv__export_and_comments),
		cmocka_unit_test(test_dotenv__quotes),
		cmocka_unit_test(test_dotenv__last_assignment_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The install module: hook lists, the written script, what is ours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migguard/install.h"
#include "migguard/strbuf.h"

static void test_install__hook_list(void **state)
{
	unsigned mask;

	(void)state;
	assert_int_equal(mg_hook_parse_list(&mask, "pre-commit"), 0);
	assert_int_equal(mask, MG_HOOK_PRE_COMMIT);
	assert_int_equal(mg_hook_parse_list(&mask, "pre-push, pre-commit"), 0);
	assert_int_equal(mask, MG_HOOK_ALL);
	assert_int_equal(mg_hook_parse_list(&mask, "pre-push,"), 0);
	assert_int_equal(mask, MG_HOOK_PRE_PUSH);
	assert_int_equal(mg_hook_parse_list(&mask, "commit-msg"), MG_EUSAGE);
	assert_non_null(strstr(mg_error_last(), "unknown hook 'commit-msg'"));
	assert_int_equal(mg_hook_parse_list(&mask, ""), MG_EUSAGE);
	assert_int_equal(mg_hook_parse_list(&mask, "pre-commitx"), MG_EUSAGE);
	assert_string_equal(mg_hook_name(MG_HOOK_PRE_PUSH), "pre-push");
}

/* The path goes in single quotes; a quote in it survives sh. */
static void test_install__script_records_binary(void **state)
{
	char *plain = mg_install_hook_text(MG_HOOK_PRE_COMMIT, NULL);
	char *text = mg_install_hook_text(MG_HOOK_PRE_PUSH,
					  "/opt/it's/migguard");

	(void)state;
	assert_true(mg_install_is_ours(MG_HOOK_PRE_COMMIT, plain,
				       strlen(plain)));
	assert_true(mg_install_is_ours(MG_HOOK_PRE_PUSH, text, strlen(text)));
	/* The other hook's script is not this one's. */
	assert_false(mg_install_is_ours(MG_HOOK_PRE_COMMIT, text,
					strlen(text)));
	assert_non_null(strstr(plain, "\ninstalled=\n"));
	assert_non_null(strstr(plain, "hook pre-commit --chain"));
	assert_non_null(strstr(text, "\ninstalled='/opt/it'\\''s/migguard'\n"));
	assert_non_null(strstr(text, "hook pre-push --chain"));
	assert_null(strchr(text, '\r'));
	assert_int_equal(strncmp(text, "#!/bin/sh\n", 10), 0);
	free(plain);
	free(text);
}

static void test_install__ours_by_marker(void **state)
{
	static const char theirs[] =
		"#!/bin/sh\nexec lefthook run pre-commit\n";
	static const char moved[] =
		"#!/bin/sh\necho\n# migguard-hook pre-commit\n";
	static const char bare[] = "# migguard-hook pre-commit\n";

	(void)state;
	assert_false(mg_install_is_ours(MG_HOOK_PRE_COMMIT, theirs,
					strlen(theirs)));
	assert_false(mg_install_has_marker(theirs, strlen(theirs)));
	assert_false(mg_install_is_ours(MG_HOOK_PRE_COMMIT, moved,
					strlen(moved)));
	assert_false(mg_install_is_ours(MG_HOOK_PRE_COMMIT, bare,
					strlen(bare)));
	assert_false(mg_install_is_ours(MG_HOOK_PRE_COMMIT, "", 0));
	assert_false(mg_install_is_ours(MG_HOOK_PRE_COMMIT, "#!", 2));
}

/* Ours means byte for byte: an edited hook of ours is the user's. */
static void test_install__edited_is_not_ours(void **state)
{
	char *text = mg_install_hook_text(MG_HOOK_PRE_COMMIT, "/usr/bin/mg");
	char *more = mg_xstrfmt("%secho mine\n", text);
	char *less = mg_xstrndup(text, strlen(text) - 1);
	char *quote = mg_install_hook_text(MG_HOOK_PRE_COMMIT, "/a'b");
	char *bad;

	(void)state;
	assert_true(mg_install_is_ours(MG_HOOK_PRE_COMMIT, text,
				       strlen(text)));
	assert_true(mg_install_is_ours(MG_HOOK_PRE_COMMIT, quote,
				       strlen(quote)));
	assert_false(mg_install_is_ours(MG_HOOK_PRE_COMMIT, more,
					strlen(more)));
	assert_true(mg_install_has_marker(more, strlen(more)));
	assert_false(mg_install_is_ours(MG_HOOK_PRE_COMMIT, less,
					strlen(less)));
	/* installed= unquoted, or quoted otherwise: not what we write. */
	bad = strstr(text, "installed='");
	bad[10] = '"';
	assert_false(mg_install_is_ours(MG_HOOK_PRE_COMMIT, text,
					strlen(text)));
	free(quote);
	free(less);
	free(more);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_install__hook_list),
		cmocka_unit_test(test_install__script_records_binary),
		cmocka_unit_test(test_install__ours_by_marker),
		cmocka_unit_test(test_install__edited_is_not_ours),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

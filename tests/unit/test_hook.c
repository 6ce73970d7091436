/* The hook runtime: MIGGUARD_SKIP, the pre-commit framework's push, the
 * kept hook, the apply's command line, install's messages. */
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

#include "migguard/hook.h"

static char *describe(enum mg_hook hook, const char *value)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	struct mg_hook_skip s;

	mg_hook_skip_parse(&s, value);
	mg_hook_skip_describe(&sb, hook, value, &s);
	mg_hook_skip_release(&s);
	return mg_strbuf_detach(&sb, NULL);
}

static void test_hook__skip_parse(void **state)
{
	struct mg_hook_skip s;

	(void)state;
	mg_hook_skip_parse(&s, NULL);
	assert_int_equal(s.mask, 0);
	mg_hook_skip_parse(&s, "0");
	assert_int_equal(s.mask, 0);
	mg_hook_skip_parse(&s, "all");
	assert_int_equal(s.mask, MG_HOOK_SKIP_ALL);
	mg_hook_skip_parse(&s, "lint, apply,nope");
	assert_int_equal(s.mask, MG_CHECK_LINT | MG_HOOK_SKIP_APPLY);
	assert_int_equal(s.unknown.nr, 1);
	assert_string_equal(s.unknown.items[0], "nope");
	mg_hook_skip_release(&s);
}

/* Exactly what is named is skipped, and the hook says what still runs. */
static void test_hook__skip_says_what_still_runs(void **state)
{
	char *t;

	(void)state;
	t = describe(MG_HOOK_PRE_PUSH, "pair,journal,lint,docs");
	assert_string_equal(t, "migguard: MIGGUARD_SKIP=pair,journal,lint,"
			    "docs: pre-push: skipping pair, journal, lint, "
			    "docs; still running apply\n");
	free(t);
	t = describe(MG_HOOK_PRE_COMMIT, "pair,journal,lint,docs");
	assert_string_equal(t, "migguard: MIGGUARD_SKIP=pair,journal,lint,"
			    "docs: pre-commit: every check skipped\n");
	free(t);
	/* pre-commit has no apply: nothing of it is skipped. */
	t = describe(MG_HOOK_PRE_COMMIT, "apply");
	assert_string_equal(t, "");
	free(t);
	t = describe(MG_HOOK_PRE_COMMIT, "lnt");
	assert_non_null(strstr(t, "unknown check 'lnt'"));
	free(t);
	assert_int_equal(mg_hook_runs(MG_HOOK_PRE_COMMIT) & MG_HOOK_SKIP_APPLY,
			 0);
}

static void test_hook__framework_push_line(void **state)
{
	struct mg_strbuf in = MG_STRBUF_INIT;

	(void)state;
	mg_hook_framework_push_line(&in, "aaa", "bbb", NULL, "refs/heads/m");
	assert_string_equal(in.buf, "HEAD bbb refs/heads/m aaa\n");
	/* git's own lines win. */
	mg_hook_framework_push_line(&in, "ccc", "ddd", NULL, NULL);
	assert_string_equal(in.buf, "HEAD bbb refs/heads/m aaa\n");
	mg_strbuf_release(&in);
	mg_hook_framework_push_line(&in, "", "ddd", NULL, NULL);
	assert_int_equal(in.len, 0);
	mg_strbuf_release(&in);
}

static void test_hook__apply_argv(void **state)
{
	struct mg_apply_target t = { (char *)"abc", (char *)"db",
				     (char *)"packages/db", (char *)"dry-run",
				     0 };
	char *argv[MG_HOOK_APPLY_ARGV_MAX];

	(void)state;
	mg_hook_apply_argv(argv, &t, "/r");
	assert_string_equal(argv[0], "migguard-apply");
	assert_string_equal(argv[2], "abc");
	assert_string_equal(argv[4], "db");
	assert_string_equal(argv[5], "--dry-run");
	assert_string_equal(argv[6], "--if-reachable");
	assert_string_equal(argv[8], "/r");
	assert_null(argv[9]);
	t.mode = (char *)"apply";
	t.required = 1;
	mg_hook_apply_argv(argv, &t, NULL);
	assert_null(argv[5]);
}

/* The kept hook gets the arguments and stdin; its exit code comes back. */
static void test_hook__run_chained(void **state)
{
	char dir[] = "/tmp/mg-hook-XXXXXX";
	struct mg_strbuf in = MG_STRBUF_INIT;
	char *path, *out, *args[] = { (char *)"origin", (char *)"url" };
	enum mg_hook_chained what;
	FILE *f;
	int status;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = mg_xstrfmt("%s/kept", dir);
	out = mg_xstrfmt("%s/out", dir);
	assert_int_equal(mg_hook_run_chained(&what, &status, path, args, 2,
					     NULL), 0);
	assert_int_equal(what, MG_HOOK_CHAINED_ABSENT);
	/* No #! line: run with sh, as git does. */
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "echo \"$1 $2\" >%s; cat >>%s; exit 3\n", out, out);
	fclose(f);
	assert_int_equal(mg_hook_run_chained(&what, &status, path, args, 2,
					     NULL), 0);
	assert_int_equal(what, MG_HOOK_CHAINED_NOT_EXEC);
	chmod(path, 0755);
	mg_strbuf_adds(&in, "refs/heads/main 1 refs/heads/main 0\n");
	assert_int_equal(mg_hook_run_chained(&what, &status, path, args, 2,
					     &in), 0);
	assert_int_equal(what, MG_HOOK_CHAINED_RAN);
	assert_int_equal(status, 3);
	f = fopen(out, "r");
	assert_non_null(f);
	{
		char buf[128] = "";
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);

		buf[n] = '\0';
		assert_string_equal(buf, "origin url\nrefs/heads/main 1 "
				    "refs/heads/main 0\n");
	}
	fclose(f);
	unlink(out);
	unlink(path);
	rmdir(dir);
	mg_strbuf_release(&in);
	free(out);
	free(path);
}

static void test_hook__install_messages(void **state)
{
	struct mg_install_target t;
	struct mg_install_result r;
	struct mg_strbuf sb = MG_STRBUF_INIT;

	(void)state;
	memset(&t, 0, sizeof(t));
	memset(&r, 0, sizeof(r));
	t.workdir = (char *)"/w/";
	t.hooks_dir = (char *)"/w/.git/hooks";
	r.hook = MG_HOOK_PRE_COMMIT;
	r.action = MG_INSTALL_CHAINED;
	r.path = (char *)"/w/.git/hooks/pre-commit";
	r.kept = (char *)"/w/.git/hooks/pre-commit.migguard-chained";
	r.edited = 1;
	mg_install_describe(&sb, &t, &r);
	assert_string_equal(sb.buf, "migguard: installed the pre-commit hook: "
			    ".git/hooks/pre-commit (the existing hook, "
			    "migguard's with local edits, is kept as "
			    "pre-commit.migguard-chained and runs first)\n");
	mg_strbuf_reset(&sb);
	t.manager = MG_MANAGER_HUSKY;
	t.manager_file = (char *)".husky";
	t.evidence = (char *)"core.hooksPath is '.husky/_'";
	mg_install_manager_snippet(&sb, &t, MG_HOOK_PRE_COMMIT,
				   "node_modules/.bin/migguard");
	assert_non_null(strstr(sb.buf, "Add this line to .husky/pre-commit:\n"
				       "  node_modules/.bin/migguard hook "
				       "pre-commit\n"));
	assert_null(strstr(sb.buf, "pre-push"));
	mg_strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hook__skip_parse),
		cmocka_unit_test(test_hook__skip_says_what_still_runs),
		cmocka_unit_test(test_hook__framework_push_line),
		cmocka_unit_test(test_hook__apply_argv),
		cmocka_unit_test(test_hook__run_chained),
		cmocka_unit_test(test_hook__install_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

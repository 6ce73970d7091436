/*
 * The base modules: glob, srcmap, json, tree paths, pre-push parsing,
 * error messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migguard/changeset.h"
#include "migguard/glob.h"
#include "migguard/json.h"
#include "migguard/srcmap.h"
#include "migguard/tree.h"

static void test_glob__wildmatch(void **state)
{
	(void)state;
	assert_true(mg_glob_match("docs/**", "docs/a/b.md"));
	assert_true(mg_glob_match("**/*.md", "a/b/c.md"));
	assert_true(mg_glob_match("**/*.md", "c.md"));
	assert_true(mg_glob_match("a/**/b", "a/b"));
	assert_true(mg_glob_match("a/**/b", "a/x/y/b"));
	assert_false(mg_glob_match("a/*", "a/b/c"));
	assert_true(mg_glob_match("a/?.ts", "a/b.ts"));
	assert_false(mg_glob_match("a/?.ts", "a/bb.ts"));
	assert_true(mg_glob_match("[0-9][0-9]*.sql", "01_x.sql"));
	assert_false(mg_glob_match("[!0-9]*", "1x"));
	assert_false(mg_glob_match("[abc", "a"));
	assert_true(mg_path_watched("packages/db/src/schema",
				    "packages/db/src/schema/a.ts"));
	assert_false(mg_path_watched("packages/db/src/schema",
				     "packages/db/src/schemas/a.ts"));
	assert_true(mg_path_watched("packages/db/", "packages/db"));
	assert_true(mg_path_watched("src/**/*.ts", "src/a/b.ts"));
}

/* git's wildmatch: "**" is special only as a whole path component. */
static void test_glob__double_star_only_as_component(void **state)
{
	(void)state;
	assert_true(mg_glob_match("a**/b", "ax/b"));
	assert_false(mg_glob_match("a**/b", "ax/y/b"));
	assert_true(mg_glob_match("a/**b", "a/xb"));
	assert_false(mg_glob_match("a/**b", "a/x/b"));
	assert_true(mg_glob_match("a/**", "a/"));
	assert_true(mg_glob_match("**", "a/b/c"));
	assert_true(mg_glob_match("a/***/b", "a/x/y/b"));
	assert_true(mg_glob_match("**/", "a/b/"));
	assert_false(mg_glob_match("**/", "a/b"));
	assert_true(mg_glob_match("a\\*b", "a*b"));
	assert_true(mg_glob_match("a\\*", "a*"));
	assert_false(mg_glob_match("a\\*", "ab"));
	assert_false(mg_glob_match("a[/]b", "a/b"));
	assert_false(mg_glob_match("a?b", "a/b"));
	assert_true(mg_glob_match("[]]", "]"));
	assert_true(mg_glob_match("", ""));
	assert_false(mg_glob_match("", "a"));
}

/*
 * Many stars against a long name that almost matches: a backtracking
 * matcher takes exponential time (the hook timed out). The alarm fails
 * the test instead of hanging it.
 */
static void test_glob__many_stars_linear(void **state)
{
	char pattern[256], path[4096];
	size_t i;

	(void)state;
	for (i = 0; i < 60; i++) {
		pattern[2 * i] = 'a';
		pattern[2 * i + 1] = '*';
	}
	strcpy(pattern + 120, "b");
	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	alarm(10);
	assert_false(mg_glob_match(pattern, path));
	strcpy(pattern, "**/**/**/**/**/**/**/**/**/**/**/**/**/x");
	for (i = 0; i + 2 < sizeof(path); i += 2) {
		path[i] = 'a';
		path[i + 1] = '/';
	}
	path[i] = '\0';
	assert_false(mg_glob_match(pattern, path));
	path[i - 2] = 'x';
	path[i - 1] = '\0';
	assert_true(mg_glob_match(pattern, path));
	alarm(0);
}

static void test_srcmap__lines_and_utf8_columns(void **state)
{
	const char *text = "ab\n\xC3\xA9x\r\nz";
	struct mg_srcmap map;
	unsigned line, col;

	(void)state;
	mg_srcmap_init(&map, text, strlen(text));
	mg_srcmap_locate(&map, 0, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	mg_srcmap_locate(&map, 5, &line, &col); /* 'x' after 'é' */
	assert_int_equal(line, 2);
	assert_int_equal(col, 2);
	mg_srcmap_locate(&map, 8, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 1);
	mg_srcmap_locate(&map, 999, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 2);
	mg_srcmap_release(&map);
}

static void test_json__offsets_and_errors(void **state)
{
	const char *text = "{\n  \"a\": [1, 2.5],\n  \"b\": {\"c\": \"d\"}\n}";
	struct mg_json *j = NULL;
	const struct mg_json *a, *b;
	size_t off;

	(void)state;
	assert_int_equal(mg_json_parse(&j, text, strlen(text), NULL), 0);
	a = mg_json_get(j, "a");
	assert_int_equal(a->key_offset, 4);
	assert_int_equal(a->offset, 9);
	assert_true(a->children[0]->is_integer);
	assert_false(a->children[1]->is_integer);
	b = mg_json_get(j, "b");
	assert_string_equal(mg_json_get_string(b, "c"), "d");
	assert_int_equal(mg_json_get(b, "c")->offset,
			 (size_t)(strstr(text, "\"d\"") - text));
	mg_json_free(j);
	assert_int_equal(mg_json_parse(&j, "{\"a\": ", 6, &off), MG_ERROR);
	assert_non_null(strstr(mg_error_last(), "truncated"));
	assert_int_equal(mg_json_parse(&j, "{} x", 4, &off), MG_ERROR);
	assert_int_equal(off, 3);
	assert_int_equal(mg_json_parse(&j, "{\"a\":\0}", 7, &off), MG_ERROR);
	assert_int_equal(off, 5);
}

static void test_tree__path_safety(void **state)
{
	(void)state;
	assert_true(mg_path_is_safe("a/b.sql"));
	assert_false(mg_path_is_safe("../a"));
	assert_false(mg_path_is_safe("a/../../b"));
	assert_false(mg_path_is_safe("/etc/passwd"));
	assert_false(mg_path_is_safe("a//b"));
	assert_false(mg_path_is_safe("./a"));
	assert_false(mg_path_is_safe(""));
}

/* The rule, one component at a time: none empty, ".", or "..". */
static int path_safe_by_components(const char *path)
{
	const char *p = path;

	if (!*path)
		return 0;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (!slash)
			return 1;
		p = slash + 1;
	}
}

static void test_tree__path_safety_every_short_path(void **state)
{
	static const char alphabet[] = "a./";
	char path[8];
	size_t len, n, k, code;

	(void)state;
	for (len = 0; len <= 7; len++) {
		for (n = 1, k = 0; k < len; k++)
			n *= 3;
		for (code = 0; code < n; code++) {
			size_t c = code;

			for (k = 0; k < len; k++, c /= 3)
				path[k] = alphabet[c % 3];
			path[len] = '\0';
			if (mg_path_is_safe(path) !=
			    path_safe_by_components(path))
				fail_msg("'%s'", path);
		}
	}
}

static void expect_read(struct mg_tree *t, const char *path, int want,
			const char *data)
{
	char *buf = NULL;
	size_t len = 0;
	int err = mg_tree_read(t, path, &buf, &len);

	if (want >= 0 ? err < 0 : err != want)
		fail_msg("'%s': %d (%s), want %d", path, err,
			 err < 0 ? mg_error_last() : "", want);
	if (data)
		assert_string_equal(buf, data);
	free(buf);
}

/* A commit's view keeps the folder read last; any order reads the same. */
static void test_tree__commit_reads_across_folders(void **state)
{
	char root[] = "/tmp/mg-test-commit-XXXXXX", cmd[1024];
	struct mg_repo_options opts;
	struct mg_repo *repo = NULL;
	struct mg_tree *t = NULL;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(cmd, sizeof(cmd),
		 "cd %s && git init -q && mkdir -p a/sub b && "
		 "printf x >a/x && printf z >a/z && printf y >b/y && "
		 "printf w >a/sub/w && printf t >top && ln -s x a/link && "
		 "git add -A && git -c user.name=t -c user.email=t@t "
		 "commit -qm c", root);
	assert_int_equal(system(cmd), 0);
	memset(&opts, 0, sizeof(opts));
	opts.dir = root;
	assert_int_equal(mg_repo_open(&repo, &opts), 0);
	assert_int_equal(mg_repo_tree_at(&t, repo, "HEAD"), 0);
	expect_read(t, "a/x", 0, "x");
	expect_read(t, "a/z", 0, "z");
	expect_read(t, "a/missing", MG_ENOTFOUND, NULL);
	expect_read(t, "b/y", 0, "y");
	expect_read(t, "a/sub/w", 0, "w");
	expect_read(t, "a/sub", MG_ENOTFOUND, NULL);
	expect_read(t, "a/x", 0, "x");
	expect_read(t, "a/link", MG_ERROR, NULL);
	expect_read(t, "top", 0, "t");
	expect_read(t, "nowhere/x", MG_ENOTFOUND, NULL);
	expect_read(t, "top/x", MG_ENOTFOUND, NULL);
	expect_read(t, "b/y", 0, "y");
	mg_tree_free(t);
	mg_repo_free(repo);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

static void test_changeset__push_lines(void **state)
{
	struct mg_push_update *u = NULL;
	size_t nr = 0;
	const char *z = "0000000000000000000000000000000000000000";
	char text[512];

	(void)state;
	snprintf(text, sizeof(text),
		 "refs/heads/a b %s refs/heads/x %s\r\n\n(delete) %s "
		 "refs/heads/y %s\n",
		 "1111111111111111111111111111111111111111", z, z,
		 "2222222222222222222222222222222222222222");
	assert_int_equal(mg_push_updates_parse(&u, &nr, text), 0);
	assert_int_equal(nr, 2);
	assert_string_equal(u[0].local_ref, "refs/heads/a b");
	assert_string_equal(u[0].remote_ref, "refs/heads/x");
	assert_true(mg_oid_is_zero(u[0].remote_oid));
	assert_true(mg_oid_is_zero(u[1].local_oid));
	mg_push_updates_free(u, nr);
	assert_int_equal(mg_push_updates_parse(&u, &nr, ""), 0);
	assert_int_equal(nr, 0);
	assert_int_equal(mg_push_updates_parse(&u, &nr, "a b c d\n"),
			 MG_ERROR);
	assert_non_null(strstr(mg_error_last(), "line 1"));
	assert_true(mg_oid_is_zero(
		"0000000000000000000000000000000000000000000000000000000000000000"));
	assert_false(mg_oid_is_zero("00001"));
}

/* Columns on a line longer than a block, a character across the edge. */
static void test_srcmap__long_line(void **state)
{
	size_t len = 3 * MG_SRCMAP_BLOCK + 10, i;
	char *buf = malloc(len);
	struct mg_srcmap map;
	unsigned line, col;

	(void)state;
	memset(buf, 'a', len);
	buf[5] = '\n';
	/* "é" (2 bytes) across the first block edge. */
	buf[MG_SRCMAP_BLOCK - 1] = '\xc3';
	buf[MG_SRCMAP_BLOCK] = '\xa9';
	mg_srcmap_init(&map, buf, len);
	mg_srcmap_locate(&map, MG_SRCMAP_BLOCK + 1, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, MG_SRCMAP_BLOCK - 6 + 1);
	mg_srcmap_locate(&map, len, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, len - 6 - 1 + 1);
	for (i = 0; i < len; i += 997)
		mg_srcmap_locate(&map, i, &line, &col);
	mg_srcmap_release(&map);
	free(buf);
}

/* Wrapping the last message in a new one keeps it (no aliasing). */
static void test_error__wrap_last_message(void **state)
{
	(void)state;
	mg_error_set("invalid JSON");
	mg_error_set("libpg_query parse tree: %s", mg_error_last());
	assert_string_equal(mg_error_last(),
			    "libpg_query parse tree: invalid JSON");
	mg_error_set("%s: %s", mg_error_last(), mg_error_last());
	assert_string_equal(mg_error_last(),
			    "libpg_query parse tree: invalid JSON: "
			    "libpg_query parse tree: invalid JSON");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob__wildmatch),
		cmocka_unit_test(test_glob__double_star_only_as_component),
		cmocka_unit_test(test_glob__many_stars_linear),
		cmocka_unit_test(test_srcmap__lines_and_utf8_columns),
		cmocka_unit_test(test_json__offsets_and_errors),
		cmocka_unit_test(test_tree__path_safety),
		cmocka_unit_test(test_tree__path_safety_every_short_path),
		cmocka_unit_test(test_tree__commit_reads_across_folders),
		cmocka_unit_test(test_changeset__push_lines),
		cmocka_unit_test(test_error__wrap_last_message),
		cmocka_unit_test(test_srcmap__long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The json module's tree-less reader, mg_json_top_strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migguard/error.h"
#include "migguard/json.h"
#include "migguard/strbuf.h"

enum { ID, PREV, VERSION, NR };

static void members_init(struct mg_json_member *m)
{
	memset(m, 0, NR * sizeof(*m));
	m[ID].key = "id";
	m[PREV].key = "prevId";
	m[VERSION].key = "version";
}

/* What the reader picks equals what the tree of mg_json_parse holds. */
static void assert_same_as_tree(const char *text, size_t len)
{
	struct mg_json_member m[NR];
	struct mg_json *j = NULL;
	size_t off = 0, i;
	int type;

	members_init(m);
	type = mg_json_top_strings(m, NR, text, len, &off);
	if (type < 0)
		return; /* refused: the caller asks mg_json_parse */
	assert_int_equal(mg_json_parse(&j, text, len, NULL), 0);
	assert_int_equal(type, j->type);
	for (i = 0; i < NR; i++) {
		const struct mg_json *v = mg_json_get(j, m[i].key);

		assert_int_equal(m[i].found, v != NULL);
		if (!v)
			continue;
		assert_int_equal(m[i].type, v->type);
		assert_int_equal(m[i].key_offset, v->key_offset);
		assert_int_equal(m[i].offset, v->offset);
		if (v->type == MG_JSON_STRING)
			assert_string_equal(m[i].string, v->string);
		else
			assert_null(m[i].string);
	}
	mg_json_members_release(m, NR);
	mg_json_free(j);
}

static void test_json__top_strings_picks_members(void **state)
{
	const char *text =
		"{\n  \"tables\": {\"t\": {\"id\": \"nested\"}},\n"
		"  \"id\": \"a\\u00e9\\ud83d\\ude00\\n\",\n"
		"  \"prev\\u0049d\": \"b\",\n"
		"  \"version\": 7,\n"
		"  \"id\": \"second\"\n}";
	struct mg_json_member m[NR];
	size_t off = 0;

	(void)state;
	members_init(m);
	assert_int_equal(mg_json_top_strings(m, NR, text, strlen(text), &off),
			 MG_JSON_OBJECT);
	/* The top level's first "id", not the table's nor the later one. */
	assert_true(m[ID].found);
	assert_int_equal(m[ID].type, MG_JSON_STRING);
	assert_string_equal(m[ID].string, "a\xC3\xA9\xF0\x9F\x98\x80\n");
	assert_int_equal(m[ID].key_offset,
			 (size_t)(strstr(text, "\"id\": \"a") - text));
	/* An escaped name is the name it decodes to. */
	assert_true(m[PREV].found);
	assert_string_equal(m[PREV].string, "b");
	assert_int_equal(m[VERSION].type, MG_JSON_NUMBER);
	assert_null(m[VERSION].string);
	mg_json_members_release(m, NR);
	assert_same_as_tree(text, strlen(text));
}

static void test_json__top_strings_not_an_object(void **state)
{
	const char *array = " [1, {\"id\": \"x\"}] ";
	struct mg_json_member m[NR];

	(void)state;
	members_init(m);
	assert_int_equal(mg_json_top_strings(m, NR, array, strlen(array),
					     NULL),
			 MG_JSON_ARRAY);
	assert_false(m[ID].found);
	assert_int_equal(mg_json_top_strings(m, NR, "\"s\"", 3, NULL),
			 MG_JSON_STRING);
	assert_int_equal(mg_json_top_strings(m, NR, "-0.5e+3", 7, NULL),
			 MG_JSON_NUMBER);
	assert_int_equal(mg_json_top_strings(m, NR, "null", 4, NULL),
			 MG_JSON_NULL);
}

/* What the strict reader refuses; each is a case for mg_json_parse. */
static const char *const refused[] = {
	"",
	"   ",
	"{",
	"{\"id\": \"x\"",
	"{\"id\": \"x\",}",
	"{\"id\" \"x\"}",
	"{id: \"x\"}",
	"[1, 2,]",
	"[1 2]",
	"{\"id\": \"x\"} x",
	"{\"id\": \"\\x\"}",
	"{\"id\": \"\\u12\"}",
	"{\"id\": \"\\u12g4\"}",
	"{\"id\": \"\\udc00\"}",
	"{\"id\": \"\\ud800\"}",
	"{\"id\": \"\\ud800\\u0041\"}",
	"{\"id\": \"tab\there\"}",
	"\xEF\xBB\xBF{}",
	"{\"n\": 01}",
	"{\"n\": 1.}",
	"{\"n\": .5}",
	"{\"n\": +1}",
	"{\"n\": 1e}",
	"{\"n\": -}",
	"{\"n\": 1234567890123456789012345678901234567890"
	"123456789012345678901234}",
	"{\"b\": tru}",
	"{\"b\": True}",
	"{\"a\":\f1}",
	"\"unterminated",
};

static void test_json__top_strings_refuses(void **state)
{
	struct mg_json_member m[NR];
	size_t i, off;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		members_init(m);
		off = (size_t)-1;
		if (mg_json_top_strings(m, NR, refused[i], strlen(refused[i]),
					&off) >= 0)
			fail_msg("accepted: %s", refused[i]);
		assert_true(off <= strlen(refused[i]));
		assert_null(m[ID].string);
	}
	/* A NUL byte, inside a string or outside. */
	members_init(m);
	assert_true(mg_json_top_strings(m, NR, "{\"id\": \"a\0b\"}", 13,
					NULL) < 0);
	assert_true(mg_json_top_strings(m, NR, "{}\0", 3, NULL) < 0);
}

static void test_json__top_strings_depth(void **state)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	struct mg_json_member m[NR];
	int i;

	(void)state;
	for (i = 0; i < 512; i++)
		mg_strbuf_adds(&sb, "[");
	for (i = 0; i < 512; i++)
		mg_strbuf_adds(&sb, "]");
	members_init(m);
	assert_int_equal(mg_json_top_strings(m, NR, sb.buf, sb.len, NULL),
			 MG_JSON_ARRAY);
	mg_strbuf_reset(&sb);
	for (i = 0; i < 513; i++)
		mg_strbuf_adds(&sb, "[");
	for (i = 0; i < 513; i++)
		mg_strbuf_adds(&sb, "]");
	assert_true(mg_json_top_strings(m, NR, sb.buf, sb.len, NULL) < 0);
	mg_strbuf_release(&sb);
}

/* Whatever it accepts, mg_json_parse accepts and reads the same. */
static const char *const accepted[] = {
	"{}",
	" {\"id\":\"x\",\"prevId\":\"y\",\"version\":\"7\"} \n",
	"{\"id\": null, \"prevId\": [], \"version\": {\"a\": [true, false]}}",
	"{\"id\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"prevId\": \"\\u0000x\"}",
	"{\"version\": -0.0e-0, \"id\": 12, \"prevId\": 1E+2}",
	"{\"\\u0069d\": \"esc\", \"id\": \"plain\"}",
	"{\r\n\t\"id\"\t:\r\n\"\xC3\xA9\xE2\x82\xAC\"\r\n}",
	"[\"id\", {\"id\": \"x\"}]",
	"{\"id\": \"\xFF\xFE\"}",
};

static void test_json__top_strings_agrees_with_parse(void **state)
{
	struct mg_json_member m[NR];
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		members_init(m);
		if (mg_json_top_strings(m, NR, accepted[i],
					strlen(accepted[i]), NULL) < 0)
			fail_msg("refused: %s", accepted[i]);
		mg_json_members_release(m, NR);
		assert_same_as_tree(accepted[i], strlen(accepted[i]));
	}
	/* Every prefix of a document: refused, or read as the tree does. */
	for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++)
		for (k = 0; k <= strlen(accepted[i]); k++)
			assert_same_as_tree(accepted[i], k);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_same_as_tree(refused[i], strlen(refused[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json__top_strings_picks_members),
		cmocka_unit_test(test_json__top_strings_not_an_object),
		cmocka_unit_test(test_json__top_strings_refuses),
		cmocka_unit_test(test_json__top_strings_depth),
		cmocka_unit_test(test_json__top_strings_agrees_with_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The json module's tree-less readers: mg_json_top_strings,
 * mg_json_canonical, mg_json_parse_paths.
 */
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
		"  \"version\": 7\n}";
	struct mg_json_member m[NR];
	size_t off = 0;

	(void)state;
	members_init(m);
	assert_int_equal(mg_json_top_strings(m, NR, text, strlen(text), &off),
			 MG_JSON_OBJECT);
	/* The top level's "id", not the table's. */
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
	"{\"id\": \"tab\there\"}",
	"\xEF\xBB\xBF{}",
	"{\"n\": 01}",
	"{\"n\": 1.}",
	"{\"n\": .5}",
	"{\"n\": +1}",
	"{\"n\": 1e}",
	"{\"n\": -}",
	"{\"id\": \"\xFF\xFE\"}",
	"{\"\\u0069d\": \"esc\", \"id\": \"plain\"}",
	"{\"a\": {\"b\": 1, \"b\": 2}}",
	"[{\"a\": 1}, {\"b\": 1, \"c\": [{\"d\": 1, \"d\": 1}]}]",
	"{\"n\": 00}",
	"{\"n\": -01}",
	"\xEF\xBB\xBF{}",
	"{\"id\": \"\xC0\x80\"}",
	"{\"id\": \"\xED\xA0\x80\"}",
	"{\"id\": \"\xE2\x82\"}",
	"{\"a\": 1}\f",
	"\v{}",
	"{\"a\": \"\x7f\x01\"}",
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
	for (i = 0; i < 1000; i++)
		mg_strbuf_adds(&sb, "[");
	for (i = 0; i < 1000; i++)
		mg_strbuf_adds(&sb, "]");
	members_init(m);
	assert_int_equal(mg_json_top_strings(m, NR, sb.buf, sb.len, NULL),
			 MG_JSON_ARRAY);
	mg_strbuf_reset(&sb);
	for (i = 0; i < 1001; i++)
		mg_strbuf_adds(&sb, "[");
	for (i = 0; i < 1001; i++)
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
	"{\"\\u0069\": \"esc\", \"id\": \"plain\"}",
	"{\"id\": \"\\udc00\", \"prevId\": \"\\ud800\\u0041\"}",
	"{\"n\": 1234567890123456789012345678901234567890"
	"123456789012345678901234, \"id\": \"\xF0\x9F\x98\x80\"}",
	"{\"a\": {\"b\": 1}, \"b\": {\"a\": 1, \"b\": [{\"b\": 1}]}}",
	"{\r\n\t\"id\"\t:\r\n\"\xC3\xA9\xE2\x82\xAC\"\r\n}",
	"[\"id\", {\"id\": \"x\"}]",
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

/*
 * mg_json_parse accepts exactly what JSON.parse does (checked with node),
 * less duplicate names and bytes that are not UTF-8; the message and
 * offset say what and where.
 */
static void test_json__parse_as_json_parse(void **state)
{
	static const struct {
		const char *text;
		size_t offset;
		const char *message;
	} bad[] = {
		{ "\xEF\xBB\xBF{}", 0, "a byte order mark at the start "
		  "(JSON.parse refuses it: save the file as UTF-8 without BOM)" },
		{ "{\"idx\": 00}", 9, "a number with a leading zero" },
		{ "{\"a\":\f1}", 5, "invalid JSON" },
		{ "{\"a\": \"x\ty\"}", 8, "a raw control character (0x09) "
		  "in a string: write it escaped, as \\t or \\u0009" },
		{ "{\"a\": \"\x1b[2J\"}", 7, "a raw control character "
		  "(0x1b) in a string: write it escaped, as \\u001b" },
		{ "{\"a\": 1}\f", 8, "unexpected text after the JSON value" },
		{ "{\"a\": [1, ", 10, "unexpected end of JSON (truncated "
		  "file?)" },
		{ "{\"a\": 1,\n \"b\": 2,\n \"a\": 3}", 19, "the key \"a\" is "
		  "given twice, on lines 1 and 3 (JSON.parse keeps the last "
		  "one)" },
		{ "{\"a\": 1, \"\\u0061\": 2}", 9, "the key \"a\" is given "
		  "twice, on lines 1 and 1 (JSON.parse keeps the last one)" },
		{ "[{\"x\": {}, \"x\": 1, \"x\": 2}]", 11, "the key \"x\" is "
		  "given twice, on lines 1 and 1 (JSON.parse keeps the last "
		  "one)" },
		{ "{\"a\": \"\xFF\"}", 7, "bytes that are not UTF-8 in a "
		  "string (drizzle would read U+FFFD in their place)" },
	};
	struct mg_json *j = NULL;
	const char *text;
	size_t i, off;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		off = (size_t)-1;
		if (mg_json_parse(&j, bad[i].text, strlen(bad[i].text), &off) >=
		    0)
			fail_msg("accepted: %s", bad[i].text);
		assert_null(j);
		assert_string_equal(mg_error_last(), bad[i].message);
		assert_int_equal(off, bad[i].offset);
	}
	/* JSON.parse takes these: lone surrogates, any number's length. */
	text = "[\"\\ud800\", 1e999, -0, 0.00000000000000000000000000000"
	       "0000000000000000000000000000000000001]";
	assert_int_equal(mg_json_parse(&j, text, strlen(text), NULL), 0);
	assert_string_equal(j->children[0]->string, "\xEF\xBF\xBD");
	assert_true(j->children[1]->number > 1e308);
	assert_int_equal(j->children[2]->is_integer, 1);
	assert_int_equal(j->children[3]->is_integer, 0);
	mg_json_free(j);
	/* Names apart at different levels or objects are not duplicates. */
	text = "{\"a\": {\"a\": 1}, \"b\": [{\"a\": 1}, {\"a\": 2}]}";
	assert_int_equal(mg_json_parse(&j, text, strlen(text), NULL), 0);
	mg_json_free(j);
}

static const char *const chain_keys[] = { "id", "prevId" };

/* 1 when a and b have the same canonical form; -1 when either is refused. */
static int canon_same(const char *a, const char *b)
{
	struct mg_strbuf ca = MG_STRBUF_INIT, cb = MG_STRBUF_INIT;
	int same = -1;

	if (mg_json_canonical(&ca, a, strlen(a), chain_keys, 2) >= 0 &&
	    mg_json_canonical(&cb, b, strlen(b), chain_keys, 2) >= 0)
		same = ca.len == cb.len && !memcmp(ca.buf, cb.buf, ca.len);
	mg_strbuf_release(&ca);
	mg_strbuf_release(&cb);
	return same;
}

/*
 * Small objects are searched pairwise, large ones sorted: both name the
 * earliest second place and its first, whatever the other names.
 */
static void test_json__duplicates_small_and_large(void **state)
{
	size_t sizes[] = { 6, 24, 25, 200 }, k, i;

	(void)state;
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct mg_strbuf sb = MG_STRBUF_INIT;
		struct mg_json *j = NULL;
		size_t n = sizes[k], off = 0, want = 0;
		char line[128];

		/* k2, k5, fillers, k2 (the error), k5, k2 (a third) */
		mg_strbuf_adds(&sb, "{");
		for (i = 0; i < n; i++) {
			size_t name = i == 0 || i == n - 3 || i == n - 1 ? 2
				      : i == 1 || i == n - 2 ? 5 : i + 10;

			if (i)
				mg_strbuf_adds(&sb, ",");
			mg_strbuf_adds(&sb, "\n");
			if (i == n - 3)
				want = sb.len;
			mg_strbuf_addf(&sb, "\"k%zu\": %zu", name, i);
		}
		mg_strbuf_adds(&sb, "}");
		assert_int_equal(mg_json_parse(&j, sb.buf, sb.len, &off),
				 MG_ERROR);
		assert_null(j);
		assert_int_equal(off, want);
		snprintf(line, sizeof(line), "the key \"k2\" is given twice, "
			 "on lines 2 and %zu", n - 1);
		assert_non_null(strstr(mg_error_last(), line));
		mg_strbuf_release(&sb);
	}
}

/* A tree libpg_query wrote skips the duplicate check; nothing else. */
static void test_json__unique_keys_flag(void **state)
{
	static const char text[] = "{\"a\": 1, \"b\": [true, \"x\"], \"a\": 2}";
	struct mg_json *j = NULL;

	(void)state;
	assert_int_equal(mg_json_parse(&j, text, strlen(text), NULL), MG_ERROR);
	assert_int_equal(mg_json_parse_flags(&j, text, strlen(text), NULL,
					     MG_JSON_UNIQUE_KEYS), 0);
	assert_int_equal(j->nr, 3);
	assert_string_equal(j->children[2]->key, "a");
	assert_int_equal((int)j->children[2]->number, 2);
	mg_json_free(j);
	assert_int_equal(mg_json_parse_flags(&j, "{\"a\": }", 7, NULL,
					     MG_JSON_UNIQUE_KEYS), MG_ERROR);
	assert_null(j);
}

static void test_json__canonical_ignores_member_order(void **state)
{
	(void)state;
	assert_int_equal(canon_same("{\"a\":1,\"b\":{\"c\":[1,{\"d\":2,"
				    "\"e\":3}],\"f\":null}}",
				    " {\"b\" : {\"f\":null,\"c\":[1,{\"e\":3,"
				    "\"d\":2}]}, \"a\":1}\n"), 1);
	assert_int_equal(canon_same("{}", "{ }"), 1);
	assert_int_equal(canon_same("[]", "[\n]"), 1);
	/* a name that is a prefix of another sorts first, either way */
	assert_int_equal(canon_same("{\"ab\":1,\"a\":2}",
				    "{\"a\":2,\"ab\":1}"), 1);
}

static void test_json__canonical_keeps_values(void **state)
{
	(void)state;
	/* arrays keep their order */
	assert_int_equal(canon_same("[1,2]", "[2,1]"), 0);
	assert_int_equal(canon_same("{\"a\":[{\"x\":1},{\"y\":1}]}",
				    "{\"a\":[{\"y\":1},{\"x\":1}]}"), 0);
	/* any value, name or type change */
	assert_int_equal(canon_same("{\"a\":\"x\"}", "{\"a\":\"y\"}"), 0);
	assert_int_equal(canon_same("{\"a\":1}", "{\"b\":1}"), 0);
	assert_int_equal(canon_same("{\"a\":1}", "{\"a\":\"1\"}"), 0);
	assert_int_equal(canon_same("{\"a\":true}", "{\"a\":false}"), 0);
	assert_int_equal(canon_same("{\"a\":null}", "{\"a\":false}"), 0);
	assert_int_equal(canon_same("{\"a\":1}", "{\"a\":1,\"b\":1}"), 0);
	assert_int_equal(canon_same("[[]]", "[[],[]]"), 0);
	assert_int_equal(canon_same("{\"a\":{}}", "{\"a\":[]}"), 0);
	/* strings are length-framed: no two splits read alike */
	assert_int_equal(canon_same("[\"ab\",\"c\"]", "[\"a\",\"bc\"]"), 0);
	assert_int_equal(canon_same("{\"a\":\"b\"}", "{\"ab\":\"\"}"), 0);
}

static void test_json__canonical_decodes_escapes(void **state)
{
	(void)state;
	assert_int_equal(canon_same("[\"A\\/\"]", "[\"\\u0041/\"]"), 1);
	assert_int_equal(canon_same("{\"\\u00e9\":1}",
				    "{\"\xC3\xA9\":1}"), 1);
	assert_int_equal(canon_same("[\"\\ud83d\\ude00\"]",
				    "[\"\xF0\x9F\x98\x80\"]"), 1);
	assert_int_equal(canon_same("[\"\\n\"]", "[\"\\\\n\"]"), 0);
	/* like cJSON, a string ends at an escaped NUL */
	assert_int_equal(canon_same("[\"a\\u0000b\"]", "[\"a\"]"), 1);
}

static void test_json__canonical_numbers_by_value(void **state)
{
	(void)state;
	/* documented: as mg_json_parse reads them, as doubles */
	assert_int_equal(canon_same("[1]", "[1.0]"), 1);
	assert_int_equal(canon_same("[100]", "[1e2]"), 1);
	assert_int_equal(canon_same("[0]", "[-0.0]"), 1);
	assert_int_equal(canon_same("[1]", "[2]"), 0);
	assert_int_equal(canon_same("[0.1]", "[0.10000001]"), 0);
}

static void test_json__canonical_skips_top_members(void **state)
{
	(void)state;
	assert_int_equal(canon_same("{\"id\":\"1\",\"prevId\":\"0\",\"v\":1}",
				    "{\"v\":1,\"id\":\"2\"}"), 1);
	assert_int_equal(canon_same("{\"\\u0069d\":\"1\"}", "{}"), 1);
	/* only at the top */
	assert_int_equal(canon_same("{\"t\":{\"id\":\"1\"}}",
				    "{\"t\":{\"id\":\"2\"}}"), 0);
	assert_int_equal(canon_same("[{\"id\":1}]", "[{}]"), 0);
}

static void test_json__canonical_refuses(void **state)
{
	static const char *const bad[] = {
		"", "{", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "tru", "01",
		"\"\\x\"", "{\"a\":1} x", "\xEF\xBB\xBF{}",
		/* a member named twice: the trees compare those */
		"{\"a\":1,\"a\":1}", "{\"x\":{\"b\":1,\"\\u0062\":2}}",
	};
	struct mg_strbuf sb = MG_STRBUF_INIT;
	char deep[1200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mg_strbuf_reset(&sb);
		if (mg_json_canonical(&sb, bad[i], strlen(bad[i]), NULL,
				      0) >= 0)
			fail_msg("accepted: %s", bad[i]);
	}
	/* deeper than the strict reader goes */
	memset(deep, '[', 1100);
	memset(deep + 1100, ']', 100);
	mg_strbuf_reset(&sb);
	assert_true(mg_json_canonical(&sb, deep, sizeof(deep), NULL, 0) < 0);
	/* the id/prevId duplicates at the top are skipped, not refused */
	mg_strbuf_reset(&sb);
	assert_int_equal(mg_json_canonical(&sb, "{\"id\":1,\"id\":2}", 15,
					   chain_keys, 2), 0);
	mg_strbuf_release(&sb);
}

static const char *const paths[] = {
	"tables/*/name", "tables/*/indexes/*", "list/1", "n",
};

/* v of the filtered tree equals w of the full one, its children too. */
static void assert_same_node(const struct mg_json *v, const struct mg_json *w)
{
	assert_int_equal(v->type, w->type);
	assert_int_equal(v->offset, w->offset);
	if (v->key || w->key) {
		assert_string_equal(v->key, w->key);
		assert_int_equal(v->key_offset, w->key_offset);
	}
	if (v->type == MG_JSON_STRING)
		assert_string_equal(v->string, w->string);
	if (v->type == MG_JSON_NUMBER) {
		assert_true(v->number == w->number);
		assert_int_equal(v->is_integer, w->is_integer);
	}
}

static void test_json__parse_paths_keeps_only_paths(void **state)
{
	const char *text =
		"{\"version\":\"7\",\"tables\":{\"public.a\":{\"name\":\"a\","
		"\"columns\":{\"id\":{\"type\":\"int\"}},\"indexes\":{"
		"\"a_idx\":{\"name\":\"a_idx\",\"columns\":[1]},"
		"\"b\\u005fidx\":{}}},\n \"public.b\" : {\"indexes\":[]}},"
		"\"list\":[10,{\"x\":1.5e1},30],\"n\":-2}";
	struct mg_json *f = NULL, *j = NULL;
	const struct mg_json *t, *a, *idx, *full_idx, *l;
	size_t off = 99;

	(void)state;
	assert_int_equal(mg_json_parse_paths(&f, text, strlen(text), paths, 4,
					     &off), 0);
	assert_int_equal(mg_json_parse(&j, text, strlen(text), NULL), 0);
	assert_int_equal(f->type, MG_JSON_OBJECT);
	assert_int_equal(f->nr, 3); /* tables, list, n */
	assert_null(mg_json_get(f, "version"));
	t = mg_json_get(f, "tables");
	assert_same_node(t, mg_json_get(j, "tables"));
	assert_int_equal(t->nr, 2);
	a = mg_json_get(t, "public.a");
	assert_int_equal(a->nr, 2); /* name, indexes */
	assert_same_node(mg_json_get(a, "name"),
			 mg_json_get(mg_json_get(mg_json_get(j, "tables"),
						 "public.a"), "name"));
	assert_null(mg_json_get(a, "columns"));
	idx = mg_json_get(a, "indexes");
	full_idx = mg_json_get(mg_json_get(mg_json_get(j, "tables"),
					   "public.a"), "indexes");
	assert_int_equal(idx->nr, 2);
	assert_same_node(idx->children[0], full_idx->children[0]);
	assert_same_node(idx->children[1], full_idx->children[1]);
	assert_string_equal(idx->children[1]->key, "b_idx");
	/* the end of a path: kept without its children */
	assert_int_equal(idx->children[0]->nr, 0);
	assert_int_equal(mg_json_get(mg_json_get(t, "public.b"), "indexes")->nr,
			 0);
	/* array positions */
	l = mg_json_get(f, "list");
	assert_int_equal(l->nr, 1);
	assert_same_node(l->children[0], mg_json_get(j, "list")->children[1]);
	assert_same_node(mg_json_get(f, "n"), mg_json_get(j, "n"));
	mg_json_free(f);
	mg_json_free(j);
}

static void test_json__parse_paths_refuses(void **state)
{
	static const char *const bad[] = {
		"", "{\"tables\":{\"a\":{\"name\":}}}", "{\"x\":[1,]}",
		"{\"n\":1} 2", "{\"tables\":{\"a\":{\"indexes\":{\"i\":tru}}}}",
	};
	struct mg_json *f = NULL;
	size_t i, off;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (mg_json_parse_paths(&f, bad[i], strlen(bad[i]), paths, 4,
					&off) >= 0)
			fail_msg("accepted: %s", bad[i]);
		assert_null(f);
	}
	/* no path: the top value alone */
	assert_int_equal(mg_json_parse_paths(&f, "{\"a\":[1]}", 9, NULL, 0,
					     NULL), 0);
	assert_int_equal(f->type, MG_JSON_OBJECT);
	assert_int_equal(f->nr, 0);
	mg_json_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json__top_strings_picks_members),
		cmocka_unit_test(test_json__top_strings_not_an_object),
		cmocka_unit_test(test_json__top_strings_refuses),
		cmocka_unit_test(test_json__top_strings_depth),
		cmocka_unit_test(test_json__parse_as_json_parse),
		cmocka_unit_test(test_json__top_strings_agrees_with_parse),
		cmocka_unit_test(test_json__unique_keys_flag),
		cmocka_unit_test(test_json__duplicates_small_and_large),
		cmocka_unit_test(test_json__canonical_ignores_member_order),
		cmocka_unit_test(test_json__canonical_keeps_values),
		cmocka_unit_test(test_json__canonical_decodes_escapes),
		cmocka_unit_test(test_json__canonical_numbers_by_value),
		cmocka_unit_test(test_json__canonical_skips_top_members),
		cmocka_unit_test(test_json__canonical_refuses),
		cmocka_unit_test(test_json__parse_paths_keeps_only_paths),
		cmocka_unit_test(test_json__parse_paths_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

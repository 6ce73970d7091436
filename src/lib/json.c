#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migguard/json.h"
#include "migguard/srcmap.h"
#include "migguard/strbuf.h"

/*
 * One strict RFC 8259 reader serves every entry point: it accepts exactly
 * what JavaScript's JSON.parse accepts (drizzle-kit and drizzle's migrator
 * read journals and snapshots with it), less two things JSON.parse lets
 * through and migguard refuses on purpose: a member name given twice in
 * one object (JSON.parse keeps the last, a reader keeping the first checks
 * another document than drizzle runs) and bytes that are not UTF-8 inside
 * a string (Node would read U+FFFD in their place). Nesting is limited to
 * MAX_DEPTH levels.
 */
#define MAX_DEPTH 1000

struct key_ref {
	const char *name; /* decoded (owned) or in the text */
	size_t len;
	size_t offset; /* the name's opening quote */
	char *owned;
};

/* The member names of the object open at each depth, for duplicates. */
struct key_level {
	struct key_ref *items;
	size_t nr, alloc;
};

struct key_stack {
	struct key_level *levels;
	size_t nr;
};

struct scan {
	const char *buf;
	size_t len, pos;
	struct key_stack *keys; /* NULL: duplicates are not looked for */
	int any_bytes;		/* MG_JSON_ANY_BYTES */
};

static void skip_ws(struct scan *s)
{
	while (s->pos < s->len && (s->buf[s->pos] == ' ' ||
				   s->buf[s->pos] == '\t' ||
				   s->buf[s->pos] == '\n' ||
				   s->buf[s->pos] == '\r'))
		s->pos++;
}

static void add_child(struct mg_json *parent, struct mg_json *child,
		      size_t *alloc)
{
	parent->nr++;
	MG_ALLOC_GROW(parent->children, parent->nr, *alloc);
	parent->children[parent->nr - 1] = child;
}

/* A refusal at s->pos: the end of the text, or a byte that cannot be. */
static int top_fail(struct scan *s)
{
	if (s->pos >= s->len)
		return mg_error_set("unexpected end of JSON (truncated file?)");
	return mg_error_set("invalid JSON");
}

static int top_fail_deep(void)
{
	return mg_error_set("JSON nested deeper than %d levels", MAX_DEPTH);
}

/* What every reader checks first: a byte order mark, then white space. */
static int top_begin(struct scan *s)
{
	if (s->len >= 3 && !memcmp(s->buf, "\xEF\xBB\xBF", 3))
		return mg_error_set("a byte order mark at the start "
				    "(JSON.parse refuses it: save the file "
				    "as UTF-8 without BOM)");
	skip_ws(s);
	return 0;
}

/* After the value: only white space. */
static int top_end(struct scan *s)
{
	skip_ws(s);
	if (s->pos < s->len)
		return mg_error_set("unexpected text after the JSON value");
	return 0;
}

/*
 * After an array item or object member: the closing bracket (1, consumed)
 * or a comma (0, consumed with the white space after it); else an error.
 */
static int after_item(struct scan *s, char close)
{
	skip_ws(s);
	if (s->pos >= s->len)
		return top_fail(s);
	if (s->buf[s->pos] == close) {
		s->pos++;
		return 1;
	}
	if (s->buf[s->pos] != ',')
		return top_fail(s);
	s->pos++;
	skip_ws(s);
	return 0;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * A \\u escape at p (the backslash), surrogate pairs joined; its length,
 * 0 when malformed. JSON.parse takes a lone surrogate: it reads as U+FFFD,
 * as Node writes it to a file name or a database.
 */
static size_t unicode_escape(const char *p, size_t avail, unsigned *cp)
{
	unsigned lo;

	if (avail < 6 || p[1] != 'u' || hex4(p + 2, cp) < 0)
		return 0;
	if (*cp < 0xD800 || *cp > 0xDFFF)
		return 6;
	if (*cp >= 0xDC00 || avail < 12 || p[6] != '\\' || p[7] != 'u' ||
	    hex4(p + 8, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF) {
		*cp = 0xFFFD;
		return 6;
	}
	*cp = 0x10000 + (((*cp & 0x3FF) << 10) | (lo & 0x3FF));
	return 12;
}

/* The length of the UTF-8 character at p, 0 when it is not one. */
static size_t utf8_char(const unsigned char *p, size_t avail)
{
	size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 1;

	if (n > avail || mg_utf8_valid_prefix((const char *)p, n) != n)
		return 0;
	return n;
}

/* Skip a string at s->pos (its opening quote); *escaped when it has any. */
static int top_string(struct scan *s, int *escaped)
{
	const unsigned char *b = (const unsigned char *)s->buf;
	unsigned cp;
	size_t n;

	*escaped = 0;
	s->pos++;
	for (;;) {
		while (s->pos < s->len && b[s->pos] >= 0x20 &&
		       b[s->pos] < 0x80 && b[s->pos] != '"' &&
		       b[s->pos] != '\\')
			s->pos++;
		if (s->pos >= s->len)
			return top_fail(s);
		if (b[s->pos] == '"')
			break;
		if (b[s->pos] < 0x20)
			return mg_error_set("a raw control character (0x%02x) "
				"in a string: write it escaped, as %s\\u%04x",
				b[s->pos],
				b[s->pos] == '\t'   ? "\\t or "
				: b[s->pos] == '\n' ? "\\n or "
				: b[s->pos] == '\r' ? "\\r or "
						    : "",
				b[s->pos]);
		if (b[s->pos] >= 0x80 && s->any_bytes) {
			s->pos++;
			continue;
		}
		if (b[s->pos] >= 0x80) {
			n = utf8_char(b + s->pos, s->len - s->pos);
			if (!n)
				return mg_error_set("bytes that are not UTF-8 "
					"in a string (drizzle would read "
					"U+FFFD in their place)");
			s->pos += n;
			continue;
		}
		*escaped = 1;
		if (s->pos + 1 >= s->len)
			return top_fail(s);
		switch (b[s->pos + 1]) {
		case '"':
		case '\\':
		case '/':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			s->pos += 2;
			break;
		case 'u':
			n = unicode_escape(s->buf + s->pos, s->len - s->pos,
					   &cp);
			if (!n)
				return top_fail(s);
			s->pos += n;
			break;
		default:
			return top_fail(s);
		}
	}
	s->pos++;
	return 0;
}

static void put_utf8(struct mg_strbuf *sb, unsigned cp)
{
	char u[4];

	if (cp < 0x80) {
		u[0] = (char)cp;
		mg_strbuf_add(sb, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		mg_strbuf_add(sb, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		mg_strbuf_add(sb, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		mg_strbuf_add(sb, u, 4);
	}
}

/*
 * The decoded string between the quotes at start and end (a string the
 * scanner accepted), its length in *len. A decoded NUL is kept in the
 * bytes; as a C string the value ends there.
 */
static char *decode_string_len(const char *buf, size_t start, size_t end,
			       size_t *len)
{
	static const char short_escapes[] = "bfnrt";
	struct mg_strbuf sb = MG_STRBUF_INIT;
	const char *esc;
	size_t i = start + 1;
	unsigned cp;
	char c;

	while (i < end - 1) {
		const char *bs = memchr(buf + i, '\\', end - 1 - i);
		size_t run = bs ? (size_t)(bs - buf) - i : end - 1 - i;

		if (run) { /* the bytes up to the next escape, at once */
			mg_strbuf_add(&sb, buf + i, run);
			i += run;
			continue;
		}
		c = buf[i + 1];
		if (c == 'u') {
			i += unicode_escape(buf + i, end - 1 - i, &cp);
			put_utf8(&sb, cp);
			continue;
		}
		esc = strchr(short_escapes, c);
		if (esc)
			c = "\b\f\n\r\t"[esc - short_escapes];
		mg_strbuf_add(&sb, &c, 1);
		i += 2;
	}
	return mg_strbuf_detach(&sb, len);
}

static char *decode_string(const char *buf, size_t start, size_t end)
{
	return decode_string_len(buf, start, end, NULL);
}

static int top_number(struct scan *s)
{
	const char *b = s->buf;

	if (b[s->pos] == '-')
		s->pos++;
	if (s->pos >= s->len || b[s->pos] < '0' || b[s->pos] > '9')
		return top_fail(s);
	if (b[s->pos] == '0') {
		s->pos++;
		if (s->pos < s->len && b[s->pos] >= '0' && b[s->pos] <= '9')
			return mg_error_set("a number with a leading zero");
	} else {
		while (s->pos < s->len && b[s->pos] >= '0' && b[s->pos] <= '9')
			s->pos++;
	}
	if (s->pos < s->len && b[s->pos] == '.') {
		s->pos++;
		if (s->pos >= s->len || b[s->pos] < '0' || b[s->pos] > '9')
			return top_fail(s);
		while (s->pos < s->len && b[s->pos] >= '0' && b[s->pos] <= '9')
			s->pos++;
	}
	if (s->pos < s->len && (b[s->pos] == 'e' || b[s->pos] == 'E')) {
		s->pos++;
		if (s->pos < s->len && (b[s->pos] == '+' || b[s->pos] == '-'))
			s->pos++;
		if (s->pos >= s->len || b[s->pos] < '0' || b[s->pos] > '9')
			return top_fail(s);
		while (s->pos < s->len && b[s->pos] >= '0' && b[s->pos] <= '9')
			s->pos++;
	}
	return 0;
}

/* The value of a number the scanner accepted, as JSON.parse reads it. */
static double number_value(const char *p, size_t n)
{
	char small[64], *digits = n < sizeof(small) ? small : mg_xmalloc(n + 1);
	double v;

	memcpy(digits, p, n);
	digits[n] = '\0';
	v = strtod(digits, NULL);
	if (digits != small)
		free(digits);
	return v;
}

static int top_literal(struct scan *s, const char *word)
{
	size_t n = strlen(word);

	if (s->len - s->pos < n || memcmp(s->buf + s->pos, word, n))
		return top_fail(s);
	s->pos += n;
	return 0;
}

/* Member names: a level per depth, checked when the object closes. */
static void keys_begin(struct scan *s, int depth)
{
	struct key_stack *ks = s->keys;
	size_t d = (size_t)depth, i;

	if (!ks)
		return;
	if (d >= ks->nr) {
		ks->levels = mg_xrealloc(ks->levels,
					 (d + 1) * sizeof(*ks->levels));
		for (i = ks->nr; i <= d; i++)
			memset(&ks->levels[i], 0, sizeof(ks->levels[i]));
		ks->nr = d + 1;
	}
	ks->levels[d].nr = 0;
}

/* The name whose quotes are at start and end - 1. */
static void keys_push(struct scan *s, int depth, size_t start, size_t end,
		      int escaped)
{
	struct key_level *l;
	struct key_ref *k;

	if (!s->keys)
		return;
	l = &s->keys->levels[depth];
	l->nr++;
	MG_ALLOC_GROW(l->items, l->nr, l->alloc);
	k = &l->items[l->nr - 1];
	k->offset = start;
	k->owned = NULL;
	if (escaped) {
		k->owned = decode_string_len(s->buf, start, end, &k->len);
		k->name = k->owned;
	} else {
		k->name = s->buf + start + 1;
		k->len = end - start - 2;
	}
}

static int cmp_key_ref(const void *a_, const void *b_)
{
	const struct key_ref *a = a_, *b = b_;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);

	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->offset < b->offset ? -1 : a->offset > b->offset;
}

static void key_level_clear(struct key_level *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->items[i].owned);
	l->nr = 0;
}

/* Up to this many names an object is searched pairwise, not sorted. */
#define SMALL_OBJECT 24

/*
 * The object at depth closed: a name given twice is an error at its
 * second place (the first such place in the text), naming both lines.
 */
static int keys_end(struct scan *s, int depth)
{
	struct key_level *l;
	const struct key_ref *first = NULL, *second = NULL;
	size_t i;
	int err = 0;

	if (!s->keys)
		return 0;
	l = &s->keys->levels[depth];
	if (l->nr <= SMALL_OBJECT) {
		/*
		 * Names are pushed in text order: the first one that repeats
		 * an earlier name is the earliest second place (a third would
		 * come after a second), and that earlier name its first.
		 */
		size_t j;

		for (j = 1; j < l->nr && !second; j++)
			for (i = 0; i < j; i++)
				if (l->items[i].len == l->items[j].len &&
				    !memcmp(l->items[i].name, l->items[j].name,
					    l->items[j].len)) {
					first = &l->items[i];
					second = &l->items[j];
					break;
				}
	} else {
		qsort(l->items, l->nr, sizeof(*l->items), cmp_key_ref);
	}
	for (i = 1; l->nr > SMALL_OBJECT && i < l->nr; i++) {
		const struct key_ref *a = &l->items[i - 1], *b = &l->items[i];

		if (a->len != b->len || memcmp(a->name, b->name, a->len))
			continue;
		if (i >= 2 && l->items[i - 2].len == a->len &&
		    !memcmp(l->items[i - 2].name, a->name, a->len))
			continue; /* a third one: the pair before counts */
		if (!second || b->offset < second->offset) {
			first = a;
			second = b;
		}
	}
	if (second) {
		struct mg_srcmap map;
		unsigned line1, line2, col;
		char *name = mg_xstrndup(first->name, first->len);

		mg_srcmap_init(&map, s->buf, s->len);
		mg_srcmap_locate(&map, first->offset, &line1, &col);
		mg_srcmap_locate(&map, second->offset, &line2, &col);
		mg_srcmap_release(&map);
		s->pos = second->offset;
		err = mg_error_set("the key \"%s\" is given twice, on lines "
				   "%u and %u (JSON.parse keeps the last one)",
				   name, line1, line2);
		free(name);
	}
	key_level_clear(l);
	return err;
}

static void keys_release(struct key_stack *ks)
{
	size_t i;

	for (i = 0; i < ks->nr; i++) {
		key_level_clear(&ks->levels[i]);
		free(ks->levels[i].items);
	}
	free(ks->levels);
	ks->levels = NULL;
	ks->nr = 0;
}

/* The type of the (accepted) value starting with c. */
static enum mg_json_type value_type(char c)
{
	switch (c) {
	case '"':
		return MG_JSON_STRING;
	case '{':
		return MG_JSON_OBJECT;
	case '[':
		return MG_JSON_ARRAY;
	case 't':
		return MG_JSON_TRUE;
	case 'f':
		return MG_JSON_FALSE;
	case 'n':
		return MG_JSON_NULL;
	default:
		return MG_JSON_NUMBER;
	}
}

/*
 * A member name at s->pos, then ':' and white space; the name's quotes
 * are at *start and *end - 1.
 */
static int top_key(struct scan *s, int depth, size_t *start, size_t *end,
		   int *escaped)
{
	int err;

	*start = s->pos;
	if (s->pos >= s->len || s->buf[s->pos] != '"')
		return top_fail(s);
	err = top_string(s, escaped);
	if (err < 0)
		return err;
	*end = s->pos;
	keys_push(s, depth, *start, *end, *escaped);
	skip_ws(s);
	if (s->pos >= s->len || s->buf[s->pos] != ':')
		return top_fail(s);
	s->pos++;
	skip_ws(s);
	return 0;
}

/* The tree (mg_json_parse). */
static int tree_value(struct scan *s, int depth, struct mg_json **out);

static int tree_children(struct scan *s, int depth, struct mg_json *j)
{
	int object = j->type == MG_JSON_OBJECT, err, escaped = 0;
	char close = object ? '}' : ']';
	size_t alloc = 0, key_start = 0, key_end = 0;

	s->pos++;
	skip_ws(s);
	if (s->pos < s->len && s->buf[s->pos] == close) {
		s->pos++;
		return 0;
	}
	if (object)
		keys_begin(s, depth);
	for (;;) {
		struct mg_json *child = NULL;

		if (object) {
			err = top_key(s, depth, &key_start, &key_end,
				      &escaped);
			if (err < 0)
				return err;
		}
		err = tree_value(s, depth + 1, &child);
		if (err < 0)
			return err;
		if (object) {
			child->key_offset = key_start;
			child->key = escaped ? decode_string(s->buf, key_start,
							     key_end)
					     : mg_xstrndup(s->buf + key_start + 1,
							   key_end - key_start - 2);
		}
		add_child(j, child, &alloc);
		err = after_item(s, close);
		if (err < 0)
			return err;
		if (err)
			break;
	}
	return object ? keys_end(s, depth) : 0;
}

static int tree_value(struct scan *s, int depth, struct mg_json **out)
{
	struct mg_json *j;
	size_t start = s->pos;
	int err, escaped;

	*out = NULL;
	if (s->pos >= s->len)
		return top_fail(s);
	if (depth >= MAX_DEPTH)
		return top_fail_deep();
	j = mg_xcalloc(1, sizeof(*j));
	j->offset = start;
	j->type = value_type(s->buf[start]);
	switch (j->type) {
	case MG_JSON_OBJECT:
	case MG_JSON_ARRAY:
		err = tree_children(s, depth, j);
		break;
	case MG_JSON_STRING:
		err = top_string(s, &escaped);
		if (err >= 0)
			j->string = escaped ? decode_string(s->buf, start,
							    s->pos)
					    : mg_xstrndup(s->buf + start + 1,
							  s->pos - start - 2);
		break;
	case MG_JSON_NUMBER:
		err = top_number(s);
		if (err >= 0) {
			j->number = number_value(s->buf + start,
						 s->pos - start);
			j->is_integer = 1;
			for (; start < s->pos; start++)
				if (strchr(".eE", s->buf[start]))
					j->is_integer = 0;
		}
		break;
	case MG_JSON_TRUE:
		err = top_literal(s, "true");
		break;
	case MG_JSON_FALSE:
		err = top_literal(s, "false");
		break;
	default:
		err = top_literal(s, "null");
	}
	if (err < 0) {
		mg_json_free(j);
		return err;
	}
	*out = j;
	return 0;
}

int mg_json_parse(struct mg_json **out, const char *buf, size_t len,
		  size_t *error_offset)
{
	return mg_json_parse_flags(out, buf, len, error_offset, 0);
}

int mg_json_parse_flags(struct mg_json **out, const char *buf, size_t len,
			size_t *error_offset, unsigned flags)
{
	struct key_stack keys = { NULL, 0 };
	struct scan s = { buf, len, 0, &keys, 0 };
	int err;

	s.any_bytes = !!(flags & MG_JSON_ANY_BYTES);
	if (flags & MG_JSON_UNIQUE_KEYS)
		s.keys = NULL;
	*out = NULL;
	if (error_offset)
		*error_offset = 0;
	err = top_begin(&s);
	if (err >= 0)
		err = tree_value(&s, 0, out);
	if (err >= 0)
		err = top_end(&s);
	keys_release(&keys);
	if (err < 0) {
		mg_json_free(*out);
		*out = NULL;
		if (error_offset)
			*error_offset = s.pos;
		return err;
	}
	return 0;
}

void mg_json_free(struct mg_json *j)
{
	size_t i;

	if (!j)
		return;
	for (i = 0; i < j->nr; i++)
		mg_json_free(j->children[i]);
	free(j->children);
	free(j->key);
	free(j->string);
	free(j);
}

const struct mg_json *mg_json_get(const struct mg_json *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != MG_JSON_OBJECT)
		return NULL;
	for (i = 0; i < obj->nr; i++)
		if (!strcmp(obj->children[i]->key, key))
			return obj->children[i];
	return NULL;
}

const char *mg_json_get_string(const struct mg_json *obj, const char *key)
{
	const struct mg_json *v = mg_json_get(obj, key);

	return v && v->type == MG_JSON_STRING ? v->string : NULL;
}

const char *mg_json_type_name(enum mg_json_type type)
{
	switch (type) {
	case MG_JSON_NULL:
		return "null";
	case MG_JSON_FALSE:
	case MG_JSON_TRUE:
		return "a boolean";
	case MG_JSON_NUMBER:
		return "a number";
	case MG_JSON_STRING:
		return "a string";
	case MG_JSON_ARRAY:
		return "an array";
	default:
		return "an object";
	}
}

/* The tree-less reader (mg_json_top_strings). */
static int top_value(struct scan *s, int depth);

/* An array or object at s->pos; members of the top level are picked. */
static int top_container(struct scan *s, int depth,
			 struct mg_json_member *members, size_t nr)
{
	char close = s->buf[s->pos] == '{' ? '}' : ']';
	int err, escaped;
	size_t i, key_start;

	if (depth >= MAX_DEPTH)
		return top_fail_deep();
	s->pos++;
	skip_ws(s);
	if (s->pos < s->len && s->buf[s->pos] == close) {
		s->pos++;
		return 0;
	}
	if (close == '}')
		keys_begin(s, depth);
	for (;;) {
		struct mg_json_member *want = NULL;

		if (close == '}') {
			size_t key_end;

			err = top_key(s, depth, &key_start, &key_end,
				      &escaped);
			if (err < 0)
				return err;
			for (i = 0; i < nr && !escaped; i++) {
				size_t n = key_end - key_start - 2;

				if (!members[i].found &&
				    strlen(members[i].key) == n &&
				    !memcmp(s->buf + key_start + 1,
					    members[i].key, n))
					want = &members[i];
			}
			if (escaped && nr) {
				char *key = decode_string(s->buf, key_start,
							  key_end);

				for (i = 0; i < nr; i++)
					if (!members[i].found &&
					    !strcmp(members[i].key, key))
						want = &members[i];
				free(key);
			}
			if (want) {
				want->found = 1;
				want->key_offset = key_start;
				want->offset = s->pos;
			}
		}
		err = top_value(s, depth + 1);
		if (err < 0)
			return err;
		if (want) {
			want->type = value_type(s->buf[want->offset]);
			if (want->type == MG_JSON_STRING)
				want->string = decode_string(s->buf,
							     want->offset,
							     s->pos);
		}
		err = after_item(s, close);
		if (err < 0)
			return err;
		if (err)
			break;
	}
	return close == '}' ? keys_end(s, depth) : 0;
}

static int top_value(struct scan *s, int depth)
{
	int escaped;

	if (s->pos >= s->len)
		return top_fail(s);
	switch (s->buf[s->pos]) {
	case '{':
	case '[':
		return top_container(s, depth, NULL, 0);
	case '"':
		return top_string(s, &escaped);
	case 't':
		return top_literal(s, "true");
	case 'f':
		return top_literal(s, "false");
	case 'n':
		return top_literal(s, "null");
	default:
		return top_number(s);
	}
}

int mg_json_top_strings(struct mg_json_member *members, size_t nr,
			const char *buf, size_t len, size_t *error_offset)
{
	struct key_stack keys = { NULL, 0 };
	struct scan s = { buf, len, 0, &keys, 0 };
	enum mg_json_type type = MG_JSON_NULL;
	int err;
	size_t i;

	for (i = 0; i < nr; i++) {
		members[i].found = 0;
		members[i].type = MG_JSON_NULL;
		members[i].string = NULL;
		members[i].key_offset = members[i].offset = 0;
	}
	err = top_begin(&s);
	if (err >= 0) {
		type = s.pos < len ? value_type(buf[s.pos]) : MG_JSON_NULL;
		if (type == MG_JSON_OBJECT)
			err = top_container(&s, 0, members, nr);
		else
			err = top_value(&s, 0);
	}
	if (err >= 0)
		err = top_end(&s);
	keys_release(&keys);
	if (err < 0) {
		if (error_offset)
			*error_offset = s.pos;
		mg_json_members_release(members, nr);
		return err;
	}
	return (int)type;
}

void mg_json_members_release(struct mg_json_member *members, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		free(members[i].string);
		members[i].string = NULL;
		members[i].found = 0;
	}
}

/*
 * Canonical forms (mg_json_canonical). Every value is self-delimiting, so
 * the concatenation is unambiguous: 'n' 'f' 't'; 'd' and the 8 bytes of
 * the double; 's', the length as a size_t's bytes and the decoded bytes;
 * '[' items ']'; '{' (name as a string, value)... '}' sorted by name.
 */
struct canon_member {
	size_t start, end;   /* the member's form in the object's buffer */
	size_t key, key_len; /* its decoded name in the same buffer */
	const char *name;    /* set once the buffer stops moving */
};

struct canon_members {
	struct mg_strbuf buf; /* every member's form, in text order */
	struct canon_member *items;
	size_t nr, alloc;
};

struct canon {
	struct scan s;
	const char *const *skip;
	size_t skip_nr;
	/*
	 * The members of the object open at each depth: an object's
	 * members are written out before a sibling starts, so one buffer a
	 * level serves them all, without an allocation per object. Each is
	 * allocated on its own: a deeper level never moves a shallower one.
	 */
	struct canon_members **levels;
	size_t levels_nr;
};

static int canon_value(struct canon *c, int depth, struct mg_strbuf *out);

/* The string at c->s.pos, validated and appended as 's' len bytes. */
static int canon_string(struct canon *c, struct mg_strbuf *out,
			size_t *bytes)
{
	size_t start = c->s.pos, n;
	char *decoded = NULL;
	int escaped, err;

	err = top_string(&c->s, &escaped);
	if (err < 0)
		return err;
	if (escaped) {
		decoded = decode_string(c->s.buf, start, c->s.pos);
		n = strlen(decoded); /* cJSON's strings end at a NUL */
	} else {
		n = c->s.pos - start - 2;
	}
	mg_strbuf_addch(out, 's');
	mg_strbuf_add(out, &n, sizeof(n));
	if (bytes)
		*bytes = out->len;
	mg_strbuf_add(out, decoded ? decoded : c->s.buf + start + 1, n);
	free(decoded);
	return 0;
}

static int canon_number(struct canon *c, struct mg_strbuf *out)
{
	size_t start = c->s.pos;
	double v;
	int err;

	err = top_number(&c->s);
	if (err < 0)
		return err;
	v = number_value(c->s.buf + start, c->s.pos - start);
	if (!(v < 0 || v > 0))
		v = 0; /* -0 equals 0, as the tree compares them */
	mg_strbuf_addch(out, 'd');
	mg_strbuf_add(out, &v, sizeof(v));
	return 0;
}

static int cmp_canon_member(const void *a_, const void *b_)
{
	const struct canon_member *a = a_, *b = b_;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c = memcmp(a->name, b->name, n);

	if (c)
		return c;
	return a->key_len < b->key_len ? -1 : a->key_len > b->key_len;
}

static int skipped(const struct canon *c, const struct canon_member *m,
		   const char *buf)
{
	size_t i;

	for (i = 0; i < c->skip_nr; i++)
		if (strlen(c->skip[i]) == m->key_len &&
		    !memcmp(buf + m->key, c->skip[i], m->key_len))
			return 1;
	return 0;
}

/* The members of the object at c->s.pos (after its '{'), into ms. */
static int canon_members(struct canon *c, int depth,
			 struct canon_members *ms)
{
	struct mg_strbuf *tmp = &ms->buf;
	int err;

	for (;;) {
		struct canon_member cur;

		if (c->s.pos >= c->s.len || c->s.buf[c->s.pos] != '"')
			return top_fail(&c->s);
		cur.start = tmp->len;
		err = canon_string(c, tmp, &cur.key);
		if (err < 0)
			return err;
		cur.key_len = tmp->len - cur.key;
		skip_ws(&c->s);
		if (c->s.pos >= c->s.len || c->s.buf[c->s.pos] != ':')
			return top_fail(&c->s);
		c->s.pos++;
		skip_ws(&c->s);
		err = canon_value(c, depth + 1, tmp);
		if (err < 0)
			return err;
		cur.end = tmp->len;
		if (!depth && skipped(c, &cur, tmp->buf)) {
			tmp->len = cur.start;
			tmp->buf[tmp->len] = '\0';
		} else {
			ms->nr++;
			MG_ALLOC_GROW(ms->items, ms->nr, ms->alloc);
			ms->items[ms->nr - 1] = cur;
		}
		skip_ws(&c->s);
		if (c->s.pos >= c->s.len)
			return top_fail(&c->s);
		if (c->s.buf[c->s.pos] == '}') {
			c->s.pos++;
			return 0;
		}
		if (c->s.buf[c->s.pos] != ',')
			return top_fail(&c->s);
		c->s.pos++;
		skip_ws(&c->s);
	}
}

/* Sort a few members in place: most objects of a snapshot are small. */
static void sort_members(struct canon_member *m, size_t nr)
{
	size_t i, k;

	if (nr > 16) {
		qsort(m, nr, sizeof(*m), cmp_canon_member);
		return;
	}
	for (i = 1; i < nr; i++) {
		struct canon_member cur = m[i];

		for (k = i; k > 0 && cmp_canon_member(&m[k - 1], &cur) > 0;
		     k--)
			m[k] = m[k - 1];
		m[k] = cur;
	}
}

/* Members into the level's buffer, then out in name order. */
static int canon_object(struct canon *c, int depth, struct mg_strbuf *out)
{
	struct canon_members *ms;
	struct canon_member *m;
	size_t i, old = c->levels_nr;

	if ((size_t)depth >= c->levels_nr) {
		c->levels_nr = (size_t)depth + 1;
		c->levels = mg_xrealloc(c->levels,
					c->levels_nr * sizeof(*c->levels));
		for (i = old; i < c->levels_nr; i++) {
			c->levels[i] = mg_xcalloc(1, sizeof(*c->levels[i]));
			mg_strbuf_init(&c->levels[i]->buf);
		}
	}
	ms = c->levels[depth];
	mg_strbuf_reset(&ms->buf);
	ms->nr = 0;
	c->s.pos++;
	skip_ws(&c->s);
	if (c->s.pos < c->s.len && c->s.buf[c->s.pos] == '}') {
		c->s.pos++;
	} else {
		int err = canon_members(c, depth, ms);

		if (err < 0)
			return err;
	}
	m = ms->items;
	for (i = 0; i < ms->nr; i++)
		m[i].name = ms->buf.buf + m[i].key;
	sort_members(m, ms->nr);
	for (i = 1; i < ms->nr; i++)
		if (!cmp_canon_member(&m[i - 1], &m[i]))
			return mg_error_set("member name given twice");
	mg_strbuf_addch(out, '{');
	for (i = 0; i < ms->nr; i++)
		mg_strbuf_add(out, ms->buf.buf + m[i].start,
			      m[i].end - m[i].start);
	mg_strbuf_addch(out, '}');
	return 0;
}

static int canon_array(struct canon *c, int depth, struct mg_strbuf *out)
{
	int err;

	c->s.pos++;
	mg_strbuf_addch(out, '[');
	skip_ws(&c->s);
	if (c->s.pos < c->s.len && c->s.buf[c->s.pos] == ']') {
		c->s.pos++;
		mg_strbuf_addch(out, ']');
		return 0;
	}
	for (;;) {
		err = canon_value(c, depth + 1, out);
		if (err < 0)
			return err;
		skip_ws(&c->s);
		if (c->s.pos >= c->s.len)
			return top_fail(&c->s);
		if (c->s.buf[c->s.pos] == ']')
			break;
		if (c->s.buf[c->s.pos] != ',')
			return top_fail(&c->s);
		c->s.pos++;
		skip_ws(&c->s);
	}
	c->s.pos++;
	mg_strbuf_addch(out, ']');
	return 0;
}

static int canon_value(struct canon *c, int depth, struct mg_strbuf *out)
{
	char first;
	int err;

	if (c->s.pos >= c->s.len)
		return top_fail(&c->s);
	if (depth >= MAX_DEPTH)
		return top_fail_deep();
	first = c->s.buf[c->s.pos];
	switch (first) {
	case '{':
		return canon_object(c, depth, out);
	case '[':
		return canon_array(c, depth, out);
	case '"':
		return canon_string(c, out, NULL);
	case 't':
		err = top_literal(&c->s, "true");
		break;
	case 'f':
		err = top_literal(&c->s, "false");
		break;
	case 'n':
		err = top_literal(&c->s, "null");
		break;
	default:
		return canon_number(c, out);
	}
	if (err >= 0)
		mg_strbuf_addch(out, first); /* 't', 'f' or 'n' */
	return err;
}

int mg_json_canonical(struct mg_strbuf *out, const char *buf, size_t len,
		      const char *const *skip, size_t skip_nr)
{
	struct canon c;
	int err;

	size_t i;

	memset(&c, 0, sizeof(c));
	c.s.buf = buf;
	c.s.len = len;
	c.skip = skip;
	c.skip_nr = skip_nr;
	err = top_begin(&c.s);
	if (err >= 0)
		err = canon_value(&c, 0, out);
	if (err >= 0)
		err = top_end(&c.s);
	for (i = 0; i < c.levels_nr; i++) {
		mg_strbuf_release(&c.levels[i]->buf);
		free(c.levels[i]->items);
		free(c.levels[i]);
	}
	free(c.levels);
	return err;
}

/*
 * The path-filtered parser (mg_json_parse_paths). Each node carries the
 * set of paths whose components it has matched so far, as a bit set.
 */
#define PATHS_MAX 64
#define PATH_DEPTH_MAX 16

struct path_comp {
	const char *name; /* NULL: "*" */
	size_t len;
};

struct paths {
	struct scan s;
	struct path_comp comps[PATHS_MAX][PATH_DEPTH_MAX];
	size_t depth[PATHS_MAX];
	size_t nr;
};

typedef unsigned long long path_set;

/* The paths of set that go on below depth with a member called name. */
static path_set paths_step(const struct paths *p, path_set set, size_t depth,
			   const char *name, size_t len, path_set *ends)
{
	path_set next = 0;
	size_t i;

	*ends = 0;
	for (i = 0; i < p->nr; i++) {
		const struct path_comp *c = &p->comps[i][depth];

		if (!(set & (1ULL << i)) || p->depth[i] <= depth)
			continue;
		if (c->name && (c->len != len || memcmp(c->name, name, len)))
			continue;
		next |= 1ULL << i;
		if (p->depth[i] == depth + 1)
			*ends |= 1ULL << i;
	}
	return next;
}

static int paths_value(struct paths *p, struct mg_json **out, path_set set,
		       size_t depth, int leaf);

/* A container's members or items, each kept when a path goes there. */
static int paths_children(struct paths *p, struct mg_json *j, path_set set,
			  size_t depth)
{
	char close = j->type == MG_JSON_OBJECT ? '}' : ']';
	struct scan *s = &p->s;
	size_t alloc = 0, index = 0;
	int err, escaped;

	s->pos++;
	skip_ws(s);
	if (s->pos < s->len && s->buf[s->pos] == close) {
		s->pos++;
		return 0;
	}
	if (close == '}')
		keys_begin(s, (int)depth);
	for (;;) {
		struct mg_json *child = NULL;
		char *key = NULL, num[32];
		size_t key_start = s->pos, key_end, name_len;
		const char *name;
		path_set next, ends;

		if (close == '}') {
			err = top_key(s, (int)depth, &key_start, &key_end,
				      &escaped);
			if (err < 0)
				return err;
			key = decode_string(s->buf, key_start, key_end);
			name = key;
			name_len = strlen(key);
		} else {
			name_len = (size_t)snprintf(num, sizeof(num), "%zu",
						    index);
			name = num;
		}
		index++;
		next = paths_step(p, set, depth, name, name_len, &ends);
		if (next) {
			err = paths_value(p, &child, next, depth + 1,
					  next == ends);
		} else {
			err = top_value(s, (int)depth + 1);
		}
		if (err < 0) {
			free(key);
			return err;
		}
		if (child) {
			child->key = key;
			child->key_offset = key ? key_start : 0;
			key = NULL;
			add_child(j, child, &alloc);
		}
		free(key);
		err = after_item(s, close);
		if (err < 0)
			return err;
		if (err)
			break;
	}
	return close == '}' ? keys_end(s, (int)depth) : 0;
}

/* The value at s->pos as a node; a leaf keeps no children. */
static int paths_value(struct paths *p, struct mg_json **out, path_set set,
		       size_t depth, int leaf)
{
	struct scan *s = &p->s;
	struct mg_json *j;
	size_t start = s->pos;
	int err;

	*out = NULL;
	if (s->pos >= s->len)
		return top_fail(s);
	if (depth >= MAX_DEPTH)
		return top_fail_deep();
	j = mg_xcalloc(1, sizeof(*j));
	j->offset = start;
	j->type = value_type(s->buf[start]);
	if (leaf || (j->type != MG_JSON_OBJECT && j->type != MG_JSON_ARRAY))
		err = top_value(s, (int)depth);
	else
		err = paths_children(p, j, set, depth);
	if (err < 0)
		goto fail;
	if (j->type == MG_JSON_STRING) {
		j->string = decode_string(s->buf, start, s->pos);
	} else if (j->type == MG_JSON_NUMBER) {
		size_t k;

		j->number = number_value(s->buf + start, s->pos - start);
		j->is_integer = 1;
		for (k = start; k < s->pos; k++)
			if (strchr(".eE", s->buf[k]))
				j->is_integer = 0;
	}
	*out = j;
	return 0;
fail:
	mg_json_free(j);
	return err;
}

int mg_json_parse_paths(struct mg_json **out, const char *buf, size_t len,
			const char *const *paths, size_t nr,
			size_t *error_offset)
{
	struct key_stack keys = { NULL, 0 };
	struct paths *p = NULL;
	path_set all = 0;
	size_t i;
	int err;

	*out = NULL;
	if (error_offset)
		*error_offset = 0;
	if (nr > PATHS_MAX)
		return mg_error_set("too many JSON paths (%zu)", nr);
	p = mg_xcalloc(1, sizeof(*p));
	p->s.buf = buf;
	p->s.len = len;
	p->nr = nr;
	for (i = 0; i < nr; i++) {
		const char *c = paths[i];

		for (;;) {
			const char *slash = strchr(c, '/');
			size_t n = slash ? (size_t)(slash - c) : strlen(c);
			struct path_comp *pc;

			if (p->depth[i] == PATH_DEPTH_MAX) {
				err = mg_error_set("JSON path '%s' too deep",
						   paths[i]);
				goto out;
			}
			pc = &p->comps[i][p->depth[i]++];
			pc->name = n == 1 && *c == '*' ? NULL : c;
			pc->len = n;
			if (!slash)
				break;
			c = slash + 1;
		}
		all |= 1ULL << i;
	}
	p->s.keys = &keys;
	err = top_begin(&p->s);
	if (err >= 0)
		err = paths_value(p, out, all, 0, !nr);
	if (err >= 0)
		err = top_end(&p->s);
	keys_release(&keys);
	if (err < 0) {
		if (error_offset)
			*error_offset = p->s.pos;
		mg_json_free(*out);
		*out = NULL;
	}
out:
	free(p);
	return err;
}

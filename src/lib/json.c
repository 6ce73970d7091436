#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migguard/json.h"
#include "migguard/strbuf.h"

/*
 * cJSON has no positions. After it accepted the text, walk the same text in
 * step with its tree: children come in source order, so a small scanner
 * that only skips strings, numbers and literals finds every offset.
 */
struct scan {
	const char *buf;
	size_t len, pos;
};

static void skip_ws(struct scan *s)
{
	while (s->pos < s->len && (s->buf[s->pos] == ' ' ||
				   s->buf[s->pos] == '\t' ||
				   s->buf[s->pos] == '\n' ||
				   s->buf[s->pos] == '\r'))
		s->pos++;
}

static void skip_string(struct scan *s)
{
	s->pos++; /* opening quote */
	while (s->pos < s->len && s->buf[s->pos] != '"') {
		if (s->buf[s->pos] == '\\')
			s->pos++;
		s->pos++;
	}
	s->pos++; /* closing quote */
}

static struct mg_json *convert(const cJSON *c, struct scan *s, int depth);

static void add_child(struct mg_json *parent, struct mg_json *child,
		      size_t *alloc)
{
	parent->nr++;
	MG_ALLOC_GROW(parent->children, parent->nr, *alloc);
	parent->children[parent->nr - 1] = child;
}

static struct mg_json *convert(const cJSON *c, struct scan *s, int depth)
{
	struct mg_json *j = mg_xcalloc(1, sizeof(*j));
	const cJSON *child;
	size_t alloc = 0, start;

	skip_ws(s);
	j->offset = s->pos;
	switch (c->type & 0xFF) {
	case cJSON_NULL:
		j->type = MG_JSON_NULL;
		s->pos += 4;
		break;
	case cJSON_False:
		j->type = MG_JSON_FALSE;
		s->pos += 5;
		break;
	case cJSON_True:
		j->type = MG_JSON_TRUE;
		s->pos += 4;
		break;
	case cJSON_Number:
		j->type = MG_JSON_NUMBER;
		j->number = c->valuedouble;
		j->is_integer = 1;
		start = s->pos;
		while (s->pos < s->len &&
		       strchr("+-0123456789.eE", s->buf[s->pos]) &&
		       s->buf[s->pos]) {
			if (strchr(".eE", s->buf[s->pos]))
				j->is_integer = 0;
			s->pos++;
		}
		(void)start;
		break;
	case cJSON_String:
		j->type = MG_JSON_STRING;
		j->string = mg_xstrdup(c->valuestring ? c->valuestring : "");
		skip_string(s);
		break;
	case cJSON_Array:
	case cJSON_Object:
		j->type = (c->type & 0xFF) == cJSON_Array ? MG_JSON_ARRAY
							  : MG_JSON_OBJECT;
		s->pos++; /* [ or { */
		for (child = c->child; child; child = child->next) {
			struct mg_json *cj;
			size_t key_offset = 0;

			skip_ws(s);
			if (s->buf[s->pos] == ',') {
				s->pos++;
				skip_ws(s);
			}
			if (j->type == MG_JSON_OBJECT) {
				key_offset = s->pos;
				skip_string(s);
				skip_ws(s);
				s->pos++; /* : */
			}
			cj = convert(child, s, depth + 1);
			if (j->type == MG_JSON_OBJECT) {
				cj->key = mg_xstrdup(child->string
							     ? child->string
							     : "");
				cj->key_offset = key_offset;
			}
			add_child(j, cj, &alloc);
		}
		skip_ws(s);
		s->pos++; /* ] or } */
		break;
	default:
		j->type = MG_JSON_NULL;
	}
	return j;
}

/*
 * What a text cJSON refused looks like: *truncated when brackets or a
 * string are still open at the end; the deepest nesting of brackets.
 */
static size_t json_shape(const char *buf, size_t len, int *truncated)
{
	size_t i, depth = 0, max = 0;
	int in_string = 0;

	for (i = 0; i < len; i++) {
		char c = buf[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
			if (depth > max)
				max = depth;
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	*truncated = in_string || depth > 0 || len == 0;
	return max;
}

int mg_json_parse(struct mg_json **out, const char *buf, size_t len,
		  size_t *error_offset)
{
	const char *end = NULL;
	cJSON *root;
	struct scan s = { buf, len, 0 };
	size_t i, depth;
	int truncated;

	*out = NULL;
	if (error_offset)
		*error_offset = 0;
	/* cJSON stops at a NUL: a NUL inside the text is an error there. */
	for (i = 0; i < len; i++) {
		if (!buf[i]) {
			if (error_offset)
				*error_offset = i;
			return mg_error_set("NUL byte in JSON");
		}
	}
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (!root) {
		const char *at = cJSON_GetErrorPtr();

		if (error_offset)
			*error_offset = at && at >= buf && at <= buf + len
						? (size_t)(at - buf)
						: len;
		depth = json_shape(buf, len, &truncated);
		if (depth > CJSON_NESTING_LIMIT)
			return mg_error_set("JSON nested deeper than %d levels",
					    CJSON_NESTING_LIMIT);
		if (truncated) {
			if (error_offset)
				*error_offset = len;
			return mg_error_set("unexpected end of JSON "
					    "(truncated file?)");
		}
		return mg_error_set("invalid JSON");
	}
	/* Anything but white space after the value is an error. */
	s.pos = (size_t)(end - buf);
	skip_ws(&s);
	if (s.pos < len) {
		cJSON_Delete(root);
		if (error_offset)
			*error_offset = s.pos;
		return mg_error_set("unexpected text after the JSON value");
	}
	s.pos = 0;
	*out = convert(root, &s, 0);
	cJSON_Delete(root);
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

/*
 * The tree-less reader. A strict RFC 8259 scanner: every text it accepts
 * is one cJSON accepts too (cJSON is laxer: any byte <= ' ' is white
 * space, a byte order mark is skipped, control characters may appear in
 * strings, a number is whatever strtod reads), so callers can fall back
 * to mg_json_parse for anything refused and get its exact message.
 */
#define TOP_MAX_DEPTH 512
#define TOP_MAX_NUMBER 63 /* cJSON 1.7.15 reads numbers into char[64] */

static int top_fail(struct scan *s)
{
	return mg_error_set("invalid JSON at offset %zu", s->pos);
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

/* A \\u escape at p (the backslash), surrogate pairs joined. Its length. */
static size_t unicode_escape(const char *p, size_t avail, unsigned *cp)
{
	unsigned lo;

	if (avail < 6 || hex4(p + 2, cp) < 0)
		return 0;
	if (*cp >= 0xDC00 && *cp <= 0xDFFF)
		return 0; /* a lone low surrogate */
	if (*cp < 0xD800 || *cp > 0xDBFF)
		return 6;
	if (avail < 12 || p[6] != '\\' || p[7] != 'u' ||
	    hex4(p + 8, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
		return 0;
	*cp = 0x10000 + (((*cp & 0x3FF) << 10) | (lo & 0x3FF));
	return 12;
}

/* Skip a string at s->pos (its opening quote); 1 when it had escapes. */
static int top_string(struct scan *s, int *escaped)
{
	const unsigned char *b = (const unsigned char *)s->buf;
	unsigned cp;
	size_t n;

	*escaped = 0;
	s->pos++;
	for (;;) {
		while (s->pos < s->len && b[s->pos] >= 0x20 &&
		       b[s->pos] != '"' && b[s->pos] != '\\')
			s->pos++;
		if (s->pos >= s->len || b[s->pos] < 0x20)
			return top_fail(s);
		if (b[s->pos] == '"')
			break;
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
 * scanner accepted). Like cJSON's, it ends at a decoded NUL.
 */
static char *decode_string(const char *buf, size_t start, size_t end)
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
	return mg_strbuf_detach(&sb, NULL);
}

static int top_number(struct scan *s)
{
	const char *b = s->buf;
	size_t start = s->pos;

	if (b[s->pos] == '-')
		s->pos++;
	if (s->pos >= s->len || b[s->pos] < '0' || b[s->pos] > '9')
		return top_fail(s);
	if (b[s->pos] == '0')
		s->pos++;
	else
		while (s->pos < s->len && b[s->pos] >= '0' && b[s->pos] <= '9')
			s->pos++;
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
	if (s->pos - start > TOP_MAX_NUMBER) {
		s->pos = start;
		return top_fail(s);
	}
	return 0;
}

static int top_literal(struct scan *s, const char *word)
{
	size_t n = strlen(word);

	if (s->len - s->pos < n || memcmp(s->buf + s->pos, word, n))
		return top_fail(s);
	s->pos += n;
	return 0;
}

static int top_value(struct scan *s, int depth);

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

/* An array or object at s->pos; members of the top level are picked. */
static int top_container(struct scan *s, int depth,
			 struct mg_json_member *members, size_t nr)
{
	char close = s->buf[s->pos] == '{' ? '}' : ']';
	int err, escaped;
	size_t i, key_start;

	if (depth >= TOP_MAX_DEPTH)
		return top_fail(s);
	s->pos++;
	skip_ws(s);
	if (s->pos < s->len && s->buf[s->pos] == close) {
		s->pos++;
		return 0;
	}
	for (;;) {
		struct mg_json_member *want = NULL;

		if (close == '}') {
			key_start = s->pos;
			if (s->pos >= s->len || s->buf[s->pos] != '"')
				return top_fail(s);
			err = top_string(s, &escaped);
			if (err < 0)
				return err;
			for (i = 0; i < nr && !escaped; i++) {
				size_t n = s->pos - key_start - 2;

				if (!members[i].found &&
				    strlen(members[i].key) == n &&
				    !memcmp(s->buf + key_start + 1,
					    members[i].key, n))
					want = &members[i];
			}
			if (escaped && nr) {
				char *key = decode_string(s->buf, key_start,
							  s->pos);

				for (i = 0; i < nr; i++)
					if (!members[i].found &&
					    !strcmp(members[i].key, key))
						want = &members[i];
				free(key);
			}
			skip_ws(s);
			if (s->pos >= s->len || s->buf[s->pos] != ':')
				return top_fail(s);
			s->pos++;
			skip_ws(s);
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
		if (err)
			return err < 0 ? err : 0;
	}
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
	struct scan s = { buf, len, 0 };
	enum mg_json_type type;
	int err;
	size_t i;

	for (i = 0; i < nr; i++) {
		members[i].found = 0;
		members[i].type = MG_JSON_NULL;
		members[i].string = NULL;
		members[i].key_offset = members[i].offset = 0;
	}
	skip_ws(&s);
	type = s.pos < len ? value_type(buf[s.pos]) : MG_JSON_NULL;
	if (type == MG_JSON_OBJECT)
		err = top_container(&s, 0, members, nr);
	else
		err = top_value(&s, 0);
	if (err >= 0) {
		skip_ws(&s);
		if (s.pos < len)
			err = top_fail(&s);
	}
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
	char digits[TOP_MAX_NUMBER + 1];
	size_t start = c->s.pos;
	double v;
	int err;

	err = top_number(&c->s);
	if (err < 0)
		return err;
	memcpy(digits, c->s.buf + start, c->s.pos - start);
	digits[c->s.pos - start] = '\0';
	v = strtod(digits, NULL);
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

	if (c->s.pos >= c->s.len || depth >= TOP_MAX_DEPTH)
		return top_fail(&c->s);
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
	skip_ws(&c.s);
	err = canon_value(&c, 0, out);
	if (err >= 0) {
		skip_ws(&c.s);
		if (c.s.pos < len)
			err = top_fail(&c.s);
	}
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
	for (;;) {
		struct mg_json *child = NULL;
		char *key = NULL, num[32];
		size_t key_start = s->pos, name_len;
		const char *name;
		path_set next, ends;

		if (close == '}') {
			if (s->pos >= s->len || s->buf[s->pos] != '"')
				return top_fail(s);
			err = top_string(s, &escaped);
			if (err < 0)
				return err;
			key = decode_string(s->buf, key_start, s->pos);
			name = key;
			name_len = strlen(key);
			skip_ws(s);
			if (s->pos >= s->len || s->buf[s->pos] != ':') {
				free(key);
				return top_fail(s);
			}
			s->pos++;
			skip_ws(s);
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
		if (err)
			return err < 0 ? err : 0;
	}
}

/* The value at s->pos as a node; a leaf keeps no children. */
static int paths_value(struct paths *p, struct mg_json **out, path_set set,
		       size_t depth, int leaf)
{
	struct scan *s = &p->s;
	struct mg_json *j;
	size_t start = s->pos;
	char digits[TOP_MAX_NUMBER + 1];
	int err;

	*out = NULL;
	if (s->pos >= s->len || depth >= TOP_MAX_DEPTH)
		return top_fail(s);
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
		memcpy(digits, s->buf + start, s->pos - start);
		digits[s->pos - start] = '\0';
		j->number = strtod(digits, NULL);
		j->is_integer = !strpbrk(digits, ".eE");
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
	skip_ws(&p->s);
	err = paths_value(p, out, all, 0, !nr);
	if (err >= 0) {
		skip_ws(&p->s);
		if (p->s.pos < len)
			err = top_fail(&p->s);
	}
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

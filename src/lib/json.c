#include <cjson/cJSON.h>
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
		if (buf[i] != '\\') {
			mg_strbuf_add(&sb, buf + i, 1);
			i++;
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
		skip_ws(s);
		if (s->pos >= s->len)
			return top_fail(s);
		if (s->buf[s->pos] == close) {
			s->pos++;
			return 0;
		}
		if (s->buf[s->pos] != ',')
			return top_fail(s);
		s->pos++;
		skip_ws(s);
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

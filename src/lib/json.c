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

/*
 * JSON documents with source positions. Parsing is cJSON's; this adapter
 * adds the byte offset of every value and member name, so findings can
 * name the line of a journal entry or a snapshot's "prevId".
 */
#ifndef MIGGUARD_JSON_H
#define MIGGUARD_JSON_H

#include <stddef.h>

enum mg_json_type {
	MG_JSON_NULL,
	MG_JSON_FALSE,
	MG_JSON_TRUE,
	MG_JSON_NUMBER,
	MG_JSON_STRING,
	MG_JSON_ARRAY,
	MG_JSON_OBJECT,
};

struct mg_json {
	enum mg_json_type type;
	char *key;	   /* member name inside an object, else NULL */
	size_t key_offset; /* offset of the member name's opening quote */
	size_t offset;	   /* offset of the value's first byte */
	char *string;	   /* MG_JSON_STRING: the decoded value */
	double number;	   /* MG_JSON_NUMBER */
	int is_integer;	   /* MG_JSON_NUMBER written without '.', 'e' */
	struct mg_json **children; /* array items or object members */
	size_t nr;
};

/*
 * Parse buf. On a syntax error returns MG_ERROR with *error_offset set to
 * where the parser stopped and the message in mg_error_last().
 */
int mg_json_parse(struct mg_json **out, const char *buf, size_t len,
		  size_t *error_offset);
void mg_json_free(struct mg_json *j);
/* The first member named key of an object, or NULL. */
const struct mg_json *mg_json_get(const struct mg_json *obj, const char *key);
/* The string value of member key, or NULL when absent or not a string. */
const char *mg_json_get_string(const struct mg_json *obj, const char *key);
const char *mg_json_type_name(enum mg_json_type type);

#endif

/*
 * JSON documents with source positions: the byte offset of every value and
 * member name, so findings can name the line of a journal entry or a
 * snapshot's "prevId".
 *
 * Every reader here is one strict RFC 8259 reader: a text is accepted
 * exactly when JavaScript's JSON.parse accepts it (drizzle-kit and
 * drizzle's migrator read journals and snapshots with it: no byte order
 * mark, white space only space, tab, CR, LF, no control character raw in
 * a string, no leading zero, lone surrogate escapes read as U+FFFD),
 * with three refusals JSON.parse does not make: a member name given twice
 * in one object (JSON.parse keeps the last: a reader that checks another
 * value than drizzle runs could hide a migration), bytes that are not
 * UTF-8 inside a string (Node reads U+FFFD in their place), and nesting
 * deeper than 1000 levels.
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
 * Parse buf. On an error returns MG_ERROR with *error_offset set to the
 * byte refused (a duplicate name: its second place; the message names
 * both lines) and the message in mg_error_last().
 */
int mg_json_parse(struct mg_json **out, const char *buf, size_t len,
		  size_t *error_offset);
/* Strings may hold any bytes (libpg_query's trees of non-UTF-8 SQL). */
#define MG_JSON_ANY_BYTES 1u
/*
 * Names are not checked for duplicates (a tree libpg_query wrote, which
 * never repeats one): the check sorts every object's names.
 */
#define MG_JSON_UNIQUE_KEYS 2u
int mg_json_parse_flags(struct mg_json **out, const char *buf, size_t len,
			size_t *error_offset, unsigned flags);
void mg_json_free(struct mg_json *j);
/* The first member named key of an object, or NULL. */
const struct mg_json *mg_json_get(const struct mg_json *obj, const char *key);
/* The string value of member key, or NULL when absent or not a string. */
const char *mg_json_get_string(const struct mg_json *obj, const char *key);
const char *mg_json_type_name(enum mg_json_type type);

/* A top-level member picked by mg_json_top_strings. */
struct mg_json_member {
	const char *key;	/* in: the member name wanted */
	int found;		/* out: the object has it (the first one) */
	enum mg_json_type type; /* out: its value's type, when found */
	char *string;		/* out: a string value, decoded; caller's */
	size_t key_offset;	/* out: where the name's opening quote is */
	size_t offset;		/* out: where the value starts */
};

/*
 * Check that buf is JSON and pick the first top-level members named
 * members[i].key, without building a tree: a snapshot's "id" and "prevId"
 * out of megabytes of tables. Returns the type of the top-level value
 * (only an object has members), or MG_ERROR with *error_offset at the
 * first byte it refuses and the message mg_json_parse gives: both accept
 * the same texts and read them the same. Release the strings with
 * mg_json_members_release.
 */
int mg_json_top_strings(struct mg_json_member *members, size_t nr,
			const char *buf, size_t len, size_t *error_offset);
void mg_json_members_release(struct mg_json_member *members, size_t nr);

struct mg_strbuf;

/*
 * Append to out a canonical form of the JSON text buf, built in one pass
 * without a tree, so that two documents are equal as values exactly when
 * their forms are equal bytes: object members sorted by name (their order
 * in the text does not count), array items in order, strings decoded
 * (escapes do not count), numbers by value as mg_json_parse reads them
 * (1, 1.0 and 1e0 are one number, -0 is 0). The form is for comparing,
 * not for reading. Top-level members named one of skip[0..skip_nr) are
 * left out. MG_ERROR (out then holds garbage) when the reader refuses the
 * text, or an object names a member twice (but the skipped ones at the
 * top).
 */
int mg_json_canonical(struct mg_strbuf *out, const char *buf, size_t len,
		      const char *const *skip, size_t skip_nr);

/*
 * Parse buf keeping only the values whose path matches a prefix of one of
 * paths[0..nr): member names and array positions joined by '/', "*"
 * matching any one ("tables/" "*" "/indexes/" "*"). Values at the end of a
 * path are kept without their children; every other member is left out,
 * so a big document yields a small tree, built in one pass. It accepts
 * what mg_json_parse accepts; MG_ERROR with *error_offset set and the same
 * message otherwise. Positions are as mg_json_parse gives them.
 */
int mg_json_parse_paths(struct mg_json **out, const char *buf, size_t len,
			const char *const *paths, size_t nr,
			size_t *error_offset);

#endif

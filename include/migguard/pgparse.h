/*
 * The PostgreSQL 15 parser (libpg_query), the only file that includes
 * pg_query.h. Inputs are NUL-terminated; every offset is a byte offset
 * into the string passed in. Input the grammar rejects is not a failure:
 * the call returns 0 and fills a struct mg_pg_error.
 */
#ifndef MIGGUARD_PGPARSE_H
#define MIGGUARD_PGPARSE_H

#include <stddef.h>

#include "migguard/json.h"

struct mg_pg_error {
	char *message; /* NULL when the input was accepted */
	size_t offset; /* byte offset where the parser stopped */
	int limit;     /* valid input past migguard's limits, not the grammar's */
};

void mg_pg_error_release(struct mg_pg_error *err);

enum mg_pg_token_kind {
	MG_PG_TOKEN_OTHER,
	MG_PG_TOKEN_COMMENT,   /* -- line or C-style comment */
	MG_PG_TOKEN_SEMICOLON,
	MG_PG_TOKEN_IDENT,     /* an identifier, quoted or not */
	MG_PG_TOKEN_KEYWORD,   /* any keyword, reserved or not */
	MG_PG_TOKEN_STRING,    /* a string constant, dollar quotes too */
};

struct mg_pg_token {
	size_t start, end; /* byte range [start, end) */
	enum mg_pg_token_kind kind;
};

/* Every token, comments included, in source order. */
int mg_pgparse_scan(struct mg_pg_token **out, size_t *nr, const char *sql,
		    struct mg_pg_error *err);

struct mg_pg_range {
	size_t start, len;
};

/*
 * Statement ranges by the scanner (pg_query_split_with_scanner): a range
 * starts right after the previous ';' so it holds the statement's leading
 * comments, and ends before its ';'. libpg_query 15-4.0.0 leaves out a
 * statement that starts with a plain identifier ("SELEC 1;"): callers must
 * look at the gaps.
 */
int mg_pgparse_split(struct mg_pg_range **out, size_t *nr, const char *sql,
		     struct mg_pg_error *err);

/* The raw parse tree as JSON: {"version":..,"stmts":[{"stmt":{..}}]}. */
int mg_pgparse_parse(struct mg_json **out, const char *sql,
		     struct mg_pg_error *err);

/*
 * A PL/pgSQL body (what DO runs) as the JSON of a PLpgSQL_function. The
 * body's first line is "lineno" 1.
 */
int mg_pgparse_plpgsql(struct mg_json **out, const char *body,
		       struct mg_pg_error *err);

#endif

/* Growable NUL-terminated byte buffers, and allocation that never fails. */
#ifndef MIGGUARD_STRBUF_H
#define MIGGUARD_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "migguard/error.h"

/* Allocation: on out-of-memory these abort, like git's xmalloc. */
void *mg_xmalloc(size_t size);
void *mg_xcalloc(size_t nmemb, size_t size);
void *mg_xrealloc(void *ptr, size_t size);
char *mg_xstrdup(const char *s);
char *mg_xstrndup(const char *s, size_t n);
char *mg_xstrfmt(const char *fmt, ...) MG_PRINTF(1, 2);

/* Grow an array `items` with capacity `alloc` so that it holds `nr`. */
#define MG_ALLOC_GROW(items, nr, alloc)                                      \
	do {                                                                 \
		if ((nr) > (alloc)) {                                        \
			(alloc) = (alloc) < 16 ? 16 : (alloc) * 2;           \
			if ((alloc) < (nr))                                  \
				(alloc) = (nr);                              \
			(items) = mg_xrealloc((items),                       \
					      (alloc) * sizeof(*(items)));   \
		}                                                            \
	} while (0)

struct mg_strbuf {
	char *buf; /* always NUL-terminated, never NULL after init */
	size_t len;
	size_t alloc;
};

/* The empty buffer every unallocated strbuf points at (never written). */
extern char mg_strbuf_slopbuf[];
#define MG_STRBUF_INIT { mg_strbuf_slopbuf, 0, 0 }

void mg_strbuf_init(struct mg_strbuf *sb);
void mg_strbuf_release(struct mg_strbuf *sb);
void mg_strbuf_reset(struct mg_strbuf *sb);
void mg_strbuf_grow(struct mg_strbuf *sb, size_t extra);
void mg_strbuf_add(struct mg_strbuf *sb, const void *data, size_t len);
void mg_strbuf_adds(struct mg_strbuf *sb, const char *s);
void mg_strbuf_addch(struct mg_strbuf *sb, char c);
void mg_strbuf_addf(struct mg_strbuf *sb, const char *fmt, ...) MG_PRINTF(2, 3);
void mg_strbuf_vaddf(struct mg_strbuf *sb, const char *fmt, va_list ap)
	MG_PRINTF(2, 0);
/*
 * Append `s` as a JSON string literal, quotes included. The document stays
 * valid UTF-8 whatever s holds: each byte that is not part of a valid
 * UTF-8 character is written as \ufffd (U+FFFD, as a UTF-8 decoder reads
 * it); control characters as escapes.
 */
void mg_strbuf_add_json_string(struct mg_strbuf *sb, const char *s);
/*
 * Append `s` for a terminal or a log, as git quotes a path
 * (core.quotePath=false): as it is when every byte shows as itself, else
 * in double quotes with C escapes (\n, \t, \a, \", \\) and octal
 * (\033) for other control bytes, DEL, C1 controls and bytes that are not
 * UTF-8. Valid non-ASCII UTF-8 stays as it is.
 */
void mg_strbuf_add_quoted(struct mg_strbuf *sb, const char *s);
/* The same escapes inside free text, without quotes (messages, notes). */
void mg_strbuf_add_escaped(struct mg_strbuf *sb, const char *s);
/* Take the buffer: the caller frees it; sb is reset. */
char *mg_strbuf_detach(struct mg_strbuf *sb, size_t *len);

/* Small string helpers. */
int mg_starts_with(const char *s, const char *prefix);
int mg_ends_with(const char *s, const char *suffix);
/* "a" + "b" = "a/b"; an empty dir gives "b". Returns a new string. */
char *mg_path_join(const char *dir, const char *name);

/*
 * Join a folder and a relative path ("./src", "../x", "a/") into a clean
 * repository-relative path ("" for the top), resolving "." and "..". A
 * new string; NULL when the path is absolute or leaves the repository.
 */
char *mg_path_normalize(const char *dir, const char *path);

/* Length of the valid UTF-8 prefix of s (len when all of it is valid). */
size_t mg_utf8_valid_prefix(const char *s, size_t len);

/* A list of owned strings. */
struct mg_strlist {
	char **items;
	size_t nr, alloc;
};

#define MG_STRLIST_INIT { NULL, 0, 0 }

void mg_strlist_push(struct mg_strlist *l, const char *s);
void mg_strlist_push_owned(struct mg_strlist *l, char *s);
void mg_strlist_sort(struct mg_strlist *l);
int mg_strlist_has(const struct mg_strlist *l, const char *s);
void mg_strlist_release(struct mg_strlist *l);
/* Append the items of a comma-separated list, spaces trimmed, empty
 * items skipped ("lint, docs" -> "lint", "docs"). */
void mg_strlist_split(struct mg_strlist *l, const char *list);

#endif

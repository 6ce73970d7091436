/*
 * .env files, as the dotenv package (and so the users' scripts) reads
 * them: KEY=value lines, an optional "export " prefix, '#' comments,
 * values in single quotes (literal), double quotes (\n, \r, \t, \\, \"
 * escapes) or backquotes, quoted values spanning lines, unquoted values
 * trimmed and cut at " #". The last assignment of a key wins. A pure
 * function over bytes: reading the file is the caller's business.
 */
#ifndef MIGGUARD_DOTENV_H
#define MIGGUARD_DOTENV_H

#include <stddef.h>

/*
 * The value of key in buf into *out (new string) and its 1-based line
 * into *line (may be NULL). MG_ENOTFOUND when the key is not assigned.
 */
int mg_dotenv_get(char **out, unsigned *line, const char *buf, size_t len,
		  const char *key);

#endif

#include <stdlib.h>
#include <string.h>

#include "migguard/glob.h"
#include "migguard/strbuf.h"

int mg_glob_has_magic(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/*
 * The pattern is compiled to a list of steps and run as a set of states
 * over the path, one byte at a time (a Thompson simulation): time is
 * pattern length times path length, whatever the stars, where the old
 * backtracking matcher was exponential in the number of '*'.
 */
enum step_kind {
	STEP_BYTE,  /* one given byte */
	STEP_ANY,   /* '?': one byte but '/' */
	STEP_CLASS, /* "[...]": one byte of the class, never '/' */
	STEP_STAR,  /* '*' (or "**" inside a component): bytes but '/' */
	STEP_DIRS,  /* a whole "**" component and its '/': "" or "x/y/" */
	STEP_ALL,   /* a trailing whole "**": anything */
	STEP_NEVER, /* an unterminated class: nothing matches */
};

struct step {
	enum step_kind kind;
	unsigned char byte;
	const char *cls; /* STEP_CLASS: the text after '[' */
};

/* Does the class at p (after '[') hold c? *end gets the text after ']'. */
static int class_has(const char *p, unsigned char c, const char **end)
{
	int negate = 0, matched = 0;

	if (*p == '!' || *p == '^') {
		negate = 1;
		p++;
	}
	if (*p == ']') { /* a leading ']' is literal */
		matched |= c == ']';
		p++;
	}
	while (*p && *p != ']') {
		if (p[1] == '-' && p[2] && p[2] != ']') {
			matched |= c >= (unsigned char)p[0] &&
				   c <= (unsigned char)p[2];
			p += 3;
		} else {
			matched |= c == (unsigned char)*p;
			p++;
		}
	}
	if (end)
		*end = *p ? p + 1 : NULL;
	return negate ? !matched : matched;
}

/* The steps of pattern into steps (room for strlen(pattern) + 1). */
static size_t compile(struct step *steps, const char *pattern)
{
	const char *p = pattern, *end;
	size_t n = 0;

	while (*p) {
		struct step *st = &steps[n++];

		if (*p == '*') {
			const char *q = p;
			int component;

			while (*q == '*')
				q++;
			component = q - p >= 2 &&
				    (p == pattern || p[-1] == '/') &&
				    (*q == '\0' || *q == '/');
			if (component && !*q) {
				st->kind = STEP_ALL;
				p = q;
			} else if (component) {
				st->kind = STEP_DIRS;
				p = q + 1;
			} else {
				st->kind = STEP_STAR;
				p = q;
			}
			continue;
		}
		if (*p == '?') {
			st->kind = STEP_ANY;
			p++;
			continue;
		}
		if (*p == '[') {
			class_has(p + 1, 0, &end);
			if (!end) {
				st->kind = STEP_NEVER;
				break;
			}
			st->kind = STEP_CLASS;
			st->cls = p + 1;
			p = end;
			continue;
		}
		if (*p == '\\' && p[1])
			p++;
		st->kind = STEP_BYTE;
		st->byte = (unsigned char)*p++;
	}
	return n;
}

/*
 * A state is a step index with flags: AT, about to match step i (or done,
 * i == n); INSIDE, within the folders of a STEP_DIRS, which may end only
 * after a '/'.
 */
#define AT 1
#define INSIDE 2

/* Add state i and what it reaches without reading a byte. */
static void add_state(unsigned char *set, const struct step *steps,
		      size_t n, size_t i)
{
	while (i <= n && !(set[i] & AT)) {
		set[i] |= AT;
		if (i == n || (steps[i].kind != STEP_STAR &&
			       steps[i].kind != STEP_DIRS &&
			       steps[i].kind != STEP_ALL))
			return;
		i++; /* a star may match nothing */
	}
}

int mg_glob_match(const char *pattern, const char *path)
{
	size_t plen = strlen(pattern), n, i;
	struct step *steps = mg_xcalloc(plen + 1, sizeof(*steps));
	unsigned char *cur, *next, *tmp;
	const unsigned char *s = (const unsigned char *)path;
	int matched;

	n = compile(steps, pattern);
	cur = mg_xcalloc(n + 1, 1);
	next = mg_xcalloc(n + 1, 1);
	add_state(cur, steps, n, 0);
	for (; *s; s++) {
		int any = 0;

		memset(next, 0, n + 1);
		for (i = 0; i < n; i++) {
			const struct step *st = &steps[i];

			if (!cur[i])
				continue;
			switch (st->kind) {
			case STEP_BYTE:
				if (*s == st->byte)
					add_state(next, steps, n, i + 1);
				break;
			case STEP_ANY:
				if (*s != '/')
					add_state(next, steps, n, i + 1);
				break;
			case STEP_CLASS:
				if (*s != '/' && class_has(st->cls, *s, NULL))
					add_state(next, steps, n, i + 1);
				break;
			case STEP_STAR:
				if (*s != '/')
					add_state(next, steps, n, i);
				break;
			case STEP_DIRS:
				if (*s == '/')
					add_state(next, steps, n, i);
				else
					next[i] |= INSIDE;
				break;
			case STEP_ALL:
				add_state(next, steps, n, i);
				break;
			case STEP_NEVER:
				break;
			}
		}
		tmp = cur;
		cur = next;
		next = tmp;
		for (i = 0; i <= n && !any; i++)
			any = cur[i];
		if (!any)
			break;
	}
	matched = !*s && cur[n];
	free(cur);
	free(next);
	free(steps);
	return matched;
}

int mg_path_watched(const char *watch, const char *path)
{
	size_t n;

	if (mg_glob_has_magic(watch))
		return mg_glob_match(watch, path);
	n = strlen(watch);
	while (n > 0 && watch[n - 1] == '/')
		n--;
	if (n == 0)
		return 1;
	return strncmp(watch, path, n) == 0 &&
	       (path[n] == '\0' || path[n] == '/');
}

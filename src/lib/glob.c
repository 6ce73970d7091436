#include <string.h>

#include "migguard/glob.h"

int mg_glob_has_magic(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* Match a bracket class at p against c; *end gets the char after ']'. */
static int match_class(const char *p, char c, const char **end)
{
	int negate = 0, matched = 0;

	p++; /* [ */
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
			matched |= c >= p[0] && c <= p[2];
			p += 3;
		} else {
			matched |= c == *p;
			p++;
		}
	}
	if (!*p) {
		*end = NULL; /* unterminated: no match */
		return 0;
	}
	*end = p + 1;
	return negate ? !matched : matched;
}

static int match(const char *p, const char *s)
{
	const char *next;

	while (*p) {
		if (p[0] == '*' && p[1] == '*' &&
		    (p[2] == '/' || p[2] == '\0')) {
			/* "**" at a component start: any number of folders. */
			const char *rest = p[2] ? p + 3 : p + 2;

			if (!*rest)
				return 1;
			for (;;) {
				if (match(rest, s))
					return 1;
				s = strchr(s, '/');
				if (!s)
					return 0;
				s++;
			}
		}
		switch (*p) {
		case '*':
			while (*p == '*')
				p++;
			for (;;) {
				if (match(p, s))
					return 1;
				if (!*s || *s == '/')
					return 0;
				s++;
			}
		case '?':
			if (!*s || *s == '/')
				return 0;
			p++;
			s++;
			break;
		case '[':
			if (!*s || *s == '/' || !match_class(p, *s, &next) ||
			    !next)
				return 0;
			p = next;
			s++;
			break;
		case '\\':
			if (p[1])
				p++;
			/* fall through */
		default:
			if (*p != *s)
				return 0;
			p++;
			s++;
		}
	}
	return *s == '\0';
}

int mg_glob_match(const char *pattern, const char *path)
{
	return match(pattern, path);
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

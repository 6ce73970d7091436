#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migguard/strbuf.h"

char mg_strbuf_slopbuf[1];

static void *check_alloc(void *p)
{
	if (!p) {
		/* Nothing sensible is left to do without memory. */
		fputs("migguard: fatal: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *mg_xmalloc(size_t size)
{
	return check_alloc(malloc(size ? size : 1));
}

void *mg_xcalloc(size_t nmemb, size_t size)
{
	return check_alloc(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

void *mg_xrealloc(void *ptr, size_t size)
{
	return check_alloc(realloc(ptr, size ? size : 1));
}

char *mg_xstrdup(const char *s)
{
	return check_alloc(strdup(s));
}

char *mg_xstrndup(const char *s, size_t n)
{
	return check_alloc(strndup(s, n));
}

char *mg_xstrfmt(const char *fmt, ...)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	mg_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return mg_strbuf_detach(&sb, NULL);
}

void mg_strbuf_init(struct mg_strbuf *sb)
{
	sb->buf = mg_strbuf_slopbuf;
	sb->len = 0;
	sb->alloc = 0;
}

void mg_strbuf_release(struct mg_strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	mg_strbuf_init(sb);
}

void mg_strbuf_reset(struct mg_strbuf *sb)
{
	if (sb->alloc) {
		sb->len = 0;
		sb->buf[0] = '\0';
	} else {
		mg_strbuf_init(sb);
	}
}

void mg_strbuf_grow(struct mg_strbuf *sb, size_t extra)
{
	size_t want;

	want = sb->len + extra + 1;
	if (want <= sb->alloc)
		return;
	if (want < sb->alloc * 2)
		want = sb->alloc * 2;
	if (want < 64)
		want = 64;
	if (!sb->alloc) {
		sb->buf = mg_xmalloc(want);
		sb->buf[0] = '\0';
	} else {
		sb->buf = mg_xrealloc(sb->buf, want);
	}
	sb->alloc = want;
}

void mg_strbuf_add(struct mg_strbuf *sb, const void *data, size_t len)
{
	mg_strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void mg_strbuf_adds(struct mg_strbuf *sb, const char *s)
{
	mg_strbuf_add(sb, s, strlen(s));
}

void mg_strbuf_addch(struct mg_strbuf *sb, char c)
{
	mg_strbuf_add(sb, &c, 1);
}

void mg_strbuf_vaddf(struct mg_strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	mg_strbuf_grow(sb, 64);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= sb->alloc - sb->len) {
		mg_strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void mg_strbuf_addf(struct mg_strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mg_strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

/*
 * The length of the character at p when it is valid UTF-8 (0 when not),
 * reading no further than a NUL.
 */
static size_t utf8_char_len(const unsigned char *p)
{
	size_t n, k;

	if (p[0] < 0x80)
		return 1;
	n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : 2;
	for (k = 1; k < n; k++)
		if (!p[k])
			return 0;
	return mg_utf8_valid_prefix((const char *)p, n) == n ? n : 0;
}

/*
 * The length of the character at p when a terminal shows it as itself:
 * printable ASCII or valid UTF-8 but the C1 controls (U+0080..U+009F,
 * which some terminals obey as ESC sequences); 0 for a byte to escape.
 */
static size_t shown_len(const unsigned char *p)
{
	size_t n;

	if (p[0] >= 0x20 && p[0] < 0x7F)
		return 1;
	if (p[0] < 0x80)
		return 0;
	n = utf8_char_len(p);
	if (n == 2 && p[0] == 0xC2 && p[1] < 0xA0)
		return 0;
	return n;
}

static void add_c_escape(struct mg_strbuf *sb, unsigned char c)
{
	static const char names[] = "\\a\\b\\t\\n\\v\\f\\r";

	if (c >= '\a' && c <= '\r') {
		mg_strbuf_add(sb, names + 2 * (c - '\a'), 2);
		return;
	}
	mg_strbuf_addf(sb, "\\%03o", c);
}

/* s with every byte shown_len refuses as a C escape; quote and backslash
 * too when quoting. */
static void add_escaped(struct mg_strbuf *sb, const char *s, int quoting)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		const unsigned char *run = p;
		size_t n;

		/* plain ASCII at once: reports are mostly that */
		while (*p >= 0x20 && *p < 0x7F &&
		       !(quoting && (*p == '"' || *p == '\\')))
			p++;
		if (p > run) {
			mg_strbuf_add(sb, run, (size_t)(p - run));
			continue;
		}
		n = shown_len(p);
		if (quoting && (*p == '"' || *p == '\\')) {
			mg_strbuf_addch(sb, '\\');
			mg_strbuf_addch(sb, (char)*p++);
		} else if (n) {
			mg_strbuf_add(sb, p, n);
			p += n;
		} else {
			add_c_escape(sb, *p++);
		}
	}
}

void mg_strbuf_add_quoted(struct mg_strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (; *p; p += n) {
		n = shown_len(p);
		if (!n || *p == '"' || *p == '\\')
			break;
	}
	if (!*p) {
		mg_strbuf_adds(sb, s);
		return;
	}
	mg_strbuf_addch(sb, '"');
	add_escaped(sb, s, 1);
	mg_strbuf_addch(sb, '"');
}

void mg_strbuf_add_escaped(struct mg_strbuf *sb, const char *s)
{
	add_escaped(sb, s, 0);
}

void mg_strbuf_add_json_string(struct mg_strbuf *sb, const char *s)
{
	const unsigned char *p;
	size_t n;

	mg_strbuf_addch(sb, '"');
	for (p = (const unsigned char *)s; s && *p; p += n) {
		n = 1;
		switch (*p) {
		case '"':
			mg_strbuf_adds(sb, "\\\"");
			break;
		case '\\':
			mg_strbuf_adds(sb, "\\\\");
			break;
		case '\n':
			mg_strbuf_adds(sb, "\\n");
			break;
		case '\r':
			mg_strbuf_adds(sb, "\\r");
			break;
		case '\t':
			mg_strbuf_adds(sb, "\\t");
			break;
		default:
			if (*p < 0x20) {
				mg_strbuf_addf(sb, "\\u%04x", *p);
			} else if (*p < 0x80) {
				mg_strbuf_addch(sb, (char)*p);
			} else {
				n = utf8_char_len(p);
				if (n) {
					mg_strbuf_add(sb, p, n);
				} else {
					/* not UTF-8: one U+FFFD a byte */
					mg_strbuf_adds(sb, "\\ufffd");
					n = 1;
				}
			}
		}
	}
	mg_strbuf_addch(sb, '"');
}

char *mg_strbuf_detach(struct mg_strbuf *sb, size_t *len)
{
	char *out;

	if (!sb->alloc)
		mg_strbuf_grow(sb, 0);
	out = sb->buf;
	if (len)
		*len = sb->len;
	mg_strbuf_init(sb);
	return out;
}

int mg_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int mg_ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

char *mg_path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir);

	if (!dl)
		return mg_xstrdup(name);
	if (dir[dl - 1] == '/')
		return mg_xstrfmt("%s%s", dir, name);
	return mg_xstrfmt("%s/%s", dir, name);
}

void mg_strlist_push(struct mg_strlist *l, const char *s)
{
	mg_strlist_push_owned(l, mg_xstrdup(s));
}

void mg_strlist_push_owned(struct mg_strlist *l, char *s)
{
	l->nr++;
	MG_ALLOC_GROW(l->items, l->nr, l->alloc);
	l->items[l->nr - 1] = s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void mg_strlist_sort(struct mg_strlist *l)
{
	if (l->nr > 1)
		qsort(l->items, l->nr, sizeof(*l->items), cmp_str);
}

int mg_strlist_has(const struct mg_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i], s))
			return 1;
	return 0;
}

void mg_strlist_release(struct mg_strlist *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

void mg_strlist_split(struct mg_strlist *l, const char *list)
{
	const char *p = list, *end;
	size_t len;

	while (*p) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		while (p < end && *p == ' ')
			p++;
		len = (size_t)(end - p);
		while (len && p[len - 1] == ' ')
			len--;
		if (len)
			mg_strlist_push_owned(l, mg_xstrndup(p, len));
		p = *end ? end + 1 : end;
	}
}

size_t mg_utf8_valid_prefix(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i];
		size_t n, k;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (len - i <= n)
			return i;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		/* Overlong forms, surrogates, beyond U+10FFFF. */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return i;
		i += n + 1;
	}
	return len;
}

/* mg_path_normalize: see strbuf.h. */
char *mg_path_normalize(const char *dir, const char *path)
{
	struct mg_strlist parts = MG_STRLIST_INIT;
	struct mg_strbuf sb = MG_STRBUF_INIT;
	char *joined, *p, *save = NULL, *tok;
	size_t i;
	int ok = 1;

	if (path[0] == '/')
		return NULL;
	joined = dir && *dir ? mg_xstrfmt("%s/%s", dir, path)
			     : mg_xstrdup(path);
	for (p = joined;; p = NULL) {
		tok = strtok_r(p, "/", &save);
		if (!tok)
			break;
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			if (!parts.nr) {
				ok = 0;
				break;
			}
			free(parts.items[--parts.nr]);
			continue;
		}
		mg_strlist_push(&parts, tok);
	}
	for (i = 0; ok && i < parts.nr; i++) {
		if (i)
			mg_strbuf_addch(&sb, '/');
		mg_strbuf_adds(&sb, parts.items[i]);
	}
	mg_strlist_release(&parts);
	free(joined);
	if (!ok) {
		mg_strbuf_release(&sb);
		return NULL;
	}
	return mg_strbuf_detach(&sb, NULL);
}

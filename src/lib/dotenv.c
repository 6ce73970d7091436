#include <stdlib.h>
#include <string.h>

#include "migguard/dotenv.h"
#include "migguard/error.h"
#include "migguard/strbuf.h"

struct cursor {
	const char *p, *end;
	unsigned line;
};

static int at_blank(const struct cursor *c)
{
	return c->p < c->end && (*c->p == ' ' || *c->p == '\t');
}

static void skip_blanks(struct cursor *c)
{
	while (at_blank(c))
		c->p++;
}

static void skip_line(struct cursor *c)
{
	while (c->p < c->end && *c->p != '\n')
		c->p++;
	if (c->p < c->end) {
		c->p++;
		c->line++;
	}
}

static int is_key_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
}

/* A quoted value; the cursor is on the opening quote. */
static void read_quoted(struct cursor *c, struct mg_strbuf *val)
{
	char quote = *c->p++;
	const char *start = c->p, *close = c->p;
	const char *q;

	/* dotenv: the value runs to the last such quote on a closed line. */
	while (close < c->end && *close != quote) {
		if (*close == '\\' && quote == '"' && close + 1 < c->end)
			close++;
		close++;
	}
	if (close >= c->end) {
		/* Unterminated: dotenv takes the rest of the line as is. */
		c->p = start - 1;
		while (c->p < c->end && *c->p != '\n' && *c->p != '\r')
			mg_strbuf_addch(val, *c->p++);
		return;
	}
	for (q = start; q < close; q++) {
		if (*q == '\n')
			c->line++;
		if (quote == '"' && *q == '\\' && q + 1 < close) {
			q++;
			if (*q == 'n')
				mg_strbuf_addch(val, '\n');
			else if (*q == 'r')
				mg_strbuf_addch(val, '\r');
			else if (*q == 't')
				mg_strbuf_addch(val, '\t');
			else
				mg_strbuf_addch(val, *q);
			continue;
		}
		mg_strbuf_addch(val, *q);
	}
	c->p = close + 1;
}

static void read_plain(struct cursor *c, struct mg_strbuf *val)
{
	const char *start = c->p;
	size_t n;

	while (c->p < c->end && *c->p != '\n' && *c->p != '\r') {
		/* " #" starts a comment; "a#b" is a value. */
		if (*c->p == '#' && (c->p == start || c->p[-1] == ' ' ||
				     c->p[-1] == '\t'))
			break;
		c->p++;
	}
	n = (size_t)(c->p - start);
	while (n > 0 && (start[n - 1] == ' ' || start[n - 1] == '\t'))
		n--;
	mg_strbuf_add(val, start, n);
}

int mg_dotenv_get(char **out, unsigned *line, const char *buf, size_t len,
		  const char *key)
{
	struct mg_strbuf val = MG_STRBUF_INIT;
	struct cursor c = { buf, buf + len, 1 };
	size_t keylen = strlen(key);
	char *found = NULL;
	unsigned found_line = 0;

	*out = NULL;
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		c.p += 3;
	mg_strbuf_init(&val);
	while (c.p < c.end) {
		const char *k;
		unsigned entry_line;
		size_t n;

		skip_blanks(&c);
		if (c.end - c.p > 7 && !memcmp(c.p, "export", 6) &&
		    (c.p[6] == ' ' || c.p[6] == '\t')) {
			c.p += 6;
			skip_blanks(&c);
		}
		k = c.p;
		while (c.p < c.end && is_key_char(*c.p))
			c.p++;
		n = (size_t)(c.p - k);
		skip_blanks(&c);
		if (!n || c.p >= c.end || *c.p != '=') {
			skip_line(&c);
			continue;
		}
		c.p++;
		skip_blanks(&c);
		entry_line = c.line;
		mg_strbuf_reset(&val);
		if (c.p < c.end && (*c.p == '"' || *c.p == '\'' || *c.p == '`'))
			read_quoted(&c, &val);
		else
			read_plain(&c, &val);
		if (n == keylen && !memcmp(k, key, n)) {
			free(found);
			found = mg_xstrdup(val.buf);
			found_line = entry_line;
		}
		skip_line(&c);
	}
	mg_strbuf_release(&val);
	if (!found)
		return mg_error_set_code(MG_ENOTFOUND, "'%s' is not set", key);
	*out = found;
	if (line)
		*line = found_line;
	return 0;
}

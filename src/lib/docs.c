/*
 * migguard-docs: documentation pages that describe what a change touched.
 * A page is tied to code three ways: a `docs` rule in .migguard.json, the
 * page's own front matter (`covers:`), or a mention in a page under the
 * docs roots of a changed file's path or of a table or type that the
 * change's migrations create, alter or drop. One `doc-needs-update`
 * finding per page that is not itself part of the change. Page contents
 * are read only when the change holds something other than docs.
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/changeset.h"
#include "migguard/check.h"
#include "migguard/docs.h"
#include "migguard/glob.h"
#include "migguard/srcmap.h"

#define RULE "doc-needs-update"
#define MAX_SUBJECTS 8 /* named in one message; the rest are counted */
#define MISSING_HINT "fix the page path in the docs rule, or create the page"

static int is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int ci_equal(const char *a, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!word[i] || lower(a[i]) != word[i])
			return 0;
	return word[n] == '\0';
}

/* End of the line that starts at pos: the '\n' or len. */
static size_t line_end(const char *buf, size_t len, size_t pos)
{
	const char *nl = memchr(buf + pos, '\n', len - pos);

	return nl ? (size_t)(nl - buf) : len;
}

/* The line [pos, end) without trailing blanks and '\r' is exactly s. */
static int line_is(const char *buf, size_t pos, size_t end, const char *s)
{
	while (end > pos && (buf[end - 1] == '\r' || is_blank(buf[end - 1])))
		end--;
	return end - pos == strlen(s) && !memcmp(buf + pos, s, end - pos);
}

/* Front matter */

static void covers_push(struct mg_docs_covers *c, char *glob, size_t offset)
{
	c->nr++;
	MG_ALLOC_GROW(c->items, c->nr, c->alloc);
	c->items[c->nr - 1].glob = glob;
	c->items[c->nr - 1].offset = offset;
}

/*
 * A YAML scalar at *pos, which is not a blank; *pos ends after it. In a
 * flow list an unquoted scalar also stops at ',' and ']'. NULL when
 * empty or an unterminated quote.
 */
static char *read_scalar(const char *buf, size_t *pos, size_t end, int flow)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	size_t p = *pos, start;
	char q = buf[p];

	if (q == '"' || q == '\'') {
		for (p++; p < end; p++) {
			if (buf[p] == '\n')
				break;
			if (q == '\'' && buf[p] == '\'') {
				if (p + 1 < end && buf[p + 1] == '\'') {
					mg_strbuf_addch(&sb, '\'');
					p++;
					continue;
				}
				break;
			}
			if (q == '"' && buf[p] == '"')
				break;
			if (q == '"' && buf[p] == '\\' && p + 1 < end &&
			    buf[p + 1] != '\n')
				p++;
			mg_strbuf_addch(&sb, buf[p]);
		}
		if (p >= end || buf[p] != q) {
			*pos = p;
			mg_strbuf_release(&sb);
			return NULL;
		}
		*pos = p + 1;
		goto out;
	}
	start = p;
	for (; p < end && buf[p] != '\n'; p++) {
		if (flow && (buf[p] == ',' || buf[p] == ']'))
			break;
		if (buf[p] == '#' && p > start && is_blank(buf[p - 1]))
			break;
	}
	*pos = p;
	while (p > start && (is_blank(buf[p - 1]) || buf[p - 1] == '\r'))
		p--;
	mg_strbuf_add(&sb, buf + start, p - start);
out:
	if (!sb.len) {
		mg_strbuf_release(&sb);
		return NULL;
	}
	return mg_strbuf_detach(&sb, NULL);
}

/* Skip blanks; 1 when the rest of the line is empty or a comment. */
static int rest_is_empty(const char *buf, size_t *pos, size_t end)
{
	while (*pos < end && (is_blank(buf[*pos]) || buf[*pos] == '\r'))
		(*pos)++;
	return *pos >= end || buf[*pos] == '\n' || buf[*pos] == '#';
}

static void parse_flow(struct mg_docs_covers *out, const char *buf,
		       size_t pos, size_t end)
{
	char *s;

	pos++; /* [ */
	while (pos < end) {
		char c = buf[pos];

		if (is_blank(c) || c == '\r' || c == '\n' || c == ',') {
			pos++;
			continue;
		}
		if (c == ']')
			break;
		if (c == '#' && is_blank(buf[pos - 1])) {
			pos = line_end(buf, end, pos);
			continue;
		}
		{
			size_t start = pos;

			s = read_scalar(buf, &pos, end, 1);
			if (s)
				covers_push(out, s, start);
			if (pos == start)
				pos++;
		}
	}
}

static void parse_block(struct mg_docs_covers *out, const char *buf,
			size_t pos, size_t end)
{
	while (pos < end) {
		size_t eol = line_end(buf, end, pos), p = pos, start;
		char *s;

		if (rest_is_empty(buf, &p, eol)) {
			pos = eol + 1;
			continue;
		}
		if (buf[p] != '-' ||
		    (p + 1 < eol && !is_blank(buf[p + 1]) &&
		     buf[p + 1] != '\r'))
			break; /* the next key: the list is over */
		p++;
		if (!rest_is_empty(buf, &p, eol)) {
			start = p;
			s = read_scalar(buf, &p, eol, 0);
			if (s)
				covers_push(out, s, start);
		}
		pos = eol + 1;
	}
}

void mg_docs_front_matter_covers(struct mg_docs_covers *out, const char *buf,
				 size_t len)
{
	size_t pos = 0, eol, fm_start, fm_end;

	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		pos = 3;
	eol = line_end(buf, len, pos);
	if (eol >= len || !line_is(buf, pos, eol, "---"))
		return;
	fm_start = eol + 1;
	for (pos = fm_start; pos < len; pos = eol + 1) {
		eol = line_end(buf, len, pos);
		if (line_is(buf, pos, eol, "---") ||
		    line_is(buf, pos, eol, "..."))
			break;
	}
	if (pos >= len)
		return; /* never closed: not front matter */
	fm_end = pos;
	for (pos = fm_start; pos < fm_end; pos = eol + 1) {
		size_t p = pos + strlen("covers");

		eol = line_end(buf, fm_end, pos);
		if (eol - pos < strlen("covers:") ||
		    memcmp(buf + pos, "covers", strlen("covers")))
			continue;
		while (p < eol && is_blank(buf[p]))
			p++;
		if (p >= eol || buf[p] != ':')
			continue;
		p++;
		if (rest_is_empty(buf, &p, eol)) {
			parse_block(out, buf, eol + 1, fm_end);
		} else if (buf[p] == '[') {
			parse_flow(out, buf, p, fm_end);
		} else {
			size_t start = p;
			char *s = read_scalar(buf, &p, eol, 0);

			if (s)
				covers_push(out, s, start);
		}
		return;
	}
}

void mg_docs_covers_release(struct mg_docs_covers *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		free(c->items[i].glob);
	free(c->items);
	memset(c, 0, sizeof(*c));
}

/* References */

static int path_char(unsigned char c)
{
	return is_word_char(c) || c == '-' || c == '.';
}

static int mention_ok(const char *buf, size_t len, size_t at, size_t n,
		      enum mg_docs_ref_kind kind)
{
	size_t after = at + n;
	unsigned char before = at ? (unsigned char)buf[at - 1] : ' ';
	unsigned char next = after < len ? (unsigned char)buf[after] : ' ';

	if (kind != MG_DOCS_REF_PATH)
		return !is_word_char(before) && !is_word_char(next);
	if (path_char(before))
		return 0;
	if (next == '.') /* "a.ts." ends a sentence; "a.ts.bak" does not */
		return after + 1 >= len ||
		       !path_char((unsigned char)buf[after + 1]);
	return !path_char(next) && next != '/';
}

/* A fence line: up to 3 blanks, then ``` or ~~~. */
static int is_fence(const char *buf, size_t pos, size_t eol)
{
	size_t i = 0;

	while (i < 3 && pos < eol && buf[pos] == ' ') {
		pos++;
		i++;
	}
	return eol - pos >= 3 && (!memcmp(buf + pos, "```", 3) ||
				  !memcmp(buf + pos, "~~~", 3));
}

/*
 * A code span [start, end) (between its backticks) that is an identifier
 * reference: blanks around, then a dotted name whose parts are words or
 * "quoted" names; 1 and *at of the part equal to needle (its first byte
 * after any quote). `public.role`, `"role"`, `role.name` are the table
 * role; `service role key` is prose in backticks.
 */
static int span_names(size_t *at, const char *buf, size_t start,
		      size_t end, const char *needle, size_t n)
{
	size_t p = start, q;

	while (p < end && is_blank(buf[p]))
		p++;
	while (end > p && is_blank(buf[end - 1]))
		end--;
	if (p == end)
		return 0;
	for (;;) {
		size_t part, part_len;

		if (buf[p] == '"') {
			part = ++p;
			while (p < end && buf[p] != '"')
				p++;
			if (p == end)
				return 0;
			part_len = p++ - part;
		} else {
			part = p;
			while (p < end && is_word_char((unsigned char)buf[p]))
				p++;
			part_len = p - part;
			if (!part_len)
				return 0;
		}
		if (part_len == n && !memcmp(buf + part, needle, n)) {
			/* the rest must still be a dotted name */
			for (q = p; q < end; q++)
				if (buf[q] != '.' && buf[q] != '"' &&
				    !is_word_char((unsigned char)buf[q]))
					return 0;
			*at = part;
			return 1;
		}
		if (p == end || buf[p] != '.')
			return 0;
		p++;
		if (p == end)
			return 0;
	}
}

/* needle in the line [pos, eol) as mention_ok allows; 1 and *at. */
static int find_in_line(size_t *at, const char *buf, size_t len, size_t pos,
			size_t eol, const char *needle, size_t n,
			enum mg_docs_ref_kind kind)
{
	const char *hit;
	size_t p = pos;

	while (p + n <= eol) {
		hit = memchr(buf + p, needle[0], eol - p - n + 1);
		if (!hit)
			return 0;
		p = (size_t)(hit - buf);
		if (!memcmp(hit, needle, n) &&
		    mention_ok(buf, len, p, n, kind)) {
			*at = p;
			return 1;
		}
		p++;
	}
	return 0;
}

/*
 * One pass over the page: fences toggle code blocks; inside one, a name
 * is a token; in prose, a word-like name counts only as a whole code
 * span (span_names), each span looked at once, so a page of one long
 * line is read in linear time.
 */
int mg_docs_find_reference(size_t *offset, const char *buf, size_t len,
			   const char *needle, enum mg_docs_ref_kind kind)
{
	size_t n = strlen(needle), pos, eol;
	int fenced = 0;

	if (!n)
		return 0;
	for (pos = 0; pos < len; pos = eol + 1) {
		const char *open, *close;
		size_t p = pos;

		eol = line_end(buf, len, pos);
		if (is_fence(buf, pos, eol)) {
			fenced = !fenced;
			continue;
		}
		if (kind != MG_DOCS_REF_NAME_IN_CODE || fenced) {
			if (find_in_line(offset, buf, len, pos, eol, needle, n,
					 kind))
				return 1;
			continue;
		}
		for (;;) {
			open = memchr(buf + p, '`', eol - p);
			if (!open)
				break;
			p = (size_t)(open - buf) + 1;
			close = memchr(buf + p, '`', eol - p);
			if (!close)
				break; /* an unclosed backtick: no span */
			if (span_names(offset, buf, p, (size_t)(close - buf),
				       needle, n))
				return 1;
			p = (size_t)(close - buf) + 1;
		}
	}
	return 0;
}

/* SQL names */

enum sql_tok {
	TOK_END,
	TOK_WORD,
	TOK_QUOTED,
	TOK_DOT,
	TOK_COMMA,
	TOK_OTHER,
};

struct sql_lexer {
	const char *buf;
	size_t len, pos;
};

struct sql_token {
	enum sql_tok type;
	const char *start;
	size_t n;
};

static void skip_comment_or_string(struct sql_lexer *lx)
{
	const char *b = lx->buf;
	size_t depth = 0;

	if (b[lx->pos] == '-') {
		lx->pos = line_end(b, lx->len, lx->pos);
		return;
	}
	if (b[lx->pos] == '/') {
		for (; lx->pos + 1 < lx->len; lx->pos++) {
			if (b[lx->pos] == '/' && b[lx->pos + 1] == '*') {
				depth++;
				lx->pos++;
			} else if (b[lx->pos] == '*' && b[lx->pos + 1] == '/') {
				lx->pos++;
				if (--depth == 0)
					break;
			}
		}
		lx->pos += 1;
		return;
	}
	for (lx->pos++; lx->pos < lx->len; lx->pos++) { /* '...' */
		if (b[lx->pos] != '\'')
			continue;
		if (lx->pos + 1 < lx->len && b[lx->pos + 1] == '\'') {
			lx->pos++;
			continue;
		}
		break;
	}
	if (lx->pos < lx->len)
		lx->pos++; /* the closing quote */
}

static void sql_next(struct sql_lexer *lx, struct sql_token *t)
{
	const char *b = lx->buf;
	unsigned char c;

	for (;;) {
		while (lx->pos < lx->len &&
		       strchr(" \t\r\n\f\v", b[lx->pos]) && b[lx->pos])
			lx->pos++;
		if (lx->pos >= lx->len) {
			t->type = TOK_END;
			t->start = b + lx->len;
			t->n = 0;
			return;
		}
		c = (unsigned char)b[lx->pos];
		if ((c == '-' && lx->pos + 1 < lx->len &&
		     b[lx->pos + 1] == '-') ||
		    (c == '/' && lx->pos + 1 < lx->len &&
		     b[lx->pos + 1] == '*') ||
		    c == '\'') {
			skip_comment_or_string(lx);
			if (c == '\'') {
				t->type = TOK_OTHER;
				t->start = b + lx->pos;
				t->n = 0;
				return;
			}
			continue;
		}
		break;
	}
	t->start = b + lx->pos;
	if (c == '"') {
		size_t p = lx->pos + 1;

		while (p < lx->len) {
			if (b[p] == '"' && p + 1 < lx->len && b[p + 1] == '"')
				p += 2;
			else if (b[p] == '"')
				break;
			else
				p++;
		}
		t->type = TOK_QUOTED;
		t->start = b + lx->pos + 1;
		t->n = p - lx->pos - 1;
		lx->pos = p < lx->len ? p + 1 : p;
		return;
	}
	if (is_word_char(c) || c >= 0x80) {
		size_t p = lx->pos;

		while (p < lx->len && (is_word_char((unsigned char)b[p]) ||
				       b[p] == '$' ||
				       (unsigned char)b[p] >= 0x80))
			p++;
		t->type = (c >= '0' && c <= '9') ? TOK_OTHER : TOK_WORD;
		t->n = p - lx->pos;
		lx->pos = p;
		return;
	}
	t->type = c == '.' ? TOK_DOT : c == ',' ? TOK_COMMA : TOK_OTHER;
	t->n = 1;
	lx->pos++;
}

static int tok_is(const struct sql_token *t, const char *word)
{
	return t->type == TOK_WORD && ci_equal(t->start, t->n, word);
}

/* Consume the next token when it is word. */
static int accept(struct sql_lexer *lx, const char *word)
{
	struct sql_lexer save = *lx;
	struct sql_token t;

	sql_next(lx, &t);
	if (tok_is(&t, word))
		return 1;
	*lx = save;
	return 0;
}

static char *ident_text(const struct sql_token *t)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->type == TOK_QUOTED) {
			mg_strbuf_addch(&sb, t->start[i]);
			if (t->start[i] == '"')
				i++; /* "" */
		} else {
			mg_strbuf_addch(&sb, lower(t->start[i]));
		}
	}
	return mg_strbuf_detach(&sb, NULL);
}

/* A possibly qualified name: its last component, or NULL. */
static char *sql_name(struct sql_lexer *lx)
{
	struct sql_token t, last;
	struct sql_lexer save;

	sql_next(lx, &last);
	if ((last.type != TOK_WORD && last.type != TOK_QUOTED) || !last.n)
		return NULL;
	for (;;) {
		save = *lx;
		sql_next(lx, &t);
		if (t.type != TOK_DOT)
			break;
		sql_next(lx, &t);
		if (t.type != TOK_WORD && t.type != TOK_QUOTED)
			break;
		last = t;
	}
	*lx = save;
	return ident_text(&last);
}

static void strlist_uniq(struct mg_strlist *l)
{
	size_t i, out = 0;

	mg_strlist_sort(l);
	for (i = 0; i < l->nr; i++) {
		if (out && !strcmp(l->items[out - 1], l->items[i])) {
			free(l->items[i]);
			continue;
		}
		l->items[out++] = l->items[i];
	}
	l->nr = out;
}

static int accept_any(struct sql_lexer *lx, const char *const *words)
{
	for (; *words; words++)
		if (accept(lx, *words))
			return 1;
	return 0;
}

void mg_docs_sql_names(struct mg_strlist *tables, struct mg_strlist *types,
		       const char *sql, size_t len)
{
	static const char *const persistence[] = {
		"temp", "temporary", "unlogged", "global", "local", NULL,
	};
	struct sql_lexer lx = { sql, len, 0 };
	struct sql_token t;

	for (sql_next(&lx, &t); t.type != TOK_END; sql_next(&lx, &t)) {
		struct mg_strlist *into;
		int create = tok_is(&t, "create"), drop = tok_is(&t, "drop");
		char *name;

		if (!create && !drop && !tok_is(&t, "alter"))
			continue;
		if (create && accept(&lx, "or"))
			accept(&lx, "replace");
		while (create && accept_any(&lx, persistence))
			continue;
		if (accept(&lx, "table"))
			into = tables;
		else if (accept(&lx, "type"))
			into = types;
		else
			continue;
		if (accept(&lx, "if")) {
			if (create)
				accept(&lx, "not");
			accept(&lx, "exists");
		}
		if (!create && !drop)
			accept(&lx, "only");
		for (;;) {
			name = sql_name(&lx);
			if (!name)
				break;
			mg_strlist_push_owned(into, name);
			if (!drop)
				break;
			{
				struct sql_lexer save = lx;

				sql_next(&lx, &t);
				if (t.type != TOK_COMMA) {
					lx = save;
					break;
				}
			}
		}
	}
	strlist_uniq(tables);
	strlist_uniq(types);
}

/* The waiver */

int mg_docs_waiver(char **reason, const char *message)
{
	return mg_commit_waiver(reason, message, "docs-impact");
}

/* The check */

enum why {
	WHY_CONFIG = 1 << 0,
	WHY_COVERS = 1 << 1,
	WHY_MENTION = 1 << 2,
};

struct trigger {
	char *subject; /* "'path'", "table 'name'", "type 'name'" */
	unsigned why;  /* enum why bits */
	unsigned config_line; /* smallest docs rule line, for WHY_CONFIG */
};

struct page_hit {
	char *path;
	struct trigger *items;
	size_t nr, alloc;
	unsigned line, column; /* first mention or covers entry; 0: none */
};

struct docs_run {
	struct mg_report *r;
	const struct mg_config *cfg;
	struct mg_changeset *cs;
	struct mg_tree *head;
	const char *config_path;
	struct mg_strlist roots;
	/* Changes that are not docs, sorted by path (borrowed). */
	const struct mg_change **code;
	size_t code_nr;
	unsigned char *mentionable; /* per code change: look for its path */
	struct mg_strlist pages; /* under the docs roots, sorted */
	struct page_hit *hits;
	size_t hits_nr, hits_alloc;
	struct mg_strlist tables, types;
};

static int is_page_name(const char *path)
{
	return mg_ends_with(path, ".md") || mg_ends_with(path, ".mdx") ||
	       mg_ends_with(path, ".markdown");
}

static int under_roots(const struct docs_run *run, const char *path)
{
	size_t i;

	for (i = 0; i < run->roots.nr; i++)
		if (mg_path_watched(run->roots.items[i], path))
			return 1;
	return 0;
}

/* A docs root, or a page a docs rule names: not code. */
static int is_doc_path(const struct docs_run *run, const char *path)
{
	size_t i, j;

	if (under_roots(run, path))
		return 1;
	for (i = 0; i < run->cfg->docs_nr; i++) {
		const struct mg_strlist *pages = &run->cfg->docs[i].pages;

		for (j = 0; j < pages->nr; j++)
			if (mg_path_watched(pages->items[j], path))
				return 1;
	}
	return 0;
}

/* A page that the change itself adds or edits needs no reminder. */
static int page_changed(const struct mg_changeset *cs, const char *path)
{
	size_t i;

	for (i = 0; i < cs->nr; i++)
		if (cs->changes[i].status != MG_CHANGE_DELETED &&
		    !strcmp(cs->changes[i].path, path))
			return 1;
	return 0;
}

static int change_matches(const char *glob, const struct mg_change *c)
{
	return mg_path_watched(glob, c->path) ||
	       (c->old_path && mg_path_watched(glob, c->old_path));
}

static int cmp_change(const void *a_, const void *b_)
{
	const struct mg_change *const *a = a_, *const *b = b_;

	return strcmp((*a)->path, (*b)->path);
}

static void collect_code(struct docs_run *run)
{
	size_t i;

	run->code = mg_xcalloc(run->cs->nr, sizeof(*run->code));
	for (i = 0; i < run->cs->nr; i++) {
		const struct mg_change *c = &run->cs->changes[i];

		if (!is_doc_path(run, c->path))
			run->code[run->code_nr++] = c;
	}
	if (run->code_nr > 1)
		qsort(run->code, run->code_nr, sizeof(*run->code), cmp_change);
}

/* 1 when a commit of the range carries Docs-Impact: none (noted). */
static int check_waiver(struct docs_run *run, int *waived)
{
	struct mg_changeset *cs = run->cs;
	char *reason = NULL;
	size_t i;
	int err;

	*waived = 0;
	if (cs->mode != MG_CHANGESET_RANGE && cs->mode != MG_CHANGESET_PRE_PUSH)
		return 0; /* no commit message yet in --staged */
	err = mg_changeset_commits(cs);
	if (err < 0)
		return err;
	for (i = 0; i < cs->commits_nr; i++) {
		if (!mg_docs_waiver(&reason, cs->commits[i].message))
			continue;
		mg_report_note(run->r,
			       "docs: %s waived by the 'Docs-Impact: none' "
			       "trailer of commit %.7s%s%s%s", RULE,
			       cs->commits[i].id, *reason ? " (" : "", reason,
			       *reason ? ")" : "");
		free(reason);
		*waived = 1;
		return 0;
	}
	return 0;
}

static struct page_hit *hit_for(struct docs_run *run, const char *page)
{
	struct page_hit *h;
	size_t i;

	for (i = 0; i < run->hits_nr; i++)
		if (!strcmp(run->hits[i].path, page))
			return &run->hits[i];
	run->hits_nr++;
	MG_ALLOC_GROW(run->hits, run->hits_nr, run->hits_alloc);
	h = &run->hits[run->hits_nr - 1];
	memset(h, 0, sizeof(*h));
	h->path = mg_xstrdup(page);
	return h;
}

static void hit_add(struct page_hit *h, char *subject, unsigned why,
		    unsigned config_line)
{
	struct trigger *t = NULL;
	size_t i;

	for (i = 0; i < h->nr; i++)
		if (!strcmp(h->items[i].subject, subject))
			t = &h->items[i];
	if (t) {
		free(subject);
	} else {
		h->nr++;
		MG_ALLOC_GROW(h->items, h->nr, h->alloc);
		t = &h->items[h->nr - 1];
		t->subject = subject;
		t->why = 0;
		t->config_line = 0;
	}
	t->why |= why;
	if (config_line && (!t->config_line || config_line < t->config_line))
		t->config_line = config_line;
}

static int list_pages(struct docs_run *run)
{
	struct mg_tree_listing l;
	size_t i, j;
	int err = 0;

	for (i = 0; i < run->roots.nr; i++) {
		err = mg_tree_list(run->head, run->roots.items[i], &l);
		if (err < 0)
			goto out;
		for (j = 0; j < l.nr; j++)
			if (l.items[j].type == MG_ENTRY_FILE &&
			    is_page_name(l.items[j].path))
				mg_strlist_push(&run->pages, l.items[j].path);
		mg_tree_listing_release(&l);
	}
	strlist_uniq(&run->pages);
out:
	return err;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int page_listed(const struct docs_run *run, const char *path)
{
	return run->pages.nr &&
	       bsearch(&path, run->pages.items, run->pages.nr,
		       sizeof(*run->pages.items), cmp_str) != NULL;
}

/* The folder before a glob's first magic component ("" for none). */
static char *glob_prefix(const char *glob)
{
	const char *magic = glob, *slash;

	while (*magic && !strchr("*?[", *magic))
		magic++;
	slash = magic;
	while (slash > glob && slash[-1] != '/')
		slash--;
	return mg_xstrndup(glob, slash > glob ? (size_t)(slash - glob - 1) : 0);
}

/*
 * Files below a glob's literal folder that match it, or a folder's pages;
 * *seen gets how many files are below that folder at all.
 */
static int list_matching(size_t *seen, struct docs_run *run,
			 const char *pattern, int glob, struct mg_strlist *out)
{
	struct mg_tree_listing l;
	char *prefix = glob ? glob_prefix(pattern) : mg_xstrdup(pattern);
	size_t i;
	int err = 0;

	memset(&l, 0, sizeof(l));
	*seen = 0;
	if (*prefix && !mg_path_is_safe(prefix))
		goto out; /* outside the repository: nothing there */
	err = mg_tree_list(run->head, prefix, &l);
	if (err < 0)
		goto out;
	*seen = l.nr;
	for (i = 0; i < l.nr; i++)
		if (l.items[i].type == MG_ENTRY_FILE &&
		    (glob ? mg_glob_match(pattern, l.items[i].path) :
			    is_page_name(l.items[i].path)))
			mg_strlist_push(out, l.items[i].path);
out:
	mg_tree_listing_release(&l);
	free(prefix);
	return err;
}

/*
 * The pages of a docs rule entry that exist in head, into out: a file, a
 * folder (its pages) or a glob. Nothing added means it does not exist.
 */
static int resolve_pages(struct docs_run *run, const char *pattern,
			 struct mg_strlist *out)
{
	char *data = NULL;
	size_t len, seen;
	int err, lerr;

	if (mg_glob_has_magic(pattern))
		return list_matching(&seen, run, pattern, 1, out);
	if (page_listed(run, pattern)) {
		mg_strlist_push(out, pattern);
		return 0;
	}
	err = mg_tree_read(run->head, pattern, &data, &len);
	free(data);
	if (err == 0) {
		mg_strlist_push(out, pattern);
		return 0;
	}
	/* Not a file: a folder of pages, or missing (a finding). */
	lerr = list_matching(&seen, run, pattern, 0, out);
	if (lerr < 0)
		return lerr;
	if (!seen && err != MG_ENOTFOUND && err != MG_EUSAGE)
		return err; /* a file that cannot be read */
	return 0;
}

static const char *hint_text(const struct docs_run *run)
{
	if (run->cs->mode == MG_CHANGESET_STAGED)
		return "update the page in this change, or, if it needs no "
		       "update, add a 'Docs-Impact: none (reason)' trailer to "
		       "the commit message (pre-push and CI honour it)";
	return "update the page, or waive the check with a 'Docs-Impact: "
	       "none (reason)' commit trailer";
}

static int apply_rule(struct docs_run *run, const struct mg_docs_map *map,
		      int all)
{
	struct mg_strlist pages = MG_STRLIST_INIT, matched = MG_STRLIST_INIT;
	size_t i, j, k;
	int err = 0;

	for (i = 0; i < run->code_nr; i++)
		for (j = 0; j < map->when.nr; j++)
			if (change_matches(map->when.items[j], run->code[i])) {
				mg_strlist_push(&matched, run->code[i]->path);
				break;
			}
	if (!matched.nr && !all)
		goto out;
	for (i = 0; i < map->pages.nr; i++) {
		const char *pattern = map->pages.items[i];
		size_t before = pages.nr;

		err = resolve_pages(run, pattern, &pages);
		if (err < 0)
			goto out;
		if (pages.nr > before)
			continue;
		if (mg_glob_has_magic(pattern))
			mg_report_add(run->r, RULE, run->config_path,
				      map->line, 1, MISSING_HINT,
				      "no page matches the mapped pattern '%s'",
				      pattern);
		else
			mg_report_add(run->r, RULE, run->config_path,
				      map->line, 1, MISSING_HINT,
				      "the mapped page '%s' does not exist",
				      pattern);
	}
	for (i = 0; i < pages.nr && matched.nr; i++) {
		struct page_hit *h;

		if (page_changed(run->cs, pages.items[i]))
			continue;
		h = hit_for(run, pages.items[i]);
		for (k = 0; k < matched.nr; k++)
			hit_add(h, mg_xstrfmt("'%s'", matched.items[k]),
				WHY_CONFIG, map->line);
	}
out:
	mg_strlist_release(&matched);
	mg_strlist_release(&pages);
	return err;
}

static const struct mg_project *project_of_migration(
	const struct mg_config *cfg, const char *path)
{
	size_t i;

	for (i = 0; i < cfg->projects_nr; i++)
		if (cfg->projects[i].migrations &&
		    *cfg->projects[i].migrations &&
		    mg_path_watched(cfg->projects[i].migrations, path))
			return &cfg->projects[i];
	return NULL;
}

/*
 * Generated bookkeeping (journal, snapshots; drizzle 1.0's
 * <out>/<name>/snapshot.json): its tables stand in.
 */
static int is_migration_meta(const struct docs_run *run, const char *path)
{
	const struct mg_project *p = project_of_migration(run->cfg, path);
	const char *rel, *slash;
	char *meta;
	size_t n;
	int ret;

	if (!p)
		return 0;
	meta = mg_path_join(p->migrations, "meta");
	ret = mg_path_watched(meta, path);
	free(meta);
	n = strlen(p->migrations);
	if (ret || strncmp(path, p->migrations, n) || path[n] != '/')
		return ret;
	rel = path + n + 1;
	slash = strchr(rel, '/');
	return slash && slash > rel && !strcmp(slash + 1, "snapshot.json");
}

static int collect_sql_names(struct docs_run *run)
{
	char *sql = NULL;
	size_t i, len;

	for (i = 0; i < run->code_nr; i++) {
		const struct mg_change *c = run->code[i];

		if (c->status == MG_CHANGE_DELETED ||
		    !mg_ends_with(c->path, ".sql") ||
		    !project_of_migration(run->cfg, c->path))
			continue;
		/*
		 * Not found, too large, a symbolic link, a submodule: no
		 * names from it; lint reports a migration it cannot read.
		 */
		if (mg_tree_read(run->head, c->path, &sql, &len) < 0)
			continue;
		mg_docs_sql_names(&run->tables, &run->types, sql, len);
		free(sql);
		sql = NULL;
	}
	return 0;
}

static void note_offset(size_t *first, int *have, size_t offset)
{
	if (!*have || offset < *first)
		*first = offset;
	*have = 1;
}

/* Mentions of a changed path: repository-relative, or project-relative. */
static int find_path(size_t *offset, const struct docs_run *run,
		     const char *buf, size_t len, const char *path)
{
	size_t i, n, at;
	int found = 0;

	if (mg_docs_find_reference(offset, buf, len, path, MG_DOCS_REF_PATH))
		found = 1;
	for (i = 0; i < run->cfg->projects_nr; i++) {
		const char *root = run->cfg->projects[i].root;

		if (!root || !*root || !mg_path_watched(root, path))
			continue;
		n = strlen(root);
		if (!path[n] || !strchr(path + n + 1, '/'))
			continue;
		if (mg_docs_find_reference(&at, buf, len, path + n + 1,
					   MG_DOCS_REF_PATH) &&
		    (!found || at < *offset)) {
			*offset = at;
			found = 1;
		}
	}
	return found;
}

static enum mg_docs_ref_kind name_kind(const char *name)
{
	return strpbrk(name, "_0123456789") ? MG_DOCS_REF_NAME :
					      MG_DOCS_REF_NAME_IN_CODE;
}

static void scan_names(struct page_hit **h, struct docs_run *run,
		       const char *page, const char *buf, size_t len,
		       const struct mg_strlist *names, const char *what,
		       size_t *first, int *have)
{
	size_t i, at;

	for (i = 0; i < names->nr; i++) {
		if (!mg_docs_find_reference(&at, buf, len, names->items[i],
					    name_kind(names->items[i])))
			continue;
		if (!*h)
			*h = hit_for(run, page);
		hit_add(*h, mg_xstrfmt("%s '%s'", what, names->items[i]),
			WHY_MENTION, 0);
		note_offset(first, have, at);
	}
}

static int scan_page(struct docs_run *run, const char *page)
{
	struct mg_docs_covers covers;
	struct page_hit *h = NULL;
	struct mg_srcmap map;
	char *buf = NULL;
	size_t len, i, j, at, first = 0;
	int err, have = 0;

	memset(&covers, 0, sizeof(covers));
	err = mg_tree_read(run->head, page, &buf, &len);
	if (err == MG_ENOTFOUND || err == MG_ETOOBIG) {
		err = 0;
		goto out;
	}
	if (err < 0)
		goto out;
	mg_docs_front_matter_covers(&covers, buf, len);
	for (i = 0; i < covers.nr; i++) {
		for (j = 0; j < run->code_nr; j++) {
			if (!change_matches(covers.items[i].glob, run->code[j]))
				continue;
			if (!h)
				h = hit_for(run, page);
			hit_add(h, mg_xstrfmt("'%s'", run->code[j]->path),
				WHY_COVERS, 0);
			note_offset(&first, &have, covers.items[i].offset);
		}
	}
	for (j = 0; j < run->code_nr; j++) {
		const struct mg_change *c = run->code[j];

		if (!run->mentionable[j])
			continue;
		if (!find_path(&at, run, buf, len, c->path) &&
		    !(c->old_path &&
		      find_path(&at, run, buf, len, c->old_path)))
			continue;
		if (!h)
			h = hit_for(run, page);
		hit_add(h, mg_xstrfmt("'%s'", c->path), WHY_MENTION, 0);
		note_offset(&first, &have, at);
	}
	scan_names(&h, run, page, buf, len, &run->tables, "table", &first,
		   &have);
	scan_names(&h, run, page, buf, len, &run->types, "type", &first,
		   &have);
	if (have) {
		mg_srcmap_init(&map, buf, len);
		mg_srcmap_locate(&map, first, &h->line, &h->column);
		mg_srcmap_release(&map);
	}
out:
	mg_docs_covers_release(&covers);
	free(buf);
	return err;
}

static int cmp_trigger(const void *a_, const void *b_)
{
	const struct trigger *a = a_, *b = b_;

	return strcmp(a->subject, b->subject);
}

static void emit(struct docs_run *run, struct page_hit *h)
{
	struct mg_strbuf msg = MG_STRBUF_INIT;
	size_t i;

	if (!h->nr)
		return;
	qsort(h->items, h->nr, sizeof(*h->items), cmp_trigger);
	for (i = 0; i < h->nr && i < MAX_SUBJECTS; i++) {
		const struct trigger *t = &h->items[i];
		const char *sep = "";

		mg_strbuf_addf(&msg, "%s%s (", i ? ", " : "", t->subject);
		if (t->why & WHY_CONFIG) {
			mg_strbuf_addf(&msg, "docs rule at %s:%u",
				       run->config_path, t->config_line);
			sep = "; ";
		}
		if (t->why & WHY_COVERS) {
			mg_strbuf_addf(&msg, "%sfront matter covers", sep);
			sep = "; ";
		}
		if (t->why & WHY_MENTION)
			mg_strbuf_addf(&msg, "%smentioned", sep);
		mg_strbuf_addch(&msg, ')');
	}
	if (h->nr > MAX_SUBJECTS)
		mg_strbuf_addf(&msg, " and %zu more", h->nr - MAX_SUBJECTS);
	mg_report_add(run->r, RULE, h->path, h->line ? h->line : 1,
		      h->column ? h->column : 1, hint_text(run),
		      "page may be out of date: changed %s", msg.buf);
	mg_strbuf_release(&msg);
}

static void run_release(struct docs_run *run)
{
	size_t i, j;

	for (i = 0; i < run->hits_nr; i++) {
		for (j = 0; j < run->hits[i].nr; j++)
			free(run->hits[i].items[j].subject);
		free(run->hits[i].items);
		free(run->hits[i].path);
	}
	free(run->hits);
	mg_strlist_release(&run->tables);
	mg_strlist_release(&run->types);
	mg_strlist_release(&run->pages);
	mg_strlist_release(&run->roots);
	free(run->mentionable);
	free(run->code);
}

static int cmp_hit(const void *a_, const void *b_)
{
	const struct page_hit *a = a_, *b = b_;

	return strcmp(a->path, b->path);
}

int mg_docs_check(struct mg_report *r, struct mg_context *ctx)
{
	struct docs_run run;
	size_t i;
	int err = 0, waived = 0, all;

	memset(&run, 0, sizeof(run));
	run.r = r;
	run.cfg = ctx->config;
	run.cs = ctx->cs;
	run.head = ctx->cs->head;
	run.config_path = ".migguard.json";
	for (i = 0; i < run.cfg->docs_roots.nr; i++)
		mg_strlist_push(&run.roots, run.cfg->docs_roots.items[i]);
	if (!run.roots.nr)
		mg_strlist_push(&run.roots, "docs");
	if (mg_report_severity(r, RULE) == MG_SEVERITY_OFF)
		goto out;
	all = run.cs->mode == MG_CHANGESET_ALL;
	collect_code(&run);
	if (!run.code_nr && !(all && run.cfg->docs_nr))
		goto out; /* nothing but docs changed: read nothing */
	if (!all) {
		err = check_waiver(&run, &waived);
		if (err < 0 || waived)
			goto out;
	}
	err = list_pages(&run);
	if (err < 0)
		goto out;
	for (i = 0; i < run.cfg->docs_nr; i++) {
		err = apply_rule(&run, &run.cfg->docs[i], all);
		if (err < 0)
			goto out;
	}
	if (!run.code_nr)
		goto out;
	err = collect_sql_names(&run);
	if (err < 0)
		goto out;
	run.mentionable = mg_xcalloc(run.code_nr, 1);
	for (i = 0; i < run.code_nr; i++)
		run.mentionable[i] = !is_migration_meta(&run, run.code[i]->path);
	for (i = 0; i < run.pages.nr; i++) {
		if (page_changed(run.cs, run.pages.items[i]))
			continue;
		err = scan_page(&run, run.pages.items[i]);
		if (err < 0)
			goto out;
	}
	if (run.hits_nr > 1)
		qsort(run.hits, run.hits_nr, sizeof(*run.hits), cmp_hit);
	for (i = 0; i < run.hits_nr; i++)
		emit(&run, &run.hits[i]);
out:
	run_release(&run);
	return err;
}

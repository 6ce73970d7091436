/*
 * The TypeScript scanner behind the pair check's "can this edit change
 * the database": tokens, top-level declarations, compared old against new
 * with what cannot reach SQL left out. It never evaluates code; anything
 * it does not recognise is compared token by token, and a difference
 * counts.
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/tsscan.h"

/* Nesting deeper than this in a template's ${...} is scanned flat. */
#define MAX_TEMPLATE_DEPTH 32
/* Rename detection compares at most this many removed x added names. */
#define MAX_RENAME_PAIRS 4096

static int is_ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == '$' || c >= 0x80;
}

static int is_ident_char(unsigned char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

struct lexer {
	struct mg_ts_file *f;
	const char *b;
	size_t len, pos;
};

size_t mg_ts_skip_blank(const char *b, size_t len, size_t pos)
{
	for (;;) {
		while (pos < len && is_space((unsigned char)b[pos]))
			pos++;
		if (pos + 1 < len && b[pos] == '/' && b[pos + 1] == '/') {
			while (pos < len && b[pos] != '\n')
				pos++;
			continue;
		}
		if (pos + 1 < len && b[pos] == '/' && b[pos + 1] == '*') {
			pos += 2;
			while (pos + 1 < len &&
			       !(b[pos] == '*' && b[pos + 1] == '/'))
				pos++;
			pos = pos + 2 <= len ? pos + 2 : len;
			continue;
		}
		return pos;
	}
}

/* Skip whitespace and comments; 1 when something is left. */
static int skip_blank(struct lexer *lx)
{
	lx->pos = mg_ts_skip_blank(lx->b, lx->len, lx->pos);
	return lx->pos < lx->len;
}

/* A '...' or "..." string from lx->pos; returns its decoded value. */
static char *lex_string(struct lexer *lx)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	char q = lx->b[lx->pos++];

	while (lx->pos < lx->len && lx->b[lx->pos] != q &&
	       lx->b[lx->pos] != '\n') {
		char c = lx->b[lx->pos++];

		if (c == '\\' && lx->pos < lx->len) {
			c = lx->b[lx->pos++];
			switch (c) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case '\n':
				continue; /* a line continuation */
			default:
				break; /* \' \" \\ and the rest: as written */
			}
		}
		mg_strbuf_addch(&sb, c);
	}
	if (lx->pos < lx->len && lx->b[lx->pos] == q)
		lx->pos++;
	return mg_strbuf_detach(&sb, NULL);
}

static void skip_template(struct lexer *lx, int depth);

/* Code inside ${...} up to its closing brace (consumed). */
static void skip_substitution(struct lexer *lx, int depth)
{
	int braces = 0;

	while (skip_blank(lx)) {
		char c = lx->b[lx->pos];

		if (c == '\'' || c == '"') {
			free(lex_string(lx));
		} else if (c == '`') {
			skip_template(lx, depth + 1);
		} else if (c == '{') {
			braces++;
			lx->pos++;
		} else if (c == '}') {
			lx->pos++;
			if (!braces--)
				return;
		} else {
			lx->pos++;
		}
	}
}

/* A template literal from its opening backquote to the closing one. */
static void skip_template(struct lexer *lx, int depth)
{
	lx->pos++;
	while (lx->pos < lx->len && lx->b[lx->pos] != '`') {
		if (lx->b[lx->pos] == '\\') {
			lx->pos += lx->pos + 2 <= lx->len ? 2 : 1;
			continue;
		}
		if (lx->b[lx->pos] == '$' && lx->pos + 1 < lx->len &&
		    lx->b[lx->pos + 1] == '{' && depth < MAX_TEMPLATE_DEPTH) {
			lx->pos += 2;
			skip_substitution(lx, depth);
			continue;
		}
		lx->pos++;
	}
	if (lx->pos < lx->len)
		lx->pos++;
}

static void skip_regex(struct lexer *lx)
{
	int in_class = 0;

	lx->pos++;
	while (lx->pos < lx->len && lx->b[lx->pos] != '\n') {
		char c = lx->b[lx->pos++];

		if (c == '\\' && lx->pos < lx->len)
			lx->pos++;
		else if (c == '[')
			in_class = 1;
		else if (c == ']')
			in_class = 0;
		else if (c == '/' && !in_class)
			break;
	}
	while (lx->pos < lx->len && is_ident_char((unsigned char)lx->b[lx->pos]))
		lx->pos++;
}

static const struct mg_ts_token *last_token(const struct mg_ts_file *f)
{
	return f->nr ? &f->tokens[f->nr - 1] : NULL;
}

static int tok_is(const struct mg_ts_file *f, const struct mg_ts_token *t,
		  const char *text)
{
	size_t n = strlen(text);

	return t && t->type != MG_TS_STRING && t->len == n &&
	       !memcmp(f->buf + t->start, text, n);
}

/* A '/' here starts a regular expression, not a division. */
static int regex_allowed(const struct mg_ts_file *f)
{
	const struct mg_ts_token *t = last_token(f);

	if (!t)
		return 1;
	if (t->type == MG_TS_PUNCT)
		return !tok_is(f, t, ")") && !tok_is(f, t, "]") &&
		       !tok_is(f, t, "}");
	return t->type == MG_TS_IDENT &&
	       (tok_is(f, t, "return") || tok_is(f, t, "typeof") ||
		tok_is(f, t, "case") || tok_is(f, t, "in") ||
		tok_is(f, t, "of"));
}

static size_t punct_len(const char *b, size_t left)
{
	static const char *const ops[] = { ">>>=", "...", "===", "!==", "**=",
		"<<=", ">>=", ">>>", "&&=", "||=", "?" "?=", "=>", "==", "!=",
		"<=", ">=", "&&", "||", "?" "?", "?.", "++", "--", "+=", "-=",
		"*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>", NULL };
	size_t i, n;

	for (i = 0; ops[i]; i++) {
		n = strlen(ops[i]);
		if (n <= left && !memcmp(b, ops[i], n))
			return n;
	}
	return 1;
}

static void add_token(struct mg_ts_file *f, enum mg_ts_token_type type,
		      size_t start, size_t end, char *value)
{
	struct mg_ts_token *t;

	f->nr++;
	MG_ALLOC_GROW(f->tokens, f->nr, f->alloc);
	t = &f->tokens[f->nr - 1];
	t->type = type;
	t->start = start;
	t->len = end - start;
	t->value = value;
}

static void tokenize(struct mg_ts_file *f)
{
	struct lexer lx = { f, f->buf, f->len, 0 };

	if (lx.len >= 2 && lx.b[0] == '#' && lx.b[1] == '!')
		while (lx.pos < lx.len && lx.b[lx.pos] != '\n')
			lx.pos++;
	while (skip_blank(&lx)) {
		size_t start = lx.pos;
		unsigned char c = (unsigned char)lx.b[lx.pos];
		char *value = NULL;
		enum mg_ts_token_type type;

		if (c == '\'' || c == '"') {
			value = lex_string(&lx);
			type = MG_TS_STRING;
		} else if (c == '`') {
			skip_template(&lx, 0);
			type = MG_TS_TEMPLATE;
		} else if (is_ident_start(c)) {
			while (lx.pos < lx.len &&
			       is_ident_char((unsigned char)lx.b[lx.pos]))
				lx.pos++;
			type = MG_TS_IDENT;
		} else if ((c >= '0' && c <= '9') ||
			   (c == '.' && lx.pos + 1 < lx.len &&
			    lx.b[lx.pos + 1] >= '0' && lx.b[lx.pos + 1] <= '9')) {
			lx.pos++;
			while (lx.pos < lx.len &&
			       (is_ident_char((unsigned char)lx.b[lx.pos]) ||
				lx.b[lx.pos] == '.'))
				lx.pos++;
			type = MG_TS_NUMBER;
		} else if (c == '/' && regex_allowed(f)) {
			skip_regex(&lx);
			type = MG_TS_REGEX;
		} else {
			lx.pos += punct_len(lx.b + lx.pos, lx.len - lx.pos);
			type = MG_TS_PUNCT;
		}
		add_token(f, type, start, lx.pos, value);
	}
}

/* Declarations */

static int is_open(const struct mg_ts_file *f, size_t i)
{
	const struct mg_ts_token *t = &f->tokens[i];

	return t->type == MG_TS_PUNCT && t->len == 1 &&
	       strchr("([{", f->buf[t->start]);
}

static int is_close(const struct mg_ts_file *f, size_t i)
{
	const struct mg_ts_token *t = &f->tokens[i];

	return t->type == MG_TS_PUNCT && t->len == 1 &&
	       strchr(")]}", f->buf[t->start]);
}

static int at(const struct mg_ts_file *f, size_t i, const char *text)
{
	return i < f->nr && tok_is(f, &f->tokens[i], text);
}

static int is_ident(const struct mg_ts_file *f, size_t i)
{
	return i < f->nr && f->tokens[i].type == MG_TS_IDENT;
}

/* The index after the bracket group opening at i (or the end). */
static size_t skip_group(const struct mg_ts_file *f, size_t i, size_t end)
{
	size_t depth = 0;

	for (; i < end; i++) {
		if (is_open(f, i))
			depth++;
		else if (is_close(f, i) && depth && !--depth)
			return i + 1;
	}
	return end;
}

/* An identifier before which a keyword continues the statement. */
static int continues(const struct mg_ts_file *f, size_t i)
{
	static const char *const words[] = { "export", "default", "declare",
		"async", "abstract", "as", "satisfies", "typeof", "keyof",
		"readonly", "new", "return", "in", "of", "instanceof",
		"extends", "implements", "await", "yield", "void", "delete",
		"throw", "case", "else", "unique", "is", NULL };
	size_t k;

	for (k = 0; words[k]; k++)
		if (at(f, i, words[k]))
			return 1;
	return 0;
}

/* Token i (at depth 0) begins a new top-level statement. */
static int starts_statement(const struct mg_ts_file *f, size_t i)
{
	static const char *const words[] = { "export", "const", "let", "var",
		"function", "class", "interface", "enum", "declare",
		"abstract", NULL };
	const struct mg_ts_token *prev = &f->tokens[i - 1];
	size_t k;
	int kw = 0;

	for (k = 0; words[k]; k++)
		if (at(f, i, words[k]))
			kw = 1;
	if (at(f, i, "import") && !at(f, i + 1, "(") && !at(f, i + 1, "."))
		kw = 1;
	if (at(f, i, "type") && is_ident(f, i + 1) &&
	    (at(f, i + 2, "=") || at(f, i + 2, "<")))
		kw = 1;
	if (at(f, i, "async") && at(f, i + 1, "function"))
		kw = 1;
	if (!kw)
		return 0;
	if (prev->type == MG_TS_PUNCT)
		return is_close(f, i - 1);
	return prev->type != MG_TS_IDENT || !continues(f, i - 1);
}

static char *callee_at(const struct mg_ts_file *f, size_t i, size_t end,
		       size_t *after)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;

	while (i < end && is_ident(f, i)) {
		mg_strbuf_add(&sb, f->buf + f->tokens[i].start,
			      f->tokens[i].len);
		i++;
		if (!at(f, i, ".") || !is_ident(f, i + 1))
			break;
		mg_strbuf_addch(&sb, '.');
		i++;
	}
	if (!sb.len || i >= end || (!at(f, i, "(") && !at(f, i, "<"))) {
		mg_strbuf_release(&sb);
		return NULL;
	}
	if (at(f, i, "<")) { /* pgTable<...>(: skip the type arguments */
		int depth = 0;

		for (; i < end; i++) {
			if (at(f, i, "<"))
				depth++;
			else if (at(f, i, ">"))
				depth--;
			else if (at(f, i, ">>"))
				depth -= 2;
			if (depth <= 0)
				break;
		}
		i++;
		if (!at(f, i, "(")) {
			mg_strbuf_release(&sb);
			return NULL;
		}
	}
	*after = i + 1;
	return mg_strbuf_detach(&sb, NULL);
}

static void add_specifier_after(struct mg_ts_file *f, struct mg_ts_decl *d,
				size_t i, size_t end)
{
	for (; i < end; i++)
		if (at(f, i, "from") && i + 1 < end &&
		    f->tokens[i + 1].type == MG_TS_STRING) {
			mg_strlist_push(&f->specifiers, f->tokens[i + 1].value);
			d->module = mg_xstrdup(f->tokens[i + 1].value);
			return;
		}
}

static void classify(struct mg_ts_file *f, struct mg_ts_decl *d)
{
	size_t i = d->first, end = d->first + d->nr, after;

	if (at(f, i, "import")) {
		d->kind = MG_TS_DECL_IMPORT;
		if (i + 1 < end && f->tokens[i + 1].type == MG_TS_STRING) {
			mg_strlist_push(&f->specifiers, f->tokens[i + 1].value);
			d->module = mg_xstrdup(f->tokens[i + 1].value);
		} else {
			add_specifier_after(f, d, i, end);
		}
		return;
	}
	d->kind = MG_TS_DECL_OTHER;
	if (at(f, i, "export")) {
		i++;
		if (at(f, i, "default"))
			return;
		if (at(f, i, "*") || at(f, i, "{") ||
		    (at(f, i, "type") && at(f, i + 1, "{"))) {
			d->kind = at(f, i, "type") ? MG_TS_DECL_TYPE
						   : MG_TS_DECL_EXPORT;
			add_specifier_after(f, d, i, end);
			return;
		}
	}
	if (at(f, i, "declare") || at(f, i, "interface") ||
	    (at(f, i, "type") && is_ident(f, i + 1))) {
		d->kind = MG_TS_DECL_TYPE;
		i += at(f, i, "declare") ? 1 : 0;
		while (i < end && is_ident(f, i) &&
		       (at(f, i, "type") || at(f, i, "interface") ||
			at(f, i, "const") || at(f, i, "let") ||
			at(f, i, "var") || at(f, i, "function") ||
			at(f, i, "class") || at(f, i, "enum") ||
			at(f, i, "abstract") || at(f, i, "namespace") ||
			at(f, i, "module")))
			i++;
		if (i < end && is_ident(f, i)) {
			d->name_token = i;
			d->name = mg_xstrndup(f->buf + f->tokens[i].start,
					      f->tokens[i].len);
		}
		return;
	}
	if (at(f, i, "async"))
		i++;
	if (at(f, i, "abstract"))
		i++;
	if (at(f, i, "function") || at(f, i, "class")) {
		d->kind = MG_TS_DECL_FUNCTION;
		i++;
		if (at(f, i, "*"))
			i++;
	} else if (at(f, i, "enum")) {
		d->kind = MG_TS_DECL_VALUE;
		i++;
	} else if (at(f, i, "const") || at(f, i, "let") || at(f, i, "var")) {
		d->kind = MG_TS_DECL_VALUE;
		i++;
		if (at(f, i, "enum"))
			i++;
	} else {
		return;
	}
	if (i >= end || !is_ident(f, i)) {
		d->kind = MG_TS_DECL_OTHER; /* destructuring: not classified */
		return;
	}
	d->name_token = i;
	d->name = mg_xstrndup(f->buf + f->tokens[i].start, f->tokens[i].len);
	if (d->kind != MG_TS_DECL_VALUE)
		return;
	/* The initialiser: after the first '=' outside brackets. */
	for (i++; i < end && !at(f, i, "="); i++)
		if (is_open(f, i))
			i = skip_group(f, i, end) - 1;
	if (i >= end)
		return;
	d->callee = callee_at(f, i + 1, end, &after);
	if (d->callee && after < end && f->tokens[after].type == MG_TS_STRING)
		d->sql_name = mg_xstrdup(f->tokens[after].value);
}

static void add_decl(struct mg_ts_file *f, size_t first, size_t end)
{
	struct mg_ts_decl *d;

	if (end <= first)
		return;
	f->decls_nr++;
	MG_ALLOC_GROW(f->decls, f->decls_nr, f->decls_alloc);
	d = &f->decls[f->decls_nr - 1];
	memset(d, 0, sizeof(*d));
	d->first = first;
	d->nr = end - first;
	classify(f, d);
}

/* require('x') and import('x') anywhere. */
static void dynamic_specifiers(struct mg_ts_file *f)
{
	size_t i;

	for (i = 0; i + 2 < f->nr; i++)
		if ((at(f, i, "require") || at(f, i, "import")) &&
		    (!i || !at(f, i - 1, ".")) && at(f, i + 1, "(") &&
		    f->tokens[i + 2].type == MG_TS_STRING &&
		    !mg_strlist_has(&f->specifiers, f->tokens[i + 2].value))
			mg_strlist_push(&f->specifiers, f->tokens[i + 2].value);
}

void mg_ts_scan(struct mg_ts_file *f, const char *buf, size_t len)
{
	size_t i, first = 0, depth = 0;

	memset(f, 0, sizeof(*f));
	f->buf = buf;
	f->len = len;
	tokenize(f);
	for (i = 0; i < f->nr; i++) {
		if (is_open(f, i)) {
			depth++;
			continue;
		}
		if (is_close(f, i)) {
			if (depth)
				depth--;
			continue;
		}
		if (depth)
			continue;
		if (at(f, i, ";")) {
			add_decl(f, first, i + 1);
			first = i + 1;
		} else if (i > first && starts_statement(f, i)) {
			add_decl(f, first, i);
			first = i;
		}
	}
	add_decl(f, first, f->nr);
	dynamic_specifiers(f);
}

void mg_ts_file_release(struct mg_ts_file *f)
{
	size_t i;

	for (i = 0; i < f->nr; i++)
		free(f->tokens[i].value);
	free(f->tokens);
	for (i = 0; i < f->decls_nr; i++) {
		free(f->decls[i].name);
		free(f->decls[i].callee);
		free(f->decls[i].sql_name);
		free(f->decls[i].module);
	}
	free(f->decls);
	mg_strlist_release(&f->specifiers);
	memset(f, 0, sizeof(*f));
}

/* Uses */

static int declares(const struct mg_ts_file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->decls_nr; i++)
		if (f->decls[i].name && f->decls[i].kind != MG_TS_DECL_IMPORT &&
		    !strcmp(f->decls[i].name, name))
			return 1;
	return 0;
}

/* The identifiers of a declaration's tokens (not after a '.'). */
static void add_refs(const struct mg_ts_file *f, const struct mg_ts_decl *d,
		     struct mg_strlist *refs)
{
	size_t i;

	for (i = d->first; i < d->first + d->nr; i++) {
		char *name;

		if (f->tokens[i].type != MG_TS_IDENT ||
		    (i && at(f, i - 1, ".")))
			continue;
		name = mg_xstrndup(f->buf + f->tokens[i].start,
				   f->tokens[i].len);
		if (!mg_strlist_has(refs, name))
			mg_strlist_push_owned(refs, name);
		else
			free(name);
	}
}

int mg_ts_used(const struct mg_ts_file *f, int all, struct mg_strlist *names,
	       struct mg_strlist *refs)
{
	struct mg_strlist seen = MG_STRLIST_INIT;
	size_t i, k, done = 0;
	int unknown = 0;

	for (i = 0; !all && i < names->nr; i++)
		if (!declares(f, names->items[i]))
			unknown = 1;
	if (all || unknown) {
		for (i = 0; i < f->decls_nr; i++)
			if (f->decls[i].kind != MG_TS_DECL_IMPORT &&
			    f->decls[i].kind != MG_TS_DECL_TYPE)
				add_refs(f, &f->decls[i], refs);
		if (all)
			return 0;
	}
	/* names grows while the loop runs: what they reference, in turn */
	while (done < names->nr) {
		const char *name = names->items[done++];

		for (i = 0; i < f->decls_nr; i++) {
			const struct mg_ts_decl *d = &f->decls[i];

			if (!d->name || d->kind == MG_TS_DECL_IMPORT ||
			    d->kind == MG_TS_DECL_TYPE || strcmp(d->name, name))
				continue;
			mg_strlist_release(&seen);
			add_refs(f, d, &seen);
			for (k = 0; k < seen.nr; k++) {
				if (!mg_strlist_has(refs, seen.items[k]))
					mg_strlist_push(refs, seen.items[k]);
				if (declares(f, seen.items[k]) &&
				    !mg_strlist_has(names, seen.items[k]))
					mg_strlist_push(names, seen.items[k]);
			}
		}
	}
	mg_strlist_release(&seen);
	return unknown;
}

int mg_ts_import_bindings(const struct mg_ts_file *f,
			  const struct mg_ts_decl *d, struct mg_strlist *locals,
			  struct mg_strlist *imported)
{
	size_t i = d->first + 1, end = d->first + d->nr;

	if (d->kind != MG_TS_DECL_IMPORT || !d->module)
		return -1;
	if (i < end && f->tokens[i].type == MG_TS_STRING)
		return -1; /* import 'x': run for its effects */
	if (at(f, i, "type") && !at(f, i + 1, ",") && !at(f, i + 1, "from"))
		return 0; /* import type ...: types only */
	for (; i < end && !at(f, i, "from"); i++) {
		if (at(f, i, "*") && at(f, i + 1, "as") && is_ident(f, i + 2)) {
			mg_strlist_push_owned(locals, mg_xstrndup(
				f->buf + f->tokens[i + 2].start,
				f->tokens[i + 2].len));
			mg_strlist_push(imported, "*");
			i += 2;
		} else if (at(f, i, "{")) {
			size_t close = skip_group(f, i, end) - 1;

			for (i++; i < close; i++) {
				size_t name = i, local = i;

				if (at(f, i, "type") && is_ident(f, i + 1) &&
				    !at(f, i + 1, "as")) {
					/* a type: nothing for the database */
					while (i < close && !at(f, i, ","))
						i++;
					continue;
				}
				if (!is_ident(f, i) &&
				    f->tokens[i].type != MG_TS_STRING)
					return -1;
				if (at(f, i + 1, "as") && is_ident(f, i + 2)) {
					local = i + 2;
					i += 2;
				}
				mg_strlist_push_owned(locals, mg_xstrndup(
					f->buf + f->tokens[local].start,
					f->tokens[local].len));
				if (f->tokens[name].type == MG_TS_STRING)
					mg_strlist_push(imported,
							f->tokens[name].value);
				else
					mg_strlist_push_owned(imported,
						mg_xstrndup(f->buf +
							    f->tokens[name].start,
							    f->tokens[name].len));
				if (at(f, i + 1, ","))
					i++;
				else if (i + 1 < close)
					return -1;
			}
			i = close;
		} else if (is_ident(f, i) && !at(f, i, "type")) {
			/* the default export */
			mg_strlist_push_owned(locals, mg_xstrndup(
				f->buf + f->tokens[i].start, f->tokens[i].len));
			mg_strlist_push(imported, "*");
		} else if (!at(f, i, ",")) {
			return -1;
		}
	}
	return i < end ? 0 : -1;
}

/* Comparison */

/* The significant tokens of a declaration, by index. */
struct seq {
	size_t *idx;
	size_t nr, alloc;
};

static void seq_push(struct seq *s, size_t i)
{
	s->nr++;
	MG_ALLOC_GROW(s->idx, s->nr, s->alloc);
	s->idx[s->nr - 1] = i;
}

static int is_runtime_only(const struct mg_ts_file *f, size_t i)
{
	return at(f, i, "$defaultFn") || at(f, i, "$default") ||
	       at(f, i, "$onUpdate") || at(f, i, "$onUpdateFn");
}

/* After a '<' at i: the index past its matching '>'. */
static size_t skip_angles(const struct mg_ts_file *f, size_t i, size_t end)
{
	long depth = 0;

	for (; i < end; i++) {
		if (at(f, i, "<"))
			depth++;
		else if (at(f, i, ">"))
			depth--;
		else if (at(f, i, ">>"))
			depth -= 2;
		else if (at(f, i, ">>>"))
			depth -= 3;
		if (depth <= 0)
			return i + 1;
	}
	return end;
}

/* Past a value inside an object: up to ',' or the closing '}'. */
static size_t skip_value(const struct mg_ts_file *f, size_t i, size_t end)
{
	while (i < end && !at(f, i, ",") && !is_close(f, i))
		i = is_open(f, i) ? skip_group(f, i, end) : i + 1;
	return i;
}

static int is_text_column(const struct mg_ts_file *f, size_t i)
{
	return (at(f, i, "text") || at(f, i, "varchar") || at(f, i, "char")) &&
	       at(f, i + 1, "(") && (!i || !at(f, i - 1, "."));
}

static void normalize_range(const struct mg_ts_file *f, size_t i, size_t end,
			    struct seq *out);

/*
 * text("x", { enum: [...] }): the arguments of a text column from the
 * '(' at open, without "enum" (a TypeScript-only union) and without an
 * options object left empty.
 */
static size_t normalize_text_args(const struct mg_ts_file *f, size_t open,
				  size_t end, struct seq *out)
{
	size_t close = skip_group(f, open, end), i = open + 1, inner = close;

	if (close > open + 1 && at(f, close - 1, ")"))
		inner = close - 1;
	seq_push(out, open);
	while (i < inner) {
		size_t next;

		if (at(f, i, "{") && (at(f, i - 1, ",") || at(f, i - 1, "("))) {
			size_t obj_end = skip_group(f, i, inner), k = i + 1;
			size_t obj_inner = obj_end, mark = out->nr;

			if (obj_end > i + 1 && at(f, obj_end - 1, "}"))
				obj_inner = obj_end - 1;
			seq_push(out, i);
			while (k < obj_inner) {
				if (at(f, k, "enum") && at(f, k + 1, ":")) {
					k = skip_value(f, k + 2, obj_inner);
					if (at(f, k, ","))
						k++;
					continue;
				}
				next = skip_value(f, k, obj_inner);
				if (at(f, next, ",") && next < obj_inner)
					next++;
				if (next <= k)
					next = k + 1;
				normalize_range(f, k, next, out);
				k = next;
			}
			if (out->nr == mark + 1) {
				/* empty: drop it and the comma before it */
				out->nr = mark;
				if (out->nr > 0 &&
				    at(f, out->idx[out->nr - 1], ","))
					out->nr--;
			} else if (obj_inner < obj_end) {
				if (at(f, out->idx[out->nr - 1], ","))
					out->nr--;
				seq_push(out, obj_inner);
			}
			i = obj_end;
			continue;
		}
		next = is_open(f, i) ? skip_group(f, i, inner) : i + 1;
		normalize_range(f, i, next, out);
		i = next;
	}
	if (inner < close) {
		if (at(f, out->idx[out->nr - 1], ","))
			out->nr--;
		seq_push(out, inner);
	}
	return close;
}

static void normalize_range(const struct mg_ts_file *f, size_t i, size_t end,
			    struct seq *out)
{
	while (i < end) {
		if (at(f, i, ";")) {
			i++;
			continue;
		}
		if (at(f, i, ",") && i + 1 < f->nr && is_close(f, i + 1)) {
			i++;
			continue;
		}
		if (at(f, i, ".") && at(f, i + 1, "$type")) {
			size_t k = i + 2;

			if (at(f, k, "<"))
				k = skip_angles(f, k, end);
			if (at(f, k, "(")) {
				i = skip_group(f, k, end);
				continue;
			}
		}
		if (at(f, i, ".") && is_runtime_only(f, i + 1) &&
		    at(f, i + 2, "(")) {
			i = skip_group(f, i + 2, end);
			continue;
		}
		if (at(f, i, "(") && is_ident(f, i + 1) && at(f, i + 2, ")") &&
		    at(f, i + 3, "=>")) { /* (x) => is x => */
			seq_push(out, i + 1);
			i += 3;
			continue;
		}
		if (is_text_column(f, i)) {
			seq_push(out, i);
			i = normalize_text_args(f, i + 1, end, out);
			continue;
		}
		seq_push(out, i);
		i++;
	}
}

struct side {
	const struct mg_ts_file *f;
	struct seq *seqs; /* one per declaration */
	int *match;	  /* the other side's declaration, or -1 */
};

/* Old names renamed in the new version, and their new names. */
struct renames {
	const char **from, **to;
	size_t nr, alloc_from, alloc_to;
};

static int tok_equal(const struct mg_ts_file *a, size_t ia,
		     const struct mg_ts_file *b, size_t ib,
		     const struct renames *rn)
{
	const struct mg_ts_token *ta = &a->tokens[ia], *tb = &b->tokens[ib];
	size_t k;

	if (ta->type != tb->type)
		return 0;
	if (ta->type == MG_TS_STRING)
		return !strcmp(ta->value, tb->value);
	if (ta->len == tb->len &&
	    !memcmp(a->buf + ta->start, b->buf + tb->start, ta->len))
		return 1;
	if (ta->type != MG_TS_IDENT || !rn || (ia && at(a, ia - 1, ".")))
		return 0;
	for (k = 0; k < rn->nr; k++)
		if (strlen(rn->from[k]) == ta->len &&
		    !memcmp(a->buf + ta->start, rn->from[k], ta->len) &&
		    strlen(rn->to[k]) == tb->len &&
		    !memcmp(b->buf + tb->start, rn->to[k], tb->len))
			return 1;
	return 0;
}

/* The first position where two sequences differ, or SIZE_MAX: equal. */
static size_t seq_diff(const struct side *a, size_t da, const struct side *b,
		       size_t db, const struct renames *rn)
{
	const struct seq *sa = &a->seqs[da], *sb = &b->seqs[db];
	size_t i;

	for (i = 0; i < sa->nr && i < sb->nr; i++)
		if (!tok_equal(a->f, sa->idx[i], b->f, sb->idx[i], rn))
			return i;
	return sa->nr == sb->nr ? (size_t)-1 : i;
}

static int harmless_callee(const char *c)
{
	return c && (!strcmp(c, "relations") || !strcmp(c, "z") ||
		     mg_starts_with(c, "z.") ||
		     !strcmp(c, "createInsertSchema") ||
		     !strcmp(c, "createSelectSchema") ||
		     !strcmp(c, "createUpdateSchema"));
}

/* A declaration that reaches no SQL whatever it holds. */
static int harmless(const struct mg_ts_decl *d)
{
	return d->kind == MG_TS_DECL_IMPORT || d->kind == MG_TS_DECL_TYPE ||
	       (d->kind == MG_TS_DECL_VALUE && harmless_callee(d->callee));
}

static char *subject_of(const struct mg_ts_file *f, const struct mg_ts_decl *d)
{
	if (d->callee && d->sql_name)
		return mg_xstrfmt("%s \"%s\"", d->callee, d->sql_name);
	if (d->name && d->callee)
		return mg_xstrfmt("'%s' (%s)", d->name, d->callee);
	if (d->name)
		return mg_xstrfmt("'%s'", d->name);
	if (d->kind == MG_TS_DECL_EXPORT && d->module)
		return mg_xstrfmt("export from '%s'", d->module);
	if (d->kind == MG_TS_DECL_EXPORT)
		return mg_xstrdup("an export list");
	if (d->kind == MG_TS_DECL_OTHER && at(f, d->first, "export") &&
	    at(f, d->first + 1, "default"))
		return mg_xstrdup("the default export");
	return mg_xstrdup("a top-level statement");
}

static void set_effect(struct mg_ts_effect *e, size_t offset,
		       const struct mg_ts_file *f, const struct mg_ts_decl *d,
		       const char *verb)
{
	if (e->changed && e->offset <= offset)
		return;
	free(e->subject);
	e->changed = 1;
	e->offset = offset;
	e->subject = subject_of(f, d);
	e->verb = verb;
}

/*
 * Types and values live in separate namespaces: "type Suggestion" and
 * "const Suggestion" are two declarations, and a type never stands for
 * a value (nor a value for a type) when the versions are matched.
 */
static int same_space(const struct mg_ts_decl *a, const struct mg_ts_decl *b)
{
	return (a->kind == MG_TS_DECL_TYPE) == (b->kind == MG_TS_DECL_TYPE);
}

static void pair_by_name(struct side *a, struct side *b)
{
	size_t i, k;

	for (i = 0; i < a->f->decls_nr; i++) {
		const struct mg_ts_decl *d = &a->f->decls[i];

		if (!d->name)
			continue;
		for (k = 0; k < b->f->decls_nr; k++) {
			const struct mg_ts_decl *o = &b->f->decls[k];

			if (b->match[k] < 0 && o->name &&
			    !strcmp(o->name, d->name) && same_space(d, o)) {
				a->match[i] = (int)k;
				b->match[k] = (int)i;
				break;
			}
		}
	}
}

/* Old declaration i of a is new declaration k of b, renamed. */
static void record_rename(struct side *a, size_t i, struct side *b, size_t k,
			  struct renames *rn)
{
	a->match[i] = (int)k;
	b->match[k] = (int)i;
	rn->nr++;
	MG_ALLOC_GROW(rn->from, rn->nr, rn->alloc_from);
	MG_ALLOC_GROW(rn->to, rn->nr, rn->alloc_to);
	rn->from[rn->nr - 1] = a->f->decls[i].name;
	rn->to[rn->nr - 1] = b->f->decls[k].name;
}

/* An old declaration gone and a new one whose tokens differ only there. */
static void find_renames(struct side *a, struct side *b, struct renames *rn)
{
	size_t i, k, pairs = 0;

	for (i = 0; i < a->f->decls_nr; i++) {
		const struct mg_ts_decl *da = &a->f->decls[i];

		if (a->match[i] >= 0 || !da->name || harmless(da))
			continue;
		for (k = 0; k < b->f->decls_nr; k++) {
			const struct mg_ts_decl *db = &b->f->decls[k];
			struct renames one = { 0 };
			const char *names[2];

			if (b->match[k] >= 0 || !db->name || harmless(db) ||
			    db->kind != da->kind || ++pairs > MAX_RENAME_PAIRS)
				continue;
			one.from = &names[0];
			one.to = &names[1];
			names[0] = da->name;
			names[1] = db->name;
			one.nr = 1;
			if (seq_diff(a, i, b, k, &one) != (size_t)-1)
				continue;
			record_rename(a, i, b, k, rn);
			break;
		}
	}
}

/*
 * What is left of the renamed values: an old and a new one with the same
 * callee and SQL name are one table (or enum, ...) renamed and edited:
 * compared, they say what changed in it.
 */
static void pair_by_sql_name(struct side *a, struct side *b,
			     struct renames *rn)
{
	size_t i, k;

	for (i = 0; i < a->f->decls_nr; i++) {
		const struct mg_ts_decl *da = &a->f->decls[i];

		if (a->match[i] >= 0 || !da->name || !da->sql_name ||
		    da->kind != MG_TS_DECL_VALUE || harmless(da))
			continue;
		for (k = 0; k < b->f->decls_nr; k++) {
			const struct mg_ts_decl *db = &b->f->decls[k];

			if (b->match[k] >= 0 || !db->name || !db->sql_name ||
			    db->kind != MG_TS_DECL_VALUE ||
			    strcmp(da->callee, db->callee) ||
			    strcmp(da->sql_name, db->sql_name))
				continue;
			record_rename(a, i, b, k, rn);
			break;
		}
	}
}

/* Unnamed declarations match an equal one on the other side. */
static void pair_unnamed(struct side *a, struct side *b,
			 const struct renames *rn)
{
	size_t i, k;

	for (i = 0; i < a->f->decls_nr; i++) {
		if (a->match[i] >= 0 || a->f->decls[i].name)
			continue;
		for (k = 0; k < b->f->decls_nr; k++)
			if (b->match[k] < 0 && !b->f->decls[k].name &&
			    seq_diff(a, i, b, k, rn) == (size_t)-1) {
				a->match[i] = (int)k;
				b->match[k] = (int)i;
				break;
			}
	}
}

/* Where a declaration of the old version that is gone stood in the new. */
static size_t removed_offset(const struct side *a, const struct side *b,
			     size_t i)
{
	const struct mg_ts_file *nf = b->f;

	for (i++; i < a->f->decls_nr; i++)
		if (a->match[i] >= 0)
			return nf->tokens[nf->decls[a->match[i]].first].start;
	return nf->nr ? nf->tokens[nf->nr - 1].start : 0;
}

static void side_init(struct side *s, const struct mg_ts_file *f)
{
	size_t i;

	s->f = f;
	s->seqs = mg_xcalloc(f->decls_nr + 1, sizeof(*s->seqs));
	s->match = mg_xcalloc(f->decls_nr + 1, sizeof(*s->match));
	for (i = 0; i < f->decls_nr; i++) {
		normalize_range(f, f->decls[i].first,
				f->decls[i].first + f->decls[i].nr,
				&s->seqs[i]);
		s->match[i] = -1;
	}
}

static void side_release(struct side *s)
{
	size_t i;

	for (i = 0; i < s->f->decls_nr; i++)
		free(s->seqs[i].idx);
	free(s->seqs);
	free(s->match);
}

/* A declaration of no interest: named, and not in keep (NULL: all). */
static int skipped(const struct mg_strlist *keep, const struct mg_ts_decl *d)
{
	return keep && d->name && d->kind != MG_TS_DECL_IMPORT &&
	       !mg_strlist_has(keep, d->name);
}

static void schema_effect(struct mg_ts_effect *out,
			  const struct mg_ts_file *before,
			  const struct mg_ts_file *after,
			  const struct mg_strlist *keep, int no_added)
{
	struct side a, b;
	struct renames rn = { 0 };
	size_t i, pos;

	memset(out, 0, sizeof(*out));
	side_init(&a, before);
	side_init(&b, after);
	pair_by_name(&a, &b);
	find_renames(&a, &b, &rn);
	pair_by_sql_name(&a, &b, &rn);
	pair_unnamed(&a, &b, &rn);
	for (i = 0; i < after->decls_nr; i++) {
		const struct mg_ts_decl *d = &after->decls[i];
		const struct seq *s = &b.seqs[i];
		int m = b.match[i];

		if (skipped(keep, d) &&
		    (m < 0 || skipped(keep, &before->decls[m])))
			continue;
		if (m < 0) {
			if (!harmless(d) && !no_added)
				set_effect(out, after->tokens[d->first].start,
					   after, d, "added");
			continue;
		}
		if (harmless(d) && harmless(&before->decls[m]))
			continue;
		pos = seq_diff(&a, (size_t)m, &b, i, &rn);
		if (pos == (size_t)-1)
			continue;
		if (pos >= s->nr)
			pos = s->nr ? s->nr - 1 : 0;
		/* a comma kept before a new item: point at the item */
		if (pos + 1 < s->nr && at(after, s->idx[pos], ",") &&
		    (pos >= a.seqs[m].nr ||
		     is_close(before, a.seqs[m].idx[pos])))
			pos++;
		set_effect(out, s->nr ? after->tokens[s->idx[pos]].start
				      : after->tokens[d->first].start,
			   after, d, "changed");
	}
	for (i = 0; i < before->decls_nr; i++)
		if (a.match[i] < 0 && !harmless(&before->decls[i]) &&
		    !skipped(keep, &before->decls[i]))
			set_effect(out, removed_offset(&a, &b, i),
				   before, &before->decls[i], "removed");
	free(rn.from);
	free(rn.to);
	side_release(&b);
	side_release(&a);
}

void mg_ts_schema_effect(struct mg_ts_effect *out,
			 const struct mg_ts_file *before,
			 const struct mg_ts_file *after)
{
	schema_effect(out, before, after, NULL, 0);
}

void mg_ts_schema_effect_gone(struct mg_ts_effect *out,
			      const struct mg_ts_file *before,
			      const struct mg_ts_file *after)
{
	schema_effect(out, before, after, NULL, 1);
}

void mg_ts_schema_effect_used(struct mg_ts_effect *out,
			      const struct mg_ts_file *before,
			      const struct mg_ts_file *after,
			      const struct mg_strlist *names)
{
	struct mg_strlist keep = MG_STRLIST_INIT, refs = MG_STRLIST_INIT;
	struct mg_strlist nb = MG_STRLIST_INIT;
	size_t i;
	int whole = !names;

	for (i = 0; names && i < names->nr; i++) {
		mg_strlist_push(&keep, names->items[i]);
		mg_strlist_push(&nb, names->items[i]);
	}
	if (!whole) {
		mg_ts_used(before, 0, &keep, &refs);
		mg_ts_used(after, 0, &nb, &refs);
	}
	/* a name neither version declares: unsure, the whole file */
	for (i = 0; !whole && i < names->nr; i++)
		if (!declares(before, names->items[i]) &&
		    !declares(after, names->items[i]))
			whole = 1;
	for (i = 0; i < nb.nr; i++)
		if (!mg_strlist_has(&keep, nb.items[i]))
			mg_strlist_push(&keep, nb.items[i]);
	schema_effect(out, before, after, whole ? NULL : &keep, 0);
	mg_strlist_release(&nb);
	mg_strlist_release(&refs);
	mg_strlist_release(&keep);
}

void mg_ts_effect_release(struct mg_ts_effect *e)
{
	free(e->subject);
	memset(e, 0, sizeof(*e));
}

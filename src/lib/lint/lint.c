/*
 * migguard-lint: review a migration's SQL the way the user workflow's
 * "Review the generated SQL" step asks, with PostgreSQL's own parser.
 *
 * The walk: the file is cut where drizzle's migrator cuts it (every
 * "--> statement-breakpoint", even inside a string), each chunk is split
 * into statements by the scanner and each statement parsed alone, so one
 * bad statement does not hide the rest. DO blocks are parsed as PL/pgSQL
 * and the SQL inside them (EXECUTE of a string literal too) is linted as
 * if it stood at the top level. Every rule of the table (rules.c) sees
 * each piece; findings are collected with byte offsets and the statement
 * they belong to, then filtered by the migguard-ignore directives and
 * mapped to line:column by mg_srcmap. sql-parse-error is the walk's own
 * rule: what cannot be read cannot be reviewed.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migguard/check.h"
#include "migguard/lint.h"
#include "migguard/migdir.h"
#include "migguard/migfolder.h"
#include "migguard/pgparse.h"
#include "migguard/srcmap.h"
#include "migguard/strbuf.h"
#include "rule.h"

#define NO_OWNER (SIZE_MAX - 1) /* an ignore directive before nothing */

static const char breakpoint[] = "--> statement-breakpoint";

/*
 * The next breakpoint at or after from, or NULL. memchr and memcmp, not
 * strstr: the sanitizers' strstr reads the rest of the file on every
 * call, which made 100,000 breakpoints quadratic.
 */
static const char *next_breakpoint(const char *buf, size_t len, size_t from)
{
	const char *p = buf + from, *end = buf + len;
	size_t n = sizeof(breakpoint) - 1;

	while ((size_t)(end - p) >= n) {
		p = memchr(p, '-', (size_t)(end - p) - n + 1);
		if (!p)
			return NULL;
		if (!memcmp(p, breakpoint, n))
			return p;
		p++;
	}
	return NULL;
}

/* ---- the rules' hooks ------------------------------------------------- */

static void rules_tokens(struct mg_lint *l, const struct mg_lint_unit *u)
{
	size_t i, nr;
	const struct mg_lint_rule *const *rules = mg_lint_rules(&nr);

	for (i = 0; i < nr; i++)
		if (rules[i]->tokens)
			rules[i]->tokens(l, u, l->states[i]);
}

static void rules_stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		       const char *type, const struct mg_json *s)
{
	size_t i, nr;
	const struct mg_lint_rule *const *rules = mg_lint_rules(&nr);

	for (i = 0; i < nr; i++)
		if (rules[i]->stmt)
			rules[i]->stmt(l, u, type, s, l->states[i]);
}

static void rules_plpgsql(struct mg_lint *l, const struct mg_lint_unit *u,
			  const char *key, const struct mg_json *node,
			  size_t rel)
{
	size_t i, nr;
	const struct mg_lint_rule *const *rules = mg_lint_rules(&nr);

	for (i = 0; i < nr; i++)
		if (rules[i]->plpgsql)
			rules[i]->plpgsql(l, u, key, node, rel, l->states[i]);
}

static void rules_file(struct mg_lint *l)
{
	size_t i, nr;
	const struct mg_lint_rule *const *rules = mg_lint_rules(&nr);

	for (i = 0; i < nr; i++)
		if (rules[i]->file)
			rules[i]->file(l, l->states[i]);
}

static void states_init(struct mg_lint *l)
{
	size_t i, nr;
	const struct mg_lint_rule *const *rules = mg_lint_rules(&nr);

	l->states = mg_xcalloc(nr ? nr : 1, sizeof(*l->states));
	for (i = 0; i < nr; i++)
		if (rules[i]->state_size)
			l->states[i] = mg_xcalloc(1, rules[i]->state_size);
}

static void states_release(struct mg_lint *l)
{
	size_t i, nr;
	const struct mg_lint_rule *const *rules = mg_lint_rules(&nr);

	if (!l->states)
		return;
	for (i = 0; i < nr; i++) {
		if (l->states[i] && rules[i]->release)
			rules[i]->release(l->states[i]);
		free(l->states[i]);
	}
	free(l->states);
	l->states = NULL;
}

/* ---- units: parse and lint a piece of SQL ----------------------------- */

/* drizzle-kit's DO blocks guard only enums and foreign keys. */
static void count_shape(const struct mg_lint_unit *u, const char *type,
			const struct mg_json *s)
{
	if (!u->shape)
		return;
	u->shape->stmts++;
	if (!u->guarded)
		return;
	if (!strcmp(type, "CreateEnumStmt")) {
		u->shape->generated++;
	} else if (!strcmp(type, "AlterTableStmt")) {
		const struct mg_json *cmds = mg_lint_jarray(s, "cmds");
		size_t i, fk = 0;

		for (i = 0; cmds && i < cmds->nr; i++) {
			const char *sub = mg_json_get_string(
				mg_lint_node_body(cmds->children[i]),
				"subtype");

			fk += sub && !strcmp(sub, "AT_AddConstraint");
		}
		if (cmds && fk == cmds->nr)
			u->shape->generated++;
	}
}

static void unit_release(struct mg_lint_unit *u)
{
	free(u->tokens);
	u->tokens = NULL;
	u->tokens_nr = 0;
}

static void lint_do(struct mg_lint *l, struct mg_lint_unit *u,
		    const struct mg_json *s);

/* Scan, parse and lint u; its text must be NUL-terminated. */
static int lint_unit(struct mg_lint *l, struct mg_lint_unit *u,
		     const char *context)
{
	struct mg_pg_error perr = { NULL, 0, 0 };
	struct mg_json *tree = NULL;
	const struct mg_json *stmts;
	size_t i;
	int err;

	err = mg_pgparse_scan(&u->tokens, &u->tokens_nr, u->text, &perr);
	if (err < 0)
		goto out;
	mg_pg_error_release(&perr);
	rules_tokens(l, u);
	err = mg_pgparse_parse(&tree, u->text, &perr);
	if (err < 0)
		goto out;
	if (perr.message && perr.limit) {
		/* Valid SQL migguard cannot review: not a deploy failure. */
		mg_lint_add(l, "sql-parse-error", mg_lint_pos(u, perr.offset),
			    u->stmt, "split the expression, or review the "
			    "statement by hand", "%s%s", context,
			    perr.message);
		l->findings[l->findings_nr - 1].warning = 1;
		goto out;
	}
	if (perr.message) {
		mg_lint_add(l, "sql-parse-error", mg_lint_pos(u, perr.offset),
			    u->stmt, "fix the statement: the migration fails "
			    "when it reaches it", "%s%s", context,
			    perr.message);
		goto out;
	}
	stmts = mg_lint_jarray(tree, "stmts");
	for (i = 0; stmts && i < stmts->nr; i++) {
		const struct mg_json *node =
			mg_json_get(stmts->children[i], "stmt");
		const char *type = mg_lint_node_type(node);
		const struct mg_json *body = mg_lint_node_body(node);

		count_shape(u, type, body);
		if (!strcmp(type, "DoStmt"))
			lint_do(l, u, body);
		rules_stmt(l, u, type, body);
		u->do_drizzle = 0;
	}
out:
	mg_json_free(tree);
	mg_pg_error_release(&perr);
	return err;
}

struct do_ctx {
	struct mg_lint_unit *u; /* the unit holding the DO statement */
	const char *body;	/* NUL-terminated */
	size_t body_len;
	size_t *lines; /* offset in body of each line's start */
	size_t lines_nr;
	size_t body_rel;	/* offset of body in u->text */
	int exact;		/* body is u->text's bytes at body_rel */
	size_t fallback;	/* file offset when positions are unknown */
	struct mg_lint_do_shape shape;
};

static void index_lines(struct do_ctx *d)
{
	size_t i, alloc = 0;

	d->lines_nr = 1;
	MG_ALLOC_GROW(d->lines, d->lines_nr, alloc);
	d->lines[0] = 0;
	for (i = 0; i < d->body_len; i++) {
		if (d->body[i] != '\n')
			continue;
		d->lines_nr++;
		MG_ALLOC_GROW(d->lines, d->lines_nr, alloc);
		d->lines[d->lines_nr - 1] = i + 1;
	}
}

/* Offset in the body of the first byte of 1-based line. */
static size_t body_line(const struct do_ctx *d, long lineno)
{
	if (lineno < 1)
		return 0;
	if ((size_t)lineno > d->lines_nr)
		return d->body_len;
	return d->lines[lineno - 1];
}

/*
 * needle in hay[from, len), or NULL: memchr and memcmp read no further
 * than the match (the sanitizers' strstr reads all of hay each call).
 */
static const char *find_text(const char *hay, size_t len, size_t from,
			     const char *needle)
{
	size_t n = strlen(needle);
	const char *p = hay + from, *end = hay + len;

	if (!n)
		return p;
	while ((size_t)(end - p) >= n) {
		p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
		if (!p)
			return NULL;
		if (!memcmp(p, needle, n))
			return p;
		p++;
	}
	return NULL;
}

static int lint_do_sql(struct mg_lint *l, struct do_ctx *d, const char *query,
		       long lineno, int guarded, int literal)
{
	struct mg_lint_unit sub;
	struct mg_strbuf text = MG_STRBUF_INIT;
	const char *at = find_text(d->body, d->body_len,
				   body_line(d, lineno), query);
	size_t pos, i;
	int err, exact = 1;

	if (!at)
		at = find_text(d->body, d->body_len, 0, query);
	pos = at ? (size_t)(at - d->body) : 0;
	if (literal) {
		/* 'DROP TABLE "x"': the SQL inside the quotes. */
		for (i = 1; query[i] && query[i + 1]; i++) {
			mg_strbuf_addch(&text, query[i]);
			if (query[i] == '\'') {
				i++;
				exact = 0;
			}
		}
		pos++;
	} else {
		mg_strbuf_adds(&text, query);
	}
	memset(&sub, 0, sizeof(sub));
	sub.text = text.buf ? text.buf : "";
	sub.len = text.len;
	sub.exact = at && exact && d->exact;
	sub.base = d->u->base + d->body_rel + pos;
	sub.fallback = at && d->exact ? sub.base : d->fallback;
	if (!d->u->exact) {
		sub.exact = 0;
		sub.fallback = d->fallback;
	}
	sub.stmt = d->u->stmt;
	sub.in_do = 1;
	sub.guarded = guarded;
	sub.shape = &d->shape;
	err = lint_unit(l, &sub, "in DO block: ");
	unit_release(&sub);
	mg_strbuf_release(&text);
	return err;
}

/* A block that catches duplicate_object (or everything) guards its body. */
static int block_guards(const struct mg_json *block)
{
	const struct mg_json *exc =
		mg_lint_node_body(mg_json_get(block, "exceptions"));
	const struct mg_json *list = mg_lint_jarray(exc, "exc_list");
	size_t i, j;

	for (i = 0; list && i < list->nr; i++) {
		const struct mg_json *conds = mg_lint_jarray(
			mg_lint_node_body(list->children[i]), "conditions");

		for (j = 0; conds && j < conds->nr; j++) {
			const char *name = mg_json_get_string(
				mg_lint_node_body(conds->children[j]),
				"condname");

			if (name && (!strcmp(name, "duplicate_object") ||
				     !strcmp(name, "others")))
				return 1;
		}
	}
	return 0;
}

static const char *expr_query(const struct mg_json *expr)
{
	return mg_json_get_string(mg_lint_node_body(expr), "query");
}

static int walk_plpgsql(struct mg_lint *l, struct do_ctx *d,
			const struct mg_json *j, int guarded)
{
	size_t i;
	int err = 0;

	if (!j || (j->type != MG_JSON_OBJECT && j->type != MG_JSON_ARRAY))
		return 0;
	for (i = 0; i < j->nr && err >= 0; i++) {
		const struct mg_json *c = j->children[i];
		const char *key = c->key ? c->key : "";
		long lineno = mg_lint_jint(c, "lineno", 1);
		int g = guarded;

		if (!strncmp(key, "PLpgSQL_stmt_", 13))
			rules_plpgsql(l, d->u, key, c,
				      d->exact ? d->body_rel +
							 body_line(d, lineno)
					       : d->body_rel);
		if (!strcmp(key, "PLpgSQL_stmt_execsql")) {
			const char *q = expr_query(mg_json_get(c, "sqlstmt"));

			if (q)
				err = lint_do_sql(l, d, q, lineno, guarded, 0);
			continue;
		}
		if (!strcmp(key, "PLpgSQL_stmt_dynexecute")) {
			const char *q = expr_query(mg_json_get(c, "query"));
			size_t n = q ? strlen(q) : 0;

			if (n >= 2 && q[0] == '\'' && q[n - 1] == '\'')
				err = lint_do_sql(l, d, q, lineno, guarded, 1);
			else
				d->shape.dynamic = 1;
			continue;
		}
		if (!strcmp(key, "PLpgSQL_stmt_block") && block_guards(c))
			g = 1;
		if (!strcmp(key, "PLpgSQL_stmt_if")) {
			const char *cond = expr_query(mg_json_get(c, "cond"));

			if (cond && strstr(cond, "EXISTS"))
				g = 1;
			if (cond && strstr(cond, "exists"))
				g = 1;
		}
		err = walk_plpgsql(l, d, c, g);
	}
	return err;
}

/*
 * libpg_query 15-4.0.0 gives PL/pgSQL errors no position (cursorpos 0):
 * find the word of 'syntax error at or near "X"' in the body instead.
 */
static size_t near_offset(const char *body, const char *message)
{
	const char *near = strstr(message, "at or near \"");
	const char *p, *end;
	char *word;
	size_t ret = 0, n;

	if (!near)
		return 0;
	near += strlen("at or near \"");
	end = strrchr(near, '"');
	if (!end || end == near)
		return 0;
	word = mg_xstrndup(near, (size_t)(end - near));
	n = strlen(word);
	for (p = strstr(body, word); p; p = strstr(p + 1, word)) {
		if ((p == body || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n])) {
			ret = (size_t)(p - body);
			break;
		}
	}
	free(word);
	return ret;
}

/* Lint the SQL of a DO body; sets u->do_drizzle for the rules. */
static void lint_do(struct mg_lint *l, struct mg_lint_unit *u,
		    const struct mg_json *s)
{
	const struct mg_json *args = mg_lint_jarray(s, "args");
	const char *body = NULL, *lang = NULL;
	struct mg_pg_error perr = { NULL, 0, 0 };
	struct mg_json *tree = NULL;
	struct do_ctx d;
	size_t i, loc = mg_lint_first(u);

	memset(&d, 0, sizeof(d));
	u->do_drizzle = 0;
	for (i = 0; args && i < args->nr; i++) {
		const struct mg_json *de = mg_lint_node_body(args->children[i]);
		const char *name = mg_json_get_string(de, "defname");
		const char *val = mg_json_get_string(
			mg_lint_node_body(mg_json_get(de, "arg")), "sval");

		if (name && !strcmp(name, "as")) {
			body = val;
			loc = (size_t)mg_lint_jint(de, "location", (long)loc);
		} else if (name && !strcmp(name, "language")) {
			lang = val;
		}
	}
	if (!body || (lang && strcmp(lang, "plpgsql")))
		return;
	d.u = u;
	d.body = body;
	d.body_len = strlen(body);
	index_lines(&d);
	d.fallback = mg_lint_pos(u, loc);
	/* Where the body starts: after $tag$ or the opening quote. */
	d.body_rel = loc;
	if (loc < u->len && u->text[loc] == '$') {
		const char *end = strchr(u->text + loc + 1, '$');

		if (end)
			d.body_rel = (size_t)(end - u->text) + 1;
	} else if (loc < u->len && u->text[loc] == '\'') {
		d.body_rel = loc + 1;
	}
	d.exact = d.body_rel + d.body_len <= u->len &&
		  !memcmp(u->text + d.body_rel, body, d.body_len);
	if (mg_pgparse_plpgsql(&tree, body, &perr) < 0) {
		l->failed = 1;
		goto out;
	}
	if (perr.message) {
		mg_lint_add(l, "sql-parse-error",
			    d.exact ? mg_lint_pos(u, d.body_rel +
						  near_offset(body,
							      perr.message))
				    : d.fallback,
			    u->stmt, "fix the block: the migration fails "
			    "when it reaches it", "in DO block: %s",
			    perr.message);
		goto out;
	}
	if (walk_plpgsql(l, &d, tree, u->guarded) < 0)
		l->failed = 1;
out:
	u->do_drizzle = d.shape.stmts && !d.shape.dynamic &&
			d.shape.generated == d.shape.stmts;
	free(d.lines);
	mg_json_free(tree);
	mg_pg_error_release(&perr);
}

/* ---- the file: chunks, statements, directives ------------------------- */

static void push_token(struct mg_lint *l, const struct mg_pg_token *t,
		       size_t shift)
{
	l->tokens_nr++;
	MG_ALLOC_GROW(l->tokens, l->tokens_nr, l->tokens_alloc);
	l->tokens[l->tokens_nr - 1] = *t;
	l->tokens[l->tokens_nr - 1].start += shift;
	l->tokens[l->tokens_nr - 1].end += shift;
}

static void push_stmt(struct mg_lint *l, size_t start, size_t end)
{
	struct mg_lint_stmt *s;

	l->stmts_nr++;
	MG_ALLOC_GROW(l->stmts, l->stmts_nr, l->stmts_alloc);
	s = &l->stmts[l->stmts_nr - 1];
	memset(s, 0, sizeof(*s));
	s->start = start;
	s->end = end;
}

/*
 * The statements of one chunk: the scanner's split, plus what it left
 * out (see mg_pgparse_split) up to the next ';'.
 */
static int split_chunk(struct mg_lint *l, size_t cstart, size_t cend)
{
	struct mg_pg_error perr = { NULL, 0, 0 };
	struct mg_pg_token *toks = NULL;
	struct mg_pg_range *ranges = NULL;
	char *text = mg_xstrndup(l->buf + cstart, cend - cstart);
	size_t ntoks = 0, nranges = 0, i, r = 0, gap = SIZE_MAX, gap_end = 0;
	int err;

	err = mg_pgparse_scan(&toks, &ntoks, text, &perr);
	if (err < 0)
		goto out;
	if (perr.message) {
		mg_lint_add(l, "sql-parse-error", cstart + perr.offset,
			    MG_LINT_NO_STMT, "fix the SQL; drizzle cuts the "
			    "file at every '--> statement-breakpoint', even "
			    "inside a string", "%s", perr.message);
		goto out;
	}
	err = mg_pgparse_split(&ranges, &nranges, text, &perr);
	if (err < 0)
		goto out;
	for (i = 0; i < ntoks; i++) {
		const struct mg_pg_token *t = &toks[i];
		int covered;

		push_token(l, t, cstart);
		while (r < nranges &&
		       ranges[r].start + ranges[r].len <= t->start)
			r++;
		covered = r < nranges && ranges[r].start <= t->start;
		if (covered || t->kind == MG_PG_TOKEN_SEMICOLON) {
			if (gap != SIZE_MAX)
				push_stmt(l, cstart + gap, cstart + gap_end);
			gap = SIZE_MAX;
		}
		if (covered && (i == 0 || toks[i - 1].start < ranges[r].start))
			push_stmt(l, cstart + ranges[r].start,
				  cstart + ranges[r].start + ranges[r].len);
		if (covered || t->kind == MG_PG_TOKEN_COMMENT ||
		    t->kind == MG_PG_TOKEN_SEMICOLON)
			continue;
		if (gap == SIZE_MAX)
			gap = t->start;
		gap_end = t->end;
	}
	if (gap != SIZE_MAX)
		push_stmt(l, cstart + gap, cstart + gap_end);
out:
	mg_pg_error_release(&perr);
	free(ranges);
	free(toks);
	free(text);
	return err;
}

/* "-- migguard-ignore a,b why": 1 and the rule list, or 0. */
static int parse_directive(const char *c, size_t n, int *file, char **rules)
{
	static const char word[] = "migguard-ignore";
	size_t i = 2, j;

	if (n < 2 || c[0] != '-' || c[1] != '-')
		return 0;
	while (i < n && (c[i] == ' ' || c[i] == '\t'))
		i++;
	if (n - i < strlen(word) || strncmp(c + i, word, strlen(word)))
		return 0;
	i += strlen(word);
	*file = 0;
	if (n - i >= 5 && !strncmp(c + i, "-file", 5)) {
		*file = 1;
		i += 5;
	}
	if (i < n && c[i] != ' ' && c[i] != '\t' && c[i] != '\r')
		return 0;
	while (i < n && (c[i] == ' ' || c[i] == '\t'))
		i++;
	j = i;
	while (j < n && c[j] != ' ' && c[j] != '\t' && c[j] != '\r')
		j++;
	*rules = mg_xstrndup(c + i, j - i);
	return 1;
}

static void add_directive(struct mg_lint *l, const struct mg_pg_token *t,
			  size_t owner)
{
	char *rules = NULL, *p, *save = NULL;
	int file = 0;

	if (!parse_directive(l->buf + t->start, t->end - t->start, &file,
			     &rules))
		return;
	if (!*rules)
		mg_lint_add(l, "sql-parse-error", t->start, MG_LINT_NO_STMT,
			    "name the rules: -- migguard-ignore RULE[,RULE] "
			    "reason", "migguard-ignore names no rule");
	for (p = strtok_r(rules, ",", &save); p;
	     p = strtok_r(NULL, ",", &save)) {
		const struct mg_rule *rule = mg_rule_find(p);
		struct mg_lint_ignore *ig;

		if (!rule || strcmp(rule->check, "lint")) {
			mg_lint_add(l, "sql-parse-error", t->start,
				    MG_LINT_NO_STMT, "use a lint rule id, as "
				    "shown in brackets after a finding",
				    "unknown rule '%s' in migguard-ignore", p);
			continue;
		}
		l->ignores_nr++;
		MG_ALLOC_GROW(l->ignores, l->ignores_nr, l->ignores_alloc);
		ig = &l->ignores[l->ignores_nr - 1];
		ig->rule = mg_xstrdup(rule->id);
		ig->offset = t->start;
		ig->stmt = file ? MG_LINT_NO_STMT : owner;
		ig->used = 0;
	}
	free(rules);
}

static int is_header(const struct mg_lint *l, const struct mg_pg_token *t)
{
	static const char word[] = "manual addition";
	const char *c = l->buf + t->start;
	size_t n = t->end - t->start, i = 2;

	if (n < 2 || c[0] != '-' || c[1] != '-')
		return 0;
	while (i < n && (c[i] == ' ' || c[i] == '\t' || c[i] == '-'))
		i++;
	return n - i >= strlen(word) &&
	       !strncasecmp(c + i, word, strlen(word));
}

/* First tokens, leading comments: headers and ignore directives. */
static void attach_comments(struct mg_lint *l)
{
	unsigned char *claimed = mg_xcalloc(l->tokens_nr + 1, 1);
	size_t s, t = 0, j;

	for (s = 0; s < l->stmts_nr; s++) {
		struct mg_lint_stmt *st = &l->stmts[s];

		while (t < l->tokens_nr && (l->tokens[t].start < st->start ||
					    l->tokens[t].kind ==
						    MG_PG_TOKEN_COMMENT))
			t++;
		if (t >= l->tokens_nr || l->tokens[t].start >= st->end) {
			st->first = SIZE_MAX; /* only comments */
			continue;
		}
		st->first = l->tokens[t].start;
		st->first_tok = t;
		for (j = t; j > 0 && l->tokens[j - 1].kind ==
					     MG_PG_TOKEN_COMMENT; j--) {
			claimed[j - 1] = 1;
			if (is_header(l, &l->tokens[j - 1]))
				st->header = 1;
			add_directive(l, &l->tokens[j - 1], s);
		}
	}
	for (j = 0; j < l->tokens_nr; j++)
		if (!claimed[j] && l->tokens[j].kind == MG_PG_TOKEN_COMMENT)
			add_directive(l, &l->tokens[j], NO_OWNER);
	free(claimed);
}

/* ---- findings out ------------------------------------------------------ */

static int ignored(struct mg_lint *l, const struct mg_lint_finding *f)
{
	size_t i;
	int hit = 0;

	for (i = 0; i < l->ignores_nr; i++) {
		struct mg_lint_ignore *ig = &l->ignores[i];

		if (strcmp(ig->rule, f->rule))
			continue;
		if (ig->stmt == MG_LINT_NO_STMT ||
		    (f->stmt != MG_LINT_NO_STMT && ig->stmt == f->stmt)) {
			ig->used = 1;
			hit = 1;
		}
	}
	return hit;
}

static void emit(struct mg_lint *l, const struct mg_lint_finding *f)
{
	size_t before = l->r->nr;
	unsigned line, col;

	mg_srcmap_locate(&l->map, f->offset, &line, &col);
	mg_report_add(l->r, f->rule, l->in->path, line, col, f->hint, "%s",
		      f->message);
	/*
	 * Identity across commits: the statement's text from its first
	 * token (comments before it aside), not its line.
	 */
	if (f->stmt < l->stmts_nr && l->stmts[f->stmt].end <= l->len &&
	    l->stmts[f->stmt].first < l->stmts[f->stmt].end) {
		const struct mg_lint_stmt *s = &l->stmts[f->stmt];

		mg_report_anchor(l->r, before, l->buf + s->first,
				 s->end - s->first);
	}
	if (f->warning && l->r->nr > before &&
	    l->r->items[l->r->nr - 1].severity == MG_SEVERITY_ERROR)
		l->r->items[l->r->nr - 1].severity = MG_SEVERITY_WARNING;
}

static void emit_all(struct mg_lint *l)
{
	size_t i, n;

	for (i = 0; i < l->findings_nr; i++)
		if (!ignored(l, &l->findings[i]) &&
		    (!l->only || !strcmp(l->only, l->findings[i].rule)))
			emit(l, &l->findings[i]);
	n = l->findings_nr;
	for (i = 0; i < l->ignores_nr; i++) {
		const struct mg_lint_ignore *ig = &l->ignores[i];

		if (ig->used || l->only)
			continue;
		mg_lint_add(l, ig->rule, ig->offset, MG_LINT_NO_STMT, NULL,
			    "migguard-ignore%s %s silences nothing",
			    ig->stmt == MG_LINT_NO_STMT ? "-file" : "",
			    ig->rule);
		l->findings[l->findings_nr - 1].warning = 1;
		l->findings[l->findings_nr - 1].hint = mg_xstrdup(
			"remove it, or move it to the line right before the "
			"statement it is meant for");
	}
	for (i = n; i < l->findings_nr; i++)
		emit(l, &l->findings[i]);
}

/* ---- the file --------------------------------------------------------- */

static void check_encoding(struct mg_lint *l)
{
	size_t i, bad;

	if (l->len >= 3 && !memcmp(l->buf, "\xEF\xBB\xBF", 3)) {
		mg_lint_add(l, "sql-parse-error", 0, MG_LINT_NO_STMT,
			    "save the file as UTF-8 without a byte order "
			    "mark", "file starts with a byte order mark, "
			    "which postgresql reads as part of the first "
			    "statement");
		memset(l->buf, ' ', 3);
	}
	for (i = 0; i < l->len; i++) {
		if (l->buf[i])
			continue;
		mg_lint_add(l, "sql-parse-error", i, MG_LINT_NO_STMT,
			    "remove the NUL bytes", "file holds a NUL byte");
		for (; i < l->len; i++)
			if (!l->buf[i])
				l->buf[i] = ' ';
	}
	bad = mg_utf8_valid_prefix(l->buf, l->len);
	if (bad < l->len)
		mg_lint_add(l, "sql-parse-error", bad, MG_LINT_NO_STMT,
			    "save the file as UTF-8: drizzle replaces invalid "
			    "bytes with U+FFFD, so the database gets other "
			    "text than the file holds",
			    "invalid utf-8 byte 0x%02x",
			    (unsigned char)l->buf[bad]);
}

static void lint_release(struct mg_lint *l)
{
	size_t i;

	states_release(l);
	for (i = 0; i < l->findings_nr; i++) {
		free(l->findings[i].message);
		free(l->findings[i].hint);
	}
	free(l->findings);
	for (i = 0; i < l->ignores_nr; i++)
		free(l->ignores[i].rule);
	free(l->ignores);
	free(l->stmts);
	free(l->tokens);
	mg_srcmap_release(&l->map);
	free(l->buf);
}

static int lint_sql(struct mg_report *r, const struct mg_lint_options *opts,
		    const struct mg_lint_input *in, const char *only)
{
	struct mg_lint l;
	size_t i, start = 0;
	const char *mark;
	int err = 0;

	memset(&l, 0, sizeof(l));
	l.only = only;
	l.r = r;
	l.opts = opts;
	l.in = in;
	l.len = in->len;
	l.buf = mg_xmalloc(in->len + 1);
	if (in->len)
		memcpy(l.buf, in->sql, in->len);
	l.buf[in->len] = '\0';
	/* The file as it is, BOM included: columns count what is there. */
	mg_srcmap_init(&l.map, in->sql, in->len);
	/* guardsFromIndex < 0 (or no options): no guard convention. */
	l.guards = opts && opts->guards_from_index >= 0 &&
		   (in->index < 0 ||
		    in->index >= (long long)opts->guards_from_index);
	l.custom = in->custom ||
		   mg_starts_with(l.buf, "-- Custom SQL migration file");
	states_init(&l);
	check_encoding(&l);
	/* The migrator's chunks: the file cut at every breakpoint. */
	for (;;) {
		mark = next_breakpoint(l.buf, l.len, start);
		err = split_chunk(&l, start,
				  mark ? (size_t)(mark - l.buf) : l.len);
		if (err < 0 || !mark)
			break;
		start = (size_t)(mark - l.buf) + strlen(breakpoint);
	}
	if (err < 0)
		goto out;
	attach_comments(&l);
	for (i = 0; i < l.stmts_nr; i++) {
		struct mg_lint_stmt *s = &l.stmts[i];
		struct mg_lint_unit u;
		char *text;

		if (s->first == SIZE_MAX)
			continue;
		text = mg_xstrndup(l.buf + s->start, s->end - s->start);
		memset(&u, 0, sizeof(u));
		u.text = text;
		u.len = s->end - s->start;
		u.base = s->start;
		u.exact = 1;
		u.stmt = i;
		err = lint_unit(&l, &u, "");
		unit_release(&u);
		free(text);
		if (err < 0)
			goto out;
	}
	if (l.failed) {
		err = MG_ERROR;
		goto out;
	}
	rules_file(&l);
	emit_all(&l);
out:
	lint_release(&l);
	return err;
}

int mg_lint_sql(struct mg_report *r, const struct mg_lint_options *opts,
		const struct mg_lint_input *in)
{
	return lint_sql(r, opts, in, NULL);
}

int mg_lint_transaction_control(struct mg_report *r, const char *path,
				const char *sql, size_t len)
{
	struct mg_lint_input in;
	size_t before = r->nr;
	int err;

	memset(&in, 0, sizeof(in));
	in.path = path;
	in.sql = sql;
	in.len = len;
	in.index = -1;
	err = lint_sql(r, NULL, &in, "transaction-control");
	return err < 0 ? err : (int)(r->nr - before);
}

/* migguard's own limits (size, file type) are warnings: not deploy failures. */
void mg_lint_unreadable(struct mg_report *r, const char *path, int err)
{
	size_t before = r->nr;

	if (err == MG_ETOOBIG)
		mg_report_add(r, "sql-parse-error", path, 0, 0,
			      "split it into migrations under the limit: "
			      "migguard reads no larger file",
			      "migration is too large to review (over %u "
			      "MiB)", MG_TREE_MAX_FILE >> 20);
	else
		mg_report_add(r, "sql-parse-error", path, 0, 0,
			      "a migration must be a regular text file",
			      "%s", mg_error_last());
	if (r->nr > before &&
	    r->items[r->nr - 1].severity == MG_SEVERITY_ERROR)
		r->items[r->nr - 1].severity = MG_SEVERITY_WARNING;
}

/* What load_snapshot reads of a snapshot. */
static const char *const snapshot_paths[] = {
	"tables/*/name",
	"tables/*/schema",
	"tables/*/indexes/*",
	"tables/*/foreignKeys/*",
	"tables/*/uniqueConstraints/*",
	"tables/*/compositePrimaryKeys/*",
	"tables/*/checkConstraints/*",
	"tables/*/columns/*/type", /* rename-as-drop */
};

/*
 * The snapshot before a migration, as far as load_snapshot reads it: the
 * migdir's tree when another check parsed it, else a small tree of the
 * names only (*own, the caller's), else (text the strict reader refuses)
 * the full parse. NULL when it cannot be read or is not JSON.
 */
static const struct mg_json *prev_snapshot(struct mg_migdir *d,
					   struct mg_migration *pm,
					   struct mg_json **own)
{
	const struct mg_json *full = NULL;
	const char *text;
	size_t len;

	*own = NULL;
	if (pm->snapshot)
		return pm->snapshot;
	if (mg_migdir_snapshot_text(d, pm, &text, &len) < 0)
		return NULL;
	if (mg_json_parse_paths(own, text, len, snapshot_paths,
				sizeof(snapshot_paths) /
					sizeof(snapshot_paths[0]),
				NULL) >= 0)
		return *own;
	if (mg_migdir_snapshot(d, pm, &full) < 0)
		return NULL;
	return full;
}

/*
 * The folder layout's replayed schema, kept from one file to the next:
 * --all goes through the folders in order, so each state is the last one
 * and one diff, not a replay from the base.
 */
struct replay {
	struct mg_ddl_state state;
	struct mg_folder_migration *at; /* the state after it, or NULL */
};

static void replay_release(struct replay *rp)
{
	if (rp->at)
		mg_ddl_state_release(&rp->state);
	rp->at = NULL;
}

/* From rp->at to to, when to is a diff whose one parent is rp->at. */
static int replay_step(struct replay *rp, struct mg_migfolder *f,
		       struct mg_folder_migration *to)
{
	const struct mg_folder_snapshot *s;
	const struct mg_json *j;

	if (!rp->at || mg_migfolder_fields(f, to, &s) < 0 ||
	    s->kind != MG_SNAPSHOT_DIFF || !s->has_deltas || s->has_ddl ||
	    s->prev_ids_nr != 1 ||
	    mg_migfolder_find_id(f, s->prev_ids[0]) != rp->at ||
	    mg_migfolder_snapshot(f, to, &j) < 0)
		return -1;
	if (mg_ddl_state_apply(&rp->state, mg_json_get(j, "deltas"),
			       to->snapshot_text, to->snapshot_len) < 0) {
		replay_release(rp);
		return -1;
	}
	rp->at = to;
	return 0;
}

/*
 * The folder layout: the schema before m, replayed up to its first
 * parent (prevIds[0]), or NULL. A snapshot the replay cannot read is the
 * journal check's: lint goes on without.
 */
static const struct mg_ddl_state *prev_state(struct replay *rp,
					     struct mg_migdir *d,
					     struct mg_migration *m)
{
	struct mg_folder_migration *fm = mg_migdir_folder_item(d, m);
	struct mg_folder_migration *parent;
	const struct mg_folder_snapshot *s;

	if (!fm || mg_migfolder_fields(d->folder, fm, &s) < 0 ||
	    !s->prev_ids_nr)
		return NULL;
	parent = mg_migfolder_find_id(d->folder, s->prev_ids[0]);
	if (!parent || parent == fm)
		return NULL;
	if (rp->at == parent || replay_step(rp, d->folder, parent) >= 0)
		return &rp->state;
	replay_release(rp);
	if (mg_migfolder_state(&rp->state, d->folder, parent) < 0)
		return NULL;
	rp->at = parent;
	return &rp->state;
}

/*
 * Change-set modes: the schema of the newest published migration, for the
 * drops of what the change itself created (mg_lint_unpublished).
 */
struct published {
	int known;
	struct mg_migdir *d; /* the published folder, or NULL */
	const struct mg_json *snapshot;
	struct mg_ddl_state state;
	int has_state;
};

/*
 * The one leaf of the published folders (a folder no other one names in
 * its prevIds), or NULL: two leaves not merged yet hold objects that
 * neither state has alone, and a snapshot that cannot be read says nothing.
 */
static struct mg_folder_migration *published_leaf(struct mg_migfolder *f)
{
	unsigned char *named = mg_xcalloc(f->nr ? f->nr : 1, 1);
	struct mg_folder_migration *leaf = NULL;
	size_t i, k, leaves = 0;

	for (i = 0; i < f->nr; i++) {
		const struct mg_folder_snapshot *s;

		if (mg_migfolder_fields(f, &f->items[i], &s) < 0) {
			free(named);
			return NULL;
		}
		for (k = 0; k < s->prev_ids_nr; k++) {
			struct mg_folder_migration *p =
				mg_migfolder_find_id(f, s->prev_ids[k]);

			if (p)
				named[p - f->items] = 1;
		}
	}
	for (i = 0; i < f->nr; i++)
		if (!named[i]) {
			leaf = &f->items[i];
			leaves++;
		}
	free(named);
	return leaves == 1 ? leaf : NULL;
}

/*
 * Can the migration at path hold a DROP (the only statements the
 * published schema is read for)? Without the word anywhere in its text,
 * no statement the parser reads is one; reading the published folder
 * (every snapshot, a replay on the folder layout) is then not needed.
 */
static int may_drop(struct mg_migdir *d, const char *path)
{
	struct mg_migration *m = mg_migdir_find_path(d, path);
	const char *sql;
	size_t len, i;

	if (!m || mg_migdir_sql(d, m, &sql, &len) < 0)
		return 1;
	for (i = 0; i + 4 <= len; i++)
		if ((sql[i] | 0x20) == 'd' && (sql[i + 1] | 0x20) == 'r' &&
		    (sql[i + 2] | 0x20) == 'o' && (sql[i + 3] | 0x20) == 'p')
			return 1;
	return 0;
}

static void published_load(struct published *pub, struct mg_context *ctx,
			   const struct mg_migdir *head,
			   const struct mg_project *p)
{
	struct mg_migration *last;
	struct mg_tree *tree;

	if (mg_context_published(&tree, ctx) < 0 ||
	    mg_context_migdir_at(&pub->d, ctx, tree, p) < 0) {
		pub->d = NULL;
		return; /* not known: every drop is reported */
	}
	if (!pub->d->nr) {
		pub->known = 1; /* nothing published */
		return;
	}
	last = &pub->d->items[pub->d->nr - 1];
	if (head->folder && pub->d->folder) {
		struct mg_folder_migration *fm = published_leaf(pub->d->folder);

		if (fm && mg_migfolder_state(&pub->state, pub->d->folder,
					     fm) >= 0) {
			pub->has_state = pub->known = 1;
			return;
		}
	} else if (!head->folder && !pub->d->folder &&
		   mg_migdir_snapshot(pub->d, last, &pub->snapshot) >= 0) {
		pub->known = 1;
	}
}

static void published_release(struct mg_context *ctx, struct published *pub)
{
	if (pub->has_state)
		mg_ddl_state_release(&pub->state);
	if (pub->d)
		mg_context_migdir_put(ctx, pub->d);
	memset(pub, 0, sizeof(*pub));
}

/* path is a migration the change adds (not in the published folder). */
static int added_by_change(const struct mg_context *ctx,
			   const struct published *pub, const char *path)
{
	size_t i;

	if (ctx->cs->mode == MG_CHANGESET_ALL || ctx->at_base || !pub->known)
		return 0;
	if (pub->d && mg_migdir_find_path(pub->d, path))
		return 0;
	for (i = 0; i < ctx->cs->nr; i++)
		if (ctx->cs->changes[i].status == MG_CHANGE_ADDED &&
		    !strcmp(ctx->cs->changes[i].path, path))
			return 1;
	return 0;
}

static int lint_file(struct mg_report *r, struct mg_context *ctx,
		     struct mg_migdir *d, struct replay *rp,
		     const struct published *pub, const char *path)
{
	struct mg_migration *m = mg_migdir_find_path(d, path);
	const struct mg_json *prev = NULL;
	struct mg_json *prev_own = NULL;
	const struct mg_ddl_state *state = NULL;
	struct mg_lint_input in;
	char *own = NULL;
	const char *sql;
	size_t len;
	int err;

	if (m && d->folder) {
		err = mg_migdir_sql(d, m, &sql, &len);
		if (err >= 0)
			state = prev_state(rp, d, m);
	} else if (m) {
		size_t k = (size_t)(m - d->items);

		err = mg_migdir_sql(d, m, &sql, &len);
		if (k > 0)
			prev = prev_snapshot(d, &d->items[k - 1], &prev_own);
	} else {
		err = mg_tree_read(ctx->cs->head, path, &own, &len);
		sql = own;
	}
	if (err == MG_ENOTFOUND)
		goto out;
	if (err < 0) {
		mg_lint_unreadable(r, path, err);
		err = 0;
		goto out;
	}
	memset(&in, 0, sizeof(in));
	in.path = path;
	in.sql = sql;
	in.len = len;
	in.index = m ? m->idx : -1;
	in.prev_snapshot = prev;
	in.prev_state = state;
	if (m && added_by_change(ctx, pub, path)) {
		in.published_known = 1;
		in.published_snapshot = pub->snapshot;
		in.published_state = pub->has_state ? &pub->state : NULL;
	}
	err = mg_lint_sql(r, &ctx->config->lint, &in);
	/* --all goes through the folder in order: the next one needs m's. */
	if (m && m > d->items && ctx->cs->mode == MG_CHANGESET_ALL)
		mg_migdir_snapshot_release(d, m - 1);
out:
	mg_json_free(prev_own);
	free(own);
	return err;
}

/* A rename that keeps the bytes: no new SQL to review. */
static int pure_move(const struct mg_changeset *cs, const struct mg_change *c)
{
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	int same;

	if (c->status != MG_CHANGE_RENAMED || !c->old_path || !cs->base)
		return 0;
	same = mg_tree_read(cs->base, c->old_path, &a, &alen) >= 0 &&
	       mg_tree_read(cs->head, c->path, &b, &blen) >= 0 &&
	       alen == blen && !memcmp(a, b, alen);
	free(a);
	free(b);
	return same;
}

static int lint_project(struct mg_report *r, struct mg_context *ctx,
			const struct mg_project *p)
{
	struct mg_strlist files = MG_STRLIST_INIT;
	struct mg_migdir *d = NULL;
	struct replay rp;
	struct published pub;
	size_t i;
	int err;

	memset(&rp, 0, sizeof(rp));
	memset(&pub, 0, sizeof(pub));
	if (ctx->cs->mode != MG_CHANGESET_ALL) {
		/* New and changed migrations only: deleted ones are gone. */
		for (i = 0; i < ctx->cs->nr; i++) {
			const struct mg_change *c = &ctx->cs->changes[i];

			if (c->status != MG_CHANGE_DELETED &&
			    mg_migdir_is_sql(p->migrations, c->path) &&
			    !pure_move(ctx->cs, c))
				mg_strlist_push(&files,
						ctx->at_base && c->old_path
							? c->old_path
							: c->path);
		}
		if (!files.nr)
			return 0;
	}
	err = mg_context_migdir(&d, ctx, p);
	if (err < 0)
		goto out;
	for (i = 0; ctx->cs->mode != MG_CHANGESET_ALL && !ctx->at_base &&
		    i < ctx->cs->nr; i++)
		if (ctx->cs->changes[i].status == MG_CHANGE_ADDED &&
		    mg_migdir_is_sql(p->migrations, ctx->cs->changes[i].path) &&
		    may_drop(d, ctx->cs->changes[i].path)) {
			published_load(&pub, ctx, d, p);
			break;
		}
	if (ctx->cs->mode == MG_CHANGESET_ALL)
		for (i = 0; i < d->files.nr; i++)
			/* A link too: named as unreadable, never skipped. */
			if ((d->files.items[i].type == MG_ENTRY_FILE ||
			     d->files.items[i].type == MG_ENTRY_SYMLINK) &&
			    mg_migdir_is_sql(p->migrations,
					     d->files.items[i].path))
				mg_strlist_push(&files, d->files.items[i].path);
	for (i = 0; i < files.nr && err >= 0; i++)
		/* <name>/migration.sql is a migration in the folder layout */
		if (d->layout == MG_LAYOUT_FOLDER ||
		    !mg_migdir_is_folder_sql(p->migrations, files.items[i]))
			err = lint_file(r, ctx, d, &rp, &pub,
					files.items[i]);
out:
	published_release(ctx, &pub);
	replay_release(&rp);
	mg_context_migdir_put(ctx, d);
	mg_strlist_release(&files);
	return err;
}

int mg_lint_check(struct mg_report *r, struct mg_context *ctx)
{
	size_t i;
	int err;

	for (i = 0; i < ctx->config->projects_nr; i++) {
		err = lint_project(r, ctx, &ctx->config->projects[i]);
		if (err < 0)
			return err;
	}
	return 0;
}

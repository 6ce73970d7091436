#include <pg_query.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migguard/pgparse.h"
#include "migguard/strbuf.h"

/* Token numbers of libpg_query's pg_query.proto (enum Token). */
enum {
	PG_TOKEN_SEMICOLON = 59,
	PG_TOKEN_IDENT = 258,
	PG_TOKEN_UIDENT = 259,
	PG_TOKEN_SCONST = 261,
	PG_TOKEN_USCONST = 262,
	PG_TOKEN_SQL_COMMENT = 275,
	PG_TOKEN_C_COMMENT = 276,
};

void mg_pg_error_release(struct mg_pg_error *err)
{
	free(err->message);
	err->message = NULL;
	err->offset = 0;
	err->limit = 0;
}

/*
 * PostgreSQL reports a 1-based character position; count characters the
 * way its UTF-8 pg_mbstrlen does (by the lead byte) to get back a byte
 * offset.
 */
static size_t char_pos_to_offset(const char *s, int cursorpos)
{
	size_t off = 0, len = strlen(s);
	int chars = 1;

	while (chars < cursorpos && off < len) {
		unsigned char c = (unsigned char)s[off];

		if (c >= 0xF0 && c < 0xF8)
			off += 4;
		else if (c >= 0xE0)
			off += 3;
		else if (c >= 0xC0)
			off += 2;
		else
			off += 1;
		chars++;
	}
	return off > len ? len : off;
}

static void set_error(struct mg_pg_error *err, const char *sql,
		      const PgQueryError *pe)
{
	err->message = mg_xstrdup(pe->message ? pe->message : "syntax error");
	err->offset = pe->cursorpos > 0 ? char_pos_to_offset(sql, pe->cursorpos)
					: 0;
}

/*
 * libpg_query's JSON is well formed (its strings hold the SQL's bytes, UTF-8
 * or not): the reader refuses it only when it nests deeper than its limit
 * (1000), as "1+1+...+1" with 500 terms does. The
 * statement cannot be reviewed: say so as the statement's parse error,
 * which a migguard-ignore comment can silence, rather than stop.
 */
static int tree_too_deep(struct mg_pg_error *err)
{
	err->message = mg_xstrfmt("statement too deeply nested to review "
				  "(%s)", mg_error_last());
	err->offset = 0;
	err->limit = 1;
	return 0;
}

/* A little protobuf reader: ScanResult is all varints and one message. */
struct pb {
	const unsigned char *p, *end;
};

static int pb_varint(struct pb *b, uint64_t *out)
{
	uint64_t v = 0;
	int shift = 0;

	*out = 0;
	while (b->p < b->end && shift < 64) {
		unsigned char c = *b->p++;

		v |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return 0;
		}
		shift += 7;
	}
	return mg_error_set("libpg_query scan result: bad varint");
}

static int pb_skip(struct pb *b, unsigned wire)
{
	uint64_t v;

	switch (wire) {
	case 0:
		return pb_varint(b, &v);
	case 1:
		if (b->end - b->p < 8)
			break;
		b->p += 8;
		return 0;
	case 2:
		if (pb_varint(b, &v) < 0 || (uint64_t)(b->end - b->p) < v)
			break;
		b->p += v;
		return 0;
	case 5:
		if (b->end - b->p < 4)
			break;
		b->p += 4;
		return 0;
	}
	return mg_error_set("libpg_query scan result: bad field");
}

static int decode_token(struct mg_pg_token *t, struct pb *b)
{
	uint64_t key, v, token = 0, keyword = 0;
	int err;

	memset(t, 0, sizeof(*t));
	while (b->p < b->end) {
		err = pb_varint(b, &key);
		if (err < 0)
			return err;
		if ((key & 7) != 0) {
			err = pb_skip(b, (unsigned)(key & 7));
			if (err < 0)
				return err;
			continue;
		}
		err = pb_varint(b, &v);
		if (err < 0)
			return err;
		switch (key >> 3) {
		case 1:
			t->start = (size_t)(uint32_t)v;
			break;
		case 2:
			t->end = (size_t)(uint32_t)v;
			break;
		case 4:
			token = v;
			break;
		case 5:
			keyword = v;
			break;
		}
	}
	if (token == PG_TOKEN_SQL_COMMENT || token == PG_TOKEN_C_COMMENT)
		t->kind = MG_PG_TOKEN_COMMENT;
	else if (token == PG_TOKEN_SEMICOLON)
		t->kind = MG_PG_TOKEN_SEMICOLON;
	else if (token == PG_TOKEN_IDENT || token == PG_TOKEN_UIDENT)
		t->kind = MG_PG_TOKEN_IDENT;
	else if (token == PG_TOKEN_SCONST || token == PG_TOKEN_USCONST)
		t->kind = MG_PG_TOKEN_STRING;
	else if (keyword)
		t->kind = MG_PG_TOKEN_KEYWORD;
	else
		t->kind = MG_PG_TOKEN_OTHER;
	return 0;
}

int mg_pgparse_scan(struct mg_pg_token **out, size_t *nr, const char *sql,
		    struct mg_pg_error *err)
{
	PgQueryScanResult res = pg_query_scan(sql);
	struct mg_pg_token *items = NULL;
	size_t n = 0, alloc = 0, len = strlen(sql);
	struct pb b;
	uint64_t key, size;
	int ret = 0;

	*out = NULL;
	*nr = 0;
	if (res.error) {
		set_error(err, sql, res.error);
		goto out;
	}
	b.p = (const unsigned char *)res.pbuf.data;
	b.end = b.p + res.pbuf.len;
	while (b.p < b.end) {
		struct pb sub;

		ret = pb_varint(&b, &key);
		if (ret < 0)
			goto out;
		if (key != ((2 << 3) | 2)) {
			ret = pb_skip(&b, (unsigned)(key & 7));
			if (ret < 0)
				goto out;
			continue;
		}
		ret = pb_varint(&b, &size);
		if (ret < 0)
			goto out;
		if ((uint64_t)(b.end - b.p) < size) {
			ret = mg_error_set("libpg_query scan result: "
					   "truncated token");
			goto out;
		}
		sub.p = b.p;
		sub.end = b.p + size;
		b.p += size;
		n++;
		MG_ALLOC_GROW(items, n, alloc);
		ret = decode_token(&items[n - 1], &sub);
		if (ret < 0)
			goto out;
		if (items[n - 1].end > len || items[n - 1].start >
						      items[n - 1].end) {
			ret = mg_error_set("libpg_query scan result: token "
					   "out of range");
			goto out;
		}
	}
	*out = items;
	*nr = n;
	items = NULL;
out:
	free(items);
	pg_query_free_scan_result(res);
	return ret;
}

int mg_pgparse_split(struct mg_pg_range **out, size_t *nr, const char *sql,
		     struct mg_pg_error *err)
{
	PgQuerySplitResult res = pg_query_split_with_scanner(sql);
	struct mg_pg_range *items = NULL;
	int i;

	*out = NULL;
	*nr = 0;
	if (res.error) {
		set_error(err, sql, res.error);
		goto out;
	}
	if (res.n_stmts > 0)
		items = mg_xcalloc((size_t)res.n_stmts, sizeof(*items));
	for (i = 0; i < res.n_stmts; i++) {
		items[i].start = (size_t)res.stmts[i]->stmt_location;
		items[i].len = (size_t)res.stmts[i]->stmt_len;
	}
	*out = items;
	*nr = (size_t)(res.n_stmts > 0 ? res.n_stmts : 0);
out:
	pg_query_free_split_result(res);
	return 0;
}

/*
 * libpg_query writes its tree out recursively, one level per node. The
 * grammar bounds right nesting (bison's stack: "memory exhausted" near
 * 10,000) but not a left-deep chain, "1+1+...+1" or "x::a::b...", which
 * nests once per operator: 100,000 of them overflow the stack. Before
 * parsing, an upper bound of that depth from the tokens: operators in a
 * row, through open brackets, a ',' ending a list item and AND/OR (which
 * the parser flattens) ending an operand. Over MAX_CHAIN the statement is
 * not parsed; brackets alone the grammar bounds.
 */
#define MAX_CHAIN 10000

static int is_operator(const char *sql, const struct mg_pg_token *t)
{
	static const char *const words[] = {
		"is", "isnull", "notnull", "collate", "at", "like", "ilike",
		"similar", "between", "in", "not", "overlaps",
	};
	size_t i, n = t->end - t->start;

	if (t->kind == MG_PG_TOKEN_KEYWORD) {
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (n == strlen(words[i]) &&
			    !strncasecmp(sql + t->start, words[i], n))
				return 1;
		return 0;
	}
	if (t->kind != MG_PG_TOKEN_OTHER || !n)
		return 0;
	for (i = t->start; i < t->end; i++)
		if (!strchr("+-*/<>=~!@#%^&|`?:", sql[i]))
			return 0; /* a number, a parameter, punctuation */
	return 1;
}

static int too_deep(const char *sql, struct mg_pg_error *err)
{
	struct mg_pg_error serr = { NULL, 0, 0 };
	struct mg_pg_token *toks = NULL;
	size_t *count = NULL, alloc = 0, depth = 0, total = 0, ntoks = 0, i;
	int ret;

	ret = mg_pgparse_scan(&toks, &ntoks, sql, &serr);
	if (ret < 0 || serr.message)
		goto out; /* the parser says what is wrong */
	MG_ALLOC_GROW(count, 1, alloc);
	count[0] = 0;
	for (i = 0; i < ntoks; i++) {
		const struct mg_pg_token *t = &toks[i];
		char c = t->end - t->start == 1 ? sql[t->start] : 0;

		if (t->kind == MG_PG_TOKEN_OTHER && (c == '(' || c == '[')) {
			depth++;
			MG_ALLOC_GROW(count, depth + 1, alloc);
			count[depth] = 0;
		} else if (t->kind == MG_PG_TOKEN_OTHER &&
			   (c == ')' || c == ']')) {
			total -= count[depth];
			if (depth)
				depth--;
		} else if ((t->kind == MG_PG_TOKEN_OTHER && c == ',') ||
			   (t->kind == MG_PG_TOKEN_KEYWORD &&
			    t->end - t->start <= 3 &&
			    (!strncasecmp(sql + t->start, "and",
					  t->end - t->start) ||
			     !strncasecmp(sql + t->start, "or",
					  t->end - t->start)))) {
			total -= count[depth];
			count[depth] = 0;
		} else if (t->kind == MG_PG_TOKEN_SEMICOLON) {
			depth = total = count[0] = 0;
		} else if (is_operator(sql, t)) {
			count[depth]++;
			total++;
		}
		if (total > MAX_CHAIN) {
			err->message = mg_xstrfmt("statement too deeply nested "
						  "to review (over %d "
						  "operators in a row)",
						  MAX_CHAIN);
			err->offset = t->start;
			err->limit = 1;
			ret = 1;
			goto out;
		}
	}
out:
	mg_pg_error_release(&serr);
	free(count);
	free(toks);
	return ret;
}

int mg_pgparse_parse(struct mg_json **out, const char *sql,
		     struct mg_pg_error *err)
{
	PgQueryParseResult res;
	int ret = 0;

	*out = NULL;
	/* A chain needs a byte per operator: short text cannot be deep. */
	if (strlen(sql) > MAX_CHAIN) {
		ret = too_deep(sql, err);
		if (ret)
			return ret < 0 ? ret : 0;
	}
	res = pg_query_parse(sql);
	if (res.error) {
		set_error(err, sql, res.error);
		goto out;
	}
	ret = mg_json_parse_flags(out, res.parse_tree, strlen(res.parse_tree),
				  NULL,
				  MG_JSON_ANY_BYTES | MG_JSON_UNIQUE_KEYS);
	if (ret < 0)
		ret = tree_too_deep(err);
out:
	pg_query_free_parse_result(res);
	return ret;
}

int mg_pgparse_plpgsql(struct mg_json **out, const char *body,
		       struct mg_pg_error *err)
{
	static const char head[] =
		"CREATE FUNCTION mg_do() RETURNS void LANGUAGE plpgsql AS ";
	PgQueryPlpgsqlParseResult res;
	struct mg_strbuf tag = MG_STRBUF_INIT;
	struct mg_strbuf sql = MG_STRBUF_INIT;
	size_t prefix;
	int ret = 0, n = 0;

	*out = NULL;
	/* A dollar-quote tag the body does not contain. */
	mg_strbuf_adds(&tag, "$mg_do$");
	while (strstr(body, tag.buf)) {
		mg_strbuf_reset(&tag);
		mg_strbuf_addf(&tag, "$mg_do%d$", ++n);
	}
	mg_strbuf_adds(&sql, head);
	mg_strbuf_adds(&sql, tag.buf);
	prefix = sql.len;
	mg_strbuf_adds(&sql, body);
	mg_strbuf_adds(&sql, tag.buf);
	res = pg_query_parse_plpgsql(sql.buf);
	if (res.error) {
		set_error(err, sql.buf, res.error);
		err->offset = err->offset > prefix ? err->offset - prefix : 0;
		goto out;
	}
	ret = mg_json_parse_flags(out, res.plpgsql_funcs,
				  strlen(res.plpgsql_funcs), NULL,
				  MG_JSON_ANY_BYTES | MG_JSON_UNIQUE_KEYS);
	if (ret < 0)
		ret = tree_too_deep(err);
out:
	pg_query_free_plpgsql_parse_result(res);
	mg_strbuf_release(&sql);
	mg_strbuf_release(&tag);
	return ret;
}

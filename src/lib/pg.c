#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "migguard/error.h"
#include "migguard/pg.h"
#include "migguard/strbuf.h"

struct mg_pg_cancel {
	PGcancel *cancel;
};

struct mg_pg {
	PGconn *conn;
	struct mg_pg_cancel cancel;
};

/* libpq messages: several lines, tabs, a trailing newline; make one. */
static char *one_line(const char *msg)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	const char *p;
	int pending_sep = 0;

	mg_strbuf_init(&sb);
	for (p = msg ? msg : ""; *p; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			pending_sep = sb.len > 0;
			continue;
		}
		if (pending_sep) {
			mg_strbuf_adds(&sb, ": ");
			pending_sep = 0;
			if (*p == ' ')
				continue;
		}
		mg_strbuf_addch(&sb, *p);
	}
	while (sb.len &&
	       (sb.buf[sb.len - 1] == ' ' || sb.buf[sb.len - 1] == '.'))
		sb.buf[--sb.len] = '\0';
	return mg_strbuf_detach(&sb, NULL);
}

static char *dup_or_empty(const char *s)
{
	return mg_xstrdup(s ? s : "");
}

int mg_pg_target_parse(struct mg_pg_target *t, const char *conninfo)
{
	PQconninfoOption *opts = NULL, *defaults = NULL, *o;
	char *errmsg = NULL;
	int err = 0;

	memset(t, 0, sizeof(*t));
	opts = PQconninfoParse(conninfo ? conninfo : "", &errmsg);
	if (!opts) {
		char *msg = one_line(errmsg ? errmsg : "out of memory");

		err = mg_error_set_code(MG_EUSAGE,
					"invalid connection string: %s", msg);
		free(msg);
		goto out;
	}
	defaults = PQconndefaults();
	for (o = opts; o->keyword; o++) {
		const char *v = o->val;
		char **slot = NULL;

		if (!strcmp(o->keyword, "host"))
			slot = &t->host;
		else if (!strcmp(o->keyword, "hostaddr"))
			slot = &t->hostaddr;
		else if (!strcmp(o->keyword, "port"))
			slot = &t->port;
		else if (!strcmp(o->keyword, "dbname"))
			slot = &t->dbname;
		else if (!strcmp(o->keyword, "user"))
			slot = &t->user;
		if (!slot)
			continue;
		if ((!v || !*v) && defaults && slot != &t->dbname &&
		    slot != &t->user) {
			PQconninfoOption *d;

			for (d = defaults; d->keyword; d++)
				if (!strcmp(d->keyword, o->keyword))
					v = d->val;
		}
		*slot = dup_or_empty(v);
	}
	if (!*t->port) {
		free(t->port);
		t->port = mg_xstrdup("5432");
	}
out:
	if (defaults)
		PQconninfoFree(defaults);
	if (opts)
		PQconninfoFree(opts);
	if (errmsg)
		PQfreemem(errmsg);
	return err;
}

void mg_pg_target_release(struct mg_pg_target *t)
{
	free(t->host);
	free(t->hostaddr);
	free(t->port);
	free(t->dbname);
	free(t->user);
	memset(t, 0, sizeof(*t));
}

int mg_pg_host_is_local(const char *host)
{
	unsigned char addr[16];
	static const unsigned char loopback6[16] = { [15] = 1 };
	static const unsigned char mapped4[12] = { [10] = 0xff, [11] = 0xff };

	/* No host at all is libpq's default unix socket. */
	if (!*host || host[0] == '/' || host[0] == '@')
		return 1;
	if (!strcasecmp(host, "localhost"))
		return 1;
	if (inet_pton(AF_INET, host, addr) == 1)
		return addr[0] == 127;
	if (inet_pton(AF_INET6, host, addr) == 1)
		return !memcmp(addr, loopback6, 16) ||
		       (!memcmp(addr, mapped4, 12) && addr[12] == 127);
	return 0;
}

/* The i-th comma-separated item of list into buf; 0 past the end. */
static int list_item(char *buf, size_t size, const char *list, size_t i)
{
	const char *p = list;
	size_t n;

	while (i > 0) {
		p = strchr(p, ',');
		if (!p)
			return 0;
		p++;
		i--;
	}
	n = strcspn(p, ",");
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 1;
}

int mg_pg_target_is_local(const struct mg_pg_target *t, char **remote)
{
	static char bad[256];
	char host[256], addr[256];
	size_t i;

	if (remote)
		*remote = NULL;
	for (i = 0;; i++) {
		int have_host = list_item(host, sizeof(host), t->host, i);
		int have_addr = list_item(addr, sizeof(addr), t->hostaddr, i);
		const char *judged;

		if (!have_host && !have_addr)
			break;
		judged = have_addr && *addr ? addr : (have_host ? host : "");
		if (!mg_pg_host_is_local(judged)) {
			if (remote) {
				snprintf(bad, sizeof(bad), "%s", judged);
				*remote = bad;
			}
			return 0;
		}
	}
	return 1;
}

char *mg_pg_target_describe(const struct mg_pg_target *t)
{
	const char *host = *t->hostaddr ? t->hostaddr : t->host;

	if (!*host)
		host = "the default unix socket";
	if (strchr(host, ':') && !strchr(host, ','))
		return mg_xstrfmt("[%s]:%s", host, t->port);
	return mg_xstrfmt("%s:%s", host, t->port);
}

/* Mask "password=value" pairs of a key=value connection string. */
static char *mask_keyvalue(const char *s)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	const char *p = s;

	mg_strbuf_init(&sb);
	while (*p) {
		const char *key, *key_end, *val;
		int is_password;

		while (isspace((unsigned char)*p))
			mg_strbuf_addch(&sb, *p++);
		if (!*p)
			break;
		key = p;
		while (*p && *p != '=' && !isspace((unsigned char)*p))
			p++;
		key_end = p;
		while (isspace((unsigned char)*p))
			p++;
		mg_strbuf_add(&sb, key, (size_t)(key_end - key));
		if (*p != '=') {
			/* Not key=value: copy the rest untouched. */
			mg_strbuf_adds(&sb, key_end);
			break;
		}
		p++;
		mg_strbuf_addch(&sb, '=');
		while (isspace((unsigned char)*p))
			p++;
		is_password = (size_t)(key_end - key) == 8 &&
			      !strncmp(key, "password", 8);
		val = p;
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		} else {
			while (*p && !isspace((unsigned char)*p))
				p++;
		}
		if (is_password)
			mg_strbuf_adds(&sb, "***");
		else
			mg_strbuf_add(&sb, val, (size_t)(p - val));
	}
	return mg_strbuf_detach(&sb, NULL);
}

/* postgres://user:password@host/db?password=x: mask both passwords. */
static char *mask_url(const char *s, size_t scheme_len)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	const char *auth = s + scheme_len, *p, *at, *q;

	mg_strbuf_init(&sb);
	mg_strbuf_add(&sb, s, scheme_len);
	/* As libpq: the user part ends at the first '@' before any '/'. */
	at = auth + strcspn(auth, "@/");
	p = auth;
	if (*at == '@') {
		const char *colon = memchr(auth, ':', (size_t)(at - auth));

		if (colon) {
			mg_strbuf_add(&sb, auth, (size_t)(colon - auth));
			mg_strbuf_adds(&sb, ":***");
			p = at;
		}
	}
	q = strchr(p, '?');
	if (!q) {
		mg_strbuf_adds(&sb, p);
		return mg_strbuf_detach(&sb, NULL);
	}
	mg_strbuf_add(&sb, p, (size_t)(q - p) + 1);
	p = q + 1;
	while (*p) {
		size_t n = strcspn(p, "&");

		if (n >= 9 && !strncmp(p, "password=", 9))
			mg_strbuf_adds(&sb, "password=***");
		else
			mg_strbuf_add(&sb, p, n);
		p += n;
		if (*p == '&')
			mg_strbuf_addch(&sb, *p++);
	}
	return mg_strbuf_detach(&sb, NULL);
}

char *mg_pg_mask(const char *conninfo)
{
	static const char *const schemes[] = { "postgresql://",
					       "postgres://" };
	size_t i;

	for (i = 0; i < 2; i++) {
		size_t n = strlen(schemes[i]);

		if (!strncmp(conninfo, schemes[i], n))
			return mask_url(conninfo, n);
	}
	return mask_keyvalue(conninfo);
}

void mg_pg_diag_release(struct mg_pg_diag *e)
{
	if (!e)
		return;
	free(e->message);
	free(e->sqlstate);
	free(e->detail);
	free(e->hint);
	memset(e, 0, sizeof(*e));
}

static void drop_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int mg_pg_connect(struct mg_pg **out, const char *conninfo,
		  const char *dbname)
{
	const char *keys[8], *values[8];
	struct mg_pg_target target;
	struct mg_pg *c = NULL;
	char *where = NULL, *msg = NULL;
	int n = 0, err = 0;

	*out = NULL;
	memset(&target, 0, sizeof(target));
	/* Ours first: what conninfo says overrides them. */
	keys[n] = "fallback_application_name";
	values[n++] = "migguard";
	keys[n] = "client_encoding";
	values[n++] = "UTF8";
	keys[n] = "connect_timeout";
	values[n++] = "10";
	keys[n] = "dbname";
	values[n++] = conninfo ? conninfo : "";
	if (dbname) {
		keys[n] = "dbname";
		values[n++] = dbname;
	}
	keys[n] = NULL;
	values[n] = NULL;
	c = mg_xcalloc(1, sizeof(*c));
	c->conn = PQconnectdbParams(keys, values, 1);
	if (!c->conn) {
		err = mg_error_set("cannot connect to PostgreSQL: out of "
				   "memory");
		goto out;
	}
	if (PQstatus(c->conn) != CONNECTION_OK) {
		if (mg_pg_target_parse(&target, conninfo) == 0)
			where = mg_pg_target_describe(&target);
		msg = one_line(PQerrorMessage(c->conn));
		err = mg_error_set("cannot connect to PostgreSQL at %s: %s",
				   where ? where : "(unparsable address)",
				   msg);
		goto out;
	}
	PQsetNoticeProcessor(c->conn, drop_notice, NULL);
	c->cancel.cancel = PQgetCancel(c->conn);
	*out = c;
	c = NULL;
out:
	mg_pg_free(c);
	mg_pg_target_release(&target);
	free(where);
	free(msg);
	return err;
}

void mg_pg_free(struct mg_pg *c)
{
	if (!c)
		return;
	if (c->cancel.cancel)
		PQfreeCancel(c->cancel.cancel);
	if (c->conn)
		PQfinish(c->conn);
	free(c);
}

int mg_pg_server_version(const struct mg_pg *c)
{
	return PQserverVersion(c->conn);
}

static char *field(const PGresult *res, int code)
{
	const char *v = res ? PQresultErrorField(res, code) : NULL;

	return v ? one_line(v) : NULL;
}

/* Fill err from a failed result (or from the connection when res is NULL). */
static int fail_result(struct mg_pg *c, const PGresult *res,
		       struct mg_pg_diag *err)
{
	struct mg_pg_diag e;
	char *pos;

	memset(&e, 0, sizeof(e));
	e.message = field(res, PG_DIAG_MESSAGE_PRIMARY);
	if (!e.message)
		e.message = one_line(PQerrorMessage(c->conn));
	if (!*e.message) {
		free(e.message);
		e.message = mg_xstrdup("unknown error from the server");
	}
	e.sqlstate = field(res, PG_DIAG_SQLSTATE);
	e.detail = field(res, PG_DIAG_MESSAGE_DETAIL);
	e.hint = field(res, PG_DIAG_MESSAGE_HINT);
	pos = field(res, PG_DIAG_STATEMENT_POSITION);
	if (pos)
		e.position = (unsigned)strtoul(pos, NULL, 10);
	free(pos);
	e.connection_lost = PQstatus(c->conn) != CONNECTION_OK;
	mg_error_set("%s", e.message);
	if (err)
		*err = e;
	else
		mg_pg_diag_release(&e);
	return MG_ERROR;
}

int mg_pg_exec(struct mg_pg *c, const char *sql, struct mg_pg_diag *err)
{
	PGresult *res = PQexec(c->conn, sql);
	int ret = 0;

	if (err)
		memset(err, 0, sizeof(*err));
	switch (res ? PQresultStatus(res) : PGRES_FATAL_ERROR) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		break;
	default:
		ret = fail_result(c, res, err);
		break;
	}
	PQclear(res);
	return ret;
}

int mg_pg_query(struct mg_pg *c, struct mg_pg_rows *rows, const char *sql,
		int nparams, const char *const *params,
		struct mg_pg_diag *err)
{
	PGresult *res = NULL;
	size_t r, col;
	int ret = 0;

	memset(rows, 0, sizeof(*rows));
	if (err)
		memset(err, 0, sizeof(*err));
	res = PQexecParams(c->conn, sql, nparams, NULL, params, NULL, NULL,
			   0);
	if (!res || (PQresultStatus(res) != PGRES_TUPLES_OK &&
		     PQresultStatus(res) != PGRES_COMMAND_OK)) {
		ret = fail_result(c, res, err);
		goto out;
	}
	rows->nr = (size_t)PQntuples(res);
	rows->cols = (size_t)PQnfields(res);
	if (rows->nr && rows->cols)
		rows->cells = mg_xcalloc(rows->nr * rows->cols,
					 sizeof(*rows->cells));
	for (r = 0; r < rows->nr; r++)
		for (col = 0; col < rows->cols; col++)
			if (!PQgetisnull(res, (int)r, (int)col))
				rows->cells[r * rows->cols + col] = mg_xstrdup(
					PQgetvalue(res, (int)r, (int)col));
out:
	PQclear(res);
	return ret;
}

void mg_pg_rows_release(struct mg_pg_rows *rows)
{
	size_t i;

	for (i = 0; i < rows->nr * rows->cols; i++)
		free(rows->cells[i]);
	free(rows->cells);
	memset(rows, 0, sizeof(*rows));
}

const char *mg_pg_rows_get(const struct mg_pg_rows *rows, size_t row,
			   size_t col)
{
	if (row >= rows->nr || col >= rows->cols)
		return NULL;
	return rows->cells[row * rows->cols + col];
}

struct mg_pg_cancel *mg_pg_cancel_handle(struct mg_pg *c)
{
	return c->cancel.cancel ? &c->cancel : NULL;
}

void mg_pg_cancel_send(struct mg_pg_cancel *cancel)
{
	char errbuf[256];

	if (cancel && cancel->cancel)
		PQcancel(cancel->cancel, errbuf, (int)sizeof(errbuf));
}

char *mg_pg_quote_ident(const char *name)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	const char *p;

	mg_strbuf_init(&sb);
	mg_strbuf_addch(&sb, '"');
	for (p = name; *p; p++) {
		if (*p == '"')
			mg_strbuf_addch(&sb, '"');
		mg_strbuf_addch(&sb, *p);
	}
	mg_strbuf_addch(&sb, '"');
	return mg_strbuf_detach(&sb, NULL);
}

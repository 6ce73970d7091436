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

/* The options libpq hides when it lists them ("*": password fields). */
static int is_secret_option(const PQconninfoOption *o)
{
	return o->dispchar && strchr(o->dispchar, '*');
}

static const char *const url_schemes[] = { "postgresql://", "postgres://" };

/* Length of the URL scheme libpq recognises (lower case only), or 0. */
static size_t url_scheme_len(const char *s)
{
	size_t i;

	for (i = 0; i < 2; i++)
		if (!strncmp(s, url_schemes[i], strlen(url_schemes[i])))
			return strlen(url_schemes[i]);
	return 0;
}

/*
 * Text libpq would misread in a way that puts a password where it is
 * shown: a scheme in another case (libpq then parses the URL as
 * key=value and quotes it whole in its error), or a URL whose user:password
 * holds an unencoded '@' or '/' (libpq ends the password at the first
 * one, and the rest becomes the host, port or database it names in its
 * messages). NULL when the text is fine, else the reason.
 */
static const char *misread(const char *s)
{
	const char *auth, *at, *slash, *query, *colon;
	size_t i, n;

	for (i = 0; i < 2; i++) {
		n = strlen(url_schemes[i]);
		if (!strncasecmp(s, url_schemes[i], n) &&
		    strncmp(s, url_schemes[i], n))
			return "the URL scheme must be written in lower case "
			       "(postgres:// or postgresql://)";
	}
	n = url_scheme_len(s);
	if (!n)
		return NULL;
	auth = s + n;
	query = auth + strcspn(auth, "?");
	slash = auth + strcspn(auth, "/");
	at = auth + strcspn(auth, "@");
	colon = auth + strcspn(auth, ":");
	if (*at == '@' && at < slash && strchr(at + 1, '@') &&
	    strchr(at + 1, '@') < (slash < query ? slash : query))
		return "the URL's user or password holds an unencoded '@': "
		       "write it as %40";
	if (*at == '@' && at > slash && at < query && colon < slash)
		return "the URL's user or password holds an unencoded '/': "
		       "write it as %2F";
	return NULL;
}

static const char unparsable[] =
	"invalid connection string (not shown, it may hold a password): "
	"check its quoting, and percent-encode '@', '/', ':' and '%' in a "
	"URL's user name and password";

/* PQconninfoParse, with a message that never quotes the text. */
static int parse_conninfo(PQconninfoOption **out, const char *conninfo)
{
	const char *why = misread(conninfo);
	char *errmsg = NULL;

	*out = NULL;
	if (why)
		return mg_error_set_code(MG_EUSAGE,
			"invalid connection string (not shown, it may hold a "
			"password): %s", why);
	/* libpq's message quotes the text, password and all: never shown. */
	*out = PQconninfoParse(conninfo, &errmsg);
	if (errmsg)
		PQfreemem(errmsg);
	if (!*out)
		return mg_error_set_code(MG_EUSAGE, "%s", unparsable);
	return 0;
}

static const char *option_value(const PQconninfoOption *opts,
				const char *keyword)
{
	const PQconninfoOption *o;

	for (o = opts; o && o->keyword; o++)
		if (!strcmp(o->keyword, keyword))
			return o->val;
	return NULL;
}

/*
 * libpq's defaults as a connection would fill them in for what conninfo
 * leaves unset: first the service's entry (the conninfo's "service", else
 * PGSERVICE) in the service files, then PGHOST, PGHOSTADDR, PGPORT...,
 * then the compiled defaults. PQconndefaults() does the same for the
 * service PGSERVICE names, so the conninfo's service is put there while
 * it runs (single-threaded: the CLI's main thread), and libpq itself
 * reads the files (PGSERVICEFILE, ~/.pg_service.conf, PGSYSCONFDIR).
 */
static PQconninfoOption *conn_defaults(const char *service)
{
	PQconninfoOption *d;
	char *saved = NULL;
	const char *old;

	if (!service)
		return PQconndefaults();
	old = getenv("PGSERVICE");
	if (old)
		saved = mg_xstrdup(old);
	setenv("PGSERVICE", service, 1);
	d = PQconndefaults();
	if (saved)
		setenv("PGSERVICE", saved, 1);
	else
		unsetenv("PGSERVICE");
	free(saved);
	return d;
}

int mg_pg_target_parse(struct mg_pg_target *t, const char *conninfo)
{
	PQconninfoOption *opts = NULL, *defaults = NULL, *o;
	const char *service;
	int err;

	memset(t, 0, sizeof(*t));
	err = parse_conninfo(&opts, conninfo ? conninfo : "");
	if (err < 0)
		goto out;
	service = option_value(opts, "service");
	defaults = conn_defaults(service);
	if (!defaults) {
		err = mg_error_set("cannot read libpq's defaults (a service "
				   "file?): out of memory");
		goto out;
	}
	t->service = dup_or_empty(service ? service
					  : option_value(defaults, "service"));
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
		/* As libpq: only an option not given at all is filled in. */
		if (!v && slot != &t->dbname && slot != &t->user)
			v = option_value(defaults, o->keyword);
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
	return err;
}

void mg_pg_target_release(struct mg_pg_target *t)
{
	free(t->host);
	free(t->hostaddr);
	free(t->port);
	free(t->dbname);
	free(t->user);
	free(t->service);
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

/* The i-th comma-separated item of list, new string; NULL past the end. */
static char *list_item(const char *list, size_t i)
{
	const char *p = list;

	while (i > 0) {
		p = strchr(p, ',');
		if (!p)
			return NULL;
		p++;
		i--;
	}
	return mg_xstrndup(p, strcspn(p, ","));
}

int mg_pg_target_is_local(const struct mg_pg_target *t, char **remote)
{
	static char bad[256];
	size_t i;
	int local = 1;

	if (remote)
		*remote = NULL;
	/* Every host of the list, as libpq pairs host[i] with hostaddr[i]. */
	for (i = 0; local; i++) {
		char *host = list_item(t->host, i);
		char *addr = list_item(t->hostaddr, i);
		const char *judged;

		if (!host && !addr)
			break;
		judged = addr && *addr ? addr : (host ? host : "");
		if (!mg_pg_host_is_local(judged)) {
			local = 0;
			if (remote)
				*remote = bad;
			/* Shown only: cut, never judged cut. */
			snprintf(bad, sizeof(bad), "%s", judged);
		}
		free(host);
		free(addr);
	}
	return local;
}

char *mg_pg_target_describe(const struct mg_pg_target *t)
{
	const char *host = *t->hostaddr ? t->hostaddr : t->host;
	char *d;

	if (!*host)
		host = "the default unix socket";
	if (strchr(host, ':') && !strchr(host, ','))
		d = mg_xstrfmt("[%s]:%s", host, t->port);
	else
		d = mg_xstrfmt("%s:%s", host, t->port);
	if (t->service && *t->service) {
		char *with = mg_xstrfmt("%s (service '%s')", d, t->service);

		free(d);
		d = with;
	}
	return d;
}

/* The keys whose values are secrets, whatever case they are written in. */
static int is_secret_key(const char *key, size_t len)
{
	return (len == 8 && !strncasecmp(key, "password", 8)) ||
	       (len == 11 && !strncasecmp(key, "sslpassword", 11));
}

/* Mask the secrets of a key=value connection string, read as libpq does. */
static char *mask_keyvalue(const char *s)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	const char *p = s;

	mg_strbuf_init(&sb);
	while (*p) {
		const char *key, *key_end, *val;
		int secret;

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
			/* Not key=value (libpq refuses it): show no more. */
			if (*p)
				mg_strbuf_adds(&sb, " ***");
			break;
		}
		p++;
		mg_strbuf_addch(&sb, '=');
		while (isspace((unsigned char)*p))
			p++;
		secret = is_secret_key(key, (size_t)(key_end - key));
		val = p;
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		} else {
			/* Unquoted: a backslash escapes the next character. */
			for (; *p && !isspace((unsigned char)*p); p++)
				if (*p == '\\' && p[1])
					p++;
		}
		if (secret)
			mg_strbuf_adds(&sb, "***");
		else
			mg_strbuf_add(&sb, val, (size_t)(p - val));
	}
	return mg_strbuf_detach(&sb, NULL);
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A URL query key, percent-decoded as libpq decodes it. New string. */
static char *url_decode(const char *s, size_t n)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	size_t i;

	mg_strbuf_init(&sb);
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hex_value(s[i + 1]) >= 0 &&
		    hex_value(s[i + 2]) >= 0) {
			mg_strbuf_addch(&sb, (char)(hex_value(s[i + 1]) << 4 |
						    hex_value(s[i + 2])));
			i += 2;
		} else {
			mg_strbuf_addch(&sb, s[i]);
		}
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
		size_t n = strcspn(p, "&"), klen = strcspn(p, "=&");
		char *key = url_decode(p, klen);

		if (p[klen] == '=' && is_secret_key(key, strlen(key))) {
			mg_strbuf_add(&sb, p, klen);
			mg_strbuf_adds(&sb, "=***");
		} else {
			mg_strbuf_add(&sb, p, n);
		}
		free(key);
		p += n;
		if (*p == '&')
			mg_strbuf_addch(&sb, *p++);
	}
	return mg_strbuf_detach(&sb, NULL);
}

char *mg_pg_mask(const char *conninfo)
{
	PQconninfoOption *opts = NULL, *o;
	char *errmsg = NULL, *masked;
	size_t n;

	/* What libpq cannot read is shown as nothing but that. */
	if (misread(conninfo))
		return mg_xstrdup(MG_PG_HIDDEN);
	opts = PQconninfoParse(conninfo, &errmsg);
	if (errmsg)
		PQfreemem(errmsg);
	if (!opts)
		return mg_xstrdup(MG_PG_HIDDEN);
	n = url_scheme_len(conninfo);
	masked = n ? mask_url(conninfo, n) : mask_keyvalue(conninfo);
	/* Whatever the text's form, no secret libpq read is shown. */
	for (o = opts; o->keyword; o++) {
		if (is_secret_option(o) && o->val && strlen(o->val) >= 3 &&
		    strstr(masked, o->val)) {
			free(masked);
			masked = mg_xstrdup(MG_PG_HIDDEN);
			break;
		}
	}
	PQconninfoFree(opts);
	return masked;
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

/* msg with every secret of conninfo replaced by "***". */
static char *scrub(char *msg, const char *conninfo)
{
	PQconninfoOption *opts = NULL, *o;
	char *errmsg = NULL;

	opts = PQconninfoParse(conninfo, &errmsg);
	if (errmsg)
		PQfreemem(errmsg);
	for (o = opts; o && o->keyword; o++) {
		struct mg_strbuf sb = MG_STRBUF_INIT;
		const char *p, *hit;
		size_t n;

		if (!is_secret_option(o) || !o->val || !*o->val ||
		    !strstr(msg, o->val))
			continue;
		n = strlen(o->val);
		mg_strbuf_init(&sb);
		for (p = msg; (hit = strstr(p, o->val)); p = hit + n) {
			mg_strbuf_add(&sb, p, (size_t)(hit - p));
			mg_strbuf_adds(&sb, "***");
		}
		mg_strbuf_adds(&sb, p);
		free(msg);
		msg = mg_strbuf_detach(&sb, NULL);
	}
	if (opts)
		PQconninfoFree(opts);
	return msg;
}

int mg_pg_connect(struct mg_pg **out, const char *conninfo,
		  const char *dbname, int allow_remote)
{
	const char *keys[8], *values[8];
	struct mg_pg_target target;
	struct mg_pg *c = NULL;
	char *where = NULL, *msg = NULL, *remote = NULL;
	int n = 0, err = 0;

	*out = NULL;
	/*
	 * Judged here, on what libpq will use, so no caller connects to a
	 * host it did not mean to, and libpq never quotes a text it cannot
	 * parse (its message would show the password).
	 */
	err = mg_pg_target_parse(&target, conninfo);
	if (err < 0)
		goto out;
	where = mg_pg_target_describe(&target);
	if (!allow_remote && !mg_pg_target_is_local(&target, &remote)) {
		err = mg_error_set("refusing to connect to '%s' (%s): not a "
				   "local database; pass --allow-remote",
				   remote, where);
		goto out;
	}
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
		msg = scrub(one_line(PQerrorMessage(c->conn)), conninfo);
		err = mg_error_set("cannot connect to PostgreSQL at %s: %s",
				   where, msg);
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

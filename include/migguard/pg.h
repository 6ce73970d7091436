/*
 * PostgreSQL through libpq: the only module that includes libpq-fe.h.
 * Connection strings (URLs and key=value strings) are read with libpq's
 * own parser, so migguard judges the host libpq would really use, before
 * any connection is made. Notices are dropped: library code never prints.
 */
#ifndef MIGGUARD_PG_H
#define MIGGUARD_PG_H

#include <stddef.h>

struct mg_pg;
struct mg_pg_cancel;

/* Where a connection string points, without connecting. */
struct mg_pg_target {
	char *host;	/* comma-separated as written, else libpq's default */
	char *hostaddr; /* comma-separated, or "" */
	char *port;	/* libpq's default (5432) if unset */
	char *dbname;	/* "" when unset */
	char *user;	/* "" when unset */
	char *service;	/* the service libpq reads the host from, or "" */
};

/*
 * Parse conninfo (a postgres:// URL or key=value pairs). Host, hostaddr
 * and port not given come from where libpq would take them: the service
 * file entry (service=, else PGSERVICE), then PGHOST, PGHOSTADDR, PGPORT.
 * MG_EUSAGE on a malformed string, or one libpq would misread (an upper
 * case scheme, an unencoded '@' or '/' in a password); the message never
 * quotes the text. Reads the environment through libpq, and sets
 * PGSERVICE while it asks libpq for a service: call it from one thread.
 */
int mg_pg_target_parse(struct mg_pg_target *t, const char *conninfo);
void mg_pg_target_release(struct mg_pg_target *t);
/*
 * 1 when every host the target may connect to is local: a unix socket
 * ("/dir" or "@abstract"), "localhost", 127.0.0.0/8, ::1 (also as
 * ::ffff:127.x.y.z). A hostaddr entry, when given, decides for its host.
 * Names are not resolved. Otherwise 0, with *remote (may be NULL) set to
 * the first non-local host (borrowed from t).
 */
int mg_pg_target_is_local(const struct mg_pg_target *t, char **remote);
/* One host or address (no commas). */
int mg_pg_host_is_local(const char *host);
/* "host:port" for messages ("/run/postgresql:5432" for a socket). New. */
char *mg_pg_target_describe(const struct mg_pg_target *t);

/*
 * conninfo for display, every password replaced by "***": the URL's
 * user:password and ?password= (also percent-encoded, any case), a
 * key=value string's password= (quoted or with backslash escapes), and
 * sslpassword. New string. A text libpq cannot parse, or one where a
 * secret libpq reads would still show, is MG_PG_HIDDEN instead.
 */
#define MG_PG_HIDDEN "(not shown: libpq cannot read it as given, and it " \
		     "may hold a password)"
char *mg_pg_mask(const char *conninfo);

/* A failed statement, as PostgreSQL reported it. */
struct mg_pg_diag {
	char *message;	 /* primary message, no trailing newline */
	char *sqlstate;	 /* "42P01", or NULL */
	char *detail;	 /* or NULL */
	char *hint;	 /* or NULL */
	unsigned position; /* 1-based character in the query sent, 0 = none */
	int connection_lost; /* the connection is gone (server ended it) */
};

void mg_pg_diag_release(struct mg_pg_diag *e);

/*
 * Connect. dbname, when not NULL, replaces the database named by
 * conninfo. Sets client_encoding UTF8 (as node-postgres does) and
 * application_name "migguard" unless conninfo names one. Unless
 * allow_remote, a target that is not local (mg_pg_target_is_local) is
 * refused before any connection is tried. On failure MG_ERROR, the
 * message naming the host and port tried, never a password.
 */
int mg_pg_connect(struct mg_pg **out, const char *conninfo,
		  const char *dbname, int allow_remote);
void mg_pg_free(struct mg_pg *c);
/* server_version_num, e.g. 150004. */
int mg_pg_server_version(const struct mg_pg *c);

/*
 * Run sql with the simple query protocol (several statements allowed,
 * like node-postgres's query(text)). On failure MG_ERROR; err, when not
 * NULL, is filled (release it) and mg_error_last() holds the message.
 */
int mg_pg_exec(struct mg_pg *c, const char *sql, struct mg_pg_diag *err);

/* Rows as text, cells[row * cols + col]; NULL for SQL NULL. */
struct mg_pg_rows {
	size_t nr, cols;
	char **cells;
};

/* One statement with text parameters ($1...). err may be NULL. */
int mg_pg_query(struct mg_pg *c, struct mg_pg_rows *rows, const char *sql,
		int nparams, const char *const *params,
		struct mg_pg_diag *err);
void mg_pg_rows_release(struct mg_pg_rows *rows);
const char *mg_pg_rows_get(const struct mg_pg_rows *rows, size_t row,
			   size_t col);

/*
 * Cancelling the running statement from a signal handler: the handle
 * belongs to the connection (valid until mg_pg_free), and
 * mg_pg_cancel_send is async-signal-safe (PQcancel).
 */
struct mg_pg_cancel *mg_pg_cancel_handle(struct mg_pg *c);
void mg_pg_cancel_send(struct mg_pg_cancel *cancel);

/* "name" quoted as a PostgreSQL identifier ("a""b"). New string. */
char *mg_pg_quote_ident(const char *name);

#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "migguard/error.h"
#include "migguard/pg.h"

static void check_mask(const char *in, const char *want)
{
	char *got = mg_pg_mask(in);

	assert_string_equal(got, want);
	free(got);
}

static void test_pg__mask_url_password(void **state)
{
	(void)state;
	check_mask("postgres://app:s3cret@localhost:5433/app",
		   "postgres://app:***@localhost:5433/app");
	check_mask("postgresql://app:p%40ss@127.0.0.1/db?sslmode=disable",
		   "postgresql://app:***@127.0.0.1/db?sslmode=disable");
	check_mask("postgres://app@localhost/db", "postgres://app@localhost/db");
	check_mask("postgres://localhost/db?user=a&password=hunter2&"
		   "sslmode=require",
		   "postgres://localhost/db?user=a&password=***&"
		   "sslmode=require");
	/* A '/' ends the user part, as in libpq: no '@' after it counts. */
	check_mask("postgres://host/db@x", "postgres://host/db@x");
}

static void test_pg__mask_keyvalue_password(void **state)
{
	(void)state;
	check_mask("host=localhost password=hunter2 dbname=app",
		   "host=localhost password=*** dbname=app");
	check_mask("password = 'it\\'s a secret' user=a",
		   "password=*** user=a");
	check_mask("host=/tmp passfile=keep", "host=/tmp passfile=keep");
}

static void test_pg__local_hosts(void **state)
{
	(void)state;
	assert_true(mg_pg_host_is_local(""));
	assert_true(mg_pg_host_is_local("/var/run/postgresql"));
	assert_true(mg_pg_host_is_local("@abstract"));
	assert_true(mg_pg_host_is_local("localhost"));
	assert_true(mg_pg_host_is_local("LOCALHOST"));
	assert_true(mg_pg_host_is_local("127.0.0.1"));
	assert_true(mg_pg_host_is_local("127.1.2.3"));
	assert_true(mg_pg_host_is_local("::1"));
	assert_true(mg_pg_host_is_local("::ffff:127.0.0.1"));
	assert_false(mg_pg_host_is_local("192.0.2.1"));
	assert_false(mg_pg_host_is_local("128.0.0.1"));
	assert_false(mg_pg_host_is_local("db.example.com"));
	assert_false(mg_pg_host_is_local("localhost.example.com"));
	assert_false(mg_pg_host_is_local("::2"));
	assert_false(mg_pg_host_is_local("10.0.0.1"));
}

static int target_local(const char *conninfo, const char *want_remote)
{
	struct mg_pg_target t;
	char *remote = NULL;
	int local;

	assert_int_equal(mg_pg_target_parse(&t, conninfo), 0);
	local = mg_pg_target_is_local(&t, &remote);
	if (want_remote)
		assert_string_equal(remote, want_remote);
	mg_pg_target_release(&t);
	return local;
}

static void test_pg__target_local_before_connecting(void **state)
{
	(void)state;
	assert_true(target_local("postgres://u:p@localhost:5433/db", NULL));
	assert_true(target_local("postgres://u@[::1]:5433/db", NULL));
	assert_true(target_local("postgresql:///db?host=/tmp", NULL));
	assert_true(target_local("host=127.0.0.1 port=5433 dbname=x", NULL));
	assert_false(target_local("postgres://u:p@db.example.com/db",
				  "db.example.com"));
	assert_false(target_local("host=192.0.2.1 dbname=x", "192.0.2.1"));
	/* Several hosts: every one must be local. */
	assert_false(target_local("postgres://localhost,db.example.com/x",
				  "db.example.com"));
	/* hostaddr decides where libpq connects. */
	assert_true(target_local("host=db.example.com hostaddr=127.0.0.1",
				 NULL));
	assert_false(target_local("host=localhost hostaddr=192.0.2.7",
				  "192.0.2.7"));
}

static void test_pg__mask_forms_libpq_accepts(void **state)
{
	(void)state;
	/* A percent-encoded key is decoded by libpq: still a password. */
	check_mask("postgres://localhost/db?pass%77ord=PW1secret",
		   "postgres://localhost/db?pass%77ord=***");
	check_mask("postgres://localhost/db?sslpassword=PW1secret",
		   "postgres://localhost/db?sslpassword=***");
	/* Backslash-escaped blanks in an unquoted key=value value. */
	check_mask("host=localhost password=PW1\\ secret dbname=app",
		   "host=localhost password=*** dbname=app");
	/* What libpq misreads or refuses is not shown at all. */
	check_mask("POSTGRES://u:PW1secret@localhost/db", MG_PG_HIDDEN);
	check_mask("postgresql://u:PW1@secret@localhost/db", MG_PG_HIDDEN);
	check_mask("postgresql://u:PW1/secret@localhost/db", MG_PG_HIDDEN);
	check_mask("postgresql://u:PW1secret@[::1/db", MG_PG_HIDDEN);
	check_mask("host=localhost PASSWORD=PW1secret", MG_PG_HIDDEN);
	check_mask("host=localhost password='PW1secret", MG_PG_HIDDEN);
}

static void test_pg__parse_errors_never_quote(void **state)
{
	static const char *const bad[] = {
		"postgresql://u:PW1secret@[::1/db",
		"POSTGRES://u:PW1secret@localhost/db",
		"postgres://u:PW1@secret@localhost/db",
		"postgres://u:PW1/secret@localhost/db",
		"host=localhost password='PW1secret",
		"host=localhost PW1secret",
		"postgres://localhost/db?nope=PW1secret",
	};
	struct mg_pg_target t;
	struct mg_pg *c = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(mg_pg_target_parse(&t, bad[i]), MG_EUSAGE);
		assert_null(strstr(mg_error_last(), "PW1"));
		mg_pg_target_release(&t);
		/* Refused before libpq sees it: no message of libpq's. */
		assert_true(mg_pg_connect(&c, bad[i], NULL, 1) < 0);
		assert_null(strstr(mg_error_last(), "PW1"));
		assert_null(c);
	}
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* libpq's environment, as a connection would see it, for one test. */
static void clear_pg_env(void)
{
	static const char *const vars[] = { "PGHOST", "PGHOSTADDR",
		"PGPORT", "PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR" };
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
}

static void test_pg__service_decides_the_host(void **state)
{
	char dir[] = "/tmp/mg-pg-XXXXXX", file[64], sys[64];
	struct mg_pg *c = NULL;
	char *remote = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/services", dir);
	snprintf(sys, sizeof(sys), "%s/pg_service.conf", dir);
	write_file(file, "# services\n[prod]\nhost=192.0.2.10\nport=6543\n"
			 "[local]\nhost=/tmp\n[addr]\nhostaddr=192.0.2.11\n");
	write_file(sys, "[sys]\nhost=localhost,192.0.2.12\n");
	clear_pg_env();
	setenv("PGSERVICEFILE", file, 1);
	setenv("PGSYSCONFDIR", dir, 1);
	assert_false(target_local("postgres:///app?service=prod",
				  "192.0.2.10"));
	assert_false(target_local("service=prod dbname=app", "192.0.2.10"));
	assert_false(target_local("service=addr", "192.0.2.11"));
	assert_false(target_local("service=sys", "192.0.2.12"));
	assert_true(target_local("service=local", NULL));
	/* What the conninfo gives itself wins over the service. */
	assert_true(target_local("service=prod host=localhost", NULL));
	/* PGSERVICE names the service when the conninfo does not. */
	setenv("PGSERVICE", "prod", 1);
	assert_false(target_local("postgres:///app", "192.0.2.10"));
	assert_true(target_local("postgres:///app?service=local", NULL));
	/* The refusal comes before any connection, with the service named. */
	assert_true(mg_pg_connect(&c, "postgres:///app", NULL, 0) < 0);
	assert_null(c);
	assert_non_null(strstr(mg_error_last(), "192.0.2.10"));
	assert_non_null(strstr(mg_error_last(), "service 'prod'"));
	assert_string_equal(getenv("PGSERVICE"), "prod");
	unsetenv("PGSERVICE");
	/* The environment: PGHOST and PGHOSTADDR, when nothing else says. */
	setenv("PGHOST", "192.0.2.13", 1);
	assert_false(target_local("postgres:///app", "192.0.2.13"));
	assert_true(target_local("postgres://localhost/app", NULL));
	unsetenv("PGHOST");
	setenv("PGHOSTADDR", "192.0.2.14", 1);
	assert_false(target_local("postgres:///app", "192.0.2.14"));
	assert_false(target_local("host=localhost", "192.0.2.14"));
	(void)remote;
	clear_pg_env();
	unlink(file);
	unlink(sys);
	rmdir(dir);
}

static void test_pg__target_describe(void **state)
{
	struct mg_pg_target t;
	char *d;

	(void)state;
	assert_int_equal(mg_pg_target_parse(&t, "postgres://a@127.0.0.1:5433/"
					       "x"), 0);
	d = mg_pg_target_describe(&t);
	assert_string_equal(d, "127.0.0.1:5433");
	free(d);
	mg_pg_target_release(&t);
	assert_int_equal(mg_pg_target_parse(&t, "postgres://[::1]:6/x"), 0);
	d = mg_pg_target_describe(&t);
	assert_string_equal(d, "[::1]:6");
	free(d);
	mg_pg_target_release(&t);
}

static void test_pg__target_parse_rejects_garbage(void **state)
{
	struct mg_pg_target t;

	(void)state;
	assert_int_equal(mg_pg_target_parse(&t, "host=x nonsense"), MG_EUSAGE);
	assert_non_null(strstr(mg_error_last(), "invalid connection string"));
	mg_pg_target_release(&t);
}

static void test_pg__quote_ident(void **state)
{
	char *q;

	(void)state;
	q = mg_pg_quote_ident("__drizzle_migrations");
	assert_string_equal(q, "\"__drizzle_migrations\"");
	free(q);
	q = mg_pg_quote_ident("a\"b");
	assert_string_equal(q, "\"a\"\"b\"");
	free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pg__mask_url_password),
		cmocka_unit_test(test_pg__mask_keyvalue_password),
		cmocka_unit_test(test_pg__local_hosts),
		cmocka_unit_test(test_pg__target_local_before_connecting),
		cmocka_unit_test(test_pg__target_describe),
		cmocka_unit_test(test_pg__target_parse_rejects_garbage),
		cmocka_unit_test(test_pg__quote_ident),
		cmocka_unit_test(test_pg__mask_forms_libpq_accepts),
		cmocka_unit_test(test_pg__parse_errors_never_quote),
		cmocka_unit_test(test_pg__service_decides_the_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

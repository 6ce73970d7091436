#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	check_mask("postgres://localhost/db?user=a&password=hunter2&x=1",
		   "postgres://localhost/db?user=a&password=***&x=1");
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
	check_mask("host=/tmp passwordx=keep", "host=/tmp passwordx=keep");
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * migguard-apply's inputs besides migrations: a .env file (the key is the
 * input's first line, the file the rest) and the database URL found in it
 * (libpq's parser, then the local-host rule, the description and the
 * password mask).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "migguard/dotenv.h"
#include "migguard/error.h"
#include "migguard/pg.h"
#include "migguard/strbuf.h"

static void check_url(const char *url)
{
	struct mg_pg_target t;
	char *remote = NULL, *desc, *masked;

	masked = mg_pg_mask(url);
	/* Only a password may go: the mask never invents text. */
	if (!masked)
		abort();
	free(masked);
	memset(&t, 0, sizeof(t));
	if (mg_pg_target_parse(&t, url) < 0)
		return;
	(void)mg_pg_target_is_local(&t, &remote);
	desc = mg_pg_target_describe(&t);
	free(desc);
	mg_pg_target_release(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	const char *nl = memchr(buf, '\n', size);
	char *key = mg_xstrndup(buf, nl ? (size_t)(nl - buf) : size);
	const char *env = nl ? nl + 1 : buf + size;
	size_t env_len = nl ? size - (size_t)(env - buf) : 0;
	char *value = NULL, *whole;
	unsigned line = 0;

	if (mg_dotenv_get(&value, &line, env, env_len,
			  *key ? key : "DATABASE_URL") == 0) {
		if (!value || line < 1)
			abort();
		check_url(value);
	}
	free(value);
	/* The whole input as a --database-url. */
	whole = mg_xstrndup(buf, size);
	check_url(whole);
	free(whole);
	free(key);
	return 0;
}

/*
 * What the unit tests of the migrations folders share: shell commands
 * that must succeed and scratch copies of fixtures. Include after
 * cmocka.h and migguard/strbuf.h.
 */
#ifndef MG_TEST_SCRATCH_H
#define MG_TEST_SCRATCH_H

#include <stdlib.h>

/* Run a shell command made as mg_xstrfmt makes strings; it must succeed. */
#define run(...)                                                       \
	do {                                                           \
		char *cmd_ = mg_xstrfmt(__VA_ARGS__);                  \
		assert_int_equal(system(cmd_), 0);                     \
		free(cmd_);                                            \
	} while (0)

/*
 * A new folder under /tmp holding a copy of the folder from (an empty
 * one for NULL); the caller removes it with scratch_rm.
 */
static inline char *scratch(const char *from)
{
	char tmpl[] = "/tmp/mg-test-XXXXXX";
	char *dir;

	assert_non_null(mkdtemp(tmpl));
	dir = mg_xstrdup(tmpl);
	if (from)
		run("cp -R '%s/.' '%s/'", from, dir);
	return dir;
}

static inline void scratch_rm(char *dir)
{
	run("rm -rf '%s'", dir);
	free(dir);
}

#endif

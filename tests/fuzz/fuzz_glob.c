/*
 * mg_glob_match: a pattern and a path (split at the first newline) from a
 * hostile .migguard.json or drizzle.config. The match must end in time
 * proportional to pattern times path: libFuzzer's -timeout catches a
 * backtracking one.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "migguard/glob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	char *pattern, *path;
	size_t plen;

	if (!nl)
		return 0;
	plen = (size_t)(nl - (const char *)data);
	pattern = malloc(plen + 1);
	path = malloc(size - plen);
	if (!pattern || !path)
		abort();
	memcpy(pattern, data, plen);
	pattern[plen] = '\0';
	memcpy(path, nl + 1, size - plen - 1);
	path[size - plen - 1] = '\0';
	(void)mg_glob_match(pattern, path);
	(void)mg_path_watched(pattern, path);
	free(pattern);
	free(path);
	return 0;
}

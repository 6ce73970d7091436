/*
 * Replay driver: feed files (or every file of folders) to the same
 * LLVMFuzzerTestOneInput the fuzzer runs, built with any compiler. A crash
 * is a crash; exit 0 when every input went through. Files whose name
 * starts with '.' and paths that do not exist are skipped.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "migguard/strbuf.h"

static int replay_file(const char *path)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	FILE *f = fopen(path, "rb");
	uint8_t *copy = NULL;
	char buf[65536];
	size_t n;
	int err = 0;

	if (!f) {
		fprintf(stderr, "replay: cannot open '%s'\n", path);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		mg_strbuf_add(&sb, buf, n);
	if (ferror(f)) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		err = -1;
		goto out;
	}
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, sb.len);
	/* Exactly len bytes, no NUL after them, so ASan sees overreads. */
	copy = mg_xmalloc(sb.len ? sb.len : 1);
	if (sb.len)
		memcpy(copy, sb.buf, sb.len);
	LLVMFuzzerTestOneInput(copy, sb.len);
out:
	free(copy);
	fclose(f);
	mg_strbuf_release(&sb);
	return err;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_path(const char *path, size_t *count)
{
	struct mg_strlist names = MG_STRLIST_INIT;
	struct dirent *de;
	struct stat st;
	DIR *dir = NULL;
	size_t i;
	int err = 0;

	/* A target without crashers or seeds has no folder for them. */
	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: no '%s', skipped\n", path);
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return replay_file(path);
	}
	dir = opendir(path);
	if (!dir) {
		fprintf(stderr, "replay: cannot read folder '%s'\n", path);
		return -1;
	}
	for (de = readdir(dir); de; de = readdir(dir))
		if (de->d_name[0] != '.')
			mg_strlist_push(&names, de->d_name);
	closedir(dir);
	qsort(names.items, names.nr, sizeof(*names.items), cmp_str);
	for (i = 0; i < names.nr && err == 0; i++) {
		char *child = mg_path_join(path, names.items[i]);

		err = replay_path(child, count);
		free(child);
	}
	mg_strlist_release(&names);
	return err;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i;

	for (i = 1; i < argc; i++)
		if (replay_path(argv[i], &count) < 0)
			return 1;
	fprintf(stderr, "replay: %zu inputs, no crash\n", count);
	return 0;
}

/*
 * Time mg_journal_check_dir on a folder on disk (the library level of
 * `migguard-journal --all`): load, check against a published copy, and
 * print the findings count and the wall time. Not a test: a measurement.
 * usage: journal-bench ROOT MIGRATIONS [PUBLISHED_ROOT]
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "migguard/journal.h"

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct mg_tree *head = NULL, *pub = NULL;
	struct mg_migdir *d = NULL, *pd = NULL;
	struct mg_journal_options opts;
	struct mg_project p;
	struct mg_report r;
	double start;
	int err = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: journal-bench ROOT MIGRATIONS "
				"[PUBLISHED_ROOT]\n");
		return 2;
	}
	mg_report_init(&r);
	memset(&p, 0, sizeof(p));
	p.name = "bench";
	p.migrations = argv[2];
	p.prefix = "index";
	mg_journal_options_init(&opts);
	opts.now_ms = (long long)time(NULL) * 1000;
	start = now_seconds();
	if (mg_tree_open_dir(&head, argv[1]) < 0)
		goto out;
	if (argc > 3 ? mg_tree_open_dir(&pub, argv[3]) < 0
		     : mg_tree_open_empty(&pub) < 0)
		goto out;
	if (mg_migdir_load(&d, head, argv[2]) < 0 ||
	    mg_migdir_load(&pd, pub, argv[2]) < 0)
		goto out;
	if (mg_journal_check_dir(&r, d, &p, pd, &opts) < 0)
		goto out;
	printf("%zu migrations, %zu findings, %.3f s\n", d->nr, r.nr,
	       now_seconds() - start);
	err = 0;
out:
	if (err)
		fprintf(stderr, "journal-bench: error: %s\n", mg_error_last());
	mg_migdir_free(pd);
	mg_migdir_free(d);
	mg_tree_free(pub);
	mg_tree_free(head);
	mg_report_release(&r);
	return err;
}

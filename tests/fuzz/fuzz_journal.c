/*
 * The journal check on a whole tree (memtree.c format): every project's
 * folder checked with mg_journal_check_dir against a published base. A
 * line "@@@@ published" splits the input: the head tree before it, the
 * published tree after (none: nothing is published).
 */
#include <string.h>

#include "fuzz.h"
#include "migguard/config.h"
#include "migguard/journal.h"
#include "migguard/migdir.h"
#include "migguard/report.h"
#include "migguard/strbuf.h"

static const char split_mark[] = "\n@@@@ published\n";

static void check_project(struct mg_tree *head, struct mg_tree *base,
			  const struct mg_project *p)
{
	struct mg_journal_options opts;
	struct mg_migdir *d = NULL, *published = NULL;
	struct mg_strbuf out = MG_STRBUF_INIT;
	struct mg_report r;

	mg_report_init(&r);
	mg_journal_options_init(&opts);
	opts.now_ms = 1800000000000LL;
	if (mg_migdir_load(&d, head, p->migrations) < 0)
		goto out;
	if (base && mg_migdir_load(&published, base, p->migrations) < 0)
		goto out;
	if (mg_journal_check_dir(&r, d, p, published, &opts) == 0) {
		mg_report_sort(&r);
		mg_report_format(&out, &r, MG_FORMAT_TEXT, 0);
		mg_report_format(&out, &r, MG_FORMAT_JSON, 0);
	}
out:
	mg_strbuf_release(&out);
	mg_migdir_free(published);
	mg_migdir_free(d);
	mg_report_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t head_len = size, i, mlen = sizeof(split_mark) - 1;
	struct mg_tree *head = NULL, *base = NULL;
	struct mg_config cfg;

	for (i = 0; i + mlen <= size; i++) {
		if (!memcmp(buf + i, split_mark, mlen)) {
			head_len = i;
			mg_fuzz_memtree_open(&base, data + i + mlen,
					     size - i - mlen);
			break;
		}
	}
	mg_fuzz_memtree_open(&head, data, head_len);
	if (mg_config_load(&cfg, head) == 0) {
		for (i = 0; i < cfg.projects_nr; i++)
			check_project(head, base, &cfg.projects[i]);
	}
	mg_config_release(&cfg);
	mg_tree_free(base);
	mg_tree_free(head);
	return 0;
}

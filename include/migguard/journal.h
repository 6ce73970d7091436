/*
 * The journal check: _journal.json, the snapshots and the .sql files of a
 * drizzle migrations folder agree, and the migrations already published
 * are unchanged. mg_journal_check (check.h) runs it on every project the
 * change set touches; the pieces below check one loaded folder, so tests
 * and a fuzzer can drive the parsing without a repository.
 */
#ifndef MIGGUARD_JOURNAL_H
#define MIGGUARD_JOURNAL_H

#include "migguard/check.h"
#include "migguard/config.h"
#include "migguard/migdir.h"
#include "migguard/report.h"

/* A `when` this far past now is reported (one day, in milliseconds). */
#define MG_JOURNAL_FUTURE_SKEW_MS (24LL * 60 * 60 * 1000)
/*
 * journal-partial: a folder of at least this many SQL files whose journal
 * lists under half of them is run by another migrator.
 */
#define MG_JOURNAL_PARTIAL_MIN 4

#define MG_JOURNAL_OID_HEXSZ 65

struct mg_journal_options {
	/*
	 * The current time in epoch milliseconds, for the future-`when`
	 * warning; 0 disables it. mg_journal_check fills it from time().
	 */
	long long now_ms;
	long long future_skew_ms; /* MG_JOURNAL_FUTURE_SKEW_MS by default */
	/*
	 * Trust the published snapshots left unchanged (same blob id, same
	 * journal position): read only the new or changed ones and the one
	 * before them, and check every snapshot only when those do not chain
	 * cleanly. mg_journal_check_with sets it outside --all. A duplicate
	 * of an old snapshot's id in a new snapshot that chains otherwise is
	 * then not seen (--all sees it). Likewise the published .sql files
	 * whose blob id is unchanged are not read again for their bytes
	 * (BOM, NUL, UTF-8, CRLF): they were checked when they were new.
	 */
	int trust_published;
	/*
	 * The blob id a file had in the commit that first added it, from
	 * history (NULL: not asked). A published file whose bytes are back
	 * to those is restored, not edited. Returns 0 and fills out, or < 0
	 * when history does not say.
	 */
	int (*first_blob)(void *data, const char *path,
			  char out[MG_JOURNAL_OID_HEXSZ]);
	void *first_blob_data;
};

void mg_journal_options_init(struct mg_journal_options *opts);

/*
 * Check one loaded folder d of project p, and compare it with the same
 * folder in the published base (NULL: nothing is published). Findings
 * go to r; returns < 0 only when a file cannot be read for a reason
 * other than its absence.
 */
int mg_journal_check_dir(struct mg_report *r, struct mg_migdir *d,
			 const struct mg_project *p,
			 struct mg_migdir *published,
			 const struct mg_journal_options *opts);

struct mg_migfolder;

/*
 * The same for a folder in the folder layout of drizzle-kit 1.0
 * (migfolder.h): snapshots valid and chained, branches that commute,
 * no SQL outside a migration folder, folder names the migrator can
 * insert, and the published folders unchanged and not renamed.
 * published is the folder in the published base when that is in the
 * folder layout too; published_journal, when instead it is still in the
 * journal layout (the commit that runs `drizzle-kit up`): each of its
 * migrations must be some folder's migration.sql, byte for byte. Both
 * NULL: nothing to compare. journal_folder.c.
 */
int mg_journal_check_folder(struct mg_report *r, struct mg_migfolder *f,
			    const struct mg_project *p,
			    struct mg_migfolder *published,
			    struct mg_migdir *published_journal,
			    const struct mg_journal_options *opts);

/* mg_journal_check with explicit options (tests pass a fixed now). */
int mg_journal_check_with(struct mg_report *r, struct mg_context *ctx,
			  const struct mg_journal_options *opts);

/* 1 when the change set touches p's migrations folder or schema. */
int mg_journal_project_touched(const struct mg_context *ctx,
			       const struct mg_project *p);

#endif

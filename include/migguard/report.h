/*
 * Findings and their output formats. Every rule id of the contract is in
 * one table here, with its check, default severity and a one-line summary
 * (SARIF lists them). A rule violation is a finding, never an error code.
 */
#ifndef MIGGUARD_REPORT_H
#define MIGGUARD_REPORT_H

#include <stddef.h>

#include "migguard/error.h"
#include "migguard/strbuf.h"

enum mg_severity {
	MG_SEVERITY_OFF = 0,
	MG_SEVERITY_WARNING = 1,
	MG_SEVERITY_ERROR = 2,
};

struct mg_rule {
	const char *id;
	const char *check; /* "pair", "journal", "lint", "docs", "apply" */
	enum mg_severity severity; /* default */
	const char *summary;
};

const struct mg_rule *mg_rule_find(const char *id);
const struct mg_rule *mg_rules_all(size_t *nr);
/* "error", "warning", "off" -> severity; MG_EUSAGE otherwise. */
int mg_severity_parse(enum mg_severity *out, const char *name);
const char *mg_severity_name(enum mg_severity sev);

struct mg_finding {
	const char *rule; /* static: from the rule table */
	enum mg_severity severity;
	char *path;	 /* repository-relative, '/' separated; may be "" */
	unsigned line;	 /* 1-based; 0 when the finding has no line */
	unsigned column; /* 1-based; 0 when the finding has no column */
	char *message;
	char *hint; /* NULL when there is none */
	/*
	 * Stable identity across commits, with rule and path: a hash of the
	 * rule and what the finding is about (the statement or entry text
	 * when the check gave it, else the message without its digits),
	 * never a line number; the path is compared beside it, so a moved
	 * file keeps its fingerprints. Hex of a 64-bit FNV-1a hash. See
	 * mg_report_anchor.
	 */
	char fingerprint[17];
};

struct mg_report {
	struct mg_finding *items;
	size_t nr, alloc;
	/* Per-rule severity overrides from config, indexed like mg_rules_all. */
	enum mg_severity *severity;
	/* Informational lines for stderr ("docs check waived by ..."). */
	char **notes;
	size_t notes_nr, notes_alloc;
	/*
	 * Findings left out because they already held at the base of the
	 * change (mg_report_subtract); counted when counts_preexisting.
	 */
	size_t preexisting;
	int counts_preexisting;
};

void mg_report_init(struct mg_report *r);
void mg_report_release(struct mg_report *r);
int mg_report_set_severity(struct mg_report *r, const char *rule,
			   enum mg_severity sev);
enum mg_severity mg_report_severity(const struct mg_report *r,
				    const char *rule);
/*
 * Append a finding. The rule must be in the table (an unknown id aborts:
 * it is a programming error). A rule configured "off" is dropped.
 */
void mg_report_add(struct mg_report *r, const char *rule, const char *path,
		   unsigned line, unsigned column, const char *hint,
		   const char *fmt, ...) MG_PRINTF(7, 8);
void mg_report_note(struct mg_report *r, const char *fmt, ...)
	MG_PRINTF(2, 3);
/*
 * Give the findings added since index `since` the text they are about
 * (a statement, a journal entry): their fingerprint is then rule, path
 * and that text (whitespace runs count as one space), so it survives
 * lines moving and messages naming positions.
 */
void mg_report_anchor(struct mg_report *r, size_t since, const char *text,
		      size_t len);
/* The fingerprint of rule, path and anchor text, as findings carry it. */
void mg_fingerprint(char out[17], const char *rule, const char *path,
		    const char *text, size_t len);
/*
 * Drop from r's findings from index since on every one whose fingerprint
 * (and rule and path) one of base's matches, each of base's matching at
 * most one; returns how many were dropped.
 */
size_t mg_report_subtract(struct mg_report *r, size_t since,
			  const struct mg_report *base);
/* A new report with r's severities. */
void mg_report_init_like(struct mg_report *r, const struct mg_report *like);
/* Sort by path, line, column, rule, message; drop exact duplicates. */
void mg_report_sort(struct mg_report *r);
void mg_report_count(const struct mg_report *r, size_t *errors,
		     size_t *warnings);
/* Move every finding and note of src to the end of dst; src is emptied. */
void mg_report_move(struct mg_report *dst, struct mg_report *src);

enum mg_format {
	MG_FORMAT_TEXT,
	MG_FORMAT_JSON,
	MG_FORMAT_GITHUB,
	MG_FORMAT_SARIF,
};

int mg_format_parse(enum mg_format *out, const char *name);
/* Render the (sorted) findings; colour applies to text only. */
void mg_report_format(struct mg_strbuf *out, const struct mg_report *r,
		      enum mg_format format, int color);
/* The notes for stderr, one a line, escaped as messages are. */
void mg_report_format_notes(struct mg_strbuf *out, const struct mg_report *r);
/*
 * The last line for stderr: "migguard: N errors, M warnings" ("1 error",
 * "1 warning"); before it, when findings were left out as pre-existing,
 * the line that says how many.
 */
void mg_report_summary(struct mg_strbuf *out, const struct mg_report *r);

#endif

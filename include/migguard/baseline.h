/*
 * .migguard-baseline.json: the findings a team accepted once (`migguard
 * baseline`), left out of `migguard check --all`. An entry is a rule, a
 * path and a finding's fingerprint (report.h: the statement or entry
 * text, never a line number), so it keeps matching while lines move.
 * Read from the checked tree, like the config.
 */
#ifndef MIGGUARD_BASELINE_H
#define MIGGUARD_BASELINE_H

#include "migguard/report.h"
#include "migguard/strbuf.h"
#include "migguard/tree.h"

#define MG_BASELINE_FILE ".migguard-baseline.json"

/*
 * The baseline text of r's findings: sorted by path, rule, fingerprint,
 * one entry a line, so the same findings give the same bytes.
 * baseline-stale findings are left out.
 */
void mg_baseline_format(struct mg_strbuf *out, const struct mg_report *r);
/*
 * Read the baseline from tree (none: nothing to do) and drop from r's
 * findings from index since on those an entry matches (each entry
 * matches one finding); an entry that matches nothing is a
 * baseline-stale warning at its line, when its rule is one of the checks
 * that ran (checks: MG_CHECK_* bits of check.h; a lint entry is not
 * stale in a run of migguard-journal). An unreadable or malformed file is
 * MG_ERROR with "path:line:col: reason" in mg_error_last().
 */
#define MG_BASELINE_ALL_CHECKS (~0u)
int mg_baseline_apply(struct mg_report *r, size_t since,
		      struct mg_tree *tree, unsigned checks);

#endif

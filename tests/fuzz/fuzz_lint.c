/*
 * mg_lint_sql, the whole linter (breakpoints, the scanner, the parser,
 * PL/pgSQL, ignore directives, line:column mapping, every rule) on
 * arbitrary bytes. A line "@@@ snapshot" splits off a previous snapshot
 * (JSON) for the index-name rules. The report is formatted too.
 */
#include <string.h>

#include "fuzz.h"
#include "migguard/lint.h"
#include "migguard/report.h"
#include "migguard/strbuf.h"

static const char snap_mark[] = "\n@@@ snapshot\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mg_lint_options opts = { 3, (char *)"organization_id",
					(char *)"authenticated",
					(char *)"cascade", 1, 1, 1 };
	const char *buf = (const char *)data;
	struct mg_json *snap = NULL;
	struct mg_lint_input in;
	struct mg_strbuf out = MG_STRBUF_INIT;
	struct mg_report r;
	size_t i, sql_len = size, mlen = sizeof(snap_mark) - 1;

	for (i = 0; i + mlen <= size; i++) {
		if (!memcmp(buf + i, snap_mark, mlen)) {
			sql_len = i;
			(void)mg_json_parse(&snap, buf + i + mlen,
					    size - i - mlen, NULL);
			break;
		}
	}
	memset(&in, 0, sizeof(in));
	in.path = "src/migrations/0005_fuzz.sql";
	in.sql = buf;
	in.len = sql_len;
	in.index = (long long)(size % 9) - 1;
	in.custom = size % 5 == 0;
	in.prev_snapshot = snap;
	mg_report_init(&r);
	if (mg_lint_sql(&r, &opts, &in) == 0) {
		mg_report_sort(&r);
		mg_report_format(&out, &r, MG_FORMAT_TEXT, 1);
		mg_report_format(&out, &r, MG_FORMAT_SARIF, 0);
		mg_report_format(&out, &r, MG_FORMAT_GITHUB, 0);
	}
	mg_strbuf_release(&out);
	mg_report_release(&r);
	mg_json_free(snap);
	return 0;
}

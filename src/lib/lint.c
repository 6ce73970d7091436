#include "migguard/check.h"
#include "migguard/lint.h"

int mg_lint_check(struct mg_report *r, struct mg_context *ctx)
{
	(void)r;
	(void)ctx;
	return mg_error_set("migguard-lint is not implemented yet");
}

int mg_lint_sql(struct mg_report *r, const struct mg_lint_options *opts,
		const struct mg_lint_input *in)
{
	(void)r;
	(void)opts;
	(void)in;
	return mg_error_set("migguard-lint is not implemented yet");
}

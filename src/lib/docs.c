#include "migguard/check.h"

int mg_docs_check(struct mg_report *r, struct mg_context *ctx)
{
	(void)r;
	(void)ctx;
	return mg_error_set("migguard-docs is not implemented yet");
}

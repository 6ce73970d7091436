#include "migguard/check.h"

int mg_journal_check(struct mg_report *r, struct mg_context *ctx)
{
	(void)r;
	(void)ctx;
	return mg_error_set("migguard-journal is not implemented yet");
}

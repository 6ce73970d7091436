#include "migguard/check.h"

int mg_pair_check(struct mg_report *r, struct mg_context *ctx)
{
	(void)r;
	(void)ctx;
	return mg_error_set("migguard-pair is not implemented yet");
}

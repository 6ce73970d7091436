#include <stdlib.h>
#include <string.h>

#include "migguard/config.h"

int mg_config_load(struct mg_config *cfg, struct mg_tree *tree)
{
	(void)tree;
	memset(cfg, 0, sizeof(*cfg));
	return mg_error_set("config: not implemented yet");
}

void mg_config_release(struct mg_config *cfg)
{
	(void)cfg;
}

void mg_config_apply(const struct mg_config *cfg, struct mg_report *r)
{
	(void)cfg;
	(void)r;
}

void mg_config_watched(const struct mg_config *cfg, struct mg_strlist *out)
{
	(void)cfg;
	(void)out;
}

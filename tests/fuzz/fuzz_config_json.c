/* mg_config_parse_json: .migguard.json as anyone may commit it. */
#include <string.h>

#include "fuzz.h"
#include "migguard/config.h"
#include "migguard/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mg_config cfg;
	struct mg_strlist watched = MG_STRLIST_INIT;
	struct mg_report r;
	size_t i;

	memset(&cfg, 0, sizeof(cfg));
	if (mg_config_parse_json(&cfg, ".migguard.json", (const char *)data,
				 size) == 0) {
		mg_report_init(&r);
		mg_config_apply(&cfg, &r);
		mg_report_release(&r);
		mg_config_watched(&cfg, &watched);
		for (i = 0; i < cfg.projects_nr; i++) {
			(void)mg_project_is_schema(&cfg.projects[i],
						   "src/schema/a.ts");
			(void)mg_config_project_of_migration(
				&cfg, "src/migrations/0000_a.sql");
		}
		mg_strlist_release(&watched);
	}
	mg_config_release(&cfg);
	return 0;
}

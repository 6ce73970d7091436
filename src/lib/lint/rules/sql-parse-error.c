/*
 * sql-parse-error: what PostgreSQL's parser refuses fails the migration
 * when the migrator reaches it (and what migguard cannot read it cannot
 * review). The walk (lint.c) reports it, since it is the one parsing:
 * a bad byte order mark, NUL bytes, invalid UTF-8, a statement or DO body
 * the grammar rejects, a migguard-ignore naming no or an unknown rule.
 */
#include "../rule.h"

const struct mg_lint_rule mg_lint_rule_sql_parse_error = {
	.id = "sql-parse-error",
};

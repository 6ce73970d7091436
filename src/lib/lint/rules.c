/*
 * The lint rules: this table is the only place that lists them. A new
 * rule is one file in rules/ named by its id, one line here, its entry
 * in the rule catalogue (report.c: severity, summary) and its golden
 * cases in tests/golden/<rule-id>/. The walk calls the rules in this
 * order; the report sorts what they find.
 */
#include "rule.h"

#define MG_LINT_RULE_TABLE(X)                                                \
	X(sql_parse_error)                                                   \
	X(drop_table)                                                        \
	X(drop_column)                                                       \
	X(rename_as_drop)                                                    \
	X(missing_if_not_exists)                                             \
	X(enum_without_guard)                                                \
	X(extension_without_guard)                                           \
	X(rls_missing)                                                       \
	X(rls_policy_missing)                                                \
	X(identifier_too_long)                                               \
	X(index_name_collision)                                              \
	X(fk_on_delete)                                                      \
	X(concurrently_in_transaction)                                       \
	X(manual_addition_without_header)                                    \
	X(transaction_control)

#define DECLARE(name) extern const struct mg_lint_rule mg_lint_rule_##name;
MG_LINT_RULE_TABLE(DECLARE)
#undef DECLARE

#define ENTRY(name) &mg_lint_rule_##name,
static const struct mg_lint_rule *const table[] = {
	MG_LINT_RULE_TABLE(ENTRY)
};
#undef ENTRY

const struct mg_lint_rule *const *mg_lint_rules(size_t *nr)
{
	*nr = sizeof(table) / sizeof(table[0]);
	return table;
}

const char *mg_lint_rule_id(size_t i)
{
	return i < sizeof(table) / sizeof(table[0]) ? table[i]->id : NULL;
}

/*
 * concurrently-in-transaction: drizzle's migrator runs every pending
 * migration in one transaction, where CREATE/DROP INDEX CONCURRENTLY
 * (and REFRESH MATERIALIZED VIEW CONCURRENTLY) always fail.
 */
#include "../rule.h"

static void tokens(struct mg_lint *l, const struct mg_lint_unit *u,
		   void *state)
{
	size_t i;

	(void)state;
	for (i = 0; i < u->tokens_nr; i++) {
		const struct mg_pg_token *t = &u->tokens[i];

		if (t->kind == MG_PG_TOKEN_KEYWORD &&
		    mg_lint_token_is(u, i, "concurrently"))
			mg_lint_add(l, "concurrently-in-transaction",
				    mg_lint_pos(u, t->start), u->stmt,
				    "drizzle runs all pending migrations in "
				    "one transaction, where CONCURRENTLY "
				    "fails: drop the keyword (the table is "
				    "locked meanwhile) or run it outside the "
				    "migrator",
				    "CONCURRENTLY cannot run inside the "
				    "migrator's transaction");
	}
}

const struct mg_lint_rule mg_lint_rule_concurrently_in_transaction = {
	.id = "concurrently-in-transaction",
	.tokens = tokens,
};

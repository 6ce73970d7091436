/*
 * identifier-too-long: PostgreSQL cuts identifiers to 63 bytes without a
 * word, so two long index or constraint names may become one.
 */
#include <stdlib.h>
#include <string.h>

#include "../rule.h"

static void tokens(struct mg_lint *l, const struct mg_lint_unit *u,
		   void *state)
{
	size_t i;

	(void)state;
	for (i = 0; i < u->tokens_nr; i++) {
		const struct mg_pg_token *t = &u->tokens[i];
		char *id;

		if (t->kind != MG_PG_TOKEN_IDENT)
			continue;
		id = mg_lint_token_ident(u->text, t);
		if (strlen(id) > MG_LINT_NAMEDATALEN_MAX)
			mg_lint_add(l, "identifier-too-long",
				    mg_lint_pos(u, t->start), u->stmt,
				    "shorten it (in the schema, give the "
				    "index, foreign key or constraint an "
				    "explicit name)",
				    "identifier \"%s\" is %zu bytes, "
				    "postgresql silently truncates it to "
				    "\"%.*s\"", id, strlen(id),
				    (int)mg_lint_ident_clip(id), id);
		free(id);
	}
}

const struct mg_lint_rule mg_lint_rule_identifier_too_long = {
	.id = "identifier-too-long",
	.tokens = tokens,
};

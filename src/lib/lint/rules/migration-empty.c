/*
 * migration-empty: a migration with no statement, which the migrator
 * records as applied having run nothing. The usual cause: SQL appended
 * to a `drizzle-kit generate --custom` file, whose template line
 * "-- Custom SQL migration file, put your code below! --" has no
 * newline, so `echo "INSERT ..." >> file` glues the statement into the
 * comment. Such a glued line is named even when other statements follow.
 */
#include <stdint.h>
#include <string.h>

#include "../rule.h"

static const char rule[] = "migration-empty";
static const char template_line[] =
	"-- Custom SQL migration file, put your code below! --";

/* Offset of SQL glued after the template in comment t, or SIZE_MAX. */
static size_t glued(const struct mg_lint *l, const struct mg_pg_token *t)
{
	size_t n = sizeof(template_line) - 1, i;

	if (t->kind != MG_PG_TOKEN_COMMENT || t->end - t->start <= n ||
	    memcmp(l->buf + t->start, template_line, n))
		return SIZE_MAX;
	for (i = t->start + n; i < t->end; i++)
		if (l->buf[i] != ' ' && l->buf[i] != '\t' &&
		    l->buf[i] != '\r')
			return i;
	return SIZE_MAX;
}

static void file(struct mg_lint *l, void *state)
{
	size_t i, at = SIZE_MAX;
	int statements = 0;

	(void)state;
	for (i = 0; i < l->findings_nr; i++)
		if (!strcmp(l->findings[i].rule, "sql-parse-error") &&
		    l->findings[i].stmt == MG_LINT_NO_STMT)
			return; /* the file could not be cut into statements */
	for (i = 0; i < l->stmts_nr; i++)
		if (l->stmts[i].first != SIZE_MAX)
			statements = 1;
	for (i = 0; i < l->tokens_nr && at == SIZE_MAX; i++)
		at = glued(l, &l->tokens[i]);
	if (at != SIZE_MAX)
		mg_lint_add(l, rule, at, MG_LINT_NO_STMT,
			    "put it on a line of its own, after the template's",
			    "the SQL on this line is part of the --custom "
			    "template's comment and never runs%s",
			    statements ? "" : ": the migration holds no "
					      "statement");
	else if (!statements)
		mg_lint_add(l, rule, 0, MG_LINT_NO_STMT,
			    "add its SQL, or delete the migration (SQL file, "
			    "snapshot and journal entry)",
			    "migration holds no statement: the migrator "
			    "records it as applied having run nothing");
}

const struct mg_lint_rule mg_lint_rule_migration_empty = {
	.id = "migration-empty",
	.file = file,
};

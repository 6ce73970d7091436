/*
 * transaction-control: drizzle's migrator runs every pending migration in
 * one transaction of its own. A COMMIT (or END) in a migration ends it
 * early, so a later failure leaves the database half migrated; ROLLBACK
 * throws away what ran before and lets the rest run outside any
 * transaction; BEGIN only warns but its COMMIT follows; SAVEPOINT and
 * RELEASE need the migrator's transaction (drivers without one fail) and
 * are refused in a DO block; SET TRANSACTION fails after the first query;
 * PREPARE TRANSACTION and COMMIT/ROLLBACK PREPARED end or fail it. In a DO
 * block, COMMIT and ROLLBACK fail ("invalid transaction termination").
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "../rule.h"

static const char rule[] = "transaction-control";
static const char fix[] = "remove it: drizzle's migrator runs all pending "
			  "migrations in one transaction of its own";

/* The SQL and what it does to the migrator's transaction. */
static const char *what_kind(const char *kind, const char **effect)
{
	static const struct {
		const char *kind, *sql, *effect;
	} kinds[] = {
		{ "TRANS_STMT_BEGIN", "BEGIN",
		  "opens no new transaction, and the COMMIT that goes with it "
		  "ends the migrator's" },
		{ "TRANS_STMT_START", "START TRANSACTION",
		  "opens no new transaction, and the COMMIT that goes with it "
		  "ends the migrator's" },
		{ "TRANS_STMT_COMMIT", "COMMIT",
		  "ends the migrator's transaction: a later failure leaves "
		  "the database half migrated" },
		{ "TRANS_STMT_ROLLBACK", "ROLLBACK",
		  "throws away what the migrator ran before it and lets the "
		  "rest run outside any transaction" },
		{ "TRANS_STMT_SAVEPOINT", "SAVEPOINT",
		  "depends on the migrator's transaction (drivers that run "
		  "without one fail)" },
		{ "TRANS_STMT_RELEASE", "RELEASE",
		  "depends on the migrator's transaction (drivers that run "
		  "without one fail)" },
		{ "TRANS_STMT_ROLLBACK_TO", "ROLLBACK TO",
		  "depends on the migrator's transaction (drivers that run "
		  "without one fail)" },
		{ "TRANS_STMT_PREPARE", "PREPARE TRANSACTION",
		  "ends the migrator's transaction" },
		{ "TRANS_STMT_COMMIT_PREPARED", "COMMIT PREPARED",
		  "cannot run inside the migrator's transaction" },
		{ "TRANS_STMT_ROLLBACK_PREPARED", "ROLLBACK PREPARED",
		  "cannot run inside the migrator's transaction" },
	};
	size_t i;

	for (i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!strcmp(kind, kinds[i].kind)) {
			*effect = kinds[i].effect;
			return kinds[i].sql;
		}
	}
	return NULL;
}

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	const char *sql = NULL, *effect = NULL;

	(void)state;
	if (!strcmp(type, "TransactionStmt")) {
		sql = what_kind(mg_json_get_string(s, "kind"), &effect);
	} else if (!strcmp(type, "VariableSetStmt")) {
		const char *name = mg_json_get_string(s, "name");

		if (name && !strncmp(name, "TRANSACTION", 11)) {
			sql = "SET TRANSACTION";
			effect = "fails once the migrator's transaction has run "
				 "a query";
		}
	}
	if (!sql)
		return;
	if (u->in_do)
		mg_lint_add(l, rule, mg_lint_pos(u, mg_lint_first(u)), u->stmt,
			    fix, "%s in a DO block fails inside the "
			    "migrator's transaction", sql);
	else
		mg_lint_add(l, rule, mg_lint_pos(u, mg_lint_first(u)), u->stmt,
			    fix, "%s in a migration %s", sql, effect);
}

/* The word (lowercase) in u's text at or after rel, else rel. */
static size_t word_at(const struct mg_lint_unit *u, size_t rel,
		      const char *word)
{
	size_t i, n = strlen(word);

	for (i = rel; i + n <= u->len; i++)
		if (!strncasecmp(u->text + i, word, n) &&
		    (i == 0 || !isalnum((unsigned char)u->text[i - 1])) &&
		    !isalnum((unsigned char)u->text[i + n]))
			return i;
	return rel;
}

static void plpgsql(struct mg_lint *l, const struct mg_lint_unit *u,
		    const char *key, const struct mg_json *node, size_t rel,
		    void *state)
{
	const char *sql;

	(void)node;
	(void)state;
	if (!strcmp(key, "PLpgSQL_stmt_commit"))
		sql = "commit";
	else if (!strcmp(key, "PLpgSQL_stmt_rollback"))
		sql = "rollback";
	else
		return;
	mg_lint_add(l, rule,
		    mg_lint_pos(u, word_at(u, rel, sql)),
		    u->stmt, fix, "%s in a DO block fails inside the "
		    "migrator's transaction (invalid transaction termination)",
		    sql[0] == 'c' ? "COMMIT" : "ROLLBACK");
}

const struct mg_lint_rule mg_lint_rule_transaction_control = {
	.id = "transaction-control",
	.stmt = stmt,
	.plpgsql = plpgsql,
};

/*
 * rls-policy-missing: a table created with the tenant column
 * (lint.tenant.column) lacks a policy for select, insert, update or
 * delete to the tenant role (lint.tenant.role) in the same migration.
 * Off without both. Names compare as whole identifiers.
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/strbuf.h"
#include "../rule.h"

enum {
	CMD_SELECT = 1,
	CMD_INSERT = 2,
	CMD_UPDATE = 4,
	CMD_DELETE = 8,
	CMD_ALL = 15,
};

struct state {
	struct mg_lint_names created;  /* flag: has the tenant column */
	struct mg_lint_names policies; /* flag: CMD_* bits */
};

static const char *tenant_role(const struct mg_lint *l)
{
	const char *v = l->opts ? l->opts->tenant_role : NULL;

	return v && *v ? v : NULL;
}

static unsigned policy_cmd(const char *cmd)
{
	if (!cmd || !strcmp(cmd, "all"))
		return CMD_ALL;
	if (!strcmp(cmd, "select"))
		return CMD_SELECT;
	if (!strcmp(cmd, "insert"))
		return CMD_INSERT;
	if (!strcmp(cmd, "update"))
		return CMD_UPDATE;
	if (!strcmp(cmd, "delete"))
		return CMD_DELETE;
	return 0;
}

static void policy(struct mg_lint *l, struct state *st,
		   const struct mg_lint_unit *u, const struct mg_json *s)
{
	const struct mg_json *rel = mg_json_get(s, "table");
	const struct mg_json *roles = mg_lint_jarray(s, "roles");
	const char *table = mg_json_get_string(rel, "relname");
	size_t i;
	int to_tenant = 0;

	for (i = 0; roles && i < roles->nr; i++) {
		const char *role = mg_json_get_string(
			mg_lint_node_body(roles->children[i]), "rolename");

		if (role && !strcmp(role, tenant_role(l)))
			to_tenant = 1;
	}
	if (!table || !to_tenant)
		return;
	mg_lint_names_push(&st->policies,
			   mg_json_get_string(rel, "schemaname"), table, NULL,
			   0, u->stmt)->flag =
		(int)policy_cmd(mg_json_get_string(s, "cmd_name"));
}

static void stmt(struct mg_lint *l, const struct mg_lint_unit *u,
		 const char *type, const struct mg_json *s, void *state)
{
	struct state *st = state;

	if (!mg_lint_tenant_column(l) || !tenant_role(l))
		return; /* no tenant convention */
	if (!strcmp(type, "CreateStmt"))
		mg_lint_note_tenant_table(&st->created, l, u, s);
	else if (!strcmp(type, "CreatePolicyStmt"))
		policy(l, state, u, s);
}

static void file(struct mg_lint *l, void *state)
{
	static const struct {
		unsigned bit;
		const char *name;
	} cmds[] = {
		{ CMD_SELECT, "select" },
		{ CMD_INSERT, "insert" },
		{ CMD_UPDATE, "update" },
		{ CMD_DELETE, "delete" },
	};
	struct state *st = state;
	size_t i, j;

	for (i = 0; i < st->created.nr; i++) {
		const struct mg_lint_name *t = &st->created.items[i];
		struct mg_strbuf missing = MG_STRBUF_INIT;
		unsigned have = 0;
		char *q, *fix;

		if (!t->flag)
			continue;
		for (j = 0; j < st->policies.nr; j++)
			if (mg_lint_same_table(&st->policies.items[j],
					       t->schema, t->table))
				have |= (unsigned)st->policies.items[j].flag;
		for (j = 0; j < sizeof(cmds) / sizeof(cmds[0]); j++)
			if (!(have & cmds[j].bit))
				mg_strbuf_addf(&missing, "%s%s",
					       missing.len ? ", " : "",
					       cmds[j].name);
		if (missing.len) {
			q = mg_lint_quoted(t->schema, t->table, NULL);
			fix = mg_xstrfmt("add CREATE POLICY ... ON %s FOR "
					 "<command> TO \"%s\" for each (the "
					 "tenantPolicies() helper)", q,
					 tenant_role(l));
			mg_lint_add(l, "rls-policy-missing", t->offset,
				    t->stmt, fix, "table %s has no policy for "
				    "%s to \"%s\"", q, missing.buf,
				    tenant_role(l));
			free(fix);
			free(q);
		}
		mg_strbuf_release(&missing);
	}
}

static void release(void *state)
{
	struct state *st = state;

	mg_lint_names_release(&st->created);
	mg_lint_names_release(&st->policies);
}

const struct mg_lint_rule mg_lint_rule_rls_policy_missing = {
	.id = "rls-policy-missing",
	.state_size = sizeof(struct state),
	.stmt = stmt,
	.file = file,
	.release = release,
};

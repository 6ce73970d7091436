/*
 * What a lint rule sees (private to src/lib/lint): the file being linted,
 * the piece of SQL ("unit") a statement was parsed from, the helpers that
 * turn parse tree locations into file offsets, and the rule interface.
 *
 * The walk (lint.c) cuts the file into drizzle's chunks and statements,
 * parses each statement (and the SQL inside DO blocks) and calls, for
 * every rule of the table (rules.c), its hooks: tokens() on every unit
 * before it is parsed, stmt() on every statement parsed, plpgsql() on
 * every PL/pgSQL statement of a DO body, file() once at the end. A rule keeps what it needs between calls in its own state.
 */
#ifndef MIGGUARD_LINT_RULE_H
#define MIGGUARD_LINT_RULE_H

#include <stddef.h>
#include <stdint.h>

#include "migguard/config.h"
#include "migguard/json.h"
#include "migguard/lint.h"
#include "migguard/pgparse.h"
#include "migguard/report.h"
#include "migguard/srcmap.h"

#define MG_LINT_NAMEDATALEN_MAX 63 /* PostgreSQL keeps NAMEDATALEN - 1 */
#define MG_LINT_NO_STMT SIZE_MAX   /* a finding of the file, not a statement */

struct mg_lint_finding {
	const char *rule;
	size_t offset;
	size_t stmt;
	int warning; /* always a warning, whatever the rule's severity */
	char *message;
	char *hint;
};

struct mg_lint_ignore {
	char *rule;
	size_t offset; /* of the directive */
	size_t stmt;   /* MG_LINT_NO_STMT: the whole file */
	int used;
};

/* A top-level statement of the file. */
struct mg_lint_stmt {
	size_t start, end; /* [start, end) in the file, ';' excluded */
	size_t first;	   /* offset of the first token; SIZE_MAX: comments */
	size_t first_tok;  /* its index in mg_lint.tokens */
	int header;	   /* led by a "-- Manual addition:" comment */
};

struct mg_lint_rule;

/* One file being linted. */
struct mg_lint {
	struct mg_report *r;
	const struct mg_lint_options *opts; /* may be NULL */
	const struct mg_lint_input *in;
	char *buf; /* NUL-terminated copy, BOM and NUL bytes blanked */
	size_t len;
	struct mg_srcmap map;
	int failed; /* an internal error, in mg_error_last() */
	int guards; /* missing-if-not-exists applies to this file */
	int custom; /* a drizzle-kit generate --custom migration */
	struct mg_pg_token *tokens; /* every chunk's, in file offsets */
	size_t tokens_nr, tokens_alloc;
	struct mg_lint_stmt *stmts;
	size_t stmts_nr, stmts_alloc;
	struct mg_lint_finding *findings;
	size_t findings_nr, findings_alloc;
	struct mg_lint_ignore *ignores;
	size_t ignores_nr, ignores_alloc;
	void **states; /* one per rule of the table */
	const char *only; /* report this rule's findings only, or NULL */
};

/* What a DO block holds, to tell drizzle-kit's guards from hand work. */
struct mg_lint_do_shape {
	size_t stmts, generated;
	int dynamic;
};

/* A piece of SQL text linted on its own: a statement, or SQL in a DO. */
struct mg_lint_unit {
	const char *text; /* NUL-terminated */
	size_t len;
	size_t base;	 /* file offset of text[0] when exact */
	int exact;	 /* text is the file's bytes at base */
	size_t fallback; /* file offset for everything when not exact */
	size_t stmt;	 /* index in mg_lint.stmts */
	int in_do;	 /* SQL inside a DO block */
	int guarded;	 /* ... under an exception handler or IF EXISTS */
	int do_drizzle;	 /* for a DoStmt: its body is drizzle-kit's guard */
	struct mg_lint_do_shape *shape; /* the enclosing DO's, or NULL */
	struct mg_pg_token *tokens;	/* in text offsets */
	size_t tokens_nr;
};

struct mg_lint_rule {
	const char *id;
	size_t state_size; /* bytes of zeroed state per file, or 0 */
	void (*tokens)(struct mg_lint *l, const struct mg_lint_unit *u,
		       void *state);
	void (*stmt)(struct mg_lint *l, const struct mg_lint_unit *u,
		     const char *type, const struct mg_json *s, void *state);
	/*
	 * Every PL/pgSQL statement of a DO body (key "PLpgSQL_stmt_commit"
	 * ...); u is the DO's unit, rel where in it the statement's line
	 * starts (the body's start when unknown).
	 */
	void (*plpgsql)(struct mg_lint *l, const struct mg_lint_unit *u,
			const char *key, const struct mg_json *node,
			size_t rel, void *state);
	void (*file)(struct mg_lint *l, void *state);
	void (*release)(void *state); /* the state's contents */
};

/* The table (rules.c): every rule, the only list of them. */
const struct mg_lint_rule *const *mg_lint_rules(size_t *nr);

/* ---- findings ---- */

/*
 * A finding of rule at file offset, for statement stmt. fix, when not
 * NULL, becomes the hint with how to silence the rule appended.
 */
void mg_lint_add(struct mg_lint *l, const char *rule, size_t offset,
		 size_t stmt, const char *fix, const char *fmt, ...)
	MG_PRINTF(6, 7);

/* ---- positions: unit-relative offsets to file offsets ---- */

size_t mg_lint_pos(const struct mg_lint_unit *u, size_t rel);
/* Offset of the first token of the unit that is not a comment. */
size_t mg_lint_first(const struct mg_lint_unit *u);
/* Index of the first token at or after rel; tokens_nr when none. */
size_t mg_lint_token_at(const struct mg_lint_unit *u, size_t rel);
int mg_lint_token_is(const struct mg_lint_unit *u, size_t i,
		     const char *text);
/* The identifier or keyword token as PostgreSQL reads it (a new string). */
char *mg_lint_token_ident(const char *text, const struct mg_pg_token *t);
/* The identifier as written at rel (not cut to 63 bytes), or NULL. */
char *mg_lint_ident_at(const struct mg_lint_unit *u, size_t rel);
/* The first identifier or keyword equal to name at or after rel, or def. */
size_t mg_lint_find(const struct mg_lint_unit *u, size_t rel,
		    const char *name, size_t def);
size_t mg_lint_find_keyword(const struct mg_lint_unit *u, size_t rel,
			    const char *kw, size_t def);
/* Where each command of an AlterTableStmt is (cmds->nr offsets, free()). */
size_t *mg_lint_alter_positions(const struct mg_lint_unit *u,
				const struct mg_json *s);

/* An object a DropStmt names, with where its name is. */
struct mg_lint_object {
	const char *schema; /* NULL when not written */
	const char *name;
	size_t at; /* unit-relative */
};

/* The objects of a DropStmt (*out the caller's, free()); returns nr. */
size_t mg_lint_drop_objects(struct mg_lint_object **out,
			    const struct mg_lint_unit *u,
			    const struct mg_json *s);

/* ---- parse tree access ---- */

const char *mg_lint_node_type(const struct mg_json *node);
const struct mg_json *mg_lint_node_body(const struct mg_json *node);
int mg_lint_jbool(const struct mg_json *obj, const char *key);
long mg_lint_jint(const struct mg_json *obj, const char *key, long def);
const struct mg_json *mg_lint_jarray(const struct mg_json *obj,
				     const char *key);
/* The sval of the i-th String node of a name list, from the end if < 0. */
const char *mg_lint_name_part(const struct mg_json *list, long i);
/* The last part of a ColumnDef's type name ("int4", "text"), or NULL. */
const char *mg_lint_column_type(const struct mg_json *coldef);

/* ---- names ---- */

/* PostgreSQL's truncation: 63 bytes, not splitting a UTF-8 character. */
size_t mg_lint_ident_clip(const char *s);
int mg_lint_same_after_clip(const char *a, const char *b);
/* "schema"."table"."name", public and NULL parts left out (new string). */
char *mg_lint_quoted(const char *schema, const char *table,
		     const char *name);

/* A name of a table, column, index or constraint, with where it is. */
struct mg_lint_name {
	char *schema; /* "public" when not written */
	char *table;
	char *name; /* column, index or constraint; NULL for a table */
	char *extra; /* what the rule keeps with it (a type), or NULL */
	size_t offset;
	size_t stmt;
	int flag;
};

struct mg_lint_names {
	struct mg_lint_name *items;
	size_t nr, alloc;
};

struct mg_lint_name *mg_lint_names_push(struct mg_lint_names *n,
					const char *schema, const char *table,
					const char *name, size_t offset,
					size_t stmt);
void mg_lint_names_release(struct mg_lint_names *n);
int mg_lint_same_table(const struct mg_lint_name *n, const char *schema,
		       const char *table);

/*
 * The tenant column of the convention, or NULL when the convention is not
 * in force (rls-missing, rls-policy-missing).
 */
const char *mg_lint_tenant_column(const struct mg_lint *l);
/*
 * For a CREATE TABLE statement s: push its table onto created, flagged
 * when it has the tenant column. Nothing without a tenant column.
 */
void mg_lint_note_tenant_table(struct mg_lint_names *created,
			       const struct mg_lint *l,
			       const struct mg_lint_unit *u,
			       const struct mg_json *s);

/*
 * The table (column NULL) or column exists before this migration but not
 * in the published schema (mg_lint_input.published_known): the change
 * created it, so dropping it loses no deployed data. 0 when not known,
 * and when a published table (or a published column of that table) is
 * gone before this migration: it may have been renamed into this one.
 */
int mg_lint_unpublished(const struct mg_lint *l, const char *schema,
			const char *table, const char *column);

/* ---- the file ---- */

/* missing-if-not-exists and guards: this unit is under the convention. */
int mg_lint_guards_apply(const struct mg_lint *l,
			 const struct mg_lint_unit *u);

#endif

/*
 * A small TypeScript scanner for drizzle schema files: tokens without
 * comments and whitespace, the top-level declarations (what each declares,
 * the callee of its initialiser, the SQL name given to it), the modules a
 * file imports, and whether an edit of one file can change the database.
 * It evaluates nothing: what it cannot classify counts as a change.
 * Input is untrusted text; scanning never fails.
 */
#ifndef MIGGUARD_TSSCAN_H
#define MIGGUARD_TSSCAN_H

#include <stddef.h>

#include "migguard/strbuf.h"

/*
 * The offset of the first byte at or after pos in b that is neither
 * blank nor inside a line or block comment (len when none): TypeScript's
 * blanks, for this scanner and the drizzle config reader alike.
 */
size_t mg_ts_skip_blank(const char *b, size_t len, size_t pos);

enum mg_ts_token_type {
	MG_TS_IDENT,
	MG_TS_STRING,	/* '...' or "...": compared by decoded value */
	MG_TS_TEMPLATE, /* `...`, substitutions included, raw */
	MG_TS_REGEX,
	MG_TS_NUMBER,
	MG_TS_PUNCT,
};

struct mg_ts_token {
	enum mg_ts_token_type type;
	size_t start, len; /* bytes of the source */
	char *value;	   /* MG_TS_STRING: the decoded value, else NULL */
};

enum mg_ts_decl_kind {
	MG_TS_DECL_IMPORT,   /* import ...: bindings only */
	MG_TS_DECL_TYPE,     /* type, interface, declare, export type {...} */
	MG_TS_DECL_VALUE,    /* const/let/var NAME = ..., enum NAME */
	MG_TS_DECL_FUNCTION, /* function NAME, class NAME */
	MG_TS_DECL_EXPORT,   /* export * from, export {...} [from] */
	MG_TS_DECL_OTHER,    /* anything else (export default, statements) */
};

struct mg_ts_decl {
	enum mg_ts_decl_kind kind;
	char *name;	/* the declared name, or NULL */
	char *callee;	/* "pgTable", "z.object", "relations", or NULL */
	char *sql_name; /* the callee's first string argument, or NULL */
	char *module;	/* import/export ... from 'module', or NULL */
	size_t name_token; /* index of the name token (when name is set) */
	size_t first, nr;  /* its tokens */
};

struct mg_ts_file {
	const char *buf; /* borrowed: must outlive the file */
	size_t len;
	struct mg_ts_token *tokens;
	size_t nr, alloc;
	struct mg_ts_decl *decls;
	size_t decls_nr, decls_alloc;
	/* import/export ... from 'x', import('x'), require('x') */
	struct mg_strlist specifiers;
};

/* Scan buf (borrowed, must outlive f). */
void mg_ts_scan(struct mg_ts_file *f, const char *buf, size_t len);
void mg_ts_file_release(struct mg_ts_file *f);

/* What an edit does to the database, as far as the scanner can tell. */
struct mg_ts_effect {
	int changed;	/* 1: the edit may change the database */
	size_t offset;	/* in the new text: its first changed token */
	char *subject;	/* "pgTable \"user\"", "'createTable' (...)" */
	const char *verb; /* "changed", "added", "removed" */
};

/*
 * Compare two versions of a schema file (an added file: before is empty;
 * a deleted one: after is empty). Edits that cannot change the database
 * do not count: comments, whitespace, quotes, trailing commas and
 * semicolons; imports; types and interfaces; relations(...); zod and
 * drizzle-zod values (z.*, createInsertSchema, ...); .$type<>(),
 * .$defaultFn(), .$default(), .$onUpdate(), .$onUpdateFn(); { enum: [...] }
 * on text, varchar and char; a declaration renamed (with its uses) whose
 * SQL stays the same. *out is the caller's (mg_ts_effect_release).
 */
void mg_ts_schema_effect(struct mg_ts_effect *out,
			 const struct mg_ts_file *before,
			 const struct mg_ts_file *after);
void mg_ts_effect_release(struct mg_ts_effect *e);

/*
 * Only what happened to before's declarations (changed, removed): what
 * after adds is not counted. For a deleted file compared with the files
 * that replace it (which report what they add).
 */
void mg_ts_schema_effect_gone(struct mg_ts_effect *out,
			      const struct mg_ts_file *before,
			      const struct mg_ts_file *after);

/*
 * The same for a file drizzle-kit reaches only through imports: only the
 * declarations named (and, transitively, the top-level declarations
 * their tokens name) count. names NULL, or a name that neither version
 * declares: the whole file counts.
 */
void mg_ts_schema_effect_used(struct mg_ts_effect *out,
			      const struct mg_ts_file *before,
			      const struct mg_ts_file *after,
			      const struct mg_strlist *names);

/*
 * What a file's used declarations use: all, every declaration (types
 * aside); else names, grown with the top-level declarations that the
 * named ones reference by identifier, transitively. refs gets every
 * identifier the used declarations hold (import bindings among them).
 * 1 when a name is not a top-level declaration of f (unsure: the caller
 * counts the whole file; refs then holds the whole file's).
 */
int mg_ts_used(const struct mg_ts_file *f, int all, struct mg_strlist *names,
	       struct mg_strlist *refs);

/*
 * An import declaration's bindings: locals[i] is bound to imported[i]
 * ("*": the namespace or the default export). Type-only bindings are
 * left out. 0, or -1 when the import is not one of those forms (a
 * side-effect import 'x', something unparsed): all of the module counts.
 */
int mg_ts_import_bindings(const struct mg_ts_file *f,
			  const struct mg_ts_decl *d, struct mg_strlist *locals,
			  struct mg_strlist *imported);

#endif

/*
 * The parts of the docs check that read text: a page's front matter, a
 * mention of a path or SQL name in a page, the names migration SQL
 * touches, and the Docs-Impact waiver of a commit message. Each takes a
 * buffer and its length (no NUL needed, NUL bytes allowed) and never
 * fails on any input: they are fuzz targets. mg_docs_check (check.h)
 * combines them.
 */
#ifndef MIGGUARD_DOCS_H
#define MIGGUARD_DOCS_H

#include <stddef.h>

#include "migguard/strbuf.h"

/* One `covers:` entry of a page's front matter. */
struct mg_docs_cover {
	char *glob;
	size_t offset; /* of the entry's first byte (its quote, if any) */
};

struct mg_docs_covers {
	struct mg_docs_cover *items;
	size_t nr, alloc;
};

/*
 * The `covers:` globs of a Markdown/MDX page: a front matter block opens
 * with a "---" first line (after an optional UTF-8 BOM) and closes with a
 * "---" or "..." line; CRLF is accepted. `covers:` is a top-level key
 * with a flow list (`[a, "b"]`, may span lines), a block list (`- a`
 * lines, indented or not) or a single scalar; quotes and `#` comments as
 * in YAML. No front matter, no closing line or no key: nothing. Only the
 * first `covers:` key counts. Appends to out.
 */
void mg_docs_front_matter_covers(struct mg_docs_covers *out, const char *buf,
				 size_t len);
void mg_docs_covers_release(struct mg_docs_covers *c);

enum mg_docs_ref_kind {
	/* A file path, not part of a longer name ("a.ts" not in "a.ts.bak");
	 * a leading folder is allowed ("x/src/a.ts" mentions "src/a.ts"). */
	MG_DOCS_REF_PATH,
	/* An SQL name as a whole word ("t" not in "t_1" nor "st"). */
	MG_DOCS_REF_NAME,
	/* For names that are also English words ("user", "role"): only
	 * as code, never in prose: a whole `code span` that is the name,
	 * quoted or part of a dotted name (`public.role`, `"role"`,
	 * `role.name`; not `service role key`), or a whole word in a
	 * fenced code block. */
	MG_DOCS_REF_NAME_IN_CODE,
};

/* 1 and *offset of needle's first mention in buf, else 0. */
int mg_docs_find_reference(size_t *offset, const char *buf, size_t len,
			   const char *needle, enum mg_docs_ref_kind kind);

/*
 * The tables and types that migration SQL creates, alters or drops
 * (CREATE/ALTER/DROP TABLE, CREATE/ALTER/DROP TYPE; IF [NOT] EXISTS,
 * ONLY, OR REPLACE, TEMP/UNLOGGED and DROP lists understood). The last
 * component of a qualified name; unquoted names lower-cased as
 * PostgreSQL folds them. Comments and string literals are skipped;
 * statements inside DO $$ ... $$ blocks are seen. Appended to tables and
 * types, which are then sorted and unique.
 */
void mg_docs_sql_names(struct mg_strlist *tables, struct mg_strlist *types,
		       const char *sql, size_t len);

/*
 * 1 when a commit message has a `Docs-Impact: none` line (key in any
 * case, value starting with the word "none"), else 0. *reason gets what
 * follows "none" (parentheses and separators stripped; "" when nothing),
 * the caller's to free; NULL when 0 is returned. message may be NULL.
 */
int mg_docs_waiver(char **reason, const char *message);

#endif

/*
 * migguard-docs: the front matter parser, the reference matcher, SQL
 * names, the waiver, and mg_docs_check on a folder of files standing in
 * for the head tree, read through a tree that counts what is read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "migguard/check.h"
#include "migguard/docs.h"

/* A tree that counts reads and listings of the tree it wraps. */

struct counting_tree {
	struct mg_tree base;
	struct mg_tree *inner;
	unsigned reads, lists;
};

static int counting_read(struct mg_tree *t, const char *path, char **data,
			 size_t *len)
{
	struct counting_tree *c = (struct counting_tree *)t;

	c->reads++;
	return mg_tree_read(c->inner, path, data, len);
}

static int counting_list(struct mg_tree *t, const char *dir,
			 struct mg_tree_listing *out)
{
	struct counting_tree *c = (struct counting_tree *)t;

	c->lists++;
	return mg_tree_list(c->inner, dir, out);
}

static void counting_free(struct mg_tree *t)
{
	struct counting_tree *c = (struct counting_tree *)t;

	mg_tree_free(c->inner);
	free(c);
}

static const struct mg_tree_ops counting_ops = { counting_read, counting_list,
						 counting_free };

/* Fixture: a temp folder as head tree, a config, a change set. */

struct fx {
	char dir[64];
	struct mg_config cfg;
	struct mg_changeset cs;
	struct mg_report r;
	struct counting_tree *tree;
};

static void rm_rf(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		d = opendir(path);
		for (;;) {
			char *child;

			de = d ? readdir(d) : NULL;
			if (!de)
				break;
			if (!strcmp(de->d_name, ".") ||
			    !strcmp(de->d_name, ".."))
				continue;
			child = mg_path_join(path, de->d_name);
			rm_rf(child);
			free(child);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static void fx_write(struct fx *f, const char *path, const char *text)
{
	char *full = mg_path_join(f->dir, path);
	char *p;
	FILE *fp;

	for (p = full + strlen(f->dir) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		assert_true(mkdir(full, 0755) == 0 || errno == EEXIST);
		*p = '/';
	}
	fp = fopen(full, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
	free(full);
}

static void fx_change(struct fx *f, enum mg_change_status status,
		      const char *path)
{
	struct mg_change *c;

	f->cs.nr++;
	MG_ALLOC_GROW(f->cs.changes, f->cs.nr, f->cs.alloc);
	c = &f->cs.changes[f->cs.nr - 1];
	c->status = status;
	c->path = mg_xstrdup(path);
	c->old_path = NULL;
}

static void fx_map(struct fx *f, unsigned line, const char *when,
		   const char *page)
{
	struct mg_docs_map *m;

	f->cfg.docs_nr++;
	MG_ALLOC_GROW(f->cfg.docs, f->cfg.docs_nr, f->cfg.docs_alloc);
	m = &f->cfg.docs[f->cfg.docs_nr - 1];
	memset(m, 0, sizeof(*m));
	mg_strlist_push(&m->when, when);
	mg_strlist_push(&m->pages, page);
	m->line = line;
}

static void fx_commit(struct fx *f, const char *id, const char *message)
{
	struct mg_commit_info *c;

	f->cs.commits = mg_xrealloc(f->cs.commits, (f->cs.commits_nr + 1) *
							   sizeof(*c));
	c = &f->cs.commits[f->cs.commits_nr++];
	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s", id);
	c->message = mg_xstrdup(message);
	f->cs.commits_loaded = 1;
}

static int fx_setup(void **state)
{
	struct fx *f = mg_xcalloc(1, sizeof(*f));
	struct mg_project *p;

	snprintf(f->dir, sizeof(f->dir), "/tmp/mg-docs-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->cfg.projects_nr = 1;
	MG_ALLOC_GROW(f->cfg.projects, f->cfg.projects_nr,
		      f->cfg.projects_alloc);
	p = &f->cfg.projects[0];
	memset(p, 0, sizeof(*p));
	p->name = mg_xstrdup("db");
	p->root = mg_xstrdup("packages/db");
	mg_strlist_push(&p->schema, "packages/db/src/schema");
	p->migrations = mg_xstrdup("packages/db/src/migrations");
	f->cs.mode = MG_CHANGESET_STAGED;
	mg_report_init(&f->r);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < f->cfg.projects_nr; i++) {
		free(f->cfg.projects[i].name);
		free(f->cfg.projects[i].root);
		free(f->cfg.projects[i].migrations);
		mg_strlist_release(&f->cfg.projects[i].schema);
	}
	free(f->cfg.projects);
	for (i = 0; i < f->cfg.docs_nr; i++) {
		mg_strlist_release(&f->cfg.docs[i].when);
		mg_strlist_release(&f->cfg.docs[i].pages);
	}
	free(f->cfg.docs);
	mg_strlist_release(&f->cfg.docs_roots);
	for (i = 0; i < f->cs.nr; i++) {
		free(f->cs.changes[i].path);
		free(f->cs.changes[i].old_path);
	}
	free(f->cs.changes);
	for (i = 0; i < f->cs.commits_nr; i++)
		free(f->cs.commits[i].message);
	free(f->cs.commits);
	mg_tree_free(f->cs.head);
	mg_report_release(&f->r);
	rm_rf(f->dir);
	free(f);
	return 0;
}

/* Run the check on the folder; the report comes back sorted. */
static void fx_run(struct fx *f)
{
	struct mg_context ctx;
	struct mg_tree *inner = NULL;

	if (!f->cs.head) {
		assert_int_equal(mg_tree_open_dir(&inner, f->dir), 0);
		f->tree = mg_xcalloc(1, sizeof(*f->tree));
		f->tree->base.ops = &counting_ops;
		f->tree->base.label = mg_xstrdup("test");
		f->tree->inner = inner;
		f->cs.head = &f->tree->base;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.config = &f->cfg;
	ctx.cs = &f->cs;
	assert_int_equal(mg_docs_check(&f->r, &ctx), 0);
	mg_report_sort(&f->r);
}

static const struct mg_finding *finding_at(const struct fx *f,
					   const char *path)
{
	size_t i;

	for (i = 0; i < f->r.nr; i++)
		if (!strcmp(f->r.items[i].path, path))
			return &f->r.items[i];
	return NULL;
}

static char *format_text(const struct fx *f)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;

	mg_report_format(&sb, &f->r, MG_FORMAT_TEXT, 0);
	return mg_strbuf_detach(&sb, NULL);
}

#define SCHEMA "packages/db/src/schema/search.ts"
#define MIG "packages/db/src/migrations/0010_chunks.sql"

/* Front matter */

static void parse_covers(struct mg_docs_covers *c, const char *text)
{
	memset(c, 0, sizeof(*c));
	mg_docs_front_matter_covers(c, text, strlen(text));
}

static void test_docs__front_matter_flow_style(void **state)
{
	const char *text = "---\ntitle: Search\n"
			   "covers: [packages/db/src/schema/search.ts, "
			   "\"packages/db/src/**/*.sql\", 'a''b' ] # why\n"
			   "---\n# Search\n";
	struct mg_docs_covers c;

	(void)state;
	parse_covers(&c, text);
	assert_int_equal(c.nr, 3);
	assert_string_equal(c.items[0].glob, SCHEMA);
	assert_string_equal(c.items[1].glob, "packages/db/src/**/*.sql");
	assert_string_equal(c.items[2].glob, "a'b");
	assert_int_equal(c.items[0].offset, strstr(text, "packages") - text);
	assert_int_equal(c.items[1].offset, strstr(text, "\"packages") - text);
	mg_docs_covers_release(&c);

	parse_covers(&c, "---\ncovers: [\n  a/**,\n  b/*.ts\n]\n---\n");
	assert_int_equal(c.nr, 2);
	assert_string_equal(c.items[1].glob, "b/*.ts");
	mg_docs_covers_release(&c);

	parse_covers(&c, "---\ncovers: docs/single.ts # one\n---\n");
	assert_int_equal(c.nr, 1);
	assert_string_equal(c.items[0].glob, "docs/single.ts");
	mg_docs_covers_release(&c);
}

static void test_docs__front_matter_block_style(void **state)
{
	const char *text = "---\ntitle: x\ncovers:\n"
			   "  - packages/db/src/schema/auth.ts\n"
			   "  - \"packages/db/src/schema/enums.ts\" # enums\n"
			   "\n"
			   "  # a comment line\n"
			   "  - 'packages/db/src/migrations/**'\n"
			   "tags:\n  - not-a-cover\n---\nbody\n";
	struct mg_docs_covers c;

	(void)state;
	parse_covers(&c, text);
	assert_int_equal(c.nr, 3);
	assert_string_equal(c.items[0].glob, "packages/db/src/schema/auth.ts");
	assert_string_equal(c.items[1].glob, "packages/db/src/schema/enums.ts");
	assert_string_equal(c.items[2].glob, "packages/db/src/migrations/**");
	assert_int_equal(c.items[2].offset, strstr(text, "'packages") - text);
	mg_docs_covers_release(&c);

	/* A block list at the key's own indentation is YAML too. */
	parse_covers(&c, "---\ncovers:\n- a.ts\n- b.ts\nnext: 1\n---\n");
	assert_int_equal(c.nr, 2);
	assert_string_equal(c.items[1].glob, "b.ts");
	mg_docs_covers_release(&c);
}

static void test_docs__front_matter_crlf_and_bom(void **state)
{
	struct mg_docs_covers c;

	(void)state;
	parse_covers(&c, "\xEF\xBB\xBF---\r\ncovers:\r\n  - a/**\r\n"
			 "  - \"b.ts\"\r\n---\r\ntext\r\n");
	assert_int_equal(c.nr, 2);
	assert_string_equal(c.items[0].glob, "a/**");
	assert_string_equal(c.items[1].glob, "b.ts");
	mg_docs_covers_release(&c);

	parse_covers(&c, "---\r\ncovers: [a.ts, b.ts]\r\n...\r\n");
	assert_int_equal(c.nr, 2);
	assert_string_equal(c.items[1].glob, "b.ts");
	mg_docs_covers_release(&c);
}

static void test_docs__front_matter_absent(void **state)
{
	static const char *const none[] = {
		"# Title\ncovers: [a]\n",	      /* no block */
		"\n---\ncovers: [a]\n---\n",	      /* not on line 1 */
		"---\ncovers: [a]\nnever closed\n",   /* unclosed */
		"---\ntitle: x\n---\ncovers: [a]\n",  /* after the block */
		"---\n  covers: [a]\n---\n",	      /* not top level */
		"---\ncoverslist: [a]\n---\n",	      /* another key */
		"---\ncovers:\n---\n",		      /* empty */
		"---\ncovers: [\"unterminated]\n---\n", "", "---", "-",
	};
	struct mg_docs_covers c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		parse_covers(&c, none[i]);
		assert_int_equal(c.nr, 0);
		mg_docs_covers_release(&c);
	}
}

/* References */

static int ref(const char *text, const char *needle,
	       enum mg_docs_ref_kind kind, size_t *at)
{
	size_t dummy;

	return mg_docs_find_reference(at ? at : &dummy, text, strlen(text),
				      needle, kind);
}

static void test_docs__reference_whole_word(void **state)
{
	const char *text = "The document_chunks view.\n"
			   "Rows of document_chunk_v2 too.\n"
			   "Table `document_chunk` holds embeddings.\n";
	size_t at;

	(void)state;
	assert_int_equal(ref(text, "document_chunk", MG_DOCS_REF_NAME, &at),
			 1);
	assert_int_equal(at, strstr(text, "`document_chunk`") + 1 - text);
	assert_int_equal(ref("see document_chunks", "document_chunk",
			     MG_DOCS_REF_NAME, NULL), 0);
	assert_int_equal(ref("my_document_chunk", "document_chunk",
			     MG_DOCS_REF_NAME, NULL), 0);
	assert_int_equal(ref("public.document_chunk.id", "document_chunk",
			     MG_DOCS_REF_NAME, NULL), 1);
	assert_int_equal(ref("document_chunk", "document_chunk",
			     MG_DOCS_REF_NAME, NULL), 1);
	/* Typographic quotes are UTF-8 bytes >= 0x80: still a boundary. */
	assert_int_equal(ref("the \u201cdocument_chunk\u201d table",
			     "document_chunk", MG_DOCS_REF_NAME, NULL), 1);
}

static void test_docs__reference_plain_words_only_in_code(void **state)
{
	(void)state;
	assert_int_equal(ref("Every user signs in.", "user",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 0);
	assert_int_equal(ref("The `user` table.", "user",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 1);
	assert_int_equal(ref("The `id` of a user.", "user",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 0);
	assert_int_equal(ref("text\n```sql\nselect * from \"user\";\n```\n",
			     "user", MG_DOCS_REF_NAME_IN_CODE, NULL), 1);
	assert_int_equal(ref("```\ncode\n```\nthe user\n", "user",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 0);
}

/*
 * An English word is a table name only as code: a whole code span that
 * is the name (quoted or qualified), the name as a token in a code block.
 * "`service role key`" is prose in backticks, not the table "role".
 */
static void test_docs__reference_word_as_identifier_only(void **state)
{
	size_t at;

	(void)state;
	assert_int_equal(ref("Keep the `service role key` secret.", "role",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 0);
	assert_int_equal(ref("Run `grant role to x` first.", "role",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 0);
	assert_int_equal(ref("Each role has rights.", "role",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 0);
	assert_int_equal(ref("The `role` table.", "role",
			     MG_DOCS_REF_NAME_IN_CODE, &at), 1);
	assert_int_equal(at, 5);
	assert_int_equal(ref("The ` role ` table.", "role",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 1);
	assert_int_equal(ref("The `\"role\"` table.", "role",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 1);
	assert_int_equal(ref("See `public.role` and more.", "role",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 1);
	assert_int_equal(ref("See `\"public\".\"role\"`.", "role",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 1);
	assert_int_equal(ref("Its `role.name` column.", "role",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 1);
	assert_int_equal(ref("The `roles` and `my_role` tables.", "role",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 0);
	assert_int_equal(ref("A `x` role `y`.", "role",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 0);
	assert_int_equal(ref("```sql\nselect * from role;\n```\n", "role",
			     MG_DOCS_REF_NAME_IN_CODE, NULL), 1);
	assert_int_equal(ref("```sql\nselect * from roles;\n```\nrole\n",
			     "role", MG_DOCS_REF_NAME_IN_CODE, NULL), 0);
	/* Names with '_' or digits are whole identifiers in prose too. */
	assert_int_equal(ref("The user_role table.", "user_role",
			     MG_DOCS_REF_NAME, NULL), 1);
}

/*
 * One line of a few MB with many backticks and many near-mentions: the
 * code spans were recounted from the line's start at every mention.
 */
static void test_docs__reference_long_line_linear(void **state)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	size_t i, at;

	(void)state;
	for (i = 0; i < 400000; i++)
		mg_strbuf_adds(&sb, "`x` role `ro rol` ");
	mg_strbuf_adds(&sb, "`role`");
	alarm(30);
	assert_int_equal(mg_docs_find_reference(&at, sb.buf, sb.len, "role",
						MG_DOCS_REF_NAME_IN_CODE),
			 1);
	assert_int_equal(at, sb.len - 5);
	assert_int_equal(mg_docs_find_reference(&at, sb.buf, sb.len - 6,
						"role",
						MG_DOCS_REF_NAME_IN_CODE),
			 0);
	/* Inside one span that runs the whole line. */
	mg_strbuf_reset(&sb);
	mg_strbuf_addch(&sb, '`');
	for (i = 0; i < 400000; i++)
		mg_strbuf_adds(&sb, "role ");
	mg_strbuf_addch(&sb, '`');
	assert_int_equal(mg_docs_find_reference(&at, sb.buf, sb.len, "role",
						MG_DOCS_REF_NAME_IN_CODE),
			 0);
	alarm(0);
	mg_strbuf_release(&sb);
}

static void test_docs__reference_paths(void **state)
{
	const char *p = "packages/db/src/schema/search.ts";

	(void)state;
	assert_int_equal(ref("See packages/db/src/schema/search.ts.", p,
			     MG_DOCS_REF_PATH, NULL), 1);
	assert_int_equal(ref("[x](../packages/db/src/schema/search.ts)", p,
			     MG_DOCS_REF_PATH, NULL), 1);
	assert_int_equal(ref("\u201cpackages/db/src/schema/search.ts\u201d", p,
			     MG_DOCS_REF_PATH, NULL), 1);
	assert_int_equal(ref("packages/db/src/schema/search.tsx", p,
			     MG_DOCS_REF_PATH, NULL), 0);
	assert_int_equal(ref("packages/db/src/schema/search.ts.bak", p,
			     MG_DOCS_REF_PATH, NULL), 0);
	assert_int_equal(ref("my-packages/db/src/schema/search.ts", p,
			     MG_DOCS_REF_PATH, NULL), 0);
	assert_int_equal(ref("packages/db/src/schema/search.ts/x", p,
			     MG_DOCS_REF_PATH, NULL), 0);
}

/* SQL names */

static void test_docs__sql_names(void **state)
{
	const char *sql =
		"CREATE TYPE \"public\".\"plan_status\" AS ENUM('a', 'b');"
		"--> statement-breakpoint\n"
		"CREATE TABLE IF NOT EXISTS \"document_chunk\" (\n"
		"\t\"id\" uuid PRIMARY KEY\n);\n"
		"ALTER TABLE \"research_plan\" ADD CONSTRAINT \"fk\" FOREIGN "
		"KEY (\"x\") REFERENCES \"public\".\"user\"(\"id\");\n"
		"-- CREATE TABLE commented_out (x int);\n"
		"/* DROP TABLE also_commented /* nested */ */\n"
		"INSERT INTO t VALUES ('CREATE TABLE in_a_string');\n"
		"DO $$ BEGIN\n CREATE TYPE mood AS ENUM ('x');\n"
		"EXCEPTION WHEN duplicate_object THEN null;\nEND $$;\n"
		"drop table if exists Old_Table, \"Quoted\"\"Name\" cascade;\n"
		"ALTER TYPE \"plan_status\" ADD VALUE 'c';\n"
		"ALTER TABLE ONLY public.session ADD COLUMN x int;\n"
		"CREATE UNLOGGED TABLE scratch (x int);\n"
		"CREATE INDEX idx ON \"not_a_table_change\" (x);\n";
	struct mg_strlist tables = MG_STRLIST_INIT, types = MG_STRLIST_INIT;

	(void)state;
	mg_docs_sql_names(&tables, &types, sql, strlen(sql));
	assert_int_equal(tables.nr, 6);
	assert_string_equal(tables.items[0], "Quoted\"Name");
	assert_string_equal(tables.items[1], "document_chunk");
	assert_string_equal(tables.items[2], "old_table");
	assert_string_equal(tables.items[3], "research_plan");
	assert_string_equal(tables.items[4], "scratch");
	assert_string_equal(tables.items[5], "session");
	assert_int_equal(types.nr, 2);
	assert_string_equal(types.items[0], "mood");
	assert_string_equal(types.items[1], "plan_status");
	mg_strlist_release(&tables);
	mg_strlist_release(&types);
}

/* The waiver */

static void test_docs__waiver_trailer(void **state)
{
	char *reason = NULL;

	(void)state;
	assert_int_equal(mg_docs_waiver(&reason, "Add x\n\nBody.\n\n"
				       "Docs-Impact: none (internal rename)\n"),
			 1);
	assert_string_equal(reason, "internal rename");
	free(reason);
	assert_int_equal(mg_docs_waiver(&reason, "x\n\ndocs-impact:NONE\n"),
			 1);
	assert_string_equal(reason, "");
	free(reason);
	assert_int_equal(mg_docs_waiver(&reason, "x\n\nDocs-Impact: "
				       "updated docs/a.md\n"), 0);
	assert_null(reason);
	assert_int_equal(mg_docs_waiver(&reason, "Docs-Impact: nonexistent"),
			 0);
	assert_int_equal(mg_docs_waiver(&reason, "Docs-Impacts: none"), 0);
	assert_int_equal(mg_docs_waiver(&reason, NULL), 0);
}

/* The check */

static void test_docs__config_rule_flags_page(void **state)
{
	struct fx *f = *state;
	const struct mg_finding *x;

	fx_write(f, SCHEMA, "export const x = 1;\n");
	fx_write(f, "docs/database/migrations.md", "# Migrations\n");
	fx_write(f, "docs/other.md", "# Other\n");
	fx_map(f, 7, "packages/db/src/schema/**",
	       "docs/database/migrations.md");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	fx_run(f);
	assert_int_equal(f->r.nr, 1);
	x = finding_at(f, "docs/database/migrations.md");
	assert_non_null(x);
	assert_string_equal(x->rule, "doc-needs-update");
	assert_int_equal(x->severity, MG_SEVERITY_WARNING);
	assert_int_equal(x->line, 1);
	assert_string_equal(x->message,
			    "page may be out of date: changed "
			    "'" SCHEMA "' (docs rule at .migguard.json:7)");
	assert_non_null(strstr(x->hint, "Docs-Impact: none (reason)"));
}

static void test_docs__front_matter_flags_page(void **state)
{
	struct fx *f = *state;
	const struct mg_finding *x;

	fx_write(f, SCHEMA, "export const x = 1;\n");
	fx_write(f, "docs/search.md", "---\ntitle: Search\ncovers:\n"
				      "  - packages/db/src/schema/auth.ts\n"
				      "  - packages/db/src/schema/s*.ts\n"
				      "---\n# Search\n");
	fx_write(f, "docs/auth.md", "---\ncovers: [packages/db/src/"
				    "schema/auth.ts]\n---\n");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	fx_run(f);
	assert_int_equal(f->r.nr, 1);
	x = finding_at(f, "docs/search.md");
	assert_non_null(x);
	assert_int_equal(x->line, 5);
	assert_int_equal(x->column, 5);
	assert_string_equal(x->message, "page may be out of date: changed '"
					SCHEMA "' (front matter covers)");
}

static void test_docs__mentions_flag_unmapped_pages(void **state)
{
	struct fx *f = *state;
	const struct mg_finding *x;

	fx_write(f, MIG, "CREATE TABLE IF NOT EXISTS \"document_chunk\" "
			 "(\"id\" uuid);\n--> statement-breakpoint\n"
			 "ALTER TABLE \"user\" ADD COLUMN \"x\" int;\n");
	fx_write(f, "docs/search.md", "# Search\n\nChunks.\n\n"
				      "Rows live in document_chunk.\n");
	fx_write(f, "docs/views.md", "The document_chunks view.\n");
	fx_write(f, "docs/auth.md", "Every user signs in.\n");
	fx_write(f, "docs/users.md", "# Users\nThe `user` table.\n");
	fx_write(f, "docs/paths.md", "intro\nsee " SCHEMA " for more\n");
	fx_write(f, "docs/rel.md", "Edit `src/schema/search.ts`.\n");
	fx_write(f, SCHEMA, "export const x = 1;\n");
	fx_change(f, MG_CHANGE_ADDED, MIG);
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	fx_run(f);
	assert_int_equal(f->r.nr, 4);
	x = finding_at(f, "docs/search.md");
	assert_non_null(x);
	assert_int_equal(x->line, 5);
	assert_int_equal(x->column, 14);
	assert_string_equal(x->message, "page may be out of date: changed "
					"table 'document_chunk' (mentioned)");
	x = finding_at(f, "docs/users.md");
	assert_non_null(x);
	assert_string_equal(x->message, "page may be out of date: changed "
					"table 'user' (mentioned)");
	x = finding_at(f, "docs/paths.md");
	assert_non_null(x);
	assert_int_equal(x->line, 2);
	assert_int_equal(x->column, 5);
	/* The project-relative path names the file too. */
	assert_non_null(finding_at(f, "docs/rel.md"));
	assert_null(finding_at(f, "docs/views.md"));
	assert_null(finding_at(f, "docs/auth.md"));
}

static void test_docs__migration_meta_mentions_ignored(void **state)
{
	struct fx *f = *state;

	fx_write(f, "packages/db/src/migrations/meta/_journal.json", "{}");
	fx_write(f, "docs/journal.md",
		 "The journal is packages/db/src/migrations/meta/"
		 "_journal.json.\n");
	fx_change(f, MG_CHANGE_MODIFIED,
		  "packages/db/src/migrations/meta/_journal.json");
	fx_run(f);
	assert_int_equal(f->r.nr, 0);
}

static void test_docs__one_finding_per_page(void **state)
{
	struct fx *f = *state;
	const struct mg_finding *x;

	fx_write(f, SCHEMA, "x\n");
	fx_write(f, MIG, "CREATE TABLE \"document_chunk\" (id int);\n");
	fx_write(f, "docs/db.md",
		 "---\ncovers: [packages/db/src/schema/**]\n---\n"
		 "line 4\nthe document_chunk table, " SCHEMA "\n");
	fx_map(f, 3, "packages/db/src/**", "docs/db.md");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	fx_change(f, MG_CHANGE_ADDED, MIG);
	fx_run(f);
	assert_int_equal(f->r.nr, 1);
	x = finding_at(f, "docs/db.md");
	assert_non_null(x);
	assert_int_equal(x->line, 2); /* the covers entry comes first */
	assert_string_equal(
		x->message,
		"page may be out of date: changed "
		"'" MIG "' (docs rule at .migguard.json:3), "
		"'" SCHEMA "' (docs rule at .migguard.json:3; front matter "
		"covers; mentioned), "
		"table 'document_chunk' (mentioned)");
}

static void test_docs__page_changed_in_same_changeset(void **state)
{
	struct fx *f = *state;

	fx_write(f, SCHEMA, "x\n");
	fx_write(f, "docs/database/migrations.md", "updated\n");
	fx_write(f, "docs/search.md", "---\ncovers: [" SCHEMA "]\n---\n");
	fx_map(f, 2, "packages/db/src/schema/**",
	       "docs/database/migrations.md");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	fx_change(f, MG_CHANGE_MODIFIED, "docs/database/migrations.md");
	fx_change(f, MG_CHANGE_ADDED, "docs/search.md");
	fx_run(f);
	assert_int_equal(f->r.nr, 0);
}

static void test_docs__missing_mapped_page(void **state)
{
	struct fx *f = *state;
	const struct mg_finding *x;

	fx_write(f, SCHEMA, "x\n");
	fx_map(f, 12, "packages/db/src/schema/**", "docs/gone.md");
	fx_map(f, 15, "packages/db/src/schema/**", "docs/none/*.md");
	fx_map(f, 18, "packages/api/**", "docs/also-gone.md");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	fx_run(f);
	assert_int_equal(f->r.nr, 2);
	x = &f->r.items[0];
	assert_string_equal(x->path, ".migguard.json");
	assert_int_equal(x->line, 12);
	assert_string_equal(x->message,
			    "the mapped page 'docs/gone.md' does not exist");
	x = &f->r.items[1];
	assert_int_equal(x->line, 15);
	assert_string_equal(x->message, "no page matches the mapped pattern "
					"'docs/none/*.md'");
}

static void test_docs__mapped_folder_and_glob(void **state)
{
	struct fx *f = *state;

	fx_write(f, SCHEMA, "x\n");
	fx_write(f, "docs/db/a.md", "a\n");
	fx_write(f, "docs/db/deep/b.mdx", "b\n");
	fx_write(f, "docs/db/c.png", "c\n");
	fx_write(f, "docs/img/only.png", "png\n");
	fx_write(f, "guides/db-1.md", "g\n");
	fx_map(f, 2, "packages/db/src/schema", "docs/db");
	fx_map(f, 3, "packages/db/src/schema", "guides/db-*.md");
	fx_map(f, 4, "packages/db/src/schema", "docs/img");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	fx_run(f);
	assert_int_equal(f->r.nr, 4);
	assert_string_equal(f->r.items[0].path, ".migguard.json");
	assert_int_equal(f->r.items[0].line, 4);
	assert_string_equal(f->r.items[0].message,
			    "the mapped page 'docs/img' does not exist");
	assert_non_null(finding_at(f, "docs/db/a.md"));
	assert_non_null(finding_at(f, "docs/db/deep/b.mdx"));
	assert_non_null(finding_at(f, "guides/db-1.md"));
}

static void test_docs__all_mode_checks_every_mapping(void **state)
{
	struct fx *f = *state;

	fx_write(f, "docs/here.md", "x\n");
	fx_map(f, 4, "packages/api/**", "docs/here.md");
	fx_map(f, 9, "packages/api/**", "docs/gone.md");
	f->cs.mode = MG_CHANGESET_ALL;
	fx_run(f);
	assert_int_equal(f->r.nr, 1);
	assert_int_equal(f->r.items[0].line, 9);
}

static void waiver_setup(struct fx *f, enum mg_changeset_mode mode)
{
	fx_write(f, SCHEMA, "x\n");
	fx_write(f, "docs/db.md", "---\ncovers: [" SCHEMA "]\n---\n");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	f->cs.mode = mode;
	fx_commit(f, "1111111aaaaaaa", "First\n\nNo trailer here.\n");
	fx_commit(f, "2222222bbbbbbb",
		  "Rename column\n\ndocs-impact: None (internal only)\n");
}

static void test_docs__waiver_in_range(void **state)
{
	struct fx *f = *state;

	waiver_setup(f, MG_CHANGESET_RANGE);
	fx_run(f);
	assert_int_equal(f->r.nr, 0);
	assert_int_equal(f->r.notes_nr, 1);
	assert_string_equal(f->r.notes[0],
			    "docs: doc-needs-update waived by the "
			    "'Docs-Impact: none' trailer of commit 2222222 "
			    "(internal only)");
	assert_int_equal(f->tree->reads, 0);
}

static void test_docs__waiver_in_pre_push(void **state)
{
	struct fx *f = *state;

	waiver_setup(f, MG_CHANGESET_PRE_PUSH);
	fx_run(f);
	assert_int_equal(f->r.nr, 0);
	assert_int_equal(f->r.notes_nr, 1);
}

static void test_docs__no_waiver_without_trailer(void **state)
{
	struct fx *f = *state;

	fx_write(f, SCHEMA, "x\n");
	fx_write(f, "docs/db.md", "---\ncovers: [" SCHEMA "]\n---\n");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	f->cs.mode = MG_CHANGESET_RANGE;
	fx_commit(f, "1111111aaaaaaa", "Docs-Impact: updated elsewhere\n");
	fx_run(f);
	assert_int_equal(f->r.nr, 1);
	assert_int_equal(f->r.notes_nr, 0);
}

static void test_docs__no_waiver_when_staged(void **state)
{
	struct fx *f = *state;

	/* --staged has no commit message yet: the trailer cannot apply. */
	waiver_setup(f, MG_CHANGESET_STAGED);
	fx_run(f);
	assert_int_equal(f->r.nr, 1);
	assert_int_equal(f->r.notes_nr, 0);
	assert_non_null(strstr(f->r.items[0].hint, "pre-push and CI"));
}

static void test_docs__crlf_and_bom_pages(void **state)
{
	struct fx *f = *state;
	const struct mg_finding *x;

	fx_write(f, SCHEMA, "x\n");
	fx_write(f, MIG, "CREATE TABLE \"document_chunk\" (id int);\r\n");
	fx_write(f, "docs/crlf.md", "\xEF\xBB\xBF---\r\ncovers:\r\n"
				    "  - \"" SCHEMA "\"\r\n---\r\n");
	fx_write(f, "docs/crlf-ref.md", "# Title\r\n\r\n"
					"Uses document_chunk.\r\n");
	fx_write(f, "docs/bom-ref.md", "\xEF\xBB\xBF" "document_chunk rows\n");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	fx_change(f, MG_CHANGE_ADDED, MIG);
	fx_run(f);
	assert_int_equal(f->r.nr, 3);
	x = finding_at(f, "docs/crlf.md");
	assert_non_null(x);
	assert_int_equal(x->line, 3);
	assert_int_equal(x->column, 5);
	x = finding_at(f, "docs/crlf-ref.md");
	assert_non_null(x);
	assert_int_equal(x->line, 3);
	assert_int_equal(x->column, 6);
	x = finding_at(f, "docs/bom-ref.md");
	assert_non_null(x);
	assert_int_equal(x->line, 1);
}

static void test_docs__page_without_front_matter(void **state)
{
	struct fx *f = *state;

	fx_write(f, SCHEMA, "x\n");
	fx_write(f, "docs/plain.md", "# Plain\n\ncovers: [" SCHEMA "]\n");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	fx_run(f);
	/* Not front matter, but the page does mention the path. */
	assert_int_equal(f->r.nr, 1);
	assert_string_equal(f->r.items[0].message,
			    "page may be out of date: changed '" SCHEMA
			    "' (mentioned)");
	assert_int_equal(f->r.items[0].line, 3);
}

static void test_docs__only_page_extensions_read(void **state)
{
	struct fx *f = *state;

	fx_write(f, SCHEMA, "x\n");
	fx_write(f, "docs/a.mdx", "---\ncovers: [" SCHEMA "]\n---\n");
	fx_write(f, "docs/b.markdown", "see " SCHEMA "\n");
	fx_write(f, "docs/c.txt", "see " SCHEMA "\n");
	fx_write(f, "docs/d.html", "see " SCHEMA "\n");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	fx_run(f);
	assert_int_equal(f->r.nr, 2);
	assert_non_null(finding_at(f, "docs/a.mdx"));
	assert_non_null(finding_at(f, "docs/b.markdown"));
}

static void test_docs__docs_roots_from_config(void **state)
{
	struct fx *f = *state;

	fx_write(f, SCHEMA, "x\n");
	fx_write(f, "docs/a.md", "see " SCHEMA "\n");
	fx_write(f, "handbook/db/b.md", "see " SCHEMA "\n");
	mg_strlist_push(&f->cfg.docs_roots, "handbook");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	fx_run(f);
	assert_int_equal(f->r.nr, 1);
	assert_non_null(finding_at(f, "handbook/db/b.md"));
}

static void fill_ordering(struct fx *f, int reverse)
{
	static const char *const changes[] = {
		"packages/db/src/schema/a.ts", "packages/db/src/schema/b.ts",
		"packages/db/src/schema/c.ts", MIG,
	};
	size_t i, n = sizeof(changes) / sizeof(changes[0]);

	for (i = 0; i < n; i++)
		fx_write(f, changes[i], "CREATE TABLE \"zeta\" (x int);\n"
					"DROP TABLE alpha_1;\n");
	fx_write(f, "docs/z.md", "---\ncovers: [packages/db/src/schema/*]"
				 "\n---\nalpha_1 and zeta_x\n");
	fx_write(f, "docs/a.md", "zeta and alpha_1 and "
				 "packages/db/src/schema/b.ts\n");
	fx_write(f, "docs/m.md", "nothing\n");
	for (i = 0; i < n; i++)
		fx_change(f, MG_CHANGE_MODIFIED,
			  changes[reverse ? n - 1 - i : i]);
	if (reverse) {
		fx_map(f, 9, "packages/db/src/schema/c.ts", "docs/m.md");
		fx_map(f, 5, "packages/db/src/schema/a.ts", "docs/m.md");
	} else {
		fx_map(f, 5, "packages/db/src/schema/a.ts", "docs/m.md");
		fx_map(f, 9, "packages/db/src/schema/c.ts", "docs/m.md");
	}
}

static void test_docs__deterministic_ordering(void **state)
{
	struct fx *f = *state, *g = NULL;
	char *one, *two;

	fill_ordering(f, 0);
	fx_run(f);
	fx_setup((void **)&g);
	fill_ordering(g, 1);
	fx_run(g);
	one = format_text(f);
	two = format_text(g);
	assert_int_equal(f->r.nr, 3);
	assert_string_equal(one, two);
	assert_string_equal(f->r.items[0].path, "docs/a.md");
	assert_string_equal(f->r.items[2].path, "docs/z.md");
	assert_string_equal(f->r.items[1].message,
			    "page may be out of date: changed "
			    "'packages/db/src/schema/a.ts' (docs rule at "
			    ".migguard.json:5), 'packages/db/src/schema/c.ts' "
			    "(docs rule at .migguard.json:9)");
	free(one);
	free(two);
	fx_teardown((void **)&g);
}

static void test_docs__severity_off_reads_nothing(void **state)
{
	struct fx *f = *state;

	fx_write(f, SCHEMA, "x\n");
	fx_write(f, "docs/db.md", "see " SCHEMA "\n");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	assert_int_equal(mg_report_set_severity(&f->r, "doc-needs-update",
						MG_SEVERITY_OFF), 0);
	fx_run(f);
	assert_int_equal(f->r.nr, 0);
	assert_int_equal(f->tree->reads + f->tree->lists, 0);
}

static void test_docs__error_severity_from_config(void **state)
{
	struct fx *f = *state;

	fx_write(f, SCHEMA, "x\n");
	fx_write(f, "docs/db.md", "see " SCHEMA "\n");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	assert_int_equal(mg_report_set_severity(&f->r, "doc-needs-update",
						MG_SEVERITY_ERROR), 0);
	fx_run(f);
	assert_int_equal(f->r.nr, 1);
	assert_int_equal(f->r.items[0].severity, MG_SEVERITY_ERROR);
}

#define LARGE_PAGES 5000

static void write_large_tree(struct fx *f)
{
	char path[64], text[128];
	int i;

	for (i = 0; i < LARGE_PAGES; i++) {
		snprintf(path, sizeof(path), "docs/s%02d/page-%04d.md", i % 50,
			 i);
		snprintf(text, sizeof(text),
			 "---\ncovers: [packages/api/p%d/**]\n---\n"
			 "# Page %d\n", i, i);
		fx_write(f, path, text);
	}
	fx_write(f, "docs/s07/db.md", "The document_chunk table.\n");
	fx_write(f, SCHEMA, "x\n");
	fx_write(f, "packages/api/p9/x.ts", "x\n");
	fx_map(f, 3, "packages/db/src/schema/**", "docs/s01/page-0001.md");
}

static void test_docs__large_tree_nothing_watched_reads_nothing(void **state)
{
	struct fx *f = *state;

	write_large_tree(f);
	fx_run(f);
	assert_int_equal(f->r.nr, 0);
	assert_int_equal(f->tree->reads, 0);
	assert_int_equal(f->tree->lists, 0);

	/* Only docs changed: still nothing listed or read. */
	fx_change(f, MG_CHANGE_MODIFIED, "docs/s03/page-0003.md");
	fx_run(f);
	assert_int_equal(f->r.nr, 0);
	assert_int_equal(f->tree->reads, 0);
	assert_int_equal(f->tree->lists, 0);
}

static void test_docs__large_tree_schema_change_lists_once(void **state)
{
	struct fx *f = *state;

	write_large_tree(f);
	fx_write(f, MIG, "CREATE TABLE \"document_chunk\" (id int);\n");
	fx_change(f, MG_CHANGE_MODIFIED, SCHEMA);
	fx_change(f, MG_CHANGE_ADDED, MIG);
	fx_change(f, MG_CHANGE_MODIFIED, "packages/api/p9/x.ts");
	fx_run(f);
	assert_int_equal(f->tree->lists, 1);
	/* every page, plus the one migration */
	assert_int_equal(f->tree->reads, LARGE_PAGES + 1 + 1);
	assert_int_equal(f->r.nr, 3);
	assert_non_null(finding_at(f, "docs/s01/page-0001.md"));
	assert_non_null(finding_at(f, "docs/s07/db.md"));
	assert_non_null(finding_at(f, "docs/s09/page-0009.md"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docs__front_matter_flow_style),
		cmocka_unit_test(test_docs__front_matter_block_style),
		cmocka_unit_test(test_docs__front_matter_crlf_and_bom),
		cmocka_unit_test(test_docs__front_matter_absent),
		cmocka_unit_test(test_docs__reference_whole_word),
		cmocka_unit_test(test_docs__reference_plain_words_only_in_code),
		cmocka_unit_test(test_docs__reference_paths),
		cmocka_unit_test(test_docs__reference_word_as_identifier_only),
		cmocka_unit_test(test_docs__reference_long_line_linear),
		cmocka_unit_test(test_docs__sql_names),
		cmocka_unit_test(test_docs__waiver_trailer),
		T(test_docs__config_rule_flags_page),
		T(test_docs__front_matter_flags_page),
		T(test_docs__mentions_flag_unmapped_pages),
		T(test_docs__migration_meta_mentions_ignored),
		T(test_docs__one_finding_per_page),
		T(test_docs__page_changed_in_same_changeset),
		T(test_docs__missing_mapped_page),
		T(test_docs__mapped_folder_and_glob),
		T(test_docs__all_mode_checks_every_mapping),
		T(test_docs__waiver_in_range),
		T(test_docs__waiver_in_pre_push),
		T(test_docs__no_waiver_without_trailer),
		T(test_docs__no_waiver_when_staged),
		T(test_docs__crlf_and_bom_pages),
		T(test_docs__page_without_front_matter),
		T(test_docs__only_page_extensions_read),
		T(test_docs__docs_roots_from_config),
		T(test_docs__deterministic_ordering),
		T(test_docs__severity_off_reads_nothing),
		T(test_docs__error_severity_from_config),
		T(test_docs__large_tree_nothing_watched_reads_nothing),
		T(test_docs__large_tree_schema_change_lists_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

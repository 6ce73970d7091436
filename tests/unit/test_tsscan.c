#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migguard/tsscan.h"

#define TABLE                                                          \
	"import { pgTable, text, integer } from \"drizzle-orm/pg-core\";\n" \
	"import { relations } from \"drizzle-orm\";\n"                   \
	"\n"                                                               \
	"export const users = pgTable(\"user\", {\n"                       \
	"  id: text(\"id\").primaryKey(),\n"                               \
	"  role: text(\"role\").notNull(),\n"                              \
	"  age: integer(\"age\"),\n"                                       \
	"});\n"                                                            \
	"\n"                                                               \
	"export const usersRelations = relations(users, ({ many }) => ({\n" \
	"  posts: many(posts),\n"                                          \
	"}));\n"

/* The effect of editing a into b; *subject and *offset when changed. */
static int effect(const char *a, const char *b, char **subject,
		  const char **verb, size_t *offset)
{
	struct mg_ts_file fa, fb;
	struct mg_ts_effect e;
	int changed;

	mg_ts_scan(&fa, a, strlen(a));
	mg_ts_scan(&fb, b, strlen(b));
	mg_ts_schema_effect(&e, &fa, &fb);
	changed = e.changed;
	if (subject)
		*subject = e.subject ? strdup(e.subject) : NULL;
	if (verb)
		*verb = e.verb;
	if (offset)
		*offset = e.offset;
	mg_ts_effect_release(&e);
	mg_ts_file_release(&fb);
	mg_ts_file_release(&fa);
	return changed;
}

static int changes(const char *a, const char *b)
{
	return effect(a, b, NULL, NULL, NULL);
}

static char *replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	size_t n;
	char *out;

	assert_non_null(p);
	n = strlen(s) - strlen(from) + strlen(to);
	out = malloc(n + 1);
	memcpy(out, s, (size_t)(p - s));
	strcpy(out + (p - s), to);
	strcat(out, p + strlen(from));
	return out;
}

/* Edit TABLE (from -> to); 1 when the scanner says it may change SQL. */
static int edit(const char *from, const char *to)
{
	char *b = replace(TABLE, from, to);
	int c = changes(TABLE, b);

	free(b);
	return c;
}

static void test_tsscan__declarations_callee_and_sql_name(void **state)
{
	struct mg_ts_file f;

	(void)state;
	mg_ts_scan(&f, TABLE, strlen(TABLE));
	assert_int_equal(f.decls_nr, 4);
	assert_int_equal(f.decls[0].kind, MG_TS_DECL_IMPORT);
	assert_int_equal(f.decls[2].kind, MG_TS_DECL_VALUE);
	assert_string_equal(f.decls[2].name, "users");
	assert_string_equal(f.decls[2].callee, "pgTable");
	assert_string_equal(f.decls[2].sql_name, "user");
	assert_string_equal(f.decls[3].callee, "relations");
	assert_int_equal(f.specifiers.nr, 2);
	assert_string_equal(f.specifiers.items[0], "drizzle-orm/pg-core");
	mg_ts_file_release(&f);
}

static void test_tsscan__statements_without_semicolons(void **state)
{
	const char *src = "import { a } from './a'\n"
			  "export const t = createTable('note', {})\n"
			  "export type T = typeof t.$inferSelect\n"
			  "const x = { a: 1 } as const\n"
			  "export * from \"./b\"\n";
	struct mg_ts_file f;

	(void)state;
	mg_ts_scan(&f, src, strlen(src));
	assert_int_equal(f.decls_nr, 5);
	assert_string_equal(f.decls[1].callee, "createTable");
	assert_string_equal(f.decls[1].sql_name, "note");
	assert_int_equal(f.decls[2].kind, MG_TS_DECL_TYPE);
	assert_string_equal(f.decls[3].name, "x");
	assert_int_equal(f.decls[4].kind, MG_TS_DECL_EXPORT);
	assert_int_equal(f.specifiers.nr, 2);
	assert_string_equal(f.specifiers.items[1], "./b");
	mg_ts_file_release(&f);
}

static void test_tsscan__formatting_and_comments_do_not_count(void **state)
{
	const char *prettier =
		"import { pgTable, text, integer } from 'drizzle-orm/pg-core'\n"
		"import { relations } from 'drizzle-orm'\n"
		"// the users\n"
		"export const users = pgTable('user', {\n"
		"  /* primary */ id: text('id').primaryKey(),\n"
		"  role: text('role').notNull(), age: integer('age')\n"
		"})\n"
		"export const usersRelations = relations(users, ({ many }) => "
		"({ posts: many(posts) }))";

	(void)state;
	assert_int_equal(changes(TABLE, prettier), 0);
	assert_int_equal(changes(TABLE, TABLE), 0);
}

static void test_tsscan__harmless_edits(void **state)
{
	(void)state;
	/* imports, relations, types */
	assert_int_equal(edit("import { relations } from \"drizzle-orm\";\n",
			      "import { relations, sql } from \"drizzle-orm\";\n"
			      "import type { X } from './x';\n"), 0);
	assert_int_equal(edit("posts: many(posts),", "posts: many(posts),\n"
			      "  comments: many(comments),"), 0);
	assert_int_equal(edit("\nexport const usersRelations",
			      "\nexport type User = typeof users.$inferSelect;\n"
			      "interface I { a: string }\n"
			      "export const usersRelations"), 0);
	/* runtime-only builder methods, enum unions */
	assert_int_equal(edit("text(\"id\").primaryKey()",
			      "text(\"id\").primaryKey().$defaultFn(() => "
			      "crypto.randomUUID())"), 0);
	assert_int_equal(edit("text(\"role\").notNull()",
			      "text(\"role\").$type<Role>().notNull()"), 0);
	assert_int_equal(edit("text(\"role\")",
			      "text(\"role\", { enum: [\"admin\", \"user\"] })"),
			 0);
	assert_int_equal(edit("integer(\"age\")",
			      "integer(\"age\").$onUpdate(() => 1)"), 0);
	/* zod values beside the table */
	assert_int_equal(edit("\nexport const usersRelations",
			      "\nexport const insertUser = createInsertSchema("
			      "users).extend({ role: z.string() });\n"
			      "export const Settings = z.object({ a: z.boolean() "
			      "});\nexport const usersRelations"), 0);
}

static void test_tsscan__schema_edits_count(void **state)
{
	char *subject = NULL;
	const char *verb = NULL;
	size_t offset = 0;
	char *b;

	(void)state;
	assert_int_equal(edit("text(\"role\").notNull()", "text(\"role\")"), 1);
	assert_int_equal(edit("integer(\"age\")", "integer(\"years\")"), 1);
	assert_int_equal(edit("text(\"role\")", "varchar(\"role\")"), 1);
	assert_int_equal(edit("text(\"role\")",
			      "text(\"role\", { length: 5 })"), 1);
	assert_int_equal(edit("pgTable(\"user\"", "pgTable(\"users\""), 1);
	assert_int_equal(edit("\nexport const usersRelations",
			      "\nexport const x = pgEnum(\"x\", [\"a\"]);\n"
			      "export const usersRelations"), 1);
	/* what it cannot classify counts */
	assert_int_equal(edit("\nexport const usersRelations",
			      "\nconst defaults = { a: 1 };\n"
			      "export const usersRelations"), 1);

	/* the first changed token of the declaration, named */
	b = replace(TABLE, "text(\"role\").notNull()", "text(\"role\")");
	assert_int_equal(effect(TABLE, b, &subject, &verb, &offset), 1);
	assert_string_equal(subject, "pgTable \"user\"");
	assert_string_equal(verb, "changed");
	assert_int_equal(offset, (size_t)(strstr(b, "),\n  age") - b) + 1);
	free(subject);
	free(b);

	/* a removed table is named, at a real position */
	b = replace(TABLE, "export const users = pgTable(\"user\", {\n"
		    "  id: text(\"id\").primaryKey(),\n"
		    "  role: text(\"role\").notNull(),\n"
		    "  age: integer(\"age\"),\n"
		    "});\n", "");
	assert_int_equal(effect(TABLE, b, &subject, &verb, &offset), 1);
	assert_string_equal(subject, "pgTable \"user\"");
	assert_string_equal(verb, "removed");
	assert_int_equal(offset, (size_t)(strstr(b, "export const") - b));
	free(subject);
	free(b);
}

static void test_tsscan__rename_keeping_sql_name(void **state)
{
	const char *a = "export const users = pgTable(\"user\", { id: "
			"text(\"id\") });\n"
			"export const posts = pgTable(\"post\", { owner: "
			"text(\"owner\").references(() => users.id) });\n";
	const char *b = "export const userTable = pgTable(\"user\", { id: "
			"text(\"id\") });\n"
			"export const posts = pgTable(\"post\", { owner: "
			"text(\"owner\").references(() => userTable.id) });\n";
	const char *c = "export const userTable = pgTable(\"account\", { id: "
			"text(\"id\") });\n"
			"export const posts = pgTable(\"post\", { owner: "
			"text(\"owner\").references(() => userTable.id) });\n";

	(void)state;
	assert_int_equal(changes(a, b), 0);
	assert_int_equal(changes(a, c), 1);
}

/* A type keeping the old name does not stand in for the renamed table. */
static void test_tsscan__rename_beside_type_of_old_name(void **state)
{
	const char *a = "export const Suggestion = pgTable('Suggestion', { id: "
			"uuid('id') });\n"
			"export type Suggestion = InferSelectModel<typeof "
			"Suggestion>;\n";
	const char *b = "export const suggestion = pgTable('Suggestion', { id: "
			"uuid('id') });\n"
			"export type Suggestion = InferSelectModel<typeof "
			"suggestion>;\n";
	const char *c = "export const suggestion = pgTable('Suggestion', { id: "
			"uuid('id'), note: text('note') });\n"
			"export type Suggestion = InferSelectModel<typeof "
			"suggestion>;\n";
	const char *d = "export const suggestion = pgTable('Suggestions', { id: "
			"uuid('id') });\n"
			"export type Suggestion = InferSelectModel<typeof "
			"suggestion>;\n";
	char *subject = NULL;
	const char *verb = NULL;

	(void)state;
	assert_int_equal(changes(a, b), 0);
	/* a type and a value of one name: each matched with its own kind */
	assert_int_equal(changes(b, a), 0);
	assert_int_equal(effect(a, c, &subject, &verb, NULL), 1);
	assert_string_equal(subject, "pgTable \"Suggestion\"");
	free(subject);
	assert_int_equal(changes(a, d), 1);
}

/* Only the used declarations of an imported file count. */
static void test_tsscan__used_declarations(void **state)
{
	const char *a = "import { save } from './q';\n"
			"const base = () => ({ at: timestamp('at') });\n"
			"export const stamps = () => base();\n"
			"export async function saveDoc() { return save(1); }\n";
	const char *b = "import { save } from './q';\n"
			"const base = () => ({ at: timestamp('at') });\n"
			"export const stamps = () => base();\n"
			"export async function saveDoc() { return save(2); }\n"
			"export function more() {}\n";
	const char *c = "import { save } from './q';\n"
			"const base = () => ({ at: timestamp('at').notNull() "
			"});\n"
			"export const stamps = () => base();\n"
			"export async function saveDoc() { return save(1); }\n";
	struct mg_strlist names = MG_STRLIST_INIT;
	struct mg_strlist locals = MG_STRLIST_INIT;
	struct mg_strlist imported = MG_STRLIST_INIT;
	struct mg_ts_file fa, fb, fc, fi;
	struct mg_ts_effect e;

	(void)state;
	mg_ts_scan(&fa, a, strlen(a));
	mg_ts_scan(&fb, b, strlen(b));
	mg_ts_scan(&fc, c, strlen(c));
	mg_strlist_push(&names, "stamps");
	mg_ts_schema_effect_used(&e, &fa, &fb, &names);
	assert_int_equal(e.changed, 0);
	mg_ts_effect_release(&e);
	/* base is reached through stamps */
	mg_ts_schema_effect_used(&e, &fa, &fc, &names);
	assert_int_equal(e.changed, 1);
	assert_string_equal(e.subject, "'base'");
	mg_ts_effect_release(&e);
	/* the whole file: the function counts */
	mg_ts_schema_effect_used(&e, &fa, &fb, NULL);
	assert_int_equal(e.changed, 1);
	mg_ts_effect_release(&e);
	/* a name neither version declares: unsure, the whole file */
	mg_strlist_push(&names, "reexported");
	mg_ts_schema_effect_used(&e, &fa, &fb, &names);
	assert_int_equal(e.changed, 1);
	mg_ts_effect_release(&e);
	mg_strlist_release(&names);

	mg_ts_scan(&fi, "import D, { a as b, type T, c } from './m';\n"
		   "import type { X } from './t';\nimport './fx';\n", 89);
	assert_int_equal(fi.decls_nr, 3);
	assert_int_equal(mg_ts_import_bindings(&fi, &fi.decls[0], &locals,
					       &imported), 0);
	assert_int_equal(locals.nr, 3);
	assert_string_equal(locals.items[0], "D");
	assert_string_equal(imported.items[0], "*");
	assert_string_equal(locals.items[1], "b");
	assert_string_equal(imported.items[1], "a");
	assert_string_equal(locals.items[2], "c");
	mg_strlist_release(&locals);
	mg_strlist_release(&imported);
	assert_int_equal(mg_ts_import_bindings(&fi, &fi.decls[1], &locals,
					       &imported), 0);
	assert_int_equal(locals.nr, 0);
	assert_int_equal(mg_ts_import_bindings(&fi, &fi.decls[2], &locals,
					       &imported), -1);
	mg_ts_file_release(&fi);
	mg_ts_file_release(&fc);
	mg_ts_file_release(&fb);
	mg_ts_file_release(&fa);
}

/* A deleted file against the files that replace it: its own fate only. */
static void test_tsscan__gone_file(void **state)
{
	const char *a = "export const t = pgTable('t', { id: text('id') });\n";
	const char *moved = "export const u = pgTable('u', {});\n"
			    "export const t = pgTable('t', { id: text('id') "
			    "});\n";
	const char *changed = "export const t = pgTable('t', { id: "
			      "text('id').notNull() });\n";
	struct mg_ts_file fa, fb;
	struct mg_ts_effect e;
	const char *texts[] = { moved, changed, "" };
	static const int want[] = { 0, 1, 1 };
	size_t i;

	(void)state;
	mg_ts_scan(&fa, a, strlen(a));
	for (i = 0; i < 3; i++) {
		mg_ts_scan(&fb, texts[i], strlen(texts[i]));
		mg_ts_schema_effect_gone(&e, &fa, &fb);
		assert_int_equal(e.changed, want[i]);
		if (i == 2)
			assert_string_equal(e.verb, "removed");
		mg_ts_effect_release(&e);
		mg_ts_file_release(&fb);
	}
	mg_ts_file_release(&fa);
}

static void test_tsscan__added_and_deleted_files(void **state)
{
	char *subject = NULL;

	(void)state;
	assert_int_equal(effect("", TABLE, &subject, NULL, NULL), 1);
	assert_string_equal(subject, "pgTable \"user\"");
	free(subject);
	assert_int_equal(effect(TABLE, "", NULL, NULL, NULL), 1);
	assert_int_equal(changes("", "export type A = string;\n"), 0);
	assert_int_equal(changes("import x from './x';", ""), 0);
}

static void test_tsscan__hostile_text_scans(void **state)
{
	static const char *const inputs[] = { "`${`${`${", "'unterminated",
		"/* open", "a = /re[/]gex/g; b = c / d / e", "))))}}}]]",
		"export const", "const x = `a${'}'}b` + pgTable(", "#!/bin/sh\n",
		"\xff\xfe\x80", "type", "export {", NULL };
	size_t i;

	(void)state;
	for (i = 0; inputs[i]; i++) {
		changes(inputs[i], TABLE);
		changes(TABLE, inputs[i]);
		changes(inputs[i], inputs[i]);
	}
	assert_int_equal(changes("const x = `a${'}'}b`;", "const x = `a${'}'}b`;"),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_tsscan__declarations_callee_and_sql_name),
		cmocka_unit_test(test_tsscan__statements_without_semicolons),
		cmocka_unit_test(
			test_tsscan__formatting_and_comments_do_not_count),
		cmocka_unit_test(test_tsscan__harmless_edits),
		cmocka_unit_test(test_tsscan__schema_edits_count),
		cmocka_unit_test(test_tsscan__rename_keeping_sql_name),
		cmocka_unit_test(
			test_tsscan__rename_beside_type_of_old_name),
		cmocka_unit_test(test_tsscan__used_declarations),
		cmocka_unit_test(test_tsscan__gone_file),
		cmocka_unit_test(test_tsscan__added_and_deleted_files),
		cmocka_unit_test(test_tsscan__hostile_text_scans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migguard/check.h"
#include "migguard/pair.h"

#define FIXTURES MG_TEST_SOURCE_DIR "/tests/fixtures/drizzle/"

/*
 * A tree made of fixture folders mounted at prefixes, with files hidden
 * (not staged) or replaced: the states a half-staged commit leaves.
 */
struct mount {
	const char *prefix; /* "" or "a" */
	struct mg_tree *dir;
};

struct test_tree {
	struct mg_tree base;
	struct mount mounts[2];
	size_t mounts_nr;
	const char *hidden[4];
	const char *replaced_path;
	const char *replaced_from; /* fixture file giving its bytes */
};

static const char *strip(const struct mount *m, const char *path)
{
	size_t n = strlen(m->prefix);

	if (!n)
		return path;
	if (strncmp(path, m->prefix, n) || path[n] != '/')
		return NULL;
	return path + n + 1;
}

static int is_hidden(const struct test_tree *t, const char *path)
{
	size_t i;

	for (i = 0; i < 4 && t->hidden[i]; i++)
		if (!strcmp(t->hidden[i], path))
			return 1;
	return 0;
}

static int tt_read(struct mg_tree *base, const char *path, char **data,
		   size_t *len)
{
	struct test_tree *t = (struct test_tree *)base;
	struct mg_tree *fix = NULL;
	size_t i;
	int err;

	if (is_hidden(t, path))
		return mg_error_set_code(MG_ENOTFOUND, "'%s' hidden", path);
	if (t->replaced_path && !strcmp(t->replaced_path, path)) {
		err = mg_tree_open_dir(&fix, FIXTURES);
		if (err >= 0)
			err = mg_tree_read(fix, t->replaced_from, data, len);
		mg_tree_free(fix);
		return err;
	}
	for (i = 0; i < t->mounts_nr; i++) {
		const char *rel = strip(&t->mounts[i], path);

		if (rel)
			return mg_tree_read(t->mounts[i].dir, rel, data, len);
	}
	return mg_error_set_code(MG_ENOTFOUND, "'%s' not mounted", path);
}

static int tt_list(struct mg_tree *base, const char *dir,
		   struct mg_tree_listing *out)
{
	struct test_tree *t = (struct test_tree *)base;
	size_t i, k;

	for (i = 0; i < t->mounts_nr; i++) {
		struct mg_tree_listing l;
		const char *p = t->mounts[i].prefix;

		assert_int_equal(mg_tree_list(t->mounts[i].dir, "", &l), 0);
		for (k = 0; k < l.nr; k++) {
			char *full = mg_path_join(p, l.items[k].path);
			struct mg_tree_entry *e;

			if (is_hidden(t, full) ||
			    (*dir && (strncmp(full, dir, strlen(dir)) ||
				      full[strlen(dir)] != '/'))) {
				free(full);
				continue;
			}
			out->nr++;
			MG_ALLOC_GROW(out->items, out->nr, out->alloc);
			e = &out->items[out->nr - 1];
			e->path = full;
			e->type = MG_ENTRY_FILE;
			e->id[0] = '\0';
		}
		mg_tree_listing_release(&l);
	}
	return 0;
}

static void tt_free(struct mg_tree *base)
{
	struct test_tree *t = (struct test_tree *)base;
	size_t i;

	for (i = 0; i < t->mounts_nr; i++)
		mg_tree_free(t->mounts[i].dir);
	free(t);
}

static const struct mg_tree_ops tt_ops = { tt_read, tt_list, tt_free };

/* A tree with fixture step `step` ("step-02") at prefix. */
static struct test_tree *tree_new(const char *prefix, const char *step)
{
	struct test_tree *t = mg_xcalloc(1, sizeof(*t));
	char *dir = mg_xstrfmt("%s%s", FIXTURES, step);

	t->base.ops = &tt_ops;
	t->base.label = mg_xstrdup(step);
	t->mounts[0].prefix = prefix;
	assert_int_equal(mg_tree_open_dir(&t->mounts[0].dir, dir), 0);
	t->mounts_nr = 1;
	free(dir);
	return t;
}

static void tree_mount(struct test_tree *t, const char *prefix,
		       const char *step)
{
	char *dir = mg_xstrfmt("%s%s", FIXTURES, step);

	t->mounts[t->mounts_nr].prefix = prefix;
	assert_int_equal(mg_tree_open_dir(&t->mounts[t->mounts_nr].dir, dir),
			 0);
	t->mounts_nr++;
	free(dir);
}

struct fixture {
	struct mg_config config;
	struct mg_changeset cs;
	struct mg_context ctx;
	struct mg_report report;
};

static const char one_project[] =
	"{\"projects\": [{\"name\": \"db\", \"schema\": \"src/schema\", "
	"\"migrations\": \"src/migrations\", "
	"\"generate\": \"pnpm db:generate\"}],"
	" \"pair\": {\"ignore\": [\"src/schema/__tests__\", "
	"\"src/schema/**/*.md\"]}}";

static void fixture_init(struct fixture *f, const char *config,
			 struct test_tree *base, struct test_tree *head)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(mg_config_parse_json(&f->config, ".migguard.json",
					      config, strlen(config)),
			 0);
	f->cs.mode = MG_CHANGESET_STAGED;
	f->cs.base = &base->base;
	f->cs.head = &head->base;
	f->ctx.config = &f->config;
	f->ctx.cs = &f->cs;
	mg_report_init(&f->report);
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const struct mg_change *)a)->path,
		      ((const struct mg_change *)b)->path);
}

/* "M path", "R old new" */
static void change(struct fixture *f, const char *spec)
{
	struct mg_change *c;
	const char *sp = strchr(spec + 2, ' ');

	f->cs.nr++;
	MG_ALLOC_GROW(f->cs.changes, f->cs.nr, f->cs.alloc);
	c = &f->cs.changes[f->cs.nr - 1];
	c->status = (enum mg_change_status)spec[0];
	if (sp) {
		c->old_path = mg_xstrndup(spec + 2, (size_t)(sp - spec - 2));
		c->path = mg_xstrdup(sp + 1);
	} else {
		c->old_path = NULL;
		c->path = mg_xstrdup(spec + 2);
	}
	qsort(f->cs.changes, f->cs.nr, sizeof(*f->cs.changes), cmp_change);
}

/* A complete new migration in the change: SQL, snapshot, journal entry. */
static void stage_migration(struct fixture *f, const char *tag)
{
	char spec[128];

	snprintf(spec, sizeof(spec), "A src/migrations/%s.sql", tag);
	change(f, spec);
	snprintf(spec, sizeof(spec), "A src/migrations/meta/%.4s_snapshot.json",
		 tag);
	change(f, spec);
	change(f, "M src/migrations/meta/_journal.json");
}

static void run(struct fixture *f)
{
	assert_int_equal(mg_pair_check(&f->report, &f->ctx), 0);
	mg_report_sort(&f->report);
}

static void fixture_release(struct fixture *f)
{
	size_t i;

	for (i = 0; i < f->cs.nr; i++) {
		free(f->cs.changes[i].path);
		free(f->cs.changes[i].old_path);
	}
	free(f->cs.changes);
	mg_tree_free(f->cs.base);
	mg_tree_free(f->cs.head);
	mg_config_release(&f->config);
	mg_report_release(&f->report);
}

static void expect_finding(const struct fixture *f, size_t i,
			   const char *rule, const char *path, unsigned line,
			   const char *message)
{
	assert_true(i < f->report.nr);
	assert_string_equal(f->report.items[i].rule, rule);
	assert_string_equal(f->report.items[i].path, path);
	assert_int_equal(f->report.items[i].line, line);
	assert_string_equal(f->report.items[i].message, message);
}

static void test_pair__complete_migration_passes(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f, one_project, tree_new("", "step-01"),
		     tree_new("", "step-02"));
	change(&f, "M src/schema/research.ts");
	stage_migration(&f, "0002_plan_summary");
	run(&f);
	assert_int_equal(f.report.nr, 0);
	fixture_release(&f);
}

static void test_pair__schema_without_migration_names_file_and_command(
	void **state)
{
	struct fixture f;

	struct test_tree *base = tree_new("", "step-01");
	struct test_tree *head = tree_new("", "step-01");

	(void)state;
	head->hidden[0] = "src/schema/auth.ts";
	head->replaced_path = "src/schema/research.ts";
	head->replaced_from = "step-02/src/schema/research.ts";
	fixture_init(&f, one_project, base, head);
	change(&f, "M src/schema/research.ts");
	change(&f, "D src/schema/auth.ts");
	run(&f);
	assert_int_equal(f.report.nr, 2);
	expect_finding(&f, 0, "schema-without-migration", "src/schema/auth.ts",
		       1, "schema file 'src/schema/auth.ts' deleted without a "
		       "generated migration: pgTable \"organization\" "
		       "removed; no new .sql, snapshot and journal entry in "
		       "'src/migrations'");
	expect_finding(&f, 1, "schema-without-migration",
		       "src/schema/research.ts", 11,
		       "schema file 'src/schema/research.ts' modified "
		       "without a generated migration: pgTable "
		       "\"research_plan\" changed; no new .sql, snapshot "
		       "and journal entry in 'src/migrations'");
	assert_int_equal(f.report.items[1].column, 5);
	assert_string_equal(f.report.items[1].hint,
		"run 'pnpm db:generate', then git add src/migrations; if the "
		"edit cannot change the database, generate writes nothing; "
		"bypass once: MIGGUARD_SKIP=pair git commit ...");
	fixture_release(&f);
}

static void test_pair__sql_without_meta_is_incomplete(void **state)
{
	struct fixture f;
	struct test_tree *head = tree_new("", "step-02");

	(void)state;
	/* git add of the .sql alone: no snapshot, the old journal */
	head->hidden[0] = "src/migrations/meta/0002_snapshot.json";
	head->replaced_path = "src/migrations/meta/_journal.json";
	head->replaced_from = "step-01/src/migrations/meta/_journal.json";
	fixture_init(&f, one_project, tree_new("", "step-01"), head);
	change(&f, "M src/schema/research.ts");
	change(&f, "A src/migrations/0002_plan_summary.sql");
	run(&f);
	assert_int_equal(f.report.nr, 1);
	expect_finding(&f, 0, "migration-incomplete",
		       "src/migrations/0002_plan_summary.sql", 0,
		       "new migration '0002_plan_summary' is incomplete: "
		       "'src/migrations/meta/0002_snapshot.json' and its "
		       "entry in 'src/migrations/meta/_journal.json' are not "
		       "staged");
	fixture_release(&f);
}

static void test_pair__snapshot_without_sql_or_entry_is_incomplete(
	void **state)
{
	struct fixture f;
	struct test_tree *head = tree_new("", "step-02");

	(void)state;
	head->hidden[0] = "src/migrations/0002_plan_summary.sql";
	head->replaced_path = "src/migrations/meta/_journal.json";
	head->replaced_from = "step-01/src/migrations/meta/_journal.json";
	fixture_init(&f, one_project, tree_new("", "step-01"), head);
	change(&f, "M src/schema/research.ts");
	change(&f, "A src/migrations/meta/0002_snapshot.json");
	run(&f);
	assert_int_equal(f.report.nr, 1);
	expect_finding(&f, 0, "migration-incomplete",
		       "src/migrations/meta/0002_snapshot.json", 0,
		       "new migration '0002' is incomplete: "
		       "'src/migrations/0002_*.sql' and its entry in "
		       "'src/migrations/meta/_journal.json' are not staged");
	fixture_release(&f);
}

static void test_pair__journal_entry_without_files_is_incomplete(
	void **state)
{
	struct fixture f;
	struct test_tree *head = tree_new("", "step-02");

	(void)state;
	head->hidden[0] = "src/migrations/0002_plan_summary.sql";
	head->hidden[1] = "src/migrations/meta/0002_snapshot.json";
	fixture_init(&f, one_project, tree_new("", "step-01"), head);
	change(&f, "M src/schema/research.ts");
	change(&f, "M src/migrations/meta/_journal.json");
	run(&f);
	assert_int_equal(f.report.nr, 1);
	expect_finding(&f, 0, "migration-incomplete",
		       "src/migrations/meta/_journal.json", 19,
		       "new migration '0002_plan_summary' is incomplete: "
		       "'src/migrations/0002_plan_summary.sql' and "
		       "'src/migrations/meta/0002_snapshot.json' are not "
		       "staged");
	fixture_release(&f);
}

static void test_pair__migration_without_schema(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f, one_project, tree_new("", "step-01"),
		     tree_new("", "step-02"));
	stage_migration(&f, "0002_plan_summary");
	/* an ignored file under the schema path does not pair it */
	change(&f, "A src/schema/__tests__/plan.test.ts");
	run(&f);
	assert_int_equal(f.report.nr, 1);
	expect_finding(&f, 0, "migration-without-schema",
		       "src/migrations/0002_plan_summary.sql", 0,
		       "new migration '0002_plan_summary' changes the schema "
		       "snapshot but no schema file under 'src/schema' is "
		       "staged");
	fixture_release(&f);
}

static void test_pair__custom_migration_passes_without_schema(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f, one_project, tree_new("", "step-02"),
		     tree_new("", "step-03"));
	stage_migration(&f, "0003_enable_pgvector");
	run(&f);
	assert_int_equal(f.report.nr, 0);
	fixture_release(&f);
}

static void test_pair__schema_with_only_custom_migration_fails(void **state)
{
	struct fixture f;

	struct test_tree *base = tree_new("", "step-02");

	(void)state;
	base->replaced_path = "src/schema/research.ts";
	base->replaced_from = "step-01/src/schema/research.ts";
	fixture_init(&f, one_project, base, tree_new("", "step-03"));
	stage_migration(&f, "0003_enable_pgvector");
	change(&f, "M src/schema/research.ts");
	run(&f);
	assert_int_equal(f.report.nr, 1);
	expect_finding(&f, 0, "schema-without-migration",
		       "src/schema/research.ts", 11,
		       "schema file 'src/schema/research.ts' modified without "
		       "a generated migration: pgTable \"research_plan\" "
		       "changed; only the custom migration "
		       "'0003_enable_pgvector' is added (its snapshot equals "
		       "the previous one)");
	fixture_release(&f);
}

static void test_pair__ignored_files_never_need_a_migration(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f, one_project, tree_new("", "step-01"),
		     tree_new("", "step-01"));
	change(&f, "A src/schema/__tests__/plan.test.ts");
	change(&f, "M src/schema/notes/README.md");
	run(&f);
	assert_int_equal(f.report.nr, 0);
	fixture_release(&f);
}

static void test_pair__renames_count_both_ways(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f, one_project, tree_new("", "step-01"),
		     tree_new("", "step-01"));
	change(&f, "R src/schema/research.ts src/schema/plans.ts");
	change(&f, "R src/schema/auth.ts src/legacy/auth.ts");
	run(&f);
	assert_int_equal(f.report.nr, 2);
	expect_finding(&f, 0, "schema-without-migration", "src/legacy/auth.ts",
		       1, "schema file 'src/legacy/auth.ts' renamed from "
		       "'src/schema/auth.ts' without a generated migration: "
		       "pgTable \"organization\" removed; no new .sql, snapshot and journal entry in "
		       "'src/migrations'");
	expect_finding(&f, 1, "schema-without-migration",
		       "src/schema/plans.ts", 1,
		       "schema file 'src/schema/plans.ts' renamed from "
		       "'src/schema/research.ts' without a generated "
		       "migration: pgTable \"research_plan\" removed; no new .sql, snapshot and journal entry in "
		       "'src/migrations'");
	fixture_release(&f);
}

static void test_pair__regenerated_snapshot_pairs_schema(void **state)
{
	struct fixture f;
	struct test_tree *head = tree_new("", "step-02");

	(void)state;
	/* 0002 regenerated in place (unpushed, same tag): a new snapshot */
	head->replaced_path = "src/migrations/meta/0002_snapshot.json";
	head->replaced_from = "step-05/src/migrations/meta/0005_snapshot.json";
	fixture_init(&f, one_project, tree_new("", "step-02"), head);
	change(&f, "M src/schema/research.ts");
	change(&f, "M src/migrations/meta/0002_snapshot.json");
	run(&f);
	assert_int_equal(f.report.nr, 0);
	fixture_release(&f);
}

static void test_pair__monorepo_reports_only_the_incomplete_project(
	void **state)
{
	static const char two_projects[] =
		"{\"projects\": ["
		"{\"name\": \"a\", \"schema\": \"a/src/schema\", "
		"\"migrations\": \"a/src/migrations\"},"
		"{\"name\": \"b\", \"schema\": \"b/src/schema\", "
		"\"migrations\": \"b/src/migrations\"}]}";
	struct test_tree *base = tree_new("a", "step-01");
	struct test_tree *head = tree_new("a", "step-02");
	struct fixture f;

	(void)state;
	tree_mount(base, "b", "step-01");
	tree_mount(head, "b", "step-01");
	head->replaced_path = "b/src/schema/research.ts";
	head->replaced_from = "step-02/src/schema/research.ts";
	fixture_init(&f, two_projects, base, head);
	change(&f, "M a/src/schema/research.ts");
	change(&f, "A a/src/migrations/0002_plan_summary.sql");
	change(&f, "A a/src/migrations/meta/0002_snapshot.json");
	change(&f, "M a/src/migrations/meta/_journal.json");
	change(&f, "M b/src/schema/research.ts");
	run(&f);
	assert_int_equal(f.report.nr, 1);
	expect_finding(&f, 0, "schema-without-migration",
		       "b/src/schema/research.ts", 11,
		       "schema file 'b/src/schema/research.ts' modified "
		       "without a generated migration: pgTable "
		       "\"research_plan\" changed; no new .sql, snapshot "
		       "and journal entry in 'b/src/migrations'");
	fixture_release(&f);
}

static void test_pair__range_hints_have_no_git_add(void **state)
{
	struct fixture f;

	struct test_tree *head = tree_new("", "step-01");

	(void)state;
	head->replaced_path = "src/schema/research.ts";
	head->replaced_from = "step-02/src/schema/research.ts";
	fixture_init(&f, one_project, tree_new("", "step-01"), head);
	f.cs.mode = MG_CHANGESET_RANGE;
	change(&f, "M src/schema/research.ts");
	run(&f);
	assert_int_equal(f.report.nr, 1);
	assert_string_equal(f.report.items[0].hint,
		"run 'pnpm db:generate' and commit what it writes under "
		"'src/migrations'; if the edit cannot change the database, "
		"generate writes nothing: add a 'Schema-Impact: none "
		"(reason)' trailer to the commit message");
	fixture_release(&f);
}

static void test_pair__all_mode_checks_nothing(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f, one_project, tree_new("", "step-01"),
		     tree_new("", "step-01"));
	f.cs.mode = MG_CHANGESET_ALL;
	mg_tree_free(f.cs.base);
	f.cs.base = NULL;
	run(&f);
	assert_int_equal(f.report.nr, 0);
	assert_int_equal(f.report.notes_nr, 1);
	fixture_release(&f);
}

static struct mg_json *parse(const char *text)
{
	struct mg_json *j = NULL;

	assert_int_equal(mg_json_parse(&j, text, strlen(text), NULL), 0);
	return j;
}

static void expect_equal(const char *a, const char *b, int want)
{
	struct mg_json *ja = parse(a), *jb = parse(b);

	assert_int_equal(mg_pair_snapshots_equal(ja, jb), want);
	assert_int_equal(mg_pair_snapshots_equal(jb, ja), want);
	mg_json_free(ja);
	mg_json_free(jb);
}

static void test_pair__snapshots_compare_as_values(void **state)
{
	(void)state;
	expect_equal("{\"id\":\"1\",\"prevId\":\"0\","
		     "\"t\":{\"a\":1,\"b\":[1,2]}}",
		     "{\"t\":{\"b\":[1,2],\"a\":1.0},"
		     "\"prevId\":\"1\",\"id\":\"2\"}", 1);
	/* arrays keep their order; ids below the top level count */
	expect_equal("{\"t\":[1,2]}", "{\"t\":[2,1]}", 0);
	expect_equal("{\"t\":{\"id\":\"x\"}}", "{\"t\":{\"id\":\"y\"}}", 0);
	expect_equal("{\"t\":{\"a\":1}}", "{\"t\":{\"a\":1,\"b\":null}}", 0);
	expect_equal("{\"t\":\"1\"}", "{\"t\":1}", 0);
	expect_equal("{\"id\":\"1\"}", "{}", 1);
}

static void test_pair__real_custom_snapshot_equals_previous(void **state)
{
	struct mg_tree *t = NULL;
	struct mg_json *s2 = NULL, *s3 = NULL, *s1 = NULL;
	char *b1, *b2, *b3;
	size_t l1, l2, l3;

	(void)state;
	assert_int_equal(mg_tree_open_dir(&t, FIXTURES "step-03/src/"
					  "migrations/meta"), 0);
	assert_int_equal(mg_tree_read(t, "0001_snapshot.json", &b1, &l1), 0);
	assert_int_equal(mg_tree_read(t, "0002_snapshot.json", &b2, &l2), 0);
	assert_int_equal(mg_tree_read(t, "0003_snapshot.json", &b3, &l3), 0);
	assert_int_equal(mg_json_parse(&s1, b1, l1, NULL), 0);
	assert_int_equal(mg_json_parse(&s2, b2, l2, NULL), 0);
	assert_int_equal(mg_json_parse(&s3, b3, l3, NULL), 0);
	assert_true(mg_pair_snapshots_equal(s2, s3));
	assert_false(mg_pair_snapshots_equal(s1, s2));
	mg_json_free(s1);
	mg_json_free(s2);
	mg_json_free(s3);
	free(b1);
	free(b2);
	free(b3);
	mg_tree_free(t);
}

/* The tree-less comparison agrees with the trees on every pair. */
static void test_pair__texts_compare_like_trees(void **state)
{
	static const char *const docs[] = {
		"{\"id\":\"1\",\"prevId\":\"0\",\"t\":{\"a\":1,\"b\":[1,2]}}",
		"{\"t\":{\"b\":[1,2],\"a\":1.0},\"prevId\":\"1\",\"id\":\"2\"}",
		"{\"t\":{\"b\":[2,1],\"a\":1}}",
		"{\"t\":{\"a\":1,\"b\":[1,2],\"c\":null}}",
		"{\"t\":{\"a\":\"1\",\"b\":[1,2]}}",
		"{\"t\":{\"a\":1e0,\"b\":[1,2.0]},\"id\":{\"x\":1}}",
		"{\"t\":{\"\\u0061\":1,\"b\":[1,2]}}",
		"{\"t\":{\"id\":\"x\"}}",
		"{\"t\":{\"id\":\"y\"}}",
		"{}",
		"{\"id\":\"1\"}",
		"[{\"a\":1},{\"b\":2}]",
		"[{\"b\":2},{\"a\":1}]",
		"[{\"a\":-0},{\"b\":2}]",
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		for (k = 0; k < sizeof(docs) / sizeof(docs[0]); k++) {
			struct mg_json *a = parse(docs[i]), *b = parse(docs[k]);
			int want = mg_pair_snapshots_equal(a, b);

			if (mg_pair_snapshot_texts_equal(docs[i],
							 strlen(docs[i]),
							 docs[k],
							 strlen(docs[k])) !=
			    want)
				fail_msg("%s vs %s: want %d", docs[i], docs[k],
					 want);
			mg_json_free(a);
			mg_json_free(b);
		}
	}
	/* a member named twice: left to the trees */
	assert_true(mg_pair_snapshot_texts_equal("{\"a\":1,\"a\":1}", 13,
						 "{}", 2) < 0);
	assert_true(mg_pair_snapshot_texts_equal("{}", 2, "{\"a\":", 5) < 0);
}

static void test_pair__real_custom_snapshot_texts_equal(void **state)
{
	struct mg_tree *t = NULL;
	char *b1, *b2, *b3;
	size_t l1, l2, l3;

	(void)state;
	assert_int_equal(mg_tree_open_dir(&t, FIXTURES "step-03/src/"
					  "migrations/meta"), 0);
	assert_int_equal(mg_tree_read(t, "0001_snapshot.json", &b1, &l1), 0);
	assert_int_equal(mg_tree_read(t, "0002_snapshot.json", &b2, &l2), 0);
	assert_int_equal(mg_tree_read(t, "0003_snapshot.json", &b3, &l3), 0);
	assert_int_equal(mg_pair_snapshot_texts_equal(b2, l2, b3, l3), 1);
	assert_int_equal(mg_pair_snapshot_texts_equal(b1, l1, b2, l2), 0);
	free(b1);
	free(b2);
	free(b3);
	mg_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair__complete_migration_passes),
		cmocka_unit_test(
		    test_pair__schema_without_migration_names_file_and_command),
		cmocka_unit_test(test_pair__sql_without_meta_is_incomplete),
		cmocka_unit_test(
			test_pair__snapshot_without_sql_or_entry_is_incomplete),
		cmocka_unit_test(
			test_pair__journal_entry_without_files_is_incomplete),
		cmocka_unit_test(test_pair__migration_without_schema),
		cmocka_unit_test(
			test_pair__custom_migration_passes_without_schema),
		cmocka_unit_test(
			test_pair__schema_with_only_custom_migration_fails),
		cmocka_unit_test(
			test_pair__ignored_files_never_need_a_migration),
		cmocka_unit_test(test_pair__renames_count_both_ways),
		cmocka_unit_test(test_pair__regenerated_snapshot_pairs_schema),
		cmocka_unit_test(
		    test_pair__monorepo_reports_only_the_incomplete_project),
		cmocka_unit_test(test_pair__range_hints_have_no_git_add),
		cmocka_unit_test(test_pair__all_mode_checks_nothing),
		cmocka_unit_test(test_pair__snapshots_compare_as_values),
		cmocka_unit_test(test_pair__texts_compare_like_trees),
		cmocka_unit_test(test_pair__real_custom_snapshot_texts_equal),
		cmocka_unit_test(
			test_pair__real_custom_snapshot_equals_previous),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

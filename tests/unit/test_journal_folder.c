/*
 * The history rules of the folder layout (journal_folder.c) on real
 * drizzle-kit 1.0.0-rc.5 output (tests/fixtures/drizzle-1.0) and on
 * scratch copies of it broken as users break it. Folder names change
 * when the fixtures are made again: tests find migrations by the name
 * after the timestamp.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migguard/config.h"
#include "migguard/error.h"
#include "migguard/journal.h"
#include "migguard/migfolder.h"
#include "migguard/report.h"
#include "migguard/strbuf.h"

#include "scratch.h"

#define FX MG_TEST_SOURCE_DIR "/tests/fixtures/drizzle-1.0"
#define OUT "src/migrations"


/* The folder "<out>/<14 digits>_<suffix>" of dir (a new string). */
static char *folder(const char *dir, const char *suffix)
{
	struct mg_tree *t = NULL;
	struct mg_migfolder *f = NULL;
	char *want = mg_xstrfmt("_%s", suffix), *out = NULL;
	size_t i;

	assert_int_equal(mg_tree_open_dir(&t, dir), 0);
	assert_int_equal(mg_migfolder_load(&f, t, OUT), 0);
	for (i = 0; i < f->nr && !out; i++)
		if (mg_ends_with(f->items[i].name, want) &&
		    strlen(f->items[i].name) == 14 + strlen(want))
			out = mg_xstrfmt("%s/%s", dir, f->items[i].dir);
	mg_migfolder_free(f);
	mg_tree_free(t);
	free(want);
	assert_non_null(out);
	return out;
}

/*
 * Check head (a folder holding the project), compared with pub (NULL:
 * nothing published), as a project whose migrator is migrator.
 */
static void check(struct mg_report *r, const char *head, const char *pub,
		  const char *migrator)
{
	struct mg_tree *t = NULL, *pt = NULL;
	struct mg_migfolder *f = NULL, *pf = NULL;
	struct mg_journal_options opts;
	struct mg_project p;

	memset(&p, 0, sizeof(p));
	p.name = "db";
	p.migrations = OUT;
	p.generate_command = "pnpm db:generate";
	p.migrator = (char *)migrator;
	mg_journal_options_init(&opts);
	mg_report_init(r);
	assert_int_equal(mg_tree_open_dir(&t, head), 0);
	assert_int_equal(mg_migfolder_load(&f, t, OUT), 0);
	if (pub) {
		assert_int_equal(mg_tree_open_dir(&pt, pub), 0);
		assert_int_equal(mg_migfolder_load(&pf, pt, OUT), 0);
	}
	assert_int_equal(mg_journal_check_folder(r, f, &p, pf, NULL, &opts), 0);
	mg_report_sort(r);
	if (getenv("MG_TEST_VERBOSE")) {
		size_t i;

		for (i = 0; i < r->nr; i++)
			fprintf(stderr, "  %s:%u:%u: %s [%s]\n",
				r->items[i].path, r->items[i].line,
				r->items[i].column, r->items[i].message,
				r->items[i].rule);
	}
	mg_migfolder_free(pf);
	mg_migfolder_free(f);
	mg_tree_free(pt);
	mg_tree_free(t);
}

/* Finding i has this rule and its message holds needle. */
static void expect_finding(const struct mg_report *r, size_t i,
			   const char *rule, const char *needle)
{
	assert_true(i < r->nr);
	assert_string_equal(r->items[i].rule, rule);
	if (!strstr(r->items[i].message, needle))
		fail_msg("'%s' lacks '%s'", r->items[i].message, needle);
}

static void test_journal_folder__rc5_histories_pass(void **state)
{
	static const char *const clean[] = {
	    "step-00",
	    "step-03",
	    "step-06",
	    "branches/merged-ab",
	    "branches/merged-ab-next",
	    "up/step-06",
	};
	struct mg_report r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
		char *dir = mg_xstrfmt("%s/%s", FX, clean[i]);

		check(&r, dir, NULL, NULL);
		if (r.nr)
			fail_msg("%s: %s [%s]", clean[i], r.items[0].message,
				 r.items[0].rule);
		mg_report_release(&r);
		free(dir);
	}
}

static void
test_journal_folder__merged_conflicting_branches_collide(void **state)
{
	struct mg_report r;

	(void)state;
	check(&r, FX "/branches/merged-ac", NULL, NULL);
	assert_int_equal(r.nr, 1);
	expect_finding(&r, 0, "snapshot-collision",
		       "conflict: add_column public.research_plan.priority");
	assert_non_null(strstr(r.items[0].path, "_plan_priority_text/"));
	assert_int_equal(r.items[0].line, 6);
	mg_report_release(&r);
}

static void test_journal_folder__snapshot_fields_checked(void **state)
{
	char *dir = scratch(FX "/step-02"), *d = folder(dir, "plan_summary");
	struct mg_report r;

	(void)state;
	run("sed -i -e 's/\"version\": \"9\"/\"version\": \"7\"/' "
	    "-e 's/\"dialect\": \"postgres\"/\"dialect\": \"postgresql\"/' "
	    "-e 's/\"type\": \"diff\"/\"type\": \"delta\"/' '%s/snapshot.json'",
	    d);
	check(&r, dir, NULL, NULL);
	assert_int_equal(r.nr, 3);
	expect_finding(&r, 0, "snapshot-invalid", "has type 'delta'");
	assert_int_equal(r.items[0].line, 2);
	expect_finding(&r, 1, "snapshot-invalid", "has version '7'");
	assert_int_equal(r.items[1].line, 3);
	expect_finding(&r, 2, "snapshot-invalid", "has dialect 'postgresql'");
	assert_int_equal(r.items[2].line, 4);
	mg_report_release(&r);
	/* No id, prevIds not an array of ids. */
	run("cp '%s/%s/snapshot.json' '%s/snapshot.json'", FX "/step-02",
	    d + strlen(dir) + 1, d);
	run("sed -i -e 's/\"id\":/\"ident\":/' -e 's/\"prevIds\": \\[/"
	    "\"prevIds\": [1, /' '%s/snapshot.json'",
	    d);
	check(&r, dir, NULL, NULL);
	assert_int_equal(r.nr, 2);
	expect_finding(&r, 0, "snapshot-invalid", "has no 'id' string");
	expect_finding(&r, 1, "snapshot-invalid", "has no 'prevIds' array");
	mg_report_release(&r);
	free(d);
	scratch_rm(dir);
}

static void test_journal_folder__replay_names_the_snapshot(void **state)
{
	char *dir = scratch(FX "/step-06");
	char *d = folder(dir, "plan_summary");
	struct mg_report r;

	(void)state;
	/*
	 * Its delta creates a column the table already has, defined
	 * otherwise: every snapshot after it fails to replay too, and only
	 * it is named.
	 */
	run("sed -i 's/\"name\": \"summary\"/\"name\": \"title\"/' "
	    "'%s/snapshot.json'",
	    d);
	check(&r, dir, NULL, NULL);
	assert_int_equal(r.nr, 1);
	expect_finding(&r, 0, "snapshot-invalid",
		       "does not replay onto its parent's schema");
	assert_non_null(strstr(r.items[0].path, "_plan_summary/"));
	mg_report_release(&r);
	free(d);
	scratch_rm(dir);
}

static void test_journal_folder__bases_and_ids(void **state)
{
	char *dir = scratch(FX "/step-02"), *init = folder(dir, "init");
	struct mg_report r;

	(void)state;
	/* A copied first folder: a second base with the same id. */
	run("cp -R '%s' '%s/" OUT "/20261203110000_init_again'", init, dir);
	check(&r, dir, NULL, NULL);
	assert_int_equal(r.nr, 2);
	expect_finding(&r, 0, "snapshot-chain-broken",
		       "has the same id as the snapshot of");
	expect_finding(&r, 1, "snapshot-chain-broken", "is a second base");
	mg_report_release(&r);
	run("rm -r '%s/" OUT "/20261203110000_init_again' '%s'", dir, init);
	/* The base gone: no history starts from the empty schema. */
	check(&r, dir, NULL, NULL);
	assert_int_equal(r.nr, 2);
	expect_finding(&r, 0, "snapshot-chain-broken", "no base snapshot");
	expect_finding(&r, 1, "snapshot-chain-broken", "names parent");
	mg_report_release(&r);
	free(init);
	scratch_rm(dir);
}

static void test_journal_folder__sql_beside_migration_sql(void **state)
{
	char *dir = scratch(FX "/step-02"), *d = folder(dir, "plan_summary");
	struct mg_report r;

	(void)state;
	run("echo 'SELECT 1;' > '%s/extra.sql'", d);
	check(&r, dir, NULL, NULL);
	assert_int_equal(r.nr, 1);
	expect_finding(&r, 0, "orphan-sql", "_plan_summary/extra.sql' is not");
	assert_non_null(
	    strstr(r.items[0].hint, "only a folder's migration.sql runs"));
	mg_report_release(&r);
	/* Another migrator: the folder is not drizzle's to keep. */
	check(&r, dir, NULL, "none");
	assert_int_equal(r.nr, 0);
	mg_report_release(&r);
	free(d);
	scratch_rm(dir);
}

static void test_journal_folder__renamed_by_snapshot_id(void **state)
{
	char *dir = scratch(FX "/step-02"), *d = folder(dir, "plan_summary");
	struct mg_report r;

	(void)state;
	/* Renamed and edited: its snapshot id still says which it was. */
	run("echo '-- more' >> '%s/migration.sql'", d);
	run("mv '%s' '%s/" OUT "/20261203110000_plan_summary'", d, dir);
	check(&r, dir, FX "/step-02", NULL);
	assert_int_equal(r.nr, 1);
	expect_finding(&r, 0, "migration-renamed",
		       "was renamed to '20261203110000_plan_summary': the 1.0 "
		       "migrator runs it again");
	mg_report_release(&r);
	/* Another migrator: a move. */
	check(&r, dir, FX "/step-02", "supabase");
	assert_int_equal(r.nr, 0);
	mg_report_release(&r);
	free(d);
	scratch_rm(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_journal_folder__rc5_histories_pass),
	    cmocka_unit_test(
		test_journal_folder__merged_conflicting_branches_collide),
	    cmocka_unit_test(test_journal_folder__snapshot_fields_checked),
	    cmocka_unit_test(test_journal_folder__replay_names_the_snapshot),
	    cmocka_unit_test(test_journal_folder__bases_and_ids),
	    cmocka_unit_test(test_journal_folder__sql_beside_migration_sql),
	    cmocka_unit_test(test_journal_folder__renamed_by_snapshot_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

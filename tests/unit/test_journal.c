/*
 * The journal check on folders written the way drizzle-kit 0.31 writes
 * them (JSON.stringify(x, null, 2), no trailing newline), each test
 * breaking one thing and asserting the one finding it causes.
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
#include <sys/wait.h>
#include <unistd.h>

#include "migguard/journal.h"
#include "migguard/sha256.h"
#include "migguard/strbuf.h"

#define DIR_ "packages/db/src/migrations"
#define JOURNAL DIR_ "/meta/_journal.json"
#define ZERO "00000000-0000-0000-0000-000000000000"
#define NOWHERE "ffffffff-ffff-4fff-8fff-ffffffffffff"
#define NOW 1795641872284LL /* the first migration's when */
#define FX_MAX 8

/* Lines of entry i in a journal written by fx_write_journal. */
#define ENTRY_LINE(i) (5 + 7 * (i))
#define WHEN_LINE(i) (8 + 7 * (i))
#define TAG_LINE(i) (9 + 7 * (i))

struct fx_entry {
	long long idx;
	long long when;
	char tag[64];
	int breakpoints;
	char id[40];
	char prev[40];
};

struct fx {
	char head[64];
	char pub[64];
	struct fx_entry e[FX_MAX];
	size_t nr;
	char prefix[16];
	struct mg_report r;
	struct mg_journal_options opts;
	struct mg_changeset cs;
	struct mg_change change;
};

static void rm_rf(const char *path)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	dir = opendir(path);
	while (dir && (de = readdir(dir))) {
		char *child;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		child = mg_path_join(path, de->d_name);
		rm_rf(child);
		free(child);
	}
	if (dir)
		closedir(dir);
	rmdir(path);
}

static void mkdir_p(const char *path)
{
	char *copy = mg_xstrdup(path);
	char *p;

	for (p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(copy, 0755);
		*p = '/';
	}
	mkdir(copy, 0755);
	free(copy);
}

static void write_file(const char *root, const char *rel, const char *data,
		       size_t len)
{
	char *full = mg_path_join(root, rel);
	char *slash = strrchr(full, '/');
	FILE *f;

	*slash = '\0';
	mkdir_p(full);
	*slash = '/';
	f = fopen(full, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	free(full);
}

static void write_str(const char *root, const char *rel, const char *data)
{
	write_file(root, rel, data, strlen(data));
}

static void remove_file(const char *root, const char *rel)
{
	char *full = mg_path_join(root, rel);

	assert_int_equal(unlink(full), 0);
	free(full);
}

static void copy_tree(const char *from, const char *to)
{
	char *cmd = mg_xstrfmt("cp -R '%s/.' '%s/'", from, to);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void fx_uuid(char *out, size_t i)
{
	snprintf(out, 40, "6f1c2a30-8b1e-4c5d-9a7f-%012zx", i + 1);
}

/* n migrations in a straight chain, like n runs of generate. */
static void fx_set(struct fx *fx, size_t n)
{
	size_t i;

	fx->nr = n;
	for (i = 0; i < n; i++) {
		struct fx_entry *e = &fx->e[i];

		e->idx = (long long)i;
		e->when = NOW + (long long)i * 60000;
		snprintf(e->tag, sizeof(e->tag), "%04zu_%s", i,
			 i ? "odd_the_twelve" : "init");
		e->breakpoints = 1;
		fx_uuid(e->id, i);
		if (i)
			fx_uuid(e->prev, i - 1);
		else
			strcpy(e->prev, ZERO);
	}
}

static void fx_write_journal(const struct fx *fx, const char *root)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	size_t i;

	mg_strbuf_adds(&sb, "{\n  \"version\": \"7\",\n"
			    "  \"dialect\": \"postgresql\",\n"
			    "  \"entries\": [");
	for (i = 0; i < fx->nr; i++) {
		const struct fx_entry *e = &fx->e[i];

		mg_strbuf_addf(&sb,
			       "%s\n    {\n      \"idx\": %lld,\n"
			       "      \"version\": \"7\",\n"
			       "      \"when\": %lld,\n"
			       "      \"tag\": \"%s\",\n"
			       "      \"breakpoints\": %s\n    }",
			       i ? "," : "", e->idx, e->when, e->tag,
			       e->breakpoints ? "true" : "false");
	}
	mg_strbuf_adds(&sb, "\n  ]\n}");
	write_str(root, JOURNAL, sb.buf);
	mg_strbuf_release(&sb);
}

static char *snapshot_text(const struct fx_entry *e)
{
	return mg_xstrfmt(
		"{\n  \"id\": \"%s\",\n  \"prevId\": \"%s\",\n"
		"  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n"
		"  \"tables\": {\n    \"public.users\": {\n"
		"      \"name\": \"users\",\n      \"schema\": \"\",\n"
		"      \"columns\": {\n        \"id\": {\n"
		"          \"name\": \"id\",\n          \"type\": \"uuid\",\n"
		"          \"primaryKey\": true,\n"
		"          \"notNull\": true,\n"
		"          \"default\": \"gen_random_uuid()\"\n        }\n"
		"      },\n      \"indexes\": {},\n"
		"      \"foreignKeys\": {},\n"
		"      \"compositePrimaryKeys\": {},\n"
		"      \"uniqueConstraints\": {},\n      \"policies\": {},\n"
		"      \"checkConstraints\": {},\n"
		"      \"isRLSEnabled\": false\n    }\n  },\n"
		"  \"enums\": {},\n  \"schemas\": {},\n"
		"  \"sequences\": {},\n  \"roles\": {},\n"
		"  \"policies\": {},\n  \"views\": {},\n"
		"  \"_meta\": {\n    \"columns\": {},\n    \"schemas\": {},\n"
		"    \"tables\": {}\n  }\n}",
		e->id, e->prev);
}

static char *sql_rel(const struct fx_entry *e)
{
	return mg_xstrfmt(DIR_ "/%s.sql", e->tag);
}

static char *snapshot_rel(const struct fx_entry *e)
{
	char *prefix = mg_migdir_tag_prefix(e->tag);
	char *rel = mg_xstrfmt(DIR_ "/meta/%s_snapshot.json", prefix);

	free(prefix);
	return rel;
}

static void fx_write_migration(const struct fx_entry *e, const char *root)
{
	char *sql = sql_rel(e), *snap = snapshot_rel(e);
	char *text = snapshot_text(e);
	char *body = mg_xstrfmt(
		"CREATE TABLE \"t_%s\" (\n\t\"id\" uuid PRIMARY KEY "
		"DEFAULT gen_random_uuid() NOT NULL\n);\n"
		"--> statement-breakpoint\n"
		"ALTER TABLE \"t_%s\" ENABLE ROW LEVEL SECURITY;",
		e->id, e->id);

	write_str(root, sql, body);
	write_str(root, snap, text);
	free(body);
	free(text);
	free(snap);
	free(sql);
}

static void fx_write(const struct fx *fx, const char *root)
{
	size_t i;

	fx_write_journal(fx, root);
	for (i = 0; i < fx->nr; i++)
		fx_write_migration(&fx->e[i], root);
}

static int setup(void **state)
{
	struct fx *fx = mg_xcalloc(1, sizeof(*fx));

	strcpy(fx->head, "/tmp/mg-journal-head-XXXXXX");
	strcpy(fx->pub, "/tmp/mg-journal-pub-XXXXXX");
	assert_non_null(mkdtemp(fx->head));
	assert_non_null(mkdtemp(fx->pub));
	strcpy(fx->prefix, "index");
	mg_report_init(&fx->r);
	mg_journal_options_init(&fx->opts);
	fx->opts.now_ms = NOW + 3600 * 1000;
	fx->cs.mode = MG_CHANGESET_ALL;
	fx_set(fx, 3);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	mg_report_release(&fx->r);
	rm_rf(fx->head);
	rm_rf(fx->pub);
	free(fx);
	return 0;
}

static void print_findings(const struct mg_report *r);

/* Run the check as the binaries do, through the context. */
static void fx_run(struct fx *fx)
{
	struct mg_config cfg;
	struct mg_project p;
	struct mg_context ctx;
	char *schema = mg_xstrdup("packages/db/src/schema");

	memset(&cfg, 0, sizeof(cfg));
	memset(&p, 0, sizeof(p));
	memset(&ctx, 0, sizeof(ctx));
	p.name = "db";
	p.migrations = DIR_;
	p.prefix = fx->prefix;
	p.generate_command = "pnpm db:generate";
	mg_strlist_push_owned(&p.schema, schema);
	cfg.projects = &p;
	cfg.projects_nr = 1;
	assert_int_equal(mg_tree_open_dir(&fx->cs.head, fx->head), 0);
	assert_int_equal(mg_tree_open_dir(&ctx.published, fx->pub), 0);
	ctx.config = &cfg;
	ctx.cs = &fx->cs;
	assert_int_equal(mg_journal_check_with(&fx->r, &ctx, &fx->opts), 0);
	mg_report_sort(&fx->r);
	if (getenv("MG_TEST_VERBOSE"))
		print_findings(&fx->r);
	mg_tree_free(ctx.published);
	mg_tree_free(fx->cs.head);
	fx->cs.head = NULL;
	mg_strlist_release(&p.schema);
}

static void print_findings(const struct mg_report *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		fprintf(stderr, "  %s:%u:%u: %s [%s]\n", r->items[i].path,
			r->items[i].line, r->items[i].column,
			r->items[i].message, r->items[i].rule);
}

static void expect_none(const struct fx *fx)
{
	if (fx->r.nr)
		print_findings(&fx->r);
	assert_int_equal(fx->r.nr, 0);
}

/* The one finding of the report. */
static const struct mg_finding *expect_one(const struct fx *fx,
					   const char *rule, const char *path,
					   unsigned line, const char *message)
{
	const struct mg_finding *f;

	if (fx->r.nr != 1)
		print_findings(&fx->r);
	assert_int_equal(fx->r.nr, 1);
	f = &fx->r.items[0];
	assert_string_equal(f->rule, rule);
	assert_string_equal(f->path, path);
	assert_int_equal(f->line, line);
	assert_string_equal(f->message, message);
	return f;
}

/* The finding number i of a sorted report. */
static void expect_at(const struct fx *fx, size_t i, const char *rule,
		      const char *path, unsigned line, const char *message)
{
	const struct mg_finding *f;

	if (fx->r.nr <= i)
		print_findings(&fx->r);
	assert_true(fx->r.nr > i);
	f = &fx->r.items[i];
	assert_string_equal(f->rule, rule);
	assert_string_equal(f->path, path);
	assert_int_equal(f->line, line);
	assert_string_equal(f->message, message);
}

/* Replace the first occurrence of from by to in a file. */
static void edit_file(const char *root, const char *rel, const char *from,
		      const char *to)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	struct mg_tree *t = NULL;
	char *data = NULL;
	const char *at;
	size_t len, pos;

	assert_int_equal(mg_tree_open_dir(&t, root), 0);
	assert_int_equal(mg_tree_read(t, rel, &data, &len), 0);
	at = strstr(data, from);
	assert_non_null(at);
	pos = (size_t)(at - data);
	mg_strbuf_add(&sb, data, pos);
	mg_strbuf_adds(&sb, to);
	mg_strbuf_adds(&sb, data + pos + strlen(from));
	write_str(root, rel, sb.buf);
	mg_strbuf_release(&sb);
	free(data);
	mg_tree_free(t);
}

/* Good folders. */

static void test_journal__good_folder_is_silent(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	fx_write(fx, fx->pub);
	fx_run(fx);
	expect_none(fx);
}

static void test_journal__missing_folder_is_silent(void **state)
{
	struct fx *fx = *state;

	fx_run(fx);
	expect_none(fx);
}

static void test_journal__empty_journal_is_silent(void **state)
{
	struct fx *fx = *state;

	fx->nr = 0;
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_none(fx);
}

static void test_journal__timestamp_prefix_is_silent(void **state)
{
	struct fx *fx = *state;
	size_t i;

	strcpy(fx->prefix, "timestamp");
	for (i = 0; i < fx->nr; i++)
		snprintf(fx->e[i].tag, sizeof(fx->e[i].tag),
			 "202611252124%02zu_step", 30 + i);
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_none(fx);
}

/* journal-invalid */

static void test_journal__sql_without_journal_is_invalid(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	remove_file(fx->head, JOURNAL);
	fx_run(fx);
	expect_one(fx, "journal-invalid", JOURNAL, 0,
		   "missing journal '" JOURNAL "': no migration in '" DIR_
		   "' is applied");
}

static void test_journal__journal_not_json(void **state)
{
	struct fx *fx = *state;
	const struct mg_finding *f;

	fx_write(fx, fx->head);
	edit_file(fx->head, JOURNAL, "\"when\": 1795641932284,",
		  "\"when\": 1795641932284,,");
	fx_run(fx);
	f = expect_one(fx, "journal-invalid", JOURNAL, WHEN_LINE(1),
		       "'_journal.json' is not valid JSON: invalid JSON");
	assert_int_equal(f->column, 29); /* the second comma */
}

/*
 * What JSON.parse (drizzle-kit and drizzle's migrator) throws on is
 * journal-invalid at the byte: cJSON let each of these pass as "0 errors".
 */
static void test_journal__journal_strict_as_json_parse(void **state)
{
	static const struct {
		const char *from, *to;
		unsigned line, column;
		const char *why;
	} cases[] = {
		{ "{\n  \"version\"", "\xEF\xBB\xBF{\n  \"version\"", 1, 1,
		  "a byte order mark at the start (JSON.parse refuses it: "
		  "save the file as UTF-8 without BOM)" },
		{ "\"when\": 1795641932284,", "\"when\":\f1795641932284,",
		  WHEN_LINE(1), 14, "invalid JSON" },
		{ "\"idx\": 1,", "\"idx\": 01,", WHEN_LINE(1) - 2, 15,
		  "a number with a leading zero" },
		{ "\"tag\": \"0001", "\"tag\": \"\t0001", TAG_LINE(1), 15,
		  "a raw control character (0x09) in a string: write it "
		  "escaped, as \\t or \\u0009" },
		{ "\"tag\": \"0001", "\"tag\": \"\xFF" "0001", TAG_LINE(1), 15,
		  "bytes that are not UTF-8 in a string (drizzle would read "
		  "U+FFFD in their place)" },
	};
	struct fx *fx = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct mg_finding *f;
		char *msg = mg_xstrfmt("'_journal.json' is not valid JSON: %s",
				       cases[i].why);

		fx_write(fx, fx->head);
		edit_file(fx->head, JOURNAL, cases[i].from, cases[i].to);
		mg_report_release(&fx->r);
		mg_report_init(&fx->r);
		fx_run(fx);
		f = expect_one(fx, "journal-invalid", JOURNAL, cases[i].line,
			       msg);
		assert_int_equal(f->column, cases[i].column);
		free(msg);
	}
}

/*
 * "entries" twice: JSON.parse keeps the last, so drizzle would migrate a
 * list migguard never checked. Invalid, naming both lines.
 */
static void test_journal__journal_duplicate_key(void **state)
{
	struct fx *fx = *state;
	const struct mg_finding *f;

	fx_write(fx, fx->head);
	edit_file(fx->head, JOURNAL, "\n  ]\n}",
		  "\n  ],\n  \"entries\": []\n}");
	fx_run(fx);
	f = expect_one(fx, "journal-invalid", JOURNAL, ENTRY_LINE(3) + 1,
		       "'_journal.json' is not valid JSON: the key \"entries\" "
		       "is given twice, on lines 4 and 27 (JSON.parse keeps "
		       "the last one)");
	assert_int_equal(f->column, 3);
	/* Inside an entry too. */
	fx_write(fx, fx->head);
	edit_file(fx->head, JOURNAL, "\"when\": 1795641932284,",
		  "\"when\": 1795641932284, \"when\": 1,");
	mg_report_release(&fx->r);
	mg_report_init(&fx->r);
	fx_run(fx);
	f = expect_one(fx, "journal-invalid", JOURNAL, WHEN_LINE(1),
		       "'_journal.json' is not valid JSON: the key \"when\" "
		       "is given twice, on lines 15 and 15 (JSON.parse keeps "
		       "the last one)");
}

static void test_journal__journal_conflict_markers(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	edit_file(fx->head, JOURNAL, "    {\n      \"idx\": 2",
		  "<<<<<<< HEAD\n    {\n      \"idx\": 2");
	fx_run(fx);
	expect_one(fx, "journal-invalid", JOURNAL, ENTRY_LINE(2),
		   "merge conflict markers in '_journal.json'");
}

static void test_journal__journal_wrong_version(void **state)
{
	struct fx *fx = *state;
	const struct mg_finding *f;

	fx_write(fx, fx->head);
	edit_file(fx->head, JOURNAL, "\"version\": \"7\"",
		  "\"version\": \"4\"");
	fx_run(fx);
	f = expect_one(fx, "journal-invalid", JOURNAL, 2,
		       "unsupported journal version '4'");
	assert_non_null(strstr(f->hint, "drizzle-kit up"));
}

/* A version up does not know: no hint to run it. */
static void test_journal__journal_unknown_version(void **state)
{
	struct fx *fx = *state;
	const struct mg_finding *f;

	fx_write(fx, fx->head);
	edit_file(fx->head, JOURNAL, "\"version\": \"7\"",
		  "\"version\": \"9\"");
	fx_run(fx);
	f = expect_one(fx, "journal-invalid", JOURNAL, 2,
		       "unsupported journal version '9'");
	assert_null(strstr(f->hint, "drizzle-kit up"));
}

/* What drizzle-kit wrote in 2023 (journal "5", dialect "pg") still runs. */
static void test_journal__journal_2023_formats_valid(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	edit_file(fx->head, JOURNAL, "\"version\": \"7\"",
		  "\"version\": \"5\"");
	edit_file(fx->head, JOURNAL, "\"postgresql\"", "\"pg\"");
	edit_file(fx->head, DIR_ "/meta/0000_snapshot.json",
		  "\"version\": \"7\"", "\"version\": \"5\"");
	edit_file(fx->head, DIR_ "/meta/0000_snapshot.json", "\"postgresql\"",
		  "\"pg\"");
	edit_file(fx->head, DIR_ "/meta/0001_snapshot.json",
		  "\"version\": \"7\"", "\"version\": \"6\"");
	fx_run(fx);
	expect_none(fx);
}

static void test_journal__journal_wrong_dialect(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	edit_file(fx->head, JOURNAL, "postgresql", "sqlite");
	fx_run(fx);
	expect_one(fx, "journal-invalid", JOURNAL, 3,
		   "journal dialect is 'sqlite', expected 'postgresql'");
}

static void test_journal__entry_field_wrong_type(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	edit_file(fx->head, JOURNAL, "\"when\": 1795641932284",
		  "\"when\": \"1795641932284\"");
	fx_run(fx);
	expect_one(fx, "journal-invalid", JOURNAL, WHEN_LINE(1),
		   "journal entry 1 ('0001_odd_the_twelve'): 'when' is a "
		   "string, expected an integer");
}

static void test_journal__entry_field_missing(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	edit_file(fx->head, JOURNAL, "\"breakpoints\": true\n    },\n    {\n"
				     "      \"idx\": 2",
		  "\"breakpoints\": true\n    },\n    {\n"
		  "      \"idy\": 2");
	fx_run(fx);
	expect_one(fx, "journal-invalid", JOURNAL, ENTRY_LINE(2),
		   "journal entry 2 ('0002_odd_the_twelve') has no 'idx'");
}

static void test_journal__tag_with_path_separator(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	edit_file(fx->head, JOURNAL, "\"tag\": \"0002_odd_the_twelve\"",
		  "\"tag\": \"../0002_odd_the_twelve\"");
	fx_run(fx);
	/* The files of the real tag are orphans now. */
	assert_int_equal(fx->r.nr, 3);
	expect_at(fx, 0, "orphan-sql", DIR_ "/0002_odd_the_twelve.sql", 0,
		  "'0002_odd_the_twelve.sql' is not in the journal: the "
		  "migrator never applies it");
	expect_at(fx, 1, "orphan-snapshot", DIR_ "/meta/0002_snapshot.json",
		  0, "snapshot '0002_snapshot.json' belongs to no journal "
		  "entry");
	expect_at(fx, 2, "journal-invalid", JOURNAL, TAG_LINE(2),
		  "journal entry 2 ('../0002_odd_the_twelve'): tag contains "
		  "a path separator");
}

static void test_journal__tag_with_leading_underscore(void **state)
{
	struct fx *fx = *state;

	strcpy(fx->e[2].tag, "_odd_the_twelve");
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_one(fx, "journal-invalid", JOURNAL, TAG_LINE(2),
		   "journal entry 2 ('_odd_the_twelve'): tag starts with '_' "
		   "(drizzle-kit skips such snapshots)");
}

static void test_journal__prefix_none_allows_underscore(void **state)
{
	struct fx *fx = *state;

	strcpy(fx->prefix, "none");
	fx->nr = 1;
	strcpy(fx->e[0].tag, "_init");
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_none(fx);
}

/* journal-missing-sql, journal-missing-snapshot, orphans */

static void test_journal__missing_sql(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	remove_file(fx->head, DIR_ "/0001_odd_the_twelve.sql");
	fx_run(fx);
	expect_one(fx, "journal-missing-sql", JOURNAL, ENTRY_LINE(1),
		   "journal entry 1 ('0001_odd_the_twelve') has no SQL file "
		   "'0001_odd_the_twelve.sql': the migrator fails on it");
}

static void test_journal__missing_snapshot(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	remove_file(fx->head, DIR_ "/meta/0002_snapshot.json");
	fx_run(fx);
	expect_one(fx, "journal-missing-snapshot", JOURNAL, ENTRY_LINE(2),
		   "journal entry 2 ('0002_odd_the_twelve') has no snapshot "
		   "'meta/0002_snapshot.json'");
}

static void test_journal__orphan_sql_and_duplicate_prefix(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	write_str(fx->head, DIR_ "/0002_hand_written.sql", "SELECT 1;");
	write_str(fx->head, DIR_ "/0003_forgotten.sql", "SELECT 1;");
	fx_run(fx);
	assert_int_equal(fx->r.nr, 3);
	expect_at(fx, 0, "journal-duplicate-tag",
		  DIR_ "/0002_hand_written.sql", 0,
		  "'0002_hand_written.sql' has the same prefix '0002' as "
		  "'0002_odd_the_twelve.sql'");
	expect_at(fx, 1, "orphan-sql", DIR_ "/0002_hand_written.sql", 0,
		  "'0002_hand_written.sql' is not in the journal: the "
		  "migrator never applies it");
	expect_at(fx, 2, "orphan-sql", DIR_ "/0003_forgotten.sql", 0,
		  "'0003_forgotten.sql' is not in the journal: the migrator "
		  "never applies it");
}

static void test_journal__orphan_snapshot(void **state)
{
	struct fx *fx = *state;
	const struct mg_finding *f;

	fx_write(fx, fx->head);
	write_str(fx->head, DIR_ "/meta/0003_snapshot.json", "{}");
	fx_run(fx);
	f = expect_one(fx, "orphan-snapshot", DIR_ "/meta/0003_snapshot.json",
		       0, "snapshot '0003_snapshot.json' belongs to no "
		       "journal entry");
	assert_non_null(f->hint);
}

/* journal-idx-order, journal-duplicate-tag */

static void test_journal__idx_out_of_order(void **state)
{
	struct fx *fx = *state;

	fx->e[2].idx = 3;
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_one(fx, "journal-idx-order", JOURNAL, ENTRY_LINE(2) + 1,
		   "'0002_odd_the_twelve' has idx 3 at position 2 of the "
		   "journal");
}

static void test_journal__prefix_not_index(void **state)
{
	struct fx *fx = *state;

	strcpy(fx->e[2].tag, "0003_odd_the_twelve");
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_one(fx, "journal-idx-order", JOURNAL, TAG_LINE(2),
		   "'0003_odd_the_twelve': prefix '0003' at position 2, "
		   "expected '0002' (prefix mode 'index')");
}

static void test_journal__prefix_not_unix_seconds(void **state)
{
	struct fx *fx = *state;

	strcpy(fx->prefix, "unix");
	fx->nr = 2;
	strcpy(fx->e[0].tag, "1795641872_init");
	strcpy(fx->e[1].tag, "1795641932284_next");
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_one(fx, "journal-idx-order", JOURNAL, TAG_LINE(1),
		   "'1795641932284_next': prefix '1795641932284' is not unix "
		   "seconds (10 digits, prefix mode 'unix')");
}

static void test_journal__duplicate_tag(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	fx->nr = 4;
	fx->e[3] = fx->e[2];
	fx->e[3].idx = 3;
	fx->e[3].when += 60000;
	fx_write_journal(fx, fx->head);
	fx_run(fx);
	/* One finding: its prefix and snapshot are the duplicate's. */
	expect_one(fx, "journal-duplicate-tag", JOURNAL, TAG_LINE(3),
		   "tag '0002_odd_the_twelve' of journal entry 3 is already "
		   "journal entry 2");
}

static void test_journal__duplicate_prefix_in_journal(void **state)
{
	struct fx *fx = *state;

	/* Two branches each generated their 0002, merged by hand. */
	fx->nr = 4;
	fx->e[3] = fx->e[2];
	fx->e[3].idx = 3;
	fx->e[3].when += 60000;
	strcpy(fx->e[3].tag, "0002_other_branch");
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_one(fx, "journal-duplicate-tag", JOURNAL, TAG_LINE(3),
		   "'0002_other_branch' has the same prefix '0002' as "
		   "'0002_odd_the_twelve'");
}

/* journal-when-order */

static void test_journal__when_not_increasing(void **state)
{
	struct fx *fx = *state;
	const struct mg_finding *f;

	fx->e[2].when = fx->e[1].when - 1;
	fx_write(fx, fx->head);
	fx_run(fx);
	f = expect_one(fx, "journal-when-order", JOURNAL, WHEN_LINE(2),
		       "'0002_odd_the_twelve' has when 1795641932283, not "
		       "after 1795641932284 of the previous entry "
		       "'0001_odd_the_twelve'");
	assert_int_equal(f->severity, MG_SEVERITY_ERROR);
}

static void test_journal__when_equal_is_skipped(void **state)
{
	struct fx *fx = *state;

	fx->e[2].when = fx->e[1].when;
	fx_write(fx, fx->head);
	fx_run(fx);
	assert_int_equal(fx->r.nr, 1);
	assert_string_equal(fx->r.items[0].rule, "journal-when-order");
}

static void test_journal__when_in_future_is_error(void **state)
{
	struct fx *fx = *state;
	const struct mg_finding *f;

	fx->e[2].when = fx->opts.now_ms + MG_JOURNAL_FUTURE_SKEW_MS + 1;
	fx_write(fx, fx->head);
	fx_run(fx);
	f = expect_one(fx, "journal-when-order", JOURNAL, WHEN_LINE(2),
		       "journal entry 2 ('0002_odd_the_twelve') has when "
		       "1795731872285, more than a day in the future: once it "
		       "is applied, the migrator skips every migration "
		       "generated before that time");
	assert_int_equal(f->severity, MG_SEVERITY_ERROR);
}

static void test_journal__when_within_skew_is_silent(void **state)
{
	struct fx *fx = *state;

	fx->e[2].when = fx->opts.now_ms + MG_JOURNAL_FUTURE_SKEW_MS;
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_none(fx);
	/* Without a clock the future is not checked. */
	fx->e[2].when += 1000;
	fx_write_journal(fx, fx->head);
	fx->opts.now_ms = 0;
	fx_run(fx);
	expect_none(fx);
}

/* snapshot-invalid */

static void test_journal__snapshot_not_json(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	edit_file(fx->head, DIR_ "/meta/0001_snapshot.json", "\"enums\": {},",
		  "\"enums\": {}");
	fx_run(fx);
	expect_one(fx, "snapshot-invalid", DIR_ "/meta/0001_snapshot.json",
		   29, "'0001_snapshot.json' is not valid JSON: invalid JSON");
}

/* A snapshot drizzle-kit check refuses: duplicate "id", a raw TAB. */
static void test_journal__snapshot_strict_as_json_parse(void **state)
{
	struct fx *fx = *state;
	const struct mg_finding *f;

	fx_write(fx, fx->head);
	edit_file(fx->head, DIR_ "/meta/0001_snapshot.json", "\"enums\": {},",
		  "\"enums\": {}, \"id\": \"x\",");
	fx_run(fx);
	f = expect_one(fx, "snapshot-invalid", DIR_ "/meta/0001_snapshot.json",
		       28, "'0001_snapshot.json' is not valid JSON: the key "
		       "\"id\" is given twice, on lines 2 and 28 (JSON.parse "
		       "keeps the last one)");
	assert_int_equal(f->column, 16);
	fx_write(fx, fx->head);
	edit_file(fx->head, DIR_ "/meta/0001_snapshot.json", "\"uuid\"",
		  "\"u\tuid\"");
	mg_report_release(&fx->r);
	mg_report_init(&fx->r);
	fx_run(fx);
	expect_one(fx, "snapshot-invalid", DIR_ "/meta/0001_snapshot.json", 13,
		   "'0001_snapshot.json' is not valid JSON: a raw control "
		   "character (0x09) in a string: write it escaped, as \\t "
		   "or \\u0009");
}

static void test_journal__snapshot_wrong_version(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	edit_file(fx->head, DIR_ "/meta/0001_snapshot.json",
		  "\"version\": \"7\"", "\"version\": \"4\"");
	fx_run(fx);
	expect_one(fx, "snapshot-invalid", DIR_ "/meta/0001_snapshot.json",
		   4, "'0001_snapshot.json' has version '4', expected '7' (or "
		   "'5', '6')");
}

static void test_journal__snapshot_without_prev_id(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	edit_file(fx->head, DIR_ "/meta/0001_snapshot.json", "\"prevId\"",
		  "\"previousId\"");
	fx_run(fx);
	expect_one(fx, "snapshot-invalid", DIR_ "/meta/0001_snapshot.json",
		   1, "'0001_snapshot.json' has no string 'prevId'");
}

/* snapshot-chain-broken, snapshot-collision */

static void test_journal__first_prev_id_not_zero(void **state)
{
	struct fx *fx = *state;

	fx_uuid(fx->e[0].prev, 7);
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_one(fx, "snapshot-chain-broken", DIR_ "/meta/0000_snapshot.json",
		   3, "snapshot of the first migration '0000_init' has prevId "
		   "'6f1c2a30-8b1e-4c5d-9a7f-000000000008', expected '" ZERO
		   "'");
}

static void test_journal__prev_id_points_nowhere(void **state)
{
	struct fx *fx = *state;

	fx_uuid(fx->e[2].prev, 7);
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_one(fx, "snapshot-chain-broken", DIR_ "/meta/0002_snapshot.json",
		   3, "snapshot of '0002_odd_the_twelve' has prevId "
		   "'6f1c2a30-8b1e-4c5d-9a7f-000000000008', which is no "
		   "snapshot's id, not the previous entry "
		   "'0001_odd_the_twelve'");
}

static void test_journal__duplicate_snapshot_id(void **state)
{
	struct fx *fx = *state;

	/* A snapshot copied by hand: same id, chained after its twin. */
	fx->nr = 4;
	fx->e[3] = fx->e[2];
	fx->e[3].idx = 3;
	fx->e[3].when += 60000;
	strcpy(fx->e[3].tag, "0003_copy");
	strcpy(fx->e[3].prev, fx->e[2].id);
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_one(fx, "snapshot-chain-broken", DIR_ "/meta/0003_snapshot.json",
		   2, "snapshot of '0003_copy' has the same id as the "
		   "snapshot of '0002_odd_the_twelve'");
}

static void test_journal__collision_of_merged_branches(void **state)
{
	struct fx *fx = *state;
	const struct mg_finding *f;

	/* Branch b generated 0003 on 0001 too; renumbered after merge. */
	fx->nr = 4;
	fx->e[3] = fx->e[2];
	fx->e[3].idx = 3;
	fx->e[3].when += 60000;
	strcpy(fx->e[3].tag, "0003_branch_b");
	fx_uuid(fx->e[3].id, 3);
	strcpy(fx->e[3].prev, fx->e[1].id);
	fx_write(fx, fx->head);
	fx_run(fx);
	f = expect_one(fx, "snapshot-collision",
		       DIR_ "/meta/0003_snapshot.json", 3,
		       "'0002_odd_the_twelve' and '0003_branch_b' were both "
		       "generated on top of '0001_odd_the_twelve': branches "
		       "were merged");
	assert_string_equal(f->hint,
			    "regenerate '0003_branch_b' on top of "
			    "'0002_odd_the_twelve': remove '0003_branch_b' "
			    "(its .sql, snapshot and journal entry), then "
			    "re-run `pnpm db:generate`");
}

static void test_journal__snapshot_name_order(void **state)
{
	struct fx *fx = *state;

	strcpy(fx->prefix, "timestamp");
	strcpy(fx->e[0].tag, "20261125212430_init");
	strcpy(fx->e[1].tag, "20261125212450_b");
	strcpy(fx->e[2].tag, "20261125212440_c");
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_one(fx, "snapshot-chain-broken", JOURNAL, ENTRY_LINE(2),
		   "snapshot '20261125212440_snapshot.json' of "
		   "'20261125212440_c' sorts before "
		   "'20261125212450_snapshot.json' of the previous entry "
		   "'20261125212450_b'");
}

/* SQL bytes (journal-invalid) */

static void sql_defect(struct fx *fx, const char *data, size_t len,
		       unsigned line, unsigned col, const char *message)
{
	const struct mg_finding *f;

	fx_write(fx, fx->head);
	write_file(fx->head, DIR_ "/0001_odd_the_twelve.sql", data, len);
	fx_run(fx);
	f = expect_one(fx, "journal-invalid", DIR_ "/0001_odd_the_twelve.sql",
		       line, message);
	assert_int_equal(f->column, col);
}

static void test_journal__sql_with_bom(void **state)
{
	sql_defect(*state, "\xEF\xBB\xBFSELECT 1;", 12, 1, 1,
		   "byte order mark at the start of "
		   "'0001_odd_the_twelve.sql'");
}

static void test_journal__sql_with_nul(void **state)
{
	sql_defect(*state, "SELECT 1;\nSELECT\0 2;", 20, 2, 7,
		   "NUL byte in '0001_odd_the_twelve.sql'");
}

static void test_journal__sql_with_invalid_utf8(void **state)
{
	/* Latin-1 e-acute. */
	sql_defect(*state, "SELECT 'caf\xE9';", 14, 1, 12,
		   "invalid UTF-8 in '0001_odd_the_twelve.sql'");
}

static void test_journal__sql_with_crlf(void **state)
{
	sql_defect(*state, "SELECT 1;\r\nSELECT 2;\r\n", 22, 1, 10,
		   "CRLF line ends in '0001_odd_the_twelve.sql'");
}

static void test_journal__utf8_validator(void **state)
{
	(void)state;
	assert_int_equal(mg_utf8_valid_prefix("caf\xC3\xA9", 5), 5);
	assert_int_equal(mg_utf8_valid_prefix("\xF0\x9F\x98\x80!", 5), 5);
	assert_int_equal(mg_utf8_valid_prefix("a\xC0\xAF", 3), 1);
	assert_int_equal(mg_utf8_valid_prefix("a\xED\xA0\x80", 4), 1);
	assert_int_equal(mg_utf8_valid_prefix("ab\xE2\x82", 4), 2);
	assert_int_equal(mg_utf8_valid_prefix("\xF4\x90\x80\x80", 4), 0);
}

/* migration-edited, migration-deleted */

static void test_journal__published_sql_edited(void **state)
{
	struct fx *fx = *state;
	const struct mg_finding *f;

	fx_write(fx, fx->pub);
	fx_write(fx, fx->head);
	edit_file(fx->head, DIR_ "/0001_odd_the_twelve.sql",
		  "ENABLE ROW LEVEL", "DISABLE ROW LEVEL");
	fx_run(fx);
	f = expect_one(fx, "migration-edited", DIR_ "/0001_odd_the_twelve.sql",
		       5, "published migration file '0001_odd_the_twelve.sql' "
		       "was edited");
	assert_int_equal(f->column, 54);
}

static void test_journal__published_snapshot_edited(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->pub);
	fx_write(fx, fx->head);
	edit_file(fx->head, DIR_ "/meta/0000_snapshot.json",
		  "\"isRLSEnabled\": false", "\"isRLSEnabled\": true");
	fx_run(fx);
	expect_one(fx, "migration-edited", DIR_ "/meta/0000_snapshot.json", 25,
		   "published migration file '0000_snapshot.json' was "
		   "edited");
}

static void test_journal__published_entry_when_edited(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->pub);
	fx->e[1].when += 1;
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_one(fx, "migration-edited", JOURNAL, WHEN_LINE(1),
		   "published migration '0001_odd_the_twelve' changed its "
		   "when from 1795641932284 to 1795641932285");
}

static void test_journal__published_migration_deleted(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->pub);
	fx->nr = 2;
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_one(fx, "migration-deleted", JOURNAL, 0,
		   "published migration '0002_odd_the_twelve' was removed "
		   "from the journal");
}

static void test_journal__published_file_deleted(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->pub);
	fx_write(fx, fx->head);
	remove_file(fx->head, DIR_ "/meta/0001_snapshot.json");
	fx_run(fx);
	assert_int_equal(fx->r.nr, 2);
	expect_at(fx, 0, "migration-deleted", DIR_ "/meta/0001_snapshot.json",
		  0, "published migration file '0001_snapshot.json' was "
		  "deleted");
	expect_at(fx, 1, "journal-missing-snapshot", JOURNAL, ENTRY_LINE(1),
		  "journal entry 1 ('0001_odd_the_twelve') has no snapshot "
		  "'meta/0001_snapshot.json'");
}

static void test_journal__published_migration_renamed(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->pub);
	strcpy(fx->e[2].tag, "0002_add_users");
	fx_write(fx, fx->head);
	fx_run(fx);
	expect_one(fx, "migration-edited", JOURNAL, TAG_LINE(2),
		   "published migration '0002_odd_the_twelve' was renamed "
		   "to '0002_add_users'");
}

static void test_journal__published_journal_deleted(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->pub);
	fx_run(fx);
	expect_one(fx, "migration-deleted", JOURNAL, 0,
		   "published journal '_journal.json' was deleted, with 3 "
		   "migrations");
}

static void test_journal__unpublished_edit_is_allowed(void **state)
{
	struct fx *fx = *state;

	fx->nr = 2;
	fx_write(fx, fx->pub);
	fx->nr = 3;
	fx_write(fx, fx->head);
	edit_file(fx->head, DIR_ "/0002_odd_the_twelve.sql",
		  "ENABLE ROW LEVEL", "DISABLE ROW LEVEL");
	fx->e[2].when += 5;
	fx_write_journal(fx, fx->head);
	fx_run(fx);
	expect_none(fx);
}

static void test_journal__published_same_content_via_copy(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	copy_tree(fx->head, fx->pub);
	fx_run(fx);
	expect_none(fx);
}

/* Which projects are checked */

static void test_journal__untouched_project_is_skipped(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	remove_file(fx->head, DIR_ "/0001_odd_the_twelve.sql");
	fx->cs.mode = MG_CHANGESET_STAGED;
	fx->change.status = MG_CHANGE_MODIFIED;
	fx->change.path = "README.md";
	fx->cs.changes = &fx->change;
	fx->cs.nr = 1;
	fx_run(fx);
	expect_none(fx);
}

static void test_journal__schema_change_checks_project(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	remove_file(fx->head, DIR_ "/0001_odd_the_twelve.sql");
	fx->cs.mode = MG_CHANGESET_STAGED;
	fx->change.status = MG_CHANGE_MODIFIED;
	fx->change.path = "packages/db/src/schema/users.ts";
	fx->cs.changes = &fx->change;
	fx->cs.nr = 1;
	fx_run(fx);
	assert_int_equal(fx->r.nr, 1);
	assert_string_equal(fx->r.items[0].rule, "journal-missing-sql");
}

static void test_journal__renamed_out_of_folder_checks_project(void **state)
{
	struct fx *fx = *state;

	fx_write(fx, fx->head);
	remove_file(fx->head, DIR_ "/0001_odd_the_twelve.sql");
	fx->cs.mode = MG_CHANGESET_RANGE;
	fx->change.status = MG_CHANGE_RENAMED;
	fx->change.path = "attic/0001_odd_the_twelve.sql";
	fx->change.old_path = DIR_ "/0001_odd_the_twelve.sql";
	fx->cs.changes = &fx->change;
	fx->cs.nr = 1;
	fx_run(fx);
	assert_int_equal(fx->r.nr, 1);
	assert_string_equal(fx->r.items[0].rule, "journal-missing-sql");
}

static void test_journal__rule_off_is_dropped(void **state)
{
	struct fx *fx = *state;

	fx->e[2].when = fx->e[1].when;
	fx_write(fx, fx->head);
	assert_int_equal(mg_report_set_severity(&fx->r, "journal-when-order",
						MG_SEVERITY_OFF),
			 0);
	fx_run(fx);
	expect_none(fx);
}

/*
 * Real drizzle-kit 0.31.11 output (tests/fixtures/drizzle): unmodified it
 * gives no finding; each test breaks one thing as users do.
 */

static void fixture_copy(const char *name, const char *root)
{
	char *cmd = mg_xstrfmt("mkdir -p '%s/packages/db' && cp -R "
			       "'%s/tests/fixtures/drizzle/%s/.' "
			       "'%s/packages/db/'",
			       root, MG_TEST_SOURCE_DIR, name, root);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static char *read_rel(const char *root, const char *rel)
{
	struct mg_tree *t = NULL;
	char *data = NULL;
	size_t len;

	assert_int_equal(mg_tree_open_dir(&t, root), 0);
	assert_int_equal(mg_tree_read(t, rel, &data, &len), 0);
	mg_tree_free(t);
	return data;
}

static char *fixture_read(const char *name, const char *rel)
{
	char *root = mg_xstrfmt("%s/tests/fixtures/drizzle/%s",
				MG_TEST_SOURCE_DIR, name);
	char *data = read_rel(root, rel);

	free(root);
	return data;
}

/* Empty both trees and the report, for another run in one test. */
static void fx_reset(struct fx *fx)
{
	rm_rf(fx->head);
	rm_rf(fx->pub);
	mkdir(fx->head, 0700);
	mkdir(fx->pub, 0700);
	mg_report_release(&fx->r);
	mg_report_init(&fx->r);
}

/* 1-based line of the first line of text starting with prefix. */
static unsigned line_of(const char *text, const char *prefix)
{
	const char *p = text;
	unsigned line = 1;

	while (strncmp(p, prefix, strlen(prefix))) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
		line++;
	}
	return line;
}

static void test_journal__real_steps_are_silent(void **state)
{
	static const char *const names[] = {
		"step-00", "step-01", "step-02", "step-03", "step-04",
		"step-05", "step-06", "branches/branch-a", "branches/branch-b",
	};
	struct fx *fx = *state;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		fx_reset(fx);
		fixture_copy(names[i], fx->head);
		/* Published: the step before (append-only history). */
		if (i > 0)
			fixture_copy(i < 7 ? names[i - 1] : "step-06",
				     fx->pub);
		fx_run(fx);
		if (fx->r.nr)
			fprintf(stderr, "fixture %s:\n", names[i]);
		expect_none(fx);
	}
}

static void test_journal__real_merge_keeping_ours(void **state)
{
	struct fx *fx = *state;
	char *sql = fixture_read("branches/branch-b",
				 "src/migrations/0007_user_last_seen.sql");

	/* git merged b's new .sql cleanly; the conflicts took a's side. */
	fixture_copy("branches/branch-a", fx->head);
	fixture_copy("step-06", fx->pub);
	write_str(fx->head, DIR_ "/0007_user_last_seen.sql", sql);
	fx_run(fx);
	assert_int_equal(fx->r.nr, 2);
	expect_at(fx, 0, "journal-duplicate-tag",
		  DIR_ "/0007_user_last_seen.sql", 0,
		  "'0007_user_last_seen.sql' has the same prefix '0007' as "
		  "'0007_plan_priority.sql'");
	expect_at(fx, 1, "orphan-sql", DIR_ "/0007_user_last_seen.sql", 0,
		  "'0007_user_last_seen.sql' is not in the journal: the "
		  "migrator never applies it");
	free(sql);
}

static void test_journal__real_merge_renumbered_collides(void **state)
{
	struct fx *fx = *state;
	char *sql = fixture_read("branches/branch-b",
				 "src/migrations/0007_user_last_seen.sql");
	char *snap = fixture_read("branches/branch-b",
				  "src/migrations/meta/0007_snapshot.json");
	char *journal_b = fixture_read("branches/branch-b",
				       "src/migrations/meta/_journal.json");
	char *entry = strstr(journal_b, "\"0007_user_last_seen\"");
	const char *when;
	char *b_when, *to;

	/* Both branches' 0007 kept, b's renumbered to 0008 by hand. */
	assert_non_null(entry);
	when = strstr(journal_b, "\"when\": 1");
	while (strstr(when + 1, "\"when\": 1"))
		when = strstr(when + 1, "\"when\": 1");
	b_when = mg_xstrndup(when + 8, 13);
	fixture_copy("branches/branch-a", fx->head);
	fixture_copy("step-06", fx->pub);
	write_str(fx->head, DIR_ "/0008_user_last_seen.sql", sql);
	write_str(fx->head, DIR_ "/meta/0008_snapshot.json", snap);
	to = mg_xstrfmt("\"breakpoints\": true\n    },\n    {\n"
			"      \"idx\": 8,\n      \"version\": \"7\",\n"
			"      \"when\": %s,\n"
			"      \"tag\": \"0008_user_last_seen\",\n"
			"      \"breakpoints\": true\n    }\n  ]\n}",
			b_when);
	edit_file(fx->head, JOURNAL, "\"breakpoints\": true\n    }\n  ]\n}",
		  to);
	fx_run(fx);
	expect_one(fx, "snapshot-collision", DIR_ "/meta/0008_snapshot.json",
		   3, "'0007_plan_priority' and '0008_user_last_seen' were "
		   "both generated on top of '0006_drop_research_step': "
		   "branches were merged");
	free(to);
	free(b_when);
	free(journal_b);
	free(snap);
	free(sql);
}

static void test_journal__real_merge_conflict_markers(void **state)
{
	struct fx *fx = *state;
	char *cmd, *merged;

	fixture_copy("branches/branch-a", fx->head);
	fixture_copy("step-06", fx->pub);
	/* The journal exactly as `git merge` leaves it in a conflict. */
	cmd = mg_xstrfmt("cd '%s/tests/fixtures/drizzle' && git merge-file "
			 "-p branches/branch-a/src/migrations/meta/"
			 "_journal.json step-06/src/migrations/meta/"
			 "_journal.json branches/branch-b/src/migrations/"
			 "meta/_journal.json >'%s/%s'",
			 MG_TEST_SOURCE_DIR, fx->head, JOURNAL);
	assert_int_equal(WEXITSTATUS(system(cmd)), 1); /* one conflict */
	merged = read_rel(fx->head, JOURNAL);
	fx_run(fx);
	expect_one(fx, "journal-invalid", JOURNAL, line_of(merged, "<<<<<<<"),
		   "merge conflict markers in '_journal.json'");
	free(merged);
	free(cmd);
}

static void test_journal__real_missing_sql(void **state)
{
	struct fx *fx = *state;

	fixture_copy("step-06", fx->head);
	remove_file(fx->head, DIR_ "/0004_research_step.sql");
	fx_run(fx);
	expect_one(fx, "journal-missing-sql", JOURNAL, ENTRY_LINE(4),
		   "journal entry 4 ('0004_research_step') has no SQL file "
		   "'0004_research_step.sql': the migrator fails on it");
}

static void test_journal__real_published_sql_edited(void **state)
{
	struct fx *fx = *state;
	char *sql = fixture_read("step-06",
				 "src/migrations/0003_enable_pgvector.sql");
	char *more = mg_xstrfmt("%sCREATE EXTENSION IF NOT EXISTS pg_trgm;\n",
				sql);
	unsigned lines = 1;
	const char *p;

	for (p = sql; *p; p++)
		lines += *p == '\n';
	fixture_copy("step-06", fx->head);
	fixture_copy("step-06", fx->pub);
	write_str(fx->head, DIR_ "/0003_enable_pgvector.sql", more);
	fx_run(fx);
	expect_one(fx, "migration-edited", DIR_ "/0003_enable_pgvector.sql",
		   lines, "published migration file '0003_enable_pgvector.sql' "
		   "was edited");
	free(more);
	free(sql);
}

static void test_journal__real_prev_id_broken(void **state)
{
	struct fx *fx = *state;
	char *snap = fixture_read("step-06",
				  "src/migrations/meta/0005_snapshot.json");
	char *prev = strstr(snap, "\"prevId\": \"");

	assert_non_null(prev);
	memcpy(prev + 11, NOWHERE, 36);
	fixture_copy("step-06", fx->head);
	write_str(fx->head, DIR_ "/meta/0005_snapshot.json", snap);
	fx_run(fx);
	expect_one(fx, "snapshot-chain-broken", DIR_ "/meta/0005_snapshot.json",
		   3, "snapshot of '0005_rename_summary' has prevId '" NOWHERE
		   "', which is no snapshot's id, not the previous entry "
		   "'0004_research_step'");
	free(snap);
}

static void test_journal__real_when_edited_backwards(void **state)
{
	struct fx *fx = *state;
	char *journal = fixture_read("step-06",
				     "src/migrations/meta/_journal.json");
	char *w4 = strstr(journal, "\"tag\": \"0004_");
	char *w5 = strstr(journal, "\"tag\": \"0005_");

	/* Entry 5 gets entry 4's when: skipped after 0004 was applied. */
	assert_non_null(w4);
	assert_non_null(w5);
	memcpy(w5 - 21, w4 - 21, 13);
	fixture_copy("step-06", fx->head);
	write_str(fx->head, JOURNAL, journal);
	fx_run(fx);
	assert_int_equal(fx->r.nr, 1);
	assert_string_equal(fx->r.items[0].rule, "journal-when-order");
	assert_int_equal(fx->r.items[0].line, WHEN_LINE(5));
	free(journal);
}

static void test_journal__real_crlf_checkout(void **state)
{
	struct fx *fx = *state;
	char *sql = fixture_read("step-06", "src/migrations/0000_init.sql");
	struct mg_strbuf crlf = MG_STRBUF_INIT;
	const char *p;

	for (p = sql; *p; p++) {
		if (*p == '\n')
			mg_strbuf_addch(&crlf, '\r');
		mg_strbuf_addch(&crlf, *p);
	}
	fixture_copy("step-06", fx->head);
	write_str(fx->head, DIR_ "/0000_init.sql", crlf.buf);
	fx_run(fx);
	expect_one(fx, "journal-invalid", DIR_ "/0000_init.sql", 1,
		   "CRLF line ends in '0000_init.sql'");
	mg_strbuf_release(&crlf);
	free(sql);
}


/*
 * Change sets: unchanged published snapshots are trusted, not read. A
 * tree that gives content ids (like git's blob ids) and records reads.
 */
struct id_tree {
	struct mg_tree base;
	struct mg_tree *inner;
	struct mg_strlist reads;
	unsigned lists;
};

static int id_read(struct mg_tree *t, const char *path, char **data,
		   size_t *len)
{
	struct id_tree *it = (struct id_tree *)t;

	mg_strlist_push(&it->reads, path);
	return mg_tree_read(it->inner, path, data, len);
}

static int id_list(struct mg_tree *t, const char *dir,
		   struct mg_tree_listing *out)
{
	struct id_tree *it = (struct id_tree *)t;
	size_t i;
	int err;

	it->lists++;
	err = mg_tree_list(it->inner, dir, out);
	for (i = 0; err >= 0 && i < out->nr; i++) {
		char *data = NULL;
		size_t len = 0;

		assert_int_equal(mg_tree_read(it->inner, out->items[i].path,
					      &data, &len),
				 0);
		mg_sha256_hex(out->items[i].id, data, len);
		free(data);
	}
	return err;
}

static void id_free(struct mg_tree *t)
{
	struct id_tree *it = (struct id_tree *)t;

	mg_tree_free(it->inner);
	mg_strlist_release(&it->reads);
	free(it);
}

static const struct mg_tree_ops id_ops = { id_read, id_list, id_free };

static struct id_tree *id_tree_open(const char *root)
{
	struct id_tree *it = mg_xcalloc(1, sizeof(*it));

	assert_int_equal(mg_tree_open_dir(&it->inner, root), 0);
	it->base.ops = &id_ops;
	it->base.label = mg_xstrdup(root);
	return it;
}

/* How often path was read. */
static size_t reads_of(const struct id_tree *it, const char *path)
{
	size_t i, n = 0;

	for (i = 0; i < it->reads.nr; i++)
		n += !strcmp(it->reads.items[i], path);
	return n;
}

static size_t snapshot_reads(const struct id_tree *it, const struct fx *fx,
			     size_t i)
{
	char *rel = snapshot_rel(&fx->e[i]);
	size_t n = reads_of(it, rel);

	free(rel);
	return n;
}

/* "path:line:col: message [rule]" of every finding, sorted. */
static char *findings_text(struct mg_report *r)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	size_t i;

	mg_report_sort(r);
	for (i = 0; i < r->nr; i++)
		mg_strbuf_addf(&sb, "%s:%u:%u: %s [%s] %s\n", r->items[i].path,
			       r->items[i].line, r->items[i].column,
			       r->items[i].message, r->items[i].rule,
			       r->items[i].hint ? r->items[i].hint : "");
	return mg_strbuf_detach(&sb, NULL);
}

/*
 * Check fx->head against fx->pub in mode, with id trees (the counted
 * head tree comes back in *head_out when asked), on a context that
 * shares migdirs as the binaries do. The findings, as text.
 */
static char *fx_run_ids(struct fx *fx, enum mg_changeset_mode mode,
			struct id_tree **head_out)
{
	struct mg_config cfg;
	struct mg_project p;
	struct mg_context ctx;
	struct id_tree *head = id_tree_open(fx->head);
	struct id_tree *pub = id_tree_open(fx->pub);
	struct mg_report r;
	char *text;

	memset(&cfg, 0, sizeof(cfg));
	memset(&p, 0, sizeof(p));
	memset(&ctx, 0, sizeof(ctx));
	mg_report_init(&r);
	p.name = "db";
	p.migrations = DIR_;
	p.prefix = fx->prefix;
	p.generate_command = "pnpm db:generate";
	cfg.projects = &p;
	cfg.projects_nr = 1;
	fx->cs.mode = mode;
	fx->cs.head = &head->base;
	/* The change set touches the folder: the journal is staged. */
	fx->change.status = MG_CHANGE_MODIFIED;
	fx->change.path = JOURNAL;
	fx->cs.changes = &fx->change;
	fx->cs.nr = 1;
	ctx.published = &pub->base;
	ctx.config = &cfg;
	ctx.cs = &fx->cs;
	mg_context_share_migdirs(&ctx);
	assert_int_equal(mg_journal_check_with(&r, &ctx, &fx->opts), 0);
	/* A second check of the run reuses the folder: listed once. */
	assert_int_equal(mg_journal_check_with(&r, &ctx, &fx->opts), 0);
	assert_int_equal(head->lists, 1);
	text = findings_text(&r);
	mg_report_release(&r);
	mg_context_release(&ctx);
	if (head_out)
		*head_out = head;
	else
		mg_tree_free(&head->base);
	fx->cs.head = NULL;
	return text;
}

/* The same folders through plain directories: no ids, a full check. */
static char *fx_run_full(struct fx *fx)
{
	char *text;

	fx_run(fx);
	text = findings_text(&fx->r);
	mg_report_release(&fx->r);
	mg_report_init(&fx->r);
	return text;
}

/* Published: the first n - 1 migrations; head: all n. */
static void fx_write_added(struct fx *fx, size_t n)
{
	fx_set(fx, n);
	fx_write(fx, fx->head);
	fx->nr = n - 1;
	fx_write(fx, fx->pub);
	fx->nr = n;
}

static void test_journal__staged_reads_only_new_snapshots(void **state)
{
	struct fx *fx = *state;
	struct id_tree *head = NULL;
	char *text;
	size_t i;

	fx_write_added(fx, 6);
	text = fx_run_ids(fx, MG_CHANGESET_STAGED, &head);
	assert_string_equal(text, "");
	/* The new snapshot and its parent, once; the others not at all. */
	for (i = 0; i < 4; i++)
		assert_int_equal(snapshot_reads(head, fx, i), 0);
	assert_int_equal(snapshot_reads(head, fx, 4), 1);
	assert_int_equal(snapshot_reads(head, fx, 5), 1);
	mg_tree_free(&head->base);
	free(text);
	/* --all reads each snapshot, once. */
	text = fx_run_ids(fx, MG_CHANGESET_ALL, &head);
	assert_string_equal(text, "");
	for (i = 0; i < 6; i++)
		assert_int_equal(snapshot_reads(head, fx, i), 1);
	mg_tree_free(&head->base);
	free(text);
}

static void test_journal__staged_nothing_new_reads_no_snapshot(void **state)
{
	struct fx *fx = *state;
	struct id_tree *head = NULL;
	char *text;
	size_t i;

	fx_set(fx, 4);
	fx_write(fx, fx->head);
	fx_write(fx, fx->pub);
	text = fx_run_ids(fx, MG_CHANGESET_STAGED, &head);
	assert_string_equal(text, "");
	for (i = 0; i < 4; i++)
		assert_int_equal(snapshot_reads(head, fx, i), 0);
	mg_tree_free(&head->base);
	free(text);
}

/* The .sql files left as published are not read for their bytes. */
static void test_journal__staged_reads_only_new_sql(void **state)
{
	struct fx *fx = *state;
	struct id_tree *head = NULL;
	char *text, *rel;
	size_t i;

	fx_write_added(fx, 4);
	text = fx_run_ids(fx, MG_CHANGESET_STAGED, &head);
	assert_string_equal(text, "");
	for (i = 0; i < 4; i++) {
		rel = sql_rel(&fx->e[i]);
		assert_int_equal(reads_of(head, rel), i == 3);
		free(rel);
	}
	mg_tree_free(&head->base);
	free(text);
	/* --all reads each, once. */
	text = fx_run_ids(fx, MG_CHANGESET_ALL, &head);
	assert_string_equal(text, "");
	for (i = 0; i < 4; i++) {
		rel = sql_rel(&fx->e[i]);
		assert_int_equal(reads_of(head, rel), 1);
		free(rel);
	}
	mg_tree_free(&head->base);
	free(text);
}

/* Two views of one git tree share the migdir of a folder; others do not. */
static void test_journal__context_shares_migdirs_by_tree_id(void **state)
{
	struct fx *fx = *state;
	struct id_tree *a, *b, *c;
	struct mg_config cfg;
	struct mg_project p;
	struct mg_context ctx;
	struct mg_migdir *d1 = NULL, *d2 = NULL, *d3 = NULL;

	fx_set(fx, 2);
	fx_write(fx, fx->pub);
	a = id_tree_open(fx->pub);
	b = id_tree_open(fx->pub);
	c = id_tree_open(fx->pub); /* no id: not a git tree */
	strcpy(a->base.id, "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
	strcpy(b->base.id, a->base.id);
	memset(&cfg, 0, sizeof(cfg));
	memset(&p, 0, sizeof(p));
	memset(&ctx, 0, sizeof(ctx));
	p.name = "db";
	p.migrations = DIR_;
	cfg.projects = &p;
	cfg.projects_nr = 1;
	ctx.config = &cfg;
	mg_context_share_migdirs(&ctx);
	assert_int_equal(mg_context_migdir_at(&d1, &ctx, &a->base, &p), 0);
	assert_int_equal(mg_context_migdir_at(&d2, &ctx, &b->base, &p), 0);
	assert_ptr_equal(d1, d2);
	assert_int_equal(a->lists + b->lists, 1);
	assert_int_equal(mg_context_migdir_at(&d3, &ctx, &c->base, &p), 0);
	assert_ptr_not_equal(d3, d1);
	mg_context_migdir_put(&ctx, d3); /* freed: not shared */
	mg_context_migdir_put(&ctx, d2);
	mg_context_migdir_put(&ctx, d1);
	mg_context_release(&ctx);
	mg_tree_free(&a->base);
	mg_tree_free(&b->base);
	mg_tree_free(&c->base);
}

/* A broken new entry: the findings of the full check, word for word. */
static void assert_staged_as_full(struct fx *fx, const char *expect)
{
	char *fast = fx_run_ids(fx, MG_CHANGESET_STAGED, NULL);
	char *full = fx_run_full(fx); /* the same change set */

	if (getenv("MG_TEST_VERBOSE"))
		fprintf(stderr, "%s", fast);
	assert_non_null(strstr(full, expect));
	assert_string_equal(fast, full);
	free(fast);
	free(full);
}

static void test_journal__staged_prev_id_to_old_snapshot(void **state)
{
	struct fx *fx = *state;

	/*
	 * Generated on an old checkout: its parent is not the last one. The
	 * message names two published entries the fast path does not read.
	 */
	fx_set(fx, 6);
	strcpy(fx->e[5].prev, fx->e[1].id);
	fx_write(fx, fx->head);
	fx->nr = 5;
	fx_write(fx, fx->pub);
	fx->nr = 6;
	fx->cs.mode = MG_CHANGESET_STAGED;
	assert_staged_as_full(fx, "'0002_odd_the_twelve' and "
				  "'0005_odd_the_twelve' were both generated "
				  "on top of '0001_odd_the_twelve'");
}

static void test_journal__staged_prev_id_nowhere(void **state)
{
	struct fx *fx = *state;

	fx_set(fx, 5);
	strcpy(fx->e[4].prev, NOWHERE);
	fx_write(fx, fx->head);
	fx->nr = 4;
	fx_write(fx, fx->pub);
	fx->nr = 5;
	fx->cs.mode = MG_CHANGESET_STAGED;
	assert_staged_as_full(fx, "which is no snapshot's id");
}

static void test_journal__staged_collision_with_published(void **state)
{
	struct fx *fx = *state;

	/* Two branches on top of 0002: 0003 published, 0004 new. */
	fx_set(fx, 5);
	strcpy(fx->e[4].prev, fx->e[2].id);
	fx_write(fx, fx->head);
	fx->nr = 4;
	fx_write(fx, fx->pub);
	fx->nr = 5;
	fx->cs.mode = MG_CHANGESET_STAGED;
	assert_staged_as_full(fx, "branches were merged");
}

static void test_journal__staged_copied_snapshot_id(void **state)
{
	struct fx *fx = *state;

	/* The new snapshot reuses its parent's id. */
	fx_set(fx, 5);
	strcpy(fx->e[4].id, fx->e[3].id);
	fx_write(fx, fx->head);
	fx->nr = 4;
	fx_write(fx, fx->pub);
	fx->nr = 5;
	fx->cs.mode = MG_CHANGESET_STAGED;
	assert_staged_as_full(fx, "has the same id as");
}

static void test_journal__staged_invalid_new_snapshot(void **state)
{
	struct fx *fx = *state;
	char *rel;

	fx_write_added(fx, 5);
	rel = snapshot_rel(&fx->e[4]);
	write_str(fx->head, rel, "{\n  \"id\": \"x\",\n  \"prevId\": 7\n}");
	free(rel);
	fx->cs.mode = MG_CHANGESET_STAGED;
	assert_staged_as_full(fx, "has no string 'prevId'");
}

static void test_journal__staged_edited_published_snapshot(void **state)
{
	struct fx *fx = *state;
	char *rel, *text;

	/* 0002's snapshot edited in place: checked again, with the rest. */
	fx_write_added(fx, 5);
	rel = snapshot_rel(&fx->e[2]);
	strcpy(fx->e[2].prev, NOWHERE);
	text = snapshot_text(&fx->e[2]);
	write_str(fx->head, rel, text);
	free(text);
	free(rel);
	fx->cs.mode = MG_CHANGESET_STAGED;
	assert_staged_as_full(fx, "published migration file "
				  "'0002_snapshot.json' was edited");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_journal__good_folder_is_silent),
		T(test_journal__missing_folder_is_silent),
		T(test_journal__empty_journal_is_silent),
		T(test_journal__timestamp_prefix_is_silent),
		T(test_journal__sql_without_journal_is_invalid),
		T(test_journal__journal_not_json),
		T(test_journal__journal_strict_as_json_parse),
		T(test_journal__journal_duplicate_key),
		T(test_journal__journal_conflict_markers),
		T(test_journal__journal_wrong_version),
		T(test_journal__journal_unknown_version),
		T(test_journal__journal_2023_formats_valid),
		T(test_journal__journal_wrong_dialect),
		T(test_journal__entry_field_wrong_type),
		T(test_journal__entry_field_missing),
		T(test_journal__tag_with_path_separator),
		T(test_journal__tag_with_leading_underscore),
		T(test_journal__prefix_none_allows_underscore),
		T(test_journal__missing_sql),
		T(test_journal__missing_snapshot),
		T(test_journal__orphan_sql_and_duplicate_prefix),
		T(test_journal__orphan_snapshot),
		T(test_journal__idx_out_of_order),
		T(test_journal__prefix_not_index),
		T(test_journal__prefix_not_unix_seconds),
		T(test_journal__duplicate_tag),
		T(test_journal__duplicate_prefix_in_journal),
		T(test_journal__when_not_increasing),
		T(test_journal__when_equal_is_skipped),
		T(test_journal__when_in_future_is_error),
		T(test_journal__when_within_skew_is_silent),
		T(test_journal__snapshot_not_json),
		T(test_journal__snapshot_strict_as_json_parse),
		T(test_journal__snapshot_wrong_version),
		T(test_journal__snapshot_without_prev_id),
		T(test_journal__first_prev_id_not_zero),
		T(test_journal__prev_id_points_nowhere),
		T(test_journal__duplicate_snapshot_id),
		T(test_journal__collision_of_merged_branches),
		T(test_journal__snapshot_name_order),
		T(test_journal__sql_with_bom),
		T(test_journal__sql_with_nul),
		T(test_journal__sql_with_invalid_utf8),
		T(test_journal__sql_with_crlf),
		T(test_journal__utf8_validator),
		T(test_journal__published_sql_edited),
		T(test_journal__published_snapshot_edited),
		T(test_journal__published_entry_when_edited),
		T(test_journal__published_migration_deleted),
		T(test_journal__published_file_deleted),
		T(test_journal__published_migration_renamed),
		T(test_journal__published_journal_deleted),
		T(test_journal__unpublished_edit_is_allowed),
		T(test_journal__published_same_content_via_copy),
		T(test_journal__untouched_project_is_skipped),
		T(test_journal__schema_change_checks_project),
		T(test_journal__renamed_out_of_folder_checks_project),
		T(test_journal__rule_off_is_dropped),
		T(test_journal__real_steps_are_silent),
		T(test_journal__real_merge_keeping_ours),
		T(test_journal__real_merge_renumbered_collides),
		T(test_journal__real_merge_conflict_markers),
		T(test_journal__real_missing_sql),
		T(test_journal__real_published_sql_edited),
		T(test_journal__real_prev_id_broken),
		T(test_journal__real_when_edited_backwards),
		T(test_journal__real_crlf_checkout),
		T(test_journal__staged_reads_only_new_snapshots),
		T(test_journal__context_shares_migdirs_by_tree_id),
		T(test_journal__staged_reads_only_new_sql),
		T(test_journal__staged_nothing_new_reads_no_snapshot),
		T(test_journal__staged_prev_id_to_old_snapshot),
		T(test_journal__staged_prev_id_nowhere),
		T(test_journal__staged_collision_with_published),
		T(test_journal__staged_copied_snapshot_id),
		T(test_journal__staged_invalid_new_snapshot),
		T(test_journal__staged_edited_published_snapshot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

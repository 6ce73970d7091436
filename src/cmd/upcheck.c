/*
 * migguard up-check: the move from the journal layout (drizzle-kit 0.31,
 * drizzle-orm 0.45) to the folder layout of drizzle 1.0, checked on both
 * sides of `drizzle-kit up` (rc.5). Before: mg_up_plan_make says which
 * folders up writes and why it would refuse. After, with --against REV:
 * the folders are compared with the journal layout at REV. The facts of
 * both layouts live in migdir.c and migfolder.c; this file decides what
 * to say about them.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "upcheck.h"
#include "migguard/config.h"
#include "migguard/migdir.h"
#include "migguard/migfolder.h"

const char mg_upcheck_usage[] =
	"usage: migguard up-check [--against REV] [--rev REV] [--project NAME]"
	"\n"
	"                         [--repo DIR] [--format text|json|github|"
	"sarif]\n"
	"\n"
	"Before `drizzle-kit up` (the journal layout): the folders up would "
	"write,\n"
	"named after `when` in UTC seconds, every reason up would refuse (a "
	"missing\n"
	"snapshot or SQL file, a broken chain, two migrations of one second "
	"that\n"
	"sort before their parent) and every root .sql it would leave behind, "
	"which\n"
	"the 1.0 migrator never runs.\n"
	"After it (the folder layout), --against REV, the commit before up: "
	"the\n"
	"folders against the journal at REV: same SQL bytes, snapshot ids and\n"
	"prevIds, the same order under the 1.0 migrator as under 0.45, "
	"nothing\n"
	"lost. Then `migguard-apply --dry-run` on a database migrated by 0.45 "
	"shows\n"
	"how the 1.0 migrator upgrades its table.\n"
	"Reads the work tree, or the commit REV with --rev.\n"
	"Exit: 0 converts (or converted) cleanly, 1 findings, 2 could not run."
	"\n";

enum { OPT_AGAINST = 256, OPT_REV, OPT_PROJECT, OPT_REPO };

static const struct option options[] = {
	{ "against", required_argument, NULL, OPT_AGAINST },
	{ "rev", required_argument, NULL, OPT_REV },
	{ "project", required_argument, NULL, OPT_PROJECT },
	{ "repo", required_argument, NULL, OPT_REPO },
	MG_CLI_OUTPUT_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

#define NONE ((size_t)-1)

struct upcheck {
	struct mg_cli cli;
	const char *against, *rev, *project;
	struct mg_repo *repo;
	struct mg_tree *tree; /* the work tree, or --rev */
	struct mg_tree *old;  /* --against */
	struct mg_config cfg;
	int cfg_loaded;
	struct mg_report report;
	struct mg_strbuf text; /* what is said of each project */
	struct mg_strbuf json; /* the "projects" members */
	size_t projects;
};

static int parse(struct upcheck *u, int argc, char **argv)
{
	int c, ret;

	memset(&u->cli, 0, sizeof(u->cli));
	u->cli.prog = "migguard up-check";
	u->cli.format = MG_FORMAT_TEXT;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case OPT_AGAINST: u->against = optarg; break;
		case OPT_REV: u->rev = optarg; break;
		case OPT_PROJECT: u->project = optarg; break;
		case OPT_REPO: u->cli.repo_dir = optarg; break;
		default:
			ret = mg_cli_output_option(&u->cli, c, mg_upcheck_usage,
						   argv);
			if (ret >= 0)
				return ret;
		}
	}
	if (optind < argc)
		return mg_cli_fail(&u->cli, "unexpected argument '%s'\n%s",
				   argv[optind], mg_upcheck_usage);
	u->cli.color = mg_cli_want_color(u->cli.color_when, STDOUT_FILENO);
	return -1;
}

static int open_trees(struct upcheck *u)
{
	struct mg_repo_options ropts;
	const char *root = u->cli.repo_dir ? u->cli.repo_dir : ".";
	int err;

	mg_cli_repo_options(&u->cli, &ropts);
	err = mg_repo_open(&u->repo, &ropts);
	if (err < 0 && (u->rev || u->against))
		return err;
	if (err == 0 && mg_repo_workdir(u->repo))
		root = mg_repo_workdir(u->repo);
	if (u->rev)
		err = mg_repo_tree_at(&u->tree, u->repo, u->rev);
	else
		err = mg_tree_open_dir(&u->tree, root);
	if (err < 0)
		return err;
	if (u->against) {
		err = mg_repo_tree_at(&u->old, u->repo, u->against);
		if (err < 0)
			return mg_error_set("--against: %s", mg_error_last());
	}
	err = mg_config_load(&u->cfg, u->tree);
	u->cfg_loaded = 1;
	return err;
}

/* The text side: one call per line, escaped as messages are. */
static void say(struct upcheck *u, const char *fmt, ...) MG_PRINTF(2, 3);
static void say(struct upcheck *u, const char *fmt, ...)
{
	struct mg_strbuf line = MG_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	mg_strbuf_vaddf(&line, fmt, ap);
	va_end(ap);
	mg_strbuf_add_escaped(&u->text, line.buf);
	mg_strbuf_addch(&u->text, '\n');
	mg_strbuf_release(&line);
}

/* A finding whose hint is formatted too: hint is taken (freed). */
static void add(struct upcheck *u, const char *rule, const char *path,
		unsigned line, unsigned column, char *hint, const char *fmt,
		...) MG_PRINTF(7, 8);
static void add(struct upcheck *u, const char *rule, const char *path,
		unsigned line, unsigned column, char *hint, const char *fmt,
		...)
{
	struct mg_strbuf msg = MG_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	mg_strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	mg_report_add(&u->report, rule, path, line, column, hint, "%s",
		      msg.buf);
	mg_strbuf_release(&msg);
	free(hint);
}

static void json_member(struct mg_strbuf *sb, const char *key,
			const char *value)
{
	mg_strbuf_addf(sb, ",\"%s\":", key);
	if (value)
		mg_strbuf_add_json_string(sb, value);
	else
		mg_strbuf_adds(sb, "null");
}

static void json_project_open(struct upcheck *u, const struct mg_project *p,
			      enum mg_layout layout)
{
	if (u->projects++)
		mg_strbuf_addch(&u->json, ',');
	mg_strbuf_adds(&u->json, "{\"name\":");
	mg_strbuf_add_json_string(&u->json, p->name);
	json_member(&u->json, "migrations", p->migrations);
	json_member(&u->json, "layout", mg_layout_name(layout));
}

/* ------------------------------------------------------ before up --- */

static const char *refusal_rule(enum mg_up_refusal_kind kind)
{
	switch (kind) {
	case MG_UP_NO_SNAPSHOT:
		return "journal-missing-snapshot";
	case MG_UP_SQL_AMBIGUOUS:
	case MG_UP_NO_SQL:
		return "journal-missing-sql";
	case MG_UP_SNAPSHOT_MALFORMED:
		return "snapshot-invalid";
	case MG_UP_PARENT_MISSING:
	case MG_UP_TWO_FIRSTS:
		return "snapshot-chain-broken";
	case MG_UP_SORTS_BEFORE_PARENT:
		break;
	}
	return "journal-when-order";
}

static const char *refusal_what(enum mg_up_refusal_kind kind)
{
	switch (kind) {
	case MG_UP_NO_SNAPSHOT:
		return "no snapshot";
	case MG_UP_SQL_AMBIGUOUS:
		return "several .sql files, no <tag>.sql";
	case MG_UP_NO_SQL:
		return "no SQL file";
	case MG_UP_SNAPSHOT_MALFORMED:
		return "snapshot not JSON";
	case MG_UP_PARENT_MISSING:
		return "its parent snapshot is gone";
	case MG_UP_TWO_FIRSTS:
		return "a second first migration";
	case MG_UP_SORTS_BEFORE_PARENT:
		break;
	}
	return "its folder sorts before its parent's (same second)";
}

static void report_refusal(struct upcheck *u, struct mg_migdir *d,
			   const struct mg_up_plan *plan,
			   const struct mg_up_refusal *r)
{
	const struct mg_migration *m = &d->items[r->index];
	const struct mg_snapshot_fields *f = NULL;
	const char *path = d->journal_path;
	unsigned line = m->line, column = 0;

	switch (r->kind) {
	case MG_UP_SNAPSHOT_MALFORMED:
		path = plan->items[r->index].snapshot_path;
		line = 0;
		break;
	case MG_UP_PARENT_MISSING:
	case MG_UP_TWO_FIRSTS:
		path = plan->items[r->index].snapshot_path;
		if (mg_migdir_snapshot_fields(d, &d->items[r->index], &f) >=
		    0) {
			line = f->prev_id_line;
			column = f->prev_id_column;
		}
		break;
	default:
		break;
	}
	mg_report_add(&u->report, refusal_rule(r->kind), path, line, column,
		      r->hint, "%s", r->message);
}

static void before_up(struct upcheck *u, const struct mg_project *p)
{
	struct mg_migdir *d = NULL;
	struct mg_up_plan plan;
	size_t i, width = 0, n = 0;

	memset(&plan, 0, sizeof(plan));
	if (mg_migdir_load(&d, u->tree, p->migrations) < 0 ||
	    mg_up_plan_make(&plan, d) < 0) {
		mg_report_note(&u->report, "migguard up-check: %s: %s",
			       p->migrations, mg_error_last());
		goto out;
	}
	json_project_open(u, p, MG_LAYOUT_JOURNAL);
	if (d->journal)
		say(u, "%s: '%s' is in the journal layout (drizzle-kit 0.31), "
		    "%zu migration%s", p->name, p->migrations, plan.nr,
		    plan.nr == 1 ? "" : "s");
	else
		say(u, "%s: '%s' is in the journal layout (drizzle-kit 0.31)",
		    p->name, p->migrations);
	if (!d->journal) {
		/* up's JSON.parse throws: nothing else is looked at. */
		mg_report_add(&u->report, "journal-invalid", d->journal_path,
			      0, 0, "fix the JSON or restore it from git",
			      "'%s' is not a journal drizzle-kit up can read%s%s",
			      d->journal_path, d->journal_error ? ": " : "",
			      d->journal_error ? d->journal_error : "");
		mg_strbuf_adds(&u->json, ",\"folders\":[],\"converts\":false,"
			       "\"refusals\":1,\"leftBehind\":0}");
		say(u, "drizzle-kit up would stop at once: it cannot read the "
		    "journal (below)");
		goto out;
	}
	for (i = 0; i < plan.nr; i++)
		if (plan.items[i].tag && strlen(plan.items[i].tag) > width)
			width = strlen(plan.items[i].tag);
	if (plan.nr)
		say(u, "drizzle-kit up would write (each folder named after "
		    "`when` in UTC seconds):");
	mg_strbuf_adds(&u->json, ",\"folders\":[");
	for (i = 0; i < plan.nr; i++) {
		const struct mg_up_move *mv = &plan.items[i];

		if (!mv->tag)
			continue;
		if (mv->folder)
			say(u, "  %-*s -> %s/%s/", (int)width, mv->tag,
			    p->migrations, mv->folder);
		else
			say(u, "  %-*s -> %s/<now>_.../ (no `when`: up names "
			    "it after the current time)", (int)width, mv->tag,
			    p->migrations);
		mg_strbuf_adds(&u->json, n++ ? ",{\"tag\":" : "{\"tag\":");
		mg_strbuf_add_json_string(&u->json, mv->tag);
		json_member(&u->json, "folder", mv->folder);
		mg_strbuf_addch(&u->json, '}');
	}
	mg_strbuf_adds(&u->json, "]");
	for (i = 0; i < plan.refusals_nr; i++)
		report_refusal(u, d, &plan, &plan.refusals[i]);
	for (i = 0; i < plan.left_sql_nr; i++)
		mg_report_add(&u->report, "orphan-sql", plan.left_sql[i], 0, 0,
			      "make it a migration (drizzle-kit generate "
			      "--custom, then move the SQL into it) or "
			      "delete it, before drizzle-kit up",
			      "'%s' is not in the journal: drizzle-kit up "
			      "leaves it at the root of the folder, where the "
			      "1.0 migrator never runs it", plan.left_sql[i]);
	mg_strbuf_addf(&u->json, ",\"converts\":%s,\"refusals\":%zu,"
		       "\"leftBehind\":%zu}",
		       plan.refusals_nr ? "false" : "true", plan.refusals_nr,
		       plan.left_sql_nr);
	if (plan.refusals_nr) {
		say(u, "drizzle-kit up would refuse and change no file: %zu "
		    "reason%s, in the order up checks them (it stops at the "
		    "first; details below):", plan.refusals_nr,
		    plan.refusals_nr == 1 ? "" : "s");
		for (i = 0; i < plan.refusals_nr; i++)
			say(u, "  %zu. %s: %s [%s]", i + 1,
			    plan.items[plan.refusals[i].index].tag,
			    refusal_what(plan.refusals[i].kind),
			    refusal_rule(plan.refusals[i].kind));
	} else if (plan.left_sql_nr)
		say(u, "drizzle-kit up would convert it and leave %zu .sql "
		    "file%s behind (below)", plan.left_sql_nr,
		    plan.left_sql_nr == 1 ? "" : "s");
	else
		say(u, "drizzle-kit up converts it cleanly. Next: run it, then "
		    "`migguard up-check --against HEAD` (the commit before "
		    "it), and `migguard-apply --dry-run` on a database "
		    "migrated by drizzle-orm 0.45 shows how the 1.0 migrator "
		    "upgrades its table");
	if (u->against)
		say(u, "(--against compares the folder layout after "
		    "drizzle-kit up; this is still the journal layout)");
out:
	mg_up_plan_release(&plan);
	mg_migdir_free(d);
}

/* ------------------------------------------------------- after up --- */

/* The 1-based line where a and b first differ. */
static unsigned first_difference(const char *a, size_t a_len, const char *b,
				 size_t b_len)
{
	size_t i;
	unsigned line = 1;

	for (i = 0; i < a_len && i < b_len && a[i] == b[i]; i++)
		if (a[i] == '\n')
			line++;
	return line;
}

struct old_entry {
	const char *sql;
	size_t sql_len;
	const struct mg_snapshot_fields *fields;
	size_t folder; /* index into the folder's items, or NONE */
	int renamed;
};

/* The folder that holds entry e under another name, or NONE. */
static size_t find_moved(struct mg_migfolder *f, const struct old_entry *e,
			 const char *used)
{
	const char *sql;
	size_t i, len;

	for (i = 0; e->fields && e->fields->id && i < f->nr; i++) {
		const struct mg_folder_snapshot *s;

		if (!used[i] && mg_migfolder_fields(f, &f->items[i], &s) >= 0 &&
		    s->id && !strcmp(s->id, e->fields->id))
			return i;
	}
	for (i = 0; e->sql && i < f->nr; i++)
		if (!used[i] &&
		    mg_migfolder_sql(f, &f->items[i], &sql, &len) >= 0 &&
		    len == e->sql_len && !memcmp(sql, e->sql, len))
			return i;
	return NONE;
}

/* SQL bytes, snapshot id and prevIds of entry m against folder fm. */
static void compare_files(struct upcheck *u, struct mg_migfolder *f,
			  struct mg_folder_migration *fm,
			  const struct mg_migration *m,
			  const struct old_entry *e)
{
	const struct mg_folder_snapshot *s;
	const char *sql;
	size_t len;

	if (!fm->sql_path) {
		add(u, "journal-missing-sql", fm->dir, 0, 0,
		    mg_xstrfmt("restore it: git show '%s:%s' "
			       ">'%s/migration.sql'", u->against, m->sql_path,
			       fm->dir),
			      "folder '%s' has no migration.sql: the SQL of %s "
			      "('%s' at %s) is lost", fm->dir, m->tag,
			      m->sql_path, u->against);
	} else if (e->sql && mg_migfolder_sql(f, fm, &sql, &len) >= 0 &&
		   (len != e->sql_len || memcmp(sql, e->sql, len))) {
		char *hint = mg_xstrfmt("restore it: git show '%s:%s' >'%s'",
					u->against, m->sql_path, fm->sql_path);

		mg_report_add(&u->report, "migration-edited", fm->sql_path,
			      first_difference(sql, len, e->sql, e->sql_len),
			      0, hint, "'%s' differs from '%s' at %s: "
			      "drizzle-kit up moves the SQL byte for byte, and a "
			      "database migrated by 0.45 holds the hash of the "
			      "old bytes", fm->sql_path, m->sql_path,
			      u->against);
		free(hint);
	}
	if (!fm->snapshot_path) {
		add(u, "journal-missing-snapshot", fm->dir, 0, 0,
		    mg_xstrfmt("restore it: git show '%s:%s' "
			       ">'%s/snapshot.json', then run drizzle-kit up "
			       "on the folder at %s again", u->against,
			       m->snapshot_path, fm->dir, u->against),
			      "folder '%s' has no snapshot.json: the "
			      "snapshot of %s ('%s' at %s) is lost", fm->dir,
			      m->tag, m->snapshot_path, u->against);
		return;
	}
	if (!e->fields || mg_migfolder_fields(f, fm, &s) < 0) {
		if (fm->snapshot_error)
			mg_report_add(&u->report, "snapshot-invalid",
				      fm->snapshot_path, 0, 0, NULL,
				      "'%s' is not JSON: %s", fm->snapshot_path,
				      fm->snapshot_error);
		return;
	}
	if (e->fields->id && (!s->id || strcmp(s->id, e->fields->id)))
		add(u, "snapshot-chain-broken", fm->snapshot_path, s->id_line,
		    s->id_column,
		    mg_xstrfmt("drizzle-kit up keeps each snapshot's id: put "
			       "back \"id\": \"%s\"", e->fields->id),
			      "snapshot id '%s' of "
			      "'%s' is not '%s', the id of %s ('%s' at %s)",
			      s->id ? s->id : "", fm->snapshot_path,
			      e->fields->id, m->tag, m->snapshot_path,
			      u->against);
	if (e->fields->prev_id &&
	    (!s->prev_ids_valid || s->prev_ids_nr != 1 ||
	     strcmp(s->prev_ids[0], e->fields->prev_id)))
		add(u, "snapshot-chain-broken", fm->snapshot_path,
		    s->prev_ids_line, s->prev_ids_column,
		    mg_xstrfmt("drizzle-kit up turns prevId into prevIds: "
			       "[\"%s\"]", e->fields->prev_id),
			      "prevIds of '%s' is not "
			      "[\"%s\"], the prevId of %s ('%s' at %s)",
			      fm->snapshot_path, e->fields->prev_id, m->tag,
			      m->snapshot_path, u->against);
}

/* Each journal entry after the one before it, as 0.45 ran them. */
static void compare_order(struct upcheck *u, struct mg_migfolder *f,
			  struct mg_migdir *d, const struct mg_up_plan *plan,
			  struct old_entry *old)
{
	size_t i, last = NONE;

	for (i = 0; i < d->nr; i++) {
		struct mg_folder_migration *fm, *before;

		if (old[i].folder == NONE)
			continue;
		fm = &f->items[old[i].folder];
		if (last != NONE && old[i].folder < old[last].folder) {
			before = &f->items[old[last].folder];
			add(u, "journal-when-order", fm->dir, 0, 0,
			    mg_xstrfmt("name the folder '%s', as drizzle-kit "
				       "up does", plan->items[i].folder ?
				       plan->items[i].folder : "?"),
				      "%s ran after %s under drizzle-orm "
				      "0.45 (journal order at %s), but folder "
				      "'%s' sorts before '%s', so the 1.0 "
				      "migrator runs it first", d->items[i].tag,
				      d->items[last].tag, u->against, fm->name,
				      before->name);
			old[i].renamed = 0; /* said */
			continue;
		}
		last = i;
	}
	for (i = 0; i < d->nr; i++) {
		struct mg_folder_migration *fm;

		if (old[i].folder == NONE || !old[i].renamed)
			continue;
		fm = &f->items[old[i].folder];
		add(u, "journal-when-order", fm->dir, 0, 0,
		    mg_xstrfmt("rename it '%s': a database migrated by 0.45 "
			       "has its row by the time in `when`, which the "
			       "1.0 migrator matches against the folder's "
			       "name", plan->items[i].folder),
			      "folder '%s' holds %s of %s, which drizzle-kit "
			      "up names '%s'", fm->name, d->items[i].tag,
			      u->against, plan->items[i].folder);
	}
}

/* Folders that are no journal entry, files up removes or leaves. */
static void compare_rest(struct upcheck *u, struct mg_migfolder *f,
			 struct mg_migdir *d, const struct old_entry *old,
			 const char *used, size_t *added)
{
	size_t i, newest = NONE;
	char *meta = mg_xstrfmt("%s/meta/", f->path);

	for (i = 0; i < d->nr; i++)
		if (old[i].folder != NONE &&
		    (newest == NONE || old[i].folder > newest))
			newest = old[i].folder;
	for (i = 0; i < f->nr; i++) {
		if (used[i])
			continue;
		if (newest == NONE || i > newest) {
			(*added)++;
			continue;
		}
		add(u, "journal-when-order", f->items[i].dir, 0, 0,
		    mg_xstrfmt("give it a name that sorts after '%s' "
			       "(drizzle-kit generate names new folders after "
			       "the current time)", f->items[newest].name),
			      "folder '%s' is no migration of the journal at "
			      "%s, yet sorts among them (before '%s'): on a "
			      "database migrated by 0.45 the 1.0 migrator runs "
			      "it after newer ones", f->items[i].name,
			      u->against, f->items[newest].name);
	}
	for (i = 0; i < f->files.nr; i++)
		if (mg_starts_with(f->files.items[i].path, meta))
			mg_report_add(&u->report, "orphan-snapshot",
				      f->files.items[i].path, 0, 0,
				      "delete it: drizzle-kit up removes "
				      "meta/ as a whole",
				      "'%s' is left in meta/: no 1.0 tool "
				      "reads it", f->files.items[i].path);
	for (i = 0; i < f->stray_sql_nr; i++)
		mg_report_add(&u->report, "orphan-sql", f->stray_sql[i], 0, 0,
			      "make it a migration (drizzle-kit generate "
			      "--custom, then move the SQL into it) or delete "
			      "it",
			      "'%s' is not a migration folder's migration.sql: "
			      "the 1.0 migrator never runs it%s",
			      f->stray_sql[i],
			      mg_migdir_find_path(d, f->stray_sql[i]) ? "" :
			      " (drizzle-kit up leaves a .sql the journal did "
			      "not list at the root)");
	free(meta);
}

static int after_up(struct upcheck *u, const struct mg_project *p)
{
	struct mg_layout_info at;
	struct mg_migfolder *f = NULL;
	struct mg_migdir *d = NULL;
	struct mg_up_plan plan;
	struct old_entry *old = NULL;
	char *used = NULL;
	size_t i, before, added = 0;
	int err;

	memset(&at, 0, sizeof(at));
	memset(&plan, 0, sizeof(plan));
	err = mg_layout_detect(&at, u->old, p->migrations);
	if (err == 0 && at.layout == MG_LAYOUT_NONE)
		err = mg_error_set("--against %s: '%s' holds no migrations "
				   "there: name the commit before drizzle-kit "
				   "up", u->against, p->migrations);
	else if (err == 0 && at.layout != MG_LAYOUT_JOURNAL)
		err = mg_error_set("--against %s: '%s' is in the %s layout "
				   "there, not the journal layout: name the "
				   "commit before drizzle-kit up", u->against,
				   p->migrations, mg_layout_name(at.layout));
	if (err == 0)
		err = mg_migdir_load(&d, u->old, p->migrations);
	if (err == 0 && !d->journal)
		err = mg_error_set("--against %s: '%s' there is not a journal "
				   "(%s): nothing to compare with",
				   u->against, d->journal_path,
				   d->journal_error ? d->journal_error
						    : "not readable");
	if (err == 0)
		err = mg_migfolder_load(&f, u->tree, p->migrations);
	if (err == 0)
		err = mg_up_plan_make(&plan, d);
	if (err < 0)
		goto out;
	json_project_open(u, p, MG_LAYOUT_FOLDER);
	json_member(&u->json, "against", u->against);
	before = u->report.nr;
	old = mg_xcalloc(d->nr + 1, sizeof(*old));
	used = mg_xcalloc(f->nr + 1, 1);
	/* Each entry in the folder up names it, then the moved ones. */
	for (i = 0; i < d->nr; i++) {
		struct mg_migration *m = &d->items[i];
		struct mg_folder_migration *fm = NULL;
		struct old_entry *e = &old[i];

		e->folder = NONE;
		if (!m->tag)
			continue;
		if (mg_migdir_sql(d, m, &e->sql, &e->sql_len) < 0)
			e->sql = NULL;
		if (mg_migdir_snapshot_fields(d, m, &e->fields) < 0)
			e->fields = NULL;
		if (plan.items[i].folder)
			fm = mg_migfolder_find(f, plan.items[i].folder);
		if (fm && !used[fm - f->items]) {
			e->folder = (size_t)(fm - f->items);
			used[e->folder] = 1;
		}
	}
	for (i = 0; i < d->nr; i++) {
		struct mg_migration *m = &d->items[i];
		struct old_entry *e = &old[i];
		const char *want = plan.items[i].folder;

		if (!m->tag || e->folder != NONE)
			continue;
		e->folder = find_moved(f, e, used);
		e->renamed = e->folder != NONE;
		if (e->folder != NONE) {
			used[e->folder] = 1;
			continue;
		}
		add(u, "migration-deleted",
		    m->sql_path ? m->sql_path : d->journal_path, 0, 0,
		    mg_xstrfmt("restore it: run drizzle-kit up on the folder at "
			       "%s again, or copy its SQL and snapshot into "
			       "'%s/%s/'", u->against, p->migrations,
			       want ? want : "?"),
		    "%s ('%s' at %s) has no folder: drizzle-kit up writes it "
		    "to '%s/%s/', and no folder holds its snapshot id or its "
		    "SQL", m->tag, m->sql_path ? m->sql_path : "", u->against,
		    p->migrations, want ? want : "?");
	}
	for (i = 0; i < d->nr; i++)
		if (old[i].folder != NONE)
			compare_files(u, f, &f->items[old[i].folder],
				      &d->items[i], &old[i]);
	compare_order(u, f, d, &plan, old);
	compare_rest(u, f, d, old, used, &added);
	say(u, "%s: '%s' is in the folder layout (drizzle 1.0), %zu "
	    "folder%s; compared with the journal layout at %s, %zu "
	    "migration%s", p->name, p->migrations, f->nr,
	    f->nr == 1 ? "" : "s", u->against, d->nr, d->nr == 1 ? "" : "s");
	if (added)
		say(u, "%zu folder%s newer than the journal at %s", added,
		    added == 1 ? " is" : "s are", u->against);
	if (u->report.nr == before)
		say(u, "every migration is in the folder drizzle-kit up names "
		    "it, same SQL bytes, ids and order, nothing lost. Next: "
		    "`migguard-apply --dry-run` on a database migrated by "
		    "drizzle-orm 0.45 shows how the 1.0 migrator upgrades its "
		    "table");
	else
		say(u, "%zu difference%s from what drizzle-kit up writes "
		    "(below)", u->report.nr - before,
		    u->report.nr - before == 1 ? "" : "s");
	mg_strbuf_addf(&u->json, ",\"journalMigrations\":%zu,\"folders\":%zu,"
		       "\"newer\":%zu,\"differences\":%zu}", d->nr, f->nr,
		       added, u->report.nr - before);
out:
	free(used);
	free(old);
	mg_up_plan_release(&plan);
	mg_migfolder_free(f);
	mg_migdir_free(d);
	mg_layout_info_release(&at);
	return err;
}

/* ------------------------------------------------------------ main --- */

static int check_project(struct upcheck *u, const struct mg_project *p)
{
	struct mg_layout_info info;
	char *message = NULL, *hint = NULL;
	int err;

	memset(&info, 0, sizeof(info));
	err = mg_layout_detect(&info, u->tree, p->migrations);
	if (err < 0)
		return err;
	switch (info.layout) {
	case MG_LAYOUT_JOURNAL:
		before_up(u, p);
		break;
	case MG_LAYOUT_FOLDER:
		if (u->against) {
			err = after_up(u, p);
			break;
		}
		json_project_open(u, p, info.layout);
		mg_strbuf_addf(&u->json, ",\"folders\":%zu}", info.folders);
		say(u, "%s: '%s' is already in the folder layout (drizzle "
		    "1.0), %zu folder%s: `migguard up-check --against REV` "
		    "compares it with the journal layout at REV, the commit "
		    "before drizzle-kit up", p->name, p->migrations,
		    info.folders, info.folders == 1 ? "" : "s");
		break;
	case MG_LAYOUT_BOTH:
		json_project_open(u, p, info.layout);
		mg_strbuf_addch(&u->json, '}');
		mg_layout_both_message(&info, &message, &hint);
		mg_report_add(&u->report, "journal-invalid", info.journal_path,
			      0, 0, hint, "%s", message);
		say(u, "%s: '%s' holds both layouts: drizzle-kit up was not "
		    "finished (below)", p->name, p->migrations);
		break;
	case MG_LAYOUT_NONE:
		json_project_open(u, p, info.layout);
		mg_strbuf_addch(&u->json, '}');
		say(u, "%s: no migrations found in '%s' (neither "
		    "meta/_journal.json nor migration folders): nothing to "
		    "check", p->name, p->migrations);
		break;
	}
	free(message);
	free(hint);
	mg_layout_info_release(&info);
	return err;
}

static int run(struct upcheck *u)
{
	size_t i, checked = 0;

	for (i = 0; i < u->cfg.projects_nr; i++) {
		const struct mg_project *p = &u->cfg.projects[i];

		if (u->project && strcmp(p->name, u->project))
			continue;
		checked++;
		if (!mg_project_drizzle_migrator(p)) {
			say(u, "%s: \"migrator\": \"%s\" in %s: not drizzle's "
			    "migrator, nothing to convert", p->name,
			    p->migrator, u->cfg.source);
			continue;
		}
		if (check_project(u, p) < 0)
			return MG_ERROR;
	}
	if (u->project && !checked)
		return mg_error_set("no project named '%s' in %s", u->project,
				    u->cfg.source);
	if (!u->cfg.projects_nr)
		say(u, "no drizzle project found (no drizzle.config.* for "
		    "postgresql, no \"projects\" in .migguard.json): nothing "
		    "checked");
	return 0;
}

static void print(struct upcheck *u, struct mg_strbuf *out)
{
	struct mg_strbuf findings = MG_STRBUF_INIT;
	static const char head[] = "{\"version\":1,";

	mg_report_sort(&u->report);
	mg_report_format(&findings, &u->report, u->cli.format, u->cli.color);
	if (u->cli.format == MG_FORMAT_JSON &&
	    !strncmp(findings.buf, head, sizeof(head) - 1)) {
		mg_strbuf_adds(out, head);
		mg_strbuf_adds(out, "\"projects\":[");
		mg_strbuf_add(out, u->json.buf, u->json.len);
		mg_strbuf_adds(out, "],");
		mg_strbuf_adds(out, findings.buf + sizeof(head) - 1);
	} else {
		if (u->cli.format == MG_FORMAT_TEXT)
			mg_strbuf_add(out, u->text.buf, u->text.len);
		else
			fwrite(u->text.buf, 1, u->text.len, stderr);
		mg_strbuf_add(out, findings.buf, findings.len);
	}
	mg_strbuf_release(&findings);
}

int mg_cli_upcheck_main(int argc, char **argv)
{
	struct mg_strbuf out = MG_STRBUF_INIT, tail = MG_STRBUF_INIT;
	struct upcheck u;
	size_t errors, warnings;
	int ret;

	memset(&u, 0, sizeof(u));
	mg_report_init(&u.report);
	ret = parse(&u, argc, argv);
	if (ret >= 0)
		goto out;
	ret = MG_EXIT_FAILURE;
	if (open_trees(&u) < 0) {
		mg_cli_fail(&u.cli, "%s", mg_error_last());
		goto out;
	}
	mg_config_apply(&u.cfg, &u.report);
	if (run(&u) < 0) {
		mg_cli_fail(&u.cli, "%s", mg_error_last());
		goto out;
	}
	print(&u, &out);
	fwrite(out.buf, 1, out.len, stdout);
	mg_report_format_notes(&tail, &u.report);
	mg_report_summary(&tail, &u.report);
	fflush(stdout);
	fwrite(tail.buf, 1, tail.len, stderr);
	mg_report_count(&u.report, &errors, &warnings);
	ret = mg_cli_output_status(&u.cli, errors ? MG_EXIT_FINDINGS
						  : MG_EXIT_OK);
out:
	mg_strbuf_release(&tail);
	mg_strbuf_release(&out);
	mg_strbuf_release(&u.text);
	mg_strbuf_release(&u.json);
	mg_report_release(&u.report);
	if (u.cfg_loaded)
		mg_config_release(&u.cfg);
	mg_tree_free(u.old);
	mg_tree_free(u.tree);
	mg_repo_free(u.repo);
	mg_cli_release(&u.cli);
	return ret;
}

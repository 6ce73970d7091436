#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migguard/report.h"

static const struct mg_rule rules[] = {
	/* pair */
	{ "schema-without-migration", "pair", MG_SEVERITY_ERROR,
	  "a schema file changed and no migration was generated for it" },
	{ "migration-without-schema", "pair", MG_SEVERITY_ERROR,
	  "a generated migration was committed without its schema change" },
	{ "migration-incomplete", "pair", MG_SEVERITY_ERROR,
	  "a new migration lacks its SQL, snapshot or journal entry" },
	/* journal */
	{ "journal-invalid", "journal", MG_SEVERITY_ERROR,
	  "_journal.json is missing or malformed" },
	{ "journal-missing-sql", "journal", MG_SEVERITY_ERROR,
	  "a journal entry has no SQL file" },
	{ "journal-missing-snapshot", "journal", MG_SEVERITY_ERROR,
	  "a journal entry has no snapshot" },
	{ "orphan-sql", "journal", MG_SEVERITY_ERROR,
	  "an SQL file is not in the journal and will never be applied" },
	{ "orphan-snapshot", "journal", MG_SEVERITY_ERROR,
	  "a snapshot is not in the journal" },
	{ "journal-idx-order", "journal", MG_SEVERITY_ERROR,
	  "journal idx or tag prefixes are out of order" },
	{ "journal-duplicate-tag", "journal", MG_SEVERITY_ERROR,
	  "two journal entries share a tag or prefix" },
	{ "journal-when-order", "journal", MG_SEVERITY_ERROR,
	  "journal timestamps are not increasing: the migrator skips entries" },
	{ "snapshot-invalid", "journal", MG_SEVERITY_ERROR,
	  "a snapshot is malformed" },
	{ "snapshot-chain-broken", "journal", MG_SEVERITY_ERROR,
	  "snapshot prevId links do not form the journal's chain" },
	{ "snapshot-collision", "journal", MG_SEVERITY_ERROR,
	  "two snapshots share a prevId: branches were merged" },
	{ "migration-edited", "journal", MG_SEVERITY_ERROR,
	  "a committed migration was changed" },
	{ "migration-deleted", "journal", MG_SEVERITY_ERROR,
	  "a committed migration was deleted" },
	{ "journal-partial", "journal", MG_SEVERITY_ERROR,
	  "the journal lists only a fraction of the SQL files: another "
	  "migrator" },
	{ "migration-renamed", "journal", MG_SEVERITY_ERROR,
	  "a published 1.0 migration folder was renamed: the 1.0 migrator "
	  "runs it again" },
	/* lint */
	{ "sql-parse-error", "lint", MG_SEVERITY_ERROR,
	  "a statement the PostgreSQL 15 grammar rejects: it fails at deploy" },
	{ "drop-table", "lint", MG_SEVERITY_ERROR, "a table is dropped" },
	{ "drop-column", "lint", MG_SEVERITY_ERROR, "a column is dropped" },
	{ "rename-as-drop", "lint", MG_SEVERITY_ERROR,
	  "a rename generated as DROP COLUMN plus ADD COLUMN" },
	{ "missing-if-not-exists", "lint", MG_SEVERITY_WARNING,
	  "a CREATE or DROP without an existence guard" },
	{ "enum-without-guard", "lint", MG_SEVERITY_ERROR,
	  "CREATE TYPE AS ENUM outside a duplicate_object guard" },
	{ "extension-without-guard", "lint", MG_SEVERITY_ERROR,
	  "CREATE EXTENSION without IF NOT EXISTS" },
	{ "rls-missing", "lint", MG_SEVERITY_ERROR,
	  "a tenant table without row level security" },
	{ "rls-policy-missing", "lint", MG_SEVERITY_ERROR,
	  "a tenant table without a policy for each command" },
	{ "identifier-too-long", "lint", MG_SEVERITY_ERROR,
	  "an identifier over 63 bytes, silently truncated by PostgreSQL" },
	{ "index-name-collision", "lint", MG_SEVERITY_ERROR,
	  "an index or constraint name already in use" },
	{ "fk-on-delete", "lint", MG_SEVERITY_WARNING,
	  "a foreign key's ON DELETE differs from the project convention" },
	{ "concurrently-in-transaction", "lint", MG_SEVERITY_ERROR,
	  "CONCURRENTLY cannot run inside the migrator's transaction" },
	{ "manual-addition-without-header", "lint", MG_SEVERITY_WARNING,
	  "hand-written SQL without a '-- Manual addition:' header" },
	{ "transaction-control", "lint", MG_SEVERITY_ERROR,
	  "COMMIT, ROLLBACK, BEGIN, SAVEPOINT... break the migrator's one "
	  "transaction" },
	{ "migration-empty", "lint", MG_SEVERITY_ERROR,
	  "a migration with no statement: recorded as applied, nothing run" },
	{ "drop-cascade", "lint", MG_SEVERITY_ERROR,
	  "DROP SCHEMA/TYPE/DOMAIN/EXTENSION or DROP CONSTRAINT with CASCADE "
	  "drops what depends on it, data included" },
	{ "drop-view", "lint", MG_SEVERITY_WARNING,
	  "a view or materialized view is dropped" },
	{ "truncate", "lint", MG_SEVERITY_ERROR,
	  "TRUNCATE deletes every row" },
	{ "delete-without-where", "lint", MG_SEVERITY_ERROR,
	  "DELETE without WHERE deletes every row" },
	{ "update-without-where", "lint", MG_SEVERITY_WARNING,
	  "UPDATE without WHERE overwrites every row (backfills of new "
	  "columns excepted)" },
	/* docs */
	{ "doc-needs-update", "docs", MG_SEVERITY_WARNING,
	  "a documentation page describes what changed" },
	/* apply */
	{ "apply-failed", "apply", MG_SEVERITY_ERROR,
	  "a migration statement failed" },
	{ "applied-migration-modified", "apply", MG_SEVERITY_ERROR,
	  "an applied migration's file no longer matches its hash" },
	{ "applied-migration-missing", "apply", MG_SEVERITY_ERROR,
	  "a row in the migrations table whose migration is gone" },
	{ "migration-would-be-skipped", "apply", MG_SEVERITY_ERROR,
	  "drizzle's migrator would silently skip a migration" },
	{ "apply-count-mismatch", "apply", MG_SEVERITY_ERROR,
	  "the applied count differs from the journal after applying" },
	{ "remote-database-refused", "apply", MG_SEVERITY_ERROR,
	  "the database is not local and --allow-remote was not given" },
	/* the baseline (migguard baseline) */
	{ "baseline-stale", "check", MG_SEVERITY_WARNING,
	  "a .migguard-baseline.json entry that matches no finding" },
};

#define RULES_NR (sizeof(rules) / sizeof(rules[0]))

const struct mg_rule *mg_rules_all(size_t *nr)
{
	*nr = RULES_NR;
	return rules;
}

static int rule_index(const char *id)
{
	size_t i;

	for (i = 0; i < RULES_NR; i++)
		if (!strcmp(rules[i].id, id))
			return (int)i;
	return -1;
}

const struct mg_rule *mg_rule_find(const char *id)
{
	int i = rule_index(id);

	return i < 0 ? NULL : &rules[i];
}

int mg_severity_parse(enum mg_severity *out, const char *name)
{
	if (!strcmp(name, "error"))
		*out = MG_SEVERITY_ERROR;
	else if (!strcmp(name, "warning"))
		*out = MG_SEVERITY_WARNING;
	else if (!strcmp(name, "off"))
		*out = MG_SEVERITY_OFF;
	else
		return MG_EUSAGE;
	return 0;
}

const char *mg_severity_name(enum mg_severity sev)
{
	switch (sev) {
	case MG_SEVERITY_ERROR:
		return "error";
	case MG_SEVERITY_WARNING:
		return "warning";
	default:
		return "off";
	}
}

void mg_report_init(struct mg_report *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->severity = mg_xcalloc(RULES_NR, sizeof(*r->severity));
	for (i = 0; i < RULES_NR; i++)
		r->severity[i] = rules[i].severity;
}

void mg_report_init_like(struct mg_report *r, const struct mg_report *like)
{
	mg_report_init(r);
	memcpy(r->severity, like->severity, RULES_NR * sizeof(*r->severity));
}

static void finding_release(struct mg_finding *f)
{
	free(f->path);
	free(f->message);
	free(f->hint);
}

void mg_report_release(struct mg_report *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		finding_release(&r->items[i]);
	free(r->items);
	for (i = 0; i < r->notes_nr; i++)
		free(r->notes[i]);
	free(r->notes);
	free(r->severity);
	memset(r, 0, sizeof(*r));
}

int mg_report_set_severity(struct mg_report *r, const char *rule,
			   enum mg_severity sev)
{
	int i = rule_index(rule);

	if (i < 0)
		return mg_error_set_code(MG_ENOTFOUND, "unknown rule '%s'",
					 rule);
	r->severity[i] = sev;
	return 0;
}

enum mg_severity mg_report_severity(const struct mg_report *r,
				    const char *rule)
{
	int i = rule_index(rule);

	return i < 0 ? MG_SEVERITY_OFF : r->severity[i];
}

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static unsigned long long fnv_byte(unsigned long long h, unsigned char c)
{
	return (h ^ c) * FNV_PRIME;
}

static unsigned long long fnv_str(unsigned long long h, const char *s)
{
	for (; *s; s++)
		h = fnv_byte(h, (unsigned char)*s);
	return fnv_byte(h, 0);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\f' || c == '\v';
}

/* skip_digits: a message (positions in it change); else whitespace. */
static void fingerprint_of(char out[17], const char *rule, const char *path,
			   const char *text, size_t len, int skip_digits)
{
	unsigned long long h = FNV_OFFSET;
	size_t i;
	int space = 0;

	/* Not the path: findings carry it beside, and moves keep this. */
	(void)path;
	h = fnv_str(h, rule);
	for (i = 0; i < len; i++) {
		char c = text[i];

		if (skip_digits && c >= '0' && c <= '9')
			continue;
		if (!skip_digits && is_space(c)) {
			space = 1;
			continue;
		}
		if (space)
			h = fnv_byte(h, ' ');
		space = 0;
		h = fnv_byte(h, (unsigned char)c);
	}
	snprintf(out, 17, "%016llx", h);
}

void mg_fingerprint(char out[17], const char *rule, const char *path,
		    const char *text, size_t len)
{
	fingerprint_of(out, rule, path, text, len, 0);
}

void mg_report_anchor(struct mg_report *r, size_t since, const char *text,
		      size_t len)
{
	size_t i;

	for (i = since; i < r->nr; i++)
		fingerprint_of(r->items[i].fingerprint, r->items[i].rule,
			       r->items[i].path, text, len, 0);
}

size_t mg_report_subtract(struct mg_report *r, size_t since,
			  const struct mg_report *base)
{
	unsigned char *used = NULL;
	size_t i, k, out = since, dropped = 0;

	if (since >= r->nr || !base->nr)
		return 0;
	used = mg_xcalloc(base->nr, 1);
	for (i = since; i < r->nr; i++) {
		struct mg_finding *f = &r->items[i];

		for (k = 0; k < base->nr; k++) {
			const struct mg_finding *b = &base->items[k];

			if (!used[k] && !strcmp(b->fingerprint, f->fingerprint) &&
			    b->rule == f->rule && !strcmp(b->path, f->path))
				break;
		}
		if (k < base->nr) {
			used[k] = 1;
			dropped++;
			finding_release(f);
			continue;
		}
		r->items[out++] = *f;
	}
	r->nr = out;
	free(used);
	return dropped;
}

void mg_report_add(struct mg_report *r, const char *rule, const char *path,
		   unsigned line, unsigned column, const char *hint,
		   const char *fmt, ...)
{
	struct mg_strbuf msg = MG_STRBUF_INIT;
	struct mg_finding *f;
	va_list ap;
	int i = rule_index(rule);

	if (i < 0)
		abort(); /* a rule id missing from the table is a bug */
	if (r->severity[i] == MG_SEVERITY_OFF)
		return;
	va_start(ap, fmt);
	mg_strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	r->nr++;
	MG_ALLOC_GROW(r->items, r->nr, r->alloc);
	f = &r->items[r->nr - 1];
	f->rule = rules[i].id;
	f->severity = r->severity[i];
	f->path = mg_xstrdup(path ? path : "");
	f->line = line;
	f->column = column;
	f->hint = hint ? mg_xstrdup(hint) : NULL;
	fingerprint_of(f->fingerprint, f->rule, f->path, msg.buf, msg.len, 1);
	f->message = mg_strbuf_detach(&msg, NULL);
}

void mg_report_note(struct mg_report *r, const char *fmt, ...)
{
	struct mg_strbuf sb = MG_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	mg_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	r->notes_nr++;
	MG_ALLOC_GROW(r->notes, r->notes_nr, r->notes_alloc);
	r->notes[r->notes_nr - 1] = mg_strbuf_detach(&sb, NULL);
}

static int cmp_finding(const void *a_, const void *b_)
{
	const struct mg_finding *a = a_, *b = b_;
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	c = strcmp(a->rule, b->rule);
	if (c)
		return c;
	return strcmp(a->message, b->message);
}

void mg_report_sort(struct mg_report *r)
{
	size_t i, out = 0;

	if (r->nr > 1)
		qsort(r->items, r->nr, sizeof(*r->items), cmp_finding);
	for (i = 0; i < r->nr; i++) {
		if (out && !cmp_finding(&r->items[out - 1], &r->items[i])) {
			finding_release(&r->items[i]);
			continue;
		}
		r->items[out++] = r->items[i];
	}
	r->nr = out;
}

void mg_report_count(const struct mg_report *r, size_t *errors,
		     size_t *warnings)
{
	size_t i;

	*errors = *warnings = 0;
	for (i = 0; i < r->nr; i++) {
		if (r->items[i].severity == MG_SEVERITY_ERROR)
			(*errors)++;
		else if (r->items[i].severity == MG_SEVERITY_WARNING)
			(*warnings)++;
	}
}

void mg_report_move(struct mg_report *dst, struct mg_report *src)
{
	size_t i;

	for (i = 0; i < src->nr; i++) {
		dst->nr++;
		MG_ALLOC_GROW(dst->items, dst->nr, dst->alloc);
		dst->items[dst->nr - 1] = src->items[i];
	}
	src->nr = 0;
	for (i = 0; i < src->notes_nr; i++) {
		dst->notes_nr++;
		MG_ALLOC_GROW(dst->notes, dst->notes_nr, dst->notes_alloc);
		dst->notes[dst->notes_nr - 1] = src->notes[i];
	}
	src->notes_nr = 0;
	dst->preexisting += src->preexisting;
	dst->counts_preexisting |= src->counts_preexisting;
	src->preexisting = 0;
}

int mg_format_parse(enum mg_format *out, const char *name)
{
	if (!strcmp(name, "text"))
		*out = MG_FORMAT_TEXT;
	else if (!strcmp(name, "json"))
		*out = MG_FORMAT_JSON;
	else if (!strcmp(name, "github"))
		*out = MG_FORMAT_GITHUB;
	else if (!strcmp(name, "sarif"))
		*out = MG_FORMAT_SARIF;
	else
		return mg_error_set_code(MG_EUSAGE,
			"unknown format '%s' (text, json, github, sarif)", name);
	return 0;
}

static void format_text(struct mg_strbuf *out, const struct mg_report *r,
			int color)
{
	const char *bold = color ? "\033[1m" : "";
	const char *red = color ? "\033[1;31m" : "";
	const char *magenta = color ? "\033[1;35m" : "";
	const char *cyan = color ? "\033[1;36m" : "";
	const char *reset = color ? "\033[0m" : "";
	size_t i;

	/*
	 * Paths and messages carry names from the repository: quoted and
	 * escaped, so that no byte of theirs ends a line or drives the
	 * terminal (mg_strbuf_add_quoted).
	 */
	for (i = 0; i < r->nr; i++) {
		const struct mg_finding *f = &r->items[i];
		int err = f->severity == MG_SEVERITY_ERROR;

		/* Editors' problem matchers want path:line:col: always. */
		mg_strbuf_adds(out, bold);
		mg_strbuf_add_quoted(out, f->path[0] ? f->path : ".");
		mg_strbuf_addf(out, ":%u:%u", f->line ? f->line : 1,
			       f->column ? f->column : 1);
		mg_strbuf_addf(out, ":%s %s%s:%s ", reset,
			       err ? red : magenta, err ? "error" : "warning",
			       reset);
		mg_strbuf_add_escaped(out, f->message);
		mg_strbuf_addf(out, " [%s]\n", f->rule);
		if (f->hint) {
			mg_strbuf_addf(out, "  %shint:%s ", cyan, reset);
			mg_strbuf_add_escaped(out, f->hint);
			mg_strbuf_addch(out, '\n');
		}
	}
}

static void format_json(struct mg_strbuf *out, const struct mg_report *r)
{
	size_t i, errors, warnings;

	mg_strbuf_adds(out, "{\"version\":1,\"findings\":[");
	for (i = 0; i < r->nr; i++) {
		const struct mg_finding *f = &r->items[i];

		mg_strbuf_adds(out, i ? ",{\"rule\":" : "{\"rule\":");
		mg_strbuf_add_json_string(out, f->rule);
		mg_strbuf_adds(out, ",\"severity\":");
		mg_strbuf_add_json_string(out, mg_severity_name(f->severity));
		mg_strbuf_adds(out, ",\"path\":");
		mg_strbuf_add_json_string(out, f->path);
		mg_strbuf_addf(out, ",\"line\":%u,\"column\":%u,\"message\":",
			       f->line, f->column);
		mg_strbuf_add_json_string(out, f->message);
		mg_strbuf_adds(out, ",\"hint\":");
		if (f->hint)
			mg_strbuf_add_json_string(out, f->hint);
		else
			mg_strbuf_adds(out, "null");
		mg_strbuf_addch(out, '}');
	}
	mg_report_count(r, &errors, &warnings);
	mg_strbuf_addf(out, "],\"summary\":{\"errors\":%zu,\"warnings\":%zu",
		       errors, warnings);
	if (r->counts_preexisting)
		mg_strbuf_addf(out, ",\"preexisting\":%zu", r->preexisting);
	mg_strbuf_adds(out, "}}\n");
}

/*
 * GitHub workflow commands: %, CR, LF always; ':' and ',' in properties.
 * With quote, s is first quoted (a property) or escaped (the message) as
 * in the text format, so no control byte reaches the log.
 */
static void add_github_escaped(struct mg_strbuf *out, const char *s,
			       int property, int quote)
{
	struct mg_strbuf q = MG_STRBUF_INIT;

	if (quote) {
		if (property)
			mg_strbuf_add_quoted(&q, s);
		else
			mg_strbuf_add_escaped(&q, s);
		s = q.buf;
	}
	for (; *s; s++) {
		if (*s == '%')
			mg_strbuf_adds(out, "%25");
		else if (*s == '\r')
			mg_strbuf_adds(out, "%0D");
		else if (*s == '\n')
			mg_strbuf_adds(out, "%0A");
		else if (property && *s == ':')
			mg_strbuf_adds(out, "%3A");
		else if (property && *s == ',')
			mg_strbuf_adds(out, "%2C");
		else
			mg_strbuf_addch(out, *s);
	}
	mg_strbuf_release(&q);
}

static void format_github(struct mg_strbuf *out, const struct mg_report *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		const struct mg_finding *f = &r->items[i];

		mg_strbuf_addf(out, "::%s file=",
			       f->severity == MG_SEVERITY_ERROR ? "error"
								: "warning");
		add_github_escaped(out, f->path, 1, 1);
		mg_strbuf_addf(out, ",line=%u,col=%u,title=",
			       f->line ? f->line : 1, f->column ? f->column : 1);
		add_github_escaped(out, f->rule, 1, 0);
		mg_strbuf_adds(out, "::");
		add_github_escaped(out, f->message, 0, 1);
		if (f->hint) {
			add_github_escaped(out, "\nhint: ", 0, 0);
			add_github_escaped(out, f->hint, 0, 1);
		}
		mg_strbuf_addch(out, '\n');
	}
}

static void format_sarif(struct mg_strbuf *out, const struct mg_report *r)
{
	size_t i;

	mg_strbuf_adds(out,
		"{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
		"\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{"
		"\"name\":\"migguard\",\"informationUri\":"
		"\"https://github.com/migguard/migguard\",\"version\":");
	mg_strbuf_add_json_string(out, MIGGUARD_VERSION);
	mg_strbuf_adds(out, ",\"rules\":[");
	for (i = 0; i < RULES_NR; i++) {
		mg_strbuf_adds(out, i ? ",{\"id\":" : "{\"id\":");
		mg_strbuf_add_json_string(out, rules[i].id);
		mg_strbuf_adds(out, ",\"shortDescription\":{\"text\":");
		mg_strbuf_add_json_string(out, rules[i].summary);
		mg_strbuf_adds(out, "},\"defaultConfiguration\":{\"level\":");
		mg_strbuf_add_json_string(out,
			rules[i].severity == MG_SEVERITY_ERROR ? "error"
							       : "warning");
		mg_strbuf_adds(out, "}}");
	}
	mg_strbuf_adds(out, "]}},\"results\":[");
	for (i = 0; i < r->nr; i++) {
		const struct mg_finding *f = &r->items[i];
		int idx = rule_index(f->rule);

		mg_strbuf_adds(out, i ? ",{\"ruleId\":" : "{\"ruleId\":");
		mg_strbuf_add_json_string(out, f->rule);
		mg_strbuf_addf(out, ",\"ruleIndex\":%d,\"level\":", idx);
		mg_strbuf_add_json_string(out,
			f->severity == MG_SEVERITY_ERROR ? "error" : "warning");
		mg_strbuf_adds(out, ",\"message\":{\"text\":");
		if (f->hint) {
			char *text = mg_xstrfmt("%s\nhint: %s", f->message,
						f->hint);

			mg_strbuf_add_json_string(out, text);
			free(text);
		} else {
			mg_strbuf_add_json_string(out, f->message);
		}
		mg_strbuf_adds(out, "},\"locations\":[{\"physicalLocation\":{"
				    "\"artifactLocation\":{\"uri\":");
		mg_strbuf_add_json_string(out, f->path[0] ? f->path : ".");
		mg_strbuf_addf(out, "},\"region\":{\"startLine\":%u,"
				    "\"startColumn\":%u}}}],"
				    "\"partialFingerprints\":{"
				    "\"migguardFingerprint/v1\":\"%s\"}}",
			       f->line ? f->line : 1, f->column ? f->column : 1,
			       f->fingerprint);
	}
	mg_strbuf_adds(out, "]}]}\n");
}

void mg_report_format(struct mg_strbuf *out, const struct mg_report *r,
		      enum mg_format format, int color)
{
	switch (format) {
	case MG_FORMAT_TEXT:
		format_text(out, r, color);
		break;
	case MG_FORMAT_JSON:
		format_json(out, r);
		break;
	case MG_FORMAT_GITHUB:
		format_github(out, r);
		break;
	case MG_FORMAT_SARIF:
		format_sarif(out, r);
		break;
	}
}

void mg_report_format_notes(struct mg_strbuf *out, const struct mg_report *r)
{
	size_t i;

	for (i = 0; i < r->notes_nr; i++) {
		mg_strbuf_add_escaped(out, r->notes[i]);
		mg_strbuf_addch(out, '\n');
	}
}

void mg_report_summary(struct mg_strbuf *out, const struct mg_report *r)
{
	size_t errors, warnings;

	mg_report_count(r, &errors, &warnings);
	if (r->preexisting == 1)
		mg_strbuf_adds(out, "migguard: 1 problem was already there "
				    "before this change (migguard check --all "
				    "lists it)\n");
	else if (r->preexisting)
		mg_strbuf_addf(out, "migguard: %zu problems were already there "
				    "before this change (migguard check --all "
				    "lists them)\n", r->preexisting);
	mg_strbuf_addf(out, "migguard: %zu error%s, %zu warning%s\n", errors,
		       errors == 1 ? "" : "s", warnings,
		       warnings == 1 ? "" : "s");
}

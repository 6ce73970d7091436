/*
 * The conventions of a project, which the convention rules enforce:
 * enum guards, extension guards, IF NOT EXISTS guards from a migration on,
 * tenant tables with row level security and four policies, one ON DELETE
 * action for foreign keys, the "-- Manual addition:" header. A convention
 * is on when .migguard.json configures it (a lint key, or a severity for
 * one of its rules) or when the project's published migrations show it;
 * a project that never followed one is not told to.
 *
 * Shown means, for each occurrence in journal order (an enum created, a
 * DDL statement that can take a guard, a hand-written statement, a table
 * with the tenant column): some migration holds one that follows it, and
 * from that migration on at least two thirds of them do. Foreign keys: at
 * least two, and two thirds of them share one action other than drizzle's
 * default "no action". Deterministic; one parse of each published
 * migration, with the PostgreSQL parser.
 */
#ifndef MIGGUARD_CONVENTIONS_H
#define MIGGUARD_CONVENTIONS_H

#include <stddef.h>

#include "migguard/config.h"
#include "migguard/migdir.h"
#include "migguard/strbuf.h"

enum mg_convention_kind {
	MG_CONVENTION_ENUM_GUARDS,
	MG_CONVENTION_EXTENSION_GUARDS,
	MG_CONVENTION_DDL_GUARDS,
	MG_CONVENTION_TENANT,
	MG_CONVENTION_FK_ON_DELETE,
	MG_CONVENTION_MANUAL_HEADER,
	MG_CONVENTION_NR
};

enum mg_convention_source {
	MG_CONVENTION_NONE,	  /* neither configured nor shown: off */
	MG_CONVENTION_CONFIGURED, /* a "lint" key of .migguard.json */
	MG_CONVENTION_RULE,	  /* a severity set for one of its rules */
	MG_CONVENTION_INFERRED,	  /* shown by the published migrations */
};

struct mg_convention {
	enum mg_convention_source source;
	int on;
	unsigned config_line; /* CONFIGURED, RULE: line in .migguard.json */
	/* What the migrations show, whatever the source. */
	int shown;	      /* the inference alone would turn it on */
	size_t follow, total; /* occurrences counted, and those following */
	char *first;	      /* "path:line" of the first that follows */
	const char *candidate; /* fk-on-delete: the action counted, or NULL */
	struct mg_strlist migrations; /* migrations holding those */
};

struct mg_conventions {
	struct mg_lint_options opts; /* what the lint rules get (owned) */
	struct mg_convention items[MG_CONVENTION_NR];
	struct mg_strlist read; /* the migrations read, journal order */
};

/* "enum-guards", ...: the name `migguard conventions` prints. */
const char *mg_convention_name(enum mg_convention_kind k);
/* The rule ids it gates, comma-separated. */
const char *mg_convention_rules(enum mg_convention_kind k);

/*
 * The conventions of the project whose published migrations folder is
 * published (NULL: none, e.g. files from disk), merged with cfg's
 * settings. MG_ERROR only when the parser could not run.
 */
int mg_conventions_infer(struct mg_conventions *out,
			 const struct mg_config *cfg,
			 struct mg_migdir *published);
void mg_conventions_release(struct mg_conventions *c);
void mg_conventions_free(struct mg_conventions *c);

/*
 * The "lint" member of .migguard.json that pins c as it is now, one key a
 * line, each line starting with indent: `"lint": {...}`.
 */
void mg_conventions_pin(struct mg_strbuf *out,
			const struct mg_conventions *c, const char *indent);

/*
 * What `migguard conventions` prints for project p: text (each
 * convention, its value and source, the counts, the migrations that show
 * it, the "lint" snippet that pins them) or one JSON object.
 */
void mg_conventions_describe(struct mg_strbuf *out,
			     const struct mg_project *p,
			     const struct mg_conventions *c, int json);

struct mg_report;
struct mg_context;

/*
 * The lint check with each project's conventions (mg_context_lint_options):
 * what `migguard check`, migguard-lint and the hooks run.
 */
int mg_conventions_lint_check(struct mg_report *r, struct mg_context *ctx);

#endif

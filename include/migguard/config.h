/*
 * Configuration: .migguard.json from the checked tree, or, without it,
 * every tracked drizzle.config.{ts,js,mjs,cjs,json}. All paths are
 * repository-relative with '/' and no leading "./".
 */
#ifndef MIGGUARD_CONFIG_H
#define MIGGUARD_CONFIG_H

#include "migguard/report.h"
#include "migguard/strbuf.h"
#include "migguard/tree.h"

struct mg_project {
	char *name;	   /* config name, or the drizzle config's folder */
	char *config_path; /* the drizzle.config file or ".migguard.json" */
	char *root;	   /* folder of the drizzle config ("" = top) */
	/*
	 * The folder drizzle-kit runs in, against which "schema" and "out"
	 * resolve: a package.json folder whose script passes --config with
	 * this config, else root.
	 */
	char *run_dir;
	struct mg_strlist schema; /* folders, files or globs to watch */
	/*
	 * The schema as drizzle-kit reads it: files, folders (their script
	 * files) and globs as written, repository-relative. The files they
	 * import are schema too (mg_schema_files).
	 */
	struct mg_strlist schema_entries;
	char *migrations;	  /* the migrations folder ("out") */
	char *prefix;		  /* index|timestamp|supabase|unix|none */
	char *migrations_table;	  /* default "__drizzle_migrations" */
	char *migrations_schema;  /* default "drizzle" */
	char *generate_command;	  /* e.g. "pnpm db:generate", or NULL */
	/*
	 * Who runs the migrations: "drizzle" (default: journal, apply),
	 * "supabase" (files in name order, no journal rules) or "none" (no
	 * journal or apply rules). Pair and lint apply to all.
	 */
	char *migrator;
};

/* 1 when drizzle's migrator runs p's folder (journal rules, apply). */
int mg_project_drizzle_migrator(const struct mg_project *p);

/*
 * The conventions the convention rules enforce. Each is off unless
 * configured or shown by the project's published migrations (see
 * conventions.h, which fills these per project for the checks).
 */
struct mg_lint_options {
	int guards_from_index;	/* missing-if-not-exists from this idx on; -1 off */
	char *tenant_column;	/* rls-missing, rls-policy-missing; NULL off */
	char *tenant_role;	/* the policies' role; NULL off */
	char *fk_on_delete;	/* fk-on-delete: "cascade", ...; NULL off */
	int enum_guards;	/* enum-without-guard: 1 on, 0 off */
	int extension_guards;	/* extension-without-guard */
	int manual_header;	/* manual-addition-without-header */
};

/*
 * Which lint options .migguard.json sets explicitly: the line of the key
 * (1-based), 0 when not set. A set option is used as written (false, the
 * "off" value, included); an unset one is inferred.
 */
struct mg_lint_configured {
	unsigned guards_from_index, tenant, fk_on_delete;
	unsigned enum_guards, extension_guards, manual_header;
};

struct mg_docs_map {
	struct mg_strlist when;	 /* globs of code paths */
	struct mg_strlist pages; /* page paths or globs */
	unsigned line;		 /* where it is in .migguard.json */
};

struct mg_apply_options {
	char *database_url_env; /* "DATABASE_URL" */
	char *pre_push;		/* dry-run|apply|fresh|off */
	int required;
	int allow_remote;
	char *migrations_schema; /* override of the project's, or NULL */
	char *migrations_table;
};

struct mg_config {
	char *source; /* ".migguard.json" or "drizzle.config discovery" */
	struct mg_project *projects;
	size_t projects_nr, projects_alloc;
	/* rule severities, applied to a report with mg_config_apply */
	struct mg_strlist severity_rules;
	enum mg_severity *severity_values;
	unsigned *severity_lines; /* where each is set in .migguard.json */
	/* The lint options as configured; lint_set says which are. */
	struct mg_lint_options lint;
	struct mg_lint_configured lint_set;
	struct mg_docs_map *docs;
	size_t docs_nr, docs_alloc;
	struct mg_strlist docs_roots; /* default "docs" */
	struct mg_strlist pair_ignore; /* globs under schema paths to ignore */
	struct mg_apply_options apply;
	char *protected_ref; /* e.g. "origin/main", or NULL */
};

/*
 * Load from tree: .migguard.json if present, else discovery. An invalid
 * file is MG_ERROR with "path:line:col: reason" in mg_error_last().
 */
int mg_config_load(struct mg_config *cfg, struct mg_tree *tree);
/* Parse .migguard.json text (tests, fuzzing). */
int mg_config_parse_json(struct mg_config *cfg, const char *path,
			 const char *buf, size_t len);
/* Read schema/out/migrations.* from a drizzle.config.* text. */
int mg_config_parse_drizzle(struct mg_project *p, const char *path,
			    const char *buf, size_t len);
/* The same, with paths resolved against run_dir ("" = top). */
int mg_config_parse_drizzle_at(struct mg_project *p, const char *path,
			       const char *buf, size_t len,
			       const char *run_dir);
/*
 * The folder drizzle-kit runs the config at path in, from the
 * package.json files of its folder and the folders above: the nearest one
 * whose script passes "--config" naming it; else the config's folder. A
 * new string.
 */
char *mg_config_run_dir(struct mg_tree *tree, const char *path);
void mg_config_release(struct mg_config *cfg);
/* Free what a project holds (mg_config_parse_drizzle's result). */
void mg_project_release(struct mg_project *p);
/*
 * The line of .migguard.json that sets rule's severity, 0 when not set.
 * *sev gets the severity when set.
 */
unsigned mg_config_rule_line(const struct mg_config *cfg, const char *rule,
			     enum mg_severity *sev);
/*
 * .migguard.json read from a folder on disk and its parents, for files
 * linted from disk: the nearest one, stopping at a folder holding .git.
 * No file is not an error (cfg is then empty, *found 0).
 */
int mg_config_load_dir(struct mg_config *cfg, const char *dir, int *found);
/* Put the configured severities into a report. */
void mg_config_apply(const struct mg_config *cfg, struct mg_report *r);
/* 1 when path is one of the project's schema files. */
int mg_project_is_schema(const struct mg_project *p, const char *path);
/* The project whose migrations folder holds path, or NULL. */
const struct mg_project *mg_config_project_of_migration(
	const struct mg_config *cfg, const char *path);
/*
 * The project's generate command with extra drizzle-kit arguments, as the
 * package manager wants them ("npm run db:generate -- --custom",
 * "pnpm db:generate --custom"). A new string.
 */
char *mg_project_generate_with(const struct mg_project *p, const char *args);
/* Every path a check may need to see changed (for diff pathspecs). */
void mg_config_watched(const struct mg_config *cfg, struct mg_strlist *out);

#endif

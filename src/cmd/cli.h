/*
 * What every binary shares: options of the contract, colour, printing a
 * report and mapping it to the exit code. Only src/cmd reads the
 * environment, touches stdio and decides exit codes.
 */
#ifndef MIGGUARD_CLI_H
#define MIGGUARD_CLI_H

#include "migguard/changeset.h"
#include "migguard/check.h"
#include "migguard/hook.h"
#include "migguard/report.h"

enum { MG_EXIT_OK = 0, MG_EXIT_FINDINGS = 1, MG_EXIT_FAILURE = 2 };

struct mg_cli {
	const char *prog; /* "migguard-journal" */
	enum mg_format format;
	int color; /* resolved: 1 to colour stdout */
	const char *color_when; /* --color: auto, always, never */
	struct mg_changeset_options change;
	int mode_given;
	int each_commit; /* --each-commit: pair each commit of the range */
	/*
	 * --verify-generate (CI): schema-without-migration decided by the
	 * project's drizzle-kit generate on a scratch copy (verify.c).
	 */
	int verify_generate;
	const char *repo_dir;
	struct mg_strlist files; /* positional arguments */
	int in_hook; /* the report goes to stderr, which git shows */
	/*
	 * Set by the pre-push hook: while checking, note each project whose
	 * migrations a pushed ref changes, for migguard-apply afterwards.
	 */
	int want_apply;
	struct mg_apply_target *apply;
	size_t apply_nr, apply_alloc;
	/*
	 * migguard baseline: the findings of --all are written as the
	 * baseline (.migguard-baseline.json at the work tree's top)
	 * instead of printed, the old baseline not applied.
	 */
	int write_baseline;
	char *baseline_path; /* set by the run */
};

/* The options every binary shares, for its getopt_long table. */
enum { MG_CLI_OPT_FORMAT = 1000, MG_CLI_OPT_COLOR, MG_CLI_OPT_VERSION };
#define MG_CLI_OUTPUT_OPTIONS                                                \
	{ "format", required_argument, NULL, MG_CLI_OPT_FORMAT },             \
	{ "color", optional_argument, NULL, MG_CLI_OPT_COLOR },               \
	{ "colour", optional_argument, NULL, MG_CLI_OPT_COLOR },              \
	{ "help", no_argument, NULL, 'h' },                                   \
	{ "version", no_argument, NULL, MG_CLI_OPT_VERSION }

/*
 * Handle getopt's answer c for a shared option (--format, --color,
 * --help, --version) or an unknown one. Returns -1 to go on, else an exit
 * code. cli->prog names the binary.
 */
int mg_cli_output_option(struct mg_cli *cli, int c, const char *usage,
			 char **argv);

/*
 * Parse the shared options. Returns -1 to go on, or an exit code when it
 * handled everything (--help, --version, a usage error).
 */
int mg_cli_parse(struct mg_cli *cli, int argc, char **argv,
		 const char *prog, const char *usage);
void mg_cli_release(struct mg_cli *cli);
/*
 * SIGPIPE as git has it: the default, whatever the parent left (an
 * ignored SIGPIPE is inherited through exec). `migguard-lint | head`
 * then ends quietly when head does, instead of writing into a closed
 * pipe. Every main() calls it first; migguard-apply then ignores
 * SIGPIPE, so that a closed pipe never stops it between statements
 * (mg_cli_output_status below).
 */
void mg_cli_default_sigpipe(void);
/*
 * Flush stdout at exit: a reader that went away (EPIPE) is not an
 * error, ret stands; another write error (a full disk) is exit 2.
 */
int mg_cli_output_status(const struct mg_cli *cli, int ret);
/* Print "prog: error: msg" on stderr; returns MG_EXIT_FAILURE. */
int mg_cli_fail(const struct mg_cli *cli, const char *fmt, ...)
	MG_PRINTF(2, 3);
/* Sort and print the report, notes and summary; returns 0 or 1. */
int mg_cli_finish(const struct mg_cli *cli, struct mg_report *r);
/* Decide colour from --color, the terminal and the environment. */
int mg_cli_want_color(const char *when, int fd);
/* Fill repository options from the environment. */
void mg_cli_repo_options(const struct mg_cli *cli,
			 struct mg_repo_options *opts);
/* Run the checks in the mask over the change sets; exit code. */
int mg_cli_run_checks(struct mg_cli *cli, unsigned checks);
/* main() of migguard-pair, -journal, -lint, -docs. */
int mg_cli_check_main(int argc, char **argv, const char *prog,
		      unsigned checks);

#endif

/*
 * migguard up-check (upcheck.c): before `drizzle-kit up`, whether the
 * journal history converts to the folder layout of drizzle 1.0; after
 * it, whether the folders hold what the journal held at a revision.
 */
#ifndef MIGGUARD_CLI_UPCHECK_H
#define MIGGUARD_CLI_UPCHECK_H

extern const char mg_upcheck_usage[];

/* The subcommand: argv[0] is "up-check". An exit code. */
int mg_cli_upcheck_main(int argc, char **argv);

#endif

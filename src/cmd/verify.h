/*
 * --verify-generate: the project's own drizzle-kit generate on a scratch
 * copy of the head tree (verify.c). The only code that spawns it.
 */
#ifndef MIGGUARD_CLI_VERIFY_H
#define MIGGUARD_CLI_VERIFY_H

#include "migguard/config.h"
#include "migguard/tree.h"

struct mg_verify {
	const char *workdir; /* the work tree, where node_modules is */
};

/*
 * mg_context.verify_generate with data a struct mg_verify: *sql is the
 * SQL drizzle-kit wrote into p's migrations folder of a copy of head
 * (new), or NULL when it wrote none. < 0 when it could not run (no
 * node_modules, drizzle-kit failed or timed out), with the reason.
 */
int mg_cli_verify_generate(char **sql, void *data, struct mg_tree *head,
			   const struct mg_project *p);

#endif

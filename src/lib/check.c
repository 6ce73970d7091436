/*
 * What the checks of one run share (check.h): the migrations folder of
 * each project, so `migguard check` and the hooks read and parse a
 * snapshot once for pair, journal and lint together.
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/check.h"
#include "migguard/strbuf.h"

void mg_context_share_migdirs(struct mg_context *ctx)
{
	if (ctx->migdirs || !ctx->config || !ctx->config->projects_nr)
		return;
	ctx->migdirs_nr = ctx->config->projects_nr;
	ctx->migdirs = mg_xcalloc(ctx->migdirs_nr, sizeof(*ctx->migdirs));
}

/* The slot of p in ctx->migdirs, or NULL when not shared. */
static struct mg_migdir **slot(struct mg_context *ctx,
			       const struct mg_project *p)
{
	size_t i;

	for (i = 0; ctx->migdirs && i < ctx->migdirs_nr; i++)
		if (&ctx->config->projects[i] == p)
			return &ctx->migdirs[i];
	return NULL;
}

int mg_context_migdir(struct mg_migdir **out, struct mg_context *ctx,
		      const struct mg_project *p)
{
	struct mg_migdir **shared = slot(ctx, p);
	int err;

	*out = NULL;
	if (shared && *shared) {
		*out = *shared;
		return 0;
	}
	err = mg_migdir_load(out, ctx->cs->head, p->migrations);
	if (err < 0)
		return err;
	if (shared)
		*shared = *out;
	return 0;
}

int mg_context_migdir_at(struct mg_migdir **out, struct mg_context *ctx,
			 struct mg_tree *tree, const struct mg_project *p)
{
	size_t i;
	int err;

	*out = NULL;
	for (i = 0; ctx->migdirs && tree->id[0] &&
		    i < ctx->tree_migdirs_nr; i++) {
		struct mg_migdir *d = ctx->tree_migdirs[i];

		if (!strcmp(d->tree->id, tree->id) &&
		    !strcmp(d->path, p->migrations)) {
			*out = d;
			return 0;
		}
	}
	err = mg_migdir_load(out, tree, p->migrations);
	if (err < 0 || !ctx->migdirs || !tree->id[0])
		return err;
	ctx->tree_migdirs_nr++;
	MG_ALLOC_GROW(ctx->tree_migdirs, ctx->tree_migdirs_nr,
		      ctx->tree_migdirs_alloc);
	ctx->tree_migdirs[ctx->tree_migdirs_nr - 1] = *out;
	return 0;
}

void mg_context_migdir_put(struct mg_context *ctx, struct mg_migdir *d)
{
	size_t i;

	for (i = 0; i < ctx->migdirs_nr; i++)
		if (ctx->migdirs[i] == d)
			return;
	for (i = 0; i < ctx->tree_migdirs_nr; i++)
		if (ctx->tree_migdirs[i] == d)
			return;
	mg_migdir_free(d);
}

void mg_context_release(struct mg_context *ctx)
{
	size_t i;

	for (i = 0; i < ctx->migdirs_nr; i++)
		mg_migdir_free(ctx->migdirs[i]);
	free(ctx->migdirs);
	ctx->migdirs = NULL;
	ctx->migdirs_nr = 0;
	for (i = 0; i < ctx->tree_migdirs_nr; i++)
		mg_migdir_free(ctx->tree_migdirs[i]);
	free(ctx->tree_migdirs);
	ctx->tree_migdirs = NULL;
	ctx->tree_migdirs_nr = ctx->tree_migdirs_alloc = 0;
	for (i = 0; ctx->conventions && i < ctx->config->projects_nr; i++)
		mg_conventions_free(ctx->conventions[i]);
	free(ctx->conventions);
	ctx->conventions = NULL;
	mg_tree_free(ctx->published);
	ctx->published = NULL;
}

/*
 * What the checks of one run share (check.h): the migrations folder of
 * each project, so `migguard check` and the hooks read and parse a
 * snapshot once for pair, journal and lint together.
 */
#include <stdlib.h>
#include <string.h>

#include "migguard/check.h"
#include "migguard/report.h"
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

/* A finding of a check whose findings can hold at the base already. */
static int about_the_tree(const struct mg_finding *f)
{
	const struct mg_rule *rule = mg_rule_find(f->rule);

	return rule && (!strcmp(rule->check, "journal") ||
			!strcmp(rule->check, "lint"));
}

/* path is a file the change adds. */
static int added_here(const struct mg_changeset *cs, const char *path)
{
	size_t i;

	for (i = 0; i < cs->nr; i++)
		if (cs->changes[i].status == MG_CHANGE_ADDED &&
		    !strcmp(cs->changes[i].path, path))
			return 1;
	return 0;
}

int mg_context_subtract_base(struct mg_report *r, size_t since,
			     struct mg_context *ctx, unsigned checks)
{
	const struct mg_changeset *cs = ctx->cs;
	struct mg_changeset bcs;
	struct mg_context bctx;
	struct mg_report base;
	size_t i;
	int err = 0, any = 0;

	checks &= MG_CHECK_JOURNAL | MG_CHECK_LINT;
	if (!checks || cs->mode == MG_CHANGESET_ALL || !cs->base)
		return 0;
	/*
	 * Only the checks that can match something run again: a lint
	 * finding in a file the change adds was not there before.
	 */
	for (i = since; i < r->nr; i++) {
		const struct mg_rule *rule = mg_rule_find(r->items[i].rule);

		if (!rule)
			continue;
		if (!strcmp(rule->check, "journal"))
			any |= MG_CHECK_JOURNAL;
		else if (!strcmp(rule->check, "lint") &&
			 !added_here(cs, r->items[i].path))
			any |= MG_CHECK_LINT;
	}
	checks &= (unsigned)any;
	if (!checks)
		return 0;
	memset(&bcs, 0, sizeof(bcs));
	bcs.mode = cs->mode;
	bcs.label = cs->label;
	bcs.head = cs->base;
	bcs.base = cs->base;
	bcs.base_rev = cs->base_rev;
	bcs.head_rev = cs->base_rev;
	bcs.repo = cs->repo;
	bcs.nr = cs->nr;
	bcs.changes = mg_xcalloc(cs->nr + 1, sizeof(*bcs.changes));
	for (i = 0; i < cs->nr; i++) {
		/*
		 * A file the change adds is not in the base: lint skips it
		 * as it skips a deletion; the journal check only asks
		 * which projects the paths touch.
		 */
		bcs.changes[i].status = cs->changes[i].status ==
						MG_CHANGE_ADDED
						? MG_CHANGE_DELETED
						: cs->changes[i].status;
		bcs.changes[i].path = cs->changes[i].path;
		bcs.changes[i].old_path = cs->changes[i].old_path;
	}
	memset(&bctx, 0, sizeof(bctx));
	bctx.config = ctx->config;
	bctx.cs = &bcs;
	bctx.repo = ctx->repo;
	bctx.protected_ref = ctx->protected_ref;
	bctx.published = ctx->published; /* borrowed when already open */
	bctx.at_base = 1;
	mg_context_share_migdirs(&bctx);
	mg_report_init_like(&base, r);
	if (checks & MG_CHECK_JOURNAL)
		err = mg_journal_check(&base, &bctx);
	if (err >= 0 && (checks & MG_CHECK_LINT))
		err = mg_lint_check(&base, &bctx);
	/* A finding of a renamed file at the base is one of its new name. */
	for (i = 0; err >= 0 && i < base.nr; i++) {
		size_t k;

		for (k = 0; k < cs->nr; k++)
			if (cs->changes[k].old_path &&
			    !strcmp(cs->changes[k].old_path, base.items[i].path))
				break;
		if (k < cs->nr) {
			free(base.items[i].path);
			base.items[i].path = mg_xstrdup(cs->changes[k].path);
		}
	}
	if (err >= 0) {
		/* Only journal and lint findings are compared. */
		size_t kept = since;
		struct mg_finding tmp;

		/* Move the pair and docs findings before `kept`. */
		for (i = since; i < r->nr; i++) {
			if (about_the_tree(&r->items[i]))
				continue;
			tmp = r->items[kept];
			r->items[kept] = r->items[i];
			r->items[i] = tmp;
			kept++;
		}
		r->preexisting += mg_report_subtract(r, kept, &base);
	}
	if (bctx.published == ctx->published)
		bctx.published = NULL;
	mg_context_release(&bctx);
	mg_report_release(&base);
	free(bcs.changes);
	return err;
}

/*
 * Placeholder of the journal branch: the change-set module has the real
 * mg_context_published (merge-base with the upstream or protectedRef).
 * Here a published tree set by the caller is used, else the empty tree.
 */
#include "migguard/check.h"

int mg_context_published(struct mg_tree **out, struct mg_context *ctx)
{
	int err = 0;

	*out = NULL;
	if (!ctx->published) {
		err = mg_tree_open_empty(&ctx->published);
		if (err < 0)
			goto out;
	}
	*out = ctx->published;
out:
	return err;
}

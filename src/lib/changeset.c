#include <stdlib.h>

#include "migguard/changeset.h"
#include "migguard/check.h"

int mg_repo_open(struct mg_repo **out, const struct mg_repo_options *opts)
{
	(void)opts;
	*out = NULL;
	return mg_error_set("repository access: not implemented yet");
}

void mg_repo_free(struct mg_repo *repo)
{
	(void)repo;
}

int mg_changeset_list(struct mg_changeset ***out, size_t *nr,
		      struct mg_repo *repo,
		      const struct mg_changeset_options *opts)
{
	(void)repo;
	(void)opts;
	*out = NULL;
	*nr = 0;
	return mg_error_set("not implemented yet");
}

void mg_changeset_list_free(struct mg_changeset **list, size_t nr)
{
	(void)list;
	(void)nr;
}

int mg_changeset_diff(struct mg_changeset *cs,
		      const struct mg_strlist *watched)
{
	(void)cs;
	(void)watched;
	return mg_error_set("not implemented yet");
}

int mg_changeset_commits(struct mg_changeset *cs)
{
	if (cs->commits_loaded)
		return 0;
	return mg_error_set("reading the range's commits: not implemented yet");
}

#include <stdlib.h>
#include <string.h>

#include "migguard/changeset.h"
#include "migguard/check.h"
#include "migguard/git.h"
#include "migguard/glob.h"

int mg_oid_is_zero(const char *hex)
{
	if (!*hex)
		return 0;
	for (; *hex; hex++)
		if (*hex != '0')
			return 0;
	return 1;
}

static int is_oid(const char *s, size_t n)
{
	size_t i;

	if (n != 40 && n != 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

void mg_push_updates_free(struct mg_push_update *u, size_t nr)
{
	size_t i;

	for (i = 0; u && i < nr; i++) {
		free(u[i].local_ref);
		free(u[i].remote_ref);
	}
	free(u);
}

/* Split the last space-separated field off [start, *end). */
static int last_field(const char *start, const char **end, const char **field,
		      size_t *len)
{
	const char *e = *end, *p = e;

	while (p > start && p[-1] != ' ')
		p--;
	if (p == start || p == e)
		return -1;
	*field = p;
	*len = (size_t)(e - p);
	*end = p - 1;
	return 0;
}

int mg_push_updates_parse(struct mg_push_update **out, size_t *nr,
			  const char *text)
{
	struct mg_push_update *items = NULL;
	size_t n = 0, alloc = 0, lineno = 0;
	const char *line = text;
	int err = 0;

	*out = NULL;
	*nr = 0;
	while (line && *line) {
		const char *eol = strchr(line, '\n');
		const char *end = eol ? eol : line + strlen(line);
		const char *f1, *f2, *f3;
		size_t l1, l2, l3;
		struct mg_push_update *u;

		lineno++;
		if (end > line && end[-1] == '\r')
			end--;
		if (end == line) {
			line = eol ? eol + 1 : NULL;
			continue;
		}
		if (last_field(line, &end, &f3, &l3) < 0 ||
		    last_field(line, &end, &f2, &l2) < 0 ||
		    last_field(line, &end, &f1, &l1) < 0 || end <= line ||
		    !is_oid(f3, l3) || !is_oid(f1, l1)) {
			err = mg_error_set("pre-push input line %zu is not "
				"'<local ref> <local oid> <remote ref> <remote "
				"oid>'", lineno);
			goto out;
		}
		n++;
		MG_ALLOC_GROW(items, n, alloc);
		u = &items[n - 1];
		u->local_ref = mg_xstrndup(line, (size_t)(end - line));
		memcpy(u->local_oid, f1, l1);
		u->local_oid[l1] = '\0';
		u->remote_ref = mg_xstrndup(f2, l2);
		memcpy(u->remote_oid, f3, l3);
		u->remote_oid[l3] = '\0';
		line = eol ? eol + 1 : NULL;
	}
out:
	if (err < 0) {
		mg_push_updates_free(items, n);
		return err;
	}
	*out = items;
	*nr = n;
	return 0;
}

static struct mg_changeset *changeset_new(struct mg_repo *repo,
					  enum mg_changeset_mode mode)
{
	struct mg_changeset *cs = mg_xcalloc(1, sizeof(*cs));

	cs->mode = mode;
	cs->repo = repo;
	return cs;
}

void mg_changeset_free(struct mg_changeset *cs)
{
	size_t i;

	if (!cs)
		return;
	mg_tree_free(cs->head);
	mg_tree_free(cs->base);
	free(cs->label);
	free(cs->base_rev);
	free(cs->head_rev);
	for (i = 0; i < cs->nr; i++) {
		free(cs->changes[i].path);
		free(cs->changes[i].old_path);
	}
	free(cs->changes);
	for (i = 0; i < cs->commits_nr; i++)
		free(cs->commits[i].message);
	free(cs->commits);
	free(cs);
}

void mg_changeset_list_free(struct mg_changeset **list, size_t nr)
{
	size_t i;

	for (i = 0; list && i < nr; i++)
		mg_changeset_free(list[i]);
	free(list);
}

/* base (may be NULL: empty tree) .. head (a commit id). */
static int open_range(struct mg_changeset *cs, const char *base,
		      const char *head)
{
	int err;

	cs->head_rev = mg_xstrdup(head);
	cs->base_rev = base ? mg_xstrdup(base) : NULL;
	cs->label = base ? mg_xstrfmt("%.7s..%.7s", base, head)
			 : mg_xstrfmt("%.7s", head);
	err = mg_git_tree_commit(&cs->head, cs->repo, head);
	if (err < 0)
		return err;
	if (base)
		return mg_git_tree_commit(&cs->base, cs->repo, base);
	return mg_tree_open_empty(&cs->base);
}

int mg_changeset_open_commit(struct mg_changeset **out, struct mg_repo *repo,
			     const char *id, enum mg_changeset_mode mode)
{
	char parent[MG_OID_HEXSZ];
	struct mg_changeset *cs;
	int err;

	*out = NULL;
	err = mg_git_parent(parent, repo, id);
	if (err < 0 && err != MG_ENOTFOUND)
		return err;
	cs = changeset_new(repo, mode);
	err = open_range(cs, err == MG_ENOTFOUND ? NULL : parent, id);
	if (err < 0) {
		mg_changeset_free(cs);
		return err;
	}
	*out = cs;
	return 0;
}

static int open_staged(struct mg_changeset *cs)
{
	char head[MG_OID_HEXSZ];
	int err;

	if (!mg_repo_workdir(cs->repo))
		return mg_error_set("--staged needs a work tree, and this "
				    "repository is bare: use --base or --all");
	err = mg_git_check_unmerged(cs->repo);
	if (err < 0)
		return err;
	err = mg_git_tree_index(&cs->head, cs->repo);
	if (err < 0)
		return err;
	cs->label = mg_xstrdup("the index");
	err = mg_git_head(head, cs->repo);
	if (err == MG_ENOTFOUND) /* the first commit: against nothing */
		return mg_tree_open_empty(&cs->base);
	if (err < 0)
		return err;
	cs->base_rev = mg_xstrdup(head);
	return mg_git_tree_commit(&cs->base, cs->repo, head);
}

static int open_base_range(struct mg_changeset *cs,
			   const struct mg_changeset_options *opts)
{
	char base[MG_OID_HEXSZ], head[MG_OID_HEXSZ], mb[MG_OID_HEXSZ];
	const char *head_rev = opts->head ? opts->head : "HEAD";
	int err;

	err = mg_git_resolve(head, cs->repo, head_rev);
	if (err < 0)
		return err;
	err = mg_git_resolve(base, cs->repo, opts->base);
	if (err == MG_ENOTFOUND)
		return mg_error_set("unknown revision '%s': fetch it first "
			"(git fetch origin; GitHub Actions: actions/checkout "
			"with fetch-depth: 0)", opts->base);
	if (err < 0)
		return err;
	err = mg_git_merge_base(mb, cs->repo, base, head);
	if (err < 0)
		return err;
	return open_range(cs, mb, head);
}

static int open_all(struct mg_changeset *cs,
		    const struct mg_changeset_options *opts)
{
	char head[MG_OID_HEXSZ];
	int err;

	err = mg_git_resolve(head, cs->repo, opts->head ? opts->head : "HEAD");
	if (err < 0)
		return mg_error_set("--all: %s (no commits yet?)",
				    mg_error_last());
	cs->head_rev = mg_xstrdup(head);
	cs->label = mg_xstrfmt("%.7s", head);
	return mg_git_tree_commit(&cs->head, cs->repo, head);
}

/*
 * One pushed ref. Returns 1 when there is nothing to check (a deletion,
 * a tag of a blob, commits the remote already has).
 */
static int open_push(struct mg_changeset *cs, const char *remote,
		     const struct mg_push_update *u)
{
	char local[MG_OID_HEXSZ], base[MG_OID_HEXSZ];
	int err;

	if (mg_oid_is_zero(u->local_oid))
		return 1; /* deleting the remote ref */
	err = mg_git_resolve(local, cs->repo, u->local_oid);
	if (err == MG_ENOTFOUND)
		return 1; /* e.g. a tag of a tree or blob */
	if (err < 0)
		return err;
	if (mg_oid_is_zero(u->remote_oid) ||
	    !mg_git_has_object(cs->repo, u->remote_oid)) {
		/*
		 * A new branch, or a remote state we never fetched (a
		 * force push): new commits are those on no remote-tracking
		 * ref of that remote.
		 */
		struct mg_commit_info *commits = NULL;
		size_t nr = 0, i;
		char *glob = mg_xstrfmt("refs/remotes/%s/*", remote);

		err = mg_git_commits(&commits, &nr, cs->repo, local, NULL,
				     glob);
		free(glob);
		if (err >= 0 && nr == 0)
			err = 1;
		if (err == 0) {
			err = mg_git_parent(base, cs->repo, commits[0].id);
			if (err == MG_ENOTFOUND)
				err = open_range(cs, NULL, local);
			else if (err >= 0)
				err = open_range(cs, base, local);
		}
		for (i = 0; i < nr; i++)
			free(commits[i].message);
		free(commits);
		return err;
	}
	err = mg_git_merge_base(base, cs->repo, u->remote_oid, local);
	if (err < 0)
		return err;
	if (!strcmp(base, local))
		return 1; /* the remote already has all of it */
	return open_range(cs, base, local);
}

struct update_key {
	const struct mg_push_update *u;
	size_t i;
};

static int cmp_update_key(const void *a_, const void *b_)
{
	const struct update_key *a = a_, *b = b_;
	int c = strcmp(a->u->local_oid, b->u->local_oid);

	if (!c)
		c = strcmp(a->u->remote_oid, b->u->remote_oid);
	if (c)
		return c;
	return a->i < b->i ? -1 : a->i > b->i;
}

/*
 * Which updates repeat an earlier one's local and remote oids (git push
 * --all or --mirror: thousands of refs at a few commits): those have the
 * same change set, opened and checked once. Sorting keeps it n log n.
 */
static char *repeated_updates(const struct mg_push_update *u, size_t nr)
{
	struct update_key *keys = mg_xcalloc(nr ? nr : 1, sizeof(*keys));
	char *repeated = mg_xcalloc(nr ? nr : 1, 1);
	size_t i;

	for (i = 0; i < nr; i++) {
		keys[i].u = &u[i];
		keys[i].i = i;
	}
	qsort(keys, nr, sizeof(*keys), cmp_update_key);
	for (i = 1; i < nr; i++)
		repeated[keys[i].i] =
			!strcmp(keys[i - 1].u->local_oid, keys[i].u->local_oid) &&
			!strcmp(keys[i - 1].u->remote_oid, keys[i].u->remote_oid);
	free(keys);
	return repeated;
}

struct range_key {
	const struct mg_changeset *cs;
	size_t i;
};

static int cmp_range_key(const void *a_, const void *b_)
{
	const struct range_key *a = a_, *b = b_;
	int c = strcmp(a->cs->base_rev ? a->cs->base_rev : "",
		       b->cs->base_rev ? b->cs->base_rev : "");

	if (!c)
		c = strcmp(a->cs->head_rev ? a->cs->head_rev : "",
			   b->cs->head_rev ? b->cs->head_rev : "");
	if (c)
		return c;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* Drop the change sets whose range an earlier one has, keeping order. */
static void drop_repeated_ranges(struct mg_changeset **list, size_t *nr)
{
	struct range_key *keys = mg_xcalloc(*nr ? *nr : 1, sizeof(*keys));
	char *repeated = mg_xcalloc(*nr ? *nr : 1, 1);
	size_t i, out = 0;

	for (i = 0; i < *nr; i++) {
		keys[i].cs = list[i];
		keys[i].i = i;
	}
	qsort(keys, *nr, sizeof(*keys), cmp_range_key);
	for (i = 1; i < *nr; i++) {
		struct range_key a = keys[i - 1], b = keys[i];

		a.i = b.i = 0;
		repeated[keys[i].i] = !cmp_range_key(&a, &b);
	}
	for (i = 0; i < *nr; i++) {
		if (repeated[i])
			mg_changeset_free(list[i]);
		else
			list[out++] = list[i];
	}
	*nr = out;
	free(repeated);
	free(keys);
}

static void list_push(struct mg_changeset ***list, size_t *nr,
		      size_t *alloc, struct mg_changeset *cs)
{
	(*nr)++;
	MG_ALLOC_GROW(*list, *nr, *alloc);
	(*list)[*nr - 1] = cs;
}

int mg_changeset_list(struct mg_changeset ***out, size_t *nr,
		      struct mg_repo *repo,
		      const struct mg_changeset_options *opts)
{
	struct mg_changeset **list = NULL, *cs = NULL;
	struct mg_push_update *updates = NULL;
	size_t n = 0, alloc = 0, nupdates = 0, i;
	char *repeated = NULL;
	int err = 0;

	*out = NULL;
	*nr = 0;
	switch (opts->mode) {
	case MG_CHANGESET_STAGED:
		cs = changeset_new(repo, opts->mode);
		err = open_staged(cs);
		break;
	case MG_CHANGESET_RANGE:
		cs = changeset_new(repo, opts->mode);
		err = open_base_range(cs, opts);
		break;
	case MG_CHANGESET_ALL:
		cs = changeset_new(repo, opts->mode);
		err = open_all(cs, opts);
		break;
	case MG_CHANGESET_PRE_PUSH:
		err = mg_push_updates_parse(&updates, &nupdates,
					    opts->push_lines ? opts->push_lines
							     : "");
		if (err >= 0)
			repeated = repeated_updates(updates, nupdates);
		for (i = 0; err >= 0 && i < nupdates; i++) {
			if (repeated[i])
				continue;
			cs = changeset_new(repo, opts->mode);
			err = open_push(cs, opts->remote, &updates[i]);
			if (err == 0)
				list_push(&list, &n, &alloc, cs);
			else
				mg_changeset_free(cs);
			cs = NULL;
		}
		if (err >= 0)
			drop_repeated_ranges(list, &n);
		break;
	}
	if (err < 0) {
		mg_changeset_free(cs);
		mg_changeset_list_free(list, n);
		goto out;
	}
	if (cs)
		list_push(&list, &n, &alloc, cs);
	*out = list;
	*nr = n;
	err = 0;
out:
	free(repeated);
	mg_push_updates_free(updates, nupdates);
	return err;
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const struct mg_change *)a)->path,
		      ((const struct mg_change *)b)->path);
}

/*
 * Diff pathspecs: the literal folder in front of each watched glob. Only
 * a limit for speed: every check still matches paths exactly.
 */
static int watched_prefixes(const struct mg_strlist *watched,
			    struct mg_strlist *out)
{
	size_t i;

	for (i = 0; i < watched->nr; i++) {
		const char *w = watched->items[i];
		char *prefix;

		if (mg_glob_has_magic(w)) {
			const char *magic = strpbrk(w, "*?[");
			const char *slash = magic;

			while (slash > w && slash[-1] != '/')
				slash--;
			if (slash == w)
				return 0; /* a top-level glob: no limit */
			prefix = mg_xstrndup(w, (size_t)(slash - w - 1));
		} else {
			prefix = mg_xstrdup(w);
		}
		if (!*prefix) {
			free(prefix);
			return 0;
		}
		if (mg_strlist_has(out, prefix))
			free(prefix);
		else
			mg_strlist_push_owned(out, prefix);
	}
	return 1;
}

int mg_changeset_diff(struct mg_changeset *cs,
		      const struct mg_strlist *watched)
{
	struct mg_strlist prefixes = MG_STRLIST_INIT;
	int limited, err;

	if (cs->mode == MG_CHANGESET_ALL)
		return 0;
	limited = watched_prefixes(watched, &prefixes);
	err = mg_git_diff(cs, cs->repo, cs->base_rev,
			  cs->mode == MG_CHANGESET_STAGED ? NULL : cs->head_rev,
			  limited ? &prefixes : NULL);
	mg_strlist_release(&prefixes);
	if (err < 0)
		return err;
	if (cs->nr > 1)
		qsort(cs->changes, cs->nr, sizeof(*cs->changes), cmp_change);
	return 0;
}

int mg_changeset_diff_moves(struct mg_changeset *cs,
			    struct mg_strlist *watched)
{
	struct mg_config old;
	size_t i, added = 0;
	int grown = 0, err;

	if (cs->mode == MG_CHANGESET_ALL || !cs->base || !watched->nr)
		return 0;
	for (i = 0; i < cs->nr; i++) {
		const struct mg_change *c = &cs->changes[i];

		if (!mg_ends_with(c->path, ".sql"))
			continue;
		if (c->status == MG_CHANGE_ADDED)
			added++;
		else if (c->status == MG_CHANGE_DELETED ||
			 c->status == MG_CHANGE_RENAMED)
			return 0; /* the old side is seen already */
	}
	if (added < 2)
		return 0;
	err = mg_config_load(&old, cs->base);
	for (i = 0; err >= 0 && i < old.projects_nr; i++) {
		const char *dir = old.projects[i].migrations;

		if (dir && !mg_strlist_has(watched, dir)) {
			mg_strlist_push(watched, dir);
			grown = 1;
		}
	}
	mg_config_release(&old);
	if (!grown)
		return 0;
	for (i = 0; i < cs->nr; i++) {
		free(cs->changes[i].path);
		free(cs->changes[i].old_path);
	}
	cs->nr = 0;
	return mg_changeset_diff(cs, watched);
}

int mg_changeset_commits(struct mg_changeset *cs)
{
	int err;

	if (cs->commits_loaded)
		return 0;
	cs->commits_loaded = 1;
	if (cs->mode == MG_CHANGESET_STAGED || cs->mode == MG_CHANGESET_ALL ||
	    !cs->head_rev)
		return 0;
	err = mg_git_commits(&cs->commits, &cs->commits_nr, cs->repo,
			     cs->head_rev, cs->base_rev, NULL);
	return err;
}

int mg_repo_published_tree(struct mg_tree **out, struct mg_repo *repo,
			   const char *protected_ref)
{
	char head[MG_OID_HEXSZ], ref[MG_OID_HEXSZ], mb[MG_OID_HEXSZ];
	int err;

	*out = NULL;
	err = mg_git_head(head, repo);
	if (err == MG_ENOTFOUND)
		return mg_tree_open_empty(out);
	if (err < 0)
		return err;
	err = MG_ENOTFOUND;
	if (protected_ref)
		err = mg_git_resolve(ref, repo, protected_ref);
	if (err == MG_ENOTFOUND)
		err = mg_git_upstream(ref, repo);
	if (err == MG_ENOTFOUND)
		return mg_git_tree_commit(out, repo, head);
	if (err < 0)
		return err;
	err = mg_git_merge_base(mb, repo, head, ref);
	if (err == MG_ENOTFOUND) /* unrelated histories */
		return mg_git_tree_commit(out, repo, head);
	if (err < 0)
		return err;
	return mg_git_tree_commit(out, repo, mb);
}

int mg_context_published(struct mg_tree **out, struct mg_context *ctx)
{
	int err;

	if (!ctx->published) {
		struct mg_changeset *cs = ctx->cs;

		if (!ctx->protected_ref && cs &&
		    (cs->mode == MG_CHANGESET_RANGE ||
		     cs->mode == MG_CHANGESET_PRE_PUSH)) {
			/* CI and pushes: what the target already has. */
			err = cs->base_rev
				? mg_git_tree_commit(&ctx->published, ctx->repo,
						     cs->base_rev)
				: mg_tree_open_empty(&ctx->published);
		} else {
			err = mg_repo_published_tree(&ctx->published,
						     ctx->repo,
						     ctx->protected_ref);
		}
		if (err < 0)
			return err;
	}
	*out = ctx->published;
	return 0;
}

/* Commit message trailers */

static int trailer_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static int trailer_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* a[0..n) equals the lowercase word, in any case */
static int trailer_key_equal(const char *a, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] - 'A' + 'a')
						    : a[i];

		if (!word[i] || c != word[i])
			return 0;
	}
	return word[n] == '\0';
}

int mg_commit_waiver(char **reason, const char *message, const char *key)
{
	const char *p = message;
	size_t klen = strlen(key);

	*reason = NULL;
	while (p && *p) {
		const char *eol = strchr(p, '\n'), *v, *end;

		if (!eol)
			eol = p + strlen(p);
		v = p + klen;
		if (eol - p > (long)klen &&
		    trailer_key_equal(p, klen, key)) {
			while (v < eol && trailer_blank(*v))
				v++;
			if (v < eol && *v == ':') {
				v++;
				while (v < eol && trailer_blank(*v))
					v++;
				if (eol - v >= 4 && trailer_key_equal(v, 4, "none") &&
				    (v + 4 == eol ||
				     !trailer_word_char((unsigned char)v[4])))
					goto found;
			}
		}
		p = *eol ? eol + 1 : eol;
		continue;
found:
		v += 4;
		end = eol;
		while (v < end && (trailer_blank(*v) || strchr("(:-,;", *v)))
			v++;
		while (end > v && (trailer_blank(end[-1]) || end[-1] == '\r' ||
				   end[-1] == ')' || end[-1] == '.'))
			end--;
		*reason = mg_xstrndup(v, (size_t)(end - v));
		return 1;
	}
	return 0;
}

# --staged: the index git is committing, under every way git commits.
new_repo r
cd r
mkdir -p db/schema db/migrations
echo "a" > db/schema/a.ts
echo "one" > db/migrations/0000.sql

# First commit, no HEAD: everything staged is added.
git add db
expect_exit 0 migguard changes
expect_out "# the index
A	db/migrations/0000.sql
A	db/schema/a.ts"
git commit -q -m init

# Nothing staged: nothing changed, even with work tree edits.
echo "b" >> db/schema/a.ts
expect_exit 0 migguard changes
expect_out "# the index"

# git add -N (intent to add) entries are skipped.
echo "new" > db/schema/b.ts
git add -N db/schema/b.ts
expect_exit 0 migguard changes
expect_out "# the index"
git rm -q --cached db/schema/b.ts

# Partial staging (git add -p): the staged blob, not the work tree.
printf 'a\nstaged\n' > db/schema/a.ts
git add db/schema/a.ts
printf 'a\nstaged\nunstaged\n' > db/schema/a.ts
expect_exit 0 migguard changes
expect_out "# the index
M	db/schema/a.ts"
git reset -q --hard

# A hook records what migguard sees while git commits.
cat > .git/hooks/pre-commit <<'HOOK'
#!/bin/sh
migguard changes > "$MG_TMP/seen" 2>&1
HOOK
chmod +x .git/hooks/pre-commit

# git commit -a: git stages into index.lock and sets GIT_INDEX_FILE.
echo "edit" >> db/migrations/0000.sql
git commit -q -a -m "commit -a"
[ "$(cat "$MG_TMP/seen")" = "# the index
M	db/migrations/0000.sql" ] || fail "commit -a: $(cat "$MG_TMP/seen")"

# git commit PATH: a temporary index holding only PATH's change.
echo "x" >> db/schema/a.ts
echo "y" >> db/migrations/0000.sql
git add db/migrations/0000.sql
git commit -q -m "commit PATH" db/schema/a.ts
[ "$(cat "$MG_TMP/seen")" = "# the index
M	db/schema/a.ts" ] || fail "commit PATH: $(cat "$MG_TMP/seen")"
git commit -q -m rest

# Renames are reported as renames.
git mv db/schema/a.ts db/schema/renamed.ts
git commit -q -m rename
expect_exit 0 migguard changes --base HEAD~1
expect_out "# $(git rev-parse --short=7 HEAD~1)..$(git rev-parse --short=7 HEAD)
R	db/schema/a.ts	db/schema/renamed.ts"

# GIT_INDEX_FILE relative to the top of the work tree, not the cwd.
cp .git/index "$MG_TMP/saved-index"
echo "z" > db/schema/c.ts
git add db/schema/c.ts
cp .git/index .git/other-index
cp "$MG_TMP/saved-index" .git/index
mkdir -p sub
cd sub
GIT_INDEX_FILE=.git/other-index expect_exit 0 migguard changes
expect_out "# the index
A	db/schema/c.ts"
# ... and absolute.
GIT_INDEX_FILE="$MG_TMP/r/.git/other-index" expect_exit 0 migguard changes
expect_out "# the index
A	db/schema/c.ts"
# A missing index file is an error, not "everything deleted".
GIT_INDEX_FILE=.git/missing-index expect_exit 2 migguard changes
expect_contains "$ERR" "GIT_INDEX_FILE '$MG_TMP/r/.git/missing-index' does not exist"
cd ..
rm .git/other-index

# Unmerged entries: stop with the paths named.
git checkout -q -b side
echo "side" > db/schema/conflict.ts
git add db/schema/conflict.ts
git commit -q -m side
git checkout -q main
echo "main" > db/schema/conflict.ts
git add db/schema/conflict.ts
git commit -q -m main
git merge -q side >/dev/null 2>&1 || true
expect_exit 2 migguard changes
expect_err "migguard changes: error: the index has unmerged paths ('db/schema/conflict.ts'): resolve the conflicts and 'git add' them first"
expect_exit 2 migguard-journal
expect_contains "$ERR" "unmerged paths ('db/schema/conflict.ts')"
git merge --abort

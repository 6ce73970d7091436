# --base/--head: merge-base(base, head)..head; --all; shallow clones.
new_repo r
cd r
mkdir db
echo 1 > db/one.sql
commit_all . one
git checkout -q -b feature
echo 2 > db/two.sql
commit_all . two
echo 3 > db/three.sql
commit_all . three
git checkout -q main
echo main > db/main-only.sql
commit_all . main-only
git checkout -q feature
base=$(git merge-base main feature)

# Only the branch's own changes: not main's later commit.
expect_exit 0 migguard changes --base main
expect_out "# $(git rev-parse --short=7 "$base")..$(git rev-parse --short=7 HEAD)
A	db/three.sql
A	db/two.sql"
expect_exit 0 migguard changes --base main --head HEAD~1
expect_out "# $(git rev-parse --short=7 "$base")..$(git rev-parse --short=7 HEAD~1)
A	db/two.sql"
expect_exit 2 migguard changes --base nope
expect_contains "$ERR" "unknown revision 'nope': fetch it first"
expect_exit 2 migguard changes --head main
expect_contains "$ERR" "--head goes with --base or --all"

# A bare repository: ranges work, --staged says why it cannot.
git clone -q --bare . "$MG_TMP/bare.git"
expect_exit 0 migguard changes --repo "$MG_TMP/bare.git" --base main --head feature
expect_contains "$OUT" "A	db/two.sql"
expect_exit 2 migguard changes --repo "$MG_TMP/bare.git"
expect_contains "$ERR" "this repository is bare"

# A shallow clone (CI's default depth 1): say to fetch the history.
git clone -q --depth 1 --branch feature "file://$MG_TMP/bare.git" "$MG_TMP/shallow"
git -C "$MG_TMP/shallow" fetch -q --depth 1 origin main:main
expect_exit 2 migguard changes --repo "$MG_TMP/shallow" --base main
expect_contains "$ERR" "this clone is shallow"
expect_contains "$ERR" "fetch-depth: 0"
# Every binary on that path says so too, and frees what it took (the
# sanitizer build checks leaks: libgit2's merge base leaked here).
for cmd in "migguard check" migguard-pair migguard-journal migguard-lint migguard-docs; do
	expect_exit 2 $cmd --repo "$MG_TMP/shallow" --base main
	expect_contains "$ERR" "this clone is shallow"
done
# Deep enough to hold the merge base: a shallow clone works.
git clone -q --depth 3 --branch feature "file://$MG_TMP/bare.git" "$MG_TMP/deeper"
git -C "$MG_TMP/deeper" fetch -q --depth 2 origin main:main
expect_exit 0 migguard changes --repo "$MG_TMP/deeper" --base main
expect_out "# $(git rev-parse --short=7 "$base")..$(git rev-parse --short=7 HEAD)
A	db/three.sql
A	db/two.sql"

# Not a repository at all.
mkdir "$MG_TMP/plain"
expect_exit 2 migguard changes --repo "$MG_TMP/plain"
expect_contains "$ERR" "not a git repository"

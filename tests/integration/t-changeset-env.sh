# GIT_DIR, GIT_WORK_TREE, linked worktrees, indexes libgit2 1.5 cannot read.
new_repo r
cd r
mkdir -p db/schema other
echo a > db/schema/a.ts
echo o > other/o.txt
commit_all . init
echo b > db/schema/b.ts
git add db/schema/b.ts

# GIT_DIR and GIT_WORK_TREE from elsewhere.
cd "$MG_TMP"
GIT_DIR="$MG_TMP/r/.git" GIT_WORK_TREE="$MG_TMP/r" expect_exit 0 migguard changes
expect_out "# the index
A	db/schema/b.ts"
GIT_DIR="$MG_TMP/r/.git" expect_exit 0 migguard changes --all
expect_out "# $(git -C r rev-parse --short=7 HEAD)"

# --repo from anywhere, and from a subfolder by discovery.
expect_exit 0 migguard changes --repo r
expect_contains "$OUT" "A	db/schema/b.ts"
cd r/db
expect_exit 0 migguard changes
expect_contains "$OUT" "A	db/schema/b.ts"
cd "$MG_TMP/r"
git commit -q -m b

# A linked worktree has its own index and HEAD.
git worktree add -q -b wt "$MG_TMP/wt"
cd "$MG_TMP/wt"
echo c > db/schema/c.ts
git add db/schema/c.ts
expect_exit 0 migguard changes
expect_out "# the index
A	db/schema/c.ts"
cd "$MG_TMP/r"
expect_exit 0 migguard changes
expect_out "# the index"

# A split index (libgit2 1.5 fails on its 'link' extension): git reads it.
echo d > db/schema/d.ts
git add db/schema/d.ts
git update-index --split-index
expect_exit 0 migguard changes
expect_out "# the index
A	db/schema/d.ts"
git update-index --no-split-index
git commit -q -m d

# A sparse index ('sdir' extension), with the watched folder checked out.
git sparse-checkout init -q --cone --sparse-index 2>/dev/null ||
	git sparse-checkout init --cone --sparse-index
git sparse-checkout set db
echo e > db/schema/e.ts
git add db/schema/e.ts
expect_exit 0 migguard changes
expect_out "# the index
A	db/schema/e.ts"

# Where install writes: core.hooksPath (relative to the work tree, "~/",
# absolute), and the common git dir that linked worktrees share.
new_repo r
cd r
echo "# app" >README.md
commit_all . init

# core.hooksPath, relative: from the work tree's top, even from a subfolder.
git config core.hooksPath .githooks
mkdir sub
cd sub
expect_exit 0 migguard install
cd ..
expect_out "migguard: installed the pre-commit hook: .githooks/pre-commit
migguard: installed the pre-push hook: .githooks/pre-push"
[ -x .githooks/pre-commit ] || fail "not in core.hooksPath"
[ ! -e .git/hooks/pre-commit ] || fail "also wrote .git/hooks"
printf '{"projects": [\n' >.migguard.json
git add .migguard.json
expect_exit 1 git commit -q -m bad
expect_contains "$ERR" "migguard: error: .migguard.json:"
expect_exit 0 migguard uninstall
[ ! -e .githooks/pre-commit ] || fail "not removed from core.hooksPath"

# "~/" is the home folder, as git reads it.
git config core.hooksPath "~/hooks"
expect_exit 0 migguard install --hooks pre-commit
[ -x "$HOME/hooks/pre-commit" ] || fail "~/ not expanded"
expect_exit 1 git commit -q -m bad
expect_exit 0 migguard uninstall --hooks pre-commit

# Absolute, and set globally.
git config --unset core.hooksPath
git config --global core.hooksPath "$MG_TMP/global-hooks"
expect_exit 0 migguard install
expect_contains "$OUT" "$MG_TMP/global-hooks/pre-commit"
expect_exit 1 git commit -q -m bad
expect_exit 0 migguard uninstall
git config --global --unset core.hooksPath
git rm -q --cached .migguard.json
rm .migguard.json

# A linked worktree: install from it writes the common dir's hooks, which
# the main work tree and every worktree run.
git worktree add -q ../wt
cd ../wt
expect_exit 0 migguard install
expect_contains "$OUT" "migguard: installed the pre-commit hook: $MG_TMP/r/.git/hooks/pre-commit"
[ -x "$MG_TMP/r/.git/hooks/pre-commit" ] || fail "not in the common dir"
[ ! -e "$(git rev-parse --git-dir)/hooks/pre-commit" ] ||
	fail "wrote the worktree's own git dir"
printf '{"projects": [\n' >.migguard.json
git add .migguard.json
expect_exit 1 git commit -q -m "bad in worktree"
expect_contains "$ERR" "migguard: error: .migguard.json:"
# GIT_DIR as git sets it in a worktree.
GIT_DIR=$(git rev-parse --git-dir) expect_exit 0 migguard install
expect_contains "$OUT" "is up to date: $MG_TMP/r/.git/hooks/pre-commit"
expect_exit 0 migguard install
expect_contains "$OUT" "is up to date"
cd ../r
expect_exit 0 migguard uninstall
[ ! -e .git/hooks/pre-commit ] || fail "not uninstalled"

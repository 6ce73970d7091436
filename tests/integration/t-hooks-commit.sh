# Real git commits through installed hooks: a bad change is stopped with
# the reason on stderr and nothing committed, a good one passes, and the
# bypass ladder (MIGGUARD_SKIP=CHECKS, MIGGUARD_SKIP=1, --no-verify).
#
# Until the checks land, "bad" is an invalid .migguard.json (exit 2 with
# file:line, whatever the checks do) and "good" is a change outside every
# watched path (the hook returns before running any check).
new_repo r
cd r
echo "# app" >README.md
commit_all . init
expect_exit 0 migguard install

head_is() {
	[ "$(git rev-parse HEAD)" = "$1" ] || fail "HEAD moved: $(git log --oneline -1)"
}
start=$(git rev-parse HEAD)

# Good: nothing watched changed; the hook returns at once.
echo "more" >>README.md
expect_exit 0 git commit -q -am "readme"
expect_not_contains "$ERR" "stopped"
good=$(git rev-parse HEAD)
[ "$good" != "$start" ] || fail "good commit not made"

# Bad: stopped, the reason (file:line) on stderr, nothing committed.
printf '{\n  "projects": [\n}\n' >.migguard.json
git add .migguard.json
expect_exit 1 git commit -q -m "bad config"
expect_contains "$ERR" "migguard: error: .migguard.json:"
expect_contains "$ERR" "migguard: commit stopped"
expect_contains "$ERR" "MIGGUARD_SKIP=1 git commit or git commit --no-verify"
head_is "$good"
[ -n "$(git diff --cached --name-only)" ] || fail "staged change lost"

# git commit -a uses a temporary index (GIT_INDEX_FILE): still stopped.
echo "x" >>README.md
expect_exit 1 git commit -q -a -m "bad, -a"
head_is "$good"
git checkout -q README.md

# MIGGUARD_SKIP=lint,docs skips those only (the config is still read),
# and says so; unknown names are warned about.
MIGGUARD_SKIP=lint,docs,lnt expect_exit 1 git commit -q -m "skip some"
expect_contains "$ERR" "migguard: MIGGUARD_SKIP=lint,docs,lnt: pre-commit: skipping lint, docs"
expect_contains "$ERR" "migguard: warning: MIGGUARD_SKIP: unknown check 'lnt'"
head_is "$good"

# MIGGUARD_SKIP=1 (or all) skips every check, and says so.
MIGGUARD_SKIP=1 expect_exit 0 git commit -q -m "skip all"
expect_contains "$ERR" "migguard: MIGGUARD_SKIP=1: pre-commit: every check skipped"
git reset -q --soft HEAD~1
MIGGUARD_SKIP=all expect_exit 0 git commit -q -m "skip all"
git reset -q --soft HEAD~1
# MIGGUARD_SKIP=0 or empty skips nothing.
MIGGUARD_SKIP=0 expect_exit 1 git commit -q -m "skip none"
MIGGUARD_SKIP= expect_exit 1 git commit -q -m "skip none"
head_is "$good"

# --no-verify: git does not run the hook at all.
expect_exit 0 git commit -q --no-verify -m "no verify"
expect_not_contains "$ERR" "migguard"
git reset -q --soft HEAD~1

# migguard check (CI) does not honour MIGGUARD_SKIP.
MIGGUARD_SKIP=1 expect_exit 2 migguard check --staged
expect_contains "$ERR" ".migguard.json:"

# Trailing file names (hook managers pass them) are ignored.
git rm -q --cached .migguard.json
rm .migguard.json
echo "again" >>README.md
git add README.md
expect_exit 0 migguard hook pre-commit README.md other.ts
expect_exit 2 migguard hook pre-rebase
expect_contains "$ERR" "migguard hook: error: name the hook: pre-commit or pre-push"
expect_exit 0 migguard help hook
expect_contains "$OUT" "MIGGUARD_SKIP=lint,docs git commit"

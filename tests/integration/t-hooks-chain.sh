# A foreign hook kept by migguard install runs first, exactly once, with
# git's arguments and stdin; its failure stops git.
git init -q --bare remote.git
new_repo r
cd r
git remote add origin ../remote.git
echo "# app" >README.md
commit_all . init
git push -q -u origin main 2>/dev/null

# Their hooks log each run, with arguments and stdin.
cat >.git/hooks/pre-commit <<'HOOK'
#!/bin/sh
echo "run $#" >>"$MG_TMP/pre-commit.log"
[ ! -e "$MG_TMP/fail" ]
HOOK
cat >.git/hooks/pre-push <<'HOOK'
#!/bin/sh
echo "run $1 $2" >>"$MG_TMP/pre-push.log"
cat >>"$MG_TMP/pre-push.log"
[ ! -e "$MG_TMP/fail" ]
HOOK
chmod +x .git/hooks/pre-commit .git/hooks/pre-push
expect_exit 0 migguard install
expect_exit 0 migguard install

# pre-commit: theirs runs once; migguard runs after it.
echo "a" >>README.md
expect_exit 0 git commit -q -am one
[ "$(cat "$MG_TMP/pre-commit.log")" = "run 0" ] ||
	fail "chained pre-commit: $(cat "$MG_TMP/pre-commit.log")"

# Their failure stops the commit; migguard's checks do not run.
touch "$MG_TMP/fail"
before=$(git rev-parse HEAD)
echo "b" >>README.md
expect_exit 1 git commit -q -am two
expect_contains "$ERR" "the kept hook '.git/hooks/pre-commit.migguard-chained' failed (exit 1)"
[ "$(git rev-parse HEAD)" = "$before" ] || fail "commit made"
rm "$MG_TMP/fail"
git checkout -q README.md

# pre-push: theirs sees git's arguments and the full stdin ...
rm -f "$MG_TMP/pre-push.log"
expect_exit 0 git push -q origin main
local_oid=$(git rev-parse HEAD)
remote_oid=$(git rev-parse HEAD~1)
[ "$(cat "$MG_TMP/pre-push.log")" = "run origin ../remote.git
refs/heads/main $local_oid refs/heads/main $remote_oid" ] ||
	fail "chained pre-push: $(cat "$MG_TMP/pre-push.log")"

# ... and migguard gets the same lines: a pushed invalid config stops it.
printf '{"projects": [\n' >.migguard.json
git add .migguard.json
git commit -q --no-verify -m "bad config"
rm -f "$MG_TMP/pre-push.log"
expect_exit 1 git push -q origin main
expect_contains "$ERR" "migguard: error: .migguard.json:"
expect_contains "$ERR" "migguard: push stopped"
[ "$(grep -c '^run ' "$MG_TMP/pre-push.log")" = 1 ] ||
	fail "chained pre-push ran $(grep -c '^run ' "$MG_TMP/pre-push.log") times"
grep -q "^refs/heads/main $(git rev-parse HEAD) refs/heads/main " \
	"$MG_TMP/pre-push.log" || fail "stdin: $(cat "$MG_TMP/pre-push.log")"
[ "$(git rev-parse origin/main)" = "$local_oid" ] || fail "pushed anyway"

# Their failure stops the push before migguard.
touch "$MG_TMP/fail"
expect_exit 1 git push -q origin main
expect_contains "$ERR" "pre-push: the kept hook"
expect_not_contains "$ERR" ".migguard.json"
rm "$MG_TMP/fail"

# MIGGUARD_SKIP skips migguard's checks, not their hook.
rm -f "$MG_TMP/pre-push.log"
MIGGUARD_SKIP=1 expect_exit 0 git push -q origin main
expect_contains "$ERR" "MIGGUARD_SKIP=1: pre-push: every check skipped"
[ "$(grep -c '^run ' "$MG_TMP/pre-push.log")" = 1 ] || fail "theirs skipped"

# Nothing to push: empty stdin, nothing to check.
expect_exit 0 git push -q origin main

git rm -q .migguard.json
git commit -q --no-verify -m "no config"

# A kept hook that is not executable is not run (as git would not).
chmod -x .git/hooks/pre-commit.migguard-chained
rm -f "$MG_TMP/pre-commit.log"
echo "c" >>README.md
expect_exit 0 git commit -q -am three
expect_contains "$ERR" "is not executable, so it is not run"
[ ! -e "$MG_TMP/pre-commit.log" ] || fail "ran a non-executable hook"

# A kept hook without #! runs with sh, as git runs it.
printf 'echo "run sh" >>"$MG_TMP/pre-commit.log"\n' \
	>.git/hooks/pre-commit.migguard-chained
chmod +x .git/hooks/pre-commit.migguard-chained
echo "d" >>README.md
expect_exit 0 git commit -q -am four
[ "$(cat "$MG_TMP/pre-commit.log")" = "run sh" ] || fail "no #! hook not run"

# Uninstall puts their hooks back.
expect_exit 0 migguard uninstall
head -3 .git/hooks/pre-push | grep -q 'echo "run $1 $2"' ||
	fail "pre-push not restored"

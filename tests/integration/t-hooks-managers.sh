# Beside hook managers: under husky 9 and lefthook 2 (the real ones, from
# tests/interop) and the pre-commit framework, install writes nothing and
# prints what to add; what it prints works when added.
need node "apt-get install nodejs npm"
sh "$MG_SOURCE_DIR/tests/interop/setup.sh" ||
	fail "tests/interop/setup.sh could not install husky and lefthook"
nm="$MG_SOURCE_DIR/tests/interop/node_modules"
PATH="$nm/.bin:$PATH"
export PATH

bad_config() {
	printf '{"projects": [\n' >.migguard.json
	git add .migguard.json
}

# husky 9: core.hooksPath=.husky/_ ---------------------------------------
git init -q --bare husky-remote.git
new_repo h
cd h
git remote add origin ../husky-remote.git
echo '{"name": "app", "private": true}' >package.json
commit_all . init
expect_exit 0 husky
[ "$(git config core.hooksPath)" = ".husky/_" ] || fail "husky not set up"
cp .husky/_/pre-commit "$MG_TMP/husky-pre-commit"
expect_exit 0 migguard install
expect_out "migguard: husky runs this repository's hooks (core.hooksPath is '.husky/_'): nothing written.
Add this line to .husky/pre-commit:
  migguard hook pre-commit
Add this line to .husky/pre-push:
  migguard hook pre-push \"\$@\""
cmp -s .husky/_/pre-commit "$MG_TMP/husky-pre-commit" || fail "wrote .husky/_"
[ ! -e .git/hooks/pre-commit ] || fail "wrote .git/hooks under husky"
# The printed lines, added: husky runs them with sh -e.
echo 'migguard hook pre-commit' >.husky/pre-commit
echo 'migguard hook pre-push "$@"' >.husky/pre-push
git add .husky
expect_exit 0 git commit -q -m "husky hooks"
expect_exit 0 git push -q -u origin main
bad_config
expect_exit 1 git commit -q -m bad
expect_contains "$ERR" "migguard: error: .migguard.json:"
expect_contains "$ERR" "husky - pre-commit script failed"
git commit -q --no-verify -m "bad, unverified"
expect_exit 1 git push -q origin main
expect_contains "$ERR" "migguard: push stopped"
MIGGUARD_SKIP=1 expect_exit 0 git push -q origin main
# uninstall has nothing of migguard's to remove and says where the lines are.
expect_exit 0 migguard uninstall
expect_contains "$OUT" "remove the 'migguard hook' lines from .husky"
# A .husky folder alone (husky not set up in this clone yet) is husky too.
git config --unset core.hooksPath
expect_exit 0 migguard install --hooks pre-commit
expect_contains "$OUT" "husky runs this repository's hooks (the repository has a .husky folder)"
[ ! -e .git/hooks/pre-commit ] || fail "wrote .git/hooks beside .husky"
cd "$MG_TMP"

# lefthook 2 -------------------------------------------------------------
git init -q --bare lh-remote.git
new_repo l
cd l
git remote add origin ../lh-remote.git
printf '# hooks\n' >lefthook.yml
commit_all . init
expect_exit 0 migguard install
expect_contains "$OUT" "migguard: lefthook runs this repository's hooks ('lefthook.yml' exists): nothing written."
[ ! -e .git/hooks/pre-commit ] || fail "wrote .git/hooks under lefthook"
# The printed configuration, added as it is.
printf '%s\n' "$OUT" | sed '1,2d' >>lefthook.yml
grep -q "use_stdin: true" lefthook.yml || fail "snippet: $(cat lefthook.yml)"
expect_exit 0 lefthook install
grep -q lefthook .git/hooks/pre-commit || fail "lefthook install did nothing"
git add lefthook.yml
expect_exit 0 git commit -q -m "lefthook config"
expect_exit 0 git push -q -u origin main
bad_config
expect_exit 1 git commit -q -m bad
expect_contains "$OUT$ERR" "migguard: error: .migguard.json:"
git commit -q --no-verify -m "bad, unverified"
# pre-push: lefthook passes the remote ({1}) and git's stdin (use_stdin).
expect_exit 1 git push -q origin main
expect_contains "$OUT$ERR" "migguard: push stopped"
expect_not_contains "$OUT$ERR" "stdin is a terminal"
MIGGUARD_SKIP=1 expect_exit 0 git push -q origin main
# Without its config file, lefthook's own hooks still give it away.
git rm -q lefthook.yml
expect_exit 0 migguard install
expect_contains "$OUT" "lefthook runs this repository's hooks ('.git/hooks/pre-commit' runs lefthook)"
expect_contains "$(cat .git/hooks/pre-commit)" "lefthook"
cd "$MG_TMP"

# pre-commit framework ---------------------------------------------------
new_repo p
cd p
printf 'repos: []\n' >.pre-commit-config.yaml
expect_exit 0 migguard install --hooks pre-push
expect_contains "$OUT" "migguard: the pre-commit framework runs this repository's hooks ('.pre-commit-config.yaml' exists): nothing written."
expect_contains "$OUT" "entry: migguard hook pre-push"
expect_contains "$OUT" "pass_filenames: false"
expect_not_contains "$OUT" "entry: migguard hook pre-commit"
[ ! -e .git/hooks/pre-push ] || fail "wrote .git/hooks under pre-commit"
# Its pre-push environment stands in for git's stdin.
git init -q --bare ../p-remote.git
git remote add origin ../p-remote.git
echo "# app" >README.md
commit_all . init
base=$(git rev-parse HEAD)
git push -q origin main
bad_config
git commit -q -m bad
PRE_COMMIT_FROM_REF=$base PRE_COMMIT_TO_REF=$(git rev-parse HEAD) \
	PRE_COMMIT_REMOTE_NAME=origin PRE_COMMIT_REMOTE_BRANCH=refs/heads/main \
	expect_exit 2 migguard hook pre-push </dev/null
expect_contains "$ERR" "migguard: error: .migguard.json:"
expect_exit 0 migguard hook pre-push </dev/null

# The real pre-commit framework (Debian 12's, 3.0.4): migguard's
# .pre-commit-hooks.yaml as a hook repository, and the local hooks that
# `migguard install` prints; each stops a bad commit and lets the complete
# one through, and the pre-push hook checks the pushed commits.
need pre-commit "apt-get install pre-commit (install/install.sh --test-deps)"

# migguard's repository as the framework sees it: its manifest at a rev.
new_repo hooks
cp "$MG_SOURCE_DIR/.pre-commit-hooks.yaml" hooks/
commit_all hooks manifest
rev=$(git -C hooks rev-parse HEAD)
git init -q --bare remote.git

sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" app
cd app
git remote add origin ../remote.git
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $MG_TMP/hooks
    rev: $rev
    hooks:
      - id: migguard
      - id: migguard-pre-push
YAML
git add .pre-commit-config.yaml
expect_exit 0 pre-commit install --hook-type pre-commit --hook-type pre-push
expect_exit 1 git commit -q -m "schema only"
expect_contains "$OUT$ERR" "[schema-without-migration]"
expect_not_contains "$OUT$ERR" "InvalidManifestError"
[ "$(git rev-list --count HEAD)" = 2 ] || fail "the bad commit went through"
copy_step 02 .
git add packages
expect_exit 0 git commit -q -m "plan summary"
expect_contains "$OUT$ERR" "migguard (Drizzle migrations)"
expect_exit 0 git push -q -u origin main
expect_contains "$OUT$ERR" "migguard (Drizzle migrations, pre-push)"
# A bad config committed past the hook: the push is stopped.
printf '{"projects": [\n' >.migguard.json
git add .migguard.json
git commit -q --no-verify -m "bad config"
expect_exit 1 git push -q origin main
expect_contains "$OUT$ERR" ".migguard.json:"
cd "$MG_TMP"

# The local hooks migguard install prints, pasted in as they are.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" local
cd local
printf 'repos:\n' >.pre-commit-config.yaml
expect_exit 0 migguard install --hooks pre-commit
expect_contains "$OUT" "the pre-commit framework runs this repository's hooks"
printf '%s\n' "$OUT" | sed -n '/^  - repo: local/,$p' >>.pre-commit-config.yaml
git add .pre-commit-config.yaml
expect_exit 0 pre-commit install --hook-type pre-commit
expect_exit 1 git commit -q -m "schema only"
expect_contains "$OUT$ERR" "[schema-without-migration]"
copy_step 02 .
git add packages
expect_exit 0 git commit -q -m "plan summary"

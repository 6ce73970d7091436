# The classic mistake (schema without migration) stopped by the real hooks,
# at commit and at push; the complete change passes both.
need script "apt-get install -y util-linux"
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" bad
cd bad
expect_exit 0 migguard install
before=$(git rev-parse HEAD)
TERM=xterm-256color expect_exit 1 git commit -q -m "schema only"
expect_contains "$ERR" "[schema-without-migration]"
expect_contains "$ERR" "migguard: commit stopped: fix the findings above"
expect_not_contains "$ERR" "$(printf '\033')"
[ "$(git rev-parse HEAD)" = "$before" ] || fail "bad commit made"
MIGGUARD_SKIP=pair expect_exit 0 git commit -q -m "schema only, pair skipped"
expect_contains "$ERR" "skipping pair"
# pre-push is the real gate: the unverified commit is stopped there.
git init -q --bare ../remote.git
git remote add origin ../remote.git
git push -q --no-verify origin HEAD~1:refs/heads/main
expect_exit 1 git push -q origin HEAD:main
expect_contains "$ERR" "[schema-without-migration]"
expect_contains "$ERR" "migguard: push stopped"
[ "$(git rev-parse --verify -q refs/remotes/origin/main)" = "$(git rev-parse HEAD~1)" ] ||
	fail "the bad push went through"
cd "$MG_TMP"
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --good good
cd good
expect_exit 0 migguard install
expect_exit 0 git commit -q -m "schema and migration"
# Colour only on a terminal (script(1) gives the hook one).
cd "$MG_TMP/bad"
echo 'export const more = pgTable("more", {});' >> packages/db/src/schema/research.ts
git add -A
script -qec "git commit -q -m tty" /dev/null >"$MG_TMP/tty.out" 2>&1 || true
grep -q "$(printf '\033')" "$MG_TMP/tty.out" || fail "no colour on a TTY"

# Hooks as GUI git clients run them: a minimal environment and PATH
# without migguard, no terminal. And what users see when the binary is
# gone, the installed share/migguard/hooks layout, LF-only hook files.
need git "apt-get install git"

# A PATH with git and nothing of migguard's.
mkdir min
ln -s "$(command -v git)" min/git
gui() {
	env -i PATH="$MG_TMP/min" HOME="$HOME" GIT_CONFIG_NOSYSTEM=1 \
		TERM=xterm-256color "$@"
}

new_repo r
cd r
git config user.name "GUI User"
git config user.email gui@example.invalid
echo "# app" >README.md
commit_all . init
expect_exit 0 migguard install

# The hook finds migguard through the path recorded at install time.
echo "more" >>README.md
git add README.md
expect_exit 0 gui git commit -q -m good
printf '{"projects": [\n' >.migguard.json
git add .migguard.json
before=$(git rev-parse HEAD)
expect_exit 1 gui git commit -q -m bad
expect_contains "$ERR" "migguard: error: .migguard.json:"
expect_contains "$ERR" "migguard: commit stopped"
# No terminal, TERM set, NO_COLOR unset: still no colour escapes.
esc=$(printf '\033')
expect_not_contains "$OUT$ERR" "$esc"
[ "$(git rev-parse HEAD)" = "$before" ] || fail "bad commit made"

# A recorded path with a space and a quote still runs.
odd="$MG_TMP/my bin/it's"
mkdir -p "$odd"
cp "$MG_BUILD_DIR/migguard" "$odd/migguard"
expect_exit 0 "$odd/migguard" install
expect_exit 1 gui git commit -q -m bad
expect_contains "$ERR" "migguard: error: .migguard.json:"
rm -r "$MG_TMP/my bin"

# The binary is gone: a message naming the install, not "not found".
mkdir "$MG_TMP/bin"
cp "$MG_BUILD_DIR/migguard" "$MG_TMP/bin/migguard"
expect_exit 0 "$MG_TMP/bin/migguard" install
grep -qx "installed='$MG_TMP/bin/migguard'" .git/hooks/pre-commit ||
	fail "installed= does not name the binary that ran install"
rm "$MG_TMP/bin/migguard"
expect_exit 1 gui git commit -q -m bad
expect_contains "$ERR" "migguard: pre-commit hook: the migguard binary is not on PATH ("
expect_contains "$ERR" ":$MG_TMP/min) nor installed beside the hook"
expect_contains "$ERR" "install it (sh install/install.sh in the migguard sources)"
expect_contains "$ERR" "git commit --no-verify"
expect_not_contains "$ERR" "not found"
# ... and migguard on PATH is found when the recorded one is gone.
ln -s "$MG_BUILD_DIR/migguard" "$MG_TMP/min/migguard"
expect_exit 1 gui git commit -q -m bad
expect_contains "$ERR" "migguard: error: .migguard.json:"
rm "$MG_TMP/min/migguard"
git rm -q --cached .migguard.json
rm .migguard.json
expect_exit 0 migguard uninstall

# cmake --install: binaries, hooks in share/migguard/hooks (which find
# ../../../bin/migguard with no PATH help), man pages.
expect_exit 0 cmake --install "$MG_BUILD_DIR" --prefix "$MG_TMP/prefix"
p="$MG_TMP/prefix"
for f in bin/migguard bin/migguard-pair bin/migguard-apply \
	share/migguard/hooks/pre-commit share/migguard/hooks/pre-push; do
	[ -x "$p/$f" ] || fail "cmake --install: no executable $f"
done
for m in migguard migguard-pair migguard-journal migguard-lint \
	migguard-docs migguard-apply; do
	[ -f "$p/share/man/man1/$m.1" ] || fail "cmake --install: no $m.1"
done
cmp -s "$p/share/migguard/hooks/pre-push" "$MG_SOURCE_DIR/hooks/pre-push" ||
	fail "installed hook differs from hooks/pre-push"
git config core.hooksPath "$p/share/migguard/hooks"
printf '{"projects": [\n' >.migguard.json
git add .migguard.json
expect_exit 1 gui git commit -q -m bad
expect_contains "$ERR" "migguard: error: .migguard.json:"
git config --unset core.hooksPath

# Hook files stay LF-only through a checkout that converts to CRLF.
cd "$MG_TMP"
new_repo src
mkdir src/hooks
cp "$MG_SOURCE_DIR/.gitattributes" src/
cp "$MG_SOURCE_DIR/hooks/pre-commit" "$MG_SOURCE_DIR/hooks/pre-push" src/hooks/
commit_all src hooks
git -c core.autocrlf=true -c core.eol=crlf clone -q src crlf
cr=$(printf '\r')
for h in pre-commit pre-push; do
	if grep -q "$cr" "crlf/hooks/$h"; then fail "CRLF in $h"; fi
	if grep -q "$cr" "$MG_SOURCE_DIR/hooks/$h"; then
		fail "CR in the source hooks/$h"
	fi
done
# ... while a file without the attribute does get CRLF (the test works).
printf 'a\nb\n' >src/notes.txt
commit_all src notes
rm -rf crlf
git -c core.autocrlf=true -c core.eol=crlf clone -q src crlf
grep -q "$cr" crlf/notes.txt || fail "the CRLF checkout did not convert"

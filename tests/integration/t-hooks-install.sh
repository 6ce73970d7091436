# migguard install / uninstall: where the hooks go, what they contain,
# chaining a foreign hook, --force, idempotence, exact restore.
new_repo r
cd r
hooks=.git/hooks

# Both hooks, executable, LF only, hooks/NAME with the binary's path.
expect_exit 0 migguard install
expect_out "migguard: installed the pre-commit hook: .git/hooks/pre-commit
migguard: installed the pre-push hook: .git/hooks/pre-push"
for h in pre-commit pre-push; do
	[ -x "$hooks/$h" ] || fail "$h is not executable"
	if grep -q "$(printf '\r')" "$hooks/$h"; then fail "$h has CR"; fi
	grep -qx "installed='$MG_BUILD_DIR/migguard'" "$hooks/$h" ||
		fail "$h does not record the binary: $(cat "$hooks/$h")"
	sed 's/^installed=.*/installed=/' "$hooks/$h" >"$MG_TMP/$h.tmpl"
	cmp -s "$MG_TMP/$h.tmpl" "$MG_SOURCE_DIR/hooks/$h" ||
		fail "$h differs from hooks/$h"
done

# Twice: nothing chained, nothing changed.
cp "$hooks/pre-commit" "$MG_TMP/first"
expect_exit 0 migguard install
expect_out "migguard: the pre-commit hook is up to date: .git/hooks/pre-commit
migguard: the pre-push hook is up to date: .git/hooks/pre-push"
cmp -s "$hooks/pre-commit" "$MG_TMP/first" || fail "second install changed it"
[ ! -e "$hooks/pre-commit.migguard-chained" ] || fail "chained itself"

# A migguard hook the user edited is theirs now: install keeps it (chained,
# and says so), uninstall leaves it alone; only a byte-identical hook of
# ours is rewritten or removed.
echo "echo my own lines" >>"$hooks/pre-commit"
cp -p "$hooks/pre-commit" "$MG_TMP/edited"
expect_exit 0 migguard uninstall --hooks pre-commit
expect_out "migguard: .git/hooks/pre-commit is migguard's hook with local edits: left alone (remove it yourself)"
cmp -s "$hooks/pre-commit" "$MG_TMP/edited" || fail "edited hook removed"
expect_exit 0 migguard install --hooks pre-commit
expect_out "migguard: installed the pre-commit hook: .git/hooks/pre-commit (the existing hook, migguard's with local edits, is kept as pre-commit.migguard-chained and runs first)"
cmp -s "$hooks/pre-commit.migguard-chained" "$MG_TMP/edited" ||
	fail "the user's lines are lost"
cmp -s "$hooks/pre-commit" "$MG_TMP/first" || fail "not written afresh"
# ... and the checks run once, though the kept hook calls migguard too.
MIGGUARD_SKIP=lint expect_exit 0 git commit -q --allow-empty -m once
[ "$(printf '%s\n' "$ERR" | grep -c 'MIGGUARD_SKIP=lint')" = 1 ] ||
	fail "the checks ran more than once: $ERR"
expect_exit 0 migguard uninstall --hooks pre-commit
cmp -s "$hooks/pre-commit" "$MG_TMP/edited" || fail "edited hook not restored"
rm "$hooks/pre-commit"
expect_exit 0 migguard install --hooks pre-commit

# The temporary file is made anew in the hooks folder: a symlink planted
# at its old fixed name (a shared core.hooksPath) is not followed.
echo precious >"$MG_TMP/victim"
rm "$hooks/pre-push"
ln -s "$MG_TMP/victim" "$hooks/pre-push.migguard-tmp"
expect_exit 0 migguard install --hooks pre-push
[ "$(cat "$MG_TMP/victim")" = precious ] || fail "followed the planted symlink"
[ -f "$hooks/pre-push" ] && [ ! -L "$hooks/pre-push" ] ||
	fail "pre-push is not a plain file"
cmp -s "$hooks/pre-push" "$MG_SOURCE_DIR/hooks/pre-push" 2>/dev/null ||
	grep -q "^# migguard-hook pre-push" "$hooks/pre-push" ||
	fail "pre-push not written"
rm "$hooks/pre-push.migguard-tmp"
ls "$hooks" | grep -q migguard-tmp && fail "temporary file left: $(ls "$hooks")"

# Uninstall removes what was not there.
expect_exit 0 migguard uninstall
expect_out "migguard: removed the pre-commit hook: .git/hooks/pre-commit
migguard: removed the pre-push hook: .git/hooks/pre-push"
[ ! -e "$hooks/pre-commit" ] && [ ! -e "$hooks/pre-push" ] ||
	fail "hooks left behind"
expect_exit 0 migguard uninstall --hooks pre-push
expect_out "migguard: no pre-push hook at .git/hooks/pre-push: nothing to remove"

# A foreign hook is chained, and uninstall restores it byte for byte,
# with its mode.
printf '#!/bin/sh\necho theirs\n' >"$hooks/pre-commit"
chmod 750 "$hooks/pre-commit"
cp -p "$hooks/pre-commit" "$MG_TMP/theirs"
expect_exit 0 migguard install --hooks pre-commit
expect_out "migguard: installed the pre-commit hook: .git/hooks/pre-commit (the existing hook is kept as pre-commit.migguard-chained and runs first)"
cmp -s "$hooks/pre-commit.migguard-chained" "$MG_TMP/theirs" ||
	fail "foreign hook not kept"
[ ! -e "$hooks/pre-push" ] || fail "--hooks pre-commit wrote pre-push"
# ... installing again keeps the chain as it is.
expect_exit 0 migguard install --hooks pre-commit
expect_out "migguard: the pre-commit hook is up to date: .git/hooks/pre-commit (runs pre-commit.migguard-chained first)"
cmp -s "$hooks/pre-commit.migguard-chained" "$MG_TMP/theirs" ||
	fail "second install touched the chained hook"
expect_exit 0 migguard uninstall
expect_out "migguard: removed the pre-commit hook and put back the one it kept: .git/hooks/pre-commit
migguard: no pre-push hook at .git/hooks/pre-push: nothing to remove"
cmp -s "$hooks/pre-commit" "$MG_TMP/theirs" || fail "not restored"
[ "$(stat -c %a "$hooks/pre-commit")" = 750 ] || fail "mode not restored"
[ ! -e "$hooks/pre-commit.migguard-chained" ] || fail "chained left"

# Uninstall leaves a foreign hook alone.
expect_exit 0 migguard uninstall --hooks pre-commit
expect_out "migguard: .git/hooks/pre-commit is not migguard's hook: left alone"
cmp -s "$hooks/pre-commit" "$MG_TMP/theirs" || fail "foreign hook touched"

# --force replaces it (saved aside, not run); uninstall puts it back.
expect_exit 0 migguard install --force --hooks pre-commit
expect_out "migguard: replaced the pre-commit hook: .git/hooks/pre-commit (the existing hook is saved as pre-commit.migguard-saved; migguard uninstall puts it back)"
[ ! -e "$hooks/pre-commit.migguard-chained" ] || fail "--force chained"
expect_exit 0 migguard uninstall --hooks pre-commit
cmp -s "$hooks/pre-commit" "$MG_TMP/theirs" || fail "not restored (force)"
[ ! -e "$hooks/pre-commit.migguard-saved" ] || fail "saved copy left"

# A symlinked foreign hook is kept as a symlink.
ln -s ../../tools/hook.sh "$hooks/pre-push"
expect_exit 0 migguard install --hooks pre-push
[ -L "$hooks/pre-push.migguard-chained" ] || fail "symlink not kept"
expect_exit 0 migguard uninstall --hooks pre-push
[ "$(readlink "$hooks/pre-push")" = ../../tools/hook.sh ] ||
	fail "symlink not restored"
rm "$hooks/pre-push"

# A leftover chained file is never overwritten.
expect_exit 0 migguard install --hooks pre-commit
printf '#!/bin/sh\necho newer\n' >"$hooks/pre-commit"
expect_exit 2 migguard install --hooks pre-commit
expect_contains "$ERR" "migguard install: error: cannot keep the existing hook"
expect_contains "$ERR" "pre-commit.migguard-chained' is in the way"
cmp -s "$hooks/pre-commit.migguard-chained" "$MG_TMP/theirs" ||
	fail "chained hook overwritten"
rm "$hooks/pre-commit" "$hooks/pre-commit.migguard-chained"

# Usage errors.
expect_exit 2 migguard install --hooks pre-rebase
expect_contains "$ERR" "migguard install: error: unknown hook 'pre-rebase'"
expect_exit 2 migguard uninstall --force
expect_exit 2 migguard install extra
expect_contains "$ERR" "unexpected argument 'extra'"
cd "$MG_TMP"
expect_exit 2 migguard install --repo "$MG_TMP/nowhere"
expect_contains "$ERR" "migguard install: error: not a git repository"
expect_exit 0 migguard help install
expect_contains "$OUT" "usage: migguard install [--repo DIR]"

# --repo from elsewhere; a bare repository has hooks too.
expect_exit 0 migguard install --repo r --hooks pre-push
[ -x r/.git/hooks/pre-push ] || fail "--repo ignored"
git init -q --bare bare.git
expect_exit 0 migguard install --repo bare.git
[ -x bare.git/hooks/pre-push ] || fail "bare: no hook"

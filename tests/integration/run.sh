#!/bin/sh
# Run one integration scenario: sh run.sh t-name.sh
# The scenario runs in a fresh temporary folder ($MG_TMP, removed after),
# with the built binaries first on PATH and tests/integration/lib.sh
# sourced. It passes when it exits 0.
set -eu
script=$1
: "${MG_BUILD_DIR:?MG_BUILD_DIR must point at the build folder}"
: "${MG_SOURCE_DIR:?MG_SOURCE_DIR must point at the source folder}"
MG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/migguard-test.XXXXXX")
chmod 755 "$MG_TMP"
export MG_TMP MG_BUILD_DIR MG_SOURCE_DIR
PATH="$MG_BUILD_DIR:$PATH"
export PATH
# A test sees git as a fresh user would: no global config, fixed identity.
HOME="$MG_TMP/home"
mkdir -p "$HOME"
export HOME
GIT_CONFIG_NOSYSTEM=1
GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL="author@example.invalid"
GIT_COMMITTER_NAME="Test Committer" GIT_COMMITTER_EMAIL="committer@example.invalid"
export GIT_CONFIG_NOSYSTEM GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
	GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE NO_COLOR CLICOLOR_FORCE \
	FORCE_COLOR MIGGUARD_SKIP 2>/dev/null || true
git config --global init.defaultBranch main
git config --global advice.detachedHead false
# No background "git gc --auto" writing into a repository while the
# scenario's folder is removed (a big commit triggers one).
git config --global gc.auto 0
git config --global maintenance.auto false
status=0
(cd "$MG_TMP" && . "$MG_SOURCE_DIR/tests/integration/lib.sh" && . "$script") ||
	status=$?
if [ "$status" -eq 0 ]; then
	rm -rf "$MG_TMP"
else
	echo "FAIL: $(basename "$script") (files kept in $MG_TMP)" >&2
fi
exit "$status"

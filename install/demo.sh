#!/bin/sh
# The demo: a repository built from real drizzle-kit output
# (tests/fixtures), where a developer staged a schema change without
# generating its migration. migguard stops that commit; the complete change
# passes. Uses the migguard on PATH.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/migguard-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$work"

run() {
	# Show the command and its output; keep going on failure.
	printf '\n$ %s\n' "$*"
	set +e
	"$@"
	status=$?
	set -e
	printf '(exit %s)\n' "$status"
}

echo
echo "== demo 1: schema edited, migration not generated =="
sh "$top/tests/fixtures/demo/make-demo.sh" "$work/bad"
cd "$work/bad"
run git status --short
run migguard check --staged
[ "$status" = 1 ] || { echo "demo: expected migguard to stop this commit" >&2; exit 1; }

echo
echo "== demo 2: schema, SQL, snapshot and journal committed together =="
sh "$top/tests/fixtures/demo/make-demo.sh" --good "$work/good"
cd "$work/good"
run git status --short
run migguard check --staged
[ "$status" = 0 ] || { echo "demo: expected migguard to pass this commit" >&2; exit 1; }
echo
echo "migguard stopped the incomplete commit and passed the complete one."

#!/bin/sh
# Callgrind profile of `migguard hook pre-commit` on the benchmark monorepo
# (instruction counts: repeatable on a busy machine).
#   sh tests/bench/profile.sh [watched|unrelated] [MIGGUARD_SKIP value]
# Run tests/bench/run.sh once first (it builds and prepares the indexes).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
case=${1:-watched}
skip=${2:-}
mg="$here/out/build/migguard"
repo=$(sh "$here/gen.sh")
idx="$repo/.git/bench-index-$case"
[ -f "$idx" ] || { echo "profile.sh: run tests/bench/run.sh first" >&2; exit 2; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cp "$idx" "$tmp"
cg="$here/out/callgrind.$case.out"
(cd "$repo" && GIT_INDEX_FILE="$tmp" MIGGUARD_SKIP="$skip" \
	valgrind --tool=callgrind --callgrind-out-file="$cg" \
	"$mg" hook pre-commit >/dev/null 2>&1) || true
callgrind_annotate --inclusive=yes "$cg" | sed -n '/PROGRAM TOTALS/,$p' |
	head -40
echo "full profile: $cg (kcachegrind, callgrind_annotate)"

#!/bin/sh
# Benchmark (not a test): the journal check on a 1,000-migration folder.
#  1. library level: journal-bench (mg_journal_check_dir), folder on disk,
#     against an empty published base and against an identical one;
#  2. binary level: `migguard-journal --all` in a throwaway git repository
#     (needs the git change-set module; skipped with a note without it).
# usage: tests/bench/journal-1000.sh [BUILD_DIR] [N] [TABLES]
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
n=${2:-1000}
tables=${3:-50}
mig=packages/db/src/migrations
work=$(mktemp -d "${TMPDIR:-/tmp}/mg-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

sh "$src/tests/bench/gen-migrations.sh" "$work/repo/$mig" "$n" "$tables"
mkdir -p "$work/pub/$mig"
cp -R "$work/repo/$mig/." "$work/pub/$mig/"
echo "folder: $n migrations, $(du -sk "$work/repo/$mig" | cut -f1) KiB"

# shellcheck disable=SC2046
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$src/include" \
	-o "$work/journal-bench" "$src/tests/bench/journal-bench.c" \
	"$build/libmigguard.a" $(pkg-config --libs libgit2 libpq libcjson) \
	-lpg_query -lpthread -lm
printf 'library, empty published base:     '
"$work/journal-bench" "$work/repo" "$mig"
printf 'library, identical published base: '
"$work/journal-bench" "$work/repo" "$mig" "$work/pub"

bin=$build/migguard-journal
cd "$work/repo"
git init -q . && git add -A &&
	git -c user.name=bench -c user.email=bench@example.invalid \
		commit -qm "$n migrations"
printf '{"projects":[{"name":"db","schema":"packages/db/src/schema","migrations":"%s"}]}\n' \
	"$mig" >.migguard.json
git add .migguard.json && git -c user.name=bench \
	-c user.email=bench@example.invalid commit -qm config
start=$(date +%s.%N)
status=0
"$bin" --all >"$work/out" 2>&1 || status=$?
end=$(date +%s.%N)
if [ "$status" -eq 2 ]; then
	echo "binary: migguard-journal --all could not run: $(tail -n 1 "$work/out")"
else
	echo "binary: migguard-journal --all exit $status," \
		"$(echo "$end - $start" | bc) s"
fi

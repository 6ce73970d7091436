#!/bin/sh
# migguard-lint beside squawk 2.66 on the same SQL files: which rules each
# reports per file, and the time per file of both (one process per file,
# as a hook would run them, and one process for all files).
#
#   sh tests/bench/lint-vs-squawk.sh [FILES.sql...]
#
# Default corpus: the real drizzle-kit fixture migrations (step-06) and the
# golden err/ cases. Needs a build (build/test or MG_BUILD_DIR) and
# tests/interop (sh tests/interop/setup.sh).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${MG_BUILD_DIR:-$top/build/test}
lint="$build/migguard-lint"
squawk="$top/tests/interop/node_modules/.bin/squawk"
[ -x "$lint" ] || { echo "build first: sh install/test.sh" >&2; exit 2; }
[ -x "$squawk" ] || sh "$top/tests/interop/setup.sh"
cd "$top"
if [ $# -eq 0 ]; then
	set -- tests/fixtures/drizzle/step-06/src/migrations/*.sql \
		tests/golden/*/err/*.sql
fi

now() { date +%s%N; }
rules_lint() {
	"$lint" --format json "$1" 2>/dev/null |
		grep -o '"rule":"[a-z-]*"' | sed 's/"rule":"//; s/"//' |
		sort -u | tr '\n' ' '
}
rules_squawk() {
	"$squawk" --reporter json "$1" 2>/dev/null |
		grep -o '"rule_name":"[a-z-]*"' | sed 's/"rule_name":"//; s/"//' |
		sort -u | tr '\n' ' '
}

printf '%s\n' "file | migguard-lint | squawk"
printf '%s\n' "--- | --- | ---"
for f in "$@"; do
	printf '%s | %s | %s\n' "${f#tests/}" "$(rules_lint "$f")" \
		"$(rules_squawk "$f")"
done

n=$#
t0=$(now)
for f in "$@"; do "$lint" "$f" >/dev/null 2>&1 || true; done
t1=$(now)
for f in "$@"; do "$squawk" "$f" >/dev/null 2>&1 || true; done
t2=$(now)
"$lint" "$@" >/dev/null 2>&1 || true
t3=$(now)
"$squawk" "$@" >/dev/null 2>&1 || true
t4=$(now)
echo
echo "files: $n"
echo "per file, one process each: migguard-lint $(( (t1 - t0) / n / 1000 )) us, squawk $(( (t2 - t1) / n / 1000 )) us"
echo "all files, one process:     migguard-lint $(( (t3 - t2) / 1000000 )) ms, squawk $(( (t4 - t3) / 1000000 )) ms"

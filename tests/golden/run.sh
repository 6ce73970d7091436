#!/bin/sh
# Golden cases for the lint rules: tests/golden/<rule-id>/{ok,err}/NAME.sql,
# each with NAME.expected beside it holding the exact result of
#   migguard-lint --format text NAME.sql
# run from that folder: a first line "exit: N", then stdout as printed.
# An ok/ case must also show no finding of its rule; an err/ case at least
# one. A new case is new files; this script does not change.
#
# MG_BUILD_DIR: the build folder (migguard-lint in it); MG_SOURCE_DIR: the
# source tree. MG_GOLDEN_UPDATE=1 rewrites the .expected files instead.
set -u

build=${MG_BUILD_DIR:?MG_BUILD_DIR must name the build folder}
src=${MG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=$(cd "$build" 2>/dev/null && pwd) || {
	echo "golden: no build folder '$MG_BUILD_DIR'" >&2
	exit 1
}
lint=$build/migguard-lint
if [ ! -x "$lint" ]; then
	echo "golden: $lint is missing: build first" >&2
	exit 1
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

cases=0
failed=0
for sql in "$src"/tests/golden/*/ok/*.sql "$src"/tests/golden/*/err/*.sql; do
	[ -f "$sql" ] || continue
	cases=$((cases + 1))
	dir=$(dirname "$sql")
	name=$(basename "$sql" .sql)
	kind=$(basename "$dir")
	rule=$(basename "$(dirname "$dir")")
	expected=$dir/$name.expected
	actual=$tmp/actual
	out=$(cd "$dir" && NO_COLOR=1 "$lint" --format text --color=never \
		"$name.sql" 2>/dev/null)
	code=$?
	printf 'exit: %s\n%s\n' "$code" "$out" | sed '${/^$/d;}' >"$actual"
	label="$rule/$kind/$name"
	if [ "${MG_GOLDEN_UPDATE:-}" = 1 ]; then
		cp "$actual" "$expected"
	fi
	if [ ! -f "$expected" ]; then
		echo "FAIL $label: $name.expected is missing"
		failed=$((failed + 1))
		continue
	fi
	if ! diff -u "$expected" "$actual" >"$tmp/diff"; then
		echo "FAIL $label: output differs"
		cat "$tmp/diff"
		failed=$((failed + 1))
		continue
	fi
	if [ "$kind" = ok ] && grep -q "\[$rule\]\$" "$actual"; then
		echo "FAIL $label: an ok case reports [$rule]"
		failed=$((failed + 1))
		continue
	fi
	if [ "$kind" = err ] && ! grep -q "\[$rule\]\$" "$actual"; then
		echo "FAIL $label: an err case does not report [$rule]"
		failed=$((failed + 1))
		continue
	fi
done
echo "golden: $cases cases, $failed failed"
[ "$cases" -gt 0 ] && [ "$failed" -eq 0 ]

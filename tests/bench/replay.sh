#!/bin/sh
# Replay a real project's history as CI would check it, commit by commit,
# and tabulate what migguard blocks: a precision measurement, not a test.
#
#   tests/bench/replay.sh BUNDLE-OR-REPO [MIGGUARD]
#
# Clones BUNDLE-OR-REPO into tests/bench/out/replay/<name> (once), finds
# every commit of its main line (first parents) that touches a drizzle
# project (a drizzle.config.* or .migguard.json anywhere in its history,
# the folders that hold them), and runs
#     migguard check --base C^ --head C --format json
# on each. Prints exit codes, commits blocked by rule, and writes
# out/replay/<name>.blocked (one commit a line, its subject and the rules
# that blocked it) and <name>.tsv (every commit: id, exit, errors,
# warnings, rules) so two runs can be compared with diff. The data stays
# in tests/bench/out (ignored by git): never copy it into the project.
# Needs jq.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
src=${1:?usage: replay.sh BUNDLE-OR-REPO [MIGGUARD]}
mg=${2:-}
command -v jq >/dev/null 2>&1 ||
	{ echo "replay.sh: jq is missing: apt-get install -y jq" >&2; exit 2; }
if [ -z "$mg" ]; then
	for b in "$top/build/test" "$top/build/release" "$top/build"; do
		[ -x "$b/migguard" ] && { mg="$b/migguard"; break; }
	done
fi
[ -n "$mg" ] && [ -x "$mg" ] ||
	{ echo "replay.sh: no migguard binary: build first or pass MIGGUARD" >&2; exit 2; }
src=$(cd "$(dirname "$src")" && pwd)/$(basename "$src")
# The checks run in the clone: a relative MIGGUARD is made absolute.
mg=$(cd "$(dirname "$mg")" && pwd)/$(basename "$mg")

name=$(basename "$src" .bundle)
name=${name%.git}
# A mirror's git folder (<owner>+<name>/repo, or .git): the folder above.
case $name in
repo | "") name=$(basename "$(dirname "$src")") ;;
esac
out="$here/out/replay"
repo="$out/$name"
mkdir -p "$out"
if [ ! -d "$repo/.git" ]; then
	git clone -q "$src" "$repo"
	git -C "$repo" config gc.auto 0
fi
cd "$repo"

# The folders of every drizzle config the history ever had.
configs=$(git log --format= --name-only HEAD |
	grep -E '(^|/)(drizzle\.config\.(ts|js|mjs|cjs|mts|cts|json)|\.migguard\.json)$' |
	sort -u)
[ -n "$configs" ] || { echo "replay.sh: no drizzle config in $src" >&2; exit 2; }
paths=$(printf '%s\n' "$configs" | while read -r c; do
	d=$(dirname "$c")
	printf '%s\n%s\n' "$c" "$d"
done | sort -u)

tsv="$out/$name.tsv"
blocked="$out/$name.blocked"
: >"$tsv"
: >"$blocked"
# shellcheck disable=SC2086
commits=$(git rev-list --first-parent --reverse HEAD -- $paths)
n=0
for c in $commits; do
	git rev-parse -q --verify "$c^" >/dev/null || continue
	n=$((n + 1))
	set +e
	json=$("$mg" check --base "$c^" --head "$c" --format json 2>"$out/stderr")
	rc=$?
	set -e
	errors=$(printf '%s' "$json" | jq -r '.summary.errors // 0' 2>/dev/null || echo 0)
	warnings=$(printf '%s' "$json" | jq -r '.summary.warnings // 0' 2>/dev/null || echo 0)
	rules=$(printf '%s' "$json" | jq -r '[.findings[] | select(.severity == "error") | .rule] | unique | join(",")' 2>/dev/null || echo "")
	short=$(git rev-parse --short=8 "$c")
	printf '%s\t%s\t%s\t%s\t%s\n' "$short" "$rc" "$errors" "$warnings" "$rules" >>"$tsv"
	if [ "$rc" != 0 ]; then
		reason=$rules
		[ "$rc" = 1 ] || reason="exit $rc: $(tail -n 1 "$out/stderr")"
		printf '%s %s [%s]\n' "$short" "$(git log -1 --format=%s "$c" | cut -c1-70)" "$reason" >>"$blocked"
	fi
done

printf 'replay of %s: %d commits touching a drizzle project\n' "$name" "$n"
awk -F'\t' '{ e[$2]++; if ($2 > 2) other++ } END {
	printf "exit 0: %d, exit 1: %d, exit 2: %d", e[0], e[1], e[2]
	if (other) printf ", other (crash or no binary): %d", other
	printf "\n" }' "$tsv"
printf 'blocked commits by rule (a commit counts once per rule):\n'
awk -F'\t' '$2 == 1 { n = split($5, r, ","); for (i = 1; i <= n; i++) c[r[i]]++ }
	END { for (k in c) printf "  %-32s %d\n", k, c[k] }' "$tsv" | sort
printf 'blocked commits: %s\n' "$blocked"

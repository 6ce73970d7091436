#!/bin/sh
# migguard's benchmark: one command, side-by-side ratios.
#
#   sh tests/bench/run.sh            # N=7 runs a figure
#   BENCH_RUNS=15 sh tests/bench/run.sh
#   BENCH_MIGRATIONS=200 BENCH_FILES=20000 sh tests/bench/run.sh   # quick
#
# Builds migguard (tests/bench/out/build, RelWithDebInfo), generates the
# monorepo (gen.sh, cached), installs the pinned peers (tests/interop), then
# times each migguard figure alternately with its baseline in the same loop,
# so machine noise hits both alike, and prints min/median/max (ms), the ratio
# of medians and whether the target is met. Peak memory by /usr/bin/time.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
runs=${BENCH_RUNS:-7}
peer_runs=${BENCH_PEER_RUNS:-3}
out="$here/out"
build="$out/build"
mkdir -p "$out"

say() { printf '%s\n' "$*" >&2; }

# Build.
if [ -z "${BENCH_NO_BUILD:-}" ]; then
	cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		>/dev/null
	cmake --build "$build" -j2 >/dev/null
fi
mg="$build/migguard"
[ -x "$mg" ] || { say "run.sh: no $mg"; exit 2; }

repo=$(sh "$here/gen.sh")
cd "$repo"

# Index files for the two pre-commit cases: main's index (full cache tree,
# as after a commit) plus the paths of bench-watched / bench-unrelated
# staged with update-index, as `git add` leaves them.
for case in watched unrelated; do
	[ -f ".git/bench-index-$case" ] && continue
	git read-tree main
	git diff --name-only main "bench-$case" | while read -r path; do
		git ls-tree "bench-$case" -- "$path" |
			awk -F'\t' '{ split($1, a, " ");
				printf "%s,%s,%s\n", a[1], a[3], $2 }' |
			xargs git update-index --add --cacheinfo
	done
	cp .git/index ".git/bench-index-$case"
done
git read-tree main

# The checks in the build: a stub says "not implemented yet".
skip=""
for check in pair journal lint docs; do
	if "$mg" "$check" --all 2>&1 | grep -q "not implemented"; then
		skip="${skip:+$skip,}$check"
	fi
done

now_ms() { date +%s%N; }

# time_ms CMD...: run once, print elapsed ms (output discarded).
time_ms() {
	t0=$(now_ms)
	"$@" >/dev/null 2>&1 || true
	t1=$(now_ms)
	echo $(((t1 - t0) / 1000))
}

# stats FILE: "min median max" in ms (µs samples in FILE).
stats() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		printf "%.1f %.1f %.1f", v[1] / 1000, v[int((NR + 1) / 2)] / 1000,
			v[NR] / 1000 }'
}

results="$out/results.txt"
: >"$results"

# side NAME BASENAME N "CMD" "BASECMD": alternate the two, record stats.
side() {
	name=$1 bname=$2 n=$3 cmd=$4 bcmd=$5
	: >"$out/a.$$"
	: >"$out/b.$$"
	sh -c "$cmd" >/dev/null 2>&1 || true # warm the page cache
	sh -c "$bcmd" >/dev/null 2>&1 || true
	i=0
	while [ "$i" -lt "$n" ]; do
		time_ms sh -c "$cmd" >>"$out/a.$$"
		time_ms sh -c "$bcmd" >>"$out/b.$$"
		i=$((i + 1))
	done
	echo "$name $(stats "$out/a.$$")" >>"$results"
	echo "$bname $(stats "$out/b.$$")" >>"$results"
	rm -f "$out/a.$$" "$out/b.$$"
}

median() { awk -v k="$1" '$1 == k { print $3 }' "$results"; }

hook="env MIGGUARD_SKIP=$skip $mg hook pre-commit"
[ -n "$skip" ] || hook="$mg hook pre-commit"
git_diff="git diff --cached --name-only"

say "bench: repository $repo"
say "bench: $runs runs a figure${skip:+; stubs skipped: $skip}"

cp .git/bench-index-watched .git/index
side hook-watched git-watched "$runs" "$hook" "$git_diff"
# shellcheck disable=SC2086 # $hook is a command line
peak_watched=$(/usr/bin/time -f %M $hook 2>&1 >/dev/null | tail -1)
cp .git/bench-index-unrelated .git/index
side hook-unrelated git-unrelated "$runs" "$hook" "$git_diff"
# shellcheck disable=SC2086
peak_unrelated=$(/usr/bin/time -f %M $hook 2>&1 >/dev/null | tail -1)
git read-tree main

# check --all against the peers on the same folder.
check="$mg check --all"
if [ -n "$skip" ]; then
	check=""
	for c in journal lint docs; do
		case ",$skip," in *",$c,"*) continue ;; esac
		check="${check:+$check; }$mg $c --all"
	done
fi
sh "$top/tests/interop/setup.sh"
bin="$top/tests/interop/node_modules/.bin"
ln -sfn "$top/tests/interop/node_modules" packages/db/node_modules
kit="cd packages/db && $bin/drizzle-kit check --config drizzle.config.ts"
squawk="$bin/squawk packages/db/src/migrations/*.sql"
side check-all drizzle-kit-check "$peer_runs" "$check" "$kit"
side check-all-2 squawk "$peer_runs" "$check" "$squawk"
peak_check=$(sh -c "/usr/bin/time -f %M sh -c '$check' 2>&1 >/dev/null |
	tail -1")

# The apply helper's own benchmark, when it is there.
apply_out=""
if [ -f "$here/apply.sh" ]; then
	apply_out=$(MG_BUILD_DIR="$build" \
		sh "$here/apply.sh" 2>&1) || apply_out="apply.sh failed: $apply_out"
fi

# Report.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() {
	awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t ? "met" : "NOT met") }'
}
line() {
	printf '%-44s %9s %9s %9s\n' "$1" "$2" "$3" "$4"
}

echo
echo "migguard benchmark ($(git -C "$top" rev-parse --short HEAD)," \
	"$(git ls-files | wc -l) files, $(ls packages/db/src/migrations/*.sql |
	wc -l) migrations, $runs runs; ms)"
line "figure" min median max
while read -r name a b c; do
	line "$name" "$a" "$b" "$c"
done <"$results"
echo
hw=$(median hook-watched) gw=$(median git-watched)
hu=$(median hook-unrelated) gu=$(median git-unrelated)
ca=$(median check-all) dk=$(median drizzle-kit-check)
ca2=$(median check-all-2) sq=$(median squawk)
r1=$(ratio "$hw" "$gw") r2=$(ratio "$hu" "$gu")
r3=$(ratio "$ca" "$dk") r4=$(ratio "$ca2" "$sq")
printf '%-58s %6s  %-6s %s\n' "target" ratio limit verdict
printf '%-58s %6s  %-6s %s\n' "hook, schema + migration staged / git diff --cached" \
	"$r1" "1.5" "$(verdict "$r1" 1.5)"
printf '%-58s %6s  %-6s %s\n' "hook, nothing watched staged / git diff --cached" \
	"$r2" "1.2" "$(verdict "$r2" 1.2)"
printf '%-58s %6s  %-6s %s\n' "check --all / drizzle-kit check" \
	"$r3" "0.05" "$(verdict "$r3" 0.05)"
printf '%-58s %6s  %-6s %s\n' "check --all / squawk" \
	"$r4" "0.5" "$(verdict "$r4" 0.5)"
pw=$((peak_watched / 1024)) pu=$((peak_unrelated / 1024))
pc=$((peak_check / 1024))
printf '%-58s %4s MiB  %-6s %s\n' "hook peak memory (schema + migration)" \
	"$pw" "64" "$(verdict "$pw" 63.99)"
printf '%-58s %4s MiB  %-6s %s\n' "hook peak memory (nothing watched)" \
	"$pu" "64" "$(verdict "$pu" 63.99)"
printf '%-58s %4s MiB\n' "check --all peak memory" "$pc"
if [ -n "$skip" ]; then
	echo "note: $skip not implemented in this build: skipped" \
		"(hook: MIGGUARD_SKIP; check --all: the other checks one by one)"
fi
if [ -n "$apply_out" ]; then
	echo
	echo "$apply_out"
else
	echo "apply: tests/bench/apply.sh not present (the apply helper adds it)"
fi

#!/bin/sh
# Start-up and the staged hook: the dynamically linked build against the
# self-contained one (install/release.sh), each beside git.
#
#   sh tests/bench/startup.sh [RUNS]      # default 300 runs a figure
#
# Figures: `migguard version` (start-up: the dynamic loader and the
# libraries' constructors) against `git --version`; `migguard hook
# pre-commit` in the demo repository with one unrelated file staged (the
# commit every developer makes) against `git diff --cached --name-only`.
# Prints the mean wall time per run (ms) and CPU time (perf stat
# task-clock, when perf works here). Builds what is missing: build/bench-dyn
# (Release, shared libgit2) and build/dist (install/release.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
runs=${1:-300}
dyn="$top/build/bench-dyn"
if [ ! -x "$dyn/migguard" ]; then
	cmake -S "$top" -B "$dyn" -DCMAKE_BUILD_TYPE=Release -DMIGGUARD_TESTS=OFF >/dev/null
	cmake --build "$dyn" -j2 >/dev/null
fi
version=$("$dyn/migguard" version | sed 's/^migguard //')
sc="$top/build/dist/migguard-$version-linux-x64-gnu/bin"
[ -x "$sc/migguard" ] || sh "$top/install/release.sh" --no-deps >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/migguard-startup.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$work"
sh "$top/tests/fixtures/demo/make-demo.sh" --clean "$work/repo"
cd "$work/repo"
echo "# notes" >NOTES.md
git add NOTES.md

# mean ms of one run of "$@" over $runs runs
wall() {
	s=$(date +%s%N)
	i=0
	while [ "$i" -lt "$runs" ]; do
		"$@" >/dev/null 2>&1 </dev/null || true
		i=$((i + 1))
	done
	e=$(date +%s%N)
	echo "$(( (e - s) / runs / 1000 ))" | awk '{ printf "%.2f", $1 / 1000 }'
}
cpu() {
	if perf stat -r 3 true >/dev/null 2>&1; then
		perf stat -r "$runs" "$@" 2>&1 >/dev/null </dev/null |
			awk '/task-clock/ { printf "%.2f", $1 }'
	else
		printf 'n/a'
	fi
}
row() {
	name=$1
	shift
	printf '| %s | %s ms | %s ms |\n' "$name" "$(wall "$@")" "$(cpu "$@")"
}

echo "| figure ($runs runs, mean) | wall | CPU (task-clock) |"
echo "|---|---|---|"
row "git --version" git --version
row "migguard version, dynamic" "$dyn/migguard" version
row "migguard version, self-contained" "$sc/migguard" version
row "git diff --cached --name-only" git diff --cached --name-only
row "hook pre-commit, dynamic" "$dyn/migguard" hook pre-commit
row "hook pre-commit, self-contained" "$sc/migguard" hook pre-commit

#!/bin/sh
# Benchmark (not a test): apply N small migrations to an empty database,
# migguard-apply against drizzle-orm 0.45.4's migrator, same cluster, same
# run. Prints min/median/max seconds of each and the median ratio.
#   MG_BUILD_DIR=build sh tests/bench/apply.sh [N...] (default 100 1000)
# Runs RUNS times each (default 5) on a throwaway cluster.
set -eu
MG_SOURCE_DIR=${MG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
MG_BUILD_DIR=$(cd "${MG_BUILD_DIR:-$MG_SOURCE_DIR/build}" && pwd)
RUNS=${RUNS:-5}
MG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/migguard-bench.XXXXXX")
export MG_TMP MG_SOURCE_DIR
cd "$MG_TMP"
. "$MG_SOURCE_DIR/tests/integration/lib.sh"
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
sh "$MG_SOURCE_DIR/tests/interop/setup.sh"
pg_start
trap 'pg_stop; rm -rf "$MG_TMP"' EXIT

now() { date +%s.%N; }

# stats FILE: "min median max" of the numbers in FILE.
stats() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f %.3f %.3f\n", v[1], m, v[NR] }'
}

[ $# -gt 0 ] || set -- 100 1000
for n in "$@"; do
	make_migrations "m$n" "$n"
	: >"mg$n.times"
	: >"dz$n.times"
	r=0
	while [ "$r" -lt "$RUNS" ]; do
		r=$((r + 1))
		pg_createdb "mg${n}_$r"
		t0=$(now)
		"$MG_BUILD_DIR/migguard-apply" --migrations "m$n" \
			--database-url "$DB_URL" >/dev/null 2>&1 ||
			fail "migguard-apply failed"
		t1=$(now)
		echo "$t1 - $t0" | bc >>"mg$n.times"
		pg_createdb "dz${n}_$r"
		t0=$(now)
		node "$MG_SOURCE_DIR/tests/interop/migrate.mjs" --url "$DB_URL" \
			--folder "m$n" || fail "drizzle failed"
		t1=$(now)
		echo "$t1 - $t0" | bc >>"dz$n.times"
	done
	set -- $(stats "mg$n.times")
	mg_med=$2
	printf 'N=%-5s migguard-apply  min %s  median %s  max %s s\n' "$n" "$1" "$2" "$3"
	set -- $(stats "dz$n.times")
	printf 'N=%-5s drizzle-orm     min %s  median %s  max %s s\n' "$n" "$1" "$2" "$3"
	printf 'N=%-5s ratio (drizzle / migguard, medians) %.1fx\n' "$n" \
		"$(echo "$2 / $mg_med" | bc -l)"
done

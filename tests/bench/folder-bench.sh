#!/bin/sh
# The folder layout of drizzle 1.0 at size: a project made from the real
# rc.5 fixture step-05 whose last migration (a table, an index, a foreign
# key) is repeated N times under new names, each folder chained to the one
# before (ids, prevIds, footprints as rc.5 writes them), then the hook with
# one more folder and its schema edit staged, and `check --all`, each timed
# beside git. A measurement, not a test.
#
#   sh tests/bench/folder-bench.sh [N] [MIGGUARD]      (N = 300)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
n=${1:-300}
mg=${2:-$top/build/test/migguard}
mg=$(cd "$(dirname "$mg")" && pwd)/$(basename "$mg")
runs=${BENCH_RUNS:-7}
fx="$top/tests/fixtures/drizzle-1.0/step-05"
repo="$here/out/folders-$n"
last=20261203102030_research_step

# uuid K: a fixed id for generated migration K.
uuid() { printf '7affeb4e-30bf-41bc-bf68-%012d' "$1"; }

# add K DIR: migration K, a copy of step-05's last one for table t_K.
add() {
	k=$1 m=$2/src/migrations
	name=$(printf '2027%010d_t_%d' "$k" "$k")
	prev=$(uuid $((k - 1)))
	[ "$k" = 1 ] && prev=$(sed -n 's/^  "id": "\(.*\)",$/\1/p' \
		"$fx/src/migrations/$last/snapshot.json")
	mkdir -p "$m/$name"
	sed "s/research_step/t_$k/g" "$fx/src/migrations/$last/migration.sql" \
		>"$m/$name/migration.sql"
	sed -e "s/research_step/t_$k/g" \
		-e "s/^  \"id\": \".*\",$/  \"id\": \"$(uuid "$k")\",/" \
		-e "/\"prevIds\": \[/{n;s/\".*\"/\"$prev\"/;}" \
		"$fx/src/migrations/$last/snapshot.json" >"$m/$name/snapshot.json"
	printf 'export const t_%d = 1;\n' "$k" >>"$2/src/schema/index.ts"
}

if [ ! -d "$repo/.git" ]; then
	rm -rf "$repo"
	mkdir -p "$repo"
	cp -R "$fx" "$repo/db"
	k=1
	while [ "$k" -le "$n" ]; do
		add "$k" "$repo/db"
		k=$((k + 1))
	done
	git -C "$repo" init -q
	git -C "$repo" add -A
	git -C "$repo" -c user.name=b -c user.email=b@b commit -q -m base
	# Packed, as a clone is (loose objects cost a file each).
	git -C "$repo" repack -adq
fi
cd "$repo"
git reset -q --hard
git clean -q -fdx
add $((n + 1)) db
git add -A

now_ms() { date +%s%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1000000 }'; }
: >"$here/out/f.mg"; : >"$here/out/f.git"; : >"$here/out/f.all"
i=0
while [ "$i" -lt "$runs" ]; do
	t0=$(now_ms); "$mg" hook pre-commit >/dev/null 2>&1 || true; t1=$(now_ms)
	echo $((t1 - t0)) >>"$here/out/f.mg"
	t0=$(now_ms); git diff --cached --name-only >/dev/null; t1=$(now_ms)
	echo $((t1 - t0)) >>"$here/out/f.git"
	t0=$(now_ms); "$mg" check --all >/dev/null 2>&1 || true; t1=$(now_ms)
	echo $((t1 - t0)) >>"$here/out/f.all"
	i=$((i + 1))
done
echo "folder layout, $n + 1 migrations, $runs runs (median ms):"
echo "  hook pre-commit, one folder + schema staged: $(median <"$here/out/f.mg")  git diff --cached: $(median <"$here/out/f.git")"
echo "  check --all: $(median <"$here/out/f.all")"
"$mg" hook pre-commit 2>&1 | tail -2
git reset -q --hard
git clean -q -fdx

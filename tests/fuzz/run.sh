#!/bin/sh
# Fuzz every target for SECONDS each (default 20):
#   sh tests/fuzz/run.sh [SECONDS] [TARGET...]
# Builds build-fuzz/ (clang, libFuzzer, ASan + UBSan; MG_FUZZ_BUILD_DIR to
# use another), seeds each corpus from tests/fixtures/drizzle (migfolder:
# tests/fixtures/drizzle-1.0), the golden SQL and tests/fuzz/seeds, then
# runs the targets one after the other.
# Corpora grow in $MG_FUZZ_OUT/corpus/<target> (default build-fuzz/fuzz).
# Exit 1 when a target crashed, leaked, hung or ran out of memory: the
# input is saved in $MG_FUZZ_OUT/crashers/<target>/ and replayed with
# replay_<target> (any build); keep it as a regression test by copying it
# to tests/fuzz/regressions/<target>/. Exit 2 when it could not run.
set -eu

secs=${1:-20}
[ $# -gt 0 ] && shift
case $secs in
''|*[!0-9]*) echo "usage: run.sh [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${MG_FUZZ_BUILD_DIR:-$src/build-fuzz}
out=${MG_FUZZ_OUT:-$build/fuzz}
fixtures=$src/tests/fixtures/drizzle
fixtures1=$src/tests/fixtures/drizzle-1.0

command -v clang >/dev/null 2>&1 || {
	echo "run.sh: clang is missing: apt-get install clang" >&2
	exit 2
}
CC=clang cmake -S "$src" -B "$build" -DMIGGUARD_SANITIZE=ON \
	-DMIGGUARD_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null ||
	exit 2
cmake --build "$build" -j2 >"$build/fuzz-build.log" 2>&1 || {
	cat "$build/fuzz-build.log" >&2
	exit 2
}

# pack DIR: a fixture folder in the memtree format (fuzz.h), without the
# TypeScript schema files nothing but pair reads.
pack() {
	(cd "$1" && find . \( -type f -o -type l \) ! -path './src/schema/*' |
		sed 's|^\./||' | LC_ALL=C sort | while read -r f; do
		if [ -L "$f" ]; then
			printf '@@@ l %s\n%s\n' "$f" "$(readlink "$f")"
		else
			printf '@@@ f %s\n' "$f"
			cat "$f"
			printf '\n'
		fi
	done)
}

# seed TARGET: fill seed/<target> from the fixtures (and seeds/<target>).
seed() {
	d=$out/seed/$1
	rm -rf "$d"
	mkdir -p "$d"
	if [ -d "$here/seeds/$1" ]; then
		cp "$here/seeds/$1"/* "$d"/
	fi
	n=0
	case $1 in
	json)
		for f in $(find "$fixtures" "$here/seeds" -name '*.json'); do
			n=$((n + 1))
			cp "$f" "$d/fixture-$n.json"
		done ;;
	migdir)
		for f in "$fixtures"/step-* "$fixtures"/branches/*; do
			pack "$f" >"$d/$(basename "$f").tree"
		done ;;
	journal)
		prev=
		for f in "$fixtures"/step-* "$fixtures"/branches/*; do
			{
				pack "$f"
				if [ -n "$prev" ]; then
					printf '@@@@ published\n'
					pack "$prev"
				fi
			} >"$d/$(basename "$f").tree"
			prev=$f
		done ;;
	migfolder)
		# drizzle 1.0 (rc.5) folders, and what `drizzle-kit up` read
		for f in "$fixtures1"/step-* "$fixtures1"/branches/* \
			"$fixtures1"/up/*; do
			[ -d "$f" ] || continue
			pack "$f" >"$d/rc5-$(basename "$(dirname "$f")")-$(basename "$f").tree"
		done ;;
	config_drizzle)
		for f in $(find "$fixtures" -name 'drizzle.config.*'); do
			n=$((n + 1))
			cp "$f" "$d/fixture-$n.ts"
		done ;;
	tsscan)
		prev=
		for f in "$fixtures"/step-*; do
			# not $t: the caller's loop variable (sh has no locals)
			for ts in "$f"/src/schema/*.ts; do
				n=$((n + 1))
				b=$(basename "$ts")
				if [ -n "$prev" ] && [ -f "$prev/src/schema/$b" ]; then
					{ cat "$prev/src/schema/$b"; printf '\n@@@@\n'; cat "$ts"; } >"$d/edit-$n.ts"
				else
					cp "$ts" "$d/file-$n.ts"
				fi
			done
			prev=$f
		done ;;
	lint|srcmap|docs)
		for f in $(find "$fixtures" "$src/tests/golden" -name '*.sql'); do
			n=$((n + 1))
			cp "$f" "$d/sql-$n.sql"
		done ;;
	esac
}

if [ $# -eq 0 ]; then
	set -- $(cd "$build/tests/fuzz" && ls fuzz_* | sed 's/^fuzz_//')
fi
failed=""
summary=""
for t in "$@"; do
	bin=$build/tests/fuzz/fuzz_$t
	[ -x "$bin" ] || { echo "run.sh: no fuzz target '$t'" >&2; exit 2; }
	seed "$t"
	mkdir -p "$out/corpus/$t" "$out/crashers/$t"
	log=$out/$t.log
	echo "fuzz: $t for ${secs}s"
	status=0
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
	LSAN_OPTIONS=suppressions=$src/tests/lsan.supp \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/crashers/$t/" \
		"$out/corpus/$t" "$out/seed/$t" >"$log" 2>&1 || status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	line="$t: ${execs:-?} executions, ${rate:-?}/s"
	if [ "$status" -ne 0 ]; then
		line="$line, FAILED (exit $status)"
		failed="$failed $t"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" |
			head -5 >&2 || true
		for c in "$out/crashers/$t"/*; do
			[ -f "$c" ] || continue
			echo "fuzz: $t: crasher $c; replay: $build/tests/fuzz/replay_$t $c; keep: cp $c $here/regressions/$t/" >&2
		done
		echo "fuzz: $t: full log $log" >&2
	fi
	echo "fuzz: $line"
	summary="$summary$line
"
done
printf '%s' "$summary"
if [ -n "$failed" ]; then
	echo "fuzz: FAILED:$failed" >&2
	exit 1
fi

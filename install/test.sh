#!/bin/sh
# The whole test suite, as CI runs it: packages, a -Werror build, every
# unit, golden and integration test (real git, a throwaway PostgreSQL, the
# real drizzle-kit/drizzle-orm from npm).
#
#   install/test.sh [--sanitize] [--no-deps] [-- CTEST_ARGS...]
#
# --sanitize  build and run under AddressSanitizer + UBSan (build/asan)
set -eu

sanitize=OFF
deps=1
while [ $# -gt 0 ]; do
	case $1 in
	--sanitize) sanitize=ON ;;
	--no-deps) deps=0 ;;
	--) shift; break ;;
	*) echo "test.sh: unknown option '$1'" >&2; exit 2 ;;
	esac
	shift
done

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# Build dependencies plus what the tests run (install.sh --test-deps).
if [ "$deps" = 1 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		sh install/install.sh --test-deps --no-build
	fi
	sh tests/interop/setup.sh
	sh tests/interop/rc5/setup.sh
fi

if [ "$sanitize" = ON ]; then
	dir=build/asan
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0
	export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
	dir=build/test
fi
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DMIGGUARD_WERROR=ON \
	-DMIGGUARD_SANITIZE="$sanitize" >/dev/null
log="$dir/build.log"
if ! cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)" >"$log" 2>&1; then
	grep -E -A5 'error|warning' "$log" >&2 || cat "$log" >&2
	echo "test.sh: build failed (full log: $log)" >&2
	exit 1
fi
ctest --test-dir "$dir" --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" "$@"

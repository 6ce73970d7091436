#!/bin/sh
# Install migguard: Debian 12 packages, a release build, the binaries.
#
#   install/install.sh [--prefix DIR] [--no-deps] [--test-deps] [--no-build]
#                      [--demo]
#
# --prefix DIR  where to install (default /usr/local)
# --no-deps     do not install packages (they must be there)
# --test-deps   also what the tests run (install/test.sh uses it)
# --no-build    packages only: no build, no install
# --demo        afterwards, run migguard on the demo repository
#               (install/demo.sh): one commit it stops, one it lets through
set -eu

prefix=/usr/local
deps=1
test_deps=0
build=1
demo=0
while [ $# -gt 0 ]; do
	case $1 in
	--prefix)
		[ $# -ge 2 ] || { echo "install.sh: --prefix needs a folder" >&2; exit 2; }
		prefix=$2
		shift
		;;
	--no-deps) deps=0 ;;
	--test-deps) test_deps=1 ;;
	--no-build) build=0 ;;
	--demo) demo=1 ;;
	-h | --help)
		sed -n '2,13s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*)
		echo "install.sh: unknown option '$1' (see --help)" >&2
		exit 2
		;;
	esac
	shift
done

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# What migguard needs to build and run (libpg-query-dev: the PostgreSQL
# parser; libpq: the apply; git: the fallback for indexes libgit2 1.5
# cannot read).
PACKAGES="build-essential cmake pkg-config git libgit2-dev libpq-dev
libcjson-dev libcmocka-dev libpg-query-dev"
# What the tests run: PostgreSQL 15 server, util-linux (script), strace
# (a refused host is never connected to), clang and
# its libFuzzer runtime (the fuzz targets), time; node and npm (drizzle
# interop, squawk, husky, lefthook, the npm packages) unless the machine
# already has them.
if [ "$test_deps" = 1 ]; then
	PACKAGES="$PACKAGES postgresql-15 postgresql-client-15 util-linux
clang libclang-rt-14-dev time strace"
	# The release tests: install/release.sh's archives and links
	# (postgresql-server-dev-15: libpgcommon.a, libpgport.a), a minimal
	# Debian root (debootstrap), the real pre-commit framework.
	PACKAGES="$PACKAGES postgresql-server-dev-15 libkrb5-dev libldap-dev
debootstrap pre-commit"
	command -v node >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs"
	command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"
fi

if [ "$deps" = 1 ]; then
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "install.sh: apt-get not found: install these packages" \
			"yourself, then run again with --no-deps:" $PACKAGES >&2
		exit 2
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "install.sh: run as root to install packages (or install" \
			"them and pass --no-deps):" $PACKAGES >&2
		exit 2
	fi
	echo "migguard: installing packages: $(echo $PACKAGES)"
	apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $PACKAGES >/dev/null
fi

[ "$build" = 1 ] || exit 0
echo "migguard: building (build/release)"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release \
	-DMIGGUARD_TESTS=OFF >/dev/null
cmake --build build/release -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
echo "migguard: installing into $prefix"
cmake --install build/release --prefix "$prefix" >/dev/null
echo "migguard: installed $("$prefix/bin/migguard" version)"

if [ "$demo" = 1 ]; then
	PATH="$prefix/bin:$PATH" sh install/demo.sh
fi

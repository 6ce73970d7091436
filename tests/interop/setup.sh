#!/bin/sh
# Installs the pinned node packages of tests/interop (drizzle-kit, drizzle-orm,
# pg, squawk, husky, lefthook) into tests/interop/node_modules. Idempotent and
# quiet: does nothing when node_modules already matches package-lock.json.
#
# Install scripts are not run (--ignore-scripts): lefthook's postinstall would
# run `lefthook install` and write hooks into the enclosing repository. The
# packages used here work without them (binaries come from platform packages).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "install nodejs and npm: apt-get install -y nodejs npm" >&2
	exit 1
fi

stamp=node_modules/.migguard-lock
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
	exit 0
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
flags="--ignore-scripts --no-audit --no-fund --loglevel=error"
# shellcheck disable=SC2086
if ! npm ci $flags >"$log" 2>&1; then
	# `npm ci` refuses a lockfile that lacks some other platform's optional
	# package (a registry mirror without them). `npm install` with the same
	# lockfile installs the same locked versions; --no-save leaves it as is.
	# shellcheck disable=SC2086
	if ! npm install --no-save $flags >"$log" 2>&1; then
		cat "$log" >&2
		echo "setup.sh: npm install failed in $here" >&2
		exit 1
	fi
fi
cp package-lock.json "$stamp"

#!/bin/sh
# Installs the pinned drizzle-kit / drizzle-orm 1.0.0-rc.5 and pg of
# tests/interop/rc5 into tests/interop/rc5/node_modules (the folder layout;
# tests/interop/ holds the 0.31 / 0.45 ones). Idempotent and quiet: does
# nothing when node_modules already matches package-lock.json. No install
# scripts are run.
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
if ! npm ci --ignore-scripts --no-audit --no-fund --loglevel=error \
	>"$log" 2>&1; then
	cat "$log" >&2
	echo "rc5/setup.sh: npm ci failed in $here" >&2
	exit 1
fi
cp package-lock.json "$stamp"

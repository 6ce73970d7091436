#!/bin/sh
# Generates (once) the benchmark monorepo and prints its path:
# one drizzle project of $BENCH_MIGRATIONS migrations (default 1000) and
# $BENCH_FILES unrelated files (default 100000) in a deep tree, committed on
# main, plus branches bench-watched (a complete new migration) and
# bench-unrelated (3 app files edited). Built with git fast-import in a few
# seconds and cached under tests/bench/out/, keyed by generator version and
# sizes. Only packages/db is checked out (for drizzle-kit and squawk); the
# index is read from HEAD with a full cache tree, as after a commit.
set -eu

GEN_VERSION=1
here=$(cd "$(dirname "$0")" && pwd)
m=${BENCH_MIGRATIONS:-1000}
f=${BENCH_FILES:-100000}
docs=${BENCH_DOCS:-50}
out="$here/out"
repo="$out/repo-v$GEN_VERSION-m$m-f$f-d$docs"

if [ -f "$repo/.bench-done" ]; then
	echo "$repo"
	exit 0
fi
mkdir -p "$out"
tmp="$repo.tmp.$$"
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT
git init -q -b main "$tmp"
LC_ALL=C awk -v M="$m" -v F="$f" -v DOCS="$docs" -f "$here/gen.awk" |
	git -C "$tmp" fast-import --quiet
(
	cd "$tmp"
	git config user.name Bench
	git config user.email bench@example.com
	# An upstream, so "committed" means what origin/main has.
	git update-ref refs/remotes/origin/main refs/heads/main
	git config remote.origin.url https://example.invalid/bench.git
	git config remote.origin.fetch '+refs/heads/*:refs/remotes/origin/*'
	git config branch.main.remote origin
	git config branch.main.merge refs/heads/main
	git symbolic-ref HEAD refs/heads/main
	git read-tree HEAD
	git checkout -q -- packages/db package.json pnpm-lock.yaml
	git gc -q --aggressive --prune=now 2>/dev/null || git gc -q
	git read-tree HEAD
	git checkout -q -- packages/db
)
touch "$tmp/.bench-done"
rm -rf "$repo"
mv "$tmp" "$repo"
trap - EXIT
echo "$repo"

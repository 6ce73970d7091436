# The npm packages install/release.sh writes, used the way a Drizzle team
# uses them: `npm install -D` of the local tarballs into a new Node project
# (no network: husky comes from the pinned tests/interop packages), then
# `npx migguard install`, plain and under husky 9; the hooks call
# node_modules/.bin/migguard and stop a bad commit with a minimal PATH.
# Also the shim itself: a missing platform package, exit codes, signals.
. "$MG_SOURCE_DIR/tests/integration/dist.sh"
dist_build
sh "$MG_SOURCE_DIR/tests/interop/setup.sh" ||
	fail "tests/interop/setup.sh could not install husky"
nm="$MG_SOURCE_DIR/tests/interop/node_modules"
(cd "$MG_TMP" && npm pack --silent "$nm/husky" >/dev/null) ||
	fail "npm pack husky failed"
husky_tgz=$(ls "$MG_TMP"/husky-9*.tgz)
# What GUI git clients give hooks: no migguard on PATH, node in /usr/bin.
node_dir=$(dirname "$(command -v node)")
PATH="$node_dir:/usr/bin:/bin"
export PATH
npm_flags="--offline --no-audit --no-fund --loglevel=error"
export npm_config_cache="$MG_TMP/npm-cache"

# The packages themselves: no install scripts; os, cpu, libc declared.
tar -xzOf "$DIST_PLATFORM_TGZ" package/package.json >"$MG_TMP/platform.json"
tar -xzOf "$DIST_MAIN_TGZ" package/package.json >"$MG_TMP/main.json"
node -e '
const p = require(process.argv[1]), m = require(process.argv[2]);
const ok = p.name === "@migguard/linux-x64-gnu" && p.os[0] === "linux" &&
	p.cpu[0] === "x64" && p.libc[0] === "glibc" && !p.scripts && !m.scripts &&
	m.optionalDependencies["@migguard/linux-x64-gnu"] === p.version &&
	m.bin.migguard && m.bin["migguard-apply"];
if (!ok) { console.error(JSON.stringify({p, m})); process.exit(1); }
' "$MG_TMP/platform.json" "$MG_TMP/main.json" || fail "package.json fields"

sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" app
cd app
printf 'node_modules/\n' >.gitignore
echo '{"name": "app", "private": true}' >package.json
# shellcheck disable=SC2086
expect_exit 0 npm install -D $npm_flags "$DIST_MAIN_TGZ" "$DIST_PLATFORM_TGZ" "$husky_tgz"
[ -x node_modules/.bin/migguard ] || fail "no node_modules/.bin/migguard"
expect_exit 0 npx --offline migguard version
expect_out "migguard $DIST_VERSION"

# Plain git: the hook calls the project's node_modules/.bin/migguard.
expect_exit 0 npx --offline migguard install
expect_contains "$OUT" "installed the pre-commit hook: .git/hooks/pre-commit"
grep -qx "installed='node_modules/.bin/migguard'" .git/hooks/pre-commit ||
	fail "hook does not call node_modules/.bin/migguard: $(cat .git/hooks/pre-commit)"
expect_exit 1 git commit -q -m "schema only"
expect_contains "$ERR" "[schema-without-migration]"
expect_contains "$ERR" "migguard: commit stopped"
expect_exit 0 npx --offline migguard uninstall
[ ! -e .git/hooks/pre-commit ] || fail "uninstall left the hook"

# husky 9: install prints the line in the node_modules/.bin form.
expect_exit 0 npx --offline husky
[ "$(git config core.hooksPath)" = ".husky/_" ] || fail "husky not set up"
expect_exit 0 npx --offline migguard install
expect_contains "$OUT" "husky runs this repository's hooks"
expect_contains "$OUT" "  node_modules/.bin/migguard hook pre-commit"
echo 'node_modules/.bin/migguard hook pre-commit' >.husky/pre-commit
expect_exit 1 git commit -q -m "schema only"
expect_contains "$ERR" "[schema-without-migration]"
expect_contains "$ERR" "husky - pre-commit script failed"
[ "$(git rev-list --count HEAD)" = 2 ] || fail "the bad commit went through"
# The whole change, schema + SQL + snapshot + journal: let through.
copy_step 02 .
git add packages
expect_exit 0 git commit -q -m "plan summary"
[ "$(git rev-list --count HEAD)" = 3 ] || fail "the good commit was stopped"
cd "$MG_TMP"

# The shim without its platform package: a clear message, exit 2.
mkdir bare
cd bare
echo '{"name": "bare", "private": true}' >package.json
# shellcheck disable=SC2086
expect_exit 0 npm install -D --omit=optional $npm_flags "$DIST_MAIN_TGZ"
[ ! -e node_modules/@migguard/linux-x64-gnu ] || fail "platform package installed"
expect_exit 2 node_modules/.bin/migguard version
expect_contains "$ERR" "migguard: error: the platform package @migguard/linux-x64-gnu is not installed"
expect_contains "$ERR" "npm install -D @migguard/linux-x64-gnu"

# The shim passes arguments, stdin, the exit code and a signal through.
fake=node_modules/@migguard/linux-x64-gnu
mkdir -p "$fake/bin"
echo '{"name": "@migguard/linux-x64-gnu", "version": "0.0.0"}' >"$fake/package.json"
cat >"$fake/bin/migguard" <<'SH'
#!/bin/sh
case $1 in
echo) shift; echo "args: $*"; cat; exit 7 ;;
kill) kill -TERM $$ ;;
esac
SH
chmod 755 "$fake/bin/migguard"
echo "from stdin" >"$MG_TMP/in"
expect_exit 7 sh -c 'node_modules/.bin/migguard echo a "b c" <"$1"' sh "$MG_TMP/in"
expect_out "args: a b c
from stdin"
set +e
node_modules/.bin/migguard kill
status=$?
set -e
[ "$status" = 143 ] || fail "a signal is not passed through (exit $status, want 143)"

# The self-contained build (install/release.sh) needs nothing on the target
# but glibc: ldd lists only glibc and the bundle's lib/, and in a minimal
# Debian 12 (debootstrap minbase, no build package) the demo passes and
# the installed pre-commit hook stops a bad commit.
. "$MG_SOURCE_DIR/tests/integration/dist.sh"
dist_build
rootfs_make

# On this machine: every library is glibc's or the bundle's.
for b in "$DIST_BUNDLE"/bin/*; do
	ldd "$b" >"$MG_TMP/ldd" || fail "ldd $b failed"
	if grep -v -e "$DIST_BUNDLE/bin/../lib/" -e linux-vdso \
		-e '/libc\.so\.6 ' -e '/ld-linux-x86-64\.so\.2' \
		-e '/libresolv\.so\.2 ' -e '/libm\.so\.6 ' "$MG_TMP/ldd" \
		>"$MG_TMP/outside"; then
		cat "$MG_TMP/ldd" >&2
		fail "$(basename "$b") needs libraries outside glibc and the bundle: $(cat "$MG_TMP/outside")"
	fi
	grep -q "not found" "$MG_TMP/ldd" && fail "$(basename "$b"): a library is missing"
done
[ "$(readelf -d "$DIST_BUNDLE/bin/migguard" | grep -c 'RPATH.*\[\$ORIGIN/../lib\]')" = 1 ] ||
	fail "run path is not \$ORIGIN/../lib: $(readelf -d "$DIST_BUNDLE/bin/migguard" | grep -i path)"

# Inside the minimal root: no libgit2, libpq, libpg_query, cjson.
for pkg in libgit2-1.5 libpq5 libpg-query-dev libcjson1 build-essential; do
	if chroot "$ROOTFS" dpkg -s "$pkg" >/dev/null 2>&1; then
		fail "the root file system has $pkg"
	fi
done
rm -rf "$ROOTFS/mg"
mkdir -p "$ROOTFS/mg/src/install" "$ROOTFS/mg/src/tests/fixtures"
trap 'rm -rf "$ROOTFS/mg"' EXIT
cp -R "$DIST_BUNDLE/bin" "$DIST_BUNDLE/lib" "$ROOTFS/mg/"
cp "$MG_SOURCE_DIR/install/demo.sh" "$ROOTFS/mg/src/install/"
cp -R "$MG_SOURCE_DIR/tests/fixtures/demo" "$MG_SOURCE_DIR/tests/fixtures/drizzle" \
	"$ROOTFS/mg/src/tests/fixtures/"

expect_exit 0 in_rootfs 'ldd /mg/bin/migguard /mg/bin/migguard-apply'
expect_not_contains "$OUT" "not found"
expect_exit 0 in_rootfs 'migguard version'
expect_out "migguard $DIST_VERSION"
expect_exit 0 in_rootfs 'sh /mg/src/install/demo.sh'
expect_contains "$OUT" "migguard stopped the incomplete commit and passed the complete one."

# The hook, installed and run by git inside the root.
expect_exit 0 in_rootfs '
	set -e
	export GIT_CONFIG_NOSYSTEM=1 HOME=/mg/home
	mkdir -p /mg/home
	git config --global user.name T && git config --global user.email t@example.invalid
	sh /mg/src/tests/fixtures/demo/make-demo.sh /mg/repo
	cd /mg/repo
	migguard install
	if git commit -q -m "schema only" 2>/mg/err; then echo "not stopped"; exit 1; fi
	cat /mg/err
	grep -q "migguard: commit stopped" /mg/err'
expect_contains "$OUT" "schema-without-migration"

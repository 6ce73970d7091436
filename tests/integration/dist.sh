# Helpers for the release scenarios (t-dist-*.sh), sourced after lib.sh.
# dist_build runs install/release.sh once per source state into
# build/dist (the build is incremental); rootfs_make makes a minimal
# Debian 12 root file system once, cached in build/rootfs-bookworm.
DIST_DIR="$MG_SOURCE_DIR/build/dist"
ROOTFS="$MG_SOURCE_DIR/build/rootfs-bookworm"

dist_build() {
	need node "apt-get install nodejs npm"
	need npm "apt-get install npm"
	need flock "apt-get install util-linux"
	mkdir -p "$MG_SOURCE_DIR/build"
	flock "$MG_SOURCE_DIR/build/.dist.lock" \
		sh "$MG_SOURCE_DIR/install/release.sh" --no-deps --out "$DIST_DIR" \
		>"$MG_TMP/release.log" 2>&1 ||
		{ cat "$MG_TMP/release.log" >&2; fail "install/release.sh failed"; }
	DIST_VERSION=$("$MG_BUILD_DIR/migguard" version | sed 's/^migguard //')
	DIST_BUNDLE="$DIST_DIR/migguard-$DIST_VERSION-linux-x64-gnu"
	DIST_MAIN_TGZ="$DIST_DIR/migguard-$DIST_VERSION.tgz"
	DIST_PLATFORM_TGZ="$DIST_DIR/migguard-linux-x64-gnu-$DIST_VERSION.tgz"
	for f in "$DIST_BUNDLE/bin/migguard" "$DIST_MAIN_TGZ" "$DIST_PLATFORM_TGZ"; do
		[ -e "$f" ] || fail "release.sh did not write $f"
	done
}

# Debian's bookworm, minbase, plus git (the demo makes repositories), from
# the Debian archive apt uses. Made once: later runs reuse it.
rootfs_make() {
	[ "$(id -u)" = 0 ] || fail "the chroot test needs root (chroot, mount)"
	need debootstrap "apt-get install debootstrap (install/install.sh --test-deps)"
	need unshare "apt-get install util-linux"
	[ -x "$ROOTFS/usr/bin/git" ] && return 0
	flock "$MG_SOURCE_DIR/build/.rootfs.lock" sh -c '
		[ -x "$1/usr/bin/git" ] && exit 0
		rm -rf "$1.tmp"
		debootstrap --variant=minbase --include=git bookworm "$1.tmp" \
			>"$2" 2>&1 || exit 1
		rm -rf "$1" && mv "$1.tmp" "$1"' sh "$ROOTFS" "$MG_TMP/debootstrap.log" ||
		{ tail -20 "$MG_TMP/debootstrap.log" >&2; fail "debootstrap failed"; }
}

# in_rootfs CMD: run sh -c CMD inside the root file system, with /proc,
# an empty environment and PATH=/mg/bin:/usr/bin:/bin.
in_rootfs() {
	unshare --mount --fork sh -c '
		mount -t proc proc "$1/proc" || exit 2
		chroot "$1" /usr/bin/env -i PATH=/mg/bin:/usr/bin:/bin \
			HOME=/tmp LANG=C.UTF-8 sh -c "$2"' sh "$ROOTFS" "$1"
}

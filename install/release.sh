#!/bin/sh
# The self-contained release build: binaries that need nothing on the
# target but glibc (Debian 12's or newer), a release tarball and the npm
# packages.
#
#   install/release.sh [--no-deps] [--out DIR]
#
# libgit2, libpq, libpg_query and what they need are linked statically
# where Debian ships the archive (lib*.a); the shared libraries that remain
# (cJSON, Kerberos, LDAP and its TLS) are carried in lib/ beside bin/,
# found through the run path $ORIGIN/../lib. Writes into DIR (default
# build/dist):
#   migguard-VERSION-PLATFORM/{bin,lib}   the bundle
#   migguard-VERSION-PLATFORM.tar.gz      the release tarball
#   migguard-VERSION.tgz                  npm: the package users add
#   migguard-PLATFORM-VERSION.tgz         npm: @migguard/PLATFORM
#
# --no-deps   do not install packages (they must be there)
# --out DIR   where to write (default build/dist)
set -eu

deps=1
out=
while [ $# -gt 0 ]; do
	case $1 in
	--no-deps) deps=0 ;;
	--out)
		[ $# -ge 2 ] || { echo "release.sh: --out needs a folder" >&2; exit 2; }
		out=$2
		shift
		;;
	-h | --help)
		sed -n '2,21s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*)
		echo "release.sh: unknown option '$1' (see --help)" >&2
		exit 2
		;;
	esac
	shift
done

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=${out:-$top/build/dist}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# Beyond install.sh's: the archives libpq.a needs (libpgcommon.a,
# libpgport.a: postgresql-server-dev-15), the headers and links of the
# libraries that stay shared, and npm for `npm pack`.
if [ "$deps" = 1 ]; then
	sh install/install.sh --no-build
	extra="postgresql-server-dev-15 libkrb5-dev libldap-dev"
	command -v npm >/dev/null 2>&1 || extra="$extra npm"
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $extra >/dev/null
	else
		echo "release.sh: not root or no apt-get: install these yourself" \
			"(or pass --no-deps): $extra" >&2
	fi
fi
tools="cmake npm node strip"
[ "$(uname -s)" = Linux ] && tools="$tools ldd"
[ "$(uname -s)" = Darwin ] && tools="$tools otool install_name_tool"
for tool in $tools; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "release.sh: $tool not found (Debian: apt-get install cmake nodejs npm binutils; macOS: brew install cmake node)" >&2
		exit 2
	}
done

case $(uname -s)-$(uname -m) in
Linux-x86_64) os=linux cpu=x64 ;;
Linux-aarch64) os=linux cpu=arm64 ;;
Darwin-arm64) os=darwin cpu=arm64 ;;
Darwin-x86_64) os=darwin cpu=x64 ;;
*) echo "release.sh: no package for $(uname -s) $(uname -m)" >&2; exit 2 ;;
esac
platform=$os-$cpu
[ "$os" = linux ] && platform=$platform-gnu

build=build/release-dist
echo "migguard: self-contained build ($build)"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMIGGUARD_TESTS=OFF \
	-DMIGGUARD_SELF_CONTAINED=ON >"$out/cmake.log" 2>&1 || {
	cat "$out/cmake.log" >&2
	exit 1
}
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" >"$out/build.log" 2>&1 || {
	grep -E -A5 'error' "$out/build.log" >&2 || cat "$out/build.log" >&2
	echo "release.sh: build failed (full log: $out/build.log)" >&2
	exit 1
}
version=$("$build/migguard" version | sed 's/^migguard //')
binaries="migguard migguard-pair migguard-journal migguard-lint migguard-docs migguard-apply"

# The bundle: bin/ and the shared libraries outside glibc in lib/.
name=migguard-$version-$platform
stage=$out/$name
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/lib"
for b in $binaries; do
	cp "$build/$b" "$stage/bin/$b"
	if [ "$os" = linux ]; then
		strip --strip-unneeded "$stage/bin/$b"
	else
		strip -x "$stage/bin/$b"
	fi
done
if [ "$os" = linux ]; then
	# glibc's libraries stay the system's; everything else comes along.
	glibc='^(linux-vdso|ld-linux|libc|libm|libdl|libpthread|librt|libresolv|libutil|libnsl|libanl|libmvec)[.-]'
	for b in $binaries; do
		ldd "$stage/bin/$b" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }'
	done | sort -u | while read -r soname path; do
		if printf '%s\n' "$soname" | grep -Eq "$glibc"; then
			continue
		fi
		cp -L "$path" "$stage/lib/$soname"
		chmod 644 "$stage/lib/$soname"
	done
fi
if [ "$os" = darwin ]; then
	# Homebrew's dylibs (not the system's) come along, renamed to be
	# found through the run path @loader_path/../lib.
	for b in $binaries; do
		otool -L "$stage/bin/$b" | awk 'NR > 1 { print $1 }' |
			grep -E '^/(opt/homebrew|usr/local)/' | while read -r dylib; do
			base=$(basename "$dylib")
			[ -e "$stage/lib/$base" ] || {
				cp -L "$dylib" "$stage/lib/$base"
				chmod 644 "$stage/lib/$base"
				install_name_tool -id "@rpath/$base" "$stage/lib/$base"
			}
			install_name_tool -change "$dylib" "@rpath/$base" "$stage/bin/$b"
		done
	done
fi
tar -czf "$out/$name.tar.gz" -C "$out" "$name"
echo "migguard: $out/$name.tar.gz"

# npm: the platform package (the bundle) and the package of shims.
npm_stage=$out/npm
rm -rf "$npm_stage"
mkdir -p "$npm_stage"
cp -R install/npm/platform "$npm_stage/$platform"
cp -R "$stage/bin" "$stage/lib" "$npm_stage/$platform/"
cp -R install/npm/migguard "$npm_stage/migguard"
node - "$npm_stage" "$platform" "$version" "$os" "$cpu" <<'EOF'
const fs = require('fs');
const [dir, platform, version, os, cpu] = process.argv.slice(2);
const edit = (file, change) => {
	const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
	change(pkg);
	fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
};
edit(`${dir}/${platform}/package.json`, (pkg) => {
	pkg.name = `@migguard/${platform}`;
	pkg.version = version;
	pkg.os = [os];
	pkg.cpu = [cpu];
	if (os === 'linux')
		pkg.libc = ['glibc'];
});
edit(`${dir}/migguard/package.json`, (pkg) => {
	pkg.version = version;
	for (const dep of Object.keys(pkg.optionalDependencies))
		pkg.optionalDependencies[dep] = version;
});
EOF
for p in "$platform" migguard; do
	(cd "$npm_stage/$p" && npm pack --silent --pack-destination "$out" >/dev/null)
done
echo "migguard: $out/migguard-$version.tgz"
echo "migguard: $out/migguard-$platform-$version.tgz"

#!/bin/bash
# make deb: the Debian packages postgresql-NN-peoplefirst, built with
# pg_buildext (debian/rules: dh --with pgxs_loop) for every PostgreSQL server
# version installed here that debian/pgversions allows, from a clean copy of
# the tree (the files git tracks or would track, without build products).
# The .deb files land in build/deb/ (DEB_OUT overrides). Installs the build
# dependencies it needs (debhelper, dpkg-dev, postgresql-server-dev-all) as
# root, or prints the apt-get command. Build-time tests are skipped
# (nocheck): test/deb/test.sh runs the package's autopkgtest on the
# installed files instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
. test/pg/lib.sh

ensure_packages build-essential debhelper dpkg-dev postgresql-server-dev-all postgresql-common

out=${DEB_OUT:-$top/build/deb}
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
upstream=${version%-*}
src=$out/src/peoplefirst-$upstream
began=$(date +%s)

rm -rf "$out"
mkdir -p "$src"
# the tree as git would commit it (untracked files that .gitignore does not
# exclude too, so that uncommitted work is packaged), without build/
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		grep -zv '^build/' |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -cf - -T - | tar -xf - -C "$src"
else
	tar --exclude=./build --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
		--exclude=./.built-for -cf - . | tar -xf - -C "$src"
fi

echo "peoplefirst: building postgresql-*-peoplefirst $version for PostgreSQL $(pg_buildext supported-versions "$src" 2>/dev/null | tr '\n' ' ')in $src"
# debian/control names the packages for the versions this machine supports
(cd "$src" && PG_UPDATECONTROL=yes pg_buildext checkcontrol >/dev/null)
if ! (cd "$src" && DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" \
	dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1; then
	tail -n 60 "$out/build.log" >&2
	echo "peoplefirst: the package build failed (whole log: $out/build.log)" >&2
	exit 1
fi
mv "$out"/src/*.deb "$out"/
mv "$out"/src/*.buildinfo "$out"/src/*.changes "$out"/ 2>/dev/null || true
echo "peoplefirst: built in $(($(date +%s) - began))s, in $out:"
for deb in "$out"/*.deb; do
	echo "  $(basename "$deb"): $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version), $(dpkg-deb -c "$deb" | grep -c -v '/$') files"
done

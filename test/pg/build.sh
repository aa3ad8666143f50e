#!/bin/bash
# Builds a PostgreSQL server that Debian packages in a later suite than this
# machine's, from the upstream tarball of Debian's source package, into a
# cache outside the clone, with the contrib modules the tests use
# (postgres_fdw, amcheck, pg_prewarm) and pgTAP (from Debian's pgtap source
# package, built with PGXS against that server):
#
#   test/pg/build.sh MAJOR        17 (trixie), 18 (sid), 19 (experimental)
#
# The server lands in $PG_CACHE/MAJOR (PG_CACHE defaults to
# /var/cache/peoplefirst/pg for root, ~/.cache/peoplefirst/pg otherwise), the
# directory that `make ... PG_MAJOR=MAJOR` looks in. A stamp written after a
# complete build makes a second run return at once. The sources are found
# through a private apt configuration (deb-src lines for the suite, on the
# mirror this machine's apt configuration names) that leaves the system's
# sources and lists alone.
#
# Environment: PG_CACHE; PG_SUITE overrides the suite; PG_REBUILD=1 builds
# again over a cached server. Exit status 69: the source package could not be
# downloaded from the mirror (nothing was built).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
umask 022

major=${1:-}
case $major in
'' | *[!0-9]*)
	echo "usage: $0 MAJOR   (17, 18 or 19)" >&2
	exit 2
	;;
esac
case $major in
17) suite=trixie ;;
18) suite=sid ;;
19) suite=experimental ;;
*) suite= ;;
esac
suite=${PG_SUITE:-$suite}
if [ -z "$suite" ]; then
	echo "peoplefirst: no Debian suite known for PostgreSQL $major; set PG_SUITE (e.g. sid)" >&2
	exit 2
fi

cache=$(pg_cache)
prefix=$cache/$major
stamp=$prefix/.peoplefirst-complete
mkdir -p "$cache"
chmod 755 "$cache" 2>/dev/null || true
[ "$(id -u)" = 0 ] && chmod 755 "$(dirname "$cache")" 2>/dev/null

# one build of a major at a time (matrix runs, two clones)
exec 9>"$cache/.lock-$major"
flock 9

# what the tests use from contrib; a cache built with another list is
# built again
contrib="postgres_fdw amcheck pg_prewarm"
recipe="contrib: $contrib"
if [ -f "$stamp" ] && [ -x "$prefix/bin/pg_config" ] && [ "${PG_REBUILD:-0}" != 1 ] &&
	[ "$(sed -n 2p "$stamp")" = "$recipe" ]; then
	echo "peoplefirst: $(head -n 1 "$stamp"), cached in $prefix"
	exit 0
fi

began=$(date +%s)
echo "peoplefirst: building PostgreSQL $major from Debian's $suite sources into $prefix"

# ---------------------------------------------------------------- build tools

tools=(build-essential bison flex perl bzip2 gzip xz-utils patch)
if [ "$(id -u)" = 0 ]; then
	ensure_packages "${tools[@]}"
else
	missing=$(missing_packages "${tools[@]}" | tr '\n' ' ')
	if [ -n "$missing" ]; then
		ensure_packages "${tools[@]}" || exit 1
	fi
fi

# ---------------------------------------------------------------- sources

read -r mirror keyring < <(apt_archive) || {
	echo "peoplefirst: no Debian archive found in this machine's apt configuration" >&2
	exit 1
}
read -r security_mirror security_keyring < <(apt_archive security) || security_mirror=
signed() { [ "$1" != - ] && echo "[signed-by=$1] "; }

apt_dir=$cache/apt/$suite
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
{
	echo "deb-src $(signed "$keyring")$mirror $suite main"
	case $suite in
	experimental) echo "deb-src $(signed "$keyring")$mirror sid main" ;;	# pgtap
	sid | unstable) ;;
	*)
		echo "deb-src $(signed "$keyring")$mirror $suite-updates main"
		[ -n "$security_mirror" ] && echo "deb-src $(signed "$security_keyring")$security_mirror $suite-security main"
		;;
	esac
} >"$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Dir::Etc::Preferences=/dev/null
	-o Dir::Etc::PreferencesParts=/dev/null -o Acquire::Languages=none)
[ "$(id -u)" = 0 ] || apt_opts+=(-o Debug::NoLocking=1)
echo "peoplefirst: apt-get update of deb-src $suite (private lists in $apt_dir)"
apt-get -q "${apt_opts[@]}" update >"$apt_dir/update.log" 2>&1 || {
	cat "$apt_dir/update.log" >&2
	exit 1
}

# fetch PACKAGE: downloads the upstream tarball of Debian's source package
# PACKAGE into $src (checked against the hash in the signed index); prints
# "FILE VERSION"
src=$cache/src
mkdir -p "$src"
fetch() {
	local pkg=$1 uris line uri file hash version
	uris=$(apt-get -q "${apt_opts[@]}" source --print-uris "$pkg" 2>&1) || {
		echo "peoplefirst: no source package $pkg in $suite:" >&2
		echo "$uris" >&2
		return 69
	}
	line=$(grep -E "^'[^']+' ${pkg}_[^ ]+\.orig\.tar\.[a-z0-9]+ " <<<"$uris" | head -n 1)
	[ -n "$line" ] || { echo "peoplefirst: no upstream tarball in $pkg's source package" >&2; return 69; }
	read -r uri file _ hash <<<"$line"
	uri=${uri//\'/}
	version=$(grep -oE "'[^']+/${pkg}_[^']+\.dsc'" <<<"$uris" | sed -E "s/.*${pkg}_(.*)\.dsc'/\1/")
	version=$(printf '%b' "${version//%/\\x}")	# %7e is ~, %2b is +
	if [ ! -s "$src/$file" ]; then
		echo "peoplefirst: downloading $file ($pkg $version)" >&2
		if ! /usr/lib/apt/apt-helper -q -o APT::Sandbox::User=root download-file "$uri" "$src/$file.part" "$hash" >"$src/$file.log" 2>&1; then
			echo "peoplefirst: the mirror did not serve $uri:" >&2
			grep -v '^W: ' "$src/$file.log" >&2
			echo "peoplefirst: $pkg $version ($suite) cannot be built here now; nothing was built" >&2
			rm -f "$src/$file.part"
			return 69
		fi
		mv "$src/$file.part" "$src/$file"
		rm -f "$src/$file.log"
	fi
	echo "$src/$file $version"
}
pg_line=$(fetch "postgresql-$major") || exit $?
read -r pg_tar pg_version <<<"$pg_line"
tap_line=$(fetch pgtap) || exit $?
read -r tap_tar tap_version <<<"$tap_line"

# ---------------------------------------------------------------- build

work=$cache/build-$major
rm -rf "$work" "$prefix"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

echo "peoplefirst: configure and make (-j2) of $(basename "$pg_tar"); log in $work/build.log while it runs"
tar -xf "$pg_tar" -C "$work"
tar -xf "$tap_tar" -C "$work"
pg_dir=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'postgresql-*' | head -n 1)
tap_dir=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'pgtap*' | head -n 1)
log=$work/build.log
# a make that runs this script (make test PG_MAJOR=N) must not pass its
# MAKELEVEL and flags on: PostgreSQL generates its headers only in a
# top-level make
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES MAKE_TERMOUT MAKE_TERMERR PG_CONFIG
steps() {
	cd "$pg_dir" &&
		./configure --prefix="$prefix" --without-icu --without-readline --without-zlib &&
		make -j2 &&
		make install || return 1
	for m in $contrib; do
		make -C "contrib/$m" -j2 install || return 1
	done
	cd "$tap_dir" &&
		make PG_CONFIG="$prefix/bin/pg_config" &&
		make PG_CONFIG="$prefix/bin/pg_config" install
}
if ! (steps) >"$log" 2>&1; then
	echo "peoplefirst: building PostgreSQL $major failed; the end of the log:" >&2
	tail -n 40 "$log" >&2
	cp "$log" "$cache/build-$major.log" && echo "(whole log: $cache/build-$major.log)" >&2
	rm -rf "$prefix"
	exit 1
fi

took=$(($(date +%s) - began))
server=$("$prefix/bin/pg_config" --version)
printf '%s\n' "$server (Debian source postgresql-$major $pg_version from $suite), pgTAP $tap_version, built in ${took}s" \
	"$recipe" >"$stamp"
chmod -R a+rX "$prefix"
echo "peoplefirst: built $server and pgTAP $tap_version into $prefix in $((took / 60))m$((took % 60))s"

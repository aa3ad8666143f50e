#!/bin/bash
# Installs what building and testing peoplefirst need, when it is missing:
#   - for the server PG_CONFIG names (default: Debian's `postgresql`, the
#     distribution's default version), Debian's packages: the server,
#     contrib, the development files and pgTAP for that major version;
#   - for PG_MAJOR=NN that Debian does not have installed, the build tools,
#     then test/pg/build.sh NN (the server, postgres_fdw and pgTAP, built
#     from Debian's source package into a cache outside the clone);
#   - in both cases the test tools (gcc, make, pg_prove, sqlsmith, python3).
# Extra Debian package names may be given as arguments. As root it installs
# with apt-get; otherwise it prints the apt-get command to run.
# It reads no PostgreSQL build file, so it works before any is installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pg/lib.sh"

tools=(gcc make perl python3 libtap-parser-sourcehandler-pgtap-perl sqlsmith postgresql-common "$@")

major=${PG_MAJOR:-}
if [ -n "$major" ] && [ ! -x "/usr/lib/postgresql/$major/bin/pg_config" ]; then
	# a server Debian does not have here: built from source into the cache
	ensure_packages "${tools[@]}"
	exec bash "$here/pg/build.sh" "$major"
fi

pg_config=${PG_CONFIG:-pg_config}
if [ -n "$major" ]; then
	ensure_packages "${tools[@]}" "postgresql-$major" "postgresql-server-dev-$major" postgresql-server-dev-all
else
	ensure_packages "${tools[@]}" postgresql postgresql-contrib postgresql-server-dev-all
fi

# pgTAP for the major version that pg_config reports, where Debian packages
# it (a server built by test/pg/build.sh holds its own)
if ! version=$("$pg_config" --version 2>/dev/null); then
	echo "peoplefirst: '$pg_config' does not run; set PG_CONFIG to your server's pg_config" >&2
	exit 1
fi
bindir=$("$pg_config" --bindir)
case $bindir in
/usr/lib/postgresql/*)
	major=$(sed -E 's/^PostgreSQL ([0-9]+).*/\1/' <<<"$version")
	ensure_packages "postgresql-$major-pgtap" "postgresql-server-dev-$major"
	;;
esac

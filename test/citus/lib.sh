# shellcheck shell=bash
# Shared by test/citus/run.sh and test/citus/measure.sh (sourced, not run):
# finding or building Citus for the server that PG_CONFIG names, and a
# throw-away Citus cluster of three servers (a coordinator and two workers)
# on free loopback ports, stopped and removed by citus_cleanup.
#
#   citus_ready          Citus installed in the server, or built and installed
#                        from CITUS_SRC (a tarball, or a directory of them);
#                        returns 77 with a reason in $citus_skip when neither
#                        (no CITUS_SRC, or none of its tarballs supports the
#                        server), 1 when CITUS_SRC names nothing or the build
#                        fails
#   citus_start          starts the three servers, creates the Citus extension
#                        and adds the workers; sets coord_port, worker_ports
#   csql PORT ARGS...    psql on the database postgres of that server
#   citus_cleanup        stops the servers and removes their directories
#
# As root the servers run as the user postgres; trust authentication on
# 127.0.0.1 (nothing else listens). CITUS_CONF: more postgresql.conf lines.

# ensure_packages PACKAGE...: as root, installs those that are missing with
# apt-get (after one apt-get update)
ensure_packages() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing Debian packages: ${missing[*]}"
	apt-get update -qq </dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

PG_CONFIG=${PG_CONFIG:-pg_config}
export PG_CONFIG

pg_bindir=$("$PG_CONFIG" --bindir 2>/dev/null)
pg_sharedir=$("$PG_CONFIG" --sharedir 2>/dev/null)
pg_pkglibdir=$("$PG_CONFIG" --pkglibdir 2>/dev/null)
pg_version=$("$PG_CONFIG" --version 2>/dev/null)
pg_major=$(sed -E 's/^PostgreSQL ([0-9]+).*/\1/' <<<"$pg_version")
pg_psql=$pg_bindir/psql
[ -x "$pg_psql" ] || pg_psql=psql

citus_work=
citus_skip=
citus_dirs=()
coord_port=
worker_ports=()

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}
superuser_name() { [ "$(id -u)" = 0 ] && echo postgres || id -un; }

csql() {
	local port=$1
	shift
	"$pg_psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$(superuser_name)" -d postgres "$@" 2>&1
}

citus_installed() {
	[ -f "$pg_sharedir/extension/citus.control" ] && [ -f "$pg_pkglibdir/citus.so" ]
}

# The PostgreSQL majors a Citus source tarball builds against, read from
# the version check of its configure script.
citus_tarball_majors() {
	tar -xzOf "$1" --wildcards '*/configure' 2>/dev/null |
		grep -m1 -E '^elif test "\$version_num" != ' | grep -oE "'[0-9]+'" | tr -d "'"
}

# The tarball to build: CITUS_SRC itself, or in the directory CITUS_SRC the
# newest citus-X.Y.Z.tar.gz; either way one whose configure accepts this
# server's major version.
citus_tarball() {
	local src=$CITUS_SRC f majors
	if [ -f "$src" ]; then
		majors=$(citus_tarball_majors "$src")
		grep -qx "$pg_major" <<<"$majors" && echo "$src"
		return
	fi
	for f in $(ls "$src"/citus-*.tar.gz 2>/dev/null | sort -V -r); do
		majors=$(citus_tarball_majors "$f")
		if grep -qx "$pg_major" <<<"$majors"; then
			echo "$f"
			return 0
		fi
	done
	return 1
}

# citus_build TARBALL: extracts it into a temporary directory, installs the
# Debian packages its build needs (as root), builds it for this server and
# installs it there. The output goes to $citus_work/citus-build.log; what
# went wrong is printed as TAP comments.
citus_build() {
	local tarball=$1 src dir log=$citus_work/citus-build.log sudo=
	src=$(mktemp -d "${TMPDIR:-/tmp}/peoplefirst-citus-src.XXXXXX")
	citus_dirs+=("$src")
	tar -xzf "$tarball" -C "$src" >>"$log" 2>&1 || { echo "# cannot extract $tarball"; return 1; }
	dir=$(echo "$src"/citus-*)
	# configure: lz4 and zstd (the column store); compiling: gssapi.h, which
	# the server's headers include; libcurl is not used (--without-libcurl)
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		ensure_packages gcc make perl liblz4-dev libzstd-dev libkrb5-dev >>"$log" 2>&1 ||
			{ echo "# installing the build dependencies failed:"; tail -n 20 "$log" | sed 's/^/# /'; return 1; }
	fi
	# PostgreSQL 15.18 and later declare have_createdb_privilege() in
	# commands/dbcommands.h, and the copy that Citus keeps for 15 then clashes
	# with it ("static declaration follows non-static declaration"): the copy
	# is dropped from the extracted sources when the server declares it.
	if grep -qs 'have_createdb_privilege' "$("$PG_CONFIG" --includedir-server)/commands/dbcommands.h"; then
		perl -0pi -e 's/static inline bool\s*\nhave_createdb_privilege\(void\)\s*\n\{.*?\n\}\n//s' \
			"$dir/src/include/pg_version_compat.h"
	fi
	[ -w "$pg_pkglibdir" ] && [ -w "$pg_sharedir/extension" ] || sudo=sudo
	if [ -n "$sudo" ] && ! command -v sudo >/dev/null; then
		echo "# installing Citus needs write access to $pg_pkglibdir (run as root)"
		return 1
	fi
	if ! (cd "$dir" && ./configure --without-libcurl PG_CONFIG="$PG_CONFIG" &&
		make -j2 with_llvm=no && $sudo make install with_llvm=no) >>"$log" 2>&1; then
		echo "# building $(basename "$tarball") failed:"
		tail -n 30 "$log" | sed 's/^/# /'
		return 1
	fi
	rm -rf "$src"
}

# citus_ready: Citus is installed in the server, from CITUS_SRC if need be.
# 77: it is not, and cannot be (the reason in $citus_skip).
citus_ready() {
	local tarball t0
	[ -n "$pg_bindir" ] && [ -x "$pg_bindir/initdb" ] ||
		{ citus_skip="no server found through PG_CONFIG=$PG_CONFIG"; return 77; }
	citus_work=$(mktemp -d "${TMPDIR:-/tmp}/peoplefirst-citus.XXXXXX")
	chmod 755 "$citus_work"
	citus_installed && return 0
	if [ -z "${CITUS_SRC:-}" ]; then
		citus_skip="Citus is not installed in PostgreSQL $pg_major; CITUS_SRC=path/to/citus-X.Y.Z.tar.gz builds it"
		return 77
	fi
	if [ ! -e "$CITUS_SRC" ]; then
		echo "# CITUS_SRC=$CITUS_SRC: no such file or directory"
		return 1
	fi
	if ! tarball=$(citus_tarball); then
		citus_skip="CITUS_SRC=$CITUS_SRC holds no Citus source tarball for PostgreSQL $pg_major"
		return 77
	fi
	echo "# building $(basename "$tarball") for $pg_version"
	t0=$(date +%s)
	citus_build "$tarball" || return 1
	citus_installed || { echo "# Citus built, but $pg_sharedir/extension/citus.control is missing"; return 1; }
	echo "# built and installed in $(( $(date +%s) - t0 )) s"
}

# citus_start_server NAME: initdb and start one server; prints its port.
citus_start_server() {
	local name=$1 data=$citus_work/$1 port
	if ! out=$(cd / && as_owner env -u PGDATA -u PGOPTIONS LC_ALL=C.UTF-8 "$pg_bindir/initdb" -D "$data" \
		-U "$(superuser_name)" --auth-local=trust --auth-host=trust -E UTF8 --locale=C.UTF-8 --no-sync 2>&1); then
		echo "initdb $name failed: $out" >&2
		return 1
	fi
	cat >>"$data/postgresql.conf" <<EOF

# test/citus: a throw-away Citus server
listen_addresses = '127.0.0.1'
unix_socket_directories = '$citus_work'
shared_preload_libraries = 'citus'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
include_if_exists = 'port.conf'
${CITUS_CONF:-}
EOF
	for _ in $(seq 1 20); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
		echo "port = $port" >"$data/port.conf"
		[ "$(id -u)" = 0 ] && chown postgres: "$data/port.conf" "$data/postgresql.conf"
		if (cd / && as_owner "$pg_bindir/pg_ctl" -D "$data" -w -t 120 -l "$citus_work/$name.log" start) \
			>/dev/null 2>&1; then
			echo "$port"
			return 0
		fi
		as_owner "$pg_bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1
		grep -qiE "could not bind|address already in use|could not create any TCP/IP sockets|lock file .* already exists" \
			"$citus_work/$name.log" 2>/dev/null || break
	done
	echo "$name did not start:" >&2
	tail -n 20 "$citus_work/$name.log" >&2
	return 1
}

# citus_start: the coordinator and two workers, with the workers added.
citus_start() {
	local name port out
	[ "$(id -u)" = 0 ] && chown postgres: "$citus_work"
	for name in coordinator worker1 worker2; do
		port=$(citus_start_server "$name" 2>&1) || { echo "$port" | sed 's/^/# /'; return 1; }
		case $name in
		coordinator) coord_port=$port ;;
		*) worker_ports+=("$port") ;;
		esac
		out=$(csql "$port" -c "CREATE EXTENSION citus") || { echo "# CREATE EXTENSION citus on $name: $out"; return 1; }
	done
	out=$(csql "$coord_port" -c "SELECT citus_set_coordinator_host('127.0.0.1', $coord_port)" \
		-c "SELECT citus_add_node('127.0.0.1', ${worker_ports[0]})" \
		-c "SELECT citus_add_node('127.0.0.1', ${worker_ports[1]})") || { echo "# adding the workers: $out"; return 1; }
}

# every server started under the work directory (also one that a start
# interrupted left running), then the directories
citus_cleanup() {
	local d
	for d in "$citus_work"/*/; do
		[ -n "$citus_work" ] && [ -f "$d/PG_VERSION" ] || continue
		as_owner "$pg_bindir/pg_ctl" -D "$d" -w -t 60 -m fast stop >/dev/null 2>&1 ||
			as_owner "$pg_bindir/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1
	done
	for d in "${citus_dirs[@]}" "$citus_work"; do
		[ -n "$d" ] && rm -rf "$d"
	done
	citus_work=
}

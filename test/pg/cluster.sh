#!/bin/bash
# Runs a command on a throw-away cluster of the server that PG_CONFIG names
# (Debian's package or a server built by test/pg/build.sh), like
# `pg_virtualenv -t CMD`:
#
#   test/pg/cluster.sh CMD [ARGS...]
#
# initdb in a temporary directory (as the user postgres when run as root), a
# free loopback port (another is tried when the server cannot start on it),
# then CMD runs with
#   PGHOST=127.0.0.1 PGPORT PGDATABASE=postgres
#   PGUSER=postgres (or the calling user) PGPASSWORD   a superuser
#   PGVERSION (the major version), the server's bindir first in PATH
# Local (socket) connections are trusted; TCP asks every role for its
# password (scram-sha-256), as pg_virtualenv's clusters do. The server logs
# through its logging collector to log/postgresql.log in the data directory
# (pg_current_logfile() names it). PF_CLUSTER_CONF may hold more lines for
# postgresql.conf. The cluster is stopped and removed afterwards, and CMD's
# exit status returned.
#
#   test/pg/cluster.sh --ctl stop|start|restart
# inside CMD: stops or starts that cluster (for a test that changes a
# setting that needs a restart).
set -uo pipefail

superuser_of() { [ "$(id -u)" = 0 ] && echo postgres || id -un; }
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

if [ "${1:-}" = --ctl ]; then
	: "${PF_CLUSTER_DATA:?--ctl runs inside test/pg/cluster.sh}"
	case ${2:-} in
	stop) as_owner "$PF_CLUSTER_BINDIR/pg_ctl" -D "$PF_CLUSTER_DATA" -w -t 120 -m fast stop ;;
	start) as_owner "$PF_CLUSTER_BINDIR/pg_ctl" -D "$PF_CLUSTER_DATA" -w -t 120 \
		-l "$PF_CLUSTER_DATA/../startup.log" start ;;
	restart)
		as_owner "$PF_CLUSTER_BINDIR/pg_ctl" -D "$PF_CLUSTER_DATA" -w -t 120 -m fast stop &&
			as_owner "$PF_CLUSTER_BINDIR/pg_ctl" -D "$PF_CLUSTER_DATA" -w -t 120 \
				-l "$PF_CLUSTER_DATA/../startup.log" start
		;;
	*)
		echo "usage: $0 --ctl stop|start|restart" >&2
		exit 2
		;;
	esac
	exit
fi

[ $# -gt 0 ] || {
	echo "usage: $0 CMD [ARGS...]" >&2
	exit 2
}

PG_CONFIG=${PG_CONFIG:-pg_config}
if ! bindir=$("$PG_CONFIG" --bindir 2>/dev/null) || [ ! -x "$bindir/initdb" ]; then
	echo "peoplefirst: no server found through PG_CONFIG=$PG_CONFIG (initdb missing)" >&2
	exit 2
fi
version=$("$PG_CONFIG" --version)
major=$(sed -E 's/^PostgreSQL ([0-9]+).*/\1/' <<<"$version")
superuser=$(superuser_of)
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
	echo "peoplefirst: the user postgres is missing (it runs the server when root starts it);" >&2
	echo "  apt-get install postgresql-common creates it" >&2
	exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/peoplefirst-pg$major.XXXXXX")
data=$work/data
started=
cleanup() {
	trap - EXIT INT TERM HUP
	if [ -n "$started" ]; then
		as_owner "$bindir/pg_ctl" -D "$data" -w -t 60 -m fast stop >/dev/null 2>&1 ||
			as_owner "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

PGPASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
echo "$PGPASSWORD" >"$work/pwfile"
[ "$(id -u)" = 0 ] && chown -R postgres: "$work"
chmod 700 "$work"

# the environment initdb and the server start in: from / (no "could not
# change directory"), no client settings of the caller
run_server() { (cd / && as_owner env -u PGDATA -u PGOPTIONS -u PGHOST -u PGPORT LC_ALL=C.UTF-8 "$@"); }

if ! out=$(run_server "$bindir/initdb" -D "$data" -U "$superuser" --pwfile="$work/pwfile" \
	--auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync 2>&1); then
	echo "peoplefirst: initdb failed:" >&2
	echo "$out" >&2
	exit 1
fi
rm -f "$work/pwfile"
cat >>"$data/postgresql.conf" <<EOF

# test/pg/cluster.sh: a throw-away cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = on
log_directory = 'log'
log_filename = 'postgresql.log'
log_rotation_size = 0
include_if_exists = 'port.conf'
${PF_CLUSTER_CONF:-}
EOF
[ "$(id -u)" = 0 ] && chown postgres: "$data/postgresql.conf"

# a loopback port that nothing answers on; another one when the server
# cannot bind it (a cluster started at the same time took it)
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for try in $(seq 1 20); do
	port=$((20000 + (RANDOM * 32768 + RANDOM) % 20000))
	port_busy "$port" && continue
	echo "port = $port" >"$data/port.conf"
	[ "$(id -u)" = 0 ] && chown postgres: "$data/port.conf"
	if run_server "$bindir/pg_ctl" -D "$data" -w -t 120 -l "$work/startup.log" start >"$work/pg_ctl.out" 2>&1; then
		started=1
		break
	fi
	# not started: leave nothing behind, try another port if it was the port
	as_owner "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1
	if ! grep -qiE "could not bind|address already in use|could not create any TCP/IP sockets|lock file .* already exists" \
		"$work/startup.log" "$data/log/postgresql.log" 2>/dev/null; then
		break
	fi
done
if [ -z "$started" ]; then
	echo "peoplefirst: the server did not start:" >&2
	cat "$work/pg_ctl.out" "$work/startup.log" >&2 2>/dev/null
	tail -n 20 "$data/log/postgresql.log" >&2 2>/dev/null
	exit 1
fi

export PGHOST=127.0.0.1 PGPORT=$port PGDATABASE=postgres PGUSER=$superuser PGPASSWORD PGVERSION=$major
export PATH="$bindir:$PATH" PG_CONFIG
export PF_CLUSTER_DATA=$data PF_CLUSTER_BINDIR=$bindir
unset PGSERVICE PGSERVICEFILE PGHOSTADDR PGCLUSTER PG_CLUSTER_CONF_ROOT PGSYSCONFDIR PGDATA
echo "peoplefirst: throw-away cluster of $version on 127.0.0.1:$port (data in $data)"

"$@"
rc=$?
exit $rc

#!/bin/bash
# Random SQL against the extension: sqlsmith generates queries from the
# catalog and sends them, as an unprivileged role, to a database that holds
# the extension and a small data set of every type it reads or stores
# (data.sql). Passing means no backend died: no connection broken under
# sqlsmith, the server never restarted after a crash, no "terminated by
# signal" in the server log. Errors are expected and only counted.
#
#   test/sqlsmith/run.sh [QUERIES]        default $SQLSMITH_QUERIES or 10000
#   prove -e bash test/sqlsmith/run.sh    TAP, e.g. inside pg_virtualenv
#
# Runs against the server the PG* variables describe (pg_virtualenv sets
# them), connected as a superuser: it creates the role peoplefirst_smith
# and its database, which installs the (trusted) extension itself, and drops
# both at the end.
#
# Two phases share the queries: four fifths "focused", one fifth on the whole
# catalog. sqlsmith picks functions from every row of pg_proc, where the
# extension's are a few dozen among thousands; it reads pg_proc unqualified,
# so in the focused phase a view smith_focus.pg_proc, first in search_path,
# offers it the extension's functions and the built-in ones over the types
# the extension uses (operators and types still come from the whole
# catalog), and the planner is made to choose parallel plans, so that the
# combine, serialize and deserialize functions run too.
#
# Environment: SQLSMITH_SEED (default: from the clock; printed), SQLSMITH_KEEP=1
# keeps the work directory (generated queries, sqlsmith's output) even when
# everything passes, SQLSMITH_SERVER_LOG names the server's log when it
# cannot be found (it is found inside pg_virtualenv and with logging_collector).
set -uo pipefail
trap '' PIPE
here=$(cd "$(dirname "$0")" && pwd)

queries=${1:-${SQLSMITH_QUERIES:-10000}}
seed=${SQLSMITH_SEED:-$(($(date +%s) % 100000))}
role=peoplefirst_smith
db=peoplefirst_smith
focused=$((queries - queries / 5))
whole=$((queries - focused))

n=0
failed=0
diag() { [ -n "${1:-}" ] && sed 's/^/# /' <<<"$1"; return 0; }
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; diag "${2:-}"; }
bail() { echo "Bail out! $1"; diag "${2:-}"; exit 1; }

case $queries in '' | *[!0-9]*) bail "usage: $0 [QUERIES]" ;; esac
command -v sqlsmith >/dev/null || bail "sqlsmith is not installed (apt-get install sqlsmith)"

echo "1..8"
diag "sqlsmith: $queries queries ($focused focused, $whole on the whole catalog), seed $seed"

work=$(mktemp -d "${TMPDIR:-/tmp}/peoplefirst-sqlsmith.XXXXXX")
su_sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$@" 2>&1; }

cleanup() {
	[ -n "${mon_pid:-}" ] && kill "$mon_pid" 2>/dev/null
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
	if [ "${SQLSMITH_KEEP:-0}" = 1 ] || [ "$failed" -gt 0 ]; then
		echo "# work directory kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- set-up

out=$(su_sql -d postgres -c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user") ||
	bail "cannot connect to the server (PG* variables)" "$out"
[ "$out" = t ] || bail "run.sh connects as a superuser to create its role and database" "$out"

start_time=$(su_sql -d postgres -c "SELECT pg_postmaster_start_time()")

# the server's log, read from its size now on
server_log=${SQLSMITH_SERVER_LOG:-}
if [ -z "$server_log" ]; then
	server_log=$(su_sql -d postgres -c "SELECT pg_current_logfile()")
	if [ -n "$server_log" ] && [ "${server_log#/}" = "$server_log" ]; then
		server_log=$(su_sql -d postgres -c "SHOW data_directory")/$server_log
	fi
fi
if [ -z "$server_log" ] && [ -n "${PG_CLUSTER_CONF_ROOT:-}" ]; then
	port=$(su_sql -d postgres -c "SHOW port")
	for conf in "$PG_CLUSTER_CONF_ROOT"/*/*/postgresql.conf; do
		if grep -Eq "^[[:space:]]*port[[:space:]]*=[[:space:]]*$port\b" "$conf" 2>/dev/null; then
			server_log=$(readlink -f "$(dirname "$conf")/log")
		fi
	done
fi
log_offset=0
if [ -n "$server_log" ] && [ -r "$server_log" ]; then
	log_offset=$(stat -c %s "$server_log")
else
	server_log=
fi

password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
setup() {
	su_sql -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" &&
	su_sql -d postgres -c "DROP ROLE IF EXISTS $role" &&
	su_sql -d postgres -c "CREATE ROLE $role LOGIN PASSWORD '$password' NOSUPERUSER NOCREATEDB NOCREATEROLE" &&
	su_sql -d postgres -c "CREATE DATABASE $db OWNER $role" &&
	su_sql -d postgres -c "ALTER ROLE $role SET statement_timeout = '10s'" &&
	# a backend that its own query ends looks like a crash to sqlsmith
	su_sql -d "$db" -c "REVOKE EXECUTE ON FUNCTION pg_terminate_backend(int4, int8) FROM PUBLIC" || return 1

	# as the role, over TCP with a password when the server allows it
	# (pg_virtualenv does); else a superuser connection that takes the
	# role at start, with the same privileges as the role
	conn="host=${PGHOST:-localhost} port=${PGPORT:-5432} dbname=$db user=$role password=$password"
	if ! psql -X -q -At -d "$conn" -c "SELECT 1" >/dev/null 2>&1; then
		conn="dbname=$db options='-c role=$role'"
		echo "# the role cannot log in by password here; connecting as $(id -un) with role=$role" >&2
	fi
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$conn" 2>&1 <<-SQL
		DO \$\$ BEGIN
			IF current_user <> '$role' OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
				RAISE EXCEPTION 'not connected as the unprivileged role $role';
			END IF;
		END \$\$;
		CREATE EXTENSION peoplefirst;
		\\i $here/data.sql
		-- the focused view of pg_proc: the extension's functions and built-in
		-- functions and aggregates over its types
		CREATE SCHEMA smith_focus;
		CREATE VIEW smith_focus.pg_proc AS
		SELECT p.oid, p.proname, p.pronamespace, p.prorettype, p.proretset, p.prokind, p.proargtypes
		FROM pg_catalog.pg_proc p
		WHERE p.oid IN (SELECT objid FROM pg_catalog.pg_depend
		                WHERE classid = 'pg_catalog.pg_proc'::regclass
		                  AND refclassid = 'pg_catalog.pg_extension'::regclass
		                  AND refobjid = (SELECT oid FROM pg_catalog.pg_extension
		                                  WHERE extname = 'peoplefirst'))
		   OR (p.pronamespace = 'pg_catalog'::regnamespace
		       AND p.proname NOT IN ('set_config', 'pg_sleep', 'pg_sleep_for', 'pg_sleep_until')
		       AND p.proname !~ '^(pg_|lo_|txid_|binary_upgrade|brin_|gin_|gist)'
		       AND ARRAY[p.prorettype] || p.proargtypes::oid[] <@ ARRAY[
		           'bool', 'int4', 'int8', 'float8', 'numeric', 'text', 'bytea', 'date',
		           'timestamptz', 'interval', 'daterange', 'tstzrange', 'jsonb',
		           'float8[]', 'int8[]']::regtype[]::oid[]);
		SELECT count(*) FROM smith_focus.pg_proc;
	SQL
}
if out=$(setup); then
	pass "set-up: role $role, its database with the extension and data.sql"
	diag "$(tail -n 1 <<<"$out") functions offered in the focused phase"
else
	fail "set-up: role $role, its database with the extension and data.sql" "$out"
	bail "set-up failed"
fi
# the last line of setup's output was the count; conn is set in a subshell
conn="host=${PGHOST:-localhost} port=${PGPORT:-5432} dbname=$db user=$role password=$password"
psql -X -q -At -d "$conn" -c "SELECT 1" >/dev/null 2>&1 || conn="dbname=$db options='-c role=$role'"

# A superuser connection held open from start to end: a backend that dies
# of a signal makes the postmaster end every other backend, this one too.
mon_in=$work/monitor.in
mon_out=$work/monitor.out
mkfifo "$mon_in"
psql -X -q -At -d postgres <"$mon_in" >"$mon_out" 2>&1 &
mon_pid=$!
exec 7>"$mon_in"
echo "SELECT pg_backend_pid();" >&7
for _ in $(seq 50); do [ -s "$mon_out" ] && break; sleep 0.1; done
mon_backend=$(head -n 1 "$mon_out")

# ---------------------------------------------------------------- sqlsmith

ext_functions=$(psql -X -q -At -d "$conn" -c "
	SELECT string_agg(DISTINCT p.proname, '|')
	FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
	WHERE d.classid = 'pg_proc'::regclass AND d.refclassid = 'pg_extension'::regclass
	  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'peoplefirst')")
ext_schema=$(psql -X -q -At -d "$conn" -c "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'peoplefirst'")

# smith NAME QUERIES CONNINFO: runs sqlsmith, one TAP line
smith() {
	local name=$1 count=$2 target=$3
	local t0 rc summary ran errors rate calls top
	t0=$(date +%s)
	# sqlsmith sets statement_timeout to 1s; a query that errors fast takes
	# milliseconds, so this bounds only a wedged run
	timeout $((120 + count)) sqlsmith --target="$target" --max-queries="$count" \
		--seed="$seed" --exclude-catalog --verbose --dump-all-queries \
		>"$work/$name.queries" 2>"$work/$name.log"
	rc=$?
	# the last report: "queries: N", then "COUNT<TAB>ERROR: message" lines
	summary=$(awk '/^queries: /{buf = ""} {buf = buf $0 "\n"} END {printf "%s", buf}' "$work/$name.log")
	ran=$(sed -n 's/^queries: //p' <<<"$summary")
	errors=$(awk -F'\t' '/^[0-9]+\t/{s += $1} END {print s + 0}' <<<"$summary")
	rate=$(sed -n 's/^error rate: //p' <<<"$summary")
	top=$(awk '/^[0-9]+\t/ && ++k <= 12' <<<"$summary")
	# generated queries that call a function of the extension
	calls=$(perl -0777 -ne '$n = () = map { /\Q'"$ext_schema"'\E\.(?:'"$ext_functions"')\(/ ? 1 : () } split /;\n/; print $n' \
		"$work/$name.queries")
	grep -oP "\Q$ext_schema\E\.\K($ext_functions)(?=\()" "$work/$name.queries" >>"$work/called"

	local what="sqlsmith $name: $count queries as $role in $(($(date +%s) - t0))s"
	local info="queries ${ran:-?}, errors $errors (rate ${rate:-?}), calling the extension's functions: $calls
top errors:
$top"
	if [ "$rc" -eq 0 ] && [ "${ran:-0}" -ge "$count" ]; then
		pass "$what"
	else
		fail "$what" "sqlsmith exited with $rc after ${ran:-?} queries; last lines:
$(tail -n 5 "$work/$name.log")"
	fi
	diag "$info"
	totals="$totals$name: queries ${ran:-?}, errors $errors, extension calls $calls
"
}

totals=
focus_target="$conn options='-c search_path=smith_focus,pg_catalog,$ext_schema -c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c min_parallel_index_scan_size=0 -c max_parallel_workers_per_gather=2'"
case $conn in *options=*) focus_target="dbname=$db options='-c role=$role -c search_path=smith_focus,pg_catalog,$ext_schema -c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c min_parallel_index_scan_size=0 -c max_parallel_workers_per_gather=2'" ;; esac
smith focused "$focused" "$focus_target"
smith whole "$whole" "$conn"

# ---------------------------------------------------------------- verdict

broken=$(grep -hE "server closed the connection|terminating connection because of crash|connection to server .* lost|no connection to the server" \
	"$work"/focused.log "$work"/whole.log | sort | uniq -c)
if [ -z "$broken" ]; then
	pass "no connection broken under sqlsmith"
else
	fail "no connection broken under sqlsmith" "$broken"
fi

echo "SELECT pg_backend_pid();" >&7 2>/dev/null
exec 7>&-
wait "$mon_pid" 2>/dev/null
mon_pid=
mon_end=$(tail -n 1 "$mon_out")
if [ -n "$mon_backend" ] && [ "$mon_end" = "$mon_backend" ]; then
	pass "a connection held open throughout survived (no crash-restart)"
else
	fail "a connection held open throughout survived (no crash-restart)" "$(cat "$mon_out")"
fi

if [ -z "$server_log" ]; then
	pass "# SKIP the server's log was not found (set SQLSMITH_SERVER_LOG)"
else
	tail -c +$((log_offset + 1)) "$server_log" >"$work/server.log"
	# each such line with the query that was running (DETAIL and its lines)
	crashes=$(awk '/terminated by signal|terminated by exception|was terminated|PANIC:|TRAP:/ {p = 1; print; next}
		p && /^[0-9][0-9][0-9][0-9]-/ && !/DETAIL:/ {p = 0}
		p {print}' "$work/server.log" | head -n 80)
	if [ -z "$crashes" ]; then
		pass "no backend terminated by a signal in the server log"
	else
		fail "no backend terminated by a signal in the server log" "$crashes"
	fi
fi

# after a crash the server takes a moment to accept connections again
for _ in $(seq 60); do
	now_start=$(su_sql -d postgres -c "SELECT pg_postmaster_start_time()") && break
	sleep 1
done
if [ -n "$start_time" ] && [ "$now_start" = "$start_time" ]; then
	pass "server up, started at the same time as before"
else
	fail "server up, started at the same time as before" "before: $start_time, now: $now_start"
fi

out=$( { su_sql -d postgres -c "DROP DATABASE $db WITH (FORCE)" && su_sql -d postgres -c "DROP ROLE $role"; } 2>&1)
if [ $? -eq 0 ]; then
	pass "clean-up: database and role dropped"
else
	fail "clean-up: database and role dropped" "$out"
fi

diag "total: ${totals%$'\n'}"
uncalled=$(tr '|' '\n' <<<"$ext_functions" | grep -vxF -f <(sort -u "$work/called" 2>/dev/null; echo '-') | tr '\n' ' ')
diag "functions of the extension called by name: $(sort -u "$work/called" | wc -l) of $(tr '|' '\n' <<<"$ext_functions" | wc -l)${uncalled:+; never: $uncalled}"
diag "(sqlsmith cannot pass an internal argument or call a set-returning function; support functions run inside their aggregates)"
exit $((failed > 0))

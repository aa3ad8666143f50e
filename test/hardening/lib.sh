# Shared by the hardening scripts (sourced, not run): TAP output, psql
# helpers, and the checks that the server survived.  The scripts run inside
# pg_virtualenv or any cluster the PG* variables point at, as a superuser.

n=0
failed=0

diag() { [ -n "${1:-}" ] && sed 's/^/# /' <<<"$1"; return 0; }
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; diag "${2:-}"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP ${2:-}"; }
check() {	# check NAME DETAIL_IF_FAILED COMMAND...: pass when COMMAND succeeds
	local name=$1 detail=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$detail"; fi
}
bail() { diag "${2:-}"; echo "Bail out! $1"; exit 1; }
finish() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}

# psql on database $1, stopping at the first error, quiet, tuples only
sql() { local db=$1; shift; psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@" 2>&1; }

# a single-quoted SQL literal
quote() { printf "'%s'" "${1//\'/\'\'}"; }

# The server's log file: pg_current_logfile() with the logging collector,
# else the file pg_lsclusters lists for this port (pg_virtualenv, Debian).
server_logfile() {
	local f dir
	f=$(psql -X -A -t -d postgres -c "SELECT pg_current_logfile()" 2>/dev/null)
	if [ -n "$f" ]; then
		case $f in
		/*) ;;
		*) dir=$(psql -X -A -t -d postgres -c "SHOW data_directory" 2>/dev/null)
		   f="$dir/$f" ;;
		esac
		echo "$f"
		return
	fi
	command -v pg_lsclusters >/dev/null &&
		pg_lsclusters -h 2>/dev/null | awk -v p="${PGPORT:-5432}" '$3 == p { print $7; exit }'
}

# Call survival_begin first, survival_check at the end: one TAP line each
# for "the postmaster did not restart" and "the log shows no crash".
survival_begin() {
	start_time=$(psql -X -A -t -d postgres -c "SELECT pg_postmaster_start_time()" 2>&1) ||
		bail "cannot connect" "$start_time"
	logfile=$(server_logfile)
	log_offset=0
	if [ -n "$logfile" ] && [ -r "$logfile" ]; then
		log_offset=$(stat -c %s "$logfile")
	fi
}

survival_check() {
	local now crashes
	now=$(psql -X -A -t -d postgres -c "SELECT pg_postmaster_start_time()" 2>&1)
	if [ "$now" = "$start_time" ]; then
		pass "the server did not restart (started $start_time)"
	else
		fail "the server did not restart" "started $start_time, now: $now"
	fi
	if [ -n "$logfile" ] && [ -r "$logfile" ]; then
		crashes=$(tail -c +$((log_offset + 1)) "$logfile" |
			grep -E -A3 'terminated by signal|was terminated by|PANIC:|TRAP:|server process .* exited with exit code|all server processes terminated' | head -n 40)
		if [ -z "$crashes" ]; then
			pass "the server log shows no crash ($logfile)"
		else
			fail "the server log shows no crash ($logfile)" "$crashes"
		fi
	else
		skip "the server log shows no crash" "log file not found or not readable"
	fi
}

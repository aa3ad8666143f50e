#!/bin/bash
# The regression suite (pg_regress: sql/, expected/) and the pgTAP suite
# (test/*.sql) against a server running under Valgrind's memcheck, then the
# Valgrind logs read for errors whose stack passes through the extension.
# Prints TAP: prove -e bash test/valgrind/run.sh (or run it directly).
#
# It builds its own cluster in a temporary directory (initdb as the user
# postgres when run as root, else as the current user), reachable only by a
# Unix socket in that directory, starts the installed postgres binary under
# valgrind, and stops and removes the cluster at the end. It needs valgrind,
# PostgreSQL 15's server and pgTAP (postgresql-15-pgtap, pg_prove), and the
# extension installed.
#
# PostgreSQL's allocator is invisible to memcheck unless the server is built
# with USE_VALGRIND, which Debian's is not: memcheck then reports some
# errors inside PostgreSQL itself, and misses reads of palloc'd memory that
# was freed or never written. Errors whose stack has no frame of the
# extension (peoplefirst.so, the files of src/) are counted and shown, but
# do not fail the run; any error with such a frame does.
#
# Slow (Valgrind runs the server some 20-50 times slower). Two files are
# changed on the way, in copies, not in test/:
#   test/correlation.sql: its Kendall test on a million rows, timed out at
#     60 s, runs on VALGRIND_KENDALL_ROWS rows (default 100000) with no
#     statement timeout; VALGRIND_KENDALL_ROWS=1000000 runs it whole;
#   test/demo.sql: the demo's data generator at scale 0.5 (700,000
#     interactions; 75 s without Valgrind, so about an hour with it) is
#     skipped unless VALGRIND_SCORECARD=1 (the aggregates it runs are the
#     ones the other files test).
# VALGRIND_TAP="test/spell.sql test/survival.sql" runs only those pgTAP
# files; VALGRIND_REGRESS="spell survival" only those regression tests.
# VALGRIND_KEEP=1 keeps the work directory (the Valgrind logs, the server's
# log, the suites' output), as does any failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

PG_CONFIG=${PG_CONFIG:-pg_config}
bindir=$("$PG_CONFIG" --bindir)
pgxs=$(dirname "$("$PG_CONFIG" --pgxs)")
pg_regress=$pgxs/../test/regress/pg_regress
kendall_rows=${VALGRIND_KENDALL_ROWS:-100000}

n=0
failed=0
diag() { [ -n "${1:-}" ] && sed 's/^/# /' <<<"$1"; return 0; }
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; diag "${2:-}"; }
bail() { echo "Bail out! $1"; diag "${2:-}"; exit 1; }
elapsed() { local s=$(($(date +%s) - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

for tool in valgrind pg_prove "$bindir/postgres" "$bindir/initdb" "$pg_regress"; do
	command -v "$tool" >/dev/null || bail "missing: $tool"
done
[ -f "$("$PG_CONFIG" --pkglibdir)/peoplefirst.so" ] || bail "the extension is not installed (make install)"

echo "1..6"

work=$(mktemp -d "${TMPDIR:-/tmp}/peoplefirst-valgrind.XXXXXX")
chmod 755 "$work"
data=$work/data
vglogs=$work/valgrind
mkdir -p "$vglogs" "$work/regress" "$work/tap" "$work/top/results"

# the server runs as postgres when we are root
if [ "$(id -u)" -eq 0 ]; then
	owner=postgres
	as_owner() { runuser -u postgres -- "$@"; }
else
	owner=$(id -un)
	as_owner() { "$@"; }
fi
chown "$owner" "$vglogs" "$work" 2>/dev/null

# every client reaches this server only
unset PGSERVICE PGDATABASE PGPASSWORD PGOPTIONS PGHOSTADDR
export PGHOST=$work PGPORT=5432 PGUSER=postgres

server_pid=
stop_server() {
	[ -z "$server_pid" ] && return 0
	as_owner "$bindir/pg_ctl" -D "$data" stop -m fast -t 900 >/dev/null 2>&1
	# the postmaster is valgrind's process: wait until it has written its log
	for _ in $(seq 900); do kill -0 "$server_pid" 2>/dev/null || break; sleep 1; done
	# still there: the postmaster (valgrind's process, under runuser as root)
	if kill -0 "$server_pid" 2>/dev/null; then
		local postmaster
		postmaster=$(head -n 1 "$data/postmaster.pid" 2>/dev/null)
		[ -n "$postmaster" ] && kill -KILL "$postmaster" 2>/dev/null
		kill -KILL "$server_pid" 2>/dev/null
	fi
	server_pid=
}
cleanup() {
	stop_server
	if [ "${VALGRIND_KEEP:-0}" = 1 ] || [ "$failed" -gt 0 ]; then
		echo "# work directory kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- the server

t0=$(date +%s)
out=$(as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C 2>&1) ||
	bail "initdb" "$out"

valgrind_opts=(--tool=memcheck --leak-check=no --gen-suppressions=all --trace-children=yes
			   --track-origins=yes --num-callers=40 --error-limit=no --fullpath-after=
			   --suppressions="$here/valgrind.supp" --log-file="$vglogs/%p.log")
server_opts=(-D "$data" -c listen_addresses= -c unix_socket_directories="$work" -c port=5432
			 -c fsync=off -c full_page_writes=off -c autovacuum=off -c max_connections=20
			 -c shared_buffers=64MB -c log_line_prefix='%m [%p] ' -c log_min_messages=warning
			 -c statement_timeout=0 -c jit=off)
as_owner valgrind "${valgrind_opts[@]}" "$bindir/postgres" "${server_opts[@]}" \
	>"$work/server.log" 2>&1 &
server_pid=$!
ready=
for _ in $(seq 300); do
	if "$bindir/pg_isready" -q -h "$work" -p 5432; then ready=1; break; fi
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 1
done
if [ -n "$ready" ]; then
	pass "cluster started under valgrind memcheck in $(elapsed "$t0")"
else
	server_pid=
	fail "cluster started under valgrind memcheck" "$(tail -n 20 "$work/server.log")"
	bail "no server"
fi

# ---------------------------------------------------------------- pg_regress

if [ -n "${VALGRIND_REGRESS:-}" ]; then
	regress=$VALGRIND_REGRESS
else
	regress=$(make -s --no-print-directory -C "$top" -f Makefile -f - print-regress \
		PG_CONFIG="$PG_CONFIG" <<<'print-regress: ; @echo $(REGRESS)' 2>/dev/null)
	[ -z "$regress" ] && regress=$(sed -n 's/^REGRESS[[:space:]]*=[[:space:]]*//p' "$top/Makefile")
fi
t0=$(date +%s)
"$pg_regress" --inputdir="$top" --outputdir="$work/regress" --bindir="$bindir" \
	--host="$work" --port=5432 --user=postgres --dbname=contrib_regression \
	$regress >"$work/regress.out" 2>&1
rc=$?
summary=$(tail -n 25 "$work/regress.out")
if [ $rc -eq 0 ]; then
	pass "pg_regress under valgrind ($regress) in $(elapsed "$t0")"
	diag "$(grep -E "tests passed|All [0-9]+ tests" "$work/regress.out")"
else
	fail "pg_regress under valgrind ($regress) in $(elapsed "$t0")" \
		"$summary
$(head -n 60 "$work/regress/regression.diffs" 2>/dev/null)"
fi

# ---------------------------------------------------------------- pgTAP

# copies of the test files, run from a directory whose test/ is the
# repository's (the files read fixtures by paths relative to it) and whose
# results/ is ours (test/relstrength.sql writes a file there)
ln -s "$top/test" "$work/top/test"
if [ -n "${VALGRIND_TAP:-}" ]; then
	tap_files=$VALGRIND_TAP
else
	tap_files=$(cd "$top" && ls test/*.sql)
fi
tap_run=()
skipped=
for f in $tap_files; do
	base=$(basename "$f")
	if [ "$base" = demo.sql ] && [ "${VALGRIND_SCORECARD:-0}" != 1 ]; then
		skipped="$skipped $f"
		continue
	fi
	cp "$top/$f" "$work/tap/$base"
	if [ "$base" = correlation.sql ]; then
		sed -i -e "s/generate_series(1, 1000000)/generate_series(1, $kendall_rows)/" \
			-e "s/SET LOCAL statement_timeout = '60s'/SET LOCAL statement_timeout = 0/" \
			"$work/tap/$base"
		grep -q "generate_series(1, $kendall_rows)" "$work/tap/$base" ||
			diag "test/correlation.sql: the million-row Kendall line was not found; run as is"
	fi
	tap_run+=("$work/tap/$base")
done

t0=$(date +%s)
out=$( { createdb peoplefirst_tap &&
	psql -X -q -v ON_ERROR_STOP=1 -d peoplefirst_tap \
		-c "CREATE EXTENSION pgtap; CREATE EXTENSION peoplefirst;"; } 2>&1)
if [ $? -ne 0 ]; then
	fail "pgTAP under valgrind" "$out"
else
	(cd "$work/top" && pg_prove --timer --ext .sql -d peoplefirst_tap "${tap_run[@]}") >"$work/tap.out" 2>&1
	rc=$?
	what="pgTAP under valgrind ($(for f in "${tap_run[@]}"; do printf '%s ' "test/$(basename "$f")"; done | sed 's/ $//')) in $(elapsed "$t0")"
	if [ $rc -eq 0 ]; then
		pass "$what"
	else
		fail "$what" "$(grep -vE '^ok |^\s*$' "$work/tap.out" | tail -n 40)"
	fi
	diag "$(grep -E '\] .* ok .* ms|^(Files=|Result:)' "$work/tap.out" | sed -e "s#$work/tap/#test/#" -e 's/ ms (.*/ ms/')"
fi
[ -n "$skipped" ] && diag "skipped:$skipped (VALGRIND_SCORECARD=1 runs it)"
[ "$kendall_rows" != 1000000 ] && [ -f "$work/tap/correlation.sql" ] && diag "test/correlation.sql: Kendall on $kendall_rows rows instead of 1000000"

# ---------------------------------------------------------------- the logs

t0=$(date +%s)
stop_server
logs=$(find "$vglogs" -name '*.log' | wc -l)
if grep -qE "database system is shut down" "$work/server.log"; then
	pass "server shut down cleanly ($logs valgrind logs) in $(elapsed "$t0")"
else
	fail "server shut down cleanly ($logs valgrind logs)" "$(tail -n 20 "$work/server.log")"
fi

crashes=$(grep -E -A1 "terminated by signal|terminated by exception|was terminated|PANIC:" "$work/server.log")
if [ -z "$crashes" ]; then
	pass "no server process ended by a signal"
else
	fail "no server process ended by a signal" "$crashes"
fi

# memcheck's errors, ours when a frame is in peoplefirst.so or src/*.c
sources=$(cd "$top/src" && ls *.c 2>/dev/null | sed 's/\.c$//' | paste -sd'|')
report=$(perl "$here/parse_logs.pl" "$sources" "$vglogs"/*.log)
ours=$(sed -n 's/^ours //p' <<<"$report")
theirs=$(sed -n 's/^theirs //p' <<<"$report")
others=$(sed -n 's/^other //p' <<<"$report" | head -n 10)
stacks=$(sed -n '/^stack$/,$p' <<<"$report" | sed '/^stack$/d')
if [ "${ours:-0}" -eq 0 ]; then
	pass "no valgrind error with a frame in the extension ($logs processes)"
else
	fail "no valgrind error with a frame in the extension: $ours ($(grep -c '^/' <<<"$stacks") distinct)" "$stacks"
fi
diag "valgrind errors outside the extension (distinct per process; PostgreSQL, libc): ${theirs:-0}${others:+
$others}"
diag "logs, server log and suites' output: $work (kept with VALGRIND_KEEP=1 or on failure)"
exit $((failed > 0))

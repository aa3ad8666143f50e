#!/bin/bash
# A cancel that lands inside a long final function is honoured promptly:
# each query below spends most of its time in its final function (a sort, a
# rank pass, the inversion count, the Kaplan-Meier table). The query is
# timed to the end (the faster of two runs), then run again with
# statement_timeout at 60% of that time, or at 40% when a faster moment of
# the machine let the query finish first, which lands inside the final
# function; it must fail with 57014 before half of the remaining time has
# gone by. Everything is relative to
# the full run on the same machine, so a slow machine only scales it. Prints
# TAP (prove -e bash test/hardening/cancel.sh, on a cluster the PG*
# variables point at, as a superuser). CANCEL_ROWS sets the rows (default
# 3,000,000).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

rows=${CANCEL_ROWS:-3000000}
db=peoplefirst_hardening_cancel
trap 'dropdb --if-exists --force "$db" >/dev/null 2>&1' EXIT
survival_begin
dropdb --if-exists --force "$db" >/dev/null 2>&1
out=$(createdb "$db" 2>&1) || bail "createdb $db" "$out"
out=$(sql "$db" <<EOF2
CREATE EXTENSION peoplefirst;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE pairs AS
	SELECT random() AS x, random() AS y FROM generate_series(1, $rows);
CREATE TABLE spells AS
	SELECT tstzrange(t, t + (random() * 1000) * interval '1 day') AS spell
	FROM (SELECT '2000-01-01'::timestamptz + random() * interval '9000 days' AS t
	      FROM generate_series(1, $rows)) s;
CREATE TABLE summary AS SELECT tenure_survival(spell, '2030-01-01') AS s FROM spells;
VACUUM ANALYZE pairs;
VACUUM ANALYZE spells;
EOF2
) || bail "loading $rows rows" "$out"
pass "loaded $rows pairs and spells, and one survival summary of them"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# run SETTINGS QUERY: prints "elapsed_ms sqlstate" (sqlstate empty on success)
run() {
	local t0 t1 out state
	t0=$(now_ms)
	out=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d "$db" \
		-c "SET max_parallel_workers_per_gather = 0" -c "$1" -c "$2" 2>&1 >/dev/null)
	t1=$(now_ms)
	state=$(sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\):.*/\1/p' <<<"$out" | head -n 1)
	echo "$((t1 - t0)) $state"
}

cancels() {	# cancels NAME QUERY
	local name=$1 query=$2 a b full timeout r elapsed state limit
	read -r a state < <(run "SET statement_timeout = 0" "$query")
	[ -z "$state" ] || { fail "$name runs to the end without a timeout" "SQLSTATE $state"; return; }
	read -r b state < <(run "SET statement_timeout = 0" "$query")
	full=$(( a < b ? a : b ))
	# at 60% of the run, or, when a faster moment of a shared machine lets
	# the query finish before that, at 40%
	for pct in 60 40; do
		timeout=$(( full * pct / 100 ))
		limit=$(( timeout + (full - timeout) / 2 ))
		read -r elapsed state < <(run "SET statement_timeout = $timeout" "$query")
		[ -n "$state" ] && break
	done
	if [ "$state" = 57014 ] && [ "$elapsed" -lt "$limit" ]; then
		pass "$name: statement_timeout ${timeout} ms honoured after $elapsed ms (full run $full ms, late by at most $((elapsed - timeout)) ms)"
	else
		fail "$name: statement_timeout ${timeout} ms honoured before $limit ms (full run $full ms)" \
			"ended after $elapsed ms with SQLSTATE '${state:-none}'"
	fi
}

cancels "kendall_tau" "SELECT kendall_tau(x, y) FROM pairs"
cancels "spearman_corr" "SELECT spearman_corr(x, y) FROM pairs"
cancels "corr_test kendall" "SELECT corr_test(x, y, 'kendall') FROM pairs"
cancels "survival_curve" "SELECT count(*) FROM summary, survival_curve(s)"
cancels "rollup(survival)" "SELECT rollup(s) IS NULL FROM (SELECT s FROM summary UNION ALL SELECT s FROM summary UNION ALL SELECT s FROM summary UNION ALL SELECT s FROM summary) u"

# the session is usable after a cancel: the same connection answers the next query
out=$(psql -X -q -A -t -d "$db" 2>&1 <<'EOF2'
SET statement_timeout = '100ms';
SELECT kendall_tau(x, y) FROM pairs;
RESET statement_timeout;
SELECT kendall_tau(x, y) IS NOT NULL FROM (SELECT * FROM pairs LIMIT 1000) p;
EOF2
)
check "a session that was cancelled still answers" "$out" grep -q '^t$' <<<"$out"
survival_check
finish

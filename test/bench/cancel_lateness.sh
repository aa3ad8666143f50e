#!/bin/bash
# How late a cancel is honoured inside each long final function, in the
# benchmark's database (run by run_bench.sh after the timings; prints a
# markdown section). Each query is run once to the end (its full time F),
# then again with statement_timeout at 60% of F, which lands inside its final
# function (the sort, ranking, inversion count, the merge, or the
# Kaplan-Meier table); the lateness is the time from the timeout to the
# error, as psql's \timing of the query gives it. Target: under 100 ms for
# every one.
#   cancel_lateness.sh DB ROWS
set -uo pipefail
DB=$1
ROWS=$2
PSQL=(psql -X -q -At -d "$DB")

# one summary of ROWS timestamp spells, nearly every duration distinct: the
# largest survival_curve the data allows
"${PSQL[@]}" -v ON_ERROR_STOP=1 -c "DROP TABLE IF EXISTS lateness_summary" -c "
	CREATE TABLE lateness_summary AS
	SELECT tenure_survival(tstzrange(lo, CASE WHEN random() < 0.7 THEN lo + random() * interval '2000 days' END),
	                       timestamptz '2030-01-01 00:00+00') AS s
	FROM (SELECT timestamptz '2015-01-01 00:00+00' + random() * interval '3650 days' AS lo
	      FROM generate_series(1, $ROWS) OFFSET 0) g" >/dev/null
entries=$("${PSQL[@]}" -c "SELECT count(*) FROM lateness_summary, survival_curve(s)")

run() {	# run PARALLEL TIMEOUT_MS QUERY: "elapsed_ms sqlstate"
	# elapsed_ms is psql's \timing of the query alone (printed for a failed
	# query too): psql's start and its connection are not in it
	local out err
	err=$(mktemp)
	out=$("${PSQL[@]}" -v VERBOSITY=verbose -c "SET max_parallel_workers_per_gather = $1" \
		-c "SET statement_timeout = $2" -c '\timing on' -c "$3" 2>"$err")
	echo "$(sed -n 's/^Time: \([0-9]*\)\..*/\1/p' <<<"$out" | tail -n 1)" \
		"$(sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\):.*/\1/p' "$err" | head -n 1)"
	rm -f "$err"
}

echo
echo "## Cancel lateness"
echo
echo "Each query once to the end, then again with statement_timeout at 60% of that time, which"
echo "lands in its final function; lateness is the time from the timeout to the error (57014):"
echo "the query's time as psql's \\timing gives it (which leaves out psql's start and its connection),"
echo "less the timeout. The text output is measured by \`octet_length\`, which reads the length of the"
echo "text from its header, where \`length\` would count its characters, in a loop that a cancel"
echo "does not stop."
echo "The survival summary holds $(echo "$entries" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta') entries. Target: under 100 ms each."
echo
echo "| query | plan | full run ms | timeout ms | ended ms | SQLSTATE | lateness ms | verdict |"
echo "|---|---|--:|--:|--:|---|--:|---|"
held=0
total=0
while IFS='|' read -r label workers query; do
	[ -z "$label" ] && continue
	read -r full state < <(run "$workers" 0 "$query")
	timeout=$((full * 6 / 10))
	read -r ended state < <(run "$workers" "$timeout" "$query")
	late=$((ended - timeout))
	total=$((total + 1))
	if [ "$state" = 57014 ] && [ "$late" -lt 100 ]; then verdict=holds; held=$((held + 1)); else verdict="**misses**"; fi
	plan=serial
	[ "$workers" -gt 0 ] && plan="parallel ($workers workers)"
	echo "| $label | $plan | $full | $timeout | $ended | ${state:-none} | $late | $verdict |"
done <<'QUERIES'
kendall_tau(x, y) on samples|0|SELECT kendall_tau(x, y) FROM samples
spearman_corr(x, y) on samples|0|SELECT spearman_corr(x, y) FROM samples
corr_test(x, y, 'kendall') on samples|2|SELECT corr_test(x, y, 'kendall') FROM samples
corr_test(x, y, 'spearman') on samples|2|SELECT corr_test(x, y, 'spearman') FROM samples
tenure_survival over timestamp spells|0|SELECT tenure_survival(spell, timestamptz '2025-01-01 00:00+00') IS NULL FROM tspells
rollup(survival) of 1,000 summaries|0|SELECT rollup(s) IS NULL FROM tsummaries
survival_curve of the largest summary|0|SELECT count(*) FROM lateness_summary, survival_curve(s)
survival text output of the largest summary|0|SELECT octet_length(s::text) FROM lateness_summary
QUERIES
echo
echo "$held of $total cancels were honoured within 100 ms."
"${PSQL[@]}" -c "DROP TABLE lateness_summary" >/dev/null

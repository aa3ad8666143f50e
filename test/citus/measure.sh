#!/bin/bash
# What distributing an aggregate over Citus costs, measured on a throw-away
# coordinator and two workers (see lib.sh) holding the rows of data.sql at
# CITUS_MEASURE_SCALE (default 75: 1.5 million interactions, 450,000 pairs)
# in 32 shards a table, and the same rows in plain tables of the
# coordinator. Prints Markdown tables for doc/scale-out.md:
#   - a split aggregate: strength_agg with 5 arguments grouped by a column
#     that is not the distribution column, against the same on the plain
#     table (serial) and against sum/count, and its parts: the aggregate on
#     one worker's shards, with its text output, inside Citus's
#     worker_partial_agg(ROW(...)) (Citus 14: worker_binary_partial_agg), and
#     the coordinator's parse and combine;
#   - other aggregates split the same way;
#   - gathering: spearman_corr and kendall_tau grouped by a column that is
#     not the distribution column (every row shipped to the coordinator).
# Each query runs once to warm the caches, then CITUS_MEASURE_REPS times
# (default 5). Two numbers: the CPU time all three servers spent, per query
# (from /proc: every backend, and those that exited, through the
# postmasters' children's times), which another load on the machine hardly
# changes; and the fastest elapsed time, which it does.
# Timing only: no pass or fail. Everything started is removed on exit.
#   bash test/citus/measure.sh        (CITUS_SRC as for run.sh)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=test/citus/lib.sh
. "$here/lib.sh"

scale=${CITUS_MEASURE_SCALE:-75}
reps=${CITUS_MEASURE_REPS:-5}
export PGTZ=UTC

trap citus_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# JIT compiles the large plain-table queries but not the small shard ones:
# off, so that both run the same executor
export CITUS_CONF="jit = off${CITUS_CONF:+
$CITUS_CONF}"
citus_ready
case $? in
0) ;;
77) echo "# $citus_skip"; exit 0 ;;
*) exit 1 ;;
esac
citus_start || exit 1
cs() { csql "$coord_port" -A -t -F'|' "$@"; }
w1=${worker_ports[0]}

t0=$(date +%s)
out=$(cs -c "CREATE EXTENSION peoplefirst" && csql "$coord_port" -v scale="$scale" -f "$here/data.sql" &&
	cs -c "VACUUM ANALYZE") || { echo "$out"; exit 1; }
echo "# loaded in $(( $(date +%s) - t0 )) s: $(cs -c "SELECT (SELECT count(*) FROM interactions) || ' interactions, '
	|| (SELECT count(*) FROM pairs) || ' pairs, ' || (SELECT count(*) FROM pg_dist_shard
	WHERE logicalrelid = 'interactions'::regclass) || ' shards a table'"); $pg_version, $(nproc) cores"

tick=$(getconf CLK_TCK)
# the CPU time the three servers used so far, in clock ticks: each
# postmaster's own and its exited children's, and its running children's
cpu_ticks() {
	local d pm c total=0 t
	for d in "$citus_work"/*/; do
		pm=$(head -n 1 "$d/postmaster.pid" 2>/dev/null) || continue
		t=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat" 2>/dev/null) && total=$((total + t))
		for c in $(ps -o pid= --ppid "$pm"); do
			t=$(awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null) && total=$((total + t))
		done
	done
	echo "$total"
}

# ms PORT QUERY [SETUP]: "CPU WALL": the CPU milliseconds of all servers per
# run, and the fastest elapsed milliseconds
ms() {
	local port=$1 q=$2 setup=${3:-} before after wall
	before=$(cpu_ticks)
	{
		[ -n "$setup" ] && echo "$setup;"
		echo '\o /dev/null'
		echo "$q;"
		echo '\timing on'
		for _ in $(seq "$reps"); do echo "$q;"; done
	} | csql "$port" >"$citus_work/ms.out"
	sleep 0.3	# the session's backend exits and is reaped
	after=$(cpu_ticks)
	grep -q ERROR "$citus_work/ms.out" && sed 's/^/# /' "$citus_work/ms.out" | head -n 5 >&2
	wall=$(grep -oE '^Time: [0-9.]+' "$citus_work/ms.out" | awk '{ print $2 }' | sort -n | head -n 1)
	awk -v b="$before" -v a="$after" -v t="$tick" -v n=$((reps + 1)) -v w="${wall:-}" \
		'BEGIN { if (w == "") print "error error"; else printf "%.0f %.0f\n", (a - b) * 1000 / t / n, w }'
}
serial="SET max_parallel_workers_per_gather = 0"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }
# row LABEL "CPU WALL" [BASE_CPU]: a table row, with the CPU ratio to BASE
row() {
	local cpu=${2% *} wall=${2#* }
	echo "| $1 | $cpu | $wall |${3:+ $(ratio "$cpu" "$3") |}"
}

# the shards of a table on a worker, as one UNION ALL of QUERY (TABLE in
# it is replaced by each shard's name)
shards_of() {
	cs -c "SELECT shardid FROM pg_dist_shard JOIN pg_dist_placement USING (shardid)
		JOIN pg_dist_node USING (groupid) WHERE logicalrelid = '$1'::regclass AND nodeport = $2 ORDER BY 1"
}
on_worker1() {
	local table=$1 q=$2 s first=1
	for s in $(shards_of "$table" "$w1"); do
		[ $first = 1 ] || echo "UNION ALL"
		first=0
		echo "(${q//TABLE/${table}_$s})"
	done
}

agg="strength_agg(at, half_life, weight, sentiment, inbound)"
sig="'strength_agg(timestamptz, interval, float8, float8, boolean)'::regprocedure"
# Citus 13 sends a state as text, Citus 14 in binary (the type's send and
# receive functions): the wrapper functions the plan uses
if cs -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT branch_id, $agg FROM interactions GROUP BY 1" |
	grep -q worker_binary_partial_agg; then
	partial=worker_binary_partial_agg combine_agg=coord_binary_combine_agg stype=bytea state_arg=s form=binary
else
	partial=worker_partial_agg combine_agg=coord_combine_agg stype=text state_arg=s::cstring form=text
fi
rows=$(cs -c "SELECT count(*) FROM interactions")
shards_w1=$(shards_of interactions "$w1" | grep -c .)

echo
echo "## A split aggregate: $agg, $rows rows"
echo "(CPU: milliseconds of all three servers a query; elapsed: the fastest of $reps)"
for g in branch_id "(at AT TIME ZONE 'UTC')::date"; do
	groups=$(cs -c "SELECT count(DISTINCT $g) FROM interactions_local")
	plain=$(ms "$coord_port" "SELECT $g, $agg FROM interactions_local GROUP BY 1" "$serial")
	base=${plain% *}
	plain_sum=$(ms "$coord_port" "SELECT $g, sum(weight), count(*) FROM interactions_local GROUP BY 1" "$serial")
	dist=$(ms "$coord_port" "SELECT $g, $agg FROM interactions GROUP BY 1")
	dist_sum=$(ms "$coord_port" "SELECT $g, sum(weight), count(*) FROM interactions GROUP BY 1")
	# worker 1's shards, serial (a UNION ALL could become a Parallel Append)
	native=$(ms "$w1" "SELECT count(r) FROM ($(on_worker1 interactions "SELECT $g AS g, $agg AS r FROM TABLE GROUP BY 1")) s" "$serial")
	native_text=$(ms "$w1" "SELECT length(r::text) FROM ($(on_worker1 interactions "SELECT $g AS g, $agg AS r FROM TABLE GROUP BY 1")) s" "$serial")
	wpa=$(ms "$w1" "SELECT octet_length(s::$stype) FROM ($(on_worker1 interactions "SELECT $g AS g,
		$partial($sig, ROW(at, half_life, weight, sentiment, inbound)) AS s FROM TABLE GROUP BY 1")) s" "$serial")
	sum_w1=$(ms "$w1" "SELECT count(*) FROM ($(on_worker1 interactions "SELECT $g AS g, sum(weight), count(*) FROM TABLE GROUP BY 1")) s" "$serial")
	# the states both workers send, combined on the coordinator as Citus does
	cs -c "DROP TABLE IF EXISTS states" -c "CREATE TABLE states (g text, s $stype)" >/dev/null
	for p in "${worker_ports[@]}"; do
		for s in $(shards_of interactions "$p"); do
			echo "COPY (SELECT ($g)::text, $partial($sig, ROW(at, half_life, weight, sentiment, inbound))
				FROM interactions_$s GROUP BY 1) TO STDOUT;"
		done | csql "$p" >"$citus_work/states.tsv"
		cs -c "\\copy states FROM '$citus_work/states.tsv'" >/dev/null
	done
	nstates=$(cs -c "SELECT count(*) FROM states")
	bytes=$(cs -c "SELECT sum(octet_length(s)) FROM states")
	[ $form = text ] && parse=$(ms "$coord_port" "SELECT count(s::relstrength) FROM states")
	combine=$(ms "$coord_port" "SELECT g, $combine_agg($sig, $state_arg, NULL::relstrength) FROM states GROUP BY 1")
	echo
	echo "grouped by $g: $groups groups, $nstates states shipped ($bytes bytes, $form)"
	echo
	echo "| query | CPU ms | elapsed ms | CPU / plain |"
	echo "|---|---:|---:|---:|"
	row "plain table, serial: strength_agg" "$plain" "$base"
	row "plain table, serial: sum, count" "$plain_sum" "$base"
	row "distributed (split): strength_agg" "$dist" "$base"
	row "distributed: sum, count" "$dist_sum" "$base"
	row "worker 1, its $shards_w1 shards one after another: strength_agg" "$native" "$base"
	row "worker 1: strength_agg(...)::text" "$native_text" "$base"
	row "worker 1: $partial(strength_agg, ROW(...)), as Citus runs it" "$wpa" "$base"
	row "worker 1: sum, count" "$sum_w1" "$base"
	[ $form = text ] && row "coordinator: relstrength_in of the $nstates states" "$parse" "$base"
	row "coordinator: $combine_agg of the $nstates states (read and combine)" "$combine" "$base"
done

# the state's text form alone: the output and input functions over the
# last states, ten times each (binary: the send function)
cs -c "CREATE TABLE states_r AS SELECT r FROM (SELECT $combine_agg($sig, $state_arg, NULL::relstrength) AS r
	FROM states GROUP BY g, s) t WHERE r IS NOT NULL" >/dev/null
n_io=$(( $(cs -c "SELECT count(*) FROM states_r") * 10 ))
t_base=$(ms "$coord_port" "SELECT count(r) FROM states_r, generate_series(1, 10)")
t_out=$(ms "$coord_port" "SELECT sum(length(r::text)) FROM states_r, generate_series(1, 10)")
t_send=$(ms "$coord_port" "SELECT sum(length(relstrength_send(r))) FROM states_r, generate_series(1, 10)")
cs -c "CREATE TABLE states_t AS SELECT r::text AS s FROM states_r" >/dev/null
t_in=$(ms "$coord_port" "SELECT count(s::relstrength) FROM states_t, generate_series(1, 10)")
echo
awk -v n="$n_io" -v b="${t_base% *}" -v o="${t_out% *}" -v i="${t_in% *}" -v sd="${t_send% *}" 'BEGIN {
	printf "relstrength text output: %.1f us a value, text input: %.1f us, binary send: %.1f us (CPU, %d values)\n",
		(o - b) * 1000 / n, (i - b) * 1000 / n, (sd - b) * 1000 / n, n }'
pushed=$(ms "$coord_port" "SELECT customer_id, $agg FROM interactions GROUP BY 1")
plain_c=$(ms "$coord_port" "SELECT customer_id, $agg FROM interactions_local GROUP BY 1" "$serial")
echo
echo "grouped by customer_id (the distribution column, pushed down): CPU ${pushed% *} ms, elapsed ${pushed#* } ms;" \
	"on the plain table (serial): CPU ${plain_c% *} ms, elapsed ${plain_c#* } ms"

echo
echo "## Other aggregates grouped by a column that is not the distribution column"
echo
echo "| query | state | rows | how | plain, serial: CPU ms | elapsed ms | distributed: CPU ms | elapsed ms |"
echo "|---|---|---:|---|---:|---:|---:|---:|"
while IFS='|' read -r table g a sig1; do
	plain=$(ms "$coord_port" "SELECT $g, $a FROM ${table}_local GROUP BY 1" "$serial")
	dist=$(ms "$coord_port" "SELECT $g, $a FROM $table GROUP BY 1")
	state=$(cs -c "SELECT aggtranstype::regtype FROM pg_aggregate WHERE aggfnoid = '$sig1'::regprocedure")
	how=$(cs -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT $g, $a FROM $table GROUP BY 1" | grep -qE 'worker_(binary_)?partial_agg' &&
		echo split || echo "rows gathered")
	echo "| \`$a\` by $g | $state | $(cs -c "SELECT count(*) FROM $table") | $how | ${plain% *} | ${plain#* } | ${dist% *} | ${dist#* } |"
done <<QUERIES
spells|department|tenure_survival(employment, '2024-12-31')|tenure_survival(daterange, date)
spells|department|spell_stats(employment, '[2024-01-01,2025-01-01)')|spell_stats(daterange, daterange)
pairs|region|corr_test(x, y)|corr_test(float8, float8)
pairs|region|nps_stats(score)|nps_stats(int4)
QUERIES

# a composite result: (agg).* ships and merges the state once a field
g="lower(employment)"
period="'[2024-01-01,2025-01-01)'"
star=$(ms "$coord_port" "SELECT $g, (spell_stats(employment, $period)).* FROM spells GROUP BY 1")
sub=$(ms "$coord_port" "SELECT g, (st).* FROM (SELECT $g AS g, spell_stats(employment, $period) AS st
	FROM spells GROUP BY 1) s")
echo
echo "spell_stats by the start day of the spell ($(cs -c "SELECT count(DISTINCT $g) FROM spells_local") groups):" \
	"\`(spell_stats(...)).*\` CPU ${star% *} ms (elapsed ${star#* } ms), through a subquery CPU ${sub% *} ms (elapsed ${sub#* } ms)"

rows=$(cs -c "SELECT count(*) FROM pairs")
echo
echo "## Gathering: rank correlations grouped by region (4 groups), $rows rows"
echo
echo "| aggregate | plain, serial: CPU ms | elapsed ms | by region, rows gathered: CPU ms | elapsed ms | data received | by branch_id, pushed down: CPU ms | elapsed ms |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for a in "spearman_corr(x, y)" "kendall_tau(x, y)" "corr_test(x, y, 'kendall')"; do
	plain=$(ms "$coord_port" "SELECT region, $a FROM pairs_local GROUP BY 1" "$serial")
	dist=$(ms "$coord_port" "SELECT region, $a FROM pairs GROUP BY 1")
	pushed=$(ms "$coord_port" "SELECT branch_id, $a FROM pairs GROUP BY 1")
	bytes=$(cs -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT region, $a FROM pairs GROUP BY 1" 2>&1 |
		grep -m1 -oE 'Tuple data received from nodes: [0-9]+ [a-zA-Z]+' | sed 's/.*: //')
	echo "| \`$a\` | ${plain% *} | ${plain#* } | ${dist% *} | ${dist#* } | ${bytes:-?} | ${pushed% *} | ${pushed#* } |"
done
echo
echo "# $(( $(date +%s) - t0 )) s"

#!/bin/bash
# Benchmark of peoplefirst's aggregates against PostgreSQL's built-in
# aggregates and plain-SQL formulations of the same results, measured side by
# side in one session: the deliverable is ratios, which stay meaningful on a
# shared, noisy machine where absolute times do not.
#
# Runs on a throw-away cluster (make bench):
#   bash test/pg/cluster.sh bash test/bench/run_bench.sh [ROWS]     ROWS default 10000000
# Environment:
#   RUNS                  timed runs of each query, median reported (default 5, at least 3)
#   BENCH_OUT             report file (default test/bench/results-latest.md)
#   BENCH_SHARED_BUFFERS  shared_buffers for the run (default: enough to hold
#                         the tables; "keep" leaves the cluster's setting)
#
# Files: setup.sql generates the data, queries.txt lists the queries,
# report.sql computes medians, ratios and targets from the timings.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=test/bench

ROWS=${1:-10000000}
RUNS=${RUNS:-5}
OUT=${BENCH_OUT:-$BENCH/results-latest.md}
if ! [[ $ROWS =~ ^[0-9]+$ ]] || [ "$ROWS" -lt 10000 ]; then
	echo "run_bench.sh: ROWS must be a whole number, at least 10000 (got '$ROWS')" >&2
	exit 2
fi
if ! [[ $RUNS =~ ^[0-9]+$ ]] || [ "$RUNS" -lt 3 ]; then
	echo "run_bench.sh: RUNS must be at least 3 (got '$RUNS')" >&2
	exit 2
fi
SMALL=$((ROWS / 10))
MID=$((4 * ROWS / 10))

DB=peoplefirst_bench
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d -t peoplefirst-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1)
say() { printf '%s  %s\n' "$(date +%T)" "$*" >&2; }
thousands() { echo "$1" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta'; }

# --- the cluster: shared_buffers large enough that every scan reads from
# shared memory (no 256 kB ring, no copy from the kernel's cache), as on a
# server whose working set fits in memory.
if [ "${BENCH_SHARED_BUFFERS:-}" != keep ]; then
	SB=${BENCH_SHARED_BUFFERS:-$((ROWS * 290 / 1048576 + 256))MB}
	say "shared_buffers = $SB, restarting the throw-away cluster"
	"${PSQL[@]}" -d postgres -c "ALTER SYSTEM SET shared_buffers = '$SB'"
	DATADIR=$("${PSQL[@]}" -d postgres -c "SHOW data_directory")
	# stop, then start (test/pg/cluster.sh's cluster, or pg_virtualenv's)
	if [ -n "${PF_CLUSTER_DATA:-}" ]; then
		ctl() { bash test/pg/cluster.sh --ctl "$1"; }
	else
		ctl() { pg_ctlcluster "$PGVERSION" regress "$1"; }
	fi
	ctl stop
	if ! ctl start; then
		say "restart with shared_buffers = $SB failed, going on with the default"
		sed -i '/^shared_buffers/d' "$DATADIR/postgresql.auto.conf"
		chown --reference="$DATADIR" "$DATADIR/postgresql.auto.conf"
		ctl start
	fi
fi

createdb "$DB"
"${PSQL[@]}" -d "$DB" -c "CREATE EXTENSION peoplefirst"
PSQL+=(-d "$DB")

# --- the floor: for each aggregate benchmarked against it, a no-op aggregate
# of the same arguments whose transition (floor.c, built here, loaded from
# this run's directory) has the same strictness and returns its state
say "building the floor's no-op aggregates"
chmod 755 "$WORK"
gcc -O2 -fPIC -shared -I"$(${PG_CONFIG:-pg_config} --includedir-server)" \
	"$BENCH/floor.c" -o "$WORK/bench_floor.so" || { echo "run_bench.sh: cannot build floor.c" >&2; exit 1; }
chmod 755 "$WORK/bench_floor.so"
floor_agg() {	# floor_agg NAME ARGUMENT-TYPES AGGREGATE-SIGNATURE
	"${PSQL[@]}" -v so="$WORK/bench_floor.so" <<-EOF
	SELECT CASE WHEN p.proisstrict THEN 'STRICT' ELSE 'CALLED ON NULL INPUT' END AS strictness
	FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggtransfn WHERE a.aggfnoid = '$3'::regprocedure \gset
	CREATE FUNCTION bench_floor_$1_transition(int8, $2) RETURNS int8
	AS :'so', 'bench_floor_transition' LANGUAGE C IMMUTABLE :strictness PARALLEL SAFE;
	CREATE AGGREGATE bench_floor_$1($2) (SFUNC = bench_floor_$1_transition, STYPE = int8, INITCOND = '0');
	EOF
}
floor_agg strength2 "timestamptz, interval" "strength_agg(timestamptz, interval)"
floor_agg strength5 "timestamptz, interval, float8, float8, boolean" \
	"strength_agg(timestamptz, interval, float8, float8, boolean)"
floor_agg pairs "float8, float8" "spearman_corr(float8, float8)"
floor_agg corr_test "float8, float8" "corr_test(float8, float8)"
floor_agg tenure_survival "daterange, date" "tenure_survival(daterange, date)"
floor_agg spell_stats "daterange, daterange" "spell_stats(daterange, daterange)"

# --- data
say "generating $ROWS rows in each of interactions, samples, spells"
t0=$(date +%s.%N)
"${PSQL[@]}" -v rows="$ROWS" -v small="$SMALL" -v mid="$MID" -f $BENCH/setup.sql
t1=$(date +%s.%N)
GEN_SECONDS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }')
# into shared buffers (pg_prewarm ships with the server; a plain scan otherwise)
for t in interactions summaries samples samples_small samples_mid pairs_tied_small pairs_random \
	pairs_random_small spells; do
	"${PSQL[@]}" -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" \
		-c "SELECT pg_prewarm('$t')" >/dev/null 2>&1 ||
		"${PSQL[@]}" -c "SELECT count(*) FROM $t" >/dev/null
done

# --- the queries
declare -a IDS MODES TABLES LABELS SQLS
while IFS='|' read -r id modes table label sql; do
	[[ -z $id || $id == \#* ]] && continue
	IDS+=("$id"); MODES+=("$modes"); TABLES+=("$table")
	label=${label//@SMALL@/$(thousands "$SMALL")}
	LABELS+=("${label//@MID@/$(thousands "$MID")}")
	SQLS+=("$sql")
done <$BENCH/queries.txt
nq=${#IDS[@]}

# The sorts a rank correlation cannot do without, timed alone in C on as many
# pairs like each table of pairs (test/core/bench_sort.c): added to the
# no-op floor of spearman_corr and kendall_tau, as their floor with sorts.
# Timed in each round right after the table's no-op floor (the median of 3
# runs), while the server is idle, so that the sorts meet the machine as the
# queries next to them do.
say "building the rank sorts' timing, test/core/bench_sort.c"
gcc -std=gnu99 -O2 -DPF_PHASE_TIMING -Isrc -Itest/core src/[a-z]*_core.c test/core/host.c test/core/bench_sort.c -lm \
	-o "$WORK/bench_sort" || { echo "run_bench.sh: cannot build test/core/bench_sort.c" >&2; exit 1; }
: >"$WORK/sorts.tsv"

# One session: session settings, a pass that checks the plans (and warms up),
# then RUNS rounds, each running every query once in each of its modes, so
# that a slow spell of the machine spreads over all queries instead of
# falling on one.
mode_set() {
	case $1 in
	S) echo "SET max_parallel_workers_per_gather = 0;" ;;
	P) echo "SET max_parallel_workers_per_gather = 2;" ;;
	esac
}
# the settings of every session that times or measures a query
session_settings() {
	cat <<-'EOF'
	SET jit = off;
	SET work_mem = '1GB';
	SET max_parallel_workers = 8;
	SET parallel_setup_cost = 0;
	SET parallel_tuple_cost = 0;
	SET min_parallel_table_scan_size = 0;
	SET parallel_leader_participation = on;
	EOF
}
{
	session_settings
	for ((i = 0; i < nq; i++)); do
		for ((k = 0; k < ${#MODES[i]}; k++)); do
			m=${MODES[i]:k:1}
			mode_set "$m"
			echo "\\echo @@E ${IDS[i]} $m"
			if [ "$m" = P ]; then
				echo "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) ${SQLS[i]};"
			else
				echo "EXPLAIN (COSTS OFF) ${SQLS[i]};"
			fi
		done
	done
	# the backend's CPU time and run-queue wait (ns), from the scheduler
	echo "SELECT '/proc/' || pg_backend_pid() || '/schedstat' AS schedstat \\gset"
	echo "\\timing on"
	for ((r = 1; r <= RUNS; r++)); do
		for ((i = 0; i < nq; i++)); do
			for ((k = 0; k < ${#MODES[i]}; k++)); do
				m=${MODES[i]:k:1}
				mode_set "$m"
				echo "SELECT replace(pg_read_file(:'schedstat'), E'\\n', '') AS s0 \\gset"
				echo "\\echo @@R ${IDS[i]} $m $r"
				echo "${SQLS[i]};"
				echo "SELECT replace(pg_read_file(:'schedstat'), E'\\n', '') AS s1 \\gset"
				echo "\\echo @@C :s0 :s1"
			done
			if [[ ${IDS[i]} == f_pairs* && ${IDS[i]} != *_after ]]; then
				echo "\\! '$WORK/bench_sort' --floor --table ${TABLES[i]} --runs 3 $ROWS | sed 's/^/$r\t/' >>'$WORK/sorts.tsv'"
			fi
		done
	done
} >"$WORK/bench.sql"

say "timing $nq queries, $RUNS rounds (progress: $WORK/bench.log)"
"${PSQL[@]}" -f "$WORK/bench.sql" >"$WORK/bench.log"

# Memory of the rank aggregates: peak resident set (VmHWM) of the backend,
# read from /proc/<pg_backend_pid()>/status in a fresh session, after a plain
# serial scan of the table (so the shared buffers the scan maps and the
# catalog caches are already counted) and again after the aggregate. The
# growth is the state and everything the final function allocates, at its
# peak. Then the same with the aggregate in a parallel plan (2 workers), for
# information: the leader's growth, PostgreSQL's copies of the workers'
# states included.
for agg in spearman_corr kendall_tau; do
	for m in S P; do
		mode=serial
		[ "$m" = P ] && mode=parallel
		{
			session_settings
			mode_set S
			echo "SELECT sum(x) FROM samples \\gset"
			mode_set "$m"
			cat <<-EOF
			SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\\s+(\\d+) kB'))[1] AS hwm0 \\gset
			SELECT $agg(x, y) FROM samples \\gset
			SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\\s+(\\d+) kB'))[1] AS hwm1 \\gset
			\\echo @@M $agg $mode $ROWS :hwm0 :hwm1
			EOF
		} | "${PSQL[@]}" >>"$WORK/bench.log"
	done
done

# --- tab-separated results for report.sql
awk -v dir="$WORK" '
	/^@@E / { key = $2 "\t" $3; planned[key] = ""; launched[key] = ""; order[++n] = key; next }
	/^@@R / {
		id = $2; mode = $3; rnd = $4
		getline val
		getline t
		split(t, f, " ")
		ms = f[2]
		next
	}
	# schedstat before and after: CPU time, run-queue wait, timeslices
	/^@@C / {
		printf "%s\t%s\t%s\t%s\t%.3f\t%.3f\t%s\n", id, mode, rnd, ms,
			($5 - $2) / 1e6, ($6 - $3) / 1e6, val > (dir "/runs.tsv")
		next
	}
	/^@@M / { print $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6 > (dir "/memory.tsv"); next }
	/Workers Planned:/ { planned[key] = $NF }
	/Workers Launched:/ { launched[key] = $NF }
	END { for (i = 1; i <= n; i++) print order[i] "\t" planned[order[i]] "\t" launched[order[i]] > (dir "/plans.tsv") }
' "$WORK/bench.log"
for ((i = 0; i < nq; i++)); do
	printf '%s\t%s\t%s\t%s\t%s\n' "$i" "${IDS[i]}" "${MODES[i]}" "${TABLES[i]}" "${LABELS[i]}"
done >"$WORK/queries.tsv"

"${PSQL[@]}" \
	-c "CREATE TABLE bench_query (ord int, id text, modes text, tbl text, label text)" \
	-c "CREATE TABLE bench_run (id text, mode text, round int, ms float8, cpu_ms float8, wait_ms float8, value text)" \
	-c "CREATE TABLE bench_plan (id text, mode text, planned int, launched int)" \
	-c "CREATE TABLE bench_memory (agg text, mode text, rows bigint, hwm0_kb bigint, hwm1_kb bigint)" \
	-c "CREATE TABLE bench_sorts (round int, data text, rows bigint, ms float8)" \
	-c "\\copy bench_query FROM '$WORK/queries.tsv'" \
	-c "\\copy bench_run FROM '$WORK/runs.tsv'" \
	-c "\\copy bench_plan FROM '$WORK/plans.tsv' WITH (NULL '')" \
	-c "\\copy bench_memory FROM '$WORK/memory.tsv'" \
	-c "\\copy bench_sorts FROM '$WORK/sorts.tsv'"

CPU=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*: *//')
MEM=$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
"${PSQL[@]}" \
	-v rows="$ROWS" -v small="$SMALL" -v mid="$MID" -v runs="$RUNS" \
	-v nproc="$(nproc)" -v cpu="$CPU" -v mem="$MEM" -v kernel="$(uname -r)" \
	-v load0="$LOAD0" -v load1="$(cut -d' ' -f1-3 /proc/loadavg)" -v gen="$GEN_SECONDS" \
	-v started="$(date -u -d @"${t0%.*}" '+%Y-%m-%d %H:%M UTC')" \
	-f $BENCH/report.sql >"$OUT"
say "cancel lateness inside the long final functions"
bash $BENCH/cancel_lateness.sh "$DB" "$ROWS" >>"$OUT"
say "survival_curve memory over one large stored summary"
bash $BENCH/curve_memory.sh "$DB" "$ROWS" >>"$OUT"
say "cox_regression on 1,000,000 rows, and R's coxph where it is installed"
bash $BENCH/cox.sh "$DB" 1000000 >>"$OUT"
say "the rank sorts alone, phase by phase"
{
	echo
	echo "## The rank sorts alone"
	echo
	echo "test/core/bench_sort.c on $(thousands "$ROWS") pairs, continuous, tied, and like \`samples\`, median of five runs: the sort by (x, y),"
	echo "and the whole of Spearman's and Kendall's computations, in place and with a spare of a quarter and of a half of the pairs;"
	echo "then one run of each, phase by phase (the core built with -DPF_PHASE_TIMING, which marks the phases)."
	echo
	"$WORK/bench_sort" "$ROWS"
} >>"$OUT"
cat "$OUT"
say "report written to $OUT"

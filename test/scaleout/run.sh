#!/bin/bash
# Scale-out over postgres_fdw: a coordinator and two shards (databases of the
# cluster that the PG* variables point at, e.g. inside pg_virtualenv), tables
# partitioned by branch whose partitions are foreign tables on the shards, and
# a single database holding all the rows as the reference. Checks, printing
# TAP (prove -e bash test/scaleout/run.sh):
#   - which aggregates postgres_fdw pushes down (grep of EXPLAIN VERBOSE's
#     Remote SQL), and which it does not;
#   - that shard summaries merged on the coordinator (rollup) and every pushed
#     aggregate give the single database's results, to relative 1e-12.
# Needs a superuser; drops its databases on exit. SCALEOUT_VERBOSE=1 prints
# every plan as TAP comments.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)

prefix=peoplefirst_scaleout
coord=${prefix}_coordinator
shard1=${prefix}_shard1
shard2=${prefix}_shard2
single=${prefix}_single
verbose=${SCALEOUT_VERBOSE:-0}
tolerance=1e-12
as_of="'2025-01-01 00:00+00'"

n=0
failed=0

diag() { [ -n "$1" ] && sed 's/^/# /' <<<"$1"; return 0; }
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; diag "${2:-}"; }
bail() { echo "Bail out! $1"; diag "${2:-}"; exit 1; }

# a single-quoted SQL literal
quote() { printf "'%s'" "${1//\'/\'\'}"; }

sql() { local db=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@" 2>&1; }

drop_all() {
	local db
	for db in "$coord" "$shard1" "$shard2" "$single"; do
		dropdb --if-exists --force "$db" >/dev/null 2>&1
	done
}
trap drop_all EXIT

# ---------------------------------------------------------------- set-up

start=$(date +%s)
drop_all
for db in "$coord" "$shard1" "$shard2" "$single"; do
	out=$(createdb "$db" 2>&1) || bail "createdb $db" "$out"
done
for db in "$shard1" "$shard2" "$single"; do
	out=$(cd "$here" && sql "$db" -f shard.sql) || bail "shard.sql on $db" "$out"
done

# The coordinator reaches the shards through the same server, with the
# connection the PG* variables describe. A superuser's user mapping needs no
# password as far as postgres_fdw is concerned, but the server's own
# authentication may (pg_virtualenv: scram-sha-256 over TCP), so it is passed
# on when there is one.
conn=""
[ -n "${PGHOST:-}" ] && conn+="host $(quote "$PGHOST"), "
[ -n "${PGPORT:-}" ] && conn+="port $(quote "$PGPORT"), "
mapping="user $(quote "${PGUSER:-$(id -un)}")"
[ -n "${PGPASSWORD:-}" ] && mapping+=", password $(quote "$PGPASSWORD")"
out=$(cd "$here" && sql "$coord" -v shard1_opts="${conn}dbname $(quote "$shard1")" \
	-v shard2_opts="${conn}dbname $(quote "$shard2")" -v mapping_opts="$mapping" \
	-f coordinator.sql) || bail "coordinator.sql" "$out"

for db in "$single" "$coord"; do
	out=$(cd "$here" && sql "$db" -f data.sql -f summaries.sql) || bail "data on $db" "$out"
done
for db in "$shard1" "$shard2" "$single"; do
	out=$(sql "$db" -c "ANALYZE") || bail "ANALYZE $db" "$out"
done
counts="SELECT (SELECT count(*) FROM interactions), (SELECT count(*) FROM employees),
	(SELECT count(*) FROM strength_daily), (SELECT count(*) FROM survival_by_department)"
c_coord=$(sql "$coord" -At -c "$counts")
c_single=$(sql "$single" -At -c "$counts")
c_shards=$(sql "$shard1" -At -c "SELECT count(*) FROM interactions")/$(sql "$shard2" -At -c "SELECT count(*) FROM interactions")
diag "rows (interactions|employees|strength_daily|survival_by_department): coordinator $c_coord, single $c_single; interactions on shard 1/2: $c_shards"
diag "set-up: $(( $(date +%s) - start )) s"

# ---------------------------------------------------------------- checks

plan() { # query, partitionwise setting
	sql "$coord" -At -c "SET enable_partitionwise_aggregate = ${2:-on}" \
		-c "EXPLAIN (VERBOSE, COSTS OFF) $1"
}

show() { [ "$verbose" = 1 ] && diag "$1"; return 0; }

# pushed DESCRIPTION "AGG..." QUERY: every Remote SQL (one per shard) calls
# each of the aggregates
pushed() {
	local desc=$1 aggs=$2 query=$3 p remote total agg with
	p=$(plan "$query") || { fail "$desc" "$p"; return; }
	show "$p"
	remote=$(grep 'Remote SQL:' <<<"$p")
	total=$(grep -c . <<<"$remote")
	for agg in $aggs; do
		with=$(grep -cF "$schema.$agg(" <<<"$remote")
		if [ "$total" -lt 2 ] || [ "$with" -ne "$total" ]; then
			fail "$desc" "$agg( in $with of $total Remote SQL lines"$'\n'"$p"
			return
		fi
	done
	pass "$desc"
}

# local DESCRIPTION AGG QUERY [PARTITIONWISE [NEEDLE]]: the aggregate runs on
# the coordinator (no Remote SQL calls it) and the plan shows NEEDLE
local_only() {
	local desc=$1 agg=$2 query=$3 setting=${4:-on} needle=${5:-} p remote
	p=$(plan "$query" "$setting") || { fail "$desc" "$p"; return; }
	show "$p"
	remote=$(grep 'Remote SQL:' <<<"$p")
	if [ -z "$remote" ] || grep -qF "$agg(" <<<"$remote" ||
		! grep -v 'Remote SQL:' <<<"$p" | grep -qF "$agg(" ||
		{ [ -n "$needle" ] && ! grep -qF "$needle" <<<"$p"; }; then
		fail "$desc" "$p"
	else
		pass "$desc"
	fi
}

# compare A B: the same rows, '|'-separated fields equal as text or, when
# both are numbers, to relative $tolerance; prints the largest difference
compare() {
	awk -F'|' -v tol="$tolerance" '
	function num(s) { return s ~ /^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ }
	function abs(x) { return x < 0 ? -x : x }
	FNR == NR { a[FNR] = $0; na = FNR; next }
	{ b[FNR] = $0; nb = FNR }
	END {
		if (na != nb || na == 0) { printf "rows: %d here, %d in the single database\n", na, nb; exit 1 }
		worst = 0; values = 0
		for (i = 1; i <= na; i++) {
			nf = split(a[i], x, "|"); if (split(b[i], y, "|") != nf) { print "row " i ": " a[i] " / " b[i]; exit 1 }
			for (j = 1; j <= nf; j++) {
				values++
				if (x[j] == y[j]) continue
				if (!num(x[j]) || !num(y[j])) { print "row " i " field " j ": " x[j] " / " y[j]; exit 1 }
				m = abs(x[j] + 0) > abs(y[j] + 0) ? abs(x[j] + 0) : abs(y[j] + 0)
				d = abs(x[j] - y[j]) / m
				if (d > worst) { worst = d; where = sprintf(" (row %d field %d: %s / %s)", i, j, x[j], y[j]) }
				if (d > tol) { print "row " i " field " j ": " x[j] " / " y[j] " (relative " d ")"; exit 1 }
			}
		}
		printf "%d rows, %d values, largest relative difference %.3g%s\n", na, values, worst, where
	}' <(printf '%s\n' "$1" | grep .) <(printf '%s\n' "$2" | grep .)
}

# same DESCRIPTION COORDINATOR_QUERY [SINGLE_QUERY]
same() {
	local desc=$1 q1=$2 q2=${3:-$2} a b out
	a=$(sql "$coord" -At -F'|' -c "SET enable_partitionwise_aggregate = on" -c "$q1") ||
		{ fail "$desc" "$a"; return; }
	b=$(sql "$single" -At -F'|' -c "$q2") || { fail "$desc" "$b"; return; }
	if out=$(compare "$a" "$b"); then pass "$desc"; diag "$out"; else fail "$desc" "$out"; fi
}

schema=$(sql "$coord" -At -c "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'peoplefirst'")
strength="strength_agg(at, '30 days', weight, sentiment, inbound)"
survival="tenure_survival(employment, '2024-12-31')"
year="'[2024-01-01,2025-01-01)'"
left="(upper(employment) <= date '2024-12-31')"

echo "# pushed down whole to each shard when grouped by the partition key"
pushed "strength_agg runs on the shards, grouped by branch, employee, customer" strength_agg \
	"SELECT branch, employee, customer, $strength FROM interactions GROUP BY branch, employee, customer"
pushed "rollup(relstrength) of stored summaries runs on the shards" rollup \
	"SELECT branch, customer, rollup(r) FROM strength_daily GROUP BY branch, customer"
pushed "tenure_survival (internal state) runs on the shards" tenure_survival \
	"SELECT branch, $survival FROM employees GROUP BY branch"
pushed "rollup(survival) (internal state) of stored summaries runs on the shards" rollup \
	"SELECT branch, rollup(s) FROM survival_by_department GROUP BY branch"
pushed "spell_stats, turnover_rate, churn_rate, retention_rate run on the shards" \
	"spell_stats turnover_rate churn_rate retention_rate" \
	"SELECT branch, spell_stats(employment, $year, voluntary), turnover_rate(employment, $year),
		churn_rate(employment, $year), retention_rate(employment, $year) FROM employees GROUP BY branch"
pushed "concentration and top_share run on the shards" "concentration top_share" \
	"SELECT branch, concentration(weight), top_share(weight) FROM interactions GROUP BY branch"
pushed "corr_test(x, y), partial_corr, weighted_corr run on the shards" \
	"corr_test partial_corr weighted_corr" \
	"SELECT branch, corr_test(salary, engagement), partial_corr(salary, engagement, tenure_years),
		weighted_corr(salary, engagement, customers) FROM employees GROUP BY branch"
pushed "spearman_corr, kendall_tau (internal state) run on the shards" "spearman_corr kendall_tau" \
	"SELECT branch, spearman_corr(salary, engagement), kendall_tau(salary, engagement)
		FROM employees GROUP BY branch"
pushed "risk_ratio, nps, nps_stats run on the shards" "risk_ratio nps nps_stats" \
	"SELECT branch, risk_ratio(remote, $left), nps(score), nps_stats(score) FROM employees GROUP BY branch"
pushed "a field of a composite result: the aggregate is still shipped" corr_test \
	"SELECT branch, (corr_test(salary, engagement)).p_value FROM employees GROUP BY branch"
# the method of corr_test is an enum (corr_method), not a collatable text
# constant, so postgres_fdw ships corr_test with a method as it ships any
# other aggregate of the extension
pushed "corr_test(x, y, method, confidence) runs on the shards" corr_test \
	"SELECT branch, corr_test(salary, engagement, 'kendall', 0.9) FROM employees GROUP BY branch"
pushed "two-step strength: the per-branch step of a per-customer rollup runs on the shards" strength_agg \
	"SELECT customer, rollup(r) FROM (SELECT branch, customer, $strength AS r
		FROM interactions GROUP BY branch, customer) s GROUP BY customer"
pushed "two-step survival: the per-branch step runs on the shards" tenure_survival \
	"SELECT rollup(s) FROM (SELECT branch, $survival AS s FROM employees GROUP BY branch) t"

echo "# not pushed down: the aggregate runs on the coordinator"
local_only "grouped by customer (not the partition key): partial strength_agg on the coordinator" \
	strength_agg "SELECT customer, $strength FROM interactions GROUP BY customer" on "Partial"
local_only "grouped by department: tenure_survival on the coordinator" \
	tenure_survival "SELECT department, $survival FROM employees GROUP BY department"
local_only "grouped by customer: no partial aggregate is shipped, not even count(*)" \
	count "SELECT customer, count(*) FROM interactions GROUP BY customer" on "Partial"
p=$(plan "SELECT * FROM branch_rank_tests")
show "$p"
if [ "$(grep -c 'Remote SQL: SELECT .* FROM public.branch_rank_tests$' <<<"$p")" -eq 2 ]; then
	pass "a view over corr_test(x, y, method) on each shard is read through a foreign table"
else
	fail "a view over corr_test(x, y, method) on each shard is read through a foreign table" "$p"
fi
local_only "kendall_tau over all rows: every pair is fetched to the coordinator" \
	kendall_tau "SELECT kendall_tau(salary, engagement) FROM employees"
local_only "enable_partitionwise_aggregate off: strength_agg above the Append" \
	strength_agg "SELECT branch, $strength FROM interactions GROUP BY branch" off
local_only "server without extensions 'peoplefirst': strength_agg not shipped" \
	strength_agg "SELECT branch, $strength FROM interactions_1_plain GROUP BY branch"
p=$(plan "SELECT branch, count(*) FROM interactions_1_plain GROUP BY branch")
show "$p"
if grep 'Remote SQL:' <<<"$p" | grep -qF 'count(*)'; then
	pass "while count(*) is shipped through that server"
else
	fail "while count(*) is shipped through that server" "$p"
fi

echo "# results equal to the single database's"
accessors="interactions(r), first_interaction(r), last_interaction(r), intensity(r, $as_of),
	strength(r, $as_of), reciprocity(r), sentiment(r), half_life(r)"
same "two-step strength per customer: per-branch strength_agg on the shards, rollup on the coordinator" \
	"SELECT customer, $accessors FROM (SELECT customer, rollup(r) AS r FROM (
		SELECT branch, customer, $strength AS r FROM interactions GROUP BY branch, customer) s
		GROUP BY customer) t ORDER BY customer" \
	"SELECT customer, $accessors FROM (SELECT customer, $strength AS r
		FROM interactions GROUP BY customer) t ORDER BY customer"
same "stored daily summaries rolled up per branch on the shards, then per customer" \
	"SELECT customer, $accessors FROM (SELECT customer, rollup(r) AS r FROM (
		SELECT branch, customer, rollup(r) AS r FROM strength_daily GROUP BY branch, customer) s
		GROUP BY customer) t ORDER BY customer" \
	"SELECT customer, $accessors FROM (SELECT customer, $strength AS r
		FROM interactions GROUP BY customer) t ORDER BY customer"
same "two-step strength of the whole company" \
	"SELECT $accessors FROM (SELECT rollup(r) AS r FROM (
		SELECT branch, $strength AS r FROM interactions GROUP BY branch) s) t" \
	"SELECT $accessors FROM (SELECT $strength AS r FROM interactions) t"
same "strength per pair grouped by the partition key, pushed down" \
	"SELECT branch, employee, customer, $accessors FROM (SELECT branch, employee, customer, $strength AS r
		FROM interactions GROUP BY branch, employee, customer) t ORDER BY 1, 2, 3"
km="s::text, survival_at(s, '1 year'), survival_at(s, '3 years'), median_tenure(s)"
same "two-step survival: per-branch tenure_survival on the shards, rollup on the coordinator" \
	"SELECT $km FROM (SELECT rollup(s) AS s FROM (
		SELECT branch, $survival AS s FROM employees GROUP BY branch) t) u" \
	"SELECT $km FROM (SELECT $survival AS s FROM employees) u"
same "two-step survival per department, with the Kaplan-Meier table and its intervals" \
	"SELECT department, c.* FROM (SELECT department, rollup(s) AS s FROM (
		SELECT branch, department, $survival AS s FROM employees GROUP BY branch, department) t
		GROUP BY department) u, survival_curve(s) c ORDER BY 1, 2" \
	"SELECT department, c.* FROM (SELECT department, $survival AS s
		FROM employees GROUP BY department) u, survival_curve(s) c ORDER BY 1, 2"
same "stored survival summaries rolled up on the shards, then on the coordinator" \
	"SELECT $km FROM (SELECT rollup(s) AS s FROM (
		SELECT branch, rollup(s) AS s FROM survival_by_department GROUP BY branch) t) u" \
	"SELECT $km FROM (SELECT $survival AS s FROM employees) u"
same "two-step turnover and churn: per-branch spell_stats counts summed on the coordinator" \
	"SELECT sum((st).ends) / sum((st).avg_active), sum((st).ends_from_start)::float8 / sum((st).active_start),
		sum((st).ends_voluntary), sum((st).starts) FROM (
		SELECT branch, spell_stats(employment, $year, voluntary) AS st FROM employees GROUP BY branch) t" \
	"SELECT turnover_rate(employment, $year), churn_rate(employment, $year),
		(spell_stats(employment, $year, voluntary)).ends_voluntary, (spell_stats(employment, $year)).starts
		FROM employees"
same "per-branch spell_stats, rates and survival: pushed down, equal" \
	"SELECT branch, (spell_stats(employment, $year, voluntary)).*, turnover_rate(employment, $year),
		churn_rate(employment, $year), retention_rate(employment, $year), $survival::text
		FROM employees GROUP BY branch ORDER BY branch"
same "per-branch concentration and top_share: pushed down, equal" \
	"SELECT branch, concentration(weight), top_share(weight) FROM interactions GROUP BY branch ORDER BY branch"
same "per-branch correlations (pearson, spearman, kendall, partial, weighted), equal" \
	"SELECT branch, (corr_test(salary, engagement)).*, (corr_test(salary, engagement, 'spearman')).*,
		(corr_test(salary, engagement, 'kendall', 0.9)).*, spearman_corr(salary, engagement),
		kendall_tau(salary, engagement), (partial_corr(salary, engagement, tenure_years)).*,
		weighted_corr(salary, engagement, customers)
		FROM employees GROUP BY branch ORDER BY branch"
same "per-branch risk_ratio, nps, nps_stats: pushed down, equal" \
	"SELECT branch, (risk_ratio(remote, $left)).*, nps(score), (nps_stats(score)).*
		FROM employees GROUP BY branch ORDER BY branch"
same "per-branch rank tests read from the shards' view, equal" \
	"SELECT * FROM branch_rank_tests ORDER BY branch" \
	"SELECT branch, (corr_test(salary, engagement, 'kendall')).*,
		(corr_test(salary, engagement, 'spearman')).p_value FROM employees GROUP BY branch ORDER BY branch"
same "rank correlations over all rows (pairs fetched to the coordinator), equal" \
	"SELECT (corr_test(salary, engagement, 'spearman')).*, (corr_test(salary, engagement, 'kendall')).*,
		spearman_corr(salary, engagement), kendall_tau(salary, engagement) FROM employees"
same "pearson, partial, weighted correlation over all rows (partial aggregates merged), equal" \
	"SELECT (corr_test(salary, engagement)).*, (partial_corr(salary, engagement, tenure_years)).*,
		weighted_corr(salary, engagement, customers), (risk_ratio(remote, $left)).*, (nps_stats(score)).*
		FROM employees"
same "strength per customer grouped off the partition key (partial aggregates merged), equal" \
	"SELECT customer, $accessors FROM (SELECT customer, $strength AS r
		FROM interactions GROUP BY customer) t ORDER BY customer"

echo "1..$n"
diag "$(( $(date +%s) - start )) s"
[ "$failed" -eq 0 ] || diag "failed $failed of $n"
exit $(( failed > 0 ))

#!/bin/bash
# cox_regression on ROWS rows of 3 covariates (run by run_bench.sh; prints a
# markdown section), and, where Rscript and R's survival package are
# installed, R's coxph on the same rows in the same run: the rows are
# exported, read into R, and only the fit is timed. Both fits use the same
# control (Efron ties, eps 1e-12, toler.chol 1e-14, iter.max 100) and their
# coefficients are compared. Median of RUNS timed runs (default 3).
# Target: faster than R.
#   cox.sh DB [ROWS]      ROWS default 1000000
set -euo pipefail
DB=$1
ROWS=${2:-1000000}
RUNS=${RUNS:-3}
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB")
WORK=$(mktemp -d -t peoplefirst-cox.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
say() { printf '%s  %s\n' "$(date +%T)" "$*" >&2; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# exponential times with a hazard of exp(0.5 x1 - 0.3 x2 + 0.2 x3), two
# thirds of them events, times in hundredths (so with ties), deterministic
say "cox: $ROWS rows"
"${PSQL[@]}" >/dev/null <<EOF
SET client_min_messages = warning;
SELECT setseed(0.2024);
DROP TABLE IF EXISTS cox_bench;
CREATE TABLE cox_bench AS
SELECT i, round((-ln(1 - random()) / (0.01 * exp(0.5 * x1 - 0.3 * x2 + 0.2 * x3)))::numeric, 2)::float8 + 0.01 AS time,
	random() < 0.67 AS event, ARRAY[x1, x2, x3] AS x
FROM (SELECT i, sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS x1,
	(random() < 0.4)::int::float8 AS x2, floor(random() * 5) AS x3
	FROM generate_series(1, $ROWS) i) g;
VACUUM ANALYZE cox_bench;
EOF

# one timed query: milliseconds on the last line of psql's \timing
timed() {	# timed SETTINGS: the query's time in ms
	"${PSQL[@]}" -c "$1" -c '\timing on' \
		-c "SELECT cox_regression(0, time, event, x) IS NOT NULL FROM cox_bench" |
		sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
serial=$(for ((r = 0; r < RUNS; r++)); do timed "SET max_parallel_workers_per_gather = 0"; done | median)
workers=$("${PSQL[@]}" -c "EXPLAIN SELECT cox_regression(0, time, event, x) FROM cox_bench" |
	sed -n 's/.*Workers Planned: \([0-9]*\).*/\1/p')
parallel=$(for ((r = 0; r < RUNS; r++)); do timed "RESET max_parallel_workers_per_gather"; done | median)
"${PSQL[@]}" -c "SELECT term, coef FROM cox_terms((SELECT cox_regression(0, time, event, x) FROM cox_bench))" \
	>"$WORK/ours.txt"
stats=$("${PSQL[@]}" -F' ' -c "SELECT n, events, iterations FROM cox_stats((SELECT cox_regression(0, time, event, x) FROM cox_bench))")

r_line="| R \`coxph\`, fit only | not run: Rscript with the survival package is not installed | |"
r_note=""
if command -v Rscript >/dev/null && Rscript -e 'suppressPackageStartupMessages(library(survival))' >/dev/null 2>&1; then
	say "cox: R's coxph on the same rows"
	"${PSQL[@]}" -c "\\copy (SELECT time, event::int AS event, x[1] AS x1, x[2] AS x2, x[3] AS x3 FROM cox_bench ORDER BY i) TO '$WORK/rows.csv' WITH (FORMAT csv, HEADER true)"
	cat >"$WORK/fit.R" <<'EOF'
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-14, iter.max = 100)
runs <- as.integer(args[2])
ms <- numeric(runs)
for (r in seq_len(runs)) {
  ms[r] <- system.time(fit <- coxph(Surv(time, event) ~ x1 + x2 + x3, data = d,
                                    ties = "efron", control = ctl))[["elapsed"]] * 1000
}
cat(sprintf("ms %.1f\n", median(ms)))
cat(sprintf("version %s %s\n", R.version$major, R.version$minor))
cat(sprintf("survival %s\n", as.character(packageVersion("survival"))))
cat(sprintf("coef %d %.17g\n", seq_along(coef(fit)), unname(coef(fit))), sep = "")
EOF
	Rscript "$WORK/fit.R" "$WORK/rows.csv" "$RUNS" >"$WORK/r.txt"
	r_ms=$(sed -n 's/^ms //p' "$WORK/r.txt")
	r_version="R $(sed -n 's/^version //p' "$WORK/r.txt" | tr ' ' '.'), survival $(sed -n 's/^survival //p' "$WORK/r.txt")"
	worst=$(awk 'NR == FNR { split($0, a, "|"); ours[a[1]] = a[2]; next }
		$1 == "coef" { d = ours[$2] - $3; if (d < 0) d = -d; r = d / ($3 < 0 ? -$3 : $3); if (r > w) w = r }
		END { printf "%.1e", w }' "$WORK/ours.txt" "$WORK/r.txt")
	r_line="| R \`coxph\` ($r_version), fit only | $(awk -v m="$r_ms" 'BEGIN { printf "%.0f ms", m }') | $(awk -v a="$r_ms" -v b="$serial" 'BEGIN { printf "%.2f", a / b }') |"
	r_note="The coefficients agree with R's to $worst (relative, worst of three)."
fi

cat <<EOF

## Cox regression

\`cox_regression(0, time, event, x)\` over $(echo "$ROWS" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta') rows of 3 covariates (n, events, iterations: $stats), Efron ties;
median of $RUNS runs, including the scan and the aggregation of the rows. Target: faster than R.

| fit | time | relative to the serial fit |
|---|---|---|
| \`cox_regression\`, serial | $(awk -v m="$serial" 'BEGIN { printf "%.0f ms", m }') | 1.00 |
| \`cox_regression\`, parallel plan (${workers:-0} workers planned) | $(awk -v m="$parallel" 'BEGIN { printf "%.0f ms", m }') | $(awk -v a="$parallel" -v b="$serial" 'BEGIN { printf "%.2f", a / b }') |
$r_line

$r_note
EOF
"${PSQL[@]}" -c "DROP TABLE cox_bench"

#!/bin/bash
# Runs inside pg_virtualenv (which sets PGHOST, PGPORT, PGUSER, PGPASSWORD):
# creates a database with the extension, shows it on a small example, then
# generates a simulated company (test/demo/generate.sql), builds its
# scorecard (scorecard.sql), prints it (show.sql) and draws its picture.
# SCALE (default 1.0) and SEED (default 42) choose the company; the same seed
# and scale print the same output. The default company's picture is the
# committed demo.png; any other goes to demo-SCALE-SEED.png (not committed),
# or to DEMO_PNG when that is set.
set -euo pipefail
cd "$(dirname "$0")/../.."

scale=${SCALE:-1.0}
seed=${SEED:-42}
if [ -n "${DEMO_PNG:-}" ]; then
	png=$DEMO_PNG
elif [ "$scale" = 1.0 ] && [ "$seed" = 42 ]; then
	png=demo.png
else
	png=demo-$scale-$seed.png
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

createdb peoplefirst_demo
run() { psql -X -q -v ON_ERROR_STOP=1 -d peoplefirst_demo "$@"; }

echo '== peoplefirst on a small example'
run -f test/demo/small.sql

echo
echo "== Generating a company (scale $scale, seed $seed)"
run -v scale="$scale" -v seed="$seed" -f test/demo/generate.sql
echo 'building the scorecard views'
run -f test/demo/scorecard.sql
run -f test/demo/show.sql

# the picture: branches over the whole period, and the retention curves
run -At -F ' ' -o "$tmp/branches.dat" -c "
	SELECT t.annualized_turnover_rate, c.churn_rate
	FROM (SELECT branch_id, (spell_stats(employment, '[2022-01-01,2025-01-01)')).*
	      FROM company.employees GROUP BY branch_id) t
	JOIN (SELECT branch_id, churn_rate(relationship, '[2022-01-01,2025-01-01)')
	      FROM company.customers GROUP BY branch_id) c USING (branch_id)
	ORDER BY branch_id"
for k in 1 2 3; do
	run -At -F ' ' -o "$tmp/curve$k.dat" -c "
		SELECT 0, 1
		UNION ALL
		(SELECT tenure_days, survival FROM company.scorecard_retention_curve
		 WHERE tercile = $k ORDER BY tenure_days)"
done
vars=$(run -At -c "
	WITH b AS (
		SELECT t.annualized_turnover_rate AS x, c.churn_rate AS y
		FROM (SELECT branch_id, (spell_stats(employment, '[2022-01-01,2025-01-01)')).*
		      FROM company.employees GROUP BY branch_id) t
		JOIN (SELECT branch_id, churn_rate(relationship, '[2022-01-01,2025-01-01)')
		      FROM company.customers GROUP BY branch_id) c USING (branch_id))
	SELECT format('slope=%s; intercept=%s; r=%s; n=%s; p=''%s''',
	              regr_slope(y, x), regr_intercept(y, x), (corr_test(x, y)).r, count(*),
	              btrim(to_char((corr_test(x, y)).p_value, '9.9EEEE')))
	FROM b")
gnuplot -e "dir='$tmp'; out='$png'; $vars" test/demo/plot.gp
echo
echo "Wrote $png: branch turnover against churn, and retention of new hires by culture."

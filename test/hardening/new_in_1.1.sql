-- The functions new in 1.1, called after ALTER EXTENSION peoplefirst UPDATE
-- and in a fresh install of 1.1 (upgrade.sh compares the two outputs, and
-- that none is empty): every new aggregate over a few fixed rows.
\pset format unaligned
\pset tuples_only true
SET extra_float_digits = 1;
CREATE TEMP TABLE nr AS
SELECT i, (i * 37 % 101)::float8 AS x, (i * 53 % 97 + i % 7)::float8 AS y,
       (i % 11)::float8 AS z, i % 3 = 0 AS exposed, i % 4 = 0 AS event, 'b' || i % 5 AS stratum,
       i % 11 AS score
FROM generate_series(1, 60) i;
SELECT 'corr_test exact', corr_test(x, y, 'spearman', 0.9, true), corr_test(x, y, 'kendall', 0.95, true),
       corr_test(x, y, 'kendall', 0.95, false), corr_test(x, y, 'pearson', 0.95, NULL) FROM nr;
SELECT 'risk_ratio confidence', risk_ratio(exposed, event, 0.9) FROM nr;
SELECT 'risk_ratio strata', risk_ratio(exposed, event, stratum), risk_ratio(exposed, event, stratum, 0.99) FROM nr;
SELECT 'odds_ratio', odds_ratio(exposed, event), odds_ratio(exposed, event, 0.9) FROM nr;
SELECT 'nps_stats confidence', nps_stats(score, 0.9) FROM nr;
SELECT 'partial_corr', partial_corr(x, y, z, 0.9), partial_corr(x, y, ARRAY[z, i::float8]),
       partial_corr(x, y, ARRAY[z], 0.99) FROM nr;

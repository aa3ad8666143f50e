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
-- Cox regression: every form, a model stored in a table and read back
-- through its text and binary forms, and its accessors
CREATE TEMP TABLE nr_cox AS
SELECT 'times' AS form, cox_regression((i % 4)::float8, 10 + (i * 7 % 23)::float8, i % 3 <> 0, ARRAY[x, z]) AS m FROM nr
UNION ALL SELECT 'strata', cox_regression(0, 10 + (i * 7 % 23)::float8, i % 3 <> 0, ARRAY[x], stratum) FROM nr
UNION ALL SELECT 'breslow', cox_regression(0, 10 + (i * 7 % 23)::float8, i % 3 <> 0, ARRAY[x], stratum, 'breslow') FROM nr
UNION ALL SELECT 'date spells', cox_regression(daterange('2024-01-01'::date + i, '2024-03-01'::date + i * 3 % 50), '2024-04-01'::date, ARRAY[z]) FROM nr
UNION ALL SELECT 'timestamp spells', cox_regression(tstzrange('2024-01-01 00:00+00'::timestamptz + i * interval '7 hours', NULL), '2024-04-01 00:00+00'::timestamptz, ARRAY[x]) FROM nr;
SELECT 'cox_regression', form, m, m::text::cox_model::text = m::text, md5(cox_model_send(m))
FROM nr_cox ORDER BY form;
SELECT 'cox_terms', form, t.* FROM nr_cox, cox_terms(m, NULL, 0.9) t ORDER BY form, term;
SELECT 'cox_stats', form, (cox_stats(m)).* FROM nr_cox ORDER BY form;
-- survival of version 1.1: durations, (entry, exit], spells observed from a
-- date; the new accessors; logrank_test over stored summaries
CREATE TEMP TABLE nr_surv AS
SELECT 'durations' AS form, stratum, tenure_survival(x / 10, event) AS s FROM nr GROUP BY stratum
UNION ALL SELECT 'entry exit', stratum, tenure_survival(z - 11, x / 10 + 1, event) FROM nr GROUP BY stratum
UNION ALL SELECT 'date spells', stratum, tenure_survival(daterange('2022-01-01'::date + i * 11, '2023-06-01'::date + i * 13 % 400),
	'2024-06-30'::date, '2023-01-01'::date) FROM nr GROUP BY stratum
UNION ALL SELECT 'timestamp spells', stratum, tenure_survival(tstzrange('2022-01-01 00:00+00'::timestamptz + i * interval '9 days', NULL),
	'2024-06-30 00:00+00'::timestamptz, '2023-01-01 00:00+00'::timestamptz) FROM nr GROUP BY stratum;
SELECT 'survival 1.1', form, stratum, s, s::text::survival = s, md5(survival_send(s)), survival_at_time(s, 3.5),
       median_time(s), median_ci(s), median_ci(s, 0.9, 'plain') FROM nr_surv ORDER BY form, stratum;
SELECT 'survival_curve 1.1', form, stratum, c.* FROM nr_surv, survival_curve(s, 0.9, 'log') c
WHERE stratum = 'b1' ORDER BY form, c.time;
SELECT 'logrank_test', form, logrank_test(stratum, s), logrank_test(stratum, s, 1) FROM nr_surv GROUP BY form ORDER BY form;

--
-- cox_regression, cox_terms and cox_stats: a fit a reader can check by
-- hand, the spell forms, NULLs, edge cases and every error message
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS peoplefirst;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';

-- Three customers, x = 1 when their contact left:
--   A  x = 1  churned at day 1
--   B  x = 0  churned at day 2
--   C  x = 1  still a customer at day 3 (censored)
-- Partial likelihood, u = exp(beta):
--   day 1, at risk A B C, A churns:  u / (2u + 1)
--   day 2, at risk B C,   B churns:  1 / (1 + u)
-- d/dbeta log L = 1 - 2u/(2u + 1) - u/(1 + u) = 0 gives 2u^2 = 1:
--   u = 1/sqrt(2) = 0.707107, beta = -ln(2)/2 = -0.346574.
-- Information 2u/(2u + 1)^2 + u/(1 + u)^2 = 0.242641 + 0.242641 = 0.485281,
--   se = 1/sqrt(0.485281) = 1.435500, z = -0.241431.
-- log L at 0: ln(1/3) + ln(1/2) = -1.791759; at beta: -1.762747;
--   likelihood ratio 2 (-1.762747 + 1.791759) = 0.058025.
-- 95% interval of the hazard ratio: exp(-0.346574 -/+ 1.959964 * 1.435500)
--   = exp(-3.160103) .. exp(2.466955) = 0.042421 .. 11.786.
CREATE TABLE cox_three (name text, days float8, churned boolean, x float8);
INSERT INTO cox_three VALUES ('A', 1, true, 1), ('B', 2, true, 0), ('C', 3, false, 1);

SELECT term, round(coef::numeric, 6) AS coef, round(hazard_ratio::numeric, 6) AS hazard_ratio,
       round(std_err::numeric, 6) AS std_err, round(z::numeric, 6) AS z,
       round(ci_low::numeric, 6) AS ci_low, round(ci_high::numeric, 3) AS ci_high
FROM cox_terms((SELECT cox_regression(0, days, churned, ARRAY[x]) FROM cox_three));
SELECT n, events, converged, round(loglik_null::numeric, 6) AS loglik_null,
       round(loglik::numeric, 6) AS loglik, round(lr_chisq::numeric, 6) AS lr_chisq, lr_df
FROM cox_stats((SELECT cox_regression(0, days, churned, ARRAY[x]) FROM cox_three));

-- the same customers as date spells seen on 2024-01-04: A [01-01,01-02),
-- B [01-01,01-03), C [01-01,) gives the same fit; D starts after as_of and
-- E is empty: both skipped
SELECT term, round(coef::numeric, 6) AS coef
FROM cox_terms((SELECT cox_regression(spell, DATE '2024-01-04', ARRAY[x]) FROM (VALUES
  ('[2024-01-01,2024-01-02)'::daterange, 1.0::float8), ('[2024-01-01,2024-01-03)', 0),
  ('[2024-01-01,)', 1), ('[2024-02-01,)', 0), ('empty', 0)) v(spell, x)));

-- names, a 90% interval, and the stored text
SELECT term, name, round(ci_low::numeric, 6) AS ci_low_90
FROM cox_terms((SELECT cox_regression(0, days, churned, ARRAY[x]) FROM cox_three), ARRAY['contact_left'], 0.9);
SELECT (cox_regression(0, days, churned, ARRAY[x]))::text::jsonb -> 'dropped' AS dropped FROM cox_three;

-- NULLs skip rows; no rows, NULL; a constant covariate is dropped
SELECT (cox_stats(cox_regression(0, days, churned, ARRAY[x]))).n
FROM (SELECT * FROM cox_three UNION ALL SELECT 'D', NULL, true, 1 UNION ALL SELECT 'E', 4, true, NULL) t;
SELECT cox_regression(0, days, churned, ARRAY[x]) IS NULL AS no_rows FROM cox_three WHERE false;
SELECT term, coef IS NULL AS dropped FROM cox_terms((SELECT cox_regression(0, days, churned, ARRAY[5.0, x]) FROM cox_three));

-- errors
SELECT cox_regression(0, days, churned, CASE WHEN name = 'A' THEN ARRAY[x] ELSE ARRAY[x, x] END) FROM cox_three;
SELECT cox_regression(0, 1, true, '{}'::float8[]);
SELECT cox_regression(0, 1, true, array_fill(0.0::float8, ARRAY[65]));
SELECT cox_regression(0, 1, true, ARRAY['Infinity'::float8]);
SELECT cox_regression(0, 'NaN', true, ARRAY[1.0]);
SELECT cox_regression(3, 3, true, ARRAY[1.0]);
SELECT cox_regression(0, 1, true, ARRAY[1.0], 'a', 'exact');
SELECT cox_regression(daterange('2024-01-01', NULL), d, ARRAY[1.0]) FROM (VALUES (DATE '2024-02-01'), ('2024-03-01')) v(d);
SELECT cox_terms((SELECT cox_regression(0, days, churned, ARRAY[x]) FROM cox_three), ARRAY['a', 'b']);
SELECT cox_terms((SELECT cox_regression(0, days, churned, ARRAY[x]) FROM cox_three), NULL, 0);
SELECT '{"version":9}'::cox_model;

DROP TABLE cox_three;

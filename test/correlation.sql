-- corr_test, spearman_corr, kendall_tau, partial_corr, weighted_corr,
-- risk_ratio and nps_stats against scipy/numpy (test/fixtures/correlation_gen.py,
-- 300+ random cases: n from 2 to 5000, heavy ties, constant columns), NIST
-- Norris, Kendall at a million rows, and the SQLSTATE of every error.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SET client_min_messages = warning;

CREATE TEMP TABLE fx_input (case_id int, x float8, y float8, z float8, w float8);
\copy fx_input FROM 'test/fixtures/correlation_input.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_expected (case_id int, method text, confidence float8, n int8,
	r float8, p float8, ci_low float8, ci_high float8);
\copy fx_expected FROM 'test/fixtures/correlation_expected.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_rr (case_id int, exposed_n int8, exposed_events int8, unexposed_n int8,
	unexposed_events int8, risk_exposed float8, risk_unexposed float8, ratio float8,
	ci_low float8, ci_high float8, p float8);
\copy fx_rr FROM 'test/fixtures/correlation_riskratio.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_nps (case_id int, n int8, promoters int8, passives int8, detractors int8,
	nps float8, margin float8);
\copy fx_nps FROM 'test/fixtures/correlation_nps.csv' WITH (FORMAT csv, HEADER true)

-- |a - b| <= rel |b| + floor, in numeric (float8 arithmetic raises on
-- underflow), NULL only where both are NULL
CREATE FUNCTION pg_temp.near(a float8, b float8, rel numeric, floor numeric)
RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN a IS NULL AND b IS NULL
	ELSE abs(a::numeric - b::numeric) <= rel * abs(b::numeric) + floor END $$;
-- p-values: relative 1e-10, absolute 1e-14 below 1e-300
CREATE FUNCTION pg_temp.near_p(a float8, b float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT pg_temp.near(a, b, 1e-10, CASE WHEN b < 1e-300 THEN 1e-14 ELSE 0 END) $$;

CREATE TEMP TABLE got AS
SELECT e.case_id, e.method, e.confidence,
	CASE e.method WHEN 'partial' THEN
		(SELECT partial_corr(x, y, z) FROM fx_input i WHERE i.case_id = e.case_id)
	WHEN 'weighted' THEN
		(SELECT ROW('weighted', NULL, weighted_corr(x, y, w), NULL, NULL, NULL, NULL)::correlation
		 FROM fx_input i WHERE i.case_id = e.case_id)
	ELSE (SELECT corr_test(x, y, e.method::corr_method, e.confidence) FROM fx_input i WHERE i.case_id = e.case_id)
	END AS c
FROM fx_expected e;

BEGIN;
SELECT plan(25);
SELECT cmp_ok((SELECT count(DISTINCT case_id) FROM fx_expected), '>=', 300::bigint,
	'at least 300 reference cases');
SELECT ok((SELECT min(n) FILTER (WHERE n > 0) <= 2 AND max(n) >= 5000 FROM fx_expected),
	'n runs from 2 (and empty groups) to 5000');
SELECT is((SELECT array_agg(DISTINCT case_id) FROM got g JOIN fx_expected e USING (case_id, method, confidence)
	WHERE method IN ('pearson', 'spearman', 'kendall', 'partial')
	  AND (g.c).n IS DISTINCT FROM NULLIF(e.n, 0)),
	NULL, 'n equals the reference; no row gives NULL');
SELECT is((SELECT array_agg(DISTINCT case_id) FROM got g JOIN fx_expected e USING (case_id, method, confidence)
	WHERE method = 'pearson' AND NOT (pg_temp.near((g.c).r, e.r, 1e-10, 1e-15) AND pg_temp.near_p((g.c).p_value, e.p)
		AND pg_temp.near((g.c).ci_low, e.ci_low, 1e-10, 1e-15) AND pg_temp.near((g.c).ci_high, e.ci_high, 1e-10, 1e-15))),
	NULL, 'Pearson r, p and interval equal scipy.stats.pearsonr');
SELECT is((SELECT array_agg(DISTINCT case_id) FROM got g JOIN fx_expected e USING (case_id, method, confidence)
	WHERE method = 'spearman' AND NOT (pg_temp.near((g.c).r, e.r, 1e-10, 1e-15) AND pg_temp.near_p((g.c).p_value, e.p)
		AND pg_temp.near((g.c).ci_low, e.ci_low, 1e-10, 1e-15) AND pg_temp.near((g.c).ci_high, e.ci_high, 1e-10, 1e-15))),
	NULL, 'Spearman r and p equal scipy.stats.spearmanr, interval the Bonett-Wright formula');
SELECT is((SELECT array_agg(DISTINCT case_id) FROM got g JOIN fx_expected e USING (case_id, method, confidence)
	WHERE method = 'kendall' AND NOT (pg_temp.near((g.c).r, e.r, 1e-10, 1e-15) AND pg_temp.near_p((g.c).p_value, e.p)
		AND pg_temp.near((g.c).ci_low, e.ci_low, 1e-10, 1e-15) AND pg_temp.near((g.c).ci_high, e.ci_high, 1e-10, 1e-15))),
	NULL, 'Kendall tau-b and p equal scipy.stats.kendalltau, interval the Fieller formula');
SELECT is((SELECT array_agg(DISTINCT case_id) FROM got g JOIN fx_expected e USING (case_id, method, confidence)
	WHERE method = 'partial' AND NOT (pg_temp.near((g.c).r, e.r, 1e-10, 1e-15) AND pg_temp.near_p((g.c).p_value, e.p))),
	NULL, 'partial correlation r and p equal the residual correlation of numpy least squares');
SELECT is((SELECT array_agg(DISTINCT case_id) FROM got g JOIN fx_expected e USING (case_id, method, confidence)
	WHERE method = 'partial' AND confidence = 0.95 AND NOT (pg_temp.near((g.c).ci_low, e.ci_low, 1e-10, 1e-15)
		AND pg_temp.near((g.c).ci_high, e.ci_high, 1e-10, 1e-15))),
	NULL, 'partial correlation 95% interval');
SELECT is((SELECT array_agg(DISTINCT case_id) FROM got g JOIN fx_expected e USING (case_id, method, confidence)
	WHERE method = 'weighted' AND NOT pg_temp.near((g.c).r, e.r, 1e-10, 1e-15)),
	NULL, 'weighted correlation equals numpy cov with aweights');
SELECT is((SELECT array_agg(DISTINCT e.case_id) FROM fx_expected e
	WHERE method = 'spearman' AND confidence = 0.95 AND
	  (SELECT spearman_corr(x, y) FROM fx_input i WHERE i.case_id = e.case_id) IS DISTINCT FROM
	  (SELECT (c).r FROM got g WHERE g.case_id = e.case_id AND g.method = 'spearman' AND g.confidence = 0.95)),
	NULL, 'spearman_corr equals corr_test(x, y, ''spearman'').r');
SELECT is((SELECT array_agg(DISTINCT e.case_id) FROM fx_expected e
	WHERE method = 'kendall' AND confidence = 0.95 AND
	  (SELECT kendall_tau(x, y) FROM fx_input i WHERE i.case_id = e.case_id) IS DISTINCT FROM
	  (SELECT (c).r FROM got g WHERE g.case_id = e.case_id AND g.method = 'kendall' AND g.confidence = 0.95)),
	NULL, 'kendall_tau equals corr_test(x, y, ''kendall'').r');
SELECT is((SELECT array_agg(DISTINCT e.case_id) FROM fx_expected e
	WHERE method = 'pearson' AND confidence = 0.95 AND
	  (SELECT corr_test(x, y) FROM fx_input i WHERE i.case_id = e.case_id) IS DISTINCT FROM
	  (SELECT c FROM got g WHERE g.case_id = e.case_id AND g.method = 'pearson' AND g.confidence = 0.95)),
	NULL, 'corr_test(x, y) equals corr_test(x, y, ''pearson'', 0.95)');

-- risk ratio and NPS from the counts, expanded into rows
SELECT is((SELECT array_agg(f.case_id ORDER BY f.case_id) FROM fx_rr f,
	LATERAL (SELECT (risk_ratio(e, v)).* FROM (
		SELECT true AS e, k <= f.exposed_events AS v FROM generate_series(1, f.exposed_n) k
		UNION ALL
		SELECT false, k <= f.unexposed_events FROM generate_series(1, f.unexposed_n) k) rows) g
	WHERE g.exposed_n <> f.exposed_n OR g.unexposed_events <> f.unexposed_events
	   OR NOT pg_temp.near(g.risk_exposed, f.risk_exposed, 1e-12, 0)
	   OR NOT pg_temp.near(g.risk_unexposed, f.risk_unexposed, 1e-12, 0)
	   OR NOT pg_temp.near(g.ratio, f.ratio, 1e-12, 0)
	   OR NOT pg_temp.near(g.ci_low, f.ci_low, 1e-10, 0) OR NOT pg_temp.near(g.ci_high, f.ci_high, 1e-10, 0)
	   OR NOT pg_temp.near_p(g.p_value, f.p)),
	NULL, 'risk_ratio equals scipy relative_risk (Katz interval) and fisher_exact');
SELECT is((SELECT array_agg(f.case_id ORDER BY f.case_id) FROM fx_nps f,
	LATERAL (SELECT (nps_stats(s)).* FROM (
		SELECT 10 AS s FROM generate_series(1, f.promoters)
		UNION ALL SELECT 7 FROM generate_series(1, f.passives)
		UNION ALL SELECT 6 FROM generate_series(1, f.detractors)) rows) g
	WHERE f.n > 0 AND (g.n <> f.n OR NOT pg_temp.near(g.nps, f.nps, 1e-12, 1e-12)
	   OR NOT pg_temp.near(g.margin_of_error, f.margin, 1e-12, 1e-12))),
	NULL, 'nps_stats equals the reference');

-- NIST StRD Norris: certified R-squared 0.999993745883712
CREATE TEMP TABLE norris_lines (line serial, t text);
\copy norris_lines (t) FROM 'test/fixtures/nist/Norris.dat' WITH (FORMAT csv, DELIMITER E'\x01', QUOTE E'\x02')
CREATE TEMP TABLE norris AS
SELECT split_part(trim(t), ' ', 1)::float8 AS y,
	(regexp_split_to_array(trim(t), '\s+'))[2]::float8 AS x
FROM norris_lines WHERE line BETWEEN 61 AND 96;
SELECT is((SELECT count(*) FROM norris), 36::bigint, 'Norris has 36 observations');
SELECT ok((SELECT abs((corr_test(x, y)).r ^ 2 / 0.999993745883712 - 1) < 1e-13 FROM norris),
	'Norris: r^2 equals the certified R-squared to 13 significant digits');
SELECT ok((SELECT abs((corr_test(x + 1e9, y + 1e9)).r ^ 2 / 0.999993745883712 - 1) < 1e-10 FROM norris),
	'Norris + 1e9: r^2 still equals the certified R-squared to 10 digits');

-- Kendall in O(n log n): a million rows within a time no quadratic method meets
SET LOCAL statement_timeout = '60s';
SELECT ok((SELECT kendall_tau(i::float8, (i::int8 * 7919 % 1000003)::float8) BETWEEN -1 AND 1
	FROM generate_series(1, 1000000) i), 'kendall_tau on a million rows finishes in seconds');
RESET statement_timeout;

SELECT throws_ok($$SELECT corr_test(x, 1, 'kendall') FROM (VALUES ('NaN'::float8)) v(x)$$,
	'22023', NULL, 'NaN input: 22023');
SELECT throws_ok($$SELECT spearman_corr(1, y) FROM (VALUES ('-Infinity'::float8)) v(y)$$,
	'22023', NULL, 'infinite input: 22023');
SELECT throws_ok($$SELECT corr_test(1, 2, 'pearsn')$$, '22P02',
	'invalid input value for enum corr_method: "pearsn"', 'unknown method: 22P02, from the enum');
SELECT throws_ok($$SELECT corr_test(1, 2, 'kendall', 0)$$, '22023', 'confidence level 0 is out of range',
	'confidence 0: 22023');
SELECT throws_ok($$SELECT weighted_corr(1, 2, -0.5)$$, '22023', 'invalid weight: -0.5', 'negative weight: 22023');
SELECT throws_ok($$SELECT nps(11)$$, '22023', NULL, 'NPS score above 10: 22023');
SELECT throws_ok($$SELECT partial_corr(1, 2, 'Infinity')$$, '22023', NULL, 'infinite control variable: 22023');
SELECT * FROM finish();
ROLLBACK;

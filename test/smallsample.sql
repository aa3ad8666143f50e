-- corr_test(x, y, method, confidence, exact) of version 1.1 against GNU R's
-- cor.test (test/fixtures/smallsample_gen.R): exact => true gives R's exact
-- p-values of rank methods without ties (permutations and AS 89 for
-- Spearman, the exact distribution for Kendall) and says so in p_method;
-- exact => false R's approximations; NULL the choice of the 4-argument form.
-- Edge cases, parallel plans and the SQLSTATE of every error.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SET client_min_messages = warning;

CREATE TEMP TABLE fx_in (case_id int, i int, x float8, y float8);
\copy fx_in FROM 'test/fixtures/smallsample_corr_input.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_p (case_id int, method text, n int, has_ties int, estimate float8,
	p_exact float8, p_asymptotic float8, p_exact_method text, p_exact_stable float8,
	p_default float8, p_default_method text);
\copy fx_p FROM 'test/fixtures/smallsample_corr_expected.csv' WITH (FORMAT csv, HEADER true)

CREATE TEMP TABLE fx_rr (case_id int, exposed_n int8, exposed_events int8, unexposed_n int8,
	unexposed_events int8, confidence float8, ratio float8, ci_low float8, ci_high float8);
\copy fx_rr FROM 'test/fixtures/smallsample_rr_expected.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_nps (case_id int, n int8, promoters int8, passives int8, detractors int8,
	confidence float8, nps float8, margin float8);
\copy fx_nps FROM 'test/fixtures/smallsample_nps_expected.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_pin (case_id int, i int, x float8, y float8, z1 float8, z2 float8,
	z3 float8, z4 float8, z5 float8);
\copy fx_pin FROM 'test/fixtures/smallsample_pcor_input.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_pcor (case_id int, n int, k int, confidence float8, r float8, p_value float8,
	ci_low float8, ci_high float8);
\copy fx_pcor FROM 'test/fixtures/smallsample_pcor_expected.csv' WITH (FORMAT csv, HEADER true)

CREATE TEMP TABLE fx_mhin (case_id int, stratum int, exposed int, event int, count int);
\copy fx_mhin FROM 'test/fixtures/smallsample_mh_input.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_mh (case_id int, strata int, confidence float8, rr_mh float8,
	var_log_rr_mh float8, rr_ci_low float8, rr_ci_high float8, or_mh float8, or_ci_low float8,
	or_ci_high float8, cmh_statistic_correct float8, cmh_p_correct float8, cmh_statistic float8,
	cmh_p float8, note text);
\copy fx_mh FROM 'test/fixtures/smallsample_mh_expected.csv' WITH (FORMAT csv, HEADER true)

CREATE TEMP TABLE fx_or (case_id int, confidence float8, a int8, b int8, c int8, d int8,
	or_sample float8, or_cmle float8, cmle_ci_low float8, cmle_ci_high float8, p_fisher float8,
	woolf_ci_low float8, woolf_ci_high float8, note text);
\copy fx_or FROM 'test/fixtures/smallsample_or_expected.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_ort (case_id int, confidence float8, a int8, b int8, c int8, d int8,
	or_cmle float8, cmle_ci_low float8, cmle_ci_high float8);
\copy fx_ort FROM 'test/fixtures/smallsample_or_tight.csv' WITH (FORMAT csv, HEADER true)

-- |a - b| <= 1e-9 |b| in numeric (float8 arithmetic raises on underflow)
CREATE FUNCTION pg_temp.near(a float8, b float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN a IS NULL AND b IS NULL
	WHEN a = b THEN true	-- infinities too
	WHEN a IN ('Infinity', '-Infinity') OR b IN ('Infinity', '-Infinity') THEN false
	ELSE abs(a::numeric - b::numeric) <= 1e-9 * abs(b::numeric) + 1e-300 END $$;

CREATE TEMP TABLE got AS
SELECT f.case_id, f.method, f.has_ties, f.p_exact_stable, f.p_asymptotic, f.p_exact_method,
	(SELECT corr_test(x, y, f.method::corr_method, 0.95, true) FROM fx_in i WHERE i.case_id = f.case_id) AS on_,
	(SELECT corr_test(x, y, f.method::corr_method, 0.95, false) FROM fx_in i WHERE i.case_id = f.case_id) AS off_,
	(SELECT corr_test(x, y, f.method::corr_method, 0.95, NULL) FROM fx_in i WHERE i.case_id = f.case_id) AS null_,
	(SELECT corr_test(x, y, f.method::corr_method, 0.95) FROM fx_in i WHERE i.case_id = f.case_id) AS four
FROM fx_p f WHERE f.n >= 4;

-- 20,000 rows in a plain table that parallel workers scan
CREATE TABLE smallsample_tap_rows AS
SELECT i % 7 AS g, (i * 7919 % 20011)::float8 AS x, (i * 104729 % 20021)::float8 + i % 13 AS y
FROM generate_series(1, 20000) i;
ANALYZE smallsample_tap_rows;

BEGIN;
SELECT plan(53);

SELECT cmp_ok((SELECT count(*) FROM got WHERE has_ties = 0), '>=', 40::bigint,
	'at least 40 reference cases without ties');
-- R's exact Kendall p overflows past 170 rows ('exact-overflow') and was
-- not asked for past 200 ('not-run'): there the normal approximation
SELECT is((SELECT array_agg(case_id || ' ' || method ORDER BY case_id, method) FROM got
	WHERE has_ties = 0 AND NOT pg_temp.near((on_).p_value,
		CASE WHEN p_exact_method IN ('exact-overflow', 'not-run') THEN p_asymptotic
		ELSE p_exact_stable END)),
	NULL, 'exact => true: R''s exact p-value (1e-9) for every case without ties');
SELECT is((SELECT array_agg(case_id || ' ' || method ORDER BY case_id, method) FROM got
	WHERE has_ties = 0 AND (on_).p_method IS DISTINCT FROM
		CASE p_exact_method WHEN 'edgeworth' THEN 'edgeworth' WHEN 't' THEN 't'
		WHEN 'exact-overflow' THEN 'normal' WHEN 'not-run' THEN 'normal' ELSE 'exact' END),
	NULL, 'p_method: exact; edgeworth for Spearman from 10 to 1290 rows, t past; normal for Kendall past 170');
SELECT is((SELECT array_agg(DISTINCT (on_).p_method ORDER BY (on_).p_method) FROM got WHERE has_ties = 0),
	'{edgeworth,exact,normal,t}'::text[], 'every p_method is met');
SELECT is((SELECT array_agg(case_id || ' ' || method ORDER BY case_id, method) FROM got
	WHERE NOT (pg_temp.near((off_).p_value, p_asymptotic)
		OR (abs((off_).r) = 1 AND p_asymptotic < 1e-20 AND (off_).p_value <= p_asymptotic))),
	NULL, 'exact => false: R''s cor.test(exact = FALSE) (a perfect r: 0 where R''s rounded r gives a tiny p)');
SELECT is((SELECT array_agg(DISTINCT (off_).p_method ORDER BY (off_).p_method) FROM got),
	'{normal,t}'::text[], 'exact => false: p_method t for Spearman, normal for Kendall');
SELECT is((SELECT count(*) FROM got WHERE has_ties = 1
	AND ((on_).p_method NOT IN ('t', 'normal') OR NOT pg_temp.near((on_).p_value, (off_).p_value))),
	0::bigint, 'with ties exact => true gives the approximation, as R does after its warning');
SELECT cmp_ok((SELECT count(*) FROM got WHERE has_ties = 1), '>', 0::bigint, 'cases with ties exist');
SELECT is((SELECT count(*) FROM got WHERE (null_).method IS DISTINCT FROM (four).method
	OR (null_).n IS DISTINCT FROM (four).n OR (null_).r IS DISTINCT FROM (four).r
	OR (null_).p_value IS DISTINCT FROM (four).p_value OR (null_).ci_low IS DISTINCT FROM (four).ci_low
	OR (null_).ci_high IS DISTINCT FROM (four).ci_high), 0::bigint,
	'exact => NULL: the same result as the 4-argument form');

-- Pearson: the t test whatever exact says
SELECT is((SELECT row(c.r, c.p_value, c.p_method) FROM (SELECT (corr_test(x, y, 'pearson', 0.9, true)).*
	FROM fx_in WHERE case_id = 2) c)::text,
	(SELECT row(c.r, c.p_value, 't') FROM (SELECT (corr_test(x, y, 'pearson', 0.9)).* FROM fx_in WHERE case_id = 2) c)::text,
	'pearson: the t test, p_method t');

-- edges: no rows, one row, a constant column
SELECT is((SELECT corr_test(x, y, 'kendall', 0.95, true) FROM fx_in WHERE false), NULL,
	'no rows: NULL');
SELECT is((SELECT row(c.n, c.r, c.p_value, c.p_method) FROM (SELECT (corr_test(x, y, 'spearman', 0.95, true)).*
	FROM (VALUES (1.0::float8, 2.0::float8)) v(x, y)) c)::text, '(1,,,)',
	'one row: counted, no r, no p, no p_method');
SELECT is((SELECT row(c.n, c.r, c.p_value) FROM (SELECT (corr_test(x, 5.0, 'kendall', 0.95, true)).*
	FROM generate_series(1, 8) x) c)::text, '(8,,)', 'a constant column: no r and no p');

-- parallel workers agree with a serial plan
CREATE TEMP TABLE serial_res AS
SELECT g, corr_test(x, y, 'kendall', 0.9, true) AS k, corr_test(x, y, 'spearman', 0.9, false) AS s
FROM smallsample_tap_rows GROUP BY g;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SELECT is((SELECT count(*) FROM serial_res s JOIN (SELECT g, corr_test(x, y, 'kendall', 0.9, true) AS k,
	corr_test(x, y, 'spearman', 0.9, false) AS s FROM smallsample_tap_rows GROUP BY g) p USING (g)
	WHERE s.k::text <> p.k::text OR s.s::text <> p.s::text), 0::bigint,
	'parallel plans give the same results, p_method included');
RESET max_parallel_workers_per_gather;

-- errors, and the session goes on
SELECT throws_ok($$SELECT corr_test(x, y, 'spearman', 0.95, x > 3) FROM fx_in WHERE case_id = 1$$,
	'22023', 'exact must be the same for all rows of a group', 'exact varying within a group: 22023');
SELECT throws_ok($$SELECT corr_test(x, y, 'spearman', 1.5, true) FROM fx_in WHERE case_id = 1$$,
	'22023', NULL, 'a confidence outside (0, 1): 22023');
SELECT is((SELECT (corr_test(x, y, 'spearman', 0.95, true)).p_method FROM fx_in WHERE case_id = 1),
	'exact', 'the session is still usable');

-- a confidence for every interval (1.1): risk_ratio, nps_stats, partial_corr
CREATE TEMP TABLE rr_rows AS
SELECT f.case_id, f.confidence, g.exposed, g.event
FROM fx_rr f, LATERAL (
	SELECT true AS exposed, i <= f.exposed_events AS event FROM generate_series(1, f.exposed_n) i
	UNION ALL
	SELECT false, i <= f.unexposed_events FROM generate_series(1, f.unexposed_n) i) g;
SELECT is((SELECT array_agg(f.case_id || ' at ' || f.confidence ORDER BY f.case_id, f.confidence)
	FROM fx_rr f JOIN (SELECT case_id, confidence, risk_ratio(exposed, event, confidence) AS rr
		FROM rr_rows GROUP BY case_id, confidence) g USING (case_id, confidence)
	WHERE NOT (pg_temp.near((g.rr).ratio, f.ratio) AND pg_temp.near((g.rr).ci_low, f.ci_low)
		AND pg_temp.near((g.rr).ci_high, f.ci_high))),
	NULL, 'risk_ratio(exposed, event, confidence): R''s ratio and Katz interval at 90, 95 and 99%');
SELECT is((SELECT count(*) FROM (SELECT case_id, risk_ratio(exposed, event, 0.95) AS a,
	risk_ratio(exposed, event) AS b FROM rr_rows WHERE confidence = 0.95 GROUP BY case_id) g
	WHERE NOT (pg_temp.near((a).ci_low, (b).ci_low) AND pg_temp.near((a).ci_high, (b).ci_high)
		AND (a).ratio IS NOT DISTINCT FROM (b).ratio AND (a).p_value IS NOT DISTINCT FROM (b).p_value)),
	0::bigint, 'at 0.95 it agrees with the 2-argument form');
CREATE TEMP TABLE nps_rows AS
SELECT f.case_id, f.confidence, s.score
FROM fx_nps f, LATERAL (
	SELECT 10 AS score FROM generate_series(1, f.promoters)
	UNION ALL SELECT 8 FROM generate_series(1, f.passives)
	UNION ALL SELECT 3 FROM generate_series(1, f.detractors)) s;
SELECT is((SELECT array_agg(f.case_id || ' at ' || f.confidence ORDER BY f.case_id, f.confidence)
	FROM fx_nps f LEFT JOIN (SELECT case_id, confidence, nps_stats(score, confidence) AS s
		FROM nps_rows GROUP BY case_id, confidence) g USING (case_id, confidence)
	WHERE NOT (pg_temp.near((g.s).nps, f.nps) AND pg_temp.near((g.s).margin_of_error, f.margin))),
	NULL, 'nps_stats(score, confidence): R''s margin at 90, 95 and 99% (none without rows)');
SELECT is((SELECT array_agg(f.case_id || ' at ' || f.confidence ORDER BY f.case_id, f.confidence)
	FROM fx_pcor f JOIN (SELECT c.case_id, c.confidence, partial_corr(x, y, z1, c.confidence) AS p
		FROM fx_pin i JOIN (SELECT DISTINCT case_id, confidence FROM fx_pcor WHERE k = 1) c USING (case_id)
		GROUP BY c.case_id, c.confidence) g USING (case_id, confidence)
	WHERE NOT (pg_temp.near((g.p).r, f.r) AND pg_temp.near((g.p).p_value, f.p_value)
		AND pg_temp.near((g.p).ci_low, f.ci_low) AND pg_temp.near((g.p).ci_high, f.ci_high)
		AND (g.p).confidence = f.confidence)),
	NULL, 'partial_corr(x, y, z, confidence): R''s r, p and interval for one control');
SELECT cmp_ok((SELECT count(*) FROM fx_pcor WHERE k = 1), '>=', 15::bigint, 'one-control cases exist');
-- several controls: z1 .. zk as an array
SELECT is((SELECT array_agg(f.case_id || ' at ' || f.confidence ORDER BY f.case_id, f.confidence)
	FROM fx_pcor f JOIN (SELECT c.case_id, c.confidence,
			partial_corr(x, y, (ARRAY[z1, z2, z3, z4, z5])[1:c.k], c.confidence) AS p
		FROM fx_pin i JOIN (SELECT DISTINCT case_id, k, confidence FROM fx_pcor) c USING (case_id)
		GROUP BY c.case_id, c.confidence) g USING (case_id, confidence)
	WHERE NOT (pg_temp.near((g.p).r, f.r) AND pg_temp.near((g.p).p_value, f.p_value)
		AND pg_temp.near((g.p).ci_low, f.ci_low) AND pg_temp.near((g.p).ci_high, f.ci_high))),
	NULL, 'partial_corr(x, y, z float8[], confidence): R''s r, p and interval for 1 to 5 controls, collinear ones too');
SELECT cmp_ok((SELECT count(DISTINCT case_id) FROM fx_pcor WHERE k >= 3), '>=', 10::bigint,
	'cases with three to five controls exist');
SELECT is((SELECT count(*) FROM (SELECT case_id, partial_corr(x, y, ARRAY[z1]) AS a, partial_corr(x, y, z1) AS b
	FROM fx_pin i WHERE case_id IN (SELECT case_id FROM fx_pcor WHERE k = 1) GROUP BY case_id) g
	WHERE NOT (pg_temp.near((a).r, (b).r) AND pg_temp.near((a).p_value, (b).p_value)
		AND pg_temp.near((a).ci_low, (b).ci_low))), 0::bigint,
	'one control as an array agrees with partial_corr(x, y, z)');
SELECT is((SELECT row(c.method, c.n, round(c.r::numeric, 12)) FROM (SELECT (partial_corr(x, y, '{}'::float8[])).*
	FROM fx_pin WHERE case_id = 1) c)::text,
	(SELECT row('partial', c.n, round(c.r::numeric, 12)) FROM (SELECT (corr_test(x, y)).* FROM fx_pin WHERE case_id = 1) c)::text,
	'no control: Pearson''s r');
SELECT is((SELECT (partial_corr(x, y, ARRAY[z1, NULL])).n FROM fx_pin WHERE case_id = 1), NULL::bigint,
	'a NULL control skips the row');
SELECT throws_ok($$SELECT partial_corr(x, y, CASE WHEN i < 3 THEN ARRAY[z1] ELSE ARRAY[z1, z1] END) FROM fx_pin WHERE case_id = 1$$,
	'22023', 'every row of a group must have the same number of controls', 'a varying number of controls: 22023');
SELECT throws_ok($$SELECT partial_corr(1, 2, ARRAY['NaN'::float8])$$, '22023', NULL, 'a NaN control: 22023');
SELECT throws_ok($$SELECT partial_corr(1, 2, array_fill(1.0::float8, ARRAY[101]))$$, '54000', NULL,
	'more than 100 controls: 54000');
CREATE TEMP TABLE many_serial AS SELECT g, partial_corr(x, y, ARRAY[(x * 31)::int8 % 101 + 0.0, sqrt(y), (g * 7 % 5)::float8]) AS p
FROM smallsample_tap_rows GROUP BY g;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SELECT is((SELECT count(*) FROM many_serial s JOIN (SELECT g, partial_corr(x, y, ARRAY[(x * 31)::int8 % 101 + 0.0, sqrt(y), (g * 7 % 5)::float8]) AS p
	FROM smallsample_tap_rows GROUP BY g) q USING (g)
	WHERE (s.p).r IS NULL OR NOT (pg_temp.near((s.p).r, (q.p).r) AND (s.p).n = (q.p).n)), 0::bigint,
	'parallel plans agree with serial ones (Chan''s merge), a constant control left out');
RESET max_parallel_workers_per_gather;
SELECT is((SELECT risk_ratio(e, v, 0.9) FROM (VALUES (true, true)) t(e, v) WHERE false), NULL,
	'no rows: NULL');
SELECT throws_ok($$SELECT risk_ratio(i % 2 = 0, i % 3 = 0, CASE WHEN i < 5 THEN 0.9 ELSE 0.95 END)
	FROM generate_series(1, 10) i$$, '22023', 'confidence must be the same for all rows of a group',
	'a confidence varying within a group: 22023');
SELECT throws_ok($$SELECT nps_stats(9, 1.0)$$, '22023', NULL, 'a confidence of 1: 22023');
SELECT throws_ok($$SELECT partial_corr(1, 2, 3, 0)$$, '22023', NULL, 'a confidence of 0: 22023');
SELECT is((SELECT (nps_stats(s, 0.9)).n FROM (VALUES (9), (NULL), (3)) v(s)), 2::bigint,
	'a NULL score skips the row');

-- Mantel-Haenszel over strata (1.1)
CREATE TEMP TABLE mh_rows AS
SELECT case_id, stratum::text AS stratum, exposed = 1 AS exposed, event = 1 AS event
FROM fx_mhin, generate_series(1, count);
CREATE TEMP TABLE mh_got AS
SELECT f.case_id, f.confidence, f.note, f.rr_mh, f.rr_ci_low, f.rr_ci_high, f.cmh_statistic_correct,
	f.cmh_p_correct, g.r
FROM fx_mh f JOIN (SELECT c.case_id, c.confidence, risk_ratio(exposed, event, stratum, c.confidence) AS r
	FROM mh_rows JOIN (SELECT DISTINCT case_id, confidence FROM fx_mh) c USING (case_id)
	GROUP BY c.case_id, c.confidence) g USING (case_id, confidence);
SELECT is((SELECT array_agg(case_id || ' at ' || confidence ORDER BY case_id, confidence) FROM mh_got
	WHERE NOT (pg_temp.near((r).ratio, rr_mh) AND pg_temp.near((r).ci_low, rr_ci_low)
		AND pg_temp.near((r).ci_high, rr_ci_high))),
	NULL, 'risk_ratio(exposed, event, stratum, confidence): the Mantel-Haenszel ratio and Greenland-Robins interval (1e-9)');
SELECT is((SELECT array_agg(case_id || ' at ' || confidence ORDER BY case_id, confidence) FROM mh_got
	WHERE coalesce(note, '') = '' AND NOT (pg_temp.near((r).cmh_statistic, nullif(cmh_statistic_correct, 'NaN'))
		AND pg_temp.near((r).p_value, nullif(cmh_p_correct, 'NaN')))),
	NULL, 'the CMH statistic and p-value of R''s mantelhaen.test (continuity-corrected; NULL where R''s is NaN)');
SELECT cmp_ok((SELECT count(DISTINCT case_id) FROM mh_got WHERE coalesce(note, '') = ''), '>=', 15::bigint,
	'at least 15 stratified tables that R tests');
SELECT is((SELECT count(*) FROM (SELECT case_id, risk_ratio(exposed, event, stratum) AS s,
	risk_ratio(exposed, event) AS c FROM mh_rows GROUP BY case_id) g
	WHERE (s).crude_ratio IS DISTINCT FROM (c).ratio OR (s).exposed_n <> (c).exposed_n
		OR (s).unexposed_events <> (c).unexposed_events), 0::bigint,
	'the crude ratio and totals are the unstratified risk_ratio''s');
SELECT is((SELECT row((r).strata, pg_temp.near((r).ratio, (12.0 / 42) / (6.0 / 46)))::text FROM mh_got
	WHERE case_id = 2 AND confidence = 0.95), '(1,t)', 'one stratum: the plain risk ratio (12/42 over 6/46)');
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SELECT is((SELECT risk_ratio(x > 10000, y > 10000, (g % 4)::text)::text FROM smallsample_tap_rows),
	(SELECT risk_ratio(x > 10000, y > 10000, (g % 4)::text)::text FROM (SELECT * FROM smallsample_tap_rows ORDER BY x) t),
	'a parallel plan (strata serialized) gives the serial result');
RESET max_parallel_workers_per_gather;
SELECT is((SELECT risk_ratio(true, true, 'a') FROM smallsample_tap_rows WHERE false), NULL, 'no rows: NULL');
SELECT is((SELECT (risk_ratio(e, v, s)).strata FROM (VALUES (true, true, 'a'), (false, false, NULL),
	(NULL, true, 'b')) t(e, v, s)), 1::bigint, 'rows with a NULL are skipped');
SELECT throws_ok($$SELECT risk_ratio(true, true, 'a', 1.5)$$, '22023', NULL, 'a bad confidence: 22023');
SELECT throws_ok($$SELECT risk_ratio(x > 1, y > 1, 3) FROM smallsample_tap_rows$$, '22023',
	'confidence must be between 0 and 1, exclusive, not 3',
	'a number as the third argument is a confidence; the hint says to pass a stratum as text');

-- odds ratios (1.1): fisher.test's conditional MLE and exact interval (roots to
-- 1e-14: smallsample_or_tight_gen.R), Fisher's p, the sample ratio, Woolf
CREATE TEMP TABLE or_rows AS
SELECT f.case_id, f.confidence, g.exposed, g.event
FROM fx_or f, LATERAL (
	SELECT true AS exposed, true AS event FROM generate_series(1, f.a)
	UNION ALL SELECT true, false FROM generate_series(1, f.b)
	UNION ALL SELECT false, true FROM generate_series(1, f.c)
	UNION ALL SELECT false, false FROM generate_series(1, f.d)) g;
CREATE TEMP TABLE or_got AS
SELECT f.*, t.or_cmle AS t_cmle, t.cmle_ci_low AS t_low, t.cmle_ci_high AS t_high, g.o
FROM fx_or f JOIN fx_ort t USING (case_id, confidence)
LEFT JOIN (SELECT case_id, confidence, odds_ratio(exposed, event, confidence) AS o
	FROM or_rows GROUP BY case_id, confidence) g USING (case_id, confidence);
SELECT is((SELECT array_agg(case_id || ' at ' || confidence ORDER BY case_id, confidence) FROM or_got
	WHERE a + b + c + d > 0 AND NOT (pg_temp.near((o).ratio, t_cmle) AND pg_temp.near((o).ci_low, t_low)
		AND pg_temp.near((o).ci_high, t_high) AND pg_temp.near((o).p_value, p_fisher))),
	NULL, 'odds_ratio: the conditional MLE and exact interval of fisher.test (roots to 1e-14) and its p, to 1e-9');
SELECT is((SELECT array_agg(case_id || ' at ' || confidence ORDER BY case_id, confidence) FROM or_got
	WHERE a + b + c + d > 0 AND NOT (pg_temp.near((o).sample_ratio, nullif(or_sample, 'NaN'))
		AND pg_temp.near((o).woolf_ci_low, woolf_ci_low) AND pg_temp.near((o).woolf_ci_high, woolf_ci_high))),
	NULL, 'the sample odds ratio (Infinity where R''s is Inf, NULL for 0/0) and Woolf''s interval');
SELECT is((SELECT count(*) FROM or_got WHERE a + b + c + d > 0 AND or_cmle > 0 AND or_cmle < 'Infinity'
	AND abs((o).ratio / or_cmle - 1) > 1e-3), 0::bigint,
	'fisher.test''s own estimates agree to its root-finding tolerance');
SELECT is((SELECT count(*) FROM (SELECT case_id, odds_ratio(exposed, event) AS a, odds_ratio(exposed, event, 0.95) AS b
	FROM or_rows WHERE confidence = 0.95 GROUP BY case_id) g
	WHERE NOT (pg_temp.near((a).ratio, (b).ratio) AND pg_temp.near((a).ci_low, (b).ci_low)
		AND pg_temp.near((a).ci_high, (b).ci_high))), 0::bigint,
	'odds_ratio(exposed, event) is the 95% form');
SELECT is((SELECT (odds_ratio(e, v)).ratio FROM (VALUES (true, true), (false, false)) t(e, v)),
	'Infinity'::float8, 'a table 1 0 / 0 1: an infinite estimate, as R');
SELECT is((SELECT odds_ratio(true, true) FROM or_rows WHERE false), NULL, 'no rows: NULL');
SELECT throws_ok($$SELECT odds_ratio(true, false, 0)$$, '22023', NULL, 'a confidence of 0: 22023');

SELECT * FROM finish();
ROLLBACK;
DROP TABLE smallsample_tap_rows;

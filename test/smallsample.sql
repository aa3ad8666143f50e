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

-- |a - b| <= 1e-9 |b| in numeric (float8 arithmetic raises on underflow)
CREATE FUNCTION pg_temp.near(a float8, b float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN a IS NULL AND b IS NULL
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
SELECT plan(17);

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

SELECT * FROM finish();
ROLLBACK;
DROP TABLE smallsample_tap_rows;

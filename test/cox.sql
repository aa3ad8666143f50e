-- cox_regression of version 1.1 against GNU R's coxph (test/fixtures/surv11_gen.R,
-- every fit with coxph.control(eps = 1e-12, toler.chol = 1e-14, iter.max = 100)):
-- coefficients, standard errors, covariances, log-likelihoods, the three tests
-- and their p-values to 1e-8 relative, for Efron and Breslow ties, strata,
-- heavy ties, events at 0, delayed entry and time-varying covariates (heart).
-- The spell forms against the same data written as durations; edge cases; the
-- text and binary forms of cox_model; parallel plans; the SQLSTATE of every error.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SET client_min_messages = warning;
SET TimeZone = 'UTC';

CREATE TEMP TABLE fx_lung (id int, time float8, status int, age float8, sex float8, ph_ecog float8);
\copy fx_lung FROM 'test/fixtures/surv11_lung.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_veteran (id int, time float8, status int, trt float8, celltype text, karno float8, age float8);
\copy fx_veteran FROM 'test/fixtures/surv11_veteran.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_ovarian (id int, time float8, status int, age float8, ecog_ps float8, rx float8);
\copy fx_ovarian FROM 'test/fixtures/surv11_ovarian.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_colon (id int, time float8, status int, rx text, rx_lev float8, rx_lev5fu float8,
	age float8, nodes float8);
\copy fx_colon FROM 'test/fixtures/surv11_colon.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_heart (id int, start float8, stop float8, event int, age float8, year float8,
	surgery float8, transplant float8);
\copy fx_heart FROM 'test/fixtures/surv11_heart.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_ties (id int, time float8, status int, grp text, stratum int, x1 float8, x2 float8, x3 float8);
\copy fx_ties FROM 'test/fixtures/surv11_synth_ties.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_zero (id int, time float8, status int, grp text, x1 float8);
\copy fx_zero FROM 'test/fixtures/surv11_synth_zero.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_delayed (id int, entry float8, exit float8, event int, grp text, stratum int,
	x1 float8, x2 float8);
\copy fx_delayed FROM 'test/fixtures/surv11_synth_delayed.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_separation (id int, time float8, status int, x float8, z float8);
\copy fx_separation FROM 'test/fixtures/surv11_synth_separation.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_wide (id int, time float8, status int, x1 float8, x2 float8, x3 float8, x4 float8,
	x5 float8, x6 float8, x7 float8, x8 float8, x9 float8, x10 float8);
\copy fx_wide FROM 'test/fixtures/surv11_synth_wide.csv' WITH (FORMAT csv, HEADER true)

CREATE TEMP TABLE fx_coef (case_id text, term text, coef float8, exp_coef float8, se_coef float8,
	z float8, p float8, lower95 float8, upper95 float8);
\copy fx_coef FROM 'test/fixtures/surv11_cox_expected.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_stats (case_id text, ties text, n int8, nevent int8, iter int, converged boolean,
	warning text, loglik_null float8, loglik float8, lr_chisq float8, lr_df int, lr_p float8,
	wald_chisq float8, wald_df int, wald_p float8, score_chisq float8, score_df int, score_p float8,
	concordance float8, concordance_se float8);
\copy fx_stats FROM 'test/fixtures/surv11_cox_stats_expected.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_vcov (case_id text, i int, j int, term_i text, term_j text, value float8);
\copy fx_vcov FROM 'test/fixtures/surv11_cox_vcov_expected.csv' WITH (FORMAT csv, HEADER true)

-- the term order of each case, as R lists them
CREATE TEMP TABLE fx_terms AS
SELECT case_id, term, row_number() OVER (PARTITION BY case_id ORDER BY ord) AS k
FROM (SELECT *, row_number() OVER () AS ord FROM fx_coef) c;

-- every case's design: right-censored data enter at -infinity (events at 0
-- included), a NULL covariate skips its row (lung's one missing ph_ecog)
CREATE TEMP TABLE design (case_id text, entry float8, exit float8, event boolean, x float8[],
	stratum text);
INSERT INTO design SELECT c, '-infinity', time, status = 1, ARRAY[sex], NULL
FROM fx_lung, unnest(ARRAY['cox_lung_sex_efron', 'cox_lung_sex_breslow']) c;
INSERT INTO design SELECT c, '-infinity', time, status = 1, ARRAY[age, sex, ph_ecog], NULL
FROM fx_lung, unnest(ARRAY['cox_lung_efron', 'cox_lung_breslow']) c;
INSERT INTO design SELECT c, '-infinity', time, status = 1, ARRAY[trt, karno, age], celltype
FROM fx_veteran, unnest(ARRAY['cox_veteran_strata_efron', 'cox_veteran_strata_breslow']) c;
INSERT INTO design SELECT c, '-infinity', time, status = 1, ARRAY[age, ecog_ps, rx], NULL
FROM fx_ovarian, unnest(ARRAY['cox_ovarian_efron', 'cox_ovarian_breslow']) c;
INSERT INTO design SELECT c, '-infinity', time, status = 1, ARRAY[rx_lev, rx_lev5fu, age, nodes], NULL
FROM fx_colon, unnest(ARRAY['cox_colon_efron', 'cox_colon_breslow']) c;
INSERT INTO design SELECT c, start, stop, event = 1, ARRAY[age, year, surgery, transplant], NULL
FROM fx_heart, unnest(ARRAY['cox_heart_efron', 'cox_heart_breslow']) c;
INSERT INTO design SELECT c, '-infinity', time, status = 1, ARRAY[x1, x2, x3], NULL
FROM fx_ties, unnest(ARRAY['cox_synth_ties_efron', 'cox_synth_ties_breslow']) c;
INSERT INTO design SELECT c, '-infinity', time, status = 1, ARRAY[x1, x2, x3], stratum::text
FROM fx_ties, unnest(ARRAY['cox_synth_ties_strata_efron', 'cox_synth_ties_strata_breslow']) c;
INSERT INTO design SELECT c, '-infinity', time, status = 1, ARRAY[x1], NULL
FROM fx_zero, unnest(ARRAY['cox_synth_zero_efron', 'cox_synth_zero_breslow']) c;
INSERT INTO design SELECT c, entry, exit, event = 1, ARRAY[x1, x2], NULL
FROM fx_delayed, unnest(ARRAY['cox_synth_delayed_efron', 'cox_synth_delayed_breslow']) c;
INSERT INTO design SELECT 'cox_synth_delayed_strata_efron', entry, exit, event = 1, ARRAY[x1, x2], stratum::text
FROM fx_delayed;
INSERT INTO design SELECT 'cox_synth_separation_efron', '-infinity', time, status = 1, ARRAY[x, z], NULL
FROM fx_separation;
INSERT INTO design SELECT c, '-infinity', time, status = 1, ARRAY[x1, x2, x3, x4, x5, x6, x7, x8, x9, x10], NULL
FROM fx_wide, unnest(ARRAY['cox_synth_wide_efron', 'cox_synth_wide_breslow']) c;

-- the fits: the 6-argument form for every case (one stratum 'all' where R
-- has none), the 4- and 5-argument forms where they apply
CREATE TEMP TABLE got AS
SELECT s.case_id, s.ties,
	cox_regression(entry, exit, event, x, coalesce(stratum, 'all'), s.ties) AS m,
	cox_regression(entry, exit, event, x) FILTER (WHERE bool_and_stratum_null) AS m4,
	cox_regression(entry, exit, event, x, coalesce(stratum, 'all')) AS m5
FROM (SELECT *, bool_and(stratum IS NULL) OVER (PARTITION BY case_id) AS bool_and_stratum_null FROM design) d
JOIN fx_stats s USING (case_id)
GROUP BY s.case_id, s.ties;
CREATE TEMP TABLE got_stats AS SELECT case_id, ties, (cox_stats(m)).* FROM got;
CREATE TEMP TABLE got_terms AS SELECT case_id, t.* FROM got, cox_terms(m) t;

-- |a - b| <= rel |b| (+ 1e-300), NULL only where both are NULL, infinities
-- equal; in numeric, as float8 arithmetic raises an underflow error
CREATE FUNCTION pg_temp.near(a float8, b float8, rel numeric DEFAULT 1e-8) RETURNS boolean
LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN a IS NULL AND b IS NULL
	WHEN a = b THEN true
	WHEN a IN ('Infinity', '-Infinity') OR b IN ('Infinity', '-Infinity') THEN false
	ELSE abs(a::numeric - b::numeric) <= rel * abs(b::numeric) + 1e-300 END $$;

-- every term, statistic and covariance of two models within rel
CREATE FUNCTION pg_temp.same_fit(a cox_model, b cox_model, rel numeric) RETURNS boolean
LANGUAGE sql IMMUTABLE AS
$$ SELECT (SELECT bool_and(pg_temp.near(x.coef, y.coef, rel) AND pg_temp.near(x.std_err, y.std_err, rel)
		AND pg_temp.near(x.p_value, y.p_value, rel))
		FROM cox_terms(a) x JOIN cox_terms(b) y USING (term))
	AND (SELECT pg_temp.near(x.loglik, y.loglik, rel) AND pg_temp.near(x.loglik_null, y.loglik_null, rel)
		AND pg_temp.near(x.score_chisq, y.score_chisq, rel) AND pg_temp.near(x.wald_chisq, y.wald_chisq, rel)
		AND x.n = y.n AND x.events = y.events AND x.converged = y.converged AND x.lr_df = y.lr_df
		FROM cox_stats(a) x, cox_stats(b) y) $$;

-- the plan of a query, one line a row
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS SETOF text LANGUAGE plpgsql AS
$$ BEGIN RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q; END $$;

-- 20,000 rows in a plain table that parallel workers scan
CREATE TABLE cox_tap_rows AS
SELECT i, (i % 5)::float8 AS entry, 5 + (i * 7919 % 997)::float8 AS exit, i % 3 <> 0 AS event,
	ARRAY[(i % 7)::float8, ((i * 31) % 101) / 100.0, (i % 2)::float8] AS x, (i % 4)::text AS stratum
FROM generate_series(1, 20000) i;
ANALYZE cox_tap_rows;

BEGIN;
SELECT plan(64);

-- agreement with R
SELECT is((SELECT count(*) FROM got WHERE ties <> 'exact'), 24::bigint, '24 fits of R''s coxph (exact ties aside)');
DELETE FROM got WHERE ties = 'exact';
DELETE FROM got_stats WHERE ties = 'exact';
SELECT is((SELECT array_agg(g.case_id ORDER BY g.case_id) FROM got_stats g JOIN fx_stats f USING (case_id)
	WHERE g.n <> f.n OR g.events <> f.nevent OR g.converged <> f.converged
		OR g.lr_df <> f.lr_df OR g.lr_df <> f.wald_df OR g.lr_df <> f.score_df),
	NULL, 'n (na.omit), events, converged and degrees of freedom as R''s');
SELECT is((SELECT array_agg(g.case_id ORDER BY g.case_id) FROM got_stats g JOIN fx_stats f USING (case_id)
	WHERE CASE WHEN g.case_id LIKE '%separation%' THEN abs(g.iterations - f.iter) > 1
		ELSE g.iterations <> f.iter END),
	NULL, 'iterations as R''s (the monotone likelihood within one)');
SELECT is((SELECT array_agg(g.case_id ORDER BY g.case_id) FROM got_stats g JOIN fx_stats f USING (case_id)
	WHERE NOT (pg_temp.near(g.loglik_null, f.loglik_null) AND pg_temp.near(g.loglik, f.loglik))),
	NULL, 'log-likelihoods at 0 and at the fit (1e-8)');
SELECT is((SELECT array_agg(g.case_id ORDER BY g.case_id) FROM got_stats g JOIN fx_stats f USING (case_id)
	WHERE NOT (pg_temp.near(g.lr_chisq, f.lr_chisq) AND pg_temp.near(g.lr_p, f.lr_p))),
	NULL, 'likelihood-ratio test and p-value (1e-8)');
SELECT is((SELECT array_agg(g.case_id ORDER BY g.case_id) FROM got_stats g JOIN fx_stats f USING (case_id)
	WHERE NOT (pg_temp.near(g.score_chisq, f.score_chisq) AND pg_temp.near(g.score_p, f.score_p))),
	NULL, 'score test and p-value (1e-8)');
SELECT is((SELECT array_agg(g.case_id ORDER BY g.case_id) FROM got_stats g JOIN fx_stats f USING (case_id)
	WHERE g.case_id NOT LIKE '%separation%'
		AND NOT (pg_temp.near(g.wald_chisq, f.wald_chisq) AND pg_temp.near(g.wald_p, f.wald_p))),
	NULL, 'Wald test and p-value (1e-8; not where a coefficient is infinite)');
SELECT is((SELECT count(*) FROM got_terms g JOIN fx_terms t ON t.case_id = g.case_id AND t.k = g.term),
	(SELECT count(*) FROM fx_coef WHERE case_id <> 'cox_lung_sex_exact'), 'a term for every term of R''s');
SELECT is((SELECT array_agg(g.case_id || ' ' || t.term ORDER BY g.case_id, g.term)
	FROM got_terms g JOIN fx_terms t ON t.case_id = g.case_id AND t.k = g.term
	JOIN fx_coef f ON f.case_id = t.case_id AND f.term = t.term
	WHERE NOT (g.case_id LIKE '%separation%' AND t.term = 'x')
		AND NOT (pg_temp.near(g.coef, f.coef) AND pg_temp.near(g.hazard_ratio, f.exp_coef)
			AND pg_temp.near(g.std_err, f.se_coef) AND pg_temp.near(g.z, f.z))),
	NULL, 'coefficients, hazard ratios, standard errors, z (1e-8)');
SELECT is((SELECT array_agg(g.case_id || ' ' || t.term ORDER BY g.case_id, g.term)
	FROM got_terms g JOIN fx_terms t ON t.case_id = g.case_id AND t.k = g.term
	JOIN fx_coef f ON f.case_id = t.case_id AND f.term = t.term
	WHERE NOT (g.case_id LIKE '%separation%' AND t.term = 'x')
		AND NOT (pg_temp.near(g.p_value, f.p) AND pg_temp.near(g.ci_low, f.lower95)
			AND pg_temp.near(g.ci_high, f.upper95))),
	NULL, 'p-values and 95% intervals of the hazard ratios (1e-8)');
SELECT is((SELECT array_agg(v.case_id || ' ' || v.i || ',' || v.j ORDER BY v.case_id, v.i, v.j)
	FROM fx_vcov v JOIN got g USING (case_id)
	WHERE v.case_id NOT LIKE '%separation%'
		AND NOT pg_temp.near(((m::text::jsonb) -> 'covariance' -> (v.i - 1) -> (v.j - 1))::text::float8, v.value)),
	NULL, 'covariance matrices (1e-8)');
SELECT cmp_ok((SELECT count(*) FROM fx_vcov v JOIN got USING (case_id)), '>=', 300::bigint,
	'over 300 covariances compared');
SELECT is((SELECT array_agg(case_id ORDER BY case_id) FROM got
	WHERE m4 IS NOT NULL AND ties = 'efron' AND m4::text <> m::text),
	NULL, 'cox_regression(entry, exit, event, x): Efron, the 6-argument form''s fit');
SELECT is((SELECT count(*) FROM got WHERE m4 IS NOT NULL AND ties = 'efron'), 10::bigint,
	'the 4-argument form is checked on 10 unstratified Efron cases');
SELECT is((SELECT array_agg(case_id ORDER BY case_id) FROM got
	WHERE ties = 'efron' AND m5::text <> m::text), NULL,
	'cox_regression(..., stratum): Efron, the 6-argument form''s fit');

-- the monotone likelihood: not converged, R's warning, the variable marked
SELECT is((SELECT row(converged, (m::text::jsonb) -> 'infinite')::text FROM got JOIN got_stats USING (case_id)
	WHERE case_id = 'cox_synth_separation_efron'), '(f,"[true, false]")',
	'monotone likelihood: converged false, the coefficient of x may be infinite');
SELECT ok((SELECT f.warning LIKE 'Loglik converged before variable  1%' FROM fx_stats f
	WHERE case_id = 'cox_synth_separation_efron'), 'R says so for the same variable');

-- the same data entering at 0 instead of -infinity (every time is positive)
SELECT ok((SELECT pg_temp.same_fit(cox_regression(0, time, status = 1, ARRAY[age, sex, ph_ecog]),
	(SELECT m FROM got WHERE case_id = 'cox_lung_efron'), 1e-12) FROM fx_lung),
	'right-censored rows entering at 0 give the fit of entries at -infinity');
SELECT is((SELECT cox_regression(0, time, status = 1, ARRAY[age, sex, ph_ecog])::text FROM fx_lung),
	(SELECT cox_regression(0, time, status = 1, ARRAY[age, sex, ph_ecog])::text FROM fx_lung WHERE ph_ecog IS NOT NULL),
	'a NULL covariate skips its row (na.omit)');
SELECT is((SELECT cox_regression(CASE WHEN id % 10 = 0 THEN NULL ELSE 0 END, time, status = 1, ARRAY[sex])::text FROM fx_lung),
	(SELECT cox_regression(0, time, status = 1, ARRAY[sex])::text FROM fx_lung WHERE id % 10 <> 0),
	'a NULL entry skips its row');
SELECT is((SELECT cox_regression(0, time, CASE WHEN id % 9 = 0 THEN NULL ELSE status = 1 END, ARRAY[sex])::text FROM fx_lung),
	(SELECT cox_regression(0, time, status = 1, ARRAY[sex])::text FROM fx_lung WHERE id % 9 <> 0),
	'a NULL event skips its row');
SELECT is((SELECT cox_regression('-infinity', time, status = 1, ARRAY[trt, karno, age], CASE WHEN id % 7 = 0 THEN NULL ELSE celltype END)::text FROM fx_veteran),
	(SELECT cox_regression('-infinity', time, status = 1, ARRAY[trt, karno, age], celltype)::text FROM fx_veteran WHERE id % 7 <> 0),
	'a NULL stratum skips its row');
SELECT is((SELECT cox_regression('-infinity', time, status = 1, ARRAY[trt, karno, age], celltype, CASE WHEN id = 3 THEN NULL ELSE 'breslow' END)::text FROM fx_veteran),
	(SELECT cox_regression('-infinity', time, status = 1, ARRAY[trt, karno, age], celltype, 'breslow')::text FROM fx_veteran WHERE id <> 3),
	'a NULL ties skips its row');

-- spells: the same rows as date and timestamp spells seen at as_of.  An
-- event ends its spell by as_of (some exactly on it); a censored spell is
-- open, or ends after as_of, and started `time` days before as_of; spells
-- starting after as_of and empty spells are skipped
CREATE TEMP TABLE lung_spells AS
SELECT id, time, status, sex,
	CASE WHEN status = 1 THEN daterange(date '2030-01-01' - time::int - id % 30, date '2030-01-01' - id % 30)
		WHEN id % 2 = 0 THEN daterange(date '2030-01-01' - time::int, NULL)
		ELSE daterange(date '2030-01-01' - time::int, date '2030-01-01' + 1 + id % 3) END AS spell,
	time + (id % 4) * 0.25 AS d,
	CASE WHEN status = 1 THEN tstzrange(
			timestamptz '2030-01-01 00:00+00' - (time + (id % 4) * 0.25) * interval '86400 seconds' - (id % 30) * interval '86400 seconds',
			timestamptz '2030-01-01 00:00+00' - (id % 30) * interval '86400 seconds')
		ELSE tstzrange(timestamptz '2030-01-01 00:00+00' - (time + (id % 4) * 0.25) * interval '86400 seconds', NULL) END AS engaged
FROM fx_lung
UNION ALL
SELECT -i, 1, 1, 5.0, daterange(date '2030-01-01' + i, date '2030-02-01'), 1,
	tstzrange(timestamptz '2030-01-01 00:00+00' + i * interval '1 hour', NULL)
FROM generate_series(1, 3) i
UNION ALL
SELECT -10, 1, 1, 7.0, 'empty'::daterange, 1, 'empty'::tstzrange;
SELECT cmp_ok((SELECT count(*) FROM lung_spells WHERE status = 1 AND upper(spell) = date '2030-01-01'), '>=', 3::bigint,
	'spells ending on as_of itself (events) are among them');
SELECT is((SELECT cox_regression(spell, date '2030-01-01', ARRAY[sex])::text FROM lung_spells),
	(SELECT cox_regression('-infinity', time, status = 1, ARRAY[sex])::text FROM lung_spells WHERE id > 0),
	'cox_regression(daterange, date, x): days from the start, ended by as_of an event, the rest censored');
SELECT ok((SELECT pg_temp.same_fit(cox_regression(spell, date '2030-01-01', ARRAY[sex]),
	(SELECT m FROM got WHERE case_id = 'cox_lung_sex_efron'), 1e-12) FROM lung_spells),
	'... which is R''s fit of lung ~ sex');
SELECT is((SELECT cox_regression(engaged, timestamptz '2030-01-01 00:00+00', ARRAY[sex])::text FROM lung_spells),
	(SELECT cox_regression('-infinity', d, status = 1, ARRAY[sex])::text FROM lung_spells WHERE id > 0),
	'cox_regression(tstzrange, timestamptz, x): fractional days from the start');
SELECT isnt((SELECT cox_regression('-infinity', d, status = 1, ARRAY[sex])::text FROM lung_spells WHERE id > 0),
	(SELECT cox_regression('-infinity', time, status = 1, ARRAY[sex])::text FROM lung_spells WHERE id > 0),
	'... where the quarter days break ties that whole days would not');
SELECT is((SELECT cox_regression(spell, date '2030-01-01', ARRAY[sex]) FROM lung_spells WHERE id < 0)::text, NULL,
	'only spells that start after as_of or are empty: NULL');

-- edge cases
SELECT is((SELECT cox_regression(0, t, e, ARRAY[x]) FROM (VALUES (1.0::float8, true, 1.0::float8)) v(t, e, x) WHERE false)::text,
	NULL, 'no rows: NULL');
SELECT is((SELECT row(s.n, s.events, s.iterations, s.converged, s.lr_df, s.lr_p)::text
	FROM (SELECT (cox_stats(cox_regression(0, 5, true, ARRAY[2.0]))).*) s), '(1,1,1,t,0,)',
	'one row: counted, nothing estimated (one iteration, as for any constant covariate), converged, no test');
SELECT is((SELECT row(t.term, t.coef, t.std_err)::text FROM cox_terms((SELECT cox_regression(0, 5, true, ARRAY[2.0]))) t),
	'(1,,)', 'one row: the coefficient is NULL (R''s NA)');
SELECT is((SELECT row(s.n, s.events, s.iterations, s.converged, s.loglik, s.lr_df)::text
	FROM (SELECT (cox_stats(cox_regression(0, t, false, ARRAY[t * 2]))).* FROM generate_series(1, 4) t) s),
	'(4,0,0,t,0,0)', 'no events: no iterations, loglik 0, nothing estimated');
SELECT is((SELECT array_agg(row(t.term, t.coef IS NULL, pg_temp.near(t.coef, f.coef))::text ORDER BY t.term)
	FROM (SELECT cox_regression('-infinity', time, status = 1, ARRAY[0.1, sex]) AS m FROM fx_lung) g,
	cox_terms(g.m) t LEFT JOIN fx_coef f ON f.case_id = 'cox_lung_sex_efron' AND t.term = 2),
	'{"(1,t,t)","(2,f,t)"}', 'a constant covariate is dropped (NULL), the other fitted as without it');
SELECT is((SELECT (m::text::jsonb) -> 'dropped' FROM (SELECT cox_regression('-infinity', time, status = 1, ARRAY[0.1, sex]) AS m FROM fx_lung) g),
	'[true, false]'::jsonb, 'the dropped covariate is marked in the stored model');
SELECT is((SELECT (cox_stats(cox_regression('-infinity', time, status = 1, ARRAY[0.1, sex]))).lr_df FROM fx_lung), 1,
	'and not counted in the degrees of freedom');

-- names and confidence
SELECT is((SELECT array_agg(name ORDER BY term) FROM cox_terms((SELECT m FROM got WHERE case_id = 'cox_lung_efron'),
	ARRAY['age', 'sex', NULL])), '{age,sex,NULL}'::text[], 'names label the terms in order, NULL where NULL');
SELECT is((SELECT array_agg(name ORDER BY term) FROM cox_terms((SELECT m FROM got WHERE case_id = 'cox_lung_efron'))),
	'{NULL,NULL,NULL}'::text[], 'without names, name is NULL');
SELECT is((SELECT count(*) FROM cox_terms((SELECT m FROM got WHERE case_id = 'cox_lung_efron'), NULL, 0.9) t
	JOIN fx_coef f ON f.case_id = 'cox_lung_efron' AND f.term = (ARRAY['age', 'sex', 'ph_ecog'])[t.term]
	WHERE pg_temp.near(t.ci_low, exp(f.coef - 1.6448536269514722 * f.se_coef), 1e-8)
		AND pg_temp.near(t.ci_high, exp(f.coef + 1.6448536269514722 * f.se_coef), 1e-8)), 3::bigint,
	'cox_terms(m, names, 0.9): exp(coef -/+ 1.6448536269514722 se)');
SELECT is((SELECT count(*) FROM cox_terms((SELECT m FROM got WHERE case_id = 'cox_lung_efron'), confidence => 0.95) a
	JOIN cox_terms((SELECT m FROM got WHERE case_id = 'cox_lung_efron')) b USING (term)
	WHERE a.ci_low = b.ci_low AND a.ci_high = b.ci_high), 3::bigint, 'the default confidence is 0.95');

-- the stored form: text and binary round trips
SELECT is((SELECT count(*) FROM got WHERE m::text::cox_model::text <> m::text), 0::bigint,
	'm::text::cox_model prints the same text');
\! mkdir -p results
\copy (SELECT case_id, m FROM got) TO 'results/cox_tap.bin' WITH (FORMAT binary)
CREATE TEMP TABLE got_binary (case_id text, m cox_model);
\copy got_binary FROM 'results/cox_tap.bin' WITH (FORMAT binary)
SELECT is((SELECT count(*) FROM got g JOIN got_binary b USING (case_id) WHERE g.m::text = b.m::text),
	(SELECT count(*) FROM got), 'binary COPY round trips every model exactly');
SELECT is(('{"version":1,"ties":"breslow","n":3,"events":0,"strata":1,"iterations":0,"converged":true,"df":0,'
	'"loglik_null":0,"loglik":0,"lr_chisq":0,"lr_p":null,"wald_chisq":0,"wald_p":null,"score_chisq":0,'
	'"score_p":null,"coefficients":[null],"covariance":[[null]],"dropped":[true],"infinite":[false]}')::cox_model::text,
	'{"version":1,"ties":"breslow","n":3,"events":0,"strata":1,"iterations":0,"converged":true,"df":0,'
	'"loglik_null":0,"loglik":0,"lr_chisq":0,"lr_p":null,"wald_chisq":0,"wald_p":null,"score_chisq":0,'
	'"score_p":null,"coefficients":[null],"covariance":[[null]],"dropped":[true],"infinite":[false]}',
	'a model written by hand reads back');
SELECT throws_ok($$SELECT '{"version":2}'::cox_model$$, '22P02', NULL, 'another version: 22P02');
SELECT throws_ok($$SELECT ('{"version":1,"ties":"efron","n":3,"events":1,"strata":1,"iterations":1,"converged":true,"df":1,'
	'"loglik_null":0,"loglik":0,"lr_chisq":0,"lr_p":1,"wald_chisq":0,"wald_p":1,"score_chisq":0,'
	'"score_p":1,"coefficients":[1],"covariance":[[1]],"dropped":[true],"infinite":[false]}')::cox_model$$,
	'22P02', NULL, 'a dropped covariate with a coefficient: 22P02');
SELECT throws_ok($$SELECT 'cox'::cox_model$$, '22P02', NULL, 'not JSON: 22P02');

-- a parallel plan gives the serial result
CREATE TEMP TABLE serial_fit AS
SELECT cox_regression(entry, exit, event, x) AS a, cox_regression(entry, exit, event, x, stratum, 'breslow') AS b
FROM cox_tap_rows;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SELECT ok((SELECT string_agg(p, E'\n') FROM pg_temp.plan_of(
	'SELECT cox_regression(entry, exit, event, x), cox_regression(entry, exit, event, x, stratum, ''breslow'') FROM cox_tap_rows') p)
	~ 'Gather.*Partial Aggregate', 'the plan is parallel (Partial Aggregate under Gather)');
-- outside a call of pgTAP's functions, which are not parallel safe
CREATE TEMP TABLE parallel_fit AS
SELECT cox_regression(entry, exit, event, x) AS a, cox_regression(entry, exit, event, x, stratum, 'breslow') AS b
FROM cox_tap_rows;
SELECT ok((SELECT pg_temp.same_fit(p.a, s.a, 1e-10) AND pg_temp.same_fit(p.b, s.b, 1e-10)
	FROM serial_fit s, parallel_fit p),
	'parallel workers (states serialized, strata renumbered, combined) fit what a serial plan fits');
RESET max_parallel_workers_per_gather;

-- errors, and the session goes on
SELECT throws_ok($$SELECT cox_regression(0, t, true, CASE WHEN t < 3 THEN ARRAY[t] ELSE ARRAY[t, t] END) FROM generate_series(1, 5) t$$,
	'22023', 'every row of cox_regression must have the same number of covariates', 'a varying number of covariates: 22023');
SELECT throws_ok($$SELECT cox_regression(0, 1, true, '{}'::float8[])$$, '22023', NULL, 'no covariate: 22023');
SELECT throws_ok($$SELECT cox_regression(0, 1, true, array_fill(1.0::float8, ARRAY[65]))$$, '22023', NULL,
	'65 covariates: 22023');
SELECT throws_ok($$SELECT cox_regression(0, 1, true, '{{1},{2}}'::float8[])$$, '22023', NULL,
	'a two-dimensional covariate array: 22023');
SELECT throws_ok($$SELECT cox_regression(0, 1, true, ARRAY['NaN'::float8])$$, '22023', NULL, 'a NaN covariate: 22023');
SELECT throws_ok($$SELECT cox_regression(0, 'Infinity', true, ARRAY[1.0])$$, '22023', NULL, 'an infinite exit: 22023');
SELECT throws_ok($$SELECT cox_regression('NaN', 1, true, ARRAY[1.0])$$, '22023', NULL, 'a NaN entry: 22023');
SELECT throws_ok($$SELECT cox_regression(2, 2, true, ARRAY[1.0])$$, '22023',
	'cox_regression: entry must be earlier than exit', 'entry not before exit: 22023');
SELECT throws_ok($$SELECT cox_regression(0, 1, true, ARRAY[1.0], 'a', 'exact')$$, '22023',
	'invalid ties method for cox_regression: "exact"', 'ties other than efron or breslow: 22023');
SELECT throws_ok($$SELECT cox_regression(0, t, true, ARRAY[t], 'a', CASE WHEN t < 3 THEN 'efron' ELSE 'breslow' END) FROM generate_series(1, 5) t$$,
	'22023', 'ties must be the same for all rows of a group', 'ties varying within a group: 22023');
SELECT throws_ok($$SELECT cox_regression(daterange('2020-01-01', NULL), d, ARRAY[1.0]) FROM (VALUES (date '2024-01-01'), ('2024-01-02')) v(d)$$,
	'22023', 'as_of must be the same for all rows of a group', 'as_of varying within a group: 22023');
SELECT throws_ok($$SELECT cox_regression(daterange('2020-01-01', NULL), 'infinity'::date, ARRAY[1.0])$$,
	'22023', NULL, 'an infinite as_of: 22023');
SELECT throws_ok($$SELECT cox_regression(daterange(NULL, '2020-01-01'), '2024-01-01'::date, ARRAY[1.0])$$,
	'22023', NULL, 'a spell without a start: 22023');
SELECT throws_ok($$SELECT cox_terms((SELECT m FROM got WHERE case_id = 'cox_lung_efron'), ARRAY['age'])$$,
	'22023', 'names must have one element for each covariate of the model', 'names of the wrong length: 22023');
SELECT throws_ok($$SELECT cox_terms((SELECT m FROM got WHERE case_id = 'cox_lung_efron'), NULL, 1.0)$$,
	'22023', NULL, 'a confidence of 1: 22023');
SELECT is((SELECT (cox_stats(m)).n FROM got WHERE case_id = 'cox_lung_efron'), 227::bigint,
	'the session is still usable');

SELECT * FROM finish();
ROLLBACK;

-- The survival summary of version 1.1 against GNU R's survival package
-- (test/fixtures/surv11_gen.R): tenure_survival over durations and over
-- (entry, exit] with delayed entry, survival_curve with its log, log-log
-- and plain intervals and standard errors (survfit, summary.survfit),
-- median_ci and median_time (print.survfit), logrank_test (survdiff, and
-- the exact-ties coxph score test with delayed entry).  Spells observed
-- from a date against the same spells written as (entry, exit] by hand;
-- version 1 values; parallel plans; edge cases and the SQLSTATE of every
-- error.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SET client_min_messages = warning;
SET TimeZone = 'UTC';

-- the datasets, as (dataset, entry, exit, event, grp); entry NULL: at risk
-- from the start (right-censored data)
CREATE TEMP TABLE ds (dataset text, entry float8, exit float8, event boolean, grp text);
CREATE TEMP TABLE l (id int, time float8, status int, age float8, sex int, ph_ecog float8);
\copy l FROM 'test/fixtures/surv11_lung.csv' WITH (FORMAT csv, HEADER true, NULL '')
INSERT INTO ds SELECT 'lung', NULL, time, status = 1, sex::text FROM l;
CREATE TEMP TABLE v (id int, time float8, status int, trt int, celltype text, karno float8, age float8);
\copy v FROM 'test/fixtures/surv11_veteran.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO ds SELECT 'veteran', NULL, time, status = 1, celltype FROM v;
CREATE TEMP TABLE z (id int, time float8, status int, grp text, x1 float8);
\copy z FROM 'test/fixtures/surv11_synth_zero.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO ds SELECT 'synth_zero', NULL, time, status = 1, grp FROM z;
CREATE TEMP TABLE p (id int, time float8, status int);
\copy p FROM 'test/fixtures/surv11_synth_plateau.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO ds SELECT 'synth_plateau', NULL, time, status = 1, NULL FROM p;
CREATE TEMP TABLE h (id int, start float8, stop float8, event int, age float8, year float8,
	surgery int, transplant int);
\copy h FROM 'test/fixtures/surv11_heart.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO ds SELECT 'heart', start, stop, event = 1, surgery::text FROM h;
CREATE TEMP TABLE d (id int, entry float8, exit float8, event int, grp text, stratum int,
	x1 float8, x2 float8);
\copy d FROM 'test/fixtures/surv11_synth_delayed.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO ds SELECT 'synth_delayed', entry, exit, event = 1, grp FROM d;

CREATE TEMP TABLE km (case_id text, time float8, n_risk int8, n_event int8, n_censor int8,
	surv float8, std_err float8, se_log_surv float8,
	lower95_log float8, upper95_log float8, lower95_loglog float8, upper95_loglog float8,
	lower95_plain float8, upper95_plain float8, lower90_log float8, upper90_log float8,
	lower90_loglog float8, upper90_loglog float8, lower90_plain float8, upper90_plain float8);
\copy km FROM 'test/fixtures/surv11_km_expected.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE kmm (case_id text, conf_type text, conf_int float8, n int8, events int8,
	median float8, lower float8, upper float8, q_median float8, q_lower float8, q_upper float8);
\copy kmm FROM 'test/fixtures/surv11_km_median_expected.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE lr (case_id text, method text, rho float8, grp text, n int8, observed float8,
	expected float8, var_diag float8, chisq float8, df int, p float8);
\copy lr FROM 'test/fixtures/surv11_logrank_expected.csv' WITH (FORMAT csv, HEADER true)

-- |a - b| <= 1e-9 |b|, NULL only for NULL
CREATE FUNCTION pg_temp.near(a float8, b float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN a IS NULL AND b IS NULL
	ELSE abs(a::numeric - b::numeric) <= 1e-9 * abs(b::numeric) + 1e-300 END $$;

-- each dataset's summary, built in three parts and rolled up
CREATE TEMP TABLE summ AS
SELECT dataset, rollup(s) AS s FROM (
	SELECT dataset, CASE WHEN bool_and(entry IS NULL) THEN tenure_survival(exit, event)
		ELSE tenure_survival(coalesce(entry, '-1e300'), exit, event) END AS s
	FROM (SELECT *, row_number() OVER () % 3 AS part FROM ds) x GROUP BY dataset, part) y
GROUP BY dataset;

-- the curve of every case and interval type, beside R's rows
CREATE TEMP TABLE curves AS
SELECT s.dataset, t.conf_type, t.level, c.*
FROM summ s,
	(VALUES ('log', 0.95), ('log-log', 0.95), ('plain', 0.95), ('log', 0.9), ('log-log', 0.9),
		('plain', 0.9)) t(conf_type, level),
	LATERAL survival_curve(s.s, t.level, t.conf_type) c;

CREATE TEMP TABLE curve_check AS
SELECT c.dataset, c.conf_type, c.level, c.time, k.time AS r_time,
	c.at_risk = k.n_risk AND c.events = k.n_event AND c.censored = k.n_censor
	AND pg_temp.near(c.survival, k.surv)
	AND (pg_temp.near(c.std_err, k.std_err) OR (c.std_err IS NULL AND k.surv = 0))
	AND pg_temp.near(c.ci_low, CASE c.conf_type || c.level
		WHEN 'log0.95' THEN k.lower95_log WHEN 'log-log0.95' THEN k.lower95_loglog
		WHEN 'plain0.95' THEN k.lower95_plain WHEN 'log0.9' THEN k.lower90_log
		WHEN 'log-log0.9' THEN k.lower90_loglog ELSE k.lower90_plain END)
	AND pg_temp.near(c.ci_high, CASE c.conf_type || c.level
		WHEN 'log0.95' THEN k.upper95_log WHEN 'log-log0.95' THEN k.upper95_loglog
		WHEN 'plain0.95' THEN k.upper95_plain WHEN 'log0.9' THEN k.upper90_log
		WHEN 'log-log0.9' THEN k.upper90_loglog ELSE k.upper90_plain END) AS ok
FROM curves c
FULL JOIN (SELECT CASE case_id WHEN 'km_heart_counting' THEN 'heart' ELSE substr(case_id, 4) END AS dataset, *
		FROM km WHERE case_id IN ('km_lung', 'km_veteran', 'km_synth_zero', 'km_synth_plateau',
			'km_heart_counting', 'km_synth_delayed')) k
	ON k.dataset = c.dataset AND k.time = c.time;

CREATE TEMP TABLE medians AS
SELECT m.*, median_ci(s.s, m.conf_int, m.conf_type) AS got
FROM kmm m JOIN summ s ON s.dataset = CASE m.case_id WHEN 'km_heart_counting' THEN 'heart'
	ELSE substr(m.case_id, 4) END;

-- stored per-group summaries, as a dashboard keeps them
CREATE TEMP TABLE grp_summ AS
SELECT dataset, grp, CASE WHEN bool_and(entry IS NULL) THEN tenure_survival(exit, event)
	ELSE tenure_survival(coalesce(entry, '-1e300'), exit, event) END AS s
FROM ds GROUP BY dataset, grp;

CREATE FUNCTION pg_temp.lr_ok(dataset text, case_id text, rho float8) RETURNS boolean
LANGUAGE sql AS $$
	WITH t AS (SELECT (CASE WHEN rho IS NULL THEN logrank_test(grp, s)
			ELSE logrank_test(grp, s, rho) END).* FROM grp_summ g WHERE g.dataset = $1),
	r AS (SELECT array_agg(grp ORDER BY grp) AS names, array_agg(observed ORDER BY grp) AS o,
			array_agg(expected ORDER BY grp) AS e, min(chisq) AS chisq, min(df) AS df, min(p) AS p
		FROM lr WHERE lr.case_id = $2)
	SELECT t.group_names = r.names AND pg_temp.near(t.chisq, r.chisq) AND t.df = r.df
		AND pg_temp.near(t.p_value, r.p) AND t.groups = cardinality(r.names)
		AND (SELECT bool_and(pg_temp.near(a, b)) FROM unnest(t.observed, r.o) u(a, b))
		AND (SELECT bool_and(pg_temp.near(a, b)) FROM unnest(t.expected, r.e) u(a, b))
	FROM t, r $$;

-- spells, observed from 2022-01-01, seen at 2024-07-01
CREATE TEMP TABLE spells AS
SELECT i, daterange(('2018-01-01'::date + (i * 37 % 2200)),
	CASE WHEN i % 3 = 0 THEN NULL ELSE '2018-01-01'::date + (i * 37 % 2200) + 1 + (i * 53 % 900) END) AS spell
FROM generate_series(1, 3000) i;

CREATE FUNCTION pg_temp.plan_of(q text) RETURNS SETOF text LANGUAGE plpgsql AS
$$ DECLARE l text; BEGIN FOR l IN EXECUTE 'EXPLAIN ' || q LOOP RETURN NEXT l; END LOOP; END $$;

BEGIN;
SELECT plan(45);

-- curves
SELECT is((SELECT count(*) FROM curve_check WHERE ok IS NOT TRUE), 0::bigint,
	'survival_curve: every row of lung, veteran, events at 0, a plateau, heart (counting process) and delayed entry as R (1e-9), 3 interval types at 95% and 90%');
SELECT cmp_ok((SELECT count(*) FROM curve_check WHERE ok), '>', 2000::bigint, 'rows compared');
SELECT is((SELECT count(DISTINCT dataset) FROM curve_check WHERE ok), 6::bigint, 'every case compared');
SELECT is((SELECT count(*) FROM medians WHERE NOT (pg_temp.near((got).median, median)
		AND pg_temp.near((got).ci_low, lower) AND pg_temp.near((got).ci_high, upper))
		AND case_id IN ('km_lung', 'km_veteran', 'km_synth_zero', 'km_synth_plateau',
			'km_heart_counting', 'km_synth_delayed')), 0::bigint,
	'median_ci: median and interval as print(survfit) for every case, type and level');
SELECT is((SELECT count(*) FROM medians), 36::bigint, 'medians compared');
SELECT is((SELECT median_time(s) FROM summ WHERE dataset = 'synth_plateau'), 6.5::float8,
	'median_time: S = 0.5 exactly from 5 until the event at 8: the midpoint 6.5, as R');
SELECT is((SELECT median_ci(s) FROM summ WHERE dataset = 'lung'),
	(SELECT row(median, lower, upper)::survival_median FROM kmm WHERE case_id = 'km_lung'
		AND conf_type = 'log-log' AND conf_int = 0.95), 'median_ci defaults: 95%, log-log');
SELECT is((SELECT survival_at_time(s, 11.5) FROM summ WHERE dataset = 'lung'),
	(SELECT surv FROM km WHERE case_id = 'km_lung' AND time = 11), 'survival_at_time between event times');
SELECT is((SELECT survival_at_time(s, 0) FROM summ WHERE dataset = 'synth_zero'),
	(SELECT surv FROM km WHERE case_id = 'km_synth_zero' AND time = 0), 'events at duration 0 count, as in R');
SELECT cmp_ok((SELECT survival_at_time(s, 0) FROM summ WHERE dataset = 'synth_zero'), '<', 1::float8,
	'S(0) < 1 when there are events at 0');

-- log-rank
SELECT ok(pg_temp.lr_ok('lung', 'logrank_lung_sex_rho0', NULL), 'logrank_test: lung by sex as survdiff');
SELECT ok(pg_temp.lr_ok('lung', 'logrank_lung_sex_rho1', 1), 'logrank_test rho 1: lung by sex as survdiff(rho = 1)');
SELECT ok(pg_temp.lr_ok('veteran', 'logrank_veteran_celltype_rho0', 0), 'veteran, four cell types');
SELECT ok(pg_temp.lr_ok('veteran', 'logrank_veteran_celltype_rho1', 1), 'veteran, four cell types, rho 1');
SELECT ok(pg_temp.lr_ok('synth_zero', 'logrank_synth_zero_group_rho0', NULL), 'events at 0');
SELECT ok(pg_temp.lr_ok('synth_delayed', 'logrank_synth_delayed_group_coxph_exact', NULL),
	'delayed entry: the exact-ties coxph score test');
SELECT ok(pg_temp.lr_ok('heart', 'logrank_heart_surgery_coxph_exact', NULL),
	'heart (counting process) by surgery: the exact-ties coxph score test');
SELECT is((SELECT round((logrank_test(grp, s)).chisq::numeric, 10) FROM grp_summ WHERE dataset = 'lung'),
	10.3267419549, 'lung: 10.3267419549, the coxph(ties = "exact") score statistic');
SELECT is((SELECT logrank_test(g, s) FROM (SELECT grp || '', s FROM grp_summ WHERE dataset = 'lung'
		UNION ALL SELECT NULL, s FROM grp_summ WHERE dataset = 'lung' UNION ALL SELECT 'x', NULL) t(g, s)),
	(SELECT logrank_test(grp, s) FROM grp_summ WHERE dataset = 'lung'),
	'rows with a NULL group or summary are skipped');
SELECT is((SELECT logrank_test(grp, s) FROM (SELECT grp, tenure_survival(exit, event) FROM ds
		WHERE dataset = 'lung' GROUP BY grp, exit::int % 7) t(grp, s)),
	(SELECT logrank_test(grp, s) FROM grp_summ WHERE dataset = 'lung'),
	'several summaries of one group merge as in rollup');
SELECT is((SELECT logrank_test(grp, s) FROM grp_summ WHERE false), NULL, 'no rows: NULL');
SELECT is((SELECT row(t.groups, t.chisq, t.df, t.p_value, t.group_names, t.observed)::text
	FROM (SELECT (logrank_test('only', s)).* FROM summ WHERE dataset = 'lung') t),
	'(1,0,0,,{only},{165})', 'one group: nothing to test, p NULL');

-- microsecond times 190 years apart from the first, adjacent to each other:
-- by hand (A leaves at the two, B at 1 day): at 1 day 3 at risk, E_A = 2/3,
-- V = 2/9; then A alone: E_A = 1 and 1, no variance.  O_A = 2, E_A = 8/3:
-- chisq = (2/3)^2 / (2/9) = 2
SELECT is((SELECT round((logrank_test(g, s)).chisq::numeric, 12) FROM (VALUES
	('a', '{"version":2,"unit":"microsecond","entries":[[6000000000000000000,1,0,0],[6000000000000000001,1,0,0]]}'::survival),
	('b', '{"version":2,"unit":"microsecond","entries":[[86400000000,1,0,0]]}')) v(g, s)), 2.000000000000,
	'logrank_test: times that differ by a microsecond far out stay distinct');

-- spells observed from a date, against (entry, exit] computed here
SELECT is((SELECT count(*) FROM
	(SELECT * FROM survival_curve((SELECT tenure_survival(spell, '2024-07-01'::date, '2022-01-01'::date)
		FROM spells), 0.95, 'log')) a
	FULL JOIN
	(SELECT * FROM survival_curve((SELECT tenure_survival(
			CASE WHEN lower(spell) < '2022-01-01' THEN ('2022-01-01'::date - lower(spell))::float8 ELSE -1 END,
			(CASE WHEN upper(spell) <= '2024-07-01' THEN upper(spell) ELSE '2024-07-01' END - lower(spell))::float8,
			coalesce(upper(spell) <= '2024-07-01', false))
		FROM spells WHERE lower(spell) <= '2024-07-01'
			AND (upper(spell) IS NULL OR upper(spell) > '2022-01-01')), 0.95, 'log')) b
	USING (time)
	WHERE row(a.at_risk, a.events, a.censored, a.survival, a.std_err, a.ci_low, a.ci_high)
		IS DISTINCT FROM row(b.at_risk, b.events, b.censored, b.survival, b.std_err, b.ci_low, b.ci_high)),
	0::bigint,
	'tenure_survival(spell, as_of, observed_from): the curve of the same spells as (entry, exit] in days, row for row');
SELECT cmp_ok((SELECT count(*) FROM spells WHERE lower(spell) < '2022-01-01'
		AND (upper(spell) IS NULL OR upper(spell) > '2022-01-01')), '>', 500::bigint,
	'many spells are left-truncated');
SELECT is((SELECT tenure_survival(tstzrange(lower(spell)::timestamptz, upper(spell)::timestamptz),
		'2024-07-01'::timestamptz, '2022-01-01'::timestamptz) IS NOT NULL FROM spells), true,
	'the tstzrange form builds');
SELECT is((SELECT survival_at_time(tenure_survival(tstzrange(lower(spell)::timestamptz, upper(spell)::timestamptz),
		'2024-07-01'::timestamptz, '2022-01-01'::timestamptz), 400.5) FROM spells),
	(SELECT survival_at_time(tenure_survival(spell, '2024-07-01'::date, '2022-01-01'::date), 400.5) FROM spells),
	'tstzrange spells at midnight agree with date spells, times in days');

-- version 1 values
SELECT is('{"version":1,"unit":"day","entries":[[3,1,0],[7,0,2]]}'::survival::text,
	'{"version":2,"unit":"day","entries":[[3,1,0,0],[7,0,2,0]]}', 'version 1 text reads as version 2');
SELECT ok('{"version":1,"unit":"day","entries":[[3,1,0],[7,0,2]]}'::survival
	= '{"version":2,"unit":"day","entries":[[3,1,0,0],[7,0,2,0]]}'::survival, 'and equals it');
-- parallel plans agree with serial ones
CREATE TABLE surv11_tap_rows AS
SELECT i % 5 AS g, (i * 7919 % 20011)::float8 / 100 AS d, i % 3 <> 0 AS e,
	(i * 104729 % 4001)::float8 / 100 AS en
FROM generate_series(1::int8, 40000) i;
ANALYZE surv11_tap_rows;
CREATE TEMP TABLE serial_res AS
SELECT tenure_survival(d, e) AS a, tenure_survival(en - 50, d + 1, e) AS b,
	(SELECT logrank_test(g::text, s) FROM (SELECT g, tenure_survival(d, e) s FROM surv11_tap_rows GROUP BY g) x) AS c
FROM surv11_tap_rows;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT ok((SELECT bool_or(line LIKE '%Partial Aggregate%') FROM pg_temp.plan_of(
	'SELECT tenure_survival(d, e), tenure_survival(en - 50, d + 1, e) FROM surv11_tap_rows') line),
	'the plan is parallel');
SELECT is((SELECT row(tenure_survival(d, e), tenure_survival(en - 50, d + 1, e))::text FROM surv11_tap_rows),
	(SELECT row(a, b)::text FROM serial_res), 'parallel plans: the same summaries');
SELECT is((SELECT logrank_test(g::text, s)::text FROM (SELECT g, tenure_survival(d, e) s FROM surv11_tap_rows GROUP BY g) x),
	(SELECT c::text FROM serial_res), 'parallel plans: the same log-rank test');

-- errors, each with its SQLSTATE; the session goes on
SELECT throws_ok($$SELECT tenure_survival(-1, true)$$, '22023', NULL, 'a negative duration');
SELECT throws_ok($$SELECT tenure_survival('NaN'::float8, true)$$, '22023', NULL, 'a NaN duration');
SELECT throws_ok($$SELECT tenure_survival(2, 2, true)$$, '22023', NULL, 'entry not before exit');
SELECT throws_ok($$SELECT tenure_survival(1, 'Infinity', true)$$, '22023', NULL, 'an infinite exit');
SELECT throws_ok($$SELECT tenure_survival(daterange('2020-01-01', NULL), '2024-01-01'::date, '2024-02-01'::date)$$,
	'22023', NULL, 'observed_from after as_of');
SELECT throws_ok($$SELECT tenure_survival(daterange('2020-01-01', NULL), '2024-01-01'::date, '-infinity'::date)$$,
	'22023', NULL, 'an infinite observed_from');
SELECT throws_ok($$SELECT survival_curve(tenure_survival(1, true), 0.95, 'loglog')$$, '22023', NULL,
	'an unknown conf_type');
SELECT throws_ok($$SELECT median_ci(tenure_survival(1, true), 1.5)$$, '22023', NULL, 'a confidence out of range');
SELECT throws_ok($$SELECT survival_at(tenure_survival(1, true), '1 day')$$, '22023', NULL,
	'an interval accessor on a summary of plain numbers');
SELECT throws_ok($$SELECT logrank_test(g, s, -1) FROM (VALUES ('a', '{"version":2,"unit":"day","entries":[[1,1,0,0]]}'::survival)) v(g, s)$$,
	'22023', NULL, 'a negative rho');
SELECT throws_ok($$SELECT logrank_test(g, s) FROM (VALUES ('a', '{"version":2,"unit":"number","entries":[[1,1,0,0]]}'::survival),
	('b', '{"version":2,"unit":"day","entries":[[1,1,0,0]]}'::survival)) v(g, s)$$,
	'22023', NULL, 'summaries in different units');
SELECT throws_ok($$SELECT '{"version":2,"unit":"day","entries":[[1,1,0,0],[2,0,0,1]]}'::survival$$,
	'22P02', NULL, 'entered counts that do not fit the exits');
SELECT is((SELECT median_time(tenure_survival(1, false))), NULL, 'no events: no median; the session goes on');

SELECT * FROM finish();
ROLLBACK;

--
-- tenure_survival, rollup(survival) and the accessors: a Kaplan-Meier table
-- a reader can check by hand, NULLs, errors, round trips, parallel plans
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS peoplefirst;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';

-- The team of sql/spell.sql seen on 2024-04-01.  Ended spells are events at
-- their length b - a, the others are censored at as_of - a:
--   Jon  [2024-04-01,)            censored at 0 (starts on as_of)
--   Ida  [2024-03-31,2024-04-01)  event at 1
--   Gus  [2024-02-01,2024-03-01)  event at 29
--   Fay  [2024-01-01,)            censored at 91
--   Eve  [2023-01-01,2024-01-02)  event at 366
--   Cat  [2022-03-01,)            censored at 762
--   Bob  [2021-06-01,)            censored at 1035
--   Ann  [2020-01-01,)            censored at 1552
--   Dan  [2019-01-01,2024-01-01)  event at 1826
--   Hal  [2018-01-01,2024-04-01)  event at 2282
--   Max  [2024-05-01,)            starts after as_of: skipped
-- Kaplan-Meier: S(1) = 8/9, S(29) = 7/9, S(366) = 7/9 * 5/6 = 35/54,
-- S(1826) = 35/108, S(2282) = 0.  Median: 1826 days (first S <= 0.5).
CREATE TABLE team (name text, employment daterange);
INSERT INTO team VALUES
  ('Ann', '[2020-01-01,)'), ('Bob', '[2021-06-01,)'), ('Cat', '[2022-03-01,)'),
  ('Dan', '[2019-01-01,2024-01-01)'), ('Eve', '[2023-01-01,2024-01-02)'),
  ('Fay', '[2024-01-01,)'), ('Gus', '[2024-02-01,2024-03-01)'),
  ('Hal', '[2018-01-01,2024-04-01)'), ('Ida', '[2024-03-31,2024-04-01)'),
  ('Jon', '[2024-04-01,)'), ('Max', '[2024-05-01,)'),
  ('Kim', 'empty'), ('Lea', NULL);

SELECT tenure_survival(employment, '2024-04-01') FROM team;

-- Spells of every shape at as_of 2024-04-01, stored (a 1-byte header) and
-- computed (a 4-byte one): an upper bound of 'infinity' is ongoing,
-- censored at 91 days (31 + 29 + 31); [2024-03-01,2024-03-11) an event at
-- 10; [2024-03-21,2024-03-31] ends on the 31st, an event at 11 days.
CREATE TEMP TABLE shapes (s daterange);
INSERT INTO shapes VALUES ('[2024-01-01,infinity)'), ('[2024-03-01,2024-03-11)'),
  ('[2024-03-21,2024-03-31]');
SELECT tenure_survival(s, '2024-04-01') FROM shapes;
SELECT tenure_survival(daterange(lower(s), upper(s)), '2024-04-01') FROM shapes;
SELECT tenure_survival(s, '2024-04-01') FROM shapes, generate_series(1, 70000) i;

-- The log-log interval at 1 day, by hand: Greenwood sum d/(n(n-d)) = 1/72,
-- se = sqrt(1/72) / |ln(8/9)| = 0.117851 / 0.117783 = 1.000578,
-- k = exp(1.959964 * 1.000578) = 7.10669; low = (8/9)^k = 0.432965,
-- high = (8/9)^(1/k) = 0.983564.  No interval where S is 1 or 0.
SELECT tenure, at_risk, events, censored, round(survival::numeric, 6) AS survival,
       round(ci_low::numeric, 6) AS ci_low, round(ci_high::numeric, 6) AS ci_high
FROM (SELECT tenure_survival(employment, '2024-04-01') AS s FROM team) t,
     survival_curve(s);

SELECT abs(survival_at(s, '1 day') - 8.0/9) < 1e-15 AS s1,
       abs(survival_at(s, '28 days') - 8.0/9) < 1e-15 AS s28,
       abs(survival_at(s, '29 days') - 7.0/9) < 1e-15 AS s29,
       abs(survival_at(s, '400 days') - 35.0/54) < 1e-15 AS s400,
       abs(survival_at(s, '1826 days') - 35.0/108) < 1e-15 AS s1826,
       survival_at(s, '10 years') AS s_10_years,
       survival_at(s, '0 days') AS s0,
       survival_at(s, '-1 day') AS s_negative,
       survival_at(s, '29 days 23:59:59') = survival_at(s, '29 days') AS rounds_down,
       median_tenure(s)
FROM (SELECT tenure_survival(employment, '2024-04-01') AS s FROM team) t;

-- the interval's level: 90% is narrower than 95%
SELECT bool_and(c90.ci_low >= c95.ci_low AND c90.ci_high <= c95.ci_high) AS narrower
FROM (SELECT tenure_survival(employment, '2024-04-01') AS s FROM team) t,
     survival_curve(s, 0.95) c95 JOIN survival_curve(s, 0.9) c90 USING (tenure);

-- timestamp spells: microsecond units, the same curve
SELECT tenure, at_risk, events, censored, round(survival::numeric, 6) AS survival
FROM (SELECT tenure_survival(tstzrange(lower(employment)::timestamptz, upper(employment)::timestamptz),
                             '2024-04-01 00:00'::timestamptz) AS s
      FROM team WHERE NOT isempty(employment)) t,
     survival_curve(s);
SELECT median_tenure(tenure_survival(tstzrange('2024-01-01 00:00', '2024-01-01 01:30'), '2024-01-02'::timestamptz));

-- rollup of departments equals the whole team
SELECT rollup(s)::text = (SELECT tenure_survival(employment, '2024-04-01')::text FROM team) AS rollup_equals_whole
FROM (SELECT left(name, 1) < 'F' AS dept, tenure_survival(employment, '2024-04-01') AS s
      FROM team GROUP BY 1) d;

-- median never reached: NULL; every spell after as_of: an empty summary
SELECT median_tenure(tenure_survival(employment, '2024-04-01')) IS NULL AS no_median
FROM team WHERE name IN ('Ann', 'Bob', 'Ida');
SELECT s, survival_at(s, '100 days'), median_tenure(s), (SELECT count(*) FROM survival_curve(s)) AS rows
FROM (SELECT tenure_survival(employment, '2020-01-01') AS s FROM team WHERE name IN ('Jon', 'Max')) t;

-- NULLs and empty groups
SELECT tenure_survival(employment, '2024-04-01') IS NULL AS empty_group FROM team WHERE false;
SELECT tenure_survival(employment, '2024-04-01') IS NULL AS only_null_or_empty FROM team WHERE name IN ('Kim', 'Lea');
SELECT tenure_survival(employment, NULL) IS NULL AS null_as_of FROM team;
SELECT rollup(s) IS NULL AS rollup_of_null FROM (VALUES (NULL::survival)) v(s);
SELECT survival_at(NULL, '1 day') IS NULL AS strict_at, median_tenure(NULL) IS NULL AS strict_median;

-- text round trip
SELECT s::text::survival::text = s::text AS round_trips
FROM (SELECT tenure_survival(employment, '2024-04-01') AS s FROM team) t;

-- errors
SELECT tenure_survival(employment, 'infinity') FROM team;
SELECT tenure_survival(s, '2024-01-01') FROM (VALUES ('(,2023-01-01)'::daterange)) v(s);
SELECT tenure_survival(s, '2024-01-01') FROM (VALUES ('[2023-01-01,)'::daterange), ('[-infinity,2023-01-01)')) v(s);
SELECT tenure_survival(employment, d) FROM team, (VALUES ('2024-04-01'::date), ('2024-05-01')) v(d);
SELECT rollup(s) FROM (VALUES ('{"version":1,"unit":"day","entries":[[1,1,0]]}'::survival),
                              ('{"version":1,"unit":"microsecond","entries":[[1,1,0]]}')) v(s);
SELECT * FROM survival_curve('{"version":1,"unit":"day","entries":[[1,1,0]]}', 1.5);
SELECT '{"version":1,"unit":"day","entries":[[2,1,0],[1,1,0]]}'::survival;
SELECT '{"version":1,"unit":"day","entries":[[1,-1,0]]}'::survival;
SELECT '{"version":1,"unit":"day","entries":[[1,0,0]]}'::survival;
SELECT '{"version":1,"unit":"week","entries":[]}'::survival;
SELECT '{"version":3,"unit":"day","entries":[]}'::survival;
SELECT '{"version":1,"unit":"day","entries":[[1,1,0]]'::survival;
-- text input errors say what was expected and where (1-based characters);
-- consistent values in a well-formed text are checked after its syntax
SELECT '{"version":1,"unit":"day","entries":[[01,1,0]]}'::survival;
SELECT '{"version":1,"unit":"day","entries":[[1,1,0] [2,1,0]]}'::survival;
SELECT '{"version":1,"unit":"day","entries":[[1,1,0]]} x'::survival;
SELECT '{"version":1,"unit":"day","entries":[[1,1,0],[1,0,1]]}'::survival;
SELECT '{"version":1,"unit":"day","entries":[[-1,1,0]]}'::survival;
SELECT '{"version":1,"unit":"day","entries":[[1,9223372036854775807,0],[2,1,0]]}'::survival;
-- a long input is quoted in part
SELECT ('{"version":1,"unit":"day","entries":[' || string_agg(format('[%s,1,0]', i), ',' ORDER BY i) || ']]')::survival
FROM generate_series(1, 100) i;
-- the session is still usable
SELECT median_tenure(tenure_survival(employment, '2024-04-01')) FROM team;

-- survival_combine called on its own: NULLs skipped, a new value, inputs unchanged
SELECT survival_combine(NULL, NULL) IS NULL AS both_null,
       survival_combine('{"version":1,"unit":"day","entries":[[1,1,0]]}', NULL) AS left_only,
       survival_combine(NULL, '{"version":1,"unit":"day","entries":[[2,0,1]]}') AS right_only;
SELECT survival_combine(a, b) AS merged, a, b
FROM (VALUES ('{"version":1,"unit":"day","entries":[[1,1,0],[3,0,1]]}'::survival,
              '{"version":1,"unit":"day","entries":[[1,2,0],[2,0,1]]}'::survival)) v(a, b);
-- rollup skips NULLs wherever they come
SELECT rollup(s) FROM (VALUES (1, NULL::survival), (2, '{"version":1,"unit":"day","entries":[[5,1,0]]}'),
                              (3, NULL), (4, '{"version":1,"unit":"day","entries":[[1,0,1],[5,0,1]]}')) v(i, s);
-- the transition function works in place, so only its aggregate may call it
SELECT tenure_survival_accum(NULL, '[2024-01-01,2024-02-01)'::daterange, '2024-03-01'::date);

-- as window aggregates: the state goes on growing, its summary read on each row
SELECT name, median_tenure(s) AS running_median, (SELECT count(*) FROM survival_curve(s)) AS durations
FROM (SELECT name, tenure_survival(employment, '2024-04-01') OVER (ORDER BY name) AS s FROM team) t
ORDER BY name;
SELECT dept, rollup(s) OVER (ORDER BY dept) AS running_rollup
FROM (SELECT left(name, 1) < 'F' AS dept, tenure_survival(employment, '2024-04-01') AS s
      FROM team GROUP BY 1) d ORDER BY dept;

-- many groups, hashed and spilling past work_mem: the summaries of a sort
CREATE TABLE many AS
SELECT i % 3000 AS g, daterange('2020-01-01'::date + (i % 977), '2020-01-01'::date + (i % 977) + (i % 400) + 1) AS sp
FROM generate_series(1, 90000) i;
ANALYZE many;
SET work_mem = '64kB';
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT g, tenure_survival(sp, '2021-06-01') FROM many GROUP BY g;
CREATE TEMP TABLE hashed AS SELECT g, tenure_survival(sp, '2021-06-01') AS s FROM many GROUP BY g;
CREATE TEMP TABLE hashed_rollup AS SELECT g % 7 AS h, rollup(s) AS s FROM hashed GROUP BY 1;
RESET enable_sort;
SET enable_hashagg = off;
CREATE TEMP TABLE sorted AS SELECT g, tenure_survival(sp, '2021-06-01') AS s FROM many GROUP BY g;
SELECT count(*) AS groups, bool_and(h.s = s.s) AS hashed_equals_sorted
FROM hashed h JOIN sorted s USING (g);
SELECT count(*) AS rollups, bool_and(h.s = s.s) AS hashed_rollup_equals_sorted
FROM hashed_rollup h JOIN (SELECT g % 7 AS h, rollup(s) AS s FROM sorted GROUP BY 1) s USING (h);
RESET enable_hashagg;
RESET work_mem;
DROP TABLE many;

-- parallel plan equals serial
CREATE TABLE staff AS
SELECT i AS id, i % 4 AS dept,
       daterange('2015-01-01'::date + (i * 37 % 3000), CASE WHEN i % 3 = 0 THEN NULL
                 ELSE '2015-01-01'::date + (i * 37 % 3000) + (i * 53 % 2000) + 1 END) AS employment
FROM generate_series(1, 100000) i;
ANALYZE staff;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_surv AS SELECT tenure_survival(employment, '2022-01-01') AS s FROM staff;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT tenure_survival(employment, '2022-01-01') FROM staff;
SELECT p.s::text = s.s::text AS parallel_equals_serial
FROM (SELECT tenure_survival(employment, '2022-01-01') AS s FROM staff) p, serial_surv s;
CREATE TABLE dept_surv AS
SELECT dept, id % 50 AS part, tenure_survival(employment, '2022-01-01') AS s FROM staff GROUP BY 1, 2;
ANALYZE dept_surv;
EXPLAIN (COSTS OFF) SELECT rollup(s) FROM dept_surv;
SELECT (SELECT rollup(s) FROM dept_surv)::text = s::text AS parallel_rollup_equals_serial FROM serial_surv s;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE staff, dept_surv, team;

-- equality and a consistent order: DISTINCT, GROUP BY, UNION, sorting, joins
CREATE TABLE surv_eq AS
SELECT g, tenure_survival(sp, '2024-12-31') AS s
FROM (VALUES (1, '[2024-01-01,2024-03-01)'::daterange), (1, '[2024-02-01,)'),
             (2, '[2024-02-01,)'), (2, '[2024-01-01,2024-03-01)'),
             (3, '[2024-01-01,2024-04-01)'), (3, '[2024-02-01,)')) v(g, sp)
GROUP BY g;
SELECT a.g, b.g AS h, a.s = b.s AS eq, a.s <> b.s AS ne, a.s < b.s AS lt, a.s <= b.s AS le,
       a.s > b.s AS gt, a.s >= b.s AS ge, survival_cmp(a.s, b.s) AS cmp,
       survival_hash(a.s) = survival_hash(b.s) AS same_hash
FROM surv_eq a, surv_eq b ORDER BY 1, 2;
SELECT count(DISTINCT s) AS distinct_values, (SELECT count(*) FROM (SELECT s FROM surv_eq GROUP BY s) x) AS groups,
       (SELECT count(*) FROM (SELECT s FROM surv_eq UNION SELECT s FROM surv_eq) u) AS union_rows
FROM surv_eq;
-- a longer summary sorts after a shorter one; equal bytes, equal values
SELECT '{"version":1,"unit":"day","entries":[[1,1,0]]}'::survival < '{"version":1,"unit":"day","entries":[[1,1,0],[2,1,0]]}'::survival AS shorter_first,
       '{"version":1,"unit":"day","entries":[[1,1,0]]}'::survival = '{"version":1, "unit":"day", "entries":[[1,1,0]]}'::survival AS same_value;
SELECT bool_and(survival_cmp(a.s, b.s) = -survival_cmp(b.s, a.s)) AS antisymmetric,
       bool_and((survival_cmp(a.s, b.s) = 0) = (a.s = b.s)) AS consistent
FROM surv_eq a, surv_eq b;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM surv_eq a JOIN surv_eq b ON a.s = b.s;
SELECT count(*) AS hash_join_pairs FROM surv_eq a JOIN surv_eq b ON a.s = b.s;
RESET enable_mergejoin;
RESET enable_nestloop;
CREATE INDEX ON surv_eq (s);
CREATE INDEX ON surv_eq USING hash (s);
SELECT (survival_hash_extended(s, 0) & 4294967295) = (survival_hash(s)::int8 & 4294967295) AS seed0_agrees,
       survival_hash_extended(s, 0) <> survival_hash_extended(s, 1) AS seed_changes_hash
FROM surv_eq WHERE g = 1;
DROP TABLE surv_eq;

-- 1.1: delayed entry by hand.  Subjects at risk on (entry, exit]:
-- (start, 2] event, (1, 3] event, (2.5, 4] censored, (0, 0.5] event.
-- At 0.5 two are at risk (the first and the last; the second enters at 1):
-- S = 1/2.  At 2: the first and the second, S = 1/4.  At 3: the second
-- and the third, S = 1/8.  At 4: the third, censored.  Times where
-- subjects only enter give no row.
CREATE TEMP TABLE delayed (entry float8, exit float8, event boolean);
INSERT INTO delayed VALUES ('-Infinity', 2, true), (1, 3, true), (2.5, 4, false), (0, 0.5, true);
SELECT tenure_survival(entry, exit, event) FROM delayed WHERE entry > '-Infinity';
SELECT rollup(s) FROM (SELECT tenure_survival(exit, event) FROM delayed WHERE entry = '-Infinity'
	UNION ALL SELECT tenure_survival(entry, exit, event) FROM delayed WHERE entry > '-Infinity') t(s);
SELECT time, tenure, at_risk, events, censored, survival
FROM survival_curve((SELECT rollup(s) FROM (SELECT tenure_survival(exit, event) FROM delayed WHERE entry = '-Infinity'
	UNION ALL SELECT tenure_survival(entry, exit, event) FROM delayed WHERE entry > '-Infinity') t(s)), 0.95, 'log');
-- the median as R: S is exactly 1/2 from 1 until the event at 3: the
-- midpoint, 2 (median_tenure, for spells, keeps the plateau's start)
SELECT median_time(tenure_survival(d, e)), survival_at_time(tenure_survival(d, e), 2.9)
FROM (VALUES (0.0::float8, true), (1, true), (2.5, false), (3, true)) v(d, e);
-- the same with date spells: S = 1/2 from day 1 to day 3
SELECT median_tenure(s), median_time(s) FROM (SELECT tenure_survival(daterange('2024-01-01'::date, '2024-01-01'::date + d), '2024-12-31'::date) AS s
	FROM (VALUES (1), (1), (3), (3)) v(d)) t;
-- log-rank by hand: A leaves at 1 and 3, B at 2 and is censored at 4.
-- At 1: 4 at risk (2 A), E_A = 1/2, V = 1 * 3/3 * 1/2 * 1/2 = 1/4.  At 2: 3
-- at risk (1 A), E_A = 1/3, V = 1 * 2/2 * 1/3 * 2/3 = 2/9.  At 3: 2 at risk
-- (1 A), E_A = 1/2, V = 1/4.  O_A = 2, E_A = 4/3, V = 13/18: chisq =
-- (2/3)^2 / (13/18) = 8/13 = 0.6153846..., p = erfc(sqrt(4/13)) = 0.432768...
SELECT (l).groups, round((l).chisq::numeric, 12) AS chisq, (l).df, round((l).p_value::numeric, 5) AS p,
	(l).group_names, (l).observed, array(SELECT round(x::numeric, 12) FROM unnest((l).expected) x) AS expected
FROM (SELECT logrank_test(g, s) AS l FROM (
	SELECT 'A', tenure_survival(d, e) FROM (VALUES (1.0::float8, true), (3, true)) v(d, e)
	UNION ALL SELECT 'B', tenure_survival(d, e) FROM (VALUES (2.0::float8, true), (4, false)) v(d, e)) t(g, s)) q;
-- errors
SELECT tenure_survival(d, true) FROM (VALUES (-1.0::float8)) v(d);
SELECT tenure_survival(2, 2, true);
SELECT survival_at(tenure_survival(1, true), '1 day');
SELECT median_ci(tenure_survival(1, true), 0.95, 'logit');

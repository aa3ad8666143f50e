--
-- spell_stats, turnover_rate, churn_rate, retention_rate: a worked example
-- a reader can check by hand, boundary cases, NULLs, errors, parallel plans
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS peoplefirst;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';

-- A team of ten over the first quarter of 2024, [2024-01-01, 2024-04-01):
-- 91 days (31 + 29 + 31).  A spell [a, b) covers the days a .. b-1.
CREATE TABLE team (name text, employment daterange, voluntary boolean);
INSERT INTO team VALUES
  ('Ann', '[2020-01-01,)', NULL),            -- there all quarter: 91 days
  ('Bob', '[2021-06-01,)', NULL),            -- 91
  ('Cat', '[2022-03-01,)', NULL),            -- 91
  ('Dan', '[2019-01-01,2024-01-01)', true),  -- left Dec 31, before the quarter: 0
  ('Eve', '[2023-01-01,2024-01-02)', true),  -- last day Jan 1, the first day: 1
  ('Fay', '[2024-01-01,)', NULL),            -- hired on the first day: 91
  ('Gus', '[2024-02-01,2024-03-01)', false), -- hired Feb 1, last day Feb 29: 29
  ('Hal', '[2018-01-01,2024-04-01)', true),  -- last day Mar 31, the last day: 91
  ('Ida', '[2024-03-31,2024-04-01)', NULL),  -- a one-day spell on the last day: 1
  ('Jon', '[2024-04-01,)', NULL),            -- hired after the quarter: 0
  ('Kim', 'empty', NULL),                    -- zero-length: skipped
  ('Lea', NULL, NULL);                       -- unknown: skipped
-- active_start (Jan 1): Ann Bob Cat Eve Fay Hal = 6
-- active_end (Mar 31): Ann Bob Cat Fay Hal Ida = 6
-- starts: Fay Gus Ida = 3; ends: Eve Gus Hal Ida = 4, voluntary Eve Hal = 2
-- ends_from_start: Eve Hal = 2
-- avg_active = (3*91 + 1 + 91 + 29 + 91 + 1) / 91 = 486/91 = 5.34065934065934
-- turnover_rate = 4 / (486/91) = 364/486 = 0.748971193415638
-- annualized = 0.748971193415638 * 365.2425 / 91 = 3.00611111111111
-- churn_rate = 2/6 = 0.333333333333333, retention_rate = 4/6
SELECT (spell_stats(employment, '[2024-01-01,2024-04-01)', voluntary)).*
FROM team;

SELECT abs(avg_active - 486.0/91) < 1e-14 AS avg_active_ok,
       abs(turnover_rate - 364.0/486) < 1e-14 AS turnover_ok,
       abs(annualized_turnover_rate - 4 * 365.2425 / 486) < 1e-14 AS annualized_ok,
       abs(churn_rate - 1.0/3) < 1e-15 AS churn_ok,
       abs(retention_rate - 2.0/3) < 1e-15 AS retention_ok
FROM (SELECT (spell_stats(employment, '[2024-01-01,2024-04-01)', voluntary)).* FROM team) s;

-- without the voluntary argument ends_voluntary is NULL
SELECT (spell_stats(employment, '[2024-01-01,2024-04-01)')).ends_voluntary IS NULL AS no_voluntary
FROM team;

-- the convenience aggregates agree
SELECT turnover_rate(employment, '[2024-01-01,2024-04-01)') AS turnover,
       churn_rate(employment, '[2024-01-01,2024-04-01)') AS churn,
       retention_rate(employment, '[2024-01-01,2024-04-01)') AS retention
FROM team;

-- the same team as timestamp spells: microsecond units, the same rates
SELECT abs(turnover_rate - 364.0/486) < 1e-12 AS turnover_ok,
       abs(annualized_turnover_rate - 4 * 365.2425 / 486) < 1e-12 AS annualized_ok,
       active_start, active_end, starts, ends, ends_voluntary, ends_from_start
FROM (SELECT (spell_stats(tstzrange(lower(employment)::timestamptz, upper(employment)::timestamptz),
                          tstzrange('2024-01-01', '2024-04-01'), voluntary)).*
      FROM team WHERE NOT isempty(employment)) s;

-- bounds as written: (a, b] dates are canonicalized to [a+1, b+1)
SELECT (spell_stats(daterange('2023-12-31', '2024-01-31', '(]'), '[2024-01-01,2024-04-01)')).starts AS starts_jan_1;
-- tstzrange bounds: (a, b] is [a + 1 microsecond, b + 1 microsecond)
SELECT (spell_stats(tstzrange('2024-01-01 00:00', '2024-01-01 12:00', '(]'),
                    tstzrange('2024-01-01 00:00', '2024-01-01 12:00'))).*;

-- monthly turnover, one query: Jan 1 / (156/31), Feb 1 / (174/29), Mar 2 / (156/31)
SELECT to_char(lower(m), 'Mon') AS month,
       round(turnover_rate(employment, m)::numeric, 4) AS turnover
FROM team,
     LATERAL (SELECT daterange(d::date, (d + interval '1 month')::date) AS m
              FROM generate_series('2024-01-01'::date, '2024-03-01', interval '1 month') d) p
GROUP BY m ORDER BY lower(m);

-- empty groups, only NULL or empty spells, NULL period: NULL; a period
-- no spell touches: zero counts and NULL rates
SELECT spell_stats(employment, '[2024-01-01,2024-04-01)') IS NULL AS empty_group
FROM team WHERE false;
SELECT spell_stats(employment, '[2024-01-01,2024-04-01)') IS NULL AS only_null_or_empty,
       turnover_rate(employment, '[2024-01-01,2024-04-01)') IS NULL AS turnover_null
FROM team WHERE name IN ('Kim', 'Lea');
SELECT spell_stats(employment, NULL) IS NULL AS null_period FROM team;
SELECT (spell_stats(employment, '[1990-01-01,1990-02-01)')).* FROM team;

-- errors
SELECT spell_stats(employment, '[2024-01-01,)') FROM team;
SELECT spell_stats(employment, 'empty') FROM team;
SELECT spell_stats(employment, p)
FROM team, (VALUES ('[2024-01-01,2024-04-01)'::daterange), ('[2024-04-01,2024-07-01)')) v(p);
SELECT spell_stats(s, '[2024-01-01,2024-04-01)') FROM (VALUES ('(,2024-02-01)'::daterange)) v(s);
SELECT spell_stats(s, '[2024-01-01,2024-04-01)') FROM (VALUES ('[-infinity,2024-02-01)'::daterange)) v(s);
SELECT churn_rate(s, tstzrange('2024-01-01', 'infinity')) FROM (VALUES (tstzrange('2024-01-01', NULL))) v(s);
-- not empty as a range, but without a microsecond in it: empty as well
SELECT churn_rate(s, tstzrange('2024-01-01 00:00', '2024-01-01 00:00:00.000001', '()'))
FROM (VALUES (tstzrange('2024-01-01', NULL))) v(s);
-- the session is still usable
SELECT count(*) FROM team;

-- parallel plan equals serial
CREATE TABLE staff AS
SELECT i AS id,
       daterange('2015-01-01'::date + (i * 37 % 3000), CASE WHEN i % 3 = 0 THEN NULL
                 ELSE '2015-01-01'::date + (i * 37 % 3000) + (i * 53 % 2000) + 1 END) AS employment,
       i % 5 = 0 AS voluntary
FROM generate_series(1, 100000) i;
ANALYZE staff;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_stats AS
SELECT (spell_stats(employment, '[2020-01-01,2021-01-01)', voluntary)).* FROM staff;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF)
SELECT spell_stats(employment, '[2020-01-01,2021-01-01)', voluntary) FROM staff;
SELECT p.active_start = s.active_start AND p.active_end = s.active_end
       AND p.starts = s.starts AND p.ends = s.ends
       AND p.ends_voluntary = s.ends_voluntary AND p.ends_from_start = s.ends_from_start
       AND abs(p.avg_active / s.avg_active - 1) < 1e-12
       AND abs(p.turnover_rate / s.turnover_rate - 1) < 1e-12 AS parallel_equals_serial
FROM (SELECT (spell_stats(employment, '[2020-01-01,2021-01-01)', voluntary)).* FROM staff) p,
     serial_stats s;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE staff;
DROP TABLE team;

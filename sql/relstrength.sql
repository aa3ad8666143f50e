--
-- relstrength: documented examples with values worked out by hand, NULLs,
-- empty groups, errors, and parallel plans
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS peoplefirst;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET extra_float_digits = 0;

-- Two interactions 30 days apart, half-life 30 days.  At the second one:
--   intensity = 1 * 2^(-30/30) + 1 * 2^0 = 0.5 + 1 = 1.5
--   strength  = x / (1 + x), x = ln 2 * 1.5 = 1.039720770839918
--             = 1.039720770839918 / 2.039720770839918 = 0.509736815795517
-- Thirty days later: intensity = 1.5 * 2^-1 = 0.75.
CREATE TABLE calls (account int, at timestamptz, weight float8,
                    sentiment float8, inbound boolean);
INSERT INTO calls VALUES
  (1, '2024-01-01 00:00+00', 1, NULL, NULL),
  (1, '2024-01-31 00:00+00', 1, NULL, NULL);

SELECT strength_agg(at, '30 days') FROM calls WHERE account = 1;

SELECT intensity(r, '2024-01-31') AS intensity_at_second,
       intensity(r, '2024-01-31') = 1.5 AS is_1_5,
       round(strength(r, '2024-01-31')::numeric, 15) AS strength_at_second,
       abs(strength(r, '2024-01-31') - 0.509736815795517) < 1e-15 AS matches_hand_value,
       intensity(r, '2024-03-01') AS intensity_30_days_later,
       interactions(r), first_interaction(r), last_interaction(r),
       tenure(r, '2024-03-01'), recency(r, '2024-03-01'), half_life(r),
       reciprocity(r), sentiment(r)
FROM (SELECT strength_agg(at, '30 days') AS r FROM calls WHERE account = 1) s;

-- Direction and sentiment.  Account 2: three inbound and one outbound call
-- at the same moment, weight 1 each:
--   reciprocity = 1 - |3 - 1| / (3 + 1) = 0.5
-- sentiments 1 (weight 1) and -0.5 (weight 3), the others unknown:
--   sentiment = (1 * 1 + 3 * -0.5) / (1 + 3) = -0.125
INSERT INTO calls VALUES
  (2, '2024-02-01 09:00+00', 1, 1, true),
  (2, '2024-02-01 09:00+00', 3, -0.5, true),
  (2, '2024-02-01 09:00+00', 1, NULL, true),
  (2, '2024-02-01 09:00+00', 1, NULL, false);
-- weights: inbound 1 + 3 + 1 = 5, outbound 1: reciprocity = 1 - 4/6 = 1/3
SELECT reciprocity(r), abs(reciprocity(r) - 1.0/3) < 1e-15 AS is_one_third,
       sentiment(r), sentiment(r) = -0.125 AS is_minus_0_125,
       intensity(r, '2024-02-01 09:00+00') AS intensity_is_6
FROM (SELECT strength_agg(at, '7 days', weight, sentiment, inbound) AS r
      FROM calls WHERE account = 2) s;

-- Decay weights the sentiment mean: sentiment 1 one half-life before
-- sentiment 0, weights 1: (0.5 * 1 + 1 * 0) / (0.5 + 1) = 1/3.
SELECT abs(sentiment(strength_agg(at, '1 hour', 1, s, NULL)) - 1.0/3) < 1e-15 AS is_one_third
FROM (VALUES ('2024-01-01 10:00+00'::timestamptz, 1.0::float8),
             ('2024-01-01 11:00+00', 0.0)) v(at, s);

-- Zero weights count as interactions but add no intensity; a balanced
-- direction gives reciprocity 1, a one-way one 0.
SELECT interactions(r), intensity(r, '2024-01-02'), reciprocity(r), sentiment(r)
FROM (SELECT strength_agg(at, '1 day', 0, 0.5, true) AS r
      FROM (VALUES ('2024-01-01'::timestamptz), ('2024-01-02')) v(at)) s;
SELECT reciprocity(strength_agg(at, '1 day', 1, NULL, i)) AS balanced
FROM (VALUES ('2024-01-01'::timestamptz, true), ('2024-01-01', false)) v(at, i);
SELECT reciprocity(strength_agg(at, '1 day', 1, NULL, true)) AS one_way
FROM (VALUES ('2024-01-01'::timestamptz)) v(at);

-- rollup and + give the summary of the union
SELECT rollup(r)::text = (SELECT strength_agg(at, '30 days')::text FROM calls WHERE account = 1) AS rollup_equals_whole,
       intensity(rollup(r), '2024-01-31') AS intensity
FROM (SELECT strength_agg(at, '30 days') AS r FROM calls WHERE account = 1 GROUP BY at) s;

SELECT intensity(a + b, '2024-01-31') AS intensity_of_sum
FROM (SELECT strength_agg(at, '30 days') FILTER (WHERE at < '2024-01-15') AS a,
             strength_agg(at, '30 days') FILTER (WHERE at > '2024-01-15') AS b
      FROM calls WHERE account = 1) s;

-- equal half-lives written differently combine
SELECT intensity(a + b, '2024-01-02') AS intensity_one_day_half_life
FROM (SELECT '{"version":1,"n":1,"first":"2024-01-01T00:00:00Z","last":"2024-01-01T00:00:00Z","half_life":"P1D","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'::relstrength AS a,
             '{"version":1,"n":1,"first":"2024-01-02T00:00:00Z","last":"2024-01-02T00:00:00Z","half_life":"PT24H","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'::relstrength AS b) s;

-- NULLs: rows with a NULL time, half-life or weight are skipped; a NULL
-- sentiment or direction is unknown; no usable row gives NULL.
SELECT interactions(strength_agg(at, h, w)) AS counted
FROM (VALUES ('2024-01-01'::timestamptz, '1 day'::interval, 1.0::float8),
             (NULL, '1 day', 1.0),
             ('2024-01-02', NULL, 1.0),
             ('2024-01-03', '1 day', NULL)) v(at, h, w);
SELECT strength_agg(at, '1 day') IS NULL AS all_null_is_null
FROM (VALUES (NULL::timestamptz), (NULL)) v(at);
SELECT strength_agg(at, '1 day') IS NULL AS empty_is_null FROM calls WHERE false;
SELECT rollup(r) IS NULL AS rollup_of_nulls_is_null
FROM (VALUES (NULL::relstrength)) v(r);
SELECT intensity(NULL::relstrength, now()) IS NULL AS strict_accessor,
       ((NULL::relstrength) + strength_agg(at, '1 day')) IS NULL AS strict_plus
FROM calls;

-- the widest span timestamptz allows: decay neither overflows nor turns to
-- NaN (intensity = 0 * 2^-huge + 1 * 2^0 = 1); the span exceeds an interval
CREATE TABLE extremes AS
SELECT strength_agg(at, '1 day', w) AS r
FROM (VALUES ('4714-11-24 00:00+00 BC'::timestamptz, 0.0::float8),
             ('294276-12-31 00:00+00', 1.0)) v(at, w);
SELECT interactions(r), intensity(r, '294276-12-31 00:00+00'),
       r::text::relstrength::text = r::text AS round_trips FROM extremes;
SELECT recency(r, '294276-12-31 00:00+00') FROM extremes;
SELECT tenure(r, '294276-12-31 00:00+00') FROM extremes;
DROP TABLE extremes;

-- text round trip, and the text is JSON
SELECT r::text::relstrength::text = r::text AS round_trips,
       (r::text::jsonb) ->> 'half_life' AS half_life_iso8601
FROM (SELECT strength_agg(at, '1 mon 2 days 03:04:05.5', 0.1, 0.3, true) AS r
      FROM calls) s;

-- errors
SELECT strength_agg(at, '1 day') FROM (VALUES ('infinity'::timestamptz)) v(at);
-- the same after a first row has started the summary, either infinity
SELECT strength_agg(at, '1 day')
FROM (VALUES (1, '2024-01-01 00:00+00'::timestamptz), (2, 'infinity')) v(i, at);
SELECT strength_agg(at, '1 day')
FROM (VALUES (1, '2024-01-01 00:00+00'::timestamptz), (2, '-infinity')) v(i, at);
SELECT strength_agg(at, '1 day', -1) FROM calls;
SELECT strength_agg(at, '1 day', 'NaN') FROM calls;
SELECT strength_agg(at, '1 day', 'Infinity') FROM calls;
SELECT strength_agg(at, '1 day', 1, 1.5, NULL) FROM calls;
SELECT strength_agg(at, '1 day', 1, 'NaN', NULL) FROM calls;
SELECT strength_agg(at, '0 days') FROM calls;
SELECT strength_agg(at, '-1 day') FROM calls;
SELECT strength_agg(at, CASE WHEN account = 1 THEN '1 day' ELSE '2 days' END::interval) FROM calls;
SELECT intensity(strength_agg(at, '1 day'), '2023-12-31') FROM calls;
SELECT tenure(strength_agg(at, '1 day'), '-infinity') FROM calls;
SELECT rollup(r) FROM (SELECT strength_agg(at, h) AS r
  FROM calls, (VALUES ('1 day'::interval), ('2 days')) v(h) GROUP BY h) s;
SELECT strength_agg(at, '1 day') + strength_agg(at, '2 days') FROM calls;
-- the session is still usable
SELECT interactions(strength_agg(at, '1 day')) FROM calls;

-- invalid text: syntax (what was expected, at which 1-based character), and
-- well-formed but inconsistent values, in the words of survival's input
SELECT 'not a summary'::relstrength;
SELECT '{"version":1,"n":01,"first":"2024-01-01T00:00:00Z","last":"2024-01-01T00:00:00Z","half_life":"P1D","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'::relstrength;
SELECT '{"version":1,"n":1,"first":"2024-01-01T00:00:00Z","last":"2024-01-01T00:00:00Z","half_life":"1 day","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'::relstrength;
SELECT '{"version":1,"n":1,"first":"2024-01-01T00:00:00Z","last":"2024-01-01T00:00:00Z","half_life":"P1D","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0}'::relstrength;
SELECT '{"version":2,"n":1,"first":"2024-01-01T00:00:00Z","last":"2024-01-01T00:00:00Z","half_life":"P1D","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'::relstrength;
SELECT '{"version":1,"n":-1,"first":"2024-01-01T00:00:00Z","last":"2024-01-01T00:00:00Z","half_life":"P1D","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'::relstrength;
SELECT '{"version":1,"n":2,"first":"2024-01-02T00:00:00Z","last":"2024-01-01T00:00:00Z","half_life":"P1D","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'::relstrength;
SELECT '{"version":1,"n":2,"first":"2024-01-01T00:00:00Z","last":"2024-01-02T00:00:00Z","half_life":"P1D","decayed_weight":NaN,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'::relstrength;
SELECT '{"version":1,"n":2,"first":"2024-01-01T00:00:00Z","last":"2024-01-02T00:00:00Z","half_life":"P1D","decayed_weight":-1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'::relstrength;
SELECT '{"version":1,"n":2,"first":"2024-01-01T00:00:00Z","last":"2024-01-02T00:00:00Z","half_life":"P1D","decayed_weight":1,"inbound_weight":0.75,"outbound_weight":0.75,"sentiment_weight":0,"sentiment_sum":0}'::relstrength;
SELECT '{"version":1,"n":2,"first":"2024-01-01T00:00:00Z","last":"2024-01-02T00:00:00Z","half_life":"P1D","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":2,"sentiment_sum":0}'::relstrength;
SELECT '{"version":1,"n":2,"first":"2024-01-01T00:00:00Z","last":"2024-01-02T00:00:00Z","half_life":"P1D","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0.5,"sentiment_sum":0.6}'::relstrength;
SELECT '{"version":1,"n":2,"first":"2024-01-01T00:00:00Z","last":"2024-01-02T00:00:00Z","half_life":"PT0S","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'::relstrength;
SELECT '{"version":1,"n":1,"first":"2024-02-30T00:00:00Z","last":"2024-02-30T00:00:00Z","half_life":"P1D","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'::relstrength;
SELECT '{"version":1,"n":1,"first":"2024-01-01T00:00:00Z","last":"2024-01-01T00:00:00Z","half_life":"P1D","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0} x'::relstrength;

--
-- parallel plans give the serial result
--
CREATE TABLE pf_interactions AS
SELECT i % 50 AS account,
       '2020-01-01 00:00+00'::timestamptz + (i * 7919 % 1000003) * interval '1 minute' AS at,
       (i % 7)::float8 / 2 AS weight,
       CASE WHEN i % 3 = 0 THEN NULL ELSE ((i % 21) - 10) / 10.0 END AS sentiment,
       CASE WHEN i % 4 = 0 THEN NULL ELSE i % 4 = 1 END AS inbound
FROM generate_series(1, 200000) i;
ANALYZE pf_interactions;

SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_result AS
SELECT account, strength_agg(at, '30 days', weight, sentiment, inbound) AS r
FROM pf_interactions GROUP BY account;
CREATE TEMP TABLE serial_total AS
SELECT strength_agg(at, '30 days', weight, sentiment, inbound) AS r FROM pf_interactions;

SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF)
SELECT strength_agg(at, '30 days', weight, sentiment, inbound) FROM pf_interactions;
EXPLAIN (COSTS OFF)
SELECT account, strength_agg(at, '30 days', weight, sentiment, inbound)
FROM pf_interactions GROUP BY account;

-- relative difference of every accessor within 1e-12
SELECT count(*) AS groups,
       bool_and(interactions(p.r) = interactions(s.r)
                AND first_interaction(p.r) = first_interaction(s.r)
                AND last_interaction(p.r) = last_interaction(s.r)
                AND abs(intensity(p.r, '2022-01-01') / intensity(s.r, '2022-01-01') - 1) < 1e-12
                AND abs(reciprocity(p.r) - reciprocity(s.r)) < 1e-12
                AND abs(sentiment(p.r) - sentiment(s.r)) < 1e-12) AS parallel_equals_serial
FROM (SELECT account, strength_agg(at, '30 days', weight, sentiment, inbound) AS r
      FROM pf_interactions GROUP BY account) p
JOIN serial_result s USING (account);

SELECT abs(intensity(p.r, '2022-01-01') / intensity(s.r, '2022-01-01') - 1) < 1e-12 AS total_equal,
       interactions(p.r) = interactions(s.r) AS count_equal
FROM (SELECT strength_agg(at, '30 days', weight, sentiment, inbound) AS r FROM pf_interactions) p,
     serial_total s;

-- rollup of stored monthly summaries, in parallel, equals the whole
CREATE TABLE monthly AS
SELECT account, date_trunc('month', at) AS month,
       strength_agg(at, '30 days', weight, sentiment, inbound) AS r
FROM pf_interactions GROUP BY 1, 2;
ANALYZE monthly;
EXPLAIN (COSTS OFF) SELECT rollup(r) FROM monthly;
SELECT abs(intensity(p.r, '2022-01-01') / intensity(s.r, '2022-01-01') - 1) < 1e-12 AS rollup_equals_whole,
       interactions(p.r) = interactions(s.r) AS count_equal
FROM (SELECT rollup(r) AS r FROM monthly) p, serial_total s;

RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE pf_interactions, monthly;
DROP TABLE calls;

-- equality and a consistent order: DISTINCT, GROUP BY, UNION, sorting, joins
CREATE TABLE rs_eq AS
SELECT g, strength_agg(at, '30 days', w) AS r
FROM (VALUES (1, '2024-01-01'::timestamptz, 1.0::float8), (1, '2024-01-11', 2),
             (2, '2024-01-11', 2), (2, '2024-01-01', 1),
             (3, '2024-01-01', 1), (3, '2024-01-11', 3)) v(g, at, w)
GROUP BY g;
-- groups 1 and 2 saw the same interactions in another order: equal
SELECT a.g, b.g AS h, a.r = b.r AS eq, a.r <> b.r AS ne, a.r < b.r AS lt, a.r <= b.r AS le,
       a.r > b.r AS gt, a.r >= b.r AS ge, relstrength_cmp(a.r, b.r) AS cmp,
       relstrength_hash(a.r) = relstrength_hash(b.r) AS same_hash
FROM rs_eq a, rs_eq b ORDER BY 1, 2;
SELECT count(DISTINCT r) AS distinct_values, (SELECT count(*) FROM (SELECT r FROM rs_eq GROUP BY r) x) AS groups,
       (SELECT count(*) FROM (SELECT r FROM rs_eq UNION SELECT r FROM rs_eq) u) AS union_rows
FROM rs_eq;
-- the order is a total order consistent with equality (antisymmetric)
SELECT bool_and(relstrength_cmp(a.r, b.r) = -relstrength_cmp(b.r, a.r)) AS antisymmetric,
       bool_and((relstrength_cmp(a.r, b.r) = 0) = (a.r = b.r)) AS consistent
FROM rs_eq a, rs_eq b;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM rs_eq a JOIN rs_eq b ON a.r = b.r;
SELECT count(*) AS hash_join_pairs FROM rs_eq a JOIN rs_eq b ON a.r = b.r;
RESET enable_mergejoin;
RESET enable_nestloop;
CREATE INDEX ON rs_eq (r);
CREATE INDEX ON rs_eq USING hash (r);
-- the seeded hash agrees with the plain one at seed 0 (low 32 bits), as hash
-- operator classes require, and another seed gives another hash
SELECT (relstrength_hash_extended(r, 0) & 4294967295) = (relstrength_hash(r)::int8 & 4294967295) AS seed0_agrees,
       relstrength_hash_extended(r, 0) <> relstrength_hash_extended(r, 1) AS seed_changes_hash
FROM rs_eq WHERE g = 1;
SELECT NULL::relstrength = r AS null_eq FROM rs_eq WHERE g = 1;
DROP TABLE rs_eq;

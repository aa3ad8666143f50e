--
-- corr_test, spearman_corr, kendall_tau, partial_corr, weighted_corr,
-- risk_ratio, nps and nps_stats: worked examples, edge cases, errors,
-- parallel plans
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS peoplefirst;
RESET client_min_messages;
SET extra_float_digits = 0;

-- Five branches: turnover x and churn y.
--   x = 1 2 3 4 5, y = 2 3 5 4 6; deviations dx = -2 -1 0 1 2, dy = -2 -1 1 0 2
--   Pearson r = sum dx dy / sqrt(sum dx^2 sum dy^2) = 9 / sqrt(10 * 10) = 0.9
--   t = 0.9 sqrt(3 / 0.19) = 3.5762, two-sided p with 3 df = 0.0373861
--   Fisher z: atanh 0.9 = 1.47222 +- 1.959964 / sqrt(2) -> tanh: 0.0861, 0.9934
--   Spearman: the ranks equal the values but for y's 5 and 4 swapped: 0.9
--   Kendall: 10 pairs, one discordant (3,5)-(4,4): tau = (9 - 1) / 10 = 0.8;
--   exact p = 2 * (1 + 4) / 5! = 0.0833333 (orders with at most one inversion)
CREATE TABLE branches (branch int, turnover float8, churn float8, size float8, customers float8);
INSERT INTO branches VALUES (1, 1, 2, 10, 100), (2, 2, 3, 12, 150), (3, 3, 5, 15, 120),
                            (4, 4, 4, 20, 300), (5, 5, 6, 22, 250);

SELECT (corr_test(turnover, churn)).* FROM branches;
SELECT (corr_test(turnover, churn, 'spearman')).* FROM branches;
SELECT (corr_test(turnover, churn, 'kendall')).* FROM branches;
SELECT (corr_test(turnover, churn, 'pearson', 0.9)).* FROM branches;
SELECT spearman_corr(turnover, churn), kendall_tau(turnover, churn),
       corr(turnover, churn) AS builtin_corr FROM branches;

SELECT abs(r - 0.9) < 1e-15 AS r_ok, abs(p_value - 0.0373860734685) < 1e-12 AS p_ok,
       round(ci_low::numeric, 4) AS ci_low, round(ci_high::numeric, 4) AS ci_high
FROM (SELECT (corr_test(turnover, churn)).* FROM branches) c;
SELECT abs(r - 0.8) < 1e-15 AS tau_ok, abs(p_value - 10.0 / 120) < 1e-15 AS exact_p_ok
FROM (SELECT (corr_test(turnover, churn, 'kendall')).* FROM branches) c;

-- partial correlation controlling for branch size, and weighted by customers
SELECT (partial_corr(turnover, churn, size)).* FROM branches;
SELECT weighted_corr(turnover, churn, customers) FROM branches;
-- equal weights give Pearson's r
SELECT abs(weighted_corr(turnover, churn, 3) - 0.9) < 1e-15 AS equal_weights_is_pearson FROM branches;

-- ties: Spearman averages tied ranks, Kendall is tau-b
--   x = 1 1 2 2, y = 1 2 3 4: ranks of x 1.5 1.5 3.5 3.5, Spearman = 0.894427
--   Kendall: concordant 4, discordant 0, ties in x 2 pairs:
--   tau-b = 4 / sqrt((6 - 2)(6 - 0)) = 0.816497
SELECT round(spearman_corr(x, y)::numeric, 6) AS spearman, round(kendall_tau(x, y)::numeric, 6) AS kendall
FROM (VALUES (1.0::float8, 1.0::float8), (1, 2), (2, 3), (2, 4)) v(x, y);

-- edge cases: no rows, one row, two rows, a constant column, NULLs skipped
SELECT corr_test(x, y) IS NULL AS empty_pearson, corr_test(x, y, 'kendall') IS NULL AS empty_kendall,
       spearman_corr(x, y) IS NULL AS empty_spearman, partial_corr(x, y, x) IS NULL AS empty_partial,
       weighted_corr(x, y, 1) IS NULL AS empty_weighted
FROM (VALUES (1.0::float8, 1.0::float8)) v(x, y) WHERE false;
SELECT (corr_test(x, y)).*, kendall_tau(x, y) FROM (VALUES (1.0::float8, 2.0::float8)) v(x, y);
SELECT (corr_test(x, y)).* FROM (VALUES (1.0::float8, 2.0::float8), (2, 1)) v(x, y);
SELECT (corr_test(x, y, 'spearman')).* FROM (VALUES (1.0::float8, 2.0::float8), (2, 3)) v(x, y);
SELECT (corr_test(x, y)).*, spearman_corr(x, y), kendall_tau(x, y)
FROM (VALUES (1.0::float8, 5.0::float8), (2, 5), (3, 5), (4, 5)) v(x, y);
SELECT (corr_test(x, y, 'kendall')).n AS counted
FROM (VALUES (1.0::float8, 2.0::float8), (NULL, 3), (3, NULL), (4, 1)) v(x, y);
SELECT weighted_corr(x, y, w) IS NULL AS all_zero_weights
FROM (VALUES (1.0::float8, 2.0::float8, 0.0::float8), (2, 3, 0), (3, 1, 0)) v(x, y, w);
-- a perfect rank order: r = 1, p = 0
SELECT (corr_test(x, x * x, 'spearman')).r, (corr_test(x, x * x, 'spearman')).p_value
FROM generate_series(1, 20) x;

-- Departure impact: churn among customers whose primary employee left.
--   exposed 3, 2 churned: 2/3; unexposed 4, 1 churned: 1/4; ratio 8/3
--   Katz: se = sqrt(1/2 - 1/3 + 1/1 - 1/4) = 0.957427,
--   exp(ln(8/3) -+ 1.959964 * 0.957427) = 0.408324, 17.415348
--   Fisher exact, two-sided, [[2, 1], [1, 3]]: 17/35 = 0.485714
SELECT (risk_ratio(left_employee, churned)).*
FROM (VALUES (true, true), (true, true), (true, false),
             (false, true), (false, false), (false, false), (false, false)) v(left_employee, churned);
SELECT abs(p_value - 17.0 / 35) < 1e-15 AS fisher_ok, abs(ratio - 8.0 / 3) < 1e-15 AS ratio_ok
FROM (SELECT (risk_ratio(e, c)).* FROM (VALUES (true, true), (true, true), (true, false),
      (false, true), (false, false), (false, false), (false, false)) v(e, c)) r;
-- no event among the unexposed: no ratio, no interval; NULLs skipped; no row: NULL
SELECT (risk_ratio(e, c)).* FROM (VALUES (true, true), (false, false), (NULL, true), (true, NULL)) v(e, c);
SELECT risk_ratio(e, c) IS NULL AS empty FROM (VALUES (true, true)) v(e, c) WHERE false;

-- NPS: scores 10 9 8 7 6 0 10: promoters 3, passives 2, detractors 2 of 7
--   nps = 100 (3 - 2) / 7 = 14.285714
--   margin = 100 * 1.959964 * sqrt((3/7 + 2/7 - (1/7)^2) / 7) = 61.707861
SELECT nps(score), (nps_stats(score)).* FROM (VALUES (10), (9), (8), (7), (6), (0), (10), (NULL)) v(score);
SELECT nps(score) IS NULL AS empty, nps_stats(score) IS NULL AS empty_stats
FROM (VALUES (10)) v(score) WHERE false;
SELECT nps(score) AS all_promoters FROM (VALUES (9), (10)) v(score);

-- a rolling rank correlation over four quarters: corr_test works as a window
-- function; at q = 4, x = 1 2 3 4 and y = 7 3 10 6 (ranks 3 1 4 2):
-- 1 - 6 * (4 + 1 + 1 + 4) / (4 * 15) = 0
SELECT q, (corr_test(x, y, 'spearman') OVER w).r AS rolling_spearman
FROM (SELECT i AS q, i::float8 AS x, (i * 7 % 11)::float8 AS y FROM generate_series(1, 6) i) v
WINDOW w AS (ORDER BY q ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) ORDER BY q;

-- errors
SELECT corr_test(x, 1) FROM (VALUES ('NaN'::float8)) v(x);
SELECT corr_test(1, y, 'kendall') FROM (VALUES ('Infinity'::float8)) v(y);
SELECT spearman_corr(x, 1) FROM (VALUES ('-Infinity'::float8)) v(x);
SELECT corr_test(turnover, churn, 'pearsn') FROM branches;
SELECT corr_test(turnover, churn, 'pearson', 1) FROM branches;
SELECT corr_test(turnover, churn, 'pearson', 'NaN') FROM branches;
SELECT corr_test(turnover, churn, m) FROM branches, (VALUES ('pearson'::corr_method), ('kendall')) v(m);
-- a method in a text value needs a cast; a label in any other case is not one
SELECT corr_test(turnover, churn, m) FROM branches, (VALUES ('kendall'::text)) v(m);
SELECT corr_test(turnover, churn, m::corr_method) FROM branches, (VALUES ('kendall'::text)) v(m);
SELECT corr_test(turnover, churn, 'Pearson') FROM branches;
SELECT partial_corr(turnover, churn, 'NaN') FROM branches;
SELECT weighted_corr(turnover, churn, -1) FROM branches;
SELECT weighted_corr(turnover, churn, 'Infinity') FROM branches;
SELECT nps(s) FROM (VALUES (11)) v(s);
SELECT nps_stats(s) FROM (VALUES (-1)) v(s);
-- spearman_corr and kendall_tau rank in place, which a window cannot allow
SELECT spearman_corr(turnover, churn) OVER () FROM branches;
-- the session is still usable
SELECT count(*) FROM branches;

-- parallel plans equal serial
CREATE TABLE pairs AS
SELECT i, (i * 7919 % 10007)::float8 AS x, (i::int8 * 104729 % 10009 + i % 13)::float8 AS y,
       (i % 17)::float8 AS z, (i % 5)::float8 AS w, i % 3 = 0 AS exposed, i % 7 < 2 AS event,
       i % 11 AS score
FROM generate_series(1, 60000) i;
ANALYZE pairs;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_corr AS
SELECT corr_test(x, y) AS p, corr_test(x, y, 'spearman') AS s, corr_test(x, y, 'kendall') AS k,
       partial_corr(x, y, z) AS pc, weighted_corr(x, y, w) AS wc, risk_ratio(exposed, event) AS rr,
       nps_stats(score) AS np
FROM pairs;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF)
SELECT corr_test(x, y), corr_test(x, y, 'spearman'), kendall_tau(x, y) FROM pairs;
SELECT abs((p.p).r - (s.p).r) < 1e-12 AND abs((p.p).p_value - (s.p).p_value) < 1e-12 AS pearson,
       abs((p.s).r - (s.s).r) < 1e-12 AND abs((p.s).p_value - (s.s).p_value) < 1e-12 AS spearman,
       abs((p.k).r - (s.k).r) < 1e-12 AND abs((p.k).p_value - (s.k).p_value) < 1e-12 AS kendall,
       abs((p.pc).r - (s.pc).r) < 1e-12 AS partial,
       abs(p.wc - s.wc) < 1e-12 AS weighted,
       p.rr = s.rr AS risk_ratio, p.np = s.np AS nps
FROM (SELECT corr_test(x, y) AS p, corr_test(x, y, 'spearman') AS s, corr_test(x, y, 'kendall') AS k,
             partial_corr(x, y, z) AS pc, weighted_corr(x, y, w) AS wc, risk_ratio(exposed, event) AS rr,
             nps_stats(score) AS np
      FROM pairs) p, serial_corr s;
-- each worker sorts its pairs and the leader merges the sorted runs: the
-- very same ranks and counts as one sort, so the results are equal, not
-- close; with ties in x, in y and in both
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_rank AS
SELECT spearman_corr(x, y) AS s1, spearman_corr(z, w) AS s2, kendall_tau(x, y) AS k1,
       kendall_tau(z, w) AS k2, kendall_tau(w, y) AS k3, corr_test(z, y, 'kendall') AS ct
FROM pairs;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT p.s1 = r.s1 AND p.s2 = r.s2 AS spearman,
       p.k1 = r.k1 AND p.k2 = r.k2 AND p.k3 = r.k3 AS kendall,
       p.ct = r.ct AS corr_test_kendall
FROM (SELECT spearman_corr(x, y) AS s1, spearman_corr(z, w) AS s2, kendall_tau(x, y) AS k1,
             kendall_tau(z, w) AS k2, kendall_tau(w, y) AS k3, corr_test(z, y, 'kendall') AS ct
      FROM pairs) p, serial_rank r;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
-- a hashed aggregate rescanned unchanged finalizes the same states again:
-- spearman_corr and kendall_tau, which rank the pairs in place, keep their
-- result for that; here under partitionwise partial aggregation, whose
-- states are serialized and combined
CREATE TABLE parted (k int, x float8, y float8) PARTITION BY LIST ((k % 2));
CREATE TABLE parted0 PARTITION OF parted FOR VALUES IN (0);
CREATE TABLE parted1 PARTITION OF parted FOR VALUES IN (1);
INSERT INTO parted SELECT i, x, y FROM pairs WHERE i <= 20000;
ANALYZE parted;
CREATE TEMP TABLE parted_once AS
SELECT spearman_corr(x, y) AS s, kendall_tau(x, y) AS k FROM parted;
SET max_parallel_workers_per_gather = 0;
SET enable_partitionwise_aggregate = on;
SET enable_material = off;
SET enable_sort = off;
SET enable_hashjoin = off;
SET enable_mergejoin = off;
-- the aggregate (Finalize HashAggregate) is the inner side of a nested loop
EXPLAIN (COSTS OFF)
SELECT g, a.s = o.s AS spearman, a.k = o.k AS kendall
FROM generate_series(1, 3) g
LEFT JOIN (SELECT k > 0 AS pos, spearman_corr(x, y) AS s, kendall_tau(x, y) AS k
           FROM parted GROUP BY k > 0) a ON true, parted_once o;
SELECT g, a.s = o.s AS spearman, a.k = o.k AS kendall
FROM generate_series(1, 3) g
LEFT JOIN (SELECT k > 0 AS pos, spearman_corr(x, y) AS s, kendall_tau(x, y) AS k
           FROM parted GROUP BY k > 0) a ON true, parted_once o;
RESET max_parallel_workers_per_gather;
RESET enable_partitionwise_aggregate;
RESET enable_material;
RESET enable_sort;
RESET enable_hashjoin;
RESET enable_mergejoin;
DROP TABLE parted;
-- sizes at which the final sort takes room of its own, a third of the
-- pairs or a half (55,000 pairs in an array for 59,049, and corr_test's
-- copy), or borrows the array's tail (60,000): against Pearson's r of the
-- ranks by PostgreSQL's window functions, without ties
CREATE TEMP TABLE distinct_pairs AS
SELECT i, (i::int8 * 16807 % 2147483647)::float8 AS x, (i::int8 * 48271 % 2147483647)::float8 AS y
FROM generate_series(1, 60000) i;
SELECT n, abs(spearman_corr(x, y) - corr(rx, ry)) < 1e-12 AS spearman,
       abs((corr_test(x, y, 'spearman')).r - corr(rx, ry)) < 1e-12 AS corr_test,
       kendall_tau(x, y) = (corr_test(x, y, 'kendall')).r AS kendall
FROM (VALUES (55000), (60000)) s(n),
     LATERAL (SELECT x, y, rank() OVER (ORDER BY x) AS rx, rank() OVER (ORDER BY y) AS ry
              FROM distinct_pairs WHERE i <= n) r
GROUP BY n ORDER BY n;
DROP TABLE distinct_pairs;
DROP TABLE pairs, branches;

-- peoplefirst.max_rank_memory: the pairs of a rank correlation stop at a
-- stated size with a clear error, before the memory is allocated
SHOW peoplefirst.max_rank_memory;
SET peoplefirst.max_rank_memory = '1MB';
-- 60,000 pairs take 960,000 bytes: within 1 MB (1,048,576 bytes)
SELECT spearman_corr(i, -i) FROM generate_series(1, 60000) i;
-- 70,000 take 1,120,000 bytes: past it
SELECT kendall_tau(i, i) FROM generate_series(1, 70000) i;
SELECT corr_test(i, i, 'spearman') FROM generate_series(1, 70000) i;
-- below 1 MB is refused (the wording of the range differs between versions)
\set VERBOSITY sqlstate
SET peoplefirst.max_rank_memory = 0;
\set VERBOSITY default
RESET peoplefirst.max_rank_memory;
SELECT kendall_tau(i, i) FROM generate_series(1, 70000) i;

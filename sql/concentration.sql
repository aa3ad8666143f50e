--
-- concentration (Herfindahl index) and top_share, worked by hand
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS peoplefirst;
RESET client_min_messages;
SET extra_float_digits = 0;

-- {1, 1, 2}: sum 4, sum of squares 1 + 1 + 4 = 6
--   concentration = 6 / 4^2 = 0.375, top_share = 2 / 4 = 0.5
SELECT concentration(x), top_share(x)
FROM (VALUES (1.0::float8), (1.0), (2.0)) v(x);

-- one person holds the whole relationship: 1 and 1
SELECT concentration(x), top_share(x) FROM (VALUES (5.0::float8)) v(x);

-- n equal holders: 1/n
SELECT concentration(x) = 0.25 AS quarter, top_share(x) = 0.25 AS quarter_share
FROM (VALUES (3.0::float8), (3.0), (3.0), (3.0)) v(x);

-- NULLs are skipped; zero amounts count in no share
SELECT concentration(x), top_share(x)
FROM (VALUES (NULL::float8), (2.0), (0.0), (2.0)) v(x);

-- empty group, all NULL, all zero: NULL
SELECT concentration(x) IS NULL AS empty_null, top_share(x) IS NULL AS empty_top_null
FROM (VALUES (1.0::float8)) v(x) WHERE false;
SELECT concentration(x) IS NULL AS all_null FROM (VALUES (NULL::float8)) v(x);
SELECT concentration(x) IS NULL AS all_zero, top_share(x) IS NULL AS all_zero_top
FROM (VALUES (0.0::float8), (0.0)) v(x);

-- per customer: strengths of the employees serving each one
SELECT customer, round(concentration(s)::numeric, 4) AS concentration,
       round(top_share(s)::numeric, 4) AS top_share
FROM (VALUES (1, 0.9::float8), (1, 0.1), (2, 0.5), (2, 0.5)) v(customer, s)
GROUP BY customer ORDER BY customer;

-- errors
SELECT concentration(x) FROM (VALUES (-1.0::float8)) v(x);
SELECT concentration(x) FROM (VALUES ('NaN'::float8)) v(x);
SELECT top_share(x) FROM (VALUES ('Infinity'::float8)) v(x);
-- amounts of any magnitude: no overflow, no underflow
SELECT concentration(x), top_share(x) FROM (VALUES (1e200::float8), (1e200)) v(x);
SELECT concentration(x) FROM (VALUES (1e-200::float8)) v(x);
-- the session is still usable
SELECT concentration(x) FROM (VALUES (1.0::float8)) v(x);

-- parallel plan equals serial
CREATE TABLE amounts AS SELECT i % 7 AS g, (i % 13)::float8 AS x FROM generate_series(1, 100000) i;
ANALYZE amounts;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_conc AS SELECT g, concentration(x) AS c, top_share(x) AS t FROM amounts GROUP BY g;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT concentration(x), top_share(x) FROM amounts;
SELECT bool_and(abs(p.c / s.c - 1) < 1e-12 AND abs(p.t / s.t - 1) < 1e-12) AS parallel_equals_serial
FROM (SELECT g, concentration(x) AS c, top_share(x) AS t FROM amounts GROUP BY g) p
JOIN serial_conc s USING (g);
DROP TABLE amounts;

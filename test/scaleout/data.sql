-- The same rows for the single database and for the coordinator (which routes
-- them to the shards): deterministic, from hashes of the row number.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- u(i, k): a uniform number in [0, 1) for row i and stream k
CREATE FUNCTION pg_temp.u(i bigint, k bigint) RETURNS float8
LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8extended(i, k) & 2147483647)::float8 / 2147483648 $$;

-- six branches of eight employees; 120 customers, each served by any branch
INSERT INTO interactions (branch, employee, customer, at, weight, sentiment, inbound)
SELECT branch, branch * 100 + floor(pg_temp.u(i, 2) * 8)::int,
	1 + floor(pg_temp.u(i, 3) * 120)::int,
	timestamptz '2024-01-01 00:00+00' + floor(pg_temp.u(i, 4) * 365 * 86400) * interval '1 second',
	CASE WHEN pg_temp.u(i, 5) < 0.02 THEN NULL ELSE round((0.5 + pg_temp.u(i, 5) * 2)::numeric, 2)::float8 END,
	CASE WHEN pg_temp.u(i, 6) < 0.3 THEN NULL ELSE round((2 * pg_temp.u(i, 7) - 1)::numeric, 3)::float8 END,
	CASE WHEN pg_temp.u(i, 8) < 0.1 THEN NULL ELSE pg_temp.u(i, 9) < 0.55 END
FROM (SELECT i, 1 + floor(pg_temp.u(i, 1) * 6)::int AS branch
      FROM generate_series(1, 12000) i) g;

-- sixty employees a branch; spells from 2018, exponential lengths (mean about
-- 900 days), open when they would end after mid-2025
INSERT INTO employees (branch, employee, department, employment, voluntary,
	salary, engagement, tenure_years, customers, score, remote)
SELECT branch, i, department, employment, voluntary, salary,
	round((salary / 20000 + pg_temp.u(i, 16) * 3)::numeric, 1)::float8,
	(LEAST(date '2024-12-31', COALESCE(upper(employment), date '2024-12-31')) - lower(employment)) / 365.25,
	1 + floor(pg_temp.u(i, 17) * 4),
	floor(pg_temp.u(i, 18) * 11)::int,
	pg_temp.u(i, 19) < 0.4
FROM (SELECT i, 1 + i % 6 AS branch,
	(ARRAY['sales', 'service', 'operations'])[1 + floor(pg_temp.u(i, 11) * 3)::int] AS department,
	daterange(s, CASE WHEN e <= date '2025-06-30' THEN e END) AS employment,
	pg_temp.u(i, 14) < 0.6 AS voluntary,
	round(30000 + pg_temp.u(i, 15) * 50000)::float8 AS salary
	FROM (SELECT i, date '2018-01-01' + floor(pg_temp.u(i, 12) * 2500)::int AS s,
		date '2018-01-01' + floor(pg_temp.u(i, 12) * 2500)::int
			+ 1 + floor(-ln(1 - pg_temp.u(i, 13)) * 900)::int AS e
		FROM generate_series(1, 360) i) d) g;

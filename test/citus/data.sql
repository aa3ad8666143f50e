-- The rows of the Citus test, in plain tables of the coordinator (suffix
-- _local) and the same rows in distributed tables: deterministic, from hashes
-- of the row number. psql -v scale=N multiplies the row counts (default 1).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\if :{?scale}
\else
\set scale 1
\endif

-- u(i, k): a uniform number in [0, 1) for row i and stream k
SET client_min_messages = error;  -- Citus: "will be created only locally"
CREATE FUNCTION pg_temp.u(i bigint, k bigint) RETURNS float8
LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8extended(i, k) & 2147483647)::float8 / 2147483648 $$;
SET client_min_messages = warning;

-- interactions of 300 customers with the employees of 12 branches; a
-- customer is served by any branch
CREATE TABLE interactions_local (customer_id int NOT NULL, branch_id int, employee_id int,
	at timestamptz, half_life interval, weight float8, sentiment float8, inbound boolean);
INSERT INTO interactions_local
SELECT 1 + floor(pg_temp.u(i, 1) * 300)::int, branch, branch * 100 + floor(pg_temp.u(i, 3) * 8)::int,
	timestamptz '2024-01-01 00:00+00' + floor(pg_temp.u(i, 4) * 365 * 86400) * interval '1 second',
	interval '30 days',
	CASE WHEN pg_temp.u(i, 5) < 0.02 THEN NULL ELSE round((0.5 + pg_temp.u(i, 5) * 2)::numeric, 2)::float8 END,
	CASE WHEN pg_temp.u(i, 6) < 0.3 THEN NULL ELSE round((2 * pg_temp.u(i, 7) - 1)::numeric, 3)::float8 END,
	CASE WHEN pg_temp.u(i, 8) < 0.1 THEN NULL ELSE pg_temp.u(i, 9) < 0.55 END
FROM (SELECT i, 1 + floor(pg_temp.u(i, 2) * 12)::int AS branch
      FROM generate_series(1, 20000 * :scale) i) g;

-- employment spells, as dates and as timestamps: 12 branches, 3 departments
-- each, starts from 2018, exponential lengths (mean about 900 days), open
-- when they would end after mid-2025
CREATE TABLE spells_local (branch_id int NOT NULL, employee_id int, department text,
	employment daterange, engaged tstzrange, voluntary boolean);
INSERT INTO spells_local
SELECT branch, i, department, employment,
	tstzrange(lower(employment) + s_off, upper(employment) + e_off), voluntary
FROM (SELECT i, 1 + i % 12 AS branch,
	(ARRAY['sales', 'service', 'operations'])[1 + floor(pg_temp.u(i, 11) * 3)::int] AS department,
	daterange(s, CASE WHEN e <= date '2025-06-30' THEN e END) AS employment,
	floor(pg_temp.u(i, 20) * 86400) * interval '1 second' AS s_off,
	floor(pg_temp.u(i, 21) * 86400) * interval '1 second' AS e_off,
	pg_temp.u(i, 14) < 0.6 AS voluntary
	FROM (SELECT i, date '2018-01-01' + floor(pg_temp.u(i, 12) * 2500)::int AS s,
		date '2018-01-01' + floor(pg_temp.u(i, 12) * 2500)::int
			+ 1 + floor(-ln(1 - pg_temp.u(i, 13)) * 900)::int AS e
		FROM generate_series(1, 3000 * :scale) i) d) g;

-- pairs for the correlations, risk ratios and scores: 12 branches in 4
-- regions (a region spans branches, so shards); y and z depend on x, ties
-- from rounding. The correlation of x and y is weak (r about 0.06, p about
-- 1e-5 over all rows): a p-value far out in the tail (1e-100) magnifies
-- the last-digit differences of r between summation orders past 1e-12.
CREATE TABLE pairs_local (branch_id int NOT NULL, region int, id int,
	x float8, y float8, z float8, w float8, exposed boolean, event boolean, score int);
INSERT INTO pairs_local
SELECT branch, 1 + branch % 4, i, x,
	round((0.04 * x + 2 * pg_temp.u(i, 22))::numeric, 1)::float8,
	round((x / 4 + pg_temp.u(i, 23))::numeric, 2)::float8,
	round((0.1 + pg_temp.u(i, 24) * 3)::numeric, 1)::float8,
	pg_temp.u(i, 25) < 0.4,
	pg_temp.u(i, 26) < 0.15 + 0.1 * x,
	floor(pg_temp.u(i, 27) * 11)::int
FROM (SELECT i, 1 + i % 12 AS branch, round(pg_temp.u(i, 21)::numeric * 3, 2)::float8 AS x
      FROM generate_series(1, 6000 * :scale) i) g;

-- the same rows in distributed tables, by a column that a query may or
-- may not group by
CREATE TABLE interactions (LIKE interactions_local);
CREATE TABLE spells (LIKE spells_local);
CREATE TABLE pairs (LIKE pairs_local);
SELECT create_distributed_table('interactions', 'customer_id');
SELECT create_distributed_table('spells', 'branch_id');
SELECT create_distributed_table('pairs', 'branch_id', colocate_with => 'spells');
INSERT INTO interactions SELECT * FROM interactions_local;
INSERT INTO spells SELECT * FROM spells_local;
INSERT INTO pairs SELECT * FROM pairs_local;

-- stored summaries: daily relationship strength per customer and employee,
-- survival per branch and department (distributed, and plain)
CREATE TABLE strength_daily (customer_id int NOT NULL, branch_id int, day date, r relstrength);
CREATE TABLE strength_daily_local (LIKE strength_daily);
SELECT create_distributed_table('strength_daily', 'customer_id', colocate_with => 'interactions');
CREATE TABLE survival_by_department (branch_id int NOT NULL, department text, s survival);
CREATE TABLE survival_by_department_local (LIKE survival_by_department);
SELECT create_distributed_table('survival_by_department', 'branch_id', colocate_with => 'spells');

ANALYZE;

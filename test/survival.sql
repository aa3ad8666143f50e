-- tenure_survival and its accessors against the Kaplan-Meier estimates,
-- Greenwood standard errors and log-log intervals of test/fixtures/survival_gen.py
-- (exact rational S, textbook formulas); rollup of random partitions; round trips;
-- parallel, hashed and window aggregation of the expanded state; error messages.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SET client_min_messages = warning;
SET TimeZone = 'UTC';

CREATE TEMP TABLE fx_cases (case_id int, unit text, as_of int8, nentries int, median int8);
\copy fx_cases FROM 'test/fixtures/survival_cases.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_spells (case_id int, a int8, b int8);
\copy fx_spells FROM 'test/fixtures/survival_spells.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_curve (case_id int, duration int8, at_risk int8, events int8, censored int8,
	survival float8, std_err float8, low95 float8, high95 float8, low90 float8, high90 float8);
\copy fx_curve FROM 'test/fixtures/survival_curve.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_at (case_id int, t int8, survival float8);
\copy fx_at FROM 'test/fixtures/survival_at.csv' WITH (FORMAT csv, HEADER true)

CREATE FUNCTION pg_temp.d(u int8) RETURNS date LANGUAGE sql IMMUTABLE AS
$$ SELECT '2000-01-01'::date + u::int $$;
CREATE FUNCTION pg_temp.t(u int8) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS
$$ SELECT '2000-01-01 00:00+00'::timestamptz + (u / 1000000) * interval '1 second' + (u % 1000000) * interval '1 microsecond' $$;
-- a duration in the case's unit as an interval
CREATE FUNCTION pg_temp.iv(unit text, u int8) RETURNS interval LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE unit WHEN 'day' THEN u * interval '1 day'
	ELSE justify_hours((u / 1000000) * interval '1 second' + (u % 1000000) * interval '1 microsecond') END $$;
CREATE FUNCTION pg_temp.near(a float8, b float8, rel float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN a IS NULL AND b IS NULL
	ELSE abs(a - b) <= rel * abs(b) + 1e-15 END $$;

CREATE TEMP TABLE got AS
SELECT c.case_id, c.unit,
	CASE c.unit WHEN 'day' THEN
		(SELECT tenure_survival(daterange(pg_temp.d(s.a), pg_temp.d(s.b)), pg_temp.d(c.as_of))
		 FROM fx_spells s WHERE s.case_id = c.case_id)
	ELSE
		(SELECT tenure_survival(tstzrange(pg_temp.t(s.a), pg_temp.t(s.b)), pg_temp.t(c.as_of))
		 FROM fx_spells s WHERE s.case_id = c.case_id) END AS s
FROM fx_cases c;

CREATE TEMP TABLE got_curve AS
SELECT g.case_id, g.unit, 0.95 AS conf, k.* FROM got g, survival_curve(g.s) k
UNION ALL
SELECT g.case_id, g.unit, 0.9, k.* FROM got g, survival_curve(g.s, 0.9) k;

-- spells of distinct microsecond durations, in a plain table so that workers scan it
\o /dev/null
SELECT setseed(0.313);
\o
CREATE TABLE survival_tap_us AS
SELECT i, tstzrange(t, CASE WHEN i % 4 = 0 THEN NULL ELSE t + (random() * 4e11)::int8 * interval '1 microsecond' END) AS sp
FROM (SELECT i, '2020-01-01'::timestamptz + (random() * 8e13)::int8 * interval '1 microsecond' AS t
      FROM generate_series(1, 200000) i) x;
ANALYZE survival_tap_us;

BEGIN;
SELECT plan(26);
SELECT cmp_ok((SELECT count(*) FROM got WHERE s IS NOT NULL), '>=', 60::bigint,
	'at least 60 reference cases');
SELECT is((SELECT array_agg(case_id ORDER BY case_id) FROM got g JOIN fx_cases c USING (case_id)
	WHERE (SELECT count(*) FROM survival_curve(g.s)) <> c.nentries),
	NULL, 'one curve row per distinct duration');
SELECT is((SELECT count(*) FROM fx_curve f FULL JOIN (SELECT * FROM got_curve WHERE conf = 0.95) k
	ON k.case_id = f.case_id AND k.tenure = pg_temp.iv(k.unit, f.duration)
	WHERE k.case_id IS NULL OR f.case_id IS NULL), 0::bigint,
	'the curve has exactly the reference durations');
SELECT is((SELECT array_agg(DISTINCT f.case_id) FROM fx_curve f JOIN got_curve k
	ON k.case_id = f.case_id AND k.tenure = pg_temp.iv(k.unit, f.duration)
	WHERE k.at_risk <> f.at_risk OR k.events <> f.events OR k.censored <> f.censored),
	NULL, 'at_risk, events and censored equal the reference');
SELECT is((SELECT array_agg(DISTINCT f.case_id) FROM fx_curve f JOIN got_curve k
	ON k.case_id = f.case_id AND k.tenure = pg_temp.iv(k.unit, f.duration)
	WHERE NOT pg_temp.near(k.survival, f.survival, 1e-10)),
	NULL, 'Kaplan-Meier S within 1e-10 of the exact product');
SELECT is((SELECT array_agg(DISTINCT f.case_id) FROM fx_curve f JOIN got_curve k
	ON k.case_id = f.case_id AND k.conf = 0.95 AND k.tenure = pg_temp.iv(k.unit, f.duration)
	WHERE NOT pg_temp.near(k.ci_low, f.low95, 1e-10) OR NOT pg_temp.near(k.ci_high, f.high95, 1e-10)),
	NULL, '95% log-log interval (Greenwood) within 1e-10, NULL where the reference is');
SELECT is((SELECT array_agg(DISTINCT f.case_id) FROM fx_curve f JOIN got_curve k
	ON k.case_id = f.case_id AND k.conf = 0.9 AND k.tenure = pg_temp.iv(k.unit, f.duration)
	WHERE NOT pg_temp.near(k.ci_low, f.low90, 1e-10) OR NOT pg_temp.near(k.ci_high, f.high90, 1e-10)),
	NULL, '90% log-log interval within 1e-10');
SELECT cmp_ok((SELECT count(*) FROM fx_curve WHERE low95 IS NOT NULL), '>', 100::bigint,
	'the reference has more than 100 intervals');
SELECT is((SELECT array_agg(case_id ORDER BY case_id) FROM got g JOIN fx_cases c USING (case_id)
	WHERE median_tenure(g.s) IS DISTINCT FROM pg_temp.iv(c.unit, c.median)),
	NULL, 'median_tenure equals the reference, NULL where S stays above 0.5');
SELECT is((SELECT array_agg(DISTINCT a.case_id) FROM fx_at a JOIN got g USING (case_id)
	WHERE (g.unit = 'microsecond' OR a.t BETWEEN -100000000 AND 100000000)
	  AND NOT pg_temp.near(survival_at(g.s, pg_temp.iv(g.unit, a.t)), a.survival, 1e-10)
	  AND a.survival IS NOT NULL),
	NULL, 'survival_at within 1e-10 of the reference');

-- rollup of random partitions equals the whole
\o /dev/null
SELECT setseed(0.971);
\o
CREATE TEMP TABLE split AS SELECT s.*, floor(random() * 3)::int AS part FROM fx_spells s;
-- one aggregate per unit: both arms of a CASE over aggregates are computed
CREATE TEMP TABLE parts AS
SELECT c.case_id, p.part,
	tenure_survival(daterange(pg_temp.d(p.a), pg_temp.d(p.b)), pg_temp.d(c.as_of)) AS s
FROM fx_cases c JOIN split p USING (case_id) WHERE c.unit = 'day'
GROUP BY c.case_id, p.part
UNION ALL
SELECT c.case_id, p.part,
	tenure_survival(tstzrange(pg_temp.t(p.a), pg_temp.t(p.b)), pg_temp.t(c.as_of))
FROM fx_cases c JOIN split p USING (case_id) WHERE c.unit = 'microsecond'
GROUP BY c.case_id, p.part;
SELECT is((SELECT array_agg(case_id ORDER BY case_id) FROM
	(SELECT case_id, rollup(s ORDER BY random()) AS s FROM parts GROUP BY case_id) r
	JOIN got g USING (case_id) WHERE r.s::text <> g.s::text),
	NULL, 'rollup of random partitions equals aggregating the whole');

SELECT is((SELECT count(*) FROM got WHERE s::text::survival::text <> s::text), 0::bigint,
	'text round trip');
\! mkdir -p results
\copy (SELECT case_id, s FROM got) TO 'results/survival_tap.bin' WITH (FORMAT binary)
CREATE TEMP TABLE got_binary (case_id int, s survival);
\copy got_binary FROM 'results/survival_tap.bin' WITH (FORMAT binary)
SELECT is((SELECT count(*) FROM got g JOIN got_binary b USING (case_id) WHERE g.s::text = b.s::text),
	(SELECT count(*) FROM got), 'binary COPY round trip');
SELECT throws_ok($$SELECT '{"version":1,"unit":"day","entries":[[1,1,0],[1,0,1]]}'::survival$$,
	'22P02', 'invalid input value for type survival: "{"version":1,"unit":"day","entries":[[1,1,0],[1,0,1]]}"',
	'duplicate durations: 22P02, an invalid value');
SELECT throws_ok($$SELECT '{"version":1,"unit":"day","entries":[[1,1,0]'::survival$$,
	'22P02', 'invalid input syntax for type survival: "{"version":1,"unit":"day","entries":[[1,1,0]"',
	'truncated text: 22P02, invalid syntax');

-- the expanded state: serial, parallel, hashed, sorted and window aggregation agree
CREATE TEMP TABLE us_serial AS SELECT tenure_survival(sp, '2022-07-01'::timestamptz) AS s FROM survival_tap_us;
SELECT cmp_ok((SELECT count(*) FROM survival_curve((SELECT s FROM us_serial))), '>', 100000::bigint,
	'more than 100,000 distinct microsecond durations');
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SELECT is((SELECT tenure_survival(sp, '2022-07-01'::timestamptz) FROM survival_tap_us), (SELECT s FROM us_serial),
	'parallel tenure_survival over microseconds equals the serial one');
CREATE TEMP TABLE us_parts AS SELECT i % 97 AS part, tenure_survival(sp, '2022-07-01'::timestamptz) AS s
FROM survival_tap_us GROUP BY 1;
SELECT is((SELECT rollup(s) FROM us_parts), (SELECT s FROM us_serial),
	'rollup of 97 parts equals the whole');
SELECT is((SELECT rollup(s ORDER BY part DESC) FROM us_parts), (SELECT s FROM us_serial),
	'in any order');
SELECT is((SELECT s FROM (SELECT part, rollup(s) OVER (ORDER BY part) AS s FROM us_parts) w ORDER BY part DESC LIMIT 1),
	(SELECT s FROM us_serial), 'the last row of a running rollup equals the whole');
SELECT is((SELECT count(*) FROM us_parts a, us_parts b
	WHERE a.part < b.part AND a.part < 5 AND survival_combine(a.s, b.s) <> survival_combine(b.s, a.s)),
	0::bigint, 'survival_combine is commutative');
SELECT is((SELECT count(*) FROM us_parts a, us_parts b, us_parts c
	WHERE a.part < 3 AND b.part BETWEEN 3 AND 5 AND c.part BETWEEN 6 AND 8
	AND survival_combine(survival_combine(a.s, b.s), c.s) <> survival_combine(a.s, survival_combine(b.s, c.s))),
	0::bigint, 'and associative');
SET LOCAL enable_sort = off;
SET LOCAL work_mem = '64kB';
CREATE TEMP TABLE us_hashed AS SELECT i % 5000 AS g, tenure_survival(sp, '2022-07-01'::timestamptz) AS s
FROM survival_tap_us GROUP BY 1;
SET LOCAL enable_sort = on;
SET LOCAL enable_hashagg = off;
SELECT is((SELECT count(*) FROM us_hashed h FULL JOIN (SELECT i % 5000 AS g, tenure_survival(sp, '2022-07-01'::timestamptz) AS s
	FROM survival_tap_us GROUP BY 1) o USING (g) WHERE h.s IS DISTINCT FROM o.s), 0::bigint,
	'5000 groups hashed past work_mem equal the sorted groups');

-- summaries stored out of line uncompressed (STORAGE EXTERNAL) are read in
-- slices of 65,536 entries: the same rows as the summary read whole, across
-- slice boundaries (the microsecond summary spans three slices)
CREATE TEMP TABLE ext_store (k text, s survival);
ALTER TABLE ext_store ALTER COLUMN s SET STORAGE EXTERNAL;
INSERT INTO ext_store SELECT 'case ' || case_id, s FROM got WHERE s IS NOT NULL;
-- (a value copied from a compressed column would stay compressed: build it afresh)
INSERT INTO ext_store SELECT 'microseconds', tenure_survival(sp, '2022-07-01'::timestamptz) FROM survival_tap_us;
SELECT is((SELECT count(*) FROM ext_store WHERE pg_column_size(s) > 70000 * 24
	AND pg_column_compression(s) IS NULL), 1::bigint,
	'the microsecond summary is stored uncompressed, past two slices');
SELECT is((SELECT count(*) FROM ext_store e JOIN (SELECT 'case ' || case_id AS k, s FROM got
	UNION ALL SELECT 'microseconds', s FROM us_serial) w USING (k)
	WHERE e.s IS DISTINCT FROM w.s
	OR EXISTS (SELECT * FROM survival_curve(e.s, 0.9) WITH ORDINALITY
		EXCEPT ALL SELECT * FROM survival_curve(w.s, 0.9) WITH ORDINALITY)
	OR (SELECT count(*) FROM survival_curve(e.s)) <> (SELECT count(*) FROM survival_curve(w.s))),
	0::bigint, 'survival_curve of a summary read in slices equals the summary read whole');
SELECT throws_ok($$SELECT count(*) FROM ext_store, survival_curve(s, 1.5) WHERE k = 'microseconds'$$,
	'22023', NULL, 'a bad confidence is refused before the slices are read');
SELECT * FROM finish();
ROLLBACK;
DROP TABLE survival_tap_us;

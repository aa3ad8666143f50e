-- spell_stats against a brute-force count over every unit of the period
-- (test/fixtures/spell_gen.py), for date and timestamp spells; rollup-free
-- merging through parallel plans is in sql/spell.sql.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SET client_min_messages = warning;
SET TimeZone = 'UTC';

CREATE TEMP TABLE fx_spells (case_id int, a int8, b int8, ongoing boolean, voluntary boolean);
\copy fx_spells FROM 'test/fixtures/spell_spells.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE fx_cases (case_id int, unit text, p0 int8, p1 int8, has_voluntary boolean,
	active_start int8, active_end int8, starts int8, ends int8, ends_voluntary int8,
	ends_from_start int8, avg_active float8, turnover_rate float8,
	annualized_turnover_rate float8, churn_rate float8, retention_rate float8);
\copy fx_cases FROM 'test/fixtures/spell_cases.csv' WITH (FORMAT csv, HEADER true)

-- the cases whose units are representable as dates (days since 2000-01-01)
-- and timestamps (microseconds since 2000-01-01 UTC)
CREATE TEMP TABLE usable AS
SELECT c.case_id, c.unit FROM fx_cases c
WHERE NOT EXISTS (
	SELECT 1 FROM fx_spells s WHERE s.case_id = c.case_id AND
		(CASE c.unit WHEN 'day' THEN s.a NOT BETWEEN -2000000 AND 2000000
		   OR (NOT s.ongoing AND s.b NOT BETWEEN -2000000 AND 2000000)
		 ELSE s.a NOT BETWEEN -211813488000000000 AND 9223371331199999999
		   OR (NOT s.ongoing AND s.b NOT BETWEEN -211813488000000000 AND 9223371331199999999) END))
  AND CASE c.unit WHEN 'day' THEN c.p0 BETWEEN -2000000 AND 2000000 AND c.p1 BETWEEN -2000000 AND 2000000
      ELSE c.p0 BETWEEN -211813488000000000 AND 9223371331199999999
       AND c.p1 BETWEEN -211813488000000000 AND 9223371331199999999 END;

CREATE FUNCTION pg_temp.d(u int8) RETURNS date LANGUAGE sql IMMUTABLE AS
$$ SELECT '2000-01-01'::date + u::int $$;
CREATE FUNCTION pg_temp.t(u int8) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS
$$ SELECT '2000-01-01 00:00+00'::timestamptz + (u / 1000000) * interval '1 second' + (u % 1000000) * interval '1 microsecond' $$;
CREATE FUNCTION pg_temp.near(a float8, b float8, rel float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN a IS NULL AND b IS NULL
	ELSE abs(a - b) <= rel * abs(b) + 1e-300 END $$;

CREATE TEMP TABLE got AS
SELECT c.case_id, c.unit, CASE WHEN c.has_voluntary
	THEN (SELECT spell_stats(daterange(pg_temp.d(s.a), CASE WHEN s.ongoing THEN NULL ELSE pg_temp.d(s.b) END),
			daterange(pg_temp.d(c.p0), pg_temp.d(c.p1)), s.voluntary) FROM fx_spells s WHERE s.case_id = c.case_id)
	ELSE (SELECT spell_stats(daterange(pg_temp.d(s.a), CASE WHEN s.ongoing THEN NULL ELSE pg_temp.d(s.b) END),
			daterange(pg_temp.d(c.p0), pg_temp.d(c.p1))) FROM fx_spells s WHERE s.case_id = c.case_id) END AS st
FROM fx_cases c JOIN usable u USING (case_id) WHERE c.unit = 'day'
UNION ALL
SELECT c.case_id, c.unit, CASE WHEN c.has_voluntary
	THEN (SELECT spell_stats(tstzrange(pg_temp.t(s.a), CASE WHEN s.ongoing THEN NULL ELSE pg_temp.t(s.b) END),
			tstzrange(pg_temp.t(c.p0), pg_temp.t(c.p1)), s.voluntary) FROM fx_spells s WHERE s.case_id = c.case_id)
	ELSE (SELECT spell_stats(tstzrange(pg_temp.t(s.a), CASE WHEN s.ongoing THEN NULL ELSE pg_temp.t(s.b) END),
			tstzrange(pg_temp.t(c.p0), pg_temp.t(c.p1))) FROM fx_spells s WHERE s.case_id = c.case_id) END
FROM fx_cases c JOIN usable u USING (case_id) WHERE c.unit = 'microsecond';

BEGIN;
SELECT plan(13);
SELECT cmp_ok((SELECT count(*) FROM got WHERE unit = 'day'), '>=', 200::bigint,
	'at least 200 date cases are checked');
SELECT cmp_ok((SELECT count(*) FROM got WHERE unit = 'microsecond'), '>=', 100::bigint,
	'at least 100 timestamp cases are checked');
SELECT is((SELECT array_agg(case_id ORDER BY case_id) FROM got g JOIN fx_cases c USING (case_id)
	WHERE (g.st).active_start <> c.active_start OR (g.st).active_end <> c.active_end),
	NULL, 'active_start and active_end equal the brute-force counts');
SELECT is((SELECT array_agg(case_id ORDER BY case_id) FROM got g JOIN fx_cases c USING (case_id)
	WHERE (g.st).starts <> c.starts OR (g.st).ends <> c.ends OR (g.st).ends_from_start <> c.ends_from_start),
	NULL, 'starts, ends and ends_from_start equal the brute-force counts');
SELECT is((SELECT array_agg(case_id ORDER BY case_id) FROM got g JOIN fx_cases c USING (case_id)
	WHERE (g.st).ends_voluntary IS DISTINCT FROM c.ends_voluntary),
	NULL, 'ends_voluntary equals the count, NULL without the voluntary argument');
SELECT is((SELECT array_agg(case_id ORDER BY case_id) FROM got g JOIN fx_cases c USING (case_id)
	WHERE NOT pg_temp.near((g.st).avg_active, c.avg_active, 1e-13)),
	NULL, 'avg_active within 1e-13 of the exact average');
SELECT is((SELECT array_agg(case_id ORDER BY case_id) FROM got g JOIN fx_cases c USING (case_id)
	WHERE NOT pg_temp.near((g.st).turnover_rate, c.turnover_rate, 1e-13)
	   OR NOT pg_temp.near((g.st).annualized_turnover_rate, c.annualized_turnover_rate, 1e-13)),
	NULL, 'turnover and annualized turnover within 1e-13');
SELECT is((SELECT array_agg(case_id ORDER BY case_id) FROM got g JOIN fx_cases c USING (case_id)
	WHERE NOT pg_temp.near((g.st).churn_rate, c.churn_rate, 1e-13)
	   OR NOT pg_temp.near((g.st).retention_rate, c.retention_rate, 1e-13)),
	NULL, 'churn and retention within 1e-13, NULL where the reference is');
SELECT is((SELECT array_agg(g.case_id ORDER BY g.case_id) FROM got g JOIN fx_cases c USING (case_id)
	WHERE g.unit = 'day' AND c.has_voluntary IS FALSE AND
	  ((SELECT turnover_rate(daterange(pg_temp.d(s.a), CASE WHEN s.ongoing THEN NULL ELSE pg_temp.d(s.b) END),
			daterange(pg_temp.d(c.p0), pg_temp.d(c.p1))) FROM fx_spells s WHERE s.case_id = c.case_id)
		IS DISTINCT FROM (g.st).turnover_rate
	OR (SELECT churn_rate(daterange(pg_temp.d(s.a), CASE WHEN s.ongoing THEN NULL ELSE pg_temp.d(s.b) END),
			daterange(pg_temp.d(c.p0), pg_temp.d(c.p1))) FROM fx_spells s WHERE s.case_id = c.case_id)
		IS DISTINCT FROM (g.st).churn_rate
	OR (SELECT retention_rate(daterange(pg_temp.d(s.a), CASE WHEN s.ongoing THEN NULL ELSE pg_temp.d(s.b) END),
			daterange(pg_temp.d(c.p0), pg_temp.d(c.p1))) FROM fx_spells s WHERE s.case_id = c.case_id)
		IS DISTINCT FROM (g.st).retention_rate)),
	NULL, 'turnover_rate, churn_rate and retention_rate equal the spell_stats fields');

SELECT throws_ok($$SELECT spell_stats('[2024-01-01,)'::daterange, '[2024-01-01,)'::daterange)$$,
	'22023', 'period must be bounded', 'unbounded period: 22023');
SELECT throws_ok($$SELECT spell_stats('[2024-01-01,)'::daterange, 'empty'::daterange)$$,
	'22023', 'period must not be empty', 'empty period: 22023');
SELECT throws_ok($$SELECT spell_stats(s, '[2024-01-01,2024-02-01)'::daterange) FROM (VALUES ('(,2024-01-05)'::daterange)) v(s)$$,
	'22023', 'a spell must have a finite lower bound', 'unbounded spell start: 22023');
SELECT throws_ok($$SELECT spell_stats('[2024-01-01,)'::daterange, p) FROM (VALUES ('[2024-01-01,2024-02-01)'::daterange), ('[2024-02-01,2024-03-01)')) v(p)$$,
	'22023', NULL, 'different periods in one group: 22023');
SELECT * FROM finish();
ROLLBACK;

-- concentration and top_share: properties with tolerances.  k equal amounts
-- give 1/k; one dominant amount gives its share; scaling every amount by
-- 1e-300 or 1e300 changes nothing; NULLs are skipped; no amount, or only
-- zeros, give NULL; combine in a parallel plan equals one pass.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SET client_min_messages = warning;

CREATE FUNCTION pg_temp.near(a float8, b float8, rel float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT abs(a - b) <= rel * abs(b) $$;

-- random amounts in groups, in a plain table so that workers scan it
\o /dev/null
SELECT setseed(0.577);
\o
CREATE TABLE concentration_tap AS
SELECT i % 50 AS g, CASE WHEN i % 17 = 0 THEN NULL WHEN i % 13 = 0 THEN 0 ELSE random() * 1000 END AS x
FROM generate_series(1, 100000) i;
ANALYZE concentration_tap;

BEGIN;
SELECT plan(12);

SELECT is((SELECT count(*) FROM generate_series(1, 200) k,
	LATERAL (SELECT concentration(3.5::float8) AS c, top_share(3.5::float8) AS t FROM generate_series(1, k)) x
	WHERE NOT pg_temp.near(c, 1.0 / k, 1e-12) OR NOT pg_temp.near(t, 1.0 / k, 1e-12)), 0::bigint,
	'k equal amounts: concentration and top share 1/k, k = 1 .. 200');
SELECT ok((SELECT pg_temp.near(top_share(x), 1e9 / (1e9 + 999), 1e-12)
	AND pg_temp.near(concentration(x), (1e18 + 999) / ((1e9 + 999) * (1e9 + 999)), 1e-12)
	FROM (SELECT 1e9::float8 AS x UNION ALL SELECT 1 FROM generate_series(1, 999)) v),
	'one dominant amount among 999 ones: its share, and the index by hand');

-- the index lies in [1/n, 1] and top_share^2 <= index <= top_share
SELECT is((SELECT count(*) FROM (SELECT g, concentration(x) AS c, top_share(x) AS t,
	count(*) FILTER (WHERE x > 0) AS n FROM concentration_tap GROUP BY g) s
	WHERE c < 1.0 / n * (1 - 1e-12) OR c > 1 OR t * t > c * (1 + 1e-12) OR c > t * (1 + 1e-12)),
	0::bigint, 'bounds: 1/n <= index <= 1, top_share^2 <= index <= top_share');

-- scale invariance, far beyond where squares overflow or vanish
SELECT is((SELECT count(*) FROM (SELECT g, concentration(x) AS c, top_share(x) AS t,
	concentration(x * 1e300) AS c_big, top_share(x * 1e300) AS t_big,
	concentration(x * 1e-300) AS c_small, top_share(x * 1e-300) AS t_small
	FROM concentration_tap GROUP BY g) s
	WHERE NOT pg_temp.near(c_big, c, 1e-12) OR NOT pg_temp.near(t_big, t, 1e-12)
	   OR NOT pg_temp.near(c_small, c, 1e-12) OR NOT pg_temp.near(t_small, t, 1e-12)),
	0::bigint, 'scaling every amount by 1e300 or 1e-300 changes nothing');
SELECT ok((SELECT pg_temp.near(concentration(x), 5.0 / 9, 1e-15) AND pg_temp.near(top_share(x), 2.0 / 3, 1e-15)
	FROM (VALUES ('4.9e-324'::float8), ('9.9e-324')) v(x)),
	'{x, 2x} at the smallest subnormal: 5/9 and 2/3');

-- NULL and empty
SELECT is((SELECT concentration(x) FROM concentration_tap WHERE false), NULL, 'no row: NULL');
SELECT is((SELECT top_share(x) FROM (VALUES (NULL::float8), (NULL)) v(x)), NULL, 'only NULLs: NULL');
SELECT is((SELECT concentration(x) FROM (VALUES (0::float8), (0), (NULL)) v(x)), NULL, 'only zeros: NULL');
SELECT ok((SELECT concentration(x) = concentration(coalesce(x, 0)) AND top_share(x) = top_share(coalesce(x, 0))
	FROM concentration_tap), 'a NULL counts as nothing, as a zero does');

-- errors
SELECT throws_ok($$SELECT concentration(x) FROM (VALUES (1::float8), (-1)) v(x)$$, '22023', NULL,
	'a negative amount: 22023');

-- parallel plans and partial states equal one pass
CREATE TEMP TABLE serial_conc AS SELECT g, concentration(x) AS c, top_share(x) AS t FROM concentration_tap GROUP BY g;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SELECT is((SELECT count(*) FROM (SELECT g, concentration(x) AS c, top_share(x) AS t FROM concentration_tap GROUP BY g) p
	JOIN serial_conc s USING (g) WHERE NOT pg_temp.near(p.c, s.c, 1e-12) OR NOT pg_temp.near(p.t, s.t, 1e-12)),
	0::bigint, 'parallel equals serial within 1e-12');
SELECT ok((SELECT pg_temp.near(concentration(x), (SELECT sum(x * x) / (sum(x) * sum(x)) FROM concentration_tap), 1e-12)
	AND pg_temp.near(top_share(x), (SELECT max(x) / sum(x) FROM concentration_tap), 1e-12)
	FROM concentration_tap), 'the definitions, summed plainly where nothing overflows');

SELECT * FROM finish();
ROLLBACK;
DROP TABLE concentration_tap;

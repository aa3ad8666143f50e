-- relstrength against an independent reference (test/fixtures/relstrength_gen.py
-- computes the formulas with 60-digit decimals), rollup of random partitions,
-- text and binary round trips, and the SQLSTATE of every error.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SET client_min_messages = warning;
SET TimeZone = 'UTC';

CREATE TEMP TABLE fx_interactions (rel_id int, at timestamptz, half_life interval,
	weight float8, sentiment float8, inbound boolean);
\copy fx_interactions FROM 'test/fixtures/relstrength_interactions.csv' WITH (FORMAT csv)
CREATE TEMP TABLE fx_expected (rel_id int, as_of timestamptz, n bigint,
	first timestamptz, last timestamptz, intensity float8, strength float8,
	reciprocity float8, sentiment float8, tenure_seconds float8,
	recency_seconds float8);
\copy fx_expected FROM 'test/fixtures/relstrength_expected.csv' WITH (FORMAT csv)

CREATE TEMP TABLE got AS
SELECT rel_id, min(half_life) AS half_life,
	strength_agg(at, half_life, weight, sentiment, inbound) AS r
FROM fx_interactions GROUP BY rel_id;

-- |a - b| <= rel * |b| + floor, NULL only where both are NULL; in numeric,
-- because float8 arithmetic raises an underflow error on subnormal results
CREATE FUNCTION pg_temp.near(a float8, b float8, rel numeric, floor numeric)
RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN a IS NULL AND b IS NULL
	ELSE abs(a::numeric - b::numeric) <= rel * abs(b::numeric) + floor END $$;

-- the message of the error a statement raises
CREATE FUNCTION pg_temp.error_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	RETURN NULL;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLERRM;
END $$;

BEGIN;
SELECT plan(34);

SELECT cmp_ok((SELECT count(*) FROM fx_expected), '>=', 200::bigint,
	'at least 200 reference relationships');
SELECT cmp_ok((SELECT count(DISTINCT rel_id) FROM fx_interactions
	WHERE half_life = '1 second' AND weight = 0), '>=', 1::bigint,
	'the reference has zero weights with a 1-second half-life');
SELECT cmp_ok((SELECT count(DISTINCT rel_id) FROM fx_interactions
	WHERE half_life = '100 years'), '>=', 20::bigint,
	'the reference has 100-year half-lives');
SELECT ok((SELECT min(at) < '1901-01-01' AND max(at) > '2199-01-01' FROM fx_interactions),
	'the reference spans 1900 to 2200');

SELECT is((SELECT array_agg(e.rel_id ORDER BY e.rel_id) FROM fx_expected e
	LEFT JOIN got g USING (rel_id)
	WHERE g.r IS NULL OR interactions(g.r) <> e.n
		OR first_interaction(g.r) <> e.first OR last_interaction(g.r) <> e.last),
	NULL, 'interactions, first and last interaction equal the reference exactly');
SELECT is((SELECT array_agg(rel_id ORDER BY rel_id) FROM fx_expected e JOIN got g USING (rel_id)
	WHERE NOT pg_temp.near(intensity(g.r, e.as_of), e.intensity, 1e-12, 1e-300)),
	NULL, 'intensity within 1e-12 relative of the reference');
SELECT is((SELECT array_agg(rel_id ORDER BY rel_id) FROM fx_expected e JOIN got g USING (rel_id)
	WHERE NOT pg_temp.near(strength(g.r, e.as_of), e.strength, 1e-12, 1e-300)),
	NULL, 'strength within 1e-12 relative of the reference');
SELECT is((SELECT array_agg(rel_id ORDER BY rel_id) FROM fx_expected e JOIN got g USING (rel_id)
	WHERE NOT pg_temp.near(reciprocity(g.r), e.reciprocity, 0, 1e-12)),
	NULL, 'reciprocity within 1e-12 of the reference, NULL where it is NULL');
SELECT is((SELECT array_agg(rel_id ORDER BY rel_id) FROM fx_expected e JOIN got g USING (rel_id)
	WHERE NOT pg_temp.near(sentiment(g.r), e.sentiment, 0, 1e-12)),
	NULL, 'sentiment within 1e-12 of the reference, NULL where it is NULL');
SELECT is((SELECT array_agg(rel_id ORDER BY rel_id) FROM fx_expected e JOIN got g USING (rel_id)
	WHERE NOT pg_temp.near(extract(epoch FROM tenure(g.r, e.as_of))::float8, e.tenure_seconds, 1e-15, 1e-5)
	   OR NOT pg_temp.near(extract(epoch FROM recency(g.r, e.as_of))::float8, e.recency_seconds, 1e-15, 1e-5)),
	NULL, 'tenure and recency equal the reference');
SELECT is((SELECT array_agg(rel_id ORDER BY rel_id) FROM got WHERE half_life(r) <> half_life),
	NULL, 'half_life returns the aggregated half-life');
SELECT cmp_ok((SELECT count(*) FROM fx_expected WHERE reciprocity IS NULL), '>', 0::bigint,
	'the reference has relationships without directed weight');
SELECT cmp_ok((SELECT count(*) FROM fx_expected WHERE sentiment IS NULL), '>', 0::bigint,
	'the reference has relationships without sentiment');

-- the shorter forms are the 5-argument form with weight 1 and nothing unknown
SELECT is((SELECT count(*) FROM (SELECT rel_id,
		strength_agg(at, half_life)::text AS a,
		strength_agg(at, half_life, 1)::text AS b,
		strength_agg(at, half_life, 1, NULL, NULL)::text AS c
	FROM fx_interactions GROUP BY rel_id) s WHERE a <> b OR b <> c), 0::bigint,
	'strength_agg(at, h) = strength_agg(at, h, 1) = strength_agg(at, h, 1, NULL, NULL)');
SELECT is((SELECT count(*) FROM (SELECT rel_id,
		strength_agg(at, half_life, weight)::text AS a,
		strength_agg(at, half_life, weight, NULL, NULL)::text AS b
	FROM fx_interactions GROUP BY rel_id) s WHERE a <> b), 0::bigint,
	'strength_agg(at, h, w) = strength_agg(at, h, w, NULL, NULL)');

-- rollup of random partitions, merged in random order, equals the whole
\o /dev/null
SELECT setseed(0.20240131);
\o
CREATE TEMP TABLE parts AS
SELECT rel_id, k, part, strength_agg(at, half_life, weight, sentiment, inbound) AS r
FROM (SELECT i.*, k, floor(random() * k)::int AS part
	  FROM fx_interactions i, (VALUES (2), (3), (7)) ks(k)) s
GROUP BY rel_id, k, part;
CREATE TEMP TABLE rolled AS
SELECT rel_id, k, rollup(r ORDER BY random()) AS r FROM parts GROUP BY rel_id, k;
SELECT is((SELECT array_agg(DISTINCT rel_id) FROM rolled p JOIN got g USING (rel_id)
	JOIN fx_expected e USING (rel_id)
	WHERE interactions(p.r) <> interactions(g.r)
	   OR first_interaction(p.r) <> first_interaction(g.r)
	   OR last_interaction(p.r) <> last_interaction(g.r)
	   OR NOT pg_temp.near(intensity(p.r, e.as_of), intensity(g.r, e.as_of), 1e-12, 1e-300)
	   OR NOT pg_temp.near(reciprocity(p.r), reciprocity(g.r), 0, 1e-12)
	   OR NOT pg_temp.near(sentiment(p.r), sentiment(g.r), 0, 1e-12)),
	NULL, 'rollup of random partitions (2, 3, 7 parts) equals aggregating the whole');
SELECT is((SELECT count(*) FROM rolled), 3 * (SELECT count(*) FROM got),
	'every relationship was rolled up three ways');
SELECT is((SELECT array_agg(rel_id) FROM (
		SELECT a.rel_id, a.r + b.r AS r FROM parts a JOIN parts b USING (rel_id, k)
		WHERE a.k = 2 AND a.part = 0 AND b.part = 1) s
	JOIN got g USING (rel_id) JOIN fx_expected e USING (rel_id)
	WHERE interactions(s.r) <> interactions(g.r)
	   OR NOT pg_temp.near(intensity(s.r, e.as_of), intensity(g.r, e.as_of), 1e-12, 1e-300)),
	NULL, 'a + b equals aggregating the union');

-- text round trip: same text, same values
SELECT is((SELECT count(*) FROM got WHERE r::text::relstrength::text <> r::text), 0::bigint,
	'r::text::relstrength prints the same text');
SELECT is((SELECT count(*) FROM got g JOIN fx_expected e USING (rel_id)
	WHERE intensity(r::text::relstrength, e.as_of) IS DISTINCT FROM intensity(r, e.as_of)
	   OR sentiment(r::text::relstrength) IS DISTINCT FROM sentiment(r)
	   OR reciprocity(r::text::relstrength) IS DISTINCT FROM reciprocity(r)), 0::bigint,
	'values read back from text are exactly equal');

-- binary round trip through COPY (FORMAT binary)
\! mkdir -p results
\copy (SELECT rel_id, r FROM got) TO 'results/relstrength_tap.bin' WITH (FORMAT binary)
CREATE TEMP TABLE got_binary (rel_id int, r relstrength);
\copy got_binary FROM 'results/relstrength_tap.bin' WITH (FORMAT binary)
SELECT is((SELECT count(*) FROM got_binary), (SELECT count(*) FROM got),
	'binary COPY read back every row');
SELECT is((SELECT count(*) FROM got g JOIN got_binary b USING (rel_id)
	WHERE g.r::text <> b.r::text), 0::bigint,
	'binary COPY round trips exactly');

-- errors and their SQLSTATEs
SELECT throws_ok($$SELECT strength_agg(at, '1 day') FROM (VALUES ('infinity'::timestamptz)) v(at)$$,
	'22023', NULL, 'infinite interaction time: 22023');
SELECT throws_ok($$SELECT strength_agg(now(), '1 day', w) FROM (VALUES (-1.0::float8), ('NaN'), ('Infinity')) v(w)$$,
	'22023', NULL, 'negative, NaN or infinite weight: 22023');
SELECT throws_ok($$SELECT strength_agg(now(), '1 day', 1, 1.01, NULL)$$,
	'22023', NULL, 'sentiment outside [-1, 1]: 22023');
SELECT throws_ok($$SELECT strength_agg(now(), '0 seconds')$$,
	'22023', 'half-life must be positive', 'zero half-life: 22023');
SELECT throws_ok($$SELECT strength_agg(now(), h) FROM (VALUES ('1 day'::interval), ('2 days')) v(h)$$,
	'22023', 'cannot combine relationship strengths with different half-lives',
	'different half-lives in one group: 22023');
SELECT throws_ok($$SELECT intensity(strength_agg('2024-01-02'::timestamptz, '1 day'), '2024-01-01')$$,
	'22023', 'as_of precedes the last interaction of the relationship',
	'as_of before the last interaction: 22023');
SELECT throws_ok($$SELECT '{"version":1}'::relstrength$$, '22P02',
	'invalid input syntax for type relstrength: "{"version":1}"', 'truncated text: 22P02');
SELECT throws_ok($$SELECT '{"version":1,"n":1,"first":"2024-01-01T00:00:00Z","last":"2024-01-01T00:00:00Z","half_life":"P1D","decayed_weight":1,"inbound_weight":2,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'::relstrength$$,
	'22P02', 'invalid input value for type relstrength: "{"version":1,"n":1,"first":"2024-01-01T00:00:00Z","last":"2024-01-01T00:00:00Z","half_life":"P1D","decayed_weight":1,"inbound_weight":2,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}"',
	'inbound weight above the total: 22P02');
SELECT throws_ok($$SELECT '{"version":3}'::relstrength$$, '22P02',
	'invalid input value for type relstrength: "{"version":3}"',
	'an unknown version is a value error, before the rest of the syntax: 22P02');

-- a long text input is quoted in part, whole characters only
SELECT is((SELECT length(m) <= 44 + 256 + 4 AND m LIKE '%..."' FROM pg_temp.error_of(
	$$SELECT ('{"version":1,' || repeat('é', 300))::relstrength$$) m),
	true, 'a long input is cut near 256 bytes and marked with ...');
SELECT is((SELECT m FROM pg_temp.error_of($$SELECT ('{"version":1,' || repeat('é', 300))::relstrength$$) m),
	'invalid input syntax for type relstrength: "{"version":1,..."',
	'the cut moves back out of a run of non-ASCII characters');

-- the merge of summaries stays one fixed-size value: no work grows with the inputs
SELECT is((SELECT pg_column_size(rollup(r)) FROM (SELECT strength_agg(at, '1 day') AS r
	FROM generate_series(1, 2000) i, LATERAL (SELECT '2024-01-01'::timestamptz + i * interval '1 hour' AS at) t
	GROUP BY i % 1000) s), 88, 'rollup of 1000 summaries is one 88-byte relstrength');

SELECT * FROM finish();
ROLLBACK;

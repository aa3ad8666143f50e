-- Values of every type of peoplefirst, stored in tables and in materialized
-- views built from the aggregates, for roundtrip.sh and upgrade.sh. Needs
-- the extension in the search path; deterministic (no random()).
-- hd_text_dump lists every stored relation as one text line per row, in a
-- fixed order, so that two databases can be compared.

CREATE TABLE hd_interactions (pair int, at timestamptz, weight float8, sentiment float8, inbound bool);
INSERT INTO hd_interactions
SELECT i % 7, timestamptz '2024-01-01 00:00+00' + (i * 37 % 400) * interval '1 day' + (i * 7919 % 86400) * interval '1 second',
       (i % 5) * 0.25, CASE WHEN i % 3 = 0 THEN NULL ELSE ((i * 13 % 21) - 10) / 10.0 END,
       CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN true ELSE false END
FROM generate_series(1, 700) i;
-- extremes of timestamptz, in a pair of their own
INSERT INTO hd_interactions VALUES
	(100, '4713-11-24 00:00:00+00 BC', 1, -1, true),
	(100, '294276-12-31 23:59:59.999999+00', 1e-300, 1, false),
	(101, '2000-01-01 00:00+00', 1.7976931348623157e308, 0.5, NULL);

CREATE TABLE hd_spells (team int, d daterange, t tstzrange, voluntary bool);
INSERT INTO hd_spells
SELECT i % 5,
       daterange(date '2020-01-01' + (i * 53 % 1500), CASE WHEN i % 4 = 0 THEN NULL ELSE date '2020-01-01' + (i * 53 % 1500) + 1 + (i * 31 % 900) END),
       tstzrange(timestamptz '2020-01-01 00:00+00' + (i * 53 % 1500) * interval '1 day',
                 CASE WHEN i % 4 = 0 THEN NULL ELSE timestamptz '2020-01-01 00:00+00' + ((i * 53 % 1500) + 1 + (i * 31 % 900)) * interval '1 day' + i * interval '1 microsecond' END),
       CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END
FROM generate_series(1, 400) i;
INSERT INTO hd_spells VALUES
	(9, '[4713-11-24 BC,4713-11-25 BC)', '[4713-11-24 00:00+00 BC,4713-11-24 00:00:00.000001+00 BC)', true),
	(9, '[2024-01-01,infinity)', '[2024-01-01 00:00+00,infinity)', false),
	(9, 'empty', 'empty', NULL),
	(9, NULL, NULL, NULL);

CREATE TABLE hd_pairs (grp int, x float8, y float8, z float8, w float8, exposed bool, event bool, score int);
INSERT INTO hd_pairs
SELECT i % 3, (i * 17 % 23)::float8, (i * 29 % 31) + (i % 3) * 0.5, (i * 5 % 11)::float8, (i % 4)::float8,
       i % 2 = 0, i % 3 = 0, i % 11
FROM generate_series(1, 300) i;

-- one value of each type per row, hostile ones included
CREATE TABLE hd_values (id int PRIMARY KEY, r relstrength, s survival, st spell_stats, c correlation,
                        rr relative_risk, ns nps_stats);
INSERT INTO hd_values (id, r) SELECT pair, strength_agg(at, '30 days', weight, sentiment, inbound)
	FROM hd_interactions GROUP BY pair;
INSERT INTO hd_values (id, r) VALUES
	(200, '{"version":1,"n":9223372036854775807,"first":"-4713-11-24T00:00:00Z","last":"294276-12-31T23:59:59.999999Z","half_life":"PT0.000001S","decayed_weight":1.7976931348623157e+308,"inbound_weight":1.7976931348623157e+308,"outbound_weight":0,"sentiment_weight":5e-324,"sentiment_sum":-5e-324}'),
	(201, '{"version":1,"n":1,"first":"2024-02-29T12:34:56.000001Z","last":"2024-02-29T12:34:56.000001Z","half_life":"P178000000Y","decayed_weight":0,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":-0}'),
	(202, '{"version":1,"n":3,"first":"2024-01-01T00:00:00Z","last":"2024-02-01T00:00:00Z","half_life":"P-1Y-1M400DT-1H-0.5S","decayed_weight":0.1,"inbound_weight":0.05,"outbound_weight":0.05,"sentiment_weight":0.1,"sentiment_sum":0.1}'),
	(203, NULL);
INSERT INTO hd_values (id, s) SELECT 300 + team, tenure_survival(d, '2024-06-30') FROM hd_spells GROUP BY team;
INSERT INTO hd_values (id, s) SELECT 310 + team, tenure_survival(t, '2024-06-30 12:00+00') FROM hd_spells GROUP BY team;
INSERT INTO hd_values (id, s) VALUES
	(320, '{"version":1,"unit":"day","entries":[]}'),
	(321, '{"version":1,"unit":"microsecond","entries":[[0,1,0],[9223372036854775807,9223372036854775805,1]]}'),
	(322, (SELECT format('{"version":1,"unit":"day","entries":[%s]}', string_agg(format('[%s,%s,%s]', i * 3, i % 4, 1 + i % 2), ','))::survival
	       FROM generate_series(0, 49999) i));   -- 1.2 MB: compressed and stored out of line
INSERT INTO hd_values (id, st) SELECT 400 + team, spell_stats(d, '[2024-01-01,2024-04-01)', voluntary) FROM hd_spells GROUP BY team;
INSERT INTO hd_values (id, st) SELECT 410 + team, spell_stats(t, '[2024-01-01 00:00+00,2024-04-01 00:00+00)') FROM hd_spells GROUP BY team;
INSERT INTO hd_values (id, st) VALUES (420, '(,,NaN,0,,,,Infinity,-Infinity,,)'), (421, '(9223372036854775807,-1,1e308,0,0,0,0,5e-324,,0,1)');
INSERT INTO hd_values (id, c) SELECT 500 + grp, corr_test(x, y) FROM hd_pairs GROUP BY grp;
INSERT INTO hd_values (id, c) SELECT 510 + grp, corr_test(x, y, 'kendall', 0.9) FROM hd_pairs GROUP BY grp;
INSERT INTO hd_values (id, c) SELECT 520 + grp, partial_corr(x, y, z) FROM hd_pairs GROUP BY grp;
INSERT INTO hd_values (id, c) VALUES (530, '("with ""quotes"", and comma",1,NaN,,Infinity,-Infinity,0.95)');
INSERT INTO hd_values (id, rr) SELECT 600 + grp, risk_ratio(exposed, event) FROM hd_pairs GROUP BY grp;
INSERT INTO hd_values (id, rr) VALUES (610, '(0,0,0,0,,,,,,)');
INSERT INTO hd_values (id, ns) SELECT 700 + grp, nps_stats(score) FROM hd_pairs GROUP BY grp;
INSERT INTO hd_values (id, ns) VALUES (710, '(1,1,0,0,100,0)');

-- stored summaries indexed: the order and hash of a version must still hold
-- for values and indexes made by an older one
CREATE INDEX hd_values_r_btree ON hd_values (r);
CREATE INDEX hd_values_s_btree ON hd_values (s) WHERE id <> 322;   -- too long for a btree entry
CREATE INDEX hd_values_r_hash ON hd_values USING hash (r);
CREATE INDEX hd_values_s_hash ON hd_values USING hash (s);

-- summaries kept in materialized views, rebuilt from the rows on restore
CREATE MATERIALIZED VIEW hd_mv_strength AS
	SELECT pair, strength_agg(at, '30 days', weight, sentiment, inbound) AS r,
	       strength_agg(at, '1 mon') AS r_month
	FROM hd_interactions GROUP BY pair;
CREATE MATERIALIZED VIEW hd_mv_rollup AS
	SELECT pair % 2 AS half, rollup(r) AS r FROM hd_mv_strength WHERE pair < 100 GROUP BY 1;
CREATE MATERIALIZED VIEW hd_mv_survival AS
	SELECT team, tenure_survival(d, '2024-06-30') AS s_day, tenure_survival(t, '2024-06-30 12:00+00') AS s_us
	FROM hd_spells GROUP BY team;
CREATE MATERIALIZED VIEW hd_mv_survival_rollup AS
	SELECT rollup(s_day) AS s FROM hd_mv_survival;
CREATE MATERIALIZED VIEW hd_mv_spell AS
	SELECT team, spell_stats(d, '[2024-01-01,2024-04-01)', voluntary) AS st,
	       spell_stats(t, '[2024-01-01 00:00+00,2024-04-01 00:00+00)') AS st_t,
	       turnover_rate(d, '[2024-01-01,2025-01-01)') AS turnover, churn_rate(d, '[2024-01-01,2025-01-01)') AS churn,
	       retention_rate(t, '[2024-01-01 00:00+00,2025-01-01 00:00+00)') AS retention
	FROM hd_spells GROUP BY team;
CREATE MATERIALIZED VIEW hd_mv_corr AS
	SELECT grp, corr_test(x, y) AS pearson, corr_test(x, y, 'spearman') AS spearman,
	       corr_test(x, y, 'kendall', 0.99) AS kendall, partial_corr(x, y, z) AS partial,
	       spearman_corr(x, y) AS rho, kendall_tau(x, y) AS tau, weighted_corr(x, y, w) AS wcorr,
	       risk_ratio(exposed, event) AS rr, nps(score) AS nps, nps_stats(score) AS ns,
	       concentration(w) AS hhi, top_share(w) AS top
	FROM hd_pairs GROUP BY grp;

CREATE FUNCTION hd_text_dump() RETURNS SETOF text LANGUAGE sql AS $$
	SELECT * FROM (
		SELECT 'hd_interactions ' || t::text FROM hd_interactions t
		UNION ALL SELECT 'hd_spells ' || t::text FROM hd_spells t
		UNION ALL SELECT 'hd_pairs ' || t::text FROM hd_pairs t
		UNION ALL SELECT 'hd_values ' || t::text FROM hd_values t
		UNION ALL SELECT 'hd_mv_strength ' || t::text FROM hd_mv_strength t
		UNION ALL SELECT 'hd_mv_rollup ' || t::text FROM hd_mv_rollup t
		UNION ALL SELECT 'hd_mv_survival ' || t::text FROM hd_mv_survival t
		UNION ALL SELECT 'hd_mv_survival_rollup ' || t::text FROM hd_mv_survival_rollup t
		UNION ALL SELECT 'hd_mv_spell ' || t::text FROM hd_mv_spell t
		UNION ALL SELECT 'hd_mv_corr ' || t::text FROM hd_mv_corr t
	) s(line) ORDER BY line COLLATE "C"
$$;

-- what the accessors read from the stored summaries (an error prints as its SQLSTATE)
CREATE FUNCTION hd_accessor_dump() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	v record;
	e text;
	res text;
	exprs_r text[] := ARRAY['interactions(r)', 'first_interaction(r)', 'last_interaction(r)',
		'intensity(r, ''294276-12-31 23:59:59.999999+00'')', 'strength(r, last_interaction(r))',
		'strength(r, ''294276-12-31 23:59:59.999999+00'')', 'reciprocity(r)', 'sentiment(r)',
		'tenure(r, last_interaction(r))', 'recency(r, ''294276-12-31 23:59:59.999999+00'')', 'half_life(r)'];
	exprs_s text[] := ARRAY['survival_at(s, ''30 days'')', 'survival_at(s, ''178000000 years'')',
		'median_tenure(s)', '(SELECT count(*) || '' '' || coalesce(sum(at_risk), 0) || '' '' || coalesce(min(ci_low), 0) FROM survival_curve(s) c)'];
BEGIN
	FOR v IN SELECT * FROM hd_values ORDER BY id LOOP
		FOREACH e IN ARRAY CASE WHEN v.r IS NOT NULL THEN exprs_r WHEN v.s IS NOT NULL AND v.id <> 322 THEN exprs_s ELSE '{}'::text[] END LOOP
			BEGIN
				EXECUTE format('SELECT (%s)::text FROM (SELECT $1 AS r, $2 AS s) x', e) INTO res USING v.r, v.s;
			EXCEPTION WHEN OTHERS THEN
				res := 'ERROR ' || SQLSTATE;
			END;
			RETURN NEXT format('%s %s = %s', v.id, e, coalesce(res, 'NULL'));
		END LOOP;
	END LOOP;
END
$$;

-- every stored value of the extension's own types in its binary form
CREATE FUNCTION hd_binary_dump() RETURNS SETOF text LANGUAGE sql AS $$
	SELECT * FROM (
		SELECT format('r %s %s', id, encode(relstrength_send(r), 'hex')) FROM hd_values WHERE r IS NOT NULL
		UNION ALL SELECT format('s %s %s', id, md5(survival_send(s))) FROM hd_values WHERE s IS NOT NULL
	) s(line) ORDER BY line COLLATE "C"
$$;

-- A small data set for sqlsmith that holds every type the extension reads or
-- stores: interactions (timestamptz, interval, float8, bool), spells
-- (daterange, tstzrange), stored relstrength and survival summaries, the
-- correlation inputs, and the plain states of the aggregates (float8[],
-- int8[], bytea), valid and damaged, so that generated queries hand the
-- support functions odd values too. Run by the role that will own the tables
-- (run.sh), in a database where the extension is installed. Deterministic:
-- setseed() first.
SET TimeZone = 'UTC';
SELECT setseed(0.42);

-- calls, meetings and emails between employees and customers
CREATE TABLE interactions (
	id int PRIMARY KEY,
	employee text,
	customer text,
	at timestamptz,
	half_life interval,
	weight float8,
	sentiment float8,
	inbound boolean
);
INSERT INTO interactions
SELECT i,
	   (ARRAY['Ana', 'Ben', 'Cleo', 'Dev', 'Eli'])[1 + i % 5],
	   (ARRAY['Acme', 'Bolt', 'Corex', 'Dyna'])[1 + (i / 5) % 4],
	   CASE WHEN i % 53 = 0 THEN NULL
			ELSE '2023-01-01 00:00+00'::timestamptz + (random() * 730) * interval '1 day' END,
	   CASE WHEN i % 41 = 0 THEN NULL ELSE interval '30 days' END,
	   CASE WHEN i % 37 = 0 THEN NULL WHEN i % 11 = 0 THEN 0 ELSE round((random() * 5)::numeric, 2)::float8 END,
	   CASE WHEN i % 4 = 0 THEN NULL WHEN i % 29 = 0 THEN -1 WHEN i % 31 = 0 THEN 1
			ELSE round((random() * 2 - 1)::numeric, 3)::float8 END,
	   CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END
FROM generate_series(1, 240) i;
-- the edges of time: the first and last timestamps PostgreSQL accepts
INSERT INTO interactions VALUES
	(1001, 'Ana', 'Edge', '4713-11-24 00:00:00+00 BC', '1 microsecond', 1, 0, true),
	(1002, 'Ana', 'Edge', '294276-12-31 23:59:59.999999+00', '1 microsecond', 1, 0, false),
	(1003, 'Ben', 'Edge', '2000-01-01 00:00+00', '1000000 years', 1e300, 1, NULL),
	(1004, 'Ben', 'Edge', '2000-01-01 00:00+00', '-1 day', 1, NULL, NULL);

-- employments: daterange spells with a tstzrange twin
CREATE TABLE employees (
	id int PRIMARY KEY,
	employee text,
	department text,
	employment daterange,
	employment_tz tstzrange,
	voluntary boolean,
	hired date
);
INSERT INTO employees
SELECT i, 'e' || i,
	   (ARRAY['Sales', 'Support', 'Ops'])[1 + i % 3],
	   s,
	   CASE WHEN s IS NULL THEN NULL WHEN isempty(s) THEN 'empty'::tstzrange
			ELSE tstzrange(lower(s)::timestamptz, upper(s)::timestamptz) END,
	   CASE WHEN i % 5 = 0 THEN NULL ELSE i % 2 = 0 END,
	   lower(s)
FROM (SELECT i,
			 CASE WHEN i % 23 = 0 THEN NULL
				  WHEN i % 19 = 0 THEN 'empty'::daterange
				  WHEN i % 3 = 0 THEN daterange(d, NULL)
				  ELSE daterange(d, d + (1 + (random() * 900)::int)) END AS s
	  FROM (SELECT i, '2020-01-01'::date + (random() * 1800)::int AS d
			FROM generate_series(1, 90) i) g) x;
INSERT INTO employees VALUES
	(1001, 'first', 'Edge', '[4713-01-01 BC,4713-01-03 BC)', '[4713-11-24 00:00+00 BC,)', true, '4713-01-01 BC'),
	(1002, 'last', 'Edge', '[5874897-12-30,5874897-12-31)', '[294276-12-31 00:00+00,294276-12-31 23:59:59.999999+00)', false, '5874897-12-30'),
	(1003, 'unbounded', 'Edge', '(,2024-01-01)', '(,infinity)', NULL, NULL),
	(1004, 'infinite', 'Edge', '[2024-01-01,infinity)', '[-infinity,infinity)', NULL, 'infinity');

-- periods to measure spells against
CREATE TABLE periods (
	id int PRIMARY KEY,
	period daterange,
	period_tz tstzrange,
	as_of date,
	as_of_tz timestamptz
);
INSERT INTO periods
SELECT m, daterange(d, (d + interval '1 month')::date),
	   tstzrange(d::timestamptz, (d + interval '1 month')::timestamptz),
	   (d + interval '1 month')::date, (d + interval '1 month')::timestamptz
FROM (SELECT m, ('2020-01-01'::date + m * interval '3 months')::date AS d
	  FROM generate_series(0, 19) m) g;
INSERT INTO periods VALUES
	(100, 'empty', 'empty', 'infinity', 'infinity'),
	(101, '[2024-01-01,)', '[2024-01-01,)', '-infinity', '-infinity'),
	(102, NULL, NULL, NULL, NULL);

-- stored relstrength summaries, per pair and month, and rolled up
CREATE TABLE strength_summaries (
	employee text,
	customer text,
	month date,
	r relstrength
);
INSERT INTO strength_summaries
SELECT employee, customer, date_trunc('month', at)::date,
	   strength_agg(at, half_life, weight, sentiment, inbound)
FROM interactions
WHERE at IS NOT NULL AND half_life = '30 days' AND customer <> 'Edge'
GROUP BY 1, 2, 3;
INSERT INTO strength_summaries
SELECT employee, customer, NULL, strength_agg(at, interval '1 day')
FROM interactions WHERE customer <> 'Edge' GROUP BY 1, 2;
INSERT INTO strength_summaries
SELECT 'Ana', 'Edge', NULL, strength_agg(at, half_life) FROM interactions WHERE id IN (1001, 1002);
INSERT INTO strength_summaries VALUES ('Nobody', 'None', NULL, NULL);

-- stored survival summaries, in days and in microseconds
CREATE TABLE survival_summaries (
	department text,
	as_of date,
	s survival
);
INSERT INTO survival_summaries
SELECT department, p.as_of, tenure_survival(employment, p.as_of)
FROM employees, periods p
WHERE p.id IN (4, 12, 19) AND department <> 'Edge'
GROUP BY department, p.as_of;
INSERT INTO survival_summaries
SELECT department || ' (tz)', p.as_of, tenure_survival(employment_tz, p.as_of_tz)
FROM employees, periods p
WHERE p.id = 12 AND department <> 'Edge'
GROUP BY department, p.as_of, p.as_of_tz;
INSERT INTO survival_summaries VALUES
	('Edge', '2000-01-01', '{"version":1,"unit":"day","entries":[]}'),
	('Edge', '2000-01-01', '{"version":1,"unit":"day","entries":[[0,1,0],[1,0,1],[2147483647,9223372036854775804,1]]}'),
	('Edge', '2000-01-01', '{"version":1,"unit":"microsecond","entries":[[9223372036854775807,1,0]]}'),
	('Nobody', NULL, NULL);

-- branch quarters: turnover and churn, for the correlation aggregates
CREATE TABLE branch_quarters (
	branch int,
	quarter date,
	turnover float8,
	churn float8,
	headcount float8,
	customers float8,
	contact_left boolean,
	churned boolean,
	score int
);
INSERT INTO branch_quarters
SELECT b, ('2022-01-01'::date + q * interval '3 months')::date,
	   t, CASE WHEN (b + q) % 13 = 0 THEN NULL ELSE t * 0.6 + random() * 0.1 END,
	   (5 + b * 3)::float8,
	   CASE WHEN b % 4 = 0 THEN 0 ELSE (b * 10 + q)::float8 END,
	   CASE WHEN (b * q) % 7 = 0 THEN NULL ELSE random() < 0.4 END,
	   random() < 0.3,
	   CASE WHEN (b + q) % 17 = 0 THEN NULL ELSE (b * 7 + q * 3) % 11 END
FROM generate_series(1, 12) b, generate_series(0, 7) q,
	 LATERAL (SELECT round((random() * 0.3)::numeric, 3)::float8 AS t) r;
-- ties, constants and extremes
INSERT INTO branch_quarters VALUES
	(100, '2024-01-01', 1, 1, 1, 1, true, true, 0),
	(100, '2024-04-01', 1, 1, 1, 1, false, false, 10),
	(101, '2024-01-01', 1e308, -1e308, 1e-308, 1e308, true, NULL, 5),
	(101, '2024-04-01', -1e308, 1e308, 5e-324, 1e308, NULL, true, 9);

-- the plain states of the aggregates, valid and otherwise
CREATE TABLE states (
	id int PRIMARY KEY,
	f8 float8[],
	i8 int8[],
	b bytea
);
INSERT INTO states VALUES
	(1, '{}', '{}', ''),
	(2, '{0,0,0}', '{0,0,0,0}', '\x00'),
	(3, '{1,2,3,4,5,6}', '{1,2,3,4}', '\x0102030405060708'),
	(4, '{NULL,1,2}', '{NULL,1}', '\xffffffffffffffffffffffffffffffffffffffff'),
	(5, '{{1,2},{3,4}}', '{{1,2},{3,4}}', decode(repeat('00', 64), 'hex')),
	(6, '[0:2]={1,2,3}', '[5:6]={1,2}', decode(repeat('7f', 200), 'hex')),
	(7, '{NaN,Infinity,-Infinity}', '{-1,-2,-3,-4}', decode(repeat('00', 7), 'hex')),
	(8, '{-1,1e308,1e308,1e308,1e308,1e308,1e308,1e308}', '{9223372036854775807,9223372036854775807,9223372036854775807,9223372036854775807}', NULL),
	(9, NULL, NULL, decode('0100000000000000', 'hex'));
-- states built by the transition functions, then damaged; the spell state
-- only inside an aggregate (an aggregate that stops before the final step)
CREATE AGGREGATE spell_state(daterange, daterange, boolean) (
	SFUNC = spell_stats_accum, STYPE = bytea
);
INSERT INTO states
SELECT 100 + e.id,
	   concentration_accum(concentration_accum('{0,0,0}', 1), e.id),
	   nps_accum(nps_accum('{0,0,0,0}', 3), e.id % 11),
	   (SELECT spell_state(e2.employment, p.period, e2.voluntary)
		FROM employees e2 WHERE e2.id BETWEEN e.id AND e.id + 10)
FROM employees e, periods p
WHERE p.id = 16 AND e.id <= 20;
INSERT INTO states
SELECT 200 + id, corr_test_pearson_accum(corr_test_pearson_accum('{0,0,0,0,0,0,0,0}', 1, 2), id, id * id),
	   risk_ratio_accum('{0,0,0,0}', id % 2 = 0, id % 3 = 0),
	   set_byte(b, (id * 7) % length(b), 255)
FROM states WHERE id BETWEEN 101 AND 120 AND length(b) > 0;
INSERT INTO states
SELECT 300 + id, partial_corr_accum('{0,0,0,0,0,0,0,0,0,0}', id, id * 2, -id),
	   NULL, substr(b, 1, length(b) / 2)
FROM states WHERE id BETWEEN 101 AND 110;
INSERT INTO states
SELECT 400 + id, weighted_corr_accum('{0,0,0,0,0,0,0}', id, 1.0 / id, id % 3), NULL, b || b
FROM states WHERE id BETWEEN 101 AND 105;

-- text forms of the stored types, some of them not valid
CREATE TABLE texts (
	id int PRIMARY KEY,
	t text
);
INSERT INTO texts SELECT row_number() OVER (), r::text FROM strength_summaries WHERE r IS NOT NULL;
INSERT INTO texts SELECT 1000 + row_number() OVER (), s::text FROM survival_summaries WHERE s IS NOT NULL;
INSERT INTO texts VALUES
	(2001, '{}'), (2002, ''), (2003, 'null'), (2004, '{"version":1}'),
	(2005, '{"version":1,"n":1,"first":"2024-01-01T00:00:00Z","last":"2023-01-01T00:00:00Z","half_life":"P30D","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'),
	(2006, '{"version":1,"unit":"day","entries":[[2,1,0],[1,1,0]]}'),
	(2007, '{"version":1,"unit":"day","entries":[[1,0,0]]}'),
	(2008, '{"version":2,"unit":"fortnight","entries":[[1,1,1]]}'),
	(2009, repeat('[', 10000)),
	(2010, '{"version":1,"n":9223372036854775807,"first":"4713-11-24T00:00:00Z","last":"294276-12-31T23:59:59.999999Z","half_life":"PT0.000001S","decayed_weight":1e308,"inbound_weight":1e308,"outbound_weight":0,"sentiment_weight":1e308,"sentiment_sum":-1e308}');

ANALYZE interactions, employees, periods, strength_summaries, survival_summaries, branch_quarters,
	states, texts;

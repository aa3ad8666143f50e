-- The demo's simulated company (test/demo/generate.sql) and its scorecard
-- (test/demo/scorecard.sql): the same seed gives the same rows, the
-- scorecard finds the effects planted in the generator, and every view a
-- dashboard reads has plain column types.
--
-- Size: scale 0.5 (20,000 employee-customer pairs, 700,000 interactions).
-- The planted effects hold at any size, but their estimates are noisier when
-- small: at scale 0.2 the departure risk ratio for seed 42 is 1.64 with an
-- interval reaching only to 2.001, and for seed 2 the branch-quarter Pearson
-- p-value is 0.059; at scale 0.5 seeds 1, 2, 3 and 42 all pass with room.
-- The demo itself runs at scale 1.0.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SET client_min_messages = warning;
SET TimeZone = 'UTC';

BEGIN;
SELECT plan(28);

-- the same seed twice, and another seed, at a tiny size
\o /dev/null
\set scale 0.05
\set seed 7
\i test/demo/generate.sql
\o
CREATE TEMP TABLE digest_a AS
SELECT 'branches' AS tab, md5(string_agg(t::text, E'\n' ORDER BY branch_id)) AS md5 FROM company.branches t
UNION ALL SELECT 'employees', md5(string_agg(t::text, E'\n' ORDER BY employee_id)) FROM company.employees t
UNION ALL SELECT 'customers', md5(string_agg(t::text, E'\n' ORDER BY customer_id)) FROM company.customers t
UNION ALL SELECT 'customer_assignments', md5(string_agg(t::text, E'\n' ORDER BY customer_id, assigned))
	FROM company.customer_assignments t
UNION ALL SELECT 'interactions', md5(string_agg(t::text, E'\n' ORDER BY interaction_id)) FROM company.interactions t
UNION ALL SELECT 'employee_surveys', md5(string_agg(t::text, E'\n' ORDER BY employee_id, quarter_start))
	FROM company.employee_surveys t
UNION ALL SELECT 'customer_surveys', md5(string_agg(t::text, E'\n' ORDER BY customer_id, quarter_start))
	FROM company.customer_surveys t;
\o /dev/null
\i test/demo/generate.sql
\o
CREATE TEMP TABLE digest_b AS
SELECT 'branches' AS tab, md5(string_agg(t::text, E'\n' ORDER BY branch_id)) AS md5 FROM company.branches t
UNION ALL SELECT 'employees', md5(string_agg(t::text, E'\n' ORDER BY employee_id)) FROM company.employees t
UNION ALL SELECT 'customers', md5(string_agg(t::text, E'\n' ORDER BY customer_id)) FROM company.customers t
UNION ALL SELECT 'customer_assignments', md5(string_agg(t::text, E'\n' ORDER BY customer_id, assigned))
	FROM company.customer_assignments t
UNION ALL SELECT 'interactions', md5(string_agg(t::text, E'\n' ORDER BY interaction_id)) FROM company.interactions t
UNION ALL SELECT 'employee_surveys', md5(string_agg(t::text, E'\n' ORDER BY employee_id, quarter_start))
	FROM company.employee_surveys t
UNION ALL SELECT 'customer_surveys', md5(string_agg(t::text, E'\n' ORDER BY customer_id, quarter_start))
	FROM company.customer_surveys t;
SELECT set_eq('SELECT * FROM digest_a', 'SELECT * FROM digest_b',
	'the same seed and scale generate the same rows in every table');
\o /dev/null
\set seed 8
\i test/demo/generate.sql
\o
SELECT isnt((SELECT md5(string_agg(t::text, E'\n' ORDER BY interaction_id)) FROM company.interactions t),
	(SELECT md5 FROM digest_a WHERE tab = 'interactions'),
	'another seed generates other interactions');

-- the company the checks below read
\o /dev/null
\set scale 0.5
\set seed 42
\i test/demo/generate.sql
\i test/demo/scorecard.sql
\o

SELECT is((SELECT count(*) FROM company.branches), 40::bigint, 'forty branches');
SELECT ok((SELECT count(*) BETWEEN 550000 AND 950000 FROM company.interactions),
	'about half of 1.5 million interactions at scale 0.5');

SELECT views_are('company', ARRAY['scorecard_branch_quarters', 'scorecard_turnover_churn',
	'scorecard_departure_impact', 'scorecard_departure_hazard', 'scorecard_tenure', 'scorecard_retention_curve',
	'scorecard_at_risk_customers'], 'the scorecard views are there');

-- dashboards read numbers, dates and text: no composite, range, array or
-- extension type in any view or materialized view
SELECT is((SELECT array_agg(c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                            ORDER BY c.relname, a.attnum)
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'company'
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           WHERE c.relkind IN ('v', 'm')
             AND a.atttypid NOT IN ('smallint'::regtype, 'integer'::regtype, 'bigint'::regtype,
                                    'numeric'::regtype, 'real'::regtype, 'double precision'::regtype,
                                    'text'::regtype, 'boolean'::regtype, 'date'::regtype,
                                    'timestamp with time zone'::regtype)),
	NULL, 'every column of every view has a plain SQL type');
SELECT is((SELECT count(*) FROM information_schema.columns
           WHERE table_schema = 'company' AND table_name LIKE 'scorecard\_%'
             AND data_type NOT IN ('integer', 'bigint', 'numeric', 'double precision', 'text', 'date')),
	0::bigint, 'information_schema agrees: scorecard columns are integers, numbers, text or dates');
SELECT col_type_is('company', 'scorecard_departure_impact', 'ci_low', 'double precision',
	'the risk ratio''s interval is a plain number, not a composite');

-- the planted departure effect: churn hazard times 2.0 for 90 days
SELECT ok((SELECT ci_low <= planted_hazard_ratio AND planted_hazard_ratio <= ci_high
           FROM company.scorecard_departure_impact),
	'the departure risk ratio''s interval contains the planted hazard multiplier');
SELECT diag('departure risk ratio ' || round(ratio::numeric, 3) || ' (' || round(ci_low::numeric, 3)
            || ' .. ' || round(ci_high::numeric, 3) || '), planted ' || planted_hazard_ratio)
FROM company.scorecard_departure_impact;
SELECT ok((SELECT ratio > 1 AND p_value < 0.05 FROM company.scorecard_departure_impact),
	'customers whose primary employee left churn more, p < 0.05');
-- within branches (Mantel-Haenszel): the same comparison, branch by branch
SELECT ok((SELECT branch_ci_low <= planted_hazard_ratio AND planted_hazard_ratio <= branch_ci_high
             AND branch_p_value < 0.05 FROM company.scorecard_departure_impact),
	'pooled within branches, the interval still contains the planted multiplier, p < 0.05');

-- the same question as a hazard, by Cox regression over episodes: the
-- generator's churn hazard is exactly such a model (departure hazard ratio
-- 2.0 in the 90 days after, strength coefficient -3.0), so with its own
-- strength variable the 95% intervals must contain both
SELECT is((SELECT array_agg(strength_used || ': ' || covariate ORDER BY row)
           FROM company.scorecard_departure_hazard),
	ARRAY['strength as planted: after_departure', 'strength as planted: strength',
	      'strength as measured: after_departure', 'strength as measured: strength'],
	'the departure hazard view has the two terms of the two fits');
SELECT diag(strength_used || ', ' || covariate || ': coef ' || round(coef::numeric, 3)
            || ', hazard ratio ' || round(hazard_ratio::numeric, 3) || ' (' || round(ci_low::numeric, 3)
            || ' .. ' || round(ci_high::numeric, 3) || '), planted coef ' || round(planted_coef::numeric, 3))
FROM company.scorecard_departure_hazard ORDER BY row;
SELECT ok((SELECT ci_low <= 2.0 AND 2.0 <= ci_high AND ci_high / ci_low < 1.5 AND p_value < 0.05
           FROM company.scorecard_departure_hazard WHERE row = 1),
	'with the generator''s strength, the departure hazard ratio''s interval is narrow and contains 2.0');
SELECT ok((SELECT ln(ci_low) <= -3.0 AND -3.0 <= ln(ci_high) AND std_err < 0.5
           FROM company.scorecard_departure_hazard WHERE row = 2),
	'with the generator''s strength, the strength coefficient''s interval is narrow and contains -3.0');
SELECT is((SELECT array_agg(round(planted_coef::numeric, 6) ORDER BY row) FROM company.scorecard_departure_hazard),
	ARRAY[round(ln(2.0), 6), -3, round(ln(2.0), 6), -3]::numeric[],
	'the planted coefficients shown are ln 2 and -3, from company.params');
-- every churn in 2022-2024 is an event of exactly one episode, and the
-- episodes of a customer tile its time in the data
SELECT is((SELECT events FROM company.scorecard_departure_hazard WHERE row = 1),
	(SELECT count(*) FROM company.customers WHERE upper(relationship) <= '2025-01-01'),
	'the fit with the planted strength counts every customer who left as one event');
SELECT ok((SELECT episodes > (SELECT count(*) FROM company.customers)
                  AND episodes <= (SELECT count(*) FROM company.customers)
                                  + 2 * (SELECT count(*) FROM company.customer_assignments
                                         WHERE reason <> 'first')
           FROM company.scorecard_departure_hazard WHERE row = 1),
	'one episode per customer, plus at most two per reassignment');
-- measured strength: noisier, so its coefficient is pulled towards 0; the
-- measured fit enters each customer at its first quarter end, so it sees
-- fewer events
SELECT ok((SELECT m.coef < 0 AND m.coef > t.coef AND m.events < t.events
           FROM company.scorecard_departure_hazard t, company.scorecard_departure_hazard m
           WHERE t.row = 2 AND m.row = 4),
	'measured strength gives a weaker (attenuated) strength coefficient than the planted one');

-- the headline
SELECT ok((SELECT r > 0 AND p_value < 0.05 FROM company.scorecard_turnover_churn WHERE row = 1),
	'branch turnover and churn correlate positively across branch-quarters (Pearson, p < 0.05)');
SELECT is((SELECT array_agg(method ORDER BY row) FROM company.scorecard_turnover_churn
           WHERE row IN (2, 3, 4) AND r > 0 AND p_value < 0.05),
	ARRAY['spearman', 'kendall', 'partial'],
	'so do their ranks (Spearman, Kendall), and with headcount held fixed (partial)');
SELECT ok((SELECT r > 0 AND p_value < 0.05 FROM company.scorecard_turnover_churn WHERE row = 6),
	'branches with more turnover over 2022-2024 lost more of their customers (p < 0.05)');

-- culture: lower turnover, higher eNPS
SELECT ok((SELECT h.retained_1_year > l.retained_1_year
           FROM company.scorecard_tenure h, company.scorecard_tenure l
           WHERE h.tercile = 3 AND l.tercile = 1),
	'hires in the most people-first branches stay longer than in the least');
SELECT is((SELECT array_agg(tercile || ' ' || employees || ' ' || hires ORDER BY tercile) FROM company.scorecard_tenure),
	(SELECT array_agg(tercile || ' ' || n || ' ' || h ORDER BY tercile)
	 FROM (SELECT t.tercile, count(*) AS n, count(*) FILTER (WHERE lower(e.employment) >= '2022-01-01') AS h
	       FROM company.employees e
	       JOIN (SELECT branch_id, ntile(3) OVER (ORDER BY culture) AS tercile FROM company.branches) t
	       USING (branch_id) GROUP BY t.tercile) c),
	'the tenure view counts every employee in the data, and the hires among them, per tercile');
SELECT ok((SELECT count(*) = 3 AND count(DISTINCT logrank_p_value) = 1 AND min(logrank_df) = 2
                  AND min(logrank_p_value) > 0 AND max(logrank_p_value) < 0.05
                  -- on 2 degrees of freedom the chi-square tail is exp(-x/2)
                  AND abs(min(logrank_p_value) / exp(-min(logrank_chisq) / 2) - 1) < 1e-9
                  -- observed and expected leavers have the same total
                  AND abs(sum(expected_leavers) / sum(leavers) - 1) < 1e-9
           FROM company.scorecard_tenure),
	'the log-rank test across the three terciles: one p-value, below 0.05, consistent with its chi-square');
SELECT ok((SELECT l.leavers > l.expected_leavers AND h.leavers < h.expected_leavers
                  AND h.retained_2_years > l.retained_2_years
           FROM company.scorecard_tenure h, company.scorecard_tenure l
           WHERE h.tercile = 3 AND l.tercile = 1),
	'more leave than expected in the least people-first third, fewer in the most');
SELECT ok((SELECT bool_and(median_tenure_ci_low_days <= median_tenure_days
                           AND median_tenure_days <= median_tenure_ci_high_days)
           FROM company.scorecard_tenure WHERE median_tenure_days IS NOT NULL),
	'each median tenure lies inside its interval');
SELECT ok((SELECT (corr_test(b.culture, e.enps)).p_value < 0.05 AND (corr_test(b.culture, e.enps)).r > 0
           FROM company.branches b
           JOIN (SELECT branch_id, avg(enps) AS enps FROM company.scorecard_branch_quarters
                 GROUP BY branch_id) e USING (branch_id)),
	'branches with a more people-first culture have a higher eNPS');

-- at-risk customers: each one's key person has left
SELECT ok((SELECT count(*) > 0 AND bool_and(held_by_left_on IS NOT NULL AND strength_now < strength_before)
           FROM company.scorecard_at_risk_customers),
	'at-risk customers are listed, each with its key person gone and a weaker relationship');

SELECT * FROM finish();
ROLLBACK;

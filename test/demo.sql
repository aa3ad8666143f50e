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
SELECT plan(17);

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
	'scorecard_departure_impact', 'scorecard_tenure', 'scorecard_retention_curve',
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

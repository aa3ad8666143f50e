-- Prints the scorecard of the simulated company (test/demo/scorecard.sql),
-- each table under a one-line caption. Numbers are rounded for reading; the
-- views hold them in full.
\set ON_ERROR_STOP 1
\pset footer off
\pset null '-'
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET search_path = company, public;

-- a p-value in three significant digits, in scientific notation when small
CREATE FUNCTION pg_temp.p(x float8) RETURNS text LANGUAGE sql IMMUTABLE
RETURN CASE WHEN x < 0.001 THEN btrim(to_char(x, '9.99EEEE')) ELSE to_char(x, 'FM0.000') END;
CREATE FUNCTION pg_temp.r3(x float8) RETURNS numeric LANGUAGE sql IMMUTABLE
RETURN round(x::numeric, 3);

\echo
\echo '== The company (schema company): what was generated'
SELECT 'branches' AS "table", count(*) AS "rows" FROM branches
UNION ALL SELECT 'employees', count(*) FROM employees
UNION ALL SELECT 'customers', count(*) FROM customers
UNION ALL SELECT 'customer_assignments', count(*) FROM customer_assignments
UNION ALL SELECT 'interactions', count(*) FROM interactions
UNION ALL SELECT 'employee_surveys', count(*) FROM employee_surveys
UNION ALL SELECT 'customer_surveys', count(*) FROM customer_surveys;

\echo
\echo '== The planted effects (company.params), which the scorecard should find'
SELECT name, value, meaning FROM params
WHERE name IN ('vol_hazard', 'inv_hazard', 'culture_turnover', 'churn_hazard', 'strength_churn',
               'departure_hazard', 'departure_days', 'contacts_per_month', 'culture_contact',
               'culture_enps')
ORDER BY name;

\echo
\echo '== scorecard_branch_quarters, 2024-Q4: the five branches losing most staff and the five losing least'
\echo '   (turnover annualized; churn = share of the quarter''s opening customers gone by its end;'
\echo '    strength = mean strength with the primary employee; concentration = mean key-person share)'
(SELECT branch, staff_start AS staff, separations AS "left",
        pg_temp.r3(annualized_turnover) AS turnover_yr, customers_start AS customers,
        pg_temp.r3(churn) AS churn, pg_temp.r3(avg_strength) AS strength, pg_temp.r3(avg_concentration) AS concentration,
        round(enps) AS enps, round(nps) AS nps
 FROM scorecard_branch_quarters WHERE quarter = '2024-Q4'
 ORDER BY annualized_turnover DESC, branch_id LIMIT 5)
UNION ALL
(SELECT branch, staff_start, separations, pg_temp.r3(annualized_turnover), customers_start,
        pg_temp.r3(churn), pg_temp.r3(avg_strength), pg_temp.r3(avg_concentration), round(enps), round(nps)
 FROM scorecard_branch_quarters WHERE quarter = '2024-Q4'
 ORDER BY annualized_turnover, branch_id LIMIT 5)
ORDER BY turnover_yr DESC, branch;

\echo
\echo '== scorecard_branch_quarters, all branches by quarter: turnover, churn, strength, eNPS and NPS'
SELECT quarter, sum(separations) AS "left", pg_temp.r3(avg(annualized_turnover)) AS turnover_yr,
       sum(customers_lost) AS customers_lost, pg_temp.r3(avg(churn)) AS churn,
       pg_temp.r3(avg(avg_strength)) AS strength, pg_temp.r3(avg(avg_concentration)) AS concentration,
       round(sum(enps * enps_answers) / sum(enps_answers)) AS enps,
       round(sum(nps * nps_answers) / sum(nps_answers)) AS nps
FROM scorecard_branch_quarters GROUP BY quarter ORDER BY quarter;

\echo
\echo '== scorecard_turnover_churn: do branches that lose staff lose customers? (the headline)'
SELECT comparison, method, n, pg_temp.r3(r) AS r, pg_temp.p(p_value) AS p_value,
       pg_temp.r3(ci_low) AS ci_low, pg_temp.r3(ci_high) AS ci_high
FROM scorecard_turnover_churn ORDER BY row;

\echo
\echo '== scorecard_departure_impact: churn within 90 days of customers whose primary employee left, vs the rest of the branch'
\x on
SELECT exposed_n AS "exposed: customers whose employee left", exposed_events AS "exposed: churned in 90 days",
       unexposed_n AS "unexposed: other customers that day", unexposed_events AS "unexposed: churned in 90 days",
       pg_temp.r3(risk_exposed) AS risk_exposed, pg_temp.r3(risk_unexposed) AS risk_unexposed,
       pg_temp.r3(ratio) AS risk_ratio, pg_temp.r3(ci_low) AS ci_low, pg_temp.r3(ci_high) AS ci_high,
       pg_temp.p(p_value) AS p_value,
       pg_temp.r3(branch_ratio) AS "within branches: risk_ratio", pg_temp.r3(branch_ci_low) AS "within branches: ci_low",
       pg_temp.r3(branch_ci_high) AS "within branches: ci_high", pg_temp.p(branch_p_value) AS "within branches: p_value",
       planted_hazard_ratio AS planted_multiplier
FROM scorecard_departure_impact;
\x off

\echo
\echo '== scorecard_departure_hazard: the same question by Cox regression, relationship strength held fixed'
\echo '   (hazard_ratio: how many times as fast customers leave; after_departure: in the 90 days after'
\echo '    their primary employee left, against otherwise; strength: at strength 1 against strength 0)'
SELECT strength_used, covariate, pg_temp.r3(coef) AS coef, pg_temp.r3(hazard_ratio) AS hazard_ratio,
       pg_temp.r3(ci_low) AS ci_low, pg_temp.r3(ci_high) AS ci_high, pg_temp.p(p_value) AS p_value,
       pg_temp.r3(planted_coef) AS planted_coef, pg_temp.r3(planted_hazard_ratio) AS planted_hazard_ratio,
       events
FROM scorecard_departure_hazard ORDER BY row;

\echo
\echo '== scorecard_tenure: how long people stay, by the culture of their branch (Kaplan-Meier, everyone'
\echo '   employed in 2022-2024, those hired earlier counted from 2022-01-01 on), and a log-rank test'
SELECT culture, employees, hires, leavers, round(expected_leavers) AS expected_leavers,
       coalesce(median_tenure_days::text, 'not reached') AS median_tenure_days,
       coalesce(median_tenure_ci_low_days::text, '-') || ' .. ' || coalesce(median_tenure_ci_high_days::text, '-') AS median_ci,
       pg_temp.r3(retained_1_year) AS retained_1_year, pg_temp.r3(retained_2_years) AS retained_2_years
FROM scorecard_tenure ORDER BY tercile;
SELECT DISTINCT pg_temp.r3(logrank_chisq) AS logrank_chisq, logrank_df AS df, pg_temp.p(logrank_p_value) AS p_value
FROM scorecard_tenure;

\echo
\echo '== scorecard_at_risk_customers: who held most of the relationship at the end of 2024-Q3 has left, and it weakened'
\echo '   (how many, then the ten that were strongest)'
SELECT count(*) AS at_risk_customers, count(DISTINCT held_by) AS departed_employees,
       pg_temp.r3(avg(strength_before)) AS mean_strength_before, pg_temp.r3(avg(strength_now)) AS mean_strength_now
FROM scorecard_at_risk_customers;
SELECT customer, branch, held_by, held_by_left_on AS left_on,
       pg_temp.r3(concentration_before) AS concentration, pg_temp.r3(strength_before) AS strength_before,
       pg_temp.r3(strength_now) AS strength_now, now_with
FROM scorecard_at_risk_customers
ORDER BY strength_before DESC, customer_id LIMIT 10;

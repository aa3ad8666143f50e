-- The people-first scorecard of the simulated company (test/demo/generate.sql):
-- views a BI dashboard can point at, one per question, with plain columns
-- (numbers, dates, text). Run after generate.sql, in a database with the
-- extension peoplefirst; re-run it after new data, or refresh the summaries:
--
--   (append the new quarter's rows to company.relationship_quarters, then)
--   REFRESH MATERIALIZED VIEW company.customer_quarter_ends;
--
--   company.scorecard_branch_quarters     per branch and quarter: turnover, churn,
--                                         strength, key-person concentration, eNPS, NPS
--   company.scorecard_turnover_churn      does turnover go with churn? (the headline)
--   company.scorecard_departure_impact    churn of customers whose employee left
--   company.scorecard_departure_hazard    the same question by Cox regression,
--                                         strength held fixed
--   company.scorecard_tenure              how long people stay, by culture tercile
--   company.scorecard_retention_curve     the Kaplan-Meier curves behind it
--   company.scorecard_at_risk_customers   whose relationship just walked out the door

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET work_mem = '128MB';
SET jit = off;

DROP TABLE IF EXISTS company.relationship_quarters CASCADE;
DROP MATERIALIZED VIEW IF EXISTS company.customer_quarter_ends CASCADE;
DROP VIEW IF EXISTS company.scorecard_branch_quarters, company.scorecard_turnover_churn,
	company.scorecard_departure_impact, company.scorecard_departure_hazard,
	company.scorecard_tenure, company.scorecard_retention_curve,
	company.scorecard_at_risk_customers CASCADE;

-- Two-step aggregation: one relationship summary per employee, customer and
-- quarter, kept, then rolled up to any date without reading the interactions
-- again. The half-life is the parameter half_life_days. A table, not a
-- view: it stores relstrength summaries, not numbers for the dashboard.
CREATE TABLE company.relationship_quarters AS
SELECT customer_id, employee_id,
       date_trunc('quarter', at AT TIME ZONE 'UTC')::date AS quarter_start,
       strength_agg(at, (SELECT make_interval(days => value::int) FROM company.params
                         WHERE name = 'half_life_days'), 1, sentiment, inbound) AS summary
FROM company.interactions
GROUP BY customer_id, employee_id, quarter_start;
CREATE INDEX ON company.relationship_quarters (customer_id, quarter_start);
ANALYZE company.relationship_quarters;

-- Each customer at the end of each quarter (its last day in the book): the
-- strength of its relationship with its primary employee and with the
-- branch as a whole, and how much of it one employee holds. The summaries
-- of the four quarters up to the date are rolled up: at a half-life of 30
-- days an interaction a year old weighs 2^-12 of a fresh one, too little to
-- change any number shown.
CREATE MATERIALIZED VIEW company.customer_quarter_ends AS
WITH cq AS (
	SELECT c.customer_id, c.branch_id, q.quarter_start, q.quarter_end,
	       a.employee_id AS primary_employee_id
	FROM company.quarters q
	JOIN company.customers c ON c.relationship @> (q.quarter_end - 1)
	LEFT JOIN company.customer_assignments a
	       ON a.customer_id = c.customer_id AND a.assigned @> (q.quarter_end - 1)
), pair AS (
	SELECT cq.quarter_start, cq.customer_id, rq.employee_id,
	       rollup(rq.summary) AS r,
	       strength(rollup(rq.summary), cq.quarter_end::timestamptz) AS s
	FROM cq
	JOIN company.relationship_quarters rq
	  ON rq.customer_id = cq.customer_id
	 AND rq.quarter_start < cq.quarter_end AND rq.quarter_start >= cq.quarter_end - interval '1 year'
	GROUP BY cq.quarter_start, cq.quarter_end, cq.customer_id, rq.employee_id
)
SELECT cq.customer_id, cq.branch_id, cq.quarter_start, cq.quarter_end, cq.primary_employee_id,
       coalesce(max(p.s) FILTER (WHERE p.employee_id = cq.primary_employee_id), 0) AS primary_strength,
       coalesce(strength(rollup(p.r), cq.quarter_end::timestamptz), 0) AS total_strength,
       concentration(p.s) AS concentration,
       top_share(p.s) AS top_share,
       (array_agg(p.employee_id ORDER BY p.s DESC, p.employee_id))[1] AS top_employee_id
FROM cq LEFT JOIN pair p USING (quarter_start, customer_id)
GROUP BY cq.customer_id, cq.branch_id, cq.quarter_start, cq.quarter_end, cq.primary_employee_id;
CREATE INDEX ON company.customer_quarter_ends (quarter_start, customer_id);

-- Per branch and quarter. Employee turnover is separations over the average
-- headcount (spell_stats), annualized as well; customer churn is the share
-- of the customers on the first day who were gone by the last (cohort
-- churn), retention its complement; strength and concentration are averages
-- over the customers on the last day; eNPS and NPS from that quarter's
-- surveys (-100 to 100).
CREATE VIEW company.scorecard_branch_quarters AS
WITH staff AS (
	SELECT e.branch_id, q.quarter_start,
	       spell_stats(e.employment, q.period, e.voluntary) AS s
	FROM company.quarters q JOIN company.employees e ON e.employment && q.period
	GROUP BY e.branch_id, q.quarter_start
), book AS (
	SELECT c.branch_id, q.quarter_start, spell_stats(c.relationship, q.period) AS s
	FROM company.quarters q JOIN company.customers c ON c.relationship && q.period
	GROUP BY c.branch_id, q.quarter_start
), rel AS (
	SELECT branch_id, quarter_start, avg(primary_strength) AS avg_strength,
	       avg(concentration) AS avg_concentration
	FROM company.customer_quarter_ends GROUP BY branch_id, quarter_start
), enps AS (
	SELECT e.branch_id, s.quarter_start, nps(s.score) AS enps, count(*) AS enps_answers
	FROM company.employee_surveys s JOIN company.employees e USING (employee_id)
	GROUP BY e.branch_id, s.quarter_start
), nps AS (
	SELECT c.branch_id, s.quarter_start, nps(s.score) AS nps, count(*) AS nps_answers
	FROM company.customer_surveys s JOIN company.customers c USING (customer_id)
	GROUP BY c.branch_id, s.quarter_start
)
SELECT b.branch_id, b.name AS branch, q.quarter_start, q.label AS quarter,
       (staff.s).active_start AS staff_start,
       (staff.s).avg_active AS staff_avg,
       (staff.s).starts AS hires,
       (staff.s).ends AS separations,
       (staff.s).ends_voluntary AS voluntary_separations,
       (staff.s).turnover_rate AS turnover,
       (staff.s).annualized_turnover_rate AS annualized_turnover,
       (book.s).active_start AS customers_start,
       (book.s).starts AS customers_won,
       (book.s).ends AS customers_lost,
       (book.s).churn_rate AS churn,
       (book.s).retention_rate AS retention,
       rel.avg_strength, rel.avg_concentration,
       enps.enps, enps.enps_answers, nps.nps, nps.nps_answers
FROM company.branches b CROSS JOIN company.quarters q
LEFT JOIN staff USING (branch_id, quarter_start)
LEFT JOIN book USING (branch_id, quarter_start)
LEFT JOIN rel USING (branch_id, quarter_start)
LEFT JOIN enps USING (branch_id, quarter_start)
LEFT JOIN nps USING (branch_id, quarter_start);

-- The headline: do branch-quarters that lose more staff lose more
-- customers? Three coefficients, the partial correlation holding branch
-- size (average headcount) fixed, turnover against the next quarter's
-- churn, and the branches over the whole period.
CREATE VIEW company.scorecard_turnover_churn AS
WITH bq AS (
	SELECT branch_id, quarter_start, turnover, churn, staff_avg,
	       lead(churn) OVER (PARTITION BY branch_id ORDER BY quarter_start) AS churn_next_quarter
	FROM company.scorecard_branch_quarters
), branch AS (
	SELECT e.branch_id,
	       turnover_rate(e.employment, daterange('2022-01-01', '2025-01-01')) AS turnover,
	       (SELECT churn_rate(c.relationship, daterange('2022-01-01', '2025-01-01'))
	        FROM company.customers c WHERE c.branch_id = e.branch_id) AS churn
	FROM company.employees e GROUP BY e.branch_id
), t AS (
	SELECT 1 AS row, 'branch-quarters: turnover vs churn' AS comparison, corr_test(turnover, churn, 'pearson') AS c FROM bq
	UNION ALL
	SELECT 2, 'branch-quarters: turnover vs churn', corr_test(turnover, churn, 'spearman') FROM bq
	UNION ALL
	SELECT 3, 'branch-quarters: turnover vs churn', corr_test(turnover, churn, 'kendall') FROM bq
	UNION ALL
	SELECT 4, 'branch-quarters: controlling for headcount', partial_corr(turnover, churn, staff_avg) FROM bq
	UNION ALL
	SELECT 5, 'branch-quarters: turnover vs next quarter''s churn', corr_test(turnover, churn_next_quarter, 'pearson') FROM bq
	UNION ALL
	SELECT 6, 'branches, 2022-2024: turnover vs churn', corr_test(turnover, churn, 'pearson') FROM branch
)
SELECT row, comparison, (c).method, (c).n, (c).r, (c).p_value, (c).ci_low, (c).ci_high
FROM t;

-- Departure impact, a matched cohort: on the day each employee who was
-- someone's primary employee left, that employee's customers (exposed)
-- against the other customers of the same branch that day (unexposed); the
-- event is leaving within departure_days (90). Left out: customers whose
-- primary employee changed in the 90 days before (their own departure
-- effect may still run), unexposed customers whose primary employee leaves
-- within the 90 days after (judged by the employee's own dates: a customer
-- that left first has no reassignment to show it), and departures less than
-- 90 days before the end of the data. A customer can be unexposed on
-- several days. The branch_ columns pool the same comparison within
-- branches (Mantel-Haenszel), so that a branch whose customers churn more
-- and whose people leave more cannot make the effect look larger.
CREATE VIEW company.scorecard_departure_impact AS
WITH p AS (
	SELECT max(value) FILTER (WHERE name = 'departure_days')::int AS days,
	       max(value) FILTER (WHERE name = 'departure_hazard')::float8 AS planted
	FROM company.params
), departure AS (
	SELECT DISTINCT e.employee_id, e.branch_id, upper(e.employment) AS day
	FROM company.employees e
	JOIN company.customer_assignments a
	  ON a.employee_id = e.employee_id AND upper(a.assigned) = upper(e.employment)
	WHERE upper(e.employment) >= '2022-01-01'
	  AND upper(e.employment) <= '2025-01-01'::date - (SELECT days FROM p)
), cohort AS (
	SELECT d.day, d.branch_id, c.customer_id,
	       a.employee_id = d.employee_id AS exposed,
	       coalesce(upper(c.relationship) <= d.day + p.days, false) AS churned,
	       coalesce(upper(pe.employment) <= d.day + p.days, false) AS primary_leaves_soon,
	       EXISTS (SELECT 1 FROM company.customer_assignments r
	               WHERE r.customer_id = c.customer_id AND r.reason = 'previous employee left'
	                 AND lower(r.assigned) >= d.day - p.days AND lower(r.assigned) < d.day) AS recently_reassigned
	FROM departure d CROSS JOIN p
	JOIN company.customers c ON c.branch_id = d.branch_id AND c.relationship @> d.day
	JOIN company.customer_assignments a
	  ON a.customer_id = c.customer_id AND a.assigned @> (d.day - 1)
	JOIN company.employees pe ON pe.employee_id = a.employee_id
)
SELECT (rr).exposed_n, (rr).exposed_events, (rr).unexposed_n, (rr).unexposed_events,
       (rr).risk_exposed, (rr).risk_unexposed, (rr).ratio, (rr).ci_low, (rr).ci_high,
       (rr).p_value, (SELECT days FROM p) AS window_days,
       (SELECT planted FROM p) AS planted_hazard_ratio,
       (mh).ratio AS branch_ratio, (mh).ci_low AS branch_ci_low, (mh).ci_high AS branch_ci_high,
       (mh).p_value AS branch_p_value
FROM (
	SELECT risk_ratio(exposed, churned) AS rr,
	       risk_ratio(exposed, churned, branch_id::text) AS mh
	FROM cohort
	WHERE NOT recently_reassigned AND (exposed OR NOT primary_leaves_soon)
) s;

-- Departure impact as a hazard, strength held fixed: Cox regression over
-- episodes. Each customer relationship is seen from the start of the data
-- (2022-01-01, or its own start if later; time is days since it began, so
-- an older one enters late, at its age that day) until it ends or the data
-- do (2025-01-01). It is cut at each day its primary employee left and
-- departure_days (90) later: after_departure is 1 in the episodes that start
-- within departure_days after such a day, else 0. The second covariate is
-- the relationship's strength, twice: the one the generator drew the churn
-- hazard from (company.customers.planted_strength), then the one the
-- scorecard measures, the mean strength with the primary employee at the
-- quarter ends the customer was in the book (customer_quarter_ends). In
-- that fit a customer enters on the last day of its first quarter end, when
-- it is first measured (delayed entry again): dropping the customers gone
-- before then would drop the short relationships for being short. Beside
-- each term: the planted coefficient, ln(departure_hazard) and
-- -strength_churn, and its hazard ratio.
CREATE VIEW company.scorecard_departure_hazard AS
WITH p AS (
	SELECT max(value) FILTER (WHERE name = 'departure_days')::int AS days,
	       max(value) FILTER (WHERE name = 'departure_hazard')::float8 AS departure_hazard,
	       max(value) FILTER (WHERE name = 'strength_churn')::float8 AS strength_churn
	FROM company.params
), r AS (
	SELECT c.customer_id, lower(c.relationship) AS start,
	       greatest(lower(c.relationship), '2022-01-01') AS seen_from,
	       least(coalesce(upper(c.relationship), '2025-01-01'), '2025-01-01') AS stop,
	       coalesce(upper(c.relationship) <= '2025-01-01', false) AS churned,
	       c.planted_strength
	FROM company.customers c
	WHERE c.relationship && daterange('2022-01-01', '2025-01-01')
), departure AS (
	SELECT DISTINCT customer_id, lower(assigned) AS day
	FROM company.customer_assignments WHERE reason = 'previous employee left'
), cut AS (
	-- the days where the covariate may change: a departure opens a window
	-- (+1), departure_days later it closes (-1); the running sum is the
	-- number of windows open from that day on
	SELECT customer_id, day, sum(sum(delta)) OVER (PARTITION BY customer_id ORDER BY day) AS open
	FROM (SELECT customer_id, seen_from AS day, 0 AS delta FROM r
	      UNION ALL SELECT customer_id, day, 1 FROM departure
	      UNION ALL SELECT d.customer_id, d.day + p.days, -1 FROM departure d, p) c
	GROUP BY customer_id, day
), episode AS (
	SELECT r.customer_id, r.start, r.stop, r.churned, r.planted_strength, k.day AS a, k.open,
	       coalesce(lead(k.day) OVER (PARTITION BY k.customer_id ORDER BY k.day), r.stop) AS b
	FROM r JOIN cut k ON k.customer_id = r.customer_id AND k.day >= r.seen_from AND k.day < r.stop
), x AS (
	SELECT (e.a - e.start)::float8 AS entry, (e.b - e.start)::float8 AS exit,
	       e.churned AND e.b = e.stop AS event,
	       CASE WHEN e.open > 0 THEN 1.0 ELSE 0.0 END::float8 AS after_departure,
	       e.planted_strength, m.strength AS measured_strength,
	       (greatest(e.a, m.first_measured) - e.start)::float8 AS measured_entry
	FROM episode e
	LEFT JOIN (SELECT customer_id, avg(primary_strength) AS strength,
	                  min(quarter_end) - 1 AS first_measured
	           FROM company.customer_quarter_ends GROUP BY customer_id) m USING (customer_id)
), fit AS (
	SELECT 1 AS model, 'strength as planted' AS strength_used,
	       cox_regression(entry, exit, event, ARRAY[after_departure, planted_strength]) AS m
	FROM x
	UNION ALL
	SELECT 2, 'strength as measured',
	       cox_regression(measured_entry, exit, event, ARRAY[after_departure, measured_strength])
	FROM x WHERE measured_entry < exit
)
SELECT 2 * (f.model - 1) + t.term AS row, f.strength_used, t.name AS covariate,
       t.coef, t.hazard_ratio, t.std_err, t.p_value, t.ci_low, t.ci_high,
       CASE t.term WHEN 1 THEN ln(p.departure_hazard) ELSE -p.strength_churn END AS planted_coef,
       CASE t.term WHEN 1 THEN p.departure_hazard ELSE exp(-p.strength_churn) END AS planted_hazard_ratio,
       (cox_stats(f.m)).n AS episodes, (cox_stats(f.m)).events AS events
FROM fit f CROSS JOIN p
CROSS JOIN LATERAL cox_terms(f.m, ARRAY['after_departure', 'strength']) t;

-- Culture terciles of the branches (by the latent culture score; a real
-- company would rank by eNPS), and every employee in the data, seen from
-- its start (2022-01-01): an employment that began earlier enters the risk
-- set at its tenure that day (left truncation), since it was only seen
-- because it had lasted that long. hires counts the employments that began
-- in 2022-2024, employees all of them, leavers those that ended. The
-- log-rank test asks whether the three curves differ (one p-value, the same
-- on each row); expected_leavers is how many would have left had the
-- tercile not mattered.
CREATE VIEW company.scorecard_tenure AS
WITH t AS (
	SELECT branch_id, ntile(3) OVER (ORDER BY culture) AS tercile FROM company.branches
), s AS (
	SELECT t.tercile, count(*) FILTER (WHERE lower(e.employment) >= '2022-01-01') AS hires,
	       count(*) AS employees, count(upper(e.employment)) AS leavers,
	       tenure_survival(e.employment, '2025-01-01', '2022-01-01') AS s
	FROM company.employees e JOIN t USING (branch_id)
	GROUP BY t.tercile
), lr AS (
	SELECT logrank_test(tercile::text, s) AS l FROM s
)
SELECT tercile,
       (ARRAY['lowest third', 'middle third', 'highest third'])[tercile] AS culture,
       hires, leavers,
       (extract(epoch FROM median_tenure(s)) / 86400)::int AS median_tenure_days,
       survival_at(s, '1 year') AS retained_1_year,
       survival_at(s, '2 years') AS retained_2_years,
       employees,
       (median_ci(s)).ci_low AS median_tenure_ci_low_days,
       (median_ci(s)).ci_high AS median_tenure_ci_high_days,
       (lr.l).expected[array_position((lr.l).group_names, tercile::text)] AS expected_leavers,
       (lr.l).chisq AS logrank_chisq, (lr.l).df AS logrank_df, (lr.l).p_value AS logrank_p_value
FROM s CROSS JOIN lr;

-- The Kaplan-Meier curves of the employees hired in 2022-2024 by tercile
-- (the picture's right panel), each from its first day.
CREATE VIEW company.scorecard_retention_curve AS
WITH t AS (
	SELECT branch_id, ntile(3) OVER (ORDER BY culture) AS tercile FROM company.branches
), s AS (
	SELECT t.tercile, tenure_survival(e.employment, '2025-01-01') AS s
	FROM company.employees e JOIN t USING (branch_id)
	WHERE lower(e.employment) >= '2022-01-01'
	GROUP BY t.tercile
)
SELECT s.tercile,
       (ARRAY['lowest third', 'middle third', 'highest third'])[s.tercile] AS culture,
       (extract(epoch FROM k.tenure) / 86400)::int AS tenure_days,
       k.at_risk, k.events, k.censored, k.survival, k.ci_low, k.ci_high
FROM s CROSS JOIN LATERAL survival_curve(s.s) k;

-- At-risk customers at the end of the data: at the end of the previous
-- quarter one employee held most of the relationship (concentration at
-- least 0.5), that employee has left by now (a few left in the last days of
-- that quarter, their relationships not yet faded), and the relationship
-- has weakened since.
CREATE VIEW company.scorecard_at_risk_customers AS
WITH qs AS (
	SELECT max(quarter_start) AS now, max(quarter_start) - interval '3 months' AS before
	FROM company.quarters
)
SELECT c.customer_id, c.name AS customer, b.name AS branch,
       held.name AS held_by, upper(held.employment) AS held_by_left_on,
       prev.concentration AS concentration_before, prev.top_share AS top_share_before,
       prev.total_strength AS strength_before, cur.total_strength AS strength_now,
       cur.total_strength - prev.total_strength AS strength_change,
       successor.name AS now_with
FROM qs
JOIN company.customer_quarter_ends prev ON prev.quarter_start = qs.before
JOIN company.customer_quarter_ends cur ON cur.quarter_start = qs.now AND cur.customer_id = prev.customer_id
JOIN company.customers c ON c.customer_id = cur.customer_id
JOIN company.branches b ON b.branch_id = c.branch_id
JOIN company.employees held ON held.employee_id = prev.top_employee_id
LEFT JOIN company.employees successor ON successor.employee_id = cur.primary_employee_id
WHERE upper(held.employment) <= cur.quarter_end
  AND prev.concentration >= 0.5
  AND cur.total_strength < prev.total_strength;

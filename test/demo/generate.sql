-- A simulated company: branches, their employees and customers, three years of
-- interactions between them, and quarterly employee and customer surveys.
--
--   psql -v scale=1.0 -v seed=42 -f test/demo/generate.sql
--
-- scale (default 1.0) multiplies the number of employees, customers and
-- interactions; the number of branches stays the same. At scale 1.0: 40
-- branches, about 2,500 employees, 25,000 customers and 1.5 million
-- interactions. seed (default 42) picks the company: every random number is
-- a hash of the seed, a stream number and a row key (company.u below), so the
-- same seed and scale give the same rows, whatever the plan or the number of
-- parallel workers. Everything lives in the schema company, dropped first.
--
-- The causal story (the numbers are in company.params, filled in below):
--
--  * Each branch has a latent people-first culture, a standard normal score
--    (company.branches.culture; a real company does not see it and would
--    proxy it, e.g. by eNPS). Culture lowers voluntary turnover: the yearly
--    voluntary separation hazard is vol_hazard * exp(-culture_turnover *
--    culture), plus an involuntary hazard inv_hazard that culture does not
--    change. With the defaults a branch one standard deviation above average
--    loses 17% of its staff a year, an average one 24%, one a standard
--    deviation below 34%. Culture also raises eNPS (culture_enps points on
--    the 0-10 answer) and makes staff reach out to customers more often
--    (contact frequency times exp(culture_contact * culture)), the
--    service-profit chain.
--  * Every customer has a primary employee, a relationship manager of its
--    branch. When that employee leaves, the customer is reassigned to another
--    relationship manager of the branch on the day of the departure
--    (company.customer_assignments), and for departure_days (90) days its
--    churn hazard is multiplied by departure_hazard (2.0). A field study of
--    a Fortune 500 firm found 13.2-17.6% lower annual sales to the accounts
--    of departing sales representatives (Shi, Sridhar, Grewal and Lilien,
--    "Sales Representative Departures and Customer Reassignment Strategies
--    in Business-to-Business Markets", Journal of Marketing 81(2), 2017).
--    Here the loss is all churn: doubling a quarterly churn of about 3.3%
--    for one quarter loses another 3.3% of the departing employee's
--    customers, most of whom would otherwise have stayed for years; those
--    who stay but buy less are not modelled.
--  * Contact frequency drives relationship strength, and strong
--    relationships churn less. A customer is contacted by its primary
--    employee at a rate f per 30 days, lognormal around contacts_per_month
--    (times the culture effect above); at half-life 30 days that sustains a
--    strength of about s = f / (1 + f) (the README's scale: one contact per
--    half-life is 0.5). The yearly churn hazard is churn_hazard *
--    exp(-strength_churn * (s - strength_ref)): a customer at strength 0.4
--    churns 1.8 times as often as one at 0.6, one at 0.8 half as often.
--    With the departure multiplier this is a Cox model, log hazard =
--    ln(departure_hazard) * after_departure - strength_churn * s + const,
--    and s is kept (company.customers.planted_strength) so that the
--    scorecard can check a Cox fit against it.
--    Other employees of the branch (advisors, tellers) talk to the customer
--    too, at other_contacts_per_month, which spreads the relationship.
--  * Employees who will leave within half a year answer the eNPS survey
--    lower (enps_leaver); customers answer NPS higher with stronger
--    relationships and lower in the quarter after their employee left or
--    before they leave; sentiment of interactions sags in the 60 days before
--    a customer leaves. These give the dashboard something to notice but are
--    not used by the statistics that check the planted effects.
--
-- So branches that lose staff lose customers for two reasons: the
-- departures themselves (the 90-day effect) and culture, which both keeps
-- staff and, through contact, keeps customers. The scorecard
-- (scorecard.sql) should find a positive turnover-churn correlation and a
-- departure risk ratio near 2 (a little below: a 90-day risk saturates).
--
-- The CRM's history starts on 2021-10-01 (a quarter before the period, so
-- that relationship strengths are warm on 2022-01-01); employments and
-- customer relationships that began earlier carry their true start date;
-- spells still running on 2025-01-01 are open-ended ([start,)).

\set ON_ERROR_STOP 1
\if :{?scale}
\else
\set scale 1.0
\endif
\if :{?seed}
\else
\set seed 42
\endif
SET client_min_messages = warning;
SET TimeZone = 'UTC';

DROP SCHEMA IF EXISTS company CASCADE;
DROP TABLE IF EXISTS pg_temp.seat, pg_temp.spell, pg_temp.cust, pg_temp.asg, pg_temp.cust_end,
	pg_temp.cust_id, pg_temp.staff;
CREATE SCHEMA company;

CREATE TABLE company.params (
	name text PRIMARY KEY,
	value numeric NOT NULL,
	meaning text NOT NULL
);
INSERT INTO company.params VALUES
	('seed',                     :seed,  'seed of every pseudo-random draw'),
	('scale',                    :scale, 'size multiplier of employees, customers and interactions'),
	('branches',                 40,     'number of branches'),
	('seats_per_branch',         35,     'average staff positions per branch at scale 1 (lognormal, sd 0.35)'),
	('relationship_manager_share', 0.6,  'share of positions that are relationship managers (the rest advisors and tellers, one branch manager)'),
	('vacancy_days',             30,     'mean days a position stays empty after a departure (plus 14 days)'),
	('vol_hazard',               0.22,   'yearly voluntary separation hazard at average culture'),
	('inv_hazard',               0.05,   'yearly involuntary separation hazard'),
	('culture_turnover',         0.5,    'voluntary hazard multiplier exp(-culture_turnover * culture)'),
	('customers_per_seat',       13,     'customers per staff position on 2022-01-01'),
	('churn_hazard',             0.12,   'yearly customer churn hazard at strength strength_ref'),
	('acquisition_rate',         0.13,   'yearly new customers per customer on 2022-01-01'),
	('strength_ref',             0.6,    'reference relationship strength of churn_hazard'),
	('strength_churn',           3.0,    'churn hazard multiplier exp(-strength_churn * (strength - strength_ref))'),
	('departure_hazard',         2.0,    'churn hazard multiplier after the primary employee leaves'),
	('departure_days',           90,     'days the departure multiplier lasts'),
	('contacts_per_month',       1.45,    'median contacts per 30 days between a customer and its primary employee'),
	('contact_sd',               0.5,    'sd of log contact frequency between customers'),
	('culture_contact',          0.25,   'contact frequency multiplier exp(culture_contact * culture)'),
	('other_contacts_per_month', 0.36,   'contacts per 30 days with other employees of the branch'),
	('half_life_days',           30,     'half-life of relationship strength in the scorecard'),
	('enps_mean',                7.8,    'mean eNPS answer (0-10 scale, before rounding) at average culture'),
	('culture_enps',             1.1,    'eNPS answer points per culture standard deviation'),
	('enps_leaver',              1.2,    'eNPS answer points lower within 180 days before leaving'),
	('enps_response',            0.7,    'share of employees answering each quarter'),
	('nps_mean',                 7.9,    'mean NPS answer at strength strength_ref'),
	('nps_strength',             5.0,    'NPS answer points per unit of relationship strength'),
	('nps_response',             0.08,   'share of customers answering each quarter');

-- the parameters as psql variables for the statements below
SELECT max(value) FILTER (WHERE name = 'branches') AS p_branches,
       max(value) FILTER (WHERE name = 'seats_per_branch') AS p_seats,
       max(value) FILTER (WHERE name = 'relationship_manager_share') AS p_rm_share,
       max(value) FILTER (WHERE name = 'vacancy_days') AS p_vacancy,
       max(value) FILTER (WHERE name = 'vol_hazard') AS p_vol,
       max(value) FILTER (WHERE name = 'inv_hazard') AS p_inv,
       max(value) FILTER (WHERE name = 'culture_turnover') AS p_cult_turn,
       max(value) FILTER (WHERE name = 'customers_per_seat') AS p_cust_seat,
       max(value) FILTER (WHERE name = 'churn_hazard') AS p_churn,
       max(value) FILTER (WHERE name = 'acquisition_rate') AS p_acq,
       max(value) FILTER (WHERE name = 'strength_ref') AS p_sref,
       max(value) FILTER (WHERE name = 'strength_churn') AS p_schurn,
       max(value) FILTER (WHERE name = 'departure_hazard') AS p_dep_mult,
       max(value) FILTER (WHERE name = 'departure_days') AS p_dep_days,
       max(value) FILTER (WHERE name = 'contacts_per_month') AS p_f0,
       max(value) FILTER (WHERE name = 'contact_sd') AS p_fsd,
       max(value) FILTER (WHERE name = 'culture_contact') AS p_cult_contact,
       max(value) FILTER (WHERE name = 'other_contacts_per_month') AS p_f2,
       max(value) FILTER (WHERE name = 'enps_mean') AS p_enps,
       max(value) FILTER (WHERE name = 'culture_enps') AS p_cult_enps,
       max(value) FILTER (WHERE name = 'enps_leaver') AS p_enps_leaver,
       max(value) FILTER (WHERE name = 'enps_response') AS p_enps_resp,
       max(value) FILTER (WHERE name = 'nps_mean') AS p_nps,
       max(value) FILTER (WHERE name = 'nps_strength') AS p_nps_strength,
       max(value) FILTER (WHERE name = 'nps_response') AS p_nps_resp
FROM company.params \gset

-- u(stream, key): a uniform number in [0, 1) from 53 bits of a seeded hash;
-- n(stream, key): a standard normal (Box-Muller on two streams).
SELECT format($$CREATE FUNCTION company.u(stream int, k bigint) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN (hashint8extended(k, %s::bigint * 1000 + stream) & 9007199254740991)::float8
	       / 9007199254740992.0$$, :seed) \gexec
CREATE FUNCTION company.n(stream int, k bigint) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN sqrt(-2 * ln(company.u(stream, k) + 1e-17)) * cos(2 * pi() * company.u(stream + 500, k));

-- the twelve quarters of the period
CREATE TABLE company.quarters (
	quarter_start date PRIMARY KEY,
	quarter_end date NOT NULL,        -- first day after the quarter
	label text NOT NULL,
	period daterange NOT NULL
);
INSERT INTO company.quarters
SELECT d::date, (d + interval '3 months')::date, to_char(d, 'YYYY-"Q"Q'),
       daterange(d::date, (d + interval '3 months')::date)
FROM generate_series('2022-01-01'::date, '2024-10-01', interval '3 months') d;

\qecho 'generating branches'
CREATE TABLE company.branches (
	branch_id int PRIMARY KEY,
	name text NOT NULL,
	seats int NOT NULL,
	culture float8 NOT NULL
);
COMMENT ON COLUMN company.branches.culture IS
	'latent people-first culture (standard normal); known only because the company is simulated';
INSERT INTO company.branches
SELECT b,
       (ARRAY['Aldgate','Bramley','Carlton','Dunmore','Elstead','Fairholme','Glenrock','Harlow',
              'Ivybridge','Jesmond','Kelso','Langford','Marlow','Northam','Oakham','Penrith',
              'Quarndon','Redhill','Selby','Thornbury','Uckfield','Ventnor','Whitby','Yarm',
              'Alston','Beccles','Cromer','Dorking','Epsom','Frome','Goole','Hexham',
              'Ilkley','Keswick','Ludlow','Malton','Nailsea','Otley','Pershore','Ripon'])
           [1 + (b - 1) % 40] || CASE WHEN b > 40 THEN ' ' || (1 + (b - 1) / 40) ELSE '' END,
       greatest(4, round(:p_seats * :scale * exp(0.35 * company.n(1, b) - 0.06)))::int,
       company.n(2, b)
FROM generate_series(1, :p_branches::int) b;

\qecho 'generating employees'
-- Each staff position is a chain of employments separated by vacancies: the
-- first began before 2022 (its tenure so far drawn from the steady state of
-- a constant hazard), each next one after a vacancy, until one runs past the
-- period. Separations happen at the branch's hazard; whether one is
-- voluntary is drawn in proportion to the two hazards.
CREATE TABLE company.employees (
	employee_id int PRIMARY KEY,
	branch_id int NOT NULL REFERENCES company.branches,
	name text NOT NULL,
	role text NOT NULL,
	employment daterange NOT NULL,
	voluntary boolean          -- on leaving; NULL while employed
);
CREATE TEMP TABLE seat AS
SELECT b.branch_id * 1000 + k AS seat_id, b.branch_id,
       CASE WHEN k = 1 THEN 'branch manager'
            WHEN k <= 1 + round(:p_rm_share * (b.seats - 1)) THEN 'relationship manager'
            WHEN k % 2 = 0 THEN 'advisor' ELSE 'teller' END AS role,
       :p_inv::float8 AS inv_h,
       :p_vol * exp(-:p_cult_turn * b.culture) AS vol_h
FROM company.branches b, generate_series(1, b.seats) k;

CREATE TEMP TABLE spell AS
WITH RECURSIVE chain(seat_id, n, a, b, voluntary) AS (
	SELECT s.seat_id, 0,
	       '2022-01-01'::date - least(5000, floor(-ln(1 - company.u(10, s.seat_id)) / (s.inv_h + s.vol_h) * 365.25))::int,
	       '2022-01-01'::date + 1 + least(5000, floor(-ln(1 - company.u(11, s.seat_id)) / (s.inv_h + s.vol_h) * 365.25))::int,
	       company.u(12, s.seat_id) * (s.inv_h + s.vol_h) < s.vol_h
	FROM seat s
	UNION ALL
	SELECT c.seat_id, c.n + 1, a2,
	       a2 + 1 + least(5000, floor(-ln(1 - company.u(11, k)) / (s.inv_h + s.vol_h) * 365.25))::int,
	       company.u(12, k) * (s.inv_h + s.vol_h) < s.vol_h
	FROM chain c
	JOIN seat s USING (seat_id)
	CROSS JOIN LATERAL (SELECT c.seat_id * 100 + c.n + 1 AS k) key
	CROSS JOIN LATERAL (SELECT c.b + 14 + floor(-ln(1 - company.u(13, k)) * :p_vacancy)::int AS a2) gap
	WHERE c.b < '2025-01-01'
)
SELECT c.*, s.branch_id, s.role FROM chain c JOIN seat s USING (seat_id)
WHERE c.a < '2025-01-01';

INSERT INTO company.employees
SELECT row_number() OVER (ORDER BY a, seat_id)::int,
       branch_id,
       (ARRAY['Ana','Ben','Cleo','Dev','Eli','Fatima','Gus','Hana','Ivan','Jo','Kai','Lena','Milo',
              'Nora','Omar','Pia','Quinn','Rosa','Sam','Tara','Uma','Vik','Wren','Yusuf','Zoe',
              'Amir','Bea','Cal','Dana','Emil','Freya','Gita','Hugo','Iris','Jon','Kira'])
           [1 + floor(company.u(14, seat_id * 100 + n) * 36)::int] || ' ' ||
       (ARRAY['Adams','Baker','Chen','Diaz','Evans','Fox','Gray','Hill','Iqbal','Jones','Khan',
              'Lopez','Moore','Nash','Owen','Patel','Quist','Reed','Silva','Taylor','Usman',
              'Vance','Walsh','Young','Zhang','Berg','Costa','Dunn','Ellis','Ford'])
           [1 + floor(company.u(15, seat_id * 100 + n) * 30)::int],
       role,
       daterange(a, CASE WHEN b < '2025-01-01' THEN b END),
       CASE WHEN b < '2025-01-01' THEN voluntary END
FROM spell
-- employments that ended before the CRM's history are not in it
WHERE b >= '2021-10-01';
CREATE INDEX ON company.employees (branch_id);
SELECT count(*) AS employees,
       count(*) FILTER (WHERE upper(employment) IS NOT NULL) AS left_by_2025,
       count(*) FILTER (WHERE voluntary) AS voluntarily
FROM company.employees WHERE employment && daterange('2022-01-01', '2025-01-01') \gset
\qecho '  ' :employees 'employees in 2022-2024,' :left_by_2025 'of them left,' :voluntarily 'voluntarily'

\qecho 'generating customers'
-- Customers on 2022-01-01 (in the book for up to 8 years) and new ones
-- through the period, each with a contact frequency and a base churn hazard.
CREATE TEMP TABLE cust AS
WITH b AS (
	SELECT branch_id, culture,
	       round(seats * :p_cust_seat)::int AS initial,
	       round(seats * :p_cust_seat * :p_acq * 3)::int AS acquired
	FROM company.branches
), c AS (
	SELECT branch_id, culture, branch_id * 100000::bigint + k AS key,
	       '2022-01-01'::date - floor(company.u(20, branch_id * 100000 + k) * 2922)::int - 1 AS start
	FROM b, generate_series(1, b.initial) k
	UNION ALL
	SELECT branch_id, culture, branch_id * 100000::bigint + 50000 + k,
	       '2022-01-01'::date + floor(company.u(20, branch_id * 100000 + 50000 + k) * 1096)::int
	FROM b, generate_series(1, b.acquired) k
)
SELECT c.*,
       f,
       :p_churn * exp(-:p_schurn * (f / (1 + f) - :p_sref)) AS hazard
FROM c
CROSS JOIN LATERAL (SELECT :p_f0 * exp(:p_fsd * company.n(21, c.key) + :p_cult_contact * c.culture) AS f) ff;

\qecho 'assigning primary employees'
-- The first primary employee is a relationship manager of the branch on
-- the customer's first day in the period (another employee when the branch
-- has none that day); on each departure the next one is picked the same way.
CREATE TEMP TABLE asg AS
WITH RECURSIVE chain(key, branch_id, n, employee_id, a, b) AS (
	SELECT c.key, c.branch_id, 0, e.employee_id,
	       greatest(c.start, lower(e.employment)), upper(e.employment)
	FROM cust c
	CROSS JOIN LATERAL (
		SELECT e.employee_id, e.employment FROM company.employees e
		WHERE e.branch_id = c.branch_id AND e.employment @> greatest(c.start, '2022-01-01')
		ORDER BY e.role <> 'relationship manager', company.u(30, c.key * 16384 + e.employee_id)
		LIMIT 1) e
	UNION ALL
	SELECT c.key, c.branch_id, c.n + 1, e.employee_id, c.b, upper(e.employment)
	FROM chain c
	CROSS JOIN LATERAL (
		SELECT e.employee_id, e.employment FROM company.employees e
		WHERE e.branch_id = c.branch_id AND e.employment @> c.b
		ORDER BY e.role <> 'relationship manager', company.u(31 + c.n, c.key * 16384 + e.employee_id)
		LIMIT 1) e
	WHERE c.b < '2025-01-01'
)
SELECT * FROM chain;
CREATE INDEX ON asg (key);
ANALYZE asg;

\qecho 'simulating churn'
-- Piecewise-constant hazard: the customer's base hazard, times
-- departure_hazard in the departure_days after each departure of its
-- primary employee. A customer leaves when the cumulative hazard since
-- 2022-01-01 (or its start) reaches an exponential draw.
CREATE TEMP TABLE cust_end AS
WITH dep AS (
	SELECT key, b AS d FROM asg WHERE b < '2025-01-01'
), pts AS (
	SELECT key, greatest(start, '2022-01-01') AS p FROM cust
	UNION SELECT key, d FROM dep
	UNION SELECT key, least(d + :p_dep_days::int, '2025-01-01') FROM dep
	UNION SELECT key, '2025-01-01' FROM cust
), seg AS (
	SELECT key, p AS a, lead(p) OVER (PARTITION BY key ORDER BY p) AS b FROM pts
), segh AS (
	SELECT s.key, s.a, s.b,
	       min(c.hazard) * CASE WHEN count(dep.d) > 0 THEN :p_dep_mult ELSE 1 END / 365.25 AS h,
	       -ln(1 - company.u(40, s.key)) AS e
	FROM seg s JOIN cust c USING (key)
	LEFT JOIN dep ON dep.key = s.key AND s.a >= dep.d AND s.a < dep.d + :p_dep_days::int
	WHERE s.b IS NOT NULL
	GROUP BY s.key, s.a, s.b
), cum AS (
	SELECT *, sum(h * (b - a)) OVER (PARTITION BY key ORDER BY a) AS h1 FROM segh
)
SELECT DISTINCT ON (key) key, a + greatest(1, ceil((e - (h1 - h * (b - a))) / h))::int AS churned
FROM cum WHERE h1 >= e
ORDER BY key, a;

CREATE TABLE company.customers (
	customer_id int PRIMARY KEY,
	branch_id int NOT NULL REFERENCES company.branches,
	name text NOT NULL,
	relationship daterange NOT NULL,
	planted_strength float8 NOT NULL
);
COMMENT ON COLUMN company.customers.planted_strength IS
	'the relationship strength f / (1 + f) that set the churn hazard (f: contacts per 30 days with the primary employee); known only because the company is simulated';
CREATE TEMP TABLE cust_id AS
SELECT c.key, row_number() OVER (ORDER BY c.start, c.key)::int AS customer_id,
       daterange(c.start, e.churned) AS relationship
FROM cust c LEFT JOIN cust_end e USING (key);
INSERT INTO company.customers
SELECT i.customer_id, c.branch_id,
       (ARRAY['Ashby','Brook','Calder','Dale','Ember','Finch','Grove','Heath','Irwin','Kemp','Lark',
              'Mercer','Noble','Oakes','Pryor','Rowe','Stone','Thorne','Vale','Webb','York','Abbott',
              'Blake','Crane','Drake','Frost','Hale','Lane','Marsh','North'])
           [1 + floor(company.u(22, c.key) * 30)::int] || ' ' ||
       (ARRAY['Ltd','Bakery','Dental','Farms','Garage','Holdings','Logistics','Motors','Partners',
              'Pharmacy','Print','Studio','Trading','Builders','Café','Clinic','family','Florist'])
           [1 + floor(company.u(23, c.key) * 18)::int],
       i.relationship,
       c.f / (1 + c.f)
FROM cust c JOIN cust_id i USING (key);
CREATE INDEX ON company.customers (branch_id);

CREATE TABLE company.customer_assignments (
	customer_id int NOT NULL REFERENCES company.customers,
	employee_id int NOT NULL REFERENCES company.employees,
	assigned daterange NOT NULL,
	reason text NOT NULL,      -- 'first' or 'previous employee left'
	PRIMARY KEY (customer_id, assigned)
);
INSERT INTO company.customer_assignments
SELECT i.customer_id, a.employee_id,
       daterange(a.a, CASE WHEN upper(i.relationship) IS NULL OR a.b < upper(i.relationship) THEN a.b
                           ELSE upper(i.relationship) END),
       CASE WHEN a.n = 0 THEN 'first' ELSE 'previous employee left' END
FROM asg a JOIN cust_id i USING (key)
WHERE upper(i.relationship) IS NULL OR a.a < upper(i.relationship);
SELECT count(*) AS customers,
       count(*) FILTER (WHERE upper(relationship) IS NOT NULL) AS churned
FROM company.customers WHERE relationship && daterange('2022-01-01', '2025-01-01') \gset
SELECT count(*) FILTER (WHERE reason <> 'first') AS reassigned FROM company.customer_assignments \gset
\qecho '  ' :customers 'customers in 2022-2024,' :churned 'of them left,' :reassigned 'reassignments after departures'

\qecho 'generating interactions'
-- Contacts with the primary employee: a Poisson-like number (the expected
-- count rounded up or down at random) spread uniformly over each
-- assignment, from 2021-10-01 on; contacts with other employees: per
-- customer and quarter, with one employee of the branch picked at random
-- among those employed on the first day of the quarter, over the part of
-- the quarter both are there. Times are in working hours.
-- the employees of each branch on the first day of each quarter (from the
-- one before the period), numbered
CREATE TEMP TABLE staff AS
SELECT q.k, q.quarter_start, q.quarter_end, e.branch_id, e.employee_id, e.employment,
       row_number() OVER (PARTITION BY q.k, e.branch_id ORDER BY e.employee_id)::int AS i,
       count(*) OVER (PARTITION BY q.k, e.branch_id)::int AS staff
FROM (SELECT d::date AS quarter_start, (d + interval '3 months')::date AS quarter_end,
             row_number() OVER (ORDER BY d) AS k
      FROM generate_series('2021-10-01'::date, '2024-10-01', interval '3 months') d) q
JOIN company.employees e ON e.employment @> q.quarter_start;
CREATE INDEX ON staff (k, branch_id, i);
ANALYZE staff;
-- (a plain table, not a temporary one, so that the query below can read it in parallel)
CREATE UNLOGGED TABLE company.contact_window AS
-- primary: one window per assignment
SELECT i.customer_id::bigint * 64 + a.n AS wkey, i.customer_id, a.employee_id, c.f AS rate,
       greatest(a.a, '2021-10-01')::date AS a,
       least(a.b, upper(i.relationship), '2025-01-01')::date AS b,
       upper(i.relationship) AS churned, c.culture
FROM asg a JOIN cust_id i USING (key) JOIN cust c USING (key)
UNION ALL
-- others: one window per customer and quarter
SELECT cq.customer_id::bigint * 64 + 32 + cq.k, cq.customer_id, st.employee_id, :p_f2::float8,
       greatest(cq.quarter_start, lower(cq.relationship), lower(st.employment)),
       least(cq.quarter_end, upper(cq.relationship), upper(st.employment)),
       upper(cq.relationship), cq.culture
FROM (SELECT i.customer_id, i.relationship, c.culture, q.*,
             1 + floor(company.u(50, i.customer_id::bigint * 64 + q.k) * q.staff)::int AS pick
      FROM cust c JOIN cust_id i USING (key)
      JOIN (SELECT DISTINCT k, quarter_start, quarter_end, branch_id, staff FROM staff) q
        ON q.branch_id = c.branch_id AND i.relationship && daterange(q.quarter_start, q.quarter_end)
      OFFSET 0) cq
JOIN staff st ON st.k = cq.k AND st.branch_id = cq.branch_id AND st.i = cq.pick;
DELETE FROM company.contact_window WHERE b <= a;
ANALYZE company.contact_window;

-- CREATE TABLE AS, unlike INSERT, runs the query in parallel
CREATE TABLE company.interactions AS
SELECT w.wkey * 4096 + k AS interaction_id,
       w.employee_id, w.customer_id,
       (w.a + floor(company.u(61, w.wkey * 4096 + k) * (w.b - w.a))::int)::timestamp AT TIME ZONE 'UTC'
         + interval '8 hours' + floor(company.u(62, w.wkey * 4096 + k) * 36000) * interval '1 second' AS at,
       CASE WHEN ch < 0.45 THEN 'phone' WHEN ch < 0.75 THEN 'email'
            WHEN ch < 0.90 THEN 'meeting' ELSE 'chat' END AS channel,
       company.u(63, w.wkey * 4096 + k) < 0.4 AS inbound,
       greatest(-1, least(1, 0.25 + 0.1 * w.culture + 0.35 * company.n(64, w.wkey * 4096 + k)
                             - CASE WHEN w.churned - 60 <= w.a + floor(company.u(61, w.wkey * 4096 + k) * (w.b - w.a))::int
                                    THEN 0.4 ELSE 0 END)) AS sentiment
FROM company.contact_window w
CROSS JOIN LATERAL generate_series(1, floor(w.rate * (w.b - w.a) / 30.0 + company.u(60, w.wkey))::int) k
CROSS JOIN LATERAL (SELECT company.u(65, w.wkey * 4096 + k) AS ch) chan;
ALTER TABLE company.interactions
	ADD PRIMARY KEY (interaction_id),
	ALTER employee_id SET NOT NULL, ALTER customer_id SET NOT NULL, ALTER at SET NOT NULL,
	ALTER channel SET NOT NULL, ALTER inbound SET NOT NULL, ALTER sentiment SET NOT NULL,
	ADD CHECK (sentiment BETWEEN -1 AND 1);
CREATE INDEX ON company.interactions (customer_id, employee_id);
DROP TABLE company.contact_window;
SELECT count(*) AS interactions FROM company.interactions \gset
\qecho '  ' :interactions 'interactions'

\qecho 'generating surveys'
-- Every quarter, on its 46th day, a share of the employees and customers
-- there that day answer 0-10.
CREATE TABLE company.employee_surveys (
	employee_id int NOT NULL REFERENCES company.employees,
	quarter_start date NOT NULL REFERENCES company.quarters,
	answered_on date NOT NULL,
	score int NOT NULL CHECK (score BETWEEN 0 AND 10),
	PRIMARY KEY (employee_id, quarter_start)
);
INSERT INTO company.employee_surveys
SELECT e.employee_id, q.quarter_start, q.quarter_start + 45,
       greatest(0, least(10, round(:p_enps + :p_cult_enps * b.culture + 1.8 * company.n(70, key)
                                   + 0.5 * company.n(74, b.branch_id * 100 + extract(month FROM q.quarter_start)::int
                                                     + 12 * extract(year FROM q.quarter_start)::int)
                                   - CASE WHEN upper(e.employment) <= q.quarter_start + 45 + 180
                                          THEN :p_enps_leaver ELSE 0 END)))::int
FROM company.employees e JOIN company.branches b USING (branch_id)
JOIN company.quarters q ON e.employment @> (q.quarter_start + 45)
CROSS JOIN LATERAL (SELECT e.employee_id::bigint * 1000 + extract(year FROM q.quarter_start)::int % 100 * 4
                           + extract(quarter FROM q.quarter_start)::int AS key) k
WHERE company.u(71, key) < :p_enps_resp;

CREATE TABLE company.customer_surveys (
	customer_id int NOT NULL REFERENCES company.customers,
	quarter_start date NOT NULL REFERENCES company.quarters,
	answered_on date NOT NULL,
	score int NOT NULL CHECK (score BETWEEN 0 AND 10),
	PRIMARY KEY (customer_id, quarter_start)
);
INSERT INTO company.customer_surveys
SELECT i.customer_id, q.quarter_start, q.quarter_start + 45,
       greatest(0, least(10, round(:p_nps + :p_nps_strength * (c.f / (1 + c.f) - :p_sref)
                                   + 1.6 * company.n(72, sk)
                                   - CASE WHEN EXISTS (SELECT 1 FROM asg a WHERE a.key = c.key AND a.n > 0
                                                       AND a.a BETWEEN q.quarter_start + 45 - 90 AND q.quarter_start + 45)
                                          THEN 1.0 ELSE 0 END
                                   - CASE WHEN upper(i.relationship) <= q.quarter_start + 45 + 90
                                          THEN 1.5 ELSE 0 END)))::int
FROM cust c JOIN cust_id i USING (key)
JOIN company.quarters q ON i.relationship @> (q.quarter_start + 45)
CROSS JOIN LATERAL (SELECT i.customer_id::bigint * 1000 + extract(year FROM q.quarter_start)::int % 100 * 4
                           + extract(quarter FROM q.quarter_start)::int AS sk) k
WHERE company.u(73, sk) < :p_nps_resp;
SELECT (SELECT count(*) FROM company.employee_surveys) AS employee_answers,
       (SELECT count(*) FROM company.customer_surveys) AS customer_answers \gset
\qecho '  ' :employee_answers 'eNPS answers,' :customer_answers 'NPS answers'

ANALYZE company.params, company.quarters, company.branches, company.employees, company.customers, company.customer_assignments,
        company.interactions, company.employee_surveys, company.customer_surveys;
DROP TABLE seat, spell, cust, asg, cust_end, cust_id, staff;

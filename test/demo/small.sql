-- A small example: three account managers, four customers, a year of calls.
\pset footer off
SET TimeZone = 'UTC';
CREATE EXTENSION peoplefirst;

CREATE TABLE interactions (employee text, customer text, at timestamptz,
                           inbound boolean, sentiment float8);
-- Ana calls Acme every two weeks and Acme calls back; Ben saw Bolt twice in
-- spring; Cleo and Ana share Corex; Dyna has not been called since January.
INSERT INTO interactions
SELECT 'Ana', 'Acme', '2024-01-05'::timestamptz + k * interval '14 days', k % 2 = 0, 0.6
FROM generate_series(0, 25) k;
INSERT INTO interactions VALUES
  ('Ben', 'Bolt', '2024-03-10', false, 0.2),
  ('Ben', 'Bolt', '2024-04-22', true, -0.4),
  ('Cleo', 'Corex', '2024-11-02', false, 0.9),
  ('Cleo', 'Corex', '2024-12-01', true, 0.8),
  ('Cleo', 'Corex', '2024-12-20', false, 0.7),
  ('Ana', 'Corex', '2024-06-15', false, NULL),
  ('Ben', 'Dyna', '2024-01-20', false, -0.2);

\echo
\echo 'Relationship strength of each employee-customer pair on 2024-12-31 (half-life 30 days):'
SELECT employee, customer,
       interactions(r) AS calls,
       round(strength(r, '2024-12-31')::numeric, 3) AS strength,
       round(reciprocity(r)::numeric, 2) AS reciprocity,
       round(sentiment(r)::numeric, 2) AS sentiment,
       recency(r, '2024-12-31') AS since_last_call
FROM (SELECT employee, customer,
             strength_agg(at, '30 days', 1, sentiment, inbound) AS r
      FROM interactions GROUP BY employee, customer) s
ORDER BY strength DESC;

\echo
\echo 'Key-person dependency of each customer: how much of the relationship one employee holds:'
SELECT customer,
       round(concentration(s)::numeric, 3) AS concentration,
       round(top_share(s)::numeric, 3) AS top_share
FROM (SELECT customer, employee,
             strength(strength_agg(at, '30 days'), '2024-12-31') AS s
      FROM interactions GROUP BY customer, employee) p
GROUP BY customer ORDER BY customer;

\echo
\echo 'Monthly summaries stored once, rolled up later into the year:'
CREATE TABLE monthly AS
SELECT customer, date_trunc('month', at) AS month, strength_agg(at, '30 days') AS r
FROM interactions GROUP BY 1, 2;
SELECT customer, count(*) AS months,
       round(strength(rollup(r), '2024-12-31')::numeric, 3) AS strength
FROM monthly GROUP BY customer ORDER BY customer;

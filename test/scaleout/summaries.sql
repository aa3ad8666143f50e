-- Summaries stored per branch and day (relstrength) and per branch and
-- department (survival), to be rolled up later. On the coordinator the
-- aggregation runs on the shards and the summaries are routed back to them.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET enable_partitionwise_aggregate = on;

INSERT INTO strength_daily (branch, customer, day, r)
SELECT branch, customer, (at AT TIME ZONE 'UTC')::date,
	strength_agg(at, '30 days', weight, sentiment, inbound)
FROM interactions GROUP BY branch, customer, (at AT TIME ZONE 'UTC')::date;

INSERT INTO survival_by_department (branch, department, s)
SELECT branch, department, tenure_survival(employment, '2024-12-31')
FROM employees GROUP BY branch, department;

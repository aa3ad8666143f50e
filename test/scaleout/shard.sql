-- A shard: the extension and plain tables with the coordinator's columns.
-- The coordinator's foreign partitions point here; rows arrive through them.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE EXTENSION peoplefirst;

CREATE TABLE interactions (
	branch int NOT NULL, employee int, customer int, at timestamptz,
	weight float8, sentiment float8, inbound boolean);

CREATE TABLE employees (
	branch int NOT NULL, employee int, department text, employment daterange,
	voluntary boolean, salary float8, engagement float8, tenure_years float8,
	customers float8, score int, remote boolean);

-- summaries stored on the shard and rolled up later
CREATE TABLE strength_daily (branch int NOT NULL, customer int, day date, r relstrength);
CREATE TABLE survival_by_department (branch int NOT NULL, department text, s survival);

-- a view over corr_test on the shard, read by the coordinator as a table
CREATE VIEW branch_rank_tests AS
SELECT branch, (corr_test(salary, engagement, 'kendall')).*,
	(corr_test(salary, engagement, 'spearman')).p_value AS spearman_p_value
FROM employees GROUP BY branch;

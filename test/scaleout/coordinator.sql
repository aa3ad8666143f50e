-- The coordinator: the extension, postgres_fdw, one server per shard and
-- tables partitioned by branch whose partitions are foreign tables.
-- run.sh sets :shard1_opts, :shard2_opts (server options) and :mapping_opts.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE EXTENSION peoplefirst;
CREATE EXTENSION postgres_fdw;

-- extensions 'peoplefirst' makes the extension's functions, aggregates,
-- operators and types shippable: without it nothing of it is pushed down
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (:shard1_opts, extensions 'peoplefirst', batch_size '1000');
CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (:shard2_opts, extensions 'peoplefirst', batch_size '1000');
-- the same shard without the option, to show what it changes
CREATE SERVER shard1_plain FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (:shard1_opts);

CREATE USER MAPPING FOR CURRENT_USER SERVER shard1 OPTIONS (:mapping_opts);
CREATE USER MAPPING FOR CURRENT_USER SERVER shard2 OPTIONS (:mapping_opts);
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1_plain OPTIONS (:mapping_opts);

CREATE TABLE interactions (
	branch int NOT NULL, employee int, customer int, at timestamptz,
	weight float8, sentiment float8, inbound boolean)
	PARTITION BY LIST (branch);
CREATE FOREIGN TABLE interactions_1 PARTITION OF interactions
	FOR VALUES IN (1, 2, 3) SERVER shard1 OPTIONS (table_name 'interactions');
CREATE FOREIGN TABLE interactions_2 PARTITION OF interactions
	FOR VALUES IN (4, 5, 6) SERVER shard2 OPTIONS (table_name 'interactions');

CREATE TABLE employees (
	branch int NOT NULL, employee int, department text, employment daterange,
	voluntary boolean, salary float8, engagement float8, tenure_years float8,
	customers float8, score int, remote boolean)
	PARTITION BY LIST (branch);
CREATE FOREIGN TABLE employees_1 PARTITION OF employees
	FOR VALUES IN (1, 2, 3) SERVER shard1 OPTIONS (table_name 'employees');
CREATE FOREIGN TABLE employees_2 PARTITION OF employees
	FOR VALUES IN (4, 5, 6) SERVER shard2 OPTIONS (table_name 'employees');

CREATE TABLE strength_daily (branch int NOT NULL, customer int, day date, r relstrength)
	PARTITION BY LIST (branch);
CREATE FOREIGN TABLE strength_daily_1 PARTITION OF strength_daily
	FOR VALUES IN (1, 2, 3) SERVER shard1 OPTIONS (table_name 'strength_daily');
CREATE FOREIGN TABLE strength_daily_2 PARTITION OF strength_daily
	FOR VALUES IN (4, 5, 6) SERVER shard2 OPTIONS (table_name 'strength_daily');

CREATE TABLE survival_by_department (branch int NOT NULL, department text, s survival)
	PARTITION BY LIST (branch);
CREATE FOREIGN TABLE survival_by_department_1 PARTITION OF survival_by_department
	FOR VALUES IN (1, 2, 3) SERVER shard1 OPTIONS (table_name 'survival_by_department');
CREATE FOREIGN TABLE survival_by_department_2 PARTITION OF survival_by_department
	FOR VALUES IN (4, 5, 6) SERVER shard2 OPTIONS (table_name 'survival_by_department');

-- per-branch rank tests computed by a view on each shard
CREATE TABLE branch_rank_tests (branch int NOT NULL, method text, n bigint, r float8,
	p_value float8, ci_low float8, ci_high float8, confidence float8, spearman_p_value float8)
	PARTITION BY LIST (branch);
CREATE FOREIGN TABLE branch_rank_tests_1 PARTITION OF branch_rank_tests
	FOR VALUES IN (1, 2, 3) SERVER shard1 OPTIONS (table_name 'branch_rank_tests');
CREATE FOREIGN TABLE branch_rank_tests_2 PARTITION OF branch_rank_tests
	FOR VALUES IN (4, 5, 6) SERVER shard2 OPTIONS (table_name 'branch_rank_tests');

-- shard 1's interactions through the server without the extensions option
CREATE FOREIGN TABLE interactions_1_plain (
	branch int NOT NULL, employee int, customer int, at timestamptz,
	weight float8, sentiment float8, inbound boolean)
	SERVER shard1_plain OPTIONS (table_name 'interactions');

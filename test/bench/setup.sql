-- Generates the benchmark's tables, set-based, in one pass each.
-- psql variables: rows (rows of each big table), small and mid (rows of the
-- two subsets used for kendall_tau's growth with n).
-- The tables are unlogged: loading skips the WAL, scanning is the same.
\set ON_ERROR_STOP 1
SET work_mem = '1GB';
SET jit = off;

-- Interactions over two years, before 2025-01-01: weights 1..3, sentiment
-- known for 70% of the rows, direction for 90%; 1,000 relationships.
CREATE UNLOGGED TABLE interactions (
	at timestamptz NOT NULL,
	w float8 NOT NULL,
	sentiment float8,
	inbound boolean,
	pair int NOT NULL
);
INSERT INTO interactions
SELECT timestamptz '2023-01-01 00:00+00' + random() * interval '730 days',
       1 + floor(random() * 3),
       CASE WHEN random() < 0.7 THEN round(random() * 200 - 100) / 100 END,
       CASE WHEN random() < 0.9 THEN random() < 0.5 END,
       i % 1000
FROM generate_series(1, :rows) i;

-- One stored summary per relationship, for rollup.
CREATE TABLE summaries AS
SELECT pair, strength_agg(at, '30 days') AS r FROM interactions GROUP BY pair;

-- Correlated pairs; x takes rows/10 distinct values, so about ten rows share
-- each value (ties, as in HR data); y is continuous.
CREATE UNLOGGED TABLE samples (x float8 NOT NULL, y float8 NOT NULL);
INSERT INTO samples
SELECT floor(u * (:rows / 10)), u + random()
FROM (SELECT random() AS u FROM generate_series(1, :rows) OFFSET 0) g;

CREATE UNLOGGED TABLE samples_small AS SELECT x, y FROM samples LIMIT :small;
CREATE UNLOGGED TABLE samples_mid AS SELECT x, y FROM samples LIMIT :mid;

-- For the rank correlations against their floor at both sizes, with ties
-- and without: pairs like samples but `small` of them (x takes small/10
-- values, ten rows a value), and continuous pairs (no ties) of both sizes.
CREATE UNLOGGED TABLE pairs_tied_small (x float8 NOT NULL, y float8 NOT NULL);
INSERT INTO pairs_tied_small
SELECT floor(u * (:small / 10)), u + random()
FROM (SELECT random() AS u FROM generate_series(1, :small) OFFSET 0) g;
CREATE UNLOGGED TABLE pairs_random (x float8 NOT NULL, y float8 NOT NULL);
INSERT INTO pairs_random
SELECT u, u + random()
FROM (SELECT random() AS u FROM generate_series(1, :rows) OFFSET 0) g;
CREATE UNLOGGED TABLE pairs_random_small AS SELECT x, y FROM pairs_random LIMIT :small;

-- Employment spells starting 2015..2024, lasting an exponential time (mean
-- 900 days); 30% ongoing.
CREATE UNLOGGED TABLE spells (spell daterange NOT NULL, voluntary boolean, v float8 NOT NULL);
INSERT INTO spells
SELECT CASE WHEN random() < 0.3 THEN daterange(lo, NULL)
            ELSE daterange(lo, lo + 1 + floor(-ln(1 - random()) * 900)::int) END,
       random() < 0.6,
       random()
FROM (SELECT date '2015-01-01' + floor(random() * 3650)::int AS lo
      FROM generate_series(1, :rows) OFFSET 0) g;

-- Timestamp spells (a fifth of the rows: 2,000,000 at 10M), nearly every
-- duration distinct to the microsecond, in 1,000 groups; and one stored
-- survival summary per group, for rollup(survival).
CREATE UNLOGGED TABLE tspells (grp int NOT NULL, spell tstzrange NOT NULL);
INSERT INTO tspells
SELECT i % 1000,
       CASE WHEN random() < 0.3 THEN tstzrange(lo, NULL)
            ELSE tstzrange(lo, lo + (-ln(1 - random()) * 900) * interval '1 day') END
FROM (SELECT i, timestamptz '2015-01-01 00:00+00' + random() * interval '3650 days' AS lo
      FROM generate_series(1, :rows / 5) i OFFSET 0) g;
CREATE TABLE tsummaries AS
SELECT grp, tenure_survival(spell, timestamptz '2025-01-01 00:00+00') AS s FROM tspells GROUP BY grp;

-- The spells in 40 groups by start day, one stored survival summary each,
-- for logrank_test over stored summaries.
CREATE TABLE gsummaries AS
SELECT (lower(spell) - date '2015-01-01') % 40 AS g, tenure_survival(spell, date '2025-01-01') AS s
FROM spells GROUP BY 1;

-- Exactly two workers whenever a plan goes parallel.
ALTER TABLE interactions SET (parallel_workers = 2);
ALTER TABLE summaries SET (parallel_workers = 2);
ALTER TABLE samples SET (parallel_workers = 2);
ALTER TABLE samples_small SET (parallel_workers = 2);
ALTER TABLE samples_mid SET (parallel_workers = 2);
ALTER TABLE pairs_tied_small SET (parallel_workers = 2);
ALTER TABLE pairs_random SET (parallel_workers = 2);
ALTER TABLE pairs_random_small SET (parallel_workers = 2);
ALTER TABLE spells SET (parallel_workers = 2);
ALTER TABLE tspells SET (parallel_workers = 2);
ALTER TABLE tsummaries SET (parallel_workers = 2);

-- Hint bits and the visibility map set now, not during the first timed scan.
VACUUM (FREEZE, ANALYZE) interactions, summaries, samples, samples_small, samples_mid,
	pairs_tied_small, pairs_random, pairs_random_small, spells,
	tspells, tsummaries, gsummaries;

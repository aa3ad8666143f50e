-- Turns the timings of run_bench.sh (tables bench_query, bench_run,
-- bench_plan, bench_memory) into the markdown report: medians, ratios,
-- targets with "holds" or "misses", agreement of results, memory.
-- psql variables: rows small mid runs nproc cpu mem kernel load0 load1 gen started
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on

CREATE TEMP VIEW med AS
SELECT id, mode,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms,
       min(ms) AS min_ms, max(ms) AS max_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms) AS cpu_ms,
       min(cpu_ms) AS min_cpu, max(cpu_ms) AS max_cpu,
       sum(wait_ms) / sum(ms) AS wait_share,
       min(value) FILTER (WHERE round = 1) AS value
FROM bench_run GROUP BY id, mode;

CREATE TEMP VIEW q AS
SELECT b.ord, b.id, b.tbl, b.label,
       s.ms AS serial_ms, p.ms AS parallel_ms, s.cpu_ms AS serial_cpu, s.wait_share AS serial_wait, s.value AS serial_value, p.value AS parallel_value,
       s.min_ms AS s_min, s.max_ms AS s_max, p.min_ms AS p_min, p.max_ms AS p_max,
       pl.planned, pl.launched
FROM bench_query b
LEFT JOIN med s ON s.id = b.id AND s.mode = 'S'
LEFT JOIN med p ON p.id = b.id AND p.mode = 'P'
LEFT JOIN bench_plan pl ON pl.id = b.id AND pl.mode = 'P';

CREATE FUNCTION pg_temp.ms(float8) RETURNS text LANGUAGE sql AS
$$ SELECT CASE WHEN $1 IS NULL THEN '' WHEN $1 < 100 THEN to_char($1, 'FM9990.00')
               ELSE to_char($1, 'FM999,999,990') END $$;
CREATE FUNCTION pg_temp.x(float8) RETURNS text LANGUAGE sql AS
$$ SELECT CASE WHEN $1 IS NULL THEN '' WHEN $1 < 10 THEN to_char($1, 'FM990.000') || 'x'
               ELSE to_char($1, 'FM999,999,990') || 'x' END $$;

-- header
SELECT format($h$# peoplefirst benchmark

Run of %s: %s rows in each of `interactions`, `samples` and `spells`
(`kendall_tau`'s growth with n on their first %s and %s rows of `samples`);
each time is the median of %s runs; data generation took %s s.

| machine | |
|---|---|
| nproc | %s |
| CPU | %s |
| memory | %s |
| kernel | %s |
| load average (1, 5, 15 min) at start / end | %s / %s |
| PostgreSQL | %s |
| shared_buffers | %s |
$h$, :'started', to_char(:rows::bigint, 'FM999,999,999,999'),
   to_char(:small::bigint, 'FM999,999,999,999'), to_char(:mid::bigint, 'FM999,999,999,999'),
   :'runs', :'gen', :'nproc', :'cpu', :'mem', :'kernel', :'load0', :'load1',
   version(), current_setting('shared_buffers'));

SELECT $m$## Method

All queries run in one session with `jit = off` and `work_mem = '1GB'`
(so the window-function baselines sort in memory). *Serial*:
`max_parallel_workers_per_gather = 0`. *Parallel*: `max_parallel_workers_per_gather = 2`,
`parallel_setup_cost = 0`, `parallel_tuple_cost = 0`, `min_parallel_table_scan_size = 0`,
and every table has `parallel_workers = 2`; the leader participates, as by default.
A first pass runs each query once (`EXPLAIN ANALYZE` for parallel mode, which
records the workers planned and launched) and is not timed; then each round runs
every query once in each of its modes, so a slow spell of the shared machine
falls on all queries alike. A time is psql's `\timing` of the whole statement;
every query returns one value (shown under *result*), so no time goes to output.
Around each run the backend's `/proc/<pid>/schedstat` is read, which gives
its CPU time and how long it waited for a CPU.
The tables are unlogged, vacuumed (frozen) and prewarmed into shared buffers, so
scans read shared memory. Every ratio is of two queries timed in the same round; see the
targets and the floor below.
$m$;

-- times
SELECT E'## Times (ms, median)\n\n'
    || E'Wall-clock times; *serial CPU* is the backend\'s own CPU time in serial mode and *waiting*\n'
    || E'the share of serial wall time it spent runnable but waiting for a CPU taken by other work\n'
    || E'(both from `/proc/<pid>/schedstat`).\n\n'
    || E'| query | table | serial | serial CPU | waiting | parallel | serial / parallel | workers planned / launched | result (serial) |\n'
    || '|---|---|--:|--:|--:|--:|--:|--:|---|';
SELECT format('| %s | %s | %s | %s | %s | %s | %s | %s | %s |',
              replace(label, '|', '\|'), tbl, pg_temp.ms(serial_ms), pg_temp.ms(serial_cpu),
              to_char(100 * serial_wait, 'FM990') || '%', pg_temp.ms(parallel_ms),
              pg_temp.x(serial_ms / nullif(parallel_ms, 0)),
              CASE WHEN parallel_ms IS NOT NULL THEN coalesce(planned::text, '0') || ' / ' || coalesce(launched::text, '0') ELSE '' END,
              serial_value)
FROM q ORDER BY ord;
SELECT '';

-- targets
CREATE TEMP TABLE target (ord int, name text, num_id text, num_mode text,
                          den_id text, den_mode text, bound float8, kind text);
INSERT INTO target VALUES
 (1,  'strength_agg(at, h) / sum(float8)',                            'strength2', 'S', 'i_sum', 'S', 1.25, 'le'),
 (2,  'strength_agg(at, h) / plain SQL decayed sum',                  'strength2', 'S', 'decay_sql', 'S', 0.5, 'le'),
 (3,  'strength_agg(at, h, w, sentiment, inbound) / sum(float8)',     'strength5', 'S', 'i_sum', 'S', 2, 'le'),
 (4,  'corr_test(x, y) Pearson / corr()',                             'corr_test', 'S', 'corr', 'S', 1.15, 'le'),
 (5,  'spearman_corr / rank-window Spearman',                         'spearman', 'S', 'spearman_sql', 'S', 0.1, 'le'),
 (6,  'kendall_tau / spearman_corr',                                  'kendall', 'S', 'spearman', 'S', 3, 'le'),
 (7,  format('kendall_tau at %s rows / at %s rows', to_char(:mid::bigint, 'FM999,999,999'), to_char(:small::bigint, 'FM999,999,999')),
                                                                      'kendall_mid', 'S', 'kendall_small', 'S', 5, 'le'),
 (8,  'spell_stats / sum(float8) on spells',                          'spell_stats', 'S', 'sp_sum', 'S', 2, 'le'),
 (9,  'tenure_survival / window-function Kaplan–Meier',               'tenure_survival', 'S', 'km_sql', 'S', 0.2, 'le'),
 (10, 'parallel speedup of strength_agg(at, h) (serial / parallel)',  'strength2', 'S', 'strength2', 'P', 1.5, 'ge'),
 (11, 'parallel speedup of corr_test(x, y) Pearson',                  'corr_test', 'S', 'corr_test', 'P', 1.5, 'ge'),
 (12, 'parallel speedup of spell_stats',                              'spell_stats', 'S', 'spell_stats', 'P', 1.5, 'ge'),
 (13, 'parallel speedup of spearman_corr (never slower)',             'spearman', 'S', 'spearman', 'P', 1, 'ge'),
 (14, 'parallel speedup of kendall_tau (never slower)',               'kendall', 'S', 'kendall', 'P', 1, 'ge'),
 (15, 're-aggregating the raw rows / rollup of their 1,000 summaries', 'strength2', 'S', 'rollup', 'S', 100, 'ge'),
 (16, 'rollup(survival) of 1,000 stored summaries / tenure_survival over their raw rows', 'survival_rollup', 'S', 'tspell_survival', 'S', 1, 'le'),
 (17, 'logrank_test of 40 stored summaries / rebuilding them from the spells', 'lr_stored', 'S', 'lr_rebuild', 'S', 0.01, 'le');

-- each target's ratio in each round, numerator and denominator from the
-- same round: CPU time between two serial queries, else wall time
CREATE TEMP VIEW target_round AS
SELECT t.ord, n.round,
       CASE WHEN t.num_mode = 'S' AND t.den_mode = 'S' THEN n.cpu_ms / nullif(d.cpu_ms, 0)
            ELSE n.ms / nullif(d.ms, 0) END AS ratio,
       n.ms / nullif(d.ms, 0) AS wall_ratio,
       np.ms / nullif(dp.ms, 0) AS parallel_ratio
FROM target t
JOIN bench_run n ON n.id = t.num_id AND n.mode = t.num_mode
JOIN bench_run d ON d.id = t.den_id AND d.mode = t.den_mode AND d.round = n.round
LEFT JOIN bench_run np ON np.id = t.num_id AND np.mode = 'P' AND np.round = n.round
LEFT JOIN bench_run dp ON dp.id = t.den_id AND dp.mode = 'P' AND dp.round = n.round;

CREATE TEMP VIEW verdict AS
SELECT t.ord, t.name,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ratio) AS ratio,
       t.num_mode = 'S' AND t.den_mode = 'S' AS on_cpu,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.wall_ratio) AS wall_ratio,
       t.bound, t.kind,
       -- the same ratio in parallel mode, for information
       CASE WHEN t.num_mode = 'S' AND t.den_mode = 'S' AND t.num_id <> t.den_id
            THEN percentile_cont(0.5) WITHIN GROUP (ORDER BY r.parallel_ratio) END AS parallel_ratio,
       -- the rounds' ratios, least and most favourable
       min(r.ratio) AS best, max(r.ratio) AS worst
FROM target t
JOIN target_round r ON r.ord = t.ord
GROUP BY t.ord, t.name, t.num_mode, t.den_mode, t.num_id, t.den_id, t.bound, t.kind
UNION ALL
SELECT 16 + (agg = 'kendall_tau')::int,
       format('%s: backend peak memory growth, bytes a row', agg),
       (hwm1_kb - hwm0_kb) * 1024.0 / rows, false, NULL, 24, 'bytes', NULL, NULL, NULL
FROM bench_memory WHERE mode = 'serial';

SELECT E'## Targets\n\n'
    || E'Each round gives each target a ratio of two queries run in that round, minutes or less\n'
    || E'apart; a target\'s ratio is the median over the rounds, and *range* spans the rounds\' ratios.\n'
    || E'Between two serial queries the ratio is of the backend\'s CPU time, which other work on\n'
    || E'the machine disturbs far less than wall time (*wall* gives the median of the wall-clock\n'
    || E'ratios); a target about parallel plans compares wall-clock times. *parallel* is the ratio\n'
    || E'of wall-clock times in parallel mode, for information.\n\n'
    || E'| target | measured | on | required | verdict | range | wall | parallel |\n'
    || '|---|--:|---|--:|---|--:|--:|--:|';
SELECT format('| %s | %s | %s | %s | %s | %s | %s | %s |',
              name,
              CASE kind WHEN 'bytes' THEN to_char(ratio, 'FM99,990.0') ELSE pg_temp.x(ratio) END,
              CASE WHEN kind = 'bytes' THEN 'VmHWM' WHEN on_cpu THEN 'CPU' ELSE 'wall' END,
              CASE kind WHEN 'le' THEN '<= ' || pg_temp.x(bound) WHEN 'ge' THEN '>= ' || pg_temp.x(bound)
                        ELSE '<= ' || bound END,
              CASE WHEN ratio IS NULL THEN 'not measured'
                   WHEN (kind IN ('le', 'bytes') AND ratio <= bound) OR (kind = 'ge' AND ratio >= bound)
                   THEN 'holds' ELSE '**misses**' END,
              CASE WHEN best IS NULL THEN '' ELSE pg_temp.x(least(best, worst)) || ' .. ' || pg_temp.x(greatest(best, worst)) END,
              CASE WHEN on_cpu THEN pg_temp.x(wall_ratio) ELSE '' END,
              pg_temp.x(parallel_ratio))
FROM verdict ORDER BY ord;
SELECT format(E'\n%s of %s targets hold.\n',
              count(*) FILTER (WHERE (kind IN ('le', 'bytes') AND ratio <= bound) OR (kind = 'ge' AND ratio >= bound)),
              count(*))
FROM verdict;

-- the floor
CREATE TEMP TABLE floor_pair (ord int, agg_id text, floor_id text, bound float8, sort_data text);
INSERT INTO floor_pair VALUES
 (1, 'strength2', 'f_strength2', NULL, NULL),
 (2, 'strength5', 'f_strength5', 1.2, NULL),
 (3, 'corr_test', 'f_corr_test', NULL, NULL),
 (4, 'spearman', 'f_pairs', 1.3, 'samples'),
 (5, 'kendall', 'f_pairs', 1.3, 'samples'),
 (6, 'spearman_ts', 'f_pairs_ts', 1.3, 'pairs_tied_small'),
 (7, 'kendall_ts', 'f_pairs_ts', 1.3, 'pairs_tied_small'),
 (8, 'spearman_r', 'f_pairs_r', 1.3, 'pairs_random'),
 (9, 'kendall_r', 'f_pairs_r', 1.3, 'pairs_random'),
 (10, 'spearman_rs', 'f_pairs_rs', 1.3, 'pairs_random_small'),
 (11, 'kendall_rs', 'f_pairs_rs', 1.3, 'pairs_random_small'),
 (12, 'spell_stats', 'f_spell_stats', NULL, NULL),
 (13, 'tenure_survival', 'f_survival', 1.15, NULL);
SELECT E'## The floor\n\n'
    || E'Each aggregate against a no-op aggregate of the same arguments and strictness\n'
    || E'(`test/bench/floor.c`: a transition that returns its state) on the same table, serial,\n'
    || E'backend CPU time: the floor is what scanning the rows and calling a transition with\n'
    || E'those arguments costs, the least any aggregate of that signature can. The rank\n'
    || E'correlations must also sort every pair, by x and then by y: their *floor with sorts*\n'
    || E'adds the time of those two sorts alone (`test/core/bench_sort.c --floor`, in C on as\n'
    || E'many pairs like the table\'s, with the spare the aggregates take for as many pairs,\n'
    || E'the median of three runs), and their target is on that ratio. In each round the\n'
    || E'no-op floor runs right before the aggregates and again right after them (its time is\n'
    || E'the mean of the two), and the sorts right after the first, so that they meet the machine\n'
    || E'as the aggregates do; a ratio is the median over the rounds of that round\'s ratio, and\n'
    || E'*range* spans the rounds\' ratios. Times are medians over the rounds. The\n'
    || E'rank correlations run on four tables: '
    || format(E'`samples` (%s pairs, ten rows a value of x) and\n',
              to_char(:rows::bigint, 'FM999,999,999,999'))
    || format(E'`pairs_tied_small` (%s pairs of the same kind), `pairs_random` and\n',
              to_char(:small::bigint, 'FM999,999,999,999'))
    || E'`pairs_random_small` (as many continuous pairs, no ties).\n\n'
    || E'| aggregate | its time ms | floor ms | ratio | range | sorts alone ms | floor with sorts ms | ratio | range | target | verdict |\n'
    || '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|';
CREATE TEMP VIEW floor_result AS
WITH per_round AS (
	SELECT p.ord, a.round, a.cpu_ms AS a_ms, (f.cpu_ms + fa.cpu_ms) / 2 AS f_ms, s.ms AS s_ms
	FROM floor_pair p
	JOIN bench_run a ON a.id = p.agg_id AND a.mode = 'S'
	JOIN bench_run f ON f.id = p.floor_id AND f.mode = 'S' AND f.round = a.round
	JOIN bench_run fa ON fa.id = p.floor_id || '_after' AND fa.mode = 'S' AND fa.round = a.round
	LEFT JOIN bench_sorts s ON s.data = p.sort_data AND s.round = a.round
)
SELECT p.ord, b.label, p.bound, p.sort_data IS NOT NULL AS sorts,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY a_ms) AS a_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY f_ms) AS f_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s_ms) AS s_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY f_ms + s_ms) AS fs_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY a_ms / f_ms) AS ratio,
       min(a_ms / f_ms) AS ratio_min, max(a_ms / f_ms) AS ratio_max,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY a_ms / (f_ms + s_ms)) AS ratio_s,
       min(a_ms / (f_ms + s_ms)) AS ratio_s_min, max(a_ms / (f_ms + s_ms)) AS ratio_s_max
FROM floor_pair p
JOIN bench_query b ON b.id = p.agg_id
JOIN per_round r ON r.ord = p.ord
GROUP BY p.ord, b.label, p.bound, p.sort_data;
SELECT format('| %s | %s | %s | %s | %s .. %s | %s | %s | %s | %s | %s | %s |', replace(label, '|', '\|'),
              pg_temp.ms(a_ms), pg_temp.ms(f_ms), pg_temp.x(ratio),
              pg_temp.x(ratio_min), pg_temp.x(ratio_max),
              pg_temp.ms(s_ms), pg_temp.ms(fs_ms), pg_temp.x(ratio_s),
              CASE WHEN sorts THEN pg_temp.x(ratio_s_min) || ' .. ' || pg_temp.x(ratio_s_max) ELSE '' END,
              CASE WHEN bound IS NULL THEN '' ELSE '<= ' || pg_temp.x(bound) END,
              CASE WHEN bound IS NULL THEN ''
                   WHEN (CASE WHEN sorts THEN ratio_s ELSE ratio END) <= bound THEN 'holds'
                   ELSE '**misses**' END)
FROM floor_result ORDER BY ord;
SELECT format(E'\n%s of %s floor targets hold.',
              count(*) FILTER (WHERE (CASE WHEN sorts THEN ratio_s ELSE ratio END) <= bound),
              count(*))
FROM floor_result WHERE bound IS NOT NULL;
SELECT '';

-- memory method
SELECT E'## Memory of the rank aggregates\n\n'
    || E'In a fresh session, `sum(x) FROM samples` runs first (serial), so the shared buffers\n'
    || E'the scan maps and the catalog caches are already resident; then VmHWM (the peak\n'
    || E'resident set) is read from `/proc/<pg_backend_pid()>/status` with `pg_read_file`,\n'
    || E'the aggregate runs, and VmHWM is read again. The growth covers the aggregate state\n'
    || E'and whatever its final function allocates, at their peak; the target is about the\n'
    || E'serial run. In the parallel run (2 workers, for information) the growth is the\n'
    || E'leader\'s: its own share of the pairs and their serialized copy, the buffers in which\n'
    || E'PostgreSQL receives each worker\'s state, and the merged state of all the pairs.\n\n'
    || E'| aggregate | plan | rows | VmHWM before (kB) | after (kB) | growth (MB) | bytes a row |\n'
    || '|---|---|--:|--:|--:|--:|--:|';
SELECT format('| %s | %s | %s | %s | %s | %s | %s |', agg, mode, to_char(rows, 'FM999,999,999,999'),
              hwm0_kb, hwm1_kb, to_char((hwm1_kb - hwm0_kb) / 1024.0, 'FM999,990.0'),
              to_char((hwm1_kb - hwm0_kb) * 1024.0 / rows, 'FM99,990.0'))
FROM bench_memory ORDER BY agg, mode DESC;
SELECT '';

-- agreement
CREATE TEMP TABLE pair (ord int, a text, b text);
INSERT INTO pair VALUES (1, 'strength2', 'decay_sql'), (2, 'rollup', 'strength2'),
                        (3, 'corr_test', 'corr'), (4, 'spearman', 'spearman_sql'),
                        (5, 'spell_stats', 'turnover_sql'), (6, 'tenure_survival', 'km_sql'),
                        (7, 'survival_rollup', 'tspell_survival'), (8, 'lr_stored', 'lr_rebuild');
SELECT E'## Agreement of results\n\n'
    || E'Each function against its baseline (serial, first round), and each query in parallel\n'
    || E'mode against serial mode; relative difference |a - b| / max(|a|, |b|).\n\n'
    || E'| query | its result | compared with | that result | relative difference |\n'
    || '|---|--:|---|--:|--:|';
WITH c AS (
	SELECT p.ord, qa.label AS la, qa.serial_value AS va, qb.label AS lb, qb.serial_value AS vb
	FROM pair p JOIN q qa ON qa.id = p.a JOIN q qb ON qb.id = p.b
	UNION ALL
	SELECT 100 + q.ord, format('%s on %s, parallel', q.label, q.tbl), q.parallel_value, 'serial', q.serial_value
	FROM q WHERE q.parallel_value IS NOT NULL
)
SELECT format('| %s | %s | %s | %s | %s |', la, va, lb, vb,
              CASE WHEN va = vb OR va::float8 = vb::float8 THEN '0'
                   ELSE btrim(to_char(abs(va::float8 - vb::float8) / greatest(abs(va::float8), abs(vb::float8)), '9.9EEEE')) END)
FROM c ORDER BY ord;

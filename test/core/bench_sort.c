/*
 * bench_sort.c
 *	  Timing of the pair sort of ranks_core and of the rank correlations
 *	  of rankcorr_core on n pairs (default 1,000,000), in place and with a
 *	  spare of a quarter and of a half of the pairs, over continuous and
 *	  tied data and data like make bench's samples table: the median of
 *	  five runs of each, side by side.  Not part of the unit tests
 *	  (test/core/run.sh builds only test_*.c); make bench builds and runs
 *	  it, or by hand from the repository root:
 *
 *	gcc -std=gnu99 -O2 -Isrc -Itest/core src/[a-z]*_core.c test/core/host.c \
 *		test/core/bench_sort.c -lm -o /tmp/bench_sort
 *	/tmp/bench_sort 1000000
 *
 * Built with -DPF_PHASE_TIMING (as make bench builds it), it also prints
 * where one run of each rank correlation spends its time, phase by phase.
 *
 *	/tmp/bench_sort --floor [--table T] [--runs K] 1000000
 *
 * prints instead, tab-separated, the median time (of K runs, default 5)
 * of the sorts that a rank correlation cannot do without, with the spare
 * the aggregates have for as many pairs: by x, then by y (the
 * columns swapped).  One line for
 * each of make bench's tables of pairs: samples (n pairs, x takes n/10
 * values, y continuous), pairs_tied_small (the same kind, n/10 pairs),
 * pairs_random and pairs_random_small (continuous, n and n/10 pairs).  make
 * bench adds each to the no-op floor of spearman_corr and kendall_tau on
 * that table.  --table T prints only table T's line.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rankcorr_core.h"

#define RUNS 5

/* runs timed of each task: RUNS, or fewer by --runs */
static int	nruns = RUNS;

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static double
uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double) (rng >> 11) / 9007199254740992.0;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

enum
{
	SORT, SPEARMAN, KENDALL, TWO_SORTS
};

static const char *const data_names[] = {"continuous", "tied", "samples"};

/*
 * n pairs: continuous; tied (1,000 values of x, about 200 of y); or like
 * test/bench/setup.sql's samples table (x takes n/10 values, ten rows a
 * value, y continuous)
 */
static void
fill(double *xy, int64_t n, int data)
{
	for (int64_t i = 0; i < n; i++)
	{
		double		u = uniform();

		if (data == 0)
		{
			xy[2 * i] = u;
			xy[2 * i + 1] = u + uniform();
		}
		else if (data == 1)
		{
			xy[2 * i] = (double) (int) (u * 1000);
			xy[2 * i + 1] = (double) (int) ((u + uniform()) * 100);
		}
		else
		{
			xy[2 * i] = floor(u * (double) (n / 10));
			xy[2 * i + 1] = u + uniform();
		}
	}
}

/* the median time of nruns runs of one task over a fresh copy of orig */
static double
time_task(int task, const double *orig, double *work, int64_t n,
		  PfPair *spare, size_t nspare, double *check)
{
	double		t[RUNS];

	for (int r = 0; r < nruns; r++)
	{
		double		start;
		PfCorrelation c = {0};

		memcpy(work, orig, sizeof(double) * 2 * (size_t) n);
		start = now_ms();
		if (task == SORT)
			pf_ranks_sort_pairs(work, n, spare, nspare);
		else if (task == TWO_SORTS)
		{
			pf_ranks_sort_pairs(work, n, spare, nspare);
			for (int64_t i = 0; i < n; i++)
			{
				double		x = work[2 * i];

				work[2 * i] = work[2 * i + 1];
				work[2 * i + 1] = x;
			}
			pf_ranks_sort_pairs(work, n, spare, nspare);
		}
		else if (task == SPEARMAN)
			c = pf_rankcorr_spearman(work, n, &n, 1, spare, nspare, 0.95);
		else
			c = pf_rankcorr_kendall(work, n, &n, 1, spare, nspare, 0.95);
		t[r] = now_ms() - start;
		*check = task == SORT || task == TWO_SORTS ? work[2 * (n / 2)] : c.r;
	}
	qsort(t, nruns, sizeof(double), cmp_double);
	return t[nruns / 2];
}

/*
 * The spare the aggregates sort rows pairs with, serially: their array
 * grows from 1,024 pairs by half each time it is full (rankcorr.c's
 * pairs_reserve), then pf_ranks_spare_choice picks its tail or room of its
 * own.
 */
static size_t
aggregate_spare(int64_t rows)
{
	size_t		cap = 1024;
	size_t		size;
	bool		tail;

	while (cap < (size_t) rows)
		cap += cap / 2;
	size = pf_ranks_spare_choice((size_t) rows, cap, &tail);
	return tail ? cap - (size_t) rows : size;
}

int
main(int argc, char **argv)
{
	bool		floor_only = false;
	const char *only = NULL;
	int64_t		n = 1000000;

	for (int a = 1; a < argc; a++)
	{
		if (strcmp(argv[a], "--floor") == 0)
			floor_only = true;
		else if (strcmp(argv[a], "--table") == 0 && a + 1 < argc)
			only = argv[++a];
		else if (strcmp(argv[a], "--runs") == 0 && a + 1 < argc)
		{
			nruns = atoi(argv[++a]);
			if (nruns < 1 || nruns > RUNS)
			{
				fprintf(stderr, "--runs takes 1 to %d\n", RUNS);
				return 2;
			}
		}
		else
			n = atoll(argv[a]);
	}
	double	   *orig = malloc(sizeof(double) * 2 * (size_t) n);
	double	   *work = malloc(sizeof(double) * 2 * (size_t) n);
	PfPair	   *spare = malloc(sizeof(PfPair) * (size_t) (n / 2 + 1));
	static const char *const tasks[] = {"sort by (x, y)", "spearman", "kendall"};

	if (floor_only)
	{
		static const char *const tables[] = {"samples", "pairs_tied_small",
		"pairs_random", "pairs_random_small"};

		for (int t = 0; t < 4; t++)
		{
			double		check;
			int64_t		rows = t % 2 == 0 ? n : n / 10;

			if (only != NULL && strcmp(only, tables[t]) != 0)
				continue;
			fill(orig, rows, t < 2 ? 2 : 0);
			printf("%s\t%lld\t%.3f\n", tables[t], (long long) rows,
				   time_task(TWO_SORTS, orig, work, rows, spare,
							 aggregate_spare(rows), &check));
		}
		return 0;
	}

	printf("| %lld pairs | data | in place ms | quarter spare ms | half spare ms | quarter / in place |\n",
		   (long long) n);
	printf("|---|---|--:|--:|--:|--:|\n");
	for (int data = 0; data < 3; data++)
	{
		fill(orig, n, data);
		for (int task = SORT; task <= KENDALL; task++)
		{
			double		c0,
						c1,
						c2;
			double		t0 = time_task(task, orig, work, n, NULL, 0, &c0);
			double		t1 = time_task(task, orig, work, n, spare,
									   (size_t) (n + 3) / 4, &c1);
			double		t2 = time_task(task, orig, work, n, spare,
									   (size_t) (n / 2 + 1), &c2);

			if (c0 != c1 || c0 != c2)
			{
				fprintf(stderr, "%s: results differ with a spare\n", tasks[task]);
				return 1;
			}
			printf("| %s | %s | %.1f | %.1f | %.1f | %.2f |\n", tasks[task],
				   data_names[data], t0, t1, t2, t1 / t0);
		}
	}
#ifdef PF_PHASE_TIMING
	/* where the time of one run of each goes, with a quarter spare */
	printf("\n| %lld pairs, quarter spare | data | phase | ms |\n|---|---|---|--:|\n",
		   (long long) n);
	for (int data = 0; data < 3; data++)
	{
		fill(orig, n, data);
		for (int task = SPEARMAN; task <= KENDALL; task++)
		{
			memcpy(work, orig, sizeof(double) * 2 * (size_t) n);
			memset(pf_phase_ms, 0, sizeof(pf_phase_ms));
			memset(pf_phase_name, 0, sizeof(pf_phase_name));
			if (task == SPEARMAN)
				(void) pf_rankcorr_spearman(work, n, &n, 1, spare, (size_t) (n + 3) / 4, 0.95);
			else
				(void) pf_rankcorr_kendall(work, n, &n, 1, spare, (size_t) (n + 3) / 4, 0.95);
			for (int p = 0; p < PF_MAX_PHASES && pf_phase_name[p] != NULL; p++)
				printf("| %s | %s | %s | %.1f |\n", tasks[task], data_names[data],
					   pf_phase_name[p], pf_phase_ms[p]);
		}
	}
#endif
	free(orig);
	free(work);
	free(spare);
	return 0;
}

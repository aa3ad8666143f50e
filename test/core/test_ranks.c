/*
 * test_ranks.c
 *	  Unit tests of ranks_core.c: the sort of pairs against qsort on
 *	  orders that trouble a quicksort, with ties, -0 and infinities; sorted
 *	  runs and their merge; average ranks against a quadratic count; and
 *	  the interrupt checks, counted (at least one per PF_INTERRUPT_STRIDE
 *	  pairs of every pass) and timed (the longest stretch of CPU time
 *	  without one, sampled by a profiling timer).
 */
#include "host.h"
#include "sampler.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "ranks_core.h"

#define PF_TEST_RNG_SEED UINT64_C(0x2545F4914F6CDD1D)
#include "rng.h"

/* ---------------------------------------------------------------------
 * Data
 * ---------------------------------------------------------------------
 */

enum
{
	CONTINUOUS, TIED, FEW_X, CONSTANT_X, ASCENDING, DESCENDING, ORGAN_PIPE,
	SPECIAL, NPATTERNS
};
static const char *const pattern_names[] = {
	"continuous", "tied", "few x", "constant x", "ascending", "descending",
	"organ pipe", "special values"
};

static void
fill(double *xy, size_t n, int pattern)
{
	static const double special[] = {-0.0, 0.0, INFINITY, -INFINITY, 1e308,
	-1e308, 5e-324, -5e-324};

	for (size_t i = 0; i < n; i++)
	{
		double		x,
					y;

		switch (pattern)
		{
			case CONTINUOUS:
				x = rng_uniform() * 2.0 - 1.0;
				y = rng_uniform();
				break;
			case TIED:
				x = (double) (rng_next() % 100);
				y = (double) (rng_next() % 7);
				break;
			case FEW_X:
				x = (double) (rng_next() % 3);
				y = rng_uniform();
				break;
			case CONSTANT_X:
				x = 1.0;
				y = rng_uniform();
				break;
			case ASCENDING:
				x = y = (double) i;
				break;
			case DESCENDING:
				x = y = (double) (n - i);
				break;
			case ORGAN_PIPE:
				x = (double) (i < n / 2 ? i : n - i);
				y = (double) (i % 1000);
				break;
			default:
				x = special[rng_next() % 8];
				y = rng_next() % 2 ? special[rng_next() % 8] : (double) (rng_next() % 5);
				break;
		}
		xy[2 * i] = x;
		xy[2 * i + 1] = y;
	}
}

/* the order of pf_ranks_sort_pairs: by (a, b), -0 equal to +0 */
static int
cmp_pair(const void *p, const void *q)
{
	const PfPair *a = p;
	const PfPair *b = q;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return 0;
}

/* a total order on the bytes, to compare multisets of pairs */
static int
cmp_bytes(const void *p, const void *q)
{
	return memcmp(p, q, sizeof(PfPair));
}

static bool
sorted_pairs(const double *xy, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (cmp_pair(&xy[2 * (i - 1)], &xy[2 * i]) > 0)
			return false;
	return true;
}

static bool
same_multiset(const double *a, const double *b, size_t n)
{
	size_t		bytes = n * sizeof(PfPair);
	double	   *ca = malloc(bytes + 1);
	double	   *cb = malloc(bytes + 1);
	bool		same;

	memcpy(ca, a, bytes);
	memcpy(cb, b, bytes);
	qsort(ca, n, sizeof(PfPair), cmp_bytes);
	qsort(cb, n, sizeof(PfPair), cmp_bytes);
	same = memcmp(ca, cb, bytes) == 0;
	free(ca);
	free(cb);
	return same;
}

/* ---------------------------------------------------------------------
 * Sorting
 * ---------------------------------------------------------------------
 */

static void
test_sort(void)
{
	static const size_t sizes[] = {0, 1, 2, 17, 47, 48, 49, 1000,
	PF_RANKS_MIN_SPARE_SORT - 1, PF_RANKS_MIN_SPARE_SORT, 70000, 70001};
	size_t		maxn = 70001;
	double	   *xy = malloc(maxn * sizeof(PfPair));
	double	   *orig = malloc(maxn * sizeof(PfPair));
	double	   *want = malloc(maxn * sizeof(PfPair));
	PfPair	   *spare = malloc((maxn + 8) * sizeof(PfPair));

	/*
	 * Without a spare (the in-place sort), with too little to use, with
	 * exactly a quarter of n rounded up (four blocks), a third, a half
	 * (two blocks) and more than n (one block).
	 */
	for (int mode = 0; mode < 6; mode++)
		for (int pattern = 0; pattern < NPATTERNS; pattern++)
			for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
			{
				size_t		n = sizes[s];
				size_t		nspare = (size_t[]) {0, n / 4 - 1, (n + 3) / 4,
				(n + 2) / 3, n / 2 + 1, n + 8}[mode];
				bool		ok;

				if (n < 8 && mode > 0)
					continue;
				fill(orig, n, pattern);
				memcpy(xy, orig, n * sizeof(PfPair));
				memcpy(want, orig, n * sizeof(PfPair));
				pf_ranks_sort_pairs(xy, (int64_t) n, mode == 0 ? NULL : spare,
									nspare);
				qsort(want, n, sizeof(PfPair), cmp_pair);
				ok = sorted_pairs(xy, n) && same_multiset(xy, orig, n);
				/* equal under the order, pair for pair, as qsort sorts them */
				for (size_t i = 0; ok && i < n; i++)
					ok = cmp_pair(&xy[2 * i], &want[2 * i]) == 0;
				CHECK(ok, "sort of %zu pairs (%s), %zu spare", n,
					  pattern_names[pattern], nspare);
			}
	free(xy);
	free(orig);
	free(want);
	free(spare);
}

/*
 * With room for all n pairs elsewhere: the sorted pairs are where the
 * function says, xy itself below PF_RANKS_MIN_SPARE_SORT, in the same
 * order as qsort's under the order, and the room holds exactly the pairs
 * when they end there.
 */
static void
test_sort_either(void)
{
	static const size_t sizes[] = {0, 1, 2, 49, PF_RANKS_MIN_SPARE_SORT - 1,
	PF_RANKS_MIN_SPARE_SORT, 70000, 70001};
	size_t		maxn = 70001;
	double	   *xy = malloc(maxn * sizeof(PfPair));
	double	   *orig = malloc(maxn * sizeof(PfPair));
	double	   *want = malloc(maxn * sizeof(PfPair));
	PfPair	   *dst = malloc(maxn * sizeof(PfPair));
	int			in_dst = 0;

	for (int pattern = 0; pattern < NPATTERNS; pattern++)
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		{
			size_t		n = sizes[s];
			PfPair	   *got;
			const double *g;
			bool		ok;

			fill(orig, n, pattern);
			memcpy(xy, orig, n * sizeof(PfPair));
			memcpy(want, orig, n * sizeof(PfPair));
			got = pf_ranks_sort_pairs_either(xy, (int64_t) n, dst);
			qsort(want, n, sizeof(PfPair), cmp_pair);
			CHECK(got == (PfPair *) xy || got == dst,
				  "sort of %zu pairs (%s) into room: result elsewhere", n,
				  pattern_names[pattern]);
			if (n < PF_RANKS_MIN_SPARE_SORT)
				CHECK(got == (PfPair *) xy,
					  "sort of %zu pairs (%s) into room: small sorts in place",
					  n, pattern_names[pattern]);
			in_dst += got == dst;
			g = (const double *) got;
			ok = sorted_pairs(g, n) && same_multiset(g, orig, n);
			for (size_t i = 0; ok && i < n; i++)
				ok = cmp_pair(&g[2 * i], &want[2 * i]) == 0;
			CHECK(ok, "sort of %zu pairs (%s) into room", n,
				  pattern_names[pattern]);
		}
	/* both outcomes were seen: the check of the second is not idle */
	CHECK(in_dst > 0, "no sort ended in the room (%d)", in_dst);
	free(xy);
	free(orig);
	free(want);
	free(dst);
}

/*
 * The choice of scratch, worked by hand for a few arrays, then over many:
 * never past 24 bytes a row, never fewer blocks to be had than it takes.
 */
static size_t
blocks_of(size_t n, size_t m)
{
	return m >= (n + 3) / 4 ? (n + m - 1) / m : 0;
}

static void
test_spare_choice(void)
{
	bool		tail;
	size_t		size;
	int			owns = 0;
	int			tails = 0;

	/* worked by hand: pairs, the array's room, the tail?, room of its own */
	static const struct
	{
		size_t		n;
		size_t		cap;
		bool		tail;
		size_t		size;
		const char *why;
	}			cases[] = {
		{10000000, 11491938, false, 3333334, "a third of its own: 1.149 + 0.333 <= 1.5"},
		{100000, 100000, false, 50000, "a full array: a half, 1 + 0.5 = 1.5 n pairs, the most"},
		{60000, 88573, true, 0, "the tail (28,573, three blocks); no room of its own fits"},
		{80000, 98000, false, 20000, "a quarter of its own, as the tail is short"},
		{100000, 200000, true, 0, "room for twice the pairs: the tail, a single block"},
		{PF_RANKS_MIN_SPARE_SORT - 1, 2 * PF_RANKS_MIN_SPARE_SORT, false, 0, "too few pairs"},
		{0, 0, false, 0, "no pairs in no room"},
		{0, 1024, false, 0, "no pairs"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		size = pf_ranks_spare_choice(cases[i].n, cases[i].cap, &tail);
		CHECK(tail == cases[i].tail && size == cases[i].size,
			  "%zu pairs in %zu (%s): size %zu, tail %d", cases[i].n,
			  cases[i].cap, cases[i].why, size, tail);
	}

	for (size_t n = PF_RANKS_MIN_SPARE_SORT; n < 400000; n += 997)
		for (size_t cap = n; cap < n + n / 2; cap += n / 13 + 1)
		{
			size_t		best = 0;
			size_t		got;

			size = pf_ranks_spare_choice(n, cap, &tail);
			got = tail ? blocks_of(n, cap - n) : blocks_of(n, size);
			/* the fewest blocks of the tail or of any room within 1.5 n */
			for (size_t m = (n + 3) / 4; m <= n / 2 + 1; m += n / 64 + 1)
				if (m + cap <= n + n / 2 && (best == 0 || blocks_of(n, m) < best))
					best = blocks_of(n, m);
			if (best == 0 || (blocks_of(n, cap - n) != 0 && blocks_of(n, cap - n) < best))
				best = blocks_of(n, cap - n);
			owns += !tail && size > 0;
			tails += tail;
			CHECK((tail ? size == 0 : size == 0 || cap + size <= n + n / 2) &&
				  got <= best && (best == 0 || got != 0),
				  "%zu pairs in %zu: size %zu, tail %d, %zu blocks, best %zu",
				  n, cap, size, tail, got, best);
		}
	CHECK(owns > 0 && tails > 0, "both kinds chosen: %d own, %d tail", owns, tails);
}

/*
 * Runs: each is sorted unless it was already, the rest is left alone, and
 * lengths that do not add up are refused.
 */
static void
test_runs(void)
{
	size_t		n = 50000;
	double	   *xy = malloc(n * sizeof(PfPair));
	double	   *orig = malloc(n * sizeof(PfPair));
	int64_t		runlen[PF_MAX_RUNS + 2];
	PfRuns		runs;

	for (int nruns = 1; nruns <= PF_MAX_RUNS + 2; nruns += 3)
	{
		size_t		left = n;
		size_t		pos = 0;
		bool		ok = true;

		fill(orig, n, TIED);
		memcpy(xy, orig, n * sizeof(PfPair));
		for (int r = 0; r < nruns; r++)
		{
			runlen[r] = r + 1 == nruns ? (int64_t) left :
				(r % 3 == 1 ? 0 : (int64_t) (rng_next() % (left / 2 + 1)));
			if (r % 2 == 0)
				pf_ranks_sort_pairs(xy + 2 * pos, runlen[r], NULL, 0);
			pos += (size_t) runlen[r];
			left -= (size_t) runlen[r];
		}
		pf_ranks_sort_runs((PfPair *) xy, n, runlen, nruns, NULL, 0, &runs);
		if (nruns > PF_MAX_RUNS)
			ok = runs.k == 1 && sorted_pairs(xy, n);
		else
			for (int r = 0; r < runs.k; r++)
				ok = ok && runs.to[r] > runs.from[r] &&
					sorted_pairs(xy + 2 * runs.from[r], runs.to[r] - runs.from[r]);
		CHECK(ok && same_multiset(xy, orig, n), "%d runs sorted (%d kept)",
			  nruns, runs.k);
	}
	{
		int64_t		bad[2] = {(int64_t) n / 2, (int64_t) n / 2 + 1};
		int64_t		neg[2] = {-1, (int64_t) n + 1};

		CHECK(PF_TRY(pf_ranks_sort_runs((PfPair *) xy, n, bad, 2, NULL, 0, &runs)) &&
			  pf_last_error_kind == PF_ERR_INTERNAL,
			  "runs longer than the pairs are refused");
		CHECK(PF_TRY(pf_ranks_sort_runs((PfPair *) xy, n, neg, 2, NULL, 0, &runs)) &&
			  pf_last_error_kind == PF_ERR_INTERNAL,
			  "a negative run length is refused");
		CHECK(PF_TRY(pf_ranks_sort_runs((PfPair *) xy, n, bad, 0, NULL, 0, &runs)) &&
			  pf_last_error_kind == PF_ERR_INTERNAL,
			  "no runs at all is refused");
	}
	free(xy);
	free(orig);
}

/* ---------------------------------------------------------------------
 * Average ranks
 * ---------------------------------------------------------------------
 */

/* the average rank of v among values[0 .. n-1] (stride 2), by counting */
static double
brute_rank(const double *values, size_t n, double v)
{
	size_t		less = 0;
	size_t		equal = 0;

	for (size_t i = 0; i < n; i++)
	{
		less += values[2 * i] < v;
		equal += values[2 * i] == v;
	}
	return (double) less + ((double) equal + 1.0) / 2.0;
}

static void
test_average(void)
{
	size_t		n = 2000;
	double	   *xy = malloc(n * sizeof(PfPair));
	double	   *want = malloc(n * sizeof(PfPair));
	double	   *work = malloc(n * sizeof(PfPair));

	for (int pattern = 0; pattern < NPATTERNS; pattern++)
		for (int nruns = 1; nruns <= 5; nruns += 4)
		{
			int64_t		runlen[5];
			size_t		pos = 0;
			PfRuns		runs;

			fill(xy, n, pattern);
			for (size_t i = 0; i < n; i++)
			{
				want[2 * i] = brute_rank(xy, n, xy[2 * i]);
				want[2 * i + 1] = brute_rank(xy + 1, n, xy[2 * i + 1]);
			}
			memcpy(work, xy, n * sizeof(PfPair));
			for (int r = 0; r < nruns; r++)
			{
				runlen[r] = r + 1 == nruns ? (int64_t) (n - pos) : (int64_t) n / 7;
				pf_ranks_sort_pairs(work + 2 * pos, runlen[r], NULL, 0);
				pos += (size_t) runlen[r];
			}
			pf_ranks_sort_runs((PfPair *) work, n, runlen, nruns, NULL, 0, &runs);
			pf_ranks_average_pairs((PfPair *) work, n, &runs, NULL, 0);
			CHECK(same_multiset(work, want, n),
				  "average ranks of %zu pairs (%s) in %d runs equal the counted ones",
				  n, pattern_names[pattern], nruns);
		}

	/* 3, 1, 3, -0, +0, 3: ranks 5, 3, 5, 1.5, 1.5, 5 */
	{
		const double v[6] = {3.0, 1.0, 3.0, -0.0, 0.0, 3.0};
		int64_t		six = 6;
		PfRuns		runs;

		for (int i = 0; i < 6; i++)
		{
			work[2 * i] = v[i];
			work[2 * i + 1] = (double) i;
		}
		pf_ranks_sort_runs((PfPair *) work, 6, &six, 1, NULL, 0, &runs);
		pf_ranks_average_pairs((PfPair *) work, 6, &runs, NULL, 0);
		for (int i = 0; i < 6; i++)
			want[(int) work[2 * i + 1] - 1] = work[2 * i];
		CHECK(want[0] == 5.0 && want[1] == 3.0 && want[2] == 5.0 &&
			  want[3] == 1.5 && want[4] == 1.5 && want[5] == 5.0,
			  "average ranks %g %g %g %g %g %g", want[0], want[1], want[2],
			  want[3], want[4], want[5]);
	}
	free(xy);
	free(want);
	free(work);
}

/* ---------------------------------------------------------------------
 * Interrupt checks
 * ---------------------------------------------------------------------
 */

/*
 * A profiling timer samples unit_interrupt_checks every millisecond of CPU
 * time; the longest run of samples in which it did not move bounds the
 * longest stretch without a check.
 */
/* a stretch without a check: at most this many ms, or this share of all */
#define MAX_STRETCH_MS 50

static void
test_interrupts(void)
{
	size_t		n = (size_t) 1 << 21;
	double	   *xy = malloc(n * sizeof(PfPair));
	long		want = (long) (n / PF_INTERRUPT_STRIDE);

	for (int pattern = 0; pattern < NPATTERNS; pattern++)
	{
		long		before;
		long		sorting;
		long		ranking;
		int64_t		len = (int64_t) n;
		PfRuns		runs;
		int			longest;
		int			total;

		fill(xy, n, pattern);
		sampling(true);
		before = unit_interrupt_checks;
		pf_ranks_sort_pairs(xy, len, NULL, 0);
		sorting = unit_interrupt_checks - before;
		before = unit_interrupt_checks;
		pf_ranks_sort_runs((PfPair *) xy, n, &len, 1, NULL, 0, &runs);
		pf_ranks_average_pairs((PfPair *) xy, n, &runs, NULL, 0);
		ranking = unit_interrupt_checks - before;
		sampling(false);
		longest_stretch(&longest, &total);

		CHECK(sorting >= want,
			  "sorting %zu pairs (%s) checked for interrupts %ld times, want %ld",
			  n, pattern_names[pattern], sorting, want);
		/* the check of the sorted run, ranks, swaps and the sort of y */
		CHECK(ranking >= 4 * want,
			  "ranking %zu pairs (%s) checked for interrupts %ld times, want %ld",
			  n, pattern_names[pattern], ranking, 4 * want);
		printf("# %s: %ld + %ld checks; longest stretch without one %d ms of %d\n",
			   pattern_names[pattern], sorting, ranking, longest, total);
		CHECK(longest <= MAX_STRETCH_MS || longest * 10 <= total,
			  "sorting and ranking %zu pairs (%s): %d ms of %d without an interrupt check",
			  n, pattern_names[pattern], longest, total);
	}

	/* the comparison sort alone: the runs of equal x the radix sort hands it */
	{
		long		before;
		int			longest;
		int			total;

		for (size_t i = 0; i < n; i++)
		{
			xy[2 * i] = 0.5;
			xy[2 * i + 1] = (double) ((i * 2654435761u) % n);
		}
		sampling(true);
		before = unit_interrupt_checks;
		pf_ranks_sort_pairs(xy, (int64_t) n, NULL, 0);
		before = unit_interrupt_checks - before;
		sampling(false);
		longest_stretch(&longest, &total);
		printf("# introsort of %zu pairs: %ld checks; longest stretch without one %d ms of %d\n",
			   n, before, longest, total);
		CHECK(before >= want && (longest <= MAX_STRETCH_MS || longest * 10 <= total),
			  "introsort of %zu pairs: %ld checks, %d ms of %d without one",
			  n, before, longest, total);
	}
	free(xy);
}

UNIT_MAIN_BEGIN
{
	test_sort();
	test_sort_either();
	test_spare_choice();
	test_runs();
	test_average();
	test_interrupts();
}
UNIT_MAIN_END

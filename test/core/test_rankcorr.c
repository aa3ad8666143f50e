/*
 * test_rankcorr.c
 *	  Unit tests of rankcorr_core.c: Kendall's tau-b against a quadratic
 *	  count, Kendall and Spearman on a million rows and on orders that
 *	  trouble a quicksort, -0 equal to +0, pairs cut into runs as parallel
 *	  workers hand them over, NaN, empty input and errors, and the
 *	  interrupt checks of both (counted, and timed by a profiling timer).
 *	  Agreement with scipy is in test_correlation.c.
 */
#include "host.h"
#include "sampler.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "rankcorr_core.h"

/* Spearman or Kendall of n pairs, on a copy (the core works in place). */
static PfCorrelation
rank_of(bool kendall, const double *xy, int64_t n, double conf)
{
	double	   *work = malloc(sizeof(double) * 2 * (size_t) (n > 0 ? n : 1));
	PfCorrelation res;

	if (n > 0)
		memcpy(work, xy, sizeof(double) * 2 * (size_t) n);
	res = kendall ? pf_rankcorr_kendall(work, n, &n, 1, NULL, 0, conf) :
		pf_rankcorr_spearman(work, n, &n, 1, NULL, 0, conf);
	free(work);
	return res;
}

static PfCorrelation
kendall_of(const double *xy, int64_t n, double conf)
{
	return rank_of(true, xy, n, conf);
}

static PfCorrelation
spearman_of(const double *xy, int64_t n, double conf)
{
	return rank_of(false, xy, n, conf);
}

#define PF_TEST_RNG_SEED UINT64_C(0x9E3779B97F4A7C15)
#include "rng.h"

static double
rng_normal(void)
{
	double		u = rng_uniform();
	double		v = rng_uniform();

	return sqrt(-2.0 * log(u + 1e-300)) * cos(2.0 * M_PI * v);
}

/* ---------------------------------------------------------------------
 * Kendall: against a quadratic count, and speed
 * ---------------------------------------------------------------------
 */

static double
kendall_brute(const double *xy, int64_t n)
{
	int64_t		s = 0,
				tx = 0,
				ty = 0;
	int64_t		tot = n * (n - 1) / 2;

	for (int64_t i = 0; i < n; i++)
		for (int64_t j = i + 1; j < n; j++)
		{
			double		dx = xy[2 * i] - xy[2 * j];
			double		dy = xy[2 * i + 1] - xy[2 * j + 1];

			if (dx == 0)
				tx++;
			if (dy == 0)
				ty++;
			if (dx * dy > 0)
				s++;
			else if (dx * dy < 0)
				s--;
		}
	return (double) s / sqrt((double) (tot - tx)) / sqrt((double) (tot - ty));
}

static double
elapsed_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double) (t1.tv_sec - t0->tv_sec) +
		(double) (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
test_kendall(void)
{
	int64_t		n = 1000000;
	double	   *xy = malloc(sizeof(double) * 2 * (size_t) n);

	/*
	 * Eight rows are one block of the inversion count, sorted by a network:
	 * y every sequence of zeros and ones (but the two constant ones), which
	 * the network must sort for the ties in y to be counted right
	 */
	for (int bits = 1; bits < 255; bits++)
	{
		PfCorrelation res;
		double		want;

		for (int i = 0; i < 8; i++)
		{
			xy[2 * i] = (double) i;
			xy[2 * i + 1] = (double) ((bits >> i) & 1);
		}
		want = kendall_brute(xy, 8);
		res = kendall_of(xy, 8, 0.95);
		CHECK(res.r_valid && close_rel(res.r, want, 1e-13, 1e-15),
			  "kendall of 8 rows, y the bits of %d: %.17g, quadratic count %.17g",
			  bits, res.r, want);
	}

	/* tau-b matches a quadratic count, with and without ties */
	for (int trial = 0; trial < 10; trial++)
	{
		/* past 4,096 rows, the inversions are counted chunk by chunk */
		int64_t		m = trial < 6 ? 50 + (int64_t) (rng_next() % 1500) :
			4096 * (trial - 4) + (int64_t) (rng_next() % 100);
		int			levels = trial % 2 ? 3 + trial : 0;
		PfCorrelation res;
		double		want;

		for (int64_t i = 0; i < m; i++)
		{
			double		x = rng_normal();
			double		y = 0.4 * x + rng_normal();

			if (levels)
			{
				x = floor(x * levels / 3);
				y = floor(y * levels / 3);
			}
			xy[2 * i] = x;
			xy[2 * i + 1] = y;
		}
		res = kendall_of(xy, m, 0.95);
		want = kendall_brute(xy, m);
		CHECK(res.r_valid && close_rel(res.r, want, 1e-13, 1e-15),
			  "kendall n=%lld levels %d: %.17g, quadratic count %.17g",
			  (long long) m, levels, res.r, want);
	}

	/* a million rows, once continuous and once heavily tied */
	for (int tied = 0; tied < 2; tied++)
	{
		struct timespec t0;
		PfCorrelation res;
		double		secs;

		for (int64_t i = 0; i < n; i++)
		{
			double		x = rng_normal();
			double		y = 0.3 * x + rng_normal();

			if (tied)
			{
				x = floor(x * 3);
				y = floor(y * 2);
			}
			xy[2 * i] = x;
			xy[2 * i + 1] = y;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		res = kendall_of(xy, n, 0.95);
		secs = elapsed_since(&t0);
		printf("# kendall on %lld rows (%s): %.3f s, tau %.6f, p %.3g\n",
			   (long long) n, tied ? "tied" : "continuous", secs, res.r,
			   res.p_value);
		CHECK(secs < 3.0, "kendall on 1e6 rows took %.3f s", secs);
		CHECK(res.r_valid && res.r > 0.15 && res.r < 0.25 && res.p_valid &&
			  res.p_value < 1e-300 && res.ci_valid,
			  "kendall on 1e6 rows: tau %g p %g", res.r, res.p_value);
	}
	/* orders that trouble a naive quicksort */
	for (int pattern = 0; pattern < 4; pattern++)
	{
		static const char *const names[] = {
			"ascending", "descending", "constant x", "organ pipe"
		};
		struct timespec t0;
		PfCorrelation res;
		double		secs;

		for (int64_t i = 0; i < n; i++)
		{
			double		v = (double) i;

			if (pattern == 1)
				v = (double) (n - i);
			else if (pattern == 3)
				v = (double) (i < n / 2 ? i : n - i);
			xy[2 * i] = pattern == 2 ? 1.0 : v;
			xy[2 * i + 1] = pattern == 3 ? (double) (i % 1000) : v;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		res = kendall_of(xy, n, 0.95);
		secs = elapsed_since(&t0);
		printf("# kendall on %lld rows (%s): %.3f s\n", (long long) n,
			   names[pattern], secs);
		CHECK(secs < 3.0 && (pattern == 2 ? !res.r_valid :
							 pattern == 3 || fabs(res.r) == 1.0),
			  "kendall on %s rows: %.3f s, tau %g", names[pattern], secs,
			  res.r);
	}

	{
		struct timespec t0;
		PfCorrelation res;
		double		secs;

		for (int64_t i = 0; i < n; i++)
		{
			xy[2 * i] = floor(rng_normal() * 3);
			xy[2 * i + 1] = 0.3 * xy[2 * i] + rng_normal();
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		res = spearman_of(xy, n, 0.95);
		secs = elapsed_since(&t0);
		printf("# spearman on %lld rows (x tied): %.3f s, rho %.6f\n",
			   (long long) n, secs, res.r);
		CHECK(res.r_valid && secs < 3.0, "spearman on 1e6 rows: %.3f s", secs);
	}
	free(xy);
}

/*
 * The radix sort behind both treats -0 and +0 as the equal values they
 * are: the same data with every -0 made +0 gives the same Spearman and
 * Kendall, with ties.
 */
static void
test_signed_zero(void)
{
	const int64_t n = 5000;
	double	   *xy = malloc((size_t) n * 2 * sizeof(double));
	double	   *pos = malloc((size_t) n * 2 * sizeof(double));

	for (int64_t i = 0; i < n; i++)
	{
		int			k = (int) ((i * 7919) % 5);

		/* x from {-1, -0, +0, 1, 2}; y a noisy function of it, tied too */
		xy[2 * i] = k == 1 ? -0.0 : (k == 0 ? -1.0 : (double) (k - 2));
		xy[2 * i + 1] = floor((double) ((i * 104729) % 1000) / 100.0) + xy[2 * i];
		pos[2 * i] = xy[2 * i] + 0.0;
		pos[2 * i + 1] = xy[2 * i + 1] + 0.0;
	}
	for (int kendall = 0; kendall < 2; kendall++)
	{
		PfCorrelation a = rank_of(kendall, xy, n, 0.95);
		PfCorrelation b = rank_of(kendall, pos, n, 0.95);

		CHECK(a.r_valid && a.r == b.r && a.p_value == b.p_value,
			  "%s: -0 and +0 are equal values (%.17g vs %.17g)",
			  kendall ? "kendall" : "spearman", a.r, b.r);
	}
	free(xy);
	free(pos);
}

/*
 * Pairs cut into runs, as the states of parallel workers arrive: whatever
 * the cut, and whichever runs were sorted beforehand, the result is
 * exactly what one run gives (same ranks, same counts, summed in
 * the same order), allocate 8 bytes a row at most (Kendall's merged y),
 * and refuse run lengths that do not add up.
 */
static void
test_runs(void)
{
	const int64_t n = 20000;
	double	   *xy = malloc((size_t) n * 2 * sizeof(double));
	double	   *work = malloc((size_t) n * 2 * sizeof(double));
	double	   *xy_spare = malloc((size_t) n * 2 * sizeof(double));
	uint32_t	seed = 12345;
	static const int cuts[] = {1, 2, 3, 5, PF_MAX_RUNS, PF_MAX_RUNS + 1, 40};

	for (int64_t i = 0; i < n; i++)
	{
		seed = seed * 1103515245u + 12345u;
		/* x with heavy ties, y continuous-ish and related to x */
		xy[2 * i] = (double) ((seed >> 8) % 97) - 48.0;
		seed = seed * 1103515245u + 12345u;
		xy[2 * i + 1] = xy[2 * i] * 0.5 + (double) ((seed >> 8) % 10007) / 1000.0;
	}
	for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++)
	{
		int			nruns = cuts[c];
		int64_t		runlen[64];
		int64_t		left = n;

		for (int r = 0; r < nruns; r++)
		{
			seed = seed * 1103515245u + 12345u;
			/* some runs empty, the rest of random length */
			runlen[r] = r + 1 == nruns ? left :
				(r % 4 == 1 ? 0 : (int64_t) ((seed >> 8) % (uint32_t) (left / 2 + 1)));
			left -= runlen[r];
		}
		/* the same bits with a spare of a quarter of the pairs as without */
		for (int kendall = 0; kendall < 4; kendall++)
		{
			PfCorrelation want = rank_of(kendall % 2, xy, n, 0.9);
			PfCorrelation got;
			int64_t		pos = 0;
			size_t		before = unit_bytes_allocated;
			PfPair	   *spare = kendall < 2 ? NULL : (PfPair *) xy_spare;
			size_t		nspare = kendall < 2 ? 0 : (size_t) (n + 3) / 4;

			memcpy(work, xy, (size_t) n * 2 * sizeof(double));
			for (int r = 0; r < nruns; r++)
			{
				if (r % 3 != 2)
					pf_ranks_sort_pairs(work + 2 * pos, runlen[r], spare, nspare);
				pos += runlen[r];
			}
			got = kendall % 2 ?
				pf_rankcorr_kendall(work, n, runlen, nruns, spare, nspare, 0.9) :
				pf_rankcorr_spearman(work, n, runlen, nruns, spare, nspare, 0.9);
			CHECK(got.r_valid && got.r == want.r && got.p_value == want.p_value &&
				  got.ci_low == want.ci_low && got.ci_high == want.ci_high,
				  "%s over %d runs, %zu spare: %.17g, one array %.17g",
				  kendall % 2 ? "kendall" : "spearman", nruns, nspare, got.r, want.r);
			CHECK(unit_bytes_allocated - before <= (size_t) n * sizeof(double),
				  "%s over %d runs allocated %zu bytes, more than 8 a row",
				  kendall % 2 ? "kendall" : "spearman", nruns,
				  unit_bytes_allocated - before);
		}
	}
	{
		int64_t		bad[2] = {n / 2, n / 2 + 1};
		int64_t		neg[2] = {-1, n + 1};

		memcpy(work, xy, (size_t) n * 2 * sizeof(double));
		CHECK(PF_TRY(pf_rankcorr_spearman(work, n, bad, 2, NULL, 0, 0.9)) &&
			  pf_last_error_kind == PF_ERR_INTERNAL,
			  "runs longer than the pairs are refused");
		CHECK(PF_TRY(pf_rankcorr_kendall(work, n, neg, 2, NULL, 0, 0.9)) &&
			  pf_last_error_kind == PF_ERR_INTERNAL,
			  "a negative run length is refused");
		CHECK(PF_TRY(pf_rankcorr_kendall(work, n, bad, 0, NULL, 0, 0.9)) &&
			  pf_last_error_kind == PF_ERR_INTERNAL,
			  "no runs at all is refused");
	}
	free(xy);
	free(work);
	free(xy_spare);
}

static void
test_edges(void)
{
	const double nanxy[6] = {1, 2, NAN, 3, 4, 5};
	const double two[4] = {1, 5, 2, 3};
	const double constant[8] = {1, 5, 2, 5, 3, 5, 4, 5};
	PfCorrelation res;

	CHECK(!spearman_of(NULL, 0, 0.95).r_valid && !kendall_of(NULL, 0, 0.95).r_valid,
		  "no rows: no r");
	res = spearman_of(nanxy, 3, 0.95);
	CHECK(res.r_valid && isnan(res.r) && res.p_valid && isnan(res.p_value),
		  "spearman NaN");
	res = kendall_of(nanxy, 3, 0.95);
	CHECK(res.r_valid && isnan(res.r), "kendall NaN");
	res = spearman_of(two, 2, 0.95);
	CHECK(res.r == -1.0 && res.p_value == 1.0 && !res.ci_valid,
		  "spearman of two rows: r %g p %g", res.r, res.p_value);
	res = kendall_of(two, 2, 0.95);
	CHECK(res.r == -1.0 && res.p_valid && !res.ci_valid,
		  "kendall of two rows: r %g p %g", res.r, res.p_value);
	CHECK(!spearman_of(constant, 4, 0.95).r_valid &&
		  !kendall_of(constant, 4, 0.95).r_valid, "a constant column: no r");
	{
		double		work[4] = {1, 5, 2, 3};
		int64_t		len = 2;

		CHECK(PF_TRY(pf_rankcorr_kendall(work, 2, &len, 1, NULL, 0, 1.5)) &&
			  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
			  "confidence 1.5 is rejected");
	}
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
#define MAX_STRETCH_MS 50

/*
 * Each statistic over n pairs, in one run and in several sorted runs (the
 * merges), checks for interrupts at least once per PF_INTERRUPT_STRIDE
 * pairs of each of its passes, and never goes long without a check.
 */
static void
test_interrupts(void)
{
	int64_t		n = (int64_t) 1 << 21;
	double	   *xy = malloc(sizeof(double) * 2 * (size_t) n);
	size_t		nspare = (size_t) n / 4;
	PfPair	   *spare = malloc(sizeof(PfPair) * nspare);
	long		want = (long) (n / PF_INTERRUPT_STRIDE);

	for (int tied = 0; tied < 2; tied++)
		for (int kendall = 0; kendall < 2; kendall++)
			for (int nruns = 1; nruns <= 4; nruns += 3)
			{
				int64_t		runlen[4];
				long		before;
				long		checks;
				int			longest;
				PfCorrelation res;

				for (int64_t i = 0; i < n; i++)
				{
					double		x = rng_normal();

					xy[2 * i] = tied ? floor(x * 2) : x;
					xy[2 * i + 1] = tied ? floor(x + rng_normal()) : x + rng_normal();
				}
				for (int r = 0; r < nruns; r++)
				{
					runlen[r] = n / nruns + (r == 0 ? n % nruns : 0);
					if (nruns > 1)
						pf_ranks_sort_pairs(xy + 2 * (r == 0 ? 0 : runlen[0] + (r - 1) * (n / nruns)),
											runlen[r], NULL, 0);
				}
				sampling(true);
				before = unit_interrupt_checks;
				/* the sorts with a spare for half of the cases, in place for the rest */
				res = kendall ?
					pf_rankcorr_kendall(xy, n, runlen, nruns, tied ? NULL : spare,
										tied ? 0 : nspare, 0.95) :
					pf_rankcorr_spearman(xy, n, runlen, nruns, tied ? spare : NULL,
										 tied ? nspare : 0, 0.95);
				checks = unit_interrupt_checks - before;
				sampling(false);
				{
					int			total;

					longest_stretch(&longest, &total);
				}
				printf("# %s of %lld %s pairs in %d runs: %ld checks; longest stretch without one %d ms of %d\n",
					   kendall ? "kendall" : "spearman", (long long) n,
					   tied ? "tied" : "continuous", nruns, checks, longest,
					   (int) nsamples);
				CHECK(res.r_valid && checks >= 4 * want,
					  "%s of %lld pairs in %d runs: %ld interrupt checks, want %ld",
					  kendall ? "kendall" : "spearman", (long long) n, nruns,
					  checks, 4 * want);
				CHECK(longest <= MAX_STRETCH_MS || longest * 10 <= nsamples,
					  "%s of %lld pairs in %d runs: %d ms of %d without an interrupt check",
					  kendall ? "kendall" : "spearman", (long long) n, nruns,
					  longest, (int) nsamples);
			}
	free(xy);
	free(spare);
}

UNIT_MAIN_BEGIN
{
	test_kendall();
	test_signed_zero();
	test_runs();
	test_edges();
	test_interrupts();
}
UNIT_MAIN_END

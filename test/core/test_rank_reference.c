/*
 * test_rank_reference.c
 *	  The rank computations against a frozen copy of the ones they
 *	  replaced (test/core/reference/: ranks_core.c and rankcorr_core.c as
 *	  of commit 50a8f25), which the faster ones must reproduce bit for bit:
 *	  the same sorted pairs, the same average ranks, and the same Spearman
 *	  and Kendall results (r, p-value, interval, statistic, ties), over
 *	  continuous and tied data, special values, sizes around the thresholds
 *	  of the sorts, with and without a spare, and in runs as parallel
 *	  workers hand them over.
 */
#include "host.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rankcorr_core.h"

/*
 * The reference, under names of its own.  Its headers are the current
 * ones, already included above: the interfaces have not changed.
 */
#define pf_ranks_sort_pairs ref_ranks_sort_pairs
#define pf_ranks_sort_runs ref_ranks_sort_runs
#define pf_ranks_merge_start ref_ranks_merge_start
#define pf_ranks_average_pairs ref_ranks_average_pairs
#define pf_rankcorr_spearman ref_rankcorr_spearman
#define pf_rankcorr_kendall ref_rankcorr_kendall
#define pf_rankcorr_choose_p ref_rankcorr_choose_p
#include "reference/ranks_core_ref.c"
#include "reference/rankcorr_core_ref.c"
#undef pf_ranks_sort_pairs
#undef pf_ranks_sort_runs
#undef pf_ranks_merge_start
#undef pf_ranks_average_pairs
#undef pf_rankcorr_spearman
#undef pf_rankcorr_kendall
#undef pf_rankcorr_choose_p

#define PF_TEST_RNG_SEED UINT64_C(0x6A09E667F3BCC909)
#include "rng.h"

enum
{
	CONTINUOUS, SAMPLES, TIED, FEW_X, CONSTANT_X, ASCENDING, DESCENDING,
	ORGAN_PIPE, CLOSE, SPECIAL, NPATTERNS
};
static const char *const pattern_names[] = {
	"continuous", "ten rows a value of x", "tied", "few x", "constant x",
	"ascending", "descending", "organ pipe", "values ulps apart",
	"special values"
};

static void
fill(double *xy, size_t n, int pattern)
{
	static const double special[] = {-0.0, 0.0, INFINITY, -INFINITY, 1e308,
	-1e308, 5e-324, -5e-324};

	for (size_t i = 0; i < n; i++)
	{
		double		x,
					y,
					u;

		switch (pattern)
		{
			case CONTINUOUS:
				x = rng_uniform() * 2.0 - 1.0;
				y = 0.5 * x + rng_uniform();
				break;
			case SAMPLES:
				/* as make bench's samples table */
				u = rng_uniform();
				x = floor(u * (double) (n / 10 + 1));
				y = u + rng_uniform();
				break;
			case TIED:
				u = rng_uniform();
				x = (double) (int) (u * 1000);
				y = (double) (int) ((u + rng_uniform()) * 100);
				break;
			case FEW_X:
				x = (double) (rng_next() % 3);
				y = rng_uniform();
				break;
			case CONSTANT_X:
				x = 1.0;
				y = (double) (rng_next() % 50);
				break;
			case ASCENDING:
				x = y = (double) i;
				break;
			case DESCENDING:
				x = (double) (n - i);
				y = (double) i;
				break;
			case ORGAN_PIPE:
				x = (double) (i < n / 2 ? i : n - i);
				y = (double) (i % 1000);
				break;
			case CLOSE:
				/* keys that share their high bits: the comparison sort's groups */
				x = 1.0 + (double) (rng_next() % 4096) * 2.220446049250313e-16;
				y = 1.0 + (double) (rng_next() % 64) * 2.220446049250313e-16;
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

/* equal as doubles, or both NaN */
static bool
same_double(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

static bool
same_result(const PfCorrelation *a, const PfCorrelation *b)
{
	return a->n == b->n && memcmp(&a->r, &b->r, sizeof(double)) == 0 &&
		memcmp(&a->p_value, &b->p_value, sizeof(double)) == 0 &&
		memcmp(&a->ci_low, &b->ci_low, sizeof(double)) == 0 &&
		memcmp(&a->ci_high, &b->ci_high, sizeof(double)) == 0 &&
		a->r_valid == b->r_valid && a->p_valid == b->p_valid &&
		a->ci_valid == b->ci_valid && a->p_method == b->p_method &&
		a->ties == b->ties && same_double(a->rank_stat, b->rank_stat);
}

/* pairs equal under the order of the sort (-0 equal to +0), one by one */
static bool
same_order(const double *a, const double *b, size_t n)
{
	for (size_t i = 0; i < 2 * n; i++)
		if (!same_double(a[i], b[i]))
			return false;
	return true;
}

static int
cmp_bytes(const void *p, const void *q)
{
	return memcmp(p, q, sizeof(PfPair));
}

static bool
same_multiset(double *a, double *b, size_t n)
{
	qsort(a, n, sizeof(PfPair), cmp_bytes);
	qsort(b, n, sizeof(PfPair), cmp_bytes);
	return memcmp(a, b, n * sizeof(PfPair)) == 0;
}

/*
 * The runs of n pairs: one run, or nruns of random lengths of which the
 * even ones are sorted first, as a parallel worker sorts its share.
 */
static int
make_runs(double *xy, size_t n, int nruns, int64_t *runlen)
{
	size_t		left = n;
	size_t		pos = 0;

	for (int r = 0; r < nruns; r++)
	{
		runlen[r] = r + 1 == nruns ? (int64_t) left :
			(int64_t) (rng_next() % (left / 2 + 1));
		if (r % 2 == 0)
			ref_ranks_sort_pairs(xy + 2 * pos, runlen[r], NULL, 0);
		pos += (size_t) runlen[r];
		left -= (size_t) runlen[r];
	}
	return nruns;
}

static void
test_against_reference(void)
{
	static const size_t sizes[] = {0, 1, 2, 3, 8, 9, 10, 33, 34, 100, 1000,
		PF_RANKS_MIN_SPARE_SORT - 1, PF_RANKS_MIN_SPARE_SORT, 4097, 5000,
	70001, 300007};
	size_t		maxn = 300007;
	double	   *orig = malloc(maxn * sizeof(PfPair));
	double	   *a = malloc(maxn * sizeof(PfPair));
	double	   *b = malloc(maxn * sizeof(PfPair));
	PfPair	   *spare = malloc((maxn + 8) * sizeof(PfPair));

	for (int pattern = 0; pattern < NPATTERNS; pattern++)
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
			for (int mode = 0; mode < 4; mode++)
			{
				size_t		n = sizes[s];

				/* no spare, a quarter (four blocks), a half, more than n */
				size_t		nspare = (size_t[]) {0, (n + 3) / 4, n / 2 + 1, n + 8}[mode];
				PfPair	   *sp = mode == 0 ? NULL : spare;
				int64_t		len = (int64_t) n;
				int64_t		runlen[5];
				int			nruns;
				PfRuns		ra,
							rb;
				PfCorrelation ca,
							cb;
				bool		ok;

				/* the largest size with the spare the server gives, a quarter */
				if (n > 100000 && mode != 1)
					continue;
				fill(orig, n, pattern);

				/* the sort */
				memcpy(a, orig, n * sizeof(PfPair));
				memcpy(b, orig, n * sizeof(PfPair));
				pf_ranks_sort_pairs(a, len, sp, nspare);
				ref_ranks_sort_pairs(b, len, sp, nspare);
				CHECK(same_order(a, b, n), "sort of %zu pairs (%s), %zu spare, as before",
					  n, pattern_names[pattern], nspare);

				/* average ranks, in one run or five */
				for (int k = 1; k <= 5 && n > 0; k += 4)
				{
					memcpy(a, orig, n * sizeof(PfPair));
					nruns = make_runs(a, n, k, runlen);
					memcpy(b, a, n * sizeof(PfPair));
					pf_ranks_sort_runs((PfPair *) a, n, runlen, nruns, sp, nspare, &ra);
					ref_ranks_sort_runs((PfPair *) b, n, runlen, nruns, sp, nspare, &rb);
					pf_ranks_average_pairs((PfPair *) a, n, &ra, sp, nspare);
					ref_ranks_average_pairs((PfPair *) b, n, &rb, sp, nspare);
					CHECK(ra.k == rb.k && same_multiset(a, b, n),
						  "average ranks of %zu pairs (%s) in %d runs, %zu spare, as before",
						  n, pattern_names[pattern], k, nspare);
				}

				/* Spearman and Kendall, in one run or five */
				for (int k = 1; k <= 5; k += 4)
				{
					memcpy(a, orig, n * sizeof(PfPair));
					nruns = n > 0 ? make_runs(a, n, k, runlen) : 1;
					if (n == 0)
						runlen[0] = 0;
					memcpy(b, a, n * sizeof(PfPair));
					ca = pf_rankcorr_spearman(a, len, runlen, nruns, sp, nspare, 0.95);
					cb = ref_rankcorr_spearman(b, len, runlen, nruns, sp, nspare, 0.95);
					ok = same_result(&ca, &cb);
					CHECK(ok, "spearman of %zu pairs (%s) in %d runs, %zu spare: r %.17g p %.17g, before %.17g %.17g",
						  n, pattern_names[pattern], k, nspare, ca.r, ca.p_value, cb.r, cb.p_value);

					memcpy(a, orig, n * sizeof(PfPair));
					nruns = n > 0 ? make_runs(a, n, k, runlen) : 1;
					memcpy(b, a, n * sizeof(PfPair));
					ca = pf_rankcorr_kendall(a, len, runlen, nruns, sp, nspare, 0.95);
					cb = ref_rankcorr_kendall(b, len, runlen, nruns, sp, nspare, 0.95);
					ok = same_result(&ca, &cb);
					CHECK(ok, "kendall of %zu pairs (%s) in %d runs, %zu spare: tau %.17g dis %.17g, before %.17g %.17g",
						  n, pattern_names[pattern], k, nspare, ca.r, ca.rank_stat, cb.r, cb.rank_stat);
				}
			}
	free(orig);
	free(a);
	free(b);
	free(spare);
}

UNIT_MAIN_BEGIN
{
	test_against_reference();
}
UNIT_MAIN_END

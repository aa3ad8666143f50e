/*-------------------------------------------------------------------------
 *
 * rankcorr_core.c
 *	  Rank correlation: Spearman's rho from average ranks, and Kendall's
 *	  tau-b by Knight's algorithm.  See rankcorr_core.h.
 *
 * Kendall's tau-b is Knight's O(n log n) algorithm as scipy implements it:
 * sort the pairs by (x, y), count the ties, then count the discordant pairs
 * as the swaps of a merge sort on y.
 *
 *-------------------------------------------------------------------------
 */
#include "rankcorr_core.h"

#include <math.h>
#include <string.h>

#include "distributions_core.h"

/* pf_alloc for n elements of elsize bytes, refusing sizes that wrap. */
static void *
alloc_rows(int64_t n, size_t elsize)
{
	if (n < 0 || (uint64_t) n > SIZE_MAX / elsize)
		pf_errorf(PF_ERR_OUT_OF_MEMORY, NULL, NULL,
				  "cannot allocate %lld rows of %zu bytes",
				  (long long) n, elsize);
	return pf_alloc((size_t) n * elsize);
}

static bool
has_nan(const double *xy, int64_t n)
{
	size_t		len = 2 * (size_t) n;

	for (size_t lo = 0; lo < len;)
	{
		size_t		hi = pf_ranks_stretch_end(lo, len);

		for (size_t i = lo; i < hi; i++)
			if (isnan(xy[i]))
				return true;
		lo = hi;
	}
	return false;
}

/* ---------------------------------------------------------------------
 * Spearman
 * ---------------------------------------------------------------------
 */

/* Neumaier's compensated sum: ranks of 1e8 rows need it. */
typedef struct PfSum
{
	double		s;
	double		c;
} PfSum;

static inline void
sum_add(PfSum *sum, double x)
{
	double		t = sum->s + x;

	if (fabs(sum->s) >= fabs(x))
		sum->c += (sum->s - t) + x;
	else
		sum->c += (x - t) + sum->s;
	sum->s = t;
}

/*
 * Replace x and y by their average ranks, then correlate the ranks, whose
 * order no longer matters.  No memory beyond the pairs themselves.
 */
PfCorrelation
pf_rankcorr_spearman(double *xy, int64_t n, const int64_t *runlen, int nruns,
					 PfPair *spare, size_t nspare, double confidence)
{
	PfCorrelation res = pf_correlation_empty(n);
	PfPair	   *p = (PfPair *) xy;
	size_t		len = (size_t) n;
	PfRuns		runs;
	double		mean;
	PfSum		sxx = {0, 0};
	PfSum		syy = {0, 0};
	PfSum		sxy = {0, 0};

	pf_correlation_check_confidence(confidence);
	if (n < 2)
		return res;
	if (has_nan(xy, n))
		return pf_correlation_nan(n, n > 3);

	{
		PF_PHASE_START(t);

		pf_ranks_sort_runs(p, len, runlen, nruns, spare, nspare, &runs);
		PF_PHASE_MARK(t, "sort by x");
	}
	pf_ranks_average_pairs(p, len, &runs, spare, nspare);

	/* average ranks always sum to n(n+1)/2, so the deviations are exact */
	mean = ((double) n + 1.0) / 2.0;
	for (size_t lo = 0; lo < len;)
	{
		size_t		hi = pf_ranks_stretch_end(lo, len);

		for (size_t i = lo; i < hi; i++)
		{
			double		dx = p[i].a - mean;
			double		dy = p[i].b - mean;

			sum_add(&sxx, dx * dx);
			sum_add(&syy, dy * dy);
			sum_add(&sxy, dx * dy);
		}
		lo = hi;
	}

	if (sxx.s + sxx.c == 0.0 || syy.s + syy.c == 0.0)
		return res;				/* a constant column */
	/* without ties the ranks are 1..n: sum (rank - mean)^2 = n (n^2 - 1) / 12 */
	res.ties = sxx.s + sxx.c != ((double) n * (double) n - 1.0) * (double) n / 12.0 ||
		syy.s + syy.c != ((double) n * (double) n - 1.0) * (double) n / 12.0;
	/* S = sum (rx - ry)^2, exact when the ranks are whole */
	res.rank_stat = (sxx.s + sxx.c) + (syy.s + syy.c) - 2.0 * (sxy.s + sxy.c);
	if (n == 2)
		res.r = sxy.s + sxy.c > 0.0 ? 1.0 : -1.0;
	else
		res.r = pf_correlation_from_comoments(sxy.s + sxy.c, sxx.s + sxx.c,
											  syy.s + syy.c);
	res.r_valid = true;
	pf_correlation_finish(&res, (double) (n - 2),
						  n > 3 ? sqrt((1.0 + res.r * res.r / 2.0) / (double) (n - 3)) :
						  0.0, confidence);
	return res;
}

/* ---------------------------------------------------------------------
 * Kendall tau-b
 * ---------------------------------------------------------------------
 */

/* Ties of one kind, in the three sums scipy's variance needs. */
typedef struct PfTies
{
	int64_t		pairs;			/* sum cnt (cnt - 1) / 2 */
	double		v0;				/* sum cnt (cnt - 1) (cnt - 2) */
	double		v1;				/* sum cnt (cnt - 1) (2 cnt + 5) */
} PfTies;

static inline void
ties_add(PfTies *t, int64_t cnt)
{
	double		c = (double) cnt;

	if (cnt < 2)
		return;
	t->pairs += cnt * (cnt - 1) / 2;
	t->v0 += c * (c - 1.0) * (c - 2.0);
	t->v1 += c * (c - 1.0) * (2.0 * c + 5.0);
}

/* Copy count doubles, checking for interrupts between chunks. */
static void
copy_doubles(double *dst, const double *src, size_t count)
{
	while (count > PF_INTERRUPT_STRIDE)
	{
		memcpy(dst, src, PF_INTERRUPT_STRIDE * sizeof(double));
		dst += PF_INTERRUPT_STRIDE;
		src += PF_INTERRUPT_STRIDE;
		count -= PF_INTERRUPT_STRIDE;
		pf_check_interrupts();
	}
	memcpy(dst, src, count * sizeof(double));
}

/*
 * Merge the sorted src[lo .. mid-1] and src[mid .. hi-1] into dst[lo ..
 * hi-1], returning the inversions between the two halves.  Without a
 * branch on which side is taken (it is as good as random): when src[j] is
 * taken it is below every remaining left value, mid - i inversions.  The
 * merge goes in stretches of at most PF_INTERRUPT_STRIDE from each side,
 * with an interrupt check between them: the loop tests the stretch's
 * bounds instead of the halves', so they cost nothing.
 */
static int64_t
merge_count(const double *src, double *dst, size_t lo, size_t mid, size_t hi)
{
	int64_t		inv = 0;
	size_t		i = lo;
	size_t		j = mid;
	size_t		k = lo;

	for (;;)
	{
		size_t		ilim = mid - i > PF_INTERRUPT_STRIDE ?
			i + PF_INTERRUPT_STRIDE : mid;
		size_t		jlim = hi - j > PF_INTERRUPT_STRIDE ?
			j + PF_INTERRUPT_STRIDE : hi;

		while (i < ilim && j < jlim)
		{
			double		l = src[i];
			double		r = src[j];
			size_t		right = r < l;

			dst[k++] = right ? r : l;
			inv += (int64_t) ((mid - i) & (0 - right));
			j += right;
			i += 1 - right;
		}
		if (i == mid || j == hi)
			break;
		pf_check_interrupts();
	}
	copy_doubles(dst + k, src + i, mid - i);
	k += mid - i;
	copy_doubles(dst + k, src + j, hi - j);
	return inv;
}

/*
 * Sort v[0 .. n-1] ascending with buf as scratch (n doubles), returning the
 * number of inversions (pairs i < j with v[i] > v[j]; equal values are not
 * inversions).  The sorted values end up in v or in buf; *sorted says which.
 */
static int64_t
sort_count_inversions(double *v, double *buf, size_t n, double **sorted)
{
	const size_t run = 32;
	int64_t		inv = 0;
	double	   *src = v;
	double	   *dst = buf;

	/* short runs by insertion sort, each shift undoing one inversion */
	for (size_t lo = 0; lo < n; lo += run)
	{
		size_t		hi = lo + run < n ? lo + run : n;

		PF_INTERRUPT_EVERY(lo);
		for (size_t i = lo + 1; i < hi; i++)
		{
			double		t = src[i];
			size_t		j = i;

			while (j > lo && src[j - 1] > t)
			{
				src[j] = src[j - 1];
				j--;
			}
			inv += (int64_t) (i - j);
			src[j] = t;
		}
	}

	for (size_t width = run; width < n; width *= 2)
	{
		/*
		 * lo steps by 2 * width, a power of two: the check comes once per
		 * PF_INTERRUPT_STRIDE values, or once a block when blocks are longer
		 */
		for (size_t lo = 0; lo < n; lo += 2 * width)
		{
			size_t		mid = lo + width < n ? lo + width : n;
			size_t		hi = lo + 2 * width < n ? lo + 2 * width : n;

			PF_INTERRUPT_EVERY(lo);
			if (mid == hi || src[mid - 1] <= src[mid])
				copy_doubles(dst + lo, src + lo, hi - lo);
			else
				inv += merge_count(src, dst, lo, mid, hi);
		}
		{
			double	   *t = src;

			src = dst;
			dst = t;
		}
	}
	*sorted = src;
	return inv;
}

/*
 * Merge sorted runs in (x, y) order, counting the ties in x and the joint
 * ties, and return the y values in that order (8 bytes a row, allocated).
 */
static double *
merge_runs_y(const PfPair *p, size_t len, const PfRuns *runs, PfTies *xt,
			 int64_t *ntie)
{
	double	   *ys = alloc_rows((int64_t) len, sizeof(double));
	PfMerge		mg;
	uint64_t	ykey[PF_MAX_RUNS];
	uint64_t	gx = 0;
	uint64_t	gy = 0;
	int64_t		xcnt = 0;
	int64_t		jcnt = 0;

	pf_ranks_merge_start(&mg, p, runs);
	for (int r = 0; r < mg.k; r++)
		ykey[r] = mg.head[r] < mg.stop[r] ? pf_ranks_key(p[mg.head[r]].b) : 0;
	for (size_t out = 0; out < len; out++)
	{
		int			m = 0;
		size_t		h;

		PF_INTERRUPT_EVERY(out);
		/* the smallest head in (x, y) order; done runs have the top x key */
		for (int r = 1; r < mg.k; r++)
			m = (mg.key[r] < mg.key[m] ||
				 (mg.key[r] == mg.key[m] && ykey[r] < ykey[m])) ? r : m;
		h = mg.head[m];
		if (mg.key[m] == gx && out > 0)
		{
			xcnt++;
			if (ykey[m] == gy)
				jcnt++;
			else
			{
				*ntie += jcnt * (jcnt - 1) / 2;
				jcnt = 1;
			}
		}
		else
		{
			ties_add(xt, xcnt);
			*ntie += jcnt * (jcnt - 1) / 2;
			xcnt = jcnt = 1;
		}
		gx = mg.key[m];
		gy = ykey[m];
		ys[out] = p[h].b;
		mg.head[m]++;
		mg.key[m] = pf_ranks_merge_key(p, &mg, m);
		if (mg.head[m] < mg.stop[m])
			ykey[m] = pf_ranks_key(p[mg.head[m]].b);
	}
	ties_add(xt, xcnt);
	*ntie += jcnt * (jcnt - 1) / 2;
	return ys;
}

/* Ties in x, and joint ties in (x, y), of pairs sorted by (x, y). */
static void
count_sorted_ties(const PfPair *p, size_t len, PfTies *xt, int64_t *ntie)
{
	size_t		i = 0;

	while (i < len)
	{
		size_t		j = pf_ranks_tie_end(&p->a, 2, i, len);
		size_t		k = i;

		while (k < j)
		{
			size_t		m = pf_ranks_tie_end(&p->b, 2, k, j);

			*ntie += (int64_t) ((m - k) * (m - k - 1) / 2);
			k = m;
		}
		ties_add(xt, (int64_t) (j - i));
		i = j;
	}
}

/* Rows beyond which n (n - 1) / 2 no longer fits in int64. */
#define PF_KENDALL_MAX_ROWS INT64_C(3037000499)

/*
 * Knight's algorithm in place: sort the pairs by (x, y), count the ties,
 * pack y into the first half of the same memory and merge-sort it with the
 * second half as scratch, counting the swaps.  With several sorted runs,
 * merge them instead, writing y to memory of its own, and use the pairs
 * as the scratch.
 */
PfCorrelation
pf_rankcorr_kendall(double *xy, int64_t n, const int64_t *runlen, int nruns,
					PfPair *spare, size_t nspare, double confidence)
{
	PfCorrelation res = pf_correlation_empty(n);
	PfPair	   *p;
	PfRuns		runs;
	double	   *ys;
	double	   *ysorted;
	double	   *merged = NULL;
	size_t		len;
	size_t		i;
	PfTies		xt = {0, 0, 0};
	PfTies		yt = {0, 0, 0};
	int64_t		ntie = 0;
	int64_t		dis;
	int64_t		tot;
	int64_t		con_minus_dis;
	double		tau;

	pf_correlation_check_confidence(confidence);
	if (n < 2)
		return res;
	if (n > PF_KENDALL_MAX_ROWS)
		pf_errorf(PF_ERR_OUT_OF_RANGE, NULL, NULL,
				  "too many rows for kendall's tau: %lld", (long long) n);
	if (has_nan(xy, n))
		return pf_correlation_nan(n, n > 4);

	len = (size_t) n;
	p = (PfPair *) xy;
	{
		PF_PHASE_START(t);

		pf_ranks_sort_runs(p, len, runlen, nruns, spare, nspare, &runs);
		PF_PHASE_MARK(t, "sort by x");
	}

	if (runs.k > 1)
	{
		merged = merge_runs_y(p, len, &runs, &xt, &ntie);
		dis = sort_count_inversions(merged, xy, len, &ysorted);
	}
	else
	{
		PF_PHASE_START(t);

		count_sorted_ties(p, len, &xt, &ntie);
		PF_PHASE_MARK(t, "count x ties");

		/*
		 * Pack y, in (x, y) order, into the first half of the same memory;
		 * the second half is the merge sort's scratch.  Element i is read
		 * from double 2i+1 before double i is written, and 2i+1 >= i, so
		 * nothing unread is overwritten.
		 */
		ys = (double *) p;
		for (size_t lo = 0; lo < len;)
		{
			size_t		hi = pf_ranks_stretch_end(lo, len);

			for (i = lo; i < hi; i++)
				ys[i] = ys[2 * i + 1];
			lo = hi;
		}
		PF_PHASE_MARK(t, "pack y");
		dis = sort_count_inversions(ys, ys + len, len, &ysorted);
		PF_PHASE_MARK(t, "count inversions");
	}

	i = 0;
	while (i < len)
	{
		size_t		j = pf_ranks_tie_end(ysorted, 1, i, len);

		ties_add(&yt, (int64_t) (j - i));
		i = j;
	}
	if (merged != NULL)
		pf_free(merged);

	tot = n * (n - 1) / 2;
	if (xt.pairs == tot || yt.pairs == tot)
		return res;				/* a constant column */

	/* the concordant pairs first, so that nothing exceeds tot */
	con_minus_dis = (tot - xt.pairs - yt.pairs + ntie - dis) - dis;
	tau = (double) con_minus_dis / sqrt((double) (tot - xt.pairs)) /
		sqrt((double) (tot - yt.pairs));
	if (tau > 1.0)
		tau = 1.0;
	else if (tau < -1.0)
		tau = -1.0;
	res.r = tau;
	res.r_valid = true;

	res.p_valid = true;
	res.ties = xt.pairs > 0 || yt.pairs > 0;
	res.rank_stat = (double) dis;
	if (!res.ties && (n <= 33 || dis <= 1 || tot - dis <= 1))
	{
		res.p_value = pf_distributions_kendall_exact_p(n, dis < tot - dis ? dis : tot - dis);
		res.p_method = PF_P_EXACT;
	}
	else
	{
		/* con - dis is about normal with this tie-corrected variance */
		double		dn = (double) n;
		double		m = dn * (dn - 1.0);
		double		var = ((m * (2.0 * dn + 5.0) - xt.v1 - yt.v1) / 18.0 +
						   (2.0 * (double) xt.pairs * (double) yt.pairs) / m +
						   xt.v0 * yt.v0 / (9.0 * m * (dn - 2.0)));
		double		z = (double) con_minus_dis / sqrt(var);

		res.p_value = 2.0 * pf_distributions_norm_sf(fabs(z));
	}

	if (n > 4)
		pf_correlation_fisher_interval(&res, sqrt(0.437 / (double) (n - 4)),
									   confidence);
	return res;
}

/*
 * The p-value as asked: exact where the distribution is known, else the
 * normal approximation of con - dis without ties, as R's cor.test.
 */
void
pf_rankcorr_choose_p(PfCorrelation *res, bool kendall, PfExact exact)
{
	int64_t		n = res->n;

	if (exact == PF_EXACT_DEFAULT || !res->r_valid || !res->p_valid ||
		isnan(res->r))
		return;
	if (!kendall)
	{
		if (exact == PF_EXACT_ON && !res->ties && n <= PF_SPEARMAN_SERIES_MAX_N)
		{
			res->p_value = pf_distributions_spearman_exact_p(n, res->rank_stat);
			res->p_method = n <= PF_SPEARMAN_EXACT_MAX_N ? PF_P_EXACT : PF_P_EDGEWORTH;
		}
		return;					/* otherwise the t approximation, as computed */
	}
	if (res->ties)
		return;					/* the tie-corrected approximation, as computed */
	if (exact == PF_EXACT_ON && n <= PF_KENDALL_EXACT_MAX_N)
	{
		int64_t		tot = n * (n - 1) / 2;
		int64_t		dis = (int64_t) res->rank_stat;

		res->p_value = pf_distributions_kendall_exact_p(n, dis < tot - dis ? dis : tot - dis);
		res->p_method = PF_P_EXACT;
	}
	else if (res->p_method != PF_P_ASYMPTOTIC)
	{
		double		dn = (double) n;
		double		tot = dn * (dn - 1.0) / 2.0;
		double		z = (tot - 2.0 * res->rank_stat) /
			sqrt(dn * (dn - 1.0) * (2.0 * dn + 5.0) / 18.0);

		res->p_value = 2.0 * pf_distributions_norm_sf(fabs(z));
		res->p_method = PF_P_ASYMPTOTIC;
	}
}

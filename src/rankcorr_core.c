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
 * The merge sort that counts inversions: blocks of INV_BLOCK values sorted
 * by a network, then merges.  The first merge levels, up to runs of
 * INV_CHUNK values, run one chunk at a time, while the chunk is in cache;
 * the levels above it sweep the whole array.  Halves of at least
 * INV_FOUR_MIN values are merged by four chains at once (two_merge_split).
 */
#define INV_BLOCK 8
#define INV_CHUNK 4096
#define INV_FOUR_MIN 64

/*
 * Sort v[0 .. 7] ascending, returning its inversions: each of the 28
 * pairs compared once, then a network of 19 compare-exchanges in six
 * rounds, without a branch.  It sorts every one of the 256 sequences of
 * zeros and ones, and so, by the zero-one principle, any sequence.
 */
#define INV_CX(a, b) \
	do { \
		double		p_ = (a); \
		double		q_ = (b); \
		(a) = q_ < p_ ? q_ : p_; \
		(b) = q_ < p_ ? p_ : q_; \
	} while (0)

static inline int64_t
block_sort_count(double *v)
{
	double		a0 = v[0],
				a1 = v[1],
				a2 = v[2],
				a3 = v[3],
				a4 = v[4],
				a5 = v[5],
				a6 = v[6],
				a7 = v[7];
	int64_t		inv;

	inv = (a0 > a1) + (a0 > a2) + (a0 > a3) + (a0 > a4) + (a0 > a5) +
		(a0 > a6) + (a0 > a7);
	inv += (a1 > a2) + (a1 > a3) + (a1 > a4) + (a1 > a5) + (a1 > a6) +
		(a1 > a7);
	inv += (a2 > a3) + (a2 > a4) + (a2 > a5) + (a2 > a6) + (a2 > a7);
	inv += (a3 > a4) + (a3 > a5) + (a3 > a6) + (a3 > a7);
	inv += (a4 > a5) + (a4 > a6) + (a4 > a7);
	inv += (a5 > a6) + (a5 > a7);
	inv += (a6 > a7);

	INV_CX(a0, a2);
	INV_CX(a1, a3);
	INV_CX(a4, a6);
	INV_CX(a5, a7);
	INV_CX(a0, a4);
	INV_CX(a1, a5);
	INV_CX(a2, a6);
	INV_CX(a3, a7);
	INV_CX(a0, a1);
	INV_CX(a2, a3);
	INV_CX(a4, a5);
	INV_CX(a6, a7);
	INV_CX(a2, a4);
	INV_CX(a3, a5);
	INV_CX(a1, a4);
	INV_CX(a3, a6);
	INV_CX(a1, a2);
	INV_CX(a3, a4);
	INV_CX(a5, a6);

	v[0] = a0;
	v[1] = a1;
	v[2] = a2;
	v[3] = a3;
	v[4] = a4;
	v[5] = a5;
	v[6] = a6;
	v[7] = a7;
	return inv;
}

/* Sort v[lo .. hi-1] by insertion, returning its inversions (one a shift). */
static int64_t
insertion_sort_count(double *v, size_t lo, size_t hi)
{
	int64_t		inv = 0;

	for (size_t i = lo + 1; i < hi; i++)
	{
		double		t = v[i];
		size_t		j = i;

		while (j > lo && v[j - 1] > t)
		{
			v[j] = v[j - 1];
			j--;
		}
		inv += (int64_t) (i - j);
		v[j] = t;
	}
	return inv;
}

/*
 * A merge from both ends of src[i .. ie-1] (left) and src[j .. je-1]
 * (right) into dst[k .. ke-1], ke - k being the number of values in them.
 * The front takes the smaller head (the left one on ties), the back the
 * larger tail (the right one on ties): the same stable order seen from
 * each end, so that the two meet without taking a value twice.  These are
 * two independent chains of loads and compares that the processor
 * overlaps, and neither takes a branch on which side wins (it is as good
 * as random).
 *
 * The inversions are counted against the whole left half, which ends at
 * mid: a right value taken at the front is below every left value the
 * front has not taken, mid - i of them; one taken at the back is below
 * exactly the left values at or after ie.  That holds for a merge of a
 * part of the two halves too, as two_merge_split makes them.
 */
typedef struct TwoMerge
{
	size_t		i,
				j,
				k;				/* front: next left, next right, next out */
	size_t		ie,
				je,
				ke;				/* back: one past each of them */
} TwoMerge;

/* Steps each end can take without running out of a half or passing. */
static inline size_t
two_merge_room(const TwoMerge *m)
{
	size_t		steps = m->ie - m->i < m->je - m->j ? m->ie - m->i : m->je - m->j;

	return steps < (m->ke - m->k) / 2 ? steps : (m->ke - m->k) / 2;
}

/* One step of each end, which two_merge_room allows; returns inversions. */
static inline int64_t
two_merge_step(const double *src, double *dst, size_t mid, TwoMerge *m)
{
	double		l = src[m->i];
	double		r = src[m->j];
	size_t		right = r < l;
	double		lb = src[m->ie - 1];
	double		rb = src[m->je - 1];
	size_t		left = lb > rb;
	int64_t		inv;

	dst[m->k++] = right ? r : l;
	inv = (int64_t) ((mid - m->i) & (0 - right));
	m->j += right;
	m->i += 1 - right;
	dst[--m->ke] = left ? lb : rb;
	inv += (int64_t) ((mid - m->ie) & (left - 1));
	m->ie -= left;
	m->je -= 1 - left;
	return inv;
}

/* What two_merge_step left: the front alone, then the rest of a half. */
static int64_t
two_merge_finish(const double *src, double *dst, size_t mid, TwoMerge *m)
{
	int64_t		inv = 0;
	size_t		i = m->i;
	size_t		j = m->j;
	size_t		k = m->k;

	while (i < m->ie && j < m->je)
	{
		double		l = src[i];
		double		r = src[j];
		size_t		right = r < l;

		PF_INTERRUPT_EVERY(k);
		dst[k++] = right ? r : l;
		inv += (int64_t) ((mid - i) & (0 - right));
		j += right;
		i += 1 - right;
	}
	/* right values left over are below the left values the back took */
	inv += (int64_t) ((mid - i) * (m->je - j));
	copy_doubles(dst + k, src + i, m->ie - i);
	k += m->ie - i;
	copy_doubles(dst + k, src + j, m->je - j);
	return inv;
}

/*
 * Split the merge of the sorted src[lo .. mid-1] and src[mid .. hi-1] at
 * its middle output: the first half merges src[lo .. a-1] with src[mid ..
 * b-1], the second the rest, where a and b are found by bisection so that
 * the first half's values come first in the stable merged order.
 */
static void
two_merge_split(const double *src, size_t lo, size_t mid, size_t hi,
				TwoMerge *first, TwoMerge *second)
{
	size_t		half = (hi - lo) / 2;
	size_t		nl = mid - lo;
	size_t		nr = hi - mid;
	size_t		alo = half > nr ? half - nr : 0;
	size_t		ahi = half < nl ? half : nl;
	size_t		a;
	size_t		b;

	/* the least count of left values a with src[lo + a] not among them */
	while (alo < ahi)
	{
		size_t		c = alo + (ahi - alo) / 2;
		size_t		d = half - c;

		/* left value c precedes right value d - 1 in the merge when <= */
		if (d > 0 && src[lo + c] <= src[mid + d - 1])
			alo = c + 1;
		else
			ahi = c;
	}
	a = lo + alo;
	b = mid + (half - alo);
	*first = (TwoMerge) {lo, mid, lo, a, b, lo + half};
	*second = (TwoMerge) {a, b, lo + half, mid, hi, hi};
}

/*
 * Merge the sorted src[lo .. mid-1] and src[mid .. hi-1] into dst[lo ..
 * hi-1], returning the inversions between the two halves: the sum, over
 * the right values, of the left values above each.  Long merges are split
 * in two and run four chains at once.  They go in stretches in which no
 * end can run out of either half nor pass the other, at most
 * PF_INTERRUPT_STRIDE values each, with an interrupt check between them:
 * the loop then tests no bounds.  When stretches get short, each front
 * alone takes what is left.
 */
static int64_t
merge_count(const double *src, double *dst, size_t lo, size_t mid, size_t hi)
{
	int64_t		inv = 0;
	TwoMerge	m1;
	TwoMerge	m2;

	if (mid - lo >= INV_FOUR_MIN && hi - mid >= INV_FOUR_MIN)
	{
		two_merge_split(src, lo, mid, hi, &m1, &m2);
		for (;;)
		{
			size_t		steps = two_merge_room(&m1);
			size_t		steps2 = two_merge_room(&m2);

			steps = steps < steps2 ? steps : steps2;
			if (steps > PF_INTERRUPT_STRIDE / 4)
				steps = PF_INTERRUPT_STRIDE / 4;
			if (steps < 4)
				break;
			for (size_t s = 0; s < steps; s++)
			{
				inv += two_merge_step(src, dst, mid, &m1);
				inv += two_merge_step(src, dst, mid, &m2);
			}
			pf_check_interrupts();
		}
		return inv + two_merge_finish(src, dst, mid, &m1) +
			two_merge_finish(src, dst, mid, &m2);
	}

	m1 = (TwoMerge) {lo, mid, lo, mid, hi, hi};
	for (;;)
	{
		size_t		steps = two_merge_room(&m1);

		if (steps > PF_INTERRUPT_STRIDE / 2)
			steps = PF_INTERRUPT_STRIDE / 2;
		if (steps < 4)
			break;
		for (size_t s = 0; s < steps; s++)
			inv += two_merge_step(src, dst, mid, &m1);
		pf_check_interrupts();
	}
	return inv + two_merge_finish(src, dst, mid, &m1);
}

/*
 * One merge level over src[from .. to-1], sorted in runs of width values:
 * each pair of runs merged into dst, returning their inversions.
 */
static int64_t
merge_level(const double *src, double *dst, size_t from, size_t to,
			size_t width)
{
	int64_t		inv = 0;

	/*
	 * lo steps by 2 * width, a power of two: the check comes once per
	 * PF_INTERRUPT_STRIDE values, or once a block when blocks are longer
	 */
	for (size_t lo = from; lo < to; lo += 2 * width)
	{
		size_t		mid = lo + width < to ? lo + width : to;
		size_t		hi = lo + 2 * width < to ? lo + 2 * width : to;

		PF_INTERRUPT_EVERY(lo);
		if (mid == hi || src[mid - 1] <= src[mid])
			copy_doubles(dst + lo, src + lo, hi - lo);
		else
			inv += merge_count(src, dst, lo, mid, hi);
	}
	return inv;
}

/*
 * The merge levels of *src[from .. to-1], sorted in runs of width values,
 * up to runs of until values: each level into the other array, the two
 * swapped after it.  Returns their inversions.
 */
static int64_t
merge_levels(double **src, double **dst, size_t from, size_t to,
			 size_t width, size_t until)
{
	int64_t		inv = 0;

	for (; width < until; width *= 2)
	{
		double	   *t = *src;

		inv += merge_level(*src, *dst, from, to, width);
		*src = *dst;
		*dst = t;
	}
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
	int64_t		inv = 0;
	size_t		chunk = n < INV_CHUNK ? n : INV_CHUNK;
	double	   *src = v;
	double	   *dst = buf;

	/*
	 * Each chunk through the same levels, so that all of them end in the
	 * same array; a short last chunk copies at the levels it lacks.
	 */
	for (size_t c0 = 0; c0 < n; c0 += INV_CHUNK)
	{
		size_t		c1 = n - c0 < INV_CHUNK ? n : c0 + INV_CHUNK;
		size_t		lo = c0;

		PF_INTERRUPT_EVERY(c0);
		src = v;
		dst = buf;
		for (; c1 - lo >= INV_BLOCK; lo += INV_BLOCK)
			inv += block_sort_count(v + lo);
		inv += insertion_sort_count(v, lo, c1);
		inv += merge_levels(&src, &dst, c0, c1, INV_BLOCK, chunk);
	}
	inv += merge_levels(&src, &dst, 0, n, chunk > INV_BLOCK ? chunk : INV_BLOCK, n);
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

/*-------------------------------------------------------------------------
 *
 * correlation_core.c
 *	  Correlation statistics: accumulating states for Pearson, partial and
 *	  weighted correlation, ranks, Spearman, Kendall tau-b, the risk ratio
 *	  and the net promoter score.  See correlation_core.h for definitions.
 *
 * The accumulating states never keep raw sums of squares: Pearson uses the
 * Youngs-Cramer update of float8_regr_accum, the others Welford's (and
 * West's weighted) update of means and co-moments, with Chan's formula to
 * merge two states.  Overflow is reported only when finite inputs overflow;
 * an infinite input makes the result NaN, as in float.c.
 *
 * Kendall's tau-b is Knight's O(n log n) algorithm as scipy implements it:
 * sort the pairs by (x, y), count the ties, then count the discordant pairs
 * as the swaps of a merge sort on y.
 *
 *-------------------------------------------------------------------------
 */
#include "correlation_core.h"

#include <math.h>
#include <string.h>

#include "distributions_core.h"

/* One row of (x, y), or (value, original position) when ranking. */
typedef struct PfPair
{
	double		a;
	double		b;
} PfPair;

static void
check_confidence(double confidence)
{
	if (!(confidence > 0.0 && confidence < 1.0))
		pf_errorf(PF_ERR_INVALID_PARAMETER,
				  "The confidence level must be greater than 0 and less than 1.",
				  NULL,
				  "confidence level %g is out of range", confidence);
}

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

/*
 * The row count kept as a double in a state.  States may come back from
 * SQL, so a count that is not a whole number in range is refused rather
 * than converted.
 */
static int64_t
state_count(double n)
{
	if (!(n >= 0.0 && n < 9.2e18) || n != floor(n))
		pf_error(PF_ERR_INVALID_PARAMETER, "invalid correlation state",
				 "The row count of the state is not a non-negative whole number.",
				 NULL);
	return (int64_t) n;
}

static PfCorrelation
empty_result(int64_t n)
{
	PfCorrelation res;

	memset(&res, 0, sizeof(res));
	res.n = n;
	return res;
}

/*
 * Coefficient from co-moments sab, saa, sbb (both variances nonzero).  As in
 * float8_corr, fall back to two square roots when the product under- or
 * overflows, and clamp the rounding of |r| above 1.
 */
static double
corr_from_comoments(double sab, double saa, double sbb)
{
	double		product = saa * sbb;
	double		r;

	if (product == 0.0 || isinf(product))
		r = sab / (sqrt(saa) * sqrt(sbb));
	else
		r = sab / sqrt(product);
	if (r > 1.0)
		r = 1.0;
	else if (r < -1.0)
		r = -1.0;
	return r;
}

/*
 * Fisher z interval around res->r: atanh(r) +- z_{0.5 + confidence/2} * se,
 * mapped back by tanh (r = +-1 gives [r, r]).  The arithmetic follows
 * scipy's _pearsonr_fisher_ci so that results agree to the last bits.
 */
static void
fisher_interval(PfCorrelation *res, double se, double confidence)
{
	/* from the lower tail: 0.5 + confidence / 2 rounds to 1 near 1 */
	double		h = -pf_distributions_norm_ppf((1.0 - confidence) / 2.0);
	double		z = atanh(res->r);

	res->ci_low = tanh(z - h * se);
	res->ci_high = tanh(z + h * se);
	res->ci_valid = true;
}

/*
 * Given res->r, fill the two-sided p-value of the t test with df degrees of
 * freedom (df == 0: r is +-1 by construction and p is 1), and the interval
 * when se > 0 (0: there is none).
 */
static void
finish_result(PfCorrelation *res, double df, double se, double confidence)
{
	double		r = res->r;

	res->p_valid = true;
	if (isnan(r))
		res->p_value = NAN;
	else if (df <= 0.0)
		res->p_value = 1.0;
	else if (fabs(r) >= 1.0)
		res->p_value = 0.0;
	else
	{
		double		t = r * sqrt(df / ((r + 1.0) * (1.0 - r)));

		res->p_value = pf_distributions_t_two_sided_p(t, df);
	}
	if (se > 0.0)
		fisher_interval(res, se, confidence);
}

static void
report_overflow(void)
{
	pf_error(PF_ERR_OUT_OF_RANGE, "value out of range: overflow", NULL, NULL);
}

/* ---------------------------------------------------------------------
 * Pearson
 * ---------------------------------------------------------------------
 */

void
pf_moments_pearson_init(PfPearsonState *state)
{
	memset(state, 0, sizeof(*state));
}

void
pf_moments_pearson_accum(PfPearsonState *state, double x, double y)
{
	double		n = state->n + 1.0;
	double		sx = state->sx + x;
	double		sy = state->sy + y;
	double		sxx = state->sxx;
	double		syy = state->syy;
	double		sxy = state->sxy;

	if (state->n > 0.0)
	{
		/* Youngs-Cramer: the new row's deviation, scaled by n */
		double		tmpx = x * n - sx;
		double		tmpy = y * n - sy;
		double		scale = 1.0 / (n * state->n);

		/*
		 * A column still equal to its first value has deviation exactly 0;
		 * rounding in sx would otherwise give a constant column a tiny
		 * variance.  sxx == 0 can only hold while the column is constant.
		 */
		if (x == state->x_first && sxx == 0.0)
			tmpx = 0.0;
		if (y == state->y_first && syy == 0.0)
			tmpy = 0.0;

		sxx += tmpx * tmpx * scale;
		syy += tmpy * tmpy * scale;
		sxy += tmpx * tmpy * scale;

		if (isinf(sx) || isinf(sxx) || isinf(sy) || isinf(syy) || isinf(sxy))
		{
			if (((isinf(sx) || isinf(sxx)) &&
				 !isinf(state->sx) && !isinf(x)) ||
				((isinf(sy) || isinf(syy)) &&
				 !isinf(state->sy) && !isinf(y)) ||
				(isinf(sxy) &&
				 !isinf(state->sx) && !isinf(x) &&
				 !isinf(state->sy) && !isinf(y)))
				report_overflow();

			/* an infinite input: the co-moments are undefined */
			if (isinf(sxx))
				sxx = NAN;
			if (isinf(syy))
				syy = NAN;
			if (isinf(sxy))
				sxy = NAN;
		}
	}
	else
	{
		/* the first row: an infinite or NaN value makes its moments NaN */
		if (!isfinite(x))
			sxx = sxy = NAN;
		if (!isfinite(y))
			syy = sxy = NAN;
		state->x_first = x;
		state->y_first = y;
	}

	state->n = n;
	state->sx = sx;
	state->sy = sy;
	state->sxx = sxx;
	state->syy = syy;
	state->sxy = sxy;
}

/* a + b, reporting overflow when neither operand is infinite */
static inline double
add_checked(double a, double b)
{
	double		s = a + b;

	if (isinf(s) && !isinf(a) && !isinf(b))
		report_overflow();
	return s;
}

void
pf_moments_pearson_combine(PfPearsonState *state, const PfPearsonState *other)
{
	double		n1 = state->n;
	double		n2 = other->n;
	double		n;
	double		tmpx;
	double		tmpy;
	double		f;
	double		sxx;
	double		syy;
	double		sxy;

	if (n2 == 0.0)
		return;
	if (n1 == 0.0)
	{
		*state = *other;
		return;
	}

	n = n1 + n2;
	tmpx = state->sx / n1 - other->sx / n2;
	tmpy = state->sy / n1 - other->sy / n2;

	/* two constant parts with the same value stay exactly constant */
	if (state->sxx == 0.0 && other->sxx == 0.0 &&
		state->x_first == other->x_first)
		tmpx = 0.0;
	if (state->syy == 0.0 && other->syy == 0.0 &&
		state->y_first == other->y_first)
		tmpy = 0.0;

	f = n1 * n2 / n;
	sxx = state->sxx + other->sxx + f * tmpx * tmpx;
	if (isinf(sxx) && !isinf(state->sxx) && !isinf(other->sxx) &&
		!isinf(state->sx) && !isinf(other->sx))
		report_overflow();
	syy = state->syy + other->syy + f * tmpy * tmpy;
	if (isinf(syy) && !isinf(state->syy) && !isinf(other->syy) &&
		!isinf(state->sy) && !isinf(other->sy))
		report_overflow();
	sxy = state->sxy + other->sxy + f * tmpx * tmpy;
	if (isinf(sxy) && !isinf(state->sxy) && !isinf(other->sxy) &&
		!isinf(state->sx) && !isinf(other->sx) &&
		!isinf(state->sy) && !isinf(other->sy))
		report_overflow();

	state->sx = add_checked(state->sx, other->sx);
	state->sy = add_checked(state->sy, other->sy);
	state->n = n;
	state->sxx = sxx;
	state->syy = syy;
	state->sxy = sxy;
}

PfCorrelation
pf_moments_pearson_result(const PfPearsonState *state, double confidence)
{
	int64_t		n = state_count(state->n);
	PfCorrelation res = empty_result(n);

	check_confidence(confidence);
	if (n < 2)
		return res;
	if (isnan(state->sxx) || isnan(state->syy) || isnan(state->sxy))
		res.r = NAN;
	else if (state->sxx == 0.0 || state->syy == 0.0)
		return res;
	else if (n == 2)
		res.r = state->sxy > 0.0 ? 1.0 : -1.0;
	else
		res.r = corr_from_comoments(state->sxy, state->sxx, state->syy);
	res.r_valid = true;
	finish_result(&res, (double) (n - 2),
				  n > 3 ? sqrt(1.0 / (double) (n - 3)) : 0.0, confidence);
	return res;
}

/* ---------------------------------------------------------------------
 * Sorting and ranks
 * ---------------------------------------------------------------------
 */

/* Lexicographic order on (a, b); no NaN reaches here. */
static inline bool
pair_lt(const PfPair *p, const PfPair *q)
{
	return p->a < q->a || (p->a == q->a && p->b < q->b);
}

static inline void
pair_swap(PfPair *p, PfPair *q)
{
	PfPair		t = *p;

	*p = *q;
	*q = t;
}

static void
pair_insertion_sort(PfPair *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		PfPair		t = v[i];
		size_t		j = i;

		while (j > 0 && pair_lt(&t, &v[j - 1]))
		{
			v[j] = v[j - 1];
			j--;
		}
		v[j] = t;
	}
}

static void
pair_sift_down(PfPair *v, size_t root, size_t n)
{
	for (;;)
	{
		size_t		child = 2 * root + 1;

		if (child >= n)
			break;
		if (child + 1 < n && pair_lt(&v[child], &v[child + 1]))
			child++;
		if (!pair_lt(&v[root], &v[child]))
			break;
		pair_swap(&v[root], &v[child]);
		root = child;
	}
}

static void
pair_heapsort(PfPair *v, size_t n)
{
	for (size_t i = n / 2; i > 0; i--)
		pair_sift_down(v, i - 1, n);
	for (size_t i = n - 1; i > 0; i--)
	{
		pair_swap(&v[0], &v[i]);
		pair_sift_down(v, 0, i);
	}
}

/*
 * Introsort in place: quicksort with a median-of-three pivot, heapsort when
 * the recursion gets too deep, insertion sort for short ranges.  The scans
 * stop on keys equal to the pivot, so heavy ties still split evenly.  In
 * place, because the arrays may be a large share of memory.
 */
static void
pair_introsort(PfPair *v, size_t n, int depth)
{
	while (n > 16)
	{
		size_t		mid = n / 2;
		size_t		i = 0;
		size_t		j = n;
		PfPair		pivot;

		if (depth-- <= 0)
		{
			pair_heapsort(v, n);
			return;
		}

		/* order v[0], v[mid], v[n-1], then put the median first */
		if (pair_lt(&v[mid], &v[0]))
			pair_swap(&v[mid], &v[0]);
		if (pair_lt(&v[n - 1], &v[mid]))
		{
			pair_swap(&v[n - 1], &v[mid]);
			if (pair_lt(&v[mid], &v[0]))
				pair_swap(&v[mid], &v[0]);
		}
		pair_swap(&v[0], &v[mid]);
		pivot = v[0];

		/* v[n-1] >= pivot and v[0] == pivot bound the two scans */
		for (;;)
		{
			while (pair_lt(&v[++i], &pivot))
				;
			while (pair_lt(&pivot, &v[--j]))
				;
			if (i >= j)
				break;
			pair_swap(&v[i], &v[j]);
		}
		pair_swap(&v[0], &v[j]);

		/* recurse into the smaller side, loop on the larger */
		if (j < n - j - 1)
		{
			pair_introsort(v, j, depth);
			v += j + 1;
			n -= j + 1;
		}
		else
		{
			pair_introsort(v + j + 1, n - j - 1, depth);
			n = j;
		}
	}
	pair_insertion_sort(v, n);
}

static void
pair_sort(PfPair *v, size_t n)
{
	int			depth = 0;

	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	pair_introsort(v, n, depth);
}

void
pf_ranks_average(const double *values, size_t stride, int64_t n,
				 double *ranks)
{
	PfPair	   *p;
	size_t		len;
	size_t		i;

	if (n <= 0)
		return;
	p = alloc_rows(n, sizeof(PfPair));
	len = (size_t) n;
	for (i = 0; i < len; i++)
	{
		p[i].a = values[i * stride];
		p[i].b = (double) i;
	}
	pair_sort(p, len);

	/* positions i .. j-1 hold equal values: ranks i+1 .. j, mean (i+1+j)/2 */
	i = 0;
	while (i < len)
	{
		size_t		j = i + 1;
		double		rank;

		while (j < len && p[j].a == p[i].a)
			j++;
		rank = ((double) i + 1.0 + (double) j) / 2.0;
		for (size_t k = i; k < j; k++)
			ranks[(size_t) p[k].b] = rank;
		i = j;
	}
	pf_free(p);
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

static PfCorrelation
nan_result(int64_t n, bool has_ci)
{
	PfCorrelation res = empty_result(n);

	res.r = res.p_value = NAN;
	res.r_valid = res.p_valid = true;
	if (has_ci)
	{
		res.ci_low = res.ci_high = NAN;
		res.ci_valid = true;
	}
	return res;
}

static bool
has_nan(const double *xy, int64_t n)
{
	for (size_t i = 0; i < 2 * (size_t) n; i++)
		if (isnan(xy[i]))
			return true;
	return false;
}

PfCorrelation
pf_rankcorr_spearman(const double *xy, int64_t n, double confidence)
{
	PfCorrelation res;
	double	   *copy;

	check_confidence(confidence);
	if (n < 2)
		return empty_result(n);
	copy = alloc_rows(n, sizeof(PfPair));
	memcpy(copy, xy, (size_t) n * sizeof(PfPair));
	res = pf_rankcorr_spearman_inplace(copy, n, confidence);
	pf_free(copy);
	return res;
}

/*
 * The order-preserving unsigned key of a pair's first value: flip every bit
 * of a negative double, only the sign bit of a positive one.  -0 becomes +0
 * first, so that equal values have equal keys.
 */
static inline uint64_t
pair_key(const PfPair *p)
{
	double		a = p->a + 0.0;
	uint64_t	u;

	memcpy(&u, &a, sizeof(u));
	return (u >> 63) ? ~u : (u | UINT64_C(0x8000000000000000));
}

/* The same key of a pair's second value. */
static inline uint64_t
pair_ykey(const PfPair *p)
{
	PfPair		swapped = {p->b, p->a};

	return pair_key(&swapped);
}

/*
 * Sort pairs by (a, b) like pair_sort, faster on large arrays: an in-place
 * most-significant-digit radix sort on the key of a, one byte a pass, that
 * hands small buckets, and runs of equal a, to pair_sort.  In place, as the
 * arrays may be a large share of memory.
 */
static void
pair_radix_sort(PfPair *v, size_t n, int shift)
{
	size_t		count[256];
	size_t		next[256];
	size_t		end[256];
	size_t		pos;

	for (;;)
	{
		int			only = -1;

		if (n < 48 || shift < 0)
		{
			pair_sort(v, n);
			return;
		}
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(pair_key(&v[i]) >> shift) & 0xff]++;
		for (int b = 0; b < 256; b++)
			if (count[b] == n)
				only = b;
		if (only < 0)
			break;
		/* one bucket holds everything: go straight to the next byte */
		shift -= 8;
	}

	pos = 0;
	for (int b = 0; b < 256; b++)
	{
		next[b] = pos;
		pos += count[b];
		end[b] = pos;
	}
	/* permute in place: each element moves straight to its bucket */
	for (int b = 0; b < 256; b++)
	{
		while (next[b] < end[b])
		{
			PfPair		t = v[next[b]];
			int			d = (int) ((pair_key(&t) >> shift) & 0xff);

			while (d != b)
			{
				PfPair		u = v[next[d]];

				v[next[d]++] = t;
				t = u;
				d = (int) ((pair_key(&t) >> shift) & 0xff);
			}
			v[next[b]++] = t;
		}
	}
	pos = 0;
	for (int b = 0; b < 256; b++)
	{
		if (count[b] > 1)
			pair_radix_sort(v + pos, count[b], shift - 8);
		pos += count[b];
	}
}

/*
 * Replace the first value of each sorted pair by its average rank, the
 * ranks starting after offset: pairs i .. j-1 hold equal values, ranks
 * offset+i+1 .. offset+j, mean (2 offset + i+1+j)/2.
 */
static void
rank_sorted_pairs(PfPair *p, size_t len, size_t offset)
{
	size_t		i = 0;

	while (i < len)
	{
		size_t		j = i + 1;
		double		rank;

		while (j < len && p[j].a == p[i].a)
			j++;
		rank = ((double) (offset + i) + 1.0 + (double) (offset + j)) / 2.0;
		for (size_t k = i; k < j; k++)
			p[k].a = rank;
		i = j;
	}
}

static void
swap_columns(PfPair *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
	{
		double		t = p[i].a;

		p[i].a = p[i].b;
		p[i].b = t;
	}
}

/* Are the pairs sorted by (a, b)?  -0 equals +0 here, as in pair_key. */
static bool
pairs_sorted(const PfPair *p, size_t len)
{
	for (size_t i = 1; i < len; i++)
		if (p[i - 1].a > p[i].a ||
			(p[i - 1].a == p[i].a && p[i - 1].b > p[i].b))
			return false;
	return true;
}

void
pf_ranks_sort_pairs(double *xy, int64_t n)
{
	if (n > 1)
		pair_radix_sort((PfPair *) xy, (size_t) n, 56);
}

/* The non-empty runs of pairs, each sorted by (a, b): from[r] .. to[r]-1. */
typedef struct PfRuns
{
	int			k;
	size_t		from[PF_MAX_RUNS];
	size_t		to[PF_MAX_RUNS];
} PfRuns;

/*
 * Check the run lengths, and sort each run that is not sorted yet.  More
 * than PF_MAX_RUNS runs are treated as one: a sort of the whole array
 * costs less than merging that many.
 */
static void
sort_runs(PfPair *p, size_t len, const int64_t *runlen, int nruns,
		  PfRuns *runs)
{
	size_t		pos = 0;
	int			k = 0;

	if (nruns < 1)
		pf_errorf(PF_ERR_INTERNAL, NULL, NULL, "no runs of pairs");
	for (int r = 0; r < nruns; r++)
	{
		if (runlen[r] < 0 || (uint64_t) runlen[r] > len - pos)
			pf_errorf(PF_ERR_INTERNAL, NULL, NULL,
					  "runs of pairs do not add up to the pairs held");
		if (runlen[r] > 0 && nruns <= PF_MAX_RUNS)
		{
			runs->from[k] = pos;
			runs->to[k] = pos + (size_t) runlen[r];
			k++;
		}
		pos += (size_t) runlen[r];
	}
	if (pos != len)
		pf_errorf(PF_ERR_INTERNAL, NULL, NULL,
				  "runs of pairs do not add up to the pairs held");
	if (k <= 1)
	{
		k = 1;
		runs->from[0] = 0;
		runs->to[0] = len;
	}
	for (int r = 0; r < k; r++)
	{
		PfPair	   *run = p + runs->from[r];
		size_t		rlen = runs->to[r] - runs->from[r];

		if (!pairs_sorted(run, rlen))
			pair_radix_sort(run, rlen, 56);
	}
	runs->k = k;
}

/*
 * The heads of sorted runs in a merge, each with the order-preserving key
 * of its pair's first value (UINT64_MAX once the run is done, above the
 * key of any number) so that picking the smallest head needs no branch on
 * which runs are left.
 */
typedef struct PfMerge
{
	int			k;
	size_t		head[PF_MAX_RUNS];
	size_t		stop[PF_MAX_RUNS];
	uint64_t	key[PF_MAX_RUNS];
} PfMerge;

static inline uint64_t
merge_key(const PfPair *p, const PfMerge *mg, int r)
{
	return mg->head[r] < mg->stop[r] ? pair_key(&p[mg->head[r]]) : UINT64_MAX;
}

static void
merge_start(PfMerge *mg, const PfPair *p, const PfRuns *runs)
{
	mg->k = runs->k;
	for (int r = 0; r < runs->k; r++)
	{
		mg->head[r] = runs->from[r];
		mg->stop[r] = runs->to[r];
		mg->key[r] = merge_key(p, mg, r);
	}
}

/* The run whose head comes first by the first value (the lowest run on ties). */
static inline int
merge_min(const PfMerge *mg)
{
	int			m = 0;

	for (int r = 1; r < mg->k; r++)
		m = mg->key[r] < mg->key[m] ? r : m;
	return m;
}

/*
 * rank_sorted_pairs over several sorted runs: merge them, numbering the
 * pairs in merged order, and when a group of equal values spans more than
 * one pair, give its members (a range of each run) their average rank.
 */
static void
rank_merged_runs(PfPair *p, const PfRuns *runs, size_t len)
{
	PfMerge		mg;
	size_t		from[PF_MAX_RUNS];	/* heads where the group began */
	size_t		gstart = 0;		/* merged position where it began */
	uint64_t	gkey = 0;

	merge_start(&mg, p, runs);
	memcpy(from, mg.head, sizeof(size_t) * mg.k);
	for (size_t done = 0; done < len; done++)
	{
		int			m = merge_min(&mg);

		if (mg.key[m] != gkey || done == 0)
		{
			if (done - gstart > 1)
			{
				double		rank = ((double) gstart + 1.0 + (double) done) / 2.0;

				for (int r = 0; r < mg.k; r++)
					for (size_t i = from[r]; i < mg.head[r]; i++)
						p[i].a = rank;
			}
			gstart = done;
			gkey = mg.key[m];
			memcpy(from, mg.head, sizeof(size_t) * mg.k);
		}
		p[mg.head[m]].a = (double) done + 1.0;
		mg.head[m]++;
		mg.key[m] = merge_key(p, &mg, m);
	}
	if (len - gstart > 1)
	{
		double		rank = ((double) gstart + 1.0 + (double) len) / 2.0;

		for (int r = 0; r < mg.k; r++)
			for (size_t i = from[r]; i < mg.head[r]; i++)
				p[i].a = rank;
	}
}

/*
 * Spearman in place: sort the pairs by x (or merge the sorted runs) and
 * replace x by its rank, swap the columns, do the same for y, then
 * correlate the ranks, whose order no longer matters.  No memory beyond
 * the pairs themselves.
 */
PfCorrelation
pf_rankcorr_spearman_runs(double *xy, int64_t n, const int64_t *runlen, int nruns,
				 double confidence)
{
	PfCorrelation res = empty_result(n);
	PfPair	   *p = (PfPair *) xy;
	size_t		len = (size_t) n;
	PfRuns		runs;
	double		mean;
	PfSum		sxx = {0, 0};
	PfSum		syy = {0, 0};
	PfSum		sxy = {0, 0};

	check_confidence(confidence);
	if (n < 2)
		return res;
	if (has_nan(xy, n))
		return nan_result(n, n > 3);

	sort_runs(p, len, runlen, nruns, &runs);
	if (runs.k == 1)
		rank_sorted_pairs(p, len, 0);
	else
		rank_merged_runs(p, &runs, len);
	swap_columns(p, len);
	pair_radix_sort(p, len, 56);
	rank_sorted_pairs(p, len, 0);
	swap_columns(p, len);

	/* average ranks always sum to n(n+1)/2, so the deviations are exact */
	mean = ((double) n + 1.0) / 2.0;
	for (size_t i = 0; i < len; i++)
	{
		double		dx = p[i].a - mean;
		double		dy = p[i].b - mean;

		sum_add(&sxx, dx * dx);
		sum_add(&syy, dy * dy);
		sum_add(&sxy, dx * dy);
	}

	if (sxx.s + sxx.c == 0.0 || syy.s + syy.c == 0.0)
		return res;				/* a constant column */
	if (n == 2)
		res.r = sxy.s + sxy.c > 0.0 ? 1.0 : -1.0;
	else
		res.r = corr_from_comoments(sxy.s + sxy.c, sxx.s + sxx.c,
									syy.s + syy.c);
	res.r_valid = true;
	finish_result(&res, (double) (n - 2),
				  n > 3 ? sqrt((1.0 + res.r * res.r / 2.0) / (double) (n - 3)) :
				  0.0, confidence);
	return res;
}

PfCorrelation
pf_rankcorr_spearman_inplace(double *xy, int64_t n, double confidence)
{
	return pf_rankcorr_spearman_runs(xy, n, &n, 1, confidence);
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
		for (size_t lo = 0; lo < n; lo += 2 * width)
		{
			size_t		mid = lo + width < n ? lo + width : n;
			size_t		hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t		i = lo;
			size_t		j = mid;
			size_t		k = lo;

			if (mid == hi || src[mid - 1] <= src[mid])
			{
				memcpy(dst + lo, src + lo, (hi - lo) * sizeof(double));
				continue;
			}
			/*
			 * Without a branch on which side is taken (it is as good as
			 * random): when src[j] is taken it is below every remaining
			 * left value, mid - i inversions.
			 */
			while (i < mid && j < hi)
			{
				double		l = src[i];
				double		r = src[j];
				size_t		right = r < l;

				dst[k++] = right ? r : l;
				inv += (int64_t) ((mid - i) & (0 - right));
				j += right;
				i += 1 - right;
			}
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
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

/* Rows beyond which n (n - 1) / 2 no longer fits in int64. */
#define PF_KENDALL_MAX_ROWS INT64_C(3037000499)

PfCorrelation
pf_rankcorr_kendall(const double *xy, int64_t n, double confidence)
{
	PfCorrelation res;
	double	   *copy;

	check_confidence(confidence);
	if (n < 2)
		return empty_result(n);
	if (n > PF_KENDALL_MAX_ROWS)
		pf_errorf(PF_ERR_OUT_OF_RANGE, NULL, NULL,
				  "too many rows for kendall's tau: %lld", (long long) n);
	copy = alloc_rows(n, sizeof(PfPair));
	memcpy(copy, xy, (size_t) n * sizeof(PfPair));
	res = pf_rankcorr_kendall_inplace(copy, n, confidence);
	pf_free(copy);
	return res;
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

	merge_start(&mg, p, runs);
	for (int r = 0; r < mg.k; r++)
		ykey[r] = mg.head[r] < mg.stop[r] ? pair_ykey(&p[mg.head[r]]) : 0;
	for (size_t out = 0; out < len; out++)
	{
		int			m = 0;
		size_t		h;

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
		mg.key[m] = merge_key(p, &mg, m);
		if (mg.head[m] < mg.stop[m])
			ykey[m] = pair_ykey(&p[mg.head[m]]);
	}
	ties_add(xt, xcnt);
	*ntie += jcnt * (jcnt - 1) / 2;
	return ys;
}

/*
 * Knight's algorithm in place: sort the pairs by (x, y), count the ties,
 * pack y into the first half of the same memory and merge-sort it with the
 * second half as scratch, counting the swaps.  With several sorted runs,
 * merge them instead, writing y to memory of its own, and use the pairs
 * as the scratch.
 */
PfCorrelation
pf_rankcorr_kendall_runs(double *xy, int64_t n, const int64_t *runlen, int nruns,
				double confidence)
{
	PfCorrelation res = empty_result(n);
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

	check_confidence(confidence);
	if (n < 2)
		return res;
	if (n > PF_KENDALL_MAX_ROWS)
		pf_errorf(PF_ERR_OUT_OF_RANGE, NULL, NULL,
				  "too many rows for kendall's tau: %lld", (long long) n);
	if (has_nan(xy, n))
		return nan_result(n, n > 4);

	len = (size_t) n;
	p = (PfPair *) xy;
	sort_runs(p, len, runlen, nruns, &runs);

	if (runs.k > 1)
	{
		merged = merge_runs_y(p, len, &runs, &xt, &ntie);
		dis = sort_count_inversions(merged, xy, len, &ysorted);
	}
	else
	{
		/* ties in x, and joint ties in (x, y) */
		i = 0;
		while (i < len)
		{
			size_t		j = i + 1;
			size_t		k = i;

			while (j < len && p[j].a == p[i].a)
			{
				if (p[j].b != p[k].b)
				{
					ntie += (int64_t) ((j - k) * (j - k - 1) / 2);
					k = j;
				}
				j++;
			}
			ntie += (int64_t) ((j - k) * (j - k - 1) / 2);
			ties_add(&xt, (int64_t) (j - i));
			i = j;
		}

		/*
		 * Pack y, in (x, y) order, into the first half of the same memory;
		 * the second half is the merge sort's scratch.  Element i is read
		 * from double 2i+1 before double i is written, and 2i+1 >= i, so
		 * nothing unread is overwritten.
		 */
		ys = (double *) p;
		for (i = 0; i < len; i++)
			ys[i] = ys[2 * i + 1];
		dis = sort_count_inversions(ys, ys + len, len, &ysorted);
	}

	i = 0;
	while (i < len)
	{
		size_t		j = i + 1;

		while (j < len && ysorted[j] == ysorted[i])
			j++;
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
	if (xt.pairs == 0 && yt.pairs == 0 &&
		(n <= 33 || dis <= 1 || tot - dis <= 1))
		res.p_value = pf_distributions_kendall_exact_p(n, dis < tot - dis ? dis : tot - dis);
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
		fisher_interval(&res, sqrt(0.437 / (double) (n - 4)), confidence);
	return res;
}

PfCorrelation
pf_rankcorr_kendall_inplace(double *xy, int64_t n, double confidence)
{
	return pf_rankcorr_kendall_runs(xy, n, &n, 1, confidence);
}

/* ---------------------------------------------------------------------
 * Partial correlation
 * ---------------------------------------------------------------------
 */

void
pf_moments_partial_init(PfPartialState *state)
{
	memset(state, 0, sizeof(*state));
}

static bool
partial_finite(const PfPartialState *s)
{
	return isfinite(s->mx) && isfinite(s->my) && isfinite(s->mz) &&
		isfinite(s->cxx) && isfinite(s->cyy) && isfinite(s->czz) &&
		isfinite(s->cxy) && isfinite(s->cxz) && isfinite(s->cyz);
}

void
pf_moments_partial_accum(PfPartialState *state, double x, double y, double z)
{
	PfPartialState s = *state;
	double		dx = x - s.mx;
	double		dy = y - s.my;
	double		dz = z - s.mz;
	double		ex;
	double		ey;
	double		ez;

	s.n += 1.0;
	s.mx += dx / s.n;
	s.my += dy / s.n;
	s.mz += dz / s.n;
	ex = x - s.mx;
	ey = y - s.my;
	ez = z - s.mz;
	s.cxx += dx * ex;
	s.cyy += dy * ey;
	s.czz += dz * ez;
	s.cxy += dx * ey;
	s.cxz += dx * ez;
	s.cyz += dy * ez;

	if (!partial_finite(&s) && isfinite(x) && isfinite(y) && isfinite(z) &&
		partial_finite(state))
		report_overflow();
	*state = s;
}

void
pf_moments_partial_combine(PfPartialState *state, const PfPartialState *other)
{
	PfPartialState s = *state;
	double		n;
	double		dx;
	double		dy;
	double		dz;
	double		f;

	if (other->n == 0.0)
		return;
	if (state->n == 0.0)
	{
		*state = *other;
		return;
	}

	n = state->n + other->n;
	dx = other->mx - state->mx;
	dy = other->my - state->my;
	dz = other->mz - state->mz;
	f = state->n * (other->n / n);

	s.n = n;
	s.mx = state->mx + dx * (other->n / n);
	s.my = state->my + dy * (other->n / n);
	s.mz = state->mz + dz * (other->n / n);
	s.cxx = state->cxx + other->cxx + dx * dx * f;
	s.cyy = state->cyy + other->cyy + dy * dy * f;
	s.czz = state->czz + other->czz + dz * dz * f;
	s.cxy = state->cxy + other->cxy + dx * dy * f;
	s.cxz = state->cxz + other->cxz + dx * dz * f;
	s.cyz = state->cyz + other->cyz + dy * dz * f;

	if (!partial_finite(&s) && partial_finite(state) && partial_finite(other))
		report_overflow();
	*state = s;
}

PfCorrelation
pf_moments_partial_result(const PfPartialState *state, double confidence)
{
	const PfPartialState *s = state;
	int64_t		n = state_count(s->n);
	PfCorrelation res = empty_result(n);
	double		rxy;
	double		rxz;
	double		ryz;
	double		denom;
	double		r;

	check_confidence(confidence);
	if (n < 3)
		return res;
	if (!partial_finite(s))
		return nan_result(n, n > 4);
	if (s->cxx == 0.0 || s->cyy == 0.0 || s->czz == 0.0)
		return res;

	rxy = corr_from_comoments(s->cxy, s->cxx, s->cyy);
	rxz = corr_from_comoments(s->cxz, s->cxx, s->czz);
	ryz = corr_from_comoments(s->cyz, s->cyy, s->czz);
	denom = sqrt((1.0 - rxz) * (1.0 + rxz) * (1.0 - ryz) * (1.0 + ryz));
	if (denom == 0.0)
		return res;
	r = (rxy - rxz * ryz) / denom;
	if (r > 1.0)
		r = 1.0;
	else if (r < -1.0)
		r = -1.0;
	/* with three rows the residuals of x and y on z are collinear */
	if (n == 3)
		r = r >= 0.0 ? 1.0 : -1.0;
	res.r = r;
	res.r_valid = true;
	finish_result(&res, (double) (n - 3),
				  n > 4 ? sqrt(1.0 / (double) (n - 4)) : 0.0, confidence);
	return res;
}

/* ---------------------------------------------------------------------
 * Weighted Pearson
 * ---------------------------------------------------------------------
 */

bool
pf_moments_weight_is_valid(double weight)
{
	return isfinite(weight) && weight >= 0.0;
}

void
pf_moments_weighted_init(PfWeightedState *state)
{
	memset(state, 0, sizeof(*state));
}

static bool
weighted_finite(const PfWeightedState *s)
{
	return isfinite(s->w) && isfinite(s->mx) && isfinite(s->my) &&
		isfinite(s->cxx) && isfinite(s->cyy) && isfinite(s->cxy);
}

void
pf_moments_weighted_accum(PfWeightedState *state, double x, double y, double weight)
{
	PfWeightedState s = *state;
	double		dx;
	double		dy;
	double		ratio;

	if (!pf_moments_weight_is_valid(weight))
		pf_errorf(PF_ERR_INVALID_PARAMETER,
				  "Weights must be finite and not negative.", NULL,
				  "invalid weight: %g", weight);
	if (weight == 0.0)
		return;

	s.n += 1.0;
	s.w += weight;
	dx = x - s.mx;
	dy = y - s.my;
	ratio = weight / s.w;
	s.mx += dx * ratio;
	s.my += dy * ratio;
	s.cxx += weight * dx * (x - s.mx);
	s.cyy += weight * dy * (y - s.my);
	s.cxy += weight * dx * (y - s.my);

	if (!weighted_finite(&s) && isfinite(x) && isfinite(y) &&
		weighted_finite(state))
		report_overflow();
	*state = s;
}

void
pf_moments_weighted_combine(PfWeightedState *state, const PfWeightedState *other)
{
	PfWeightedState s = *state;
	double		dx;
	double		dy;
	double		f;

	if (other->n == 0.0)
		return;
	if (state->n == 0.0)
	{
		*state = *other;
		return;
	}

	s.n = state->n + other->n;
	s.w = state->w + other->w;
	dx = other->mx - state->mx;
	dy = other->my - state->my;
	f = state->w * (other->w / s.w);
	s.mx = state->mx + dx * (other->w / s.w);
	s.my = state->my + dy * (other->w / s.w);
	s.cxx = state->cxx + other->cxx + dx * dx * f;
	s.cyy = state->cyy + other->cyy + dy * dy * f;
	s.cxy = state->cxy + other->cxy + dx * dy * f;

	if (!weighted_finite(&s) && weighted_finite(state) &&
		weighted_finite(other))
		report_overflow();
	*state = s;
}

PfCorrelation
pf_moments_weighted_result(const PfWeightedState *state)
{
	int64_t		n = state_count(state->n);
	PfCorrelation res = empty_result(n);

	if (n < 2 || !(state->w > 0.0))
		return res;
	if (!weighted_finite(state))
	{
		res.r = NAN;
		res.r_valid = true;
		return res;
	}
	if (state->cxx == 0.0 || state->cyy == 0.0)
		return res;
	res.r = corr_from_comoments(state->cxy, state->cxx, state->cyy);
	res.r_valid = true;
	return res;
}

/* ---------------------------------------------------------------------
 * Risk ratio and net promoter score
 * ---------------------------------------------------------------------
 */

PfRiskRatio
pf_contingency_risk_ratio(int64_t exposed_n, int64_t exposed_events,
			  int64_t unexposed_n, int64_t unexposed_events)
{
	PfRiskRatio res;
	double		a = (double) exposed_events;
	double		n1 = (double) exposed_n;
	double		c = (double) unexposed_events;
	double		n0 = (double) unexposed_n;

	if (exposed_n < 0 || unexposed_n < 0 ||
		exposed_events < 0 || unexposed_events < 0)
		pf_error(PF_ERR_INVALID_PARAMETER, "counts must not be negative",
				 NULL, NULL);
	if (exposed_events > exposed_n || unexposed_events > unexposed_n)
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "events must not exceed the group size",
				 "A group cannot have more events than members.", NULL);
	if (exposed_n > INT64_MAX - unexposed_n)
		pf_error(PF_ERR_OUT_OF_RANGE, "group sizes out of range",
				 "The two groups together must have fewer than 2^63 members.",
				 NULL);

	memset(&res, 0, sizeof(res));
	if (exposed_n > 0)
	{
		res.risk_exposed = a / n1;
		res.risk_exposed_valid = true;
	}
	if (unexposed_n > 0)
	{
		res.risk_unexposed = c / n0;
		res.risk_unexposed_valid = true;
	}
	if (exposed_n > 0 && unexposed_n > 0 && unexposed_events > 0)
	{
		res.ratio = res.risk_exposed / res.risk_unexposed;
		res.ratio_valid = true;
		if (exposed_events > 0)
		{
			double		se = sqrt(1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n0);

			res.ci_low = res.ratio * exp(-PF_Z_975 * se);
			res.ci_high = res.ratio * exp(PF_Z_975 * se);
			res.ci_valid = true;
		}
	}
	if (exposed_n > 0 || unexposed_n > 0)
	{
		res.p_value = pf_distributions_fisher_exact_p(exposed_events,
										exposed_n - exposed_events,
										unexposed_events,
										unexposed_n - unexposed_events);
		/* counts beyond the exact test's range give no p-value */
		res.p_valid = !isnan(res.p_value);
	}
	return res;
}

PfNps
pf_contingency_nps(int64_t n, int64_t promoters, int64_t passives, int64_t detractors)
{
	PfNps		res;
	double		p;
	double		d;

	if (n < 0 || promoters < 0 || passives < 0 || detractors < 0)
		pf_error(PF_ERR_INVALID_PARAMETER, "counts must not be negative",
				 NULL, NULL);
	if (promoters > n || passives > n - promoters ||
		detractors != n - promoters - passives)
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "promoters, passives and detractors must add up to n",
				 NULL, NULL);

	memset(&res, 0, sizeof(res));
	res.n = n;
	if (n == 0)
		return res;
	p = (double) promoters / (double) n;
	d = (double) detractors / (double) n;
	res.nps = 100.0 * (p - d);
	res.margin = 100.0 * PF_Z_975 *
		sqrt(fmax(0.0, p + d - (p - d) * (p - d)) / (double) n);
	res.valid = true;
	return res;
}

/*-------------------------------------------------------------------------
 *
 * moments_core.c
 *	  Moments: the accumulating states of Pearson, partial and weighted
 *	  correlation, their merge and their result.  See moments_core.h.
 *
 * The states never keep raw sums of squares: Pearson uses the
 * Youngs-Cramer update of float8_regr_accum, partial and weighted
 * correlation Welford's (and West's weighted) update of means and
 * co-moments, with Chan's formula to merge two states.  Overflow is
 * reported only when finite inputs overflow; an infinite input makes the
 * result NaN, as in float.c.
 *
 *-------------------------------------------------------------------------
 */
#include "moments_core.h"

#include <math.h>
#include <string.h>

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
pf_moments_pearson_accum(PfPearsonState *state, double x, double y)
{
	PfPearsonState s = *state;

	s.n += 1.0;
	s.sx += x;
	s.sy += y;
	if (state->n > 0.0)
	{
		/* Youngs-Cramer: the new row's deviation, scaled by n */
		double		tmpx = x * s.n - s.sx;
		double		tmpy = y * s.n - s.sy;
		double		scale = 1.0 / (s.n * state->n);

		/*
		 * A column still equal to its first value has deviation exactly 0;
		 * rounding in sx would otherwise give a constant column a tiny
		 * variance.  sxx == 0 can only hold while the column is constant.
		 */
		if (x == s.x_first && s.sxx == 0.0)
			tmpx = 0.0;
		if (y == s.y_first && s.syy == 0.0)
			tmpy = 0.0;

		s.sxx += tmpx * tmpx * scale;
		s.syy += tmpy * tmpy * scale;
		s.sxy += tmpx * tmpy * scale;

		if (isinf(s.sx) || isinf(s.sxx) || isinf(s.sy) || isinf(s.syy) ||
			isinf(s.sxy))
		{
			if (((isinf(s.sx) || isinf(s.sxx)) &&
				 !isinf(state->sx) && !isinf(x)) ||
				((isinf(s.sy) || isinf(s.syy)) &&
				 !isinf(state->sy) && !isinf(y)) ||
				(isinf(s.sxy) &&
				 !isinf(state->sx) && !isinf(x) &&
				 !isinf(state->sy) && !isinf(y)))
				report_overflow();

			/* an infinite input: the co-moments are undefined */
			if (isinf(s.sxx))
				s.sxx = NAN;
			if (isinf(s.syy))
				s.syy = NAN;
			if (isinf(s.sxy))
				s.sxy = NAN;
		}
	}
	else
	{
		/* the first row: an infinite or NaN value makes its moments NaN */
		if (!isfinite(x))
			s.sxx = s.sxy = NAN;
		if (!isfinite(y))
			s.syy = s.sxy = NAN;
		s.x_first = x;
		s.y_first = y;
	}
	*state = s;
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

/*
 * One merged co-moment a + b + cross, reporting overflow when none of the
 * co-moments and sums it comes from is infinite.
 */
static inline double
comoment_merged(double a, double b, double cross, bool inputs_finite)
{
	double		s = a + b + cross;

	if (isinf(s) && !isinf(a) && !isinf(b) && inputs_finite)
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
	bool		x_finite;
	bool		y_finite;
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
	x_finite = !isinf(state->sx) && !isinf(other->sx);
	y_finite = !isinf(state->sy) && !isinf(other->sy);
	sxx = comoment_merged(state->sxx, other->sxx, f * tmpx * tmpx, x_finite);
	syy = comoment_merged(state->syy, other->syy, f * tmpy * tmpy, y_finite);
	sxy = comoment_merged(state->sxy, other->sxy, f * tmpx * tmpy,
						  x_finite && y_finite);

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
	int64_t		n = pf_correlation_state_count(state->n);
	PfCorrelation res = pf_correlation_empty(n);

	pf_correlation_check_confidence(confidence);
	if (n < 2)
		return res;
	if (isnan(state->sxx) || isnan(state->syy) || isnan(state->sxy))
		res.r = NAN;
	else if (state->sxx == 0.0 || state->syy == 0.0)
		return res;
	else if (n == 2)
		res.r = state->sxy > 0.0 ? 1.0 : -1.0;
	else
		res.r = pf_correlation_from_comoments(state->sxy, state->sxx, state->syy);
	res.r_valid = true;
	pf_correlation_finish(&res, (double) (n - 2),
						  n > 3 ? sqrt(1.0 / (double) (n - 3)) : 0.0, confidence);
	return res;
}

/* ---------------------------------------------------------------------
 * Partial and weighted correlation: means and co-moments of k variables
 * ---------------------------------------------------------------------
 */

/*
 * Both states are one layout of doubles, as the glue stores them in a
 * float8[]: the row count n; the total weight w (weighted only: for a
 * partial state every row weighs 1 and the total is n); the k means; then
 * the k (k + 1) / 2 co-moments, the squares first (xx, yy, zz) and the
 * cross products after them in the order xy, xz, yz.
 */
typedef struct Layout
{
	int			k;				/* variables */
	int			total;			/* where the total weight is: n or w */
	int			mean;			/* where the means begin */
	int			nvalues;
} Layout;

static const Layout partial_layout = {3, 0, 1, PF_PARTIAL_STATE_NVALUES};
static const Layout weighted_layout = {2, 1, 2, PF_WEIGHTED_STATE_NVALUES};

#define MAX_VARS 3
#define MAX_VALUES PF_PARTIAL_STATE_NVALUES

/* positions in comoment[] */
#define XX 0
#define YY 1
#define ZZ 2
#define CROSS(k, i, j) ((k) + (i) + (j) - 1)	/* i < j, k <= 3 */

static inline bool
all_finite(int k, const double *v)
{
	for (int i = 0; i < k; i++)
		if (!isfinite(v[i]))
			return false;
	return true;
}

/* All but the count finite: the total weight, the means, the co-moments. */
static inline bool
layout_finite(const Layout *l, const double *s)
{
	return all_finite(l->nvalues - 1, s + 1);
}

/*
 * Add the row v[0 .. k-1] of weight w.  Without weights the means move by
 * d / n (Welford), else by d * (w / total) (West), which rounds differently.
 */
static void
layout_accum(const Layout *l, double *state, const double *v, double w)
{
	double		s[MAX_VALUES];
	double	   *mean = s + l->mean;
	double	   *co = mean + l->k;
	double		d[MAX_VARS];
	double		e[MAX_VARS];

	memcpy(s, state, l->nvalues * sizeof(double));
	s[0] += 1.0;
	if (l->total != 0)
		s[l->total] += w;
	for (int i = 0; i < l->k; i++)
	{
		d[i] = v[i] - mean[i];
		mean[i] += l->total == 0 ? d[i] / s[0] : d[i] * (w / s[l->total]);
		e[i] = v[i] - mean[i];
	}
	for (int i = 0; i < l->k; i++)
		co[i] += w * d[i] * e[i];
	for (int i = 0; i < l->k; i++)
		for (int j = i + 1; j < l->k; j++)
			co[CROSS(l->k, i, j)] += w * d[i] * e[j];

	if (!layout_finite(l, s) && all_finite(l->k, v) && layout_finite(l, state))
		report_overflow();
	memcpy(state, s, l->nvalues * sizeof(double));
}

/* Chan's merge of other into state. */
static void
layout_combine(const Layout *l, double *state, const double *other)
{
	double		s[MAX_VALUES];
	double		wa = state[l->total];
	double		wb = other[l->total];
	double		total = wa + wb;
	double		f = wa * (wb / total);
	const double *amean = state + l->mean;
	const double *bmean = other + l->mean;
	const double *aco = amean + l->k;
	const double *bco = bmean + l->k;
	double	   *mean = s + l->mean;
	double	   *co = mean + l->k;
	double		d[MAX_VARS];

	if (other[0] == 0.0)
		return;
	if (state[0] == 0.0)
	{
		memcpy(state, other, l->nvalues * sizeof(double));
		return;
	}
	s[0] = state[0] + other[0];
	s[l->total] = total;
	for (int i = 0; i < l->k; i++)
	{
		d[i] = bmean[i] - amean[i];
		mean[i] = amean[i] + d[i] * (wb / total);
	}
	for (int i = 0; i < l->k; i++)
		co[i] = aco[i] + bco[i] + d[i] * d[i] * f;
	for (int i = 0; i < l->k; i++)
		for (int j = i + 1; j < l->k; j++)
			co[CROSS(l->k, i, j)] = aco[CROSS(l->k, i, j)] +
				bco[CROSS(l->k, i, j)] + d[i] * d[j] * f;

	if (!layout_finite(l, s) && layout_finite(l, state) &&
		layout_finite(l, other))
		report_overflow();
	memcpy(state, s, l->nvalues * sizeof(double));
}

/* ---------------------------------------------------------------------
 * Partial correlation
 * ---------------------------------------------------------------------
 */

void
pf_moments_partial_accum(PfPartialState *state, double x, double y, double z)
{
	const double v[3] = {x, y, z};

	layout_accum(&partial_layout, (double *) state, v, 1.0);
}

void
pf_moments_partial_combine(PfPartialState *state, const PfPartialState *other)
{
	layout_combine(&partial_layout, (double *) state, (const double *) other);
}

PfCorrelation
pf_moments_partial_result(const PfPartialState *state, double confidence)
{
	const double *c = state->comoment;
	int64_t		n = pf_correlation_state_count(state->n);
	PfCorrelation res = pf_correlation_empty(n);
	double		rxy;
	double		rxz;
	double		ryz;
	double		denom;
	double		r;

	pf_correlation_check_confidence(confidence);
	if (n < 3)
		return res;
	if (!layout_finite(&partial_layout, (const double *) state))
		return pf_correlation_nan(n, n > 4);
	if (c[XX] == 0.0 || c[YY] == 0.0 || c[ZZ] == 0.0)
		return res;

	rxy = pf_correlation_from_comoments(c[CROSS(3, 0, 1)], c[XX], c[YY]);
	rxz = pf_correlation_from_comoments(c[CROSS(3, 0, 2)], c[XX], c[ZZ]);
	ryz = pf_correlation_from_comoments(c[CROSS(3, 1, 2)], c[YY], c[ZZ]);
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
	pf_correlation_finish(&res, (double) (n - 3),
						  n > 4 ? sqrt(1.0 / (double) (n - 4)) : 0.0, confidence);
	return res;
}

/* ---------------------------------------------------------------------
 * Partial correlation given several controls
 *
 * The state: k, the row count n, the m = k + 2 means (x, y, then the
 * controls), and the m (m + 1) / 2 co-moments of the upper triangle, row
 * by row: Welford's update, Chan's merge, as above but for any m.
 * ---------------------------------------------------------------------
 */

#define MANY_K 0
#define MANY_N 1
#define MANY_MEAN 2

/* position of co-moment (i, j), i <= j, among m variables */
static inline size_t
tri(int m, int i, int j)
{
	return (size_t) i * m - (size_t) i * (i - 1) / 2 + (size_t) (j - i);
}

size_t
pf_moments_partial_many_len(int k)
{
	int			m = k + 2;

	return MANY_MEAN + (size_t) m + (size_t) m * (m + 1) / 2;
}

int
pf_moments_partial_many_controls(const double *state, size_t len)
{
	double		k = len > 0 ? state[MANY_K] : -1.0;

	if (!(k >= 0.0 && k <= PF_PARTIAL_MANY_MAX_CONTROLS && k == floor(k)) ||
		len != pf_moments_partial_many_len((int) k))
		return -1;
	(void) pf_correlation_state_count(state[MANY_N]);
	return (int) k;
}

/* finite inputs gave a non-finite mean or co-moment: overflow */
static void
check_many_finite(const double *state, int m)
{
	size_t		len = pf_moments_partial_many_len(m - 2);

	for (size_t i = MANY_MEAN; i < len; i++)
		if (!isfinite(state[i]))
			report_overflow();
}

void
pf_moments_partial_many_init(double *state, int k)
{
	memset(state, 0, pf_moments_partial_many_len(k) * sizeof(double));
	state[MANY_K] = (double) k;
}

void
pf_moments_partial_many_accum(double *state, double x, double y, const double *z)
{
	int			m = (int) state[MANY_K] + 2;
	double	   *mean = state + MANY_MEAN;
	double	   *co = mean + m;
	double		d[PF_PARTIAL_MANY_MAX_CONTROLS + 2];
	double		e[PF_PARTIAL_MANY_MAX_CONTROLS + 2];
	double		n = state[MANY_N] + 1.0;

	for (int i = 0; i < m; i++)
	{
		double		v = i == 0 ? x : i == 1 ? y : z[i - 2];

		d[i] = v - mean[i];
		mean[i] += d[i] / n;
		e[i] = v - mean[i];
	}
	for (int i = 0; i < m; i++)
		for (int j = i; j < m; j++)
			co[tri(m, i, j)] += d[i] * e[j];
	state[MANY_N] = n;
	check_many_finite(state, m);
}

void
pf_moments_partial_many_combine(double *state, const double *other)
{
	int			m = (int) state[MANY_K] + 2;
	double		na = state[MANY_N];
	double		nb = other[MANY_N];
	double		n = na + nb;
	double		f;
	double	   *mean = state + MANY_MEAN;
	double	   *co = mean + m;
	const double *bmean = other + MANY_MEAN;
	const double *bco = bmean + m;
	double		d[PF_PARTIAL_MANY_MAX_CONTROLS + 2];

	if ((int) other[MANY_K] + 2 != m)
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "every row of a group must have the same number of controls",
				 NULL, NULL);
	if (nb == 0.0)
		return;
	if (na == 0.0)
	{
		memcpy(state, other, pf_moments_partial_many_len(m - 2) * sizeof(double));
		return;
	}
	f = na * (nb / n);
	for (int i = 0; i < m; i++)
	{
		d[i] = bmean[i] - mean[i];
		mean[i] += d[i] * (nb / n);
	}
	for (int i = 0; i < m; i++)
		for (int j = i; j < m; j++)
			co[tri(m, i, j)] += bco[tri(m, i, j)] + d[i] * d[j] * f;
	state[MANY_N] = n;
	check_many_finite(state, m);
}

/*
 * Residual co-moments of x and y on the controls by the sweep operator,
 * control by control; a control whose residual variance is at most
 * ALIASED_TOL of its own is explained by those before it, and is left out
 * as R's lm leaves out an aliased column.  The degrees of freedom still
 * count every control given, as ppcor::pcor.test does.
 */
#define ALIASED_TOL 1e-9

PfCorrelation
pf_moments_partial_many_result(const double *state, double confidence)
{
	int			k = (int) state[MANY_K];
	int			m = k + 2;
	int64_t		n = pf_correlation_state_count(state[MANY_N]);
	const double *co = state + MANY_MEAN + m;
	PfCorrelation res = pf_correlation_empty(n);
	double	   *a;
	double		sxx,
				syy,
				r;

	pf_correlation_check_confidence(confidence);
	if (n < k + 2)
		return res;
	a = pf_alloc((size_t) m * m * sizeof(double));
	for (int i = 0; i < m; i++)
		for (int j = i; j < m; j++)
			a[i * m + j] = a[j * m + i] = co[tri(m, i, j)];
	for (int p = 2; p < m; p++)
	{
		double		piv = a[p * m + p];

		if (!(piv > ALIASED_TOL * co[tri(m, p, p)]))
			continue;			/* aliased, or constant */
		for (int i = 0; i < m; i++)
		{
			double		f;

			if (i == p)
				continue;
			f = a[i * m + p] / piv;
			for (int j = 0; j < m; j++)
				if (j != p)
					a[i * m + j] -= f * a[p * m + j];
		}
		for (int j = 0; j < m; j++)
			a[p * m + j] = a[j * m + p] = 0.0;
	}
	sxx = a[0];
	syy = a[m + 1];
	if (!isfinite(sxx) || !isfinite(syy) || !isfinite(a[1]))
	{
		pf_free(a);
		return pf_correlation_nan(n, n > k + 3);
	}
	/* x or y explained by the controls, or constant: no correlation */
	if (!(sxx > ALIASED_TOL * co[tri(m, 0, 0)]) ||
		!(syy > ALIASED_TOL * co[tri(m, 1, 1)]))
	{
		pf_free(a);
		return res;
	}
	r = pf_correlation_from_comoments(a[1], sxx, syy);
	pf_free(a);
	if (n == k + 2)
		r = r >= 0.0 ? 1.0 : -1.0;	/* the residuals span one dimension: +-1 */
	res.r = r;
	res.r_valid = true;
	pf_correlation_finish(&res, (double) (n - 2 - k),
						  n > k + 3 ? sqrt(1.0 / (double) (n - 3 - k)) : 0.0,
						  confidence);
	return res;
}

/* ---------------------------------------------------------------------
 * Weighted Pearson
 * ---------------------------------------------------------------------
 */

void
pf_moments_weighted_accum(PfWeightedState *state, double x, double y, double weight)
{
	const double v[2] = {x, y};

	if (!(isfinite(weight) && weight >= 0.0))
		pf_errorf(PF_ERR_INVALID_PARAMETER,
				  "Weights must be finite and not negative.", NULL,
				  "invalid weight: %g", weight);
	if (weight > 0.0)
		layout_accum(&weighted_layout, (double *) state, v, weight);
}

void
pf_moments_weighted_combine(PfWeightedState *state, const PfWeightedState *other)
{
	layout_combine(&weighted_layout, (double *) state, (const double *) other);
}

PfCorrelation
pf_moments_weighted_result(const PfWeightedState *state)
{
	const double *c = state->comoment;
	int64_t		n = pf_correlation_state_count(state->n);
	PfCorrelation res = pf_correlation_empty(n);

	if (n < 2 || !(state->w > 0.0))
		return res;
	if (!layout_finite(&weighted_layout, (const double *) state))
	{
		res.r = NAN;
		res.r_valid = true;
		return res;
	}
	if (c[XX] == 0.0 || c[YY] == 0.0)
		return res;
	res.r = pf_correlation_from_comoments(c[CROSS(2, 0, 1)], c[XX], c[YY]);
	res.r_valid = true;
	return res;
}

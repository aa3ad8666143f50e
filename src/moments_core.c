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

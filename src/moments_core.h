/*-------------------------------------------------------------------------
 *
 * moments_core.h
 *	  Moments: Pearson, partial and weighted correlation, each a state
 *	  accumulated row by row and merged with another (parallel
 *	  aggregation, rollups).  Server-free core.
 *
 * The states are flat structs of doubles with no pointers, so the glue
 * may copy them byte for byte or view them as float8[]; all zero is the
 * empty state (the aggregates' INITCOND).  The results are described in
 * correlation_core.h.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MOMENTS_CORE_H
#define MOMENTS_CORE_H

#include "correlation_core.h"

/*
 * Pearson state, as float8_regr_accum keeps it: the count, sums and the
 * Youngs-Cramer co-moments Sxx = sum (x - mean x)^2 and so on.  x_first and
 * y_first hold the first row's values; while a column equals its first value
 * its co-moment stays exactly zero, so a constant column gives NULL rather
 * than a coefficient made of rounding errors.
 */
typedef struct PfPearsonState
{
	double		n;
	double		sx;
	double		sxx;
	double		sy;
	double		syy;
	double		sxy;
	double		x_first;
	double		y_first;
} PfPearsonState;

#define PF_PEARSON_STATE_NVALUES 8

/*
 * Partial correlation of x and y controlling for z: the means of x, y, z
 * and their co-moments (xx, yy, zz, then xy, xz, yz) by Welford's update,
 * merged by Chan's formula.
 */
typedef struct PfPartialState
{
	double		n;
	double		mean[3];
	double		comoment[6];
} PfPartialState;

#define PF_PARTIAL_STATE_NVALUES 10

/*
 * Weighted Pearson correlation with observation (frequency or reliability)
 * weights, by West's weighted update: n the rows of positive weight, w the
 * sum of weights, the weighted means of x and y and their weighted
 * co-moments (xx, yy, xy).
 */
typedef struct PfWeightedState
{
	double		n;
	double		w;
	double		mean[2];
	double		comoment[3];
} PfWeightedState;

#define PF_WEIGHTED_STATE_NVALUES 7

/*
 * Add a row.  A weight must be finite and >= 0 (raises otherwise); a row
 * of weight 0 leaves the state unchanged.
 */
extern void pf_moments_pearson_accum(PfPearsonState *state, double x, double y);
extern void pf_moments_partial_accum(PfPartialState *state, double x, double y,
									 double z);
extern void pf_moments_weighted_accum(PfWeightedState *state, double x, double y,
									  double weight);

/* Merge other into state, as if its rows had been added to state. */
extern void pf_moments_pearson_combine(PfPearsonState *state,
									   const PfPearsonState *other);
extern void pf_moments_partial_combine(PfPartialState *state,
									   const PfPartialState *other);
extern void pf_moments_weighted_combine(PfWeightedState *state,
										const PfWeightedState *other);

/*
 * The correlation of the rows added.  The weighted result has r only (n =
 * rows of positive weight); p and the interval are invalid, as weights
 * define no sample size.
 */
extern PfCorrelation pf_moments_pearson_result(const PfPearsonState *state,
											   double confidence);
extern PfCorrelation pf_moments_partial_result(const PfPartialState *state,
											   double confidence);
extern PfCorrelation pf_moments_weighted_result(const PfWeightedState *state);

/*
 * Partial correlation of x and y given k controls (0 <= k <=
 * PF_PARTIAL_MANY_MAX_CONTROLS), as ppcor::pcor.test computes it from the
 * residuals of x and y on the controls: t with n - 2 - k df, Fisher's z
 * interval with se 1/sqrt(n - 3 - k); a control explained by those before
 * it is left out of the regression (as R's lm drops aliased columns) but
 * counted in the df.  The state is a run of pf_moments_partial_many_len(k)
 * doubles; pf_moments_partial_many_controls returns its k, or -1 when the
 * run is not such a state (raising on a count that is not whole).
 */
#define PF_PARTIAL_MANY_MAX_CONTROLS 100

extern size_t pf_moments_partial_many_len(int k);
extern int	pf_moments_partial_many_controls(const double *state, size_t len);
extern void pf_moments_partial_many_init(double *state, int k);
extern void pf_moments_partial_many_accum(double *state, double x, double y,
										  const double *z);
extern void pf_moments_partial_many_combine(double *state, const double *other);
extern PfCorrelation pf_moments_partial_many_result(const double *state,
													double confidence);

#endif							/* MOMENTS_CORE_H */

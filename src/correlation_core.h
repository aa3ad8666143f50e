/*-------------------------------------------------------------------------
 *
 * correlation_core.h
 *	  Correlation statistics: Pearson, Spearman and Kendall tau-b, partial
 *	  and weighted Pearson correlation, the risk ratio of a 2x2 table and
 *	  the net promoter score.  Server-free core.
 *
 * Pearson, partial and weighted correlation accumulate a state row by row
 * and merge states (parallel aggregation, rollups); Spearman and Kendall
 * need every row at once and work on the caller's array of (x, y) pairs.
 *
 * Results follow scipy 1.10 (pearsonr, spearmanr, kendalltau with
 * method='auto', all two-sided):
 *
 *	r		the coefficient; invalid when n < 2 or a column is constant
 *			(partial: n < 3, or a variance or the denominator is zero)
 *	p_value	two-sided; with n == 2 (partial: n == 3) r is +-1 and p is 1;
 *			|r| == 1 gives 0 otherwise
 *	ci		two-sided interval at the given confidence level by Fisher's
 *			z = atanh(r) +- z_{0.5 + confidence/2} * se, mapped back by tanh:
 *			Pearson se = 1/sqrt(n-3), Spearman (Bonett-Wright)
 *			se = sqrt((1 + r^2/2)/(n-3)), Kendall (Fieller)
 *			se = sqrt(0.437/(n-4)), partial se = 1/sqrt(n-4); invalid when
 *			se is not finite (n <= 3, or n <= 4 for Kendall and partial)
 *
 * An invalid field is SQL NULL; the others then hold 0.  A NaN in the data
 * makes r, p and the interval NaN (valid), as NaN does in corr().
 *
 * The accumulating states are flat structs of doubles and int64s with no
 * pointers, so the glue may copy them byte for byte or view them as float8[].
 *
 *-------------------------------------------------------------------------
 */
#ifndef CORRELATION_CORE_H
#define CORRELATION_CORE_H

#include "pf_core.h"

/* Two-sided 95% normal quantile used by the risk ratio and NPS intervals. */
#define PF_Z_975 1.959963984540054

typedef struct PfCorrelation
{
	int64_t		n;				/* rows used */
	double		r;
	double		p_value;
	double		ci_low;
	double		ci_high;
	bool		r_valid;
	bool		p_valid;
	bool		ci_valid;
} PfCorrelation;

/*
 * Pearson state, as float8_regr_accum keeps it: the count, sums and the
 * Youngs-Cramer co-moments Sxx = sum (x - mean x)^2 and so on.  x_first and
 * y_first hold the first row's values; while a column equals its first value
 * its co-moment stays exactly zero, so a constant column gives NULL rather
 * than a coefficient made of rounding errors.  All zero is the empty state.
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

extern void pf_moments_pearson_init(PfPearsonState *state);
extern void pf_moments_pearson_accum(PfPearsonState *state, double x, double y);
extern void pf_moments_pearson_combine(PfPearsonState *state,
							   const PfPearsonState *other);
extern PfCorrelation pf_moments_pearson_result(const PfPearsonState *state,
									   double confidence);

/*
 * Rank-based correlation of the n pairs xy[2*i] = x, xy[2*i + 1] = y (the
 * layout of an array of 16-byte rows).  xy is only read: both work on a
 * copy (16 bytes a row) and run in O(n log n).
 */
extern PfCorrelation pf_rankcorr_spearman(const double *xy, int64_t n,
								 double confidence);
extern PfCorrelation pf_rankcorr_kendall(const double *xy, int64_t n,
								double confidence);

/*
 * The same, working in the pairs' own memory, which they leave in an
 * unspecified order and state (Spearman: ranks; Kendall: overwritten);
 * no allocation.  For a final function that owns its state.
 */
extern PfCorrelation pf_rankcorr_spearman_inplace(double *xy, int64_t n,
										 double confidence);
extern PfCorrelation pf_rankcorr_kendall_inplace(double *xy, int64_t n,
										double confidence);

/*
 * In place too, with the pairs held as nruns consecutive runs of
 * runlen[0], runlen[1], ... pairs (summing to n), as the states of
 * parallel workers arrive.  A run already sorted by (x, y) is not sorted
 * again: the runs are merged, so that ranking takes a linear pass where a
 * sort would be needed.  Any run may be unsorted (each is checked, and
 * sorted if it is not), so the runs are a hint only.  Kendall allocates 8
 * bytes a row when there is more than one run.
 */
#define PF_MAX_RUNS 16
extern PfCorrelation pf_rankcorr_spearman_runs(double *xy, int64_t n,
									  const int64_t *runlen, int nruns,
									  double confidence);
extern PfCorrelation pf_rankcorr_kendall_runs(double *xy, int64_t n,
									 const int64_t *runlen, int nruns,
									 double confidence);

/* Sort the n pairs of xy by (x, y), as the runs above want them. */
extern void pf_ranks_sort_pairs(double *xy, int64_t n);

/*
 * Average ranks (1-based, ties get the mean of the ranks they span) of
 * values[0 .. n-1] into ranks[0 .. n-1], in O(n log n).  values must hold
 * no NaN.  Reads values[i * stride], so that a column of xy can be ranked
 * in place.
 */
extern void pf_ranks_average(const double *values, size_t stride, int64_t n,
							 double *ranks);

/*
 * Partial correlation of x and y controlling for z: means and co-moments of
 * three variables by Welford's update, merged by Chan's formula.
 */
typedef struct PfPartialState
{
	double		n;
	double		mx;
	double		my;
	double		mz;
	double		cxx;
	double		cyy;
	double		czz;
	double		cxy;
	double		cxz;
	double		cyz;
} PfPartialState;

#define PF_PARTIAL_STATE_NVALUES 10

extern void pf_moments_partial_init(PfPartialState *state);
extern void pf_moments_partial_accum(PfPartialState *state, double x, double y,
							 double z);
extern void pf_moments_partial_combine(PfPartialState *state,
							   const PfPartialState *other);
extern PfCorrelation pf_moments_partial_result(const PfPartialState *state,
									   double confidence);

/*
 * Weighted Pearson correlation with observation (frequency or reliability)
 * weights, by West's weighted update: w is the sum of weights, n the rows
 * of positive weight, mx and my the weighted means and cxx, cyy, cxy the
 * weighted co-moments.  Rows of weight 0 leave
 * the state unchanged.  The result has r only (n = rows of positive
 * weight); p and the interval are invalid, as weights define no sample size.
 */
typedef struct PfWeightedState
{
	double		n;
	double		w;
	double		mx;
	double		my;
	double		cxx;
	double		cyy;
	double		cxy;
} PfWeightedState;

#define PF_WEIGHTED_STATE_NVALUES 7

/* A weight must be finite and >= 0; pf_moments_weighted_accum raises otherwise. */
extern bool pf_moments_weight_is_valid(double weight);
extern void pf_moments_weighted_init(PfWeightedState *state);
extern void pf_moments_weighted_accum(PfWeightedState *state, double x, double y,
							  double weight);
extern void pf_moments_weighted_combine(PfWeightedState *state,
								const PfWeightedState *other);
extern PfCorrelation pf_moments_weighted_result(const PfWeightedState *state);

/*
 * Risk ratio of a 2x2 table: events a of n1 exposed, c of n0 unexposed.
 * Counts must be >= 0 and events <= group size (raises otherwise).
 *	risk_exposed	a/n1, invalid when n1 == 0 (likewise risk_unexposed)
 *	ratio			risk_exposed / risk_unexposed, invalid when a group is
 *					empty or the unexposed risk is 0
 *	ci				Katz log interval at 95%,
 *					exp(ln ratio +- 1.959963984540054
 *						* sqrt(1/a - 1/n1 + 1/c - 1/n0)),
 *					invalid when a or c is 0 or a group is empty
 *	p_value			Fisher's exact test, two-sided, on [[a, n1-a], [c, n0-c]];
 *					invalid when both groups are empty
 */
typedef struct PfRiskRatio
{
	double		risk_exposed;
	double		risk_unexposed;
	double		ratio;
	double		ci_low;
	double		ci_high;
	double		p_value;
	bool		risk_exposed_valid;
	bool		risk_unexposed_valid;
	bool		ratio_valid;
	bool		ci_valid;
	bool		p_valid;
} PfRiskRatio;

extern PfRiskRatio pf_contingency_risk_ratio(int64_t exposed_n, int64_t exposed_events,
								 int64_t unexposed_n,
								 int64_t unexposed_events);

/*
 * Net promoter score from counts; promoters + passives + detractors must
 * equal n (raises otherwise).  nps = 100 (p - d) with p, d the shares, and
 * margin = 100 * 1.959963984540054 * sqrt((p + d - (p - d)^2) / n), the
 * half-width of its normal 95% interval.  Invalid when n == 0.
 */
typedef struct PfNps
{
	int64_t		n;
	double		nps;
	double		margin;
	bool		valid;
} PfNps;

extern PfNps pf_contingency_nps(int64_t n, int64_t promoters, int64_t passives,
					int64_t detractors);

#endif							/* CORRELATION_CORE_H */

/*-------------------------------------------------------------------------
 *
 * correlation_core.h
 *	  The correlation result and what every correlation shares: the
 *	  confidence check, the p-value of the t test, Fisher's z interval,
 *	  empty and NaN results, and the row count of a stored state.
 *	  Server-free core.
 *
 * The statistics themselves are in moments_core.h (Pearson, partial and
 * weighted) and rankcorr_core.h (Spearman, Kendall).  Results follow scipy
 * 1.10 (pearsonr, spearmanr, kendalltau with method='auto', all two-sided):
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
 *-------------------------------------------------------------------------
 */
#ifndef CORRELATION_CORE_H
#define CORRELATION_CORE_H

#include "pf_core.h"

/* How a p-value was found */
typedef enum PfPMethod
{
	PF_P_ASYMPTOTIC = 0,		/* a normal or t approximation */
	PF_P_EXACT,					/* the exact distribution */
	PF_P_EDGEWORTH				/* Spearman's S by AS 89's Edgeworth series */
} PfPMethod;

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
	PfPMethod	p_method;
	/* rank methods only, for pf_rankcorr_choose_p */
	bool		ties;			/* x or y has ties */
	double		rank_stat;		/* Spearman's S, or Kendall's discordant pairs */
} PfCorrelation;

/* A confidence level must lie strictly between 0 and 1; raises otherwise. */
extern void pf_correlation_check_confidence(double confidence);

/*
 * z of a two-sided interval at this confidence: the normal quantile of
 * (1 + confidence) / 2, taken from the lower tail.  The confidence is not
 * checked here.
 */
extern double pf_correlation_z(double confidence);

/* n rows and nothing valid */
extern PfCorrelation pf_correlation_empty(int64_t n);

/* n rows of which one holds a NaN: r and p NaN, the interval too if has_ci */
extern PfCorrelation pf_correlation_nan(int64_t n, bool has_ci);

/*
 * Coefficient from the co-moments sab, saa, sbb (both variances nonzero),
 * clamped to [-1, 1].
 */
extern double pf_correlation_from_comoments(double sab, double saa, double sbb);

/*
 * Fisher's z interval around res->r with standard error se at the given
 * confidence level.
 */
extern void pf_correlation_fisher_interval(PfCorrelation *res, double se,
										   double confidence);

/*
 * Given res->r, fill the two-sided p-value of the t test with df degrees of
 * freedom (df == 0: r is +-1 by construction and p is 1), and the interval
 * when se > 0 (0: there is none).
 */
extern void pf_correlation_finish(PfCorrelation *res, double df, double se,
								  double confidence);

/*
 * The row count kept as a double in a state that may come back from SQL:
 * raises unless it is a whole number in range.
 */
extern int64_t pf_correlation_state_count(double n);

#endif							/* CORRELATION_CORE_H */

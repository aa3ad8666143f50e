/*-------------------------------------------------------------------------
 *
 * rankcorr_core.h
 *	  Rank correlation: Spearman's rho and Kendall's tau-b of (x, y)
 *	  pairs, with p-values and intervals.  Server-free core.
 *
 * Both need every row at once and work in the caller's array of n pairs
 * xy[2*i] = x, xy[2*i + 1] = y (the layout of an array of 16-byte rows),
 * which they leave in an unspecified order and state, in O(n log n).  The
 * pairs are held as nruns consecutive runs of runlen[0], runlen[1], ...
 * pairs (summing to n; one run of n when there is nothing to say), as the
 * states of parallel workers arrive: a run already sorted by (x, y) is not
 * sorted again but merged, see pf_ranks_sort_runs.  Spearman allocates
 * nothing; Kendall allocates 8 bytes a row when there is more than one
 * run.  Both sort faster given room for nspare pairs at spare that they
 * may overwrite (NULL and 0 for none), see pf_ranks_sort_pairs.  The
 * results are described in correlation_core.h.
 *
 *-------------------------------------------------------------------------
 */
#ifndef RANKCORR_CORE_H
#define RANKCORR_CORE_H

#include "correlation_core.h"
#include "ranks_core.h"

extern PfCorrelation pf_rankcorr_spearman(double *xy, int64_t n,
										  const int64_t *runlen, int nruns,
										  PfPair *spare, size_t nspare,
										  double confidence);
extern PfCorrelation pf_rankcorr_kendall(double *xy, int64_t n,
										 const int64_t *runlen, int nruns,
										 PfPair *spare, size_t nspare,
										 double confidence);

/*
 * Exact p-values, as R's cor.test(exact = ...) chooses them, after the fact
 * on a result of the functions above (which pick as scipy does: Kendall
 * exact without ties for n <= 33, Spearman by the t approximation):
 * PF_EXACT_DEFAULT keeps that; PF_EXACT_ON takes, without ties, Spearman's
 * exact distribution for n <= 9 and AS 89's series up to 1290 rows, and
 * Kendall's exact distribution for n <= PF_KENDALL_EXACT_MAX_N (where R's
 * exact count, divided by n!, overflows past 170 rows and gives NaN or 0);
 * with ties, or past those sizes, the approximation; PF_EXACT_OFF the
 * approximation always.  res->p_method says which.
 */
typedef enum PfExact
{
	PF_EXACT_DEFAULT = 0,
	PF_EXACT_ON,
	PF_EXACT_OFF
} PfExact;

#define PF_KENDALL_EXACT_MAX_N 170

extern void pf_rankcorr_choose_p(PfCorrelation *res, bool kendall, PfExact exact);

#endif							/* RANKCORR_CORE_H */

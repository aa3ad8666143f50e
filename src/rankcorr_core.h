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

#endif							/* RANKCORR_CORE_H */

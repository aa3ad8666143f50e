/*-------------------------------------------------------------------------
 *
 * concentration_core.h
 *	  Key-person concentration: the Herfindahl index sum(x^2)/sum(x)^2 and
 *	  the top share max(x)/sum(x) of non-negative amounts.  Server-free.
 *
 * The state is three float8s, {sum x/m, sum (x/m)^2, m} with m the maximum,
 * kept in a float8[] by the glue so that parallel aggregation needs no
 * serialization.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CONCENTRATION_CORE_H
#define CONCENTRATION_CORE_H

#include "pf_core.h"

/* float8s in the state */
#define PF_CONCENTRATION_STATE_LEN 3

/* the former name, still used by test/fuzz/fuzz_distributions.c */

/*
 * Add an amount: PF_ERR_INVALID_PARAMETER unless finite and non-negative;
 * zero adds nothing.  An empty state is {0, 0, 0}.
 */
extern void pf_concentration_accum(double *state, double x);

/* Add the amounts of other to state (parallel combine). */
extern void pf_concentration_combine(double *state, const double *other);

/* The index and the top share; false (SQL NULL) while the sum is zero. */
extern bool pf_concentration_herfindahl(const double *state, double *result);
extern bool pf_concentration_top_share(const double *state, double *result);

#endif							/* CONCENTRATION_CORE_H */

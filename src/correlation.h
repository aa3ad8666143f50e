/*-------------------------------------------------------------------------
 *
 * correlation.h
 *	  Glue shared by the correlation aggregates (moments.c, rankcorr.c):
 *	  the correlation composite and the check of input values.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PF_CORRELATION_H
#define PF_CORRELATION_H

#include <math.h>

#include "fmgr.h"
#include "correlation_core.h"

/* the confidence level of an interval when the query names none */
#define PF_DEFAULT_CONFIDENCE 0.95

/* the correlation composite of a result, labelled with its method */
extern Datum pf_correlation_datum(FunctionCallInfo fcinfo, const char *method,
								  const PfCorrelation *c, double confidence);

/*
 * The same as a correlation_test, which also says how the p-value was
 * found (p_method; NULL when there is no p).
 */
extern Datum pf_correlation_test_datum(FunctionCallInfo fcinfo, const char *method,
									   const PfCorrelation *c, double confidence,
									   const char *p_method);

extern void pf_correlation_not_finite(double v, const char *what) PF_NORETURN;

/* defines peoplefirst.max_rank_memory (rankcorr.c), from _PG_init */
extern void pf_rankcorr_define_settings(void);

/*
 * An input value (x, y or z) must be a finite number: NULL skips a row,
 * NaN and infinity are errors.  On every row, so inline.
 */
static inline void
pf_correlation_check_input(double v, const char *what)
{
	if (unlikely(!isfinite(v)))
		pf_correlation_not_finite(v, what);
}

#endif							/* PF_CORRELATION_H */

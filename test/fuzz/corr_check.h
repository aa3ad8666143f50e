/*
 * corr_check.h
 *	  Ranges every PfCorrelation must respect: r in [-1, 1], p in [0, 1],
 *	  the interval ordered and around r, all NaN together when the data
 *	  hold a NaN.
 */
#ifndef PF_FUZZ_CORR_CHECK_H
#define PF_FUZZ_CORR_CHECK_H

#include "correlation_core.h"
#include "fuzz_common.h"

static void
corr_check_ranges(const PfCorrelation *c, const char *what)
{
	if (!c->r_valid)
	{
		FUZZ_CHECK(!c->p_valid && !c->ci_valid, "%s: p or ci valid without r", what);
		return;
	}
	if (isnan(c->r))
	{
		FUZZ_CHECK(!c->p_valid || isnan(c->p_value), "%s: r is NaN, p %.17g", what, c->p_value);
		FUZZ_CHECK(!c->ci_valid || (isnan(c->ci_low) && isnan(c->ci_high)),
				   "%s: r is NaN, ci [%.17g, %.17g]", what, c->ci_low, c->ci_high);
		return;
	}
	FUZZ_CHECK(c->r >= -1.0 && c->r <= 1.0, "%s: r = %.17g", what, c->r);
	if (c->p_valid)
		FUZZ_CHECK(c->p_value >= 0.0 && c->p_value <= 1.0, "%s: p = %.17g (r = %.17g, n = %lld)",
				   what, c->p_value, c->r, (long long) c->n);
	if (c->ci_valid)
		FUZZ_CHECK(c->ci_low >= -1.0 && c->ci_low <= c->r && c->r <= c->ci_high &&
				   c->ci_high <= 1.0,
				   "%s: r = %.17g, ci [%.17g, %.17g] (n = %lld)", what, c->r,
				   c->ci_low, c->ci_high, (long long) c->n);
}

#endif							/* PF_FUZZ_CORR_CHECK_H */

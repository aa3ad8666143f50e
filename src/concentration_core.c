/*-------------------------------------------------------------------------
 *
 * concentration_core.c
 *	  Herfindahl index and top share over non-negative amounts.  Server-free.
 *
 *-------------------------------------------------------------------------
 */
#include "concentration_core.h"

#include <math.h>

static void
conc_check_overflow(const double *state)
{
	if (isinf(state[0]) || isinf(state[1]))
		pf_error(PF_ERR_OUT_OF_RANGE, "value out of range: overflow",
				 "The sum or the sum of squares exceeds the range of double precision.",
				 NULL);
}

void
conc_accum(double *state, double x)
{
	if (!(x >= 0) || isinf(x))
		pf_errorf(PF_ERR_INVALID_PARAMETER, NULL, NULL,
				  "concentration and top_share take finite non-negative amounts, not %g",
				  x);
	state[0] += x;
	state[1] += x * x;
	if (x > state[2])
		state[2] = x;
	conc_check_overflow(state);
}

void
conc_combine(double *state, const double *other)
{
	state[0] += other[0];
	state[1] += other[1];
	if (other[2] > state[2])
		state[2] = other[2];
	conc_check_overflow(state);
}

bool
conc_herfindahl(const double *state, double *result)
{
	if (!(state[0] > 0))
		return false;
	/* divide twice: sum^2 alone could overflow where the ratio does not */
	*result = state[1] / state[0] / state[0];
	return true;
}

bool
conc_top_share(const double *state, double *result)
{
	if (!(state[0] > 0))
		return false;
	*result = state[2] / state[0];
	return true;
}

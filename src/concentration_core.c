/*-------------------------------------------------------------------------
 *
 * concentration_core.c
 *	  Herfindahl index and top share over non-negative amounts.  Server-free.
 *
 * The state is {s1, s2, m}: m the largest amount so far, s1 = sum x/m and
 * s2 = sum (x/m)^2.  Scaled by the maximum, neither sum can overflow or
 * lose the largest terms to underflow, whatever the magnitude of the
 * amounts: s1 <= n and s2 <= n.  Then the index is s2 / s1^2 and the top
 * share 1 / s1.
 *
 *-------------------------------------------------------------------------
 */
#include "concentration_core.h"

#include <math.h>

/* rescale a state to a new, larger maximum */
static void
rescale(double *state, double m)
{
	double		r = state[2] / m;

	state[0] *= r;
	state[1] *= r * r;
	state[2] = m;
}

void
pf_concentration_accum(double *state, double x)
{
	if (!(x >= 0) || isinf(x))
		pf_errorf(PF_ERR_INVALID_PARAMETER, NULL, NULL,
				  "concentration and top_share take finite non-negative amounts, not %g",
				  x);
	if (x == 0)
		return;
	if (x > state[2])
		rescale(state, x);
	state[0] += x / state[2];
	state[1] += (x / state[2]) * (x / state[2]);
}

void
pf_concentration_combine(double *state, const double *other)
{
	double		o[PF_CONCENTRATION_STATE_LEN] = {other[0], other[1], other[2]};

	if (o[2] == 0)
		return;
	if (state[2] == 0)
	{
		state[0] = o[0];
		state[1] = o[1];
		state[2] = o[2];
		return;
	}
	if (o[2] > state[2])
		rescale(state, o[2]);
	else
		rescale(o, state[2]);
	state[0] += o[0];
	state[1] += o[1];
}

bool
pf_concentration_herfindahl(const double *state, double *result)
{
	if (!(state[0] > 0))
		return false;
	*result = state[1] / (state[0] * state[0]);
	return true;
}

bool
pf_concentration_top_share(const double *state, double *result)
{
	if (!(state[0] > 0))
		return false;
	*result = 1.0 / state[0];
	return true;
}

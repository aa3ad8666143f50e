/*-------------------------------------------------------------------------
 *
 * correlation_core.c
 *	  The correlation result shared by every correlation statistic: the
 *	  confidence check, the t test's p-value, Fisher's z interval, empty
 *	  and NaN results.  See correlation_core.h.
 *
 *-------------------------------------------------------------------------
 */
#include "correlation_core.h"

#include <math.h>
#include <string.h>

#include "distributions_core.h"

void
pf_correlation_check_confidence(double confidence)
{
	if (!(confidence > 0.0 && confidence < 1.0))
		pf_errorf(PF_ERR_INVALID_PARAMETER,
				  "The confidence level must be greater than 0 and less than 1.",
				  NULL,
				  "confidence level %g is out of range", confidence);
}

int64_t
pf_correlation_state_count(double n)
{
	if (!(n >= 0.0 && n < 9.2e18) || n != floor(n))
		pf_error(PF_ERR_INVALID_PARAMETER, "invalid correlation state",
				 "The row count of the state is not a non-negative whole number.",
				 NULL);
	return (int64_t) n;
}

PfCorrelation
pf_correlation_empty(int64_t n)
{
	PfCorrelation res;

	memset(&res, 0, sizeof(res));
	res.n = n;
	return res;
}

PfCorrelation
pf_correlation_nan(int64_t n, bool has_ci)
{
	PfCorrelation res = pf_correlation_empty(n);

	res.r = res.p_value = NAN;
	res.r_valid = res.p_valid = true;
	if (has_ci)
	{
		res.ci_low = res.ci_high = NAN;
		res.ci_valid = true;
	}
	return res;
}

/*
 * As in float8_corr, fall back to two square roots when the product under-
 * or overflows, and clamp the rounding of |r| above 1.
 */
double
pf_correlation_from_comoments(double sab, double saa, double sbb)
{
	double		product = saa * sbb;
	double		r;

	if (product == 0.0 || isinf(product))
		r = sab / (sqrt(saa) * sqrt(sbb));
	else
		r = sab / sqrt(product);
	if (r > 1.0)
		r = 1.0;
	else if (r < -1.0)
		r = -1.0;
	return r;
}

/*
 * atanh(r) +- z_{0.5 + confidence/2} * se, mapped back by tanh (r = +-1
 * gives [r, r]).  The arithmetic follows scipy's _pearsonr_fisher_ci so
 * that results agree to the last bits.
 */
double
pf_correlation_z(double confidence)
{
	/* from the lower tail: 0.5 + confidence / 2 rounds to 1 near 1 */
	return -pf_distributions_norm_ppf((1.0 - confidence) / 2.0);
}

void
pf_correlation_fisher_interval(PfCorrelation *res, double se, double confidence)
{
	double		h = pf_correlation_z(confidence);
	double		z = atanh(res->r);

	res->ci_low = tanh(z - h * se);
	res->ci_high = tanh(z + h * se);
	res->ci_valid = true;
}

void
pf_correlation_finish(PfCorrelation *res, double df, double se, double confidence)
{
	double		r = res->r;

	res->p_valid = true;
	if (isnan(r))
		res->p_value = NAN;
	else if (df <= 0.0)
		res->p_value = 1.0;
	else if (fabs(r) >= 1.0)
		res->p_value = 0.0;
	else
	{
		double		t = r * sqrt(df / ((r + 1.0) * (1.0 - r)));

		res->p_value = pf_distributions_t_two_sided_p(t, df);
	}
	if (se > 0.0)
		pf_correlation_fisher_interval(res, se, confidence);
}

/*-------------------------------------------------------------------------
 *
 * contingency_core.c
 *	  Contingency tables: the risk ratio of a 2x2 table with its Katz
 *	  interval and Fisher's exact p-value, and the net promoter score with
 *	  its margin of error.  See contingency_core.h.
 *
 *-------------------------------------------------------------------------
 */
#include "contingency_core.h"

#include <math.h>
#include <string.h>

#include "correlation_core.h"
#include "distributions_core.h"

static void
check_counts_not_negative(bool ok)
{
	if (!ok)
		pf_error(PF_ERR_INVALID_PARAMETER, "counts must not be negative",
				 NULL, NULL);
}

static PfRiskRatio risk_ratio_z(int64_t exposed_n, int64_t exposed_events,
								int64_t unexposed_n, int64_t unexposed_events,
								double z);
static PfNps nps_z(int64_t n, int64_t promoters, int64_t passives,
				   int64_t detractors, double z);

/* z of a two-sided interval at this confidence, which must be in (0, 1) */
static double
two_sided_z(double confidence)
{
	pf_correlation_check_confidence(confidence);
	/* from the lower tail: (1 + confidence) / 2 rounds to 1 near 1 */
	return -pf_distributions_norm_ppf((1.0 - confidence) / 2.0);
}

PfRiskRatio
pf_contingency_risk_ratio(int64_t exposed_n, int64_t exposed_events,
						  int64_t unexposed_n, int64_t unexposed_events)
{
	return risk_ratio_z(exposed_n, exposed_events, unexposed_n,
									   unexposed_events, PF_Z_975);
}

PfRiskRatio
pf_contingency_risk_ratio_at(int64_t exposed_n, int64_t exposed_events,
							 int64_t unexposed_n, int64_t unexposed_events,
							 double confidence)
{
	return risk_ratio_z(exposed_n, exposed_events, unexposed_n,
									   unexposed_events, two_sided_z(confidence));
}

static PfRiskRatio
risk_ratio_z(int64_t exposed_n, int64_t exposed_events,
							int64_t unexposed_n, int64_t unexposed_events,
							double z)
{
	PfRiskRatio res;
	double		a = (double) exposed_events;
	double		n1 = (double) exposed_n;
	double		c = (double) unexposed_events;
	double		n0 = (double) unexposed_n;

	check_counts_not_negative(exposed_n >= 0 && unexposed_n >= 0 &&
							  exposed_events >= 0 && unexposed_events >= 0);
	if (exposed_events > exposed_n || unexposed_events > unexposed_n)
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "events must not exceed the group size",
				 "A group cannot have more events than members.", NULL);
	if (exposed_n > INT64_MAX - unexposed_n)
		pf_error(PF_ERR_OUT_OF_RANGE, "group sizes out of range",
				 "The two groups together must have fewer than 2^63 members.",
				 NULL);

	memset(&res, 0, sizeof(res));
	if (exposed_n > 0)
	{
		res.risk_exposed = a / n1;
		res.risk_exposed_valid = true;
	}
	if (unexposed_n > 0)
	{
		res.risk_unexposed = c / n0;
		res.risk_unexposed_valid = true;
	}
	if (exposed_n > 0 && unexposed_n > 0 && unexposed_events > 0)
	{
		res.ratio = res.risk_exposed / res.risk_unexposed;
		res.ratio_valid = true;
		if (exposed_events > 0)
		{
			double		se = sqrt(1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n0);

			res.ci_low = res.ratio * exp(-z * se);
			res.ci_high = res.ratio * exp(z * se);
			res.ci_valid = true;
		}
	}
	if (exposed_n > 0 || unexposed_n > 0)
	{
		res.p_value = pf_distributions_fisher_exact_p(exposed_events,
													  exposed_n - exposed_events,
													  unexposed_events,
													  unexposed_n - unexposed_events);
		/* counts beyond the exact test's range give no p-value */
		res.p_valid = !isnan(res.p_value);
	}
	return res;
}

PfNps
pf_contingency_nps(int64_t n, int64_t promoters, int64_t passives,
				   int64_t detractors)
{
	return nps_z(n, promoters, passives, detractors, PF_Z_975);
}

PfNps
pf_contingency_nps_at(int64_t n, int64_t promoters, int64_t passives,
					  int64_t detractors, double confidence)
{
	return nps_z(n, promoters, passives, detractors,
								two_sided_z(confidence));
}

static PfNps
nps_z(int64_t n, int64_t promoters, int64_t passives,
					 int64_t detractors, double z)
{
	PfNps		res;
	double		p;
	double		d;

	check_counts_not_negative(n >= 0 && promoters >= 0 && passives >= 0 &&
							  detractors >= 0);
	if (promoters > n || passives > n - promoters ||
		detractors != n - promoters - passives)
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "promoters, passives and detractors must add up to n",
				 NULL, NULL);

	memset(&res, 0, sizeof(res));
	res.n = n;
	if (n == 0)
		return res;
	p = (double) promoters / (double) n;
	d = (double) detractors / (double) n;
	res.nps = 100.0 * (p - d);
	res.margin = 100.0 * z *
		sqrt(fmax(0.0, p + d - (p - d) * (p - d)) / (double) n);
	res.valid = true;
	return res;
}

PfMantelHaenszel
pf_contingency_mantel_haenszel(const PfStratum *strata, int64_t k, double confidence)
{
	PfMantelHaenszel res;
	double		z = two_sided_z(confidence);
	double		r = 0.0;
	double		s = 0.0;
	double		var_num = 0.0;
	double		delta = 0.0;
	double		cmh_var = 0.0;

	memset(&res, 0, sizeof(res));
	for (int64_t i = 0; i < k; i++)
	{
		const PfStratum *t = &strata[i];
		double		a = (double) t->exposed_events;
		double		n1 = (double) t->exposed_n;
		double		c = (double) t->unexposed_events;
		double		n0 = (double) t->unexposed_n;
		double		n = n1 + n0;
		double		m1 = a + c;

		PF_INTERRUPT_EVERY(i);
		check_counts_not_negative(t->exposed_n >= 0 && t->unexposed_n >= 0 &&
								  t->exposed_events >= 0 && t->unexposed_events >= 0);
		if (t->exposed_events > t->exposed_n || t->unexposed_events > t->unexposed_n)
			pf_error(PF_ERR_INVALID_PARAMETER,
					 "events must not exceed the group size",
					 "A group cannot have more events than members.", NULL);
		if (n == 0.0)
			continue;
		r += a * n0 / n;
		s += c * n1 / n;
		var_num += (n1 * n0 * m1 - a * c * n) / (n * n);
		if (n >= 2.0)
		{
			delta += a - n1 * m1 / n;
			cmh_var += n1 * n0 * m1 * (n - m1) / (n * n * (n - 1.0));
		}
	}
	if (s > 0.0)
	{
		res.ratio = r / s;
		res.ratio_valid = true;
		if (r > 0.0)
		{
			double		se = sqrt(var_num / (r * s));

			res.ci_low = res.ratio * exp(-z * se);
			res.ci_high = res.ratio * exp(z * se);
			res.ci_valid = true;
		}
	}
	if (cmh_var > 0.0)
	{
		double		d = fabs(delta);

		if (d >= 0.5)
			d -= 0.5;
		res.statistic = d * d / cmh_var;
		res.p_value = 2.0 * pf_distributions_norm_sf(sqrt(res.statistic));
		res.p_valid = true;
	}
	return res;
}

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
	return pf_correlation_z(confidence);
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

/* ---------------------------------------------------------------------
 * The odds ratio of a 2x2 table, as fisher.test
 * ---------------------------------------------------------------------
 */

/*
 * The noncentral hypergeometric distribution of the top-left count over
 * lo .. hi: logdc[s - lo] is the log of the central probability of s up to
 * a constant, built from the ratio of consecutive terms so that no large
 * log-factorials cancel.
 */
typedef struct NcHyper
{
	int64_t		lo;
	int64_t		hi;
	double	   *logdc;
	double	   *p;				/* scratch: the probabilities at some psi */
} NcHyper;

/* p[] at psi = exp(u); u = 0 is the central distribution */
static void
nc_probs(NcHyper *h, double u)
{
	int64_t		len = h->hi - h->lo + 1;
	double		top = -INFINITY;
	double		sum = 0.0;

	for (int64_t i = 0; i < len; i++)
	{
		double		w = h->logdc[i] + (double) (h->lo + i) * u;

		h->p[i] = w;
		if (w > top)
			top = w;
	}
	for (int64_t i = 0; i < len; i++)
	{
		h->p[i] = exp(h->p[i] - top);
		sum += h->p[i];
	}
	for (int64_t i = 0; i < len; i++)
		h->p[i] /= sum;
}

/* E[X; exp(u)] */
static double
nc_mean(NcHyper *h, double u)
{
	double		mean = 0.0;

	nc_probs(h, u);
	for (int64_t i = 0; i <= h->hi - h->lo; i++)
		mean += (double) (h->lo + i) * h->p[i];
	return mean;
}

/* P[X >= x; exp(u)] (upper) or P[X <= x; exp(u)] */
static double
nc_tail(NcHyper *h, double u, int64_t x, bool upper)
{
	double		sum = 0.0;

	nc_probs(h, u);
	for (int64_t i = 0; i <= h->hi - h->lo; i++)
		if (upper ? h->lo + i >= x : h->lo + i <= x)
			sum += h->p[i];
	return sum;
}

typedef enum NcWhat
{
	NC_MEAN, NC_UPPER, NC_LOWER
} NcWhat;

/*
 * psi with f(psi) = target, f increasing in psi (the mean and the upper
 * tail) or decreasing (the lower tail): bisection on log psi over
 * [-700, 700] until the bracket stops shrinking.
 */
static double
nc_solve(NcHyper *h, NcWhat what, int64_t x, double target)
{
	double		lo = -700.0;
	double		hi = 700.0;

	for (int i = 0; i < 200; i++)
	{
		double		mid = 0.5 * (lo + hi);
		double		f;
		bool		below;

		if (mid == lo || mid == hi)
			break;
		f = what == NC_MEAN ? nc_mean(h, mid) : nc_tail(h, mid, x, what == NC_UPPER);
		below = what == NC_LOWER ? f > target : f < target;
		if (below)
			lo = mid;
		else
			hi = mid;
	}
	return exp(0.5 * (lo + hi));
}

PfOddsRatio
pf_contingency_odds_ratio(int64_t a, int64_t b, int64_t c, int64_t d,
						  double confidence)
{
	PfOddsRatio res;
	double		z = two_sided_z(confidence);
	double		alpha = (1.0 - confidence) / 2.0;
	int64_t		m,
				n,
				k;
	NcHyper		h;
	int64_t		len;

	check_counts_not_negative(a >= 0 && b >= 0 && c >= 0 && d >= 0);
	if (a > INT64_MAX / 4 - b || c > INT64_MAX / 4 - d ||
		a + b > INT64_MAX / 4 - c - d)
		pf_error(PF_ERR_OUT_OF_RANGE, "counts out of range", NULL, NULL);
	memset(&res, 0, sizeof(res));

	/* the sample odds ratio and Woolf's interval */
	if ((double) a * (double) d > 0.0 || (double) b * (double) c > 0.0)
	{
		res.sample = ((double) a * (double) d) / ((double) b * (double) c);
		res.sample_valid = true;
	}
	if (a > 0 && b > 0 && c > 0 && d > 0)
	{
		double		se = sqrt(1.0 / (double) a + 1.0 / (double) b +
							  1.0 / (double) c + 1.0 / (double) d);

		res.woolf_low = exp(log(res.sample) - z * se);
		res.woolf_high = exp(log(res.sample) + z * se);
		res.woolf_valid = true;
	}

	m = a + c;					/* with the event */
	n = b + d;					/* without */
	k = a + b;					/* exposed */
	h.lo = k - n > 0 ? k - n : 0;
	h.hi = k < m ? k : m;
	len = h.hi - h.lo + 1;
	h.logdc = pf_alloc((size_t) len * sizeof(double));
	h.p = pf_alloc((size_t) len * sizeof(double));
	/* P(s + 1) / P(s) = (m - s)(k - s) / ((s + 1)(n - k + s + 1)) */
	h.logdc[0] = 0.0;
	for (int64_t i = 1; i < len; i++)
	{
		int64_t		s = h.lo + i - 1;

		PF_INTERRUPT_EVERY(i);
		h.logdc[i] = h.logdc[i - 1] + log((double) (m - s)) + log((double) (k - s)) -
			log((double) (s + 1)) - log((double) (n - k + s + 1));
	}

	/* Fisher's p: the central probabilities no more than a's (1 + 1e-7) */
	nc_probs(&h, 0.0);
	{
		double		px = h.p[a - h.lo] * (1.0 + 1e-7);
		double		sum = 0.0;

		for (int64_t i = 0; i < len; i++)
			if (h.p[i] <= px)
				sum += h.p[i];
		res.p_value = sum > 1.0 ? 1.0 : sum;
		res.p_valid = true;
	}

	/* with a margin of 0, a has one value: R's 0 (0 .. infinity) */
	pf_check_interrupts();
	res.ratio = a == h.lo ? 0.0 : a == h.hi ? INFINITY :
		nc_solve(&h, NC_MEAN, a, (double) a);
	res.ci_high = a == h.hi ? INFINITY : nc_solve(&h, NC_LOWER, a, alpha);
	res.ci_low = a == h.lo ? 0.0 : nc_solve(&h, NC_UPPER, a, alpha);
	res.ratio_valid = true;
	pf_free(h.logdc);
	pf_free(h.p);
	return res;
}

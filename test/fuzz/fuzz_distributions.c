/*
 * fuzz_distributions.c
 *	  The distributions and the statistics built on them, with bounded
 *	  arguments.  The first byte chooses:
 *
 *	0  pf_distributions_t_sf(t, df): in [0, 1], sf(t) + sf(-t) = 1, non-increasing in t
 *	1  pf_distributions_norm_ppf: finite on (0, 1), non-decreasing, the inverse of
 *	   pf_distributions_norm_cdf
 *	2  pf_distributions_kendall_exact_p(n, c), n <= 60: in [0, 1], symmetric in c and
 *	   total - c, non-decreasing in c up to total / 2
 *	3  pf_distributions_fisher_exact_p on counts up to 10^4 (sometimes 10^9): in
 *	   [0, 1], the same for the mirrored and transposed tables
 *	4  pf_distributions_hypergeom_pmf: in [0, 1], summing to 1 over the support
 *	5  pf_contingency_risk_ratio: risks and p in [0, 1], the interval around the ratio
 *	6  pf_contingency_nps: score in [-100, 100], margin non-negative
 *	7  concentration: Herfindahl index and top share in (0, 1]
 */
#include "concentration_core.h"
#include "contingency_core.h"
#include "correlation_core.h"
#include "distributions_core.h"
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
in_unit(double p)
{
	return p >= 0.0 && p <= 1.0;
}

static int64_t
count(FuzzInput *in, int64_t limit)
{
	return (int64_t) (fin_u64(in) % (uint64_t) (limit + 1));
}

static void
t_sf(FuzzInput *in)
{
	double		t = fin_double_mixed(in);
	double		df = fin_double_mixed(in);
	double		t2 = fin_double_mixed(in);
	double		p,
				q,
				p2;

	if (fin_bool(in))
		df = 1.0 + (fin_u8(in) & 63);
	p = pf_distributions_t_sf(t, df);
	if (isnan(t) || isnan(df) || !(df > 0.0))
	{
		FUZZ_CHECK(isnan(p), "t_sf(%.17g, %.17g) = %.17g, not NaN", t, df, p);
		return;
	}
	q = pf_distributions_t_sf(-t, df);
	FUZZ_CHECK(in_unit(p) && in_unit(q), "t_sf(+-%.17g, %.17g) = %.17g, %.17g", t, df, p, q);
	FUZZ_CHECK(fabs(p + q - 1.0) <= 1e-12, "t_sf(%.17g, %.17g) + t_sf(-t) = %.17g",
			   t, df, p + q);
	if (isnan(t2))
		return;
	p2 = pf_distributions_t_sf(t2, df);
	FUZZ_CHECK(in_unit(p2), "t_sf(%.17g, %.17g) = %.17g", t2, df, p2);
	/* monotone, up to rounding relative to the larger value */
	if (t < t2)
		FUZZ_CHECK(p >= p2 * (1.0 - 1e-12), "t_sf(%.17g) = %.17g < t_sf(%.17g) = %.17g, df %.17g",
				   t, p, t2, p2, df);
	{
		double		tp = pf_distributions_t_two_sided_p(t, df);

		FUZZ_CHECK(in_unit(tp), "two-sided p(%.17g, %.17g) = %.17g", t, df, tp);
	}
}

static void
norm_ppf(FuzzInput *in)
{
	double		p = fin_double_mixed(in);
	double		p2 = fin_double_mixed(in);
	double		x,
				x2;

	if (fin_bool(in))
	{
		p = (fin_u64(in) >> 11) * 0x1.0p-53;
		p2 = (fin_u64(in) >> 11) * 0x1.0p-53;
	}
	x = pf_distributions_norm_ppf(p);
	x2 = pf_distributions_norm_ppf(p2);
	if (!(p > 0.0 && p < 1.0))
	{
		FUZZ_CHECK(isnan(x), "norm_ppf(%.17g) = %.17g, not NaN", p, x);
		return;
	}
	FUZZ_CHECK(isfinite(x), "norm_ppf(%.17g) = %.17g", p, x);
	/* the inverse of the cdf: relative on the smaller tail */
	{
		double		c = x <= 0 ? pf_distributions_norm_cdf(x) : pf_distributions_norm_sf(x);
		double		want = x <= 0 ? p : 1.0 - p;

		FUZZ_CHECK(fabs(c - want) <= 1e-9 * want, "norm_ppf(%.17g) = %.17g, whose tail is %.17g",
				   p, x, c);
	}
	if (p2 > 0.0 && p2 < 1.0 && p < p2)
		FUZZ_CHECK(x <= x2, "norm_ppf not monotone: ppf(%.17g) = %.17g > ppf(%.17g) = %.17g",
				   p, x, p2, x2);
}

static void
kendall_exact(FuzzInput *in)
{
	int64_t		n = fin_u8(in) % 61;
	int64_t		total = n * (n - 1) / 2;
	int64_t		c = count(in, total + 1);
	double		p = pf_distributions_kendall_exact_p(n, c);

	if (n <= 0 || c > total)
	{
		FUZZ_CHECK(isnan(p), "kendall_exact_p(%lld, %lld) = %.17g, not NaN", (long long) n,
				   (long long) c, p);
		return;
	}
	FUZZ_CHECK(in_unit(p), "kendall_exact_p(%lld, %lld) = %.17g", (long long) n, (long long) c, p);
	FUZZ_CHECK(p == pf_distributions_kendall_exact_p(n, total - c), "kendall_exact_p not symmetric at %lld, %lld",
			   (long long) n, (long long) c);
	if (c + 1 <= total / 2)
	{
		double		p2 = pf_distributions_kendall_exact_p(n, c + 1);

		FUZZ_CHECK(p <= p2, "kendall_exact_p(%lld, %lld) = %.17g > p(c + 1) = %.17g",
				   (long long) n, (long long) c, p, p2);
	}
}

static void
fisher(FuzzInput *in)
{
	int64_t		limit = fin_bool(in) ? INT64_C(1000000000) : (fin_bool(in) ? 10000 : 40);
	int64_t		a = count(in, limit),
				b = count(in, limit),
				c = count(in, limit),
				d = count(in, limit);
	double		p = pf_distributions_fisher_exact_p(a, b, c, d);
	double		pm = pf_distributions_fisher_exact_p(b, a, d, c);
	double		pt = pf_distributions_fisher_exact_p(a, c, b, d);

	FUZZ_CHECK(in_unit(p), "fisher(%lld, %lld, %lld, %lld) = %.17g", (long long) a,
			   (long long) b, (long long) c, (long long) d, p);
	FUZZ_CHECK(fabs(p - pm) <= 1e-9 * p + 1e-300 && fabs(p - pt) <= 1e-9 * p + 1e-300,
			   "fisher(%lld, %lld, %lld, %lld) = %.17g, mirrored %.17g, transposed %.17g",
			   (long long) a, (long long) b, (long long) c, (long long) d, p, pm, pt);
}

static void
hypergeom(FuzzInput *in)
{
	int64_t		M = count(in, 200);
	int64_t		n = count(in, 200);
	int64_t		N = count(in, 200);
	int64_t		k = count(in, 200);
	double		p = pf_distributions_hypergeom_pmf(k, M, n, N);
	double		sum = 0.0;

	if (M <= 0 || n > M || N > M)
	{
		FUZZ_CHECK(isnan(p), "hypergeom_pmf(%lld, %lld, %lld, %lld) = %.17g, not NaN",
				   (long long) k, (long long) M, (long long) n, (long long) N, p);
		return;
	}
	FUZZ_CHECK(in_unit(p), "hypergeom_pmf(%lld, %lld, %lld, %lld) = %.17g",
			   (long long) k, (long long) M, (long long) n, (long long) N, p);
	for (int64_t j = 0; j <= N; j++)
		sum += pf_distributions_hypergeom_pmf(j, M, n, N);
	FUZZ_CHECK(fabs(sum - 1.0) <= 1e-10, "hypergeom pmf of (%lld, %lld, %lld) sums to %.17g",
			   (long long) M, (long long) n, (long long) N, sum);
}

static void
risk_ratio(FuzzInput *in)
{
	int64_t		limit = fin_bool(in) ? INT64_C(1000000000) : 50;
	int64_t		n1 = count(in, limit),
				n0 = count(in, limit);
	int64_t		a = count(in, n1 + 1),
				c = count(in, n0 + 1);
	PfRiskRatio r;

	if (fin_u8(in) == 0xFF)
	{
		n1 = fin_i64_mixed(in);
		a = fin_i64_mixed(in);
	}
	if (PF_TRY(r = pf_contingency_risk_ratio(n1, a, n0, c)))
	{
		FUZZ_CHECK(n1 < 0 || a < 0 || a > n1 || c > n0 || n1 > INT64_MAX - n0,
				   "risk_ratio(%lld, %lld, %lld, %lld) raised: %s", (long long) n1, (long long) a,
				   (long long) n0, (long long) c, pf_last_error_message);
		return;
	}
	FUZZ_CHECK(n1 >= 0 && a >= 0 && a <= n1 && c <= n0, "risk_ratio accepted bad counts");
	FUZZ_CHECK((!r.risk_exposed_valid || in_unit(r.risk_exposed)) &&
			   (!r.risk_unexposed_valid || in_unit(r.risk_unexposed)),
			   "risks %.17g %.17g", r.risk_exposed, r.risk_unexposed);
	FUZZ_CHECK(!r.p_valid || in_unit(r.p_value), "risk_ratio(%lld, %lld, %lld, %lld) p = %.17g",
			   (long long) n1, (long long) a, (long long) n0, (long long) c, r.p_value);
	if (r.ratio_valid)
		FUZZ_CHECK(r.ratio >= 0.0 && isfinite(r.ratio), "ratio %.17g", r.ratio);
	if (r.ci_valid)
		FUZZ_CHECK(r.ci_low >= 0.0 && r.ci_low <= r.ratio && r.ratio <= r.ci_high,
				   "risk_ratio(%lld, %lld, %lld, %lld): ratio %.17g, ci [%.17g, %.17g]",
				   (long long) n1, (long long) a, (long long) n0, (long long) c,
				   r.ratio, r.ci_low, r.ci_high);
}

static void
nps(FuzzInput *in)
{
	int64_t		p = fin_i64_mixed(in),
				q = fin_i64_mixed(in),
				d = fin_i64_mixed(in);
	int64_t		n = fin_bool(in) ? fin_i64_mixed(in) : (int64_t) ((uint64_t) p + (uint64_t) q + (uint64_t) d);
	PfNps		r;

	if (PF_TRY(r = pf_contingency_nps(n, p, q, d)))
		return;
	FUZZ_CHECK(p >= 0 && q >= 0 && d >= 0 && (__int128) p + q + d == n,
			   "nps accepted %lld = %lld + %lld + %lld", (long long) n, (long long) p,
			   (long long) q, (long long) d);
	if (r.valid)
		FUZZ_CHECK(r.nps >= -100.0 && r.nps <= 100.0 && r.margin >= 0.0 && r.margin <= 100.0 * PF_Z_975,
				   "nps %.17g margin %.17g", r.nps, r.margin);
}

static void
concentration(FuzzInput *in)
{
	double		whole[PF_CONCENTRATION_STATE_LEN] = {0, 0, 0};
	double		part[2][PF_CONCENTRATION_STATE_LEN] = {{0, 0, 0}, {0, 0, 0}};
	double		h,
				t;
	int			n = 0;

	while (in->left > 0)
	{
		uint8_t		op = fin_u8(in);
		double		x = (op & 2) ? fin_double_mixed(in) : (double) fin_u8(in);

		if (PF_TRY(pf_concentration_accum(whole, x)))
		{
			FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_PARAMETER ||
					   pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
					   "pf_concentration_accum(%.17g) raised: %s", x, pf_last_error_message);
			return;
		}
		n++;
		pf_concentration_accum(part[op & 1], x);
	}
	if (PF_TRY(pf_concentration_combine(part[0], part[1])))
		return;
	if (pf_concentration_herfindahl(whole, &h))
	{
		FUZZ_CHECK(h > 0.0 && h <= 1.0 + 1e-12 && h >= (1.0 - 1e-12) / n,
				   "herfindahl %.17g of %d amounts", h, n);
		FUZZ_CHECK(pf_concentration_top_share(whole, &t) && t > 0.0 && t <= 1.0 + 1e-12 && t * t <= h * (1 + 1e-9),
				   "top share %.17g, herfindahl %.17g", t, h);
		FUZZ_CHECK(pf_concentration_herfindahl(part[0], &t) && fabs(t - h) <= 1e-9 * h,
				   "herfindahl of the combined parts %.17g, whole %.17g", t, h);
	}
	else
		FUZZ_CHECK(!pf_concentration_top_share(whole, &t), "top share without a sum");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;

	fuzz_arena_reset();
	fin_init(&in, data, size);
	switch (fin_u8(&in) & 7)
	{
		case 0:
			t_sf(&in);
			break;
		case 1:
			norm_ppf(&in);
			break;
		case 2:
			kendall_exact(&in);
			break;
		case 3:
			fisher(&in);
			break;
		case 4:
			hypergeom(&in);
			break;
		case 5:
			risk_ratio(&in);
			break;
		case 6:
			nps(&in);
			break;
		case 7:
			concentration(&in);
			break;
	}
	return 0;
}

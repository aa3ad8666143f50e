/*-------------------------------------------------------------------------
 *
 * distributions_core.c
 *	  Statistical distributions of the server-free core: the normal
 *	  distribution and its quantile, Student's t upper tail, the exact
 *	  p-value of Kendall's tau without ties, the hypergeometric probability
 *	  and Fisher's exact test.
 *
 * The results follow scipy 1.10 (scipy.stats.norm, t, hypergeom,
 * kendalltau(method='exact') and fisher_exact), including its special
 * cases, and are computed from published formulas:
 *
 * - the normal from the C library's erfc, with the rounding of z / sqrt(2)
 *   corrected to first order so that the far tail keeps full precision;
 *   its quantile from P. J. Acklam's rational approximation refined by two
 *   Halley steps;
 * - Student's t from the regularized incomplete beta function: a
 *   continued fraction (DLMF 8.17.22) evaluated from the bottom up with
 *   care where its terms cancel, times a prefactor x^a y^b / B(a, b) written with Stirling
 *   corrections and deviance terms so that it keeps its precision for
 *   large degrees of freedom (C. Loader, "Fast and accurate computation of
 *   binomial probabilities", 2000);
 * - Kendall's tau from the counts of permutations by number of
 *   inversions, kept as probabilities so that nothing overflows;
 * - the hypergeometric probability from the same Stirling and deviance
 *   terms, applied to the four cells of the 2x2 table, so that the
 *   relative error stays near 1e-14 for totals of millions.
 *
 * Invalid arguments give NaN (see distributions_core.h).
 *
 *-------------------------------------------------------------------------
 */
#include "distributions_core.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "pf_core.h"

#define PF_PI			3.141592653589793238462643383279502884
#define LN_2PI			1.837877066409345483560659472811235280
#define SQRT_2PI		2.506628274631000502415765284811045253
#define TWO_OVER_SQRTPI	1.128379167095512573896158903121545172

/* 1/sqrt(2) as the sum of a double and the rounding error of that double */
#define SQRT1_2_HI		0.7071067811865475244008443621048490393
#define SQRT1_2_LO		(-4.8336466567264565186e-17)

/* largest total whose products of two margins fit in int64 */
#define EXACT_TOTAL_MAX INT64_C(3037000499)

/*
 * Stirling's correction mu(z) = lgamma(z) - (z - 1/2) log z + z -
 * log sqrt(2 pi) at z = 1/2, 1, 3/2, ..., 15, computed to 21 digits in
 * multiple precision: integer and half-integer arguments are the common
 * ones (counts, and half the degrees of freedom), and below 15 the series
 * would need many terms.
 */
static const double stirling_corr_table[30] = {
	0.153426409720027345291,	/* 0.5 */
	0.0810614667953272582197,	/* 1.0 */
	0.0548141210519176538961,	/* 1.5 */
	0.0413406959554092940938,	/* 2.0 */
	0.0331628735199362874851,	/* 2.5 */
	0.0276779256849983391488,	/* 3.0 */
	0.0237461636562974959713,	/* 3.5 */
	0.0207906721037650931115,	/* 4.0 */
	0.0184884505326731852308,	/* 4.5 */
	0.0166446911898211921632,	/* 5.0 */
	0.0151349732219173788735,	/* 5.5 */
	0.0138761288230707479987,	/* 6.0 */
	0.0128104652429202269243,	/* 6.5 */
	0.0118967099458917700951,	/* 7.0 */
	0.0111045597582069173266,	/* 7.5 */
	0.0104112652619720964975,	/* 8.0 */
	0.00979941612615880329839,	/* 8.5 */
	0.00925546218271273291773,	/* 9.0 */
	0.00876870013413938546296,	/* 9.5 */
	0.00833056343336287125647,	/* 10.0 */
	0.00793411456431402054725,	/* 10.5 */
	0.00757367548795184079497,	/* 11.0 */
	0.00724455430132038317955,	/* 11.5 */
	0.00694284010720952986566,	/* 12.0 */
	0.00666524703270768244236,	/* 12.5 */
	0.00640899418800420706844,	/* 13.0 */
	0.00617171226303945764753,	/* 13.5 */
	0.00595137011275884773562,	/* 14.0 */
	0.00574621651301011568203,	/* 14.5 */
	0.00555473355196280137104	/* 15.0 */
};

/*
 * Stirling's correction mu(z) for z > 0, to about 1e-17 absolute.  Working
 * with mu instead of log-gamma avoids the cancellation between large
 * log-gamma values that would cost up to 1e-9 relative for arguments near
 * a million.  Below 15, mu(z) = mu(z + 1) + (z + 1/2) log(1 + 1/z) - 1
 * moves the argument up to where the asymptotic series converges.
 */
static double
stirling_corr(double z)
{
	double		result = 0.0;
	double		zi,
				z2;

	if (z <= 15.0)
	{
		double		twice = 2.0 * z;

		if (twice >= 1.0 && twice == floor(twice))
			return stirling_corr_table[(int) twice - 1];
		while (z < 15.0)
		{
			result += (z + 0.5) * log1p(1.0 / z) - 1.0;
			z += 1.0;
		}
	}
	zi = 1.0 / z;
	z2 = zi * zi;
	return result +
		zi * (1.0 / 12.0 - z2 * (1.0 / 360.0 - z2 * (1.0 / 1260.0 -
				z2 * (1.0 / 1680.0 - z2 * (1.0 / 1188.0 -
				z2 * (691.0 / 360360.0 - z2 * (1.0 / 156.0)))))));
}

/*
 * The deviance x log(x / m) + m - x near m, given d = x - m and
 * v = d / (x + m) with |v| < 1/2, computed without cancellation:
 * since log(x / m) = 2 atanh(v), the deviance is
 * d v (1 + (1 + v) sum_{j>=1} v^(2j-1) / (2j + 1)).
 */
static double
deviance_series(double d, double v)
{
	double		v2 = v * v;
	double		power = v;
	double		sum = v / 3.0;
	int			j;

	for (j = 2; j < 200; j++)
	{
		double		term;

		power *= v2;
		term = power / (2 * j + 1);
		sum += term;
		if (fabs(term) <= 1e-17 * fabs(sum))
			break;
	}
	return d * v * (1.0 + (1.0 + v) * sum);
}

/*
 * The deviance x log(x / m) + m - x for real x >= 0 and m > 0, given
 * d = x - m computed accurately by the caller.
 */
static double
deviance(double x, double m, double d)
{
	double		v;

	if (x == 0.0)
		return m;
	v = d / (x + m);
	if (fabs(v) < 0.5)
		return deviance_series(d, v);
	return x * log(x / m) - d;
}

/*
 * a * y - b * x with one rounding, by Kahan's algorithm with fused
 * multiply-adds: the deviance needs the difference of two nearly equal
 * products exactly.
 */
static double
diff_of_products(double a, double y, double b, double x)
{
	double		w = b * x;
	double		e = fma(b, x, -w);
	double		f = fma(a, y, -w);

	return f - e;
}

/*
 * x^a y^b / B(a, b) for x + y = 1, as
 * sqrt(a b / (2 pi (a + b))) exp(mu(a + b) - mu(a) - mu(b)
 *		- dev(a, (a + b) x) - dev(b, (a + b) y)),
 * which keeps its relative precision when a or b is large; the direct
 * formula would lose it in the difference of log-gamma values.
 */
static double
beta_prefactor(double a, double b, double x, double y)
{
	double		ab = a + b;
	double		d = diff_of_products(a, y, b, x);	/* a - (a + b) x */
	double		dev = deviance(a, ab * x, d) + deviance(b, ab * y, -d);
	double		corr = stirling_corr(ab) - stirling_corr(a) - stirling_corr(b);

	return sqrt(a * b / (2.0 * PF_PI * ab)) * exp(corr - dev);
}

/*
 * Coefficient d_k of the continued fraction of I_x(a, b) (DLMF 8.17.22),
 * and 1 + d_k.  For a large and x near 1 the odd coefficients are near -1
 * and 1 + d_k would cancel; with x = 1 - y it is
 * (a (1 - b + 2m) + m (3m + 2 - b) + (a + m)(a + b + m) y)
 *		/ ((a + 2m)(a + 2m + 1)),
 * a sum of positive terms when b <= 1.
 */
static double
beta_cf_coef(int k, double a, double b, double x, double y, double *onepd)
{
	double		m = (double) (k / 2);
	double		d;

	if (k % 2 == 1)
	{
		double		den = (a + 2 * m) * (a + 2 * m + 1);

		d = -(a + m) * (a + b + m) * x / den;
		if (d < -0.5 && b <= 1.0)
			*onepd = (a * (1 - b + 2 * m) + m * (3 * m + 2 - b) +
					  (a + m) * (a + b + m) * y) / den;
		else
			*onepd = 1.0 + d;
	}
	else
	{
		d = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		*onepd = 1.0 + d;
	}
	return d;
}

/*
 * The continued fraction 1 + d1 / (1 + d2 / (1 + ...)) truncated after
 * depth levels, evaluated from the bottom up.  Each partial value g is
 * carried with g - 1 beside it, so that the levels where 1 + d_k nearly
 * cancels lose nothing: 1 + d / g = (1 + d) - d (g - 1) / g.
 */
static double
beta_cf_backward(double a, double b, double x, double y, int depth)
{
	const double tiny = 1e-300;
	double		g = 1.0;
	double		gm1 = 0.0;
	int			k;

	for (k = depth; k >= 1; k--)
	{
		double		onepd;
		double		coef = beta_cf_coef(k, a, b, x, y, &onepd);
		double		next = onepd - coef * gm1 / g;

		if (fabs(next) < tiny)
			next = tiny;
		gm1 = (k % 2 == 0) ? coef / g : next - 1.0;
		g = next;
	}
	return g;
}

/*
 * 1 / (1 + d1 / (1 + d2 / (1 + ...))), the continued fraction of
 * I_x(a, b), which converges quickly for x < (a + 1) / (a + b + 2).  The
 * depth doubles until two truncations agree to rounding: the forward
 * (Lentz) evaluation would both lose up to 1e-11 relative when a is near
 * 10^6 and x near 1, and misjudge convergence there.
 */
static double
beta_cont_frac(double a, double b, double x, double y)
{
	int			depth = 16;
	double		prev = beta_cf_backward(a, b, x, y, depth);

	while (depth < (1 << 20))
	{
		double		next;

		depth *= 2;
		next = beta_cf_backward(a, b, x, y, depth);
		if (fabs(next - prev) <= 2.0 * DBL_EPSILON * fabs(next))
			return 1.0 / next;
		prev = next;
	}
	return 1.0 / prev;
}

/*
 * The regularized incomplete beta function I_x(a, b) and its complement
 * I_y(b, a), y = 1 - x given separately so that neither loses precision
 * when the other is near 1.  The smaller of the two is computed directly.
 */
static void
inc_beta(double a, double b, double x, double y, double *ix, double *iy)
{
	if (x <= 0.0)
	{
		*ix = 0.0;
		*iy = 1.0;
	}
	else if (y <= 0.0)
	{
		*ix = 1.0;
		*iy = 0.0;
	}
	else if (x <= 0.5 ? x < (a + 1.0) / (a + b + 2.0) :
			 y > (b + 1.0) / (a + b + 2.0))
	{
		/*
		 * Choosing by y when x is near 1 keeps the choice right when x has
		 * rounded to 1 but y has not.
		 */
		*ix = beta_prefactor(a, b, x, y) * beta_cont_frac(a, b, x, y) / a;
		*iy = 1.0 - *ix;
	}
	else
	{
		*iy = beta_prefactor(b, a, y, x) * beta_cont_frac(b, a, y, x) / b;
		*ix = 1.0 - *iy;
	}
}

/*
 * P(Z > u) for the standard normal.  erfc(x) loses about 2 x^2 ulps when
 * x = u / sqrt(2) is rounded; the first term of its Taylor series around
 * the rounded argument puts the lost part back.
 */
static double
norm_upper(double u)
{
	double		x = u * SQRT1_2_HI;
	double		err = fma(u, SQRT1_2_HI, -x) + u * SQRT1_2_LO;
	double		r = erfc(x);

	r -= err * TWO_OVER_SQRTPI * exp(-x * x);
	return 0.5 * r;
}

double
pf_distributions_norm_cdf(double z)
{
	if (isnan(z))
		return NAN;
	if (isinf(z))
		return z > 0 ? 1.0 : 0.0;
	return norm_upper(-z);
}

double
pf_distributions_norm_sf(double z)
{
	if (isnan(z))
		return NAN;
	if (isinf(z))
		return z > 0 ? 0.0 : 1.0;
	return norm_upper(z);
}

/*
 * Normal quantile for 0 < q <= 1/2.  Acklam's approximation is good to
 * about 1e-9; each Halley step on Phi(x) = q then roughly triples the
 * number of correct digits.  The residual Phi(x) - q is formed where it is
 * accurate: from erf near the centre, where q - 1/2 is exact, and as a
 * relative error in the tail, where q may be as small as 1e-300.
 */
static double
norm_ppf_lower(double q)
{
	double		x;
	int			i;

	if (q < 0.02425)
	{
		double		r = sqrt(-2.0 * log(q));

		x = (((((-7.784894002430293e-03 * r - 3.223964580411365e-01) * r
				- 2.400758277161838e+00) * r - 2.549732539343734e+00) * r
			  + 4.374664141464968e+00) * r + 2.938163982698783e+00) /
			((((7.784695709041462e-03 * r + 3.224671290700398e-01) * r
			   + 2.445134137142996e+00) * r + 3.754408661907416e+00) * r + 1.0);
	}
	else
	{
		double		s = q - 0.5;
		double		r = s * s;

		x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r
				- 2.759285104469687e+02) * r + 1.383577518672690e+02) * r
			  - 3.066479806614716e+01) * r + 2.506628277459239e+00) * s /
			(((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r
				- 1.556989798598866e+02) * r + 6.680131188771972e+01) * r
			  - 1.328068155288572e+01) * r + 1.0);
	}

	for (i = 0; i < 2; i++)
	{
		double		u;

		if (q >= 0.25)
		{
			double		e = 0.5 * erf(x * SQRT1_2_HI) - (q - 0.5);

			u = e * SQRT_2PI * exp(0.5 * x * x);
		}
		else if (x > -35.0)
		{
			double		rel = norm_upper(-x) / q - 1.0;

			u = rel * SQRT_2PI * exp(log(q) + 0.5 * x * x);
		}
		else
		{
			/*
			 * Phi(x) may be subnormal here, so take its logarithm from the
			 * asymptotic series phi(x) / |x| (1 - 1/x^2 + 3/x^4 - ...),
			 * with x^2 split exactly into two doubles.
			 */
			double		xx = x * x;
			double		xx_err = fma(x, x, -xx);
			double		series = 1.0;
			double		term = 1.0;
			double		logphi;
			double		rel;
			int			j;

			for (j = 1; j <= 12; j++)
			{
				term *= -(2.0 * j - 1.0) / xx;
				series += term;
			}
			logphi = -0.5 * xx - 0.5 * xx_err - log(-x) - 0.5 * LN_2PI +
				log(series);
			rel = expm1(logphi - log(q));
			u = rel * SQRT_2PI * exp(log(q) + 0.5 * xx);
		}
		x -= u / (1.0 + 0.5 * x * u);
	}
	return x;
}

double
pf_distributions_norm_ppf(double p)
{
	if (!(p > 0.0 && p < 1.0))
		return NAN;
	/* 1 - p is exact for p >= 1/2 */
	if (p > 0.5)
		return -norm_ppf_lower(1.0 - p);
	return norm_ppf_lower(p);
}

/*
 * P(T > at) for at > 0, which is I_x(df/2, 1/2) / 2 with
 * x = df / (df + at^2).  x and y = 1 - x are formed from whichever of
 * at^2 / df and df / at^2 is at most 1, so that both keep full precision.
 */
static double
t_upper_tail(double at, double df)
{
	double		a = 0.5 * df;
	double		x,
				y,
				ix,
				iy;

	if (at * at <= df)
	{
		double		q = at * at / df;

		x = 1.0 / (1.0 + q);
		y = q / (1.0 + q);
	}
	else
	{
		double		w = df / (at * at);

		if (!(w > 1e-280))
		{
			/*
			 * at^2 / df overflows or nearly: the continued fraction is 1
			 * and y^b is 1 to double precision, so the tail is
			 * x^a / (2 a B(a, 1/2)), formed in logarithms.
			 */
			double		b = 0.5;
			double		ab = a + b;
			double		logx = log(df) - 2.0 * log(at);
			double		loginvbeta = 0.5 * log(a * b / (2.0 * PF_PI * ab)) +
				ab * log(ab) - a * log(a) - b * log(b) +
				stirling_corr(ab) - stirling_corr(a) - stirling_corr(b);

			return 0.5 * exp(a * logx + loginvbeta - log(a));
		}
		x = w / (1.0 + w);
		y = 1.0 / (1.0 + w);
	}
	inc_beta(a, 0.5, x, y, &ix, &iy);
	return 0.5 * ix;
}

double
pf_distributions_t_sf(double t, double df)
{
	double		tail;

	if (isnan(t) || isnan(df) || !(df > 0.0))
		return NAN;
	/* beyond 1e25 df the t and normal tails agree to 1e-18 */
	if (df > 1e25)
		return pf_distributions_norm_sf(t);
	if (isinf(t))
		return t > 0 ? 0.0 : 1.0;
	/* for df -> 0 all mass moves to +-infinity: half on each side */
	if (t == 0.0 || df < 1e-290)
		return 0.5;
	tail = t_upper_tail(fabs(t), df);
	if (tail > 0.5)
		tail = 0.5;
	return t > 0 ? tail : 1.0 - tail;
}

double
pf_distributions_t_two_sided_p(double t, double df)
{
	double		p;

	if (isnan(t) || isnan(df) || !(df > 0.0))
		return NAN;
	if (isinf(t))
		return 0.0;
	p = 2.0 * pf_distributions_t_sf(fabs(t), df);
	return p > 1.0 ? 1.0 : p;
}

/*
 * 2 / m! for 0 <= m <= 170, with m! accumulated as a double-double so that
 * the result is the correctly rounded factorial divided into 2, as scipy
 * computes it from Python's exact integers.
 */
static double
two_over_factorial(int64_t m)
{
	double		hi = 1.0;
	double		lo = 0.0;
	int64_t		k;

	for (k = 2; k <= m; k++)
	{
		double		p = hi * (double) k;

		lo = fma(hi, (double) k, -p) + lo * (double) k;
		hi = p;
	}
	return 2.0 / (hi + lo);
}

/*
 * The two-sided exact p-value of Kendall's tau: twice the probability of at
 * most c inversions in a uniformly random permutation of n items, with
 * scipy's special cases.  The distribution of inversions among m items is
 * built from that among m - 1 items: the m-th item adds 0..m-1 inversions
 * with equal probability, a moving window sum over the previous
 * distribution, divided by m.  Keeping probabilities rather than counts
 * avoids overflow, and the window sum is compensated (Neumaier) because
 * it both adds and removes terms.
 */
double
pf_distributions_kendall_exact_p(int64_t n, int64_t c)
{
	int64_t		total;
	double	   *prev;
	double	   *next;
	double		sum = 0.0;
	double		comp = 0.0;
	int64_t		m,
				k;

	if (n <= 0 || c < 0)
		return NAN;
	if (n >= INT64_C(4294967296))
	{
		/* n (n - 1) / 2 would overflow; only the trivial tails are known */
		return c <= 1 ? 0.0 : NAN;
	}
	total = (n % 2 == 0) ? (n / 2) * (n - 1) : n * ((n - 1) / 2);
	if (c > total)
		return NAN;
	if (c > total - c)
		c = total - c;			/* the distribution is symmetric */

	if (n <= 2)
		return 1.0;
	if (c == 0)
		return n < 171 ? two_over_factorial(n) : 0.0;
	if (c == 1)
		return n < 172 ? two_over_factorial(n - 1) : 0.0;
	if (2 * c == total)
		return 1.0;

	prev = pf_alloc0(((size_t) c + 1) * sizeof(double));
	next = pf_alloc0(((size_t) c + 1) * sizeof(double));
	prev[0] = 1.0;				/* one item, no inversion */
	for (m = 2; m <= n; m++)
	{
		/* m items have at most m (m - 1) / 2 inversions */
		int64_t		kmax = (m - 1 <= 2 * c / m) ? m * (m - 1) / 2 : c;
		double		wsum = 0.0;
		double		wcomp = 0.0;
		double	   *swap;

		pf_check_interrupts();	/* a pass costs up to c steps */

		for (k = 0; k <= kmax; k++)
		{
			double		terms[2];
			int			nterms = 1;
			int			i;

			terms[0] = prev[k];
			if (k >= m)
				terms[nterms++] = -prev[k - m];
			for (i = 0; i < nterms; i++)
			{
				double		t = wsum + terms[i];

				if (fabs(wsum) >= fabs(terms[i]))
					wcomp += (wsum - t) + terms[i];
				else
					wcomp += (terms[i] - t) + wsum;
				wsum = t;
			}
			next[k] = (wsum + wcomp) / (double) m;
		}
		swap = prev;
		prev = next;
		next = swap;
	}

	for (k = 0; k <= c; k++)
	{
		double		t = sum + prev[k];

		if (fabs(sum) >= fabs(prev[k]))
			comp += (sum - t) + prev[k];
		else
			comp += (prev[k] - t) + sum;
		sum = t;
	}
	pf_free(prev);
	pf_free(next);
	sum = 2.0 * (sum + comp);
	return sum > 1.0 ? 1.0 : sum;
}

/* ---------------------------------------------------------------------
 * Spearman's S without ties: its exact distribution for few observations,
 * the Edgeworth series of Best and Roberts (AS 89) beyond
 * ---------------------------------------------------------------------
 */

/*
 * count[S] += 1 for every way to place the ranks not yet used (bit i of
 * free set: rank i + 1 free) at positions pos + 1 .. n, S so far being s.
 */
static void
spearman_enumerate(int n, int pos, unsigned free, int64_t s, double *count)
{
	if (pos == n)
	{
		count[s] += 1.0;
		return;
	}
	for (int r = 0; r < n; r++)
		if (free & (1u << r))
		{
			int64_t		d = (int64_t) (pos + 1) - (r + 1);

			spearman_enumerate(n, pos + 1, free & ~(1u << r), s + d * d, count);
		}
}

/*
 * Pr[S >= s] (upper) or Pr[S < s] (!upper) for n observations without
 * ties, where S = sum (r_i - i)^2 over a random permutation r: counted over
 * all n! permutations for n <= PF_SPEARMAN_EXACT_MAX_N, else the Edgeworth
 * series (AS 89: the normal tail of rho sqrt(n - 1) with a correction in
 * powers of 1/n), clamped to [0, 1].
 */
static double
spearman_tail(int64_t n, double s, bool upper)
{
	double		smax = (double) n * ((double) n * (double) n - 1.0) / 3.0;

	if (s <= 0.0)
		return upper ? 1.0 : 0.0;
	if (s > smax)
		return upper ? 0.0 : 1.0;
	if (n <= PF_SPEARMAN_EXACT_MAX_N)
	{
		double		count[241] = {0};	/* S <= 9 (81 - 1) / 3 = 240 */
		double		total = 1.0;
		double		at_least = 0.0;

		spearman_enumerate((int) n, 0, (1u << n) - 1, 0, count);
		for (int64_t i = 2; i <= n; i++)
			total *= (double) i;
		for (int v = 0; v <= (int) smax; v++)
			if ((double) v >= s)
				at_least += count[v];
		return (upper ? at_least : total - at_least) / total;
	}
	else
	{
		/* AS 89's coefficients */
		static const double c[12] = {0.2274, 0.2531, 0.1745, 0.0758, 0.1033,
		0.3932, 0.0879, 0.0151, 0.0072, 0.0831, 0.0131, 4.6e-4};
		double		dn = (double) n;
		double		b = 1.0 / dn;
		double		x = (6.0 * (s - 1.0) * b / (dn * dn - 1.0) - 1.0) * sqrt(dn - 1.0);
		double		y = x * x;
		double		u;
		double		p;

		u = x * b * (c[0] + b * (c[1] + c[2] * b) +
					 y * (-c[3] + b * (c[4] + c[5] * b) -
						  y * b * (c[6] + c[7] * b -
								   y * (c[8] - c[9] * b + y * b * (c[10] - c[11] * y)))));
		u /= exp(y / 2.0);
		p = upper ? u + pf_distributions_norm_sf(x) : -u + pf_distributions_norm_cdf(x);
		return p < 0.0 ? 0.0 : p > 1.0 ? 1.0 : p;
	}
}

double
pf_distributions_spearman_exact_p(int64_t n, double s)
{
	double		mean;
	double		q;
	double		p;

	if (n < 2 || n > PF_SPEARMAN_SERIES_MAX_N || isnan(s))
		return NAN;
	mean = ((double) n * (double) n * (double) n - (double) n) / 6.0;
	q = round(s);
	/* the tail the observed S lies in; the lower one counts S itself */
	if (s > mean)
		p = spearman_tail(n, q, true);
	else
		p = spearman_tail(n, q + 2.0, false);
	p *= 2.0;
	return p > 1.0 ? 1.0 : p;
}

/* One cell of a 2x2 table, with what its term of the probability needs. */
typedef struct TableCell
{
	int64_t		count;
	double		count_total;	/* count * N */
	double		row_col;		/* row sum * column sum = expectation * N */
	double		dev_num;		/* count * N - row * column */
} TableCell;

static int
table_cell_cmp(const TableCell *x, const TableCell *y)
{
	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	if (x->row_col != y->row_col)
		return x->row_col < y->row_col ? -1 : 1;
	return 0;
}

/*
 * Probability of the 2x2 table with first cell a, first row sum r1, first
 * column sum c1 and total n, all margins positive and a within its
 * support:
 *		prod(margins!) / (n! prod(cells!)).
 * With Stirling's formula m! = sqrt(2 pi m) (m/e)^m exp(mu(m)) the powers
 * collect into the deviances of the cells from their expectations
 * row * column / n, each computed from exact integers, so the relative
 * error stays near 1e-14 where log-factorials would lose 1e-9.  The cells
 * and margins are taken in sorted order so that tables that are
 * mirror images of each other (equal row or column sums) get bitwise equal
 * probabilities, as Fisher's test compares them.
 */
static double
table_prob(int64_t a, int64_t r1, int64_t c1, int64_t n)
{
	int64_t		r2 = n - r1;
	int64_t		c2 = n - c1;
	int64_t		margins[4] = {r1, r2, c1, c2};
	int64_t		rows[4] = {r1, r1, r2, r2};
	int64_t		cols[4] = {c1, c2, c1, c2};
	TableCell	cells[4];
	double		dnum;
	double		logp;
	double		ratio;
	int			nonzero = 0;
	int			i,
				j;

	cells[0].count = a;
	cells[1].count = r1 - a;
	cells[2].count = c1 - a;
	cells[3].count = r2 - c1 + a;

	/* a n - r1 c1 is the deviation of the first cell, times n */
	if (n <= EXACT_TOTAL_MAX)
		dnum = (double) (a * n - r1 * c1);
	else
		dnum = fma((double) a, (double) n, -((double) r1 * (double) c1));
	for (i = 0; i < 4; i++)
	{
		TableCell  *cell = &cells[i];

		if (n <= EXACT_TOTAL_MAX)
		{
			cell->count_total = (double) (cell->count * n);
			cell->row_col = (double) (rows[i] * cols[i]);
		}
		else
		{
			cell->count_total = (double) cell->count * (double) n;
			cell->row_col = (double) rows[i] * (double) cols[i];
		}
		/* the diagonal cells deviate by dnum / n, the others by -dnum / n */
		cell->dev_num = (i == 0 || i == 3) ? dnum : -dnum;
	}

	/* insertion sorts of four items */
	for (i = 1; i < 4; i++)
	{
		TableCell	key = cells[i];
		int64_t		mkey = margins[i];

		for (j = i - 1; j >= 0 && table_cell_cmp(&cells[j], &key) > 0; j--)
			cells[j + 1] = cells[j];
		cells[j + 1] = key;
		for (j = i - 1; j >= 0 && margins[j] > mkey; j--)
			margins[j + 1] = margins[j];
		margins[j + 1] = mkey;
	}

	logp = 0.0;
	for (i = 0; i < 4; i++)
		logp += stirling_corr((double) margins[i]);
	logp -= stirling_corr((double) n);
	ratio = (double) margins[0] * (double) margins[1] *
		(double) margins[2] * (double) margins[3] / (double) n;
	for (i = 0; i < 4; i++)
	{
		const TableCell *cell = &cells[i];
		double		d = cell->dev_num / (double) n;

		if (cell->count == 0)
		{
			logp -= cell->row_col / (double) n;
			continue;
		}
		nonzero++;
		logp -= stirling_corr((double) cell->count);
		ratio /= (double) cell->count;
		{
			double		v = cell->dev_num / (cell->count_total + cell->row_col);

			if (fabs(v) < 0.5)
				logp -= deviance_series(d, v);
			else
				logp -= (double) cell->count *
					log(cell->count_total / cell->row_col) - d;
		}
	}
	logp += 0.5 * (log(ratio) + (3 - nonzero) * LN_2PI);
	return exp(logp);
}

double
pf_distributions_hypergeom_pmf(int64_t k, int64_t M, int64_t n, int64_t N)
{
	int64_t		lo,
				hi;

	if (M <= 0 || n < 0 || N < 0 || n > M || N > M)
		return NAN;
	lo = N - (M - n) > 0 ? N - (M - n) : 0;
	hi = n < N ? n : N;
	if (k < lo || k > hi)
		return 0.0;
	/* a zero margin leaves a single table */
	if (lo == hi)
		return 1.0;
	return table_prob(k, n, N, M);
}

/*
 * Sum of table probabilities from first cell x outwards (step -1 or +1) to
 * the end of the support [lo, hi], where the terms decrease.  The
 * distribution is log-concave, so once the ratio r of successive terms is
 * below 1 the rest is at most term * r / (1 - r), and the sum stops when
 * that is negligible.
 */
static double
table_tail(int64_t x, int step, int64_t lo, int64_t hi,
		   int64_t r1, int64_t c1, int64_t n)
{
	double		sum = 0.0;
	double		prev = 0.0;

	for (; x >= lo && x <= hi; x += step)
	{
		double		term = table_prob(x, r1, c1, n);

		sum += term;
		if (term == 0.0)
			break;
		if (prev > 0.0)
		{
			double		r = term / prev;

			if (r < 1.0 && term * r / (1.0 - r) <= 1e-17 * sum)
				break;
		}
		prev = term;
	}
	return sum;
}

/*
 * Two-sided Fisher exact test as scipy 1.10 computes it: the probability
 * of the tables on the observed side of the mode at least as extreme as
 * the observed one, plus those on the other side whose probability is
 * below pexact * (1 + 1e-14) (at most that, for an observed table above
 * the mode), found by bisection since the probabilities are monotone on
 * each side of the mode.  An observed probability within relative 1e-14
 * of the mode's gives 1.
 */
double
pf_distributions_fisher_exact_p(int64_t a, int64_t b, int64_t c, int64_t d)
{
	const double gamma = 1.0 + 1e-14;
	int64_t		r1,
				r2,
				c1,
				n,
				lo,
				hi,
				mode;
	double		pexact,
				pmode,
				threshold,
				p;

	if (a < 0 || b < 0 || c < 0 || d < 0 ||
		a > INT64_MAX / 4 || b > INT64_MAX / 4 ||
		c > INT64_MAX / 4 || d > INT64_MAX / 4)
		return NAN;
	r1 = a + b;
	r2 = c + d;
	c1 = a + c;
	n = r1 + r2;
	if (r1 == 0 || r2 == 0 || c1 == 0 || b + d == 0)
		return 1.0;
	lo = c1 - r2 > 0 ? c1 - r2 : 0;
	hi = r1 < c1 ? r1 : c1;
	mode = (int64_t) (((double) (c1 + 1) * (double) (r1 + 1)) /
					  (double) (n + 2));

	pexact = table_prob(a, r1, c1, n);
	pmode = table_prob(mode, r1, c1, n);
	if (fabs(pexact - pmode) / fmax(pexact, pmode) <= 1e-14)
		return 1.0;
	threshold = pexact * gamma;

	if (a < mode)
	{
		int64_t		left = mode;
		int64_t		right = hi + 1;

		p = table_tail(a, -1, lo, hi, r1, c1, n);
		/* first x >= mode with probability below the threshold */
		while (left < right)
		{
			int64_t		mid = left + (right - left) / 2;

			if (table_prob(mid, r1, c1, n) < threshold)
				right = mid;
			else
				left = mid + 1;
		}
		if (left <= hi)
			p += table_tail(left, 1, lo, hi, r1, c1, n);
	}
	else
	{
		int64_t		left = lo - 1;
		int64_t		right = mode;

		p = table_tail(a, 1, lo, hi, r1, c1, n);
		/* last x <= mode with probability at most the threshold */
		while (left < right)
		{
			int64_t		mid = right - (right - left) / 2;

			if (table_prob(mid, r1, c1, n) <= threshold)
				left = mid;
			else
				right = mid - 1;
		}
		if (left >= lo)
			p += table_tail(left, -1, lo, hi, r1, c1, n);
	}
	return p > 1.0 ? 1.0 : p;
}

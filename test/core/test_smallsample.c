/*
 * test_smallsample.c
 *	  Unit tests of the exact p-values of rank correlations for small
 *	  samples against GNU R (test/fixtures/smallsample_gen.R): Spearman's
 *	  rho by pf_distributions_spearman_exact_p (permutations for n <= 9,
 *	  AS 89's Edgeworth series beyond) against cor.test(method =
 *	  "spearman", exact = TRUE), and Kendall's tau by
 *	  pf_distributions_kendall_exact_p against the exact distribution R
 *	  uses for n < 50 (the fixture's p_exact_stable, summed from the tail
 *	  rather than as 1 - cdf, which loses the tiny p of the freeny data).
 *	  Also a hand count for n = 3 and the bounds, R's choice of p-value
 *	  with exact on and off (pf_rankcorr_choose_p), and the partial
 *	  correlation given 1 to 5 controls against R's residual formulas.
 *
 * The statistics are formed here from the fixture's data: S as the sum of
 * squared rank differences, the discordant pairs counted one pair at a
 * time.  Run from the repository root, where test/fixtures/ is found.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "contingency_core.h"
#include "distributions_core.h"
#include "moments_core.h"
#include "rankcorr_core.h"

#define FIX "test/fixtures/"
#define REL 1e-9

static bool
near(double got, double want)
{
	if (isnan(want))
		return isnan(got);
	return fabs(got - want) <= REL * fabs(want) + 1e-300;
}

/* ranks 1..n of v, which has no ties */
static void
ranks(const double *v, int n, double *r)
{
	for (int i = 0; i < n; i++)
	{
		int			below = 0;

		for (int j = 0; j < n; j++)
			below += v[j] < v[i];
		r[i] = below + 1;
	}
}

/*
 * The x and y of case id of smallsample_corr_input.csv into x[k * stride]
 * and y[k * stride], at most 64 rows; their number.
 */
static int
case_rows(const Csv *in, int id, double *x, double *y, int stride)
{
	int			cid = csv_col(in, "case_id");
	int			cx = csv_col(in, "x");
	int			cy = csv_col(in, "y");
	int			k = 0;

	for (int i = 0; i < in->nrows && k < 64; i++)
		if ((int) csv_num(in, i, cid) == id)
		{
			x[k * stride] = csv_num(in, i, cx);
			y[k * stride] = csv_num(in, i, cy);
			k++;
		}
	return k;
}

static void
test_against_r(void)
{
	Csv		   *in = csv_read(FIX "smallsample_corr_input.csv");
	Csv		   *ex = csv_read(FIX "smallsample_corr_expected.csv");
	int			ecase = csv_col(ex, "case_id");
	int			emethod = csv_col(ex, "method");
	int			en = csv_col(ex, "n");
	int			eties = csv_col(ex, "has_ties");
	int			estable = csv_col(ex, "p_exact_stable");
	int			checked[2] = {0, 0};

	for (int row = 0; row < ex->nrows; row++)
	{
		int			id = (int) csv_num(ex, row, ecase);
		bool		kendall = strcmp(csv_str(ex, row, emethod), "kendall") == 0;
		int			n = (int) csv_num(ex, row, en);
		double		x[64],
					y[64],
					rx[64],
					ry[64];
		int			k;
		double		want = csv_num(ex, row, estable);
		double		got;

		if (csv_num(ex, row, eties) != 0 || n > 64 || n < 2)
			continue;
		k = case_rows(in, id, x, y, 1);
		if (k != n)
		{
			CHECK(false, "case %d: %d rows in the input, %d expected", id, k, n);
			continue;
		}
		ranks(x, n, rx);
		ranks(y, n, ry);
		if (kendall)
		{
			int64_t		dis = 0;

			for (int i = 0; i < n; i++)
				for (int j = i + 1; j < n; j++)
					dis += (rx[i] - rx[j]) * (ry[i] - ry[j]) < 0;
			got = pf_distributions_kendall_exact_p(n, dis);
		}
		else
		{
			double		s = 0;

			for (int i = 0; i < n; i++)
				s += (rx[i] - ry[i]) * (rx[i] - ry[i]);
			got = pf_distributions_spearman_exact_p(n, s);
		}
		CHECK(near(got, want), "case %d %s, n = %d: exact p %.17g, R %.17g",
			  id, kendall ? "kendall" : "spearman", n, got, want);
		checked[kendall]++;
	}
	CHECK(checked[0] >= 10 && checked[1] >= 10,
		  "%d Spearman and %d Kendall cases checked", checked[0], checked[1]);
	csv_free(in);
	csv_free(ex);
}

/*
 * n = 3 by hand: the 6 permutations of ranks have S = 0, 2, 2, 6, 6, 8.
 * rho = 1 (S = 0): the lower tail counting S is 1/6, p = 1/3; S = 2: 3/6,
 * p = 1; S = 8 (rho = -1): the upper tail is 1/6, p = 1/3.
 */
static void
test_by_hand(void)
{
	CHECK(fabs(pf_distributions_spearman_exact_p(3, 0) - 1.0 / 3) < 1e-15,
		  "n = 3, S = 0: p = 1/3");
	CHECK(pf_distributions_spearman_exact_p(3, 2) == 1.0, "n = 3, S = 2: p = 1");
	CHECK(fabs(pf_distributions_spearman_exact_p(3, 8) - 1.0 / 3) < 1e-15,
		  "n = 3, S = 8: p = 1/3");
	/* n = 9: 9! = 362880 permutations, one of them with S = 0 */
	CHECK(fabs(pf_distributions_spearman_exact_p(9, 0) - 2.0 / 362880) < 1e-20,
		  "n = 9, S = 0: p = 2/9!");
	CHECK(isnan(pf_distributions_spearman_exact_p(1, 0)) &&
		  isnan(pf_distributions_spearman_exact_p(1291, 0)) &&
		  isnan(pf_distributions_spearman_exact_p(10, NAN)),
		  "no p for n < 2, past 1290, or a NaN S");
	{
		bool		ok = true;

		/* the series stays within [0, 1] for every S of n = 10 and 1290 */
		for (int i = 0; i <= 330 && ok; i += 2)
		{
			double		p = pf_distributions_spearman_exact_p(10, i);

			ok = p >= 0 && p <= 1;
		}
		for (double sv = 0; sv <= 1290.0 * (1290.0 * 1290.0 - 1) / 3 && ok; sv += 1e7)
		{
			double		p = pf_distributions_spearman_exact_p(1290, sv);

			ok = p >= 0 && p <= 1;
		}
		CHECK(ok, "p within [0, 1] over the range of S");
	}
}

/*
 * The same cases through the rank correlations: with exact on, the exact
 * p (R's p_exact_stable) and its method as R names it; with exact off,
 * R's cor.test(exact = FALSE); with ties, exact on gives the
 * approximation, as R does after its warning.
 */
static void
test_choose_p(void)
{
	Csv		   *in = csv_read(FIX "smallsample_corr_input.csv");
	Csv		   *ex = csv_read(FIX "smallsample_corr_expected.csv");
	int			ecase = csv_col(ex, "case_id");
	int			emethod = csv_col(ex, "method");
	int			en = csv_col(ex, "n");
	int			eties = csv_col(ex, "has_ties");
	int			estable = csv_col(ex, "p_exact_stable");
	int			easym = csv_col(ex, "p_asymptotic");
	int			ehow = csv_col(ex, "p_exact_method");
	int			checked = 0;

	for (int row = 0; row < ex->nrows; row++)
	{
		int			id = (int) csv_num(ex, row, ecase);
		bool		kendall = strcmp(csv_str(ex, row, emethod), "kendall") == 0;
		bool		ties = csv_num(ex, row, eties) != 0;
		int64_t		n = (int64_t) csv_num(ex, row, en);
		const char *how = csv_str(ex, row, ehow);
		double		xy[2 * 64];
		double		work[2 * 64];

		if (n > 64 || n < 4)
			continue;
		(void) case_rows(in, id, xy, xy + 1, 2);
		for (int mode = PF_EXACT_ON; mode <= PF_EXACT_OFF; mode++)
		{
			PfCorrelation c;
			double		want;
			PfPMethod	want_how;

			memcpy(work, xy, sizeof(double) * 2 * (size_t) n);
			c = kendall ? pf_rankcorr_kendall(work, n, &n, 1, NULL, 0, 0.95) :
				pf_rankcorr_spearman(work, n, &n, 1, NULL, 0, 0.95);
			if (!c.r_valid || isnan(c.r))
				continue;
			pf_rankcorr_choose_p(&c, kendall, (PfExact) mode);
			if (mode == PF_EXACT_ON && !ties)
			{
				want = csv_num(ex, row, estable);
				want_how = strcmp(how, "edgeworth") == 0 ? PF_P_EDGEWORTH : PF_P_EXACT;
			}
			else
			{
				want = csv_num(ex, row, easym);
				want_how = PF_P_ASYMPTOTIC;
			}
			/*
			 * A perfect correlation: R's r misses 1 by a rounding error,
			 * so its t is finite and its p tiny where this one is 0.
			 */
			CHECK((near(c.p_value, want) ||
				   (fabs(c.r) == 1.0 && want < 1e-20 && c.p_value <= want)) &&
				  c.p_method == want_how && c.ties == ties,
				  "case %d %s, n = %lld, exact %s: p %.17g (method %d), R %.17g (%s)",
				  id, kendall ? "kendall" : "spearman", (long long) n,
				  mode == PF_EXACT_ON ? "on" : "off", c.p_value, (int) c.p_method,
				  want, mode == PF_EXACT_ON && !ties ? how : "asymptotic");
			checked++;
		}
	}
	CHECK(checked >= 40, "%d cases and modes checked", checked);
	csv_free(in);
	csv_free(ex);
}

/*
 * Partial correlation given k = 1..5 controls against R (the residual
 * formulas of ppcor::pcor.test, collinear controls included), and the
 * state built in two parts and merged against the state built whole.
 */
static void
test_partial_many(void)
{
	Csv		   *in = csv_read(FIX "smallsample_pcor_input.csv");
	Csv		   *ex = csv_read(FIX "smallsample_pcor_expected.csv");
	int			cid = csv_col(in, "case_id");
	int			cx = csv_col(in, "x");
	int			cy = csv_col(in, "y");
	int			cz = csv_col(in, "z1");
	int			ecase = csv_col(ex, "case_id");
	int			ek = csv_col(ex, "k");
	int			econf = csv_col(ex, "confidence");
	int			checked = 0;

	for (int row = 0; row < ex->nrows; row++)
	{
		int			id = (int) csv_num(ex, row, ecase);
		int			k = (int) csv_num(ex, row, ek);
		double		conf = csv_num(ex, row, econf);
		size_t		len = pf_moments_partial_many_len(k);
		double	   *whole = calloc(len, sizeof(double));
		double	   *part1 = calloc(len, sizeof(double));
		double	   *part2 = calloc(len, sizeof(double));
		PfCorrelation c;
		PfCorrelation merged;
		int			i = 0;

		pf_moments_partial_many_init(whole, k);
		pf_moments_partial_many_init(part1, k);
		pf_moments_partial_many_init(part2, k);
		for (int r = 0; r < in->nrows; r++)
			if ((int) csv_num(in, r, cid) == id)
			{
				double		z[5];

				for (int j = 0; j < k; j++)
					z[j] = csv_num(in, r, cz + j);
				pf_moments_partial_many_accum(whole, csv_num(in, r, cx), csv_num(in, r, cy), z);
				pf_moments_partial_many_accum(i++ % 3 == 0 ? part1 : part2,
											  csv_num(in, r, cx), csv_num(in, r, cy), z);
			}
		pf_moments_partial_many_combine(part1, part2);
		c = pf_moments_partial_many_result(whole, conf);
		merged = pf_moments_partial_many_result(part1, conf);
		CHECK(c.r_valid && near(c.r, csv_num(ex, row, csv_col(ex, "r"))) &&
			  near(c.p_value, csv_num(ex, row, csv_col(ex, "p_value"))) &&
			  near(c.ci_low, csv_num(ex, row, csv_col(ex, "ci_low"))) &&
			  near(c.ci_high, csv_num(ex, row, csv_col(ex, "ci_high"))) &&
			  pf_moments_partial_many_controls(whole, len) == k,
			  "partial correlation, case %d, %d controls, at %g: r %.17g p %.17g",
			  id, k, conf, c.r, c.p_value);
		CHECK(merged.r_valid && fabs(merged.r - c.r) <= 1e-12 && merged.n == c.n,
			  "case %d: parts merged give r %.17g, whole %.17g", id, merged.r, c.r);
		checked++;
		free(whole);
		free(part1);
		free(part2);
	}
	CHECK(checked >= 90, "%d partial correlation rows checked", checked);
	{
		double		s[8];

		s[0] = 2.5;				/* k not whole */
		CHECK(pf_moments_partial_many_controls(s, 8) == -1 &&
			  pf_moments_partial_many_controls(s, 0) == -1,
			  "a state that is not one is recognised");
	}
	csv_free(in);
	csv_free(ex);
}

/* a value of a fixture that may be Inf; NaN for an empty field */
static bool
near_inf(double got, double want)
{
	if (isinf(want))
		return got == want;
	return near(got, want);
}

/*
 * Odds ratios of 2x2 tables against R: the conditional MLE and its exact
 * interval against fisher.test's method with its roots found to 1e-14
 * (smallsample_or_tight_gen.R; fisher.test's own values agree only to its
 * uniroot tolerance, checked here to 1e-3), Fisher's p, the sample odds
 * ratio and Woolf's interval against smallsample_gen.R.
 */
static void
test_odds_ratio(void)
{
	Csv		   *ex = csv_read(FIX "smallsample_or_expected.csv");
	Csv		   *ti = csv_read(FIX "smallsample_or_tight.csv");
	int			checked = 0;

	for (int row = 0; row < ex->nrows && row < ti->nrows; row++)
	{
		int64_t		a = (int64_t) csv_num(ex, row, csv_col(ex, "a"));
		int64_t		b = (int64_t) csv_num(ex, row, csv_col(ex, "b"));
		int64_t		c = (int64_t) csv_num(ex, row, csv_col(ex, "c"));
		int64_t		d = (int64_t) csv_num(ex, row, csv_col(ex, "d"));
		double		conf = csv_num(ex, row, csv_col(ex, "confidence"));
		double		r_cmle = csv_num(ex, row, csv_col(ex, "or_cmle"));
		double		t_cmle = csv_num(ti, row, csv_col(ti, "or_cmle"));
		double		t_low = csv_num(ti, row, csv_col(ti, "cmle_ci_low"));
		double		t_high = csv_num(ti, row, csv_col(ti, "cmle_ci_high"));
		double		p = csv_num(ex, row, csv_col(ex, "p_fisher"));
		double		sample = csv_num(ex, row, csv_col(ex, "or_sample"));
		double		wl = csv_num(ex, row, csv_col(ex, "woolf_ci_low"));
		double		wh = csv_num(ex, row, csv_col(ex, "woolf_ci_high"));
		PfOddsRatio o = pf_contingency_odds_ratio(a, b, c, d, conf);
		bool		ok = true;

		if (csv_num(ti, row, csv_col(ti, "a")) != (double) a ||
			csv_num(ti, row, csv_col(ti, "confidence")) != conf)
		{
			CHECK(false, "row %d: the two fixtures do not line up", row);
			break;
		}
		if (!isnan(t_cmle))
			ok = o.ratio_valid && near_inf(o.ratio, t_cmle) &&
				near_inf(o.ci_low, t_low) && near_inf(o.ci_high, t_high) &&
				(isinf(r_cmle) || r_cmle == 0 ? o.ratio == r_cmle :
				 fabs(o.ratio / r_cmle - 1) < 1e-3) &&
				o.p_valid && near(o.p_value, p);
		else
			ok = !o.ratio_valid;
		ok = ok && (isnan(sample) ? !o.sample_valid :
					o.sample_valid && near_inf(o.sample, sample));
		ok = ok && (isnan(wl) ? !o.woolf_valid :
					o.woolf_valid && near(o.woolf_low, wl) && near(o.woolf_high, wh));
		CHECK(ok, "odds ratio of %lld %lld %lld %lld at %g: cmle %.17g (%.17g .. %.17g) p %.17g, "
			  "R %.17g (%.17g .. %.17g) p %.17g",
			  (long long) a, (long long) b, (long long) c, (long long) d, conf,
			  o.ratio, o.ci_low, o.ci_high, o.p_value, t_cmle, t_low, t_high, p);
		checked++;
	}
	CHECK(checked >= 90, "%d odds-ratio rows checked", checked);
	CHECK(PF_TRY(pf_contingency_odds_ratio(1, 2, 3, 4, 1.5)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER &&
		  PF_TRY(pf_contingency_odds_ratio(-1, 2, 3, 4, 0.95)),
		  "a bad confidence or a negative count is refused");
	csv_free(ex);
	csv_free(ti);
}

UNIT_MAIN_BEGIN
	test_against_r();
	test_odds_ratio();
	test_partial_many();
	test_choose_p();
	test_by_hand();
UNIT_MAIN_END

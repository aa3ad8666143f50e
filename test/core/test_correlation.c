/*
 * test_correlation.c
 *	  Unit tests of the correlation result: every method (moments_core.c,
 *	  rankcorr_core.c) against the scipy and numpy fixtures of
 *	  test/fixtures/correlation_gen.py (r, p-value and interval), and the
 *	  code every correlation shares (correlation_core.c) against hand
 *	  calculations: the t test's p-value, Fisher's interval, the checks of
 *	  confidence and state counts.
 *
 * Run from the repository root (the fixtures are read from test/fixtures),
 * or set PF_FIXTURES to their directory.
 */
#include "corr_cases.h"
#include "fixture.h"
#include "host.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "moments_core.h"
#include "rankcorr_core.h"

#define REL_TOL 1e-10


/* Spearman or Kendall of n pairs, on a copy (the core works in place). */
static PfCorrelation
rank_of_copy(bool kendall, const double *xy, int64_t n, double conf)
{
	double	   *work = malloc(sizeof(double) * 2 * (size_t) (n > 0 ? n : 1));
	PfCorrelation res;

	if (n > 0)
		memcpy(work, xy, sizeof(double) * 2 * (size_t) n);
	res = kendall ? pf_rankcorr_kendall(work, n, &n, 1, NULL, 0, conf) :
		pf_rankcorr_spearman(work, n, &n, 1, NULL, 0, conf);
	free(work);
	return res;
}




/* ---------------------------------------------------------------------
 * The cases of correlation_input.csv
 * ---------------------------------------------------------------------
 */


static PfCorrelation
run_method(const char *method, const Case *c, double conf)
{
	if (strcmp(method, "pearson") == 0)
	{
		PfPearsonState s;

		memset(&s, 0, sizeof(s));
		for (int64_t i = 0; i < c->n; i++)
			pf_moments_pearson_accum(&s, c->xy[2 * i], c->xy[2 * i + 1]);
		return pf_moments_pearson_result(&s, conf);
	}
	if (strcmp(method, "spearman") == 0 || strcmp(method, "kendall") == 0)
		return rank_of_copy(method[0] == 'k', c->xy, c->n, conf);
	if (strcmp(method, "partial") == 0)
	{
		PfPartialState s;

		memset(&s, 0, sizeof(s));
		for (int64_t i = 0; i < c->n; i++)
			pf_moments_partial_accum(&s, c->xy[2 * i], c->xy[2 * i + 1], c->z[i]);
		return pf_moments_partial_result(&s, conf);
	}
	if (strcmp(method, "weighted") == 0)
	{
		PfWeightedState s;

		memset(&s, 0, sizeof(s));
		for (int64_t i = 0; i < c->n; i++)
			pf_moments_weighted_accum(&s, c->xy[2 * i], c->xy[2 * i + 1], c->w[i]);
		return pf_moments_weighted_result(&s);
	}
	fprintf(stderr, "unknown method %s\n", method);
	exit(2);
}

/* worst relative errors seen, per quantity, and where */
static double worst_r,
			worst_p,
			worst_ci;
static char worst_where[3][64];


static void
check_value(const char *what, int id, const char *method, bool got_valid,
			double got, bool want_valid, double want, double abs_floor,
			double *worst)
{
	if (!want_valid)
	{
		CHECK(!got_valid, "case %d %s %s: want NULL, got %.17g", id, method,
			  what, got);
		return;
	}
	CHECK(got_valid && close_rel(got, want, REL_TOL, abs_floor),
		  "case %d %s %s: want %.17g, got %.17g%s", id, method, what, want,
		  got, got_valid ? "" : " (NULL)");
	if (got_valid && fabs(got - want) > abs_floor &&
		rel_err(got, want) > *worst)
	{
		int			k = worst == &worst_r ? 0 : worst == &worst_p ? 1 :
			worst == &worst_ci ? 2 : -1;

		*worst = rel_err(got, want);
		if (k >= 0)
			snprintf(worst_where[k], sizeof(worst_where[k]), "case %d %s",
					 id, method);
	}
}

static void
test_fixture(void)
{
	FILE	   *f = open_fixture("correlation_expected.csv");
	char		line[512];
	char	   *fld[8];
	int			rows = 0;

	if (fgets(line, sizeof(line), f) == NULL)
		exit(2);
	while (fgets(line, sizeof(line), f))
	{
		int			id;
		const char *method;
		double		conf;
		int64_t		n;
		bool		rv,
					pv,
					lv,
					hv;
		double		r,
					p,
					lo,
					hi;
		PfCorrelation res;

		if (split_csv(line, fld, 8) != 8)
			continue;
		id = atoi(fld[0]);
		method = fld[1];
		conf = strtod(fld[2], NULL);
		n = atoll(fld[3]);
		r = field_double(fld[4], &rv);
		p = field_double(fld[5], &pv);
		lo = field_double(fld[6], &lv);
		hi = field_double(fld[7], &hv);
		if (id < 1 || id > ncases)
		{
			CHECK(false, "case %d missing from the input", id);
			continue;
		}
		res = run_method(method, &cases[id - 1], conf);
		rows++;

		CHECK(res.n == n, "case %d %s: n %lld, want %lld", id, method,
			  (long long) res.n, (long long) n);
		check_value("r", id, method, res.r_valid, res.r, rv, r, 1e-15,
					&worst_r);
		check_value("p", id, method, res.p_valid, res.p_value, pv, p,
					pv && p < 1e-300 ? 1e-14 : 0.0, &worst_p);
		check_value("ci_low", id, method, res.ci_valid, res.ci_low, lv, lo,
					1e-15, &worst_ci);
		check_value("ci_high", id, method, res.ci_valid, res.ci_high, hv, hi,
					1e-15, &worst_ci);
	}
	fclose(f);
	CHECK(rows >= 1500, "only %d expected rows", rows);
	printf("# fixture rows %d; worst relative error r %.3g (%s), "
		   "p %.3g (%s), ci %.3g (%s)\n", rows, worst_r, worst_where[0],
		   worst_p, worst_where[1], worst_ci, worst_where[2]);
}

/* ---------------------------------------------------------------------
 * The shared result code, by hand
 * ---------------------------------------------------------------------
 */

static void
test_shared(void)
{
	PfCorrelation res;
	const double h = 1.959963984540054;	/* z_0.975 */
	double		t;
	double		want_p;

	/*
	 * r = 0.9 of n = 5 rows: t = 0.9 sqrt(3 / 0.19) with 3 df, whose
	 * two-sided p is 1 - (2/pi) (t / (sqrt 3 (1 + t^2/3)) + atan(t / sqrt 3));
	 * the 95% interval is tanh(atanh 0.9 -+ 1.959964 / sqrt 2).
	 */
	res = pf_correlation_empty(5);
	res.r = 0.9;
	res.r_valid = true;
	pf_correlation_finish(&res, 3.0, 1.0 / sqrt(2.0), 0.95);
	t = 0.9 * sqrt(3.0 / 0.19);
	want_p = 1.0 - (2.0 / M_PI) * (t / (sqrt(3.0) * (1.0 + t * t / 3.0)) +
								   atan(t / sqrt(3.0)));
	CHECK(res.p_valid && close_rel(res.p_value, want_p, 1e-13, 0.0) &&
		  close_rel(res.p_value, 0.0373860734685, 1e-11, 0.0),
		  "p of r = 0.9, n = 5: %.17g, want %.17g", res.p_value, want_p);
	CHECK(res.ci_valid &&
		  close_rel(res.ci_low, tanh(atanh(0.9) - h / sqrt(2.0)), 1e-14, 0.0) &&
		  close_rel(res.ci_high, tanh(atanh(0.9) + h / sqrt(2.0)), 1e-14, 0.0) &&
		  fabs(res.ci_low - 0.0861) < 5e-5 && fabs(res.ci_high - 0.9934) < 5e-5,
		  "interval of r = 0.9, n = 5: [%.17g, %.17g]", res.ci_low, res.ci_high);

	/* no degrees of freedom: p is 1; |r| = 1: p is 0; se 0: no interval */
	res = pf_correlation_empty(2);
	res.r = -1.0;
	res.r_valid = true;
	pf_correlation_finish(&res, 0.0, 0.0, 0.95);
	CHECK(res.p_valid && res.p_value == 1.0 && !res.ci_valid,
		  "two rows: p %g, interval %d", res.p_value, res.ci_valid);
	res = pf_correlation_empty(10);
	res.r = 1.0;
	res.r_valid = true;
	pf_correlation_finish(&res, 8.0, 1.0 / sqrt(7.0), 0.9);
	CHECK(res.p_value == 0.0 && res.ci_low == 1.0 && res.ci_high == 1.0,
		  "r = 1: p %g, interval [%g, %g]", res.p_value, res.ci_low, res.ci_high);
	res = pf_correlation_empty(10);
	res.r = NAN;
	res.r_valid = true;
	pf_correlation_finish(&res, 8.0, 1.0 / sqrt(7.0), 0.9);
	CHECK(isnan(res.p_value) && isnan(res.ci_low) && isnan(res.ci_high),
		  "r = NaN: p and interval NaN");

	res = pf_correlation_empty(7);
	CHECK(res.n == 7 && !res.r_valid && !res.p_valid && !res.ci_valid,
		  "empty result");
	res = pf_correlation_nan(7, true);
	CHECK(res.r_valid && isnan(res.r) && res.p_valid && isnan(res.p_value) &&
		  res.ci_valid && isnan(res.ci_low), "NaN result with an interval");
	res = pf_correlation_nan(3, false);
	CHECK(res.r_valid && !res.ci_valid, "NaN result without an interval");

	/* co-moments: rounding above 1 is clamped; an underflowing product */
	CHECK(pf_correlation_from_comoments(1.0, 1.0, 1.0 - 1e-16) == 1.0,
		  "r clamped to 1");
	CHECK(pf_correlation_from_comoments(-1e-200, 1e-200, 1e-200) == -1.0,
		  "co-moments whose product underflows: %.17g",
		  pf_correlation_from_comoments(-1e-200, 1e-200, 1e-200));

	/* the confidence level, and the count of a state from SQL */
	CHECK(!PF_TRY(pf_correlation_check_confidence(0.95)) &&
		  !PF_TRY(pf_correlation_check_confidence(1e-300)) &&
		  !PF_TRY(pf_correlation_check_confidence(0.9999999)),
		  "confidence levels inside (0, 1) are accepted");
	CHECK(PF_TRY(pf_correlation_check_confidence(1.0)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER &&
		  strcmp(pf_last_error_message, "confidence level 1 is out of range") == 0,
		  "confidence 1 is rejected: %s", pf_last_error_message);
	CHECK(PF_TRY(pf_correlation_check_confidence(0.0)) &&
		  PF_TRY(pf_correlation_check_confidence(-0.5)) &&
		  PF_TRY(pf_correlation_check_confidence(NAN)) &&
		  PF_TRY(pf_correlation_check_confidence(INFINITY)),
		  "confidence 0, -0.5, NaN and infinity are rejected");
	CHECK(pf_correlation_state_count(0.0) == 0 &&
		  pf_correlation_state_count(12345.0) == 12345, "state counts");
	CHECK(PF_TRY(pf_correlation_state_count(-1.0)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER &&
		  PF_TRY(pf_correlation_state_count(2.5)) &&
		  PF_TRY(pf_correlation_state_count(NAN)) &&
		  PF_TRY(pf_correlation_state_count(1e19)),
		  "counts that are not whole numbers in range are refused");

	/* every statistic checks the confidence, even without rows */
	{
		PfPearsonState s;
		int64_t		zero = 0;

		memset(&s, 0, sizeof(s));
		CHECK(PF_TRY(pf_moments_pearson_result(&s, 1.0)) &&
			  PF_TRY(pf_rankcorr_kendall(NULL, 0, &zero, 1, NULL, 0, 0.0)) &&
			  PF_TRY(pf_rankcorr_spearman(NULL, 0, &zero, 1, NULL, 0, NAN)),
			  "the statistics check the confidence level");
	}
}

UNIT_MAIN_BEGIN
{
	const char *dir = getenv("PF_FIXTURES");

	if (dir != NULL)
		fixture_dir = dir;
	load_cases();
	CHECK(ncases >= 300, "only %d fixture cases", ncases);
	test_fixture();
	test_shared();
	for (int i = 0; i < ncases; i++)
	{
		free(cases[i].xy);
		free(cases[i].z);
		free(cases[i].w);
	}
	free(cases);
}
UNIT_MAIN_END

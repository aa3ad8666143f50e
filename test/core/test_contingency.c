/*
 * test_contingency.c
 *	  Unit tests of contingency_core.c: the risk ratio against scipy's
 *	  relative_risk and fisher_exact, the net promoter score against its
 *	  formula (test/fixtures/correlation_gen.py writes both fixtures), a
 *	  table worked by hand, and the errors.
 *
 * Run from the repository root (the fixtures are read from test/fixtures),
 * or set PF_FIXTURES to their directory.
 */
#include "fixture.h"
#include "host.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "contingency_core.h"

#define REL_TOL 1e-10






/* one value against the fixture's (NULL there: invalid here) */
static void
check_value(const char *what, int id, bool got_valid, double got,
			bool want_valid, double want, double abs_floor, double *worst)
{
	if (!want_valid)
	{
		CHECK(!got_valid, "case %d %s: want NULL, got %.17g", id, what, got);
		return;
	}
	CHECK(got_valid && close_rel(got, want, REL_TOL, abs_floor),
		  "case %d %s: want %.17g, got %.17g%s", id, what, want, got,
		  got_valid ? "" : " (NULL)");
	if (got_valid && fabs(got - want) > abs_floor && rel_err(got, want) > *worst)
		*worst = rel_err(got, want);
}

static void
test_riskratio_fixture(void)
{
	FILE	   *f = open_fixture("correlation_riskratio.csv");
	char		line[512];
	char	   *fld[11];
	double		worst = 0.0;

	if (fgets(line, sizeof(line), f) == NULL)
		exit(2);
	while (fgets(line, sizeof(line), f))
	{
		int			id;
		bool		v[6];
		double		want[6];
		PfRiskRatio rr;

		if (split_csv(line, fld, 11) != 11)
			continue;
		id = atoi(fld[0]);
		for (int k = 0; k < 6; k++)
			want[k] = field_double(fld[5 + k], &v[k]);
		rr = pf_contingency_risk_ratio(atoll(fld[1]), atoll(fld[2]), atoll(fld[3]),
						   atoll(fld[4]));
		check_value("risk_exposed", id, rr.risk_exposed_valid,
					rr.risk_exposed, v[0], want[0], 0.0, &worst);
		check_value("risk_unexposed", id, rr.risk_unexposed_valid, rr.risk_unexposed, v[1], want[1],
					0.0, &worst);
		check_value("ratio", id, rr.ratio_valid, rr.ratio, v[2],
					want[2], 0.0, &worst);
		check_value("ci_low", id, rr.ci_valid, rr.ci_low, v[3],
					want[3], 0.0, &worst);
		check_value("ci_high", id, rr.ci_valid, rr.ci_high, v[4],
					want[4], 0.0, &worst);
		check_value("p", id, rr.p_valid, rr.p_value, v[5],
					want[5], 0.0, &worst);
	}
	fclose(f);
	printf("# risk ratio worst relative error %.3g\n", worst);
}

static void
test_nps_fixture(void)
{
	FILE	   *f = open_fixture("correlation_nps.csv");
	char		line[512];
	char	   *fld[7];
	double		worst = 0.0;

	if (fgets(line, sizeof(line), f) == NULL)
		exit(2);
	while (fgets(line, sizeof(line), f))
	{
		int			id;
		bool		v1,
					v2;
		double		nps,
					margin;
		PfNps		res;

		if (split_csv(line, fld, 7) != 7)
			continue;
		id = atoi(fld[0]);
		nps = field_double(fld[5], &v1);
		margin = field_double(fld[6], &v2);
		res = pf_contingency_nps(atoll(fld[1]), atoll(fld[2]), atoll(fld[3]),
					 atoll(fld[4]));
		check_value("nps", id, res.valid, res.nps, v1, nps, 1e-13,
					&worst);
		check_value("margin", id, res.valid, res.margin, v2, margin,
					1e-13, &worst);
	}
	fclose(f);
	printf("# nps worst relative error %.3g\n", worst);
}

/*
 * The regression test's table: exposed 3 of whom 2 churned, unexposed 4 of
 * whom 1 churned.  Risks 2/3 and 1/4, ratio 8/3; Katz se = sqrt(1/2 - 1/3
 * + 1/1 - 1/4); Fisher's exact test on [[2, 1], [1, 3]]: the tables with
 * the same margins have probabilities 4, 18, 12, 1 (over 35) for a = 0..3,
 * and those at most as likely as a = 2 (12/35) sum to 17/35.
 */
static void
test_by_hand(void)
{
	PfRiskRatio rr = pf_contingency_risk_ratio(3, 2, 4, 1);
	double		se = sqrt(1.0 / 2 - 1.0 / 3 + 1.0 / 1 - 1.0 / 4);
	PfNps		nps;

	CHECK(rr.risk_exposed == 2.0 / 3 && rr.risk_unexposed == 0.25 &&
		  close_rel(rr.ratio, 8.0 / 3, 1e-15, 0.0),
		  "risks %.17g %.17g ratio %.17g", rr.risk_exposed, rr.risk_unexposed, rr.ratio);
	CHECK(rr.ci_valid && close_rel(rr.ci_low, 8.0 / 3 * exp(-PF_Z_975 * se), 1e-14, 0.0) &&
		  close_rel(rr.ci_high, 8.0 / 3 * exp(PF_Z_975 * se), 1e-14, 0.0),
		  "Katz interval [%.17g, %.17g]", rr.ci_low, rr.ci_high);
	CHECK(rr.p_valid && close_rel(rr.p_value, 17.0 / 35, 1e-14, 0.0),
		  "Fisher p %.17g, want 17/35", rr.p_value);

	/* no unexposed event: no ratio; an empty group: no risk for it */
	rr = pf_contingency_risk_ratio(5, 2, 4, 0);
	CHECK(!rr.ratio_valid && !rr.ci_valid && rr.p_valid, "no unexposed event");
	rr = pf_contingency_risk_ratio(5, 2, 0, 0);
	CHECK(rr.risk_exposed_valid && !rr.risk_unexposed_valid && !rr.ratio_valid,
		  "no unexposed group");
	rr = pf_contingency_risk_ratio(0, 0, 0, 0);
	CHECK(!rr.p_valid && !rr.risk_exposed_valid, "no rows");

	/*
	 * scores 10 9 8 7 6 0 10: promoters 3, passives 2, detractors 2 of 7;
	 * nps = 100 (3 - 2) / 7, margin = 100 z sqrt((5/7 - 1/49) / 7)
	 */
	nps = pf_contingency_nps(7, 3, 2, 2);
	CHECK(nps.valid && close_rel(nps.nps, 100.0 / 7, 1e-14, 0.0) &&
		  close_rel(nps.margin, 100.0 * PF_Z_975 * sqrt((5.0 / 7 - 1.0 / 49) / 7), 1e-14, 0.0),
		  "nps %.17g margin %.17g", nps.nps, nps.margin);
	nps = pf_contingency_nps(2, 2, 0, 0);
	CHECK(nps.valid && nps.nps == 100.0 && nps.margin == 0.0, "all promoters");
	nps = pf_contingency_nps(0, 0, 0, 0);
	CHECK(!nps.valid && nps.n == 0, "NPS of nobody is NULL");
}

static void
test_errors(void)
{
	CHECK(PF_TRY(pf_contingency_risk_ratio(10, 11, 10, 1)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER &&
		  strcmp(pf_last_error_message, "events must not exceed the group size") == 0,
		  "events above group size are rejected");
	CHECK(PF_TRY(pf_contingency_risk_ratio(-1, 0, 10, 1)) &&
		  strcmp(pf_last_error_message, "counts must not be negative") == 0,
		  "negative count is rejected");
	CHECK(PF_TRY(pf_contingency_risk_ratio(INT64_MAX, 0, 1, 0)) &&
		  pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
		  "group sizes that overflow are rejected");
	CHECK(PF_TRY(pf_contingency_nps(10, 5, 5, 1)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "NPS counts must add up");
	CHECK(PF_TRY(pf_contingency_nps(-1, 0, 0, 0)) &&
		  strcmp(pf_last_error_message, "counts must not be negative") == 0,
		  "negative NPS count is rejected");
}

/*
 * The forms with a level: at 0.95 the default's interval and margin (z
 * from the quantile function rather than the constant, so to 1e-14); at
 * 0.90 narrower and at 0.99 wider, by the ratio of their z (1.6448536269514722
 * and 2.5758293035489004, qnorm(0.95) and qnorm(0.995) in R); a level
 * outside (0, 1) refused.
 */
static void
test_levels(void)
{
	PfRiskRatio d = pf_contingency_risk_ratio(20, 5, 30, 3);
	PfRiskRatio r95 = pf_contingency_risk_ratio_at(20, 5, 30, 3, 0.95);
	PfRiskRatio r90 = pf_contingency_risk_ratio_at(20, 5, 30, 3, 0.90);
	PfNps		n95 = pf_contingency_nps_at(100, 50, 30, 20, 0.95);
	PfNps		n99 = pf_contingency_nps_at(100, 50, 30, 20, 0.99);
	PfNps		nd = pf_contingency_nps(100, 50, 30, 20);
	double		half95 = log(d.ci_high / d.ratio);

	CHECK(fabs(r95.ci_low - d.ci_low) <= 1e-14 * d.ci_low &&
		  fabs(r95.ci_high - d.ci_high) <= 1e-14 * d.ci_high &&
		  r95.p_value == d.p_value && r95.ratio == d.ratio,
		  "risk ratio at 0.95 is the default");
	CHECK(fabs(log(r90.ci_high / r90.ratio) / half95 -
			   1.6448536269514722 / 1.959963984540054) < 1e-13,
		  "at 0.90 the log half-width scales by z(0.95) / z(0.975)");
	CHECK(fabs(n95.margin - nd.margin) <= 1e-14 * nd.margin &&
		  fabs(n99.margin / nd.margin - 2.5758293035489004 / 1.959963984540054) < 1e-13,
		  "nps margin at 0.95 is the default, at 0.99 wider by the ratio of z");
	CHECK(PF_TRY(pf_contingency_risk_ratio_at(20, 5, 30, 3, 1.0)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER &&
		  PF_TRY(pf_contingency_nps_at(10, 5, 3, 2, 0.0)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER &&
		  PF_TRY(pf_contingency_nps_at(10, 5, 3, 2, NAN)),
		  "levels outside (0, 1) are refused");
}

UNIT_MAIN_BEGIN
{
	const char *dir = getenv("PF_FIXTURES");

	if (dir != NULL)
		fixture_dir = dir;
	test_riskratio_fixture();
	test_nps_fixture();
	test_by_hand();
	test_errors();
	test_levels();
}
UNIT_MAIN_END

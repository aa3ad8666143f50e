/*
 * test_distributions.c
 *	  Unit test of the distributions core: every row of the scipy fixture
 *	  (test/fixtures/distributions.csv, written by distributions_gen.py),
 *	  then the invalid arguments and special values the fixture cannot
 *	  hold.
 *
 * Usage: test_distributions [fixture.csv]
 *
 * A row passes when the result is within 1e-12 relative of the expected
 * value, 1e-10 relative when that is below 1e-100, or 1e-14 absolute when it
 * is below 1e-300 (see within_tolerance for scipy's hypergeometric rows).
 * The worst relative error per function is printed as TAP comments.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "distributions_core.h"
#include "host.h"

int			unit_tests_run = 0;
int			unit_tests_failed = 0;

#define MAX_FIELDS 8

/* What the fixture names, with the number of arguments and their use. */
typedef struct FixtureFunc
{
	const char *name;
	int			nargs;
	double		worst;			/* largest relative error seen */
	char		worst_line[256];
	double		worst_big;		/* the same where the value is >= 1e-100 */
	int			rows;
} FixtureFunc;

static FixtureFunc funcs[] = {
	{"norm_cdf", 1, 0.0, "", 0.0, 0},
	{"norm_sf", 1, 0.0, "", 0.0, 0},
	{"norm_ppf", 1, 0.0, "", 0.0, 0},
	{"t_sf", 2, 0.0, "", 0.0, 0},
	{"t_two_sided_p", 2, 0.0, "", 0.0, 0},
	{"kendall_exact_p", 2, 0.0, "", 0.0, 0},
	{"hypergeom_pmf", 4, 0.0, "", 0.0, 0},
	{"fisher_exact_p", 4, 0.0, "", 0.0, 0},
	{"hypergeom_pmf_ref", 4, 0.0, "", 0.0, 0},
	{"fisher_exact_p_ref", 4, 0.0, "", 0.0, 0},
};

#define NFUNCS ((int) (sizeof(funcs) / sizeof(funcs[0])))

static double
call(int which, const double *x, const int64_t *k)
{
	switch (which)
	{
		case 0:
			return pf_distributions_norm_cdf(x[0]);
		case 1:
			return pf_distributions_norm_sf(x[0]);
		case 2:
			return pf_distributions_norm_ppf(x[0]);
		case 3:
			return pf_distributions_t_sf(x[0], x[1]);
		case 4:
			return pf_distributions_t_two_sided_p(x[0], x[1]);
		case 5:
			return pf_distributions_kendall_exact_p(k[0], k[1]);
		case 6:
		case 8:
			return pf_distributions_hypergeom_pmf(k[0], k[1], k[2], k[3]);
		default:
			return pf_distributions_fisher_exact_p(k[0], k[1], k[2], k[3]);
	}
}

/*
 * The tolerances promised in distributions_core.h.  scipy's hypergeometric
 * probabilities (from Boost) are themselves off by up to about 1e-16 times
 * the total beyond a total of 10^5, so against scipy's values for such
 * tables the relative tolerance grows as 5e-16 times the total; the
 * 60-digit reference rows (*_ref) hold the tight tolerance at every size.
 */
static bool
within_tolerance(double got, double want, double total)
{
	double		aw = fabs(want);
	double		rel = 1e-12;

	if (total > 1e5)
		rel += 5e-16 * total;
	if (aw < 1e-300)
		return close_rel(got, want, 0.0, 1e-14);
	if (aw < 1e-100)
		return close_rel(got, want, rel > 1e-10 ? rel : 1e-10, 0.0);
	return close_rel(got, want, rel, 0.0);
}

static void
run_fixture(const char *path)
{
	FILE	   *f = fopen(path, "r");
	char		line[1024];
	int			lineno = 0;

	CHECK(f != NULL, "cannot open fixture \"%s\": %s", path, strerror(errno));
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
	{
		char		copy[1024];
		char	   *fields[MAX_FIELDS + 2];
		int			nfields = 0;
		char	   *tok;
		char	   *save = NULL;
		int			which;
		double		x[MAX_FIELDS];
		int64_t		k[MAX_FIELDS];
		double		want,
					got,
					rel,
					total;
		int			i;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		snprintf(copy, sizeof(copy), "%s", line);
		for (tok = strtok_r(copy, ",", &save); tok != NULL && nfields < MAX_FIELDS + 2;
			 tok = strtok_r(NULL, ",", &save))
			fields[nfields++] = tok;

		for (which = 0; which < NFUNCS; which++)
			if (nfields > 0 && strcmp(fields[0], funcs[which].name) == 0)
				break;
		if (which == NFUNCS || nfields != funcs[which].nargs + 2)
		{
			CHECK(false, "%s:%d: malformed fixture line \"%s\"", path, lineno, line);
			continue;
		}
		for (i = 0; i < funcs[which].nargs; i++)
		{
			x[i] = strtod(fields[i + 1], NULL);
			k[i] = strtoll(fields[i + 1], NULL, 10);
		}
		want = strtod(fields[funcs[which].nargs + 1], NULL);
		got = call(which, x, k);
		/* the total of scipy's own hypergeometric rows, else 0 */
		total = 0.0;
		if (which == 6)
			total = x[1];
		else if (which == 7)
			total = x[0] + x[1] + x[2] + x[3];

		if (want == got)
			rel = 0.0;
		else if (fabs(want) < 1e-300)
			rel = 0.0;			/* judged in absolute terms only */
		else
			rel = fabs(got - want) / fabs(want);
		if (isnan(rel))
			rel = INFINITY;
		funcs[which].rows++;
		if (fabs(want) >= 1e-100 && rel > funcs[which].worst_big)
			funcs[which].worst_big = rel;
		if (rel > funcs[which].worst)
		{
			funcs[which].worst = rel;
			snprintf(funcs[which].worst_line, sizeof(funcs[which].worst_line),
					 "%.200s (got %.17g)", line, got);
		}
		CHECK(within_tolerance(got, want, total), "%s:%d: %s: got %.17g, want %.17g",
			  path, lineno, line, got, want);
	}
	fclose(f);
}

/* What the fixture cannot express: invalid arguments and exact identities. */
static void
run_special_cases(void)
{
	CHECK(isnan(pf_distributions_norm_cdf(NAN)), "norm_cdf(nan) is nan");
	CHECK(pf_distributions_norm_cdf(INFINITY) == 1.0 && pf_distributions_norm_cdf(-INFINITY) == 0.0,
		  "norm_cdf(+-inf)");
	CHECK(pf_distributions_norm_sf(INFINITY) == 0.0 && pf_distributions_norm_sf(-INFINITY) == 1.0,
		  "norm_sf(+-inf)");
	CHECK(pf_distributions_norm_cdf(0.0) == 0.5 && pf_distributions_norm_sf(0.0) == 0.5, "normal at 0");

	CHECK(isnan(pf_distributions_norm_ppf(0.0)) && isnan(pf_distributions_norm_ppf(1.0)) &&
		  isnan(pf_distributions_norm_ppf(-0.5)) && isnan(pf_distributions_norm_ppf(1.5)) &&
		  isnan(pf_distributions_norm_ppf(NAN)), "norm_ppf outside (0,1) is nan");
	CHECK(pf_distributions_norm_ppf(0.5) == 0.0, "norm_ppf(0.5) is 0");
	CHECK(pf_distributions_norm_ppf(0.975) == -pf_distributions_norm_ppf(0.025 + 0.0) ||
		  close_rel(pf_distributions_norm_ppf(0.975), -pf_distributions_norm_ppf(0.025), 1e-15, 0.0),
		  "norm_ppf is odd about 0.5");

	CHECK(isnan(pf_distributions_t_sf(1.0, 0.0)) && isnan(pf_distributions_t_sf(1.0, -1.0)) &&
		  isnan(pf_distributions_t_sf(NAN, 3.0)) && isnan(pf_distributions_t_sf(1.0, NAN)),
		  "t_sf with df <= 0 or nan is nan");
	CHECK(pf_distributions_t_sf(INFINITY, 3.0) == 0.0 && pf_distributions_t_sf(-INFINITY, 3.0) == 1.0,
		  "t_sf(+-inf)");
	CHECK(pf_distributions_t_sf(0.0, 7.0) == 0.5, "t_sf(0) is 1/2");
	CHECK(close_rel(pf_distributions_t_sf(2.0, INFINITY), pf_distributions_norm_sf(2.0), 1e-15, 0.0),
		  "t with infinite df is the normal");
	CHECK(pf_distributions_t_two_sided_p(INFINITY, 3.0) == 0.0 &&
		  pf_distributions_t_two_sided_p(-INFINITY, 3.0) == 0.0, "two-sided p at +-inf is 0");
	CHECK(pf_distributions_t_two_sided_p(0.0, 3.0) == 1.0, "two-sided p at 0 is 1");
	CHECK(isnan(pf_distributions_t_two_sided_p(1.0, 0.0)), "two-sided p with df 0 is nan");
	/* t with one degree of freedom is Cauchy: P(T > t) = atan(1/t) / pi */
	CHECK(close_rel(pf_distributions_t_sf(1e200, 1.0), atan(1e-200) / 3.141592653589793, 1e-12, 0.0),
		  "Cauchy tail at t = 1e200: got %.17g", pf_distributions_t_sf(1e200, 1.0));
	/* with two, P(T > t) = (1 - t / sqrt(t^2 + 2)) / 2, about 1 / (2 t^2) */
	CHECK(close_rel(pf_distributions_t_sf(1e150, 2.0), 0.5e-300, 1e-12, 0.0),
		  "t tail at t = 1e150, df = 2: got %.17g", pf_distributions_t_sf(1e150, 2.0));

	CHECK(isnan(pf_distributions_kendall_exact_p(0, 0)) && isnan(pf_distributions_kendall_exact_p(-3, 0)) &&
		  isnan(pf_distributions_kendall_exact_p(5, -1)) && isnan(pf_distributions_kendall_exact_p(5, 11)),
		  "kendall with invalid n or c is nan");
	CHECK(pf_distributions_kendall_exact_p(1, 0) == 1.0, "kendall n = 1");
	CHECK(pf_distributions_kendall_exact_p(7, 5) == pf_distributions_kendall_exact_p(7, 21 - 5),
		  "kendall takes either count");
	CHECK(pf_distributions_kendall_exact_p(INT64_C(5000000000), 1) == 0.0,
		  "kendall with huge n and c <= 1 is 0");

	CHECK(isnan(pf_distributions_hypergeom_pmf(0, 0, 0, 0)) && isnan(pf_distributions_hypergeom_pmf(1, 5, 6, 2)) &&
		  isnan(pf_distributions_hypergeom_pmf(1, 5, 2, 6)) && isnan(pf_distributions_hypergeom_pmf(1, 5, -1, 2)),
		  "hypergeom with invalid parameters is nan");
	CHECK(pf_distributions_hypergeom_pmf(-1, 10, 5, 3) == 0.0 && pf_distributions_hypergeom_pmf(4, 10, 5, 3) == 0.0,
		  "hypergeom outside the support is 0");

	CHECK(isnan(pf_distributions_fisher_exact_p(-1, 2, 3, 4)) && isnan(pf_distributions_fisher_exact_p(1, 2, 3, -4)),
		  "fisher with a negative count is nan");
	CHECK(pf_distributions_fisher_exact_p(0, 0, 3, 4) == 1.0 && pf_distributions_fisher_exact_p(0, 5, 0, 4) == 1.0,
		  "fisher with an empty row or column is 1");
	CHECK(pf_distributions_fisher_exact_p(3, 9, 7, 2) == pf_distributions_fisher_exact_p(2, 7, 9, 3) &&
		  pf_distributions_fisher_exact_p(3, 9, 7, 2) == pf_distributions_fisher_exact_p(9, 3, 2, 7),
		  "fisher is symmetric under row and column swaps");
	/* a large balanced table: one million in total */
	{
		double		p = pf_distributions_fisher_exact_p(250000, 250000, 250000, 250000);
		double		q = pf_distributions_fisher_exact_p(251000, 249000, 249000, 251000);

		CHECK(p == 1.0, "fisher at the mode of a 10^6 table is 1: got %.17g", p);
		CHECK(q > 0.0 && q < 1e-3, "fisher off the mode of a 10^6 table: got %.17g", q);
	}
}

int
main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "test/fixtures/distributions.csv";
	int			i;

	run_fixture(path);
	run_special_cases();
	for (i = 0; i < NFUNCS; i++)
		printf("# %-18s %5d rows, worst relative error %.3g (%.3g where >= 1e-100)%s%s\n",
			   funcs[i].name, funcs[i].rows, funcs[i].worst, funcs[i].worst_big,
			   funcs[i].worst > 0 ? " at " : "", funcs[i].worst_line);
	printf("1..%d\n", unit_tests_run);
	if (unit_tests_failed != 0)
		printf("# %d of %d checks failed\n", unit_tests_failed, unit_tests_run);
	return unit_tests_failed != 0;
}

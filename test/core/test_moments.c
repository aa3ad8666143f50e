/*
 * test_moments.c
 *	  Unit tests of moments_core.c: states merged in random parts equal one
 *	  pass over the fixture cases of test/fixtures/correlation_gen.py,
 *	  NIST's Norris data, constant columns, NaN, infinity and overflow,
 *	  weights, and states that come back corrupt.  Agreement with scipy is
 *	  in test_correlation.c.
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

#define PF_TEST_RNG_SEED UINT64_C(0x9E3779B97F4A7C15)
#include "rng.h"

/*
 * Two results agree: r and the interval to tol, p to tol plus what the
 * difference in r explains.  Near |r| = 1 the p-value of the t test with df
 * degrees of freedom has condition number about df |r| / (1 - r^2), so a
 * last-bit change of r moves p in its tenth digit there.
 */
static bool
same_result(PfCorrelation a, PfCorrelation b, double df, double tol)
{
	if (a.n != b.n || a.r_valid != b.r_valid || a.p_valid != b.p_valid ||
		a.ci_valid != b.ci_valid)
		return false;
	if (a.r_valid && !close_rel(a.r, b.r, tol, 1e-15))
		return false;
	if (a.p_valid && !close_rel(a.p_value, b.p_value, tol,
								b.p_value < 1e-300 ? 1e-14 : 0.0))
	{
		double		dr = fabs(a.r - b.r);
		double		allowed = tol + 2.0 * (df + 1.0) * dr /
			((1.0 - fabs(b.r)) * (1.0 + fabs(b.r)));

		if (!(a.p_value > 0.0 && b.p_value > 0.0 &&
			  fabs(log(a.p_value / b.p_value)) <= allowed))
			return false;
	}
	if (a.ci_valid && (!close_rel(a.ci_low, b.ci_low, tol, 1e-15) ||
					   !close_rel(a.ci_high, b.ci_high, tol, 1e-15)))
		return false;
	return true;
}

#define MAX_PARTS 8

static void
test_combine(void)
{
	int			bad[3] = {0, 0, 0};
	int			tried = 0;

	for (int id = 0; id < ncases; id++)
	{
		const Case *c = &cases[id];
		PfPearsonState p1,
					pp[MAX_PARTS];
		PfPartialState q1,
					qp[MAX_PARTS];
		PfWeightedState w1,
					wp[MAX_PARTS];
		int			parts = 1 + (int) (rng_next() % MAX_PARTS);

		memset(&p1, 0, sizeof(p1));
		memset(&q1, 0, sizeof(q1));
		memset(&w1, 0, sizeof(w1));
		for (int k = 0; k < parts; k++)
		{
			memset(&pp[k], 0, sizeof(pp[k]));
			memset(&qp[k], 0, sizeof(qp[k]));
			memset(&wp[k], 0, sizeof(wp[k]));
		}
		for (int64_t i = 0; i < c->n; i++)
		{
			double		x = c->xy[2 * i];
			double		y = c->xy[2 * i + 1];
			int			k = (int) (rng_next() % parts);

			pf_moments_pearson_accum(&p1, x, y);
			pf_moments_partial_accum(&q1, x, y, c->z[i]);
			pf_moments_weighted_accum(&w1, x, y, c->w[i]);
			pf_moments_pearson_accum(&pp[k], x, y);
			pf_moments_partial_accum(&qp[k], x, y, c->z[i]);
			pf_moments_weighted_accum(&wp[k], x, y, c->w[i]);
		}
		/* merge as a parallel plan might: pairs first, then the rest */
		for (int step = 1; step < parts; step *= 2)
			for (int k = 0; k + step < parts; k += 2 * step)
			{
				pf_moments_pearson_combine(&pp[k], &pp[k + step]);
				pf_moments_partial_combine(&qp[k], &qp[k + step]);
				pf_moments_weighted_combine(&wp[k], &wp[k + step]);
			}
		tried++;
		if (!same_result(pf_moments_pearson_result(&pp[0], 0.95),
						 pf_moments_pearson_result(&p1, 0.95),
						 (double) c->n - 2, 1e-12))
			bad[0]++;
		if (!same_result(pf_moments_partial_result(&qp[0], 0.95),
						 pf_moments_partial_result(&q1, 0.95),
						 (double) c->n - 3, 1e-12))
			bad[1]++;
		if (!same_result(pf_moments_weighted_result(&wp[0]),
						 pf_moments_weighted_result(&w1), 0.0, 1e-12))
			bad[2]++;
	}
	CHECK(bad[0] == 0, "pearson: %d of %d merged results differ",
		  bad[0], tried);
	CHECK(bad[1] == 0, "partial: %d of %d merged results differ",
		  bad[1], tried);
	CHECK(bad[2] == 0, "weighted: %d of %d merged results differ",
		  bad[2], tried);

	/* an empty state on either side of a merge changes nothing */
	{
		PfPearsonState a,
					b,
					e;

		memset(&a, 0, sizeof(a));
		memset(&e, 0, sizeof(e));
		pf_moments_pearson_accum(&a, 1, 2);
		pf_moments_pearson_accum(&a, 2, 1);
		pf_moments_pearson_accum(&a, 3, 5);
		b = e;
		pf_moments_pearson_combine(&b, &a);
		CHECK(memcmp(&a, &b, sizeof(a)) == 0, "empty state merged with one");
		pf_moments_pearson_combine(&b, &e);
		CHECK(memcmp(&a, &b, sizeof(a)) == 0, "state merged with an empty one");
	}
}

/* ---------------------------------------------------------------------
 * NIST StRD Norris
 * ---------------------------------------------------------------------
 */

static void
test_norris(void)
{
	FILE	   *f = open_fixture("nist/Norris.dat");
	char		line[256];
	int			lineno = 0;
	double		x[64],
				y[64];
	int			n = 0;
	const double cert = 0.999993745883712;

	while (fgets(line, sizeof(line), f))
	{
		lineno++;
		if (lineno >= 61 && lineno <= 96 && n < 64 &&
			sscanf(line, "%lf %lf", &y[n], &x[n]) == 2)
			n++;
	}
	fclose(f);
	CHECK(n == 36, "norris: read %d rows", n);

	for (int shifted = 0; shifted < 2; shifted++)
	{
		PfPearsonState s;
		PfCorrelation res;
		double		shift = shifted ? 1e9 : 0.0;
		double		tol = shifted ? 1e-10 : 1e-13;
		double		r2;

		memset(&s, 0, sizeof(s));
		for (int i = 0; i < n; i++)
			pf_moments_pearson_accum(&s, x[i] + shift, y[i] + shift);
		res = pf_moments_pearson_result(&s, 0.95);
		r2 = res.r * res.r;
		printf("# norris%s: r^2 %.16g, relative error %.3g\n",
			   shifted ? " + 1e9" : "", r2, fabs(r2 - cert) / cert);
		CHECK(res.r_valid && fabs(r2 - cert) <= tol * cert,
			  "norris%s: r^2 %.17g, certified %.17g",
			  shifted ? " + 1e9" : "", r2, cert);
	}
}

/* ---------------------------------------------------------------------
 * Edge cases and errors
 * ---------------------------------------------------------------------
 */

static void
test_edges(void)
{
	PfPearsonState s;
	PfPartialState q;
	PfWeightedState w;
	PfCorrelation res;

	/* a constant column of a value that does not add up exactly */
	memset(&s, 0, sizeof(s));
	for (int i = 0; i < 1000; i++)
		pf_moments_pearson_accum(&s, 0.1, i * 0.37);
	res = pf_moments_pearson_result(&s, 0.95);
	CHECK(!res.r_valid && res.n == 1000, "constant 0.1 column gives NULL");
	{
		PfPearsonState a,
					b;

		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		for (int i = 0; i < 7; i++)
			pf_moments_pearson_accum(&a, 0.1, i);
		for (int i = 0; i < 11; i++)
			pf_moments_pearson_accum(&b, 0.1, -i);
		pf_moments_pearson_combine(&a, &b);
		CHECK(!pf_moments_pearson_result(&a, 0.95).r_valid,
			  "merged constant 0.1 columns give NULL");
	}

	/* empty and single-row states */
	memset(&s, 0, sizeof(s));
	res = pf_moments_pearson_result(&s, 0.95);
	CHECK(!res.r_valid && !res.p_valid && !res.ci_valid && res.n == 0,
		  "empty pearson");
	pf_moments_pearson_accum(&s, 1, 2);
	CHECK(!pf_moments_pearson_result(&s, 0.95).r_valid, "one row pearson");
	memset(&q, 0, sizeof(q));
	CHECK(!pf_moments_partial_result(&q, 0.95).r_valid, "empty partial");

	/* two rows: r is +-1 and p is 1 (partial: three rows) */
	memset(&s, 0, sizeof(s));
	pf_moments_pearson_accum(&s, 1, 2);
	pf_moments_pearson_accum(&s, 2, 1);
	res = pf_moments_pearson_result(&s, 0.95);
	CHECK(res.r == -1.0 && res.p_value == 1.0 && !res.ci_valid,
		  "two rows: r %g p %g", res.r, res.p_value);
	memset(&q, 0, sizeof(q));
	pf_moments_partial_accum(&q, 1, 2, 0);
	pf_moments_partial_accum(&q, 2, 1, 5);
	pf_moments_partial_accum(&q, 4, 3, 1);
	res = pf_moments_partial_result(&q, 0.95);
	CHECK(res.r_valid && fabs(res.r) == 1.0 && res.p_value == 1.0 && !res.ci_valid,
		  "partial of three rows: r %g p %g", res.r, res.p_value);

	/* NaN and infinity propagate as NaN; finite overflow is an error */
	memset(&s, 0, sizeof(s));
	pf_moments_pearson_accum(&s, 1, 2);
	pf_moments_pearson_accum(&s, INFINITY, 3);
	pf_moments_pearson_accum(&s, 2, 5);
	res = pf_moments_pearson_result(&s, 0.95);
	CHECK(res.r_valid && isnan(res.r), "infinite input gives NaN");
	memset(&s, 0, sizeof(s));
	pf_moments_pearson_accum(&s, 1e300, 1);
	CHECK(PF_TRY(pf_moments_pearson_accum(&s, -1e300, 2)) &&
		  pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
		  "finite overflow is reported");
	memset(&q, 0, sizeof(q));
	for (int i = 0; i < 6; i++)
		pf_moments_partial_accum(&q, i, i % 3, i == 4 ? NAN : i * i);
	res = pf_moments_partial_result(&q, 0.95);
	CHECK(res.r_valid && isnan(res.r) && res.ci_valid && isnan(res.ci_low),
		  "partial with a NaN control gives NaN");
	memset(&q, 0, sizeof(q));
	pf_moments_partial_accum(&q, 1e200, 1, 1);
	CHECK(PF_TRY(pf_moments_partial_accum(&q, -1e200, 2, 3)) &&
		  pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
		  "partial: finite overflow is reported");
	memset(&w, 0, sizeof(w));
	pf_moments_weighted_accum(&w, 1e200, 1, 1);
	CHECK(PF_TRY(pf_moments_weighted_accum(&w, -1e200, 2, 1)) &&
		  pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
		  "weighted: finite overflow is reported");

	/* states from SQL and confidence levels are validated */
	memset(&s, 0, sizeof(s));
	s.n = -1.0;
	CHECK(PF_TRY(pf_moments_pearson_result(&s, 0.95)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "a corrupt state is rejected");
	memset(&w, 0, sizeof(w));
	w.n = 0.5;
	w.w = 1.0;
	CHECK(PF_TRY(pf_moments_weighted_result(&w)), "a corrupt weighted state is rejected");
	memset(&s, 0, sizeof(s));
	CHECK(PF_TRY(pf_moments_pearson_result(&s, 1.0)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "confidence 1 is rejected");
	memset(&q, 0, sizeof(q));
	CHECK(PF_TRY(pf_moments_partial_result(&q, 0.0)), "partial: confidence 0 is rejected");

	/* weights */
	memset(&w, 0, sizeof(w));
	CHECK(PF_TRY(pf_moments_weighted_accum(&w, 1, 2, -1)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER &&
		  strcmp(pf_last_error_message, "invalid weight: -1") == 0,
		  "negative weight is rejected: %s", pf_last_error_message);
	CHECK(PF_TRY(pf_moments_weighted_accum(&w, 1, 2, INFINITY)),
		  "infinite weight is rejected");
	CHECK(PF_TRY(pf_moments_weighted_accum(&w, 1, 2, NAN)), "NaN weight is rejected");
	pf_moments_weighted_accum(&w, 1, 2, 0);
	pf_moments_weighted_accum(&w, 2, 3, 0);
	CHECK(!pf_moments_weighted_result(&w).r_valid && pf_moments_weighted_result(&w).n == 0,
		  "zero weights give NULL");
	{
		PfWeightedState one;

		/* weights 2 and 1 are rows repeated: r of (1,1), (1,1), (2,3), (3,2) */
		memset(&w, 0, sizeof(w));
		memset(&one, 0, sizeof(one));
		pf_moments_weighted_accum(&w, 1, 1, 2);
		pf_moments_weighted_accum(&w, 2, 3, 1);
		pf_moments_weighted_accum(&w, 3, 2, 1);
		pf_moments_weighted_accum(&one, 1, 1, 1);
		pf_moments_weighted_accum(&one, 1, 1, 1);
		pf_moments_weighted_accum(&one, 2, 3, 1);
		pf_moments_weighted_accum(&one, 3, 2, 1);
		/*
		 * x 1 1 2 3 and y 1 1 3 2, both of mean 7/4: Sxx = Syy = 11/4,
		 * Sxy = 7/4, r = 7/11
		 */
		res = pf_moments_weighted_result(&w);
		CHECK(res.r_valid && close_rel(res.r, pf_moments_weighted_result(&one).r, 1e-14, 0.0) &&
			  close_rel(res.r, 7.0 / 11.0, 1e-14, 0.0) && !res.p_valid && res.n == 3,
			  "weight 2 is a repeated row: r %.17g, want 7/11", res.r);
	}
}

/*
 * The shared update of means and co-moments keeps the layouts the glue
 * stores as float8[]: n, then the means, then the squares and the cross
 * products.
 */
static void
test_layout(void)
{
	PfPartialState q;
	PfWeightedState w;
	const double *v;

	CHECK(sizeof(PfPearsonState) == PF_PEARSON_STATE_NVALUES * sizeof(double) &&
		  sizeof(PfPartialState) == PF_PARTIAL_STATE_NVALUES * sizeof(double) &&
		  sizeof(PfWeightedState) == PF_WEIGHTED_STATE_NVALUES * sizeof(double),
		  "states are flat arrays of doubles");
	/* (0,0,0), (2,4,6): means 1,2,3; squares 2,8,18; xy 4, xz 6, yz 12 */
	memset(&q, 0, sizeof(q));
	pf_moments_partial_accum(&q, 0, 0, 0);
	pf_moments_partial_accum(&q, 2, 4, 6);
	v = (const double *) &q;
	CHECK(v[0] == 2 && v[1] == 1 && v[2] == 2 && v[3] == 3 && v[4] == 2 &&
		  v[5] == 8 && v[6] == 18 && v[7] == 4 && v[8] == 6 && v[9] == 12,
		  "partial state layout: %g %g %g %g %g %g %g %g %g %g", v[0], v[1],
		  v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
	/* (0,0) weight 1, (3,6) weight 2: w 3, means 2, 4; xx 6, yy 24, xy 12 */
	memset(&w, 0, sizeof(w));
	pf_moments_weighted_accum(&w, 0, 0, 1);
	pf_moments_weighted_accum(&w, 3, 6, 2);
	v = (const double *) &w;
	CHECK(v[0] == 2 && v[1] == 3 && v[2] == 2 && v[3] == 4 && v[4] == 6 &&
		  v[5] == 24 && v[6] == 12,
		  "weighted state layout: %g %g %g %g %g %g %g", v[0], v[1], v[2],
		  v[3], v[4], v[5], v[6]);
}

UNIT_MAIN_BEGIN
{
	const char *dir = getenv("PF_FIXTURES");

	if (dir != NULL)
		fixture_dir = dir;
	load_cases();
	CHECK(ncases >= 300, "only %d fixture cases", ncases);
	test_combine();
	test_norris();
	test_edges();
	test_layout();
	for (int i = 0; i < ncases; i++)
	{
		free(cases[i].xy);
		free(cases[i].z);
		free(cases[i].w);
	}
	free(cases);
}
UNIT_MAIN_END

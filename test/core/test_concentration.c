/*
 * test_concentration.c
 *	  Unit tests of concentration_core without a server: the Herfindahl
 *	  index sum(x^2)/sum(x)^2 and the top share max(x)/sum(x) against hand
 *	  calculations, combine equal to one pass, and amounts of any magnitude.
 */
#include <float.h>
#include <string.h>

#include "host.h"
#include "concentration_core.h"

#define LEN PF_CONCENTRATION_STATE_LEN

static void
accum_all(double *state, const double *x, int n)
{
	memset(state, 0, LEN * sizeof(double));
	for (int i = 0; i < n; i++)
		pf_concentration_accum(state, x[i]);
}

static bool
both(const double *state, double *h, double *t)
{
	bool		has_h = pf_concentration_herfindahl(state, h);
	bool		has_t = pf_concentration_top_share(state, t);

	return has_h && has_t;
}

static void
test_hand(void)
{
	double		s[LEN];
	double		h = 0;
	double		t = 0;

	/*
	 * {1, 1, 2}: sum 4, sum of squares 1 + 1 + 4 = 6, so the index is
	 * 6 / 16 = 0.375 and the top share 2 / 4 = 0.5.
	 */
	accum_all(s, (const double[]) {1, 1, 2}, 3);
	CHECK(both(s, &h, &t) && close_rel(h, 0.375, 1e-15, 0) && close_rel(t, 0.5, 1e-15, 0),
		  "{1, 1, 2}: %.17g %.17g", h, t);

	/*
	 * {3, 1, 0, 6}: sum 10, squares 9 + 1 + 0 + 36 = 46: 0.46 and 0.6; the
	 * zero counts in no share.
	 */
	accum_all(s, (const double[]) {3, 1, 0, 6}, 4);
	CHECK(both(s, &h, &t) && close_rel(h, 0.46, 1e-15, 0) && close_rel(t, 0.6, 1e-15, 0),
		  "{3, 1, 0, 6}: %.17g %.17g", h, t);

	/* k equal amounts: 1/k and 1/k */
	for (int k = 1; k <= 1000; k *= 10)
	{
		memset(s, 0, sizeof(s));
		for (int i = 0; i < k; i++)
			pf_concentration_accum(s, 7.25);
		CHECK(both(s, &h, &t) && close_rel(h, 1.0 / k, 1e-13, 0) &&
			  close_rel(t, 1.0 / k, 1e-13, 0), "%d equal amounts: %.17g %.17g", k, h, t);
	}

	/* one amount: 1 and 1, whatever it is */
	accum_all(s, (const double[]) {0.001}, 1);
	CHECK(both(s, &h, &t) && h == 1.0 && t == 1.0, "one row: %.17g %.17g", h, t);

	/*
	 * One dominant amount among 99 small ones: share 1e6 / (1e6 + 99), index
	 * (1e12 + 99) / (1e6 + 99)^2, up to the rounding of 100 additions.
	 */
	memset(s, 0, sizeof(s));
	pf_concentration_accum(s, 1e6);
	for (int i = 0; i < 99; i++)
		pf_concentration_accum(s, 1.0);
	CHECK(both(s, &h, &t) && close_rel(t, 1e6 / (1e6 + 99), 1e-13, 0) &&
		  close_rel(h, (1e12 + 99) / ((1e6 + 99) * (1e6 + 99)), 1e-13, 0),
		  "a dominant amount: %.17g %.17g", h, t);
}

static void
test_edges(void)
{
	double		s[LEN];
	double		h = 0;
	double		t = 0;

	/* no amount, or only zeros: no index, no share (SQL NULL) */
	memset(s, 0, sizeof(s));
	CHECK(!pf_concentration_herfindahl(s, &h) && !pf_concentration_top_share(s, &t),
		  "empty: NULL");
	accum_all(s, (const double[]) {0, 0, 0}, 3);
	CHECK(!pf_concentration_herfindahl(s, &h) && !pf_concentration_top_share(s, &t),
		  "zeros: NULL");

	/* invalid amounts */
	memset(s, 0, sizeof(s));
	CHECK(PF_TRY(pf_concentration_accum(s, -1)) && pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "a negative amount is an error");
	CHECK(PF_TRY(pf_concentration_accum(s, NAN)) && PF_TRY(pf_concentration_accum(s, INFINITY)),
		  "NaN and infinity are errors");
	CHECK(!PF_TRY(pf_concentration_accum(s, -0.0)), "minus zero is zero");

	/*
	 * Huge and tiny magnitudes: {2x, x} gives 5/9 and 2/3 for any x, where
	 * the plain sums of squares would overflow (x = 1e300) or vanish
	 * (x = 1e-300, x = the smallest subnormal).
	 */
	{
		const double xs[] = {1e300, DBL_MAX / 2, 1e-300, 4.9e-324, 1.0};

		for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++)
		{
			double		x = xs[i];

			accum_all(s, (const double[]) {x, 2 * x}, 2);
			CHECK(both(s, &h, &t) && close_rel(h, 5.0 / 9, 1e-15, 0) &&
				  close_rel(t, 2.0 / 3, 1e-15, 0), "{%g, 2 * %g}: %.17g %.17g", x, x, h, t);
		}
	}
	/* amounts 1e600 apart: the small one vanishes next to the large */
	accum_all(s, (const double[]) {1e-300, 1e300}, 2);
	CHECK(both(s, &h, &t) && h == 1.0 && t == 1.0, "1e-300 next to 1e300: %.17g %.17g", h, t);
}

static void
test_combine(void)
{
	const double x[] = {5, 0.5, 3, 100, 2, 0, 7, 1e-3, 42, 6};
	double		whole[LEN];
	double		parts[2][LEN];
	double		empty[LEN] = {0, 0, 0};
	double		h1,
				t1,
				h2,
				t2;

	accum_all(whole, x, 10);
	for (int split = 0; split <= 10; split++)
	{
		accum_all(parts[0], x, split);
		accum_all(parts[1], x + split, 10 - split);
		pf_concentration_combine(parts[0], parts[1]);
		both(whole, &h1, &t1);
		both(parts[0], &h2, &t2);
		CHECK(close_rel(h2, h1, 1e-14, 0) && close_rel(t2, t1, 1e-14, 0),
			  "split at %d: combine equals one pass", split);
	}
	accum_all(parts[0], x, 10);
	pf_concentration_combine(parts[0], empty);
	CHECK(memcmp(parts[0], whole, sizeof(whole)) == 0, "combining an empty state changes nothing");
	memset(parts[1], 0, sizeof(parts[1]));
	pf_concentration_combine(parts[1], whole);
	CHECK(memcmp(parts[1], whole, sizeof(whole)) == 0, "an empty state takes the other");
}

UNIT_MAIN_BEGIN
	test_hand();
	test_edges();
	test_combine();
UNIT_MAIN_END

/*
 * fuzz_moments.c
 *	  moments_core.c: Pearson, partial and weighted correlation.  Rows
 *	  go to a whole state and to one of two parts; the combine of the parts
 *	  must agree with the whole, every result must respect corr_check.h,
 *	  and when every value is a small integer Pearson's r must match the
 *	  one computed exactly from integer sums, with a constant column (and
 *	  only then) giving no r.  Overflow may only be reported for rows of
 *	  very large finite values.
 *
 * With the first byte's top bit set, the states are instead made of raw
 * doubles, as a state coming back from SQL could be, and only crashes and
 * error kinds are checked.
 */
#include "corr_check.h"
#include "moments_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ROWS 512

typedef struct Exact
{
	__int128	n,
				sx,
				sy,
				sxx,
				syy,
				sxy;
} Exact;

/* the weights pf_moments_weighted_accum accepts */
static bool
weight_is_valid(double w)
{
	return isfinite(w) && w >= 0.0;
}

static bool
error_is_expected(void)
{
	return pf_last_error_kind == PF_ERR_OUT_OF_RANGE ||
		pf_last_error_kind == PF_ERR_INVALID_PARAMETER;
}

static void
raw_states(FuzzInput *in)
{
	PfPearsonState p[2];
	PfPartialState q[2];
	PfWeightedState w[2];
	PfCorrelation r;
	double		conf = fin_double_mixed(in);

	for (int i = 0; i < 2; i++)
	{
		double	   *v = (double *) &p[i];

		for (int k = 0; k < PF_PEARSON_STATE_NVALUES; k++)
			v[k] = fin_double_mixed(in);
		v = (double *) &q[i];
		for (int k = 0; k < PF_PARTIAL_STATE_NVALUES; k++)
			v[k] = fin_double_mixed(in);
		v = (double *) &w[i];
		for (int k = 0; k < PF_WEIGHTED_STATE_NVALUES; k++)
			v[k] = fin_double_mixed(in);
	}
	if (PF_TRY(r = pf_moments_pearson_result(&p[0], conf)))
		FUZZ_CHECK(error_is_expected(), "pearson_result raised %s", pf_last_error_message);
	if (PF_TRY(pf_moments_pearson_combine(&p[0], &p[1])) || PF_TRY(r = pf_moments_pearson_result(&p[0], 0.95)))
		FUZZ_CHECK(error_is_expected(), "pearson raised %s", pf_last_error_message);
	if (PF_TRY(pf_moments_pearson_accum(&p[1], fin_double_mixed(in), fin_double_mixed(in))))
		FUZZ_CHECK(error_is_expected(), "pearson_accum raised %s", pf_last_error_message);
	if (PF_TRY(r = pf_moments_partial_result(&q[0], conf)))
		FUZZ_CHECK(error_is_expected(), "partial_result raised %s", pf_last_error_message);
	if (PF_TRY(pf_moments_partial_combine(&q[0], &q[1])) || PF_TRY(r = pf_moments_partial_result(&q[0], 0.95)))
		FUZZ_CHECK(error_is_expected(), "partial raised %s", pf_last_error_message);
	if (PF_TRY(r = pf_moments_weighted_result(&w[0])))
		FUZZ_CHECK(error_is_expected(), "weighted_result raised %s", pf_last_error_message);
	if (PF_TRY(pf_moments_weighted_combine(&w[0], &w[1])) || PF_TRY(r = pf_moments_weighted_result(&w[0])))
		FUZZ_CHECK(error_is_expected(), "weighted raised %s", pf_last_error_message);
	(void) r;
}

/* r from exact integer sums; false for a constant column */
static bool
exact_r(const Exact *e, long double *r)
{
	__int128	vx = e->n * e->sxx - e->sx * e->sx;
	__int128	vy = e->n * e->syy - e->sy * e->sy;
	__int128	cxy = e->n * e->sxy - e->sx * e->sy;

	if (vx == 0 || vy == 0)
		return false;
	*r = (long double) cxy / sqrtl((long double) vx) / sqrtl((long double) vy);
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	uint8_t		head;
	double		conf;
	PfPearsonState pw,
				pp[2];
	PfPartialState qw,
				qp[2];
	PfWeightedState ww,
				wp[2];
	PfCorrelation res;
	Exact		ex;
	bool		all_small = true;	/* x and y small integers: exact r */
	bool		small_rows = true;	/* only small rows: no overflow */
	bool		pearson_overflow = false;
	bool		partial_overflow = false;
	bool		weighted_overflow = false;
	int			nrows = 0;

	fuzz_arena_reset();
	fin_init(&in, data, size);
	head = fin_u8(&in);
	if (head & 0x80)
	{
		raw_states(&in);
		return 0;
	}
	conf = (1.0 + fin_u8(&in)) / 258.0;
	memset(&ex, 0, sizeof(ex));
	memset(&pw, 0, sizeof(pw));
	memset(&pp[0], 0, sizeof(pp[0]));
	memset(&pp[1], 0, sizeof(pp[1]));
	memset(&qw, 0, sizeof(qw));
	memset(&qp[0], 0, sizeof(qp[0]));
	memset(&qp[1], 0, sizeof(qp[1]));
	memset(&ww, 0, sizeof(ww));
	memset(&wp[0], 0, sizeof(wp[0]));
	memset(&wp[1], 0, sizeof(wp[1]));

	while (in.left > 0 && nrows < MAX_ROWS)
	{
		uint8_t		op = fin_u8(&in);
		int			side = op & 1;
		double		x,
					y,
					z,
					w;

		if (op & 2)
		{
			x = fin_double_mixed(&in);
			y = fin_double_mixed(&in);
			z = fin_double_mixed(&in);
			w = fabs(fin_double_mixed(&in));
		}
		else
		{
			x = (int8_t) fin_u8(&in);
			y = (int8_t) fin_u8(&in);
			z = (int8_t) fin_u8(&in);
			w = fin_u8(&in) & 7;
		}
		nrows++;
		if (op & 2)
			small_rows = false;
		if (x != floor(x) || fabs(x) > 1e6 || y != floor(y) || fabs(y) > 1e6)
			all_small = false;
		if (!pearson_overflow)
		{
			if (PF_TRY(pf_moments_pearson_accum(&pw, x, y)))
			{
				FUZZ_CHECK(pf_last_error_kind == PF_ERR_OUT_OF_RANGE && !small_rows,
						   "pearson_accum(%g, %g) raised: %s", x, y, pf_last_error_message);
				pearson_overflow = true;
			}
			else if (all_small)
			{
				ex.n++;
				ex.sx += (__int128) x;
				ex.sy += (__int128) y;
				ex.sxx += (__int128) x * (__int128) x;
				ex.syy += (__int128) y * (__int128) y;
				ex.sxy += (__int128) x * (__int128) y;
			}
			if (!pearson_overflow && PF_TRY(pf_moments_pearson_accum(&pp[side], x, y)))
				pearson_overflow = true;
		}
		if (!partial_overflow && PF_TRY(pf_moments_partial_accum(&qw, x, y, z)))
		{
			FUZZ_CHECK(pf_last_error_kind == PF_ERR_OUT_OF_RANGE && !small_rows,
					   "partial_accum raised: %s", pf_last_error_message);
			partial_overflow = true;
		}
		else if (!partial_overflow && PF_TRY(pf_moments_partial_accum(&qp[side], x, y, z)))
			partial_overflow = true;
		if (!weighted_overflow && PF_TRY(pf_moments_weighted_accum(&ww, x, y, w)))
		{
			FUZZ_CHECK((pf_last_error_kind == PF_ERR_OUT_OF_RANGE && !small_rows) ||
					   (pf_last_error_kind == PF_ERR_INVALID_PARAMETER && !weight_is_valid(w)),
					   "weighted_accum raised: %s", pf_last_error_message);
			weighted_overflow = true;
		}
		else if (!weighted_overflow && PF_TRY(pf_moments_weighted_accum(&wp[side], x, y, w)))
			weighted_overflow = true;
	}

	if (!pearson_overflow)
	{
		PfCorrelation rc;
		PfPearsonState c = pp[0];
		long double r;
		bool		has_r;

		FUZZ_CHECK(!PF_TRY(res = pf_moments_pearson_result(&pw, conf)), "pearson_result raised: %s",
				   pf_last_error_message);
		corr_check_ranges(&res, "pearson");
		if (!PF_TRY(pf_moments_pearson_combine(&c, &pp[1])))
		{
			FUZZ_CHECK(!PF_TRY(rc = pf_moments_pearson_result(&c, conf)), "pearson_result raised: %s",
					   pf_last_error_message);
			corr_check_ranges(&rc, "pearson combined");
			FUZZ_CHECK(rc.n == res.n, "combined n %lld, whole %lld", (long long) rc.n, (long long) res.n);
			if (all_small)
			{
				has_r = ex.n >= 2 && exact_r(&ex, &r);
				FUZZ_CHECK(res.r_valid == has_r && rc.r_valid == has_r,
						   "pearson of %lld small-integer rows: r valid %d, combined %d, exact %d",
						   (long long) ex.n, res.r_valid, rc.r_valid, has_r);
				if (has_r)
					FUZZ_CHECK(fabsl(res.r - r) <= 1e-9L && fabsl(rc.r - r) <= 1e-9L,
							   "pearson r %.17g, combined %.17g, exact %.17Lg",
							   res.r, rc.r, r);
			}
		}
		else
			FUZZ_CHECK(!small_rows && pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
					   "pearson_combine raised: %s", pf_last_error_message);
	}
	if (!partial_overflow)
	{
		PfPartialState c = qp[0];

		FUZZ_CHECK(!PF_TRY(res = pf_moments_partial_result(&qw, conf)), "partial_result raised: %s",
				   pf_last_error_message);
		corr_check_ranges(&res, "partial");
		if (!PF_TRY(pf_moments_partial_combine(&c, &qp[1])))
		{
			FUZZ_CHECK(!PF_TRY(res = pf_moments_partial_result(&c, conf)), "partial_result raised: %s",
					   pf_last_error_message);
			corr_check_ranges(&res, "partial combined");
		}
	}
	if (!weighted_overflow)
	{
		PfWeightedState c = wp[0];

		res = pf_moments_weighted_result(&ww);
		corr_check_ranges(&res, "weighted");
		FUZZ_CHECK(!res.p_valid && !res.ci_valid, "weighted has p or ci");
		if (!PF_TRY(pf_moments_weighted_combine(&c, &wp[1])))
		{
			PfCorrelation rc = pf_moments_weighted_result(&c);

			corr_check_ranges(&rc, "weighted combined");
			FUZZ_CHECK(rc.n == res.n, "weighted combined n %lld, whole %lld",
					   (long long) rc.n, (long long) res.n);
		}
	}
	return 0;
}

/*
 * fuzz_rankcorr.c
 *	  rankcorr_core.c and ranks_core.c: Spearman, Kendall and average ranks
 *	  on small random arrays with many ties (values drawn from a few
 *	  levels, with -0.0, infinities and NaN now and then), checked against
 *	  O(n^2) brute force: ranks exactly, Spearman's r and Kendall's tau-b
 *	  to 1e-12, Kendall's p-value (exact or normal with scipy's
 *	  tie-corrected variance) to 1e-9, and the ranges of corr_check.h.
 */
#include "corr_check.h"
#include "distributions_core.h"
#include "rankcorr_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_N 300
#define BRUTE_N 64

static double
level(uint8_t b, uint8_t levels)
{
	if (b >= 250)
	{
		static const double special[] = {-0.0, INFINITY, -INFINITY, NAN, 1e308, -1e308};

		return special[b - 250];
	}
	return (double) (b % levels) - (double) (levels / 2);
}

/* Spearman or Kendall of n pairs as one run, on a copy */
static PfCorrelation
rank_of(bool kendall, const double *xy, int n, double conf)
{
	double		work[2 * MAX_N];
	int64_t		len = n;

	memcpy(work, xy, sizeof(double) * 2 * n);
	return kendall ? pf_rankcorr_kendall(work, len, &len, 1, NULL, 0, conf) :
		pf_rankcorr_spearman(work, len, &len, 1, NULL, 0, conf);
}

static int
cmp_pair(const void *p, const void *q)
{
	const double *a = p;
	const double *b = q;

	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	if (a[1] != b[1])
		return a[1] < b[1] ? -1 : 1;
	return 0;
}

/* brute-force average ranks, 1-based */
static void
brute_ranks(const double *xy, int col, int n, double *ranks)
{
	for (int i = 0; i < n; i++)
	{
		int			less = 0,
					equal = 0;

		for (int j = 0; j < n; j++)
		{
			less += xy[2 * j + col] < xy[2 * i + col];
			equal += xy[2 * j + col] == xy[2 * i + col];
		}
		ranks[i] = less + (equal + 1) / 2.0;
	}
}

static void
check_spearman(const double *xy, int n, double conf, bool has_nan)
{
	PfCorrelation res;
	double		rx[MAX_N],
				ry[MAX_N],
				want[2 * MAX_N],
				got[2 * MAX_N];
	long double sxx = 0,
				syy = 0,
				sxy = 0,
				mean = (n + 1) / 2.0L;

	FUZZ_CHECK(!PF_TRY(res = rank_of(false, xy, n, conf)), "spearman raised: %s", pf_last_error_message);
	corr_check_ranges(&res, "spearman");
	FUZZ_CHECK(res.n == n, "spearman n");
	if (n < 2)
	{
		FUZZ_CHECK(!res.r_valid, "spearman r for n = %d", n);
		return;
	}
	if (has_nan)
	{
		FUZZ_CHECK(res.r_valid && isnan(res.r), "spearman with a NaN: r %.17g", res.r);
		return;
	}
	brute_ranks(xy, 0, n, rx);
	brute_ranks(xy, 1, n, ry);
	{
		/* the pairs of ranks, whose order the core does not keep */
		int64_t		len = n;
		PfRuns		runs;

		memcpy(got, xy, sizeof(double) * 2 * n);
		pf_ranks_sort_runs((PfPair *) got, (size_t) n, &len, 1, NULL, 0, &runs);
		pf_ranks_average_pairs((PfPair *) got, (size_t) n, &runs, NULL, 0);
		for (int i = 0; i < n; i++)
		{
			want[2 * i] = rx[i];
			want[2 * i + 1] = ry[i];
		}
		qsort(got, n, 2 * sizeof(double), cmp_pair);
		qsort(want, n, 2 * sizeof(double), cmp_pair);
		for (int i = 0; i < 2 * n; i++)
			FUZZ_CHECK(got[i] == want[i], "rank %d: %.17g, brute force %.17g", i, got[i], want[i]);
	}
	if (n > BRUTE_N)
		return;
	for (int i = 0; i < n; i++)
	{
		sxx += (rx[i] - mean) * (rx[i] - mean);
		syy += (ry[i] - mean) * (ry[i] - mean);
		sxy += (rx[i] - mean) * (ry[i] - mean);
	}
	FUZZ_CHECK(res.r_valid == (sxx != 0 && syy != 0), "spearman validity %d", res.r_valid);
	if (res.r_valid)
	{
		long double r = sxy / sqrtl(sxx * syy);

		FUZZ_CHECK(fabsl(res.r - r) <= 1e-12L, "spearman r %.17g, brute force %.17Lg", res.r, r);
	}
}

static void
check_kendall(const double *xy, int n, double conf, bool has_nan)
{
	PfCorrelation res;
	int64_t		con = 0,
				dis = 0,
				tx = 0,
				ty = 0,
				n0 = (int64_t) n * (n - 1) / 2;
	double		v0x = 0,
				v1x = 0,
				v0y = 0,
				v1y = 0;

	FUZZ_CHECK(!PF_TRY(res = rank_of(true, xy, n, conf)), "kendall raised: %s", pf_last_error_message);
	corr_check_ranges(&res, "kendall");
	if (n < 2)
	{
		FUZZ_CHECK(!res.r_valid, "kendall r for n = %d", n);
		return;
	}
	if (has_nan)
	{
		FUZZ_CHECK(res.r_valid && isnan(res.r), "kendall with a NaN: r %.17g", res.r);
		return;
	}
	if (n > BRUTE_N)
		return;
	for (int i = 0; i < n; i++)
	{
		int			cx = 0,
					cy = 0;
		bool		firstx = true,
					firsty = true;

		for (int j = 0; j < n; j++)
		{
			/* signs by comparison: infinities must not be subtracted */
			int			dx = xy[2 * i] < xy[2 * j] ? -1 : xy[2 * i] > xy[2 * j];
			int			dy = xy[2 * i + 1] < xy[2 * j + 1] ? -1 : xy[2 * i + 1] > xy[2 * j + 1];
			if (j > i)
			{
				con += dx * dy > 0;
				dis += dx * dy < 0;
				tx += dx == 0;
				ty += dy == 0;
			}
			if (dx == 0)
			{
				cx++;
				firstx = firstx && j >= i;
			}
			if (dy == 0)
			{
				cy++;
				firsty = firsty && j >= i;
			}
		}
		/* each tie group once, at its first member */
		if (firstx && cx > 1)
		{
			v0x += (double) cx * (cx - 1) * (cx - 2);
			v1x += (double) cx * (cx - 1) * (2.0 * cx + 5);
		}
		if (firsty && cy > 1)
		{
			v0y += (double) cy * (cy - 1) * (cy - 2);
			v1y += (double) cy * (cy - 1) * (2.0 * cy + 5);
		}
	}
	FUZZ_CHECK(res.r_valid == (tx < n0 && ty < n0), "kendall validity %d", res.r_valid);
	if (!res.r_valid)
		return;
	{
		double		tau = (double) (con - dis) / sqrt((double) (n0 - tx)) / sqrt((double) (n0 - ty));
		double		p;

		FUZZ_CHECK(fabs(res.r - tau) <= 1e-12, "kendall tau %.17g, brute force %.17g (n %d)",
				   res.r, tau, n);
		if (tx == 0 && ty == 0 && (n <= 33 || dis <= 1 || con <= 1))
			p = pf_distributions_kendall_exact_p(n, dis < con ? dis : con);
		else
		{
			double		dn = n;
			double		m = dn * (dn - 1);
			double		var = (m * (2 * dn + 5) - v1x - v1y) / 18.0 +
				2.0 * (double) tx * (double) ty / m +
				v0x * v0y / (9.0 * m * (dn - 2));

			p = erfc(fabs((double) (con - dis)) / sqrt(var) / sqrt(2.0));
		}
		FUZZ_CHECK(fabs(res.p_value - p) <= 1e-9 * p + 1e-300,
				   "kendall p %.17g, brute force %.17g (n %d, con %lld, dis %lld, ties %lld %lld)",
				   res.p_value, p, n, (long long) con, (long long) dis, (long long) tx, (long long) ty);
	}
}

/*
 * The same pairs cut into runs (some of them sorted beforehand, some
 * empty, at times more than PF_MAX_RUNS) give exactly what one run gives:
 * the same ranks and counts, summed in the same order.
 */
static bool
same_result(PfCorrelation a, PfCorrelation b)
{
	return a.n == b.n && a.r_valid == b.r_valid && a.p_valid == b.p_valid &&
		(a.r == b.r || (isnan(a.r) && isnan(b.r)) || !a.r_valid) &&
		(a.p_value == b.p_value || (isnan(a.p_value) && isnan(b.p_value)) ||
		 !a.p_valid);
}

static void
check_runs(const double *xy, int n, double conf, uint32_t seed)
{
	double		work[2 * MAX_N];
	int64_t		runlen[PF_MAX_RUNS + 4];
	int			nruns = 1 + (int) (seed % (PF_MAX_RUNS + 4));
	int			left = n;

	for (int r = 0; r < nruns; r++)
	{
		seed = seed * 1103515245u + 12345u;
		runlen[r] = r + 1 == nruns ? left : (int) ((seed >> 8) % (uint32_t) (left + 1));
		left -= (int) runlen[r];
	}
	for (int kendall = 0; kendall < 2; kendall++)
	{
		PfCorrelation want;
		PfCorrelation got;
		int			pos = 0;

		memcpy(work, xy, sizeof(double) * 2 * n);
		for (int r = 0; r < nruns; r++)
		{
			if ((seed >> (r % 24)) & 1)
				pf_ranks_sort_pairs(work + 2 * pos, runlen[r], NULL, 0);
			pos += (int) runlen[r];
		}
		FUZZ_CHECK(!PF_TRY(want = rank_of(kendall, xy, n, conf)),
				   "rank correlation raised: %s", pf_last_error_message);
		FUZZ_CHECK(!PF_TRY(got = kendall ?
							pf_rankcorr_kendall(work, n, runlen, nruns, NULL, 0, conf) :
							pf_rankcorr_spearman(work, n, runlen, nruns, NULL, 0, conf)),
				   "runs raised: %s", pf_last_error_message);
		FUZZ_CHECK(same_result(want, got),
				   "%s over %d runs: r %.17g p %.17g, one array: r %.17g p %.17g",
				   kendall ? "kendall" : "spearman", nruns, got.r, got.p_value,
				   want.r, want.p_value);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t	seed = 2166136261u;

	FuzzInput	in;
	double		xy[2 * MAX_N];
	int			n = 0;
	uint8_t		levels;
	double		conf;
	bool		has_nan = false;

	fuzz_arena_reset();
	fin_init(&in, data, size);
	levels = 1 + fin_u8(&in) % 64;
	conf = (1.0 + fin_u8(&in)) / 258.0;
	while (in.left >= 2 && n < MAX_N)
	{
		xy[2 * n] = level(fin_u8(&in), levels);
		xy[2 * n + 1] = level(fin_u8(&in), levels);
		has_nan = has_nan || isnan(xy[2 * n]) || isnan(xy[2 * n + 1]);
		n++;
	}
	check_spearman(xy, n, conf, has_nan);
	check_kendall(xy, n, conf, has_nan);
	for (size_t i = 0; i < size; i++)
		seed = (seed ^ data[i]) * 16777619u;
	check_runs(xy, n, conf, seed);
	return 0;
}

/*
 * test_correlation.c
 *	  Unit tests of correlation_core.c: agreement with the scipy and numpy
 *	  fixtures of test/fixtures/correlation_gen.py, merged states against one
 *	  pass, Kendall's tau against a quadratic count and on a million rows,
 *	  NIST's Norris data, and the errors.
 *
 * Run from the repository root (the fixtures are read from test/fixtures),
 * or set PF_FIXTURES to their directory.
 */
#include "host.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "correlation_core.h"

#define REL_TOL 1e-10

static const char *fixture_dir = "test/fixtures";

static FILE *
open_fixture(const char *name)
{
	char		path[1024];
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/%s", fixture_dir, name);
	f = fopen(path, "r");
	if (f == NULL)
	{
		fprintf(stderr, "cannot open %s\n", path);
		exit(2);
	}
	return f;
}

/* Split a CSV line in place into at most max fields; returns the count. */
static int
split_csv(char *line, char **fields, int max)
{
	int			n = 0;
	char	   *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max)
	{
		fields[n++] = p;
		p = strchr(p, ',');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

/* An empty field is NULL: NaN here, with *valid false. */
static double
field_double(const char *s, bool *valid)
{
	if (*s == '\0')
	{
		if (valid)
			*valid = false;
		return NAN;
	}
	if (valid)
		*valid = true;
	return strtod(s, NULL);
}

/* ---------------------------------------------------------------------
 * The cases of correlation_input.csv
 * ---------------------------------------------------------------------
 */

typedef struct Case
{
	int64_t		n;
	double	   *xy;				/* n pairs */
	double	   *z;
	double	   *w;
} Case;

static Case *cases;
static int	ncases;

static void
load_cases(void)
{
	FILE	   *f = open_fixture("correlation_input.csv");
	char		line[512];
	char	   *fld[5];
	int64_t		cap = 0;

	if (fgets(line, sizeof(line), f) == NULL)
		exit(2);
	while (fgets(line, sizeof(line), f))
	{
		int			id;
		Case	   *c;

		if (split_csv(line, fld, 5) != 5)
			continue;
		id = atoi(fld[0]);
		if (id > ncases)
		{
			cases = realloc(cases, sizeof(Case) * id);
			memset(&cases[ncases], 0, sizeof(Case) * (id - ncases));
			ncases = id;
			cap = 0;
		}
		c = &cases[id - 1];
		if (c->n == cap)
		{
			cap = cap ? cap * 2 : 16;
			c->xy = realloc(c->xy, sizeof(double) * 2 * cap);
			c->z = realloc(c->z, sizeof(double) * cap);
			c->w = realloc(c->w, sizeof(double) * cap);
		}
		c->xy[2 * c->n] = strtod(fld[1], NULL);
		c->xy[2 * c->n + 1] = strtod(fld[2], NULL);
		c->z[c->n] = strtod(fld[3], NULL);
		c->w[c->n] = strtod(fld[4], NULL);
		c->n++;
	}
	fclose(f);
}

static PfCorrelation
run_method(const char *method, const Case *c, double conf)
{
	if (strcmp(method, "pearson") == 0)
	{
		PfPearsonState s;

		pf_moments_pearson_init(&s);
		for (int64_t i = 0; i < c->n; i++)
			pf_moments_pearson_accum(&s, c->xy[2 * i], c->xy[2 * i + 1]);
		return pf_moments_pearson_result(&s, conf);
	}
	if (strcmp(method, "spearman") == 0)
		return pf_rankcorr_spearman(c->xy, c->n, conf);
	if (strcmp(method, "kendall") == 0)
		return pf_rankcorr_kendall(c->xy, c->n, conf);
	if (strcmp(method, "partial") == 0)
	{
		PfPartialState s;

		pf_moments_partial_init(&s);
		for (int64_t i = 0; i < c->n; i++)
			pf_moments_partial_accum(&s, c->xy[2 * i], c->xy[2 * i + 1], c->z[i]);
		return pf_moments_partial_result(&s, conf);
	}
	if (strcmp(method, "weighted") == 0)
	{
		PfWeightedState s;

		pf_moments_weighted_init(&s);
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

static double
rel_err(double got, double want)
{
	if (got == want)
		return 0.0;
	return fabs(got - want) / fmax(fabs(want), 1e-300);
}

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
		check_value("risk_exposed", id, "riskratio", rr.risk_exposed_valid,
					rr.risk_exposed, v[0], want[0], 0.0, &worst);
		check_value("risk_unexposed", id, "riskratio",
					rr.risk_unexposed_valid, rr.risk_unexposed, v[1], want[1],
					0.0, &worst);
		check_value("ratio", id, "riskratio", rr.ratio_valid, rr.ratio, v[2],
					want[2], 0.0, &worst);
		check_value("ci_low", id, "riskratio", rr.ci_valid, rr.ci_low, v[3],
					want[3], 0.0, &worst);
		check_value("ci_high", id, "riskratio", rr.ci_valid, rr.ci_high, v[4],
					want[4], 0.0, &worst);
		check_value("p", id, "riskratio", rr.p_valid, rr.p_value, v[5],
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
		check_value("nps", id, "nps", res.valid, res.nps, v1, nps, 1e-13,
					&worst);
		check_value("margin", id, "nps", res.valid, res.margin, v2, margin,
					1e-13, &worst);
	}
	fclose(f);
	printf("# nps worst relative error %.3g\n", worst);
}

/* ---------------------------------------------------------------------
 * Merged states equal one pass
 * ---------------------------------------------------------------------
 */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t
rng_next(void)
{
	/* splitmix64 */
	uint64_t	z = (rng_state += 0x9E3779B97F4A7C15u);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static double
rng_uniform(void)
{
	return (double) (rng_next() >> 11) / 9007199254740992.0;
}

static double
rng_normal(void)
{
	double		u = rng_uniform();
	double		v = rng_uniform();

	return sqrt(-2.0 * log(u + 1e-300)) * cos(2.0 * M_PI * v);
}

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

		pf_moments_pearson_init(&p1);
		pf_moments_partial_init(&q1);
		pf_moments_weighted_init(&w1);
		for (int k = 0; k < parts; k++)
		{
			pf_moments_pearson_init(&pp[k]);
			pf_moments_partial_init(&qp[k]);
			pf_moments_weighted_init(&wp[k]);
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

		pf_moments_pearson_init(&a);
		pf_moments_pearson_init(&e);
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
 * Kendall: against a quadratic count, and speed
 * ---------------------------------------------------------------------
 */

static double
kendall_brute(const double *xy, int64_t n)
{
	int64_t		s = 0,
				tx = 0,
				ty = 0;
	int64_t		tot = n * (n - 1) / 2;

	for (int64_t i = 0; i < n; i++)
		for (int64_t j = i + 1; j < n; j++)
		{
			double		dx = xy[2 * i] - xy[2 * j];
			double		dy = xy[2 * i + 1] - xy[2 * j + 1];

			if (dx == 0)
				tx++;
			if (dy == 0)
				ty++;
			if (dx * dy > 0)
				s++;
			else if (dx * dy < 0)
				s--;
		}
	return (double) s / sqrt((double) (tot - tx)) / sqrt((double) (tot - ty));
}

static double
elapsed_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double) (t1.tv_sec - t0->tv_sec) +
		(double) (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
test_kendall(void)
{
	int64_t		n = 1000000;
	double	   *xy = malloc(sizeof(double) * 2 * (size_t) n);
	double	   *copy = malloc(sizeof(double) * 2 * (size_t) n);

	/* tau-b matches a quadratic count, with and without ties */
	for (int trial = 0; trial < 6; trial++)
	{
		int64_t		m = 50 + (int64_t) (rng_next() % 1500);
		int			levels = trial % 2 ? 3 + trial : 0;
		PfCorrelation res;
		double		want;

		for (int64_t i = 0; i < m; i++)
		{
			double		x = rng_normal();
			double		y = 0.4 * x + rng_normal();

			if (levels)
			{
				x = floor(x * levels / 3);
				y = floor(y * levels / 3);
			}
			xy[2 * i] = x;
			xy[2 * i + 1] = y;
		}
		res = pf_rankcorr_kendall(xy, m, 0.95);
		want = kendall_brute(xy, m);
		CHECK(res.r_valid && close_rel(res.r, want, 1e-13, 1e-15),
			  "kendall n=%lld levels %d: %.17g, quadratic count %.17g",
			  (long long) m, levels, res.r, want);
	}

	/* a million rows, once continuous and once heavily tied */
	for (int tied = 0; tied < 2; tied++)
	{
		struct timespec t0;
		PfCorrelation res;
		double		secs;

		for (int64_t i = 0; i < n; i++)
		{
			double		x = rng_normal();
			double		y = 0.3 * x + rng_normal();

			if (tied)
			{
				x = floor(x * 3);
				y = floor(y * 2);
			}
			xy[2 * i] = x;
			xy[2 * i + 1] = y;
		}
		memcpy(copy, xy, sizeof(double) * 2 * (size_t) n);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		res = pf_rankcorr_kendall(xy, n, 0.95);
		secs = elapsed_since(&t0);
		printf("# kendall on %lld rows (%s): %.3f s, tau %.6f, p %.3g\n",
			   (long long) n, tied ? "tied" : "continuous", secs, res.r,
			   res.p_value);
		CHECK(secs < 3.0, "kendall on 1e6 rows took %.3f s", secs);
		CHECK(res.r_valid && res.r > 0.15 && res.r < 0.25 && res.p_valid &&
			  res.p_value < 1e-300 && res.ci_valid,
			  "kendall on 1e6 rows: tau %g p %g", res.r, res.p_value);
		CHECK(memcmp(copy, xy, sizeof(double) * 2 * (size_t) n) == 0,
			  "kendall left its input unchanged");
	}
	/* orders that trouble a naive quicksort */
	for (int pattern = 0; pattern < 4; pattern++)
	{
		static const char *const names[] = {
			"ascending", "descending", "constant x", "organ pipe"
		};
		struct timespec t0;
		PfCorrelation res;
		double		secs;

		for (int64_t i = 0; i < n; i++)
		{
			double		v = (double) i;

			if (pattern == 1)
				v = (double) (n - i);
			else if (pattern == 3)
				v = (double) (i < n / 2 ? i : n - i);
			xy[2 * i] = pattern == 2 ? 1.0 : v;
			xy[2 * i + 1] = pattern == 3 ? (double) (i % 1000) : v;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		res = pf_rankcorr_kendall(xy, n, 0.95);
		secs = elapsed_since(&t0);
		printf("# kendall on %lld rows (%s): %.3f s\n", (long long) n,
			   names[pattern], secs);
		CHECK(secs < 3.0 && (pattern == 2 ? !res.r_valid :
							 pattern == 3 || fabs(res.r) == 1.0),
			  "kendall on %s rows: %.3f s, tau %g", names[pattern], secs,
			  res.r);
	}

	{
		struct timespec t0;
		PfCorrelation res;
		double		secs;

		for (int64_t i = 0; i < n; i++)
		{
			xy[2 * i] = floor(rng_normal() * 3);
			xy[2 * i + 1] = 0.3 * xy[2 * i] + rng_normal();
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		res = pf_rankcorr_spearman(xy, n, 0.95);
		secs = elapsed_since(&t0);
		printf("# spearman on %lld rows (x tied): %.3f s, rho %.6f\n",
			   (long long) n, secs, res.r);
		CHECK(res.r_valid && secs < 3.0, "spearman on 1e6 rows: %.3f s", secs);
	}
	free(xy);
	free(copy);
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

		pf_moments_pearson_init(&s);
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
	double		ranks[6];
	const double v[6] = {3.0, 1.0, 3.0, -0.0, 0.0, 3.0};

	pf_ranks_average(v, 1, 6, ranks);
	CHECK(ranks[0] == 5.0 && ranks[1] == 3.0 && ranks[2] == 5.0 &&
		  ranks[3] == 1.5 && ranks[4] == 1.5 && ranks[5] == 5.0,
		  "average ranks %g %g %g %g %g %g", ranks[0], ranks[1], ranks[2],
		  ranks[3], ranks[4], ranks[5]);

	/* a constant column of a value that does not add up exactly */
	pf_moments_pearson_init(&s);
	for (int i = 0; i < 1000; i++)
		pf_moments_pearson_accum(&s, 0.1, i * 0.37);
	res = pf_moments_pearson_result(&s, 0.95);
	CHECK(!res.r_valid && res.n == 1000, "constant 0.1 column gives NULL");
	{
		PfPearsonState a,
					b;

		pf_moments_pearson_init(&a);
		pf_moments_pearson_init(&b);
		for (int i = 0; i < 7; i++)
			pf_moments_pearson_accum(&a, 0.1, i);
		for (int i = 0; i < 11; i++)
			pf_moments_pearson_accum(&b, 0.1, -i);
		pf_moments_pearson_combine(&a, &b);
		CHECK(!pf_moments_pearson_result(&a, 0.95).r_valid,
			  "merged constant 0.1 columns give NULL");
	}

	/* empty and single-row states */
	pf_moments_pearson_init(&s);
	res = pf_moments_pearson_result(&s, 0.95);
	CHECK(!res.r_valid && !res.p_valid && !res.ci_valid && res.n == 0,
		  "empty pearson");
	pf_moments_pearson_accum(&s, 1, 2);
	CHECK(!pf_moments_pearson_result(&s, 0.95).r_valid, "one row pearson");
	CHECK(!pf_rankcorr_spearman(NULL, 0, 0.95).r_valid, "empty spearman");
	CHECK(!pf_rankcorr_kendall(NULL, 0, 0.95).r_valid, "empty kendall");

	/* NaN and infinity propagate as NaN; finite overflow is an error */
	pf_moments_pearson_init(&s);
	pf_moments_pearson_accum(&s, 1, 2);
	pf_moments_pearson_accum(&s, INFINITY, 3);
	pf_moments_pearson_accum(&s, 2, 5);
	res = pf_moments_pearson_result(&s, 0.95);
	CHECK(res.r_valid && isnan(res.r), "infinite input gives NaN");
	pf_moments_pearson_init(&s);
	pf_moments_pearson_accum(&s, 1e300, 1);
	CHECK(PF_TRY(pf_moments_pearson_accum(&s, -1e300, 2)) &&
		  pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
		  "finite overflow is reported");
	{
		const double nanxy[6] = {1, 2, NAN, 3, 4, 5};

		res = pf_rankcorr_spearman(nanxy, 3, 0.95);
		CHECK(res.r_valid && isnan(res.r), "spearman NaN");
		res = pf_rankcorr_kendall(nanxy, 3, 0.95);
		CHECK(res.r_valid && isnan(res.r), "kendall NaN");
	}
	pf_moments_partial_init(&q);
	pf_moments_partial_accum(&q, 1e200, 1, 1);
	CHECK(PF_TRY(pf_moments_partial_accum(&q, -1e200, 2, 3)) &&
		  pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
		  "partial: finite overflow is reported");

	/* confidence and weights are validated */
	pf_moments_pearson_init(&s);
	s.n = -1.0;
	CHECK(PF_TRY(pf_moments_pearson_result(&s, 0.95)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "a corrupt state is rejected");
	pf_moments_pearson_init(&s);
	CHECK(PF_TRY(pf_moments_pearson_result(&s, 1.0)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "confidence 1 is rejected");
	CHECK(PF_TRY(pf_rankcorr_kendall(NULL, 0, 0.0)), "confidence 0 is rejected");
	CHECK(PF_TRY(pf_rankcorr_spearman(NULL, 0, NAN)), "confidence NaN is rejected");
	pf_moments_weighted_init(&w);
	CHECK(PF_TRY(pf_moments_weighted_accum(&w, 1, 2, -1)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "negative weight is rejected");
	CHECK(PF_TRY(pf_moments_weighted_accum(&w, 1, 2, INFINITY)),
		  "infinite weight is rejected");
	CHECK(PF_TRY(pf_moments_weighted_accum(&w, 1, 2, NAN)), "NaN weight is rejected");
	pf_moments_weighted_accum(&w, 1, 2, 0);
	pf_moments_weighted_accum(&w, 2, 3, 0);
	CHECK(!pf_moments_weighted_result(&w).r_valid && pf_moments_weighted_result(&w).n == 0,
		  "zero weights give NULL");

	/* risk ratio and NPS arguments */
	CHECK(PF_TRY(pf_contingency_risk_ratio(10, 11, 10, 1)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "events above group size are rejected");
	CHECK(PF_TRY(pf_contingency_risk_ratio(-1, 0, 10, 1)), "negative count is rejected");
	CHECK(PF_TRY(pf_contingency_nps(10, 5, 5, 1)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "NPS counts must add up");
	CHECK(PF_TRY(pf_contingency_nps(-1, 0, 0, 0)), "negative NPS count is rejected");
	{
		PfNps		nps = pf_contingency_nps(0, 0, 0, 0);

		CHECK(!nps.valid, "NPS of nobody is NULL");
	}
}

/*
 * The in-place variants agree with the copying ones, and the radix sort
 * behind them treats -0 and +0 as the equal values they are: the same data
 * with every -0 made +0 gives the same Spearman and Kendall, with ties.
 */
static void
test_inplace_and_signed_zero(void)
{
	const int64_t n = 5000;
	double	   *xy = malloc((size_t) n * 2 * sizeof(double));
	double	   *pos = malloc((size_t) n * 2 * sizeof(double));
	double	   *work = malloc((size_t) n * 2 * sizeof(double));

	for (int64_t i = 0; i < n; i++)
	{
		int			k = (int) ((i * 7919) % 5);

		/* x from {-1, -0, +0, 1, 2}; y a noisy function of it, tied too */
		xy[2 * i] = k == 1 ? -0.0 : (k == 0 ? -1.0 : (double) (k - 2));
		xy[2 * i + 1] = floor((double) ((i * 104729) % 1000) / 100.0) + xy[2 * i];
		pos[2 * i] = xy[2 * i] + 0.0;
		pos[2 * i + 1] = xy[2 * i + 1] + 0.0;
	}
	for (int kendall = 0; kendall < 2; kendall++)
	{
		PfCorrelation a = kendall ? pf_rankcorr_kendall(xy, n, 0.95) : pf_rankcorr_spearman(xy, n, 0.95);
		PfCorrelation b = kendall ? pf_rankcorr_kendall(pos, n, 0.95) : pf_rankcorr_spearman(pos, n, 0.95);
		PfCorrelation c;

		memcpy(work, xy, (size_t) n * 2 * sizeof(double));
		c = kendall ? pf_rankcorr_kendall_inplace(work, n, 0.95) :
			pf_rankcorr_spearman_inplace(work, n, 0.95);
		CHECK(a.r_valid && a.r == b.r && a.p_value == b.p_value,
			  "%s: -0 and +0 are equal values (%.17g vs %.17g)",
			  kendall ? "kendall" : "spearman", a.r, b.r);
		CHECK(c.r_valid && c.r == a.r && c.p_value == a.p_value,
			  "%s: in place equals the copying variant",
			  kendall ? "kendall" : "spearman");
	}
	free(xy);
	free(pos);
	free(work);
}

/*
 * Pairs cut into runs, as the states of parallel workers arrive: whatever
 * the cut, and whichever runs were sorted beforehand, the runs variants
 * give exactly what one array gives (same ranks, same counts, summed in
 * the same order), allocate 8 bytes a row at most (Kendall's merged y),
 * and refuse run lengths that do not add up.
 */
static void
test_runs(void)
{
	const int64_t n = 20000;
	double	   *xy = malloc((size_t) n * 2 * sizeof(double));
	double	   *work = malloc((size_t) n * 2 * sizeof(double));
	uint32_t	seed = 12345;
	static const int cuts[] = {1, 2, 3, 5, PF_MAX_RUNS, PF_MAX_RUNS + 1, 40};

	for (int64_t i = 0; i < n; i++)
	{
		seed = seed * 1103515245u + 12345u;
		/* x with heavy ties, y continuous-ish and related to x */
		xy[2 * i] = (double) ((seed >> 8) % 97) - 48.0;
		seed = seed * 1103515245u + 12345u;
		xy[2 * i + 1] = xy[2 * i] * 0.5 + (double) ((seed >> 8) % 10007) / 1000.0;
	}
	for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++)
	{
		int			nruns = cuts[c];
		int64_t		runlen[64];
		int64_t		left = n;

		for (int r = 0; r < nruns; r++)
		{
			seed = seed * 1103515245u + 12345u;
			/* some runs empty, the rest of random length */
			runlen[r] = r + 1 == nruns ? left :
				(r % 4 == 1 ? 0 : (int64_t) ((seed >> 8) % (uint32_t) (left / 2 + 1)));
			left -= runlen[r];
		}
		for (int kendall = 0; kendall < 2; kendall++)
		{
			PfCorrelation want = kendall ? pf_rankcorr_kendall(xy, n, 0.9) : pf_rankcorr_spearman(xy, n, 0.9);
			PfCorrelation got;
			int64_t		pos = 0;
			size_t		before = unit_bytes_allocated;

			memcpy(work, xy, (size_t) n * 2 * sizeof(double));
			for (int r = 0; r < nruns; r++)
			{
				if (r % 3 != 2)
					pf_ranks_sort_pairs(work + 2 * pos, runlen[r]);
				pos += runlen[r];
			}
			got = kendall ? pf_rankcorr_kendall_runs(work, n, runlen, nruns, 0.9) :
				pf_rankcorr_spearman_runs(work, n, runlen, nruns, 0.9);
			CHECK(got.r_valid && got.r == want.r && got.p_value == want.p_value &&
				  got.ci_low == want.ci_low && got.ci_high == want.ci_high,
				  "%s over %d runs: %.17g, one array %.17g",
				  kendall ? "kendall" : "spearman", nruns, got.r, want.r);
			CHECK(unit_bytes_allocated - before <= (size_t) n * sizeof(double),
				  "%s over %d runs allocated %zu bytes, more than 8 a row",
				  kendall ? "kendall" : "spearman", nruns,
				  unit_bytes_allocated - before);
		}
	}
	{
		int64_t		bad[2] = {n / 2, n / 2 + 1};
		int64_t		neg[2] = {-1, n + 1};

		memcpy(work, xy, (size_t) n * 2 * sizeof(double));
		CHECK(PF_TRY(pf_rankcorr_spearman_runs(work, n, bad, 2, 0.9)) &&
			  pf_last_error_kind == PF_ERR_INTERNAL,
			  "runs longer than the pairs are refused");
		CHECK(PF_TRY(pf_rankcorr_kendall_runs(work, n, neg, 2, 0.9)) &&
			  pf_last_error_kind == PF_ERR_INTERNAL,
			  "a negative run length is refused");
		CHECK(PF_TRY(pf_rankcorr_kendall_runs(work, n, bad, 0, 0.9)) &&
			  pf_last_error_kind == PF_ERR_INTERNAL,
			  "no runs at all is refused");
	}
	free(xy);
	free(work);
}

UNIT_MAIN_BEGIN
{
	const char *dir = getenv("PF_FIXTURES");

	if (dir != NULL)
		fixture_dir = dir;
	load_cases();
	CHECK(ncases >= 300, "only %d fixture cases", ncases);
	test_fixture();
	test_riskratio_fixture();
	test_nps_fixture();
	test_combine();
	test_kendall();
	test_norris();
	test_edges();
	test_inplace_and_signed_zero();
	test_runs();
	for (int i = 0; i < ncases; i++)
	{
		free(cases[i].xy);
		free(cases[i].z);
		free(cases[i].w);
	}
	free(cases);
}
UNIT_MAIN_END

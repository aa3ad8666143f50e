/*
 * test_cox.c
 *	  Unit tests of cox_core: agreement with R's coxph on every case of
 *	  test/fixtures/surv11_cox_*.csv (written by surv11_gen.R), then edge
 *	  cases: one row, no events, a constant covariate, invalid input, 64
 *	  and 65 covariates, strided rows, row order, counting-process input
 *	  for right-censored data, running out of iterations, memory and
 *	  interrupt checks.
 *
 * Run from the repository root, where test/fixtures/ is found.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

#include "cox_core.h"
#include "csv.h"

#define FIX "test/fixtures/"
#define REL 1e-8

typedef struct CoxCase
{
	const char *id;				/* the fixture's case_id */
	const char *dataset;
	const char *entry;			/* NULL: right-censored */
	const char *exit;
	const char *event;
	const char *strata;			/* NULL: none */
	const char *covariates;		/* separated by spaces */
	PfCoxTies	ties;
} CoxCase;

#define E PF_COX_EFRON
#define B PF_COX_BRESLOW
static const CoxCase cases[] = {
	{"cox_lung_sex_efron", "lung", NULL, "time", "status", NULL, "sex", E},
	{"cox_lung_sex_breslow", "lung", NULL, "time", "status", NULL, "sex", B},
	{"cox_lung_efron", "lung", NULL, "time", "status", NULL, "age sex ph_ecog", E},
	{"cox_lung_breslow", "lung", NULL, "time", "status", NULL, "age sex ph_ecog", B},
	{"cox_veteran_strata_efron", "veteran", NULL, "time", "status", "celltype", "trt karno age", E},
	{"cox_veteran_strata_breslow", "veteran", NULL, "time", "status", "celltype", "trt karno age", B},
	{"cox_ovarian_efron", "ovarian", NULL, "time", "status", NULL, "age ecog_ps rx", E},
	{"cox_ovarian_breslow", "ovarian", NULL, "time", "status", NULL, "age ecog_ps rx", B},
	{"cox_colon_efron", "colon", NULL, "time", "status", NULL, "rx_lev rx_lev5fu age nodes", E},
	{"cox_colon_breslow", "colon", NULL, "time", "status", NULL, "rx_lev rx_lev5fu age nodes", B},
	{"cox_heart_efron", "heart", "start", "stop", "event", NULL, "age year surgery transplant", E},
	{"cox_heart_breslow", "heart", "start", "stop", "event", NULL, "age year surgery transplant", B},
	{"cox_synth_ties_efron", "synth_ties", NULL, "time", "status", NULL, "x1 x2 x3", E},
	{"cox_synth_ties_breslow", "synth_ties", NULL, "time", "status", NULL, "x1 x2 x3", B},
	{"cox_synth_ties_strata_efron", "synth_ties", NULL, "time", "status", "stratum", "x1 x2 x3", E},
	{"cox_synth_ties_strata_breslow", "synth_ties", NULL, "time", "status", "stratum", "x1 x2 x3", B},
	{"cox_synth_zero_efron", "synth_zero", NULL, "time", "status", NULL, "x1", E},
	{"cox_synth_zero_breslow", "synth_zero", NULL, "time", "status", NULL, "x1", B},
	{"cox_synth_delayed_efron", "synth_delayed", "entry", "exit", "event", NULL, "x1 x2", E},
	{"cox_synth_delayed_breslow", "synth_delayed", "entry", "exit", "event", NULL, "x1 x2", B},
	{"cox_synth_delayed_strata_efron", "synth_delayed", "entry", "exit", "event", "stratum", "x1 x2", E},
	{"cox_synth_separation_efron", "synth_separation", NULL, "time", "status", NULL, "x z", E},
	{"cox_synth_wide_efron", "synth_wide", NULL, "time", "status", NULL, "x1 x2 x3 x4 x5 x6 x7 x8 x9 x10", E},
	{"cox_synth_wide_breslow", "synth_wide", NULL, "time", "status", NULL, "x1 x2 x3 x4 x5 x6 x7 x8 x9 x10", B},
};
#undef E
#undef B

/* a design: the rows of a data set that have every variable (na.omit) */
typedef struct Rows
{
	int64_t		n;
	int			p;
	double	   *entry;
	double	   *exit;
	double	   *x;
	bool	   *event;
	int32_t    *stratum;
} Rows;

static void
rows_free(Rows *r)
{
	free(r->entry);
	free(r->exit);
	free(r->x);
	free(r->event);
	free(r->stratum);
}

static PfCoxData
rows_data(const Rows *r)
{
	PfCoxData	d;

	memset(&d, 0, sizeof(d));
	d.n = r->n;
	d.p = r->p;
	d.entry = r->entry;
	d.exit = r->exit;
	d.x = r->x;
	d.event = r->event;
	d.stratum = r->stratum;
	return d;
}

static Rows
build(const CoxCase *c)
{
	char		path[256];
	char		covs[256];
	int			col[PF_COX_MAX_COVARIATES];
	int			p = 0;
	Csv		   *d;
	Rows		r;
	int			centry,
				cexit,
				cevent,
				cstrata;
	char	  **names;
	int			nnames = 0;

	snprintf(path, sizeof(path), FIX "surv11_%s.csv", c->dataset);
	d = csv_read(path);
	snprintf(covs, sizeof(covs), "%s", c->covariates);
	for (char *tok = strtok(covs, " "); tok; tok = strtok(NULL, " "))
		col[p++] = csv_col(d, tok);
	centry = c->entry ? csv_col(d, c->entry) : -1;
	cexit = csv_col(d, c->exit);
	cevent = csv_col(d, c->event);
	cstrata = c->strata ? csv_col(d, c->strata) : -1;

	memset(&r, 0, sizeof(r));
	r.p = p;
	r.exit = malloc(sizeof(double) * d->nrows);
	r.x = malloc(sizeof(double) * d->nrows * p);
	r.event = malloc(sizeof(bool) * d->nrows);
	if (centry >= 0)
		r.entry = malloc(sizeof(double) * d->nrows);
	if (cstrata >= 0)
		r.stratum = malloc(sizeof(int32_t) * d->nrows);
	names = malloc(sizeof(char *) * d->nrows);
	for (int i = 0; i < d->nrows; i++)
	{
		bool		complete = true;

		for (int j = 0; j < p; j++)
			if (isnan(csv_num(d, i, col[j])))
				complete = false;
		if (!complete)
			continue;
		for (int j = 0; j < p; j++)
			r.x[r.n * p + j] = csv_num(d, i, col[j]);
		r.exit[r.n] = csv_num(d, i, cexit);
		r.event[r.n] = csv_num(d, i, cevent) != 0;
		if (centry >= 0)
			r.entry[r.n] = csv_num(d, i, centry);
		if (cstrata >= 0)
		{
			const char *s = csv_str(d, i, cstrata);
			int			k;

			for (k = 0; k < nnames; k++)
				if (strcmp(names[k], s) == 0)
					break;
			if (k == nnames)
				names[nnames++] = (char *) s;
			r.stratum[r.n] = k;
		}
		r.n++;
	}
	free(names);
	csv_free(d);
	return r;
}

static double max_err;

/* relative agreement (absolute 1e-12 below 1e-300), tracking the worst */
static bool
agree(double got, double want, double rel)
{
	double		e;

	if (isnan(want) || isinf(want))
		return close_rel(got, want, rel, 0);
	if (fabs(want) < 1e-300)
		return fabs(got - want) <= 1e-12;
	e = fabs(got - want) / fabs(want);
	if (e > max_err)
		max_err = e;
	return e <= rel;
}

static Csv *stats;
static Csv *coefs;
static Csv *vcov;

static int
find_row(const Csv *c, const char *id)
{
	int			col = csv_col(c, "case_id");

	for (int i = 0; i < c->nrows; i++)
		if (strcmp(csv_str(c, i, col), id) == 0)
			return i;
	return -1;
}

#define STAT(name) csv_num(stats, srow, csv_col(stats, name))
#define COEF(i, name) csv_num(coefs, crow + (i), csv_col(coefs, name))

static void
check_case(const CoxCase *c)
{
	Rows		r = build(c);
	PfCoxData	d = rows_data(&r);
	PfCoxModel *m;
	int			srow = find_row(stats, c->id);
	int			crow = find_row(coefs, c->id);
	int			vrow = find_row(vcov, c->id);
	bool		separation = strstr(c->id, "separation") != NULL;
	int			p = r.p;

	if (srow < 0 || crow < 0 || vrow < 0)
	{
		CHECK(false, "%s: not in the fixtures", c->id);
		rows_free(&r);
		return;
	}
	max_err = 0;
	m = pf_cox_fit(&d, c->ties, NULL);

	CHECK(m->n == (int64_t) STAT("n"), "%s: n %lld", c->id, (long long) m->n);
	CHECK(m->events == (int64_t) STAT("nevent"), "%s: events %lld", c->id, (long long) m->events);
	CHECK(m->converged == (STAT("converged") != 0), "%s: converged %d", c->id, m->converged);
	if (separation)
		CHECK(abs(m->iterations - (int) STAT("iter")) <= 1 && m->infinite[0] && !m->infinite[1],
			  "%s: iterations %d (R %g), infinite %d %d", c->id, m->iterations,
			  STAT("iter"), m->infinite[0], m->infinite[1]);
	else
		CHECK(m->iterations == (int) STAT("iter"), "%s: iterations %d, R %g",
			  c->id, m->iterations, STAT("iter"));
	CHECK(agree(m->loglik_null, STAT("loglik_null"), REL), "%s: loglik_null %.17g", c->id, m->loglik_null);
	CHECK(agree(m->loglik, STAT("loglik"), REL), "%s: loglik %.17g", c->id, m->loglik);
	CHECK(agree(m->lr_chisq, STAT("lr_chisq"), REL), "%s: lr %.17g", c->id, m->lr_chisq);
	CHECK(agree(m->lr_p, STAT("lr_p"), REL), "%s: lr p %.17g", c->id, m->lr_p);
	CHECK(agree(m->score_chisq, STAT("score_chisq"), REL), "%s: score %.17g", c->id, m->score_chisq);
	CHECK(agree(m->score_p, STAT("score_p"), REL), "%s: score p %.17g", c->id, m->score_p);
	CHECK(m->df == (int) STAT("lr_df") && m->df == (int) STAT("wald_df") &&
		  m->df == (int) STAT("score_df"), "%s: df %d", c->id, m->df);
	if (!separation)
	{
		CHECK(agree(m->wald_chisq, STAT("wald_chisq"), REL), "%s: wald %.17g", c->id, m->wald_chisq);
		CHECK(agree(m->wald_p, STAT("wald_p"), REL), "%s: wald p %.17g", c->id, m->wald_p);
	}

	for (int j = 0; j < p; j++)
	{
		PfCoxTerm	t;

		/* in the separation case only z (the second) has a finite estimate */
		if (separation && j == 0)
			continue;
		pf_cox_term(m, j, 0.95, &t);
		CHECK(agree(t.coef, COEF(j, "coef"), REL), "%s: coef %d %.17g", c->id, j, t.coef);
		CHECK(agree(t.exp_coef, COEF(j, "exp_coef"), REL), "%s: exp coef %d", c->id, j);
		CHECK(agree(t.se, COEF(j, "se_coef"), REL), "%s: se %d %.17g", c->id, j, t.se);
		CHECK(agree(t.z, COEF(j, "z"), REL), "%s: z %d", c->id, j);
		CHECK(agree(t.p, COEF(j, "p"), REL), "%s: p %d %.17g", c->id, j, t.p);
		CHECK(agree(t.lower, COEF(j, "lower95_exp_coef"), REL), "%s: lower %d", c->id, j);
		CHECK(agree(t.upper, COEF(j, "upper95_exp_coef"), REL), "%s: upper %d", c->id, j);
	}
	if (!separation)
	{
		bool		ok = true;
		int			ci = csv_col(vcov, "i");
		int			cj = csv_col(vcov, "j");
		int			cv = csv_col(vcov, "value");

		for (int k = 0; k < p * p; k++)
		{
			int			i = (int) csv_num(vcov, vrow + k, ci) - 1;
			int			j = (int) csv_num(vcov, vrow + k, cj) - 1;

			if (!agree(m->var[i * p + j], csv_num(vcov, vrow + k, cv), REL))
				ok = false;
		}
		CHECK(ok, "%s: covariance", c->id);
	}
	printf("# %s: max relative error %.2e over %d iterations%s\n", c->id, max_err,
		   m->iterations, separation ? " (z, logliks, LR and score tests only)" : "");
	pf_cox_free(m);
	rows_free(&r);
}

/* ---------------------------------------------------------------- edge cases */

static const CoxCase *
case_named(const char *id)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(cases[i].id, id) == 0)
			return &cases[i];
	abort();
}

static bool
same_fit(const PfCoxModel *a, const PfCoxModel *b, double rel)
{
	if (a->p != b->p || a->iterations != b->iterations || a->converged != b->converged ||
		a->df != b->df || !close_rel(a->loglik, b->loglik, rel, 0) ||
		!close_rel(a->loglik_null, b->loglik_null, rel, 0) ||
		!close_rel(a->score_chisq, b->score_chisq, rel, 0) ||
		!close_rel(a->wald_chisq, b->wald_chisq, rel, 0))
		return false;
	for (int j = 0; j < a->p; j++)
	{
		if (!close_rel(a->beta[j], b->beta[j], rel, 1e-14))
			return false;
		for (int k = 0; k < a->p; k++)
			if (!close_rel(a->var[j * a->p + k], b->var[j * a->p + k], rel, 1e-14))
				return false;
	}
	return true;
}

static uint64_t rng = 88172645463325252ULL;

static double
unif(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((rng >> 11) + 0.5) / 9007199254740992.0;
}

static double
gauss(void)
{
	return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

/* n rows of p standard normal covariates with exponential times */
static Rows
synthetic(int64_t n, int p, bool delayed)
{
	Rows		r;

	memset(&r, 0, sizeof(r));
	r.n = n;
	r.p = p;
	r.exit = malloc(sizeof(double) * n);
	r.x = malloc(sizeof(double) * n * p);
	r.event = malloc(sizeof(bool) * n);
	if (delayed)
		r.entry = malloc(sizeof(double) * n);
	for (int64_t i = 0; i < n; i++)
	{
		double		lp = 0;
		double		t,
					c;

		for (int j = 0; j < p; j++)
		{
			r.x[i * p + j] = gauss();
			lp += (j % 2 ? -0.3 : 0.5) * r.x[i * p + j] / (1 + j / 4);
		}
		t = -log(unif()) / (0.1 * exp(lp));
		c = -log(unif()) / 0.05;
		r.exit[i] = round((t < c ? t : c) * 100) / 100 + 0.01;
		r.event[i] = t < c;
		if (delayed)
			r.entry[i] = unif() < 0.3 ? -INFINITY : r.exit[i] * unif() - 0.005;
	}
	return r;
}

static void
edge_cases(void)
{
	PfCoxModel *m;
	PfCoxModel *ref;
	PfCoxData	d;
	Rows		r;
	double		x1[1] = {2};
	double		t1[1] = {5};
	bool		e1[1] = {true};

	/* one row: nothing can be estimated */
	memset(&d, 0, sizeof(d));
	d.n = 1;
	d.p = 1;
	d.exit = t1;
	d.x = x1;
	d.event = e1;
	m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
	CHECK(m->dropped[0] && isnan(m->beta[0]) && m->df == 0 && m->loglik == 0 &&
		  m->loglik_null == 0 && m->converged && isnan(m->lr_p) && m->events == 1,
		  "one row: dropped %d beta %g df %d loglik %g", m->dropped[0], m->beta[0], m->df, m->loglik);
	pf_cox_free(m);

	/* no events (R: loglik 0 0, iter 0, coefficient NA) */
	{
		double		t[4] = {1, 2, 3, 4};
		double		x[4] = {1, 5, 2, 3};
		bool		e[4] = {false, false, false, false};

		d.n = 4;
		d.exit = t;
		d.x = x;
		d.event = e;
		m = pf_cox_fit(&d, PF_COX_BRESLOW, NULL);
		CHECK(m->iterations == 0 && m->converged && m->loglik == 0 && m->loglik_null == 0 &&
			  m->dropped[0] && isnan(m->beta[0]) && m->score_chisq == 0 && m->df == 0 &&
			  m->events == 0, "no events: iterations %d", m->iterations);
		pf_cox_free(m);
	}

	/* a constant covariate is dropped; the other is fitted as without it */
	{
		const CoxCase *c = case_named("cox_lung_sex_efron");
		Rows		one = build(c);
		Rows		two = one;
		PfCoxData	d2;

		two.p = 2;
		two.x = malloc(sizeof(double) * one.n * 2);
		for (int64_t i = 0; i < one.n; i++)
		{
			two.x[i * 2] = 0.1;
			two.x[i * 2 + 1] = one.x[i];
		}
		d = rows_data(&one);
		d2 = rows_data(&two);
		ref = pf_cox_fit(&d, PF_COX_EFRON, NULL);
		m = pf_cox_fit(&d2, PF_COX_EFRON, NULL);
		CHECK(m->dropped[0] && !m->dropped[1] && isnan(m->beta[0]) && isnan(m->var[0]) &&
			  isnan(m->var[1]) && m->df == 1 && m->converged,
			  "constant covariate: dropped %d df %d", m->dropped[0], m->df);
		CHECK(close_rel(m->beta[1], ref->beta[0], 1e-12, 0) &&
			  close_rel(m->var[3], ref->var[0], 1e-12, 0) &&
			  close_rel(m->loglik, ref->loglik, 1e-13, 0) &&
			  close_rel(m->score_chisq, ref->score_chisq, 1e-12, 0) &&
			  close_rel(m->wald_chisq, ref->wald_chisq, 1e-12, 0) &&
			  m->iterations == ref->iterations,
			  "constant covariate: beta %.17g vs %.17g", m->beta[1], ref->beta[0]);
		{
			PfCoxTerm	t;

			pf_cox_term(m, 0, 0.95, &t);
			CHECK(isnan(t.coef) && isnan(t.se) && isnan(t.p), "constant covariate: NaN term");
		}
		pf_cox_free(m);

		/* only a constant covariate (R: NA, loglik unchanged, 1 iteration) */
		for (int64_t i = 0; i < one.n; i++)
			two.x[i] = 0.1;
		d2.p = 1;
		m = pf_cox_fit(&d2, PF_COX_EFRON, NULL);
		CHECK(m->dropped[0] && m->df == 0 && m->loglik == m->loglik_null &&
			  m->iterations == 1 && m->converged && m->lr_chisq == 0,
			  "only a constant covariate: iterations %d", m->iterations);
		pf_cox_free(m);

		/* right-censored data as counting-process data, entries below every exit */
		one.entry = malloc(sizeof(double) * one.n);
		for (int64_t i = 0; i < one.n; i++)
			one.entry[i] = (i % 3 == 0) ? -INFINITY : -1.5 - (double) (i % 7);
		d = rows_data(&one);
		m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
		CHECK(same_fit(m, ref, 1e-11), "entries below every exit change nothing");
		pf_cox_free(m);
		for (int64_t i = 0; i < one.n; i++)
			one.entry[i] = -INFINITY;
		m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
		CHECK(same_fit(m, ref, 1e-15), "entries at -infinity change nothing");
		pf_cox_free(m);

		/* interleaved records: entry, exit, covariate */
		{
			double	   *rec = malloc(sizeof(double) * one.n * 3);

			for (int64_t i = 0; i < one.n; i++)
			{
				rec[i * 3] = -INFINITY;
				rec[i * 3 + 1] = one.exit[i];
				rec[i * 3 + 2] = one.x[i];
			}
			d.entry = rec;
			d.exit = rec + 1;
			d.x = rec + 2;
			d.entry_stride = d.exit_stride = d.x_stride = 3;
			m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
			CHECK(same_fit(m, ref, 1e-15), "strided records give the same fit");
			pf_cox_free(m);
			free(rec);
		}

		/* out of iterations: the last iterate, not converged */
		{
			PfCoxControl ctl;

			pf_cox_control_default(&ctl);
			ctl.max_iter = 2;
			d = rows_data(&one);
			m = pf_cox_fit(&d, PF_COX_EFRON, &ctl);
			CHECK(!m->converged && m->iterations == 2 && !m->infinite[0] &&
				  close_rel(m->beta[0], ref->beta[0], 1e-3, 0),
				  "out of iterations: converged %d iterations %d", m->converged, m->iterations);
			pf_cox_free(m);
			ctl.max_iter = 0;
			m = pf_cox_fit(&d, PF_COX_EFRON, &ctl);
			CHECK(m->iterations == 0 && m->beta[0] == 0 && m->loglik == m->loglik_null &&
				  !m->converged, "no iterations: beta %g", m->beta[0]);
			pf_cox_free(m);
			ctl.max_iter = -1;
			CHECK(PF_TRY(pf_cox_fit(&d, PF_COX_EFRON, &ctl)), "negative iteration limit rejected");
		}
		pf_cox_free(ref);
		free(two.x);
		rows_free(&one);
	}

	/* row order changes nothing (counting process, strata, ties) */
	{
		const CoxCase *c = case_named("cox_synth_delayed_strata_efron");
		Rows		a = build(c);
		Rows		b = build(c);

		for (int64_t i = a.n - 1; i > 0; i--)
		{
			int64_t		k = (int64_t) (unif() * (double) (i + 1));
			double		t;
			bool		e;
			int32_t		s;

			t = b.entry[i]; b.entry[i] = b.entry[k]; b.entry[k] = t;
			t = b.exit[i]; b.exit[i] = b.exit[k]; b.exit[k] = t;
			e = b.event[i]; b.event[i] = b.event[k]; b.event[k] = e;
			s = b.stratum[i]; b.stratum[i] = b.stratum[k]; b.stratum[k] = s;
			for (int j = 0; j < a.p; j++)
			{
				t = b.x[i * a.p + j];
				b.x[i * a.p + j] = b.x[k * a.p + j];
				b.x[k * a.p + j] = t;
			}
		}
		d = rows_data(&a);
		ref = pf_cox_fit(&d, PF_COX_EFRON, NULL);
		d = rows_data(&b);
		m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
		CHECK(same_fit(m, ref, 1e-11), "shuffled rows give the same fit");
		pf_cox_free(m);
		/* stratum numbers only name strata */
		for (int64_t i = 0; i < b.n; i++)
			b.stratum[i] = b.stratum[i] == 0 ? INT32_MIN : INT32_MAX;
		m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
		CHECK(same_fit(m, ref, 1e-11) && m->strata == 2, "any stratum numbers");
		pf_cox_free(m);
		pf_cox_free(ref);
		rows_free(&a);
		rows_free(&b);
	}

	/* units change nothing: covariates 1e12 and 1e-9 times larger */
	{
		const CoxCase *c = case_named("cox_lung_efron");
		Rows		a = build(c);
		Rows		b = build(c);
		const double f[3] = {1e12, 1e-9, 1};
		bool		ok;

		for (int64_t i = 0; i < b.n; i++)
			for (int j = 0; j < 3; j++)
				b.x[i * 3 + j] *= f[j];
		d = rows_data(&a);
		ref = pf_cox_fit(&d, PF_COX_EFRON, NULL);
		d = rows_data(&b);
		m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
		ok = m->df == 3 && m->iterations == ref->iterations &&
			close_rel(m->loglik, ref->loglik, 1e-13, 0) &&
			close_rel(m->wald_chisq, ref->wald_chisq, 1e-10, 0);
		for (int j = 0; j < 3; j++)
		{
			ok = ok && close_rel(m->beta[j] * f[j], ref->beta[j], 1e-10, 0);
			for (int k = 0; k < 3; k++)
				ok = ok && close_rel(m->var[j * 3 + k] * f[j] * f[k], ref->var[j * 3 + k], 1e-10, 0);
		}
		CHECK(ok, "covariates in other units: df %d beta %g", m->df, m->beta[0] * f[0]);
		pf_cox_free(m);
		pf_cox_free(ref);
		rows_free(&a);
		rows_free(&b);
	}

	/* invalid input is rejected before anything is allocated */
	{
		double		t[3] = {1, 2, 3};
		double		en[3] = {0, 0, 0};
		double		x[3] = {1, 2, 3};
		bool		e[3] = {true, false, true};
		size_t		before;

		memset(&d, 0, sizeof(d));
		d.n = 3;
		d.p = 1;
		d.exit = t;
		d.x = x;
		d.event = e;
		before = unit_bytes_allocated;
		x[1] = NAN;
		CHECK(PF_TRY(pf_cox_fit(&d, PF_COX_EFRON, NULL)) &&
			  pf_last_error_kind == PF_ERR_INVALID_PARAMETER &&
			  strcmp(pf_last_error_message, "invalid covariate 1 in row 2 of Cox regression") == 0,
			  "NaN covariate: %s", pf_last_error_message);
		x[1] = INFINITY;
		CHECK(PF_TRY(pf_cox_fit(&d, PF_COX_EFRON, NULL)), "infinite covariate rejected");
		x[1] = -1e301;
		CHECK(PF_TRY(pf_cox_fit(&d, PF_COX_EFRON, NULL)), "covariate beyond 1e300 rejected");
		x[1] = -1e300;
		m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
		CHECK(isfinite(m->loglik_null), "covariate of 1e300 accepted");
		pf_cox_free(m);
		x[1] = 2;
		t[2] = INFINITY;
		CHECK(PF_TRY(pf_cox_fit(&d, PF_COX_EFRON, NULL)) &&
			  strcmp(pf_last_error_message, "invalid exit time in row 3 of Cox regression") == 0,
			  "infinite exit: %s", pf_last_error_message);
		t[2] = NAN;
		CHECK(PF_TRY(pf_cox_fit(&d, PF_COX_EFRON, NULL)), "NaN exit rejected");
		t[2] = 3;
		d.entry = en;
		en[0] = 1;
		CHECK(PF_TRY(pf_cox_fit(&d, PF_COX_EFRON, NULL)) &&
			  strcmp(pf_last_error_message, "invalid entry time in row 1 of Cox regression") == 0,
			  "entry = exit: %s", pf_last_error_message);
		en[0] = 2;
		CHECK(PF_TRY(pf_cox_fit(&d, PF_COX_EFRON, NULL)), "entry after exit rejected");
		en[0] = NAN;
		CHECK(PF_TRY(pf_cox_fit(&d, PF_COX_EFRON, NULL)), "NaN entry rejected");
		en[0] = INFINITY;
		CHECK(PF_TRY(pf_cox_fit(&d, PF_COX_EFRON, NULL)), "entry +infinity rejected");
		en[0] = -INFINITY;
		m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
		CHECK(m->events == 2, "entry -infinity accepted");
		pf_cox_free(m);
		d.entry = NULL;
		before = unit_bytes_allocated;
		d.n = 0;
		CHECK(PF_TRY(pf_cox_fit(&d, PF_COX_EFRON, NULL)) &&
			  strcmp(pf_last_error_message, "Cox regression needs at least one row") == 0,
			  "no rows: %s", pf_last_error_message);
		d.n = 3;
		d.p = 0;
		CHECK(PF_TRY(pf_cox_fit(&d, PF_COX_EFRON, NULL)) &&
			  strcmp(pf_last_error_message, "Cox regression needs between 1 and 64 covariates, not 0") == 0,
			  "no covariates: %s", pf_last_error_message);
		d.p = 65;
		CHECK(PF_TRY(pf_cox_fit(&d, PF_COX_EFRON, NULL)) &&
			  strcmp(pf_last_error_message, "Cox regression needs between 1 and 64 covariates, not 65") == 0,
			  "65 covariates: %s", pf_last_error_message);
		d.p = 1;
		CHECK(PF_TRY(pf_cox_fit(&d, (PfCoxTies) 7, NULL)), "unknown ties rejected");
		CHECK(PF_TRY(pf_cox_fit(NULL, PF_COX_EFRON, NULL)), "no data rejected");
		CHECK(unit_bytes_allocated == before, "errors allocate nothing");
		m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
		CHECK(PF_TRY(pf_cox_term(m, 1, 0.95, &(PfCoxTerm) {0})), "term out of range");
		CHECK(PF_TRY(pf_cox_term(m, 0, 1.0, &(PfCoxTerm) {0})), "level out of range");
		pf_cox_free(m);
	}

	/* 64 covariates are accepted and fitted */
	{
		PfCoxModel *m2;

		r = synthetic(3000, 64, false);
		d = rows_data(&r);
		m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
		CHECK(m->p == 64 && m->converged && m->df == 64 && m->lr_chisq > 0 &&
			  m->iterations >= 3 && m->iterations <= 10,
			  "64 covariates: converged %d df %d iterations %d", m->converged, m->df, m->iterations);
		/* the score, LR and Wald tests agree roughly on a large sample */
		CHECK(fabs(m->lr_chisq - m->wald_chisq) < 0.1 * m->lr_chisq &&
			  fabs(m->lr_chisq - m->score_chisq) < 0.1 * m->lr_chisq,
			  "64 covariates: lr %g wald %g score %g", m->lr_chisq, m->wald_chisq, m->score_chisq);
		/* few ties at two decimals: Breslow stays close to Efron */
		m2 = pf_cox_fit(&d, PF_COX_BRESLOW, NULL);
		CHECK(close_rel(m2->beta[0], m->beta[0], 0.05, 0), "64 covariates: Breslow near Efron");
		pf_cox_free(m2);
		pf_cox_free(m);
		rows_free(&r);
	}

	/* memory of the order of the rows, interrupts at every stride */
	{
		size_t		before;
		long		checks;
		int64_t		n = 300000;

		r = synthetic(n, 3, true);
		d = rows_data(&r);
		before = unit_bytes_allocated;
		checks = unit_interrupt_checks;
		m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
		CHECK(m->converged && m->df == 3, "300000 rows with delayed entry: converged %d", m->converged);
		CHECK(unit_bytes_allocated - before < 2 * (size_t) n * (3 + 3) * sizeof(double),
			  "working memory %zu bytes for %lld rows of %zu bytes",
			  unit_bytes_allocated - before, (long long) n, (3 + 3) * sizeof(double));
		CHECK(unit_interrupt_checks - checks >= (long) (m->iterations + 1) * (n / PF_INTERRUPT_STRIDE),
			  "interrupt checks %ld", unit_interrupt_checks - checks);
		printf("# 300000 rows: %d iterations, %zu bytes allocated, %ld interrupt checks\n",
			   m->iterations, unit_bytes_allocated - before, unit_interrupt_checks - checks);
		pf_cox_free(m);
		rows_free(&r);
	}
}

UNIT_MAIN_BEGIN
{
	stats = csv_read(FIX "surv11_cox_stats_expected.csv");
	coefs = csv_read(FIX "surv11_cox_expected.csv");
	vcov = csv_read(FIX "surv11_cox_vcov_expected.csv");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
	printf("# cox_lung_sex_exact: exact ties are not implemented (its score test is the log-rank test, see test_logrank)\n");
	edge_cases();
	csv_free(stats);
	csv_free(coefs);
	csv_free(vcov);
}
UNIT_MAIN_END

/*
 * test_logrank.c
 *	  Unit tests of logrank_core: agreement with R on every case of
 *	  test/fixtures/surv11_logrank_expected.csv (survdiff at rho 0 and 1 on
 *	  right-censored data, the exact-ties coxph score test on right-censored
 *	  and delayed-entry data, with and without strata), summaries built from
 *	  parts, the chi-square tail against R's pchisq, degenerate groups,
 *	  invalid summaries and interrupt checks.
 *
 * Run from the repository root, where test/fixtures/ is found.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "logrank_core.h"

#define FIX "test/fixtures/"
#define REL 1e-9

typedef struct LrCase
{
	const char *id;				/* case_id less "logrank_" and the method */
	const char *dataset;
	const char *entry;			/* NULL: right-censored */
	const char *exit;
	const char *event;
	const char *group;
	const char *strata;			/* NULL: none */
} LrCase;

static const LrCase cases[] = {
	{"lung_sex", "lung", NULL, "time", "status", "sex", NULL},
	{"veteran_trt", "veteran", NULL, "time", "status", "trt", NULL},
	{"veteran_celltype", "veteran", NULL, "time", "status", "celltype", NULL},
	{"ovarian_rx", "ovarian", NULL, "time", "status", "rx", NULL},
	{"colon_rx", "colon", NULL, "time", "status", "rx", NULL},
	{"synth_ties_group", "synth_ties", NULL, "time", "status", "group", NULL},
	{"synth_ties_group_strata", "synth_ties", NULL, "time", "status", "group", "stratum"},
	{"synth_zero_group", "synth_zero", NULL, "time", "status", "group", NULL},
	{"synth_delayed_group", "synth_delayed", "entry", "exit", "event", "group", NULL},
	{"synth_delayed_group_strata", "synth_delayed", "entry", "exit", "event", "group", "stratum"},
	{"synth_delayed_small_group", "synth_delayed_small", "entry", "exit", "event", "group", NULL},
	{"heart_surgery", "heart", "start", "stop", "event", "surgery", NULL},
};

/* one subject */
typedef struct Obs
{
	int			stratum;
	int			group;
	double		entry;
	double		exit;
	bool		event;
} Obs;

/* The summaries of a set of subjects, samples[s * ngroups + g]. */
typedef struct Summaries
{
	int			ngroups;
	int			nstrata;
	PfLogrankSample *samples;
	PfLogrankExit **exits;
	PfLogrankEntry **entries;
} Summaries;

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

static Summaries
summarize(const Obs *obs, int n, int ngroups, int nstrata, bool with_entries)
{
	Summaries	s;
	int			cells = ngroups * nstrata;
	double	   *tmp = malloc(sizeof(double) * (n ? n : 1));

	s.ngroups = ngroups;
	s.nstrata = nstrata;
	s.samples = calloc(cells, sizeof(PfLogrankSample));
	s.exits = calloc(cells, sizeof(PfLogrankExit *));
	s.entries = calloc(cells, sizeof(PfLogrankEntry *));
	for (int c = 0; c < cells; c++)
	{
		int			m = 0;
		int			k = 0;

		/* exits: distinct times with events and censorings */
		for (int i = 0; i < n; i++)
			if (obs[i].stratum * ngroups + obs[i].group == c)
				tmp[m++] = obs[i].exit;
		qsort(tmp, m, sizeof(double), cmp_double);
		s.exits[c] = calloc(m ? m : 1, sizeof(PfLogrankExit));
		for (int i = 0; i < m; i++)
			if (k == 0 || s.exits[c][k - 1].time != tmp[i])
				s.exits[c][k++].time = tmp[i];
		for (int i = 0; i < n; i++)
		{
			if (obs[i].stratum * ngroups + obs[i].group != c)
				continue;
			for (int j = 0; j < k; j++)
				if (s.exits[c][j].time == obs[i].exit)
				{
					if (obs[i].event)
						s.exits[c][j].events++;
					else
						s.exits[c][j].censored++;
					break;
				}
		}
		s.samples[c].exits = s.exits[c];
		s.samples[c].nexits = k;

		if (with_entries && m > 0)
		{
			m = 0;
			for (int i = 0; i < n; i++)
				if (obs[i].stratum * ngroups + obs[i].group == c)
					tmp[m++] = obs[i].entry;
			qsort(tmp, m, sizeof(double), cmp_double);
			s.entries[c] = calloc(m, sizeof(PfLogrankEntry));
			k = 0;
			for (int i = 0; i < m; i++)
			{
				if (k == 0 || s.entries[c][k - 1].time != tmp[i])
					s.entries[c][k++].time = tmp[i];
				s.entries[c][k - 1].count++;
			}
			s.samples[c].entries = s.entries[c];
			s.samples[c].nentries = k;
		}
	}
	free(tmp);
	return s;
}

static void
summaries_free(Summaries *s)
{
	for (int c = 0; c < s->ngroups * s->nstrata; c++)
	{
		free(s->exits[c]);
		free(s->entries[c]);
	}
	free(s->exits);
	free(s->entries);
	free(s->samples);
}

typedef struct Data
{
	Obs		   *obs;
	int			n;
	int			ngroups;
	int			nstrata;
	char	  **levels;			/* group names, sorted as text */
} Data;

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static Data
load(const LrCase *c)
{
	char		path[256];
	Csv		   *d;
	Data		r;
	int			cg,
				cen,
				cex,
				cev,
				cs;
	char	  **snames;

	snprintf(path, sizeof(path), FIX "surv11_%s.csv", c->dataset);
	d = csv_read(path);
	cg = csv_col(d, c->group);
	cen = c->entry ? csv_col(d, c->entry) : -1;
	cex = csv_col(d, c->exit);
	cev = csv_col(d, c->event);
	cs = c->strata ? csv_col(d, c->strata) : -1;

	memset(&r, 0, sizeof(r));
	r.n = d->nrows;
	r.obs = malloc(sizeof(Obs) * r.n);
	r.levels = malloc(sizeof(char *) * r.n);
	snames = malloc(sizeof(char *) * r.n);
	for (int i = 0; i < r.n; i++)
	{
		const char *g = csv_str(d, i, cg);
		int			k;

		for (k = 0; k < r.ngroups; k++)
			if (strcmp(r.levels[k], g) == 0)
				break;
		if (k == r.ngroups)
			r.levels[r.ngroups++] = strdup(g);
	}
	qsort(r.levels, r.ngroups, sizeof(char *), cmp_str);
	r.nstrata = cs >= 0 ? 0 : 1;
	for (int i = 0; i < r.n; i++)
	{
		Obs		   *o = &r.obs[i];
		const char *g = csv_str(d, i, cg);

		for (o->group = 0; strcmp(r.levels[o->group], g) != 0; o->group++)
			;
		o->stratum = 0;
		if (cs >= 0)
		{
			const char *s = csv_str(d, i, cs);

			for (o->stratum = 0; o->stratum < r.nstrata; o->stratum++)
				if (strcmp(snames[o->stratum], s) == 0)
					break;
			if (o->stratum == r.nstrata)
				snames[r.nstrata++] = strdup(s);
		}
		o->entry = cen >= 0 ? csv_num(d, i, cen) : -INFINITY;
		o->exit = csv_num(d, i, cex);
		o->event = csv_num(d, i, cev) != 0;
	}
	for (int s = 0; s < (cs >= 0 ? r.nstrata : 0); s++)
		free(snames[s]);
	free(snames);
	csv_free(d);
	return r;
}

static void
data_free(Data *d)
{
	for (int g = 0; g < d->ngroups; g++)
		free(d->levels[g]);
	free(d->levels);
	free(d->obs);
}

static Csv *expected;
static double max_err;

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

/* the fixture's rows of one case against a result */
static void
check_rows(const char *id, const Data *d, const PfLogrankResult *r)
{
	int			ccase = csv_col(expected, "case_id");
	int			first = -1;
	int			nrows = 0;

	for (int i = 0; i < expected->nrows; i++)
		if (strcmp(csv_str(expected, i, ccase), id) == 0)
		{
			if (first < 0)
				first = i;
			nrows++;
		}
	CHECK(nrows == d->ngroups, "%s: %d fixture rows for %d groups", id, nrows, d->ngroups);
	if (nrows != d->ngroups)
		return;
	max_err = 0;
	for (int g = 0; g < d->ngroups; g++)
	{
		int			i = first + g;

#define EXP(name) csv_num(expected, i, csv_col(expected, name))
		CHECK(strcmp(csv_str(expected, i, csv_col(expected, "group")), d->levels[g]) == 0,
			  "%s: group %d is %s", id, g, d->levels[g]);
		CHECK(r->n[g] == (int64_t) EXP("n"), "%s: n %lld", id, (long long) r->n[g]);
		CHECK(agree(r->observed[g], EXP("observed"), REL), "%s: observed[%d] %.17g want %.17g",
			  id, g, r->observed[g], EXP("observed"));
		CHECK(agree(r->expected[g], EXP("expected"), REL), "%s: expected[%d] %.17g want %.17g",
			  id, g, r->expected[g], EXP("expected"));
		CHECK(agree(r->var[g * d->ngroups + g], EXP("var_diag"), REL),
			  "%s: var[%d] %.17g want %.17g", id, g, r->var[g * d->ngroups + g], EXP("var_diag"));
		if (g == 0)
		{
			CHECK(agree(r->chisq, EXP("chisq"), REL), "%s: chisq %.17g want %.17g",
				  id, r->chisq, EXP("chisq"));
			CHECK(r->df == (int) EXP("df"), "%s: df %d", id, r->df);
			CHECK(agree(r->p, EXP("p"), REL), "%s: p %.17g want %.17g", id, r->p, EXP("p"));
		}
#undef EXP
	}
	/* each row of the variance sums to zero, observed and expected totals agree */
	{
		double		ot = 0,
					et = 0,
					worst = 0,
					scale = 0;

		for (int g = 0; g < d->ngroups; g++)
		{
			double		rs = 0;

			ot += r->observed[g];
			et += r->expected[g];
			for (int h = 0; h < d->ngroups; h++)
				rs += r->var[g * d->ngroups + h];
			if (fabs(rs) > worst)
				worst = fabs(rs);
			scale += r->var[g * d->ngroups + g];
		}
		CHECK(close_rel(ot, et, 1e-12, 0) && worst <= 1e-12 * scale,
			  "%s: totals %.17g %.17g, row sums %g", id, ot, et, worst);
	}
	printf("# %s: max relative error %.2e\n", id, max_err);
}

static void
check_case(const LrCase *c)
{
	Data		d = load(c);
	bool		counting = c->entry != NULL;
	Summaries	s = summarize(d.obs, d.n, d.ngroups, d.nstrata, counting);
	char		id[128];
	PfLogrankResult *r;

	if (!counting)
	{
		for (int rho = 0; rho <= 1; rho++)
		{
			snprintf(id, sizeof(id), "logrank_%s_rho%d", c->id, rho);
			r = pf_logrank_test(s.samples, d.ngroups, d.nstrata, rho);
			check_rows(id, &d, r);
			pf_logrank_free(r);
		}
	}
	snprintf(id, sizeof(id), "logrank_%s_coxph_exact", c->id);
	r = pf_logrank_test(s.samples, d.ngroups, d.nstrata, 0);
	check_rows(id, &d, r);
	pf_logrank_free(r);

	if (!counting)
	{
		/* entries at -infinity are right-censored data */
		Summaries	s2 = summarize(d.obs, d.n, d.ngroups, d.nstrata, true);
		PfLogrankResult *r2;

		r = pf_logrank_test(s.samples, d.ngroups, d.nstrata, 1);
		r2 = pf_logrank_test(s2.samples, d.ngroups, d.nstrata, 1);
		CHECK(r->chisq == r2->chisq && r->var[1] == r2->var[1] &&
			  r->expected[0] == r2->expected[0], "%s: entries at -infinity", c->id);
		pf_logrank_free(r);
		pf_logrank_free(r2);
		summaries_free(&s2);
	}
	summaries_free(&s);
	data_free(&d);
}

/* ---------------------------------------------------------------- other checks */

static void
check_chisq(void)
{
	/* R: pchisq(x, df, lower.tail = FALSE) */
	static const struct
	{
		double		x;
		int			df;
		double		p;
	}			ref[] = {
		{3.841458820694124, 1, 0.049999999999999975},
		{0.5, 2, 0.77880078307140488},
		{10, 3, 0.018566135463043233},
		{191.71872991407918, 10, 8.5791352290897646e-36},
		{0.001, 64, 1},
		{30, 7, 9.4959725081341848e-05},
		{1500, 3, 0},
		{2000, 1, 0},
		{0.10000000000000001, 100, 0.99999999999999989},
		{700, 64, 9.731166871178493e-108},
		{1600, 1001, 2.207692865012015e-30},
	};

	max_err = 0;
	for (size_t i = 0; i < sizeof(ref) / sizeof(ref[0]); i++)
	{
		double		p = pf_logrank_chisq_sf(ref[i].x, ref[i].df);

		CHECK(agree(p, ref[i].p, 1e-12), "chisq_sf(%g, %d) = %.17g, R %.17g",
			  ref[i].x, ref[i].df, p, ref[i].p);
	}
	printf("# chi-square tail: max relative error %.2e\n", max_err);
	CHECK(pf_logrank_chisq_sf(0, 3) == 1 && pf_logrank_chisq_sf(-1, 3) == 1 &&
		  pf_logrank_chisq_sf(INFINITY, 3) == 0 && isnan(pf_logrank_chisq_sf(NAN, 3)) &&
		  isnan(pf_logrank_chisq_sf(1, 0)), "chi-square tail at the edges");
}

static void
check_merge(void)
{
	/* summaries of two halves, merged by adding counts at equal times */
	const LrCase *c = &cases[9];	/* synth_delayed_group_strata */
	Data		d = load(c);
	int			half = d.n / 2;
	Summaries	whole = summarize(d.obs, d.n, d.ngroups, d.nstrata, true);
	Summaries	a = summarize(d.obs, half, d.ngroups, d.nstrata, true);
	Summaries	b = summarize(d.obs + half, d.n - half, d.ngroups, d.nstrata, true);
	int			cells = d.ngroups * d.nstrata;
	PfLogrankSample *m = calloc(cells, sizeof(PfLogrankSample));
	PfLogrankResult *r1,
			   *r2;

	for (int k = 0; k < cells; k++)
	{
		/* merge the sorted lists */
		const PfLogrankSample *x = &a.samples[k],
				   *y = &b.samples[k];
		PfLogrankExit *ex = calloc(x->nexits + y->nexits + 1, sizeof(PfLogrankExit));
		PfLogrankEntry *en = calloc(x->nentries + y->nentries + 1, sizeof(PfLogrankEntry));
		int64_t		i = 0,
					j = 0,
					n = 0;

		while (i < x->nexits || j < y->nexits)
		{
			double		t = (j >= y->nexits || (i < x->nexits && x->exits[i].time < y->exits[j].time))
				? x->exits[i].time : y->exits[j].time;

			ex[n].time = t;
			if (i < x->nexits && x->exits[i].time == t)
			{
				ex[n].events += x->exits[i].events;
				ex[n].censored += x->exits[i++].censored;
			}
			if (j < y->nexits && y->exits[j].time == t)
			{
				ex[n].events += y->exits[j].events;
				ex[n].censored += y->exits[j++].censored;
			}
			n++;
		}
		m[k].exits = ex;
		m[k].nexits = n;
		i = j = n = 0;
		while (i < x->nentries || j < y->nentries)
		{
			double		t = (j >= y->nentries || (i < x->nentries && x->entries[i].time < y->entries[j].time))
				? x->entries[i].time : y->entries[j].time;

			en[n].time = t;
			if (i < x->nentries && x->entries[i].time == t)
				en[n].count += x->entries[i++].count;
			if (j < y->nentries && y->entries[j].time == t)
				en[n].count += y->entries[j++].count;
			n++;
		}
		m[k].entries = en;
		m[k].nentries = n;
	}
	r1 = pf_logrank_test(whole.samples, d.ngroups, d.nstrata, 0.5);
	r2 = pf_logrank_test(m, d.ngroups, d.nstrata, 0.5);
	CHECK(r1->chisq == r2->chisq && r1->df == r2->df &&
		  memcmp(r1->var, r2->var, sizeof(double) * d.ngroups * d.ngroups) == 0 &&
		  memcmp(r1->expected, r2->expected, sizeof(double) * d.ngroups) == 0,
		  "merged summaries of two halves equal the summary of the whole");
	pf_logrank_free(r1);
	pf_logrank_free(r2);
	for (int k = 0; k < cells; k++)
	{
		free((void *) m[k].exits);
		free((void *) m[k].entries);
	}
	free(m);
	summaries_free(&whole);
	summaries_free(&a);
	summaries_free(&b);
	data_free(&d);
}

static void
check_edges(void)
{
	PfLogrankExit ex0[] = {{1, 1, 0}, {3, 2, 1}, {4, 0, 1}};
	PfLogrankExit ex1[] = {{2, 1, 0}, {3, 1, 0}, {5, 1, 0}};
	PfLogrankExit ex2[] = {{0.5, 0, 2}};	/* censored before any event */
	PfLogrankEntry en1[] = {{-INFINITY, 1}, {0, 1}, {1, 1}};
	PfLogrankSample s[3] = {
		{ex0, 3, NULL, 0}, {ex1, 3, en1, 3}, {ex2, 1, NULL, 0}
	};
	PfLogrankResult *r;
	size_t		before;

	/* a group never at risk at an event time: expected 0, one df less */
	r = pf_logrank_test(s, 3, 1, 0);
	CHECK(r->expected[2] == 0 && r->observed[2] == 0 && r->df == 1 && r->n[2] == 2 &&
		  r->n[1] == 3, "group without risk at events: df %d", r->df);
	{
		PfLogrankResult *r2 = pf_logrank_test(s, 2, 1, 0);

		CHECK(close_rel(r->chisq, r2->chisq, 1e-14, 0) && r2->df == 1,
			  "the empty group changes nothing: %.17g %.17g", r->chisq, r2->chisq);
		pf_logrank_free(r2);
	}
	pf_logrank_free(r);

	/*
	 * By hand.  Group 0: 5 subjects from -infinity; group 1 enters at
	 * -infinity, 0 and 1 (not at risk at 1).  At risk (n0, n1) and events:
	 * t=1: (5, 2), d 1; t=2: (4, 3), d 1; t=3: (4, 2), d 3; t=5: (0, 1), d 1
	 * (no variance where one is at risk).
	 */
	{
		double		e0 = 1.0 * 5 / 7 + 1.0 * 4 / 7 + 3.0 * 4 / 6 + 0;
		double		v0 = (1.0 * 6 / 6 * 5 / 7 * 2 / 7) + (1.0 * 6 / 6 * 4 / 7 * 3 / 7) +
			(3.0 * 3 / 5 * 4 / 6 * 2 / 6);

		r = pf_logrank_test(s, 2, 1, 0);
		CHECK(close_rel(r->expected[0], e0, 1e-14, 0) && close_rel(r->var[0], v0, 1e-14, 0) &&
			  r->observed[0] == 3 && r->observed[1] == 3,
			  "by hand: expected %.17g (%.17g) var %.17g (%.17g)", r->expected[0], e0, r->var[0], v0);
		pf_logrank_free(r);
	}

	/* invalid summaries, rejected before anything is allocated */
	before = unit_bytes_allocated;
	CHECK(PF_TRY(pf_logrank_test(s, 1, 1, 0)) &&
		  strcmp(pf_last_error_message, "log-rank test needs between 2 and 1024 groups, not 1") == 0,
		  "one group: %s", pf_last_error_message);
	CHECK(PF_TRY(pf_logrank_test(s, 2, 0, 0)), "no strata");
	CHECK(PF_TRY(pf_logrank_test(s, 2, 1, -1)), "negative rho");
	CHECK(PF_TRY(pf_logrank_test(s, 2, 1, NAN)), "NaN rho");
	ex0[1].time = 0.5;
	CHECK(PF_TRY(pf_logrank_test(s, 2, 1, 0)) &&
		  strcmp(pf_last_error_message, "invalid survival summary of group 1 in stratum 1") == 0,
		  "decreasing times: %s", pf_last_error_message);
	ex0[1].time = 3;
	ex0[0].events = -1;
	CHECK(PF_TRY(pf_logrank_test(s, 2, 1, 0)), "negative count");
	ex0[0].events = 1;
	ex0[0].time = INFINITY;
	CHECK(PF_TRY(pf_logrank_test(s, 2, 1, 0)), "infinite exit");
	ex0[0].time = 1;
	en1[2].count = 2;
	CHECK(PF_TRY(pf_logrank_test(s, 2, 1, 0)) &&
		  strcmp(pf_last_error_message, "invalid survival summary of group 2 in stratum 1") == 0,
		  "entries not summing to exits");
	en1[2].count = 1;
	{
		/* nobody has entered before the exit at 2 */
		PfLogrankEntry late[] = {{2.5, 1}, {2.6, 1}, {2.7, 1}};

		s[1].entries = late;
		CHECK(PF_TRY(pf_logrank_test(s, 2, 1, 0)), "leaving without being at risk");
		late[0].time = NAN;
		CHECK(PF_TRY(pf_logrank_test(s, 2, 1, 0)), "NaN entry");
		late[0].time = INFINITY;
		CHECK(PF_TRY(pf_logrank_test(s, 2, 1, 0)), "entry at +infinity");
		s[1].entries = en1;
	}
	CHECK(unit_bytes_allocated == before, "errors allocate nothing");

	/* no events at all: nothing to test */
	{
		PfLogrankExit c0[] = {{1, 0, 3}};
		PfLogrankExit c1[] = {{2, 0, 1}};
		PfLogrankSample cs[2] = {{c0, 1, NULL, 0}, {c1, 1, NULL, 0}};

		r = pf_logrank_test(cs, 2, 1, 0);
		CHECK(r->chisq == 0 && r->df == 0 && isnan(r->p), "no events");
		pf_logrank_free(r);
	}
}

static void
check_interrupts(void)
{
	int			n = 200000;
	PfLogrankExit *a = malloc(sizeof(PfLogrankExit) * n);
	PfLogrankExit *b = malloc(sizeof(PfLogrankExit) * n);
	PfLogrankSample s[2] = {{a, n, NULL, 0}, {b, n, NULL, 0}};
	PfLogrankResult *r;
	long		checks = unit_interrupt_checks;

	for (int i = 0; i < n; i++)
	{
		a[i] = (PfLogrankExit) {i, 1 + i % 2, i % 3};
		b[i] = (PfLogrankExit) {i + 0.5, 1, i % 2};
	}
	r = pf_logrank_test(s, 2, 1, 0);
	CHECK(unit_interrupt_checks - checks >= 2 * n / PF_INTERRUPT_STRIDE &&
		  r->observed[0] == 1.5 * n, "interrupt checks: %ld", unit_interrupt_checks - checks);
	pf_logrank_free(r);
	free(a);
	free(b);
}

UNIT_MAIN_BEGIN
{
	expected = csv_read(FIX "surv11_logrank_expected.csv");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
	check_chisq();
	check_merge();
	check_edges();
	check_interrupts();
	csv_free(expected);
}
UNIT_MAIN_END

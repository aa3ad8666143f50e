/*-------------------------------------------------------------------------
 *
 * logrank_core.c
 *	  The G-rho family of log-rank tests on mergeable per-group summaries
 *	  of right-censored and delayed-entry data; the chi-square upper tail
 *	  and the generalized inverse shared with cox_core.  See logrank_core.h.
 *
 *-------------------------------------------------------------------------
 */
#include "logrank_core.h"

#include <math.h>
#include <string.h>

#include "distributions_core.h"

/* ---------------------------------------------------------------- chi-square */

double
pf_logrank_chisq_sf(double x, int64_t df)
{
	double		h = x / 2;
	double		sum;
	int64_t		m = df / 2;

	if (isnan(x) || df < 1)
		return NAN;
	if (x <= 0)
		return 1;
	if (isinf(x))
		return 0;

	if (df % 2 == 0)
	{
		/* Q(m, h) = exp(-h) sum_{i<m} h^i / i! */
		if (h < 700)
		{
			double		term = exp(-h);

			sum = term;
			for (int64_t i = 1; i < m; i++)
			{
				PF_INTERRUPT_EVERY(i);
				term *= h / (double) i;
				sum += term;
			}
		}
		else
		{
			/* exp(-h) underflows: each term from its logarithm */
			double		lh = log(h);

			sum = 0;
			for (int64_t i = 0; i < m; i++)
			{
				PF_INTERRUPT_EVERY(i);
				sum += exp(-h + (double) i * lh - lgamma((double) i + 1));
			}
		}
	}
	else
	{
		/*
		 * Q(m + 1/2, h) = erfc(sqrt(h)) + exp(-h) sum_{i=1..m} h^(i-1/2) /
		 * Gamma(i + 1/2)
		 */
		sum = 2 * pf_distributions_norm_sf(sqrt(x));
		if (m > 0)
		{
			if (h < 700)
			{
				double		term = exp(-h) * sqrt(h) / (sqrt(M_PI) / 2);

				sum += term;
				for (int64_t i = 1; i < m; i++)
				{
					PF_INTERRUPT_EVERY(i);
					term *= h / ((double) i + 0.5);
					sum += term;
				}
			}
			else
			{
				double		lh = log(h);

				for (int64_t i = 1; i <= m; i++)
				{
					PF_INTERRUPT_EVERY(i);
					sum += exp(-h + ((double) i - 0.5) * lh - lgamma((double) i + 0.5));
				}
			}
		}
	}
	return sum > 1 ? 1 : sum;
}

/* ---------------------------------------------------------------- generalized inverse */

int
pf_logrank_ginv_factor(double *m, int k, double toler, bool *dropped)
{
	double		eps = 0;
	int			rank = 0;

	for (int i = 0; i < k; i++)
		if (m[i * k + i] > eps)
			eps = m[i * k + i];
	eps = (eps == 0) ? toler : eps * toler;

	for (int i = 0; i < k; i++)
	{
		double		pivot = m[i * k + i];

		if (!isfinite(pivot) || pivot < eps)
		{
			/* leave the variable out: no multiplier refers to it */
			dropped[i] = true;
			m[i * k + i] = 0;
			for (int j = i + 1; j < k; j++)
				m[j * k + i] = 0;
			continue;
		}
		dropped[i] = false;
		rank++;
		for (int j = i + 1; j < k; j++)
		{
			double		t = m[j * k + i] / pivot;

			m[j * k + i] = t;
			m[j * k + j] -= t * t * pivot;
			for (int l = j + 1; l < k; l++)
				m[l * k + j] -= t * m[l * k + i];
		}
	}
	return rank;
}

void
pf_logrank_ginv_solve(const double *m, int k, const bool *dropped, double *b)
{
	/* L y = b */
	for (int i = 0; i < k; i++)
	{
		double		t = b[i];

		for (int j = 0; j < i; j++)
			t -= m[i * k + j] * b[j];
		b[i] = t;
	}
	/* D L' x = y */
	for (int i = k - 1; i >= 0; i--)
	{
		double		t;

		if (dropped[i])
		{
			b[i] = 0;
			continue;
		}
		t = b[i] / m[i * k + i];
		for (int j = i + 1; j < k; j++)
			t -= m[j * k + i] * b[j];
		b[i] = t;
	}
}

/* ---------------------------------------------------------------- validation */

static void
bad_sample(int s, int g, const char *detail)
{
	pf_errorf(PF_ERR_INVALID_PARAMETER, detail, NULL,
			  "invalid survival summary of group %d in stratum %d", g + 1, s + 1);
}

/* The rules of logrank_core.h for one sample; nothing is allocated. */
static void
check_sample(const PfLogrankSample *x, int s, int g)
{
	int64_t		subjects = 0;
	int64_t		entered = 0;
	int64_t		left = 0;
	int64_t		e = 0;

	if (x->nexits < 0 || x->nentries < 0 ||
		(x->nexits > 0 && x->exits == NULL) ||
		(x->nentries > 0 && x->entries == NULL))
		bad_sample(s, g, "A list length is negative or a list is missing.");

	for (int64_t i = 0; i < x->nexits; i++)
	{
		const PfLogrankExit *r = &x->exits[i];
		int64_t		leaving = 0;

		PF_INTERRUPT_EVERY(i);
		if (!isfinite(r->time))
			bad_sample(s, g, "Exit times must be finite.");
		if (i > 0 && !(r->time > x->exits[i - 1].time))
			bad_sample(s, g, "Exit times must be strictly increasing.");
		if (r->events < 0 || r->censored < 0)
			bad_sample(s, g, "Event and censoring counts must not be negative.");
		pf_count_add(&leaving, r->events);
		pf_count_add(&leaving, r->censored);
		pf_count_add(&subjects, leaving);

		if (x->nentries > 0)
		{
			/* those entered before this exit time cover those leaving at it */
			while (e < x->nentries && x->entries[e].time < r->time)
				pf_count_add(&entered, x->entries[e++].count);
			if (entered - left < leaving)
				bad_sample(s, g, "More subjects leave at a time than are at risk then.");
			left += leaving;
		}
	}

	if (x->nentries > 0)
	{
		int64_t		total = 0;

		for (int64_t i = 0; i < x->nentries; i++)
		{
			const PfLogrankEntry *r = &x->entries[i];

			PF_INTERRUPT_EVERY(i);
			if (isnan(r->time) || r->time == INFINITY)
				bad_sample(s, g, "Entry times must be below +infinity.");
			if (i > 0 && !(r->time > x->entries[i - 1].time))
				bad_sample(s, g, "Entry times must be strictly increasing.");
			if (r->count < 0)
				bad_sample(s, g, "Entry counts must not be negative.");
			pf_count_add(&total, r->count);
		}
		if (total != subjects)
			bad_sample(s, g, "The entry counts must sum to the subjects that exit.");
	}
}

/* ---------------------------------------------------------------- the test */

/* where each group of one stratum stands in its lists */
typedef struct Cursor
{
	int64_t		exit;			/* first exit at or after the current time */
	int64_t		event;			/* first exit with events after the last event time */
	int64_t		entry;			/* first entry at or after the current time */
	int64_t		entered;		/* entries before the current time */
	int64_t		left;			/* exits before the current time */
} Cursor;

PfLogrankResult *
pf_logrank_test(const PfLogrankSample *samples, int ngroups, int nstrata,
				double rho)
{
	PfLogrankResult *r;
	Cursor	   *cur;
	int		   *active;
	double	   *ng;
	double	   *vs;
	double	   *u;
	bool	   *dropped;
	int		   *use;
	int			k = ngroups;
	int			nuse;
	size_t		size;

	if (ngroups < 2 || ngroups > PF_LOGRANK_MAX_GROUPS)
		pf_errorf(PF_ERR_INVALID_PARAMETER, NULL, NULL,
				  "log-rank test needs between 2 and %d groups, not %d",
				  PF_LOGRANK_MAX_GROUPS, ngroups);
	if (nstrata < 1)
		pf_error(PF_ERR_INVALID_PARAMETER, "log-rank test needs at least one stratum",
				 NULL, NULL);
	if (!(rho >= 0) || isinf(rho))
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "log-rank weight exponent rho must be finite and not negative",
				 NULL, NULL);
	if (samples == NULL)
		pf_error(PF_ERR_INVALID_PARAMETER, "log-rank test has no samples", NULL, NULL);
	for (int s = 0; s < nstrata; s++)
		for (int g = 0; g < k; g++)
			check_sample(&samples[(size_t) s * k + g], s, g);

	size = sizeof(PfLogrankResult) + (size_t) k * (sizeof(int64_t) + 2 * sizeof(double)) +
		(size_t) k * k * sizeof(double);
	r = pf_alloc0(size);
	r->n = (int64_t *) (r + 1);
	r->observed = (double *) (r->n + k);
	r->expected = r->observed + k;
	r->var = r->expected + k;
	r->ngroups = k;
	r->rho = rho;

	cur = pf_alloc(sizeof(Cursor) * k);
	active = pf_alloc(sizeof(int) * k);
	ng = pf_alloc(sizeof(double) * k);

	for (int s = 0; s < nstrata; s++)
	{
		const PfLogrankSample *row = &samples[(size_t) s * k];
		double		km = 1;			/* S(t-) of the stratum */
		int64_t		it = 0;

		for (int g = 0; g < k; g++)
		{
			Cursor	   *c = &cur[g];

			memset(c, 0, sizeof(*c));
			for (int64_t i = 0; i < row[g].nexits; i++)
				pf_count_add(&r->n[g], row[g].exits[i].events + row[g].exits[i].censored);
			if (row[g].nentries == 0)
			{
				/* right-censored: everyone entered at -infinity */
				for (int64_t i = 0; i < row[g].nexits; i++)
					c->entered += row[g].exits[i].events + row[g].exits[i].censored;
			}
		}

		for (;;)
		{
			double		t = INFINITY;
			double		n = 0;
			double		d = 0;
			double		w;
			int			na = 0;

			PF_INTERRUPT_EVERY(it);
			it++;

			/* the next event time of the stratum */
			for (int g = 0; g < k; g++)
			{
				const PfLogrankSample *x = &row[g];
				Cursor	   *c = &cur[g];

				while (c->event < x->nexits && x->exits[c->event].events == 0)
					c->event++;
				if (c->event < x->nexits && x->exits[c->event].time < t)
					t = x->exits[c->event].time;
			}
			if (t == INFINITY)
				break;
			w = pow(km, rho);

			/* at risk and events at t, group by group */
			for (int g = 0; g < k; g++)
			{
				const PfLogrankSample *x = &row[g];
				Cursor	   *c = &cur[g];
				double		dg = 0;
				double		nrisk;

				while (c->entry < x->nentries && x->entries[c->entry].time < t)
					c->entered += x->entries[c->entry++].count;
				while (c->exit < x->nexits && x->exits[c->exit].time < t)
				{
					c->left += x->exits[c->exit].events + x->exits[c->exit].censored;
					c->exit++;
				}
				if (c->exit < x->nexits && x->exits[c->exit].time == t)
				{
					dg = (double) x->exits[c->exit].events;
					c->event = c->exit + 1;
				}
				nrisk = (double) (c->entered - c->left);
				if (nrisk > 0)
				{
					active[na++] = g;
					ng[g] = nrisk;
					n += nrisk;
					d += dg;
					r->observed[g] += w * dg;
				}
			}

			for (int a = 0; a < na; a++)
			{
				int			g = active[a];

				r->expected[g] += w * d * ng[g] / n;
			}
			if (n > 1)
			{
				double		c = w * w * d * (n - d) / (n - 1) / n;

				for (int a = 0; a < na; a++)
				{
					int			g = active[a];
					double		cg = c * ng[g];
					double	   *vrow = &r->var[(size_t) g * k];

					vrow[g] += cg;
					for (int b = 0; b < na; b++)
						vrow[active[b]] -= cg * ng[active[b]] / n;
				}
			}
			km *= (n - d) / n;
		}
	}
	pf_free(cur);
	pf_free(active);
	pf_free(ng);

	/* chisq over the groups with expected > 0, less the first of them */
	use = pf_alloc(sizeof(int) * k);
	nuse = 0;
	for (int g = 0; g < k; g++)
		if (r->expected[g] > 0)
			use[nuse++] = g;
	r->chisq = 0;
	r->df = 0;
	r->p = NAN;
	if (nuse >= 2)
	{
		int			m = nuse - 1;

		vs = pf_alloc(sizeof(double) * m * m);
		u = pf_alloc(sizeof(double) * m * 2);
		dropped = pf_alloc(sizeof(bool) * m);
		for (int a = 0; a < m; a++)
		{
			int			g = use[a + 1];

			u[a] = r->observed[g] - r->expected[g];
			u[m + a] = u[a];
			for (int b = 0; b < m; b++)
				vs[a * m + b] = r->var[(size_t) g * k + use[b + 1]];
		}
		r->df = pf_logrank_ginv_factor(vs, m, PF_LOGRANK_TOLER, dropped);
		pf_logrank_ginv_solve(vs, m, dropped, u + m);
		for (int a = 0; a < m; a++)
			r->chisq += u[a] * u[m + a];
		if (r->df > 0)
			r->p = pf_logrank_chisq_sf(r->chisq, r->df);
		pf_free(vs);
		pf_free(u);
		pf_free(dropped);
	}
	pf_free(use);
	return r;
}

void
pf_logrank_free(PfLogrankResult *r)
{
	pf_free(r);
}

/*-------------------------------------------------------------------------
 *
 * cox_core.c
 *	  Cox proportional-hazards regression on counting-process data, Efron
 *	  or Breslow ties, stratified, by Newton-Raphson with step halving.
 *	  See cox_core.h.
 *
 *-------------------------------------------------------------------------
 */
#include "cox_core.h"

#include <math.h>
#include <string.h>

#include "distributions_core.h"
#include "logrank_core.h"
#include "ranks_core.h"

/*
 * Linear predictors above this are shifted down before exp(), so that the
 * running sums cannot overflow; the shift cancels out of every result.
 */
#define ETA_CEILING 300.0

/* ---------------------------------------------------------------- sorting */

typedef struct SortItem
{
	uint64_t	key;
	uint32_t	idx;
} SortItem;

#define RADIX_BITS 11
#define RADIX_SIZE (1 << RADIX_BITS)
#define RADIX_PASSES 6			/* 66 bits cover a 64-bit key */

/*
 * Stable LSD radix sort of the n items of a by key, ascending, with b as
 * scratch; returns whichever of a and b holds the result.  A pass whose
 * digit is the same for every item is skipped.
 */
static SortItem *
radix_sort(SortItem *a, SortItem *b, uint32_t n)
{
	uint32_t   *count;

	if (n < 2)
		return a;
	count = pf_alloc0(sizeof(uint32_t) * RADIX_PASSES * RADIX_SIZE);
	for (uint32_t i = 0; i < n; i++)
	{
		uint64_t	key = a[i].key;

		PF_INTERRUPT_EVERY(i);
		for (int d = 0; d < RADIX_PASSES; d++)
			count[d * RADIX_SIZE + ((key >> (d * RADIX_BITS)) & (RADIX_SIZE - 1))]++;
	}
	for (int d = 0; d < RADIX_PASSES; d++)
	{
		uint32_t   *c = &count[d * RADIX_SIZE];
		int			shift = d * RADIX_BITS;
		uint32_t	sum = 0;
		SortItem   *t;

		if (c[(a[0].key >> shift) & (RADIX_SIZE - 1)] == n)
			continue;
		for (int v = 0; v < RADIX_SIZE; v++)
		{
			uint32_t	cv = c[v];

			c[v] = sum;
			sum += cv;
		}
		for (uint32_t i = 0; i < n; i++)
		{
			PF_INTERRUPT_EVERY(i);
			b[c[(a[i].key >> shift) & (RADIX_SIZE - 1)]++] = a[i];
		}
		t = a;
		a = b;
		b = t;
	}
	pf_free(count);
	return a;
}

static inline uint64_t
stratum_key(int32_t s)
{
	return (uint64_t) ((uint32_t) s ^ UINT32_C(0x80000000));
}

/* ---------------------------------------------------------------- the sweep */

typedef struct Work
{
	int			p;
	int			q;				/* p (p + 1) / 2, packed upper triangles */
	bool		efron;
	bool		counting;
	uint32_t	n;
	uint32_t	nstrata;
	int64_t		events;
	double	   *z;				/* [n * p] centred covariates, sweep order */
	double	   *time;			/* [n] exit times, sweep order */
	uint8_t    *status;			/* [n] */
	double	   *wt;				/* [n] exp(eta - shift) of the current beta */
	uint32_t   *ord2;			/* [n2] sweep positions by (stratum, entry desc) */
	double	   *entry2;			/* [n2] their entry times */
	uint32_t   *sstart;			/* [nstrata + 1] strata in sweep order */
	uint32_t   *s2start;		/* [nstrata + 1] strata in ord2 */
	double	   *zsum;			/* [p] sum of z over the events */
	/* scratch */
	double	   *sum;			/* [1 + p + q] risk set: S0, S1, S2 */
	double	   *comp;			/* [1 + p + q] their rounding errors */
	double	   *eff;			/* [1 + p + q] sum + comp */
	double	   *d1;				/* [p] */
	double	   *d2;				/* [q] */
	double	   *abar;			/* [p] */
	double	   *ip;				/* [q] information, packed */
} Work;

/*
 * The sweep order: by stratum, then exit time descending.  Within a
 * stratum the sweep goes from the last exit back to the first; at an exit
 * time t the rows exiting at t join the risk set, and (counting-process
 * data) before an event time t the rows with entry >= t leave it.
 *
 * The risk set's sums S0 = sum w, S1 = sum w z and S2 = sum w z z' (packed)
 * are kept in one array.  Right-censored data only ever add to them.  With
 * entries rows also leave, and a heavy row leaving a light risk set would
 * leave its rounding behind: there each sum carries its exact rounding
 * error (Knuth's two-sum), so that what remains is as accurate as if it
 * had been summed afresh.
 */

/* sum += wr * (1, z, z z'), or with the rounding errors kept in comp */
static inline void
accumulate(double *sum, int p, double wr, const double *z)
{
	double	   *s2 = sum + 1 + p;

	sum[0] += wr;
	for (int a = 0, m = 0; a < p; a++)
	{
		double		za = wr * z[a];

		sum[1 + a] += za;
		for (int b = a; b < p; b++)
			s2[m++] += za * z[b];
	}
}

static inline void
two_sum(double *s, double *c, double x)
{
	double		t = *s + x;
	double		v = t - *s;

	*c += (*s - (t - v)) + (x - v);
	*s = t;
}

static inline void
accumulate_exact(double *sum, double *comp, int p, double wr, const double *z)
{
	two_sum(&sum[0], &comp[0], wr);
	for (int a = 0, m = 1 + p; a < p; a++)
	{
		double		za = wr * z[a];

		two_sum(&sum[1 + a], &comp[1 + a], za);
		for (int b = a; b < p; b++, m++)
			two_sum(&sum[m], &comp[m], za * z[b]);
	}
}

/*
 * Log-likelihood at beta, its gradient u[p] and the information info[p*p]
 * (full, row-major).  Non-finite when exp() overflows or a risk set sum
 * vanishes, which the caller treats as a failed step.
 */
static double
evaluate(Work *w, const double *beta, double *u, double *info)
{
	const int	p = w->p;
	const int	q = w->q;
	const int	ns = 1 + p + q;
	double		maxeta = -INFINITY;
	double		shift;
	double		loglik;

	for (uint32_t k = 0; k < w->n; k++)
	{
		const double *zk = &w->z[(size_t) k * p];
		double		eta = 0;

		PF_INTERRUPT_EVERY(k);
		for (int a = 0; a < p; a++)
			eta += beta[a] * zk[a];
		w->wt[k] = eta;
		if (eta > maxeta)
			maxeta = eta;
	}
	shift = (maxeta > ETA_CEILING) ? maxeta - ETA_CEILING : 0;

	/* the events' own terms, sum of z'beta and sum of z, do not change */
	loglik = -(double) w->events * shift;
	for (int a = 0; a < p; a++)
	{
		loglik += beta[a] * w->zsum[a];
		u[a] = w->zsum[a];
	}
	memset(w->ip, 0, sizeof(double) * q);

	for (uint32_t s = 0; s < w->nstrata; s++)
	{
		uint32_t	k = w->sstart[s];
		uint32_t	end = w->sstart[s + 1];
		uint32_t	r2 = w->counting ? w->s2start[s] : 0;
		uint32_t	r2end = w->counting ? w->s2start[s + 1] : 0;
		int64_t		nrisk = 0;

		memset(w->sum, 0, sizeof(double) * ns);
		memset(w->comp, 0, sizeof(double) * ns);

		while (k < end)
		{
			double		t = w->time[k];
			uint32_t	j = k;
			int64_t		d = 0;
			uint32_t	first;
			const double *cur;
			double		s0;
			const double *s1;
			const double *s2;

			while (j < end && w->time[j] == t)
			{
				PF_INTERRUPT_EVERY(j);
				d += w->status[j];
				j++;
			}

			/* rows entering at or after t leave before the events at t */
			if (w->counting && d > 0)
			{
				while (r2 < r2end && w->entry2[r2] >= t)
				{
					uint32_t	r = w->ord2[r2];

					PF_INTERRUPT_EVERY(r2);
					/* leaving rows are scattered: fetch ahead */
					if (r2 + 8 < r2end)
					{
						__builtin_prefetch(&w->wt[w->ord2[r2 + 8]]);
						__builtin_prefetch(&w->z[(size_t) w->ord2[r2 + 8] * p]);
					}
					accumulate_exact(w->sum, w->comp, p, -w->wt[r], &w->z[(size_t) r * p]);
					nrisk--;
					r2++;
				}
				if (nrisk == 0)
				{
					/* an empty risk set: drop the rounding left behind */
					memset(w->sum, 0, sizeof(double) * ns);
					memset(w->comp, 0, sizeof(double) * ns);
				}
			}

			for (uint32_t r = k; r < j; r++)
			{
				double		wr = exp(w->wt[r] - shift);

				w->wt[r] = wr;
				if (w->counting)
					accumulate_exact(w->sum, w->comp, p, wr, &w->z[(size_t) r * p]);
				else
					accumulate(w->sum, p, wr, &w->z[(size_t) r * p]);
			}
			nrisk += j - k;
			first = k;
			k = j;
			if (d == 0)
				continue;

			cur = w->sum;
			if (w->counting)
			{
				for (int i = 0; i < ns; i++)
					w->eff[i] = w->sum[i] + w->comp[i];
				cur = w->eff;
			}
			s0 = cur[0];
			s1 = cur + 1;
			s2 = cur + 1 + p;

			if (d == 1 || !w->efron)
			{
				double		dd = (double) d;

				loglik -= dd * log(s0);
				for (int a = 0; a < p; a++)
				{
					w->abar[a] = s1[a] / s0;
					u[a] -= dd * w->abar[a];
				}
				for (int a = 0, m = 0; a < p; a++)
					for (int b = a; b < p; b++, m++)
						w->ip[m] += dd * (s2[m] / s0 - w->abar[a] * w->abar[b]);
			}
			else
			{
				/*
				 * Efron: the l-th of the d tied events sees the risk set
				 * less l/d of the events' own sums.
				 */
				double		e0 = 0;

				memset(w->d1, 0, sizeof(double) * p);
				memset(w->d2, 0, sizeof(double) * q);
				for (uint32_t r = first; r < j; r++)
				{
					const double *zr = &w->z[(size_t) r * p];
					double		wr = w->wt[r];

					if (!w->status[r])
						continue;
					e0 += wr;
					for (int a = 0, m = 0; a < p; a++)
					{
						double		za = wr * zr[a];

						w->d1[a] += za;
						for (int b = a; b < p; b++)
							w->d2[m++] += za * zr[b];
					}
				}
				for (int64_t l = 0; l < d; l++)
				{
					double		f = (double) l / (double) d;
					double		den = s0 - f * e0;

					PF_INTERRUPT_EVERY(l + 1);
					loglik -= log(den);
					for (int a = 0; a < p; a++)
					{
						w->abar[a] = (s1[a] - f * w->d1[a]) / den;
						u[a] -= w->abar[a];
					}
					for (int a = 0, m = 0; a < p; a++)
						for (int b = a; b < p; b++, m++)
							w->ip[m] += (s2[m] - f * w->d2[m]) / den -
								w->abar[a] * w->abar[b];
				}
			}
		}
	}

	for (int a = 0, m = 0; a < p; a++)
		for (int b = a; b < p; b++, m++)
		{
			info[a * p + b] = w->ip[m];
			info[b * p + a] = w->ip[m];
		}
	return loglik;
}

/* ---------------------------------------------------------------- setup */

static void
bad_row(const char *what, int64_t row, const char *detail)
{
	pf_errorf(PF_ERR_INVALID_PARAMETER, detail, NULL,
			  "invalid %s in row %lld of Cox regression", what, (long long) (row + 1));
}

void
pf_cox_control_default(PfCoxControl *c)
{
	c->max_iter = PF_COX_MAX_ITER;
	c->eps = PF_COX_EPS;
	c->toler_chol = PF_COX_TOLER_CHOL;
	c->toler_inf = PF_COX_TOLER_INF;
}

/*
 * Sort the rows into sweep order and copy them there, centred; with
 * entries, the order by (stratum, entry desc) of the rows that have a
 * finite one.
 */
static void
prepare(Work *w, const PfCoxData *data, const double *mean, const double *scale,
		uint32_t nfinite)
{
	const int	p = w->p;
	const uint32_t n = w->n;
	const size_t es = data->exit_stride ? data->exit_stride : 1;
	const size_t ns = data->entry_stride ? data->entry_stride : 1;
	const size_t xs = data->x_stride ? data->x_stride : (size_t) p;
	SortItem   *a = pf_alloc(sizeof(SortItem) * n);
	SortItem   *b = pf_alloc(sizeof(SortItem) * n);
	SortItem   *sorted;
	SortItem   *spare;
	uint32_t   *pos = NULL;
	uint32_t	nstrata;

	for (uint32_t i = 0; i < n; i++)
	{
		PF_INTERRUPT_EVERY(i);
		a[i].key = ~pf_ranks_key(data->exit[i * es]);
		a[i].idx = i;
	}
	sorted = radix_sort(a, b, n);
	if (data->stratum != NULL)
	{
		spare = (sorted == a) ? b : a;
		for (uint32_t i = 0; i < n; i++)
		{
			PF_INTERRUPT_EVERY(i);
			sorted[i].key = stratum_key(data->stratum[sorted[i].idx]);
		}
		sorted = radix_sort(sorted, spare, n);
	}

	nstrata = 1;
	if (data->stratum != NULL)
		for (uint32_t i = 1; i < n; i++)
		{
			PF_INTERRUPT_EVERY(i);
			if (sorted[i].key != sorted[i - 1].key)
				nstrata++;
		}
	w->nstrata = nstrata;
	w->sstart = pf_alloc(sizeof(uint32_t) * (nstrata + 1));
	w->z = pf_alloc(sizeof(double) * n * p);
	w->time = pf_alloc(sizeof(double) * n);
	w->status = pf_alloc(n);
	w->wt = pf_alloc(sizeof(double) * n);
	if (w->counting)
	{
		pos = pf_alloc(sizeof(uint32_t) * n);
	}

	nstrata = 0;
	for (uint32_t k = 0; k < n; k++)
	{
		uint32_t	i = sorted[k].idx;
		const double *xi = &data->x[i * xs];
		double	   *zk = &w->z[(size_t) k * p];

		PF_INTERRUPT_EVERY(k);
		if (k == 0 || (data->stratum != NULL && sorted[k].key != sorted[k - 1].key))
			w->sstart[nstrata++] = k;
		w->time[k] = data->exit[i * es];
		w->status[k] = data->event[i] ? 1 : 0;
		for (int j = 0; j < p; j++)
			zk[j] = (xi[j] - mean[j]) / scale[j];
		if (w->status[k])
			for (int j = 0; j < p; j++)
				w->zsum[j] += zk[j];
		if (w->counting)
		{
			pos[i] = k;
		}
	}
	w->sstart[nstrata] = n;

	if (w->counting)
	{
		uint32_t	m = 0;

		spare = (sorted == a) ? b : a;
		for (uint32_t i = 0; i < n; i++)
		{
			double		en = data->entry[i * ns];

			PF_INTERRUPT_EVERY(i);
			if (en == -INFINITY)
				continue;		/* at risk from the start, never leaves */
			sorted[m].key = ~pf_ranks_key(en);
			sorted[m].idx = i;
			m++;
		}
		sorted = radix_sort(sorted, spare, nfinite);
		if (data->stratum != NULL)
		{
			spare = (sorted == a) ? b : a;
			for (uint32_t i = 0; i < nfinite; i++)
			{
				PF_INTERRUPT_EVERY(i);
				sorted[i].key = stratum_key(data->stratum[sorted[i].idx]);
			}
			sorted = radix_sort(sorted, spare, nfinite);
		}
		w->ord2 = pf_alloc(sizeof(uint32_t) * (nfinite ? nfinite : 1));
		w->entry2 = pf_alloc(sizeof(double) * (nfinite ? nfinite : 1));
		w->s2start = pf_alloc(sizeof(uint32_t) * (w->nstrata + 1));
		for (uint32_t i = 0; i < nfinite; i++)
		{
			PF_INTERRUPT_EVERY(i);
			w->ord2[i] = pos[sorted[i].idx];
			w->entry2[i] = data->entry[sorted[i].idx * ns];
		}

		/* both orders list the strata alike: find each one's first entry */
		m = 0;
		for (uint32_t s = 0; s < w->nstrata; s++)
		{
			w->s2start[s] = m;
			while (m < nfinite && w->ord2[m] < w->sstart[s + 1])
			{
				PF_INTERRUPT_EVERY(m);
				m++;
			}
		}
		w->s2start[w->nstrata] = nfinite;
		pf_free(pos);
	}
	pf_free(a);
	pf_free(b);
}

/* ---------------------------------------------------------------- the fit */

static PfCoxModel *
alloc_model(int p)
{
	size_t		size = sizeof(PfCoxModel) + sizeof(double) * ((size_t) p * p + 3 * p) +
		2 * sizeof(bool) * p;
	PfCoxModel *m = pf_alloc0(size);

	m->p = p;
	m->beta = (double *) (m + 1);
	m->var = m->beta + p;
	m->means = m->var + (size_t) p * p;
	m->score = m->means + p;
	m->dropped = (bool *) (m->score + p);
	m->infinite = m->dropped + p;
	return m;
}

PfCoxModel *
pf_cox_fit(const PfCoxData *data, PfCoxTies ties, const PfCoxControl *control)
{
	PfCoxControl ctl;
	PfCoxModel *model;
	Work		w;
	int			p;
	int64_t		n;
	size_t		es,
				ns,
				xs;
	double		mean[PF_COX_MAX_COVARIATES];
	double		scale[PF_COX_MAX_COVARIATES];
	double		lo[PF_COX_MAX_COVARIATES];
	double		hi[PF_COX_MAX_COVARIATES];
	int64_t		events = 0;
	uint32_t	nfinite = 0;
	double	   *scratch;
	double	   *beta,
			   *newbeta,
			   *u,
			   *info,
			   *fac,
			   *step;
	bool	   *drop;
	double		loglik0,
				loglik_old,
				loglik_new;
	bool		halving = false;
	bool		converged = false;
	int			iterations = 0;

	if (control == NULL)
		pf_cox_control_default(&ctl);
	else
		ctl = *control;
	if (ctl.max_iter < 0 || !(ctl.eps > 0) || !(ctl.toler_chol > 0) ||
		!(ctl.toler_inf > 0))
		pf_error(PF_ERR_INVALID_PARAMETER, "invalid control of Cox regression",
				 "The iteration limit must not be negative and the tolerances must be positive.",
				 NULL);
	if (ties != PF_COX_EFRON && ties != PF_COX_BRESLOW)
		pf_error(PF_ERR_INVALID_PARAMETER, "invalid ties method of Cox regression",
				 NULL, NULL);
	if (data == NULL)
		pf_error(PF_ERR_INVALID_PARAMETER, "Cox regression has no data", NULL, NULL);
	p = data->p;
	n = data->n;
	if (p < 1 || p > PF_COX_MAX_COVARIATES)
		pf_errorf(PF_ERR_INVALID_PARAMETER, NULL, NULL,
				  "Cox regression needs between 1 and %d covariates, not %d",
				  PF_COX_MAX_COVARIATES, p);
	if (n < 1)
		pf_error(PF_ERR_INVALID_PARAMETER, "Cox regression needs at least one row",
				 NULL, NULL);
	if (n > INT32_MAX)
		pf_errorf(PF_ERR_INVALID_PARAMETER, NULL, NULL,
				  "Cox regression takes at most %d rows", INT32_MAX);
	if (data->exit == NULL || data->x == NULL || data->event == NULL)
		pf_error(PF_ERR_INVALID_PARAMETER, "Cox regression data lack exit times, events or covariates",
				 NULL, NULL);
	es = data->exit_stride ? data->exit_stride : 1;
	ns = data->entry_stride ? data->entry_stride : 1;
	xs = data->x_stride ? data->x_stride : (size_t) p;
	if (xs < (size_t) p)
		pf_error(PF_ERR_INVALID_PARAMETER, "Cox regression covariate rows overlap",
				 "The covariate stride must be at least the number of covariates.", NULL);

	/* validate, count, and the first pass of the means */
	for (int j = 0; j < p; j++)
	{
		mean[j] = 0;
		lo[j] = INFINITY;
		hi[j] = -INFINITY;
	}
	for (int64_t i = 0; i < n; i++)
	{
		double		ex = data->exit[i * es];
		const double *xi = &data->x[i * xs];

		PF_INTERRUPT_EVERY(i);
		if (!isfinite(ex))
			bad_row("exit time", i, "Exit times must be finite.");
		if (data->entry != NULL)
		{
			double		en = data->entry[i * ns];

			if (isnan(en) || !(en < ex))
				bad_row("entry time", i, "Entry times must be earlier than exit times.");
			if (en != -INFINITY)
				nfinite++;
		}
		for (int j = 0; j < p; j++)
		{
			double		v = xi[j];

			if (!(fabs(v) <= PF_COX_MAX_ABS_COVARIATE))
				pf_errorf(PF_ERR_INVALID_PARAMETER,
						  "Covariates must be finite and at most 1e300 in absolute value.", NULL,
						  "invalid covariate %d in row %lld of Cox regression",
						  j + 1, (long long) (i + 1));
			mean[j] += v / (double) n;
			if (v < lo[j])
				lo[j] = v;
			if (v > hi[j])
				hi[j] = v;
		}
		events += data->event[i] ? 1 : 0;
	}

	model = alloc_model(p);
	model->ties = ties;
	model->n = n;
	model->events = events;

	/*
	 * The means, corrected by a second pass (a constant exactly), and the
	 * mean absolute deviations from them, by which the centred covariates
	 * are divided as R does: the fit then sees every covariate on the same
	 * scale, so that the pivot tolerance does not depend on units.
	 */
	{
		double		corr[PF_COX_MAX_COVARIATES];

		for (int j = 0; j < p; j++)
		{
			corr[j] = 0;
			scale[j] = 0;
		}
		for (int64_t i = 0; i < n; i++)
		{
			const double *xi = &data->x[i * xs];

			PF_INTERRUPT_EVERY(i);
			for (int j = 0; j < p; j++)
				corr[j] += (xi[j] - mean[j]) / (double) n;
		}
		for (int j = 0; j < p; j++)
		{
			mean[j] += corr[j];
			if (lo[j] == hi[j])
				mean[j] = lo[j];
			model->means[j] = mean[j];
		}
		for (int64_t i = 0; i < n; i++)
		{
			const double *xi = &data->x[i * xs];

			PF_INTERRUPT_EVERY(i);
			for (int j = 0; j < p; j++)
				scale[j] += fabs(xi[j] - mean[j]) / (double) n;
		}
		for (int j = 0; j < p; j++)
			if (!(scale[j] > 0))
				scale[j] = 1;
	}

	memset(&w, 0, sizeof(w));
	w.p = p;
	w.q = p * (p + 1) / 2;
	w.efron = (ties == PF_COX_EFRON);
	w.counting = (nfinite > 0);
	w.n = (uint32_t) n;
	w.events = events;

	scratch = pf_alloc0(sizeof(double) * (7 * (size_t) p + 3 * (1 + (size_t) p + w.q) +
										  2 * (size_t) w.q + 3 * (size_t) p * p) +
						sizeof(bool) * p);
	w.zsum = scratch;
	w.d1 = w.zsum + p;
	w.abar = w.d1 + p;
	w.sum = w.abar + p;
	w.comp = w.sum + 1 + p + w.q;
	w.eff = w.comp + 1 + p + w.q;
	w.d2 = w.eff + 1 + p + w.q;
	w.ip = w.d2 + w.q;
	beta = w.ip + w.q;
	newbeta = beta + p;
	u = newbeta + p;
	info = u + p;
	fac = info + (size_t) p * p;
	step = fac + (size_t) p * p;
	drop = (bool *) (step + (size_t) p * p);

	prepare(&w, data, mean, scale, nfinite);
	model->strata = w.nstrata;

	if (events == 0)
	{
		/* nothing to fit: R's coxph gives NA coefficients and no test */
		for (int j = 0; j < p; j++)
		{
			model->dropped[j] = true;
			model->beta[j] = NAN;
			for (int k = 0; k < p; k++)
				model->var[j * p + k] = NAN;
		}
		model->converged = true;
		model->lr_p = model->wald_p = model->score_p = NAN;
		goto done;
	}

	/* at beta = 0: the null log-likelihood and the score test */
	loglik0 = evaluate(&w, beta, u, info);
	memcpy(fac, info, sizeof(double) * p * p);
	pf_logrank_ginv_factor(fac, p, ctl.toler_chol, drop);
	memcpy(step, u, sizeof(double) * p);
	pf_logrank_ginv_solve(fac, p, drop, step);
	model->loglik_null = loglik0;
	model->score_chisq = 0;
	for (int j = 0; j < p; j++)
	{
		model->score_chisq += u[j] * step[j];
		newbeta[j] = beta[j] + step[j];
	}

	loglik_old = loglik0;
	loglik_new = loglik0;
	if (ctl.max_iter == 0)
		memcpy(newbeta, beta, sizeof(double) * p);
	for (int iter = 1; iter <= ctl.max_iter; iter++)
	{
		bool		same = true;

		loglik_new = evaluate(&w, newbeta, u, info);
		iterations = iter;
		for (int j = 0; j < p; j++)
			if (newbeta[j] != beta[j])
				same = false;
		if (isfinite(loglik_new) &&
			(same || (!halving && (loglik_new == loglik_old ||
								   fabs(1 - loglik_old / loglik_new) <= ctl.eps))))
		{
			converged = true;
			break;
		}
		if (iter == ctl.max_iter)
			break;
		if (!(loglik_new >= loglik_old))
		{
			/* worse (or not finite): half of the step instead */
			halving = true;
			for (int j = 0; j < p; j++)
				newbeta[j] = beta[j] + (newbeta[j] - beta[j]) / 2;
		}
		else
		{
			halving = false;
			loglik_old = loglik_new;
			memcpy(beta, newbeta, sizeof(double) * p);
			memcpy(fac, info, sizeof(double) * p * p);
			pf_logrank_ginv_factor(fac, p, ctl.toler_chol, drop);
			memcpy(step, u, sizeof(double) * p);
			pf_logrank_ginv_solve(fac, p, drop, step);
			for (int j = 0; j < p; j++)
				newbeta[j] = beta[j] + step[j];
		}
	}
	if (ctl.max_iter == 0)
		loglik_new = loglik0;

	/*
	 * The final iterate: its variance, tests and infinite coefficients, in
	 * the units of the data (beta_j = b_j / scale_j where b is the
	 * coefficient of the scaled covariate).
	 */
	model->iterations = iterations;
	model->loglik = loglik_new;
	memcpy(fac, info, sizeof(double) * p * p);
	model->df = pf_logrank_ginv_factor(fac, p, ctl.toler_chol, model->dropped);
	for (int j = 0; j < p; j++)
	{
		memset(step, 0, sizeof(double) * p);
		step[j] = 1;
		pf_logrank_ginv_solve(fac, p, model->dropped, step);
		for (int k = 0; k < p; k++)
			model->var[j * p + k] = (model->dropped[j] || model->dropped[k]) ? NAN :
				step[k] / scale[j] / scale[k];
	}
	model->wald_chisq = 0;
	for (int j = 0; j < p; j++)
	{
		model->score[j] = u[j] * scale[j];
		if (model->dropped[j])
		{
			model->beta[j] = NAN;
			continue;
		}
		model->beta[j] = newbeta[j] / scale[j];
		for (int k = 0; k < p; k++)
			if (!model->dropped[k])
				model->wald_chisq += newbeta[j] * info[j * p + k] * newbeta[k];
	}
	if (converged)
	{
		for (int j = 0; j < p; j++)
		{
			double		s = 0;

			if (model->dropped[j])
				continue;
			/* the Newton step still to go, in the data's units */
			for (int k = 0; k < p; k++)
				if (!model->dropped[k])
					s += model->var[j * p + k] * model->score[k];
			s = fabs(s);
			if (!isfinite(model->score[j]) ||
				(s > ctl.eps && s > ctl.toler_inf * fabs(model->beta[j])))
			{
				model->infinite[j] = true;
				converged = false;
			}
		}
	}
	model->converged = converged;
	model->lr_chisq = 2 * (model->loglik - model->loglik_null);
	if (model->df > 0)
	{
		model->lr_p = pf_logrank_chisq_sf(model->lr_chisq, model->df);
		model->wald_p = pf_logrank_chisq_sf(model->wald_chisq, model->df);
		model->score_p = pf_logrank_chisq_sf(model->score_chisq, model->df);
	}
	else
		model->lr_p = model->wald_p = model->score_p = NAN;

done:
	pf_free(w.sstart);
	pf_free(w.z);
	pf_free(w.time);
	pf_free(w.status);
	pf_free(w.wt);
	if (w.counting)
	{
		pf_free(w.entry2);
		pf_free(w.ord2);
		pf_free(w.s2start);
	}
	pf_free(scratch);
	return model;
}

void
pf_cox_free(PfCoxModel *m)
{
	pf_free(m);
}

void
pf_cox_term(const PfCoxModel *m, int j, double level, PfCoxTerm *t)
{
	double		zq;

	if (j < 0 || j >= m->p)
		pf_errorf(PF_ERR_INVALID_PARAMETER, NULL, NULL,
				  "Cox model has no covariate %d", j + 1);
	if (!(level > 0 && level < 1))
		pf_error(PF_ERR_INVALID_PARAMETER, "confidence level must lie between 0 and 1",
				 NULL, NULL);
	if (m->dropped[j])
	{
		t->coef = t->exp_coef = t->se = t->z = t->p = t->lower = t->upper = NAN;
		return;
	}
	zq = pf_distributions_norm_ppf((1 + level) / 2);
	t->coef = m->beta[j];
	t->exp_coef = exp(t->coef);
	t->se = sqrt(m->var[j * m->p + j]);
	t->z = t->coef / t->se;
	t->p = 2 * pf_distributions_norm_sf(fabs(t->z));
	t->lower = exp(t->coef - zq * t->se);
	t->upper = exp(t->coef + zq * t->se);
}

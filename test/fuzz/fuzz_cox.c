/*
 * fuzz_cox.c
 *	  cox_core: pf_cox_fit on small random data sets (ties, strata, delayed
 *	  entry, up to 4 covariates), checked against a direct computation:
 *	  the log-likelihood at beta = 0 and at the fitted beta, summed over
 *	  every event time from its risk set (entry < t <= exit, same stratum)
 *	  in O(n^2); a converged fit never ends below where it started; the
 *	  tests are not negative; invalid input is an error exactly when some
 *	  value breaks cox_core.h's rules.  With one 0/1 covariate and no tied
 *	  event times the score test at beta = 0 must equal logrank_core's
 *	  log-rank test on the same data.
 *
 * Input: a flags byte (bit 0 Breslow, bit 1 entries, bit 2 strata, bits
 * 3-4 covariates - 1, bit 5 wild covariates, bit 6 keep invalid entries,
 * bit 7 a 0/1 first covariate), an iteration limit byte, then rows: exit,
 * event and stratum, entry (with entries), covariates.
 */
#include "fuzz_common.h"
#include "cox_core.h"
#include "logrank_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ROWS 64

typedef struct Row
{
	double		entry;
	double		exit;
	bool		event;
	int32_t		stratum;
	double		x[4];
} Row;

/* The log-likelihood at beta, event time by event time, from scratch. */
static double
direct_loglik(const Row *r, int n, int p, const double *beta, bool efron)
{
	double		loglik = 0;

	for (int i = 0; i < n; i++)
	{
		double		t = r[i].exit;
		int32_t		s = r[i].stratum;
		bool		seen = false;
		double		c = -INFINITY;
		double		s0 = 0,
					d0 = 0;
		int			d = 0;

		if (!r[i].event)
			continue;
		for (int j = 0; j < i; j++)
			if (r[j].event && r[j].exit == t && r[j].stratum == s)
				seen = true;
		if (seen)
			continue;
		for (int j = 0; j < n; j++)
		{
			double		eta = 0;

			if (r[j].stratum != s || !(r[j].entry < t && t <= r[j].exit))
				continue;
			for (int a = 0; a < p; a++)
				eta += beta[a] * r[j].x[a];
			if (eta > c)
				c = eta;
		}
		for (int j = 0; j < n; j++)
		{
			double		eta = 0;
			double		w;

			if (r[j].stratum != s || !(r[j].entry < t && t <= r[j].exit))
				continue;
			for (int a = 0; a < p; a++)
				eta += beta[a] * r[j].x[a];
			w = exp(eta - c);
			s0 += w;
			if (r[j].event && r[j].exit == t)
			{
				d0 += w;
				d++;
				loglik += eta - c;
			}
		}
		for (int l = 0; l < d; l++)
			loglik -= log(s0 - (efron ? (double) l / d : 0) * d0);
	}
	return loglik;
}

/* the log-rank test of the first covariate's two values */
static double
logrank_chisq(const Row *r, int n, int nstrata, bool entries)
{
	PfLogrankSample *smp = calloc(2 * nstrata, sizeof(PfLogrankSample));
	PfLogrankExit *ex = calloc(n, sizeof(PfLogrankExit));
	PfLogrankEntry *en = calloc(n, sizeof(PfLogrankEntry));
	PfLogrankResult *res;
	double		chisq;
	int			ne = 0,
				nn = 0;

	for (int c = 0; c < 2 * nstrata; c++)
	{
		int			s = c / 2,
					g = c % 2;
		int			first = ne;

		/* rows with exit times in increasing order: insertion by scan */
		for (;;)
		{
			double		next = INFINITY;

			for (int i = 0; i < n; i++)
				if (r[i].stratum == s && (int) r[i].x[0] == g && r[i].exit < next &&
					(ne == first || r[i].exit > ex[ne - 1].time))
					next = r[i].exit;
			if (next == INFINITY)
				break;
			ex[ne] = (PfLogrankExit) {next, 0, 0};
			for (int i = 0; i < n; i++)
				if (r[i].stratum == s && (int) r[i].x[0] == g && r[i].exit == next)
				{
					if (r[i].event)
						ex[ne].events++;
					else
						ex[ne].censored++;
				}
			ne++;
		}
		smp[c].exits = ex + first;
		smp[c].nexits = ne - first;
		if (entries)
		{
			first = nn;
			for (;;)
			{
				double		next = INFINITY;
				bool		found = false;

				for (int i = 0; i < n; i++)
					if (r[i].stratum == s && (int) r[i].x[0] == g &&
						(nn == first || r[i].entry > en[nn - 1].time) &&
						(!found || r[i].entry < next))
					{
						next = r[i].entry;
						found = true;
					}
				if (!found)
					break;
				en[nn] = (PfLogrankEntry) {next, 0};
				for (int i = 0; i < n; i++)
					if (r[i].stratum == s && (int) r[i].x[0] == g && r[i].entry == next)
						en[nn].count++;
				nn++;
			}
			smp[c].entries = en + first;
			smp[c].nentries = nn - first;
		}
	}
	res = pf_logrank_test(smp, 2, nstrata, 0);
	chisq = res->chisq;
	free(smp);
	free(ex);
	free(en);
	return chisq;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	uint8_t		flags;
	PfCoxTies	ties;
	bool		entries,
				strata,
				wild,
				keep_invalid,
				binary;
	int			p;
	PfCoxControl ctl;
	Row			rows[MAX_ROWS];
	double		entry[MAX_ROWS],
				exit_[MAX_ROWS],
				x[MAX_ROWS * 4];
	bool		event[MAX_ROWS];
	int32_t		stratum[MAX_ROWS];
	int			n = 0;
	int			nstrata = 1;
	bool		valid = true;
	PfCoxData	d;
	PfCoxModel *volatile model = NULL;
	bool		raised;

	fuzz_arena_reset();
	fin_init(&in, data, size);
	flags = fin_u8(&in);
	ties = (flags & 1) ? PF_COX_BRESLOW : PF_COX_EFRON;
	entries = (flags >> 1) & 1;
	strata = (flags >> 2) & 1;
	p = 1 + ((flags >> 3) & 3);
	wild = (flags >> 5) & 1;
	keep_invalid = (flags >> 6) & 1;
	binary = (flags >> 7) & 1;
	pf_cox_control_default(&ctl);
	{
		uint8_t		it = fin_u8(&in);

		if (it < 32)
			ctl.max_iter = it;
	}

	while (in.left > 0 && n < MAX_ROWS)
	{
		Row		   *r = &rows[n];
		uint8_t		b = fin_u8(&in);
		uint8_t		e = fin_u8(&in);

		r->exit = 1 + (b % 24) / 2.0;
		r->event = e & 1;
		r->stratum = strata ? (e >> 1) % 3 : 0;
		if (r->stratum + 1 > nstrata)
			nstrata = r->stratum + 1;
		r->entry = -INFINITY;
		if (entries)
		{
			uint8_t		eb = fin_u8(&in);

			if (eb != 255)
			{
				r->entry = (double) (int8_t) eb / 8.0;
				if (!(r->entry < r->exit))
				{
					if (keep_invalid)
						valid = false;
					else
						r->entry = -INFINITY;
				}
			}
		}
		for (int a = 0; a < p; a++)
		{
			if (wild)
				r->x[a] = fin_double_mixed(&in);
			else
				r->x[a] = (double) (int8_t) fin_u8(&in) / 8.0;
		}
		if (binary)
			r->x[0] = (r->x[0] > 0) ? 1 : 0;
		for (int a = 0; a < p; a++)
			if (!(fabs(r->x[a]) <= PF_COX_MAX_ABS_COVARIATE))
				valid = false;
		entry[n] = r->entry;
		exit_[n] = r->exit;
		event[n] = r->event;
		stratum[n] = r->stratum;
		for (int a = 0; a < p; a++)
			x[n * p + a] = r->x[a];
		n++;
	}
	if (n == 0)
		valid = false;

	memset(&d, 0, sizeof(d));
	d.n = n;
	d.p = p;
	d.entry = entries ? entry : NULL;
	d.exit = exit_;
	d.x = x;
	d.event = event;
	d.stratum = strata ? stratum : NULL;
	raised = PF_TRY(model = pf_cox_fit(&d, ties, &ctl));
	FUZZ_CHECK(raised != valid, "error %d (%s) for valid %d", raised,
			   raised ? pf_last_error_message : "", valid);
	if (raised || wild)
		return 0;

	{
		PfCoxModel *m = model;
		bool		efron = ties == PF_COX_EFRON;
		double		l0 = direct_loglik(rows, n, p, (double[4]) {0, 0, 0, 0}, efron);
		bool		any_dropped = false;
		int			df = 0;
		double		maxeta = 0;

		FUZZ_CHECK(fabs(m->loglik_null - l0) <= 1e-12 * fabs(l0) + 1e-12,
				   "loglik_null %.17g, directly %.17g", m->loglik_null, l0);
		for (int a = 0; a < p; a++)
		{
			if (m->dropped[a])
			{
				any_dropped = true;
				continue;
			}
			df++;
			FUZZ_CHECK(!(m->var[a * p + a] < 0), "negative variance %g", m->var[a * p + a]);
			for (int i = 0; i < n; i++)
				if (fabs(m->beta[a] * (rows[i].x[a] - m->means[a])) > maxeta)
					maxeta = fabs(m->beta[a] * (rows[i].x[a] - m->means[a]));
		}
		FUZZ_CHECK(m->df == df, "df %d for %d covariates kept", m->df, df);
		FUZZ_CHECK(!(m->score_chisq < -1e-9), "score test %g", m->score_chisq);
		FUZZ_CHECK(!(m->wald_chisq < -1e-9), "Wald test %g", m->wald_chisq);
		if (m->converged && m->events > 0)
			FUZZ_CHECK(m->loglik >= m->loglik_null - 1e-9 * (1 + fabs(m->loglik_null)),
					   "converged below the start: %.17g < %.17g", m->loglik, m->loglik_null);
		if (!any_dropped && isfinite(m->loglik) && maxeta * p < 50)
		{
			double		l = direct_loglik(rows, n, p, m->beta, efron);

			FUZZ_CHECK(fabs(m->loglik - l) <= 1e-9 * fabs(l) + 1e-9,
					   "loglik %.17g, directly %.17g", m->loglik, l);
		}

		/* the score test of a 0/1 covariate is the log-rank test without ties */
		if (binary && p == 1 && m->events > 0)
		{
			bool		tied = false;

			for (int i = 0; i < n; i++)
				for (int j = 0; j < i; j++)
					if (rows[i].event && rows[j].event && rows[i].exit == rows[j].exit &&
						rows[i].stratum == rows[j].stratum)
						tied = true;
			if (!tied && !m->dropped[0])
			{
				double		lr = logrank_chisq(rows, n, nstrata, entries);

				FUZZ_CHECK(fabs(m->score_chisq - lr) <= 1e-9 * fabs(lr) + 1e-12,
						   "score test %.17g, log-rank %.17g", m->score_chisq, lr);
			}
		}
	}
	return 0;
}

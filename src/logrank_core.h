/*-------------------------------------------------------------------------
 *
 * logrank_core.h
 *	  The G-rho family of log-rank tests for K >= 2 groups, stratified or
 *	  not, on right-censored and delayed-entry data given as mergeable
 *	  per-group summaries; the chi-square upper tail and the generalized
 *	  inverse that this test and Cox regression (cox_core.h) share.
 *	  Server-free core.
 *
 * Input.  One sample per (stratum, group): samples[s * ngroups + g].  A
 * sample summarizes the subjects of one group in one stratum:
 *   exits    distinct exit times, strictly increasing and finite, each with
 *            the subjects that left then: events and censored (int64, not
 *            negative);
 *   entries  distinct entry times, strictly increasing (-infinity allowed,
 *            +infinity and NaN not), each with the number of subjects that
 *            entered then.  No entries (nentries = 0) means right-censored
 *            data: every subject is at risk from -infinity.  Otherwise the
 *            entry counts sum to the subjects of the exits.
 * Both lists merge by adding counts at equal times, so summaries of parts
 * of the data (parallel workers, days rolled up into months) combine into
 * the summary of the whole.  A subject is at risk at t when entry < t <=
 * exit (one entering at t is not at risk at t): at risk at t = entered
 * before t minus left before t, which must cover those leaving at t.
 *
 * The test, per stratum, at each distinct event time t with d events among
 * n at risk (d_g and n_g in group g), with S(t-) the Kaplan-Meier estimate
 * of the stratum's pooled sample just before t and w = S(t-)^rho:
 *   observed_g += w d_g        expected_g += w d n_g / n
 *   var_gh     += w^2 d (n - d) / (n - 1) * (n_g / n) (delta_gh - n_h / n)
 * (no variance term where n = 1), summed over strata, as R's survdiff(rho =
 * rho) computes them; with rho = 0 the weights are 1 and this is the
 * log-rank test, which equals the score test of a Cox model on the group
 * indicators with exact ties (hypergeometric variance), also for delayed
 * entry.  chisq = (O - E)' V^- (O - E) over the groups with expected > 0
 * less the first of them, V^- the generalized inverse below (tolerance
 * PF_LOGRANK_TOLER); df is the rank of that block (survdiff's "groups with
 * expected > 0, less 1" unless the block is singular) and p the chi-square
 * upper tail.  Fewer than two groups with expected > 0: chisq 0, df 0, p NaN.
 *
 * Memory is O(K^2 + K); time O(T K^2) for T distinct event times, plus the
 * lengths of the lists.  Every loop over times checks for interrupts.
 *
 *-------------------------------------------------------------------------
 */
#ifndef LOGRANK_CORE_H
#define LOGRANK_CORE_H

#include "pf_core.h"

/* at most this many groups (the variance matrix is K x K) */
#define PF_LOGRANK_MAX_GROUPS 1024

/* relative pivot below which a direction of the variance is singular */
#define PF_LOGRANK_TOLER 1e-12

typedef struct PfLogrankExit
{
	double		time;
	int64_t		events;
	int64_t		censored;
} PfLogrankExit;

typedef struct PfLogrankEntry
{
	double		time;
	int64_t		count;
} PfLogrankEntry;

typedef struct PfLogrankSample
{
	const PfLogrankExit *exits;
	int64_t		nexits;
	const PfLogrankEntry *entries;	/* NULL (nentries 0): right-censored */
	int64_t		nentries;
} PfLogrankSample;

typedef struct PfLogrankResult
{
	int			ngroups;
	int			df;
	double		rho;
	double		chisq;
	double		p;
	int64_t    *n;				/* [K] subjects (events + censored) */
	double	   *observed;		/* [K] weighted events, summed over strata */
	double	   *expected;		/* [K] */
	double	   *var;			/* [K * K] row-major, summed over strata */
} PfLogrankResult;

/*
 * The test of ngroups groups in nstrata strata at weight exponent rho >= 0
 * (0: log-rank, 1: Peto-Peto / Prentice).  Errors (PF_ERR_INVALID_PARAMETER)
 * for fewer than 2 or more than PF_LOGRANK_MAX_GROUPS groups, nstrata < 1,
 * rho negative or not finite, and any sample breaking the rules above; they
 * are raised before anything is allocated.  The result is one pf_alloc'd
 * block (pf_logrank_free or pf_free).
 */
extern PfLogrankResult *pf_logrank_test(const PfLogrankSample *samples,
										int ngroups, int nstrata, double rho);
extern void pf_logrank_free(PfLogrankResult *r);

/*
 * P(X > x) for X chi-square with df >= 1 degrees of freedom (R's
 * pchisq(x, df, lower.tail = FALSE)) from the closed forms for integer df:
 * Poisson sums for even df, and 2 * norm_sf(sqrt(x)) plus a sum for odd df.
 * 1 for x <= 0; NaN for NaN x or df < 1.
 */
extern double pf_logrank_chisq_sf(double x, int64_t df);

/*
 * The generalized inverse of a symmetric positive semi-definite k x k
 * matrix, as R's survival package computes it (cholesky2): an LDL'
 * factorization in place (m row-major; L below the diagonal, D on it) in
 * which a pivot below toler times the largest diagonal element (toler
 * itself when none is positive), or not finite, drops its variable:
 * dropped[i] is set and the variable is left out of every solve.  Returns
 * the rank.  Only the lower triangle and diagonal of m are read.
 */
extern int	pf_logrank_ginv_factor(double *m, int k, double toler, bool *dropped);

/* b := G b for the factored m, with 0 for dropped variables */
extern void pf_logrank_ginv_solve(const double *m, int k, const bool *dropped,
								  double *b);

#endif							/* LOGRANK_CORE_H */

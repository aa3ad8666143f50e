/*-------------------------------------------------------------------------
 *
 * cox_core.h
 *	  Cox proportional-hazards regression on counting-process data
 *	  (entry, exit], stratified or not, with Efron's or Breslow's handling
 *	  of tied event times, fitted by Newton-Raphson as R's coxph does.
 *	  Server-free core.
 *
 * Data.  n rows, each at risk on (entry, exit] (entry may be -infinity;
 * without entries every row is at risk from -infinity: right-censored
 * data), ending in an event at exit or not, in a stratum, with p
 * covariates (1 <= p <= PF_COX_MAX_COVARIATES).  A row is at risk at an
 * event time t when entry < t <= exit: one entering at t is not.  Strata
 * have separate baseline hazards: log-likelihood, score and information
 * are sums over strata.  Errors (PF_ERR_INVALID_PARAMETER) for no rows, p
 * out of range, a non-finite exit, a covariate not finite or beyond
 * PF_COX_MAX_ABS_COVARIATE, a NaN entry, entry >= exit, more than
 * INT32_MAX rows; all raised before anything is allocated.
 *
 * The fit.  Covariates are centred at their means (a constant covariate
 * at exactly 0) and divided by their mean absolute deviations, as R's
 * coxph does, which changes no result but keeps exp() in range and makes
 * the pivot tolerance independent of units.  Newton-Raphson from beta = 0:
 * each step solves I(beta) step = U(beta) with the generalized inverse of
 * logrank_core.h (pivots below toler_chol times the largest diagonal
 * element drop their covariate from the step); a step that lowers the
 * log-likelihood (or makes it non-finite) is halved instead.  The fit
 * stops, converged, when |1 - loglik_old / loglik_new| <= eps after a full
 * step (or the two are equal), or when halving no longer moves beta; and
 * stops, not converged, after max_iter evaluations, keeping the last
 * iterate (R: "Ran out of iterations and did not converge").  At the end a
 * covariate whose pivot in the information is below toler_chol times the
 * largest is dropped (R's NA coefficient): its beta, and its row and column
 * of var, are NaN.  A covariate whose remaining Newton step |(U' V)_j| is
 * above eps and above toler_inf |beta_j| may be infinite (monotone
 * likelihood: R's "Loglik converged before variable j; coefficient may be
 * infinite"): infinite[j] is set and converged is false.  Without events
 * nothing is fitted: iterations 0, every covariate dropped, log-likelihoods
 * 0, tests 0 on 0 df, converged.
 *
 * Results.  var is the inverse of the information at the final beta; the
 * likelihood-ratio test is 2 (loglik - loglik_null); Wald: beta' I beta at
 * the final beta; score: U' I^- U at beta = 0 (for one categorical
 * covariate and exact ties this is the log-rank test); all three on df =
 * the covariates not dropped at the end, with chi-square p-values (NaN on 0
 * df).  With the default control these agree with R's
 * coxph(control = coxph.control(eps = 1e-12, toler.chol = 1e-14,
 * iter.max = 100)) to about 1e-10.
 *
 * Cost.  One sort of the rows by (stratum, exit) and, with entries, by
 * (stratum, entry) (radix sorts, O(n)); then each iteration is one sweep
 * from the last exit time back to the first, keeping running sums of
 * exp(x'beta), exp(x'beta) x and exp(x'beta) x x' over the risk set: a
 * row joins at its exit and leaves when the sweep passes its entry, so an
 * iteration costs O(n p^2).  Working memory is about (p + 3) doubles and
 * an int32 a row (the covariates copied, centred, in sweep order), plus 32
 * bytes a row while sorting.  Loops over rows check for interrupts.
 *
 *-------------------------------------------------------------------------
 */
#ifndef COX_CORE_H
#define COX_CORE_H

#include "pf_core.h"

#define PF_COX_MAX_COVARIATES 64

/* covariates beyond this in absolute value are rejected (overflow guard) */
#define PF_COX_MAX_ABS_COVARIATE 1e300

typedef enum PfCoxTies
{
	PF_COX_EFRON,
	PF_COX_BRESLOW
} PfCoxTies;

/*
 * The rows, read in place.  Double fields are strided so that the caller
 * may hold rows either as columns or as interleaved records: row i's exit
 * is exit[i * exit_stride], its entry entry[i * entry_stride], its
 * covariate j x[i * x_stride + j]; a stride of 0 means the dense default
 * (1 for exit and entry, p for x).
 */
typedef struct PfCoxData
{
	int64_t		n;
	int			p;
	const double *entry;		/* NULL: right-censored data */
	const double *exit;
	const double *x;
	const bool *event;			/* n flags */
	const int32_t *stratum;		/* n stratum numbers, or NULL: one stratum */
	size_t		entry_stride;
	size_t		exit_stride;
	size_t		x_stride;
} PfCoxData;

typedef struct PfCoxControl
{
	int			max_iter;		/* evaluations after the one at beta = 0 */
	double		eps;			/* convergence of the log-likelihood */
	double		toler_chol;		/* singular pivots, relative */
	double		toler_inf;		/* infinite coefficients, relative */
} PfCoxControl;

/* the defaults: 100, 1e-12, 1e-14, 1e-6 (= sqrt(eps), R's rule) */
#define PF_COX_MAX_ITER 100
#define PF_COX_EPS 1e-12
#define PF_COX_TOLER_CHOL 1e-14
#define PF_COX_TOLER_INF 1e-6

typedef struct PfCoxModel
{
	int			p;
	PfCoxTies	ties;
	int64_t		n;				/* rows */
	int64_t		events;
	int64_t		strata;
	int			iterations;
	bool		converged;
	int			df;				/* covariates not dropped */
	double		loglik_null;	/* at beta = 0 */
	double		loglik;
	double		lr_chisq;
	double		lr_p;
	double		wald_chisq;
	double		wald_p;
	double		score_chisq;
	double		score_p;
	double	   *beta;			/* [p], NaN where dropped */
	double	   *var;			/* [p * p] row-major, NaN where dropped */
	double	   *means;			/* [p] the centring of each covariate */
	double	   *score;			/* [p] the gradient U at the final beta */
	bool	   *dropped;		/* [p] singular: left out of the model */
	bool	   *infinite;		/* [p] may be infinite */
} PfCoxModel;

/* One coefficient as summary(coxph) shows it. */
typedef struct PfCoxTerm
{
	double		coef;
	double		exp_coef;
	double		se;
	double		z;
	double		p;				/* two-sided, normal */
	double		lower;			/* interval for exp(coef) at the level asked */
	double		upper;
} PfCoxTerm;

/* Fill c with the defaults above. */
extern void pf_cox_control_default(PfCoxControl *c);

/*
 * Fit the model (control NULL: the defaults).  The result is one
 * pf_alloc'd block (pf_cox_free or pf_free).  PF_ERR_INVALID_PARAMETER also
 * for a control out of range (max_iter < 0, tolerances not positive).
 */
extern PfCoxModel *pf_cox_fit(const PfCoxData *data, PfCoxTies ties,
							  const PfCoxControl *control);
extern void pf_cox_free(PfCoxModel *m);

/*
 * Coefficient j (0-based) with its standard error, Wald z, p-value and
 * the confidence interval of exp(coef) at level (0 < level < 1); all NaN
 * for a dropped covariate.  PF_ERR_INVALID_PARAMETER for j or level out of
 * range.
 */
extern void pf_cox_term(const PfCoxModel *m, int j, double level, PfCoxTerm *t);

#endif							/* COX_CORE_H */

/*-------------------------------------------------------------------------
 *
 * distributions_core.h
 *	  Statistical distributions of the server-free core: the normal
 *	  distribution and its quantile, Student's t tail, the exact null
 *	  distribution of Kendall's tau without ties, the hypergeometric
 *	  distribution and Fisher's exact test.
 *
 * Each function reproduces what scipy 1.10 computes for the named call, to
 * about 1e-12 relative (1e-10 for results below 1e-100; results below
 * 1e-300 are only close in absolute terms).  Invalid arguments (NaN, a
 * non-positive df, a probability outside (0,1), negative counts, counts
 * inconsistent with each other) give NaN rather than an error: callers
 * validate their input and report errors in terms the user knows.
 *
 *-------------------------------------------------------------------------
 */
#ifndef DISTRIBUTIONS_CORE_H
#define DISTRIBUTIONS_CORE_H

#include <stdint.h>

/* Standard normal: P(Z <= z), as scipy.stats.norm.cdf */
extern double pf_distributions_norm_cdf(double z);

/* Standard normal: P(Z > z), accurate in the far upper tail */
extern double pf_distributions_norm_sf(double z);

/*
 * Inverse of pf_distributions_norm_cdf for p in (0,1), as scipy.stats.norm.ppf; NaN for
 * p outside (0,1).
 */
extern double pf_distributions_norm_ppf(double p);

/*
 * Student's t with df > 0 degrees of freedom (df need not be an integer;
 * df = +inf is the normal): P(T > t), as scipy.stats.t.sf.
 */
extern double pf_distributions_t_sf(double t, double df);

/* 2 * pf_distributions_t_sf(|t|, df), at most 1; 0 for t = +-inf */
extern double pf_distributions_t_two_sided_p(double t, double df);

/*
 * Two-sided exact p-value of Kendall's tau for n observations without ties,
 * c being min(discordant, concordant) pairs (the larger count is accepted
 * too), as scipy.stats.kendalltau(method='exact').  Time grows as n * c and
 * memory as c: callers limit n (scipy uses the exact method for n <= 33, or
 * for any n when c <= 1).
 */
extern double pf_distributions_kendall_exact_p(int64_t n, int64_t c);

/*
 * Two-sided p-value of Spearman's rho for n observations without ties, s
 * being S = sum of squared rank differences = (n^3 - n)(1 - rho) / 6, as R's
 * cor.test(method = "spearman", exact = TRUE) gives it: S's exact
 * distribution over all n! permutations for n <= PF_SPEARMAN_EXACT_MAX_N,
 * the Edgeworth series of algorithm AS 89 up to PF_SPEARMAN_SERIES_MAX_N;
 * the tail beyond the observed S, counting S itself, doubled and at most 1.
 * NAN for n < 2 or past PF_SPEARMAN_SERIES_MAX_N.
 */
#define PF_SPEARMAN_EXACT_MAX_N 9
#define PF_SPEARMAN_SERIES_MAX_N 1290
extern double pf_distributions_spearman_exact_p(int64_t n, double s);

/*
 * Hypergeometric probability of k successes in N draws without replacement
 * from M items of which n are successes, as scipy.stats.hypergeom.pmf(k, M,
 * n, N); 0 for k outside the support.
 */
extern double pf_distributions_hypergeom_pmf(int64_t k, int64_t M, int64_t n, int64_t N);

/*
 * Two-sided p-value of Fisher's exact test on the table [[a, b], [c, d]], as
 * scipy.stats.fisher_exact(alternative='two-sided'): tables at most
 * (1 + 1e-14) times as likely as the observed one count.
 */
extern double pf_distributions_fisher_exact_p(int64_t a, int64_t b, int64_t c, int64_t d);

#endif							/* DISTRIBUTIONS_CORE_H */

/*-------------------------------------------------------------------------
 *
 * contingency_core.h
 *	  Contingency tables: the risk ratio of a 2x2 table and the net
 *	  promoter score, from counts.  Server-free core.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CONTINGENCY_CORE_H
#define CONTINGENCY_CORE_H

#include "pf_core.h"

/* Two-sided 95% normal quantile used by the risk ratio and NPS intervals. */
#define PF_Z_975 1.959963984540054

/*
 * Risk ratio of a 2x2 table: events a of n1 exposed, c of n0 unexposed.
 * Counts must be >= 0 and events <= group size (raises otherwise).
 *	risk_exposed	a/n1, invalid when n1 == 0 (likewise risk_unexposed)
 *	ratio			risk_exposed / risk_unexposed, invalid when a group is
 *					empty or the unexposed risk is 0
 *	ci				Katz log interval at 95%,
 *					exp(ln ratio +- 1.959963984540054
 *						* sqrt(1/a - 1/n1 + 1/c - 1/n0)),
 *					invalid when a or c is 0 or a group is empty
 *	p_value			Fisher's exact test, two-sided, on [[a, n1-a], [c, n0-c]];
 *					invalid when both groups are empty
 */
typedef struct PfRiskRatio
{
	double		risk_exposed;
	double		risk_unexposed;
	double		ratio;
	double		ci_low;
	double		ci_high;
	double		p_value;
	bool		risk_exposed_valid;
	bool		risk_unexposed_valid;
	bool		ratio_valid;
	bool		ci_valid;
	bool		p_valid;
} PfRiskRatio;

extern PfRiskRatio pf_contingency_risk_ratio(int64_t exposed_n,
											 int64_t exposed_events,
											 int64_t unexposed_n,
											 int64_t unexposed_events);

/*
 * The same with the interval at the given confidence, in (0, 1)
 * (PF_ERR_INVALID_PARAMETER otherwise).
 */
extern PfRiskRatio pf_contingency_risk_ratio_at(int64_t exposed_n,
												int64_t exposed_events,
												int64_t unexposed_n,
												int64_t unexposed_events,
												double confidence);

/*
 * Net promoter score from counts; promoters + passives + detractors must
 * equal n (raises otherwise).  nps = 100 (p - d) with p, d the shares, and
 * margin = 100 * 1.959963984540054 * sqrt((p + d - (p - d)^2) / n), the
 * half-width of its normal 95% interval.  Invalid when n == 0.
 */
typedef struct PfNps
{
	int64_t		n;
	double		nps;
	double		margin;
	bool		valid;
} PfNps;

extern PfNps pf_contingency_nps(int64_t n, int64_t promoters, int64_t passives,
								int64_t detractors);

/* The same with the margin at the given confidence. */
extern PfNps pf_contingency_nps_at(int64_t n, int64_t promoters, int64_t passives,
								   int64_t detractors, double confidence);

/*
 * Mantel-Haenszel over strata of 2x2 tables.  In stratum i: n1 exposed of
 * whom a had the event, n0 unexposed of whom c had it (N = n1 + n0, M1 =
 * a + c; empty strata add nothing).  Greenland and Robins (1985):
 *
 *	ratio	R / S, R = sum a n0 / N, S = sum c n1 / N; invalid when S = 0
 *	ci		ratio exp(-+ z sqrt(sum (n1 n0 M1 - a c N) / N^2 / (R S))),
 *			invalid when R or S is 0
 *
 * and the Cochran-Mantel-Haenszel test of R's mantelhaen.test with its
 * default continuity correction: over strata of at least 2 subjects,
 * statistic (|sum (a - n1 M1 / N)| - 1/2)^2 / sum n1 n0 M1 M0 / (N^2 (N - 1))
 * (the 1/2 only when the sum is at least 1/2), p from chi-square with 1
 * df; invalid when the variance is 0.  A stratum of one exposure level, or
 * without events, adds nothing to any sum.  confidence in (0, 1).
 */
typedef struct PfStratum
{
	int64_t		exposed_n;
	int64_t		exposed_events;
	int64_t		unexposed_n;
	int64_t		unexposed_events;
} PfStratum;

typedef struct PfMantelHaenszel
{
	double		ratio;
	double		ci_low;
	double		ci_high;
	double		statistic;
	double		p_value;
	bool		ratio_valid;
	bool		ci_valid;
	bool		p_valid;
} PfMantelHaenszel;

extern PfMantelHaenszel pf_contingency_mantel_haenszel(const PfStratum *strata,
													   int64_t k, double confidence);

/*
 * The odds ratio of the 2x2 table [[a, b], [c, d]] (a exposed with the
 * event, b exposed without, c unexposed with, d unexposed without), as R's
 * fisher.test gives it: given the margins, a has the noncentral
 * hypergeometric distribution with odds ratio psi, and
 *
 *	ratio	the conditional maximum-likelihood psi, solving E[a; psi] = a:
 *			0 at the lowest a the margins allow, infinite at the highest
 *	ci		psi with P[A >= a; psi] = alpha and with P[A <= a; psi] = alpha,
 *			alpha = (1 - confidence) / 2 (0 and infinite at the ends)
 *	p_value	Fisher's two-sided p: the tables at most (1 + 1e-7) times as
 *			likely as a's, as R sums them
 *	sample	a d / (b c), infinite when b c = 0 < a d, invalid when both are 0
 *	woolf	exp(log sample -+ z sqrt(1/a + 1/b + 1/c + 1/d)), when no cell
 *			is 0
 *
 * The roots are found to full precision (R's uniroot stops at about 1e-4).
 * When a margin is 0, a can take one value only, and the ratio is 0 with
 * the interval 0 .. infinity and p 1, as R gives them (the empty table
 * too).
 */
typedef struct PfOddsRatio
{
	double		sample;
	double		ratio;
	double		ci_low;
	double		ci_high;
	double		p_value;
	double		woolf_low;
	double		woolf_high;
	bool		sample_valid;
	bool		ratio_valid;		/* the interval too */
	bool		p_valid;
	bool		woolf_valid;
} PfOddsRatio;

extern PfOddsRatio pf_contingency_odds_ratio(int64_t a, int64_t b, int64_t c,
											 int64_t d, double confidence);

#endif							/* CONTINGENCY_CORE_H */

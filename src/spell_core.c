/*-------------------------------------------------------------------------
 *
 * spell_core.c
 *	  Spell counting for spell_stats: the accumulating state, its combine
 *	  function and the final rates.  See spell_core.h for the definitions.
 *
 * Every comparison is made on the spell's bounds, never on b-1 or p1-1
 * computed from an unbounded value, so any int64 unit is accepted.  The
 * covered units are summed exactly in 128 bits and divided once at the end.
 *
 *-------------------------------------------------------------------------
 */
#include "spell_core.h"

#include <string.h>

const char *
pf_spell_unit_name(PfSpellUnit unit)
{
	switch (unit)
	{
		case PF_SPELL_UNIT_DAY:
			return "day";
		case PF_SPELL_UNIT_MICROSECOND:
			return "microsecond";
	}
	pf_errorf(PF_ERR_INTERNAL, NULL, NULL, "unknown spell unit %d", (int) unit);
}

double
pf_spell_units_per_day(PfSpellUnit unit)
{
	return unit == PF_SPELL_UNIT_DAY ? 1.0 : 86400000000.0;
}

void
pf_spell_state_init(PfSpellState *state, bool has_voluntary)
{
	memset(state, 0, sizeof(*state));
	state->has_voluntary = has_voluntary;
}

/* Add x to the 128-bit sum (hi, lo). */
static inline void
covered_add(uint64_t *hi, uint64_t *lo, uint64_t x_hi, uint64_t x_lo)
{
	uint64_t	new_lo = *lo + x_lo;
	uint64_t	carry = new_lo < x_lo ? 1 : 0;

	if (x_hi > UINT64_MAX - *hi || carry > UINT64_MAX - *hi - x_hi)
		pf_error(PF_ERR_OUT_OF_RANGE, "sum of covered units out of range",
				 NULL, NULL);
	*hi += x_hi + carry;
	*lo = new_lo;
}

static void
check_period(PfSpellState *state, int64_t p0, int64_t p1)
{
	if (p1 <= p0)
		pf_error(PF_ERR_INVALID_PARAMETER, "period must not be empty",
				 "The period's lower bound must be below its upper bound.",
				 "For example daterange('2024-01-01', '2024-04-01') for the first quarter of 2024.");
	if (!state->has_period)
	{
		state->has_period = true;
		state->p0 = p0;
		state->p1 = p1;
	}
	else if (state->p0 != p0 || state->p1 != p1)
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "period must be the same for all rows of a group",
				 "Rows of one group carry different periods.",
				 "Group by the period, or pass it as a constant.");
}

void
pf_spell_accum(PfSpellState *state, int64_t a, int64_t b, bool b_ongoing,
			   bool voluntary_known, bool voluntary, int64_t p0, int64_t p1)
{
	int64_t		lo;
	int64_t		hi;
	bool		covers_p0;
	bool		ends;

	check_period(state, p0, p1);

	if (!b_ongoing && b <= a)
		return;

	/* covers unit p0: a <= p0 <= b-1 */
	covers_p0 = a <= p0 && (b_ongoing || b > p0);
	if (covers_p0)
		pf_count_add(&state->active_start, 1);

	/* covers unit p1-1: a <= p1-1 < b, i.e. a < p1 <= b */
	if (a < p1 && (b_ongoing || b >= p1))
		pf_count_add(&state->active_end, 1);

	if (a >= p0 && a < p1)
		pf_count_add(&state->starts, 1);

	/* last unit b-1 in [p0, p1): p0 < b <= p1 */
	ends = !b_ongoing && b > p0 && b <= p1;
	if (ends)
	{
		pf_count_add(&state->ends, 1);
		if (voluntary_known && voluntary)
			pf_count_add(&state->ends_voluntary, 1);
		if (covers_p0)
			pf_count_add(&state->ends_from_start, 1);
	}

	/* overlap of [a, b) and [p0, p1); the unsigned difference is exact */
	lo = a > p0 ? a : p0;
	hi = (b_ongoing || b > p1) ? p1 : b;
	if (hi > lo)
		covered_add(&state->covered_hi, &state->covered_lo, 0,
					(uint64_t) hi - (uint64_t) lo);
}

void
pf_spell_combine(PfSpellState *dst, const PfSpellState *src)
{
	if (src->has_period)
	{
		if (!dst->has_period)
		{
			dst->has_period = true;
			dst->p0 = src->p0;
			dst->p1 = src->p1;
		}
		else if (dst->p0 != src->p0 || dst->p1 != src->p1)
			pf_error(PF_ERR_INVALID_PARAMETER,
					 "period must be the same for all rows of a group",
					 "Two partial states carry different periods.",
					 "Group by the period, or pass it as a constant.");
	}
	dst->has_voluntary = dst->has_voluntary || src->has_voluntary;
	pf_count_add(&dst->active_start, src->active_start);
	pf_count_add(&dst->active_end, src->active_end);
	pf_count_add(&dst->starts, src->starts);
	pf_count_add(&dst->ends, src->ends);
	pf_count_add(&dst->ends_voluntary, src->ends_voluntary);
	pf_count_add(&dst->ends_from_start, src->ends_from_start);
	covered_add(&dst->covered_hi, &dst->covered_lo,
				src->covered_hi, src->covered_lo);
}

/*
 * (hi * 2^64 + lo) / d as a double, for d > 0: integer quotient and
 * remainder by long division, then one floating-point step, so the result
 * is within about one ulp whatever the magnitudes.
 */
static double
div128(uint64_t hi, uint64_t lo, uint64_t d)
{
	uint64_t	q_hi = 0;
	uint64_t	q_lo = 0;
	uint64_t	r = 0;
	int			i;

	for (i = 127; i >= 0; i--)
	{
		uint64_t	bit = i >= 64 ? (hi >> (i - 64)) & 1 : (lo >> i) & 1;
		bool		top = (r >> 63) != 0;

		/* r = 2r + bit, may exceed 2^64 only when top is set */
		r = (r << 1) | bit;
		if (top || r >= d)
		{
			r -= d;
			if (i >= 64)
				q_hi |= (uint64_t) 1 << (i - 64);
			else
				q_lo |= (uint64_t) 1 << i;
		}
	}
	return ((double) q_hi * 18446744073709551616.0 + (double) q_lo) +
		(double) r / (double) d;
}

bool
pf_spell_result(const PfSpellState *state, double units_per_day,
				PfSpellResult *result)
{
	uint64_t	len;
	double		period_days;

	memset(result, 0, sizeof(*result));
	if (!state->has_period)
		return false;

	len = (uint64_t) state->p1 - (uint64_t) state->p0;
	period_days = (double) len / units_per_day;

	result->p0 = state->p0;
	result->p1 = state->p1;
	result->active_start = state->active_start;
	result->active_end = state->active_end;
	result->starts = state->starts;
	result->ends = state->ends;
	result->ends_voluntary = state->ends_voluntary;
	result->ends_voluntary_valid = state->has_voluntary;
	result->ends_from_start = state->ends_from_start;
	result->avg_active = div128(state->covered_hi, state->covered_lo, len);

	if (state->covered_hi != 0 || state->covered_lo != 0)
	{
		result->turnover_rate = (double) state->ends / result->avg_active;
		result->turnover_rate_valid = true;
		result->annualized_turnover_rate =
			result->turnover_rate * PF_DAYS_PER_YEAR / period_days;
		result->annualized_turnover_rate_valid = true;
	}
	if (state->active_start > 0)
	{
		result->churn_rate =
			(double) state->ends_from_start / (double) state->active_start;
		result->churn_rate_valid = true;
		result->retention_rate = 1.0 - result->churn_rate;
		result->retention_rate_valid = true;
	}
	return true;
}

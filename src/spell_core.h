/*-------------------------------------------------------------------------
 *
 * spell_core.h
 *	  Spell counting for spell_stats: how many spells are active, start and
 *	  end within a period, and the turnover, churn and retention rates that
 *	  follow.  Server-free core; the glue converts ranges to int64 units.
 *
 * A spell is [a, b) in int64 units (days for daterange, microseconds for
 * tstzrange), or [a, +infinity) when it is ongoing.  It covers the units
 * a .. b-1; its last unit is b-1.  The period [p0, p1) is bounded and
 * non-empty.  For one period:
 *
 *	active_start	spells covering unit p0
 *	active_end		spells covering unit p1-1
 *	avg_active		(units of the period covered, summed over spells) / (p1-p0)
 *	starts			spells whose first unit a lies in [p0, p1)
 *	ends			spells whose last unit b-1 lies in [p0, p1); ongoing
 *					spells never end
 *	ends_voluntary	of those, the ones flagged voluntary (unknown flags are
 *					not counted)
 *	ends_from_start	spells active at p0 that end in the period
 *	turnover_rate	ends / avg_active
 *	annualized_turnover_rate  turnover_rate * 365.2425 / (period in days)
 *	churn_rate		ends_from_start / active_start
 *	retention_rate	1 - churn_rate
 *
 * A rate whose denominator is zero is invalid (SQL NULL).
 *
 * The state is a flat struct of fixed-width fields with no pointers, so the
 * glue may copy it byte for byte (for example into a bytea for parallel
 * aggregation).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SPELL_CORE_H
#define SPELL_CORE_H

#include "pf_core.h"

/*
 * The unit of a spell's bounds: days for daterange, microseconds for
 * tstzrange.  The numbers are stored (in a survival summary's unit byte
 * and spell_stats' state): never renumber.
 */
typedef enum PfSpellUnit
{
	PF_SPELL_UNIT_DAY = 1,
	PF_SPELL_UNIT_MICROSECOND = 2
} PfSpellUnit;

/* whether u is one of the units */
static inline bool
pf_spell_unit_valid(int64_t u)
{
	return u == PF_SPELL_UNIT_DAY || u == PF_SPELL_UNIT_MICROSECOND;
}

/* "day" or "microsecond" */
extern const char *pf_spell_unit_name(PfSpellUnit unit);

/* units in one day, for the annualized rate of pf_spell_result */
extern double pf_spell_units_per_day(PfSpellUnit unit);

/* Days in a mean Gregorian year, for annualized rates. */
#define PF_DAYS_PER_YEAR 365.2425

/*
 * The period and the counts, in the state and in the result alike (the
 * state's layout is its bytea form: the order never changes).
 */
#define PF_SPELL_COUNT_FIELDS \
	int64_t		p0; \
	int64_t		p1; \
	int64_t		active_start; \
	int64_t		active_end; \
	int64_t		starts; \
	int64_t		ends; \
	int64_t		ends_voluntary; \
	int64_t		ends_from_start;

typedef struct PfSpellState
{
	bool		has_period;		/* set by the first accumulated row */
	bool		has_voluntary;	/* the aggregate takes a voluntary argument */
	uint8_t		reserved[6];	/* zero */
	PF_SPELL_COUNT_FIELDS		/* the period valid when has_period */

	/*
	 * Covered units summed over spells, an exact unsigned 128-bit integer
	 * kept as two halves: one spell may cover up to 2^64 - 1 units.
	 */
	uint64_t	covered_hi;
	uint64_t	covered_lo;
} PfSpellState;

typedef struct PfSpellResult
{
	PF_SPELL_COUNT_FIELDS
	double		avg_active;
	double		turnover_rate;
	double		annualized_turnover_rate;
	double		churn_rate;
	double		retention_rate;
	bool		ends_voluntary_valid;	/* false without a voluntary argument */
	bool		turnover_rate_valid;	/* false when avg_active is 0 */
	bool		annualized_turnover_rate_valid;
	bool		churn_rate_valid;	/* false when active_start is 0 */
	bool		retention_rate_valid;
} PfSpellResult;

/*
 * Set up an empty state.  has_voluntary tells whether the aggregate has a
 * voluntary argument at all: without one ends_voluntary is invalid, whereas
 * a NULL argument on some rows only leaves those rows uncounted.
 */
extern void pf_spell_state_init(PfSpellState *state, bool has_voluntary);

/*
 * Add one spell [a, b) (or [a, +infinity) when b_ongoing, b then ignored)
 * for the period [p0, p1).  voluntary counts only when voluntary_known.
 * Raises PF_ERR_INVALID_PARAMETER when the period is empty or differs from
 * the one of earlier rows.  An empty spell (b <= a) is skipped, as the glue
 * skips empty ranges.
 */
extern void pf_spell_accum(PfSpellState *state, int64_t a, int64_t b,
						   bool b_ongoing, bool voluntary_known,
						   bool voluntary, int64_t p0, int64_t p1);

/*
 * Add src into dst, as if dst had seen src's rows too.  Raises
 * PF_ERR_INVALID_PARAMETER when both carry periods and they differ.
 */
extern void pf_spell_combine(PfSpellState *dst, const PfSpellState *src);

/*
 * Fill result from state.  units_per_day is the number of units in a day
 * (pf_spell_units_per_day) and only matters for the annualized rate.  Returns false, leaving result
 * zeroed, when the state has seen no row (the glue then returns NULL).
 */
extern bool pf_spell_result(const PfSpellState *state, double units_per_day,
							PfSpellResult *result);

#endif							/* SPELL_CORE_H */

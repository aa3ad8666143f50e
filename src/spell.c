/*-------------------------------------------------------------------------
 *
 * spell.c
 *	  Relationships as spells: the spell_stats, turnover_rate, churn_rate
 *	  and retention_rate aggregates over daterange or tstzrange spells.
 *	  Glue only; the counting is in spell_core.c.
 *
 * The aggregate state is a bytea holding a flat SpellAggState, a plain SQL
 * type, so parallel aggregation needs no serialize functions.  Ranges are
 * read as int64 units by range.h: days for daterange, microseconds for
 * tstzrange, with [a, b) meaning the units a .. b-1.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/date.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"

#include "pf_glue.h"
#include "range.h"
#include "spell_core.h"

/*
 * The bytea: its header, padding that puts the int64 fields at an 8-byte
 * offset (bytea data starts at 4), and the state.
 */
typedef struct SpellAggState
{
	int32		vl_len_;		/* varlena header */
	int32		unit;			/* PF_SPELL_UNIT_DAY or PF_SPELL_UNIT_MICROSECOND */
	PfSpellState core;
} SpellAggState;

#define SPELL_STATE_SIZE sizeof(SpellAggState)

/*
 * The state inside a bytea.  The support functions can be called with any
 * bytea, so it is checked as a stored value would be.
 */
static SpellAggState *
spell_state(bytea *state)
{
	SpellAggState *s = (SpellAggState *) state;
	const PfSpellState *c = &s->core;
	uint8		flags[2];
	bool		valid;

	/* the flags' bytes as stored, before they are read as bool */
	memcpy(&flags[0], &c->has_period, 1);
	memcpy(&flags[1], &c->has_voluntary, 1);
	valid = VARSIZE(state) == SPELL_STATE_SIZE &&
		pf_spell_unit_valid(s->unit) &&
		flags[0] <= 1 && flags[1] <= 1 &&
		(!c->has_period || c->p1 > c->p0) &&
		c->active_start >= 0 && c->active_end >= 0 && c->starts >= 0 &&
		c->ends >= 0 && c->ends_voluntary >= 0 && c->ends_from_start >= 0;
	for (size_t i = 0; i < sizeof(c->reserved); i++)
		valid = valid && c->reserved[i] == 0;
	if (!valid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid spell_stats aggregate state")));
	return s;
}

/*
 * Transition function of spell_stats and the rate aggregates: (state,
 * spell, period [, voluntary]).  Rows with a NULL or empty spell or a NULL
 * period are skipped.  The state is updated in place.
 */
PG_FUNCTION_INFO_V1(spell_stats_accum);
Datum
spell_stats_accum(PG_FUNCTION_ARGS)
{
	bool		has_voluntary = PG_NARGS() > 3;
	bytea	   *state;
	SpellAggState *s;
	PfRangeBytes spell;
	const RangeType *period;
	PfRangeLocal period_local;
	PfRangeCache *cache;
	PfSpellUnit unit;
	int64		a = 0;
	int64		b = 0;
	int64		p0 = 0;
	int64		p1 = 0;
	bool		ongoing;
	bool		voluntary_known;

	pf_require_aggregate(fcinfo, "spell_stats_accum");

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	spell = pf_range_bytes(PG_GETARG_DATUM(1));
	period = pf_range_view(PG_GETARG_DATUM(2), &period_local);
	/* the SQL signatures give spell and period the same range type */
	cache = pf_range_cache(fcinfo, spell);
	unit = cache->unit;
	pf_range_period(cache, period, &p0, &p1);

	/* an empty spell is skipped like a NULL one */
	if (!pf_range_spell(cache, spell, &a, &b, &ongoing))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}

	if (PG_ARGISNULL(0))
	{
		/* nodeAgg copies a new state into the aggregate context */
		s = palloc0(SPELL_STATE_SIZE);
		SET_VARSIZE(s, SPELL_STATE_SIZE);
		state = (bytea *) s;
		pf_spell_state_init(&s->core, has_voluntary);
		s->unit = unit;
	}
	else
	{
		state = PG_GETARG_BYTEA_P(0);
		s = spell_state(state);
	}

	voluntary_known = has_voluntary && !PG_ARGISNULL(3);
	pf_spell_accum(&s->core, a, b, ongoing, voluntary_known,
				   voluntary_known && PG_GETARG_BOOL(3), p0, p1);
	PG_RETURN_BYTEA_P(state);
}

/* Combine: strict, so nodeAgg copies the right side into a NULL left one. */
PG_FUNCTION_INFO_V1(spell_stats_combine);
Datum
spell_stats_combine(PG_FUNCTION_ARGS)
{
	bytea	   *left;
	SpellAggState *a;
	SpellAggState *b = spell_state(PG_GETARG_BYTEA_P(1));

	if (pf_in_aggregate(fcinfo))
		left = PG_GETARG_BYTEA_P(0);
	else
		left = PG_GETARG_BYTEA_P_COPY(0);
	a = spell_state(left);
	if (a->unit != b->unit)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine spell_stats states of date and timestamp spells")));
	pf_spell_combine(&a->core, &b->core);
	PG_RETURN_BYTEA_P(left);
}

static bool
spell_result(FunctionCallInfo fcinfo, PfSpellResult *r)
{
	SpellAggState *s = spell_state(PG_GETARG_BYTEA_P(0));

	return pf_spell_result(&s->core, pf_spell_units_per_day(s->unit), r);
}

PG_FUNCTION_INFO_V1(spell_stats_final);
Datum
spell_stats_final(PG_FUNCTION_ARGS)
{
	PfSpellResult r;
	Datum		values[11];
	bool		nulls[11] = {0};

	if (!spell_result(fcinfo, &r))
		PG_RETURN_NULL();

	values[0] = Int64GetDatum(r.active_start);
	values[1] = Int64GetDatum(r.active_end);
	values[2] = Float8GetDatum(r.avg_active);
	values[3] = Int64GetDatum(r.starts);
	values[4] = Int64GetDatum(r.ends);
	values[5] = Int64GetDatum(r.ends_voluntary);
	nulls[5] = !r.ends_voluntary_valid;
	values[6] = Int64GetDatum(r.ends_from_start);
	values[7] = Float8GetDatum(r.turnover_rate);
	nulls[7] = !r.turnover_rate_valid;
	values[8] = Float8GetDatum(r.annualized_turnover_rate);
	nulls[8] = !r.annualized_turnover_rate_valid;
	values[9] = Float8GetDatum(r.churn_rate);
	nulls[9] = !r.churn_rate_valid;
	values[10] = Float8GetDatum(r.retention_rate);
	nulls[10] = !r.retention_rate_valid;
	PG_RETURN_DATUM(pf_result_tuple(fcinfo, values, nulls));
}

PG_FUNCTION_INFO_V1(turnover_rate_final);
Datum
turnover_rate_final(PG_FUNCTION_ARGS)
{
	PfSpellResult r;

	if (!spell_result(fcinfo, &r) || !r.turnover_rate_valid)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r.turnover_rate);
}

PG_FUNCTION_INFO_V1(churn_rate_final);
Datum
churn_rate_final(PG_FUNCTION_ARGS)
{
	PfSpellResult r;

	if (!spell_result(fcinfo, &r) || !r.churn_rate_valid)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r.churn_rate);
}

PG_FUNCTION_INFO_V1(retention_rate_final);
Datum
retention_rate_final(PG_FUNCTION_ARGS)
{
	PfSpellResult r;

	if (!spell_result(fcinfo, &r) || !r.retention_rate_valid)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r.retention_rate);
}

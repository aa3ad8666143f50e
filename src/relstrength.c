/*-------------------------------------------------------------------------
 *
 * relstrength.c
 *	  The relstrength type: I/O, the strength_agg aggregates, rollup and +,
 *	  and the accessors.  Glue only; the arithmetic is in relstrength_core.c.
 *
 * The aggregates' transition state is a relstrength itself, a plain SQL
 * type, so parallel aggregation needs no serialize functions.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "common/int.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "pf_glue.h"
#include "relstrength_core.h"

#define DatumGetRelStrengthP(X)		((PfRelstrength *) DatumGetPointer(X))
#define PG_GETARG_RELSTRENGTH_P(n)	DatumGetRelStrengthP(PG_GETARG_DATUM(n))
#define PG_RETURN_RELSTRENGTH_P(x)	PG_RETURN_POINTER(x)

StaticAssertDecl(sizeof(PfRelstrength) == 88,
				 "relstrength's on-disk size is fixed by its SQL declaration");

static PfRelstrength *
relstrength_copy(const PfRelstrength *s)
{
	PfRelstrength *result = palloc(sizeof(PfRelstrength));

	memcpy(result, s, sizeof(PfRelstrength));
	return result;
}

PG_FUNCTION_INFO_V1(relstrength_in);
Datum
relstrength_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	PfRelstrength *result = palloc(sizeof(PfRelstrength));

	pf_relstrength_parse(str, result);
	PG_RETURN_RELSTRENGTH_P(result);
}

PG_FUNCTION_INFO_V1(relstrength_out);
Datum
relstrength_out(PG_FUNCTION_ARGS)
{
	PfRelstrength *s = PG_GETARG_RELSTRENGTH_P(0);
	char	   *buf = palloc(PF_RELSTRENGTH_TEXT_MAX);

	pf_relstrength_format(s, buf, PF_RELSTRENGTH_TEXT_MAX);
	PG_RETURN_CSTRING(buf);
}

PG_FUNCTION_INFO_V1(relstrength_recv);
Datum
relstrength_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	PfRelstrength *result = palloc(sizeof(PfRelstrength));
	size_t		len = (size_t) (buf->len - buf->cursor);

	pf_relstrength_decode((const uint8_t *) buf->data + buf->cursor, len, result);
	buf->cursor = buf->len;
	PG_RETURN_RELSTRENGTH_P(result);
}

PG_FUNCTION_INFO_V1(relstrength_send);
Datum
relstrength_send(PG_FUNCTION_ARGS)
{
	PfRelstrength *s = PG_GETARG_RELSTRENGTH_P(0);
	uint8_t		bytes[PF_RELSTRENGTH_WIRE_SIZE];
	StringInfoData buf;

	pf_relstrength_encode(s, bytes);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (const char *) bytes, PF_RELSTRENGTH_WIRE_SIZE);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * strength_agg transition: (state, at, half_life [, weight [, sentiment,
 * inbound]]).  Rows with a NULL time, half-life or weight are skipped; a
 * NULL sentiment or direction is unknown.  The state is updated in place:
 * nothing is allocated per row.
 */
typedef struct HalfLifeCache
{
	Interval	hl;				/* the half-life last seen */
	double		inv_h;			/* 1 / its length in microseconds */
} HalfLifeCache;

/*
 * 1 / the half-life in microseconds, computed and checked once a query for
 * each half-life seen (usually a constant), kept in fn_extra.
 */
static pg_noinline double
half_life_inverse_compute(FunctionCallInfo fcinfo, const Interval *hl)
{
	HalfLifeCache *cache = (HalfLifeCache *) fcinfo->flinfo->fn_extra;
	double		h_usecs;

	h_usecs = pf_textio_interval_usecs(hl->time, hl->day, hl->month);
	pf_relstrength_check_half_life(h_usecs);
	if (cache == NULL)
		cache = fcinfo->flinfo->fn_extra =
			MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(HalfLifeCache));
	cache->hl = *hl;
	cache->inv_h = 1.0 / h_usecs;
	return cache->inv_h;
}

/* the same, inline where the half-life is the one cached, as on most rows */
static inline double
half_life_inverse(FunctionCallInfo fcinfo, const Interval *hl)
{
	HalfLifeCache *cache = (HalfLifeCache *) fcinfo->flinfo->fn_extra;

	if (likely(cache != NULL && cache->hl.time == hl->time &&
			   cache->hl.day == hl->day && cache->hl.month == hl->month))
		return cache->inv_h;
	return half_life_inverse_compute(fcinfo, hl);
}

/*
 * One row with its arguments read and checked, but for the half-life: start
 * the summary or add to it.  Always inline, so that the two-argument form,
 * which passes constants for weight, sentiment and direction, gets a copy
 * of its own with that work compiled away.
 */
static pg_attribute_always_inline Datum
accum_row(FunctionCallInfo fcinfo, TimestampTz at, const Interval *hl,
		  double weight, bool has_sentiment, double sentiment,
		  bool has_direction, bool inbound)
{
	double		inv_h = half_life_inverse(fcinfo, hl);
	PfRelstrength *state;

	if (PG_ARGISNULL(0))
	{
		/* nodeAgg copies a new state into the aggregate context */
		state = palloc(sizeof(PfRelstrength));
		pf_relstrength_init(state, at, hl->time, hl->day, hl->month, weight,
				has_sentiment, sentiment, has_direction, inbound);
		PG_RETURN_RELSTRENGTH_P(state);
	}

	state = PG_GETARG_RELSTRENGTH_P(0);
	/* equal fields need no further look; equal lengths are the same too */
	if (state->hl_time != hl->time || state->hl_day != hl->day ||
		state->hl_month != hl->month)
		pf_relstrength_check_same_half_life(state, hl->time, hl->day, hl->month);
	pf_relstrength_add_interaction(state, inv_h, at, weight, has_sentiment, sentiment,
					   has_direction, inbound);
	PG_RETURN_RELSTRENGTH_P(state);
}

PG_FUNCTION_INFO_V1(strength_agg_accum);
Datum
strength_agg_accum(PG_FUNCTION_ARGS)
{
	int			nargs = PG_NARGS();
	TimestampTz at;
	Interval   *hl;
	double		weight;
	bool		has_sentiment = false;
	double		sentiment = 0.0;
	bool		has_direction = false;
	bool		inbound = false;

	pf_require_aggregate(fcinfo, "strength_agg_accum");

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) ||
		(nargs > 3 && PG_ARGISNULL(3)))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}

	at = PG_GETARG_TIMESTAMPTZ(1);
	pf_require_finite(!TIMESTAMP_NOT_FINITE(at), "interaction time");
	hl = PG_GETARG_INTERVAL_P(2);
	if (nargs == 3)
		return accum_row(fcinfo, at, hl, 1.0, false, 0.0, false, false);

	weight = PG_GETARG_FLOAT8(3);
	pf_relstrength_check_weight(weight);

	/*
	 * Whether sentiment and direction are known is as good as random from
	 * row to row: read without a branch on it (a NULL's datum is read and
	 * dropped), and checked where known.
	 */
	if (nargs > 4)
	{
		has_sentiment = !PG_ARGISNULL(4);
		sentiment = has_sentiment ? PG_GETARG_FLOAT8(4) : 0.0;
		pf_relstrength_check_sentiment(sentiment);
	}
	if (nargs > 5)
	{
		has_direction = !PG_ARGISNULL(5);
		inbound = has_direction & PG_GETARG_BOOL(5);
	}
	return accum_row(fcinfo, at, hl, weight, has_sentiment, sentiment,
					 has_direction, inbound);
}

/*
 * Merge two summaries.  Strict: nodeAgg handles NULL on either side (a NULL
 * state takes a copy of the other).  In an aggregate the left argument is
 * the aggregate's own state and is updated in place; called any other way
 * the inputs are left alone.
 */
PG_FUNCTION_INFO_V1(relstrength_combine);
Datum
relstrength_combine(PG_FUNCTION_ARGS)
{
	PfRelstrength *a = PG_GETARG_RELSTRENGTH_P(0);
	PfRelstrength *b = PG_GETARG_RELSTRENGTH_P(1);

	if (!pf_in_aggregate(fcinfo))
		a = relstrength_copy(a);
	pf_relstrength_merge(a, b);
	PG_RETURN_RELSTRENGTH_P(a);
}

PG_FUNCTION_INFO_V1(relstrength_add);
Datum
relstrength_add(PG_FUNCTION_ARGS)
{
	PfRelstrength *result = relstrength_copy(PG_GETARG_RELSTRENGTH_P(0));

	pf_relstrength_merge(result, PG_GETARG_RELSTRENGTH_P(1));
	PG_RETURN_RELSTRENGTH_P(result);
}

PG_FUNCTION_INFO_V1(relstrength_interactions);
Datum
relstrength_interactions(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_RELSTRENGTH_P(0)->n);
}

PG_FUNCTION_INFO_V1(relstrength_first_interaction);
Datum
relstrength_first_interaction(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(PG_GETARG_RELSTRENGTH_P(0)->first);
}

PG_FUNCTION_INFO_V1(relstrength_last_interaction);
Datum
relstrength_last_interaction(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(PG_GETARG_RELSTRENGTH_P(0)->last);
}

static TimestampTz
get_as_of(FunctionCallInfo fcinfo, int argno)
{
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(argno);

	pf_require_finite(!TIMESTAMP_NOT_FINITE(as_of), "as_of");
	return as_of;
}

PG_FUNCTION_INFO_V1(relstrength_intensity);
Datum
relstrength_intensity(PG_FUNCTION_ARGS)
{
	PfRelstrength *s = PG_GETARG_RELSTRENGTH_P(0);

	PG_RETURN_FLOAT8(pf_relstrength_intensity(s, get_as_of(fcinfo, 1)));
}

PG_FUNCTION_INFO_V1(relstrength_strength);
Datum
relstrength_strength(PG_FUNCTION_ARGS)
{
	PfRelstrength *s = PG_GETARG_RELSTRENGTH_P(0);

	PG_RETURN_FLOAT8(pf_relstrength_strength(s, get_as_of(fcinfo, 1)));
}

PG_FUNCTION_INFO_V1(relstrength_reciprocity);
Datum
relstrength_reciprocity(PG_FUNCTION_ARGS)
{
	double		result;

	if (!pf_relstrength_reciprocity(PG_GETARG_RELSTRENGTH_P(0), &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

PG_FUNCTION_INFO_V1(relstrength_sentiment);
Datum
relstrength_sentiment(PG_FUNCTION_ARGS)
{
	double		result;

	if (!pf_relstrength_sentiment(PG_GETARG_RELSTRENGTH_P(0), &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

/*
 * as_of - t as an interval, the way timestamptz - timestamptz gives it.
 * The timestamptz range is wider than an interval can hold, and
 * timestamp_mi does not check that.
 */
static Datum
interval_since(TimestampTz as_of, TimestampTz t)
{
	int64		diff;

	if (pg_sub_s64_overflow(as_of, t, &diff))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range")));
	return DirectFunctionCall2(timestamp_mi, TimestampTzGetDatum(as_of),
							   TimestampTzGetDatum(t));
}

PG_FUNCTION_INFO_V1(relstrength_tenure);
Datum
relstrength_tenure(PG_FUNCTION_ARGS)
{
	PfRelstrength *s = PG_GETARG_RELSTRENGTH_P(0);
	TimestampTz as_of = get_as_of(fcinfo, 1);

	pf_relstrength_check_as_of(s, as_of);
	PG_RETURN_DATUM(interval_since(as_of, s->first));
}

PG_FUNCTION_INFO_V1(relstrength_recency);
Datum
relstrength_recency(PG_FUNCTION_ARGS)
{
	PfRelstrength *s = PG_GETARG_RELSTRENGTH_P(0);
	TimestampTz as_of = get_as_of(fcinfo, 1);

	pf_relstrength_check_as_of(s, as_of);
	PG_RETURN_DATUM(interval_since(as_of, s->last));
}

PG_FUNCTION_INFO_V1(relstrength_half_life);
Datum
relstrength_half_life(PG_FUNCTION_ARGS)
{
	PfRelstrength *s = PG_GETARG_RELSTRENGTH_P(0);
	Interval   *result = palloc(sizeof(Interval));

	result->time = s->hl_time;
	result->day = s->hl_day;
	result->month = s->hl_month;
	PG_RETURN_INTERVAL_P(result);
}

/*
 * Equality and order on the stored bytes: every field of a relstrength is
 * canonical (the validator rejects nonzero reserved bytes), so equal bytes
 * mean the same summary.
 */
static int
relstrength_compare(FunctionCallInfo fcinfo)
{
	return pf_bytes_cmp(PG_GETARG_RELSTRENGTH_P(0), sizeof(PfRelstrength),
						PG_GETARG_RELSTRENGTH_P(1), sizeof(PfRelstrength));
}

PF_COMPARISON_FUNCTIONS(relstrength, relstrength_compare)

PG_FUNCTION_INFO_V1(relstrength_hash);
Datum
relstrength_hash(PG_FUNCTION_ARGS)
{
	return hash_any((const unsigned char *) PG_GETARG_RELSTRENGTH_P(0),
					sizeof(PfRelstrength));
}

PG_FUNCTION_INFO_V1(relstrength_hash_extended);
Datum
relstrength_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_any_extended((const unsigned char *) PG_GETARG_RELSTRENGTH_P(0),
							 sizeof(PfRelstrength), PG_GETARG_INT64(1));
}

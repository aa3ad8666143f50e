/*-------------------------------------------------------------------------
 *
 * survival.c
 *	  The survival type (a mergeable Kaplan–Meier summary of spell
 *	  durations): its I/O, the tenure_survival and rollup aggregates, and
 *	  the accessors survival_at, median_tenure and survival_curve.  Glue
 *	  only; the computation is in survival_core.c.
 *
 * The aggregates keep a PfSurvivalBuilder (internal) in the aggregate context,
 * serialized to bytea for parallel query.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "pf_glue.h"
#include "spell.h"
#include "survival_core.h"
#include "textio_core.h"

#define DatumGetSurvivalP(X)	((PfSurvival *) PG_DETOAST_DATUM(X))
#define PG_GETARG_SURVIVAL_P(n) DatumGetSurvivalP(PG_GETARG_DATUM(n))

#define USECS_PER_DAY_F 86400.0e6

/* a summary built by the core, made a varlena */
static Datum
survival_datum(PfSurvival *s)
{
	SET_VARSIZE(s, pf_survival_size(s->nentries));
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(survival_in);
Datum
survival_in(PG_FUNCTION_ARGS)
{
	return survival_datum(pf_survival_in(PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(survival_out);
Datum
survival_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pf_survival_out(PG_GETARG_SURVIVAL_P(0)));
}

PG_FUNCTION_INFO_V1(survival_recv);
Datum
survival_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	PfSurvival *s = pf_survival_recv((const uint8_t *) buf->data + buf->cursor,
								 (size_t) (buf->len - buf->cursor));

	buf->cursor = buf->len;
	return survival_datum(s);
}

PG_FUNCTION_INFO_V1(survival_send);
Datum
survival_send(PG_FUNCTION_ARGS)
{
	size_t		len;
	uint8_t    *bytes = pf_survival_send(PG_GETARG_SURVIVAL_P(0), &len);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (const char *) bytes, (int) len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * tenure_survival transition: (state, spell, as_of).  Rows with a NULL or
 * empty spell or a NULL as_of are skipped.
 */
PG_FUNCTION_INFO_V1(tenure_survival_accum);
Datum
tenure_survival_accum(PG_FUNCTION_ARGS)
{
	MemoryContext old;
	PfSurvivalBuilder *b = PG_ARGISNULL(0) ? NULL : (PfSurvivalBuilder *) PG_GETARG_POINTER(0);
	PfRangeBytes spell;
	PfRangeCache *cache;
	PfUnit		unit;
	int64		a = 0;
	int64		end = 0;
	int64		as_of;
	bool		ongoing;

	pf_require_aggregate(fcinfo, "tenure_survival_accum");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (b == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(b);
	}
	spell = pf_range_bytes(PG_GETARG_DATUM(1));
	cache = pf_range_cache(fcinfo, spell);
	unit = cache->unit;
	if (unit == PF_UNIT_DAY)
	{
		DateADT		d = PG_GETARG_DATEADT(2);

		if (DATE_NOT_FINITE(d))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("as_of must be finite")));
		as_of = d;
	}
	else
	{
		TimestampTz t = PG_GETARG_TIMESTAMPTZ(2);

		if (TIMESTAMP_NOT_FINITE(t))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("as_of must be finite")));
		as_of = t;
	}
	if (!pf_range_spell(cache, spell, &a, &end, &ongoing))
	{
		if (b == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(b);
	}

	/*
	 * The builder grows in the aggregate context, where the first row
	 * created it (looking that context up on every row costs more than the
	 * row's own work).
	 */
	if (b == NULL)
	{
		old = MemoryContextSwitchTo(pf_agg_context(fcinfo, "tenure_survival_accum"));
		b = pf_survival_builder_create(unit == PF_UNIT_DAY ? PF_SURV_UNIT_DAY :
								   PF_SURV_UNIT_MICROSECOND);
	}
	else
		old = MemoryContextSwitchTo(GetMemoryChunkContext(b));
	pf_survival_builder_add_spell(b, a, end, ongoing, as_of);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(b);
}

/*
 * rollup(survival) transition and combine: the union of two summaries, a
 * new value (nodeAgg moves it into the aggregate context).  Strict, so
 * NULL summaries are skipped.  The state is a survival, a plain SQL type,
 * so that Citus can merge rollups computed on its workers.
 */
PG_FUNCTION_INFO_V1(survival_combine);
Datum
survival_combine(PG_FUNCTION_ARGS)
{
	return survival_datum(pf_survival_merge(PG_GETARG_SURVIVAL_P(0),
										PG_GETARG_SURVIVAL_P(1)));
}

/* Combine: not strict (the state is internal), so NULLs are handled here. */
PG_FUNCTION_INFO_V1(tenure_survival_combine);
Datum
tenure_survival_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = pf_agg_context(fcinfo, "tenure_survival_combine");
	MemoryContext old;
	PfSurvivalBuilder *a = PG_ARGISNULL(0) ? NULL : (PfSurvivalBuilder *) PG_GETARG_POINTER(0);
	PfSurvivalBuilder *b = PG_ARGISNULL(1) ? NULL : (PfSurvivalBuilder *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	old = MemoryContextSwitchTo(aggcontext);
	if (a == NULL)
		a = pf_survival_builder_create((PfSurvivalUnit) b->unit);
	pf_survival_builder_combine(a, b);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(tenure_survival_serialize);
Datum
tenure_survival_serialize(PG_FUNCTION_ARGS)
{
	PfSurvivalBuilder *b = (PfSurvivalBuilder *) PG_GETARG_POINTER(0);
	size_t		len;
	uint8_t    *bytes;
	bytea	   *result;

	(void) pf_agg_context(fcinfo, "tenure_survival_serialize");
	bytes = pf_survival_builder_serialize(b, &len);
	result = palloc(VARHDRSZ + len);
	SET_VARSIZE(result, VARHDRSZ + len);
	memcpy(VARDATA(result), bytes, len);
	pfree(bytes);
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(tenure_survival_deserialize);
Datum
tenure_survival_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);

	/*
	 * In the current (per-input) context, as PostgreSQL's own deserialize
	 * functions allocate: the combine function copies what it keeps.
	 */
	(void) pf_agg_context(fcinfo, "tenure_survival_deserialize");
	PG_RETURN_POINTER(pf_survival_builder_deserialize((const uint8_t *) VARDATA_ANY(bytes),
												  VARSIZE_ANY_EXHDR(bytes)));
}

PG_FUNCTION_INFO_V1(tenure_survival_final);
Datum
tenure_survival_final(PG_FUNCTION_ARGS)
{
	(void) pf_agg_context(fcinfo, "tenure_survival_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	return survival_datum(pf_survival_builder_finish((PfSurvivalBuilder *) PG_GETARG_POINTER(0)));
}

/* an interval as a duration in the summary's units, rounded down */
static int64
interval_units(const PfSurvival *s, const Interval *iv)
{
	double		usecs = pf_interval_usecs(iv->time, iv->day, iv->month);
	double		units = s->unit == PF_SURV_UNIT_DAY ?
		floor(usecs / USECS_PER_DAY_F) : usecs;

	/* beyond any stored duration either way */
	if (units >= 9.2e18)
		return PG_INT64_MAX;
	if (units <= -9.2e18)
		return PG_INT64_MIN;
	return (int64) units;
}

/* a duration in the summary's units as an interval, as timestamp - timestamp gives it */
static Interval *
units_interval(const PfSurvival *s, int64 units)
{
	Interval   *result = palloc0(sizeof(Interval));

	if (s->unit == PF_SURV_UNIT_DAY)
	{
		if (units > PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("interval out of range")));
		result->day = (int32) units;
		return result;
	}
	result->time = units;
	return DatumGetIntervalP(DirectFunctionCall1(interval_justify_hours,
												 IntervalPGetDatum(result)));
}

PG_FUNCTION_INFO_V1(survival_survival_at);
Datum
survival_survival_at(PG_FUNCTION_ARGS)
{
	PfSurvival *s = PG_GETARG_SURVIVAL_P(0);

	PG_RETURN_FLOAT8(pf_survival_at(s, interval_units(s, PG_GETARG_INTERVAL_P(1))));
}

PG_FUNCTION_INFO_V1(survival_median_tenure);
Datum
survival_median_tenure(PG_FUNCTION_ARGS)
{
	PfSurvival *s = PG_GETARG_SURVIVAL_P(0);
	int64_t		median;

	if (!pf_survival_median(s, &median))
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(units_interval(s, median));
}

/*
 * survival_curve(s, confidence): one row per distinct duration, with the
 * Kaplan–Meier estimate and its log-log interval.
 */
PG_FUNCTION_INFO_V1(survival_curve);
Datum
survival_curve(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PfSurvival *s = PG_GETARG_SURVIVAL_P(0);
	double		confidence = PG_GETARG_FLOAT8(1);
	PfSurvivalCurveRow *rows;
	int64		nrows;

	if (!(confidence > 0.0 && confidence < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence must be between 0 and 1, exclusive, not %g",
						confidence)));
	InitMaterializedSRF(fcinfo, 0);
	nrows = pf_survival_curve(s, confidence, &rows);
	for (int64 i = 0; i < nrows; i++)
	{
		Datum		values[7];
		bool		nulls[7] = {0};

		values[0] = IntervalPGetDatum(units_interval(s, rows[i].duration));
		values[1] = Int64GetDatum(rows[i].at_risk);
		values[2] = Int64GetDatum(rows[i].events);
		values[3] = Int64GetDatum(rows[i].censored);
		values[4] = Float8GetDatum(rows[i].survival);
		values[5] = Float8GetDatum(rows[i].ci_low);
		values[6] = Float8GetDatum(rows[i].ci_high);
		nulls[5] = nulls[6] = !rows[i].ci_valid;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * Equality and order on the stored bytes: a survival value is canonical
 * (entries sorted by duration, one per duration, checked on input), so
 * equal bytes mean the same summary.
 */
static int
survival_compare(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_VARLENA_PP(0);
	struct varlena *b = PG_GETARG_VARLENA_PP(1);

	return pf_bytes_cmp(VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a),
						VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
}

PF_COMPARISON_FUNCTIONS(survival, survival_compare)

PG_FUNCTION_INFO_V1(survival_hash);
Datum
survival_hash(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_VARLENA_PP(0);

	return hash_any((const unsigned char *) VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a));
}

PG_FUNCTION_INFO_V1(survival_hash_extended);
Datum
survival_hash_extended(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_VARLENA_PP(0);

	return hash_any_extended((const unsigned char *) VARDATA_ANY(a),
							 VARSIZE_ANY_EXHDR(a), PG_GETARG_INT64(1));
}

/*-------------------------------------------------------------------------
 *
 * survival.c
 *	  The survival type (a mergeable Kaplan–Meier summary of spell
 *	  durations): its I/O, the tenure_survival and rollup aggregates, and
 *	  the accessors survival_at, median_tenure and survival_curve.  Glue
 *	  only; the computation is in survival_core.c and
 *	  survival_builder_core.c.
 *
 * The aggregates' state is a survival itself, a plain SQL type, so that
 * parallel query and Citus move the flat summary between processes and no
 * serialize function is needed.  While an aggregate runs the state is an
 * expanded object (utils/expandeddatum.h): a PfSurvivalBuilder in a memory
 * context of its own, a child of the aggregate context, which nodeAgg
 * keeps without copying from row to row.  The transition functions add to
 * it in place; flattening it (at the end, or when a partial aggregate hands
 * its state on) compacts the builder and copies out the canonical summary.
 * Compacting twice with nothing added in between costs nothing, so the
 * finished summary is in effect cached until the next change.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "access/detoast.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "pf_glue.h"
#include "range.h"
#include "survival.h"
#include "survival_builder_core.h"
#include "survival_core.h"
#include "textio_core.h"

/*
 * The flat summary of an argument, detoasted (an expanded one flattened),
 * and read into this version's layout when stored by version 1.0.
 */
#define PG_GETARG_SURVIVAL_P(n) pf_survival_from_datum(PG_GETARG_DATUM(n))

/* a version 1 summary's bytes (after the varlena header) as a summary now */
static PfSurvival *
survival_upgraded(const char *data, Size len)
{
	PfSurvival *u = pf_survival_upgrade(data, len);

	SET_VARSIZE(u, pf_survival_size(u->nentries));
	return u;
}

PfSurvival *
pf_survival_from_datum(Datum d)
{
	PfSurvival *s = (PfSurvival *) PG_DETOAST_DATUM(d);

	if (s->version == PF_SURVIVAL_VERSION_1)
		return survival_upgraded((const char *) s + VARHDRSZ, VARSIZE(s) - VARHDRSZ);
	if (s->version != PF_SURVIVAL_VERSION ||
		VARSIZE(s) != pf_survival_size(s->nentries))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored survival summary of version %d is not readable",
						(int) s->version)));
	return s;
}

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
	return survival_datum(pf_survival_parse(PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(survival_out);
Datum
survival_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pf_survival_format(PG_GETARG_SURVIVAL_P(0)));
}

PG_FUNCTION_INFO_V1(survival_recv);
Datum
survival_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	PfSurvival *s = pf_survival_decode((const uint8_t *) buf->data + buf->cursor,
									   (size_t) (buf->len - buf->cursor));

	buf->cursor = buf->len;
	return survival_datum(s);
}

PG_FUNCTION_INFO_V1(survival_send);
Datum
survival_send(PG_FUNCTION_ARGS)
{
	PfSurvival *s = PG_GETARG_SURVIVAL_P(0);
	size_t		len = pf_survival_encoded_size(s);
	StringInfoData buf;

	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, (int) len);
	pf_survival_encode(s, (uint8_t *) buf.data + buf.len);
	buf.len += (int) len;
	buf.data[buf.len] = '\0';
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------
 * The expanded survival: the aggregates' state while they run
 * ---------------------------------------------------------------------
 */

typedef struct ExpandedSurvival
{
	ExpandedObjectHeader hdr;
	PfSurvivalBuilder *builder; /* in hdr.eoh_context */
} ExpandedSurvival;

static Size
expanded_flat_size(ExpandedObjectHeader *eohptr)
{
	ExpandedSurvival *e = (ExpandedSurvival *) eohptr;
	MemoryContext old = MemoryContextSwitchTo(e->hdr.eoh_context);
	int64		n = pf_survival_builder_compact(e->builder);

	MemoryContextSwitchTo(old);
	return pf_survival_size(n);
}

static void
expanded_flatten_into(ExpandedObjectHeader *eohptr, void *result,
					  Size allocated_size)
{
	ExpandedSurvival *e = (ExpandedSurvival *) eohptr;

	/* expanded_flat_size has just compacted the builder */
	pf_survival_builder_write(e->builder, (PfSurvival *) result);
	SET_VARSIZE(result, allocated_size);
}

static const ExpandedObjectMethods expanded_survival_methods = {
	expanded_flat_size,
	expanded_flatten_into
};

/*
 * The expanded survival d points to read-write, or NULL.  Its header is
 * read here, not by a call to DatumGetEOHP: this runs on every row.
 */
static inline ExpandedSurvival *
expanded_rw(Datum d)
{
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		varatt_expanded ptr;
		ExpandedObjectHeader *eoh;

		VARATT_EXTERNAL_GET_POINTER(ptr, DatumGetPointer(d));
		eoh = ptr.eohptr;

		if (eoh->eoh_methods == &expanded_survival_methods)
			return (ExpandedSurvival *) eoh;
	}
	return NULL;
}

/* a new, empty expanded survival in a context of its own under parent */
static ExpandedSurvival *
expanded_create(MemoryContext parent, int unit)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "expanded survival",
											  ALLOCSET_SMALL_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	ExpandedSurvival *e = palloc(sizeof(ExpandedSurvival));

	EOH_init_header(&e->hdr, &expanded_survival_methods, cxt);
	e->builder = pf_survival_builder_create(unit);
	MemoryContextSwitchTo(old);
	return e;
}

static void
expanded_add_summary(ExpandedSurvival *e, const PfSurvival *s)
{
	MemoryContext old = MemoryContextSwitchTo(e->hdr.eoh_context);

	pf_survival_builder_add_summary(e->builder, s);
	MemoryContextSwitchTo(old);
}

/*
 * The state of a transition or combine function called by an aggregate,
 * to update in place: the aggregate's own read-write expanded survival, or
 * else a new one in the aggregate context holding a copy of the state
 * argument (NULL, flat or read-only), which is left alone.
 */
static ExpandedSurvival *
aggregate_state(FunctionCallInfo fcinfo, MemoryContext aggcontext, int unit)
{
	ExpandedSurvival *e;

	if (!PG_ARGISNULL(0))
	{
		e = expanded_rw(PG_GETARG_DATUM(0));
		if (e != NULL && MemoryContextGetParent(e->hdr.eoh_context) == aggcontext)
			return e;
	}
	e = expanded_create(aggcontext, unit);
	if (!PG_ARGISNULL(0))
		expanded_add_summary(e, PG_GETARG_SURVIVAL_P(0));
	return e;
}

/*
 * a date or timestamptz argument (as_of, observed_from: what) in units; an
 * error when infinite
 */
static int64
as_of_units(PfSpellUnit unit, Datum d, const char *what)
{
	pf_require_finite(unit == PF_SPELL_UNIT_DAY ? !DATE_NOT_FINITE(DatumGetDateADT(d)) :
					  !TIMESTAMP_NOT_FINITE(DatumGetTimestampTz(d)), what);
	return unit == PF_SPELL_UNIT_DAY ? (int64) DatumGetDateADT(d) :
		(int64) DatumGetTimestampTz(d);
}

/*
 * tenure_survival transition, (state, spell, as_of), on any row: rows with
 * a NULL or empty spell or a NULL as_of are skipped.
 */
static pg_noinline Datum
tenure_survival_accum_any(FunctionCallInfo fcinfo)
{
	ExpandedSurvival *e = NULL;
	PfRangeBytes spell;
	PfRangeCache *cache;
	MemoryContext old;
	int64		a = 0;
	int64		end = 0;
	int64		as_of;
	bool		ongoing;

	pf_require_aggregate(fcinfo, "tenure_survival_accum");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	spell = pf_range_bytes(PG_GETARG_DATUM(1));
	cache = pf_range_cache(fcinfo, spell);
	as_of = as_of_units(cache->unit, PG_GETARG_DATUM(2), "as_of");
	if (!pf_range_spell(cache, spell, &a, &end, &ongoing))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (!PG_ARGISNULL(0))
		e = expanded_rw(PG_GETARG_DATUM(0));
	if (e == NULL)
		e = aggregate_state(fcinfo, pf_agg_context(fcinfo, "tenure_survival_accum"),
							cache->unit);
	old = MemoryContextSwitchTo(e->hdr.eoh_context);
	pf_survival_builder_add_spell(e->builder, a, end, ongoing, as_of);
	MemoryContextSwitchTo(old);
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

/*
 * tenure_survival transition: (state, spell, as_of).  On most rows the
 * state is the aggregate's own, the spell a daterange [a, b) or [a, ),
 * as_of the same as before and the duration within the dense counts: one
 * count is incremented in place, and nothing else is looked up, checked
 * again or allocated.  (The state is the aggregate's own: only aggregates
 * make a read-write expanded survival, and hand it on only to themselves.
 * A daterange spell comes with a date as_of, the only signature taking
 * one; that as_of is the first row's, checked then.)  Every other row goes
 * to tenure_survival_accum_any.
 */
PG_FUNCTION_INFO_V1(tenure_survival_accum);
Datum
tenure_survival_accum(PG_FUNCTION_ARGS)
{
	if (likely(!PG_ARGISNULL(0) && !PG_ARGISNULL(1) && !PG_ARGISNULL(2)))
	{
		ExpandedSurvival *e = expanded_rw(PG_GETARG_DATUM(0));
		int64		a;
		int64		end;
		bool		ongoing;

		if (likely(e != NULL) &&
			pf_range_common_date_spell(PG_GETARG_DATUM(1), &a, &end, &ongoing) &&
			pf_survival_builder_tally(e->builder, a, end, ongoing,
									  DatumGetDateADT(PG_GETARG_DATUM(2))))
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	return tenure_survival_accum_any(fcinfo);
}

/* the aggregate's own expanded state, or a new one; for the 1.1 forms */
static inline ExpandedSurvival *
accum_state(FunctionCallInfo fcinfo, int unit, const char *caller)
{
	ExpandedSurvival *e = NULL;

	if (likely(!PG_ARGISNULL(0)))
		e = expanded_rw(PG_GETARG_DATUM(0));
	if (unlikely(e == NULL))
		e = aggregate_state(fcinfo, pf_agg_context(fcinfo, caller), unit);
	else if (unlikely(e->builder->unit != unit))
		pf_survival_check_same_unit(e->builder->unit, unit);
	return e;
}

/* the state argument returned unchanged: a row that is skipped */
#define RETURN_STATE_UNCHANGED() \
	do { \
		if (PG_ARGISNULL(0)) \
			PG_RETURN_NULL(); \
		PG_RETURN_DATUM(PG_GETARG_DATUM(0)); \
	} while (0)

/* a float8 time argument: an error unless finite */
static double
time_argument(FunctionCallInfo fcinfo, int argno, const char *what)
{
	double		t = PG_GETARG_FLOAT8(argno);

	if (unlikely(!isfinite(t)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be finite, not %g", what, t)));
	return t;
}

/*
 * tenure_survival(duration float8, event boolean) transition: a subject
 * at risk from the start, leaving at duration (>= 0) in an event or
 * censored.  Rows with a NULL are skipped.
 */
PG_FUNCTION_INFO_V1(tenure_survival_duration_accum);
Datum
tenure_survival_duration_accum(PG_FUNCTION_ARGS)
{
	ExpandedSurvival *e;
	MemoryContext old;
	double		t;

	pf_require_aggregate(fcinfo, "tenure_survival_duration_accum");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		RETURN_STATE_UNCHANGED();
	t = time_argument(fcinfo, 1, "duration");
	if (t < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("duration must not be negative, not %g", t)));
	e = accum_state(fcinfo, PF_SURVIVAL_UNIT_NUMBER, "tenure_survival_duration_accum");
	old = MemoryContextSwitchTo(e->hdr.eoh_context);
	pf_survival_builder_add_duration(e->builder, pf_survival_time_key(t),
									 PG_GETARG_BOOL(2));
	MemoryContextSwitchTo(old);
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

/*
 * tenure_survival(entry float8, exit float8, event boolean) transition: a
 * subject at risk on (entry, exit], entry < exit.  Rows with a NULL are
 * skipped.
 */
PG_FUNCTION_INFO_V1(tenure_survival_interval_accum);
Datum
tenure_survival_interval_accum(PG_FUNCTION_ARGS)
{
	ExpandedSurvival *e;
	MemoryContext old;
	double		entry;
	double		exit;

	pf_require_aggregate(fcinfo, "tenure_survival_interval_accum");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		RETURN_STATE_UNCHANGED();
	entry = time_argument(fcinfo, 1, "entry");
	exit = time_argument(fcinfo, 2, "exit");
	if (!(entry < exit))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entry must be before exit, not %g and %g", entry, exit),
				 errdetail("A subject is at risk on (entry, exit]: after entry, up to and including exit.")));
	e = accum_state(fcinfo, PF_SURVIVAL_UNIT_NUMBER, "tenure_survival_interval_accum");
	old = MemoryContextSwitchTo(e->hdr.eoh_context);
	pf_survival_builder_add_interval(e->builder, pf_survival_time_key(entry),
									 pf_survival_time_key(exit), PG_GETARG_BOOL(3));
	MemoryContextSwitchTo(old);
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

/*
 * tenure_survival(spell, as_of, observed_from) transition: spells seen at
 * as_of, observed from observed_from on (left truncation).  Rows with a
 * NULL or an empty spell are skipped.
 */
PG_FUNCTION_INFO_V1(tenure_survival_observed_accum);
Datum
tenure_survival_observed_accum(PG_FUNCTION_ARGS)
{
	ExpandedSurvival *e;
	PfRangeBytes spell;
	PfRangeCache *cache;
	MemoryContext old;
	int64		a = 0;
	int64		end = 0;
	int64		as_of;
	int64		from;
	bool		ongoing;

	pf_require_aggregate(fcinfo, "tenure_survival_observed_accum");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		RETURN_STATE_UNCHANGED();
	spell = pf_range_bytes(PG_GETARG_DATUM(1));
	cache = pf_range_cache(fcinfo, spell);
	as_of = as_of_units(cache->unit, PG_GETARG_DATUM(2), "as_of");
	from = as_of_units(cache->unit, PG_GETARG_DATUM(3), "observed_from");
	if (!pf_range_spell(cache, spell, &a, &end, &ongoing))
		RETURN_STATE_UNCHANGED();
	e = accum_state(fcinfo, cache->unit, "tenure_survival_observed_accum");
	old = MemoryContextSwitchTo(e->hdr.eoh_context);
	pf_survival_builder_add_spell_observed(e->builder, a, end, ongoing, as_of, from);
	MemoryContextSwitchTo(old);
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

/*
 * The union of two summaries: the transition and combine function of
 * rollup(survival) and the combine function of tenure_survival.  Not
 * strict: a NULL summary is skipped.  Called by an aggregate, it merges
 * the right summary into the aggregate's own expanded state in place
 * (creating it, from a copy of the left argument, when there is none
 * yet); called any other way it returns a new flat summary and leaves
 * its arguments alone.
 */
PG_FUNCTION_INFO_V1(survival_combine);
Datum
survival_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	PfSurvival *b;
	ExpandedSurvival *e;

	/* a NULL summary is skipped; an input is returned as it is, never changed */
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		if (AggCheckCallContext(fcinfo, NULL))
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		PG_RETURN_POINTER(PG_GETARG_SURVIVAL_P(0));
	}
	b = PG_GETARG_SURVIVAL_P(1);
	if (!AggCheckCallContext(fcinfo, &aggcontext))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_POINTER(b);
		return survival_datum(pf_survival_merge(PG_GETARG_SURVIVAL_P(0), b));
	}
	e = aggregate_state(fcinfo, aggcontext, b->unit);
	expanded_add_summary(e, b);
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

/* ---------------------------------------------------------------------
 * Accessors
 * ---------------------------------------------------------------------
 */

/* an error unless the summary's times are spell durations */
static void
require_time_unit(int unit, const char *caller)
{
	if (unit == PF_SURVIVAL_UNIT_NUMBER)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs a survival summary of spells", caller),
				 errdetail("This summary was built from plain numbers (durations or entry and exit times), which have no unit of time."),
				 errhint("Use survival_at_time, median_time, median_ci or survival_curve with a conf_type.")));
}

/* an interval as a duration in the summary's units, rounded down */
static int64
interval_units(const PfSurvival *s, const Interval *iv)
{
	double		usecs = pf_textio_interval_usecs(iv->time, iv->day, iv->month);
	double		units = s->unit == PF_SPELL_UNIT_DAY ?
		floor(usecs / USECS_PER_DAY_F) : usecs;

	/* beyond any stored duration either way */
	if (units >= 9.2e18)
		return PG_INT64_MAX;
	if (units <= -9.2e18)
		return PG_INT64_MIN;
	return (int64) units;
}

/*
 * A duration (>= 0) in the summary's units as an interval, as
 * timestamp - timestamp gives it: days, and for microseconds the time
 * justified into days as interval_justify_hours does.
 */
static void
units_interval(const PfSurvival *s, int64 units, Interval *result)
{
	memset(result, 0, sizeof(*result));
	if (s->unit == PF_SPELL_UNIT_DAY)
	{
		if (units > PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("interval out of range")));
		result->day = (int32) units;
		return;
	}
	/* INT64_MAX microseconds are 106751991 days: no overflow */
	result->day = (int32) (units / USECS_PER_DAY);
	result->time = units % USECS_PER_DAY;
}

PG_FUNCTION_INFO_V1(survival_at);
Datum
survival_at(PG_FUNCTION_ARGS)
{
	PfSurvival *s = PG_GETARG_SURVIVAL_P(0);

	require_time_unit(s->unit, "survival_at(survival, interval)");
	PG_RETURN_FLOAT8(pf_survival_at(s, interval_units(s, PG_GETARG_INTERVAL_P(1))));
}

/* survival_at_time(s, t float8): S(t), t in days for spells */
PG_FUNCTION_INFO_V1(survival_at_time);
Datum
survival_at_time(PG_FUNCTION_ARGS)
{
	PfSurvival *s = PG_GETARG_SURVIVAL_P(0);
	double		t = PG_GETARG_FLOAT8(1);

	if (isnan(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time must not be NaN")));
	PG_RETURN_FLOAT8(pf_survival_at(s, pf_survival_key_at_or_before(s->unit, t)));
}

/* the conf_type argument, checked */
static PfSurvivalConfType
conf_type_argument(FunctionCallInfo fcinfo, int argno)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	int			t = pf_survival_conf_type(name);

	if (t < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown conf_type \"%s\"", name),
				 errhint("Use 'log-log', 'log' or 'plain'.")));
	pfree(name);
	return (PfSurvivalConfType) t;
}

/* median_time(s): the median as R's print(survfit) gives it */
PG_FUNCTION_INFO_V1(survival_median_time);
Datum
survival_median_time(PG_FUNCTION_ARGS)
{
	PfSurvival *s = PG_GETARG_SURVIVAL_P(0);
	double		m[3];
	bool		valid[3];

	pf_survival_median_ci(s, 0.95, PF_SURVIVAL_CI_LOG_LOG, m, valid);
	if (!valid[0])
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(m[0]);
}

/* median_ci(s, confidence, conf_type): (median, ci_low, ci_high) */
PG_FUNCTION_INFO_V1(survival_median_ci);
Datum
survival_median_ci(PG_FUNCTION_ARGS)
{
	PfSurvival *s = PG_GETARG_SURVIVAL_P(0);
	double		m[3];
	bool		valid[3];
	Datum		values[3];
	bool		nulls[3];

	pf_survival_median_ci(s, PG_GETARG_FLOAT8(1), conf_type_argument(fcinfo, 2),
						  m, valid);
	for (int k = 0; k < 3; k++)
	{
		values[k] = Float8GetDatum(m[k]);
		nulls[k] = !valid[k];
	}
	return pf_result_tuple(fcinfo, values, nulls);
}

PG_FUNCTION_INFO_V1(survival_median_tenure);
Datum
survival_median_tenure(PG_FUNCTION_ARGS)
{
	PfSurvival *s = PG_GETARG_SURVIVAL_P(0);
	Interval   *result;
	int64_t		median;

	require_time_unit(s->unit, "median_tenure");
	if (!pf_survival_median(s, &median))
		PG_RETURN_NULL();
	result = palloc(sizeof(Interval));
	units_interval(s, median, result);
	PG_RETURN_INTERVAL_P(result);
}

/*
 * survival_curve(s, confidence) (1.0: tenure, at_risk, events, censored,
 * survival, ci_low, ci_high, the log-log interval) and survival_curve(s,
 * confidence, conf_type) (1.1: time, tenure, at_risk, events, censored,
 * survival, std_err, ci_low, ci_high): one row per distinct exit time, with
 * the Kaplan–Meier estimate and its interval.  The rows go one at a time
 * into the tuplestore, which spills to disk past work_mem; whatever forming
 * a row allocates is freed every ROWS_PER_RESET rows.
 *
 * A summary stored out of line and uncompressed (a column with STORAGE
 * EXTERNAL) is not read whole but CURVE_SLICE entries at a time, twice:
 * once for the number at risk at the start, once for the rows.  So even
 * the largest summary streams through a few megabytes of memory.  Any
 * other summary (compressed, in line, or computed in the query) is read
 * whole.
 */
#define ROWS_PER_RESET 1024
#define CURVE_SLICE 65536

typedef struct CurveOutput
{
	ReturnSetInfo *rsinfo;
	MemoryContext rowcxt;
	int64		nrows;
	int			unit;
	bool		v11;			/* the 1.1 columns */
} CurveOutput;

static void
curve_put(CurveOutput *out, const PfSurvivalCurveRow *row)
{
	MemoryContext old = MemoryContextSwitchTo(out->rowcxt);
	PfSurvival	head;
	Interval	tenure;
	Datum		values[9];
	bool		nulls[9] = {0};
	int			k = 0;

	if (++out->nrows % ROWS_PER_RESET == 0)
		MemoryContextReset(out->rowcxt);
	head.unit = (uint8) out->unit;
	if (out->v11)
		values[k++] = Float8GetDatum(pf_survival_time_float(out->unit, row->duration));
	if (out->unit == PF_SURVIVAL_UNIT_NUMBER)
		nulls[k++] = true;
	else
	{
		units_interval(&head, row->duration, &tenure);
		values[k++] = IntervalPGetDatum(&tenure);
	}
	values[k++] = Int64GetDatum(row->at_risk);
	values[k++] = Int64GetDatum(row->events);
	values[k++] = Int64GetDatum(row->censored);
	values[k++] = Float8GetDatum(row->survival);
	if (out->v11)
	{
		nulls[k] = !row->std_err_valid;
		values[k++] = Float8GetDatum(row->std_err);
	}
	nulls[k] = !row->ci_valid;
	values[k++] = Float8GetDatum(row->ci_low);
	nulls[k] = !row->ci_valid;
	values[k++] = Float8GetDatum(row->ci_high);
	tuplestore_putvalues(out->rsinfo->setResult, out->rsinfo->setDesc, values, nulls);
	MemoryContextSwitchTo(old);
}

/* bytes of one stored entry of a summary of version v */
static inline Size
stored_entry_size(int v)
{
	return v == PF_SURVIVAL_VERSION_1 ? PF_SURVIVAL_V1_ENTRY_SIZE : sizeof(PfSurvivalEntry);
}

/*
 * The header of d into *head, when d is a summary stored out of line
 * uncompressed, whose entries can then be read in slices; false otherwise.
 */
static bool
survival_sliceable(Datum d, PfSurvival *head)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	struct varatt_external ext;
	struct varlena *slice;
	const int32 hdr = PF_SURVIVAL_HEADER_SIZE - VARHDRSZ;

	if (!VARATT_IS_EXTERNAL_ONDISK(v))
		return false;
	VARATT_EXTERNAL_GET_POINTER(ext, v);
	if (VARATT_EXTERNAL_IS_COMPRESSED(ext))
		return false;
	slice = PG_DETOAST_DATUM_SLICE(d, 0, hdr);
	if (VARSIZE_ANY_EXHDR(slice) != (Size) hdr)
		return false;
	memcpy((char *) head + VARHDRSZ, VARDATA_ANY(slice), hdr);
	pfree(slice);
	return (head->version == PF_SURVIVAL_VERSION ||
			head->version == PF_SURVIVAL_VERSION_1) &&
		head->nentries >= 0 && head->nentries <= PF_SURVIVAL_MAX_ENTRIES &&
		toast_raw_datum_size(d) ==
		PF_SURVIVAL_HEADER_SIZE + (Size) head->nentries * stored_entry_size(head->version);
}

/*
 * Entries first .. first+count-1 of the sliceable summary d (its header
 * head), into buf in this version's layout.
 */
static void
survival_read_slice(Datum d, const PfSurvival *head, int64 first, int64 count,
					PfSurvivalEntry *buf)
{
	Size		esize = stored_entry_size(head->version);
	Size		len = (Size) count * esize;
	struct varlena *slice;

	slice = PG_DETOAST_DATUM_SLICE(d, PF_SURVIVAL_HEADER_SIZE - VARHDRSZ +
								   first * esize, len);
	if (VARSIZE_ANY_EXHDR(slice) != len)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("survival summary shorter than its header says")));
	if (esize == sizeof(PfSurvivalEntry))
		memcpy(buf, VARDATA_ANY(slice), len);
	else
	{
		const char *p = VARDATA_ANY(slice);

		for (int64 i = 0; i < count; i++)
		{
			memcpy(&buf[i], p + i * esize, esize);
			buf[i].entered = 0;
		}
	}
	pfree(slice);
}

static Datum
survival_curve_common(FunctionCallInfo fcinfo, bool v11)
{
	Datum		d = PG_GETARG_DATUM(0);
	double		conf = PG_GETARG_FLOAT8(1);
	PfSurvivalConfType conf_type = v11 ? conf_type_argument(fcinfo, 2) :
		PF_SURVIVAL_CI_LOG_LOG;
	PfSurvival	head;
	PfSurvivalCurve curve;
	PfSurvivalCurveRow row;
	CurveOutput out;

	out.rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	out.nrows = 0;
	out.v11 = v11;
	if (survival_sliceable(d, &head))
	{
		PfSurvivalEntry *buf = palloc(sizeof(PfSurvivalEntry) * CURVE_SLICE);
		int64		total = 0;
		int64		entered = 0;

		out.unit = head.unit;
		if (!v11)
			require_time_unit(head.unit, "survival_curve(survival, float8)");
		/* the confidence is checked before the first pass */
		pf_survival_curve_start(&curve, 0, conf, conf_type);
		for (int64 first = 0; first < head.nentries; first += CURVE_SLICE)
		{
			int64		count = Min(CURVE_SLICE, head.nentries - first);

			CHECK_FOR_INTERRUPTS();
			survival_read_slice(d, &head, first, count, buf);
			pf_count_add(&total, pf_survival_total(buf, count));
			pf_count_add(&entered, pf_survival_entered(buf, count));
		}
		pf_survival_curve_start(&curve, total - entered, conf, conf_type);
		InitMaterializedSRF(fcinfo, 0);
		out.rowcxt = AllocSetContextCreate(CurrentMemoryContext,
										   "survival_curve rows",
										   ALLOCSET_SMALL_SIZES);
		for (int64 first = 0; first < head.nentries; first += CURVE_SLICE)
		{
			int64		count = Min(CURVE_SLICE, head.nentries - first);

			survival_read_slice(d, &head, first, count, buf);
			for (int64 i = 0; i < count; i++)
			{
				PF_INTERRUPT_EVERY(first + i);
				if (pf_survival_curve_step(&curve, &buf[i], &row))
					curve_put(&out, &row);
			}
		}
		pfree(buf);
	}
	else
	{
		PfSurvival *s = PG_GETARG_SURVIVAL_P(0);

		out.unit = s->unit;
		if (!v11)
			require_time_unit(s->unit, "survival_curve(survival, float8)");
		pf_survival_curve_begin(&curve, s, conf, conf_type);
		InitMaterializedSRF(fcinfo, 0);
		out.rowcxt = AllocSetContextCreate(CurrentMemoryContext,
										   "survival_curve rows",
										   ALLOCSET_SMALL_SIZES);
		while (pf_survival_curve_next(&curve, &row))
			curve_put(&out, &row);
	}
	MemoryContextDelete(out.rowcxt);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(survival_curve);
Datum
survival_curve(PG_FUNCTION_ARGS)
{
	return survival_curve_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(survival_curve_ci);
Datum
survival_curve_ci(PG_FUNCTION_ARGS)
{
	return survival_curve_common(fcinfo, true);
}

/*
 * Equality and order on the stored bytes: a survival value is canonical
 * (entries sorted by duration, one per duration, checked on input), so
 * equal bytes mean the same summary.  A value stored by 1.0 is read into
 * this version's layout first, so that it equals (and hashes as) the same
 * summary written now.
 */
static struct varlena *
survival_current(Datum d)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);

	if (VARSIZE_ANY_EXHDR(v) >= 1 &&
		*(const uint8 *) VARDATA_ANY(v) == PF_SURVIVAL_VERSION_1)
		return (struct varlena *) survival_upgraded(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
	return v;
}

static int
survival_compare(FunctionCallInfo fcinfo)
{
	struct varlena *a = survival_current(PG_GETARG_DATUM(0));
	struct varlena *b = survival_current(PG_GETARG_DATUM(1));

	return pf_bytes_cmp(VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a),
						VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
}

PF_COMPARISON_FUNCTIONS(survival, survival_compare)

/*
 * The bytes a summary is hashed by.  1.0 hashed its stored bytes (version
 * 1: 24 bytes an entry), and hash indexes, hash partitions and Citus
 * shards built then keep those hashes.  So every summary that version 1
 * can hold (days or microseconds, no entered counts) is hashed by its
 * version 1 bytes, whichever version stored it; the others (delayed entry,
 * plain numbers, new in 1.1) by their own.  Equal summaries hash equal.
 * *len is set; the result may be d's own bytes.
 */
static const char *
survival_hash_bytes(Datum d, Size *len)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	const char *data = VARDATA_ANY(v);
	PfSurvival *s;
	char	   *out;
	char	   *p;

	*len = VARSIZE_ANY_EXHDR(v);
	if (*len >= 1 && *(const uint8 *) data == PF_SURVIVAL_VERSION_1)
		return data;
	s = pf_survival_from_datum(d);
	if (s->unit == PF_SURVIVAL_UNIT_NUMBER || pf_survival_has_entries(s))
	{
		*len = VARSIZE(s) - VARHDRSZ;
		return (const char *) s + VARHDRSZ;
	}
	/* the version 1 image: the same header, then 24 bytes an entry */
	*len = PF_SURVIVAL_HEADER_SIZE - VARHDRSZ + (Size) s->nentries * PF_SURVIVAL_V1_ENTRY_SIZE;
	out = palloc_extended(*len, MCXT_ALLOC_HUGE);
	memcpy(out, (const char *) s + VARHDRSZ, PF_SURVIVAL_HEADER_SIZE - VARHDRSZ);
	out[0] = PF_SURVIVAL_VERSION_1;
	p = out + PF_SURVIVAL_HEADER_SIZE - VARHDRSZ;
	for (int64 i = 0; i < s->nentries; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		memcpy(p, &s->entries[i], PF_SURVIVAL_V1_ENTRY_SIZE);
		p += PF_SURVIVAL_V1_ENTRY_SIZE;
	}
	return out;
}

PG_FUNCTION_INFO_V1(survival_hash);
Datum
survival_hash(PG_FUNCTION_ARGS)
{
	Size		len;
	const char *bytes = survival_hash_bytes(PG_GETARG_DATUM(0), &len);

	return hash_any((const unsigned char *) bytes, (int) len);
}

PG_FUNCTION_INFO_V1(survival_hash_extended);
Datum
survival_hash_extended(PG_FUNCTION_ARGS)
{
	Size		len;
	const char *bytes = survival_hash_bytes(PG_GETARG_DATUM(0), &len);

	return hash_any_extended((const unsigned char *) bytes, (int) len,
							 PG_GETARG_INT64(1));
}

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
#include "survival_builder_core.h"
#include "survival_core.h"
#include "textio_core.h"

/* the flat summary of an argument, detoasted (an expanded one flattened) */
#define PG_GETARG_SURVIVAL_P(n) ((PfSurvival *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

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

/* the expanded survival d points to read-write, or NULL */
static inline ExpandedSurvival *
expanded_rw(Datum d)
{
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &expanded_survival_methods)
			return (ExpandedSurvival *) eoh;
	}
	return NULL;
}

/* a new, empty expanded survival in a context of its own under parent */
static ExpandedSurvival *
expanded_create(MemoryContext parent, PfSpellUnit unit)
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
aggregate_state(FunctionCallInfo fcinfo, MemoryContext aggcontext,
				PfSpellUnit unit)
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

/* a date or timestamptz as_of in units; an error when infinite */
static int64
as_of_units(PfSpellUnit unit, Datum d)
{
	pf_require_finite(unit == PF_SPELL_UNIT_DAY ? !DATE_NOT_FINITE(DatumGetDateADT(d)) :
					  !TIMESTAMP_NOT_FINITE(DatumGetTimestampTz(d)), "as_of");
	return unit == PF_SPELL_UNIT_DAY ? (int64) DatumGetDateADT(d) :
		(int64) DatumGetTimestampTz(d);
}

/*
 * tenure_survival transition: (state, spell, as_of).  Rows with a NULL or
 * empty spell or a NULL as_of are skipped.  The state is updated in place:
 * on most rows one count is incremented and nothing is allocated.
 */
PG_FUNCTION_INFO_V1(tenure_survival_accum);
Datum
tenure_survival_accum(PG_FUNCTION_ARGS)
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
	as_of = as_of_units(cache->unit, PG_GETARG_DATUM(2));
	if (!pf_range_spell(cache, spell, &a, &end, &ongoing))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}

	/*
	 * The aggregate's own state after the first row: looking up the
	 * aggregate context on every row would cost more than the row's work.
	 */
	if (likely(!PG_ARGISNULL(0)))
		e = expanded_rw(PG_GETARG_DATUM(0));
	if (unlikely(e == NULL))
		e = aggregate_state(fcinfo, pf_agg_context(fcinfo, "tenure_survival_accum"),
							cache->unit);
	old = MemoryContextSwitchTo(e->hdr.eoh_context);
	pf_survival_builder_add_spell(e->builder, a, end, ongoing, as_of);
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
	e = aggregate_state(fcinfo, aggcontext, (PfSpellUnit) b->unit);
	expanded_add_summary(e, b);
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

/* ---------------------------------------------------------------------
 * Accessors
 * ---------------------------------------------------------------------
 */

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

	PG_RETURN_FLOAT8(pf_survival_at(s, interval_units(s, PG_GETARG_INTERVAL_P(1))));
}

PG_FUNCTION_INFO_V1(survival_median_tenure);
Datum
survival_median_tenure(PG_FUNCTION_ARGS)
{
	PfSurvival *s = PG_GETARG_SURVIVAL_P(0);
	Interval   *result;
	int64_t		median;

	if (!pf_survival_median(s, &median))
		PG_RETURN_NULL();
	result = palloc(sizeof(Interval));
	units_interval(s, median, result);
	PG_RETURN_INTERVAL_P(result);
}

/*
 * survival_curve(s, confidence): one row per distinct duration, with the
 * Kaplan–Meier estimate and its log-log interval.  The rows go one at a
 * time into the tuplestore, which spills to disk past work_mem; whatever
 * forming a row allocates is freed every ROWS_PER_RESET rows.
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
} CurveOutput;

static void
curve_put(CurveOutput *out, const PfSurvival *head, const PfSurvivalCurveRow *row)
{
	MemoryContext old = MemoryContextSwitchTo(out->rowcxt);
	Interval	tenure;
	Datum		values[7];
	bool		nulls[7] = {0};

	if (++out->nrows % ROWS_PER_RESET == 0)
		MemoryContextReset(out->rowcxt);
	units_interval(head, row->duration, &tenure);
	values[0] = IntervalPGetDatum(&tenure);
	values[1] = Int64GetDatum(row->at_risk);
	values[2] = Int64GetDatum(row->events);
	values[3] = Int64GetDatum(row->censored);
	values[4] = Float8GetDatum(row->survival);
	values[5] = Float8GetDatum(row->ci_low);
	values[6] = Float8GetDatum(row->ci_high);
	nulls[5] = nulls[6] = !row->ci_valid;
	tuplestore_putvalues(out->rsinfo->setResult, out->rsinfo->setDesc, values, nulls);
	MemoryContextSwitchTo(old);
}

/*
 * The header of d into *head, when d is a summary of the current version
 * stored out of line uncompressed, whose entries can then be read in
 * slices; false otherwise.
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
	return head->version == PF_SURVIVAL_VERSION && head->nentries >= 0 &&
		head->nentries <= PF_SURVIVAL_MAX_ENTRIES &&
		toast_raw_datum_size(d) == pf_survival_size(head->nentries);
}

/* Entries first .. first+count-1 of the sliceable summary d, into buf. */
static void
survival_read_slice(Datum d, int64 first, int64 count, PfSurvivalEntry *buf)
{
	Size		len = (Size) count * sizeof(PfSurvivalEntry);
	struct varlena *slice;

	slice = PG_DETOAST_DATUM_SLICE(d, PF_SURVIVAL_HEADER_SIZE - VARHDRSZ +
								   first * sizeof(PfSurvivalEntry), len);
	if (VARSIZE_ANY_EXHDR(slice) != len)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("survival summary shorter than its header says")));
	memcpy(buf, VARDATA_ANY(slice), len);
	pfree(slice);
}

PG_FUNCTION_INFO_V1(survival_curve);
Datum
survival_curve(PG_FUNCTION_ARGS)
{
	Datum		d = PG_GETARG_DATUM(0);
	double		conf = PG_GETARG_FLOAT8(1);
	PfSurvival	head;
	PfSurvivalCurve curve;
	PfSurvivalCurveRow row;
	CurveOutput out;

	out.rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	out.nrows = 0;
	if (survival_sliceable(d, &head))
	{
		PfSurvivalEntry *buf = palloc(sizeof(PfSurvivalEntry) * CURVE_SLICE);
		int64		total = 0;

		/* the confidence is checked before the first pass */
		pf_survival_curve_start(&curve, 0, conf);
		for (int64 first = 0; first < head.nentries; first += CURVE_SLICE)
		{
			int64		count = Min(CURVE_SLICE, head.nentries - first);

			CHECK_FOR_INTERRUPTS();
			survival_read_slice(d, first, count, buf);
			pf_count_add(&total, pf_survival_total(buf, count));
		}
		pf_survival_curve_start(&curve, total, conf);
		InitMaterializedSRF(fcinfo, 0);
		out.rowcxt = AllocSetContextCreate(CurrentMemoryContext,
										   "survival_curve rows",
										   ALLOCSET_SMALL_SIZES);
		for (int64 first = 0; first < head.nentries; first += CURVE_SLICE)
		{
			int64		count = Min(CURVE_SLICE, head.nentries - first);

			survival_read_slice(d, first, count, buf);
			for (int64 i = 0; i < count; i++)
			{
				PF_INTERRUPT_EVERY(first + i);
				pf_survival_curve_step(&curve, &buf[i], &row);
				curve_put(&out, &head, &row);
			}
		}
		pfree(buf);
	}
	else
	{
		PfSurvival *s = PG_GETARG_SURVIVAL_P(0);

		pf_survival_curve_begin(&curve, s, conf);
		InitMaterializedSRF(fcinfo, 0);
		out.rowcxt = AllocSetContextCreate(CurrentMemoryContext,
										   "survival_curve rows",
										   ALLOCSET_SMALL_SIZES);
		while (pf_survival_curve_next(&curve, &row))
			curve_put(&out, s, &row);
	}
	MemoryContextDelete(out.rowcxt);
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

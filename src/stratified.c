/*-------------------------------------------------------------------------
 *
 * stratified.c
 *	  Stratified 2x2 tables: risk_ratio(exposed, event, stratum
 *	  [, confidence]), the Mantel-Haenszel risk ratio and the CMH test.
 *	  Glue only; the statistics are in contingency_core.c.
 *
 * The state is internal: the counts of each stratum in a hash table keyed
 * by the stratum's text, kept in the aggregate's memory, grown by
 * doubling; serialized to bytea for parallel query.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "contingency_core.h"
#include "correlation.h"
#include "pf_glue.h"

typedef struct Stratum
{
	char	   *key;			/* NULL: a free slot */
	int32		len;
	uint32		hash;
	PfStratum	counts;
} Stratum;

typedef struct StrataState
{
	double		confidence;		/* 0 until a row of a confidence form sets it */
	int64		nstrata;
	int64		cap;			/* a power of 2 */
	Stratum    *slots;
	MemoryContext cxt;
} StrataState;

#define INITIAL_SLOTS 16

static StrataState *
strata_create(MemoryContext cxt)
{
	StrataState *s = MemoryContextAllocZero(cxt, sizeof(StrataState));

	s->cxt = cxt;
	s->cap = INITIAL_SLOTS;
	s->slots = MemoryContextAllocZero(cxt, sizeof(Stratum) * s->cap);
	return s;
}

/* the slot of key, or the free slot where it belongs */
static Stratum *
strata_slot(Stratum *slots, int64 cap, const char *key, int32 len, uint32 hash)
{
	int64		i = hash & (cap - 1);

	for (;;)
	{
		Stratum    *t = &slots[i];

		if (t->key == NULL ||
			(t->hash == hash && t->len == len && memcmp(t->key, key, len) == 0))
			return t;
		i = (i + 1) & (cap - 1);
	}
}

/* the counts of the stratum key, added when new */
static PfStratum *
strata_get(StrataState *s, const char *key, int32 len)
{
	uint32		hash = hash_bytes((const unsigned char *) key, len);
	Stratum    *t;

	if ((s->nstrata + 1) * 10 > s->cap * 7)
	{
		int64		cap = s->cap * 2;
		Stratum    *slots;

		if ((Size) cap > MaxAllocHugeSize / sizeof(Stratum))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many strata for risk_ratio: %lld", (long long) s->nstrata)));
		slots = MemoryContextAllocExtended(s->cxt, sizeof(Stratum) * cap,
										   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
		for (int64 i = 0; i < s->cap; i++)
		{
			CHECK_FOR_INTERRUPTS();
			if (s->slots[i].key != NULL)
				*strata_slot(slots, cap, s->slots[i].key, s->slots[i].len,
							 s->slots[i].hash) = s->slots[i];
		}
		pfree(s->slots);
		s->slots = slots;
		s->cap = cap;
	}
	t = strata_slot(s->slots, s->cap, key, len, hash);
	if (t->key == NULL)
	{
		t->key = MemoryContextAlloc(s->cxt, len > 0 ? len : 1);
		memcpy(t->key, key, len);
		t->len = len;
		t->hash = hash;
		s->nstrata++;
	}
	return &t->counts;
}

/* add the counts of one stratum */
static void
counts_add(PfStratum *into, const PfStratum *from)
{
	pf_count_add(&into->exposed_n, from->exposed_n);
	pf_count_add(&into->exposed_events, from->exposed_events);
	pf_count_add(&into->unexposed_n, from->unexposed_n);
	pf_count_add(&into->unexposed_events, from->unexposed_events);
}

/*
 * risk_ratio(exposed, event, stratum [, confidence]): a row with a NULL is
 * skipped; the confidence must be the same on every row.
 */
PG_FUNCTION_INFO_V1(risk_ratio_strata_accum);
Datum
risk_ratio_strata_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	StrataState *s;
	text	   *stratum;
	PfStratum	row = {0, 0, 0, 0};

	for (int i = 1; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
		{
			if (PG_ARGISNULL(0))
				PG_RETURN_NULL();
			PG_RETURN_POINTER(PG_GETARG_POINTER(0));
		}
	aggcontext = pf_agg_context(fcinfo, "risk_ratio_strata_accum");
	if (PG_NARGS() > 4)
		pf_correlation_check_confidence(PG_GETARG_FLOAT8(4));
	s = PG_ARGISNULL(0) ? strata_create(aggcontext) : (StrataState *) PG_GETARG_POINTER(0);
	if (PG_NARGS() > 4)
		pf_level_set(&s->confidence, PG_GETARG_FLOAT8(4));
	stratum = PG_GETARG_TEXT_PP(3);
	if (PG_GETARG_BOOL(1))
	{
		row.exposed_n = 1;
		row.exposed_events = PG_GETARG_BOOL(2) ? 1 : 0;
	}
	else
	{
		row.unexposed_n = 1;
		row.unexposed_events = PG_GETARG_BOOL(2) ? 1 : 0;
	}
	counts_add(strata_get(s, VARDATA_ANY(stratum), VARSIZE_ANY_EXHDR(stratum)), &row);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(risk_ratio_strata_combine);
Datum
risk_ratio_strata_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = pf_agg_context(fcinfo, "risk_ratio_strata_combine");
	StrataState *a = PG_ARGISNULL(0) ? NULL : (StrataState *) PG_GETARG_POINTER(0);
	StrataState *b = PG_ARGISNULL(1) ? NULL : (StrataState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = strata_create(aggcontext);
	pf_level_combine(&a->confidence, b->confidence);
	for (int64 i = 0; i < b->cap; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (b->slots[i].key != NULL)
			counts_add(strata_get(a, b->slots[i].key, b->slots[i].len),
					   &b->slots[i].counts);
	}
	PG_RETURN_POINTER(a);
}

/*
 * Serialized form, for parallel query only (never stored, so in the
 * server's own byte order): the confidence, the number of strata, then
 * for each its key's length, its key and its four counts.
 */
PG_FUNCTION_INFO_V1(risk_ratio_strata_serialize);
Datum
risk_ratio_strata_serialize(PG_FUNCTION_ARGS)
{
	StrataState *s = (StrataState *) PG_GETARG_POINTER(0);
	Size		len = sizeof(double) + sizeof(int64);
	bytea	   *result;
	char	   *p;

	(void) pf_agg_context(fcinfo, "risk_ratio_strata_serialize");
	for (int64 i = 0; i < s->cap; i++)
		if (s->slots[i].key != NULL)
		{
			len += sizeof(int32) + s->slots[i].len + sizeof(PfStratum);
			if (len > MaxAllocSize - VARHDRSZ)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many strata in one parallel worker for risk_ratio"),
						 errhint("Run the query with max_parallel_workers_per_gather = 0.")));
		}
	result = palloc(VARHDRSZ + len);
	SET_VARSIZE(result, VARHDRSZ + len);
	p = VARDATA(result);
	memcpy(p, &s->confidence, sizeof(double));
	p += sizeof(double);
	memcpy(p, &s->nstrata, sizeof(int64));
	p += sizeof(int64);
	for (int64 i = 0; i < s->cap; i++)
		if (s->slots[i].key != NULL)
		{
			memcpy(p, &s->slots[i].len, sizeof(int32));
			p += sizeof(int32);
			memcpy(p, s->slots[i].key, s->slots[i].len);
			p += s->slots[i].len;
			memcpy(p, &s->slots[i].counts, sizeof(PfStratum));
			p += sizeof(PfStratum);
		}
	PG_RETURN_BYTEA_P(result);
}

static void
bad_serialized(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized risk_ratio state")));
}

PG_FUNCTION_INFO_V1(risk_ratio_strata_deserialize);
Datum
risk_ratio_strata_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(bytes);
	const char *end = p + VARSIZE_ANY_EXHDR(bytes);
	StrataState *s;
	int64		n;

	pf_require_aggregate(fcinfo, "risk_ratio_strata_deserialize");
	if (end - p < (ptrdiff_t) (sizeof(double) + sizeof(int64)))
		bad_serialized();
	s = strata_create(CurrentMemoryContext);
	memcpy(&s->confidence, p, sizeof(double));
	p += sizeof(double);
	memcpy(&n, p, sizeof(int64));
	p += sizeof(int64);
	if (n < 0 || !(s->confidence == 0.0 ||
				   (s->confidence > 0.0 && s->confidence < 1.0)))
		bad_serialized();
	for (int64 i = 0; i < n; i++)
	{
		int32		len;
		PfStratum	counts;

		CHECK_FOR_INTERRUPTS();
		if (end - p < (ptrdiff_t) sizeof(int32))
			bad_serialized();
		memcpy(&len, p, sizeof(int32));
		p += sizeof(int32);
		if (len < 0 || end - p < (ptrdiff_t) len + (ptrdiff_t) sizeof(PfStratum))
			bad_serialized();
		memcpy(&counts, p + len, sizeof(PfStratum));
		if (counts.exposed_n < 0 || counts.unexposed_n < 0 ||
			counts.exposed_events < 0 || counts.unexposed_events < 0 ||
			counts.exposed_events > counts.exposed_n ||
			counts.unexposed_events > counts.unexposed_n)
			bad_serialized();
		counts_add(strata_get(s, p, len), &counts);
		p += len + sizeof(PfStratum);
	}
	if (p != end || s->nstrata != n)
		bad_serialized();
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(risk_ratio_strata_final);
Datum
risk_ratio_strata_final(PG_FUNCTION_ARGS)
{
	StrataState *s = PG_ARGISNULL(0) ? NULL : (StrataState *) PG_GETARG_POINTER(0);
	double		confidence;
	PfStratum  *strata;
	PfStratum	total = {0, 0, 0, 0};
	int64		k = 0;
	PfMantelHaenszel mh;
	PfRiskRatio crude;
	Datum		values[12];
	bool		nulls[12] = {0};

	if (s == NULL || s->nstrata == 0)
		PG_RETURN_NULL();
	confidence = s->confidence != 0.0 ? s->confidence : PF_DEFAULT_CONFIDENCE;
	strata = palloc_extended(sizeof(PfStratum) * s->nstrata, MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < s->cap; i++)
		if (s->slots[i].key != NULL)
		{
			strata[k++] = s->slots[i].counts;
			counts_add(&total, &s->slots[i].counts);
		}
	mh = pf_contingency_mantel_haenszel(strata, k, confidence);
	pfree(strata);
	crude = pf_contingency_risk_ratio_at(total.exposed_n, total.exposed_events,
										 total.unexposed_n, total.unexposed_events,
										 confidence);
	values[0] = Int64GetDatum(k);
	values[1] = Int64GetDatum(total.exposed_n);
	values[2] = Int64GetDatum(total.exposed_events);
	values[3] = Int64GetDatum(total.unexposed_n);
	values[4] = Int64GetDatum(total.unexposed_events);
	values[5] = Float8GetDatum(crude.ratio);
	nulls[5] = !crude.ratio_valid;
	values[6] = Float8GetDatum(mh.ratio);
	nulls[6] = !mh.ratio_valid;
	values[7] = Float8GetDatum(mh.ci_low);
	values[8] = Float8GetDatum(mh.ci_high);
	nulls[7] = nulls[8] = !mh.ci_valid;
	values[9] = Float8GetDatum(mh.statistic);
	values[10] = Float8GetDatum(mh.p_value);
	nulls[9] = nulls[10] = !mh.p_valid;
	values[11] = Float8GetDatum(confidence);
	PG_RETURN_DATUM(pf_result_tuple(fcinfo, values, nulls));
}

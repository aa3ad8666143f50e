/*-------------------------------------------------------------------------
 *
 * cox.c
 *	  Cox proportional-hazards regression in SQL: the cox_model type's I/O,
 *	  the cox_regression aggregates (entry and exit times, strata, ties;
 *	  date and timestamp spells seen at as_of) and the accessors cox_terms
 *	  and cox_stats.  Glue only: the fit is in cox_core.c, the stored form
 *	  in coxmodel_core.c.
 *
 * The aggregates' state is internal: the rows themselves, since the
 * partial likelihood needs all of them at once.  A row is kept as p + 2
 * doubles (entry, exit, covariates) in one array the core reads in place
 * through its strides, a bool event and, with strata, an int32 stratum
 * number; the strata's names are numbered by a hash table.  Rows that do
 * not fit the state's ceiling (just under 1 GB, what a serialized state
 * can carry) are refused with an error before anything is allocated.
 * Parallel workers serialize their rows to bytea; the combine function
 * appends one state's rows to the other's.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "cox_core.h"
#include "coxmodel_core.h"
#include "pf_glue.h"
#include "range.h"

StaticAssertDecl(sizeof(PfCoxStored) == PF_COXMODEL_HEADER_SIZE,
				 "cox_model's header size is fixed by its stored form");

#define PG_GETARG_COXMODEL_P(n) ((PfCoxStored *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

#define USECS_PER_DAY_F 86400.0e6

/* a model built by the core, made a varlena */
static Datum
coxmodel_datum(PfCoxStored *s)
{
	SET_VARSIZE(s, pf_coxmodel_size(s->p));
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(cox_model_in);
Datum
cox_model_in(PG_FUNCTION_ARGS)
{
	return coxmodel_datum(pf_coxmodel_parse(PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(cox_model_out);
Datum
cox_model_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pf_coxmodel_format(PG_GETARG_COXMODEL_P(0)));
}

PG_FUNCTION_INFO_V1(cox_model_recv);
Datum
cox_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	PfCoxStored *s = pf_coxmodel_decode((const uint8_t *) buf->data + buf->cursor,
										(size_t) (buf->len - buf->cursor));

	buf->cursor = buf->len;
	return coxmodel_datum(s);
}

PG_FUNCTION_INFO_V1(cox_model_send);
Datum
cox_model_send(PG_FUNCTION_ARGS)
{
	PfCoxStored *s = PG_GETARG_COXMODEL_P(0);
	size_t		len = pf_coxmodel_wire_size(s->p);
	StringInfoData buf;

	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, (int) len);
	pf_coxmodel_encode(s, (uint8_t *) buf.data + buf.len);
	buf.len += (int) len;
	buf.data[buf.len] = '\0';
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------
 * The aggregates' state: the rows
 * ---------------------------------------------------------------------
 */

typedef enum CoxForm
{
	COX_TIMES,					/* entry, exit, event */
	COX_STRATA,					/* ... and a stratum */
	COX_SPELLS					/* spell, as_of */
} CoxForm;

typedef struct CoxSlot
{
	int32		id;				/* -1: free */
	uint32		hash;
} CoxSlot;

typedef struct CoxState
{
	MemoryContext cxt;
	int32		form;			/* CoxForm */
	int32		p;				/* 0 until the first row */
	int32		ties;			/* PfCoxTies, or -1 until a row gives it */
	bool		has_as_of;
	int64		as_of;			/* spells: in the range's units */
	int64		n;
	int64		cap;
	double	   *rows;			/* [cap * (p + 2)]: entry, exit, covariates */
	bool	   *event;			/* [cap] */
	int32	   *stratum;		/* [cap], COX_STRATA only */
	/* the strata's names, numbered in order of appearance */
	int32		nstrata;
	int32		keycap;
	char	  **keys;			/* [keycap] */
	int32	   *keylens;		/* [keycap] */
	Size		keybytes;		/* sum of keylens */
	int32		nslots;			/* a power of 2 */
	CoxSlot    *slots;
} CoxState;

/*
 * The ceiling of a state: what its serialized form (a bytea) can carry.
 * The rows' arrays are then each below MaxAllocSize too.
 */
#define COX_STATE_LIMIT ((Size) (MaxAllocSize - VARHDRSZ))
#define COX_SERIAL_HEADER (8 * sizeof(int64))
#define COX_INITIAL_ROWS 256

/* bytes a row takes in the state and in its serialized form */
static inline Size
row_bytes(const CoxState *s)
{
	return sizeof(double) * (s->p + 2) + sizeof(bool) +
		(s->form == COX_STRATA ? sizeof(int32) : 0);
}

/* the serialized size of the strata's names */
static inline Size
strata_bytes(const CoxState *s)
{
	return s->keybytes + sizeof(int32) * (Size) s->nstrata;
}

static CoxState *
state_create(MemoryContext cxt, CoxForm form)
{
	CoxState   *s = MemoryContextAllocZero(cxt, sizeof(CoxState));

	s->cxt = cxt;
	s->form = form;
	s->ties = -1;
	return s;
}

static void
too_large(const CoxState *s, int64 rows)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("cox_regression cannot hold more than 1 GB of rows"),
			 errdetail("%lld rows of %d covariates need about %zu bytes a row; the aggregate's state is limited to 1 GB.",
					   (long long) rows, (int) s->p, row_bytes(s)),
			 errhint("Fit the model on fewer rows (a sample, or a shorter period) or with fewer covariates.")));
}

/* room for at least `need` rows in all, growing by doubling up to the ceiling */
static void
state_reserve(CoxState *s, int64 need)
{
	Size		rb = row_bytes(s);
	int64		max_rows;
	int64		cap;

	if (need <= s->cap)
		return;
	if (COX_SERIAL_HEADER + strata_bytes(s) >= COX_STATE_LIMIT)
		too_large(s, need);
	max_rows = (int64) ((COX_STATE_LIMIT - COX_SERIAL_HEADER - strata_bytes(s)) / rb);
	if (need > max_rows)
		too_large(s, need);
	cap = Max(s->cap * 2, COX_INITIAL_ROWS);
	cap = Max(cap, need);
	cap = Min(cap, max_rows);
	if (s->rows == NULL)
	{
		s->rows = MemoryContextAlloc(s->cxt, sizeof(double) * (s->p + 2) * cap);
		s->event = MemoryContextAlloc(s->cxt, sizeof(bool) * cap);
		if (s->form == COX_STRATA)
			s->stratum = MemoryContextAlloc(s->cxt, sizeof(int32) * cap);
	}
	else
	{
		s->rows = repalloc(s->rows, sizeof(double) * (s->p + 2) * cap);
		s->event = repalloc(s->event, sizeof(bool) * cap);
		if (s->form == COX_STRATA)
			s->stratum = repalloc(s->stratum, sizeof(int32) * cap);
	}
	s->cap = cap;
}

/* the number of the stratum named by key, numbered when new */
static int32
stratum_id(CoxState *s, const char *key, int32 len)
{
	uint32		hash = hash_bytes((const unsigned char *) key, len);
	int32		i;

	if ((int64) (s->nstrata + 1) * 10 > (int64) s->nslots * 7)
	{
		int32		nslots = s->nslots == 0 ? 64 : s->nslots * 2;
		CoxSlot    *slots;

		if ((Size) nslots > MaxAllocSize / sizeof(CoxSlot) || nslots <= 0)
			too_large(s, s->n);
		slots = MemoryContextAlloc(s->cxt, sizeof(CoxSlot) * nslots);
		for (int32 k = 0; k < nslots; k++)
			slots[k].id = -1;
		for (int32 k = 0; k < s->nslots; k++)
			if (s->slots[k].id >= 0)
			{
				int32		j = s->slots[k].hash & (nslots - 1);

				if ((k & 0xFFFF) == 0)
					CHECK_FOR_INTERRUPTS();

				while (slots[j].id >= 0)
					j = (j + 1) & (nslots - 1);
				slots[j] = s->slots[k];
			}
		if (s->slots != NULL)
			pfree(s->slots);
		s->slots = slots;
		s->nslots = nslots;
	}
	i = hash & (s->nslots - 1);
	for (;;)
	{
		CoxSlot    *t = &s->slots[i];

		if (t->id < 0)
			break;
		if (t->hash == hash && s->keylens[t->id] == len &&
			memcmp(s->keys[t->id], key, len) == 0)
			return t->id;
		i = (i + 1) & (s->nslots - 1);
	}

	/*
	 * A new stratum: it counts towards the ceiling too, against the rows
	 * there is room for (state_reserve sized that room without it).
	 */
	if (COX_SERIAL_HEADER + strata_bytes(s) + sizeof(int32) + len +
		(Size) Max(s->n, s->cap) * row_bytes(s) > COX_STATE_LIMIT)
		too_large(s, s->n + 1);
	if (s->nstrata == s->keycap)
	{
		int32		keycap = s->keycap == 0 ? 16 : s->keycap * 2;

		if (s->keys == NULL)
		{
			s->keys = MemoryContextAlloc(s->cxt, sizeof(char *) * keycap);
			s->keylens = MemoryContextAlloc(s->cxt, sizeof(int32) * keycap);
		}
		else
		{
			s->keys = repalloc(s->keys, sizeof(char *) * keycap);
			s->keylens = repalloc(s->keylens, sizeof(int32) * keycap);
		}
		s->keycap = keycap;
	}
	s->keys[s->nstrata] = MemoryContextAlloc(s->cxt, len > 0 ? len : 1);
	memcpy(s->keys[s->nstrata], key, len);
	s->keylens[s->nstrata] = len;
	s->keybytes += len;
	s->slots[i].id = s->nstrata;
	s->slots[i].hash = hash;
	return s->nstrata++;
}

static void
check_p(CoxState *s, int p)
{
	if (p < 1 || p > PF_COX_MAX_COVARIATES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cox_regression takes between 1 and %d covariates, not %d",
						PF_COX_MAX_COVARIATES, p)));
	if (s->p == 0)
		s->p = p;
	else if (s->p != p)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("every row of cox_regression must have the same number of covariates"),
				 errdetail("A row has %d covariates, an earlier one %d.", p, (int) s->p)));
}

static void
check_ties(CoxState *s, int ties)
{
	if (s->ties < 0)
		s->ties = ties;
	else if (s->ties != ties)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ties must be the same for all rows of a group")));
}

static void
check_as_of(CoxState *s, int64 as_of)
{
	if (!s->has_as_of)
	{
		s->has_as_of = true;
		s->as_of = as_of;
	}
	else if (s->as_of != as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be the same for all rows of a group"),
				 errdetail("Rows of one group carry different as_of values."),
				 errhint("Pass as_of as a constant.")));
}

static void
not_finite(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cox_regression: %s must be finite", what)));
}

/*
 * The covariates of a row: false when the array has a NULL element (the
 * row is skipped); an error unless it is one-dimensional with 1 to 64
 * finite elements.
 */
static bool
read_covariates(ArrayType *a, const double **x, int *p)
{
	if (ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "cox_regression: covariates of type %u", ARR_ELEMTYPE(a));
	if (ARR_NDIM(a) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cox_regression takes between 1 and %d covariates, not %d",
						PF_COX_MAX_COVARIATES, ARR_NDIM(a) == 0 ? 0 :
						ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a))),
				 ARR_NDIM(a) > 1 ? errdetail("The covariates must be a one-dimensional array.") : 0));
	if (array_contains_nulls(a))
		return false;
	*p = ARR_DIMS(a)[0];
	*x = (const double *) ARR_DATA_PTR(a);
	for (int j = 0; j < *p && j <= PF_COX_MAX_COVARIATES; j++)
		if (!isfinite((*x)[j]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cox_regression: covariate %d is not finite", j + 1),
					 errdetail("Covariates must be finite numbers.")));
	return true;
}

/* the state to add a row to: the aggregate's own, created on the first row */
static CoxState *
accum_state(FunctionCallInfo fcinfo, CoxForm form, const char *caller)
{
	CoxState   *s;

	if (!PG_ARGISNULL(0))
		return (CoxState *) PG_GETARG_POINTER(0);
	s = state_create(pf_agg_context(fcinfo, caller), form);
	return s;
}

/* append one row, its covariates already checked */
static inline void
add_row(CoxState *s, double entry, double exit, bool event, const double *x,
		int32 stratum)
{
	double	   *r;

	if (s->n == s->cap)
		state_reserve(s, s->n + 1);
	r = s->rows + (Size) s->n * (s->p + 2);
	r[0] = entry;
	r[1] = exit;
	memcpy(r + 2, x, sizeof(double) * s->p);
	s->event[s->n] = event;
	if (s->form == COX_STRATA)
		s->stratum[s->n] = stratum;
	s->n++;
}

/* a skipped row: the state as it is (NULL until a row is kept) */
#define SKIP_ROW() \
	do { \
		if (PG_ARGISNULL(0)) \
			PG_RETURN_NULL(); \
		PG_RETURN_POINTER(PG_GETARG_POINTER(0)); \
	} while (0)

/*
 * cox_regression(entry, exit, event, covariates [, stratum [, ties]]): a
 * row with a NULL anywhere (a covariate included) is skipped.  entry may
 * be -infinity (at risk from the start); otherwise times are finite and
 * entry < exit.
 */
PG_FUNCTION_INFO_V1(cox_regression_accum);
Datum
cox_regression_accum(PG_FUNCTION_ARGS)
{
	int			nargs = PG_NARGS();
	CoxState   *s;
	double		entry,
				exit;
	const double *x;
	int			p;
	int32		stratum = 0;
	int			ties = -1;

	pf_require_aggregate(fcinfo, "cox_regression_accum");
	for (int i = 1; i < nargs; i++)
		if (PG_ARGISNULL(i))
			SKIP_ROW();
	if (!read_covariates(PG_GETARG_ARRAYTYPE_P(4), &x, &p))
		SKIP_ROW();
	entry = PG_GETARG_FLOAT8(1);
	exit = PG_GETARG_FLOAT8(2);
	if (!isfinite(exit))
		not_finite("exit");
	if (isnan(entry) || entry == INFINITY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cox_regression: entry must be finite or -infinity")));
	if (!(entry < exit))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cox_regression: entry must be earlier than exit"),
				 errdetail("A row has entry %g and exit %g; it is at risk on (entry, exit].",
						   entry, exit),
				 errhint("For a duration with no delayed entry, pass entry 0, or '-infinity' when durations may be 0.")));
	if (nargs > 6)
	{
		text	   *t = PG_GETARG_TEXT_PP(6);
		int			len = VARSIZE_ANY_EXHDR(t);
		const char *w = VARDATA_ANY(t);

		if (len == 5 && memcmp(w, "efron", 5) == 0)
			ties = PF_COX_EFRON;
		else if (len == 7 && memcmp(w, "breslow", 7) == 0)
			ties = PF_COX_BRESLOW;
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid ties method for cox_regression: \"%s\"", text_to_cstring(t)),
					 errhint("Use 'efron' or 'breslow'.")));
	}

	s = accum_state(fcinfo, nargs > 5 ? COX_STRATA : COX_TIMES, "cox_regression_accum");
	check_p(s, p);
	if (ties >= 0)
		check_ties(s, ties);
	if (nargs > 5)
	{
		text	   *t = PG_GETARG_TEXT_PP(5);

		stratum = stratum_id(s, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	}
	add_row(s, entry, exit, PG_GETARG_BOOL(3), x, stratum);
	PG_RETURN_POINTER(s);
}

/* a date or timestamptz as_of in the range's units; an error when infinite */
static int64
as_of_units(PfSpellUnit unit, Datum d)
{
	pf_require_finite(unit == PF_SPELL_UNIT_DAY ? !DATE_NOT_FINITE(DatumGetDateADT(d)) :
					  !TIMESTAMP_NOT_FINITE(DatumGetTimestampTz(d)), "as_of");
	return unit == PF_SPELL_UNIT_DAY ? (int64) DatumGetDateADT(d) :
		(int64) DatumGetTimestampTz(d);
}

/*
 * cox_regression(spell, as_of, covariates): time in days from the spell's
 * start, as tenure_survival counts it.  Spells that start after as_of and
 * empty spells are skipped; a spell that ended by as_of is an event at its
 * length, any other is censored at as_of.  as_of is the same on every row.
 */
PG_FUNCTION_INFO_V1(cox_regression_spell_accum);
Datum
cox_regression_spell_accum(PG_FUNCTION_ARGS)
{
	CoxState   *s;
	PfRangeBytes spell;
	PfRangeCache *cache;
	int64		a = 0;
	int64		end = 0;
	int64		as_of;
	bool		ongoing;
	bool		event;
	const double *x;
	int			p;
	double		t;

	pf_require_aggregate(fcinfo, "cox_regression_spell_accum");
	for (int i = 1; i < 4; i++)
		if (PG_ARGISNULL(i))
			SKIP_ROW();
	if (!read_covariates(PG_GETARG_ARRAYTYPE_P(3), &x, &p))
		SKIP_ROW();
	spell = pf_range_bytes(PG_GETARG_DATUM(1));
	cache = pf_range_cache(fcinfo, spell);
	as_of = as_of_units(cache->unit, PG_GETARG_DATUM(2));
	s = accum_state(fcinfo, COX_SPELLS, "cox_regression_spell_accum");
	check_as_of(s, as_of);
	check_p(s, p);
	if (!pf_range_spell(cache, spell, &a, &end, &ongoing) || a > as_of ||
		(!ongoing && end <= a))
		PG_RETURN_POINTER(s);
	event = !ongoing && end <= as_of;
	/* as_of >= a and end > a: the unsigned difference is exact */
	t = (double) ((uint64) (event ? end : as_of) - (uint64) a);
	if (cache->unit == PF_SPELL_UNIT_MICROSECOND)
		t /= USECS_PER_DAY_F;
	add_row(s, -INFINITY, t, event, x, 0);
	PG_RETURN_POINTER(s);
}

/* append b's rows to a (a's own strata numbering) */
static void
state_merge(CoxState *a, const CoxState *b)
{
	int32	   *map = NULL;

	if (b->p == 0)
		return;
	if (a->form != b->form)
		elog(ERROR, "cox_regression: states of different forms");
	check_p(a, b->p);
	if (b->ties >= 0)
		check_ties(a, b->ties);
	if (b->has_as_of)
		check_as_of(a, b->as_of);
	if (b->n == 0)
		return;
	if (b->form == COX_STRATA)
	{
		map = palloc(sizeof(int32) * Max(b->nstrata, 1));
		for (int32 k = 0; k < b->nstrata; k++)
		{
			if ((k & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			map[k] = stratum_id(a, b->keys[k], b->keylens[k]);
		}
	}
	state_reserve(a, a->n + b->n);
	memcpy(a->rows + (Size) a->n * (a->p + 2), b->rows,
		   sizeof(double) * (a->p + 2) * (Size) b->n);
	memcpy(a->event + a->n, b->event, sizeof(bool) * (Size) b->n);
	if (map != NULL)
	{
		for (int64 i = 0; i < b->n; i++)
		{
			PF_INTERRUPT_EVERY(i);
			a->stratum[a->n + i] = map[b->stratum[i]];
		}
		pfree(map);
	}
	a->n += b->n;
}

PG_FUNCTION_INFO_V1(cox_regression_combine);
Datum
cox_regression_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = pf_agg_context(fcinfo, "cox_regression_combine");
	CoxState   *a = PG_ARGISNULL(0) ? NULL : (CoxState *) PG_GETARG_POINTER(0);
	CoxState   *b = PG_ARGISNULL(1) ? NULL : (CoxState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	/* a copy of b in the aggregate context, never b itself */
	if (a == NULL)
		a = state_create(aggcontext, (CoxForm) b->form);
	state_merge(a, b);
	PG_RETURN_POINTER(a);
}

/*
 * Serialized form, for parallel query only (never stored, so in the
 * server's own byte order): form, p, ties, has_as_of, as_of, n, nstrata
 * (one int64 each, with a zero for room), the strata's names (length and
 * bytes), then the rows' doubles, their events and their strata.
 */
PG_FUNCTION_INFO_V1(cox_regression_serialize);
Datum
cox_regression_serialize(PG_FUNCTION_ARGS)
{
	CoxState   *s = (CoxState *) PG_GETARG_POINTER(0);
	int64		header[8] = {s->form, s->p, s->ties, s->has_as_of, s->as_of, s->n, s->nstrata, 0};
	Size		len = COX_SERIAL_HEADER + strata_bytes(s) + (Size) s->n * row_bytes(s);
	bytea	   *result;
	char	   *p;

	(void) pf_agg_context(fcinfo, "cox_regression_serialize");
	if (len > COX_STATE_LIMIT)
		too_large(s, s->n);
	result = palloc(VARHDRSZ + len);
	SET_VARSIZE(result, VARHDRSZ + len);
	p = VARDATA(result);
	memcpy(p, header, sizeof(header));
	p += sizeof(header);
	for (int32 k = 0; k < s->nstrata; k++)
	{
		memcpy(p, &s->keylens[k], sizeof(int32));
		p += sizeof(int32);
		memcpy(p, s->keys[k], s->keylens[k]);
		p += s->keylens[k];
	}
	if (s->n > 0)
	{
		memcpy(p, s->rows, sizeof(double) * (s->p + 2) * (Size) s->n);
		p += sizeof(double) * (s->p + 2) * (Size) s->n;
		memcpy(p, s->event, sizeof(bool) * (Size) s->n);
		p += sizeof(bool) * (Size) s->n;
		if (s->form == COX_STRATA)
			memcpy(p, s->stratum, sizeof(int32) * (Size) s->n);
	}
	PG_RETURN_BYTEA_P(result);
}

static void
bad_serialized(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized cox_regression state")));
}

PG_FUNCTION_INFO_V1(cox_regression_deserialize);
Datum
cox_regression_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(bytes);
	const char *end = p + VARSIZE_ANY_EXHDR(bytes);
	int64		header[8];
	CoxState   *s;
	int64		n;
	int64		nstrata;

	pf_require_aggregate(fcinfo, "cox_regression_deserialize");
	if (end - p < (ptrdiff_t) sizeof(header))
		bad_serialized();
	memcpy(header, p, sizeof(header));
	p += sizeof(header);
	if (header[0] < COX_TIMES || header[0] > COX_SPELLS ||
		header[1] < 0 || header[1] > PF_COX_MAX_COVARIATES ||
		header[2] < -1 || header[2] > PF_COX_BRESLOW ||
		header[3] < 0 || header[3] > 1 || header[5] < 0 || header[6] < 0 ||
		header[6] > PG_INT32_MAX || header[7] != 0 ||
		(header[1] == 0 && header[5] > 0) ||
		(header[0] != COX_STRATA && header[6] != 0))
		bad_serialized();
	s = state_create(CurrentMemoryContext, (CoxForm) header[0]);
	s->p = (int32) header[1];
	s->ties = (int32) header[2];
	s->has_as_of = header[3] != 0;
	s->as_of = header[4];
	n = header[5];
	nstrata = header[6];
	for (int64 k = 0; k < nstrata; k++)
	{
		int32		len;

		CHECK_FOR_INTERRUPTS();
		if (end - p < (ptrdiff_t) sizeof(int32))
			bad_serialized();
		memcpy(&len, p, sizeof(int32));
		p += sizeof(int32);
		if (len < 0 || end - p < (ptrdiff_t) len)
			bad_serialized();
		if (stratum_id(s, p, len) != k)
			bad_serialized();
		p += len;
	}
	if (n > 0)
	{
		if ((Size) (end - p) / row_bytes(s) < (Size) n ||
			(Size) (end - p) != (Size) n * row_bytes(s))
			bad_serialized();
		state_reserve(s, n);
		memcpy(s->rows, p, sizeof(double) * (s->p + 2) * (Size) n);
		p += sizeof(double) * (s->p + 2) * (Size) n;
		for (int64 i = 0; i < n; i++)
		{
			PF_INTERRUPT_EVERY(i);
			if ((uint8) p[i] > 1)
				bad_serialized();
			s->event[i] = p[i] != 0;
		}
		p += n;
		if (s->form == COX_STRATA)
		{
			memcpy(s->stratum, p, sizeof(int32) * (Size) n);
			p += sizeof(int32) * (Size) n;
			for (int64 i = 0; i < n; i++)
			{
				PF_INTERRUPT_EVERY(i);
				if (s->stratum[i] < 0 || s->stratum[i] >= s->nstrata)
					bad_serialized();
			}
		}
		s->n = n;
	}
	if (p != end)
		bad_serialized();
	PG_RETURN_POINTER(s);
}

/* the fit of the rows: NULL without rows */
PG_FUNCTION_INFO_V1(cox_regression_final);
Datum
cox_regression_final(PG_FUNCTION_ARGS)
{
	CoxState   *s = PG_ARGISNULL(0) ? NULL : (CoxState *) PG_GETARG_POINTER(0);
	PfCoxData	d;
	PfCoxModel *m;
	PfCoxStored *stored;

	if (s == NULL || s->n == 0)
		PG_RETURN_NULL();
	memset(&d, 0, sizeof(d));
	d.n = s->n;
	d.p = s->p;
	d.entry = s->rows;
	d.exit = s->rows + 1;
	d.x = s->rows + 2;
	d.entry_stride = d.exit_stride = d.x_stride = s->p + 2;
	d.event = s->event;
	d.stratum = s->form == COX_STRATA ? s->stratum : NULL;
	m = pf_cox_fit(&d, s->ties == PF_COX_BRESLOW ? PF_COX_BRESLOW : PF_COX_EFRON, NULL);
	stored = pf_coxmodel_from_fit(m);
	pf_cox_free(m);
	return coxmodel_datum(stored);
}

/* ---------------------------------------------------------------------
 * Accessors
 * ---------------------------------------------------------------------
 */

/* a float8 result: NULL where the model has NaN (R's NA) */
static inline void
put_float(Datum *values, bool *nulls, int i, double v)
{
	values[i] = Float8GetDatum(v);
	nulls[i] = isnan(v);
}

/*
 * cox_terms(m, names, confidence): one row a covariate, as summary(coxph)
 * shows it, the interval that of the hazard ratio.  Not strict: names may
 * be NULL; a NULL model or confidence gives no rows.
 */
PG_FUNCTION_INFO_V1(cox_terms);
Datum
cox_terms(PG_FUNCTION_ARGS)
{
	PfCoxStored *s;
	PfCoxView	view;
	double		level;
	Datum	   *names = NULL;
	bool	   *name_nulls = NULL;
	int			nnames = 0;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		return (Datum) 0;
	s = PG_GETARG_COXMODEL_P(0);
	level = PG_GETARG_FLOAT8(2);
	if (!(level > 0 && level < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence must lie between 0 and 1, not %g", level)));
	if (!PG_ARGISNULL(1))
	{
		ArrayType  *a = PG_GETARG_ARRAYTYPE_P(1);

		if (ARR_NDIM(a) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("names must be a one-dimensional array")));
		deconstruct_array(a, TEXTOID, -1, false, TYPALIGN_INT, &names, &name_nulls, &nnames);
		if (nnames != s->p)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("names must have one element for each covariate of the model"),
					 errdetail("The model has %d covariates; names has %d elements.",
							   (int) s->p, nnames)));
	}
	pf_coxmodel_view(s, &view);
	for (int j = 0; j < s->p; j++)
	{
		PfCoxTerm	t;
		Datum		values[9];
		bool		nulls[9] = {0};

		pf_cox_term(&view.model, j, level, &t);
		values[0] = Int32GetDatum(j + 1);
		if (names != NULL && !name_nulls[j])
			values[1] = names[j];
		else
			nulls[1] = true;
		put_float(values, nulls, 2, t.coef);
		put_float(values, nulls, 3, t.exp_coef);
		put_float(values, nulls, 4, t.se);
		put_float(values, nulls, 5, t.z);
		put_float(values, nulls, 6, t.p);
		put_float(values, nulls, 7, t.lower);
		put_float(values, nulls, 8, t.upper);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(cox_stats);
Datum
cox_stats(PG_FUNCTION_ARGS)
{
	PfCoxStored *s = PG_GETARG_COXMODEL_P(0);
	Datum		values[13];
	bool		nulls[13] = {0};

	values[0] = Int64GetDatum(s->n);
	values[1] = Int64GetDatum(s->events);
	values[2] = Int32GetDatum(s->iterations);
	values[3] = BoolGetDatum(s->converged != 0);
	put_float(values, nulls, 4, s->loglik_null);
	put_float(values, nulls, 5, s->loglik);
	put_float(values, nulls, 6, s->lr_chisq);
	values[7] = Int32GetDatum(s->df);
	put_float(values, nulls, 8, s->lr_p);
	put_float(values, nulls, 9, s->wald_chisq);
	put_float(values, nulls, 10, s->score_chisq);
	put_float(values, nulls, 11, s->wald_p);
	put_float(values, nulls, 12, s->score_p);
	PG_RETURN_DATUM(pf_result_tuple(fcinfo, values, nulls));
}

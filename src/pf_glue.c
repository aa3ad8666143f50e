/*-------------------------------------------------------------------------
 *
 * pf_glue.c
 *	  Helpers shared by the SQL-callable glue (see pf_glue.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"

#include "pf_glue.h"

Datum
pf_result_tuple(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

void
pf_infinite_argument(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must be finite", what)));
}

void
pf_not_in_aggregate(const char *caller)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s can only be called by its aggregates", caller)));
}

MemoryContext
pf_agg_context(FunctionCallInfo fcinfo, const char *caller)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		pf_not_in_aggregate(caller);
	return aggcontext;
}

static char *
array_state(ArrayType *a, int len, Oid elemtype, const char *typname,
			const char *caller)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != len || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != elemtype)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid aggregate state for %s", caller),
				 errdetail("The state must be a one-dimensional %s array of %d elements without NULLs.",
						   typname, len)));
	/* ARR_DATA_PTR, for an array known to have no null bitmap */
	return (char *) a + ARR_OVERHEAD_NONULLS(1);
}

double *
pf_float8_state(ArrayType *a, int len, const char *caller)
{
	return (double *) array_state(a, len, FLOAT8OID, "float8", caller);
}

int64 *
pf_int8_state(ArrayType *a, int len, const char *caller)
{
	return (int64 *) array_state(a, len, INT8OID, "int8", caller);
}

void
pf_level_set(double *slot, double confidence)
{
	if (*slot == 0.0)
		*slot = confidence;
	else if (*slot != confidence)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence must be the same for all rows of a group")));
}

void
pf_level_combine(double *slot, double other)
{
	if (other != 0.0)
		pf_level_set(slot, other);
}

double
pf_level_of_int8(int64 slot)
{
	double		level;

	memcpy(&level, &slot, sizeof(level));
	return level;
}

int64
pf_level_to_int8(double level)
{
	int64		slot;

	memcpy(&slot, &level, sizeof(slot));
	return slot;
}

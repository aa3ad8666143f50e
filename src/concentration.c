/*-------------------------------------------------------------------------
 *
 * concentration.c
 *	  The concentration() and top_share() aggregates.  Glue only; the
 *	  arithmetic is in concentration_core.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"

#include "concentration_core.h"

/* the float8[3] state, checked as float.c checks its own array states */
static double *
conc_state(ArrayType *a, const char *caller)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != CONC_STATE_LEN ||
		ARR_HASNULL(a) || ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "%s: expected %d-element float8 array", caller,
			 CONC_STATE_LEN);
	/* ARR_DATA_PTR, for an array known to have no null bitmap */
	return (double *) ((char *) a + ARR_OVERHEAD_NONULLS(1));
}

/* a copy of the state when not called as an aggregate, to leave inputs alone */
static ArrayType *
conc_writable(FunctionCallInfo fcinfo, int argno)
{
	if (AggCheckCallContext(fcinfo, NULL))
		return PG_GETARG_ARRAYTYPE_P(argno);
	return PG_GETARG_ARRAYTYPE_P_COPY(argno);
}

PG_FUNCTION_INFO_V1(concentration_accum);
Datum
concentration_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *a = conc_writable(fcinfo, 0);

	conc_accum(conc_state(a, "concentration_accum"), PG_GETARG_FLOAT8(1));
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(concentration_combine);
Datum
concentration_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = conc_writable(fcinfo, 0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);

	conc_combine(conc_state(a, "concentration_combine"),
				 conc_state(b, "concentration_combine"));
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(concentration_final);
Datum
concentration_final(PG_FUNCTION_ARGS)
{
	double		result;

	if (!conc_herfindahl(conc_state(PG_GETARG_ARRAYTYPE_P(0),
									"concentration_final"), &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

PG_FUNCTION_INFO_V1(top_share_final);
Datum
top_share_final(PG_FUNCTION_ARGS)
{
	double		result;

	if (!conc_top_share(conc_state(PG_GETARG_ARRAYTYPE_P(0),
								   "top_share_final"), &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

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
#include "pf_glue.h"

#define STATE_LEN PF_CONCENTRATION_STATE_LEN

PG_FUNCTION_INFO_V1(concentration_accum);
Datum
concentration_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);

	pf_concentration_accum(pf_float8_state(a, STATE_LEN, "concentration_accum"),
						   PG_GETARG_FLOAT8(1));
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(concentration_combine);
Datum
concentration_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);

	pf_concentration_combine(pf_float8_state(a, STATE_LEN, "concentration_combine"),
							 pf_float8_state(b, STATE_LEN, "concentration_combine"));
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(concentration_final);
Datum
concentration_final(PG_FUNCTION_ARGS)
{
	double	   *state = pf_float8_state(PG_GETARG_ARRAYTYPE_P(0), STATE_LEN,
										"concentration_final");
	double		result;

	if (!pf_concentration_herfindahl(state, &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

PG_FUNCTION_INFO_V1(top_share_final);
Datum
top_share_final(PG_FUNCTION_ARGS)
{
	double	   *state = pf_float8_state(PG_GETARG_ARRAYTYPE_P(0), STATE_LEN,
										"top_share_final");
	double		result;

	if (!pf_concentration_top_share(state, &result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

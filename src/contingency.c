/*-------------------------------------------------------------------------
 *
 * contingency.c
 *	  Contingency tables: risk_ratio, nps and nps_stats.  Glue only; the
 *	  statistics are in contingency_core.c.
 *
 * The states are counts in an int8[], a plain SQL type, updated in place:
 * risk_ratio keeps exposed_n, exposed_events, unexposed_n and
 * unexposed_events; nps and nps_stats keep n, promoters, passives and
 * detractors.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/array.h"

#include "contingency_core.h"
#include "pf_glue.h"

#define RISK_STATE_LEN 4
#define NPS_STATE_LEN 4

PG_FUNCTION_INFO_V1(risk_ratio_accum);
Datum
risk_ratio_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	int64	   *c = pf_int8_state(a, RISK_STATE_LEN, "risk_ratio_accum");
	int			group = PG_GETARG_BOOL(1) ? 0 : 2;

	pf_count_add(&c[group], 1);
	if (PG_GETARG_BOOL(2))
		pf_count_add(&c[group + 1], 1);
	PG_RETURN_ARRAYTYPE_P(a);
}

/* the element-wise sum of two count states */
static Datum
counts_combine(FunctionCallInfo fcinfo, const char *caller)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	int			len = ARR_NDIM(a) == 1 ? ARR_DIMS(a)[0] : 0;
	int64	   *ca = pf_int8_state(a, len, caller);
	int64	   *cb = pf_int8_state(b, len, caller);

	for (int i = 0; i < len; i++)
		pf_count_add(&ca[i], cb[i]);
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(risk_ratio_combine);
Datum
risk_ratio_combine(PG_FUNCTION_ARGS)
{
	return counts_combine(fcinfo, "risk_ratio_combine");
}

/* values[i], or NULL when not valid */
static void
set_float8(Datum *values, bool *nulls, int i, double v, bool valid)
{
	values[i] = Float8GetDatum(v);
	nulls[i] = !valid;
}

PG_FUNCTION_INFO_V1(risk_ratio_final);
Datum
risk_ratio_final(PG_FUNCTION_ARGS)
{
	int64	   *c = pf_int8_state(PG_GETARG_ARRAYTYPE_P(0), RISK_STATE_LEN, "risk_ratio_final");
	PfRiskRatio rr;
	Datum		values[10];
	bool		nulls[10] = {0};

	if (c[0] + c[2] == 0)
		PG_RETURN_NULL();
	rr = pf_contingency_risk_ratio(c[0], c[1], c[2], c[3]);
	for (int i = 0; i < RISK_STATE_LEN; i++)
		values[i] = Int64GetDatum(c[i]);
	set_float8(values, nulls, 4, rr.risk_exposed, rr.risk_exposed_valid);
	set_float8(values, nulls, 5, rr.risk_unexposed, rr.risk_unexposed_valid);
	set_float8(values, nulls, 6, rr.ratio, rr.ratio_valid);
	set_float8(values, nulls, 7, rr.ci_low, rr.ci_valid);
	set_float8(values, nulls, 8, rr.ci_high, rr.ci_valid);
	set_float8(values, nulls, 9, rr.p_value, rr.p_valid);
	PG_RETURN_DATUM(pf_result_tuple(fcinfo, values, nulls));
}

PG_FUNCTION_INFO_V1(nps_accum);
Datum
nps_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	int64	   *c = pf_int8_state(a, NPS_STATE_LEN, "nps_accum");
	int32		score = PG_GETARG_INT32(1);

	if (score < 0 || score > 10)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an NPS score must be between 0 and 10, not %d", score),
				 errdetail("Promoters score 9 or 10, passives 7 or 8, detractors 0 to 6.")));
	pf_count_add(&c[0], 1);
	pf_count_add(&c[score >= 9 ? 1 : score >= 7 ? 2 : 3], 1);
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(nps_combine);
Datum
nps_combine(PG_FUNCTION_ARGS)
{
	return counts_combine(fcinfo, "nps_combine");
}

/* The score of the counts of argument 0; false when there is none. */
static bool
nps_result(FunctionCallInfo fcinfo, int64 **counts, PfNps *result)
{
	int64	   *c = pf_int8_state(PG_GETARG_ARRAYTYPE_P(0), NPS_STATE_LEN, "nps_final");

	*counts = c;
	if (c[0] == 0)
		return false;
	*result = pf_contingency_nps(c[0], c[1], c[2], c[3]);
	return result->valid;
}

PG_FUNCTION_INFO_V1(nps_final);
Datum
nps_final(PG_FUNCTION_ARGS)
{
	int64	   *c;
	PfNps		r;

	if (!nps_result(fcinfo, &c, &r))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r.nps);
}

PG_FUNCTION_INFO_V1(nps_stats_final);
Datum
nps_stats_final(PG_FUNCTION_ARGS)
{
	int64	   *c;
	PfNps		r;
	Datum		values[6];
	bool		nulls[6] = {0};

	if (!nps_result(fcinfo, &c, &r))
		PG_RETURN_NULL();
	for (int i = 0; i < NPS_STATE_LEN; i++)
		values[i] = Int64GetDatum(c[i]);
	values[4] = Float8GetDatum(r.nps);
	values[5] = Float8GetDatum(r.margin);
	PG_RETURN_DATUM(pf_result_tuple(fcinfo, values, nulls));
}

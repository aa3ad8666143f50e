/*-------------------------------------------------------------------------
 *
 * contingency.c
 *	  Contingency tables: risk_ratio, nps and nps_stats.  Glue only; the
 *	  statistics are in contingency_core.c.
 *
 * The states are counts in an int8[], a plain SQL type, updated in place:
 * risk_ratio keeps exposed_n, exposed_events, unexposed_n and
 * unexposed_events; nps and nps_stats keep n, promoters, passives and
 * detractors; their forms with a confidence add the level.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/array.h"

#include "contingency_core.h"
#include "correlation_core.h"
#include "pf_glue.h"

#define RISK_STATE_LEN 4
#define NPS_STATE_LEN 4

/*
 * The forms with a confidence (risk_ratio(exposed, event, confidence),
 * nps_stats(score, confidence)) keep one more slot: the level, as the bits
 * of a float8 (see pf_level_set).
 */
#define LEVEL_SLOT 4
#define LEVEL_STATE_LEN 5

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

/*
 * The element-wise sum of two count states; with_level, the last slot is
 * the level, which is the same on both sides or unset on one.
 */
static Datum
counts_combine(FunctionCallInfo fcinfo, bool with_level, const char *caller)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	int			len = ARR_NDIM(a) == 1 ? ARR_DIMS(a)[0] : 0;
	int64	   *ca = pf_int8_state(a, len, caller);
	int64	   *cb = pf_int8_state(b, len, caller);

	if (with_level)
	{
		double		level = pf_level_of_int8(ca[len - 1]);

		pf_level_combine(&level, pf_level_of_int8(cb[len - 1]));
		ca[len - 1] = pf_level_to_int8(level);
		len--;
	}
	for (int i = 0; i < len; i++)
		pf_count_add(&ca[i], cb[i]);
	PG_RETURN_ARRAYTYPE_P(a);
}

/* a row's confidence into the level slot of a count state */
static void
counts_set_level(int64 *c, double confidence)
{
	double		level = pf_level_of_int8(c[LEVEL_SLOT]);

	pf_correlation_check_confidence(confidence);
	pf_level_set(&level, confidence);
	c[LEVEL_SLOT] = pf_level_to_int8(level);
}

PG_FUNCTION_INFO_V1(risk_ratio_combine);
Datum
risk_ratio_combine(PG_FUNCTION_ARGS)
{
	return counts_combine(fcinfo, false, "risk_ratio_combine");
}

/* values[i], or NULL when not valid */
static void
set_float8(Datum *values, bool *nulls, int i, double v, bool valid)
{
	values[i] = Float8GetDatum(v);
	nulls[i] = !valid;
}

/* The counts of a 2x2 state of len slots, or NULL when it has no row. */
static int64 *
table_counts(FunctionCallInfo fcinfo, int len, const char *caller)
{
	int64	   *c = pf_int8_state(PG_GETARG_ARRAYTYPE_P(0), len, caller);

	return c[0] + c[2] == 0 ? NULL : c;
}

/* the relative_risk composite of the counts c and their table rr */
static Datum
risk_ratio_datum(FunctionCallInfo fcinfo, const int64 *c, PfRiskRatio rr)
{
	Datum		values[10];
	bool		nulls[10] = {0};

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

PG_FUNCTION_INFO_V1(risk_ratio_final);
Datum
risk_ratio_final(PG_FUNCTION_ARGS)
{
	int64	   *c = table_counts(fcinfo, RISK_STATE_LEN, "risk_ratio_final");

	if (c == NULL)
		PG_RETURN_NULL();
	return risk_ratio_datum(fcinfo, c, pf_contingency_risk_ratio(c[0], c[1], c[2], c[3]));
}

/* risk_ratio(exposed, event, confidence) */
PG_FUNCTION_INFO_V1(risk_ratio_confidence_accum);
Datum
risk_ratio_confidence_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	int64	   *c = pf_int8_state(a, LEVEL_STATE_LEN, "risk_ratio_confidence_accum");
	int			group = PG_GETARG_BOOL(1) ? 0 : 2;
	double		confidence = PG_GETARG_FLOAT8(3);

	/* a number meant as a stratum lands here: say how to stratify */
	if (!(confidence > 0.0 && confidence < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence must be between 0 and 1, exclusive, not %g", confidence),
				 errhint("To stratify by a column, pass it as text: risk_ratio(exposed, event, stratum::text).")));
	counts_set_level(c, confidence);
	pf_count_add(&c[group], 1);
	if (PG_GETARG_BOOL(2))
		pf_count_add(&c[group + 1], 1);
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(risk_ratio_confidence_combine);
Datum
risk_ratio_confidence_combine(PG_FUNCTION_ARGS)
{
	return counts_combine(fcinfo, true, "risk_ratio_confidence_combine");
}

PG_FUNCTION_INFO_V1(risk_ratio_confidence_final);
Datum
risk_ratio_confidence_final(PG_FUNCTION_ARGS)
{
	int64	   *c = table_counts(fcinfo, LEVEL_STATE_LEN, "risk_ratio_confidence_final");

	if (c == NULL)
		PG_RETURN_NULL();
	return risk_ratio_datum(fcinfo, c,
							pf_contingency_risk_ratio_at(c[0], c[1], c[2], c[3],
														 pf_level_of_int8(c[LEVEL_SLOT])));
}

/* a score into the counts c */
static void
nps_count(int64 *c, int32 score)
{
	if (score < 0 || score > 10)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an NPS score must be between 0 and 10, not %d", score),
				 errdetail("Promoters score 9 or 10, passives 7 or 8, detractors 0 to 6.")));
	pf_count_add(&c[0], 1);
	pf_count_add(&c[score >= 9 ? 1 : score >= 7 ? 2 : 3], 1);
}

PG_FUNCTION_INFO_V1(nps_accum);
Datum
nps_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);

	nps_count(pf_int8_state(a, NPS_STATE_LEN, "nps_accum"), PG_GETARG_INT32(1));
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(nps_combine);
Datum
nps_combine(PG_FUNCTION_ARGS)
{
	return counts_combine(fcinfo, false, "nps_combine");
}

/*
 * The score of the counts of argument 0, a state of len slots (with the
 * level when there are LEVEL_STATE_LEN); false when there is none.
 */
static bool
nps_result(FunctionCallInfo fcinfo, int len, int64 **counts, PfNps *result)
{
	int64	   *c = pf_int8_state(PG_GETARG_ARRAYTYPE_P(0), len, "nps_final");

	*counts = c;
	if (c[0] == 0)
		return false;
	if (len == LEVEL_STATE_LEN)
		*result = pf_contingency_nps_at(c[0], c[1], c[2], c[3],
										pf_level_of_int8(c[LEVEL_SLOT]));
	else
		*result = pf_contingency_nps(c[0], c[1], c[2], c[3]);
	return result->valid;
}

PG_FUNCTION_INFO_V1(nps_final);
Datum
nps_final(PG_FUNCTION_ARGS)
{
	int64	   *c;
	PfNps		r;

	if (!nps_result(fcinfo, NPS_STATE_LEN, &c, &r))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r.nps);
}

/* the nps_stats composite of a state of len slots */
static Datum
nps_stats_datum(FunctionCallInfo fcinfo, int len)
{
	int64	   *c;
	PfNps		r;
	Datum		values[6];
	bool		nulls[6] = {0};

	if (!nps_result(fcinfo, len, &c, &r))
		PG_RETURN_NULL();
	for (int i = 0; i < NPS_STATE_LEN; i++)
		values[i] = Int64GetDatum(c[i]);
	values[4] = Float8GetDatum(r.nps);
	values[5] = Float8GetDatum(r.margin);
	PG_RETURN_DATUM(pf_result_tuple(fcinfo, values, nulls));
}

PG_FUNCTION_INFO_V1(nps_stats_final);
Datum
nps_stats_final(PG_FUNCTION_ARGS)
{
	return nps_stats_datum(fcinfo, NPS_STATE_LEN);
}

/* nps_stats(score, confidence) */
PG_FUNCTION_INFO_V1(nps_stats_confidence_accum);
Datum
nps_stats_confidence_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	int64	   *c = pf_int8_state(a, LEVEL_STATE_LEN, "nps_stats_confidence_accum");

	counts_set_level(c, PG_GETARG_FLOAT8(2));
	nps_count(c, PG_GETARG_INT32(1));
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(nps_stats_confidence_combine);
Datum
nps_stats_confidence_combine(PG_FUNCTION_ARGS)
{
	return counts_combine(fcinfo, true, "nps_stats_confidence_combine");
}

PG_FUNCTION_INFO_V1(nps_stats_confidence_final);
Datum
nps_stats_confidence_final(PG_FUNCTION_ARGS)
{
	return nps_stats_datum(fcinfo, LEVEL_STATE_LEN);
}

/*
 * odds_ratio(exposed, event [, confidence]): the counts of risk_ratio, the
 * odds ratio of fisher.test.  No row: NULL.
 */
static Datum
odds_ratio_datum(FunctionCallInfo fcinfo, const int64 *c, double confidence)
{
	PfOddsRatio o;
	Datum		values[12];
	bool		nulls[12] = {0};

	o = pf_contingency_odds_ratio(c[1], c[0] - c[1], c[3], c[2] - c[3], confidence);
	for (int i = 0; i < RISK_STATE_LEN; i++)
		values[i] = Int64GetDatum(c[i]);
	set_float8(values, nulls, 4, o.sample, o.sample_valid);
	set_float8(values, nulls, 5, o.ratio, o.ratio_valid);
	set_float8(values, nulls, 6, o.ci_low, o.ratio_valid);
	set_float8(values, nulls, 7, o.ci_high, o.ratio_valid);
	set_float8(values, nulls, 8, o.p_value, o.p_valid);
	set_float8(values, nulls, 9, o.woolf_low, o.woolf_valid);
	set_float8(values, nulls, 10, o.woolf_high, o.woolf_valid);
	values[11] = Float8GetDatum(confidence);
	PG_RETURN_DATUM(pf_result_tuple(fcinfo, values, nulls));
}

PG_FUNCTION_INFO_V1(odds_ratio_final);
Datum
odds_ratio_final(PG_FUNCTION_ARGS)
{
	int64	   *c = table_counts(fcinfo, RISK_STATE_LEN, "odds_ratio_final");

	if (c == NULL)
		PG_RETURN_NULL();
	return odds_ratio_datum(fcinfo, c, 0.95);
}

PG_FUNCTION_INFO_V1(odds_ratio_confidence_final);
Datum
odds_ratio_confidence_final(PG_FUNCTION_ARGS)
{
	int64	   *c = table_counts(fcinfo, LEVEL_STATE_LEN, "odds_ratio_confidence_final");

	if (c == NULL)
		PG_RETURN_NULL();
	return odds_ratio_datum(fcinfo, c, pf_level_of_int8(c[LEVEL_SLOT]));
}

/*-------------------------------------------------------------------------
 *
 * moments.c
 *	  Moments: corr_test(x, y) (Pearson), partial_corr and weighted_corr.
 *	  Glue only; the statistics are in moments_core.c.
 *
 * Each keeps its state in a float8[], a plain SQL type, updated in place:
 * the doubles of PfPearsonState, PfPartialState or PfWeightedState.  The
 * three aggregates share one transition, one combine and one final
 * function here, which differ only in the state they read.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"

#include "correlation.h"
#include "moments_core.h"
#include "pf_glue.h"

typedef enum MomentsKind
{
	PEARSON,
	PARTIAL,
	WEIGHTED
} MomentsKind;

static const int state_len[] = {
	PF_PEARSON_STATE_NVALUES, PF_PARTIAL_STATE_NVALUES, PF_WEIGHTED_STATE_NVALUES
};

/*
 * A row (x, y), and z or the weight, into the state: NULL inputs skip the
 * row (the functions are strict), others must be finite; the weight is
 * checked by the core.
 */
static Datum
moments_accum(FunctionCallInfo fcinfo, MomentsKind kind, const char *caller)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(1);
	double		y = PG_GETARG_FLOAT8(2);
	double		third = kind == PEARSON ? 0.0 : PG_GETARG_FLOAT8(3);
	double	   *s;

	pf_correlation_check_input(x, "x");
	pf_correlation_check_input(y, "y");
	if (kind == PARTIAL)
		pf_correlation_check_input(third, "z");
	s = pf_float8_state(a, state_len[kind], caller);
	switch (kind)
	{
		case PEARSON:
			pf_moments_pearson_accum((PfPearsonState *) s, x, y);
			break;
		case PARTIAL:
			pf_moments_partial_accum((PfPartialState *) s, x, y, third);
			break;
		case WEIGHTED:
			pf_moments_weighted_accum((PfWeightedState *) s, x, y, third);
			break;
	}
	PG_RETURN_ARRAYTYPE_P(a);
}

static Datum
moments_combine(FunctionCallInfo fcinfo, MomentsKind kind, const char *caller)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	double	   *s = pf_float8_state(a, state_len[kind], caller);
	const double *o = pf_float8_state(PG_GETARG_ARRAYTYPE_P(1), state_len[kind],
									  caller);

	switch (kind)
	{
		case PEARSON:
			pf_moments_pearson_combine((PfPearsonState *) s,
									   (const PfPearsonState *) o);
			break;
		case PARTIAL:
			pf_moments_partial_combine((PfPartialState *) s,
									   (const PfPartialState *) o);
			break;
		case WEIGHTED:
			pf_moments_weighted_combine((PfWeightedState *) s,
										(const PfWeightedState *) o);
			break;
	}
	PG_RETURN_ARRAYTYPE_P(a);
}

/*
 * The correlation composite at 95%, NULL when no row was accumulated;
 * weighted_corr returns r alone, as weights define no sample size.
 */
static Datum
moments_final(FunctionCallInfo fcinfo, MomentsKind kind, const char *caller)
{
	const double *s = pf_float8_state(PG_GETARG_ARRAYTYPE_P(0), state_len[kind],
									  caller);
	PfCorrelation c;

	if (kind == WEIGHTED)
	{
		c = pf_moments_weighted_result((const PfWeightedState *) s);
		if (!c.r_valid)
			PG_RETURN_NULL();
		PG_RETURN_FLOAT8(c.r);
	}
	if (kind == PEARSON)
		c = pf_moments_pearson_result((const PfPearsonState *) s,
									  PF_DEFAULT_CONFIDENCE);
	else
		c = pf_moments_partial_result((const PfPartialState *) s,
									  PF_DEFAULT_CONFIDENCE);
	if (c.n == 0)
		PG_RETURN_NULL();
	return pf_correlation_datum(fcinfo, kind == PEARSON ? "pearson" : "partial",
								&c, PF_DEFAULT_CONFIDENCE);
}

/*
 * The transition, combine and final functions of one aggregate, under the
 * names the SQL script gives them.
 */
#define MOMENTS_FUNCTIONS(accum, combine, final, kind) \
	PG_FUNCTION_INFO_V1(accum); \
	Datum accum(PG_FUNCTION_ARGS) \
	{ \
		return moments_accum(fcinfo, kind, #accum); \
	} \
	PG_FUNCTION_INFO_V1(combine); \
	Datum combine(PG_FUNCTION_ARGS) \
	{ \
		return moments_combine(fcinfo, kind, #combine); \
	} \
	PG_FUNCTION_INFO_V1(final); \
	Datum final(PG_FUNCTION_ARGS) \
	{ \
		return moments_final(fcinfo, kind, #final); \
	}

/* corr_test(x, y) */
MOMENTS_FUNCTIONS(corr_test_pearson_accum, corr_test_pearson_combine,
				  corr_test_pearson_final, PEARSON)

/* partial_corr(x, y, z) */
MOMENTS_FUNCTIONS(partial_corr_accum, partial_corr_combine,
				  partial_corr_final, PARTIAL)

/* weighted_corr(x, y, w) */
MOMENTS_FUNCTIONS(weighted_corr_accum, weighted_corr_combine,
				  weighted_corr_final, WEIGHTED)

/*
 * partial_corr(x, y, z, confidence): the state of partial_corr, then the
 * level (see pf_level_set).
 */
#define PARTIAL_LEVEL_LEN (PF_PARTIAL_STATE_NVALUES + 1)

PG_FUNCTION_INFO_V1(partial_corr_confidence_accum);
Datum
partial_corr_confidence_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(1);
	double		y = PG_GETARG_FLOAT8(2);
	double		z = PG_GETARG_FLOAT8(3);
	double		confidence = PG_GETARG_FLOAT8(4);
	double	   *s;

	pf_correlation_check_confidence(confidence);
	pf_correlation_check_input(x, "x");
	pf_correlation_check_input(y, "y");
	pf_correlation_check_input(z, "z");
	s = pf_float8_state(a, PARTIAL_LEVEL_LEN, "partial_corr_confidence_accum");
	pf_level_set(&s[PF_PARTIAL_STATE_NVALUES], confidence);
	pf_moments_partial_accum((PfPartialState *) s, x, y, z);
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(partial_corr_confidence_combine);
Datum
partial_corr_confidence_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	double	   *s = pf_float8_state(a, PARTIAL_LEVEL_LEN,
									"partial_corr_confidence_combine");
	const double *o = pf_float8_state(PG_GETARG_ARRAYTYPE_P(1), PARTIAL_LEVEL_LEN,
									  "partial_corr_confidence_combine");

	pf_level_combine(&s[PF_PARTIAL_STATE_NVALUES], o[PF_PARTIAL_STATE_NVALUES]);
	pf_moments_partial_combine((PfPartialState *) s, (const PfPartialState *) o);
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(partial_corr_confidence_final);
Datum
partial_corr_confidence_final(PG_FUNCTION_ARGS)
{
	const double *s = pf_float8_state(PG_GETARG_ARRAYTYPE_P(0), PARTIAL_LEVEL_LEN,
									  "partial_corr_confidence_final");
	double		level = s[PF_PARTIAL_STATE_NVALUES];
	PfCorrelation c;

	if (level == 0.0)
		PG_RETURN_NULL();		/* no row */
	c = pf_moments_partial_result((const PfPartialState *) s, level);
	if (c.n == 0)
		PG_RETURN_NULL();
	return pf_correlation_datum(fcinfo, "partial", &c, level);
}

/*
 * partial_corr(x, y, z float8[] [, confidence]): any number of controls.
 * The state is the core's (pf_moments_partial_many_len(k) doubles), then
 * the level (0 without a confidence: 95%).  It starts NULL and is made by
 * the first row, whose array sets k; a row with a NULL, or a NULL control,
 * is skipped.
 */
static ArrayType *
many_state_create(FunctionCallInfo fcinfo, int k)
{
	int			len = (int) pf_moments_partial_many_len(k) + 1;
	Datum	   *zeros = palloc(sizeof(Datum) * len);
	ArrayType  *a;

	/* made in the call's context: the aggregate copies it into its own */
	(void) pf_agg_context(fcinfo, "partial_corr_controls_accum");
	for (int i = 0; i < len; i++)
		zeros[i] = Float8GetDatum(0.0);
	a = construct_array(zeros, len, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
						TYPALIGN_DOUBLE);
	pfree(zeros);
	pf_moments_partial_many_init((double *) ARR_DATA_PTR(a), k);
	return a;
}

/* The elements of a state of partial_corr with controls, and its k. */
static double *
many_state(ArrayType *a, int *k, const char *caller)
{
	int			len = ARR_NDIM(a) == 1 ? ARR_DIMS(a)[0] : 0;
	double	   *s = pf_float8_state(a, len, caller);

	*k = len > 1 ? pf_moments_partial_many_controls(s, (size_t) len - 1) : -1;
	if (*k < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s called with an invalid state", caller)));
	return s;
}

PG_FUNCTION_INFO_V1(partial_corr_controls_accum);
Datum
partial_corr_controls_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	ArrayType  *za;
	double		x;
	double		y;
	double	   *z;
	double	   *s;
	int			k;
	int			state_k;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
		(PG_NARGS() > 4 && PG_ARGISNULL(4)))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	x = PG_GETARG_FLOAT8(1);
	y = PG_GETARG_FLOAT8(2);
	za = PG_GETARG_ARRAYTYPE_P(3);
	if (PG_NARGS() > 4)
		pf_correlation_check_confidence(PG_GETARG_FLOAT8(4));
	pf_correlation_check_input(x, "x");
	pf_correlation_check_input(y, "y");
	if (ARR_NDIM(za) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the controls must be a one-dimensional array")));
	if (array_contains_nulls(za))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	k = ArrayGetNItems(ARR_NDIM(za), ARR_DIMS(za));
	if (k > PF_PARTIAL_MANY_MAX_CONTROLS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many controls for partial_corr: %d", k),
				 errdetail("At most %d are allowed.", PF_PARTIAL_MANY_MAX_CONTROLS)));
	z = (double *) ARR_DATA_PTR(za);
	for (int i = 0; i < k; i++)
		pf_correlation_check_input(z[i], "z");

	if (PG_ARGISNULL(0))
		state = many_state_create(fcinfo, k);
	else
		state = pf_writable_array(fcinfo, 0);
	s = many_state(state, &state_k, "partial_corr_controls_accum");
	if (state_k != k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("every row of a group must have the same number of controls"),
				 errdetail("This row has %d, the group %d.", k, state_k)));
	if (PG_NARGS() > 4)
		pf_level_set(&s[pf_moments_partial_many_len(k)], PG_GETARG_FLOAT8(4));
	pf_moments_partial_many_accum(s, x, y, z);
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(partial_corr_controls_combine);
Datum
partial_corr_controls_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	int			ka;
	int			kb;
	double	   *s = many_state(a, &ka, "partial_corr_controls_combine");
	const double *o = many_state(PG_GETARG_ARRAYTYPE_P(1), &kb,
								 "partial_corr_controls_combine");

	if (ka != kb)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("every row of a group must have the same number of controls")));
	pf_level_combine(&s[pf_moments_partial_many_len(ka)],
					 o[pf_moments_partial_many_len(kb)]);
	pf_moments_partial_many_combine(s, o);
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(partial_corr_controls_final);
Datum
partial_corr_controls_final(PG_FUNCTION_ARGS)
{
	int			k;
	const double *s = many_state(PG_GETARG_ARRAYTYPE_P(0), &k,
								 "partial_corr_controls_final");
	double		level = s[pf_moments_partial_many_len(k)];
	PfCorrelation c;

	if (level == 0.0)
		level = PF_DEFAULT_CONFIDENCE;
	c = pf_moments_partial_many_result(s, level);
	if (c.n == 0)
		PG_RETURN_NULL();
	return pf_correlation_datum(fcinfo, "partial", &c, level);
}

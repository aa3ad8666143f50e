/*-------------------------------------------------------------------------
 *
 * correlation.c
 *	  Glue shared by every correlation aggregate: the correlation
 *	  composite and the check of input values.  The aggregates are in
 *	  moments.c (corr_test(x, y), partial_corr, weighted_corr) and
 *	  rankcorr.c (corr_test with a method, spearman_corr, kendall_tau).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "correlation.h"
#include "pf_glue.h"

/*
 * The correlation composite, or with p_method the correlation_test one,
 * whose p_method field follows p_value (NULL when p_method_name is).
 */
static Datum
correlation_tuple(FunctionCallInfo fcinfo, const char *method,
				  const PfCorrelation *c, double confidence, bool with_p_method,
				  const char *p_method_name)
{
	Datum		values[8];
	bool		nulls[8] = {0};
	int			i = 0;

	values[i++] = CStringGetTextDatum(method);
	values[i++] = Int64GetDatum(c->n);
	values[i] = Float8GetDatum(c->r);
	nulls[i++] = !c->r_valid;
	values[i] = Float8GetDatum(c->p_value);
	nulls[i++] = !c->p_valid;
	if (with_p_method)
	{
		values[i] = p_method_name != NULL ? CStringGetTextDatum(p_method_name) : (Datum) 0;
		nulls[i++] = p_method_name == NULL;
	}
	values[i] = Float8GetDatum(c->ci_low);
	nulls[i++] = !c->ci_valid;
	values[i] = Float8GetDatum(c->ci_high);
	nulls[i++] = !c->ci_valid;
	values[i] = Float8GetDatum(confidence);
	return pf_result_tuple(fcinfo, values, nulls);
}

Datum
pf_correlation_datum(FunctionCallInfo fcinfo, const char *method,
					 const PfCorrelation *c, double confidence)
{
	return correlation_tuple(fcinfo, method, c, confidence, false, NULL);
}

Datum
pf_correlation_test_datum(FunctionCallInfo fcinfo, const char *method,
						  const PfCorrelation *c, double confidence,
						  const char *p_method)
{
	return correlation_tuple(fcinfo, method, c, confidence, true, p_method);
}

void
pf_correlation_not_finite(double v, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must be a finite number, not %g", what, v),
			 errhint("Filter out NaN and infinite values, or turn them into NULL to skip the row.")));
}

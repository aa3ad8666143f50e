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

Datum
pf_correlation_datum(FunctionCallInfo fcinfo, const char *method,
					 const PfCorrelation *c, double confidence)
{
	Datum		values[7];
	bool		nulls[7] = {0};

	values[0] = CStringGetTextDatum(method);
	values[1] = Int64GetDatum(c->n);
	values[2] = Float8GetDatum(c->r);
	nulls[2] = !c->r_valid;
	values[3] = Float8GetDatum(c->p_value);
	nulls[3] = !c->p_valid;
	values[4] = Float8GetDatum(c->ci_low);
	values[5] = Float8GetDatum(c->ci_high);
	nulls[4] = nulls[5] = !c->ci_valid;
	values[6] = Float8GetDatum(confidence);
	return pf_result_tuple(fcinfo, values, nulls);
}

Datum
pf_correlation_test_datum(FunctionCallInfo fcinfo, const char *method,
						  const PfCorrelation *c, double confidence,
						  const char *p_method)
{
	Datum		values[8];
	bool		nulls[8] = {0};

	values[0] = CStringGetTextDatum(method);
	values[1] = Int64GetDatum(c->n);
	values[2] = Float8GetDatum(c->r);
	nulls[2] = !c->r_valid;
	values[3] = Float8GetDatum(c->p_value);
	nulls[3] = !c->p_valid;
	values[4] = p_method != NULL ? CStringGetTextDatum(p_method) : (Datum) 0;
	nulls[4] = p_method == NULL;
	values[5] = Float8GetDatum(c->ci_low);
	values[6] = Float8GetDatum(c->ci_high);
	nulls[5] = nulls[6] = !c->ci_valid;
	values[7] = Float8GetDatum(confidence);
	return pf_result_tuple(fcinfo, values, nulls);
}

void
pf_correlation_not_finite(double v, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must be a finite number, not %g", what, v),
			 errhint("Filter out NaN and infinite values, or turn them into NULL to skip the row.")));
}

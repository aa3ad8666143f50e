/*-------------------------------------------------------------------------
 *
 * pf_glue.h
 *	  Helpers shared by the SQL-callable glue: the aggregate context, and
 *	  aggregate states kept in float8[] or int8[] arrays.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PF_GLUE_H
#define PF_GLUE_H

#include "fmgr.h"
#include "nodes/nodes.h"
#include "utils/array.h"
#include "pf_core.h"

/*
 * Whether an aggregate (plain or window) calls us, as AggCheckCallContext
 * tells, inline for the per-row paths that update their state in place.
 */
static inline bool
pf_in_aggregate(FunctionCallInfo fcinfo)
{
	return fcinfo->context != NULL &&
		(IsA(fcinfo->context, AggState) ||
		 IsA(fcinfo->context, WindowAggState));
}

/* the function's composite result from its field values */
extern Datum pf_result_tuple(FunctionCallInfo fcinfo, Datum *values, bool *nulls);

extern void pf_not_in_aggregate(const char *caller) PF_NORETURN;

/* an error when not called by an aggregate */
static inline void
pf_require_aggregate(FunctionCallInfo fcinfo, const char *caller)
{
	if (unlikely(!pf_in_aggregate(fcinfo)))
		pf_not_in_aggregate(caller);
}

/* the aggregate's memory context; an error when not called by an aggregate */
extern MemoryContext pf_agg_context(FunctionCallInfo fcinfo, const char *caller);

/*
 * The array state argument to update: the aggregate's own state in place
 * when called by an aggregate, else a copy, so that inputs are left alone.
 */
static inline ArrayType *
pf_writable_array(FunctionCallInfo fcinfo, int argno)
{
	if (pf_in_aggregate(fcinfo))
		return PG_GETARG_ARRAYTYPE_P(argno);
	return PG_GETARG_ARRAYTYPE_P_COPY(argno);
}

/*
 * The elements of a one-dimensional array state of exactly len float8s or
 * int8s without NULLs, checked as float.c checks its own array states.
 */
extern double *pf_float8_state(ArrayType *a, int len, const char *caller);
extern int64 *pf_int8_state(ArrayType *a, int len, const char *caller);

#endif							/* PF_GLUE_H */

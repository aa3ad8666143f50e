/*-------------------------------------------------------------------------
 *
 * pf_glue.h
 *	  Helpers shared by the SQL-callable glue: the aggregate context,
 *	  aggregate states kept in float8[] or int8[] arrays, finite arguments,
 *	  and the comparison functions of the stored types.
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

/*
 * An error (22023) unless a date or timestamp argument is finite: what
 * names it ("as_of", "interaction time").
 */
extern void pf_infinite_argument(const char *what) PF_NORETURN;

static inline void
pf_require_finite(bool finite, const char *what)
{
	if (unlikely(!finite))
		pf_infinite_argument(what);
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

/*
 * The confidence level of an aggregate's confidence form, kept in the last
 * slot of its array state: 0 until the first row sets it, after which
 * every row must give the same (22023 otherwise); a combine takes the
 * level of whichever state has one.  An int8[] state keeps the level's
 * bits in its int8 slot.
 */
extern void pf_level_set(double *slot, double confidence);
extern void pf_level_combine(double *slot, double other);
extern double pf_level_of_int8(int64 slot);
extern int64 pf_level_to_int8(double level);

/*
 * Equality and a consistent total order of a stored summary type, on its
 * canonical stored bytes: shorter first, then memcmp.  The order means
 * nothing statistically; it lets btree and hash operator classes exist,
 * so that DISTINCT, GROUP BY and UNION work on the type.
 */
static inline int
pf_bytes_cmp(const void *a, size_t alen, const void *b, size_t blen)
{
	int			c;

	if (alen != blen)
		return alen < blen ? -1 : 1;
	c = memcmp(a, b, alen);
	return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/*
 * The SQL-callable comparison functions TYPE_eq, _ne, _lt, _le, _gt, _ge
 * and _cmp of a type, from a static int CMPFN(FunctionCallInfo) that
 * compares arguments 0 and 1.
 */
#define PF_COMPARISON_FUNCTION(type, op, expr, cmpfn) \
	PG_FUNCTION_INFO_V1(type##_##op); \
	Datum type##_##op(PG_FUNCTION_ARGS) \
	{ \
		int c = cmpfn(fcinfo); \
		expr; \
	}
#define PF_COMPARISON_FUNCTIONS(type, cmpfn) \
	PF_COMPARISON_FUNCTION(type, eq, PG_RETURN_BOOL(c == 0), cmpfn) \
	PF_COMPARISON_FUNCTION(type, ne, PG_RETURN_BOOL(c != 0), cmpfn) \
	PF_COMPARISON_FUNCTION(type, lt, PG_RETURN_BOOL(c < 0), cmpfn) \
	PF_COMPARISON_FUNCTION(type, le, PG_RETURN_BOOL(c <= 0), cmpfn) \
	PF_COMPARISON_FUNCTION(type, gt, PG_RETURN_BOOL(c > 0), cmpfn) \
	PF_COMPARISON_FUNCTION(type, ge, PG_RETURN_BOOL(c >= 0), cmpfn) \
	PF_COMPARISON_FUNCTION(type, cmp, PG_RETURN_INT32(c), cmpfn)

#endif							/* PF_GLUE_H */

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
#include "utils/array.h"

/* the aggregate's memory context; an error when not called by an aggregate */
extern MemoryContext pf_agg_context(FunctionCallInfo fcinfo, const char *caller);

/*
 * The array state argument to update: the aggregate's own state in place
 * when called by an aggregate, else a copy, so that inputs are left alone.
 */
extern ArrayType *pf_writable_array(FunctionCallInfo fcinfo, int argno);

/*
 * The elements of a one-dimensional array state of exactly len float8s or
 * int8s without NULLs, checked as float.c checks its own array states.
 */
extern double *pf_float8_state(ArrayType *a, int len, const char *caller);
extern int64 *pf_int8_state(ArrayType *a, int len, const char *caller);

#endif							/* PF_GLUE_H */

/*-------------------------------------------------------------------------
 *
 * correlation.c
 *	  Turnover correlation: corr_test, spearman_corr, kendall_tau,
 *	  partial_corr, weighted_corr, risk_ratio, nps and nps_stats.  Glue
 *	  only; the statistics are in correlation_core.c.
 *
 * Accumulating statistics (Pearson, partial, weighted, the counts behind
 * risk_ratio and nps) keep their state in a float8[] or int8[], plain SQL
 * types, updated in place.  Rank statistics must see every pair: their
 * state is internal, an array of (x, y) pairs grown by half each time (at
 * most 24 bytes a row), serialized to bytea for parallel query.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "correlation_core.h"
#include "pf_glue.h"

typedef enum CorrMethod
{
	CORR_PEARSON = 1,
	CORR_SPEARMAN = 2,
	CORR_KENDALL = 3
} CorrMethod;

static const char *const corr_method_names[] = {NULL, "pearson", "spearman", "kendall"};

#define DEFAULT_CONFIDENCE 0.95

/* the state of the rank statistics and of corr_test with a method */
typedef struct PairsState
{
	int32		method;			/* CorrMethod, or 0 before the first row */
	double		confidence;
	PfPearsonState pearson;		/* used by the Pearson method */
	int64		n;				/* pairs held */
	int64		cap;
	double	   *xy;				/* x0, y0, x1, y1, ... in the aggregate context */

	/*
	 * The pairs as runs, which start at runstart[0] = 0, runstart[1], ...:
	 * one per state merged by corr_test_combine, sorted by (x, y) when it comes
	 * from a parallel worker, so that the final function can merge them.
	 */
	int32		nruns;
	int64		runstart[PF_MAX_RUNS];

	/*
	 * A state fresh from corr_test_deserialize has no xy of its own: its pairs
	 * are the serialized bytes (not aligned for doubles), which stay valid
	 * only until corr_test_combine, called next on the same input, copies them.
	 */
	const char *borrowed;
} PairsState;

static void
check_finite(double v, const char *what)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number, not %g", what, v),
				 errhint("Filter out NaN and infinite values, or turn them into NULL to skip the row.")));
}

static void
check_confidence(double confidence)
{
	if (!(confidence > 0.0 && confidence < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence must be between 0 and 1, exclusive, not %g",
						confidence),
				 errhint("For a 95%% interval use 0.95.")));
}

/*
 * The method of a corr_method enum value.  The label is looked up once per
 * call site and enum value (fn_extra); the enum's input function has
 * already rejected any other label.
 */
typedef struct MethodCache
{
	Oid			label;
	CorrMethod	method;
} MethodCache;

static CorrMethod
enum_method(FunctionCallInfo fcinfo, int argno)
{
	Oid			label = PG_GETARG_OID(argno);
	MethodCache *cache = (MethodCache *) fcinfo->flinfo->fn_extra;
	char	   *name;

	if (cache != NULL && cache->label == label)
		return cache->method;
	name = DatumGetCString(DirectFunctionCall1(enum_out, ObjectIdGetDatum(label)));
	for (int m = CORR_PEARSON; m <= CORR_KENDALL; m++)
		if (strcmp(name, corr_method_names[m]) == 0)
		{
			if (cache == NULL)
				cache = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(MethodCache));
			cache->label = label;
			cache->method = (CorrMethod) m;
			fcinfo->flinfo->fn_extra = cache;
			return (CorrMethod) m;
		}
	elog(ERROR, "unexpected corr_method label \"%s\"", name);
	pg_unreachable();
}

/* a correlation composite from a result */
static Datum
correlation_datum(FunctionCallInfo fcinfo, const char *method,
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

/*
 * corr_test(x, y): Pearson, with the float8[] state of PfPearsonState.
 */
PG_FUNCTION_INFO_V1(corr_test_pearson_accum);
Datum
corr_test_pearson_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(1);
	double		y = PG_GETARG_FLOAT8(2);

	check_finite(x, "x");
	check_finite(y, "y");
	pf_moments_pearson_accum((PfPearsonState *) pf_float8_state(a, PF_PEARSON_STATE_NVALUES,
													 "corr_test_pearson_accum"), x, y);
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(corr_test_pearson_combine);
Datum
corr_test_pearson_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);

	pf_moments_pearson_combine((PfPearsonState *) pf_float8_state(a, PF_PEARSON_STATE_NVALUES, "corr_test_pearson_combine"),
					   (PfPearsonState *) pf_float8_state(PG_GETARG_ARRAYTYPE_P(1),
													   PF_PEARSON_STATE_NVALUES, "corr_test_pearson_combine"));
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(corr_test_pearson_final);
Datum
corr_test_pearson_final(PG_FUNCTION_ARGS)
{
	const PfPearsonState *s = (const PfPearsonState *)
	pf_float8_state(PG_GETARG_ARRAYTYPE_P(0), PF_PEARSON_STATE_NVALUES, "corr_test_pearson_final");
	PfCorrelation c;

	if (s->n == 0)
		PG_RETURN_NULL();
	c = pf_moments_pearson_result(s, DEFAULT_CONFIDENCE);
	PG_RETURN_DATUM(correlation_datum(fcinfo, "pearson", &c, DEFAULT_CONFIDENCE));
}

/*
 * The pairs state: corr_test(x, y, method [, confidence]), spearman_corr
 * and kendall_tau.
 */
static PairsState *
pairs_create(MemoryContext aggcontext, CorrMethod method, double confidence)
{
	PairsState *s = MemoryContextAllocZero(aggcontext, sizeof(PairsState));

	s->method = method;
	s->confidence = confidence;
	pf_moments_pearson_init(&s->pearson);
	s->nruns = 1;
	return s;
}

/* room for n more pairs, growing by half: at most 24 bytes a pair held */
static void
pairs_reserve(MemoryContext aggcontext, PairsState *s, int64 more)
{
	int64		need = s->n + more;
	int64		cap;

	if (need <= s->cap)
		return;
	cap = Max(Max(s->cap + s->cap / 2, need), 1024);
	if ((Size) cap > MaxAllocHugeSize / (2 * sizeof(double)))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows for a rank correlation: %lld",
						(long long) need)));
	if (s->xy == NULL)
		s->xy = MemoryContextAllocHuge(aggcontext, cap * 2 * sizeof(double));
	else
		s->xy = repalloc_huge(s->xy, cap * 2 * sizeof(double));
	s->cap = cap;
}

static void
pairs_add(MemoryContext aggcontext, PairsState *s, double x, double y)
{
	if (s->method == CORR_PEARSON)
	{
		pf_moments_pearson_accum(&s->pearson, x, y);
		return;
	}
	if (s->n == s->cap)
		pairs_reserve(aggcontext, s, 1);
	s->xy[2 * s->n] = x;
	s->xy[2 * s->n + 1] = y;
	s->n++;
}

static PairsState *
pairs_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : (PairsState *) PG_GETARG_POINTER(argno);
}

/*
 * Shared transition: a row with a NULL input is skipped; the method and
 * confidence must be the same on every row.
 */
static Datum
pairs_accum_common(FunctionCallInfo fcinfo, CorrMethod method, double confidence)
{
	MemoryContext aggcontext = pf_agg_context(fcinfo, "correlation transition");
	PairsState *s = pairs_arg(fcinfo, 0);
	double		x;
	double		y;

	x = PG_GETARG_FLOAT8(1);
	y = PG_GETARG_FLOAT8(2);
	check_finite(x, "x");
	check_finite(y, "y");
	if (s == NULL)
		s = pairs_create(aggcontext, method, confidence);
	else if (s->method != (int32) method || s->confidence != confidence)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("method and confidence must be the same for all rows of a group")));
	pairs_add(aggcontext, s, x, y);
	PG_RETURN_POINTER(s);
}

static bool
any_arg_null(FunctionCallInfo fcinfo, int from)
{
	for (int i = from; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			return true;
	return false;
}

/*
 * corr_test(x, y, method [, confidence]), and without a method for
 * spearman_corr(x, y) and kendall_tau(x, y), whose final functions pick
 * the statistic (the pairs are collected as Spearman's).
 */
PG_FUNCTION_INFO_V1(corr_test_accum);
Datum
corr_test_accum(PG_FUNCTION_ARGS)
{
	CorrMethod	method = CORR_SPEARMAN;
	double		confidence = DEFAULT_CONFIDENCE;

	if (any_arg_null(fcinfo, 1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_NARGS() > 4)
	{
		confidence = PG_GETARG_FLOAT8(4);
		check_confidence(confidence);
	}
	if (PG_NARGS() > 3)
		method = enum_method(fcinfo, 3);
	return pairs_accum_common(fcinfo, method, confidence);
}

/*
 * Record the runs of b, about to be appended to a at offset, in a; when
 * there would be too many, all of a becomes one run (to be sorted whole).
 */
static void
pairs_take_runs(PairsState *a, const PairsState *b, int64 offset)
{
	if (offset == 0)
	{
		a->nruns = b->nruns;
		memcpy(a->runstart, b->runstart, sizeof(int64) * b->nruns);
	}
	else if (a->nruns + b->nruns <= PF_MAX_RUNS)
	{
		for (int r = 0; r < b->nruns; r++)
			a->runstart[a->nruns++] = offset + b->runstart[r];
	}
	else
		a->nruns = 1;
}

/* The lengths of the runs of s, as the core takes them. */
static void
pairs_run_lengths(const PairsState *s, int64 *runlen)
{
	for (int r = 0; r < s->nruns; r++)
		runlen[r] = (r + 1 < s->nruns ? s->runstart[r + 1] : s->n) -
			s->runstart[r];
}

PG_FUNCTION_INFO_V1(corr_test_combine);
Datum
corr_test_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = pf_agg_context(fcinfo, "corr_test_combine");
	PairsState *a = pairs_arg(fcinfo, 0);
	PairsState *b = pairs_arg(fcinfo, 1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = pairs_create(aggcontext, (CorrMethod) b->method, b->confidence);
	else if (a->method != b->method || a->confidence != b->confidence)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("method and confidence must be the same for all rows of a group")));
	pf_moments_pearson_combine(&a->pearson, &b->pearson);
	if (b->n > 0 && a->n == 0)
		pairs_take_runs(a, b, 0);
	else if (b->n > 0)
		pairs_take_runs(a, b, a->n);
	if (b->n > 0)
	{
		/*
		 * Copy the pairs of b, usually the bytes of a parallel worker's state
		 * that corr_test_deserialize left in place.  b itself is left alone: it
		 * is the aggregate's input, not its state.
		 */
		const char *src = b->borrowed != NULL ? b->borrowed : (const char *) b->xy;

		pairs_reserve(aggcontext, a, b->n);
		memcpy(a->xy + 2 * a->n, src, b->n * 2 * sizeof(double));
		a->n += b->n;
	}
	PG_RETURN_POINTER(a);
}

/*
 * Serialized form, for parallel query only (never stored, so in the
 * server's own byte order): method (int4), confidence, the Pearson state,
 * the count, then the pairs copied as they are.
 */
PG_FUNCTION_INFO_V1(corr_test_serialize);
Datum
corr_test_serialize(PG_FUNCTION_ARGS)
{
	PairsState *s = (PairsState *) PG_GETARG_POINTER(0);
	Size		header = sizeof(int32) + sizeof(double) + sizeof(PfPearsonState) +
		sizeof(int64);
	Size		len = header + (Size) s->n * 2 * sizeof(double);
	bytea	   *result;
	char	   *p;

	(void) pf_agg_context(fcinfo, "corr_test_serialize");
	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows in one parallel worker for a rank correlation: %lld",
						(long long) s->n),
				 errdetail("A worker passes its pairs to the leader as one value of at most 1 GB."),
				 errhint("Run the query with max_parallel_workers_per_gather = 0.")));

	/*
	 * Sort the pairs here, in the parallel worker: the leader then merges
	 * the sorted runs of all workers rather than sorting all the pairs
	 * itself.  A state is serialized once, at the end of its worker's
	 * share, and sorting leaves the multiset of pairs it stands for as it
	 * was.
	 */
	if (s->method != CORR_PEARSON && s->n > 1)
	{
		pf_ranks_sort_pairs(s->xy, s->n);
		s->nruns = 1;
	}
	result = (bytea *) palloc_extended(VARHDRSZ + len, MCXT_ALLOC_HUGE);
	SET_VARSIZE(result, VARHDRSZ + len);
	p = VARDATA(result);
	memcpy(p, &s->method, sizeof(int32));
	p += sizeof(int32);
	memcpy(p, &s->confidence, sizeof(double));
	p += sizeof(double);
	memcpy(p, &s->pearson, sizeof(PfPearsonState));
	p += sizeof(PfPearsonState);
	memcpy(p, &s->n, sizeof(int64));
	p += sizeof(int64);
	if (s->n > 0)
		memcpy(p, s->xy, (Size) s->n * 2 * sizeof(double));
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(corr_test_deserialize);
Datum
corr_test_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(bytes);
	Size		len = VARSIZE_ANY_EXHDR(bytes);
	Size		header = sizeof(int32) + sizeof(double) + sizeof(PfPearsonState) +
		sizeof(int64);
	PairsState *s;
	int32		method;
	double		confidence;
	int64		n;

	pf_require_aggregate(fcinfo, "corr_test_deserialize");
	if (len < header)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid serialized correlation state")));
	memcpy(&method, p, sizeof(int32));
	memcpy(&confidence, p + sizeof(int32), sizeof(double));
	memcpy(&n, p + header - sizeof(int64), sizeof(int64));
	if (method < CORR_PEARSON || method > CORR_KENDALL || n < 0 ||
		(Size) n != (len - header) / (2 * sizeof(double)) ||
		(len - header) % (2 * sizeof(double)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid serialized correlation state")));
	/*
	 * The pairs are not copied here but by corr_test_combine, which the
	 * aggregate calls next with this state, while the input bytes are
	 * still there: one copy of many megabytes rather than two.
	 */
	s = pairs_create(CurrentMemoryContext, (CorrMethod) method, confidence);
	memcpy(&s->pearson, p + sizeof(int32) + sizeof(double), sizeof(PfPearsonState));
	s->n = n;
	s->borrowed = p + header;
	PG_RETURN_POINTER(s);
}

/*
 * The rank correlation of the pairs of s, in s's memory (which it leaves
 * in an unspecified order) when in_place, else in a copy.
 */
static PfCorrelation
pairs_rank_result(PairsState *s, CorrMethod method, bool in_place)
{
	int64		runlen[PF_MAX_RUNS];
	double	   *xy = s->xy;
	PfCorrelation c;

	Assert(s->borrowed == NULL);

	pairs_run_lengths(s, runlen);
	if (!in_place && s->n >= 2)		/* fewer rows are only counted */
	{
		xy = palloc_extended((Size) s->n * 2 * sizeof(double), MCXT_ALLOC_HUGE);
		memcpy(xy, s->xy, (Size) s->n * 2 * sizeof(double));
	}
	if (method == CORR_SPEARMAN)
		c = pf_rankcorr_spearman_runs(xy, s->n, runlen, s->nruns, s->confidence);
	else
		c = pf_rankcorr_kendall_runs(xy, s->n, runlen, s->nruns, s->confidence);
	if (xy != s->xy)
		pfree(xy);
	return c;
}

static PfCorrelation
pairs_result(PairsState *s, CorrMethod method)
{
	if (method == CORR_PEARSON)
		return pf_moments_pearson_result(&s->pearson, s->confidence);
	return pairs_rank_result(s, method, false);
}

PG_FUNCTION_INFO_V1(corr_test_final);
Datum
corr_test_final(PG_FUNCTION_ARGS)
{
	PairsState *s = pairs_arg(fcinfo, 0);
	PfCorrelation c;

	if (s == NULL)
		PG_RETURN_NULL();
	c = pairs_result(s, (CorrMethod) s->method);
	PG_RETURN_DATUM(correlation_datum(fcinfo, corr_method_names[s->method], &c,
									  s->confidence));
}

/*
 * spearman_corr and kendall_tau rank the pairs in the state's own memory
 * (FINALFUNC_MODIFY = READ_WRITE), so that they need nothing beyond the
 * state: at most 24 bytes a row in all.  The exception is kendall_tau over
 * the sorted runs of parallel workers, which merges y into 8 bytes a row
 * of its own on the leader.
 */
static Datum
rank_final(FunctionCallInfo fcinfo, CorrMethod method)
{
	PairsState *s = pairs_arg(fcinfo, 0);
	PfCorrelation c;

	if (s == NULL)
		PG_RETURN_NULL();
	c = pairs_rank_result(s, method, true);
	if (!c.r_valid)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(c.r);
}

PG_FUNCTION_INFO_V1(spearman_corr_final);
Datum
spearman_corr_final(PG_FUNCTION_ARGS)
{
	return rank_final(fcinfo, CORR_SPEARMAN);
}

PG_FUNCTION_INFO_V1(kendall_tau_final);
Datum
kendall_tau_final(PG_FUNCTION_ARGS)
{
	return rank_final(fcinfo, CORR_KENDALL);
}

/*
 * partial_corr(x, y, z): float8[] state of PfPartialState
 */
PG_FUNCTION_INFO_V1(partial_corr_accum);
Datum
partial_corr_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(1);
	double		y = PG_GETARG_FLOAT8(2);
	double		z = PG_GETARG_FLOAT8(3);

	check_finite(x, "x");
	check_finite(y, "y");
	check_finite(z, "z");
	pf_moments_partial_accum((PfPartialState *) pf_float8_state(a, PF_PARTIAL_STATE_NVALUES,
													 "partial_corr_accum"), x, y, z);
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(partial_corr_combine);
Datum
partial_corr_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);

	pf_moments_partial_combine((PfPartialState *) pf_float8_state(a, PF_PARTIAL_STATE_NVALUES, "partial_corr_combine"),
					   (PfPartialState *) pf_float8_state(PG_GETARG_ARRAYTYPE_P(1),
													   PF_PARTIAL_STATE_NVALUES, "partial_corr_combine"));
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(partial_corr_final);
Datum
partial_corr_final(PG_FUNCTION_ARGS)
{
	const PfPartialState *s = (const PfPartialState *)
	pf_float8_state(PG_GETARG_ARRAYTYPE_P(0), PF_PARTIAL_STATE_NVALUES, "partial_corr_final");
	PfCorrelation c;

	if (s->n == 0)
		PG_RETURN_NULL();
	c = pf_moments_partial_result(s, DEFAULT_CONFIDENCE);
	PG_RETURN_DATUM(correlation_datum(fcinfo, "partial", &c, DEFAULT_CONFIDENCE));
}

/*
 * weighted_corr(x, y, w): float8[] state of PfWeightedState
 */
PG_FUNCTION_INFO_V1(weighted_corr_accum);
Datum
weighted_corr_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(1);
	double		y = PG_GETARG_FLOAT8(2);
	double		w = PG_GETARG_FLOAT8(3);

	check_finite(x, "x");
	check_finite(y, "y");
	if (!pf_moments_weight_is_valid(w))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight must be a finite non-negative number, not %g", w)));
	pf_moments_weighted_accum((PfWeightedState *) pf_float8_state(a, PF_WEIGHTED_STATE_NVALUES,
													   "weighted_corr_accum"), x, y, w);
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(weighted_corr_combine);
Datum
weighted_corr_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = pf_writable_array(fcinfo, 0);

	pf_moments_weighted_combine((PfWeightedState *) pf_float8_state(a, PF_WEIGHTED_STATE_NVALUES, "weighted_corr_combine"),
						(PfWeightedState *) pf_float8_state(PG_GETARG_ARRAYTYPE_P(1),
														 PF_WEIGHTED_STATE_NVALUES, "weighted_corr_combine"));
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(weighted_corr_final);
Datum
weighted_corr_final(PG_FUNCTION_ARGS)
{
	const PfWeightedState *s = (const PfWeightedState *)
	pf_float8_state(PG_GETARG_ARRAYTYPE_P(0), PF_WEIGHTED_STATE_NVALUES, "weighted_corr_final");
	PfCorrelation c = pf_moments_weighted_result(s);

	if (!c.r_valid)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(c.r);
}

/*
 * Counts in an int8[] state, for risk_ratio and the NPS aggregates.
 */
#define RISK_STATE_LEN 4		/* exposed_n, exposed_events, unexposed_n, unexposed_events */
#define NPS_STATE_LEN 4			/* n, promoters, passives, detractors */

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

PG_FUNCTION_INFO_V1(nps_combine);
Datum
nps_combine(PG_FUNCTION_ARGS)
{
	return counts_combine(fcinfo, "nps_combine");
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
	for (int i = 0; i < 4; i++)
		values[i] = Int64GetDatum(c[i]);
	values[4] = Float8GetDatum(rr.risk_exposed);
	nulls[4] = !rr.risk_exposed_valid;
	values[5] = Float8GetDatum(rr.risk_unexposed);
	nulls[5] = !rr.risk_unexposed_valid;
	values[6] = Float8GetDatum(rr.ratio);
	nulls[6] = !rr.ratio_valid;
	values[7] = Float8GetDatum(rr.ci_low);
	values[8] = Float8GetDatum(rr.ci_high);
	nulls[7] = nulls[8] = !rr.ci_valid;
	values[9] = Float8GetDatum(rr.p_value);
	nulls[9] = !rr.p_valid;
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
	for (int i = 0; i < 4; i++)
		values[i] = Int64GetDatum(c[i]);
	values[4] = Float8GetDatum(r.nps);
	values[5] = Float8GetDatum(r.margin);
	PG_RETURN_DATUM(pf_result_tuple(fcinfo, values, nulls));
}

/*-------------------------------------------------------------------------
 *
 * rankcorr.c
 *	  Rank correlation: corr_test(x, y, method [, confidence]),
 *	  spearman_corr and kendall_tau, over one state of (x, y) pairs.  Glue
 *	  only; the statistics are in rankcorr_core.c.
 *
 * Rank statistics must see every pair: their state is internal, an array
 * of (x, y) pairs grown by half each time (at most 24 bytes a row),
 * serialized to bytea for parallel query.  corr_test with the Pearson
 * method keeps the moments state of moments_core.h in the same state.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "correlation.h"
#include "moments_core.h"
#include "pf_glue.h"
#include "rankcorr_core.h"

typedef enum CorrMethod
{
	CORR_PEARSON = 1,
	CORR_SPEARMAN = 2,
	CORR_KENDALL = 3
} CorrMethod;

static const char *const corr_method_names[] = {NULL, "pearson", "spearman", "kendall"};

/* the state of the rank statistics and of corr_test with a method */
typedef struct PairsState
{
	int32		method;			/* CorrMethod, or 0 before the first row */
	int32		exact;			/* PfExact: corr_test's exact argument */
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

	/*
	 * Once spearman_corr's or kendall_tau's final function has ranked the
	 * pairs in place, they are no longer the pairs: its result is kept
	 * here, for PostgreSQL may finalize the same state again (a hashed
	 * aggregate rescanned without change hands out its table once more).
	 */
	bool		ranked;
	PfCorrelation ranked_result;
} PairsState;

/* pairs copied between two memcpy calls: 16 MB, a few milliseconds */
#define COPY_CHUNK_PAIRS ((int64) 1 << 20)

/*
 * Copy n pairs (which need not be aligned), acting on a cancel between
 * chunks: states of many millions of pairs are copied whole.
 */
static void
copy_pairs(void *dst, const void *src, int64 n)
{
	char	   *d = dst;
	const char *s = src;

	while (n > 0)
	{
		int64		chunk = Min(n, COPY_CHUNK_PAIRS);

		CHECK_FOR_INTERRUPTS();
		memcpy(d, s, (Size) chunk * 2 * sizeof(double));
		d += (Size) chunk * 2 * sizeof(double);
		s += (Size) chunk * 2 * sizeof(double);
		n -= chunk;
	}
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

static PairsState *
pairs_create(MemoryContext aggcontext, CorrMethod method, double confidence,
			 PfExact exact)
{
	/* all zero: no pairs, and the empty Pearson state */
	PairsState *s = MemoryContextAllocZero(aggcontext, sizeof(PairsState));

	s->method = method;
	s->exact = exact;
	s->confidence = confidence;
	s->nruns = 1;
	return s;
}

/* the method, confidence and exactness of every row and state of a group agree */
static void
check_same_settings(const PairsState *s, int32 method, double confidence,
					int32 exact)
{
	if (s->method != method || s->confidence != confidence)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("method and confidence must be the same for all rows of a group")));
	if (s->exact != exact)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("exact must be the same for all rows of a group")));
}

/*
 * peoplefirst.max_rank_memory: the most memory, in megabytes, that the pairs
 * of one rank correlation may take in one process, checked before each
 * allocation, so that a query too large for the server stops with a clear
 * error rather than meeting the out-of-memory killer.
 */
static int	max_rank_memory_mb = 4096;

void
pf_rankcorr_define_settings(void)
{
	DefineCustomIntVariable("peoplefirst.max_rank_memory",
							"Most memory the pairs of one rank correlation may take in one process.",
							"spearman_corr, kendall_tau and corr_test with a rank method keep every "
							"(x, y) pair: 16 bytes a row, up to 24 while the array grows.",
							&max_rank_memory_mb, 4096, 1, INT_MAX / 2,
							PGC_USERSET, GUC_UNIT_MB, NULL, NULL, NULL);
	MarkGUCPrefixReserved("peoplefirst");
}

/* room for n more pairs, growing by half: at most 24 bytes a pair held */
static void
pairs_reserve(MemoryContext aggcontext, PairsState *s, int64 more)
{
	int64		need = s->n + more;
	int64		cap;
	double		limit = (double) max_rank_memory_mb * 1024.0 * 1024.0;

	if (need <= s->cap)
		return;
	cap = Max(Max(s->cap + s->cap / 2, need), 1024);
	/* the growth step may stop at the limit; the rows themselves may not pass it */
	if ((double) cap * 2 * sizeof(double) > limit)
		cap = Max(need, (int64) (limit / (2 * sizeof(double))));
	if ((double) need * 2 * sizeof(double) > limit ||
		(Size) cap > MaxAllocHugeSize / (2 * sizeof(double)))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows for a rank correlation: %lld",
						(long long) need),
				 errdetail("Their pairs would take more than peoplefirst.max_rank_memory (%d MB) in one process.",
						   max_rank_memory_mb),
				 errhint("Raise peoplefirst.max_rank_memory where the server has the memory, or sample the rows.")));
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

/*
 * Scratch for sorting n pairs held in an array with room for cap: as
 * pf_ranks_spare_choice picks, the unused tail of the array or room of its
 * own (then *own is set, and the caller frees it) when
 * peoplefirst.max_rank_memory allows and the memory is there; else none,
 * and the sort runs in place, more slowly.  Either way the pairs and the
 * scratch take at most 24 bytes a row.  (A state's array cannot reliably
 * give back its tail first: shrunk in place, its pages may stay resident.)
 *
 * With whole, on the leader of a parallel plan, which holds more than that
 * already, room for all n pairs is tried first, under the same conditions:
 * the sort then needs no merges.
 */
static PfPair *
pairs_spare(double *xy, int64 n, int64 cap, bool whole, size_t *nspare,
			bool *own)
{
	double		limit = (double) max_rank_memory_mb * 1024.0 * 1024.0;
	bool		use_tail;
	size_t		size = pf_ranks_spare_choice((size_t) n, (size_t) cap, &use_tail);
	PfPair	   *spare;

	*own = false;
	*nspare = 0;
	if (n < PF_RANKS_MIN_SPARE_SORT)
		return NULL;
	if (whole && cap - n < n &&
		(double) (cap + n) * 2 * sizeof(double) <= limit &&
		(spare = palloc_extended((Size) n * sizeof(PfPair),
								 MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM)) != NULL)
	{
		*own = true;
		*nspare = (size_t) n;
		return spare;
	}
	if (!use_tail && size > 0 &&
		(double) (cap + size) * 2 * sizeof(double) <= limit &&
		(spare = palloc_extended(size * sizeof(PfPair),
								 MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM)) != NULL)
	{
		*own = true;
		*nspare = size;
		return spare;
	}
	/* the tail, chosen, or when room of its own is not to be had */
	if ((size_t) (cap - n) >= (size_t) (n + 3) / 4)
	{
		*nspare = (size_t) (cap - n);
		return (PfPair *) (xy + 2 * n);
	}
	return NULL;
}

static PairsState *
pairs_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : (PairsState *) PG_GETARG_POINTER(argno);
}

static bool
any_arg_null(FunctionCallInfo fcinfo, int from, int to)
{
	for (int i = from; i < to && i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			return true;
	return false;
}

/*
 * corr_test(x, y, method [, confidence [, exact]]), and without a method
 * for spearman_corr(x, y) and kendall_tau(x, y), whose final functions pick
 * the statistic (the pairs are collected as Spearman's).  A row with a
 * NULL x, y, method or confidence is skipped; exact NULL is the default
 * choice of p-value (PF_EXACT_DEFAULT).  The settings must be the same on
 * every row.
 */
PG_FUNCTION_INFO_V1(corr_test_accum);
Datum
corr_test_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	PairsState *s;
	CorrMethod	method = CORR_SPEARMAN;
	double		confidence = PF_DEFAULT_CONFIDENCE;
	PfExact		exact = PF_EXACT_DEFAULT;
	double		x;
	double		y;

	/*
	 * Most rows of spearman_corr and kendall_tau: the pair goes straight
	 * into the array while it has room, with the checks of the full path
	 * below in their cheapest form: no lookup of the aggregate's context
	 * (needed only to allocate), one test that both values are finite (x -
	 * x is 0 for a finite x, NaN otherwise).  Every other row takes the
	 * full path, which behaves the same.
	 */
	if (PG_NARGS() == 3 && !PG_ARGISNULL(0) && !PG_ARGISNULL(1) &&
		!PG_ARGISNULL(2) && pf_in_aggregate(fcinfo))
	{
		s = (PairsState *) PG_GETARG_POINTER(0);
		x = PG_GETARG_FLOAT8(1);
		y = PG_GETARG_FLOAT8(2);
		if (likely(s->n < s->cap && (x - x) + (y - y) == 0.0 &&
				   s->method == CORR_SPEARMAN &&
				   s->confidence == PF_DEFAULT_CONFIDENCE &&
				   s->exact == PF_EXACT_DEFAULT))
		{
			s->xy[2 * s->n] = x;
			s->xy[2 * s->n + 1] = y;
			s->n++;
			PG_RETURN_POINTER(s);
		}
	}

	if (any_arg_null(fcinfo, 1, 5))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_NARGS() > 4)
	{
		confidence = PG_GETARG_FLOAT8(4);
		pf_correlation_check_confidence(confidence);
	}
	if (PG_NARGS() > 3)
		method = enum_method(fcinfo, 3);
	if (PG_NARGS() > 5 && !PG_ARGISNULL(5))
		exact = PG_GETARG_BOOL(5) ? PF_EXACT_ON : PF_EXACT_OFF;

	aggcontext = pf_agg_context(fcinfo, "corr_test_accum");
	s = pairs_arg(fcinfo, 0);
	x = PG_GETARG_FLOAT8(1);
	y = PG_GETARG_FLOAT8(2);
	pf_correlation_check_input(x, "x");
	pf_correlation_check_input(y, "y");
	if (s == NULL)
		s = pairs_create(aggcontext, method, confidence, exact);
	else
		check_same_settings(s, method, confidence, exact);
	pairs_add(aggcontext, s, x, y);
	PG_RETURN_POINTER(s);
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
		a = pairs_create(aggcontext, (CorrMethod) b->method, b->confidence,
						 (PfExact) b->exact);
	else
		check_same_settings(a, b->method, b->confidence, b->exact);
	pf_moments_pearson_combine(&a->pearson, &b->pearson);
	if (b->n > 0)
	{
		/*
		 * Copy the pairs of b, usually the bytes of a parallel worker's state
		 * that corr_test_deserialize left in place.  b itself is left alone: it
		 * is the aggregate's input, not its state.
		 */
		const char *src = b->borrowed != NULL ? b->borrowed : (const char *) b->xy;

		pairs_take_runs(a, b, a->n);
		pairs_reserve(aggcontext, a, b->n);
		copy_pairs(a->xy + 2 * a->n, src, b->n);
		a->n += b->n;
	}
	PG_RETURN_POINTER(a);
}

/*
 * Serialized form, for parallel query only (never stored, so in the
 * server's own byte order): the settings (int4: the method, plus the
 * exactness times 256), confidence, the Pearson state, the count, then the
 * pairs copied as they are.
 */
#define SERIAL_HEADER (sizeof(int32) + sizeof(double) + sizeof(PfPearsonState) + \
					   sizeof(int64))

PG_FUNCTION_INFO_V1(corr_test_serialize);
Datum
corr_test_serialize(PG_FUNCTION_ARGS)
{
	PairsState *s = (PairsState *) PG_GETARG_POINTER(0);
	Size		len = SERIAL_HEADER + (Size) s->n * 2 * sizeof(double);
	bytea	   *result;
	char	   *p;
	int32		settings;

	(void) pf_agg_context(fcinfo, "corr_test_serialize");
	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows in one parallel worker for a rank correlation: %lld",
						(long long) s->n),
				 errdetail("A worker passes its pairs to the leader as one value of at most 1 GB."),
				 errhint("Run the query with max_parallel_workers_per_gather = 0.")));

	result = (bytea *) palloc_extended(VARHDRSZ + len, MCXT_ALLOC_HUGE);
	SET_VARSIZE(result, VARHDRSZ + len);
	p = VARDATA(result);
	settings = s->method | (s->exact << 8);
	memcpy(p, &settings, sizeof(int32));
	p += sizeof(int32);
	memcpy(p, &s->confidence, sizeof(double));
	p += sizeof(double);
	memcpy(p, &s->pearson, sizeof(PfPearsonState));
	p += sizeof(PfPearsonState);
	memcpy(p, &s->n, sizeof(int64));
	p += sizeof(int64);

	/*
	 * Sort the pairs here, in the parallel worker: the leader then merges
	 * the sorted runs of all workers rather than sorting all the pairs
	 * itself.  The pairs' place in the result, aligned for doubles, is the
	 * sort's room.  The sorted pairs end up there or in the state, and are
	 * copied to the other, so that the state, too, holds them sorted: were
	 * it serialized again (an aggregate rescanned), it would give the same.
	 */
	StaticAssertStmt((VARHDRSZ + SERIAL_HEADER) % MAXIMUM_ALIGNOF == 0,
					 "serialized pairs must be aligned for doubles");
	if (s->method != CORR_PEARSON &&
		pf_ranks_sort_pairs_either(s->xy, s->n, (PfPair *) p) == (PfPair *) p)
		copy_pairs(s->xy, p, s->n);
	else
		copy_pairs(p, s->xy, s->n);
	s->nruns = 1;
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(corr_test_deserialize);
Datum
corr_test_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(bytes);
	Size		len = VARSIZE_ANY_EXHDR(bytes);
	PairsState *s;
	int32		settings;
	int32		method;
	int32		exact;
	double		confidence;
	int64		n;

	pf_require_aggregate(fcinfo, "corr_test_deserialize");
	if (len < SERIAL_HEADER)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid serialized correlation state")));
	memcpy(&settings, p, sizeof(int32));
	method = settings & 0xff;
	exact = settings >> 8;
	memcpy(&confidence, p + sizeof(int32), sizeof(double));
	memcpy(&n, p + SERIAL_HEADER - sizeof(int64), sizeof(int64));
	if (method < CORR_PEARSON || method > CORR_KENDALL ||
		exact < PF_EXACT_DEFAULT || exact > PF_EXACT_OFF || n < 0 ||
		(Size) n != (len - SERIAL_HEADER) / (2 * sizeof(double)) ||
		(len - SERIAL_HEADER) % (2 * sizeof(double)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid serialized correlation state")));

	/*
	 * The pairs are not copied here but by corr_test_combine, which the
	 * aggregate calls next with this state, while the input bytes are
	 * still there: one copy of many megabytes rather than two.
	 */
	s = pairs_create(CurrentMemoryContext, (CorrMethod) method, confidence,
					 (PfExact) exact);
	memcpy(&s->pearson, p + sizeof(int32) + sizeof(double), sizeof(PfPearsonState));
	s->n = n;
	s->borrowed = p + SERIAL_HEADER;
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
	int64		cap = s->cap;
	PfPair	   *spare;
	size_t		nspare;
	bool		own;
	PfCorrelation c;

	Assert(s->borrowed == NULL);

	pairs_run_lengths(s, runlen);
	if (!in_place && s->n >= 2)		/* fewer rows are only counted */
	{
		xy = palloc_extended((Size) s->n * 2 * sizeof(double), MCXT_ALLOC_HUGE);
		copy_pairs(xy, s->xy, s->n);
		cap = s->n;
	}
	/*
	 * Room for all the pairs on the leader of a parallel plan helps
	 * Spearman's sort by y; Kendall merges the runs into room of its own.
	 * Not for a copy, which already doubles what the leader holds.
	 */
	spare = pairs_spare(xy, s->n, cap,
						in_place && s->nruns > 1 && method == CORR_SPEARMAN,
						&nspare, &own);
	if (method == CORR_SPEARMAN)
		c = pf_rankcorr_spearman(xy, s->n, runlen, s->nruns, spare, nspare,
								 s->confidence);
	else
		c = pf_rankcorr_kendall(xy, s->n, runlen, s->nruns, spare, nspare,
								s->confidence);
	if (own)
		pfree(spare);
	if (xy != s->xy)
		pfree(xy);
	return c;
}

/* corr_test's result by the method of s, leaving s's pairs as they are */
static PfCorrelation
pairs_result(PairsState *s)
{
	if (s->method == CORR_PEARSON)
		return pf_moments_pearson_result(&s->pearson, s->confidence);
	return pairs_rank_result(s, (CorrMethod) s->method, false);
}

PG_FUNCTION_INFO_V1(corr_test_final);
Datum
corr_test_final(PG_FUNCTION_ARGS)
{
	PairsState *s = pairs_arg(fcinfo, 0);
	PfCorrelation c;

	if (s == NULL)
		PG_RETURN_NULL();
	c = pairs_result(s);
	return pf_correlation_datum(fcinfo, corr_method_names[s->method], &c,
								s->confidence);
}

/*
 * corr_test(x, y, method, confidence, exact): the correlation with the
 * p-value chosen as R's cor.test(exact = ...) does, and how it was found.
 */
PG_FUNCTION_INFO_V1(corr_test_exact_final);
Datum
corr_test_exact_final(PG_FUNCTION_ARGS)
{
	PairsState *s = pairs_arg(fcinfo, 0);
	PfCorrelation c;
	const char *p_method;

	if (s == NULL)
		PG_RETURN_NULL();
	c = pairs_result(s);
	if (s->method != CORR_PEARSON)
		pf_rankcorr_choose_p(&c, s->method == CORR_KENDALL, (PfExact) s->exact);
	switch (c.p_method)
	{
		case PF_P_EXACT:
			p_method = "exact";
			break;
		case PF_P_EDGEWORTH:
			p_method = "edgeworth";
			break;
		default:
			p_method = s->method == CORR_KENDALL ? "normal" : "t";
			break;
	}
	return pf_correlation_test_datum(fcinfo, corr_method_names[s->method], &c,
									 s->confidence, c.p_valid ? p_method : NULL);
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
	if (!s->ranked)
	{
		s->ranked_result = pairs_rank_result(s, method, true);
		s->ranked = true;
	}
	c = s->ranked_result;
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

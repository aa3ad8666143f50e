/*-------------------------------------------------------------------------
 *
 * logrank.c
 *	  logrank_test(grp, s [, rho]): the G-rho family of log-rank tests
 *	  over survival summaries, one or more per group.  Glue only; the test
 *	  is in logrank_core.c.
 *
 * The state is internal: one survival builder per group (rows of a group
 * merge as in rollup), in a list kept in the aggregate's memory, grown by
 * doubling; serialized to bytea (each group's name and its summary in the
 * survival binary form) for parallel query and Citus.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "logrank_core.h"
#include "pf_glue.h"
#include "survival_builder_core.h"
#include "survival.h"
#include "survival_core.h"

typedef struct LogrankGroup
{
	char	   *name;			/* NUL-terminated */
	int32		len;
	PfSurvivalBuilder *builder;
} LogrankGroup;

typedef struct LogrankState
{
	bool		has_rho;
	double		rho;
	int			unit;			/* 0 until the first summary */
	int			ngroups;
	int			cap;
	LogrankGroup *groups;
	MemoryContext cxt;
} LogrankState;

static LogrankState *
logrank_create(MemoryContext cxt)
{
	LogrankState *s = MemoryContextAllocZero(cxt, sizeof(LogrankState));

	s->cxt = cxt;
	return s;
}

static void
rho_set(LogrankState *s, double rho)
{
	if (!isfinite(rho) || rho < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rho must be finite and not negative, not %g", rho),
				 errhint("0 gives the log-rank test, 1 the Peto-Peto (Prentice) test.")));
	if (s->has_rho && s->rho != rho)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rho must be the same for all rows"),
				 errhint("Pass rho as a constant.")));
	s->has_rho = true;
	s->rho = rho;
}

/* the group named name (len bytes), created when new */
static LogrankGroup *
group_get(LogrankState *s, const char *name, int32 len)
{
	LogrankGroup *g;

	for (int i = 0; i < s->ngroups; i++)
		if (s->groups[i].len == len && memcmp(s->groups[i].name, name, len) == 0)
			return &s->groups[i];
	if (s->ngroups >= PF_LOGRANK_MAX_GROUPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("logrank_test compares at most %d groups", PF_LOGRANK_MAX_GROUPS)));
	if (s->ngroups == s->cap)
	{
		int			cap = s->cap == 0 ? 8 : 2 * s->cap;

		s->groups = s->groups == NULL ?
			MemoryContextAlloc(s->cxt, sizeof(LogrankGroup) * cap) :
			repalloc(s->groups, sizeof(LogrankGroup) * cap);
		s->cap = cap;
	}
	g = &s->groups[s->ngroups++];
	g->name = MemoryContextAlloc(s->cxt, len + 1);
	memcpy(g->name, name, len);
	g->name[len] = '\0';
	g->len = len;
	g->builder = NULL;
	return g;
}

/* merge summary into group g */
static void
group_add(LogrankState *s, LogrankGroup *g, const PfSurvival *summary)
{
	MemoryContext old;

	if (s->unit == 0)
		s->unit = summary->unit;
	else
		pf_survival_check_same_unit(s->unit, summary->unit);
	old = MemoryContextSwitchTo(s->cxt);
	if (g->builder == NULL)
		g->builder = pf_survival_builder_create(summary->unit);
	pf_survival_builder_add_summary(g->builder, summary);
	MemoryContextSwitchTo(old);
}

/* the summary of group g, in the current memory context */
static PfSurvival *
group_summary(LogrankState *s, LogrankGroup *g)
{
	MemoryContext old = MemoryContextSwitchTo(s->cxt);
	int64		n = pf_survival_builder_compact(g->builder);
	PfSurvival *summary;

	MemoryContextSwitchTo(old);
	summary = pf_survival_alloc(g->builder->unit, n);
	pf_survival_builder_write(g->builder, summary);
	return summary;
}

static Datum
logrank_accum_common(FunctionCallInfo fcinfo, bool with_rho)
{
	MemoryContext aggcontext = pf_agg_context(fcinfo, "logrank_accum");
	LogrankState *s = PG_ARGISNULL(0) ? NULL : (LogrankState *) PG_GETARG_POINTER(0);
	text	   *grp;
	PfSurvival *summary;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || (with_rho && PG_ARGISNULL(3)))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = logrank_create(aggcontext);
	if (with_rho)
		rho_set(s, PG_GETARG_FLOAT8(3));
	grp = PG_GETARG_TEXT_PP(1);
	summary = pf_survival_from_datum(PG_GETARG_DATUM(2));
	group_add(s, group_get(s, VARDATA_ANY(grp), VARSIZE_ANY_EXHDR(grp)), summary);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(logrank_accum);
Datum
logrank_accum(PG_FUNCTION_ARGS)
{
	return logrank_accum_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(logrank_rho_accum);
Datum
logrank_rho_accum(PG_FUNCTION_ARGS)
{
	return logrank_accum_common(fcinfo, true);
}

PG_FUNCTION_INFO_V1(logrank_combine);
Datum
logrank_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = pf_agg_context(fcinfo, "logrank_combine");
	LogrankState *a = PG_ARGISNULL(0) ? NULL : (LogrankState *) PG_GETARG_POINTER(0);
	LogrankState *b = PG_ARGISNULL(1) ? NULL : (LogrankState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = logrank_create(aggcontext);
	if (b->has_rho)
		rho_set(a, b->rho);
	for (int i = 0; i < b->ngroups; i++)
	{
		LogrankGroup *g = &b->groups[i];
		PfSurvival *summary;

		CHECK_FOR_INTERRUPTS();
		summary = group_summary(b, g);
		group_add(a, group_get(a, g->name, g->len), summary);
		pfree(summary);
	}
	PG_RETURN_POINTER(a);
}

/*
 * Serialized form, for parallel query and Citus: a flag byte (bit 0: rho
 * set), rho, the number of groups (int32), then for each its name's
 * length (int32), its name, the length of its summary's binary form
 * (int32) and that form, which survival_recv's validation reads back.  In
 * the server's byte order but for the summaries.
 */
PG_FUNCTION_INFO_V1(logrank_serialize);
Datum
logrank_serialize(PG_FUNCTION_ARGS)
{
	LogrankState *s = (LogrankState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	uint8		flags = s->has_rho ? 1 : 0;
	int32		n = s->ngroups;

	(void) pf_agg_context(fcinfo, "logrank_serialize");
	initStringInfo(&buf);
	appendStringInfoSpaces(&buf, VARHDRSZ);
	appendBinaryStringInfo(&buf, (char *) &flags, 1);
	appendBinaryStringInfo(&buf, (char *) &s->rho, sizeof(double));
	appendBinaryStringInfo(&buf, (char *) &n, sizeof(int32));
	for (int i = 0; i < s->ngroups; i++)
	{
		PfSurvival *summary = group_summary(s, &s->groups[i]);
		size_t		len = pf_survival_encoded_size(summary);
		int32		len32;

		CHECK_FOR_INTERRUPTS();
		if (len > MaxAllocSize / 2 || (Size) buf.len + len > MaxAllocSize / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("logrank_test state too large to hand between processes"),
					 errhint("Run the query with max_parallel_workers_per_gather = 0.")));
		len32 = (int32) len;
		appendBinaryStringInfo(&buf, (char *) &s->groups[i].len, sizeof(int32));
		appendBinaryStringInfo(&buf, s->groups[i].name, s->groups[i].len);
		appendBinaryStringInfo(&buf, (char *) &len32, sizeof(int32));
		enlargeStringInfo(&buf, (int) len);
		pf_survival_encode(summary, (uint8 *) buf.data + buf.len);
		buf.len += (int) len;
		pfree(summary);
	}
	SET_VARSIZE(buf.data, buf.len);
	PG_RETURN_BYTEA_P((bytea *) buf.data);
}

static void
bad_serialized(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized logrank_test state")));
}

PG_FUNCTION_INFO_V1(logrank_deserialize);
Datum
logrank_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(bytes);
	const char *end = p + VARSIZE_ANY_EXHDR(bytes);
	LogrankState *s;
	uint8		flags;
	double		rho;
	int32		n;

	pf_require_aggregate(fcinfo, "logrank_deserialize");
	if (end - p < (ptrdiff_t) (1 + sizeof(double) + sizeof(int32)))
		bad_serialized();
	flags = (uint8) *p++;
	memcpy(&rho, p, sizeof(double));
	p += sizeof(double);
	memcpy(&n, p, sizeof(int32));
	p += sizeof(int32);
	if ((flags & ~1) != 0 || n < 0 || n > PF_LOGRANK_MAX_GROUPS)
		bad_serialized();
	s = logrank_create(CurrentMemoryContext);
	if (flags & 1)
		rho_set(s, rho);
	for (int32 i = 0; i < n; i++)
	{
		int32		len;
		int32		slen;
		PfSurvival *summary;
		LogrankGroup *g;

		CHECK_FOR_INTERRUPTS();
		if (end - p < (ptrdiff_t) sizeof(int32))
			bad_serialized();
		memcpy(&len, p, sizeof(int32));
		p += sizeof(int32);
		if (len < 0 || end - p < (ptrdiff_t) len + (ptrdiff_t) sizeof(int32))
			bad_serialized();
		memcpy(&slen, p + len, sizeof(int32));
		if (slen < 0 || end - p - len - (ptrdiff_t) sizeof(int32) < (ptrdiff_t) slen)
			bad_serialized();
		summary = pf_survival_decode((const uint8 *) p + len + sizeof(int32), (size_t) slen);
		g = group_get(s, p, len);
		if (g->builder != NULL)
			bad_serialized();	/* a group twice */
		group_add(s, g, summary);
		pfree(summary);
		p += len + sizeof(int32) + slen;
	}
	if (p != end)
		bad_serialized();
	PG_RETURN_POINTER(s);
}

/* byte order of names, for the sorted output */
static int
group_cmp(const void *a, const void *b)
{
	const LogrankGroup *x = a;
	const LogrankGroup *y = b;
	int			c = memcmp(x->name, y->name, Min(x->len, y->len));

	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/*
 * The test depends on the order of the times only, so each time is handed
 * to the core as its rank among the distinct times of all groups: exact
 * whatever the unit (microseconds past 2^53 would collide as doubles).
 * A group's times are sorted, so its ranks are found by one walk along the
 * sorted times of all groups, from *at on.
 */
static double
time_rank(const int64 *keys, int64 nkeys, int64 *at, int64 key)
{
	while (*at < nkeys && keys[*at] < key)
		(*at)++;
	if (*at >= nkeys || keys[*at] != key)
		elog(ERROR, "logrank_test: a time missing from the times of all groups");
	return (double) *at;
}

/* the sorted union of the sorted distinct runs a and b, into out; its length */
static int64
merge_runs(const int64 *a, int64 na, const int64 *b, int64 nb, int64 *out)
{
	int64		i = 0;
	int64		j = 0;
	int64		k = 0;

	while (i < na && j < nb)
	{
		if ((k & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (a[i] < b[j])
			out[k++] = a[i++];
		else if (b[j] < a[i])
			out[k++] = b[j++];
		else
		{
			out[k++] = a[i++];
			j++;
		}
	}
	while (i < na)
		out[k++] = a[i++];
	while (j < nb)
		out[k++] = b[j++];
	return k;
}

/* summary as a sample of logrank_core, times as ranks among keys */
static void
group_sample(const PfSurvival *summary, const int64 *keys, int64 nkeys,
			 PfLogrankSample *sample)
{
	int64		n = summary->nentries;
	PfLogrankExit *exits = palloc_extended(sizeof(PfLogrankExit) * Max(n, 1), MCXT_ALLOC_HUGE);
	PfLogrankEntry *entries = NULL;
	int64		nexits = 0;
	int64		nentries = 0;
	int64		subjects = 0;
	int64		entered = 0;
	int64		at = 0;

	for (int64 i = 0; i < n; i++)
	{
		const PfSurvivalEntry *e = &summary->entries[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		subjects += e->events + e->censored;
		entered += e->entered;
		if (e->events + e->censored > 0)
		{
			exits[nexits].time = time_rank(keys, nkeys, &at, e->duration);
			exits[nexits].events = e->events;
			exits[nexits].censored = e->censored;
			nexits++;
		}
	}
	if (entered > 0)
	{
		entries = palloc_extended(sizeof(PfLogrankEntry) * (n + 1), MCXT_ALLOC_HUGE);
		/* those not counted as entering are at risk from the start */
		if (subjects > entered)
		{
			entries[0].time = -INFINITY;
			entries[0].count = subjects - entered;
			nentries = 1;
		}
		at = 0;
		for (int64 i = 0; i < n; i++)
			if (summary->entries[i].entered > 0)
			{
				entries[nentries].time = time_rank(keys, nkeys, &at, summary->entries[i].duration);
				entries[nentries].count = summary->entries[i].entered;
				nentries++;
			}
	}
	sample->exits = exits;
	sample->nexits = nexits;
	sample->entries = entries;
	sample->nentries = nentries;
}

PG_FUNCTION_INFO_V1(logrank_final);
Datum
logrank_final(PG_FUNCTION_ARGS)
{
	LogrankState *s = PG_ARGISNULL(0) ? NULL : (LogrankState *) PG_GETARG_POINTER(0);
	int			k;
	PfLogrankSample *samples;
	PfSurvival **summaries;
	int64	   *keys;
	int64		nkeys = 0;
	Datum	   *names;
	Datum	   *observed;
	Datum	   *expected;
	Datum		values[7];
	bool		nulls[7] = {0};

	if (s == NULL || s->ngroups == 0)
		PG_RETURN_NULL();
	k = s->ngroups;
	qsort(s->groups, k, sizeof(LogrankGroup), group_cmp);
	samples = palloc0(sizeof(PfLogrankSample) * k);
	summaries = palloc(sizeof(PfSurvival *) * k);
	names = palloc(sizeof(Datum) * k);
	observed = palloc(sizeof(Datum) * k);
	expected = palloc(sizeof(Datum) * k);
	for (int g = 0; g < k; g++)
	{
		summaries[g] = group_summary(s, &s->groups[g]);
		nkeys += summaries[g]->nentries;
	}
	/*
	 * The distinct times of all groups, sorted: each group's are, so runs
	 * are merged two at a time, O(N log K) for N times in K groups.
	 */
	{
		int64	   *buf = palloc_extended(sizeof(int64) * Max(nkeys, 1), MCXT_ALLOC_HUGE);
		int64	   *tmp = palloc_extended(sizeof(int64) * Max(nkeys, 1), MCXT_ALLOC_HUGE);
		int64	   *start = palloc(sizeof(int64) * (k + 1));
		int			nruns = k;
		int64		n = 0;

		for (int g = 0; g < k; g++)
		{
			start[g] = n;
			for (int64 i = 0; i < summaries[g]->nentries; i++)
				buf[n++] = summaries[g]->entries[i].duration;
		}
		start[k] = n;
		while (nruns > 1)
		{
			int			out = 0;
			int64		m = 0;

			for (int r = 0; r < nruns; r += 2)
			{
				int64		b = r + 1 < nruns ? start[r + 2] : start[r + 1];

				start[out++] = m;
				m += merge_runs(buf + start[r], start[r + 1] - start[r],
								buf + start[r + 1], b - start[r + 1], tmp + m);
			}
			start[out] = m;
			nruns = out;
			{
				int64	   *t = buf;

				buf = tmp;
				tmp = t;
			}
		}
		keys = buf;
		nkeys = start[nruns];
		pfree(tmp);
		pfree(start);
	}
	for (int g = 0; g < k; g++)
	{
		group_sample(summaries[g], keys, nkeys, &samples[g]);
		names[g] = PointerGetDatum(cstring_to_text_with_len(s->groups[g].name,
															 s->groups[g].len));
	}
	values[0] = Int32GetDatum(k);
	if (k >= 2)
	{
		PfLogrankResult *r = pf_logrank_test(samples, k, 1, s->has_rho ? s->rho : 0.0);

		values[1] = Float8GetDatum(r->chisq);
		values[2] = Int32GetDatum(r->df);
		values[3] = Float8GetDatum(r->p);
		nulls[3] = isnan(r->p);
		for (int g = 0; g < k; g++)
		{
			observed[g] = Float8GetDatum(r->observed[g]);
			expected[g] = Float8GetDatum(r->expected[g]);
		}
		pf_logrank_free(r);
	}
	else
	{
		/* one group: nothing to compare; observed and expected agree */
		double		events = 0.0;

		for (int64 i = 0; i < samples[0].nexits; i++)
			events += (double) samples[0].exits[i].events;
		values[1] = Float8GetDatum(0.0);
		values[2] = Int32GetDatum(0);
		nulls[3] = true;
		observed[0] = expected[0] = Float8GetDatum(events);
	}
	values[4] = PointerGetDatum(construct_array(names, k, TEXTOID, -1, false, TYPALIGN_INT));
	values[5] = PointerGetDatum(construct_array(observed, k, FLOAT8OID, sizeof(float8),
												FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	values[6] = PointerGetDatum(construct_array(expected, k, FLOAT8OID, sizeof(float8),
												FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	PG_RETURN_DATUM(pf_result_tuple(fcinfo, values, nulls));
}

/*-------------------------------------------------------------------------
 *
 * survival_core.c
 *	  The survival summary: builder, merge, Kaplan–Meier accessors, text
 *	  and binary I/O, and the validator they share.  See survival_core.h
 *	  for the definitions and formats.
 *
 *-------------------------------------------------------------------------
 */
#include "survival_core.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "distributions_core.h"

/* The stored layout is fixed: fail to compile if padding ever changes it. */
typedef char pf_survival_header_size_check[
	(offsetof(PfSurvival, entries) == PF_SURV_HEADER_SIZE &&
	 sizeof(PfSurvivalEntry) == 24) ? 1 : -1];

/* Rows pending in a builder before a compaction is worth it. */
#define BUILDER_MIN_FLUSH ((int64_t) 1 << 20)
/* durations below this are counted in the builder's dense array */
#define BUILDER_DENSE_LIMIT ((int64_t) 1 << 16)

/*
 * A product that is exactly 1/2 may come out a few ulps above it; count S
 * within this of 1/2 as reaching it, as R's quantile.survfit does with its
 * own tolerance, so that the median does not hang on rounding.
 */
#define PF_SURV_MEDIAN_SLACK 1e-12

size_t
pf_survival_size(int64_t nentries)
{
	if (nentries < 0 || nentries > PF_SURV_MAX_ENTRIES)
		pf_errorf(PF_ERR_OUT_OF_RANGE, NULL, NULL,
				  "survival summary cannot have %lld entries",
				  (long long) nentries);
	return PF_SURV_HEADER_SIZE + (size_t) nentries * sizeof(PfSurvivalEntry);
}

PfSurvival *
pf_survival_alloc(PfSurvivalUnit unit, int64_t nentries)
{
	PfSurvival *s = pf_alloc0(pf_survival_size(nentries));

	s->version = PF_SURV_VERSION;
	s->unit = (uint8_t) unit;
	s->nentries = nentries;
	return s;
}

const char *
pf_survival_unit_name(PfSurvivalUnit unit)
{
	switch (unit)
	{
		case PF_SURV_UNIT_DAY:
			return "day";
		case PF_SURV_UNIT_MICROSECOND:
			return "microsecond";
	}
	pf_errorf(PF_ERR_INTERNAL, NULL, NULL, "unknown survival unit %d",
			  (int) unit);
}

static inline int64_t
add_count(int64_t x, int64_t y)
{
	if (y > INT64_MAX - x)
		pf_error(PF_ERR_OUT_OF_RANGE, "survival count out of range",
				 "The number of subjects exceeds the range of bigint.", NULL);
	return x + y;
}

/* big-endian int64, for the binary forms */
static inline void
put64(uint8_t *p, int64_t v)
{
	uint64_t	u = (uint64_t) v;
	int			i;

	for (i = 7; i >= 0; i--)
	{
		p[i] = (uint8_t) (u & 0xFF);
		u >>= 8;
	}
}

static inline int64_t
get64(const uint8_t *p)
{
	uint64_t	u = 0;
	int			i;

	for (i = 0; i < 8; i++)
		u = (u << 8) | p[i];
	return (int64_t) u;
}

/* ---------------------------------------------------------------------
 * Validation, shared by every input path
 * ---------------------------------------------------------------------
 */

void
pf_survival_check_header(int64_t version, int64_t unit, int64_t nentries,
					 uint32_t reserved, PfErrorKind kind)
{
	if (version != PF_SURV_VERSION)
		pf_errorf(kind, "Only version 1 is known.", NULL,
				  "unknown survival summary version %lld",
				  (long long) version);
	if (unit != PF_SURV_UNIT_DAY && unit != PF_SURV_UNIT_MICROSECOND)
		pf_errorf(kind, NULL, NULL, "unknown survival summary unit %lld",
				  (long long) unit);
	if (reserved != 0)
		pf_error(kind, "survival summary reserved bytes must be zero",
				 NULL, NULL);
	if (nentries < 0 || nentries > PF_SURV_MAX_ENTRIES)
		pf_errorf(kind, NULL, NULL,
				  "invalid survival summary entry count %lld",
				  (long long) nentries);
}

void
pf_survival_check_begin(PfSurvivalCheck *check)
{
	check->index = 0;
	check->prev_duration = -1;
	check->total = 0;
}

void
pf_survival_check_entry(PfSurvivalCheck *check, const PfSurvivalEntry *e,
					PfErrorKind kind)
{
	long long	i = (long long) check->index;

	if (e->duration < 0)
		pf_errorf(kind, NULL, NULL,
				  "survival summary entry %lld has a negative duration", i);
	if (e->duration <= check->prev_duration)
		pf_errorf(kind, "Durations must be sorted and unique.", NULL,
				  "survival summary durations must be strictly increasing at entry %lld",
				  i);
	if (e->events < 0 || e->censored < 0)
		pf_errorf(kind, NULL, NULL,
				  "survival summary entry %lld has a negative count", i);
	if (e->events == 0 && e->censored == 0)
		pf_errorf(kind, NULL, NULL,
				  "survival summary entry %lld has no event and no censoring",
				  i);
	if (e->events > INT64_MAX - check->total ||
		e->censored > INT64_MAX - check->total - e->events)
		pf_error(kind, "survival summary counts add up beyond bigint",
				 NULL, NULL);
	check->total += e->events + e->censored;
	check->prev_duration = e->duration;
	check->index++;
}

void
pf_survival_validate(const void *buf, size_t len, PfErrorKind kind)
{
	const uint8_t *p = buf;
	PfSurvival	head;
	PfSurvivalCheck check;
	int64_t		i;

	if (len < PF_SURV_HEADER_SIZE)
		pf_error(kind, "survival summary is too short", NULL, NULL);
	memcpy(&head, p, PF_SURV_HEADER_SIZE);
	pf_survival_check_header(head.version, head.unit, head.nentries,
						 head.reserved, kind);
	if (len != PF_SURV_HEADER_SIZE + (size_t) head.nentries * sizeof(PfSurvivalEntry))
		pf_errorf(kind, NULL, NULL,
				  "survival summary of %lld entries has the wrong size %zu",
				  (long long) head.nentries, len);
	pf_survival_check_begin(&check);
	for (i = 0; i < head.nentries; i++)
	{
		PfSurvivalEntry e;

		memcpy(&e, p + PF_SURV_HEADER_SIZE + i * sizeof(PfSurvivalEntry),
			   sizeof(e));
		pf_survival_check_entry(&check, &e, kind);
	}
}

/* ---------------------------------------------------------------------
 * Sorting and compressing entries
 * ---------------------------------------------------------------------
 */

/*
 * Sort by duration (all >= 0): LSD radix sort on the bytes that vary, so
 * day-scale durations take two passes.  tmp holds n entries.
 */
static void
sort_entries(PfSurvivalEntry *e, int64_t n, PfSurvivalEntry *tmp)
{
	uint64_t	all_and = UINT64_MAX;
	uint64_t	all_or = 0;
	uint64_t	varying;
	PfSurvivalEntry *src = e;
	PfSurvivalEntry *dst = tmp;
	int64_t		i;
	int			shift;

	if (n < 2)
		return;
	if (n < 32)
	{
		for (i = 1; i < n; i++)
		{
			PfSurvivalEntry x = e[i];
			int64_t		j = i;

			while (j > 0 && e[j - 1].duration > x.duration)
			{
				e[j] = e[j - 1];
				j--;
			}
			e[j] = x;
		}
		return;
	}

	for (i = 0; i < n; i++)
	{
		all_and &= (uint64_t) e[i].duration;
		all_or |= (uint64_t) e[i].duration;
	}
	varying = all_and ^ all_or;

	for (shift = 0; shift < 64; shift += 8)
	{
		int64_t		count[257];
		int			k;
		PfSurvivalEntry *t;

		if (((varying >> shift) & 0xFF) == 0)
			continue;
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(((uint64_t) src[i].duration >> shift) & 0xFF) + 1]++;
		for (k = 0; k < 256; k++)
			count[k + 1] += count[k];
		for (i = 0; i < n; i++)
			dst[count[((uint64_t) src[i].duration >> shift) & 0xFF]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != e)
		memcpy(e, src, n * sizeof(PfSurvivalEntry));
}

/* Sum the counts of equal neighbours of a sorted run; returns its length. */
static int64_t
compress_entries(PfSurvivalEntry *e, int64_t n)
{
	int64_t		out = 0;
	int64_t		i;

	for (i = 0; i < n; i++)
	{
		if (out > 0 && e[out - 1].duration == e[i].duration)
		{
			e[out - 1].events = add_count(e[out - 1].events, e[i].events);
			e[out - 1].censored = add_count(e[out - 1].censored,
											e[i].censored);
		}
		else
			e[out++] = e[i];
	}
	return out;
}

/* Merge two sorted unique runs into out (room for nx + ny); its length. */
static int64_t
merge_entries(const PfSurvivalEntry *x, int64_t nx, const PfSurvivalEntry *y,
			  int64_t ny, PfSurvivalEntry *out)
{
	int64_t		i = 0;
	int64_t		j = 0;
	int64_t		k = 0;

	while (i < nx && j < ny)
	{
		if (x[i].duration < y[j].duration)
			out[k++] = x[i++];
		else if (y[j].duration < x[i].duration)
			out[k++] = y[j++];
		else
		{
			out[k].duration = x[i].duration;
			out[k].events = add_count(x[i].events, y[j].events);
			out[k].censored = add_count(x[i].censored, y[j].censored);
			k++;
			i++;
			j++;
		}
	}
	while (i < nx)
		out[k++] = x[i++];
	while (j < ny)
		out[k++] = y[j++];
	return k;
}

/* Sum of all counts, guarding the range. */
static int64_t
total_count(const PfSurvivalEntry *e, int64_t n)
{
	int64_t		total = 0;
	int64_t		i;

	for (i = 0; i < n; i++)
		total = add_count(add_count(total, e[i].events), e[i].censored);
	return total;
}

static void
check_same_unit(int x, int y)
{
	if (x != y)
		pf_errorf(PF_ERR_INVALID_PARAMETER,
				  "Survival summaries can only be merged when measured in the same unit.",
				  NULL,
				  "cannot merge survival summaries in %s and in %s",
				  pf_survival_unit_name((PfSurvivalUnit) x),
				  pf_survival_unit_name((PfSurvivalUnit) y));
}

/* Length of the merge of two sorted unique runs. */
static int64_t
merged_length(const PfSurvivalEntry *x, int64_t nx, const PfSurvivalEntry *y,
			  int64_t ny)
{
	int64_t		n = 0;
	int64_t		i = 0;
	int64_t		j = 0;

	while (i < nx && j < ny)
	{
		int64_t		dx = x[i].duration;
		int64_t		dy = y[j].duration;

		i += dx <= dy;
		j += dy <= dx;
		n++;
	}
	return n + (nx - i) + (ny - j);
}

PfSurvival *
pf_survival_merge(const PfSurvival *x, const PfSurvival *y)
{
	PfSurvival *s;

	check_same_unit(x->unit, y->unit);

	/*
	 * The union's total bounds every count of it, so once it fits nothing
	 * can fail below and nothing is allocated in vain.
	 */
	add_count(total_count(x->entries, x->nentries),
			  total_count(y->entries, y->nentries));
	s = pf_survival_alloc((PfSurvivalUnit) x->unit,
					  merged_length(x->entries, x->nentries,
									y->entries, y->nentries));
	merge_entries(x->entries, x->nentries, y->entries, y->nentries,
				  s->entries);
	return s;
}

/* ---------------------------------------------------------------------
 * Builder
 * ---------------------------------------------------------------------
 */

PfSurvivalBuilder *
pf_survival_builder_create(PfSurvivalUnit unit)
{
	PfSurvivalBuilder *b = pf_alloc0(sizeof(PfSurvivalBuilder));

	(void) pf_survival_unit_name(unit);
	b->unit = (uint8_t) unit;
	return b;
}

void
pf_survival_builder_free(PfSurvivalBuilder *b)
{
	if (b->entries)
		pf_free(b->entries);
	if (b->dense)
		pf_free(b->dense);
	pf_free(b);
}

/* Sort and compress the pending rows, and merge them into the sorted ones. */
static void
builder_flush(PfSurvivalBuilder *b)
{
	int64_t		npending = b->n - b->nsorted;
	PfSurvivalEntry *pending;
	PfSurvivalEntry *tmp;
	int64_t		n;

	if (npending == 0)
		return;
	pending = b->entries + b->nsorted;
	/* tmp serves the sort, then receives the merge, then replaces entries */
	tmp = pf_alloc((size_t) b->n * sizeof(PfSurvivalEntry));
	sort_entries(pending, npending, tmp);
	npending = compress_entries(pending, npending);
	n = merge_entries(b->entries, b->nsorted, pending, npending, tmp);
	pf_free(b->entries);
	b->entries = tmp;
	b->cap = b->n;
	b->nsorted = b->n = n;
	if (n > PF_SURV_MAX_ENTRIES)
		pf_error(PF_ERR_OUT_OF_RANGE,
				 "survival summary has too many distinct durations",
				 "A summary holds at most about 44 million distinct durations.",
				 "Measure in days, or split the data into groups.");
}

static void
builder_append(PfSurvivalBuilder *b, const PfSurvivalEntry *e)
{
	if (b->n - b->nsorted >= BUILDER_MIN_FLUSH &&
		b->n - b->nsorted >= b->nsorted)
		builder_flush(b);
	if (b->n == b->cap)
	{
		int64_t		cap = b->cap < 64 ? 64 : b->cap * 2;

		b->entries = pf_realloc(b->entries, (size_t) cap * sizeof(PfSurvivalEntry));
		b->cap = cap;
	}
	b->entries[b->n++] = *e;
}

/* room in the dense array for duration d < BUILDER_DENSE_LIMIT */
static void
builder_dense_reserve(PfSurvivalBuilder *b, int64_t d)
{
	int64_t		n = b->ndense < 1024 ? 1024 : b->ndense;

	while (n <= d)
		n *= 2;
	b->dense = pf_realloc(b->dense, (size_t) n * 2 * sizeof(int64_t));
	memset(b->dense + 2 * b->ndense, 0,
		   (size_t) (n - b->ndense) * 2 * sizeof(int64_t));
	b->ndense = n;
}

/* add counts to the dense slot of a short duration */
static inline void
builder_dense_add(PfSurvivalBuilder *b, int64_t d, int64_t events,
				  int64_t censored)
{
	if (d >= b->ndense)
		builder_dense_reserve(b, d);
	b->dense[2 * d] = add_count(b->dense[2 * d], events);
	b->dense[2 * d + 1] = add_count(b->dense[2 * d + 1], censored);
}

/* the dense counts as sorted entries, pf_alloc'd; their number in *n */
static PfSurvivalEntry *
builder_dense_entries(const PfSurvivalBuilder *b, int64_t *n)
{
	PfSurvivalEntry *e;
	int64_t		k = 0;

	*n = 0;
	if (b->ndense == 0)
		return NULL;
	for (int64_t d = 0; d < b->ndense; d++)
		if (b->dense[2 * d] != 0 || b->dense[2 * d + 1] != 0)
			k++;
	e = pf_alloc((size_t) (k > 0 ? k : 1) * sizeof(PfSurvivalEntry));
	k = 0;
	for (int64_t d = 0; d < b->ndense; d++)
		if (b->dense[2 * d] != 0 || b->dense[2 * d + 1] != 0)
		{
			e[k].duration = d;
			e[k].events = b->dense[2 * d];
			e[k].censored = b->dense[2 * d + 1];
			k++;
		}
	*n = k;
	return e;
}

void
pf_survival_builder_add_duration(PfSurvivalBuilder *b, int64_t duration,
							 bool is_event)
{
	PfSurvivalEntry e;

	if (duration < 0)
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "survival duration must not be negative", NULL, NULL);
	if (duration < BUILDER_DENSE_LIMIT)
	{
		builder_dense_add(b, duration, is_event ? 1 : 0, is_event ? 0 : 1);
		return;
	}
	e.duration = duration;
	e.events = is_event ? 1 : 0;
	e.censored = is_event ? 0 : 1;
	builder_append(b, &e);
}

/* hi - lo for hi >= lo, reporting a difference beyond int64 */
static int64_t
duration_between(int64_t lo, int64_t hi)
{
	uint64_t	d = (uint64_t) hi - (uint64_t) lo;

	if (d > (uint64_t) INT64_MAX)
		pf_error(PF_ERR_OUT_OF_RANGE, "spell duration out of range",
				 "The duration exceeds the range of bigint.", NULL);
	return (int64_t) d;
}

void
pf_survival_builder_add_spell_any(PfSurvivalBuilder *b, int64_t a, int64_t end,
							  bool b_ongoing, int64_t as_of)
{
	if (!b->has_as_of)
	{
		b->has_as_of = true;
		b->as_of = as_of;
	}
	else if (b->as_of != as_of)
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "as_of must be the same for all rows of a group",
				 "Rows of one group carry different as_of values.",
				 "Pass as_of as a constant.");

	if (a > as_of || (!b_ongoing && end <= a))
		return;
	if (!b_ongoing && end <= as_of)
		pf_survival_builder_add_duration(b, duration_between(a, end), true);
	else
		pf_survival_builder_add_duration(b, duration_between(a, as_of), false);
}

void
pf_survival_builder_add_summary(PfSurvivalBuilder *b, const PfSurvival *s)
{
	int64_t		i;

	check_same_unit(b->unit, s->unit);
	for (i = 0; i < s->nentries; i++)
		builder_append(b, &s->entries[i]);
}

void
pf_survival_builder_combine(PfSurvivalBuilder *dst, const PfSurvivalBuilder *src)
{
	int64_t		i;

	check_same_unit(dst->unit, src->unit);
	if (src->has_as_of)
	{
		if (!dst->has_as_of)
		{
			dst->has_as_of = true;
			dst->as_of = src->as_of;
		}
		else if (dst->as_of != src->as_of)
			pf_error(PF_ERR_INVALID_PARAMETER,
					 "as_of must be the same for all rows of a group",
					 "Two partial states carry different as_of values.",
					 "Pass as_of as a constant.");
	}
	for (i = 0; i < src->n; i++)
		builder_append(dst, &src->entries[i]);
	for (i = 0; i < src->ndense; i++)
		if (src->dense[2 * i] != 0 || src->dense[2 * i + 1] != 0)
			builder_dense_add(dst, i, src->dense[2 * i], src->dense[2 * i + 1]);
}

PfSurvival *
pf_survival_builder_finish(const PfSurvivalBuilder *b)
{
	int64_t		npending = b->n - b->nsorted;
	PfSurvivalEntry *pending = NULL;
	PfSurvival *s;
	int64_t		ndense;
	PfSurvivalEntry *dense = builder_dense_entries(b, &ndense);

	/* the total bounds every count, so nothing below fails once it fits */
	add_count(add_count(total_count(b->entries, b->nsorted),
						npending > 0 ? total_count(b->entries + b->nsorted, npending) : 0),
			  total_count(dense, ndense));
	if (npending > 0)
	{
		PfSurvivalEntry *tmp = pf_alloc((size_t) npending * sizeof(PfSurvivalEntry));

		pending = pf_alloc((size_t) npending * sizeof(PfSurvivalEntry));
		memcpy(pending, b->entries + b->nsorted,
			   (size_t) npending * sizeof(PfSurvivalEntry));
		sort_entries(pending, npending, tmp);
		npending = compress_entries(pending, npending);
		pf_free(tmp);
	}
	if (ndense > 0)
	{
		/* fold the dense entries into the pending ones */
		PfSurvivalEntry *both = pf_alloc((size_t) (npending + ndense) * sizeof(PfSurvivalEntry));

		npending = merge_entries(pending, npending, dense, ndense, both);
		if (pending)
			pf_free(pending);
		pending = both;
	}
	s = pf_survival_alloc((PfSurvivalUnit) b->unit,
					  merged_length(b->entries, b->nsorted, pending, npending));
	merge_entries(b->entries, b->nsorted, pending, npending, s->entries);
	if (pending)
		pf_free(pending);
	if (dense)
		pf_free(dense);
	return s;
}

/*
 * Builder serialization for parallel aggregation: a flag byte (1 when
 * as_of is set), as_of as a big-endian int64, then the binary form of the
 * summary built so far.
 */
uint8_t *
pf_survival_builder_serialize(const PfSurvivalBuilder *b, size_t *len)
{
	PfSurvival *s = pf_survival_builder_finish(b);
	size_t		slen;
	uint8_t    *wire = pf_survival_send(s, &slen);
	uint8_t    *buf = pf_alloc(9 + slen);

	buf[0] = b->has_as_of ? 1 : 0;
	put64(buf + 1, b->has_as_of ? b->as_of : 0);
	memcpy(buf + 9, wire, slen);
	pf_free(wire);
	pf_free(s);
	*len = 9 + slen;
	return buf;
}

PfSurvivalBuilder *
pf_survival_builder_deserialize(const uint8_t *buf, size_t len)
{
	PfSurvival *s;
	PfSurvivalBuilder *b;

	if (len < 9 || buf[0] > 1 || (buf[0] == 0 && get64(buf + 1) != 0))
		pf_error(PF_ERR_INVALID_BINARY, "invalid survival aggregate state",
				 NULL, NULL);
	s = pf_survival_recv(buf + 9, len - 9);
	b = pf_survival_builder_create((PfSurvivalUnit) s->unit);
	b->has_as_of = buf[0] == 1;
	b->as_of = b->has_as_of ? get64(buf + 1) : 0;
	if (s->nentries > 0)
	{
		b->entries = pf_alloc((size_t) s->nentries * sizeof(PfSurvivalEntry));
		memcpy(b->entries, s->entries,
			   (size_t) s->nentries * sizeof(PfSurvivalEntry));
	}
	b->nsorted = b->n = b->cap = s->nentries;
	pf_free(s);
	return b;
}

/* ---------------------------------------------------------------------
 * Kaplan–Meier accessors
 * ---------------------------------------------------------------------
 */

double
pf_survival_at(const PfSurvival *s, int64_t t)
{
	int64_t		n = total_count(s->entries, s->nentries);
	double		surv = 1.0;
	int64_t		i;

	for (i = 0; i < s->nentries && s->entries[i].duration <= t; i++)
	{
		const PfSurvivalEntry *e = &s->entries[i];

		if (e->events > 0)
			surv *= (double) (n - e->events) / (double) n;
		n -= e->events + e->censored;
	}
	return surv;
}

bool
pf_survival_median(const PfSurvival *s, int64_t *median)
{
	int64_t		n = total_count(s->entries, s->nentries);
	double		surv = 1.0;
	int64_t		i;

	for (i = 0; i < s->nentries; i++)
	{
		const PfSurvivalEntry *e = &s->entries[i];

		if (e->events > 0)
		{
			surv *= (double) (n - e->events) / (double) n;
			if (surv <= 0.5 + PF_SURV_MEDIAN_SLACK)
			{
				*median = e->duration;
				return true;
			}
		}
		n -= e->events + e->censored;
	}
	return false;
}

int64_t
pf_survival_curve(const PfSurvival *s, double conf, PfSurvivalCurveRow **rows)
{
	int64_t		n;
	double		surv = 1.0;
	double		greenwood = 0.0;	/* sum d / (n (n - d)) */
	double		z;
	int64_t		i;
	PfSurvivalCurveRow *out;

	if (!(conf > 0.0 && conf < 1.0))
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "confidence level must be between 0 and 1",
				 "The level is a probability such as 0.95.", NULL);
	n = total_count(s->entries, s->nentries);
	*rows = NULL;
	if (s->nentries == 0)
		return 0;
	/* from the lower tail: (1 + conf) / 2 rounds to 1 for conf near 1 */
	z = -pf_distributions_norm_ppf((1.0 - conf) / 2.0);
	out = pf_alloc0((size_t) s->nentries * sizeof(PfSurvivalCurveRow));

	for (i = 0; i < s->nentries; i++)
	{
		const PfSurvivalEntry *e = &s->entries[i];
		PfSurvivalCurveRow *r = &out[i];

		r->duration = e->duration;
		r->at_risk = n;
		r->events = e->events;
		r->censored = e->censored;
		if (e->events > 0)
		{
			surv *= (double) (n - e->events) / (double) n;
			/* n == d makes S zero, after which nothing is at risk */
			if (n > e->events)
				greenwood += (double) e->events /
					((double) n * (double) (n - e->events));
		}
		r->survival = surv;
		if (surv > 0.0)
		{
			r->std_err = surv * sqrt(greenwood);
			r->std_err_valid = true;
		}
		if (surv > 0.0 && surv < 1.0)
		{
			double		se = sqrt(greenwood) / fabs(log(surv));

			/* S < 1, so the larger exponent gives the lower limit */
			r->ci_low = pow(surv, exp(z * se));
			r->ci_high = pow(surv, exp(-z * se));
			r->ci_valid = true;
		}
		n -= e->events + e->censored;
	}
	*rows = out;
	return s->nentries;
}

/* ---------------------------------------------------------------------
 * Text I/O
 * ---------------------------------------------------------------------
 */

char *
pf_survival_out(const PfSurvival *s)
{
	/* three int64 of at most 20 characters each, brackets and commas */
	size_t		size = 64 + (size_t) s->nentries * (3 * 20 + 5);
	char	   *buf = pf_alloc(size);
	char	   *p = buf;
	int64_t		i;

	p += sprintf(p, "{\"version\":%d,\"unit\":\"%s\",\"entries\":[",
				 (int) s->version, pf_survival_unit_name((PfSurvivalUnit) s->unit));
	for (i = 0; i < s->nentries; i++)
		p += sprintf(p, "%s[%lld,%lld,%lld]", i > 0 ? "," : "",
					 (long long) s->entries[i].duration,
					 (long long) s->entries[i].events,
					 (long long) s->entries[i].censored);
	strcpy(p, "]}");
	return buf;
}

typedef struct TextCursor
{
	const char *start;
	const char *p;
} TextCursor;

static void PF_NORETURN
text_error(const TextCursor *c, const char *what)
{
	if (*c->p == '\0')
		pf_errorf(PF_ERR_INVALID_TEXT,
				  "The text of a survival summary looks like {\"version\":1,\"unit\":\"day\",\"entries\":[[duration,events,censored],...]}.",
				  NULL,
				  "invalid input syntax for survival summary: %s at end of input",
				  what);
	pf_errorf(PF_ERR_INVALID_TEXT,
			  "The text of a survival summary looks like {\"version\":1,\"unit\":\"day\",\"entries\":[[duration,events,censored],...]}.",
			  NULL,
			  "invalid input syntax for survival summary: %s at character %d",
			  what, (int) (c->p - c->start) + 1);
}

static void
skip_space(TextCursor *c)
{
	while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')
		c->p++;
}

/* Consume token (after white space) or fail with "expected token". */
static void
expect(TextCursor *c, const char *token)
{
	size_t		len = strlen(token);

	skip_space(c);
	if (strncmp(c->p, token, len) != 0)
	{
		char		what[64];

		snprintf(what, sizeof(what), "expected %s", token);
		text_error(c, what);
	}
	c->p += len;
}

/* Consume token when it comes next. */
static bool
accept(TextCursor *c, char token)
{
	skip_space(c);
	if (*c->p != token)
		return false;
	c->p++;
	return true;
}

/* A JSON integer within int64. */
static int64_t
parse_int64(TextCursor *c)
{
	bool		negative = false;
	uint64_t	limit;
	uint64_t	v = 0;
	const char *digits;

	skip_space(c);
	if (*c->p == '-')
	{
		negative = true;
		c->p++;
	}
	limit = negative ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
	digits = c->p;
	if (*c->p < '0' || *c->p > '9')
		text_error(c, "expected a digit");
	if (*c->p == '0' && c->p[1] >= '0' && c->p[1] <= '9')
		text_error(c, "leading zero");
	while (*c->p >= '0' && *c->p <= '9')
	{
		uint64_t	d = (uint64_t) (*c->p - '0');

		if (v > (limit - d) / 10)
		{
			c->p = digits;
			text_error(c, "integer out of range");
		}
		v = v * 10 + d;
		c->p++;
	}
	if (*c->p == '.' || *c->p == 'e' || *c->p == 'E')
		text_error(c, "expected an integer");
	if (negative)
		return v == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) v;
	return (int64_t) v;
}

/*
 * Parse and validate str; with out NULL only count the entries, otherwise
 * fill out's entries.  Two passes allocate nothing before the input is
 * known to be valid, so an error leaks nothing even without memory
 * contexts (unit tests, fuzzing).
 */
static int64_t
parse_text(const char *str, int64_t *unit_out, PfSurvival *out)
{
	TextCursor	c;
	int64_t		version;
	int64_t		unit = 0;
	int64_t		n = 0;
	PfSurvivalCheck check;

	c.start = c.p = str;
	expect(&c, "{");
	expect(&c, "\"version\"");
	expect(&c, ":");
	version = parse_int64(&c);
	pf_survival_check_header(version, PF_SURV_UNIT_DAY, 0, 0, PF_ERR_INVALID_TEXT);
	expect(&c, ",");
	expect(&c, "\"unit\"");
	expect(&c, ":");
	skip_space(&c);
	if (strncmp(c.p, "\"day\"", 5) == 0)
	{
		unit = PF_SURV_UNIT_DAY;
		c.p += 5;
	}
	else if (strncmp(c.p, "\"microsecond\"", 13) == 0)
	{
		unit = PF_SURV_UNIT_MICROSECOND;
		c.p += 13;
	}
	else
		text_error(&c, "expected \"day\" or \"microsecond\"");
	expect(&c, ",");
	expect(&c, "\"entries\"");
	expect(&c, ":");
	expect(&c, "[");

	pf_survival_check_begin(&check);
	if (!accept(&c, ']'))
	{
		do
		{
			PfSurvivalEntry e;

			expect(&c, "[");
			e.duration = parse_int64(&c);
			expect(&c, ",");
			e.events = parse_int64(&c);
			expect(&c, ",");
			e.censored = parse_int64(&c);
			expect(&c, "]");
			pf_survival_check_header(version, unit, n + 1, 0, PF_ERR_INVALID_TEXT);
			pf_survival_check_entry(&check, &e, PF_ERR_INVALID_TEXT);
			if (out != NULL)
				out->entries[n] = e;
			n++;
		} while (accept(&c, ','));
		expect(&c, "]");
	}
	expect(&c, "}");
	skip_space(&c);
	if (*c.p != '\0')
		text_error(&c, "unexpected text after the summary");
	*unit_out = unit;
	return n;
}

PfSurvival *
pf_survival_in(const char *str)
{
	int64_t		unit;
	int64_t		n = parse_text(str, &unit, NULL);
	PfSurvival *s = pf_survival_alloc((PfSurvivalUnit) unit, n);

	parse_text(str, &unit, s);
	return s;
}

/* ---------------------------------------------------------------------
 * Binary I/O
 * ---------------------------------------------------------------------
 */

static inline void
get_entry(const uint8_t *p, PfSurvivalEntry *e)
{
	e->duration = get64(p);
	e->events = get64(p + 8);
	e->censored = get64(p + 16);
}

uint8_t *
pf_survival_send(const PfSurvival *s, size_t *len)
{
	size_t		size = PF_SURV_WIRE_HEADER_SIZE +
		(size_t) s->nentries * sizeof(PfSurvivalEntry);
	uint8_t    *buf = pf_alloc(size);
	uint8_t    *p = buf;
	int64_t		i;

	p[0] = s->version;
	p[1] = s->unit;
	p[2] = (uint8_t) (s->reserved >> 8);
	p[3] = (uint8_t) (s->reserved & 0xFF);
	put64(p + 4, s->nentries);
	p += PF_SURV_WIRE_HEADER_SIZE;
	for (i = 0; i < s->nentries; i++, p += 24)
	{
		put64(p, s->entries[i].duration);
		put64(p + 8, s->entries[i].events);
		put64(p + 16, s->entries[i].censored);
	}
	*len = size;
	return buf;
}

PfSurvival *
pf_survival_recv(const uint8_t *buf, size_t len)
{
	int64_t		nentries;
	PfSurvivalCheck check;
	PfSurvival *s;
	int64_t		i;

	if (len < PF_SURV_WIRE_HEADER_SIZE)
		pf_error(PF_ERR_INVALID_BINARY, "survival summary is too short",
				 NULL, NULL);
	nentries = get64(buf + 4);
	pf_survival_check_header(buf[0], buf[1], nentries,
						 ((uint32_t) buf[2] << 8) | buf[3],
						 PF_ERR_INVALID_BINARY);
	if (len != PF_SURV_WIRE_HEADER_SIZE + (size_t) nentries * sizeof(PfSurvivalEntry))
		pf_errorf(PF_ERR_INVALID_BINARY, NULL, NULL,
				  "survival summary of %lld entries has the wrong size %zu",
				  (long long) nentries, len);

	/* check everything before allocating, so that an error leaks nothing */
	pf_survival_check_begin(&check);
	for (i = 0; i < nentries; i++)
	{
		PfSurvivalEntry e;

		get_entry(buf + PF_SURV_WIRE_HEADER_SIZE + i * 24, &e);
		pf_survival_check_entry(&check, &e, PF_ERR_INVALID_BINARY);
	}
	s = pf_survival_alloc((PfSurvivalUnit) buf[1], nentries);
	for (i = 0; i < nentries; i++)
		get_entry(buf + PF_SURV_WIRE_HEADER_SIZE + i * 24, &s->entries[i]);
	return s;
}

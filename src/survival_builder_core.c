/*-------------------------------------------------------------------------
 *
 * survival_builder_core.c
 *	  Building survival summaries from spells, durations and other
 *	  summaries: the dense counts, the radix sort of the pending rows and
 *	  the merge into the sorted entries.  See survival_builder_core.h.
 *
 *-------------------------------------------------------------------------
 */
#include "survival_builder_core.h"

#include <string.h>

/* Rows pending in a builder before a merge is worth it. */
#define MIN_FLUSH ((int64_t) 1 << 20)
/* durations below this are counted in the builder's dense array */
#define DENSE_LIMIT ((int64_t) 1 << 16)
/* the dense array's first size, in durations */
#define DENSE_MIN 64

PfSurvivalBuilder *
pf_survival_builder_create(int unit)
{
	PfSurvivalBuilder *b;

	(void) pf_survival_unit_name(unit);
	b = pf_alloc0(sizeof(PfSurvivalBuilder));
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
	if (b->dense_entered)
		pf_free(b->dense_entered);
	if (b->tally)
		pf_free(b->tally);
	pf_free(b);
}

/* ---------------------------------------------------------------------
 * Sorting and merging entries
 * ---------------------------------------------------------------------
 */

/* the sort key of a time key: its bits with the sign flipped, unsigned */
#define SORT_KEY(d) ((uint64_t) (d) ^ (UINT64_C(1) << 63))

/*
 * Sort by time key (negative ones too, for unit number): LSD radix sort on
 * the bytes that vary, so day-scale durations take two passes.  e and tmp hold n entries each;
 * returns the one that holds the sorted entries.
 */
static PfSurvivalEntry *
sort_entries(PfSurvivalEntry *e, int64_t n, PfSurvivalEntry *tmp)
{
	uint64_t	all_and = UINT64_MAX;
	uint64_t	all_or = 0;
	uint64_t	varying;
	PfSurvivalEntry *src = e;
	PfSurvivalEntry *dst = tmp;

	if (n < 32)
	{
		for (int64_t i = 1; i < n; i++)
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
		return e;
	}

	for (int64_t i = 0; i < n; i++)
	{
		PF_INTERRUPT_EVERY(i);
		all_and &= SORT_KEY(e[i].duration);
		all_or |= SORT_KEY(e[i].duration);
	}
	varying = all_and ^ all_or;

	for (int shift = 0; shift < 64; shift += 8)
	{
		int64_t		count[257];
		PfSurvivalEntry *t;

		if (((varying >> shift) & 0xFF) == 0)
			continue;
		memset(count, 0, sizeof(count));
		for (int64_t i = 0; i < n; i++)
		{
			PF_INTERRUPT_EVERY(i);
			count[((SORT_KEY(src[i].duration) >> shift) & 0xFF) + 1]++;
		}
		for (int k = 0; k < 256; k++)
			count[k + 1] += count[k];
		for (int64_t i = 0; i < n; i++)
		{
			PF_INTERRUPT_EVERY(i);
			dst[count[(SORT_KEY(src[i].duration) >> shift) & 0xFF]++] = src[i];
		}
		t = src;
		src = dst;
		dst = t;
	}
	return src;
}

/*
 * Sum the counts of equal neighbours of a sorted run; returns its length.
 * The caller has checked that the counts add up within int64.
 */
static int64_t
compress_entries(PfSurvivalEntry *e, int64_t n)
{
	int64_t		out = 0;

	for (int64_t i = 0; i < n; i++)
	{
		PF_INTERRUPT_EVERY(i);
		if (out > 0 && e[out - 1].duration == e[i].duration)
		{
			e[out - 1].events += e[i].events;
			e[out - 1].censored += e[i].censored;
			e[out - 1].entered += e[i].entered;
		}
		else
			e[out++] = e[i];
	}
	return out;
}

/*
 * Merge the sorted unique run y[0, ny) into the sorted unique run
 * e[0, ne), in place: e has room for ne + ny entries.  Backwards from the
 * end, so that every write lands on an entry already read; a gap left by
 * equal durations is closed at the end.  Returns the merged length.  The
 * caller has checked that the counts add up within int64.
 */
static int64_t
merge_into(PfSurvivalEntry *e, int64_t ne, const PfSurvivalEntry *y, int64_t ny)
{
	int64_t		i = ne - 1;
	int64_t		j = ny - 1;
	int64_t		k = ne + ny - 1;	/* the next write */
	int64_t		steps = 0;

	while (j >= 0)
	{
		PF_INTERRUPT_EVERY(steps);
		steps++;
		if (i >= 0 && e[i].duration > y[j].duration)
			e[k--] = e[i--];
		else if (i >= 0 && e[i].duration == y[j].duration)
		{
			e[k].duration = y[j].duration;
			e[k].events = e[i].events + y[j].events;
			e[k].censored = e[i].censored + y[j].censored;
			e[k].entered = e[i].entered + y[j].entered;
			k--;
			i--;
			j--;
		}
		else
			e[k--] = y[j--];
	}
	/* e[0, i] is in place; the merged rest is at e[k + 1, ne + ny) */
	if (k != i)
		memmove(e + i + 1, e + k + 1,
				(size_t) (ne + ny - 1 - k) * sizeof(PfSurvivalEntry));
	return i + 1 + (ne + ny - 1 - k);
}

/* room for need entries */
static void
reserve(PfSurvivalBuilder *b, int64_t need)
{
	int64_t		cap = b->cap < 64 ? 64 : b->cap;

	if (need <= b->cap)
		return;
	while (cap < need)
		cap *= 2;
	b->entries = pf_realloc(b->entries, (size_t) cap * sizeof(PfSurvivalEntry));
	b->cap = cap;
}

/* the entries merged into the sorted ones, and the size of the result checked */
static void
merge_sorted(PfSurvivalBuilder *b, const PfSurvivalEntry *y, int64_t ny)
{
	b->nsorted = b->n = merge_into(b->entries, b->nsorted, y, ny);
	(void) pf_survival_size(b->nsorted);
}

/* PF_ERR_OUT_OF_RANGE unless every count of entries adds up within int64 */
static void
check_total(const PfSurvivalEntry *e, int64_t n)
{
	int64_t		total = pf_survival_total(e, n);

	pf_count_add(&total, pf_survival_entered(e, n));
}

/* Sort and compress the pending rows, and merge them into the sorted ones. */
static void
flush(PfSurvivalBuilder *b)
{
	int64_t		npending = b->n - b->nsorted;
	PfSurvivalEntry *tmp;
	PfSurvivalEntry *sorted;

	if (npending == 0)
		return;
	/* the total bounds every count, so nothing below can overflow */
	check_total(b->entries, b->n);
	tmp = pf_alloc((size_t) npending * sizeof(PfSurvivalEntry));
	sorted = sort_entries(b->entries + b->nsorted, npending, tmp);
	if (sorted != tmp)
		memcpy(tmp, sorted, (size_t) npending * sizeof(PfSurvivalEntry));
	npending = compress_entries(tmp, npending);
	b->n = b->nsorted;
	merge_sorted(b, tmp, npending);
	pf_free(tmp);
}

/* whether dense slot d holds any count */
static inline bool
dense_used(const PfSurvivalBuilder *b, int64_t d)
{
	return b->dense[2 * d] != 0 || b->dense[2 * d + 1] != 0 ||
		(b->dense_entered != NULL && b->dense_entered[d] != 0);
}

/* the tally's room: full when the inline path may count, else none */
static void
tally_refill(PfSurvivalBuilder *b)
{
	b->tally_room = b->tally != NULL && b->has_as_of && !b->has_observed_from ?
		UINT32_MAX : 0;
}

/*
 * A tally for the dense counts, only where the inline path can use it
 * (spells seen at as_of, without observed_from): other builders would hold
 * and scan it for nothing.
 */
static void
tally_setup(PfSurvivalBuilder *b)
{
	if (b->tally == NULL && b->ndense > 0 && b->has_as_of && !b->has_observed_from)
	{
		b->tally = pf_alloc0((size_t) b->ndense * 2 * sizeof(uint32_t));
		tally_refill(b);
	}
}

/* Add the tally's counts to dense, zero it and give it its room again. */
static void
fold_tally(PfSurvivalBuilder *b)
{
	if (b->tally == NULL)
		return;
	for (int64_t i = 0; i < 2 * b->ndense; i++)
	{
		PF_INTERRUPT_EVERY(i);
		pf_count_add(&b->dense[i], b->tally[i]);
	}
	memset(b->tally, 0, (size_t) b->ndense * 2 * sizeof(uint32_t));
	tally_refill(b);
}

/* Fold the dense counts into the sorted entries and free them. */
static void
fold_dense(PfSurvivalBuilder *b)
{
	int64_t		total;
	int64_t		k = 0;
	PfSurvivalEntry *e;

	if (b->ndense == 0)
		return;
	fold_tally(b);
	total = pf_survival_total(b->entries, b->nsorted);
	pf_count_add(&total, pf_survival_entered(b->entries, b->nsorted));
	for (int64_t d = 0; d < b->ndense; d++)
	{
		PF_INTERRUPT_EVERY(d);
		if (dense_used(b, d))
		{
			pf_count_add(&total, b->dense[2 * d]);
			pf_count_add(&total, b->dense[2 * d + 1]);
			if (b->dense_entered != NULL)
				pf_count_add(&total, b->dense_entered[d]);
			k++;
		}
	}
	e = pf_alloc((size_t) (k > 0 ? k : 1) * sizeof(PfSurvivalEntry));
	k = 0;
	for (int64_t d = 0; d < b->ndense; d++)
	{
		PF_INTERRUPT_EVERY(d);
		if (dense_used(b, d))
		{
			e[k].duration = d;
			e[k].events = b->dense[2 * d];
			e[k].censored = b->dense[2 * d + 1];
			e[k].entered = b->dense_entered != NULL ? b->dense_entered[d] : 0;
			k++;
		}
	}
	reserve(b, b->nsorted + k);
	merge_sorted(b, e, k);
	pf_free(e);
	pf_free(b->dense);
	b->dense = NULL;
	pf_free(b->tally);
	b->tally = NULL;
	b->tally_room = 0;
	if (b->dense_entered != NULL)
		pf_free(b->dense_entered);
	b->dense_entered = NULL;
	b->ndense = 0;
}

/* ---------------------------------------------------------------------
 * Adding rows and summaries
 * ---------------------------------------------------------------------
 */

/* after rows were appended: merge them when there are enough */
static inline void
maybe_flush(PfSurvivalBuilder *b)
{
	int64_t		npending = b->n - b->nsorted;

	/* merge at the latest when the summary could already be too large */
	if (npending >= MIN_FLUSH &&
		(npending >= b->nsorted || b->n > PF_SURVIVAL_MAX_ENTRIES))
		flush(b);
}

static void
append(PfSurvivalBuilder *b, const PfSurvivalEntry *e)
{
	if (b->n == b->cap)
		reserve(b, b->n + 1);
	b->entries[b->n++] = *e;
	maybe_flush(b);
}

/* room in the dense array for duration d < DENSE_LIMIT */
static void
dense_reserve(PfSurvivalBuilder *b, int64_t d)
{
	int64_t		n = b->ndense < DENSE_MIN ? DENSE_MIN : b->ndense;

	while (n <= d)
		n *= 2;
	b->dense = pf_realloc(b->dense, (size_t) n * 2 * sizeof(int64_t));
	memset(b->dense + 2 * b->ndense, 0,
		   (size_t) (n - b->ndense) * 2 * sizeof(int64_t));
	if (b->tally != NULL)
	{
		b->tally = pf_realloc(b->tally, (size_t) n * 2 * sizeof(uint32_t));
		memset(b->tally + 2 * b->ndense, 0,
			   (size_t) (n - b->ndense) * 2 * sizeof(uint32_t));
	}
	if (b->dense_entered != NULL)
	{
		b->dense_entered = pf_realloc(b->dense_entered, (size_t) n * sizeof(int64_t));
		memset(b->dense_entered + b->ndense, 0,
			   (size_t) (n - b->ndense) * sizeof(int64_t));
	}
	b->ndense = n;
	tally_setup(b);
}

/*
 * Whether duration d is counted densely: below DENSE_LIMIT, and within a
 * dense array no larger than the rows seen so far warrant, so that a group
 * of a few rows with one long tenure does not get (and scan) a dense array
 * of tens of thousands of slots. The sizes double, as dense_reserve grows.
 */
static inline bool
dense_fits(const PfSurvivalBuilder *b, int64_t d)
{
	int64_t		n = DENSE_MIN;

	if (d < 0)
		return false;
	if (d < b->ndense)
		return true;
	if (d >= DENSE_LIMIT)
		return false;
	while (n <= d)
		n *= 2;
	return n <= DENSE_MIN + 2 * b->nadded;
}

/* add counts to the dense slot of a short duration */
static inline void
dense_add(PfSurvivalBuilder *b, int64_t d, int64_t events, int64_t censored,
		  int64_t entered)
{
	if (d >= b->ndense)
		dense_reserve(b, d);
	pf_count_add(&b->dense[2 * d], events);
	pf_count_add(&b->dense[2 * d + 1], censored);
	if (entered != 0)
	{
		if (b->dense_entered == NULL)
			b->dense_entered = pf_alloc0((size_t) b->ndense * sizeof(int64_t));
		pf_count_add(&b->dense_entered[d], entered);
	}
}

/* counts at time key t, densely where they fit, else pending */
static void
add_counts(PfSurvivalBuilder *b, int64_t t, int64_t events, int64_t censored,
		   int64_t entered)
{
	PfSurvivalEntry e;

	b->nadded++;
	if (dense_fits(b, t))
	{
		dense_add(b, t, events, censored, entered);
		return;
	}
	e.duration = t;
	e.events = events;
	e.censored = censored;
	e.entered = entered;
	append(b, &e);
}

void
pf_survival_builder_add_duration(PfSurvivalBuilder *b, int64_t duration,
								 bool is_event)
{
	if (duration < 0)
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "survival duration must not be negative", NULL, NULL);
	add_counts(b, duration, is_event ? 1 : 0, is_event ? 0 : 1, 0);
}

void
pf_survival_builder_add_interval(PfSurvivalBuilder *b, int64_t entry,
								 int64_t exit, bool is_event)
{
	if (entry >= exit)
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "survival entry time must be before the exit time", NULL, NULL);
	add_counts(b, exit, is_event ? 1 : 0, is_event ? 0 : 1, 0);
	add_counts(b, entry, 0, 0, 1);
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

/* as_of (and observed_from) the same as on earlier rows */
static void
check_as_of(PfSurvivalBuilder *b, int64_t as_of, bool has_from, int64_t from)
{
	if (!b->has_as_of)
	{
		b->has_as_of = true;
		b->as_of = as_of;
		b->has_observed_from = has_from;
		b->observed_from = from;
		tally_setup(b);
	}
	else if (b->as_of != as_of)
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "as_of must be the same for all rows of a group",
				 "Rows of one group carry different as_of values.",
				 "Pass as_of as a constant.");
	else if (b->has_observed_from != has_from || b->observed_from != from)
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "observed_from must be the same for all rows of a group",
				 "Rows of one group carry different observed_from values.",
				 "Pass observed_from as a constant.");
}

void
pf_survival_builder_add_spell_any(PfSurvivalBuilder *b, int64_t a, int64_t end,
								  bool b_ongoing, int64_t as_of)
{
	/* a tally out of room: fold it, and the inline path goes on */
	if (b->tally_room == 0 && b->tally != NULL && b->has_as_of &&
		!b->has_observed_from)
		fold_tally(b);
	check_as_of(b, as_of, false, 0);
	if (a > as_of || (!b_ongoing && end <= a))
		return;
	if (!b_ongoing && end <= as_of)
		pf_survival_builder_add_duration(b, duration_between(a, end), true);
	else
		pf_survival_builder_add_duration(b, duration_between(a, as_of), false);
}

void
pf_survival_builder_add_spell_observed(PfSurvivalBuilder *b, int64_t a,
									   int64_t end, bool b_ongoing,
									   int64_t as_of, int64_t observed_from)
{
	bool		event;
	int64_t		exit;

	if (observed_from > as_of)
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "observed_from must not be after as_of",
				 "Nothing can be observed between them.", NULL);
	check_as_of(b, as_of, true, observed_from);
	if (a > as_of || (!b_ongoing && (end <= a || end <= observed_from)))
		return;
	event = !b_ongoing && end <= as_of;
	exit = duration_between(a, event ? end : as_of);
	if (a >= observed_from)
	{
		add_counts(b, exit, event ? 1 : 0, event ? 0 : 1, 0);
		return;
	}
	/* begun before the observation: at risk from its tenure then */
	{
		int64_t		entry = duration_between(a, observed_from);

		if (exit > entry)
			pf_survival_builder_add_interval(b, entry, exit, event);
	}
}

void
pf_survival_builder_add_summary(PfSurvivalBuilder *b, const PfSurvival *s)
{
	int64_t		i = 0;
	int64_t		rest;

	pf_survival_check_same_unit(b->unit, s->unit);
	b->nadded += s->nentries;
	/* sorted: the short durations first, as far as they fit densely */
	for (; i < s->nentries && dense_fits(b, s->entries[i].duration); i++)
	{
		PF_INTERRUPT_EVERY(i);
		dense_add(b, s->entries[i].duration, s->entries[i].events,
				  s->entries[i].censored, s->entries[i].entered);
	}
	rest = s->nentries - i;
	if (rest == 0)
		return;
	reserve(b, b->n + rest);
	memcpy(b->entries + b->n, s->entries + i, (size_t) rest * sizeof(PfSurvivalEntry));
	b->n += rest;
	maybe_flush(b);
}

/* ---------------------------------------------------------------------
 * The summary
 * ---------------------------------------------------------------------
 */

int64_t
pf_survival_builder_compact(PfSurvivalBuilder *b)
{
	flush(b);
	fold_dense(b);
	return b->nsorted;
}

void
pf_survival_builder_write(const PfSurvivalBuilder *b, PfSurvival *s)
{
	if (b->n != b->nsorted || b->ndense != 0)
		pf_error(PF_ERR_INTERNAL, "survival builder written before it was compacted",
				 NULL, NULL);
	s->version = PF_SURVIVAL_VERSION;
	s->unit = b->unit;
	s->reserved = 0;
	s->nentries = b->nsorted;
	if (b->nsorted > 0)
		memcpy(s->entries, b->entries, (size_t) b->nsorted * sizeof(PfSurvivalEntry));
}

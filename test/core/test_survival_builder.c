/*
 * test_survival_builder.c
 *	  Unit tests of survival_builder_core without a server: spells seen at
 *	  as_of (events, censorings, skipped spells, errors), millions of rows
 *	  with tied days and distinct microseconds, the rollup of many
 *	  summaries through the pending buffer, compaction, and the interrupt
 *	  checks of the sort and the merges.
 *
 * Expected summaries come from a plain reference: every row or entry
 * sorted with qsort and equal durations added up.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

#include "survival_builder_core.h"

static PfSurvival *
finish(PfSurvivalBuilder *b)
{
	PfSurvival *s = pf_survival_alloc((PfSpellUnit) b->unit,
									  pf_survival_builder_compact(b));

	pf_survival_builder_write(b, s);
	return s;
}

static int
cmp_entry(const void *x, const void *y)
{
	int64_t		a = ((const PfSurvivalEntry *) x)->duration;
	int64_t		b = ((const PfSurvivalEntry *) y)->duration;

	return (a > b) - (a < b);
}

/* the summary of n entries in any order, with repeats: sort and add up */
static PfSurvival *
reference(PfSpellUnit unit, PfSurvivalEntry *e, int64_t n)
{
	PfSurvival *s;
	int64_t		k = 0;

	qsort(e, n, sizeof(PfSurvivalEntry), cmp_entry);
	for (int64_t i = 0; i < n; i++)
		if (i == 0 || e[i].duration != e[i - 1].duration)
			k++;
	s = pf_survival_alloc(unit, k);
	k = -1;
	for (int64_t i = 0; i < n; i++)
	{
		if (i == 0 || e[i].duration != e[i - 1].duration)
			s->entries[++k].duration = e[i].duration;
		s->entries[k].events += e[i].events;
		s->entries[k].censored += e[i].censored;
	}
	return s;
}

static bool
same_summary(const PfSurvival *x, const PfSurvival *y)
{
	return x->version == y->version && x->unit == y->unit &&
		x->reserved == y->reserved && x->nentries == y->nentries &&
		memcmp(x->entries, y->entries,
			   (size_t) x->nentries * sizeof(PfSurvivalEntry)) == 0;
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t
next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/*
 * Spells seen at as_of 100 (days): [90, 95) ended, an event at 5;
 * [90, 200) and [90, ) still running, censored at 10; [100, 101) started
 * on as_of, censored at 0; [101, 102) after as_of, skipped; [50, 50)
 * empty, skipped; [0, 100) ended the day before as_of, an event at 100.
 */
static void
test_spells(void)
{
	PfSurvivalBuilder *b = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	PfSurvival *s;

	pf_survival_builder_add_spell(b, 90, 95, false, 100);
	pf_survival_builder_add_spell(b, 90, 200, false, 100);
	pf_survival_builder_add_spell(b, 90, 0, true, 100);
	pf_survival_builder_add_spell(b, 100, 101, false, 100);
	pf_survival_builder_add_spell(b, 101, 102, false, 100);
	pf_survival_builder_add_spell(b, 50, 50, false, 100);
	pf_survival_builder_add_spell(b, 0, 100, false, 100);
	s = finish(b);
	CHECK(s->nentries == 4 &&
		  s->entries[0].duration == 0 && s->entries[0].events == 0 && s->entries[0].censored == 1 &&
		  s->entries[1].duration == 5 && s->entries[1].events == 1 && s->entries[1].censored == 0 &&
		  s->entries[2].duration == 10 && s->entries[2].events == 0 && s->entries[2].censored == 2 &&
		  s->entries[3].duration == 100 && s->entries[3].events == 1 && s->entries[3].censored == 0,
		  "events, censorings and skipped spells");
	pf_free(s);

	CHECK(PF_TRY(pf_survival_builder_add_spell(b, 0, 5, false, 101)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER &&
		  strcmp(pf_last_error_message, "as_of must be the same for all rows of a group") == 0,
		  "a different as_of in one group is an error");
	pf_survival_builder_free(b);

	b = pf_survival_builder_create(PF_SPELL_UNIT_MICROSECOND);
	CHECK(PF_TRY(pf_survival_builder_add_spell(b, INT64_MIN, 0, true, INT64_MAX)) &&
		  pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
		  "a duration beyond int64 is an error");
	CHECK(PF_TRY(pf_survival_builder_add_duration(b, -1, true)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "a negative duration is an error");
	pf_survival_builder_add_spell(b, 0, 0, true, INT64_MAX);
	s = finish(b);
	CHECK(s->nentries == 1 && s->entries[0].duration == INT64_MAX &&
		  s->entries[0].censored == 1, "the longest duration int64 holds");
	pf_free(s);
	pf_survival_builder_free(b);

	CHECK(PF_TRY(pf_survival_builder_create((PfSpellUnit) 7)),
		  "a builder needs a known unit");
}

/*
 * The inline path's 32-bit tally: a count near its limit is folded into
 * the 64-bit counts before it could wrap.  After one event at duration
 * 5, the tally is set as if UINT32_MAX - 2 more had been counted inline,
 * with room for 2 more; 5 more events then total UINT32_MAX + 4.  Then rows of every
 * kind through a tally refilled with little room, against the same rows
 * through the general path alone.
 */
static void
test_tally(void)
{
	PfSurvivalBuilder *b = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	PfSurvivalBuilder *ref = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	PfSurvival *s;
	PfSurvival *r;
	int			inline_rows = 0;

	pf_survival_builder_add_spell(b, 90, 95, false, 100);	/* event at 5 */
	CHECK(b->tally != NULL && b->tally_room == UINT32_MAX,
		  "the tally is there with its room after the first row");
	b->tally[2 * 5] = UINT32_MAX - 2;
	b->tally_room = 2;
	for (int i = 0; i < 5; i++)
		if (pf_survival_builder_tally(b, 90, 95, false, 100))
			inline_rows++;
		else
			pf_survival_builder_add_spell(b, 90, 95, false, 100);
	CHECK(inline_rows == 4 && b->tally_room == UINT32_MAX - 2,
		  "a tally out of room is folded and goes on (4 inline rows, got %d)",
		  inline_rows);
	s = finish(b);
	CHECK(s->nentries == 1 && s->entries[0].duration == 5 &&
		  s->entries[0].events == (int64_t) UINT32_MAX + 4 &&
		  s->entries[0].censored == 0,
		  "a count past 2^32 - 1 through the tally: %lld events",
		  (long long) s->entries[0].events);
	pf_free(s);
	pf_survival_builder_free(b);

	/* a tally only where the inline path can use it */
	b = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	pf_survival_builder_add_spell_observed(b, 90, 95, false, 100, 50);
	pf_survival_builder_add_duration(b, 7, true);
	CHECK(b->ndense > 0 && b->tally == NULL && b->tally_room == 0,
		  "no tally with observed_from or for durations");
	pf_survival_builder_free(b);
	b = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	ref = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	pf_survival_builder_add_spell(ref, 90, 95, false, 100);
	r = finish(ref);
	pf_survival_builder_add_summary(b, r);
	CHECK(b->ndense > 0 && b->tally == NULL, "no tally for a summary merged in");
	pf_survival_builder_add_spell(b, 80, 95, false, 100);
	CHECK(b->tally != NULL && b->tally_room == UINT32_MAX &&
		  pf_survival_builder_tally(b, 80, 95, false, 100),
		  "spells after a summary get a tally and go inline");
	s = finish(b);
	CHECK(s->nentries == 2 && s->entries[0].duration == 5 && s->entries[0].events == 1 &&
		  s->entries[1].duration == 15 && s->entries[1].events == 2,
		  "the summary's counts and the spells' counted together");
	pf_free(s);
	pf_free(r);
	pf_survival_builder_free(b);
	pf_survival_builder_free(ref);
	ref = pf_survival_builder_create(PF_SPELL_UNIT_DAY);

	b = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	for (int i = 0; i < 20000; i++)
	{
		int64_t		a = (int64_t) (next_random() % 5000);
		int64_t		len = (int64_t) (next_random() % 3000);
		bool		ongoing = next_random() % 3 == 0;

		if (i % 97 == 0)
			b->tally_room = b->tally_room > 0 ? 1 : 0;
		pf_survival_builder_add_spell(b, a, a + len, ongoing, 4000);
		pf_survival_builder_add_spell_any(ref, a, a + len, ongoing, 4000);
	}
	s = finish(b);
	r = finish(ref);
	CHECK(same_summary(s, r),
		  "20,000 spells (empty, ended, ongoing, after as_of, long) through a tally often out of room, as through the general path");
	pf_free(s);
	pf_free(r);
	pf_survival_builder_free(b);
	pf_survival_builder_free(ref);
}

/* Millions of rows: tied days, then distinct microseconds. */
static void
test_many_rows(void)
{
	enum
	{
		NDAYS = 5000, NROWS = 3000000, NDISTINCT = 2500000
	};
	static int64_t ev[NDAYS];
	static int64_t ce[NDAYS];
	PfSurvivalBuilder *b = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	PfSurvival *s;
	PfSurvival *want;
	PfSurvivalEntry *rows;
	int64_t		i;
	int			bad = 0;

	for (i = 0; i < NROWS; i++)
	{
		uint64_t	x = next_random();
		int64_t		d = (int64_t) (x % NDAYS);
		bool		event = (x >> 40) & 1;

		(event ? ev : ce)[d]++;
		pf_survival_builder_add_duration(b, d, event);
	}
	s = finish(b);
	for (i = 0; i < s->nentries; i++)
	{
		int64_t		d = s->entries[i].duration;

		if (s->entries[i].events != ev[d] || s->entries[i].censored != ce[d] ||
			(i > 0 && d <= s->entries[i - 1].duration))
			bad++;
	}
	CHECK(s->nentries == NDAYS && bad == 0,
		  "3 million tied rows: %lld entries, %d wrong",
		  (long long) s->nentries, bad);
	pf_free(s);
	pf_survival_builder_free(b);

	/* distinct microseconds, sorted in several merges of the pending rows */
	b = pf_survival_builder_create(PF_SPELL_UNIT_MICROSECOND);
	rows = malloc(NDISTINCT * sizeof(PfSurvivalEntry));
	for (i = 0; i < NDISTINCT; i++)
	{
		uint64_t	x = next_random();

		rows[i].duration = (int64_t) (x >> 2);
		rows[i].events = (x & 1) != 0;
		rows[i].censored = (x & 1) == 0;
		pf_survival_builder_add_duration(b, rows[i].duration, (x & 1) != 0);
	}
	s = finish(b);
	want = reference(PF_SPELL_UNIT_MICROSECOND, rows, NDISTINCT);
	CHECK(same_summary(s, want), "2.5 million distinct durations: %lld entries, want %lld",
		  (long long) s->nentries, (long long) want->nentries);
	free(rows);
	pf_free(s);
	pf_free(want);
	pf_survival_builder_free(b);
}

/*
 * The rollup of 300 summaries of 10,000 entries: their durations overlap
 * in part, short ones go to the dense counts, and the pending rows are
 * merged several times on the way.
 */
static void
test_rollup(void)
{
	enum
	{
		K = 300, M = 10000
	};
	PfSurvivalBuilder *b = pf_survival_builder_create(PF_SPELL_UNIT_MICROSECOND);
	PfSurvivalEntry *all = malloc((size_t) K * M * sizeof(PfSurvivalEntry));
	PfSurvival *s;
	PfSurvival *want;
	int64_t		n = 0;
	long		before = unit_interrupt_checks;

	for (int k = 0; k < K; k++)
	{
		PfSurvivalBuilder *part = pf_survival_builder_create(PF_SPELL_UNIT_MICROSECOND);
		PfSurvival *p;

		for (int i = 0; i < M; i++)
		{
			uint64_t	x = next_random();
			/* a few short durations, many from a range where they repeat */
			int64_t		d = (x & 15) == 0 ? (int64_t) (x >> 4) % 70000 :
				(int64_t) ((x >> 8) % 20000000);

			pf_survival_builder_add_duration(part, d, (x >> 5) & 1);
			all[n].duration = d;
			all[n].events = (x >> 5) & 1;
			all[n].censored = !((x >> 5) & 1);
			n++;
		}
		p = finish(part);
		pf_survival_builder_add_summary(b, p);
		pf_free(p);
		pf_survival_builder_free(part);
	}
	s = finish(b);
	want = reference(PF_SPELL_UNIT_MICROSECOND, all, n);
	CHECK(same_summary(s, want), "rollup of %d summaries: %lld entries, want %lld",
		  K, (long long) s->nentries, (long long) want->nentries);
	CHECK(unit_interrupt_checks > before + K, "the rollup checks for interrupts (%ld calls)",
		  unit_interrupt_checks - before);

	/* compaction is idempotent, and adding after it goes on from there */
	pf_free(s);
	s = finish(b);
	CHECK(same_summary(s, want), "compacting again changes nothing");
	pf_survival_builder_add_duration(b, 3, true);
	pf_survival_builder_add_duration(b, INT64_C(1) << 40, false);
	pf_free(s);
	s = finish(b);
	CHECK(s->nentries >= want->nentries + 1 && s->entries[0].duration <= 3 &&
		  s->entries[s->nentries - 1].duration == INT64_C(1) << 40,
		  "rows added after a compaction are counted");
	pf_free(s);
	pf_free(want);
	free(all);
	pf_survival_builder_free(b);
}

static void
test_limits(void)
{
	PfSurvivalBuilder *b = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	PfSurvival *big = pf_survival_alloc(PF_SPELL_UNIT_DAY, 2);
	PfSurvival *us = pf_survival_alloc(PF_SPELL_UNIT_MICROSECOND, 0);
	PfSurvival *s;

	CHECK(PF_TRY(pf_survival_builder_add_summary(b, us)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER &&
		  strcmp(pf_last_error_message, "cannot merge survival summaries in day and in microsecond") == 0,
		  "summaries of another unit are refused: %s", pf_last_error_message);

	/* counts beyond int64: in the dense counts, and when long ones merge */
	big->entries[0].duration = 1;
	big->entries[0].events = INT64_MAX;
	big->entries[1].duration = INT64_C(1) << 50;
	big->entries[1].censored = INT64_MAX;
	pf_survival_builder_add_summary(b, big);
	CHECK(PF_TRY(pf_survival_builder_add_summary(b, big)) &&
		  pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
		  "a dense count beyond int64 is an error");
	pf_survival_builder_free(b);
	b = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	big->entries[0].events = 1;
	pf_survival_builder_add_summary(b, big);
	big->entries[0].events = 0;
	big->entries[0].censored = 1;
	pf_survival_builder_add_summary(b, big);
	CHECK(PF_TRY(pf_survival_builder_compact(b)) &&
		  pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
		  "a total beyond int64 is an error when the rows merge");
	pf_survival_builder_free(b);

	b = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	pf_survival_builder_add_duration(b, 1, true);
	s = pf_survival_alloc(PF_SPELL_UNIT_DAY, 1);
	CHECK(PF_TRY(pf_survival_builder_write(b, s)) && pf_last_error_kind == PF_ERR_INTERNAL,
		  "writing before compacting is an internal error");
	CHECK(pf_survival_builder_compact(b) == 1 && !PF_TRY(pf_survival_builder_write(b, s)) &&
		  s->nentries == 1 && s->entries[0].events == 1, "and fine after");
	pf_free(s);
	pf_free(big);
	pf_free(us);
	pf_survival_builder_free(b);
}

UNIT_MAIN_BEGIN
	test_spells();
	test_tally();
	test_many_rows();
	test_rollup();
	test_limits();
UNIT_MAIN_END

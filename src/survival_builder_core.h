/*-------------------------------------------------------------------------
 *
 * survival_builder_core.h
 *	  Building survival summaries: spells and durations added one at a
 *	  time, and whole summaries merged in, into a builder whose memory
 *	  follows the number of distinct durations.  Server-free core.
 *
 * From spells [a, b) (b possibly ongoing) and an as_of unit: spells with
 * a > as_of are skipped; a spell with b <= as_of (its last unit b-1 before
 * as_of) is an event at duration b - a; any other spell (ongoing, or
 * b > as_of) is censored at duration as_of - a.  as_of belongs to the
 * building only and is not stored in the summary.
 *
 * Durations below 65536 (179 years in days) are counted straight into a
 * dense array, one slot a duration.  Longer ones are appended to a buffer
 * that grows by doubling and is sorted (radix sort) and merged into the
 * builder's sorted entries whenever it holds as many rows as they do (and
 * at least about a million): the work stays O(n) a radix pass and memory
 * O(distinct durations + rows since the last merge).  Merging k summaries
 * of m entries each costs O(k m) a pass, where merging them two at a time
 * into new summaries would cost O(k^2 m).
 *
 * Everything is pf_alloc'd; inside the server call it in the memory
 * context the builder lives in.  Every loop checks for interrupts.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SURVIVAL_BUILDER_CORE_H
#define SURVIVAL_BUILDER_CORE_H

#include "pf_core.h"
#include "survival_core.h"

typedef struct PfSurvivalBuilder
{
	uint8_t		unit;			/* PfSpellUnit or PF_SURVIVAL_UNIT_NUMBER */
	bool		has_as_of;
	bool		has_observed_from;
	int64_t		as_of;
	int64_t		observed_from;
	PfSurvivalEntry *entries;	/* [0, nsorted) sorted and unique */
	int64_t		nsorted;
	int64_t		n;				/* [nsorted, n) pending */
	int64_t		cap;

	/*
	 * Short durations are counted in dense[2d] (events) and dense[2d+1]
	 * (censorings) for d < ndense.
	 */
	int64_t    *dense;
	int64_t    *dense_entered;	/* entered counts, once there are any */
	int64_t		ndense;

	/*
	 * The inline path counts into tally instead, laid out as dense in 32
	 * bits, so that the counts of a few thousand days fit a core's L1 data
	 * cache.  tally_room is how many more rows it may count before one of
	 * its counts could wrap; then, and before dense is read, the tally is
	 * folded into dense and zeroed.  There is a tally only where the
	 * inline path can use it (has_as_of set without has_observed_from, and
	 * dense counts), and tally_room is 0 without one.
	 */
	uint32_t   *tally;
	int64_t		tally_room;
	int64_t		nadded;			/* rows and entries added other than inline */
} PfSurvivalBuilder;

extern PfSurvivalBuilder *pf_survival_builder_create(int unit);
extern void pf_survival_builder_free(PfSurvivalBuilder *b);

/*
 * Add a spell [a, b) (or [a, +infinity) when b_ongoing) seen at as_of.
 * PF_ERR_INVALID_PARAMETER when as_of differs from earlier rows';
 * PF_ERR_OUT_OF_RANGE when a duration exceeds int64.  Empty spells
 * (b <= a) are skipped.
 */
extern void pf_survival_builder_add_spell_any(PfSurvivalBuilder *b, int64_t a,
											  int64_t end, bool b_ongoing,
											  int64_t as_of);

/*
 * The common case of pf_survival_builder_add_spell, inline: as_of as on
 * earlier rows (and no observed_from), a duration within the dense counts,
 * room in the tally.  Counts the spell and returns true, else returns false
 * having changed nothing.
 */
static inline bool
pf_survival_builder_tally(PfSurvivalBuilder *b, int64_t a, int64_t end,
						  bool b_ongoing, int64_t as_of)
{
	bool		event = !b_ongoing && end <= as_of;

	/*
	 * Exact when a <= as_of; when a > as_of the difference wraps past
	 * ndense, and the spell is left to the general path, which skips it.
	 */
	uint64_t	d = (uint64_t) (event ? end : as_of) - (uint64_t) a;

	/* tally_room > 0 implies has_as_of and not has_observed_from */
	/*
	 * d - event < ndense - event: d < ndense and, for an event, d > 0 (an
	 * ended spell must have end > a), with no branch on event or b_ongoing;
	 * a censored spell has end > as_of >= a or none.
	 */
	if (b->tally_room > 0 && b->as_of == as_of &&
		d - event < (uint64_t) b->ndense - event)
	{
		b->tally[2 * d + (event ? 0 : 1)]++;
		b->tally_room--;
		return true;
	}
	return false;
}

/* pf_survival_builder_add_spell_any with its common case inline */
static inline void
pf_survival_builder_add_spell(PfSurvivalBuilder *b, int64_t a, int64_t end,
							  bool b_ongoing, int64_t as_of)
{
	if (!pf_survival_builder_tally(b, a, end, b_ongoing, as_of))
		pf_survival_builder_add_spell_any(b, a, end, b_ongoing, as_of);
}

/*
 * The same with left truncation: a spell that ended by observed_from (b <=
 * observed_from) is skipped; one begun before observed_from enters at its
 * tenure then (observed_from - a) and is skipped when it leaves no later
 * than that.  observed_from after as_of is PF_ERR_INVALID_PARAMETER, as are
 * as_of or observed_from differing from earlier rows'.
 */
extern void pf_survival_builder_add_spell_observed(PfSurvivalBuilder *b,
												   int64_t a, int64_t end,
												   bool b_ongoing, int64_t as_of,
												   int64_t observed_from);

/*
 * Add one duration (a time key >= 0, else PF_ERR_INVALID_PARAMETER), an
 * event or not, at risk from the start.
 */
extern void pf_survival_builder_add_duration(PfSurvivalBuilder *b,
											 int64_t duration, bool is_event);

/*
 * Add one subject at risk on (entry, exit] (time keys, entry < exit, else
 * PF_ERR_INVALID_PARAMETER), leaving at exit in an event or not.
 */
extern void pf_survival_builder_add_interval(PfSurvivalBuilder *b, int64_t entry,
											 int64_t exit, bool is_event);

/* Add every entry of a summary (rollup, combine); units must agree. */
extern void pf_survival_builder_add_summary(PfSurvivalBuilder *b,
											const PfSurvival *s);

/*
 * Bring everything added into the sorted entries, [0, nsorted), which are
 * then the summary; returns their number.  Cheap when nothing was added
 * since the last call.  PF_ERR_OUT_OF_RANGE when the counts add up beyond
 * int64 or the summary would exceed PF_SURVIVAL_MAX_ENTRIES.
 */
extern int64_t pf_survival_builder_compact(PfSurvivalBuilder *b);

/*
 * Write the summary of a compacted builder into s, which has room for its
 * pf_survival_builder_compact() entries; vl_len_ is left alone.
 */
extern void pf_survival_builder_write(const PfSurvivalBuilder *b, PfSurvival *s);

#endif							/* SURVIVAL_BUILDER_CORE_H */

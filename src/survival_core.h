/*-------------------------------------------------------------------------
 *
 * survival_core.h
 *	  The survival summary: a mergeable Kaplan–Meier summary of spell
 *	  durations, its builder, accessors, text and binary I/O and the one
 *	  validator shared by every input path.  Server-free core.
 *
 * Building.  From spells [a, b) (b possibly ongoing) and an as_of unit:
 * spells with a > as_of are skipped; a spell with b <= as_of (its last unit
 * b-1 before as_of) is an event at duration b - a; any other spell (ongoing,
 * or b > as_of) is censored at duration as_of - a.  as_of belongs to the
 * building only and is not stored.
 *
 * The summary.  A unit (day or microsecond; merging different units is an
 * error) and entries sorted by strictly increasing duration, each with
 * int64 counts of events and censorings, non-negative and not both zero.
 * Durations are non-negative and the sum of all counts fits in an int64.
 * The summary may have no entry (every spell started after as_of).
 *
 * Stored layout (PfSurvival): a 4-byte slot for the host's varlena header,
 * a version byte, a unit byte, two reserved zero bytes, an int64 entry
 * count, then the entries, three int64 each.  Size 16 + 24 * nentries.
 *
 * Text form, a JSON object with keys in this order:
 *		{"version":1,"unit":"day","entries":[[duration,events,censored],...]}
 * unit is "day" or "microsecond".  Output has no white space; input may
 * have JSON white space (space, tab, CR, LF) between tokens and nothing
 * else: integers are JSON integers (optional minus, no leading zero, no
 * fraction or exponent) within int64.  Output is read back to the same
 * value and printed to the same text.
 *
 * Binary (send/receive) form, big-endian: version byte, unit byte, two
 * reserved zero bytes, int64 entry count, then per entry int64 duration,
 * events, censored.  Size 12 + 24 * nentries exactly.
 *
 * Kaplan–Meier.  at_risk at t counts every subject with duration >= t
 * (events at t come before censorings at t).  S(t) is the product of
 * (n - d) / n over event durations <= t, and 1 before the first event.
 * Greenwood: var S = S^2 * sum d / (n (n - d)).  The log-log interval is
 * the one of R's survfit(conf.type = "log-log") and lifelines: with
 * se = sqrt(sum d / (n (n - d))) / |log S| and z = norm.ppf((1 + conf) / 2),
 * low = S^exp(z se) and high = S^exp(-z se); it is invalid where S is 1
 * or 0.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SURVIVAL_CORE_H
#define SURVIVAL_CORE_H

#include "pf_core.h"

#define PF_SURV_VERSION 1

/* Stored unit bytes; never renumber. */
typedef enum PfSurvivalUnit
{
	PF_SURV_UNIT_DAY = 1,
	PF_SURV_UNIT_MICROSECOND = 2
} PfSurvivalUnit;

typedef struct PfSurvivalEntry
{
	int64_t		duration;
	int64_t		events;
	int64_t		censored;
} PfSurvivalEntry;

typedef struct PfSurvival
{
	int32_t		vl_len_;		/* the host's varlena header; never read here */
	uint8_t		version;		/* PF_SURV_VERSION */
	uint8_t		unit;			/* PfSurvivalUnit */
	uint16_t	reserved;		/* zero */
	int64_t		nentries;
	PfSurvivalEntry entries[];
} PfSurvival;

#define PF_SURV_HEADER_SIZE 16
#define PF_SURV_WIRE_HEADER_SIZE 12
/* so that a summary fits a varlena of at most 1 GB - 1 */
#define PF_SURV_MAX_ENTRIES ((int64_t) ((0x3FFFFFFF - PF_SURV_HEADER_SIZE) / sizeof(PfSurvivalEntry)))

/* Bytes of a stored summary with nentries entries (error when too many). */
extern size_t pf_survival_size(int64_t nentries);

/* A zeroed summary with its header filled in; vl_len_ is left 0. */
extern PfSurvival *pf_survival_alloc(PfSurvivalUnit unit, int64_t nentries);

/* "day" or "microsecond" */
extern const char *pf_survival_unit_name(PfSurvivalUnit unit);

/*
 * The validator shared by text input, binary receive and stored-value
 * checks; kind is the error kind to raise (PF_ERR_INVALID_TEXT or
 * PF_ERR_INVALID_BINARY).  Check the header, then each entry in order
 * through one PfSurvivalCheck set up by pf_survival_check_begin.
 */
typedef struct PfSurvivalCheck
{
	int64_t		index;			/* entries checked so far */
	int64_t		prev_duration;
	int64_t		total;			/* sum of counts so far */
} PfSurvivalCheck;

extern void pf_survival_check_header(int64_t version, int64_t unit,
								 int64_t nentries, uint32_t reserved,
								 PfErrorKind kind);
extern void pf_survival_check_begin(PfSurvivalCheck *check);
extern void pf_survival_check_entry(PfSurvivalCheck *check, const PfSurvivalEntry *entry,
								PfErrorKind kind);

/*
 * Check a stored summary of len bytes (as found after detoasting, vl_len_
 * not read): header, size exactly pf_survival_size(nentries), every entry.
 */
extern void pf_survival_validate(const void *buf, size_t len, PfErrorKind kind);

/* Text I/O; errors are PF_ERR_INVALID_TEXT.  Output is pf_alloc'd. */
extern char *pf_survival_out(const PfSurvival *s);
extern PfSurvival *pf_survival_in(const char *str);

/* Binary I/O; errors are PF_ERR_INVALID_BINARY.  Output is pf_alloc'd. */
extern uint8_t *pf_survival_send(const PfSurvival *s, size_t *len);
extern PfSurvival *pf_survival_recv(const uint8_t *buf, size_t len);

/* The union of two summaries; PF_ERR_INVALID_PARAMETER if units differ. */
extern PfSurvival *pf_survival_merge(const PfSurvival *x, const PfSurvival *y);

/*
 * Builder: an aggregate state collecting (duration, event) pairs.  Rows
 * are appended to a buffer that is sorted and compressed into entries when
 * it grows as large as the entries already compressed (and at least about
 * a million rows), so memory follows the number of distinct durations and
 * the total work stays O(n log n).  All of it is pf_alloc'd; inside the
 * server call it in the aggregate's memory context.
 */
typedef struct PfSurvivalBuilder
{
	uint8_t		unit;			/* PfSurvivalUnit */
	bool		has_as_of;
	int64_t		as_of;
	PfSurvivalEntry *entries;		/* [0, nsorted) sorted and unique */
	int64_t		nsorted;
	int64_t		n;				/* [nsorted, n) pending */
	int64_t		cap;

	/*
	 * Short durations, the common case of day units, are counted straight
	 * into dense[2d] (events) and dense[2d+1] (censorings) for d < ndense.
	 */
	int64_t    *dense;
	int64_t		ndense;
} PfSurvivalBuilder;

extern PfSurvivalBuilder *pf_survival_builder_create(PfSurvivalUnit unit);
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
 * The same, with the common case inline (as_of as on earlier rows, a
 * duration already within the dense counts, no count at its limit): one
 * increment.  Everything else goes to pf_survival_builder_add_spell_any.
 */
static inline void
pf_survival_builder_add_spell(PfSurvivalBuilder *b, int64_t a, int64_t end,
						  bool b_ongoing, int64_t as_of)
{
	if (b->has_as_of && b->as_of == as_of && a <= as_of &&
		(b_ongoing || end > a))
	{
		bool		event = !b_ongoing && end <= as_of;

		/* as_of >= a and end > a: the unsigned difference is exact */
		uint64_t	d = (uint64_t) (event ? end : as_of) - (uint64_t) a;

		if (d < (uint64_t) b->ndense)
		{
			int64_t    *count = &b->dense[2 * d + (event ? 0 : 1)];

			if (*count < INT64_MAX)
			{
				(*count)++;
				return;
			}
		}
	}
	pf_survival_builder_add_spell_any(b, a, end, b_ongoing, as_of);
}

/* Add one duration (>= 0), an event or a censoring. */
extern void pf_survival_builder_add_duration(PfSurvivalBuilder *b, int64_t duration,
										 bool is_event);

/* Add every entry of a summary (rollup); units must agree. */
extern void pf_survival_builder_add_summary(PfSurvivalBuilder *b, const PfSurvival *s);

/* Add src's rows to dst (parallel combine); units and as_of must agree. */
extern void pf_survival_builder_combine(PfSurvivalBuilder *dst,
									const PfSurvivalBuilder *src);

/*
 * The summary of everything added so far, pf_alloc'd.  The builder is not
 * modified, so a final function may call this in any memory context and
 * more than once.
 */
extern PfSurvival *pf_survival_builder_finish(const PfSurvivalBuilder *b);

/*
 * For parallel aggregation of an internal state: a flag byte (1 when
 * as_of is set), as_of as a big-endian int64, then the binary form of the
 * summary so far.  Deserialize raises PF_ERR_INVALID_BINARY on bad input.
 */
extern uint8_t *pf_survival_builder_serialize(const PfSurvivalBuilder *b, size_t *len);
extern PfSurvivalBuilder *pf_survival_builder_deserialize(const uint8_t *buf,
												  size_t len);

/* Accessors */

/* S(t), 1 before the first event (and for t < 0). */
extern double pf_survival_at(const PfSurvival *s, int64_t t);

/*
 * Smallest duration with S <= 0.5; false when S never gets there.  S within
 * 1e-12 of 0.5 counts as 0.5, so that rounding of the product does not
 * move the median off an exact half.
 */
extern bool pf_survival_median(const PfSurvival *s, int64_t *median);

typedef struct PfSurvivalCurveRow
{
	int64_t		duration;
	int64_t		at_risk;
	int64_t		events;
	int64_t		censored;
	double		survival;
	double		std_err;		/* Greenwood standard error of S */
	double		ci_low;
	double		ci_high;
	bool		std_err_valid;	/* false where S = 0 */
	bool		ci_valid;		/* false where S = 1 or S = 0 */
} PfSurvivalCurveRow;

/*
 * One row per entry, pf_alloc'd into *rows (NULL when there is none);
 * returns the number of rows.  conf must lie strictly between 0 and 1
 * (PF_ERR_INVALID_PARAMETER otherwise).
 */
extern int64_t pf_survival_curve(const PfSurvival *s, double conf,
							 PfSurvivalCurveRow **rows);

#endif							/* SURVIVAL_CORE_H */

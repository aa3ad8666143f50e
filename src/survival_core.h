/*-------------------------------------------------------------------------
 *
 * survival_core.h
 *	  The survival summary: a mergeable Kaplan–Meier summary of spell
 *	  durations, its layout, the validation shared by every input path, the
 *	  merge, the Kaplan–Meier accessors, and the text and binary forms.
 *	  Server-free core; survival_builder_core.h builds summaries from rows.
 *
 * The summary.  A unit and entries sorted by strictly increasing time,
 * each with int64 counts, non-negative and not all zero: subjects whose
 * spell ended then in an event (events), subjects censored then
 * (censored), and subjects that entered observation then (entered: delayed
 * entry, left truncation).  A subject is at risk at t when it entered
 * before t and left at t or later; subjects not counted in any entered
 * count are at risk from the start (-infinity).  So at t
 *		at_risk(t) = (subjects - entered) + entered before t - left before t
 * which must cover those leaving at t: equivalently, for every entry time
 * t, those leaving after t are at least those entering at t or later.
 * The sum of all counts fits in an int64.  The summary may have no entry.
 *
 * Units.  PF_SPELL_UNIT_DAY and PF_SPELL_UNIT_MICROSECOND (spells of
 * daterange and tstzrange): times are durations in that unit, >= 0.
 * PF_SURVIVAL_UNIT_NUMBER (durations and entry/exit times given as
 * float8, in the caller's own unit): a time t is held as its key, the
 * IEEE-754 bits of t read as an int64 when t >= 0, and those bits with
 * all but the sign bit flipped when t < 0, so that keys order as times
 * do; -0 is stored as 0, and only finite times are allowed.  Merging
 * different units is an error.
 *
 * Stored layout (PfSurvival): a 4-byte slot for the host's varlena header,
 * a version byte, a unit byte, two reserved zero bytes, an int64 entry
 * count, then the entries, four int64 each (time key, events, censored,
 * entered).  Size 16 + 32 * nentries.  Version 1 (1.0) had no entered
 * count and no unit number: 16 + 24 * nentries, entries (duration, events,
 * censored); pf_survival_upgrade reads it.
 *
 * Text form, a JSON object with keys in this order:
 *		{"version":2,"unit":"day","entries":[[time,events,censored,entered],...]}
 * unit is "day", "microsecond" or "number"; time is a JSON integer for the
 * first two and a JSON number (shortest text that reads back) for number.
 * The version 1 form, {"version":1,"unit":"day","entries":[[duration,
 * events,censored],...]}, is read too.  Output has no white space; input
 * may have JSON white space (space, tab, CR, LF) between tokens and
 * nothing else; counts are JSON integers within int64.  Output is read
 * back to the same value and printed to the same text.  Errors are
 * reported as textio_core.h describes.
 *
 * Binary (send/receive) form, big-endian: version byte, unit byte, two
 * reserved zero bytes, int64 entry count, then per entry int64 time key,
 * events, censored, entered.  Size 12 + 32 * nentries exactly.  Version 1
 * (entries of three int64, 12 + 24 * nentries) is read too.
 *
 * Kaplan–Meier.  At each time t with d events among n at risk, S is
 * multiplied by (n - d) / n; S is 1 before the first event.  Greenwood:
 * var S = S^2 * sum d / (n (n - d)).  Intervals as R's survfit: with
 * se = sqrt(sum d / (n (n - d))) (the standard error of log S) and z the
 * normal quantile of (1 + conf) / 2,
 *		log-log  S^exp(z se / log S) .. S^exp(-z se / log S), none where S
 *		         is 1 or 0;
 *		log      S exp(-z se) .. min(1, S exp(z se)), none where S is 0;
 *		plain    max(0, S - z se S) .. min(1, S + z se S), none where S
 *		         is 0.
 * The log-log interval is also lifelines'.
 *
 * Every loop over entries checks for interrupts (PF_INTERRUPT_EVERY).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SURVIVAL_CORE_H
#define SURVIVAL_CORE_H

#include "pf_core.h"
#include "spell_core.h"

#include <string.h>

#define PF_SURVIVAL_VERSION 2
#define PF_SURVIVAL_VERSION_1 1

/* the unit of plain numbers, beside PfSpellUnit's day and microsecond */
#define PF_SURVIVAL_UNIT_NUMBER 3

typedef struct PfSurvivalEntry
{
	int64_t		duration;		/* the time key */
	int64_t		events;
	int64_t		censored;
	int64_t		entered;
} PfSurvivalEntry;

typedef struct PfSurvival
{
	int32_t		vl_len_;		/* the host's varlena header; never read here */
	uint8_t		version;		/* PF_SURVIVAL_VERSION */
	uint8_t		unit;			/* PfSpellUnit or PF_SURVIVAL_UNIT_NUMBER */
	uint16_t	reserved;		/* zero */
	int64_t		nentries;
	PfSurvivalEntry entries[];
} PfSurvival;

#define PF_SURVIVAL_HEADER_SIZE 16
#define PF_SURVIVAL_V1_ENTRY_SIZE 24
#define PF_SURVIVAL_WIRE_HEADER_SIZE 12
#define PF_SURVIVAL_WIRE_ENTRY_SIZE 32
/* so that a summary fits a varlena of at most 1 GB - 1 */
#define PF_SURVIVAL_MAX_ENTRIES ((int64_t) ((0x3FFFFFFF - PF_SURVIVAL_HEADER_SIZE) / sizeof(PfSurvivalEntry)))

/* whether u is a unit of a summary */
static inline bool
pf_survival_unit_valid(int64_t u)
{
	return pf_spell_unit_valid(u) || u == PF_SURVIVAL_UNIT_NUMBER;
}

/* "day", "microsecond" or "number" */
extern const char *pf_survival_unit_name(int unit);

/* The key of a finite time t (unit number); -0 gives the key of 0. */
static inline int64_t
pf_survival_time_key(double t)
{
	uint64_t	bits;

	t += 0.0;					/* -0 becomes +0 */
	memcpy(&bits, &t, sizeof(bits));
	if (bits >> 63)
		bits ^= UINT64_C(0x7FFFFFFFFFFFFFFF);
	return (int64_t) bits;
}

/* The time of a key (unit number). */
static inline double
pf_survival_key_time(int64_t key)
{
	uint64_t	bits = (uint64_t) key;
	double		t;

	if (bits >> 63)
		bits ^= UINT64_C(0x7FFFFFFFFFFFFFFF);
	memcpy(&t, &bits, sizeof(t));
	return t;
}

/*
 * A time key of a summary in unit as a float8: days for the spell units
 * (fractional for microseconds), the number itself for unit number.
 */
extern double pf_survival_time_float(int unit, int64_t key);

/*
 * The largest key whose time is <= t in unit (t a float8 as
 * pf_survival_time_float gives; not NaN): INT64_MIN when every time is
 * later, INT64_MAX when none is.
 */
extern int64_t pf_survival_key_at_or_before(int unit, double t);

/* Bytes of a stored summary with nentries entries (error when too many). */
extern size_t pf_survival_size(int64_t nentries);

/* A zeroed summary with its header filled in; vl_len_ is left 0. */
extern PfSurvival *pf_survival_alloc(int unit, int64_t nentries);

/*
 * A stored version 1 summary (data: its bytes after the 4-byte header
 * slot, len of them) as a summary of this version; PF_ERR_INTERNAL
 * when its size does not match its count.
 */
extern PfSurvival *pf_survival_upgrade(const void *data, size_t len);

/* PF_ERR_INVALID_PARAMETER unless summaries in units x and y can merge */
extern void pf_survival_check_same_unit(int x, int y);

/* Subjects: the sum of events and censorings; PF_ERR_OUT_OF_RANGE beyond int64. */
extern int64_t pf_survival_total(const PfSurvivalEntry *entries, int64_t n);

/* Sum of the entered counts. */
extern int64_t pf_survival_entered(const PfSurvivalEntry *entries, int64_t n);

/* Whether any entry has an entered count (delayed entry). */
extern bool pf_survival_has_entries(const PfSurvival *s);

/* The union of two summaries; PF_ERR_INVALID_PARAMETER if units differ. */
extern PfSurvival *pf_survival_merge(const PfSurvival *x, const PfSurvival *y);

/* Text: the output is pf_alloc'd; errors are PF_ERR_INVALID_TEXT. */
extern char *pf_survival_format(const PfSurvival *s);
extern PfSurvival *pf_survival_parse(const char *str);

/* Binary: encode writes pf_survival_encoded_size(s) bytes at buf. */
extern size_t pf_survival_encoded_size(const PfSurvival *s);
extern void pf_survival_encode(const PfSurvival *s, uint8_t *buf);
/* errors are PF_ERR_INVALID_BINARY; the summary is pf_alloc'd */
extern PfSurvival *pf_survival_decode(const uint8_t *buf, size_t len);

/* Accessors */

/* S(t) for the time key t: 1 before the first event. */
extern double pf_survival_at(const PfSurvival *s, int64_t t);

/*
 * Smallest duration with S <= 0.5; false when S never gets there.  S within
 * 1e-12 of 0.5 counts as 0.5, so that rounding of the product does not
 * move the median off an exact half.  (median_tenure, as in 1.0.)
 */
extern bool pf_survival_median(const PfSurvival *s, int64_t *median);

typedef enum PfSurvivalConfType
{
	PF_SURVIVAL_CI_LOG_LOG,
	PF_SURVIVAL_CI_LOG,
	PF_SURVIVAL_CI_PLAIN
} PfSurvivalConfType;

/* "log-log", "log" or "plain" as a PfSurvivalConfType; -1 for anything else */
extern int	pf_survival_conf_type(const char *name);

/*
 * The median and its interval as R's print(survfit(...)) gives them, on
 * the curves of S and of its interval's limits: on each curve, the first
 * time at which it is below 0.5 + tol (tol = sqrt(DBL_EPSILON), times
 * where the curve is undefined skipped); where that value is 0.5 within
 * tol and the curve later falls lower, the midpoint of that time and the
 * first time it does.  Times as pf_survival_time_float gives them;
 * valid[k] false where a curve never gets below 0.5 + tol.
 * median[0] the median, median[1] the lower limit, median[2] the upper.
 */
extern void pf_survival_median_ci(const PfSurvival *s, double conf,
								  PfSurvivalConfType conf_type,
								  double median[3], bool valid[3]);

/* One row of the Kaplan–Meier table. */
typedef struct PfSurvivalCurveRow
{
	int64_t		duration;		/* the time key */
	int64_t		at_risk;
	int64_t		events;
	int64_t		censored;
	double		survival;
	double		std_err;		/* Greenwood standard error of S */
	double		ci_low;
	double		ci_high;
	bool		std_err_valid;	/* false where S = 0 */
	bool		ci_valid;		/* false where the interval is undefined */
} PfSurvivalCurveRow;

/*
 * The table, one row per time with events or censorings (times where
 * subjects only enter give none), one at a time, so that its reader keeps
 * no more than a row: pf_survival_curve_begin, then pf_survival_curve_next
 * until it returns false.  conf must lie strictly between 0 and 1
 * (PF_ERR_INVALID_PARAMETER otherwise).  s must outlive the walk.
 */
typedef struct PfSurvivalCurve
{
	const PfSurvival *s;
	int64_t		next;			/* entry of the next row */
	int64_t		at_risk;		/* after the entries stepped so far */
	double		survival;
	double		greenwood;		/* sum d / (n (n - d)) */
	double		z;
	PfSurvivalConfType conf_type;
} PfSurvivalCurve;

extern void pf_survival_curve_begin(PfSurvivalCurve *curve, const PfSurvival *s,
									double conf, PfSurvivalConfType conf_type);
extern bool pf_survival_curve_next(PfSurvivalCurve *curve, PfSurvivalCurveRow *row);

/*
 * The same walk fed by the caller, for a summary read a slice at a time:
 * pf_survival_curve_start with the subjects at risk from the start
 * (pf_survival_total minus pf_survival_entered over every entry), then
 * pf_survival_curve_step for each entry in order; it returns false (and
 * fills no row) for an entry where subjects only enter.
 */
extern void pf_survival_curve_start(PfSurvivalCurve *curve, int64_t at_start,
									double conf, PfSurvivalConfType conf_type);
extern bool pf_survival_curve_step(PfSurvivalCurve *curve,
								   const PfSurvivalEntry *e,
								   PfSurvivalCurveRow *row);

#endif							/* SURVIVAL_CORE_H */

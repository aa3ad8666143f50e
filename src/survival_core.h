/*-------------------------------------------------------------------------
 *
 * survival_core.h
 *	  The survival summary: a mergeable Kaplan–Meier summary of spell
 *	  durations, its layout, the validation shared by every input path, the
 *	  merge, the Kaplan–Meier accessors, and the text and binary forms.
 *	  Server-free core; survival_builder_core.h builds summaries from rows.
 *
 * The summary.  A unit (PfSpellUnit: day or microsecond; merging different
 * units is an error) and entries sorted by strictly increasing duration,
 * each with int64 counts of events and censorings, non-negative and not
 * both zero.  Durations are non-negative and the sum of all counts fits in
 * an int64.  The summary may have no entry (every spell started after the
 * as_of it was built at).
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
 * value and printed to the same text.  Errors are reported as
 * textio_core.h describes.
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
 * Every loop over entries checks for interrupts (PF_INTERRUPT_EVERY).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SURVIVAL_CORE_H
#define SURVIVAL_CORE_H

#include "pf_core.h"
#include "spell_core.h"

#define PF_SURVIVAL_VERSION 1

typedef struct PfSurvivalEntry
{
	int64_t		duration;
	int64_t		events;
	int64_t		censored;
} PfSurvivalEntry;

typedef struct PfSurvival
{
	int32_t		vl_len_;		/* the host's varlena header; never read here */
	uint8_t		version;		/* PF_SURVIVAL_VERSION */
	uint8_t		unit;			/* PfSpellUnit */
	uint16_t	reserved;		/* zero */
	int64_t		nentries;
	PfSurvivalEntry entries[];
} PfSurvival;

#define PF_SURVIVAL_HEADER_SIZE 16
#define PF_SURVIVAL_WIRE_HEADER_SIZE 12
#define PF_SURVIVAL_WIRE_ENTRY_SIZE 24
/* so that a summary fits a varlena of at most 1 GB - 1 */
#define PF_SURVIVAL_MAX_ENTRIES ((int64_t) ((0x3FFFFFFF - PF_SURVIVAL_HEADER_SIZE) / sizeof(PfSurvivalEntry)))

/* Bytes of a stored summary with nentries entries (error when too many). */
extern size_t pf_survival_size(int64_t nentries);

/* A zeroed summary with its header filled in; vl_len_ is left 0. */
extern PfSurvival *pf_survival_alloc(PfSpellUnit unit, int64_t nentries);

/* PF_ERR_INVALID_PARAMETER unless summaries in units x and y can merge */
extern void pf_survival_check_same_unit(int x, int y);

/* Sum of all counts of entries; PF_ERR_OUT_OF_RANGE beyond int64. */
extern int64_t pf_survival_total(const PfSurvivalEntry *entries, int64_t n);

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

/* S(t), 1 before the first event (and for t < 0). */
extern double pf_survival_at(const PfSurvival *s, int64_t t);

/*
 * Smallest duration with S <= 0.5; false when S never gets there.  S within
 * 1e-12 of 0.5 counts as 0.5, so that rounding of the product does not
 * move the median off an exact half.
 */
extern bool pf_survival_median(const PfSurvival *s, int64_t *median);

/* One row of the Kaplan–Meier table. */
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
 * The table, one row at a time, so that its reader keeps no more than a
 * row: pf_survival_curve_begin, then pf_survival_curve_next until it
 * returns false.  conf must lie strictly between 0 and 1
 * (PF_ERR_INVALID_PARAMETER otherwise).  s must outlive the walk.
 */
typedef struct PfSurvivalCurve
{
	const PfSurvival *s;
	int64_t		next;			/* entry of the next row */
	int64_t		at_risk;
	double		survival;
	double		greenwood;		/* sum d / (n (n - d)) */
	double		z;
} PfSurvivalCurve;

extern void pf_survival_curve_begin(PfSurvivalCurve *curve, const PfSurvival *s,
									double conf);
extern bool pf_survival_curve_next(PfSurvivalCurve *curve, PfSurvivalCurveRow *row);

/*
 * The same walk fed by the caller, for a summary read a slice at a time:
 * pf_survival_curve_start with the total of all counts
 * (pf_survival_total over every entry), then pf_survival_curve_step for
 * each entry in order.
 */
extern void pf_survival_curve_start(PfSurvivalCurve *curve, int64_t total,
									double conf);
extern void pf_survival_curve_step(PfSurvivalCurve *curve,
								   const PfSurvivalEntry *e,
								   PfSurvivalCurveRow *row);

#endif							/* SURVIVAL_CORE_H */

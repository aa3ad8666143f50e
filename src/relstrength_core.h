/*-------------------------------------------------------------------------
 *
 * relstrength_core.h
 *	  The relationship-strength summary: layout, forward-decay arithmetic,
 *	  validation, text and binary encodings.  Server-free (see pf_core.h).
 *
 * A summary keeps its decayed sums relative to a landmark, the time of the
 * latest interaction, so every stored term is at most its weight: nothing
 * can overflow however far apart the timestamps are, and moving the
 * landmark forward only ever multiplies by 2^-x with x >= 0.
 *
 *-------------------------------------------------------------------------
 */
#ifndef RELSTRENGTH_CORE_H
#define RELSTRENGTH_CORE_H

#include <math.h>
#include <string.h>

#include "pf_core.h"
#include "textio_core.h"

#define PF_RELSTRENGTH_VERSION 1

/*
 * The stored value: fixed size, passed by reference.  The reserved bytes
 * must be zero, so a later version can give them a meaning.
 */
typedef struct PfRelstrength
{
	uint8_t		version;
	uint8_t		reserved[7];
	int64_t		n;				/* interactions, zero-weight ones included */
	int64_t		first;			/* earliest interaction, microseconds */
	int64_t		last;			/* latest interaction: the decay landmark */
	int64_t		hl_time;		/* half-life as an interval: microseconds, */
	int32_t		hl_day;			/* days */
	int32_t		hl_month;		/* and months */
	double		weight;			/* sum w_i * 2^(-(last - t_i)/h) */
	double		inbound;		/* the same over inbound interactions */
	double		outbound;		/* ... over outbound interactions */
	double		sentiment_weight;	/* ... over interactions with a sentiment */
	double		sentiment_sum;	/* sum w_i * s_i * 2^(-(last - t_i)/h) */
} PfRelstrength;

/* bytes of the binary (send/recv) encoding */
#define PF_RELSTRENGTH_WIRE_SIZE (1 + 7 + 8 * 4 + 4 * 2 + 8 * 5)

/* longest text output, with room to spare */
#define PF_RELSTRENGTH_TEXT_MAX 512

static inline double
pf_relstrength_half_life_usecs(const PfRelstrength *s)
{
	return pf_textio_interval_usecs(s->hl_time, s->hl_day, s->hl_month);
}

extern void pf_relstrength_check_half_life(double h_usecs);

/* the errors of the checks below, out of line */
extern void pf_relstrength_bad_weight(double weight) PF_NORETURN;
extern void pf_relstrength_bad_sentiment(double sentiment) PF_NORETURN;

/* a weight is finite and non-negative; inline, as it is checked on every row */
static inline void
pf_relstrength_check_weight(double weight)
{
	if (!(weight >= 0) || isinf(weight))
		pf_relstrength_bad_weight(weight);
}

/* a sentiment lies in [-1, 1] */
static inline void
pf_relstrength_check_sentiment(double sentiment)
{
	if (!(sentiment >= -1.0 && sentiment <= 1.0))
		pf_relstrength_bad_sentiment(sentiment);
}

extern void pf_relstrength_init(PfRelstrength *s, int64_t t, int64_t hl_time,
								int32_t hl_day, int32_t hl_month, double w,
								bool has_sentiment, double sentiment,
								bool has_direction, bool inbound);
extern void pf_relstrength_check_same_half_life(const PfRelstrength *a, int64_t hl_time,
												int32_t hl_day, int32_t hl_month);

/* the errors of pf_relstrength_add_interaction, out of line */
extern void pf_relstrength_too_many(void) PF_NORETURN;
extern void pf_relstrength_overflow(void) PF_NORETURN;

/*
 * if_true when cond, else if_false, bit for bit, by a mask rather than a
 * branch.  The sums a row goes to depend on its direction and whether it
 * has a sentiment, as good as random from one row to the next: a branch
 * would be mispredicted on many rows.  Selecting, rather than adding
 * zero, keeps a -0 sum as it is.
 */
static inline double
pf_relstrength_pick(bool cond, double if_true, double if_false)
{
	uint64_t	t;
	uint64_t	f;
	uint64_t	mask = (uint64_t) 0 - (uint64_t) cond;
	double		r;

	memcpy(&t, &if_true, sizeof(t));
	memcpy(&f, &if_false, sizeof(f));
	t = (t & mask) | (f & ~mask);
	memcpy(&r, &t, sizeof(r));
	return r;
}

/*
 * Add one interaction to a summary.  Arguments are already validated
 * (pf_relstrength_check_weight, pf_relstrength_check_sentiment, and the
 * same half-life); inv_h is 1 / half-life in microseconds, so that a row
 * multiplies, not divides.  Gaps between times are taken unsigned, where
 * they are exact: the timestamptz range is wider than int64 can span.
 */
static inline void
pf_relstrength_add_interaction(PfRelstrength *s, double inv_h, int64_t t, double w,
							   bool has_sentiment, double sentiment,
							   bool has_direction, bool inbound)
{
	double		ws;

	if (s->n == INT64_MAX)
		pf_relstrength_too_many();
	if (t > s->last)
	{
		/* move the landmark forward, decaying what is already there */
		double		f = exp2(-(double) ((uint64_t) t - (uint64_t) s->last) * inv_h);

		s->weight *= f;
		s->inbound *= f;
		s->outbound *= f;
		s->sentiment_weight *= f;
		s->sentiment_sum *= f;
		s->last = t;
		ws = w;
	}
	else
	{
		ws = (t == s->last) ? w :
			w * exp2(-(double) ((uint64_t) s->last - (uint64_t) t) * inv_h);
		if (t < s->first)
			s->first = t;
	}
	s->n++;
	s->weight += ws;
	/* which sums take the row, by masks: it is as good as random */
	s->inbound = pf_relstrength_pick(has_direction & inbound,
									 s->inbound + ws, s->inbound);
	s->outbound = pf_relstrength_pick(has_direction & !inbound,
									  s->outbound + ws, s->outbound);
	s->sentiment_weight = pf_relstrength_pick(has_sentiment,
											  s->sentiment_weight + ws,
											  s->sentiment_weight);
	s->sentiment_sum = pf_relstrength_pick(has_sentiment,
										   s->sentiment_sum + ws * sentiment,
										   s->sentiment_sum);
	if (!isfinite(s->weight))
		pf_relstrength_overflow();
}

/* a += b: the summary of the union of both interaction sets */
extern void pf_relstrength_merge(PfRelstrength *a, const PfRelstrength *b);

/* accessors; as_of must not precede s->last (pf_relstrength_check_as_of) */
extern void pf_relstrength_check_as_of(const PfRelstrength *s, int64_t as_of);
extern double pf_relstrength_intensity(const PfRelstrength *s, int64_t as_of);
extern double pf_relstrength_strength(const PfRelstrength *s, int64_t as_of);
extern bool pf_relstrength_reciprocity(const PfRelstrength *s, double *result);
extern bool pf_relstrength_sentiment(const PfRelstrength *s, double *result);

/*
 * Text: parse reports PF_ERR_INVALID_TEXT, in the style of textio_core.h;
 * format writes at most PF_RELSTRENGTH_TEXT_MAX bytes.
 */
extern void pf_relstrength_parse(const char *str, PfRelstrength *s);
extern void pf_relstrength_format(const PfRelstrength *s, char *buf, size_t buflen);

/* binary: decode reports PF_ERR_INVALID_BINARY */
extern void pf_relstrength_encode(const PfRelstrength *s, uint8_t *buf);
extern void pf_relstrength_decode(const uint8_t *buf, size_t len, PfRelstrength *s);

#endif							/* RELSTRENGTH_CORE_H */

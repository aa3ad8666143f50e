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

#include <float.h>
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
	/* one test: NaN, negative and infinite weights all fail it */
	if (!(weight >= 0.0 && weight <= DBL_MAX))
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
 * w * 2^(y/256) for a decay, y <= 0, inline: exp2 is a call, and a summary
 * decays on nearly every row it takes, so the steps that depend on each
 * other are kept few.  y = k + r with k an integer and |r| <= 1/2, and
 * 2^(y/256) = 2^floor(k/256) * 2^((k mod 256)/256) * 2^(r/256): the first
 * an exponent and the second from pf_exp2_table, multiplied into w while
 * the third is computed by its Taylor series to degree 4 (the rest is
 * below 4e-17, a sixth of an ulp).  Within 3 ulps of w * exp2(y / 256)
 * for w > 0; a zero w may lose its sign, so callers pass zeros by.
 * Below -1022 * 256 (more than 1022 half-lives, where 2^(y/256) would be
 * subnormal) and for anything but a number <= 0, exp2 itself.
 */
extern const double pf_exp2_table[256];

static PF_ALWAYS_INLINE double
pf_decay_exp2(double y, double w)
{
	/* 1.5 * 2^52: adding it rounds |y| < 2^51 to an integer */
	const double round_shift = 0x1.8p52;
	double		shifted;
	double		r;
	double		p;
	double		scale;
	double		tw;
	int64_t		k;
	int64_t		j;
	uint64_t	bits;

	if (!(y >= -1022.0 * 256.0 && y <= 0.0))
		return w * exp2(y * (1.0 / 256.0));
	shifted = y + round_shift;
	/* that integer, k, from the low bits of shifted: 2^51 + k */
	memcpy(&bits, &shifted, sizeof(bits));
	k = (int64_t) (bits & ((UINT64_C(1) << 52) - 1)) - ((int64_t) 1 << 51);
	/* exact: y and k are within 1/2 */
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
	r = y - (shifted - round_shift);
#else
	/* shifted - round_shift might be evaluated before shifted is rounded */
	r = y - (double) k;
#endif
	j = k & 255;

	/*
	 * 2^((k - j) / 256), a normal number for k >= -261632: its biased
	 * exponent, (k - j) / 256 + 1023, is (k + 1023 * 256) / 256 rounded
	 * down, a shift of that positive number (where a signed division by
	 * 256 would add steps that round toward zero)
	 */
	bits = ((uint64_t) (k + 1023 * 256) >> 8) << 52;
	memcpy(&scale, &bits, sizeof(scale));
	tw = pf_exp2_table[j] * scale * w;
	/* 2^(r/256) - 1 = c1 r + c2 r^2 + c3 r^3 + c4 r^4, ci = (ln 2 / 256)^i / i! */
	p = r * (0x1.62e42fefa39efp-9 + r * 0x1.ebfbdff82c58fp-19) +
		r * r * r * (0x1.c6b08d704a0c0p-29 + r * 0x1.3b2ab6fba4e77p-39);
	return tw + tw * p;
}

/*
 * Where pf_relstrength_add_interaction adds what a sum does not take: never
 * read.  A global rather than a local, which would cost a stack check.
 */
extern double pf_relstrength_sink[3];

/* if_true when cond, else if_false, by a mask rather than a branch */
static inline double *
pf_relstrength_pick_sum(bool cond, double *if_true, double *if_false)
{
	uintptr_t	mask = (uintptr_t) 0 - (uintptr_t) cond;

	return (double *) (((uintptr_t) if_true & mask) | ((uintptr_t) if_false & ~mask));
}

/*
 * Add one interaction to a summary.  Arguments are already validated
 * (pf_relstrength_check_weight, pf_relstrength_check_sentiment, and the
 * same half-life); inv_h is 1 / half-life in microseconds, so that a row
 * multiplies, not divides.  Gaps between times are taken unsigned, where
 * they are exact: the timestamptz range is wider than int64 can span.
 */
static PF_ALWAYS_INLINE void
pf_relstrength_add_interaction(PfRelstrength *s, double inv_h, int64_t t, double w,
							   bool has_sentiment, double sentiment,
							   bool has_direction, bool inbound)
{
	double		ws;
	double		m = inv_h * -256.0;	/* y of pf_decay_exp2 a microsecond */

	if (s->n == INT64_MAX)
		pf_relstrength_too_many();
	if (t > s->last)
	{
		/* move the landmark forward, decaying what is already there */
		double		f = pf_decay_exp2((double) ((uint64_t) t - (uint64_t) s->last) * m, 1.0);

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
		/* a zero weight as it is: -0 stays -0, as w * exp2 leaves it */
		ws = (t == s->last || w == 0.0) ? w :
			pf_decay_exp2((double) ((uint64_t) s->last - (uint64_t) t) * m, w);
		if (t < s->first)
			s->first = t;
	}
	s->n++;
	s->weight += ws;

	/*
	 * Which sums take the row is as good as random: each is picked by a
	 * mask, and a sum that does not take the row leaves its share in
	 * pf_relstrength_sink (adding zero to it instead would turn a -0 into
	 * +0).
	 */
	*pf_relstrength_pick_sum(has_direction,
							 (double *) ((char *) s + (inbound ?
													   offsetof(PfRelstrength, inbound) :
													   offsetof(PfRelstrength, outbound))),
							 &pf_relstrength_sink[0]) += ws;
	*pf_relstrength_pick_sum(has_sentiment, &s->sentiment_weight,
							 &pf_relstrength_sink[1]) += ws;
	*pf_relstrength_pick_sum(has_sentiment, &s->sentiment_sum,
							 &pf_relstrength_sink[2]) += ws * sentiment;
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

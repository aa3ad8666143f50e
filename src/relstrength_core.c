/*-------------------------------------------------------------------------
 *
 * relstrength_core.c
 *	  Relationship-strength summaries: building, merging, reading, and the
 *	  one validator behind both text input and binary receive.  Server-free.
 *	  The text is read with textio_core's scanner, the binary form with its
 *	  big-endian codec.
 *
 * Text form, one JSON object with its keys in this order (so that
 * r::text::jsonb works and the text reads on its own):
 *
 *	{"version":1,"n":2,"first":"2024-01-01T00:00:00Z",
 *	 "last":"2024-01-31T00:00:00Z","half_life":"P30D","decayed_weight":1.5,
 *	 "inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,
 *	 "sentiment_sum":0}
 *
 * The weights are decayed to "last", the landmark.
 *
 *-------------------------------------------------------------------------
 */
#include "relstrength_core.h"

#include <stdio.h>
#include <string.h>

/*
 * Directed weights are summed apart from the total, so their sum may exceed
 * it by rounding; this bounds how much.  Each part alone never exceeds the
 * total: rounding is monotone.
 */
#define PARTS_TOLERANCE 1e-6

#define TYPE_NAME "relstrength"

/* later - earlier in microseconds, for later >= earlier, exact (see add_interaction) */
static inline double
gap(int64_t later, int64_t earlier)
{
	return (double) ((uint64_t) later - (uint64_t) earlier);
}

/* 2^(-dt/h) for a gap dt >= 0 microseconds and h > 0 */
static inline double
decay(double dt, double h_usecs)
{
	return exp2(-dt / h_usecs);
}

void
pf_relstrength_too_many(void)
{
	pf_error(PF_ERR_OUT_OF_RANGE, "bigint out of range",
			 "The summary would count more interactions than bigint holds.",
			 NULL);
}

void
pf_relstrength_overflow(void)
{
	pf_error(PF_ERR_OUT_OF_RANGE, "value out of range: overflow",
			 "The sum of the interaction weights exceeds the range of double precision.",
			 NULL);
}

void
pf_relstrength_check_half_life(double h_usecs)
{
	if (!(h_usecs > 0) || !isfinite(h_usecs))
		pf_error(PF_ERR_INVALID_PARAMETER, "half-life must be positive",
				 NULL, NULL);
}

void
pf_relstrength_bad_weight(double weight)
{
	pf_errorf(PF_ERR_INVALID_PARAMETER, NULL, NULL,
			  "interaction weight must be a finite non-negative number, not %g",
			  weight);
}

void
pf_relstrength_bad_sentiment(double sentiment)
{
	pf_errorf(PF_ERR_INVALID_PARAMETER, NULL, NULL,
			  "sentiment must be between -1 and 1, not %g", sentiment);
}

void
pf_relstrength_init(PfRelstrength *s, int64_t t, int64_t hl_time, int32_t hl_day,
		int32_t hl_month, double w, bool has_sentiment, double sentiment,
		bool has_direction, bool inbound)
{
	memset(s, 0, sizeof(*s));
	s->version = PF_RELSTRENGTH_VERSION;
	s->n = 1;
	s->first = t;
	s->last = t;
	s->hl_time = hl_time;
	s->hl_day = hl_day;
	s->hl_month = hl_month;
	s->weight = w;
	if (has_direction)
	{
		if (inbound)
			s->inbound = w;
		else
			s->outbound = w;
	}
	if (has_sentiment)
	{
		s->sentiment_weight = w;
		s->sentiment_sum = w * sentiment;
	}
}

/*
 * Half-lives are the same when they are the same length, as
 * EXTRACT(EPOCH FROM ...) measures it: '1 day' and '24 hours' agree.
 */
void
pf_relstrength_check_same_half_life(const PfRelstrength *a, int64_t hl_time, int32_t hl_day,
						int32_t hl_month)
{
	if (a->hl_time == hl_time && a->hl_day == hl_day && a->hl_month == hl_month)
		return;
	if (pf_relstrength_half_life_usecs(a) != pf_textio_interval_usecs(hl_time, hl_day, hl_month))
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "cannot combine relationship strengths with different half-lives",
				 "A relstrength summary decays all its interactions with one half-life.",
				 "Use the same half-life for every row of a group, or aggregate each half-life separately.");
}

void
pf_relstrength_merge(PfRelstrength *a, const PfRelstrength *b)
{
	double		h = pf_relstrength_half_life_usecs(a);
	double		f;

	pf_relstrength_check_same_half_life(a, b->hl_time, b->hl_day, b->hl_month);
	if (b->n > INT64_MAX - a->n)
		pf_relstrength_too_many();
	if (b->last > a->last)
	{
		f = decay(gap(b->last, a->last), h);
		a->weight = a->weight * f + b->weight;
		a->inbound = a->inbound * f + b->inbound;
		a->outbound = a->outbound * f + b->outbound;
		a->sentiment_weight = a->sentiment_weight * f + b->sentiment_weight;
		a->sentiment_sum = a->sentiment_sum * f + b->sentiment_sum;
		a->last = b->last;
	}
	else
	{
		f = (b->last == a->last) ? 1.0 : decay(gap(a->last, b->last), h);
		a->weight += b->weight * f;
		a->inbound += b->inbound * f;
		a->outbound += b->outbound * f;
		a->sentiment_weight += b->sentiment_weight * f;
		a->sentiment_sum += b->sentiment_sum * f;
	}
	if (b->first < a->first)
		a->first = b->first;
	a->n += b->n;
	if (!isfinite(a->weight))
		pf_relstrength_overflow();
}

void
pf_relstrength_check_as_of(const PfRelstrength *s, int64_t as_of)
{
	if (as_of < s->last)
	{
		char		when[64];
		char		detail[160];

		pf_textio_format_timestamp(s->last, when, sizeof(when));
		snprintf(detail, sizeof(detail),
				 "The summary's last interaction is at %s.", when);
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "as_of precedes the last interaction of the relationship",
				 detail,
				 "Aggregate only the interactions up to as_of, e.g. with FILTER (WHERE at <= as_of).");
	}
}

double
pf_relstrength_intensity(const PfRelstrength *s, int64_t as_of)
{
	pf_relstrength_check_as_of(s, as_of);
	if (as_of == s->last)
		return s->weight;
	return s->weight * decay(gap(as_of, s->last), pf_relstrength_half_life_usecs(s));
}

double
pf_relstrength_strength(const PfRelstrength *s, int64_t as_of)
{
	/* ln 2 makes one interaction per half-life, sustained, about 0.5 */
	double		x = 0.69314718055994530942 * pf_relstrength_intensity(s, as_of);

	return x / (1.0 + x);
}

bool
pf_relstrength_reciprocity(const PfRelstrength *s, double *result)
{
	double		total = s->inbound + s->outbound;

	if (!(total > 0))
		return false;
	/* 1 - |in - out| / (in + out), without the cancellation */
	*result = 2.0 * fmin(s->inbound, s->outbound) / total;
	return true;
}

bool
pf_relstrength_sentiment(const PfRelstrength *s, double *result)
{
	double		r;

	if (!(s->sentiment_weight > 0))
		return false;
	r = s->sentiment_sum / s->sentiment_weight;
	/* |sum| <= weight holds exactly, but keep the promise of [-1, 1] */
	*result = r > 1.0 ? 1.0 : (r < -1.0 ? -1.0 : r);
	return true;
}

/*
 * NULL when s is consistent, else a sentence saying what is wrong.  The
 * version is checked where it is read.
 */
static const char *
validate(const PfRelstrength *s)
{
	double		h;

	for (size_t i = 0; i < sizeof(s->reserved); i++)
		if (s->reserved[i] != 0)
			return "Reserved bytes are not zero.";
	if (s->n < 1)
		return "The interaction count must be at least 1.";
	if (s->first < PF_MIN_TIMESTAMP || s->first >= PF_END_TIMESTAMP ||
		s->last < PF_MIN_TIMESTAMP || s->last >= PF_END_TIMESTAMP)
		return "An interaction time is outside the range of timestamptz.";
	if (s->first > s->last)
		return "The first interaction is later than the last.";
	if (s->n == 1 && s->first != s->last)
		return "A single interaction cannot have distinct first and last times.";
	h = pf_relstrength_half_life_usecs(s);
	if (!(h > 0) || !isfinite(h))
		return "The half-life must be positive.";
	if (!isfinite(s->weight) || !isfinite(s->inbound) ||
		!isfinite(s->outbound) || !isfinite(s->sentiment_weight) ||
		!isfinite(s->sentiment_sum))
		return "A weight is not a finite number.";
	if (s->weight < 0 || s->inbound < 0 || s->outbound < 0 ||
		s->sentiment_weight < 0)
		return "A weight is negative.";
	if (s->inbound > s->weight || s->outbound > s->weight ||
		s->inbound + s->outbound > s->weight * (1 + PARTS_TOLERANCE))
		return "The directed weights exceed the total weight.";
	if (s->sentiment_weight > s->weight)
		return "The sentiment weight exceeds the total weight.";
	if (fabs(s->sentiment_sum) > s->sentiment_weight)
		return "The sentiment sum exceeds the sentiment weight, so the mean sentiment would lie outside [-1, 1].";
	return NULL;
}

void
pf_relstrength_parse(const char *str, PfRelstrength *s)
{
	PfTextioScan sc;
	const char *detail;

	memset(s, 0, sizeof(*s));
	pf_textio_scan_init(&sc, str, TYPE_NAME,
						"The form is {\"version\":1,\"n\":...,\"first\":\"...Z\",\"last\":\"...Z\",\"half_life\":\"P...\",\"decayed_weight\":...,\"inbound_weight\":...,\"outbound_weight\":...,\"sentiment_weight\":...,\"sentiment_sum\":...}, as relstrength output prints it.");
	pf_textio_scan_char(&sc, '{');
	pf_textio_scan_key(&sc, "version");
	/* the rest of the syntax depends on the version */
	pf_textio_check_version(&sc, TYPE_NAME, pf_textio_scan_int64(&sc),
							PF_RELSTRENGTH_VERSION);
	s->version = PF_RELSTRENGTH_VERSION;
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "n");
	s->n = pf_textio_scan_int64(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "first");
	s->first = pf_textio_scan_timestamp(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "last");
	s->last = pf_textio_scan_timestamp(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "half_life");
	pf_textio_scan_duration(&sc, &s->hl_time, &s->hl_day, &s->hl_month);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "decayed_weight");
	s->weight = pf_textio_scan_double(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "inbound_weight");
	s->inbound = pf_textio_scan_double(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "outbound_weight");
	s->outbound = pf_textio_scan_double(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "sentiment_weight");
	s->sentiment_weight = pf_textio_scan_double(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "sentiment_sum");
	s->sentiment_sum = pf_textio_scan_double(&sc);
	pf_textio_scan_char(&sc, '}');
	pf_textio_scan_end(&sc);

	detail = validate(s);
	if (detail != NULL)
		pf_textio_invalid_value(&sc, TYPE_NAME, detail);
}

/* the string t at p, without its terminator; returns the end */
static char *
put_text(char *p, const char *t)
{
	size_t		len = strlen(t);

	memcpy(p, t, len);
	return p + len;
}

void
pf_relstrength_format(const PfRelstrength *s, char *buf, size_t buflen)
{
	char		text[2 * PF_RELSTRENGTH_TEXT_MAX];
	char	   *p = text;
	const double w[5] = {s->weight, s->inbound, s->outbound,
	s->sentiment_weight, s->sentiment_sum};
	static const char *const wkey[5] = {",\"decayed_weight\":",
		",\"inbound_weight\":", ",\"outbound_weight\":",
	",\"sentiment_weight\":", ",\"sentiment_sum\":"};

	/* each part is bounded: 48 bytes a timestamp, 96 the duration, 32 a number */
	p = put_text(p, "{\"version\":");
	p += pf_textio_format_int64(s->version, p);
	p = put_text(p, ",\"n\":");
	p += pf_textio_format_int64(s->n, p);
	p = put_text(p, ",\"first\":\"");
	pf_textio_format_timestamp(s->first, p, 48);
	p = put_text(p + strlen(p), "\",\"last\":\"");
	pf_textio_format_timestamp(s->last, p, 48);
	p = put_text(p + strlen(p), "\",\"half_life\":\"");
	pf_textio_format_duration(s->hl_time, s->hl_day, s->hl_month, p, 96);
	p = put_text(p + strlen(p), "\"");
	for (int i = 0; i < 5; i++)
	{
		p = put_text(p, wkey[i]);
		pf_textio_format_double(w[i], p, 32);
		p += strlen(p);
	}
	p = put_text(p, "}");
	*p = '\0';
	snprintf(buf, buflen, "%s", text);
}

void
pf_relstrength_encode(const PfRelstrength *s, uint8_t *buf)
{
	uint8_t    *p = buf;

	*p++ = s->version;
	memcpy(p, s->reserved, sizeof(s->reserved));
	p += sizeof(s->reserved);
	p = pf_textio_put_u64(p, (uint64_t) s->n);
	p = pf_textio_put_u64(p, (uint64_t) s->first);
	p = pf_textio_put_u64(p, (uint64_t) s->last);
	p = pf_textio_put_u64(p, (uint64_t) s->hl_time);
	p = pf_textio_put_u32(p, (uint32_t) s->hl_day);
	p = pf_textio_put_u32(p, (uint32_t) s->hl_month);
	p = pf_textio_put_double(p, s->weight);
	p = pf_textio_put_double(p, s->inbound);
	p = pf_textio_put_double(p, s->outbound);
	p = pf_textio_put_double(p, s->sentiment_weight);
	(void) pf_textio_put_double(p, s->sentiment_sum);
}

void
pf_relstrength_decode(const uint8_t *buf, size_t len, PfRelstrength *s)
{
	const uint8_t *p = buf;
	uint64_t	u;
	uint32_t	u32;
	const char *detail;

	if (len != PF_RELSTRENGTH_WIRE_SIZE)
	{
		char		size_detail[96];

		snprintf(size_detail, sizeof(size_detail),
				 "The value has %zu bytes, not %d.", len, PF_RELSTRENGTH_WIRE_SIZE);
		pf_textio_invalid_value(NULL, TYPE_NAME, size_detail);
	}
	pf_textio_check_version(NULL, TYPE_NAME, buf[0], PF_RELSTRENGTH_VERSION);
	memset(s, 0, sizeof(*s));
	s->version = *p++;
	memcpy(s->reserved, p, sizeof(s->reserved));
	p += sizeof(s->reserved);
	p = pf_textio_get_u64(p, &u);
	s->n = (int64_t) u;
	p = pf_textio_get_u64(p, &u);
	s->first = (int64_t) u;
	p = pf_textio_get_u64(p, &u);
	s->last = (int64_t) u;
	p = pf_textio_get_u64(p, &u);
	s->hl_time = (int64_t) u;
	p = pf_textio_get_u32(p, &u32);
	s->hl_day = (int32_t) u32;
	p = pf_textio_get_u32(p, &u32);
	s->hl_month = (int32_t) u32;
	p = pf_textio_get_double(p, &s->weight);
	p = pf_textio_get_double(p, &s->inbound);
	p = pf_textio_get_double(p, &s->outbound);
	p = pf_textio_get_double(p, &s->sentiment_weight);
	(void) pf_textio_get_double(p, &s->sentiment_sum);
	detail = validate(s);
	if (detail != NULL)
		pf_textio_invalid_value(NULL, TYPE_NAME, detail);
}

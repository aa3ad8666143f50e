/*-------------------------------------------------------------------------
 *
 * textio_core.h
 *	  The encodings shared by the stored types: ISO 8601 timestamps (UTC)
 *	  and durations, float8 written shortest-exact, the JSON scanner of
 *	  their text input with its error reports, and the big-endian codec of
 *	  their binary form.  Server-free.
 *
 * The stored types print timestamps and durations themselves, in one fixed
 * form, so that their text does not depend on the session's TimeZone,
 * DateStyle or IntervalStyle and survives dump and restore anywhere.
 *
 * Each token parser reads one token at p and returns the position after
 * it, or NULL when the token is malformed or out of range.  The scanner
 * (PfTextioScan) reads a whole input with them and reports every error of
 * a type's text and binary input in one style:
 *
 *	syntax	invalid input syntax for type TYPE: "INPUT"
 *			Expected WHAT at character N.  (1-based, counted in UTF-8
 *			characters; "at end of input" past the last one)
 *	value	invalid input value for type TYPE: "INPUT"
 *			a sentence saying what is inconsistent
 *	binary	invalid binary input for type TYPE
 *			a sentence saying what is inconsistent
 *
 * A long input is quoted in part, cut next to an ASCII character, which
 * is a character boundary in UTF-8 and in every other server encoding.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TEXTIO_CORE_H
#define TEXTIO_CORE_H

#include <string.h>

#include "pf_core.h"

/* microseconds since 2000-01-01 00:00 UTC <-> "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" */
extern void pf_textio_format_timestamp(int64_t usecs, char *buf, size_t buflen);
extern const char *pf_textio_parse_timestamp(const char *p, int64_t *usecs);

/* an interval's fields <-> ISO 8601 duration "P1Y2M3DT4H5M6.5S" */
extern void pf_textio_format_duration(int64_t time, int32_t day, int32_t month,
									  char *buf, size_t buflen);
extern const char *pf_textio_parse_duration(const char *p, int64_t *time,
											int32_t *day, int32_t *month);

/* finite float8 <-> JSON number, shortest text that reads back exactly */
extern void pf_textio_format_double(double v, char *buf, size_t buflen);
extern const char *pf_textio_parse_double(const char *p, double *v);

/*
 * JSON integer within int64: an optional minus, then 0 or digits without a
 * leading zero, not followed by a fraction or an exponent.
 */
extern const char *pf_textio_parse_int64(const char *p, int64_t *v);

/* decimal text of v, not NUL-terminated; returns its length (at most 20) */
extern int	pf_textio_format_int64(int64_t v, char *buf);

/*
 * An interval's length in microseconds, converting months and days as
 * EXTRACT(EPOCH FROM interval) does: a year of months is 365.25 days, a
 * remaining month 30 days, a day 86400 seconds.  In double precision: the
 * longest intervals exceed int64 microseconds.
 */
static inline double
pf_textio_interval_usecs(int64_t time, int32_t day, int32_t month)
{
	return (double) time
		+ 86400.0e6 * (double) day
		+ 365.25 * 86400.0e6 * (double) (month / 12)
		+ 30.0 * 86400.0e6 * (double) (month % 12);
}

/* PostgreSQL's timestamptz range, microseconds since 2000-01-01 00:00 UTC */
#define PF_MIN_TIMESTAMP INT64_C(-211813488000000000)
#define PF_END_TIMESTAMP INT64_C(9223371331200000000)	/* exclusive */

/*
 * The JSON scanner of a stored type's text input.  Every scan_ function
 * skips JSON white space (space, tab, CR, LF) first and reports a syntax
 * error (PF_ERR_INVALID_TEXT) when what it expects is not there.
 */
typedef struct PfTextioScan
{
	const char *input;			/* the whole input, for messages */
	const char *p;				/* the next character */
	const char *type_name;		/* "relstrength", "survival" */
	const char *form;			/* the hint of syntax errors */
} PfTextioScan;

extern void pf_textio_scan_init(PfTextioScan *sc, const char *input,
								const char *type_name, const char *form);

/* "Expected WHAT at character N." at the scanner's position */
extern void pf_textio_syntax_error(const PfTextioScan *sc, const char *what) PF_NORETURN;

/*
 * A value well-formed but inconsistent, detail a sentence saying how: an
 * invalid input value error from text input (sc its scanner), an invalid
 * binary input error from binary input (sc NULL).
 */
extern void pf_textio_invalid_value(const PfTextioScan *sc, const char *type_name,
									const char *detail) PF_NORETURN;

/* the same when a stored value's version is not the one this release reads */
extern void pf_textio_check_version(const PfTextioScan *sc, const char *type_name,
									int64_t version, int64_t known);

/* the character c when it comes next (consumed), else false */
extern bool pf_textio_scan_accept(PfTextioScan *sc, char c);

/* the character c */
extern void pf_textio_scan_char(PfTextioScan *sc, char c);

/* "key" and its colon */
extern void pf_textio_scan_key(PfTextioScan *sc, const char *key);

/* one of the nwords strings, quoted; returns its index; what names them */
extern int	pf_textio_scan_word(PfTextioScan *sc, const char *const *words,
								int nwords, const char *what);

extern int64_t pf_textio_scan_int64(PfTextioScan *sc);
extern double pf_textio_scan_double(PfTextioScan *sc);
extern int64_t pf_textio_scan_timestamp(PfTextioScan *sc);
extern void pf_textio_scan_duration(PfTextioScan *sc, int64_t *time,
									int32_t *day, int32_t *month);

/* nothing but white space up to the end */
extern void pf_textio_scan_end(PfTextioScan *sc);

/*
 * The big-endian codec of the stored types' binary form: each put writes
 * at p and returns the position after the value, each get reads there.
 */
static inline uint8_t *
pf_textio_put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
	{
		p[i] = (uint8_t) v;
		v >>= 8;
	}
	return p + 8;
}

static inline uint8_t *
pf_textio_put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
	{
		p[i] = (uint8_t) v;
		v >>= 8;
	}
	return p + 4;
}

static inline uint8_t *
pf_textio_put_double(uint8_t *p, double v)
{
	uint64_t	bits;

	memcpy(&bits, &v, sizeof(bits));
	return pf_textio_put_u64(p, bits);
}

static inline const uint8_t *
pf_textio_get_u64(const uint8_t *p, uint64_t *v)
{
	uint64_t	u = 0;

	for (int i = 0; i < 8; i++)
		u = (u << 8) | p[i];
	*v = u;
	return p + 8;
}

static inline const uint8_t *
pf_textio_get_u32(const uint8_t *p, uint32_t *v)
{
	uint32_t	u = 0;

	for (int i = 0; i < 4; i++)
		u = (u << 8) | p[i];
	*v = u;
	return p + 4;
}

static inline const uint8_t *
pf_textio_get_double(const uint8_t *p, double *v)
{
	uint64_t	bits;

	p = pf_textio_get_u64(p, &bits);
	memcpy(v, &bits, sizeof(bits));
	return p;
}

#endif							/* TEXTIO_CORE_H */

/*-------------------------------------------------------------------------
 *
 * textio_core.h
 *	  Text encodings shared by the stored types: ISO 8601 timestamps (UTC)
 *	  and durations, and float8 written shortest-exact.  Server-free.
 *
 * The stored types print timestamps and durations themselves, in one fixed
 * form, so that their text does not depend on the session's TimeZone,
 * DateStyle or IntervalStyle and survives dump and restore anywhere.
 *
 * Each parser reads one token at p and returns the position after it, or
 * NULL when the token is malformed or out of range.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TEXTIO_CORE_H
#define TEXTIO_CORE_H

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

/* JSON-style non-negative integer; rejects signs, leading zeros, overflow */
extern const char *pf_textio_parse_int64(const char *p, int64_t *v);

/*
 * An interval's length in microseconds, converting months and days as
 * EXTRACT(EPOCH FROM interval) does: a year of months is 365.25 days, a
 * remaining month 30 days, a day 86400 seconds.  In double precision: the
 * longest intervals exceed int64 microseconds.
 */
static inline double
pf_interval_usecs(int64_t time, int32_t day, int32_t month)
{
	return (double) time
		+ 86400.0e6 * (double) day
		+ 365.25 * 86400.0e6 * (double) (month / 12)
		+ 30.0 * 86400.0e6 * (double) (month % 12);
}

/* PostgreSQL's timestamptz range, microseconds since 2000-01-01 00:00 UTC */
#define PF_MIN_TIMESTAMP INT64_C(-211813488000000000)
#define PF_END_TIMESTAMP INT64_C(9223371331200000000)	/* exclusive */

#endif							/* TEXTIO_CORE_H */

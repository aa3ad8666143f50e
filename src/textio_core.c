/*-------------------------------------------------------------------------
 *
 * textio_core.c
 *	  ISO 8601 timestamps and durations, shortest-exact float8 text and
 *	  JSON integers, and the scanner that reads the stored types' text
 *	  input with them and reports its errors.  Server-free.
 *
 * Dates use the proleptic Gregorian calendar with astronomical year
 * numbering (year 0 is 1 BC), as ISO 8601 does.
 *
 *-------------------------------------------------------------------------
 */
#include "textio_core.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USECS_PER_DAY INT64_C(86400000000)
#define USECS_PER_HOUR INT64_C(3600000000)
#define USECS_PER_MINUTE INT64_C(60000000)
#define USECS_PER_SEC INT64_C(1000000)
/* days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch */
#define EPOCH_2000_DAYS INT64_C(10957)

/* days since 1970-01-01 of a proleptic Gregorian date */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era;
	int64_t		yoe;
	int64_t		doy;
	int64_t		doe;

	y -= (m <= 2);
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t		era;
	int64_t		doe;
	int64_t		yoe;
	int64_t		doy;
	int64_t		mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int64_t y, int m)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return (m == 2 && is_leap(y)) ? 29 : mdays[m - 1];
}

/* floor division and modulo for a positive divisor */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	if ((a % b) != 0 && a < 0)
		q--;
	return q;
}

/* The n decimal digits of u, leading zeros included, into d. */
static void
put_digits(uint64_t u, int n, char *d)
{
	for (int i = n - 1; i >= 0; i--)
	{
		d[i] = (char) ('0' + u % 10);
		u /= 10;
	}
}

/*
 * A fraction of a second, 0 <= usecs < 10^6, as ".ffffff" with trailing
 * zeros dropped, or nothing, at p (which needs 8 bytes); returns the end.
 */
static char *
put_fraction(char *p, int64_t usecs)
{
	int			len = 6;

	if (usecs == 0)
		return p;
	*p++ = '.';
	put_digits((uint64_t) usecs, 6, p);
	while (p[len - 1] == '0')
		len--;
	return p + len;
}

/* the len bytes of text into buf as a string, cut to buflen - 1 bytes */
static void
copy_text(char *buf, size_t buflen, const char *text, size_t len)
{
	if (buflen == 0)
		return;
	if (len >= buflen)
		len = buflen - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
}

void
pf_textio_format_timestamp(int64_t usecs, char *buf, size_t buflen)
{
	int64_t		days = floor_div(usecs, USECS_PER_DAY);
	int64_t		tod = usecs - days * USECS_PER_DAY;
	int64_t		y;
	int			m;
	int			d;
	char		text[64];
	char	   *p = text;
	uint64_t	year;
	int			ydigits = 4;

	civil_from_days(days + EPOCH_2000_DAYS, &y, &m, &d);
	if (y < 0)
		*p++ = '-';
	year = (uint64_t) (y < 0 ? -y : y);
	for (uint64_t big = 10000; year >= big && ydigits < 19; big *= 10)
		ydigits++;
	put_digits(year, ydigits, p);
	p += ydigits;
	*p++ = '-';
	put_digits((uint64_t) m, 2, p);
	p += 2;
	*p++ = '-';
	put_digits((uint64_t) d, 2, p);
	p += 2;
	*p++ = 'T';
	put_digits((uint64_t) (tod / USECS_PER_HOUR), 2, p);
	p += 2;
	*p++ = ':';
	put_digits((uint64_t) (tod % USECS_PER_HOUR / USECS_PER_MINUTE), 2, p);
	p += 2;
	*p++ = ':';
	put_digits((uint64_t) (tod % USECS_PER_MINUTE / USECS_PER_SEC), 2, p);
	p += 2;
	p = put_fraction(p, tod % USECS_PER_SEC);
	*p++ = 'Z';
	copy_text(buf, buflen, text, (size_t) (p - text));
}

/* exactly n digits at p; returns their value or -1 */
static int64_t
read_fixed_digits(const char *p, int n)
{
	int64_t		v = 0;

	for (int i = 0; i < n; i++)
	{
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* "1".."6" fractional digits after a '.', as microseconds */
static const char *
read_fraction(const char *p, int64_t *usecs)
{
	int64_t		v = 0;
	int			n = 0;

	while (*p >= '0' && *p <= '9')
	{
		if (++n > 6)
			return NULL;
		v = v * 10 + (*p++ - '0');
	}
	if (n == 0)
		return NULL;
	for (; n < 6; n++)
		v *= 10;
	*usecs = v;
	return p;
}

const char *
pf_textio_parse_timestamp(const char *p, int64_t *usecs)
{
	bool		negative = false;
	int64_t		y = 0;
	int			ndigits = 0;
	int64_t		mo,
				d,
				h,
				mi,
				s;
	int64_t		frac = 0;
	int64_t		days;

	if (*p == '-')
	{
		negative = true;
		p++;
	}
	while (*p >= '0' && *p <= '9')
	{
		if (++ndigits > 6)
			return NULL;
		y = y * 10 + (*p++ - '0');
	}
	if (ndigits < 4 || *p++ != '-')
		return NULL;
	if (negative)
		y = -y;
	mo = read_fixed_digits(p, 2);
	if (mo < 1 || mo > 12 || p[2] != '-')
		return NULL;
	p += 3;
	d = read_fixed_digits(p, 2);
	if (d < 1 || d > days_in_month(y, (int) mo) || p[2] != 'T')
		return NULL;
	p += 3;
	h = read_fixed_digits(p, 2);
	if (h < 0 || h > 23 || p[2] != ':')
		return NULL;
	p += 3;
	mi = read_fixed_digits(p, 2);
	if (mi < 0 || mi > 59 || p[2] != ':')
		return NULL;
	p += 3;
	s = read_fixed_digits(p, 2);
	if (s < 0 || s > 59)
		return NULL;
	p += 2;
	if (*p == '.')
	{
		p = read_fraction(p + 1, &frac);
		if (p == NULL)
			return NULL;
	}
	if (*p++ != 'Z')
		return NULL;

	/* years are at most six digits, so none of this can overflow */
	days = days_from_civil(y, (int) mo, (int) d) - EPOCH_2000_DAYS;
	if (days < PF_MIN_TIMESTAMP / USECS_PER_DAY - 1 ||
		days > PF_END_TIMESTAMP / USECS_PER_DAY)
		return NULL;
	*usecs = days * USECS_PER_DAY + h * USECS_PER_HOUR + mi * USECS_PER_MINUTE
		+ s * USECS_PER_SEC + frac;
	if (*usecs < PF_MIN_TIMESTAMP || *usecs >= PF_END_TIMESTAMP)
		return NULL;
	return p;
}

/* "<v><designator>" at p when v is not zero; returns the end */
static char *
put_component(char *p, int64_t v, char designator)
{
	if (v != 0)
	{
		p += pf_textio_format_int64(v, p);
		*p++ = designator;
	}
	return p;
}

void
pf_textio_format_duration(int64_t time, int32_t day, int32_t month, char *buf,
						  size_t buflen)
{
	char		text[128];
	char	   *p = text;

	*p++ = 'P';
	p = put_component(p, month / 12, 'Y');
	p = put_component(p, month % 12, 'M');
	p = put_component(p, day, 'D');
	if (time == 0)
	{
		if (p == text + 1)
		{
			memcpy(p, "T0S", 3);
			p += 3;
		}
	}
	else
	{
		int64_t		secs = time % USECS_PER_MINUTE / USECS_PER_SEC;
		int64_t		usecs = time % USECS_PER_SEC;

		*p++ = 'T';
		p = put_component(p, time / USECS_PER_HOUR, 'H');
		p = put_component(p, time % USECS_PER_HOUR / USECS_PER_MINUTE, 'M');
		if (usecs != 0)
		{
			/* -0.5 seconds: the sign would be lost with the zero */
			if (usecs < 0 && secs == 0)
				*p++ = '-';
			p += pf_textio_format_int64(secs, p);
			p = put_fraction(p, usecs < 0 ? -usecs : usecs);
			*p++ = 'S';
		}
		else
			p = put_component(p, secs, 'S');
	}
	copy_text(buf, buflen, text, (size_t) (p - text));
}

/* an optionally signed integer of at most 18 digits */
static const char *
read_signed(const char *p, int64_t *v, bool *negative)
{
	int			n = 0;

	*negative = false;
	*v = 0;
	if (*p == '-')
	{
		*negative = true;
		p++;
	}
	while (*p >= '0' && *p <= '9')
	{
		if (++n > 18)
			return NULL;
		*v = *v * 10 + (*p++ - '0');
	}
	if (n == 0)
		return NULL;
	if (*negative)
		*v = -*v;
	return p;
}

/* v * mult + *acc without overflow, for |v| < 10^18 */
static bool
accumulate(int64_t *acc, int64_t v, int64_t mult)
{
	int64_t		prod;

	if (v != 0 && (v > INT64_MAX / mult || v < -(INT64_MAX / mult)))
		return false;
	prod = v * mult;
	if ((prod > 0 && *acc > INT64_MAX - prod) ||
		(prod < 0 && *acc < INT64_MIN - prod))
		return false;
	*acc += prod;
	return true;
}

const char *
pf_textio_parse_duration(const char *p, int64_t *time, int32_t *day, int32_t *month)
{
	static const char date_designators[] = "YMD";
	static const char time_designators[] = "HMS";
	int64_t		months = 0;
	int64_t		days = 0;
	int64_t		usecs = 0;
	int			next = 0;
	int			components = 0;

	if (*p++ != 'P')
		return NULL;
	while (*p != 'T' && ((*p >= '0' && *p <= '9') || *p == '-'))
	{
		int64_t		v;
		bool		neg;
		const char *d;

		p = read_signed(p, &v, &neg);
		if (p == NULL)
			return NULL;
		d = strchr(date_designators + next, *p);
		if (*p == '\0' || d == NULL)
			return NULL;
		next = (int) (d - date_designators) + 1;
		if (*d == 'Y' ? !accumulate(&months, v, 12) :
			*d == 'M' ? !accumulate(&months, v, 1) :
			!accumulate(&days, v, 1))
			return NULL;
		p++;
		components++;
	}
	if (*p == 'T')
	{
		int			tcomponents = 0;

		p++;
		next = 0;
		while ((*p >= '0' && *p <= '9') || *p == '-')
		{
			int64_t		v;
			bool		neg;
			int64_t		frac = 0;
			const char *d;

			p = read_signed(p, &v, &neg);
			if (p == NULL)
				return NULL;
			if (*p == '.')
			{
				p = read_fraction(p + 1, &frac);
				if (p == NULL || *p != 'S')
					return NULL;
			}
			d = strchr(time_designators + next, *p);
			if (*p == '\0' || d == NULL)
				return NULL;
			next = (int) (d - time_designators) + 1;
			if (!accumulate(&usecs, v, *d == 'H' ? USECS_PER_HOUR :
							*d == 'M' ? USECS_PER_MINUTE : USECS_PER_SEC) ||
				!accumulate(&usecs, neg ? -frac : frac, 1))
				return NULL;
			p++;
			tcomponents++;
		}
		if (tcomponents == 0)
			return NULL;
		components += tcomponents;
	}
	if (components == 0)
		return NULL;
	if (months > INT32_MAX || months < INT32_MIN ||
		days > INT32_MAX || days < INT32_MIN)
		return NULL;
	*time = usecs;
	*day = (int32_t) days;
	*month = (int32_t) months;
	return p;
}

/*
 * The text of a float8 is the first of printf's "%.15g", "%.16g" and
 * "%.17g" that reads back exactly.  format_double_by_printf writes it so,
 * at the cost of up to three conversions and three reads;
 * format_double_fast writes the same bytes for most values without
 * either, and pf_textio_format_double uses it where it can.
 */
static void
format_double_by_printf(double v, char *buf, size_t buflen)
{
	for (int precision = 15; precision <= 17; precision++)
	{
		snprintf(buf, buflen, "%.*g", precision, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/*
 * The decimal digits d[0 .. precision-1] (trailing zeros allowed) times
 * 10^exp10 (d[0] being the units digit), in printf's "%.<precision>g"
 * layout: scientific when exp10 < -4 or exp10 >= precision, trailing
 * zeros and a bare point dropped, an exponent of at least two digits.
 */
static void
layout_g(bool negative, const char *d, int precision, int exp10, char *out)
{
	int			ndigits = precision;
	char	   *p = out;

	while (ndigits > 1 && d[ndigits - 1] == '0')
		ndigits--;
	if (negative)
		*p++ = '-';
	if (exp10 < -4 || exp10 >= precision)
	{
		int			e = exp10 < 0 ? -exp10 : exp10;

		*p++ = d[0];
		if (ndigits > 1)
		{
			*p++ = '.';
			memcpy(p, d + 1, ndigits - 1);
			p += ndigits - 1;
		}
		*p++ = 'e';
		*p++ = exp10 < 0 ? '-' : '+';
		if (e >= 100)
			*p++ = (char) ('0' + e / 100);
		*p++ = (char) ('0' + e / 10 % 10);
		*p++ = (char) ('0' + e % 10);
	}
	else if (exp10 >= 0)
	{
		/* exp10 + 1 digits before the point, padded with zeros */
		for (int i = 0; i <= exp10; i++)
			*p++ = i < ndigits ? d[i] : '0';
		if (ndigits > exp10 + 1)
		{
			*p++ = '.';
			memcpy(p, d + exp10 + 1, ndigits - exp10 - 1);
			p += ndigits - exp10 - 1;
		}
	}
	else
	{
		*p++ = '0';
		*p++ = '.';
		for (int i = 0; i < -exp10 - 1; i++)
			*p++ = '0';
		memcpy(p, d, ndigits);
		p += ndigits;
	}
	*p = '\0';
}

#if LDBL_MANT_DIG >= 64

/* 10^0 .. 10^27: exact in a long double of 64 mantissa bits (5^27 < 2^64) */
static const long double exact_pow10[] = {
	1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L,
	1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L,
	1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L
};

/*
 * Decisions below are taken on long double values that carry an error of
 * at most half a unit in their last place: 2^-7 for the numbers of about
 * 2^56.5 used here.  Anything closer than this margin to where a decision
 * turns is left to printf.
 */
#define FAST_MARGIN 0.02L

/*
 * format_double without printf for |v| from 10^-11 to below 10^44: v
 * times a power of ten that is exact in a long double gives its 17 digits
 * and what lies beyond them to within FAST_MARGIN of a unit of the 17th
 * digit, enough to round to 17, 16 and 15 digits and to tell whether each
 * reads back, except near a half.  False where it cannot tell (a few in a
 * hundred values), or out of range.
 */
static bool
format_double_fast(double v, char *buf)
{
	double		a = fabs(v);
	int			e2;
	int			exp10;
	long double m = 0;
	long double ulp = 0;
	uint64_t	whole;
	long double frac;
	char		d[17];
	bool		pow2;

	/* a power of two has a gap below it half the gap above */
	pow2 = frexp(a, &e2) == 0.5;
	/* 10^exp10 <= a < 10^(exp10 + 1), up to one off, fixed below */
	exp10 = (int) floor((double) (e2 - 1) * 0.30102999566398120);
	for (int tries = 0; tries < 2; tries++)
	{
		int			k = 16 - exp10;

		if (k < -27 || k > 27)
			return false;
		/* a and its unit in the last place, scaled so the digits are whole */
		ulp = ldexpl(1.0L, e2 - 53);
		if (k >= 0)
		{
			m = (long double) a * exact_pow10[k];
			ulp *= exact_pow10[k];
		}
		else
		{
			m = (long double) a / exact_pow10[-k];
			ulp /= exact_pow10[-k];
		}
		if (m >= 1e17L)
			exp10++;
		else if (m < 1e16L)
			exp10--;
		else
			break;
		if (tries == 1)
			return false;
	}
	if (!(m >= 1e16L && m < 1e17L))
		return false;
	whole = (uint64_t) m;
	frac = m - (long double) whole;

	/* 15 digits, then 16, then the 17 that always read back */
	for (int precision = 15; precision <= 17; precision++)
	{
		uint64_t	scale = precision == 15 ? 100 : precision == 16 ? 10 : 1;
		long double beyond = (long double) (whole % scale) + frac;
		long double half = (long double) scale / 2.0L;
		uint64_t	r;
		long double diff;
		long double limit;
		int			e = exp10;

		if (fabsl(beyond - half) < FAST_MARGIN)
			return false;
		r = whole / scale + (beyond > half ? 1 : 0);
		/*
		 * how far the rounded value is from a, in units of the 17th digit,
		 * and how far it may be and still read back as a: half the gap to
		 * the next double on its side
		 */
		diff = fabsl((long double) r * (long double) scale - m);
		limit = (pow2 && (long double) r * (long double) scale < m) ? ulp / 4.0L : ulp / 2.0L;
		if (fabsl(diff - limit) < FAST_MARGIN)
			return false;
		if (precision < 17 && diff > limit)
			continue;			/* reads back as another double */
		if (r == (uint64_t) 1e17 / scale)
		{
			r /= 10;			/* 9.99..9 rounded up to 10.00..0 */
			e++;
		}
		put_digits(r, precision, d);
		layout_g(v < 0, d, precision, e, buf);
		return true;
	}
	return false;
}

#else

static bool
format_double_fast(double v, char *buf)
{
	(void) v;
	(void) buf;
	return false;
}

#endif

void
pf_textio_format_double(double v, char *buf, size_t buflen)
{
	if (isfinite(v) && v != 0.0 && buflen >= 32 && format_double_fast(v, buf))
		return;
	format_double_by_printf(v, buf, buflen);
}

/*
 * The digits at p, or NULL when they run max bytes past start: a token
 * parser's loops stay as short as its tokens may be.
 */
static const char *
skip_digits(const char *start, const char *p, size_t max)
{
	while (*p >= '0' && *p <= '9')
		if ((size_t) (++p - start) >= max)
			return NULL;
	return p;
}

const char *
pf_textio_parse_double(const char *p, double *v)
{
	const char *start = p;
	char		copy[400];
	char	   *end;
	size_t		len;

	/*
	 * JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?,
	 * no longer than the copy holds
	 */
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		p = skip_digits(start, p, sizeof(copy));
	else
		return NULL;
	if (p != NULL && *p == '.')
	{
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return NULL;
		p = skip_digits(start, p, sizeof(copy));
	}
	if (p != NULL && (*p == 'e' || *p == 'E'))
	{
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return NULL;
		p = skip_digits(start, p, sizeof(copy));
	}
	if (p == NULL)
		return NULL;
	len = (size_t) (p - start);
	if (len >= sizeof(copy))
		return NULL;
	memcpy(copy, start, len);
	copy[len] = '\0';
	*v = strtod(copy, &end);
	if (end != copy + len || !isfinite(*v))
		return NULL;
	return p;
}

const char *
pf_textio_parse_int64(const char *p, int64_t *v)
{
	bool		negative = false;
	uint64_t	limit;
	uint64_t	acc = 0;

	if (*p == '-')
	{
		negative = true;
		p++;
	}
	limit = negative ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
	{
		while (*p >= '0' && *p <= '9')
		{
			uint64_t	digit = (uint64_t) (*p++ - '0');

			if (acc > (limit - digit) / 10)
				return NULL;
			acc = acc * 10 + digit;
		}
	}
	else
		return NULL;
	/* a leading zero, a fraction or an exponent: not a JSON integer */
	if ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E')
		return NULL;
	if (negative)
		*v = acc == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) acc;
	else
		*v = (int64_t) acc;
	return p;
}

int
pf_textio_format_int64(int64_t v, char *buf)
{
	char		digits[20];
	uint64_t	u = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;
	int			n = 0;
	int			len = 0;

	do
	{
		digits[n++] = (char) ('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		buf[len++] = '-';
	while (n > 0)
		buf[len++] = digits[--n];
	return len;
}

/* ---------------------------------------------------------------------
 * The scanner of the stored types' text input, and its error reports
 * ---------------------------------------------------------------------
 */

/* longest part of an input quoted in a message, in bytes */
#define QUOTE_MAX 256

/*
 * The input quoted for a message: whole when short, else cut next to an
 * ASCII character (a character boundary in every server encoding) and
 * followed by "...".
 */
static void
quote_input(const char *input, char *buf, size_t buflen)
{
	size_t		len = strnlen(input, QUOTE_MAX + 1);

	if (len <= QUOTE_MAX)
	{
		snprintf(buf, buflen, "\"%s\"", input);
		return;
	}
	/* an ASCII byte is a whole character in every server encoding */
	len = QUOTE_MAX;
	while (len > 0 && (unsigned char) input[len] >= 0x80 &&
		   (unsigned char) input[len - 1] >= 0x80)
		len--;
	snprintf(buf, buflen, "\"%.*s...\"", (int) len, input);
}

/* 1-based position of p in input, counting UTF-8 characters */
static int64_t
char_position(const char *input, const char *p)
{
	int64_t		n = 1;

	for (const char *q = input; q < p; q++)
	{
		PF_INTERRUPT_EVERY(q - input);
		if (((unsigned char) *q & 0xC0) != 0x80)
			n++;
	}
	return n;
}

void
pf_textio_scan_init(PfTextioScan *sc, const char *input, const char *type_name,
					const char *form)
{
	sc->input = sc->p = input;
	sc->type_name = type_name;
	sc->form = form;
}

void
pf_textio_syntax_error(const PfTextioScan *sc, const char *what)
{
	char		quoted[QUOTE_MAX + 8];
	char		detail[256];

	quote_input(sc->input, quoted, sizeof(quoted));
	if (*sc->p == '\0')
		snprintf(detail, sizeof(detail), "Expected %s at end of input.", what);
	else
		snprintf(detail, sizeof(detail), "Expected %s at character %lld.", what,
				 (long long) char_position(sc->input, sc->p));
	pf_errorf(PF_ERR_INVALID_TEXT, detail, sc->form,
			  "invalid input syntax for type %s: %s", sc->type_name, quoted);
}

void
pf_textio_invalid_value(const PfTextioScan *sc, const char *type_name,
						const char *detail)
{
	char		quoted[QUOTE_MAX + 8];

	if (sc == NULL)
		pf_errorf(PF_ERR_INVALID_BINARY, detail, NULL,
				  "invalid binary input for type %s", type_name);
	quote_input(sc->input, quoted, sizeof(quoted));
	pf_errorf(PF_ERR_INVALID_TEXT, detail, NULL,
			  "invalid input value for type %s: %s", type_name, quoted);
}

void
pf_textio_check_version(const PfTextioScan *sc, const char *type_name,
						int64_t version, int64_t known)
{
	char		detail[128];

	if (version == known)
		return;
	snprintf(detail, sizeof(detail),
			 "The version is %lld; this release reads only version %lld.",
			 (long long) version, (long long) known);
	pf_textio_invalid_value(sc, type_name, detail);
}

static void
skip_space(PfTextioScan *sc)
{
	for (int64_t i = 0; *sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' || *sc->p == '\r'; i++)
	{
		PF_INTERRUPT_EVERY(i + 1);
		sc->p++;
	}
}

bool
pf_textio_scan_accept(PfTextioScan *sc, char c)
{
	skip_space(sc);
	if (*sc->p != c)
		return false;
	sc->p++;
	return true;
}

void
pf_textio_scan_char(PfTextioScan *sc, char c)
{
	if (!pf_textio_scan_accept(sc, c))
	{
		char		what[8];

		snprintf(what, sizeof(what), "\"%c\"", c);
		pf_textio_syntax_error(sc, what);
	}
}

void
pf_textio_scan_key(PfTextioScan *sc, const char *key)
{
	size_t		len = strlen(key);

	skip_space(sc);
	if (sc->p[0] != '"' || strncmp(sc->p + 1, key, len) != 0 ||
		sc->p[len + 1] != '"')
	{
		char		what[96];

		snprintf(what, sizeof(what), "key \"%s\"", key);
		pf_textio_syntax_error(sc, what);
	}
	sc->p += len + 2;
	pf_textio_scan_char(sc, ':');
}

int
pf_textio_scan_word(PfTextioScan *sc, const char *const *words, int nwords,
					const char *what)
{
	skip_space(sc);
	for (int i = 0; i < nwords; i++)
	{
		size_t		len = strlen(words[i]);

		if (sc->p[0] == '"' && strncmp(sc->p + 1, words[i], len) == 0 &&
			sc->p[len + 1] == '"')
		{
			sc->p += len + 2;
			return i;
		}
	}
	pf_textio_syntax_error(sc, what);
}

int64_t
pf_textio_scan_int64(PfTextioScan *sc)
{
	int64_t		v;
	const char *next;

	skip_space(sc);
	next = pf_textio_parse_int64(sc->p, &v);
	if (next == NULL)
		pf_textio_syntax_error(sc, "an integer within the range of bigint");
	sc->p = next;
	return v;
}

double
pf_textio_scan_double(PfTextioScan *sc)
{
	double		v;
	const char *next;

	skip_space(sc);
	next = pf_textio_parse_double(sc->p, &v);
	if (next == NULL)
		pf_textio_syntax_error(sc, "a finite number");
	sc->p = next;
	return v;
}

int64_t
pf_textio_scan_timestamp(PfTextioScan *sc)
{
	int64_t		v;
	const char *next;

	skip_space(sc);
	next = sc->p[0] == '"' ? pf_textio_parse_timestamp(sc->p + 1, &v) : NULL;
	if (next == NULL || *next != '"')
		pf_textio_syntax_error(sc, "a timestamp \"YYYY-MM-DDTHH:MM:SS[.ffffff]Z\" within the range of timestamptz");
	sc->p = next + 1;
	return v;
}

void
pf_textio_scan_duration(PfTextioScan *sc, int64_t *time, int32_t *day,
						int32_t *month)
{
	const char *next;

	skip_space(sc);
	next = sc->p[0] == '"' ? pf_textio_parse_duration(sc->p + 1, time, day, month) : NULL;
	if (next == NULL || *next != '"')
		pf_textio_syntax_error(sc, "an ISO 8601 duration such as \"P30D\" or \"PT1H\"");
	sc->p = next + 1;
}

void
pf_textio_scan_end(PfTextioScan *sc)
{
	skip_space(sc);
	if (*sc->p != '\0')
		pf_textio_syntax_error(sc, "end of input");
}

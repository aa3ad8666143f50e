/*
 * test_textio.c
 *	  Unit tests of textio_core without a server: the ISO 8601, float8 and
 *	  integer tokens, the JSON scanner of the stored types and its error
 *	  reports, and the big-endian codec.
 *
 * Expected values are written out by hand: the calendar facts (2000-03-01
 * is day 60 after 2000-01-01, PostgreSQL's first and last timestamps), the
 * bytes of big-endian numbers.  The relstrength and survival encodings
 * built on these are tested in test_relstrength.c and test_survival.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "textio_core.h"

#define USECS_PER_DAY INT64_C(86400000000)

static bool
parse_ts(const char *text, int64_t *usecs)
{
	const char *end = pf_textio_parse_timestamp(text, usecs);

	return end != NULL && *end == '\0';
}

static bool
parse_int(const char *text, int64_t *v)
{
	const char *end = pf_textio_parse_int64(text, v);

	return end != NULL && *end == '\0';
}

/* a scanner over text, for a type named "thing" */
static PfTextioScan
scan(const char *text)
{
	PfTextioScan sc;

	pf_textio_scan_init(&sc, text, "thing", "The form is {\"a\":1}.");
	return sc;
}

/* {"a":INT,"b":NUMBER,"t":TIMESTAMP,"d":DURATION,"u":"x"|"y"} */
static void
scan_object(const char *text)
{
	static const char *const words[] = {"x", "y"};
	PfTextioScan sc = scan(text);
	int64_t		time;
	int32_t		day;
	int32_t		month;

	pf_textio_scan_char(&sc, '{');
	pf_textio_scan_key(&sc, "a");
	(void) pf_textio_scan_int64(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "b");
	(void) pf_textio_scan_double(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "t");
	(void) pf_textio_scan_timestamp(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "d");
	pf_textio_scan_duration(&sc, &time, &day, &month);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "u");
	(void) pf_textio_scan_word(&sc, words, 2, "\"x\" or \"y\"");
	pf_textio_scan_char(&sc, '}');
	pf_textio_scan_end(&sc);
}

static bool
syntax_error(const char *text)
{
	return PF_TRY(scan_object(text)) && pf_last_error_kind == PF_ERR_INVALID_TEXT &&
		strncmp(pf_last_error_message, "invalid input syntax for type thing: \"", 38) == 0;
}

static void
test_integers(void)
{
	int64_t		v = 0;
	char		buf[32];
	int			len;

	CHECK(parse_int("0", &v) && v == 0, "0");
	CHECK(parse_int("-0", &v) && v == 0, "-0 is JSON");
	CHECK(parse_int("9223372036854775807", &v) && v == INT64_MAX, "int64 max");
	CHECK(parse_int("-9223372036854775808", &v) && v == INT64_MIN, "int64 min");
	CHECK(!parse_int("9223372036854775808", &v), "past int64 max rejected");
	CHECK(!parse_int("-9223372036854775809", &v), "past int64 min rejected");
	CHECK(!parse_int("01", &v), "a leading zero rejected");
	CHECK(!parse_int("1.0", &v) && !parse_int("1e3", &v) && !parse_int("1E3", &v),
		  "a fraction or an exponent rejected");
	CHECK(!parse_int("+1", &v) && !parse_int("-", &v) && !parse_int("", &v),
		  "a plus sign, a bare minus, nothing rejected");
	CHECK(pf_textio_parse_int64("12,", &v) != NULL && v == 12,
		  "a number stops at a comma");
	len = pf_textio_format_int64(INT64_MIN, buf);
	buf[len] = '\0';
	CHECK(strcmp(buf, "-9223372036854775808") == 0 && len == 20, "format int64 min: %s", buf);
	len = pf_textio_format_int64(0, buf);
	buf[len] = '\0';
	CHECK(strcmp(buf, "0") == 0, "format 0: %s", buf);
	len = pf_textio_format_int64(1234567, buf);
	buf[len] = '\0';
	CHECK(strcmp(buf, "1234567") == 0, "format 1234567: %s", buf);
}

static void
test_scanner(void)
{
	static const char *const good =
	"{\"a\":-12,\"b\":1.5e3,\"t\":\"2024-01-01T00:00:00Z\",\"d\":\"P1D\",\"u\":\"y\"}";
	char		buf[1024];
	size_t		len = strlen(good);
	volatile int accepted = 0;

	CHECK(!PF_TRY(scan_object(good)), "a good object scans");
	CHECK(!PF_TRY(scan_object(" {\t\"a\" : 0 ,\n\"b\":0, \"t\":\"2024-01-01T00:00:00Z\",\"d\":\"PT1H\",\"u\":\"x\"}\r\n")),
		  "white space between tokens");
	for (size_t i = 0; i < len; i++)
	{
		memcpy(buf, good, i);
		buf[i] = '\0';
		if (!syntax_error(buf))
			accepted++;
	}
	CHECK(accepted == 0, "every truncation is a syntax error (%d accepted)", accepted);

	CHECK(syntax_error("{\"a\":01,\"b\":1,\"t\":\"2024-01-01T00:00:00Z\",\"d\":\"P1D\",\"u\":\"y\"}"),
		  "a leading zero");
	CHECK(syntax_error("{\"a\":1,\"b\":NaN,\"t\":\"2024-01-01T00:00:00Z\",\"d\":\"P1D\",\"u\":\"y\"}"),
		  "NaN");
	CHECK(syntax_error("{\"a\":1,\"b\":1,\"t\":\"2024-02-30T00:00:00Z\",\"d\":\"P1D\",\"u\":\"y\"}"),
		  "February 30");
	CHECK(syntax_error("{\"a\":1,\"b\":1,\"t\":2024,\"d\":\"P1D\",\"u\":\"y\"}"),
		  "an unquoted timestamp");
	CHECK(syntax_error("{\"a\":1,\"b\":1,\"t\":\"2024-01-01T00:00:00Z\",\"d\":\"1D\",\"u\":\"y\"}"),
		  "a duration without P");
	CHECK(syntax_error("{\"a\":1,\"b\":1,\"t\":\"2024-01-01T00:00:00Z\",\"d\":\"P1D\",\"u\":\"z\"}"),
		  "an unknown word");
	CHECK(syntax_error("{\"a\":1,\"b\":1,\"t\":\"2024-01-01T00:00:00Z\",\"d\":\"P1D\",\"u\":\"xy\"}"),
		  "a word with more after it");
	CHECK(syntax_error("{\"b\":1,\"a\":1,\"t\":\"2024-01-01T00:00:00Z\",\"d\":\"P1D\",\"u\":\"y\"}"),
		  "keys out of order");
	CHECK(syntax_error("{\"a\":1,\"b\":1,\"t\":\"2024-01-01T00:00:00Z\",\"d\":\"P1D\",\"u\":\"y\"}x"),
		  "text after the end");
	CHECK(syntax_error("{\"a\":1,\"b\":1,\"t\":\"2024-01-01T00:00:00Z\",\"d\":\"P1D\",\"u\":\"y\"}\x01"),
		  "a control character after the end");

	/* the message quotes the input, a long one in part, at a character boundary */
	CHECK(syntax_error("nonsense") &&
		  strcmp(pf_last_error_message, "invalid input syntax for type thing: \"nonsense\"") == 0,
		  "short input quoted whole: %s", pf_last_error_message);
	memset(buf, 'x', 300);
	buf[300] = '\0';
	CHECK(syntax_error(buf) && strlen(pf_last_error_message) == 38 + 256 + 4 &&
		  strcmp(pf_last_error_message + 38 + 256, "...\"") == 0,
		  "long input cut at 256 bytes: %s", pf_last_error_message);
	/* "{" then 200 two-byte characters: the cut falls inside them */
	buf[0] = '{';
	for (int i = 0; i < 200; i++)
	{
		buf[1 + 2 * i] = (char) 0xC3;
		buf[2 + 2 * i] = (char) 0xA9;
	}
	buf[401] = '\0';
	CHECK(syntax_error(buf) &&
		  strcmp(pf_last_error_message, "invalid input syntax for type thing: \"{...\"") == 0,
		  "a cut among non-ASCII characters moves back to an ASCII one: %s",
		  pf_last_error_message);
	memset(buf, 'x', 255);
	buf[255] = (char) 0xC3;
	buf[256] = (char) 0xA9;
	buf[257] = 'x';
	buf[258] = '\0';
	CHECK(syntax_error(buf) && strlen(pf_last_error_message) == 38 + 255 + 4,
		  "a two-byte character across the limit is left out whole");

	/* value and binary errors */
	{
		PfTextioScan sc = scan("{\"a\":1}");

		CHECK(PF_TRY(pf_textio_invalid_value(&sc, "thing", "A is wrong.")) &&
			  pf_last_error_kind == PF_ERR_INVALID_TEXT &&
			  strcmp(pf_last_error_message, "invalid input value for type thing: \"{\"a\":1}\"") == 0,
			  "value error: %s", pf_last_error_message);
		CHECK(PF_TRY(pf_textio_invalid_value(NULL, "thing", "A is wrong.")) &&
			  pf_last_error_kind == PF_ERR_INVALID_BINARY &&
			  strcmp(pf_last_error_message, "invalid binary input for type thing") == 0,
			  "binary error: %s", pf_last_error_message);
		CHECK(!PF_TRY(pf_textio_check_version(&sc, "thing", 1, 1)) &&
			  PF_TRY(pf_textio_check_version(&sc, "thing", 2, 1)) &&
			  pf_last_error_kind == PF_ERR_INVALID_TEXT &&
			  PF_TRY(pf_textio_check_version(NULL, "thing", 0, 1)) &&
			  pf_last_error_kind == PF_ERR_INVALID_BINARY,
			  "version checks");
	}

	/* long runs of white space and digits give the host a chance to cancel */
	{
		size_t		n = 3 * PF_INTERRUPT_STRIDE;
		char	   *big = malloc(n + 2);
		long		before = unit_interrupt_checks;
		double		v;

		memset(big, ' ', n);
		big[n] = '{';
		big[n + 1] = '\0';
		{
			PfTextioScan sc = scan(big);

			pf_textio_scan_char(&sc, '{');
		}
		CHECK(unit_interrupt_checks >= before + 3, "white space checks for interrupts");
		memset(big, '7', n);
		big[n] = '\0';
		CHECK(pf_textio_parse_double(big, &v) == NULL, "a number longer than 399 characters is refused");
		free(big);
	}

	/* accept consumes only what it is asked for */
	{
		PfTextioScan sc = scan("  ,]");

		CHECK(!pf_textio_scan_accept(&sc, ']') && pf_textio_scan_accept(&sc, ',') &&
			  pf_textio_scan_accept(&sc, ']') && *sc.p == '\0',
			  "accept");
	}
}

static void
test_codec(void)
{
	uint8_t		buf[24];
	uint64_t	u = 0;
	uint32_t	u32 = 0;
	double		d = 0;
	const uint8_t *p;

	CHECK(pf_textio_put_u64(buf, UINT64_C(0x0102030405060708)) == buf + 8 &&
		  buf[0] == 1 && buf[7] == 8, "u64 is big-endian");
	CHECK(pf_textio_put_u32(buf + 8, 0x0A0B0C0D) == buf + 12 &&
		  buf[8] == 0x0A && buf[11] == 0x0D, "u32 is big-endian");
	CHECK(pf_textio_put_double(buf + 12, -2.0) == buf + 20 &&
		  buf[12] == 0xC0 && buf[13] == 0 && buf[19] == 0,
		  "double: its IEEE bits, big-endian");
	p = pf_textio_get_u64(buf, &u);
	p = pf_textio_get_u32(p, &u32);
	p = pf_textio_get_double(p, &d);
	CHECK(p == buf + 20 && u == UINT64_C(0x0102030405060708) && u32 == 0x0A0B0C0D &&
		  d == -2.0, "everything reads back");
}

/*
 * The text of a float8 is defined as the first of printf's %.15g, %.16g
 * and %.17g that reads back exactly (strtod).  pf_textio_format_double
 * computes it another way for most values; this compares the two over
 * values of every kind: random bits, short decimals, integers, random
 * magnitudes, and the neighbours of powers of ten, where the digits carry
 * and the layout switches to an exponent.
 */
static void
by_printf(double v, char *buf)
{
	for (int precision = 15; precision <= 17; precision++)
	{
		snprintf(buf, 40, "%.*g", precision, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t
rng_next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
test_double_text(void)
{
	long		n = 600000;
	long		bad = 0;
	char		want[40];
	char		got[40];
	double		first_bad = 0;

	for (long i = 0; i < n; i++)
	{
		uint64_t	u = rng_next();
		double		x;

		switch (i % 6)
		{
			case 0:
				memcpy(&x, &u, sizeof(x));
				break;
			case 1:
				x = (double) (int64_t) (u % 2000000001) / pow(10, (double) (rng_next() % 12));
				break;
			case 2:
				x = ldexp((double) (u >> 11), (int) (rng_next() % 120) - 100);
				break;
			case 3:
				x = (double) (u % UINT64_C(100000000000000000));
				break;
			case 4:
				x = (double) (u >> 11) / 9007199254740992.0 *
					pow(10, (double) (int) (rng_next() % 60) - 15);
				break;
			default:
				x = pow(10, (double) (int) (u % 60) - 15);
				for (int k = (int) (rng_next() % 6); k > 0; k--)
					x = nextafter(x, (u >> 8) & 1 ? INFINITY : 0);
				break;
		}
		if (!isfinite(x))
			continue;
		if (u & 1)
			x = -x;
		by_printf(x, want);
		pf_textio_format_double(x, got, sizeof(got));
		if (strcmp(want, got) != 0 && bad++ == 0)
			first_bad = x;
	}
	CHECK(bad == 0, "float8 text as printf's shortest %%.15g/16g/17g over %ld values: %ld differ (first %a)",
		  n, bad, first_bad);
	{
		static const double edges[] = {0.0, -0.0, 1e16, 1e17, 9999999999999998.0,
			99999999999999984.0, 1e-5, 1e-4, 0.0001234, 123456789012345.6,
			1234567890123456.7, 5e-324, 1.7976931348623157e308, 0.1, 0.3,
		2.0 / 3.0};

		for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		{
			by_printf(edges[i], want);
			pf_textio_format_double(edges[i], got, sizeof(got));
			CHECK(strcmp(want, got) == 0, "%a prints as %s, printf gives %s",
				  edges[i], got, want);
		}
	}
	/* powers of two, whose gap below is half the gap above (2^64 was wrong) */
	bad = 0;
	for (int e = -1074; e < 1024; e++)
	{
		double		x = ldexp(1.0, e);

		by_printf(x, want);
		pf_textio_format_double(x, got, sizeof(got));
		if (strcmp(want, got) != 0 && bad++ == 0)
			first_bad = x;
	}
	CHECK(bad == 0, "every power of two prints as printf's shortest: %ld differ (first %a)",
		  bad, first_bad);
}

/*
 * Timestamps and durations are written without printf; these are their
 * printf formulations, which define the bytes: the timestamp's fields
 * (read back from the text, whose values the round trip above checks)
 * printed with %04lld, %02d and a fraction of up to six digits, the
 * duration's components with %lld.
 */
static void
timestamp_by_printf(const char *text, char *out)
{
	long long	y;
	int			mo,
				d,
				h,
				mi,
				sec,
				n = 0;
	char		frac[24] = "";
	const char *p = text;

	if (*p == '-')
		p++;
	if (sscanf(p, "%lld-%d-%dT%d:%d:%d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6)
	{
		strcpy(out, "?");
		return;
	}
	if (p[n] == '.')
	{
		long		usecs = 0;
		int			digits = 0;

		for (const char *f = p + n + 1; *f >= '0' && *f <= '9'; f++, digits++)
			usecs = usecs * 10 + (*f - '0');
		for (; digits < 6; digits++)
			usecs *= 10;
		snprintf(frac, sizeof(frac), ".%06ld", usecs);
		for (int len = (int) strlen(frac); len > 0 && frac[len - 1] == '0'; len--)
			frac[len - 1] = '\0';
	}
	snprintf(out, 64, "%s%04lld-%02d-%02dT%02d:%02d:%02d%sZ", p != text ? "-" : "",
			 y, mo, d, h, mi, sec, frac);
}

static void
duration_by_printf(int64_t time, int32_t day, int32_t month, char *buf)
{
	int64_t		parts[6] = {month / 12, month % 12, day,
	time / INT64_C(3600000000), time % INT64_C(3600000000) / 60000000,
	time % 60000000 / 1000000};
	int64_t		usecs = time % 1000000;
	const char *designators = "YMDHMS";

	strcpy(buf, "P");
	for (int i = 0; i < 6; i++)
	{
		if (i == 3)
		{
			if (time == 0)
				break;
			strcat(buf, "T");
		}
		if (i == 5 && usecs != 0)
		{
			char		frac[16];

			snprintf(frac, sizeof(frac), ".%06lld", (long long) (usecs < 0 ? -usecs : usecs));
			for (int len = (int) strlen(frac); frac[len - 1] == '0'; len--)
				frac[len - 1] = '\0';
			snprintf(buf + strlen(buf), 64, "%s%lld%sS", usecs < 0 && parts[5] == 0 ? "-" : "",
					 (long long) parts[5], frac);
		}
		else if (parts[i] != 0)
			snprintf(buf + strlen(buf), 64, "%lld%c", (long long) parts[i], designators[i]);
	}
	if (strcmp(buf, "P") == 0)
		strcpy(buf, "PT0S");
}

static void
test_time_text(void)
{
	long		bad_ts = 0;
	long		bad_dur = 0;
	char		want[128];
	char		got[128];
	char		first_bad[300] = "";

	for (long i = 0; i < 200000; i++)
	{
		uint64_t	u = rng_next();
		uint64_t	span = (uint64_t) PF_END_TIMESTAMP - (uint64_t) PF_MIN_TIMESTAMP;
		/* anywhere in the range, or near 2000 with any fraction */
		int64_t		v = i % 2 ? (int64_t) ((uint64_t) PF_MIN_TIMESTAMP + u % span) :
			(int64_t) (u % INT64_C(200000000000000)) - INT64_C(100000000000000);
		int64_t		time = (int64_t) (rng_next() % INT64_C(400000000000)) - INT64_C(200000000000);
		int32_t		day = (int32_t) (rng_next() % 2001) - 1000;
		int32_t		month = (int32_t) (rng_next() % 2001) - 1000;

		if (i % 5 == 0)
			time -= time % 1000000;		/* whole seconds */
		if (i % 7 == 0)
			day = month = 0;
		if (i % 11 == 0)
			time = 0;
		pf_textio_format_timestamp(v, got, sizeof(got));
		timestamp_by_printf(got, want);
		if (strcmp(want, got) != 0 && bad_ts++ == 0)
			snprintf(first_bad, sizeof(first_bad), "%s", got);
		pf_textio_format_duration(time, day, month, got, sizeof(got));
		duration_by_printf(time, day, month, want);
		if (strcmp(want, got) != 0 && bad_dur++ == 0)
			snprintf(first_bad, sizeof(first_bad), "%s, printf %s", got, want);
	}
	CHECK(bad_ts == 0 && bad_dur == 0,
		  "timestamps and durations as printf writes them: %ld and %ld differ (%s)",
		  bad_ts, bad_dur, first_bad);
	pf_textio_format_timestamp(PF_MIN_TIMESTAMP, got, sizeof(got));
	CHECK(strcmp(got, "-4713-11-24T00:00:00Z") == 0, "the first timestamp is %s", got);
	pf_textio_format_timestamp(INT64_C(1500), got, 12);
	CHECK(strcmp(got, "2000-01-01T") == 0, "a short buffer gets a cut string: %s", got);
}

UNIT_MAIN_BEGIN
	int64_t		t;
	char		buf[512];

	/* timestamps: PostgreSQL's epoch, a leap day, and both ends of the range */
	CHECK(parse_ts("2000-01-01T00:00:00Z", &t) && t == 0, "epoch is 0");
	CHECK(parse_ts("2000-03-01T00:00:00Z", &t) && t == 60 * USECS_PER_DAY,
		  "2000-03-01 is 60 days after the epoch (2000 is a leap year)");
	CHECK(parse_ts("1999-12-31T23:59:59.999999Z", &t) && t == -1,
		  "one microsecond before the epoch");
	CHECK(parse_ts("-4713-11-24T00:00:00Z", &t) && t == PF_MIN_TIMESTAMP,
		  "4714-11-24 BC is PostgreSQL's first timestamp");
	CHECK(parse_ts("294276-12-31T23:59:59.999999Z", &t) && t == PF_END_TIMESTAMP - 1,
		  "294276-12-31 23:59:59.999999 is the last");
	CHECK(!parse_ts("294277-01-01T00:00:00Z", &t), "past the range is rejected");
	CHECK(!parse_ts("-4713-11-23T23:59:59Z", &t), "before the range is rejected");
	CHECK(!parse_ts("2023-02-29T00:00:00Z", &t), "2023 has no leap day");
	CHECK(!parse_ts("1900-02-29T00:00:00Z", &t), "1900 has no leap day");
	CHECK(parse_ts("2400-02-29T00:00:00Z", &t), "2400 has a leap day");
	CHECK(!parse_ts("2024-01-01T24:00:00Z", &t), "hour 24 is rejected");
	CHECK(!parse_ts("2024-01-01T00:00:00.1234567Z", &t), "seven fraction digits are rejected");
	CHECK(!parse_ts("2024-01-01T00:00:00", &t), "a missing Z is rejected");
	CHECK(!parse_ts("24-01-01T00:00:00Z", &t), "a two-digit year is rejected");
	for (int64_t v = PF_MIN_TIMESTAMP; v < PF_END_TIMESTAMP - INT64_C(9999999999999999);
		 v += INT64_C(9876543210987654))
	{
		int64_t		back;

		pf_textio_format_timestamp(v, buf, sizeof(buf));
		if (!parse_ts(buf, &back) || back != v)
		{
			CHECK(false, "timestamp %lld printed as %s does not read back", (long long) v, buf);
			break;
		}
	}
	CHECK(true, "timestamps across the whole range round trip");

	/* durations */
	{
		int64_t		time;
		int32_t		day;
		int32_t		month;
		const char *end;

		end = pf_textio_parse_duration("P1Y2M3DT4H5M6.5S", &time, &day, &month);
		CHECK(end && *end == '\0' && month == 14 && day == 3 &&
			  time == INT64_C(14706500000), "P1Y2M3DT4H5M6.5S");
		pf_textio_format_duration(INT64_C(14706500000), 3, 14, buf, sizeof(buf));
		CHECK(strcmp(buf, "P1Y2M3DT4H5M6.5S") == 0, "formats as %s", buf);
		pf_textio_format_duration(-500000, 0, 0, buf, sizeof(buf));
		end = pf_textio_parse_duration(buf, &time, &day, &month);
		CHECK(strcmp(buf, "PT-0.5S") == 0 && end && time == -500000, "negative half second: %s", buf);
		pf_textio_format_duration(0, 0, 0, buf, sizeof(buf));
		CHECK(strcmp(buf, "PT0S") == 0, "zero is PT0S");
		CHECK(pf_textio_parse_duration("P", &time, &day, &month) == NULL, "empty P rejected");
		CHECK(pf_textio_parse_duration("PT", &time, &day, &month) == NULL, "empty T rejected");
		CHECK(pf_textio_parse_duration("P1D2Y", &time, &day, &month) == NULL, "out of order rejected");
		CHECK(pf_textio_parse_duration("P99999999999Y", &time, &day, &month) == NULL, "month overflow rejected");
		CHECK(pf_textio_parse_duration("PT9999999999999999H", &time, &day, &month) == NULL, "time overflow rejected");
	}

	/* doubles: shortest text that reads back, JSON grammar only */
	{
		double		v;
		const char *end;

		pf_textio_format_double(0.1, buf, sizeof(buf));
		CHECK(strcmp(buf, "0.1") == 0, "0.1 prints as %s", buf);
		pf_textio_format_double(1.0 / 3, buf, sizeof(buf));
		CHECK(pf_textio_parse_double(buf, &v) && v == 1.0 / 3, "1/3 round trips as %s", buf);
		pf_textio_format_double(4.9e-324, buf, sizeof(buf));
		CHECK(pf_textio_parse_double(buf, &v) && v == 4.9e-324, "the smallest subnormal round trips");
		CHECK(pf_textio_parse_double("NaN", &v) == NULL, "NaN rejected");
		CHECK(pf_textio_parse_double("Infinity", &v) == NULL, "Infinity rejected");
		CHECK(pf_textio_parse_double("1e999", &v) == NULL, "overflow rejected");
		end = pf_textio_parse_double("0x10", &v);
		CHECK(end != NULL && *end == 'x', "hex is not read as a number");
		CHECK(pf_textio_parse_double(".5", &v) == NULL, "a bare fraction is rejected");
		CHECK(pf_textio_parse_double("01", &v) && v == 0, "a leading zero stops the number");
	}

	test_integers();
	test_scanner();
	test_codec();
	test_double_text();
	test_time_text();
UNIT_MAIN_END

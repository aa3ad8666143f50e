/*
 * fuzz_textio.c
 *	  textio_core's parsers and formatters.  The first byte chooses:
 *
 *	0-3  parse the rest as a timestamp, duration, double or int64; what is
 *		 accepted must format to text that parses back to the same value
 *		 and formats to the same text (int64: the characters read are the
 *		 canonical text, but for "-0")
 *	4-7  format a value made of the next bytes (a timestamp in range, any
 *		 interval's fields, any finite double, any int64): the text must
 *		 fit its buffer and parse back to the same value, bit for bit
 *
 * A parser returns NULL on bad input and raises nothing, so any core error
 * here is a failure.
 */
#include "fuzz_common.h"
#include "textio_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the buffers the stored types give the formatters */
#define TS_BUF 48
#define DUR_BUF 96
#define DBL_BUF 32

static void
check_timestamp(int64_t v, const char *from)
{
	char		buf[TS_BUF + 16];
	char		buf2[TS_BUF + 16];
	int64_t		back = 0;
	const char *end;

	pf_textio_format_timestamp(v, buf, sizeof(buf));
	FUZZ_CHECK(strlen(buf) < TS_BUF - 1, "timestamp text %s of %lld is too long", buf, (long long) v);
	end = pf_textio_parse_timestamp(buf, &back);
	FUZZ_CHECK(end != NULL && *end == '\0', "formatted timestamp %s (of %lld, from \"%s\") does not parse",
			   buf, (long long) v, from);
	FUZZ_CHECK(back == v, "timestamp %lld -> %s -> %lld (from \"%s\")", (long long) v, buf,
			   (long long) back, from);
	pf_textio_format_timestamp(back, buf2, sizeof(buf2));
	FUZZ_CHECK(strcmp(buf, buf2) == 0, "timestamp text %s then %s", buf, buf2);
}

static void
check_duration(int64_t time, int32_t day, int32_t month, const char *from)
{
	char		buf[DUR_BUF + 16];
	char		buf2[DUR_BUF + 16];
	int64_t		t = 0;
	int32_t		d = 0,
				m = 0;
	const char *end;

	pf_textio_format_duration(time, day, month, buf, sizeof(buf));
	FUZZ_CHECK(strlen(buf) < DUR_BUF - 1, "duration text %s is too long", buf);
	end = pf_textio_parse_duration(buf, &t, &d, &m);
	FUZZ_CHECK(end != NULL && *end == '\0',
			   "formatted duration %s of (%lld, %d, %d) from \"%s\" does not parse",
			   buf, (long long) time, day, month, from);
	FUZZ_CHECK(t == time && d == day && m == month,
			   "duration (%lld, %d, %d) -> %s -> (%lld, %d, %d) from \"%s\"",
			   (long long) time, day, month, buf, (long long) t, d, m, from);
	pf_textio_format_duration(t, d, m, buf2, sizeof(buf2));
	FUZZ_CHECK(strcmp(buf, buf2) == 0, "duration text %s then %s", buf, buf2);
}

static void
check_double(double v, const char *from)
{
	char		buf[DBL_BUF + 16];
	char		buf2[DBL_BUF + 16];
	double		back = NAN;
	const char *end;

	pf_textio_format_double(v, buf, sizeof(buf));
	FUZZ_CHECK(strlen(buf) < DBL_BUF - 1, "double text %s is too long", buf);
	end = pf_textio_parse_double(buf, &back);
	FUZZ_CHECK(end != NULL && *end == '\0', "formatted double %s (%a, from \"%s\") does not parse",
			   buf, v, from);
	FUZZ_CHECK(memcmp(&back, &v, sizeof(v)) == 0, "double %a -> %s -> %a (from \"%s\")",
			   v, buf, back, from);
	pf_textio_format_double(back, buf2, sizeof(buf2));
	FUZZ_CHECK(strcmp(buf, buf2) == 0, "double text %s then %s", buf, buf2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	uint8_t		mode;
	char	   *str;
	const char *end = NULL;

	fuzz_arena_reset();
	if (size == 0)
		return 0;
	mode = data[0] % 8;
	str = fuzz_cstring(data + 1, size - 1);
	fin_init(&in, data + 1, size - 1);

	switch (mode)
	{
		case 0:
			{
				int64_t		v = 0;

				FUZZ_CHECK(!PF_TRY(end = pf_textio_parse_timestamp(str, &v)), "timestamp parser raised");
				if (end != NULL)
				{
					FUZZ_CHECK(end > str && end <= str + strlen(str), "end outside the input");
					FUZZ_CHECK(v >= PF_MIN_TIMESTAMP && v < PF_END_TIMESTAMP,
							   "timestamp %lld out of range from \"%s\"", (long long) v, str);
					check_timestamp(v, str);
				}
				break;
			}
		case 1:
			{
				int64_t		t = 0;
				int32_t		d = 0,
							m = 0;

				FUZZ_CHECK(!PF_TRY(end = pf_textio_parse_duration(str, &t, &d, &m)), "duration parser raised");
				if (end != NULL)
				{
					FUZZ_CHECK(end > str && end <= str + strlen(str), "end outside the input");
					check_duration(t, d, m, str);
				}
				break;
			}
		case 2:
			{
				double		v = 0;

				FUZZ_CHECK(!PF_TRY(end = pf_textio_parse_double(str, &v)), "double parser raised");
				if (end != NULL)
				{
					char	   *copy;
					double		ref;

					FUZZ_CHECK(end > str && end <= str + strlen(str), "end outside the input");
					FUZZ_CHECK(isfinite(v), "non-finite %g from \"%s\"", v, str);
					/* strtod on exactly the token agrees */
					copy = fuzz_cstring((const uint8_t *) str, (size_t) (end - str));
					ref = strtod(copy, NULL);
					FUZZ_CHECK(memcmp(&ref, &v, sizeof(v)) == 0, "\"%s\" read as %a, strtod says %a",
							   copy, v, ref);
					free(copy);
					check_double(v, str);
				}
				break;
			}
		case 3:
			{
				int64_t		v = -1;

				FUZZ_CHECK(!PF_TRY(end = pf_textio_parse_int64(str, &v)), "int64 parser raised");
				if (end != NULL)
				{
					char		buf[32];

					snprintf(buf, sizeof(buf), "%lld", (long long) v);
					if (strncmp(str, "-0", 2) == 0 && end == str + 2)
						FUZZ_CHECK(v == 0, "\"-0\" read as %lld", (long long) v);
					else
						FUZZ_CHECK(strlen(buf) == (size_t) (end - str) &&
								   strncmp(buf, str, strlen(buf)) == 0,
								   "\"%s\" read as %lld", str, (long long) v);
					FUZZ_CHECK(!(*end >= '0' && *end <= '9') && *end != '.' &&
							   *end != 'e' && *end != 'E',
							   "\"%s\" read as an integer followed by more of a number", str);
				}
				break;
			}
		case 4:
			{
				uint64_t	span = (uint64_t) PF_END_TIMESTAMP - (uint64_t) PF_MIN_TIMESTAMP;
				int64_t		v = (int64_t) ((uint64_t) PF_MIN_TIMESTAMP + fin_u64(&in) % span);

				check_timestamp(v, "bytes");
				break;
			}
		case 5:
			{
				int64_t		t = fin_i64_mixed(&in);
				int32_t		d = (int32_t) fin_i64_mixed(&in);
				int32_t		m = (int32_t) fin_i64_mixed(&in);

				check_duration(t, d, m, "bytes");
				break;
			}
		case 6:
			{
				double		v = fin_double_mixed(&in);

				if (isfinite(v))
					check_double(v, "bytes");
				break;
			}
		case 7:
			{
				int64_t		v = fin_i64_mixed(&in);
				int64_t		back = 0;
				char		buf[32];
				char		ref[32];
				int			len = pf_textio_format_int64(v, buf);

				FUZZ_CHECK(len > 0 && len <= 20, "int64 text of %d characters", len);
				buf[len] = '\0';
				snprintf(ref, sizeof(ref), "%lld", (long long) v);
				FUZZ_CHECK(strcmp(buf, ref) == 0, "int64 %s formatted as %s", ref, buf);
				end = pf_textio_parse_int64(buf, &back);
				FUZZ_CHECK(end == buf + len && back == v, "int64 %s does not read back", buf);
				break;
			}
	}
	free(str);
	return 0;
}

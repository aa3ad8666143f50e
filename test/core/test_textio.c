/*
 * test_textio.c
 *	  Unit tests of the ISO 8601 and float8 text helpers and of the
 *	  relstrength text and binary encodings, without a server.
 *
 * Expected values are written out by hand: the calendar facts (2000-03-01
 * is day 60 after 2000-01-01, PostgreSQL's first and last timestamps) and
 * hand-built summaries.
 */
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "relstrength_core.h"

#define USECS_PER_DAY INT64_C(86400000000)

static bool
parse_ts(const char *text, int64_t *usecs)
{
	const char *end = pf_textio_parse_timestamp(text, usecs);

	return end != NULL && *end == '\0';
}

static bool
parse_fails(const char *text)
{
	PfRelstrength s;

	return PF_TRY(pf_relstrength_parse(text, &s)) && pf_last_error_kind == PF_ERR_INVALID_TEXT;
}

static const char *valid =
"{\"version\":1,\"n\":3,\"first\":\"2024-01-01T00:00:00Z\","
"\"last\":\"2024-01-31T12:00:00.5Z\",\"half_life\":\"P1M2DT3H4M5.5S\","
"\"decayed_weight\":1.5,\"inbound_weight\":0.5,\"outbound_weight\":1,"
"\"sentiment_weight\":1.25,\"sentiment_sum\":-0.125}";

UNIT_MAIN_BEGIN
	int64_t		t;
	char		buf[PF_RELSTRENGTH_TEXT_MAX];
	PfRelstrength s;
	PfRelstrength s2;
	uint8_t		wire[PF_RELSTRENGTH_WIRE_SIZE];

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

	/* relstrength text */
	CHECK(!PF_TRY(pf_relstrength_parse(valid, &s)), "a valid summary parses");
	pf_relstrength_format(&s, buf, sizeof(buf));
	CHECK(strcmp(buf, valid) == 0, "and prints the same text: %s", buf);
	CHECK(!PF_TRY(pf_relstrength_parse(" { \"version\" : 1 , \"n\":3,\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-31T12:00:00.5Z\",\"half_life\":\"P1M2DT3H4M5.5S\",\"decayed_weight\":1.5,\"inbound_weight\":0.5,\"outbound_weight\":1,\"sentiment_weight\":1.25,\"sentiment_sum\":-0.125 }\n", &s2))
		  && memcmp(&s, &s2, sizeof(s)) == 0, "white space between tokens is allowed");
	/* every truncation of a valid text is rejected */
	{
		size_t		len = strlen(valid);
		char	   *copy = malloc(len + 1);
		int			accepted = 0;

		for (size_t i = 0; i < len; i++)
		{
			memcpy(copy, valid, i);
			copy[i] = '\0';
			if (!parse_fails(copy))
				accepted++;
		}
		CHECK(accepted == 0, "%d truncations accepted", accepted);
		free(copy);
	}
	CHECK(parse_fails("{\"version\":1,\"n\":0,\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-01T00:00:00Z\",\"half_life\":\"P1D\",\"decayed_weight\":0,\"inbound_weight\":0,\"outbound_weight\":0,\"sentiment_weight\":0,\"sentiment_sum\":0}"),
		  "zero interactions rejected");
	CHECK(parse_fails("{\"version\":1,\"n\":1,\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-02T00:00:00Z\",\"half_life\":\"P1D\",\"decayed_weight\":1,\"inbound_weight\":0,\"outbound_weight\":0,\"sentiment_weight\":0,\"sentiment_sum\":0}"),
		  "one interaction with distinct first and last rejected");
	CHECK(parse_fails("{\"version\":1,\"n\":99999999999999999999,\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-01T00:00:00Z\",\"half_life\":\"P1D\",\"decayed_weight\":1,\"inbound_weight\":0,\"outbound_weight\":0,\"sentiment_weight\":0,\"sentiment_sum\":0}"),
		  "a count beyond bigint rejected");
	CHECK(parse_fails("{\"n\":1,\"version\":1,\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-01T00:00:00Z\",\"half_life\":\"P1D\",\"decayed_weight\":1,\"inbound_weight\":0,\"outbound_weight\":0,\"sentiment_weight\":0,\"sentiment_sum\":0}"),
		  "keys out of order rejected");

	/* binary: round trip, and every inconsistency rejected */
	pf_relstrength_encode(&s, wire);
	CHECK(!PF_TRY(pf_relstrength_decode(wire, sizeof(wire), &s2)) && memcmp(&s, &s2, sizeof(s)) == 0,
		  "binary round trip");
	CHECK(PF_TRY(pf_relstrength_decode(wire, sizeof(wire) - 1, &s2)) &&
		  pf_last_error_kind == PF_ERR_INVALID_BINARY, "short binary rejected");
	wire[0] = 2;
	CHECK(PF_TRY(pf_relstrength_decode(wire, sizeof(wire), &s2)) &&
		  pf_last_error_kind == PF_ERR_INVALID_BINARY, "bad version rejected");
	wire[0] = 1;
	wire[3] = 1;
	CHECK(PF_TRY(pf_relstrength_decode(wire, sizeof(wire), &s2)), "non-zero reserved byte rejected");
	wire[3] = 0;
	/* flip the sign bit of the count and of each weight */
	{
		volatile int accepted_bad = 0;
		size_t		offsets[] = {8, 48, 56, 64, 72};

		for (volatile size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++)
		{
			uint8_t		saved = wire[offsets[i]];

			wire[offsets[i]] ^= 0x80;
			if (!PF_TRY(pf_relstrength_decode(wire, sizeof(wire), &s2)))
				accepted_bad++;
			wire[offsets[i]] = saved;
		}
		CHECK(accepted_bad == 0, "%d sign-flipped fields accepted", accepted_bad);
	}

	/* merging equals building from the union, and the landmark moves */
	{
		PfRelstrength a;
		PfRelstrength b;

		pf_relstrength_init(&a, 0, 0, 30, 0, 1.0, false, 0, false, false);
		pf_relstrength_init(&b, 30 * USECS_PER_DAY, 0, 30, 0, 1.0, true, 1.0, true, true);
		pf_relstrength_merge(&a, &b);
		CHECK(a.n == 2 && a.weight == 1.5 && a.inbound == 1.0 &&
			  a.sentiment_weight == 1.0 && a.sentiment_sum == 1.0 &&
			  a.last == 30 * USECS_PER_DAY && a.first == 0,
			  "merge of two 30-day-apart interactions: decayed weight 1.5");
		CHECK(pf_relstrength_validate(&a) == NULL, "a merged summary is valid");
		CHECK(pf_relstrength_intensity(&a, 60 * USECS_PER_DAY) == 0.75, "0.75 one half-life later");
		CHECK(PF_TRY(pf_relstrength_intensity(&a, 0)) && pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
			  "as_of before the last interaction is an error");
	}
UNIT_MAIN_END

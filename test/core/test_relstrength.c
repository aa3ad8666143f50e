/*
 * test_relstrength.c
 *	  Unit tests of relstrength_core without a server: text and binary
 *	  encodings and their error reports, forward-decay arithmetic of
 *	  building and merging, and the accessors.
 *
 * Expected values are worked by hand: two interactions 30 days apart with
 * a 30-day half-life weigh 1/2 + 1 = 1.5 at the later one, and 0.75 one
 * half-life after it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "relstrength_core.h"

#define USECS_PER_DAY INT64_C(86400000000)

static bool
parse_fails(const char *text)
{
	PfRelstrength s;

	return PF_TRY(pf_relstrength_parse(text, &s)) && pf_last_error_kind == PF_ERR_INVALID_TEXT;
}

/* the error message starts with prefix */
static bool
message_starts(const char *prefix)
{
	return strncmp(pf_last_error_message, prefix, strlen(prefix)) == 0;
}

static const char *valid =
"{\"version\":1,\"n\":3,\"first\":\"2024-01-01T00:00:00Z\","
"\"last\":\"2024-01-31T12:00:00.5Z\",\"half_life\":\"P1M2DT3H4M5.5S\","
"\"decayed_weight\":1.5,\"inbound_weight\":0.5,\"outbound_weight\":1,"
"\"sentiment_weight\":1.25,\"sentiment_sum\":-0.125}";

static void
test_text(void)
{
	char		buf[PF_RELSTRENGTH_TEXT_MAX];
	PfRelstrength s;
	PfRelstrength s2;

	CHECK(!PF_TRY(pf_relstrength_parse(valid, &s)), "a valid summary parses");
	pf_relstrength_format(&s, buf, sizeof(buf));
	CHECK(strcmp(buf, valid) == 0, "and prints the same text: %s", buf);
	CHECK(!PF_TRY(pf_relstrength_parse(" { \"version\" : 1 , \"n\":3,\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-31T12:00:00.5Z\",\"half_life\":\"P1M2DT3H4M5.5S\",\"decayed_weight\":1.5,\"inbound_weight\":0.5,\"outbound_weight\":1,\"sentiment_weight\":1.25,\"sentiment_sum\":-0.125 }\n", &s2))
		  && memcmp(&s, &s2, sizeof(s)) == 0, "white space between tokens is allowed");
	/* every truncation of a valid text is rejected, as a syntax error */
	{
		size_t		len = strlen(valid);
		char	   *copy = malloc(len + 1);
		volatile int accepted = 0;

		for (size_t i = 0; i < len; i++)
		{
			memcpy(copy, valid, i);
			copy[i] = '\0';
			if (!parse_fails(copy) || !message_starts("invalid input syntax for type relstrength: \""))
				accepted++;
		}
		CHECK(accepted == 0, "%d truncations accepted", accepted);
		free(copy);
	}
	CHECK(parse_fails("{\"version\":1,\"n\":0,\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-01T00:00:00Z\",\"half_life\":\"P1D\",\"decayed_weight\":0,\"inbound_weight\":0,\"outbound_weight\":0,\"sentiment_weight\":0,\"sentiment_sum\":0}") &&
		  message_starts("invalid input value for type relstrength: \""),
		  "zero interactions rejected as a value: %s", pf_last_error_message);
	CHECK(parse_fails("{\"version\":1,\"n\":-1,\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-01T00:00:00Z\",\"half_life\":\"P1D\",\"decayed_weight\":0,\"inbound_weight\":0,\"outbound_weight\":0,\"sentiment_weight\":0,\"sentiment_sum\":0}") &&
		  message_starts("invalid input value for type relstrength: \""),
		  "a negative count is a value error, as in survival");
	CHECK(parse_fails("{\"version\":1,\"n\":1,\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-02T00:00:00Z\",\"half_life\":\"P1D\",\"decayed_weight\":1,\"inbound_weight\":0,\"outbound_weight\":0,\"sentiment_weight\":0,\"sentiment_sum\":0}"),
		  "one interaction with distinct first and last rejected");
	CHECK(parse_fails("{\"version\":1,\"n\":99999999999999999999,\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-01T00:00:00Z\",\"half_life\":\"P1D\",\"decayed_weight\":1,\"inbound_weight\":0,\"outbound_weight\":0,\"sentiment_weight\":0,\"sentiment_sum\":0}") &&
		  message_starts("invalid input syntax"),
		  "a count beyond bigint rejected as syntax");
	CHECK(parse_fails("{\"n\":1,\"version\":1,\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-01T00:00:00Z\",\"half_life\":\"P1D\",\"decayed_weight\":1,\"inbound_weight\":0,\"outbound_weight\":0,\"sentiment_weight\":0,\"sentiment_sum\":0}"),
		  "keys out of order rejected");
	CHECK(parse_fails("{\"version\":2,\"n\":1,\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-01T00:00:00Z\",\"half_life\":\"P1D\",\"decayed_weight\":1,\"inbound_weight\":0,\"outbound_weight\":0,\"sentiment_weight\":0,\"sentiment_sum\":0}") &&
		  message_starts("invalid input value for type relstrength: \""),
		  "an unknown version is a value error");
	CHECK(parse_fails("{\"version\":2,\"other\":true}") &&
		  message_starts("invalid input value"),
		  "the version is checked before the keys that depend on it");
}

static void
test_binary(void)
{
	PfRelstrength s;
	PfRelstrength s2;
	uint8_t		wire[PF_RELSTRENGTH_WIRE_SIZE];
	uint8_t		first[PF_RELSTRENGTH_WIRE_SIZE];

	pf_relstrength_parse(valid, &s);
	pf_relstrength_encode(&s, wire);
	memcpy(first, wire, sizeof(wire));
	CHECK(wire[0] == 1 && wire[8 + 7] == 3 && wire[8] == 0,
		  "wire layout: version, reserved, then the big-endian count");
	CHECK(!PF_TRY(pf_relstrength_decode(wire, sizeof(wire), &s2)) && memcmp(&s, &s2, sizeof(s)) == 0,
		  "binary round trip");
	pf_relstrength_encode(&s2, wire);
	CHECK(memcmp(wire, first, sizeof(wire)) == 0, "and encodes to the same bytes");
	CHECK(PF_TRY(pf_relstrength_decode(wire, sizeof(wire) - 1, &s2)) &&
		  pf_last_error_kind == PF_ERR_INVALID_BINARY &&
		  strcmp(pf_last_error_message, "invalid binary input for type relstrength") == 0,
		  "short binary rejected: %s", pf_last_error_message);
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
			if (!PF_TRY(pf_relstrength_decode(wire, sizeof(wire), &s2)) ||
				pf_last_error_kind != PF_ERR_INVALID_BINARY)
				accepted_bad++;
			wire[offsets[i]] = saved;
		}
		CHECK(accepted_bad == 0, "%d sign-flipped fields accepted", accepted_bad);
	}
}

static void
test_arithmetic(void)
{
	PfRelstrength a;
	PfRelstrength b;
	PfRelstrength c;
	uint8_t		wire[PF_RELSTRENGTH_WIRE_SIZE];

	/* merging equals building from the union, and the landmark moves */
	pf_relstrength_init(&a, 0, 0, 30, 0, 1.0, false, 0, false, false);
	pf_relstrength_init(&b, 30 * USECS_PER_DAY, 0, 30, 0, 1.0, true, 1.0, true, true);
	c = a;
	pf_relstrength_merge(&a, &b);
	CHECK(a.n == 2 && a.weight == 1.5 && a.inbound == 1.0 &&
		  a.sentiment_weight == 1.0 && a.sentiment_sum == 1.0 &&
		  a.last == 30 * USECS_PER_DAY && a.first == 0,
		  "merge of two 30-day-apart interactions: decayed weight 1.5");
	pf_relstrength_add_interaction(&c, 1.0 / (30.0 * USECS_PER_DAY), 30 * USECS_PER_DAY,
								   1.0, true, 1.0, true, true);
	CHECK(memcmp(&a, &c, sizeof(a)) == 0, "adding the interaction gives the merge");
	pf_relstrength_encode(&a, wire);
	CHECK(!PF_TRY(pf_relstrength_decode(wire, sizeof(wire), &b)), "a merged summary is valid");
	CHECK(pf_relstrength_intensity(&a, 60 * USECS_PER_DAY) == 0.75, "0.75 one half-life later");
	CHECK(PF_TRY(pf_relstrength_intensity(&a, 0)) && pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "as_of before the last interaction is an error");

	/* an older interaction decays into the landmark */
	pf_relstrength_init(&a, 30 * USECS_PER_DAY, 0, 30, 0, 1.0, false, 0, false, false);
	pf_relstrength_add_interaction(&a, 1.0 / (30.0 * USECS_PER_DAY), 0, 1.0, false, 0, false, false);
	CHECK(a.weight == 1.5 && a.first == 0 && a.last == 30 * USECS_PER_DAY,
		  "an earlier interaction weighs 1/2 at the landmark");

	/*
	 * Each row to the sums its direction and sentiment name, by hand: at
	 * the landmark (30 days), with a 30-day half-life, rows a half-life
	 * earlier weigh half their weight.  Outbound 0.25 * 1/2 + 3 (a row at
	 * the landmark); inbound 2 * 1/2; no direction 0.5 * 1/2 (weight
	 * only); sentiment -0.5 on the row of weight 3.
	 */
	pf_relstrength_init(&a, 30 * USECS_PER_DAY, 0, 30, 0, 3.0, true, -0.5, true, false);
	pf_relstrength_add_interaction(&a, 1.0 / (30.0 * USECS_PER_DAY), 0, 0.25, false, 0, true, false);
	pf_relstrength_add_interaction(&a, 1.0 / (30.0 * USECS_PER_DAY), 0, 2.0, false, 0, true, true);
	pf_relstrength_add_interaction(&a, 1.0 / (30.0 * USECS_PER_DAY), 0, 0.5, false, 0, false, true);
	CHECK(a.n == 4 && a.weight == 3.0 + 0.125 + 1.0 + 0.25 && a.outbound == 3.125 &&
		  a.inbound == 1.0 && a.sentiment_weight == 3.0 && a.sentiment_sum == -1.5,
		  "outbound, inbound, no direction and sentiment to their sums");

	/* zero weights: -0 stays -0 through a decay, as w * exp2 leaves it */
	pf_relstrength_init(&a, 30 * USECS_PER_DAY, 0, 30, 0, -0.0, false, 0, false, false);
	pf_relstrength_add_interaction(&a, 1.0 / (30.0 * USECS_PER_DAY), 3, -0.0, false, 0, false, false);
	CHECK(a.weight == 0.0 && signbit(a.weight), "weights of -0 sum to -0");
	pf_relstrength_add_interaction(&a, 1.0 / (30.0 * USECS_PER_DAY), 3, 0.0, false, 0, false, false);
	CHECK(a.weight == 0.0 && !signbit(a.weight), "and a weight of +0 makes it +0");

	/* the count and the weights stop at their limits */
	a.n = INT64_MAX;
	CHECK(PF_TRY(pf_relstrength_add_interaction(&a, 1.0, 0, 1.0, false, 0, false, false)) &&
		  pf_last_error_kind == PF_ERR_OUT_OF_RANGE &&
		  strcmp(pf_last_error_message, "bigint out of range") == 0,
		  "one interaction past bigint");
	b = a;
	a.n = INT64_MAX - 1;
	b.n = 2;
	CHECK(PF_TRY(pf_relstrength_merge(&a, &b)) && pf_last_error_kind == PF_ERR_OUT_OF_RANGE &&
		  strcmp(pf_last_error_message, "bigint out of range") == 0,
		  "a merge past bigint, the same message");
	pf_relstrength_init(&a, 0, 0, 30, 0, 1e308, false, 0, false, false);
	CHECK(PF_TRY(pf_relstrength_add_interaction(&a, 1.0, 0, 1e308, false, 0, false, false)) &&
		  pf_last_error_kind == PF_ERR_OUT_OF_RANGE, "weights beyond double precision");

	/* argument checks */
	CHECK(PF_TRY(pf_relstrength_check_weight(-1)) && PF_TRY(pf_relstrength_check_weight(NAN)) &&
		  PF_TRY(pf_relstrength_check_weight(INFINITY)) && !PF_TRY(pf_relstrength_check_weight(0)),
		  "weights are finite and non-negative");
	CHECK(PF_TRY(pf_relstrength_check_sentiment(1.5)) && PF_TRY(pf_relstrength_check_sentiment(NAN)) &&
		  !PF_TRY(pf_relstrength_check_sentiment(-1)), "sentiments lie in [-1, 1]");
	CHECK(PF_TRY(pf_relstrength_check_half_life(0)) && !PF_TRY(pf_relstrength_check_half_life(1)),
		  "half-lives are positive");
	pf_relstrength_init(&a, 0, 0, 1, 0, 1.0, false, 0, false, false);
	CHECK(!PF_TRY(pf_relstrength_check_same_half_life(&a, USECS_PER_DAY, 0, 0)) &&
		  PF_TRY(pf_relstrength_check_same_half_life(&a, 0, 2, 0)),
		  "'1 day' and '24 hours' are the same half-life, '2 days' is not");
}

/* units in the last place between two positive doubles */
static double
ulps_apart(double a, double b)
{
	int64_t		ia;
	int64_t		ib;

	memcpy(&ia, &a, sizeof(ia));
	memcpy(&ib, &b, sizeof(ib));
	return fabs((double) (ia - ib));
}

/*
 * The inline decay against the C library's exp2: w * 2^(y/256) for a
 * million y spread over the whole range of decays (within 30 half-lives,
 * within 1022) and weights in [1, 2), within 3 ulps of w * exp2(y / 256);
 * exact where the result is a power of two; exp2's own result (0 included)
 * where it falls back to it.
 */
static void
test_decay_exp2(void)
{
	uint64_t	x = 88172645463325252ULL;
	double		worst = 0;
	double		worst_y = 0;
	double		nan_result;

	for (int i = 0; i < 1000000; i++)
	{
		double		u;
		double		y;
		double		w;
		double		d;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		u = (double) (x >> 11) / 9007199254740992.0;
		y = -u * 256.0 * (i % 2 == 0 ? 30.0 : 1022.0);
		w = 1.0 + (double) (x & 0xfffff) / 1048576.0;
		d = ulps_apart(pf_decay_exp2(y, w), w * exp2(y / 256.0));
		if (d > worst)
		{
			worst = d;
			worst_y = y;
		}
	}
	CHECK(worst <= 3, "w * 2^(y/256) within 3 ulps of w * exp2(y/256): %g ulps at y = %a",
		  worst, worst_y);
	CHECK(pf_decay_exp2(0.0, 1.5) == 1.5 && pf_decay_exp2(-0.0, 1.5) == 1.5 &&
		  pf_decay_exp2(-256.0, 1.0) == 0.5 && pf_decay_exp2(-256.0 * 1022, 1.0) == 0x1p-1022,
		  "no decay, one half-life and 1022 of them exactly");
	CHECK(pf_decay_exp2(-256.0 * 1022 - 0.25, 0.75) == 0.75 * exp2((-256.0 * 1022 - 0.25) / 256) &&
		  pf_decay_exp2(-256.0 * 1022.5, 0.75) == 0.75 * exp2(-1022.5) &&
		  pf_decay_exp2(-256.0 * 1030, 1.0) == exp2(-1030.0) &&
		  pf_decay_exp2(-256.0 * 1080, 1.0) == 0.0 &&
		  pf_decay_exp2(256.0, 1.0) == 2.0,
		  "exp2's own results beyond the inline range: subnormal (just past it too), 0, and y > 0");
	nan_result = pf_decay_exp2(NAN, 1.0);
	CHECK(nan_result != nan_result, "NaN in, NaN out");
}

UNIT_MAIN_BEGIN
	test_text();
	test_binary();
	test_arithmetic();
	test_decay_exp2();
UNIT_MAIN_END

/*
 * relstrength_check.h
 *	  Properties every accepted relstrength value must have, shared by the
 *	  text and binary targets: text and binary round trips to identical
 *	  bytes (the decoder validates every field, so a value that decodes is
 *	  consistent), and accessors within their documented ranges.
 */
#ifndef PF_FUZZ_RELSTRENGTH_CHECK_H
#define PF_FUZZ_RELSTRENGTH_CHECK_H

#include "fuzz_common.h"
#include "relstrength_core.h"

/* last + delta, saturating at INT64_MAX */
static inline int64_t
relstrength_later(int64_t last, int64_t delta)
{
	return last > INT64_MAX - delta ? INT64_MAX : last + delta;
}

static void
relstrength_check_accepted(const PfRelstrength *s, int64_t later)
{
	char		text[PF_RELSTRENGTH_TEXT_MAX + 64];
	char		text2[PF_RELSTRENGTH_TEXT_MAX + 64];
	uint8_t		wire[PF_RELSTRENGTH_WIRE_SIZE];
	uint8_t		wire2[PF_RELSTRENGTH_WIRE_SIZE];
	PfRelstrength back;
	double		v;

	/* text: the output fits, parses back to the same bytes, prints the same */
	memset(text, 'x', sizeof(text));
	pf_relstrength_format(s, text, PF_RELSTRENGTH_TEXT_MAX);
	FUZZ_CHECK(strlen(text) < PF_RELSTRENGTH_TEXT_MAX - 1, "text output may be truncated: %s", text);
	memset(&back, 0xAB, sizeof(back));
	FUZZ_CHECK(!PF_TRY(pf_relstrength_parse(text, &back)),
			   "output does not parse back: %s: %s", text, pf_last_error_message);
	FUZZ_CHECK(memcmp(s, &back, sizeof(back)) == 0,
			   "text round trip changes the value: %s", text);
	pf_relstrength_format(&back, text2, sizeof(text2));
	FUZZ_CHECK(strcmp(text, text2) == 0, "text output differs: %s vs %s", text, text2);

	/* binary: decode(encode(s)) is s, and encodes to the same bytes */
	pf_relstrength_encode(s, wire);
	memset(&back, 0xCD, sizeof(back));
	FUZZ_CHECK(!PF_TRY(pf_relstrength_decode(wire, sizeof(wire), &back)),
			   "binary output does not decode: %s: %s", text, pf_last_error_message);
	FUZZ_CHECK(memcmp(s, &back, sizeof(back)) == 0,
			   "binary round trip changes the value: %s", text);
	pf_relstrength_encode(&back, wire2);
	FUZZ_CHECK(memcmp(wire, wire2, sizeof(wire)) == 0, "binary output differs: %s", text);

	/* accessors */
	FUZZ_CHECK(pf_relstrength_intensity(s, s->last) == s->weight, "intensity at last: %s", text);
	v = pf_relstrength_strength(s, s->last);
	FUZZ_CHECK(v >= 0.0 && v <= 1.0, "strength %g: %s", v, text);
	if (pf_relstrength_reciprocity(s, &v))
		FUZZ_CHECK(v >= 0.0 && v <= 1.0, "reciprocity %g: %s", v, text);
	if (pf_relstrength_sentiment(s, &v))
		FUZZ_CHECK(v >= -1.0 && v <= 1.0, "sentiment %g: %s", v, text);
	if (later >= s->last)
	{
		double		i = 0;

		FUZZ_CHECK(!PF_TRY(i = pf_relstrength_intensity(s, later)),
				   "intensity at a later time raises: %s", pf_last_error_message);
		FUZZ_CHECK(i >= 0.0 && i <= s->weight, "intensity %g later than last exceeds weight %g: %s",
				   i, s->weight, text);
	}
	else
		FUZZ_CHECK(PF_TRY(pf_relstrength_intensity(s, later)), "intensity before last accepted: %s", text);
}

#endif							/* PF_FUZZ_RELSTRENGTH_CHECK_H */

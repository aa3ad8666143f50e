/*
 * fuzz_relstrength_binary.c
 *	  pf_relstrength_decode on arbitrary bytes.  A rejected input must raise
 *	  PF_ERR_INVALID_BINARY; an accepted one must encode to the same bytes
 *	  and round-trip through text (relstrength_check.h).
 *
 * An input of two wire values and at least one more byte also merges the two
 * (when both decode) and checks that the merge is itself a valid value,
 * which the type's output and input functions can carry.
 */
#include "relstrength_check.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	PfRelstrength s;
	PfRelstrength t;
	uint8_t		wire[PF_RELSTRENGTH_WIRE_SIZE];

	fuzz_arena_reset();
	if (size <= 2 * PF_RELSTRENGTH_WIRE_SIZE)
	{
		if (PF_TRY(pf_relstrength_decode(data, size, &s)))
		{
			FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_BINARY &&
					   strcmp(pf_last_error_message, "invalid binary input for type relstrength") == 0,
					   "pf_relstrength_decode raised error kind %d: %s",
					   (int) pf_last_error_kind, pf_last_error_message);
			return 0;
		}
		pf_relstrength_encode(&s, wire);
		FUZZ_CHECK(memcmp(wire, data, PF_RELSTRENGTH_WIRE_SIZE) == 0,
				   "encode(decode(bytes)) differs from the bytes");
		relstrength_check_accepted(&s, relstrength_later(s.last, (int64_t) data[size - 1] * INT64_C(3600000000)));
		return 0;
	}

	/* two values and a later time: merge */
	if (PF_TRY(pf_relstrength_decode(data, PF_RELSTRENGTH_WIRE_SIZE, &s)) ||
		PF_TRY(pf_relstrength_decode(data + PF_RELSTRENGTH_WIRE_SIZE, PF_RELSTRENGTH_WIRE_SIZE, &t)))
		return 0;
	if (PF_TRY(pf_relstrength_merge(&s, &t)))
	{
		FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_PARAMETER ||
				   pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
				   "pf_relstrength_merge raised error kind %d: %s", (int) pf_last_error_kind,
				   pf_last_error_message);
		return 0;
	}
	relstrength_check_accepted(&s, relstrength_later(s.last, (int64_t) data[2 * PF_RELSTRENGTH_WIRE_SIZE] * INT64_C(3600000000)));
	return 0;
}

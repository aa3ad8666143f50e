/*
 * fuzz_relstrength_binary.c
 *	  rs_decode on arbitrary bytes.  A rejected input must raise
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
	RelStrength s;
	RelStrength t;
	uint8_t		wire[RS_WIRE_SIZE];

	fuzz_arena_reset();
	if (size <= 2 * RS_WIRE_SIZE)
	{
		if (PF_TRY(rs_decode(data, size, &s)))
		{
			FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_BINARY,
					   "rs_decode raised error kind %d: %s",
					   (int) pf_last_error_kind, pf_last_error_message);
			return 0;
		}
		rs_encode(&s, wire);
		FUZZ_CHECK(memcmp(wire, data, RS_WIRE_SIZE) == 0,
				   "encode(decode(bytes)) differs from the bytes");
		rs_check_accepted(&s, rs_later(s.last, (int64_t) data[size - 1] * INT64_C(3600000000)));
		return 0;
	}

	/* two values and a later time: merge */
	if (PF_TRY(rs_decode(data, RS_WIRE_SIZE, &s)) ||
		PF_TRY(rs_decode(data + RS_WIRE_SIZE, RS_WIRE_SIZE, &t)))
		return 0;
	if (PF_TRY(rs_merge(&s, &t)))
	{
		FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_PARAMETER ||
				   pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
				   "rs_merge raised error kind %d: %s", (int) pf_last_error_kind,
				   pf_last_error_message);
		return 0;
	}
	rs_check_accepted(&s, rs_later(s.last, (int64_t) data[2 * RS_WIRE_SIZE] * INT64_C(3600000000)));
	return 0;
}

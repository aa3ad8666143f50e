/*
 * fuzz_survival_binary.c
 *	  pf_survival_recv and pf_survival_builder_deserialize on arbitrary bytes.  A
 *	  rejected input must raise PF_ERR_INVALID_BINARY.  An accepted summary
 *	  must send back the same bytes and pass survival_check.h; an accepted
 *	  aggregate state must serialize back to the same bytes.
 */
#include "survival_check.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	PfSurvival *s = NULL;
	PfSurvivalBuilder *b = NULL;
	uint8_t    *wire;
	size_t		len = 0;

	fuzz_arena_reset();

	if (PF_TRY(s = pf_survival_recv(data, size)))
		FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_BINARY,
				   "pf_survival_recv raised error kind %d: %s", (int) pf_last_error_kind,
				   pf_last_error_message);
	else
	{
		wire = pf_survival_send(s, &len);
		FUZZ_CHECK(len == size && memcmp(wire, data, size) == 0,
				   "send(recv(bytes)) differs from the bytes");
		surv_check_summary(s, 0.5 + (double) (size % 97) / 200.0);
	}

	if (PF_TRY(b = pf_survival_builder_deserialize(data, size)))
		FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_BINARY,
				   "pf_survival_builder_deserialize raised error kind %d: %s",
				   (int) pf_last_error_kind, pf_last_error_message);
	else
	{
		FUZZ_CHECK(!PF_TRY(wire = pf_survival_builder_serialize(b, &len)),
				   "serialize of a deserialized state raised: %s", pf_last_error_message);
		FUZZ_CHECK(len == size && memcmp(wire, data, size) == 0,
				   "serialize(deserialize(bytes)) differs from the bytes");
		FUZZ_CHECK(!PF_TRY(s = pf_survival_builder_finish(b)),
				   "finish of a deserialized state raised: %s", pf_last_error_message);
		surv_check_summary(s, 0.95);
	}
	return 0;
}

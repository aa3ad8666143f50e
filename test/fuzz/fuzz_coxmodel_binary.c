/*
 * fuzz_coxmodel_binary.c
 *	  pf_coxmodel_decode on arbitrary bytes.  A rejected input must raise
 *	  PF_ERR_INVALID_BINARY with the message of textio_core.h; an accepted
 *	  one must encode back to the same bytes and pass coxmodel_check.h.
 */
#include "coxmodel_check.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	PfCoxStored *s = NULL;
	uint8_t    *wire;

	fuzz_arena_reset();
	if (PF_TRY(s = pf_coxmodel_decode(data, size)))
	{
		FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_BINARY &&
				   strcmp(pf_last_error_message, "invalid binary input for type cox_model") == 0,
				   "pf_coxmodel_decode raised error kind %d: %s", (int) pf_last_error_kind,
				   pf_last_error_message);
		return 0;
	}
	FUZZ_CHECK(size == pf_coxmodel_wire_size(s->p), "accepted %zu bytes for %d covariates",
			   size, (int) s->p);
	wire = malloc(size);
	pf_coxmodel_encode(s, wire);
	FUZZ_CHECK(memcmp(wire, data, size) == 0, "encode(decode(bytes)) differs from the bytes");
	free(wire);
	coxmodel_check_accepted(s, 0.5 + (double) (size % 97) / 200.0);
	return 0;
}

/*
 * fuzz_coxmodel_text.c
 *	  pf_coxmodel_parse on arbitrary text.  A rejected input must raise
 *	  PF_ERR_INVALID_TEXT with one of the two messages of textio_core.h; an
 *	  accepted one must round-trip through text and binary to identical
 *	  bytes and give readable terms (coxmodel_check.h).
 */
#include "coxmodel_check.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *str;
	PfCoxStored *s = NULL;

	fuzz_arena_reset();
	str = fuzz_cstring(data, size);
	if (PF_TRY(s = pf_coxmodel_parse(str)))
		FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_TEXT &&
				   (strncmp(pf_last_error_message, "invalid input syntax for type cox_model: \"", 42) == 0 ||
					strncmp(pf_last_error_message, "invalid input value for type cox_model: \"", 41) == 0),
				   "pf_coxmodel_parse raised error kind %d: %s", (int) pf_last_error_kind,
				   pf_last_error_message);
	else
		coxmodel_check_accepted(s, 0.5 + (double) (size % 97) / 200.0);
	free(str);
	return 0;
}

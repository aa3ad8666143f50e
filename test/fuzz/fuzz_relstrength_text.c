/*
 * fuzz_relstrength_text.c
 *	  pf_relstrength_parse on arbitrary text.  A rejected input must raise
 *	  PF_ERR_INVALID_TEXT with one of the two messages of textio_core.h; an
 *	  accepted one must round-trip through text and binary to identical
 *	  bytes (relstrength_check.h).
 */
#include "relstrength_check.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *str;
	PfRelstrength s;

	fuzz_arena_reset();
	str = fuzz_cstring(data, size);
	if (PF_TRY(pf_relstrength_parse(str, &s)))
		FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_TEXT &&
				   (strncmp(pf_last_error_message, "invalid input syntax for type relstrength: \"", 44) == 0 ||
					strncmp(pf_last_error_message, "invalid input value for type relstrength: \"", 43) == 0),
				   "pf_relstrength_parse raised error kind %d: %s", (int) pf_last_error_kind,
				   pf_last_error_message);
	else
		relstrength_check_accepted(&s, relstrength_later(s.last, (int64_t) (size % 7) * INT64_C(86400000000)));
	free(str);
	return 0;
}

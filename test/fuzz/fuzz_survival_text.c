/*
 * fuzz_survival_text.c
 *	  pf_survival_parse on arbitrary text.  A rejected input must raise
 *	  PF_ERR_INVALID_TEXT with one of the two messages of textio_core.h; an
 *	  accepted one must round-trip through text and binary to identical
 *	  bytes and keep the Kaplan-Meier invariants (survival_check.h).
 */
#include "survival_check.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *str;
	PfSurvival *s = NULL;

	fuzz_arena_reset();
	str = fuzz_cstring(data, size);
	if (PF_TRY(s = pf_survival_parse(str)))
		FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_TEXT &&
				   (strncmp(pf_last_error_message, "invalid input syntax for type survival: \"", 41) == 0 ||
					strncmp(pf_last_error_message, "invalid input value for type survival: \"", 40) == 0),
				   "pf_survival_parse raised error kind %d: %s", (int) pf_last_error_kind,
				   pf_last_error_message);
	else
		surv_check_summary(s, 0.95);
	free(str);
	return 0;
}

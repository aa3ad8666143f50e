/*
 * fuzz_survival_binary.c
 *	  pf_survival_decode on arbitrary bytes.  A rejected input must raise
 *	  PF_ERR_INVALID_BINARY with the message of textio_core.h.  An accepted
 *	  summary must encode back to the same bytes (version 2 input; version
 *	  1 input to the version 2 bytes of the same entries, with no entered
 *	  counts) and pass survival_check.h;
 *	  merged with itself, and rolled up into a builder with itself, it must
 *	  give the summary with every count doubled (or an out-of-range error).
 */
#include "survival_check.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	PfSurvival *s = NULL;
	PfSurvival *m = NULL;
	PfSurvivalBuilder *b;
	uint8_t    *wire;
	size_t		len = 0;

	fuzz_arena_reset();

	if (PF_TRY(s = pf_survival_decode(data, size)))
	{
		FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_BINARY &&
				   strcmp(pf_last_error_message, "invalid binary input for type survival") == 0,
				   "pf_survival_decode raised error kind %d: %s", (int) pf_last_error_kind,
				   pf_last_error_message);
		return 0;
	}
	wire = surv_encode(s, &len);
	if (data[0] == PF_SURVIVAL_VERSION_1)
	{
		size_t		n = (size - PF_SURVIVAL_WIRE_HEADER_SIZE) / PF_SURVIVAL_V1_ENTRY_SIZE;

		FUZZ_CHECK(wire[0] == PF_SURVIVAL_VERSION && memcmp(wire + 1, data + 1, 11) == 0 &&
				   len == PF_SURVIVAL_WIRE_HEADER_SIZE + n * PF_SURVIVAL_WIRE_ENTRY_SIZE,
				   "a version 1 input encodes to another header");
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK(memcmp(wire + 12 + 32 * i, data + 12 + 24 * i, 24) == 0 &&
					   s->entries[i].entered == 0,
					   "version 1 entry %zu encodes differently", i);
	}
	else
		FUZZ_CHECK(len == size && memcmp(wire, data, size) == 0,
				   "encode(decode(bytes)) differs from the bytes");
	surv_check_summary(s, 0.5 + (double) (size % 97) / 200.0);

	if (PF_TRY(m = pf_survival_merge(s, s)))
	{
		FUZZ_CHECK(pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
				   "merge raised error kind %d: %s", (int) pf_last_error_kind,
				   pf_last_error_message);
		return 0;
	}
	FUZZ_CHECK(m->nentries == s->nentries, "merge with itself changes the durations");
	for (int64_t i = 0; i < s->nentries; i++)
		FUZZ_CHECK(m->entries[i].duration == s->entries[i].duration &&
				   m->entries[i].events == 2 * s->entries[i].events &&
				   m->entries[i].censored == 2 * s->entries[i].censored &&
				   m->entries[i].entered == 2 * s->entries[i].entered,
				   "merge with itself: entry %lld", (long long) i);
	b = pf_survival_builder_create(s->unit);
	pf_survival_builder_add_summary(b, s);
	pf_survival_builder_add_summary(b, s);
	{
		PfSurvival *r = surv_finish(b);

		FUZZ_CHECK(r->nentries == m->nentries &&
				   memcmp(r->entries, m->entries, (size_t) m->nentries * sizeof(PfSurvivalEntry)) == 0,
				   "rollup of a summary with itself differs from the merge");
	}
	return 0;
}

/*
 * coxmodel_check.h
 *	  Properties every accepted cox_model value must have, shared by the
 *	  text and binary targets: text and binary round trips to identical
 *	  bytes (the decoder validates every field, so a value that decodes is
 *	  consistent), and terms readable at any level, NaN exactly where a
 *	  covariate is dropped.
 */
#ifndef PF_FUZZ_COXMODEL_CHECK_H
#define PF_FUZZ_COXMODEL_CHECK_H

#include "fuzz_common.h"
#include "coxmodel_core.h"

static void
coxmodel_check_accepted(const PfCoxStored *s, double level)
{
	size_t		size = pf_coxmodel_size(s->p);
	size_t		wsize = pf_coxmodel_wire_size(s->p);
	char	   *text;
	char	   *text2;
	PfCoxStored *back;
	uint8_t    *wire = malloc(wsize);
	uint8_t    *wire2 = malloc(wsize);
	PfCoxView	v;

	FUZZ_CHECK(s->p >= 1 && s->p <= PF_COX_MAX_COVARIATES, "p %d", (int) s->p);

	/* text: parses back to the same bytes and prints the same */
	text = pf_coxmodel_format(s);
	FUZZ_CHECK(!PF_TRY(back = pf_coxmodel_parse(text)),
			   "output does not parse back: %s: %s", text, pf_last_error_message);
	FUZZ_CHECK(memcmp(s, back, size) == 0, "text round trip changes the value: %s", text);
	text2 = pf_coxmodel_format(back);
	FUZZ_CHECK(strcmp(text, text2) == 0, "text output differs: %s vs %s", text, text2);

	/* binary: decode(encode(s)) is s and encodes to the same bytes */
	pf_coxmodel_encode(s, wire);
	FUZZ_CHECK(!PF_TRY(back = pf_coxmodel_decode(wire, wsize)),
			   "binary output does not decode: %s: %s", text, pf_last_error_message);
	FUZZ_CHECK(memcmp(s, back, size) == 0, "binary round trip changes the value: %s", text);
	pf_coxmodel_encode(back, wire2);
	FUZZ_CHECK(memcmp(wire, wire2, wsize) == 0, "binary output differs: %s", text);

	/* terms */
	pf_coxmodel_view(s, &v);
	for (int j = 0; j < s->p; j++)
	{
		PfCoxTerm	t;

		FUZZ_CHECK(!PF_TRY(pf_cox_term(&v.model, j, level, &t)), "term %d raises: %s", j,
				   pf_last_error_message);
		if (v.dropped[j])
			FUZZ_CHECK(isnan(t.coef) && isnan(t.se) && isnan(t.p) && isnan(t.lower),
					   "a dropped term has numbers: %s", text);
		else
			FUZZ_CHECK(isnan(t.p) || (t.p >= 0 && t.p <= 1), "p-value %g: %s", t.p, text);
	}
	free(wire);
	free(wire2);
}

#endif							/* PF_FUZZ_COXMODEL_CHECK_H */

/*
 * survival_check.h
 *	  Properties of an accepted or built survival summary, shared by the
 *	  survival targets: its text and binary forms read back to identical
 *	  bytes (the decoder validates every entry, so a summary that decodes
 *	  keeps every invariant), and the Kaplan-Meier accessors keep theirs.
 */
#ifndef PF_FUZZ_SURVIVAL_CHECK_H
#define PF_FUZZ_SURVIVAL_CHECK_H

#include "fuzz_common.h"
#include "survival_builder_core.h"
#include "survival_core.h"

/* the binary form, pf_alloc'd */
static inline uint8_t *
surv_encode(const PfSurvival *s, size_t *len)
{
	uint8_t    *buf;

	*len = pf_survival_encoded_size(s);
	buf = pf_alloc(*len);
	pf_survival_encode(s, buf);
	return buf;
}

/* the summary of a builder, pf_alloc'd */
static inline PfSurvival *
surv_finish(PfSurvivalBuilder *b)
{
	PfSurvival *s = pf_survival_alloc((PfSpellUnit) b->unit,
									  pf_survival_builder_compact(b));

	pf_survival_builder_write(b, s);
	return s;
}

/* every row of the Kaplan-Meier table, pf_alloc'd; their number */
static inline int64_t
surv_curve_rows(const PfSurvival *s, double conf, PfSurvivalCurveRow **rows)
{
	PfSurvivalCurve curve;
	int64_t		n = 0;

	pf_survival_curve_begin(&curve, s, conf, PF_SURVIVAL_CI_LOG_LOG);
	*rows = pf_alloc((size_t) (s->nentries > 0 ? s->nentries : 1) * sizeof(PfSurvivalCurveRow));
	while (pf_survival_curve_next(&curve, &(*rows)[n]))
		n++;
	return n;
}

/* Accessors: S non-increasing in [0, 1], intervals around S in [0, 1]. */
static void
surv_check_accessors(const PfSurvival *s, double conf)
{
	PfSurvivalCurveRow *rows = NULL;
	int64_t		nrows = -1;
	int64_t		median = -1;
	bool		has_median;
	double		prev = 1.0;
	int64_t		total = 0;

	int64_t		nexits = 0;
	int64_t		e = 0;			/* the entry of the next row */

	/* at risk from the start: the subjects not counted as entering */
	for (int64_t i = 0; i < s->nentries; i++)
	{
		total += s->entries[i].events + s->entries[i].censored - s->entries[i].entered;
		nexits += s->entries[i].events + s->entries[i].censored > 0;
	}

	FUZZ_CHECK(!PF_TRY(nrows = surv_curve_rows(s, conf, &rows)),
			   "the curve raised on a valid summary: %s", pf_last_error_message);
	FUZZ_CHECK(nrows == nexits, "curve has %lld rows for %lld entries with exits",
			   (long long) nrows, (long long) nexits);
	FUZZ_CHECK(pf_survival_at(s, -1) == 1.0, "S(-1) is not 1");
	for (int64_t i = 0; i < nrows; i++)
	{
		const PfSurvivalCurveRow *r = &rows[i];
		double		at = pf_survival_at(s, r->duration);

		/* entries where subjects only enter give no row */
		while (s->entries[e].events + s->entries[e].censored == 0)
			total += s->entries[e++].entered;
		FUZZ_CHECK(r->duration == s->entries[e].duration, "curve row %lld duration", (long long) i);
		FUZZ_CHECK(r->at_risk == total && total >= r->events + r->censored,
				   "curve row %lld at_risk %lld, expected %lld",
				   (long long) i, (long long) r->at_risk, (long long) total);
		total += s->entries[e].entered - s->entries[e].events - s->entries[e].censored;
		e++;
		FUZZ_CHECK(r->survival >= 0.0 && r->survival <= 1.0,
				   "S = %.17g outside [0, 1] at row %lld", r->survival, (long long) i);
		FUZZ_CHECK(r->survival <= prev, "S increases at row %lld: %.17g after %.17g",
				   (long long) i, r->survival, prev);
		FUZZ_CHECK(at == r->survival, "survival_at(%lld) = %.17g but curve has %.17g",
				   (long long) r->duration, at, r->survival);
		if (r->duration > (s->unit == PF_SURVIVAL_UNIT_NUMBER ? INT64_MIN : 0))
			FUZZ_CHECK(pf_survival_at(s, r->duration - 1) == prev,
					   "S just before row %lld is not the previous S", (long long) i);
		FUZZ_CHECK(r->std_err_valid == (r->survival > 0.0), "std_err validity at row %lld", (long long) i);
		if (r->std_err_valid)
			FUZZ_CHECK(r->std_err >= 0.0 && !isnan(r->std_err),
					   "std_err %.17g at row %lld", r->std_err, (long long) i);
		FUZZ_CHECK(r->ci_valid == (r->survival > 0.0 && r->survival < 1.0),
				   "ci validity at row %lld (S = %.17g)", (long long) i, r->survival);
		if (r->ci_valid)
		{
			FUZZ_CHECK(r->ci_low >= 0.0 && r->ci_high <= 1.0,
					   "ci [%.17g, %.17g] outside [0, 1] at row %lld (conf %.17g)",
					   r->ci_low, r->ci_high, (long long) i, conf);
			FUZZ_CHECK(r->ci_low <= r->survival && r->survival <= r->ci_high,
					   "S = %.17g outside its ci [%.17g, %.17g] at row %lld (conf %.17g)",
					   r->survival, r->ci_low, r->ci_high, (long long) i, conf);
		}
		prev = r->survival;
	}
	FUZZ_CHECK(pf_survival_at(s, INT64_MAX) == prev, "S(+inf) is not the last S");

	/* the median: the first duration with S <= 1/2 (within the slack) */
	has_median = pf_survival_median(s, &median);
	{
		bool		want = false;
		int64_t		want_median = -1;

		for (int64_t i = 0; i < nrows; i++)
			if (rows[i].events > 0 && rows[i].survival <= 0.5 + 1e-12)
			{
				want = true;
				want_median = rows[i].duration;
				break;
			}
		FUZZ_CHECK(has_median == want && (!want || median == want_median),
				   "median %d/%lld, curve says %d/%lld", has_median,
				   (long long) median, want, (long long) want_median);
	}
}

/* A summary accepted or built: round trips (which validate), accessors. */
static void
surv_check_summary(const PfSurvival *s, double conf)
{
	size_t		size = PF_SURVIVAL_HEADER_SIZE + (size_t) s->nentries * sizeof(PfSurvivalEntry);
	char	   *text = NULL;
	char	   *text2 = NULL;
	uint8_t    *wire = NULL;
	uint8_t    *wire2 = NULL;
	size_t		wlen = 0;
	size_t		wlen2 = 0;
	PfSurvival *back = NULL;

	FUZZ_CHECK(s->version == PF_SURVIVAL_VERSION && s->reserved == 0 &&
			   pf_survival_unit_valid(s->unit), "header %d %d %d", s->version, s->unit,
			   s->reserved);
	FUZZ_CHECK(!PF_TRY(wire = surv_encode(s, &wlen)), "encode raised: %s", pf_last_error_message);
	FUZZ_CHECK(wlen == PF_SURVIVAL_WIRE_HEADER_SIZE + (size_t) s->nentries * PF_SURVIVAL_WIRE_ENTRY_SIZE,
			   "encoded length %zu", wlen);
	FUZZ_CHECK(!PF_TRY(back = pf_survival_decode(wire, wlen)),
			   "the binary form does not decode: %s", pf_last_error_message);
	FUZZ_CHECK(memcmp(back, s, size) == 0, "binary round trip changes the summary");
	wire2 = surv_encode(back, &wlen2);
	FUZZ_CHECK(wlen == wlen2 && memcmp(wire, wire2, wlen) == 0, "binary output differs");
	pf_free(back);

	FUZZ_CHECK(!PF_TRY(text = pf_survival_format(s)), "format raised: %s", pf_last_error_message);
	FUZZ_CHECK(!PF_TRY(back = pf_survival_parse(text)),
			   "output does not parse back: %s: %s", pf_last_error_message, text);
	FUZZ_CHECK(memcmp(back, s, size) == 0, "text round trip changes the summary: %s", text);
	text2 = pf_survival_format(back);
	FUZZ_CHECK(strcmp(text, text2) == 0, "text output differs: %s vs %s", text, text2);
	pf_free(back);

	surv_check_accessors(s, conf);
}

#endif							/* PF_FUZZ_SURVIVAL_CHECK_H */

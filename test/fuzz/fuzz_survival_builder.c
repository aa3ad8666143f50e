/*
 * fuzz_survival_builder.c
 *	  The survival builder fed a random sequence of spells (a, b, ongoing,
 *	  as_of) and durations, checked against a plain reference model of the
 *	  Kaplan-Meier rows; then every way of putting parts together (merge
 *	  of their summaries, rollup through add_summary, and one part's
 *	  summary added to the other part's builder after it was compacted, as
 *	  survival_combine does) must give the same summary, which must keep
 *	  the invariants of survival_check.h.
 *
 * Input: unit byte, as_of, confidence byte, then rows: an op byte (bit 0:
 * which part, bits 1-2: spell, ongoing spell or bare duration, bit 3:
 * event flag, bits 4-7 == 15: a different as_of) and its values.
 */
#include "survival_check.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ROWS 4096

typedef struct RefRow
{
	int64_t		duration;
	bool		event;
} RefRow;

static int
ref_cmp(const void *x, const void *y)
{
	const RefRow *a = x;
	const RefRow *b = y;

	return a->duration < b->duration ? -1 : a->duration > b->duration;
}

/* The summary the rows should give, by sorting and counting. */
static PfSurvival *
ref_summary(PfSpellUnit unit, RefRow *rows, int nrows)
{
	PfSurvival *s;
	int64_t		n = 0;

	qsort(rows, nrows, sizeof(RefRow), ref_cmp);
	for (int i = 0; i < nrows; i++)
		if (i == 0 || rows[i].duration != rows[i - 1].duration)
			n++;
	s = pf_survival_alloc(unit, n);
	n = 0;
	for (int i = 0; i < nrows; i++)
	{
		if (i == 0 || rows[i].duration != rows[i - 1].duration)
			s->entries[n++].duration = rows[i].duration;
		if (rows[i].event)
			s->entries[n - 1].events++;
		else
			s->entries[n - 1].censored++;
	}
	return s;
}

static size_t
surv_size(const PfSurvival *s)
{
	return PF_SURVIVAL_HEADER_SIZE + (size_t) s->nentries * sizeof(PfSurvivalEntry);
}

static void
check_same(const PfSurvival *got, const PfSurvival *want, const char *what)
{
	FUZZ_CHECK(got->nentries == want->nentries && memcmp(got, want, surv_size(want)) == 0,
			   "%s differs from the whole: %lld vs %lld entries", what,
			   (long long) got->nentries, (long long) want->nentries);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	PfSpellUnit	unit;
	int64_t		as_of;
	double		conf;
	PfSurvivalBuilder *whole;
	PfSurvivalBuilder *part[2];
	PfSurvivalBuilder *rollup;
	PfSurvival *sw = NULL;
	PfSurvival *sp[2] = {NULL, NULL};
	PfSurvival *s = NULL;
	RefRow	   *ref;
	int			nref = 0;
	bool		has_as_of = false;

	fuzz_arena_reset();
	fin_init(&in, data, size);
	unit = (fin_u8(&in) & 1) ? PF_SPELL_UNIT_MICROSECOND : PF_SPELL_UNIT_DAY;
	as_of = fin_i64_mixed(&in);
	conf = (1.0 + fin_u8(&in)) / 258.0;
	ref = malloc(MAX_ROWS * sizeof(RefRow));
	whole = pf_survival_builder_create(unit);
	part[0] = pf_survival_builder_create(unit);
	part[1] = pf_survival_builder_create(unit);

	while (in.left > 0 && nref < MAX_ROWS)
	{
		uint8_t		op = fin_u8(&in);
		int			side = op & 1;
		int			kind = (op >> 1) & 3;
		bool		event = (op >> 3) & 1;
		int64_t		row_as_of = (op >> 4) == 15 ? fin_i64_mixed(&in) : as_of;

		if (kind == 3)
		{
			int64_t		d = fin_i64_mixed(&in);

			if (PF_TRY(pf_survival_builder_add_duration(whole, d, event)))
			{
				FUZZ_CHECK(d < 0 && pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
						   "add_duration(%lld) raised: %s", (long long) d, pf_last_error_message);
				continue;
			}
			FUZZ_CHECK(d >= 0, "add_duration accepted %lld", (long long) d);
			pf_survival_builder_add_duration(part[side], d, event);
			ref[nref].duration = d;
			ref[nref++].event = event;
		}
		else
		{
			int64_t		a = fin_i64_mixed(&in);
			int64_t		b = kind == 2 ? 0 : wrap_add(a, (fin_i64_mixed(&in) & 0xFFFFF) - 0x100);
			bool		ongoing = kind == 2;
			bool		mismatch = has_as_of && row_as_of != as_of;
			__int128	dur = 0;
			bool		ev = false;
			bool		skip;

			/* a random b too, sometimes: the sum above may wrap */
			if (kind == 1)
				b = fin_i64_mixed(&in);
			else if (kind == 0 && ((op >> 4) & 1))
				b = wrap_add(a, fin_u8(&in) + 1);
			skip = a > row_as_of || (!ongoing && b <= a);
			if (!skip)
			{
				ev = !ongoing && b <= row_as_of;
				dur = ev ? (__int128) b - a : (__int128) row_as_of - a;
			}
			if (PF_TRY(pf_survival_builder_add_spell(whole, a, b, ongoing, row_as_of)))
			{
				if (mismatch)
					FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
							   "as_of mismatch raised: %s", pf_last_error_message);
				else
					FUZZ_CHECK(!skip && dur > INT64_MAX && pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
							   "add_spell(%lld, %lld, %d, %lld) raised: %s", (long long) a,
							   (long long) b, ongoing, (long long) row_as_of,
							   pf_last_error_message);
				if (!has_as_of)
					as_of = row_as_of;
				has_as_of = true;
				continue;
			}
			FUZZ_CHECK(!mismatch, "as_of %lld accepted after %lld", (long long) row_as_of,
					   (long long) as_of);
			FUZZ_CHECK(skip || dur <= INT64_MAX, "add_spell accepted a duration beyond int64");
			has_as_of = true;
			as_of = row_as_of;
			FUZZ_CHECK(!PF_TRY(pf_survival_builder_add_spell(part[side], a, b, ongoing, row_as_of)),
					   "part raised where the whole did not: %s", pf_last_error_message);
			if (!skip)
			{
				ref[nref].duration = (int64_t) dur;
				ref[nref++].event = ev;
			}
		}
	}

	/* the whole against the reference */
	FUZZ_CHECK(!PF_TRY(sw = surv_finish(whole)), "finish raised: %s", pf_last_error_message);
	s = ref_summary(unit, ref, nref);
	check_same(sw, s, "the reference model");
	surv_check_summary(sw, conf);

	/* compacting again changes nothing */
	check_same(surv_finish(whole), sw, "a second finish");

	/* parts: merge of their summaries, rollup, combine */
	sp[0] = surv_finish(part[0]);
	sp[1] = surv_finish(part[1]);
	check_same(pf_survival_merge(sp[0], sp[1]), sw, "merge of the parts' summaries");

	rollup = pf_survival_builder_create(unit);
	pf_survival_builder_add_summary(rollup, sp[1]);
	pf_survival_builder_add_summary(rollup, sp[0]);
	check_same(surv_finish(rollup), sw, "rollup of the parts");

	FUZZ_CHECK(!PF_TRY(pf_survival_builder_add_summary(part[0], sp[1])),
			   "combine raised: %s", pf_last_error_message);
	check_same(surv_finish(part[0]), sw, "combine of the parts");

	free(ref);
	return 0;
}

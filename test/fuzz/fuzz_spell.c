/*
 * fuzz_spell.c
 *	  spell_core: pf_spell_accum over a random sequence of spells, checked
 *	  against a reference model that counts each spell with 128-bit
 *	  arithmetic; the combine of a random split must equal the whole, and
 *	  the result must keep its invariants (counts non-negative and bounded
 *	  by the number of spells, avg_active at most that number, rates in
 *	  [0, 1] where they are shares).
 *
 * Input: has_voluntary and units bytes, the period (p0, p1), then rows: an
 * op byte (bit 0: which part, bit 1: ongoing, bit 2: voluntary known,
 * bit 3: voluntary, bits 4-7 == 15: a different period) and a, b.
 */
#include "fuzz_common.h"
#include "spell_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Ref
{
	int64_t		nspells;		/* non-empty spells */
	int64_t		active_start;
	int64_t		active_end;
	int64_t		starts;
	int64_t		ends;
	int64_t		ends_voluntary;
	int64_t		ends_from_start;
	unsigned __int128 covered;
} Ref;

/* The definitions of spell_core.h, on unit numbers in 128 bits. */
static void
ref_add(Ref *r, __int128 a, __int128 b, bool ongoing, bool vknown, bool vol,
		__int128 p0, __int128 p1)
{
	__int128	last = ongoing ? (__int128) INT64_MAX * 4 : b - 1;
	__int128	lo,
				hi;
	bool		covers_p0;

	if (!ongoing && b <= a)
		return;
	r->nspells++;
	covers_p0 = a <= p0 && p0 <= last;
	r->active_start += covers_p0;
	r->active_end += a <= p1 - 1 && p1 - 1 <= last;
	r->starts += a >= p0 && a < p1;
	if (!ongoing && last >= p0 && last < p1)
	{
		r->ends++;
		r->ends_voluntary += vknown && vol;
		r->ends_from_start += covers_p0;
	}
	lo = a > p0 ? a : p0;
	hi = last + 1 < p1 ? last + 1 : p1;
	if (hi > lo)
		r->covered += (unsigned __int128) (hi - lo);
}

static void
check_result(const PfSpellState *st, const Ref *r, double units_per_day)
{
	PfSpellResult res;
	unsigned __int128 covered = ((unsigned __int128) st->covered_hi << 64) | st->covered_lo;

	FUZZ_CHECK(pf_spell_result(st, units_per_day, &res), "no result with a period");
	FUZZ_CHECK(res.active_start == r->active_start && res.active_end == r->active_end &&
			   res.starts == r->starts && res.ends == r->ends &&
			   res.ends_from_start == r->ends_from_start &&
			   res.ends_voluntary == r->ends_voluntary,
			   "counts differ from the reference: active %lld/%lld %lld/%lld starts %lld/%lld "
			   "ends %lld/%lld from_start %lld/%lld voluntary %lld/%lld",
			   (long long) res.active_start, (long long) r->active_start,
			   (long long) res.active_end, (long long) r->active_end,
			   (long long) res.starts, (long long) r->starts,
			   (long long) res.ends, (long long) r->ends,
			   (long long) res.ends_from_start, (long long) r->ends_from_start,
			   (long long) res.ends_voluntary, (long long) r->ends_voluntary);
	FUZZ_CHECK(covered == r->covered, "covered units differ from the reference");
	FUZZ_CHECK(res.active_start >= 0 && res.active_start <= r->nspells &&
			   res.active_end >= 0 && res.active_end <= r->nspells &&
			   res.starts >= 0 && res.starts <= r->nspells &&
			   res.ends >= 0 && res.ends <= r->nspells &&
			   res.ends_voluntary >= 0 && res.ends_voluntary <= res.ends &&
			   res.ends_from_start >= 0 && res.ends_from_start <= res.ends &&
			   res.ends_from_start <= res.active_start,
			   "counts out of bounds for %lld spells", (long long) r->nspells);
	FUZZ_CHECK(res.avg_active >= 0.0 && res.avg_active <= (double) r->nspells,
			   "avg_active %.17g for %lld spells", res.avg_active, (long long) r->nspells);
	{
		/* avg_active is the covered units over the period's length */
		double		len = (double) ((uint64_t) st->p1 - (uint64_t) st->p0);
		double		want = (double) r->covered / len;

		FUZZ_CHECK(fabs(res.avg_active - want) <= 1e-12 * want,
				   "avg_active %.17g, expected %.17g", res.avg_active, want);
	}
	FUZZ_CHECK(res.turnover_rate_valid == (r->covered != 0), "turnover validity");
	if (res.turnover_rate_valid)
		FUZZ_CHECK(res.turnover_rate >= 0.0 && !isnan(res.turnover_rate) &&
				   res.annualized_turnover_rate >= 0.0 && !isnan(res.annualized_turnover_rate),
				   "turnover %.17g annualized %.17g", res.turnover_rate,
				   res.annualized_turnover_rate);
	FUZZ_CHECK(res.churn_rate_valid == (r->active_start > 0), "churn validity");
	if (res.churn_rate_valid)
		FUZZ_CHECK(res.churn_rate >= 0.0 && res.churn_rate <= 1.0 &&
				   res.retention_rate >= 0.0 && res.retention_rate <= 1.0,
				   "churn %.17g retention %.17g", res.churn_rate, res.retention_rate);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	bool		has_voluntary;
	double		units_per_day;
	int64_t		p0,
				p1;
	PfSpellState whole;
	PfSpellState part[2];
	PfSpellState empty;
	PfSpellResult res;
	Ref			ref;
	bool		has_period = false;

	fuzz_arena_reset();
	fin_init(&in, data, size);
	has_voluntary = fin_bool(&in);
	units_per_day = pf_spell_units_per_day(fin_bool(&in) ? PF_SPELL_UNIT_MICROSECOND : PF_SPELL_UNIT_DAY);
	p0 = fin_i64_mixed(&in);
	p1 = fin_bool(&in) ? fin_i64_mixed(&in) : wrap_add(p0, 1 + (fin_u8(&in) & 0x3F));
	memset(&ref, 0, sizeof(ref));
	pf_spell_state_init(&whole, has_voluntary);
	pf_spell_state_init(&part[0], has_voluntary);
	pf_spell_state_init(&part[1], false);
	pf_spell_state_init(&empty, false);
	FUZZ_CHECK(!pf_spell_result(&whole, units_per_day, &res), "result without rows");

	while (in.left > 0)
	{
		uint8_t		op = fin_u8(&in);
		int			side = op & 1;
		bool		ongoing = (op >> 1) & 1;
		bool		vknown = (op >> 2) & 1;
		bool		vol = (op >> 3) & 1;
		int64_t		q0 = p0,
					q1 = p1;
		int64_t		a = fin_i64_mixed(&in);
		int64_t		b = fin_i64_mixed(&in);

		if ((op >> 4) == 15)
		{
			q0 = fin_i64_mixed(&in);
			q1 = fin_i64_mixed(&in);
		}
		/* spells near the period, often */
		if ((op >> 4) == 1)
		{
			a = wrap_add(p0, (int8_t) (a & 0xFF));
			b = wrap_add(a, (b & 0x7F) - 8);
		}
		if (PF_TRY(pf_spell_accum(&whole, a, b, ongoing, vknown, vol, q0, q1)))
		{
			FUZZ_CHECK(pf_last_error_kind == PF_ERR_INVALID_PARAMETER &&
					   (q1 <= q0 || (has_period && (q0 != p0 || q1 != p1))),
					   "pf_spell_accum raised: %s", pf_last_error_message);
			continue;
		}
		FUZZ_CHECK(q1 > q0 && (!has_period || (q0 == p0 && q1 == p1)),
				   "period [%lld, %lld) accepted", (long long) q0, (long long) q1);
		has_period = true;
		p0 = q0;
		p1 = q1;
		FUZZ_CHECK(!PF_TRY(pf_spell_accum(&part[side], a, b, ongoing, vknown, vol, q0, q1)),
				   "part raised where the whole did not: %s", pf_last_error_message);
		ref_add(&ref, a, b, ongoing, vknown, vol, p0, p1);
	}
	if (!has_period)
		return 0;
	check_result(&whole, &ref, units_per_day);

	/* combine of the split, in either order, and with an empty state */
	{
		PfSpellState x = part[0];
		PfSpellState y = part[1];

		FUZZ_CHECK(!PF_TRY(pf_spell_combine(&x, &part[1])), "combine raised: %s", pf_last_error_message);
		FUZZ_CHECK(memcmp(&x, &whole, sizeof(x)) == 0, "combine of the split differs from the whole");
		FUZZ_CHECK(!PF_TRY(pf_spell_combine(&y, &part[0])), "combine raised: %s", pf_last_error_message);
		FUZZ_CHECK(memcmp(&y, &whole, sizeof(y)) == 0, "combine of the split (reversed) differs from the whole");
		x = empty;
		pf_spell_combine(&x, &whole);
		x.has_voluntary = whole.has_voluntary;
		FUZZ_CHECK(memcmp(&x, &whole, sizeof(x)) == 0, "combine into an empty state differs");
	}
	return 0;
}

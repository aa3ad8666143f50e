/*-------------------------------------------------------------------------
 *
 * range.h
 *	  Reading range arguments: a daterange or tstzrange spell or period as
 *	  int64 units (PfSpellUnit), for the spell aggregates and
 *	  tenure_survival.  Glue.
 *
 * What runs on every row is inline here; the rest is in range.c.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PF_RANGE_H
#define PF_RANGE_H

#include "fmgr.h"
#if PG_VERSION_NUM >= 160000
#include "varatt.h"			/* the varlena macros left postgres.h in 16 */
#endif
#include "catalog/pg_type.h"
#include "utils/date.h"
#include "utils/timestamp.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"
#include "spell_core.h"

/*
 * What a function reading ranges keeps in fn_extra across rows: the range
 * type's cache entry and unit, and the period last read (usually a
 * constant), so that it is decoded once.
 */
typedef struct PfRangeCache
{
	Oid			rngtypid;
	TypeCacheEntry *typcache;
	PfSpellUnit unit;
	bool		has_period;
	uint32		period_len;
	char		period[64];		/* its bytes, header included */
	int64		p0;
	int64		p1;
} PfRangeCache;

/* a range argument's bytes, in place or copied to an aligned local buffer */
typedef union PfRangeLocal
{
	char		buf[64];
	double		align;
} PfRangeLocal;

extern PfRangeCache *pf_range_cache_fill(FunctionCallInfo fcinfo,
										 Oid rngtypid);
/*
 * The period [*p0, *p1) in units, an error unless bounded; an empty range
 * reads as [0, 0), which pf_spell_accum rejects as it rejects every empty
 * period.
 */
extern void pf_range_period(PfRangeCache *c, const RangeType *r,
							int64 *p0, int64 *p1);
extern void pf_range_too_short(void) PF_NORETURN;
extern void pf_range_without_start(void) PF_NORETURN;

/*
 * The bytes of a range value after its varlena header, read where they
 * are (a value stored with a 1-byte header is as good as any): the range
 * type's OID, the lower and upper values when present, and the flags in
 * the last byte, as range_serialize lays them out.  Only a toasted value
 * is copied.
 */
typedef struct PfRangeBytes
{
	const char *data;
	Size		len;
} PfRangeBytes;

static inline PfRangeBytes
pf_range_bytes(Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	PfRangeBytes rb;

	if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
		v = (struct varlena *) DatumGetRangeTypeP(d);
	rb.data = VARDATA_ANY(v);
	rb.len = VARSIZE_ANY_EXHDR(v);
	if (unlikely(rb.len < sizeof(Oid) + 1))
		pf_range_too_short();
	return rb;
}

/*
 * A range datum as an aligned RangeType without the palloc'd copy
 * detoasting would make of a short (1-byte header) value: such a value is
 * copied to the caller's buffer.
 */
static inline const RangeType *
pf_range_view(Datum d, PfRangeLocal *local)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);

	if (VARATT_IS_SHORT(v))
	{
		Size		len = VARSIZE_SHORT(v) - VARHDRSZ_SHORT;

		if (len + VARHDRSZ <= sizeof(local->buf))
		{
			memcpy(local->buf + VARHDRSZ, VARDATA_SHORT(v), len);
			SET_VARSIZE(local->buf, len + VARHDRSZ);
			return (const RangeType *) local->buf;
		}
	}
	if (VARATT_IS_EXTENDED(v))
		return DatumGetRangeTypeP(d);
	return (const RangeType *) v;
}

/* the cache in fn_extra, set up for the range type of the bytes rb */
static inline PfRangeCache *
pf_range_cache(FunctionCallInfo fcinfo, PfRangeBytes rb)
{
	PfRangeCache *c = (PfRangeCache *) fcinfo->flinfo->fn_extra;
	Oid			rngtypid;

	memcpy(&rngtypid, rb.data, sizeof(Oid));
	if (likely(c != NULL && c->rngtypid == rngtypid))
		return c;
	return pf_range_cache_fill(fcinfo, rngtypid);
}

/* a date or timestamptz bound value at p in units; false when infinite */
static inline bool
pf_range_bound_units(PfSpellUnit unit, const char *p, int64 *units)
{
	if (unit == PF_SPELL_UNIT_DAY)
	{
		DateADT		d;

		memcpy(&d, p, sizeof(d));
		if (DATE_NOT_FINITE(d))
			return false;
		*units = d;
	}
	else
	{
		TimestampTz t;

		memcpy(&t, p, sizeof(t));
		if (TIMESTAMP_NOT_FINITE(t))
			return false;
		*units = t;
	}
	return true;
}

/*
 * A spell as [*a, *b) in units, *ongoing when its upper bound is unbounded
 * or infinite.  Returns false for an empty range, to be skipped.
 */
static inline bool
pf_range_spell(const PfRangeCache *c, PfRangeBytes rb, int64 *a, int64 *b,
			   bool *ongoing)
{
	char		flags = rb.data[rb.len - 1];
	const char *p = rb.data + sizeof(Oid);
	Size		width = c->unit == PF_SPELL_UNIT_DAY ? sizeof(DateADT) : sizeof(TimestampTz);
	int			nvalues = (RANGE_HAS_LBOUND(flags) ? 1 : 0) +
		(RANGE_HAS_UBOUND(flags) ? 1 : 0);

	/* date and timestamptz values need no alignment padding here */
	if (unlikely(rb.len < sizeof(Oid) + nvalues * width + 1))
		pf_range_too_short();
	if (flags & RANGE_EMPTY)
		return false;
	if (!RANGE_HAS_LBOUND(flags) || !pf_range_bound_units(c->unit, p, a))
		pf_range_without_start();
	if (!(flags & RANGE_LB_INC))
		(*a)++;
	*ongoing = !RANGE_HAS_UBOUND(flags) ||
		!pf_range_bound_units(c->unit, p + width, b);
	if (!*ongoing && (flags & RANGE_UB_INC))
		(*b)++;
	return true;
}

/*
 * The commonest spell read inline, for the hot path of tenure_survival: a
 * daterange [a, b) or [a, ) with finite dates, stored in place.  Read with
 * no branch on which of the two it is, which would be mispredicted as often
 * as spells are ongoing.  False for any other value, to be read by
 * pf_range_cache and pf_range_spell, which check it fully.
 */
static inline bool
pf_range_common_date_spell(Datum d, int64 *a, int64 *b, bool *ongoing)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	const char *data;
	Size		len;
	Oid			rngtypid;
	uint8		flags;
	bool		unbounded;
	DateADT		lo;
	DateADT		hi;

	if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
		return false;
	data = VARDATA_ANY(v);
	len = VARSIZE_ANY_EXHDR(v);
	if (len < sizeof(Oid) + sizeof(DateADT) + 1)
		return false;
	memcpy(&rngtypid, data, sizeof(Oid));
	flags = (uint8) data[len - 1];
	unbounded = (flags & RANGE_UB_INF) != 0;
	/* the sizes by arithmetic, not by a branch on unbounded */
	if (rngtypid != DATERANGEOID || (flags & ~RANGE_UB_INF) != RANGE_LB_INC ||
		len != sizeof(Oid) + (2 - (Size) unbounded) * sizeof(DateADT) + 1)
		return false;
	memcpy(&lo, data + sizeof(Oid), sizeof(lo));
	/* the upper bound, or the lower again when there is none */
	memcpy(&hi, data + sizeof(Oid) + (1 - (Size) unbounded) * sizeof(DateADT),
		   sizeof(hi));
	if (DATE_NOT_FINITE(lo))
		return false;
	*a = lo;
	*b = hi;
	*ongoing = unbounded | DATE_NOT_FINITE(hi);
	return true;
}

#endif							/* PF_RANGE_H */

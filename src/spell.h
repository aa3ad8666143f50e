/*-------------------------------------------------------------------------
 *
 * spell.h
 *	  Glue shared by the spell aggregates and tenure_survival: reading a
 *	  daterange or tstzrange as a spell of int64 units.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PF_SPELL_H
#define PF_SPELL_H

#include "fmgr.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

/* Units of a spell: days for daterange, microseconds for tstzrange. */
typedef enum PfUnit
{
	PF_UNIT_DAY = 1,
	PF_UNIT_MICROSECOND = 2
} PfUnit;

/*
 * What the spell functions keep in fn_extra across rows: the range type's
 * cache entry and unit, and the period last read (usually a constant), so
 * that it is decoded once.
 */
typedef struct PfRangeCache
{
	Oid			rngtypid;
	TypeCacheEntry *typcache;
	PfUnit		unit;
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

extern const RangeType *pf_range_view(Datum d, PfRangeLocal *local);
extern PfRangeCache *pf_range_cache(FunctionCallInfo fcinfo, const RangeType *r);
extern bool pf_range_spell(PfRangeCache *c, const RangeType *r,
						   int64 *a, int64 *b, bool *ongoing);
extern void pf_range_period(PfRangeCache *c, const RangeType *r,
							int64 *p0, int64 *p1);

#endif							/* PF_SPELL_H */

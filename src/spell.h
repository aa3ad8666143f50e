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

extern TypeCacheEntry *pf_range_typcache(FunctionCallInfo fcinfo,
										 RangeType *r, PfUnit *unit);
extern bool pf_range_spell(TypeCacheEntry *typcache, PfUnit unit,
						   RangeType *r, int64 *a, int64 *b, bool *ongoing);

#endif							/* PF_SPELL_H */

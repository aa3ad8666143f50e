/*-------------------------------------------------------------------------
 *
 * range.c
 *	  Reading range arguments as spells and periods of int64 units, for the
 *	  spell aggregates and tenure_survival: the range type's cache, the
 *	  period, and the errors of the inline readers in range.h.  Glue.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/date.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"

#include "range.h"

PfRangeCache *
pf_range_cache_fill(FunctionCallInfo fcinfo, Oid rngtypid)
{
	PfRangeCache *c = (PfRangeCache *) fcinfo->flinfo->fn_extra;

	if (c == NULL)
		c = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(PfRangeCache));
	c->typcache = lookup_type_cache(rngtypid, TYPECACHE_RANGE_INFO);
	if (c->typcache->rngelemtype == NULL)
		elog(ERROR, "type %u is not a range type", rngtypid);
	switch (c->typcache->rngelemtype->type_id)
	{
		case DATEOID:
			c->unit = PF_SPELL_UNIT_DAY;
			break;
		case TIMESTAMPTZOID:
			c->unit = PF_SPELL_UNIT_MICROSECOND;
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("spells must be of type daterange or tstzrange")));
	}
	c->rngtypid = rngtypid;
	c->has_period = false;
	return c;
}

void
pf_range_too_short(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("range value is too short for its bounds")));
}

void
pf_range_without_start(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("a spell must have a finite lower bound"),
			 errdetail("A spell is the span of a relationship from its start; an unknown start cannot be counted.")));
}

/* is a date or timestamptz bound value finite? */
static bool
bound_finite(PfSpellUnit unit, Datum value)
{
	if (unit == PF_SPELL_UNIT_DAY)
		return !DATE_NOT_FINITE(DatumGetDateADT(value));
	return !TIMESTAMP_NOT_FINITE(DatumGetTimestampTz(value));
}

/* The last period read is remembered by its bytes. */
void
pf_range_period(PfRangeCache *c, const RangeType *r, int64 *p0, int64 *p1)
{
	RangeBound	lower;
	RangeBound	upper;
	bool		empty;
	bool		ongoing;
	uint32		len = VARSIZE(r);

	if (c->has_period && c->period_len == len &&
		memcmp(c->period, r, len) == 0)
	{
		*p0 = c->p0;
		*p1 = c->p1;
		return;
	}
	range_deserialize(c->typcache, r, &lower, &upper, &empty);
	if (empty)
	{
		*p0 = *p1 = 0;
		return;
	}
	if (lower.infinite || upper.infinite ||
		!bound_finite(c->unit, lower.val) || !bound_finite(c->unit, upper.val))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must be bounded"),
				 errdetail("A period has a finite start and a finite end."),
				 errhint("For example daterange('2024-01-01', '2024-04-01') for the first quarter of 2024.")));
	(void) pf_range_spell(c, pf_range_bytes(PointerGetDatum(r)), p0, p1, &ongoing);
	if (len <= sizeof(c->period))
	{
		memcpy(c->period, r, len);
		c->period_len = len;
		c->p0 = *p0;
		c->p1 = *p1;
		c->has_period = true;
	}
}

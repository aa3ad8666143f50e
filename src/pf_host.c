/*-------------------------------------------------------------------------
 *
 * pf_host.c
 *	  The core's host inside the server: pf_alloc is palloc in the current
 *	  memory context (huge allocations allowed), pf_error is ereport, pf_check_interrupts is
 *	  CHECK_FOR_INTERRUPTS.
 *	  The module's magic block lives here too.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"

#include "pf_core.h"
#include "correlation.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* the module's settings, defined by the concerns they belong to */
void
_PG_init(void)
{
	pf_rankcorr_define_settings();
}

static int
pf_sqlstate(PfErrorKind kind)
{
	switch (kind)
	{
		case PF_ERR_INVALID_TEXT:
			return ERRCODE_INVALID_TEXT_REPRESENTATION;
		case PF_ERR_INVALID_BINARY:
			return ERRCODE_INVALID_BINARY_REPRESENTATION;
		case PF_ERR_INVALID_PARAMETER:
			return ERRCODE_INVALID_PARAMETER_VALUE;
		case PF_ERR_OUT_OF_RANGE:
			return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
		case PF_ERR_DATETIME_RANGE:
			return ERRCODE_DATETIME_VALUE_OUT_OF_RANGE;
		case PF_ERR_PROGRAM_LIMIT:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		case PF_ERR_OUT_OF_MEMORY:
			return ERRCODE_OUT_OF_MEMORY;
		case PF_ERR_INTERNAL:
			break;
	}
	return ERRCODE_INTERNAL_ERROR;
}

void *
pf_alloc(size_t size)
{
	return MemoryContextAllocHuge(CurrentMemoryContext, size);
}

void *
pf_alloc0(size_t size)
{
	void	   *p = MemoryContextAllocHuge(CurrentMemoryContext, size);

	memset(p, 0, size);
	return p;
}

void *
pf_realloc(void *ptr, size_t size)
{
	if (ptr == NULL)
		return pf_alloc(size);
	return repalloc_huge(ptr, size);
}

void
pf_free(void *ptr)
{
	if (ptr != NULL)
		pfree(ptr);
}

void
pf_error(PfErrorKind kind, const char *message, const char *detail,
		 const char *hint)
{
	ereport(ERROR,
			(errcode(pf_sqlstate(kind)),
			 errmsg_internal("%s", message),
			 detail ? errdetail_internal("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0));
	pg_unreachable();
}

void
pf_errorf(PfErrorKind kind, const char *detail, const char *hint,
		  const char *fmt,...)
{
	size_t		len = 256;
	char	   *buf;

	/* format in full, never cutting a multibyte character short */
	for (;;)
	{
		va_list		ap;
		size_t		needed;

		buf = palloc(len);
		va_start(ap, fmt);
		needed = pvsnprintf(buf, len, fmt, ap);
		va_end(ap);
		/* the length printed when it fitted, else the size it needs */
		if (needed < len)
			break;
		pfree(buf);
		len = needed;
	}
	pf_error(kind, buf, detail, hint);
}

void
pf_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

/*
 * host.c
 *	  The core's host outside the server: malloc for allocation, and errors
 *	  that longjmp back to the caller of pf_try (or abort when none waits).
 */
#include "host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf *pf_catch = NULL;
PfErrorKind pf_last_error_kind;
char		pf_last_error_message[512];
size_t		unit_bytes_allocated = 0;

void *
pf_alloc(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	unit_bytes_allocated += size;
	if (p == NULL)
		pf_error(PF_ERR_OUT_OF_MEMORY, "out of memory", NULL, NULL);
	return p;
}

void *
pf_alloc0(size_t size)
{
	void	   *p = pf_alloc(size);

	memset(p, 0, size);
	return p;
}

void *
pf_realloc(void *ptr, size_t size)
{
	void	   *p = realloc(ptr, size ? size : 1);

	unit_bytes_allocated += size;
	if (p == NULL)
		pf_error(PF_ERR_OUT_OF_MEMORY, "out of memory", NULL, NULL);
	return p;
}

void
pf_free(void *ptr)
{
	free(ptr);
}

void
pf_error(PfErrorKind kind, const char *message, const char *detail,
		 const char *hint)
{
	(void) detail;
	(void) hint;
	pf_last_error_kind = kind;
	snprintf(pf_last_error_message, sizeof(pf_last_error_message), "%s",
			 message);
	if (pf_catch == NULL)
	{
		fprintf(stderr, "uncaught core error: %s\n", message);
		abort();
	}
	longjmp(*pf_catch, 1);
}

void
pf_errorf(PfErrorKind kind, const char *detail, const char *hint,
		  const char *fmt,...)
{
	char		buf[512];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pf_error(kind, buf, detail, hint);
}

jmp_buf *
pf_set_catch(jmp_buf *jb)
{
	jmp_buf    *old = pf_catch;

	pf_catch = jb;
	return old;
}

/* Outside the server nothing interrupts; count the calls for the tests. */
long		unit_interrupt_checks = 0;

void
pf_check_interrupts(void)
{
	unit_interrupt_checks++;
}

/*-------------------------------------------------------------------------
 *
 * pf_core.h
 *	  What the server-free computational core of peoplefirst needs from its
 *	  host: memory allocation and error reporting.
 *
 * Files named *_core.c include this header and no PostgreSQL header, so
 * that they build alone (unit tests, sanitizers, libFuzzer).  Inside the
 * server, src/pf_host.c maps these calls to palloc and ereport; outside it,
 * test/core/host.c maps them to malloc and a longjmp.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PF_CORE_H
#define PF_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define PF_NORETURN __attribute__((noreturn))
#define PF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PF_NORETURN
#define PF_PRINTF(f, a)
#endif

/* Kinds of error; the host maps each to an SQLSTATE. */
typedef enum PfErrorKind
{
	PF_ERR_INVALID_TEXT,		/* 22P02 invalid_text_representation */
	PF_ERR_INVALID_BINARY,		/* 22P03 invalid_binary_representation */
	PF_ERR_INVALID_PARAMETER,	/* 22023 invalid_parameter_value */
	PF_ERR_OUT_OF_RANGE,		/* 22003 numeric_value_out_of_range */
	PF_ERR_DATETIME_RANGE,		/* 22008 datetime_field_overflow */
	PF_ERR_OUT_OF_MEMORY,		/* 53200 out_of_memory */
	PF_ERR_INTERNAL				/* XX000 internal_error */
} PfErrorKind;

/*
 * Allocation.  pf_alloc never returns NULL: on failure it reports
 * PF_ERR_OUT_OF_MEMORY and does not return.  Requests may exceed 1 GB.
 */
extern void *pf_alloc(size_t size);
extern void *pf_alloc0(size_t size);
extern void *pf_realloc(void *ptr, size_t size);
extern void pf_free(void *ptr);

/*
 * Report an error and do not return.  detail and hint may be NULL.  The
 * message follows PostgreSQL's style: lower case, no final period; detail
 * and hint are full sentences.
 */
extern void pf_error(PfErrorKind kind, const char *message,
					 const char *detail, const char *hint) PF_NORETURN;

/* The same with a printf-style message. */
extern void pf_errorf(PfErrorKind kind, const char *detail, const char *hint,
					  const char *fmt,...) PF_PRINTF(4, 5) PF_NORETURN;

#endif							/* PF_CORE_H */

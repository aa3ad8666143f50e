/*-------------------------------------------------------------------------
 *
 * pf_core.h
 *	  What the server-free computational core of peoplefirst needs from its
 *	  host: memory allocation, error reporting and interrupt checks, and
 *	  the small helpers every core file shares.
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
#define PF_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define PF_NORETURN
#define PF_PRINTF(f, a)
#define PF_ALWAYS_INLINE inline
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
	PF_ERR_PROGRAM_LIMIT,		/* 54000 program_limit_exceeded */
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

/*
 * Give the host a chance to act on a pending interrupt (query cancel,
 * statement timeout, termination).  Inside the server this is
 * CHECK_FOR_INTERRUPTS, which may raise an error and not return; the
 * core calls it in every loop whose length grows with the input, through
 * PF_INTERRUPT_EVERY so that the cost stays negligible.
 */
extern void pf_check_interrupts(void);

/* every PF_INTERRUPT_STRIDE iterations of a loop counter i */
#define PF_INTERRUPT_STRIDE 65536
#define PF_INTERRUPT_EVERY(i) \
	do { \
		if (((i) & (PF_INTERRUPT_STRIDE - 1)) == 0) \
			pf_check_interrupts(); \
	} while (0)

/* *count += delta, or PF_ERR_OUT_OF_RANGE when the count would overflow */
static inline void
pf_count_add(int64_t *count, int64_t delta)
{
	int64_t		sum;

	if (__builtin_add_overflow(*count, delta, &sum))
		pf_error(PF_ERR_OUT_OF_RANGE, "bigint out of range", NULL, NULL);
	*count = sum;
}

#endif							/* PF_CORE_H */

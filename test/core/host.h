/*
 * host.h
 *	  Test-side host of the core and a minimal unit-test vocabulary.
 *
 * PF_TRY(expr) evaluates expr and yields true when it raised a core error;
 * the kind and message are then in pf_last_error_kind and
 * pf_last_error_message.
 */
#ifndef PF_TEST_HOST_H
#define PF_TEST_HOST_H

#include <math.h>
#include <setjmp.h>
#include <stdio.h>

#include "pf_core.h"

extern PfErrorKind pf_last_error_kind;
extern char pf_last_error_message[512];

/* bytes requested through pf_alloc and pf_realloc so far (never less) */
extern size_t unit_bytes_allocated;

/* calls of pf_check_interrupts so far */
extern long unit_interrupt_checks;
extern jmp_buf *pf_set_catch(jmp_buf *jb);

#define PF_TRY(expr) \
	({ jmp_buf pf_jb_; jmp_buf *pf_old_ = pf_set_catch(&pf_jb_); \
	   volatile int pf_raised_ = 0; \
	   if (setjmp(pf_jb_) == 0) { (expr); } else { pf_raised_ = 1; } \
	   pf_set_catch(pf_old_); pf_raised_; })

/* Test counters and checks, printed in TAP so prove can read them. */
extern int	unit_tests_run;
extern int	unit_tests_failed;

#define CHECK(cond, ...) \
	do { \
		unit_tests_run++; \
		if (cond) \
			printf("ok %d\n", unit_tests_run); \
		else \
		{ \
			unit_tests_failed++; \
			printf("not ok %d - %s:%d: ", unit_tests_run, __FILE__, __LINE__); \
			printf(__VA_ARGS__); \
			printf("\n"); \
		} \
	} while (0)

/* relative difference, with an absolute floor for values near zero */
static inline int
close_rel(double got, double want, double rel, double abs_floor)
{
	if (isnan(want))
		return isnan(got);
	if (isinf(want))
		return got == want;
	return fabs(got - want) <= rel * fabs(want) || fabs(got - want) <= abs_floor;
}

#define UNIT_MAIN_BEGIN int unit_tests_run = 0; int unit_tests_failed = 0; \
	int main(void) {
#define UNIT_MAIN_END \
	printf("1..%d\n", unit_tests_run); \
	return unit_tests_failed != 0; }

#endif

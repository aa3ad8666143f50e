/*
 * sampler.h
 *	  How long the core goes without checking for interrupts: a profiling
 *	  timer samples unit_interrupt_checks every millisecond of CPU time, and
 *	  the longest run of equal samples is the longest stretch, in ms,
 *	  without a check.  For the unit tests of the sorts and statistics.
 */
#ifndef PF_TEST_SAMPLER_H
#define PF_TEST_SAMPLER_H

#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/time.h>

#include "host.h"

#define MAX_SAMPLES 100000
static volatile long samples[MAX_SAMPLES];
static volatile sig_atomic_t nsamples;

static inline void
on_prof(int sig)
{
	(void) sig;
	if (nsamples < MAX_SAMPLES)
		samples[nsamples++] = unit_interrupt_checks;
}

/* start (on) or stop sampling */
static inline void
sampling(bool on)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	if (on)
	{
		nsamples = 0;
		signal(SIGPROF, on_prof);
		it.it_interval.tv_usec = 1000;
		it.it_value.tv_usec = 1000;
	}
	setitimer(ITIMER_PROF, &it, NULL);
}

/* milliseconds of the longest stretch without a check, and of all */
static inline void
longest_stretch(int *longest, int *total)
{
	int			run = 0;

	*longest = 0;
	*total = nsamples;
	for (int i = 1; i < nsamples; i++)
	{
		run = samples[i] == samples[i - 1] ? run + 1 : 0;
		if (run > *longest)
			*longest = run;
	}
}

#endif

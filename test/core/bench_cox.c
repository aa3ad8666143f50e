/*
 * bench_cox.c
 *	  Timing of cox_core on n rows (default 1,000,000) with 3 covariates:
 *	  right-censored data (Efron and Breslow) and the same rows with delayed
 *	  entry.  Not part of the unit tests (test/core/run.sh builds only
 *	  test_*.c); build and run it from the repository root on demand:
 *
 *	gcc -std=gnu99 -O2 -Isrc -Itest/core src/[a-z]*_core.c test/core/host.c \
 *		test/core/bench_cox.c -lm -o /tmp/bench_cox
 *	/tmp/bench_cox 1000000 /tmp/cox1m.csv
 *
 * The second argument writes the rows as CSV (entry,exit,event,x1,x2,x3)
 * so that R can fit the same data, timing the fit alone:
 *
 *	Rscript -e 'library(survival); d <- read.csv("/tmp/cox1m.csv");
 *	  for (m in c("efron", "breslow")) print(system.time(f <- coxph(
 *	    Surv(exit, event) ~ x1 + x2 + x3, data = d, ties = m)));
 *	  print(system.time(coxph(Surv(entry, exit, event) ~ x1 + x2 + x3,
 *	    data = d)))'
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cox_core.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static double
unif(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((rng >> 11) + 0.5) / 9007199254740992.0;
}

static double
gauss(void)
{
	return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

static double
clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
run(const char *label, const PfCoxData *d, PfCoxTies ties)
{
	double		w0 = clock_s(CLOCK_MONOTONIC);
	double		c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	PfCoxModel *m = pf_cox_fit(d, ties, NULL);
	double		c1 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	double		w1 = clock_s(CLOCK_MONOTONIC);

	printf("%-24s cpu %6.3f s  wall %6.3f s  %d iterations  beta %.6f %.6f %.6f  loglik %.6f\n",
		   label, c1 - c0, w1 - w0, m->iterations, m->beta[0], m->beta[1], m->beta[2],
		   m->loglik);
	pf_cox_free(m);
}

int
main(int argc, char **argv)
{
	int64_t		n = argc > 1 ? atoll(argv[1]) : 1000000;
	const char *out = argc > 2 ? argv[2] : NULL;
	PfCoxData	d;
	double	   *entry,
			   *exit_,
			   *x;
	bool	   *event;

	entry = malloc(sizeof(double) * n);
	exit_ = malloc(sizeof(double) * n);
	x = malloc(sizeof(double) * n * 3);
	event = malloc(sizeof(bool) * n);
	for (int64_t i = 0; i < n; i++)
	{
		double		lp,
					t,
					c;

		x[i * 3] = gauss();
		x[i * 3 + 1] = unif() < 0.4;
		x[i * 3 + 2] = floor(unif() * 5);
		lp = 0.5 * x[i * 3] + 0.7 * x[i * 3 + 1] - 0.2 * x[i * 3 + 2];
		t = -log(unif()) / (0.08 * exp(lp));
		c = -log(unif()) / 0.04;
		/* times on a grid of 1/1000: realistic ties */
		exit_[i] = ceil((t < c ? t : c) * 1000) / 1000;
		event[i] = t < c;
		entry[i] = unif() < 0.5 ? 0 : floor(exit_[i] * unif() * 1000) / 1000;
		if (entry[i] >= exit_[i])
			entry[i] = 0;
	}
	if (out)
	{
		FILE	   *f = fopen(out, "w");

		fprintf(f, "entry,exit,event,x1,x2,x3\n");
		for (int64_t i = 0; i < n; i++)
			fprintf(f, "%.17g,%.17g,%d,%.17g,%.17g,%.17g\n", entry[i], exit_[i],
					event[i], x[i * 3], x[i * 3 + 1], x[i * 3 + 2]);
		fclose(f);
	}

	memset(&d, 0, sizeof(d));
	d.n = n;
	d.p = 3;
	d.exit = exit_;
	d.x = x;
	d.event = event;
	printf("%lld rows, 3 covariates\n", (long long) n);
	run("right-censored, Efron", &d, PF_COX_EFRON);
	run("right-censored, Breslow", &d, PF_COX_BRESLOW);
	d.entry = entry;
	run("delayed entry, Efron", &d, PF_COX_EFRON);
	free(entry);
	free(exit_);
	free(x);
	free(event);
	return 0;
}

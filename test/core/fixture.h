/*
 * fixture.h
 *	  Reading the committed reference fixtures (the CSV files of test/fixtures) in the
 *	  core's unit tests: open a file, split a line, read a field, compare.
 *	  The tests run from the repository's top directory (test/core/run.sh).
 */
#ifndef PF_TEST_FIXTURE_H
#define PF_TEST_FIXTURE_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the directory of the fixtures; a test may point it elsewhere */
static const char *fixture_dir = "test/fixtures";

/* test/fixtures/NAME, or exit 2 (a missing fixture is not a failed check) */
static inline FILE *
open_fixture(const char *name)
{
	char		path[1024];
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/%s", fixture_dir, name);
	f = fopen(path, "r");
	if (f == NULL)
	{
		fprintf(stderr, "cannot open %s\n", path);
		exit(2);
	}
	return f;
}

/* Split a CSV line in place into at most max fields; returns the count. */
static inline int
split_csv(char *line, char **fields, int max)
{
	int			n = 0;
	char	   *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max)
	{
		fields[n++] = p;
		p = strchr(p, ',');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

/* An empty field is NULL: NaN here, with *valid false. */
static inline double
field_double(const char *s, bool *valid)
{
	if (*s == '\0')
	{
		if (valid)
			*valid = false;
		return NAN;
	}
	if (valid)
		*valid = true;
	return strtod(s, NULL);
}

/* |got - want| / |want|, 0 when equal (infinities included) */
static inline double
rel_err(double got, double want)
{
	if (got == want)
		return 0.0;
	return fabs(got - want) / fmax(fabs(want), 1e-300);
}

#endif

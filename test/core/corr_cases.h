/*
 * corr_cases.h
 *	  The scipy fixture's input cases (test/fixtures/correlation_input.csv:
 *	  case_id, x, y, z, w), loaded once into cases[0 .. ncases-1], for the
 *	  unit tests of the correlation concerns.
 */
#ifndef PF_TEST_CORR_CASES_H
#define PF_TEST_CORR_CASES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

typedef struct Case
{
	int64_t		n;
	double	   *xy;				/* n pairs */
	double	   *z;
	double	   *w;
} Case;

static Case *cases;
static int	ncases;

static inline void
load_cases(void)
{
	FILE	   *f = open_fixture("correlation_input.csv");
	char		line[512];
	char	   *fld[5];
	int64_t		cap = 0;

	if (fgets(line, sizeof(line), f) == NULL)
		exit(2);
	while (fgets(line, sizeof(line), f))
	{
		int			id;
		Case	   *c;

		if (split_csv(line, fld, 5) != 5)
			continue;
		id = atoi(fld[0]);
		if (id > ncases)
		{
			cases = realloc(cases, sizeof(Case) * id);
			memset(&cases[ncases], 0, sizeof(Case) * (id - ncases));
			ncases = id;
			cap = 0;
		}
		c = &cases[id - 1];
		if (c->n == cap)
		{
			cap = cap ? cap * 2 : 16;
			c->xy = realloc(c->xy, sizeof(double) * 2 * cap);
			c->z = realloc(c->z, sizeof(double) * cap);
			c->w = realloc(c->w, sizeof(double) * cap);
		}
		c->xy[2 * c->n] = strtod(fld[1], NULL);
		c->xy[2 * c->n + 1] = strtod(fld[2], NULL);
		c->z[c->n] = strtod(fld[3], NULL);
		c->w[c->n] = strtod(fld[4], NULL);
		c->n++;
	}
	fclose(f);
}

#endif

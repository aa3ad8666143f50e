/*
 * csv.h
 *	  A small reader of the fixtures' CSV files for the unit tests: a header
 *	  line, then rows of fields separated by commas; a field may be quoted
 *	  with "" for a quote inside.  Numbers: an empty field is NaN (R's NA),
 *	  "Inf" and "-Inf" are infinities, "true"/"false" are 1 and 0.
 *
 * Files are read whole into memory; a missing file bails out of the TAP
 * run (tests run from the repository root).
 */
#ifndef PF_TEST_CSV_H
#define PF_TEST_CSV_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Csv
{
	int			nrows;
	int			ncols;
	char	  **header;			/* [ncols] */
	char	  **cell;			/* [nrows * ncols] */
} Csv;

/* Split one line in place into at most max fields; returns their number. */
static inline int
csv_split(char *line, char **field, int max)
{
	int			n = 0;
	char	   *r = line;
	char	   *w = line;

	line[strcspn(line, "\r\n")] = '\0';
	for (;;)
	{
		char	   *start = w;

		if (*r == '"')
		{
			r++;
			while (*r)
			{
				if (r[0] == '"' && r[1] == '"')
				{
					*w++ = '"';
					r += 2;
				}
				else if (r[0] == '"')
				{
					r++;
					break;
				}
				else
					*w++ = *r++;
			}
		}
		while (*r && *r != ',')
			*w++ = *r++;
		if (n < max)
			field[n++] = start;
		if (*r != ',')
		{
			*w = '\0';
			break;
		}
		r++;
		*w++ = '\0';
	}
	return n;
}

static inline Csv *
csv_read(const char *path)
{
	FILE	   *fp = fopen(path, "r");
	Csv		   *c;
	char	   *line = NULL;
	size_t		cap = 0;
	int			rowcap = 256;
	char	  **f;

	if (fp == NULL)
	{
		printf("Bail out! cannot open %s (run from the repository root)\n", path);
		exit(1);
	}
	c = calloc(1, sizeof(Csv));
	f = malloc(sizeof(char *) * 1024);
	if (getline(&line, &cap, fp) < 0)
	{
		printf("Bail out! %s is empty\n", path);
		exit(1);
	}
	c->ncols = csv_split(line, f, 1024);
	c->header = malloc(sizeof(char *) * c->ncols);
	for (int j = 0; j < c->ncols; j++)
		c->header[j] = strdup(f[j]);
	c->cell = malloc(sizeof(char *) * c->ncols * rowcap);
	while (getline(&line, &cap, fp) >= 0)
	{
		int			k;

		if (line[0] == '\n' || line[0] == '\0')
			continue;
		k = csv_split(line, f, 1024);
		if (k != c->ncols)
		{
			printf("Bail out! %s: a row has %d fields, not %d\n", path, k, c->ncols);
			exit(1);
		}
		if (c->nrows == rowcap)
		{
			rowcap *= 2;
			c->cell = realloc(c->cell, sizeof(char *) * c->ncols * rowcap);
		}
		for (int j = 0; j < k; j++)
			c->cell[c->nrows * c->ncols + j] = strdup(f[j]);
		c->nrows++;
	}
	free(line);
	free(f);
	fclose(fp);
	return c;
}

static inline void
csv_free(Csv *c)
{
	for (int j = 0; j < c->ncols; j++)
		free(c->header[j]);
	for (int i = 0; i < c->nrows * c->ncols; i++)
		free(c->cell[i]);
	free(c->header);
	free(c->cell);
	free(c);
}

/* the column named name; bails out when there is none */
static inline int
csv_col(const Csv *c, const char *name)
{
	for (int j = 0; j < c->ncols; j++)
		if (strcmp(c->header[j], name) == 0)
			return j;
	printf("Bail out! no column %s\n", name);
	exit(1);
}

static inline const char *
csv_str(const Csv *c, int row, int col)
{
	return c->cell[row * c->ncols + col];
}

static inline double
csv_num(const Csv *c, int row, int col)
{
	const char *s = csv_str(c, row, col);

	if (s[0] == '\0')
		return NAN;
	if (strcmp(s, "Inf") == 0)
		return INFINITY;
	if (strcmp(s, "-Inf") == 0)
		return -INFINITY;
	if (strcmp(s, "true") == 0)
		return 1;
	if (strcmp(s, "false") == 0)
		return 0;
	return strtod(s, NULL);
}

#endif

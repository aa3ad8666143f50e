/*
 * test_survival.c
 *	  Unit tests of survival_core: agreement with the exact fixtures written
 *	  by test/fixtures/survival_gen.py (curve, Greenwood, log-log intervals,
 *	  medians, S(t)), merge and rollup of random partitions equal to the
 *	  whole, text and binary round trips, rejection of malformed input, and
 *	  the interrupt checks of every loop over entries.  The builder's own
 *	  tests are in test_survival_builder.c.
 *
 * Run from the repository root, where test/fixtures/ is found.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

#include "survival_builder_core.h"
#include "survival_core.h"

#define REL 1e-10

typedef struct Spell
{
	int			casenum;
	int64_t		a;
	int64_t		b;
	bool		ongoing;
} Spell;

typedef struct Case
{
	int			casenum;
	PfSpellUnit unit;
	int64_t		as_of;
	int64_t		nentries;
	bool		has_median;
	int64_t		median;
} Case;

typedef struct CurveRow
{
	int			casenum;
	int64_t		v[4];			/* duration, at_risk, events, censored */
	double		f[6];			/* survival, std_err, low95 .. high90 */
	bool		null[6];
} CurveRow;

typedef struct AtRow
{
	int			casenum;
	int64_t		t;
	double		s;
} AtRow;

static Spell *spells;
static int	nspells;
static Case *cases;
static int	ncases;
static CurveRow *curve;
static int	ncurve;
static AtRow *ats;
static int	nats;

static int
split(char *line, char **fields, int max)
{
	int			n = 0;
	char	   *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	fields[n++] = p;
	while ((p = strchr(p, ',')) != NULL && n < max)
	{
		*p++ = '\0';
		fields[n++] = p;
	}
	return n;
}

/* Read a fixture: calls row() for each line after the header. */
static void
read_csv(const char *path, int nfields, void (*row) (char **))
{
	char		line[1024];
	char	   *f[32];
	FILE	   *fp = fopen(path, "r");

	if (fp == NULL)
	{
		printf("Bail out! cannot open %s (run from the repository root)\n",
			   path);
		exit(1);
	}
	if (fgets(line, sizeof(line), fp) == NULL)
		exit(1);
	while (fgets(line, sizeof(line), fp))
		if (split(line, f, 32) == nfields)
			row(f);
	fclose(fp);
}

#define GROW(arr, n) \
	do { \
		if (((n) & ((n) - 1)) == 0) \
			arr = realloc(arr, ((n) ? 2 * (n) : 1) * sizeof(*(arr))); \
	} while (0)

static void
case_row(char **f)
{
	Case	   *c;

	GROW(cases, ncases);
	c = &cases[ncases++];
	c->casenum = atoi(f[0]);
	c->unit = strcmp(f[1], "day") == 0 ? PF_SPELL_UNIT_DAY :
		PF_SPELL_UNIT_MICROSECOND;
	c->as_of = strtoll(f[2], NULL, 10);
	c->nentries = strtoll(f[3], NULL, 10);
	c->has_median = f[4][0] != '\0';
	c->median = c->has_median ? strtoll(f[4], NULL, 10) : 0;
}

static void
spell_row(char **f)
{
	Spell	   *s;

	GROW(spells, nspells);
	s = &spells[nspells++];
	s->casenum = atoi(f[0]);
	s->a = strtoll(f[1], NULL, 10);
	s->ongoing = f[2][0] == '\0';
	s->b = s->ongoing ? 0 : strtoll(f[2], NULL, 10);
}

static void
curve_row(char **f)
{
	CurveRow   *r;
	int			i;

	GROW(curve, ncurve);
	r = &curve[ncurve++];
	r->casenum = atoi(f[0]);
	for (i = 0; i < 4; i++)
		r->v[i] = strtoll(f[1 + i], NULL, 10);
	for (i = 0; i < 6; i++)
	{
		r->null[i] = f[5 + i][0] == '\0';
		r->f[i] = r->null[i] ? 0 : strtod(f[5 + i], NULL);
	}
}

static void
at_row(char **f)
{
	AtRow	   *r;

	GROW(ats, nats);
	r = &ats[nats++];
	r->casenum = atoi(f[0]);
	r->t = strtoll(f[1], NULL, 10);
	r->s = strtod(f[2], NULL);
}

static void
load(void)
{
	read_csv("test/fixtures/survival_cases.csv", 5, case_row);
	read_csv("test/fixtures/survival_spells.csv", 3, spell_row);
	read_csv("test/fixtures/survival_curve.csv", 11, curve_row);
	read_csv("test/fixtures/survival_at.csv", 3, at_row);
}

static bool
same_summary(const PfSurvival *x, const PfSurvival *y)
{
	return x->version == y->version && x->unit == y->unit &&
		x->reserved == y->reserved && x->nentries == y->nentries &&
		memcmp(x->entries, y->entries,
			   (size_t) x->nentries * sizeof(PfSurvivalEntry)) == 0;
}

/* The summary of a builder, pf_alloc'd. */
static PfSurvival *
finish(PfSurvivalBuilder *b)
{
	PfSurvival *s = pf_survival_alloc((PfSpellUnit) b->unit,
									  pf_survival_builder_compact(b));

	pf_survival_builder_write(b, s);
	return s;
}

/* The binary form, pf_alloc'd. */
static uint8_t *
encode(const PfSurvival *s, size_t *len)
{
	uint8_t    *buf;

	*len = pf_survival_encoded_size(s);
	buf = pf_alloc(*len);
	pf_survival_encode(s, buf);
	return buf;
}

/* Whether s keeps every invariant: its binary form decodes. */
static bool
valid_summary(const PfSurvival *s)
{
	size_t		len;
	uint8_t    *wire = encode(s, &len);
	PfSurvival *volatile back = NULL;
	bool		ok = !PF_TRY(back = pf_survival_decode(wire, len));

	if (ok)
		pf_free(back);
	pf_free(wire);
	return ok;
}

/* Every row of the curve, pf_alloc'd into *rows; their number. */
static int64_t
curve_rows(const PfSurvival *s, double conf, PfSurvivalCurveRow **rows)
{
	PfSurvivalCurve curve;
	int64_t		n = 0;

	pf_survival_curve_begin(&curve, s, conf, PF_SURVIVAL_CI_LOG_LOG);
	*rows = pf_alloc((size_t) (s->nentries > 0 ? s->nentries : 1) * sizeof(PfSurvivalCurveRow));
	while (pf_survival_curve_next(&curve, &(*rows)[n]))
		n++;
	return n;
}

/* Curve rows of one case at one level against the fixture. */
static void
check_curve(const Case *c, const PfSurvival *s, const CurveRow *want,
			int nwant, double conf, int lo)
{
	PfSurvivalCurveRow *rows;
	int64_t		n = curve_rows(s, conf, &rows);
	int64_t		i;
	int			bad_counts = 0;
	int			bad_float = 0;
	char		first_bad[256] = "";

	CHECK(n == nwant, "case %d: %lld curve rows, want %d", c->casenum,
		  (long long) n, nwant);
	for (i = 0; i < n && i < nwant; i++)
	{
		const PfSurvivalCurveRow *r = &rows[i];
		const CurveRow *w = &want[i];
		double		got[4] = {r->survival, r->std_err, r->ci_low, r->ci_high};
		bool		valid[4] = {true, r->std_err_valid, r->ci_valid, r->ci_valid};
		int			widx[4] = {0, 1, lo, lo + 1};
		int			k;

		if (r->duration != w->v[0] || r->at_risk != w->v[1] ||
			r->events != w->v[2] || r->censored != w->v[3])
			bad_counts++;
		for (k = 0; k < 4; k++)
		{
			int			j = widx[k];

			if (valid[k] != !w->null[j] ||
				(valid[k] && !close_rel(got[k], w->f[j], REL, 1e-300)))
			{
				if (bad_float++ == 0)
					snprintf(first_bad, sizeof(first_bad),
							 "row %lld field %d: %.17g (valid %d), want %.17g (null %d)",
							 (long long) i, j, got[k], valid[k], w->f[j],
							 w->null[j]);
			}
		}
	}
	CHECK(bad_counts == 0, "case %d: %d rows with wrong counts",
		  c->casenum, bad_counts);
	CHECK(bad_float == 0, "case %d conf %g: %d bad values; first %s",
		  c->casenum, conf, bad_float, first_bad);
	pf_free(rows);
}

/*
 * Builders over random partitions: their summaries merged two at a time,
 * rolled up into one builder, and combined into a builder that holds a
 * part already, as survival_combine does.
 */
static void
check_partitions(const Case *c, const Spell *sp, int nsp,
				 const PfSurvival *whole)
{
	PfSurvivalBuilder *parts[5] = {NULL};
	PfSurvivalBuilder *rollup = pf_survival_builder_create(c->unit);
	PfSurvival *merged = pf_survival_alloc(c->unit, 0);
	PfSurvival *s;
	int			nparts = 1 + rand() % 5;
	int			k;

	for (k = 0; k < nparts; k++)
		parts[k] = pf_survival_builder_create(c->unit);
	for (k = 0; k < nsp; k++)
		pf_survival_builder_add_spell(parts[rand() % nparts], sp[k].a, sp[k].b,
									  sp[k].ongoing, c->as_of);
	for (k = 0; k < nparts; k++)
	{
		PfSurvival *part = finish(parts[k]);
		PfSurvival *m = pf_survival_merge(merged, part);

		pf_free(merged);
		merged = m;
		pf_survival_builder_add_summary(rollup, part);
		if (k > 0)
			pf_survival_builder_add_summary(parts[0], part);
		pf_free(part);
	}
	CHECK(same_summary(merged, whole), "case %d: merge of %d parts",
		  c->casenum, nparts);
	s = finish(rollup);
	CHECK(same_summary(s, whole), "case %d: rollup of %d summaries",
		  c->casenum, nparts);
	pf_free(s);
	s = finish(parts[0]);
	CHECK(same_summary(s, whole), "case %d: combine of %d parts into the first",
		  c->casenum, nparts);
	pf_free(s);
	pf_free(merged);
	for (k = 0; k < nparts; k++)
		pf_survival_builder_free(parts[k]);
	pf_survival_builder_free(rollup);
}

static void
check_round_trips(const Case *c, const PfSurvival *s)
{
	char	   *text = pf_survival_format(s);
	PfSurvival *back = pf_survival_parse(text);
	char	   *text2 = pf_survival_format(back);
	uint8_t    *wire;
	size_t		len;

	CHECK(same_summary(back, s) && strcmp(text, text2) == 0,
		  "case %d: text round trip", c->casenum);
	pf_free(back);
	wire = encode(s, &len);
	back = pf_survival_decode(wire, len);
	CHECK(same_summary(back, s) && len == 12 + 32 * (size_t) s->nentries,
		  "case %d: binary round trip", c->casenum);
	pf_free(back);
	pf_free(wire);
	pf_free(text);
	pf_free(text2);
}

static void
test_fixtures(void)
{
	int			ci;
	int			si = 0;
	int			vi = 0;
	int			ai = 0;

	srand(11);
	for (ci = 0; ci < ncases; ci++)
	{
		const Case *c = &cases[ci];
		int			first = si;
		int			vfirst = vi;
		int			bad_at = 0;
		PfSurvivalBuilder *b = pf_survival_builder_create(c->unit);
		PfSurvival *s;
		PfSurvival *again;
		int64_t		median = -1;
		bool		has_median;
		int			k;

		while (si < nspells && spells[si].casenum == c->casenum)
			si++;
		while (vi < ncurve && curve[vi].casenum == c->casenum)
			vi++;

		for (k = first; k < si; k++)
			pf_survival_builder_add_spell(b, spells[k].a, spells[k].b,
									  spells[k].ongoing, c->as_of);
		s = finish(b);
		again = finish(b);
		CHECK(s->nentries == c->nentries && same_summary(s, again) && valid_summary(s),
			  "case %d: %lld entries, want %lld; valid; finish is repeatable",
			  c->casenum, (long long) s->nentries, (long long) c->nentries);
		pf_free(again);

		check_curve(c, s, &curve[vfirst], vi - vfirst, 0.95, 2);
		check_curve(c, s, &curve[vfirst], vi - vfirst, 0.9, 4);

		has_median = pf_survival_median(s, &median);
		CHECK(has_median == c->has_median &&
			  (!has_median || median == c->median),
			  "case %d: median %lld (%d), want %lld (%d)", c->casenum,
			  (long long) median, has_median, (long long) c->median,
			  c->has_median);

		for (; ai < nats && ats[ai].casenum == c->casenum; ai++)
			if (!close_rel(pf_survival_at(s, ats[ai].t), ats[ai].s,
						   REL, 1e-300))
				bad_at++;
		CHECK(bad_at == 0, "case %d: %d wrong S(t)", c->casenum, bad_at);

		check_partitions(c, &spells[first], si - first, s);
		check_round_trips(c, s);
		pf_free(s);
		pf_survival_builder_free(b);
	}
	CHECK(si == nspells && vi == ncurve && ai == nats,
		  "every fixture row belongs to a case");
	CHECK(ncases > 60, "fixtures loaded: %d cases", ncases);
}

static void
expect_text_error(const char *text, const char *why)
{
	bool		raised = PF_TRY(pf_survival_parse(text));

	CHECK(raised && pf_last_error_kind == PF_ERR_INVALID_TEXT,
		  "rejects %s: %s", why, text);
}

static void
test_text(void)
{
	static const char *const good =
	"{\"version\":2,\"unit\":\"day\",\"entries\":[[0,0,2,0],[3,1,0,0],[17,2,5,0]]}";
	size_t		len = strlen(good);
	size_t		i;
	PfSurvival *s;
	char	   *out;
	char		buf[256];

	s = pf_survival_parse(good);
	out = pf_survival_format(s);
	CHECK(strcmp(out, good) == 0 && s->nentries == 3 &&
		  s->entries[2].duration == 17 && s->entries[2].censored == 5,
		  "canonical text reads and prints back: %s", out);
	pf_free(out);
	pf_free(s);

	s = pf_survival_parse(" {\n\t\"version\" : 2 , \"unit\":\"microsecond\",\r\n"
				   " \"entries\" : [ [ 9223372036854775807 , 9223372036854775807 , 0 , 0 ] ] } \n");
	out = pf_survival_format(s);
	CHECK(strcmp(out, "{\"version\":2,\"unit\":\"microsecond\",\"entries\":"
				 "[[9223372036854775807,9223372036854775807,0,0]]}") == 0,
		  "white space between tokens and int64 limits: %s", out);
	pf_free(out);
	pf_free(s);

	s = pf_survival_parse("{\"version\":1,\"unit\":\"day\",\"entries\":[]}");
	CHECK(s->nentries == 0 && pf_survival_at(s, 5) == 1.0,
		  "empty summary reads");
	pf_free(s);

	/* every truncation fails, and so does every extension */
	for (i = 0; i < len; i++)
	{
		bool		raised;

		memcpy(buf, good, i);
		buf[i] = '\0';
		raised = PF_TRY(pf_survival_parse(buf));
		CHECK(raised && pf_last_error_kind == PF_ERR_INVALID_TEXT,
			  "rejects truncation to %zu bytes", i);
	}
	/* every single-byte change either reads back canonically or is refused */
	{
		static const char subst[] = "0129-+ ,[]{}\":ax\x7f";
		volatile int accepted = 0;
		volatile int wrong = 0;
		size_t		k;

		for (i = 0; i < len; i++)
			for (k = 0; k < sizeof(subst) - 1; k++)
			{
				PfSurvival *volatile got = NULL;

				memcpy(buf, good, len + 1);
				buf[i] = subst[k];
				if (!PF_TRY(got = pf_survival_parse(buf)))
				{
					char	   *t = pf_survival_format(got);
					PfSurvival *again = pf_survival_parse(t);

					accepted++;
					if (!same_summary(got, again))
						wrong++;
					pf_free(again);
					pf_free(t);
					pf_free(got);
				}
				else if (pf_last_error_kind != PF_ERR_INVALID_TEXT)
					wrong++;
			}
		CHECK(accepted > 0 && wrong == 0,
			  "text mutations: %d accepted, all canonical", accepted);
	}

	snprintf(buf, sizeof(buf), "%sx", good);
	expect_text_error(buf, "trailing garbage");
	snprintf(buf, sizeof(buf), "%s}", good);
	expect_text_error(buf, "a second closing brace");

	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[1x,1,0]]}",
					  "a letter in a number");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[1,+1,0]]}",
					  "a plus sign");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[1.0,1,0]]}",
					  "a fraction");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[1e3,1,0]]}",
					  "an exponent");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[01,1,0]]}",
					  "a leading zero");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[,1,0]]}",
					  "a missing number");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[1,1]]}",
					  "a short entry");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[1,1,0,0]]}",
					  "a long entry");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[1,1,0],]}",
					  "a trailing comma");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[5,1,0],[3,1,0]]}",
					  "unsorted durations");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[3,1,0],[3,0,1]]}",
					  "a duplicate duration");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[3,-1,2]]}",
					  "a negative event count");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[3,1,-2]]}",
					  "a negative censored count");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[-3,1,0]]}",
					  "a negative duration");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[3,0,0]]}",
					  "an entry with no subject");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[9223372036854775808,1,0]]}",
					  "a duration beyond int64");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[1,99999999999999999999,0]]}",
					  "a count beyond int64");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[1,9223372036854775807,1]]}",
					  "a total beyond int64");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[1,9223372036854775807,0],[2,1,0]]}",
					  "a total beyond int64 over entries");
	expect_text_error("{\"version\":3,\"unit\":\"day\",\"entries\":[]}",
					  "an unknown version");
	expect_text_error("{\"version\":1,\"unit\":\"week\",\"entries\":[]}",
					  "an unknown unit");
	expect_text_error("{\"unit\":\"day\",\"version\":1,\"entries\":[]}",
					  "keys out of order");
	expect_text_error("{\"version\":1,\"unit\":\"day\",\"entries\":[[1,1,0]]}\x01",
					  "a control character after the end");
	expect_text_error("", "the empty string");
	/* the messages of textio_core.h (detail and position are in the detail) */
	CHECK(PF_TRY(pf_survival_parse("{\"version\":1,\"unit\":\"day\",\"entries\":[[5,1,0],[3,1,0]]}")) &&
		  strcmp(pf_last_error_message, "invalid input value for type survival: "
				 "\"{\"version\":1,\"unit\":\"day\",\"entries\":[[5,1,0],[3,1,0]]}\"") == 0,
		  "an inconsistent value: %s", pf_last_error_message);
	CHECK(PF_TRY(pf_survival_parse("{\"version\":1,\"unit\":\"day\",\"entries\":[[5,1x,0]]}")) &&
		  strcmp(pf_last_error_message, "invalid input syntax for type survival: "
				 "\"{\"version\":1,\"unit\":\"day\",\"entries\":[[5,1x,0]]}\"") == 0,
		  "a syntax error: %s", pf_last_error_message);
	CHECK(PF_TRY(pf_survival_parse("{\"version\":3,\"unit\":\"day\",\"entries\":[]}")) &&
		  strncmp(pf_last_error_message, "invalid input value for type survival: ", 39) == 0,
		  "an unknown version is a value error: %s", pf_last_error_message);
}

static void
expect_binary_error(const uint8_t *buf, size_t len, const char *why)
{
	bool		raised = PF_TRY(pf_survival_decode(buf, len));

	CHECK(raised && pf_last_error_kind == PF_ERR_INVALID_BINARY &&
		  strcmp(pf_last_error_message, "invalid binary input for type survival") == 0,
		  "binary receive rejects %s: %s", why, pf_last_error_message);
}

static void
put_be64(uint8_t *p, uint64_t v)
{
	int			i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t) v;
}

static void
test_binary(void)
{
	PfSurvival *s = pf_survival_parse("{\"version\":2,\"unit\":\"microsecond\",\"entries\":[[0,0,2,0],[3,1,0,0],[17,2,5,0]]}");
	size_t		len;
	uint8_t    *wire = encode(s, &len);
	uint8_t		buf[128];
	size_t		i;
	volatile int j;
	volatile int survived = 0;
	volatile int crashed_validation = 0;

	CHECK(len == 12 + 3 * 32 && wire[0] == 2 && wire[1] == 2 &&
		  wire[11] == 3 && wire[12 + 32 + 7] == 3,
		  "wire layout: header then big-endian entries");

	for (i = 0; i < len; i++)
		expect_binary_error(wire, i, "a truncation");
	memcpy(buf, wire, len);
	buf[len] = 0;
	expect_binary_error(buf, len + 1, "a trailing byte");

	memcpy(buf, wire, len);
	buf[0] = 3;
	expect_binary_error(buf, len, "an unknown version");
	memcpy(buf, wire, len);
	buf[1] = 4;
	expect_binary_error(buf, len, "an unknown unit");
	memcpy(buf, wire, len);
	buf[3] = 1;
	expect_binary_error(buf, len, "non-zero reserved bytes");
	memcpy(buf, wire, len);
	put_be64(buf + 4, UINT64_MAX);
	expect_binary_error(buf, len, "a negative entry count");
	memcpy(buf, wire, len);
	put_be64(buf + 4, (uint64_t) 1 << 60);
	expect_binary_error(buf, len, "a huge entry count");
	memcpy(buf, wire, len);
	put_be64(buf + 4, 2);
	expect_binary_error(buf, len, "a count not matching the size");
	memcpy(buf, wire, len);
	put_be64(buf + 12 + 32, 0);
	expect_binary_error(buf, len, "a duplicate duration");
	memcpy(buf, wire, len);
	put_be64(buf + 12 + 32 + 8, (uint64_t) -1);
	expect_binary_error(buf, len, "a negative count");
	memcpy(buf, wire, len);
	put_be64(buf + 12 + 32 + 8, 0);
	expect_binary_error(buf, len, "an empty entry");
	memcpy(buf, wire, len);
	put_be64(buf + 12, (uint64_t) -5);
	expect_binary_error(buf, len, "a negative duration");
	memcpy(buf, wire, len);
	put_be64(buf + 12 + 64 + 8, INT64_MAX);
	expect_binary_error(buf, len, "a total beyond int64");

	/* every single-byte change is either valid or rejected cleanly */
	for (i = 0; i < len; i++)
		for (j = 0; j < 256; j += 17)
		{
			PfSurvival *volatile got = NULL;

			memcpy(buf, wire, len);
			buf[i] = (uint8_t) j;
			if (!PF_TRY(got = pf_survival_decode(buf, len)))
			{
				survived++;
				if (!valid_summary(got))
					crashed_validation++;
				pf_free(got);
			}
			else if (pf_last_error_kind != PF_ERR_INVALID_BINARY)
				crashed_validation++;
		}
	CHECK(survived > 0 && crashed_validation == 0,
		  "byte mutations: %d accepted, all of them valid", survived);

	pf_free(wire);
	pf_free(s);
}

static void
test_accessors_and_errors(void)
{
	PfSurvival *day = pf_survival_parse("{\"version\":1,\"unit\":\"day\",\"entries\":[[2,1,1],[4,2,0]]}");
	PfSurvival *us = pf_survival_parse("{\"version\":1,\"unit\":\"microsecond\",\"entries\":[[2,1,0]]}");
	PfSurvival *empty = pf_survival_alloc(PF_SPELL_UNIT_DAY, 0);
	PfSurvivalBuilder *b = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	PfSurvivalCurveRow *rows = NULL;
	PfSurvivalCurve curve;
	int64_t		m = 0;
	double		nan = NAN;

	CHECK(pf_survival_at(day, 1) == 1.0 &&
		  pf_survival_at(day, 2) == 0.75 &&
		  pf_survival_at(day, 3) == 0.75 &&
		  pf_survival_at(day, 4) == 0.0 &&
		  pf_survival_at(day, INT64_MAX) == 0.0 &&
		  pf_survival_at(day, INT64_MIN) == 1.0,
		  "S(t) steps at event durations");
	CHECK(pf_survival_median(day, &m) && m == 4, "median %lld", (long long) m);
	CHECK(!pf_survival_median(empty, &m) && curve_rows(empty, 0.95, &rows) == 0,
		  "empty summary: no median, no curve");
	pf_free(rows);
	CHECK(curve_rows(day, 0.95, &rows) == 2 && rows[0].at_risk == 4 &&
		  rows[1].at_risk == 2 && rows[1].survival == 0.0 &&
		  !rows[1].ci_valid && !rows[1].std_err_valid && rows[0].ci_valid &&
		  rows[0].ci_low < 0.75 && rows[0].ci_high > 0.75,
		  "curve: events before censorings, S = 0 has no interval");
	pf_free(rows);

	CHECK(PF_TRY(pf_survival_curve_begin(&curve, day, 1.0, PF_SURVIVAL_CI_LOG_LOG)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER, "conf 1 rejected");
	CHECK(PF_TRY(pf_survival_curve_begin(&curve, day, 0.0, PF_SURVIVAL_CI_LOG_LOG)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER, "conf 0 rejected");
	CHECK(PF_TRY(pf_survival_curve_begin(&curve, day, nan, PF_SURVIVAL_CI_LOG_LOG)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER, "conf NaN rejected");

	CHECK(PF_TRY(pf_survival_merge(day, us)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER &&
		  strstr(pf_last_error_message, "microsecond") != NULL,
		  "merging different units is an error: %s", pf_last_error_message);
	CHECK(PF_TRY(pf_survival_builder_add_summary(b, us)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "rolling up different units is an error");

	/* counts that overflow when merged */
	{
		PfSurvival *big = pf_survival_parse("{\"version\":1,\"unit\":\"day\",\"entries\":[[2,9223372036854775807,0]]}");

		CHECK(PF_TRY(pf_survival_merge(big, day)) &&
			  pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
			  "merge beyond int64 counts is an error");
		pf_free(big);
	}
	CHECK(PF_TRY(pf_survival_size(PF_SURVIVAL_MAX_ENTRIES + 1)) &&
		  pf_last_error_kind == PF_ERR_PROGRAM_LIMIT,
		  "a summary beyond 1 GB is refused as a program limit (54000)");
	CHECK(!PF_TRY(pf_survival_size(PF_SURVIVAL_MAX_ENTRIES)),
		  "a summary of exactly the most entries is allowed");

	pf_survival_builder_free(b);
	pf_free(day);
	pf_free(us);
	pf_free(empty);
}

/*
 * Every loop over entries gives the host a chance to cancel: with more
 * entries than PF_INTERRUPT_STRIDE, each function must call it.
 */
static void
test_interrupts(void)
{
	enum
	{
		N = 3 * PF_INTERRUPT_STRIDE
	};
	PfSurvival *s = pf_survival_alloc(PF_SPELL_UNIT_MICROSECOND, N);
	PfSurvival *t;
	PfSurvivalCurve curve;
	PfSurvivalCurveRow row;
	PfSurvivalBuilder *b;
	char	   *text;
	uint8_t    *wire;
	size_t		len;
	int64_t		m;
	long		before;

	for (int64_t i = 0; i < N; i++)
	{
		s->entries[i].duration = 1000 * i;
		s->entries[i].events = 1 + i % 2;
		s->entries[i].censored = i % 3;
	}
#define CALLS_HOOK(what, expr) \
	do { \
		before = unit_interrupt_checks; \
		expr; \
		CHECK(unit_interrupt_checks >= before + 2, \
			  "%s checks for interrupts (%ld calls)", what, \
			  unit_interrupt_checks - before); \
	} while (0)

	CALLS_HOOK("format", text = pf_survival_format(s));
	CALLS_HOOK("parse", t = pf_survival_parse(text));
	pf_free(t);
	pf_free(text);
	CALLS_HOOK("encode", wire = encode(s, &len));
	CALLS_HOOK("decode", t = pf_survival_decode(wire, len));
	pf_free(wire);
	CALLS_HOOK("merge", pf_free(pf_survival_merge(s, t)));
	pf_free(t);
	CALLS_HOOK("survival_at", (void) pf_survival_at(s, INT64_MAX));
	CALLS_HOOK("median", (void) pf_survival_median(s, &m));
	CALLS_HOOK("total", (void) pf_survival_total(s->entries, s->nentries));
	pf_survival_curve_begin(&curve, s, 0.95, PF_SURVIVAL_CI_LOG_LOG);
	CALLS_HOOK("the curve", while (pf_survival_curve_next(&curve, &row)));
	b = pf_survival_builder_create(PF_SPELL_UNIT_MICROSECOND);
	CALLS_HOOK("the builder's add_summary and compaction",
			   (pf_survival_builder_add_summary(b, s), pf_survival_builder_compact(b)));
	pf_survival_builder_free(b);
	pf_free(s);
}

UNIT_MAIN_BEGIN
	load();
	test_fixtures();
	test_text();
	test_binary();
	test_accessors_and_errors();
	test_interrupts();
	free(spells);
	free(cases);
	free(curve);
	free(ats);
UNIT_MAIN_END

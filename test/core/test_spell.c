/*
 * test_spell.c
 *	  Unit tests of spell_core: agreement with the brute-force fixtures
 *	  written by test/fixtures/spell_gen.py, combine of random partitions
 *	  equal to the whole, period checks and overflow guards.
 *
 * Run from the repository root, where test/fixtures/ is found.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

#include "spell_core.h"

#define SPELLS_CSV "test/fixtures/spell_spells.csv"
#define CASES_CSV "test/fixtures/spell_cases.csv"
#define REL 1e-13

typedef struct Spell
{
	int			casenum;
	int64_t		a;
	int64_t		b;
	bool		ongoing;
	bool		vol_known;
	bool		vol;
} Spell;

typedef struct Case
{
	int			casenum;
	bool		micro;
	int64_t		p0;
	int64_t		p1;
	bool		has_voluntary;
	int64_t		counts[6];		/* active_start .. ends_from_start */
	bool		ends_voluntary_null;
	double		rates[5];		/* avg_active .. retention_rate */
	bool		rates_null[5];
} Case;

static Spell *spells;
static int	nspells;
static Case *cases;
static int	ncases;

/* Split a CSV line (no quoting in these fixtures) in place. */
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

static void
load(void)
{
	char		line[1024];
	char	   *f[32];
	FILE	   *fp;
	int			cap;

	fp = fopen(SPELLS_CSV, "r");
	if (fp == NULL)
	{
		printf("Bail out! cannot open %s (run from the repository root)\n",
			   SPELLS_CSV);
		exit(1);
	}
	cap = 1024;
	spells = malloc(cap * sizeof(Spell));
	if (fgets(line, sizeof(line), fp) == NULL)
		exit(1);
	while (fgets(line, sizeof(line), fp))
	{
		Spell	   *s;

		if (split(line, f, 32) != 5)
			continue;
		if (nspells == cap)
			spells = realloc(spells, (cap *= 2) * sizeof(Spell));
		s = &spells[nspells++];
		s->casenum = atoi(f[0]);
		s->a = strtoll(f[1], NULL, 10);
		s->ongoing = f[3][0] == 't';
		s->b = s->ongoing ? 0 : strtoll(f[2], NULL, 10);
		s->vol_known = f[4][0] != '\0';
		s->vol = f[4][0] == 't';
	}
	fclose(fp);

	fp = fopen(CASES_CSV, "r");
	if (fp == NULL)
	{
		printf("Bail out! cannot open %s\n", CASES_CSV);
		exit(1);
	}
	cap = 64;
	cases = malloc(cap * sizeof(Case));
	if (fgets(line, sizeof(line), fp) == NULL)
		exit(1);
	while (fgets(line, sizeof(line), fp))
	{
		Case	   *c;
		int			i;

		if (split(line, f, 32) != 16)
			continue;
		if (ncases == cap)
			cases = realloc(cases, (cap *= 2) * sizeof(Case));
		c = &cases[ncases++];
		c->casenum = atoi(f[0]);
		c->micro = strcmp(f[1], "microsecond") == 0;
		c->p0 = strtoll(f[2], NULL, 10);
		c->p1 = strtoll(f[3], NULL, 10);
		c->has_voluntary = f[4][0] == 't';
		for (i = 0; i < 6; i++)
			c->counts[i] = strtoll(f[5 + i], NULL, 10);
		c->ends_voluntary_null = f[9][0] == '\0';
		for (i = 0; i < 5; i++)
		{
			c->rates_null[i] = f[11 + i][0] == '\0';
			c->rates[i] = c->rates_null[i] ? 0 : strtod(f[11 + i], NULL);
		}
	}
	fclose(fp);
}

static void
accum_spell(PfSpellState *st, const Case *c, const Spell *s)
{
	/* without the argument the glue passes no voluntary flag at all */
	pf_spell_accum(st, s->a, s->b, s->ongoing,
				   c->has_voluntary && s->vol_known, s->vol, c->p0, c->p1);
}

static bool
states_equal(const PfSpellState *x, const PfSpellState *y)
{
	return x->has_period == y->has_period &&
		x->has_voluntary == y->has_voluntary &&
		x->p0 == y->p0 && x->p1 == y->p1 &&
		x->active_start == y->active_start &&
		x->active_end == y->active_end &&
		x->starts == y->starts && x->ends == y->ends &&
		x->ends_voluntary == y->ends_voluntary &&
		x->ends_from_start == y->ends_from_start &&
		x->covered_hi == y->covered_hi && x->covered_lo == y->covered_lo;
}

static void
check_case(const Case *c, const PfSpellState *st)
{
	PfSpellResult r;
	int64_t		got[6];
	double		rates[5];
	bool		valid[5];
	static const char *const names[5] = {"avg_active", "turnover_rate",
	"annualized_turnover_rate", "churn_rate", "retention_rate"};
	int			i;
	bool		ok;

	ok = pf_spell_result(st, pf_spell_units_per_day(c->micro ? PF_SPELL_UNIT_MICROSECOND :
												PF_SPELL_UNIT_DAY), &r);
	CHECK(ok && r.p0 == c->p0 && r.p1 == c->p1, "case %d: period", c->casenum);

	got[0] = r.active_start;
	got[1] = r.active_end;
	got[2] = r.starts;
	got[3] = r.ends;
	got[4] = r.ends_voluntary;
	got[5] = r.ends_from_start;
	ok = true;
	for (i = 0; i < 6; i++)
		if (i != 4 && got[i] != c->counts[i])
			ok = false;
	CHECK(ok, "case %d: counts %lld %lld %lld %lld %lld", c->casenum,
		  (long long) got[0], (long long) got[1], (long long) got[2],
		  (long long) got[3], (long long) got[5]);
	CHECK(r.ends_voluntary_valid == !c->ends_voluntary_null &&
		  (!r.ends_voluntary_valid || r.ends_voluntary == c->counts[4]),
		  "case %d: ends_voluntary %lld", c->casenum,
		  (long long) r.ends_voluntary);

	rates[0] = r.avg_active;
	valid[0] = true;
	rates[1] = r.turnover_rate;
	valid[1] = r.turnover_rate_valid;
	rates[2] = r.annualized_turnover_rate;
	valid[2] = r.annualized_turnover_rate_valid;
	rates[3] = r.churn_rate;
	valid[3] = r.churn_rate_valid;
	rates[4] = r.retention_rate;
	valid[4] = r.retention_rate_valid;
	for (i = 0; i < 5; i++)
		CHECK(valid[i] == !c->rates_null[i] &&
			  (!valid[i] || close_rel(rates[i], c->rates[i], REL, 1e-300)),
			  "case %d: %s %.17g (valid %d), want %.17g (null %d)",
			  c->casenum, names[i], rates[i], valid[i], c->rates[i],
			  c->rates_null[i]);
}

/* The whole of each case, then random partitions combined. */
static void
test_fixtures(void)
{
	int			ci;
	int			si = 0;

	srand(7);
	for (ci = 0; ci < ncases; ci++)
	{
		const Case *c = &cases[ci];
		int			first = si;
		int			last;
		PfSpellState whole;
		PfSpellState parts[4];
		PfSpellState merged;
		int			nparts = 1 + rand() % 4;
		int			k;

		while (si < nspells && spells[si].casenum == c->casenum)
			si++;
		last = si;

		pf_spell_state_init(&whole, c->has_voluntary);
		for (k = first; k < last; k++)
			accum_spell(&whole, c, &spells[k]);
		check_case(c, &whole);

		for (k = 0; k < nparts; k++)
			pf_spell_state_init(&parts[k], c->has_voluntary);
		for (k = first; k < last; k++)
			accum_spell(&parts[rand() % nparts], c, &spells[k]);

		/* combine into a fresh state, as a combine function with NULL left */
		pf_spell_state_init(&merged, false);
		for (k = nparts - 1; k >= 0; k--)
			pf_spell_combine(&merged, &parts[k]);
		CHECK(states_equal(&merged, &whole),
			  "case %d: combine of %d parts equals the whole",
			  c->casenum, nparts);
	}
	CHECK(si == nspells, "every fixture spell belongs to a case");
	CHECK(ncases > 400, "fixtures loaded: %d cases, %d spells",
		  ncases, nspells);
}

static void
test_errors(void)
{
	PfSpellState st;
	PfSpellState other;
	PfSpellResult r;
	bool		raised;

	pf_spell_state_init(&st, false);
	CHECK(!pf_spell_result(&st, 1.0, &r), "no rows: no result");

	pf_spell_accum(&st, 0, 10, false, false, false, 0, 5);
	raised = PF_TRY(pf_spell_accum(&st, 0, 10, false, false, false, 0, 6));
	CHECK(raised && pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "different period in one group is an error");
	raised = PF_TRY(pf_spell_accum(&st, 0, 10, false, false, false, 1, 5));
	CHECK(raised && pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "different period start in one group is an error");

	pf_spell_state_init(&other, false);
	raised = PF_TRY(pf_spell_accum(&other, 0, 10, false, false, false, 5, 5));
	CHECK(raised && pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "empty period is an error");
	raised = PF_TRY(pf_spell_accum(&other, 0, 10, false, false, false, 6, 5));
	CHECK(raised && pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "reversed period is an error");
	CHECK(strcmp(pf_last_error_message, "period must not be empty") == 0,
		  "its message: %s", pf_last_error_message);

	pf_spell_state_init(&other, false);
	pf_spell_accum(&other, 0, 10, false, false, false, 0, 6);
	raised = PF_TRY(pf_spell_combine(&st, &other));
	CHECK(raised && pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "combining states of different periods is an error");

	/* empty spells are skipped but still fix the period */
	pf_spell_state_init(&other, false);
	pf_spell_accum(&other, 3, 3, false, true, true, 0, 5);
	pf_spell_accum(&other, 4, 2, false, true, true, 0, 5);
	CHECK(pf_spell_result(&other, 1.0, &r) && r.starts == 0 &&
		  r.ends == 0 && r.avg_active == 0 && !r.turnover_rate_valid &&
		  !r.churn_rate_valid && !r.ends_voluntary_valid,
		  "empty spells count for nothing");

	/* count overflow through combine */
	pf_spell_state_init(&st, false);
	pf_spell_accum(&st, 0, 3, false, false, false, 0, 5);
	other = st;
	other.ends = INT64_MAX;
	raised = PF_TRY(pf_spell_combine(&st, &other));
	CHECK(raised && pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
		  "count overflow is reported");

	/* covered-unit overflow beyond 2^128 */
	pf_spell_state_init(&st, false);
	pf_spell_accum(&st, 0, 3, false, false, false, 0, 5);
	other = st;
	other.covered_hi = UINT64_MAX;
	other.covered_lo = UINT64_MAX;
	raised = PF_TRY(pf_spell_combine(&st, &other));
	CHECK(raised && pf_last_error_kind == PF_ERR_OUT_OF_RANGE,
		  "covered-unit overflow is reported");
}

/* The units of spells: stored numbers, names and days. */
static void
test_units(void)
{
	CHECK(PF_SPELL_UNIT_DAY == 1 && PF_SPELL_UNIT_MICROSECOND == 2,
		  "unit numbers are stored: never renumbered");
	CHECK(strcmp(pf_spell_unit_name(PF_SPELL_UNIT_DAY), "day") == 0 &&
		  strcmp(pf_spell_unit_name(PF_SPELL_UNIT_MICROSECOND), "microsecond") == 0,
		  "unit names");
	CHECK(pf_spell_unit_valid(1) && pf_spell_unit_valid(2) &&
		  !pf_spell_unit_valid(0) && !pf_spell_unit_valid(3) &&
		  !pf_spell_unit_valid(-1), "valid units");
	CHECK(pf_spell_units_per_day(PF_SPELL_UNIT_DAY) == 1.0 &&
		  pf_spell_units_per_day(PF_SPELL_UNIT_MICROSECOND) == 86400.0 * 1e6,
		  "a day is 1 day or 86400 * 10^6 microseconds");
	CHECK(PF_TRY(pf_spell_unit_name((PfSpellUnit) 3)) &&
		  pf_last_error_kind == PF_ERR_INTERNAL, "an unknown unit has no name");
}

/* Sums past 2^64 and their exact division. */
static void
test_wide_sums(void)
{
	PfSpellState st;
	PfSpellResult r;
	int			i;

	pf_spell_state_init(&st, true);
	for (i = 0; i < 1000; i++)
		pf_spell_accum(&st, INT64_MIN, 0, true, false, false,
					   INT64_MIN, INT64_MAX);
	pf_spell_accum(&st, INT64_MIN, INT64_MIN + 1, false, true, true,
				   INT64_MIN, INT64_MAX);
	CHECK(st.covered_hi == 999 && st.covered_lo == UINT64_MAX - 999 + 1,
		  "1000 spells of 2^64-1 units, plus one: %llu %llu",
		  (unsigned long long) st.covered_hi,
		  (unsigned long long) st.covered_lo);
	pf_spell_result(&st, pf_spell_units_per_day(PF_SPELL_UNIT_MICROSECOND), &r);
	CHECK(r.avg_active == 1000.0 && r.ends == 1 && r.ends_voluntary == 1 &&
		  r.ends_voluntary_valid && r.ends_from_start == 1 &&
		  r.active_start == 1001 && r.active_end == 1000,
		  "avg_active %.17g", r.avg_active);
	CHECK(close_rel(r.turnover_rate, 0.001, 1e-15, 0) &&
		  close_rel(r.annualized_turnover_rate,
					0.001 * 365.2425 * 86400e6 / 18446744073709551615.0,
					1e-15, 0),
		  "wide annualized rate %.17g", r.annualized_turnover_rate);
}

UNIT_MAIN_BEGIN
	load();
	test_fixtures();
	test_errors();
	test_units();
	test_wide_sums();
	free(spells);
	free(cases);
UNIT_MAIN_END

/*
 * test_survival11.c
 *	  Unit tests of the 1.1 survival summary: durations and entry/exit
 *	  times as plain numbers, delayed entry, the log, log-log and plain
 *	  intervals, standard errors and the median with its interval, against
 *	  R's survfit on every "km" case of test/fixtures/surv11_cases.csv
 *	  (expected values in surv11_km_expected.csv and
 *	  surv11_km_median_expected.csv); summaries built from parts and rolled
 *	  up; version 1 values in text, binary and stored form; the validation
 *	  of entered counts and of plain-number times.
 *
 * Run from the repository root, where test/fixtures/ is found.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "survival_builder_core.h"
#include "survival_core.h"

#define FIX "test/fixtures/"
#define REL 1e-9

/* a compacted builder's summary */
static PfSurvival *
built(PfSurvivalBuilder *b)
{
	PfSurvival *s = pf_survival_alloc(b->unit, pf_survival_builder_compact(b));

	pf_survival_builder_write(b, s);
	return s;
}

/* the columns of Surv(...) in an R call: 2 or 3 names */
static int
surv_columns(const char *call, char names[3][32])
{
	const char *p = strstr(call, "Surv(");
	int			n = 0;

	p += 5;
	while (n < 3)
	{
		int			k = 0;

		while (*p == ' ')
			p++;
		while (*p != ',' && *p != ')' && k < 31)
			names[n][k++] = *p++;
		names[n][k] = '\0';
		n++;
		if (*p == ')')
			break;
		p++;
	}
	return n;
}

/*
 * The summary of a km case's data, built from parts: rows go round-robin
 * into three builders whose summaries are rolled up, so that merging is
 * tested on every case.
 */
static PfSurvival *
case_summary(const char *dataset, const char *call, int64_t *nrows)
{
	char		path[256];
	char		names[3][32];
	int			ncols = surv_columns(call, names);
	Csv		   *d;
	int			c0,
				c1,
				c2 = -1;
	PfSurvivalBuilder *parts[3];
	PfSurvivalBuilder *all = pf_survival_builder_create(PF_SURVIVAL_UNIT_NUMBER);
	PfSurvival *s;

	snprintf(path, sizeof(path), FIX "%s", dataset);
	d = csv_read(path);
	c0 = csv_col(d, names[0]);
	c1 = csv_col(d, names[1]);
	if (ncols == 3)
		c2 = csv_col(d, names[2]);
	for (int k = 0; k < 3; k++)
		parts[k] = pf_survival_builder_create(PF_SURVIVAL_UNIT_NUMBER);
	for (int i = 0; i < d->nrows; i++)
	{
		PfSurvivalBuilder *b = parts[i % 3];

		if (ncols == 2)
			pf_survival_builder_add_duration(b, pf_survival_time_key(csv_num(d, i, c0)),
											 csv_num(d, i, c1) != 0);
		else
			pf_survival_builder_add_interval(b, pf_survival_time_key(csv_num(d, i, c0)),
											 pf_survival_time_key(csv_num(d, i, c1)),
											 csv_num(d, i, c2) != 0);
	}
	for (int k = 0; k < 3; k++)
	{
		PfSurvival *p = built(parts[k]);

		pf_survival_builder_add_summary(all, p);
		pf_free(p);
		pf_survival_builder_free(parts[k]);
	}
	s = built(all);
	pf_survival_builder_free(all);
	*nrows = d->nrows;
	csv_free(d);
	return s;
}

static const char *const conf_names[] = {"log-log", "log", "plain"};
static const char *const col_names[] = {"loglog", "log", "plain"};

/* every row of the curve of one case at one type and level */
static void
check_curve(const char *id, const PfSurvival *s, const Csv *e, int type,
			double level)
{
	PfSurvivalCurve curve;
	PfSurvivalCurveRow row;
	int			ccase = csv_col(e, "case_id");
	int			pct = (int) (level * 100 + 0.5);
	char		lo[32],
				hi[32];
	int			clo,
				chi;
	int			i = 0;
	int			rows = 0;
	int			bad = 0;
	int			checked = 0;

	snprintf(lo, sizeof(lo), "lower%d_%s", pct, col_names[type]);
	snprintf(hi, sizeof(hi), "upper%d_%s", pct, col_names[type]);
	clo = csv_col(e, lo);
	chi = csv_col(e, hi);
	while (i < e->nrows && strcmp(csv_str(e, i, ccase), id) != 0)
		i++;
	pf_survival_curve_begin(&curve, s, level, (PfSurvivalConfType) type);
	while (pf_survival_curve_next(&curve, &row))
	{
		double		want_lo;
		double		want_hi;

		rows++;
		if (i >= e->nrows || strcmp(csv_str(e, i, ccase), id) != 0)
		{
			bad++;
			break;
		}
#define EXP(name) csv_num(e, i, csv_col(e, name))
		want_lo = csv_num(e, i, clo);
		want_hi = csv_num(e, i, chi);
		if (!close_rel(pf_survival_time_float(s->unit, row.duration), EXP("time"), REL, 0) ||
			row.at_risk != (int64_t) EXP("n_risk") ||
			row.events != (int64_t) EXP("n_event") ||
			row.censored != (int64_t) EXP("n_censor") ||
			!close_rel(row.survival, EXP("surv"), REL, 1e-300) ||
			(row.std_err_valid ? !close_rel(row.std_err, EXP("std_err"), REL, 1e-300)
			 : !(isnan(EXP("std_err")) || EXP("surv") == 0.0)) ||
			(row.ci_valid ? !(close_rel(row.ci_low, want_lo, REL, 1e-300) &&
							  close_rel(row.ci_high, want_hi, REL, 1e-300))
			 : !(isnan(want_lo) && isnan(want_hi))))
		{
			if (bad == 0)
				printf("# %s %s %.2f: row %d time %g: got S %.17g se %.17g (%d) ci %.17g %.17g (%d), want S %.17g se %.17g ci %.17g %.17g\n",
					   id, conf_names[type], level, rows, EXP("time"), row.survival,
					   row.std_err, row.std_err_valid, row.ci_low, row.ci_high,
					   row.ci_valid, EXP("surv"), EXP("std_err"), want_lo, want_hi);
			bad++;
		}
#undef EXP
		checked++;
		i++;
	}
	if (i < e->nrows && strcmp(csv_str(e, i, ccase), id) == 0)
		bad++;					/* R has more rows */
	CHECK(bad == 0 && checked > 0, "%s, %s interval at %.2f: %d rows, %d differ from R",
		  id, conf_names[type], level, checked, bad);
}

static void
check_median(const char *id, const PfSurvival *s, const Csv *m)
{
	int			ccase = csv_col(m, "case_id");
	int			found = 0;

	for (int i = 0; i < m->nrows; i++)
	{
		double		got[3];
		bool		valid[3];
		double		want[3];
		int			type;
		bool		ok = true;

		if (strcmp(csv_str(m, i, ccase), id) != 0)
			continue;
		found++;
		type = pf_survival_conf_type(csv_str(m, i, csv_col(m, "conf_type")));
		pf_survival_median_ci(s, csv_num(m, i, csv_col(m, "conf_int")),
							  (PfSurvivalConfType) type, got, valid);
		want[0] = csv_num(m, i, csv_col(m, "median"));
		want[1] = csv_num(m, i, csv_col(m, "lower"));
		want[2] = csv_num(m, i, csv_col(m, "upper"));
		for (int k = 0; k < 3; k++)
			ok = ok && (valid[k] ? close_rel(got[k], want[k], REL, 0) : isnan(want[k]));
		CHECK(type >= 0 && ok,
			  "%s median, %s at %s: got %g %g %g (%d %d %d), want %g %g %g", id,
			  csv_str(m, i, csv_col(m, "conf_type")), csv_str(m, i, csv_col(m, "conf_int")),
			  got[0], got[1], got[2], valid[0], valid[1], valid[2],
			  want[0], want[1], want[2]);
	}
	CHECK(found == 6, "%s: 6 medians in the fixture, found %d", id, found);
}

static void
test_r_fixtures(void)
{
	Csv		   *cases = csv_read(FIX "surv11_cases.csv");
	Csv		   *e = csv_read(FIX "surv11_km_expected.csv");
	Csv		   *m = csv_read(FIX "surv11_km_median_expected.csv");
	int			nkm = 0;

	for (int i = 0; i < cases->nrows; i++)
	{
		const char *id = csv_str(cases, i, csv_col(cases, "case_id"));
		PfSurvival *s;
		int64_t		nrows;
		char	   *text;
		PfSurvival *back;

		if (strcmp(csv_str(cases, i, csv_col(cases, "kind")), "km") != 0)
			continue;
		nkm++;
		s = case_summary(csv_str(cases, i, csv_col(cases, "dataset")),
						 csv_str(cases, i, csv_col(cases, "r_call")), &nrows);
		CHECK(pf_survival_total(s->entries, s->nentries) == nrows,
			  "%s: %lld subjects", id, (long long) nrows);
		for (int type = 0; type < 3; type++)
		{
			check_curve(id, s, e, type, 0.95);
			check_curve(id, s, e, type, 0.90);
		}
		check_median(id, s, m);

		/* the text form reads back to the same bytes */
		text = pf_survival_format(s);
		back = pf_survival_parse(text);
		CHECK(back->nentries == s->nentries && back->unit == s->unit &&
			  memcmp(back->entries, s->entries, (size_t) s->nentries * sizeof(PfSurvivalEntry)) == 0,
			  "%s: text round trip", id);
		pf_free(back);
		pf_free(text);
		pf_free(s);
	}
	CHECK(nkm >= 10, "km cases in the fixtures: %d", nkm);
	csv_free(cases);
	csv_free(e);
	csv_free(m);
}

/* big-endian int64 */
static void
put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t) v;
}

static void
test_version_1(void)
{
	const char *v1 = "{\"version\":1,\"unit\":\"day\",\"entries\":[[0,0,2],[3,1,0],[17,2,5]]}";
	const char *v2 = "{\"version\":2,\"unit\":\"day\",\"entries\":[[0,0,2,0],[3,1,0,0],[17,2,5,0]]}";
	PfSurvival *a = pf_survival_parse(v1);
	PfSurvival *b = pf_survival_parse(v2);
	char	   *out = pf_survival_format(a);
	uint8_t		wire[12 + 3 * 24];
	uint8_t		stored[12 + 3 * 24];
	const int64_t rows[3][3] = {{0, 0, 2}, {3, 1, 0}, {17, 2, 5}};
	PfSurvival *c;

	CHECK(a->nentries == 3 && memcmp(a->entries, b->entries, 3 * sizeof(PfSurvivalEntry)) == 0 &&
		  strcmp(out, v2) == 0, "version 1 text reads as version 2: %s", out);
	pf_free(out);

	/* version 1 binary: 12 + 24 per entry */
	memset(wire, 0, sizeof(wire));
	wire[0] = 1;
	wire[1] = 1;
	put_be64(wire + 4, 3);
	for (int i = 0; i < 3; i++)
		for (int k = 0; k < 3; k++)
			put_be64(wire + 12 + 24 * i + 8 * k, (uint64_t) rows[i][k]);
	c = pf_survival_decode(wire, sizeof(wire));
	CHECK(c->nentries == 3 && c->version == PF_SURVIVAL_VERSION &&
		  memcmp(c->entries, b->entries, 3 * sizeof(PfSurvivalEntry)) == 0,
		  "version 1 binary reads as version 2");
	pf_free(c);
	wire[1] = 3;
	CHECK(PF_TRY(pf_survival_decode(wire, sizeof(wire))) &&
		  pf_last_error_kind == PF_ERR_INVALID_BINARY,
		  "version 1 binary has no unit number");
	CHECK(PF_TRY(pf_survival_parse("{\"version\":1,\"unit\":\"number\",\"entries\":[]}")) &&
		  pf_last_error_kind == PF_ERR_INVALID_TEXT,
		  "version 1 text has no unit number");
	CHECK(PF_TRY(pf_survival_parse("{\"version\":1,\"unit\":\"day\",\"entries\":[[1,1,0,0]]}")) &&
		  pf_last_error_kind == PF_ERR_INVALID_TEXT,
		  "version 1 text has three counts");

	/* the stored layout of 1.0, after the varlena header: host byte order */
	memset(stored, 0, sizeof(stored));
	stored[0] = 1;
	stored[1] = 1;
	{
		int64_t		n = 3;

		memcpy(stored + 4, &n, 8);
		for (int i = 0; i < 3; i++)
			memcpy(stored + 12 + 24 * i, rows[i], 24);
	}
	c = pf_survival_upgrade(stored, sizeof(stored));
	CHECK(c->nentries == 3 && c->version == PF_SURVIVAL_VERSION && c->unit == 1 &&
		  memcmp(c->entries, b->entries, 3 * sizeof(PfSurvivalEntry)) == 0,
		  "a stored version 1 summary upgrades");
	pf_free(c);
	CHECK(PF_TRY(pf_survival_upgrade(stored, sizeof(stored) - 1)) &&
		  pf_last_error_kind == PF_ERR_INTERNAL,
		  "a stored version 1 summary of the wrong size is an error");
	pf_free(a);
	pf_free(b);
}

/* whether text parses; the summary is freed */
static bool
parses(const char *text)
{
	PfSurvival *volatile s = NULL;

	if (PF_TRY(s = pf_survival_parse(text)))
		return false;
	pf_free(s);
	return true;
}

static void
test_numbers_and_entries(void)
{
	PfSurvivalBuilder *b = pf_survival_builder_create(PF_SURVIVAL_UNIT_NUMBER);
	PfSurvival *s;
	char	   *text;
	const double times[] = {-3.5, -0.0, 0.0, 1e-310, 2.25, 1e300};

	/* keys order as times do */
	for (int i = 0; i + 1 < 6; i++)
		CHECK(i == 1 ? pf_survival_time_key(times[i]) == pf_survival_time_key(times[i + 1])
			  : pf_survival_time_key(times[i]) < pf_survival_time_key(times[i + 1]),
			  "key order %g < %g", times[i], times[i + 1]);
	for (int i = 0; i < 6; i++)
		CHECK(pf_survival_key_time(pf_survival_time_key(times[i])) == times[i],
			  "key round trip %g", times[i]);

	/*
	 * Hand-worked delayed entry: subjects (entry, exit]: (-inf, 2] event,
	 * (1, 3] event, (2.5, 4] censored, (0, 0.5] event.  At 0.5: at risk
	 * the first and the last (the second enters at 1): 2, S = 1/2.  At 2:
	 * the first and second: 2, S = 1/4.  At 3: the second and third
	 * (entered at 2.5): 2, S = 1/8.  At 4: the third, censored.
	 */
	pf_survival_builder_add_duration(b, pf_survival_time_key(2.0), true);
	pf_survival_builder_add_interval(b, pf_survival_time_key(1.0), pf_survival_time_key(3.0), true);
	pf_survival_builder_add_interval(b, pf_survival_time_key(2.5), pf_survival_time_key(4.0), false);
	pf_survival_builder_add_interval(b, pf_survival_time_key(0.0), pf_survival_time_key(0.5), true);
	s = built(b);
	text = pf_survival_format(s);
	CHECK(strcmp(text, "{\"version\":2,\"unit\":\"number\",\"entries\":[[0,0,0,1],[0.5,1,0,0],[1,0,0,1],[2,1,0,0],[2.5,0,0,1],[3,1,0,0],[4,0,1,0]]}") == 0,
		  "delayed entry text: %s", text);
	{
		PfSurvivalCurve curve;
		PfSurvivalCurveRow row;
		const double want_s[] = {0.5, 0.25, 0.125, 0.125};
		const int64_t want_n[] = {2, 2, 2, 1};
		int			k = 0;
		bool		ok = true;

		pf_survival_curve_begin(&curve, s, 0.95, PF_SURVIVAL_CI_LOG);
		while (pf_survival_curve_next(&curve, &row))
		{
			ok = ok && k < 4 && row.survival == want_s[k] && row.at_risk == want_n[k];
			k++;
		}
		CHECK(ok && k == 4, "delayed entry by hand: 4 rows, S halves at each event");
	}
	CHECK(pf_survival_at(s, pf_survival_key_at_or_before(PF_SURVIVAL_UNIT_NUMBER, 2.9)) == 0.25 &&
		  pf_survival_at(s, pf_survival_key_at_or_before(PF_SURVIVAL_UNIT_NUMBER, -1.0)) == 1.0 &&
		  pf_survival_at(s, pf_survival_key_at_or_before(PF_SURVIVAL_UNIT_NUMBER, INFINITY)) == 0.125,
		  "S(t) at plain-number times");
	pf_free(text);
	pf_free(s);
	pf_survival_builder_free(b);

	/* entered counts that do not fit the exits */
	CHECK(PF_TRY(pf_survival_parse("{\"version\":2,\"unit\":\"day\",\"entries\":[[1,1,0,0],[2,0,0,1]]}")) &&
		  pf_last_error_kind == PF_ERR_INVALID_TEXT,
		  "rejects a subject entering after every exit");
	CHECK(parses("{\"version\":2,\"unit\":\"day\",\"entries\":[[1,0,0,1],[2,1,0,0],[3,0,0,1],[4,1,0,0]]}"),
		  "accepts two subjects entering in turn");
	CHECK(PF_TRY(pf_survival_parse("{\"version\":2,\"unit\":\"day\",\"entries\":[[1,0,0,2],[2,1,0,0]]}")) &&
		  pf_last_error_kind == PF_ERR_INVALID_TEXT,
		  "rejects more entering than leaving");
	CHECK(PF_TRY(pf_survival_parse("{\"version\":2,\"unit\":\"day\",\"entries\":[[1,1,0,1]]}")) &&
		  pf_last_error_kind == PF_ERR_INVALID_TEXT,
		  "rejects entering and leaving at the same last time");
	CHECK(PF_TRY(pf_survival_parse("{\"version\":2,\"unit\":\"day\",\"entries\":[[1,0,0,0]]}")) &&
		  pf_last_error_kind == PF_ERR_INVALID_TEXT,
		  "rejects an entry with no counts");
	CHECK(parses("{\"version\":2,\"unit\":\"number\",\"entries\":[[-2.5,1,0,0],[1e300,0,1,0]]}"),
		  "accepts negative and large plain-number times");
	CHECK(parses("{\"version\":2,\"unit\":\"number\",\"entries\":[[-0,1,0,0]]}"),
		  "reads -0 as 0");
	CHECK(PF_TRY(pf_survival_parse("{\"version\":2,\"unit\":\"number\",\"entries\":[[1,1,0,0],[1.0,1,0,0]]}")) &&
		  pf_last_error_kind == PF_ERR_INVALID_TEXT,
		  "rejects a repeated plain-number time");
	CHECK(PF_TRY(pf_survival_parse("{\"version\":2,\"unit\":\"day\",\"entries\":[[1.5,1,0,0]]}")) &&
		  pf_last_error_kind == PF_ERR_INVALID_TEXT,
		  "rejects a fractional day");
	{
		uint8_t		wire[12 + 32];

		memset(wire, 0, sizeof(wire));
		wire[0] = 2;
		wire[1] = 3;
		put_be64(wire + 4, 1);
		put_be64(wire + 12, UINT64_C(0x7FF0000000000000));	/* +infinity */
		put_be64(wire + 20, 1);
		CHECK(PF_TRY(pf_survival_decode(wire, sizeof(wire))) &&
			  pf_last_error_kind == PF_ERR_INVALID_BINARY,
			  "binary: rejects an infinite plain-number time");
		put_be64(wire + 12, UINT64_MAX);	/* the key of -0 */
		CHECK(PF_TRY(pf_survival_decode(wire, sizeof(wire))) &&
			  pf_last_error_kind == PF_ERR_INVALID_BINARY,
			  "binary: rejects the key of -0");
		put_be64(wire + 12, UINT64_C(0x4004000000000000));	/* 2.5 */
		{
			PfSurvival *volatile got = NULL;

			CHECK(!PF_TRY(got = pf_survival_decode(wire, sizeof(wire))),
				  "binary: reads a plain-number time");
			if (got != NULL)
				pf_free(got);
		}
	}

	/* units do not mix */
	{
		PfSurvivalBuilder *d = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
		PfSurvival *n = pf_survival_parse("{\"version\":2,\"unit\":\"number\",\"entries\":[[1,1,0,0]]}");

		CHECK(PF_TRY(pf_survival_builder_add_summary(d, n)) &&
			  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
			  "a plain-number summary does not merge into days");
		pf_free(n);
		pf_survival_builder_free(d);
	}
}

/*
 * Left truncation of spells, by hand.  as_of 100, observed_from 50:
 *   [10, 40)  ended before 50: skipped
 *   [20, 60)  enters at 30, event at 40
 *   [45, -)   enters at 5, censored at 55
 *   [70, 80)  from the start, event at 10
 *   [30, 50)  ended on the day before 50: skipped
 *   [101, -)  after as_of: skipped
 */
static void
test_observed_from(void)
{
	PfSurvivalBuilder *b = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	PfSurvival *s;
	char	   *text;

	pf_survival_builder_add_spell_observed(b, 10, 40, false, 100, 50);
	pf_survival_builder_add_spell_observed(b, 20, 60, false, 100, 50);
	pf_survival_builder_add_spell_observed(b, 45, 0, true, 100, 50);
	pf_survival_builder_add_spell_observed(b, 70, 80, false, 100, 50);
	pf_survival_builder_add_spell_observed(b, 30, 50, false, 100, 50);
	pf_survival_builder_add_spell_observed(b, 101, 0, true, 100, 50);
	s = built(b);
	text = pf_survival_format(s);
	CHECK(strcmp(text, "{\"version\":2,\"unit\":\"day\",\"entries\":[[5,0,0,1],[10,1,0,0],[30,0,0,1],[40,1,0,0],[55,0,1,0]]}") == 0,
		  "left truncation: %s", text);
	CHECK(PF_TRY(pf_survival_builder_add_spell_observed(b, 1, 2, false, 100, 60)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "observed_from must be the same on every row");
	pf_free(text);
	pf_free(s);
	pf_survival_builder_free(b);

	b = pf_survival_builder_create(PF_SPELL_UNIT_DAY);
	CHECK(PF_TRY(pf_survival_builder_add_spell_observed(b, 1, 2, false, 100, 101)) &&
		  pf_last_error_kind == PF_ERR_INVALID_PARAMETER,
		  "observed_from after as_of is an error");
	pf_survival_builder_free(b);
}

UNIT_MAIN_BEGIN
	test_r_fixtures();
	test_version_1();
	test_numbers_and_entries();
	test_observed_from();
UNIT_MAIN_END

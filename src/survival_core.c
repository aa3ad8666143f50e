/*-------------------------------------------------------------------------
 *
 * survival_core.c
 *	  The survival summary: allocation, the validation shared by text and
 *	  binary input, merge, Kaplan–Meier accessors, text and binary I/O.
 *	  See survival_core.h for the definitions and formats.
 *
 *-------------------------------------------------------------------------
 */
#include "survival_core.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "distributions_core.h"
#include "textio_core.h"

/* The stored layout is fixed: fail to compile if padding ever changes it. */
typedef char survival_header_size_check[
	(offsetof(PfSurvival, entries) == PF_SURVIVAL_HEADER_SIZE &&
	 sizeof(PfSurvivalEntry) == 32) ? 1 : -1];

#define TYPE_NAME "survival"

/*
 * A product that is exactly 1/2 may come out a few ulps above it; count S
 * within this of 1/2 as reaching it, as R's quantile.survfit does with its
 * own tolerance, so that the median does not hang on rounding.
 */
#define MEDIAN_SLACK 1e-12

/* R's tolerance of print(survfit(...))'s median: sqrt(DBL_EPSILON) */
#define R_MEDIAN_TOLERANCE 1.4901161193847656e-08

static const char *const unit_words[] = {"day", "microsecond", "number"};

const char *
pf_survival_unit_name(int unit)
{
	if (!pf_survival_unit_valid(unit))
		pf_errorf(PF_ERR_INTERNAL, NULL, NULL, "unknown survival unit %d", unit);
	return unit_words[unit - 1];
}

double
pf_survival_time_float(int unit, int64_t key)
{
	if (unit == PF_SURVIVAL_UNIT_NUMBER)
		return pf_survival_key_time(key);
	if (unit == PF_SPELL_UNIT_DAY)
		return (double) key;
	return (double) key / 86400.0e6;
}

int64_t
pf_survival_key_at_or_before(int unit, double t)
{
	double		units;

	if (unit == PF_SURVIVAL_UNIT_NUMBER)
	{
		if (t == INFINITY)
			return INT64_MAX;
		if (t == -INFINITY)
			return INT64_MIN;
		return pf_survival_time_key(t);
	}
	/* durations are whole units: the last one not after t */
	units = floor(unit == PF_SPELL_UNIT_DAY ? t : t * 86400.0e6);
	if (units >= 9.2e18)
		return INT64_MAX;
	if (units <= -9.2e18)
		return INT64_MIN;
	return (int64_t) units;
}

size_t
pf_survival_size(int64_t nentries)
{
	if (nentries < 0 || nentries > PF_SURVIVAL_MAX_ENTRIES)
		pf_errorf(PF_ERR_PROGRAM_LIMIT,
				  "A summary holds at most about 33 million distinct times.",
				  "Measure in days, or split the data into groups.",
				  "survival summary cannot have %lld entries",
				  (long long) nentries);
	return PF_SURVIVAL_HEADER_SIZE + (size_t) nentries * sizeof(PfSurvivalEntry);
}

PfSurvival *
pf_survival_alloc(int unit, int64_t nentries)
{
	PfSurvival *s = pf_alloc0(pf_survival_size(nentries));

	s->version = PF_SURVIVAL_VERSION;
	s->unit = (uint8_t) unit;
	s->nentries = nentries;
	return s;
}

PfSurvival *
pf_survival_upgrade(const void *data, size_t len)
{
	const uint8_t *p = data;
	int64_t		nentries;
	PfSurvival *s;

	if (len < PF_SURVIVAL_HEADER_SIZE - 4)
		pf_error(PF_ERR_INTERNAL, "stored survival summary is too short", NULL, NULL);
	memcpy(&nentries, p + 4, sizeof(nentries));
	if (nentries < 0 || nentries > PF_SURVIVAL_MAX_ENTRIES ||
		len != PF_SURVIVAL_HEADER_SIZE - 4 + (size_t) nentries * PF_SURVIVAL_V1_ENTRY_SIZE)
		pf_error(PF_ERR_INTERNAL, "stored survival summary of version 1 has a wrong size",
				 NULL, NULL);
	s = pf_survival_alloc(p[1], nentries);
	p += PF_SURVIVAL_HEADER_SIZE - 4;
	for (int64_t i = 0; i < nentries; i++)
	{
		PF_INTERRUPT_EVERY(i);
		memcpy(&s->entries[i], p, PF_SURVIVAL_V1_ENTRY_SIZE);
		s->entries[i].entered = 0;
		p += PF_SURVIVAL_V1_ENTRY_SIZE;
	}
	return s;
}

void
pf_survival_check_same_unit(int x, int y)
{
	if (x != y)
		pf_errorf(PF_ERR_INVALID_PARAMETER,
				  "Survival summaries can only be merged when measured in the same unit.",
				  NULL,
				  "cannot merge survival summaries in %s and in %s",
				  pf_survival_unit_name(x), pf_survival_unit_name(y));
}

int64_t
pf_survival_total(const PfSurvivalEntry *e, int64_t n)
{
	int64_t		total = 0;

	for (int64_t i = 0; i < n; i++)
	{
		PF_INTERRUPT_EVERY(i);
		pf_count_add(&total, e[i].events);
		pf_count_add(&total, e[i].censored);
	}
	return total;
}

int64_t
pf_survival_entered(const PfSurvivalEntry *e, int64_t n)
{
	int64_t		total = 0;

	for (int64_t i = 0; i < n; i++)
	{
		PF_INTERRUPT_EVERY(i);
		pf_count_add(&total, e[i].entered);
	}
	return total;
}

bool
pf_survival_has_entries(const PfSurvival *s)
{
	for (int64_t i = 0; i < s->nentries; i++)
	{
		PF_INTERRUPT_EVERY(i);
		if (s->entries[i].entered != 0)
			return true;
	}
	return false;
}

/* ---------------------------------------------------------------------
 * Validation, shared by text and binary input
 * ---------------------------------------------------------------------
 */

/*
 * The entries checked so far.  Each check reports through
 * pf_textio_invalid_value: sc is the text scanner, or NULL for binary input.
 */
typedef struct EntryCheck
{
	const PfTextioScan *sc;
	int			unit;
	int64_t		index;			/* entries checked so far */
	int64_t		prev_duration;
	int64_t		total;			/* sum of counts so far */
	int64_t		left;			/* events and censorings so far */
	int64_t		entered;		/* entered counts so far */
	int64_t		need;			/* max over times t of left by t - entered before t */
	int64_t		need_index;		/* the entry where need was reached */
} EntryCheck;

static void PF_PRINTF(2, 3) PF_NORETURN
invalid(const PfTextioScan *sc, const char *fmt,...)
{
	char		detail[256];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	pf_textio_invalid_value(sc, TYPE_NAME, detail);
}

static void
check_begin(EntryCheck *check, const PfTextioScan *sc, int unit)
{
	memset(check, 0, sizeof(*check));
	check->sc = sc;
	check->unit = unit;
	check->prev_duration = INT64_MIN;
}

/* one entry, after those already checked; entries are numbered from 1 */
static inline void
check_entry(EntryCheck *check, const PfSurvivalEntry *e)
{
	long long	i = (long long) check->index + 1;

	PF_INTERRUPT_EVERY(check->index);
	if (check->unit == PF_SURVIVAL_UNIT_NUMBER)
	{
		double		t = pf_survival_key_time(e->duration);

		if (!isfinite(t) || pf_survival_time_key(t) != e->duration)
			invalid(check->sc, "Entry %lld does not have a finite time.", i);
	}
	else if (e->duration < 0)
		invalid(check->sc, "Entry %lld has a negative duration.", i);
	if (check->index > 0 && e->duration <= check->prev_duration)
		invalid(check->sc,
				"Entry %lld does not have a longer duration than the entry before it; durations must be strictly increasing.",
				i);
	if (e->events < 0 || e->censored < 0 || e->entered < 0)
		invalid(check->sc, "Entry %lld has a negative count.", i);
	if (e->events == 0 && e->censored == 0 && e->entered == 0)
		invalid(check->sc, "Entry %lld has neither events nor censorings nor entries.", i);
	if (e->events > INT64_MAX - check->total ||
		e->censored > INT64_MAX - check->total - e->events ||
		e->entered > INT64_MAX - check->total - e->events - e->censored)
		invalid(check->sc, "The counts add up beyond the range of bigint.");
	check->total += e->events + e->censored + e->entered;
	check->left += e->events + e->censored;
	/* both within total, so within int64; entered < left is the usual case */
	if (check->left - check->entered > check->need)
	{
		check->need = check->left - check->entered;
		check->need_index = check->index;
	}
	check->entered += e->entered;
	check->prev_duration = e->duration;
	check->index++;
}

/*
 * After the last entry: those at risk from the start (subjects not counted
 * as entering) must cover, at every time, those who left by then beyond
 * those who entered before it.
 */
static void
check_end(EntryCheck *check)
{
	if (check->entered > check->left ||
		check->left - check->entered < check->need)
		invalid(check->sc,
				"The entered counts do not fit the exits: at the time of entry %lld, more subjects leave than have entered before it.",
				(long long) check->need_index + 1);
}

/* ---------------------------------------------------------------------
 * Merge
 * ---------------------------------------------------------------------
 */

/*
 * Merge two sorted unique runs into out (room for nx + ny); its length.
 * The caller has checked that the counts add up within int64.
 */
static int64_t
merge_runs(const PfSurvivalEntry *x, int64_t nx, const PfSurvivalEntry *y,
		   int64_t ny, PfSurvivalEntry *out)
{
	int64_t		i = 0;
	int64_t		j = 0;
	int64_t		k = 0;

	while (i < nx && j < ny)
	{
		PF_INTERRUPT_EVERY(k);
		if (x[i].duration < y[j].duration)
			out[k++] = x[i++];
		else if (y[j].duration < x[i].duration)
			out[k++] = y[j++];
		else
		{
			out[k].duration = x[i].duration;
			out[k].events = x[i].events + y[j].events;
			out[k].censored = x[i].censored + y[j].censored;
			out[k].entered = x[i].entered + y[j].entered;
			k++;
			i++;
			j++;
		}
	}
	memcpy(out + k, x + i, (size_t) (nx - i) * sizeof(PfSurvivalEntry));
	k += nx - i;
	memcpy(out + k, y + j, (size_t) (ny - j) * sizeof(PfSurvivalEntry));
	return k + ny - j;
}

/* Length of the merge of two sorted unique runs. */
static int64_t
merged_length(const PfSurvivalEntry *x, int64_t nx, const PfSurvivalEntry *y,
			  int64_t ny)
{
	int64_t		n = 0;
	int64_t		i = 0;
	int64_t		j = 0;

	while (i < nx && j < ny)
	{
		int64_t		dx = x[i].duration;
		int64_t		dy = y[j].duration;

		PF_INTERRUPT_EVERY(n);
		i += dx <= dy;
		j += dy <= dx;
		n++;
	}
	return n + (nx - i) + (ny - j);
}

PfSurvival *
pf_survival_merge(const PfSurvival *x, const PfSurvival *y)
{
	PfSurvival *s;
	int64_t		total;

	pf_survival_check_same_unit(x->unit, y->unit);

	/*
	 * The union's total bounds every count of it, so once it fits nothing
	 * can fail below and nothing is allocated in vain.
	 */
	total = pf_survival_total(x->entries, x->nentries);
	pf_count_add(&total, pf_survival_total(y->entries, y->nentries));
	pf_count_add(&total, pf_survival_entered(x->entries, x->nentries));
	pf_count_add(&total, pf_survival_entered(y->entries, y->nentries));
	s = pf_survival_alloc(x->unit,
						  merged_length(x->entries, x->nentries,
										y->entries, y->nentries));
	merge_runs(x->entries, x->nentries, y->entries, y->nentries, s->entries);
	return s;
}

/* ---------------------------------------------------------------------
 * Kaplan–Meier accessors
 * ---------------------------------------------------------------------
 */

/* subjects at risk from the start: those not counted as entering later */
static int64_t
at_risk_start(const PfSurvival *s)
{
	return pf_survival_total(s->entries, s->nentries) -
		pf_survival_entered(s->entries, s->nentries);
}

/* at risk after entry e, n at risk at its time (valid summaries stay >= 0) */
static inline int64_t
at_risk_after(int64_t n, const PfSurvivalEntry *e)
{
	return n - e->events - e->censored + e->entered;
}

double
pf_survival_at(const PfSurvival *s, int64_t t)
{
	int64_t		n = at_risk_start(s);
	double		surv = 1.0;

	for (int64_t i = 0; i < s->nentries && s->entries[i].duration <= t; i++)
	{
		const PfSurvivalEntry *e = &s->entries[i];

		PF_INTERRUPT_EVERY(i);
		if (e->events > 0)
			surv *= (double) (n - e->events) / (double) n;
		n = at_risk_after(n, e);
	}
	return surv;
}

bool
pf_survival_median(const PfSurvival *s, int64_t *median)
{
	int64_t		n = at_risk_start(s);
	double		surv = 1.0;

	for (int64_t i = 0; i < s->nentries; i++)
	{
		const PfSurvivalEntry *e = &s->entries[i];

		PF_INTERRUPT_EVERY(i);
		if (e->events > 0)
		{
			surv *= (double) (n - e->events) / (double) n;
			if (surv <= 0.5 + MEDIAN_SLACK)
			{
				*median = e->duration;
				return true;
			}
		}
		n = at_risk_after(n, e);
	}
	return false;
}

int
pf_survival_conf_type(const char *name)
{
	if (strcmp(name, "log-log") == 0)
		return PF_SURVIVAL_CI_LOG_LOG;
	if (strcmp(name, "log") == 0)
		return PF_SURVIVAL_CI_LOG;
	if (strcmp(name, "plain") == 0)
		return PF_SURVIVAL_CI_PLAIN;
	return -1;
}

/*
 * One curve's median as R's print(survfit) finds it: the first time the
 * curve is below 0.5 + tol; when that value is 0.5 within tol and the
 * curve falls lower later, the midpoint to the first time it does.
 */
typedef struct MedianFinder
{
	int			state;			/* 0 looking, 1 on a plateau at 0.5, 2 done */
	double		value;			/* the curve's value at found */
	double		found;
	double		result;
	bool		valid;
} MedianFinder;

static void
median_step(MedianFinder *m, double t, double y, bool defined)
{
	if (!defined || m->state == 2)
		return;
	if (m->state == 0)
	{
		if (y < 0.5 + R_MEDIAN_TOLERANCE)
		{
			m->found = m->result = t;
			m->value = y;
			m->valid = true;
			m->state = fabs(y - 0.5) < R_MEDIAN_TOLERANCE ? 1 : 2;
		}
	}
	else if (y < m->value)
	{
		/*
		 * halfway: halving is exact (short of subnormals), so this is
		 * (found + t) / 2 without its overflow near DBL_MAX
		 */
		m->result = m->found / 2.0 + t / 2.0;
		m->state = 2;
	}
}

void
pf_survival_median_ci(const PfSurvival *s, double conf,
					  PfSurvivalConfType conf_type, double median[3],
					  bool valid[3])
{
	PfSurvivalCurve curve;
	PfSurvivalCurveRow row;
	MedianFinder m[3];

	memset(m, 0, sizeof(m));
	pf_survival_curve_begin(&curve, s, conf, conf_type);
	while (pf_survival_curve_next(&curve, &row))
	{
		double		t = pf_survival_time_float(s->unit, row.duration);

		median_step(&m[0], t, row.survival, true);
		median_step(&m[1], t, row.ci_low, row.ci_valid);
		median_step(&m[2], t, row.ci_high, row.ci_valid);
		if (m[0].state == 2 && m[1].state == 2 && m[2].state == 2)
			break;
	}
	for (int k = 0; k < 3; k++)
	{
		median[k] = m[k].result;
		valid[k] = m[k].valid;
	}
}

void
pf_survival_curve_start(PfSurvivalCurve *curve, int64_t at_start, double conf,
						PfSurvivalConfType conf_type)
{
	if (!(conf > 0.0 && conf < 1.0))
		pf_errorf(PF_ERR_INVALID_PARAMETER,
				  "The level is a probability such as 0.95.", NULL,
				  "confidence must be between 0 and 1, exclusive, not %g", conf);
	if (conf_type != PF_SURVIVAL_CI_LOG_LOG && conf_type != PF_SURVIVAL_CI_LOG &&
		conf_type != PF_SURVIVAL_CI_PLAIN)
		pf_error(PF_ERR_INVALID_PARAMETER, "unknown confidence interval type",
				 NULL, "Use 'log-log', 'log' or 'plain'.");
	curve->s = NULL;
	curve->next = 0;
	curve->at_risk = at_start;
	curve->survival = 1.0;
	curve->greenwood = 0.0;
	curve->conf_type = conf_type;
	/* from the lower tail: (1 + conf) / 2 rounds to 1 for conf near 1 */
	curve->z = -pf_distributions_norm_ppf((1.0 - conf) / 2.0);
}

void
pf_survival_curve_begin(PfSurvivalCurve *curve, const PfSurvival *s, double conf,
						PfSurvivalConfType conf_type)
{
	pf_survival_curve_start(curve, 0, conf, conf_type);
	curve->s = s;
	curve->at_risk = at_risk_start(s);
}

bool
pf_survival_curve_step(PfSurvivalCurve *curve, const PfSurvivalEntry *e,
					   PfSurvivalCurveRow *r)
{
	int64_t		n = curve->at_risk;
	double		surv;
	double		se;

	curve->at_risk = at_risk_after(n, e);
	if (e->events == 0 && e->censored == 0)
		return false;
	memset(r, 0, sizeof(*r));
	r->duration = e->duration;
	r->at_risk = n;
	r->events = e->events;
	r->censored = e->censored;
	if (e->events > 0)
	{
		curve->survival *= (double) (n - e->events) / (double) n;
		/* n == d makes S zero, after which the curve stays there */
		if (n > e->events)
			curve->greenwood += (double) e->events /
				((double) n * (double) (n - e->events));
	}
	surv = curve->survival;
	r->survival = surv;
	if (surv <= 0.0)
		return true;
	se = sqrt(curve->greenwood);
	r->std_err = surv * se;
	r->std_err_valid = true;
	switch (curve->conf_type)
	{
		case PF_SURVIVAL_CI_LOG_LOG:
			if (surv < 1.0)
			{
				double		w = se / fabs(log(surv));

				/* S < 1, so the larger exponent gives the lower limit */
				r->ci_low = pow(surv, exp(curve->z * w));
				r->ci_high = pow(surv, exp(-curve->z * w));
				r->ci_valid = true;
			}
			break;
		case PF_SURVIVAL_CI_LOG:
			r->ci_low = exp(log(surv) - curve->z * se);
			r->ci_high = fmin(1.0, exp(log(surv) + curve->z * se));
			r->ci_valid = true;
			break;
		case PF_SURVIVAL_CI_PLAIN:
			r->ci_low = fmax(0.0, surv - curve->z * se * surv);
			r->ci_high = fmin(1.0, surv + curve->z * se * surv);
			r->ci_valid = true;
			break;
	}
	return true;
}

bool
pf_survival_curve_next(PfSurvivalCurve *curve, PfSurvivalCurveRow *r)
{
	while (curve->next < curve->s->nentries)
	{
		PF_INTERRUPT_EVERY(curve->next);
		if (pf_survival_curve_step(curve, &curve->s->entries[curve->next++], r))
			return true;
	}
	return false;
}

/* ---------------------------------------------------------------------
 * Text I/O
 * ---------------------------------------------------------------------
 */

/* the text of a time key: an integer, or for unit number the float */
static inline int
format_time(int unit, int64_t key, char *buf)
{
	if (unit == PF_SURVIVAL_UNIT_NUMBER)
	{
		pf_textio_format_double(pf_survival_key_time(key), buf, 32);
		return (int) strlen(buf);
	}
	return pf_textio_format_int64(key, buf);
}

char *
pf_survival_format(const PfSurvival *s)
{
	const char *unit = pf_survival_unit_name(s->unit);
	char		head[64];
	int			headlen;
	size_t		size;
	char	   *buf;
	char	   *p;
	char		digits[32];

	headlen = snprintf(head, sizeof(head),
					   "{\"version\":%d,\"unit\":\"%s\",\"entries\":[",
					   PF_SURVIVAL_VERSION, unit);
	/* the exact length first: brackets and commas, then the digits */
	size = (size_t) headlen + 3 + (size_t) s->nentries * 6;
	for (int64_t i = 0; i < s->nentries; i++)
	{
		PF_INTERRUPT_EVERY(i);
		size += (size_t) (format_time(s->unit, s->entries[i].duration, digits) +
						  pf_textio_format_int64(s->entries[i].events, digits) +
						  pf_textio_format_int64(s->entries[i].censored, digits) +
						  pf_textio_format_int64(s->entries[i].entered, digits));
	}
	/* a text value is at most 1 GB: say so before allocating, not later */
	if (size > 0x3FFFFFFF)
		pf_error(PF_ERR_PROGRAM_LIMIT, "survival summary too large for text output",
				 "Its text would exceed 1 GB.",
				 "Read it with survival_curve or the binary form instead.");
	buf = pf_alloc(size);
	memcpy(buf, head, (size_t) headlen);
	p = buf + headlen;
	for (int64_t i = 0; i < s->nentries; i++)
	{
		PF_INTERRUPT_EVERY(i);
		if (i > 0)
			*p++ = ',';
		*p++ = '[';
		p += format_time(s->unit, s->entries[i].duration, p);
		*p++ = ',';
		p += pf_textio_format_int64(s->entries[i].events, p);
		*p++ = ',';
		p += pf_textio_format_int64(s->entries[i].censored, p);
		*p++ = ',';
		p += pf_textio_format_int64(s->entries[i].entered, p);
		*p++ = ']';
	}
	memcpy(p, "]}", 3);
	return buf;
}

/*
 * Parse and validate str; with out NULL only count the entries, otherwise
 * fill out's entries.  Two passes allocate nothing before the input is
 * known to be valid, so an error leaks nothing even without memory
 * contexts (unit tests, fuzzing).
 */
static int64_t
parse_text(const char *str, int *unit_out, PfSurvival *out)
{
	PfTextioScan sc;
	int			unit;
	int64_t		version;
	int64_t		n = 0;
	EntryCheck	check;

	pf_textio_scan_init(&sc, str, TYPE_NAME,
						"The form is {\"version\":2,\"unit\":\"day\",\"entries\":[[time,events,censored,entered],...]}, as survival output prints it.");
	pf_textio_scan_char(&sc, '{');
	pf_textio_scan_key(&sc, "version");
	/* the rest of the syntax depends on the version */
	version = pf_textio_scan_int64(&sc);
	if (version != PF_SURVIVAL_VERSION_1)
		pf_textio_check_version(&sc, TYPE_NAME, version, PF_SURVIVAL_VERSION);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "unit");
	/* unit_words[i] is the name of unit i + 1; version 1 knew two */
	if (version == PF_SURVIVAL_VERSION_1)
		unit = 1 + pf_textio_scan_word(&sc, unit_words, 2, "\"day\" or \"microsecond\"");
	else
		unit = 1 + pf_textio_scan_word(&sc, unit_words, 3,
									   "\"day\", \"microsecond\" or \"number\"");
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "entries");
	pf_textio_scan_char(&sc, '[');

	check_begin(&check, &sc, unit);
	if (!pf_textio_scan_accept(&sc, ']'))
	{
		do
		{
			PfSurvivalEntry e;

			pf_textio_scan_char(&sc, '[');
			if (unit == PF_SURVIVAL_UNIT_NUMBER)
				e.duration = pf_survival_time_key(pf_textio_scan_double(&sc));
			else
				e.duration = pf_textio_scan_int64(&sc);
			pf_textio_scan_char(&sc, ',');
			e.events = pf_textio_scan_int64(&sc);
			pf_textio_scan_char(&sc, ',');
			e.censored = pf_textio_scan_int64(&sc);
			e.entered = 0;
			if (version != PF_SURVIVAL_VERSION_1)
			{
				pf_textio_scan_char(&sc, ',');
				e.entered = pf_textio_scan_int64(&sc);
			}
			pf_textio_scan_char(&sc, ']');
			if (n >= PF_SURVIVAL_MAX_ENTRIES)
				invalid(&sc, "A summary holds at most %lld entries.",
						(long long) PF_SURVIVAL_MAX_ENTRIES);
			check_entry(&check, &e);
			if (out != NULL)
				out->entries[n] = e;
			n++;
			if (pf_textio_scan_accept(&sc, ']'))
				break;
			if (!pf_textio_scan_accept(&sc, ','))
				pf_textio_syntax_error(&sc, "\",\" or \"]\"");
		} while (true);
	}
	pf_textio_scan_char(&sc, '}');
	pf_textio_scan_end(&sc);
	check_end(&check);
	*unit_out = unit;
	return n;
}

PfSurvival *
pf_survival_parse(const char *str)
{
	int			unit;
	int64_t		n = parse_text(str, &unit, NULL);
	PfSurvival *s = pf_survival_alloc(unit, n);

	parse_text(str, &unit, s);
	return s;
}

/* ---------------------------------------------------------------------
 * Binary I/O
 * ---------------------------------------------------------------------
 */

static inline const uint8_t *
get_entry(const uint8_t *p, PfSurvivalEntry *e, bool v1)
{
	uint64_t	u;

	p = pf_textio_get_u64(p, &u);
	e->duration = (int64_t) u;
	p = pf_textio_get_u64(p, &u);
	e->events = (int64_t) u;
	p = pf_textio_get_u64(p, &u);
	e->censored = (int64_t) u;
	e->entered = 0;
	if (!v1)
	{
		p = pf_textio_get_u64(p, &u);
		e->entered = (int64_t) u;
	}
	return p;
}

size_t
pf_survival_encoded_size(const PfSurvival *s)
{
	return PF_SURVIVAL_WIRE_HEADER_SIZE +
		(size_t) s->nentries * PF_SURVIVAL_WIRE_ENTRY_SIZE;
}

void
pf_survival_encode(const PfSurvival *s, uint8_t *buf)
{
	uint8_t    *p = buf;

	*p++ = PF_SURVIVAL_VERSION;
	*p++ = s->unit;
	*p++ = 0;
	*p++ = 0;
	p = pf_textio_put_u64(p, (uint64_t) s->nentries);
	for (int64_t i = 0; i < s->nentries; i++)
	{
		PF_INTERRUPT_EVERY(i);
		p = pf_textio_put_u64(p, (uint64_t) s->entries[i].duration);
		p = pf_textio_put_u64(p, (uint64_t) s->entries[i].events);
		p = pf_textio_put_u64(p, (uint64_t) s->entries[i].censored);
		p = pf_textio_put_u64(p, (uint64_t) s->entries[i].entered);
	}
}

PfSurvival *
pf_survival_decode(const uint8_t *buf, size_t len)
{
	uint64_t	u;
	int64_t		nentries;
	EntryCheck	check;
	PfSurvival *s;
	const uint8_t *p;
	bool		v1;
	size_t		entry_size;

	if (len < PF_SURVIVAL_WIRE_HEADER_SIZE)
		invalid(NULL, "The value has %zu bytes, fewer than the %d of the header.",
				len, PF_SURVIVAL_WIRE_HEADER_SIZE);
	v1 = buf[0] == PF_SURVIVAL_VERSION_1;
	if (!v1)
		pf_textio_check_version(NULL, TYPE_NAME, buf[0], PF_SURVIVAL_VERSION);
	entry_size = v1 ? PF_SURVIVAL_V1_ENTRY_SIZE : PF_SURVIVAL_WIRE_ENTRY_SIZE;
	if (v1 ? !pf_spell_unit_valid(buf[1]) : !pf_survival_unit_valid(buf[1]))
		invalid(NULL, "The unit is %d; this release knows only 1 (day), 2 (microsecond) and, from version 2, 3 (number).",
				(int) buf[1]);
	if (buf[2] != 0 || buf[3] != 0)
		invalid(NULL, "Reserved bytes are not zero.");
	pf_textio_get_u64(buf + 4, &u);
	nentries = (int64_t) u;
	if (nentries < 0 || nentries > PF_SURVIVAL_MAX_ENTRIES)
		invalid(NULL, "The entry count %lld is not between 0 and %lld.",
				(long long) nentries, (long long) PF_SURVIVAL_MAX_ENTRIES);
	if (len != PF_SURVIVAL_WIRE_HEADER_SIZE + (size_t) nentries * entry_size)
		invalid(NULL, "The value has %zu bytes, not the %zu of %lld entries.",
				len, PF_SURVIVAL_WIRE_HEADER_SIZE + (size_t) nentries * entry_size,
				(long long) nentries);

	/* check everything before allocating, so that an error leaks nothing */
	check_begin(&check, NULL, buf[1]);
	p = buf + PF_SURVIVAL_WIRE_HEADER_SIZE;
	for (int64_t i = 0; i < nentries; i++)
	{
		PfSurvivalEntry e;

		p = get_entry(p, &e, v1);
		check_entry(&check, &e);
	}
	check_end(&check);
	s = pf_survival_alloc(buf[1], nentries);
	p = buf + PF_SURVIVAL_WIRE_HEADER_SIZE;
	for (int64_t i = 0; i < nentries; i++)
	{
		PF_INTERRUPT_EVERY(i);
		p = get_entry(p, &s->entries[i], v1);
	}
	return s;
}

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
	 sizeof(PfSurvivalEntry) == 24) ? 1 : -1];

#define TYPE_NAME "survival"

/*
 * A product that is exactly 1/2 may come out a few ulps above it; count S
 * within this of 1/2 as reaching it, as R's quantile.survfit does with its
 * own tolerance, so that the median does not hang on rounding.
 */
#define MEDIAN_SLACK 1e-12

size_t
pf_survival_size(int64_t nentries)
{
	if (nentries < 0 || nentries > PF_SURVIVAL_MAX_ENTRIES)
		pf_errorf(PF_ERR_PROGRAM_LIMIT,
				  "A summary holds at most about 44 million distinct durations.",
				  "Measure in days, or split the data into groups.",
				  "survival summary cannot have %lld entries",
				  (long long) nentries);
	return PF_SURVIVAL_HEADER_SIZE + (size_t) nentries * sizeof(PfSurvivalEntry);
}

PfSurvival *
pf_survival_alloc(PfSpellUnit unit, int64_t nentries)
{
	PfSurvival *s = pf_alloc0(pf_survival_size(nentries));

	s->version = PF_SURVIVAL_VERSION;
	s->unit = (uint8_t) unit;
	s->nentries = nentries;
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
				  pf_spell_unit_name((PfSpellUnit) x),
				  pf_spell_unit_name((PfSpellUnit) y));
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
	int64_t		index;			/* entries checked so far */
	int64_t		prev_duration;
	int64_t		total;			/* sum of counts so far */
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
check_begin(EntryCheck *check, const PfTextioScan *sc)
{
	check->sc = sc;
	check->index = 0;
	check->prev_duration = -1;
	check->total = 0;
}

/* one entry, after those already checked; entries are numbered from 1 */
static inline void
check_entry(EntryCheck *check, const PfSurvivalEntry *e)
{
	long long	i = (long long) check->index + 1;

	PF_INTERRUPT_EVERY(check->index);
	if (e->duration < 0)
		invalid(check->sc, "Entry %lld has a negative duration.", i);
	if (e->duration <= check->prev_duration)
		invalid(check->sc,
				"Entry %lld does not have a longer duration than the entry before it; durations must be strictly increasing.",
				i);
	if (e->events < 0 || e->censored < 0)
		invalid(check->sc, "Entry %lld has a negative count.", i);
	if (e->events == 0 && e->censored == 0)
		invalid(check->sc, "Entry %lld has neither events nor censorings.", i);
	if (e->events > INT64_MAX - check->total ||
		e->censored > INT64_MAX - check->total - e->events)
		invalid(check->sc, "The counts add up beyond the range of bigint.");
	check->total += e->events + e->censored;
	check->prev_duration = e->duration;
	check->index++;
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
	s = pf_survival_alloc((PfSpellUnit) x->unit,
						  merged_length(x->entries, x->nentries,
										y->entries, y->nentries));
	merge_runs(x->entries, x->nentries, y->entries, y->nentries, s->entries);
	return s;
}

/* ---------------------------------------------------------------------
 * Kaplan–Meier accessors
 * ---------------------------------------------------------------------
 */

double
pf_survival_at(const PfSurvival *s, int64_t t)
{
	int64_t		n = pf_survival_total(s->entries, s->nentries);
	double		surv = 1.0;

	for (int64_t i = 0; i < s->nentries && s->entries[i].duration <= t; i++)
	{
		const PfSurvivalEntry *e = &s->entries[i];

		PF_INTERRUPT_EVERY(i);
		if (e->events > 0)
			surv *= (double) (n - e->events) / (double) n;
		n -= e->events + e->censored;
	}
	return surv;
}

bool
pf_survival_median(const PfSurvival *s, int64_t *median)
{
	int64_t		n = pf_survival_total(s->entries, s->nentries);
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
		n -= e->events + e->censored;
	}
	return false;
}

void
pf_survival_curve_start(PfSurvivalCurve *curve, int64_t total, double conf)
{
	if (!(conf > 0.0 && conf < 1.0))
		pf_errorf(PF_ERR_INVALID_PARAMETER,
				  "The level is a probability such as 0.95.", NULL,
				  "confidence must be between 0 and 1, exclusive, not %g", conf);
	curve->s = NULL;
	curve->next = 0;
	curve->at_risk = total;
	curve->survival = 1.0;
	curve->greenwood = 0.0;
	/* from the lower tail: (1 + conf) / 2 rounds to 1 for conf near 1 */
	curve->z = -pf_distributions_norm_ppf((1.0 - conf) / 2.0);
}

void
pf_survival_curve_begin(PfSurvivalCurve *curve, const PfSurvival *s, double conf)
{
	pf_survival_curve_start(curve, 0, conf);
	curve->s = s;
	curve->at_risk = pf_survival_total(s->entries, s->nentries);
}

void
pf_survival_curve_step(PfSurvivalCurve *curve, const PfSurvivalEntry *e,
					   PfSurvivalCurveRow *r)
{
	int64_t		n = curve->at_risk;
	double		surv;

	memset(r, 0, sizeof(*r));
	r->duration = e->duration;
	r->at_risk = n;
	r->events = e->events;
	r->censored = e->censored;
	if (e->events > 0)
	{
		curve->survival *= (double) (n - e->events) / (double) n;
		/* n == d makes S zero, after which nothing is at risk */
		if (n > e->events)
			curve->greenwood += (double) e->events /
				((double) n * (double) (n - e->events));
	}
	surv = curve->survival;
	r->survival = surv;
	if (surv > 0.0)
	{
		r->std_err = surv * sqrt(curve->greenwood);
		r->std_err_valid = true;
	}
	if (surv > 0.0 && surv < 1.0)
	{
		double		se = sqrt(curve->greenwood) / fabs(log(surv));

		/* S < 1, so the larger exponent gives the lower limit */
		r->ci_low = pow(surv, exp(curve->z * se));
		r->ci_high = pow(surv, exp(-curve->z * se));
		r->ci_valid = true;
	}
	curve->at_risk = n - e->events - e->censored;
}

bool
pf_survival_curve_next(PfSurvivalCurve *curve, PfSurvivalCurveRow *r)
{
	if (curve->next >= curve->s->nentries)
		return false;
	PF_INTERRUPT_EVERY(curve->next);
	pf_survival_curve_step(curve, &curve->s->entries[curve->next++], r);
	return true;
}

/* ---------------------------------------------------------------------
 * Text I/O
 * ---------------------------------------------------------------------
 */

static const char *const unit_words[] = {"day", "microsecond"};

char *
pf_survival_format(const PfSurvival *s)
{
	const char *unit = pf_spell_unit_name((PfSpellUnit) s->unit);
	char		head[64];
	int			headlen;
	size_t		size;
	char	   *buf;
	char	   *p;
	char		digits[20];

	headlen = snprintf(head, sizeof(head),
					   "{\"version\":%d,\"unit\":\"%s\",\"entries\":[",
					   (int) s->version, unit);
	/* the exact length first: brackets and commas, then the digits */
	size = (size_t) headlen + 3 + (size_t) s->nentries * 5;
	for (int64_t i = 0; i < s->nentries; i++)
	{
		PF_INTERRUPT_EVERY(i);
		size += (size_t) (pf_textio_format_int64(s->entries[i].duration, digits) +
						  pf_textio_format_int64(s->entries[i].events, digits) +
						  pf_textio_format_int64(s->entries[i].censored, digits));
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
		p += pf_textio_format_int64(s->entries[i].duration, p);
		*p++ = ',';
		p += pf_textio_format_int64(s->entries[i].events, p);
		*p++ = ',';
		p += pf_textio_format_int64(s->entries[i].censored, p);
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
	int64_t		n = 0;
	EntryCheck	check;

	pf_textio_scan_init(&sc, str, TYPE_NAME,
						"The form is {\"version\":1,\"unit\":\"day\",\"entries\":[[duration,events,censored],...]}, as survival output prints it.");
	pf_textio_scan_char(&sc, '{');
	pf_textio_scan_key(&sc, "version");
	/* the rest of the syntax depends on the version */
	pf_textio_check_version(&sc, TYPE_NAME, pf_textio_scan_int64(&sc),
							PF_SURVIVAL_VERSION);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "unit");
	/* unit_words[i] is the name of unit i + 1 */
	unit = 1 + pf_textio_scan_word(&sc, unit_words, 2, "\"day\" or \"microsecond\"");
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "entries");
	pf_textio_scan_char(&sc, '[');

	check_begin(&check, &sc);
	if (!pf_textio_scan_accept(&sc, ']'))
	{
		do
		{
			PfSurvivalEntry e;

			pf_textio_scan_char(&sc, '[');
			e.duration = pf_textio_scan_int64(&sc);
			pf_textio_scan_char(&sc, ',');
			e.events = pf_textio_scan_int64(&sc);
			pf_textio_scan_char(&sc, ',');
			e.censored = pf_textio_scan_int64(&sc);
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
	*unit_out = unit;
	return n;
}

PfSurvival *
pf_survival_parse(const char *str)
{
	int			unit;
	int64_t		n = parse_text(str, &unit, NULL);
	PfSurvival *s = pf_survival_alloc((PfSpellUnit) unit, n);

	parse_text(str, &unit, s);
	return s;
}

/* ---------------------------------------------------------------------
 * Binary I/O
 * ---------------------------------------------------------------------
 */

static inline const uint8_t *
get_entry(const uint8_t *p, PfSurvivalEntry *e)
{
	uint64_t	u;

	p = pf_textio_get_u64(p, &u);
	e->duration = (int64_t) u;
	p = pf_textio_get_u64(p, &u);
	e->events = (int64_t) u;
	p = pf_textio_get_u64(p, &u);
	e->censored = (int64_t) u;
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

	*p++ = s->version;
	*p++ = s->unit;
	*p++ = (uint8_t) (s->reserved >> 8);
	*p++ = (uint8_t) s->reserved;
	p = pf_textio_put_u64(p, (uint64_t) s->nentries);
	for (int64_t i = 0; i < s->nentries; i++)
	{
		PF_INTERRUPT_EVERY(i);
		p = pf_textio_put_u64(p, (uint64_t) s->entries[i].duration);
		p = pf_textio_put_u64(p, (uint64_t) s->entries[i].events);
		p = pf_textio_put_u64(p, (uint64_t) s->entries[i].censored);
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

	if (len < PF_SURVIVAL_WIRE_HEADER_SIZE)
		invalid(NULL, "The value has %zu bytes, fewer than the %d of the header.",
				len, PF_SURVIVAL_WIRE_HEADER_SIZE);
	pf_textio_check_version(NULL, TYPE_NAME, buf[0], PF_SURVIVAL_VERSION);
	if (!pf_spell_unit_valid(buf[1]))
		invalid(NULL, "The unit is %d; this release knows only 1 (day) and 2 (microsecond).",
				(int) buf[1]);
	if (buf[2] != 0 || buf[3] != 0)
		invalid(NULL, "Reserved bytes are not zero.");
	pf_textio_get_u64(buf + 4, &u);
	nentries = (int64_t) u;
	if (nentries < 0 || nentries > PF_SURVIVAL_MAX_ENTRIES)
		invalid(NULL, "The entry count %lld is not between 0 and %lld.",
				(long long) nentries, (long long) PF_SURVIVAL_MAX_ENTRIES);
	if (len != PF_SURVIVAL_WIRE_HEADER_SIZE + (size_t) nentries * PF_SURVIVAL_WIRE_ENTRY_SIZE)
		invalid(NULL, "The value has %zu bytes, not the %zu of %lld entries.",
				len, PF_SURVIVAL_WIRE_HEADER_SIZE +
				(size_t) nentries * PF_SURVIVAL_WIRE_ENTRY_SIZE,
				(long long) nentries);

	/* check everything before allocating, so that an error leaks nothing */
	check_begin(&check, NULL);
	p = buf + PF_SURVIVAL_WIRE_HEADER_SIZE;
	for (int64_t i = 0; i < nentries; i++)
	{
		PfSurvivalEntry e;

		p = get_entry(p, &e);
		check_entry(&check, &e);
	}
	s = pf_survival_alloc((PfSpellUnit) buf[1], nentries);
	p = buf + PF_SURVIVAL_WIRE_HEADER_SIZE;
	for (int64_t i = 0; i < nentries; i++)
	{
		PF_INTERRUPT_EVERY(i);
		p = get_entry(p, &s->entries[i]);
	}
	return s;
}

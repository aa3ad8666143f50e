/*-------------------------------------------------------------------------
 *
 * coxmodel_core.c
 *	  The cox_model stored type: building it from a fit, the one validator
 *	  behind text input and binary receive, and the two encodings.
 *	  Server-free; see coxmodel_core.h.  The text is read with textio_core's
 *	  scanner, the binary form with its big-endian codec.
 *
 *-------------------------------------------------------------------------
 */
#include "coxmodel_core.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "textio_core.h"

#define TYPE_NAME "cox_model"

#define FORM "The form is {\"version\":1,\"ties\":\"efron\",\"n\":...,\"events\":...,\"strata\":...,\"iterations\":...,\"converged\":true,\"df\":...,\"loglik_null\":...,\"loglik\":...,\"lr_chisq\":...,\"lr_p\":...,\"wald_chisq\":...,\"wald_p\":...,\"score_chisq\":...,\"score_p\":...,\"coefficients\":[...],\"covariance\":[[...],...],\"dropped\":[...],\"infinite\":[...]}, as cox_model output prints it."

static const char *const ties_words[] = {"efron", "breslow"};

/* the scalar doubles of the header, in the order of every encoding */
#define NSCALARS 8
static const char *const scalar_keys[NSCALARS] = {
	"loglik_null", "loglik", "lr_chisq", "lr_p", "wald_chisq", "wald_p",
	"score_chisq", "score_p"
};

static double *
scalar_slot(PfCoxStored *s, int i)
{
	double	   *slots[NSCALARS] = {&s->loglik_null, &s->loglik, &s->lr_chisq,
		&s->lr_p, &s->wald_chisq, &s->wald_p, &s->score_chisq, &s->score_p};

	return slots[i];
}

static inline double
canonical_nan(void)
{
	uint64_t	bits = PF_COXMODEL_NAN_BITS;
	double		v;

	memcpy(&v, &bits, sizeof(v));
	return v;
}

static inline double
canonical(double v)
{
	return isnan(v) ? canonical_nan() : v;
}

static inline bool
is_canonical(double v)
{
	uint64_t	bits;

	if (!isnan(v))
		return true;
	memcpy(&bits, &v, sizeof(bits));
	return bits == PF_COXMODEL_NAN_BITS;
}

size_t
pf_coxmodel_size(int p)
{
	return PF_COXMODEL_HEADER_SIZE + sizeof(double) * ((size_t) p + (size_t) p * p) +
		(((size_t) p + 7) & ~(size_t) 7);
}

size_t
pf_coxmodel_wire_size(int p)
{
	return PF_COXMODEL_WIRE_HEADER_SIZE + 9 * (size_t) p + 8 * (size_t) p * p;
}

/*
 * The largest stored model, in doubles: input is built here, on the
 * stack, and copied out only once it is valid, so that a rejected input
 * leaves nothing allocated.
 */
#define MAX_STORED_DOUBLES ((PF_COXMODEL_HEADER_SIZE + 8 * (PF_COX_MAX_COVARIATES + \
	PF_COX_MAX_COVARIATES * PF_COX_MAX_COVARIATES) + PF_COX_MAX_COVARIATES) / 8)

static PfCoxStored *
copy_out(const PfCoxStored *local)
{
	size_t		size = pf_coxmodel_size(local->p);
	PfCoxStored *s = pf_alloc(size);

	memcpy(s, local, size);
	return s;
}

static PfCoxStored *
alloc_stored(int p)
{
	PfCoxStored *s = pf_alloc0(pf_coxmodel_size(p));

	s->version = PF_COXMODEL_VERSION;
	s->p = p;
	return s;
}

PfCoxStored *
pf_coxmodel_from_fit(const PfCoxModel *m)
{
	PfCoxStored *s = alloc_stored(m->p);
	double	   *beta = s->data;
	double	   *var = s->data + m->p;
	uint8_t    *status = (uint8_t *) (var + (size_t) m->p * m->p);

	s->ties = (uint8_t) m->ties;
	s->converged = m->converged ? 1 : 0;
	s->iterations = m->iterations;
	s->df = m->df;
	s->n = m->n;
	s->events = m->events;
	s->strata = m->strata;
	s->loglik_null = canonical(m->loglik_null);
	s->loglik = canonical(m->loglik);
	s->lr_chisq = canonical(m->lr_chisq);
	s->lr_p = canonical(m->lr_p);
	s->wald_chisq = canonical(m->wald_chisq);
	s->wald_p = canonical(m->wald_p);
	s->score_chisq = canonical(m->score_chisq);
	s->score_p = canonical(m->score_p);
	for (int j = 0; j < m->p; j++)
	{
		beta[j] = canonical(m->beta[j]);
		status[j] = m->dropped[j] ? PF_COXMODEL_DROPPED :
			m->infinite[j] ? PF_COXMODEL_INFINITE : PF_COXMODEL_ESTIMATED;
	}
	for (size_t k = 0; k < (size_t) m->p * m->p; k++)
		var[k] = canonical(m->var[k]);
	return s;
}

void
pf_coxmodel_view(const PfCoxStored *s, PfCoxView *v)
{
	const uint8_t *status = pf_coxmodel_status(s);

	memset(v, 0, sizeof(*v));
	v->model.p = s->p;
	v->model.ties = (PfCoxTies) s->ties;
	v->model.n = s->n;
	v->model.events = s->events;
	v->model.strata = s->strata;
	v->model.iterations = s->iterations;
	v->model.converged = s->converged != 0;
	v->model.df = s->df;
	v->model.loglik_null = s->loglik_null;
	v->model.loglik = s->loglik;
	v->model.lr_chisq = s->lr_chisq;
	v->model.lr_p = s->lr_p;
	v->model.wald_chisq = s->wald_chisq;
	v->model.wald_p = s->wald_p;
	v->model.score_chisq = s->score_chisq;
	v->model.score_p = s->score_p;
	/* pf_cox_term reads through these and writes nothing */
	v->model.beta = (double *) pf_coxmodel_beta(s);
	v->model.var = (double *) pf_coxmodel_var(s);
	for (int j = 0; j < s->p; j++)
	{
		v->dropped[j] = status[j] == PF_COXMODEL_DROPPED;
		v->infinite[j] = status[j] == PF_COXMODEL_INFINITE;
	}
	v->model.dropped = v->dropped;
	v->model.infinite = v->infinite;
}

/*
 * NULL when the header (read before the arrays, to size them) is
 * consistent, else a sentence saying what is wrong.  The version is
 * checked where it is read.
 */
static const char *
validate_header(const PfCoxStored *s)
{
	if (s->reserved != 0 || s->reserved2 != 0)
		return "Reserved fields are not zero.";
	if (s->ties > PF_COX_BRESLOW)
		return "The ties method must be 0 (Efron) or 1 (Breslow).";
	if (s->converged > 1)
		return "The converged flag must be 0 or 1.";
	if (s->p < 1 || s->p > PF_COX_MAX_COVARIATES)
		return "A model has between 1 and 64 covariates.";
	return NULL;
}

static bool
p_value_ok(double p)
{
	return isnan(p) || (p >= 0 && p <= 1);
}

/* NULL when the whole model is consistent, else what is wrong */
static const char *
validate(const PfCoxStored *s)
{
	const char *detail = validate_header(s);
	const double *beta;
	const double *var;
	const uint8_t *status;
	int			p;
	int			df = 0;

	if (detail != NULL)
		return detail;
	p = s->p;
	beta = pf_coxmodel_beta(s);
	var = pf_coxmodel_var(s);
	status = pf_coxmodel_status(s);
	if (s->n < 1)
		return "A model has at least one row.";
	if (s->events < 0 || s->events > s->n)
		return "The number of events must lie between 0 and the number of rows.";
	if (s->strata < 1 || s->strata > s->n)
		return "The number of strata must lie between 1 and the number of rows.";
	if (s->iterations < 0)
		return "The number of iterations must not be negative.";
	for (int i = 0; i < NSCALARS; i++)
		if (!is_canonical(*scalar_slot((PfCoxStored *) s, i)))
			return "A number is a NaN other than the canonical one.";
	for (size_t k = 0; k < (size_t) p + (size_t) p * p; k++)
		if (!is_canonical(s->data[k]))
			return "A number is a NaN other than the canonical one.";
	for (int j = 0; j < p; j++)
	{
		if (status[j] > PF_COXMODEL_INFINITE)
			return "A covariate's status must be 0 (estimated), 1 (dropped) or 2 (may be infinite).";
		if (status[j] != PF_COXMODEL_DROPPED)
		{
			df++;
			continue;
		}
		if (!isnan(beta[j]))
			return "A dropped covariate has a coefficient.";
		for (int k = 0; k < p; k++)
			if (!isnan(var[(size_t) j * p + k]) || !isnan(var[(size_t) k * p + j]))
				return "A dropped covariate has a covariance.";
	}
	for (int j = 0; j < p; j++)
		if (status[j] == PF_COXMODEL_INFINITE && s->converged)
			return "A model with a coefficient that may be infinite has not converged.";
	if (df != s->df)
		return "The degrees of freedom must be the number of covariates not dropped.";
	if (s->events == 0 && df != 0)
		return "A model without events has no estimated covariate.";
	if (!p_value_ok(s->lr_p) || !p_value_ok(s->wald_p) || !p_value_ok(s->score_p))
		return "A p-value lies outside [0, 1].";
	if (df == 0 && !(isnan(s->lr_p) && isnan(s->wald_p) && isnan(s->score_p)))
		return "A model without estimated covariates has no p-values.";
	return NULL;
}

/* ---------------------------------------------------------------- text */

/* JSON white space, as the scanner skips it */
static void
skip_space(PfTextioScan *sc)
{
	while (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' || *sc->p == '\r')
		sc->p++;
}

/* the bare word w (true, false, null) when it comes next, consumed */
static bool
accept_literal(PfTextioScan *sc, const char *w)
{
	size_t		len = strlen(w);

	skip_space(sc);
	if (strncmp(sc->p, w, len) != 0)
		return false;
	sc->p += len;
	return true;
}

static bool
scan_bool(PfTextioScan *sc)
{
	if (accept_literal(sc, "true"))
		return true;
	if (accept_literal(sc, "false"))
		return false;
	pf_textio_syntax_error(sc, "true or false");
}

static const char *const infinity_words[] = {"Infinity", "-Infinity"};

/* a number, null (NaN) or "Infinity" / "-Infinity" */
static double
scan_number(PfTextioScan *sc)
{
	double		v;
	const char *next;

	if (accept_literal(sc, "null"))
		return canonical_nan();
	if (*sc->p == '"')
		return pf_textio_scan_word(sc, infinity_words, 2,
								   "a number, null, \"Infinity\" or \"-Infinity\"") == 0 ?
			INFINITY : -INFINITY;
	next = pf_textio_parse_double(sc->p, &v);
	if (next == NULL)
		pf_textio_syntax_error(sc, "a number, null, \"Infinity\" or \"-Infinity\"");
	sc->p = next;
	return v;
}

static int32_t
scan_int32(PfTextioScan *sc)
{
	int64_t		v = pf_textio_scan_int64(sc);

	if (v < INT32_MIN || v > INT32_MAX)
		pf_textio_invalid_value(sc, TYPE_NAME, "A count is beyond the range of integer.");
	return (int32_t) v;
}

PfCoxStored *
pf_coxmodel_parse(const char *str)
{
	PfTextioScan sc;
	PfCoxStored head;
	double		local[MAX_STORED_DOUBLES];
	PfCoxStored *s = (PfCoxStored *) local;
	double		beta[PF_COX_MAX_COVARIATES];
	double	   *var;
	uint8_t    *status;
	int			p = 0;
	const char *detail;

	memset(&head, 0, sizeof(head));
	pf_textio_scan_init(&sc, str, TYPE_NAME, FORM);
	pf_textio_scan_char(&sc, '{');
	pf_textio_scan_key(&sc, "version");
	/* the rest of the syntax depends on the version */
	pf_textio_check_version(&sc, TYPE_NAME, pf_textio_scan_int64(&sc),
							PF_COXMODEL_VERSION);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "ties");
	head.ties = (uint8_t) pf_textio_scan_word(&sc, ties_words, 2, "\"efron\" or \"breslow\"");
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "n");
	head.n = pf_textio_scan_int64(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "events");
	head.events = pf_textio_scan_int64(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "strata");
	head.strata = pf_textio_scan_int64(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "iterations");
	head.iterations = scan_int32(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "converged");
	head.converged = scan_bool(&sc) ? 1 : 0;
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "df");
	head.df = scan_int32(&sc);
	for (int i = 0; i < NSCALARS; i++)
	{
		pf_textio_scan_char(&sc, ',');
		pf_textio_scan_key(&sc, scalar_keys[i]);
		*scalar_slot(&head, i) = scan_number(&sc);
	}

	/* the coefficients tell p */
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "coefficients");
	pf_textio_scan_char(&sc, '[');
	do
	{
		if (p == PF_COX_MAX_COVARIATES)
			pf_textio_invalid_value(&sc, TYPE_NAME, "A model has between 1 and 64 covariates.");
		beta[p++] = scan_number(&sc);
	} while (pf_textio_scan_accept(&sc, ','));
	pf_textio_scan_char(&sc, ']');

	memset(local, 0, pf_coxmodel_size(p));
	memcpy(s, &head, PF_COXMODEL_HEADER_SIZE);
	s->version = PF_COXMODEL_VERSION;
	s->p = p;
	memcpy(s->data, beta, sizeof(double) * p);
	var = s->data + p;
	status = (uint8_t *) (var + (size_t) p * p);

	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "covariance");
	pf_textio_scan_char(&sc, '[');
	for (int j = 0; j < p; j++)
	{
		if (j > 0)
			pf_textio_scan_char(&sc, ',');
		pf_textio_scan_char(&sc, '[');
		for (int k = 0; k < p; k++)
		{
			if (k > 0)
				pf_textio_scan_char(&sc, ',');
			var[(size_t) j * p + k] = scan_number(&sc);
		}
		pf_textio_scan_char(&sc, ']');
	}
	pf_textio_scan_char(&sc, ']');
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "dropped");
	pf_textio_scan_char(&sc, '[');
	for (int j = 0; j < p; j++)
	{
		if (j > 0)
			pf_textio_scan_char(&sc, ',');
		status[j] = scan_bool(&sc) ? PF_COXMODEL_DROPPED : PF_COXMODEL_ESTIMATED;
	}
	pf_textio_scan_char(&sc, ']');
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "infinite");
	pf_textio_scan_char(&sc, '[');
	for (int j = 0; j < p; j++)
	{
		if (j > 0)
			pf_textio_scan_char(&sc, ',');
		if (scan_bool(&sc))
		{
			if (status[j] == PF_COXMODEL_DROPPED)
				pf_textio_invalid_value(&sc, TYPE_NAME,
										"A dropped covariate cannot also be infinite.");
			status[j] = PF_COXMODEL_INFINITE;
		}
	}
	pf_textio_scan_char(&sc, ']');
	pf_textio_scan_char(&sc, '}');
	pf_textio_scan_end(&sc);

	detail = validate(s);
	if (detail != NULL)
		pf_textio_invalid_value(&sc, TYPE_NAME, detail);
	return copy_out(s);
}

/* the text t at p; returns the end */
static char *
put_text(char *p, const char *t)
{
	size_t		len = strlen(t);

	memcpy(p, t, len);
	return p + len;
}

/* longest text of one number: 24 characters and a separator, rounded up */
#define NUMBER_MAX 32

static char *
put_number(char *p, double v)
{
	if (isnan(v))
		return put_text(p, "null");
	if (isinf(v))
		return put_text(p, v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
	pf_textio_format_double(v, p, NUMBER_MAX);
	return p + strlen(p);
}

static char *
put_int(char *p, int64_t v)
{
	return p + pf_textio_format_int64(v, p);
}

char *
pf_coxmodel_format(const PfCoxStored *s)
{
	int			p = s->p;
	const double *beta = pf_coxmodel_beta(s);
	const double *var = pf_coxmodel_var(s);
	const uint8_t *status = pf_coxmodel_status(s);
	size_t		len = 512 + NUMBER_MAX * ((size_t) NSCALARS + p + (size_t) p * p) +
		16 * (size_t) p;
	char	   *out = pf_alloc(len);
	char	   *o = out;

	o = put_text(o, "{\"version\":");
	o = put_int(o, s->version);
	o = put_text(o, ",\"ties\":\"");
	o = put_text(o, ties_words[s->ties]);
	o = put_text(o, "\",\"n\":");
	o = put_int(o, s->n);
	o = put_text(o, ",\"events\":");
	o = put_int(o, s->events);
	o = put_text(o, ",\"strata\":");
	o = put_int(o, s->strata);
	o = put_text(o, ",\"iterations\":");
	o = put_int(o, s->iterations);
	o = put_text(o, s->converged ? ",\"converged\":true" : ",\"converged\":false");
	o = put_text(o, ",\"df\":");
	o = put_int(o, s->df);
	for (int i = 0; i < NSCALARS; i++)
	{
		o = put_text(o, ",\"");
		o = put_text(o, scalar_keys[i]);
		o = put_text(o, "\":");
		o = put_number(o, *scalar_slot((PfCoxStored *) s, i));
	}
	o = put_text(o, ",\"coefficients\":[");
	for (int j = 0; j < p; j++)
	{
		if (j > 0)
			*o++ = ',';
		o = put_number(o, beta[j]);
	}
	o = put_text(o, "],\"covariance\":[");
	for (int j = 0; j < p; j++)
	{
		if (j > 0)
			*o++ = ',';
		*o++ = '[';
		for (int k = 0; k < p; k++)
		{
			if (k > 0)
				*o++ = ',';
			o = put_number(o, var[(size_t) j * p + k]);
		}
		*o++ = ']';
	}
	o = put_text(o, "],\"dropped\":[");
	for (int j = 0; j < p; j++)
		o = put_text(o, j == 0 ?
					 (status[j] == PF_COXMODEL_DROPPED ? "true" : "false") :
					 (status[j] == PF_COXMODEL_DROPPED ? ",true" : ",false"));
	o = put_text(o, "],\"infinite\":[");
	for (int j = 0; j < p; j++)
		o = put_text(o, j == 0 ?
					 (status[j] == PF_COXMODEL_INFINITE ? "true" : "false") :
					 (status[j] == PF_COXMODEL_INFINITE ? ",true" : ",false"));
	o = put_text(o, "]}");
	*o = '\0';
	return out;
}

/* ---------------------------------------------------------------- binary */

void
pf_coxmodel_encode(const PfCoxStored *s, uint8_t *buf)
{
	uint8_t    *o = buf;
	int			p = s->p;

	*o++ = s->version;
	*o++ = s->ties;
	*o++ = s->converged;
	*o++ = s->reserved;
	o = pf_textio_put_u32(o, (uint32_t) s->p);
	o = pf_textio_put_u32(o, (uint32_t) s->iterations);
	o = pf_textio_put_u32(o, (uint32_t) s->df);
	o = pf_textio_put_u32(o, (uint32_t) s->reserved2);
	o = pf_textio_put_u64(o, (uint64_t) s->n);
	o = pf_textio_put_u64(o, (uint64_t) s->events);
	o = pf_textio_put_u64(o, (uint64_t) s->strata);
	for (int i = 0; i < NSCALARS; i++)
		o = pf_textio_put_double(o, *scalar_slot((PfCoxStored *) s, i));
	for (size_t k = 0; k < (size_t) p + (size_t) p * p; k++)
		o = pf_textio_put_double(o, s->data[k]);
	memcpy(o, pf_coxmodel_status(s), (size_t) p);
}

PfCoxStored *
pf_coxmodel_decode(const uint8_t *buf, size_t len)
{
	const uint8_t *q = buf;
	PfCoxStored head;
	double		local[MAX_STORED_DOUBLES];
	PfCoxStored *s = (PfCoxStored *) local;
	uint32_t	u32;
	uint64_t	u64;
	const char *detail;
	char		size_detail[128];

	if (len < PF_COXMODEL_WIRE_HEADER_SIZE)
	{
		if (len >= 1)
			pf_textio_check_version(NULL, TYPE_NAME, buf[0], PF_COXMODEL_VERSION);
		snprintf(size_detail, sizeof(size_detail),
				 "The value has %zu bytes, fewer than the %d of the header.",
				 len, PF_COXMODEL_WIRE_HEADER_SIZE);
		pf_textio_invalid_value(NULL, TYPE_NAME, size_detail);
	}
	pf_textio_check_version(NULL, TYPE_NAME, buf[0], PF_COXMODEL_VERSION);
	memset(&head, 0, sizeof(head));
	head.version = *q++;
	head.ties = *q++;
	head.converged = *q++;
	head.reserved = *q++;
	q = pf_textio_get_u32(q, &u32);
	head.p = (int32_t) u32;
	q = pf_textio_get_u32(q, &u32);
	head.iterations = (int32_t) u32;
	q = pf_textio_get_u32(q, &u32);
	head.df = (int32_t) u32;
	q = pf_textio_get_u32(q, &u32);
	head.reserved2 = (int32_t) u32;
	q = pf_textio_get_u64(q, &u64);
	head.n = (int64_t) u64;
	q = pf_textio_get_u64(q, &u64);
	head.events = (int64_t) u64;
	q = pf_textio_get_u64(q, &u64);
	head.strata = (int64_t) u64;
	for (int i = 0; i < NSCALARS; i++)
		q = pf_textio_get_double(q, scalar_slot(&head, i));
	detail = validate_header(&head);
	if (detail != NULL)
		pf_textio_invalid_value(NULL, TYPE_NAME, detail);
	if (len != pf_coxmodel_wire_size(head.p))
	{
		snprintf(size_detail, sizeof(size_detail),
				 "The value has %zu bytes, not the %zu of a model with %d covariates.",
				 len, pf_coxmodel_wire_size(head.p), (int) head.p);
		pf_textio_invalid_value(NULL, TYPE_NAME, size_detail);
	}
	memset(local, 0, pf_coxmodel_size(head.p));
	memcpy(s, &head, PF_COXMODEL_HEADER_SIZE);
	for (size_t k = 0; k < (size_t) head.p + (size_t) head.p * head.p; k++)
		q = pf_textio_get_double(q, &s->data[k]);
	memcpy((uint8_t *) pf_coxmodel_status(s), q, (size_t) head.p);
	detail = validate(s);
	if (detail != NULL)
		pf_textio_invalid_value(NULL, TYPE_NAME, detail);
	return copy_out(s);
}

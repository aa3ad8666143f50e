/*-------------------------------------------------------------------------
 *
 * coxmodel_core.h
 *	  The cox_model stored type: a fitted Cox proportional-hazards model
 *	  (cox_core.h) as a value that can be stored, dumped and sent, its
 *	  layout, the validation shared by every input path, and its text
 *	  (JSON) and binary forms.  Server-free core.
 *
 * Stored layout (PfCoxStored): a 4-byte slot for the host's varlena
 * header, a version byte, the ties method (0 Efron, 1 Breslow), the
 * converged flag (0 or 1), a reserved zero byte, int32 p (1 to 64),
 * iterations and df, a reserved zero int32, int64 n, events and strata,
 * eight doubles (loglik_null, loglik, lr_chisq, lr_p, wald_chisq, wald_p,
 * score_chisq, score_p), then p coefficients, the p x p covariance
 * (row-major), and p status bytes (0 estimated, 1 dropped, 2 may be
 * infinite) padded with zeros to a multiple of 8.
 *
 * Every double may be any number, infinite included, or NaN in its one
 * canonical bit pattern (PF_COXMODEL_NAN_BITS), which the text form writes
 * as null: a dropped covariate's coefficient and the row and column of the
 * covariance that belong to it are NaN, and so are the p-values of a model
 * with no estimated covariate.  Consistency is checked on every input:
 * 1 <= p <= 64; n >= 1; 0 <= events <= n; 1 <= strata <= n; iterations >=
 * 0; df is the number of covariates not dropped; a model without events
 * has every covariate dropped; a covariate that may be infinite makes the
 * model not converged; p-values are NaN or within [0, 1], NaN on 0 df.
 *
 * Text form, a JSON object with its keys in this order:
 *
 *	{"version":1,"ties":"efron","n":228,"events":165,"strata":1,
 *	 "iterations":4,"converged":true,"df":1,"loglik_null":-749.9...,
 *	 "loglik":...,"lr_chisq":...,"lr_p":...,"wald_chisq":...,"wald_p":...,
 *	 "score_chisq":...,"score_p":...,"coefficients":[-0.53...],
 *	 "covariance":[[0.028...]],"dropped":[false],"infinite":[false]}
 *
 * A number is a JSON number (finite, written shortest-exact), null (NaN)
 * or one of the strings "Infinity" and "-Infinity" (as to_json writes an
 * infinite float8).  Output has no white space; input may have JSON white
 * space between tokens.  Output reads back to the same value and prints
 * the same text.  Errors are reported as textio_core.h describes.
 *
 * Binary (send/receive) form, big-endian: version, ties, converged and
 * reserved bytes, uint32 p, iterations, df and reserved, uint64 n, events
 * and strata, the eight doubles, the p coefficients, the p * p covariances
 * and the p status bytes: 108 + 9 p + 8 p^2 bytes exactly.
 *
 *-------------------------------------------------------------------------
 */
#ifndef COXMODEL_CORE_H
#define COXMODEL_CORE_H

#include "cox_core.h"
#include "pf_core.h"

#define PF_COXMODEL_VERSION 1

/* the only NaN a cox_model holds (the default quiet NaN) */
#define PF_COXMODEL_NAN_BITS UINT64_C(0x7FF8000000000000)

/* a covariate's status byte */
#define PF_COXMODEL_ESTIMATED 0
#define PF_COXMODEL_DROPPED 1
#define PF_COXMODEL_INFINITE 2

typedef struct PfCoxStored
{
	int32_t		vl_len_;		/* the host's varlena header; never read here */
	uint8_t		version;		/* PF_COXMODEL_VERSION */
	uint8_t		ties;			/* PfCoxTies */
	uint8_t		converged;		/* 0 or 1 */
	uint8_t		reserved;		/* zero */
	int32_t		p;
	int32_t		iterations;
	int32_t		df;
	int32_t		reserved2;		/* zero */
	int64_t		n;
	int64_t		events;
	int64_t		strata;
	double		loglik_null;
	double		loglik;
	double		lr_chisq;
	double		lr_p;
	double		wald_chisq;
	double		wald_p;
	double		score_chisq;
	double		score_p;
	double		data[];			/* beta[p], var[p * p], status bytes */
} PfCoxStored;

#define PF_COXMODEL_HEADER_SIZE 112
#define PF_COXMODEL_WIRE_HEADER_SIZE 108

static inline const double *
pf_coxmodel_beta(const PfCoxStored *s)
{
	return s->data;
}

static inline const double *
pf_coxmodel_var(const PfCoxStored *s)
{
	return s->data + s->p;
}

static inline const uint8_t *
pf_coxmodel_status(const PfCoxStored *s)
{
	return (const uint8_t *) (s->data + s->p + (size_t) s->p * s->p);
}

/* bytes of a stored model with p covariates (1 <= p <= 64) */
extern size_t pf_coxmodel_size(int p);

/* bytes of its binary form */
extern size_t pf_coxmodel_wire_size(int p);

/* The stored model of a fit (pf_alloc'd, zeroed padding, vl_len_ 0). */
extern PfCoxStored *pf_coxmodel_from_fit(const PfCoxModel *m);

/*
 * A PfCoxModel reading the stored model in place, with what pf_cox_term
 * needs (p, beta, var, dropped, infinite): the flags live in the view.
 */
typedef struct PfCoxView
{
	PfCoxModel	model;
	bool		dropped[PF_COX_MAX_COVARIATES];
	bool		infinite[PF_COX_MAX_COVARIATES];
} PfCoxView;

extern void pf_coxmodel_view(const PfCoxStored *s, PfCoxView *v);

/* Text: the output is pf_alloc'd; errors are PF_ERR_INVALID_TEXT. */
extern char *pf_coxmodel_format(const PfCoxStored *s);
extern PfCoxStored *pf_coxmodel_parse(const char *str);

/* Binary: encode writes pf_coxmodel_wire_size(s->p) bytes at buf. */
extern void pf_coxmodel_encode(const PfCoxStored *s, uint8_t *buf);
/* errors are PF_ERR_INVALID_BINARY; the model is pf_alloc'd */
extern PfCoxStored *pf_coxmodel_decode(const uint8_t *buf, size_t len);

#endif							/* COXMODEL_CORE_H */

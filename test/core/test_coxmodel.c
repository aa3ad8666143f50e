/*
 * test_coxmodel.c
 *	  Unit tests of coxmodel_core without a server: fits of cox_core (R's
 *	  lung ~ sex, a monotone likelihood, no events, a dropped covariate, 64
 *	  covariates) stored and read back through text and binary to the same
 *	  bytes and the same terms; values written by hand; and every kind of
 *	  rejected text and binary input with its error.
 *
 * Run from the repository root, where test/fixtures/ is found.
 */
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "csv.h"
#include "cox_core.h"
#include "coxmodel_core.h"

/* the stored model s reads back from its text and its binary form to the same bytes */
static bool
round_trips(const PfCoxStored *s, const char *what)
{
	size_t		size = pf_coxmodel_size(s->p);
	size_t		wsize = pf_coxmodel_wire_size(s->p);
	char	   *text = pf_coxmodel_format(s);
	char	   *text2;
	PfCoxStored *back = NULL;
	uint8_t    *wire = malloc(wsize);
	uint8_t    *wire2 = malloc(wsize);
	bool		ok = true;

	if (PF_TRY(back = pf_coxmodel_parse(text)))
	{
		printf("# %s: output does not parse back: %s\n", what, pf_last_error_message);
		ok = false;
	}
	else
	{
		if (memcmp(back, s, size) != 0)
		{
			printf("# %s: text round trip changes the bytes: %s\n", what, text);
			ok = false;
		}
		text2 = pf_coxmodel_format(back);
		if (strcmp(text, text2) != 0)
		{
			printf("# %s: text differs:\n# %s\n# %s\n", what, text, text2);
			ok = false;
		}
		pf_free(text2);
		pf_free(back);
	}
	pf_coxmodel_encode(s, wire);
	if (PF_TRY(back = pf_coxmodel_decode(wire, wsize)))
	{
		printf("# %s: binary does not decode: %s\n", what, pf_last_error_message);
		ok = false;
	}
	else
	{
		if (memcmp(back, s, size) != 0)
		{
			printf("# %s: binary round trip changes the bytes\n", what);
			ok = false;
		}
		pf_coxmodel_encode(back, wire2);
		if (memcmp(wire, wire2, wsize) != 0)
		{
			printf("# %s: binary differs\n", what);
			ok = false;
		}
		pf_free(back);
	}
	pf_free(text);
	free(wire);
	free(wire2);
	return ok;
}

/* the terms read from the stored model are the fit's, bit for bit */
static bool
same_terms(const PfCoxModel *m, const PfCoxStored *s)
{
	PfCoxView	v;

	pf_coxmodel_view(s, &v);
	for (int j = 0; j < m->p; j++)
	{
		PfCoxTerm	a,
					b;

		pf_cox_term(m, j, 0.9, &a);
		pf_cox_term(&v.model, j, 0.9, &b);
		if (!close_rel(b.coef, a.coef, 0, 0) || !close_rel(b.se, a.se, 0, 0) ||
			!close_rel(b.p, a.p, 0, 0) || !close_rel(b.lower, a.lower, 0, 0) ||
			!close_rel(b.upper, a.upper, 0, 0))
			return false;
	}
	return v.model.df == m->df && v.model.converged == m->converged &&
		close_rel(v.model.loglik, m->loglik, 0, 0) &&
		close_rel(v.model.score_p, m->score_p, 0, 0);
}

static void
check_fit(const PfCoxData *d, PfCoxTies ties, const char *what)
{
	PfCoxModel *m = pf_cox_fit(d, ties, NULL);
	PfCoxStored *s = pf_coxmodel_from_fit(m);

	CHECK(round_trips(s, what), "%s: round trips", what);
	CHECK(same_terms(m, s), "%s: the stored model's terms are the fit's", what);
	pf_free(s);
	pf_cox_free(m);
}

static void
fits(void)
{
	Csv		   *lung = csv_read("test/fixtures/surv11_lung.csv");
	Csv		   *sep = csv_read("test/fixtures/surv11_synth_separation.csv");
	int			n = lung->nrows;
	double	   *t = malloc(sizeof(double) * n);
	double	   *x = malloc(sizeof(double) * n * 2);
	bool	   *e = malloc(sizeof(bool) * n);
	PfCoxData	d;
	PfCoxModel *m;
	PfCoxStored *s;
	char	   *text;

	for (int i = 0; i < n; i++)
	{
		t[i] = csv_num(lung, i, csv_col(lung, "time"));
		e[i] = csv_num(lung, i, csv_col(lung, "status")) != 0;
		x[i] = csv_num(lung, i, csv_col(lung, "sex"));
	}
	memset(&d, 0, sizeof(d));
	d.n = n;
	d.p = 1;
	d.exit = t;
	d.x = x;
	d.event = e;
	check_fit(&d, PF_COX_EFRON, "lung ~ sex, Efron");
	check_fit(&d, PF_COX_BRESLOW, "lung ~ sex, Breslow");

	/* R's coefficient, in the text */
	m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
	s = pf_coxmodel_from_fit(m);
	text = pf_coxmodel_format(s);
	CHECK(strncmp(text, "{\"version\":1,\"ties\":\"efron\",\"n\":228,\"events\":165,\"strata\":1,\"iterations\":4,\"converged\":true,\"df\":1,", 97) == 0 &&
		  strstr(text, "\"coefficients\":[-0.53102354") != NULL &&
		  strstr(text, "\"dropped\":[false],\"infinite\":[false]}") != NULL, "lung ~ sex as text: %s", text);
	pf_free(text);
	pf_free(s);
	pf_cox_free(m);

	/* a constant covariate beside sex: dropped, NaN written null */
	for (int i = 0; i < n; i++)
	{
		x[2 * i] = 0.1;
		x[2 * i + 1] = csv_num(lung, i, csv_col(lung, "sex"));
	}
	d.p = 2;
	check_fit(&d, PF_COX_EFRON, "a dropped covariate");
	m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
	s = pf_coxmodel_from_fit(m);
	text = pf_coxmodel_format(s);
	CHECK(strstr(text, "\"coefficients\":[null,-0.53102354") != NULL &&
		  strstr(text, "\"covariance\":[[null,null],[null,0.0279486787") != NULL &&
		  strstr(text, "\"dropped\":[true,false]") != NULL && s->df == 1,
		  "a dropped covariate as text: %s", text);
	pf_free(text);
	pf_free(s);
	pf_cox_free(m);

	/* no events: every covariate dropped, no p-values */
	for (int i = 0; i < n; i++)
		e[i] = false;
	check_fit(&d, PF_COX_BRESLOW, "no events");
	m = pf_cox_fit(&d, PF_COX_BRESLOW, NULL);
	s = pf_coxmodel_from_fit(m);
	text = pf_coxmodel_format(s);
	CHECK(strstr(text, "\"lr_p\":null") != NULL && strstr(text, "\"df\":0") != NULL &&
		  strstr(text, "\"ties\":\"breslow\"") != NULL, "no events as text: %s", text);
	pf_free(text);
	pf_free(s);
	pf_cox_free(m);

	/* the monotone likelihood: not converged, x may be infinite */
	n = sep->nrows;
	for (int i = 0; i < n; i++)
	{
		t[i] = csv_num(sep, i, csv_col(sep, "time"));
		e[i] = csv_num(sep, i, csv_col(sep, "status")) != 0;
		x[2 * i] = csv_num(sep, i, csv_col(sep, "x"));
		x[2 * i + 1] = csv_num(sep, i, csv_col(sep, "z"));
	}
	d.n = n;
	check_fit(&d, PF_COX_EFRON, "monotone likelihood");
	m = pf_cox_fit(&d, PF_COX_EFRON, NULL);
	s = pf_coxmodel_from_fit(m);
	text = pf_coxmodel_format(s);
	CHECK(strstr(text, "\"converged\":false") != NULL &&
		  strstr(text, "\"infinite\":[true,false]") != NULL &&
		  pf_coxmodel_status(s)[0] == PF_COXMODEL_INFINITE, "monotone likelihood as text: %s", text);
	pf_free(text);
	pf_free(s);
	pf_cox_free(m);

	free(t);
	free(x);
	free(e);
	csv_free(lung);
	csv_free(sep);

	/* 64 covariates */
	{
		int			rows = 400;
		int			p = PF_COX_MAX_COVARIATES;
		double	   *tt = malloc(sizeof(double) * rows);
		double	   *xx = malloc(sizeof(double) * rows * p);
		bool	   *ee = malloc(sizeof(bool) * rows);
		uint64_t	r = 12345;

		for (int i = 0; i < rows; i++)
		{
			for (int j = 0; j < p; j++)
			{
				r = r * 6364136223846793005ULL + 1442695040888963407ULL;
				xx[i * p + j] = (double) (r >> 40) / 16777216.0;
			}
			tt[i] = 1 + (i * 37 % 101);
			ee[i] = i % 4 != 0;
		}
		memset(&d, 0, sizeof(d));
		d.n = rows;
		d.p = p;
		d.exit = tt;
		d.x = xx;
		d.event = ee;
		check_fit(&d, PF_COX_EFRON, "64 covariates");
		free(tt);
		free(xx);
		free(ee);
	}
}

/* ---------------------------------------------------------------- by hand */

#define HEAD(df, conv) "{\"version\":1,\"ties\":\"efron\",\"n\":10,\"events\":4,\"strata\":2,\"iterations\":3,\"converged\":" conv ",\"df\":" df ","
#define STATS "\"loglik_null\":-8.5,\"loglik\":-7.25,\"lr_chisq\":2.5,\"lr_p\":0.25,\"wald_chisq\":2,\"wald_p\":0.5,\"score_chisq\":3,\"score_p\":0.125,"
static const char *valid2 = HEAD("2", "true") STATS
"\"coefficients\":[0.5,-0],\"covariance\":[[0.25,1e-300],[\"Infinity\",\"-Infinity\"]],"
"\"dropped\":[false,false],\"infinite\":[false,false]}";

static bool
text_rejected(const char *text, const char *prefix)
{
	return PF_TRY(pf_coxmodel_parse(text)) && pf_last_error_kind == PF_ERR_INVALID_TEXT &&
		strncmp(pf_last_error_message, prefix, strlen(prefix)) == 0;
}

#define SYNTAX "invalid input syntax for type cox_model: \""
#define VALUE "invalid input value for type cox_model: \""

static void
by_hand(void)
{
	PfCoxStored *volatile s = NULL;
	char	   *text;
	PfCoxView	v;
	PfCoxTerm	t;

	CHECK(!PF_TRY(s = pf_coxmodel_parse(valid2)), "a valid model parses: %s", pf_last_error_message);
	text = pf_coxmodel_format(s);
	CHECK(strcmp(text, valid2) == 0, "and prints the same: %s", text);
	CHECK(round_trips(s, "by hand"), "a model by hand round trips");
	CHECK(s->p == 2 && s->strata == 2 && signbit(pf_coxmodel_beta(s)[1]) &&
		  isinf(pf_coxmodel_var(s)[2]) && pf_coxmodel_var(s)[3] < 0,
		  "-0 and the infinities are read");
	/* term 1: coef 0.5, se 0.5, z 1, hazard ratio e^0.5 */
	pf_coxmodel_view(s, &v);
	pf_cox_term(&v.model, 0, 0.95, &t);
	CHECK(t.se == 0.5 && t.z == 1 && fabs(t.exp_coef - 1.6487212707001282) < 1e-15 &&
		  fabs(t.p - 0.31731050786291415) < 1e-15, "term 1 read by pf_cox_term: se %g p %.17g", t.se, t.p);
	pf_free(text);
	pf_free(s);

	/* JSON white space anywhere between tokens */
	CHECK(!PF_TRY(s = pf_coxmodel_parse(
		" { \"version\" : 1 ,\n\"ties\":\"breslow\",\"n\":3,\"events\":0,\"strata\":1,\"iterations\":0,"
		"\"converged\":\ttrue,\"df\":0,\"loglik_null\":0,\"loglik\":0,\"lr_chisq\":0,\"lr_p\": null ,"
		"\"wald_chisq\":0,\"wald_p\":null,\"score_chisq\":0,\"score_p\":null,\"coefficients\":[ null ],"
		"\"covariance\":[ [ null ] ],\"dropped\":[ true ],\"infinite\":[ false ] }\r\n")),
		  "white space is accepted: %s", pf_last_error_message);
	text = pf_coxmodel_format(s);
	CHECK(strcmp(text, "{\"version\":1,\"ties\":\"breslow\",\"n\":3,\"events\":0,\"strata\":1,\"iterations\":0,"
				 "\"converged\":true,\"df\":0,\"loglik_null\":0,\"loglik\":0,\"lr_chisq\":0,\"lr_p\":null,"
				 "\"wald_chisq\":0,\"wald_p\":null,\"score_chisq\":0,\"score_p\":null,\"coefficients\":[null],"
				 "\"covariance\":[[null]],\"dropped\":[true],\"infinite\":[false]}") == 0,
		  "and is not printed: %s", text);
	pf_free(text);
	pf_free(s);

	/* rejected text */
	CHECK(text_rejected("", SYNTAX), "empty input");
	CHECK(text_rejected("{\"version\":2}", VALUE), "another version");
	CHECK(text_rejected(HEAD("2", "true") STATS "\"coefficients\":[0.5,0],\"covariance\":[[1,0],[0,1]],"
						"\"dropped\":[false,false],\"infinite\":[false,false]} x", SYNTAX), "trailing text");
	CHECK(text_rejected("{\"version\":1,\"ties\":\"exact\"", SYNTAX), "ties exact");
	CHECK(text_rejected(HEAD("0", "true") STATS "\"coefficients\":[],", SYNTAX), "no coefficient");
	{
		char		buf[8192];
		char	   *p = buf;

		p += sprintf(p, "%s%s\"coefficients\":[", HEAD("65", "true"), STATS);
		for (int j = 0; j < 65; j++)
			p += sprintf(p, "%s1", j ? "," : "");
		sprintf(p, "],");
		CHECK(text_rejected(buf, VALUE), "65 coefficients: %s", pf_last_error_message);
	}
	CHECK(text_rejected(HEAD("2", "true") STATS "\"coefficients\":[0.5,0],\"covariance\":[[1,0]],", SYNTAX),
		  "a covariance of the wrong shape");
	CHECK(text_rejected(HEAD("2", "true") STATS "\"coefficients\":[0.5,NaN],", SYNTAX), "NaN is not a number here");
	CHECK(text_rejected(HEAD("2", "true") STATS "\"coefficients\":[0.5,\"NaN\"],", SYNTAX), "nor \"NaN\"");
	CHECK(text_rejected(HEAD("2", "true") STATS "\"coefficients\":[0.5,1e999],", SYNTAX), "an overflowing number");
	CHECK(text_rejected("{\"version\":1,\"ties\":\"efron\",\"n\":0,\"events\":0,\"strata\":1,\"iterations\":3,"
						"\"converged\":true,\"df\":1," STATS "\"coefficients\":[1],\"covariance\":[[1]],"
						"\"dropped\":[false],\"infinite\":[false]}", VALUE), "n 0");
	CHECK(text_rejected("{\"version\":1,\"ties\":\"efron\",\"n\":3,\"events\":4,\"strata\":1,\"iterations\":3,"
						"\"converged\":true,\"df\":1," STATS "\"coefficients\":[1],\"covariance\":[[1]],"
						"\"dropped\":[false],\"infinite\":[false]}", VALUE), "more events than rows");
	CHECK(text_rejected("{\"version\":1,\"ties\":\"efron\",\"n\":3,\"events\":1,\"strata\":4,\"iterations\":3,"
						"\"converged\":true,\"df\":1," STATS "\"coefficients\":[1],\"covariance\":[[1]],"
						"\"dropped\":[false],\"infinite\":[false]}", VALUE), "more strata than rows");
	CHECK(text_rejected("{\"version\":1,\"ties\":\"efron\",\"n\":3,\"events\":1,\"strata\":1,\"iterations\":-1,"
						"\"converged\":true,\"df\":1," STATS "\"coefficients\":[1],\"covariance\":[[1]],"
						"\"dropped\":[false],\"infinite\":[false]}", VALUE), "negative iterations");
	CHECK(text_rejected("{\"version\":1,\"ties\":\"efron\",\"n\":3,\"events\":1,\"strata\":1,\"iterations\":2147483648,",
						VALUE), "iterations beyond integer");
	CHECK(text_rejected(HEAD("1", "true") STATS "\"coefficients\":[0.5,0],\"covariance\":[[1,0],[0,1]],"
						"\"dropped\":[false,false],\"infinite\":[false,false]}", VALUE), "df not the covariates estimated");
	CHECK(text_rejected(HEAD("1", "true") STATS "\"coefficients\":[0.5,0],\"covariance\":[[1,null],[null,null]],"
						"\"dropped\":[false,true],\"infinite\":[false,false]}", VALUE), "a dropped covariate with a coefficient");
	CHECK(text_rejected(HEAD("1", "true") STATS "\"coefficients\":[0.5,null],\"covariance\":[[1,0],[null,null]],"
						"\"dropped\":[false,true],\"infinite\":[false,false]}", VALUE), "a dropped covariate with a covariance");
	CHECK(text_rejected(HEAD("2", "true") STATS "\"coefficients\":[0.5,0],\"covariance\":[[1,0],[0,1]],"
						"\"dropped\":[false,false],\"infinite\":[true,false]}", VALUE), "infinite but converged");
	CHECK(text_rejected(HEAD("1", "false") STATS "\"coefficients\":[0.5,null],\"covariance\":[[1,null],[null,null]],"
						"\"dropped\":[false,true],\"infinite\":[false,true]}", VALUE), "dropped and infinite");
	CHECK(text_rejected(HEAD("2", "true") "\"loglik_null\":-8.5,\"loglik\":-7.25,\"lr_chisq\":2.5,\"lr_p\":1.5,"
						"\"wald_chisq\":2,\"wald_p\":0.5,\"score_chisq\":3,\"score_p\":0.125,"
						"\"coefficients\":[0.5,0],\"covariance\":[[1,0],[0,1]],"
						"\"dropped\":[false,false],\"infinite\":[false,false]}", VALUE), "a p-value above 1");
	CHECK(text_rejected("{\"version\":1,\"ties\":\"efron\",\"n\":3,\"events\":1,\"strata\":1,\"iterations\":1,"
						"\"converged\":true,\"df\":0," STATS "\"coefficients\":[null],\"covariance\":[[null]],"
						"\"dropped\":[true],\"infinite\":[false]}", VALUE), "p-values on 0 df");
	CHECK(text_rejected("{\"version\":1,\"ties\":\"efron\",\"n\":3,\"events\":0,\"strata\":1,\"iterations\":1,"
						"\"converged\":true,\"df\":1,\"loglik_null\":0,\"loglik\":0,\"lr_chisq\":0,\"lr_p\":1,"
						"\"wald_chisq\":0,\"wald_p\":1,\"score_chisq\":0,\"score_p\":1,\"coefficients\":[1],"
						"\"covariance\":[[1]],\"dropped\":[false],\"infinite\":[false]}", VALUE),
		  "an estimate without events");
}

/* ---------------------------------------------------------------- binary */

static bool
binary_rejected(const uint8_t *buf, size_t len)
{
	return PF_TRY(pf_coxmodel_decode(buf, len)) && pf_last_error_kind == PF_ERR_INVALID_BINARY &&
		strcmp(pf_last_error_message, "invalid binary input for type cox_model") == 0;
}

static void
binary(void)
{
	PfCoxStored *s = pf_coxmodel_parse(valid2);
	size_t		len = pf_coxmodel_wire_size(2);
	uint8_t    *wire = malloc(len + 8);
	uint8_t    *bad = malloc(len + 8);
	uint64_t	nan_bits = UINT64_C(0x7FF8000000000001);

	CHECK(len == 108 + 18 + 32, "the wire size of 2 covariates: %zu", len);
	pf_coxmodel_encode(s, wire);
	CHECK(wire[0] == 1 && wire[4] == 0 && wire[7] == 2, "version, then p big-endian");
	CHECK(binary_rejected(wire, 0), "no bytes");
	CHECK(binary_rejected(wire, 50), "a truncated header");
	CHECK(binary_rejected(wire, len - 1), "one byte short");
	memcpy(bad, wire, len);
	bad[len] = 0;
	CHECK(binary_rejected(bad, len + 1), "one byte too many");
#define MUTATE(off, val, what) \
	do { \
		memcpy(bad, wire, len); \
		bad[off] = (val); \
		CHECK(binary_rejected(bad, len), what); \
	} while (0)
	MUTATE(0, 2, "version 2");
	MUTATE(1, 2, "ties 2");
	MUTATE(2, 2, "converged 2");
	MUTATE(3, 1, "a reserved byte");
	MUTATE(7, 3, "p 3 with the bytes of 2");
	MUTATE(7, 0, "p 0");
	MUTATE(6, 1, "p 258");
	MUTATE(19, 1, "a reserved int32");
	MUTATE(15, 200, "df 200");
	MUTATE(len - 1, 3, "status 3");
	MUTATE(len - 1, 1, "a dropped covariate with a coefficient");
	MUTATE(len - 2, 2, "infinite but converged");
	MUTATE(8, 0x80, "negative iterations");
	MUTATE(20, 0x80, "negative n");
	/* a NaN other than the canonical one, in the coefficients */
	memcpy(bad, wire, len);
	for (int i = 0; i < 8; i++)
		bad[108 + i] = (uint8_t) (nan_bits >> (56 - 8 * i));
	CHECK(binary_rejected(bad, len), "a non-canonical NaN");
	/* the canonical one where a dropped covariate needs it is fine */
	{
		PfCoxStored *d = pf_coxmodel_parse("{\"version\":1,\"ties\":\"breslow\",\"n\":3,\"events\":0,\"strata\":1,"
										   "\"iterations\":0,\"converged\":true,\"df\":0,\"loglik_null\":0,\"loglik\":0,"
										   "\"lr_chisq\":0,\"lr_p\":null,\"wald_chisq\":0,\"wald_p\":null,\"score_chisq\":0,"
										   "\"score_p\":null,\"coefficients\":[null],\"covariance\":[[null]],"
										   "\"dropped\":[true],\"infinite\":[false]}");
		uint8_t		w[108 + 9 + 8];
		PfCoxStored *back = NULL;

		pf_coxmodel_encode(d, w);
		CHECK(w[108] == 0x7F && w[109] == 0xF8 && w[110] == 0, "NaN is sent as 7ff8000000000000");
		CHECK(!PF_TRY(back = pf_coxmodel_decode(w, sizeof(w))) && memcmp(back, d, pf_coxmodel_size(1)) == 0,
			  "and read back");
		w[sizeof(w) - 1] = 0;
		CHECK(binary_rejected(w, sizeof(w)), "estimated with NaN p-values on 1 df: still df 0 in the header");
		pf_free(d);
		if (back)
			pf_free(back);
	}
	free(wire);
	free(bad);
	pf_free(s);
}

UNIT_MAIN_BEGIN
	fits();
	by_hand();
	binary();
UNIT_MAIN_END

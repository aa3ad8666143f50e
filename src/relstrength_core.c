/*-------------------------------------------------------------------------
 *
 * relstrength_core.c
 *	  Relationship-strength summaries: building, merging, reading, and the
 *	  one validator behind both text input and binary receive.  Server-free.
 *	  The text is read with textio_core's scanner, the binary form with its
 *	  big-endian codec.
 *
 * Text form, one JSON object with its keys in this order (so that
 * r::text::jsonb works and the text reads on its own):
 *
 *	{"version":1,"n":2,"first":"2024-01-01T00:00:00Z",
 *	 "last":"2024-01-31T00:00:00Z","half_life":"P30D","decayed_weight":1.5,
 *	 "inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,
 *	 "sentiment_sum":0}
 *
 * The weights are decayed to "last", the landmark.
 *
 *-------------------------------------------------------------------------
 */
#include "relstrength_core.h"

#include <stdio.h>
#include <string.h>

/*
 * Directed weights are summed apart from the total, so their sum may exceed
 * it by rounding; this bounds how much.  Each part alone never exceeds the
 * total: rounding is monotone.
 */
#define PARTS_TOLERANCE 1e-6

#define TYPE_NAME "relstrength"

/* later - earlier in microseconds, for later >= earlier, exact (see add_interaction) */
static inline double
gap(int64_t later, int64_t earlier)
{
	return (double) ((uint64_t) later - (uint64_t) earlier);
}

/*
 * 2^(j/256) for j = 0..255, rounded to nearest: each computed to 60 digits
 * and rounded once, by
 *   python3 -c 'from decimal import *; getcontext().prec = 60;
 *     print([float(Decimal(2) ** (Decimal(j) / 256)).hex() for j in range(256)])'
 */
const double pf_exp2_table[256] = {
	0x1.0000000000000p+0, 0x1.00b1afa5abcbfp+0, 0x1.0163da9fb3335p+0,
	0x1.02168143b0281p+0, 0x1.02c9a3e778061p+0, 0x1.037d42e11bbccp+0,
	0x1.04315e86e7f85p+0, 0x1.04e5f72f654b1p+0, 0x1.059b0d3158574p+0,
	0x1.0650a0e3c1f89p+0, 0x1.0706b29ddf6dep+0, 0x1.07bd42b72a836p+0,
	0x1.0874518759bc8p+0, 0x1.092bdf66607e0p+0, 0x1.09e3ecac6f383p+0,
	0x1.0a9c79b1f3919p+0, 0x1.0b5586cf9890fp+0, 0x1.0c0f145e46c85p+0,
	0x1.0cc922b7247f7p+0, 0x1.0d83b23395decp+0, 0x1.0e3ec32d3d1a2p+0,
	0x1.0efa55fdfa9c5p+0, 0x1.0fb66affed31bp+0, 0x1.1073028d7233ep+0,
	0x1.11301d0125b51p+0, 0x1.11edbab5e2ab6p+0, 0x1.12abdc06c31ccp+0,
	0x1.136a814f204abp+0, 0x1.1429aaea92de0p+0, 0x1.14e95934f312ep+0,
	0x1.15a98c8a58e51p+0, 0x1.166a45471c3c2p+0, 0x1.172b83c7d517bp+0,
	0x1.17ed48695bbc0p+0, 0x1.18af9388c8deap+0, 0x1.1972658375d2fp+0,
	0x1.1a35beb6fcb75p+0, 0x1.1af99f8138a1cp+0, 0x1.1bbe084045cd4p+0,
	0x1.1c82f95281c6bp+0, 0x1.1d4873168b9aap+0, 0x1.1e0e75eb44027p+0,
	0x1.1ed5022fcd91dp+0, 0x1.1f9c18438ce4dp+0, 0x1.2063b88628cd6p+0,
	0x1.212be3578a819p+0, 0x1.21f49917ddc96p+0, 0x1.22bdda27912d1p+0,
	0x1.2387a6e756238p+0, 0x1.2451ffb82140ap+0, 0x1.251ce4fb2a63fp+0,
	0x1.25e85711ece75p+0, 0x1.26b4565e27cddp+0, 0x1.2780e341ddf29p+0,
	0x1.284dfe1f56381p+0, 0x1.291ba7591bb70p+0, 0x1.29e9df51fdee1p+0,
	0x1.2ab8a66d10f13p+0, 0x1.2b87fd0dad990p+0, 0x1.2c57e39771b2fp+0,
	0x1.2d285a6e4030bp+0, 0x1.2df961f641589p+0, 0x1.2ecafa93e2f56p+0,
	0x1.2f9d24abd886bp+0, 0x1.306fe0a31b715p+0, 0x1.31432edeeb2fdp+0,
	0x1.32170fc4cd831p+0, 0x1.32eb83ba8ea32p+0, 0x1.33c08b26416ffp+0,
	0x1.3496266e3fa2dp+0, 0x1.356c55f929ff1p+0, 0x1.36431a2de883bp+0,
	0x1.371a7373aa9cbp+0, 0x1.37f26231e754ap+0, 0x1.38cae6d05d866p+0,
	0x1.39a401b7140efp+0, 0x1.3a7db34e59ff7p+0, 0x1.3b57fbfec6cf4p+0,
	0x1.3c32dc313a8e5p+0, 0x1.3d0e544ede173p+0, 0x1.3dea64c123422p+0,
	0x1.3ec70df1c5175p+0, 0x1.3fa4504ac801cp+0, 0x1.40822c367a024p+0,
	0x1.4160a21f72e2ap+0, 0x1.423fb2709468ap+0, 0x1.431f5d950a897p+0,
	0x1.43ffa3f84b9d4p+0, 0x1.44e086061892dp+0, 0x1.45c2042a7d232p+0,
	0x1.46a41ed1d0057p+0, 0x1.4786d668b3237p+0, 0x1.486a2b5c13cd0p+0,
	0x1.494e1e192aed2p+0, 0x1.4a32af0d7d3dep+0, 0x1.4b17dea6db7d7p+0,
	0x1.4bfdad5362a27p+0, 0x1.4ce41b817c114p+0, 0x1.4dcb299fddd0dp+0,
	0x1.4eb2d81d8abffp+0, 0x1.4f9b2769d2ca7p+0, 0x1.508417f4531eep+0,
	0x1.516daa2cf6642p+0, 0x1.5257de83f4eefp+0, 0x1.5342b569d4f82p+0,
	0x1.542e2f4f6ad27p+0, 0x1.551a4ca5d920fp+0, 0x1.56070dde910d2p+0,
	0x1.56f4736b527dap+0, 0x1.57e27dbe2c4cfp+0, 0x1.58d12d497c7fdp+0,
	0x1.59c0827ff07ccp+0, 0x1.5ab07dd485429p+0, 0x1.5ba11fba87a03p+0,
	0x1.5c9268a5946b7p+0, 0x1.5d84590998b93p+0, 0x1.5e76f15ad2148p+0,
	0x1.5f6a320dceb71p+0, 0x1.605e1b976dc09p+0, 0x1.6152ae6cdf6f4p+0,
	0x1.6247eb03a5585p+0, 0x1.633dd1d1929fdp+0, 0x1.6434634ccc320p+0,
	0x1.652b9febc8fb7p+0, 0x1.6623882552225p+0, 0x1.671c1c70833f6p+0,
	0x1.68155d44ca973p+0, 0x1.690f4b19e9538p+0, 0x1.6a09e667f3bcdp+0,
	0x1.6b052fa75173ep+0, 0x1.6c012750bdabfp+0, 0x1.6cfdcddd47645p+0,
	0x1.6dfb23c651a2fp+0, 0x1.6ef9298593ae5p+0, 0x1.6ff7df9519484p+0,
	0x1.70f7466f42e87p+0, 0x1.71f75e8ec5f74p+0, 0x1.72f8286ead08ap+0,
	0x1.73f9a48a58174p+0, 0x1.74fbd35d7cbfdp+0, 0x1.75feb564267c9p+0,
	0x1.77024b1ab6e09p+0, 0x1.780694fde5d3fp+0, 0x1.790b938ac1cf6p+0,
	0x1.7a11473eb0187p+0, 0x1.7b17b0976cfdbp+0, 0x1.7c1ed0130c132p+0,
	0x1.7d26a62ff86f0p+0, 0x1.7e2f336cf4e62p+0, 0x1.7f3878491c491p+0,
	0x1.80427543e1a12p+0, 0x1.814d2add106d9p+0, 0x1.82589994cce13p+0,
	0x1.8364c1eb941f7p+0, 0x1.8471a4623c7adp+0, 0x1.857f4179f5b21p+0,
	0x1.868d99b4492edp+0, 0x1.879cad931a436p+0, 0x1.88ac7d98a6699p+0,
	0x1.89bd0a478580fp+0, 0x1.8ace5422aa0dbp+0, 0x1.8be05bad61778p+0,
	0x1.8cf3216b5448cp+0, 0x1.8e06a5e0866d9p+0, 0x1.8f1ae99157736p+0,
	0x1.902fed0282c8ap+0, 0x1.9145b0b91ffc6p+0, 0x1.925c353aa2fe2p+0,
	0x1.93737b0cdc5e5p+0, 0x1.948b82b5f98e5p+0, 0x1.95a44cbc8520fp+0,
	0x1.96bdd9a7670b3p+0, 0x1.97d829fde4e50p+0, 0x1.98f33e47a22a2p+0,
	0x1.9a0f170ca07bap+0, 0x1.9b2bb4d53fe0dp+0, 0x1.9c49182a3f090p+0,
	0x1.9d674194bb8d5p+0, 0x1.9e86319e32323p+0, 0x1.9fa5e8d07f29ep+0,
	0x1.a0c667b5de565p+0, 0x1.a1e7aed8eb8bbp+0, 0x1.a309bec4a2d33p+0,
	0x1.a42c980460ad8p+0, 0x1.a5503b23e255dp+0, 0x1.a674a8af46052p+0,
	0x1.a799e1330b358p+0, 0x1.a8bfe53c12e59p+0, 0x1.a9e6b5579fdbfp+0,
	0x1.ab0e521356ebap+0, 0x1.ac36bbfd3f37ap+0, 0x1.ad5ff3a3c2774p+0,
	0x1.ae89f995ad3adp+0, 0x1.afb4ce622f2ffp+0, 0x1.b0e07298db666p+0,
	0x1.b20ce6c9a8952p+0, 0x1.b33a2b84f15fbp+0, 0x1.b468415b749b1p+0,
	0x1.b59728de5593ap+0, 0x1.b6c6e29f1c52ap+0, 0x1.b7f76f2fb5e47p+0,
	0x1.b928cf22749e4p+0, 0x1.ba5b030a1064ap+0, 0x1.bb8e0b79a6f1fp+0,
	0x1.bcc1e904bc1d2p+0, 0x1.bdf69c3f3a207p+0, 0x1.bf2c25bd71e09p+0,
	0x1.c06286141b33dp+0, 0x1.c199bdd85529cp+0, 0x1.c2d1cd9fa652cp+0,
	0x1.c40ab5fffd07ap+0, 0x1.c544778fafb22p+0, 0x1.c67f12e57d14bp+0,
	0x1.c7ba88988c933p+0, 0x1.c8f6d9406e7b5p+0, 0x1.ca3405751c4dbp+0,
	0x1.cb720dcef9069p+0, 0x1.ccb0f2e6d1675p+0, 0x1.cdf0b555dc3fap+0,
	0x1.cf3155b5bab74p+0, 0x1.d072d4a07897cp+0, 0x1.d1b532b08c968p+0,
	0x1.d2f87080d89f2p+0, 0x1.d43c8eacaa1d6p+0, 0x1.d5818dcfba487p+0,
	0x1.d6c76e862e6d3p+0, 0x1.d80e316c98398p+0, 0x1.d955d71ff6075p+0,
	0x1.da9e603db3285p+0, 0x1.dbe7cd63a8315p+0, 0x1.dd321f301b460p+0,
	0x1.de7d5641c0658p+0, 0x1.dfc97337b9b5fp+0, 0x1.e11676b197d17p+0,
	0x1.e264614f5a129p+0, 0x1.e3b333b16ee12p+0, 0x1.e502ee78b3ff6p+0,
	0x1.e653924676d76p+0, 0x1.e7a51fbc74c83p+0, 0x1.e8f7977cdb740p+0,
	0x1.ea4afa2a490dap+0, 0x1.eb9f4867cca6ep+0, 0x1.ecf482d8e67f1p+0,
	0x1.ee4aaa2188510p+0, 0x1.efa1bee615a27p+0, 0x1.f0f9c1cb6412ap+0,
	0x1.f252b376bba97p+0, 0x1.f3ac948dd7274p+0, 0x1.f50765b6e4540p+0,
	0x1.f6632798844f8p+0, 0x1.f7bfdad9cbe14p+0, 0x1.f91d802243c89p+0,
	0x1.fa7c1819e90d8p+0, 0x1.fbdba3692d514p+0, 0x1.fd3c22b8f71f1p+0,
	0x1.fe9d96b2a23d9p+0
};

double		pf_relstrength_sink[3];

/* 2^(-dt/h) for a gap dt >= 0 microseconds and h > 0 */
static inline double
decay(double dt, double h_usecs)
{
	return pf_decay_exp2(dt / h_usecs * -256.0, 1.0);
}

void
pf_relstrength_too_many(void)
{
	pf_error(PF_ERR_OUT_OF_RANGE, "bigint out of range",
			 "The summary would count more interactions than bigint holds.",
			 NULL);
}

void
pf_relstrength_overflow(void)
{
	pf_error(PF_ERR_OUT_OF_RANGE, "value out of range: overflow",
			 "The sum of the interaction weights exceeds the range of double precision.",
			 NULL);
}

void
pf_relstrength_check_half_life(double h_usecs)
{
	if (!(h_usecs > 0) || !isfinite(h_usecs))
		pf_error(PF_ERR_INVALID_PARAMETER, "half-life must be positive",
				 NULL, NULL);
}

void
pf_relstrength_bad_weight(double weight)
{
	pf_errorf(PF_ERR_INVALID_PARAMETER, NULL, NULL,
			  "interaction weight must be a finite non-negative number, not %g",
			  weight);
}

void
pf_relstrength_bad_sentiment(double sentiment)
{
	pf_errorf(PF_ERR_INVALID_PARAMETER, NULL, NULL,
			  "sentiment must be between -1 and 1, not %g", sentiment);
}

void
pf_relstrength_init(PfRelstrength *s, int64_t t, int64_t hl_time, int32_t hl_day,
		int32_t hl_month, double w, bool has_sentiment, double sentiment,
		bool has_direction, bool inbound)
{
	memset(s, 0, sizeof(*s));
	s->version = PF_RELSTRENGTH_VERSION;
	s->n = 1;
	s->first = t;
	s->last = t;
	s->hl_time = hl_time;
	s->hl_day = hl_day;
	s->hl_month = hl_month;
	s->weight = w;
	if (has_direction)
	{
		if (inbound)
			s->inbound = w;
		else
			s->outbound = w;
	}
	if (has_sentiment)
	{
		s->sentiment_weight = w;
		s->sentiment_sum = w * sentiment;
	}
}

/*
 * Half-lives are the same when they are the same length, as
 * EXTRACT(EPOCH FROM ...) measures it: '1 day' and '24 hours' agree.
 */
void
pf_relstrength_check_same_half_life(const PfRelstrength *a, int64_t hl_time, int32_t hl_day,
						int32_t hl_month)
{
	if (a->hl_time == hl_time && a->hl_day == hl_day && a->hl_month == hl_month)
		return;
	if (pf_relstrength_half_life_usecs(a) != pf_textio_interval_usecs(hl_time, hl_day, hl_month))
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "cannot combine relationship strengths with different half-lives",
				 "A relstrength summary decays all its interactions with one half-life.",
				 "Use the same half-life for every row of a group, or aggregate each half-life separately.");
}

void
pf_relstrength_merge(PfRelstrength *a, const PfRelstrength *b)
{
	double		h = pf_relstrength_half_life_usecs(a);
	double		f;

	pf_relstrength_check_same_half_life(a, b->hl_time, b->hl_day, b->hl_month);
	if (b->n > INT64_MAX - a->n)
		pf_relstrength_too_many();
	if (b->last > a->last)
	{
		f = decay(gap(b->last, a->last), h);
		a->weight = a->weight * f + b->weight;
		a->inbound = a->inbound * f + b->inbound;
		a->outbound = a->outbound * f + b->outbound;
		a->sentiment_weight = a->sentiment_weight * f + b->sentiment_weight;
		a->sentiment_sum = a->sentiment_sum * f + b->sentiment_sum;
		a->last = b->last;
	}
	else
	{
		f = (b->last == a->last) ? 1.0 : decay(gap(a->last, b->last), h);
		a->weight += b->weight * f;
		a->inbound += b->inbound * f;
		a->outbound += b->outbound * f;
		a->sentiment_weight += b->sentiment_weight * f;
		a->sentiment_sum += b->sentiment_sum * f;
	}
	if (b->first < a->first)
		a->first = b->first;
	a->n += b->n;
	if (!isfinite(a->weight))
		pf_relstrength_overflow();
}

void
pf_relstrength_check_as_of(const PfRelstrength *s, int64_t as_of)
{
	if (as_of < s->last)
	{
		char		when[64];
		char		detail[160];

		pf_textio_format_timestamp(s->last, when, sizeof(when));
		snprintf(detail, sizeof(detail),
				 "The summary's last interaction is at %s.", when);
		pf_error(PF_ERR_INVALID_PARAMETER,
				 "as_of precedes the last interaction of the relationship",
				 detail,
				 "Aggregate only the interactions up to as_of, e.g. with FILTER (WHERE at <= as_of).");
	}
}

double
pf_relstrength_intensity(const PfRelstrength *s, int64_t as_of)
{
	pf_relstrength_check_as_of(s, as_of);
	if (as_of == s->last)
		return s->weight;
	return s->weight * decay(gap(as_of, s->last), pf_relstrength_half_life_usecs(s));
}

double
pf_relstrength_strength(const PfRelstrength *s, int64_t as_of)
{
	/* ln 2 makes one interaction per half-life, sustained, about 0.5 */
	double		x = 0.69314718055994530942 * pf_relstrength_intensity(s, as_of);

	return x / (1.0 + x);
}

bool
pf_relstrength_reciprocity(const PfRelstrength *s, double *result)
{
	double		total = s->inbound + s->outbound;

	if (!(total > 0))
		return false;
	/* 1 - |in - out| / (in + out), without the cancellation */
	*result = 2.0 * fmin(s->inbound, s->outbound) / total;
	return true;
}

bool
pf_relstrength_sentiment(const PfRelstrength *s, double *result)
{
	double		r;

	if (!(s->sentiment_weight > 0))
		return false;
	r = s->sentiment_sum / s->sentiment_weight;
	/* |sum| <= weight holds exactly, but keep the promise of [-1, 1] */
	*result = r > 1.0 ? 1.0 : (r < -1.0 ? -1.0 : r);
	return true;
}

/*
 * NULL when s is consistent, else a sentence saying what is wrong.  The
 * version is checked where it is read.
 */
static const char *
validate(const PfRelstrength *s)
{
	double		h;

	for (size_t i = 0; i < sizeof(s->reserved); i++)
		if (s->reserved[i] != 0)
			return "Reserved bytes are not zero.";
	if (s->n < 1)
		return "The interaction count must be at least 1.";
	if (s->first < PF_MIN_TIMESTAMP || s->first >= PF_END_TIMESTAMP ||
		s->last < PF_MIN_TIMESTAMP || s->last >= PF_END_TIMESTAMP)
		return "An interaction time is outside the range of timestamptz.";
	if (s->first > s->last)
		return "The first interaction is later than the last.";
	if (s->n == 1 && s->first != s->last)
		return "A single interaction cannot have distinct first and last times.";
	h = pf_relstrength_half_life_usecs(s);
	if (!(h > 0) || !isfinite(h))
		return "The half-life must be positive.";
	if (!isfinite(s->weight) || !isfinite(s->inbound) ||
		!isfinite(s->outbound) || !isfinite(s->sentiment_weight) ||
		!isfinite(s->sentiment_sum))
		return "A weight is not a finite number.";
	if (s->weight < 0 || s->inbound < 0 || s->outbound < 0 ||
		s->sentiment_weight < 0)
		return "A weight is negative.";
	if (s->inbound > s->weight || s->outbound > s->weight ||
		s->inbound + s->outbound > s->weight * (1 + PARTS_TOLERANCE))
		return "The directed weights exceed the total weight.";
	if (s->sentiment_weight > s->weight)
		return "The sentiment weight exceeds the total weight.";
	if (fabs(s->sentiment_sum) > s->sentiment_weight)
		return "The sentiment sum exceeds the sentiment weight, so the mean sentiment would lie outside [-1, 1].";
	return NULL;
}

void
pf_relstrength_parse(const char *str, PfRelstrength *s)
{
	PfTextioScan sc;
	const char *detail;

	memset(s, 0, sizeof(*s));
	pf_textio_scan_init(&sc, str, TYPE_NAME,
						"The form is {\"version\":1,\"n\":...,\"first\":\"...Z\",\"last\":\"...Z\",\"half_life\":\"P...\",\"decayed_weight\":...,\"inbound_weight\":...,\"outbound_weight\":...,\"sentiment_weight\":...,\"sentiment_sum\":...}, as relstrength output prints it.");
	pf_textio_scan_char(&sc, '{');
	pf_textio_scan_key(&sc, "version");
	/* the rest of the syntax depends on the version */
	pf_textio_check_version(&sc, TYPE_NAME, pf_textio_scan_int64(&sc),
							PF_RELSTRENGTH_VERSION);
	s->version = PF_RELSTRENGTH_VERSION;
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "n");
	s->n = pf_textio_scan_int64(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "first");
	s->first = pf_textio_scan_timestamp(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "last");
	s->last = pf_textio_scan_timestamp(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "half_life");
	pf_textio_scan_duration(&sc, &s->hl_time, &s->hl_day, &s->hl_month);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "decayed_weight");
	s->weight = pf_textio_scan_double(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "inbound_weight");
	s->inbound = pf_textio_scan_double(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "outbound_weight");
	s->outbound = pf_textio_scan_double(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "sentiment_weight");
	s->sentiment_weight = pf_textio_scan_double(&sc);
	pf_textio_scan_char(&sc, ',');
	pf_textio_scan_key(&sc, "sentiment_sum");
	s->sentiment_sum = pf_textio_scan_double(&sc);
	pf_textio_scan_char(&sc, '}');
	pf_textio_scan_end(&sc);

	detail = validate(s);
	if (detail != NULL)
		pf_textio_invalid_value(&sc, TYPE_NAME, detail);
}

/* the string t at p, without its terminator; returns the end */
static char *
put_text(char *p, const char *t)
{
	size_t		len = strlen(t);

	memcpy(p, t, len);
	return p + len;
}

void
pf_relstrength_format(const PfRelstrength *s, char *buf, size_t buflen)
{
	char		text[2 * PF_RELSTRENGTH_TEXT_MAX];
	char	   *p = text;
	const double w[5] = {s->weight, s->inbound, s->outbound,
	s->sentiment_weight, s->sentiment_sum};
	static const char *const wkey[5] = {",\"decayed_weight\":",
		",\"inbound_weight\":", ",\"outbound_weight\":",
	",\"sentiment_weight\":", ",\"sentiment_sum\":"};

	/* each part is bounded: 48 bytes a timestamp, 96 the duration, 32 a number */
	p = put_text(p, "{\"version\":");
	p += pf_textio_format_int64(s->version, p);
	p = put_text(p, ",\"n\":");
	p += pf_textio_format_int64(s->n, p);
	p = put_text(p, ",\"first\":\"");
	pf_textio_format_timestamp(s->first, p, 48);
	p = put_text(p + strlen(p), "\",\"last\":\"");
	pf_textio_format_timestamp(s->last, p, 48);
	p = put_text(p + strlen(p), "\",\"half_life\":\"");
	pf_textio_format_duration(s->hl_time, s->hl_day, s->hl_month, p, 96);
	p = put_text(p + strlen(p), "\"");
	for (int i = 0; i < 5; i++)
	{
		p = put_text(p, wkey[i]);
		pf_textio_format_double(w[i], p, 32);
		p += strlen(p);
	}
	p = put_text(p, "}");
	*p = '\0';
	snprintf(buf, buflen, "%s", text);
}

void
pf_relstrength_encode(const PfRelstrength *s, uint8_t *buf)
{
	uint8_t    *p = buf;

	*p++ = s->version;
	memcpy(p, s->reserved, sizeof(s->reserved));
	p += sizeof(s->reserved);
	p = pf_textio_put_u64(p, (uint64_t) s->n);
	p = pf_textio_put_u64(p, (uint64_t) s->first);
	p = pf_textio_put_u64(p, (uint64_t) s->last);
	p = pf_textio_put_u64(p, (uint64_t) s->hl_time);
	p = pf_textio_put_u32(p, (uint32_t) s->hl_day);
	p = pf_textio_put_u32(p, (uint32_t) s->hl_month);
	p = pf_textio_put_double(p, s->weight);
	p = pf_textio_put_double(p, s->inbound);
	p = pf_textio_put_double(p, s->outbound);
	p = pf_textio_put_double(p, s->sentiment_weight);
	(void) pf_textio_put_double(p, s->sentiment_sum);
}

void
pf_relstrength_decode(const uint8_t *buf, size_t len, PfRelstrength *s)
{
	const uint8_t *p = buf;
	uint64_t	u;
	uint32_t	u32;
	const char *detail;

	if (len != PF_RELSTRENGTH_WIRE_SIZE)
	{
		char		size_detail[96];

		snprintf(size_detail, sizeof(size_detail),
				 "The value has %zu bytes, not %d.", len, PF_RELSTRENGTH_WIRE_SIZE);
		pf_textio_invalid_value(NULL, TYPE_NAME, size_detail);
	}
	pf_textio_check_version(NULL, TYPE_NAME, buf[0], PF_RELSTRENGTH_VERSION);
	memset(s, 0, sizeof(*s));
	s->version = *p++;
	memcpy(s->reserved, p, sizeof(s->reserved));
	p += sizeof(s->reserved);
	p = pf_textio_get_u64(p, &u);
	s->n = (int64_t) u;
	p = pf_textio_get_u64(p, &u);
	s->first = (int64_t) u;
	p = pf_textio_get_u64(p, &u);
	s->last = (int64_t) u;
	p = pf_textio_get_u64(p, &u);
	s->hl_time = (int64_t) u;
	p = pf_textio_get_u32(p, &u32);
	s->hl_day = (int32_t) u32;
	p = pf_textio_get_u32(p, &u32);
	s->hl_month = (int32_t) u32;
	p = pf_textio_get_double(p, &s->weight);
	p = pf_textio_get_double(p, &s->inbound);
	p = pf_textio_get_double(p, &s->outbound);
	p = pf_textio_get_double(p, &s->sentiment_weight);
	(void) pf_textio_get_double(p, &s->sentiment_sum);
	detail = validate(s);
	if (detail != NULL)
		pf_textio_invalid_value(NULL, TYPE_NAME, detail);
}

/*
 * rng.h
 *	  The unit tests' random numbers: splitmix64, seeded by the including
 *	  file (PF_TEST_RNG_SEED, defined before the #include), so that each
 *	  test keeps data of its own.
 */
#ifndef PF_TEST_RNG_H
#define PF_TEST_RNG_H

#include <stdint.h>

#ifndef PF_TEST_RNG_SEED
#error "define PF_TEST_RNG_SEED before including rng.h"
#endif

static uint64_t rng_state = PF_TEST_RNG_SEED;

static inline uint64_t
rng_next(void)
{
	/* splitmix64 */
	uint64_t	z = (rng_state += 0x9E3779B97F4A7C15u);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

/* uniform on [0, 1), 53 bits */
static inline double
rng_uniform(void)
{
	return (double) (rng_next() >> 11) / 9007199254740992.0;
}

#endif							/* PF_TEST_RNG_H */

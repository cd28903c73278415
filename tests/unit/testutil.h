/*
** testutil.h: helpers shared by the unit tests.  Header-only; include after
** <cmocka.h>.
**
** test_sampled(): 1 under valgrind (RUNNING_ON_VALGRIND) or when the test
** runner wraps the program (TOCALC_WRAP set, as `make valgrind` does): a
** test of millions of cases then runs a sample and says so in its comment.
**
** With TEST_RNG_SEED defined before the include: rnd(), a xorshift64*
** stream from that seed (one per test program, deterministic), and
** below(n), a number in [0, n).
*/
#ifndef TOCALC_TESTS_TESTUTIL_H
#define TOCALC_TESTS_TESTUTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <valgrind/valgrind.h>

static inline int test_sampled(void)
{
	const char *w = getenv("TOCALC_WRAP");

	return RUNNING_ON_VALGRIND || (w && *w);
}

#ifdef TEST_RNG_SEED
static uint64_t rs = TEST_RNG_SEED;

static inline uint64_t rnd(void)
{
	/* xorshift64* (Vigna 2016) */
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 2685821657736338717ull;
}

static inline unsigned below(unsigned n)
{
	return (unsigned)(rnd() % n);
}
#endif

#endif

/*
** test_number.c: the number parser of the strict CSV layer
** (tcsv_parse_number, src/tcsv.c) against the C library's strtod, bit for
** bit (memcmp of the doubles), on 10,000,000 generated strings: random
** digits, lengths, signs and exponents; the boundaries 2^53 and 10^22;
** subnormals and underflow; exact halfway cases between two doubles (and
** one unit either side); leading zeros and the trailing/leading dot forms
** the strict layer accepts ("5.", ".5"); thousands separators.  Each string
** runs three ways: the word path with a NUL after the field (as the fast
** line splitter leaves it), the word path with digits right after it, and
** the byte path (libcsv's fields).
**
** strtod is the oracle: the test never uses tcsv's own output as an
** expected value.  It also checks that the fast path is actually taken for
** a large share of the inputs (else the comparison would prove nothing
** about it) and that strtod is used for the rest.
**
** Under valgrind or any TOCALC_WRAP (make valgrind), and under
** TOCALC_NUMBER_SAMPLE=N, only a sample runs: 20,000 strings by default
** there (the full run takes a few seconds natively, an hour under valgrind).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#define TEST_RNG_SEED 0x9E3779B97F4A7C15ull
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tocalc/tcsv.h"

#define FULL_COUNT 10000000L
#define SAMPLE_COUNT 20000L

__extension__ typedef unsigned __int128 u128;

static long count_to_run(void)
{
	const char *s = getenv("TOCALC_NUMBER_SAMPLE");

	if (s && *s)
		return atol(s) > 0 ? atol(s) : SAMPLE_COUNT;
	if (test_sampled())
		return SAMPLE_COUNT;
	return FULL_COUNT;
}

static size_t put_digits(char *b, size_t o, unsigned n, int lead_nonzero)
{
	for (unsigned i = 0; i < n; i++)
		b[o++] = (char)('0' + (i == 0 && lead_nonzero ? 1 + below(9) : below(10)));
	return o;
}

static size_t put_u128(char *b, size_t o, u128 v)
{
	char t[48];
	size_t n = 0;

	do {
		t[n++] = (char)('0' + (unsigned)(v % 10));
		v /= 10;
	} while (v);
	while (n)
		b[o++] = t[--n];
	return o;
}

static size_t put_exp(char *b, size_t o, int e)
{
	return o + (size_t)sprintf(b + o, "%c%s%d", below(2) ? 'e' : 'E',
				   e >= 0 ? (below(3) ? "" : "+") : "", e);
}

static size_t put_sign(char *b, size_t o)
{
	unsigned k = below(4);

	if (k == 0)
		b[o++] = '-';
	else if (k == 1)
		b[o++] = '+';
	return o;
}

/* random digits, lengths, signs, exponents, leading zeros, dot forms */
static size_t gen_random(char *b)
{
	size_t o = put_sign(b, 0);
	unsigned ni = below(21), nf = below(3) ? below(21) : 0;

	if (below(8) == 0)	/* leading zeros */
		for (unsigned z = 1 + below(4); z; z--)
			b[o++] = '0';
	o = put_digits(b, o, ni, below(2));
	if (nf || below(4) == 0)
		b[o++] = '.';
	o = put_digits(b, o, nf, 0);
	if (ni + nf == 0 && (o == 0 || b[o - 1] != '0'))
		b[o++] = (char)('0' + below(10));
	if (below(3) == 0)
		o = put_exp(b, o, (int)below(61) - 30);
	else if (below(20) == 0)
		o = put_exp(b, o, (int)below(700) - 350);
	return o;
}

/* integers and scaled integers around 2^53, powers of ten around 10^22 */
static size_t gen_boundary(char *b)
{
	size_t o = put_sign(b, 0);
	uint64_t two53 = 1ull << 53;

	switch (below(4)) {
	case 0: {	/* m = 2^53 + d, scaled by 10^k, |k| <= 25 */
		uint64_t m = two53 + below(2001) - 1000;
		o += (size_t)sprintf(b + o, "%llu", (unsigned long long)m);
		if (below(2))
			o = put_exp(b, o, (int)below(51) - 25);
		return o;
	}
	case 1: {	/* 2^53 +- d with a decimal point somewhere inside */
		char t[32];
		uint64_t m = two53 + below(2001) - 1000;
		int n = sprintf(t, "%llu", (unsigned long long)m), at = (int)below((unsigned)n + 1);
		memcpy(b + o, t, (size_t)at);
		o += (size_t)at;
		b[o++] = '.';
		memcpy(b + o, t + at, (size_t)(n - at));
		return o + (size_t)(n - at);
	}
	case 2:	/* 1, 2, ... 9 times 10^k around 22 and 23, also as digits */
		if (below(2))
			return o + (size_t)sprintf(b + o, "%ue%d", 1 + below(9), 15 + (int)below(15));
		b[o++] = (char)('1' + below(9));
		for (unsigned z = 15 + below(10); z; z--)
			b[o++] = '0';
		return o;
	default:	/* mantissas of 15 to 17 digits with exponents near +-22 */
		o = put_digits(b, o, 15 + below(3), 1);
		return put_exp(b, o, (int)below(11) - 5 + (below(2) ? 22 : -22));
	}
}

/* subnormals and underflow: exponents -300 to -340 */
static size_t gen_subnormal(char *b)
{
	size_t o = put_sign(b, 0);

	o = put_digits(b, o, 1 + below(3), 1);
	if (below(2)) {
		b[o++] = '.';
		o = put_digits(b, o, below(18), 0);
	}
	return put_exp(b, o, -300 - (int)below(41));
}

/*
** Exactly halfway between two adjacent doubles M*2^-j and (M+1)*2^-j,
** M in [2^52, 2^53), j in [0, 10]: (2M+1) * 5^(j+1) / 10^(j+1), written out
** exactly; or one unit of the last digit either side, or with zeros
** appended (still exact) or a final 1 (just above).
*/
static size_t gen_halfway(char *b)
{
	char t[64];
	unsigned j = below(11);
	u128 v = 2 * ((1ull << 52) + (rnd() & ((1ull << 52) - 1))) + 1;
	size_t n, o = put_sign(b, 0);
	unsigned f = j + 1;

	for (unsigned k = 0; k < f; k++)
		v *= 5;
	switch (below(4)) {
	case 0: v -= 1; break;
	case 1: v += 1; break;
	default: break;
	}
	n = put_u128(t, 0, v);
	memcpy(b + o, t, n - f);
	o += n - f;
	b[o++] = '.';
	memcpy(b + o, t + n - f, f);
	o += f;
	if (below(4) == 0)
		for (unsigned z = 1 + below(5); z; z--)
			b[o++] = '0';
	else if (below(8) == 0)
		o = o + (size_t)sprintf(b + o, "%s", "00001");
	return o;
}

/* grouped integer parts: 1,234,567.89 (compared with the ungrouped text) */
static size_t gen_grouped(char *b)
{
	size_t o = put_sign(b, 0);
	unsigned groups = 1 + below(5);

	o = put_digits(b, o, 1 + below(3), 1);
	while (groups--) {
		b[o++] = ',';
		o = put_digits(b, o, 3, 0);
	}
	if (below(2)) {
		b[o++] = '.';
		o = put_digits(b, o, below(8), 0);
	}
	return o;
}

struct tally {
	long total, fast, slow, refused_overflow;
};

static void check_one(const char *s, size_t len, unsigned flags, struct tally *t)
{
	char buf[128], *e;
	size_t bo = 0;
	double want, got = 0;
	int fast = -1;

	for (size_t k = 0; k < len; k++)
		if (s[k] != ',')
			buf[bo++] = s[k];
	buf[bo] = '\0';
	want = strtod(buf, &e);
	if (*e)
		fail_msg("generator produced \"%.*s\", which strtod does not read whole", (int)len, s);
	t->total++;
	/* the word path (padded as fast_line pads, then with digits) and the byte path */
	for (int pass = 0; pass < 3; pass++) {
		unsigned f = flags | (pass == 1 ? TCSV_NUM_PAD_DIGITS : 0) |
			     (pass == 2 ? TCSV_NUM_UNPADDED : 0);
		if (tcsv_parse_number(s, len, f, &got, &fast)) {
			if (isinf(want)) {	/* overflow is refused by the strict layer */
				if (pass == 0)
					t->refused_overflow++;
				continue;
			}
			fail_msg("\"%.*s\" refused (pass %d), strtod gives %.17g", (int)len, s, pass,
				 want);
		}
		if (memcmp(&got, &want, sizeof(got)))
			fail_msg("\"%.*s\": %a (%s path, pass %d) but strtod gives %a", (int)len, s,
				 got, fast ? "fast" : "strtod", pass, want);
		if (pass == 0 && fast)
			t->fast++;
		else if (pass == 0)
			t->slow++;
	}
}

static void test_against_strtod(void **state)
{
	long n = count_to_run();
	struct tally t = { 0, 0, 0, 0 };
	char b[128];

	(void)state;
	for (long i = 0; i < n; i++) {
		size_t len;
		unsigned kind = (unsigned)(i % 10), flags = 0;
		if (kind < 5)
			len = gen_random(b);
		else if (kind == 5)
			len = gen_boundary(b);
		else if (kind == 6)
			len = gen_subnormal(b);
		else if (kind <= 8)
			len = gen_halfway(b);
		else
			len = gen_grouped(b), flags = TCSV_THOUSANDS;
		assert_true(len < 100);
		b[len] = '\0';
		if (len > 64)	/* the strict layer's length limit (NUM_MAX) */
			continue;
		check_one(b, len, flags, &t);
	}
	printf("# %ld strings (of %ld generated): %ld fast path, %ld strtod, %ld overflows refused\n",
	       t.total, n, t.fast, t.slow, t.refused_overflow);
	/* both paths exercised: the comparison says something about each */
	assert_true(t.fast > t.total / 5);
	assert_true(t.slow > t.total / 10);
	assert_true(t.total > n * 9 / 10);
}

/* Hand-picked cases, each with the reason it is hard. */
static void test_adversarial(void **state)
{
	static const char *const cases[] = {
		"9007199254740992",	/* 2^53: the largest fast-path mantissa */
		"9007199254740993",	/* 2^53 + 1: halfway, rounds to even (2^53) */
		"9007199254740993.0000000001",	/* just above halfway: rounds up */
		"9007199254740995",	/* halfway, rounds to even (up) */
		"1e22", "1e23",		/* 10^22 exact in a double, 10^23 not */
		"9007199254740992e22", "9007199254740993e-22",
		"0.1", "0.3", "1.7976931348623157e308", "2.2250738585072011e-308",
		"2.2250738585072014e-308", "4.9406564584124654e-324", "2.4703282292062327e-324",
		"2.4703282292062328e-324", "1e-400", "-0", "-0.0", "0.000", "00000000000000000000001",
		"100000000000000000000000", "1000000000000000000000000.0000000000000000000000",
		"5.", ".5", "-.5", "+5.", "0.", "123456789012345678", "12345678901234567890",
		"1844674407370955161600", "0.00000000000000000000001", "4.35", "0.0049999999999999999",
	};
	struct tally t = { 0, 0, 0, 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_one(cases[i], strlen(cases[i]), 0, &t);
	assert_int_equal(t.refused_overflow, 0);
}

/* What the strict layer refuses even though strtod reads it. */
static void test_refused(void **state)
{
	static const char *const bad[] = {
		"", "-", "+", ".", "e5", "1e", "1e+", "0x10", "nan", "inf", "-inf", " 1", "1 ",
		"1..2", "1.2.3", "1e5.5", "--1", "1-", "1,234", "1e999",
	};
	double v;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!tcsv_parse_number(bad[i], strlen(bad[i]), 0, &v, NULL))
			fail_msg("\"%s\" accepted as %g", bad[i], v);
	/* integer columns: no fraction, no exponent, at most 15 significant digits */
	assert_int_equal(tcsv_parse_number("5.", 2, TCSV_NUM_INTEGER, &v, NULL), -1);
	assert_int_equal(tcsv_parse_number("5e0", 3, TCSV_NUM_INTEGER, &v, NULL), -1);
	assert_int_equal(tcsv_parse_number("1234567890123456", 16, TCSV_NUM_INTEGER, &v, NULL), -1);
	assert_int_equal(tcsv_parse_number("0001234567890123456", 19, TCSV_NUM_INTEGER, &v, NULL),
			 -1);
	assert_int_equal(tcsv_parse_number("000123456789012345", 18, TCSV_NUM_INTEGER, &v, NULL), 0);
	assert_true(v == 123456789012345.0);
	assert_int_equal(tcsv_parse_number("12,345", 6, TCSV_THOUSANDS, &v, NULL), 0);
	assert_true(v == 12345.0);
	assert_int_equal(tcsv_parse_number("12,34", 5, TCSV_THOUSANDS, &v, NULL), -1);
}

/*
** The word steps of the fast path (lead_digits, eight_digits in src/tcsv.c): runs
** of 8 to 24 digits, the fraction's too, with one byte replaced by a byte
** that shares a digit's low or high nibble (',' '/' ':' '?' '@' 0xb0..0xb9
** 0x10..0x19 0x70..0x79, NUL) at every position: always refused; and the
** runs themselves, identical to strtod.  A word test that missed a byte
** would read it as a digit and accept the string.
*/
static void test_digit_runs(void **state)
{
	static const unsigned char near[] = {
		',', '/', ':', ';', '?', '@', 0xb0, 0xb5, 0xb9, 0x10, 0x19, 0x70, 0x79, 0x00,
		0x20, 0xf0, 0xf9, 0x3a, 0x3f, 0x29,
	};
	struct tally t = { 0, 0, 0, 0 };
	char b[64];
	double v;

	(void)state;
	for (int shape = 0; shape < 2; shape++) {
		for (size_t n = 8; n <= 24; n++) {
			size_t len = 0, lo;
			if (shape) {	/* "7." then n fraction digits */
				b[len++] = '7';
				b[len++] = '.';
			}
			lo = len;
			for (size_t k = 0; k < n; k++)
				b[len++] = (char)('0' + (k * 7 + n) % 10);
			b[len] = '\0';
			check_one(b, len, 0, &t);
			for (size_t at = lo; at < len; at++) {
				char keep = b[at];
				for (size_t j = 0; j < sizeof(near); j++) {
					b[at] = (char)near[j];
					for (unsigned f = 0; f <= 0x600; f += 0x200)
						if (!tcsv_parse_number(b, len, f, &v, NULL))
							fail_msg("byte 0x%02x at %zu of a digit run accepted "
								 "as %.17g (flags %#x)", near[j], at, v, f);
				}
				b[at] = keep;
			}
		}
	}
	assert_true(t.fast > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adversarial),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_digit_runs),
		cmocka_unit_test(test_against_strtod),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
** model_fastmath.c: vectorised exp, expm1 and log (contract and accuracy:
** include/tocalc/model_fastmath.h).  Pure; no memory is allocated.
**
** exp:   x = n ln2 + r, |r| <= ln2/2 (n rounded to nearest with the 1.5 * 2^52
**        trick, ln2 split in two so that n ln2_hi is exact), exp(r) by its
**        Taylor polynomial of degree 13 (truncation below 5e-18 relative),
**        times 2^n built from the exponent bits.
** expm1: |x| <= ln2/2: the same polynomial without its constant term;
**        else 2^n (expm1(r) + (1 - 2^-n)), so that no ulp of the result is
**        lost to the subtraction of 1.
** log:   x = 2^e m, sqrt(1/2) <= m < sqrt(2), f = m - 1 (exact),
**        s = f / (2 + f), log(1 + f) = f - (f^2/2 - s (f^2/2 + R(s^2))),
**        R the series of 2 atanh(s)/s - 2 to s^20 (truncation below 1e-18);
**        polynomials by Estrin's scheme (short dependency chains);
**        plus e ln2 in two parts.
** sincos2pi: sin and cos of 2 pi t, reduced by quarter turns of t (exact).
** Lanes outside the core range are computed on a harmless argument and
** then replaced by libm's value (a scalar loop, never taken in practice).
*/
#include "tocalc/model_fastmath.h"
#include "tocalc/util.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF	/* GCC in ISO C mode (-std=c11) does not contract */
#endif

#define ln2_hi 0x1.62e42fee00000p-1	/* 32 trailing zero bits: n ln2_hi is exact */
#define ln2_lo 0x1.a39ef35793c76p-33
#define log2e 0x1.71547652b82fep+0
#define shifter 0x1.8p52		/* 1.5 * 2^52 */
#define exp_lim 708.0			/* e^708 < DBL_MAX, e^-708 is normal */
#define FM_INLINE static inline __attribute__((always_inline))

/* 2 lanes: one SSE2 register, every x86-64 (and plain C elsewhere) */
#define FM_W 2
#define FM_ATTR
#define FM_FN(n) n##_w2
#define vd vd2
#define vi vi2
#define vu vu2
#include "model_fastmath_lanes.h"	/* #undefs FM_W .. vu at its end */

#if defined(__x86_64__) && defined(__GNUC__)
/* 4 lanes: one AVX2 register, where the processor has AVX2 (chosen at run time) */
#define FM_AVX2 1
#define FM_W 4
#define FM_ATTR __attribute__((target("avx2")))
#define FM_FN(n) n##_w4
#define vd vd4
#define vi vi4
#define vu vu4
#include "model_fastmath_lanes.h"	/* #undefs FM_W .. vu at its end */
#define FM_HAVE_AVX2() tc_cpu_has_avx2()	/* util.h: no libgcc constructor */
#else
#define FM_HAVE_AVX2() 0
#define exp_w4 exp_w2
#define expm1_w4 expm1_w2
#define log_w4 log_w2
#define sincos2pi_w4 sincos2pi_w2
#endif

void fm_exp(double *y, const double *x, size_t n)
{
	if (FM_HAVE_AVX2())
		exp_w4(y, x, n);
	else
		exp_w2(y, x, n);
}

void fm_expm1(double *y, const double *x, size_t n)
{
	if (FM_HAVE_AVX2())
		expm1_w4(y, x, n);
	else
		expm1_w2(y, x, n);
}

void fm_log(double *y, const double *x, size_t n)
{
	if (FM_HAVE_AVX2())
		log_w4(y, x, n);
	else
		log_w2(y, x, n);
}

void fm_sincos2pi(double *s, double *c, const double *t, size_t n)
{
	if (FM_HAVE_AVX2())
		sincos2pi_w4(s, c, t, n);
	else
		sincos2pi_w2(s, c, t, n);
}

void fm_sincos2pi_w2(double *s, double *c, const double *t, size_t n)
{
	sincos2pi_w2(s, c, t, n);
}

void fm_exp_w2(double *y, const double *x, size_t n)
{
	exp_w2(y, x, n);
}

void fm_expm1_w2(double *y, const double *x, size_t n)
{
	expm1_w2(y, x, n);
}

void fm_log_w2(double *y, const double *x, size_t n)
{
	log_w2(y, x, n);
}

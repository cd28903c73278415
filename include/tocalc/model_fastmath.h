/*
** model_fastmath.h: exp, expm1 and log over arrays of doubles, in loops
** the compiler vectorises (GCC/clang vector extensions, no -march needed),
** for the Monte Carlo draw kernel (model_tariff_mc.c): 4 lanes where the
** processor has AVX2 (a target attribute, chosen at run time), else 2.
**
** Contract: y[i] = f(x[i]) for i < n, with y and x the same array or
** disjoint; no allocation, no global state, the same results on every
** machine with IEEE-754 doubles (plain + - * / and bit operations, no
** fused multiply-add: the code is compiled without contraction).
** Accuracy against glibc's libm, measured by tests/unit/test_tariff_mc.c
** over millions of inputs: exp and log within 1 ulp, expm1 within 2 ulp
** (bounds asserted there).  Inputs outside the core range (exp and expm1:
** |x| > 708, NaN; log: x not a positive normal number, inf, NaN) are
** passed to libm, so every special value is libm's.
*/
#ifndef TOCALC_MODEL_FASTMATH_H
#define TOCALC_MODEL_FASTMATH_H

#include <stddef.h>

void fm_exp(double *y, const double *x, size_t n);
void fm_expm1(double *y, const double *x, size_t n);
void fm_log(double *y, const double *x, size_t n);
/* s[i] = sin(2 pi t[i]), c[i] = cos(2 pi t[i]), |t[i]| < 2^50: within 2e-16 of the exact values */
void fm_sincos2pi(double *s, double *c, const double *t, size_t n);

/*
** The same on 2 lanes (SSE2) wherever the functions above run 4 (AVX2,
** chosen at run time): the tests check that both give the same bits.
*/
void fm_exp_w2(double *y, const double *x, size_t n);
void fm_expm1_w2(double *y, const double *x, size_t n);
void fm_log_w2(double *y, const double *x, size_t n);
void fm_sincos2pi_w2(double *s, double *c, const double *t, size_t n);

#endif

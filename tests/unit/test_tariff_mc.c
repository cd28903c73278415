/*
** test_tariff_mc.c: the one-pass Monte Carlo summaries (issue 18).
**
** Oracle: the draws stored by tariff_mc_run (the same kernel, the same
** seed), each column's finite values sorted with qsort, and the
** percentiles read off the sorted array with GSL's definition (linear
** interpolation at (n - 1) f).  tariff_mc_stats must give exactly those
** numbers (==), for every shipped scenario in scenarios/ and for random
** inputs (models, elasticities, rates, sizes, partners, seeds, draw
** counts 1, 2, odd and even, around the pilot and chunk sizes), with the
** default windows and with windows of zero width (every rank outside:
** the replay path), and an output the draws do not move; the draws'
** normals against the standard normal (moments, Kolmogorov-Smirnov, tail,
** independence); with 1 to 3
** worker threads, and the summaries bit-identical whatever the thread
** count.  model_fastmath's exp, expm1 and log against glibc's libm over
** 16 M inputs each (ulp bounds), special values equal to libm's.  Under
** valgrind or any TOCALC_WRAP (make valgrind) a small sample runs (the
** math on 64 K inputs).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "testutil.h"
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tocalc/model_fastmath.h"
#include "tocalc/model_tariff.h"
#include "tocalc/run_tariff.h"
#include "../../src/model_tariff_impl.h"

#include "shipped.h"

static int float_cmp(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

/* GSL's quantile of sorted v[0..n) */
static double sorted_quantile(const float *v, size_t n, double f)
{
	double index = f * (double)(n - 1), delta;
	size_t lhs = (size_t)index;

	delta = index - (double)lhs;
	if (lhs + 1 >= n || delta == 0)
		return v[lhs];
	return (1 - delta) * v[lhs] + delta * v[lhs + 1];
}

/* tariff_mc_stats (windows `sigmas` wide) against qsort of the stored draws. */
static void check_exact(enum tariff_model model, const struct tariff_scenario *s,
			const struct tariff_params *p, size_t draws, unsigned long seed, double sigmas)
{
	struct tariff_mc_dist d;
	struct tariff_mc_summary st[TARIFF_MC_NOUT];
	float *o = malloc((draws ? draws : 1) * TARIFF_MC_NOUT * sizeof(float));
	float *col = malloc((draws ? draws : 1) * sizeof(float));
	gsl_rng *r1 = gsl_rng_alloc(gsl_rng_mt19937), *r2 = gsl_rng_alloc(gsl_rng_mt19937);
	struct tc_err err;
	size_t failed = 0;

	assert_non_null(o);
	assert_non_null(col);
	tariff_mc_dist_default(&d);
	d.threads = 1 + (int)(seed % 3);	/* 1 to 3 workers: the same draws */
	gsl_rng_set(r1, seed);
	gsl_rng_set(r2, seed);
	assert_int_equal(tariff_mc_run_counted(model, s, p, &d, draws, r1, o, &failed, &err), 0);
	assert_int_equal(tariff_mc_stats_sigmas(model, s, p, &d, draws, r2, st, sigmas, &err), 0);
	/* both streams end at the same state: the stats consumed `draws` draws */
	assert_int_equal(gsl_rng_get(r1), gsl_rng_get(r2));
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		size_t n = 0;
		double sum = 0;
		for (size_t i = 0; i < draws; i++) {
			float v = o[i * TARIFF_MC_NOUT + (size_t)k];
			if (isfinite(v)) {
				col[n++] = v;
				sum += v;
			}
		}
		if (st[k].nfinite != n) fail_msg("output %d: nfinite %zu, stored %zu (draws %zu)", k, st[k].nfinite, n, draws);
		assert_int_equal(st[k].nfailed, failed);
		if (!n) {
			assert_true(isnan(st[k].p5) && isnan(st[k].p50) && isnan(st[k].p95));
			assert_true(isnan(st[k].mean));
			continue;
		}
		qsort(col, n, sizeof(float), float_cmp);
		if (st[k].p5 != sorted_quantile(col, n, 0.05) ||
		    st[k].p50 != sorted_quantile(col, n, 0.50) ||
		    st[k].p95 != sorted_quantile(col, n, 0.95))
			fail_msg("model %s, %zu draws, seed %lu, sigmas %g, output %d: "
				 "%.9g %.9g %.9g, qsort %.9g %.9g %.9g", tariff_model_name(model), draws,
				 seed, sigmas, k, st[k].p5, st[k].p50, st[k].p95,
				 sorted_quantile(col, n, 0.05), sorted_quantile(col, n, 0.50),
				 sorted_quantile(col, n, 0.95));
		assert_true(fabs(st[k].mean - sum / (double)n) <= 1e-9 * fabs(sum / (double)n) + 1e-12);
	}
	gsl_rng_free(r1);
	gsl_rng_free(r2);
	free(o);
	free(col);
}

/* Every shipped scenario, as `tocalc tariff run FILE` resolves it. */
static void test_mc_exact_scenarios(void **state)
{
	static const size_t counts[] = { 1, 2, 3, 4096, 20001, 70000 };
	struct shipped sh;
	size_t runs = 0;
	(void)state;

	shipped_load(&sh);
	assert_true(sh.n >= 1);
	for (size_t i = 0; i < sh.n; i++) {
		const struct whatif *w = sh.w[i];
		for (size_t c = 0; c < TC_ARRAY_SIZE(counts); c++) {
			if (test_sampled() && counts[c] > 4096)
				continue;
			check_exact(w->model, &w->s, &w->p, counts[c], 1 + c, 5.0);
			runs++;
		}
		if (!test_sampled())
			check_exact(w->model, &w->s, &w->p, 50001, 7, 0.0);	/* the replay */
	}
	shipped_release(&sh);
	assert_true(runs >= sh.n);
}

/* Random markets and parameters, several seeds and draw counts. */
static void test_mc_exact_random(void **state)
{
	static const size_t counts[] = { 1, 2, 5, 8, 4095, 4096, 4097, 16384, 16385, 40000, 131073 };
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	int cases = test_sampled() ? 4 : 40;
	(void)state;

	gsl_rng_set(g, 20261125);
	for (int c = 0; c < cases; c++) {
		struct tariff_scenario s;
		struct tariff_params p = { 0, INFINITY, 0, 1.0, 132e6, NAN, NAN };
		enum tariff_model model = c % 5 == 4 ? TARIFF_SMART : TARIFF_CES;
		size_t draws = counts[gsl_rng_uniform_int(g, TC_ARRAY_SIZE(counts))];
		int any = 0;

		memset(&s, 0, sizeof(s));
		for (int k = 0; k < TARIFF_NPARTNERS; k++) {
			if (gsl_rng_uniform(g) < 0.3 && (any || k < TARIFF_NPARTNERS - 1))
				continue;
			s.m[k].present = 1;
			s.m[k].m0 = exp(gsl_rng_uniform(g) * 13 - 2);	/* 0.14 .. 60,000 */
			s.m[k].t0 = gsl_rng_uniform(g) * 0.5;
			s.m[k].t1 = gsl_rng_uniform(g) < 0.5 ? s.m[k].t0 : gsl_rng_uniform(g) * 2.5;
			any = 1;
		}
		p.eps = 0.2 + gsl_rng_uniform(g) * 4;
		p.sigma = gsl_rng_uniform(g) * 6;
		p.pass_through = 0.5 + gsl_rng_uniform(g) * 0.5;
		if (model == TARIFF_SMART)	/* small changes: the linear model stays valid */
			for (int k = 0; k < TARIFF_NPARTNERS; k++)
				s.m[k].t1 = s.m[k].t0 + 0.02;
		if (test_sampled() && draws > 4097)
			draws = 4097;
		check_exact(model, &s, &p, draws, gsl_rng_get(g), 5.0);
		if (c % 4 == 0)
			check_exact(model, &s, &p, draws, 1 + (unsigned long)c, 0.0);	/* the replay */
	}
	gsl_rng_free(g);
}

/* A finite supply elasticity: the solver path (every draw solved), few draws. */
static void test_mc_exact_gsim(void **state)
{
	struct tariff_scenario s;
	struct tariff_params p = { 1.5, 3.0, 1.5, 1.0, 132e6, NAN, NAN };
	(void)state;

	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN] = (struct tariff_market){ 1, 438929, 0.20, 0.60 };
	s.m[TARIFF_MX] = (struct tariff_market){ 1, 505900, 0.02, 0.02 };
	check_exact(TARIFF_GSIM, &s, &p, test_sampled() ? 301 : 20001, 3, 5.0);
	check_exact(TARIFF_CES, &s, &p, test_sampled() ? 300 : 20000, 4, 0.0);
}

/*
** No substitution: the drawn substitution is 0 in every draw, an output
** whose windows hold a single value (counted, not stored); with the pilot
** a small part of the draws and with windows of zero width.
*/
static void test_mc_exact_constant_output(void **state)
{
	struct tariff_scenario s;
	struct tariff_params p = { 1.5, INFINITY, 0.0, 1.0, 132e6, NAN, NAN };
	(void)state;

	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN] = (struct tariff_market){ 1, 438929, 0.20, 2.00 };
	s.m[TARIFF_MX] = (struct tariff_market){ 1, 505900, 0.02, 0.02 };
	s.m[TARIFF_ROW] = (struct tariff_market){ 1, 2000000, 0.03, 0.03 };
	check_exact(TARIFF_CES, &s, &p, test_sampled() ? 4097 : 70001, 5, 5.0);
	check_exact(TARIFF_CES, &s, &p, test_sampled() ? 4097 : 70000, 6, 0.0);
}

/*
** The summaries are bit-identical with 1, 2, 3 and 8 worker threads (the
** blocks' streams and sums do not depend on who runs them), and with the
** 4-lane scan where the 8-lane (AVX2) one runs, with the default windows
** and with the replay, over many blocks.
*/
static void test_mc_threads_identical(void **state)
{
	struct tariff_scenario s;
	struct tariff_params p = { 1.5, INFINITY, 1.5, 1.0, 132e6, NAN, NAN };
	static const int threads[] = { 2, 3, 8 };
	static const double sigmas[] = { 5.0, 0.0 };
	size_t draws = test_sampled() ? 40000 : 300001;
	(void)state;

	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN] = (struct tariff_market){ 1, 438929, 0.20, 2.00 };
	s.m[TARIFF_MX] = (struct tariff_market){ 1, 505900, 0.25, 0.25 };
	s.m[TARIFF_CA] = (struct tariff_market){ 1, 413000, 0.35, 0.35 };
	for (size_t g = 0; g < TC_ARRAY_SIZE(sigmas); g++) {
		struct tariff_mc_summary one[TARIFF_MC_NOUT], many[TARIFF_MC_NOUT];
		struct tariff_mc_dist d;
		struct tc_err err;
		gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

		tariff_mc_dist_default(&d);
		gsl_rng_set(r, 11);
		assert_int_equal(tariff_mc_stats_sigmas(TARIFF_CES, &s, &p, &d, draws, r, one, sigmas[g], &err), 0);
		assert_true(one[MC_REVENUE_AFTER].p5 < one[MC_REVENUE_AFTER].p95);
		for (size_t t = 0; t <= TC_ARRAY_SIZE(threads); t++) {
			d.threads = t < TC_ARRAY_SIZE(threads) ? threads[t] : 2;
			d.no_avx2 = t == TC_ARRAY_SIZE(threads);	/* last: 2 threads, 4 lanes */
			gsl_rng_set(r, 11);
			memset(many, 0xa5, sizeof(many));
			assert_int_equal(tariff_mc_stats_sigmas(TARIFF_CES, &s, &p, &d, draws, r, many,
								sigmas[g], &err), 0);
			for (int k = 0; k < TARIFF_MC_NOUT; k++)
				if (memcmp(&one[k].mean, &many[k].mean, sizeof(double)) ||
				    memcmp(&one[k].p5, &many[k].p5, sizeof(double)) ||
				    memcmp(&one[k].p50, &many[k].p50, sizeof(double)) ||
				    memcmp(&one[k].p95, &many[k].p95, sizeof(double)) ||
				    one[k].nfinite != many[k].nfinite || one[k].nfailed != many[k].nfailed)
					fail_msg("output %d, %d threads, no_avx2 %d, sigmas %g: mean %.17g/%.17g "
						 "p50 %.9g/%.9g", k, d.threads, d.no_avx2, sigmas[g], one[k].mean,
						 many[k].mean, one[k].p50, many[k].p50);
		}
		d.threads = 65;
		d.no_avx2 = 0;
		gsl_rng_set(r, 11);
		assert_int_equal(tariff_mc_stats(TARIFF_CES, &s, &p, &d, 10, r, many, &err), -1);
		gsl_rng_free(r);
	}
}

static int double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/*
** The draws' normals (xoshiro256++ and Box-Muller, model_tariff_mc.c),
** read back from the drawn elasticities: z = log(eps / median) / sdlog.
** Against the standard normal: the mean and the variance within 5
** standard errors, the Kolmogorov-Smirnov distance below its 0.1%
** critical value 1.95 / sqrt(n), the two-sided tail beyond 3 within 5
** standard errors of 0.0027, eps and sigma of a draw uncorrelated (|r| <
** 5 / sqrt(n)).  400,000 draws (20,000 under valgrind), fixed seed.
*/
static void test_mc_normals(void **state)
{
	struct tariff_scenario s;
	struct tariff_params p = { 1.5, INFINITY, 2.0, 1.0, 132e6, NAN, NAN };
	struct tariff_mc_dist d;
	struct tc_err err;
	size_t n = test_sampled() ? 20000 : 400000, tail = 0;
	float *o = malloc(n * TARIFF_MC_NOUT * sizeof(float));
	double *z = malloc(2 * n * sizeof(double)), sum = 0, sq = 0, cross = 0, ks = 0;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	(void)state;

	assert_non_null(o);
	assert_non_null(z);
	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN] = (struct tariff_market){ 1, 438929, 0.20, 0.60 };
	s.m[TARIFF_MX] = (struct tariff_market){ 1, 505900, 0.02, 0.02 };
	tariff_mc_dist_default(&d);
	gsl_rng_set(r, 2026);
	assert_int_equal(tariff_mc_run(TARIFF_CES, &s, &p, &d, n, r, o, &err), 0);
	for (size_t i = 0; i < n; i++) {
		double a = log(o[i * TARIFF_MC_NOUT + MC_EPS] / p.eps) / d.eps_sdlog;
		double b = log(o[i * TARIFF_MC_NOUT + MC_SIGMA] / p.sigma) / d.sigma_sdlog;
		z[2 * i] = a;
		z[2 * i + 1] = b;
		cross += a * b;
	}
	for (size_t i = 0; i < 2 * n; i++) {
		sum += z[i];
		sq += z[i] * z[i];
		tail += fabs(z[i]) > 3;
	}
	qsort(z, 2 * n, sizeof(double), double_cmp);
	for (size_t i = 0; i < 2 * n; i++) {
		double F = 0.5 * erfc(-z[i] / sqrt(2.0));
		ks = fmax(ks, fmax(fabs(F - (double)i / (double)(2 * n)), fabs((double)(i + 1) / (double)(2 * n) - F)));
	}
	{
		double m = (double)(2 * n), mean = sum / m, var = sq / m - mean * mean, pt = 0.0026997960632601866;
		if (fabs(mean) > 5 / sqrt(m) || fabs(var - 1) > 5 * sqrt(2 / m) || ks > 1.95 / sqrt(m) ||
		    fabs((double)tail / m - pt) > 5 * sqrt(pt * (1 - pt) / m) ||
		    fabs(cross / (double)n) > 5 / sqrt((double)n))
			fail_msg("normals: mean %g, variance %g, KS %g (critical %g), tail %g (%g), corr %g",
				 mean, var, ks, 1.95 / sqrt(m), (double)tail / m, pt, cross / (double)n);
	}
	gsl_rng_free(r);
	free(o);
	free(z);
}

/* units in the last place between a and the reference (0 when both are the same NaN/inf) */
static double ulp_diff(double a, double ref)
{
	int e;
	if (a == ref || (isnan(a) && isnan(ref)))
		return 0;
	if (!isfinite(a) || !isfinite(ref))
		return INFINITY;
	if (fabs(ref) < 0x1p-1022)
		return fabs(a - ref) / 0x1p-1074;
	frexp(ref, &e);
	return fabs(a - ref) / ldexp(1.0, e - 53);
}

/*
** model_fastmath against libm: 16 M inputs per function (64 K under
** valgrind) over the ranges the kernel meets and beyond (exp and expm1:
** |x| < 1 and the whole range to +-745 and beyond; log: (0.5, 1.5) and
** 1e-300 .. 1e300), at most 1 ulp for exp and log and 2 for expm1; every
** special value (0, -0, +-inf, NaN, overflow, underflow, subnormals,
** negatives) exactly libm's.  The arrays are processed in place and at
** odd lengths (the tail path).
*/
static void test_fastmath_vs_libm(void **state)
{
	enum { N = 1 << 16 };
	/* outside the core range (libm's values, exactly) and the exact cases 0, -0 and log 1 */
	static const double sp[] = { 0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, 1e-310, -1e-310,
				     708.5, -708.5, 709.78, 709.79, -745.1, -745.2, 800, -800, -1.0 };
	/* edges of the core range and of the reductions: within the bounds */
	static const double edge[] = { 1.0, 708.0, -708.0, 0x1p-1022, 0x1.fffffffffffffp1023,
				       0.34657359027997264, -0.34657359027997264, 0.3465735902799727,
				       1e-20, -1e-20, 0x1p-60, 1.4142135623730951, 1.414213562373095,
				       0.7071067811865476, 0.7071067811865475 };
	double *x = malloc(N * sizeof(double)), *y = malloc(N * sizeof(double));
	double *z = malloc(N * sizeof(double));
	double worst[3] = { 0, 0, 0 }, sc_err = 0;
	int lanes = 0;
	uint64_t st = 0x9e3779b97f4a7c15ULL;
	int reps = test_sampled() ? 1 : 256;	/* 16 M inputs per function natively */
	(void)state;

	assert_non_null(x);
	assert_non_null(y);
	assert_non_null(z);
	for (int rep = 0; rep < reps; rep++) {
		double scale = rep % 4 == 0 ? 1.0 : rep % 4 == 1 ? 0.4 : rep % 4 == 2 ? 40.0 : 760.0;
		size_t n = N - (size_t)(rep % 3);	/* odd lengths: the padded tail */
		for (size_t i = 0; i < n; i++) {	/* xorshift64: reproducible inputs */
			st ^= st << 13;
			st ^= st >> 7;
			st ^= st << 17;
			x[i] = ((double)(st >> 11) * 0x1p-53 * 2 - 1) * scale;
		}
		memcpy(y, x, n * sizeof(double));
		fm_exp(y, y, n);
		fm_exp_w2(z, x, n);
		for (size_t i = 0; i < n; i++)
			worst[0] = fmax(worst[0], ulp_diff(y[i], exp(x[i])));
		lanes |= memcmp(y, z, n * sizeof(double));
		fm_expm1(y, x, n);
		fm_expm1_w2(z, x, n);
		for (size_t i = 0; i < n; i++)
			worst[1] = fmax(worst[1], ulp_diff(y[i], expm1(x[i])));
		lanes |= memcmp(y, z, n * sizeof(double));
		for (size_t i = 0; i < n; i++)
			x[i] = rep % 2 ? exp(x[i] * 0.9) : 1 + x[i] / (2 * scale);	/* 1e-300..1e300; (0.5, 1.5) */
		fm_log(y, x, n);
		fm_log_w2(z, x, n);
		for (size_t i = 0; i < n; i++)
			worst[2] = fmax(worst[2], ulp_diff(y[i], log(x[i])));
		lanes |= memcmp(y, z, n * sizeof(double));
		/* sin and cos of 2 pi t, t in [0, 1) (the Box-Muller angles), against long double */
		for (size_t i = 0; i < n; i++)
			x[i] = fabs(x[i]) - floor(fabs(x[i]));
		fm_sincos2pi(y, z, x, n);
		for (size_t i = 0; i < n; i++) {
			long double a = 6.283185307179586476925286766559L * (long double)x[i];
			sc_err = fmax(sc_err, fmax(fabs(y[i] - (double)sinl(a)), fabs(z[i] - (double)cosl(a))));
		}
		{	/* 4 lanes and 2: the same bits */
			double *s2 = malloc(n * sizeof(double)), *c2 = malloc(n * sizeof(double)), *t2;
			assert_non_null(s2);
			assert_non_null(c2);
			t2 = z;	/* the cosines as new angles in [-1, 1] */
			fm_sincos2pi(y, x, t2, n);
			fm_sincos2pi_w2(s2, c2, t2, n);
			lanes |= memcmp(y, s2, n * sizeof(double)) | memcmp(x, c2, n * sizeof(double));
			free(s2);
			free(c2);
		}
	}
	for (size_t i = 0; i < TC_ARRAY_SIZE(edge); i++) {
		double v[3], a = edge[i];
		fm_exp(&v[0], &a, 1);
		fm_expm1(&v[1], &a, 1);
		fm_log(&v[2], &a, 1);
		worst[0] = fmax(worst[0], ulp_diff(v[0], exp(a)));
		worst[1] = fmax(worst[1], ulp_diff(v[1], expm1(a)));
		if (a > 0)
			worst[2] = fmax(worst[2], ulp_diff(v[2], log(a)));
	}
	if (worst[0] > 1 || worst[1] > 2 || worst[2] > 1)
		fail_msg("largest error in ulp: exp %g (bound 1), expm1 %g (2), log %g (1)", worst[0],
			 worst[1], worst[2]);
	/* valgrind computes long double in double precision: a looser reference there */
	if (sc_err > (RUNNING_ON_VALGRIND ? 2e-15 : 4e-16))
		fail_msg("sincos2pi: largest absolute error %g (bound 4e-16)", sc_err);
	if (lanes)	/* 4 lanes (AVX2, where it runs) and 2 lanes: the same bits */
		fail_msg("fm_exp, fm_expm1 or fm_log differ from their 2-lane versions");
	for (size_t i = 0; i < TC_ARRAY_SIZE(sp); i++) {
		double v[3], a = sp[i];
		fm_exp(&v[0], &a, 1);
		fm_expm1(&v[1], &a, 1);
		fm_log(&v[2], &a, 1);
		if (memcmp(&v[0], &(double){ exp(a) }, 8) || memcmp(&v[1], &(double){ expm1(a) }, 8) ||
		    (!isnan(log(a)) && memcmp(&v[2], &(double){ log(a) }, 8)) || (isnan(log(a)) != isnan(v[2])))
			fail_msg("special %a: exp %a/%a expm1 %a/%a log %a/%a", a, v[0], exp(a), v[1],
				 expm1(a), v[2], log(a));
	}
	free(x);
	free(y);
	free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mc_exact_scenarios),
		cmocka_unit_test(test_mc_exact_random),
		cmocka_unit_test(test_mc_exact_gsim),
		cmocka_unit_test(test_mc_exact_constant_output),
		cmocka_unit_test(test_mc_threads_identical),
		cmocka_unit_test(test_fastmath_vs_libm),
		cmocka_unit_test(test_mc_normals),
	};
	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

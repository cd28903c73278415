/*
** Unit tests of the Joinpoint 5 features of model_joinpoint.c: weighted
** least squares, AR(1) errors, empirical-quantile confidence intervals.
** Expected values come from R (lm with weights, nlme::gls with corAR1) and
** from an independent Python resampling: tests/data/joinpoint/reference.R
** and empirical.py, which print them.  Never from tocalc's own output.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "tocalc/model_joinpoint.h"
#include "tocalc/model_joinpoint_ar1.h"
#include "tocalc/model_joinpoint_compare.h"
#include "tocalc/model_joinpoint_empirical.h"

/* US age-adjusted drug-overdose death rate and deaths, 1999-2017 (datasets/overdose_annual.csv). */
static const double rate[] = { 6.1, 6.2, 6.8, 8.2, 8.9, 9.4, 10.1, 11.5, 11.9, 11.9,
			       11.9, 12.3, 13.2, 13.1, 13.8, 14.7, 16.3, 19.8, 21.7 };
static const double deaths[] = { 16849, 17415, 19394, 23518, 25785, 27424, 29813, 34425, 36010, 36450,
				 37004, 38329, 41340, 41502, 43982, 47055, 52404, 63632, 70237 };
#define N 19

#define NEAR(a, b, tol) do { \
		double na_ = (a), nb_ = (b); \
		if (!(fabs(na_ - nb_) <= (tol))) \
			fail_msg("%s = %.12g, expected %.12g (tol %g)", #a, na_, nb_, (double)(tol)); \
	} while (0)
#define REL(a, b, tol) NEAR(a, b, (tol) * fabs(b))

static void years(double *x)
{
	for (int i = 0; i < N; i++)
		x[i] = 1999 + i;
}

static void fit2(const double *w, struct jp_result *res)
{
	double x[N];
	struct jp_options o;
	struct tc_err err;

	years(x);
	jp_options_init(&o);
	o.min_jp = o.max_jp = 2;
	o.select = JP_SELECT_BIC;
	o.weights = w;
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, rate, N, &o, NULL, res, &err), 0);
}

/* Weighted fit, weights = deaths (SE of a rate = rate / sqrt(D)), against R lm(weights =). */
static void test_wls_against_lm(void **state)
{
	struct jp_result r;
	const struct jp_model *m;
	static const double slope[3] = { 0.0913895568101, 0.0294616560053, 0.145869398581 };
	static const double se[3] = { 0.00525160370034, 0.00338903797429, 0.00937279265529 };
	(void)state;

	fit2(deaths, &r);
	m = jp_selected_model(&r);
	assert_int_equal(m->k, 2);
	assert_true(m->tau[0] == 2006 && m->tau[1] == 2014);
	REL(m->sse, 505.274433573, 1e-9);
	for (int s = 0; s < 3; s++) {
		REL(m->seg[s].slope, slope[s], 1e-8);
		REL(m->seg[s].se, se[s], 1e-7);
	}
	jp_result_release(&r);
}

/* Equal weights: 1 gives the unweighted fit exactly; 7 the same fit with SSE x 7. */
static void test_equal_weights(void **state)
{
	double one[N], seven[N];
	struct jp_result r0, r1, r7;
	(void)state;

	for (int i = 0; i < N; i++) {
		one[i] = 1;
		seven[i] = 7;
	}
	fit2(NULL, &r0);
	fit2(one, &r1);
	fit2(seven, &r7);
	for (int i = 0; i < r0.nmodels; i++) {
		const struct jp_model *a = &r0.models[i], *b = &r1.models[i], *c = &r7.models[i];
		assert_true(a->sse == b->sse);
		REL(c->sse, 7 * a->sse, 1e-10);
		for (int j = 0; j < a->k; j++) {
			assert_true(a->tau[j] == b->tau[j]);
			assert_true(a->tau[j] == c->tau[j]);
		}
		for (int s = 0; s <= a->k; s++) {
			assert_true(a->seg[s].apc == b->seg[s].apc);
			assert_true(a->seg[s].apc_lower == b->seg[s].apc_lower);
			REL(c->seg[s].apc, a->seg[s].apc, 1e-10);
			REL(c->seg[s].se, a->seg[s].se, 1e-8);
		}
	}
	jp_result_release(&r0);
	jp_result_release(&r1);
	jp_result_release(&r7);
}

/*
** The weighted fast search and permutation test against the plain
** enumeration: same SSEs, joinpoints and permutation counts.
*/
static void test_wls_fast_equals_reference(void **state)
{
	double x[N];
	struct jp_result rf, rr;
	struct jp_options o;
	struct tc_err err;
	gsl_rng *g1 = gsl_rng_alloc(gsl_rng_mt19937), *g2 = gsl_rng_alloc(gsl_rng_mt19937);
	(void)state;

	years(x);
	jp_options_init(&o);
	o.max_jp = 3;
	o.permutations = 99;
	o.weights = deaths;
	tc_err_init(&err);
	gsl_rng_set(g1, 5);
	gsl_rng_set(g2, 5);
	assert_int_equal(jp_analyze(x, rate, N, &o, g1, &rf, &err), 0);
	o.reference = 1;
	assert_int_equal(jp_analyze(x, rate, N, &o, g2, &rr, &err), 0);
	assert_int_equal(rf.selected, rr.selected);
	assert_int_equal(rf.ntests, rr.ntests);
	for (int i = 0; i < rf.ntests; i++)
		assert_int_equal(rf.tests[i].exceed, rr.tests[i].exceed);
	for (int i = 0; i < rf.nmodels; i++) {
		REL(rf.models[i].sse, rr.models[i].sse, 1e-9);
		for (int j = 0; j < rf.models[i].k; j++)
			assert_true(rf.models[i].tau[j] == rr.models[i].tau[j]);
	}
	jp_result_release(&rf);
	jp_result_release(&rr);
	gsl_rng_free(g1);
	gsl_rng_free(g2);
}

/* AR(1) errors at joinpoints 2006 and 2014 against nlme::gls(correlation = corAR1()). */
static void test_ar1_against_gls(void **state)
{
	double x[N], rho;
	struct jp_result r;
	struct jp_model a;
	struct tc_err err;
	static const double slope[3] = { 0.0914904410763, 0.0294189933714, 0.143479799177 };
	static const double se[3] = { 0.00630691093806, 0.00530940984492, 0.0159804735005 };
	static const double slope5[3] = { 0.090532629512, 0.0302848760466, 0.139240687749 };
	static const double se5[3] = { 0.00809157525811, 0.0069729057307, 0.0185549804419 };
	(void)state;

	years(x);
	fit2(NULL, &r);
	tc_err_init(&err);
	assert_true(r.models[0].tau[0] == 2006 && r.models[0].tau[1] == 2014);
	/* REML estimate of rho */
	assert_int_equal(jp_ar1_refit(x, rate, NULL, N, &r.models[0], NAN, 0.95, &a, &rho, &err), 0);
	NEAR(rho, 0.282996907386, 2e-5);
	assert_int_equal(a.df, N - 7);
	for (int s = 0; s < 3; s++) {
		REL(a.seg[s].slope, slope[s], 1e-5);
		REL(a.seg[s].se, se[s], 1e-4);
	}
	jp_model_release(&a);
	/* rho given */
	assert_int_equal(jp_ar1_refit(x, rate, NULL, N, &r.models[0], 0.5, 0.95, &a, &rho, &err), 0);
	assert_int_equal(a.df, N - 6);
	for (int s = 0; s < 3; s++) {
		REL(a.seg[s].slope, slope5[s], 1e-9);
		REL(a.seg[s].se, se5[s], 1e-8);
	}
	jp_model_release(&a);
	/* rho = 0 is the independent fit */
	assert_int_equal(jp_ar1_refit(x, rate, NULL, N, &r.models[0], 0, 0.95, &a, &rho, &err), 0);
	for (int s = 0; s < 3; s++) {
		REL(a.seg[s].slope, r.models[0].seg[s].slope, 1e-12);
		REL(a.seg[s].se, r.models[0].seg[s].se, 1e-10);
		REL(a.seg[s].apc_upper, r.models[0].seg[s].apc_upper, 1e-10);
	}
	jp_model_release(&a);
	/* bad rho */
	assert_int_equal(jp_ar1_refit(x, rate, NULL, N, &r.models[0], 1.0, 0.95, &a, &rho, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
	jp_result_release(&r);
}

/*
** Empirical-quantile CIs (4,999 resamples) against tests/data/joinpoint/
** empirical.py (20,000 resamples, its own enumeration and RNG):
** APC1 8.6411..11.0200, APC2 1.6926..3.7790, APC3 12.3905..20.4266,
** joinpoints 2005..2007 and 2013..2015, AAPC 1999-2017 7.2479..7.9761.
** Tolerance: 8% of the interval's width (Monte-Carlo error of both runs).
*/
static void test_empirical_against_python(void **state)
{
	double x[N], from = 1999, to = 2017;
	struct jp_result r;
	struct jp_empirical e;
	struct tc_err err;
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	static const double lo[3] = { 8.6411, 1.6926, 12.3905 }, hi[3] = { 11.0200, 3.7790, 20.4266 };
	(void)state;

	years(x);
	fit2(NULL, &r);
	gsl_rng_set(g, 1);
	tc_err_init(&err);
	assert_int_equal(jp_empirical_ci(x, rate, NULL, N, &r.models[0], 2, 2, 4999, 0.95, &from, &to, 1,
					 g, &e, &err), 0);
	assert_int_equal(e.used, 4999);
	for (int s = 0; s < 3; s++) {
		NEAR(e.apc_lower[s], lo[s], 0.08 * (hi[s] - lo[s]));
		NEAR(e.apc_upper[s], hi[s], 0.08 * (hi[s] - lo[s]));
	}
	NEAR(e.tau_lower[0], 2005, 1e-9);
	NEAR(e.tau_upper[0], 2007, 1e-9);
	NEAR(e.tau_lower[1], 2013, 1e-9);
	NEAR(e.tau_upper[1], 2015, 1e-9);
	NEAR(e.aapc_lower[0], 7.2479, 0.08 * (7.9761 - 7.2479));
	NEAR(e.aapc_upper[0], 7.9761, 0.08 * (7.9761 - 7.2479));
	jp_empirical_release(&e);
	jp_result_release(&r);
	gsl_rng_free(g);
}

static void test_bad_weights(void **state)
{
	double x[N], w[N];
	struct jp_result r;
	struct jp_options o;
	struct tc_err err;
	(void)state;

	years(x);
	memcpy(w, deaths, sizeof(w));
	w[4] = 0;
	jp_options_init(&o);
	o.select = JP_SELECT_BIC;
	o.weights = w;
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, rate, N, &o, NULL, &r, &err), -1);
	assert_int_equal(err.code, 1);
	w[4] = -3;
	assert_int_equal(jp_analyze(x, rate, N, &o, NULL, &r, &err), -1);
	assert_int_equal(err.code, 1);
}

/*
** Weighted Hudson fit: a series bending exactly at 2006.5 (between
** observations) is found there with any weights; weights all 1 give the
** unweighted Hudson fit exactly.
*/
static void test_weighted_hudson(void **state)
{
	double x[16], y[16], w[16], one[16];
	struct jp_options o;
	struct jp_result r, r0, r1;
	struct tc_err err;
	(void)state;

	for (int i = 0; i < 16; i++) {
		x[i] = 2000 + i;
		y[i] = exp(1 + 0.2 * (x[i] - 2000) - 0.3 * (x[i] > 2006.5 ? x[i] - 2006.5 : 0)
			   + 0.002 * ((i * 7) % 5 - 2));
		w[i] = 1 + (i % 4);
		one[i] = 1;
	}
	jp_options_init(&o);
	o.min_jp = o.max_jp = 1;
	o.select = JP_SELECT_BIC;
	o.method = JP_HUDSON;
	tc_err_init(&err);
	o.weights = w;
	assert_int_equal(jp_analyze(x, y, 16, &o, NULL, &r, &err), 0);
	NEAR(r.models[0].tau[0], 2006.5, 0.05);
	assert_int_equal(r.models[0].tau_index[0], -1);
	o.weights = NULL;
	assert_int_equal(jp_analyze(x, y, 16, &o, NULL, &r0, &err), 0);
	o.weights = one;
	assert_int_equal(jp_analyze(x, y, 16, &o, NULL, &r1, &err), 0);
	assert_true(r0.models[0].tau[0] == r1.models[0].tau[0]);
	assert_true(r0.models[0].sse == r1.models[0].sse);
	assert_true(r0.models[0].seg[1].apc == r1.models[0].seg[1].apc);
	jp_result_release(&r);
	jp_result_release(&r0);
	jp_result_release(&r1);
}

/* Linear model (y itself) against R lm on the grid (reference.R, part 4). */
static void test_linear_against_lm(void **state)
{
	double x[N];
	struct jp_options o;
	struct jp_result r;
	struct jp_aapc a;
	struct tc_err err;
	const struct jp_model *m;
	static const double slope[3] = { 0.778603603603, 0.382732732733, 2.56576576577 };
	static const double se[3] = { 0.0508424732978, 0.041757387621, 0.14009548581 };
	(void)state;

	years(x);
	jp_options_init(&o);
	o.min_jp = o.max_jp = 2;
	o.select = JP_SELECT_BIC;
	o.linear = 1;
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, rate, N, &o, NULL, &r, &err), 0);
	m = jp_selected_model(&r);
	assert_true(m->tau[0] == 2006 && m->tau[1] == 2014);
	REL(m->sse, 1.99165915916, 1e-9);
	for (int s = 0; s < 3; s++) {
		REL(m->seg[s].apc, slope[s], 1e-9);	/* linear: the "apc" is the slope */
		REL(m->seg[s].se, se[s], 1e-8);
	}
	/* average annual change: segment slopes weighted by length (hand: (7 s1 + 8 s2 + 3 s3) / 18) */
	assert_int_equal(jp_aapc(m, 0.95, 1999, 2017, &a, &err), 0);
	REL(a.aapc, (7 * slope[0] + 8 * slope[1] + 3 * slope[2]) / 18, 1e-9);
	jp_result_release(&r);
}

/*
** Modified BIC by hand for the k = 2 fit (joinpoints 2006, 2014: segments of
** 7, 8 and 4 observations, SSE 0.016014 from methods.md J1):
** ln(SSE/19) + (3*2 ln 19 + ln(7/19) + ln(8/19) + ln(4/19)) / 19.
*/
static void test_mbic_by_hand(void **state)
{
	struct jp_result r;
	double e = log(0.016014 / 19) + (6 * log(19.0) + log(7 / 19.0) + log(8 / 19.0) + log(4 / 19.0)) / 19;
	(void)state;

	fit2(NULL, &r);
	NEAR(r.models[0].mbic, e, 1e-4);
	jp_result_release(&r);
}

/*
** Comparison of two series: pooled SSEs against R (stacked lm over the
** grid, reference.R part 5) for ln rate and ln deaths; two identical
** series are coincident and parallel with p = 1; a constant multiple is
** parallel (p = 1) but not coincident.
*/
static void test_compare(void **state)
{
	double x[N], y2[N];
	struct jp_options o;
	struct jp_comparison c;
	struct tc_err err;
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	(void)state;

	years(x);
	jp_options_init(&o);
	o.permutations = 199;
	tc_err_init(&err);
	gsl_rng_set(g, 1);
	assert_int_equal(jp_compare(x, rate, deaths, N, 2, 2, &o, g, &c, &err), 0);
	REL(c.sse_coincidence, 610.744003515, 1e-9);
	REL(c.sse_parallel, 0.0530279435122, 1e-8);
	assert_true(c.p_coincidence < 0.05);

	assert_int_equal(jp_compare(x, rate, rate, N, 2, 2, &o, g, &c, &err), 0);
	NEAR(c.stat_coincidence, 1, 1e-9);
	NEAR(c.p_coincidence, 1, 1e-12);
	NEAR(c.p_parallel, 1, 1e-12);

	for (int i = 0; i < N; i++)
		y2[i] = 1.5 * rate[i];
	assert_int_equal(jp_compare(x, rate, y2, N, 2, 2, &o, g, &c, &err), 0);
	NEAR(c.ratio, 1.5, 1e-12);
	NEAR(c.p_parallel, 1, 1e-12);
	assert_true(c.p_coincidence < 0.05);
	gsl_rng_free(g);
}

/* Jump model: a step at 2010 with k = 2, against R lm over the grid (reference.R part 6). */
static void test_jump_against_lm(void **state)
{
	double x[N];
	struct jp_options o;
	struct jp_result r;
	struct tc_err err;
	const struct jp_model *m;
	(void)state;

	years(x);
	jp_options_init(&o);
	o.min_jp = o.max_jp = 2;
	o.select = JP_SELECT_BIC;
	o.jump_index = 2010 - 1999;
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, rate, N, &o, NULL, &r, &err), 0);
	m = jp_selected_model(&r);
	assert_true(m->tau[0] == 2006 && m->tau[1] == 2014);
	assert_true(m->has_jump);
	REL(m->sse, 0.0159679825197, 1e-9);
	NEAR(m->jump, -0.00891433867365, 1e-9);
	REL(m->jump_se, 0.0477871230205, 1e-8);
	assert_int_equal(m->df, N - 7);
	jp_result_release(&r);
	/* the permutation test and a jump outside the points are refused */
	o.select = JP_SELECT_PERMUTATION;
	assert_int_equal(jp_analyze(x, rate, N, &o, NULL, &r, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
	o.select = JP_SELECT_BIC;
	o.jump_index = 0;
	assert_int_equal(jp_analyze(x, rate, N, &o, NULL, &r, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wls_against_lm),
		cmocka_unit_test(test_equal_weights),
		cmocka_unit_test(test_wls_fast_equals_reference),
		cmocka_unit_test(test_ar1_against_gls),
		cmocka_unit_test(test_empirical_against_python),
		cmocka_unit_test(test_bad_weights),
		cmocka_unit_test(test_weighted_hudson),
		cmocka_unit_test(test_linear_against_lm),
		cmocka_unit_test(test_mbic_by_hand),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_jump_against_lm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
** Unit tests of model_joinpoint.c.  Expected values are published (NCHS
** data briefs), reproduced independently (methods.md B3, test J1: R and
** Python, not this program) or hand-derived; the fast search is checked
** against the plain enumeration.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "tocalc/model_joinpoint.h"

/*
** US age-adjusted drug-overdose death rate per 100,000, 1999-2017 (ICD-10
** X40-X44, X60-X64, X85, Y10-Y14; 2000 US standard population).
** Sources: NCHS data briefs db273, db294, db329, db457, db491; MMWR
** mm64e1218a1 and mm6450a3; NCHS dataset jx6g-fdh6 (Drug Poisoning
** Mortality, 1999-2015), cross-checked with the CORGIS opioids dataset
** (NIDA) -- see ../shared/reference/methods.md B3 and overdose-figures-gaps.md.
*/
static const double nchs_rate[] = {
	6.1, 6.2, 6.8, 8.2, 8.9, 9.4, 10.1, 11.5, 11.9, 11.9,	/* 1999-2008 */
	11.9, 12.3, 13.2, 13.1, 13.8, 14.7, 16.3, 19.8, 21.7	/* 2009-2017 */
};

static size_t nchs(int last, double *x, double *y)
{
	size_t n = (size_t)(last - 1999 + 1);
	for (size_t i = 0; i < n; i++) {
		x[i] = 1999 + (double)i;
		y[i] = nchs_rate[i];
	}
	return n;
}

static long round_pct(double v)
{
	return lround(v);
}

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

/* J1 table of methods.md (grid search, constant variance, k = 2), 2 decimals. */
struct j1 {
	int last;
	double jp1, jp2;
	double apc[3], lo[3], hi[3];
	double sse, aapc;
	long nchs_apc[3];	/* the data briefs' whole percentages */
};

static const struct j1 j1_rows[] = {
	{ 2015, 2006, 2013, { 9.83, 2.52, 9.46 }, { 8.76, 1.55, 4.91 }, { 10.91, 3.50, 14.20 },
	  0.012354, 6.53, { 10, 3, 9 } },
	{ 2016, 2006, 2014, { 9.72, 2.81, 17.73 }, { 8.64, 1.96, 12.75 }, { 10.82, 3.68, 22.93 },
	  0.014773, 7.30, { 10, 3, 18 } },
	{ 2017, 2006, 2014, { 9.69, 2.90, 15.93 }, { 8.62, 2.07, 12.82 }, { 10.78, 3.74, 19.12 },
	  0.016014, 7.61, { 10, 3, 16 } },
};

static void test_nchs_data_briefs(void **state)
{
	(void)state;
	for (size_t r = 0; r < TC_ARRAY_SIZE(j1_rows); r++) {
		const struct j1 *e = &j1_rows[r];
		double x[32], y[32];
		size_t n = nchs(e->last, x, y);
		struct jp_options o;
		struct jp_result res;
		struct tc_err err;
		const struct jp_model *m;
		struct jp_aapc a;

		jp_options_init(&o);
		o.max_jp = 3;
		o.select = JP_SELECT_BIC;
		tc_err_init(&err);
		assert_int_equal(jp_analyze(x, y, n, &o, NULL, &res, &err), 0);
		/* BIC selects k = 2 (methods.md J1, k = 0..3) */
		assert_int_equal(res.selected, 2);
		m = &res.models[2];
		assert_int_equal(m->k, 2);
		/* the data briefs' joinpoints and rounded APCs */
		assert_true(m->tau[0] == e->jp1 && m->tau[1] == e->jp2);
		for (int s = 0; s < 3; s++) {
			assert_int_equal(round_pct(m->seg[s].apc), e->nchs_apc[s]);
			NEAR(m->seg[s].apc, e->apc[s], 0.005 + 1e-9);
			NEAR(m->seg[s].apc_lower, e->lo[s], 0.005 + 1e-9);
			NEAR(m->seg[s].apc_upper, e->hi[s], 0.005 + 1e-9);
		}
		NEAR(m->sse, e->sse, 5e-7);
		assert_int_equal(m->df, (int)n - 6);
		assert_int_equal(jp_aapc(m, 0.95, 1999, e->last, &a, &err), 0);
		NEAR(a.aapc, e->aapc, 0.005 + 1e-9);
		assert_false(a.t_based);
		jp_result_release(&res);
	}
}

/* Criteria formulas by hand from the SSEs (methods.md B1). */
static void test_criteria(void **state)
{
	double x[32], y[32];
	size_t n = nchs(2017, x, y);
	struct jp_options o;
	struct jp_result res;
	struct tc_err err;
	(void)state;

	jp_options_init(&o);
	o.max_jp = 3;
	o.select = JP_SELECT_BIC3;
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, y, n, &o, NULL, &res, &err), 0);
	for (int i = 0; i < res.nmodels; i++) {
		const struct jp_model *m = &res.models[i];
		double l = log(m->sse / (double)n), pen = log((double)n) / (double)n;
		NEAR(m->bic, l + 2.0 * (m->k + 1) * pen, 1e-12);
		NEAR(m->bic3, l + (3.0 * m->k + 2) * pen, 1e-12);
		NEAR(m->wbic, l + ((2 + m->r2max) * m->k + 2) * pen, 1e-12);
		assert_true(m->wbic >= m->bic - 1e-12 && m->wbic <= m->bic3 + 1e-12);
	}
	assert_int_equal(res.selected, 2);
	jp_result_release(&res);
}

/*
** Permutation test on the NCHS series, MAX = 3: k = 2 for 1999-2016 and
** 1999-2017, as in the independent reimplementation of methods.md J1;
** for 1999-2015 that reimplementation selected k = 1 (the 1 vs 2 test
** is close to its level), and so do we.
*/
static void test_nchs_permutation(void **state)
{
	int lasts[3] = { 2015, 2016, 2017 }, want[3] = { 1, 2, 2 };
	(void)state;
	for (int r = 0; r < 3; r++) {
		double x[32], y[32];
		size_t n = nchs(lasts[r], x, y);
		struct jp_options o;
		struct jp_result res;
		struct tc_err err;
		gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

		gsl_rng_set(rng, 1);
		jp_options_init(&o);
		o.max_jp = 3;
		tc_err_init(&err);
		assert_int_equal(jp_analyze(x, y, n, &o, rng, &res, &err), 0);
		assert_int_equal(res.selected, want[r]);
		/* the first test, 0 against 3, rejects with nothing at least as large */
		assert_int_equal(res.tests[0].ka, 0);
		assert_int_equal(res.tests[0].kb, 3);
		NEAR(res.tests[0].alpha, 0.05 / 3, 1e-15);
		assert_true(res.tests[0].reject);
		for (int i = 0; i < res.ntests; i++)
			NEAR(res.tests[i].p_value, (1.0 + res.tests[i].exceed) / 4500.0, 1e-15);
		jp_result_release(&res);
		gsl_rng_free(rng);
	}
}

/* An exactly exponential series: one segment and its exact APC. */
static void test_exact_exponential(void **state)
{
	double x[20], y[20];
	enum jp_select sel[2] = { JP_SELECT_PERMUTATION, JP_SELECT_BIC };
	(void)state;

	for (int i = 0; i < 20; i++) {
		x[i] = 2000 + i;
		y[i] = 10 * pow(1.07, i);
	}
	for (int s = 0; s < 2; s++) {
		struct jp_options o;
		struct jp_result res;
		struct tc_err err;
		gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
		const struct jp_model *m;

		gsl_rng_set(rng, 7);
		jp_options_init(&o);
		o.select = sel[s];
		o.permutations = 199;
		tc_err_init(&err);
		assert_int_equal(jp_analyze(x, y, 20, &o, rng, &res, &err), 0);
		assert_int_equal(res.selected, 0);
		m = jp_selected_model(&res);
		assert_int_equal(m->k, 0);
		NEAR(m->seg[0].apc, 7.0, 1e-9);
		assert_true(m->seg[0].lower == 2000 && m->seg[0].upper == 2019);
		jp_result_release(&res);
		gsl_rng_free(rng);
	}
}

/* ln y built with joinpoints at 2005 and 2012 (slopes 0.10, 0.01, -0.05). */
static double built(double x)
{
	return 3 + 0.10 * (x - 1995) - 0.09 * (x > 2005 ? x - 2005 : 0) - 0.06 * (x > 2012 ? x - 2012 : 0);
}

static void test_known_joinpoints(void **state)
{
	double x[25], y[25];
	struct jp_options o;
	struct jp_result res;
	struct tc_err err;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	const struct jp_model *m;
	(void)state;

	/* a small deterministic wiggle (+-0.004 on ln y) so the fit is not exact */
	for (int i = 0; i < 25; i++) {
		x[i] = 1995 + i;
		y[i] = exp(built(x[i]) + 0.004 * ((i * 7) % 5 - 2) / 2.0);
	}
	gsl_rng_set(rng, 3);
	jp_options_init(&o);
	o.max_jp = 4;
	o.permutations = 499;
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, y, 25, &o, rng, &res, &err), 0);
	assert_int_equal(res.selected, 2);
	m = jp_selected_model(&res);
	assert_true(m->tau[0] == 2005 && m->tau[1] == 2012);
	assert_int_equal(m->tau_index[0], 10);
	NEAR(m->seg[0].apc, 100 * expm1(0.10), 0.3);
	NEAR(m->seg[1].apc, 100 * expm1(0.01), 0.3);
	NEAR(m->seg[2].apc, 100 * expm1(-0.05), 0.3);
	jp_result_release(&res);
	gsl_rng_free(rng);
}

/* A joinpoint between observations: Hudson's fit finds it, the grid cannot. */
static void test_hudson(void **state)
{
	double x[16], y[16];
	struct jp_options o;
	struct jp_result res;
	struct tc_err err;
	(void)state;

	for (int i = 0; i < 16; i++) {
		x[i] = 2000 + i;
		/* slope 0.2 up to 2006.5, then -0.1 */
		y[i] = exp(1 + 0.2 * (x[i] - 2000) - 0.3 * (x[i] > 2006.5 ? x[i] - 2006.5 : 0));
	}
	jp_options_init(&o);
	o.min_jp = o.max_jp = 1;
	o.select = JP_SELECT_BIC;
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, y, 16, &o, NULL, &res, &err), 0);
	assert_true(res.models[0].sse > 1e-4);	/* grid: no exact fit */
	jp_result_release(&res);
	o.method = JP_HUDSON;
	assert_int_equal(jp_analyze(x, y, 16, &o, NULL, &res, &err), 0);
	NEAR(res.models[0].tau[0], 2006.5, 1e-8);
	assert_int_equal(res.models[0].tau_index[0], -1);
	assert_true(res.models[0].sse < 1e-20);
	NEAR(res.models[0].seg[0].apc, 100 * expm1(0.2), 1e-8);
	NEAR(res.models[0].seg[1].apc, 100 * expm1(-0.1), 1e-8);
	jp_result_release(&res);
}

/* Same seed, same answer; the permutation test is deterministic. */
static void test_deterministic(void **state)
{
	double x[32], y[32];
	size_t n = nchs(2015, x, y);
	double p[2][4];
	int nt[2];
	(void)state;

	for (int run = 0; run < 2; run++) {
		struct jp_options o;
		struct jp_result res;
		struct tc_err err;
		gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
		gsl_rng_set(rng, 42);
		jp_options_init(&o);
		o.max_jp = 3;
		o.permutations = 999;
		tc_err_init(&err);
		assert_int_equal(jp_analyze(x, y, n, &o, rng, &res, &err), 0);
		nt[run] = res.ntests;
		for (int i = 0; i < res.ntests; i++)
			p[run][i] = res.tests[i].p_value;
		jp_result_release(&res);
		gsl_rng_free(rng);
	}
	assert_int_equal(nt[0], nt[1]);
	for (int i = 0; i < nt[0]; i++)
		assert_true(p[0][i] == p[1][i]);
}

/* Test series: the NCHS rates and pseudo-random walks (fixed seeds). */
static size_t test_series(int which, double *x, double *z)
{
	size_t n;
	if (which == 0) {
		n = nchs(2017, x, z);
		for (size_t i = 0; i < n; i++)
			z[i] = log(z[i]);
		return n;
	} else {
		gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
		double v = 0, s = 0.05;
		gsl_rng_set(rng, (unsigned long)which);
		n = 12 + (size_t)(which * 5) % 19;
		for (size_t i = 0; i < n; i++) {
			if (gsl_rng_uniform(rng) < 0.15)
				s = gsl_ran_gaussian(rng, 0.1);
			v += s + gsl_ran_gaussian(rng, 0.02);
			x[i] = 1990 + (double)i;
			z[i] = v;
		}
		gsl_rng_free(rng);
		return n;
	}
}

/* The fast exact search equals the enumeration of every combination. */
static void test_fast_equals_reference(void **state)
{
	int settings[4][3] = { { 4, 2, 2 }, { 3, 1, 0 }, { 3, 3, 1 }, { 2, 2, 4 } };
	(void)state;

	for (int which = 0; which < 9; which++)
		for (int st = 0; st < 4; st++) {
			double x[40], z[40], sf[8], sr[8];
			long kf[8 * 8], kr[8 * 8];
			size_t n = test_series(which, x, z);
			int K = settings[st][0], E = settings[st][1], B = settings[st][2];
			int fmax = jp_feasible_max(n, E, B);
			struct tc_err err;

			if (K > fmax)
				K = fmax;
			tc_err_init(&err);
			assert_int_equal(jp_best_grid(x, z, n, K, E, B, 0, sf, kf, &err), 0);
			assert_int_equal(jp_best_grid(x, z, n, K, E, B, 1, sr, kr, &err), 0);
			for (int k = 0; k <= K; k++) {
				assert_true(isfinite(sr[k]));
				assert_true(fabs(sf[k] - sr[k]) <= 1e-9 * (1 + sr[k]));
				for (int j = 0; j < k; j++)
					assert_int_equal(kf[k * K + j], kr[k * K + j]);
			}
		}
}

/* The whole analysis, permutation counts included, is the same either way. */
static void test_fast_permutation_equals_reference(void **state)
{
	(void)state;
	for (int which = 0; which < 4; which++) {
		double x[40], z[40], y[40];
		size_t n = test_series(which, x, z);
		struct jp_result res[2];
		for (size_t i = 0; i < n; i++)
			y[i] = exp(z[i]);
		for (int ref = 0; ref < 2; ref++) {
			struct jp_options o;
			struct tc_err err;
			gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
			gsl_rng_set(rng, 11);
			jp_options_init(&o);
			o.max_jp = n >= 17 ? 3 : 2;
			o.permutations = 199;
			o.reference = ref;
			tc_err_init(&err);
			assert_int_equal(jp_analyze(x, y, n, &o, rng, &res[ref], &err), 0);
			gsl_rng_free(rng);
		}
		assert_int_equal(res[0].selected, res[1].selected);
		assert_int_equal(res[0].ntests, res[1].ntests);
		for (int i = 0; i < res[0].ntests; i++)
			assert_int_equal(res[0].tests[i].exceed, res[1].tests[i].exceed);
		for (int i = 0; i < res[0].nmodels; i++)
			NEAR(res[0].models[i].sse, res[1].models[i].sse, 1e-10);
		jp_result_release(&res[0]);
		jp_result_release(&res[1]);
	}
}

static void test_min_obs_and_defaults(void **state)
{
	(void)state;
	/* MinObs = 2 end + (k - 1) between + k */
	assert_int_equal(jp_min_obs(1, 2, 2), 5);
	assert_int_equal(jp_min_obs(2, 2, 2), 8);
	assert_int_equal(jp_min_obs(3, 2, 2), 11);
	assert_int_equal(jp_min_obs(4, 3, 4), 22);
	assert_int_equal(jp_default_max(17, 2, 2), 3);
	assert_int_equal(jp_default_max(25, 2, 2), 4);
	assert_int_equal(jp_default_max(129, 2, 2), 5);
	assert_int_equal(jp_default_max(6, 2, 2), 0);
	assert_int_equal(jp_default_max(12, 2, 2), 2);
	assert_int_equal(jp_default_max(13, 4, 4), 1);	/* table: 2, but MinObs(2) = 14 > 13 */
}

static void test_bad_input(void **state)
{
	double x[10], y[10];
	struct jp_options o;
	struct jp_result res;
	struct tc_err err;
	(void)state;

	for (int i = 0; i < 10; i++) {
		x[i] = i;
		y[i] = 1 + i;
	}
	jp_options_init(&o);
	o.select = JP_SELECT_BIC;
	tc_err_init(&err);
	o.max_jp = 3;	/* MinObs(3) = 11 > 10 */
	assert_int_equal(jp_analyze(x, y, 10, &o, NULL, &res, &err), -1);
	assert_non_null(strstr(err.msg, "too few"));
	assert_int_equal(err.code, TC_EXIT_DATA);
	o.max_jp = 1;
	y[4] = 0;
	assert_int_equal(jp_analyze(x, y, 10, &o, NULL, &res, &err), -1);
	assert_non_null(strstr(err.msg, "x = 4"));
	y[4] = 5;
	x[5] = 3;
	assert_int_equal(jp_analyze(x, y, 10, &o, NULL, &res, &err), -1);
	x[5] = 5;
	y[2] = NAN;
	assert_int_equal(jp_analyze(x, y, 10, &o, NULL, &res, &err), -1);
	y[2] = 3;
	o.min_jp = 2;
	o.max_jp = 1;
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, y, 10, &o, NULL, &res, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
	o.min_jp = 0;
	o.select = JP_SELECT_PERMUTATION;
	o.permutations = 0;
	assert_int_equal(jp_analyze(x, y, 10, &o, NULL, &res, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
}

/* AAPC inside one segment is that segment's APC with the t interval. */
static void test_aapc_one_segment(void **state)
{
	double x[32], y[32];
	size_t n = nchs(2017, x, y);
	struct jp_options o;
	struct jp_result res;
	struct jp_aapc a;
	struct tc_err err;
	const struct jp_model *m;
	(void)state;

	jp_options_init(&o);
	o.min_jp = o.max_jp = 2;
	o.select = JP_SELECT_BIC;
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, y, n, &o, NULL, &res, &err), 0);
	m = &res.models[0];
	assert_int_equal(jp_aapc(m, 0.95, 2007, 2013, &a, &err), 0);
	assert_true(a.t_based);
	NEAR(a.aapc, m->seg[1].apc, 1e-10);
	NEAR(a.lower, m->seg[1].apc_lower, 1e-10);
	NEAR(a.upper, m->seg[1].apc_upper, 1e-10);
	assert_int_equal(jp_aapc(m, 0.95, 1990, 2013, &a, &err), -1);
	jp_result_release(&res);
}

/*
** The size limits of jp_options (issue 19 item 10): the cost estimate
** counted by hand, and the refusals come before any work.
** 10 points, min_obs_end 2, min_obs_between 2: one joinpoint has
** C(10 - 4, 1) = 6 places; a fit of k joinpoints costs n (k + 2)^2.
*/
static void test_size_limits(void **state)
{
	double x[10], y[10];
	struct jp_options o;
	struct jp_result res;
	struct tc_err err;
	(void)state;

	for (int i = 0; i < 10; i++) {
		x[i] = i;
		y[i] = exp(0.1 * i + (i > 4 ? 0.2 * (i - 4) : 0));
	}
	jp_options_init(&o);
	assert_true(o.max_points == 1000 && o.max_points_permutation == 400 && o.max_cost > 0);
	/* the default grid search is bounded by the point limits, not a cost */
	assert_true(jp_search_cost(10, &o, 0, 1) == 0);
	o.reference = 1;
	o.select = JP_SELECT_BIC;
	/* k = 0: 1 fit of 10 * 2^2; k = 1: 6 fits of 10 * 3^2 */
	assert_true(jp_search_cost(10, &o, 0, 1) == 40 + 540);
	o.select = JP_SELECT_PERMUTATION;
	o.permutations = 9;
	/* every permutation of the one test refits them all: (1 + 9) times */
	assert_true(jp_search_cost(10, &o, 0, 1) == 5800);
	o.reference = 0;
	o.method = JP_HUDSON;
	o.permutations = 10;
	/* Hudson, 2 joinpoints: 2 searches x 10 permutations x 2 tests, 3^2 moves of 10 * 6^2 */
	assert_true(jp_search_cost(10, &o, 0, 2) == 2.0 * 20 * 9 * 10 * 36);

	/* refused (exit 2) when the estimate is over the limit */
	jp_options_init(&o);
	o.reference = 1;
	o.select = JP_SELECT_BIC;
	o.max_jp = 1;
	o.max_cost = 579;
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, y, 10, &o, NULL, &res, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
	assert_non_null(strstr(err.msg, "drop --exhaustive"));
	o.max_cost = 580;
	assert_int_equal(jp_analyze(x, y, 10, &o, NULL, &res, &err), 0);
	jp_result_release(&res);

	/* the point limits, for every selection */
	jp_options_init(&o);
	o.max_points = 9;
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, y, 10, &o, NULL, &res, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
	assert_non_null(strstr(err.msg, "10 points is more than the 9"));
	o.max_points = 0;	/* no limit */
	o.max_points_permutation = 9;
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, y, 10, &o, NULL, &res, &err), -1);
	assert_non_null(strstr(err.msg, "permutation test accepts"));
	o.select = JP_SELECT_BIC;
	assert_int_equal(jp_analyze(x, y, 10, &o, NULL, &res, &err), 0);
	jp_result_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nchs_data_briefs),
		cmocka_unit_test(test_criteria),
		cmocka_unit_test(test_nchs_permutation),
		cmocka_unit_test(test_exact_exponential),
		cmocka_unit_test(test_known_joinpoints),
		cmocka_unit_test(test_hudson),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_fast_equals_reference),
		cmocka_unit_test(test_fast_permutation_equals_reference),
		cmocka_unit_test(test_min_obs_and_defaults),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_aapc_one_segment),
		cmocka_unit_test(test_size_limits),
	};
	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

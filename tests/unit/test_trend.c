/*
** Unit tests of model_trend.c.  Expected values are hand-derived (closed
** forms below) or published; none is copied from the program's output.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "tocalc/model_trend.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static void test_exact_exponential(void **state)
{
	double x[10], y[10];
	struct trend_fit f;
	struct tc_err err;
	(void)state;

	/* y = 250 * 1.05^x: ln y is exactly linear with slope ln 1.05, APC 5% */
	for (int i = 0; i < 10; i++) {
		x[i] = 2000 + i;
		y[i] = 250 * pow(1.05, i);
	}
	tc_err_init(&err);
	assert_int_equal(trend_loglinear(x, y, 10, 0.95, &f, &err), 0);
	assert_true(fabs(f.apc - 5.0) < 1e-9);
	assert_true(fabs(f.slope - log(1.05)) < 1e-12);
	assert_true(f.sse < 1e-20);
	assert_true(fabs(f.apc_lower - 5.0) < 1e-6 && fabs(f.apc_upper - 5.0) < 1e-6);
	assert_int_equal(f.df, 8);
}

/*
** x = 1, 2, 3; ln y = 0, 1, 3.  By hand: slope 3/2, residuals 1/6, -1/3,
** 1/6, SSE 1/6, s^2 = 1/6 (1 df), se = sqrt(s^2 / Sxx) = sqrt(1/12),
** t = 3 sqrt 3.  With 1 df the t distribution is Cauchy: two-sided
** p = 1 - (2/pi) atan(t), and the 97.5% quantile is tan(0.475 pi).
*/
static void test_hand_derived(void **state)
{
	double x[3] = { 1, 2, 3 }, y[3] = { 1, M_E, exp(3) };
	double se = sqrt(1.0 / 12), q = tan(0.475 * M_PI);
	struct trend_fit f;
	struct tc_err err;
	(void)state;

	tc_err_init(&err);
	assert_int_equal(trend_loglinear(x, y, 3, 0.95, &f, &err), 0);
	assert_true(fabs(f.slope - 1.5) < 1e-12);
	assert_true(fabs(f.apc - 100 * (exp(1.5) - 1)) < 1e-9);
	assert_true(fabs(f.sse - 1.0 / 6) < 1e-12);
	assert_true(fabs(f.se_slope - se) < 1e-12);
	assert_true(fabs(f.t_stat - 3 * sqrt(3.0)) < 1e-9);
	assert_true(fabs(f.p_value - (1 - 2 / M_PI * atan(3 * sqrt(3.0)))) < 1e-9);
	assert_true(fabs(f.apc_lower - 100 * (exp(1.5 - q * se) - 1)) < 1e-6);
	assert_true(fabs(f.apc_upper - 100 * (exp(1.5 + q * se) - 1)) < 1e-6);
}

/* NCHS: the age-adjusted rate rose from 21.6 (2019) to 28.3 (2020), +31.0% (db491). */
static void test_pct_change_published(void **state)
{
	double pct;
	struct tc_err err;
	(void)state;

	tc_err_init(&err);
	assert_int_equal(trend_pct_change(21.6, 28.3, &pct, &err), 0);
	assert_true(fabs(pct - 31.0) < 0.05);
	/* VSRR (methods.md C, V1): 12 months ending Sep 2019 -> Sep 2020, reported
	 * 68,757 -> 87,203 is +26.8%; predicted 70,036 -> 90,237 is +28.8% */
	assert_int_equal(trend_pct_change(68757, 87203, &pct, &err), 0);
	assert_true(fabs(pct - 26.8) < 0.05);
	assert_true(fabs(pct - 26.83) < 0.005);
	assert_int_equal(trend_pct_change(70036, 90237, &pct, &err), 0);
	assert_true(fabs(pct - 28.8) < 0.05);
	/* Apr 2020 -> Apr 2021 predicted 78,056 -> 100,306: +28.5% */
	assert_int_equal(trend_pct_change(78056, 100306, &pct, &err), 0);
	assert_true(fabs(pct - 28.5) < 0.05);
	/* the claims: Jul 2023 -> Jul 2024 all drugs, predicted and reported */
	assert_int_equal(trend_pct_change(112911, 94823, &pct, &err), 0);
	assert_true(fabs(pct - -16.02) < 0.005);
	assert_int_equal(trend_pct_change(111382, 93190, &pct, &err), 0);
	assert_true(fabs(pct - -16.33) < 0.005);
	assert_int_equal(trend_pct_change(0, 5, &pct, &err), -1);
	assert_int_equal(trend_pct_change(NAN, 5, &pct, &err), -1);
}

static void test_bad_input(void **state)
{
	double x[4] = { 1, 2, 3, 4 }, y[4] = { 1, 2, 3, 4 };
	struct trend_fit f;
	struct tc_err err;
	(void)state;

	tc_err_init(&err);
	assert_int_equal(trend_loglinear(x, y, 2, 0.95, &f, &err), -1);
	y[2] = 0;
	assert_int_equal(trend_loglinear(x, y, 4, 0.95, &f, &err), -1);
	assert_non_null(strstr(err.msg, "x = 3"));
	y[2] = -1;
	assert_int_equal(trend_loglinear(x, y, 4, 0.95, &f, &err), -1);
	y[2] = NAN;
	assert_int_equal(trend_loglinear(x, y, 4, 0.95, &f, &err), -1);
	assert_non_null(strstr(err.msg, "missing"));
	y[2] = 3;
	x[1] = x[0] = x[2] = x[3] = 7;
	assert_int_equal(trend_loglinear(x, y, 4, 0.95, &f, &err), -1);
	x[0] = 1;
	x[1] = INFINITY;
	assert_int_equal(trend_loglinear(x, y, 4, 0.95, &f, &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_exponential),
		cmocka_unit_test(test_hand_derived),
		cmocka_unit_test(test_pct_change_published),
		cmocka_unit_test(test_bad_input),
	};
	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
** Unit tests of data_overdose.c on the fixtures in tests/data/overdose
** (synthetic numbers, see its README.md).  Run from the repository root.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "tocalc/data_overdose.h"

#define FIX "tests/data/overdose"

static void test_final_series(void **state)
{
	struct od_series s;
	struct tc_err err;
	size_t i;
	char buf[32];
	(void)state;

	tc_err_init(&err);
	assert_int_equal(od_load_final(&s, FIX, "all_drugs", OD_DEATHS, &err), 0);
	assert_int_equal(s.n, 6);
	/* the file lists 2012 before 2011: the series is sorted */
	for (i = 0; i < 6; i++)
		assert_int_equal(s.period[i], 2010 + (long)i);
	assert_true(s.y[1] == 1100 && s.y[2] == 1210);
	assert_string_equal(s.status[5], "final_wonder");
	assert_int_equal(od_find_period(&s, "2013", &i, &err), 0);
	assert_int_equal(i, 3);
	assert_string_equal(od_label(&s, i, buf), "2013");
	assert_int_equal(od_check_range(&s, 0, 5, 0, 1, &err), 0);
	/* malformed period: usage; absent period: data */
	assert_int_equal(od_find_period(&s, "2013-01", &i, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
	tc_err_init(&err);
	assert_int_equal(od_find_period(&s, "2030", &i, &err), -1);
	assert_int_equal(err.code, TC_EXIT_DATA);
	assert_non_null(strstr(err.msg, "2010 to 2015"));
	od_series_release(&s);

	/* the 2013 rate is missing: it stays missing and a range over it fails, naming it */
	tc_err_init(&err);
	assert_int_equal(od_load_final(&s, FIX, "all_drugs", OD_RATE, &err), 0);
	assert_true(isnan(s.y[3]));
	assert_int_equal(od_check_range(&s, 0, 2, 0, 1, &err), 0);
	assert_int_equal(od_check_range(&s, 2, 4, 0, 1, &err), -1);
	assert_non_null(strstr(err.msg, "2013"));
	assert_non_null(strstr(err.msg, "missing"));
	od_series_release(&s);

	tc_err_init(&err);
	assert_int_equal(od_load_final(&s, FIX, "heroin", OD_DEATHS, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
	od_series_release(&s);
}

static void test_vsrr_series(void **state)
{
	struct od_series s;
	struct tc_err err;
	size_t a, b;
	(void)state;

	tc_err_init(&err);
	assert_int_equal(od_load_vsrr(&s, FIX, "all_drugs", &err), 0);
	assert_int_equal(s.n, 24);
	assert_int_equal(s.axis, OD_MONTHS);
	assert_string_equal(s.vintage, "2021-01-10");
	assert_int_equal(od_find_period(&s, "2019-09", &a, &err), 0);
	assert_int_equal(od_find_period(&s, "2020-09", &b, &err), 0);
	assert_int_equal(b - a, 12);
	assert_true(s.y[a] == 68757 && s.y[b] == 87203);
	assert_true(s.y2[a] == 70036 && s.y2[b] == 90237);
	/* x is in years: month m of year Y at Y + (m - 1) / 12 */
	assert_true(fabs(s.x[a] - (2019 + 8.0 / 12)) < 1e-12);
	/* Dec 2019 predicted is missing: reported fine, predicted fails */
	assert_int_equal(od_check_range(&s, 0, 23, 0, 1, &err), 0);
	assert_int_equal(od_check_range(&s, 0, 23, 1, 1, &err), -1);
	assert_non_null(strstr(err.msg, "2019-12"));
	assert_non_null(strstr(err.msg, "predicted"));
	assert_int_equal(od_find_period(&s, "2019", &a, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
	od_series_release(&s);
	/* the fixture has no synthetic_opioids rows */
	tc_err_init(&err);
	assert_int_equal(od_load_vsrr(&s, FIX, "synthetic_opioids", &err), -1);
	od_series_release(&s);
}

static void test_user_files(void **state)
{
	struct od_series s;
	struct tc_err err;
	size_t i;
	(void)state;

	tc_err_init(&err);
	assert_int_equal(od_load_file(&s, FIX "/series_ok.csv", "year", "value", 0, &err), 0);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.axis, OD_NUMBERS);
	assert_true(s.x[4] == 2005 && s.y[4] == 160);
	assert_int_equal(od_find_period(&s, "2003", &i, &err), 0);
	assert_int_equal(i, 2);
	od_series_release(&s);

	assert_int_equal(od_load_file(&s, FIX "/series_months.csv", "month", "count", 0, &err), 0);
	assert_int_equal(s.axis, OD_MONTHS);
	assert_true(fabs(s.y[3] - 133.1) < 1e-12);
	od_series_release(&s);

	/* errors name the line */
	assert_int_equal(od_load_file(&s, FIX "/series_unsorted.csv", "year", "value", 0, &err), -1);
	assert_non_null(strstr(err.msg, ":4:"));
	assert_non_null(strstr(err.msg, "sorted"));
	assert_int_equal(od_load_file(&s, FIX "/series_duplicate.csv", "year", "value", 0, &err), -1);
	assert_non_null(strstr(err.msg, "duplicate"));
	assert_int_equal(od_load_file(&s, FIX "/series_gap.csv", "year", "value", 0, &err), -1);
	assert_non_null(strstr(err.msg, "gap"));
	assert_int_equal(od_load_file(&s, FIX "/series_gap.csv", "year", "value", 1, &err), 0);
	od_series_release(&s);
	assert_int_equal(od_load_file(&s, FIX "/series_month_gap.csv", "month", "value", 0, &err), -1);
	assert_non_null(strstr(err.msg, "2020-02 is followed by 2020-04"));
	assert_int_equal(od_load_file(&s, FIX "/series_text.csv", "year", "value", 0, &err), -1);
	assert_int_equal(od_load_file(&s, FIX "/series_ok.csv", "year", "nope", 0, &err), -1);
	tc_err_init(&err);
	assert_int_equal(od_load_file(&s, FIX "/series_ok.csv", "year", "year", 0, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);

	/* a zero is data (fine for sums) but not for a log model */
	assert_int_equal(od_load_file(&s, FIX "/series_zero.csv", "year", "value", 0, &err), 0);
	assert_int_equal(od_check_range(&s, 0, 3, 0, 0, &err), 0);
	assert_int_equal(od_check_range(&s, 0, 3, 0, 1, &err), -1);
	assert_non_null(strstr(err.msg, "2002"));
	od_series_release(&s);
	assert_int_equal(od_load_file(&s, FIX "/series_missing.csv", "year", "value", 0, &err), 0);
	assert_true(isnan(s.y[1]));
	assert_int_equal(od_check_range(&s, 0, 3, 0, 0, &err), -1);
	assert_non_null(strstr(err.msg, "2002"));
	od_series_release(&s);
}

static void test_date_x(void **state)
{
	(void)state;
	/* 1 May 2019 is day 121 of 365: 2019 + 120/365 */
	assert_true(fabs(od_date_x(20190501) - (2019 + 120.0 / 365)) < 1e-12);
	assert_true(od_date_x(20200101) == 2020.0);
	/* 2020 is a leap year: 1 Mar is day 61 of 366 */
	assert_true(fabs(od_date_x(20200301) - (2020 + 60.0 / 366)) < 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_final_series),
		cmocka_unit_test(test_vsrr_series),
		cmocka_unit_test(test_user_files),
		cmocka_unit_test(test_date_x),
	};
	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

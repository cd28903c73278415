/*
** Unit tests of the rules that have one home in util.c (issue 17 item 4):
** the calendar and the decimal year.  Expected values are hand-derived
** (day of year counted on a calendar; Python's datetime agrees:
** date(2020,7,2).timetuple().tm_yday - 1 == 183).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "tocalc/common.h"

static void test_calendar(void **state)
{
	(void)state;
	assert_int_equal(tc_is_leap(2024), 1);
	assert_int_equal(tc_is_leap(2023), 0);
	assert_int_equal(tc_is_leap(1900), 0);	/* century */
	assert_int_equal(tc_is_leap(2000), 1);	/* 400 years */
	assert_int_equal(tc_days_in_month(2024, 2), 29);
	assert_int_equal(tc_days_in_month(2023, 2), 28);
	assert_int_equal(tc_days_in_month(2100, 2), 28);
	assert_int_equal(tc_days_in_month(2023, 4), 30);
	assert_int_equal(tc_days_in_month(2023, 12), 31);
	assert_int_equal(tc_days_in_month(2023, 0), 0);
	assert_int_equal(tc_days_in_month(2023, 13), 0);
}

static void test_decimal_year(void **state)
{
	(void)state;
	/* 1 January is the year itself */
	assert_true(tc_year_of_date(20230101, 0.0) == 2023.0);
	/* 2020-07-02: 183 days after 1 January of a 366-day year */
	assert_true(tc_year_of_date(20200702, 0.0) == 2020.0 + 183.0 / 366.0);
	assert_true(tc_year_of_date(20200702, 0.5) == 2020.0 + 183.5 / 366.0);
	/* 2021-12-31: day 364 of 365; 2024-03-01: 31 + 29 = 60 days in */
	assert_true(tc_year_of_date(20211231, 0.0) == 2021.0 + 364.0 / 365.0);
	assert_true(tc_year_of_date(20240301, 0.0) == 2024.0 + 60.0 / 366.0);
	assert_true(tc_year_of_date(20230301, 0.0) == 2023.0 + 59.0 / 365.0);
	/* months: July starts at the half year, January at the year */
	assert_true(tc_year_of_month(202007) == 2020.5);
	assert_true(tc_year_of_month(202001) == 2020.0);
	assert_true(tc_year_of_month(202012) == 2020.0 + 11.0 / 12.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_decimal_year),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

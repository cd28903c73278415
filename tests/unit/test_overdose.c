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
#include "tocalc/run_overdose.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

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

/*
** The run layer's selection (issue 15: --state and --indicator reach every
** overdose analysis and figure): a kept vintage with two jurisdictions and
** two drug classes, synthetic counts chosen so that each series is told
** apart; Ohio's heroin count grows 100 -> 110 -> 121 (+21 % by hand).
*/
static void write_vintage(const char *dir)
{
	static const char *const rows[] = {
		"2019-01,US,all_drugs,70000,71000", "2019-02,US,all_drugs,70500,71500",
		"2019-03,US,all_drugs,71000,72000", "2019-01,OH,all_drugs,4000,4100",
		"2019-02,OH,all_drugs,4200,4300", "2019-03,OH,all_drugs,4410,4500",
		"2019-01,OH,heroin,100,105", "2019-02,OH,heroin,110,115", "2019-03,OH,heroin,121,126",
	};
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/vsrr", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/vsrr/2020-01-15.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("period,state,indicator,reported,predicted,data_status,percent_complete,percent_pending,"
	      "vintage,source\n", f);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		fprintf(f, "%s,provisional_complete,100,0,2020-01-15,cdc-vsrr\n", rows[i]);
	fclose(f);
}

static void test_run_selection(void **state)
{
	char dir[] = "/tmp/tocalc_test_run_XXXXXX", path[512];
	struct run_od_series_opts so;
	struct run_od_series rs;
	struct run_od_opts o;
	struct run_od_result r;
	struct tc_err err;
	(void)state;

	assert_non_null(mkdtemp(dir));
	write_vintage(dir);
	tc_err_init(&err);

	run_od_series_opts_init(&so);
	so.data_dir = dir;
	so.sel.state = "OH";
	assert_int_equal(run_overdose_series(&so, &rs, &err), 0);
	assert_int_equal(rs.s.n, 3);
	assert_string_equal(rs.s.state, "OH");
	assert_true(rs.s.y[0] == 4000 && rs.s.y[2] == 4410 && rs.s.y2[2] == 4500);
	assert_true(rs.i0 == 0 && rs.i1 == 2);
	run_od_series_release(&rs);

	so.sel.indicator = "heroin";
	so.from = "2019-02";
	assert_int_equal(run_overdose_series(&so, &rs, &err), 0);
	assert_true(rs.s.y[0] == 100 && rs.i0 == 1 && rs.i1 == 2);
	run_od_series_release(&rs);

	/* the same selection through the whole analysis: the change in percent */
	run_od_opts_init(&o);
	o.kind = RUN_OD_CHANGE;
	o.ser.data_dir = dir;
	o.ser.what = "change";
	o.ser.sel.state = "OH";
	o.ser.sel.indicator = "heroin";
	o.ser.from = "2019-01";
	o.ser.to = "2019-03";
	o.ser.range_required = o.ser.range_distinct = 1;
	assert_int_equal(run_overdose(&o, &r, &err), 0);
	assert_int_equal(r.nbasis, 2);
	assert_true(fabs(r.pct[0] - 21.0) < 1e-9);		/* 121 / 100 - 1 */
	assert_true(fabs(r.pct[1] - 20.0) < 1e-9);		/* 126 / 105 - 1 */
	run_od_result_release(&r);

	/* a selection the vintage does not hold is exit 1, told apart (OD_NO_ROWS); a file with --state is usage */
	so.sel.state = "WV";
	assert_int_equal(run_overdose_series(&so, &rs, &err), OD_NO_ROWS);
	assert_int_equal(err.code, TC_EXIT_DATA);
	so.sel.state = "OH";
	so.file = "x.csv";
	so.xcol = so.ycol = "x";
	assert_int_equal(run_overdose_series(&so, &rs, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);

	snprintf(path, sizeof(path), "%s/vsrr/2020-01-15.csv", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/vsrr", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_final_series),
		cmocka_unit_test(test_vsrr_series),
		cmocka_unit_test(test_user_files),
		cmocka_unit_test(test_date_x),
		cmocka_unit_test(test_run_selection),
	};
	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

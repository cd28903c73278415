/*
** Invariants of the shipped datasets, checked against figures published
** by NCHS and CDC (as quoted in ../shared/reference/overdose-figures*.md),
** and structural rules (coverage, no zero standing for a missing value).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "tocalc/datasets.h"

#ifndef DATA_DIR
#define DATA_DIR "datasets"
#endif

static double annual(const struct tcsv_table *t, long year, const char *series, int col)
{
	for (size_t i = 0; i < t->nrows; i++)
		if ((long)t->cols[OA_YEAR].num[i] == year &&
		    !strcmp(t->cols[OA_SERIES].text[i], series))
			return t->cols[col].num[i];
	return -1;
}

static double vsrr(const struct tcsv_table *t, long yyyymm, const char *series, int col)
{
	for (size_t i = 0; i < t->nrows; i++)
		if ((long)t->cols[O12_PERIOD].num[i] == yyyymm &&
		    !strcmp(t->cols[O12_SERIES].text[i], series))
			return t->cols[col].num[i];
	return -1;
}

static void test_overdose_annual(void **state)
{
	struct tcsv_table t;
	struct tc_err err;
	(void)state;

	assert_int_equal(dataset_load(&t, DATA_DIR, "overdose_annual", &err), 0);
	/* NCHS Data Brief 491: 107,941 deaths in 2022, rate 32.6 */
	assert_true(annual(&t, 2022, "all_drugs", OA_DEATHS) == 107941);
	assert_true(fabs(annual(&t, 2022, "all_drugs", OA_RATE) - 32.6) < 1e-9);
	/* DB 457: 106,699 in 2021; DB 522: 105,007 and 31.3 in 2023 */
	assert_true(annual(&t, 2021, "all_drugs", OA_DEATHS) == 106699);
	assert_true(annual(&t, 2023, "all_drugs", OA_DEATHS) == 105007);
	assert_true(fabs(annual(&t, 2023, "all_drugs", OA_RATE) - 31.3) < 1e-9);
	/* CDC WONDER (A): 16,849 deaths and rate 6.1 in 1999 */
	assert_true(annual(&t, 1999, "all_drugs", OA_DEATHS) == 16849);
	assert_true(fabs(annual(&t, 1999, "all_drugs", OA_RATE) - 6.1) < 1e-9);
	/* synthetic opioids: 73,838 (2022) rate 22.7 (DB 491); 36,359 (2019, MMWR 70(6)) */
	assert_true(annual(&t, 2022, "synthetic_opioids", OA_DEATHS) == 73838);
	assert_true(fabs(annual(&t, 2022, "synthetic_opioids", OA_RATE) - 22.7) < 1e-9);
	assert_true(annual(&t, 2019, "synthetic_opioids", OA_DEATHS) == 36359);
	/* 2024: final WONDER counts, marked as such */
	for (size_t i = 0; i < t.nrows; i++) {
		long y = (long)t.cols[OA_YEAR].num[i];
		assert_true(y >= 1999 && y <= 2024);
		assert_string_equal(t.cols[OA_STATUS].text[i], y == 2024 ? "final_wonder" : "final");
		/* a count is never 0: missing stays missing */
		assert_true(t.cols[OA_DEATHS].missing[i] || t.cols[OA_DEATHS].num[i] > 0);
		assert_true(t.cols[OA_RATE].missing[i] || t.cols[OA_RATE].num[i] > 0);
	}
	assert_int_equal(t.nrows, 2 * (2024 - 1999 + 1));
	tcsv_table_release(&t);
}

static void test_overdose_12mo(void **state)
{
	struct tcsv_table t;
	struct tc_err err;
	(void)state;

	assert_int_equal(dataset_load(&t, DATA_DIR, "overdose_12mo", &err), 0);
	/* 129 months (Jan 2015 - Sep 2025) for each of the two indicators */
	assert_int_equal(t.nrows, 258);
	/* overdose-figures.md section 2, snapshot of 2026-02-14 */
	assert_true(vsrr(&t, 202412, "all_drugs", O12_REPORTED) == 80856);
	assert_true(vsrr(&t, 202412, "all_drugs", O12_PREDICTED) == 81711);
	assert_true(vsrr(&t, 202307, "all_drugs", O12_PREDICTED) == 112911);
	assert_true(vsrr(&t, 202509, "synthetic_opioids", O12_REPORTED) == 38409);
	assert_true(vsrr(&t, 202509, "synthetic_opioids", O12_PREDICTED) == 40122);
	assert_true(vsrr(&t, 202212, "synthetic_opioids", O12_REPORTED) == 74829);
	for (size_t i = 0; i < t.nrows; i++) {
		assert_string_equal(t.cols[O12_VINTAGE].text[i], "2026-02-14");
		/* CDC "**" (year closed, still a provisional count) up to 2023, "*" (underreported) from 2024 */
		assert_string_equal(t.cols[O12_DATA_STATUS].text[i],
				    t.cols[O12_PERIOD].num[i] < 202401 ? "provisional_complete" : "provisional");
	}
	tcsv_table_release(&t);
}

static void test_every_dataset_valid(void **state)
{
	size_t n;
	const struct dataset_info *all = datasets_all(&n);
	struct tcsv_table sources;
	struct tc_err err;
	(void)state;

	assert_int_equal(dataset_load(&sources, DATA_DIR, "sources", &err), 0);
	for (size_t i = 0; i < n; i++) {
		struct tcsv_table t;
		if (dataset_load(&t, DATA_DIR, all[i].name, &err))
			fail_msg("%s: %s", all[i].name, err.msg);
		if (dataset_check(&all[i], &t, &sources, &err))
			fail_msg("%s: %s", all[i].name, err.msg);
		tcsv_table_release(&t);
	}
	tcsv_table_release(&sources);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overdose_annual),
		cmocka_unit_test(test_overdose_12mo),
		cmocka_unit_test(test_every_dataset_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

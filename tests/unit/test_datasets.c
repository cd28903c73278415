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
#include <stdlib.h>
#include <string.h>

#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/data_overdose.h"
#include "tocalc/data_vsrr.h"

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

/*
** The importer on the older layout (no Period, no Footnote Symbol or Predicted
** Value, jurisdiction in State Name, BOM, "99+"): values as written below.
*/
static const char old_layout[] =
	"\xef\xbb\xbfState Name,Year,Month,Indicator,Data Value,Percent Complete,Footnote\n"
	"US,2015,January,Number of Drug Overdose Deaths,\"47,523\",100,\n"
	"US,2015,February,Number of Drug Overdose Deaths,47725,99+,*Likely underreported due to incomplete data\n"
	"US,2015,January,Heroin (T40.1),\"10,000\",100,\n"
	"US,2015,February,Heroin (T40.1),10100,100,\n"
	"OH,2015,January,Number of Drug Overdose Deaths,3000,100,\n"
	"OH,2015,February,Number of Drug Overdose Deaths,3050,100,\n";

static void test_vsrr_old_layout(void **state)
{
	struct vsrr_request req;
	struct vsrr_import imp;
	struct tc_err err;
	(void)state;

	/* --state US: every indicator of the US, all_drugs required */
	memset(&req, 0, sizeof(req));
	req.states = (const char *const[]){ "US" };
	req.nstates = 1;
	req.vintage = 20150301;
	tc_err_init(&err);
	if (vsrr_import_buffer("old.csv", old_layout, sizeof(old_layout) - 1, &req, &imp, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(imp.n, 4);
	assert_int_equal(imp.nstates, 1);
	assert_int_equal(imp.nind, 2);
	assert_int_equal(imp.first, 201501);
	assert_int_equal(imp.last, 201502);
	/* sorted by state, indicator (all_drugs < heroin), period */
	assert_string_equal(imp.indicators[imp.rows[0].indicator], "all_drugs");
	assert_true(imp.rows[0].reported == 47523 && isnan(imp.rows[0].predicted));
	assert_true(imp.rows[1].reported == 47725 && imp.rows[1].underreported);
	assert_string_equal(imp.rows[1].complete, "99+");
	assert_string_equal(imp.indicators[imp.rows[2].indicator], "heroin");
	assert_true(imp.rows[2].reported == 10000);
	vsrr_import_release(&imp);

	/* the default request needs synthetic opioids: refused, naming it */
	req.states = NULL;
	req.nstates = 0;
	assert_int_equal(vsrr_import_buffer("old.csv", old_layout, sizeof(old_layout) - 1, &req, &imp,
					    &err), -1);
	assert_non_null(strstr(err.msg, "no rows for indicator 'synthetic_opioids'"));

	/* a vintage on the last day of the latest data month is too early */
	req.states = (const char *const[]){ "OH" };
	req.nstates = 1;
	req.vintage = 20150228;
	assert_int_equal(vsrr_import_buffer("old.csv", old_layout, sizeof(old_layout) - 1, &req, &imp,
					    &err), -1);
	assert_non_null(strstr(err.msg, "vintage 2015-02-28 is earlier than the data"));
}

static void test_vsrr_names(void **state)
{
	(void)state;
	assert_string_equal(vsrr_short_name("Psychostimulants with abuse potential (T43.6)"),
			    "psychostimulants");
	assert_string_equal(vsrr_cdc_name("natural_semisynthetic"), "Natural & semi-synthetic opioids (T40.2)");
	assert_null(vsrr_short_name("Fentanyl"));
	for (size_t i = 0; vsrr_short_names[i]; i++)
		assert_non_null(vsrr_cdc_name(vsrr_short_names[i]));
}

/* The shipped vintages load, and May 2017 is what the three raw downloads say. */
static void test_vsrr_vintages(void **state)
{
	struct od_series s;
	struct od_select sel;
	struct tc_err err;
	size_t nv, i;
	char **vs = vsrr_list_vintages(DATA_DIR, &nv);
	static const double may2017[] = { 66324, 68370, 68370 };	/* 2017, 2019, 2026 downloads */
	(void)state;

	assert_int_equal(nv, 3);
	for (size_t k = 0; k < nv; k++) {
		od_select_init(&sel);
		sel.vintage = vs[k];
		tc_err_init(&err);
		if (od_load_vsrr_sel(&s, DATA_DIR, &sel, &err))
			fail_msg("%s", err.msg);
		assert_int_equal(od_find_period(&s, "2017-05", &i, &err), 0);
		assert_true(s.y[i] == may2017[k]);
		od_series_release(&s);
		free(vs[k]);
	}
	free(vs);
}

/* The caption text names exactly the years whose count has no primary source. */
static void test_secondary_note(void **state)
{
	char buf[1024];
	struct tc_err err;

	char *all, *semi;
	(void)state;

	tc_err_init(&err);
	assert_int_equal(od_secondary_note(DATA_DIR, buf, sizeof(buf), &err), 0);
	/* all drugs: 2001, 2002, 2006 and 2009 rest on the Wikipedia mirror alone (their notes
	   say so); 2012 has the NCHS Health E-Stat and 2017-2023 NCHS Data Briefs */
	all = strstr(buf, "all_drugs ");
	assert_non_null(all);
	semi = strchr(all, ';');
	if (semi)
		*semi = '\0';
	for (const char *y = "2001\0" "2002\0" "2006\0" "2009\0"; *y; y += 5)
		assert_non_null(strstr(all, y));
	for (const char *y = "2012\0" "2017\0" "2018\0" "2019\0" "2020\0" "2021\0" "2022\0" "2023\0"; *y; y += 5)
		assert_null(strstr(all, y));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overdose_annual),
		cmocka_unit_test(test_overdose_12mo),
		cmocka_unit_test(test_every_dataset_valid),
		cmocka_unit_test(test_vsrr_old_layout),
		cmocka_unit_test(test_vsrr_names),
		cmocka_unit_test(test_vsrr_vintages),
		cmocka_unit_test(test_secondary_note),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

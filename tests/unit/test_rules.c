/*
** Unit tests of the rules that have one home in util.c (issue 17 item 4):
** the calendar and the decimal year, strict UTF-8, the string buffer, the dataset summary,
** the net-welfare and cost-per-household totals rule; and the one
** subcommand dispatcher (cmd_dispatch.c).  Expected values are hand-derived
** (day of year counted on a calendar; Python's datetime agrees:
** date(2020,7,2).timetuple().tm_yday - 1 == 183).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tocalc/cmd.h"
#include "tocalc/util.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"

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

/* Code points from the Unicode charts: U+00E9, U+20AC, U+1F600. */
static void test_utf8(void **state)
{
	static const struct { const char *s; size_t len; unsigned long cp; } good[] = {
		{ "A", 1, 0x41 }, { "\xc3\xa9", 2, 0xE9 }, { "\xe2\x82\xac", 3, 0x20AC },
		{ "\xf0\x9f\x98\x80", 4, 0x1F600 }, { "\xf4\x8f\xbf\xbf", 4, 0x10FFFF },
	};
	static const char *const bad[] = {
		"\x80", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80",
		"\xf0\x80\x80\xaf", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\xe2\x82", "\xff",
	};
	int ctrl = -1;
	(void)state;

	for (size_t i = 0; i < TC_ARRAY_SIZE(good); i++) {
		unsigned long cp = 0;
		assert_int_equal(tc_utf8_len((const unsigned char *)good[i].s, strlen(good[i].s), &cp),
				 good[i].len);
		assert_int_equal(cp, good[i].cp);
	}
	for (size_t i = 0; i < TC_ARRAY_SIZE(bad); i++)
		if (tc_utf8_len((const unsigned char *)bad[i], strlen(bad[i]), NULL) != 0)
			fail_msg("bad case %zu accepted", i);
	/* text: tab is text; C0, DEL and C1 are control characters */
	assert_int_equal(tc_utf8_text("caf\xc3\xa9\tx", 7, &ctrl), 7);
	assert_int_equal(tc_utf8_text("ab\x01", 3, &ctrl), 2);
	assert_int_equal(ctrl, 1);
	assert_int_equal(tc_utf8_text("ab\x7f", 3, &ctrl), 2);
	assert_int_equal(ctrl, 1);
	assert_int_equal(tc_utf8_text("a\xc2\x85", 3, &ctrl), 1);	/* U+0085 NEL */
	assert_int_equal(ctrl, 1);
	assert_int_equal(tc_utf8_text("a\xed\xa0\x80", 4, &ctrl), 1);	/* a surrogate */
	assert_int_equal(ctrl, 0);
	assert_int_equal(tc_utf8_text("a\0b", 3, NULL), 1);
}

/* The scenario parser uses the one text rule (it let these through before). */
static void test_scenario_utf8(void **state)
{
	static const char *const bad[] = {
		"tocalc-scenario 1\ntitle \xed\xa0\x80\n",	/* surrogate U+D800 */
		"tocalc-scenario 1\ntitle \xe0\x80\xaf\n",	/* overlong '/' */
		"tocalc-scenario 1\ntitle \xf4\x90\x80\x80\n",	/* beyond U+10FFFF */
		"tocalc-scenario 1\ntitle a\xc2\x85" "b\n",	/* C1 control NEL */
	};
	(void)state;

	for (size_t i = 0; i < TC_ARRAY_SIZE(bad); i++) {
		struct scenario sc;
		struct tc_err err;
		tc_err_init(&err);
		if (scenario_parse_buffer(&sc, "t.scn", bad[i], strlen(bad[i]), &err) != -1) {
			scenario_release(&sc);
			fail_msg("case %zu parsed", i);
		}
		if (!strstr(err.msg, "t.scn:2:") || !strstr(err.msg, "UTF-8"))
			fail_msg("case %zu: message '%s'", i, err.msg);
	}
}

static void test_strbuf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char want[400];
	size_t len = 0;
	char *s;
	(void)state;

	s = strbuf_detach(&sb, &len);	/* never NULL */
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	strbuf_puts(&sb, "ab");
	strbuf_add(&sb, "cdef", 2);
	strbuf_addf(&sb, "-%d-%s", 42, "x");
	assert_string_equal(sb.buf, "abcd-42-x");
	/* past the 256-byte fast path */
	memset(want, 'y', 300);
	want[300] = '\0';
	strbuf_addf(&sb, "%s", want);
	assert_int_equal(sb.len, 9 + 300);
	s = strbuf_detach(&sb, &len);
	assert_int_equal(len, 309);
	assert_int_equal(strlen(s), 309);
	assert_memory_equal(s, "abcd-42-x", 9);
	assert_null(sb.buf);
	free(s);
	strbuf_puts(&sb, "z");
	strbuf_release(&sb);
	assert_null(sb.buf);
}

/*
** The dataset summary of `data list`, `--version` and the report: rows
** copied from datasets/, out of order, so first and last are by value.
*/
static void test_dataset_summary(void **state)
{
	static const char annual[] =
		"year,series,deaths,rate,status,deaths_source,rate_source,note\n"
		"2023,all_drugs,105007,31.3,final,nchs-db522,nchs-db522,\n"
		"2024,all_drugs,79384,23.1,final_wonder,cdc-wonder-d157-2026-10,drugfree-2024-annual,\n"
		"2003,all_drugs,25785,8.9,final,nchs-jx6g-fdh6,nchs-jx6g-fdh6,\n";
	static const char m12[] =
		"period,series,reported,predicted,data_status,percent_complete,percent_pending,vintage,source\n"
		"2024-02,all_drugs,104358,105617,provisional,100,0.16913707651,2026-02-14,cdc-vsrr\n"
		"2024-01,all_drugs,105521,106903,provisional,100,0.16984579019,2026-02-14,cdc-vsrr\n"
		"2015-01,all_drugs,47523,48060,provisional_complete,100,0.14317835599,2026-02-14,cdc-vsrr\n";
	struct tcsv_table t;
	struct tc_err err;
	char first[64], last[64], v[160];
	(void)state;

	tc_err_init(&err);
	assert_int_equal(tcsv_load_buffer(&t, "a.csv", annual, strlen(annual), &schema_overdose_annual, &err), 0);
	dataset_period(dataset_find("overdose_annual"), &t, first, last, sizeof(first));
	assert_string_equal(first, "2003");
	assert_string_equal(last, "2024");
	dataset_vintage(dataset_find("overdose_annual"), &t, v, sizeof(v));
	assert_string_equal(v, "vintage: final NCHS 2003-2023, final CDC WONDER 2024");
	tcsv_table_release(&t);

	assert_int_equal(tcsv_load_buffer(&t, "m.csv", m12, strlen(m12), &schema_overdose_12mo, &err), 0);
	dataset_period(dataset_find("overdose_12mo"), &t, first, last, sizeof(first));
	assert_string_equal(first, "2015-01");
	assert_string_equal(last, "2024-02");
	dataset_vintage(dataset_find("overdose_12mo"), &t, v, sizeof(v));
	assert_string_equal(v, "vintage 2026-02-14 (CDC VSRR download), provisional from 2024-01");
	tcsv_table_release(&t);

	/* no period column: nothing */
	dataset_period(dataset_find("sources"), &t, first, last, sizeof(first));
	assert_string_equal(first, "");
}

/* The totals rule, by hand: dCS -50, dRev +30 (USD million), 2 million households. */
static void test_totals_rule(void **state)
{
	struct tariff_totals T;
	(void)state;

	memset(&T, 0, sizeof(T));
	T.dcs = -50;
	T.drev = 30;
	tariff_totals_welfare(&T, 2e6);
	assert_true(T.net_welfare == -20);
	assert_true(T.cost_per_household == 25);	/* 50e6 USD / 2e6 */
	tariff_totals_welfare(&T, NAN);	/* households missing */
	assert_true(isnan(T.cost_per_household));
	assert_true(T.net_welfare == -20);
}

/* The subcommand dispatcher: the entry named argv[0] runs with the options. */
static int sub_a(int argc, char **argv, struct tc_ctx *ctx, void *opts)
{
	(void)argv;
	(void)ctx;
	return 10 + argc + *(int *)opts;
}

static void test_subcommands(void **state)
{
	static const struct tc_subcommand subs[] = {
		{ "alpha", sub_a, "first" },
		{ "beta", sub_a, "second" },
		{ NULL, NULL, NULL },
	};
	char a0[] = "beta", a1[] = "x", bad[] = "gamma";
	char *argv[] = { a0, a1 }, *argv_bad[] = { bad };
	struct tc_ctx ctx;
	int opt = 100;
	(void)state;

	memset(&ctx, 0, sizeof(ctx));
	assert_int_equal(tc_subcommand_run("t", subs, 2, argv, &ctx, &opt), 112);
	assert_ptr_equal(tc_subcommand_find(subs, "alpha"), &subs[0]);
	assert_null(tc_subcommand_find(subs, "alph"));
	assert_int_equal(tc_subcommand_run("t", subs, 1, argv_bad, &ctx, &opt), TC_EXIT_USAGE);
	assert_int_equal(tc_subcommand_run("t", subs, 0, argv, &ctx, &opt), TC_EXIT_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_decimal_year),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_scenario_utf8),
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_dataset_summary),
		cmocka_unit_test(test_totals_rule),
		cmocka_unit_test(test_subcommands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

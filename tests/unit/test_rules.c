/*
** Unit tests of the rules that have one home in util.c (issue 17 item 4):
** the calendar and the decimal year, strict UTF-8, the string buffer.  Expected values are hand-derived
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

#include "tocalc/common.h"
#include "tocalc/tariffs.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_decimal_year),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_scenario_utf8),
		cmocka_unit_test(test_strbuf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

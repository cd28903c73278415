/* Unit tests of util.c (strict parsing, dates, atomic files) and out.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tocalc/common.h"
#include "tocalc/out.h"

static void test_parse_double(void **state)
{
	double v;
	(void)state;
	assert_int_equal(tc_parse_double("1.5", &v), 0);
	assert_true(v == 1.5);
	assert_int_equal(tc_parse_double("-2e3", &v), 0);
	assert_true(v == -2000.0);
	assert_int_equal(tc_parse_double("4.9e-324", &v), 0);	/* a denormal is finite */
	assert_int_equal(tc_parse_double("nan", &v), -1);
	assert_int_equal(tc_parse_double("inf", &v), -1);
	assert_int_equal(tc_parse_double("1e309", &v), -1);
	assert_int_equal(tc_parse_double("0x10", &v), -1);
	assert_int_equal(tc_parse_double(" 1", &v), -1);
	assert_int_equal(tc_parse_double("1 ", &v), -1);
	assert_int_equal(tc_parse_double("", &v), -1);
	assert_int_equal(tc_parse_double("1,5", &v), -1);
	assert_int_equal(tc_parse_double("12abc", &v), -1);
}

static void test_parse_long(void **state)
{
	long v;
	(void)state;
	assert_int_equal(tc_parse_long("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(tc_parse_long("4.2", &v), -1);
	assert_int_equal(tc_parse_long("99999999999999999999999", &v), -1);
}

static void test_dates(void **state)
{
	long d;
	char buf[16];
	(void)state;
	assert_int_equal(tc_parse_date("2026-02-20", &d), 0);
	assert_int_equal(d, 20260220);
	assert_string_equal(tc_format_date(d, buf), "2026-02-20");
	assert_int_equal(tc_parse_date("2024-02-29", &d), 0);	/* leap year */
	assert_int_equal(tc_parse_date("2023-02-29", &d), -1);
	assert_int_equal(tc_parse_date("1900-02-29", &d), -1);	/* century rule */
	assert_int_equal(tc_parse_date("2000-02-29", &d), 0);	/* 400-year rule */
	assert_int_equal(tc_parse_date("2023-13-01", &d), -1);
	assert_int_equal(tc_parse_date("2023-1-01", &d), -1);
	assert_int_equal(tc_parse_date("1899-12-31", &d), -1);
	assert_int_equal(tc_parse_month("2025-09", &d), 0);
	assert_int_equal(d, 202509);
	assert_int_equal(tc_parse_month("2025-00", &d), -1);
	/* month index arithmetic: Dec 2024 + 1 = Jan 2025 */
	assert_int_equal(tc_month_from_index(tc_month_index(202412) + 1), 202501);
	assert_int_equal(tc_month_index(202509) - tc_month_index(201501), 128);
}

static void test_atomic(void **state)
{
	char dir[] = "/tmp/tocalc-test-XXXXXX";
	char path[256];
	struct tc_atomic_file af;
	struct tc_err err;
	FILE *fp;
	char line[32];
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	fp = fopen(path, "w");
	fputs("old\n", fp);
	fclose(fp);
	/* abort leaves the old file alone */
	assert_int_equal(tc_atomic_open(&af, path, &err), 0);
	fputs("new\n", af.fp);
	tc_atomic_abort(&af);
	fp = fopen(path, "r");
	assert_non_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	assert_string_equal(line, "old\n");
	/* commit replaces it */
	assert_int_equal(tc_atomic_open(&af, path, &err), 0);
	fputs("new\n", af.fp);
	assert_int_equal(tc_atomic_commit(&af, &err), 0);
	fp = fopen(path, "r");
	assert_non_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	assert_string_equal(line, "new\n");
	/* a directory is not an output file */
	assert_int_equal(tc_atomic_open(&af, dir, &err), -1);
	unlink(path);
	rmdir(dir);
}

static char *render(struct out_doc *d, enum out_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct tc_err err;
	assert_int_equal(out_doc_write(d, f, fp, &err), 0);
	fclose(fp);
	return buf;
}

static void test_out(void **state)
{
	struct out_doc *d = out_doc_new("test");
	struct out_table *t = out_table_add(d, "rows", NULL);
	char *s;
	(void)state;

	out_meta_str(d, "vintage", "2026-02-14");
	out_col(t, "name", "name");
	out_col(t, "value", "value");
	out_row(t);
	out_str(t, "a \"quoted\", comma\nline");
	out_num(t, 107941.0, 0);
	out_row(t);
	out_str(t, "missing");
	out_num(t, NAN, 2);
	out_row(t);
	out_str(t, "neg zero");
	out_num(t, -0.0001, 2);

	s = render(d, OUT_CSV);
	assert_string_equal(s, "name,value\n\"a \"\"quoted\"\", comma\nline\",107941\nmissing,\nneg zero,0.00\n");
	free(s);
	s = render(d, OUT_JSON);
	assert_non_null(strstr(s, "\"value\": null"));
	assert_non_null(strstr(s, "\"name\": \"a \\\"quoted\\\", comma\\nline\""));
	assert_non_null(strstr(s, "\"vintage\": \"2026-02-14\""));
	free(s);
	s = render(d, OUT_TABLE);
	assert_non_null(strstr(s, "107,941"));	/* grouped for people */
	assert_non_null(strstr(s, "-\nneg zero"));
	assert_null(strstr(s, "comma\nline"));
	free(s);
	out_doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_double),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_atomic),
		cmocka_unit_test(test_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

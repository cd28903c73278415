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

#include "tocalc/util.h"
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
	/* one table; the metadata as constant columns; CSV keeps full precision (-0.0001, not
	   the table's 0.00) */
	assert_string_equal(s, "name,value,vintage\n\"a \"\"quoted\"\", comma\nline\",107941,2026-02-14\n"
			    "missing,,2026-02-14\nneg zero,-0.0001,2026-02-14\n");
	free(s);
	s = render(d, OUT_JSON);
	assert_non_null(strstr(s, "\"value\": null"));
	assert_non_null(strstr(s, "\"name\": \"a \\\"quoted\\\", comma\\nline\""));
	assert_non_null(strstr(s, "\"vintage\": \"2026-02-14\""));
	free(s);
	s = render(d, OUT_TABLE);
	assert_non_null(strstr(s, "107,941"));	/* grouped for people */
	assert_non_null(strstr(s, "-\nneg zero"));
	assert_non_null(strstr(s, " 0.00\n"));	/* rounded for people, never "-0.00" */
	assert_null(strstr(s, "-0.00"));
	assert_null(strstr(s, "comma\nline"));
	free(s);
	/* a second table: --csv writes the first unless --table names one; notes to the notes stream */
	{
		struct out_table *t2 = out_table_add(d, "other", NULL);
		struct out_opts o = { NULL, NULL };
		char *buf = NULL, *nbuf = NULL;
		size_t len = 0, nlen = 0;
		FILE *fp, *nfp;
		struct tc_err err;

		out_col(t2, "vintage", "vintage");	/* a column of that name: no metadata copy */
		out_row(t2);
		out_str(t2, "2025-01-01");
		out_note(d, "a note");
		fp = open_memstream(&buf, &len);
		nfp = open_memstream(&nbuf, &nlen);
		o.notes = nfp;
		assert_int_equal(out_doc_write_opts(d, OUT_CSV, fp, &o, &err), 0);
		fclose(fp);
		fclose(nfp);
		assert_non_null(strstr(buf, "name,value,vintage\n"));
		assert_null(strstr(buf, "2025-01-01"));
		assert_non_null(strstr(nbuf, "tocalc: note: a note\n"));
		assert_non_null(strstr(nbuf, "--table other"));
		free(buf);
		free(nbuf);
		o.table = "other";
		o.notes = NULL;
		fp = open_memstream(&buf, &len);
		assert_int_equal(out_doc_write_opts(d, OUT_CSV, fp, &o, &err), 0);
		fclose(fp);
		assert_string_equal(buf, "vintage\n2025-01-01\n");
		free(buf);
		o.table = "othr";
		fp = open_memstream(&buf, &len);
		assert_int_equal(out_doc_write_opts(d, OUT_CSV, fp, &o, &err), -1);
		fclose(fp);
		free(buf);
		assert_int_equal(err.code, TC_EXIT_USAGE);
		assert_non_null(strstr(err.msg, "(did you mean 'other'?)"));
		/* table format: no note on stdout */
		s = render(d, OUT_TABLE);
		assert_null(strstr(s, "a note"));
		free(s);
	}
	out_doc_free(d);
}

/* Distances worked by hand with git's weights: swap 0, substitution 2, insertion 1, deletion 3. */
static void test_suggest(void **state)
{
	static const char *const cmds[] = { "check", "data", "overdose", "plot", "report", "tariff" };
	static const char *const sets[] = { "overdose_12mo", "overdose_annual", "parameters" };
	char b[200];

	(void)state;
	assert_int_equal(tc_suggest_distance("tarif", "tariff"), 0);	/* a prefix */
	assert_int_equal(tc_suggest_distance("seires", "series"), 0);	/* one swap */
	assert_int_equal(tc_suggest_distance("all-drugs", "all_drugs"), 2);
	assert_int_equal(tc_suggest_distance("trnd", "trend"), 1);
	assert_int_equal(tc_suggest_distance("trends", "trend"), 3);	/* a deletion */
	assert_int_equal(tc_suggest_distance("PLOT", "plot"), 0);
	assert_int_equal(tc_suggest_distance("xyz", "tariff"), 9);	/* 3 substitutions, 3 insertions */
	assert_int_equal(tc_suggest("tarif", cmds, 6, NULL, b, sizeof(b)), 1);
	assert_string_equal(b, " (did you mean 'tariff'?)");
	assert_int_equal(tc_suggest("overdose", sets, 3, NULL, b, sizeof(b)), 2);
	assert_string_equal(b, " (did you mean one of 'overdose_12mo', 'overdose_annual'?)");
	assert_int_equal(tc_suggest("jsn", (const char *const[]){ "json", "csv" }, 2, "--", b, sizeof(b)), 1);
	assert_string_equal(b, " (did you mean '--json'?)");
	/* nothing near: no hint at all */
	assert_int_equal(tc_suggest("xyzzyq", cmds, 6, NULL, b, sizeof(b)), 0);
	assert_string_equal(b, "");
	/* the word itself is no suggestion */
	assert_int_equal(tc_suggest("plot", (const char *const[]){ "plot", "overdose" }, 2, NULL, b,
				    sizeof(b)), 0);
	/* plot -> report: insert r, e (2), delete l (3), insert r (1): 6, under git's floor of 7 */
	assert_int_equal(tc_suggest_distance("plot", "report"), 6);
	/* a short buffer stays a string */
	tc_suggest("overdose", sets, 3, NULL, b, 10);
	assert_int_equal(strlen(b), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_double),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_atomic),
		cmocka_unit_test(test_out),
		cmocka_unit_test(test_suggest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

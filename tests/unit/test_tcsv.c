/*
** test_tcsv.c: the strict CSV layer (src/tcsv.c).
**
** - every file of tests/data/bad/ is loaded and must fail with its own
**   message (file:line:field: column 'name': ...), identically through
**   the file loader, the buffer loader and the stream; a file without an
**   expected message fails the test;
** - tests/data/good/ files load with hand-checked values;
** - generated inputs: fields of 1 MiB and beyond, rows of 4096 fields and
**   beyond, errors past the 64 KiB read chunk (also on a split line);
** - numbers against strtod (an independent parser) on random inputs;
** - the libFuzzer harness is #included and every input of
**   tests/fuzz/regressions/tcsv/ and tests/fuzz/corpus/tcsv/ is replayed.
**
** Data directory: $TOCALC_TEST_DATA or tests/data (run from the top).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <valgrind/valgrind.h>

#include "tocalc/tcsv.h"

#include "../fuzz/fuzz_tcsv.c"

#define FIELD_MAX (1u << 20)
#define SL(lit) lit, sizeof(lit) - 1	/* a string literal and its length */

static const char *const series_values[] = { "all_drugs", "synthetic_opioids", NULL };

static const struct tcsv_col_spec main_cols[] = {
	{ "year", TCSV_INT, TCSV_KEY, NULL, 1900, 2199 },
	{ "series", TCSV_ENUM, TCSV_KEY, series_values, 0, 0 },
	{ "deaths", TCSV_INT, TCSV_OPTIONAL | TCSV_NONNEG | TCSV_THOUSANDS, NULL, 0, 0 },
	{ "rate", TCSV_REAL, TCSV_OPTIONAL | TCSV_NONNEG, NULL, 0, 1000 },
	{ "date", TCSV_DATE, TCSV_OPTIONAL, NULL, 0, 0 },
	{ "month", TCSV_MONTH, TCSV_OPTIONAL, NULL, 0, 0 },
	{ "note", TCSV_TEXT, TCSV_OPTIONAL, NULL, 0, 0 },
};
static const struct tcsv_schema main_schema = {
	"main", main_cols, TC_ARRAY_SIZE(main_cols), 0
};
enum { C_YEAR, C_SERIES, C_DEATHS, C_RATE, C_DATE, C_MONTH, C_NOTE };

static const struct tcsv_schema extra_schema = {
	"extra", main_cols, TC_ARRAY_SIZE(main_cols), TCSV_ALLOW_EXTRA
};

static const struct tcsv_col_spec text_cols[] = {
	{ "x", TCSV_TEXT, TCSV_OPTIONAL, NULL, 0, 0 },
};
static const struct tcsv_schema text_schema = { "text", text_cols, 1, 0 };
static const struct tcsv_schema text_extra_schema = { "text", text_cols, 1, TCSV_ALLOW_EXTRA };

static const struct tcsv_col_spec real_cols[] = {
	{ "x", TCSV_REAL, TCSV_OPTIONAL, NULL, 0, 0 },
};
static const struct tcsv_schema real_schema = { "real", real_cols, 1, 0 };

/* ---- helpers ---- */

static const char *data_dir(void)
{
	const char *d = getenv("TOCALC_TEST_DATA");
	return d && *d ? d : "tests/data";
}

/* The bytes of a fixture as they are (tc_read_file would refuse the truncated one). */
static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0;

	if (!fp)
		fail_msg("unable to open %s", path);
	*len = 0;
	for (;;) {
		buf = xgrow(buf, &cap, *len + 65536 + 1, 1);
		size_t got = fread(buf + *len, 1, cap - *len - 1, fp);
		*len += got;
		if (!got)
			break;
	}
	fclose(fp);
	buf[*len] = '\0';
	return buf;
}

static char tmpdir[256];

static void make_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_tcsv.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir))
		fail_msg("mkdtemp failed");
}

/* Write a temporary file; returns its path (static buffer per call site). */
static void write_tmp(char *path, size_t size, const char *name, const char *buf, size_t len)
{
	FILE *fp;
	snprintf(path, size, "%s/%s", tmpdir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static int count_rows(const struct tcsv_row *row, void *ud, struct tc_err *err)
{
	(void)row;
	(void)err;
	(*(long *)ud)++;
	return 0;
}

static void assert_empty_table(const struct tcsv_table *t)
{
	assert_int_equal(t->nrows, 0);
	assert_null(t->cols);
	assert_null(t->lines);
	assert_null(t->path);
	assert_null(t->schema);
}

/*
** Load `buf` as `name` through the buffer loader, and through the file
** loader and the stream when `path` is set: each must fail with `want`.
*/
static void expect_error(const char *path, const char *name, const char *buf, size_t len,
			 const struct tcsv_schema *s, const char *want)
{
	struct tcsv_table t;
	struct tc_err err;
	long n = 0;

	memset(&t, 0xA5, sizeof(t));	/* need not be initialised */
	tc_err_init(&err);
	assert_int_equal(tcsv_load_buffer(&t, name, buf, len, s, &err), -1);
	assert_string_equal(err.msg, want);
	assert_int_equal(err.code, TC_EXIT_DATA);
	assert_empty_table(&t);
	if (!path)
		return;
	memset(&t, 0x5A, sizeof(t));
	tc_err_init(&err);
	assert_int_equal(tcsv_load_file(&t, path, s, &err), -1);
	assert_string_equal(err.msg, want);
	assert_empty_table(&t);
	tc_err_init(&err);
	assert_int_equal(tcsv_stream_file(path, s, count_rows, &n, &err), -1);
	assert_string_equal(err.msg, want);
}

static void load_ok(struct tcsv_table *t, const char *file, const struct tcsv_schema *s)
{
	char path[512];
	struct tc_err err;
	tc_err_init(&err);
	snprintf(path, sizeof(path), "%s/good/%s", data_dir(), file);
	if (tcsv_load_file(t, path, s, &err))
		fail_msg("%s", err.msg);
}

static void load_buf_ok(struct tcsv_table *t, const char *buf, const struct tcsv_schema *s)
{
	struct tc_err err;
	tc_err_init(&err);
	if (tcsv_load_buffer(t, "buf", buf, strlen(buf), s, &err))
		fail_msg("%s", err.msg);
}

/* ---- the bad-file corpus ---- */

struct bad_case {
	const char *file;
	const char *msg;	/* after the path */
};

static const struct bad_case bad_cases[] = {
	{ "ragged_short.csv", ":3:7: column 'note': row too short: 6 fields, the header has 7" },
	{ "ragged_long.csv", ":3:8: row too long: 8 fields, the header has 7" },
	{ "unterminated_quote_end.csv", ":4:7: column 'note': unterminated quoted field "
	  "(the quote opens on line 4 and is never closed)" },
	{ "unterminated_quote_middle.csv", ":3:7: column 'note': unterminated quoted field "
	  "(the quote opens on line 3 and is never closed)" },
	{ "quote_closed_later.csv", ":4:7: column 'note': malformed CSV at byte 17: text after "
	  "a closing quote (the quoted field starts on line 3: is a quote missing there?)" },
	{ "quote_in_unquoted.csv", ":3:7: column 'note': malformed CSV at byte 44: a quote "
	  "inside an unquoted field (quote the whole field and double the quote)" },
	{ "text_after_quote.csv", ":3:7: column 'note': malformed CSV at byte 46: text after "
	  "a closing quote" },
	{ "mixed_quote_junk.csv", ":3:2: column 'series': malformed CSV at byte 18: text after "
	  "a closing quote" },
	{ "nul_byte.csv", ":3:7: column 'note': NUL byte at byte 43 (binary file?)" },
	{ "missing_column.csv", ":1: missing column 'rate'" },
	{ "duplicate_column.csv", ":1:4: header: duplicate column 'deaths' (also column 3)" },
	{ "unknown_column.csv", ":1:8: header: unknown column 'extra' "
	  "(expected: year, series, deaths, rate, date, month, note)" },
	{ "bom_error.csv", ":1:7: header: unknown column 'nope' "
	  "(expected: year, series, deaths, rate, date, month, note)" },
	{ "empty_column_name.csv", ":1:3: header: empty column name" },
	{ "nan_na.csv", ":3:3: column 'deaths': expected an integer, got \"n/a\"" },
	{ "nan_12abc.csv", ":3:3: column 'deaths': expected an integer, got \"12abc\"" },
	{ "comma_without_thousands.csv", ":3:4: column 'rate': expected a number, got \"1,2,3\" "
	  "(thousands separators are not allowed here)" },
	{ "quoted_space.csv", ":3:3: column 'deaths': expected an integer, got \" 12\" "
	  "(leading or trailing space inside quotes)" },
	{ "nan.csv", ":3:4: column 'rate': expected a number, got \"NaN\" "
	  "(NaN and infinity are not allowed)" },
	{ "inf.csv", ":3:4: column 'rate': expected a number, got \"-Infinity\" "
	  "(NaN and infinity are not allowed)" },
	{ "hex.csv", ":3:3: column 'deaths': expected an integer, got \"0x10\" "
	  "(hexadecimal numbers are not allowed)" },
	{ "negative_count.csv", ":3:3: column 'deaths': expected a non-negative number, "
	  "got \"-5\"" },
	{ "date_feb29.csv", ":3:5: column 'date': day 29 of \"2023-02-29\" does not exist" },
	{ "date_month13.csv", ":3:5: column 'date': month 13 of \"2023-13-01\" does not exist" },
	{ "date_1899.csv", ":3:5: column 'date': year 1899 of \"1899-12-31\" is outside "
	  "1900 to 2199" },
	{ "date_format.csv", ":3:5: column 'date': expected a date YYYY-MM-DD, "
	  "got \"12/31/2023\"" },
	{ "month_13.csv", ":3:6: column 'month': month 13 of \"2023-13\" does not exist" },
	{ "month_format.csv", ":3:6: column 'month': expected a month YYYY-MM, "
	  "got \"Jan 2023\"" },
	{ "bad_enum.csv", ":3:2: column 'series': expected one of all_drugs, synthetic_opioids, "
	  "got \"all drugs\"" },
	{ "duplicate_key.csv", ":5: duplicate key (year=2022, series=all_drugs), "
	  "first seen on line 3" },
	{ "empty.csv", ": empty file (no header line)" },
	{ "blank_only.csv", ": empty file (no header line)" },
	{ "header_only.csv", ": no data rows after the header" },
	{ "missing_required.csv", ":3:1: column 'year': missing value" },
	{ "invalid_utf8.csv", ":3:7: column 'note': invalid UTF-8 at byte 4 of \"caf\\xc3(\"" },
	{ "control_char.csv", ":3:7: column 'note': control character 0x07 at byte 5 of "
	  "\"bell\\x07here\"" },
	{ "multiline_text.csv", ":3:7: column 'note': control character 0x0a at byte 4 of "
	  "\"two\\x0alines\"" },
	{ "thousands_1_23.csv", ":3:3: column 'deaths': expected an integer, got \"1,23\" "
	  "(misplaced thousands separator)" },
	{ "thousands_12_3456.csv", ":3:3: column 'deaths': expected an integer, got \"12,3456\" "
	  "(misplaced thousands separator)" },
	{ "number_too_long.csv", ":3:4: column 'rate': number too long (72 characters, at most "
	  "64): \"0.11111111111111111111111111111111111111...\"" },
	{ "integer_too_big.csv", ":3:3: column 'deaths': integer \"1234567890123456\" has more "
	  "than 15 significant digits" },
	{ "integer_fraction.csv", ":3:1: column 'year': expected an integer, got \"2022.0\"" },
	{ "out_of_range.csv", ":3:4: column 'rate': \"1000.5\" is outside the range 0 to 1000" },
	{ "year_range.csv", ":3:1: column 'year': \"1850\" is outside the range 1900 to 2199" },
	{ "number_overflow.csv", ":3:4: column 'rate': number \"1e999\" is out of range" },
	{ "bare_cr.csv", ":3: bare carriage return at byte 43 (only LF and CRLF line ends are "
	  "accepted)" },
	{ "crlf_error.csv", ":4:3: column 'deaths': expected an integer, got \"ten\"" },
	{ "blank_lines_error.csv", ":8:4: column 'rate': expected a number, got \"abc\"" },
	/* issue 19 item 6: a file cut anywhere in its last line is refused */
	{ "no_final_newline.csv", ":2: the last line has no newline at its end: the file may be "
	  "truncated (a complete CSV file ends with a newline)" },
};

static void test_bad_file(void **state)
{
	const struct bad_case *bc = *state;
	char path[512], want[TC_ERR_MSG_MAX + 600];
	size_t len;
	char *buf;

	snprintf(path, sizeof(path), "%s/bad/%s", data_dir(), bc->file);
	snprintf(want, sizeof(want), "%s%s", path, bc->msg);
	buf = read_all(path, &len);
	expect_error(path, path, buf, len, &main_schema, want);
	free(buf);
}

/* Every file in bad/ has an expected message above (and exists). */
static void test_bad_corpus_complete(void **state)
{
	char dir[512];
	DIR *d;
	struct dirent *e;
	size_t files = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/bad", data_dir());
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		int found = 0;
		if (e->d_name[0] == '.')
			continue;
		files++;
		for (size_t i = 0; i < TC_ARRAY_SIZE(bad_cases); i++)
			found |= !strcmp(bad_cases[i].file, e->d_name);
		if (!found)
			fail_msg("tests/data/bad/%s has no expected message in test_tcsv.c", e->d_name);
	}
	closedir(d);
	assert_int_equal(files, TC_ARRAY_SIZE(bad_cases));
	assert_true(files >= 30);
}

/* ---- good files ---- */

static void test_good_values(void **state)
{
	struct tcsv_table t;
	const struct tcsv_column *c;

	(void)state;
	load_ok(&t, "basic.csv", &main_schema);
	assert_int_equal(t.nrows, 4);
	assert_true(t.schema == &main_schema);
	c = t.cols;
	assert_true(c[C_YEAR].num[0] == 2021 && c[C_YEAR].num[3] == 2023);
	assert_null(c[C_YEAR].text);
	assert_null(c[C_NOTE].num);
	/* thousands separators, quoted and not */
	assert_true(c[C_DEATHS].num[0] == 1234);
	assert_true(c[C_DEATHS].num[1] == 107941);
	assert_true(c[C_DEATHS].num[2] == 73838);
	assert_true(c[C_RATE].num[1] == 32.6);
	assert_true(c[C_RATE].num[2] == 22.7);
	/* enum: index and text */
	assert_true(c[C_SERIES].num[0] == 0 && c[C_SERIES].num[2] == 1);
	assert_string_equal(c[C_SERIES].text[2], "synthetic_opioids");
	/* dates and months: yyyymmdd / yyyymm, text as written */
	assert_true(c[C_DATE].num[1] == 20221231);
	assert_string_equal(c[C_DATE].text[1], "2022-12-31");
	assert_true(c[C_DATE].num[3] == 19000101);
	assert_true(c[C_MONTH].num[2] == 202206);
	assert_string_equal(c[C_MONTH].text[2], "2022-06");
	assert_true(c[C_MONTH].num[3] == 219912);
	/* text: quotes undone, commas kept, UTF-8 and tab accepted */
	assert_string_equal(c[C_NOTE].text[1], "second, with a comma");
	assert_string_equal(c[C_NOTE].text[2], "the \"third\" row");
	assert_string_equal(c[C_NOTE].text[3], "caf\xc3\xa9 \xe2\x80\x94 tab\there");
	/* -0 becomes +0 */
	assert_true(c[C_DEATHS].num[3] == 0 && !signbit(c[C_DEATHS].num[3]));
	assert_true(c[C_RATE].num[3] == 0 && !signbit(c[C_RATE].num[3]));
	for (size_t i = 0; i < t.nrows; i++) {
		assert_int_equal(t.lines[i], (long)i + 2);
		for (size_t k = 0; k < main_schema.ncols; k++)
			assert_false(tcsv_is_missing(&t, k, i));
	}
	/* accessors */
	assert_true(tcsv_num(&t, C_DEATHS, 1) == 107941);
	assert_true(isnan(tcsv_num(&t, C_NOTE, 1)));
	assert_string_equal(tcsv_text(&t, C_NOTE, 0), "first");
	assert_null(tcsv_text(&t, C_RATE, 0));
	assert_int_equal(tcsv_col_index(&main_schema, "rate"), C_RATE);
	assert_int_equal(tcsv_col_index(&main_schema, "Rate"), -1);
	{
		char path[512];
		snprintf(path, sizeof(path), "%s/good/basic.csv", data_dir());
		assert_string_equal(t.path, path);	/* as given to the loader */
	}
	tcsv_table_release(&t);
	assert_empty_table(&t);
	tcsv_table_release(&t);	/* twice is harmless */
}

static void test_good_missing(void **state)
{
	struct tcsv_table t;

	(void)state;
	load_ok(&t, "missing.csv", &main_schema);
	assert_int_equal(t.nrows, 3);
	for (size_t r = 0; r < 2; r++) {
		/* unquoted empty and "" are both missing: NAN and NULL, never 0 */
		for (size_t c = C_DEATHS; c <= C_NOTE; c++) {
			assert_true(tcsv_is_missing(&t, c, r));
			if (t.cols[c].num)
				assert_true(isnan(t.cols[c].num[r]));
			if (t.cols[c].text)
				assert_null(t.cols[c].text[r]);
		}
		assert_false(tcsv_is_missing(&t, C_YEAR, r));
	}
	/* a real zero is not missing */
	assert_false(tcsv_is_missing(&t, C_DEATHS, 2));
	assert_true(t.cols[C_DEATHS].num[2] == 0);
	assert_string_equal(t.cols[C_NOTE].text[2], "zero");
	tcsv_table_release(&t);
}

static void test_good_bom_crlf_blank(void **state)
{
	struct tcsv_table t;

	(void)state;
	load_ok(&t, "bom_crlf_blank.csv", &main_schema);
	assert_int_equal(t.nrows, 2);
	/* BOM stripped (header name ok); blank and blank-looking lines skipped */
	assert_int_equal(t.lines[0], 3);
	assert_int_equal(t.lines[1], 7);
	assert_string_equal(t.cols[C_NOTE].text[0], "a");	/* no CR left */
	assert_string_equal(t.cols[C_NOTE].text[1], "b");
	assert_true(t.cols[C_DEATHS].num[1] == 3);
	tcsv_table_release(&t);
}

static void test_allow_extra(void **state)
{
	struct tcsv_table t;
	char path[512], want[700];

	(void)state;
	/* reordered columns, extra ones ignored, a quoted newline in an extra column */
	load_ok(&t, "extra_columns.csv", &extra_schema);
	assert_int_equal(t.nrows, 2);
	assert_int_equal(t.lines[0], 2);
	assert_int_equal(t.lines[1], 4);
	assert_true(t.cols[C_YEAR].num[0] == 2021);
	assert_true(t.cols[C_DEATHS].num[0] == 12345);
	assert_true(t.cols[C_DEATHS].num[1] == 678);
	assert_true(t.cols[C_RATE].num[1] == 2.5);
	assert_true(t.cols[C_DATE].num[1] == 20210228);
	assert_string_equal(t.cols[C_NOTE].text[1], "b");
	assert_true(t.cols[C_SERIES].num[1] == 1);
	tcsv_table_release(&t);
	/* without the flag the same file fails on its first unknown column */
	snprintf(path, sizeof(path), "%s/good/extra_columns.csv", data_dir());
	snprintf(want, sizeof(want), "%s:1:1: header: unknown column 'source' (expected: year, "
		 "series, deaths, rate, date, month, note)", path);
	{
		size_t len;
		char *buf = read_all(path, &len);
		expect_error(path, path, buf, len, &main_schema, want);
		free(buf);
	}
	/* extra columns are still counted: ragged rows fail, named by header */
	expect_error(NULL, "b", SL("x,y\na\n"), &text_extra_schema,
		     "b:2:2: column 'y': row too short: 1 fields, the header has 2");
	/* an extra column's name is shown escaped */
	expect_error(NULL, "b", SL("x,\"y\x01\"\na\n"), &text_extra_schema,
		     "b:2:2: column 'y\\x01': row too short: 1 fields, the header has 2");
	/* a value error in an extra column's field is not an error */
	{
		load_buf_ok(&t, "y,x\n\"a\x01\",ok\n", &text_extra_schema);
		assert_string_equal(t.cols[0].text[0], "ok");
		tcsv_table_release(&t);
	}
}

/* ---- loaders agree; streaming; partial tables ---- */

struct collected {
	long rows;
	double deaths_sum;
	long line_sum;
};

static int collect(const struct tcsv_row *row, void *ud, struct tc_err *err)
{
	struct collected *c = ud;
	(void)err;
	c->rows++;
	c->deaths_sum += row->num[C_DEATHS];
	c->line_sum += row->line;
	assert_string_equal(row->text[C_SERIES], c->rows >= 3 ? "synthetic_opioids" : "all_drugs");
	return 0;
}

static void test_buffer_and_file_agree(void **state)
{
	const char *files[] = { "basic.csv", "missing.csv", "bom_crlf_blank.csv" };

	(void)state;
	for (size_t f = 0; f < TC_ARRAY_SIZE(files); f++) {
		struct tcsv_table a, b;
		struct tc_err err;
		char path[512];
		size_t len;
		char *buf;

		snprintf(path, sizeof(path), "%s/good/%s", data_dir(), files[f]);
		buf = read_all(path, &len);
		load_ok(&a, files[f], &main_schema);
		tc_err_init(&err);
		assert_int_equal(tcsv_load_buffer(&b, path, buf, len, &main_schema, &err), 0);
		assert_int_equal(a.nrows, b.nrows);
		assert_string_equal(a.path, b.path);
		for (size_t r = 0; r < a.nrows; r++) {
			assert_int_equal(a.lines[r], b.lines[r]);
			for (size_t c = 0; c < main_schema.ncols; c++) {
				const struct tcsv_column *x = &a.cols[c], *y = &b.cols[c];
				assert_int_equal(x->missing[r], y->missing[r]);
				if (x->num)
					assert_memory_equal(&x->num[r], &y->num[r], sizeof(double));
				if (x->text && x->text[r])
					assert_string_equal(x->text[r], y->text[r]);
				else if (x->text)
					assert_null(y->text[r]);
			}
		}
		tcsv_table_release(&a);
		tcsv_table_release(&b);
		free(buf);
	}
}

static void test_stream(void **state)
{
	struct collected c = { 0, 0, 0 };
	struct tc_err err;
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/good/basic.csv", data_dir());
	tc_err_init(&err);
	assert_int_equal(tcsv_stream_file(path, &main_schema, collect, &c, &err), 0);
	assert_int_equal(c.rows, 4);
	assert_true(c.deaths_sum == 1234 + 107941 + 73838 + 0);
	assert_int_equal(c.line_sum, 2 + 3 + 4 + 5);
}

static int stop_at_2022(const struct tcsv_row *row, void *ud, struct tc_err *err)
{
	(*(long *)ud)++;
	if (row->num[C_YEAR] == 2022)
		return tc_fail(err, "stopped at %g on line %ld", row->num[C_YEAR], row->line);
	return 0;
}

static int refuse_silently(const struct tcsv_row *row, void *ud, struct tc_err *err)
{
	(void)row;
	(void)ud;
	(void)err;
	return -1;
}

static void test_stream_abort(void **state)
{
	struct tc_err err;
	char path[512], want[600];
	long seen = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/good/basic.csv", data_dir());
	tc_err_init(&err);
	assert_int_equal(tcsv_stream_file(path, &main_schema, stop_at_2022, &seen, &err), -1);
	assert_string_equal(err.msg, "stopped at 2022 on line 3");	/* its own error */
	assert_int_equal(seen, 2);	/* no row after the abort */
	/* a callback that fails without a message: the stream names the row */
	snprintf(err.msg, sizeof(err.msg), "stale message");
	assert_int_equal(tcsv_stream_file(path, &main_schema, refuse_silently, NULL, &err), -1);
	snprintf(want, sizeof(want), "%s:2: row rejected", path);
	assert_string_equal(err.msg, want);
	/* fn may be NULL: validation only */
	assert_int_equal(tcsv_stream_file(path, &main_schema, NULL, NULL, &err), 0);
	/* err may be NULL */
	assert_int_equal(tcsv_stream_file(path, &main_schema, refuse_silently, NULL, NULL), -1);
	assert_int_equal(tcsv_stream_buffer("b", "x\n\n", 3, &text_schema, count_rows, &seen,
					    NULL), -1);
	{
		struct tcsv_table t;
		assert_int_equal(tcsv_load_buffer(&t, "b", "x\n", 2, &text_schema, NULL), -1);
		assert_empty_table(&t);
	}
}

static void test_no_partial_table(void **state)
{
	struct tcsv_table t;
	struct tc_err err;
	/* the error is on the last of many good rows (the arrays and string
	   blocks have grown): nothing may be left to free (valgrind, ASan) */
	size_t cap = 1 << 20, o = 0;
	char *buf = malloc(cap);

	(void)state;
	assert_non_null(buf);
	o += (size_t)snprintf(buf + o, cap - o, "year,series,deaths,rate,date,month,note\n");
	for (int i = 0; i < 550; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%d,%s,%d,1.5,2020-01-01,2020-01,note %d\n",
				      1900 + i % 300, series_values[i / 300 % 2], i, i);
	o += (size_t)snprintf(buf + o, cap - o, "2199,all_drugs,1,1,2020-01-01,2020-01,x\n");
	memset(&t, 0xEE, sizeof(t));
	tc_err_init(&err);
	assert_int_equal(tcsv_load_buffer(&t, "big", buf, o, &main_schema, &err), -1);
	assert_string_equal(err.msg, "big:552: duplicate key (year=2199, series=all_drugs), "
			    "first seen on line 301");
	assert_empty_table(&t);
	/* the same input without its last row loads */
	o -= strlen("2199,all_drugs,1,1,2020-01-01,2020-01,x\n");
	assert_int_equal(tcsv_load_buffer(&t, "big", buf, o, &main_schema, &err), 0);
	assert_int_equal(t.nrows, 550);
	assert_string_equal(t.cols[C_NOTE].text[549], "note 549");
	assert_string_equal(t.cols[C_DATE].text[549], "2020-01-01");
	assert_true(t.cols[C_DEATHS].num[549] == 549);
	tcsv_table_release(&t);
	free(buf);
}

/* ---- limits: field size, field count, the 64 KiB chunk ---- */

static void test_oversized_field(void **state)
{
	size_t n = FIELD_MAX + 64 + (2u << 20);
	char *buf = malloc(n + 64), path[512];
	struct tcsv_table t;
	size_t len;

	(void)state;
	assert_non_null(buf);
	/* exactly 1 MiB is accepted, quoted or not */
	len = (size_t)snprintf(buf, 8, "x\n");
	memset(buf + len, 'a', FIELD_MAX);
	len += FIELD_MAX;
	buf[len++] = '\n';
	buf[len] = '\0';
	load_buf_ok(&t, buf, &text_schema);
	assert_int_equal(strlen(t.cols[0].text[0]), FIELD_MAX);
	tcsv_table_release(&t);
	/* one byte more: refused by the field callback */
	len = (size_t)snprintf(buf, 8, "x\n\"");
	memset(buf + len, 'a', FIELD_MAX + 1);
	len += FIELD_MAX + 1;
	buf[len++] = '"';
	buf[len++] = '\n';
	write_tmp(path, sizeof(path), "over1.csv", buf, len);
	{
		char want[700];
		snprintf(want, sizeof(want), "%s:2:1: column 'x': field longer than 1048576 bytes",
			 path);
		expect_error(path, path, buf, len, &text_schema, want);
	}
	/* 2 MiB: refused by libcsv's capped buffer */
	len = (size_t)snprintf(buf, 8, "x\n");
	memset(buf + len, 'b', 2u << 20);
	len += 2u << 20;
	buf[len++] = '\n';
	expect_error(NULL, "b", buf, len, &text_schema,
		     "b:2:1: column 'x': field longer than 1048576 bytes");
	/* a quote that is never closed, 2 MiB before the end: named as such */
	len = (size_t)snprintf(buf, 16, "x\nok\n\"open");
	for (size_t i = 0; i < (2u << 20) / 8; i++)
		len += (size_t)snprintf(buf + len, 9, "\nabcdef,");
	expect_error(NULL, "b", buf, len, &text_schema,
		     "b:3:1: column 'x': field longer than 1048576 bytes "
		     "(a quote that is never closed?)");
	free(buf);
}

static void test_too_many_fields(void **state)
{
	size_t cap = 64 * 4200, o = 0;
	char *buf = malloc(cap);
	struct tcsv_table t;

	(void)state;
	assert_non_null(buf);
	/* a header of exactly 4096 fields is fine (extra columns allowed) */
	o += (size_t)snprintf(buf + o, cap - o, "x");
	for (int i = 2; i <= 4096; i++)
		o += (size_t)snprintf(buf + o, cap - o, ",c%d", i);
	o += (size_t)snprintf(buf + o, cap - o, "\nv");
	for (int i = 2; i <= 4096; i++)
		o += (size_t)snprintf(buf + o, cap - o, ",");
	o += (size_t)snprintf(buf + o, cap - o, "\n");
	load_buf_ok(&t, buf, &text_extra_schema);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(t.cols[0].text[0], "v");
	tcsv_table_release(&t);
	/* a data row of 5000 fields: stopped at field 4097 */
	o--;
	for (int i = 4097; i <= 5000; i++)
		o += (size_t)snprintf(buf + o, cap - o, ",");
	o += (size_t)snprintf(buf + o, cap - o, "\n");
	expect_error(NULL, "b", buf, o, &text_extra_schema,
		     "b:2:4097: more than 4096 fields in a row");
	/* a header of 4097 fields */
	o = (size_t)snprintf(buf, cap, "x");
	for (int i = 2; i <= 4097; i++)
		o += (size_t)snprintf(buf + o, cap - o, ",c%d", i);
	o += (size_t)snprintf(buf + o, cap - o, "\n1\n");
	expect_error(NULL, "b", buf, o, &text_extra_schema,
		     "b:1:4097: header: more than 4096 fields in a row");
	free(buf);
}

/*
** Rows past the 64 KiB read chunk of the file loader: the line counter
** and byte positions must be right after the boundary, also for errors on
** the line that the boundary splits.  (Keys repeat here: no KEY flags.)
*/
static const struct tcsv_col_spec nokey_cols[] = {
	{ "year", TCSV_INT, 0, NULL, 1900, 2199 },
	{ "series", TCSV_ENUM, 0, series_values, 0, 0 },
	{ "deaths", TCSV_INT, TCSV_OPTIONAL | TCSV_NONNEG | TCSV_THOUSANDS, NULL, 0, 0 },
	{ "rate", TCSV_REAL, TCSV_OPTIONAL | TCSV_NONNEG, NULL, 0, 1000 },
	{ "date", TCSV_DATE, TCSV_OPTIONAL, NULL, 0, 0 },
	{ "month", TCSV_MONTH, TCSV_OPTIONAL, NULL, 0, 0 },
	{ "note", TCSV_TEXT, TCSV_OPTIONAL, NULL, 0, 0 },
};
static const struct tcsv_schema nokey_schema = {
	"nokey", nokey_cols, TC_ARRAY_SIZE(nokey_cols), 0
};

/* Append rows to buf from offset o until it holds `until` bytes. */
static size_t fill_rows(char *buf, size_t cap, size_t o, long *lines, size_t until)
{
	for (int i = 0; o < until; i++) {
		o += (size_t)snprintf(buf + o, cap - o,
				      "%d,%s,\"%d,%03d\",%d.%d,2020-02-%02d,2020-%02d,row %d\n",
				      1900 + i % 300, series_values[i % 2], 1 + i % 50, i % 1000,
				      i % 100, i % 7, 1 + i % 29, 1 + i % 12, i);
		(*lines)++;
	}
	return o;
}

static void test_chunk_boundary(void **state)
{
	const size_t chunk = 64 * 1024;
	size_t cap = 4 * chunk, o, line_start, note_start, k, b;
	char *buf = malloc(cap), path[512], want[800];
	long lines = 1, split, target;
	struct tcsv_table t;
	struct tc_err err;

	(void)state;
	assert_non_null(buf);
	/* good: about 3 chunks */
	o = (size_t)snprintf(buf, cap, "year,series,deaths,rate,date,month,note\n");
	o = fill_rows(buf, cap, o, &lines, 3 * chunk);
	write_tmp(path, sizeof(path), "chunks.csv", buf, o);
	tc_err_init(&err);
	if (tcsv_load_file(&t, path, &nokey_schema, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(t.nrows, (size_t)lines - 1);
	assert_int_equal(t.lines[t.nrows - 1], lines);
	tcsv_table_release(&t);

	/* a line whose 400-byte note straddles the first boundary */
	lines = 1;
	o = (size_t)snprintf(buf, cap, "year,series,deaths,rate,date,month,note\n");
	o = fill_rows(buf, cap, o, &lines, chunk - 200);
	split = ++lines;
	line_start = o;
	o += (size_t)snprintf(buf + o, cap - o, "2199,all_drugs,1,1.5,2020-01-01,2020-01,");
	note_start = o;
	memset(buf + o, 'n', 400);
	o += 400;
	buf[o++] = '\n';
	o = fill_rows(buf, cap, o, &lines, 2 * chunk);
	assert_true(note_start < chunk && note_start + 400 > chunk + 1);
	k = chunk + 1 - note_start + 1;		/* byte of the note, 1-based */
	b = chunk + 1 - line_start + 1;		/* byte of the line, 1-based */
	assert_true(k > 40);

	write_tmp(path, sizeof(path), "split_ok.csv", buf, o);
	tc_err_init(&err);
	if (tcsv_load_file(&t, path, &nokey_schema, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(t.nrows, (size_t)lines - 1);
	assert_int_equal(t.lines[split - 2], split);
	assert_int_equal(strlen(t.cols[C_NOTE].text[split - 2]), 400);
	assert_int_equal(t.lines[t.nrows - 1], lines);
	tcsv_table_release(&t);

	/* a control character just after the boundary */
	buf[chunk + 1] = '\x01';
	write_tmp(path, sizeof(path), "split.csv", buf, o);
	snprintf(want, sizeof(want), "%s:%ld:7: column 'note': control character 0x01 at byte "
		 "%zu of \"%.40s...\"", path, split, k, buf + note_start);
	expect_error(path, path, buf, o, &nokey_schema, want);

	/* a quote just after the boundary */
	buf[chunk + 1] = '"';
	write_tmp(path, sizeof(path), "split.csv", buf, o);
	snprintf(want, sizeof(want), "%s:%ld:7: column 'note': malformed CSV at byte %zu: a "
		 "quote inside an unquoted field (quote the whole field and double the quote)",
		 path, split, b);
	expect_error(path, path, buf, o, &nokey_schema, want);

	/* a NUL byte just after the boundary */
	buf[chunk + 1] = '\0';
	write_tmp(path, sizeof(path), "split.csv", buf, o);
	snprintf(want, sizeof(want), "%s:%ld:7: column 'note': NUL byte at byte %zu "
		 "(binary file?)", path, split, b);
	expect_error(path, path, buf, o, &nokey_schema, want);
	buf[chunk + 1] = 'n';

	/* CRLF with the CR as the last byte of the first chunk: accepted */
	{
		char *crlf = malloc(cap);
		size_t n, pk;
		long ln = 1;
		assert_non_null(crlf);
		n = (size_t)snprintf(crlf, cap, "x,y\r\n");
		while (n + 5 + 10 < chunk) {
			n += (size_t)snprintf(crlf + n, cap - n, "a,b\r\n");
			ln++;
		}
		pk = chunk - 3 - n;	/* "p...p,b" then the CR at chunk - 1 */
		memset(crlf + n, 'p', pk);
		memcpy(crlf + n + pk, ",b\r\nlast,b\r\n", 12);
		n += pk + 12;
		ln++;
		assert_true(crlf[chunk - 1] == '\r' && crlf[chunk] == '\n');
		write_tmp(path, sizeof(path), "split_ok.csv", crlf, n);
		tc_err_init(&err);
		if (tcsv_load_file(&t, path, &text_extra_schema, &err))
			fail_msg("%s", err.msg);
		assert_int_equal(t.nrows, (size_t)ln);
		assert_string_equal(t.cols[0].text[t.nrows - 1], "last");
		assert_int_equal(t.lines[t.nrows - 1], ln + 1);
		tcsv_table_release(&t);
		/* a bare CR there (no LF after it) is refused */
		crlf[chunk] = 'z';
		write_tmp(path, sizeof(path), "split.csv", crlf, n);
		snprintf(want, sizeof(want), "%s:%ld: bare carriage return at byte %zu (only LF and "
			 "CRLF line ends are accepted)", path, ln, pk + 3);
		expect_error(path, path, crlf, n, &text_extra_schema, want);
		free(crlf);
	}

	/* an error 1000 lines after the split line */
	target = split + 1000;
	{
		size_t s2 = line_start;
		for (long ln = split; ln < target; ln++)
			s2 = (size_t)((char *)memchr(buf + s2, '\n', o - s2) - buf) + 1;
		assert_true(s2 > chunk);
		memcpy(buf + s2, "20x2", 4);	/* the year */
	}
	write_tmp(path, sizeof(path), "after.csv", buf, o);
	snprintf(want, sizeof(want), "%s:%ld:1: column 'year': expected an integer, got \"20x2\"",
		 path, target);
	expect_error(path, path, buf, o, &nokey_schema, want);
	free(buf);
}

/* ---- numbers against strtod ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void random_number(char *s, size_t size)
{
	size_t o = 0;
	int nd = 1 + (int)(rng() % 24), fd = (int)(rng() % 22);

	if (rng() % 4 == 0)
		s[o++] = rng() % 2 ? '-' : '+';
	for (int i = 0; i < nd; i++)
		s[o++] = (char)('0' + rng() % 10);
	if (fd) {
		s[o++] = '.';
		for (int i = 0; i < fd && o + 8 < size; i++)
			s[o++] = (char)('0' + rng() % 10);
	}
	if (rng() % 3 == 0)
		o += (size_t)snprintf(s + o, size - o, "e%d", (int)(rng() % 610) - 330);
	s[o] = '\0';
}

static void test_numbers_vs_strtod(void **state)
{
	enum { N = 20000 };
	size_t cap = (size_t)N * 72 + 16, o = 0;
	char *buf = malloc(cap), (*nums)[64] = malloc(N * sizeof(*nums));
	struct tcsv_table t;
	const char *fixed[] = {
		"0", "-0", "0.1", "1e22", "1e23", "9007199254740993", "9007199254740992.5",
		"2.2250738585072011e-308", "4.9e-324", "1.7976931348623157e308", ".5", "5.",
		"123456789012345678901234567890", "0.000000000000000000000000000000001",
		"1e-400", "-1e-400", "+.5e+1", "00000000000000000000000000000000000001"
	};

	(void)state;
	assert_non_null(buf);
	assert_non_null(nums);
	o += (size_t)snprintf(buf + o, cap - o, "x\n");
	for (int i = 0; i < N; i++) {
		if (i < (int)TC_ARRAY_SIZE(fixed))
			snprintf(nums[i], sizeof(nums[i]), "%s", fixed[i]);
		else
			random_number(nums[i], sizeof(nums[i]));
		o += (size_t)snprintf(buf + o, cap - o, "%s\n", nums[i]);
	}
	load_buf_ok(&t, buf, &real_schema);
	assert_int_equal(t.nrows, N);
	for (int i = 0; i < N; i++) {
		double want = strtod(nums[i], NULL), got = t.cols[0].num[i];
		if (want == 0)
			want = 0.0;
		if (memcmp(&want, &got, sizeof(double)))
			fail_msg("\"%s\": strtod %.17g, tcsv %.17g", nums[i], want, got);
	}
	tcsv_table_release(&t);
	free(nums);
	free(buf);
}

static void test_number_forms(void **state)
{
	struct tcsv_table t;
	static const struct tcsv_col_spec cols[] = {
		{ "i", TCSV_INT, TCSV_THOUSANDS, NULL, 0, 0 },
		{ "p", TCSV_REAL, TCSV_POSITIVE | TCSV_THOUSANDS, NULL, 0, 0 },
	};
	static const struct tcsv_schema s = { "forms", cols, 2, 0 };

	(void)state;
	load_buf_ok(&t, "i,p\n\"1,234,567\",\"1,234.5\"\n-999,0.001\n+7,1e3\n"
		    "999999999999999,\"999,999.25\"\n0,1\n", &s);
	assert_true(t.cols[0].num[0] == 1234567 && t.cols[1].num[0] == 1234.5);
	assert_true(t.cols[0].num[1] == -999 && t.cols[1].num[1] == 0.001);
	assert_true(t.cols[0].num[2] == 7 && t.cols[1].num[2] == 1000);
	assert_true(t.cols[0].num[3] == 999999999999999.0 && t.cols[1].num[3] == 999999.25);
	tcsv_table_release(&t);
	expect_error(NULL, "f", SL("i,p\n1,0\n"), &s,
		     "f:2:2: column 'p': expected a positive number, got \"0\"");
	expect_error(NULL, "f", SL("i,p\n1,-2\n"), &s,
		     "f:2:2: column 'p': expected a positive number, got \"-2\"");
	expect_error(NULL, "f", SL("i,p\n\"0,123\",1\n"), &s,
		     "f:2:1: column 'i': expected an integer, got \"0,123\" "
		     "(misplaced thousands separator)");
	expect_error(NULL, "f", SL("i,p\n\",123\",1\n"), &s,
		     "f:2:1: column 'i': expected an integer, got \",123\" "
		     "(misplaced thousands separator)");
	expect_error(NULL, "f", SL("i,p\n\"1234,567\",1\n"), &s,
		     "f:2:1: column 'i': expected an integer, got \"1234,567\" "
		     "(misplaced thousands separator)");
	expect_error(NULL, "f", SL("i,p\n1e3,1\n"), &s,
		     "f:2:1: column 'i': expected an integer, got \"1e3\"");
	expect_error(NULL, "f", SL("i,p\n1,1e\n"), &s,
		     "f:2:2: column 'p': expected a number, got \"1e\"");
	expect_error(NULL, "f", SL("i,p\n1,.\n"), &s,
		     "f:2:2: column 'p': expected a number, got \".\"");
	expect_error(NULL, "f", SL("i,p\n1,+-1\n"), &s,
		     "f:2:2: column 'p': expected a number, got \"+-1\"");
	expect_error(NULL, "f", SL("i,p\n1,inf\n"), &s,
		     "f:2:2: column 'p': expected a number, got \"inf\" "
		     "(NaN and infinity are not allowed)");
	expect_error(NULL, "f", SL("i,p\n1,\"1,5\"\n"), &s,
		     "f:2:2: column 'p': expected a number, got \"1,5\" "
		     "(misplaced thousands separator)");
	/* long text in a number column is not "a number too long" */
	expect_error(NULL, "f",
		     SL("i,p\n1,this is a long sentence that is clearly not any kind of number\n"), &s,
		     "f:2:2: column 'p': expected a number, got \"this is a long sentence "
		     "that is clearly ...\"");
	/* a value error waits for the row end: a ragged row is reported as such */
	expect_error(NULL, "f", SL("i,p\nx\n"), &s,
		     "f:2:2: column 'p': row too short: 1 fields, the header has 2");
	/* the first bad value of a row is reported */
	expect_error(NULL, "f", SL("i,p\nx,y\n"), &s,
		     "f:2:1: column 'i': expected an integer, got \"x\"");
}

/* Composite keys: numbers by value, text in full (no truncation). */
static void test_keys(void **state)
{
	static const struct tcsv_col_spec cols[] = {
		{ "k", TCSV_TEXT, TCSV_KEY, NULL, 0, 0 },
		{ "n", TCSV_REAL, TCSV_KEY | TCSV_OPTIONAL | TCSV_THOUSANDS, NULL, 0, 0 },
	};
	static const struct tcsv_schema s = { "keys", cols, 2, 0 };
	struct tcsv_table t;
	size_t cap = 3 * 5000 + 100, o;
	char *buf = malloc(cap);

	(void)state;
	assert_non_null(buf);
	/* two keys that differ only after 2000 bytes are different */
	o = (size_t)snprintf(buf, cap, "k,n\n");
	for (int r = 0; r < 2; r++) {
		memset(buf + o, 'k', 2000);
		o += 2000;
		o += (size_t)snprintf(buf + o, cap - o, "%c,1\n", 'a' + r);
	}
	load_buf_ok(&t, buf, &s);
	assert_int_equal(t.nrows, 2);
	tcsv_table_release(&t);
	/* the same number written differently is the same key */
	expect_error(NULL, "k", SL("k,n\na,\"1,000\"\na,1000.0\n"), &s,
		     "k:3: duplicate key (k=a, n=1000), first seen on line 2");
	/* -0 and 0 are the same key; missing is a key value of its own */
	expect_error(NULL, "k", SL("k,n\na,0\na,-0\n"), &s,
		     "k:3: duplicate key (k=a, n=0), first seen on line 2");
	expect_error(NULL, "k", SL("k,n\na,\na,0\nb,\na,\n"), &s,
		     "k:5: duplicate key (k=a, n=(missing)), first seen on line 2");
	free(buf);
}

/*
** A small input is read whole and its block is the table's: the text of a
** field the fast path split lies where it was read, at its offset in the
** input from any other such field (no copy into an arena), whether the
** input came from a file or a buffer; a field libcsv read (a line with a
** tab goes to libcsv) is a copy, with the same value.  The per-row arrays hold the
** input's rows, not 256 of them (malloc_usable_size, glibc).
*/
static void test_small_in_place(void **state)
{
	static const struct tcsv_col_spec cols[] = {
		{ "t", TCSV_TEXT, TCSV_KEY, NULL, 0, 0 },
		{ "n", TCSV_INT, 0, NULL, 0, 0 },
		{ "u", TCSV_TEXT, TCSV_OPTIONAL, NULL, 0, 0 },
		{ "d", TCSV_DATE, 0, NULL, 0, 0 },
	};
	static const struct tcsv_schema s = { "inplace", cols, 4, 0 };
	static const char in[] = "t,n,u,d\n"
				 "xx,123,yy,2025-03-04\n"
				 "zz,4,w\tw,2025-03-04\n"
				 "vv,5,,2025-03-04\n";
	char path[512];
	struct tcsv_table t;
	struct tc_err err;

	(void)state;
	write_tmp(path, sizeof(path), "inplace.csv", in, sizeof(in) - 1);
	for (int file = 0; file <= 1; file++) {
		const char *base;
		tc_err_init(&err);
		if (file ? tcsv_load_file(&t, path, &s, &err)
			 : tcsv_load_buffer(&t, "b", in, sizeof(in) - 1, &s, &err))
			fail_msg("%s", err.msg);
		assert_int_equal(t.nrows, 3);
		base = t.cols[0].text[0];
		assert_string_equal(base, "xx");
		assert_string_equal(t.cols[2].text[0], "yy");
		assert_string_equal(t.cols[3].text[0], "2025-03-04");
		assert_string_equal(t.cols[2].text[1], "w\tw");
		assert_null(t.cols[2].text[2]);
		/* offsets in the input: "xx" at 8, "yy" at 15, dates at 18 and 55, "vv" at 49 */
		assert_int_equal((uintptr_t)t.cols[2].text[0] - (uintptr_t)base, 15 - 8);
		assert_int_equal((uintptr_t)t.cols[3].text[0] - (uintptr_t)base, 18 - 8);
		assert_int_equal((uintptr_t)t.cols[0].text[2] - (uintptr_t)base, 49 - 8);
		assert_string_equal(t.cols[3].text[2], "2025-03-04");
		assert_int_equal((uintptr_t)t.cols[3].text[2] - (uintptr_t)base, 55 - 8);
#if defined(__GLIBC__)
		/* three rows (four line ends), not 256: 32 bytes of doubles, not 2048 */
		assert_true(malloc_usable_size(t.cols[1].num) < 256 * sizeof(double) / 2);
		assert_true(malloc_usable_size(t.cols[0].text) < 256 * sizeof(char *) / 2);
		assert_true(malloc_usable_size(t.lines) < 256 * sizeof(long) / 2);
#endif
		tcsv_table_release(&t);
	}
	unlink(path);
}

/*
** Duplicate keys among thousands: the key set grows while streaming (no
** size known in advance) and is sized once by a small table's line count;
** both find the duplicate and its first line.  (Coverage of the key set's
** two ways of sizing, not a fix: the old key set passed it too.)
*/
static void test_many_keys(void **state)
{
	static const struct tcsv_col_spec cols[] = {
		{ "k", TCSV_TEXT, TCSV_KEY, NULL, 0, 0 },
		{ "y", TCSV_INT, TCSV_KEY, NULL, 0, 0 },
	};
	static const struct tcsv_schema s = { "many", cols, 2, 0 };
	size_t cap = 64 * 4000, o;
	char *buf = malloc(cap), path[512], want[800];

	(void)state;
	assert_non_null(buf);
	o = (size_t)snprintf(buf, cap, "k,y\n");
	for (int i = 0; i < 3000; i++)	/* k<i%100>,<i/100>: 3000 distinct keys */
		o += (size_t)snprintf(buf + o, cap - o, "k%d,%d\n", i % 100, i / 100);
	o += (size_t)snprintf(buf + o, cap - o, "k%d,%d\n", 1234 % 100, 1234 / 100);
	write_tmp(path, sizeof(path), "many.csv", buf, o);
	snprintf(want, sizeof(want), "%s:3002: duplicate key (k=k34, y=12), first seen on line %d",
		 path, 1234 + 2);
	expect_error(path, path, buf, o, &s, want);
	unlink(path);
	free(buf);
}

static void test_open_errors(void **state)
{
	struct tcsv_table t;
	struct tc_err err;
	char want[600];

	(void)state;
	tc_err_init(&err);
	assert_int_equal(tcsv_load_file(&t, "/nonexistent/x.csv", &main_schema, &err), -1);
	assert_string_equal(err.msg, "unable to open '/nonexistent/x.csv': No such file or directory");
	assert_empty_table(&t);
	assert_int_equal(tcsv_load_file(&t, tmpdir, &main_schema, &err), -1);
	snprintf(want, sizeof(want), "'%s' is a directory, not a CSV file", tmpdir);
	assert_string_equal(err.msg, want);
	assert_empty_table(&t);
}

/* Leading/trailing blanks are trimmed by libcsv in unquoted fields only. */
static void test_spaces(void **state)
{
	struct tcsv_table t;

	(void)state;
	load_buf_ok(&t, "year , series,deaths,rate,date,month,note\n"
		    "  2022 ,\tall_drugs , 5 ,1.5,2022-01-01,2022-01,  padded  \n", &main_schema);
	assert_true(t.cols[C_YEAR].num[0] == 2022 && t.cols[C_DEATHS].num[0] == 5);
	assert_string_equal(t.cols[C_NOTE].text[0], "padded");
	tcsv_table_release(&t);
	/* C1 controls and DEL are control characters too; other UTF-8 is fine */
	expect_error(NULL, "s", SL("x\na\xc2\x85" "b\n"), &text_schema,
		     "s:2:1: column 'x': control character U+0085 at byte 2 of \"a\xc2\x85" "b\"");
	expect_error(NULL, "s", SL("x\na\x7f\n"), &text_schema,
		     "s:2:1: column 'x': control character 0x7f at byte 2 of \"a\\x7f\"");
	load_buf_ok(&t, "x\n\xc2\xa0\xef\xbb\xbf\xf0\x9f\x98\x80\n", &text_schema);
	tcsv_table_release(&t);
	/* overlong, surrogate and truncated sequences are invalid */
	expect_error(NULL, "s", SL("x\n\xc0\xaf\n"), &text_schema,
		     "s:2:1: column 'x': invalid UTF-8 at byte 1 of \"\\xc0\\xaf\"");
	expect_error(NULL, "s", SL("x\n\xed\xa0\x80\n"), &text_schema,
		     "s:2:1: column 'x': invalid UTF-8 at byte 1 of \"\\xed\\xa0\\x80\"");
	expect_error(NULL, "s", SL("x\nab\xe2\x80\n"), &text_schema,
		     "s:2:1: column 'x': invalid UTF-8 at byte 3 of \"ab\\xe2\\x80\"");
	/* carriage returns: CRLF and a final bare CR are fine, others are not */
	load_buf_ok(&t, "x\r\na\r\nb\r", &text_schema);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.cols[0].text[1], "b");
	tcsv_table_release(&t);
	expect_error(NULL, "s", SL("x\ra\n"), &text_schema,
		     "s:1: bare carriage return at byte 2 (only LF and CRLF line ends are accepted)");
	expect_error(NULL, "s", SL("x\na\r\rb\n"), &text_schema,
		     "s:2: bare carriage return at byte 2 (only LF and CRLF line ends are accepted)");
	expect_error(NULL, "s", SL("x\n\"a\rb\"\n"), &text_schema,
		     "s:2:1: column 'x': control character 0x0d at byte 2 of \"a\\x0db\"");
	/* a lone CR on a blank line is not a row end: skipped like a blank */
	load_buf_ok(&t, "x\n\r\r\na\n", &text_schema);
	assert_int_equal(t.nrows, 1);
	assert_int_equal(t.lines[0], 3);
	tcsv_table_release(&t);
	/* a CR inside quotes in an unchecked column is data */
	load_buf_ok(&t, "y,x\n\"a\rb\",ok\n", &text_extra_schema);
	assert_int_equal(t.nrows, 1);
	tcsv_table_release(&t);
	/* quoted blanks are kept */
	load_buf_ok(&t, "x\n\" a\t\"\n", &text_schema);
	assert_string_equal(t.cols[0].text[0], " a\t");
	tcsv_table_release(&t);
}

/* ---- fuzz corpus and regressions (the harness itself is included above) ---- */

static size_t replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[1024];
		size_t len;
		char *buf;
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "README.md"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		buf = read_all(path, &len);
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

/* ---- the fast line splitter (fast_lines): its edges, and against libcsv ---- */

#define BLOCK_BYTES (1u << 20)	/* tcsv.c's read block */

static const struct tcsv_col_spec abc_cols[] = {
	{ "a", TCSV_TEXT, TCSV_OPTIONAL, NULL, 0, 0 },
	{ "b", TCSV_TEXT, TCSV_OPTIONAL, NULL, 0, 0 },
	{ "c", TCSV_TEXT, TCSV_OPTIONAL, NULL, 0, 0 },
};
static const struct tcsv_schema abc_schema = { "abc", abc_cols, 3, 0 };

/* Load buf both ways (tcsv's splitter on and off); both must succeed alike. */
static void load_both(struct tcsv_table *t, const char *buf, size_t len)
{
	struct tcsv_table u;
	struct tc_err err;

	for (int fast = 0; fast <= 1; fast++) {
		tc_err_init(&err);
		tcsv_set_fast_lines(fast);
		if (tcsv_load_buffer(fast ? t : &u, "s", buf, len, &abc_schema, &err)) {
			tcsv_set_fast_lines(1);
			fail_msg("fast lines %d: %s", fast, err.msg);
		}
	}
	tcsv_set_fast_lines(1);
	assert_int_equal(t->nrows, u.nrows);
	for (size_t i = 0; i < t->nrows; i++) {
		assert_int_equal(t->lines[i], u.lines[i]);
		for (size_t c = 0; c < 3; c++) {
			const char *x = t->cols[c].text[i], *y = u.cols[c].text[i];
			assert_true((!x && !y) || (x && y && !strcmp(x, y)));
		}
	}
	tcsv_table_release(&u);
}

/* Fail both ways (splitter on and off) with the message want. */
static void fail_both(const char *buf, size_t len, const char *want)
{
	for (int fast = 0; fast <= 1; fast++) {
		struct tcsv_table t;
		struct tc_err err;
		int rc;
		tc_err_init(&err);
		tcsv_set_fast_lines(fast);
		rc = tcsv_load_buffer(&t, "s", buf, len, &abc_schema, &err);
		tcsv_set_fast_lines(1);
		assert_int_equal(rc, -1);
		assert_string_equal(err.msg, want);
		assert_empty_table(&t);
		assert_null(t.strings);
	}
}

static void assert_row(const struct tcsv_table *t, size_t i, const char *a, const char *b,
		       const char *c)
{
	const char *want[3] = { a, b, c };
	for (size_t k = 0; k < 3; k++) {
		if (!want[k])
			assert_null(t->cols[k].text[i]);
		else
			assert_string_equal(t->cols[k].text[i], want[k]);
	}
}

static void test_splitter_edges(void **state)
{
	struct tcsv_table t;

	(void)state;
	/* quotes: commas and doubled quotes inside, blanks around, an empty quoted field */
	load_both(&t, SL("a,b,c\n\"x, \"\"y\"\"\",  \" z \" ,w\n\"\",\"\"\"\",  v  \n"));
	assert_int_equal(t.nrows, 2);
	assert_row(&t, 0, "x, \"y\"", " z ", "w");
	assert_row(&t, 1, NULL, "\"", "v");	/* an empty field is missing, quoted or not */
	tcsv_table_release(&t);
	/* a quote inside an unquoted field, text after a closing quote: libcsv's messages */
	fail_both(SL("a,b,c\n1,x\"y,3\n"),
		  "s:2:2: column 'b': malformed CSV at byte 4: a quote inside an unquoted field "
		  "(quote the whole field and double the quote)");
	fail_both(SL("a,b,c\n1,\"x\"y,3\n"),
		  "s:2:2: column 'b': malformed CSV at byte 6: text after a closing quote");
	/* a quoted field over two lines: split by libcsv, refused as text */
	fail_both(SL("a,b,c\n1,\"two\nlines\",3\n4,5,6\n"),
		  "s:2:2: column 'b': control character 0x0a at byte 4 of \"two\\x0alines\"");

	/* CR: CRLF ends lines (the CR is not part of the last field); empty last fields */
	load_both(&t, SL("a,b,c\r\n1,2,3\r\n,,\r\n \t\r\n4 ,5\t, 6 \r\n"));
	assert_int_equal(t.nrows, 3);
	assert_row(&t, 0, "1", "2", "3");
	assert_row(&t, 1, NULL, NULL, NULL);
	assert_row(&t, 2, "4", "5", "6");
	assert_int_equal(t.lines[2], 5);
	tcsv_table_release(&t);
	fail_both(SL("a,b,c\n1,2,3\r4,5,6\n"),
		  "s:2: bare carriage return at byte 6 (only LF and CRLF line ends are accepted)");

	/* an embedded NUL, a last line without its newline */
	fail_both(SL("a,b,c\n1,x\0y,3\n"), "s:2:2: column 'b': NUL byte at byte 4 (binary file?)");
	fail_both(SL("a,b,c\n1,2,3\n4,5,6"),
		  "s:3: the last line has no newline at its end: the file may be truncated "
		  "(a complete CSV file ends with a newline)");
}

/*
** Lines across the read block boundary and a line longer than the block,
** through the file loader (fread) and the buffer loader (memcpy).
*/
static void test_splitter_blocks(void **state)
{
	size_t cap = 4 * BLOCK_BYTES, o, q0, long0;
	char *buf = malloc(cap), path[512], *b1 = malloc(700000), *c1 = malloc(700000);
	long lines = 1, qline, longline;
	struct tcsv_table t;
	struct tc_err err;
	int i = 0, iq;
	char want[64];

	(void)state;
	assert_true(buf && b1 && c1);
	o = (size_t)snprintf(buf, cap, "a,b,c\n");
	while (o < BLOCK_BYTES - 50) {
		o += (size_t)snprintf(buf + o, cap - o, "r%d,\"q,\"\"%d\"\"\",%d\n", i, i, i);
		lines++;
		i++;
	}
	/* a row whose quoted middle field holds the block's last byte */
	iq = i - 1;
	qline = ++lines;
	q0 = o;
	o += (size_t)snprintf(buf + o, cap - o, "first,\"");
	memset(buf + o, 'q', 100);
	o += 100;
	o += (size_t)snprintf(buf + o, cap - o, "\",last\n");
	assert_true(q0 < BLOCK_BYTES && o > BLOCK_BYTES + 10);
	/* a line longer than a block: two fields of 600,000 bytes */
	longline = ++lines;
	long0 = o;
	memset(b1, 'b', 600000);
	b1[600000] = '\0';
	memset(c1, 'c', 600000);
	c1[600000] = '\0';
	o += (size_t)snprintf(buf + o, cap - o, "x,%s,%s\n", b1, c1);
	assert_true(o - long0 > BLOCK_BYTES);
	while (o < 3 * BLOCK_BYTES) {
		o += (size_t)snprintf(buf + o, cap - o, "s%d,%d,\"%d\"\n", i, i, i);
		lines++;
		i++;
	}
	write_tmp(path, sizeof(path), "blocks.csv", buf, o);
	for (int way = 0; way < 3; way++) {
		size_t n;
		tc_err_init(&err);
		if (way < 2) {
			tcsv_set_fast_lines(way);
			if (tcsv_load_file(&t, path, &abc_schema, &err))
				fail_msg("%s", err.msg);
		} else if (tcsv_load_buffer(&t, "s", buf, o, &abc_schema, &err)) {
			fail_msg("%s", err.msg);
		}
		tcsv_set_fast_lines(1);
		assert_int_equal(t.nrows, (size_t)lines - 1);
		n = (size_t)(qline - 2);
		assert_int_equal(t.lines[n], qline);
		assert_string_equal(t.cols[0].text[n], "first");
		assert_int_equal(strlen(t.cols[1].text[n]), 100);
		assert_int_equal(strspn(t.cols[1].text[n], "q"), 100);
		assert_string_equal(t.cols[2].text[n], "last");
		snprintf(want, sizeof(want), "q,\"%d\"", iq);
		assert_string_equal(t.cols[1].text[n - 1], want);
		n = (size_t)(longline - 2);
		assert_int_equal(t.lines[n], longline);
		assert_string_equal(t.cols[1].text[n], b1);
		assert_string_equal(t.cols[2].text[n], c1);
		n = t.nrows - 1;
		assert_int_equal(t.lines[n], lines);
		assert_int_equal(atoi(t.cols[1].text[n]), i - 1);
		assert_int_equal(atoi(t.cols[2].text[n]), i - 1);
		tcsv_table_release(&t);
	}
	free(buf);
	free(b1);
	free(c1);
}

/*
** Random inputs made of the bytes that matter to a CSV splitter, through
** the fuzz harness (which loads each with tcsv's splitter and with libcsv
** alone and aborts on any difference of outcome, message or table).
** Under valgrind or any TOCALC_WRAP, a sample of 300 inputs.
*/
static uint64_t split_rng = 0x9E3779B97F4A7C15ull;

static unsigned split_below(unsigned n)
{
	split_rng ^= split_rng << 13;
	split_rng ^= split_rng >> 7;
	split_rng ^= split_rng << 17;
	return (unsigned)(split_rng % n);
}

static void test_splitter_random(void **state)
{
	static const char *const headers[] = { "a,b\n", "a,b,c\n", "a,b,c,d\n", "b,a\n", "a\n" };
	static const char *const tokens[] = {
		"1", "12", "1,234", "\"1,234\"", "2020-01-02", "2020-02", "red", "final", "x y",
		"", ",", ",", ",", "\"", "\"\"", "\"q\"", "\"a,\"\"b\"\"\"", " ", "\t", "\r\n", "\n",
		"\n", "\r", "\xc3\xa9", "-0.5", "1e3", "\0",
	};
	const char *w = getenv("TOCALC_WRAP");
	long count = RUNNING_ON_VALGRIND || (w && *w) ? 300 : 20000;
	char buf[512];

	(void)state;
	for (long k = 0; k < count; k++) {
		size_t o = 0, h = split_below(TC_ARRAY_SIZE(headers) + 1);
		if (h < TC_ARRAY_SIZE(headers)) {
			memcpy(buf, headers[h], strlen(headers[h]));
			o = strlen(headers[h]);
		}
		for (unsigned n = split_below(60); n > 0 && o + 16 < sizeof(buf); n--) {
			size_t t = split_below(TC_ARRAY_SIZE(tokens));
			size_t len = tokens[t][0] ? strlen(tokens[t]) : 1;	/* "\0" is one byte */
			memcpy(buf + o, tokens[t], len);
			o += len;
		}
		if (split_below(8))
			buf[o++] = '\n';
		LLVMFuzzerTestOneInput((const uint8_t *)buf, o);
	}
}

static void test_fuzz_replay(void **state)
{
	char dir[512];
	size_t n;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/../fuzz/regressions/tcsv", data_dir());
	n = replay_dir(dir);
	snprintf(dir, sizeof(dir), "%s/../fuzz/corpus/tcsv", data_dir());
	n += replay_dir(dir);
	print_message("replayed %zu fuzz inputs\n", n);
	assert_true(n > 0);
}

static int group_setup(void **state)
{
	(void)state;
	make_tmpdir();
	return 0;
}

static int group_teardown(void **state)
{
	const char *names[] = { "over1.csv", "chunks.csv", "split_ok.csv", "split.csv",
				"after.csv", "blocks.csv" };
	char path[512];

	(void)state;
	for (size_t i = 0; i < TC_ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	rmdir(tmpdir);
	return 0;
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_bad_corpus_complete),
		cmocka_unit_test(test_good_values),
		cmocka_unit_test(test_good_missing),
		cmocka_unit_test(test_good_bom_crlf_blank),
		cmocka_unit_test(test_allow_extra),
		cmocka_unit_test(test_buffer_and_file_agree),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_stream_abort),
		cmocka_unit_test(test_no_partial_table),
		cmocka_unit_test(test_oversized_field),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_chunk_boundary),
		cmocka_unit_test(test_numbers_vs_strtod),
		cmocka_unit_test(test_number_forms),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_small_in_place),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_spaces),
		cmocka_unit_test(test_splitter_edges),
		cmocka_unit_test(test_splitter_blocks),
		cmocka_unit_test(test_splitter_random),
		cmocka_unit_test(test_fuzz_replay),
	};
	struct CMUnitTest tests[TC_ARRAY_SIZE(fixed) + TC_ARRAY_SIZE(bad_cases)];
	size_t n = 0;

	for (size_t i = 0; i < TC_ARRAY_SIZE(fixed); i++)
		tests[n++] = fixed[i];
	for (size_t i = 0; i < TC_ARRAY_SIZE(bad_cases); i++) {
		struct CMUnitTest u = { bad_cases[i].file, test_bad_file, NULL, NULL,
					(void *)(uintptr_t)&bad_cases[i] };
		tests[n++] = u;
	}
	return _cmocka_run_group_tests("tcsv", tests, n, group_setup, group_teardown);
}

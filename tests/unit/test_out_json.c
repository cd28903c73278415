/*
** test_out_json.c: the JSON writer of out.c (write_json, through
** out_doc_write) against two independent references:
**   1. documents whose JSON text was written out by hand from the JSON
**      grammar and jansson's documented dump rules (indent 2, ": ",
**      reals at 17 digits with ".0" for whole numbers, \uXXXX escapes);
**   2. jansson itself, the library the writer replaces: random documents
**      (keys repeated, keys and strings that are not UTF-8, control
**      characters, every cell kind, doubles from random bit patterns and
**      the awkward ones, empty tables and notes) are built both as an
**      out_doc and as a jansson tree the way out.c used to build it
**      (json_object_set_new in the same order), and the two texts must be
**      byte for byte the same.
**   3. the numbers alone: 1,000,000 doubles where out.c prints the
**      digits itself (1e-5 <= |v| < 1e17: random bit patterns, decimal
**      strings read with strtod, neighbours of the powers of ten and of two, exact
**      ties between two 17-digit decimals, which round to even) and
**      around that range (zero and -0, subnormals, tiny and huge values,
**      the neighbours of its edges), each compared with jansson's text.
**   4. the same numbers in CSV, where a number is the shortest of %.15g,
**      %.16g and %.17g that strtod reads back as the same double (out.c
**      finds the digits and checks the round trip with integers), against
**      that rule run with the C library's snprintf and strtod.
**   5. 1,000,000 numbers as table cells (out_cell_text: "%.Df" rounded to
**      the cell's decimals, 0 to 18, from integers in out.c; exact ties at
**      the last decimal, which round to even) against snprintf.
** 20,000 random documents and 1,000,000 numbers natively; under valgrind
** or any TOCALC_WRAP (make valgrind) a sample of 300 and 20,000.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#define TEST_RNG_SEED 0x2545F4914F6CDD1Dull
#include "testutil.h"

#include <float.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tocalc/out.h"
#include "tocalc/util.h"

#define FULL_DOCS 20000L
#define SAMPLE_DOCS 300L

#define FULL_NUMBERS 1000000L
#define SAMPLE_NUMBERS 20000L

static long docs_to_run(void)
{
	return test_sampled() ? SAMPLE_DOCS : FULL_DOCS;
}

/* The JSON text of a document, as out_doc_write gives it (caller frees). */
static char *render(const struct out_doc *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct tc_err err;

	assert_non_null(fp);
	tc_err_init(&err);
	assert_int_equal(out_doc_write(d, OUT_JSON, fp, &err), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

/* ------------------------------------------------------------ by hand */

static void test_hand_written(void **state)
{
	struct out_doc *d = out_doc_new("tariff");
	struct out_table *t;
	char *got;
	const char *want =
		"{\n"
		"  \"command\": \"tariff\",\n"
		"  \"text\": \"a\\\"b\\\\c\\nd\\te\\u0001\\u001F\\r\\b\\f/\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\n"
		"  \"bad\": \"(invalid UTF-8)\",\n"
		"  \"whole\": 200.0,\n"
		"  \"tenth\": 0.10000000000000001,\n"
		"  \"big\": 1e20,\n"
		"  \"small\": 1.0000000000000001e-5,\n"
		"  \"neg_zero\": -0.0,\n"
		"  \"missing\": null,\n"
		"  \"count\": -9223372036854775808,\n"
		"  \"rows\": [\n"
		"    {\n"
		"      \"k\": \"x\",\n"
		"      \"v\": 2.5,\n"
		"      \"ok\": true\n"
		"    },\n"
		"    {\n"
		"      \"k\": null,\n"
		"      \"v\": 12345678901234568.0,\n"
		"      \"ok\": false\n"
		"    }\n"
		"  ],\n"
		"  \"empty\": [],\n"
		"  \"notes\": [\n"
		"    \"first\",\n"
		"    \"third\"\n"
		"  ]\n"
		"}\n";

	(void)state;
	out_meta_str(d, "text", "a\"b\\c\nd\te\x01\x1f\r\b\f/\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	out_meta_str(d, "bad", "caf\xe9");
	out_meta_num(d, "whole", 200, 2);
	out_meta_num(d, "tenth", 0.1, 2);
	out_meta_num(d, "big", 1e20, 2);
	out_meta_num(d, "small", 1e-5, 2);
	out_meta_num(d, "neg_zero", -0.0, 2);
	out_meta_num(d, "missing", NAN, 2);
	out_meta_int(d, "count", LLONG_MIN);
	t = out_table_add(d, "rows", "Rows");
	out_col(t, "k", "key");
	out_col(t, "v", "value");
	out_col(t, "ok", "ok");
	out_row(t);
	out_str(t, "x");
	out_num(t, 2.5, 1);
	out_bool(t, 1);
	out_row(t);
	out_str(t, NULL);
	out_num(t, 12345678901234567.0, 1);
	out_bool(t, 0);
	t = out_table_add(d, "empty", NULL);
	out_col(t, "a", "a");
	out_note(d, "first");
	out_note(d, "second \xc0\xaf");	/* an overlong '/': not UTF-8, left out */
	out_note(d, "third");
	got = render(d);
	assert_string_equal(got, want);
	free(got);
	out_doc_free(d);
}

/* A key twice keeps its first place and its last value; a key not UTF-8 is left out. */
static void test_hand_keys(void **state)
{
	struct out_doc *d = out_doc_new("c\xff");	/* not UTF-8: no "command" entry */
	struct out_table *t;
	char *got;
	const char *want =
		"{\n"
		"  \"a\": 3,\n"
		"  \"b\": 2,\n"
		"  \"command\": \"meta\",\n"
		"  \"t\": [\n"
		"    {\n"
		"      \"x\": 2,\n"
		"      \"y\": 3\n"
		"    }\n"
		"  ],\n"
		"  \"notes\": []\n"
		"}\n";

	(void)state;
	out_meta_int(d, "a", 1);
	out_meta_int(d, "b", 2);
	out_meta_int(d, "k\xed\xa0\x80", 9);	/* a surrogate: not UTF-8 */
	out_meta_str(d, "command", "meta");
	out_meta_int(d, "t", 7);		/* the table of that name takes its place */
	out_meta_int(d, "a", 3);
	t = out_table_add(d, "t", NULL);
	out_col(t, "x", NULL);
	out_col(t, "y", NULL);
	out_col(t, "x", NULL);
	out_row(t);
	out_int(t, 1);
	out_int(t, 3);
	out_int(t, 2);
	out_note(d, "\x80");	/* the only note is not UTF-8: an empty array */
	got = render(d);
	assert_string_equal(got, want);
	free(got);
	out_doc_free(d);
}

/* An empty document; a table without columns. */
static void test_hand_empty(void **state)
{
	struct out_doc *d = out_doc_new("\xc3");
	struct out_table *t;
	char *got;

	(void)state;
	got = render(d);
	assert_string_equal(got, "{}\n");
	free(got);
	t = out_table_add(d, "t", NULL);
	out_row(t);
	got = render(d);
	assert_string_equal(got, "{\n  \"t\": [\n    {}\n  ]\n}\n");
	free(got);
	out_doc_free(d);
}

/* ------------------------------------------------------------ against jansson */

/* Text of random pieces: ASCII, escapes, control bytes, UTF-8 of 2-4 bytes, and bytes that are not UTF-8. */
static void rnd_text(char *b, size_t size, int mostly_valid)
{
	static const char *const piece[] = {
		"a", "Z", "0", " ", "_", "/", "\"", "\\", "\n", "\t", "\r", "\b", "\f", "\x01", "\x1f",
		"\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf", "\xef\xbf\xbf",
		"\xed\x9f\xbf", "\xee\x80\x80",
		/* not UTF-8 */
		"\x80", "\xbf", "\xc0\x80", "\xc1\xbf", "\xc2", "\xe0\x80\x80", "\xed\xa0\x80",
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xf8", "\xff", "\xe2\x82", "\xf0\x9f\x98",
	};
	size_t nvalid = 23, n = 0, k = below(12);

	b[0] = '\0';
	for (size_t i = 0; i < k; i++) {
		size_t j = mostly_valid && below(10) ? below((unsigned)nvalid) :
			below(TC_ARRAY_SIZE(piece));
		size_t l = strlen(piece[j]);
		if (n + l + 1 > size)
			break;
		memcpy(b + n, piece[j], l + 1);
		n += l;
	}
}

static const char *rnd_key(void)
{
	static const char *const keys[] = {
		"command", "notes", "a", "b", "partner", "value", "t1", "t2", "rows",
		"k\xff", "\xc3\xa9t\xc3\xa9", "quote\"key", "tab\tkey", "",
	};
	return keys[below(TC_ARRAY_SIZE(keys))];
}

static double rnd_double(void)
{
	static const double pick[] = {
		0.0, -0.0, 1.0, -1.0, 0.1, 200.0, 1e15, 1e16, 1e17, 1e20, 1e22, 1e-4, 1e-5, 1e-7,
		123456789012345678.0, 9007199254740993.0, DBL_MAX, -DBL_MAX, DBL_MIN, 5e-324,
		2.5, 438900.0, 42.062417499999995, 1e300, -1e-300, 0.5,
	};
	uint64_t bits;
	double v;

	switch (below(4)) {
	case 0:
		return pick[below(TC_ARRAY_SIZE(pick))];
	case 1:
		return (double)(long long)(rnd() >> below(64)) * (below(2) ? 1 : -1);
	case 2:
		return ldexp((double)(rnd() >> 11), (int)below(200) - 100);
	default:
		do {
			bits = rnd();
			memcpy(&v, &bits, sizeof(v));
		} while (!isfinite(v));
		return v;
	}
}

/* One random cell added to the table (or metadata) and its jansson value, as out.c made it. */
static json_t *j_str(const char *s)
{
	json_t *j = json_string(s);
	return j ? j : json_string("(invalid UTF-8)");
}

static json_t *rnd_meta(struct out_doc *d, const char *key)
{
	char b[96];
	double v;
	long long i;

	switch (below(4)) {
	case 0:
		rnd_text(b, sizeof(b), 1);
		out_meta_str(d, key, b);
		return j_str(b);
	case 1:
		if (below(8) == 0) {
			out_meta_str(d, key, NULL);
			return json_null();
		}
		v = below(10) ? rnd_double() : NAN;
		out_meta_num(d, key, v, (int)below(4));
		return isfinite(v) ? json_real(v) : json_null();
	default:
		i = below(6) == 0 ? LLONG_MIN : (long long)rnd();
		out_meta_int(d, key, i);
		return json_integer(i);
	}
}

static json_t *rnd_cell(struct out_table *t)
{
	char b[96];
	double v;
	long long i;

	switch (below(6)) {
	case 0:
		rnd_text(b, sizeof(b), 1);
		out_str(t, b);
		return j_str(b);
	case 1:
		out_missing(t);
		return json_null();
	case 2:
		i = (long long)rnd() >> below(64);
		out_int(t, i);
		return json_integer(i);
	case 3:
		i = below(2);
		out_bool(t, (int)i);
		return json_boolean(i);
	default:
		v = below(20) ? rnd_double() : INFINITY;
		out_num(t, v, (int)below(4) - 1);
		return isfinite(v) ? json_real(v) : json_null();
	}
}

static void test_random_against_jansson(void **state)
{
	long n = docs_to_run();

	(void)state;
	for (long k = 0; k < n; k++) {
		char cmd[96], note[96];
		struct out_doc *d;
		json_t *root = json_object(), *notes = NULL;
		size_t nmeta = below(8), ntab = below(4), nnotes = below(4);
		char *want = NULL, *got;
		size_t wlen = 0;
		FILE *fp;

		rnd_text(cmd, sizeof(cmd), 1);
		d = out_doc_new(cmd);
		json_object_set_new(root, "command", json_string(cmd));
		for (size_t i = 0; i < nmeta; i++) {
			const char *key = rnd_key();
			json_object_set_new(root, key, rnd_meta(d, key));
		}
		for (size_t i = 0; i < ntab; i++) {
			const char *name = rnd_key();
			struct out_table *t = out_table_add(d, name, NULL);
			size_t ncols = below(5), nrows = below(4);
			const char *keys[5];
			json_t *arr = json_array();
			for (size_t j = 0; j < ncols; j++) {
				keys[j] = rnd_key();
				out_col(t, keys[j], NULL);
			}
			for (size_t r = 0; r < nrows; r++) {
				json_t *row = json_object();
				out_row(t);
				for (size_t j = 0; j < ncols; j++)
					json_object_set_new(row, keys[j], rnd_cell(t));
				json_array_append_new(arr, row);
			}
			json_object_set_new(root, name, arr);
		}
		for (size_t i = 0; i < nnotes; i++) {
			rnd_text(note, sizeof(note), below(2));
			out_note(d, "%s", note);
			if (!notes)
				notes = json_array();
			json_array_append_new(notes, json_string(note));
		}
		if (notes)
			json_object_set_new(root, "notes", notes);
		fp = open_memstream(&want, &wlen);
		assert_non_null(fp);
		assert_int_equal(json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
					    JSON_REAL_PRECISION(17)), 0);
		fputc('\n', fp);
		assert_int_equal(fclose(fp), 0);
		got = render(d);
		if (strcmp(got, want))
			fail_msg("document %ld: the writer gave\n%s\njansson\n%s", k, got, want);
		free(got);
		free(want);
		json_decref(root);
		out_doc_free(d);
	}
}

/* A double where the writer prints the digits itself, or just outside that range. */
static double rnd_number(void)
{
	char s[48];
	uint64_t k;
	double v;
	int q, n, dot;

	switch (below(9)) {
	case 7:	/* anywhere: zero, subnormals, tiny and huge (the library's side of out.c) */
		switch (below(4)) {
		case 0:
			v = 0;
			break;
		case 1:
			v = ldexp((double)(rnd() >> (12 + below(52))), -1074);
			break;
		default:
			v = ldexp((double)((rnd() >> 11) | (1ull << 52)), (int)below(2000) - 1074);
			break;
		}
		break;
	case 8:	/* the edges of out.c's own range and of the fixed and exponent forms */
		{
			static const double edge[] = { 1e-5, 1e-4, 1e15, 1e16, 1e17, 9007199254740992.0,
						       0.5e-4, 9.9999999999999995e-5 };
			v = edge[below(TC_ARRAY_SIZE(edge))];
			for (int i = (int)below(3); i > 0; i--)
				v = nextafter(v, below(2) ? INFINITY : 0);
		}
		break;
	case 6:	/* a power of two or a neighbour (the gap below is half the gap above) */
		v = ldexp(1, (int)below(120) - 70);
		if (below(2))
			v = nextafter(v, below(2) ? INFINITY : 0);
		break;
	case 0:	/* random significand, exponent from 1e-6 to 1e18 */
		v = ldexp((double)((rnd() >> 11) | (1ull << 52)), (int)below(114) - 72);
		break;
	case 1:	/* a decimal as data files write it */
		n = 1 + (int)below(17);
		dot = (int)below((unsigned)n + 6);
		q = 0;
		s[q++] = (char)('1' + below(9));
		for (int i = 1; i < n; i++)
			s[q++] = (char)('0' + below(10));
		s[q] = '\0';
		v = strtod(s, NULL) * pow(10, (double)dot - (double)n);
		break;
	case 2:	/* the neighbours of a power of ten */
		v = pow(10, (double)below(24) - 6);
		for (int i = (int)below(4); i > 0; i--)
			v = nextafter(v, below(2) ? INFINITY : 0);
		break;
	case 3:	/* an exact tie at the 17th digit: k / 2^(q+1), k odd */
		q = 1 + (int)below(8);
		k = (uint64_t)(pow(10, 16 - q) * 2 * pow(2, q)) + (rnd() % (1ull << 40)) * 2 + 1;
		v = ldexp((double)k, -(q + 1));
		break;
	case 4:	/* integers */
		v = (double)(rnd() >> below(64));
		break;
	default:
		v = (double)below(1000) / (1 + below(1000));
		break;
	}
	return below(2) ? -v : v;
}

static void test_numbers_against_jansson(void **state)
{
	long n = test_sampled() ? SAMPLE_NUMBERS : FULL_NUMBERS, per = 1000;

	(void)state;
	for (long done = 0; done < n; done += per) {
		struct out_doc *d = out_doc_new("n");
		struct out_table *t = out_table_add(d, "v", NULL);
		json_t *root = json_object(), *arr = json_array();
		char *want = NULL, *got;
		size_t wlen = 0;
		FILE *fp;

		out_col(t, "v", NULL);
		json_object_set_new(root, "command", json_string("n"));
		for (long i = 0; i < per; i++) {
			double v = rnd_number();
			json_t *row = json_object();
			out_row(t);
			out_num(t, v, 2);
			json_object_set_new(row, "v", isfinite(v) ? json_real(v) : json_null());
			json_array_append_new(arr, row);
		}
		json_object_set_new(root, "v", arr);
		fp = open_memstream(&want, &wlen);
		assert_non_null(fp);
		assert_int_equal(json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
					    JSON_REAL_PRECISION(17)), 0);
		fputc('\n', fp);
		assert_int_equal(fclose(fp), 0);
		got = render(d);
		if (strcmp(got, want)) {
			const char *a = got, *b = want;
			while (*a && *a == *b)
				a++, b++;
			while (a > got && a[-1] != '\n')
				a--, b--;
			fail_msg("numbers from %ld: the writer gave\n%.60s\njansson\n%.60s", done, a, b);
		}
		free(got);
		free(want);
		json_decref(root);
		out_doc_free(d);
	}
}

/* The CSV text of a number by the rule itself, with the C library: shortest round trip, never "-0". */
static void csv_number(char *buf, size_t size, double v)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
}

static void test_csv_numbers_against_libc(void **state)
{
	long n = test_sampled() ? SAMPLE_NUMBERS : FULL_NUMBERS, per = 1000;

	(void)state;
	for (long done = 0; done < n; done += per) {
		struct out_doc *d = out_doc_new("n");
		struct out_table *t = out_table_add(d, "v", NULL);
		struct strbuf want = STRBUF_INIT;
		char *got = NULL, num[64];
		size_t glen = 0;
		FILE *fp;
		struct tc_err err;

		out_col(t, "v", NULL);
		strbuf_puts(&want, "v\n");
		for (long i = 0; i < per; i++) {
			double v = rnd_number();
			out_row(t);
			out_num(t, v, -1);
			csv_number(num, sizeof(num), v);
			strbuf_puts(&want, num);
			strbuf_puts(&want, "\n");
		}
		fp = open_memstream(&got, &glen);
		assert_non_null(fp);
		tc_err_init(&err);
		assert_int_equal(out_doc_write(d, OUT_CSV, fp, &err), 0);
		assert_int_equal(fclose(fp), 0);
		if (strcmp(got, want.buf)) {
			const char *a = got, *b = want.buf;
			while (*a && *a == *b)
				a++, b++;
			while (a > got && a[-1] != '\n')
				a--, b--;
			fail_msg("numbers from %ld: the CSV gave\n%.40s\nthe C library\n%.40s", done, a, b);
		}
		free(got);
		strbuf_release(&want);
		out_doc_free(d);
	}
}

/*
** The table text of a number by the rule itself, with the C library:
** "%.Df" (from 1e15 on "%.6g"), never "-0...", then a comma between
** groups of three when the integer part has five digits or more.
*/
static void table_number(char *buf, size_t size, double v, int decimals)
{
	char t[128];
	const char *p = t;
	size_t o = 0, intlen = 0;

	if (fabs(v) >= 1e15)
		snprintf(t, sizeof(t), "%.6g", v);
	else
		snprintf(t, sizeof(t), "%.*f", decimals, v);
	if (t[0] == '-' && strspn(t + 1, "0.") == strlen(t + 1))
		memmove(t, t + 1, strlen(t));
	if (*p == '-')
		buf[o++] = *p++;
	while (p[intlen] >= '0' && p[intlen] <= '9')
		intlen++;
	for (size_t i = 0; i < intlen; i++) {
		if (intlen >= 5 && i && (intlen - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = p[i];
	}
	snprintf(buf + o, size - o, "%s", p + intlen);
}

/* A value for a table cell: as rnd_number, or an exact tie at some decimal, or 0.5 steps */
static double rnd_table_number(int decimals)
{
	switch (below(4)) {
	case 0:	/* k / 2^j: ties at the last decimal when j > decimals */
		return ldexp((double)(rnd() >> (11 + below(40))), -(int)below(30)) * (below(2) ? -1 : 1);
	case 1:
		return ((double)(long)(rnd() % 2000001) - 1000000) / 2 / pow(10, decimals);
	default:
		return rnd_number();
	}
}

static void test_table_numbers_against_libc(void **state)
{
	long n = test_sampled() ? SAMPLE_NUMBERS : FULL_NUMBERS, per = 1000;

	(void)state;
	for (long done = 0; done < n; done += per) {
		struct out_doc *d = out_doc_new("n");
		struct out_table *t = out_table_add(d, "v", NULL);
		double *vs = malloc((size_t)per * sizeof(*vs));
		int *ds = malloc((size_t)per * sizeof(*ds));

		assert_non_null(vs);
		assert_non_null(ds);
		out_col(t, "v", NULL);
		for (long i = 0; i < per; i++) {
			ds[i] = below(8) ? (int)below(8) : (int)below(19);
			vs[i] = rnd_table_number(ds[i]);
			out_row(t);
			out_num(t, vs[i], ds[i]);
		}
		for (long i = 0; i < per; i++) {
			char got[4096], want[256];
			if (!isfinite(vs[i]))
				continue;
			out_cell_text(t, (size_t)i, 0, got, sizeof(got));
			table_number(want, sizeof(want), vs[i], ds[i]);
			if (strcmp(got, want))
				fail_msg("%.17g at %d decimals: the table gave '%s', the C library '%s'",
					 vs[i], ds[i], got, want);
		}
		free(ds);
		free(vs);
		out_doc_free(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_written),
		cmocka_unit_test(test_hand_keys),
		cmocka_unit_test(test_hand_empty),
		cmocka_unit_test(test_random_against_jansson),
		cmocka_unit_test(test_numbers_against_jansson),
		cmocka_unit_test(test_csv_numbers_against_libc),
		cmocka_unit_test(test_table_numbers_against_libc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* fuzz-sources: src/out.c src/out_html.c src/out_xmlcheck.c src/util.c */
/*
** fuzz_json.c: libFuzzer harness for the JSON writer of src/out.c against
** jansson, the library it replaced (issue 18).
**
**   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
**       tests/fuzz/fuzz_json.c src/out.c src/out_html.c src/out_xmlcheck.c src/util.c -ljansson
**
** The input is read as a list of records separated by NUL bytes; the first
** is the command, and each later one starts with an operation byte:
**   m KEY 0x01 TEXT   metadata text       n KEY 0x01 8 BYTES  metadata number
**   i KEY 0x01 8 BYTES metadata integer   t NAME              a table
**   c KEY             a column (before the table's first row)
**   r                 a row               s TEXT / d 8 BYTES / b / x   a cell
**   o TEXT            a note              (anything else is skipped)
** Every string and key is taken as it is (control bytes, bytes that are not
** UTF-8, keys given twice).  The same document is built as an out_doc and
** as a jansson tree the way out.c built it before (json_object_set_new of
** the command, every metadata entry, every table, the notes, in that order;
** json_string's NULL for text that is not UTF-8); the two JSON texts must
** be byte for byte the same, else abort().
*/
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tocalc/out.h"

#define FZ_MAXCOLS 16
#define FZ_MAXMETA 64

struct fz_table {
	struct out_table *t;
	json_t *arr, *row;
	const char *name;
	char *keys[FZ_MAXCOLS];
	size_t ncols, cell;
	int rows;
};

static json_t *fz_str(const char *s)
{
	json_t *j = json_string(s);
	return j ? j : json_string("(invalid UTF-8)");
}

static double fz_double(const char *p, size_t n)
{
	uint64_t bits = 0;
	double v;

	memcpy(&bits, p, n < 8 ? n : 8);
	memcpy(&v, &bits, sizeof(v));
	return v;
}

/* Close the table's current row in the jansson tree (missing cells as out.c leaves them: null). */
static void fz_end_row(struct fz_table *ft)
{
	if (!ft->row)
		return;
	for (; ft->cell < ft->ncols; ft->cell++) {
		out_missing(ft->t);
		json_object_set_new(ft->row, ft->keys[ft->cell], json_null());
	}
	json_array_append_new(ft->arr, ft->row);
	ft->row = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *p, *end, *want = NULL, *got = NULL;
	struct out_doc *d;
	json_t *root, *notes = NULL, *mval[FZ_MAXMETA];
	const char *mkey[FZ_MAXMETA];
	struct fz_table tabs[8];
	size_t ntabs = 0, nmeta = 0, wlen = 0, glen = 0;
	FILE *fp;
	struct tc_err err;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	end = buf + size;
	d = out_doc_new(buf);
	for (p = buf + strlen(buf) + 1; p < end; p += strlen(p) + 1) {
		char op = p[0], *arg = p + (p[0] ? 1 : 0), *val = strchr(arg, '\x01');
		struct fz_table *ft = ntabs ? &tabs[ntabs - 1] : NULL;
		size_t vlen = 0;

		if (val) {
			*val++ = '\0';
			vlen = strlen(val);
		}
		switch (op) {
		case 'm':
			if (nmeta == FZ_MAXMETA)
				break;
			out_meta_str(d, arg, val);
			mkey[nmeta] = arg;
			mval[nmeta++] = val ? fz_str(val) : json_null();
			break;
		case 'n': {
			double v = val ? fz_double(val, vlen) : NAN;
			if (nmeta == FZ_MAXMETA)
				break;
			out_meta_num(d, arg, v, 2);
			mkey[nmeta] = arg;
			mval[nmeta++] = isfinite(v) ? json_real(v) : json_null();
			break;
		}
		case 'i': {
			long long v = 0;
			if (nmeta == FZ_MAXMETA)
				break;
			if (val)
				memcpy(&v, val, vlen < 8 ? vlen : 8);
			out_meta_int(d, arg, v);
			mkey[nmeta] = arg;
			mval[nmeta++] = json_integer(v);
			break;
		}
		case 't':
			if (ntabs == 8)
				break;
			if (ft)
				fz_end_row(ft);
			ft = &tabs[ntabs++];
			memset(ft, 0, sizeof(*ft));
			ft->t = out_table_add(d, arg, NULL);
			ft->arr = json_array();
			ft->name = arg;
			break;
		case 'c':
			if (!ft || ft->rows || ft->ncols == FZ_MAXCOLS)
				break;
			ft->keys[ft->ncols++] = arg;
			out_col(ft->t, arg, NULL);
			break;
		case 'r':
			if (!ft)
				break;
			fz_end_row(ft);
			out_row(ft->t);
			ft->row = json_object();
			ft->cell = 0;
			ft->rows++;
			break;
		case 's': case 'd': case 'b': case 'x':
			if (!ft || !ft->row || ft->cell == ft->ncols)
				break;
			if (op == 's') {
				out_str(ft->t, arg);
				json_object_set_new(ft->row, ft->keys[ft->cell], fz_str(arg));
			} else if (op == 'd') {
				double v = fz_double(arg, strlen(arg));
				out_num(ft->t, v, 1);
				json_object_set_new(ft->row, ft->keys[ft->cell],
						    isfinite(v) ? json_real(v) : json_null());
			} else if (op == 'b') {
				out_bool(ft->t, arg[0] & 1);
				json_object_set_new(ft->row, ft->keys[ft->cell], json_boolean(arg[0] & 1));
			} else {
				out_missing(ft->t);
				json_object_set_new(ft->row, ft->keys[ft->cell], json_null());
			}
			ft->cell++;
			break;
		case 'o':
			out_note(d, "%s", arg);
			if (!notes)
				notes = json_array();
			json_array_append_new(notes, json_string(arg));
			break;
		default:
			break;
		}
	}
	if (ntabs)
		fz_end_row(&tabs[ntabs - 1]);
	root = json_object();
	json_object_set_new(root, "command", json_string(buf));
	for (size_t i = 0; i < nmeta; i++)
		json_object_set_new(root, mkey[i], mval[i]);
	for (size_t k = 0; k < ntabs; k++)
		json_object_set_new(root, tabs[k].name, tabs[k].arr);
	if (notes)
		json_object_set_new(root, "notes", notes);

	fp = open_memstream(&want, &wlen);
	if (!fp)
		abort();
	if (json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)))
		abort();
	fputc('\n', fp);
	fclose(fp);
	fp = open_memstream(&got, &glen);
	if (!fp)
		abort();
	tc_err_init(&err);
	if (out_doc_write(d, OUT_JSON, fp, &err))
		abort();
	fclose(fp);
	if (wlen != glen || memcmp(want, got, wlen)) {
		fprintf(stderr, "fuzz_json: the writer and jansson differ\n--- writer\n%s--- jansson\n%s", got,
			want);
		abort();
	}
	free(want);
	free(got);
	json_decref(root);
	out_doc_free(d);
	free(buf);
	return 0;
}

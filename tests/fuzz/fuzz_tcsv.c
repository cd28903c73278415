/* fuzz-sources: src/tcsv.c src/util.c */
/*
** fuzz_tcsv.c: libFuzzer harness for the strict CSV layer (src/tcsv.c).
**
** Every input is loaded with tcsv_load_buffer() against each of seven
** schemas, one per kind of dataset (integers with thousands separators,
** reals with ranges, dates, months, enumerations, composite keys, extra
** columns allowed), and streamed once with a callback that aborts.  On
** success the table's invariants are checked; on failure the error must
** name the input and the table must be empty.  Each load is repeated with
** tcsv's own line splitter off (libcsv alone): outcome, message and table
** must be the same.  A broken invariant calls
** abort(), which libFuzzer reports as a crash.
**
** Run: scripts/fuzz.sh 60   (or make fuzz FUZZ_SECONDS=60)
** Crashing inputs are kept in tests/fuzz/regressions/tcsv/ and replayed by
** tests/unit/test_tcsv.c, which #includes this file (so everything here is
** static except LLVMFuzzerTestOneInput, and prefixed fz_).
*/
#include "tocalc/tcsv.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fz_colors[] = { "red", "green", "blue", NULL };
static const char *const fz_status[] = { "final", "provisional", "x", NULL };

static const struct tcsv_col_spec fz_ints[] = {
	{ "a", TCSV_INT, TCSV_OPTIONAL | TCSV_NONNEG | TCSV_THOUSANDS, NULL, 0, 0 },
	{ "b", TCSV_INT, TCSV_KEY, NULL, 1900, 2199 },
	{ "c", TCSV_INT, TCSV_OPTIONAL | TCSV_POSITIVE, NULL, 0, 0 },
};
static const struct tcsv_col_spec fz_reals[] = {
	{ "a", TCSV_REAL, TCSV_OPTIONAL, NULL, 0, 100 },
	{ "b", TCSV_REAL, TCSV_POSITIVE, NULL, 0, 0 },
	{ "c", TCSV_REAL, TCSV_OPTIONAL | TCSV_THOUSANDS | TCSV_NONNEG, NULL, 0, 0 },
};
static const struct tcsv_col_spec fz_dates[] = {
	{ "a", TCSV_DATE, TCSV_KEY, NULL, 0, 0 },
	{ "b", TCSV_DATE, TCSV_OPTIONAL, NULL, 0, 0 },
};
static const struct tcsv_col_spec fz_months[] = {
	{ "a", TCSV_MONTH, TCSV_KEY, NULL, 0, 0 },
	{ "b", TCSV_TEXT, TCSV_OPTIONAL, NULL, 0, 0 },
};
static const struct tcsv_col_spec fz_enums[] = {
	{ "a", TCSV_ENUM, TCSV_KEY, fz_colors, 0, 0 },
	{ "b", TCSV_ENUM, TCSV_OPTIONAL, fz_status, 0, 0 },
};
static const struct tcsv_col_spec fz_keys[] = {
	{ "a", TCSV_TEXT, TCSV_KEY, NULL, 0, 0 },
	{ "b", TCSV_INT, TCSV_KEY | TCSV_OPTIONAL, NULL, 0, 0 },
	{ "c", TCSV_ENUM, TCSV_KEY, fz_colors, 0, 0 },
	{ "d", TCSV_REAL, TCSV_OPTIONAL, NULL, 0, 0 },
};
static const struct tcsv_col_spec fz_extra[] = {
	{ "a", TCSV_TEXT, 0, NULL, 0, 0 },
	{ "b", TCSV_REAL, TCSV_OPTIONAL | TCSV_THOUSANDS, NULL, 0, 0 },
};

static const struct tcsv_schema fz_schemas[] = {
	{ "ints", fz_ints, TC_ARRAY_SIZE(fz_ints), 0 },
	{ "reals", fz_reals, TC_ARRAY_SIZE(fz_reals), 0 },
	{ "dates", fz_dates, TC_ARRAY_SIZE(fz_dates), 0 },
	{ "months", fz_months, TC_ARRAY_SIZE(fz_months), 0 },
	{ "enums", fz_enums, TC_ARRAY_SIZE(fz_enums), 0 },
	{ "keys", fz_keys, TC_ARRAY_SIZE(fz_keys), 0 },
	{ "extra", fz_extra, TC_ARRAY_SIZE(fz_extra), TCSV_ALLOW_EXTRA },
};

#define FZ_CHECK(cond)                                                              \
	do {                                                                        \
		if (!(cond)) {                                                      \
			fprintf(stderr, "fuzz_tcsv: invariant failed: %s (line %d)\n", \
				#cond, __LINE__);                                   \
			abort();                                                    \
		}                                                                   \
	} while (0)

static void fz_check_table(const struct tcsv_table *t, const struct tcsv_schema *s)
{
	FZ_CHECK(t->schema == s && t->nrows > 0 && t->cols && t->lines && t->path);
	for (size_t r = 0; r < t->nrows; r++) {
		FZ_CHECK(t->lines[r] >= 2);
		if (r)
			FZ_CHECK(t->lines[r] > t->lines[r - 1]);
	}
	for (size_t c = 0; c < s->ncols; c++) {
		const struct tcsv_col_spec *sp = &s->cols[c];
		const struct tcsv_column *col = &t->cols[c];
		FZ_CHECK(col->type == sp->type && col->missing);
		FZ_CHECK((col->num != NULL) == (sp->type != TCSV_TEXT));
		FZ_CHECK((col->text != NULL) == (sp->type != TCSV_INT && sp->type != TCSV_REAL));
		for (size_t r = 0; r < t->nrows; r++) {
			double v = col->num ? col->num[r] : 0;
			const char *x = col->text ? col->text[r] : NULL;
			long iv;
			if (col->missing[r]) {
				FZ_CHECK(sp->flags & TCSV_OPTIONAL);
				FZ_CHECK(!col->num || isnan(v));
				FZ_CHECK(!col->text || !x);
				continue;
			}
			FZ_CHECK(isfinite(v));
			FZ_CHECK(!(v == 0 && signbit(v)));	/* no -0 */
			switch (sp->type) {
			case TCSV_INT:
				FZ_CHECK(v == floor(v) && fabs(v) < 1e15);
				/* fall through */
			case TCSV_REAL:
				if (sp->flags & TCSV_NONNEG)
					FZ_CHECK(v >= 0);
				if (sp->flags & TCSV_POSITIVE)
					FZ_CHECK(v > 0);
				if (sp->min < sp->max)
					FZ_CHECK(v >= sp->min && v <= sp->max);
				break;
			case TCSV_DATE:
				FZ_CHECK(x && tc_parse_date(x, &iv) == 0 && (double)iv == v);
				break;
			case TCSV_MONTH:
				FZ_CHECK(x && tc_parse_month(x, &iv) == 0 && (double)iv == v);
				break;
			case TCSV_ENUM:
				FZ_CHECK(x && v >= 0 && v < 16 && !strcmp(sp->values[(size_t)v], x));
				break;
			case TCSV_TEXT:
				FZ_CHECK(x && *x);
				for (const unsigned char *u = (const unsigned char *)x; *u; u++)
					FZ_CHECK(*u >= 0x20 || *u == '\t');
				break;
			}
		}
	}
}

static int fz_abort_after(const struct tcsv_row *row, void *ud, struct tc_err *err)
{
	long *left = ud;

	FZ_CHECK(row->line >= 2 && row->num && row->text && row->missing);
	if (--*left == 0)
		return tc_fail(err, "stopped by the callback at line %ld", row->line);
	return 0;
}

/*
** The line splitter of tcsv against libcsv alone (tcsv_set_fast_lines(0)):
** the same outcome, the same message, the same table.
*/
static void fz_same_without_fast_lines(const char *buf, size_t size, const struct tcsv_schema *s,
				       int rc, const struct tcsv_table *t, const struct tc_err *err)
{
	struct tcsv_table u;
	struct tc_err e2;
	int rc2;

	tc_err_init(&e2);
	tcsv_set_fast_lines(0);
	rc2 = tcsv_load_buffer(&u, "fuzz", buf, size, s, &e2);
	tcsv_set_fast_lines(1);
	if (rc2 != rc || (rc && strcmp(err->msg, e2.msg))) {
		fprintf(stderr, "fuzz_tcsv: fast lines: %d \"%s\"\nlibcsv alone: %d \"%s\"\n", rc,
			rc ? err->msg : "", rc2, rc2 ? e2.msg : "");
		abort();
	}
	if (rc)
		return;
	FZ_CHECK(u.nrows == t->nrows);
	FZ_CHECK(!memcmp(u.lines, t->lines, t->nrows * sizeof(*t->lines)));
	for (size_t c = 0; c < s->ncols; c++) {
		const struct tcsv_column *a = &t->cols[c], *b = &u.cols[c];
		FZ_CHECK(!memcmp(a->missing, b->missing, t->nrows));
		if (a->num)
			FZ_CHECK(!memcmp(a->num, b->num, t->nrows * sizeof(double)));
		for (size_t r = 0; a->text && r < t->nrows; r++)
			FZ_CHECK((!a->text[r] && !b->text[r]) ||
				 (a->text[r] && b->text[r] && !strcmp(a->text[r], b->text[r])));
	}
	tcsv_table_release(&u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;

	for (size_t k = 0; k < TC_ARRAY_SIZE(fz_schemas); k++) {
		const struct tcsv_schema *s = &fz_schemas[k];
		struct tcsv_table t;
		struct tc_err err;
		long left = 2;
		int rc;

		tc_err_init(&err);
		rc = tcsv_load_buffer(&t, "fuzz", buf, size, s, &err);
		fz_same_without_fast_lines(buf, size, s, rc, &t, &err);
		if (rc == 0) {
			fz_check_table(&t, s);
			tcsv_table_release(&t);
			FZ_CHECK(t.nrows == 0 && !t.cols && !t.path);
		} else {
			FZ_CHECK(!strncmp(err.msg, "fuzz", 4) && err.code == TC_EXIT_DATA);
			FZ_CHECK(t.nrows == 0 && !t.cols && !t.lines && !t.path);
		}
		/* the streaming path, aborted by the callback on the second row */
		tc_err_init(&err);
		if (tcsv_stream_buffer("fuzz", buf, size, s, fz_abort_after, &left, &err))
			FZ_CHECK(err.msg[0] && (!strncmp(err.msg, "fuzz", 4) ||
						!strncmp(err.msg, "stopped by the callback", 23)));
		else
			FZ_CHECK(left == 1);
	}
	return 0;
}

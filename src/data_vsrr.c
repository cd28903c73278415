/*
** data_vsrr.c: raw CDC VSRR download -> overdose_12mo.csv.
*/
#include "tocalc/vsrr.h"
#include "tocalc/datasets.h"
#include "tocalc/tcsv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December", NULL
};

enum { V_STATE, V_YEAR, V_MONTH, V_PERIOD, V_INDICATOR, V_VALUE, V_COMPLETE, V_PENDING,
       V_FOOTSYM, V_PREDICTED };

#define OPT TCSV_OPTIONAL
#define TH TCSV_THOUSANDS
static const struct tcsv_col_spec raw_cols[] = {
	{ "State", TCSV_TEXT, TCSV_KEY, NULL, 0, 0 },
	{ "Year", TCSV_INT, TCSV_KEY, NULL, 1900, 2199 },
	{ "Month", TCSV_ENUM, TCSV_KEY, month_names, 0, 0 },
	{ "Period", TCSV_TEXT, TCSV_KEY, NULL, 0, 0 },
	{ "Indicator", TCSV_TEXT, TCSV_KEY, NULL, 0, 0 },
	{ "Data Value", TCSV_REAL, OPT | TH | TCSV_NONNEG, NULL, 0, 0 },
	{ "Percent Complete", TCSV_REAL, OPT, NULL, 0, 100 },
	{ "Percent Pending Investigation", TCSV_REAL, OPT, NULL, 0, 100 },
	{ "Footnote Symbol", TCSV_TEXT, OPT, NULL, 0, 0 },
	{ "Predicted Value", TCSV_REAL, OPT | TH | TCSV_NONNEG, NULL, 0, 0 },
};
static const struct tcsv_schema raw_schema = {
	"vsrr", raw_cols, TC_ARRAY_SIZE(raw_cols), TCSV_ALLOW_EXTRA
};

static const char *const indicators[] = {
	"Number of Drug Overdose Deaths",
	"Synthetic opioids, excl. methadone (T40.4)",
};

static int is_count(double v)
{
	return isnan(v) || (v == floor(v) && v < 1e9);
}

struct take_ctx {
	struct vsrr_import *imp;
	const char *path;
};

static int take_row(const struct tcsv_row *row, void *ud, struct tc_err *err)
{
	const struct take_ctx *tc = ud;
	struct vsrr_import *imp = tc->imp;
	struct vsrr_row *r;
	int series = -1;

	imp->raw_rows++;
	if (strcmp(row->text[V_STATE], "US") || strcmp(row->text[V_PERIOD], "12 month-ending"))
		return 0;
	for (size_t i = 0; i < TC_ARRAY_SIZE(indicators); i++)
		if (!strcmp(row->text[V_INDICATOR], indicators[i]))
			series = (int)i;
	if (series < 0)
		return 0;
	if (!is_count(row->num[V_VALUE]) || !is_count(row->num[V_PREDICTED]))
		return tc_fail(err, "%s:%ld: column '%s': a death count that is not a whole number "
			       "below 1,000,000,000", tc->path, row->line,
			       is_count(row->num[V_VALUE]) ? "Predicted Value" : "Data Value");
	imp->rows = xgrow(imp->rows, &imp->cap, imp->n + 1, sizeof(*imp->rows));
	r = &imp->rows[imp->n++];
	r->period = (long)row->num[V_YEAR] * 100 + (long)row->num[V_MONTH] + 1;
	r->series = series;
	r->reported = row->num[V_VALUE];
	r->predicted = row->num[V_PREDICTED];
	r->final = row->text[V_FOOTSYM] && !strcmp(row->text[V_FOOTSYM], "**");
	r->percent_complete = row->num[V_COMPLETE];
	r->percent_pending = row->num[V_PENDING];
	return 0;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct vsrr_row *x = a, *y = b;
	if (x->series != y->series)
		return x->series - y->series;
	return (x->period > y->period) - (x->period < y->period);
}

/* After streaming: check, sort and look for gaps (path names the input in messages). */
static int finish_import(const char *path, struct vsrr_import *imp, struct tc_err *err)
{
	if (!imp->n) {
		vsrr_import_release(imp);
		return tc_fail(err, "%s: no US 12 month-ending rows for the drug-overdose indicators "
			       "(is this the VSRR Provisional Drug Overdose Death Counts file?)", path);
	}
	qsort(imp->rows, imp->n, sizeof(*imp->rows), cmp_rows);
	for (size_t i = 1; i < imp->n; i++) {
		const struct vsrr_row *a = &imp->rows[i - 1], *b = &imp->rows[i];
		char m[8];
		if (a->series != b->series)
			continue;
		if (tc_month_index(b->period) != tc_month_index(a->period) + 1)
			return tc_fail(err, "%s: series '%s' has a gap after %s", path,
				       series_values[a->series], tc_format_month(a->period, m)),
			       vsrr_import_release(imp), -1;
	}
	return 0;
}

int vsrr_import_file(const char *path, struct vsrr_import *imp, struct tc_err *err)
{
	struct take_ctx tc = { imp, path };

	memset(imp, 0, sizeof(*imp));
	if (tcsv_stream_file(path, &raw_schema, take_row, &tc, err)) {
		vsrr_import_release(imp);
		return -1;
	}
	return finish_import(path, imp, err);
}

int vsrr_import_buffer(const char *name, const char *buf, size_t len, struct vsrr_import *imp,
		       struct tc_err *err)
{
	struct take_ctx tc = { imp, name };

	memset(imp, 0, sizeof(*imp));
	if (tcsv_stream_buffer(name, buf, len, &raw_schema, take_row, &tc, err)) {
		vsrr_import_release(imp);
		return -1;
	}
	return finish_import(name, imp, err);
}

void vsrr_import_release(struct vsrr_import *imp)
{
	free(imp->rows);
	memset(imp, 0, sizeof(*imp));
}

/* Counts as integers; percentages with 12 significant digits (the raw text has fewer). */
static void put_num(FILE *fp, double v, int count)
{
	if (isnan(v))
		return;
	if (count)
		fprintf(fp, "%.0f", v);
	else
		fprintf(fp, "%.12g", v);
}

int vsrr_write_dataset(const struct vsrr_import *imp, FILE *fp, const char *vintage,
		       const char *source_id, struct tc_err *err)
{
	fputs("period,series,reported,predicted,data_status,percent_complete,percent_pending,"
	      "vintage,source\n", fp);
	for (size_t i = 0; i < imp->n; i++) {
		const struct vsrr_row *r = &imp->rows[i];
		char m[8];
		fprintf(fp, "%s,%s,", tc_format_month(r->period, m), series_values[r->series]);
		put_num(fp, r->reported, 1);
		fputc(',', fp);
		put_num(fp, r->predicted, 1);
		fprintf(fp, ",%s,", r->final ? "final" : "provisional");
		put_num(fp, r->percent_complete, 0);
		fputc(',', fp);
		put_num(fp, r->percent_pending, 0);
		fprintf(fp, ",%s,%s\n", vintage, source_id);
	}
	if (ferror(fp))
		return tc_fail(err, "write error");
	return 0;
}

int vsrr_vintage_from_name(const char *path, char out[11])
{
	const char *base = strrchr(path, '/');
	char buf[11];
	long d;

	base = base ? base + 1 : path;
	if (strlen(base) < 9 || base[8] != '_')
		return -1;
	snprintf(buf, sizeof(buf), "%.4s-%.2s-%.2s", base, base + 4, base + 6);
	if (tc_parse_date(buf, &d))
		return -1;
	memcpy(out, buf, 11);
	return 0;
}

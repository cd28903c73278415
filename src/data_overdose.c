/*
** data_overdose.c: named overdose series from datasets/overdose_annual.csv
** and datasets/overdose_12mo.csv, and x/y series from a user's CSV file.
*/
#include "tocalc/data_overdose.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/tcsv.h"
#include "tocalc/data_vsrr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void od_series_init(struct od_series *s)
{
	memset(s, 0, sizeof(*s));
}

void od_series_release(struct od_series *s)
{
	if (!s)
		return;
	if (s->status)
		for (size_t i = 0; i < s->n; i++)
			free(s->status[i]);
	free(s->status);
	free(s->name);
	free(s->period);
	free(s->x);
	free(s->y);
	free(s->y2);
	free(s->vintage);
	free(s->unit);
	free(s->path);
	free(s->state);
	memset(s, 0, sizeof(*s));
}

int od_series_known(const char *name)
{
	for (size_t i = 0; series_values[i]; i++)
		if (!strcmp(series_values[i], name))
			return 1;
	return 0;
}

static int unknown_series(const char *name, struct tc_err *err)
{
	char hint[160];
	size_t n = 0;

	while (series_values[n])
		n++;
	tc_suggest(name, series_values, n, NULL, hint, sizeof(hint));
	return tc_failc(err, TC_EXIT_USAGE, "unknown series '%s'%s (known: all_drugs, synthetic_opioids)",
			name, hint);
}

static double month_x(long yyyymm)
{
	return tc_year_of_month(yyyymm);
}

static void alloc_points(struct od_series *s, size_t n, int two)
{
	s->n = n;
	s->period = xcalloc(n ? n : 1, sizeof(long));
	s->x = xcalloc(n ? n : 1, sizeof(double));
	s->y = xcalloc(n ? n : 1, sizeof(double));
	if (two)
		s->y2 = xcalloc(n ? n : 1, sizeof(double));
}

int od_load_final(struct od_series *s, const char *data_dir, const char *name,
		  enum od_measure measure, struct tc_err *err)
{
	struct tcsv_table t;
	size_t n = 0, ycol = measure == OD_RATE ? OA_RATE : OA_DEATHS;

	od_series_init(s);
	if (!od_series_known(name))
		return unknown_series(name, err);
	if (dataset_load(&t, data_dir, "overdose_annual", err))
		return -1;
	for (size_t r = 0; r < t.nrows; r++)
		if (!strcmp(tcsv_text(&t, OA_SERIES, r), name))
			n++;
	if (n == 0) {
		tcsv_table_release(&t);
		return tc_fail(err, "overdose_annual.csv has no rows for series '%s'", name);
	}
	alloc_points(s, n, 0);
	s->status = xcalloc(n, sizeof(char *));
	n = 0;
	for (size_t r = 0; r < t.nrows; r++) {
		if (strcmp(tcsv_text(&t, OA_SERIES, r), name))
			continue;
		s->period[n] = (long)tcsv_num(&t, OA_YEAR, r);
		s->x[n] = (double)s->period[n];
		s->y[n] = tcsv_is_missing(&t, ycol, r) ? NAN : tcsv_num(&t, ycol, r);
		s->status[n] = xstrdup(tcsv_text(&t, OA_STATUS, r));
		n++;
	}
	tcsv_table_release(&t);
	/* rows are keyed by (year, series); sort by year (insertion sort, n is small) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && s->period[j - 1] > s->period[j]; j--) {
			long tp = s->period[j];
			double tx = s->x[j], ty = s->y[j];
			char *ts = s->status[j];
			s->period[j] = s->period[j - 1];
			s->x[j] = s->x[j - 1];
			s->y[j] = s->y[j - 1];
			s->status[j] = s->status[j - 1];
			s->period[j - 1] = tp;
			s->x[j - 1] = tx;
			s->y[j - 1] = ty;
			s->status[j - 1] = ts;
		}
	for (size_t i = 1; i < n; i++)
		if (s->period[i] != s->period[i - 1] + 1) {
			long a = s->period[i - 1], b = s->period[i];
			od_series_release(s);
			return tc_fail(err, "overdose_annual.csv: series '%s' has no row for %ld (rows jump from %ld to %ld)",
				       name, a + 1, a, b);
		}
	s->name = xstrdup(name);
	s->source = OD_FINAL;
	s->measure = measure;
	s->axis = OD_YEARS;
	s->unit = xstrdup(measure == OD_RATE ? "age-adjusted rate per 100,000" : "deaths");
	s->path = xstrdup("overdose_annual.csv");
	return 0;
}

int od_load_vsrr(struct od_series *s, const char *data_dir, const char *name, struct tc_err *err)
{
	struct tcsv_table t;
	size_t n = 0;

	od_series_init(s);
	if (!od_series_known(name))
		return unknown_series(name, err);
	if (dataset_load(&t, data_dir, "overdose_12mo", err))
		return -1;
	for (size_t r = 0; r < t.nrows; r++)
		if (!strcmp(tcsv_text(&t, O12_SERIES, r), name))
			n++;
	if (n == 0) {
		tcsv_table_release(&t);
		return tc_fail(err, "overdose_12mo.csv has no rows for series '%s'", name);
	}
	alloc_points(s, n, 1);
	s->status = xcalloc(n, sizeof(char *));
	n = 0;
	for (size_t r = 0; r < t.nrows; r++) {
		const char *v;
		if (strcmp(tcsv_text(&t, O12_SERIES, r), name))
			continue;
		s->period[n] = (long)tcsv_num(&t, O12_PERIOD, r);
		s->x[n] = month_x(s->period[n]);
		s->y[n] = tcsv_is_missing(&t, O12_REPORTED, r) ? NAN : tcsv_num(&t, O12_REPORTED, r);
		s->y2[n] = tcsv_is_missing(&t, O12_PREDICTED, r) ? NAN : tcsv_num(&t, O12_PREDICTED, r);
		s->status[n] = xstrdup(tcsv_text(&t, O12_DATA_STATUS, r));
		v = tcsv_text(&t, O12_VINTAGE, r);
		if (v && *v) {
			if (!s->vintage) {
				s->vintage = xstrdup(v);
			} else if (!strstr(s->vintage, v)) {
				size_t len = strlen(s->vintage) + strlen(v) + 3;
				char *nv = xmalloc(len);
				snprintf(nv, len, "%s; %s", s->vintage, v);
				free(s->vintage);
				s->vintage = nv;
			}
		}
		n++;
	}
	tcsv_table_release(&t);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && s->period[j - 1] > s->period[j]; j--) {
			long tp = s->period[j];
			double tx = s->x[j], ty = s->y[j], ty2 = s->y2[j];
			char *ts = s->status[j];
			s->period[j] = s->period[j - 1];
			s->x[j] = s->x[j - 1];
			s->y[j] = s->y[j - 1];
			s->y2[j] = s->y2[j - 1];
			s->status[j] = s->status[j - 1];
			s->period[j - 1] = tp;
			s->x[j - 1] = tx;
			s->y[j - 1] = ty;
			s->y2[j - 1] = ty2;
			s->status[j - 1] = ts;
		}
	for (size_t i = 1; i < n; i++)
		if (tc_month_index(s->period[i]) != tc_month_index(s->period[i - 1]) + 1) {
			char a[16], b[16];
			tc_format_month(s->period[i - 1], a);
			tc_format_month(s->period[i], b);
			od_series_release(s);
			return tc_fail(err, "overdose_12mo.csv: series '%s' has a gap: %s is followed by %s",
				       name, a, b);
		}
	s->name = xstrdup(name);
	s->source = OD_VSRR;
	s->measure = OD_DEATHS;
	s->axis = OD_MONTHS;
	s->unit = xstrdup("deaths in the 12 months ending");
	s->path = xstrdup("overdose_12mo.csv");
	s->state = xstrdup("US");
	return 0;
}

int od_ids_all_secondary(const struct tcsv_table *src, const char *ids)
{
	const char *p = ids;
	int any = 0;

	while (p && *p) {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int sec = 0;
		for (size_t i = 0; i < src->nrows; i++) {
			const char *id = tcsv_text(src, SO_ID, i);
			if (strlen(id) == len && !strncmp(id, p, len))
				sec = !strcmp(tcsv_text(src, SO_KIND, i), "secondary");
		}
		if (!sec)
			return 0;
		any = 1;
		p = e ? e + 1 : NULL;
	}
	return any;
}

int od_secondary_note(const char *data_dir, char *buf, size_t size, struct tc_err *err)
{
	struct tcsv_table t, src;
	size_t o = 0;

	buf[0] = '\0';
	if (dataset_load(&src, data_dir, "sources", err))
		return -1;
	if (dataset_load(&t, data_dir, "overdose_annual", err)) {
		tcsv_table_release(&src);
		return -1;
	}
	for (size_t k = 0; series_values[k]; k++) {
		char years[256];
		size_t n = 0;
		years[0] = '\0';
		for (size_t r = 0; r < t.nrows; r++) {
			if (strcmp(tcsv_text(&t, OA_SERIES, r), series_values[k]) ||
			    tcsv_is_missing(&t, OA_DEATHS_SOURCE, r) ||
			    !od_ids_all_secondary(&src, tcsv_text(&t, OA_DEATHS_SOURCE, r)))
				continue;
			if (n < sizeof(years))
				n += (size_t)snprintf(years + n, sizeof(years) - n, "%s%.0f", n ? ", " : "",
						      tcsv_num(&t, OA_YEAR, r));
		}
		if (n && o < size)
			o += (size_t)snprintf(buf + o, size - o, "%s%s %s",
					      o ? "; " : "deaths from secondary sources only: ",
					      series_values[k], years);
	}
	tcsv_table_release(&t);
	tcsv_table_release(&src);
	return 0;
}

/* ---------- a vintage, a state, an indicator (datasets/vsrr/VINTAGE.csv) ---------- */

void od_select_init(struct od_select *sel)
{
	memset(sel, 0, sizeof(*sel));
}

int od_load_vsrr_sel(struct od_series *s, const char *data_dir, const struct od_select *sel,
		     struct tc_err *err)
{
	const char *ind = sel->indicator ? sel->indicator : "all_drugs";
	const char *state = sel->state ? sel->state : "US";
	struct tcsv_table t;
	char *path, **vs = NULL, vintage[11];
	size_t nv = 0, n = 0;
	long first_missing = 0;

	od_series_init(s);
	if (!vsrr_cdc_name(ind))
		return tc_failc(err, TC_EXIT_USAGE, "unknown indicator '%s' (known: all_drugs, "
				"synthetic_opioids, heroin, cocaine, psychostimulants, natural_semisynthetic, "
				"methadone, natural_semisynthetic_methadone, opioids_t40_2_4, opioids, "
				"all_deaths)", ind);
	if (!strcmp(ind, "percent_drugs_specified"))
		return tc_failc(err, TC_EXIT_USAGE, "'percent_drugs_specified' is a percentage, not a "
				"death count; see 'tocalc data show' on the vintage file");
	vs = vsrr_list_vintages(data_dir, &nv);
	if (sel->vintage) {
		int found = 0;
		for (size_t i = 0; i < nv; i++)
			found |= !strcmp(vs[i], sel->vintage);
		if (!found) {
			char list[256];
			size_t o = 0;
			list[0] = '\0';
			for (size_t i = 0; i < nv && o + 14 < sizeof(list); i++)
				o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", vs[i]);
			for (size_t i = 0; i < nv; i++)
				free(vs[i]);
			free(vs);
			return tc_failc(err, TC_EXIT_DATA, "no VSRR vintage %s in %s/vsrr (have: %s); import "
					"it with 'tocalc data import-vsrr FILE --vintage %s'", sel->vintage,
					data_dir, nv ? list : "none", sel->vintage);
		}
		snprintf(vintage, sizeof(vintage), "%s", sel->vintage);
	} else if (nv) {
		snprintf(vintage, sizeof(vintage), "%s", vs[nv - 1]);
	} else {
		free(vs);
		return tc_fail(err, "no VSRR vintages in %s/vsrr; import one with 'tocalc data import-vsrr'",
			       data_dir);
	}
	for (size_t i = 0; i < nv; i++)
		free(vs[i]);
	free(vs);
	path = vsrr_vintage_path(data_dir, vintage);
	if (tcsv_load_file(&t, path, &schema_vsrr_vintage, err)) {
		free(path);
		return -1;
	}
	for (size_t r = 0; r < t.nrows; r++)
		if (!strcmp(tcsv_text(&t, VV_STATE, r), state) &&
		    !strcmp(tcsv_text(&t, VV_INDICATOR, r), ind))
			n++;
	if (!n) {
		tcsv_table_release(&t);
		tc_fail(err, "%s: no rows for %s %s (imported with --all or --state %s?)", path, state,
			ind, state);
		free(path);
		return OD_NO_ROWS;
	}
	alloc_points(s, n, 1);
	s->status = xcalloc(n, sizeof(char *));
	n = 0;
	/* vintage files are written sorted by state, indicator, period */
	for (size_t r = 0; r < t.nrows; r++) {
		if (strcmp(tcsv_text(&t, VV_STATE, r), state) || strcmp(tcsv_text(&t, VV_INDICATOR, r), ind))
			continue;
		s->period[n] = (long)tcsv_num(&t, VV_PERIOD, r);
		s->x[n] = month_x(s->period[n]);
		s->y[n] = tcsv_is_missing(&t, VV_REPORTED, r) ? NAN : tcsv_num(&t, VV_REPORTED, r);
		s->y2[n] = tcsv_is_missing(&t, VV_PREDICTED, r) ? NAN : tcsv_num(&t, VV_PREDICTED, r);
		s->status[n] = xstrdup(tcsv_text(&t, VV_STATUS, r));
		if (n && tc_month_index(s->period[n]) != tc_month_index(s->period[n - 1]) + 1)
			first_missing = s->period[n - 1];
		n++;
	}
	tcsv_table_release(&t);
	if (first_missing) {
		char a[8];
		od_series_release(s);
		tc_fail(err, "%s: %s %s is not one row per month in order after %s", path, state, ind,
			tc_format_month(first_missing, a));
		free(path);
		return -1;
	}
	s->name = xstrdup(ind);
	s->source = OD_VSRR;
	s->measure = OD_DEATHS;
	s->axis = OD_MONTHS;
	s->vintage = xstrdup(vintage);
	s->state = xstrdup(state);
	s->unit = xstrdup("deaths in the 12 months ending");
	s->path = path;
	return 0;
}

/* A user file from disk (buf NULL) or from memory (buf, len; path names it). */
static int load_user(struct od_series *s, const char *path, const char *buf, size_t len,
		     const char *xcol, const char *ycol, int allow_uneven, struct tc_err *err)
{
	struct tcsv_col_spec cols[2];
	struct tcsv_schema schema;
	struct tcsv_table t;
	int months = 1, numbers = 1;
	size_t n;

	od_series_init(s);
	if (!strcmp(xcol, ycol))
		return tc_failc(err, TC_EXIT_USAGE, "--x and --y name the same column '%s'", xcol);
	memset(cols, 0, sizeof(cols));
	cols[0].name = xcol;
	cols[0].type = TCSV_TEXT;
	cols[1].name = ycol;
	cols[1].type = TCSV_REAL;
	cols[1].flags = TCSV_OPTIONAL;
	memset(&schema, 0, sizeof(schema));
	schema.name = path;
	schema.cols = cols;
	schema.ncols = 2;
	schema.flags = TCSV_ALLOW_EXTRA;
	if (buf ? tcsv_load_buffer(&t, path, buf, len, &schema, err)
		: tcsv_load_file(&t, path, &schema, err))
		return -1;
	n = t.nrows;
	if (n < 2) {
		tcsv_table_release(&t);
		return tc_fail(err, "%s: need at least 2 rows of data, got %zu", path, n);
	}
	for (size_t r = 0; r < n; r++) {
		const char *v = tcsv_text(&t, 0, r);
		long m;
		double d;
		if (!v || tc_parse_month(v, &m))
			months = 0;
		if (!v || tc_parse_double(v, &d))
			numbers = 0;
	}
	if (!months && !numbers) {
		for (size_t r = 0; r < n; r++) {
			const char *v = tcsv_text(&t, 0, r);
			long m;
			double d;
			if (!v || (tc_parse_double(v, &d) && tc_parse_month(v, &m))) {
				tc_fail(err, "%s:%ld: column '%s': expected a number or a YYYY-MM month, got \"%s\"",
					path, t.lines[r], xcol, v ? v : "");
				tcsv_table_release(&t);
				return -1;
			}
		}
		tc_fail(err, "%s: column '%s' mixes numbers and YYYY-MM months", path, xcol);
		tcsv_table_release(&t);
		return -1;
	}
	alloc_points(s, n, 0);
	s->axis = months ? OD_MONTHS : OD_NUMBERS;
	for (size_t r = 0; r < n; r++) {
		const char *v = tcsv_text(&t, 0, r);
		if (months) {
			tc_parse_month(v, &s->period[r]);
			s->x[r] = month_x(s->period[r]);
		} else {
			tc_parse_double(v, &s->x[r]);
			s->period[r] = 0;
		}
		s->y[r] = tcsv_is_missing(&t, 1, r) ? NAN : tcsv_num(&t, 1, r);
	}
	/* sorted, unique, no gaps */
	for (size_t r = 1; r < n; r++) {
		char a[32], b[32];
		od_label(s, r - 1, a);
		od_label(s, r, b);
		if (s->x[r] == s->x[r - 1]) {
			tc_fail(err, "%s:%ld: duplicate x %s (also on line %ld)", path, t.lines[r], b, t.lines[r - 1]);
			goto fail;
		}
		if (s->x[r] < s->x[r - 1]) {
			tc_fail(err, "%s:%ld: x values must be sorted: %s comes after %s", path, t.lines[r], b, a);
			goto fail;
		}
		if (months && tc_month_index(s->period[r]) != tc_month_index(s->period[r - 1]) + 1) {
			tc_fail(err, "%s:%ld: gap in the months: %s is followed by %s", path, t.lines[r], a, b);
			goto fail;
		}
	}
	if (!months && !allow_uneven && n > 2) {
		double step = s->x[1] - s->x[0];
		for (size_t r = 2; r < n; r++) {
			double d = s->x[r] - s->x[r - 1];
			if (fabs(d - step) > 1e-9 * (fabs(step) + fabs(s->x[r]))) {
				char a[32], b[32];
				od_label(s, r - 1, a);
				od_label(s, r, b);
				tc_fail(err, "%s:%ld: gap or uneven spacing: %s follows %s but the first step is %g "
					"(use --allow-uneven if the spacing is meant to vary)",
					path, t.lines[r], b, a, step);
				goto fail;
			}
		}
	}
	tcsv_table_release(&t);
	s->name = xstrdup(ycol);
	s->source = OD_FILE;
	s->measure = OD_DEATHS;
	s->unit = xstrdup(ycol);
	s->path = xstrdup(path);
	return 0;
fail:
	tcsv_table_release(&t);
	od_series_release(s);
	return -1;
}

int od_load_file(struct od_series *s, const char *path, const char *xcol, const char *ycol,
		 int allow_uneven, struct tc_err *err)
{
	return load_user(s, path, NULL, 0, xcol, ycol, allow_uneven, err);
}

int od_load_buffer(struct od_series *s, const char *name, const char *buf, size_t len,
		   const char *xcol, const char *ycol, int allow_uneven, struct tc_err *err)
{
	return load_user(s, name, buf ? buf : "", len, xcol, ycol, allow_uneven, err);
}

const char *od_label(const struct od_series *s, size_t i, char *buf)
{
	if (s->axis == OD_MONTHS)
		return tc_format_month(s->period[i], buf);
	if (s->axis == OD_YEARS)
		snprintf(buf, 32, "%ld", s->period[i]);
	else
		snprintf(buf, 32, "%.10g", s->x[i]);
	return buf;
}

const char *od_x_label(const struct od_series *s, double x, int exact, char *buf)
{
	if (exact) {
		for (size_t i = 0; i < s->n; i++)
			if (fabs(s->x[i] - x) < 1e-9)
				return od_label(s, i, buf);
	}
	snprintf(buf, 32, "%.2f", x);
	return buf;
}

int od_find_period(const struct od_series *s, const char *text, size_t *idx, struct tc_err *err)
{
	double x;
	long v;

	switch (s->axis) {
	case OD_MONTHS:
		if (tc_parse_month(text, &v))
			return tc_failc(err, TC_EXIT_USAGE, "'%s' is not a month: '%s' (VSRR 12 month-ending "
					"counts) takes YYYY-MM, such as 2023-07", text, s->name);
		x = month_x(v);
		break;
	case OD_YEARS:
		if (tc_parse_long(text, &v) || v < 1000 || v > 9999)
			return tc_failc(err, TC_EXIT_USAGE, "'%s' is not a year: '%s' (final annual data) takes "
					"YYYY, such as 2022; a month YYYY-MM, such as 2023-07, selects the VSRR "
					"12 month-ending counts", text, s->name);
		x = (double)v;
		break;
	default:
		if (tc_parse_double(text, &x))
			return tc_failc(err, TC_EXIT_USAGE, "'%s' is not a number: a file series takes the "
					"numbers of its x column", text);
		break;
	}
	for (size_t i = 0; i < s->n; i++)
		if (fabs(s->x[i] - x) < 1e-9 * (1 + fabs(x))) {
			*idx = i;
			return 0;
		}
	{
		char a[32], b[32];
		return tc_fail(err, "'%s' has no data for %s (it covers %s to %s)", s->name, text,
			       od_label(s, 0, a), od_label(s, s->n - 1, b));
	}
}

int od_check_range(const struct od_series *s, size_t i0, size_t i1, int second, int positive,
		   struct tc_err *err)
{
	const double *y = second ? s->y2 : s->y;
	const char *what = s->source == OD_VSRR ? (second ? " (predicted)" : " (reported)") : "";

	for (size_t i = i0; i <= i1 && i < s->n; i++) {
		char a[32];
		if (!y || !isfinite(y[i]))
			return tc_fail(err, "the value of '%s'%s for %s is missing; an analysis over a range "
				       "that contains it cannot skip it", s->name, what, od_label(s, i, a));
		if (positive && y[i] <= 0)
			return tc_fail(err, "the value of '%s'%s for %s is %g; a log-linear model needs values > 0",
				       s->name, what, od_label(s, i, a), y[i]);
	}
	return 0;
}

double od_date_x(long ymd)
{
	return tc_year_of_date(ymd, 0.0);
}

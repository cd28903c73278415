/*
** plot_recipe_series.c: the `series` recipe of `tocalc plot`: any CSV
** file (--file F --x COL --y COL) as a line plot, with an optional
** joinpoint fit (--joinpoint).  The only recipe that reads a file: its
** input is the user's, not the report's.  Fills a plot description only.
*/
#include "tocalc/model_joinpoint.h"
#include "tocalc/plot.h"
#include "tocalc/tcsv.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* recipe: series                                                       */

struct xy_row {
	double x, y;
	long line;
};

static int cmp_row(const void *a, const void *b)
{
	const struct xy_row *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return p->line < q->line ? -1 : p->line > q->line;
}

/* Decimal year of a time-axis x (seconds at the start of a month). */
static double year_of_time(double t)
{
	long day = (long)floor(t / 86400.0 + 0.5);
	long lo = 1900 * 12, hi = 2200 * 12;

	/* the month index whose start is at or before the day */
	while (lo < hi) {
		long mid = (lo + hi + 1) / 2;
		if (plot_time_of_month(tc_month_from_index(mid)) / 86400.0 <= (double)day)
			lo = mid;
		else
			hi = mid - 1;
	}
	return plot_year_of_month(tc_month_from_index(lo));
}

/* The time-axis x of a decimal year: linear within its month. */
static double time_of_year(double year)
{
	double idx = year * 12.0;
	long m = (long)floor(idx);
	double t0 = plot_time_of_month(tc_month_from_index(m));
	double t1 = plot_time_of_month(tc_month_from_index(m + 1));

	return t0 + (idx - (double)m) * (t1 - t0);
}

/*
** Joinpoint fit of the present values (docs/joinpoint.md): the fitted
** line as a dashed series and a marker at each joinpoint.  The
** permutation test uses a fixed seed, so the same data give the same plot.
** Months are fitted on decimal years (the fit does not depend on the
** unit of x, and seconds since 1970 would be badly scaled).
*/
#define SERIES_JP_SEED 0UL

static int add_joinpoint_fit(struct plot_desc *d, const double *x, const double *y, size_t n,
			     int months, struct tc_err *err)
{
	struct jp_options opt;
	struct jp_result res;
	const struct jp_model *m;
	struct plot_series *s;
	double *fx = xcalloc(n, sizeof(double)), *fy = xcalloc(n, sizeof(double));
	double *px = xcalloc(n, sizeof(double));
	size_t k = 0;
	gsl_rng *rng;
	char label[96];
	int rc;

	for (size_t i = 0; i < n; i++)
		if (!isnan(y[i])) {
			px[k] = x[i];
			fx[k] = months ? year_of_time(x[i]) : x[i];
			fy[k] = y[i];
			k++;
		}
	for (size_t i = 0; i < k; i++)
		if (!(fy[i] > 0)) {
			rc = tc_fail(err, "plot series --joinpoint: value %zu of the plotted column is %g; the "
				     "fit is log-linear and needs values > 0 (plot without --joinpoint, or fit y "
				     "itself with 'tocalc overdose joinpoint --file F --x COL --y COL --model "
				     "linear')", i + 1, fy[i]);
			goto out;
		}
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!rng)
		tc_die("out of memory allocating a random number generator");
	gsl_rng_set(rng, SERIES_JP_SEED);
	jp_options_init(&opt);
	/*
	** The size limits of jp_options (model_joinpoint.c) with advice that
	** fits this command: it has no --select or --from/--to, so the way out
	** is fewer rows or `overdose joinpoint --file`, which has both.
	*/
	if (opt.max_points && k > opt.max_points) {
		gsl_rng_free(rng);
		rc = tc_failc(err, TC_EXIT_USAGE, "plot series --joinpoint: %zu points is more than the %zu "
			      "the joinpoint search accepts; plot fewer rows, or fit a range with 'tocalc "
			      "overdose joinpoint --file F --x COL --y COL --from P --to P'", k, opt.max_points);
		goto out;
	}
	if (opt.max_points_permutation && k > opt.max_points_permutation) {
		gsl_rng_free(rng);
		rc = tc_failc(err, TC_EXIT_USAGE, "plot series --joinpoint: %zu points is more than the %zu "
			      "the permutation test accepts (it would run for many minutes); plot at most %zu "
			      "rows, or fit them with 'tocalc overdose joinpoint --file F --x COL --y COL "
			      "--select bic' (up to %zu points)", k, opt.max_points_permutation,
			      opt.max_points_permutation, opt.max_points);
		goto out;
	}
	rc = jp_analyze(fx, fy, k, &opt, rng, &res, err);
	gsl_rng_free(rng);
	if (rc) {
		/* one prefix: the model's own "joinpoint: " is dropped */
		if (!strncmp(err->msg, "joinpoint: ", 11))
			memmove(err->msg, err->msg + 11, strlen(err->msg + 11) + 1);
		tc_err_prefix(err, "plot series --joinpoint");
		goto out;
	}
	m = jp_selected_model(&res);
	snprintf(label, sizeof(label), "joinpoint fit (%d joinpoint%s)", m->k, m->k == 1 ? "" : "s");
	s = plot_add_series(d, PLOT_LINES, label, px, m->fitted, k);
	s->dash = 2;
	s->color = PLOT_RGB(0xd55e00);
	for (int j = 0; j < m->k; j++) {
		double tau = m->tau[j];
		plot_add_xmarker(d, months ? time_of_year(tau) : tau, NULL);
	}
	jp_result_release(&res);
out:
	free(fx);
	free(fy);
	free(px);
	return rc;
}

int plot_recipe_series(const struct plot_args *a, const struct report_result *r,
		       struct plot_desc *d, struct tc_err *err)
{
	struct tcsv_col_spec cols[2];
	struct tcsv_schema schema;
	struct tcsv_table t;
	struct xy_row *rows = NULL;
	double *x = NULL, *y = NULL;
	enum { X_UNKNOWN, X_NUMBER, X_MONTH } kind = X_UNKNOWN;
	int all_years = 1, ret = -1;
	size_t n;

	(void)r;
	if (!a->file || !a->x || !a->y)
		return tc_failc(err, TC_EXIT_USAGE, "plot series: --file, --x and --y are required");
	if (!strcmp(a->x, a->y))
		return tc_failc(err, TC_EXIT_USAGE, "plot series: --x and --y name the same column '%s'",
				a->x);

	memset(cols, 0, sizeof(cols));
	cols[0].name = a->x;
	cols[0].type = TCSV_TEXT;		/* a number or YYYY-MM, decided below */
	cols[1].name = a->y;
	cols[1].type = TCSV_REAL;
	cols[1].flags = TCSV_OPTIONAL;
	memset(&schema, 0, sizeof(schema));
	schema.name = a->file;
	schema.cols = cols;
	schema.ncols = 2;
	schema.flags = TCSV_ALLOW_EXTRA;
	if (tcsv_load_file(&t, a->file, &schema, err))
		return -1;
	n = t.nrows;
	if (n == 0) {
		tc_fail(err, "'%s' has no data rows", a->file);
		goto out;
	}

	rows = xcalloc(n, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		const char *s = tcsv_text(&t, 0, i);
		double v;
		long m;

		rows[i].line = t.lines[i];
		rows[i].y = tcsv_is_missing(&t, 1, i) ? NAN : tcsv_num(&t, 1, i);
		if (!s) {
			tc_fail(err, "%s:%ld: column '%s': missing x value", a->file, t.lines[i], a->x);
			goto out;
		}
		if (kind != X_MONTH && !tc_parse_double(s, &v)) {
			kind = X_NUMBER;
			rows[i].x = v;
			if (v != floor(v) || v < 1800 || v > 2200)
				all_years = 0;
		} else if (kind != X_NUMBER && !tc_parse_month(s, &m)) {
			kind = X_MONTH;
			rows[i].x = plot_time_of_month(m);
		} else {
			tc_fail(err, "%s:%ld: column '%s': expected %s, got '%s'", a->file, t.lines[i], a->x,
				kind == X_NUMBER ? "a number like the rows above" :
				kind == X_MONTH ? "a month YYYY-MM like the rows above" :
				"a number or a month YYYY-MM", s);
			goto out;
		}
	}
	qsort(rows, n, sizeof(*rows), cmp_row);
	for (size_t i = 1; i < n; i++)
		if (rows[i].x == rows[i - 1].x) {
			tc_fail(err, "%s:%ld: column '%s': the same x value as line %ld",
				a->file, rows[i].line, a->x, rows[i - 1].line);
			goto out;
		}

	x = xcalloc(n, sizeof(*x));
	y = xcalloc(n, sizeof(*y));
	for (size_t i = 0; i < n; i++) {
		x[i] = rows[i].x;
		y[i] = rows[i].y;
	}
	d->xaxis = kind == X_MONTH ? PLOT_X_MONTH : all_years ? PLOT_X_YEAR : PLOT_X_NUMBER;
	plot_set_text(&d->name, "series");
	plot_set_text(&d->xlabel, a->x);
	plot_set_text(&d->ylabel, a->y);
	/* a source line names a publisher (--source), never the file's name or path */
	plot_add_series(d, PLOT_LINESPOINTS, a->y, x, y, n);

	if (a->joinpoint && add_joinpoint_fit(d, x, y, n, kind == X_MONTH, err))
		goto out;
	ret = 0;
out:
	free(rows);
	free(x);
	free(y);
	tcsv_table_release(&t);
	return ret;
}


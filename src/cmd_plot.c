/*
** cmd_plot.c: `tocalc plot RECIPE [flags] -o OUT` and `tocalc plot --list`.
**
** Each figure is a recipe (plot.h): a function that builds a plot
** description from the flags and the datasets.  This file parses the
** flags, runs the recipe, applies the common overrides (--title,
** --xlabel, --ylabel, --width, --height) and renders through
** plot_render(), which is the only way to gnuplot.
*/
#include "tocalc/cmd.h"
#include "tocalc/model_joinpoint.h"
#include "tocalc/plot.h"
#include "tocalc/tcsv.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char cmd_plot_help[] =
	"usage: tocalc plot RECIPE [options] -o FILE\n"
	"       tocalc plot RECIPE [options] --script-only [-o FILE] > plot.gp\n"
	"       tocalc plot --list\n"
	"\n"
	"Draw a figure with gnuplot, reproducibly: the same inputs give the same\n"
	"bytes.  Text never reaches gnuplot as a command (docs/plotting.md).\n"
	"\n"
	"recipes:\n"
	"  overdose-deaths US overdose deaths 1999-2024, all drugs and synthetic opioids:\n"
	"                  final (NCHS) and 2024 final (CDC WONDER) marked apart, VSRR\n"
	"                  provisional windows, joinpoint fits, four policy events\n"
	"  vsrr-12mo       VSRR 12 month-ending counts 2015-2025, reported and predicted,\n"
	"                  with the tariff on China in force each month (right axis)\n"
	"  tariff-laffer   tariff revenue (Laffer) and import curves for China, 0-300%,\n"
	"                  ces model, 10%, 20% and 200% marked, Monte Carlo 90% band\n"
	"                  (1000 draws per rate, seed 1)\n"
	"  scenarios       the shipped scenarios side by side: imports after, revenue\n"
	"                  and cost per household [--scenarios DIR]\n"
	"  claims          computed / claimed value of every checkable claim, coloured\n"
	"                  by verdict\n"
	"  effective-rates effective tariff rate of CN, MX, CA and the rest of the world,\n"
	"                  2017-2026, from the legal stack (tocalc tariff rates), with\n"
	"                  the legal events marked\n"
	"  series          any CSV as a line plot:\n"
	"                  --file F --x COL --y COL [--joinpoint]\n"
	"                  x is a number (e.g. a year) or a month YYYY-MM; empty y\n"
	"                  values are missing and leave a gap\n"
	"all but series read the datasets (--data-dir); the first five are what\n"
	"'tocalc report' and 'make plots' draw\n"
	"\n"
	"options:\n"
	"  -o, --output FILE  the plot; written atomically (the old file is kept if\n"
	"                     gnuplot fails); '-' writes the plot to standard output\n"
	"  --terminal T       svg (default), png or pdf; otherwise taken from the\n"
	"                     extension of FILE\n"
	"  --script-only      do not run gnuplot: print the gnuplot script (data\n"
	"                     inline) on standard output, to edit and run by hand with\n"
	"                     'gnuplot -d plot.gp'; it names FILE in 'set output' when\n"
	"                     the name has only A-Z a-z 0-9 . _ / - characters\n"
	"  --title TEXT       plot title\n"
	"  --xlabel TEXT      x axis label\n"
	"  --ylabel TEXT      y axis label (of the top panel)\n"
	"  --source TEXT      the source line under the figure (publisher, vintage);\n"
	"                     series: none without it, never the file's name\n"
	"  --width N, --height N  size in pixels (pdf: N/100 inches); default 960x600\n"
	"  --file F           series: the CSV file (header row, comma separated)\n"
	"  --x COL, --y COL   series: column names for x and y\n"
	"  --joinpoint        series: add the joinpoint regression fit (log-linear,\n"
	"                     Joinpoint's defaults, permutation test with a fixed seed;\n"
	"                     values must be > 0) and mark the joinpoints\n"
	"  --scenarios DIR    scenarios: the *.scn files to compare (default: the\n"
	"                     scenarios/ directory of the install)\n"
	"  --list             list the recipes (--json, --csv); with -o FILE, --json\n"
	"                     and --csv print what was written\n"
	"\n"
	"exit codes: 0 ok, 1 bad data, 2 usage error, 3 gnuplot missing or failed\n";

enum {
	OPT_OUTPUT = TC_OPT_FIRST_FREE,
	OPT_TERMINAL,
	OPT_SCRIPT_ONLY,
	OPT_LIST,
	OPT_WIDTH,
	OPT_HEIGHT,
	OPT_FILE,
	OPT_X,
	OPT_Y,
	OPT_TITLE,
	OPT_XLABEL,
	OPT_YLABEL,
	OPT_JOINPOINT,
	OPT_SCENARIOS,
	OPT_SOURCE
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "terminal", required_argument, NULL, OPT_TERMINAL },
	{ "script-only", no_argument, NULL, OPT_SCRIPT_ONLY },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "height", required_argument, NULL, OPT_HEIGHT },
	{ "file", required_argument, NULL, OPT_FILE },
	{ "x", required_argument, NULL, OPT_X },
	{ "y", required_argument, NULL, OPT_Y },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "xlabel", required_argument, NULL, OPT_XLABEL },
	{ "ylabel", required_argument, NULL, OPT_YLABEL },
	{ "joinpoint", no_argument, NULL, OPT_JOINPOINT },
	{ "scenarios", required_argument, NULL, OPT_SCENARIOS },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ NULL, 0, NULL, 0 }
};

/* --title, --xlabel and --ylabel are applied by cmd_plot to every recipe. */
#define PLOT_ARG_COMMON (PLOT_ARG_TITLE | PLOT_ARG_XLABEL | PLOT_ARG_YLABEL | PLOT_ARG_SOURCE)

/* The recipe table, in the order `plot --list` shows it. */
const struct plot_recipe plot_recipes[] = {
	{ "overdose-deaths", "US overdose deaths 1999-2024, final and provisional, joinpoint fits, "
	  "policy events", 0, plot_recipe_overdose_deaths },
	{ "vsrr-12mo", "VSRR 12 month-ending counts 2015-2025 with the tariff on China (second axis)",
	  0, plot_recipe_vsrr_12mo },
	{ "tariff-laffer", "tariff revenue (Laffer) and import curves for China, 0-300%, "
	  "Monte Carlo 90% band", 0, plot_recipe_tariff_laffer },
	{ "scenarios", "the shipped scenarios: imports after, revenue and cost per household "
	  "([--scenarios DIR])", PLOT_ARG_SCENARIOS, plot_recipe_scenarios },
	{ "claims", "computed against claimed value of every checkable claim, by verdict",
	  0, plot_recipe_claims },
	{ "effective-rates", "effective tariff rate by partner 2017-2026 from the legal stack, "
	  "legal events marked", 0, plot_recipe_effective_rates },
	{ "series", "any CSV file as a line plot (--file F --x COL --y COL [--joinpoint])",
	  PLOT_ARG_FILE | PLOT_ARG_X | PLOT_ARG_Y | PLOT_ARG_JOINPOINT, plot_recipe_series },
};
const size_t plot_nrecipes = TC_ARRAY_SIZE(plot_recipes);

const struct plot_recipe *plot_recipe_find(const char *name)
{
	for (size_t i = 0; i < plot_nrecipes; i++)
		if (!strcmp(plot_recipes[i].name, name))
			return &plot_recipes[i];
	return NULL;
}

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
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!rng)
		tc_die("out of memory allocating a random number generator");
	gsl_rng_set(rng, SERIES_JP_SEED);
	jp_options_init(&opt);
	rc = jp_analyze(fx, fy, k, &opt, rng, &res, err);
	gsl_rng_free(rng);
	if (rc) {
		tc_err_prefix(err, "plot series: joinpoint");
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

int plot_recipe_series(const struct plot_args *a, const struct tc_ctx *ctx,
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

	(void)ctx;
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

/* ------------------------------------------------------------------ */
/* the command                                                          */

static int list_recipes(struct tc_ctx *ctx)
{
	struct out_doc *doc = out_doc_new("plot");
	struct out_table *tb = out_table_add(doc, "recipes", "plot recipes");
	int rc;

	out_col(tb, "name", "recipe");
	out_col(tb, "description", "description");
	for (size_t i = 0; i < plot_nrecipes; i++) {
		out_row(tb);
		out_str(tb, plot_recipes[i].name);
		out_str(tb, plot_recipes[i].summary);
	}
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	return rc;
}

static const char *flag_name(unsigned bit)
{
	switch (bit) {
	case PLOT_ARG_FILE:
		return "--file";
	case PLOT_ARG_X:
		return "--x";
	case PLOT_ARG_Y:
		return "--y";
	case PLOT_ARG_TITLE:
		return "--title";
	case PLOT_ARG_XLABEL:
		return "--xlabel";
	case PLOT_ARG_YLABEL:
		return "--ylabel";
	case PLOT_ARG_JOINPOINT:
		return "--joinpoint";
	case PLOT_ARG_SCENARIOS:
		return "--scenarios";
	case PLOT_ARG_SOURCE:
		return "--source";
	}
	return "?";
}

static int size_flag(const char *flag, const char *arg, int *out)
{
	long v;

	if (tc_opt_long(flag, arg, &v))
		return -1;
	if (v < 100 || v > 10000) {
		tc_usage_error("%s: expected 100 to 10000 pixels, got '%s'", flag, arg);
		return -1;
	}
	*out = (int)v;
	return 0;
}

int cmd_plot(int argc, char **argv, struct tc_ctx *ctx)
{
	struct plot_args a;
	struct plot_desc d;
	struct tc_err err;
	const struct plot_recipe *r;
	const char *output = NULL, *term_name = NULL;
	enum plot_term term = PLOT_TERM_SVG;
	unsigned given = 0;
	int script_only = 0, list = 0, width = 0, height = 0, c;

	memset(&a, 0, sizeof(a));
	while ((c = tc_getopt(argc, argv, "o:", longopts, ctx)) != -1) {
		switch (c) {
		case 'o':
		case OPT_OUTPUT:
			output = optarg;
			break;
		case OPT_TERMINAL:
			term_name = optarg;
			break;
		case OPT_SCRIPT_ONLY:
			script_only = 1;
			break;
		case OPT_LIST:
			list = 1;
			break;
		case OPT_WIDTH:
			if (size_flag("--width", optarg, &width))
				return TC_EXIT_USAGE;
			break;
		case OPT_HEIGHT:
			if (size_flag("--height", optarg, &height))
				return TC_EXIT_USAGE;
			break;
		case OPT_FILE:
			a.file = optarg;
			given |= PLOT_ARG_FILE;
			break;
		case OPT_X:
			a.x = optarg;
			given |= PLOT_ARG_X;
			break;
		case OPT_Y:
			a.y = optarg;
			given |= PLOT_ARG_Y;
			break;
		case OPT_TITLE:
			a.title = optarg;
			given |= PLOT_ARG_TITLE;
			break;
		case OPT_XLABEL:
			a.xlabel = optarg;
			given |= PLOT_ARG_XLABEL;
			break;
		case OPT_YLABEL:
			a.ylabel = optarg;
			given |= PLOT_ARG_YLABEL;
			break;
		case OPT_JOINPOINT:
			a.joinpoint = 1;
			given |= PLOT_ARG_JOINPOINT;
			break;
		case OPT_SCENARIOS:
			a.scenarios = optarg;
			given |= PLOT_ARG_SCENARIOS;
			break;
		case OPT_SOURCE:
			a.source = optarg;
			given |= PLOT_ARG_SOURCE;
			break;
		case TC_OPT_HELP:
			return TC_OPT_HELP;
		default:
			return TC_EXIT_USAGE;
		}
	}

	if (list) {
		if (optind < argc)
			return tc_usage_error("plot: --list takes no recipe name");
		return list_recipes(ctx);
	}
	if (optind >= argc)
		return tc_usage_error("plot: which recipe? see 'tocalc plot --list'");
	if (optind + 1 < argc)
		return tc_usage_error("plot: unexpected argument '%s'", argv[optind + 1]);
	r = plot_recipe_find(argv[optind]);
	if (!r) {
		const char **names = xcalloc(plot_nrecipes, sizeof(char *));
		char hint[200];
		for (size_t i = 0; i < plot_nrecipes; i++)
			names[i] = plot_recipes[i].name;
		tc_suggest(argv[optind], names, plot_nrecipes, NULL, hint, sizeof(hint));
		free(names);
		return tc_usage_error("plot: unknown recipe '%s'%s; see 'tocalc plot --list'", argv[optind],
				      hint);
	}
	for (unsigned bit = 1; bit <= PLOT_ARG_LAST; bit <<= 1)
		if ((given & bit) && !((r->args | PLOT_ARG_COMMON) & bit))
			return tc_usage_error("plot %s: option '%s' does not apply to this recipe",
					      r->name, flag_name(bit));

	/* Text from the command line is checked here, so bad text is a usage error. */
	tc_err_init(&err);
	if (plot_text_check(a.title, "--title", &err) ||
	    plot_text_check(a.xlabel, "--xlabel", &err) ||
	    plot_text_check(a.ylabel, "--ylabel", &err) ||
	    plot_text_check(a.source, "--source", &err))
		return tc_usage_error("plot: %s", err.msg);

	if (term_name) {
		if (plot_term_parse(term_name, &term))
			return tc_usage_error("plot: --terminal: expected svg, png or pdf, got '%s'",
					      term_name);
	} else if (output && strcmp(output, "-")) {
		size_t ol = strlen(output);
		if (script_only && ol > 3 && !strcmp(output + ol - 3, ".gp"))
			return tc_usage_error("plot: with --script-only, -o names the plot the script will "
					      "make (e.g. -o plot.svg); the script itself goes to standard output");
		if (plot_term_from_path(output, &term))
			return tc_usage_error("plot: cannot tell the format of '%s' from its extension; "
					      "use .svg, .png or .pdf, or --terminal", output);
	}
	if (!output && !script_only)
		return tc_usage_error("plot: no output file; give -o FILE (or --script-only)");

	plot_desc_init(&d);
	if (r->build(&a, ctx, &d, &err)) {
		plot_desc_release(&d);
		return tc_report(&err);
	}
	if (a.title)
		plot_set_text(&d.title, a.title);
	if (a.xlabel)
		plot_set_text(&d.xlabel, a.xlabel);
	if (a.ylabel)
		plot_set_text(d.npanels ? &d.panel[0].ylabel : &d.ylabel, a.ylabel);
	if (a.source)
		plot_set_text(&d.footnote, a.source);
	if (width)
		d.width = width;
	if (height)
		d.height = height;

	if (plot_render(&d, term, output, script_only, &err)) {
		plot_desc_release(&d);
		return tc_report(&err);
	}
	plot_desc_release(&d);
	if (ctx->fmt != OUT_TABLE && !script_only && strcmp(output, "-")) {
		/* --json/--csv: what was written, for scripts */
		struct out_doc *doc = out_doc_new("plot");
		struct stat st;
		int rc;
		struct out_table *t = out_table_add(doc, "written", "Written");
		out_col(t, "recipe", "recipe");
		out_col(t, "output", "output");
		out_col(t, "terminal", "terminal");
		out_col(t, "bytes", "bytes");
		out_row(t);
		out_str(t, r->name);
		out_str(t, output);
		out_str(t, plot_term_name(term));
		if (stat(output, &st) == 0)
			out_int(t, (long long)st.st_size);
		else
			out_missing(t);
		rc = tc_emit(ctx, doc);
		out_doc_free(doc);
		return rc;
	}
	return TC_EXIT_OK;
}

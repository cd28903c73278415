/*
** cmd_plot.c: `tocalc plot RECIPE [flags] -o OUT` and `tocalc plot --list`.
**
** Each figure is a recipe (plot.h, plot_recipe_table.c): a pure function
** from the flags and the computed report (report.h) to a plot
** description.  This file parses the flags, runs the part of the run
** layer the recipe needs (report_run), runs the recipe, applies the
** common overrides (--title,
** --xlabel, --ylabel, --width, --height) and renders through
** plot_render(), which is the only way to gnuplot.
*/
#include "tocalc/cmd.h"
#include "tocalc/model_joinpoint.h"
#include "tocalc/plot.h"
#include "tocalc/run_report.h"

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
	"                  [--state XX] [--indicator NAME] [--vintage V]\n"
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
	"  --state XX         vsrr-12mo: a jurisdiction of a vintage imported with\n"
	"                     'data import-vsrr --all' (OH, YC for New York City; the\n"
	"                     tariff panel stays national)\n"
	"  --indicator NAME   vsrr-12mo: all drugs and this drug class (heroin,\n"
	"                     cocaine, ...; 'tocalc help overdose') instead of\n"
	"                     synthetic opioids\n"
	"  --vintage V        vsrr-12mo: the kept VSRR vintage YYYY-MM-DD (default:\n"
	"                     the newest), named in the source line\n"
	"  overdose-deaths takes neither --state nor --indicator: its final annual\n"
	"  series is national, all drugs and synthetic opioids only\n"
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
	OPT_SOURCE,
	OPT_STATE,
	OPT_INDICATOR,
	OPT_VINTAGE
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
	{ "state", required_argument, NULL, OPT_STATE },
	{ "indicator", required_argument, NULL, OPT_INDICATOR },
	{ "vintage", required_argument, NULL, OPT_VINTAGE },
	{ NULL, 0, NULL, 0 }
};

/* --title, --xlabel and --ylabel are applied by cmd_plot to every recipe. */
#define PLOT_ARG_COMMON (PLOT_ARG_TITLE | PLOT_ARG_XLABEL | PLOT_ARG_YLABEL | PLOT_ARG_SOURCE)

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
	case PLOT_ARG_STATE:
		return "--state";
	case PLOT_ARG_INDICATOR:
		return "--indicator";
	case PLOT_ARG_VINTAGE:
		return "--vintage";
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
	struct report_result res;
	struct od_select sel;
	struct tc_err err;
	const struct plot_recipe *r;
	const char *output = NULL, *term_name = NULL;
	enum plot_term term = PLOT_TERM_SVG;
	unsigned given = 0;
	int script_only = 0, list = 0, width = 0, height = 0, c;

	memset(&a, 0, sizeof(a));
	od_select_init(&sel);
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
		case OPT_STATE:
		case OPT_INDICATOR:
		case OPT_VINTAGE:
			if (od_select_opt(&sel, c == OPT_STATE ? "--state" : c == OPT_INDICATOR ?
					  "--indicator" : "--vintage", optarg))
				return TC_EXIT_USAGE;
			given |= c == OPT_STATE ? PLOT_ARG_STATE : c == OPT_INDICATOR ?
				PLOT_ARG_INDICATOR : PLOT_ARG_VINTAGE;
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
	if (sel.indicator && (!strcmp(sel.indicator, "percent_drugs_specified") ||
			      !strcmp(sel.indicator, "all_deaths")))
		return tc_usage_error("plot vsrr-12mo: --indicator %s is not a count of overdose deaths; "
				      "plot it with 'tocalc plot series'", sel.indicator);
	if (!strcmp(r->name, "overdose-deaths") && (given & (PLOT_ARG_STATE | PLOT_ARG_INDICATOR)))
		return tc_usage_error("plot overdose-deaths: %s: the final annual series is national, "
				      "all drugs and synthetic opioids only; for a state or a drug class "
				      "use 'tocalc plot vsrr-12mo %s'", given & PLOT_ARG_STATE ? "--state" :
				      "--indicator", given & PLOT_ARG_STATE ? "--state XX" : "--indicator NAME");
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
	report_result_init(&res);
	res.sel = sel;
	if (r->needs) {
		char *share = report_scenario_dir(ctx);
		int bad = report_run(ctx->data_dir, a.scenarios ? a.scenarios : share, share, r->needs,
				     &res, &err);
		free(share);
		if (bad) {
			report_result_release(&res);
			plot_desc_release(&d);
			return tc_report(&err);
		}
	}
	if (r->build(&a, &res, &d, &err)) {
		report_result_release(&res);
		plot_desc_release(&d);
		return tc_report(&err);
	}
	report_result_release(&res);
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

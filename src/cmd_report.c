/*
** cmd_report.c: `tocalc report`, the main job (`make demo`): the
** document scenarios, the joinpoint trends of the final overdose series,
** the claims and their verdicts, every figure redrawn into a directory,
** and on request one self-contained HTML page with all of it.
**
** The tables and the figures come from the same computations
** (report.h), so they never disagree.  Output is deterministic: fixed
** seeds, no dates of the run, the figures byte for byte those of
** `tocalc plot NAME -o FILE`.
*/
#include "tocalc/cmd.h"
#include "tocalc/model_claims.h"
#include "tocalc/data_claims.h"
#include "tocalc/claims_run.h"
#include "tocalc/plot.h"
#include "tocalc/report.h"
#include "tocalc/run_report.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char cmd_report_help[] =
	"usage: tocalc report [--out-dir DIR] [--html FILE] [--scenarios DIR] [--no-plots]\n"
	"                     [--json | --csv] [--data-dir DIR] [--quiet]\n"
	"\n"
	"The main job: everything tocalc computes from the shipped datasets, in one run.\n"
	"It prints four tables (table, --json or --csv):\n"
	"  data       each dataset: rows, period covered, vintage\n"
	"  scenarios  each scenario file, run as 'tocalc tariff run NAME': tariff change,\n"
	"             imports, tariff revenue, deadweight loss, cost per household\n"
	"             (USD million of the base year; cost per household in USD)\n"
	"  trends     joinpoint regression of US overdose deaths 1999-2024, all drugs and\n"
	"             synthetic opioids (final data): segments, APC with 95% CI, p-value,\n"
	"             and the AAPC over the whole period\n"
	"  claims     every claim of the documents, recomputed, with its verdict\n"
	"and redraws every figure ('tocalc plot --list': overdose-deaths, vsrr-12mo,\n"
	"tariff-laffer, scenarios, claims) as SVG into a directory (a 'plots' table\n"
	"lists them).\n"
	"\n"
	"options:\n"
	"  --out-dir DIR    where the figures go (created if missing); default: plots/ of\n"
	"                   the source checkout tocalc runs from when it is writable,\n"
	"                   otherwise ./tocalc-report/\n"
	"  --html FILE      also write one self-contained HTML page: data vintages, the\n"
	"                   three tables and every figure inline, with captions and\n"
	"                   sources; no script, no network, opens offline; written\n"
	"                   atomically\n"
	"  --scenarios DIR  the scenario files (*.scn) to run (default: scenarios/ of the\n"
	"                   install)\n"
	"  --no-plots       only the tables (no gnuplot needed)\n"
	"  --quiet          do not say on standard error where the files went\n"
	"\n"
	"Joinpoint: Joinpoint's defaults, permutation test with 4499 permutations and a\n"
	"fixed seed (1).  Figures need gnuplot; without it the tables are still printed\n"
	"and tocalc exits 3.  The figures and the page are written all or nothing: when\n"
	"one figure fails, no old file is replaced.\n"
	"\n"
	"exit codes: 0 ok, 1 bad data, 2 usage error, 3 gnuplot missing or failed\n";

enum { OPT_OUT_DIR = TC_OPT_FIRST_FREE, OPT_HTML, OPT_SCENARIOS, OPT_NO_PLOTS };

static const struct option longopts[] = {
	{ "out-dir", required_argument, NULL, OPT_OUT_DIR },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "scenarios", required_argument, NULL, OPT_SCENARIOS },
	{ "no-plots", no_argument, NULL, OPT_NO_PLOTS },
	{ NULL, 0, NULL, 0 }
};

static int is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static char *path_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", a, b);
	return p;
}

/*
** plots/ of the source checkout tocalc runs from (a share directory with
** a Makefile and a plots/ directory), when writable; else ./tocalc-report.
*/
static char *default_out_dir(const struct tc_ctx *ctx)
{
	if (ctx->share_dir) {
		char *mk = path_join(ctx->share_dir, "Makefile");
		char *pl = path_join(ctx->share_dir, "plots");
		int ok = is_file(mk) && tc_is_dir(pl) && access(pl, W_OK) == 0;
		free(mk);
		if (ok)
			return pl;
		free(pl);
	}
	return xstrdup("tocalc-report");
}

/* ------------------------------------------------------------------ */
/* tables                                                               */

static void data_table(struct out_doc *doc, const struct report_result *res)
{
	struct out_table *t = out_table_add(doc, "data", "Data vintages");

	out_col(t, "dataset", "dataset");
	out_col(t, "rows", "rows");
	out_col(t, "first", "from");
	out_col(t, "last", "to");
	out_col(t, "used", "used in this report");
	for (size_t i = 0; i < res->ndatasets; i++) {
		const struct report_dataset *ds = &res->datasets[i];

		out_row(t);
		out_str(t, ds->file);
		out_int(t, (long long)ds->rows);
		out_str(t, ds->first[0] ? ds->first : NULL);
		out_str(t, ds->last[0] ? ds->last : NULL);
		out_str(t, ds->note[0] ? ds->note : NULL);
	}
}

static void scenario_table(struct out_doc *doc, const struct report_scenario *sc, size_t n, int wide)
{
	struct out_table *t = out_table_add(doc, "scenarios", "Document scenarios");

	out_col(t, "scenario", "scenario");
	if (wide)
		out_col(t, "title", "title");
	out_col(t, "as_of", "rates as of");
	out_col(t, "tariff_change", "tariff change, %");
	out_col(t, "imports_before", "imports before, USD million");
	out_col(t, "imports_after", "imports after, USD million");
	out_col(t, "revenue_before", "revenue before, USD million");
	out_col(t, "revenue_after", "revenue after, USD million");
	out_col(t, "revenue_change", "revenue change, USD million");
	out_col(t, "deadweight_loss", "deadweight loss, USD million");
	out_col(t, "cost_per_household", "cost per household, USD");
	out_col(t, "cost_per_household_p5", "p5, USD");
	out_col(t, "cost_per_household_p95", "p95, USD");
	for (size_t i = 0; i < n; i++) {
		const struct tariff_totals *T = &sc[i].r.total;
		char d[16];

		out_row(t);
		out_str(t, sc[i].name);
		if (wide)
			out_str(t, sc[i].title);
		out_str(t, sc[i].as_of ? tc_format_date(sc[i].as_of, d) : NULL);
		out_str(t, sc[i].change);
		out_num(t, T->m0, 0);
		out_num(t, T->m1, 0);
		out_num(t, T->rev0, 0);
		out_num(t, T->rev1, 0);
		out_num(t, T->drev, 0);
		out_num(t, T->dwl, 0);
		out_num(t, T->cost_per_household, 0);
		out_num(t, sc[i].draws ? sc[i].mc[MC_COST_PER_HOUSEHOLD].p5 : NAN, 0);
		out_num(t, sc[i].draws ? sc[i].mc[MC_COST_PER_HOUSEHOLD].p95 : NAN, 0);
	}
}

static void trend_table(struct out_doc *doc, const struct report_trends *tr)
{
	struct out_table *t = out_table_add(doc, "trends",
					    "Overdose trends: joinpoint regression of final deaths");

	out_col(t, "series", "series");
	out_col(t, "statistic", "statistic");	/* "apc" of a segment, "aapc" of the whole range */
	out_col(t, "segment", "segment");	/* 1, 2, ...; missing for the AAPC */
	out_col(t, "from", "from");
	out_col(t, "to", "to");
	out_col(t, "apc", "APC %");
	out_col(t, "apc_lower", "95% CI low");
	out_col(t, "apc_upper", "95% CI high");
	out_col(t, "p_value", "p-value");
	for (int k = 0; k < REPORT_NSERIES; k++) {
		const struct report_series *s = &tr->s[k];
		const struct jp_model *m = jp_selected_model(&s->jp);

		for (int j = 0; j <= m->k; j++) {
			out_row(t);
			out_str(t, s->key);
			out_str(t, "apc");
			out_int(t, j + 1);
			out_num(t, m->seg[j].lower, -1);
			out_num(t, m->seg[j].upper, -1);
			out_num(t, m->seg[j].apc, 2);
			out_num(t, m->seg[j].apc_lower, 2);
			out_num(t, m->seg[j].apc_upper, 2);
			out_num(t, m->seg[j].p_value, 4);
		}
		out_row(t);
		out_str(t, s->key);
		out_str(t, "aapc");
		out_missing(t);
		out_num(t, s->aapc.from, -1);
		out_num(t, s->aapc.to, -1);
		out_num(t, s->aapc.aapc, 2);
		out_num(t, s->aapc.lower, 2);
		out_num(t, s->aapc.upper, 2);
		out_missing(t);
	}
}

/* ------------------------------------------------------------------ */
/* figures                                                              */

struct made {
	char *svg;
	size_t len;
	char *path;
	int ok;
};

/*
** The staging of the report's files: every figure and the page is
** written to a temporary file beside its destination (tc_atomic_open:
** same directory, so the same filesystem), and only when every one of
** them is complete are they renamed into place, one after the other.  If
** a figure or a write fails, every temporary file is removed and no old
** file is touched: plots/ never mixes old and new figures.
*/
struct stage {
	struct tc_atomic_file af[17];
	size_t n;
};

static int stage_add(struct stage *st, const char *path, const char *b, size_t n,
		     struct tc_err *err)
{
	struct tc_atomic_file *af = &st->af[st->n];

	if (st->n == TC_ARRAY_SIZE(st->af))
		tc_die("report: too many files to stage");
	if (tc_atomic_open(af, path, err))
		return -1;
	st->n++;
	if (fwrite(b, 1, n, af->fp) != n)
		return tc_fail(err, "unable to write '%s': %s", path, strerror(errno));
	return 0;
}

static void stage_abort(struct stage *st)
{
	for (size_t k = 0; k < st->n; k++)
		tc_atomic_abort(&st->af[k]);
	st->n = 0;
}

static int stage_commit(struct stage *st, struct tc_err *err)
{
	for (size_t k = 0; k < st->n; k++)
		if (tc_atomic_commit(&st->af[k], err)) {
			for (size_t j = k + 1; j < st->n; j++)
				tc_atomic_abort(&st->af[j]);
			st->n = 0;
			return -1;
		}
	st->n = 0;
	return 0;
}

/*
** One figure: the part of the result its recipe reads (computed once,
** shared with the tables and the other figures) -> recipe -> script ->
** gnuplot -> bytes in memory (written only when every figure is made).
*/
static int make_figure(const struct tc_ctx *ctx, const struct report_figure *f, const char *scen_dir,
		       const char *laffer_dir, struct report_result *res, const char *dir,
		       struct made *m, struct tc_err *err)
{
	const struct plot_recipe *r = plot_recipe_find(f->recipe);
	struct plot_args a;
	struct plot_desc d;
	char *script;
	size_t len;
	int rc;

	if (!r)
		return tc_fail(err, "report: no plot recipe '%s'", f->recipe);
	memset(&a, 0, sizeof(a));
	plot_desc_init(&d);
	rc = report_run(ctx->data_dir, scen_dir, laffer_dir, r->needs, res, err);
	if (!rc)
		rc = r->build(&a, res, &d, err);
	if (!rc)
		rc = plot_script_build(&d, PLOT_TERM_SVG, NULL, &script, &len, err);
	plot_desc_release(&d);
	if (rc)
		return tc_err_prefix(err, "figure %s", f->recipe);
	rc = plot_run_buffer(script, len, PLOT_TERM_SVG, &m->svg, &m->len, err);
	free(script);
	if (rc)
		return -1;
	if (dir)
		m->path = path_join(dir, f->file);
	m->ok = 1;
	return 0;
}

/* Permutations of Joinpoint's default test (the trends use the defaults). */
static long jp_permutations(void)
{
	struct jp_options o;

	jp_options_init(&o);
	return o.permutations;
}

/* ------------------------------------------------------------------ */
/* the command                                                          */

int cmd_report(int argc, char **argv, struct tc_ctx *ctx)
{
	const char *out_opt = NULL, *html = NULL, *scen_opt = NULL;
	int no_plots = 0, c, rc = TC_EXIT_OK, wide;
	char *scen_dir = NULL, *out_dir = NULL, *laffer_dir = NULL;
	struct report_result res;
	size_t nmade = 0;
	struct out_table *t_plots;
	struct made made[16];
	struct stage st = { .n = 0 };
	char *page = NULL;
	size_t page_len = 0;
	struct tc_err err, perr;
	struct out_doc *doc = NULL, *hdoc = NULL;	/* hdoc: the page's wide tables */
	int plot_code = 0;
	char vint[16] = "";

	while ((c = tc_getopt(argc, argv, "", longopts, ctx)) != -1) {
		switch (c) {
		case OPT_OUT_DIR:
			out_opt = optarg;
			break;
		case OPT_HTML:
			html = optarg;
			break;
		case OPT_SCENARIOS:
			scen_opt = optarg;
			break;
		case OPT_NO_PLOTS:
			no_plots = 1;
			break;
		case TC_OPT_HELP:
			return TC_OPT_HELP;
		default:
			return TC_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return tc_usage_error("report: unexpected argument '%s'", argv[optind]);
	if (no_plots && (html || out_opt))
		return tc_usage_error("report: --no-plots and %s: the %s needs the figures",
				      html ? "--html" : "--out-dir", html ? "page" : "directory");
	if (html && !*html)
		return tc_usage_error("report: --html: empty file name");
	if (out_opt && !*out_opt)
		return tc_usage_error("report: --out-dir: empty directory name");
	if (scen_opt) {
		if (tc_require_dir("report: --scenarios", scen_opt))
			return TC_EXIT_USAGE;
		scen_dir = xstrdup(scen_opt);
	} else if (!(scen_dir = report_scenario_dir(ctx)) || !tc_is_dir(scen_dir)) {
		free(scen_dir);
		return tc_usage_error("report: cannot find the scenario files; give --scenarios DIR");
	}
	if (TC_ARRAY_SIZE(made) < report_nfigures)
		tc_die("report: too many figures");
	memset(made, 0, sizeof(made));

	/*
	** the computations of the tables: any failure here is bad data, and
	** nothing is printed; the figures' parts follow with the figures
	*/
	tc_err_init(&err);
	report_result_init(&res);
	laffer_dir = report_scenario_dir(ctx);
	if (report_run(ctx->data_dir, scen_dir, laffer_dir, RR_TRENDS, &res, &err) ||
	    report_run(ctx->data_dir, scen_dir, laffer_dir, RR_SCENARIOS, &res, &err) ||
	    report_run(ctx->data_dir, scen_dir, laffer_dir, RR_CLAIMS, &res, &err) ||
	    report_run(ctx->data_dir, scen_dir, laffer_dir, RR_DATA, &res, &err)) {
		rc = tc_report(&err);
		goto out;
	}
	snprintf(vint, sizeof(vint), "%s", res.claims.vintage);
	doc = out_doc_new("report");
	hdoc = out_doc_new("report");
	data_table(doc, &res);
	wide = ctx->fmt != OUT_TABLE;
	scenario_table(doc, res.sc, res.nsc, wide);
	trend_table(doc, &res.tr);
	claims_summary_table(doc, "Claims and verdicts", &res.claims, wide, -1);
	scenario_table(hdoc, res.sc, res.nsc, 1);
	claims_summary_table(hdoc, "Claims and verdicts", &res.claims, 1, -1);

	/* the figures */
	tc_err_init(&perr);
	if (!no_plots) {
		out_dir = out_opt ? xstrdup(out_opt) : default_out_dir(ctx);
		if (!tc_is_dir(out_dir) && mkdir(out_dir, 0777) && errno != EEXIST) {
			tc_failc(&perr, TC_EXIT_DATA, "report: unable to create the directory '%s': %s",
				 out_dir, strerror(errno));
			plot_code = TC_EXIT_DATA;
		}
		for (size_t i = 0; !plot_code && i < report_nfigures; i++, nmade++)
			if (make_figure(ctx, &report_figures[i], scen_dir, laffer_dir, &res, out_dir,
					&made[i], &perr))
				plot_code = perr.code ? perr.code : TC_EXIT_DATA;
		/* all or nothing: a figure that failed leaves every file as it was */
		for (size_t i = 0; plot_code && i < report_nfigures; i++)
			made[i].ok = 0;
	}
	t_plots = out_table_add(doc, "plots", "Figures");
	out_col(t_plots, "figure", "figure");
	out_col(t_plots, "file", "file");
	out_col(t_plots, "bytes", "bytes");
	out_col(t_plots, "status", "status");
	for (size_t i = 0; i < report_nfigures; i++) {
		out_row(t_plots);
		out_str(t_plots, report_figures[i].recipe);
		if (made[i].path)
			out_str(t_plots, made[i].path);
		else if (out_dir)
			out_str(t_plots, report_figures[i].file);
		else
			out_missing(t_plots);
		if (made[i].ok)
			out_int(t_plots, (long long)made[i].len);
		else
			out_missing(t_plots);
		out_str(t_plots, made[i].ok ? "written" : no_plots ? "not asked for" : "not made");
	}

	/* the document */
	out_meta_str(doc, "data_dir", ctx->data_dir);
	out_meta_str(doc, "scenarios_dir", scen_dir);
	out_meta_str(doc, "vsrr_vintage", vint[0] ? vint : NULL);
	out_meta_str(doc, "plots_dir", out_dir);
	out_meta_str(doc, "html", html);
	out_meta_str(doc, "units", "USD million of the base year (cost per household: USD)");
	for (int k = 0; k < REPORT_NSERIES; k++) {
		const struct jp_model *m = jp_selected_model(&res.tr.s[k].jp);
		char jps[128] = "";
		size_t o = 0;
		for (int j = 0; j < m->k && o < sizeof(jps); j++)
			o += (size_t)snprintf(jps + o, sizeof(jps) - o, "%s%g", j ? ", " : "", m->tau[j]);
		out_note(doc, "trends, %s: %d joinpoint%s%s%s%s, selected by the permutation test "
			 "(%ld permutations, seed %lu)", res.tr.s[k].key, m->k, m->k == 1 ? "" : "s",
			 m->k ? " (" : "", jps, m->k ? ")" : "", jp_permutations(), REPORT_JP_SEED);
	}
	{
		size_t counts[4] = { 0, 0, 0, 0 };
		for (size_t i = 0; i < res.claims.n; i++)
			counts[res.claims.res[i].verdict]++;
		out_note(doc, "claims: %zu: %zu hold, %zu roughly hold, %zu do not hold, %zu cannot be "
			 "checked ('tocalc check ID' shows each computation)", res.claims.n, counts[CV_HOLDS],
			 counts[CV_ROUGHLY], counts[CV_DOES_NOT_HOLD], counts[CV_CANNOT_CHECK]);
	}
	out_note(doc, "scenarios: each file run as 'tocalc tariff run NAME'; partial equilibrium, no "
		 "retaliation (docs/tariff-methods.md); the IEEPA tariffs were voided on 2026-02-20");
	rc = tc_emit(ctx, doc);

	if (plot_code) {
		if (plot_code == TC_EXIT_TOOL)
			tc_message("report: the figures were not made: %s; the tables above are complete",
				   perr.msg);
		else
			tc_message("report: %s", perr.msg);
		if (html)
			tc_message("report: --html: '%s' not written: the page needs every figure", html);
		if (!rc || plot_code == TC_EXIT_TOOL)
			rc = plot_code;
		goto out;
	}
	if (html) {
		struct out_html_page pg;
		struct out_html_figure figs[16];
		const struct out_table *tabs[3] = { out_doc_find(hdoc, "scenarios"),
						    out_doc_find(doc, "trends"),
						    out_doc_find(hdoc, "claims") };
		const char *notes[8];
		char nbuf[3][400];
		size_t nn = 0;

		memset(&pg, 0, sizeof(pg));
		for (size_t i = 0; i < report_nfigures; i++) {
			figs[i].id = report_figures[i].recipe;
			figs[i].file = report_figures[i].file;
			figs[i].caption = report_figures[i].caption;
			figs[i].source = report_figures[i].source;
			figs[i].svg = made[i].svg;
			figs[i].len = made[i].len;
		}
		for (int k = 0; k < REPORT_NSERIES; k++) {
			const struct jp_model *m = jp_selected_model(&res.tr.s[k].jp);
			size_t o = (size_t)snprintf(nbuf[k], sizeof(nbuf[k]),
						    "Trends, %s: %d joinpoint%s", res.tr.s[k].label, m->k,
						    m->k == 1 ? "" : "s");
			for (int j = 0; j < m->k && o < sizeof(nbuf[k]); j++)
				o += (size_t)snprintf(nbuf[k] + o, sizeof(nbuf[k]) - o, "%s%g",
						      j ? ", " : " (", m->tau[j]);
			if (m->k && o < sizeof(nbuf[k]))
				snprintf(nbuf[k] + o, sizeof(nbuf[k]) - o, ")");
			notes[nn++] = nbuf[k];
		}
		snprintf(nbuf[2], sizeof(nbuf[2]),
			 "Joinpoint: log-linear grid fit with Joinpoint's defaults; the number of "
			 "joinpoints is chosen by the permutation test (%ld permutations, seed %lu). "
			 "APC: annual percent change; AAPC: average annual percent change over the whole "
			 "period.", jp_permutations(), REPORT_JP_SEED);
		notes[nn++] = nbuf[2];
		notes[nn++] = "Scenarios: amounts in USD million of the base year (cost per household in "
			      "USD); each scenario file is run as 'tocalc tariff run NAME' (partial "
			      "equilibrium, no retaliation). p5 and p95: Monte Carlo percentiles when the "
			      "file asks for draws. The IEEPA tariffs were voided by the Supreme Court on "
			      "2026-02-20.";
		notes[nn++] = "Claims: diff is in points for percentages and in % of the claim for "
			      "counts; the rules are in docs/claims.md.";
		pg.title = "tocalc report: overdose deaths, tariffs and the claims about them";
		pg.subtitle = "Everything below is computed from the datasets shipped with tocalc; "
			      "run 'tocalc report --html FILE' to make this page again.";
		pg.vintages = out_doc_find(doc, "data");
		pg.tables = tabs;
		pg.ntables = 3;
		pg.figs = figs;
		pg.nfigs = report_nfigures;
		pg.notes = notes;
		pg.nnotes = nn;
		tc_err_init(&err);
		if (out_html_page_build(&pg, &page, &page_len, &err)) {
			rc = tc_report(&err);
			goto out;
		}
	}
	/* stage every figure and the page, then move them all in */
	tc_err_init(&err);
	for (size_t i = 0; !no_plots && i < report_nfigures; i++)
		if (stage_add(&st, made[i].path, made[i].svg, made[i].len, &err))
			break;
	if (!err.msg[0] && html)
		stage_add(&st, html, page, page_len, &err);
	if (err.msg[0] || stage_commit(&st, &err)) {
		stage_abort(&st);
		tc_message("report: %s; no figure%s was replaced", err.msg, html ? " and no page" : "");
		rc = TC_EXIT_DATA;
		goto out;
	}
	if (!no_plots && !ctx->quiet)
		tc_message("report: %zu figures written to %s/", nmade, out_dir);
	if (html && !ctx->quiet)
		tc_message("report: HTML page written to %s", html);

out:
	free(page);
	out_doc_free(doc);
	out_doc_free(hdoc);
	for (size_t i = 0; i < TC_ARRAY_SIZE(made); i++) {
		free(made[i].svg);
		free(made[i].path);
	}
	report_result_release(&res);
	free(scen_dir);
	free(laffer_dir);
	free(out_dir);
	return rc;
}

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
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/plot.h"
#include "tocalc/report.h"
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
	"and tocalc exits 3.\n"
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

/* What the report used from a dataset, beyond its period. */
static void dataset_note(const char *name, const struct tcsv_table *t, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!strcmp(name, "overdose_annual")) {
		double lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY };
		for (size_t i = 0; i < t->nrows; i++) {
			const char *st = tcsv_text(t, OA_STATUS, i);
			int k = st && !strcmp(st, "final_wonder");
			double y = tcsv_num(t, OA_YEAR, i);
			lo[k] = fmin(lo[k], y);
			hi[k] = fmax(hi[k], y);
		}
		size_t n = 0;
		for (int k = 0; k < 2; k++) {
			if (!isfinite(lo[k]) || n >= size)
				continue;
			n += (size_t)snprintf(buf + n, size - n, "%sfinal %s counts %.0f", n ? "; " : "",
					      k ? "CDC WONDER" : "NCHS", lo[k]);
			if (hi[k] > lo[k] && n < size)
				n += (size_t)snprintf(buf + n, size - n, "-%.0f", hi[k]);
		}
	} else if (!strcmp(name, "overdose_12mo")) {
		char v[11] = "", p[11] = "";
		for (size_t i = 0; i < t->nrows; i++) {
			const char *s = tcsv_text(t, O12_VINTAGE, i);
			const char *st = tcsv_text(t, O12_DATA_STATUS, i);
			if (s && strlen(s) == 10 && strcmp(s, v) > 0)
				memcpy(v, s, 11);
			if (st && !strcmp(st, "provisional")) {
				const char *m = tcsv_text(t, O12_PERIOD, i);
				if (m && strlen(m) < sizeof(p) && (!p[0] || strcmp(m, p) < 0))
					snprintf(p, sizeof(p), "%s", m);
			}
		}
		snprintf(buf, size, "CDC VSRR download of %s%s%s", v[0] ? v : "(unknown)",
			 p[0] ? "; provisional from " : "", p);
	} else if (!strcmp(name, "trade")) {
		int y = trade_latest_year(t);
		if (y)
			snprintf(buf, size, "scenario base year: %d (latest with CN, MX and CA imports)", y);
	} else if (!strcmp(name, "parameters")) {
		struct tariff_param p;
		size_t n = 0;
		static const char *const keys[] = { "import_demand_elasticity", "substitution_elasticity",
						     "us_households" };
		for (size_t k = 0; k < TC_ARRAY_SIZE(keys); k++)
			if (!tariff_param_get(t, keys[k], &p) && p.found && isfinite(p.value) && n < size)
				n += (size_t)snprintf(buf + n, size - n, "%s%s %.15g", n ? "; " : "", keys[k],
						      p.value);
	}
}

static int data_table(const struct tc_ctx *ctx, struct rtab *t, struct tc_err *err)
{
	size_t n;
	const struct dataset_info *all = datasets_all(&n);

	rtab_init(t, "data", "Data vintages");
	rtab_col(t, "dataset", "dataset");
	rtab_col(t, "rows", "rows");
	rtab_col(t, "first", "from");
	rtab_col(t, "last", "to");
	rtab_col(t, "used", "used in this report");
	for (size_t i = 0; i < n; i++) {
		struct tcsv_table tab;
		char first[64], last[64], note[300];

		if (!strcmp(all[i].name, "sources"))
			continue;
		if (dataset_load(&tab, ctx->data_dir, all[i].name, err))
			return -1;
		dataset_period(&all[i], &tab, first, last, sizeof(first));
		dataset_note(all[i].name, &tab, note, sizeof(note));
		rtab_row(t);
		rtab_str(t, all[i].file);
		rtab_int(t, (long long)tab.nrows);
		rtab_str(t, first[0] ? first : NULL);
		rtab_str(t, last[0] ? last : NULL);
		rtab_str(t, note[0] ? note : NULL);
		tcsv_table_release(&tab);
	}
	return 0;
}

static void scenario_table(struct rtab *t, const struct report_scenario *sc, size_t n, int wide)
{
	rtab_init(t, "scenarios", "Document scenarios");
	rtab_col(t, "scenario", "scenario");
	if (wide)
		rtab_col(t, "title", "title");
	rtab_col(t, "as_of", "rates as of");
	rtab_col(t, "tariff_change", "tariff change, %");
	rtab_col(t, "imports_before", "imports before, USD million");
	rtab_col(t, "imports_after", "imports after, USD million");
	rtab_col(t, "revenue_before", "revenue before, USD million");
	rtab_col(t, "revenue_after", "revenue after, USD million");
	rtab_col(t, "revenue_change", "revenue change, USD million");
	rtab_col(t, "deadweight_loss", "deadweight loss, USD million");
	rtab_col(t, "cost_per_household", "cost per household, USD");
	rtab_col(t, "cost_per_household_p5", "p5, USD");
	rtab_col(t, "cost_per_household_p95", "p95, USD");
	for (size_t i = 0; i < n; i++) {
		const struct tariff_totals *T = &sc[i].r.total;
		char d[16];

		rtab_row(t);
		rtab_str(t, sc[i].name);
		if (wide)
			rtab_str(t, sc[i].title);
		rtab_str(t, sc[i].as_of ? tc_format_date(sc[i].as_of, d) : NULL);
		rtab_str(t, sc[i].change);
		rtab_num(t, T->m0, 0);
		rtab_num(t, T->m1, 0);
		rtab_num(t, T->rev0, 0);
		rtab_num(t, T->rev1, 0);
		rtab_num(t, T->drev, 0);
		rtab_num(t, T->dwl, 0);
		rtab_num(t, T->cost_per_household, 0);
		rtab_num(t, sc[i].draws ? sc[i].mc[MC_COST_PER_HOUSEHOLD].p5 : NAN, 0);
		rtab_num(t, sc[i].draws ? sc[i].mc[MC_COST_PER_HOUSEHOLD].p95 : NAN, 0);
	}
}

static void trend_table(struct rtab *t, const struct report_trends *tr)
{
	rtab_init(t, "trends", "Overdose trends: joinpoint regression of final deaths");
	rtab_col(t, "series", "series");
	rtab_col(t, "statistic", "statistic");	/* "apc" of a segment, "aapc" of the whole range */
	rtab_col(t, "segment", "segment");	/* 1, 2, ...; missing for the AAPC */
	rtab_col(t, "from", "from");
	rtab_col(t, "to", "to");
	rtab_col(t, "apc", "APC %");
	rtab_col(t, "apc_lower", "95% CI low");
	rtab_col(t, "apc_upper", "95% CI high");
	rtab_col(t, "p_value", "p-value");
	for (int k = 0; k < REPORT_NSERIES; k++) {
		const struct report_series *s = &tr->s[k];
		const struct jp_model *m = jp_selected_model(&s->jp);

		for (int j = 0; j <= m->k; j++) {
			rtab_row(t);
			rtab_str(t, s->key);
			rtab_str(t, "apc");
			rtab_int(t, j + 1);
			rtab_num(t, m->seg[j].lower, -1);
			rtab_num(t, m->seg[j].upper, -1);
			rtab_num(t, m->seg[j].apc, 2);
			rtab_num(t, m->seg[j].apc_lower, 2);
			rtab_num(t, m->seg[j].apc_upper, 2);
			rtab_num(t, m->seg[j].p_value, 4);
		}
		rtab_row(t);
		rtab_str(t, s->key);
		rtab_str(t, "aapc");
		rtab_missing(t);
		rtab_num(t, s->aapc.from, -1);
		rtab_num(t, s->aapc.to, -1);
		rtab_num(t, s->aapc.aapc, 2);
		rtab_num(t, s->aapc.lower, 2);
		rtab_num(t, s->aapc.upper, 2);
		rtab_missing(t);
	}
}

static void claims_table(struct rtab *t, const struct claims_run *run, int wide)
{
	rtab_init(t, "claims", "Claims and verdicts");
	rtab_col(t, "id", "claim");
	rtab_col(t, "document", "doc");
	if (wide)
		rtab_col(t, "quote", "quote");
	rtab_col(t, "claimed", "claimed");
	rtab_col(t, "computed", "computed");
	rtab_col(t, "series", "series used");
	rtab_col(t, "difference", "diff");
	rtab_col(t, "tolerance", "tol");
	rtab_col(t, "verdict", "verdict");
	for (size_t i = 0; i < run->n; i++) {
		const struct claim_result *r = &run->res[i];
		int d = r->c.unit == CU_PERCENT ? 2 : 0;

		rtab_row(t);
		rtab_str(t, r->c.id);
		rtab_str(t, r->c.document);
		if (wide)
			rtab_str(t, r->c.quote);
		rtab_num(t, r->c.claimed, -1);
		rtab_num(t, r->ncand ? r->cand[r->best] : NAN, d);
		rtab_str(t, r->ncand ? r->cand_label[r->best] : NULL);
		rtab_num(t, r->diff, 2);
		rtab_num(t, r->c.tolerance, 2);
		rtab_str(t, claim_verdict_names[r->verdict]);
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

static int write_bytes(const char *path, const char *b, size_t n, struct tc_err *err)
{
	struct tc_atomic_file af;

	if (tc_atomic_open(&af, path, err))
		return -1;
	if (fwrite(b, 1, n, af.fp) != n) {
		tc_atomic_abort(&af);
		return tc_fail(err, "unable to write '%s': %s", path, strerror(errno));
	}
	return tc_atomic_commit(&af, err);
}

/* One figure: recipe -> script -> gnuplot -> bytes (and the file when dir is set). */
static int make_figure(const struct tc_ctx *ctx, const struct report_figure *f, const char *scen_dir,
		       const char *dir, struct made *m, struct tc_err *err)
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
	if (r->args & PLOT_ARG_SCENARIOS)
		a.scenarios = scen_dir;
	plot_desc_init(&d);
	rc = r->build(&a, ctx, &d, err);
	if (!rc)
		rc = plot_script_build(&d, PLOT_TERM_SVG, NULL, &script, &len, err);
	plot_desc_release(&d);
	if (rc)
		return tc_err_prefix(err, "figure %s", f->recipe);
	rc = plot_run_buffer(script, len, PLOT_TERM_SVG, &m->svg, &m->len, err);
	free(script);
	if (rc)
		return -1;
	if (dir) {
		m->path = path_join(dir, f->file);
		if (write_bytes(m->path, m->svg, m->len, err))
			return -1;
	}
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
	char *scen_dir = NULL, *out_dir = NULL;
	struct report_trends tr;
	struct report_scenario *sc = NULL;
	size_t nsc = 0, nmade = 0;
	struct claims_run run;
	struct rtab t_data, t_scen, t_trend, t_claims, t_plots, h_scen, h_claims;
	struct made made[16];
	struct tc_err err, perr;
	struct out_doc *doc;
	int have_trends = 0, have_claims = 0, have_tabs = 0, plot_code = 0;
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

	/* the computations: any failure here is bad data, and nothing is printed */
	tc_err_init(&err);
	if (report_trends_compute(ctx->data_dir, &tr, &err)) {
		rc = tc_report(&err);
		goto out;
	}
	have_trends = 1;
	if (report_scenarios_run(ctx->data_dir, scen_dir, &sc, &nsc, &err)) {
		rc = tc_report(&err);
		goto out;
	}
	if (claims_run(&run, ctx->data_dir, NULL, 0, &err)) {
		rc = tc_report(&err);
		goto out;
	}
	have_claims = 1;
	snprintf(vint, sizeof(vint), "%s", run.vintage);
	if (data_table(ctx, &t_data, &err)) {
		rtab_release(&t_data);
		rc = tc_report(&err);
		goto out;
	}
	wide = ctx->fmt != OUT_TABLE;
	scenario_table(&t_scen, sc, nsc, wide);
	trend_table(&t_trend, &tr);
	claims_table(&t_claims, &run, wide);
	scenario_table(&h_scen, sc, nsc, 1);
	claims_table(&h_claims, &run, 1);
	have_tabs = 1;

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
			if (make_figure(ctx, &report_figures[i], scen_dir, out_dir, &made[i], &perr))
				plot_code = perr.code ? perr.code : TC_EXIT_DATA;
	}
	rtab_init(&t_plots, "plots", "Figures");
	rtab_col(&t_plots, "figure", "figure");
	rtab_col(&t_plots, "file", "file");
	rtab_col(&t_plots, "bytes", "bytes");
	rtab_col(&t_plots, "status", "status");
	for (size_t i = 0; i < report_nfigures; i++) {
		rtab_row(&t_plots);
		rtab_str(&t_plots, report_figures[i].recipe);
		if (made[i].path)
			rtab_str(&t_plots, made[i].path);
		else if (out_dir)
			rtab_str(&t_plots, report_figures[i].file);
		else
			rtab_missing(&t_plots);
		if (made[i].ok)
			rtab_int(&t_plots, (long long)made[i].len);
		else
			rtab_missing(&t_plots);
		rtab_str(&t_plots, made[i].ok ? "written" : no_plots ? "not asked for" : "not made");
	}

	/* the document */
	doc = out_doc_new("report");
	out_meta_str(doc, "data_dir", ctx->data_dir);
	out_meta_str(doc, "scenarios_dir", scen_dir);
	out_meta_str(doc, "vsrr_vintage", vint[0] ? vint : NULL);
	out_meta_str(doc, "plots_dir", out_dir);
	out_meta_str(doc, "html", html);
	out_meta_str(doc, "units", "USD million of the base year (cost per household: USD)");
	rtab_to_out(&t_data, doc);
	rtab_to_out(&t_scen, doc);
	rtab_to_out(&t_trend, doc);
	rtab_to_out(&t_claims, doc);
	rtab_to_out(&t_plots, doc);
	for (int k = 0; k < REPORT_NSERIES; k++) {
		const struct jp_model *m = jp_selected_model(&tr.s[k].jp);
		char jps[128] = "";
		size_t o = 0;
		for (int j = 0; j < m->k && o < sizeof(jps); j++)
			o += (size_t)snprintf(jps + o, sizeof(jps) - o, "%s%g", j ? ", " : "", m->tau[j]);
		out_note(doc, "trends, %s: %d joinpoint%s%s%s%s, selected by the permutation test "
			 "(%ld permutations, seed %lu)", tr.s[k].key, m->k, m->k == 1 ? "" : "s",
			 m->k ? " (" : "", jps, m->k ? ")" : "", jp_permutations(), REPORT_JP_SEED);
	}
	{
		size_t counts[4] = { 0, 0, 0, 0 };
		for (size_t i = 0; i < run.n; i++)
			counts[run.res[i].verdict]++;
		out_note(doc, "claims: %zu: %zu hold, %zu roughly hold, %zu do not hold, %zu cannot be "
			 "checked ('tocalc check ID' shows each computation)", run.n, counts[CV_HOLDS],
			 counts[CV_ROUGHLY], counts[CV_DOES_NOT_HOLD], counts[CV_CANNOT_CHECK]);
	}
	out_note(doc, "scenarios: each file run as 'tocalc tariff run NAME'; partial equilibrium, no "
		 "retaliation (docs/tariff-methods.md); the IEEPA tariffs were voided on 2026-02-20");
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);

	if (plot_code) {
		if (plot_code == TC_EXIT_TOOL)
			fprintf(stderr, "tocalc: report: the figures were not made: %s; the tables above are "
				"complete\n", perr.msg);
		else
			fprintf(stderr, "tocalc: report: %s\n", perr.msg);
		if (html)
			fprintf(stderr, "tocalc: report: --html: '%s' not written: the page needs every "
				"figure\n", html);
		if (!rc || plot_code == TC_EXIT_TOOL)
			rc = plot_code;
		goto out;
	}
	if (!no_plots && !ctx->quiet)
		fprintf(stderr, "tocalc: report: %zu figures written to %s/\n", nmade, out_dir);
	if (html) {
		struct report_page pg;
		struct report_page_figure figs[16];
		const struct rtab *tabs[3] = { &h_scen, &t_trend, &h_claims };
		const char *notes[8];
		char nbuf[3][400];
		size_t nn = 0;

		memset(&pg, 0, sizeof(pg));
		for (size_t i = 0; i < report_nfigures; i++) {
			figs[i].fig = &report_figures[i];
			figs[i].svg = made[i].svg;
			figs[i].len = made[i].len;
		}
		for (int k = 0; k < REPORT_NSERIES; k++) {
			const struct jp_model *m = jp_selected_model(&tr.s[k].jp);
			size_t o = (size_t)snprintf(nbuf[k], sizeof(nbuf[k]),
						    "Trends, %s: %d joinpoint%s", tr.s[k].label, m->k,
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
		pg.vintages = &t_data;
		pg.tables = tabs;
		pg.ntables = 3;
		pg.figs = figs;
		pg.nfigs = report_nfigures;
		pg.notes = notes;
		pg.nnotes = nn;
		tc_err_init(&err);
		if (report_html_write(html, &pg, &err)) {
			rc = tc_report(&err);
			goto out;
		}
		if (!ctx->quiet)
			fprintf(stderr, "tocalc: report: HTML page written to %s\n", html);
	}

out:
	if (have_tabs) {
		rtab_release(&t_data);
		rtab_release(&t_scen);
		rtab_release(&t_trend);
		rtab_release(&t_claims);
		rtab_release(&h_scen);
		rtab_release(&h_claims);
		rtab_release(&t_plots);
	}
	for (size_t i = 0; i < TC_ARRAY_SIZE(made); i++) {
		free(made[i].svg);
		free(made[i].path);
	}
	if (have_claims)
		claims_run_release(&run);
	report_scenarios_free(sc, nsc);
	if (have_trends)
		report_trends_release(&tr);
	free(scen_dir);
	free(out_dir);
	return rc;
}

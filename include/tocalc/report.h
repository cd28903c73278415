/*
** report.h: what `tocalc report` and the dataset plot recipes share.
**
**   - the figures: which recipes make up the report and `make plots`,
**     with their file names, captions and source lines;
**   - the computations behind both the tables and the plots, so a table
**     and its figure never disagree: the joinpoint trends of the final
**     overdose series, and the shipped scenario files evaluated exactly as
**     `tocalc tariff run NAME` does (no command-line overrides);
**   - a small table type (struct rtab) that renders both into an out_doc
**     (table / CSV / JSON) and into HTML;
**   - the self-contained HTML page (report_html.c).
**
** Ownership: every struct here owns what it points to and is freed by
** its *_release / *_free function.
*/
#ifndef TOCALC_REPORT_H
#define TOCALC_REPORT_H

#include <stddef.h>
#include "tocalc/util.h"
#include "tocalc/model_joinpoint.h"
#include "tocalc/out.h"
#include "tocalc/model_tariff.h"

struct tc_ctx;

/* Seeds: fixed, so the same data give the same tables and the same plot bytes. */
#define REPORT_JP_SEED 1UL		/* joinpoint permutation tests (gsl mt19937) */
#define REPORT_MC_SEED 1UL		/* Monte Carlo band of the Laffer curve */
#define REPORT_LAFFER_DRAWS 1000	/* Monte Carlo draws per tariff rate */
#define REPORT_LAFFER_FROM 0.0		/* sweep, percent: as `tocalc tariff sweep` */
#define REPORT_LAFFER_TO 300.0
#define REPORT_LAFFER_STEP 5.0
#define REPORT_LAFFER_SCENARIO "china-200"	/* the headline scenario the curve sits beside */

/* ------------------------------------------------------------ figures */

/*
** One figure of the report and of `make plots`: the recipe that draws it
** (plot_recipes[] in cmd_plot.c), the file it is written to, a caption and
** the data it comes from.
*/
struct report_figure {
	const char *recipe;	/* "overdose-deaths" */
	const char *file;	/* "overdose-deaths.svg" */
	const char *caption;
	const char *source;
};
extern const struct report_figure report_figures[];
extern const size_t report_nfigures;

/* --------------------------------------------------------- overdose trends */

/* The two final series of overdose_annual.csv, in this order. */
enum { REPORT_ALL_DRUGS, REPORT_SYNTHETIC, REPORT_NSERIES };

struct report_series {
	const char *key;	/* "all_drugs" */
	const char *label;	/* "all drugs" */
	size_t n;
	double *year, *deaths;	/* n values, years increasing */
	unsigned char *wonder;	/* 1: status final_wonder (CDC WONDER count), 0: final (NCHS) */
	struct jp_result jp;	/* jp_analyze(year, deaths), defaults, seed REPORT_JP_SEED */
	struct jp_aapc aapc;	/* AAPC of the selected model over the whole range */
};

struct report_trends {
	struct report_series s[REPORT_NSERIES];
};

/*
** Load overdose_annual.csv from data_dir (final and final_wonder rows of
** both series) and fit each series with Joinpoint's defaults.
*/
int report_trends_compute(const char *data_dir, struct report_trends *t, struct tc_err *err);
void report_trends_release(struct report_trends *t);

/* -------------------------------------------------------------- scenarios */

struct report_scenario {
	char *file;		/* base name, "china-200.scn" */
	char *name, *title;	/* from the file (name falls back to the file's base name) */
	long as_of;		/* yyyymmdd the rates before are taken on */
	int year;		/* base year of imports */
	enum tariff_model model;
	struct tariff_params p;
	struct tariff_scenario s;
	struct tariff_result r;
	char change[256];	/* "CN 10% -> 200%", or "none" */
	long draws;		/* Monte Carlo draws (0 = none) */
	unsigned long seed;
	struct tariff_mc_summary mc[TARIFF_MC_NOUT];	/* valid when draws > 0 */
	char **notes;		/* the file's notes */
	size_t nnotes;
};

/*
** Every *.scn file of `dir` (sorted by file name, C locale), each run as
** `tocalc tariff run FILE` runs it: parameters from parameters.csv unless
** the file sets them, rates before from tariffs.csv on the file's as-of
** date (default: the timeline's last date), base imports from trade.csv
** (the file's year, default the latest complete year), Monte Carlo when
** the file asks for draws (seed from the file, default 1).  An empty
** directory is an error.
*/
int report_scenarios_run(const char *data_dir, const char *dir, struct report_scenario **out,
			 size_t *n, struct tc_err *err);
void report_scenarios_free(struct report_scenario *sc, size_t n);

/* Directory of the shipped scenario files: <share_dir>/scenarios (NULL when unknown). */
char *report_scenario_dir(const struct tc_ctx *ctx);

/* ---------------------------------------------------------------- tables */

enum rcell_kind { RC_MISSING, RC_STR, RC_NUM, RC_INT };

struct rcell {
	enum rcell_kind kind;
	char *s;
	double v;
	int dec;		/* decimals; -1 = shortest exact */
	long long i;
};

struct rtab {
	char *name, *title;	/* JSON key, heading */
	size_t ncols;
	char **keys, **heads;
	size_t nrows;
	struct rcell *cells;	/* nrows * ncols, row-major */
	size_t cap, fill;
};

void rtab_init(struct rtab *t, const char *name, const char *title);
void rtab_release(struct rtab *t);
void rtab_col(struct rtab *t, const char *key, const char *heading);
void rtab_row(struct rtab *t);
void rtab_str(struct rtab *t, const char *s);	/* NULL = missing */
void rtab_num(struct rtab *t, double v, int decimals);	/* non-finite = missing */
void rtab_int(struct rtab *t, long long v);
void rtab_missing(struct rtab *t);
/* Copy into an out_doc table. */
void rtab_to_out(const struct rtab *t, struct out_doc *doc);
/* A cell as people read it (thousands separators, "-" for missing); buf >= 64 bytes. */
const char *rcell_text(const struct rcell *c, char *buf, size_t size);

/* ------------------------------------------------------------------ HTML */

struct report_page_figure {
	const struct report_figure *fig;
	const char *svg;	/* gnuplot's SVG bytes */
	size_t len;
};

struct report_page {
	const char *title;
	const char *subtitle;
	const struct rtab *vintages;	/* shown as a definition table */
	const struct rtab *const *tables;
	size_t ntables;
	const struct report_page_figure *figs;
	size_t nfigs;
	const char *const *notes;
	size_t nnotes;
};

/*
** The page as one self-contained HTML document: CSS inline, every SVG
** inline (XML prolog dropped, ids prefixed with the figure's recipe so
** several SVGs never share an id), no script, no external reference, all
** text escaped.  Pure: builds into memory (*out NUL-terminated, caller frees).
*/
int report_html_build(const struct report_page *pg, char **out, size_t *len, struct tc_err *err);
/* Build and write atomically to `path`. */
int report_html_write(const char *path, const struct report_page *pg, struct tc_err *err);

/*
** Copy an SVG for inlining: drop the XML declaration and any DOCTYPE, and
** prefix every id (and every local reference to one: href="#x", url(#x))
** with `prefix` and '-'.  Only markup is rewritten, never text.  Fails
** on something that is not an <svg> document.
*/
int report_svg_inline(const char *svg, size_t len, const char *prefix, char **out,
		      size_t *outlen, struct tc_err *err);

/* &, <, >, " and ' escaped. */
char *report_html_escape(const char *s);

#endif

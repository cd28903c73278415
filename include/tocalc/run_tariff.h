/*
** run_tariff.h: the run layer of the tariff what-ifs (src/run_tariff.c).
**
** Loads the datasets a what-if needs once (tariff_inputs_load), resolves
** it through whatif_resolve() (scenario_resolve.h) and calls the models:
** evaluation and Monte Carlo, sweeps, revenue maxima, sensitivity grids,
** the product-level (HS10) what-if, the shipped scenario files, the Laffer
** curve and effective-rate series for the figures.  Every result struct
** owns what it points to and has its *_release / *_free function.
*/
#ifndef TOCALC_RUN_TARIFF_H
#define TOCALC_RUN_TARIFF_H

#include "tocalc/scenario_resolve.h"
#include "tocalc/report.h"

/* ------------------------------------------------------------- inputs */

/* Load the datasets `what` asks for (TI_* bits; the timeline brings the coverage table). */
int tariff_inputs_load(struct tariff_inputs *in, const char *data_dir, unsigned what,
		       struct tc_err *err);
void tariff_inputs_release(struct tariff_inputs *in);

/* ------------------------------------------------------------ run layer */

/* The model at w's tariffs, and Monte Carlo when w->draws > 0 (mc may be NULL then). */
int whatif_eval(const struct whatif *w, struct tariff_result *r,
		struct tariff_mc_summary mc[TARIFF_MC_NOUT], struct tc_err *err);

/* The sweep of partner k's varied layer over statutory rates from..to by step (percent). */
struct whatif_sweep_row {
	double rate_pct;		/* statutory rate of the layer */
	double eff_pct;			/* the partner's effective rate */
	int ok;				/* 0: the model failed here (why says why); r is not valid */
	char why[256];
	struct tariff_result r;
};
int whatif_sweep(const struct whatif *w, int k, double from, double to, double step,
		 struct whatif_sweep_row **rows, size_t *n, struct tc_err *err);

/* The revenue maximum over partner k's varied layer: struct whatif_revmax, model_tariff.h. */
int whatif_revenue_max(const struct whatif *w, int k, struct whatif_revmax *out,
		       struct tc_err *err);

/*
** Everything `tocalc tariff` prints for one what-if, computed before any
** output is built: the model at w's tariffs, Monte Carlo when w->draws > 0,
** and the revenue maximum of every changed partner (has_rm[k]).  Errors
** are those of whatif_eval() and whatif_revenue_max(), in that order.
*/
struct whatif_outcome {
	struct tariff_result r;
	struct tariff_mc_summary mc[TARIFF_MC_NOUT];	/* valid when w->draws > 0 */
	struct whatif_revmax rm[TARIFF_NPARTNERS];
	int has_rm[TARIFF_NPARTNERS];
};
int whatif_run(const struct whatif *w, struct whatif_outcome *o, struct tc_err *err);

/* The revenue maximum of every partner with changed[k] set (has_rm[k] = 1). */
int whatif_revenue_max_changed(const struct whatif *w, const int changed[TARIFF_NPARTNERS],
			       struct whatif_revmax rm[TARIFF_NPARTNERS],
			       int has_rm[TARIFF_NPARTNERS], struct tc_err *err);

/*
** A sensitivity grid over a scenario: sc resolved with the overrides fl
** and each combination of the lists (eps outermost, then sigma, ex,
** pass-through; a NAN entry keeps fl's value), evaluated without Monte
** Carlo.  *first gets the resolved what-if of the first combination (the
** caller releases it with whatif_release(); untouched on error), *rows
** the n = neps*nsigma*nex*npt rows (caller frees).  The first combination
** that fails to resolve or evaluate is the error.
*/
struct whatif_grid_lists {
	const double *eps, *sigma, *ex, *pt;
	size_t neps, nsigma, nex, npt;
};
struct whatif_grid_row {
	struct tariff_params p;
	struct tariff_totals total;
};
int whatif_grid(const struct scenario *sc, const struct scenario_flags *fl,
		const struct tariff_inputs *in, const struct whatif_grid_lists *ls,
		struct whatif *first, struct whatif_grid_row **rows, size_t *n, struct tc_err *err);

/*
** The *.scn file names of dir ("china-200.scn"), sorted in the C locale;
** the caller frees each and the array.  An unreadable or empty directory
** is an error.
*/
int whatif_scenario_files(const char *dir, char ***names, size_t *n, struct tc_err *err);

/*
** The effective tariff (percent) of `partner` on each of dates[0..n)
** (yyyymmdd): the legal stack times coverage (model_rates.h).  A date before the
** timeline gets 0 (no layer recorded yet), after it NAN (unknown).  Loads
** the timeline and the coverage table of data_dir (run layer).
*/
int whatif_effective_series(const char *data_dir, int partner, const long *dates, size_t n,
			    double *rate, struct tc_err *err);

/*
** The revenue (Laffer) and import curves of a scenario file's change: the
** layer it changes on its first changed partner, swept over statutory rates
** from..to by step, with the other partners as the scenario has them, a
** p5-p95 band of `draws` Monte Carlo draws at every rate (the same draws,
** seed `seed`; no band when draws is 0) and the revenue maximum the tool
** reports for that scenario.  Revenue is total revenue (all partners),
** imports the partner's; USD million.  Release with whatif_laffer_release().
*/
/* struct whatif_laffer: model_tariff.h (report.h and the plot recipes read it). */
int whatif_laffer(const char *data_dir, const char *scenario_path, double from, double to,
		  double step, long draws, unsigned long seed, struct whatif_laffer *lc,
		  struct tc_err *err);
void whatif_laffer_release(struct whatif_laffer *lc);

/* ------------------------------------------------------- product level */

/*
** The what-if line by line over a Census HS10 file (issue 17: the command
** only formats).  Each line with imports is its own single market of
** partner `partner` at the flat statutory rates of w (plus its product-list
** rate when product_rates is not NULL), evaluated with w's model and
** parameters; the totals and the per-chapter sums are accumulated in file
** order.  Lines of other countries or years are skipped by hf and counted
** in hs.  The ces (and infinite-supply gsim) path caches what depends only
** on a line's rates, so a line costs a few multiplications; the results
** are bit for bit those of tariff_eval() on each line (tested).
** Release with whatif_products_release() (also after an error).
*/
struct whatif_chapter {
	double m0, m1, rev0, rev1, list_w;
	long rows;
};
struct whatif_products {
	double t0flat, t1flat;	/* percent */
	double value_usd, duty_usd;
	long rows, zero_rows, matched_rows, with_duty;
	double matched_value;
	struct tariff_totals T;	/* m0, m1, rev0, rev1_static, rev1, dcs, dwl summed; dm, drev,
				   creation and the welfare identities from the sums */
	struct whatif_chapter ch[100];
	int negative;
	struct hs10_summary hs;
	int have_pr;
	struct product_rates pr;	/* when have_pr (owned) */
};
int whatif_products(const struct whatif *w, int partner, const char *imports_file,
		    const struct hs10_filter *hf, const char *product_rates,
		    const struct tariff_inputs *in, struct whatif_products *out, struct tc_err *err);
void whatif_products_release(struct whatif_products *p);

/* ------------------------------------------------- the shipped scenarios */

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

#endif

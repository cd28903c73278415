/*
** whatif.h: one path from a scenario to a model run (issue 13, item 8).
**
** Every tariff what-if is a struct scenario: a scenario file parsed by
** scenario.c, or the command line's flags turned into one by cmd_tariff.c
** (a what-if from flags is a scenario without a file).  whatif_resolve()
** applies the one parameter-precedence rule
**
**     datasets/parameters.csv  <  the scenario file  <  the command line
**
** and the one market setup: every partner's base imports (trade.csv or the
** file) and its EFFECTIVE tariff before and after (model_rates.h: the legal stack
** in force on as-of, each layer times its coverage share; the change applies
** to the layer it names).  tocalc tariff, tariff run, sweep, revenue-max,
** the report and the figures all call it, so they cannot disagree.
**
** Layers: whatif_resolve() is pure (loaded inputs in, struct whatif out);
** tariff_inputs_load() and the whatif_run_*() functions are the run layer
** (src/run_tariff.c): they load datasets and call the models.
*/
#ifndef TOCALC_WHATIF_H
#define TOCALC_WHATIF_H

#include <stddef.h>
#include "tocalc/model_tariff.h"
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"
#include "tocalc/model_rates.h"
#include "tocalc/data_coverage.h"

/* ------------------------------------------------------------- inputs */

/* The datasets a what-if reads, loaded once (run layer). */
struct tariff_inputs {
	struct tariff_timeline tl;
	struct tariff_coverage *cv;	/* NULL when not loaded */
	struct tcsv_table params, trade;
	int have_tl, have_params, have_trade;
	struct tariff_params p;		/* defaults from parameters.csv */
	struct tariff_param_sources src;
};

enum { TI_PARAMS = 1, TI_TRADE = 2, TI_TIMELINE = 4, TI_ALL = 7 };

/* Load the datasets `what` asks for (TI_* bits; the timeline brings the coverage table). */
int tariff_inputs_load(struct tariff_inputs *in, const char *data_dir, unsigned what,
		       struct tc_err *err);
void tariff_inputs_release(struct tariff_inputs *in);

/* ---------------------------------------------------------- overrides */

/* The command line's overrides of a scenario; unset: 0, -1 or NAN as marked. */
struct scenario_flags {
	long as_of;			/* 0 */
	int year;			/* 0 */
	int model;			/* -1 */
	double eps, sigma, ex, pt;	/* NAN (ex may be INFINITY) */
	long draws;			/* -1; 0 turns Monte Carlo off */
	unsigned long seed;
	int seed_set;
};
void scenario_flags_init(struct scenario_flags *fl);

/* ------------------------------------------------------------ resolved */

#define WHATIF_MAX_NOTES 16

struct whatif {
	enum tariff_model model;
	struct tariff_params p;
	const char *src_eps, *src_sigma, *src_ex, *src_pt, *src_households;
	struct tariff_scenario s;	/* the markets, tariffs as fractions (effective) */
	long as_of;			/* date of the rates before; 0 when none was read */
	int year;			/* trade.csv year; 0 when none was read */
	long draws;			/* 0 = no Monte Carlo */
	unsigned long seed;
	int changed[TARIFF_NPARTNERS];
	double t0pct[TARIFF_NPARTNERS], t1pct[TARIFF_NPARTNERS];	/* effective, percent */
	int have_stack[TARIFF_NPARTNERS];	/* else the rate before came from base-rate */
	struct eff_stack before[TARIFF_NPARTNERS], after[TARIFF_NPARTNERS];
	/* the layer a sweep or a revenue maximum varies (the first one changed) */
	const char *layer[TARIFF_NPARTNERS];	/* "whatif" when the change is on no named layer */
	double layer_before[TARIFF_NPARTNERS];	/* statutory rate before, percent */
	double layer_after[TARIFF_NPARTNERS];	/* statutory rate after, percent */
	double layer_cover[TARIFF_NPARTNERS];	/* effective points per statutory point */
	double eff_without[TARIFF_NPARTNERS];	/* effective rate with the layer at 0, percent */
	char t0src[TARIFF_NPARTNERS][160];
	char imports_src[TARIFF_NPARTNERS][200];
	char change[256];		/* "CN ieepa_fentanyl 10% -> 200% (effective 21.3% -> 211.3%)" */
	char *notes[WHATIF_MAX_NOTES];	/* owned */
	size_t nnotes;
};

/*
** Resolve sc against the loaded inputs with the overrides fl (NULL: none).
** Pure.  Errors: a scenario file's mistakes name file:line (TC_EXIT_DATA);
** a date outside the timeline is TC_EXIT_USAGE, prefixed "--as-of" when
** the date came from the command line; parameter conflicts are usage
** errors naming the flag or the file.  Release with whatif_release().
*/
int whatif_resolve(const struct scenario *sc, const struct scenario_flags *fl,
		   const struct tariff_inputs *in, struct whatif *w, struct tc_err *err);
void whatif_release(struct whatif *w);

/* Which inputs sc needs (TI_* bits). */
unsigned whatif_needs(const struct scenario *sc);

/* The effective tariff (fraction) of partner k when its varied layer is at
** statutory rate pct (percent): eff_without + pct * layer_cover. */
double whatif_rate_at(const struct whatif *w, int k, double pct);

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

#endif

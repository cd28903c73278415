/*
** report.h: what `tocalc report` and the dataset plot recipes share.
**
**   - the figures: which recipes make up the report and `make plots`,
**     with their file names, captions and source lines;
**   - the result types of the computations behind both the tables and
**     the plots (the joinpoint trends of the final overdose series, the
**     shipped scenarios, struct report_result), which run_report.c and
**     run_tariff.c fill (their functions: run_report.h) and the tables,
**     the figures and the HTML page read.
** Only result types and constants: this header includes no run-layer
** header, so the plot recipes can read it (tests/layers.sh).
** The tables are out_doc tables (out.h); the HTML page is out_html.c.
**
** Ownership: every struct here owns what it points to and is freed by
** its *_release / *_free function.
*/
#ifndef TOCALC_REPORT_H
#define TOCALC_REPORT_H

#include <stddef.h>
#include "tocalc/util.h"
#include "tocalc/model_joinpoint.h"
#include "tocalc/model_tariff.h"
#include "tocalc/model_claims.h"
#include "tocalc/data_claims.h"
#include "tocalc/data_overdose.h"
#include "tocalc/tcsv.h"


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
** (plot_recipes[] in plot_recipe_table.c), the file it is written to, a caption and
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

/* ------------------------------------------------------ the computed report */

#define REPORT_RATES_FROM 20170101L	/* effective-rates: first day drawn */

/* What report_run() computes (run_report.h); a recipe names what it reads. */
enum {
	RR_TRENDS = 0x01,	/* tr: joinpoint trends of the final series */
	RR_VSRR = 0x02,		/* vsrr[]: the 12 month-ending series, vsrr_first/last */
	RR_EVENTS = 0x04,	/* events: events.csv */
	RR_CN_RATE = 0x08,	/* cn_rate: effective tariff on China per VSRR month (needs RR_VSRR) */
	RR_LAFFER = 0x10,	/* laffer: the headline scenario's sweep and band */
	RR_SCENARIOS = 0x20,	/* sc: the shipped scenarios */
	RR_CLAIMS = 0x40,	/* claims */
	RR_RATES = 0x80,	/* steps: effective-rate steps of every partner */
	RR_SOURCES = 0x100,	/* the pub_* source lines */
	RR_DATA = 0x200		/* datasets: every dataset's rows, period and what the report used */
};

/* One row of the report's data table. */
struct report_dataset {
	const char *file;		/* "overdose_annual.csv" (static) */
	size_t rows;
	char first[64], last[64];	/* the period column's first and last value; "" when none */
	char note[300];			/* what the report used from it; "" when nothing to say */
};

/* The effective tariff of one partner as steps: the rate from day[i] on. */
struct report_steps {
	size_t n;
	long *day;		/* yyyymmdd */
	double *eff;		/* percent */
};

struct report_result {
	unsigned have;				/* RR_* computed */
	/*
	** input, set before report_run (RR_VSRR): the VSRR vintage, state and
	** indicator of `plot vsrr-12mo --vintage/--state/--indicator`; all
	** NULL (report_result_init): the newest vintage, US, and vsrr[] holds
	** all drugs and synthetic opioids.  With a selection vsrr[0] is all
	** drugs of that state and vintage, vsrr[1] the indicator (default
	** synthetic opioids; empty, n = 0, when the indicator is all_drugs).
	*/
	struct od_select sel;
	struct report_trends tr;
	struct od_series vsrr[REPORT_NSERIES];	/* all_drugs, synthetic_opioids (or sel.indicator) */
	long vsrr_first, vsrr_last;		/* months (yyyymm) of either series; 0 = no rows */
	struct tcsv_table events;
	size_t nmonths;				/* vsrr_first..vsrr_last */
	double *cn_rate;			/* percent on each month's last day (NAN = unknown) */
	struct whatif_laffer laffer;
	struct report_scenario *sc;
	size_t nsc;
	struct claims_run claims;
	struct report_steps steps[TARIFF_NPARTNERS];
	struct report_dataset *datasets;	/* RR_DATA: every dataset but sources.csv */
	size_t ndatasets;
	/* source lines: the publishers of the rows a figure plots */
	char pub_annual[300];		/* overdose_annual, final series plotted */
	char pub_vsrr[200];		/* overdose_12mo */
	char pub_tariffs_cn[300];	/* tariffs of CN and ALL */
	char pub_trade_cn[200];		/* trade of CN */
	char pub_households[200];	/* parameters: us_households */
	/*
	** the second footnote line of a figure whose rows rest on secondary
	** sources only (sources.csv kind); "" when none (or no sources.csv)
	*/
	char sec_deaths[600];		/* RR_SOURCES: final deaths (od_secondary_note) */
	char sec_vsrr[600];		/* RR_SOURCES: overdose_12mo, tariffs of CN and ALL */
	char sec_laffer[600];		/* RR_LAFFER: trade of CN in its year, tariffs, elasticities */
	char sec_scenarios[600];	/* RR_SCENARIOS: trade of the base years, tariffs, households */
	char sec_claims[600];		/* RR_CLAIMS: publishers of the claims' secondary source ids
					   (claim_result.secondary, as `check ID` shows them) */
};

#endif

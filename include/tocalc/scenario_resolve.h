/*
** scenario_resolve.h: one path from a scenario to a model run (issue 13, item 8).
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
** Layers: whatif_resolve() (src/scenario_resolve.c) is pure: loaded inputs
** in, struct whatif out.  tariff_inputs_load() and the whatif_*() runs are
** the run layer, declared in run_tariff.h (src/run_tariff.c): they load the
** datasets and call the models.
*/
#ifndef TOCALC_SCENARIO_RESOLVE_H
#define TOCALC_SCENARIO_RESOLVE_H

#include <stddef.h>
#include "tocalc/model_tariff.h"
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"
#include "tocalc/model_rates.h"
#include "tocalc/data_coverage.h"

/* ------------------------------------------------------------- inputs */

/* The datasets a what-if reads, loaded once by tariff_inputs_load() (run_tariff.h). */
struct tariff_inputs {
	struct tariff_timeline tl;
	struct tariff_coverage *cv;	/* NULL when not loaded */
	struct tcsv_table params, trade;
	int have_tl, have_params, have_trade;
	struct tariff_params p;		/* defaults from parameters.csv */
	struct tariff_param_sources src;
};

enum { TI_PARAMS = 1, TI_TRADE = 2, TI_TIMELINE = 4, TI_ALL = 7 };


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

#endif

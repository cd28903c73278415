/*
** run_overdose.h: the run layer of `tocalc overdose` (src/run_overdose.c):
** from a selection (shipped series, VSRR vintage/state/indicator, or a
** user file; a range) to the numbers, in one call: the series loaded and
** checked, the analysed points and weights, the joinpoint fit with its
** options and limits (model_joinpoint.h), the AR(1) refit, the AAPC ranges, the
** empirical CIs, the comparison with a second series, and the policy
** events beside the selected model.  The commands (cmd_overdose.c) parse
** flags into these structs and format the result; the figures ask for the
** same series through run_overdose_series().
**
** Errors: exit 2 (TC_EXIT_USAGE) for a bad selection or option, 1 for bad
** data or an impossible fit, with err filled and nothing to release.
** Memory: a result is filled by its function and owns everything in it
** (the series, the arrays, the fits, the events table); release it with
** its *_release().  Inputs are only read.
*/
#ifndef TOCALC_RUN_OVERDOSE_H
#define TOCALC_RUN_OVERDOSE_H

#include <stddef.h>
#include "tocalc/util.h"
#include "tocalc/model_joinpoint.h"
#include "tocalc/model_joinpoint_ar1.h"
#include "tocalc/model_joinpoint_compare.h"
#include "tocalc/model_joinpoint_empirical.h"
#include "tocalc/data_overdose.h"
#include "tocalc/tcsv.h"
#include "tocalc/model_trend.h"

/*
** Which series, and which part of it.  Zero-initialise, then set
** source = basis = -1 (run_od_series_opts_init does this).
*/
struct run_od_series_opts {
	const char *data_dir;
	const char *what;	/* the subcommand, for messages ("change", "trend", ...) */
	const char *series;	/* all_drugs (NULL), synthetic_opioids */
	enum od_measure measure;
	int measure_set;	/* --measure given */
	int source;		/* -1: by the periods asked (YYYY-MM: vsrr), OD_FINAL, OD_VSRR */
	int basis;		/* -1: not given; 0 reported, 1 predicted (VSRR) */
	struct od_select sel;	/* VSRR vintage, state, indicator (NULL: newest, US, series) */
	const char *file, *xcol, *ycol;	/* a user CSV instead of a shipped series */
	int allow_uneven;
	const char *from, *to;	/* periods as the user wrote them, or NULL */
	int range_required;	/* --from and --to must both be given */
	int range_distinct;	/* --from must come strictly before --to */
};

void run_od_series_opts_init(struct run_od_series_opts *o);

/* The selected series and the range [i0, i1] of it. */
struct run_od_series {
	struct od_series s;
	size_t i0, i1;
};

/*
** Load the selected series and find the range: what `plot overdose-deaths
** --state OH` or `plot vsrr-12mo --indicator heroin` needs (sel.state,
** sel.indicator, sel.vintage select a kept VSRR vintage, data_vsrr.h).
** Returns 0, -1, or OD_NO_ROWS from od_load_vsrr_sel (data_overdose.h).
*/
int run_overdose_series(const struct run_od_series_opts *o, struct run_od_series *r, struct tc_err *err);
void run_od_series_release(struct run_od_series *r);

/* Name of the analysed values: final, value, reported or predicted. */
const char *run_od_basis_name(const struct run_od_series_opts *o, const struct od_series *s);

enum run_od_weights { RUN_OD_W_NONE, RUN_OD_W_POISSON, RUN_OD_W_DEATHS, RUN_OD_W_SE };

/* What to compute beside the series. */
enum run_od_kind {
	RUN_OD_CHANGE,		/* percent change from i0 to i1, each basis */
	RUN_OD_SUM,		/* totals over non-overlapping periods */
	RUN_OD_TREND,		/* one log-linear trend */
	RUN_OD_JOINPOINT,	/* joinpoint fit, AR(1), AAPC, empirical CIs, comparison */
	RUN_OD_EVENTS		/* joinpoint fit and the policy dates beside it */
};

struct run_od_opts {
	enum run_od_kind kind;
	struct run_od_series_opts ser;
	double level;		/* trend: confidence level (default 0.95) */
	struct jp_options jp;	/* search, selection and the size limits (model_joinpoint.h) */
	unsigned long seed;	/* the permutation tests and resamples restart from it */
	const char *const *aapc;	/* "FROM:TO" ranges (naapc; none: the whole range) */
	int naapc;
	enum run_od_weights weights;
	const char *se_col;	/* RUN_OD_W_SE: the file's standard-error column */
	int ar1;		/* 0 off, 1 rho given, 2 estimate */
	double ar1_rho;
	int empirical;		/* empirical-quantile CIs with `resamples` (0: 4999) */
	long resamples;
	const char *compare;	/* a second series (or a file's column) to compare with */
	const char *jump;	/* first period of a new coding, or NULL */
	double jump_ratio;	/* comparability ratio (0: estimate the jump) */
	int stability;		/* the selection-stability runs ... */
	int stability_seeds;	/* ... with this many permutation seeds (0: 3) */
};

void run_od_opts_init(struct run_od_opts *o);

struct run_od_aapc {
	size_t f0, f1;		/* series indexes of the range */
	struct jp_aapc ap;	/* of the reported model (AR(1) when refitted) */
};

struct run_od_event {
	size_t row;		/* row of the events table */
	double x;		/* the date on the series' axis */
	int seg_before, seg_after;	/* segments of the selected model; -1: none */
	int nearest;		/* nearest joinpoint, -1: none */
	double to_nearest;	/* its x minus the date's */
};

/*
** Selection stability: the same points fitted with every selection
** (permutation with `stability_seeds` seeds from `seed`, BIC, BIC3, WBIC,
** MBIC) and both searches (grid; Hudson with the information criteria
** only: its permutation test has no exact fast path), and the spread of
** the joinpoints among the runs that select the most common number.
*/
struct run_od_stab_run {
	char label[64];		/* "permutation seed 3, grid", "bic, hudson" */
	int k;
	double tau[JP_MAX_JOINPOINTS];
	long tidx[JP_MAX_JOINPOINTS];	/* index in the analysed points, -1 between */
};

struct run_od_stability {
	struct run_od_stab_run *runs;
	int nr;
	int modal;		/* the most common number of joinpoints */
	int agree_k;		/* runs selecting it */
	int agree_all;		/* of them, runs with the same joinpoints as the first */
	double lo[JP_MAX_JOINPOINTS], hi[JP_MAX_JOINPOINTS];	/* range of each joinpoint */
};

struct run_od_result {
	struct od_series s;
	size_t i0, i1;
	/* RUN_OD_CHANGE: one row per basis (VSRR: reported, predicted when present) */
	int nbasis;
	double pct[2];
	/* RUN_OD_SUM: every step-th point of [i0, i1]; totals per basis */
	size_t step, nperiods;
	double total[2];
	/* RUN_OD_TREND */
	struct trend_fit trend;
	/* RUN_OD_JOINPOINT, RUN_OD_EVENTS (and the analysed points of TREND) */
	double *x, *y, *w;	/* the analysed points (w NULL: unweighted) */
	size_t n;
	struct jp_result jp;
	const struct jp_model *selected;	/* the selected model of jp */
	const struct jp_model *model;	/* the reported one: selected, or ar1 */
	struct jp_model ar1;	/* when opts.ar1 */
	double rho;
	struct run_od_aapc *aapc;
	int naapc;
	int has_empirical;
	long resamples;
	struct jp_empirical emp;
	struct jp_aapc *emp_aapc;	/* of the selected model, one per AAPC range */
	int has_compare;
	struct jp_comparison cmp;
	int has_stability;
	struct run_od_stability stab;
	const char *basis;	/* run_od_basis_name() of the series */
	int has_events;
	struct tcsv_table events;
	struct run_od_event *ev;
	size_t nev, events_outside;
};

/*
** The whole analysis of opts->kind.  opts->jp.progress (may be NULL) is called during the
** permutation tests of the main fit only.
*/
int run_overdose(const struct run_od_opts *opts, struct run_od_result *r, struct tc_err *err);
void run_od_result_release(struct run_od_result *r);

/*
** `overdose joinpoint --file F --group COL`: every group of a long file (one
** row per group and x) fitted with the same joinpoint options, weights and
** seed (the RNG restarts from seed for each group, as NCI Joinpoint's
** by-variables run every cohort alike), with the AAPC over each group's
** whole range.  Rows outside [from, to] (numbers, or NULL) are left out.
*/
struct run_od_group_opts {
	const char *file, *xcol, *ycol, *group_col, *se_col;
	enum run_od_weights weights;	/* NONE, POISSON or SE (se_col) */
	const char *from, *to;
	const struct jp_options *jp;
	unsigned long seed;
};

struct run_od_group {
	const char *name;	/* in the table of run_od_groups */
	size_t n;
	struct jp_result jp;
	struct jp_aapc aapc;	/* of the selected model over the group's range */
};

struct run_od_groups {
	struct tcsv_col_spec cols[4];	/* the table's schema (t points at it: do not copy the struct) */
	struct tcsv_schema schema;
	struct tcsv_table t;
	struct run_od_group *g;	/* in order of first appearance */
	size_t ng;
};

int run_overdose_groups(const struct run_od_group_opts *o, struct run_od_groups *r, struct tc_err *err);
void run_od_groups_release(struct run_od_groups *r);

#endif

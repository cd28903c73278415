/*
** run_overdose_vintage.h: the run layer of `tocalc overdose value`,
** `revisions` and `states` (src/run_overdose_vintage.c): the datasets and
** the kept VSRR vintages loaded, the values looked up and the revisions and
** 12-month changes computed, in one call each.  cmd_overdose_vintage.c
** parses the flags into the option structs (and reports flag misuse) and
** formats the results; nothing here prints.
**
** Errors: exit 2 (TC_EXIT_USAGE) for a selection that names nothing known,
** 1 for bad or missing data, with err filled and nothing to release.
** Memory: a result owns everything in it (series, rows, strings); release
** it with its *_release(), also after a failed call.  Inputs are only read.
*/
#ifndef TOCALC_RUN_OVERDOSE_VINTAGE_H
#define TOCALC_RUN_OVERDOSE_VINTAGE_H

#include <stddef.h>
#include "tocalc/util.h"
#include "tocalc/data_overdose.h"
#include "tocalc/tcsv.h"

/* ---- value: one period of a series, with its sources ---- */
struct run_od_value_opts {
	const char *data_dir;
	const char *series;	/* --series or the positional name; NULL: all_drugs */
	const char *at;		/* YYYY (final annual) or YYYY-MM (VSRR 12 months ending) */
	int vsrr;		/* read VSRR data (a selection, a month or --source vsrr) */
	int rate;		/* final data: the age-adjusted rate, not deaths */
	struct od_select sel;
};
struct run_od_value {
	struct od_series s;	/* the series read */
	size_t i;		/* the index of the period asked for */
	char desc[600];		/* the period's source ids, "; "-separated */
	int secondary;		/* one of them is a secondary source */
	char rownote[512];	/* the dataset row's note (final data), or "" */
};
int run_od_value(const struct run_od_value_opts *o, struct run_od_value *r, struct tc_err *err);
void run_od_value_release(struct run_od_value *r);

/* ---- revisions: every month seen in two consecutive kept vintages ---- */
struct run_od_revisions_opts {
	const char *data_dir;
	const char *series;	/* fallback indicator when sel.indicator is NULL */
	struct od_select sel;	/* vintage must be NULL */
	long from, to;		/* YYYYMM bounds, inclusive */
};
struct run_od_revision {
	size_t old_k, new_k;	/* indexes into ser[] of the two vintages */
	size_t old_i, new_i;	/* the month's index in each series */
	double d_reported, pct_reported;	/* new - old, 100 (new/old - 1); NAN when unknown */
	double d_predicted, pct_predicted;
};
struct run_od_revisions {
	size_t nv;		/* kept vintages */
	struct od_series *ser;	/* nv series, one per vintage, n == 0 without the series */
	size_t first;		/* the first vintage that has the series */
	struct run_od_revision *rows;
	size_t nrows;
};
int run_od_revisions(const struct run_od_revisions_opts *o, struct run_od_revisions *r,
		     struct tc_err *err);
void run_od_revisions_release(struct run_od_revisions *r);

/* ---- states: the latest 12-month change of every jurisdiction ---- */
struct run_od_states_opts {
	const char *data_dir;
	const char *indicator;	/* a VSRR death-count indicator */
	const char *vintage;	/* NULL: the latest kept vintage */
	long to;		/* YYYYMM, 0: the latest month of the indicator */
};
struct run_od_state_row {
	const char *state;	/* points into the result's table */
	double a, b, pct;	/* reported counts 12 months apart, percent change (NAN unknown) */
	const char *flag_a, *flag_b, *complete;
	int flagged;		/* either count is CDC-marked provisional (underreported) */
};
struct run_od_states {
	char vintage[11];
	char *path;		/* the vintage file read */
	long last, prev;	/* the two months compared, YYYYMM */
	struct run_od_state_row *rows;	/* sorted by change, largest first, unknown last */
	size_t n, nflag;
	struct tcsv_table t;	/* owns the strings of rows */
	int have_t;
};
int run_od_states(const struct run_od_states_opts *o, struct run_od_states *r, struct tc_err *err);
void run_od_states_release(struct run_od_states *r);

#endif

/*
** rates.h: effective tariff rates from the dated legal stack (issue 12).
**
** A statutory layer (a row of datasets/tariffs.csv: MFN, Section 301 lists,
** Section 232, IEEPA fentanyl, IEEPA reciprocal, Section 122, ...) reaches
** only part of a partner's imports: the USMCA exemption, product lists,
** carve-outs.  Its coverage share (datasets/tariff_coverage.csv, each row
** sourced) turns it into an effective contribution:
**
**     effective_L = statutory_L * coverage_L          (percentage points)
**     effective   = sum over layers in force of effective_L
**
** where the shares are defined so that the sum does not count a product
** twice (a product on several Section 301 lists pays the highest rate in
** force; a layer that does not stack on another is given the share of
** imports it alone reaches).  docs/effective-rates.md states the rules
** and every approximation.
**
** Pure: the caller loads the timeline and the coverage table.  Ownership:
** the coverage table owns its strings; a struct eff_stack holds pointers
** into the timeline and the coverage table, valid until they are released.
** Rates here are in PERCENT, shares in [0, 1].
*/
#ifndef TOCALC_RATES_H
#define TOCALC_RATES_H

#include <stddef.h>
#include "tocalc/tariffs.h"

/* datasets/tariff_coverage.csv, loaded and checked (opaque). */
struct tariff_coverage;

int tariff_coverage_load(struct tariff_coverage **cv, const char *data_dir, struct tc_err *err);
int tariff_coverage_load_file(struct tariff_coverage **cv, const char *path, struct tc_err *err);
/* The same from memory; `name` stands for the file in messages (fuzzing, tests). */
int tariff_coverage_load_buffer(struct tariff_coverage **cv, const char *name, const char *buf,
				size_t len, struct tc_err *err);
void tariff_coverage_free(struct tariff_coverage *cv);

struct eff_layer {
	const char *layer;		/* timeline layer name ("mfn", "s301_list3", "ieepa_fentanyl", ...) */
	const struct tariff_row *row;	/* the row in force on the date; NULL for a what-if layer */
	enum tariff_scope scope;
	double statutory;		/* percent */
	double coverage;		/* share of the partner's imports that pay it, [0, 1] */
	double effective;		/* percentage points it adds to the effective rate */
	const char *basis;		/* how the coverage was obtained (short text, static or owned by cv) */
	const char *source;		/* source id(s) of the coverage row; NULL when no row gives it
					   (an approximated row keeps its source: a carried share) */
	int approximated;		/* no sourced coverage for this layer, partner and date */
	int changed;			/* set by eff_stack_set_layer */
};

struct eff_stack {
	long date;			/* yyyymmdd */
	int partner;			/* enum tariff_partner (ROW: the layers for ALL) */
	double effective;		/* percent: sum of the layers' effective contributions */
	size_t n;
	struct eff_layer l[TARIFF_MAX_LAYERS];	/* in force on date, timeline order; then what-if layers */
	int approximated;		/* some layer is approximated */
	int has_ieepa;			/* some layer in force is an IEEPA measure */
};

/*
** The legal stack of `partner` on `date` and its effective rate.  Fails
** (TC_EXIT_USAGE) for a date outside the timeline, (TC_EXIT_DATA) when a
** row in force has no rate.  A layer without a coverage row is included
** with the coverage of its scope (all_goods: 1) and approximated = 1.
*/
int tariff_effective_on(const struct tariff_timeline *tl, const struct tariff_coverage *cv,
			int partner, long date, struct eff_stack *st, struct tc_err *err);

/*
** A what-if on one layer: `out` is `base` with layer `layer` at statutory
** rate `pct` (percent).  When the layer is not in force on base->date it is
** added; its scope is `scope` when >= 0, else the scope of the layer's row
** in force, else of the layer's next row in the timeline, else all goods;
** its coverage comes from cv for that partner, layer, scope and date (the
** name "whatif" is a hypothetical layer on all goods, coverage 1).  The
** changed layer has changed = 1.  Fails for a negative or non-finite pct.
*/
int eff_stack_set_layer(const struct eff_stack *base, const struct tariff_timeline *tl,
			const struct tariff_coverage *cv, const char *layer, int scope, double pct,
			struct eff_stack *out, struct tc_err *err);

/*
** Coverage share of `layer` with `scope` for `partner` on `date`, with
** *basis, *source (NULL when no row gives it) and *approximated set.
** Never fails.  Lookup: the row of the layer, else a row with layer "*"
** of the scope; without a row: non_usmca for CN or ROW is 1 (exact),
** all_goods is 1 (approximated), product_list is 0 (approximated: left
** out), the layer "whatif" is 1.
*/
void tariff_coverage_share(const struct tariff_coverage *cv, int partner, const char *layer,
			   enum tariff_scope scope, long date, double *share, const char **basis,
			   const char **source, int *approximated);

/*
** Section 301 cells (rows "cell:A+B+..." of the coverage table): the share
** of a partner's imports whose HTS8 is on exactly the lists of layers A, B,
** ...  tariff_effective_on() gives each cell to the layer with the highest
** rate in force, so a product is counted once.  Pointers into cv.
*/
#define TARIFF_CELL_MAX_LAYERS 8
struct tariff_cov_cell {
	const char *id;
	size_t nlayers;
	const char *layers[TARIFF_CELL_MAX_LAYERS];
	double share;
	const char *basis, *source;
	long line;
};
/* Cells of partner in force on date: writes at most max, returns how many there are. */
size_t tariff_coverage_cells(const struct tariff_coverage *cv, int partner, long date,
			     const struct tariff_cov_cell **out, size_t max);
/* Is layer a member of some cell of partner (its coverage comes from the cells)? */
int tariff_coverage_is_cell_layer(const struct tariff_coverage *cv, int partner, const char *layer);

#endif

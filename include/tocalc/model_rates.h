/*
** model_rates.h: effective tariff rates from the dated legal stack (issue 12),
** src/model_rates.c; the coverage table is data_coverage.h.
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
#ifndef TOCALC_MODEL_RATES_H
#define TOCALC_MODEL_RATES_H

#include <stddef.h>
#include "tocalc/data_tariffs.h"
#include "tocalc/data_coverage.h"

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

#endif

/*
** data_tariffs.h: the tariff timeline (datasets/tariffs.csv) of
** src/data_tariffs.c: loading, the rate in force on a date, proposed rates.
**
** Ownership: a loaded timeline owns its memory and is freed with
** tariff_timeline_release(); pointers into it (rows, strings) and query
** results (struct tariff_stack) stay valid until then.  Rates in this
** header are in PERCENT (as in tariffs.csv); the models (model_tariff.h)
** take fractions.
*/
#ifndef TOCALC_DATA_TARIFFS_H
#define TOCALC_DATA_TARIFFS_H

#include <stddef.h>
#include "tocalc/model_tariff.h"
#include "tocalc/tcsv.h"

enum tariff_scope { TSCOPE_ALL_GOODS, TSCOPE_NON_USMCA, TSCOPE_PRODUCT_LIST };
enum tariff_status {
	TSTAT_PROPOSED, TSTAT_IN_EFFECT, TSTAT_REDUCED, TSTAT_SUPERSEDED,
	TSTAT_SUSPENDED, TSTAT_VOIDED, TSTAT_EXPIRED
};

struct tariff_row {
	const char *id, *partner, *layer, *measure, *authority, *source, *note; /* NULL when empty */
	const char *scope_name, *status_name;
	long effective;		/* yyyymmdd */
	long end;		/* yyyymmdd, exclusive; 0 = open-ended */
	int month_precision;	/* date_precision == month */
	double rate;		/* percent; NAN when missing */
	enum tariff_scope scope;
	enum tariff_status status;
	long line;		/* line in the file */
	int pcode;		/* tariff_partner_index(partner): 0-3, -1 for another code */
	int layer_id;		/* rows of the same layer have the same id, 0 .. nlayer_ids - 1 */
};

struct tariff_timeline {
	struct tcsv_table table;	/* owns every string */
	struct tariff_row *rows;	/* file order */
	size_t nrows;
	long first;		/* earliest effective date of a row that was ever in force */
	long last;		/* latest effective or end date of such a row */
	/* the layer names, built with the rows: tariff_layer_id() */
	size_t nlayer_ids;
	int *layer_slot;	/* open addressing, layer_cap entries: a row index or -1 */
	size_t layer_cap;	/* a power of two */
};

/* datasets/tariffs.csv from data_dir, or any file with the same schema. */
int tariff_timeline_load(struct tariff_timeline *tl, const char *data_dir, struct tc_err *err);
int tariff_timeline_load_file(struct tariff_timeline *tl, const char *path, struct tc_err *err);
/* The same from memory; `name` stands for the file in messages (fuzzing, tests). */
int tariff_timeline_load_buffer(struct tariff_timeline *tl, const char *name, const char *buf,
				size_t len, struct tc_err *err);
void tariff_timeline_release(struct tariff_timeline *tl);

/* Is the row ever in force (status neither proposed nor suspended)? */
int tariff_row_enforceable(const struct tariff_row *r);
/* Does the row's authority or layer name IEEPA? */
int tariff_row_is_ieepa(const struct tariff_row *r);

#define TARIFF_MAX_LAYERS 48

struct tariff_layer {
	const char *layer;
	const struct tariff_row *row;	/* the row in force on the date */
	double rate;			/* percent */
	int stacked;			/* scope all_goods or non_usmca: counted in the stack */
};

/*
** The rate in force on `date` for `partner` ("CN", "MX", "CA"; "ALL"
** gives the layers that apply to everyone).  For each layer, among the
** rows for that partner or ALL whose status is not proposed/suspended,
** whose effective <= date and whose end is empty or > date, the one with
** the latest effective date (ties: the partner's own row, then the later
** line) is in force.  The stacked rate sums the layers in force whose
** scope is all_goods or non_usmca, except the normal duty (layer "mfn"):
** it is the stack of additional duties; product_list layers and mfn are
** listed with stacked = 0 (the effective rate with all of them: model_rates.h).
** A layer whose latest row has ended contributes nothing.
*/
struct tariff_stack {
	long date;
	double rate;			/* percent */
	size_t nlayers;
	struct tariff_layer layers[TARIFF_MAX_LAYERS];	/* file order of first appearance */
	int has_ieepa;			/* a stacked layer in force is an IEEPA measure */
	int has_non_usmca;		/* a stacked layer in force exempts USMCA goods */
};

/* The timeline's partner code of model partner k: ROW pays the layers for ALL. */
const char *tariff_timeline_partner(int k);
/* The inverse: "CN", "MX", "CA", "ALL" -> 0 .. 3 (TARIFF_ROW for ALL); -1 for anything else. */
int tariff_partner_index(const char *code);
/* The id of a layer name in the timeline (tariff_row.layer_id), -1 when no row has it. */
int tariff_layer_id(const struct tariff_timeline *tl, const char *layer);
/* The hash of a name the loaders index by (32 bits). */
unsigned tariff_name_hash(const char *s);

/*
** Fails (TC_EXIT_USAGE) for a date outside [first, last] of the timeline
** and for an unknown partner; fails (data) when a row in force has no rate.
*/
int tariff_rate_on(const struct tariff_timeline *tl, const char *partner, long date,
		   struct tariff_stack *st, struct tc_err *err);

/*
** One layer's rate (percent) for partner on date by the same rule; 0 with
** *row = NULL when no row of the layer is in force.  -1 (usage) when no
** row of the timeline has that layer for that partner or ALL.
*/
int tariff_layer_rate_on(const struct tariff_timeline *tl, const char *partner, const char *layer,
			 long date, double *rate, const struct tariff_row **row, struct tc_err *err);

/*
** Proposed rates: rows with status "proposed" for partner (or ALL; partner
** NULL = every partner), file order.  Writes at most max pointers into out
** and returns how many there are in all.
*/
size_t tariff_proposed(const struct tariff_timeline *tl, const char *partner,
		       const struct tariff_row **out, size_t max);

#endif

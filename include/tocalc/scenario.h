/*
** scenario.h: tariff scenarios of src/scenario.c: the strict scenario-file
** parser (docs/scenario-format.md) and the scenario without a file that
** the command line's flags build.  A struct scenario owns its strings and
** is freed with scenario_release(); rates are in PERCENT.
*/
#ifndef TOCALC_SCENARIO_H
#define TOCALC_SCENARIO_H

#include <stddef.h>
#include "tocalc/model_tariff.h"

enum scenario_op { SCN_BASE, SCN_RATE, SCN_ADD };

/*
** A change is made to one layer of the partner's legal stack (model_rates.h):
** `layer NAME R` sets layer NAME's statutory rate to R; `rate R` and
** `add R` act on the hypothetical layer "whatif" (an additional tariff on
** all goods, not in force before), so `rate 25` means "an additional 25%
** on top of the duties in force".  The effective tariff after follows
** from the layer's coverage share.
*/
#define SCENARIO_MAX_LAYERS 16
#define SCENARIO_WHATIF_LAYER "whatif"
struct scenario_partner {
	int set;			/* a partner line names it */
	enum scenario_op op;		/* base: no change; rate/add: the "whatif" layer */
	double value;			/* percent */
	double base_rate;		/* effective rate before, percent; NAN = from the timeline */
	double imports;			/* USD million; NAN = from trade.csv */
	size_t nlayers;			/* "layer NAME RATE": that layer's statutory rate after */
	char *layer[SCENARIO_MAX_LAYERS];
	double layer_rate[SCENARIO_MAX_LAYERS];
	int layer_add[SCENARIO_MAX_LAYERS];	/* 1: layer_rate is added to the rate in force */
	int layer_scope[SCENARIO_MAX_LAYERS];	/* enum tariff_scope, -1 = the layer's own */
	long line;			/* first line naming the partner; 0 = the command line */
	int optional;			/* left out, with a note, when trade.csv has no imports */
};

struct scenario {
	char *path;			/* as given; "command line" for flags */
	char *name, *title;
	long as_of;			/* yyyymmdd, 0 = unset */
	int year;			/* 0 = unset */
	int model;			/* enum tariff_model, -1 = unset */
	double eps, sigma, ex, pass_through;	/* NAN = unset; ex may be INFINITY */
	long draws;			/* 0 = none */
	unsigned long seed;
	int seed_set;
	int from_flags;			/* built from the command line, not a file */
	struct scenario_partner p[TARIFF_NPARTNERS];
	char **notes;
	size_t nnotes;
};

/*
** Parse a scenario file strictly (docs/scenario-format.md).  Errors name
** file:line and have code TC_EXIT_DATA.  On failure nothing needs releasing.
*/
int scenario_parse_file(struct scenario *sc, const char *path, struct tc_err *err);
int scenario_parse_buffer(struct scenario *sc, const char *name, const char *buf, size_t len,
			  struct tc_err *err);
void scenario_release(struct scenario *sc);

/*
** A scenario without a file (the command line's): every field unset.
** Then scenario_set_partner() names a partner (base: no change) and
** scenario_add_layer() adds a change of one layer (add: 0 sets the rate,
** 1 adds to it; scope -1: the layer's own).  The strings are copied.
*/
void scenario_init(struct scenario *sc, const char *path);
void scenario_set_partner(struct scenario *sc, int k);
int scenario_add_layer(struct scenario *sc, int k, const char *layer, double pct, int add,
		       int scope, struct tc_err *err);

#endif

/*
** data_trade.h: base imports (datasets/trade.csv) and model parameters
** (datasets/parameters.csv) of src/data_trade.c.  Results point into the
** loaded tables and stay valid while they do.  (parameters.csv is read
** here, not by a loader of its own: issue 17 notes it.)
*/
#ifndef TOCALC_DATA_TRADE_H
#define TOCALC_DATA_TRADE_H

#include "tocalc/model_tariff.h"
#include "tocalc/tcsv.h"

/*
** Base imports for a year, USD million, per partner (ROW: a row for
** partner ROW, basis derived: a Census total less CN, MX and CA).  Basis
** preference: census_general, then census_consumption (or derived for
** ROW); a missing value stays NAN (m0[k] NAN, line[k] of
** the row that said "not found" or 0 when there is no row).
*/
struct trade_base {
	int year;
	double m0[TARIFF_NPARTNERS];
	const char *basis[TARIFF_NPARTNERS];	/* into the table */
	const char *source[TARIFF_NPARTNERS];
	long line[TARIFF_NPARTNERS];
};
int trade_base_get(const struct tcsv_table *trade, int year, struct trade_base *tb);
/* Latest year with a census import value for every one of CN, MX, CA; 0 when none. */
int trade_latest_year(const struct tcsv_table *trade);

struct tariff_param {
	int found;
	double value;		/* NAN when the value is empty */
	const char *unit, *source, *note;	/* into the table */
};
int tariff_param_get(const struct tcsv_table *params, const char *name, struct tariff_param *out);
/*
** Every value of parameters.csv against its domain (us_households a whole
** number >= 1, shares in [0, 1], elasticities > 0, ...): 0, or -1 with
** "file:line:col: column 'value': parameter 'name': expected ..., got ...".
*/
int parameters_check(const struct tcsv_table *params, struct tc_err *err);

/*
** Model defaults from parameters.csv: import_demand_elasticity (magnitude),
** substitution_elasticity, export_supply_elasticity (empty = infinite),
** pass_through_border, us_households (unit "households" or "million
** households").  Missing rows are errors naming the parameter.
*/
struct tariff_param_sources {
	const char *eps, *sigma, *ex, *pass_through, *households;
};
int tariff_params_from_table(const struct tcsv_table *params, struct tariff_params *p,
			     struct tariff_param_sources *src, struct tc_err *err);

#endif

/*
** tariffs.h: tariff data for the what-if engine (issue 3) and for the
** claims checker and plots: the tariff timeline (datasets/tariffs.csv),
** base imports (trade.csv), model parameters (parameters.csv), the
** Census HS10 import-file reader, Section 301 product lists, and the
** scenario-file parser (docs/scenario-format.md).
**
** Ownership: every loaded struct owns its memory and is freed with its
** *_release(); pointers into it (rows, strings) stay valid until then.
** Query results (struct tariff_stack) hold pointers into the timeline.
** Rates in this header are in PERCENT (as in tariffs.csv); the models
** (tariff.h) take fractions.
*/
#ifndef TOCALC_TARIFFS_H
#define TOCALC_TARIFFS_H

#include <stddef.h>
#include <stdint.h>
#include "tocalc/tariff.h"
#include "tocalc/tcsv.h"

/* ------------------------------------------------------------ timeline */

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
};

struct tariff_timeline {
	struct tcsv_table table;	/* owns every string */
	struct tariff_row *rows;	/* file order */
	size_t nrows;
	long first;		/* earliest effective date of a row that was ever in force */
	long last;		/* latest effective or end date of such a row */
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
** listed with stacked = 0 (the effective rate with all of them: rates.h).
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

/* ---------------------------------------------------------- trade, parameters */

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

/* ------------------------------------------------------- product level */

/*
** Census HS10 import file (imports for consumption), header
**   HS10,HS8,HS6,I_COMMODITY_SDESC,CTY_CODE,CTY_NAME,YEAR,CON_VAL_YR,CAL_DUT_YR
** (extra columns allowed).  Streamed with tcsv_stream_file; HS codes must
** be 10 and 8 digits, HS8 the first 8 digits of HS10; values >= 0 in USD.
*/
struct hs10_row {
	const char *hs10, *hs8, *country, *desc;
	uint32_t hs8num;	/* HS8 as a number */
	int chapter;		/* HS2, 1..99 */
	int year;
	double value;		/* CON_VAL_YR, USD */
	double duty;		/* CAL_DUT_YR, USD; NAN when empty */
	long line;
};
typedef int (*hs10_row_fn)(const struct hs10_row *row, void *ud, struct tc_err *err);
int hs10_stream(const char *path, hs10_row_fn fn, void *ud, struct tc_err *err);
/* The same from memory; `name` stands for the file in messages (fuzzing, tests). */
int hs10_stream_buffer(const char *name, const char *buf, size_t len, hs10_row_fn fn, void *ud,
		       struct tc_err *err);

/*
** The rows of a Census file a product-level what-if uses (issue 19 item 5):
** those of the partner's country (CTY_NAME) and of one year (YEAR).
**   country     CTY_NAME to keep, e.g. "CHINA" (hs10_census_name); NULL with
**               `exclude` for the rest of the world
**   exclude     NULL-terminated CTY_NAMEs skipped when country is NULL
**   year        YEAR to keep; 0: the file's year, when it holds only one
**               (else the stream fails listing the years found: choose one)
**   any_country keep every country (the rows are all summed into the partner)
** Only kept rows reach `fn`.  Skipped rows are summed by country and year
** into `sum`.  A file with rows but none of the partner's country (or none
** of the year) fails, naming what it holds and the flag to use.
*/
struct hs10_filter {
	const char *country;
	const char *const *exclude;
	int year;
	int any_country;
};

#define HS10_MAX_GROUPS 16
struct hs10_group {
	char country[48];	/* CTY_NAME as written (shortened), "" when empty */
	int year;
	long rows;
	double value;		/* CON_VAL_YR, USD */
};

struct hs10_summary {
	int year;		/* the year used */
	long rows_kept, rows_skipped;
	double value_kept, value_skipped;	/* USD */
	size_t ngroups;		/* skipped rows by country and year, in order of appearance */
	struct hs10_group group[HS10_MAX_GROUPS];
	long rows_other;	/* skipped rows beyond HS10_MAX_GROUPS groups */
	double value_other;
};

int hs10_stream_filtered(const char *path, const struct hs10_filter *f, hs10_row_fn fn,
			 void *ud, struct hs10_summary *sum, struct tc_err *err);
int hs10_stream_filtered_buffer(const char *name, const char *buf, size_t len,
				const struct hs10_filter *f, hs10_row_fn fn, void *ud,
				struct hs10_summary *sum, struct tc_err *err);

/* Census CTY_NAME of a partner code ("CN" -> "CHINA", "MX", "CA"); NULL for others. */
const char *hs10_census_name(const char *partner_code);
/* The CTY_NAMEs of the named partners, NULL-terminated (what "ROW" excludes). */
extern const char *const hs10_partner_names[];

/* "MEXICO 2024: 3 lines, USD 1234567; ..." for a note or metadata, into buf. */
void hs10_summary_text(const struct hs10_summary *s, char *buf, size_t size);

/*
** Section 301 product lists: a file "hts8,list,ch99_code" (the format of
** ../shared/data/section301_china_hts8_lists.csv).  An HS8 may be on
** several lists; its rate on a date is the highest rate in force among
** them (the 2024 review rates replace the list rate, they are not added).
** List rates come from tariffs.csv when the list maps to a timeline
** layer (s301_list1 ... s301_list4b) and from a built-in table otherwise
** (docs/tariff-methods.md, "Product level"); unknown list names are errors.
*/
#define PRODUCT_MAX_LISTS 32
struct product_rates {
	uint32_t *hs8;		/* sorted */
	uint32_t *mask;		/* lists of each hs8, bit i = lists[i] */
	size_t n;
	size_t nlists;
	char *lists[PRODUCT_MAX_LISTS];		/* names as in the file (owned) */
	double rate[PRODUCT_MAX_LISTS];		/* percent in force on `date` */
	const char *rate_source[PRODUCT_MAX_LISTS];	/* static text */
	size_t count[PRODUCT_MAX_LISTS];	/* HS8 lines on each list */
	long date;
	char *path;
};
/* Load and price the lists on `date` (tl may be NULL: built-in table only). */
int product_rates_load(struct product_rates *pr, const char *path, long date,
		       const struct tariff_timeline *tl, struct tc_err *err);
/* The same from memory; `name` stands for the file in messages (fuzzing, tests). */
int product_rates_load_buffer(struct product_rates *pr, const char *name, const char *buf,
			      size_t len, long date, const struct tariff_timeline *tl,
			      struct tc_err *err);
void product_rates_release(struct product_rates *pr);
/* Rate (percent) of an HS8 and whether it is on a list; 0 when not. */
double product_rate(const struct product_rates *pr, uint32_t hs8, int *matched);

/* ------------------------------------------------------------ scenarios */

enum scenario_op { SCN_BASE, SCN_RATE, SCN_ADD };

/*
** A change is made to one layer of the partner's legal stack (rates.h):
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

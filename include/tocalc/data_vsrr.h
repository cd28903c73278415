/*
** data_vsrr.h: reading CDC's raw VSRR "Provisional Drug Overdose Death
** Counts" download (data.cdc.gov xkb8-kh2a) in every layout CDC has
** published, strictly, and writing the vintage files tocalc keeps
** (datasets/vsrr/VINTAGE.csv) and the US summary overdose_12mo.csv.
**
** Layouts are read by column name; only the columns used are needed:
**   State (or State Name holding codes), Year, Month, Indicator, Data Value.
** Optional: Period (absent in some downloads: every row is 12 month-ending),
** Percent Complete ("100", "99.5+": kept as written), Percent Pending
** Investigation, Footnote, Footnote Symbol, Predicted Value.  Numbers
** may be bare or quoted with thousands separators; a UTF-8 BOM is skipped.
**
** Status of a row: "provisional" when CDC flags it underreported due to
** incomplete data (Footnote Symbol '*', or a Footnote saying so),
** "provisional_complete" otherwise (CDC '**': the year is closed but the
** count may still differ from final NCHS data).  Never "final".
**
** Jurisdiction codes are trimmed and upper-cased ("us " is US; counted in
** `normalized`); anything else than two letters is an error at file:line:col.
** Period and Indicator are compared after trimming blanks.  A count (every
** indicator but percent_drugs_specified) must be a whole number; "47.000" is
** refused as ambiguous (47 with a decimal point, or 47,000 with a European
** thousands separator); "47,000" is 47000.
**
** Strictness (each an error naming the file and the reason): a requested
** jurisdiction or indicator absent; a kept series with a missing month,
** or ending/starting at a different month from the file; with --all, a
** file without the 53 jurisdictions of a full download; a duplicate row;
** a vintage earlier than the month after the latest data month.
*/
#ifndef TOCALC_VSRR_H
#define TOCALC_VSRR_H

#include <stdio.h>
#include "tocalc/util.h"
#include "tocalc/tcsv.h"

struct vsrr_row {
	long period;		/* yyyymm, 12 months ending */
	int state;		/* index into vsrr_import.states */
	int indicator;		/* index into vsrr_import.indicators */
	double reported;	/* NAN when suppressed/missing */
	double predicted;	/* NAN when missing */
	int underreported;	/* CDC flags the row incomplete */
	char complete[16];	/* Percent Complete as written ("" when absent) */
	double percent_pending;	/* NAN when missing */
};

struct vsrr_import {
	struct vsrr_row *rows;	/* sorted by state, indicator, period; owned */
	size_t n, cap;
	size_t raw_rows;	/* data rows read from the raw file */
	/* rows not kept, by reason: raw_rows = n + the three (never a silent skip) */
	size_t skip_period;	/* Period other than "12 month-ending" */
	size_t skip_state;	/* a jurisdiction not asked for */
	size_t skip_indicator;	/* an indicator not asked for */
	size_t normalized;	/* jurisdiction codes kept after trimming or upper-casing */
	char **states;		/* jurisdiction codes seen in kept rows; owned */
	size_t nstates, capstates;
	char **indicators;	/* short indicator names of kept rows; owned */
	size_t nind, capind;
	long first, last;	/* months covered (yyyymm) */
	char layout[160];	/* which optional columns the file had */
};

/* What to keep and what must be there. */
struct vsrr_request {
	int all;			/* keep every jurisdiction and indicator */
	const char *const *states;	/* required jurisdictions; NULL: {"US"} */
	size_t nstates;
	const char *const *indicators;	/* required short names; NULL: all_drugs and synthetic_opioids,
					   or with `states` every indicator (all_drugs required) */
	size_t nind;
	long vintage;			/* yyyymmdd; 0: not checked */
};

/*
** CDC indicator name <-> short name ("Heroin (T40.1)" <-> "heroin").
** vsrr_short_name returns NULL for a name it does not know.
*/
const char *vsrr_short_name(const char *cdc);
const char *vsrr_cdc_name(const char *short_name);
/* NULL-terminated list of the short names tocalc knows. */
extern const char *const vsrr_short_names[];

int vsrr_import_file(const char *path, const struct vsrr_request *req, struct vsrr_import *out,
		     struct tc_err *err);
/* The same from memory; `name` stands for the file in messages (fuzzing, tests). */
int vsrr_import_buffer(const char *name, const char *buf, size_t len, const struct vsrr_request *req,
		       struct vsrr_import *out, struct tc_err *err);
void vsrr_import_release(struct vsrr_import *imp);
/* "12 other periods, 3 other jurisdictions, ..." or "none": the skipped rows, for the summary. */
void vsrr_describe_skips(const struct vsrr_import *imp, char *buf, size_t size);

/* Write a vintage file (schema_vsrr_vintage, with header) to fp. */
int vsrr_write_vintage(const struct vsrr_import *imp, FILE *fp, const char *vintage,
		       const char *source_id, struct tc_err *err);
/* Write overdose_12mo.csv rows (US, all_drugs and synthetic_opioids; with header). */
int vsrr_write_dataset(const struct vsrr_import *imp, FILE *fp, const char *vintage,
		       const char *source_id, struct tc_err *err);

/* Vintage from a CDC-style file name "YYYYMMDD_..." as "YYYY-MM-DD"; -1 if none. */
int vsrr_vintage_from_name(const char *path, char out[11]);

/*
** A vintage file datasets/vsrr/VINTAGE.csv:
**   period,state,indicator,reported,predicted,data_status,percent_complete,
**   percent_pending,vintage,source
*/
enum { VV_PERIOD, VV_STATE, VV_INDICATOR, VV_REPORTED, VV_PREDICTED, VV_STATUS, VV_COMPLETE,
       VV_PENDING, VV_VINTAGE, VV_SOURCE };
extern const struct tcsv_schema schema_vsrr_vintage;

/*
** The vintages in <data_dir>/vsrr/ ("YYYY-MM-DD.csv"), sorted oldest first;
** *n receives the count.  The caller frees each string and the array.
** A missing folder gives 0 vintages, not an error.
*/
char **vsrr_list_vintages(const char *data_dir, size_t *n);
/* A loaded vintage file: every row of `vintage`, each series one row per month in order. */
int vsrr_check_vintage(const struct tcsv_table *t, const char *vintage, struct tc_err *err);
/* "2015-01 to 2018-09, 1 jurisdiction, 12 indicators": the coverage of a loaded vintage. */
void vsrr_vintage_coverage(const struct tcsv_table *t, char *buf, size_t size);
/* Path of a vintage file (caller frees). */
char *vsrr_vintage_path(const char *data_dir, const char *vintage);

#endif

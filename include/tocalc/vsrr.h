/*
** vsrr.h: reading CDC's raw VSRR "Provisional Drug Overdose Death
** Counts" download (data.cdc.gov xkb8-kh2a) as CDC publishes it, and
** writing the derived overdose_12mo.csv dataset.
**
** The raw file has every state and indicator; we keep the US rows of
** the 12 month-ending counts for two indicators:
**   "Number of Drug Overdose Deaths"               -> all_drugs
**   "Synthetic opioids, excl. methadone (T40.4)"   -> synthetic_opioids
** Numbers are quoted with thousands separators ("112,911"); months are
** English names; "Footnote Symbol" ** marks rows of years whose data
** are final, * marks provisional (underreported) rows.
*/
#ifndef TOCALC_VSRR_H
#define TOCALC_VSRR_H

#include <stdio.h>
#include "tocalc/common.h"

struct vsrr_row {
	long period;		/* yyyymm, 12 months ending */
	int series;		/* index into series_values */
	double reported;	/* NAN when suppressed/missing */
	double predicted;	/* NAN when missing */
	int final;		/* 1: '**' (final-year data), 0: provisional */
	double percent_complete, percent_pending;	/* NAN when missing */
};

struct vsrr_import {
	struct vsrr_row *rows;	/* sorted by series, then period; owned */
	size_t n, cap;
	size_t raw_rows;	/* data rows read from the raw file */
};

/*
** Read a raw VSRR file.  Fails on malformed data, a duplicate US row,
** an unknown month name, no US rows, or a gap in the monthly series.
*/
int vsrr_import_file(const char *path, struct vsrr_import *out, struct tc_err *err);
/* The same from memory; `name` stands for the file in messages (fuzzing, tests). */
int vsrr_import_buffer(const char *name, const char *buf, size_t len, struct vsrr_import *out,
		       struct tc_err *err);
void vsrr_import_release(struct vsrr_import *imp);

/* Write overdose_12mo.csv rows (with header) to fp. */
int vsrr_write_dataset(const struct vsrr_import *imp, FILE *fp, const char *vintage,
		       const char *source_id, struct tc_err *err);

/* Vintage from a CDC-style file name "YYYYMMDD_..." as "YYYY-MM-DD"; -1 if none. */
int vsrr_vintage_from_name(const char *path, char out[11]);

#endif

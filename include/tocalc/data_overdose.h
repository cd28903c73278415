/*
** data_overdose.h: named overdose series built from the shipped datasets, and
** series from a user's CSV file, for `tocalc overdose`.
**
** Shipped series (names users type): all_drugs, synthetic_opioids.
**   final  datasets/overdose_annual.csv: one point per calendar year,
**          measure deaths (default) or rate (age-adjusted per 100,000);
**   vsrr   datasets/overdose_12mo.csv: CDC VSRR 12 month-ending counts,
**          one point per ending month, reported (y) and predicted (y2).
** A user file gives x (a number or a YYYY-MM month) and y (a number).
**
** x is the analysis axis: the year for annual data, year + (month-1)/12
** for months (so slopes are per year), the number itself otherwise.
** Missing values stay missing (NAN); od_check_range() turns a missing
** value inside an analysed range into an error naming its period.
** The series owns every array and string.
*/
#ifndef TOCALC_OVERDOSE_H
#define TOCALC_OVERDOSE_H

#include <stddef.h>
#include "tocalc/util.h"

enum od_source { OD_FINAL, OD_VSRR, OD_FILE };
enum od_measure { OD_DEATHS, OD_RATE };
enum od_axis { OD_YEARS, OD_MONTHS, OD_NUMBERS };

struct od_series {
	char *name;		/* series name, or the y column of a file */
	enum od_source source;
	enum od_measure measure;
	enum od_axis axis;
	size_t n;
	long *period;		/* year or yyyymm; 0 for OD_NUMBERS */
	double *x;
	double *y;		/* final: deaths or rate; vsrr: reported; file: y */
	double *y2;		/* vsrr: predicted; NULL otherwise */
	char **status;		/* per point: final, final_wonder, provisional; NULL for files */
	char *vintage;		/* vsrr: the data vintage(s), e.g. "2026-02-14"; else NULL */
	char *unit;		/* "deaths", "age-adjusted rate per 100,000", or the y column */
	char *path;		/* file read */
	char *state;		/* vsrr: jurisdiction ("US", "OH"); else NULL */
};

void od_series_init(struct od_series *s);
void od_series_release(struct od_series *s);

/* Is `name` a shipped series? */
int od_series_known(const char *name);

/* Load a shipped series (errors: unknown series -> TC_EXIT_USAGE; bad data -> 1). */
int od_load_final(struct od_series *s, const char *data_dir, const char *name,
		  enum od_measure measure, struct tc_err *err);
int od_load_vsrr(struct od_series *s, const char *data_dir, const char *name, struct tc_err *err);

/*
** For a figure caption or a report: the years whose final death count rests
** only on sources that sources.csv marks secondary, e.g. "deaths from
** secondary sources only: all_drugs 2001, 2002, 2006, 2009" ("" when none).
** Read from the datasets, so a new primary source clears it.
*/
int od_secondary_note(const char *data_dir, char *buf, size_t size, struct tc_err *err);

/*
** The one "all secondary" rule: 1 when `ids` (a source column's value, ids
** separated by ';') names at least one source and every one of them has
** kind "secondary" in `sources` (the loaded sources.csv); 0 when any is
** primary or not in sources.csv, or ids is NULL or empty.  Used by the
** captions here and by the figures' source lines (run_report.c).
*/
struct tcsv_table;
int od_ids_all_secondary(const struct tcsv_table *sources, const char *ids);

/*
** A VSRR series of any kept vintage, jurisdiction and indicator, from
** <data_dir>/vsrr/VINTAGE.csv (data_vsrr.h).  NULL fields mean: the newest
** vintage, "US", "all_drugs".  An absent vintage or series is exit 1
** naming what is there; an unknown indicator is a usage error.  Returns 0,
** -1 on error, or OD_NO_ROWS (err set as for an error, exit 1) when the
** vintage is there but holds no rows for the jurisdiction and indicator: CDC
** publishes no synthetic-opioid counts for some states, and a caller that
** can do without the series (the report's figure) tells this case apart
** from a broken file by the return value, not by the message.
*/
enum { OD_NO_ROWS = 1 };
struct od_select {
	const char *vintage;	/* "YYYY-MM-DD" */
	const char *state;	/* "US", "OH", "YC" (New York City) */
	const char *indicator;	/* short name: all_drugs, heroin, ... */
};
void od_select_init(struct od_select *sel);
int od_load_vsrr_sel(struct od_series *s, const char *data_dir, const struct od_select *sel,
		     struct tc_err *err);

/*
** Load x and y columns of a user CSV (other columns ignored).  Errors name
** the line: x neither all numbers nor all YYYY-MM months, unsorted or
** duplicate x, gaps (months must be consecutive; numbers evenly spaced
** unless allow_uneven), fewer than 2 rows.  Empty y fields are missing.
*/
int od_load_file(struct od_series *s, const char *path, const char *xcol, const char *ycol,
		 int allow_uneven, struct tc_err *err);
/* The same from memory; `name` stands for the file in messages (fuzzing, tests). */
int od_load_buffer(struct od_series *s, const char *name, const char *buf, size_t len,
		   const char *xcol, const char *ycol, int allow_uneven, struct tc_err *err);

/*
** Parse a period as the series writes it ("2019", "2019-09", or a number
** for OD_NUMBERS) and find its index.  A malformed period is a usage error
** (TC_EXIT_USAGE); a well-formed one the data do not have is exit 1.
*/
int od_find_period(const struct od_series *s, const char *text, size_t *idx, struct tc_err *err);

/* The label of point i ("2019", "2019-09", "2.5"); buf holds at least 32 bytes. */
const char *od_label(const struct od_series *s, size_t i, char *buf);
/* A label for any x on the series' axis (months: "2019-09"; others "%g"); 32 bytes. */
const char *od_x_label(const struct od_series *s, double x, int exact, char *buf);

/*
** Check that y (or y2 when `second`) has a value at every index in
** [i0, i1]; with `positive`, also that each is > 0 (log models).
** The error names the period and the series.
*/
int od_check_range(const struct od_series *s, size_t i0, size_t i1, int second, int positive,
		   struct tc_err *err);

/* Decimal year of a date yyyymmdd: year + (day of year - 1) / days in year. */
double od_date_x(long yyyymmdd);

#endif

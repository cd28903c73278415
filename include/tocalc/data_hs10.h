/*
** data_hs10.h: the Census HS10 import-file reader and the Section 301
** product lists of src/data_hs10.c (the lists' built-in rates live there:
** issue 17 notes it).  Loaded structs own their memory and are freed with
** their *_release(); rates are in PERCENT.
*/
#ifndef TOCALC_DATA_HS10_H
#define TOCALC_DATA_HS10_H

#include <stddef.h>
#include <stdint.h>
#include "tocalc/data_tariffs.h"

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

#endif

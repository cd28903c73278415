/*
** data_schema.h: the registry of shipped datasets and their schemas.
**
** Every dataset file in datasets/ has one schema here (defined in
** data_schema.c with the registry, dataset_load and the dataset summary;
** dataset_check is data_validate.h); loaders (data_*.c) and `tocalc data`
** use them, so a column is declared once.  Column order in each schema is
** the file's header order.
*/
#ifndef TOCALC_DATA_SCHEMA_H
#define TOCALC_DATA_SCHEMA_H

#include "tocalc/tcsv.h"

/* Column indexes, schema order. */
enum { OA_YEAR, OA_SERIES, OA_DEATHS, OA_RATE, OA_STATUS, OA_DEATHS_SOURCE, OA_RATE_SOURCE, OA_NOTE };
enum { O12_PERIOD, O12_SERIES, O12_REPORTED, O12_PREDICTED, O12_DATA_STATUS,
       O12_PERCENT_COMPLETE, O12_PERCENT_PENDING, O12_VINTAGE, O12_SOURCE };
enum { TF_ID, TF_EFFECTIVE, TF_DATE_PRECISION, TF_END, TF_PARTNER, TF_LAYER, TF_MEASURE,
       TF_AUTHORITY, TF_RATE, TF_SCOPE, TF_STATUS, TF_SOURCE, TF_NOTE };
enum { CV_ID, CV_PARTNER, CV_LAYER, CV_SCOPE, CV_START, CV_END, CV_SHARE, CV_APPROXIMATED,
       CV_BASIS, CV_INPUTS, CV_SOURCE, CV_NOTE };
enum { TR_YEAR, TR_PARTNER, TR_FLOW, TR_VALUE_MUSD, TR_BASIS, TR_SOURCE, TR_NOTE };
enum { PA_NAME, PA_VALUE, PA_UNIT, PA_SOURCE, PA_NOTE };
enum { EV_DATE, EV_ID, EV_EVENT, EV_CATEGORY, EV_SOURCE, EV_NOTE };
enum { SO_ID, SO_TITLE, SO_PUBLISHER, SO_URL, SO_ACCESSED, SO_NOTE, SO_KIND };

/*
** overdose_annual.csv  year,series,deaths,rate,status,deaths_source,rate_source,note
**   series: all_drugs | synthetic_opioids; status: final | final_wonder
** overdose_12mo.csv    period,series,reported,predicted,data_status,percent_complete,
**                      percent_pending,vintage,source
**   period: YYYY-MM (12 months ending);
**   data_status: provisional_complete (CDC **) | provisional (CDC *, underreported)
** tariffs.csv          id,effective,date_precision,end,partner,layer,measure,authority,
**                      rate,scope,status,source,note
**   partner: CN|MX|CA|ALL; scope: all_goods|non_usmca|product_list;
**   status: proposed|in_effect|reduced|superseded|suspended|voided|expired
** tariff_coverage.csv  id,partner,layer,scope,start,end,share,approximated,basis,inputs,
**                      source,note (docs/effective-rates.md)
** trade.csv            year,partner,flow,value_musd,basis,source,note
** parameters.csv       name,value,unit,source,note
** events.csv           date,id,event,category,source,note
** sources.csv          id,title,publisher,url,accessed,note,kind
**   kind: primary (the publication itself) | secondary (a mirror or summary)
** claims.csv           columns CL_* in model_claims.h (docs/claims.md)
*/
extern const struct tcsv_schema schema_overdose_annual;
extern const struct tcsv_schema schema_overdose_12mo;
extern const struct tcsv_schema schema_tariffs;
extern const struct tcsv_schema schema_trade;
extern const struct tcsv_schema schema_coverage;
extern const struct tcsv_schema schema_parameters;
extern const struct tcsv_schema schema_events;
extern const struct tcsv_schema schema_sources;

struct dataset_info {
	const char *name;		/* "overdose_annual" */
	const char *file;		/* "overdose_annual.csv" */
	const struct tcsv_schema *schema;
	const char *summary;		/* one line for `tocalc data list` */
	int period_col;			/* column giving the period covered, or -1 */
	const char *const *source_cols;	/* NULL-terminated source-id columns, checked against sources.csv */
};

/* The registry, sorted by name; *n receives the count. */
const struct dataset_info *datasets_all(size_t *n);
const struct dataset_info *dataset_find(const char *name);

/* Values of enumerations shared across modules. */
extern const char *const series_values[];	/* all_drugs, synthetic_opioids, NULL */
extern const char *const partner_values[];	/* CN, MX, CA, ALL, NULL */

/*
** Load a shipped dataset by registry name from `data_dir` into `t`
** (released by the caller with tcsv_table_release).  Messages name the file.
*/
int dataset_load(struct tcsv_table *t, const char *data_dir, const char *name, struct tc_err *err);

/*
** The summary of a loaded dataset that `tocalc data list`, `tocalc
** --version` and the report's data table show, computed in one place.
** dataset_period: the first and last period covered (the rows with the
** smallest and largest value of the period column, missing skipped), as
** the file writes them ("2015-01", "2026-02-14") or "%.0f" of a numeric
** column; "" and "" when the dataset has no period column or no rows.
** dataset_vintage: what the data say of their vintage, or "":
**   overdose_12mo   "vintage 2026-02-14 (CDC VSRR download)" or "vintages A
**                   to B (CDC VSRR downloads)", then ", provisional from
**                   YYYY-MM" (the first provisional month);
**   overdose_annual "vintage: final NCHS 1999-2023, final CDC WONDER 2024".
*/
void dataset_period(const struct dataset_info *d, const struct tcsv_table *t, char *first, char *last,
		    size_t size);
void dataset_vintage(const struct dataset_info *d, const struct tcsv_table *t, char *buf, size_t size);

#endif

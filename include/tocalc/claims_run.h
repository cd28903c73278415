/*
** claims_run.h: the run layer of the claims (src/claims_run.c): load the
** datasets, compute each claim's candidate values with the overdose and
** tariff engines, judge them (model_claims.h).  `check` and `report`
** format the result; claims_run_release() frees it.
*/
#ifndef TOCALC_CLAIMS_RUN_H
#define TOCALC_CLAIMS_RUN_H

#include "tocalc/data_claims.h"

/* struct claim_result and struct claims_run: data_claims.h (the model layer reads them too). */

/*
** Evaluate the claims of data_dir/claims.csv (all, or those whose id is
** in ids[0..nids)) against the datasets of data_dir: overdose_annual.csv,
** overdose_12mo.csv and tariffs.csv.  An unknown id is a usage error
** (code TC_EXIT_USAGE).  Release with claims_run_release().
*/
int claims_run(struct claims_run *run, const char *data_dir, char *const *ids, size_t nids,
	       struct tc_err *err);
void claims_run_release(struct claims_run *run);

/*
** The one summary table of a claims run, as `check` and `report` print it:
** a table "claims" (heading `title`, may be NULL) added to doc, one row per
** claim (only verdict `want` when want >= 0), with the quote when `quote`.
*/
struct out_doc;
void claims_summary_table(struct out_doc *doc, const char *title, const struct claims_run *run,
			  int quote, int want);

#endif

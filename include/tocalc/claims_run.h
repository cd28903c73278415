/*
** claims_run.h: the run layer of the claims (src/claims_run.c): load the
** datasets, compute each claim's candidate values with the overdose and
** tariff engines, judge them (model_claims.h).  `check` and `report`
** format the result; claims_run_release() frees it.
*/
#ifndef TOCALC_CLAIMS_RUN_H
#define TOCALC_CLAIMS_RUN_H

#include "tocalc/data_claims.h"

/* One evaluated claim. */
struct claim_result {
	struct claim c;			/* strings borrowed from the run's table */
	enum claim_verdict verdict;
	size_t ncand, best;
	double cand[CLAIM_MAX_CANDIDATES];
	char cand_label[CLAIM_MAX_CANDIDATES][64];	/* e.g. "VSRR predicted" */
	double release;			/* release-time value, NAN if none */
	double diff;			/* see claim_judge_out.diff; NAN for cannot check */
	char data_used[160];		/* series, measure and vintage the values come from */
	char context[256];		/* extra figures for the reader, may be "" */
	char reason[256];
	int data_older;			/* judged on data older than the claim's date */
	int self_sourced;		/* the only source is the claim's own document */
	char release_vintage[11];	/* the kept VSRR vintage the release value comes from, or "" */
	char secondary[160];		/* the claim's source ids that sources.csv marks secondary */
};

struct claims_run {
	struct tcsv_table table;	/* claims.csv, owns the strings */
	struct claim_result *res;	/* n entries, claims.csv order */
	size_t n;
	char vintage[11];		/* VSRR data vintage used */
};

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

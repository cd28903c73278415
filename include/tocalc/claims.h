/*
** claims.h: numeric claims of the source documents and their verdicts.
**
** datasets/claims.csv lists each claim with what computes it (method,
** series, measure, window); cmd_check.c computes the candidate values
** from the datasets with the overdose and tariff engines, and
** claim_judge() (pure) turns claimed vs computed into a verdict by the
** rules documented in docs/claims.md.
*/
#ifndef TOCALC_CLAIMS_H
#define TOCALC_CLAIMS_H

#include <stddef.h>
#include "tocalc/common.h"
#include "tocalc/tcsv.h"

enum claim_unit { CU_PERCENT, CU_DEATHS, CU_NONE };
enum claim_comparator { CC_ABOUT, CC_NEARLY, CC_MORE_THAN, CC_AT_LEAST, CC_AS_HIGH_AS, CC_EXACTLY };
enum claim_method {
	CM_PCT_CHANGE,		/* percent change between two periods */
	CM_ANNUAL_VALUE,	/* the value of one year */
	CM_WINDOW_SUM,		/* sum over consecutive years */
	CM_ANNUAL_MEAN,		/* mean over consecutive years */
	CM_FIRST_DECLINE_SINCE,	/* first year-on-year fall after `from` is `to` */
	CM_TARIFF_IN_FORCE,	/* rate of a layer in force on a date */
	CM_TARIFF_PROPOSED,	/* a proposed (never enacted) rate exists */
	CM_CANNOT_CHECK
};
enum claim_measure { CME_FINAL, CME_VSRR, CME_TARIFF, CME_NONE };
enum claim_verdict { CV_HOLDS, CV_ROUGHLY, CV_DOES_NOT_HOLD, CV_CANNOT_CHECK };

extern const char *const claim_unit_names[];
extern const char *const claim_comparator_names[];
extern const char *const claim_method_names[];
extern const char *const claim_measure_names[];
extern const char *const claim_verdict_names[];	/* "holds", "roughly holds", ... */

/* Column indexes of claims.csv (schema order). */
enum { CL_ID, CL_DOCUMENT, CL_SAID_ON, CL_QUOTE, CL_CLAIMED, CL_UNIT, CL_COMPARATOR,
       CL_TOLERANCE, CL_METHOD, CL_SERIES, CL_MEASURE, CL_LAYER, CL_FROM, CL_TO,
       CL_RELEASE_FROM, CL_RELEASE_TO, CL_RELEASE_SOURCE, CL_SOURCE, CL_NOTE };
extern const struct tcsv_schema schema_claims;

#define CLAIM_MAX_CANDIDATES 4

/* Input of the judge: the claim and the values computed for it. */
struct claim_judge_in {
	double claimed;			/* as written: a fall of 17% is -17 */
	enum claim_unit unit;
	enum claim_comparator cmp;
	double tolerance;		/* percentage points (percent) or relative % (deaths) */
	size_t ncand;
	double cand[CLAIM_MAX_CANDIDATES];	/* e.g. VSRR reported, predicted */
	double release;			/* value from release-time figures, or NAN */
};

struct claim_judge_out {
	enum claim_verdict verdict;
	size_t best;			/* index of the candidate the verdict rests on */
	double diff;			/* best - claimed: points, or relative % for deaths */
	int by_release;			/* the verdict rests on release-time figures */
	char reason[256];
};

/*
** Judge.  Rules (docs/claims.md):
**   exactly/about: |d| <= tol holds; <= 2 tol roughly holds;
**   nearly:        claimed magnitude - tol <= |v| <= claimed magnitude holds
**                  (same sign); within 2 tol below or tol above roughly;
**   more_than:     claimed < v with d <= tol holds; v above by more than
**                  tol, or v >= claimed (1 - tol/100), roughly (a difference
**                  outside the tolerance never holds);
**   at_least:      as more_than with v >= claimed;
**   as_high_as:    v == claimed (a proposal of that rate exists) holds.
** When no candidate holds but the release-time value does, the verdict is
** "roughly holds" (true at release time, revised since).
** d is v - claimed in points for percent, (v - claimed)/|claimed| x 100 for deaths.
** Returns -1 (err filled) when a candidate is not finite or ncand is 0.
*/
int claim_judge(const struct claim_judge_in *in, struct claim_judge_out *out, struct tc_err *err);

#endif

#ifndef TOCALC_CLAIMS_SPEC
#define TOCALC_CLAIMS_SPEC
/* One claim, parsed and checked from a row of claims.csv (strings borrowed from the table). */
struct claim {
	const char *id, *document, *said_on, *quote, *series, *layer, *from, *to;
	const char *release_source, *source, *note;
	double claimed, tolerance, release_from, release_to;	/* NAN when missing */
	enum claim_unit unit;
	enum claim_comparator cmp;
	enum claim_method method;
	enum claim_measure measure;
	long line;
};

/*
** Fill `c` from row `i` of a loaded claims table and check that its method,
** measure, series and window fit together (e.g. a VSRR percent change needs
** YYYY-MM periods and a known series).  Errors name claims.csv:line.
*/
int claim_from_row(const struct tcsv_table *t, size_t i, struct claim *c, struct tc_err *err);
/*
** A tariff claim against the timeline it is checked with: 'from' and 'to'
** inside it, and for tariff_in_force the layer present for every partner.
** Errors name file:line:col of the claim (exit 1: the dataset is wrong).
*/
struct tariff_timeline;
int claim_check_timeline(const struct claim *c, const char *file, const struct tariff_timeline *tl,
			 struct tc_err *err);
#endif

#ifndef TOCALC_CLAIMS_RUN
#define TOCALC_CLAIMS_RUN
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
#endif

/*
** model_claims.h: numeric claims of the source documents and their
** verdicts: the claim vocabulary (units, comparators, methods, measures,
** verdicts) and claim_judge() of src/model_claims.c (pure): claimed vs
** computed -> a verdict by the rules of docs/claims.md.  Reading claims.csv
** is data_claims.h; computing the values, claims_run.h.
*/
#ifndef TOCALC_MODEL_CLAIMS_H
#define TOCALC_MODEL_CLAIMS_H

#include <stddef.h>
#include "tocalc/util.h"

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

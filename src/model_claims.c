/*
** model_claims.c: the verdict rules for numeric claims (pure).
*/
#include "tocalc/model_claims.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const claim_unit_names[] = { "percent", "deaths", "none", NULL };
const char *const claim_comparator_names[] = {
	"about", "nearly", "more_than", "at_least", "as_high_as", "exactly", NULL
};
const char *const claim_method_names[] = {
	"pct_change", "annual_value", "window_sum", "annual_mean", "first_decline_since",
	"tariff_in_force", "tariff_proposed", "cannot_check", NULL
};
const char *const claim_measure_names[] = { "final", "vsrr", "tariff", "none", NULL };
const char *const claim_verdict_names[] = {
	"holds", "roughly holds", "does not hold", "cannot check", NULL
};

static double diff_of(const struct claim_judge_in *in, double v)
{
	if (in->unit == CU_DEATHS && in->claimed != 0)
		return (v - in->claimed) / fabs(in->claimed) * 100.0;
	return v - in->claimed;
}

/* Verdict for one value: CV_HOLDS, CV_ROUGHLY or CV_DOES_NOT_HOLD. */
static enum claim_verdict judge_one(const struct claim_judge_in *in, double v)
{
	double tol = isfinite(in->tolerance) ? in->tolerance : 0;
	double d = diff_of(in, v);
	/* a whisker of slack so 18.5 - 1 == 17.5 is not lost to rounding */
	const double eps = 1e-9;

	switch (in->cmp) {
	case CC_EXACTLY:
	case CC_ABOUT:
		if (fabs(d) <= tol + eps)
			return CV_HOLDS;
		if (tol > 0 && fabs(d) <= 2 * tol + eps)
			return CV_ROUGHLY;
		return CV_DOES_NOT_HOLD;
	case CC_NEARLY: {
		double m = fabs(in->claimed), a = fabs(v);
		if ((v < 0) != (in->claimed < 0) && v != 0)
			return CV_DOES_NOT_HOLD;
		if (in->unit == CU_DEATHS) {
			/* tolerance is relative for counts */
			double lo = m * (1 - tol / 100), lo2 = m * (1 - 2 * tol / 100);
			if (a >= lo - eps && a <= m + eps)
				return CV_HOLDS;
			if (a >= lo2 - eps && a <= m * (1 + tol / 100) + eps)
				return CV_ROUGHLY;
			return CV_DOES_NOT_HOLD;
		}
		if (a >= m - tol - eps && a <= m + eps)
			return CV_HOLDS;
		if (a >= m - 2 * tol - eps && a <= m + tol + eps)
			return CV_ROUGHLY;
		return CV_DOES_NOT_HOLD;
	}
	case CC_MORE_THAN:
	case CC_AT_LEAST:
		/* a lower bound holds only within the tolerance above it: a computed
		   difference outside the tolerance never holds */
		if (in->cmp == CC_MORE_THAN ? v > in->claimed : v >= in->claimed - eps)
			return d <= tol + eps ? CV_HOLDS : CV_ROUGHLY;
		if (in->unit == CU_DEATHS ? -d <= tol + eps : in->claimed - v <= tol + eps)
			return CV_ROUGHLY;
		return CV_DOES_NOT_HOLD;
	case CC_AS_HIGH_AS:
		return fabs(v - in->claimed) <= eps ? CV_HOLDS : CV_DOES_NOT_HOLD;
	}
	return CV_DOES_NOT_HOLD;
}

int claim_judge(const struct claim_judge_in *in, struct claim_judge_out *out, struct tc_err *err)
{
	enum claim_verdict best_v = CV_CANNOT_CHECK;
	size_t best = 0;

	memset(out, 0, sizeof(*out));
	if (in->ncand == 0 || in->ncand > CLAIM_MAX_CANDIDATES)
		return tc_fail(err, "no computed value to judge");
	if (!isfinite(in->claimed))
		return tc_fail(err, "the claimed value is missing");
	for (size_t i = 0; i < in->ncand; i++) {
		enum claim_verdict v;
		if (!isfinite(in->cand[i]))
			return tc_fail(err, "a computed value is not finite");
		v = judge_one(in, in->cand[i]);
		if (i == 0 || v < best_v ||
		    (v == best_v && fabs(diff_of(in, in->cand[i])) < fabs(diff_of(in, in->cand[best]))))
			best_v = v, best = i;
	}
	out->best = best;
	out->diff = diff_of(in, in->cand[best]);
	if (!isfinite(out->diff))	/* e.g. a count claimed as 1e-320 */
		return tc_fail(err, "the difference between the computed %g and the claimed %g is not "
			       "a finite number", in->cand[best], in->claimed);
	out->verdict = best_v;
	if (best_v != CV_HOLDS && isfinite(in->release) && judge_one(in, in->release) == CV_HOLDS) {
		out->verdict = CV_ROUGHLY;
		out->by_release = 1;
		snprintf(out->reason, sizeof(out->reason),
			 "true at release time (%.2f), revised since to %.2f", in->release,
			 in->cand[best]);
		return 0;
	}
	switch (out->verdict) {
	case CV_HOLDS:
		snprintf(out->reason, sizeof(out->reason), "within the tolerance of the claim's wording");
		break;
	case CV_ROUGHLY:
		if ((in->cmp == CC_MORE_THAN || in->cmp == CC_AT_LEAST) && out->diff > 0)
			snprintf(out->reason, sizeof(out->reason), "true as a lower bound, but the value "
				 "is above it by more than the tolerance");
		else
			snprintf(out->reason, sizeof(out->reason), "within twice the tolerance");
		break;
	default:
		snprintf(out->reason, sizeof(out->reason), "outside the tolerance");
		break;
	}
	return 0;
}

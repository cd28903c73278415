/*
** model_joinpoint_empirical.h: empirical-quantile CIs of a joinpoint model
** (src/model_joinpoint_empirical.c).
*/
#ifndef TOCALC_JOINPOINT_EMPIRICAL_H
#define TOCALC_JOINPOINT_EMPIRICAL_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "tocalc/model_joinpoint.h"

/*
** Empirical-quantile confidence intervals (NCI Joinpoint 5.0's default for
** APC and AAPC; Kim, Luo, Chen et al. 2017): `resamples` times, draw the
** model's residuals on ln y (times sqrt(w) when weighted) with replacement,
** add them (divided by sqrt(w)) to the fitted values, refit the k-joinpoint
** model with the joinpoints searched again (grid, same MinObs), and record
** each segment's APC, each joinpoint's location and each AAPC range's AAPC.
** Interval bounds are the (1 - level)/2 and (1 + level)/2 quantiles (linear
** interpolation, R's type 7).  m must have grid joinpoints.  aapc_from/to:
** naapc ranges in x units.  Release with jp_empirical_release().
*/
struct jp_empirical {
	long resamples, used;	/* asked, fits that succeeded */
	int k, naapc;
	double level;
	double *apc_lower, *apc_upper;	/* k + 1 */
	double *tau_lower, *tau_upper;	/* k, x units */
	double *aapc_lower, *aapc_upper;	/* naapc */
};
int jp_empirical_ci(const double *x, const double *y, const double *weights, size_t n,
		    const struct jp_model *m, int min_obs_end, int min_obs_between, long resamples,
		    double level, const double *aapc_from, const double *aapc_to, int naapc,
		    gsl_rng *rng, struct jp_empirical *out, struct tc_err *err);
void jp_empirical_release(struct jp_empirical *e);

#endif

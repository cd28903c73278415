/*
** model_joinpoint_compare.h: comparing the joinpoint fits of two series
** (src/model_joinpoint_compare.c).
*/
#ifndef TOCALC_JOINPOINT_COMPARE_H
#define TOCALC_JOINPOINT_COMPARE_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "tocalc/model_joinpoint.h"

/*
** Comparing two series observed at the same x (Kim, Fay, Yu, Barrett and
** Feuer 2004, "Comparability of segmented line regression models",
** Biometrics 60:1005-1014): tests of coincidence (one curve fits both) and
** parallelism (the curves differ by a constant on ln y, i.e. by a constant
** ratio).  Each series keeps its own selected number of joinpoints (k1,
** k2); the pooled model has k0 = max(k1, k2) common joinpoints, grid
** search, unweighted.  Statistic SSE(H0) / SSE(H1), p-value by
** permutation: at each x the pair is swapped with probability 1/2 (after
** removing the estimated shift for parallelism), every fit searched again.
** opt supplies min_obs_end, min_obs_between and permutations.
*/
struct jp_comparison {
	int k1, k2, k0;
	double sse1;			/* separate fits */
	double sse_coincidence, sse_parallel;
	double shift, ratio;		/* mean of ln y2 - ln y1, and e^shift */
	double stat_coincidence, stat_parallel;
	double p_coincidence, p_parallel;
	long permutations, exceed_coincidence, exceed_parallel;
};
int jp_compare(const double *x, const double *y1, const double *y2, size_t n, int k1, int k2,
	       const struct jp_options *opt, gsl_rng *rng, struct jp_comparison *out, struct tc_err *err);

#endif

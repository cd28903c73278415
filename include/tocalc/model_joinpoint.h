/*
** model_joinpoint.h: Joinpoint-compatible segmented log-linear regression
** (pure: no I/O, no globals; the RNG is passed in).  docs/joinpoint.md
** gives every formula.
**
** Model, k joinpoints tau_1 < ... < tau_k:
**   ln y = b0 + b1 x + sum_j d_j (x - tau_j)+        p = 2k + 2 parameters
** fitted by least squares for each k in [min, max]:
**   JP_GRID    joinpoints at observed x values, searched exhaustively
**              (Lerman's grid search) with continuity at the joinpoints;
**   JP_HUDSON  joinpoints anywhere between observations (Hudson 1966),
**              found by a continuous search around the grid optimum.
** Minimum observations: `min_obs_end` before the first and after the last
** joinpoint, `min_obs_between` between two joinpoints, joinpoints excluded
** (Joinpoint's MinObs = 2 end + (k - 1) between + k).
**
** The number of joinpoints is selected by the sequential permutation test
** of Kim et al. (2000) (statistic SSE(ka)/SSE(kb), null residuals permuted,
** level alpha/(max - ka)), or by BIC, BIC3 or WBIC.
**
** Grid fits use an exact dynamic program over the knots whose value is a
** set of quadratics in the fitted value at the last knot (docs/joinpoint.md);
** `reference` switches to the plain enumeration of every joinpoint
** combination, which the tests check the fast path against.
**
** Beyond Joinpoint's basic fit (issue 14): weighted least squares
** (jp_options.weights), the linear model (jp_options.linear), MBIC, and in
** their own headers AR(1) errors (model_joinpoint_ar1.h), empirical-quantile CIs
** (model_joinpoint_empirical.h) and the comparison of two series
** (model_joinpoint_compare.h).  Memory: every result struct is
** filled by its function and released by its *_release(); inputs are only
** read and may be freed after the call.
*/
#ifndef TOCALC_JOINPOINT_H
#define TOCALC_JOINPOINT_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "tocalc/util.h"

#define JP_MAX_JOINPOINTS 10

enum jp_method { JP_GRID, JP_HUDSON };
enum jp_select { JP_SELECT_PERMUTATION, JP_SELECT_BIC, JP_SELECT_BIC3, JP_SELECT_WBIC, JP_SELECT_MBIC };

/* Called now and then during the permutation tests: done of total permutations. */
typedef void (*jp_progress_fn)(void *ud, long done, long total);

struct jp_options {
	int min_jp;		/* default 0 */
	int max_jp;		/* < 0: default, see jp_default_max() */
	int min_obs_end;	/* default 2 */
	int min_obs_between;	/* default 2 */
	enum jp_method method;	/* default JP_GRID */
	enum jp_select select;	/* default JP_SELECT_PERMUTATION */
	long permutations;	/* default 4499 */
	double alpha;		/* overall significance level, default 0.05 */
	double level;		/* confidence level of intervals, default 0.95 */
	int reference;		/* 1: exhaustive enumeration instead of the DP */
	/*
	** Weighted least squares on ln y (NULL: unweighted): n relative weights,
	** w_i = 1 / Var(ln y_i) up to a common factor, e.g. y_i^2 / SE_i^2, D_i
	** for a rate from D_i deaths, y_i for Poisson counts.  The scale is
	** estimated (sigma^2 = weighted SSE / df), as R's lm(weights =).
	** The caller keeps the array alive during the call.
	*/
	const double *weights;
	int linear;		/* 1: fit y itself (NCI's linear model); "apc" fields are then slopes */
	/*
	** Jump model (NCI): a step of unknown size at observation jump_index
	** (the first point of the new regime; -1: none, the default): ln y gets
	** + beta 1[i >= jump_index].  Information-criterion selection and the
	** grid search only; beta is searched on a grid then refined (a 1-D
	** search around the exact joinpoint search, not a proof of optimality).
	*/
	long jump_index;
	jp_progress_fn progress;	/* may be NULL */
	void *progress_ud;
	/*
	** Size limits (issue 19), checked by jp_analyze() before any work, so
	** that every caller (overdose joinpoint and events, plot series
	** --joinpoint, the report) refuses at once, exit 2 with advice, rather
	** than run for minutes or hours: at most max_points points, at most
	** max_points_permutation with the permutation test, and at most
	** max_cost for the searches that grow fastest with n, the exhaustive
	** enumeration (`reference`, about n^max_jp combinations) and Hudson's
	** search with the permutation test (jp_search_cost()).  0: no limit.
	*/
	size_t max_points;		/* default JP_DEFAULT_MAX_POINTS */
	size_t max_points_permutation;	/* default JP_DEFAULT_MAX_POINTS_PERMUTATION */
	double max_cost;		/* default JP_DEFAULT_MAX_COST */
};

/*
** 1,000 points with an information criterion take about 11 s, 400 with
** the permutation test about 9 s (docs/joinpoint.md, "Measured speed").
** The cost unit is one observation of one least-squares column product
** (n (p)^2 per fit): this machine does about 1e9 to 2.3e9 a second, so
** 6e10 is about 30 to 60 s of CPU.
*/
#define JP_DEFAULT_MAX_POINTS 1000
#define JP_DEFAULT_MAX_POINTS_PERMUTATION 400
#define JP_DEFAULT_MAX_COST 6e10

void jp_options_init(struct jp_options *o);

/*
** Estimated cost of the slow searches for n points and kmin..kmax
** joinpoints (0 for the default grid search, whose limit is max_points):
**   exhaustive  fits = sum over k of C(n - 2E - (k - 1) B, k) combinations,
**               times (1 + permutations (kmax - kmin)) with the
**               permutation test; each fit n (k + 2)^2;
**   Hudson      with the permutation test: 2 local searches per
**               permutation and test, each 3^k moves (2k + 1 above k = 5)
**               of one fit n (2k + 2)^2.
** A lower bound of the run time (the local search may iterate).
*/
double jp_search_cost(size_t n, const struct jp_options *o, int kmin, int kmax);
/*
** Estimated cost of `searches` grid searches (the DP) of k joinpoints in n
** points, n^2 (k + 2)^2 each (a bound: the DP's pruning makes most far
** cheaper), in the unit of max_cost.  jp_compare (3 searches a permutation)
** refuses above opt->max_cost, jp_empirical_ci (one a resample) above
** JP_DEFAULT_MAX_COST: the VSRR series (129 points, 5 joinpoints) takes at
** most about 24,000 comparison permutations (4,499 took 19 s) or 73,000
** resamples (2,000 took 0.07 s).
*/
double jp_dp_search_cost(size_t n, int k, double searches);

struct jp_segment {
	double lower, upper;	/* endpoints in x units */
	double slope, se;	/* on ln y per unit of x */
	double apc, apc_lower, apc_upper;
	double t_stat, p_value;	/* NAN when se = 0 (exact fit) */
};

struct jp_model {
	int k;
	double *tau;		/* k joinpoints in x units */
	long *tau_index;	/* observation index of each joinpoint; -1 when between observations */
	double sse;		/* residual sum of squares on ln y */
	int df;			/* n - (2k + 2) */
	double bic, bic3, wbic;
	double mbic;		/* modified BIC (Zhang and Siegmund 2007), docs/joinpoint.md */
	double r2max;		/* largest partial R^2 of a slope change (WBIC weight); 0 when k = 0 */
	double x_ref;		/* centre of x used by coef */
	double *coef;		/* k + 2: b0 (at x_ref), b1, d_1..d_k */
	struct jp_segment *seg;	/* k + 1 segments */
	double *slope_cov;	/* (k+1)^2 covariance of the segment slopes, row-major */
	double *fitted;		/* n fitted values on the y scale */
	int linear;		/* fitted on y: seg.apc* and AAPC are slopes (y units per x unit) */
	int has_jump;		/* jump model: jump (on the fitted scale) and its standard error */
	long jump_index;
	double jump, jump_se;
	double jump_lower, jump_upper;	/* t CI of the jump on the fitted scale (ln y or y) */
};

struct jp_test {
	int ka, kb;		/* H0: k = ka joinpoints against H1: k = kb */
	double statistic;	/* SSE(ka) / SSE(kb) */
	double p_value;		/* (1 + #{permuted >= observed}) / (1 + permutations) */
	double alpha;		/* alpha / (max - ka) */
	long permutations, exceed;
	int reject;		/* p_value < alpha */
};

struct jp_result {
	size_t n;
	double level;
	int min_jp, max_jp;
	int nmodels;		/* max_jp - min_jp + 1 */
	struct jp_model *models;	/* models[i].k == min_jp + i */
	int selected;		/* k of the selected model */
	enum jp_select select;
	enum jp_method method;
	struct jp_test *tests;	/* permutation tests in the order run */
	int ntests;
	unsigned long seed_used;	/* not set by the model; for callers */
};

/*
** Fit every k in [min, max] and select one.  x strictly increasing, y > 0,
** all finite.  Errors: exit 1 for bad data or too few points for the
** requested joinpoints, exit 2 (TC_EXIT_USAGE) for bad options.
** `rng` is only used by the permutation test (may be NULL otherwise).
*/
int jp_analyze(const double *x, const double *y, size_t n, const struct jp_options *opt,
	       gsl_rng *rng, struct jp_result *res, struct tc_err *err);
void jp_result_release(struct jp_result *res);
void jp_model_release(struct jp_model *m);	/* a model filled by jp_ar1_refit() */
const struct jp_model *jp_selected_model(const struct jp_result *res);

/*
** Average annual percent change over [from, to] (Clegg et al. 2009):
** weights w_i = length of segment i inside the range,
** AAPC = 100 (exp(sum w_i b_i / sum w_i) - 1), var = w' Cov w / (sum w)^2;
** CI with t(df) when the range lies in one segment, else the normal.
*/
struct jp_aapc {
	double from, to;
	double aapc, lower, upper;
	double se;		/* of the weighted slope */
	int t_based;
};
int jp_aapc(const struct jp_model *m, double level, double from, double to,
	    struct jp_aapc *out, struct tc_err *err);

/* Joinpoint's MinObs for k joinpoints (k >= 1; n >= 3 for k = 0). */
long jp_min_obs(int k, int min_obs_end, int min_obs_between);
/*
** Default maximum: Joinpoint's recommendation by number of points
** (< 7: 0, 7-11: 1, 12-16: 2, 17-21: 3, 22-26: 4, >= 27: 5), lowered
** until MinObs and n - (2k+2) >= 1 allow it.
*/
int jp_default_max(size_t n, int min_obs_end, int min_obs_between);
/* Largest k the data allow under the minimum-observation rules. */
int jp_feasible_max(size_t n, int min_obs_end, int min_obs_between);

/*
** Best grid fit for every k in 0..kmax on the log response z (no checks
** beyond sizes): sse[k] (INFINITY when no combination is allowed) and,
** when knots is not NULL, the observation indexes knots[k * kmax + j]
** (j < k).  `reference` enumerates; otherwise the DP.
*/
int jp_best_grid(const double *x, const double *z, size_t n, int kmax,
		 int min_obs_end, int min_obs_between, int reference,
		 double *sse, long *knots, struct tc_err *err);

#endif

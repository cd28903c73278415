/*
** model_trend.h: log-linear trend over (x, y) and percent change (pure; no I/O).
**
** The model is ln y = a + b (x - x_mean), fitted by ordinary least squares.
** The annual percent change is APC = 100 (e^b - 1) per unit of x, with a
** t-based confidence interval 100 (e^(b +- t(n-2, (1+level)/2) se(b)) - 1)
** and a two-sided p-value for H0: b = 0 (gsl_cdf_tdist_Q).
*/
#ifndef TOCALC_TREND_H
#define TOCALC_TREND_H

#include <stddef.h>
#include "tocalc/util.h"

struct trend_fit {
	size_t n;
	int df;			/* n - 2 */
	double level;		/* confidence level, e.g. 0.95 */
	double x_mean;
	double intercept;	/* ln y at x = x_mean */
	double slope, se_slope;	/* on ln y per unit of x */
	double apc, apc_lower, apc_upper;
	double t_stat, p_value;	/* NAN (missing) when the fit is exact (se = 0) */
	double sse, r2;		/* r2 NAN when ln y is constant */
};

/*
** Fit the log-linear trend.  Errors (exit 1): n < 3, a non-finite x or y,
** y <= 0 (named by its x), all x equal.  `level` in (0, 1).
*/
int trend_loglinear(const double *x, const double *y, size_t n, double level,
		    struct trend_fit *fit, struct tc_err *err);

/* 100 (e^b - 1). */
double trend_apc(double slope);

/* 100 (to / from - 1); error when from <= 0 or a value is not finite. */
int trend_pct_change(double from, double to, double *pct, struct tc_err *err);

#endif

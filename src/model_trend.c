/*
** model_trend.c: log-linear OLS trend with APC, t-based CI and p-value.
** Pure: no I/O, no globals.
*/
#include "tocalc/model_trend.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

double trend_apc(double slope)
{
	return 100.0 * expm1(slope);
}

int trend_pct_change(double from, double to, double *pct, struct tc_err *err)
{
	if (!isfinite(from) || !isfinite(to))
		return tc_fail(err, "percent change of a missing or non-finite value");
	if (from <= 0)
		return tc_fail(err, "percent change from %g is undefined (the base must be positive)", from);
	*pct = 100.0 * (to / from - 1.0);
	if (!isfinite(*pct))	/* e.g. from a denormal to 1e308 */
		return tc_fail(err, "the percent change from %g to %g is too large to represent", from, to);
	return 0;
}

int trend_loglinear(const double *x, const double *y, size_t n, double level,
		    struct trend_fit *f, struct tc_err *err)
{
	double sx = 0, sz = 0, sxx = 0, sxz = 0, szz = 0, xm, zm, b, a, sse = 0, tq;

	if (n < 3)
		return tc_fail(err, "a log-linear trend needs at least 3 points, got %zu", n);
	if (!(level > 0 && level < 1))
		return tc_failc(err, TC_EXIT_USAGE, "confidence level must be between 0 and 1, got %g", level);
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]))
			return tc_fail(err, "x value %zu is not a finite number", i + 1);
		if (!isfinite(y[i]))
			return tc_fail(err, "the value at x = %g is missing or not finite", x[i]);
		if (y[i] <= 0)
			return tc_fail(err, "the value at x = %g is %g; a log-linear model needs values > 0",
				       x[i], y[i]);
		sx += x[i];
		sz += log(y[i]);
	}
	xm = sx / (double)n;
	zm = sz / (double)n;
	for (size_t i = 0; i < n; i++) {
		double dx = x[i] - xm, dz = log(y[i]) - zm;
		sxx += dx * dx;
		sxz += dx * dz;
		szz += dz * dz;
	}
	if (!(sxx > 0))
		return tc_fail(err, "all x values are equal; no trend can be fitted");
	b = sxz / sxx;
	a = zm;
	for (size_t i = 0; i < n; i++) {
		double r = log(y[i]) - (a + b * (x[i] - xm));
		sse += r * r;
	}
	f->n = n;
	f->df = (int)n - 2;
	f->level = level;
	f->x_mean = xm;
	f->intercept = a;
	f->slope = b;
	f->sse = sse;
	f->r2 = szz > 0 ? 1.0 - sse / szz : NAN;
	f->se_slope = sqrt(sse / (double)f->df / sxx);
	f->apc = trend_apc(b);
	tq = gsl_cdf_tdist_Pinv(0.5 + level / 2.0, (double)f->df);
	f->apc_lower = trend_apc(b - tq * f->se_slope);
	f->apc_upper = trend_apc(b + tq * f->se_slope);
	if (!isfinite(f->apc) || !isfinite(f->apc_lower) || !isfinite(f->apc_upper) ||
	    !isfinite(tq) || !isfinite(f->se_slope))
		return tc_fail(err, "the trend is too steep to report: its annual percent change or "
			       "confidence bound overflows");
	if (f->se_slope > 0) {
		f->t_stat = b / f->se_slope;
		f->p_value = 2.0 * gsl_cdf_tdist_Q(fabs(f->t_stat), (double)f->df);
	} else {
		f->t_stat = NAN;
		f->p_value = NAN;
	}
	return 0;
}

/*
** model_joinpoint_ar1.c: AR(1) errors, generalised least squares at fixed
** joinpoints (model_joinpoint_ar1.h).  Pure.
*/
#include "model_joinpoint_impl.h"
#include "tocalc/model_joinpoint_ar1.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- AR(1) errors: generalised least squares at fixed joinpoints ---------- */


/*
** Whitened problem for a given rho: rows scaled by sqrt(w), then the
** Prais-Winsten transform (first row times sqrt(1 - rho^2), row i minus
** rho times row i - 1), which turns Var = sigma^2 W^-1/2 R W^-1/2,
** R_ij = rho^|i-j|, into sigma^2 I.  Xt (n*p) and zt (n) are written.
*/
static void ar1_whiten(const double *X, const double *z, const double *sw, size_t n, size_t p,
		       double rho, double *Xt, double *zt)
{
	double f = sqrt(1 - rho * rho);

	for (size_t j = 0; j <= p; j++) {
		const double *src = j < p ? X + j * n : z;
		double *dst = j < p ? Xt + j * n : zt;
		double prev = 0;
		for (size_t i = 0; i < n; i++) {
			double v = sw ? src[i] * sw[i] : src[i];
			dst[i] = i == 0 ? f * v : v - rho * prev;
			prev = v;
		}
	}
}

/* log det of the p x p symmetric positive definite A (row-major) by Cholesky; NAN if not PD. */
static double logdet_spd(const double *A, size_t p)
{
	double L[(JP_MAX_JOINPOINTS + 2) * (JP_MAX_JOINPOINTS + 2)], ld = 0;

	for (size_t i = 0; i < p; i++)
		for (size_t j = 0; j <= i; j++) {
			double s = A[i * p + j];
			for (size_t q = 0; q < j; q++)
				s -= L[i * p + q] * L[j * p + q];
			if (i == j) {
				if (!(s > 0))
					return NAN;
				L[i * p + i] = sqrt(s);
				ld += 2 * log(L[i * p + i]);
			} else {
				L[i * p + j] = s / L[j * p + j];
			}
		}
	return ld;
}

/*
** Restricted (REML) log-likelihood profiled over beta and sigma^2, up to a
** constant, as nlme::gls maximises it:
**   -(n - p)/2 ln SSE~ + 1/2 ln(1 - rho^2) - 1/2 ln |X~'X~|
** (|R| = (1 - rho^2)^(n-1) for AR(1), and the whitening P has
** P'P = (1 - rho^2) R^-1, which scales SSE~ and X~'X~).  NAN when the fit fails.
*/
static double ar1_reml(const double *X, const double *z, const double *sw, size_t n, size_t p,
		       double rho, double *Xt, double *zt, double *work)
{
	double sse, xtx[(JP_MAX_JOINPOINTS + 2) * (JP_MAX_JOINPOINTS + 2)];

	ar1_whiten(X, z, sw, n, p, rho, Xt, zt);
	if (jpi_lsq(Xt, n, p, zt, NULL, NULL, &sse, NULL, work) || !(sse > 0))
		return NAN;
	for (size_t a = 0; a < p; a++)
		for (size_t b = 0; b < p; b++) {
			double s = 0;
			for (size_t i = 0; i < n; i++)
				s += Xt[a * n + i] * Xt[b * n + i];
			xtx[a * p + b] = s;
		}
	return -0.5 * (double)(n - p) * log(sse) + 0.5 * log1p(-rho * rho) - 0.5 * logdet_spd(xtx, p);
}

int jp_ar1_refit(const double *x, const double *y, const double *weights, size_t n,
		 const struct jp_model *m, double rho, double level, struct jp_model *out,
		 double *rho_out, struct tc_err *err)
{
	int k = m->k, estimated = isnan(rho);
	size_t p = (size_t)k + 2, ns = (size_t)k + 1;
	double *X, *Xt, *z, *zt, *work, *sw = NULL, xtxinv[(JP_MAX_JOINPOINTS + 2) * (JP_MAX_JOINPOINTS + 2)];
	double sigma2, tq;

	memset(out, 0, sizeof(*out));
	if (!estimated && !(rho > -1 && rho < 1))
		return tc_failc(err, TC_EXIT_USAGE, "the AR(1) autocorrelation must lie strictly between -1 and 1, got %g", rho);
	if ((long)n - (2L * k + 2) - estimated < 1)
		return tc_fail(err, "%zu points are too few for AR(1) errors with %d joinpoint%s", n, k,
			       k == 1 ? "" : "s");
	X = xmalloc(n * p * sizeof(double));
	Xt = xmalloc(n * p * sizeof(double));
	z = xmalloc(3 * n * sizeof(double));
	zt = z + n;
	work = xmalloc((n * p + n) * sizeof(double));
	if (weights) {
		sw = zt + n;
		for (size_t i = 0; i < n; i++)
			sw[i] = sqrt(weights[i]);
	}
	for (size_t i = 0; i < n; i++)
		z[i] = to_fit(m->linear, y[i]);
	jpi_hinge_design(x, n, m->x_ref, k, m->tau, -1, X);
	if (estimated) {
		/* grid over (-0.99, 0.99), then golden-section refinement around the best */
		double best = -INFINITY, rb = 0, lo, hi, g = (sqrt(5) - 1) / 2, a, b, fa, fb;
		for (int q = -99; q <= 99; q++) {
			double r = q / 100.0, v = ar1_reml(X, z, sw, n, p, r, Xt, zt, work);
			if (isfinite(v) && v > best) {
				best = v;
				rb = r;
			}
		}
		if (!isfinite(best)) {
			free(X); free(Xt); free(z); free(work);
			return tc_fail(err, "the AR(1) model cannot be fitted (singular design)");
		}
		lo = rb - 0.01 > -0.999 ? rb - 0.01 : -0.999;
		hi = rb + 0.01 < 0.999 ? rb + 0.01 : 0.999;
		a = hi - g * (hi - lo);
		b = lo + g * (hi - lo);
		fa = ar1_reml(X, z, sw, n, p, a, Xt, zt, work);
		fb = ar1_reml(X, z, sw, n, p, b, Xt, zt, work);
		for (int it = 0; it < 60; it++) {
			if (fa > fb) {
				hi = b;
				b = a;
				fb = fa;
				a = hi - g * (hi - lo);
				fa = ar1_reml(X, z, sw, n, p, a, Xt, zt, work);
			} else {
				lo = a;
				a = b;
				fa = fb;
				b = lo + g * (hi - lo);
				fb = ar1_reml(X, z, sw, n, p, b, Xt, zt, work);
			}
		}
		rho = (lo + hi) / 2;
		if (fabs(rho) > 0.995) {
			free(X); free(Xt); free(z); free(work);
			return tc_fail(err, "the estimated AR(1) autocorrelation is %.3f, at the edge of "
				       "(-1, 1): the errors look non-stationary and the AR(1) model does not "
				       "apply; give --ar1 RHO or drop it", rho);
		}
	}
	*rho_out = rho;
	out->k = k;
	out->linear = m->linear;
	out->x_ref = m->x_ref;
	out->tau = xcalloc(ns, sizeof(double));
	out->tau_index = xcalloc(ns, sizeof(long));
	memcpy(out->tau, m->tau, (size_t)k * sizeof(double));
	memcpy(out->tau_index, m->tau_index, (size_t)k * sizeof(long));
	out->coef = xcalloc(p, sizeof(double));
	out->seg = xcalloc(ns, sizeof(*out->seg));
	out->slope_cov = xcalloc(ns * ns, sizeof(double));
	out->fitted = xcalloc(n, sizeof(double));
	ar1_whiten(X, z, sw, n, p, rho, Xt, zt);
	if (jpi_lsq(Xt, n, p, zt, NULL, out->coef, &out->sse, xtxinv, work)) {
		free(X); free(Xt); free(z); free(work);
		jpi_model_release(out);
		return tc_fail(err, "the AR(1) model cannot be fitted (singular design)");
	}
	out->df = (int)n - (2 * k + 2) - estimated;
	out->bic = out->bic3 = out->wbic = out->mbic = NAN;
	out->r2max = m->r2max;
	sigma2 = out->sse / out->df;
	tq = gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)out->df);
	for (size_t s = 0; s < ns; s++) {
		struct jp_segment *sg = &out->seg[s];
		double slope = out->coef[1];
		for (size_t j = 0; j < s; j++)
			slope += out->coef[2 + j];
		sg->slope = slope;
		sg->lower = m->seg[s].lower;
		sg->upper = m->seg[s].upper;
	}
	jpi_segment_stats(out, xtxinv, p, ns, sigma2, tq, out->df);
	for (size_t s = 0; s < ns; s++) {
		const struct jp_segment *sg = &out->seg[s];
		if (isinf(sg->apc) || isinf(sg->apc_lower) || isinf(sg->apc_upper)) {
			free(X); free(Xt); free(z); free(work);
			jpi_model_release(out);
			return tc_fail(err, "the AR(1) fit is too steep to report: segment %zu overflows", s + 1);
		}
	}
	for (size_t i = 0; i < n; i++) {
		double v = 0;
		for (size_t c = 0; c < p; c++)
			v += X[c * n + i] * out->coef[c];
		out->fitted[i] = from_fit(out->linear, v);
	}
	free(X);
	free(Xt);
	free(z);
	free(work);
	return 0;
}

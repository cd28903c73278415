/*
** model_joinpoint_fit.c: the final fit of one joinpoint model on x (QR):
** coefficients, segments with APC, CIs and p-values, the slope covariance,
** the information criteria.  Pure.
*/
#include "model_joinpoint_impl.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
** The slopes' covariance sigma2 * L (X'X)^-1 L' (L_a sums the slope and the
** first a slope changes: columns 1..a+1 of the p-column design) and each
** segment's APC with its t-based CI and two-sided test on df degrees of
** freedom.  One rule for the least-squares fit and the AR(1) refit.
*/
void jpi_segment_stats(struct jp_model *m, const double *xtxinv, size_t p, size_t ns,
			  double sigma2, double tq, long df)
{
	for (size_t a = 0; a < ns; a++)
		for (size_t b = 0; b < ns; b++) {
			double v = 0;
			for (size_t i = 1; i <= a + 1; i++)
				for (size_t j = 1; j <= b + 1; j++)
					v += xtxinv[i * p + j];
			m->slope_cov[a * ns + b] = sigma2 * v;
		}
	for (size_t s = 0; s < ns; s++) {
		struct jp_segment *sg = &m->seg[s];
		double var = m->slope_cov[s * ns + s];
		sg->se = var > 0 ? sqrt(var) : (var == 0 ? 0 : NAN);
		sg->apc = pct(m->linear, sg->slope);
		if (isfinite(tq) && isfinite(sg->se)) {
			sg->apc_lower = pct(m->linear, sg->slope - tq * sg->se);
			sg->apc_upper = pct(m->linear, sg->slope + tq * sg->se);
		} else {
			sg->apc_lower = sg->apc_upper = NAN;
		}
		if (sg->se > 0 && df > 0) {
			sg->t_stat = sg->slope / sg->se;
			sg->p_value = 2 * gsl_cdf_tdist_Q(fabs(sg->t_stat), (double)df);
		} else {
			sg->t_stat = sg->p_value = NAN;
		}
	}
}

/* ---------- final fit of one model ---------- */

void jpi_model_release(struct jp_model *m)
{
	free(m->tau);
	free(m->tau_index);
	free(m->coef);
	free(m->seg);
	free(m->slope_cov);
	free(m->fitted);
	memset(m, 0, sizeof(*m));
}

void jpi_hinge_design(const double *x, size_t n, double xref, int k, const double *tau,
			 int skip, double *X)
{
	size_t c = 2;

	for (size_t i = 0; i < n; i++) {
		X[i] = 1;
		X[n + i] = x[i] - xref;
	}
	for (int j = 0; j < k; j++) {
		if (j == skip)
			continue;
		for (size_t i = 0; i < n; i++)
			X[c * n + i] = x[i] > tau[j] ? x[i] - tau[j] : 0;
		c++;
	}
}

/*
** Fit the k-joinpoint model at tau by (weighted) least squares; with
** jump_index >= 0 a step column 1[i >= jump_index] joins the design (the
** jump model: one more parameter, the slopes unchanged in meaning).
*/
int jpi_model_fit(const double *x, const double *lny, const double *sw, int linear, size_t n,
		     int k, const double *tau, const long *tau_index, long jump_index, double level,
		     double sse_floor, struct jp_model *m, struct tc_err *err)
{
	size_t p = (size_t)k + 2, ns = (size_t)k + 1, nj = jump_index >= 0 ? 1 : 0, pa = p + nj;
	double *X = xmalloc(n * pa * sizeof(double));
	double *work = xmalloc((n * pa + n) * sizeof(double));
	double *xtx = xmalloc(pa * pa * sizeof(double));
	double xref = 0, sigma2, tq, sse_eff, lnn = log((double)n);

	memset(m, 0, sizeof(*m));
	m->k = k;
	m->linear = linear;
	for (size_t i = 0; i < n; i++)
		xref += x[i];
	xref /= (double)n;
	m->x_ref = xref;
	m->tau = xcalloc(ns, sizeof(double));
	m->tau_index = xcalloc(ns, sizeof(long));
	for (int j = 0; j < k; j++) {
		m->tau[j] = tau[j];
		m->tau_index[j] = tau_index[j];
	}
	m->coef = xcalloc(pa, sizeof(double));
	m->seg = xcalloc(ns, sizeof(*m->seg));
	m->slope_cov = xcalloc(ns * ns, sizeof(double));
	m->fitted = xcalloc(n, sizeof(double));
	jpi_hinge_design(x, n, xref, k, tau, -1, X);
	if (nj)
		for (size_t i = 0; i < n; i++)
			X[p * n + i] = (long)i >= jump_index ? 1 : 0;
	if (jpi_lsq(X, n, pa, lny, sw, m->coef, &m->sse, xtx, work)) {
		free(X);
		free(work);
		free(xtx);
		jpi_model_release(m);
		return tc_fail(err, "the %d-joinpoint model cannot be fitted (singular design)", k);
	}
	m->df = (int)n - (2 * k + 2) - (int)nj;
	sigma2 = m->df > 0 ? m->sse / m->df : NAN;
	tq = m->df > 0 ? gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)m->df) : NAN;
	/* segment slopes: b1 + d_1 + ... + d_s */
	for (size_t s = 0; s < ns; s++) {
		struct jp_segment *sg = &m->seg[s];
		double slope = m->coef[1];
		for (size_t j = 0; j < s; j++)
			slope += m->coef[2 + j];
		sg->slope = slope;
		sg->lower = s == 0 ? x[0] : tau[s - 1];
		sg->upper = s == ns - 1 ? x[n - 1] : tau[s];
	}
	jpi_segment_stats(m, xtx, pa, ns, sigma2, tq, m->df);
	for (size_t i = 0; i < n; i++) {
		double v = 0;
		for (size_t c = 0; c < pa; c++)
			v += X[c * n + i] * m->coef[c];
		m->fitted[i] = from_fit(linear, v);
	}
	/* WBIC weight: the largest partial R^2 of one slope change */
	m->r2max = 0;
	for (int j = 0; j < k; j++) {
		double sj;
		jpi_hinge_design(x, n, xref, k, tau, j, X);
		if (nj)
			for (size_t i = 0; i < n; i++)
				X[(p - 1) * n + i] = (long)i >= jump_index ? 1 : 0;
		if (jpi_lsq(X, n, pa - 1, lny, sw, NULL, &sj, NULL, work) == 0 && sj > sse_floor) {
			double r2 = (sj - m->sse) / sj;
			if (r2 < 0)
				r2 = 0;
			if (r2 > m->r2max)
				m->r2max = r2;
		}
	}
	if (nj) {
		double v = sigma2 * xtx[p * pa + p];
		m->has_jump = 1;
		m->jump_index = jump_index;
		m->jump = m->coef[p];
		m->jump_se = v >= 0 ? sqrt(v) : NAN;
		m->jump_lower = m->jump - tq * m->jump_se;
		m->jump_upper = m->jump + tq * m->jump_se;
	}
	sse_eff = m->sse > sse_floor ? m->sse : sse_floor;
	/* the jump is one more parameter in every criterion */
	m->bic = log(sse_eff / (double)n) + (2.0 * (k + 1) + (double)nj) * lnn / (double)n;
	m->bic3 = log(sse_eff / (double)n) + (3.0 * k + 2 + (double)nj) * lnn / (double)n;
	m->wbic = log(sse_eff / (double)n) + ((2.0 + m->r2max) * k + 2 + (double)nj) * lnn / (double)n;
	/*
	** Modified BIC (Zhang and Siegmund 2007), on the same per-point scale:
	** ln(SSE/n) + [3 k ln n + sum_i ln(l_i / n)] / n, l_i the number of
	** observations in segment i (a joinpoint observation starts its segment).
	*/
	{
		double pen = (3.0 * k + 2.0 * (double)nj) * lnn;
		size_t lo = 0;
		for (int s = 0; s <= k; s++) {
			size_t hi = lo;
			while (hi < n && (s == k || x[hi] < tau[s]))
				hi++;
			pen += log((double)(hi > lo ? hi - lo : 1) / (double)n);
			lo = hi;
		}
		m->mbic = log(sse_eff / (double)n) + pen / (double)n;
	}
	free(X);
	free(work);
	free(xtx);
	return 0;
}

/*
** model_joinpoint_empirical.c: empirical-quantile confidence intervals
** (model_joinpoint_empirical.h).  Pure: the RNG is passed in.
*/
#include "model_joinpoint_impl.h"
#include "tocalc/model_joinpoint_empirical.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- empirical-quantile confidence intervals ---------- */

void jp_empirical_release(struct jp_empirical *e)
{
	if (!e)
		return;
	free(e->apc_lower);
	free(e->tau_lower);
	free(e->aapc_lower);
	memset(e, 0, sizeof(*e));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Quantile of sorted v[0..m-1] by linear interpolation (R's type 7). */
static double quantile7(const double *v, long m, double prob)
{
	double h = (double)(m - 1) * prob;
	long lo = (long)floor(h);

	if (m <= 0)
		return NAN;
	if (lo >= m - 1)
		return v[m - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

int jp_empirical_ci(const double *x, const double *y, const double *weights, size_t n,
		    const struct jp_model *m, int min_obs_end, int min_obs_between, long resamples,
		    double level, const double *aapc_from, const double *aapc_to, int naapc,
		    gsl_rng *rng, struct jp_empirical *out, struct tc_err *err)
{
	int k = m->k, K = k, ns = k + 1;
	size_t p = (size_t)k + 2;
	struct dp d;
	double *t, *z, *yhat, *e, *zp, *zs, *sw = NULL, *Q, *X, *work, *draws, mean = 0;
	double h = (x[n - 1] - x[0]) / (double)(n - 1), q_lo = (1 - level) / 2;
	long knots_obs[JP_MAX_JOINPOINTS], knots[(JP_MAX_JOINPOINTS + 1) * JP_MAX_JOINPOINTS];
	long good = 0;
	int bounds;
	size_t ncol = (size_t)ns + (size_t)k + (size_t)naapc;

	memset(out, 0, sizeof(*out));
	if (resamples < 10 || resamples > 10000000L)
		return tc_failc(err, TC_EXIT_USAGE, "the number of resamples must be 10..10000000, got %ld",
				resamples);
	if (!(level > 0 && level < 1))
		return tc_failc(err, TC_EXIT_USAGE, "confidence level must be between 0 and 1, got %g", level);
	if (!rng)
		return tc_failc(err, TC_EXIT_USAGE, "empirical confidence intervals need a random number generator");
	if (jp_dp_search_cost(n, k, (double)resamples) > JP_DEFAULT_MAX_COST)
		return tc_failc(err, TC_EXIT_USAGE, "empirical confidence intervals: %ld resamples of %zu points "
				"with %d joinpoint%s are estimated at %.1f times the cost limit (about a minute "
				"of CPU); use fewer --resamples or fewer points", resamples, n, k, k == 1 ? "" : "s",
				jp_dp_search_cost(n, k, (double)resamples) / JP_DEFAULT_MAX_COST);
	for (int j = 0; j < k; j++) {
		if (m->tau_index[j] < 0)
			return tc_failc(err, TC_EXIT_USAGE, "empirical confidence intervals need grid joinpoints "
					"(--method grid)");
		knots_obs[j] = m->tau_index[j];
	}
	for (int a = 0; a < naapc; a++)
		if (!(aapc_from[a] < aapc_to[a]) || aapc_from[a] < x[0] || aapc_to[a] > x[n - 1])
			return tc_failc(err, TC_EXIT_USAGE, "an AAPC range must lie inside the data, from < to");
	t = xmalloc(6 * n * sizeof(double));
	z = t + n;
	yhat = z + n;
	e = yhat + n;
	zp = e + n;
	zs = zp + n;
	if (weights) {
		sw = xmalloc(n * sizeof(double));
		for (size_t i = 0; i < n; i++)
			sw[i] = sqrt(weights[i]);
	}
	jpi_to_t(x, n, t);
	for (size_t i = 0; i < n; i++)
		mean += to_fit(m->linear, y[i]);
	mean /= (double)n;
	for (size_t i = 0; i < n; i++) {
		z[i] = to_fit(m->linear, y[i]) - mean;
		yhat[i] = to_fit(m->linear, m->fitted[i]) - mean;
		e[i] = sw ? sw[i] * (z[i] - yhat[i]) : z[i] - yhat[i];
	}
	Q = xmalloc(n * p * sizeof(double));
	X = xmalloc(n * p * sizeof(double));
	work = xmalloc((n * p + n) * sizeof(double));
	draws = xmalloc((size_t)resamples * ncol * sizeof(double));
	bounds = jpi_ortho_basis(t, sw, n, k, knots_obs, Q) == 0;
	jpi_dp_init(&d, t, weights, sw, n, K, min_obs_end, min_obs_between);
	for (long b = 0; b < resamples; b++) {
		double U[JP_MAX_JOINPOINTS + 1], L[JP_MAX_JOINPOINTS + 1], sse[JP_MAX_JOINPOINTS + 1];
		double beta[JP_MAX_JOINPOINTS + 2], s, slope[JP_MAX_JOINPOINTS + 1], zz = 0;
		double *row = draws + (size_t)good * ncol;

		for (size_t i = 0; i < n; i++) {
			double r = e[gsl_rng_uniform_int(rng, n)];
			zp[i] = yhat[i] + (sw ? r / sw[i] : r);
			zs[i] = sw ? sw[i] * zp[i] : zp[i];
			zz += zs[i] * zs[i];
		}
		for (int q = 0; q <= K; q++)
			U[q] = NAN;
		U[k] = bounds ? jpi_proj_sse(Q, n, p, zs, zz) * (1 + 1e-9) + 1e-300 : INFINITY;
		jpi_dp_set_z(&d, zp);
		jpi_dp_lower(&d, K, L);
		jpi_dp_run(&d, K, U, 1, sse, knots);
		if (!isfinite(sse[k]))
			continue;
		jpi_build_grid_design(t, n, k, knots + (size_t)k * K, X);
		if (jpi_lsq(X, n, p, zp, sw, beta, &s, NULL, work))
			continue;
		for (int sg = 0; sg < ns; sg++) {
			slope[sg] = (sg == 0 ? beta[1] : slope[sg - 1] + beta[1 + sg]);
			row[sg] = pct(m->linear, slope[sg] / h);
		}
		for (int j = 0; j < k; j++)
			row[ns + j] = x[knots[(size_t)k * K + j]];
		for (int a = 0; a < naapc; a++) {
			double sb = 0, swt = 0;
			for (int sg = 0; sg < ns; sg++) {
				double lo = sg == 0 ? x[0] : x[knots[(size_t)k * K + sg - 1]];
				double hi = sg == k ? x[n - 1] : x[knots[(size_t)k * K + sg]];
				double aa = lo > aapc_from[a] ? lo : aapc_from[a];
				double bb = hi < aapc_to[a] ? hi : aapc_to[a];
				if (bb > aa) {
					sb += (bb - aa) * slope[sg] / h;
					swt += bb - aa;
				}
			}
			row[ns + k + a] = pct(m->linear, sb / swt);
		}
		good++;
	}
	jpi_dp_release(&d);
	out->resamples = resamples;
	out->used = good;
	out->k = k;
	out->naapc = naapc;
	out->level = level;
	out->apc_lower = xcalloc(2 * (size_t)ns, sizeof(double));
	out->apc_upper = out->apc_lower + ns;
	out->tau_lower = xcalloc(2 * (size_t)(k > 0 ? k : 1), sizeof(double));
	out->tau_upper = out->tau_lower + k;
	out->aapc_lower = xcalloc(2 * (size_t)(naapc > 0 ? naapc : 1), sizeof(double));
	out->aapc_upper = out->aapc_lower + naapc;
	if (good < 10 || good < resamples / 2) {
		free(t); free(sw); free(Q); free(X); free(work); free(draws);
		jp_empirical_release(out);
		return tc_fail(err, "empirical confidence intervals: only %ld of %ld resampled fits succeeded",
			       good, resamples);
	}
	{
		double *col = xmalloc((size_t)good * sizeof(double));
		for (size_t c = 0; c < ncol; c++) {
			double lo, hi;
			for (long b = 0; b < good; b++)
				col[b] = draws[(size_t)b * ncol + c];
			qsort(col, (size_t)good, sizeof(double), cmp_double);
			lo = quantile7(col, good, q_lo);
			hi = quantile7(col, good, 1 - q_lo);
			if (c < (size_t)ns) {
				out->apc_lower[c] = lo;
				out->apc_upper[c] = hi;
			} else if (c < (size_t)(ns + k)) {
				out->tau_lower[c - (size_t)ns] = lo;
				out->tau_upper[c - (size_t)ns] = hi;
			} else {
				out->aapc_lower[c - (size_t)(ns + k)] = lo;
				out->aapc_upper[c - (size_t)(ns + k)] = hi;
			}
		}
		free(col);
	}
	free(t);
	free(sw);
	free(Q);
	free(X);
	free(work);
	free(draws);
	for (int sg = 0; sg < ns; sg++)
		if (!isfinite(out->apc_lower[sg]) || !isfinite(out->apc_upper[sg])) {
			jp_empirical_release(out);
			return tc_fail(err, "empirical confidence interval of segment %d overflows", sg + 1);
		}
	return 0;
}

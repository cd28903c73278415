/*
** model_joinpoint_hudson.c: joinpoints anywhere between observations
** (Hudson 1966): a local search from the grid optimum.  Pure.
*/
#include "model_joinpoint_impl.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- Hudson: joinpoints between observations ---------- */

/*
** A joinpoint position is a half-index h: h = 2i is the observation i,
** h = 2m + 1 the open interval (x_m, x_m+1).
*/
static long obs_before(long h) { return (h + 1) / 2; }
static long obs_after(long h, size_t n) { return (long)n - 1 - h / 2; }
static long obs_between(long ha, long hb) { return (hb - 1) / 2 - ha / 2; }

static int half_config_ok(const long *h, int k, size_t n, int E, int B)
{
	if (k == 0)
		return 1;
	if (h[0] < 1 || h[k - 1] > 2 * ((long)n - 1) - 1)
		return 0;
	if (obs_before(h[0]) < E || obs_after(h[k - 1], n) < E)
		return 0;
	for (int j = 1; j < k; j++)
		if (h[j] <= h[j - 1] || obs_between(h[j - 1], h[j]) < B)
			return 0;
	return 1;
}

/*
** Fit a configuration: continuity imposed at observation joinpoints, a
** free line break at interval joinpoints.  If each break's two lines
** cross inside its interval the fit is the continuous least-squares fit
** with the joinpoint at the crossing (docs/joinpoint.md); return 1 and
** the SSE and joinpoints (t units).  Return 0 when infeasible.
*/
static int hudson_eval(const double *t, const double *z, const double *sw, size_t n, int k, const long *h,
		       double *X, double *work, double *sse, double *tau)
{
	size_t p = 2, col[JP_MAX_JOINPOINTS];
	double beta[3 * JP_MAX_JOINPOINTS + 2];

	for (size_t i = 0; i < n; i++) {
		X[i] = 1;
		X[n + i] = t[i];
	}
	for (int j = 0; j < k; j++) {
		long m = h[j] / 2;
		col[j] = p;
		if (h[j] % 2 == 0) {
			for (size_t i = 0; i < n; i++)
				X[p * n + i] = (long)i > m ? t[i] - t[m] : 0;
			p++;
		} else {
			for (size_t i = 0; i < n; i++) {
				X[p * n + i] = (long)i > m ? 1 : 0;
				X[(p + 1) * n + i] = (long)i > m ? t[i] - t[m] : 0;
			}
			p += 2;
		}
	}
	if (p >= n || jpi_lsq(X, n, p, z, sw, beta, sse, NULL, work))
		return 0;
	for (int j = 0; j < k; j++) {
		long m = h[j] / 2;
		if (h[j] % 2 == 0) {
			tau[j] = t[m];
		} else {
			double s = beta[col[j]], dl = beta[col[j] + 1], tt;
			if (dl == 0)
				return 0;
			tt = t[m] - s / dl;
			if (!(tt > t[m] && tt < t[m + 1]))
				return 0;
			tau[j] = tt;
		}
	}
	return 1;
}

/*
** Local search from the grid optimum: every joinpoint may move one
** half-step (onto the neighbouring interval or observation) at a time,
** all combinations for k <= 5, one joinpoint at a time above; repeat
** while the SSE falls.
*/
void jpi_hudson_search(const double *t, const double *z, const double *sw, size_t n, int k,
			  const long *grid, int E, int B, double *sse, double *tau, long *tau_index)
{
	long h[JP_MAX_JOINPOINTS] = { 0 }, cur[JP_MAX_JOINPOINTS] = { 0 }, best_h[JP_MAX_JOINPOINTS] = { 0 };
	double tt[JP_MAX_JOINPOINTS], best_tau[JP_MAX_JOINPOINTS], best, s;
	size_t ncol = 2 + 2 * (size_t)k;
	double *X = xmalloc(n * ncol * sizeof(double));
	double *work = xmalloc((n * ncol + n) * sizeof(double));

	for (int j = 0; j < k; j++)
		cur[j] = 2 * grid[j];
	if (!hudson_eval(t, z, sw, n, k, cur, X, work, &best, best_tau)) {
		best = INFINITY;
		for (int j = 0; j < k; j++)
			best_tau[j] = t[grid[j]];
	}
	memcpy(best_h, cur, sizeof(long) * (size_t)k);
	for (int iter = 0; iter < 100 && k > 0; iter++) {
		int improved = 0;
		double scale = fabs(best) * 1e-12;

		if (k <= 5) {
			long total = 1;
			for (int j = 0; j < k; j++)
				total *= 3;
			for (long code = 0; code < total; code++) {
				long c = code;
				int same = 1;
				for (int j = 0; j < k; j++) {
					h[j] = cur[j] + (c % 3) - 1;
					if (c % 3 != 1)
						same = 0;
					c /= 3;
				}
				if (same || !half_config_ok(h, k, n, E, B))
					continue;
				if (hudson_eval(t, z, sw, n, k, h, X, work, &s, tt) && s < best - scale) {
					best = s;
					memcpy(best_h, h, sizeof(long) * (size_t)k);
					memcpy(best_tau, tt, sizeof(double) * (size_t)k);
					improved = 1;
				}
			}
		} else {
			for (int j = 0; j < k; j++)
				for (int dlt = -1; dlt <= 1; dlt += 2) {
					memcpy(h, cur, sizeof(long) * (size_t)k);
					h[j] += dlt;
					if (!half_config_ok(h, k, n, E, B))
						continue;
					if (hudson_eval(t, z, sw, n, k, h, X, work, &s, tt) && s < best - scale) {
						best = s;
						memcpy(best_h, h, sizeof(long) * (size_t)k);
						memcpy(best_tau, tt, sizeof(double) * (size_t)k);
						improved = 1;
					}
				}
		}
		if (!improved)
			break;
		memcpy(cur, best_h, sizeof(long) * (size_t)k);
	}
	*sse = best;
	for (int j = 0; j < k; j++) {
		tau[j] = best_tau[j];
		tau_index[j] = best_h[j] % 2 == 0 ? best_h[j] / 2 : -1;
	}
	free(X);
	free(work);
}

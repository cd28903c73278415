/*
** model_joinpoint_perm.c: the sequential permutation test of Kim et al.
** (2000), with the exact decision shortcut of the grid search.  Pure: the
** RNG is passed in.
*/
#include "model_joinpoint_impl.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- the permutation test ---------- */


double jpi_sse_ratio(double s0, double s1, double floor)
{
	if (!(s0 > floor))
		return 1.0;
	return s0 / (s1 > floor ? s1 : floor);
}

/* Fitted values (centred ln scale) of the best k fit: grid knots or Hudson taus. */
static void fitted_of(const struct perm_ctx *c, int k, double *out)
{
	size_t n = c->n, p = (size_t)k + 2;
	double *X = xmalloc(n * p * sizeof(double)), *work = xmalloc((n * p + n) * sizeof(double));
	double beta[JP_MAX_JOINPOINTS + 2], sse;

	for (size_t i = 0; i < n; i++) {
		X[i] = 1;
		X[n + i] = c->t[i];
	}
	for (int j = 0; j < k; j++) {
		double tau = c->hudson ? c->obs_tau[(size_t)k * c->kmax + j]
				       : c->t[c->obs_knots[(size_t)k * c->kmax + j]];
		for (size_t i = 0; i < n; i++)
			X[(size_t)(2 + j) * n + i] = c->t[i] > tau ? c->t[i] - tau : 0;
	}
	if (jpi_lsq(X, n, p, c->z, c->sw, beta, &sse, NULL, work) == 0) {
		for (size_t i = 0; i < n; i++) {
			double v = 0;
			for (size_t j = 0; j < p; j++)
				v += X[j * n + i] * beta[j];
			out[i] = v;
		}
	} else {
		memcpy(out, c->z, n * sizeof(double));	/* cannot happen for a fitted model */
	}
	free(X);
	free(work);
}

/*
** Orthonormal basis (modified Gram-Schmidt) of the grid design with the
** given knots, rows scaled by sw (may be NULL).
*/
int jpi_ortho_basis(const double *t, const double *sw, size_t n, int k, const long *knots, double *Q)
{
	size_t p = (size_t)k + 2;

	jpi_build_grid_design(t, n, k, knots, Q);
	if (sw)
		for (size_t j = 0; j < p; j++)
			for (size_t i = 0; i < n; i++)
				Q[j * n + i] *= sw[i];
	for (size_t j = 0; j < p; j++) {
		double *q = Q + j * n, nrm = 0;
		for (size_t i2 = 0; i2 < j; i2++) {
			const double *qi = Q + i2 * n;
			double s = 0;
			for (size_t i = 0; i < n; i++)
				s += qi[i] * q[i];
			for (size_t i = 0; i < n; i++)
				q[i] -= s * qi[i];
		}
		for (size_t i = 0; i < n; i++)
			nrm += q[i] * q[i];
		nrm = sqrt(nrm);
		if (!(nrm > 1e-9))
			return -1;
		for (size_t i = 0; i < n; i++)
			q[i] /= nrm;
	}
	return 0;
}

double jpi_proj_sse(const double *Q, size_t n, size_t p, const double *z, double zz)
{
	double s = zz;
	for (size_t j = 0; j < p; j++) {
		const double *q = Q + j * n;
		double c = 0;
		for (size_t i = 0; i < n; i++)
			c += q[i] * z[i];
		s -= c * c;
	}
	return s > 0 ? s : 0;
}

/* Best SSE for k = ka and kb on zp (grid or Hudson; DP or enumeration). */
static void perm_fit(struct perm_ctx *c, const double *zp, int ka, int kb, const double *U,
		     double *sse, long *knots)
{
	if (c->reference) {
		jpi_enum_best(c->t, zp, c->sw, c->n, kb, c->E, c->B, sse, knots);
	} else {
		jpi_dp_set_z(&c->dp, zp);
		jpi_dp_run(&c->dp, kb, U, 0, sse, knots);
	}
	if (c->hudson) {
		int ks[2] = { ka, kb };
		for (int w = 0; w < 2; w++) {
			int k = ks[w];
			double tau[JP_MAX_JOINPOINTS], s;
			long tidx[JP_MAX_JOINPOINTS];
			if (k == 0 || !isfinite(sse[k]))
				continue;
			jpi_hudson_search(c->t, zp, c->sw, c->n, k, knots + (size_t)k * kb, c->E, c->B, &s, tau, tidx);
			if (s < sse[k])
				sse[k] = s;
		}
	}
}

/*
** Exact decision "SSE*(ka) / SSE*(kb) >= tobs" for the z set in c->dp (grid
** search, fast path).  Bounds first: U from the observed model's
** joinpoints (any fit is an upper bound), L from discontinuous fits (a
** lower bound); only when they cannot decide is the DP run, with the
** decision threshold as its bound, so it prunes nearly everything.
*/
static int perm_decide(struct perm_ctx *c, int ka, int kb, double Ua, double Ub, double tobs)
{
	double L[JP_MAX_JOINPOINTS + 1], U[JP_MAX_JOINPOINTS + 1], sse[JP_MAX_JOINPOINTS + 1];
	double sa, thr, fl = c->floor;

	jpi_dp_lower(&c->dp, kb, L);
	if (L[ka] > fl) {
		/* here T = SSE_a / max(SSE_b, floor), increasing in SSE_a, decreasing in SSE_b */
		double thi = Ua / (L[kb] > fl ? L[kb] : fl), tlo = L[ka] / (Ub > fl ? Ub : fl);
		if (thi < tobs)
			return 0;
		if (tlo >= tobs)
			return 1;
	}
	for (int k = 0; k <= kb; k++)
		U[k] = NAN;
	if (ka == 0) {
		sa = Ua;	/* the projection on the line is the 0-joinpoint fit */
	} else {
		U[ka] = Ua;
		jpi_dp_run(&c->dp, ka, U, 1, sse, NULL);
		sa = sse[ka];
		U[ka] = NAN;
	}
	if (!(sa > fl))
		return 1.0 >= tobs;
	thr = sa / tobs;
	if (fl > thr)
		return 0;
	if (Ub <= thr)
		return 1;
	U[kb] = thr * (1 + 1e-12);
	jpi_dp_run(&c->dp, kb, U, 1, sse, NULL);
	return sse[kb] <= thr;
}

/*
** gsl_ran_shuffle() for doubles: the same draws in the same order (GSL's
** Fisher-Yates, j = gsl_rng_uniform_int(r, i + 1) for i = n-1 .. 1), so
** the same permutations, without its byte-wise generic swap.
*/
static void shuffle(gsl_rng *rng, double *v, size_t n)
{
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = (size_t)gsl_rng_uniform_int(rng, i + 1);
		double tmp = v[i];
		v[i] = v[j];
		v[j] = tmp;
	}
}

void jpi_perm_test(struct perm_ctx *c, int ka, int kb, long N, double alpha_i, gsl_rng *rng,
		      struct jp_test *out)
{
	size_t n = c->n;
	double *yhat = xmalloc(4 * n * sizeof(double)), *e = yhat + n, *zp = e + n, *zs = zp + n;
	double *Q = xmalloc(n * (size_t)(2 * kb + 4) * sizeof(double));
	double *Qa = Q, *Qb = Q + n * (size_t)(ka + 2);
	double U[JP_MAX_JOINPOINTS + 1], sse[JP_MAX_JOINPOINTS + 1], Tobs;
	long *knots = xmalloc((size_t)(kb + 1) * (kb > 0 ? kb : 1) * sizeof(long));
	int bounds;
	long exceed = 0;

	fitted_of(c, ka, yhat);
	/* weighted: the standardised residuals sqrt(w) e are exchangeable */
	for (size_t i = 0; i < n; i++)
		e[i] = c->sw ? c->sw[i] * (c->z[i] - yhat[i]) : c->z[i] - yhat[i];
	Tobs = jpi_sse_ratio(c->obs_sse[ka], c->obs_sse[kb], c->floor);
	bounds = !c->reference
		 && jpi_ortho_basis(c->t, c->sw, n, ka, c->obs_knots + (size_t)ka * c->kmax, Qa) == 0
		 && jpi_ortho_basis(c->t, c->sw, n, kb, c->obs_knots + (size_t)kb * c->kmax, Qb) == 0;
	for (long b = 0; b < N; b++) {
		double zz = 0, T;
		shuffle(rng, e, n);
		if (c->sw) {
			for (size_t i = 0; i < n; i++) {
				zp[i] = yhat[i] + e[i] / c->sw[i];
				zs[i] = c->sw[i] * zp[i];
				zz += zs[i] * zs[i];
			}
		} else {
			for (size_t i = 0; i < n; i++) {
				zp[i] = yhat[i] + e[i];
				zz += zp[i] * zp[i];
			}
		}
		for (int k = 0; k <= kb; k++)
			U[k] = NAN;
		if (bounds) {
			/* any fit bounds the best one from above; slack for rounding */
			const double *zq = c->sw ? zs : zp;
			U[ka] = jpi_proj_sse(Qa, n, (size_t)ka + 2, zq, zz) * (1 + 1e-9) + 1e-300;
			U[kb] = jpi_proj_sse(Qb, n, (size_t)kb + 2, zq, zz) * (1 + 1e-9) + 1e-300;
		} else {
			U[ka] = U[kb] = INFINITY;
		}
		if (bounds && !c->hudson) {
			jpi_dp_set_z(&c->dp, zp);
			exceed += perm_decide(c, ka, kb, U[ka], U[kb], Tobs * (1 - 1e-10));
		} else {
			perm_fit(c, zp, ka, kb, U, sse, knots);
			T = jpi_sse_ratio(sse[ka], sse[kb], c->floor);
			if (T >= Tobs * (1 - 1e-10))
				exceed++;
		}
		c->done++;
		if (c->progress && (c->done % 64 == 0 || c->done == c->total))
			c->progress(c->progress_ud, c->done, c->total);
	}
	out->ka = ka;
	out->kb = kb;
	out->statistic = Tobs;
	out->permutations = N;
	out->exceed = exceed;
	out->p_value = (double)(exceed + 1) / (double)(N + 1);
	out->alpha = alpha_i;
	out->reject = out->p_value < alpha_i;
	free(yhat);
	free(Q);
	free(knots);
}

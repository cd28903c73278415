/*
** model_gsim.c: the multi-region GSIM (Francois and Hall 2003) solved
** exactly in levels (contract and equations: include/tocalc/model_gsim.h,
** docs/gsim.md).  Pure: structs in, results out, no I/O.  GSL's error
** handler is off (main and the unit tests); every status is checked.
** The caller owns the input; the result owns its arrays.
*/
#include "tocalc/model_gsim.h"
#include "tocalc/data_gsim.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multiroots.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITER 500
#define TOL 1e-12

void gsim_input_init(struct gsim_input *in)
{
	memset(in, 0, sizeof(*in));
}

void gsim_input_alloc(struct gsim_input *in, size_t n)
{
	gsim_input_init(in);
	in->n = n;
	in->names = xcalloc(n ? n : 1, sizeof(*in->names));
	in->lines = xcalloc(n ? n : 1, sizeof(*in->lines));
	in->eps_m = xcalloc(n ? n : 1, sizeof(double));
	in->sigma = xcalloc(n ? n : 1, sizeof(double));
	in->eps_x = xcalloc(n ? n : 1, sizeof(double));
	in->flow = xcalloc(n ? n * n : 1, sizeof(double));
	in->t0 = xcalloc(n ? n * n : 1, sizeof(double));
	in->t1 = xcalloc(n ? n * n : 1, sizeof(double));
}

void gsim_input_release(struct gsim_input *in)
{
	if (in->names)
		for (size_t i = 0; i < in->n; i++)
			free(in->names[i]);
	free(in->names);
	free(in->lines);
	free(in->eps_m);
	free(in->sigma);
	free(in->eps_x);
	free(in->flow);
	free(in->t0);
	free(in->t1);
	gsim_input_init(in);
}

void gsim_result_init(struct gsim_result *res)
{
	memset(res, 0, sizeof(*res));
}

void gsim_result_release(struct gsim_result *res)
{
	free(res->pw);
	free(res->pw_lin);
	free(res->q);
	free(res->flow1);
	free(res->pindex);
	free(res->exports0);
	free(res->exports1);
	free(res->imports0);
	free(res->imports1);
	free(res->ps);
	free(res->cs);
	free(res->rev0);
	free(res->rev1);
	free(res->net);
	gsim_result_init(res);
}

static const char *rname(const struct gsim_input *in, size_t r)
{
	return in->names && in->names[r] ? in->names[r] : "?";
}

int gsim_check(const struct gsim_input *in, struct tc_err *err)
{
	size_t n = in->n;

	if (n < 2)
		return tc_fail(err, "gsim: need at least 2 regions, got %zu", n);
	if (n > GSIM_MAX_REGIONS)
		return tc_fail(err, "gsim: %zu regions is above the limit of %d", n, GSIM_MAX_REGIONS);
	for (size_t r = 0; r < n; r++) {
		if (!(in->eps_m[r] >= 0 && in->eps_m[r] <= GSIM_MAX_ELASTICITY))
			return tc_fail(err, "gsim: region '%s': demand elasticity %g is outside [0, %g]",
				       rname(in, r), in->eps_m[r], GSIM_MAX_ELASTICITY);
		if (!(in->sigma[r] >= 0 && in->sigma[r] <= GSIM_MAX_ELASTICITY))
			return tc_fail(err, "gsim: region '%s': substitution elasticity %g is outside [0, %g]",
				       rname(in, r), in->sigma[r], GSIM_MAX_ELASTICITY);
		if (!(in->eps_x[r] >= 0 && (in->eps_x[r] <= GSIM_MAX_SUPPLY || in->eps_x[r] == INFINITY)))
			return tc_fail(err, "gsim: region '%s': supply elasticity %g is outside [0, %g] "
				       "and not infinite", rname(in, r), in->eps_x[r], GSIM_MAX_SUPPLY);
	}
	for (size_t r = 0; r < n; r++)
		for (size_t v = 0; v < n; v++) {
			double f = in->flow[r * n + v], a = in->t0[r * n + v], b = in->t1[r * n + v];
			if (!(f >= 0 && isfinite(f)))
				return tc_fail(err, "gsim: flow from '%s' to '%s' must be a finite number >= 0, "
					       "got %g", rname(in, r), rname(in, v), f);
			if (!(a >= 0 && a <= GSIM_MAX_TARIFF_PCT / 100) || !(b >= 0 && b <= GSIM_MAX_TARIFF_PCT / 100))
				return tc_fail(err, "gsim: tariff of '%s' on '%s' must lie in [0, %g%%], got %g%% "
					       "before, %g%% after", rname(in, v), rname(in, r),
					       GSIM_MAX_TARIFF_PCT, a * 100, b * 100);
		}
	for (size_t r = 0; r < n; r++) {
		double s = 0;
		for (size_t v = 0; v < n; v++)
			s += in->flow[r * n + v] + in->flow[v * n + r];
		if (s <= 0)
			return tc_fail(err, "gsim: region '%s' has no trade (its row and column of the "
				       "flow matrix are zero)", rname(in, r));
	}
	return 0;
}

/* ------------------------------------------------------------ the system */

struct sys {
	const struct gsim_input *in;
	size_t n, k;		/* regions, unknown world prices */
	size_t *idx;		/* variable -> exporter */
	long *pos;		/* exporter -> variable, -1 when the price is fixed or absent */
	double *x0;		/* base exports by exporter */
	double *e0;		/* base expenditure at internal prices by importer */
	double *thsum;		/* sum of theta by importer (1 up to rounding) */
	double *theta;		/* n*n base shares at internal prices, [r*n+v] */
	double *lnT;		/* n*n ln((1+t1)/(1+t0)) */
	/* work, filled by eval() */
	double *y;		/* n: ln P* (0 when fixed) */
	double *lnq;		/* n*n */
	double *w;		/* n*n current shares in the composite */
	double *lnpi;		/* n */
	double *dem;		/* n: demand for r's exports (base-price units) */
};

static void sys_release(struct sys *s)
{
	free(s->idx);
	free(s->pos);
	free(s->x0);
	free(s->e0);
	free(s->thsum);
	free(s->theta);
	free(s->lnT);
	free(s->y);
	free(s->lnq);
	free(s->w);
	free(s->lnpi);
	free(s->dem);
}

static void sys_init(struct sys *s, const struct gsim_input *in)
{
	size_t n = in->n;

	memset(s, 0, sizeof(*s));
	s->in = in;
	s->n = n;
	s->idx = xcalloc(n, sizeof(*s->idx));
	s->pos = xcalloc(n, sizeof(*s->pos));
	s->x0 = xcalloc(n, sizeof(double));
	s->e0 = xcalloc(n, sizeof(double));
	s->thsum = xcalloc(n, sizeof(double));
	s->theta = xcalloc(n * n, sizeof(double));
	s->lnT = xcalloc(n * n, sizeof(double));
	s->y = xcalloc(n, sizeof(double));
	s->lnq = xcalloc(n * n, sizeof(double));
	s->w = xcalloc(n * n, sizeof(double));
	s->lnpi = xcalloc(n, sizeof(double));
	s->dem = xcalloc(n, sizeof(double));
	for (size_t r = 0; r < n; r++)
		for (size_t v = 0; v < n; v++) {
			double m = in->flow[r * n + v];
			s->x0[r] += m;
			s->e0[v] += (1 + in->t0[r * n + v]) * m;
			s->lnT[r * n + v] = log1p(in->t1[r * n + v]) - log1p(in->t0[r * n + v]);
		}
	for (size_t r = 0; r < n; r++)
		for (size_t v = 0; v < n; v++)
			if (s->e0[v] > 0)
				s->theta[r * n + v] = (1 + in->t0[r * n + v]) * in->flow[r * n + v] / s->e0[v];
	for (size_t v = 0; v < n; v++)
		for (size_t r = 0; r < n; r++)
			if (s->theta[r * n + v] > 0)
				s->thsum[v] += s->theta[r * n + v];
	for (size_t r = 0; r < n; r++) {
		s->pos[r] = -1;
		if (s->x0[r] > 0 && isfinite(in->eps_x[r])) {
			s->pos[r] = (long)s->k;
			s->idx[s->k++] = r;
		}
	}
}

/* Demand at world prices exp(y): lnq, w, lnpi and dem. */
static void eval(struct sys *s)
{
	const struct gsim_input *in = s->in;
	size_t n = s->n;

	for (size_t v = 0; v < n; v++) {
		double sg = in->sigma[v], em = in->eps_m[v], L;

		s->lnpi[v] = NAN;
		if (!(s->e0[v] > 0))
			continue;
		if (fabs(1 - sg) < 1e-12) {	/* Cobb-Douglas composite */
			L = 0;
			for (size_t r = 0; r < n; r++) {
				double th = s->theta[r * n + v];
				if (th > 0)
					L += th * (s->lnT[r * n + v] + s->y[r]);
				s->w[r * n + v] = th;
			}
		} else {
			double m = -INFINITY, S = 0;
			for (size_t r = 0; r < n; r++)
				if (s->theta[r * n + v] > 0) {
					double a = (1 - sg) * (s->lnT[r * n + v] + s->y[r]);
					if (a > m)
						m = a;
				}
			for (size_t r = 0; r < n; r++) {
				double th = s->theta[r * n + v];
				double a = th > 0 ? th * exp((1 - sg) * (s->lnT[r * n + v] + s->y[r]) - m) : 0;
				s->w[r * n + v] = a;
				S += a;
			}
			for (size_t r = 0; r < n; r++)
				s->w[r * n + v] /= S;
			/* S / thsum is exactly 1 when no price moved: no change gives exactly 0 */
			L = (m + log(S / s->thsum[v])) / (1 - sg);
		}
		s->lnpi[v] = L;
		for (size_t r = 0; r < n; r++)
			s->lnq[r * n + v] = -sg * (s->lnT[r * n + v] + s->y[r]) + (sg - em) * L;
	}
	for (size_t r = 0; r < n; r++) {
		double d = 0;
		for (size_t v = 0; v < n; v++)
			if (in->flow[r * n + v] > 0)
				d += in->flow[r * n + v] * exp(s->lnq[r * n + v]);
		s->dem[r] = d;
	}
}

static void set_y(struct sys *s, const gsl_vector *x)
{
	for (size_t k = 0; k < s->k; k++)
		s->y[s->idx[k]] = gsl_vector_get(x, k);
}

/* f_k = ln demand(r) - ln X0(r) - x_r y_r, r = idx[k] */
static int sys_f(const gsl_vector *x, void *params, gsl_vector *f)
{
	struct sys *s = params;

	set_y(s, x);
	eval(s);
	for (size_t k = 0; k < s->k; k++) {
		size_t r = s->idx[k];
		gsl_vector_set(f, k, log(s->dem[r]) - log(s->x0[r]) - s->in->eps_x[r] * s->y[r]);
	}
	return GSL_SUCCESS;
}

static void jac(struct sys *s, gsl_matrix *J)
{
	const struct gsim_input *in = s->in;
	size_t n = s->n;

	gsl_matrix_set_zero(J);
	for (size_t k = 0; k < s->k; k++) {
		size_t r = s->idx[k];
		double own = -in->eps_x[r];
		for (size_t v = 0; v < n; v++) {
			double m = in->flow[r * n + v], c, b;
			if (!(m > 0))
				continue;
			c = m * exp(s->lnq[r * n + v]) / s->dem[r];
			own -= c * in->sigma[v];
			b = c * (in->sigma[v] - in->eps_m[v]);
			for (size_t l = 0; l < s->k; l++)
				*gsl_matrix_ptr(J, k, l) += b * s->w[s->idx[l] * n + v];
		}
		*gsl_matrix_ptr(J, k, k) += own;
	}
}

static int sys_df(const gsl_vector *x, void *params, gsl_matrix *J)
{
	struct sys *s = params;

	set_y(s, x);
	eval(s);
	jac(s, J);
	return GSL_SUCCESS;
}

static int sys_fdf(const gsl_vector *x, void *params, gsl_vector *f, gsl_matrix *J)
{
	struct sys *s = params;

	sys_f(x, params, f);
	jac(s, J);
	return GSL_SUCCESS;
}

/* ------------------------------------------------------ the linear GSIM */

static int linear(struct sys *s, double *phat, struct tc_err *err)
{
	const struct gsim_input *in = s->in;
	size_t n = s->n, K = s->k;
	gsl_matrix *A;
	gsl_vector *b, *xs;
	gsl_permutation *perm;
	double *that, *tbar, amax = 0;
	int sg, rc = 0;

	for (size_t r = 0; r < n; r++)
		phat[r] = s->x0[r] > 0 ? 0 : NAN;
	if (!K)
		return 0;
	that = xcalloc(n * n, sizeof(double));
	tbar = xcalloc(n, sizeof(double));
	for (size_t i = 0; i < n * n; i++)
		that[i] = (1 + in->t1[i]) / (1 + in->t0[i]) - 1;
	for (size_t v = 0; v < n; v++)
		for (size_t j = 0; j < n; j++)
			tbar[v] += s->theta[j * n + v] * that[j * n + v];
	A = gsl_matrix_calloc(K, K);
	b = gsl_vector_calloc(K);
	xs = gsl_vector_alloc(K);
	perm = gsl_permutation_alloc(K);
	if (!A || !b || !xs || !perm)
		tc_die("out of memory");
	for (size_t k = 0; k < K; k++) {
		size_t r = s->idx[k];
		double bk = 0;
		for (size_t v = 0; v < n; v++) {
			double m = in->flow[r * n + v], d = in->sigma[v] - in->eps_m[v];
			if (!(m > 0))
				continue;
			*gsl_matrix_ptr(A, k, k) -= m * in->sigma[v];
			for (size_t l = 0; l < K; l++)
				*gsl_matrix_ptr(A, k, l) += m * d * s->theta[s->idx[l] * n + v];
			bk += m * (in->sigma[v] * that[r * n + v] - d * tbar[v]);
		}
		*gsl_matrix_ptr(A, k, k) -= s->x0[r] * in->eps_x[r];
		gsl_vector_set(b, k, bk);
		if (!(gsl_matrix_get(A, k, k) < 0)) {
			rc = tc_fail(err, "gsim: the world price of '%s' is indeterminate: its export supply "
				     "elasticity is 0 and no importer's demand for its goods responds to its "
				     "price (demand and substitution elasticities 0); give one of them a "
				     "positive value", rname(in, r));
			goto out;
		}
	}
	for (size_t k = 0; k < K; k++)
		for (size_t l = 0; l < K; l++)
			if (fabs(gsl_matrix_get(A, k, l)) > amax)
				amax = fabs(gsl_matrix_get(A, k, l));
	if (gsl_linalg_LU_decomp(A, perm, &sg)) {
		rc = tc_fail(err, "gsim: the linearised system could not be factorised");
		goto out;
	}
	for (size_t k = 0; k < K; k++)
		if (!(fabs(gsl_matrix_get(A, k, k)) > 1e-13 * amax)) {
			rc = tc_fail(err, "gsim: the linearised system is singular: the world prices "
				     "are not determined by these elasticities");
			goto out;
		}
	if (gsl_linalg_LU_solve(A, perm, b, xs)) {
		rc = tc_fail(err, "gsim: the linearised system could not be solved");
		goto out;
	}
	for (size_t k = 0; k < K; k++) {
		double p = gsl_vector_get(xs, k);
		if (!isfinite(p)) {
			rc = tc_fail(err, "gsim: the linearised world price of '%s' is not finite",
				     rname(in, s->idx[k]));
			goto out;
		}
		phat[s->idx[k]] = p;
	}
out:
	gsl_matrix_free(A);
	gsl_vector_free(b);
	gsl_vector_free(xs);
	gsl_permutation_free(perm);
	free(that);
	free(tbar);
	return rc;
}

int gsim_linear(const struct gsim_input *in, double *phat, struct tc_err *err)
{
	struct sys s;
	int rc;

	if (gsim_check(in, err))
		return -1;
	sys_init(&s, in);
	rc = linear(&s, phat, err);
	sys_release(&s);
	return rc;
}

/* ---------------------------------------------------------- exact solve */

static double max_abs(const gsl_vector *f)
{
	double m = 0;
	for (size_t i = 0; i < f->size; i++) {
		double a = fabs(gsl_vector_get(f, i));
		if (!(a <= m))
			m = a;	/* NAN propagates */
	}
	return m;
}

/* Run hybridsj from start; 0 on convergence (s->y holds the solution). */
static int run_solver(struct sys *s, const double *start, int *iters, double *resid)
{
	gsl_multiroot_function_fdf F = { sys_f, sys_df, sys_fdf, s->k, s };
	gsl_multiroot_fdfsolver *ws;
	gsl_vector *x;
	int status, it = 0;

	ws = gsl_multiroot_fdfsolver_alloc(gsl_multiroot_fdfsolver_hybridsj, s->k);
	x = gsl_vector_alloc(s->k);
	if (!ws || !x)
		tc_die("out of memory");
	for (size_t k = 0; k < s->k; k++)
		gsl_vector_set(x, k, start[k]);
	status = gsl_multiroot_fdfsolver_set(ws, &F, x);
	if (status == GSL_SUCCESS && !(max_abs(ws->f) < TOL)) {
		status = GSL_CONTINUE;
		while (it < MAX_ITER) {
			it++;
			if (gsl_multiroot_fdfsolver_iterate(ws)) {
				status = GSL_ENOPROG;
				break;
			}
			if (max_abs(ws->f) < TOL) {
				status = GSL_SUCCESS;
				break;
			}
		}
	}
	*iters = it;
	*resid = max_abs(ws->f);
	if (status == GSL_SUCCESS) {
		set_y(s, ws->x);
		eval(s);
	}
	gsl_multiroot_fdfsolver_free(ws);
	gsl_vector_free(x);
	return status == GSL_SUCCESS ? 0 : -1;
}

/*
** Fallback: Newton's method in y with a backtracking line search on
** |f|^2 / 2 (the step is halved until the residual falls), from start.
** Slower than hybridsj but it never leaves the descent direction; used
** only when hybridsj stalls (extreme tariffs or elasticities).
*/
static int run_newton(struct sys *s, const double *start, int *iters, double *resid)
{
	size_t K = s->k;
	gsl_vector *x = gsl_vector_alloc(K), *f = gsl_vector_alloc(K), *dx = gsl_vector_alloc(K);
	gsl_vector *xt = gsl_vector_alloc(K), *ft = gsl_vector_alloc(K);
	gsl_matrix *J = gsl_matrix_alloc(K, K);
	gsl_permutation *perm = gsl_permutation_alloc(K);
	double norm;
	int it = 0, ok = 0, sg;

	if (!x || !f || !dx || !xt || !ft || !J || !perm)
		tc_die("out of memory");
	for (size_t k = 0; k < K; k++)
		gsl_vector_set(x, k, start[k]);
	sys_fdf(x, s, f, J);
	norm = gsl_blas_dnrm2(f);
	while (it < MAX_ITER && isfinite(norm)) {
		double lam = 1, tn = INFINITY;
		if (max_abs(f) < TOL) {
			ok = 1;
			break;
		}
		it++;
		if (gsl_linalg_LU_decomp(J, perm, &sg) || gsl_linalg_LU_solve(J, perm, f, dx))
			break;
		for (int h = 0; h < 60; h++, lam /= 2) {
			gsl_vector_memcpy(xt, x);
			gsl_blas_daxpy(-lam, dx, xt);
			sys_f(xt, s, ft);
			tn = gsl_blas_dnrm2(ft);
			if (isfinite(tn) && tn < (1 - 1e-4 * lam) * norm)
				break;
		}
		if (!(isfinite(tn) && tn < norm))
			break;
		gsl_vector_memcpy(x, xt);
		sys_fdf(x, s, f, J);
		norm = gsl_blas_dnrm2(f);
	}
	*iters = it;
	*resid = max_abs(f);
	if (ok) {
		set_y(s, x);
		eval(s);
	}
	gsl_vector_free(x);
	gsl_vector_free(f);
	gsl_vector_free(dx);
	gsl_vector_free(xt);
	gsl_vector_free(ft);
	gsl_matrix_free(J);
	gsl_permutation_free(perm);
	return ok ? 0 : -1;
}

static double *dup0(size_t n, double v)
{
	double *p = xcalloc(n ? n : 1, sizeof(double));
	for (size_t i = 0; i < n; i++)
		p[i] = v;
	return p;
}

static double zero_neg(double x)
{
	return x + 0.0;		/* -0 -> +0: "no change" prints as 0 */
}

int gsim_solve(const struct gsim_input *in, struct gsim_result *res, struct tc_err *err)
{
	struct sys s;
	size_t n = in->n;
	double *start = NULL;
	int rc = -1;

	gsim_result_init(res);
	if (gsim_check(in, err))
		return -1;
	sys_init(&s, in);
	res->n = n;
	res->pw_lin = dup0(n, NAN);
	if (linear(&s, res->pw_lin, err))
		goto out;
	if (s.k) {
		int it = 0;
		double resid = 0;

		start = xcalloc(s.k, sizeof(double));
		for (size_t k = 0; k < s.k; k++) {
			double p = res->pw_lin[s.idx[k]];
			start[k] = p > -0.9 ? log1p(p) : p;	/* the linearised GSIM, in logs */
		}
		if (run_solver(&s, start, &it, &resid)) {
			int it2 = 0;
			double r2 = 0;
			int it3 = 0;
			double r3 = 0;
			memset(start, 0, s.k * sizeof(double));	/* again from the base prices */
			if (run_solver(&s, start, &it2, &r2) && run_newton(&s, start, &it3, &r3)) {
				double best = r2 < resid ? r2 : resid;
				tc_fail(err, "gsim: world prices did not converge after %d iterations "
					"(largest market-clearing residual %.3g in logs)", it + it2 + it3,
					r3 < best ? r3 : best);
				goto out;
			}
			it2 += it3;
			if (it3)
				r2 = r3;
			it += it2;
			resid = r2;
		}
		res->iterations = it;
		res->residual = resid;
	} else {
		eval(&s);
	}

	res->pw = dup0(n, NAN);
	res->q = dup0(n * n, NAN);
	res->flow1 = dup0(n * n, 0);
	res->pindex = dup0(n, NAN);
	res->exports0 = dup0(n, 0);
	res->exports1 = dup0(n, 0);
	res->imports0 = dup0(n, 0);
	res->imports1 = dup0(n, 0);
	res->ps = dup0(n, 0);
	res->cs = dup0(n, 0);
	res->rev0 = dup0(n, 0);
	res->rev1 = dup0(n, 0);
	res->net = dup0(n, 0);
	for (size_t r = 0; r < n; r++) {
		if (s.x0[r] > 0) {
			double p = exp(s.y[r]);
			if (!(isfinite(p) && p > 0)) {
				tc_fail(err, "gsim: the world price of '%s' is not a finite positive number "
					"(ln P* = %g)", rname(in, r), s.y[r]);
				goto out;
			}
			res->pw[r] = p;
		}
	}
	for (size_t r = 0; r < n; r++)
		for (size_t v = 0; v < n; v++) {
			size_t i = r * n + v;
			double m = in->flow[i], q, val;
			if (!(m > 0))
				continue;
			q = exp(s.lnq[i]);
			val = m * q * res->pw[r];
			if (!(isfinite(q) && q > 0 && isfinite(val))) {
				tc_fail(err, "gsim: the flow from '%s' to '%s' after is not a finite positive "
					"number (quantity ratio %g)", rname(in, r), rname(in, v), q);
				goto out;
			}
			res->q[i] = q;
			res->flow1[i] = val;
			res->exports0[r] += m;
			res->exports1[r] += val;
			res->imports0[v] += m;
			res->imports1[v] += val;
			res->rev0[v] += in->t0[i] * m;
			res->rev1[v] += in->t1[i] * val;
		}
	for (size_t v = 0; v < n; v++) {
		double e = in->eps_m[v], L = s.lnpi[v], cs = 0, ps = 0, x = in->eps_x[v];
		if (s.e0[v] > 0) {
			res->pindex[v] = exp(L);
			cs = e == 1 ? -s.e0[v] * L : -s.e0[v] * expm1((1 - e) * L) / (1 - e);
		}
		if (s.x0[v] > 0 && isfinite(x))
			ps = s.x0[v] * expm1((1 + x) * s.y[v]) / (1 + x);
		res->cs[v] = zero_neg(cs);
		res->ps[v] = zero_neg(ps);
		res->net[v] = zero_neg(cs + ps + (res->rev1[v] - res->rev0[v]));
		if (!isfinite(res->net[v]) || (s.e0[v] > 0 && !(isfinite(res->pindex[v]) && res->pindex[v] > 0))) {
			tc_fail(err, "gsim: the welfare of '%s' is not finite (consumer surplus %g, "
				"producer surplus %g)", rname(in, v), cs, ps);
			goto out;
		}
	}
	rc = 0;
out:
	free(start);
	sys_release(&s);
	if (rc)
		gsim_result_release(res);
	return rc;
}

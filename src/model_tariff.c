/*
** model_tariff.c: the nested Armington model (ces, gsim) and SMART, with
** welfare and the economy-wide price effect, and the revenue search's
** evaluator (tariff_rev_*, model_tariff_impl.h).  Pure: no I/O, no
** globals.  Equations and citations: docs/tariff-methods.md.
*/
#include "tocalc/model_tariff.h"
#include "model_tariff_impl.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_multiroots.h>
#include <math.h>
#include <string.h>

static const char *const model_names[] = { "ces", "smart", "gsim" };
static const char *const partner_codes[] = { "CN", "MX", "CA", "ROW" };

const char *tariff_model_name(enum tariff_model m)
{
	return (unsigned)m < TC_ARRAY_SIZE(model_names) ? model_names[m] : "?";
}

int tariff_model_parse(const char *s, enum tariff_model *m)
{
	for (size_t i = 0; i < TC_ARRAY_SIZE(model_names); i++)
		if (!strcmp(s, model_names[i])) {
			*m = (enum tariff_model)i;
			return 0;
		}
	return -1;
}

const char *tariff_partner_code(int p)
{
	return p >= 0 && p < TARIFF_NPARTNERS ? partner_codes[p] : "?";
}

int tariff_partner_parse(const char *s, int *p)
{
	for (int i = 0; i < TARIFF_NPARTNERS; i++)
		if (!strcmp(s, partner_codes[i])) {
			*p = i;
			return 0;
		}
	return -1;
}

int tariff_params_check(const struct tariff_params *p, struct tc_err *err)
{
	if (!isfinite(p->eps) || p->eps <= 0)
		return tc_fail(err, "import-demand elasticity must be a positive magnitude, got %g", p->eps);
	if (isnan(p->ex) || p->ex <= 0)
		return tc_fail(err, "export-supply elasticity must be positive (or infinite), got %g", p->ex);
	if (!isfinite(p->sigma) || p->sigma < 0)
		return tc_fail(err, "substitution elasticity must be >= 0, got %g", p->sigma);
	if (!isfinite(p->pass_through) || p->pass_through < 0 || p->pass_through > 1)
		return tc_fail(err, "pass-through must be in [0, 1], got %g", p->pass_through);
	if (isfinite(p->ex) && p->pass_through != 1)
		return tc_fail(err, "with a finite export-supply elasticity the pass-through follows from it "
			       "(ex/(ex+eps)); leave the pass-through at 1");
	if (!isnan(p->households) && (!isfinite(p->households) || p->households < 1))
		return tc_fail(err, "households must be a positive count (at least 1), got %g",
			       p->households);
	if (!isnan(p->import_share_pce) && p->import_share_pce != 0 &&
	    (!isfinite(p->import_share_pce) || p->import_share_pce < 0 || p->import_share_pce > 1))
		return tc_fail(err, "import share of consumption must be in (0, 1], got %g",
			       p->import_share_pce);
	if (!isnan(p->pce) && p->pce != 0 && (!isfinite(p->pce) || p->pce < 0))
		return tc_fail(err, "personal consumption expenditures must be positive, got %g", p->pce);
	return 0;
}

int tariff_scenario_check(const struct tariff_scenario *s, struct tc_err *err)
{
	int n = 0;

	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct tariff_market *m = &s->m[k];
		if (!m->present)
			continue;
		n++;
		if (!isfinite(m->m0) || m->m0 <= 0)
			return tc_fail(err, "base imports from %s must be positive, got %g",
				       partner_codes[k], m->m0);
		if (m->m0 > TARIFF_MAX_IMPORTS)
			return tc_fail(err, "base imports from %s of USD %g million are above the "
				       "USD %g million limit", partner_codes[k], m->m0, TARIFF_MAX_IMPORTS);
		if (!isfinite(m->t0) || m->t0 < 0 || m->t0 > TARIFF_MAX_RATE)
			return tc_fail(err, "tariff before on %s must be in [0, %g%%], got %g%%",
				       partner_codes[k], TARIFF_MAX_RATE * 100, m->t0 * 100);
		if (!isfinite(m->t1) || m->t1 < 0 || m->t1 > TARIFF_MAX_RATE)
			return tc_fail(err, "tariff after on %s must be in [0, %g%%], got %g%%",
				       partner_codes[k], TARIFF_MAX_RATE * 100, m->t1 * 100);
	}
	if (!n)
		return tc_fail(err, "no partner in the scenario");
	return 0;
}

/* Pass-through share of the tariff change reaching buyers. */
double tariff_phi(const struct tariff_params *p, double eps)
{
	if (isfinite(p->ex))
		return p->ex / (p->ex + eps);
	return p->pass_through;
}

/* ------------------------------------------------------------ armington */

/*
** The nested Armington model (docs/tariff-methods.md, equations A-1..A-6).
** Partner k: base imports m0 (USD million at world price 1), tariff
** factors T0 = 1 + t0, T1 = 1 + t1, base expenditure share
** theta_k = m0_k T0_k / V0.  Unknowns: y_k = ln w_k (world price).
**   lr_k   = y_k + ln(T1_k/T0_k)                       buyers' price, log ratio
**   ln pi  = ln(sum theta_k exp((1-sigma) lr_k)) / (1-sigma)   composite
**   M_k    = m0_k pi^-eps (exp(lr_k)/pi)^-sigma          demand
**   M_k    = m0_k w_k^ex                                 supply
** Supply infinite: y_k = (phi - 1) ln(T1/T0) (phi the pass-through).
** Supply finite: F_k(y) = (sigma - eps) ln pi - sigma lr_k - ex y_k = 0,
** Jacobian J_kj = (sigma - eps) s_j - delta_kj (sigma + ex), s the
** current expenditure shares; solved with gsl_multiroot (hybridsj) from
** the linearised solution (one Newton step from y = 0).  The state is
** struct tariff_arm (model_tariff_impl.h).
*/
static void arm_setup(struct tariff_arm *a, const struct tariff_scenario *s, const struct tariff_params *p)
{
	a->n = 0;
	a->V0 = a->m0tot = 0;
	a->eps = p->eps;
	a->sigma = p->sigma;
	a->ex = p->ex;
	a->keep = 0;
	a->rev_only = 0;
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct tariff_market *m = &s->m[k];
		int i = a->n;
		if (!m->present)
			continue;
		a->idx[i] = k;
		a->m0[i] = m->m0;
		a->t0[i] = m->t0;
		a->t1[i] = m->t1;
		a->th[i] = m->m0 * (1 + m->t0);
		a->L[i] = m->t1 == m->t0 ? 0 : log1p(m->t1) - log1p(m->t0);
		a->V0 += a->th[i];
		a->m0tot += m->m0;
		a->n++;
	}
}

static double arm_lnpi_all(const struct tariff_arm *a, const double *lr, double *sh);

/*
** ln pi at buyers' log price ratios lr[]; the current expenditure shares
** into sh[] (may be NULL).  Exactly 0 when every lr is 0.  In the search
** (a->keep) partner mv's term alone moves: the others' max and terms are
** kept, and the sum is formed in the same order (arm_lnpi_all otherwise).
*/
static double arm_lnpi(const struct tariff_arm *a, const double *lr, double *sh)
{
	double c = 1 - a->sigma;

	if (a->keep && !sh && !(fabs(c) < 1e-12)) {
		double x = c * lr[a->mv], amax = x > a->cmax ? x : a->cmax;
		if (fabs(amax) < 30) {
			double s1 = a->pre + a->th[a->mv] * expm1(x);
			for (int i = a->mv + 1; i < a->n; i++)
				s1 += a->tem[i];
			return log1p(s1 / a->V0) / c;
		}
	}
	return arm_lnpi_all(a, lr, sh);
}

static double arm_lnpi_all(const struct tariff_arm *a, const double *lr, double *sh)
{
	double c = 1 - a->sigma, amax = -INFINITY, sum = 0, lnpi;
	double e[TARIFF_NPARTNERS];

	if (fabs(c) < 1e-12) {		/* Cobb-Douglas limit: geometric mean */
		lnpi = 0;
		for (int i = 0; i < a->n; i++) {
			lnpi += a->th[i] * lr[i];
			if (sh)
				sh[i] = a->th[i] / a->V0;
		}
		return lnpi / a->V0;
	}
	for (int i = 0; i < a->n; i++)
		if (c * lr[i] > amax)
			amax = c * lr[i];
	if (fabs(amax) < 30) {
		double s1 = 0;
		for (int i = 0; i < a->n; i++) {
			double x = c * lr[i];
			s1 += a->th[i] * (a->keep >> i & 1 ? a->em[i] : expm1(x));
			if (sh) {
				e[i] = a->th[i] * exp(x);
				sum += e[i];
			}
		}
		lnpi = log1p(s1 / a->V0) / c;
	} else {			/* log-sum-exp */
		for (int i = 0; i < a->n; i++) {
			e[i] = a->th[i] * exp(c * lr[i] - amax);
			sum += e[i];
		}
		lnpi = (amax + log(sum) - log(a->V0)) / c;
	}
	if (sh)
		for (int i = 0; i < a->n; i++)
			sh[i] = e[i] / sum;
	return lnpi;
}

static int arm_f(const gsl_vector *x, void *params, gsl_vector *f)
{
	const struct tariff_arm *a = params;
	double lr[TARIFF_NPARTNERS], lnpi;

	for (int i = 0; i < a->n; i++)
		lr[i] = gsl_vector_get(x, (size_t)i) + a->L[i];
	lnpi = arm_lnpi(a, lr, NULL);
	for (int i = 0; i < a->n; i++)
		gsl_vector_set(f, (size_t)i, (a->sigma - a->eps) * lnpi - a->sigma * lr[i] -
				   a->ex * gsl_vector_get(x, (size_t)i));
	return isfinite(lnpi) ? GSL_SUCCESS : GSL_EBADFUNC;
}

static int arm_df(const gsl_vector *x, void *params, gsl_matrix *J)
{
	const struct tariff_arm *a = params;
	double lr[TARIFF_NPARTNERS], sh[TARIFF_NPARTNERS];

	for (int i = 0; i < a->n; i++)
		lr[i] = gsl_vector_get(x, (size_t)i) + a->L[i];
	arm_lnpi(a, lr, sh);
	for (int r = 0; r < a->n; r++)
		for (int c = 0; c < a->n; c++)
			gsl_matrix_set(J, (size_t)r, (size_t)c,
				       (a->sigma - a->eps) * sh[c] - (r == c ? a->sigma + a->ex : 0));
	return GSL_SUCCESS;
}

static int arm_fdf(const gsl_vector *x, void *params, gsl_vector *f, gsl_matrix *J)
{
	int st = arm_f(x, params, f);
	return st ? st : arm_df(x, params, J);
}

gsl_multiroot_fdfsolver *tariff_gsim_solver_alloc(int n)
{
	return gsl_multiroot_fdfsolver_alloc(gsl_multiroot_fdfsolver_hybridsj, (size_t)n);
}

/* Solve A x = b in place (n <= TARIFF_NPARTNERS, partial pivoting); -1 when singular. */
static int small_solve(int n, double A[TARIFF_NPARTNERS][TARIFF_NPARTNERS], double *b)
{
	for (int c = 0; c < n; c++) {
		int piv = c;
		for (int r = c + 1; r < n; r++)
			if (fabs(A[r][c]) > fabs(A[piv][c]))
				piv = r;
		if (!(fabs(A[piv][c]) > 0))
			return -1;
		if (piv != c) {
			for (int j = 0; j < n; j++) {
				double t = A[c][j];
				A[c][j] = A[piv][j];
				A[piv][j] = t;
			}
			double t = b[c];
			b[c] = b[piv];
			b[piv] = t;
		}
		for (int r = c + 1; r < n; r++) {
			double f = A[r][c] / A[c][c];
			for (int j = c; j < n; j++)
				A[r][j] -= f * A[c][j];
			b[r] -= f * b[c];
		}
	}
	for (int r = n - 1; r >= 0; r--) {
		for (int j = r + 1; j < n; j++)
			b[r] -= A[r][j] * b[j];
		b[r] /= A[r][r];
	}
	return 0;
}

/* World prices y[] (log); iterations into *iters.  ws: solver for a->n or NULL. */
static int arm_solve(struct tariff_arm *a, double phi, gsl_multiroot_fdfsolver *ws, double *y,
		     int *iters, struct tc_err *err)
{
	gsl_multiroot_function_fdf F;
	double A[TARIFF_NPARTNERS][TARIFF_NPARTNERS], b[TARIFF_NPARTNERS], sh[TARIFF_NPARTNERS];
	double lnpi0, maxL = 0;
	gsl_vector_view xv;
	int status, iter = 0, own = 0;

	*iters = 0;
	if (!isfinite(a->ex)) {
		if (a->keep)		/* the search: partner mv's y alone moves */
			y[a->mv] = (phi - 1) * a->L[a->mv];
		else
			for (int i = 0; i < a->n; i++)
				y[i] = (phi - 1) * a->L[i];
		return 0;
	}
	for (int i = 0; i < a->n; i++)
		if (fabs(a->L[i]) > maxL)
			maxL = fabs(a->L[i]);
	if (maxL == 0) {
		for (int i = 0; i < a->n; i++)
			y[i] = 0;
		return 0;
	}
	/* The linearised system (one Newton step from the base point) as the start. */
	lnpi0 = arm_lnpi(a, a->L, sh);
	for (int r = 0; r < a->n; r++) {
		for (int c = 0; c < a->n; c++)
			A[r][c] = (a->sigma - a->eps) * sh[c] - (r == c ? a->sigma + a->ex : 0);
		b[r] = -((a->sigma - a->eps) * lnpi0 - a->sigma * a->L[r]);
	}
	if (small_solve(a->n, A, b))
		for (int i = 0; i < a->n; i++)
			b[i] = 0;
	for (int i = 0; i < a->n; i++) {	/* clamp: the world price cannot move more than the tariff */
		if (!isfinite(b[i]) || fabs(b[i]) > maxL)
			b[i] = b[i] > 0 ? maxL : -maxL;
		y[i] = b[i];
	}
	if (!ws || ws->x->size != (size_t)a->n) {
		ws = tariff_gsim_solver_alloc(a->n);
		if (!ws)
			return tc_fail(err, "unable to allocate the world-price solver");
		own = 1;
	}
	F.f = arm_f;
	F.df = arm_df;
	F.fdf = arm_fdf;
	F.n = (size_t)a->n;
	F.params = a;
	xv = gsl_vector_view_array(y, (size_t)a->n);
	status = gsl_multiroot_fdfsolver_set(ws, &F, &xv.vector);
	if (status == GSL_SUCCESS && gsl_multiroot_test_residual(ws->f, 1e-13) == GSL_SUCCESS)
		status = GSL_SUCCESS;
	else
		while (status == GSL_SUCCESS && iter < 200) {
			iter++;
			status = gsl_multiroot_fdfsolver_iterate(ws);
			if (status)
				break;
			status = gsl_multiroot_test_residual(ws->f, 1e-13);
			if (status == GSL_CONTINUE &&
			    gsl_multiroot_test_delta(ws->dx, ws->x, 0, 1e-15) == GSL_SUCCESS &&
			    gsl_multiroot_test_residual(ws->f, 1e-9) == GSL_SUCCESS)
				status = GSL_SUCCESS;	/* at the rounding floor */
			if (status != GSL_CONTINUE)
				break;
			status = GSL_SUCCESS;
		}
	if (status == GSL_SUCCESS)
		for (int i = 0; i < a->n; i++)
			y[i] = gsl_vector_get(ws->x, (size_t)i);
	if (own)
		gsl_multiroot_fdfsolver_free(ws);
	if (status != GSL_SUCCESS)
		return tc_fail(err, "world prices did not converge (export-supply elasticity %g, "
			       "import-demand elasticity %g, substitution %g): %s", a->ex, a->eps, a->sigma,
			       status == GSL_CONTINUE ? "too many iterations" : gsl_strerror(status));
	*iters = iter;
	return 0;
}

/* Partner i's world price change expm1(y) (kept by the search; expm1(+-0) is +-0). */
static double arm_w1(const struct tariff_arm *a, int i)
{
	if (a->keep >> i & 1)
		return a->w1[i];
	return a->y[i] == 0 ? a->y[i] : expm1(a->y[i]);
}

/* Partner i's tariff revenue after, t1 M1 (1 + w1). */
static double arm_rev1(const struct tariff_arm *a, int i, double m1, double w1)
{
	return a->t1[i] * m1 * (1 + w1);
}

/*
** The revenue search's safe region (a->rev_only, infinite supply): when
** sum m0 >= 1e-50, |(1 - eps) ln pi| <= 600 and every M1 is in [0, 1e200],
** no output of the full model can fail, so total revenue alone decides:
** *rev (tariff_eval_ws's sum, same order) and 1.  Else 0 and the caller
** goes on with every output that can fail.  Bounds (|y|, |lr| <= 4.62,
** so -0.99 < w1 <= 100.5; m0 <= 1e9, t <= 100, V0 <= 4.04e11; |ln pi| <
** 124, see eval_armington): |dm| <= 1.1e200, |dmtot| <= 5e200, |qf| <=
** 5e250, |creation| <= 5e259, |diversion|, |dm| <= 1e261; 0 <= rev1 <=
** 4.1e204, |tot_gain|, |dps| <= 4.1e202; |dcs| <= 4.04e11 e^600 / 1e-9 =
** 1.5e281 (or 4.04e11 x 124 when |1 - eps| < 1e-9); net_welfare and dwl
** are sums of these: all finite; m1 >= 0; the price changes as below.
*/
static int arm_rev_safe(struct tariff_arm *a, double one_m_eps, double lnpi,
			const double *dm, double *rev)
{
	double sum = 0;

	if (!(a->m0tot >= 1e-50 && fabs(one_m_eps * lnpi) <= 600))
		return 0;
	a->w1p[a->mv] = 1 + arm_w1(a, a->mv);	/* the others' 1 + w1 are kept */
	for (int i = 0; i < a->n; i++) {
		double m1 = a->m0[i] + dm[i];
		if (!(m1 >= 0 && m1 <= 1e200))
			return 0;
		sum += a->t1[i] * m1 * a->w1p[i];	/* arm_rev1 */
	}
	*rev = sum;
	return 1;
}

/*
** Levels solution -> result (ces and gsim), from a set up by arm_setup
** (tariff_eval) or kept by the revenue search (tariff_rev_at).  The same
** operations in the same order either way; the search's a->keep serves
** the expm1 of partners whose rates do not move from the values computed
** once from the same operands.
**
** a->rev_only (the search, infinite supply only): the result is total
** revenue alone (r->total.rev1, the sum tariff_eval_ws forms, in the same
** order) and the return value is check_result's decision on the full
** result: in arm_rev_safe's region, success; outside it, from the outputs
** that can decide it.  The others cannot fail:
**   world_price_change = expm1(y) and price_change = expm1(lr): y = (phi -
**     1) L with 0 <= phi <= 1 gives |y|, |lr| <= |L| <= ln(1 +
**     TARIFF_MAX_RATE) = 4.62, so both are finite and above expm1(-4.62)
**     = -0.990 > -1;
**   price_index_change = expm1(lnpi): ln pi is a weighted power mean of
**     the lr, within their range up to rounding (at most 0.002 out in
**     arm_lnpi's expm1 branch, whose terms are within e^(+-30)); in its
**     log-sum-exp branch (|1 - sigma| >= 30 / 4.62) the weight of the
**     partner at the maximum is at least 2^-1074 / (4e9 (1 + 100)), so
**     |ln pi| <= 4.62 + 771 / 6.49 < 124: finite when ln pi is; then
**     cpi_change (a share in (0, 1] of it, or NAN) is not infinite;
**   m1 is finite and >= 0 (checked below), so rev1_k = t1 m1 (1 + w1) >= 0
**     and the total rev1 (checked) is finite only if each rev1_k is; then
**     drev_k = rev1_k - rev0_k and drev are finite (0 <= rev0 <= 4e11);
**   rev0 and rev1_static are at most 4 x 100 x 1e9; cost_per_household
**     and cost_per_household_cpi are NAN when not finite, never infinite;
**     the per-partner dcs is NAN (allowed).
** Checked: creation, diversion and dm of each partner, and the totals
** m1, creation, diversion, dm, rev1, dcs, dwl, tot_gain, dps, net_welfare.
** docs/tariff-methods.md ("Revenue-maximising tariff") has the argument.
*/
static int eval_armington(struct tariff_arm *a, const struct tariff_params *p,
			  gsl_multiroot_fdfsolver *ws, struct tariff_result *r, struct tc_err *err)
{
	double *y = a->y, *lr = a->lr, lnpi, one_m_eps = 1 - p->eps;
	struct tariff_totals *T = &r->total;
	double phi = tariff_phi(p, p->eps), qf, dm[TARIFF_NPARTNERS], dmtot = 0;
	double dcs, tot_gain = 0, dps = 0, m1sum = 0, divsum = 0, rev1sum = 0, z = 0;
	const double sigma = p->sigma, se = p->sigma - p->eps, ex = p->ex;
	const int rev_only = a->rev_only, n = a->n, finite_ex = isfinite(ex);
	const unsigned keep = a->keep;

	if (arm_solve(a, phi, ws, y, &r->iterations, err))
		return -1;
	if (keep)
		lr[a->mv] = y[a->mv] + a->L[a->mv];
	else
		for (int i = 0; i < n; i++)
			lr[i] = y[i] + a->L[i];
	lnpi = arm_lnpi(a, lr, NULL);
	if (!isfinite(lnpi))
		return tc_fail(err, "the composite import price is not a finite number (substitution %g)",
			       p->sigma);
	if (!rev_only)
		T->price_index_change = expm1(lnpi);
	/*
	** Decomposition: creation = the change in total imports at base
	** composition, m0_k (M1/M0 - 1); diversion = the change in composition
	** at the new total, M1_k - m0_k M1/M0.  Diversion sums to 0 exactly.
	*/
	for (int i = 0; i < n; i++) {
		double g = se * lnpi - sigma * lr[i];	/* ln(M1/M0) */
		dm[i] = a->m0[i] * expm1(g);
		dmtot += dm[i];
	}
	if (rev_only && arm_rev_safe(a, one_m_eps, lnpi, dm, &T->rev1))
		return 0;
	dcs = fabs(one_m_eps) < 1e-9 ? -a->V0 * lnpi : -a->V0 * expm1(one_m_eps * lnpi) / one_m_eps;
	qf = dmtot / a->m0tot;
	for (int i = 0; i < n; i++) {
		int kept = keep >> i & 1;
		double w1 = arm_w1(a, i);
		double m1 = a->m0[i] + dm[i], creation, diversion, rev1;
		if (!isfinite(m1) || m1 < 0)
			return tc_fail(err, "imports from %s after the change are not a finite number "
				       "(import-demand elasticity %g, substitution %g): outside what the "
				       "model can represent", tariff_partner_code(a->idx[i]), p->eps, p->sigma);
		creation = a->m0[i] * qf;
		diversion = dm[i] - creation;
		rev1 = arm_rev1(a, i, m1, w1);
		tot_gain += -m1 * w1;
		if (finite_ex)
			dps += a->m0[i] * expm1((1 + ex) * y[i]) / (1 + ex);
		else
			dps += w1 * m1;
		if (rev_only) {		/* the sums of tariff_eval_ws, in its order */
			z += (creation + diversion) * 0;	/* dm: NAN with either */
			m1sum += m1;
			divsum += diversion;
			rev1sum += rev1;
		} else {
			struct tariff_partner_result *pr = &r->p[a->idx[i]];
			pr->m1 = m1;
			pr->creation = creation;
			pr->diversion = diversion;
			pr->price_change = kept ? a->pc[i] : expm1(lr[i]);
			pr->world_price_change = w1;
			pr->rev1 = rev1;
			pr->dcs = NAN;
		}
	}
	T->dcs = dcs;
	T->tot_gain = tot_gain;
	T->dps = dps;
	T->creation = dmtot;
	if (rev_only) {		/* tariff_eval_ws's totals that can fail (above) */
		double dm_tot = dmtot + divsum, drev = rev1sum - a->rev0;
		double net = dcs + drev, dwl = -(dcs + drev + dps);
		T->rev1 = rev1sum;
		/* a sum is not finite when an operand is not: dm_tot, dwl and net check the rest */
		z += m1sum * 0 + dm_tot * 0 + rev1sum * 0 + dwl * 0 + tot_gain * 0 + net * 0;
		return isnan(z) ? -1 : 0;
	}
	return 0;
}

/* ---------------------------------------------------------------- smart */

/*
** WITS SMART, linearised (methods.md A1):
**   creation   TC = M0 Em dt / [(1+t0)(1 - Em/Ex)]   (phi dt when Ex is infinite)
**   diversion  TD_k = Q0 M_k (1 - Es r_k) / sum_j M_j (1 - Es r_j) - M_k,  r = T1/T0 - 1
**              (SMART's two-partner formula when only one partner's price moves)
**   revenue    TR = t M (world price 1)
**   welfare    dDWL = -sum_k (t0_k + t1_k)/2 TC_k (the trapezoid on trade
**              creation, as WITS counts creation only; SMART's
**              W = 1/2 dt dM when t0 = 0, negative for a cut)
** Outside its validity (negative or undefined imports) it is an error.
*/
static int eval_smart(const struct tariff_scenario *s, const struct tariff_params *p,
		      int rev_only, struct tariff_result *r, struct tc_err *err)
{
	double q0 = 0, den = 0, v0 = 0;
	double shift[TARIFF_NPARTNERS];
	int npresent = 0;
	int inf = !isfinite(p->ex);
	struct tariff_totals *T = &r->total;

	r->approx_error = 0;
	T->creation = T->dcs = T->dwl = T->price_index_change = 0;	/* sums below */
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct tariff_market *m = &s->m[k];
		struct tariff_partner_result *pr = &r->p[k];
		double dt, T0, dpd, rr;
		if (!m->present)
			continue;
		dt = m->t1 - m->t0;
		T0 = 1 + m->t0;
		dpd = inf ? p->pass_through * dt / T0 : dt / (T0 * (1 + p->eps / p->ex));
		rr = (inf ? p->pass_through : 1) * dt / T0;
		pr->creation = m->m0 * -p->eps * dpd;
		pr->price_change = dpd;
		pr->world_price_change = dpd - dt / T0;
		pr->dcs = -T0 * dpd * (m->m0 + 0.5 * pr->creation);
		shift[k] = 1 - p->sigma * rr;
		npresent++;
		q0 += m->m0;
		v0 += m->m0 * T0;
		den += m->m0 * shift[k];
		T->price_index_change += m->m0 * T0 * dpd;
		if (rev_only)		/* the revenue search: no check reads approx_error */
			continue;
		if (dpd != 0 && dpd > -1) {
			double exact = pow(1 + dpd, -p->eps) - 1, lin = -p->eps * dpd;
			double e = exact != 0 ? fabs(lin - exact) / fabs(exact) : 0;
			if (e > r->approx_error)
				r->approx_error = e;
		} else if (dpd <= -1) {
			r->approx_error = INFINITY;
		}
	}
	T->price_index_change /= v0;
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct tariff_market *m = &s->m[k];
		struct tariff_partner_result *pr = &r->p[k];
		if (!m->present)
			continue;
		if (p->sigma == 0 || npresent == 1)
			pr->diversion = 0;
		else if (den > 0 && shift[k] >= 0)
			pr->diversion = q0 * m->m0 * shift[k] / den - m->m0;
		else
			return tc_fail(err, "smart: the linearised diversion is undefined for %s at this "
				       "tariff change (substitution %g gives a negative share): the "
				       "linearisation holds only for small changes; use the ces model",
				       tariff_partner_code(k), p->sigma);
		pr->m1 = m->m0 + pr->creation + pr->diversion;
		if (!(pr->m1 >= 0))
			return tc_fail(err, "smart: the linearised equations give negative imports from %s "
				       "(%.6g) for the tariff %g%% -> %g%% (import-demand elasticity %g, "
				       "substitution %g): the linearisation holds only for small changes; "
				       "use the ces model", tariff_partner_code(k), pr->m1,
				       100 * m->t0, 100 * m->t1, p->eps, p->sigma);
		pr->rev1 = m->t1 * pr->m1;
		T->creation += pr->creation;
		T->dcs += pr->dcs;
		T->dwl += -0.5 * (m->t0 + m->t1) * pr->creation;
	}
	r->beyond_validity = r->approx_error > TARIFF_SMART_MAX_REL_ERR;
	T->tot_gain = NAN;	/* SMART keeps the world price at 1 in revenue */
	T->dps = NAN;
	return 0;
}

/* --------------------------------------------------------------- common */

/*
** Every output finite but the documented missing values (model_tariff.h)?
** Fails with a message that names the inputs the model could not handle.
** v * 0 is (+-)0 for a finite v and NAN for an infinite or NAN one, so one
** sum of them is NAN exactly when a value that must be finite is not; the
** values that may be missing (NAN) must not be infinite.  Every output is
** read whatever the others are: the decision is the same as value by value.
*/
static int check_result(enum tariff_model model, const struct tariff_scenario *s,
			const struct tariff_params *p, const struct tariff_result *r,
			struct tc_err *err)
{
	const struct tariff_totals *T = &r->total;
	int smart = model == TARIFF_SMART;
	double z = T->m1 * 0 + T->dm * 0 + T->creation * 0 + T->diversion * 0 + T->rev0 * 0 +
		   T->rev1_static * 0 + T->rev1 * 0 + T->drev * 0 + T->dcs * 0 + T->dwl * 0 +
		   T->net_welfare * 0 + T->price_index_change * 0;
	int bad = isinf(T->cost_per_household) | isinf(T->cpi_change) |
		  isinf(T->cost_per_household_cpi);

	if (smart)
		bad |= isinf(T->tot_gain) | isinf(T->dps);
	else
		z += T->tot_gain * 0 + T->dps * 0;
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct tariff_partner_result *pr = &r->p[k];
		if (!s->m[k].present)
			continue;
		z += pr->creation * 0 + pr->diversion * 0 + pr->m1 * 0 + pr->dm * 0 +
		     pr->price_change * 0 + pr->world_price_change * 0 + pr->rev1 * 0 + pr->drev * 0;
		if (smart)
			z += pr->dcs * 0;
		else
			bad |= isinf(pr->dcs);
		bad |= (pr->m1 < 0) | (pr->price_change <= -1) | (pr->world_price_change <= -1);
	}
	if (!bad && !isnan(z))
		return 0;
	return tc_fail(err, "%s model: the result is not a finite, possible number (import-demand "
		       "elasticity %g, substitution %g): the tariff change is too large for these "
		       "elasticities", tariff_model_name(model), p->eps, p->sigma);
}

static double given(double v)
{
	return isnan(v) || v == 0 ? NAN : v;
}

/*
** The model on a checked scenario and parameters, then the per-partner
** identities, the totals and check_result: tariff_eval_ws on a zeroed r,
** and the revenue search (tariff_rev_at, rev_only) on its work result.
** a: set up for ces and gsim (unused for smart).
** rev_only: the search (eval_smart leaves out approx_error; ces and gsim
** follow a->rev_only).
*/
static int eval_model(enum tariff_model model, const struct tariff_scenario *s,
		      const struct tariff_params *p, struct tariff_arm *a,
		      gsl_multiroot_fdfsolver *ws, int rev_only, struct tariff_result *r,
		      struct tc_err *err)
{
	struct tariff_totals *T = &r->total;

	switch (model) {
	case TARIFF_CES:
	case TARIFF_GSIM:
		if (eval_armington(a, p, ws, r, err))
			return -1;
		if (a->rev_only)	/* revenue and the decision only: eval_armington */
			return 0;
		break;
	case TARIFF_SMART:
		if (eval_smart(s, p, rev_only, r, err))
			return -1;
		break;
	default:
		return tc_fail(err, "unknown tariff model %d", (int)model);
	}
	/* Fill the per-partner identities and the totals the models share. */
	T->m0 = T->m1 = T->rev0 = T->rev1_static = T->rev1 = T->diversion = 0;
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct tariff_market *m = &s->m[k];
		struct tariff_partner_result *pr = &r->p[k];
		if (!m->present) {
			memset(pr, 0, sizeof(*pr));
			continue;
		}
		pr->m0 = m->m0;
		pr->t0 = m->t0;
		pr->t1 = m->t1;
		pr->dm = pr->creation + pr->diversion;
		pr->rev0 = m->t0 * m->m0;
		pr->rev1_static = m->t1 * m->m0;
		pr->drev = pr->rev1 - pr->rev0;
		T->m0 += m->m0;
		T->m1 += pr->m1;
		T->diversion += pr->diversion;
		T->rev0 += pr->rev0;
		T->rev1_static += pr->rev1_static;
		T->rev1 += pr->rev1;
	}
	T->dm = T->creation + T->diversion;
	T->drev = T->rev1 - T->rev0;
	tariff_totals_welfare(T, p->households);
	if (model != TARIFF_SMART)	/* smart: the trapezoid of eval_smart */
		T->dwl = -(T->dcs + T->drev + T->dps);
	T->cpi_change = given(p->import_share_pce) * T->price_index_change;
	T->cost_per_household_cpi = T->cpi_change * given(p->pce) * 1e6 / p->households;
	if (!isfinite(T->cost_per_household_cpi))
		T->cost_per_household_cpi = NAN;
	return check_result(model, s, p, r, err);
}

int tariff_eval_ws(enum tariff_model model, const struct tariff_scenario *s,
		   const struct tariff_params *p, gsl_multiroot_fdfsolver *ws,
		   struct tariff_result *r, struct tc_err *err)
{
	struct tariff_arm a;

	memset(r, 0, sizeof(*r));
	r->model = model;
	if (tariff_params_check(p, err) || tariff_scenario_check(s, err))
		return -1;
	if (model != TARIFF_SMART)
		arm_setup(&a, s, p);
	return eval_model(model, s, p, &a, ws, 0, r, err);
}

int tariff_eval(enum tariff_model model, const struct tariff_scenario *s,
		const struct tariff_params *p, struct tariff_result *r, struct tc_err *err)
{
	return tariff_eval_ws(model, s, p, NULL, r, err);
}

/* ------------------------------------------------------ revenue search */

int tariff_rev_init(struct tariff_rev *c, enum tariff_model model, const struct tariff_scenario *s,
		    int partner, const struct tariff_params *p, struct tc_err *err)
{
	struct tariff_arm *a = &c->a;

	c->ws = NULL;
	if (tariff_params_check(p, err) || tariff_scenario_check(s, err))
		return -1;
	if (partner < 0 || partner >= TARIFF_NPARTNERS || !s->m[partner].present)
		return tc_fail(err, "revenue maximum: partner not in the scenario");
	c->model = model;
	c->partner = partner;
	c->s = *s;
	c->p = *p;
	c->lt0 = log1p(s->m[partner].t0);
	memset(&c->r, 0, sizeof(c->r));
	c->r.model = model;
	c->ai = 0;
	a->rev_only = 0;
	a->keep = 0;
	if (model == TARIFF_SMART)
		return 0;
	arm_setup(a, &c->s, &c->p);
	while (a->idx[c->ai] != partner)
		c->ai++;
	if (isfinite(p->ex)) {
		/* one solver for every rate (tariff_eval allocates one a call); NULL: as tariff_eval */
		c->ws = tariff_gsim_solver_alloc(a->n);
		return 0;
	}
	/* infinite supply: y = (phi - 1) L, as arm_solve; the other partners' values once */
	a->rev_only = 1;
	a->rev0 = 0;
	for (int i = 0; i < a->n; i++)		/* tariff_eval_ws's sum of t0 m0 */
		a->rev0 += a->t0[i] * a->m0[i];
	for (int i = 0; i < a->n; i++) {
		double y, lr;
		if (i == c->ai)
			continue;
		a->y[i] = y = (tariff_phi(p, p->eps) - 1) * a->L[i];
		a->lr[i] = lr = y + a->L[i];
		a->em[i] = expm1((1 - a->sigma) * lr);
		a->w1[i] = y == 0 ? y : expm1(y);
		a->pc[i] = expm1(lr);
		a->keep |= 1u << i;
	}
	/* arm_lnpi's max and its sum of th expm1((1 - sigma) lr) before the partner, in order */
	a->mv = c->ai;
	a->cmax = -INFINITY;
	a->pre = 0;
	for (int i = 0; i < a->n; i++) {
		double x;
		if (i == c->ai)
			continue;
		x = (1 - a->sigma) * a->lr[i];
		if (x > a->cmax)
			a->cmax = x;
		a->tem[i] = a->th[i] * a->em[i];
		a->w1p[i] = 1 + a->w1[i];
		if (i < c->ai)
			a->pre += a->tem[i];
	}
	return 0;
}

int tariff_rev_at(struct tariff_rev *c, double t, double *rev)
{
	struct tariff_market *m = &c->s.m[c->partner];

	if (!isfinite(t) || t < 0 || t > TARIFF_MAX_RATE)	/* tariff_scenario_check's, for t1 */
		return -1;
	m->t1 = t;
	if (c->model != TARIFF_SMART) {
		c->a.t1[c->ai] = t;
		c->a.L[c->ai] = t == m->t0 ? 0 : log1p(t) - c->lt0;	/* as arm_setup */
	}
	if (c->a.rev_only ? eval_armington(&c->a, &c->p, NULL, &c->r, NULL) :	/* as eval_model */
	    eval_model(c->model, &c->s, &c->p, &c->a, c->ws, 1, &c->r, NULL))
		return -1;
	*rev = c->r.total.rev1;
	return 0;
}

void tariff_rev_free(struct tariff_rev *c)
{
	if (c->ws)
		gsl_multiroot_fdfsolver_free(c->ws);
	c->ws = NULL;
}

void tariff_totals_welfare(struct tariff_totals *T, double households)
{
	T->net_welfare = T->dcs + T->drev;
	T->cost_per_household = -T->dcs * 1e6 / households;
	if (!isfinite(T->cost_per_household))
		T->cost_per_household = NAN;
}

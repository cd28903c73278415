/*
** model_tariff_search.c: the revenue-maximising tariff, the rate sweep and
** the sensitivity grid over the tariff models of model_tariff.c.  Pure:
** no I/O, no globals; every array is caller-owned.
** Methods: docs/tariff-methods.md, "Revenue maximum" and "Sensitivity grid".
*/
#include "tocalc/model_tariff.h"
#include "model_tariff_impl.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <math.h>
#include <string.h>

/* ---------------------------------------------------- revenue maximum */

struct revfn {
	struct tariff_rev c;	/* the model at the partner's rate, revenue only */
	int failed;
};

/* Minus total revenue at partner tariff t; +huge where the model fails (counted). */
static double neg_revenue(double t, void *ud)
{
	struct revfn *f = ud;
	double rev;

	if (tariff_rev_at(&f->c, t, &rev)) {
		f->failed++;
		return HUGE_VAL;
	}
	return -rev;
}

/* The grid and Brent's iterations on f; rm's references are set. */
static int revmax_search(struct revfn *f, enum tariff_model model, const struct tariff_scenario *s,
			 int partner, const struct tariff_params *p, struct tariff_revmax *rm,
			 struct tc_err *err)
{
	enum { NGRID = 401 };
	double grid[NGRID], val[NGRID];
	gsl_min_fminimizer *mz;
	gsl_function F;
	size_t best = 0;
	int status, iter = 0, nok = 0;
	double a, b, m;

	/* Grid: 0 and a geometric grid from 0.1% to TARIFF_REVMAX_TOP (100 = 10,000%). */
	grid[0] = 0;
	for (int i = 1; i < NGRID; i++)
		grid[i] = 0.001 * pow(TARIFF_REVMAX_TOP / 0.001, (double)(i - 1) / (NGRID - 2));
	for (int i = 0; i < NGRID; i++) {
		val[i] = neg_revenue(grid[i], f);
		if (isfinite(val[i]))
			nok++;
		if (val[i] < val[best])
			best = (size_t)i;
	}
	rm->failed = f->failed;
	if (!nok)
		return tc_fail(err, "revenue maximum: the %s model fails at every rate from 0 to %g%% "
			       "(import-demand elasticity %g, substitution %g)", tariff_model_name(model),
			       100 * TARIFF_REVMAX_TOP, p->eps, p->sigma);
	if (best == NGRID - 1) {	/* still rising where the search ends */
		rm->beyond_range = 1;
		return 0;
	}
	rm->exists = 1;
	if (best == 0 || !isfinite(val[best - 1]) || !isfinite(val[best + 1])) {
		rm->t_numeric = grid[best];
		rm->revenue = -val[best];
	} else {
		a = grid[best - 1];
		b = grid[best + 1];
		m = grid[best];
		mz = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
		if (!mz)
			return tc_fail(err, "revenue maximum: unable to allocate the minimiser");
		F.function = neg_revenue;
		F.params = f;
		status = gsl_min_fminimizer_set_with_values(mz, &F, m, val[best], a, val[best - 1],
							    b, val[best + 1]);
		if (status == GSL_EINVAL) {
			/* flat top (equal neighbours): the grid point is the answer */
			gsl_min_fminimizer_free(mz);
			rm->t_numeric = m;
			rm->revenue = -val[best];
		} else {
			/*
			** Revenue is flat at its maximum, so t is known to about
			** sqrt(machine epsilon) relative (Brent stalls near 4e-8 there):
			** stop when the bracket is 1e-6 + 1e-6 t wide (1e-4 points).
			*/
			status = GSL_CONTINUE;
			while (status == GSL_CONTINUE && iter < 200) {
				iter++;
				status = gsl_min_fminimizer_iterate(mz);
				if (status)
					break;
				m = gsl_min_fminimizer_x_minimum(mz);
				a = gsl_min_fminimizer_x_lower(mz);
				b = gsl_min_fminimizer_x_upper(mz);
				status = gsl_min_test_interval(a, b, 1e-6, 1e-6);
			}
			gsl_min_fminimizer_free(mz);
			if (status != GSL_SUCCESS)
				return tc_fail(err, "revenue maximum: minimiser failed: %s",
					       status == GSL_CONTINUE ? "too many iterations"
								      : gsl_strerror(status));
			rm->t_numeric = m;
		}
	}
	rm->iterations = iter;
	{
		/* the full model at the maximum (its revenue is the search's, bit for bit) */
		struct tariff_scenario q = *s;
		struct tariff_result r;
		q.m[partner].t1 = rm->t_numeric;
		if (tariff_eval(model, &q, p, &r, err))
			return -1;
		rm->revenue = r.total.rev1;
		rm->revenue_partner = r.p[partner].rev1;
	}
	return 0;
}

int tariff_revenue_max(enum tariff_model model, const struct tariff_scenario *s, int partner,
		       const struct tariff_params *p, struct tariff_revmax *rm, struct tc_err *err)
{
	struct revfn f;
	double phi;
	int rc;

	memset(rm, 0, sizeof(*rm));
	rm->t_numeric = rm->t_closed = rm->revenue = rm->revenue_partner = NAN;
	if (partner < 0 || partner >= TARIFF_NPARTNERS || !s->m[partner].present)
		return tc_fail(err, "revenue maximum: partner not in the scenario");
	if (tariff_params_check(p, err) || tariff_scenario_check(s, err))
		return -1;
	phi = tariff_phi(p, p->eps);
	/* Single-market references. */
	if (model != TARIFF_SMART) {
		if (p->eps > 1 && phi > 0)
			rm->t_closed = 1 / (phi * (p->eps - 1));
	} else if (phi > 0) {
		/* R = t M0 (1 - eps phi (t - t0)/(1+t0)) -> t* = (1 + t0 + eps phi t0)/(2 eps phi) */
		double t0 = s->m[partner].t0;
		rm->t_closed = (1 + t0 + p->eps * phi * t0) / (2 * p->eps * phi);
	}
	/*
	** Every rate through tariff_rev_at: the checks once, revenue and the
	** failure decision only, bit for bit those of tariff_eval.
	*/
	if (tariff_rev_init(&f.c, model, s, partner, p, err))
		return -1;
	f.failed = 0;
	rc = revmax_search(&f, model, s, partner, p, rm, err);
	tariff_rev_free(&f.c);
	return rc;
}

/* ---------------------------------------------------------------- sweep */

int tariff_sweep(enum tariff_model model, const struct tariff_scenario *s, int partner,
		 const struct tariff_params *p, const double *rates, size_t n,
		 struct tariff_result *rows, int *ok, struct tc_err *why, struct tc_err *err)
{
	struct tariff_scenario q = *s;

	if (partner < 0 || partner >= TARIFF_NPARTNERS || !s->m[partner].present)
		return tc_fail(err, "sweep: partner not in the scenario");
	if (tariff_params_check(p, err) || tariff_scenario_check(s, err))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(rates[i]) || rates[i] < 0 || rates[i] > TARIFF_MAX_RATE)
			return tc_fail(err, "sweep: rate %g%% is outside [0, %g%%]", 100 * rates[i],
				       100 * TARIFF_MAX_RATE);
	for (size_t i = 0; i < n; i++) {
		struct tc_err e;
		q.m[partner].t1 = rates[i];
		tc_err_init(&e);
		ok[i] = !tariff_eval(model, &q, p, &rows[i], &e);
		if (why)
			why[i] = e;
	}
	return 0;
}

/* ----------------------------------------------------------------- grid */

size_t tariff_grid_size(const struct tariff_grid_axes *ax)
{
	return ax->neps * ax->nsigma * ax->nex * ax->npt;
}

int tariff_grid(enum tariff_model model, const struct tariff_scenario *s,
		const struct tariff_params *base, const struct tariff_grid_axes *ax,
		struct tariff_grid_row *rows, struct tc_err *err)
{
	gsl_multiroot_fdfsolver *ws = NULL;
	size_t row = 0;
	int n = 0;

	if (!ax->neps || !ax->nsigma || !ax->nex || !ax->npt)
		return tc_fail(err, "sensitivity grid: every list needs at least one value");
	if (tariff_scenario_check(s, err))
		return -1;
	for (int k = 0; k < TARIFF_NPARTNERS; k++)
		n += s->m[k].present;
	for (size_t i = 0; i < ax->nex; i++)
		if (isfinite(ax->ex[i]) && model != TARIFF_SMART) {
			ws = tariff_gsim_solver_alloc(n);	/* one solver for the whole grid */
			if (!ws)
				return tc_fail(err, "sensitivity grid: unable to allocate the solver");
			break;
		}
	for (size_t a = 0; a < ax->neps; a++)
		for (size_t b = 0; b < ax->nsigma; b++)
			for (size_t c = 0; c < ax->nex; c++)
				for (size_t d = 0; d < ax->npt; d++) {
					struct tariff_grid_row *g = &rows[row++];
					struct tariff_result r;
					g->p = *base;
					g->p.eps = ax->eps[a];
					g->p.sigma = ax->sigma[b];
					g->p.ex = ax->ex[c];
					g->p.pass_through = ax->pass_through[d];
					tc_err_init(&g->why);
					g->ok = !tariff_eval_ws(model, s, &g->p, ws, &r, &g->why);
					if (g->ok) {
						g->total = r.total;
						g->iterations = r.iterations;
					} else {
						memset(&g->total, 0, sizeof(g->total));
						g->iterations = 0;
					}
				}
	if (ws)
		gsl_multiroot_fdfsolver_free(ws);
	return 0;
}

/*
** model_tariff.c: the ces, smart and gsim tariff models and the
** revenue-maximising tariff.  Pure: no I/O, no globals.
** Equations and citations: docs/tariff-methods.md.
*/
#include "tocalc/tariff.h"
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

/* ------------------------------------------------------------------ ces */

void ces_plan_init(struct ces_plan *pl, const struct tariff_scenario *s, double phi)
{
	memset(pl, 0, sizeof(*pl));
	pl->phi = phi;
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct tariff_market *m = &s->m[k];
		int i = pl->n;
		if (!m->present)
			continue;
		pl->idx[i] = k;
		pl->m0[i] = m->m0;
		pl->t0[i] = m->t0;
		pl->t1[i] = m->t1;
		pl->v0[i] = m->m0 * (1 + m->t0);
		pl->lr[i] = log((1 + m->t1) / (1 + m->t0));
		pl->pd[i] = exp(phi * pl->lr[i]);
		pl->w[i] = exp((phi - 1) * pl->lr[i]);
		pl->rev0 += m->t0 * m->m0;
		pl->rev1_static += m->t1 * m->m0;
		pl->m0tot += m->m0;
		pl->n++;
	}
}

/*
** Exact-CES two-margin model.  For each partner k with L = ln(T1/T0):
**   buyer price ratio   pd = exp(phi L),  world price ratio w = exp((phi-1) L)
**   creation            M' = M0 pd^-eps
**   diversion           M1 = Q' M' pd^-sigma / sum_j M'_j pd_j^-sigma,  Q' = sum M'
**   consumer surplus    dCS = -V0 (pd^(1-eps) - 1)/(1-eps)  (V0 = M0 T0; -V0 ln pd at eps=1)
** Hot path of the Monte Carlo: no allocation, 2 exp() per partner whose tariff moves.
*/
void ces_core(const struct ces_plan *pl, double eps, double sigma, double phi, double households,
	      struct ces_out *o)
{
	double q = 0, den = 0, one_m_eps = 1 - eps, inv, qd;
	int nearly_one = fabs(one_m_eps) < 1e-9, same_phi = phi == pl->phi;
	int divert = sigma > 0 && pl->n > 1;
	struct tariff_totals *T = &o->tot;

	inv = nearly_one ? 0 : 1 / one_m_eps;
	T->creation = T->rev1 = T->dcs = T->tot_gain = T->m1 = 0;
	for (int i = 0; i < pl->n; i++) {
		double L = pl->lr[i];
		if (L == 0) {
			o->pd[i] = 1;
			o->w[i] = 1;
			o->mp[i] = pl->m0[i];
			o->b[i] = 1;
			o->dcs[i] = 0;
		} else {
			double pl_ = phi * L;
			double pd = same_phi ? pl->pd[i] : exp(pl_);
			double a = exp(-eps * pl_);
			o->pd[i] = pd;
			o->w[i] = same_phi ? pl->w[i] : exp((phi - 1) * L);
			o->mp[i] = pl->m0[i] * a;
			o->b[i] = divert ? exp(-sigma * pl_) : 1;
			o->dcs[i] = nearly_one ? -pl->v0[i] * pl_ : -pl->v0[i] * (a * pd - 1) * inv;
		}
		q += o->mp[i];
		den += o->mp[i] * o->b[i];
		T->dcs += o->dcs[i];
	}
	qd = divert ? q / den : 1;
	for (int i = 0; i < pl->n; i++) {
		double m1 = divert ? qd * o->mp[i] * o->b[i] : o->mp[i];
		o->m1[i] = m1;
		o->rev1[i] = pl->t1[i] * m1 * o->w[i];
		T->m1 += m1;
		T->rev1 += o->rev1[i];
		T->tot_gain += m1 * (1 - o->w[i]);
	}
	T->m0 = pl->m0tot;
	T->creation = q - pl->m0tot;
	T->rev0 = pl->rev0;
	T->rev1_static = pl->rev1_static;
	T->dm = T->m1 - T->m0;
	T->diversion = 0;
	T->drev = T->rev1 - T->rev0;
	T->net_welfare = T->dcs + T->drev;
	T->dwl = T->tot_gain - T->net_welfare;
	T->cost_per_household = -T->dcs * 1e6 / households;	/* NAN stays NAN */
}

static void eval_ces(const struct tariff_scenario *s, const struct tariff_params *p,
		     struct tariff_result *r)
{
	struct ces_plan pl;
	struct ces_out o;
	double phi = tariff_phi(p, p->eps);

	ces_plan_init(&pl, s, phi);
	ces_core(&pl, p->eps, p->sigma, phi, p->households, &o);
	for (int i = 0; i < pl.n; i++) {
		struct tariff_partner_result *pr = &r->p[pl.idx[i]];
		pr->creation = o.mp[i] - pl.m0[i];
		pr->diversion = o.m1[i] - o.mp[i];
		pr->m1 = o.m1[i];
		pr->price_change = o.pd[i] - 1;
		pr->world_price_change = o.w[i] - 1;
		pr->rev1 = o.rev1[i];
		pr->dcs = o.dcs[i];
	}
	r->total = o.tot;
}

/* ---------------------------------------------------------------- smart */

/*
** WITS SMART, linearised (methods.md A1):
**   creation   TC = M0 Em dt / [(1+t0)(1 - Em/Ex)]   (phi dt when Ex is infinite)
**   diversion  TD_k = Q0 M_k (1 - Es r_k) / sum_j M_j (1 - Es r_j) - M_k,  r = T1/T0 - 1
**              (SMART's two-partner formula when only one partner's price moves)
**   revenue    TR = t M (world price 1); welfare W = 0.5 |dt| |TC|
*/
static void eval_smart(const struct tariff_scenario *s, const struct tariff_params *p,
		       struct tariff_result *r)
{
	double q0 = 0, den = 0;
	double shift[TARIFF_NPARTNERS];
	int npresent = 0;
	int inf = !isfinite(p->ex);
	struct tariff_totals *T = &r->total;

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
		den += m->m0 * shift[k];
		T->dwl += 0.5 * fabs(dt) * fabs(pr->creation);
	}
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
			pr->diversion = NAN;	/* the linearisation breaks down */
		pr->m1 = m->m0 + pr->creation + pr->diversion;
		pr->rev1 = m->t1 * pr->m1;
		T->creation += pr->creation;
		T->dcs += pr->dcs;
	}
	T->tot_gain = NAN;	/* SMART keeps the world price at 1 in revenue */
}

/* ----------------------------------------------------------------- gsim */

struct gsim_sys {
	int n;
	double N[TARIFF_NPARTNERS][TARIFF_NPARTNERS];
	double dT[TARIFF_NPARTNERS];
	double ex;
};

static int gsim_f(const gsl_vector *x, void *params, gsl_vector *f)
{
	const struct gsim_sys *g = params;
	for (int r = 0; r < g->n; r++) {
		double v = 0;
		for (int s = 0; s < g->n; s++)
			v += g->N[r][s] * (gsl_vector_get(x, (size_t)s) + g->dT[s]);
		gsl_vector_set(f, (size_t)r, v - g->ex * gsl_vector_get(x, (size_t)r));
	}
	return GSL_SUCCESS;
}

static int gsim_df(const gsl_vector *x, void *params, gsl_matrix *J)
{
	const struct gsim_sys *g = params;
	(void)x;
	for (int r = 0; r < g->n; r++)
		for (int s = 0; s < g->n; s++)
			gsl_matrix_set(J, (size_t)r, (size_t)s, g->N[r][s] - (r == s ? g->ex : 0));
	return GSL_SUCCESS;
}

static int gsim_fdf(const gsl_vector *x, void *params, gsl_vector *f, gsl_matrix *J)
{
	gsim_f(x, params, f);
	gsim_df(x, params, J);
	return GSL_SUCCESS;
}

gsl_multiroot_fdfsolver *tariff_gsim_solver_alloc(int n)
{
	return gsl_multiroot_fdfsolver_alloc(gsl_multiroot_fdfsolver_hybridsj, (size_t)n);
}

/*
** GSIM (Francois & Hall; methods.md A2), one importer (US):
**   theta_r = M_r T0_r / sum_s M_s T0_s
**   N_own = -theta_r eps - (1 - theta_r) sigma,  N_cross(r,s) = theta_s (sigma - eps)
**   %dM_r = sum_s N(r,s) (x_s + dT_s),  dT = T1/T0 - 1
**   clearing: %dM_r = Ex x_r for every exporter r (solved jointly)
*/
static int eval_gsim(const struct tariff_scenario *s, const struct tariff_params *p,
		     gsl_multiroot_fdfsolver *ws, struct tariff_result *r, struct tc_err *err)
{
	struct gsim_sys g;
	int idx[TARIFF_NPARTNERS];
	double theta[TARIFF_NPARTNERS], x[TARIFF_NPARTNERS], lin[TARIFF_NPARTNERS];
	double v = 0, q0 = 0, linbar = 0, dP = 0;
	struct tariff_totals *T = &r->total;

	g.n = 0;
	g.ex = p->ex;
	for (int k = 0; k < TARIFF_NPARTNERS; k++)
		if (s->m[k].present) {
			const struct tariff_market *m = &s->m[k];
			idx[g.n] = k;
			g.dT[g.n] = (1 + m->t1) / (1 + m->t0) - 1;
			theta[g.n] = m->m0 * (1 + m->t0);
			v += theta[g.n];
			q0 += m->m0;
			g.n++;
		}
	for (int i = 0; i < g.n; i++)
		theta[i] /= v;
	for (int i = 0; i < g.n; i++)
		for (int j = 0; j < g.n; j++)
			g.N[i][j] = i == j ? -theta[i] * p->eps - (1 - theta[i]) * p->sigma
					   : theta[j] * (p->sigma - p->eps);

	if (!isfinite(p->ex)) {
		for (int i = 0; i < g.n; i++)
			x[i] = -(1 - p->pass_through) * g.dT[i];
		r->iterations = 0;
	} else {
		gsl_multiroot_function_fdf F = { gsim_f, gsim_df, gsim_fdf, (size_t)g.n, &g };
		gsl_vector_view xv;
		double x0[TARIFF_NPARTNERS] = { 0 };
		int status, iter = 0, own = 0;

		if (!ws || ws->x->size != (size_t)g.n) {
			ws = tariff_gsim_solver_alloc(g.n);
			if (!ws)
				return tc_fail(err, "gsim: unable to allocate the multiroot solver");
			own = 1;
		}
		xv = gsl_vector_view_array(x0, (size_t)g.n);
		status = gsl_multiroot_fdfsolver_set(ws, &F, &xv.vector);
		while (status == GSL_SUCCESS && iter < 100) {
			iter++;
			status = gsl_multiroot_fdfsolver_iterate(ws);
			if (status)
				break;
			status = gsl_multiroot_test_residual(ws->f, 1e-12);
			if (status != GSL_CONTINUE)
				break;
			status = GSL_SUCCESS;
		}
		if (status == GSL_SUCCESS)
			for (int i = 0; i < g.n; i++)
				x[i] = gsl_vector_get(ws->x, (size_t)i);
		if (own)
			gsl_multiroot_fdfsolver_free(ws);
		if (status != GSL_SUCCESS)
			return tc_fail(err, "gsim: world prices did not converge: %s",
				       status == GSL_CONTINUE ? "too many iterations" : gsl_strerror(status));
		r->iterations = iter;
	}
	for (int i = 0; i < g.n; i++) {
		lin[i] = x[i] + g.dT[i];
		linbar += s->m[idx[i]].m0 * lin[i];
	}
	linbar /= q0;
	T->tot_gain = 0;
	for (int i = 0; i < g.n; i++) {
		const struct tariff_market *m = &s->m[idx[i]];
		struct tariff_partner_result *pr = &r->p[idx[i]];
		double pct = 0, d;
		for (int j = 0; j < g.n; j++)
			pct += g.N[i][j] * lin[j];
		pr->m1 = m->m0 * (1 + pct);
		pr->world_price_change = x[i];
		d = (1 + x[i]) * (1 + g.dT[i]) - 1;
		pr->price_change = d;
		pr->rev1 = m->t1 * pr->m1 * (1 + x[i]);
		pr->diversion = -p->sigma * m->m0 * (lin[i] - linbar);
		pr->creation = pr->m1 - m->m0 - pr->diversion;
		pr->dcs = NAN;
		dP += theta[i] * d;
		T->creation += pr->creation;
		T->tot_gain += -pr->m1 * x[i];
	}
	T->dcs = -v * dP + 0.5 * p->eps * v * dP * dP;
	return 0;
}

/* --------------------------------------------------------------- common */

/* A value that must be finite; `may_be_nan` for the documented missing values. */
static int bad_num(double v, int may_be_nan)
{
	return isinf(v) || (isnan(v) && !may_be_nan);
}

/*
** Every output finite but the documented missing values (tariff.h)?
** Fails with a message that names the inputs the model could not handle.
*/
static int check_result(enum tariff_model model, const struct tariff_scenario *s,
			const struct tariff_params *p, const struct tariff_result *r,
			struct tc_err *err)
{
	const struct tariff_totals *T = &r->total;
	int smart = model == TARIFF_SMART, und = r->undefined;
	int bad = bad_num(T->m1, und) || bad_num(T->dm, und) || bad_num(T->creation, 0) ||
		  bad_num(T->diversion, und) || bad_num(T->rev0, 0) || bad_num(T->rev1_static, 0) ||
		  bad_num(T->rev1, und) || bad_num(T->drev, und) || bad_num(T->dcs, 0) ||
		  bad_num(T->dwl, und) || bad_num(T->tot_gain, smart) ||
		  bad_num(T->net_welfare, und) || isinf(T->cost_per_household);

	for (int k = 0; k < TARIFF_NPARTNERS && !bad; k++) {
		const struct tariff_partner_result *pr = &r->p[k];
		if (!s->m[k].present)
			continue;
		bad = bad_num(pr->creation, 0) || bad_num(pr->diversion, und) || bad_num(pr->m1, und) ||
		      bad_num(pr->dm, und) || bad_num(pr->price_change, 0) ||
		      bad_num(pr->world_price_change, 0) || bad_num(pr->rev1, und) ||
		      bad_num(pr->drev, und) || bad_num(pr->dcs, model == TARIFF_GSIM);
	}
	if (!bad)
		return 0;
	return tc_fail(err, "%s model: the result is not a finite number (import-demand elasticity %g, "
		       "substitution %g): the tariff change is too large for these elasticities",
		       tariff_model_name(model), p->eps, p->sigma);
}

/* tariff_eval_ws; check_finite = 0 leaves non-finite outputs in r (the revenue grid). */
static int eval_ws(enum tariff_model model, const struct tariff_scenario *s,
		   const struct tariff_params *p, gsl_multiroot_fdfsolver *ws,
		   struct tariff_result *r, int check_finite, struct tc_err *err)
{
	struct tariff_totals *T = &r->total;

	memset(r, 0, sizeof(*r));
	r->model = model;
	if (tariff_params_check(p, err) || tariff_scenario_check(s, err))
		return -1;
	switch (model) {
	case TARIFF_CES:
		eval_ces(s, p, r);
		break;
	case TARIFF_SMART:
		eval_smart(s, p, r);
		break;
	case TARIFF_GSIM:
		if (eval_gsim(s, p, ws, r, err))
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
		pr->dm = pr->m1 - m->m0;
		pr->rev0 = m->t0 * m->m0;
		pr->rev1_static = m->t1 * m->m0;
		pr->drev = pr->rev1 - pr->rev0;
		if (pr->m1 < 0)
			r->negative_imports = 1;
		if (!isfinite(pr->m1))
			r->undefined = 1;
		T->m0 += m->m0;
		T->m1 += pr->m1;
		T->diversion += pr->diversion;
		T->rev0 += pr->rev0;
		T->rev1_static += pr->rev1_static;
		T->rev1 += pr->rev1;
	}
	T->dm = T->m1 - T->m0;
	T->drev = T->rev1 - T->rev0;
	T->net_welfare = T->dcs + T->drev;
	if (model != TARIFF_SMART)	/* smart reports SMART's own W */
		T->dwl = T->tot_gain - T->net_welfare;
	T->cost_per_household = -T->dcs * 1e6 / p->households;
	if (!isfinite(T->cost_per_household))
		T->cost_per_household = NAN;
	return check_finite ? check_result(model, s, p, r, err) : 0;
}

int tariff_eval_ws(enum tariff_model model, const struct tariff_scenario *s,
		   const struct tariff_params *p, gsl_multiroot_fdfsolver *ws,
		   struct tariff_result *r, struct tc_err *err)
{
	return eval_ws(model, s, p, ws, r, 1, err);
}

int tariff_eval(enum tariff_model model, const struct tariff_scenario *s,
		const struct tariff_params *p, struct tariff_result *r, struct tc_err *err)
{
	return tariff_eval_ws(model, s, p, NULL, r, err);
}

/* ---------------------------------------------------- revenue maximum */

struct revfn {
	enum tariff_model model;
	struct tariff_scenario s;
	const struct tariff_params *p;
	int partner;
	int failed;
	struct tc_err err;
};

/* Minus total revenue at partner tariff t (huge when undefined). */
static double neg_revenue(double t, void *ud)
{
	struct revfn *f = ud;
	struct tariff_result r;

	f->s.m[f->partner].t1 = t;
	if (eval_ws(f->model, &f->s, f->p, NULL, &r, 0, &f->err)) {
		f->failed = 1;
		return 1e300;
	}
	if (!isfinite(r.total.rev1))
		return 1e300;
	return -r.total.rev1;
}

int tariff_revenue_max(enum tariff_model model, const struct tariff_scenario *s, int partner,
		       const struct tariff_params *p, struct tariff_revmax *rm, struct tc_err *err)
{
	enum { NGRID = 401 };
	struct revfn f;
	double grid[NGRID], val[NGRID], phi = tariff_phi(p, p->eps);
	gsl_min_fminimizer *mz;
	gsl_function F;
	size_t best = 0;
	int status, iter = 0;
	double a, b, m;

	rm->exists = 0;
	rm->t_numeric = rm->t_closed = rm->revenue = rm->revenue_partner = NAN;
	rm->iterations = 0;
	if (partner < 0 || partner >= TARIFF_NPARTNERS || !s->m[partner].present)
		return tc_fail(err, "revenue maximum: partner not in the scenario");
	if (tariff_params_check(p, err) || tariff_scenario_check(s, err))
		return -1;
	/* Single-market closed forms. */
	if (model == TARIFF_CES) {
		if (p->eps <= 1 || phi <= 0)
			return 0;	/* revenue rises without bound */
		rm->t_closed = 1 / (phi * (p->eps - 1));
	} else if (model == TARIFF_SMART) {
		/* R = t M0 (1 - eps phi (t - t0)/(1+t0)) -> t* = (1 + t0 + eps phi t0)/(2 eps phi) */
		double t0 = s->m[partner].t0;
		if (phi > 0)
			rm->t_closed = (1 + t0 + p->eps * phi * t0) / (2 * p->eps * phi);
	}
	f.model = model;
	f.s = *s;
	f.p = p;
	f.partner = partner;
	f.failed = 0;
	tc_err_init(&f.err);
	/* Grid: 0 and a geometric grid from 0.1% to TARIFF_REVMAX_T (100 = 10,000%). */
	grid[0] = 0;
	for (int i = 1; i < NGRID; i++)
		grid[i] = 0.001 * pow(TARIFF_REVMAX_T / 0.001, (double)(i - 1) / (NGRID - 2));
	for (int i = 0; i < NGRID; i++) {
		val[i] = neg_revenue(grid[i], &f);
		if (f.failed) {
			*err = f.err;
			return -1;
		}
		if (val[i] < val[best])
			best = (size_t)i;
	}
	if (best == NGRID - 1)
		return 0;	/* still rising at the top of the grid: no maximum found */
	rm->exists = 1;
	if (best == 0) {
		rm->t_numeric = 0;
		rm->revenue = -val[0];
	} else {
		a = grid[best - 1];
		b = grid[best + 1];
		m = grid[best];
		mz = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
		if (!mz)
			return tc_fail(err, "revenue maximum: unable to allocate the minimiser");
		F.function = neg_revenue;
		F.params = &f;
		status = gsl_min_fminimizer_set_with_values(mz, &F, m, val[best], a, val[best - 1],
							    b, val[best + 1]);
		if (status == GSL_EINVAL) {
			/* flat top (equal neighbours): the grid point is the answer */
			gsl_min_fminimizer_free(mz);
			rm->t_numeric = m;
			rm->revenue = -val[best];
		} else {
			while (status == GSL_SUCCESS && iter < 200) {
				iter++;
				status = gsl_min_fminimizer_iterate(mz);
				if (status)
					break;
				m = gsl_min_fminimizer_x_minimum(mz);
				a = gsl_min_fminimizer_x_lower(mz);
				b = gsl_min_fminimizer_x_upper(mz);
				status = gsl_min_test_interval(a, b, 1e-12, 1e-12);
				if (status != GSL_CONTINUE)
					break;
				status = GSL_SUCCESS;
			}
			gsl_min_fminimizer_free(mz);
			if (f.failed) {
				*err = f.err;
				return -1;
			}
			if (status != GSL_SUCCESS)
				return tc_fail(err, "revenue maximum: minimiser failed: %s",
					       status == GSL_CONTINUE ? "too many iterations"
								      : gsl_strerror(status));
			rm->t_numeric = m;
			rm->revenue = -neg_revenue(m, &f);
		}
	}
	rm->iterations = iter;
	{
		struct tariff_result r;
		f.s.m[partner].t1 = rm->t_numeric;
		if (tariff_eval(model, &f.s, p, &r, err))
			return -1;
		rm->revenue_partner = r.p[partner].rev1;
	}
	return 0;
}

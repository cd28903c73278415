/*
** model_tariff_impl.h: internals shared by model_tariff.c,
** model_tariff_search.c and model_tariff_mc.c (not a public contract; see
** include/tocalc/model_tariff.h).
*/
#ifndef TOCALC_MODEL_TARIFF_IMPL_H
#define TOCALC_MODEL_TARIFF_IMPL_H

#include <gsl/gsl_multiroots.h>
#include "tocalc/model_tariff.h"

/* Pass-through share of the tariff change reaching buyers (ex/(ex+eps) when ex is finite). */
double tariff_phi(const struct tariff_params *p, double eps);
/* The world-price solver for n partners (NULL on allocation failure); caller frees. */
gsl_multiroot_fdfsolver *tariff_gsim_solver_alloc(int n);
/* tariff_eval with a caller-owned solver for n partners (or NULL: allocated when needed). */
int tariff_eval_ws(enum tariff_model model, const struct tariff_scenario *s,
		   const struct tariff_params *p, gsl_multiroot_fdfsolver *ws,
		   struct tariff_result *r, struct tc_err *err);

/*
** The nested Armington model's state (model_tariff.c): the scenario's
** present partners in partner order and the parameters.  tariff_eval
** sets it up from scratch; the revenue search (struct tariff_rev) keeps
** it between evaluations and moves one partner's t1 only.
*/
struct tariff_arm {
	int n;
	int idx[TARIFF_NPARTNERS];
	double m0[TARIFF_NPARTNERS], t0[TARIFF_NPARTNERS], t1[TARIFF_NPARTNERS];
	double th[TARIFF_NPARTNERS];	/* base expenditure weights m0 T0 (not normalised) */
	double L[TARIFF_NPARTNERS];	/* ln(T1/T0) */
	double V0;			/* sum m0 T0 */
	double m0tot;			/* sum m0 */
	double eps, sigma, ex;
	double y[TARIFF_NPARTNERS];	/* the solution: ln w, world prices */
	double lr[TARIFF_NPARTNERS];	/* y + L, buyers' prices */
	/*
	** Revenue search only (0 in tariff_eval), infinite supply only:
	** `keep` has bit i set for the partners whose rates do not move, whose
	** y, lr, em = expm1((1 - sigma) lr), w1 = expm1(y) and pc = expm1(lr)
	** are the values tariff_eval computes from the same operands (computed
	** once); with `rev_only` the result is total revenue and the failure
	** decision only (model_tariff.c, eval_armington).
	*/
	unsigned keep;
	int rev_only;
	double rev0;			/* rev_only: total revenue before, sum t0 m0 */
	/* keep: the moving partner (every other one is kept); arm_lnpi's max of (1 - sigma) lr over the others,
	   their th em, and the sum of those before mv (from 0, in order) */
	int mv;
	double cmax, tem[TARIFF_NPARTNERS], pre;
	double w1p[TARIFF_NPARTNERS];	/* 1 + w1 (the mover's set at each rate) */
	double em[TARIFF_NPARTNERS], w1[TARIFF_NPARTNERS], pc[TARIFF_NPARTNERS];
};

/*
** Total revenue of the model at one partner's t1, for the revenue search:
** tariff_rev_init checks the parameters and the scenario once (as
** tariff_eval does, same messages) and prepares what does not depend on
** that t1; tariff_rev_at(t) returns 0 and *rev bit for bit equal to
** tariff_eval's total.rev1 with s->m[partner].t1 = t, or -1 exactly where
** tariff_eval fails (no message).  tariff_rev_free frees the world-price
** solver (finite supply).  The struct is caller-owned; s and p are copied.
*/
struct tariff_rev {
	enum tariff_model model;
	int partner, ai;	/* ai: the partner's index in arm */
	struct tariff_scenario s;
	struct tariff_params p;
	double lt0;		/* log1p(t0) of the partner */
	struct tariff_arm a;
	gsl_multiroot_fdfsolver *ws;
	struct tariff_result r;	/* work space */
};
int tariff_rev_init(struct tariff_rev *c, enum tariff_model model, const struct tariff_scenario *s,
		    int partner, const struct tariff_params *p, struct tc_err *err);
int tariff_rev_at(struct tariff_rev *c, double t, double *rev);
void tariff_rev_free(struct tariff_rev *c);

/* The revenue search's grid (model_tariff_search.c): 0, then 0.001 (1e5)^((i - 1) / 399). */
#define TARIFF_REVMAX_NGRID 401
extern const double tariff_revmax_grid[TARIFF_REVMAX_NGRID];

/*
** tariff_mc_stats with the pilot windows `sigmas` binomial standard
** deviations wide (tariff_mc_stats: 5); the tests pass 0 to force the
** replay that collects ranks outside every window.
*/
int tariff_mc_stats_sigmas(enum tariff_model model, const struct tariff_scenario *s,
			   const struct tariff_params *p, const struct tariff_mc_dist *d,
			   size_t draws, gsl_rng *rng, struct tariff_mc_summary sum[TARIFF_MC_NOUT],
			   double sigmas, struct tc_err *err);

#endif

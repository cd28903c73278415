/*
** model_tariff_impl.h: internals shared by model_tariff.c and
** model_tariff_mc.c (not a public contract; see include/tocalc/tariff.h).
*/
#ifndef TOCALC_MODEL_TARIFF_IMPL_H
#define TOCALC_MODEL_TARIFF_IMPL_H

#include <gsl/gsl_multiroots.h>
#include "tocalc/tariff.h"

/* Upper end of the revenue-maximum search, as a fraction (100 = 10,000%). */
#define TARIFF_REVMAX_T 100.0

/* Scenario constants of the ces model, precomputed once (Monte Carlo). */
struct ces_plan {
	int n;				/* partners present */
	int idx[TARIFF_NPARTNERS];	/* enum tariff_partner of each */
	double m0[TARIFF_NPARTNERS], t0[TARIFF_NPARTNERS], t1[TARIFF_NPARTNERS];
	double v0[TARIFF_NPARTNERS];	/* m0 (1 + t0): base value at buyers' prices */
	double lr[TARIFF_NPARTNERS];	/* ln((1 + t1)/(1 + t0)) */
	double rev0, rev1_static, m0tot;	/* totals that do not depend on elasticities */
	double phi;			/* pass-through pd[] and w[] were computed for */
	double pd[TARIFF_NPARTNERS];	/* exp(phi lr) */
	double w[TARIFF_NPARTNERS];	/* exp((phi - 1) lr) */
};

struct ces_out {
	double pd[TARIFF_NPARTNERS], w[TARIFF_NPARTNERS], mp[TARIFF_NPARTNERS];
	double b[TARIFF_NPARTNERS], m1[TARIFF_NPARTNERS], rev1[TARIFF_NPARTNERS];
	double dcs[TARIFF_NPARTNERS];
	struct tariff_totals tot;
};

/* Precompute; phi is the pass-through the draws will mostly use (others work too). */
void ces_plan_init(struct ces_plan *pl, const struct tariff_scenario *s, double phi);
void ces_core(const struct ces_plan *pl, double eps, double sigma, double phi, double households,
	      struct ces_out *o);
double tariff_phi(const struct tariff_params *p, double eps);
gsl_multiroot_fdfsolver *tariff_gsim_solver_alloc(int n);
int tariff_eval_ws(enum tariff_model model, const struct tariff_scenario *s,
		   const struct tariff_params *p, gsl_multiroot_fdfsolver *ws,
		   struct tariff_result *r, struct tc_err *err);

#endif

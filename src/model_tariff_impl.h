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
** tariff_mc_stats with the pilot windows `sigmas` binomial standard
** deviations wide (tariff_mc_stats: 5); the tests pass 0 to force the
** replay that collects ranks outside every window.
*/
int tariff_mc_stats_sigmas(enum tariff_model model, const struct tariff_scenario *s,
			   const struct tariff_params *p, const struct tariff_mc_dist *d,
			   size_t draws, gsl_rng *rng, struct tariff_mc_summary sum[TARIFF_MC_NOUT],
			   double sigmas, struct tc_err *err);

#endif

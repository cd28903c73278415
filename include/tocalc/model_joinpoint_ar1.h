/*
** model_joinpoint_ar1.h: AR(1) errors for a joinpoint model
** (src/model_joinpoint_ar1.c).
*/
#ifndef TOCALC_JOINPOINT_AR1_H
#define TOCALC_JOINPOINT_AR1_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "tocalc/model_joinpoint.h"

/*
** AR(1) errors (NCI Joinpoint's "autocorrelated errors" option): refit the
** model m (its joinpoints and x_ref kept) by generalised least squares with
** Var(e) = sigma^2 W^-1/2 R W^-1/2, R_ij = rho^|i-j| (observation order, as
** nlme::corAR1), W = diag(weights) or I.  rho: a given value in (-1, 1), or
** NAN to estimate it by restricted maximum likelihood (nlme::gls's default).
** out gets the coefficients, segments (APC, CI and p from t with
** df = n - (2k + 2), one fewer when rho is estimated) and slope covariance;
** BIC fields are NAN.  The caller releases out with jp_model_release().
** Errors: exit 2 for rho outside (-1, 1), exit 1 for too few points or an
** estimate at the edge of (-1, 1).
*/
int jp_ar1_refit(const double *x, const double *y, const double *weights, size_t n,
		 const struct jp_model *m, double rho, double level, struct jp_model *out,
		 double *rho_out, struct tc_err *err);

#endif

/*
** model_gsim.h: the multi-region GSIM of Francois and Hall (2003), solved
** exactly in levels (src/model_gsim.c; its reader: data_gsim.h).
**
** N regions, each an importer and an exporter of one product (national
** varieties, Armington).  Importer v buys the variety of exporter r at the
** internal price p(r,v) = (1 + t(r,v)) P*(r); P*(r) is r's world (export)
** price, the same in every destination, 1 in the base.  Flows are values
** at base world prices, so they are also base quantities.
**
**   composite price   pi_v = P_v1/P_v0 = [sum_r theta(r,v) rho(r,v)^(1-s_v)]^(1/(1-s_v)),
**                     rho(r,v) = p1(r,v)/p0(r,v), theta = base import shares at
**                     internal prices (the Cobb-Douglas limit when s_v = 1)
**   import demand     q(r,v) = M1/M0 = rho(r,v)^(-s_v) pi_v^(s_v - e_v)
**   export supply     X1(r) = X0(r) P*(r)^(x_r)   (x_r = inf: P*(r) = 1)
**   market clearing   sum_v M0(r,v) q(r,v) = X1(r) for every exporter r,
**                     solved for all world prices together (gsl_multiroot,
**                     hybridsj, in y = ln P*; the linearised GSIM of
**                     Francois and Hall is the starting point).
** Welfare (USD of the flows' unit):
**   consumer surplus  CS_v = -E0_v (pi_v^(1-e_v) - 1)/(1-e_v)  (E0_v ln pi_v when e_v = 1),
**                     E0_v = sum_r (1+t0(r,v)) M0(r,v), the area under the
**                     composite import-demand curve
**   producer surplus  PS_r = X0(r) (P*(r)^(1+x_r) - 1)/(1+x_r)
**   tariff revenue    R_v = sum_r t(r,v) P*(r) M(r,v); net_v = CS_v + PS_v + dR_v
** Equations and the published example: docs/gsim.md.
**
** Layers: gsim_solve and gsim_linear are pure (structs in, results out, no
** I/O); the reader lives in src/data_gsim.c.
*/
#ifndef TOCALC_MODEL_GSIM_H
#define TOCALC_MODEL_GSIM_H

#include <stddef.h>
#include "tocalc/util.h"

#define GSIM_MAX_REGIONS 500
#define GSIM_MAX_TARIFF_PCT 1000.0	/* percent */
#define GSIM_MAX_ELASTICITY 100.0	/* demand and substitution elasticities */
#define GSIM_MAX_SUPPLY 1e6		/* finite export-supply elasticities */

/*
** A GSIM case.  Matrices are n*n, row-major, cell [r*n + v] = exporter r
** (row) to importer v (column), as in the GSIM spreadsheets.  The struct
** owns every array and string; gsim_input_release() frees them.
*/
struct gsim_input {
	size_t n;
	char **names;		/* n region names */
	long *lines;		/* n lines of the regions in the input (0: none), for messages */
	double *eps_m;		/* import-demand elasticity (magnitude, >= 0) of importer v */
	double *sigma;		/* substitution elasticity (>= 0) of importer v */
	double *eps_x;		/* export-supply elasticity (>= 0 or INFINITY) of exporter r */
	double *flow;		/* base flows, value at base world prices (>= 0) */
	double *t0, *t1;	/* ad valorem tariffs before and after, fractions (0.25 = 25%) */
};

void gsim_input_init(struct gsim_input *in);
/* Allocate the arrays of an n-region case (names NULL, numbers 0). */
void gsim_input_alloc(struct gsim_input *in, size_t n);
void gsim_input_release(struct gsim_input *in);

/*
** Results; every array is owned by the struct (gsim_result_release).
** NAN marks what does not exist: the world price of a region that
** exports nothing, the composite price of one that imports nothing,
** q of a zero flow.
*/
struct gsim_result {
	size_t n;
	double *pw;		/* world price ratio P*1/P*0 of exporter r */
	double *pw_lin;		/* the linearised GSIM's proportional world-price change */
	double *q;		/* n*n quantity ratio M1/M0 */
	double *flow1;		/* n*n value after at the new world prices, P*(r) M1 */
	double *pindex;		/* composite import price ratio pi_v */
	double *exports0, *exports1;	/* by exporter, at world prices */
	double *imports0, *imports1;	/* by importer, at world prices (tariff excluded) */
	double *ps, *cs;		/* producer surplus of r, consumer surplus of v */
	double *rev0, *rev1;		/* tariff revenue of importer v */
	double *net;			/* cs + ps + rev1 - rev0 */
	int iterations;		/* multiroot iterations (0 when nothing to solve) */
	double residual;	/* max |ln demand - ln supply| at the solution */
};

void gsim_result_init(struct gsim_result *res);
void gsim_result_release(struct gsim_result *res);

/*
** Check a case: shapes and values in range, every region trades.
** Returns 0 or -1 with a message naming the region or cell.
*/
int gsim_check(const struct gsim_input *in, struct tc_err *err);

/*
** The linearised GSIM (Francois and Hall): proportional world-price
** changes phat[r] (n entries; 0 for fixed prices, NAN for regions that
** export nothing), from one linear solve (GSL LU).  Fails on a singular
** system with the exporter whose price is indeterminate.
*/
int gsim_linear(const struct gsim_input *in, double *phat, struct tc_err *err);

/*
** Solve the model in levels and fill res (initialised or released before).
** Fails (res released) when the input is invalid, the system is singular,
** the solver does not converge, or a result is not finite or not positive.
*/
int gsim_solve(const struct gsim_input *in, struct gsim_result *res, struct tc_err *err);

#endif

/*
** model_joinpoint_impl.h: what the pieces of the joinpoint model share
** (internal; the public interface is model_joinpoint.h and its companions
** model_joinpoint_ar1.h, model_joinpoint_empirical.h, model_joinpoint_compare.h).
**
**   model_joinpoint.c        options, limits and the analysis (jp_analyze), AAPC
**   model_joinpoint_grid.c   least squares, the exact grid search (the DP over
**                            knots, its bounds and heuristics), the exhaustive
**                            enumeration, the jump model
**   model_joinpoint_hudson.c joinpoints between observations (Hudson 1966)
**   model_joinpoint_fit.c    the final fit of one model: segments, CIs, criteria
**   model_joinpoint_perm.c   the sequential permutation test (Kim et al. 2000)
**   model_joinpoint_ar1.c, _empirical.c, _compare.c: the extensions of issue 14
**
** Internally x is mapped to t = (x - x0) / h (h = mean spacing) and ln y is
** centred (z); both leave SSE and the choice of joinpoints unchanged and
** keep the sums small.  Reported fits are recomputed on x by QR.  Weights
** enter the DP's prefix sums as multipliers (all 1: the unweighted
** arithmetic exactly).  Every function here is pure; memory is the caller's
** unless a *_release() says otherwise.
*/
#ifndef TOCALC_MODEL_JOINPOINT_IMPL_H
#define TOCALC_MODEL_JOINPOINT_IMPL_H

#include "tocalc/model_joinpoint.h"

#include <math.h>

/*
** Scales: the log-linear model fits ln y and reports 100 (e^slope - 1)
** (a percent change); the linear model fits y and reports the slope itself
** (a change in y units per unit of x).
*/
static inline double to_fit(int linear, double y) { return linear ? y : log(y); }
static inline double from_fit(int linear, double v) { return linear ? v : exp(v); }
static inline double pct(int linear, double slope) { return linear ? slope : 100 * expm1(slope); }

/* ---------- the dynamic program over knots (model_joinpoint_grid.c) ---------- */

#define DP_SEG_CACHE_MAX 400

struct dp_seg {
	double saa, sab, sbb, inv;
};

/* a v^2 + b v + c: least SSE of the points up to `node` given fitted value v there. */
struct quad {
	double a, b, c;
	double m;		/* least value, set when the quadratic is stored in a state */
	int node, prev;		/* prev: pool index of the parent, -1 for the root */
};

struct dp {
	size_t n;
	int kmax, E, B;
	const double *t;
	const double *w, *sw;			/* weights and their square roots, or NULL (all 1) */
	double *pw, *pt, *ptt, *pz, *pzt, *pzz;	/* (weighted) prefix sums over [0, m) */
	double z0;				/* z of the first point */
	struct dp_seg *seg;			/* n*n cache, or NULL */
	struct quad *pool;
	size_t plen, pcap;
	int *off, *cnt;				/* state (r, j) at r*n + j */
	double *smin;				/* least value of the state's quadratics */
	long *live;				/* non-empty states of the previous level, ascending */
	struct quad *cand;
	double *cmin, *clo, *chi;
	size_t ccap;
	double tol;
	/* lower bounds (discontinuous line fits), see jpi_dp_lower() */
	double *tbar, *vt;	/* y-independent parts of line fits over i..j, n*n cache or NULL */
	double *ivt, *ic;	/* 1 / vt and 1 / (weighted count), same cache (0 where j < i + 2) */
	double *line;		/* per run: SSE of one line over points i..j (n*n), or NULL */
	double *D;		/* (kmax + 1) * n: D[s*n + j] */
	double margin;
};

int jpi_lsq(const double *X, size_t n, size_t p, const double *z, const double *sw,
	       double *beta, double *sse, double *xtxinv, double *work);
void jpi_dp_init(struct dp *d, const double *t, const double *w, const double *sw, size_t n,
		    int kmax, int E, int B);
void jpi_dp_release(struct dp *d);
void jpi_dp_set_z(struct dp *d, const double *z);
void jpi_dp_lower(struct dp *d, int K, double *L);
void jpi_dp_run(struct dp *d, int K, const double *U, int future, double *sse, long *knots);
void jpi_build_grid_design(const double *t, size_t n, int k, const long *idx, double *X);
void jpi_enum_best(const double *t, const double *z, const double *sw, size_t n, int K, int E,
		      int B, double *sse, long *knots);
void jpi_dp_best(struct dp *d, const double *z, int K, double *sse, long *knots);
void jpi_jump_search(struct dp *d, const double *z, size_t n, long ji, int K, double *sse, long *knots);
void jpi_to_t(const double *x, size_t n, double *t);

/* ---------- Hudson (model_joinpoint_hudson.c) ---------- */

void jpi_hudson_search(const double *t, const double *z, const double *sw, size_t n, int k,
			  const long *grid, int E, int B, double *sse, double *tau, long *tau_index);

/* ---------- final fit of one model (model_joinpoint_fit.c) ---------- */

void jpi_model_release(struct jp_model *m);
void jpi_hinge_design(const double *x, size_t n, double xref, int k, const double *tau,
			 int skip, double *X);
int jpi_model_fit(const double *x, const double *lny, const double *sw, int linear, size_t n,
		     int k, const double *tau, const long *tau_index, long jump_index, double level,
		     double sse_floor, struct jp_model *m, struct tc_err *err);
void jpi_segment_stats(struct jp_model *m, const double *xtxinv, size_t p, size_t ns,
			  double sigma2, double tq, long df);

/* ---------- the permutation test (model_joinpoint_perm.c) ---------- */

struct perm_ctx {
	const double *t;
	const double *z;	/* centred ln y */
	const double *w, *sw;	/* weights and square roots, or NULL */
	size_t n;
	int E, B, kmax;
	int hudson, reference;
	struct dp dp;
	double floor;
	/* observed best fits (grid knots; Hudson SSEs when hudson) */
	double *obs_sse;	/* kmax + 1 */
	long *obs_knots;	/* (kmax + 1) * kmax grid indexes */
	double *obs_tau;	/* (kmax + 1) * kmax, t units (Hudson) */
	long *obs_tidx;
	long done, total;
	jp_progress_fn progress;
	void *progress_ud;
};

double jpi_sse_ratio(double s0, double s1, double floor);
int jpi_ortho_basis(const double *t, const double *sw, size_t n, int k, const long *knots, double *Q);
double jpi_proj_sse(const double *Q, size_t n, size_t p, const double *z, double zz);
void jpi_perm_test(struct perm_ctx *c, int ka, int kb, long N, double alpha_i, gsl_rng *rng,
		      struct jp_test *out);

#endif

/*
** model_joinpoint.c: Joinpoint-compatible segmented log-linear regression.
** Pure: no I/O, no globals; the RNG is passed in.  docs/joinpoint.md has
** the formulas and the proof sketch of the dynamic program.
**
** Internally x is mapped to t = (x - x0) / h (h = mean spacing) and ln y
** is centred (z); both leave SSE and the choice of joinpoints unchanged
** and keep the sums small.  Reported fits are recomputed on x by QR.
** Weights enter the DP's prefix sums as multipliers (all 1: the unweighted
** arithmetic exactly).  Sections: options, least squares, the DP and its
** bounds, enumeration, Hudson, heuristics, final fits, the permutation
** test, analysis, AAPC, AR(1), empirical CIs, comparison of two series.
*/
#include "tocalc/joinpoint.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>	/* two doubles at a time in the lower-bound tables (x86-64 baseline) */
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>	/* four at a time where the CPU has AVX2 (checked at run time) */
#define JP_AVX2 1
#endif

/* ---------- options and limits ---------- */

/*
** Scales: the log-linear model fits ln y and reports 100 (e^slope - 1)
** (a percent change); the linear model fits y and reports the slope itself
** (a change in y units per unit of x).
*/
static double to_fit(int linear, double y) { return linear ? y : log(y); }
static double from_fit(int linear, double v) { return linear ? v : exp(v); }
static double pct(int linear, double slope) { return linear ? slope : 100 * expm1(slope); }

/*
** The slopes' covariance sigma2 * L (X'X)^-1 L' (L_a sums the slope and the
** first a slope changes: columns 1..a+1 of the p-column design) and each
** segment's APC with its t-based CI and two-sided test on df degrees of
** freedom.  One rule for the least-squares fit and the AR(1) refit.
*/
static void segment_stats(struct jp_model *m, const double *xtxinv, size_t p, size_t ns,
			  double sigma2, double tq, long df)
{
	for (size_t a = 0; a < ns; a++)
		for (size_t b = 0; b < ns; b++) {
			double v = 0;
			for (size_t i = 1; i <= a + 1; i++)
				for (size_t j = 1; j <= b + 1; j++)
					v += xtxinv[i * p + j];
			m->slope_cov[a * ns + b] = sigma2 * v;
		}
	for (size_t s = 0; s < ns; s++) {
		struct jp_segment *sg = &m->seg[s];
		double var = m->slope_cov[s * ns + s];
		sg->se = var > 0 ? sqrt(var) : (var == 0 ? 0 : NAN);
		sg->apc = pct(m->linear, sg->slope);
		if (isfinite(tq) && isfinite(sg->se)) {
			sg->apc_lower = pct(m->linear, sg->slope - tq * sg->se);
			sg->apc_upper = pct(m->linear, sg->slope + tq * sg->se);
		} else {
			sg->apc_lower = sg->apc_upper = NAN;
		}
		if (sg->se > 0 && df > 0) {
			sg->t_stat = sg->slope / sg->se;
			sg->p_value = 2 * gsl_cdf_tdist_Q(fabs(sg->t_stat), (double)df);
		} else {
			sg->t_stat = sg->p_value = NAN;
		}
	}
}

void jp_options_init(struct jp_options *o)
{
	memset(o, 0, sizeof(*o));
	o->min_jp = 0;
	o->max_jp = -1;
	o->min_obs_end = 2;
	o->min_obs_between = 2;
	o->method = JP_GRID;
	o->select = JP_SELECT_PERMUTATION;
	o->permutations = 4499;
	o->alpha = 0.05;
	o->jump_index = -1;
	o->level = 0.95;
	o->max_points = JP_DEFAULT_MAX_POINTS;
	o->max_points_permutation = JP_DEFAULT_MAX_POINTS_PERMUTATION;
	o->max_cost = JP_DEFAULT_MAX_COST;
}

long jp_min_obs(int k, int end, int between)
{
	if (k <= 0)
		return 3;
	return 2L * end + (long)(k - 1) * between + k;
}

static int k_feasible(size_t n, int k, int end, int between)
{
	if (k == 0)
		return n >= 3;
	return jp_min_obs(k, end, between) <= (long)n && (long)n - (2L * k + 2) >= 1;
}

int jp_feasible_max(size_t n, int end, int between)
{
	int k = 0;

	if (n < 3)
		return -1;
	while (k < JP_MAX_JOINPOINTS && k_feasible(n, k + 1, end, between))
		k++;
	return k;
}

int jp_default_max(size_t n, int end, int between)
{
	int k = n < 7 ? 0 : n < 12 ? 1 : n < 17 ? 2 : n < 22 ? 3 : n < 27 ? 4 : 5;
	int f = jp_feasible_max(n, end, between);

	return f < k ? f : k;
}

/* ---------- least squares (Householder QR) ---------- */

/*
** Solve min ||X b - z|| for X (n x p, column-major).  work: n*p + n.
** beta (p) and xtxinv (p*p, row-major) may be NULL.  Returns -1 when X is
** (numerically) rank deficient.
*/
static int lsq(const double *X, size_t n, size_t p, const double *z, const double *sw,
	       double *beta, double *sse, double *xtxinv, double *work)
{
	double *A = work, *r = work + n * p;
	double diag[2 * JP_MAX_JOINPOINTS + 4], bb[2 * JP_MAX_JOINPOINTS + 4];
	double rinv[(2 * JP_MAX_JOINPOINTS + 4) * (2 * JP_MAX_JOINPOINTS + 4)];
	double cmax = 0, s;

	if (p > 2 * JP_MAX_JOINPOINTS + 4 || n < p)
		return -1;
	if (sw) {
		/* weighted: rows scaled by the square roots of the weights */
		for (size_t j = 0; j < p; j++)
			for (size_t i = 0; i < n; i++)
				A[j * n + i] = X[j * n + i] * sw[i];
		for (size_t i = 0; i < n; i++)
			r[i] = z[i] * sw[i];
	} else {
		memcpy(A, X, n * p * sizeof(double));
		memcpy(r, z, n * sizeof(double));
	}
	for (size_t j = 0; j < p; j++) {
		double nrm = 0, alpha, vn;
		double *v = A + j * n;

		for (size_t i = 0; i < n; i++) {
			double xv = sw ? X[j * n + i] * sw[i] : X[j * n + i];
			nrm += xv * xv;
		}
		if (nrm > cmax)
			cmax = nrm;
		nrm = 0;
		for (size_t i = j; i < n; i++)
			nrm += v[i] * v[i];
		nrm = sqrt(nrm);
		if (!(nrm > 1e-10 * sqrt(cmax)))
			return -1;
		alpha = v[j] > 0 ? -nrm : nrm;
		v[j] -= alpha;
		vn = 0;
		for (size_t i = j; i < n; i++)
			vn += v[i] * v[i];
		diag[j] = alpha;
		if (vn == 0)
			continue;
		for (size_t c = j + 1; c < p; c++) {
			double *w = A + c * n;
			s = 0;
			for (size_t i = j; i < n; i++)
				s += v[i] * w[i];
			s = 2 * s / vn;
			for (size_t i = j; i < n; i++)
				w[i] -= s * v[i];
		}
		s = 0;
		for (size_t i = j; i < n; i++)
			s += v[i] * r[i];
		s = 2 * s / vn;
		for (size_t i = j; i < n; i++)
			r[i] -= s * v[i];
	}
	/* R is diag[] on the diagonal and A[c*n + i] (i < c) above it. */
#define RR(i, c) ((i) == (c) ? diag[i] : A[(c) * n + (i)])
	for (size_t j = p; j-- > 0;) {
		s = r[j];
		for (size_t c = j + 1; c < p; c++)
			s -= RR(j, c) * bb[c];
		bb[j] = s / diag[j];
	}
	if (beta)
		memcpy(beta, bb, p * sizeof(double));
	if (sse) {
		s = 0;
		for (size_t i = p; i < n; i++)
			s += r[i] * r[i];
		*sse = s;
	}
	if (xtxinv) {
		/* R^-1 (upper triangular), then (X'X)^-1 = R^-1 R^-T */
		for (size_t c = 0; c < p; c++)
			for (size_t i = 0; i < p; i++)
				rinv[i * p + c] = 0;
		for (size_t c = 0; c < p; c++) {
			rinv[c * p + c] = 1.0 / diag[c];
			for (size_t i = c; i-- > 0;) {
				s = 0;
				for (size_t m = i + 1; m <= c; m++)
					s += RR(i, m) * rinv[m * p + c];
				rinv[i * p + c] = -s / diag[i];
			}
		}
		for (size_t i = 0; i < p; i++)
			for (size_t c = 0; c < p; c++) {
				s = 0;
				for (size_t m = (i > c ? i : c); m < p; m++)
					s += rinv[i * p + m] * rinv[c * p + m];
				xtxinv[i * p + c] = s;
			}
	}
#undef RR
	return 0;
}

/* ---------- the dynamic program over knots (fast grid search) ---------- */

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
	/* lower bounds (discontinuous line fits), see dp_lower() */
	double *tbar, *vt;	/* y-independent parts of line fits over i..j, n*n cache or NULL */
	double *ivt, *ic;	/* 1 / vt and 1 / (weighted count), same cache (0 where j < i + 2) */
	double *line;		/* per run: SSE of one line over points i..j (n*n), or NULL */
	double *D;		/* (kmax + 1) * n: D[s*n + j] */
	double margin;
};

static void dp_seg_direct(const struct dp *d, size_t i, size_t j, struct dp_seg *s)
{
	double cnt = d->pw[j + 1] - d->pw[i + 1], ti = d->t[i];
	double st = d->pt[j + 1] - d->pt[i + 1], stt = d->ptt[j + 1] - d->ptt[i + 1];
	double sd = st - cnt * ti, sdd = stt - 2 * ti * st + cnt * ti * ti;
	double inv = 1.0 / (d->t[j] - ti), sw = sd * inv, sww = sdd * inv * inv;

	s->saa = cnt - 2 * sw + sww;
	s->sab = sw - sww;
	s->sbb = sww;
	s->inv = inv;
}

/*
** Weights (w, may be NULL for all 1) enter every sum as multipliers; with
** w = NULL the arithmetic is exactly that of the unweighted search (a
** factor 1.0 is exact), so unweighted results do not change.
*/
static void dp_init(struct dp *d, const double *t, const double *w, const double *sw, size_t n,
		    int kmax, int E, int B)
{
	memset(d, 0, sizeof(*d));
	d->n = n;
	d->kmax = kmax;
	d->E = E;
	d->B = B;
	d->t = t;
	d->w = w;
	d->sw = sw;
	d->pw = xcalloc(6 * (n + 1), sizeof(double));
	d->pt = d->pw + (n + 1);
	d->ptt = d->pt + (n + 1);
	d->pz = d->ptt + (n + 1);
	d->pzt = d->pz + (n + 1);
	d->pzz = d->pzt + (n + 1);
	for (size_t m = 0; m < n; m++) {
		double wm = w ? w[m] : 1.0;
		d->pw[m + 1] = d->pw[m] + wm;
		d->pt[m + 1] = d->pt[m] + wm * t[m];
		d->ptt[m + 1] = d->ptt[m] + wm * t[m] * t[m];
	}
	if (n <= DP_SEG_CACHE_MAX) {
		d->seg = xmalloc(n * n * sizeof(*d->seg));
		for (size_t i = 0; i < n; i++) {
			double sd = 0, sdd = 0;
			for (size_t j = i + 1; j < n; j++) {
				double dd = t[j] - t[i], inv = 1.0 / dd, swv, sww, wj = w ? w[j] : 1.0;
				struct dp_seg *s = &d->seg[i * n + j];
				sd += wj * dd;
				sdd += wj * dd * dd;
				swv = sd * inv;
				sww = sdd * inv * inv;
				s->saa = (d->pw[j + 1] - d->pw[i + 1]) - 2 * swv + sww;
				s->sab = swv - sww;
				s->sbb = sww;
				s->inv = inv;
			}
		}
	}
	d->off = xcalloc(2 * (size_t)(kmax + 1) * n, sizeof(int));
	d->cnt = d->off + (size_t)(kmax + 1) * n;
	d->smin = xmalloc((size_t)(kmax + 1) * n * sizeof(double));
	d->live = xmalloc(n * sizeof(long));
	d->pcap = 1024;
	d->pool = xmalloc(d->pcap * sizeof(*d->pool));
	d->ccap = 1024;
	d->cand = xmalloc(d->ccap * sizeof(*d->cand));
	d->cmin = xmalloc(3 * d->ccap * sizeof(double));
	d->clo = d->cmin + d->ccap;
	d->chi = d->clo + d->ccap;
	d->D = xmalloc((size_t)(kmax + 1) * n * sizeof(double));
	if (n <= DP_SEG_CACHE_MAX) {
		d->tbar = xmalloc(5 * n * n * sizeof(double));
		d->vt = d->tbar + n * n;
		d->line = d->vt + n * n;
		d->ivt = d->line + n * n;
		d->ic = d->ivt + n * n;
		for (size_t i = 0; i < n; i++) {
			double st = 0;
			for (size_t j = i; j < n; j++) {
				double c = d->pw[j + 1] - d->pw[i], tb, v = 0;
				st += (w ? w[j] : 1.0) * t[j];
				tb = st / c;
				for (size_t m = i; m <= j; m++)
					v += (w ? w[m] : 1.0) * (t[m] - tb) * (t[m] - tb);
				d->tbar[i * n + j] = tb;
				d->vt[i * n + j] = v;
				d->ivt[i * n + j] = j >= i + 2 ? 1.0 / v : 0;
				d->ic[i * n + j] = 1.0 / c;
			}
		}
	}
}

static void dp_release(struct dp *d)
{
	free(d->pw);
	free(d->seg);
	free(d->off);
	free(d->smin);
	free(d->live);
	free(d->pool);
	free(d->cand);
	free(d->cmin);
	free(d->D);
	free(d->tbar);
	memset(d, 0, sizeof(*d));
}

static inline void dp_cand_reserve(struct dp *d, size_t need)
{
	if (need > d->ccap) {
		size_t cap = d->ccap;
		d->cand = xgrow(d->cand, &cap, need, sizeof(*d->cand));
		free(d->cmin);
		d->cmin = xmalloc(3 * cap * sizeof(double));
		d->clo = d->cmin + cap;
		d->chi = d->clo + cap;
		d->ccap = cap;
	}
}

/* Extend quad q at node i by the segment (i, j]: min over u of q(u) + Q_ij(u, v). */
static inline void dp_step(const struct dp *d, const struct quad *q, size_t i, size_t j,
			   struct quad *out)
{
	struct dp_seg sl;
	const struct dp_seg *s;
	double sz, szt, szz, pb, pa, D, h, invD;

	if (d->seg) {
		s = &d->seg[i * d->n + j];
	} else {
		dp_seg_direct(d, i, j, &sl);
		s = &sl;
	}
	sz = d->pz[j + 1] - d->pz[i + 1];
	szt = d->pzt[j + 1] - d->pzt[i + 1];
	szz = d->pzz[j + 1] - d->pzz[i + 1];
	pb = (szt - d->t[i] * sz) * s->inv;
	pa = sz - pb;
	D = q->a + s->saa;
	invD = 1.0 / D;
	h = q->b - 2 * pa;
	out->a = s->sbb - s->sab * s->sab * invD;
	out->b = -2 * pb - s->sab * h * invD;
	out->c = szz + q->c - 0.25 * h * h * invD;
}

static inline double quad_min(const struct quad *q)
{
	return q->c - 0.25 * q->b * q->b / q->a;
}

/*
** Is p >= g - tol on [lo, hi] (the whole line when lo = -inf)?  Then p
** never improves on g where it could matter and may be dropped.
*/
static int dominated(const struct quad *p, double lo, double hi, const struct quad *g, double tol)
{
	double da = p->a - g->a, db = p->b - g->b, dc = p->c - g->c + tol;

	if (!isfinite(lo)) {
		if (da < 0)
			return 0;
		if (da == 0)
			return db == 0 && dc >= 0;
		return db * db <= 4 * da * dc;
	}
	if ((da * lo + db) * lo + dc < 0 || (da * hi + db) * hi + dc < 0)
		return 0;
	if (da > 0) {
		double vs = -db / (2 * da);
		if (vs > lo && vs < hi && (da * vs + db) * vs + dc < 0)
			return 0;
	}
	return 1;
}

/*
** Drop candidates that cannot be optimal: those whose least value exceeds
** the bound U (no optimal path can pass through them), and those another
** candidate undercuts wherever they are below U.  Survivors go to the front.
*/
static size_t dp_prune(struct dp *d, size_t m, double U)
{
	struct quad *c = d->cand;
	double *mn = d->cmin, *lo = d->clo, *hi = d->chi;
	size_t g = 0, k;
	double ulim = isfinite(U) ? U + d->tol : U;

	if (m == 0)
		return 0;
	for (size_t p = 0; p < m; p++) {
		mn[p] = quad_min(&c[p]);
		if (mn[p] < mn[g])
			g = p;
	}
	if (!(mn[g] <= ulim))
		return 0;
	k = 0;
	/* g first, then every candidate that can reach below the bound */
	{
		struct quad tq = c[0];
		double tm = mn[0];
		c[0] = c[g];
		mn[0] = mn[g];
		c[g] = tq;
		mn[g] = tm;
	}
	for (size_t p = 0; p < m; p++) {
		if (!(mn[p] <= ulim))
			continue;
		if (isfinite(ulim)) {
			double disc = c[p].b * c[p].b - 4 * c[p].a * (c[p].c - ulim), sq;
			sq = disc > 0 ? sqrt(disc) : 0;
			lo[k] = (-c[p].b - sq) / (2 * c[p].a);
			hi[k] = (-c[p].b + sq) / (2 * c[p].a);
		} else {
			lo[k] = -INFINITY;
			hi[k] = INFINITY;
		}
		if (k > 0 && dominated(&c[p], lo[k], hi[k], &c[0], d->tol))
			continue;
		c[k] = c[p];
		mn[k] = mn[p];
		k++;
	}
	/* second pass among the survivors */
	if (k > 2) {
		size_t w = 1;
		for (size_t p = 1; p < k; p++) {
			int dom = 0;
			for (size_t q = 1; q < w && !dom; q++)
				dom = dominated(&c[p], lo[p], hi[p], &c[q], d->tol);
			if (!dom) {
				c[w] = c[p];
				lo[w] = lo[p];
				hi[w] = hi[p];
				w++;
			}
		}
		k = w;
	}
	return k;
}

static int dp_push(struct dp *d, const struct quad *q)
{
	if (d->plen == d->pcap)
		d->pool = xgrow(d->pool, &d->pcap, d->plen + 1, sizeof(*d->pool));
	d->pool[d->plen] = *q;
	return (int)d->plen++;
}

/* Prefix sums of z (and the rounding tolerance) for the next runs. */
static void dp_set_z(struct dp *d, const double *z)
{
	size_t n = d->n;

	for (size_t m = 0; m < n; m++) {
		double wz = d->w ? d->w[m] * z[m] : z[m];
		d->pz[m + 1] = d->pz[m] + wz;
		d->pzt[m + 1] = d->pzt[m] + wz * d->t[m];
		d->pzz[m + 1] = d->pzz[m] + wz * z[m];
	}
	d->z0 = z[0];
	d->tol = 1e-13 * (d->pzz[n] + 1e-300);
	d->margin = 1e-9 * (d->pzz[n] + 1e-300);
}

/* SSE of one least-squares line through points i..j (inclusive). */
static inline double dp_line(const struct dp *d, size_t i, size_t j)
{
	size_t n = d->n;
	double c = d->pw[j + 1] - d->pw[i], sz, szz, cz, vt, vz, r;

	if (j < i + 2)
		return 0;
	sz = d->pz[j + 1] - d->pz[i];
	szz = d->pzz[j + 1] - d->pzz[i];
	if (d->tbar) {
		cz = (d->pzt[j + 1] - d->pzt[i]) - d->tbar[i * n + j] * sz;
		vt = d->vt[i * n + j];
	} else {
		double st = d->pt[j + 1] - d->pt[i];
		cz = (d->pzt[j + 1] - d->pzt[i]) - st / c * sz;
		vt = (d->ptt[j + 1] - d->ptt[i]) - st * st / c;
	}
	vz = szz - sz * sz / c;
	r = vz - cz * cz / vt;
	return r > 0 ? r : 0;
}

/*
** Kernels of dp_lower().  line_row: row[j] = SSE of one line over points
** i..j for j in [j0, n), from the prefix sums and the cached reciprocals.
** minplus: min over q in [lo, hi] of a[q] + b[q] (INFINITY when empty).
** Only bounds come out of them (with a margin), so the vector versions
** may differ from the scalar ones in the last bit without changing results.
*/
struct line_args {
	const double *pz, *pzz, *pzt, *tb, *ic, *ivt;
	double pzi, pzzi, pzti;
};

static void line_row_generic(double *row, const struct line_args *a, size_t j, size_t n)
{
#ifdef __SSE2__
	__m128d vpzi = _mm_set1_pd(a->pzi), vpzzi = _mm_set1_pd(a->pzzi);
	__m128d vpzti = _mm_set1_pd(a->pzti), zero = _mm_setzero_pd();
	for (; j + 1 < n; j += 2) {
		__m128d sz = _mm_sub_pd(_mm_loadu_pd(a->pz + j + 1), vpzi);
		__m128d szz = _mm_sub_pd(_mm_loadu_pd(a->pzz + j + 1), vpzzi);
		__m128d cz = _mm_sub_pd(_mm_sub_pd(_mm_loadu_pd(a->pzt + j + 1), vpzti),
					_mm_mul_pd(_mm_loadu_pd(a->tb + j), sz));
		__m128d r = _mm_sub_pd(_mm_sub_pd(szz, _mm_mul_pd(_mm_mul_pd(sz, sz), _mm_loadu_pd(a->ic + j))),
				       _mm_mul_pd(_mm_mul_pd(cz, cz), _mm_loadu_pd(a->ivt + j)));
		_mm_storeu_pd(row + j, _mm_max_pd(r, zero));
	}
#endif
	for (; j < n; j++) {
		double sz = a->pz[j + 1] - a->pzi, szz = a->pzz[j + 1] - a->pzzi;
		double cz = (a->pzt[j + 1] - a->pzti) - a->tb[j] * sz;
		double r = szz - sz * sz * a->ic[j] - cz * cz * a->ivt[j];
		row[j] = r > 0 ? r : 0;
	}
}

static double minplus_generic(const double *a, const double *b, long q, long hi)
{
	double b0 = INFINITY, b1 = INFINITY, b2 = INFINITY, b3 = INFINITY;
#ifdef __SSE2__
	__m128d m0 = _mm_set1_pd(INFINITY), m1 = m0;
	for (; q + 3 <= hi; q += 4) {
		m0 = _mm_min_pd(_mm_add_pd(_mm_loadu_pd(a + q), _mm_loadu_pd(b + q)), m0);
		m1 = _mm_min_pd(_mm_add_pd(_mm_loadu_pd(a + q + 2), _mm_loadu_pd(b + q + 2)), m1);
	}
	m0 = _mm_min_pd(m0, m1);
	_mm_storel_pd(&b1, m0);
	_mm_storeh_pd(&b2, m0);
#endif
	/* four independent minima: no branch, no serial dependence */
	for (; q + 3 <= hi; q += 4) {
		double v0 = a[q] + b[q], v1 = a[q + 1] + b[q + 1];
		double v2 = a[q + 2] + b[q + 2], v3 = a[q + 3] + b[q + 3];
		b0 = v0 < b0 ? v0 : b0;
		b1 = v1 < b1 ? v1 : b1;
		b2 = v2 < b2 ? v2 : b2;
		b3 = v3 < b3 ? v3 : b3;
	}
	for (; q <= hi; q++) {
		double v = a[q] + b[q];
		b0 = v < b0 ? v : b0;
	}
	b0 = b1 < b0 ? b1 : b0;
	b2 = b3 < b2 ? b3 : b2;
	return b2 < b0 ? b2 : b0;
}

#ifdef JP_AVX2
__attribute__((target("avx2"))) static void line_row_avx2(double *row, const struct line_args *a,
							size_t j, size_t n)
{
	__m256d vpzi = _mm256_set1_pd(a->pzi), vpzzi = _mm256_set1_pd(a->pzzi);
	__m256d vpzti = _mm256_set1_pd(a->pzti), zero = _mm256_setzero_pd();
	for (; j + 3 < n; j += 4) {
		__m256d sz = _mm256_sub_pd(_mm256_loadu_pd(a->pz + j + 1), vpzi);
		__m256d szz = _mm256_sub_pd(_mm256_loadu_pd(a->pzz + j + 1), vpzzi);
		__m256d cz = _mm256_sub_pd(_mm256_sub_pd(_mm256_loadu_pd(a->pzt + j + 1), vpzti),
					   _mm256_mul_pd(_mm256_loadu_pd(a->tb + j), sz));
		__m256d r = _mm256_sub_pd(_mm256_sub_pd(szz, _mm256_mul_pd(_mm256_mul_pd(sz, sz),
									   _mm256_loadu_pd(a->ic + j))),
					  _mm256_mul_pd(_mm256_mul_pd(cz, cz), _mm256_loadu_pd(a->ivt + j)));
		_mm256_storeu_pd(row + j, _mm256_max_pd(r, zero));
	}
	line_row_generic(row, a, j, n);
}

__attribute__((target("avx2"))) static double minplus_avx2(const double *a, const double *b, long q, long hi)
{
	__m256d m0 = _mm256_set1_pd(INFINITY), m1 = m0;
	double t[4], r = INFINITY;
	for (; q + 7 <= hi; q += 8) {
		m0 = _mm256_min_pd(_mm256_add_pd(_mm256_loadu_pd(a + q), _mm256_loadu_pd(b + q)), m0);
		m1 = _mm256_min_pd(_mm256_add_pd(_mm256_loadu_pd(a + q + 4), _mm256_loadu_pd(b + q + 4)), m1);
	}
	if (q + 3 <= hi) {
		m0 = _mm256_min_pd(_mm256_add_pd(_mm256_loadu_pd(a + q), _mm256_loadu_pd(b + q)), m0);
		q += 4;
	}
	_mm256_storeu_pd(t, _mm256_min_pd(m0, m1));
	for (; q <= hi; q++) {
		double v = a[q] + b[q];
		r = v < r ? v : r;
	}
	for (int i = 0; i < 4; i++)
		r = t[i] < r ? t[i] : r;
	return r;
}
#endif

/*
** Lower bounds from discontinuous fits: a continuous fit whose joinpoints
** are observations i_1 < ... < i_k splits the points into the groups
** 0..i_1, i_1+1..i_2, ..., i_k+1..n-1, and on each group it is one line,
** so its SSE is at least the sum of the groups' own line SSEs.
**   D[s][j] = least such sum over points j+1..n-1 with s more joinpoints
**   (the cost still to come after a joinpoint at j);
**   L[k]    = least such sum over all points with k joinpoints.
** Values are lowered by a rounding margin so they stay bounds.
*/
static void dp_lower(struct dp *d, int K, double *L)
{
	size_t n = d->n;
	long E = d->E, B = d->B;
	double *D = d->D;
#ifdef JP_AVX2
	int avx2 = __builtin_cpu_supports("avx2");
#endif

	if (d->line) {
		/*
		** The table of line SSEs, row by row with the y-free parts cached
		** (reciprocals, so the inner loop has no division).  The values
		** only bound the search (and carry a margin), so a last-bit
		** difference from dp_line() cannot change a result.
		*/
		struct line_args la;
		la.pz = d->pz;
		la.pzz = d->pzz;
		la.pzt = d->pzt;
		for (size_t i = 0; i < n; i++) {
			double *row = d->line + i * n;
			row[i] = 0;
			if (i + 1 < n)
				row[i + 1] = 0;
			la.tb = d->tbar + i * n;
			la.ivt = d->ivt + i * n;
			la.ic = d->ic + i * n;
			la.pzi = d->pz[i];
			la.pzzi = d->pzz[i];
			la.pzti = d->pzt[i];
#ifdef JP_AVX2
			if (avx2)
				line_row_avx2(row, &la, i + 2, n);
			else
#endif
				line_row_generic(row, &la, i + 2, n);
		}
	}
#define LINE(i, j) (d->line ? d->line[(size_t)(i) * n + (size_t)(j)] : dp_line(d, (size_t)(i), (size_t)(j)))
	for (long j = 0; j < (long)n; j++)
		D[j] = (long)n - 1 - j >= E && j + 1 <= (long)n - 1 ? LINE(j + 1, n - 1) : INFINITY;
	for (int s = 1; s <= K; s++) {
		double *Ds = D + (size_t)s * n, *Dp = D + (size_t)(s - 1) * n;
		/* Dp[j2] is infinite beyond the last place with room for s - 1 more joinpoints */
		long j2max = (long)n - 1 - E - (long)(s - 1) * (B + 1);
		for (long j = 0; j < (long)n; j++) {
			double best = INFINITY;
			long j2 = j + B + 1;
			if (j2 > j2max) {
				Ds[j] = INFINITY;	/* no room for s more joinpoints */
				continue;
			}
			if (d->line && j + 1 < (long)n) {
				const double *lr = d->line + (size_t)(j + 1) * n;
#ifdef JP_AVX2
				if (avx2)
					best = minplus_avx2(lr, Dp, j2, j2max);
				else
#endif
					best = minplus_generic(lr, Dp, j2, j2max);
			} else {
				for (; j2 < (long)n; j2++) {
					double v;
					if (!isfinite(Dp[j2]))
						continue;
					v = LINE(j + 1, j2) + Dp[j2];
					if (v < best)
						best = v;
				}
			}
			Ds[j] = best;
		}
	}
	for (int k = 0; k <= K; k++) {
		double best = INFINITY;
		if (k == 0) {
			best = LINE(0, n - 1);
		} else {
			for (long i = E; i <= (long)n - 1 - E; i++) {
				double v = D[(size_t)(k - 1) * n + (size_t)i];
				if (isfinite(v) && LINE(0, i) + v < best)
					best = LINE(0, i) + v;
			}
		}
		L[k] = best - d->margin;
	}
#undef LINE
	for (size_t q = 0; q < (size_t)(K + 1) * n; q++)
		D[q] -= d->margin;
}

/* Bound on the cost so far at joinpoint r = j of a path that can still be optimal. */
static double dp_bound(const struct dp *d, int K, const double *U, int future, int r, size_t j)
{
	double b = -INFINITY;
	int any = 0;

	if (!U)
		return INFINITY;
	for (int k = r; k <= K; k++) {
		double lb = future ? d->D[(size_t)(k - r) * d->n + j] : 0;
		if (isnan(U[k]) || !isfinite(lb))
			continue;
		any = 1;
		if (U[k] - lb > b)
			b = U[k] - lb;
	}
	return any ? b : -INFINITY;
}

/*
** Best grid fits for k = 0..K on the z set by dp_set_z().  U[k] (may be
** NULL) bounds SSE*_k from above; NAN in U[k] means "k not needed" (sse[k]
** is then INFINITY).  With `future` (after dp_lower) a quadratic at
** joinpoint r = j is also dropped when its least value plus the least cost
** still to come exceeds U[k].  A k whose optimum exceeds U[k] may come back
** INFINITY.  knots (may be NULL): K entries per k.
*/
static void dp_run(struct dp *d, int K, const double *U, int future, double *sse, long *knots)
{
	size_t n = d->n;
	int E = d->E, B = d->B;
	struct quad root;
	double z0 = d->z0, w0 = d->w ? d->w[0] : 1.0;

	memset(d->cnt, 0, (size_t)(K + 1) * n * sizeof(int));
	d->plen = 0;
	root.a = w0;
	root.b = -2 * w0 * z0;
	root.c = w0 * z0 * z0;
	root.node = 0;
	root.prev = -1;
	root.m = 0;
	d->off[0] = dp_push(d, &root);
	d->cnt[0] = 1;
	d->smin[0] = 0;

	for (int r = 1; r <= K; r++) {
		long jlo = E + (long)(r - 1) * (B + 1), jhi = (long)n - 1 - E;
		size_t nlive = 0;
		/* the states of level r - 1 that survived: only they can be extended */
		for (long i = r == 1 ? 0 : E + (long)(r - 2) * (B + 1); i < (long)n; i++)
			if (d->cnt[(size_t)(r - 1) * n + (size_t)i])
				d->live[nlive++] = i;
		for (long j = jlo; j <= jhi; j++) {
			size_t m = 0, kept;
			long ilo, ihi;
			double bound = dp_bound(d, K, U, future, r, (size_t)j);
			/*
			** A candidate from state (r-1, i) costs at least the state's
			** least value plus the line SSE of points i+1..j (any line
			** through them), so when that exceeds the bound dp_prune()
			** would drop it: skip it unbuilt (a margin keeps this exact).
			*/
			double ulim = isfinite(bound) ? bound + d->tol + d->margin : INFINITY;
			const double *lcol = future && d->line && isfinite(ulim) ? d->line + (size_t)j : NULL;

			if (r == 1) {
				ilo = ihi = 0;
			} else {
				ilo = E + (long)(r - 2) * (B + 1);
				ihi = j - B - 1;
			}
			for (size_t li = 0; li < nlive && d->live[li] <= ihi; li++) {
				long i = d->live[li];
				size_t si = (size_t)(r - 1) * n + (size_t)i;
				int c0, o;
				double lb = 0;
				if (i < ilo)
					continue;
				c0 = d->cnt[si];
				o = d->off[si];
				if (lcol) {
					lb = lcol[(size_t)(i + 1) * n];
					if (d->smin[si] + lb > ulim)
						continue;
				}
				dp_cand_reserve(d, m + (size_t)c0);
				for (int q = 0; q < c0; q++) {
					struct quad *out;
					if (lcol && d->pool[o + q].m + lb > ulim)
						continue;
					out = &d->cand[m++];
					dp_step(d, &d->pool[o + q], (size_t)i, (size_t)j, out);
					out->node = (int)j;
					out->prev = o + q;
				}
			}
			kept = dp_prune(d, m, bound);
			if (kept) {
				size_t sj = (size_t)r * n + (size_t)j;
				double mn = INFINITY;
				for (size_t q = 0; q < kept; q++) {
					double v = quad_min(&d->cand[q]);
					d->cand[q].m = v;
					if (v < mn)
						mn = v;
				}
				d->smin[sj] = mn;
				if (d->plen + kept > d->pcap)
					d->pool = xgrow(d->pool, &d->pcap, d->plen + kept, sizeof(*d->pool));
				d->off[sj] = (int)d->plen;
				d->cnt[sj] = (int)kept;
				memcpy(d->pool + d->plen, d->cand, kept * sizeof(struct quad));
				d->plen += kept;
			}
		}
	}

	for (int k = 0; k <= K; k++) {
		double best = INFINITY;
		int bestq = -1;
		long ilo, ihi;

		if (U && isnan(U[k])) {
			sse[k] = INFINITY;
			continue;
		}
		if (k == 0) {
			ilo = ihi = 0;
		} else {
			ilo = E + (long)(k - 1) * (B + 1);
			ihi = (long)n - 1 - E;
		}
		for (long i = ilo; i <= ihi; i++) {
			size_t si = (size_t)k * n + (size_t)i;
			for (int q = 0; q < d->cnt[si]; q++) {
				struct quad out;
				double v;
				dp_step(d, &d->pool[d->off[si] + q], (size_t)i, n - 1, &out);
				v = quad_min(&out);
				if (v < best) {
					best = v;
					bestq = d->off[si] + q;
				}
			}
		}
		sse[k] = bestq < 0 ? INFINITY : (best > 0 ? best : 0);
		if (knots) {
			int q = bestq, j = k;
			for (int c = 0; c < K; c++)
				knots[(size_t)k * K + c] = -1;
			while (q >= 0 && d->pool[q].prev >= 0 && j > 0) {
				knots[(size_t)k * K + --j] = d->pool[q].node;
				q = d->pool[q].prev;
			}
		}
	}
}

/* ---------- reference: enumerate every combination ---------- */

struct enum_ctx {
	const double *t, *z, *sw;
	size_t n;
	int E, B, K;
	double *X, *work;
	long idx[JP_MAX_JOINPOINTS];
	double *sse;
	long *knots;
};

static void build_grid_design(const double *t, size_t n, int k, const long *idx, double *X)
{
	for (size_t i = 0; i < n; i++) {
		X[i] = 1;
		X[n + i] = t[i];
	}
	for (int j = 0; j < k; j++) {
		double tau = t[idx[j]];
		for (size_t i = 0; i < n; i++)
			X[(size_t)(2 + j) * n + i] = t[i] > tau ? t[i] - tau : 0;
	}
}

static void enum_leaf(struct enum_ctx *c, int k)
{
	double s;

	build_grid_design(c->t, c->n, k, c->idx, c->X);
	if (lsq(c->X, c->n, (size_t)k + 2, c->z, c->sw, NULL, &s, NULL, c->work))
		return;
	if (s < c->sse[k]) {
		c->sse[k] = s;
		if (c->knots)
			for (int j = 0; j < k; j++)
				c->knots[(size_t)k * c->K + j] = c->idx[j];
	}
}

static void enum_rec(struct enum_ctx *c, int depth, int k)
{
	long lo, hi = (long)c->n - 1 - c->E;

	if (depth == k) {
		enum_leaf(c, k);
		return;
	}
	lo = depth == 0 ? c->E : c->idx[depth - 1] + c->B + 1;
	for (long i = lo; i <= hi; i++) {
		c->idx[depth] = i;
		enum_rec(c, depth + 1, k);
	}
}

static void enum_best(const double *t, const double *z, const double *sw, size_t n, int K, int E,
		      int B, double *sse, long *knots)
{
	struct enum_ctx c;

	memset(&c, 0, sizeof(c));
	c.t = t;
	c.z = z;
	c.sw = sw;
	c.n = n;
	c.E = E;
	c.B = B;
	c.K = K;
	c.sse = sse;
	c.knots = knots;
	c.X = xmalloc(n * (size_t)(K + 2) * sizeof(double));
	c.work = xmalloc((n * (size_t)(K + 2) + n) * sizeof(double));
	for (int k = 0; k <= K; k++) {
		sse[k] = INFINITY;
		if (knots)
			for (int j = 0; j < K; j++)
				knots[(size_t)k * K + j] = -1;
		enum_rec(&c, 0, k);
	}
	free(c.X);
	free(c.work);
}

/* ---------- Hudson: joinpoints between observations ---------- */

/*
** A joinpoint position is a half-index h: h = 2i is the observation i,
** h = 2m + 1 the open interval (x_m, x_m+1).
*/
static long obs_before(long h) { return (h + 1) / 2; }
static long obs_after(long h, size_t n) { return (long)n - 1 - h / 2; }
static long obs_between(long ha, long hb) { return (hb - 1) / 2 - ha / 2; }

static int half_config_ok(const long *h, int k, size_t n, int E, int B)
{
	if (k == 0)
		return 1;
	if (h[0] < 1 || h[k - 1] > 2 * ((long)n - 1) - 1)
		return 0;
	if (obs_before(h[0]) < E || obs_after(h[k - 1], n) < E)
		return 0;
	for (int j = 1; j < k; j++)
		if (h[j] <= h[j - 1] || obs_between(h[j - 1], h[j]) < B)
			return 0;
	return 1;
}

/*
** Fit a configuration: continuity imposed at observation joinpoints, a
** free line break at interval joinpoints.  If each break's two lines
** cross inside its interval the fit is the continuous least-squares fit
** with the joinpoint at the crossing (docs/joinpoint.md); return 1 and
** the SSE and joinpoints (t units).  Return 0 when infeasible.
*/
static int hudson_eval(const double *t, const double *z, const double *sw, size_t n, int k, const long *h,
		       double *X, double *work, double *sse, double *tau)
{
	size_t p = 2, col[JP_MAX_JOINPOINTS];
	double beta[3 * JP_MAX_JOINPOINTS + 2];

	for (size_t i = 0; i < n; i++) {
		X[i] = 1;
		X[n + i] = t[i];
	}
	for (int j = 0; j < k; j++) {
		long m = h[j] / 2;
		col[j] = p;
		if (h[j] % 2 == 0) {
			for (size_t i = 0; i < n; i++)
				X[p * n + i] = (long)i > m ? t[i] - t[m] : 0;
			p++;
		} else {
			for (size_t i = 0; i < n; i++) {
				X[p * n + i] = (long)i > m ? 1 : 0;
				X[(p + 1) * n + i] = (long)i > m ? t[i] - t[m] : 0;
			}
			p += 2;
		}
	}
	if (p >= n || lsq(X, n, p, z, sw, beta, sse, NULL, work))
		return 0;
	for (int j = 0; j < k; j++) {
		long m = h[j] / 2;
		if (h[j] % 2 == 0) {
			tau[j] = t[m];
		} else {
			double s = beta[col[j]], dl = beta[col[j] + 1], tt;
			if (dl == 0)
				return 0;
			tt = t[m] - s / dl;
			if (!(tt > t[m] && tt < t[m + 1]))
				return 0;
			tau[j] = tt;
		}
	}
	return 1;
}

/*
** Local search from the grid optimum: every joinpoint may move one
** half-step (onto the neighbouring interval or observation) at a time,
** all combinations for k <= 5, one joinpoint at a time above; repeat
** while the SSE falls.
*/
static void hudson_search(const double *t, const double *z, const double *sw, size_t n, int k,
			  const long *grid, int E, int B, double *sse, double *tau, long *tau_index)
{
	long h[JP_MAX_JOINPOINTS] = { 0 }, cur[JP_MAX_JOINPOINTS] = { 0 }, best_h[JP_MAX_JOINPOINTS] = { 0 };
	double tt[JP_MAX_JOINPOINTS], best_tau[JP_MAX_JOINPOINTS], best, s;
	size_t ncol = 2 + 2 * (size_t)k;
	double *X = xmalloc(n * ncol * sizeof(double));
	double *work = xmalloc((n * ncol + n) * sizeof(double));

	for (int j = 0; j < k; j++)
		cur[j] = 2 * grid[j];
	if (!hudson_eval(t, z, sw, n, k, cur, X, work, &best, best_tau)) {
		best = INFINITY;
		for (int j = 0; j < k; j++)
			best_tau[j] = t[grid[j]];
	}
	memcpy(best_h, cur, sizeof(long) * (size_t)k);
	for (int iter = 0; iter < 100 && k > 0; iter++) {
		int improved = 0;
		double scale = fabs(best) * 1e-12;

		if (k <= 5) {
			long total = 1;
			for (int j = 0; j < k; j++)
				total *= 3;
			for (long code = 0; code < total; code++) {
				long c = code;
				int same = 1;
				for (int j = 0; j < k; j++) {
					h[j] = cur[j] + (c % 3) - 1;
					if (c % 3 != 1)
						same = 0;
					c /= 3;
				}
				if (same || !half_config_ok(h, k, n, E, B))
					continue;
				if (hudson_eval(t, z, sw, n, k, h, X, work, &s, tt) && s < best - scale) {
					best = s;
					memcpy(best_h, h, sizeof(long) * (size_t)k);
					memcpy(best_tau, tt, sizeof(double) * (size_t)k);
					improved = 1;
				}
			}
		} else {
			for (int j = 0; j < k; j++)
				for (int dlt = -1; dlt <= 1; dlt += 2) {
					memcpy(h, cur, sizeof(long) * (size_t)k);
					h[j] += dlt;
					if (!half_config_ok(h, k, n, E, B))
						continue;
					if (hudson_eval(t, z, sw, n, k, h, X, work, &s, tt) && s < best - scale) {
						best = s;
						memcpy(best_h, h, sizeof(long) * (size_t)k);
						memcpy(best_tau, tt, sizeof(double) * (size_t)k);
						improved = 1;
					}
				}
		}
		if (!improved)
			break;
		memcpy(cur, best_h, sizeof(long) * (size_t)k);
	}
	*sse = best;
	for (int j = 0; j < k; j++) {
		tau[j] = best_tau[j];
		tau_index[j] = best_h[j] % 2 == 0 ? best_h[j] / 2 : -1;
	}
	free(X);
	free(work);
}

/* ---------- heuristic grid fits (upper bounds for the DP) ---------- */

static int grid_ok(const long *idx, int k, size_t n, int E, int B)
{
	if (k == 0)
		return 1;
	if (idx[0] < E || (long)n - 1 - idx[k - 1] < E)
		return 0;
	for (int j = 1; j < k; j++)
		if (idx[j] - idx[j - 1] - 1 < B)
			return 0;
	return 1;
}

/*
** SSE of the continuous fit with joinpoints at observations knots[0..k-1]
** in O(k): the chain of the DP's quadratics from the first point through
** each knot to the last (the same arithmetic as dp_run's path), minimised.
*/
static double dp_chain_sse(const struct dp *d, const long *knots, int k)
{
	struct quad q, out;
	double w0 = d->w ? d->w[0] : 1.0, v;
	size_t prev = 0;

	q.a = w0;
	q.b = -2 * w0 * d->z0;
	q.c = w0 * d->z0 * d->z0;
	for (int j = 0; j < k; j++) {
		dp_step(d, &q, prev, (size_t)knots[j], &out);
		q = out;
		prev = (size_t)knots[j];
	}
	dp_step(d, &q, prev, d->n - 1, &out);
	v = quad_min(&out);
	return v > 0 ? v : 0;
}

/*
** heuristic_fits() on the z set by dp_set_z(), each candidate's SSE from
** dp_chain_sse() instead of a least-squares refit: same search (insert
** where it helps most, then coordinate descent), O(k) per candidate.
*/
static void heuristic_fits_dp(const struct dp *d, int K, double *U)
{
	long cur[JP_MAX_JOINPOINTS + 1] = { 0 }, tr[JP_MAX_JOINPOINTS + 1] = { 0 };
	size_t n = d->n;
	long E = d->E, B = d->B;
	double s, best;
	int k;

	U[0] = dp_chain_sse(d, cur, 0);
	for (k = 1; k <= K; k++) {
		long bpos = -1;
		int bslot = 0;
		best = INFINITY;
		for (long pos = E; pos <= (long)n - 1 - E; pos++) {
			int slot = 0;
			while (slot < k - 1 && cur[slot] < pos)
				slot++;
			if (slot < k - 1 && cur[slot] == pos)
				continue;
			memcpy(tr, cur, (size_t)slot * sizeof(long));
			tr[slot] = pos;
			memcpy(tr + slot + 1, cur + slot, (size_t)(k - 1 - slot) * sizeof(long));
			if (!grid_ok(tr, k, n, (int)E, (int)B))
				continue;
			s = dp_chain_sse(d, tr, k);
			if (s < best) {
				best = s;
				bpos = pos;
				bslot = slot;
			}
		}
		if (bpos < 0) {
			for (int j = 0; j < k; j++)
				cur[j] = E + (long)j * (B + 1);
			if (!grid_ok(cur, k, n, (int)E, (int)B))
				break;
			best = dp_chain_sse(d, cur, k);
		} else {
			memmove(cur + bslot + 1, cur + bslot, (size_t)(k - 1 - bslot) * sizeof(long));
			cur[bslot] = bpos;
		}
		for (int sweep = 0; sweep < 20; sweep++) {
			int moved = 0;
			for (int j = 0; j < k; j++) {
				long lo = j == 0 ? E : cur[j - 1] + B + 1;
				long hi = j == k - 1 ? (long)n - 1 - E : cur[j + 1] - B - 1;
				long keep = cur[j], bp = cur[j];
				for (long pos = lo; pos <= hi; pos++) {
					if (pos == keep)
						continue;
					cur[j] = pos;
					s = dp_chain_sse(d, cur, k);
					if (s < best * (1 - 1e-12)) {
						best = s;
						bp = pos;
					}
				}
				cur[j] = bp;
				if (bp != keep)
					moved = 1;
			}
			if (!moved)
				break;
		}
		U[k] = best;
	}
	for (; k <= K; k++)
		U[k] = INFINITY;
}

/* Exact best grid fits of z for k = 0..K, bounded by heuristic fits. */
static void dp_best(struct dp *d, const double *z, int K, double *sse, long *knots)
{
	double U[JP_MAX_JOINPOINTS + 1], L[JP_MAX_JOINPOINTS + 1];

	dp_set_z(d, z);
	heuristic_fits_dp(d, K, U);
	for (int k = 0; k <= K; k++)
		U[k] = isfinite(U[k]) ? U[k] * (1 + 1e-9) + d->tol : INFINITY;
	dp_lower(d, K, L);
	dp_run(d, K, U, 1, sse, knots);
}

/* ---------- the jump model: a step of unknown size at a known point ---------- */

/*
** For a given step beta the best joinpoints of z - beta J come from the
** exact search; the step is then searched in one dimension: a grid of 121
** values around the least-squares step of a line with a step, then a
** golden-section refinement for each k.  sse[k] and knots[k] (K per k)
** are replaced by the best found (the joinpoints; the final fit re-estimates
** the step with them fixed, which can only lower the SSE).
*/
static double jump_eval(struct dp *d, const double *z, double *zb, size_t n, long ji, double beta,
			int K, int k, double *sse, long *knots)
{
	for (size_t i = 0; i < n; i++)
		zb[i] = (long)i >= ji ? z[i] - beta : z[i];
	dp_best(d, zb, K, sse, knots);
	return k >= 0 ? sse[k] : 0;
}

static void jump_search(struct dp *d, const double *z, size_t n, long ji, int K, double *sse, long *knots)
{
	double *zb = xmalloc(n * sizeof(double)), s[JP_MAX_JOINPOINTS + 1];
	double best[JP_MAX_JOINPOINTS + 1], bbeta[JP_MAX_JOINPOINTS + 1], beta0, W, step;
	long *kn = xcalloc((size_t)(K + 1) * (K > 0 ? K : 1), sizeof(long));
	size_t kk = (size_t)(K > 0 ? K : 1);
	double g = (sqrt(5) - 1) / 2;

	/* starting step: the mean gap between the two sides' line fits, and a width from the data */
	{
		double X[3 * 1000], *Xp = n <= 1000 ? X : xmalloc(3 * n * sizeof(double));
		double *work = xmalloc((3 * n + n) * sizeof(double)), beta[3], sse0, sd = 0, mz = 0;
		for (size_t i = 0; i < n; i++) {
			Xp[i] = 1;
			Xp[n + i] = d->t[i];
			Xp[2 * n + i] = (long)i >= ji ? 1 : 0;
			mz += z[i];
		}
		mz /= (double)n;
		for (size_t i = 0; i < n; i++)
			sd += (z[i] - mz) * (z[i] - mz);
		sd = sqrt(sd / (double)n);
		if (lsq(Xp, n, 3, z, d->sw, beta, &sse0, NULL, work))
			beta[2] = 0;
		beta0 = beta[2];
		W = 4 * (fabs(beta0) > sd ? fabs(beta0) : sd) + 1e-6;
		free(work);
		if (Xp != X)
			free(Xp);
	}
	for (int k = 0; k <= K; k++)
		best[k] = INFINITY;
	step = 2 * W / 120;
	for (int q = 0; q <= 120; q++) {
		double beta = beta0 - W + q * step;
		jump_eval(d, z, zb, n, ji, beta, K, -1, s, NULL);
		for (int k = 0; k <= K; k++)
			if (s[k] < best[k]) {
				best[k] = s[k];
				bbeta[k] = beta;
			}
	}
	for (int k = 0; k <= K; k++) {
		double lo = bbeta[k] - step, hi = bbeta[k] + step, a, b, fa, fb, bb;
		if (!isfinite(best[k]))
			continue;
		a = hi - g * (hi - lo);
		b = lo + g * (hi - lo);
		fa = jump_eval(d, z, zb, n, ji, a, K, k, s, NULL);
		fb = jump_eval(d, z, zb, n, ji, b, K, k, s, NULL);
		for (int it = 0; it < 40; it++) {
			if (fa < fb) {
				hi = b;
				b = a;
				fb = fa;
				a = hi - g * (hi - lo);
				fa = jump_eval(d, z, zb, n, ji, a, K, k, s, NULL);
			} else {
				lo = a;
				a = b;
				fa = fb;
				b = lo + g * (hi - lo);
				fb = jump_eval(d, z, zb, n, ji, b, K, k, s, NULL);
			}
		}
		bb = (lo + hi) / 2;
		if (jump_eval(d, z, zb, n, ji, bb, K, k, s, kn) > best[k])
			jump_eval(d, z, zb, n, ji, bbeta[k], K, k, s, kn);
		sse[k] = s[k];
		if (knots)
			for (size_t j = 0; j < kk; j++)
				knots[(size_t)k * kk + j] = kn[(size_t)k * kk + j];
	}
	free(zb);
	free(kn);
}

/* ---------- public grid search ---------- */

static void to_t(const double *x, size_t n, double *t)
{
	double h = (x[n - 1] - x[0]) / (double)(n - 1);
	for (size_t i = 0; i < n; i++)
		t[i] = (x[i] - x[0]) / h;
}

int jp_best_grid(const double *x, const double *z, size_t n, int kmax, int E, int B,
		 int reference, double *sse, long *knots, struct tc_err *err)
{
	double *t, *zc, mean = 0;

	if (n < 3 || kmax < 0 || kmax > JP_MAX_JOINPOINTS || E < 1 || B < 0)
		return tc_failc(err, TC_EXIT_USAGE, "joinpoint search: bad arguments");
	t = xmalloc(2 * n * sizeof(double));
	zc = t + n;
	to_t(x, n, t);
	for (size_t i = 0; i < n; i++)
		mean += z[i];
	mean /= (double)n;
	for (size_t i = 0; i < n; i++)
		zc[i] = z[i] - mean;
	if (reference) {
		enum_best(t, zc, NULL, n, kmax, E, B, sse, knots);
	} else {
		struct dp d;
		dp_init(&d, t, NULL, NULL, n, kmax, E, B);
		dp_best(&d, zc, kmax, sse, knots);
		dp_release(&d);
	}
	free(t);
	return 0;
}

/* ---------- final fit of one model ---------- */

static void model_release(struct jp_model *m)
{
	free(m->tau);
	free(m->tau_index);
	free(m->coef);
	free(m->seg);
	free(m->slope_cov);
	free(m->fitted);
	memset(m, 0, sizeof(*m));
}

static void hinge_design(const double *x, size_t n, double xref, int k, const double *tau,
			 int skip, double *X)
{
	size_t c = 2;

	for (size_t i = 0; i < n; i++) {
		X[i] = 1;
		X[n + i] = x[i] - xref;
	}
	for (int j = 0; j < k; j++) {
		if (j == skip)
			continue;
		for (size_t i = 0; i < n; i++)
			X[c * n + i] = x[i] > tau[j] ? x[i] - tau[j] : 0;
		c++;
	}
}

/*
** Fit the k-joinpoint model at tau by (weighted) least squares; with
** jump_index >= 0 a step column 1[i >= jump_index] joins the design (the
** jump model: one more parameter, the slopes unchanged in meaning).
*/
static int model_fit(const double *x, const double *lny, const double *sw, int linear, size_t n,
		     int k, const double *tau, const long *tau_index, long jump_index, double level,
		     double sse_floor, struct jp_model *m, struct tc_err *err)
{
	size_t p = (size_t)k + 2, ns = (size_t)k + 1, nj = jump_index >= 0 ? 1 : 0, pa = p + nj;
	double *X = xmalloc(n * pa * sizeof(double));
	double *work = xmalloc((n * pa + n) * sizeof(double));
	double *xtx = xmalloc(pa * pa * sizeof(double));
	double xref = 0, sigma2, tq, sse_eff, lnn = log((double)n);

	memset(m, 0, sizeof(*m));
	m->k = k;
	m->linear = linear;
	for (size_t i = 0; i < n; i++)
		xref += x[i];
	xref /= (double)n;
	m->x_ref = xref;
	m->tau = xcalloc(ns, sizeof(double));
	m->tau_index = xcalloc(ns, sizeof(long));
	for (int j = 0; j < k; j++) {
		m->tau[j] = tau[j];
		m->tau_index[j] = tau_index[j];
	}
	m->coef = xcalloc(pa, sizeof(double));
	m->seg = xcalloc(ns, sizeof(*m->seg));
	m->slope_cov = xcalloc(ns * ns, sizeof(double));
	m->fitted = xcalloc(n, sizeof(double));
	hinge_design(x, n, xref, k, tau, -1, X);
	if (nj)
		for (size_t i = 0; i < n; i++)
			X[p * n + i] = (long)i >= jump_index ? 1 : 0;
	if (lsq(X, n, pa, lny, sw, m->coef, &m->sse, xtx, work)) {
		free(X);
		free(work);
		free(xtx);
		model_release(m);
		return tc_fail(err, "the %d-joinpoint model cannot be fitted (singular design)", k);
	}
	m->df = (int)n - (2 * k + 2) - (int)nj;
	sigma2 = m->df > 0 ? m->sse / m->df : NAN;
	tq = m->df > 0 ? gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)m->df) : NAN;
	/* segment slopes: b1 + d_1 + ... + d_s */
	for (size_t s = 0; s < ns; s++) {
		struct jp_segment *sg = &m->seg[s];
		double slope = m->coef[1];
		for (size_t j = 0; j < s; j++)
			slope += m->coef[2 + j];
		sg->slope = slope;
		sg->lower = s == 0 ? x[0] : tau[s - 1];
		sg->upper = s == ns - 1 ? x[n - 1] : tau[s];
	}
	segment_stats(m, xtx, pa, ns, sigma2, tq, m->df);
	for (size_t i = 0; i < n; i++) {
		double v = 0;
		for (size_t c = 0; c < pa; c++)
			v += X[c * n + i] * m->coef[c];
		m->fitted[i] = from_fit(linear, v);
	}
	/* WBIC weight: the largest partial R^2 of one slope change */
	m->r2max = 0;
	for (int j = 0; j < k; j++) {
		double sj;
		hinge_design(x, n, xref, k, tau, j, X);
		if (nj)
			for (size_t i = 0; i < n; i++)
				X[(p - 1) * n + i] = (long)i >= jump_index ? 1 : 0;
		if (lsq(X, n, pa - 1, lny, sw, NULL, &sj, NULL, work) == 0 && sj > sse_floor) {
			double r2 = (sj - m->sse) / sj;
			if (r2 < 0)
				r2 = 0;
			if (r2 > m->r2max)
				m->r2max = r2;
		}
	}
	if (nj) {
		double v = sigma2 * xtx[p * pa + p];
		m->has_jump = 1;
		m->jump_index = jump_index;
		m->jump = m->coef[p];
		m->jump_se = v >= 0 ? sqrt(v) : NAN;
		m->jump_lower = m->jump - tq * m->jump_se;
		m->jump_upper = m->jump + tq * m->jump_se;
	}
	sse_eff = m->sse > sse_floor ? m->sse : sse_floor;
	/* the jump is one more parameter in every criterion */
	m->bic = log(sse_eff / (double)n) + (2.0 * (k + 1) + (double)nj) * lnn / (double)n;
	m->bic3 = log(sse_eff / (double)n) + (3.0 * k + 2 + (double)nj) * lnn / (double)n;
	m->wbic = log(sse_eff / (double)n) + ((2.0 + m->r2max) * k + 2 + (double)nj) * lnn / (double)n;
	/*
	** Modified BIC (Zhang and Siegmund 2007), on the same per-point scale:
	** ln(SSE/n) + [3 k ln n + sum_i ln(l_i / n)] / n, l_i the number of
	** observations in segment i (a joinpoint observation starts its segment).
	*/
	{
		double pen = (3.0 * k + 2.0 * (double)nj) * lnn;
		size_t lo = 0;
		for (int s = 0; s <= k; s++) {
			size_t hi = lo;
			while (hi < n && (s == k || x[hi] < tau[s]))
				hi++;
			pen += log((double)(hi > lo ? hi - lo : 1) / (double)n);
			lo = hi;
		}
		m->mbic = log(sse_eff / (double)n) + pen / (double)n;
	}
	free(X);
	free(work);
	free(xtx);
	return 0;
}

/* ---------- the permutation test ---------- */

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

static double sse_ratio(double s0, double s1, double floor)
{
	if (!(s0 > floor))
		return 1.0;
	return s0 / (s1 > floor ? s1 : floor);
}

/* Fitted values (centred ln scale) of the best k fit: grid knots or Hudson taus. */
static void fitted_of(const struct perm_ctx *c, int k, double *out)
{
	size_t n = c->n, p = (size_t)k + 2;
	double *X = xmalloc(n * p * sizeof(double)), *work = xmalloc((n * p + n) * sizeof(double));
	double beta[JP_MAX_JOINPOINTS + 2], sse;

	for (size_t i = 0; i < n; i++) {
		X[i] = 1;
		X[n + i] = c->t[i];
	}
	for (int j = 0; j < k; j++) {
		double tau = c->hudson ? c->obs_tau[(size_t)k * c->kmax + j]
				       : c->t[c->obs_knots[(size_t)k * c->kmax + j]];
		for (size_t i = 0; i < n; i++)
			X[(size_t)(2 + j) * n + i] = c->t[i] > tau ? c->t[i] - tau : 0;
	}
	if (lsq(X, n, p, c->z, c->sw, beta, &sse, NULL, work) == 0) {
		for (size_t i = 0; i < n; i++) {
			double v = 0;
			for (size_t j = 0; j < p; j++)
				v += X[j * n + i] * beta[j];
			out[i] = v;
		}
	} else {
		memcpy(out, c->z, n * sizeof(double));	/* cannot happen for a fitted model */
	}
	free(X);
	free(work);
}

/*
** Orthonormal basis (modified Gram-Schmidt) of the grid design with the
** given knots, rows scaled by sw (may be NULL).
*/
static int ortho_basis(const double *t, const double *sw, size_t n, int k, const long *knots, double *Q)
{
	size_t p = (size_t)k + 2;

	build_grid_design(t, n, k, knots, Q);
	if (sw)
		for (size_t j = 0; j < p; j++)
			for (size_t i = 0; i < n; i++)
				Q[j * n + i] *= sw[i];
	for (size_t j = 0; j < p; j++) {
		double *q = Q + j * n, nrm = 0;
		for (size_t i2 = 0; i2 < j; i2++) {
			const double *qi = Q + i2 * n;
			double s = 0;
			for (size_t i = 0; i < n; i++)
				s += qi[i] * q[i];
			for (size_t i = 0; i < n; i++)
				q[i] -= s * qi[i];
		}
		for (size_t i = 0; i < n; i++)
			nrm += q[i] * q[i];
		nrm = sqrt(nrm);
		if (!(nrm > 1e-9))
			return -1;
		for (size_t i = 0; i < n; i++)
			q[i] /= nrm;
	}
	return 0;
}

static double proj_sse(const double *Q, size_t n, size_t p, const double *z, double zz)
{
	double s = zz;
	for (size_t j = 0; j < p; j++) {
		const double *q = Q + j * n;
		double c = 0;
		for (size_t i = 0; i < n; i++)
			c += q[i] * z[i];
		s -= c * c;
	}
	return s > 0 ? s : 0;
}

/* Best SSE for k = ka and kb on zp (grid or Hudson; DP or enumeration). */
static void perm_fit(struct perm_ctx *c, const double *zp, int ka, int kb, const double *U,
		     double *sse, long *knots)
{
	if (c->reference) {
		enum_best(c->t, zp, c->sw, c->n, kb, c->E, c->B, sse, knots);
	} else {
		dp_set_z(&c->dp, zp);
		dp_run(&c->dp, kb, U, 0, sse, knots);
	}
	if (c->hudson) {
		int ks[2] = { ka, kb };
		for (int w = 0; w < 2; w++) {
			int k = ks[w];
			double tau[JP_MAX_JOINPOINTS], s;
			long tidx[JP_MAX_JOINPOINTS];
			if (k == 0 || !isfinite(sse[k]))
				continue;
			hudson_search(c->t, zp, c->sw, c->n, k, knots + (size_t)k * kb, c->E, c->B, &s, tau, tidx);
			if (s < sse[k])
				sse[k] = s;
		}
	}
}

/*
** Exact decision "SSE*(ka) / SSE*(kb) >= tobs" for the z set in c->dp (grid
** search, fast path).  Bounds first: U from the observed model's
** joinpoints (any fit is an upper bound), L from discontinuous fits (a
** lower bound); only when they cannot decide is the DP run, with the
** decision threshold as its bound, so it prunes nearly everything.
*/
static int perm_decide(struct perm_ctx *c, int ka, int kb, double Ua, double Ub, double tobs)
{
	double L[JP_MAX_JOINPOINTS + 1], U[JP_MAX_JOINPOINTS + 1], sse[JP_MAX_JOINPOINTS + 1];
	double sa, thr, fl = c->floor;

	dp_lower(&c->dp, kb, L);
	if (L[ka] > fl) {
		/* here T = SSE_a / max(SSE_b, floor), increasing in SSE_a, decreasing in SSE_b */
		double thi = Ua / (L[kb] > fl ? L[kb] : fl), tlo = L[ka] / (Ub > fl ? Ub : fl);
		if (thi < tobs)
			return 0;
		if (tlo >= tobs)
			return 1;
	}
	for (int k = 0; k <= kb; k++)
		U[k] = NAN;
	if (ka == 0) {
		sa = Ua;	/* the projection on the line is the 0-joinpoint fit */
	} else {
		U[ka] = Ua;
		dp_run(&c->dp, ka, U, 1, sse, NULL);
		sa = sse[ka];
		U[ka] = NAN;
	}
	if (!(sa > fl))
		return 1.0 >= tobs;
	thr = sa / tobs;
	if (fl > thr)
		return 0;
	if (Ub <= thr)
		return 1;
	U[kb] = thr * (1 + 1e-12);
	dp_run(&c->dp, kb, U, 1, sse, NULL);
	return sse[kb] <= thr;
}

/*
** gsl_ran_shuffle() for doubles: the same draws in the same order (GSL's
** Fisher-Yates, j = gsl_rng_uniform_int(r, i + 1) for i = n-1 .. 1), so
** the same permutations, without its byte-wise generic swap.
*/
static void shuffle(gsl_rng *rng, double *v, size_t n)
{
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = (size_t)gsl_rng_uniform_int(rng, i + 1);
		double tmp = v[i];
		v[i] = v[j];
		v[j] = tmp;
	}
}

static void perm_test(struct perm_ctx *c, int ka, int kb, long N, double alpha_i, gsl_rng *rng,
		      struct jp_test *out)
{
	size_t n = c->n;
	double *yhat = xmalloc(4 * n * sizeof(double)), *e = yhat + n, *zp = e + n, *zs = zp + n;
	double *Q = xmalloc(n * (size_t)(2 * kb + 4) * sizeof(double));
	double *Qa = Q, *Qb = Q + n * (size_t)(ka + 2);
	double U[JP_MAX_JOINPOINTS + 1], sse[JP_MAX_JOINPOINTS + 1], Tobs;
	long *knots = xmalloc((size_t)(kb + 1) * (kb > 0 ? kb : 1) * sizeof(long));
	int bounds;
	long exceed = 0;

	fitted_of(c, ka, yhat);
	/* weighted: the standardised residuals sqrt(w) e are exchangeable */
	for (size_t i = 0; i < n; i++)
		e[i] = c->sw ? c->sw[i] * (c->z[i] - yhat[i]) : c->z[i] - yhat[i];
	Tobs = sse_ratio(c->obs_sse[ka], c->obs_sse[kb], c->floor);
	bounds = !c->reference
		 && ortho_basis(c->t, c->sw, n, ka, c->obs_knots + (size_t)ka * c->kmax, Qa) == 0
		 && ortho_basis(c->t, c->sw, n, kb, c->obs_knots + (size_t)kb * c->kmax, Qb) == 0;
	for (long b = 0; b < N; b++) {
		double zz = 0, T;
		shuffle(rng, e, n);
		if (c->sw) {
			for (size_t i = 0; i < n; i++) {
				zp[i] = yhat[i] + e[i] / c->sw[i];
				zs[i] = c->sw[i] * zp[i];
				zz += zs[i] * zs[i];
			}
		} else {
			for (size_t i = 0; i < n; i++) {
				zp[i] = yhat[i] + e[i];
				zz += zp[i] * zp[i];
			}
		}
		for (int k = 0; k <= kb; k++)
			U[k] = NAN;
		if (bounds) {
			/* any fit bounds the best one from above; slack for rounding */
			const double *zq = c->sw ? zs : zp;
			U[ka] = proj_sse(Qa, n, (size_t)ka + 2, zq, zz) * (1 + 1e-9) + 1e-300;
			U[kb] = proj_sse(Qb, n, (size_t)kb + 2, zq, zz) * (1 + 1e-9) + 1e-300;
		} else {
			U[ka] = U[kb] = INFINITY;
		}
		if (bounds && !c->hudson) {
			dp_set_z(&c->dp, zp);
			exceed += perm_decide(c, ka, kb, U[ka], U[kb], Tobs * (1 - 1e-10));
		} else {
			perm_fit(c, zp, ka, kb, U, sse, knots);
			T = sse_ratio(sse[ka], sse[kb], c->floor);
			if (T >= Tobs * (1 - 1e-10))
				exceed++;
		}
		c->done++;
		if (c->progress && (c->done % 64 == 0 || c->done == c->total))
			c->progress(c->progress_ud, c->done, c->total);
	}
	out->ka = ka;
	out->kb = kb;
	out->statistic = Tobs;
	out->permutations = N;
	out->exceed = exceed;
	out->p_value = (double)(exceed + 1) / (double)(N + 1);
	out->alpha = alpha_i;
	out->reject = out->p_value < alpha_i;
	free(yhat);
	free(Q);
	free(knots);
}

/* ---------- analysis ---------- */

void jp_result_release(struct jp_result *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->nmodels; i++)
		model_release(&r->models[i]);
	free(r->models);
	free(r->tests);
	memset(r, 0, sizeof(*r));
}

const struct jp_model *jp_selected_model(const struct jp_result *r)
{
	int i = r->selected - r->min_jp;
	return i >= 0 && i < r->nmodels ? &r->models[i] : NULL;
}

static int check_options(const struct jp_options *o, struct tc_err *err)
{
	if (o->min_jp < 0 || o->min_jp > JP_MAX_JOINPOINTS)
		return tc_failc(err, TC_EXIT_USAGE, "minimum number of joinpoints must be 0..%d, got %d",
				JP_MAX_JOINPOINTS, o->min_jp);
	if (o->max_jp > JP_MAX_JOINPOINTS)
		return tc_failc(err, TC_EXIT_USAGE, "maximum number of joinpoints must be at most %d, got %d",
				JP_MAX_JOINPOINTS, o->max_jp);
	if (o->min_obs_end < 1)
		return tc_failc(err, TC_EXIT_USAGE,
				"minimum observations at the ends must be at least 1, got %d", o->min_obs_end);
	if (o->min_obs_between < 0)
		return tc_failc(err, TC_EXIT_USAGE,
				"minimum observations between joinpoints must be at least 0, got %d",
				o->min_obs_between);
	if (o->select == JP_SELECT_PERMUTATION && (o->permutations < 1 || o->permutations > 100000000L))
		return tc_failc(err, TC_EXIT_USAGE, "number of permutations must be 1..100000000, got %ld",
				o->permutations);
	if (!(o->alpha > 0 && o->alpha < 1))
		return tc_failc(err, TC_EXIT_USAGE, "alpha must be between 0 and 1, got %g", o->alpha);
	if (!(o->level > 0 && o->level < 1))
		return tc_failc(err, TC_EXIT_USAGE, "confidence level must be between 0 and 1, got %g", o->level);
	return 0;
}

/* C(m, k) as a double (combinations of k knots among m places). */
static double choose(double m, int k)
{
	double c = 1;
	if (m < k)
		return 0;
	for (int j = 0; j < k; j++)
		c = c * (m - j) / (j + 1);
	return c;
}

double jp_search_cost(size_t n, const struct jp_options *o, int kmin, int kmax)
{
	double cost = 0, dn = (double)n;
	int perm = o->select == JP_SELECT_PERMUTATION && kmax > kmin;
	double refits = perm ? (double)o->permutations * (kmax - kmin) : 0;

	if (o->reference) {
		for (int k = 0; k <= kmax; k++)
			cost += (k ? choose(dn - 2.0 * o->min_obs_end - (k - 1.0) * o->min_obs_between, k) : 1)
				* dn * (k + 2.0) * (k + 2.0);
		cost *= 1 + refits;
	}
	if (o->method == JP_HUDSON && perm) {
		double moves = kmax <= 5 ? pow(3, kmax) : 2.0 * kmax + 1;
		cost += 2 * refits * moves * dn * (2.0 * kmax + 2) * (2.0 * kmax + 2);
	}
	return cost;
}

/* The size limits of jp_options (joinpoint.h): refuse before any work. */
static int check_size(size_t n, const struct jp_options *o, struct tc_err *err)
{
	if (o->max_points && n > o->max_points)
		return tc_failc(err, TC_EXIT_USAGE,
				"joinpoint: %zu points is more than the %zu the joinpoint search accepts; "
				"analyse a shorter --from/--to range, or use 'overdose trend' for one "
				"log-linear segment", n, o->max_points);
	if (o->max_points_permutation && n > o->max_points_permutation && o->select == JP_SELECT_PERMUTATION)
		return tc_failc(err, TC_EXIT_USAGE,
				"joinpoint: %zu points is more than the %zu the permutation test accepts "
				"(it would run for many minutes); use --select bic (up to %zu points), or "
				"a shorter --from/--to range", n, o->max_points_permutation, o->max_points);
	return 0;
}

static int check_cost(size_t n, const struct jp_options *o, int kmin, int kmax, struct tc_err *err)
{
	double cost = jp_search_cost(n, o, kmin, kmax);

	if (!(o->max_cost > 0) || cost <= o->max_cost)
		return 0;
	if (o->reference)
		return tc_failc(err, TC_EXIT_USAGE,
				"joinpoint: the exhaustive search (--exhaustive) of %zu points with up to %d "
				"joinpoints%s is estimated at %.1f times the cost limit (about a minute of "
				"CPU; it grows about as n^%d); drop --exhaustive (the default search finds "
				"the same fits), or give fewer --max-joinpoints%s or fewer points",
				n, kmax, o->select == JP_SELECT_PERMUTATION && kmax > kmin
				? " and the permutation test" : "", cost / o->max_cost, kmax + 1,
				o->select == JP_SELECT_PERMUTATION && kmax > kmin ? ", fewer --permutations" : "");
	return tc_failc(err, TC_EXIT_USAGE,
			"joinpoint: Hudson's search with the permutation test on %zu points with up to %d "
			"joinpoints and %ld permutations is estimated at %.1f times the cost limit (about a "
			"minute of CPU, more where the search iterates); use --method grid, an information "
			"criterion (--select bic), fewer --permutations or --max-joinpoints, or fewer points",
			n, kmax, o->permutations,
			cost / o->max_cost);
}

int jp_analyze(const double *x, const double *y, size_t n, const struct jp_options *opt,
	       gsl_rng *rng, struct jp_result *res, struct tc_err *err)
{
	struct perm_ctx pc;
	double *lny = NULL, *t = NULL, *zc = NULL, *sw = NULL, mean = 0, zz = 0;
	const double *w = opt->weights;
	int kmin, kmax, E, B, rc = -1;

	memset(res, 0, sizeof(*res));
	memset(&pc, 0, sizeof(pc));
	if (check_options(opt, err) || check_size(n, opt, err))
		return -1;
	E = opt->min_obs_end;
	B = opt->min_obs_between;
	if (n < 3)
		return tc_fail(err, "joinpoint regression needs at least 3 points, got %zu", n);
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]))
			return tc_fail(err, "x value %zu is not a finite number", i + 1);
		if (i && !(x[i] > x[i - 1]))
			return tc_fail(err, "x values must be strictly increasing: %g follows %g", x[i], x[i - 1]);
		if (!isfinite(y[i]))
			return tc_fail(err, "the value at x = %g is missing or not finite", x[i]);
		if (y[i] <= 0 && !opt->linear)
			return tc_fail(err, "the value at x = %g is %g; a log-linear model needs values > 0 "
				       "(--model linear fits y itself)", x[i], y[i]);
		if (w && !(isfinite(w[i]) && w[i] > 0))
			return tc_fail(err, "the weight at x = %g is %g; weights must be finite and > 0 "
				       "(a standard error must be > 0)", x[i], w[i]);
	}

	kmin = opt->min_jp;
	kmax = opt->max_jp < 0 ? jp_default_max(n, E, B) : opt->max_jp;
	if (opt->max_jp < 0 && kmax < kmin)
		kmax = kmin;
	if (kmax < kmin)
		return tc_failc(err, TC_EXIT_USAGE, "minimum joinpoints (%d) exceeds the maximum (%d)", kmin, kmax);
	if (opt->jump_index >= 0) {
		if (opt->jump_index < 1 || opt->jump_index > (long)n - 1)
			return tc_failc(err, TC_EXIT_USAGE, "the jump must start after the first point and "
					"no later than the last (index %ld of %zu)", opt->jump_index, n);
		if (opt->select == JP_SELECT_PERMUTATION || opt->method != JP_GRID || opt->reference)
			return tc_failc(err, TC_EXIT_USAGE, "the jump model uses the grid search and an "
					"information criterion (--select bic, bic3, wbic or mbic)");
		if ((long)n - (2L * kmax + 3) < 1)
			return tc_fail(err, "%zu points are too few for %d joinpoints and a jump", n, kmax);
	}
	if (!k_feasible(n, kmax, E, B))
		return tc_fail(err, "%zu points are too few for %d joinpoint%s: need at least %ld "
			       "(%d at each end, %d between joinpoints) and more than %d parameters; "
			       "the most these data allow is %d",
			       n, kmax, kmax == 1 ? "" : "s",
			       jp_min_obs(kmax, E, B) > 2L * kmax + 3 ? jp_min_obs(kmax, E, B) : 2L * kmax + 3,
			       E, B, 2 * kmax + 2, jp_feasible_max(n, E, B));
	if (check_cost(n, opt, kmin, kmax, err))
		return -1;

	lny = xmalloc(4 * n * sizeof(double));
	t = lny + n;
	zc = t + n;
	if (w) {
		sw = zc + n;
		for (size_t i = 0; i < n; i++)
			sw[i] = sqrt(w[i]);
	}
	for (size_t i = 0; i < n; i++) {
		lny[i] = to_fit(opt->linear, y[i]);
		mean += lny[i];
	}
	mean /= (double)n;
	for (size_t i = 0; i < n; i++) {
		zc[i] = lny[i] - mean;
		zz += (w ? w[i] : 1.0) * zc[i] * zc[i];
	}
	to_t(x, n, t);
	pc.w = w;
	pc.sw = sw;

	pc.t = t;
	pc.z = zc;
	pc.n = n;
	pc.E = E;
	pc.B = B;
	pc.kmax = kmax;
	pc.hudson = opt->method == JP_HUDSON;
	pc.reference = opt->reference;
	pc.floor = 1e-12 * zz + 1e-300;
	pc.obs_sse = xcalloc((size_t)kmax + 1, sizeof(double));
	pc.obs_knots = xcalloc((size_t)(kmax + 1) * (kmax > 0 ? kmax : 1), sizeof(long));
	pc.obs_tau = xcalloc((size_t)(kmax + 1) * (kmax > 0 ? kmax : 1), sizeof(double));
	pc.obs_tidx = xcalloc((size_t)(kmax + 1) * (kmax > 0 ? kmax : 1), sizeof(long));
	if (!opt->reference)
		dp_init(&pc.dp, t, w, sw, n, kmax, E, B);
	if (opt->reference)
		enum_best(t, zc, sw, n, kmax, E, B, pc.obs_sse, pc.obs_knots);
	else
		dp_best(&pc.dp, zc, kmax, pc.obs_sse, pc.obs_knots);
	if (opt->jump_index >= 0)
		jump_search(&pc.dp, zc, n, opt->jump_index, kmax, pc.obs_sse, pc.obs_knots);
	for (int k = 0; k <= kmax; k++) {
		long *kn = pc.obs_knots + (size_t)k * (kmax > 0 ? kmax : 1);
		if (!isfinite(pc.obs_sse[k])) {
			tc_fail(err, "no allowed placement of %d joinpoints in %zu points", k, n);
			goto out;
		}
		for (int j = 0; j < k; j++) {
			pc.obs_tau[(size_t)k * kmax + j] = t[kn[j]];
			pc.obs_tidx[(size_t)k * kmax + j] = kn[j];
		}
		if (pc.hudson && k > 0)
			hudson_search(t, zc, sw, n, k, kn, E, B, &pc.obs_sse[k],
				      pc.obs_tau + (size_t)k * kmax, pc.obs_tidx + (size_t)k * kmax);
	}

	res->n = n;
	res->level = opt->level;
	res->min_jp = kmin;
	res->max_jp = kmax;
	res->select = opt->select;
	res->method = opt->method;
	res->nmodels = kmax - kmin + 1;
	res->models = xcalloc((size_t)res->nmodels, sizeof(*res->models));
	for (int k = kmin; k <= kmax; k++) {
		double tau[JP_MAX_JOINPOINTS];
		long tidx[JP_MAX_JOINPOINTS];
		double h = (x[n - 1] - x[0]) / (double)(n - 1);
		for (int j = 0; j < k; j++) {
			tidx[j] = pc.obs_tidx[(size_t)k * kmax + j];
			tau[j] = tidx[j] >= 0 ? x[tidx[j]] : x[0] + h * pc.obs_tau[(size_t)k * kmax + j];
		}
		if (model_fit(x, lny, sw, opt->linear, n, k, tau, tidx, opt->jump_index, opt->level, pc.floor,
			      &res->models[k - kmin], err)) {
			res->nmodels = k - kmin;
			goto out;
		}
	}

	if (opt->select == JP_SELECT_PERMUTATION) {
		int ka = kmin, kb = kmax;
		if (kmax > kmin && !rng) {
			tc_failc(err, TC_EXIT_USAGE, "the permutation test needs a random number generator");
			goto out;
		}
		res->tests = xcalloc((size_t)(kmax - kmin) + 1, sizeof(*res->tests));
		pc.total = (long)(kmax - kmin) * opt->permutations;
		pc.progress = opt->progress;
		pc.progress_ud = opt->progress_ud;
		while (ka < kb) {
			struct jp_test *tst = &res->tests[res->ntests++];
			perm_test(&pc, ka, kb, opt->permutations, opt->alpha / (double)(kmax - ka), rng, tst);
			if (tst->reject)
				ka++;
			else
				kb--;
		}
		res->selected = ka;
	} else {
		int best = kmin;
		double bv = INFINITY;
		for (int i = 0; i < res->nmodels; i++) {
			const struct jp_model *m = &res->models[i];
			double v = opt->select == JP_SELECT_BIC ? m->bic
				   : opt->select == JP_SELECT_BIC3 ? m->bic3
				   : opt->select == JP_SELECT_MBIC ? m->mbic : m->wbic;
			if (v < bv - 1e-12) {
				bv = v;
				best = m->k;
			}
		}
		res->selected = best;
	}
	/*
	** Every number reported is finite or a documented missing value (an
	** exact fit has no CI): a selected segment whose APC or CI bound
	** overflows (a jump of hundreds of orders of magnitude) is an error,
	** as for the single trend, never inf.
	*/
	{
		const struct jp_model *m = jp_selected_model(res);
		for (int s = 0; s <= m->k; s++)
			if (isinf(m->seg[s].apc) || isinf(m->seg[s].apc_lower) ||
			    isinf(m->seg[s].apc_upper)) {
				tc_fail(err, "the trend is too steep to report: segment %d of the selected "
					"model (%d joinpoints) has an annual percent change or confidence "
					"bound that overflows", s + 1, m->k);
				goto out;
			}
	}
	rc = 0;
out:
	if (!opt->reference)
		dp_release(&pc.dp);
	free(pc.obs_sse);
	free(pc.obs_knots);
	free(pc.obs_tau);
	free(pc.obs_tidx);
	free(lny);
	if (rc)
		jp_result_release(res);
	return rc;
}

/* ---------- AAPC ---------- */

int jp_aapc(const struct jp_model *m, double level, double from, double to,
	    struct jp_aapc *out, struct tc_err *err)
{
	int ns = m->k + 1, used = 0;
	double w[JP_MAX_JOINPOINTS + 1], sw = 0, sb = 0, var = 0, q;
	double lo = m->seg[0].lower, hi = m->seg[ns - 1].upper;

	if (!isfinite(from) || !isfinite(to) || !(from < to))
		return tc_failc(err, TC_EXIT_USAGE, "an AAPC range needs from < to");
	if (from < lo - 1e-9 || to > hi + 1e-9)
		return tc_fail(err, "the AAPC range %g..%g is outside the data (%g..%g)", from, to, lo, hi);
	for (int s = 0; s < ns; s++) {
		double a = m->seg[s].lower > from ? m->seg[s].lower : from;
		double b = m->seg[s].upper < to ? m->seg[s].upper : to;
		w[s] = b > a ? b - a : 0;
		if (w[s] > 0)
			used++;
		sw += w[s];
		sb += w[s] * m->seg[s].slope;
	}
	for (int a = 0; a < ns; a++)
		for (int b = 0; b < ns; b++)
			var += w[a] * w[b] * m->slope_cov[a * ns + b];
	var /= sw * sw;
	out->from = from;
	out->to = to;
	out->aapc = pct(m->linear, sb / sw);
	out->se = var >= 0 ? sqrt(var) : NAN;
	out->t_based = used == 1;
	q = out->t_based ? (m->df > 0 ? gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)m->df) : NAN)
			 : gsl_cdf_ugaussian_Pinv(0.5 + level / 2);
	if (isfinite(q) && isfinite(out->se)) {
		out->lower = pct(m->linear, sb / sw - q * out->se);
		out->upper = pct(m->linear, sb / sw + q * out->se);
	} else {
		out->lower = out->upper = NAN;
	}
	if (isinf(out->aapc) || isinf(out->lower) || isinf(out->upper))
		return tc_fail(err, "the average annual percent change over %g..%g is too steep to "
			       "report: it or its confidence bound overflows", from, to);
	return 0;
}

/* ---------- AR(1) errors: generalised least squares at fixed joinpoints ---------- */

void jp_model_release(struct jp_model *m)
{
	if (m)
		model_release(m);
}

/*
** Whitened problem for a given rho: rows scaled by sqrt(w), then the
** Prais-Winsten transform (first row times sqrt(1 - rho^2), row i minus
** rho times row i - 1), which turns Var = sigma^2 W^-1/2 R W^-1/2,
** R_ij = rho^|i-j|, into sigma^2 I.  Xt (n*p) and zt (n) are written.
*/
static void ar1_whiten(const double *X, const double *z, const double *sw, size_t n, size_t p,
		       double rho, double *Xt, double *zt)
{
	double f = sqrt(1 - rho * rho);

	for (size_t j = 0; j <= p; j++) {
		const double *src = j < p ? X + j * n : z;
		double *dst = j < p ? Xt + j * n : zt;
		double prev = 0;
		for (size_t i = 0; i < n; i++) {
			double v = sw ? src[i] * sw[i] : src[i];
			dst[i] = i == 0 ? f * v : v - rho * prev;
			prev = v;
		}
	}
}

/* log det of the p x p symmetric positive definite A (row-major) by Cholesky; NAN if not PD. */
static double logdet_spd(const double *A, size_t p)
{
	double L[(JP_MAX_JOINPOINTS + 2) * (JP_MAX_JOINPOINTS + 2)], ld = 0;

	for (size_t i = 0; i < p; i++)
		for (size_t j = 0; j <= i; j++) {
			double s = A[i * p + j];
			for (size_t q = 0; q < j; q++)
				s -= L[i * p + q] * L[j * p + q];
			if (i == j) {
				if (!(s > 0))
					return NAN;
				L[i * p + i] = sqrt(s);
				ld += 2 * log(L[i * p + i]);
			} else {
				L[i * p + j] = s / L[j * p + j];
			}
		}
	return ld;
}

/*
** Restricted (REML) log-likelihood profiled over beta and sigma^2, up to a
** constant, as nlme::gls maximises it:
**   -(n - p)/2 ln SSE~ + 1/2 ln(1 - rho^2) - 1/2 ln |X~'X~|
** (|R| = (1 - rho^2)^(n-1) for AR(1), and the whitening P has
** P'P = (1 - rho^2) R^-1, which scales SSE~ and X~'X~).  NAN when the fit fails.
*/
static double ar1_reml(const double *X, const double *z, const double *sw, size_t n, size_t p,
		       double rho, double *Xt, double *zt, double *work)
{
	double sse, xtx[(JP_MAX_JOINPOINTS + 2) * (JP_MAX_JOINPOINTS + 2)];

	ar1_whiten(X, z, sw, n, p, rho, Xt, zt);
	if (lsq(Xt, n, p, zt, NULL, NULL, &sse, NULL, work) || !(sse > 0))
		return NAN;
	for (size_t a = 0; a < p; a++)
		for (size_t b = 0; b < p; b++) {
			double s = 0;
			for (size_t i = 0; i < n; i++)
				s += Xt[a * n + i] * Xt[b * n + i];
			xtx[a * p + b] = s;
		}
	return -0.5 * (double)(n - p) * log(sse) + 0.5 * log1p(-rho * rho) - 0.5 * logdet_spd(xtx, p);
}

int jp_ar1_refit(const double *x, const double *y, const double *weights, size_t n,
		 const struct jp_model *m, double rho, double level, struct jp_model *out,
		 double *rho_out, struct tc_err *err)
{
	int k = m->k, estimated = isnan(rho);
	size_t p = (size_t)k + 2, ns = (size_t)k + 1;
	double *X, *Xt, *z, *zt, *work, *sw = NULL, xtxinv[(JP_MAX_JOINPOINTS + 2) * (JP_MAX_JOINPOINTS + 2)];
	double sigma2, tq;

	memset(out, 0, sizeof(*out));
	if (!estimated && !(rho > -1 && rho < 1))
		return tc_failc(err, TC_EXIT_USAGE, "the AR(1) autocorrelation must lie strictly between -1 and 1, got %g", rho);
	if ((long)n - (2L * k + 2) - estimated < 1)
		return tc_fail(err, "%zu points are too few for AR(1) errors with %d joinpoint%s", n, k,
			       k == 1 ? "" : "s");
	X = xmalloc(n * p * sizeof(double));
	Xt = xmalloc(n * p * sizeof(double));
	z = xmalloc(3 * n * sizeof(double));
	zt = z + n;
	work = xmalloc((n * p + n) * sizeof(double));
	if (weights) {
		sw = zt + n;
		for (size_t i = 0; i < n; i++)
			sw[i] = sqrt(weights[i]);
	}
	for (size_t i = 0; i < n; i++)
		z[i] = to_fit(m->linear, y[i]);
	hinge_design(x, n, m->x_ref, k, m->tau, -1, X);
	if (estimated) {
		/* grid over (-0.99, 0.99), then golden-section refinement around the best */
		double best = -INFINITY, rb = 0, lo, hi, g = (sqrt(5) - 1) / 2, a, b, fa, fb;
		for (int q = -99; q <= 99; q++) {
			double r = q / 100.0, v = ar1_reml(X, z, sw, n, p, r, Xt, zt, work);
			if (isfinite(v) && v > best) {
				best = v;
				rb = r;
			}
		}
		if (!isfinite(best)) {
			free(X); free(Xt); free(z); free(work);
			return tc_fail(err, "the AR(1) model cannot be fitted (singular design)");
		}
		lo = rb - 0.01 > -0.999 ? rb - 0.01 : -0.999;
		hi = rb + 0.01 < 0.999 ? rb + 0.01 : 0.999;
		a = hi - g * (hi - lo);
		b = lo + g * (hi - lo);
		fa = ar1_reml(X, z, sw, n, p, a, Xt, zt, work);
		fb = ar1_reml(X, z, sw, n, p, b, Xt, zt, work);
		for (int it = 0; it < 60; it++) {
			if (fa > fb) {
				hi = b;
				b = a;
				fb = fa;
				a = hi - g * (hi - lo);
				fa = ar1_reml(X, z, sw, n, p, a, Xt, zt, work);
			} else {
				lo = a;
				a = b;
				fa = fb;
				b = lo + g * (hi - lo);
				fb = ar1_reml(X, z, sw, n, p, b, Xt, zt, work);
			}
		}
		rho = (lo + hi) / 2;
		if (fabs(rho) > 0.995) {
			free(X); free(Xt); free(z); free(work);
			return tc_fail(err, "the estimated AR(1) autocorrelation is %.3f, at the edge of "
				       "(-1, 1): the errors look non-stationary and the AR(1) model does not "
				       "apply; give --ar1 RHO or drop it", rho);
		}
	}
	*rho_out = rho;
	out->k = k;
	out->linear = m->linear;
	out->x_ref = m->x_ref;
	out->tau = xcalloc(ns, sizeof(double));
	out->tau_index = xcalloc(ns, sizeof(long));
	memcpy(out->tau, m->tau, (size_t)k * sizeof(double));
	memcpy(out->tau_index, m->tau_index, (size_t)k * sizeof(long));
	out->coef = xcalloc(p, sizeof(double));
	out->seg = xcalloc(ns, sizeof(*out->seg));
	out->slope_cov = xcalloc(ns * ns, sizeof(double));
	out->fitted = xcalloc(n, sizeof(double));
	ar1_whiten(X, z, sw, n, p, rho, Xt, zt);
	if (lsq(Xt, n, p, zt, NULL, out->coef, &out->sse, xtxinv, work)) {
		free(X); free(Xt); free(z); free(work);
		model_release(out);
		return tc_fail(err, "the AR(1) model cannot be fitted (singular design)");
	}
	out->df = (int)n - (2 * k + 2) - estimated;
	out->bic = out->bic3 = out->wbic = out->mbic = NAN;
	out->r2max = m->r2max;
	sigma2 = out->sse / out->df;
	tq = gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)out->df);
	for (size_t s = 0; s < ns; s++) {
		struct jp_segment *sg = &out->seg[s];
		double slope = out->coef[1];
		for (size_t j = 0; j < s; j++)
			slope += out->coef[2 + j];
		sg->slope = slope;
		sg->lower = m->seg[s].lower;
		sg->upper = m->seg[s].upper;
	}
	segment_stats(out, xtxinv, p, ns, sigma2, tq, out->df);
	for (size_t s = 0; s < ns; s++) {
		const struct jp_segment *sg = &out->seg[s];
		if (isinf(sg->apc) || isinf(sg->apc_lower) || isinf(sg->apc_upper)) {
			free(X); free(Xt); free(z); free(work);
			model_release(out);
			return tc_fail(err, "the AR(1) fit is too steep to report: segment %zu overflows", s + 1);
		}
	}
	for (size_t i = 0; i < n; i++) {
		double v = 0;
		for (size_t c = 0; c < p; c++)
			v += X[c * n + i] * out->coef[c];
		out->fitted[i] = from_fit(out->linear, v);
	}
	free(X);
	free(Xt);
	free(z);
	free(work);
	return 0;
}

/* ---------- empirical-quantile confidence intervals ---------- */

void jp_empirical_release(struct jp_empirical *e)
{
	if (!e)
		return;
	free(e->apc_lower);
	free(e->tau_lower);
	free(e->aapc_lower);
	memset(e, 0, sizeof(*e));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Quantile of sorted v[0..m-1] by linear interpolation (R's type 7). */
static double quantile7(const double *v, long m, double prob)
{
	double h = (double)(m - 1) * prob;
	long lo = (long)floor(h);

	if (m <= 0)
		return NAN;
	if (lo >= m - 1)
		return v[m - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

int jp_empirical_ci(const double *x, const double *y, const double *weights, size_t n,
		    const struct jp_model *m, int min_obs_end, int min_obs_between, long resamples,
		    double level, const double *aapc_from, const double *aapc_to, int naapc,
		    gsl_rng *rng, struct jp_empirical *out, struct tc_err *err)
{
	int k = m->k, K = k, ns = k + 1;
	size_t p = (size_t)k + 2;
	struct dp d;
	double *t, *z, *yhat, *e, *zp, *zs, *sw = NULL, *Q, *X, *work, *draws, mean = 0;
	double h = (x[n - 1] - x[0]) / (double)(n - 1), q_lo = (1 - level) / 2;
	long knots_obs[JP_MAX_JOINPOINTS], knots[(JP_MAX_JOINPOINTS + 1) * JP_MAX_JOINPOINTS];
	long good = 0;
	int bounds;
	size_t ncol = (size_t)ns + (size_t)k + (size_t)naapc;

	memset(out, 0, sizeof(*out));
	if (resamples < 10 || resamples > 10000000L)
		return tc_failc(err, TC_EXIT_USAGE, "the number of resamples must be 10..10000000, got %ld",
				resamples);
	if (!(level > 0 && level < 1))
		return tc_failc(err, TC_EXIT_USAGE, "confidence level must be between 0 and 1, got %g", level);
	if (!rng)
		return tc_failc(err, TC_EXIT_USAGE, "empirical confidence intervals need a random number generator");
	for (int j = 0; j < k; j++) {
		if (m->tau_index[j] < 0)
			return tc_failc(err, TC_EXIT_USAGE, "empirical confidence intervals need grid joinpoints "
					"(--method grid)");
		knots_obs[j] = m->tau_index[j];
	}
	for (int a = 0; a < naapc; a++)
		if (!(aapc_from[a] < aapc_to[a]) || aapc_from[a] < x[0] || aapc_to[a] > x[n - 1])
			return tc_failc(err, TC_EXIT_USAGE, "an AAPC range must lie inside the data, from < to");
	t = xmalloc(6 * n * sizeof(double));
	z = t + n;
	yhat = z + n;
	e = yhat + n;
	zp = e + n;
	zs = zp + n;
	if (weights) {
		sw = xmalloc(n * sizeof(double));
		for (size_t i = 0; i < n; i++)
			sw[i] = sqrt(weights[i]);
	}
	to_t(x, n, t);
	for (size_t i = 0; i < n; i++)
		mean += to_fit(m->linear, y[i]);
	mean /= (double)n;
	for (size_t i = 0; i < n; i++) {
		z[i] = to_fit(m->linear, y[i]) - mean;
		yhat[i] = to_fit(m->linear, m->fitted[i]) - mean;
		e[i] = sw ? sw[i] * (z[i] - yhat[i]) : z[i] - yhat[i];
	}
	Q = xmalloc(n * p * sizeof(double));
	X = xmalloc(n * p * sizeof(double));
	work = xmalloc((n * p + n) * sizeof(double));
	draws = xmalloc((size_t)resamples * ncol * sizeof(double));
	bounds = ortho_basis(t, sw, n, k, knots_obs, Q) == 0;
	dp_init(&d, t, weights, sw, n, K, min_obs_end, min_obs_between);
	for (long b = 0; b < resamples; b++) {
		double U[JP_MAX_JOINPOINTS + 1], L[JP_MAX_JOINPOINTS + 1], sse[JP_MAX_JOINPOINTS + 1];
		double beta[JP_MAX_JOINPOINTS + 2], s, slope[JP_MAX_JOINPOINTS + 1], zz = 0;
		double *row = draws + (size_t)good * ncol;

		for (size_t i = 0; i < n; i++) {
			double r = e[gsl_rng_uniform_int(rng, n)];
			zp[i] = yhat[i] + (sw ? r / sw[i] : r);
			zs[i] = sw ? sw[i] * zp[i] : zp[i];
			zz += zs[i] * zs[i];
		}
		for (int q = 0; q <= K; q++)
			U[q] = NAN;
		U[k] = bounds ? proj_sse(Q, n, p, zs, zz) * (1 + 1e-9) + 1e-300 : INFINITY;
		dp_set_z(&d, zp);
		dp_lower(&d, K, L);
		dp_run(&d, K, U, 1, sse, knots);
		if (!isfinite(sse[k]))
			continue;
		build_grid_design(t, n, k, knots + (size_t)k * K, X);
		if (lsq(X, n, p, zp, sw, beta, &s, NULL, work))
			continue;
		for (int sg = 0; sg < ns; sg++) {
			slope[sg] = (sg == 0 ? beta[1] : slope[sg - 1] + beta[1 + sg]);
			row[sg] = pct(m->linear, slope[sg] / h);
		}
		for (int j = 0; j < k; j++)
			row[ns + j] = x[knots[(size_t)k * K + j]];
		for (int a = 0; a < naapc; a++) {
			double sb = 0, swt = 0;
			for (int sg = 0; sg < ns; sg++) {
				double lo = sg == 0 ? x[0] : x[knots[(size_t)k * K + sg - 1]];
				double hi = sg == k ? x[n - 1] : x[knots[(size_t)k * K + sg]];
				double aa = lo > aapc_from[a] ? lo : aapc_from[a];
				double bb = hi < aapc_to[a] ? hi : aapc_to[a];
				if (bb > aa) {
					sb += (bb - aa) * slope[sg] / h;
					swt += bb - aa;
				}
			}
			row[ns + k + a] = pct(m->linear, sb / swt);
		}
		good++;
	}
	dp_release(&d);
	out->resamples = resamples;
	out->used = good;
	out->k = k;
	out->naapc = naapc;
	out->level = level;
	out->apc_lower = xcalloc(2 * (size_t)ns, sizeof(double));
	out->apc_upper = out->apc_lower + ns;
	out->tau_lower = xcalloc(2 * (size_t)(k > 0 ? k : 1), sizeof(double));
	out->tau_upper = out->tau_lower + k;
	out->aapc_lower = xcalloc(2 * (size_t)(naapc > 0 ? naapc : 1), sizeof(double));
	out->aapc_upper = out->aapc_lower + naapc;
	if (good < 10 || good < resamples / 2) {
		free(t); free(sw); free(Q); free(X); free(work); free(draws);
		jp_empirical_release(out);
		return tc_fail(err, "empirical confidence intervals: only %ld of %ld resampled fits succeeded",
			       good, resamples);
	}
	{
		double *col = xmalloc((size_t)good * sizeof(double));
		for (size_t c = 0; c < ncol; c++) {
			double lo, hi;
			for (long b = 0; b < good; b++)
				col[b] = draws[(size_t)b * ncol + c];
			qsort(col, (size_t)good, sizeof(double), cmp_double);
			lo = quantile7(col, good, q_lo);
			hi = quantile7(col, good, 1 - q_lo);
			if (c < (size_t)ns) {
				out->apc_lower[c] = lo;
				out->apc_upper[c] = hi;
			} else if (c < (size_t)(ns + k)) {
				out->tau_lower[c - (size_t)ns] = lo;
				out->tau_upper[c - (size_t)ns] = hi;
			} else {
				out->aapc_lower[c - (size_t)(ns + k)] = lo;
				out->aapc_upper[c - (size_t)(ns + k)] = hi;
			}
		}
		free(col);
	}
	free(t);
	free(sw);
	free(Q);
	free(X);
	free(work);
	free(draws);
	for (int sg = 0; sg < ns; sg++)
		if (!isfinite(out->apc_lower[sg]) || !isfinite(out->apc_upper[sg])) {
			jp_empirical_release(out);
			return tc_fail(err, "empirical confidence interval of segment %d overflows", sg + 1);
		}
	return 0;
}

/* ---------- comparing two series: coincidence and parallelism ---------- */

/*
** Pooled fits at common x (docs/joinpoint.md): with u = (z1 + z2)/2 and
** d = z1 - z2, sum_g (z_g - f)^2 = 2 (u - f)^2 + d^2 / 2, so
**   coincidence (one curve):       SSE0 = 2 SSE_k0(u) + sum d^2 / 2
**   parallelism (curve + shift):   SSE0 = 2 SSE_k0(u) + sum (d - mean d)^2 / 2
** against SSE1 = SSE_k1(z1) + SSE_k2(z2), all best grid fits.
*/
static void compare_sse(struct dp *d, const double *z1, const double *z2, double *u, size_t n,
			int k0, int k1, int k2, double *sse1, double *coin, double *par)
{
	double s[JP_MAX_JOINPOINTS + 1], su, dd = 0, dm = 0, a, b;
	int K = k0 > k1 ? k0 : k1;

	K = K > k2 ? K : k2;
	for (size_t i = 0; i < n; i++) {
		u[i] = 0.5 * (z1[i] + z2[i]);
		dm += z1[i] - z2[i];
		dd += (z1[i] - z2[i]) * (z1[i] - z2[i]);
	}
	dm /= (double)n;
	dp_best(d, z1, K, s, NULL);
	a = s[k1];
	dp_best(d, z2, K, s, NULL);
	b = s[k2];
	dp_best(d, u, K, s, NULL);
	su = s[k0];
	*sse1 = a + b;
	*coin = 2 * su + 0.5 * dd;
	*par = 2 * su + 0.5 * (dd - (double)n * dm * dm);
	if (*par < 0)
		*par = 0;
}

int jp_compare(const double *x, const double *y1, const double *y2, size_t n, int k1, int k2,
	       const struct jp_options *opt, gsl_rng *rng, struct jp_comparison *out, struct tc_err *err)
{
	struct dp d;
	double *t, *z1, *z2, *u, *p1, *p2, m1 = 0, sse1, coin, par, floor;
	int k0 = k1 > k2 ? k1 : k2, K;
	long N = opt->permutations, ec = 0, ep = 0;

	memset(out, 0, sizeof(*out));
	if (k1 < 0 || k2 < 0 || k1 > JP_MAX_JOINPOINTS || k2 > JP_MAX_JOINPOINTS)
		return tc_failc(err, TC_EXIT_USAGE, "comparison: bad numbers of joinpoints");
	if (!rng)
		return tc_failc(err, TC_EXIT_USAGE, "comparison: the permutation test needs a random number generator");
	if (N < 1 || N > 100000000L)
		return tc_failc(err, TC_EXIT_USAGE, "number of permutations must be 1..100000000, got %ld", N);
	if (n < 3)
		return tc_fail(err, "comparison needs at least 3 points, got %zu", n);
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]) || (i && !(x[i] > x[i - 1])))
			return tc_fail(err, "comparison: x values must be finite and strictly increasing");
		if (!(isfinite(y1[i]) && y1[i] > 0) || !(isfinite(y2[i]) && y2[i] > 0))
			return tc_fail(err, "comparison: the values at x = %g must be numbers > 0 in both series", x[i]);
	}
	K = k0;
	if (jp_feasible_max(n, opt->min_obs_end, opt->min_obs_between) < K)
		return tc_fail(err, "comparison: %zu points are too few for %d joinpoints", n, K);
	t = xmalloc(6 * n * sizeof(double));
	z1 = t + n;
	z2 = z1 + n;
	u = z2 + n;
	p1 = u + n;
	p2 = p1 + n;
	to_t(x, n, t);
	/* centre both by the same constant: SSEs and shifts do not change */
	for (size_t i = 0; i < n; i++)
		m1 += log(y1[i]);
	m1 /= (double)n;
	for (size_t i = 0; i < n; i++) {
		z1[i] = log(y1[i]) - m1;
		z2[i] = log(y2[i]) - m1;
	}
	dp_init(&d, t, NULL, NULL, n, K, opt->min_obs_end, opt->min_obs_between);
	compare_sse(&d, z1, z2, u, n, k0, k1, k2, &sse1, &coin, &par);
	floor = 1e-12 * (coin + sse1) + 1e-300;
	out->k1 = k1;
	out->k2 = k2;
	out->k0 = k0;
	out->sse1 = sse1;
	out->sse_coincidence = coin;
	out->sse_parallel = par;
	{
		double dm = 0;
		for (size_t i = 0; i < n; i++)
			dm += z2[i] - z1[i];
		dm /= (double)n;
		out->shift = dm;
		out->ratio = exp(dm);
	}
	out->stat_coincidence = sse_ratio(coin, sse1, floor);
	out->stat_parallel = sse_ratio(par, sse1, floor);
	for (long b = 0; b < N; b++) {
		double s1, c, p;
		/*
		** Under coincidence the two values at each x are exchangeable;
		** under parallelism after removing the estimated shift.  Each
		** pair is swapped with probability 1/2.
		*/
		for (size_t i = 0; i < n; i++) {
			int sw = gsl_rng_uniform_int(rng, 2) == 1;
			p1[i] = sw ? z2[i] : z1[i];
			p2[i] = sw ? z1[i] : z2[i];
		}
		compare_sse(&d, p1, p2, u, n, k0, k1, k2, &s1, &c, &p);
		if (sse_ratio(c, s1, floor) >= out->stat_coincidence * (1 - 1e-10))
			ec++;
		/* parallelism: swap the shift-corrected values, then restore the shift */
		for (size_t i = 0; i < n; i++) {
			double a = z1[i], bb = z2[i] - out->shift;
			int sw = gsl_rng_uniform_int(rng, 2) == 1;
			p1[i] = sw ? bb : a;
			p2[i] = (sw ? a : bb) + out->shift;
		}
		compare_sse(&d, p1, p2, u, n, k0, k1, k2, &s1, &c, &p);
		if (sse_ratio(p, s1, floor) >= out->stat_parallel * (1 - 1e-10))
			ep++;
	}
	dp_release(&d);
	free(t);
	out->permutations = N;
	out->exceed_coincidence = ec;
	out->exceed_parallel = ep;
	out->p_coincidence = (double)(ec + 1) / (double)(N + 1);
	out->p_parallel = (double)(ep + 1) / (double)(N + 1);
	return 0;
}

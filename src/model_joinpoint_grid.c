/*
** model_joinpoint_grid.c: the grid search of the joinpoint model: least
** squares (Householder QR), the exact dynamic program over knots with its
** lower and upper bounds, the exhaustive enumeration it is checked against,
** the jump model, and jp_best_grid().  docs/joinpoint.md has the proof
** sketch of the dynamic program.  Pure: no I/O, no globals.
*/
#include "model_joinpoint_impl.h"

#ifdef __SSE2__
#include <emmintrin.h>	/* two doubles at a time in the lower-bound tables (x86-64 baseline) */
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>	/* four at a time where the CPU has AVX2 (checked at run time) */
#define JP_AVX2 1
#endif
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- least squares (Householder QR) ---------- */

/*
** Solve min ||X b - z|| for X (n x p, column-major).  work: n*p + n.
** beta (p) and xtxinv (p*p, row-major) may be NULL.  Returns -1 when X is
** (numerically) rank deficient.
*/
int jpi_lsq(const double *X, size_t n, size_t p, const double *z, const double *sw,
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
void jpi_dp_init(struct dp *d, const double *t, const double *w, const double *sw, size_t n,
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

void jpi_dp_release(struct dp *d)
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
void jpi_dp_set_z(struct dp *d, const double *z)
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
** Kernels of jpi_dp_lower().  line_row: row[j] = SSE of one line over points
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
void jpi_dp_lower(struct dp *d, int K, double *L)
{
	size_t n = d->n;
	long E = d->E, B = d->B;
	double *D = d->D;
#ifdef JP_AVX2
	int avx2 = tc_cpu_has_avx2();
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
** Best grid fits for k = 0..K on the z set by jpi_dp_set_z().  U[k] (may be
** NULL) bounds SSE*_k from above; NAN in U[k] means "k not needed" (sse[k]
** is then INFINITY).  With `future` (after jpi_dp_lower) a quadratic at
** joinpoint r = j is also dropped when its least value plus the least cost
** still to come exceeds U[k].  A k whose optimum exceeds U[k] may come back
** INFINITY.  knots (may be NULL): K entries per k.
*/
void jpi_dp_run(struct dp *d, int K, const double *U, int future, double *sse, long *knots)
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

void jpi_build_grid_design(const double *t, size_t n, int k, const long *idx, double *X)
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

	jpi_build_grid_design(c->t, c->n, k, c->idx, c->X);
	if (jpi_lsq(c->X, c->n, (size_t)k + 2, c->z, c->sw, NULL, &s, NULL, c->work))
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

void jpi_enum_best(const double *t, const double *z, const double *sw, size_t n, int K, int E,
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
** each knot to the last (the same arithmetic as jpi_dp_run's path), minimised.
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
** heuristic_fits() on the z set by jpi_dp_set_z(), each candidate's SSE from
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
void jpi_dp_best(struct dp *d, const double *z, int K, double *sse, long *knots)
{
	double U[JP_MAX_JOINPOINTS + 1], L[JP_MAX_JOINPOINTS + 1];

	jpi_dp_set_z(d, z);
	heuristic_fits_dp(d, K, U);
	for (int k = 0; k <= K; k++)
		U[k] = isfinite(U[k]) ? U[k] * (1 + 1e-9) + d->tol : INFINITY;
	jpi_dp_lower(d, K, L);
	jpi_dp_run(d, K, U, 1, sse, knots);
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
	jpi_dp_best(d, zb, K, sse, knots);
	return k >= 0 ? sse[k] : 0;
}

void jpi_jump_search(struct dp *d, const double *z, size_t n, long ji, int K, double *sse, long *knots)
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
		if (jpi_lsq(Xp, n, 3, z, d->sw, beta, &sse0, NULL, work))
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

void jpi_to_t(const double *x, size_t n, double *t)
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
	jpi_to_t(x, n, t);
	for (size_t i = 0; i < n; i++)
		mean += z[i];
	mean /= (double)n;
	for (size_t i = 0; i < n; i++)
		zc[i] = z[i] - mean;
	if (reference) {
		jpi_enum_best(t, zc, NULL, n, kmax, E, B, sse, knots);
	} else {
		struct dp d;
		jpi_dp_init(&d, t, NULL, NULL, n, kmax, E, B);
		jpi_dp_best(&d, zc, kmax, sse, knots);
		jpi_dp_release(&d);
	}
	free(t);
	return 0;
}

/*
** model_tariff_mc.c: Monte Carlo over the elasticities, and the
** percentile summaries.  Pure: structs in, results out; the caller's GSL
** rng gives a 64-bit key (two outputs), and every block of MC_BLOCK draws
** has its own xoshiro256++ stream seeded from the key and the block's
** index, so the draws do not depend on how many threads run the blocks
** (tariff_mc_dist.threads).
** The inner loop does not allocate.  Returned memory: none (the caller owns
** every output array).  Distributions and why: docs/tariff-methods.md,
** "Uncertainty".
*/
#include "tocalc/model_tariff.h"
#include "tocalc/model_fastmath.h"
#include "model_tariff_impl.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#if defined(__x86_64__) && defined(__GNUC__)
#define MC_X86 1
#include <immintrin.h>	/* movemask: one bit per lane (x86-64 only; elsewhere plain C) */
#endif
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF	/* the same bits everywhere; GCC in ISO C mode does not contract */
#endif

/*
** MC_BLOCK draws share one generator stream (a fixed size: the same draws
** whatever the thread count); the kernel runs MC_VB draws at a time, each
** stage a loop over the whole vector block that the compiler vectorises.
*/
enum { MC_BLOCK = 16384, MC_VB = 256, MC_MAX_THREADS = 64 };

void tariff_mc_dist_default(struct tariff_mc_dist *d)
{
	d->eps_sdlog = 0.30;
	d->sigma_sdlog = 0.30;
	d->ex_sdlog = 0.50;
	d->threads = 1;
	d->no_avx2 = 0;
}

static int check_dist(const struct tariff_mc_dist *d, struct tc_err *err)
{
	if (!isfinite(d->eps_sdlog) || d->eps_sdlog < 0 || !isfinite(d->sigma_sdlog) ||
	    d->sigma_sdlog < 0 || !isfinite(d->ex_sdlog) || d->ex_sdlog < 0)
		return tc_fail(err, "monte carlo: log standard deviations must be finite and >= 0");
	if (d->threads < 0 || d->threads > MC_MAX_THREADS)
		return tc_fail(err, "monte carlo: threads must be 0 to %d", MC_MAX_THREADS);
	return 0;
}

/*
** The normals: each block's stream is xoshiro256++ (Blackman and Vigna
** 2018) seeded through splitmix64 from the run's 64-bit key and the
** block's index; normals by the Box-Muller transform (exact, two per pair
** of uniforms, vectorised: model_fastmath's log and sincos2pi), in the
** order z0, z1, z2, ... of the pairs (r cos, r sin).
*/
struct mc_nrm {
	uint64_t s[4];
	size_t nz, iz;			/* normals buffered in z, the next one */
	double z[2 * MC_VB];
	double sc[4 * MC_VB];		/* scratch: radii, angles, sines, cosines */
};

static inline uint64_t rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t xo_next(uint64_t *s)
{
	uint64_t r = rotl64(s[0] + s[3], 23) + s[0], t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return r;
}

/* splitmix64's output function: a bijection of the 64-bit integers */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Block b's stream: splitmix64 from key ^ mix64(b + 1) (distinct for distinct blocks). */
static void nrm_seed(struct mc_nrm *g, uint64_t key, size_t b)
{
	uint64_t x = key ^ mix64((uint64_t)b + 1);

	for (int i = 0; i < 4; i++) {
		x += 0x9e3779b97f4a7c15ULL;
		g->s[i] = mix64(x);
	}
	g->nz = g->iz = 0;
}

/* z[0..n) (n even, at most 2 MC_VB): n standard normals. */
static void nrm_fill(struct mc_nrm *g, double *z, size_t n)
{
	size_t h = n / 2;
	double *r = g->sc, *t = g->sc + MC_VB, *sn = g->sc + 2 * MC_VB, *cs = g->sc + 3 * MC_VB;

	for (size_t i = 0; i < h; i++) {
		r[i] = (double)((xo_next(g->s) >> 11) + 1) * 0x1p-53;	/* (0, 1] */
		t[i] = (double)(xo_next(g->s) >> 11) * 0x1p-53;	/* [0, 1) */
	}
	fm_log(r, r, h);
	for (size_t i = 0; i < h; i++)
		r[i] = sqrt(-2 * r[i]);
	fm_sincos2pi(sn, cs, t, h);
	for (size_t i = 0; i < h; i++) {
		z[2 * i] = r[i] * cs[i];
		z[2 * i + 1] = r[i] * sn[i];
	}
}

/* The next normal of the stream (the general path: 2 or 3 a draw). */
static double nrm_next(struct mc_nrm *g)
{
	if (g->iz == g->nz) {
		nrm_fill(g, g->z, 2 * MC_VB);
		g->nz = 2 * MC_VB;
		g->iz = 0;
	}
	return g->z[g->iz++];
}

/*
** The nested model with infinite supply, specialised for the draw loop:
** the buyers' and world prices do not depend on the draw (the pass-through
** is fixed), so a draw costs the two lognormal parameters, one exp() per
** moving partner for the price index, one log, one exp for the quantities
** and one expm1() for the surplus.  The equations are those of
** model_tariff.c, the results the same to rounding
** (tested against tariff_eval).  A draw whose result is not finite is
** a failed draw (NAN outputs, counted).
*/
struct mc_plan {
	int n, idx[TARIFF_NPARTNERS], mv[TARIFF_NPARTNERS], nmv;
	double m0[TARIFF_NPARTNERS], t1[TARIFF_NPARTNERS], th[TARIFF_NPARTNERS];
	double lr[TARIFF_NPARTNERS], w1[TARIFF_NPARTNERS];
	double elr[TARIFF_NPARTNERS];	/* exp(lr): exp((1 - sigma) lr) = elr exp(-sigma lr) */
	double V0, m0tot, rev0, per_hh, inv_V0, inv_m0tot;
	double lin;			/* lnpi when sigma is 1: sum th lr / V0 */
};

static void mc_plan_init(struct mc_plan *pl, const struct tariff_scenario *s, const struct tariff_params *p)
{
	memset(pl, 0, sizeof(*pl));
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct tariff_market *m = &s->m[k];
		int i = pl->n;
		double L;
		if (!m->present)
			continue;
		L = m->t1 == m->t0 ? 0 : log1p(m->t1) - log1p(m->t0);
		pl->idx[i] = k;
		pl->m0[i] = m->m0;
		pl->t1[i] = m->t1;
		pl->th[i] = m->m0 * (1 + m->t0);
		pl->lr[i] = p->pass_through * L;
		pl->w1[i] = expm1((p->pass_through - 1) * L);
		pl->elr[i] = exp(pl->lr[i]);
		if (L != 0)
			pl->mv[pl->nmv++] = i;
		pl->V0 += pl->th[i];
		pl->m0tot += m->m0;
		pl->rev0 += m->t0 * m->m0;
		pl->n++;
	}
	for (int m = 0; m < pl->nmv; m++)
		pl->lin += pl->th[pl->mv[m]] * pl->lr[pl->mv[m]];
	pl->lin /= pl->V0;
	pl->per_hh = 1e6 / p->households;
	pl->inv_V0 = 1 / pl->V0;
	pl->inv_m0tot = 1 / pl->m0tot;
}

/* scratch of the kernel: MC_SCRATCH vectors of MC_VB doubles */
enum { MC_SV = 10, MC_SCRATCH = MC_SV + 2 * TARIFF_NPARTNERS };

/*
** MC_VB draws (the first m real; the rest computed on zero normals and
** never written) into the columns col[k * MC_VB + i].  Every stage is a
** loop of MC_VB iterations (vectorised); the normals are drawn first, in
** the order eps, sigma of draw 0, eps, sigma of draw 1, ...
*/
/*
** The kernel's vectors: 4 doubles (one AVX2 register; two SSE2 ones),
** through macros, not functions (no vector crosses a call).
*/
typedef double kv __attribute__((vector_size(32)));
typedef int64_t kq __attribute__((vector_size(32)));
typedef float kf __attribute__((vector_size(16)));
#define KLOAD(v, p) memcpy(&(v), (p), sizeof(v))
#define KSTORE(p, v) memcpy((p), &(v), sizeof(v))
#define KSTOREF(p, v)								\
	do {									\
		kf f_ = __builtin_convertvector((v), kf);			\
		memcpy((p), &f_, sizeof(f_));					\
	} while (0)
#define KSPLAT(x) ((kv){ (x), (x), (x), (x) })
#define KABS(v) ((kv)((kq)(v) & (kq){ INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX }))
#define KSEL(m, a, b) ((kv)(((kq)(a) & (m)) | ((kq)(b) & ~(m))))

static inline __attribute__((always_inline))
void mc_fast_body(const struct mc_plan *pl, const struct tariff_params *p,
		  const struct tariff_mc_dist *d, size_t m, struct mc_nrm *g, double *S,
		  float *col, size_t *nfailed)
{
	/* disjoint slices of S (restrict: the loops vectorise without alias checks) */
	double *restrict eps = S, *restrict sig = S + MC_VB, *restrict t = S + 2 * MC_VB;
	double *restrict lnpi = S + 3 * MC_VB, *restrict e0 = S + 4 * MC_VB;
	double *restrict dcs = S + 5 * MC_VB, *restrict dmt = S + 6 * MC_VB;
	double *restrict rev = S + 7 * MC_VB, *restrict dps = S + 8 * MC_VB, *restrict qf = S + 9 * MC_VB;
	double *bb = S + MC_SV * MC_VB, *dmm = S + (MC_SV + TARIFF_NPARTNERS) * MC_VB;
	const double V0 = pl->V0, inv_V0 = pl->inv_V0, lin = pl->lin, inv_m0tot = pl->inv_m0tot;
	const double m0tot = pl->m0tot, rev0 = pl->rev0, per_hh = pl->per_hh;
	const double pe = p->eps, psg = p->sigma;
	size_t nf = 0;

	(void)m;	/* every lane is drawn: the stream does not depend on m */
	nrm_fill(g, g->z, 2 * MC_VB);
	for (size_t i = 0; i < MC_VB; i++) {
		eps[i] = d->eps_sdlog * g->z[2 * i];
		sig[i] = d->sigma_sdlog * g->z[2 * i + 1];
	}
	fm_exp(eps, eps, MC_VB);
	fm_exp(sig, sig, MC_VB);
	for (size_t i = 0; i < MC_VB; i++) {
		eps[i] = pe * eps[i];
		sig[i] = psg * sig[i];
		t[i] = 0;
		dmt[i] = rev[i] = dps[i] = 0;
	}
	/* one exp per moving partner: b = exp(-sigma lr) serves the index and the quantity */
	for (int mm = 0; mm < pl->nmv; mm++) {
		int j = pl->mv[mm];
		double *restrict b = bb + (size_t)j * MC_VB, lr = pl->lr[j], th = pl->th[j], elr = pl->elr[j];
		for (size_t i = 0; i < MC_VB; i++)
			lnpi[i] = -sig[i] * lr;
		fm_exp(b, lnpi, MC_VB);
		for (size_t i = 0; i < MC_VB; i++)
			t[i] += th * (elr * b[i] - 1);
	}
	for (size_t i = 0; i < MC_VB; i++)
		t[i] = 1 + t[i] * inv_V0;
	fm_log(lnpi, t, MC_VB);
	for (size_t i = 0; i < MC_VB; i += 4) {
		kv sg, ep, lp, c, q;
		KLOAD(sg, sig + i);
		KLOAD(ep, eps + i);
		KLOAD(lp, lnpi + i);
		c = 1 - sg;
		q = lp / c;	/* both sides, then a select: the same value as the branch */
		lp = KSEL(KABS(c) < 1e-12, KSPLAT(lin), q);
		KSTORE(lnpi + i, lp);
		q = (sg - ep) * lp;
		KSTORE(t + i, q);
		q = (1 - ep) * lp;
		KSTORE(dcs + i, q);
	}
	/* exp() - 1 rather than expm1(): 1e-16 of M0 does not matter in a float output */
	fm_exp(e0, t, MC_VB);
	fm_expm1(dcs, dcs, MC_VB);
	for (size_t i = 0; i < MC_VB; i += 4) {
		kv ep, lp, dc, q;
		KLOAD(ep, eps + i);
		KLOAD(lp, lnpi + i);
		KLOAD(dc, dcs + i);
		q = KSEL(KABS(1 - ep) < 1e-9, KSPLAT(-V0) * lp, (KSPLAT(-V0) * dc) / (1 - ep));
		KSTORE(dcs + i, q);
	}
	for (int j = 0; j < pl->n; j++) {
		double *dm = dmm + (size_t)j * MC_VB, *b = bb + (size_t)j * MC_VB, m0 = pl->m0[j];
		int moves = pl->lr[j] != 0;
		for (size_t i = 0; i < MC_VB; i += 4) {
			kv e, bv, dv, tot;
			KLOAD(e, e0 + i);
			KLOAD(tot, dmt + i);
			if (moves) {
				KLOAD(bv, b + i);
				dv = m0 * (e * bv - 1);
			} else {
				dv = m0 * (e - 1);
			}
			KSTORE(dm + i, dv);
			tot += dv;
			KSTORE(dmt + i, tot);
		}
	}
	for (size_t i = 0; i < MC_VB; i += 4) {
		kv q;
		KLOAD(q, dmt + i);
		q = q * inv_m0tot;
		KSTORE(qf + i, q);
	}
	for (int j = 0; j < pl->n; j++) {
		size_t k = (size_t)pl->idx[j];
		double *dm = dmm + (size_t)j * MC_VB, m0 = pl->m0[j], t1 = pl->t1[j], w1 = pl->w1[j];
		float *c1 = col + (MC_PARTNER_M1 + k) * MC_VB;
		float *c2 = col + (MC_PARTNER_DIVERSION + k) * MC_VB;
		float *c3 = col + (MC_PARTNER_REV1 + k) * MC_VB;
		for (size_t i = 0; i < MC_VB; i += 4) {
			kv dd, q, m1, r1, rv, ps, dv;
			KLOAD(dd, dm + i);
			KLOAD(q, qf + i);
			KLOAD(rv, rev + i);
			KLOAD(ps, dps + i);
			m1 = m0 + dd;
			r1 = t1 * m1 * (1 + w1);
			rv += r1;
			ps += w1 * m1;
			dv = dd - m0 * q;
			KSTORE(rev + i, rv);
			KSTORE(dps + i, ps);
			KSTOREF(c1 + i, m1);
			KSTOREF(c2 + i, dv);
			KSTOREF(c3 + i, r1);
		}
	}
	for (size_t i = 0; i < MC_VB; i += 4) {
		kv dt, rv, dc, ps, lp, ep, sg, m1, drev, dwl, v;
		kq bad;
		KLOAD(dt, dmt + i);
		KLOAD(rv, rev + i);
		KLOAD(dc, dcs + i);
		KLOAD(ps, dps + i);
		KLOAD(lp, lnpi + i);
		KLOAD(ep, eps + i);
		KLOAD(sg, sig + i);
		m1 = m0tot + dt;
		drev = rv - rev0;
		dwl = -(dc + drev + ps);
		KSTOREF(col + MC_IMPORTS_AFTER * MC_VB + i, m1);
		KSTOREF(col + MC_IMPORT_CHANGE * MC_VB + i, dt);
		KSTOREF(col + MC_CREATION * MC_VB + i, dt);
		KSTOREF(col + MC_REVENUE_AFTER * MC_VB + i, rv);
		KSTOREF(col + MC_REVENUE_CHANGE * MC_VB + i, drev);
		KSTOREF(col + MC_DCS * MC_VB + i, dc);
		KSTOREF(col + MC_DWL * MC_VB + i, dwl);
		v = dc + drev;
		KSTOREF(col + MC_NET_WELFARE * MC_VB + i, v);
		v = -dc * per_hh;
		KSTOREF(col + MC_COST_PER_HOUSEHOLD * MC_VB + i, v);
		KSTOREF(col + MC_EPS * MC_VB + i, ep);
		KSTOREF(col + MC_SIGMA * MC_VB + i, sg);
		/* a failed draw: a flag in t (the loop stays branch-free) */
		bad = ~(KABS(m1) <= DBL_MAX) | ~(KABS(dwl) <= DBL_MAX) | ~(KABS(lp) <= DBL_MAX) | (m1 < 0);
		v = KSEL(bad, KSPLAT(1.0), KSPLAT(0.0));
		KSTORE(t + i, v);
	}
	for (size_t i = 0; i < m; i++)
		if (t[i] != 0) {
			for (int k = 0; k < TARIFF_MC_NOUT; k++)
				if (k != MC_EPS && k != MC_SIGMA)
					col[(size_t)k * MC_VB + i] = (float)NAN;
			nf++;
		}
	*nfailed += nf;
}

/*
** The kernel compiled twice: for every x86-64 (SSE2) and, chosen at run
** time, for AVX2 (the loops vectorise 4 doubles wide).  Each draw's
** arithmetic is the same sequence of IEEE operations (no contraction, no
** reassociation): the same bits (tested).
*/
static void mc_fast_vb_base(const struct mc_plan *pl, const struct tariff_params *p,
			    const struct tariff_mc_dist *d, size_t m, struct mc_nrm *g, double *S,
			    float *col, size_t *nfailed)
{
	mc_fast_body(pl, p, d, m, g, S, col, nfailed);
}

#ifdef MC_X86
__attribute__((target("avx2")))
static void mc_fast_vb_avx2(const struct mc_plan *pl, const struct tariff_params *p,
			    const struct tariff_mc_dist *d, size_t m, struct mc_nrm *g, double *S,
			    float *col, size_t *nfailed)
{
	mc_fast_body(pl, p, d, m, g, S, col, nfailed);
}
#endif

static void mc_fast_vb(int avx2, const struct mc_plan *pl, const struct tariff_params *p,
		       const struct tariff_mc_dist *d, size_t m, struct mc_nrm *g, double *S,
		       float *col, size_t *nfailed)
{
#ifdef MC_X86
	if (avx2) {
		mc_fast_vb_avx2(pl, p, d, m, g, S, col, nfailed);
		return;
	}
#endif
	(void)avx2;
	mc_fast_vb_base(pl, p, d, m, g, S, col, nfailed);
}

/*
** The general path (smart, or a finite supply elasticity: world prices
** solved per draw with ws): one draw at a time into the same columns.
*/
static void mc_slow_vb(enum tariff_model model, const struct tariff_scenario *s,
		       const struct tariff_params *p, const struct tariff_mc_dist *d, size_t m,
		       struct mc_nrm *g, gsl_multiroot_fdfsolver *ws, float *col, size_t *nfailed)
{
	struct tariff_params q = *p;
	struct tariff_result r;
	struct tc_err e;

	for (size_t i = 0; i < m; i++) {
		const struct tariff_totals *T = &r.total;
		q.eps = p->eps * exp(d->eps_sdlog * nrm_next(g));
		q.sigma = p->sigma * exp(d->sigma_sdlog * nrm_next(g));
		if (isfinite(p->ex))
			q.ex = p->ex * exp(d->ex_sdlog * nrm_next(g));
		col[MC_EPS * MC_VB + i] = (float)q.eps;
		col[MC_SIGMA * MC_VB + i] = (float)q.sigma;
		if (tariff_eval_ws(model, s, &q, ws, &r, &e)) {
			for (int k = 0; k < TARIFF_MC_NOUT; k++)
				if (k != MC_EPS && k != MC_SIGMA)
					col[(size_t)k * MC_VB + i] = (float)NAN;
			(*nfailed)++;
			continue;
		}
		col[MC_IMPORTS_AFTER * MC_VB + i] = (float)T->m1;
		col[MC_IMPORT_CHANGE * MC_VB + i] = (float)T->dm;
		col[MC_CREATION * MC_VB + i] = (float)T->creation;
		col[MC_REVENUE_AFTER * MC_VB + i] = (float)T->rev1;
		col[MC_REVENUE_CHANGE * MC_VB + i] = (float)T->drev;
		col[MC_DCS * MC_VB + i] = (float)T->dcs;
		col[MC_DWL * MC_VB + i] = (float)T->dwl;
		col[MC_NET_WELFARE * MC_VB + i] = (float)T->net_welfare;
		col[MC_COST_PER_HOUSEHOLD * MC_VB + i] = (float)T->cost_per_household;
		for (size_t k = 0; k < TARIFF_NPARTNERS; k++) {
			int pr = s->m[k].present;
			col[(MC_PARTNER_M1 + k) * MC_VB + i] = pr ? (float)r.p[k].m1 : (float)NAN;
			col[(MC_PARTNER_DIVERSION + k) * MC_VB + i] = pr ? (float)r.p[k].diversion : (float)NAN;
			col[(MC_PARTNER_REV1 + k) * MC_VB + i] = pr ? (float)r.p[k].rev1 : (float)NAN;
		}
	}
}

/* ------------------------------------------------ streaming summaries */

/*
** One pass, exact percentiles (issue 18).  Floats are compared as
** order-preserving unsigned keys (f2k: sign flipped), so a window of values
** is an integer interval.  The first blocks (the pilot) are kept whole
** and radix-sorted; their order statistics around each wanted rank (a
** margin of MC_SIGMAS binomial standard deviations plus MC_SLACK ranks)
** give one key window per percentile.  Every later draw then adds 1 to
** `below` of each window it lies under and is stored when it lies inside.
** At the end the wanted order statistic r sits in the window with
** below <= r < below + n and is selected exactly there (radix selection).
** Should a rank fall outside every window (the pilot misled; about 3e-7
** per window edge at 5 sigmas), the blocks are replayed once (each block's
** stream is fixed), collecting the gap that holds it: exact in every
** case, and the answer the same as a full sort.  Memory: the pilot, 23
** columns x pilot x 4 bytes (at most 12 MB, and as much again while a
** column is sorted; freed after the pilot), then the windows: about 5.5%
** of the draws per column at 1 M draws, 2.7% at 10 M, 4 bytes each (a
** window of one value, e.g. an output the draws do not move, stores
** nothing).
*/
enum { MC_WMAX = 8, MC_SLACK = 16 };
#define MC_SIGMAS 5.0

static const double mc_fs[3] = { 0.05, 0.50, 0.95 };

struct mc_win {
	uint32_t lo, span;	/* keys lo .. lo + span */
	size_t below, n, cap;	/* values under lo; values inside (stored in v unless span
				   is 0: a single value, counted, not stored) */
	uint32_t *v;
	int fill_only;		/* a replay window: below is known, only collect */
	size_t want;		/* a replay window: how many values it will collect */
};

struct mc_col {
	double sum;
	size_t n;		/* finite values */
	uint32_t *pilot;
	size_t np;
	int nw;
	struct mc_win w[MC_WMAX];
};

static inline uint32_t f2k(float v)
{
	uint32_t u;
	memcpy(&u, &v, sizeof(u));
	return (u & 0x80000000u) ? ~u : u | 0x80000000u;
}

static inline float k2f(uint32_t k)
{
	uint32_t u = (k & 0x80000000u) ? k ^ 0x80000000u : ~k;
	float v;
	memcpy(&v, &u, sizeof(v));
	return v;
}

/*
** Reorder v[0..n) so that v[k] is the k-th smallest (Hoare quickselect with
** a median-of-three pivot): one algorithm, for the float draws
** (tariff_quantile_select) and for their order-preserving keys (f2k).
*/
#define DEFINE_SELECT(name, T)							\
	static void name(T *v, long n, long k)					\
	{									\
		long lo = 0, hi = n - 1;					\
		while (hi > lo) {						\
			long mid = lo + (hi - lo) / 2, i = lo, j = hi;		\
			T a = v[lo], b = v[mid], c = v[hi], pivot;		\
			if ((a <= b && b <= c) || (c <= b && b <= a))		\
				pivot = b;					\
			else if ((b <= a && a <= c) || (c <= a && a <= b))	\
				pivot = a;					\
			else							\
				pivot = c;					\
			while (i <= j) {					\
				while (v[i] < pivot)				\
					i++;					\
				while (v[j] > pivot)				\
					j--;					\
				if (i <= j) {					\
					T t = v[i];				\
					v[i] = v[j];				\
					v[j] = t;				\
					i++;					\
					j--;					\
				}						\
			}							\
			if (k <= j)						\
				hi = j;						\
			else if (k >= i)					\
				lo = i;						\
			else							\
				return;						\
		}								\
	}
DEFINE_SELECT(select_u32, uint32_t)
DEFINE_SELECT(select_k, float)

static void win_reserve(struct mc_win *w, size_t more)
{
	if (!w->span)
		return;
	if (w->n + more > w->cap)
		w->v = xgrow(w->v, &w->cap, w->n + more, sizeof(*w->v));
}

static int win_cmp(const void *a, const void *b)
{
	const struct mc_win *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* LSD radix sort of v[0..n) in three passes of 11 bits (tmp: n keys). */
static void radix_sort_u32(uint32_t *v, uint32_t *tmp, size_t n)
{
	static const int sh[3] = { 0, 11, 22 };
	size_t (*cnt)[2048] = xcalloc(3, sizeof(*cnt));
	uint32_t *src = v, *dst = tmp;

	for (size_t i = 0; i < n; i++) {
		cnt[0][v[i] & 2047]++;
		cnt[1][(v[i] >> 11) & 2047]++;
		cnt[2][v[i] >> 22]++;
	}
	for (int p = 0; p < 3; p++) {
		size_t sum = 0;
		for (int d = 0; d < 2048; d++) {
			size_t c = cnt[p][d];
			cnt[p][d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[cnt[p][(src[i] >> sh[p]) & 2047]++] = src[i];
		src = dst;
		dst = src == v ? tmp : v;
	}
	memcpy(v, src, n * sizeof(*v));	/* three passes end in tmp */
	free(cnt);
}

/* The first index of sorted v[0..n) whose key is >= k (k up to 2^32: past every key). */
static size_t lower_bound_u32(const uint32_t *v, size_t n, uint64_t k)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
** After the pilot: its keys sorted (radix), the windows from its order
** statistics (every key when `all`, i.e. the pilot is every draw), then
** the pilot's own keys into them: a window's keys are a run of the sorted
** pilot, its count under it the run's start.
*/
static void col_windows(struct mc_col *c, int all, double sigmas, size_t remaining)
{
	size_t np = c->np;

	radix_sort_u32(c->pilot, c->pilot + np, np);	/* the pilot array has room for 2 np */
	c->nw = 0;
	if (all || np < 2) {
		c->w[0] = (struct mc_win){ .lo = 0, .span = UINT32_MAX };
		c->nw = 1;
	} else {
		for (int q = 0; q < 3; q++) {
			double f = mc_fs[q], rp = f * (double)(np - 1);
			double mg = sigmas * sqrt((double)np * f * (1 - f)) + MC_SLACK;
			double lo_r = floor(rp - mg), hi_r = ceil(rp + 1 + mg);
			uint32_t lo = lo_r > 0 ? c->pilot[(size_t)lo_r] : 0;
			uint32_t hi = hi_r < (double)(np - 1) ? c->pilot[(size_t)hi_r] : UINT32_MAX;
			c->w[c->nw++] = (struct mc_win){ .lo = lo, .span = hi - lo };
		}
		qsort(c->w, (size_t)c->nw, sizeof(c->w[0]), win_cmp);
		/* merge overlapping or touching windows */
		{
			int o = 0;
			for (int j = 1; j < c->nw; j++) {
				uint64_t ohi = (uint64_t)c->w[o].lo + c->w[o].span;
				uint64_t jhi = (uint64_t)c->w[j].lo + c->w[j].span;
				if ((uint64_t)c->w[j].lo <= ohi + 1) {
					if (jhi > ohi)
						c->w[o].span = (uint32_t)(jhi - c->w[o].lo);
				} else {
					c->w[++o] = c->w[j];
				}
			}
			c->nw = o + 1;
		}
	}
	/* the pilot's run in each window; room for its share of the remaining draws */
	for (int j = 0; j < c->nw; j++) {
		struct mc_win *w = &c->w[j];
		size_t a = lower_bound_u32(c->pilot, np, w->lo);
		size_t b = lower_bound_u32(c->pilot, np, (uint64_t)w->lo + w->span + 1);
		double share = np ? (double)(b - a) / (double)np : 1.0;
		win_reserve(w, (size_t)(share * 1.25 * (double)(remaining + np)) + 16);
		w->below = a;
		if (w->span)
			memcpy(w->v, c->pilot + a, (b - a) * sizeof(*w->v));
		w->n = b - a;
	}
	free(c->pilot);
	c->pilot = NULL;
	c->np = 0;
}

/* The window holding order statistic r (or, before the replay, to hold it), or -1. */
static int win_of(const struct mc_col *c, size_t r)
{
	for (int j = 0; j < c->nw; j++) {
		const struct mc_win *w = &c->w[j];
		if (r >= w->below && r < w->below + (w->fill_only ? w->want : w->n))
			return j;
	}
	return -1;
}

/* A replay window for the gap between the windows that holds rank r. */
static void add_gap(struct mc_col *c, size_t r)
{
	struct mc_win *s[MC_WMAX];
	int ns = 0;
	uint64_t lo = 0, hi;
	size_t start = 0, end;

	for (int j = 0; j < c->nw; j++)
		if (!c->w[j].fill_only)
			s[ns++] = &c->w[j];
	for (int j = 0; j <= ns; j++) {
		end = j < ns ? s[j]->below : c->n;
		hi = j < ns ? (uint64_t)s[j]->lo - 1 : UINT32_MAX;
		if (r >= start && r < end) {
			struct mc_win *g = &c->w[c->nw++];
			*g = (struct mc_win){ .lo = (uint32_t)lo, .span = (uint32_t)(hi - lo),
					      .below = start, .fill_only = 1, .want = end - start };
			win_reserve(g, end - start);
			return;
		}
		if (j < ns) {
			start = s[j]->below + s[j]->n;
			lo = (uint64_t)s[j]->lo + s[j]->span + 1;
		}
	}
}

/*
** The r-th smallest key (0-based) of a window's stored keys, and with
** `two` the (r + 1)-th too, by radix selection: a histogram of the keys'
** top bits relative to the window (at most 2048 buckets), then a
** quickselect among the keys of the bucket that holds rank r only (the
** next rank: the rest of that bucket, or the smallest key of the next
** bucket that is not empty).
*/
static void win_pick(const struct mc_win *w, size_t r, int two, uint32_t *x, uint32_t *y)
{
	size_t *cnt = xcalloc(2048, sizeof(*cnt)), below = 0, nb, m = 0;
	uint32_t *v = w->v, *t;
	int sh = 0, b = 0;

	while ((w->span >> sh) >= 2048)
		sh++;
	for (size_t i = 0; i < w->n; i++)
		cnt[(v[i] - w->lo) >> sh]++;
	while (below + cnt[b] <= r)
		below += cnt[b++];
	nb = cnt[b];
	t = xmalloc(nb * sizeof(*t));
	for (size_t i = 0; i < w->n; i++)
		if ((int)((v[i] - w->lo) >> sh) == b)
			t[m++] = v[i];
	select_u32(t, (long)nb, (long)(r - below));
	*x = t[r - below];
	if (two) {
		uint32_t mn = UINT32_MAX;
		if (r + 1 - below < nb) {
			for (size_t i = r - below + 1; i < nb; i++)
				mn = t[i] < mn ? t[i] : mn;
		} else {
			int b2 = b + 1;
			while (!cnt[b2])	/* rank r + 1 is in the window: a later bucket holds it */
				b2++;
			for (size_t i = 0; i < w->n; i++)
				if ((int)((v[i] - w->lo) >> sh) == b2 && v[i] < mn)
					mn = v[i];
		}
		*y = mn;
	}
	free(t);
	free(cnt);
}

/* Order statistic r (0-based) of a column whose windows hold it. */
static double col_order_stat(struct mc_col *c, size_t r)
{
	int j = win_of(c, r);
	uint32_t x;

	if (j < 0)
		return NAN;	/* not reached: the replay collected every missing rank */
	if (!c->w[j].span)
		return (double)k2f(c->w[j].lo);
	win_pick(&c->w[j], r - c->w[j].below, 0, &x, NULL);
	return (double)k2f(x);
}

/*
** Order statistics r and r + 1: one selection when one window holds both
** (else one each).
*/
static void col_two_stats(struct mc_col *c, size_t r, double *x, double *y)
{
	int j = win_of(c, r);
	uint32_t a, b;

	if (j < 0 || j != win_of(c, r + 1) || !c->w[j].span) {
		*x = col_order_stat(c, r);
		*y = col_order_stat(c, r + 1);
		return;
	}
	win_pick(&c->w[j], r - c->w[j].below, 1, &a, &b);
	*x = (double)k2f(a);
	*y = (double)k2f(b);
}

/* ------------------------------------------------ the scan of one vector block */

typedef double vd2 __attribute__((vector_size(16)));

/* A worker's counts and stores for one window (merged into mc_win after a phase). */
struct mc_acc {
	size_t below, n;	/* values under the window, inside it */
	size_t ns, cap;		/* stored (ns == n unless the window is a single value) */
	uint32_t *v;
};

static void acc_push(struct mc_acc *c, uint32_t k)
{
	if (c->ns == c->cap)
		c->v = xgrow(c->v, &c->cap, c->ns + 1, sizeof(*c->v));
	c->v[c->ns++] = k;
}

/* A block's sum of one column: two vectors of partial sums, in a fixed lane order. */
struct mc_bsum {
	vd2 a, b;
	size_t n;
};

/* A key inside one of the windows: stored there (a single-value window counts only). */
static void hit(struct mc_acc *acc, int nw, const uint32_t *wl, const uint32_t *wsp, uint32_t k)
{
	for (int j = 0; j < nw; j++)
		if (k - wl[j] <= wsp[j]) {
			if (wsp[j])
				acc_push(&acc[j], k);
			return;	/* the windows are disjoint */
		}
}

/*
** The scan of one column over a vector block, x[0..m8) (m8 a multiple of
** 8; lanes past the draws hold NAN), in W-lane vectors of signed keys:
** sk = the float's bits with the magnitude flipped when negative (the
** order of the floats; sk ^ 0x80000000 is f2k), INT32_MAX for a value that
** is not finite (above every window: finite keys end at 0x7f7fffff).  It
** adds the finite values to the block's four sums (lane i mod 4: the same
** numbers for any W), counts the finite values, and for each of the (at
** most 3, none in the pilot) windows [slo, shi] the keys under it and over
** it (inside = all - under - over); a vector with a key inside a window
** (a few % of them) appends it.  With `keep`, key[] gets f2k of every
** value (UINT32_MAX when not finite: a NaN's key, never a finite one's).
** SCAN_BODY is instantiated for 4 lanes (SSE2) and, where the processor
** has them, 8 (AVX2): the same integers and the same sums.
*/
#define SCAN_BODY(W, VS, VU)								\
	const VS expo = (VS){ 0 } + 0x7f800000, mag = (VS){ 0 } + 0x7fffffff;		\
	VS slo[3], shi[3], lt[3], gt[3], nf = { 0 };					\
	VS lo0, lo1, lo2, hi0, hi1, hi2, lt0 = { 0 }, lt1 = { 0 }, lt2 = { 0 };		\
	VS gt0 = { 0 }, gt1 = { 0 }, gt2 = { 0 };					\
	for (int j = 0; j < 3; j++) {							\
		/* a dummy window: every key is under or over it */			\
		int32_t l = INT32_MAX, h = INT32_MAX - 1;				\
		if (j < nw) {								\
			uint64_t hi = (uint64_t)wl[j] + wsp[j];				\
			l = (int32_t)(wl[j] ^ 0x80000000u);				\
			h = (int32_t)((uint32_t)hi ^ 0x80000000u);			\
			if (h == INT32_MAX)	/* NaN keys stay over it */		\
				h = INT32_MAX - 1;					\
		}									\
		slo[j] = (VS){ 0 } + l;							\
		shi[j] = (VS){ 0 } + h;							\
	}										\
	lo0 = slo[0], lo1 = slo[1], lo2 = slo[2];					\
	hi0 = shi[0], hi1 = shi[1], hi2 = shi[2];					\
	for (size_t i = 0; i < m8; i += W) {						\
		VS u, k, bad, out;							\
		memcpy(&u, x + i, sizeof(u));						\
		bad = (u & expo) == expo;		/* -1: inf or NaN */		\
		k = u ^ ((u >> 31) & mag);						\
		k = (k & ~bad) | (VS)((VU)bad >> 1);	/* INT32_MAX when bad */	\
		SCAN_SUM(u & ~bad);							\
		nf += bad;								\
		{	/* three windows, unrolled: the counters stay in registers */	\
			VS b0 = k < lo0, a0 = k > hi0, b1 = k < lo1, a1 = k > hi1;	\
			VS b2 = k < lo2, a2 = k > hi2;					\
			lt0 += b0;							\
			gt0 += a0;							\
			lt1 += b1;							\
			gt1 += a1;							\
			lt2 += b2;							\
			gt2 += a2;							\
			out = (b0 | a0) & (b1 | a1) & (b2 | a2);			\
		}									\
		if (keep) {								\
			VU uk = (VU)k ^ 0x80000000u;					\
			memcpy(key + i, &uk, sizeof(uk));				\
		}									\
		SCAN_HIT(out, k);	/* the keys inside a window (a few %) */	\
	}										\
	SCAN_FLUSH();									\
	lt[0] = lt0, lt[1] = lt1, lt[2] = lt2;						\
	gt[0] = gt0, gt[1] = gt1, gt[2] = gt2;						\
	{										\
		size_t nbad = 0, cnt[2][3] = { { 0 } };				\
		for (int l = 0; l < W; l++) {						\
			nbad -= (size_t)(int64_t)nf[l];					\
			for (int j = 0; j < 3; j++) {					\
				cnt[0][j] -= (size_t)(int64_t)lt[j][l];			\
				cnt[1][j] -= (size_t)(int64_t)gt[j][l];			\
			}								\
		}									\
		bs->n += m8 - nbad;							\
		for (int j = 0; j < nw; j++) {						\
			acc[j].below += cnt[0][j];					\
			acc[j].n += m8 - cnt[0][j] - cnt[1][j];				\
		}									\
	}

typedef int32_t vs4 __attribute__((vector_size(16)));
typedef uint32_t vu4 __attribute__((vector_size(16)));
typedef float vf4 __attribute__((vector_size(16)));

static void scan_vb4(const float *x, size_t m8, int nw, const uint32_t *wl, const uint32_t *wsp,
		     struct mc_acc *acc, struct mc_bsum *bs, uint32_t *key, int keep)
{
	vd2 a = bs->a, b = bs->b;
#define SCAN_SUM(bits)									\
	do {										\
		vf4 f = (vf4)(bits);							\
		a += (vd2){ f[0], f[1] };						\
		b += (vd2){ f[2], f[3] };						\
	} while (0)
#ifdef MC_X86
#define SCAN_MASK(v) ((unsigned)_mm_movemask_ps((__m128)(v)))	/* one bit per lane */
#else
#define SCAN_MASK(v) ((unsigned)(((v)[0] & 1) | ((v)[1] & 2) | ((v)[2] & 4) | ((v)[3] & 8)))
#endif
#define SCAN_HIT(out, k)								\
	do {										\
		unsigned in_ = ~SCAN_MASK(out) & 0xfu;					\
		while (in_) {								\
			int l_ = __builtin_ctz(in_);					\
			hit(acc, nw, wl, wsp, (uint32_t)(k)[l_] ^ 0x80000000u);		\
			in_ &= in_ - 1;							\
		}									\
	} while (0)
#define SCAN_FLUSH() ((void)0)
	SCAN_BODY(4, vs4, vu4)
#undef SCAN_SUM
#undef SCAN_MASK
#undef SCAN_HIT
#undef SCAN_FLUSH
	bs->a = a;
	bs->b = b;
}

#ifdef MC_X86
#define MC_AVX2 1
typedef int32_t vs8 __attribute__((vector_size(32)));
typedef uint32_t vu8 __attribute__((vector_size(32)));
typedef float vf8 __attribute__((vector_size(32)));
typedef double vd4 __attribute__((vector_size(32)));

/* For each 8-bit mask, the indices of its set bits in order, 3 bits each. */
static const uint32_t mc_pack[256] = {
	0x000000, 0x000000, 0x000001, 0x000008, 0x000002, 0x000010, 0x000011, 0x000088,
	0x000003, 0x000018, 0x000019, 0x0000c8, 0x00001a, 0x0000d0, 0x0000d1, 0x000688,
	0x000004, 0x000020, 0x000021, 0x000108, 0x000022, 0x000110, 0x000111, 0x000888,
	0x000023, 0x000118, 0x000119, 0x0008c8, 0x00011a, 0x0008d0, 0x0008d1, 0x004688,
	0x000005, 0x000028, 0x000029, 0x000148, 0x00002a, 0x000150, 0x000151, 0x000a88,
	0x00002b, 0x000158, 0x000159, 0x000ac8, 0x00015a, 0x000ad0, 0x000ad1, 0x005688,
	0x00002c, 0x000160, 0x000161, 0x000b08, 0x000162, 0x000b10, 0x000b11, 0x005888,
	0x000163, 0x000b18, 0x000b19, 0x0058c8, 0x000b1a, 0x0058d0, 0x0058d1, 0x02c688,
	0x000006, 0x000030, 0x000031, 0x000188, 0x000032, 0x000190, 0x000191, 0x000c88,
	0x000033, 0x000198, 0x000199, 0x000cc8, 0x00019a, 0x000cd0, 0x000cd1, 0x006688,
	0x000034, 0x0001a0, 0x0001a1, 0x000d08, 0x0001a2, 0x000d10, 0x000d11, 0x006888,
	0x0001a3, 0x000d18, 0x000d19, 0x0068c8, 0x000d1a, 0x0068d0, 0x0068d1, 0x034688,
	0x000035, 0x0001a8, 0x0001a9, 0x000d48, 0x0001aa, 0x000d50, 0x000d51, 0x006a88,
	0x0001ab, 0x000d58, 0x000d59, 0x006ac8, 0x000d5a, 0x006ad0, 0x006ad1, 0x035688,
	0x0001ac, 0x000d60, 0x000d61, 0x006b08, 0x000d62, 0x006b10, 0x006b11, 0x035888,
	0x000d63, 0x006b18, 0x006b19, 0x0358c8, 0x006b1a, 0x0358d0, 0x0358d1, 0x1ac688,
	0x000007, 0x000038, 0x000039, 0x0001c8, 0x00003a, 0x0001d0, 0x0001d1, 0x000e88,
	0x00003b, 0x0001d8, 0x0001d9, 0x000ec8, 0x0001da, 0x000ed0, 0x000ed1, 0x007688,
	0x00003c, 0x0001e0, 0x0001e1, 0x000f08, 0x0001e2, 0x000f10, 0x000f11, 0x007888,
	0x0001e3, 0x000f18, 0x000f19, 0x0078c8, 0x000f1a, 0x0078d0, 0x0078d1, 0x03c688,
	0x00003d, 0x0001e8, 0x0001e9, 0x000f48, 0x0001ea, 0x000f50, 0x000f51, 0x007a88,
	0x0001eb, 0x000f58, 0x000f59, 0x007ac8, 0x000f5a, 0x007ad0, 0x007ad1, 0x03d688,
	0x0001ec, 0x000f60, 0x000f61, 0x007b08, 0x000f62, 0x007b10, 0x007b11, 0x03d888,
	0x000f63, 0x007b18, 0x007b19, 0x03d8c8, 0x007b1a, 0x03d8d0, 0x03d8d1, 0x1ec688,
	0x00003e, 0x0001f0, 0x0001f1, 0x000f88, 0x0001f2, 0x000f90, 0x000f91, 0x007c88,
	0x0001f3, 0x000f98, 0x000f99, 0x007cc8, 0x000f9a, 0x007cd0, 0x007cd1, 0x03e688,
	0x0001f4, 0x000fa0, 0x000fa1, 0x007d08, 0x000fa2, 0x007d10, 0x007d11, 0x03e888,
	0x000fa3, 0x007d18, 0x007d19, 0x03e8c8, 0x007d1a, 0x03e8d0, 0x03e8d1, 0x1f4688,
	0x0001f5, 0x000fa8, 0x000fa9, 0x007d48, 0x000faa, 0x007d50, 0x007d51, 0x03ea88,
	0x000fab, 0x007d58, 0x007d59, 0x03eac8, 0x007d5a, 0x03ead0, 0x03ead1, 0x1f5688,
	0x000fac, 0x007d60, 0x007d61, 0x03eb08, 0x007d62, 0x03eb10, 0x03eb11, 0x1f5888,
	0x007d63, 0x03eb18, 0x03eb19, 0x1f58c8, 0x03eb1a, 0x1f58d0, 0x1f58d1, 0xfac688,

};

/* the same as scan_vb4 on 8 lanes: sums a (lanes 0, 1) and b (2, 3) as one vector */
__attribute__((target("avx2")))
static void scan_vb8(const float *x, size_t m8, int nw, const uint32_t *wl, const uint32_t *wsp,
		     struct mc_acc *acc, struct mc_bsum *bs, uint32_t *key, int keep)
{
	vd4 ab = { bs->a[0], bs->a[1], bs->b[0], bs->b[1] };
	const __m256i sh3 = _mm256_setr_epi32(0, 3, 6, 9, 12, 15, 18, 21);
	int32_t hb[MC_VB + 8];
	size_t nh = 0;
#define SCAN_SUM(bits)									\
	do {										\
		vf8 f = (vf8)(bits);							\
		ab += (vd4){ f[0], f[1], f[2], f[3] };					\
		ab += (vd4){ f[4], f[5], f[6], f[7] };					\
	} while (0)
/*
** The keys inside a window, branch-free: packed to the front of the vector
** (mc_pack: the lanes of each 8-bit mask, 3 bits each) and appended to
** hb; given to their windows after the loop.
*/
#define SCAN_HIT(out, k)								\
	do {										\
		unsigned in_ = ~(unsigned)_mm256_movemask_ps((__m256)(out)) & 0xffu;	\
		__m256i ix_ = _mm256_srlv_epi32(_mm256_set1_epi32((int)mc_pack[in_]), sh3); \
		ix_ = _mm256_and_si256(ix_, _mm256_set1_epi32(7));			\
		_mm256_storeu_si256((__m256i *)(void *)(hb + nh),			\
				    _mm256_permutevar8x32_epi32((__m256i)(k), ix_));	\
		nh += (size_t)__builtin_popcount(in_);					\
	} while (0)
#define SCAN_FLUSH()									\
	do {										\
		for (size_t h_ = 0; h_ < nh; h_++)					\
			hit(acc, nw, wl, wsp, (uint32_t)hb[h_] ^ 0x80000000u);		\
	} while (0)
	SCAN_BODY(8, vs8, vu8)
#undef SCAN_SUM
#undef SCAN_HIT
#undef SCAN_FLUSH
	bs->a = (vd2){ ab[0], ab[1] };
	bs->b = (vd2){ ab[2], ab[3] };
}
#endif

static void scan_vb(int avx2, const float *x, size_t m8, int nw, const uint32_t *wl,
		    const uint32_t *wsp, struct mc_acc *acc, struct mc_bsum *bs, uint32_t *key, int keep)
{
#ifdef MC_AVX2
	if (avx2) {
		scan_vb8(x, m8, nw, wl, wsp, acc, bs, key, keep);
		return;
	}
#endif
	(void)avx2;
	scan_vb4(x, m8, nw, wl, wsp, acc, bs, key, keep);
}

/* The replay: finite values of x[0..m) into the gap windows (fill only; rare). */
static void fill_vb(const float *x, size_t m, int nw, const struct mc_win *w, struct mc_acc *acc)
{
	for (size_t i = 0; i < m; i++) {
		uint32_t k;
		if (!isfinite(x[i]))
			continue;
		k = f2k(x[i]);
		for (int j = 0; j < nw; j++)
			if (w[j].fill_only && k - w[j].lo <= w[j].span) {
				acc[j].n++;
				if (w[j].span)
					acc_push(&acc[j], k);
			}
	}
}

/* ------------------------------------------------ blocks and threads */

enum mc_mode { MC_ROWS, MC_PILOT, MC_SCAN, MC_FILL };

/* One run: read-only during a phase but for the per-block results and `next`. */
struct mc_run {
	enum tariff_model model;
	const struct tariff_scenario *s;
	const struct tariff_params *p;
	const struct tariff_mc_dist *d;
	struct mc_plan pl;
	int fast;
	int avx2;			/* the 8-lane scan (the same results) */
	uint64_t key;			/* the streams' key: two outputs of the caller's rng */
	size_t draws;
	enum mc_mode mode;
	float *rows;			/* MC_ROWS: draws x TARIFF_MC_NOUT */
	struct mc_col *cols;		/* the summaries */
	const int *active;		/* columns scanned in this phase */
	struct mc_bsum *bsum;		/* per block and column */
	size_t *bfail;			/* per block */
	atomic_size_t next;		/* the next block to run */
	pthread_mutex_t lock;		/* the windows' stores, at the end of a block */
	size_t bend;			/* blocks [next, bend) in this phase */
};

struct mc_worker {
	struct mc_run *run;
	struct mc_nrm *g;		/* the normals of the block being run */
	gsl_multiroot_fdfsolver *ws;
	float *col;			/* TARIFF_MC_NOUT x MC_VB */
	double *scr;			/* MC_SCRATCH x MC_VB */
	uint32_t *key;			/* MC_VB */
	struct mc_acc acc[TARIFF_MC_NOUT][MC_WMAX];
};

static int worker_init(struct mc_worker *w, struct mc_run *R, struct tc_err *err)
{
	int n = 0;

	memset(w, 0, sizeof(*w));
	w->run = R;
	w->g = xmalloc(sizeof(*w->g));
	for (int k = 0; k < TARIFF_NPARTNERS; k++)
		n += R->s->m[k].present;
	if (R->model != TARIFF_SMART && isfinite(R->p->ex)) {
		w->ws = tariff_gsim_solver_alloc(n);
		if (!w->ws)
			return tc_fail(err, "gsim: unable to allocate the multiroot solver");
	}
	w->col = xmalloc(TARIFF_MC_NOUT * MC_VB * sizeof(*w->col));
	for (size_t i = 0; i < TARIFF_MC_NOUT * MC_VB; i++)
		w->col[i] = (float)NAN;	/* an absent partner's columns: the kernels never write them */
	w->scr = xmalloc(MC_SCRATCH * MC_VB * sizeof(*w->scr));
	w->key = xmalloc(MC_VB * sizeof(*w->key));
	return 0;
}

static void worker_free(struct mc_worker *w)
{
	free(w->g);
	if (w->ws)
		gsl_multiroot_fdfsolver_free(w->ws);
	free(w->col);
	free(w->scr);
	free(w->key);
	for (int k = 0; k < TARIFF_MC_NOUT; k++)
		for (int j = 0; j < MC_WMAX; j++)
			free(w->acc[k][j].v);
	memset(w, 0, sizeof(*w));
}

/*
** A block's window counts and stores into the columns' windows (under the
** run's lock: once per block).  The order of the stored values depends on
** the threads; no result does (an order statistic is a value).
*/
static void flush_accs(struct mc_run *R, struct mc_worker *w)
{
	pthread_mutex_lock(&R->lock);
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		if (!R->active[k])
			continue;
		for (int j = 0; j < R->cols[k].nw; j++) {
			struct mc_win *W = &R->cols[k].w[j];
			struct mc_acc *a = &w->acc[k][j];
			if (!W->fill_only)
				W->below += a->below;
			if (a->ns) {
				win_reserve(W, a->ns);
				memcpy(W->v + W->n, a->v, a->ns * sizeof(*a->v));
			}
			W->n += a->n;
			a->below = a->n = a->ns = 0;	/* the worker keeps its buffer */
		}
	}
	pthread_mutex_unlock(&R->lock);
}

/* Block b of the draw stream, through the phase's sink. */
static void run_block(struct mc_worker *w, size_t b)
{
	struct mc_run *R = w->run;
	size_t first = b * MC_BLOCK, n = R->draws - first < MC_BLOCK ? R->draws - first : MC_BLOCK;
	size_t nf = 0;
	struct mc_bsum *bs = R->bsum ? R->bsum + b * TARIFF_MC_NOUT : NULL;

	if (bs && R->mode != MC_FILL)
		memset(bs, 0, TARIFF_MC_NOUT * sizeof(*bs));
	nrm_seed(w->g, R->key, b);
	for (size_t done = 0; done < n; done += MC_VB) {
		size_t m = n - done < MC_VB ? n - done : MC_VB, m8 = (m + 7) & ~(size_t)7;
		if (R->fast)
			mc_fast_vb(R->avx2, &R->pl, R->p, R->d, m, w->g, w->scr, w->col, &nf);
		else
			mc_slow_vb(R->model, R->s, R->p, R->d, m, w->g, w->ws, w->col, &nf);
		for (int k = 0; k < TARIFF_MC_NOUT; k++) {
			float *x = w->col + (size_t)k * MC_VB;
			struct mc_col *c = &R->cols[k];
			uint32_t wl[3], wsp[3];
			int nw = 0;
			if (R->mode == MC_ROWS) {
				for (size_t i = 0; i < m; i++)
					R->rows[(first + done + i) * TARIFF_MC_NOUT + (size_t)k] = x[i];
				continue;
			}
			if (!R->active[k])
				continue;
			for (size_t i = m; i < m8; i++)
				x[i] = (float)NAN;
			if (R->mode == MC_FILL) {
				fill_vb(x, m, c->nw, c->w, w->acc[k]);
				continue;
			}
			if (R->mode == MC_SCAN)
				for (; nw < c->nw; nw++) {
					wl[nw] = c->w[nw].lo;
					wsp[nw] = c->w[nw].span;
				}
			scan_vb(R->avx2, x, m8, nw, wl, wsp, w->acc[k], &bs[k], w->key, R->mode == MC_PILOT);
			if (R->mode == MC_PILOT)
				memcpy(c->pilot + first + done, w->key, m * sizeof(*w->key));
		}
	}
	R->bfail[b] = nf;
	if (R->mode == MC_SCAN || R->mode == MC_FILL)
		flush_accs(R, w);
}

static void *worker_main(void *arg)
{
	struct mc_worker *w = arg;
	struct mc_run *R = w->run;

	for (;;) {
		size_t b = atomic_fetch_add(&R->next, 1);
		if (b >= R->bend)
			break;
		run_block(w, b);
	}
	return NULL;
}

/*
** Blocks [b0, b1) on the workers (w[0] in this thread); each block's
** results go to its own slot, the window stores to the worker's own
** accumulators: nothing depends on which worker ran which block.
*/
static void run_phase(struct mc_run *R, struct mc_worker *w, int nw, size_t b0, size_t b1)
{
	pthread_t th[MC_MAX_THREADS];
	int started[MC_MAX_THREADS] = { 0 };

	atomic_store(&R->next, b0);
	R->bend = b1;
	for (int t = 1; t < nw && b1 - b0 > (size_t)t; t++)
		started[t] = pthread_create(&th[t], NULL, worker_main, &w[t]) == 0;
	worker_main(&w[0]);	/* a thread that did not start leaves its blocks to the others */
	for (int t = 1; t < nw; t++)
		if (started[t])
			pthread_join(th[t], NULL);
}

/*
** fn(job, k) for every output k on up to nt threads (this one included):
** the windows after the pilot, the order statistics at the end.  Each call
** touches only its own column.
*/
struct mc_coljob {
	void (*fn)(struct mc_coljob *, int);
	struct mc_col *cols;
	const int *active;
	struct tariff_mc_summary *sum;
	size_t nfailed, draws, np;
	int all;
	double sigmas;
	atomic_int next;
};

static void *col_worker(void *arg)
{
	struct mc_coljob *J = arg;

	for (;;) {
		int k = atomic_fetch_add(&J->next, 1);
		if (k >= TARIFF_MC_NOUT)
			break;
		J->fn(J, k);
	}
	return NULL;
}

static void run_columns(struct mc_coljob *J, int nt)
{
	pthread_t th[MC_MAX_THREADS];
	int started[MC_MAX_THREADS] = { 0 };

	atomic_store(&J->next, 0);
	for (int t = 1; t < nt && t < TARIFF_MC_NOUT; t++)
		started[t] = pthread_create(&th[t], NULL, col_worker, J) == 0;
	col_worker(J);
	for (int t = 1; t < nt && t < TARIFF_MC_NOUT; t++)
		if (started[t])
			pthread_join(th[t], NULL);
}

/* Keep the finite keys of the pilot (UINT32_MAX: not finite), in draw order. */
static void pilot_compact(struct mc_col *c, size_t np)
{
	size_t n = 0;

	for (size_t i = 0; i < np; i++) {
		c->pilot[n] = c->pilot[i];
		n += c->pilot[i] != UINT32_MAX;
	}
	c->np = n;
}

/* Column k after the pilot: its finite keys, its windows, the pilot's keys in them. */
static void col_after_pilot(struct mc_coljob *J, int k)
{
	struct mc_col *c = &J->cols[k];

	if (!J->active[k])
		return;
	pilot_compact(c, J->np);
	col_windows(c, J->all, J->sigmas, J->draws - c->np);
}

/* Column k's summary: the mean and the three percentiles, from its windows. */
static void col_summary(struct mc_coljob *J, int k)
{
	struct mc_col *c = &J->cols[k];
	struct tariff_mc_summary *u = &J->sum[k];

	u->nfinite = c->n;
	u->nfailed = J->nfailed;
	if (!c->n) {
		u->mean = u->p5 = u->p50 = u->p95 = NAN;
		return;
	}
	u->mean = c->sum / (double)c->n;
	for (int q = 0; q < 3; q++) {
		double index = mc_fs[q] * (double)(c->n - 1), delta, x, y;
		size_t lhs = (size_t)index;
		double *dst = q == 0 ? &u->p5 : q == 1 ? &u->p50 : &u->p95;
		delta = index - (double)lhs;
		if (lhs + 1 >= c->n || delta == 0) {
			*dst = col_order_stat(c, lhs);
			continue;
		}
		col_two_stats(c, lhs, &x, &y);
		*dst = (1 - delta) * x + delta * y;
	}
}

static int mc_prepare(enum tariff_model model, const struct tariff_scenario *s,
		      const struct tariff_params *p, const struct tariff_mc_dist *d,
		      gsl_rng *rng, struct mc_run *R, struct tc_err *err)
{
	memset(R, 0, sizeof(*R));
	if (tariff_params_check(p, err) || tariff_scenario_check(s, err) || check_dist(d, err))
		return -1;
	if (!rng)
		return tc_fail(err, "monte carlo: no random number generator");
	R->model = model;
	R->s = s;
	R->p = p;
	R->d = d;
	R->fast = model != TARIFF_SMART && !isfinite(p->ex);
#ifdef MC_AVX2
	R->avx2 = !d->no_avx2 && tc_cpu_has_avx2();
#endif
	if (R->fast)
		mc_plan_init(&R->pl, s, p);
	R->key = (uint64_t)gsl_rng_get(rng) << 32;	/* the two values taken from the caller's rng */
	R->key |= (uint64_t)gsl_rng_get(rng) & 0xffffffffu;
	if (pthread_mutex_init(&R->lock, NULL))
		return tc_fail(err, "monte carlo: unable to create a lock");
	return 0;
}

int tariff_mc_run_counted(enum tariff_model model, const struct tariff_scenario *s,
			  const struct tariff_params *p, const struct tariff_mc_dist *d,
			  size_t draws, gsl_rng *rng, float *out, size_t *nfailed,
			  struct tc_err *err)
{
	struct mc_run R;
	struct mc_worker w;
	size_t nb = (draws + MC_BLOCK - 1) / MC_BLOCK, nf = 0;

	if (mc_prepare(model, s, p, d, rng, &R, err))
		return -1;
	if (worker_init(&w, &R, err)) {
		worker_free(&w);
		pthread_mutex_destroy(&R.lock);
		return -1;
	}
	R.draws = draws;
	R.mode = MC_ROWS;
	R.rows = out;
	R.bfail = xcalloc(nb ? nb : 1, sizeof(*R.bfail));
	run_phase(&R, &w, 1, 0, nb);
	for (size_t b = 0; b < nb; b++)
		nf += R.bfail[b];
	free(R.bfail);
	worker_free(&w);
	pthread_mutex_destroy(&R.lock);
	if (nfailed)
		*nfailed = nf;
	return 0;
}

int tariff_mc_run(enum tariff_model model, const struct tariff_scenario *s,
		  const struct tariff_params *p, const struct tariff_mc_dist *d,
		  size_t draws, gsl_rng *rng, float *out, struct tc_err *err)
{
	return tariff_mc_run_counted(model, s, p, d, draws, rng, out, NULL, err);
}

int tariff_mc_stats_sigmas(enum tariff_model model, const struct tariff_scenario *s,
			   const struct tariff_params *p, const struct tariff_mc_dist *d,
			   size_t draws, gsl_rng *rng, struct tariff_mc_summary sum[TARIFF_MC_NOUT],
			   double sigmas, struct tc_err *err)
{
	struct mc_run R;
	struct mc_col cols[TARIFF_MC_NOUT];
	struct mc_coljob J;
	struct mc_worker *w;
	int active[TARIFF_MC_NOUT], replay = 0, nt;
	size_t nfailed = 0, nb, pb;
	int rc = -1;

	if (mc_prepare(model, s, p, d, rng, &R, err))
		return -1;
	memset(cols, 0, sizeof(cols));
	memset(&J, 0, sizeof(J));
	nb = (draws + MC_BLOCK - 1) / MC_BLOCK;
	/* the pilot: whole blocks, about 1/32 of the draws, 1 to 8 blocks (every draw up to 1 block) */
	pb = (draws / 32 + MC_BLOCK - 1) / MC_BLOCK;
	pb = pb < 1 ? 1 : pb > 8 ? 8 : pb;
	if (pb > nb)
		pb = nb;
	nt = d->threads > 1 ? d->threads : 1;
	w = xcalloc((size_t)nt, sizeof(*w));
	for (int t = 0; t < nt; t++)
		if (worker_init(&w[t], &R, err))
			goto out;
	R.draws = draws;
	R.cols = cols;
	R.active = active;
	R.bsum = xcalloc(nb ? nb * TARIFF_MC_NOUT : 1, sizeof(*R.bsum));
	R.bfail = xcalloc(nb ? nb : 1, sizeof(*R.bfail));
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		size_t np = pb * MC_BLOCK < draws ? pb * MC_BLOCK : draws;
		/* a partner's columns are missing in every draw when it is absent */
		active[k] = !(k >= MC_PARTNER_M1 && !s->m[(k - MC_PARTNER_M1) % TARIFF_NPARTNERS].present);
		cols[k].pilot = xmalloc((np ? 2 * np : 1) * sizeof(uint32_t));	/* + the sort's room */
	}
	R.mode = MC_PILOT;
	run_phase(&R, w, nt, 0, pb);
	J.fn = col_after_pilot;
	J.cols = cols;
	J.active = active;
	J.sum = sum;
	J.draws = draws;
	J.np = pb * MC_BLOCK < draws ? pb * MC_BLOCK : draws;
	J.all = pb == nb;
	J.sigmas = sigmas;
	run_columns(&J, nt);
	R.mode = MC_SCAN;
	run_phase(&R, w, nt, pb, nb);
	/* totals per column, adding the blocks in order */
	for (size_t b = 0; b < nb; b++)
		nfailed += R.bfail[b];
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		struct mc_col *c = &cols[k];
		if (!active[k])
			continue;
		for (size_t b = 0; b < nb; b++) {
			struct mc_bsum *bs = &R.bsum[b * TARIFF_MC_NOUT + (size_t)k];
			c->sum += (bs->a[0] + bs->b[0]) + (bs->a[1] + bs->b[1]);
			c->n += bs->n;
		}
	}
	/* the ranks no window holds: one replay collects their gaps */
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		struct mc_col *c = &cols[k];
		int was = active[k];
		active[k] = 0;
		if (!was || !c->n)
			continue;
		for (int q = 0; q < 3; q++) {
			size_t lhs = (size_t)(mc_fs[q] * (double)(c->n - 1));
			for (size_t r = lhs; r <= lhs + 1 && r < c->n; r++)
				if (win_of(c, r) < 0) {
					add_gap(c, r);
					active[k] = replay = 1;
				}
		}
	}
	if (replay) {	/* only the gap windows of the active columns collect */
		R.mode = MC_FILL;
		run_phase(&R, w, nt, 0, nb);
	}
	J.fn = col_summary;
	J.nfailed = nfailed;
	run_columns(&J, nt);
	rc = 0;
out:
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		free(cols[k].pilot);
		for (int j = 0; j < MC_WMAX; j++)
			free(cols[k].w[j].v);
	}
	for (int t = 0; t < nt; t++)
		worker_free(&w[t]);
	free(w);
	free(R.bsum);
	free(R.bfail);
	pthread_mutex_destroy(&R.lock);
	return rc;
}

int tariff_mc_stats(enum tariff_model model, const struct tariff_scenario *s,
		    const struct tariff_params *p, const struct tariff_mc_dist *d,
		    size_t draws, gsl_rng *rng, struct tariff_mc_summary sum[TARIFF_MC_NOUT],
		    struct tc_err *err)
{
	return tariff_mc_stats_sigmas(model, s, p, d, draws, rng, sum, MC_SIGMAS, err);
}

double tariff_quantile_select(float *v, size_t n, double f)
{
	double index, delta, x, y;
	long lhs;

	if (n == 0)
		return NAN;
	if (f <= 0)
		f = 0;
	if (f >= 1)
		f = 1;
	index = f * (double)(n - 1);
	lhs = (long)index;
	delta = index - (double)lhs;
	select_k(v, (long)n, lhs);
	x = v[lhs];
	if (lhs + 1 >= (long)n || delta == 0)
		return x;
	y = v[lhs + 1];
	for (size_t i = (size_t)lhs + 2; i < n; i++)
		if (v[i] < y)
			y = v[i];
	return (1 - delta) * x + delta * y;
}

void tariff_mc_summarise(const float *out, size_t draws, int k, float *work,
			 struct tariff_mc_summary *sum)
{
	size_t n = 0;
	double acc = 0;

	for (size_t i = 0; i < draws; i++) {
		float v = out[i * TARIFF_MC_NOUT + (size_t)k];
		if (isfinite(v)) {
			work[n++] = v;
			acc += v;
		}
	}
	sum->nfinite = n;
	sum->nfailed = 0;	/* a failed draw has no imports after (every output NAN) */
	for (size_t i = 0; i < draws; i++)
		if (!isfinite(out[i * TARIFF_MC_NOUT + MC_IMPORTS_AFTER]))
			sum->nfailed++;
	if (!n) {
		sum->mean = sum->p5 = sum->p50 = sum->p95 = NAN;
		return;
	}
	sum->mean = acc / (double)n;
	sum->p50 = tariff_quantile_select(work, n, 0.50);
	sum->p5 = tariff_quantile_select(work, n, 0.05);
	sum->p95 = tariff_quantile_select(work, n, 0.95);
}

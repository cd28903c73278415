/*
** model_tariff_mc.c: Monte Carlo over the elasticities, and the
** percentile summaries.  Pure: the GSL RNG is passed in; the inner loop
** does not allocate (the ces path runs on a precomputed plan).
** Distributions and why: docs/tariff-methods.md, "Uncertainty".
*/
#include "tocalc/model_tariff.h"
#include "model_tariff_impl.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void tariff_mc_dist_default(struct tariff_mc_dist *d)
{
	d->eps_sdlog = 0.30;
	d->sigma_sdlog = 0.30;
	d->ex_sdlog = 0.50;
}

/* Output k of a draw lives at o[k * cs] (cs = 1: rows; cs = TARIFF_MC_CHUNK: columns). */
static void write_totals(float *o, size_t cs, const struct tariff_totals *T, double eps, double sigma)
{
	o[MC_IMPORTS_AFTER * cs] = (float)T->m1;
	o[MC_IMPORT_CHANGE * cs] = (float)T->dm;
	o[MC_CREATION * cs] = (float)T->creation;
	o[MC_REVENUE_AFTER * cs] = (float)T->rev1;
	o[MC_REVENUE_CHANGE * cs] = (float)T->drev;
	o[MC_DCS * cs] = (float)T->dcs;
	o[MC_DWL * cs] = (float)T->dwl;
	o[MC_NET_WELFARE * cs] = (float)T->net_welfare;
	o[MC_COST_PER_HOUSEHOLD * cs] = (float)T->cost_per_household;
	o[MC_EPS * cs] = (float)eps;
	o[MC_SIGMA * cs] = (float)sigma;
}

static int check_dist(const struct tariff_mc_dist *d, struct tc_err *err)
{
	if (!isfinite(d->eps_sdlog) || d->eps_sdlog < 0 || !isfinite(d->sigma_sdlog) ||
	    d->sigma_sdlog < 0 || !isfinite(d->ex_sdlog) || d->ex_sdlog < 0)
		return tc_fail(err, "monte carlo: log standard deviations must be finite and >= 0");
	return 0;
}

/*
** The nested model with infinite supply, specialised for the draw loop:
** the buyers' and world prices do not depend on the draw (the pass-through
** is fixed), so a draw costs the two lognormal parameters, one exp() per
** moving partner for the price index, one per partner for the quantities
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
	pl->per_hh = 1e6 / p->households;
	pl->inv_V0 = 1 / pl->V0;
	pl->inv_m0tot = 1 / pl->m0tot;
}

static void mc_fast(const struct mc_plan *pl, const struct tariff_scenario *s,
		    const struct tariff_params *p, const struct tariff_mc_dist *d,
		    size_t draws, gsl_rng *rng, float *out, size_t rs, size_t cs, size_t *nfailed)
{
	for (size_t i = 0; i < draws; i++) {
		float *row = out + i * rs;
		double eps = p->eps * exp(d->eps_sdlog * gsl_ran_gaussian_ziggurat(rng, 1.0));
		double sigma = p->sigma * exp(d->sigma_sdlog * gsl_ran_gaussian_ziggurat(rng, 1.0));
		double c = 1 - sigma, lnpi = 0, s1 = 0, dmtot = 0, rev1 = 0, dps = 0, dcs, qf, e0;
		double dm[TARIFF_NPARTNERS], b[TARIFF_NPARTNERS];
		struct tariff_totals T;

		/* one exp per moving partner: b = exp(-sigma lr) serves the index and the quantity */
		for (int m = 0; m < pl->nmv; m++)
			b[pl->mv[m]] = exp(-sigma * pl->lr[pl->mv[m]]);
		if (fabs(c) < 1e-12) {
			for (int m = 0; m < pl->nmv; m++)
				lnpi += pl->th[pl->mv[m]] * pl->lr[pl->mv[m]];
			lnpi /= pl->V0;
		} else {
			for (int m = 0; m < pl->nmv; m++) {
				int j = pl->mv[m];
				s1 += pl->th[j] * (pl->elr[j] * b[j] - 1);
			}
			lnpi = log(1 + s1 * pl->inv_V0) / c;
		}
		/* exp() - 1 rather than expm1(): 1e-16 of M0 does not matter in a float output */
		e0 = exp((sigma - eps) * lnpi);
		for (int j = 0; j < pl->n; j++) {
			dm[j] = pl->m0[j] * (pl->lr[j] == 0 ? e0 - 1 : e0 * b[j] - 1);
			dmtot += dm[j];
		}
		qf = dmtot * pl->inv_m0tot;
		dcs = fabs(1 - eps) < 1e-9 ? -pl->V0 * lnpi : -pl->V0 * expm1((1 - eps) * lnpi) / (1 - eps);
		for (int k = 0; k < TARIFF_NPARTNERS; k++)
			if (!s->m[k].present) {
				row[(MC_PARTNER_M1 + k) * cs] = (float)NAN;
				row[(MC_PARTNER_DIVERSION + k) * cs] = (float)NAN;
				row[(MC_PARTNER_REV1 + k) * cs] = (float)NAN;
			}
		for (int j = 0; j < pl->n; j++) {
			size_t k = (size_t)pl->idx[j];
			double m1 = pl->m0[j] + dm[j], r1 = pl->t1[j] * m1 * (1 + pl->w1[j]);
			rev1 += r1;
			dps += pl->w1[j] * m1;
			row[(MC_PARTNER_M1 + k) * cs] = (float)m1;
			row[(MC_PARTNER_DIVERSION + k) * cs] = (float)(dm[j] - pl->m0[j] * qf);
			row[(MC_PARTNER_REV1 + k) * cs] = (float)r1;
		}
		T.m1 = pl->m0tot + dmtot;
		T.dm = dmtot;
		T.creation = dmtot;
		T.rev1 = rev1;
		T.drev = rev1 - pl->rev0;
		T.dcs = dcs;
		T.net_welfare = dcs + T.drev;
		T.dwl = -(dcs + T.drev + dps);
		T.cost_per_household = -dcs * pl->per_hh;
		if (!isfinite(T.m1) || !isfinite(T.dwl) || !isfinite(lnpi) || T.m1 < 0) {
			for (int k = 0; k < TARIFF_MC_NOUT; k++)
				row[(size_t)k * cs] = (float)NAN;
			row[MC_EPS * cs] = (float)eps;
			row[MC_SIGMA * cs] = (float)sigma;
			(*nfailed)++;
			continue;
		}
		write_totals(row, cs, &T, eps, sigma);
	}
}

/*
** One chunk of draws into out[]; ws is the world-price solver (NULL when
** supply is infinite).  Allocation-free.  A draw where the model fails
** gets NAN in every output but eps and sigma and is counted in *nfailed.
*/
static void mc_kernel(enum tariff_model model, const struct tariff_scenario *s,
		      const struct tariff_params *p, const struct tariff_mc_dist *d,
		      size_t draws, gsl_rng *rng, float *out, size_t rs, size_t cs,
		      gsl_multiroot_fdfsolver *ws, size_t *nfailed)
{
	struct tariff_params q = *p;
	struct tariff_result r;
	struct tc_err e;

	if (model != TARIFF_SMART && !isfinite(p->ex)) {
		struct mc_plan pl;
		mc_plan_init(&pl, s, p);	/* a few dozen flops: once per chunk */
		mc_fast(&pl, s, p, d, draws, rng, out, rs, cs, nfailed);
		return;
	}
	for (size_t i = 0; i < draws; i++) {
		float *row = out + i * rs;
		q.eps = p->eps * exp(d->eps_sdlog * gsl_ran_gaussian_ziggurat(rng, 1.0));
		q.sigma = p->sigma * exp(d->sigma_sdlog * gsl_ran_gaussian_ziggurat(rng, 1.0));
		if (isfinite(p->ex))
			q.ex = p->ex * exp(d->ex_sdlog * gsl_ran_gaussian_ziggurat(rng, 1.0));
		if (tariff_eval_ws(model, s, &q, ws, &r, &e)) {
			for (int k = 0; k < TARIFF_MC_NOUT; k++)
				row[(size_t)k * cs] = (float)NAN;
			row[MC_EPS * cs] = (float)q.eps;
			row[MC_SIGMA * cs] = (float)q.sigma;
			(*nfailed)++;
			continue;
		}
		write_totals(row, cs, &r.total, q.eps, q.sigma);
		for (size_t k = 0; k < TARIFF_NPARTNERS; k++) {
			int pr = s->m[k].present;
			row[(MC_PARTNER_M1 + k) * cs] = pr ? (float)r.p[k].m1 : (float)NAN;
			row[(MC_PARTNER_DIVERSION + k) * cs] = pr ? (float)r.p[k].diversion : (float)NAN;
			row[(MC_PARTNER_REV1 + k) * cs] = pr ? (float)r.p[k].rev1 : (float)NAN;
		}
	}
}

static int mc_prepare(enum tariff_model model, const struct tariff_scenario *s,
		      const struct tariff_params *p, const struct tariff_mc_dist *d,
		      gsl_rng *rng, gsl_multiroot_fdfsolver **ws, struct tc_err *err)
{
	int n = 0;

	*ws = NULL;
	if (tariff_params_check(p, err) || tariff_scenario_check(s, err) || check_dist(d, err))
		return -1;
	if (!rng)
		return tc_fail(err, "monte carlo: no random number generator");
	for (int k = 0; k < TARIFF_NPARTNERS; k++)
		n += s->m[k].present;
	if (model != TARIFF_SMART && isfinite(p->ex)) {
		*ws = tariff_gsim_solver_alloc(n);
		if (!*ws)
			return tc_fail(err, "gsim: unable to allocate the multiroot solver");
	}
	return 0;
}

int tariff_mc_run_counted(enum tariff_model model, const struct tariff_scenario *s,
			  const struct tariff_params *p, const struct tariff_mc_dist *d,
			  size_t draws, gsl_rng *rng, float *out, size_t *nfailed,
			  struct tc_err *err)
{
	gsl_multiroot_fdfsolver *ws;
	size_t nf = 0;

	if (mc_prepare(model, s, p, d, rng, &ws, err))
		return -1;
	mc_kernel(model, s, p, d, draws, rng, out, TARIFF_MC_NOUT, 1, ws, &nf);
	if (ws)
		gsl_multiroot_fdfsolver_free(ws);
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

/* ------------------------------------------------ streaming summaries */

/*
** One pass, exact percentiles (issue 18).  Floats are compared as
** order-preserving unsigned keys (f2k: sign flipped), so a window of values
** is an integer interval.  The first `pilot` draws are kept whole; their
** order statistics around each wanted rank (a margin of MC_SIGMAS binomial
** standard deviations plus MC_SLACK ranks) give one key window per
** percentile.  Every draw then adds 1 to `below` of each window it lies
** under and is stored when it lies inside.  At the end the wanted order
** statistic r sits in the window with below <= r < below + n and is
** selected exactly there.  Should a rank fall outside every window (the
** pilot misled; about 3e-7 per window edge at 5 sigmas), the draw stream is
** replayed once from a copy of the rng, collecting the gap that holds it:
** exact in every case, and the answer the same as a full sort.
** Memory: the pilot, 23 columns x pilot x 4 bytes (at most 12 MB, freed
** after the pilot), then the windows: about 5.5% of the draws per column
** at 1 M draws, 2.7% at 10 M, 4 bytes each (a window of one value, e.g.
** an output the draws do not move, stores nothing).
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

/* The finite values of one chunk column into the windows (branch-free inner loop). */
static void col_window(struct mc_col *c, const uint32_t *key, size_t m, int replay)
{
	for (int j = 0; j < c->nw; j++) {
		struct mc_win *w = &c->w[j];
		uint32_t lo = w->lo, span = w->span, scratch[1];
		uint32_t *v;
		size_t below = 0, n, msk = span ? SIZE_MAX : 0;	/* a point window stores nothing */

		if (replay != w->fill_only)
			continue;
		win_reserve(w, m);
		v = span ? w->v : scratch;
		n = w->n;
		if (w->fill_only) {
			for (size_t i = 0; i < m; i++) {
				v[n & msk] = key[i];
				n += key[i] - lo <= span;
			}
		} else {
			for (size_t i = 0; i < m; i++) {
				below += key[i] < lo;
				v[n & msk] = key[i];
				n += key[i] - lo <= span;
			}
			w->below += below;
		}
		w->n = n;
	}
}

/*
** The main pass over one chunk column with the (at most 3) pilot windows,
** fused: mean accumulators, keys, window counts and stores in one
** branch-free loop.  A missing window is a dummy {lo 0, span 0} that no
** finite key (key 0 is a NaN) enters or lies under, storing into a
** scratch slot.
*/
static void col_scan(struct mc_col *c, const float *x, size_t m)
{
	uint32_t scratch[1], *v[3], lo[3], sp[3];
	size_t n[3], b[3] = { 0, 0, 0 }, nk = 0, msk[3];
	double sum = 0;

	for (int j = 0; j < 3; j++) {
		if (j < c->nw) {
			win_reserve(&c->w[j], m);
			sp[j] = c->w[j].span;
			v[j] = sp[j] ? c->w[j].v : scratch;	/* a point window counts only */
			msk[j] = sp[j] ? SIZE_MAX : 0;
			n[j] = c->w[j].n;
			lo[j] = c->w[j].lo;
		} else {
			v[j] = scratch;
			msk[j] = 0;
			n[j] = 0;
			lo[j] = sp[j] = 0;
		}
	}
	for (size_t i = 0; i < m; i++) {
		float f = x[i];
		uint32_t k;
		if (!isfinite(f))
			continue;
		sum += f;	/* in draw order: the mean as before */
		nk++;
		k = f2k(f);
		b[0] += k < lo[0];
		v[0][n[0] & msk[0]] = k;
		n[0] += k - lo[0] <= sp[0];
		b[1] += k < lo[1];
		v[1][n[1] & msk[1]] = k;
		n[1] += k - lo[1] <= sp[1];
		b[2] += k < lo[2];
		v[2][n[2] & msk[2]] = k;
		n[2] += k - lo[2] <= sp[2];
	}
	c->sum += sum;
	c->n += nk;
	for (int j = 0; j < c->nw; j++) {
		c->w[j].n = n[j];
		c->w[j].below += b[j];
	}
}

/*
** One chunk column: mean accumulators (pass 1 only) and the finite keys,
** to the pilot while it fills, else through the windows.
*/
static void col_chunk(struct mc_col *c, const float *x, size_t m, uint32_t *key, int replay)
{
	double sum = 0;
	size_t nk = 0;

	if (!replay && !c->pilot && c->nw <= 3) {
		col_scan(c, x, m);
		return;
	}
	for (size_t i = 0; i < m; i++) {
		float v = x[i];
		if (!isfinite(v))
			continue;
		sum += v;
		key[nk++] = f2k(v);
	}
	if (!replay) {
		c->sum += sum;
		c->n += nk;
	}
	if (c->pilot) {
		memcpy(c->pilot + c->np, key, nk * sizeof(*key));
		c->np += nk;
	} else {
		col_window(c, key, nk, replay);
	}
}

static int win_cmp(const void *a, const void *b)
{
	const struct mc_win *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/*
** After the pilot: the windows from the pilot's order statistics (every key
** when `all`, i.e. the pilot is every draw), then the pilot's own keys
** into them.
*/
static void col_windows(struct mc_col *c, int all, double sigmas, size_t remaining)
{
	size_t np = c->np, r[6], nr = 0;
	uint32_t kr[6];
	double lo_r[3], hi_r[3];

	c->nw = 0;
	if (all || np < 2) {
		c->w[0] = (struct mc_win){ .lo = 0, .span = UINT32_MAX };
		c->nw = 1;
	} else {
		for (int q = 0; q < 3; q++) {
			double f = mc_fs[q], rp = f * (double)(np - 1);
			double mg = sigmas * sqrt((double)np * f * (1 - f)) + MC_SLACK;
			lo_r[q] = floor(rp - mg);
			hi_r[q] = ceil(rp + 1 + mg);
			if (lo_r[q] > 0)
				r[nr++] = (size_t)lo_r[q];
			if (hi_r[q] < (double)(np - 1))
				r[nr++] = (size_t)hi_r[q];
		}
		qsort(r, nr, sizeof(*r), size_cmp);
		for (size_t i = 0, base = 0; i < nr; i++) {
			if (!i || r[i] != r[i - 1])
				select_u32(c->pilot + base, (long)(np - base), (long)(r[i] - base));
			kr[i] = c->pilot[r[i]];
			base = r[i];
		}
		for (int q = 0; q < 3; q++) {
			uint32_t lo = 0, hi = UINT32_MAX;
			for (size_t i = 0; i < nr; i++) {
				if (lo_r[q] > 0 && (double)r[i] == lo_r[q])
					lo = kr[i];
				if (hi_r[q] < (double)(np - 1) && (double)r[i] == hi_r[q])
					hi = kr[i];
			}
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
	/* room for the expected share of the remaining draws (grown if needed) */
	for (int j = 0; j < c->nw; j++) {
		double share = all || np < 2 ? 1.0 : 0;
		if (share == 0) {
			size_t in = 0;
			for (size_t i = 0; i < np; i++)
				in += c->pilot[i] - c->w[j].lo <= c->w[j].span;
			share = (double)in / (double)np;
		}
		win_reserve(&c->w[j], (size_t)(share * 1.25 * (double)(remaining + np)) + 16);
	}
	col_window(c, c->pilot, np, 0);
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

/* Order statistic r (0-based) of a column whose windows hold it. */
static double col_order_stat(struct mc_col *c, size_t r)
{
	int j = win_of(c, r);
	struct mc_win *w;

	if (j < 0)
		return NAN;	/* not reached: the replay collected every missing rank */
	w = &c->w[j];
	if (!w->span)
		return (double)k2f(w->lo);
	select_u32(w->v, (long)w->n, (long)(r - w->below));
	return (double)k2f(w->v[r - w->below]);
}

/*
** Order statistic r + 1 right after col_order_stat(c, r): the smallest key
** past r in r's window when it holds r + 1 (one scan, no second select).
*/
static double col_next_stat(struct mc_col *c, size_t r)
{
	int j = win_of(c, r + 1);
	struct mc_win *w;
	uint32_t m = UINT32_MAX;

	if (j < 0 || j != win_of(c, r))
		return col_order_stat(c, r + 1);
	w = &c->w[j];
	if (!w->span)
		return (double)k2f(w->lo);
	for (size_t i = r - w->below + 1; i < w->n; i++)
		if (w->v[i] < m)
			m = w->v[i];
	return (double)k2f(m);
}

/* Run draws [0, draws) in chunks through the columns; pilot draws first. */
static void mc_stream(enum tariff_model model, const struct tariff_scenario *s,
		      const struct tariff_params *p, const struct tariff_mc_dist *d, size_t draws,
		      gsl_rng *rng, gsl_multiroot_fdfsolver *ws, float *buf, uint32_t *key,
		      struct mc_col *cols, const int *active, size_t pilot, double sigmas,
		      int replay, size_t *nfailed)
{
	*nfailed = 0;
	for (size_t done = 0; done < draws; ) {
		size_t m = draws - done < TARIFF_MC_CHUNK ? draws - done : TARIFF_MC_CHUNK;
		mc_kernel(model, s, p, d, m, rng, buf, 1, TARIFF_MC_CHUNK, ws, nfailed);
		for (int k = 0; k < TARIFF_MC_NOUT; k++)
			if (active[k])
				col_chunk(&cols[k], buf + (size_t)k * TARIFF_MC_CHUNK, m, key, replay);
		done += m;
		if (!replay && done == pilot)
			for (int k = 0; k < TARIFF_MC_NOUT; k++)
				col_windows(&cols[k], pilot == draws, sigmas, draws - done);
	}
}

int tariff_mc_stats_sigmas(enum tariff_model model, const struct tariff_scenario *s,
			   const struct tariff_params *p, const struct tariff_mc_dist *d,
			   size_t draws, gsl_rng *rng, struct tariff_mc_summary sum[TARIFF_MC_NOUT],
			   double sigmas, struct tc_err *err)
{
	gsl_multiroot_fdfsolver *ws;
	gsl_rng *start;
	struct mc_col cols[TARIFF_MC_NOUT];
	int active[TARIFF_MC_NOUT], replay = 0;
	float *buf;
	uint32_t *key;
	size_t nfailed = 0, pilot;
	int rc = -1;

	if (mc_prepare(model, s, p, d, rng, &ws, err))
		return -1;
	memset(cols, 0, sizeof(cols));
	start = gsl_rng_clone(rng);
	if (!start) {
		if (ws)
			gsl_multiroot_fdfsolver_free(ws);
		return tc_fail(err, "monte carlo: unable to copy the random number generator");
	}
	/* the pilot: every draw up to 4 chunks, else 1/32 of them in whole chunks, 4..32 chunks */
	pilot = draws / 32;
	if (pilot < 4 * TARIFF_MC_CHUNK)
		pilot = 4 * TARIFF_MC_CHUNK;
	if (pilot > 32 * TARIFF_MC_CHUNK)
		pilot = 32 * TARIFF_MC_CHUNK;
	pilot = (pilot + TARIFF_MC_CHUNK - 1) / TARIFF_MC_CHUNK * TARIFF_MC_CHUNK;
	if (pilot > draws)
		pilot = draws;
	buf = xmalloc(TARIFF_MC_CHUNK * TARIFF_MC_NOUT * sizeof(float));
	key = xmalloc(TARIFF_MC_CHUNK * sizeof(*key));
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		cols[k].pilot = xmalloc((pilot ? pilot : 1) * sizeof(uint32_t));
		active[k] = 1;
	}
	if (!draws)
		for (int k = 0; k < TARIFF_MC_NOUT; k++)
			col_windows(&cols[k], 1, sigmas, 0);
	mc_stream(model, s, p, d, draws, rng, ws, buf, key, cols, active, pilot, sigmas, 0, &nfailed);
	/* the ranks no window holds: one replay collects their gaps */
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		struct mc_col *c = &cols[k];
		active[k] = 0;
		if (!c->n)
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
		size_t nf2;
		gsl_rng_memcpy(rng, start);
		mc_stream(model, s, p, d, draws, rng, ws, buf, key, cols, active, 0, sigmas, 1, &nf2);
	}
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		struct mc_col *c = &cols[k];
		struct tariff_mc_summary *u = &sum[k];
		u->nfinite = c->n;
		u->nfailed = nfailed;
		if (!c->n) {
			u->mean = u->p5 = u->p50 = u->p95 = NAN;
			continue;
		}
		u->mean = c->sum / (double)c->n;
		for (int q = 0; q < 3; q++) {
			double index = mc_fs[q] * (double)(c->n - 1), delta, x, y;
			size_t lhs = (size_t)index;
			double *dst = q == 0 ? &u->p5 : q == 1 ? &u->p50 : &u->p95;
			delta = index - (double)lhs;
			x = col_order_stat(c, lhs);
			if (lhs + 1 >= c->n || delta == 0) {
				*dst = x;
				continue;
			}
			y = col_next_stat(c, lhs);
			*dst = (1 - delta) * x + delta * y;
		}
	}
	rc = 0;
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		free(cols[k].pilot);
		for (int j = 0; j < MC_WMAX; j++)
			free(cols[k].w[j].v);
	}
	free(buf);
	free(key);
	gsl_rng_free(start);
	if (ws)
		gsl_multiroot_fdfsolver_free(ws);
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

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
#include <string.h>

static void select_k(float *v, long n, long k);

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

enum { MC_BINS = 4096, MC_MAXRANK = 6 };

struct mc_target {
	size_t bin, below, count, fill;
	float *vals;
};

struct mc_col {
	double sum;
	float min, max;
	size_t n;
	double scale;
	size_t *hist;
	size_t rank[MC_MAXRANK];	/* order statistics wanted: lhs, lhs+1 of each quantile */
	int nrank;
	struct mc_target tg[MC_MAXRANK];
	int ntg;
};

static const double mc_fs[3] = { 0.05, 0.50, 0.95 };

static size_t mc_bin(const struct mc_col *c, float v)
{
	double b = ((double)v - (double)c->min) * c->scale;
	size_t i = b <= 0 ? 0 : (size_t)b;
	return i >= MC_BINS ? MC_BINS - 1 : i;
}

/* Run the draw stream from `start` in chunks, calling fn on each chunk. */
static void mc_pass(enum tariff_model model, const struct tariff_scenario *s,
		   const struct tariff_params *p, const struct tariff_mc_dist *d, size_t draws,
		   gsl_rng *rng, const gsl_rng *start, float *buf, gsl_multiroot_fdfsolver *ws,
		   struct mc_col *cols, int pass, size_t *nfailed)
{
	gsl_rng_memcpy(rng, start);
	*nfailed = 0;
	for (size_t done = 0; done < draws; ) {
		size_t m = draws - done < TARIFF_MC_CHUNK ? draws - done : TARIFF_MC_CHUNK;
		mc_kernel(model, s, p, d, m, rng, buf, 1, TARIFF_MC_CHUNK, ws, nfailed);
		for (int k = 0; k < TARIFF_MC_NOUT; k++) {
			struct mc_col *c = &cols[k];
			const float *v = buf + (size_t)k * TARIFF_MC_CHUNK;
			if (pass == 1) {
				/* locals: keep the loop in registers */
				double sum = 0;
				float lo = c->min, hi = c->max;
				size_t n = c->n;
				for (size_t i = 0; i < m; i++) {
					float x = v[i];
					if (!isfinite(x))
						continue;
					if (!n || x < lo)
						lo = x;
					if (!n || x > hi)
						hi = x;
					sum += x;
					n++;
				}
				c->sum += sum;
				c->min = lo;
				c->max = hi;
				c->n = n;
			} else if (c->hist && pass == 2) {
				size_t *hist = c->hist;
				for (size_t i = 0; i < m; i++)
					if (isfinite(v[i]))
						hist[mc_bin(c, v[i])]++;
			} else if (c->hist) {
				for (size_t i = 0; i < m; i++) {
					size_t b;
					if (!isfinite(v[i]))
						continue;
					b = mc_bin(c, v[i]);
					for (int t = 0; t < c->ntg; t++)
						if (c->tg[t].bin == b) {
							c->tg[t].vals[c->tg[t].fill++] = v[i];
							break;
						}
				}
			}
		}
		done += m;
	}
}

/* After pass 2: the bins holding each wanted order statistic. */
static void mc_targets(struct mc_col *c)
{
	c->nrank = 0;
	c->ntg = 0;
	for (int q = 0; q < 3; q++) {
		double index = mc_fs[q] * (double)(c->n - 1);
		size_t lhs = (size_t)index;
		c->rank[c->nrank++] = lhs;
		if (lhs + 1 < c->n)
			c->rank[c->nrank++] = lhs + 1;
	}
	for (int j = 0; j < c->nrank; j++) {
		size_t cum = 0, b = 0;
		int t;
		while (cum + c->hist[b] <= c->rank[j])
			cum += c->hist[b++];
		for (t = 0; t < c->ntg; t++)
			if (c->tg[t].bin == b)
				break;
		if (t == c->ntg) {
			c->tg[t].bin = b;
			c->tg[t].below = cum;
			c->tg[t].count = c->hist[b];
			c->tg[t].fill = 0;
			c->tg[t].vals = NULL;
			c->ntg++;
		}
	}
}

/* Order statistic r (0-based) from the collected target bins. */
static double mc_order_stat(struct mc_col *c, size_t r)
{
	for (int t = 0; t < c->ntg; t++) {
		struct mc_target *g = &c->tg[t];
		if (r >= g->below && r < g->below + g->count) {
			select_k(g->vals, (long)g->count, (long)(r - g->below));
			return g->vals[r - g->below];
		}
	}
	return NAN;	/* not reached */
}

int tariff_mc_stats(enum tariff_model model, const struct tariff_scenario *s,
		    const struct tariff_params *p, const struct tariff_mc_dist *d,
		    size_t draws, gsl_rng *rng, struct tariff_mc_summary sum[TARIFF_MC_NOUT],
		    struct tc_err *err)
{
	gsl_multiroot_fdfsolver *ws;
	gsl_rng *start;
	struct mc_col cols[TARIFF_MC_NOUT];
	float *buf;
	size_t nfailed = 0;
	int rc = -1;

	if (mc_prepare(model, s, p, d, rng, &ws, err))
		return -1;
	start = gsl_rng_clone(rng);
	buf = xmalloc(TARIFF_MC_CHUNK * TARIFF_MC_NOUT * sizeof(float));
	memset(cols, 0, sizeof(cols));
	if (!start) {
		tc_fail(err, "monte carlo: unable to copy the random number generator");
		goto out;
	}
	mc_pass(model, s, p, d, draws, rng, start, buf, ws, cols, 1, &nfailed);
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		struct mc_col *c = &cols[k];
		if (c->n && c->min < c->max) {
			c->hist = xcalloc(MC_BINS, sizeof(*c->hist));
			c->scale = MC_BINS / ((double)c->max - (double)c->min);
		}
	}
	mc_pass(model, s, p, d, draws, rng, start, buf, ws, cols, 2, &nfailed);
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		struct mc_col *c = &cols[k];
		if (!c->hist)
			continue;
		mc_targets(c);
		for (int t = 0; t < c->ntg; t++)
			c->tg[t].vals = xmalloc((c->tg[t].count ? c->tg[t].count : 1) * sizeof(float));
	}
	mc_pass(model, s, p, d, draws, rng, start, buf, ws, cols, 3, &nfailed);
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
		if (!c->hist) {	/* every value equal */
			u->p5 = u->p50 = u->p95 = c->min;
			continue;
		}
		for (int q = 0; q < 3; q++) {
			double index = mc_fs[q] * (double)(c->n - 1), delta, x, y;
			size_t lhs = (size_t)index;
			double *dst = q == 0 ? &u->p5 : q == 1 ? &u->p50 : &u->p95;
			delta = index - (double)lhs;
			x = mc_order_stat(c, lhs);
			if (lhs + 1 >= c->n || delta == 0) {
				*dst = x;
				continue;
			}
			y = mc_order_stat(c, lhs + 1);
			*dst = (1 - delta) * x + delta * y;
		}
	}
	rc = 0;
out:
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		free(cols[k].hist);
		for (int t = 0; t < cols[k].ntg; t++)
			free(cols[k].tg[t].vals);
	}
	free(buf);
	if (start)
		gsl_rng_free(start);
	if (ws)
		gsl_multiroot_fdfsolver_free(ws);
	return rc;
}

/* Reorder v[0..n) so that v[k] is the k-th smallest (Hoare quickselect). */
static void select_k(float *v, long n, long k)
{
	long lo = 0, hi = n - 1;

	while (hi > lo) {
		long mid = lo + (hi - lo) / 2, i = lo, j = hi;
		float a = v[lo], b = v[mid], c = v[hi], pivot;

		if ((a <= b && b <= c) || (c <= b && b <= a))
			pivot = b;
		else if ((b <= a && a <= c) || (c <= a && a <= b))
			pivot = a;
		else
			pivot = c;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				float t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
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

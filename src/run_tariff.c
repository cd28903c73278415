/*
** run_tariff.c: the run layer of the tariff what-ifs (run_tariff.h): load the
** datasets once, evaluate the model (and Monte Carlo) at a resolved
** what-if, sweep or maximise over the layer it varies.  The commands, the
** report and the figures call these; the models stay pure (model_tariff.h).
*/
#include "tocalc/run_tariff.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/report.h"

#include <dirent.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
** Monte Carlo worker threads: TOCALC_THREADS when set (1 to 64, exit 2
** otherwise), else the processors online, at most 16.  The draws and every
** summary are the same whatever the count (model_tariff_mc.c).
*/
static int mc_threads(int *threads, struct tc_err *err)
{
	const char *e = getenv("TOCALC_THREADS");
	long n;

	if (e) {
		if (tc_parse_long(e, &n) || n < 1 || n > 64)
			return tc_failc(err, TC_EXIT_USAGE,
					"TOCALC_THREADS: expected a whole number from 1 to 64, got '%s'", e);
		*threads = (int)n;
		return 0;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	*threads = n < 1 ? 1 : n > 16 ? 16 : (int)n;
	return 0;
}

int tariff_inputs_load(struct tariff_inputs *in, const char *data_dir, unsigned what,
		       struct tc_err *err)
{
	memset(in, 0, sizeof(*in));
	if (what & TI_PARAMS) {
		if (dataset_load(&in->params, data_dir, "parameters", err))
			goto fail;
		in->have_params = 1;
		if (tariff_params_from_table(&in->params, &in->p, &in->src, err))
			goto fail;
	}
	if (what & TI_TRADE) {
		if (dataset_load(&in->trade, data_dir, "trade", err))
			goto fail;
		in->have_trade = 1;
	}
	if (what & TI_TIMELINE) {
		if (tariff_timeline_load(&in->tl, data_dir, err))
			goto fail;
		in->have_tl = 1;
		if (tariff_coverage_load(&in->cv, data_dir, err))
			goto fail;
	}
	return 0;
fail:
	tariff_inputs_release(in);
	return -1;
}

void tariff_inputs_release(struct tariff_inputs *in)
{
	if (in->have_params)
		tcsv_table_release(&in->params);
	if (in->have_trade)
		tcsv_table_release(&in->trade);
	if (in->have_tl)
		tariff_timeline_release(&in->tl);
	if (in->cv)
		tariff_coverage_free(in->cv);
	memset(in, 0, sizeof(*in));
}

int whatif_eval(const struct whatif *w, struct tariff_result *r,
		struct tariff_mc_summary mc[TARIFF_MC_NOUT], struct tc_err *err)
{
	gsl_rng *rng;
	struct tariff_mc_dist d;
	int rc;

	if (tariff_eval(w->model, &w->s, &w->p, r, err))
		return -1;
	if (!w->draws || !mc)
		return 0;
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!rng)
		return tc_fail(err, "unable to allocate the random number generator");
	gsl_rng_set(rng, w->seed);
	tariff_mc_dist_default(&d);
	if (mc_threads(&d.threads, err)) {
		gsl_rng_free(rng);
		return -1;
	}
	rc = tariff_mc_stats(w->model, &w->s, &w->p, &d, (size_t)w->draws, rng, mc, err);
	gsl_rng_free(rng);
	return rc;
}

int whatif_sweep(const struct whatif *w, int k, double from, double to, double step,
		 struct whatif_sweep_row **rows, size_t *n, struct tc_err *err)
{
	size_t cnt = (size_t)floor((to - from) / step + 1e-9) + 1;
	struct whatif_sweep_row *out = xcalloc(cnt, sizeof(*out));
	struct tariff_result *res = xcalloc(cnt, sizeof(*res));
	double *rates = xcalloc(cnt, sizeof(double));
	int *ok = xcalloc(cnt, sizeof(int));
	struct tc_err *why = xcalloc(cnt, sizeof(*why));
	int rc;

	*rows = NULL;
	*n = 0;
	for (size_t i = 0; i < cnt; i++) {
		out[i].rate_pct = fmin(from + (double)i * step, to);
		rates[i] = whatif_rate_at(w, k, out[i].rate_pct);
		out[i].eff_pct = 100 * rates[i];
	}
	/* the sweep lives with the models: a point that fails is reported, not fatal */
	rc = tariff_sweep(w->model, &w->s, k, &w->p, rates, cnt, res, ok, why, err);
	for (size_t i = 0; !rc && i < cnt; i++) {
		out[i].r = res[i];
		out[i].ok = ok[i];
		if (!ok[i])
			snprintf(out[i].why, sizeof(out[i].why), "%.*s", (int)sizeof(out[i].why) - 1, why[i].msg);
	}
	free(res);
	free(rates);
	free(ok);
	free(why);
	if (rc) {
		free(out);
		return -1;
	}
	*rows = out;
	*n = cnt;
	return 0;
}

int whatif_revenue_max(const struct whatif *w, int k, struct whatif_revmax *out,
		       struct tc_err *err)
{
	memset(out, 0, sizeof(*out));
	out->rate_pct = out->eff_pct = NAN;
	if (tariff_revenue_max(w->model, &w->s, k, &w->p, &out->rm, err))
		return -1;
	if (!out->rm.exists)
		return 0;
	out->eff_pct = 100 * out->rm.t_numeric;
	if (w->layer_cover[k] > 0) {
		out->rate_pct = (out->eff_pct - w->eff_without[k]) / w->layer_cover[k];
		if (out->rate_pct < 0) {
			out->below_range = 1;
			out->rate_pct = NAN;
		}
	}
	return 0;
}

int whatif_revenue_max_changed(const struct whatif *w, const int changed[TARIFF_NPARTNERS],
			       struct whatif_revmax rm[TARIFF_NPARTNERS],
			       int has_rm[TARIFF_NPARTNERS], struct tc_err *err)
{
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		has_rm[k] = 0;
		if (!changed[k])
			continue;
		if (whatif_revenue_max(w, k, &rm[k], err))
			return -1;
		has_rm[k] = 1;
	}
	return 0;
}

int whatif_run(const struct whatif *w, struct whatif_outcome *o, struct tc_err *err)
{
	memset(o, 0, sizeof(*o));
	if (whatif_eval(w, &o->r, o->mc, err))
		return -1;
	return whatif_revenue_max_changed(w, w->changed, o->rm, o->has_rm, err);
}

int whatif_grid(const struct scenario *sc, const struct scenario_flags *fl,
		const struct tariff_inputs *in, const struct whatif_grid_lists *ls,
		struct whatif *first, struct whatif_grid_row **rows, size_t *n, struct tc_err *err)
{
	size_t cnt = ls->neps * ls->nsigma * ls->nex * ls->npt, i = 0;
	struct whatif_grid_row *out = xcalloc(cnt ? cnt : 1, sizeof(*out));
	struct whatif *w = xmalloc(sizeof(*w));

	*rows = NULL;
	*n = 0;
	for (size_t a = 0; a < ls->neps; a++)
		for (size_t b = 0; b < ls->nsigma; b++)
			for (size_t c = 0; c < ls->nex; c++)
				for (size_t d = 0; d < ls->npt; d++, i++) {
					struct scenario_flags f = *fl;
					struct tariff_result r;
					f.eps = ls->eps[a];
					f.sigma = ls->sigma[b];
					f.ex = ls->ex[c];
					f.pt = ls->pt[d];
					f.draws = 0;
					if (whatif_resolve(sc, &f, in, w, err))
						goto fail;
					if (tariff_eval(w->model, &w->s, &w->p, &r, err)) {
						whatif_release(w);
						goto fail;
					}
					out[i].p = w->p;
					out[i].total = r.total;
					if (i == 0)
						*first = *w;	/* its notes go with it */
					else
						whatif_release(w);
				}
	free(w);
	*rows = out;
	*n = cnt;
	return 0;
fail:
	if (i > 0)
		whatif_release(first);
	free(w);
	free(out);
	return -1;
}

/* ------------------------------------------------------------------ */
/* the report's scenarios (report.h)                                   */

static int scn_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int whatif_scenario_files(const char *dir, char ***names, size_t *n, struct tc_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return tc_fail(err, "unable to read the scenario directory '%s'", dir);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l <= 4 || e->d_name[0] == '.' || strcmp(e->d_name + l - 4, ".scn"))
			continue;
		*names = xgrow(*names, &cap, *n + 1, sizeof(char *));
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (!*n)
		return tc_fail(err, "no scenario files (*.scn) in '%s'", dir);
	qsort(*names, *n, sizeof(char *), scn_name_cmp);
	return 0;
}

static void scenario_result_release(struct report_scenario *r)
{
	free(r->file);
	free(r->name);
	free(r->title);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
}

void report_scenarios_free(struct report_scenario *sc, size_t n)
{
	if (!sc)
		return;
	for (size_t i = 0; i < n; i++)
		scenario_result_release(&sc[i]);
	free(sc);
}

/* One scenario file, resolved and run exactly as `tocalc tariff run FILE` without flags. */
static int run_one(const struct tariff_inputs *in, const struct scenario *sc,
		   struct report_scenario *r, struct tc_err *err)
{
	struct whatif *w = xmalloc(sizeof(*w));
	int rc = -1;

	if (whatif_resolve(sc, NULL, in, w, err)) {
		free(w);
		return -1;
	}
	r->as_of = w->as_of;
	r->year = w->year;
	r->model = w->model;
	r->p = w->p;
	r->s = w->s;
	r->draws = w->draws;
	r->seed = w->seed;
	snprintf(r->change, sizeof(r->change), "%s", w->change);
	if (whatif_eval(w, &r->r, r->mc, err))
		tc_err_prefix(err, "%s", sc->path);
	else
		rc = 0;
	whatif_release(w);
	free(w);
	return rc;
}

int report_scenarios_run(const char *data_dir, const char *dir, struct report_scenario **out,
			 size_t *n, struct tc_err *err)
{
	struct tariff_inputs in;
	struct report_scenario *res = NULL;
	char **names = NULL;
	size_t nn = 0, done = 0;
	int ret = -1, loaded = 0;

	*out = NULL;
	*n = 0;
	if (whatif_scenario_files(dir, &names, &nn, err))
		return -1;
	if (tariff_inputs_load(&in, data_dir, TI_ALL, err))
		goto out;
	loaded = 1;
	res = xcalloc(nn, sizeof(*res));
	for (; done < nn; done++) {
		struct report_scenario *r = &res[done];
		struct scenario sc;
		size_t plen = strlen(dir) + strlen(names[done]) + 2;
		char *path = xmalloc(plen);
		int rc;

		snprintf(path, plen, "%s/%s", dir, names[done]);
		rc = scenario_parse_file(&sc, path, err);
		free(path);
		if (rc)
			goto out;
		r->file = xstrdup(names[done]);
		if (sc.name) {
			r->name = xstrdup(sc.name);
		} else {
			r->name = xstrdup(names[done]);
			r->name[strlen(r->name) - 4] = '\0';
		}
		r->title = sc.title ? xstrdup(sc.title) : NULL;
		if (sc.nnotes) {
			r->notes = xcalloc(sc.nnotes, sizeof(char *));
			for (size_t i = 0; i < sc.nnotes; i++)
				r->notes[i] = xstrdup(sc.notes[i]);
			r->nnotes = sc.nnotes;
		}
		rc = run_one(&in, &sc, r, err);
		scenario_release(&sc);
		if (rc) {
			done++;
			goto out;
		}
	}
	*out = res;
	*n = nn;
	res = NULL;
	ret = 0;
out:
	report_scenarios_free(res, done);
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	if (loaded)
		tariff_inputs_release(&in);
	return ret;
}

/* ------------------------------------------------------------------ */
/* the Laffer curve of a scenario (run_tariff.h)                            */

void whatif_laffer_release(struct whatif_laffer *lc)
{
	free(lc->rate);
	free(lc->eff);
	free(lc->rev);
	free(lc->imp);
	free(lc->rev_lo);
	free(lc->rev_hi);
	free(lc->imp_lo);
	free(lc->imp_hi);
	memset(lc, 0, sizeof(*lc));
}

int whatif_laffer(const char *data_dir, const char *scenario_path, double from, double to,
		  double step, long draws, unsigned long seed, struct whatif_laffer *lc,
		  struct tc_err *err)
{
	struct scenario sc;
	struct tariff_inputs in;
	struct whatif *w = xmalloc(sizeof(*w));
	struct tariff_scenario s;
	struct tariff_mc_dist dist;
	gsl_rng *rng = NULL;
	int k = -1, ret = -1, have_w = 0, have_in = 0, have_sc = 0;

	memset(lc, 0, sizeof(*lc));
	if (scenario_parse_file(&sc, scenario_path, err))
		goto out;
	have_sc = 1;
	if (tariff_inputs_load(&in, data_dir, TI_ALL, err))
		goto out;
	have_in = 1;
	if (whatif_resolve(&sc, NULL, &in, w, err))
		goto out;
	have_w = 1;
	for (int j = 0; j < TARIFF_NPARTNERS && k < 0; j++)
		if (w->changed[j])
			k = j;
	if (k < 0) {
		tc_fail(err, "%s: the scenario changes no tariff: no curve to draw", scenario_path);
		goto out;
	}
	lc->n = (size_t)floor((to - from) / step + 1e-9) + 1;
	lc->rate = xcalloc(lc->n, sizeof(double));
	lc->eff = xcalloc(lc->n, sizeof(double));
	lc->rev = xcalloc(lc->n, sizeof(double));
	lc->imp = xcalloc(lc->n, sizeof(double));
	lc->rev_lo = xcalloc(lc->n, sizeof(double));
	lc->rev_hi = xcalloc(lc->n, sizeof(double));
	lc->imp_lo = xcalloc(lc->n, sizeof(double));
	lc->imp_hi = xcalloc(lc->n, sizeof(double));
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!rng) {
		tc_fail(err, "unable to allocate the random number generator");
		goto out;
	}
	tariff_mc_dist_default(&dist);
	if (mc_threads(&dist.threads, err))
		goto out;
	s = w->s;
	for (size_t i = 0; i < lc->n; i++) {
		struct tariff_result r;
		struct tariff_mc_summary sum[TARIFF_MC_NOUT];
		double rate = fmin(from + (double)i * step, to);

		s.m[k].t1 = whatif_rate_at(w, k, rate);
		if (tariff_eval(w->model, &s, &w->p, &r, err)) {
			tc_err_prefix(err, "%s at %g%%", w->layer[k], rate);
			goto out;
		}
		lc->rate[i] = rate;
		lc->eff[i] = 100 * s.m[k].t1;
		lc->rev[i] = r.total.rev1;
		lc->imp[i] = r.p[k].m1;
		lc->rev_lo[i] = lc->rev_hi[i] = lc->rev[i];
		lc->imp_lo[i] = lc->imp_hi[i] = lc->imp[i];
		if (draws > 0) {
			/* the same draws at every rate (common random numbers): a smooth band */
			gsl_rng_set(rng, seed);
			if (tariff_mc_stats(w->model, &s, &w->p, &dist, (size_t)draws, rng, sum, err)) {
				tc_err_prefix(err, "Monte Carlo at %g%%", rate);
				goto out;
			}
			lc->rev_lo[i] = sum[MC_REVENUE_AFTER].p5;
			lc->rev_hi[i] = sum[MC_REVENUE_AFTER].p95;
			lc->imp_lo[i] = sum[MC_PARTNER_M1 + k].p5;
			lc->imp_hi[i] = sum[MC_PARTNER_M1 + k].p95;
		}
	}
	if (whatif_revenue_max(w, k, &lc->rm, err))
		goto out;
	lc->partner = k;
	snprintf(lc->layer, sizeof(lc->layer), "%s", w->layer[k]);
	lc->layer_before = w->layer_before[k];
	lc->layer_after = w->layer_after[k];
	lc->as_of = w->as_of;
	lc->year = w->year;
	lc->model = w->model;
	lc->p = w->p;
	snprintf(lc->scenario, sizeof(lc->scenario), "%s", sc.name ? sc.name : scenario_path);
	ret = 0;
out:
	if (ret)
		whatif_laffer_release(lc);
	if (rng)
		gsl_rng_free(rng);
	if (have_w)
		whatif_release(w);
	free(w);
	if (have_in)
		tariff_inputs_release(&in);
	if (have_sc)
		scenario_release(&sc);
	return ret;
}

/* ------------------------------------------------------------------ */
/* effective rates over time (the figures)                              */

int whatif_effective_series(const char *data_dir, int partner, const long *dates, size_t n,
			    double *rate, struct tc_err *err)
{
	struct tariff_inputs in;
	struct eff_stack *st = xmalloc(sizeof(*st));
	int ret = -1;

	if (tariff_inputs_load(&in, data_dir, TI_TIMELINE, err)) {
		free(st);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (dates[i] < in.tl.first) {
			rate[i] = 0;
		} else if (dates[i] > in.tl.last) {
			rate[i] = NAN;
		} else {
			if (tariff_effective_on(&in.tl, in.cv, partner, dates[i], st, err)) {
				tc_err_prefix(err, "tariffs.csv");
				goto out;
			}
			rate[i] = st->effective;
		}
	}
	ret = 0;
out:
	free(st);
	tariff_inputs_release(&in);
	return ret;
}

/* ------------------------------------------------------- product level */

/*
** The line model of the ces (or infinite-supply gsim) path with one market:
** eval_armington() and tariff_eval_ws() of model_tariff.c for n = 1,
** operation for operation, so that every sum is bit for bit the same.
** What depends only on the line's rates (log1p, expm1 of the price
** ratios) is cached per rate; what depends on the rounding of
** th expm1(x) / th (one of a few values per rate) is cached per bit
** pattern of that quotient.  A line the cache cannot serve exactly, or
** whose result is not finite, goes through tariff_eval() itself.
*/
enum { PL_RATES = 64, PL_Q = 8 };

struct pl_q {
	uint64_t bits;
	double lnpi, eg, edcs;	/* expm1(g), expm1((1 - eps) lnpi) */
};

struct pl_rate {
	double list, t0, t1, lr, w1, ex1;
	int ok;			/* 0: every line of this rate goes through tariff_eval */
	int nq;
	struct pl_q q[PL_Q];
};

struct prod_ctx {
	const struct whatif *w;
	struct whatif_products *o;
	const struct product_rates *pr;
	int fast;		/* the model allows the cached path */
	double c, one_m_eps;
	size_t nr;
	struct pl_rate r[PL_RATES];
};

static void pl_add(struct whatif_products *o, const struct tariff_totals *t, int chapter,
		   double m0, double list)
{
	o->T.m0 += t->m0;
	o->T.m1 += t->m1;
	o->T.rev0 += t->rev0;
	o->T.rev1_static += t->rev1_static;
	o->T.rev1 += t->rev1;
	o->T.dcs += t->dcs;
	o->T.dwl += t->dwl;
	o->ch[chapter].m0 += m0;
	o->ch[chapter].m1 += t->m1;
	o->ch[chapter].rev0 += t->rev0;
	o->ch[chapter].rev1 += t->rev1;
	o->ch[chapter].list_w += m0 * list;
	o->ch[chapter].rows++;
}

/* The cached line model; 0 when it served the line (into *t), else -1. */
static int pl_fast(struct prod_ctx *c, struct pl_rate *e, double m0, struct tariff_totals *t)
{
	const struct tariff_params *p = &c->w->p;
	double th, V0, lnpi, dcs, dm, m1, cr, dv, rev1, dps, eg, edcs;
	uint64_t bits;
	struct pl_q *q = NULL;

	if (!(m0 > 0) || m0 > TARIFF_MAX_IMPORTS)
		return -1;
	th = m0 * (1 + e->t0);
	V0 = 0 + th;
	if (fabs(c->c) < 1e-12) {
		lnpi = (0 + th * e->lr) / V0;
		if (!isfinite(lnpi) || lnpi > 700)
			return -1;
		eg = expm1((p->sigma - p->eps) * lnpi - p->sigma * e->lr);
		edcs = fabs(c->one_m_eps) < 1e-9 ? lnpi : expm1(c->one_m_eps * lnpi);
	} else {
		double s1 = 0 + th * e->ex1, x = s1 / V0;
		memcpy(&bits, &x, sizeof(bits));
		for (int i = 0; i < e->nq; i++)
			if (e->q[i].bits == bits) {
				q = &e->q[i];
				break;
			}
		if (!q) {
			struct pl_q n;
			n.bits = bits;
			n.lnpi = log1p(x) / c->c;
			if (!isfinite(n.lnpi) || n.lnpi > 700)
				return -1;
			n.eg = expm1((p->sigma - p->eps) * n.lnpi - p->sigma * e->lr);
			n.edcs = fabs(c->one_m_eps) < 1e-9 ? n.lnpi : expm1(c->one_m_eps * n.lnpi);
			if (e->nq < PL_Q)
				e->q[e->nq++] = n;
			lnpi = n.lnpi;
			eg = n.eg;
			edcs = n.edcs;
		} else {
			lnpi = q->lnpi;
			eg = q->eg;
			edcs = q->edcs;
		}
	}
	dcs = fabs(c->one_m_eps) < 1e-9 ? -V0 * lnpi : -V0 * edcs / c->one_m_eps;
	dm = m0 * eg;
	{
		double m0tot = 0 + m0, dmtot = 0 + dm, qf = dmtot / m0tot;
		m1 = m0 + dm;
		cr = m0 * qf;
		dv = dm - cr;
		t->creation = dmtot;
	}
	rev1 = e->t1 * m1 * (1 + e->w1);
	dps = 0 + e->w1 * m1;
	t->m0 = 0 + m0;
	t->m1 = 0 + m1;
	t->rev0 = 0 + e->t0 * m0;
	t->rev1_static = 0 + e->t1 * m0;
	t->rev1 = 0 + rev1;
	t->diversion = 0 + dv;
	t->dm = t->creation + t->diversion;
	t->drev = t->rev1 - t->rev0;
	t->dcs = dcs;
	t->dps = dps;
	t->dwl = -(t->dcs + t->drev + t->dps);
	if (!isfinite(m1) || m1 < 0 || !isfinite(t->dm) || !isfinite(cr) || !isfinite(dv) ||
	    !isfinite(t->rev1) || !isfinite(t->drev) || !isfinite(dcs) || !isfinite(t->dwl) ||
	    !isfinite(dps) || !isfinite(m1 * e->w1) || !isfinite(t->dcs + t->drev) ||
	    !isfinite(expm1(lnpi)))
		return -1;
	return 0;
}

static int product_row(const struct hs10_row *row, void *ud, struct tc_err *err)
{
	struct prod_ctx *c = ud;
	struct whatif_products *o = c->o;
	struct tariff_scenario s;
	struct tariff_result r;
	struct pl_rate *e = NULL;
	struct tariff_totals t;
	double list = 0, m0 = row->value / 1e6;
	int matched = 0;

	o->rows++;
	o->value_usd += row->value;
	if (isfinite(row->duty)) {
		o->duty_usd += row->duty;
		o->with_duty++;
	}
	if (row->value == 0) {
		o->zero_rows++;
		return 0;
	}
	if (c->pr) {
		list = product_rate(c->pr, row->hs8num, &matched);
		if (matched) {
			o->matched_rows++;
			o->matched_value += row->value;
		}
	}
	if (c->fast) {
		for (size_t i = 0; i < c->nr; i++)
			if (c->r[i].list == list) {
				e = &c->r[i];
				break;
			}
		if (e && e->ok && !pl_fast(c, e, m0, &t)) {
			pl_add(o, &t, row->chapter, m0, list);
			return 0;
		}
	}
	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN].present = 1;
	s.m[TARIFF_CN].m0 = m0;
	s.m[TARIFF_CN].t0 = (o->t0flat + list) / 100;
	s.m[TARIFF_CN].t1 = (o->t1flat + list) / 100;
	if (tariff_eval(c->w->model, &s, &c->w->p, &r, err))
		return tc_err_prefix(err, "line %ld", row->line);
	if (r.negative_imports)
		o->negative = 1;
	if (c->fast && !e && c->nr < PL_RATES) {
		/* the first line of a rate: the rate's checks passed, cache what it fixes */
		const struct tariff_market *mk = &s.m[TARIFF_CN];
		double L = mk->t1 == mk->t0 ? 0 : log1p(mk->t1) - log1p(mk->t0);
		double y = (c->w->p.pass_through - 1) * L, lr = y + L;
		e = &c->r[c->nr++];
		memset(e, 0, sizeof(*e));
		e->list = list;
		e->t0 = mk->t0;
		e->t1 = mk->t1;
		e->lr = lr;
		e->w1 = expm1(y);
		e->ex1 = expm1(c->c * lr);
		/* log-sum-exp branch of arm_lnpi: rounding depends on the line */
		e->ok = fabs(c->c) < 1e-12 || fabs(c->c * lr) < 30;
	}
	pl_add(o, &r.total, row->chapter, m0, list);
	return 0;
}

/* The statutory rates in force on all goods (no product lists, no MFN average), percent. */
static double flat_rate(const struct eff_stack *st)
{
	double f = 0;

	for (size_t i = 0; i < st->n; i++)
		if (st->l[i].scope != TSCOPE_PRODUCT_LIST && strcmp(st->l[i].layer, "mfn"))
			f += st->l[i].statutory;
	return f;
}

int whatif_products(const struct whatif *w, int k, const char *imports_file,
		    const struct hs10_filter *hf, const char *product_rates,
		    const struct tariff_inputs *in, struct whatif_products *o, struct tc_err *err)
{
	struct prod_ctx *c;
	int rc;

	memset(o, 0, sizeof(*o));
	if (w->have_stack[k]) {
		o->t0flat = flat_rate(&w->before[k]);
		o->t1flat = flat_rate(&w->after[k]);
	} else {
		o->t0flat = w->t0pct[k];
		o->t1flat = w->t1pct[k];
	}
	if (product_rates) {
		if (product_rates_load(&o->pr, product_rates, w->as_of ? w->as_of : in->tl.last,
				       in->have_tl ? &in->tl : NULL, err))
			return -1;
		o->have_pr = 1;
	}
	c = xmalloc(sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->w = w;
	c->o = o;
	c->pr = o->have_pr ? &o->pr : NULL;
	c->fast = (w->model == TARIFF_CES || w->model == TARIFF_GSIM) && !isfinite(w->p.ex);
	c->c = 1 - w->p.sigma;
	c->one_m_eps = 1 - w->p.eps;
	rc = hs10_stream_filtered(imports_file, hf, product_row, c, &o->hs, err);
	free(c);
	if (rc)
		return -1;
	o->T.dm = o->T.m1 - o->T.m0;
	o->T.drev = o->T.rev1 - o->T.rev0;
	o->T.creation = o->T.dm;
	tariff_totals_welfare(&o->T, w->p.households);
	return 0;
}

void whatif_products_release(struct whatif_products *p)
{
	if (p->have_pr)
		product_rates_release(&p->pr);
	p->have_pr = 0;
}

/*
** model_joinpoint.c: Joinpoint-compatible segmented log-linear regression
** (model_joinpoint.h): options and size limits, the analysis (jp_analyze: fit
** every k, select one) and the AAPC.  Pure: no I/O, no globals; the RNG is
** passed in.  docs/joinpoint.md has the formulas; model_joinpoint_impl.h
** lists the pieces (grid search, Hudson, final fit, permutation test).
*/
#include "model_joinpoint_impl.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- options and limits ---------- */

/*
** Scales: the log-linear model fits ln y and reports 100 (e^slope - 1)
** (a percent change); the linear model fits y and reports the slope itself
** (a change in y units per unit of x).
*/


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

/* ---------- analysis ---------- */

void jp_result_release(struct jp_result *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->nmodels; i++)
		jpi_model_release(&r->models[i]);
	free(r->models);
	free(r->tests);
	memset(r, 0, sizeof(*r));
}

void jp_model_release(struct jp_model *m)
{
	if (m)
		jpi_model_release(m);
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

double jp_dp_search_cost(size_t n, int k, double searches)
{
	return searches * (double)n * (double)n * (k + 2.0) * (k + 2.0);
}

/* The size limits of jp_options (model_joinpoint.h): refuse before any work. */
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

/* Phase 1: the options, the size limits and the data; kmin and kmax. */
static int check_input(const double *x, const double *y, size_t n, const struct jp_options *opt,
		       int *kminp, int *kmaxp, struct tc_err *err)
{
	const double *w = opt->weights;
	int kmin, kmax, E = opt->min_obs_end, B = opt->min_obs_between;

	if (check_options(opt, err) || check_size(n, opt, err))
		return -1;
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
	*kminp = kmin;
	*kmaxp = kmax;
	return 0;
}

/*
** Phase 2: the internal scale (t, centred z = ln y - mean, sqrt(w)) and the
** search state.  lny, t, zc (and sw when weighted) share one block at lny.
*/
static void prepare(const double *x, const double *y, size_t n, const struct jp_options *opt, int kmax,
		    struct perm_ctx *pc, double **lnyp)
{
	const double *w = opt->weights;
	double *lny = xmalloc(4 * n * sizeof(double)), *t = lny + n, *zc = t + n, *sw = NULL;
	double mean = 0, zz = 0;
	size_t kk = (size_t)(kmax > 0 ? kmax : 1);

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
	jpi_to_t(x, n, t);
	pc->w = w;
	pc->sw = sw;
	pc->t = t;
	pc->z = zc;
	pc->n = n;
	pc->E = opt->min_obs_end;
	pc->B = opt->min_obs_between;
	pc->kmax = kmax;
	pc->hudson = opt->method == JP_HUDSON;
	pc->reference = opt->reference;
	pc->floor = 1e-12 * zz + 1e-300;
	pc->obs_sse = xcalloc((size_t)kmax + 1, sizeof(double));
	pc->obs_knots = xcalloc((size_t)(kmax + 1) * kk, sizeof(long));
	pc->obs_tau = xcalloc((size_t)(kmax + 1) * kk, sizeof(double));
	pc->obs_tidx = xcalloc((size_t)(kmax + 1) * kk, sizeof(long));
	if (!opt->reference)
		jpi_dp_init(&pc->dp, t, w, sw, n, kmax, pc->E, pc->B);
	*lnyp = lny;
}

/* Phase 3: the best joinpoints of the observed data for every k (grid, jump, Hudson). */
static int observed_fits(struct perm_ctx *pc, const struct jp_options *opt, struct tc_err *err)
{
	int kmax = pc->kmax;
	size_t n = pc->n;

	if (opt->reference)
		jpi_enum_best(pc->t, pc->z, pc->sw, n, kmax, pc->E, pc->B, pc->obs_sse, pc->obs_knots);
	else
		jpi_dp_best(&pc->dp, pc->z, kmax, pc->obs_sse, pc->obs_knots);
	if (opt->jump_index >= 0)
		jpi_jump_search(&pc->dp, pc->z, n, opt->jump_index, kmax, pc->obs_sse, pc->obs_knots);
	for (int k = 0; k <= kmax; k++) {
		long *kn = pc->obs_knots + (size_t)k * (kmax > 0 ? kmax : 1);
		if (!isfinite(pc->obs_sse[k]))
			return tc_fail(err, "no allowed placement of %d joinpoints in %zu points", k, n);
		for (int j = 0; j < k; j++) {
			pc->obs_tau[(size_t)k * kmax + j] = pc->t[kn[j]];
			pc->obs_tidx[(size_t)k * kmax + j] = kn[j];
		}
		if (pc->hudson && k > 0)
			jpi_hudson_search(pc->t, pc->z, pc->sw, n, k, kn, pc->E, pc->B, &pc->obs_sse[k],
					  pc->obs_tau + (size_t)k * kmax, pc->obs_tidx + (size_t)k * kmax);
	}
	return 0;
}

/* Phase 4: the reported fit of every candidate model, on x. */
static int fit_models(const double *x, const double *lny, size_t n, const struct jp_options *opt,
		      const struct perm_ctx *pc, int kmin, struct jp_result *res, struct tc_err *err)
{
	int kmax = pc->kmax;

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
			tidx[j] = pc->obs_tidx[(size_t)k * kmax + j];
			tau[j] = tidx[j] >= 0 ? x[tidx[j]] : x[0] + h * pc->obs_tau[(size_t)k * kmax + j];
		}
		if (jpi_model_fit(x, lny, pc->sw, opt->linear, n, k, tau, tidx, opt->jump_index, opt->level,
				  pc->floor, &res->models[k - kmin], err)) {
			res->nmodels = k - kmin;
			return -1;
		}
	}
	return 0;
}

/* Phase 5: the number of joinpoints, by the permutation tests or a criterion. */
static int select_model(struct perm_ctx *pc, const struct jp_options *opt, gsl_rng *rng,
			struct jp_result *res, struct tc_err *err)
{
	int kmin = res->min_jp, kmax = res->max_jp;

	if (opt->select == JP_SELECT_PERMUTATION) {
		int ka = kmin, kb = kmax;
		if (kmax > kmin && !rng)
			return tc_failc(err, TC_EXIT_USAGE, "the permutation test needs a random number generator");
		res->tests = xcalloc((size_t)(kmax - kmin) + 1, sizeof(*res->tests));
		pc->total = (long)(kmax - kmin) * opt->permutations;
		pc->progress = opt->progress;
		pc->progress_ud = opt->progress_ud;
		while (ka < kb) {
			struct jp_test *tst = &res->tests[res->ntests++];
			jpi_perm_test(pc, ka, kb, opt->permutations, opt->alpha / (double)(kmax - ka), rng, tst);
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
	return 0;
}

/*
** Phase 6: every number reported is finite or a documented missing value
** (an exact fit has no CI): a selected segment whose APC or CI bound
** overflows (a jump of hundreds of orders of magnitude) is an error, as
** for the single trend, never inf.
*/
static int check_finite(const struct jp_result *res, struct tc_err *err)
{
	const struct jp_model *m = jp_selected_model(res);

	for (int s = 0; s <= m->k; s++)
		if (isinf(m->seg[s].apc) || isinf(m->seg[s].apc_lower) || isinf(m->seg[s].apc_upper))
			return tc_fail(err, "the trend is too steep to report: segment %d of the selected "
				       "model (%d joinpoints) has an annual percent change or confidence "
				       "bound that overflows", s + 1, m->k);
	return 0;
}

int jp_analyze(const double *x, const double *y, size_t n, const struct jp_options *opt,
	       gsl_rng *rng, struct jp_result *res, struct tc_err *err)
{
	struct perm_ctx pc;
	double *lny = NULL;
	int kmin = 0, kmax = 0, rc;

	memset(res, 0, sizeof(*res));
	memset(&pc, 0, sizeof(pc));
	if (check_input(x, y, n, opt, &kmin, &kmax, err))
		return -1;
	prepare(x, y, n, opt, kmax, &pc, &lny);
	rc = observed_fits(&pc, opt, err) || fit_models(x, lny, n, opt, &pc, kmin, res, err)
	     || select_model(&pc, opt, rng, res, err) || check_finite(res, err) ? -1 : 0;
	if (!opt->reference)
		jpi_dp_release(&pc.dp);
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

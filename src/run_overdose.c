/*
** run_overdose.c: the overdose analysis in one call (run_overdose.h):
** selection -> series (data_overdose.c) -> analysed points and weights ->
** joinpoint fit (model_joinpoint.c, limits in its options) -> AR(1),
** AAPC ranges, empirical CIs, comparison, events.  No output: the
** commands format the result.
*/
#include "tocalc/run_overdose.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void run_od_series_opts_init(struct run_od_series_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->source = -1;
	o->basis = -1;
	o->what = "";
	od_select_init(&o->sel);
}

void run_od_opts_init(struct run_od_opts *o)
{
	memset(o, 0, sizeof(*o));
	run_od_series_opts_init(&o->ser);
	jp_options_init(&o->jp);
	o->level = 0.95;
	o->seed = 1;
}

static int looks_monthly(const char *p)
{
	long m;
	return p && tc_parse_month(p, &m) == 0;
}

static int load_series(const struct run_od_series_opts *o, struct od_series *s, struct tc_err *err)
{
	if (o->file) {
		if (!o->xcol || !o->ycol)
			return tc_failc(err, TC_EXIT_USAGE, "--file needs --x COLUMN and --y COLUMN");
		if (o->series || o->measure_set || o->source >= 0 || o->basis >= 0 || o->sel.vintage ||
		    o->sel.state || o->sel.indicator)
			return tc_failc(err, TC_EXIT_USAGE, "--file cannot be combined with --series, --measure, "
					"--source, --basis, --vintage, --state or --indicator");
		return od_load_file(s, o->file, o->xcol, o->ycol, o->allow_uneven, err);
	}
	if (o->xcol || o->ycol || o->allow_uneven)
		return tc_failc(err, TC_EXIT_USAGE, "--x, --y and --allow-uneven go with --file");
	if (o->sel.vintage || o->sel.state || o->sel.indicator) {
		struct od_select sel = o->sel;
		if (o->series && o->sel.indicator && strcmp(o->series, o->sel.indicator))
			return tc_failc(err, TC_EXIT_USAGE, "--series %s and --indicator %s disagree",
					o->series, o->sel.indicator);
		if (!sel.indicator)
			sel.indicator = o->series;
		if (o->source == OD_FINAL || o->measure == OD_RATE)
			return tc_failc(err, TC_EXIT_USAGE, "--vintage, --state and --indicator select VSRR "
					"counts; they do not go with --source final or --measure rate");
		return od_load_vsrr_sel(s, o->data_dir, &sel, err);
	}
	{
		const char *name = o->series ? o->series : "all_drugs";
		int src = o->source;
		if (!od_series_known(name)) {
			static const char *const known[] = { "all_drugs", "synthetic_opioids" };
			char hint[160];
			tc_suggest(name, known, 2, NULL, hint, sizeof(hint));
			return tc_failc(err, TC_EXIT_USAGE, "unknown series '%s'%s (known: all_drugs, synthetic_opioids)",
					name, hint);
		}
		if (src < 0)
			src = looks_monthly(o->from) || looks_monthly(o->to) ? OD_VSRR : OD_FINAL;
		if (src == OD_VSRR && o->measure == OD_RATE)
			return tc_failc(err, TC_EXIT_USAGE, "VSRR data are counts; --measure rate needs --source final");
		if (src == OD_FINAL && o->basis >= 0)
			return tc_failc(err, TC_EXIT_USAGE, "--basis applies to VSRR data (--source vsrr)");
		if (src == OD_VSRR)
			return od_load_vsrr(s, o->data_dir, name, err);
		return od_load_final(s, o->data_dir, name, o->measure, err);
	}
}

/* Range [i0, i1] from --from/--to (required or defaulting to the whole series). */
static int get_range(const struct run_od_series_opts *o, const struct od_series *s, size_t *i0, size_t *i1,
		     struct tc_err *err)
{
	*i0 = 0;
	*i1 = s->n - 1;
	if (o->range_required && (!o->from || !o->to))
		return tc_failc(err, TC_EXIT_USAGE, "overdose %s needs --from and --to", o->what);
	if (o->from && od_find_period(s, o->from, i0, err))
		return -1;
	if (o->to && od_find_period(s, o->to, i1, err))
		return -1;
	if (*i0 > *i1 || (o->range_required && o->range_distinct && *i0 == *i1))
		return tc_failc(err, TC_EXIT_USAGE, "--from (%s) must come before --to (%s)",
				o->from ? o->from : "start", o->to ? o->to : "end");
	return 0;
}

int run_overdose_series(const struct run_od_series_opts *o, struct run_od_series *r, struct tc_err *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	od_series_init(&r->s);
	rc = load_series(o, &r->s, err);
	if (rc)
		return rc < 0 ? -1 : rc;	/* OD_NO_ROWS passes through */
	if (get_range(o, &r->s, &r->i0, &r->i1, err)) {
		od_series_release(&r->s);
		return -1;
	}
	return 0;
}

void run_od_series_release(struct run_od_series *r)
{
	od_series_release(&r->s);
	memset(r, 0, sizeof(*r));
}

const char *run_od_basis_name(const struct run_od_series_opts *o, const struct od_series *s)
{
	if (s->source != OD_VSRR)
		return s->source == OD_FINAL ? "final" : "value";
	return o->basis == 1 ? "predicted" : "reported";
}

/* The analysed x/y of [i0, i1] with the chosen basis, checked for a log model. */
static int analysis_data(const struct run_od_series_opts *o, const struct od_series *s, size_t i0, size_t i1,
			 double **x, double **y, size_t *n, struct tc_err *err)
{
	int second = s->source == OD_VSRR && o->basis == 1;
	const double *src = second ? s->y2 : s->y;

	if (od_check_range(s, i0, i1, second, 1, err))
		return -1;
	*n = i1 - i0 + 1;
	*x = xmalloc(*n * sizeof(double));
	*y = xmalloc(*n * sizeof(double));
	memcpy(*x, s->x + i0, *n * sizeof(double));
	memcpy(*y, src + i0, *n * sizeof(double));
	return 0;
}

/*
** Weights of ln y (1 / Var(ln y) up to a factor, docs/joinpoint.md):
**   poisson  counts: Var(y) = y, so Var(ln y) ~ 1 / y, w = y;
**   deaths   an NCHS rate from D deaths: SE = rate / sqrt(D), w = D;
**   se       a file's standard-error column: Var(ln y) ~ (SE / y)^2.
*/
static int analysis_weights(const struct run_od_opts *o, struct run_od_result *r, struct tc_err *err)
{
	const struct od_series *s = &r->s;
	size_t n = r->n, i0 = r->i0;

	if (o->weights == RUN_OD_W_NONE)
		return 0;
	r->w = xmalloc(n * sizeof(double));
	if (o->weights == RUN_OD_W_POISSON || (o->weights == RUN_OD_W_DEATHS && s->measure == OD_DEATHS
					       && s->source != OD_FILE)) {
		if (s->source == OD_FINAL && s->measure == OD_RATE)
			return tc_failc(err, TC_EXIT_USAGE, "--weights poisson is for counts; for a rate use "
					"--weights deaths (SE = rate / sqrt(deaths))");
		for (size_t i = 0; i < n; i++)
			r->w[i] = r->y[i];
		return 0;
	}
	if (o->weights == RUN_OD_W_DEATHS) {
		struct od_series dd;
		int rc = 0;
		if (s->source != OD_FINAL)
			return tc_failc(err, TC_EXIT_USAGE, "--weights deaths needs the annual series "
					"(--source final); for a file give --se COLUMN");
		if (od_load_final(&dd, o->ser.data_dir, s->name, OD_DEATHS, err))
			return -1;
		for (size_t i = 0; i < n && !rc; i++) {
			size_t j = i0 + i;
			if (j >= dd.n || dd.x[j] != r->x[i])
				rc = tc_fail(err, "--weights deaths: the deaths column does not line up with the rates");
			else if (!(isfinite(dd.y[j]) && dd.y[j] > 0))
				rc = tc_fail(err, "--weights deaths: no death count for %.0f (needed for the "
					     "rate's standard error)", r->x[i]);
			else
				r->w[i] = dd.y[j];
		}
		od_series_release(&dd);
		return rc;
	}
	{
		struct od_series se;
		int rc = 0;
		if (s->source != OD_FILE)
			return tc_failc(err, TC_EXIT_USAGE, "--se COLUMN goes with --file");
		if (od_load_file(&se, o->ser.file, o->ser.xcol, o->se_col, o->ser.allow_uneven, err))
			return -1;
		for (size_t i = 0; i < n && !rc; i++) {
			size_t j = i0 + i;
			char a[32];
			if (j >= se.n || se.x[j] != r->x[i])
				rc = tc_fail(err, "%s: column '%s': does not line up with column '%s'", o->ser.file,
					     o->se_col, o->ser.ycol);
			else if (!(isfinite(se.y[j]) && se.y[j] > 0))
				rc = tc_fail(err, "%s: column '%s': the standard error at %s is %s; standard "
					     "errors must be numbers > 0", o->ser.file, o->se_col,
					     od_label(s, j, a), isfinite(se.y[j]) ? "not > 0" : "missing");
			else
				r->w[i] = (r->y[i] / se.y[j]) * (r->y[i] / se.y[j]);
		}
		od_series_release(&se);
		return rc;
	}
}

/*
** Comparability-ratio model for a known coding change: the values before
** the first period of the new coding are multiplied by the ratio (new
** coding / old coding for the same deaths), so the whole series is on the
** new coding.  Weights stay those of the data.  Without a ratio the jump
** model estimates the step (jo->jump_index).
*/
static int analysis_jump(const struct run_od_opts *o, struct run_od_result *r, struct jp_options *jo,
			 struct tc_err *err)
{
	size_t ij;

	if (!o->jump && !(o->jump_ratio > 0))
		return 0;
	if (!o->jump)
		return tc_failc(err, TC_EXIT_USAGE, "--jump-ratio CR needs --jump PERIOD");
	if (od_find_period(&r->s, o->jump, &ij, err))
		return -1;
	if (ij <= r->i0 || ij > r->i1) {
		char a[32], b[32];
		return tc_failc(err, TC_EXIT_USAGE, "--jump %s is outside the analysed range: it must be a "
				"period after %s and no later than %s", o->jump, od_label(&r->s, r->i0, a),
				od_label(&r->s, r->i1, b));
	}
	if (o->jump_ratio > 0) {
		for (size_t i = 0; i + r->i0 < ij; i++)
			r->y[i] *= o->jump_ratio;
	} else {
		jo->jump_index = (long)(ij - r->i0);	/* the jump model: the step is estimated */
	}
	return 0;
}

/* AAPC ranges from --aapc (default the whole range) and the AAPC of the reported model. */
static int analysis_aapc(const struct run_od_opts *o, struct run_od_result *r, struct tc_err *err)
{
	const struct od_series *s = &r->s;
	char a[32], b[32];

	r->naapc = o->naapc ? o->naapc : 1;
	r->aapc = xcalloc((size_t)r->naapc, sizeof(*r->aapc));
	for (int q = 0; q < r->naapc; q++) {
		size_t f0 = r->i0, f1 = r->i1;
		if (o->naapc) {
			const char *spec = o->aapc[q], *colon = strchr(spec, ':');
			char *lo;
			if (!colon)
				return tc_failc(err, TC_EXIT_USAGE, "--aapc: expected FROM:TO, got '%s'", spec);
			lo = xstrndup(spec, (size_t)(colon - spec));
			if (od_find_period(s, lo, &f0, err) || od_find_period(s, colon + 1, &f1, err)) {
				free(lo);
				return -1;
			}
			free(lo);
			if (f0 < r->i0 || f1 > r->i1 || f0 >= f1)
				return tc_failc(err, TC_EXIT_USAGE, "--aapc %s: the range must lie inside %s..%s, "
						"first before last", spec, od_label(s, r->i0, a), od_label(s, r->i1, b));
		}
		r->aapc[q].f0 = f0;
		r->aapc[q].f1 = f1;
		if (jp_aapc(r->model, r->jp.level, s->x[f0], s->x[f1], &r->aapc[q].ap, err))
			return -1;
	}
	return 0;
}

/* Empirical-quantile CIs of the selected model over the same AAPC ranges. */
static int analysis_empirical(const struct run_od_opts *o, struct run_od_result *r, struct tc_err *err)
{
	double from[32], to[32];
	gsl_rng *rng;
	int rc;

	r->resamples = o->resamples > 0 ? o->resamples : 4999;
	for (int q = 0; q < r->naapc; q++) {
		from[q] = r->s.x[r->aapc[q].f0];
		to[q] = r->s.x[r->aapc[q].f1];
	}
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, o->seed);
	rc = jp_empirical_ci(r->x, r->y, r->w, r->n, r->selected, o->jp.min_obs_end, o->jp.min_obs_between,
			     r->resamples, r->jp.level, from, to, r->naapc, rng, &r->emp, err);
	gsl_rng_free(rng);
	if (rc)
		return -1;
	r->has_empirical = 1;
	r->emp_aapc = xcalloc((size_t)r->naapc, sizeof(*r->emp_aapc));
	for (int q = 0; q < r->naapc; q++)
		if (jp_aapc(r->selected, r->jp.level, from[q], to[q], &r->emp_aapc[q], err))
			return -1;
	return 0;
}

/*
** --compare: the second series over the same range, its own joinpoint
** selection with the same options, then the tests of coincidence and
** parallelism (jp_compare).
*/
static int analysis_compare(const struct run_od_opts *o, struct run_od_result *r, struct tc_err *err)
{
	struct run_od_series_opts o2 = o->ser;
	struct run_od_series s2;
	struct jp_result r2;
	double *x2 = NULL, *y2 = NULL;
	size_t n2;
	gsl_rng *rng;
	struct jp_options jo = o->jp;
	int rc;

	if (r->w || o->ar1 || o->jp.linear || o->jump)
		return tc_failc(err, TC_EXIT_USAGE, "--compare: the comparison tests are log-linear, unweighted, "
				"with independent errors and no jump; drop --weights/--se/--ar1/--model "
				"linear/--jump");
	if (o->ser.file)
		o2.ycol = o->compare;
	else
		o2.series = o->compare;
	if (run_overdose_series(&o2, &s2, err))
		return -1;
	if (analysis_data(&o2, &s2.s, s2.i0, s2.i1, &x2, &y2, &n2, err)) {
		run_od_series_release(&s2);
		return -1;
	}
	if (n2 != r->n || memcmp(x2, r->x, n2 * sizeof(double))) {
		free(x2);
		free(y2);
		run_od_series_release(&s2);
		return tc_fail(err, "--compare: '%s' does not have the same x values as '%s' over the range",
			       o->compare, r->s.name);
	}
	jo.weights = NULL;
	jo.progress = NULL;
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, o->seed);
	rc = jp_analyze(x2, y2, n2, &jo, rng, &r2, err);
	if (rc == 0) {
		gsl_rng_set(rng, o->seed);
		rc = jp_compare(r->x, r->y, y2, n2, r->jp.selected, r2.selected, &jo, rng, &r->cmp, err);
		jp_result_release(&r2);
	}
	gsl_rng_free(rng);
	free(x2);
	free(y2);
	run_od_series_release(&s2);
	if (rc)
		return -1;
	r->has_compare = 1;
	return 0;
}

static int analysis_stability(const struct run_od_opts *o, struct run_od_result *r, struct tc_err *err)
{
	static const enum jp_select ics[] = { JP_SELECT_BIC, JP_SELECT_BIC3, JP_SELECT_WBIC, JP_SELECT_MBIC };
	static const char *const icn[] = { "bic", "bic3", "wbic", "mbic" };
	struct run_od_stability *st = &r->stab;
	int nseeds = o->stability_seeds ? o->stability_seeds : 3;
	int counts[JP_MAX_JOINPOINTS + 1] = { 0 }, first = -1;

	memset(st, 0, sizeof(*st));
	st->runs = xcalloc((size_t)nseeds + 8, sizeof(*st->runs));
	r->has_stability = 1;
	for (int method = 0; method < 2; method++) {
		for (int sel = -nseeds; sel < 4; sel++) {
			struct run_od_stab_run *run = &st->runs[st->nr];
			struct jp_options jo = o->jp;
			struct jp_result res;
			const struct jp_model *m;
			gsl_rng *rng = NULL;
			int rc;
			if (sel < 0 && method == 1)
				continue;	/* Hudson's permutation test refits without the exact shortcut: too slow here */
			jo.method = method ? JP_HUDSON : JP_GRID;
			jo.weights = r->w;
			jo.progress = NULL;
			jo.reference = 0;
			if (sel < 0) {
				jo.select = JP_SELECT_PERMUTATION;
				rng = gsl_rng_alloc(gsl_rng_mt19937);
				gsl_rng_set(rng, o->seed + (unsigned long)(sel + nseeds));
				snprintf(run->label, sizeof(run->label), "permutation seed %lu",
					 o->seed + (unsigned long)(sel + nseeds));
			} else {
				jo.select = ics[sel];
				snprintf(run->label, sizeof(run->label), "%s", icn[sel]);
			}
			rc = jp_analyze(r->x, r->y, r->n, &jo, rng, &res, err);
			if (rng)
				gsl_rng_free(rng);
			if (rc)
				return -1;
			m = jp_selected_model(&res);
			run->k = m->k;
			for (int j = 0; j < m->k; j++) {
				run->tau[j] = m->tau[j];
				run->tidx[j] = m->tau_index[j];
			}
			strncat(run->label, method ? ", hudson" : ", grid", sizeof(run->label) - strlen(run->label) - 1);
			counts[m->k]++;
			st->nr++;
			jp_result_release(&res);
		}
	}
	st->modal = -1;
	for (int k = 0; k <= JP_MAX_JOINPOINTS; k++)
		if (st->modal < 0 || counts[k] > counts[st->modal])
			st->modal = k;
	st->agree_k = counts[st->modal];
	for (int j = 0; j < st->modal; j++) {
		st->lo[j] = INFINITY;
		st->hi[j] = -INFINITY;
	}
	for (int i = 0; i < st->nr; i++) {
		const struct run_od_stab_run *run = &st->runs[i];
		int same = 1;
		if (run->k != st->modal)
			continue;
		if (first < 0)
			first = i;
		for (int j = 0; j < st->modal; j++) {
			if (run->tau[j] < st->lo[j])
				st->lo[j] = run->tau[j];
			if (run->tau[j] > st->hi[j])
				st->hi[j] = run->tau[j];
			if (fabs(run->tau[j] - st->runs[first].tau[j]) > 1e-9)
				same = 0;
		}
		st->agree_all += same;
	}
	return 0;
}

static int segment_at(const struct jp_model *m, double x, int after)
{
	for (int sg = 0; sg <= m->k; sg++) {
		double lo = m->seg[sg].lower, hi = m->seg[sg].upper;
		if (after ? (x >= lo && x < hi) : (x > lo && x <= hi))
			return sg;
	}
	return -1;
}

/* Each policy date inside the analysed range beside the selected model. */
static void analysis_events(struct run_od_result *r)
{
	const struct jp_model *m = r->selected;
	double xlo = r->s.x[r->i0], xhi = r->s.x[r->i1];

	r->ev = xcalloc(r->events.nrows ? r->events.nrows : 1, sizeof(*r->ev));
	for (size_t row = 0; row < r->events.nrows; row++) {
		long date = (long)tcsv_num(&r->events, EV_DATE, row);
		double xe = od_date_x(date), best = INFINITY;
		struct run_od_event *e;
		int bj = -1;
		if (xe < xlo || xe > xhi) {
			r->events_outside++;
			continue;
		}
		for (int j = 0; j < m->k; j++)
			if (fabs(m->tau[j] - xe) < fabs(best)) {
				best = m->tau[j] - xe;
				bj = j;
			}
		e = &r->ev[r->nev++];
		e->row = row;
		e->x = xe;
		e->seg_before = segment_at(m, xe, 0);
		e->seg_after = segment_at(m, xe, 1);
		e->nearest = bj;
		e->to_nearest = best;
	}
}

/* Percent change between the two ends of the range, for each basis present. */
static int analysis_change(struct run_od_result *r, struct tc_err *err)
{
	const struct od_series *s = &r->s;

	r->nbasis = s->source == OD_VSRR ? 2 : 1;
	if (r->nbasis == 2) {	/* older CDC layouts (before 2018) had no Predicted Value */
		int any = 0;
		for (size_t i = 0; i < s->n; i++)
			any |= !isnan(s->y2[i]);
		r->nbasis = any ? 2 : 1;
	}
	for (int b = 0; b < r->nbasis; b++)
		if (od_check_range(s, r->i0, r->i0, b, 0, err) || od_check_range(s, r->i1, r->i1, b, 0, err))
			return -1;
	for (int b = 0; b < r->nbasis; b++) {
		const double *y = b ? s->y2 : s->y;
		if (trend_pct_change(y[r->i0], y[r->i1], &r->pct[b], err))
			return -1;
	}
	return 0;
}

/* Totals over non-overlapping periods: years, or 12 month-ending windows 12 apart. */
static int analysis_sum(struct run_od_result *r, struct tc_err *err)
{
	const struct od_series *s = &r->s;

	r->step = 1;
	if (s->axis == OD_MONTHS) {
		long dm = tc_month_index(s->period[r->i1]) - tc_month_index(s->period[r->i0]);
		if (dm % 12 != 0)
			return tc_failc(err, TC_EXIT_USAGE, "overdose sum: --from and --to must be a whole number "
					"of years apart (%ld months given) so that the 12-month windows do not "
					"overlap", dm);
		r->step = s->source == OD_VSRR ? 12 : 1;
	}
	r->nbasis = s->source == OD_VSRR ? 2 : 1;
	for (int q = 0; q < r->nbasis; q++)
		for (size_t i = r->i0; i <= r->i1; i += r->step)
			if (od_check_range(s, i, i, q, 0, err))
				return -1;
	for (size_t i = r->i0; i <= r->i1; i += r->step) {
		r->total[0] += s->y[i];
		if (s->source == OD_VSRR)
			r->total[1] += s->y2[i];
		r->nperiods++;
	}
	return 0;
}

/* The joinpoint fit of the analysed points (limits: jp_options, checked by the model). */
static int analysis_joinpoint(const struct run_od_opts *o, struct run_od_result *r, struct tc_err *err)
{
	struct jp_options jo = o->jp;
	gsl_rng *rng;
	int rc;

	if (analysis_weights(o, r, err))
		return -1;
	jo.weights = r->w;
	if (analysis_jump(o, r, &jo, err))
		return -1;
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, o->seed);
	rc = jp_analyze(r->x, r->y, r->n, &jo, rng, &r->jp, err);
	gsl_rng_free(rng);
	if (rc)
		return -1;
	r->selected = r->model = jp_selected_model(&r->jp);
	if (o->ar1) {
		if (jp_ar1_refit(r->x, r->y, r->w, r->n, r->selected, o->ar1 == 2 ? NAN : o->ar1_rho,
				 r->jp.level, &r->ar1, &r->rho, err))
			return -1;
		r->model = &r->ar1;
	}
	return 0;
}

int run_overdose(const struct run_od_opts *o, struct run_od_result *r, struct tc_err *err)
{
	struct run_od_series rs;

	memset(r, 0, sizeof(*r));
	r->rho = NAN;
	if (o->kind == RUN_OD_SUM && o->ser.measure == OD_RATE)
		return tc_failc(err, TC_EXIT_USAGE, "overdose sum: rates cannot be summed; use --measure deaths");
	if (o->kind == RUN_OD_EVENTS) {
		if (dataset_load(&r->events, o->ser.data_dir, "events", err))
			return -1;
		r->has_events = 1;
	}
	if ((o->kind == RUN_OD_JOINPOINT || o->kind == RUN_OD_EVENTS) && o->se_col && !o->ser.file) {
		tc_failc(err, TC_EXIT_USAGE, "--se COLUMN goes with --file");
		goto fail;
	}
	if (run_overdose_series(&o->ser, &rs, err))
		goto fail;
	r->s = rs.s;
	r->i0 = rs.i0;
	r->i1 = rs.i1;
	r->basis = run_od_basis_name(&o->ser, &r->s);
	switch (o->kind) {
	case RUN_OD_CHANGE:
		if (analysis_change(r, err))
			goto fail;
		return 0;
	case RUN_OD_SUM:
		if (analysis_sum(r, err))
			goto fail;
		return 0;
	default:
		break;
	}
	if (analysis_data(&o->ser, &r->s, r->i0, r->i1, &r->x, &r->y, &r->n, err))
		goto fail;
	if (o->kind == RUN_OD_TREND) {
		if (trend_loglinear(r->x, r->y, r->n, o->level, &r->trend, err))
			goto fail;
		return 0;
	}
	if (analysis_joinpoint(o, r, err))
		goto fail;
	if (o->kind == RUN_OD_EVENTS) {
		analysis_events(r);
		return 0;
	}
	if (analysis_aapc(o, r, err) || (o->empirical && analysis_empirical(o, r, err))
	    || (o->compare && analysis_compare(o, r, err)) || (o->stability && analysis_stability(o, r, err)))
		goto fail;
	return 0;
fail:
	run_od_result_release(r);
	return -1;
}

void run_od_result_release(struct run_od_result *r)
{
	od_series_release(&r->s);
	free(r->x);
	free(r->y);
	free(r->w);
	jp_result_release(&r->jp);
	jp_model_release(&r->ar1);
	free(r->aapc);
	if (r->has_empirical)
		jp_empirical_release(&r->emp);
	free(r->emp_aapc);
	if (r->has_events)
		tcsv_table_release(&r->events);
	free(r->ev);
	free(r->stab.runs);
	memset(r, 0, sizeof(*r));
}

/* ---------- by group ---------- */

struct group_rows {
	size_t *rows, n, cap;
};

static int find_group(const struct run_od_group *g, size_t ng, const char *name)
{
	for (size_t i = 0; i < ng; i++)
		if (!strcmp(g[i].name, name))
			return (int)i;
	return -1;
}

static int parse_bound(const char *flag, const char *s, double *v, struct tc_err *err)
{
	char *end;
	if (!s)
		return 0;
	*v = strtod(s, &end);
	if (end == s || *end || !isfinite(*v))
		return tc_failc(err, TC_EXIT_USAGE, "%s: with --group, x is a number; got '%s'", flag, s);
	return 0;
}

/* Fit group gi on its rows; the error names the group. */
static int fit_group(const struct run_od_group_opts *a, const struct tcsv_table *t, int ncols,
		     struct run_od_group *g, const size_t *rows, struct tc_err *err)
{
	size_t n = g->n;
	double *x = xmalloc(3 * n * sizeof(double)), *y = x + n, *w = NULL;
	struct jp_options o = *a->jp;
	gsl_rng *rng;
	int bad;

	for (size_t q = 0; q < n; q++) {
		x[q] = tcsv_num(t, 1, rows[q]);
		y[q] = tcsv_num(t, 2, rows[q]);
	}
	if (a->weights != RUN_OD_W_NONE) {
		w = y + n;
		for (size_t q = 0; q < n; q++) {
			double se = ncols == 4 ? tcsv_num(t, 3, rows[q]) : 0;
			w[q] = a->weights == RUN_OD_W_POISSON ? y[q] : (y[q] / se) * (y[q] / se);
		}
	}
	o.weights = w;
	o.progress = NULL;
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, a->seed);
	bad = jp_analyze(x, y, n, &o, rng, &g->jp, err);
	gsl_rng_free(rng);
	if (bad) {
		char old[TC_ERR_MSG_MAX];
		memcpy(old, err->msg, sizeof(old));
		snprintf(err->msg, sizeof(err->msg), "group '%.100s': %.900s", g->name, old);
		free(x);
		return -1;
	}
	bad = jp_aapc(jp_selected_model(&g->jp), g->jp.level, x[0], x[n - 1], &g->aapc, err);
	free(x);
	return bad ? -1 : 0;
}

int run_overdose_groups(const struct run_od_group_opts *a, struct run_od_groups *r, struct tc_err *err)
{
	struct tcsv_col_spec *cols = r->cols;
	struct tcsv_schema *schema = &r->schema;
	struct tcsv_table *t = &r->t;
	struct group_rows *gr = NULL;
	size_t gcap = 0;
	double lo = -INFINITY, hi = INFINITY;
	int ncols = 3;

	memset(r, 0, sizeof(*r));
	if (!a->xcol || !a->ycol)
		return tc_failc(err, TC_EXIT_USAGE, "--group needs --file F --x COLUMN --y COLUMN");
	if (parse_bound("--from", a->from, &lo, err) || parse_bound("--to", a->to, &hi, err))
		return -1;
	memset(r->cols, 0, sizeof(r->cols));
	cols[0].name = a->group_col;
	cols[0].type = TCSV_TEXT;
	cols[1].name = a->xcol;
	cols[1].type = TCSV_REAL;
	cols[2].name = a->ycol;
	cols[2].type = TCSV_REAL;
	cols[2].flags = TCSV_OPTIONAL;
	if (a->weights == RUN_OD_W_SE) {
		cols[3].name = a->se_col;
		cols[3].type = TCSV_REAL;
		cols[3].flags = TCSV_OPTIONAL;
		ncols = 4;
	}
	for (int i = 0; i < ncols; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(cols[i].name, cols[j].name))
				return tc_failc(err, TC_EXIT_USAGE, "--group: column '%s' is named twice", cols[i].name);
	schema->name = a->file;
	schema->cols = cols;
	schema->ncols = (size_t)ncols;
	schema->flags = TCSV_ALLOW_EXTRA;
	if (tcsv_load_file(t, a->file, schema, err))
		return -1;

	/* groups in order of first appearance; rows inside the x range */
	for (size_t row = 0; row < t->nrows; row++) {
		const char *name = tcsv_text(t, 0, row);
		double x = tcsv_num(t, 1, row);
		int gi;
		if (tcsv_is_missing(t, 0, row)) {
			tc_fail(err, "%s:%ld: column '%s': the group is empty", a->file, t->lines[row], a->group_col);
			goto fail;
		}
		if (tcsv_is_missing(t, 1, row)) {
			tc_fail(err, "%s:%ld: column '%s': missing x", a->file, t->lines[row], a->xcol);
			goto fail;
		}
		if (x < lo || x > hi)
			continue;
		gi = find_group(r->g, r->ng, name);
		if (gi < 0) {
			if (r->ng == gcap) {
				size_t c = gcap;
				r->g = xgrow(r->g, &gcap, r->ng + 1, sizeof(*r->g));
				gr = xgrow(gr, &c, r->ng + 1, sizeof(*gr));
			}
			memset(&r->g[r->ng], 0, sizeof(r->g[r->ng]));
			memset(&gr[r->ng], 0, sizeof(gr[r->ng]));
			r->g[r->ng].name = name;
			gi = (int)r->ng++;
		}
		if (gr[gi].n && !(x > tcsv_num(t, 1, gr[gi].rows[gr[gi].n - 1]))) {
			tc_fail(err, "%s:%ld: column '%s': x = %g in group '%s' does not follow %g (x must "
				"increase within a group)", a->file, t->lines[row], a->xcol, x, name,
				tcsv_num(t, 1, gr[gi].rows[gr[gi].n - 1]));
			goto fail;
		}
		if (tcsv_is_missing(t, 2, row)) {
			tc_fail(err, "%s:%ld: column '%s': missing value in group '%s' (missing values are "
				"never skipped)", a->file, t->lines[row], a->ycol, name);
			goto fail;
		}
		if (ncols == 4 && (tcsv_is_missing(t, 3, row) || !(tcsv_num(t, 3, row) > 0))) {
			tc_fail(err, "%s:%ld: column '%s': the standard error in group '%s' is %s; standard "
				"errors must be numbers > 0", a->file, t->lines[row], a->se_col, name,
				tcsv_is_missing(t, 3, row) ? "missing" : "not > 0");
			goto fail;
		}
		if (gr[gi].n == gr[gi].cap)
			gr[gi].rows = xgrow(gr[gi].rows, &gr[gi].cap, gr[gi].n + 1, sizeof(size_t));
		gr[gi].rows[gr[gi].n++] = row;
	}
	if (r->ng == 0) {
		tc_fail(err, "%s: no rows in the range", a->file);
		goto fail;
	}
	for (size_t i = 0; i < r->ng; i++)
		if (gr[i].n < 3) {
			tc_fail(err, "%s:%ld: group '%s' has %zu point%s; joinpoint regression needs at least 3",
				a->file, t->lines[gr[i].rows[0]], r->g[i].name, gr[i].n, gr[i].n == 1 ? "" : "s");
			goto fail;
		}
	for (size_t i = 0; i < r->ng; i++) {
		r->g[i].n = gr[i].n;
		if (fit_group(a, t, ncols, &r->g[i], gr[i].rows, err))
			goto fail;
	}
	for (size_t i = 0; i < r->ng; i++)
		free(gr[i].rows);
	free(gr);
	return 0;
fail:
	for (size_t i = 0; i < r->ng; i++)
		free(gr[i].rows);
	free(gr);
	run_od_groups_release(r);
	return -1;
}

void run_od_groups_release(struct run_od_groups *r)
{
	for (size_t i = 0; i < r->ng; i++)
		jp_result_release(&r->g[i].jp);
	free(r->g);
	tcsv_table_release(&r->t);
	memset(r, 0, sizeof(*r));
}

/*
** scenario_resolve.c: a scenario (a parsed file, or the command line's
** flags turned into one) against the loaded datasets: the one parameter-
** precedence rule and the one market setup of scenario_resolve.h.  Pure: no I/O.
** `tocalc tariff`, `tariff run`, sweep, revenue-max, the report and the
** figures all resolve through whatif_resolve(), so they cannot drift apart.
*/
#include "tocalc/scenario_resolve.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void scenario_flags_init(struct scenario_flags *fl)
{
	memset(fl, 0, sizeof(*fl));
	fl->model = -1;
	fl->eps = fl->sigma = fl->ex = fl->pt = NAN;
	fl->draws = -1;
	fl->seed = 1;
}

unsigned whatif_needs(const struct scenario *sc)
{
	unsigned need = TI_PARAMS;

	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct scenario_partner *sp = &sc->p[k];
		if (!sp->set)
			continue;
		if (!isfinite(sp->imports))
			need |= TI_TRADE;
		if (!isfinite(sp->base_rate) || sp->nlayers)
			need |= TI_TIMELINE;
	}
	return need;
}

void whatif_release(struct whatif *w)
{
	for (size_t i = 0; i < w->nnotes; i++)
		free(w->notes[i]);
	w->nnotes = 0;
}

static void wnote(struct whatif *w, const char *fmt, ...) TC_PRINTF(2, 3);

static void wnote(struct whatif *w, const char *fmt, ...)
{
	char buf[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < w->nnotes; i++)
		if (!strcmp(w->notes[i], buf))
			return;
	if (w->nnotes < WHATIF_MAX_NOTES)
		w->notes[w->nnotes++] = xstrdup(buf);
}

/* Where a value came from, for the output: the command line or the file. */
static const char *origin(const struct scenario *sc, const char *flag)
{
	return sc->from_flags ? flag : "scenario file";
}

static int resolve_params(const struct scenario *sc, const struct scenario_flags *fl,
			  const struct tariff_inputs *in, struct whatif *w, struct tc_err *err)
{
	int ex_from_flag = 0, pt_from_flag = 0;

	w->p = in->p;
	w->src_eps = in->src.eps;
	w->src_sigma = in->src.sigma;
	w->src_ex = in->src.ex;
	w->src_pt = in->src.pass_through;
	w->src_households = in->src.households;
	/* the file, then the command line */
	if (isfinite(sc->eps)) {
		w->p.eps = sc->eps;
		w->src_eps = origin(sc, "--elasticity");
	}
	if (isfinite(sc->sigma)) {
		w->p.sigma = sc->sigma;
		w->src_sigma = origin(sc, "--substitution");
	}
	if (!isnan(sc->ex)) {
		w->p.ex = sc->ex;
		w->src_ex = origin(sc, "--supply-elasticity");
	}
	if (isfinite(sc->pass_through)) {
		w->p.pass_through = sc->pass_through;
		w->src_pt = origin(sc, "--pass-through");
	}
	if (fl && isfinite(fl->eps)) {
		w->p.eps = fl->eps;
		w->src_eps = "--elasticity";
	}
	if (fl && isfinite(fl->sigma)) {
		w->p.sigma = fl->sigma;
		w->src_sigma = "--substitution";
	}
	if (fl && !isnan(fl->ex)) {
		w->p.ex = fl->ex;
		w->src_ex = "--supply-elasticity";
		ex_from_flag = 1;
	}
	if (fl && isfinite(fl->pt)) {
		w->p.pass_through = fl->pt;
		w->src_pt = "--pass-through";
		pt_from_flag = 1;
	}
	if (isfinite(w->p.ex) && w->p.pass_through != 1) {
		if (ex_from_flag && !pt_from_flag) {
			w->p.pass_through = 1;	/* the flag's finite supply sets the pass-through */
			w->src_pt = "implied by --supply-elasticity";
		} else {
			return tc_failc(err, TC_EXIT_USAGE, "%s: pass-through %g and a finite export-supply "
					"elasticity %g: the pass-through then is X/(X+E); give only one of "
					"them", sc->from_flags ? "--pass-through" : sc->path,
					w->p.pass_through, w->p.ex);
		}
	}
	w->model = fl && fl->model >= 0 ? (enum tariff_model)fl->model
		 : sc->model >= 0 ? (enum tariff_model)sc->model : TARIFF_CES;
	if (tariff_params_check(&w->p, err)) {
		err->code = TC_EXIT_USAGE;
		return -1;
	}
	w->draws = fl && fl->draws >= 0 ? fl->draws : sc->draws;
	w->seed = fl && fl->seed_set ? fl->seed : sc->seed_set ? sc->seed : 1;
	return 0;
}

/* The prefix of an error in partner k's line: file:line, or the flag. */
static int partner_fail(const struct scenario *sc, int k, struct tc_err *err, const char *fmt, ...)
	TC_PRINTF(4, 5);

static int partner_fail(const struct scenario *sc, int k, struct tc_err *err, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (sc->from_flags)
		return tc_failc(err, TC_EXIT_USAGE, "--partner %s: %s", tariff_partner_code(k), buf);
	return tc_fail(err, "%s:%ld: %s", sc->path, sc->p[k].line, buf);
}

static int imports_of(const struct scenario *sc, int k, const struct trade_base *tb,
		      struct whatif *w, double *m0, struct tc_err *err)
{
	const struct scenario_partner *sp = &sc->p[k];
	const char *how = sc->from_flags ? (k == TARIFF_ROW ? "--row-imports V" : "--imports-value V")
					 : "'imports V' on the partner line";

	if (isfinite(sp->imports)) {
		*m0 = sp->imports;
		if (sc->from_flags)
			snprintf(w->imports_src[k], sizeof(w->imports_src[k]), "%s",
				 k == TARIFF_ROW ? "--row-imports" : "--imports-value");
		else
			snprintf(w->imports_src[k], sizeof(w->imports_src[k]), "%s:%ld", sc->path, sp->line);
		return 0;
	}
	if (!isfinite(tb->m0[k]) && sc->from_flags) {
		if (tb->line[k])
			return tc_fail(err, "trade.csv:%ld: no Census import value from %s for %d; give %s "
				       "(USD million)", tb->line[k], tariff_partner_code(k), w->year, how);
		return tc_fail(err, "trade.csv: no Census import value from %s for %d; give %s (USD "
			       "million)", tariff_partner_code(k), w->year, how);
	}
	if (!isfinite(tb->m0[k])) {
		if (tb->line[k])
			return partner_fail(sc, k, err, "no import value from %s for %d in trade.csv "
					    "(line %ld); give %s (USD million)", tariff_partner_code(k),
					    w->year, tb->line[k], how);
		return partner_fail(sc, k, err, "no import value from %s for %d in trade.csv; give %s "
				    "(USD million)", tariff_partner_code(k), w->year, how);
	}
	*m0 = tb->m0[k];
	snprintf(w->imports_src[k], sizeof(w->imports_src[k]), "trade.csv %d %s (%s)", w->year,
		 tb->basis[k] ? tb->basis[k] : "?", tb->source[k] ? tb->source[k] : "no source");
	return 0;
}

/* Statutory rate (percent) of `layer` in stack st; 0 when it is not there. */
static double statutory_in(const struct eff_stack *st, const char *layer)
{
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->l[i].layer, layer))
			return st->l[i].statutory;
	return 0;
}

/* Effective points per statutory point of `layer`, and the effective rate without it. */
static int layer_slope(const struct whatif *w, const struct tariff_inputs *in, int k,
		       const char *layer, int scope, struct tc_err *err)
{
	struct eff_stack *tmp = xmalloc(sizeof(*tmp));
	struct whatif *mw = (struct whatif *)w;
	double e0, e100;

	if (eff_stack_set_layer(&w->before[k], &in->tl, in->cv, layer, scope, 0, tmp, err))
		goto fail;
	e0 = tmp->effective;
	if (eff_stack_set_layer(&w->before[k], &in->tl, in->cv, layer, scope, 100, tmp, err))
		goto fail;
	e100 = tmp->effective;
	free(tmp);
	mw->eff_without[k] = e0;
	mw->layer_cover[k] = (e100 - e0) / 100;
	return 0;
fail:
	free(tmp);
	return -1;
}

static void approx_notes(struct whatif *w, int k, const struct eff_stack *st)
{
	for (size_t i = 0; i < st->n; i++) {
		const struct eff_layer *L = &st->l[i];
		if (!L->approximated || L->statutory == 0)
			continue;
		wnote(w, "%s: the coverage of layer %s is approximated (%s)", tariff_partner_code(k),
		      L->layer, L->basis ? L->basis : "no sourced share");
	}
}

static int resolve_partner(const struct scenario *sc, const struct scenario_flags *fl,
			   const struct tariff_inputs *in, const struct trade_base *tb, int k,
			   struct whatif *w, struct tc_err *err)
{
	const struct scenario_partner *sp = &sc->p[k];
	double m0 = NAN, t0, t1;
	char d[16];

	if (imports_of(sc, k, tb, w, &m0, err))
		return -1;
	w->layer[k] = SCENARIO_WHATIF_LAYER;
	if (isfinite(sp->base_rate)) {
		/* the effective rate before is given; a change is an additional tariff on all goods */
		if (sp->nlayers)
			return partner_fail(sc, k, err, "a layer change needs the timeline's rates, not "
					    "a given rate before (base-rate)");
		t0 = sp->base_rate;
		t1 = sp->op == SCN_BASE ? t0 : t0 + sp->value;
		w->layer_before[k] = 0;
		w->layer_after[k] = t1 - t0;
		w->layer_cover[k] = 1;
		w->eff_without[k] = t0;
		snprintf(w->t0src[k], sizeof(w->t0src[k]), "%s",
			 sc->from_flags ? "--base-rate" : "scenario file base-rate");
	} else {
		struct eff_stack *next = xmalloc(sizeof(*next));
		if (tariff_effective_on(&in->tl, in->cv, k, w->as_of, &w->before[k], err)) {
			free(next);
			if (err->code == TC_EXIT_USAGE)
				return tc_err_prefix(err, "%s", fl && fl->as_of ? "--as-of"
							  : sc->from_flags ? "tariffs.csv" : sc->path);
			return -1;
		}
		w->have_stack[k] = 1;
		w->after[k] = w->before[k];
		if (sp->op != SCN_BASE) {
			if (eff_stack_set_layer(&w->after[k], &in->tl, in->cv, SCENARIO_WHATIF_LAYER, -1,
						sp->value, next, err)) {
				free(next);
				return partner_fail(sc, k, err, "%s", err->msg);
			}
			w->after[k] = *next;
			w->layer_after[k] = sp->value;
		}
		for (size_t j = 0; j < sp->nlayers; j++) {
			double pct = sp->layer_rate[j], old;
			/* a named layer must be one of the timeline's (for the partner or ALL) */
			if (strcmp(sp->layer[j], SCENARIO_WHATIF_LAYER) &&
			    tariff_layer_rate_on(&in->tl, tariff_timeline_partner(k), sp->layer[j],
						 w->as_of, &old, NULL, err)) {
				free(next);
				return partner_fail(sc, k, err, "%s", err->msg);
			}
			if (sp->layer_add[j])
				pct += statutory_in(&w->after[k], sp->layer[j]);
			if (eff_stack_set_layer(&w->after[k], &in->tl, in->cv, sp->layer[j],
						sp->layer_scope[j], pct, next, err)) {
				free(next);
				return partner_fail(sc, k, err, "%s", err->msg);
			}
			w->after[k] = *next;
			if (j == 0) {
				w->layer[k] = sp->layer[j];
				w->layer_before[k] = statutory_in(&w->before[k], sp->layer[j]);
				w->layer_after[k] = pct;
			}
		}
		free(next);
		if (layer_slope(w, in, k, w->layer[k], sp->nlayers ? sp->layer_scope[0] : -1, err))
			return partner_fail(sc, k, err, "%s", err->msg);
		t0 = w->before[k].effective;
		t1 = w->after[k].effective;
		snprintf(w->t0src[k], sizeof(w->t0src[k]), "tariffs.csv and tariff_coverage.csv, "
			 "effective rate in force on %s", tc_format_date(w->as_of, d));
		approx_notes(w, k, &w->before[k]);
		approx_notes(w, k, &w->after[k]);
	}
	if (!(t1 >= 0 && t1 <= TARIFF_MAX_RATE * 100))
		return partner_fail(sc, k, err, "tariff after %g%% out of range", t1);
	w->changed[k] = t0 != t1 || w->layer_before[k] != w->layer_after[k];
	w->s.m[k].present = 1;
	w->s.m[k].m0 = m0;
	w->s.m[k].t0 = t0 / 100;
	w->s.m[k].t1 = t1 / 100;
	w->t0pct[k] = t0;
	w->t1pct[k] = t1;
	return 0;
}

static void change_text(struct whatif *w)
{
	size_t n = 0;

	w->change[0] = '\0';
	for (int k = 0; k < TARIFF_NPARTNERS && n < sizeof(w->change); k++) {
		if (!w->changed[k])
			continue;
		if (!strcmp(w->layer[k], SCENARIO_WHATIF_LAYER))
			n += (size_t)snprintf(w->change + n, sizeof(w->change) - n,
					      "%s%s +%g%% on all goods (effective %.2f%% -> %.2f%%)",
					      n ? "; " : "", tariff_partner_code(k), w->layer_after[k],
					      w->t0pct[k], w->t1pct[k]);
		else
			n += (size_t)snprintf(w->change + n, sizeof(w->change) - n,
					      "%s%s %s %g%% -> %g%% (effective %.2f%% -> %.2f%%)",
					      n ? "; " : "", tariff_partner_code(k), w->layer[k],
					      w->layer_before[k], w->layer_after[k], w->t0pct[k], w->t1pct[k]);
	}
	if (!n)
		snprintf(w->change, sizeof(w->change), "none");
}

int whatif_resolve(const struct scenario *sc, const struct scenario_flags *fl,
		   const struct tariff_inputs *in, struct whatif *w, struct tc_err *err)
{
	unsigned need = whatif_needs(sc);
	struct trade_base tb;

	memset(w, 0, sizeof(*w));
	memset(&tb, 0, sizeof(tb));
	for (int k = 0; k < TARIFF_NPARTNERS; k++)
		tb.m0[k] = NAN;
	if (((need & TI_TRADE) && !in->have_trade) || ((need & TI_TIMELINE) && !in->have_tl) ||
	    !in->have_params)
		return tc_fail(err, "%s: internal error: a dataset the scenario needs is not loaded",
			       sc->path);
	if (resolve_params(sc, fl, in, w, err))
		return -1;
	if ((need & TI_TIMELINE) || (in->have_tl && ((fl && fl->as_of) || sc->as_of))) {
		struct tariff_stack *st = xmalloc(sizeof(*st));
		int bad;
		w->as_of = fl && fl->as_of ? fl->as_of : sc->as_of ? sc->as_of : in->tl.last;
		/* the date must lie inside the timeline even when no rate is read from it */
		bad = tariff_rate_on(&in->tl, "CN", w->as_of, st, err);
		free(st);
		if (bad) {
			if (err->code == TC_EXIT_USAGE)
				return tc_err_prefix(err, "%s", fl && fl->as_of ? "--as-of" : sc->path);
			return -1;
		}
	}
	if (need & TI_TRADE) {
		w->year = fl && fl->year ? fl->year : sc->year ? sc->year : trade_latest_year(&in->trade);
		if (!w->year)
			return tc_fail(err, "trade.csv: no year has Census import values for CN, MX and "
				       "CA; give the imports of each partner");
		trade_base_get(&in->trade, w->year, &tb);
	}
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		if (!sc->p[k].set)
			continue;
		if (sc->p[k].optional && !isfinite(sc->p[k].imports) && !isfinite(tb.m0[k])) {
			if (k != TARIFF_ROW)
				wnote(w, "%s left out of the diversion: no import value for %d in trade.csv",
				      tariff_partner_code(k), w->year);
			continue;
		}
		if (resolve_partner(sc, fl, in, &tb, k, w, err)) {
			whatif_release(w);
			return -1;
		}
	}
	change_text(w);
	return 0;
}

double whatif_rate_at(const struct whatif *w, int k, double pct)
{
	return (w->eff_without[k] + pct * w->layer_cover[k]) / 100;
}

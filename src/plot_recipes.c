/*
** plot_recipes.c: the figures of the report (issue 6, recipes 1-5) and
** the computations they share with `tocalc report` (report.h).
**
** Each recipe fills a plot description from the datasets; it never
** writes a script and never runs anything (docs/plotting.md, "Writing a
** recipe").  Every random number comes from a generator seeded with a
** constant from report.h, so a recipe gives the same description, and
** gnuplot the same bytes, on every run.
**
** x positions on the annual overdose plot: a calendar year Y spans
** [Y, Y+1) and its total is drawn at mid-year, Y + 0.5; a date is drawn
** at its fraction of the year; a 12 month-ending count for month M of Y
** is drawn at the middle of its window, Y + M/12 - 0.5 (December at
** Y + 0.5, like the annual total of the same calendar year).
*/
#include "tocalc/model_claims.h"
#include "tocalc/data_claims.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/data_overdose.h"
#include "tocalc/plot.h"
#include "tocalc/report.h"
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"

#include <dirent.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
** Colours of the Okabe-Ito palette (Okabe & Ito, "Color Universal Design",
** 2008), fixed per meaning across the figures.  Two colours that tell
** series of one panel apart also differ in greyscale (relative luminance
** blue 0.15, orange 0.42, black 0; tests/unit/test_recipes.c checks every
** figure), and the marks differ in shape as well.
*/
#define C_BLUE		PLOT_RGB(0x0072b2)	/* all drugs; revenue; tariff revenue */
#define C_ORANGE	PLOT_RGB(0xe69f00)	/* synthetic opioids; cost to consumers */
#define C_GREEN		PLOT_RGB(0x009e73)	/* imports */
#define C_BLACK		PLOT_RGB(0x000000)	/* tariff in force */
#define C_GREY		PLOT_RGB(0x666666)
#define C_BAND		PLOT_RGB(0xd0d0d0)
#define C_HOLDS		C_BLUE
#define C_ROUGHLY	C_ORANGE
#define C_NOT		C_BLACK

/* ------------------------------------------------------------------ */
/* the figures                                                          */

const struct report_figure report_figures[] = {
	{ "overdose-deaths", "overdose-deaths.svg",
	  "US drug overdose deaths per year: all drugs and synthetic opioids other than methadone "
	  "(mainly fentanyl), final counts 1999-2024, the provisional 12 month-ending counts that "
	  "follow, and four policy events; the joinpoint fit of each series is drawn thin and dashed "
	  "under the data, over the years it was fitted on.",
	  "CDC National Center for Health Statistics (final data; NCHS data briefs), CDC WONDER "
	  "(final count 2024), CDC NCHS VSRR provisional counts; events: the dated sources of "
	  "'tocalc data show events'" },
	{ "vsrr-12mo", "vsrr-12mo.svg",
	  "Provisional overdose deaths in the 12 months ending each month, 2015-2025, reported and "
	  "predicted; in the panel below, on its own axis, the additional tariff on all goods from "
	  "China in force at the end of each month.",
	  "CDC NCHS VSRR provisional drug overdose death counts; tariffs: Federal Register executive "
	  "orders and the trade press cited in 'tocalc data show tariffs' (stacked all-goods rate on "
	  "the last day of each month)" },
	{ "tariff-laffer", "tariff-laffer.svg",
	  "Tariff revenue from China (top panel) and imports from China (bottom panel) as the tariff "
	  "on China goes from 0 to 300%, constant-elasticity model with the default parameters, with "
	  "the 90% Monte Carlo band (1000 draws of the elasticities per rate, seed 1) and the "
	  "revenue maximum.",
	  "2024 imports: US Census Bureau and UN Comtrade figures as cited in 'tocalc data show "
	  "trade'; elasticities: Tax Foundation, World Bank WITS; rates in force on the timeline's "
	  "last date" },
	{ "scenarios", "scenarios.svg",
	  "The shipped tariff scenarios side by side: the tariff revenue gained and the cost to "
	  "consumers, both in USD per US household (top panel), and imports after the change in USD "
	  "billion (bottom panel).",
	  "each scenario as 'tocalc tariff run NAME'; households: US Census Bureau, American "
	  "Community Survey 2024" },
	{ "claims", "claims.svg",
	  "Every checkable numeric claim of the source documents, one row each: the computed value as "
	  "a percentage of the claimed one (colour and shape by verdict), the claim at 100 with its "
	  "tolerance, and the verdict.",
	  "the documents' claims as quoted, recomputed by 'tocalc check' from the CDC NCHS final and "
	  "VSRR counts and the tariff timeline" },
};
const size_t report_nfigures = TC_ARRAY_SIZE(report_figures);

/* ------------------------------------------------------------------ */
/* small helpers                                                        */

/* Decimal year of a date: its year plus the fraction of the year at the middle of the day. */
static double year_of_date(long yyyymmdd)
{
	return tc_year_of_date(yyyymmdd, 0.5);
}

/* The middle of the 12 months ending in month yyyymm. */
static double year_of_window(long yyyymm)
{
	return tc_year_of_month(tc_month_from_index(tc_month_index(yyyymm) + 1)) - 0.5;
}

/*
** The footnote is drawn at the bottom left of the canvas.  An x label of
** one space keeps a line free for it below the tic labels when the axis
** needs no words (years, months, names); --xlabel still overrides it.
*/
static void footnote_line(struct plot_desc *d)
{
	plot_set_text(&d->xlabel, " ");
}

/* ------------------------------------------------------------------ */
/* recipe 1: overdose-deaths                                            */

static const struct {
	const char *id, *label;
} od_events[] = {
	{ "china-fentanyl-class-effective", "2019 class-wide scheduling" },
	{ "woodside-summit", "2023 cooperation resumes" },
	{ "cn-fentanyl-tariff-10", "2025 tariffs" },
	{ "scotus-learning-resources", "2026 tariffs voided" },
};

/* Provisional VSRR windows of one series: predicted counts at the window's middle. */
static void vsrr_provisional(const struct od_series *v, double **x, double **y, size_t *n)
{
	size_t k = 0;

	*x = xcalloc(v->n ? v->n : 1, sizeof(double));
	*y = xcalloc(v->n ? v->n : 1, sizeof(double));
	for (size_t i = 0; i < v->n; i++) {
		if (!v->status || !v->status[i] || strcmp(v->status[i], "provisional"))
			continue;
		(*x)[k] = year_of_window(v->period[i]);
		(*y)[k] = v->y2[i];
		k++;
	}
	*n = k;
}

/* The latest vintage a VSRR series names ("2026-02-14", or "a; b"): its last 10 characters. */
static void vsrr_vintage(const struct od_series *v, char out[11])
{
	size_t l = v->vintage ? strlen(v->vintage) : 0;

	out[0] = '\0';
	if (l >= 10)
		memcpy(out, v->vintage + l - 10, 11);
}

static void add_od_series(struct plot_desc *d, const struct report_series *s, unsigned color,
			  int point, int point_open, const double *vx, const double *vy, size_t vn)
{
	const struct jp_model *m = jp_selected_model(&s->jp);
	double *x = xcalloc(s->n, sizeof(double)), *y = xcalloc(s->n, sizeof(double));
	double *wx = xcalloc(s->n, sizeof(double)), *wy = xcalloc(s->n, sizeof(double));
	double *fx = xcalloc(s->n, sizeof(double));
	double jx[JP_MAX_JOINPOINTS], jy[JP_MAX_JOINPOINTS];
	char *jt[JP_MAX_JOINPOINTS], label[160];
	struct plot_series *ps;
	size_t n = 0, nw = 0;

	for (size_t i = 0; i < s->n; i++) {
		fx[i] = s->year[i] + 0.5;
		if (s->wonder[i]) {
			wx[nw] = s->year[i] + 0.5;
			wy[nw++] = s->deaths[i];
		} else {
			x[n] = s->year[i] + 0.5;
			y[n++] = s->deaths[i];
		}
	}
	/*
	** The fit first, thin and dashed, so the data draw over it; it spans
	** the fitted years only and says it is a fit.
	*/
	snprintf(label, sizeof(label), "%s, joinpoint fit (%d joinpoint%s), %.0f-%.0f", s->label, m->k,
		 m->k == 1 ? "" : "s", s->year[0], s->year[s->n - 1]);
	ps = plot_add_series(d, PLOT_LINES, label, fx, m->fitted, s->n);
	ps->color = color;
	ps->dash = 2;
	ps->width = 1;
	if (n) {
		snprintf(label, sizeof(label), "%s, final (NCHS)", s->label);
		ps = plot_add_series(d, PLOT_LINESPOINTS, label, x, y, n);
		ps->color = color;
		ps->point = point;
	}
	if (nw) {
		snprintf(label, sizeof(label), "%s, final count from CDC WONDER", s->label);
		ps = plot_add_series(d, PLOT_POINTS, label, wx, wy, nw);
		ps->color = color;
		ps->point = point_open;
	}
	if (vn) {
		snprintf(label, sizeof(label), "%s, VSRR provisional (12 months ending, predicted)",
			 s->label);
		ps = plot_add_series(d, PLOT_LINES, label, vx, vy, vn);
		ps->color = color;
		ps->dash = 3;
		ps->width = 1.5;
	}
	if (m->k > 0) {
		char buf[JP_MAX_JOINPOINTS][16];
		for (int j = 0; j < m->k; j++) {
			long idx = m->tau_index[j];
			jx[j] = m->tau[j] + 0.5;
			jy[j] = idx >= 0 ? m->fitted[idx] : NAN;
			if (idx < 0) {	/* between observations (Hudson): interpolate the fit */
				for (size_t i = 1; i < s->n; i++)
					if (s->year[i] >= m->tau[j]) {
						double f = (m->tau[j] - s->year[i - 1]) / (s->year[i] - s->year[i - 1]);
						jy[j] = m->fitted[i - 1] * pow(m->fitted[i] / m->fitted[i - 1], f);
						break;
					}
			}
			snprintf(buf[j], sizeof(buf[j]), "%g", m->tau[j]);
			jt[j] = buf[j];
		}
		ps = plot_add_series(d, PLOT_POINTS, NULL, jx, jy, (size_t)m->k);
		ps->color = color;
		ps->point = 8;
		plot_series_point_text(ps, (const char *const *)jt);
	}
	free(x);
	free(y);
	free(wx);
	free(wy);
	free(fx);
}

int plot_recipe_overdose_deaths(const struct plot_args *a, const struct report_result *r,
				struct plot_desc *d, struct tc_err *err)
{
	const struct report_trends *tr = &r->tr;
	const struct tcsv_table *ev = &r->events;
	const struct od_series *v12 = r->vsrr;
	double *vx[REPORT_NSERIES] = { NULL, NULL }, *vy[REPORT_NSERIES] = { NULL, NULL };
	size_t vn[REPORT_NSERIES] = { 0, 0 };
	double ymax = 0, xlast = 0;
	long vlast = 0;
	char vint[11], foot[1024], title[200], buf[11];
	int ret = -1;

	(void)a;
	for (int k = 0; k < REPORT_NSERIES; k++) {
		vsrr_provisional(&v12[k], &vx[k], &vy[k], &vn[k]);
		for (size_t i = 0; i < tr->s[k].n; i++)
			ymax = fmax(ymax, tr->s[k].deaths[i]);
		for (size_t i = 0; i < vn[k]; i++)
			if (!isnan(vy[k][i])) {
				ymax = fmax(ymax, vy[k][i]);
				xlast = fmax(xlast, vx[k][i]);
			}
		for (size_t i = 0; i < v12[k].n; i++)
			if (v12[k].period[i] > vlast)
				vlast = v12[k].period[i];
	}
	vsrr_vintage(&v12[0], vint);
	for (size_t i = 0; i < ev->nrows; i++)
		for (size_t e = 0; e < TC_ARRAY_SIZE(od_events); e++)
			if (!strcmp(tcsv_text(ev, EV_ID, i), od_events[e].id))
				xlast = fmax(xlast, year_of_date((long)tcsv_num(ev, EV_DATE, i)));
	xlast = fmax(xlast, tr->s[0].year[tr->s[0].n - 1] + 1);

	plot_set_text(&d->name, "overdose_deaths");
	/* the title names the span of the x axis */
	snprintf(title, sizeof(title), "US drug overdose deaths, %.0f-%.0f: final counts %.0f-%.0f%s%s",
		 tr->s[0].year[0], floor(xlast), tr->s[0].year[0], tr->s[0].year[tr->s[0].n - 1],
		 vlast ? ", provisional to " : "", vlast ? tc_format_month(vlast, buf) : "");
	plot_set_text(&d->title, title);
	plot_set_text(&d->ylabel, "deaths per year");
	snprintf(foot, sizeof(foot),
		 "Source: %s (final); %s VSRR provisional counts%s%s. Fit: joinpoint regression, "
		 "permutation test, seed %lu.",
		 r->pub_annual[0] ? r->pub_annual : "see 'tocalc data show sources'", r->pub_vsrr[0] ? r->pub_vsrr : "CDC",
		 vint[0] ? ", download of " : "", vint, REPORT_JP_SEED);
	plot_set_text(&d->footnote, foot);
	/* secondary sources, from sources.csv kind (issue 15) */
	plot_set_text(&d->footnote2, r->sec_deaths[0] ? r->sec_deaths : NULL);
	footnote_line(d);
	d->xaxis = PLOT_X_YEAR;
	d->key = PLOT_KEY_TOP_LEFT;
	d->yfmt = PLOT_FMT_INTEGER;
	d->xmin = floor(tr->s[0].year[0]);
	d->xmax = ceil(xlast);
	d->ymin = 0;
	/* room above the data for the event labels */
	d->ymax = ceil(ymax * 1.65 / 20000.0) * 20000.0;
	/* a tic at the start of every year, labelled every fifth */
	for (double yr = d->xmin; yr <= d->xmax; yr += 1) {
		char ybuf[16];
		snprintf(ybuf, sizeof(ybuf), "%.0f", yr);
		plot_add_xtic(d, yr, fmod(yr, 5) == 0 ? ybuf : NULL);
	}

	/* events first, so the data draw over their lines */
	for (size_t e = 0; e < TC_ARRAY_SIZE(od_events); e++) {
		size_t i;
		for (i = 0; i < ev->nrows; i++)
			if (!strcmp(tcsv_text(ev, EV_ID, i), od_events[e].id))
				break;
		if (i == ev->nrows) {
			tc_fail(err, "%s: no event '%s' (the overdose-deaths plot marks it)", ev->path,
				od_events[e].id);
			goto out;
		}
		plot_add_xmarker(d, year_of_date((long)tcsv_num(ev, EV_DATE, i)), od_events[e].label);
	}
	add_od_series(d, &tr->s[REPORT_ALL_DRUGS], C_BLUE, 7, 6, vx[0], vy[0], vn[0]);
	add_od_series(d, &tr->s[REPORT_SYNTHETIC], C_ORANGE, 5, 4, vx[1], vy[1], vn[1]);
	ret = 0;
out:
	for (int k = 0; k < REPORT_NSERIES; k++) {
		free(vx[k]);
		free(vy[k]);
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* recipe 2: vsrr-12mo                                                  */

int plot_recipe_vsrr_12mo(const struct plot_args *a, const struct report_result *r,
			  struct plot_desc *d, struct tc_err *err)
{
	const struct od_series *v = r->vsrr;
	long first = r->vsrr_first, last = r->vsrr_last, prov = 0;
	size_t nm;
	double *x = NULL, *y[4] = { NULL, NULL, NULL, NULL }, *rate = NULL, rmax = 0, top = 0;
	char vint[11], foot[1024], title[240], b1[11], b2[11], ind[64] = "synthetic opioids";
	char lab[4][96];
	int p0, p1;

	(void)a;
	for (int k = 0; k < REPORT_NSERIES; k++)
		for (size_t i = 0; i < v[k].n; i++) {
			long m = v[k].period[i];
			if (v[k].status && v[k].status[i] && !strcmp(v[k].status[i], "provisional") &&
			    (!prov || m < prov))
				prov = m;
		}
	if (!first)
		return tc_fail(err, "overdose_12mo.csv: no rows");
	nm = r->nmonths;
	x = xcalloc(nm, sizeof(double));
	rate = xcalloc(nm, sizeof(double));
	for (int s = 0; s < 4; s++) {
		y[s] = xcalloc(nm, sizeof(double));
		for (size_t i = 0; i < nm; i++)
			y[s][i] = NAN;
	}
	/* the effective tariff on China on the last day of each month (run_report.c) */
	for (size_t i = 0; i < nm; i++) {
		x[i] = plot_time_of_month(tc_month_from_index(tc_month_index(first) + (long)i));
		rate[i] = r->cn_rate[i];
		if (!isnan(rate[i]))
			rmax = fmax(rmax, rate[i]);
	}
	for (int k = 0; k < REPORT_NSERIES; k++)
		for (size_t i = 0; i < v[k].n; i++) {
			size_t j = (size_t)(tc_month_index(v[k].period[i]) - tc_month_index(first));
			y[2 * k][j] = v[k].y[i];
			y[2 * k + 1][j] = v[k].y2[i];
		}
	for (int s = 0; s < 4; s++)
		for (size_t i = 0; i < nm; i++)
			if (!isnan(y[s][i]))
				top = fmax(top, y[s][i]);
	vsrr_vintage(&v[0], vint);

	plot_set_text(&d->name, "vsrr_12mo");
	/* the indicator's label: its short name (CDC name mapping, data_vsrr.c), "_" as spaces */
	if (r->sel.indicator) {
		size_t l = strlen(r->sel.indicator);
		if (l >= sizeof(ind))
			l = sizeof(ind) - 1;
		memcpy(ind, r->sel.indicator, l);
		ind[l] = '\0';
		for (size_t i = 0; i < l; i++)
			if (ind[i] == '_')
				ind[i] = ' ';
	}
	snprintf(title, sizeof(title), "%s overdose deaths in the 12 months ending each month, %s to %s, "
		 "and the tariff on China", r->sel.state ? r->sel.state : "US", tc_format_month(first, b1),
		 tc_format_month(last, b2));
	plot_set_text(&d->title, title);
	snprintf(foot, sizeof(foot),
		 "Source: %s VSRR provisional counts%s%s%s%s%s; tariffs: %s (effective rate on each "
		 "month's last day%s).",
		 r->pub_vsrr[0] ? r->pub_vsrr : "CDC", r->sel.state ? ", jurisdiction " : "",
		 r->sel.state ? r->sel.state : "", vint[0] ? ", download of " : "", vint,
		 r->sel.state && !r->sel.indicator && !v[1].n ? " (no synthetic opioid counts for this "
		 "jurisdiction in it)" : "",
		 r->pub_tariffs_cn[0] ? r->pub_tariffs_cn : "see 'tocalc data show sources'",
		 r->sel.state ? ", national" : "");
	plot_set_text(&d->footnote, foot);
	/* secondary sources, from sources.csv kind (issue 15) */
	plot_set_text(&d->footnote2, r->sec_vsrr[0] ? r->sec_vsrr : NULL);
	footnote_line(d);
	d->xaxis = PLOT_X_MONTH;
	/* two panels, one axis each: the counts, and under them the tariff */
	p0 = plot_add_panel(d, "deaths in the 12 months ending");
	p1 = plot_add_panel(d, "effective tariff on China, %");
	d->panel[p0].ymin = 0;
	{
		/* steps of 10,000 (US); a state's smaller counts get a finer step */
		double step = 10000.0;
		while (step > 10 && top * 1.15 <= 2 * step)
			step /= 10;
		d->panel[p0].ymax = ceil(top * 1.15 / step) * step;
	}
	d->panel[p0].weight = 3;
	d->panel[p0].key = PLOT_KEY_BOTTOM_LEFT;
	d->panel[p1].ymin = 0;
	d->panel[p1].ymax = rmax > 0 ? ceil(rmax * 1.15 / 10.0) * 10.0 : 10;
	d->panel[p1].yfmt = PLOT_FMT_PERCENT;
	d->panel[p1].weight = 1.2;
	d->panel[p1].key = PLOT_KEY_TOP_LEFT;
	d->xmin = plot_time_of_month(first);
	d->xmax = plot_time_of_month(tc_month_from_index(tc_month_index(last) + 1));
	if (prov)
		plot_add_span(d, plot_time_of_month(prov), d->xmax, "provisional");
	for (int s = 0; s < 4; s++)
		snprintf(lab[s], sizeof(lab[s]), "%s, %s", s < 2 ? "all drugs" : ind,
			 s % 2 ? "predicted" : "reported");
	{
		for (int s = 0; s < 4; s++) {
			struct plot_series *ps;
			size_t have = 0;
			for (size_t i = 0; i < nm; i++)
				have += !isnan(y[s][i]);
			if (!have)
				continue;	/* --indicator all_drugs, or a vintage without predicted values */
			ps = plot_add_series(d, PLOT_LINES, lab[s], x, y[s], nm);
			ps->color = s < 2 ? C_BLUE : C_ORANGE;
			ps->dash = s % 2 ? 2 : 1;
			ps->width = s % 2 ? 1.5 : 2;
		}
	}
	{
		struct plot_series *ps = plot_add_series(d, PLOT_STEPS,
							 "effective tariff on imports from China", x, rate, nm);
		ps->panel = p1;
		ps->color = C_BLACK;
		ps->width = 1.5;
	}
	free(x);
	free(rate);
	for (int s = 0; s < 4; s++)
		free(y[s]);
	return 0;
}

/* ------------------------------------------------------------------ */
/* recipe 3: tariff-laffer                                              */

/*
** The Laffer curve of the headline scenario (REPORT_LAFFER_SCENARIO, the
** proposed 200% on China): the layer it changes swept over 0-300% with the
** baseline that scenario uses (its as-of date, partners and imports), and
** the revenue maximum `tocalc tariff run` reports for it (run_tariff.c).
*/
int plot_recipe_tariff_laffer(const struct plot_args *a, const struct report_result *r,
			      struct plot_desc *d, struct tc_err *err)
{
	const struct whatif_laffer *lc = &r->laffer;
	double *x, *rev, *imp, *rlo, *rhi, *ilo, *ihi, top = 0, itop = 0;
	char foot[600], buf[11], title[200], bandlab[120];
	size_t n;
	int p0, p1;

	(void)a;
	(void)err;
	n = lc->n;
	x = lc->rate;
	rev = xcalloc(n, sizeof(double));
	imp = xcalloc(n, sizeof(double));
	rlo = xcalloc(n, sizeof(double));
	rhi = xcalloc(n, sizeof(double));
	ilo = xcalloc(n, sizeof(double));
	ihi = xcalloc(n, sizeof(double));
	for (size_t i = 0; i < n; i++) {
		rev[i] = lc->rev[i] / 1000;
		imp[i] = lc->imp[i] / 1000;
		rlo[i] = lc->rev_lo[i] / 1000;
		rhi[i] = lc->rev_hi[i] / 1000;
		ilo[i] = lc->imp_lo[i] / 1000;
		ihi[i] = lc->imp_hi[i] / 1000;
		top = fmax(top, fmax(rev[i], rhi[i]));
		itop = fmax(itop, fmax(imp[i], ihi[i]));
	}

	plot_set_text(&d->name, "tariff_laffer");
	snprintf(title, sizeof(title), "Tariff revenue and imports from China as the China %s tariff "
		 "goes from %g%% to %g%%", !strcmp(lc->layer, "ieepa_fentanyl") ? "fentanyl" : lc->layer,
		 REPORT_LAFFER_FROM, REPORT_LAFFER_TO);
	plot_set_text(&d->title, title);
	plot_set_text(&d->xlabel, "statutory rate of the tariff layer (other duties in force unchanged)");
	snprintf(foot, sizeof(foot),
		 "Source: %d imports: %s; duties of %s (%s); %s model, elasticity %g, "
		 "substitution %g.", lc->year, r->pub_trade_cn[0] ? r->pub_trade_cn : "US Census Bureau",
		 tc_format_date(lc->as_of, buf), lc->scenario, tariff_model_name(lc->model), lc->p.eps,
		 lc->p.sigma);
	snprintf(bandlab, sizeof(bandlab), "90%% band: 5th-95th percentile of %d draws (seed %lu)",
		 REPORT_LAFFER_DRAWS, REPORT_MC_SEED);
	plot_set_text(&d->footnote, foot);
	/* secondary sources, from sources.csv kind (issue 15) */
	plot_set_text(&d->footnote2, r->sec_laffer[0] ? r->sec_laffer : NULL);
	d->xaxis = PLOT_X_NUMBER;
	d->xmin = REPORT_LAFFER_FROM;
	d->xmax = REPORT_LAFFER_TO;
	/* one quantity per panel, both in USD billion but never on two scales */
	p0 = plot_add_panel(d, "tariff revenue, all partners, USD billion");
	p1 = plot_add_panel(d, "imports from China, USD billion");
	d->panel[p0].ymin = 0;
	d->panel[p0].ymax = ceil(top * 1.15 / 20.0) * 20.0;
	d->panel[p0].key = PLOT_KEY_TOP_RIGHT;
	d->panel[p1].ymin = 0;
	d->panel[p1].ymax = ceil(itop * 1.1 / 100.0) * 100.0;
	d->panel[p1].key = PLOT_KEY_TOP_RIGHT;
	for (double t = 0; t <= REPORT_LAFFER_TO; t += 50) {
		char tl[16];
		snprintf(tl, sizeof(tl), "%g%%", t);
		plot_add_xtic(d, t, tl);
	}
	plot_add_xmarker(d, 10, "10%");
	plot_add_xmarker(d, 20, "20%");
	plot_add_xmarker(d, 200, "200% (proposed)");
	{
		struct plot_series *ps;
		ps = plot_add_band(d, bandlab, x, rlo, rhi, n);
		ps->color = C_BLUE;
		ps = plot_add_series(d, PLOT_LINES, "revenue", x, rev, n);
		ps->color = C_BLUE;
		if (lc->rm.rm.exists && isfinite(lc->rm.rate_pct)) {
			/* the maximum `tocalc tariff run` reports for the scenario, where it is */
			double mx = lc->rm.rate_pct, my = lc->rm.rm.revenue / 1000;
			char lab[96], g[40];
			const char *pt[1];
			snprintf(lab, sizeof(lab), "maximum: USD %s billion at %.0f%%",
				 plot_group_number(my, 0, g, sizeof(g)), mx);
			pt[0] = lab;
			ps = plot_add_series(d, PLOT_POINTS, NULL, &mx, &my, 1);
			ps->color = C_BLUE;
			ps->point = 7;
			plot_series_point_text(ps, pt);
		}
		ps = plot_add_band(d, bandlab, x, ilo, ihi, n);
		ps->panel = p1;
		ps->color = C_GREEN;
		ps = plot_add_series(d, PLOT_LINES, "imports", x, imp, n);
		ps->panel = p1;
		ps->color = C_GREEN;
	}
	free(rev);
	free(imp);
	free(rlo);
	free(rhi);
	free(ilo);
	free(ihi);
	return 0;
}

/* ------------------------------------------------------------------ */
/* recipe 4: scenarios                                                  */

int plot_recipe_scenarios(const struct plot_args *a, const struct report_result *r,
			  struct plot_desc *d, struct tc_err *err)
{
	const struct report_scenario *sc = r->sc;
	size_t n = r->nsc;
	double *x[3], *y[3], hh = NAN, top1 = 0, bot1 = 0, top2 = 0;
	char foot[400];
	int p0, p1;

	(void)a;
	(void)err;
	for (int k = 0; k < 3; k++) {
		x[k] = xcalloc(n, sizeof(double));
		y[k] = xcalloc(n, sizeof(double));
	}
	for (size_t i = 0; i < n; i++) {
		const struct tariff_totals *T = &sc[i].r.total;
		double h = sc[i].p.households;

		if (isnan(hh))
			hh = h;
		x[0][i] = (double)i + 1 - 0.16;
		x[1][i] = (double)i + 1 + 0.16;
		x[2][i] = (double)i + 1;
		y[0][i] = T->drev * 1e6 / h;		/* USD per household */
		y[1][i] = T->cost_per_household;	/* USD */
		y[2][i] = T->m1 / 1000;			/* USD billion */
		top1 = fmax(top1, fmax(y[0][i], y[1][i]));
		bot1 = fmin(bot1, fmin(y[0][i], y[1][i]));
		top2 = fmax(top2, y[2][i]);
		plot_add_xtic(d, (double)i + 1, sc[i].name);
	}

	plot_set_text(&d->name, "scenarios");
	plot_set_text(&d->title, "The documents' tariff scenarios: what households pay and what is "
		      "still imported");
	{
		char g[40];
		snprintf(foot, sizeof(foot),
			 "Source: each bar as 'tocalc tariff run NAME', all modelled partners; per "
			 "household: divided by %s US households (%s).", plot_group_number(hh, 0, g, sizeof(g)),
			 r->pub_households[0] ? r->pub_households : "US Census Bureau");
	}
	plot_set_text(&d->footnote, foot);
	/* secondary sources, from sources.csv kind (issue 15) */
	plot_set_text(&d->footnote2, r->sec_scenarios[0] ? r->sec_scenarios : NULL);
	footnote_line(d);
	d->xaxis = PLOT_X_NUMBER;
	d->xmin = 0.4;
	d->xmax = (double)n + 0.6;
	/* one unit per panel: USD per household above, USD billion below */
	p0 = plot_add_panel(d, "USD per US household");
	p1 = plot_add_panel(d, "imports after, USD billion");
	d->panel[p0].ymin = bot1 < 0 ? floor(bot1 * 1.2 / 500.0) * 500.0 : 0;
	d->panel[p0].ymax = ceil(top1 * 1.3 / 500.0) * 500.0;
	d->panel[p0].weight = 1.6;
	d->panel[p1].ymin = 0;
	d->panel[p1].ymax = ceil(top2 * 1.1 / 200.0) * 200.0;
	d->panel[p1].key = PLOT_KEY_NONE;
	{
		struct plot_series *ps;
		ps = plot_add_series(d, PLOT_BARS, "tariff revenue gained, per household", x[0], y[0], n);
		ps->color = C_BLUE;
		ps->bar_width = 0.3;
		ps = plot_add_series(d, PLOT_BARS, "cost to consumers, per household", x[1], y[1], n);
		ps->color = C_ORANGE;
		ps->bar_width = 0.3;
		ps = plot_add_series(d, PLOT_BARS, "imports after the change, USD billion", x[2], y[2], n);
		ps->panel = p1;
		ps->color = C_GREEN;
		ps->bar_width = 0.5;
	}
	for (int k = 0; k < 3; k++) {
		free(x[k]);
		free(y[k]);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* recipe 5: claims                                                     */

/*
** A dot plot, one row per claim with a claimed number: the computed value
** as a percentage of the claimed one (a filled mark, colour and shape by
** verdict), the claimed value at 100 (an open diamond) and the claim's
** tolerance as a grey bar around it (percentage points of a percent claim
** turned into % of the claim: claimed +/- tol over claimed).  The claim's
** id labels its row on the left, its verdict in a column on the right.
*/
int plot_recipe_claims(const struct plot_args *a, const struct report_result *rr,
		       struct plot_desc *d, struct tc_err *err)
{
	static const unsigned vcolor[] = { C_HOLDS, C_ROUGHLY, C_NOT };
	static const int vpoint[] = { 7, 9, 5 };	/* circle, triangle, square */
	const struct claims_run *run = &rr->claims;
	double *px[3], *py[3], *bx, *by, *cx, *cy, lo = 100, hi = 100;
	size_t np[3] = { 0, 0, 0 }, nb = 0, nc = 0, pos = 0, rows = 0;
	char cannot[400], noratio[400], foot[900], foot2[1000];
	size_t lc = 0, ln = 0;
	int ret = -1, marked = 0;

	(void)a;
	{
		size_t m = run->n ? run->n : 1;
		for (int v = 0; v < 3; v++) {
			px[v] = xcalloc(m, sizeof(double));
			py[v] = xcalloc(m, sizeof(double));
		}
		bx = xcalloc(3 * m, sizeof(double));
		by = xcalloc(3 * m, sizeof(double));
		cx = xcalloc(m, sizeof(double));
		cy = xcalloc(m, sizeof(double));
	}
	cannot[0] = noratio[0] = '\0';
	/* rows from the top: count the drawable claims first */
	for (size_t i = 0; i < run->n; i++) {
		const struct claim_result *r = &run->res[i];
		if (r->verdict != CV_CANNOT_CHECK && r->ncand && (int)r->verdict >= 0 &&
		    (int)r->verdict <= 2 && isfinite(r->c.claimed) && r->c.claimed != 0 &&
		    isfinite(r->cand[r->best]))
			rows++;
	}
	for (size_t i = 0; i < run->n; i++) {
		const struct claim_result *r = &run->res[i];
		double pct = NAN, tol, y, blo, bhi;
		int v = (int)r->verdict;
		struct plot_note *nt;

		if (r->verdict == CV_CANNOT_CHECK || !r->ncand || v < 0 || v > 2) {
			if (lc < sizeof(cannot))
				lc += (size_t)snprintf(cannot + lc, sizeof(cannot) - lc, "%s%s", lc ? ", " : "",
						       r->c.id);
			continue;
		}
		if (isfinite(r->c.claimed) && r->c.claimed != 0)
			pct = 100 * r->cand[r->best] / r->c.claimed;
		if (!isfinite(pct)) {
			if (ln < sizeof(noratio))
				ln += (size_t)snprintf(noratio + ln, sizeof(noratio) - ln, "%s%s", ln ? ", " : "",
						       r->c.id);
			continue;
		}
		y = (double)(rows - pos);
		pos++;
		px[v][np[v]] = pct;
		py[v][np[v]++] = y;
		cx[nc] = 100;
		cy[nc++] = y;
		tol = isfinite(r->c.tolerance) ? r->c.tolerance : 0;
		if (r->c.unit == CU_PERCENT)
			tol = 100 * tol / fabs(r->c.claimed);	/* points -> % of the claim */
		blo = 100 - tol;
		bhi = 100 + tol;
		if (tol > 0) {
			bx[nb] = blo;
			by[nb++] = y;
			bx[nb] = bhi;
			by[nb++] = y;
			bx[nb] = bhi;
			by[nb++] = NAN;
		}
		lo = fmin(lo, fmin(pct, blo));
		hi = fmax(hi, fmax(pct, bhi));
		if (r->secondary[0]) {
			/* cites a secondary source (claims_run.c, sources.csv kind): marked, named below */
			char lab[160];
			snprintf(lab, sizeof(lab), "%s \u2020", r->c.id);
			plot_add_ytic(d, y, lab);
			marked = 1;
		} else {
			plot_add_ytic(d, y, r->c.id);
		}
		nt = plot_add_note(d, 1.02, y, 0, claim_verdict_names[v]);
		nt->xgraph = 1;
	}
	if (!pos) {
		tc_fail(err, "plot claims: no claim with a computed value to plot");
		goto out;
	}

	plot_set_text(&d->name, "claims");
	plot_set_text(&d->title, "The documents' numeric claims against the data: the computed value "
		      "as % of the claimed one");
	plot_set_text(&d->xlabel, "computed value, % of the claimed value (100 = as claimed)");
	snprintf(foot, sizeof(foot), "Source: the documents' claims, judged by 'tocalc check' against "
		 "CDC NCHS final and VSRR counts and the tariff timeline. Diamond: the claim; bar: its "
		 "tolerance.");
	foot2[0] = '\0';
	{
		size_t o = 0;
		/* the secondary-source mark, as the other figures carry it (issue 15) */
		if (marked && rr->sec_claims[0])
			o += (size_t)snprintf(foot2, sizeof(foot2), "\u2020 %s%s", rr->sec_claims,
					      cannot[0] || noratio[0] ? " " : "");
		if ((cannot[0] || noratio[0]) && o < sizeof(foot2))
			o += (size_t)snprintf(foot2 + o, sizeof(foot2) - o, "Not shown:");
		if (cannot[0] && o < sizeof(foot2))
			o += (size_t)snprintf(foot2 + o, sizeof(foot2) - o, " %s (cannot be checked)%s", cannot,
					      noratio[0] ? ";" : ".");
		if (noratio[0] && o < sizeof(foot2))
			snprintf(foot2 + o, sizeof(foot2) - o, " %s (a year, not a number).", noratio);
	}
	plot_set_text(&d->footnote, foot);
	plot_set_text(&d->footnote2, foot2[0] ? foot2 : NULL);
	d->xaxis = PLOT_X_NUMBER;
	d->key = PLOT_KEY_NONE;
	d->lmargin = 30;
	d->rmargin = 16;
	d->ymin = 0.4;
	d->ymax = (double)rows + 0.6;
	d->xmin = floor(fmin(lo, 95) / 5) * 5;
	d->xmax = ceil(fmax(hi, 105) / 5) * 5;
	{
		struct plot_series *ps;
		if (nb) {
			ps = plot_add_series(d, PLOT_LINES, "tolerance", bx, by, nb);
			ps->color = C_BAND;
			ps->width = 7;
		}
		ps = plot_add_series(d, PLOT_POINTS, "claimed", cx, cy, nc);
		ps->color = C_GREY;
		ps->point = 12;	/* open diamond */
		ps->width = 1.4;
		for (int v = 0; v < 3; v++) {
			if (!np[v])
				continue;
			ps = plot_add_series(d, PLOT_POINTS, claim_verdict_names[v], px[v], py[v], np[v]);
			ps->color = vcolor[v];
			ps->point = vpoint[v];
			ps->width = 1.6;
		}
	}
	ret = 0;
out:
	for (int v = 0; v < 3; v++) {
		free(px[v]);
		free(py[v]);
	}
	free(bx);
	free(by);
	free(cx);
	free(cy);
	return ret;
}

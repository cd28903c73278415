/*
** test_recipes.c: the report's figures (src/plot_recipes.c), pure, no
** gnuplot.
**
** Each recipe reads a frozen copy of the datasets and scenario files
** (tests/data/recipes/data/, tests/data/recipes/scenarios/), so the golden
** scripts tests/data/recipes/NAME.gp change only when a recipe (or a
** model it calls) changes.  They were written once with
** TOCALC_UPDATE_GOLDEN=1 and read by hand: every text in $TXT, every
** number in $DATA, commands only referring to them.  When a dataset's
** schema changes, refresh the copy (cp datasets/NAME.csv
** tests/data/recipes/data/), rerun with TOCALC_UPDATE_GOLDEN=1 and review
** the diff of the goldens.
**
** Beside the goldens, the descriptions are checked against figures known
** independently of tocalc: the published NCHS counts, the dates of the
** events, the tariff rates in the Federal Register notices, the claims'
** own numbers.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "golden.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tocalc/cmd.h"
#include "tocalc/plot.h"
#include "tocalc/report.h"
#include "tocalc/run_report.h"
#include "tocalc/data_schema.h"

#define FIXTURE "tests/data/recipes/"

static struct tc_ctx ctx;


static void setup_ctx(void)
{
	memset(&ctx, 0, sizeof(ctx));
	ctx.data_dir = FIXTURE "data";
	ctx.share_dir = NULL;
	ctx.fmt = OUT_TABLE;
	ctx.quiet = 1;
}

/* Build a recipe's description with the frozen data. */
static void build_recipe(const char *name, struct plot_desc *d)
{
	const struct plot_recipe *r = plot_recipe_find(name);
	struct plot_args a;
	struct tc_err err;

	struct report_result res;

	assert_non_null(r);
	memset(&a, 0, sizeof(a));
	plot_desc_init(d);
	tc_err_init(&err);
	report_result_init(&res);
	if (report_run(ctx.data_dir, FIXTURE "scenarios", FIXTURE "scenarios", r->needs, &res, &err))
		fail_msg("recipe %s: run: %s", name, err.msg);
	if (r->build(&a, &res, d, &err))
		fail_msg("recipe %s: %s", name, err.msg);
	report_result_release(&res);
}

static void golden(const char *name)
{
	struct plot_desc d;
	struct tc_err err;
	char path[128], *script;
	size_t len;

	build_recipe(name, &d);
	tc_err_init(&err);
	if (plot_script_build(&d, PLOT_TERM_SVG, NULL, &script, &len, &err))
		fail_msg("%s: %s", name, err.msg);
	snprintf(path, sizeof(path), "%s.gp", name);
	check_golden(FIXTURE, path, script, len);
	/* the same description twice gives the same script */
	{
		struct plot_desc d2;
		char *s2;
		size_t l2;
		build_recipe(name, &d2);
		assert_int_equal(plot_script_build(&d2, PLOT_TERM_SVG, NULL, &s2, &l2, &err), 0);
		assert_int_equal(l2, len);
		assert_memory_equal(s2, script, len);
		free(s2);
		plot_desc_release(&d2);
	}
	free(script);
	plot_desc_release(&d);
}

static const struct plot_series *find_series(const struct plot_desc *d, const char *label)
{
	for (size_t k = 0; k < d->nseries; k++)
		if (d->series[k]->label && !strcmp(d->series[k]->label, label))
			return d->series[k];
	fail_msg("no series '%s'", label);
	return NULL;
}

static double y_at(const struct plot_series *s, double x)
{
	for (size_t i = 0; i < s->n; i++)
		if (fabs(s->x[i] - x) < 1e-9)
			return s->y[i];
	fail_msg("no point at x = %g", x);
	return NAN;
}

/* ------------------------------------------------------------------ */

static void test_table(void **state)
{
	(void)state;
	/* every figure of the report is a recipe; the five dataset recipes are figures */
	assert_int_equal(report_nfigures, 5);
	for (size_t i = 0; i < report_nfigures; i++) {
		const struct plot_recipe *r = plot_recipe_find(report_figures[i].recipe);
		char file[64];
		assert_non_null(r);
		assert_false(r->args & PLOT_ARG_FILE);
		snprintf(file, sizeof(file), "%s.svg", r->name);
		assert_string_equal(report_figures[i].file, file);
		assert_true(strlen(report_figures[i].caption) > 40);
		assert_true(strlen(report_figures[i].source) > 10);
	}
	assert_int_equal(plot_nrecipes, 7);	/* the five figures, effective-rates, series */
	assert_non_null(plot_recipe_find("series"));
}

static void test_golden_overdose_deaths(void **state)
{
	(void)state;
	golden("overdose-deaths");
}

static void test_golden_vsrr_12mo(void **state)
{
	(void)state;
	golden("vsrr-12mo");
}

static void test_golden_tariff_laffer(void **state)
{
	(void)state;
	golden("tariff-laffer");
}

static void test_golden_scenarios(void **state)
{
	(void)state;
	golden("scenarios");
}

static void test_golden_claims(void **state)
{
	(void)state;
	golden("claims");
}

/* NCHS data briefs: 16,849 deaths in 1999, 107,941 in 2022 (all drugs); 73,838 synthetic in 2022. */
static void test_overdose_values(void **state)
{
	struct plot_desc d;
	const struct plot_series *all, *syn, *w;
	static const struct {
		double x;
		const char *label;
	} events[] = {
		/* mid-day fraction of the year: 2019-05-01 is day 121 of 365 */
		{ 2019 + 120.5 / 365, "2019 class-wide scheduling" },
		{ 2023 + 318.5 / 365, "2023 cooperation resumes" },	/* 2023-11-15 */
		{ 2025 + 34.5 / 365, "2025 tariffs" },			/* 2025-02-04 */
		{ 2026 + 50.5 / 365, "2026 tariffs voided" },		/* 2026-02-20 */
	};

	(void)state;
	build_recipe("overdose-deaths", &d);
	all = find_series(&d, "all drugs, final (NCHS)");
	syn = find_series(&d, "synthetic opioids, final (NCHS)");
	assert_int_equal(all->n, 25);		/* 1999-2023 */
	assert_true(y_at(all, 1999.5) == 16849);
	assert_true(y_at(all, 2022.5) == 107941);
	assert_true(y_at(syn, 2022.5) == 73838);
	/* 2024 is the CDC WONDER count, drawn apart */
	w = find_series(&d, "all drugs, final count from CDC WONDER");
	assert_int_equal(w->n, 1);
	assert_true(w->x[0] == 2024.5 && w->y[0] == 79384);
	assert_int_not_equal(w->style, all->style);
	/* VSRR provisional: 12 months ending Dec 2024 sits on the 2024 total's x */
	assert_true(y_at(find_series(&d, "all drugs, VSRR provisional (12 months ending, predicted)"),
			 2024.5) == 81711);
	/* the four events, in order, at their dates */
	assert_int_equal(d.nmarkers, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(d.markers[i]->label, events[i].label);
		assert_true(fabs(d.markers[i]->at - events[i].x) < 1e-12);
	}
	/* the fits exist and pass near the data (within 15% everywhere) */
	{
		const struct plot_series *f = NULL;
		for (size_t k = 0; k < d.nseries; k++)
			if (d.series[k]->label && !strncmp(d.series[k]->label, "all drugs, joinpoint fit", 24))
				f = d.series[k];
		assert_non_null(f);
		assert_int_equal(f->n, 26);
		for (size_t i = 0; i < 25; i++)
			assert_true(fabs(f->y[i] / all->y[i] - 1) < 0.15);
	}
	plot_desc_release(&d);
}

/*
** The stacked all-goods rate on China at the end of each month:
** 0 before the IEEPA tariffs (Section 301 covers product lists only),
** 10% from 2025-02-04 (EO 14195), 20% from 2025-03-04 (EO 14228),
** 20 + 125 = 145% at the end of April 2025 (EO 14266), 20 + 10 = 30% after
** the Geneva deal of 2025-05-14 (EO 14298).
*/
static void test_vsrr_tariff(void **state)
{
	struct plot_desc d;
	const struct plot_series *t;
	double dec24, jan25, feb25, mar25;

	(void)state;
	build_recipe("vsrr-12mo", &d);
	t = find_series(&d, "effective tariff on imports from China");
	assert_int_equal(t->style, PLOT_STEPS);
	/* its own panel under the counts, never a second axis */
	assert_int_equal(d.npanels, 2);
	assert_int_equal(t->axis, PLOT_Y1);
	assert_int_equal(t->panel, 1);
	assert_int_equal(find_series(&d, "all drugs, reported")->panel, 0);
	/* no layer is recorded before 2017: 0, not a guess */
	assert_true(y_at(t, plot_time_of_month(201501)) == 0);
	assert_true(y_at(t, plot_time_of_month(201612)) == 0);
	/* end of 2024: within 2 points of Census's calculated duty over imports from China,
	   46,661,215,871 / 429,425,828,419 = 10.866% (Section 301 exclusions are not modelled) */
	dec24 = y_at(t, plot_time_of_month(202412));
	assert_true(fabs(dec24 - 100.0 * 46661215871.0 / 429425828419.0) < 2);
	/* EO 14195: 10% on all goods from 2025-02-04, nothing else changed in February */
	jan25 = y_at(t, plot_time_of_month(202501));
	feb25 = y_at(t, plot_time_of_month(202502));
	assert_true(fabs(feb25 - jan25 - 10) < 1e-9);
	/* EO 14228: the fentanyl layer to 20% from 2025-03-04 (232 steel and aluminium rose too) */
	mar25 = y_at(t, plot_time_of_month(202503));
	assert_true(mar25 - feb25 >= 10 - 1e-9);
	/* CDC VSRR: 12 months ending Jan 2015, 47,523 reported, 48,060 predicted */
	assert_true(y_at(find_series(&d, "all drugs, reported"), plot_time_of_month(201501)) == 47523);
	assert_true(y_at(find_series(&d, "all drugs, predicted"), plot_time_of_month(201501)) == 48060);
	/* 2015-01 to 2025-09: 129 months for each of the four lines */
	assert_int_equal(find_series(&d, "synthetic opioids, predicted")->n, 129);
	/* the provisional span starts with the first provisional month */
	assert_int_equal(d.nspans, 1);
	assert_true(d.spans[0]->x0 == plot_time_of_month(202401));
	plot_desc_release(&d);
}

static void test_laffer(void **state)
{
	struct plot_desc d;
	const struct plot_series *rev, *imp, *band;

	(void)state;
	build_recipe("tariff-laffer", &d);
	rev = find_series(&d, "revenue");
	imp = find_series(&d, "imports");
	assert_int_equal(d.npanels, 2);
	assert_int_equal(rev->panel, 0);
	assert_int_equal(imp->panel, 1);
	band = d.series[0];	/* the revenue band, drawn first in the top panel */
	assert_int_equal(band->style, PLOT_BAND);
	assert_int_equal(band->panel, 0);
	assert_string_equal(band->label, "90% band: 5th-95th percentile of 1000 draws (seed 1)");
	assert_int_equal(rev->n, 61);		/* 0, 5, ..., 300 */
	assert_true(rev->x[0] == 0 && rev->x[60] == 300);
	/* the scenario's own baseline (china-200: the fentanyl layer at 10% on 2025-02-10): imports
	   are the 2024 base, USD 438.9 billion (trade.csv) */
	assert_true(rev->x[2] == 10);
	assert_true(fabs(imp->y[2] - 438.9) < 1e-9);
	for (size_t i = 0; i < rev->n; i++) {
		/* imports fall as the tariff rises */
		if (i)
			assert_true(imp->y[i] < imp->y[i - 1]);
		/* the band holds the point estimate (a 90% band of the draws around the median) */
		assert_true(band->y[i] <= band->y2[i]);
		assert_true(rev->y[i] >= 0);
	}
	/* revenue rises, then falls: a Laffer curve with an interior maximum */
	{
		size_t top = 0;
		for (size_t i = 1; i < rev->n; i++)
			if (rev->y[i] > rev->y[top])
				top = i;
		assert_true(top > 0 && top < rev->n - 1);
	}
	/* 10%, 20% and 200% marked */
	assert_int_equal(d.nmarkers, 3);
	assert_true(d.markers[0]->at == 10 && d.markers[1]->at == 20 && d.markers[2]->at == 200);
	plot_desc_release(&d);
}

static void test_scenarios(void **state)
{
	struct plot_desc d;
	static const char *const names[] = { "canada-35", "china-10", "china-20", "china-200",
					     "mexico-canada-25", "package-2025" };
	const struct plot_series *cost;

	(void)state;
	build_recipe("scenarios", &d);
	assert_int_equal(d.nxtics, TC_ARRAY_SIZE(names));
	for (size_t i = 0; i < d.nxtics; i++)
		assert_string_equal(d.xtics[i]->label, names[i]);
	assert_int_equal(d.nseries, 3);
	for (size_t k = 0; k < 3; k++) {
		assert_int_equal(d.series[k]->style, PLOT_BARS);
		assert_int_equal(d.series[k]->n, TC_ARRAY_SIZE(names));
	}
	/* USD per household above, imports after in USD billion in a panel of their own */
	assert_int_equal(d.npanels, 2);
	assert_int_equal(d.series[0]->panel, 0);
	assert_int_equal(d.series[1]->panel, 0);
	assert_int_equal(d.series[2]->panel, 1);
	/* at most the 2024 base of CN, MX, CA and the rest of the world,
	   438.9 + 505.9 + 413.0 + 1,909.9 = 3,267.7 USD billion (trade.csv) */
	for (size_t i = 0; i < d.series[2]->n; i++)
		assert_true(d.series[2]->y[i] > 0 && d.series[2]->y[i] <= 3267.7 + 1e-9);
	/* a higher tariff on China costs households more: 200% > 20% > 0 */
	cost = find_series(&d, "cost to consumers, per household");
	assert_true(cost->y[3] > cost->y[2] && cost->y[2] > 0);
	plot_desc_release(&d);
}

static void test_claims(void **state)
{
	struct plot_desc d;
	const struct plot_series *holds, *not;

	(void)state;
	build_recipe("claims", &d);
	/* 15 claims: 3 cannot be checked (the 200% proposal rests only on the document making it),
	   1 has no claimed number (a year): 11 rows */
	assert_int_equal(d.nytics, 11);
	assert_string_equal(d.ytics[0]->label, "fentanyl-tariff-20");
	assert_true(d.ytics[0]->at == 11);	/* the first claim on the top row */
	assert_string_equal(d.ytics[6]->label, "fentanyl-76k-2022");
	/* the verdict column: one note per row */
	assert_int_equal(d.nnotes, 11);
	assert_string_equal(d.notes[6]->text, "does not hold");
	assert_true(d.notes[6]->xgraph && d.notes[6]->y == d.ytics[6]->at);
	holds = find_series(&d, "holds");
	/* the four tariff claims, nearly 19% and 75,000 a year */
	assert_int_equal(holds->n, 6);
	/* the tariff claims are exact: computed = 100% of claimed */
	for (size_t i = 0; i < 4; i++)
		assert_true(holds->x[i] == 100);
	/* 73,838 final synthetic-opioid deaths in 2022 against "more than 76,000" */
	not = find_series(&d, "does not hold");
	assert_int_equal(not->n, 1);
	assert_true(fabs(not->x[0] - 100 * 73838.0 / 76000.0) < 1e-12);
	/* its tolerance bar: 1% of the claim either side of 100 */
	{
		const struct plot_series *band = find_series(&d, "tolerance");
		int found = 0;
		for (size_t i = 0; i + 1 < band->n; i++)
			if (band->y[i] == not->y[0] && band->y[i + 1] == not->y[0])
				found = band->x[i] == 99 && band->x[i + 1] == 101;
		assert_true(found);
	}
	/* od-fall-17pct: -16.33 against -17, 0.5 points: 100 +/- 0.5/17 x 100 */
	assert_non_null(strstr(d.footnote2, "cooperation-sold-3-times"));
	assert_non_null(strstr(d.footnote2, "od-first-decline-since-2018"));
	plot_desc_release(&d);
}

/* ------------------------------------------------------------------ */
/* what every figure must be (issue 16)                                 */

static const char *const figure_names[] = { "overdose-deaths", "vsrr-12mo", "tariff-laffer",
					    "scenarios", "claims" };

/* WCAG relative luminance of an sRGB colour: its grey in a greyscale print. */
static double luminance(unsigned rgb)
{
	double c[3];

	for (int k = 0; k < 3; k++) {
		double v = (double)((rgb >> (16 - 8 * k)) & 0xff) / 255;
		c[k] = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
	}
	return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/* Hand-computed: white 1, black 0, Okabe-Ito blue 0.152, orange 0.416. */
static void test_luminance(void **state)
{
	(void)state;
	assert_true(fabs(luminance(0xffffff) - 1) < 1e-12);
	assert_true(luminance(0) == 0);
	assert_true(fabs(luminance(0x0072b2) - 0.152) < 0.001);
	assert_true(fabs(luminance(0xe69f00) - 0.416) < 0.001);
	/* vermillion and blue, the pair the figures used to rely on, are too close */
	assert_true(fabs(luminance(0xd55e00) - luminance(0x0072b2)) < 0.1);
}

/*
** Greyscale: two legend entries of one panel drawn alike (same style, dash
** and point) must differ in luminance by at least 0.1; every colour is
** one of the Okabe-Ito palette (or grey).
*/
static void test_figures_greyscale(void **state)
{
	static const unsigned ok[] = { 0x0072b2, 0xe69f00, 0x009e73, 0x000000, 0x666666, 0xd0d0d0,
				       0x56b4e9, 0xcc79a7, 0xd55e00, 0xf0e442 };
	(void)state;
	for (size_t f = 0; f < TC_ARRAY_SIZE(figure_names); f++) {
		struct plot_desc d;
		build_recipe(figure_names[f], &d);
		for (size_t a = 0; a < d.nseries; a++) {
			const struct plot_series *s = d.series[a];
			unsigned ca = s->color & 0xffffffu;
			int known = 0;
			for (size_t k = 0; k < TC_ARRAY_SIZE(ok); k++)
				known |= ca == ok[k];
			if (!known)
				fail_msg("%s: series '%s' colour #%06x is not of the palette", figure_names[f],
					 s->label ? s->label : "", ca);
			for (size_t b = a + 1; b < d.nseries; b++) {
				const struct plot_series *t = d.series[b];
				unsigned cb = t->color & 0xffffffu;
				if (!s->label || !t->label || s->panel != t->panel || ca == cb ||
				    s->style != t->style || s->dash != t->dash || s->point != t->point)
					continue;
				if (fabs(luminance(ca) - luminance(cb)) < 0.1)
					fail_msg("%s: '%s' and '%s' look alike in greyscale (#%06x, #%06x)",
						 figure_names[f], s->label, t->label, ca, cb);
			}
		}
		plot_desc_release(&d);
	}
}

/*
** The script of every figure: no second y axis, every y tic label of a
** number from 10,000 up has separators, and the source line names no
** file and no path.
*/
static void test_figures_rules(void **state)
{
	(void)state;
	for (size_t f = 0; f < TC_ARRAY_SIZE(figure_names); f++) {
		struct plot_desc d;
		struct tc_err err;
		char *script;
		size_t len;
		const char *foot[2];

		build_recipe(figure_names[f], &d);
		tc_err_init(&err);
		if (plot_script_build(&d, PLOT_TERM_SVG, NULL, &script, &len, &err))
			fail_msg("%s: %s", figure_names[f], err.msg);
		if (strstr(script, "y2tics") || strstr(script, "x1y2") || strstr(script, "y2label"))
			fail_msg("%s: a second y axis", figure_names[f]);
		for (size_t k = 0; k < d.nseries; k++)
			assert_int_equal(d.series[k]->axis, PLOT_Y1);
		/* explicit tic lists: every label of a number >= 10,000 is grouped */
		for (const char *p = script; (p = strstr(p, "tics (")); p++) {
			const char *e = strchr(p, ')');
			for (const char *q = p; q && q < e; q = strchr(q + 1, '\'')) {
				char lab[64];
				size_t n;
				if (*q != '\'')
					continue;
				n = strcspn(q + 1, "'");
				snprintf(lab, sizeof(lab), "%.*s", (int)n, q + 1);
				q += n + 1;
				if (strspn(lab, "0123456789") >= 5)
					fail_msg("%s: tic label '%s' has no thousands separator", figure_names[f], lab);
			}
		}
		/* no tic left to gnuplot's format where the values reach 10,000 */
		assert_null(strstr(script, "set format y '%.0f'"));
		foot[0] = d.footnote;
		foot[1] = d.footnote2;
		for (int k = 0; k < 2; k++) {
			if (!foot[k])
				continue;
			if (strstr(foot[k], ".csv") || strstr(foot[k], ".scn") || strchr(foot[k], '/'))
				fail_msg("%s: the source line names a file or path: %s", figure_names[f], foot[k]);
		}
		assert_non_null(d.footnote);
		assert_true(!strncmp(d.footnote, "Source: ", 8) || !strncmp(d.footnote, "Model: ", 7));
		free(script);
		plot_desc_release(&d);
	}
}

/* The tic labels themselves, through plot_group_number: hand-written answers. */
static void test_group_number(void **state)
{
	char b[48];

	(void)state;
	assert_string_equal(plot_group_number(180000, 0, b, sizeof(b)), "180,000");
	assert_string_equal(plot_group_number(73838, 0, b, sizeof(b)), "73,838");
	assert_string_equal(plot_group_number(9999, 0, b, sizeof(b)), "9,999");
	assert_string_equal(plot_group_number(-1234567.25, 2, b, sizeof(b)), "-1,234,567.25");
	assert_string_equal(plot_group_number(-0.0, 0, b, sizeof(b)), "0");
	assert_string_equal(plot_group_number(999, 1, b, sizeof(b)), "999.0");
}

/*
** A recipe is a pure function of the result: built from a hand-made
** report_result (no datasets, no files), the scenarios figure holds the
** numbers derived by hand from it.  Two scenarios, 100,000,000
** households: "a" gains USD 5,000 million of revenue (5e9 / 1e8 = USD 50
** per household), costs USD 80 per household and leaves USD 250,000
** million of imports (250 billion); "b" loses USD 1,000 million (-10 per
** household), costs 20 and leaves 1,500 million (1.5 billion).
*/
static void test_pure_scenarios(void **state)
{
	const struct plot_recipe *r = plot_recipe_find("scenarios");
	struct report_result res;
	struct report_scenario sc[2];
	struct plot_args a;
	struct plot_desc d;
	struct tc_err err;
	const struct plot_series *gain, *cost, *imp;
	char na[] = "a", nb[] = "b";

	(void)state;
	report_result_init(&res);
	memset(sc, 0, sizeof(sc));
	sc[0].name = na;
	sc[1].name = nb;
	sc[0].p.households = sc[1].p.households = 1e8;
	sc[0].r.total.drev = 5000;
	sc[0].r.total.cost_per_household = 80;
	sc[0].r.total.m1 = 250000;
	sc[1].r.total.drev = -1000;
	sc[1].r.total.cost_per_household = 20;
	sc[1].r.total.m1 = 1500;
	res.sc = sc;
	res.nsc = 2;
	snprintf(res.pub_households, sizeof(res.pub_households), "Hand Bureau");
	res.have = RR_SCENARIOS | RR_SOURCES;
	assert_true((r->needs & ~res.have) == 0);
	memset(&a, 0, sizeof(a));
	plot_desc_init(&d);
	tc_err_init(&err);
	assert_int_equal(r->build(&a, &res, &d, &err), 0);
	gain = find_series(&d, "tariff revenue gained, per household");
	cost = find_series(&d, "cost to consumers, per household");
	imp = find_series(&d, "imports after the change, USD billion");
	assert_int_equal(gain->n, 2);
	assert_true(gain->y[0] == 50 && gain->y[1] == -10);
	assert_true(cost->y[0] == 80 && cost->y[1] == 20);
	assert_true(imp->y[0] == 250 && imp->y[1] == 1.5);
	assert_int_equal(imp->panel, 1);
	assert_int_equal(d.nxtics, 2);
	assert_string_equal(d.xtics[0]->label, "a");
	assert_string_equal(d.xtics[1]->label, "b");
	assert_non_null(strstr(d.footnote, "divided by 100,000,000 US households (Hand Bureau)"));
	assert_null(d.footnote2);	/* no secondary source */
	plot_desc_release(&d);

	/* a secondary source says so in the second footnote line */
	snprintf(res.sec_scenarios, sizeof(res.sec_scenarios), "Secondary sources: Hand Blog.");
	plot_desc_init(&d);
	assert_int_equal(r->build(&a, &res, &d, &err), 0);
	assert_string_equal(d.footnote2, "Secondary sources: Hand Blog.");
	plot_desc_release(&d);
}

/* Copy the frozen datasets to dir and add a sources.csv (body) of our own. */
static void data_with_sources(const char *dir, const char *body)
{
	static const char *const files[] = { "claims.csv", "events.csv", "overdose_12mo.csv",
					     "overdose_annual.csv", "parameters.csv",
					     "tariff_coverage.csv", "tariffs.csv", "trade.csv" };
	char from[512], to[512], buf[8192];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *in, *out;
		size_t n;
		snprintf(from, sizeof(from), FIXTURE "data/%s", files[i]);
		snprintf(to, sizeof(to), "%s/%s", dir, files[i]);
		in = fopen(from, "rb");
		out = fopen(to, "wb");
		assert_non_null(in);
		assert_non_null(out);
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			assert_int_equal(fwrite(buf, 1, n, out), n);
		fclose(in);
		assert_int_equal(fclose(out), 0);
	}
	snprintf(to, sizeof(to), "%s/sources.csv", dir);
	{
		FILE *out = fopen(to, "w");
		assert_non_null(out);
		fputs("id,title,publisher,url,accessed,note,kind\n", out);
		fputs(body, out);
		assert_int_equal(fclose(out), 0);
	}
}

/*
** Issue 15: the secondary-source mark comes from sources.csv's kind.  In
** the frozen overdose_annual.csv the final all-drug counts of 2001, 2002,
** 2006 and 2009 cite wonder-wiki-mirror alone (every other row cites at
** least one other id); the tariff rows of CN/ALL that cite cargos-s301
** alone exist too.  Marked secondary, those two make the lines below;
** marked primary, the lines are empty.
*/
static void test_secondary_sources(void **state)
{
	char dir[] = "/tmp/tocalc-test-recipes-XXXXXX";
	struct report_result res;
	struct tc_err err;
	char cmd[600];

	(void)state;
	assert_non_null(mkdtemp(dir));
	data_with_sources(dir,
		"wonder-wiki-mirror,a mirror,Wiki Mirror (copy of CDC WONDER),,,,secondary\n"
		"cargos-s301,a list,cargos.example,,,,secondary\n");
	report_result_init(&res);
	tc_err_init(&err);
	assert_int_equal(report_run(dir, NULL, NULL, RR_SOURCES, &res, &err), 0);
	assert_string_equal(res.sec_deaths, "Deaths from secondary sources only: all_drugs "
			    "2001-2002, 2006, 2009 (see 'tocalc data show sources').");
	assert_string_equal(res.sec_vsrr, "Secondary sources (no primary publication found): "
			    "cargos.example.");
	report_result_release(&res);

	data_with_sources(dir,
		"wonder-wiki-mirror,a mirror,Wiki Mirror,,,,primary\n"
		"cargos-s301,a list,cargos.example,,,,primary\n");
	tc_err_init(&err);
	assert_int_equal(report_run(dir, NULL, NULL, RR_SOURCES, &res, &err), 0);
	assert_string_equal(res.sec_deaths, "");
	assert_string_equal(res.sec_vsrr, "");
	report_result_release(&res);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/*
** Issue 15 item 4: `plot vsrr-12mo --indicator heroin --vintage 2019-04-24`.
** The selection goes in report_result.sel; the numbers are CDC's, read by
** hand from the raw download of 2019-04-24 (../shared/data/vsrr_2019_download.csv):
**   line  9901  US,2018,September,...,Heroin (T40.1),14830,...,*,15415
**   line 10171  US,2018,September,...,Number of Drug Overdose Deaths,67152,...,*,69894
** The shipped datasets/vsrr/2019-04-24.csv holds the US rows of that file.
*/
static void test_vsrr_selection(void **state)
{
	const struct plot_recipe *r = plot_recipe_find("vsrr-12mo");
	struct plot_args a;
	struct plot_desc d;
	struct report_result res;
	struct tc_err err;
	double sep18 = plot_time_of_month(201809);

	(void)state;
	memset(&a, 0, sizeof(a));
	plot_desc_init(&d);
	tc_err_init(&err);
	report_result_init(&res);
	res.sel.indicator = "heroin";
	res.sel.vintage = "2019-04-24";
	if (report_run("datasets", NULL, NULL, r->needs, &res, &err))
		fail_msg("run: %s", err.msg);
	assert_int_equal(r->build(&a, &res, &d, &err), 0);
	report_result_release(&res);
	assert_true(y_at(find_series(&d, "heroin, reported"), sep18) == 14830);
	assert_true(y_at(find_series(&d, "heroin, predicted"), sep18) == 15415);
	assert_true(y_at(find_series(&d, "all drugs, reported"), sep18) == 67152);
	assert_true(y_at(find_series(&d, "all drugs, predicted"), sep18) == 69894);
	assert_non_null(find_series(&d, "effective tariff on imports from China"));
	assert_non_null(strstr(d.title, "US overdose deaths"));
	assert_non_null(strstr(d.footnote, "download of 2019-04-24"));
	for (size_t k = 0; k < d.nseries; k++)
		assert_true(!d.series[k]->label || !strstr(d.series[k]->label, "synthetic"));
	plot_desc_release(&d);

	/* a vintage that is not kept: a data error naming what is there */
	report_result_init(&res);
	res.sel.vintage = "2001-01-01";
	tc_err_init(&err);
	assert_int_equal(report_run("datasets", NULL, NULL, RR_VSRR, &res, &err), -1);
	assert_non_null(strstr(err.msg, "no VSRR vintage 2001-01-01"));
	report_result_release(&res);
}

/* The one "all secondary" rule (data_overdose.c): every id secondary, at least one id. */
static void test_all_secondary(void **state)
{
	char dir[] = "/tmp/tocalc-test-recipes-XXXXXX";
	struct tcsv_table src;
	struct tc_err err;
	char cmd[600];

	(void)state;
	assert_non_null(mkdtemp(dir));
	data_with_sources(dir, "p1,a,Pub One,,,,primary\n" "s1,b,Sec One,,,,secondary\n"
			  "s2,c,Sec Two,,,,secondary\n");
	tc_err_init(&err);
	assert_int_equal(dataset_load(&src, dir, "sources", &err), 0);
	assert_int_equal(od_ids_all_secondary(&src, "s1"), 1);
	assert_int_equal(od_ids_all_secondary(&src, "s1;s2"), 1);
	assert_int_equal(od_ids_all_secondary(&src, "s1;p1"), 0);
	assert_int_equal(od_ids_all_secondary(&src, "p1"), 0);
	assert_int_equal(od_ids_all_secondary(&src, "s1;unknown"), 0);	/* not in sources.csv */
	assert_int_equal(od_ids_all_secondary(&src, "s"), 0);	/* a prefix is not an id */
	assert_int_equal(od_ids_all_secondary(&src, ""), 0);
	assert_int_equal(od_ids_all_secondary(&src, NULL), 0);
	tcsv_table_release(&src);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Missing data are errors that name the file, not crashes or empty plots. */
static void test_errors(void **state)
{
	const struct plot_recipe *r = plot_recipe_find("scenarios");
	struct report_result res;
	struct tc_err err;

	(void)state;
	report_result_init(&res);
	tc_err_init(&err);
	assert_int_equal(report_run(ctx.data_dir, FIXTURE "no-such-dir", NULL, r->needs, &res, &err), -1);
	assert_non_null(strstr(err.msg, "no-such-dir"));
	report_result_release(&res);

	/* no scenario directory known at all: a usage error */
	tc_err_init(&err);
	assert_int_equal(report_run(ctx.data_dir, NULL, NULL, r->needs, &res, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
	report_result_release(&res);

	/* no datasets there */
	r = plot_recipe_find("overdose-deaths");
	tc_err_init(&err);
	assert_int_equal(report_run(FIXTURE "scenarios", NULL, NULL, r->needs, &res, &err), -1);
	assert_non_null(strstr(err.msg, "overdose_annual"));
	report_result_release(&res);
}

/* The trends behind the figure and the report table. */
static void test_trends(void **state)
{
	struct report_trends tr;
	struct tc_err err;

	(void)state;
	tc_err_init(&err);
	assert_int_equal(report_trends_compute(ctx.data_dir, &tr, &err), 0);
	for (int k = 0; k < REPORT_NSERIES; k++) {
		const struct report_series *s = &tr.s[k];
		const struct jp_model *m = jp_selected_model(&s->jp);
		assert_int_equal(s->n, 26);
		assert_true(s->year[0] == 1999 && s->year[25] == 2024);
		assert_int_equal(s->wonder[25], 1);
		assert_int_equal(s->wonder[24], 0);
		/* AAPC over 1999-2024 is the geometric mean of the fitted growth:
		   100 ((fit 2024 / fit 1999)^(1/25) - 1) */
		assert_true(fabs(s->aapc.aapc - 100 * (pow(m->fitted[25] / m->fitted[0], 1.0 / 25) - 1)) <
			    1e-6);
		assert_true(s->aapc.lower < s->aapc.aapc && s->aapc.aapc < s->aapc.upper);
	}
	/* deaths grew over the period: 16,849 to 79,384 is +6.4% a year on the raw data */
	assert_true(tr.s[REPORT_ALL_DRUGS].aapc.aapc > 4 && tr.s[REPORT_ALL_DRUGS].aapc.aapc < 9);
	report_trends_release(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_golden_overdose_deaths),
		cmocka_unit_test(test_golden_vsrr_12mo),
		cmocka_unit_test(test_golden_tariff_laffer),
		cmocka_unit_test(test_golden_scenarios),
		cmocka_unit_test(test_golden_claims),
		cmocka_unit_test(test_overdose_values),
		cmocka_unit_test(test_vsrr_tariff),
		cmocka_unit_test(test_laffer),
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_claims),
		cmocka_unit_test(test_luminance),
		cmocka_unit_test(test_figures_greyscale),
		cmocka_unit_test(test_figures_rules),
		cmocka_unit_test(test_group_number),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_pure_scenarios),
		cmocka_unit_test(test_secondary_sources),
		cmocka_unit_test(test_vsrr_selection),
		cmocka_unit_test(test_all_secondary),
		cmocka_unit_test(test_trends),
	};

	gsl_set_error_handler_off();
	setup_ctx();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

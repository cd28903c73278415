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

	assert_non_null(r);
	memset(&a, 0, sizeof(a));
	a.scenarios = FIXTURE "scenarios";
	plot_desc_init(d);
	tc_err_init(&err);
	if (r->build(&a, &ctx, d, &err))
		fail_msg("recipe %s: %s", name, err.msg);
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
	assert_int_equal(plot_nrecipes, 6);
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
	static const struct {
		long month;
		double rate;
	} want[] = {
		{ 201501, 0 }, { 201807, 0 }, { 201909, 0 }, { 202501, 0 }, { 202502, 10 },
		{ 202503, 20 }, { 202504, 145 }, { 202505, 30 }, { 202508, 30 },
	};

	(void)state;
	build_recipe("vsrr-12mo", &d);
	t = find_series(&d, "tariff on China in force (right axis)");
	assert_int_equal(t->style, PLOT_STEPS);
	assert_int_equal(t->axis, PLOT_Y2);
	for (size_t i = 0; i < TC_ARRAY_SIZE(want); i++) {
		double got = y_at(t, plot_time_of_month(want[i].month));
		if (got != want[i].rate)
			fail_msg("tariff at the end of %ld: %g, want %g", want[i].month, got, want[i].rate);
	}
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
	rev = find_series(&d, "revenue (left axis)");
	imp = find_series(&d, "imports (right axis)");
	band = find_series(&d, "revenue, 90% band");
	assert_int_equal(rev->n, 61);		/* 0, 5, ..., 300 */
	assert_true(rev->x[0] == 0 && rev->x[60] == 300);
	assert_true(rev->y[0] == 0);		/* no tariff, no revenue */
	/* no tariff on China: imports are the 2024 base, USD 438.9 billion (trade.csv) */
	assert_true(fabs(imp->y[0] - 438.9) < 1e-9);
	for (size_t i = 0; i < rev->n; i++) {
		/* revenue = rate x imports (world price fixed: infinite supply elasticity) */
		assert_true(fabs(rev->y[i] - rev->x[i] / 100 * imp->y[i]) < 1e-9 * (1 + rev->y[i]));
		/* imports fall as the tariff rises */
		if (i)
			assert_true(imp->y[i] < imp->y[i - 1]);
		/* the band holds the point estimate (a 90% band of the draws around the median) */
		assert_true(band->y[i] <= band->y2[i]);
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
	/* imports after on the second axis, in USD billion: at most the 2024 base of 1,357.8 */
	assert_int_equal(d.series[2]->axis, PLOT_Y2);
	for (size_t i = 0; i < d.series[2]->n; i++)
		assert_true(d.series[2]->y[i] > 0 && d.series[2]->y[i] <= 1357.8 + 1e-9);
	/* a higher tariff on China costs households more: 200% > 20% > 0 */
	cost = find_series(&d, "cost to consumers, per household (left axis)");
	assert_true(cost->y[3] > cost->y[2] && cost->y[2] > 0);
	plot_desc_release(&d);
}

static void test_claims(void **state)
{
	struct plot_desc d;
	size_t holds = 0;

	(void)state;
	build_recipe("claims", &d);
	/*
	** 15 claims: 3 cannot be checked (the 200% proposal rests only on the document
	** making it, issue 15), 1 has no claimed number (a year): 11 drawn
	*/
	assert_int_equal(d.nmarkers, 12);	/* 11 claims + the line at 1 */
	assert_true(d.markers[11]->horizontal && d.markers[11]->at == 1);
	assert_string_equal(d.markers[0]->label, "fentanyl-tariff-20: holds");
	assert_string_equal(d.markers[6]->label, "fentanyl-76k-2022: does not hold");
	/* 404,428 is 1.11% above "more than 400,000" (tolerance 1%): never "holds" */
	assert_string_equal(d.markers[8]->label, "synthetic-400k-decade: roughly holds");
	for (size_t k = 0; k < d.nseries; k++) {
		const struct plot_series *s = d.series[k];
		if (s->style != PLOT_POINTS || s->color != PLOT_RGB(0x009e73))
			continue;
		holds += s->n;
		/* the tariff claims are exact: computed / claimed = 1 */
		for (size_t i = 0; i < 4; i++)
			assert_true(s->y[i] == 1);
	}
	assert_int_equal(holds, 6);	/* the four tariff claims, nearly 19%, 75,000 a year */
	/* 73,838 final synthetic-opioid deaths in 2022 against "more than 76,000" */
	{
		const struct plot_series *s = NULL;
		for (size_t k = 0; k < d.nseries; k++)
			if (d.series[k]->style == PLOT_POINTS && d.series[k]->color == PLOT_RGB(0xd55e00))
				s = d.series[k];
		assert_non_null(s);
		assert_int_equal(s->n, 1);
		assert_true(fabs(s->y[0] - 73838.0 / 76000.0) < 1e-15);
	}
	assert_non_null(strstr(d.footnote, "cooperation-sold-3-times"));
	assert_non_null(strstr(d.footnote, "od-first-decline-since-2018"));
	plot_desc_release(&d);
}

/* Missing data are errors that name the file, not crashes or empty plots. */
static void test_errors(void **state)
{
	const struct plot_recipe *r = plot_recipe_find("scenarios");
	struct plot_args a;
	struct plot_desc d;
	struct tc_err err;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.scenarios = FIXTURE "no-such-dir";
	plot_desc_init(&d);
	tc_err_init(&err);
	assert_int_equal(r->build(&a, &ctx, &d, &err), -1);
	assert_non_null(strstr(err.msg, "no-such-dir"));
	plot_desc_release(&d);

	/* no scenario directory known at all: a usage error */
	memset(&a, 0, sizeof(a));
	plot_desc_init(&d);
	tc_err_init(&err);
	assert_int_equal(r->build(&a, &ctx, &d, &err), -1);
	assert_int_equal(err.code, TC_EXIT_USAGE);
	plot_desc_release(&d);

	{
		struct tc_ctx bad = ctx;
		bad.data_dir = FIXTURE "scenarios";	/* no datasets there */
		r = plot_recipe_find("overdose-deaths");
		plot_desc_init(&d);
		tc_err_init(&err);
		assert_int_equal(r->build(&a, &bad, &d, &err), -1);
		assert_non_null(strstr(err.msg, "overdose_annual"));
		plot_desc_release(&d);
	}
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
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_trends),
	};

	gsl_set_error_handler_off();
	setup_ctx();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

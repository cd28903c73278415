/*
** test_tariff_mc.c: the one-pass Monte Carlo summaries (issue 18).
**
** Oracle: the draws stored by tariff_mc_run (the same kernel, the same
** seed), each column's finite values sorted with qsort, and the
** percentiles read off the sorted array with GSL's definition (linear
** interpolation at (n - 1) f).  tariff_mc_stats must give exactly those
** numbers (==), for every shipped scenario in scenarios/ and for random
** inputs (models, elasticities, rates, sizes, partners, seeds, draw
** counts 1, 2, odd and even, around the pilot and chunk sizes), with the
** default windows and with windows of zero width (every rank outside:
** the replay path), and an output the draws do not move.  Under valgrind (TOCALC_WRAP set) a small sample runs.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tocalc/model_tariff.h"
#include "tocalc/run_tariff.h"
#include "../../src/model_tariff_impl.h"

#ifndef DATA_DIR
#define DATA_DIR "datasets"
#endif
#ifndef SCENARIO_DIR
#define SCENARIO_DIR "scenarios"
#endif

static int small(void)
{
	const char *w = getenv("TOCALC_WRAP");
	return w && *w;
}

static int float_cmp(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

/* GSL's quantile of sorted v[0..n) */
static double sorted_quantile(const float *v, size_t n, double f)
{
	double index = f * (double)(n - 1), delta;
	size_t lhs = (size_t)index;

	delta = index - (double)lhs;
	if (lhs + 1 >= n || delta == 0)
		return v[lhs];
	return (1 - delta) * v[lhs] + delta * v[lhs + 1];
}

/* tariff_mc_stats (windows `sigmas` wide) against qsort of the stored draws. */
static void check_exact(enum tariff_model model, const struct tariff_scenario *s,
			const struct tariff_params *p, size_t draws, unsigned long seed, double sigmas)
{
	struct tariff_mc_dist d;
	struct tariff_mc_summary st[TARIFF_MC_NOUT];
	float *o = malloc((draws ? draws : 1) * TARIFF_MC_NOUT * sizeof(float));
	float *col = malloc((draws ? draws : 1) * sizeof(float));
	gsl_rng *r1 = gsl_rng_alloc(gsl_rng_mt19937), *r2 = gsl_rng_alloc(gsl_rng_mt19937);
	struct tc_err err;
	size_t failed = 0;

	assert_non_null(o);
	assert_non_null(col);
	tariff_mc_dist_default(&d);
	gsl_rng_set(r1, seed);
	gsl_rng_set(r2, seed);
	assert_int_equal(tariff_mc_run_counted(model, s, p, &d, draws, r1, o, &failed, &err), 0);
	assert_int_equal(tariff_mc_stats_sigmas(model, s, p, &d, draws, r2, st, sigmas, &err), 0);
	/* both streams end at the same state: the stats consumed `draws` draws */
	assert_int_equal(gsl_rng_get(r1), gsl_rng_get(r2));
	for (int k = 0; k < TARIFF_MC_NOUT; k++) {
		size_t n = 0;
		double sum = 0;
		for (size_t i = 0; i < draws; i++) {
			float v = o[i * TARIFF_MC_NOUT + (size_t)k];
			if (isfinite(v)) {
				col[n++] = v;
				sum += v;
			}
		}
		if (st[k].nfinite != n) fail_msg("output %d: nfinite %zu, stored %zu (draws %zu)", k, st[k].nfinite, n, draws);
		assert_int_equal(st[k].nfailed, failed);
		if (!n) {
			assert_true(isnan(st[k].p5) && isnan(st[k].p50) && isnan(st[k].p95));
			assert_true(isnan(st[k].mean));
			continue;
		}
		qsort(col, n, sizeof(float), float_cmp);
		if (st[k].p5 != sorted_quantile(col, n, 0.05) ||
		    st[k].p50 != sorted_quantile(col, n, 0.50) ||
		    st[k].p95 != sorted_quantile(col, n, 0.95))
			fail_msg("model %s, %zu draws, seed %lu, sigmas %g, output %d: "
				 "%.9g %.9g %.9g, qsort %.9g %.9g %.9g", tariff_model_name(model), draws,
				 seed, sigmas, k, st[k].p5, st[k].p50, st[k].p95,
				 sorted_quantile(col, n, 0.05), sorted_quantile(col, n, 0.50),
				 sorted_quantile(col, n, 0.95));
		assert_true(fabs(st[k].mean - sum / (double)n) <= 1e-9 * fabs(sum / (double)n) + 1e-12);
	}
	gsl_rng_free(r1);
	gsl_rng_free(r2);
	free(o);
	free(col);
}

/* Every shipped scenario, as `tocalc tariff run FILE` resolves it. */
static void test_mc_exact_scenarios(void **state)
{
	static const size_t counts[] = { 1, 2, 3, 4096, 20001, 70000 };
	struct tariff_inputs in;
	struct tc_err err;
	char **names = NULL;
	size_t nn = 0, runs = 0;
	(void)state;

	if (whatif_scenario_files(SCENARIO_DIR, &names, &nn, &err) ||
	    tariff_inputs_load(&in, DATA_DIR, TI_ALL, &err))
		fail_msg("%s", err.msg);
	assert_true(nn >= 1);
	for (size_t i = 0; i < nn; i++) {
		char path[512];
		struct scenario sc;
		struct whatif *w = malloc(sizeof(*w));
		snprintf(path, sizeof(path), "%s/%s", SCENARIO_DIR, names[i]);
		if (scenario_parse_file(&sc, path, &err) || whatif_resolve(&sc, NULL, &in, w, &err))
			fail_msg("%s: %s", path, err.msg);
		for (size_t c = 0; c < TC_ARRAY_SIZE(counts); c++) {
			if (small() && counts[c] > 4096)
				continue;
			check_exact(w->model, &w->s, &w->p, counts[c], 1 + c, 5.0);
			runs++;
		}
		if (!small())
			check_exact(w->model, &w->s, &w->p, 50001, 7, 0.0);	/* the replay */
		whatif_release(w);
		free(w);
		scenario_release(&sc);
		free(names[i]);
	}
	free(names);
	tariff_inputs_release(&in);
	assert_true(runs >= nn);
}

/* Random markets and parameters, several seeds and draw counts. */
static void test_mc_exact_random(void **state)
{
	static const size_t counts[] = { 1, 2, 5, 8, 4095, 4096, 4097, 16384, 16385, 40000, 131073 };
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	int cases = small() ? 4 : 40;
	(void)state;

	gsl_rng_set(g, 20261125);
	for (int c = 0; c < cases; c++) {
		struct tariff_scenario s;
		struct tariff_params p = { 0, INFINITY, 0, 1.0, 132e6, NAN, NAN };
		enum tariff_model model = c % 5 == 4 ? TARIFF_SMART : TARIFF_CES;
		size_t draws = counts[gsl_rng_uniform_int(g, TC_ARRAY_SIZE(counts))];
		int any = 0;

		memset(&s, 0, sizeof(s));
		for (int k = 0; k < TARIFF_NPARTNERS; k++) {
			if (gsl_rng_uniform(g) < 0.3 && (any || k < TARIFF_NPARTNERS - 1))
				continue;
			s.m[k].present = 1;
			s.m[k].m0 = exp(gsl_rng_uniform(g) * 13 - 2);	/* 0.14 .. 60,000 */
			s.m[k].t0 = gsl_rng_uniform(g) * 0.5;
			s.m[k].t1 = gsl_rng_uniform(g) < 0.5 ? s.m[k].t0 : gsl_rng_uniform(g) * 2.5;
			any = 1;
		}
		p.eps = 0.2 + gsl_rng_uniform(g) * 4;
		p.sigma = gsl_rng_uniform(g) * 6;
		p.pass_through = 0.5 + gsl_rng_uniform(g) * 0.5;
		if (model == TARIFF_SMART)	/* small changes: the linear model stays valid */
			for (int k = 0; k < TARIFF_NPARTNERS; k++)
				s.m[k].t1 = s.m[k].t0 + 0.02;
		if (small() && draws > 4097)
			draws = 4097;
		check_exact(model, &s, &p, draws, gsl_rng_get(g), 5.0);
		if (c % 4 == 0)
			check_exact(model, &s, &p, draws, 1 + (unsigned long)c, 0.0);	/* the replay */
	}
	gsl_rng_free(g);
}

/* A finite supply elasticity: the solver path (every draw solved), few draws. */
static void test_mc_exact_gsim(void **state)
{
	struct tariff_scenario s;
	struct tariff_params p = { 1.5, 3.0, 1.5, 1.0, 132e6, NAN, NAN };
	(void)state;

	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN] = (struct tariff_market){ 1, 438929, 0.20, 0.60 };
	s.m[TARIFF_MX] = (struct tariff_market){ 1, 505900, 0.02, 0.02 };
	check_exact(TARIFF_GSIM, &s, &p, small() ? 301 : 20001, 3, 5.0);
	check_exact(TARIFF_CES, &s, &p, small() ? 300 : 20000, 4, 0.0);
}

/*
** No substitution: the drawn substitution is 0 in every draw, an output
** whose windows hold a single value (counted, not stored); with the pilot
** a small part of the draws and with windows of zero width.
*/
static void test_mc_exact_constant_output(void **state)
{
	struct tariff_scenario s;
	struct tariff_params p = { 1.5, INFINITY, 0.0, 1.0, 132e6, NAN, NAN };
	(void)state;

	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN] = (struct tariff_market){ 1, 438929, 0.20, 2.00 };
	s.m[TARIFF_MX] = (struct tariff_market){ 1, 505900, 0.02, 0.02 };
	s.m[TARIFF_ROW] = (struct tariff_market){ 1, 2000000, 0.03, 0.03 };
	check_exact(TARIFF_CES, &s, &p, small() ? 4097 : 70001, 5, 5.0);
	check_exact(TARIFF_CES, &s, &p, small() ? 4097 : 70000, 6, 0.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mc_exact_scenarios),
		cmocka_unit_test(test_mc_exact_random),
		cmocka_unit_test(test_mc_exact_gsim),
		cmocka_unit_test(test_mc_exact_constant_output),
	};
	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

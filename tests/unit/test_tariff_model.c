/*
** Unit tests of the tariff models (model_tariff.c, model_tariff_mc.c).
** Expected values are published (SMART cases S1 and S2 of methods.md A1,
** the revenue-maximising rates of A5) or derived by hand in the comments;
** none is taken from the program's own output.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort_float.h>
#include <gsl/gsl_statistics_float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tocalc/tariff.h"

#define assert_close(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

static struct tariff_params params(double eps, double ex, double sigma)
{
	struct tariff_params p;
	p.eps = eps;
	p.ex = ex;
	p.sigma = sigma;
	p.pass_through = 1;
	p.households = NAN;
	return p;
}

static struct tariff_scenario one(int k, double m0, double t0, double t1)
{
	struct tariff_scenario s;
	memset(&s, 0, sizeof(s));
	s.m[k].present = 1;
	s.m[k].m0 = m0;
	s.m[k].t0 = t0;
	s.m[k].t1 = t1;
	return s;
}

static void add(struct tariff_scenario *s, int k, double m0, double t0, double t1)
{
	s->m[k].present = 1;
	s->m[k].m0 = m0;
	s->m[k].t0 = t0;
	s->m[k].t1 = t1;
}

/* methods.md A1, case S2: 0 -> 25% on 1000, Em = -1.5. */
static void test_smart_s2(void **state)
{
	struct tariff_scenario s = one(TARIFF_CN, 1000, 0, 0.25);
	struct tariff_params p = params(1.5, INFINITY, 0);
	struct tariff_result r;
	struct tc_err err;
	(void)state;

	assert_int_equal(tariff_eval(TARIFF_SMART, &s, &p, &r, &err), 0);
	assert_close(r.p[TARIFF_CN].creation, -375.0, 1e-9);
	assert_close(r.total.dm, -375.0, 1e-9);
	assert_close(r.total.rev1, 156.25, 1e-9);
	assert_close(r.total.dwl, 46.875, 1e-9);
	/* linear demand: dCS = -dt (M0 + TC/2) = -0.25 * 812.5 */
	assert_close(r.total.dcs, -203.125, 1e-9);
	assert_close(r.p[TARIFF_CN].world_price_change, 0, 1e-12);

	p.ex = 3;	/* finite export supply */
	assert_int_equal(tariff_eval(TARIFF_SMART, &s, &p, &r, &err), 0);
	assert_close(r.total.dm, -250.0, 1e-9);
	assert_close(r.total.rev1, 187.50, 1e-9);
	assert_close(r.total.dwl, 31.25, 1e-9);
	/* price effect dPw/Pw = (dM/M)/Ex = -0.25/3 */
	assert_close(r.p[TARIFF_CN].world_price_change, -0.25 / 3, 1e-12);
}

/* methods.md A1, case S1: preferential cut for A (100 at 10% -> 0), B 200 at 10%. */
static void test_smart_s1(void **state)
{
	struct tariff_scenario s = one(TARIFF_MX, 100, 0.10, 0);
	struct tariff_params p = params(1.5, INFINITY, 1.5);
	struct tariff_result r;
	struct tc_err err;
	(void)state;

	add(&s, TARIFF_ROW, 200, 0.10, 0.10);
	assert_int_equal(tariff_eval(TARIFF_SMART, &s, &p, &r, &err), 0);
	assert_close(r.p[TARIFF_MX].creation, 13.6364, 5e-5);
	assert_close(r.p[TARIFF_MX].diversion, 8.6957, 5e-5);
	assert_close(r.p[TARIFF_ROW].diversion, -8.6957, 5e-5);
	assert_close(r.total.rev0, 30.0, 1e-9);
	assert_close(r.total.rev1, 19.1304, 5e-5);
	assert_close(r.total.drev, -10.8696, 5e-5);
	assert_close(r.total.dwl, 0.6818, 5e-5);
	assert_close(r.p[TARIFF_MX].m1, 122.33, 5e-3);
	assert_close(r.p[TARIFF_ROW].m1, 191.30, 5e-3);
}

/* A5: t* = 1/(eps - 1) for eps = 1.5, 2, 3, 4; GSL minimiser against the closed form. */
static void test_revenue_max(void **state)
{
	static const double eps[] = { 1.5, 2, 3, 4 };
	static const double want[] = { 2.0, 1.0, 0.5, 1.0 / 3 };
	struct tariff_scenario s = one(TARIFF_CN, 1, 0, 0.1);
	struct tc_err err;
	(void)state;

	for (size_t i = 0; i < 4; i++) {
		struct tariff_params p = params(eps[i], INFINITY, 0);
		struct tariff_revmax rm;
		assert_int_equal(tariff_revenue_max(TARIFF_CES, &s, TARIFF_CN, &p, &rm, &err), 0);
		assert_true(rm.exists);
		assert_close(rm.t_closed, want[i], 1e-12);
		assert_close(rm.t_numeric, want[i], 1e-6);
	}
	/* A5 numeric check at eps = 3: max R/A = 0.148148 at t = 0.5 */
	{
		struct tariff_params p = params(3, INFINITY, 0);
		struct tariff_revmax rm;
		assert_int_equal(tariff_revenue_max(TARIFF_CES, &s, TARIFF_CN, &p, &rm, &err), 0);
		assert_close(rm.revenue, 0.148148, 1e-6);
	}
	/* eps <= 1: revenue rises without bound, no maximum */
	{
		struct tariff_params p = params(1.0, INFINITY, 0);
		struct tariff_revmax rm;
		assert_int_equal(tariff_revenue_max(TARIFF_CES, &s, TARIFF_CN, &p, &rm, &err), 0);
		assert_false(rm.exists);
		p.eps = 0.8;
		assert_int_equal(tariff_revenue_max(TARIFF_CES, &s, TARIFF_CN, &p, &rm, &err), 0);
		assert_false(rm.exists);
	}
	/* pass-through 0.5 doubles t*: 1/(0.5 (2 - 1)) = 2 */
	{
		struct tariff_params p = params(2, INFINITY, 0);
		struct tariff_revmax rm;
		p.pass_through = 0.5;
		assert_int_equal(tariff_revenue_max(TARIFF_CES, &s, TARIFF_CN, &p, &rm, &err), 0);
		assert_close(rm.t_closed, 2.0, 1e-12);
		assert_close(rm.t_numeric, 2.0, 1e-6);
	}
	/* smart, linear demand, t0 = 0: R = t M0 (1 - eps t) -> t* = 1/(2 eps) */
	{
		struct tariff_params p = params(2, INFINITY, 0);
		struct tariff_revmax rm;
		assert_int_equal(tariff_revenue_max(TARIFF_SMART, &s, TARIFF_CN, &p, &rm, &err), 0);
		assert_close(rm.t_closed, 0.25, 1e-12);
		assert_close(rm.t_numeric, 0.25, 1e-6);
	}
}

/*
** CES, hand-derived: 0 -> 25% on 1000, eps = 1.5, phi = 1:
**   M1 = 1000 * 1.25^-1.5 = 715.541753
**   TR1 = 0.25 * M1 = 178.885438
**   dCS = -1000 (1.25^-0.5 - 1)/(1 - 1.5) = -211.145618
**   DWL = -(dCS + dTR) = 32.260180
*/
static void test_ces_hand(void **state)
{
	struct tariff_scenario s = one(TARIFF_CN, 1000, 0, 0.25);
	struct tariff_params p = params(1.5, INFINITY, 1.5);
	struct tariff_result r;
	struct tc_err err;
	(void)state;

	p.households = 1e6;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), 0);
	assert_close(r.total.m1, 715.541753, 1e-6);
	assert_close(r.total.rev1, 178.885438, 1e-6);
	assert_close(r.total.rev1_static, 250.0, 1e-12);
	assert_close(r.total.dcs, -211.145618, 1e-6);
	assert_close(r.total.dwl, 32.260180, 1e-6);
	assert_close(r.p[TARIFF_CN].price_change, 0.25, 1e-12);
	/* 211.145618 USD million over a million households */
	assert_close(r.total.cost_per_household, 211.145618, 1e-6);
	assert_int_equal(r.p[TARIFF_CN].diversion, 0);	/* a single partner: nothing to divert */

	/* 200%: CES stays positive, 1000 * 3^-1.5 = 192.450090; SMART goes negative */
	s.m[TARIFF_CN].t1 = 2.0;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), 0);
	assert_close(r.total.m1, 192.450090, 1e-6);
	assert_false(r.negative_imports);
	assert_int_equal(tariff_eval(TARIFF_SMART, &s, &p, &r, &err), 0);
	assert_close(r.total.m1, -2000.0, 1e-9);	/* 1000 (1 - 1.5 * 2) */
	assert_true(r.negative_imports);

	/* eps = 1: dCS = -V0 ln(pd): 100 at 10% -> 20%: -110 ln(1.2/1.1) = -9.571251 */
	s = one(TARIFF_CN, 100, 0.10, 0.20);
	p = params(1.0, INFINITY, 0);
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), 0);
	assert_close(r.total.dcs, -110 * log(1.2 / 1.1), 1e-9);
	assert_close(r.total.dcs, -9.571251, 1e-6);
	assert_close(r.total.m1, 100 * 1.1 / 1.2, 1e-9);
}

/*
** Pass-through 0.5, eps = 2, 0 -> 100% on 1000 (L = ln 2):
**   buyers' price x sqrt(2); world price / sqrt(2); M1 = 1000 / 2 = 500
**   TR1 = 1 * 500 / sqrt(2) = 353.553391
**   dCS = -1000 (2^-0.5 - 1)/(1 - 2) = -292.893219
** A finite export supply ex = eps = 2 gives the same pass-through ex/(ex+eps) = 0.5.
*/
static void test_ces_pass_through(void **state)
{
	struct tariff_scenario s = one(TARIFF_CN, 1000, 0, 1.0);
	struct tariff_params p = params(2, INFINITY, 0);
	struct tariff_result r, r2;
	struct tc_err err;
	(void)state;

	p.pass_through = 0.5;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), 0);
	assert_close(r.total.m1, 500.0, 1e-9);
	assert_close(r.total.rev1, 353.553391, 1e-6);
	assert_close(r.total.dcs, -292.893219, 1e-6);
	assert_close(r.p[TARIFF_CN].world_price_change, 1 / sqrt(2.0) - 1, 1e-12);
	/* terms-of-trade gain 500 (1 - 2^-0.5) = 146.446609; DWL = tot - (dCS + dTR) */
	assert_close(r.total.tot_gain, 146.446609, 1e-6);
	assert_close(r.total.dwl, 146.446609 - (-292.893219 + 353.553391), 1e-5);
	assert_true(r.total.dwl > 0);

	p = params(2, 2, 0);
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r2, &err), 0);
	assert_close(r2.total.m1, r.total.m1, 1e-9);
	assert_close(r2.total.rev1, r.total.rev1, 1e-9);
}

/*
** GSIM, hand-derived.
** Single partner: theta = 1, N_own = -eps, so %dM = -eps (x + dT) and
** clearing -eps (x + dT) = Ex x gives x = -eps dT/(eps + Ex): with eps 1.5,
** Ex 3, dT 0.25: x = -1/12, %dM = -0.25 -> dM = -250 (as SMART S2).
** Two partners A, B of 100 each, both at 0, A -> 10%, eps 1, sigma 2, Ex infinite:
**   theta = 0.5, N_own = -0.5 - 1 = -1.5, N_cross = 0.5 (2 - 1) = 0.5
**   %dM_A = -0.15 -> 85, %dM_B = +0.05 -> 105, TR1 = 8.5
**   dP = 0.05, V = 200, dCS = -200*0.05 + 0.5*1*200*0.0025 = -9.75
**   diversion_A = -2*100*(0.1 - 0.05) = -10, diversion_B = +10
*/
static void test_gsim_hand(void **state)
{
	struct tariff_scenario s = one(TARIFF_CN, 1000, 0, 0.25);
	struct tariff_params p = params(1.5, 3, 0);
	struct tariff_result r;
	struct tc_err err;
	(void)state;

	assert_int_equal(tariff_eval(TARIFF_GSIM, &s, &p, &r, &err), 0);
	assert_close(r.p[TARIFF_CN].world_price_change, -1.0 / 12, 1e-10);
	assert_close(r.total.dm, -250.0, 1e-7);
	assert_true(r.iterations >= 1);

	p.ex = INFINITY;
	assert_int_equal(tariff_eval(TARIFF_GSIM, &s, &p, &r, &err), 0);
	assert_close(r.total.dm, -375.0, 1e-9);
	assert_int_equal(r.iterations, 0);

	s = one(TARIFF_CN, 100, 0, 0.10);
	add(&s, TARIFF_MX, 100, 0, 0);
	p = params(1, INFINITY, 2);
	assert_int_equal(tariff_eval(TARIFF_GSIM, &s, &p, &r, &err), 0);
	assert_close(r.p[TARIFF_CN].m1, 85.0, 1e-9);
	assert_close(r.p[TARIFF_MX].m1, 105.0, 1e-9);
	assert_close(r.total.rev1, 8.5, 1e-9);
	assert_close(r.total.dcs, -9.75, 1e-9);
	assert_close(r.p[TARIFF_CN].diversion, -10.0, 1e-9);
	assert_close(r.p[TARIFF_MX].diversion, 10.0, 1e-9);
	assert_close(r.total.dwl, 1.25, 1e-9);
}

/* Four partners with made-up but plausible values. */
static struct tariff_scenario four(void)
{
	struct tariff_scenario s;
	memset(&s, 0, sizeof(s));
	add(&s, TARIFF_CN, 438929, 0.20, 2.00);
	add(&s, TARIFF_MX, 505900, 0.25, 0.25);
	add(&s, TARIFF_CA, 413000, 0.35, 0.35);
	add(&s, TARIFF_ROW, 1900000, 0.10, 0.10);
	return s;
}

/* Finite export supply: gsim's solution satisfies every exporter's clearing condition. */
static void test_gsim_clearing(void **state)
{
	struct tariff_scenario s = four();
	struct tariff_params p = params(1.5, 4, 3);
	struct tariff_result r;
	struct tc_err err;
	(void)state;

	s.m[TARIFF_CN].t1 = 0.5;
	s.m[TARIFF_MX].t1 = 0.30;
	assert_int_equal(tariff_eval(TARIFF_GSIM, &s, &p, &r, &err), 0);
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		double pct = r.p[k].m1 / r.p[k].m0 - 1;
		assert_close(pct, p.ex * r.p[k].world_price_change, 1e-10);
	}
	/* the partners whose tariff rose see their world price fall */
	assert_true(r.p[TARIFF_CN].world_price_change < 0);
}

static void test_invariant_no_change(void **state)
{
	static const enum tariff_model models[] = { TARIFF_CES, TARIFF_SMART, TARIFF_GSIM };
	struct tariff_scenario s = four();
	struct tariff_params p = params(1.7, INFINITY, 2.5);
	struct tc_err err;
	(void)state;

	for (int k = 0; k < TARIFF_NPARTNERS; k++)
		s.m[k].t1 = s.m[k].t0;
	for (size_t i = 0; i < 3; i++) {
		struct tariff_result r;
		for (int e = 0; e < 2; e++) {
			p.ex = e ? 2.0 : INFINITY;
			assert_int_equal(tariff_eval(models[i], &s, &p, &r, &err), 0);
			for (int k = 0; k < TARIFF_NPARTNERS; k++) {
				assert_close(r.p[k].m1, r.p[k].m0, 1e-9 * r.p[k].m0);
				assert_close(r.p[k].diversion, 0, 1e-6);
				assert_close(r.p[k].rev1, r.p[k].rev0, 1e-6);
			}
			assert_close(r.total.dcs, 0, 1e-6);
			assert_close(r.total.dwl, 0, 1e-6);
			assert_close(r.total.drev, 0, 1e-6);
		}
	}
}

static void test_invariant_diversion_sums_to_zero(void **state)
{
	static const enum tariff_model models[] = { TARIFF_CES, TARIFF_SMART, TARIFF_GSIM };
	static const double cn[] = { 0.0, 0.1, 0.3, 0.6, 1.0 };
	struct tariff_scenario s = four();
	struct tariff_params p = params(1.5, INFINITY, 3);
	struct tc_err err;
	(void)state;

	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < TC_ARRAY_SIZE(cn); j++) {
			struct tariff_result r;
			double sum = 0, any = 0;
			s.m[TARIFF_CN].t1 = cn[j];
			s.m[TARIFF_CA].t1 = 0.10;	/* two partners move at once */
			assert_int_equal(tariff_eval(models[i], &s, &p, &r, &err), 0);
			if (r.undefined) {
				/* smart's linear shares went negative: all missing, said so */
				assert_int_equal(models[i], TARIFF_SMART);
				assert_true(isnan(r.total.m1));
				continue;
			}
			for (int k = 0; k < TARIFF_NPARTNERS; k++) {
				sum += r.p[k].diversion;
				any += fabs(r.p[k].diversion);
			}
			assert_true(any > 1);	/* there is diversion to sum */
			assert_close(sum, 0, 1e-9 * r.total.m0);
			assert_close(r.total.diversion, 0, 1e-9 * r.total.m0);
		}
}

/*
** Revenue is continuous across a sweep: with step h, successive revenues differ
** by at most h * max|dR/dt|; for ces dR/dt = M (1 - eps t/(1+t)) is bounded by
** the base imports (M <= M0 (T0)^eps ... for t >= t0 here M <= M0), so h * Q0 bounds it.
*/
static void test_invariant_revenue_continuous(void **state)
{
	static const enum tariff_model models[] = { TARIFF_CES, TARIFF_GSIM };
	struct tariff_scenario s = four();
	struct tariff_params p = params(1.5, INFINITY, 1.5);
	struct tc_err err;
	double h = 0.001;
	(void)state;

	for (size_t i = 0; i < 2; i++) {
		double prev = NAN, q0 = 0;
		for (int k = 0; k < TARIFF_NPARTNERS; k++)
			q0 += s.m[k].m0;
		for (int j = 0; j <= 3000; j++) {
			struct tariff_result r;
			s.m[TARIFF_CN].t1 = j * h;
			assert_int_equal(tariff_eval(models[i], &s, &p, &r, &err), 0);
			assert_true(isfinite(r.total.rev1));
			if (j)
				assert_true(fabs(r.total.rev1 - prev) <= 2 * h * q0);
			prev = r.total.rev1;
		}
	}
}

static void test_mc_same_seed(void **state)
{
	struct tariff_scenario s = four();
	struct tariff_params p = params(1.5, INFINITY, 1.5);
	struct tariff_mc_dist d;
	size_t n = 2000;
	float *a = malloc(n * TARIFF_MC_NOUT * sizeof(float));
	float *b = malloc(n * TARIFF_MC_NOUT * sizeof(float));
	gsl_rng *r1 = gsl_rng_alloc(gsl_rng_mt19937), *r2 = gsl_rng_alloc(gsl_rng_mt19937);
	struct tc_err err;
	(void)state;

	tariff_mc_dist_default(&d);
	gsl_rng_set(r1, 42);
	gsl_rng_set(r2, 42);
	assert_int_equal(tariff_mc_run(TARIFF_CES, &s, &p, &d, n, r1, a, &err), 0);
	assert_int_equal(tariff_mc_run(TARIFF_CES, &s, &p, &d, n, r2, b, &err), 0);
	assert_memory_equal(a, b, n * TARIFF_MC_NOUT * sizeof(float));
	gsl_rng_set(r2, 43);
	assert_int_equal(tariff_mc_run(TARIFF_CES, &s, &p, &d, n, r2, b, &err), 0);
	assert_true(memcmp(a, b, n * TARIFF_MC_NOUT * sizeof(float)) != 0);
	/* the same for gsim with a finite export supply */
	p.ex = 3;
	gsl_rng_set(r1, 7);
	gsl_rng_set(r2, 7);
	assert_int_equal(tariff_mc_run(TARIFF_GSIM, &s, &p, &d, 200, r1, a, &err), 0);
	assert_int_equal(tariff_mc_run(TARIFF_GSIM, &s, &p, &d, 200, r2, b, &err), 0);
	assert_memory_equal(a, b, 200 * TARIFF_MC_NOUT * sizeof(float));
	gsl_rng_free(r1);
	gsl_rng_free(r2);
	free(a);
	free(b);
}

/* Zero spread: every draw is the point estimate. Default spread: p5 <= point <= p95. */
static void test_mc_brackets_point(void **state)
{
	static const enum tariff_model models[] = { TARIFF_CES, TARIFF_SMART, TARIFF_GSIM };
	struct tariff_scenario s = four();
	struct tariff_params p = params(1.5, INFINITY, 1.5);
	struct tariff_mc_dist d;
	size_t n = 20000;
	float *o = malloc(n * TARIFF_MC_NOUT * sizeof(float));
	float *w = malloc(n * sizeof(float));
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct tc_err err;
	(void)state;

	s.m[TARIFF_CN].t1 = 0.30;
	p.households = 132e6;
	for (size_t m = 0; m < 3; m++) {
		struct tariff_result r;
		struct tariff_mc_summary sum;
		assert_int_equal(tariff_eval(models[m], &s, &p, &r, &err), 0);

		memset(&d, 0, sizeof(d));
		gsl_rng_set(rng, 1);
		assert_int_equal(tariff_mc_run(models[m], &s, &p, &d, 100, rng, o, &err), 0);
		tariff_mc_summarise(o, 100, MC_REVENUE_AFTER, w, &sum);
		assert_close(sum.p5, r.total.rev1, 1e-6 * fabs(r.total.rev1));
		assert_close(sum.p95, r.total.rev1, 1e-6 * fabs(r.total.rev1));

		tariff_mc_dist_default(&d);
		gsl_rng_set(rng, 1);
		assert_int_equal(tariff_mc_run(models[m], &s, &p, &d, n, rng, o, &err), 0);
		{
			const double pt[] = { r.total.m1, r.total.dm, r.total.rev1, r.total.drev,
					      r.total.dcs, r.total.dwl, r.total.cost_per_household,
					      r.p[TARIFF_CN].m1, r.p[TARIFF_MX].diversion };
			const int ks[] = { MC_IMPORTS_AFTER, MC_IMPORT_CHANGE, MC_REVENUE_AFTER,
					   MC_REVENUE_CHANGE, MC_DCS, MC_DWL, MC_COST_PER_HOUSEHOLD,
					   MC_PARTNER_M1 + TARIFF_CN, MC_PARTNER_DIVERSION + TARIFF_MX };
			for (size_t i = 0; i < TC_ARRAY_SIZE(ks); i++) {
				double tol = 1e-5 * fabs(pt[i]) + 1e-6;
				tariff_mc_summarise(o, n, ks[i], w, &sum);
				assert_int_equal(sum.nfinite, n);
				assert_true(sum.p5 <= pt[i] + tol);
				assert_true(pt[i] <= sum.p95 + tol);
				assert_true(sum.p5 < sum.p95);
			}
		}
	}
	gsl_rng_free(rng);
	free(o);
	free(w);
}

/* The streaming 3-pass summaries equal the summaries of the stored draws, exactly. */
static void test_mc_stats_streaming(void **state)
{
	static const enum tariff_model models[] = { TARIFF_CES, TARIFF_SMART };
	struct tariff_scenario s = four();
	struct tariff_params p = params(1.5, INFINITY, 1.5);
	struct tariff_mc_dist d;
	size_t n = 3 * TARIFF_MC_CHUNK + 123;
	float *o = malloc(n * TARIFF_MC_NOUT * sizeof(float));
	float *w = malloc(n * sizeof(float));
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct tariff_mc_summary st[TARIFF_MC_NOUT], one_;
	struct tc_err err;
	(void)state;

	tariff_mc_dist_default(&d);
	p.households = 132e6;
	s.m[TARIFF_CN].t1 = 0.60;
	s.m[TARIFF_ROW].present = 0;
	for (size_t m = 0; m < 2; m++) {
		gsl_rng_set(rng, 99);
		assert_int_equal(tariff_mc_run(models[m], &s, &p, &d, n, rng, o, &err), 0);
		gsl_rng_set(rng, 99);
		assert_int_equal(tariff_mc_stats(models[m], &s, &p, &d, n, rng, st, &err), 0);
		for (int k = 0; k < TARIFF_MC_NOUT; k++) {
			tariff_mc_summarise(o, n, k, w, &one_);
			assert_int_equal(st[k].nfinite, one_.nfinite);
			if (!one_.nfinite) {
				assert_true(isnan(st[k].p50));
				continue;
			}
			assert_true(st[k].p5 == one_.p5);
			assert_true(st[k].p50 == one_.p50);
			assert_true(st[k].p95 == one_.p95);
			assert_close(st[k].mean, one_.mean, 1e-9 * fabs(one_.mean));
		}
		/* ROW is absent: its outputs are missing */
		assert_int_equal(st[MC_PARTNER_M1 + TARIFF_ROW].nfinite, 0);
	}
	gsl_rng_free(rng);
	free(o);
	free(w);
}

/* Quickselect percentiles equal GSL's on sorted data. */
static void test_quantile_select(void **state)
{
	size_t n = 1001;
	float *v = malloc(n * sizeof(float)), *u = malloc(n * sizeof(float));
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	static const double fs[] = { 0, 0.05, 0.5, 0.95, 1, 0.333 };
	(void)state;

	for (size_t m = 1; m <= n; m = m * 3 + 1) {
		for (size_t i = 0; i < m; i++)
			u[i] = (float)gsl_rng_uniform_int(rng, 50);	/* many ties */
		gsl_sort_float(u, 1, m);
		for (size_t j = 0; j < TC_ARRAY_SIZE(fs); j++) {
			memcpy(v, u, m * sizeof(float));
			for (size_t i = m; i > 1; i--) {
				size_t k = gsl_rng_uniform_int(rng, i);
				float t = v[i - 1];
				v[i - 1] = v[k];
				v[k] = t;
			}
			assert_close(tariff_quantile_select(v, m, fs[j]),
				     gsl_stats_float_quantile_from_sorted_data(u, 1, m, fs[j]), 1e-4);
		}
	}
	assert_true(isnan(tariff_quantile_select(v, 0, 0.5)));
	gsl_rng_free(rng);
	free(v);
	free(u);
}

static void test_bad_params(void **state)
{
	struct tariff_scenario s = one(TARIFF_CN, 1000, 0, 0.25);
	struct tariff_params p = params(1.5, INFINITY, 0);
	struct tariff_result r;
	struct tc_err err;
	(void)state;

	p.eps = -1.5;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), -1);
	assert_non_null(strstr(err.msg, "elasticity"));
	p = params(1.5, -2, 0);
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), -1);
	p = params(1.5, INFINITY, -1);
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), -1);
	p = params(1.5, INFINITY, 0);
	p.pass_through = 1.2;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), -1);
	p = params(1.5, 3, 0);
	p.pass_through = 0.5;	/* both set */
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), -1);
	p = params(1.5, INFINITY, 0);
	s.m[TARIFF_CN].t1 = -0.1;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), -1);
	s.m[TARIFF_CN].t1 = NAN;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), -1);
	s.m[TARIFF_CN].present = 0;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), -1);
}

static void test_names(void **state)
{
	enum tariff_model m;
	int k;
	(void)state;
	assert_int_equal(tariff_model_parse("gsim", &m), 0);
	assert_int_equal(m, TARIFF_GSIM);
	assert_int_equal(tariff_model_parse("GSIM", &m), -1);
	assert_int_equal(tariff_partner_parse("ROW", &k), 0);
	assert_int_equal(k, TARIFF_ROW);
	assert_int_equal(tariff_partner_parse("cn", &k), -1);
	assert_string_equal(tariff_mc_output_name(MC_PARTNER_M1 + TARIFF_CA), "imports_after_ca");
	assert_string_equal(tariff_mc_output_name(MC_DWL), "deadweight_loss");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smart_s2),
		cmocka_unit_test(test_smart_s1),
		cmocka_unit_test(test_revenue_max),
		cmocka_unit_test(test_ces_hand),
		cmocka_unit_test(test_ces_pass_through),
		cmocka_unit_test(test_gsim_hand),
		cmocka_unit_test(test_gsim_clearing),
		cmocka_unit_test(test_invariant_no_change),
		cmocka_unit_test(test_invariant_diversion_sums_to_zero),
		cmocka_unit_test(test_invariant_revenue_continuous),
		cmocka_unit_test(test_mc_same_seed),
		cmocka_unit_test(test_mc_brackets_point),
		cmocka_unit_test(test_mc_stats_streaming),
		cmocka_unit_test(test_quantile_select),
		cmocka_unit_test(test_bad_params),
		cmocka_unit_test(test_names),
	};
	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

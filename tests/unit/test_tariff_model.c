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

#include "tocalc/model_tariff.h"

#define assert_close(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

static struct tariff_params params(double eps, double ex, double sigma)
{
	struct tariff_params p;
	p.eps = eps;
	p.ex = ex;
	p.sigma = sigma;
	p.pass_through = 1;
	p.import_share_pce = NAN;
	p.pce = NAN;
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
	/* SMART's W = 0.6818 is the gain of the cut: the deadweight loss falls */
	assert_close(r.total.dwl, -0.6818, 5e-5);
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
	/*
	** eps <= 1, one market: R = A t/(1+t) (eps = 1) rises without bound, so
	** no maximum inside [0, 10,000%]: reported as beyond the range.
	*/
	{
		struct tariff_params p = params(1.0, INFINITY, 0);
		struct tariff_revmax rm;
		assert_int_equal(tariff_revenue_max(TARIFF_CES, &s, TARIFF_CN, &p, &rm, &err), 0);
		assert_false(rm.exists);
		assert_true(rm.beyond_range);
		assert_true(isnan(rm.t_closed));
		p.eps = 0.8;
		assert_int_equal(tariff_revenue_max(TARIFF_CES, &s, TARIFF_CN, &p, &rm, &err), 0);
		assert_false(rm.exists);
		assert_true(rm.beyond_range);
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

	/* 200%: CES stays positive, 1000 * 3^-1.5 = 192.450090; SMART's
	   1000 (1 - 1.5 * 2) = -2000 is refused with the reason */
	s.m[TARIFF_CN].t1 = 2.0;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), 0);
	assert_close(r.total.m1, 192.450090, 1e-6);
	assert_false(r.negative_imports);
	tc_err_init(&err);
	assert_int_equal(tariff_eval(TARIFF_SMART, &s, &p, &r, &err), -1);
	assert_non_null(strstr(err.msg, "negative imports from CN (-2000)"));
	assert_non_null(strstr(err.msg, "import-demand elasticity 1.5"));

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
** The nested model and gsim, hand-derived in levels.
** Single partner, finite supply: demand M = m0 (1.25 w)^-1.5, supply
** M = m0 w^3, so w^4.5 = 1.25^-1.5, w = 1.25^(-1/3) = 0.928317767;
** M1 = m0 w^3 = 1000 / 1.25 = 800 (dM = -200).
** Two partners A, B of 100 each at 0, A -> 10%, eps 1, sigma 2, supply infinite:
**   pi^(1-sigma) = 0.5/1.1 + 0.5 = 1.05/1.1, so pi = 22/21
**   M_A = 100 pi^(sigma-eps) 1.1^-sigma = 100 (22/21)/1.21 = 86.580087
**   M_B = 100 pi = 104.761905;  TR1 = 8.658009
**   dCS = -V0 ln pi = -200 ln(22/21) = -9.304003 (eps = 1)
**   DWL = -(dCS + dTR) = 9.304003 - 8.658009 = 0.645994
**   diversion_A = M_A - 100 (M_A + M_B)/200 = (M_A - M_B)/2 = -100/11
*/
static void test_gsim_hand(void **state)
{
	static const enum tariff_model models[] = { TARIFF_CES, TARIFF_GSIM };
	struct tc_err err;
	(void)state;

	for (size_t i = 0; i < 2; i++) {
		struct tariff_scenario s = one(TARIFF_CN, 1000, 0, 0.25);
		struct tariff_params p = params(1.5, 3, 0);
		struct tariff_result r;
		assert_int_equal(tariff_eval(models[i], &s, &p, &r, &err), 0);
		assert_close(r.p[TARIFF_CN].world_price_change, pow(1.25, -1.0 / 3) - 1, 1e-10);
		assert_close(r.total.dm, -200.0, 1e-7);
		/* one partner: the system is linear in ln w, the linearised start is exact */

		p.ex = INFINITY;
		assert_int_equal(tariff_eval(models[i], &s, &p, &r, &err), 0);
		assert_close(r.total.m1, 1000 * pow(1.25, -1.5), 1e-9);
		assert_int_equal(r.iterations, 0);

		s = one(TARIFF_CN, 100, 0, 0.10);
		add(&s, TARIFF_MX, 100, 0, 0);
		p = params(1, INFINITY, 2);
		assert_int_equal(tariff_eval(models[i], &s, &p, &r, &err), 0);
		assert_close(r.p[TARIFF_CN].m1, 86.580087, 1e-6);
		assert_close(r.p[TARIFF_MX].m1, 104.761905, 1e-6);
		assert_close(r.total.rev1, 8.658009, 1e-6);
		assert_close(r.total.dcs, -200 * log(22.0 / 21), 1e-9);
		assert_close(r.total.dcs, -9.304003, 1e-6);
		assert_close(r.total.dwl, 0.645994, 1e-6);
		assert_close(r.total.price_index_change, 1.0 / 21, 1e-12);
		assert_close(r.p[TARIFF_CN].diversion, -100.0 / 11, 1e-9);
		assert_close(r.p[TARIFF_MX].diversion, 100.0 / 11, 1e-9);
	}
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
	assert_true(r.iterations >= 1);	/* four partners: nonlinear, solved */
	/* supply in levels: M1/M0 = w^ex for every exporter */
	for (int k = 0; k < TARIFF_NPARTNERS; k++)
		assert_close(log(r.p[k].m1 / r.p[k].m0), p.ex * log1p(r.p[k].world_price_change), 1e-10);
	/* the partners whose tariff rose see their world price fall */
	assert_true(r.p[TARIFF_CN].world_price_change < 0);
	/* and every other partner's world price moves too (sigma 3 > eps 1.5: up) */
	assert_true(r.p[TARIFF_CA].world_price_change > 1e-4);
	assert_true(r.p[TARIFF_ROW].world_price_change > 1e-4);
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
			tc_err_init(&err);
			if (tariff_eval(models[i], &s, &p, &r, &err)) {
				/* smart's linear shares went negative: refused, said so */
				assert_int_equal(models[i], TARIFF_SMART);
				assert_non_null(strstr(err.msg, "linearis"));
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
}

/* ------------------------------------------------- issue 13: one framework */

/*
** Two partners, diversion makes revenue peak with eps = 1 (hand-derived).
** A and B, 100 each at 0; A taxed at t, x = 1 + t; sigma = 2, theta = 1/2,
** supply infinite.  With eps = 1 spending on imports is constant (V0 = 200)
** and A's share is theta x^(1-sigma) / (theta x^(1-sigma) + 1 - theta), so
**   R(x) = V0 (x - 1)/x * share_A = 200 (x - 1) / (x (x + 1)).
** dR/dx = 0 <=> (x^2 + x) - (x - 1)(2x + 1) = -x^2 + 2x + 1 = 0 <=> x = 1 + sqrt 2,
** so t* = sqrt 2 = 141.42% and R* = 200 sqrt 2 / (4 + 3 sqrt 2) = 34.314575.
** The single-market closed form 1/(eps - 1) has no maximum at eps = 1.
*/
static void test_revenue_peak_two_partners_eps1(void **state)
{
	static const enum tariff_model models[] = { TARIFF_CES, TARIFF_GSIM };
	struct tariff_scenario s = one(TARIFF_CN, 100, 0, 0.5);
	struct tariff_params p = params(1, INFINITY, 2);
	struct tc_err err;
	(void)state;

	add(&s, TARIFF_MX, 100, 0, 0);
	for (size_t i = 0; i < 2; i++) {
		struct tariff_revmax rm;
		assert_int_equal(tariff_revenue_max(models[i], &s, TARIFF_CN, &p, &rm, &err), 0);
		assert_true(rm.exists);
		assert_false(rm.beyond_range);
		assert_close(rm.t_numeric, sqrt(2.0), 1e-6);
		assert_close(rm.revenue, 200 * sqrt(2.0) / (4 + 3 * sqrt(2.0)), 1e-9);
		assert_close(rm.revenue, 34.314575, 1e-6);
		assert_true(isnan(rm.t_closed));	/* single-market reference: none at eps = 1 */
	}
	/* without diversion (sigma 0) the same inputs have no maximum in range */
	{
		struct tariff_revmax rm;
		p.sigma = 0;
		assert_int_equal(tariff_revenue_max(TARIFF_CES, &s, TARIFF_CN, &p, &rm, &err), 0);
		assert_false(rm.exists);
		assert_true(rm.beyond_range);
	}
}

/* revenue-max holds against the maximum of tariff_sweep on the same inputs. */
static void test_revenue_max_matches_sweep(void **state)
{
	enum { N = 3001 };
	static double rates[N];
	static struct tariff_result rows[N];
	static int ok[N];
	struct tariff_scenario s;
	struct tariff_params p = params(1, 6, 1.5);
	struct tariff_revmax rm;
	struct tc_err err;
	double best = -INFINITY, tbest = NAN, h = 0.002;
	(void)state;

	memset(&s, 0, sizeof(s));
	add(&s, TARIFF_CN, 438929, 0.20, 0.20);
	add(&s, TARIFF_MX, 505900, 0.0, 0.0);
	add(&s, TARIFF_CA, 413000, 0.0, 0.0);
	add(&s, TARIFF_ROW, 1900000, 0.05, 0.05);
	for (int i = 0; i < N; i++)
		rates[i] = i * h;
	assert_int_equal(tariff_sweep(TARIFF_CES, &s, TARIFF_CN, &p, rates, N, rows, ok, NULL, &err), 0);
	for (int i = 0; i < N; i++) {
		assert_true(ok[i]);
		if (rows[i].total.rev1 > best) {
			best = rows[i].total.rev1;
			tbest = rates[i];
		}
	}
	assert_true(tbest > 0 && tbest < rates[N - 1]);	/* an interior peak in the sweep */
	assert_int_equal(tariff_revenue_max(TARIFF_CES, &s, TARIFF_CN, &p, &rm, &err), 0);
	assert_true(rm.exists);
	assert_true(fabs(rm.t_numeric - tbest) <= h);
	assert_true(rm.revenue >= best - 1e-9 * best);	/* the true maximum is not below any sweep row */
	assert_true(rm.revenue - best <= 1e-4 * best);	/* and the sweep comes close to it */
	/* a bad rate is an input error */
	rates[0] = -0.1;
	assert_int_equal(tariff_sweep(TARIFF_CES, &s, TARIFF_CN, &p, rates, 1, rows, ok, NULL, &err), -1);
}

/*
** Consumer surplus from the composite price: sigma matters.  CN 20% -> 200%
** beside MX, CA, ROW (eps 1): dCS = -V0 ln pi.  With sigma = 0 pi is the
** base-share (Laspeyres) mean of the buyers' price ratios, computed here
** independently; more substitution means a smaller rise of pi.
*/
static void test_dcs_depends_on_sigma(void **state)
{
	static const double sig[] = { 0, 1.5, 5 };
	struct tariff_scenario s;
	struct tc_err err;
	double prev = -INFINITY, v0 = 0, lasp = 0;
	(void)state;

	memset(&s, 0, sizeof(s));
	add(&s, TARIFF_CN, 438929, 0.20, 2.00);
	add(&s, TARIFF_MX, 505900, 0.25, 0.25);
	add(&s, TARIFF_CA, 413000, 0.35, 0.35);
	add(&s, TARIFF_ROW, 1900000, 0.10, 0.10);
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		double vk = s.m[k].m0 * (1 + s.m[k].t0);
		v0 += vk;
		lasp += vk * (1 + s.m[k].t1) / (1 + s.m[k].t0);
	}
	lasp /= v0;
	for (size_t i = 0; i < 3; i++) {
		struct tariff_params p = params(1, INFINITY, sig[i]);
		struct tariff_result r;
		assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), 0);
		if (i == 0) {
			assert_close(r.total.dcs, -v0 * log(lasp), 1e-6);
			assert_close(r.total.price_index_change, lasp - 1, 1e-12);
		}
		assert_true(r.total.dcs < 0);
		assert_true(r.total.dcs > prev + 1000);	/* USD 1 billion apart at least */
		prev = r.total.dcs;
	}
}

/*
** Cut vs raise: the deadweight loss of 0 -> t is minus that of t -> 0
** (every welfare term is a difference of a state function: the composite's
** surplus, revenue, the exporters' surplus).  Supply infinite and finite.
*/
static void test_dwl_cut_raise_symmetry(void **state)
{
	static const double exs[] = { INFINITY, 2.5 };
	static const enum tariff_model models[] = { TARIFF_CES, TARIFF_GSIM };
	struct tc_err err;
	(void)state;

	for (size_t m = 0; m < 2; m++)
		for (size_t e = 0; e < 2; e++) {
			struct tariff_scenario up = four(), down;
			struct tariff_params p = params(1.3, exs[e], 2.2);
			struct tariff_result a, b;
			up.m[TARIFF_CN].t1 = 0.6;
			up.m[TARIFF_MX].t1 = 0.05;
			down = up;
			/* the cut starts where the raise ended: base imports are the raise's M1 */
			assert_int_equal(tariff_eval(models[m], &up, &p, &a, &err), 0);
			for (int k = 0; k < TARIFF_NPARTNERS; k++) {
				down.m[k].m0 = a.p[k].m1 * (1 + a.p[k].world_price_change);
				down.m[k].t0 = up.m[k].t1;
				down.m[k].t1 = up.m[k].t0;
			}
			if (isfinite(p.ex)) {
				/* with finite supply the cut's base prices are the raise's: the
				   quantity at world price 1 is the value; the supply curve
				   through it is the same only in value terms, so compare the
				   sign and the order of magnitude */
				assert_int_equal(tariff_eval(models[m], &down, &p, &b, &err), 0);
				assert_true(a.total.dwl > 0 && b.total.dwl < 0);
				assert_true(fabs(a.total.dwl + b.total.dwl) < 0.05 * a.total.dwl);
				continue;
			}
			assert_int_equal(tariff_eval(models[m], &down, &p, &b, &err), 0);
			assert_true(a.total.dwl > 0);
			assert_close(b.total.dwl, -a.total.dwl, 1e-9 * a.total.dwl);
			assert_close(b.total.dcs, -a.total.dcs, 1e-9 * fabs(a.total.dcs));
		}
	/* smart: the cut of S1 lowers the deadweight loss, the rise of S2 raises it */
	{
		struct tariff_scenario s = one(TARIFF_CN, 1000, 0, 0.25);
		struct tariff_params p = params(1.5, INFINITY, 0);
		struct tariff_result r;
		assert_int_equal(tariff_eval(TARIFF_SMART, &s, &p, &r, &err), 0);
		assert_close(r.total.dwl, 46.875, 1e-9);	/* 0.5 * 0.25 * 375 */
		s = one(TARIFF_CN, 1000, 0.25, 0);
		assert_int_equal(tariff_eval(TARIFF_SMART, &s, &p, &r, &err), 0);
		assert_true(r.total.dwl < 0);
	}
}

/* Zero change gives exactly zero everywhere, in every model. */
static void test_zero_change_exact(void **state)
{
	static const enum tariff_model models[] = { TARIFF_CES, TARIFF_SMART, TARIFF_GSIM };
	static const double exs[] = { INFINITY, 3 };
	struct tc_err err;
	(void)state;

	for (size_t m = 0; m < 3; m++)
		for (size_t e = 0; e < 2; e++) {
			struct tariff_scenario s = four();
			struct tariff_params p = params(0.9, exs[e], 3.7);
			struct tariff_result r;
			for (int k = 0; k < TARIFF_NPARTNERS; k++)
				s.m[k].t1 = s.m[k].t0;
			p.import_share_pce = 0.107;
			assert_int_equal(tariff_eval(models[m], &s, &p, &r, &err), 0);
			for (int k = 0; k < TARIFF_NPARTNERS; k++) {
				assert_true(r.p[k].m1 == r.p[k].m0);
				assert_true(r.p[k].dm == 0 && r.p[k].creation == 0 && r.p[k].diversion == 0);
				assert_true(r.p[k].price_change == 0 && r.p[k].world_price_change == 0);
				assert_true(r.p[k].drev == 0);
			}
			assert_true(r.total.dm == 0 && r.total.drev == 0 && r.total.dcs == 0);
			assert_true(r.total.dwl == 0 && r.total.net_welfare == 0);
			assert_true(r.total.price_index_change == 0 && r.total.cpi_change == 0);
			if (models[m] != TARIFF_SMART)
				assert_true(r.total.dps == 0 && r.total.tot_gain == 0);
		}
}

static double urand(gsl_rng *g, double a, double b)
{
	return a + (b - a) * gsl_rng_uniform(g);
}

/* A random scenario: 1-4 partners, tariffs raised (up = 1) or random. */
static void random_case(gsl_rng *g, struct tariff_scenario *s, struct tariff_params *p, int up)
{
	int n = 0;

	memset(s, 0, sizeof(*s));
	while (!n)
		for (int k = 0; k < TARIFF_NPARTNERS; k++)
			if (gsl_rng_uniform(g) < 0.7) {
				double t0 = urand(g, 0, 1);
				add(s, k, exp(urand(g, 0, log(1e6))), t0,
				    up ? t0 + urand(g, 0, 3) * (gsl_rng_uniform(g) < 0.7) : urand(g, 0, 3));
				n++;
			}
	*p = params(urand(g, 0.2, 5), gsl_rng_uniform(g) < 0.5 ? INFINITY : urand(g, 0.3, 20),
		    urand(g, 0, 8));
}

/*
** Invariants over 2000 seeded random cases: imports and prices positive,
** dCS <= 0 for any increase, creation + diversion = the total change and
** diversion sums to 0, gsim = ces, revenue identity.
*/
static void test_invariants_random(void **state)
{
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	int solved = 0;
	(void)state;

	gsl_rng_set(g, 20261125);
	for (int it = 0; it < 2000; it++) {
		struct tariff_scenario s;
		struct tariff_params p;
		struct tariff_result r, q;
		struct tc_err err;
		double sdm = 0, sdiv = 0;
		random_case(g, &s, &p, it % 2 == 0);
		tc_err_init(&err);
		if (tariff_eval(TARIFF_CES, &s, &p, &r, &err)) {
			/* a failure is a reason, never a number */
			assert_true(err.msg[0] != '\0');
			continue;
		}
		solved++;
		for (int k = 0; k < TARIFF_NPARTNERS; k++) {
			if (!s.m[k].present)
				continue;
			assert_true(r.p[k].m1 >= 0);
			assert_true(r.p[k].price_change > -1 && r.p[k].world_price_change > -1);
			assert_close(r.p[k].creation + r.p[k].diversion, r.p[k].m1 - r.p[k].m0,
				     1e-9 * r.p[k].m0);
			assert_close(r.p[k].rev1, r.p[k].t1 * r.p[k].m1 * (1 + r.p[k].world_price_change),
				     1e-9 * (1 + r.p[k].rev1));
			sdm += r.p[k].dm;
			sdiv += r.p[k].diversion;
		}
		assert_close(sdm, r.total.dm, 1e-9 * r.total.m0);
		assert_close(sdiv, r.total.diversion, 1e-9 * r.total.m0);
		assert_close(sdiv, 0, 1e-9 * r.total.m0);
		if (it % 2 == 0)	/* every tariff rose or stayed */
			assert_true(r.total.dcs <= 0 && r.total.price_index_change >= 0);
		assert_int_equal(tariff_eval(TARIFF_GSIM, &s, &p, &q, &err), 0);
		assert_close(q.total.m1, r.total.m1, 1e-9 * r.total.m0);
		assert_close(q.total.dcs, r.total.dcs, 1e-9 * (1 + fabs(r.total.dcs)));
	}
	assert_true(solved > 1900);
	gsl_rng_free(g);
}

/*
** Every model agrees with ces to first order for a 1-point change: the
** gap in the total import change, revenue change and consumer surplus,
** on the scale of the first-order change M0 dt, is O(dt) for dt = 1, 0.1
** and 0.01 points (equal base tariffs, where
** SMART's quantity shares equal the model's expenditure shares).
*/
static void test_first_order_agreement(void **state)
{
	static const enum tariff_model models[] = { TARIFF_SMART, TARIFF_GSIM };
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	(void)state;

	gsl_rng_set(g, 13);
	for (int it = 0; it < 200; it++) {
		struct tariff_scenario s;
		struct tariff_params p;
		double t0 = urand(g, 0.02, 0.5);
		int k0;
		random_case(g, &s, &p, 1);
		p.ex = INFINITY;
		for (int k = 0; k < TARIFF_NPARTNERS; k++)
			s.m[k].t0 = s.m[k].t1 = t0;
		do
			k0 = (int)gsl_rng_uniform_int(g, TARIFF_NPARTNERS);
		while (!s.m[k0].present);
		for (size_t m = 0; m < 2; m++) {
			static const double dts[] = { 0.01, 0.001, 0.0001 };
			for (int j = 0; j < 3; j++) {
				struct tariff_result a, b;
				struct tc_err err;
				double dt = dts[j], scale = s.m[k0].m0 * dt;
				s.m[k0].t1 = t0 + dt;
				assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &a, &err), 0);
				assert_int_equal(tariff_eval(models[m], &s, &p, &b, &err), 0);
				/*
				** gaps on the scale of the first-order change M0 dt: a
				** second-order difference is O(dt) there (|sigma - eps|/2
				** x (1 + t0)^-1 dt <= 4 dt here), a first-order one stays put
				*/
				assert_true(fabs(b.total.dm - a.total.dm) / scale <= 25 * dt);
				assert_true(fabs(b.total.drev - a.total.drev) / scale <= 25 * dt);
				assert_true(fabs(b.total.dcs - a.total.dcs) / scale <= 25 * dt);
			}
		}
	}
	gsl_rng_free(g);
}

/* SMART beyond its validity: refused (negative imports) or flagged (large change). */
static void test_smart_validity(void **state)
{
	struct tariff_scenario s = four();
	struct tariff_params p = params(1.5, INFINITY, 1.5);
	struct tariff_result r;
	struct tc_err err;
	(void)state;

	tc_err_init(&err);
	assert_int_equal(tariff_eval(TARIFF_SMART, &s, &p, &r, &err), -1);	/* CN 20% -> 200% */
	assert_non_null(strstr(err.msg, "CN"));
	assert_non_null(strstr(err.msg, "ces"));
	/*
	** 1 point on CN at 20%: x = 0.01/1.2; exact (1+x)^-1.5 - 1 = -0.012448,
	** linear -0.0125: relative error 0.0042, within validity.
	*/
	s.m[TARIFF_CN].t1 = 0.21;
	assert_int_equal(tariff_eval(TARIFF_SMART, &s, &p, &r, &err), 0);
	assert_false(r.beyond_validity);
	assert_close(r.approx_error, fabs(-1.5 * 0.01 / 1.2 - (pow(1 + 0.01 / 1.2, -1.5) - 1)) /
				     fabs(pow(1 + 0.01 / 1.2, -1.5) - 1), 1e-12);
	/* 20% -> 60%: x = 1/3, relative error about 0.3: flagged */
	s.m[TARIFF_CN].t1 = 0.6;
	p.sigma = 0.5;
	assert_int_equal(tariff_eval(TARIFF_SMART, &s, &p, &r, &err), 0);
	assert_true(r.beyond_validity);
	assert_true(r.approx_error > TARIFF_SMART_MAX_REL_ERR);
}

/*
** Economy-wide price effect: one market 0 -> 25%, pass-through 1: the
** import price index rises 25%; with an import share of consumption of
** 0.107 the price level rises 0.107 * 0.25 = 2.675%, and with consumption
** of USD 20,000,000 million over 100 million households the cost per
** household is 0.02675 * 2e13 / 1e8 = USD 5,350.  Without the share: NAN.
*/
static void test_price_effect(void **state)
{
	struct tariff_scenario s = one(TARIFF_CN, 1000, 0, 0.25);
	struct tariff_params p = params(1.5, INFINITY, 1.5);
	struct tariff_result r;
	struct tc_err err;
	(void)state;

	p.households = 1e8;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), 0);
	assert_close(r.total.price_index_change, 0.25, 1e-12);
	assert_true(isnan(r.total.cpi_change) && isnan(r.total.cost_per_household_cpi));
	p.import_share_pce = 0.107;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), 0);
	assert_close(r.total.cpi_change, 0.02675, 1e-12);
	assert_true(isnan(r.total.cost_per_household_cpi));
	p.pce = 2e7;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), 0);
	assert_close(r.total.cost_per_household_cpi, 5350, 1e-6);
	p.import_share_pce = 1.5;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), -1);
	assert_non_null(strstr(err.msg, "import share"));
}

/* Monte Carlo: draws where the model fails are counted, never averaged in. */
static void test_mc_failed_draws_counted(void **state)
{
	enum { D = 2000 };
	struct tariff_scenario s = one(TARIFF_CN, 1000, 0, 0.5);
	struct tariff_params p = params(1.5, INFINITY, 0);
	struct tariff_mc_dist d;
	struct tariff_mc_summary sum[TARIFF_MC_NOUT];
	static float out[D * TARIFF_MC_NOUT];
	size_t nfailed = 0, nbad = 0;
	double acc = 0;
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	struct tc_err err;
	(void)state;

	/* smart: 1000 (1 - eps 0.5) < 0 when a draw has eps > 2 (about 17% of draws) */
	tariff_mc_dist_default(&d);
	gsl_rng_set(g, 7);
	assert_int_equal(tariff_mc_run_counted(TARIFF_SMART, &s, &p, &d, D, g, out, &nfailed, &err), 0);
	for (size_t i = 0; i < D; i++) {
		float eps = out[i * TARIFF_MC_NOUT + MC_EPS];
		float m1 = out[i * TARIFF_MC_NOUT + MC_IMPORTS_AFTER];
		if (eps > 2) {
			nbad++;
			assert_true(isnan(m1));
		} else {
			assert_close(m1, 1000 * (1 - eps * 0.5), 1e-3);
			acc += m1;
		}
	}
	assert_true(nbad > D / 20 && nbad < D / 3);
	assert_int_equal(nfailed, nbad);
	gsl_rng_set(g, 7);
	assert_int_equal(tariff_mc_stats(TARIFF_SMART, &s, &p, &d, D, g, sum, &err), 0);
	assert_int_equal(sum[MC_IMPORTS_AFTER].nfailed, nbad);
	assert_int_equal(sum[MC_IMPORTS_AFTER].nfinite, D - nbad);
	assert_close(sum[MC_IMPORTS_AFTER].mean, acc / (double)(D - nbad), 1e-3);
	gsl_rng_free(g);
}

/* Sensitivity grid: one row per combination, in order, each equal to tariff_eval. */
static void test_grid(void **state)
{
	static const double eps[] = { 0.5, 1, 2 }, sig[] = { 0, 3 }, ex[] = { INFINITY, 2 };
	static const double pt[] = { 1, 0.5 };
	struct tariff_grid_axes ax = { eps, sig, ex, pt, 3, 2, 2, 2 };
	struct tariff_grid_row rows[24];
	struct tariff_scenario s = four();
	struct tariff_params base = params(1, INFINITY, 1);
	struct tc_err err;
	size_t i = 0;
	(void)state;

	assert_int_equal(tariff_grid_size(&ax), 24);
	assert_int_equal(tariff_grid(TARIFF_CES, &s, &base, &ax, rows, &err), 0);
	for (size_t a = 0; a < 3; a++)
		for (size_t b = 0; b < 2; b++)
			for (size_t c = 0; c < 2; c++)
				for (size_t d = 0; d < 2; d++, i++) {
					struct tariff_params p = base;
					struct tariff_result r;
					p.eps = eps[a];
					p.sigma = sig[b];
					p.ex = ex[c];
					p.pass_through = pt[d];
					assert_true(rows[i].p.eps == eps[a] && rows[i].p.sigma == sig[b]);
					assert_true(rows[i].p.ex == ex[c] && rows[i].p.pass_through == pt[d]);
					if (isfinite(ex[c]) && pt[d] != 1) {
						/* a finite supply fixes the pass-through: a row with the reason */
						assert_false(rows[i].ok);
						assert_non_null(strstr(rows[i].why.msg, "pass-through"));
						continue;
					}
					assert_true(rows[i].ok);
					assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), 0);
					assert_close(rows[i].total.dcs, r.total.dcs, 1e-9 * fabs(r.total.dcs));
					assert_close(rows[i].total.rev1, r.total.rev1, 1e-9 * r.total.rev1);
				}
}

/*
** The Monte Carlo kernel (specialised for infinite supply) gives, draw by
** draw, what tariff_eval gives for the drawn eps and sigma.
*/
static void test_mc_kernel_equals_eval(void **state)
{
	enum { D = 500 };
	static float out[D * TARIFF_MC_NOUT];
	static const enum tariff_model models[] = { TARIFF_CES, TARIFF_GSIM };
	struct tariff_scenario s = four();
	struct tariff_params p = params(1.2, INFINITY, 2.5);
	struct tariff_mc_dist d;
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	struct tc_err err;
	(void)state;

	tariff_mc_dist_default(&d);
	p.households = 132e6;
	p.pass_through = 0.8;
	s.m[TARIFF_MX].t1 = 0.10;	/* two partners move, one of them down */
	for (size_t m = 0; m < 2; m++) {
		size_t nf = 1;
		gsl_rng_set(g, 99);
		assert_int_equal(tariff_mc_run_counted(models[m], &s, &p, &d, D, g, out, &nf, &err), 0);
		assert_int_equal(nf, 0);
		for (size_t i = 0; i < D; i++) {
			const float *row = out + i * TARIFF_MC_NOUT;
			struct tariff_params q = p;
			struct tariff_result r;
			q.eps = row[MC_EPS];
			q.sigma = row[MC_SIGMA];
			assert_int_equal(tariff_eval(TARIFF_CES, &s, &q, &r, &err), 0);
			/* floats: 1e-6 relative, eps and sigma rounded to float too */
			assert_close(row[MC_IMPORTS_AFTER], r.total.m1, 1e-5 * r.total.m0);
			assert_close(row[MC_REVENUE_AFTER], r.total.rev1, 1e-5 * r.total.rev1);
			assert_close(row[MC_DCS], r.total.dcs, 1e-5 * fabs(r.total.dcs));
			assert_close(row[MC_DWL], r.total.dwl, 1e-5 * fabs(r.total.dcs));
			for (int k = 0; k < TARIFF_NPARTNERS; k++)
				assert_close(row[MC_PARTNER_DIVERSION + k], r.p[k].diversion, 1e-5 * r.total.m0);
		}
	}
	gsl_rng_free(g);
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
		cmocka_unit_test(test_revenue_peak_two_partners_eps1),
		cmocka_unit_test(test_revenue_max_matches_sweep),
		cmocka_unit_test(test_dcs_depends_on_sigma),
		cmocka_unit_test(test_dwl_cut_raise_symmetry),
		cmocka_unit_test(test_zero_change_exact),
		cmocka_unit_test(test_invariants_random),
		cmocka_unit_test(test_first_order_agreement),
		cmocka_unit_test(test_smart_validity),
		cmocka_unit_test(test_price_effect),
		cmocka_unit_test(test_mc_failed_draws_counted),
		cmocka_unit_test(test_grid),
		cmocka_unit_test(test_mc_kernel_equals_eval),
	};
	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

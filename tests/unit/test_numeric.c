/*
** test_numeric.c: numeric robustness of the pure models at the extremes
** (issue 7, docs/guarantees.md "Numbers").  Property: every result is a
** finite number or an explicit error with a message; a documented missing
** value (NAN) is the only exception.  Where an exact answer is known it is
** derived in the comment (closed forms, limits), never taken from the
** program's own output.
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

#include "tocalc/model_claims.h"
#include "tocalc/data_claims.h"
#include "tocalc/claims_run.h"
#include "tocalc/model_joinpoint.h"
#include "tocalc/model_tariff.h"
#include "tocalc/model_trend.h"

#define NMODELS 3

static const double rates[] = { 0, 1e-12, 0.1, 0.25, 2, 10, TARIFF_MAX_RATE };
static const double elasticities[] = { 4.9e-324, 1e-12, 0.5, 1 - 1e-9, 1 - 1e-12, 1, 1 + 1e-12,
				       1 + 1e-9, 1.5, 4, 50, 1000, 1e6, 1e300 };
static const double imports[] = { 4.9e-324, 1e-9, 1000, 438947, TARIFF_MAX_IMPORTS };

static struct tariff_params params(double eps, double ex, double sigma, double hh)
{
	struct tariff_params p;
	p.eps = eps;
	p.ex = ex;
	p.sigma = sigma;
	p.pass_through = 1;
	p.import_share_pce = NAN;
	p.pce = NAN;
	p.households = hh;
	return p;
}

/* A result is finite except the documented missing values (model_tariff.h). */
static void assert_result_finite(enum tariff_model m, const struct tariff_scenario *s,
				 const struct tariff_result *r)
{
	const struct tariff_totals *T = &r->total;
	int und = r->undefined;

	assert_true(isfinite(T->m0) && isfinite(T->creation) && isfinite(T->rev0));
	assert_true(isfinite(T->rev1_static) && isfinite(T->dcs));
	assert_false(isinf(T->cost_per_household));
	/* the import price index never falls below zero; the optional outputs are missing or finite */
	assert_true(isfinite(T->price_index_change) && T->price_index_change > -1);
	assert_false(isinf(T->cpi_change) || isinf(T->cost_per_household_cpi));
	if (m != TARIFF_SMART)
		assert_true(isfinite(T->dps));
	if (m != TARIFF_SMART)
		assert_true(isfinite(T->tot_gain));
	if (!und) {
		assert_true(isfinite(T->m1) && isfinite(T->dm) && isfinite(T->rev1) && isfinite(T->drev));
		assert_true(isfinite(T->dwl) && isfinite(T->net_welfare) && isfinite(T->diversion));
	}
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct tariff_partner_result *p = &r->p[k];
		if (!s->m[k].present)
			continue;
		assert_true(isfinite(p->creation) && isfinite(p->price_change));
		assert_true(isfinite(p->world_price_change) && isfinite(p->rev1_static));
		if (m == TARIFF_SMART)	/* ces, gsim: the composite's surplus only */
			assert_true(isfinite(p->dcs));
		assert_true(p->m1 >= 0 && p->price_change > -1 && p->world_price_change > -1);
		if (!und)
			assert_true(isfinite(p->m1) && isfinite(p->rev1) && isfinite(p->diversion));
	}
}

/* Evaluate; on success the result is finite, on failure there is a message. */
static int eval_checked(enum tariff_model m, const struct tariff_scenario *s,
			const struct tariff_params *p, struct tariff_result *r)
{
	struct tc_err err;

	tc_err_init(&err);
	if (tariff_eval(m, s, p, r, &err)) {
		assert_true(err.msg[0] != '\0');
		assert_true(err.code == TC_EXIT_DATA);
		return -1;
	}
	assert_result_finite(m, s, r);
	return 0;
}

/*
** Every model on one partner and on three, for every combination of the
** extreme rates, elasticities and import values: finite or an error.
** At least the ordinary cases (eps 1.5, 0 -> 25%) must succeed.
*/
static void test_tariff_grid_finite_or_error(void **state)
{
	size_t nrates = sizeof(rates) / sizeof(rates[0]);
	size_t neps = sizeof(elasticities) / sizeof(elasticities[0]);
	size_t nimp = sizeof(imports) / sizeof(imports[0]);
	long ok = 0, failed = 0;

	(void)state;
	for (int m = 0; m < NMODELS; m++)
		for (size_t a = 0; a < nrates; a++)
			for (size_t b = 0; b < nrates; b++)
				for (size_t e = 0; e < neps; e++)
					for (size_t i = 0; i < nimp; i++)
						for (int multi = 0; multi < 2; multi++) {
							struct tariff_scenario s;
							struct tariff_params p = params(elasticities[e], INFINITY,
											multi ? elasticities[neps - 1 - e] : 0,
											131e6);
							struct tariff_result r;
							memset(&s, 0, sizeof(s));
							s.m[TARIFF_CN].present = 1;
							s.m[TARIFF_CN].m0 = imports[i];
							s.m[TARIFF_CN].t0 = rates[a];
							s.m[TARIFF_CN].t1 = rates[b];
							if (multi) {
								s.m[TARIFF_MX].present = s.m[TARIFF_CA].present = 1;
								s.m[TARIFF_MX].m0 = 505851;
								s.m[TARIFF_CA].m0 = imports[nimp - 1 - i];
								s.m[TARIFF_CA].t0 = rates[b];
								s.m[TARIFF_CA].t1 = rates[a];
							}
							if (eval_checked((enum tariff_model)m, &s, &p, &r))
								failed++;
							else
								ok++;
						}
	/* most combinations are computable; the rest are clear errors */
	assert_true(ok > failed);
}

/* Finite export supply: tiny, ordinary and huge Ex in every model. */
static void test_tariff_supply_extremes(void **state)
{
	static const double ex[] = { 4.9e-324, 1e-12, 3, 1e12, 1e300 };

	(void)state;
	for (int m = 0; m < NMODELS; m++)
		for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++)
			for (size_t e = 0; e < sizeof(elasticities) / sizeof(elasticities[0]); e++) {
				struct tariff_scenario s;
				struct tariff_params p = params(elasticities[e], ex[i], 1.5, 131e6);
				struct tariff_result r;
				memset(&s, 0, sizeof(s));
				s.m[TARIFF_CN].present = s.m[TARIFF_MX].present = 1;
				s.m[TARIFF_CN].m0 = 438947;
				s.m[TARIFF_CN].t1 = 2;
				s.m[TARIFF_MX].m0 = 505851;
				s.m[TARIFF_MX].t0 = 0.25;
				eval_checked((enum tariff_model)m, &s, &p, &r);
			}
}

/*
** CES near eps = 1: the consumer-surplus change is continuous.  At eps = 1
** it is -V0 ln(pd) = -1000 ln(1.25) = -223.1435513 for 1000 of imports,
** 0 -> 25%; at eps = 1 +- 1e-7 it differs from that by O(1e-7) relative.
*/
static void test_ces_continuous_at_unit_elasticity(void **state)
{
	static const double d[] = { 0, 1e-13, 1e-12, 1e-10, 1e-9, 2e-9, 1e-8, 1e-7 };
	const double want = -1000 * log(1.25);

	(void)state;
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		for (int sign = -1; sign <= 1; sign += 2) {
			struct tariff_scenario s;
			struct tariff_params p = params(1 + sign * d[i], INFINITY, 0, NAN);
			struct tariff_result r;
			struct tc_err err;
			memset(&s, 0, sizeof(s));
			s.m[TARIFF_CN].present = 1;
			s.m[TARIFF_CN].m0 = 1000;
			s.m[TARIFF_CN].t1 = 0.25;
			assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), 0);
			assert_true(fabs(r.total.dcs - want) <= 1e-6 * fabs(want) + 1e3 * d[i] * fabs(want));
		}
}

/*
** A tariff change that overflows exp(): a cut from 10,000% to 0 with an
** import-demand elasticity of 1000 multiplies imports by 101^1000.  That
** is an error with a message, never inf or NAN (model_tariff.h).
*/
static void test_ces_overflow_is_an_error(void **state)
{
	struct tariff_scenario s;
	struct tariff_params p = params(1000, INFINITY, 0, 131e6);
	struct tariff_result r;
	struct tc_err err;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN].present = 1;
	s.m[TARIFF_CN].m0 = 1000;
	s.m[TARIFF_CN].t0 = TARIFF_MAX_RATE;
	s.m[TARIFF_CN].t1 = 0;
	tc_err_init(&err);
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), -1);
	assert_non_null(strstr(err.msg, "not a finite number"));
	assert_non_null(strstr(err.msg, "import-demand elasticity 1000"));
	/* the other direction is the CES limit: imports fall to (almost) nothing */
	s.m[TARIFF_CN].t0 = 0;
	s.m[TARIFF_CN].t1 = TARIFF_MAX_RATE;
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), 0);
	assert_true(r.total.m1 >= 0 && r.total.m1 < 1e-300);
}

/* Inputs outside the documented ranges are errors naming the problem. */
static void test_tariff_input_ranges(void **state)
{
	static const double bad_eps[] = { 0, -1, -0.0, NAN, INFINITY, -INFINITY };
	static const double bad_m0[] = { 0, -1, NAN, INFINITY, TARIFF_MAX_IMPORTS * 1.0001, 1e308 };
	static const double bad_t[] = { -1e-12, -1, NAN, INFINITY, TARIFF_MAX_RATE * 1.0001 };
	struct tariff_scenario s;
	struct tariff_params p;
	struct tariff_result r;
	struct tc_err err;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN].present = 1;
	s.m[TARIFF_CN].m0 = 1000;
	s.m[TARIFF_CN].t1 = 0.25;
	for (size_t i = 0; i < sizeof(bad_eps) / sizeof(bad_eps[0]); i++) {
		p = params(bad_eps[i], INFINITY, 0, NAN);
		assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), -1);
		assert_non_null(strstr(err.msg, "elasticity"));
	}
	p = params(1.5, INFINITY, 0, NAN);
	for (size_t i = 0; i < sizeof(bad_m0) / sizeof(bad_m0[0]); i++) {
		struct tariff_scenario b = s;
		b.m[TARIFF_CN].m0 = bad_m0[i];
		assert_int_equal(tariff_eval(TARIFF_CES, &b, &p, &r, &err), -1);
		assert_non_null(strstr(err.msg, "imports"));
	}
	for (size_t i = 0; i < sizeof(bad_t) / sizeof(bad_t[0]); i++) {
		struct tariff_scenario b = s;
		b.m[TARIFF_CN].t1 = bad_t[i];
		assert_int_equal(tariff_eval(TARIFF_CES, &b, &p, &r, &err), -1);
		b = s;
		b.m[TARIFF_CN].t0 = bad_t[i];
		assert_int_equal(tariff_eval(TARIFF_CES, &b, &p, &r, &err), -1);
	}
	/* households: a positive count, at least one; NAN = not given */
	{
		static const double bad_hh[] = { 0, -1, 4.9e-324, 0.5, INFINITY };
		for (size_t i = 0; i < sizeof(bad_hh) / sizeof(bad_hh[0]); i++) {
			p = params(1.5, INFINITY, 0, bad_hh[i]);
			assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), -1);
			assert_non_null(strstr(err.msg, "households"));
		}
		p = params(1.5, INFINITY, 0, 1);
		assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &err), 0);
		assert_true(isfinite(r.total.cost_per_household));
	}
}

/*
** Revenue maximum at the extremes: eps just above 1 has its maximum far
** above 10,000% (t* = 1/(eps - 1) = 1e9), so none is found on the grid; eps
** = 1e300 has t* = 1/(eps - 1) ~ 1e-300, so the numeric optimum is at 0;
** either way every reported number is finite or the field says missing.
*/
static void test_revenue_max_extremes(void **state)
{
	static const double e[] = { 1 + 1e-9, 1 + 1e-12, 1.5, 2, 1e3, 1e300 };

	(void)state;
	for (int m = 0; m < NMODELS; m++)
		for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
			struct tariff_scenario s;
			struct tariff_params p = params(e[i], m == TARIFF_GSIM ? 3 : INFINITY, 0, NAN);
			struct tariff_revmax rm;
			struct tc_err err;
			memset(&s, 0, sizeof(s));
			s.m[TARIFF_CN].present = 1;
			s.m[TARIFF_CN].m0 = 1000;
			tc_err_init(&err);
			if (tariff_revenue_max((enum tariff_model)m, &s, TARIFF_CN, &p, &rm, &err)) {
				assert_true(err.msg[0] != '\0');
				continue;
			}
			if (!rm.exists) {
				assert_true(isnan(rm.t_numeric) || rm.t_numeric >= 0);
				continue;
			}
			assert_true(isfinite(rm.t_numeric) && rm.t_numeric >= 0 && rm.t_numeric <= TARIFF_MAX_RATE);
			assert_true(isfinite(rm.revenue) && rm.revenue >= 0);
			assert_true(isfinite(rm.revenue_partner));
			assert_true(isnan(rm.t_closed) || isfinite(rm.t_closed));
			if (m == TARIFF_CES && e[i] == 2)	/* 1/(2 - 1) = 100% */
				assert_true(fabs(rm.t_numeric - 1) < 1e-6);
		}
}

/* Monte Carlo summaries at the extremes: finite means and percentiles. */
static void test_monte_carlo_extremes(void **state)
{
	static const double e[] = { 1e-6, 1, 1.5, 200 };
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	(void)state;
	for (int m = 0; m < NMODELS; m++)
		for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
			struct tariff_scenario s;
			struct tariff_params p = params(e[i], INFINITY, 3, 131e6);
			struct tariff_mc_dist d;
			struct tariff_mc_summary sum[TARIFF_MC_NOUT];
			struct tc_err err;
			memset(&s, 0, sizeof(s));
			s.m[TARIFF_CN].present = s.m[TARIFF_MX].present = 1;
			s.m[TARIFF_CN].m0 = TARIFF_MAX_IMPORTS;
			s.m[TARIFF_CN].t1 = TARIFF_MAX_RATE;
			s.m[TARIFF_MX].m0 = 1e-9;
			tariff_mc_dist_default(&d);
			gsl_rng_set(rng, 1);
			tc_err_init(&err);
			if (tariff_mc_stats((enum tariff_model)m, &s, &p, &d, 200, rng, sum, &err)) {
				assert_true(err.msg[0] != '\0');
				continue;
			}
			for (int k = 0; k < MC_PARTNER_M1; k++) {
				if (!sum[k].nfinite)
					continue;	/* reported as missing */
				assert_true(isfinite(sum[k].mean) && isfinite(sum[k].p5));
				assert_true(isfinite(sum[k].p50) && isfinite(sum[k].p95));
				assert_true(sum[k].p5 <= sum[k].p50 && sum[k].p50 <= sum[k].p95);
			}
		}
	gsl_rng_free(rng);
}

/* ------------------------------------------------------------- trend */

/*
** Percent change: 100 (to/from - 1).  Known answers: 68,757 -> 87,203 is
** +26.8% (VSRR Sep 2019 -> Sep 2020); a base of 0 or less is an error.
*/
static void test_pct_change_ordinary(void **state)
{
	double pct;
	struct tc_err err;

	(void)state;
	assert_int_equal(trend_pct_change(68757, 87203, &pct, &err), 0);
	assert_true(fabs(pct - 26.8278) < 1e-3);
	assert_int_equal(trend_pct_change(0, 1, &pct, &err), -1);
	assert_int_equal(trend_pct_change(-1, 1, &pct, &err), -1);
	assert_int_equal(trend_pct_change(NAN, 1, &pct, &err), -1);
	assert_int_equal(trend_pct_change(1, INFINITY, &pct, &err), -1);
	/* huge and tiny values of the same order: exact ratios */
	assert_int_equal(trend_pct_change(1e300, 2e300, &pct, &err), 0);
	assert_true(fabs(pct - 100) < 1e-9);
	assert_int_equal(trend_pct_change(1e-300, 3e-300, &pct, &err), 0);
	assert_true(fabs(pct - 200) < 1e-9);
}

/*
** A ratio that overflows (4.9e-324 -> 1e308, 1e-300 -> 1e300) is an error
** ("too large to represent"), never an infinite percent change.
*/
static void test_pct_change_overflow(void **state)
{
	static const double pairs[][2] = { { 4.9e-324, 1e308 }, { 1e-300, 1e300 }, { 1e-10, 1e308 } };

	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		double pct = 0;
		struct tc_err err;
		tc_err_init(&err);
		if (trend_pct_change(pairs[i][0], pairs[i][1], &pct, &err) == 0)
			assert_true(isfinite(pct));
		else
			assert_true(err.msg[0] != '\0');
	}
}

/*
** Log-linear trend of an exact exponential: y = c 1.1^x has APC exactly
** 10%, whatever the scale c (1e-300 .. 1e300) and the x offset.
*/
static void test_trend_exact_at_any_scale(void **state)
{
	static const double scale[] = { 4.9e-300, 1e-300, 1, 1e300 };
	static const double x0[] = { 0, 1999, -1e6, 1e9 };

	(void)state;
	for (size_t a = 0; a < sizeof(scale) / sizeof(scale[0]); a++)
		for (size_t b = 0; b < sizeof(x0) / sizeof(x0[0]); b++) {
			double x[8], y[8];
			struct trend_fit f;
			struct tc_err err;
			for (int i = 0; i < 8; i++) {
				x[i] = x0[b] + i;
				y[i] = scale[a] * pow(1.1, i);
			}
			assert_int_equal(trend_loglinear(x, y, 8, 0.95, &f, &err), 0);
			assert_true(fabs(f.apc - 10) < 1e-6);
			assert_true(isfinite(f.apc_lower) && isfinite(f.apc_upper));
			assert_true(f.apc_lower <= f.apc + 1e-6 && f.apc <= f.apc_upper + 1e-6);
		}
}

/* Bad inputs of the trend: errors, never a NAN fit. */
static void test_trend_bad_inputs(void **state)
{
	double x[4] = { 1, 2, 3, 4 }, y[4] = { 1, 2, 3, 4 };
	struct trend_fit f;
	struct tc_err err;

	(void)state;
	assert_int_equal(trend_loglinear(x, y, 2, 0.95, &f, &err), -1);
	assert_int_equal(trend_loglinear(x, y, 4, 0, &f, &err), -1);
	assert_int_equal(trend_loglinear(x, y, 4, 1, &f, &err), -1);
	assert_int_equal(trend_loglinear(x, y, 4, NAN, &f, &err), -1);
	y[2] = 0;
	assert_int_equal(trend_loglinear(x, y, 4, 0.95, &f, &err), -1);
	y[2] = -0.0;
	assert_int_equal(trend_loglinear(x, y, 4, 0.95, &f, &err), -1);
	y[2] = NAN;
	assert_int_equal(trend_loglinear(x, y, 4, 0.95, &f, &err), -1);
	y[2] = 3;
	x[1] = INFINITY;
	assert_int_equal(trend_loglinear(x, y, 4, 0.95, &f, &err), -1);
	x[0] = x[1] = x[2] = x[3] = 7;
	assert_int_equal(trend_loglinear(x, y, 4, 0.95, &f, &err), -1);
	/* extreme but valid levels still give finite intervals */
	x[0] = 1, x[1] = 2, x[2] = 3, x[3] = 4;
	assert_int_equal(trend_loglinear(x, y, 4, 4.9e-324, &f, &err), 0);
	assert_true(isfinite(f.apc_lower) && isfinite(f.apc_upper));
	assert_int_equal(trend_loglinear(x, y, 4, 0.999999, &f, &err), 0);
	assert_true(isfinite(f.apc_lower) && isfinite(f.apc_upper));
}

/*
** x values whose spread overflows (x = +-1e308): the slope per unit of x is
** ~1e-308, so the fit must be an error or finite.
*/
static void test_trend_huge_x(void **state)
{
	double x[3] = { -1e308, 0, 1e308 }, y[3] = { 1, 2, 4 };
	struct trend_fit f;
	struct tc_err err;

	(void)state;
	if (trend_loglinear(x, y, 3, 0.95, &f, &err) == 0) {
		assert_true(isfinite(f.slope) && isfinite(f.apc));
		assert_true(isfinite(f.apc_lower) && isfinite(f.apc_upper));
	}
}

/* ---------------------------------------------------------- joinpoint */

/*
** An exact exponential at extreme scales has one segment with APC 10%
** (ln y is linear, so the 0-joinpoint model fits exactly and BIC picks it),
** and every reported number is finite or documented missing.
*/
static void test_joinpoint_extreme_scales(void **state)
{
	static const double scale[] = { 1e-300, 1, 1e300 };

	(void)state;
	for (size_t a = 0; a < sizeof(scale) / sizeof(scale[0]); a++) {
		double x[20], y[20];
		struct jp_options o;
		struct jp_result res;
		const struct jp_model *m;
		struct tc_err err;
		for (int i = 0; i < 20; i++) {
			x[i] = 2000 + i;
			y[i] = scale[a] * pow(1.1, i) * (1 + 1e-3 * ((i * 7) % 5 - 2));
		}
		jp_options_init(&o);
		o.select = JP_SELECT_BIC;
		o.max_jp = 2;
		tc_err_init(&err);
		assert_int_equal(jp_analyze(x, y, 20, &o, NULL, &res, &err), 0);
		m = jp_selected_model(&res);
		assert_non_null(m);
		for (int s = 0; s <= m->k; s++) {
			assert_true(isfinite(m->seg[s].apc));
			assert_true(isfinite(m->seg[s].apc_lower) && isfinite(m->seg[s].apc_upper));
			assert_true(fabs(m->seg[s].apc - 10) < 0.5);
		}
		for (int k = 0; k < res.nmodels; k++)
			assert_true(isfinite(res.models[k].sse) && isfinite(res.models[k].bic));
		jp_result_release(&res);
	}
}

/*
** ln y jumping by 2 ln 1e300 = 1,381.6 every 0.001 in x: the slope is of
** order 10^5 per unit, so the APC 100 (e^b - 1) overflows.  Joinpoint must
** say so (as the single trend does), not report inf or a missing value.
** The same data scaled to a slope of order 1 fit fine.
*/
static void test_joinpoint_overflow_is_an_error(void **state)
{
	double x[6], y[6];
	struct jp_options o;
	struct jp_result res;
	struct jp_aapc a;
	struct tc_err err;

	(void)state;
	for (int i = 0; i < 6; i++) {
		x[i] = 0.001 * i;
		y[i] = i % 2 ? 1e300 : 1e-300;
	}
	jp_options_init(&o);
	o.select = JP_SELECT_BIC;
	o.max_jp = 0;
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, y, 6, &o, NULL, &res, &err), -1);
	assert_non_null(strstr(err.msg, "too steep to report"));
	assert_int_equal(err.code, TC_EXIT_DATA);

	for (int i = 0; i < 6; i++)
		x[i] = 2000 + i;	/* slope ~ 140 per year: e^140 fits in a double */
	tc_err_init(&err);
	assert_int_equal(jp_analyze(x, y, 6, &o, NULL, &res, &err), 0);
	assert_true(isfinite(jp_selected_model(&res)->seg[0].apc));
	assert_int_equal(jp_aapc(jp_selected_model(&res), 0.95, 2000, 2005, &a, &err), 0);
	assert_true(isfinite(a.aapc));
	jp_result_release(&res);
}

/* ------------------------------------------------------------- claims */

/*
** The verdict of a claim: a relative difference that overflows (a count
** claimed as 4.9e-324 against 73,838) is an error, never an infinite diff;
** huge tolerances and values stay finite.
*/
static void test_claim_judge_extremes(void **state)
{
	struct claim_judge_in in;
	struct claim_judge_out out;
	struct tc_err err;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.unit = CU_DEATHS;
	in.cmp = CC_ABOUT;
	in.tolerance = 1;
	in.release = NAN;
	in.ncand = 1;
	in.claimed = 4.9e-324;
	in.cand[0] = 73838;
	tc_err_init(&err);
	assert_int_equal(claim_judge(&in, &out, &err), -1);
	assert_non_null(strstr(err.msg, "not a finite number"));
	in.claimed = 76000;
	in.tolerance = 1e308;
	assert_int_equal(claim_judge(&in, &out, &err), 0);
	assert_int_equal(out.verdict, CV_HOLDS);
	assert_true(isfinite(out.diff));
	in.unit = CU_PERCENT;
	in.claimed = -1e308;
	in.cand[0] = 1e308;
	in.tolerance = 0;
	if (claim_judge(&in, &out, &err) == 0)
		assert_true(isfinite(out.diff));
	in.cand[0] = NAN;
	assert_int_equal(claim_judge(&in, &out, &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tariff_grid_finite_or_error),
		cmocka_unit_test(test_tariff_supply_extremes),
		cmocka_unit_test(test_ces_continuous_at_unit_elasticity),
		cmocka_unit_test(test_ces_overflow_is_an_error),
		cmocka_unit_test(test_tariff_input_ranges),
		cmocka_unit_test(test_revenue_max_extremes),
		cmocka_unit_test(test_monte_carlo_extremes),
		cmocka_unit_test(test_pct_change_ordinary),
		cmocka_unit_test(test_pct_change_overflow),
		cmocka_unit_test(test_trend_exact_at_any_scale),
		cmocka_unit_test(test_trend_bad_inputs),
		cmocka_unit_test(test_trend_huge_x),
		cmocka_unit_test(test_joinpoint_extreme_scales),
		cmocka_unit_test(test_joinpoint_overflow_is_an_error),
		cmocka_unit_test(test_claim_judge_extremes),
	};

	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

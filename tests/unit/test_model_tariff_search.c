/*
** test_model_tariff_search.c: the revenue search's evaluator (issue 18).
**
** tariff_revenue_max evaluates the model at 401 grid rates and in Brent's
** iterations through tariff_rev_at (model_tariff_impl.h), which computes
** revenue and the failure decision only.  Oracle: the public tariff_eval.
** For every shipped scenario in scenarios/ (resolved as `tocalc tariff run`
** does), each present partner, the three models and a finite supply, and
** for random scenarios and parameters (one to four partners, elasticities
** from 0.05 to 1e4, substitution 0, 1 (Cobb-Douglas), near 1 and up to
** 1e4 (log-sum-exp), pass-through below 1, base imports from 1e-300 to the
** limit: many rates where the models fail), at every grid rate and at
** random and boundary rates:
**   - tariff_rev_at fails exactly where tariff_eval fails, and its revenue
**     equals tariff_eval's total.rev1 bit for bit;
**   - tariff_revenue_max equals, field for field and bit for bit (and the
**     same message on failure), old_revenue_max below: the implementation
**     before issue 18, kept here as the oracle (tariff_eval at every rate).
** Also 400 cases near overflow (imports crossing the evaluator's safe
** region and overflowing along the grid), the grid written out in
** model_tariff_search.c against its formula, and tariff_rev_init's errors.
** Under valgrind or any TOCALC_WRAP (make valgrind) a sample runs: the
** shipped scenarios with the ces model, 40 random cases instead of 3,000
** and 10 near overflow instead of 400.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "testutil.h"
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tocalc/model_tariff.h"
#include "tocalc/run_tariff.h"
#include "tocalc/scenario.h"
#include "tocalc/scenario_resolve.h"
#include "../../src/model_tariff_impl.h"

#include "shipped.h"

/* ------------------------------------------- the oracle (before issue 18) */

struct old_revfn {
	enum tariff_model model;
	struct tariff_scenario s;
	const struct tariff_params *p;
	int partner;
	int failed;
};

static double old_neg_revenue(double t, void *ud)
{
	struct old_revfn *f = ud;
	struct tariff_result r;
	struct tc_err e;

	f->s.m[f->partner].t1 = t;
	if (tariff_eval(f->model, &f->s, f->p, &r, &e)) {
		f->failed++;
		return HUGE_VAL;
	}
	return -r.total.rev1;
}

static int old_revenue_max(enum tariff_model model, const struct tariff_scenario *s, int partner,
			   const struct tariff_params *p, struct tariff_revmax *rm, struct tc_err *err)
{
	enum { NGRID = 401 };
	struct old_revfn f;
	double grid[NGRID], val[NGRID], phi;
	gsl_min_fminimizer *mz;
	gsl_function F;
	size_t best = 0;
	int status, iter = 0, nok = 0;
	double a, b, m;

	memset(rm, 0, sizeof(*rm));
	rm->t_numeric = rm->t_closed = rm->revenue = rm->revenue_partner = NAN;
	if (partner < 0 || partner >= TARIFF_NPARTNERS || !s->m[partner].present)
		return tc_fail(err, "revenue maximum: partner not in the scenario");
	if (tariff_params_check(p, err) || tariff_scenario_check(s, err))
		return -1;
	phi = tariff_phi(p, p->eps);
	if (model != TARIFF_SMART) {
		if (p->eps > 1 && phi > 0)
			rm->t_closed = 1 / (phi * (p->eps - 1));
	} else if (phi > 0) {
		double t0 = s->m[partner].t0;
		rm->t_closed = (1 + t0 + p->eps * phi * t0) / (2 * p->eps * phi);
	}
	f.model = model;
	f.s = *s;
	f.p = p;
	f.partner = partner;
	f.failed = 0;
	grid[0] = 0;
	for (int i = 1; i < NGRID; i++)
		grid[i] = 0.001 * pow(TARIFF_REVMAX_TOP / 0.001, (double)(i - 1) / (NGRID - 2));
	for (int i = 0; i < NGRID; i++) {
		val[i] = old_neg_revenue(grid[i], &f);
		if (isfinite(val[i]))
			nok++;
		if (val[i] < val[best])
			best = (size_t)i;
	}
	rm->failed = f.failed;
	if (!nok)
		return tc_fail(err, "revenue maximum: the %s model fails at every rate from 0 to %g%% "
			       "(import-demand elasticity %g, substitution %g)", tariff_model_name(model),
			       100 * TARIFF_REVMAX_TOP, p->eps, p->sigma);
	if (best == NGRID - 1) {
		rm->beyond_range = 1;
		return 0;
	}
	rm->exists = 1;
	if (best == 0 || !isfinite(val[best - 1]) || !isfinite(val[best + 1])) {
		rm->t_numeric = grid[best];
		rm->revenue = -val[best];
	} else {
		a = grid[best - 1];
		b = grid[best + 1];
		m = grid[best];
		mz = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
		if (!mz)
			return tc_fail(err, "revenue maximum: unable to allocate the minimiser");
		F.function = old_neg_revenue;
		F.params = &f;
		status = gsl_min_fminimizer_set_with_values(mz, &F, m, val[best], a, val[best - 1],
							    b, val[best + 1]);
		if (status == GSL_EINVAL) {
			gsl_min_fminimizer_free(mz);
			rm->t_numeric = m;
			rm->revenue = -val[best];
		} else {
			status = GSL_CONTINUE;
			while (status == GSL_CONTINUE && iter < 200) {
				iter++;
				status = gsl_min_fminimizer_iterate(mz);
				if (status)
					break;
				m = gsl_min_fminimizer_x_minimum(mz);
				a = gsl_min_fminimizer_x_lower(mz);
				b = gsl_min_fminimizer_x_upper(mz);
				status = gsl_min_test_interval(a, b, 1e-6, 1e-6);
			}
			gsl_min_fminimizer_free(mz);
			if (status != GSL_SUCCESS)
				return tc_fail(err, "revenue maximum: minimiser failed: %s",
					       status == GSL_CONTINUE ? "too many iterations"
								      : gsl_strerror(status));
			rm->t_numeric = m;
			rm->revenue = -old_neg_revenue(m, &f);
		}
	}
	rm->iterations = iter;
	{
		struct tariff_result r;
		f.s.m[partner].t1 = rm->t_numeric;
		if (tariff_eval(model, &f.s, p, &r, err))
			return -1;
		rm->revenue = r.total.rev1;
		rm->revenue_partner = r.p[partner].rev1;
	}
	return 0;
}

/* ------------------------------------------------------------- checks */

static int same_bits(double a, double b)
{
	return !memcmp(&a, &b, sizeof(a));
}

/* counters over the whole program, printed at the end and checked for coverage */
static struct {
	long cases, rates, failed_rates, ok_rates, revmax_ok, revmax_fail, exists, beyond, brent;
} cnt;

/* tariff_rev_at at rate t against tariff_eval. */
static void check_rate(struct tariff_rev *c, enum tariff_model model,
		       const struct tariff_scenario *s, int partner, const struct tariff_params *p,
		       double t)
{
	struct tariff_scenario q = *s;
	struct tariff_result r;
	struct tc_err e;
	double rev = 0;
	int ok_eval, ok_fast;

	q.m[partner].t1 = t;
	ok_eval = !tariff_eval(model, &q, p, &r, &e);
	ok_fast = !tariff_rev_at(c, t, &rev);
	if (ok_eval != ok_fast || (ok_eval && !same_bits(rev, r.total.rev1)))
		fail_msg("%s, partner %s, eps %.17g sigma %.17g ex %.17g pt %.17g, t1 %.17g: "
			 "tariff_eval %s (%.17g, %s), tariff_rev_at %s (%.17g)", tariff_model_name(model),
			 tariff_partner_code(partner), p->eps, p->sigma, p->ex, p->pass_through, t,
			 ok_eval ? "ok" : "fails", ok_eval ? r.total.rev1 : NAN, ok_eval ? "" : e.msg,
			 ok_fast ? "ok" : "fails", ok_fast ? rev : NAN);
	cnt.rates++;
	if (ok_eval)
		cnt.ok_rates++;
	else
		cnt.failed_rates++;
}

/* One case: the evaluator at every grid rate and at `extra` random rates, then the search. */
static void check_case(enum tariff_model model, const struct tariff_scenario *s, int partner,
		       const struct tariff_params *p, gsl_rng *g, int extra)
{
	static const double edge[] = { 0, -0.0, 1e-300, 0.001, 1, TARIFF_MAX_RATE,
				       TARIFF_MAX_RATE * (1 + 1e-16), 100.00000000000001, 101,
				       -1e-300, INFINITY, NAN };
	struct tariff_revmax a, b;
	struct tc_err ea, eb;
	struct tariff_rev c;
	int ra, rb;

	tc_err_init(&ea);
	tc_err_init(&eb);
	if (tariff_rev_init(&c, model, s, partner, p, &ea) == 0) {
		for (int i = 0; i < 401; i++)
			check_rate(&c, model, s, partner, p,
				   i ? 0.001 * pow(TARIFF_REVMAX_TOP / 0.001, (double)(i - 1) / 399) : 0);
		for (size_t i = 0; i < TC_ARRAY_SIZE(edge); i++)
			check_rate(&c, model, s, partner, p, edge[i]);
		check_rate(&c, model, s, partner, p, s->m[partner].t0);
		check_rate(&c, model, s, partner, p, s->m[partner].t1);
		for (int i = 0; i < extra; i++)
			check_rate(&c, model, s, partner, p, gsl_rng_uniform(g) * TARIFF_MAX_RATE *
				   (gsl_rng_uniform(g) < 0.5 ? 0.05 : 1));
		tariff_rev_free(&c);
	}
	tc_err_init(&ea);
	ra = old_revenue_max(model, s, partner, p, &a, &ea);
	rb = tariff_revenue_max(model, s, partner, p, &b, &eb);
	if (ra != rb || strcmp(ea.msg, eb.msg) || a.exists != b.exists ||
	    a.beyond_range != b.beyond_range || a.failed != b.failed ||
	    a.iterations != b.iterations || !same_bits(a.t_numeric, b.t_numeric) ||
	    !same_bits(a.t_closed, b.t_closed) || !same_bits(a.revenue, b.revenue) ||
	    !same_bits(a.revenue_partner, b.revenue_partner))
		fail_msg("%s, partner %s, eps %.17g sigma %.17g ex %.17g pt %.17g: old %d '%s' "
			 "exists %d beyond %d failed %d iter %d t %.17g rev %.17g %.17g; new %d '%s' "
			 "exists %d beyond %d failed %d iter %d t %.17g rev %.17g %.17g",
			 tariff_model_name(model), tariff_partner_code(partner), p->eps, p->sigma,
			 p->ex, p->pass_through, ra, ea.msg, a.exists, a.beyond_range, a.failed,
			 a.iterations, a.t_numeric, a.revenue, a.revenue_partner, rb, eb.msg, b.exists,
			 b.beyond_range, b.failed, b.iterations, b.t_numeric, b.revenue,
			 b.revenue_partner);
	cnt.cases++;
	if (ra) {
		cnt.revmax_fail++;
		return;
	}
	cnt.revmax_ok++;
	cnt.exists += a.exists;
	cnt.beyond += a.beyond_range;
	cnt.brent += a.iterations > 0;
}

/* ------------------------------------------------------------- tests */

/* Every shipped scenario, every present partner, the three models, infinite and finite supply. */
static void test_revmax_scenarios(void **state)
{
	static const enum tariff_model models[] = { TARIFF_CES, TARIFF_SMART, TARIFF_GSIM };
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	struct shipped sh;
	long before = cnt.cases;
	(void)state;

	gsl_rng_set(g, 18);
	shipped_load(&sh);
	assert_true(sh.n >= 6);
	for (size_t i = 0; i < sh.n; i++) {
		const struct whatif *w = sh.w[i];
		for (size_t m = 0; m < (test_sampled() ? 1 : TC_ARRAY_SIZE(models)); m++)
			for (int k = 0; k < TARIFF_NPARTNERS; k++) {
				struct tariff_params p = w->p;
				if (!w->s.m[k].present)
					continue;
				check_case(models[m], &w->s, k, &p, g, test_sampled() ? 0 : 20);
				if (test_sampled())
					continue;
				p.ex = 2.0;		/* finite supply: the world-price solver */
				p.pass_through = 1;
				check_case(models[m], &w->s, k, &p, g, 0);
				p.ex = INFINITY;	/* pass-through below 1 */
				p.pass_through = 0.6;
				check_case(models[m], &w->s, k, &p, g, 0);
			}
	}
	shipped_release(&sh);
	gsl_rng_free(g);
	assert_true(cnt.cases - before >= (long)sh.n * (test_sampled() ? 1 : 9));
}

/* A draw from a few orders of magnitude, or one of the values that stress the model. */
static double pick(gsl_rng *g, double lo, double hi, const double *special, size_t nspecial)
{
	if (nspecial && gsl_rng_uniform(g) < 0.25)
		return special[gsl_rng_uniform_int(g, nspecial)];
	return exp(log(lo) + gsl_rng_uniform(g) * (log(hi) - log(lo)));
}

/* Random scenarios and parameters: the three models, where they fail too. */
static void test_revmax_random(void **state)
{
	static const double eps_sp[] = { 1, 1 + 1e-10, 1.5, 3, 200, 1e4 };
	static const double sigma_sp[] = { 0, 1, 1 - 1e-13, 1 + 1e-11, 1.5, 8, 50, 400, 1e4 };
	static const double ex_sp[] = { 0.05, 1, 3, 1e6 };
	static const double m0_sp[] = { 1e-300, 5e-324, 1e-6, TARIFF_MAX_IMPORTS };
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	int cases = test_sampled() ? 40 : 3000;
	(void)state;

	gsl_rng_set(g, 20261125);
	for (int c = 0; c < cases; c++) {
		struct tariff_scenario s;
		struct tariff_params p = { 0, INFINITY, 0, 1.0, 132e6, NAN, NAN };
		enum tariff_model model = (enum tariff_model)(c % 3);
		int any = 0, partner;

		memset(&s, 0, sizeof(s));
		for (int k = 0; k < TARIFF_NPARTNERS; k++) {
			if (gsl_rng_uniform(g) < 0.35 && (any || k < TARIFF_NPARTNERS - 1))
				continue;
			s.m[k].present = 1;
			s.m[k].m0 = pick(g, 0.1, 1e6, m0_sp, gsl_rng_uniform(g) < 0.2 ? 4 : 0);
			s.m[k].t0 = gsl_rng_uniform(g) < 0.3 ? 0 : gsl_rng_uniform(g) *
				    (gsl_rng_uniform(g) < 0.1 ? TARIFF_MAX_RATE : 0.6);
			s.m[k].t1 = gsl_rng_uniform(g) < 0.4 ? s.m[k].t0 : gsl_rng_uniform(g) * 3;
			any = 1;
		}
		do
			partner = (int)gsl_rng_uniform_int(g, TARIFF_NPARTNERS);
		while (!s.m[partner].present);
		p.eps = pick(g, 0.05, 20, eps_sp, TC_ARRAY_SIZE(eps_sp));
		p.sigma = gsl_rng_uniform(g) < 0.1 ? 0 : pick(g, 0.05, 30, sigma_sp,
							      TC_ARRAY_SIZE(sigma_sp));
		if (gsl_rng_uniform(g) < 0.25)
			p.pass_through = gsl_rng_uniform(g) < 0.2 ? 0 : gsl_rng_uniform(g);
		else if (gsl_rng_uniform(g) < 0.3 && c % 3 != 1)
			p.ex = pick(g, 0.2, 30, ex_sp, TC_ARRAY_SIZE(ex_sp));
		if (gsl_rng_uniform(g) < 0.1)
			p.households = NAN;
		if (gsl_rng_uniform(g) < 0.2) {
			p.import_share_pce = gsl_rng_uniform(g);
			p.pce = 1.9e7;
		}
		check_case(model, &s, partner, &p, g, test_sampled() ? 0 : 5);
	}
	gsl_rng_free(g);
	print_message("revenue search: %ld cases (%ld maxima found, %ld of them by Brent, %ld "
		      "beyond the range, %ld searches failed), %ld rates compared (%ld the model "
		      "refuses)\n", cnt.cases, cnt.exists, cnt.brent, cnt.beyond, cnt.revmax_fail,
		      cnt.rates, cnt.failed_rates);
	/* the sample must reach every outcome, failures included */
	assert_true(cnt.exists > 0 && cnt.brent > 0 && cnt.beyond > 0 && cnt.failed_rates > 0);
	if (!test_sampled())
		assert_true(cnt.revmax_fail > 0);
}

/* The grid written out in model_tariff_search.c is the formula's, bit for bit. */
static void test_grid(void **state)
{
	(void)state;
	assert_true(same_bits(tariff_revmax_grid[0], 0));
	for (int i = 1; i < TARIFF_REVMAX_NGRID; i++) {
		double v = 0.001 * pow(TARIFF_REVMAX_TOP / 0.001, (double)(i - 1) / 399);
		if (!same_bits(v, tariff_revmax_grid[i]))
			fail_msg("grid point %d: %a in the table, %a from the formula", i,
				 tariff_revmax_grid[i], v);
	}
	assert_true(tariff_revmax_grid[TARIFF_REVMAX_NGRID - 1] == TARIFF_REVMAX_TOP);
}

/*
** Near overflow: large cuts (from t0 = 100) with a high substitution (60
** to 2,000) or a high demand elasticity (100 to 400), one to four partners of up to USD 1e9 million, so that along the grid imports
** cross 1e200 (the edge of the evaluator's safe region) and overflow: the
** sums, revenue and welfare of the full model fail there one after the
** other.  Counted: rates where the model succeeds with imports above
** 1e200, and rates where it fails.
*/
static void test_revmax_overflow(void **state)
{
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	int cases = test_sampled() ? 10 : 400;
	long big_ok = 0, failed0 = cnt.failed_rates;
	(void)state;

	gsl_rng_set(g, 200);
	for (int c = 0; c < cases; c++) {
		struct tariff_scenario s;
		struct tariff_params p = { 0, INFINITY, 0, 1.0, 132e6, NAN, NAN };
		enum tariff_model model = c % 4 == 3 ? TARIFF_GSIM : TARIFF_CES;
		int partner = (int)gsl_rng_uniform_int(g, TARIFF_NPARTNERS);

		memset(&s, 0, sizeof(s));
		for (int k = 0; k < TARIFF_NPARTNERS; k++) {
			if (k != partner && gsl_rng_uniform(g) < 0.4)
				continue;
			s.m[k].present = 1;
			s.m[k].m0 = gsl_rng_uniform(g) < 0.5 ? TARIFF_MAX_IMPORTS :
				    exp(gsl_rng_uniform(g) * 20);
			s.m[k].t0 = gsl_rng_uniform(g) < 0.7 ? TARIFF_MAX_RATE : gsl_rng_uniform(g);
			s.m[k].t1 = gsl_rng_uniform(g) < 0.4 ? 0 : gsl_rng_uniform(g) < 0.5 ? s.m[k].t0 :
				    gsl_rng_uniform(g) * s.m[k].t0;
		}
		if (c % 2) {	/* diversion: the cheapest partner takes the market */
			p.eps = 0.1 + gsl_rng_uniform(g) * (gsl_rng_uniform(g) < 0.2 ? 200 : 3);
			p.sigma = exp(log(60) + gsl_rng_uniform(g) * log(2000 / 60.0));
		} else {	/* demand: every partner's imports grow as pi^-eps */
			p.eps = 100 + gsl_rng_uniform(g) * 300;
			p.sigma = gsl_rng_uniform(g) * 3;
		}
		if (gsl_rng_uniform(g) < 0.3)
			p.pass_through = 0.5 + gsl_rng_uniform(g) * 0.5;
		check_case(model, &s, partner, &p, g, test_sampled() ? 0 : 20);
		for (int i = 0; i < TARIFF_REVMAX_NGRID; i += 4) {
			struct tariff_scenario q = s;
			struct tariff_result r;
			struct tc_err e;
			double top = 0;
			q.m[partner].t1 = tariff_revmax_grid[i];
			if (tariff_eval(model, &q, &p, &r, &e))
				continue;
			for (int k = 0; k < TARIFF_NPARTNERS; k++)
				if (r.p[k].m1 > top)
					top = r.p[k].m1;
			big_ok += top > 1e200;
		}
	}
	gsl_rng_free(g);
	print_message("near overflow: %ld grid rates succeed with imports above 1e200, %ld rates "
		      "refused\n", big_ok, cnt.failed_rates - failed0);
	assert_true(big_ok > 0 && cnt.failed_rates > failed0);
}

/* Bad input: the same errors as tariff_eval, from tariff_rev_init. */
static void test_rev_init_errors(void **state)
{
	struct tariff_scenario s;
	struct tariff_params p = { 1.5, INFINITY, 1.5, 1.0, 132e6, NAN, NAN };
	struct tariff_rev c;
	struct tariff_result r;
	struct tc_err e1, e2;
	(void)state;

	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN] = (struct tariff_market){ 1, 438929, 0.2, 0.6 };
	assert_int_equal(tariff_rev_init(&c, TARIFF_CES, &s, TARIFF_MX, &p, &e1), -1);
	assert_non_null(strstr(e1.msg, "partner not in the scenario"));
	s.m[TARIFF_CN].t1 = 101;
	assert_int_equal(tariff_rev_init(&c, TARIFF_CES, &s, TARIFF_CN, &p, &e1), -1);
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &e2), -1);
	assert_string_equal(e1.msg, e2.msg);
	s.m[TARIFF_CN].t1 = 0.6;
	p.sigma = -1;
	assert_int_equal(tariff_rev_init(&c, TARIFF_CES, &s, TARIFF_CN, &p, &e1), -1);
	assert_int_equal(tariff_eval(TARIFF_CES, &s, &p, &r, &e2), -1);
	assert_string_equal(e1.msg, e2.msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grid),
		cmocka_unit_test(test_rev_init_errors),
		cmocka_unit_test(test_revmax_scenarios),
		cmocka_unit_test(test_revmax_random),
		cmocka_unit_test(test_revmax_overflow),
	};
	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

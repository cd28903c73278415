/*
** Unit tests of the multi-region GSIM (model_gsim.c) and its reader
** (data_gsim.c).  Expected values are derived by hand in the comments,
** follow from symmetry, or were printed by the independent numpy/scipy
** implementation bench/gsim/gsim.py (levels, scipy.optimize.root, surpluses
** by numerical quadrature) on the Francois-Hall example; none is taken
** from tocalc's own output.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tocalc/model_gsim.h"
#include "tocalc/data_gsim.h"

#define assert_close(a, b, tol) do { \
	double a_ = (a), b_ = (b); \
	if (!(fabs(a_ - b_) <= (tol))) \
		fail_msg("%s = %.15g, expected %.15g (tol %g)", #a, a_, b_, (double)(tol)); \
} while (0)
#define assert_rel(a, b, rel) assert_close(a, b, (rel) * fabs((double)(b)))

#define GSIM_EXAMPLE "examples/gsim/francois-hall-us-jp.gsim"
#define GSIM_US_EU "examples/gsim/francois-hall-us-eu.gsim"

static int read_str(const char *text, struct gsim_input *in, struct tc_err *err)
{
	tc_err_init(err);
	return gsim_read_buffer("t.gsim", text, strlen(text), in, err);
}

static void expect_error(const char *text, const char *msg)
{
	struct gsim_input in;
	struct tc_err err;

	if (read_str(text, &in, &err) == 0)
		fail_msg("read succeeded, expected: %s", msg);
	if (strcmp(err.msg, msg))
		fail_msg("got      '%s'\nexpected '%s'", err.msg, msg);
	assert_int_equal(in.n, 0);
}

/*
** The Francois-Hall GSIM example (examples/gsim/francois-hall-us-jp.gsim):
** US, JP, EU, RW; Em = -1.25, Es = 5, Ex = 1.5; a US-Japan agreement.
** Expected: bench/gsim/gsim.py on the same file (numpy 1.24.2, scipy 1.10.1).
*/
static void test_published_example(void **state)
{
	static const double pw[4] = { 3.18359092736, 12.5897180976, -1.73323838758, -1.21933993336 };
	static const double lin[4] = { 2.40917184997, 8.97332319042, -2.01238836056, -1.37976185383 };
	static const double pi[4] = { -12.836912369, -4.65236169225, 2.82469064621, 3.69892960014 };
	static const double ps[4] = { 17.9300387891, 117.325845962, -13.686182001, -3.38299277473 };
	static const double cs[4] = { 162.070242939, 16.1748414717, -22.6509804497, -31.4929192232 };
	static const double dr[4] = { -230.116098759, -19.1914265908, -11.5091207241, -3.62483267954 };
	static const double net[4] = { -50.1158170308, 114.309260843, -47.8462831748, -38.5007446774 };
	struct gsim_input in;
	struct gsim_result r;
	struct tc_err err;

	(void)state;
	tc_err_init(&err);
	if (gsim_read_file(GSIM_EXAMPLE, &in, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(in.n, 4);
	assert_string_equal(in.names[1], "JP");
	assert_close(in.t0[1 * 4 + 0], 0.37, 1e-15);	/* JP -> US, T0 = 1.37 */
	assert_close(in.flow[2 * 4 + 2], 200, 0);	/* intra-EU trade on the diagonal */
	if (gsim_solve(&in, &r, &err))
		fail_msg("%s", err.msg);
	for (int v = 0; v < 4; v++) {
		assert_close((r.pw[v] - 1) * 100, pw[v], 1e-9);
		assert_close(r.pw_lin[v] * 100, lin[v], 1e-9);
		assert_close((r.pindex[v] - 1) * 100, pi[v], 1e-9);
		assert_close(r.ps[v], ps[v], 1e-8);
		assert_close(r.cs[v], cs[v], 1e-8);
		assert_close(r.rev1[v] - r.rev0[v], dr[v], 1e-8);
		assert_close(r.net[v], net[v], 1e-8);
	}
	/* two flows of the matrix after (value at world prices) */
	assert_close(r.flow1[1 * 4 + 0], 897.067630666685, 1e-8);	/* JP -> US */
	assert_close(r.flow1[3 * 4 + 3], 24.0710938442764, 1e-8);	/* RW -> RW */
	gsim_result_release(&r);
	gsim_input_release(&in);
}

/*
** Published: the world-price changes the Francois-Hall GSIM spreadsheet
** reports for its four-region example under a US-EU agreement, as recorded
** in a public R port of the spreadsheet (docs/gsim.md, "The published
** example"): US +0.0792, JP -0.0316, EU +0.0480, RW -0.0184 -- the
** linearised GSIM, printed to 4 decimals.  The exact solution in levels
** (the numpy/scipy peer bench/gsim/gsim.py: +12.6459928344%, -3.22904069744%,
** +7.93293139237%, -1.73263987352%) departs from it, as a 41-point tariff
** cut is not a small change.
*/
static void test_published_us_eu(void **state)
{
	static const double reported[4] = { 0.0792, -0.0316, 0.0480, -0.0184 };
	static const double exact[4] = { 12.6459928344, -3.22904069744, 7.93293139237, -1.73263987352 };
	static const double net[4] = { 51.945480844, -38.2380831914, 49.8359643722, -51.1852910948 };
	struct gsim_input in;
	struct gsim_result r;
	struct tc_err err;

	(void)state;
	tc_err_init(&err);
	if (gsim_read_file(GSIM_US_EU, &in, &err))
		fail_msg("%s", err.msg);
	if (gsim_solve(&in, &r, &err))
		fail_msg("%s", err.msg);
	for (int v = 0; v < 4; v++) {
		assert_close(r.pw_lin[v], reported[v], 0.00005);	/* half a unit of the 4th decimal */
		assert_close((r.pw[v] - 1) * 100, exact[v], 1e-9);
		assert_close(r.net[v], net[v], 1e-8);
	}
	gsim_result_release(&r);
	gsim_input_release(&in);
}

/*
** One importer A, one exporter B (hand derivation).  A buys 100 from B;
** tariff 0 -> 25%; A's demand elasticity e = 2, B's supply elasticity x = 3.
**   demand 100 (1.25 P)^-2 = supply 100 P^3   =>  P = 1.25^(-2/5)
**   buyer price 1.25 P = 1.25^(3/5); quantity q = P^3 = 1.25^(-6/5)
**   CS_A = -100 (pi^(1-e) - 1)/(1-e) = -100 (1 - 1.25^(-3/5)),  pi = 1.25^(3/5)
**   PS_B = 100 (P^4 - 1)/4 = 25 (1.25^(-8/5) - 1)
**   revenue_A = 0.25 P 100 q = 25 1.25^(-8/5)
*/
static const char one_market[] =
	"[regions]\n"
	"region,demand_elasticity,substitution_elasticity,supply_elasticity\n"
	"A,2,4,inf\n"
	"B,0.5,1,3\n"
	"[flows]\n"
	"exporter,A,B\n"
	"A,0,0\n"
	"B,100,0\n"
	"[tariff_before]\n"
	"exporter,A,B\n"
	"A,0,0\n"
	"B,0,0\n"
	"[tariff_after]\n"
	"exporter,A,B\n"
	"A,0,0\n"
	"B,25,0\n";

static void test_one_market(void **state)
{
	struct gsim_input in;
	struct gsim_result r;
	struct tc_err err;
	double P = pow(1.25, -0.4);

	(void)state;
	if (read_str(one_market, &in, &err))
		fail_msg("%s", err.msg);
	if (gsim_solve(&in, &r, &err))
		fail_msg("%s", err.msg);
	assert_rel(r.pw[1], P, 1e-13);
	assert_true(isnan(r.pw[0]));		/* A exports nothing */
	assert_rel(r.q[1 * 2 + 0], pow(1.25, -1.2), 1e-12);
	assert_rel(r.pindex[0], pow(1.25, 0.6), 1e-13);
	assert_true(isnan(r.pindex[1]));	/* B imports nothing */
	assert_rel(r.cs[0], -100 * (1 - pow(1.25, -0.6)), 1e-12);
	assert_rel(r.ps[1], 25 * (pow(1.25, -1.6) - 1), 1e-12);
	assert_rel(r.rev1[0], 25 * pow(1.25, -1.6), 1e-12);
	assert_close(r.cs[1], 0, 0);
	assert_close(r.ps[0], 0, 0);
	/* the linearised GSIM: phat = -e dT/(e + x) = -2 (0.25)/5 */
	assert_close(r.pw_lin[1], -0.1, 1e-15);
	gsim_result_release(&r);

	/* the limits: infinite supply leaves P* = 1, buyer pays the whole tariff;
	   CS = -100 (1 - 1/1.25), revenue 25 (1.25)^-2 */
	in.eps_x[1] = INFINITY;
	if (gsim_solve(&in, &r, &err))
		fail_msg("%s", err.msg);
	assert_close(r.pw[1], 1, 0);
	assert_rel(r.cs[0], -100 * (1 - 1 / 1.25), 1e-13);
	assert_rel(r.rev1[0], 25 / (1.25 * 1.25), 1e-13);
	assert_int_equal(r.iterations, 0);
	gsim_result_release(&r);

	/* e = 1: CS = -E0 ln pi (the limit of the general formula) */
	in.eps_m[0] = 1;
	if (gsim_solve(&in, &r, &err))
		fail_msg("%s", err.msg);
	assert_rel(r.cs[0], -100 * log(1.25), 1e-13);
	gsim_result_release(&r);
	gsim_input_release(&in);
}

/* Three identical regions, identical flows and tariffs: identical results. */
static void test_symmetry(void **state)
{
	struct gsim_input in;
	struct gsim_result r;
	struct tc_err err;

	(void)state;
	gsim_input_alloc(&in, 3);
	for (size_t i = 0; i < 3; i++) {
		in.names[i] = xstrdup(i == 0 ? "a" : i == 1 ? "b" : "c");
		in.eps_m[i] = 1.5;
		in.sigma[i] = 4;
		in.eps_x[i] = 2;
		for (size_t j = 0; j < 3; j++) {
			in.flow[i * 3 + j] = i == j ? 0 : 100;
			in.t0[i * 3 + j] = i == j ? 0 : 0.1;
			in.t1[i * 3 + j] = i == j ? 0 : 0.3;
		}
	}
	if (gsim_solve(&in, &r, &err))
		fail_msg("%s", err.msg);
	for (size_t i = 1; i < 3; i++) {
		assert_rel(r.pw[i], r.pw[0], 1e-13);
		assert_rel(r.cs[i], r.cs[0], 1e-12);
		assert_rel(r.net[i], r.net[0], 1e-12);
	}
	/*
	** With symmetry every variety's buyer price moves alike: pi = 1.3/1.1 P,
	** no substitution, and clearing is the one-market case with T = 1.3/1.1:
	** P = T^(-e/(e+x)) = T^(-1.5/3.5).
	*/
	assert_rel(r.pw[0], pow(1.3 / 1.1, -1.5 / 3.5), 1e-13);
	/* a uniform raise hurts everyone's consumers; the world loses */
	assert_true(r.cs[0] < 0);
	assert_true(r.net[0] + r.net[1] + r.net[2] < 0);
	gsim_result_release(&r);
	gsim_input_release(&in);
}

/* No tariff change: exactly zero everywhere, no iteration. */
static void test_zero_change(void **state)
{
	struct gsim_input in;
	struct gsim_result r;
	struct tc_err err;

	(void)state;
	if (gsim_read_file(GSIM_EXAMPLE, &in, &err))
		fail_msg("%s", err.msg);
	memcpy(in.t1, in.t0, in.n * in.n * sizeof(double));
	if (gsim_solve(&in, &r, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(r.iterations, 0);
	for (size_t v = 0; v < in.n; v++) {
		assert_true(r.pw[v] == 1 && r.pindex[v] == 1 && r.pw_lin[v] == 0);
		assert_true(r.cs[v] == 0 && r.ps[v] == 0 && r.net[v] == 0);
		assert_true(r.rev1[v] == r.rev0[v] && r.imports1[v] == r.imports0[v]);
	}
	for (size_t i = 0; i < in.n * in.n; i++)
		assert_true(r.flow1[i] == in.flow[i]);
	gsim_result_release(&r);
	gsim_input_release(&in);
}

/*
** Small changes: the exact solution agrees with the linearised GSIM to
** first order (the gap shrinks like the square of the change).
*/
static void test_first_order(void **state)
{
	struct gsim_input in;
	struct gsim_result r;
	struct tc_err err;
	double gap[2];

	(void)state;
	if (gsim_read_file(GSIM_EXAMPLE, &in, &err))
		fail_msg("%s", err.msg);
	memcpy(in.t1, in.t0, in.n * in.n * sizeof(double));
	for (int k = 0; k < 2; k++) {
		double h = k ? 0.0005 : 0.001;	/* 0.1 and 0.05 points on JP -> US */
		in.t1[1 * 4 + 0] = in.t0[1 * 4 + 0] + h;
		if (gsim_solve(&in, &r, &err))
			fail_msg("%s", err.msg);
		gap[k] = 0;
		for (size_t v = 0; v < 4; v++) {
			double d = fabs(log(r.pw[v]) - r.pw_lin[v]);
			assert_true(d <= 1e-3 * fabs(r.pw_lin[v]) + 1e-15);
			if (d > gap[k])
				gap[k] = d;
		}
		gsim_result_release(&r);
	}
	/* second order: halving the change divides the gap by about 4 */
	assert_true(gap[0] / gap[1] > 3.5 && gap[0] / gap[1] < 4.5);
	gsim_input_release(&in);
}

/*
** An extreme case where hybridsj stalls and the Newton fallback (line
** search) solves: flows from 1e-9 to 1e12, tariffs 0 <-> 1000%, elasticities
** 100.  By hand: B's supply is fixed (x = 0) at 4; C buys 1 whatever the
** price (e = s = 0); so A must keep buying 3, and A's demand for B is
** rho^-100 pi^(100-100) = rho^-100, so rho = P*_B (1+0)/(1+10) = 1:
** P*_B = 11 exactly.  The other prices are held to market clearing.
*/
static const char extreme[] =
	"[regions]\nregion,demand_elasticity,substitution_elasticity,supply_elasticity\n"
	"A,100,100,0.01\nB,100,100,0\nC,0,0,1e6\n"
	"[flows]\nexporter,A,B,C\nA,1e-9,1e12,5\nB,3,0,1\nC,1,1,0\n"
	"[tariff_before]\nexporter,A,B,C\nA,0,0,0\nB,1000,0,0\nC,0,0,0\n"
	"[tariff_after]\nexporter,A,B,C\nA,1000,1000,1000\nB,0,0,1000\nC,1000,1000,0\n";

static void test_extreme(void **state)
{
	struct gsim_input in;
	struct gsim_result r;
	struct tc_err err;

	(void)state;
	if (read_str(extreme, &in, &err))
		fail_msg("%s", err.msg);
	if (gsim_solve(&in, &r, &err))
		fail_msg("%s", err.msg);
	assert_rel(r.pw[1], 11, 1e-10);
	assert_rel(r.q[1 * 3 + 0], 1, 1e-10);
	assert_rel(r.q[1 * 3 + 2], 1, 1e-12);
	for (size_t e = 0; e < 3; e++) {
		double dem = 0, x0 = 0;
		for (size_t v = 0; v < 3; v++) {
			x0 += in.flow[e * 3 + v];
			if (in.flow[e * 3 + v] > 0)
				dem += in.flow[e * 3 + v] * r.q[e * 3 + v];
		}
		assert_rel(dem, x0 * pow(r.pw[e], in.eps_x[e]), 1e-10);
	}
	gsim_result_release(&r);
	gsim_input_release(&in);
}

/* Invariants over seeded random cases. */
static void test_random_invariants(void **state)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	(void)state;
	gsl_rng_set(rng, 20261125);
	for (int c = 0; c < 60; c++) {
		size_t n = 2 + gsl_rng_uniform_int(rng, 7);
		struct gsim_input in;
		struct gsim_result r;
		struct tc_err err;
		size_t raiser = gsl_rng_uniform_int(rng, n);

		gsim_input_alloc(&in, n);
		for (size_t i = 0; i < n; i++) {
			char b[32];
			snprintf(b, sizeof(b), "r%zu", i);
			in.names[i] = xstrdup(b);
			in.eps_m[i] = 0.2 + 4 * gsl_rng_uniform(rng);
			in.sigma[i] = 10 * gsl_rng_uniform(rng);
			in.eps_x[i] = gsl_rng_uniform(rng) < 0.2 ? INFINITY : 0.1 + 10 * gsl_rng_uniform(rng);
		}
		for (size_t i = 0; i < n * n; i++) {
			in.flow[i] = gsl_rng_uniform(rng) < 0.25 ? 0 : 1 + 1000 * gsl_rng_uniform(rng);
			in.t0[i] = 0.5 * gsl_rng_uniform(rng);
			in.t1[i] = in.t0[i];
		}
		for (size_t i = 0; i < n; i++)	/* every region trades */
			in.flow[i * n + (i + 1) % n] += 10;
		/* one region raises every tariff it levies, by up to 200 points */
		for (size_t e = 0; e < n; e++)
			in.t1[e * n + raiser] += 2 * gsl_rng_uniform(rng);
		if (gsim_solve(&in, &r, &err))
			fail_msg("case %d: %s", c, err.msg);
		for (size_t e = 0; e < n; e++) {
			double dem = 0, x0 = 0;
			for (size_t v = 0; v < n; v++) {
				size_t i = e * n + v;
				x0 += in.flow[i];
				if (in.flow[i] > 0) {
					assert_true(r.q[i] > 0 && isfinite(r.flow1[i]) && r.flow1[i] > 0);
					dem += in.flow[i] * r.q[i];
				}
			}
			assert_true(r.pw[e] > 0 && isfinite(r.pw[e]));
			/* world market clearing in quantities */
			if (isfinite(in.eps_x[e]))
				assert_rel(dem, x0 * pow(r.pw[e], in.eps_x[e]), 1e-10);
			else
				assert_true(r.pw[e] == 1);
			assert_rel(r.net[e], r.cs[e] + r.ps[e] + r.rev1[e] - r.rev0[e], 1e-12);
		}
		/* the region that raised its tariffs pays more for its imports */
		assert_true(r.pindex[raiser] >= 1 && r.cs[raiser] <= 0);
		gsim_result_release(&r);
		gsim_input_release(&in);
	}
	gsl_rng_free(rng);
}

/* ---------------------------------------------------------------- reader */

static const char head2[] =
	"[regions]\n"
	"region,demand_elasticity,substitution_elasticity,supply_elasticity\n"
	"A,2,4,inf\n"
	"B,0.5,1,3\n";

#define TARIFFS_OK "[tariff_before]\nexporter,A,B\nA,0,0\nB,0,0\n" \
	"[tariff_after]\nexporter,A,B\nA,0,0\nB,25,0\n"

static void test_reader_errors(void **state)
{
	char buf[2048];

	(void)state;
	/* wrong shape: a column missing */
	snprintf(buf, sizeof(buf), "%s[flows]\nexporter,A\nA,0\nB,100\n" TARIFFS_OK, head2);
	expect_error(buf, "t.gsim:6: missing column 'B'");
	/* wrong shape: a row missing */
	snprintf(buf, sizeof(buf), "%s[flows]\nexporter,A,B\nB,100,0\n" TARIFFS_OK, head2);
	expect_error(buf, "t.gsim:5: [flows]: no row for exporter 'A'");
	/* an unknown region */
	snprintf(buf, sizeof(buf), "%s[flows]\nexporter,A,B\nA,0,0\nC,100,0\n" TARIFFS_OK, head2);
	expect_error(buf, "t.gsim:8:1: column 'exporter': unknown region 'C' (not in the regions table)");
	/* negative flow */
	snprintf(buf, sizeof(buf), "%s[flows]\nexporter,A,B\nA,0,-5\nB,100,0\n" TARIFFS_OK, head2);
	expect_error(buf, "t.gsim:7:3: column 'B': expected a non-negative number, got \"-5\"");
	/* a region with no trade */
	snprintf(buf, sizeof(buf), "%s[flows]\nexporter,A,B\nA,0,0\nB,0,0\n"
		 "[tariff_before]\nexporter,A,B\nA,0,0\nB,0,0\n"
		 "[tariff_after]\nexporter,A,B\nA,0,0\nB,0,0\n", head2);
	expect_error(buf, "t.gsim:3:1: column 'region': region 'A' has no trade (its row and column "
		     "in the flows are all zero)");
	/* a bad supply elasticity */
	expect_error("[regions]\nregion,demand_elasticity,substitution_elasticity,supply_elasticity\n"
		     "A,2,4,lots\nB,1,1,1\n[flows]\nexporter,A,B\nA,0,0\nB,100,0\n" TARIFFS_OK, "t.gsim:3:4: column 'supply_elasticity': expected a number in "
		     "[0, 1e+06] or 'inf', got \"lots\"");
	/* sections */
	expect_error("region,demand_elasticity\n", "t.gsim:1:1: expected a section header such as "
		     "[regions] before the data");
	expect_error("[regions]\n[prices]\n", "t.gsim:2:1: unknown section '[prices]' (expected "
		     "[regions], [flows], [tariff_before] or [tariff_after])");
	expect_error(head2, "t.gsim: missing section [flows]");
	snprintf(buf, sizeof(buf), "%s[flows]\nexporter,A,B\nA,0,0\nB,100,0\n"
		 "[tariff_before]\nexporter,A,B\nA,0,0\nB,0,0\n"
		 "[tariff_after]\nexporter,A,B\nA,0,0\nB,1200,0\n", head2);
	expect_error(buf, "t.gsim:16:2: column 'A': \"1200\" is outside the range 0 to 1000");
}

/* An unsolvable system: price indeterminate (no elasticity anywhere). */
static void test_unsolvable(void **state)
{
	struct gsim_input in;
	struct gsim_result r;
	struct tc_err err;

	(void)state;
	if (read_str(one_market, &in, &err))
		fail_msg("%s", err.msg);
	in.eps_x[1] = 0;
	in.eps_m[0] = 0;
	assert_int_equal(gsim_solve(&in, &r, &err), -1);
	assert_string_equal(err.msg, "gsim: the world price of 'B' is indeterminate: its export "
			    "supply elasticity is 0 and no importer's demand for its goods responds "
			    "to its price (demand and substitution elasticities 0); give one of them "
			    "a positive value");
	assert_null(r.pw);
	gsim_input_release(&in);
}

/* The four tables as separate files read like the sections. */
static void test_separate_files(void **state)
{
	struct gsim_input a, b;
	struct tc_err err;
	char dir[] = "/tmp/test_gsim_XXXXXX", p[4][64];
	static const char *const body[4] = {
		"region,demand_elasticity,substitution_elasticity,supply_elasticity\nA,2,4,inf\nB,0.5,1,3\n",
		"exporter,A,B\nA,0,0\nB,100,0\n",
		"exporter,B,A\nB,0,0\nA,0,0\n",	/* columns and rows in another order */
		"exporter,A,B\nB,25,0\nA,0,0\n",
	};

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (int k = 0; k < 4; k++) {
		FILE *fp;
		snprintf(p[k], sizeof(p[k]), "%s/%d.csv", dir, k);
		fp = fopen(p[k], "w");
		assert_non_null(fp);
		fputs(body[k], fp);
		fclose(fp);
	}
	tc_err_init(&err);
	if (gsim_read_files(p[0], p[1], p[2], p[3], &a, &err))
		fail_msg("%s", err.msg);
	if (read_str(one_market, &b, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(a.n, b.n);
	assert_memory_equal(a.flow, b.flow, 4 * sizeof(double));
	assert_memory_equal(a.t1, b.t1, 4 * sizeof(double));
	assert_true(a.eps_x[0] == INFINITY && a.eps_x[1] == 3);
	gsim_input_release(&a);
	gsim_input_release(&b);
	for (int k = 0; k < 4; k++)
		remove(p[k]);
	remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_us_eu),
		cmocka_unit_test(test_published_example),
		cmocka_unit_test(test_one_market),
		cmocka_unit_test(test_symmetry),
		cmocka_unit_test(test_zero_change),
		cmocka_unit_test(test_first_order),
		cmocka_unit_test(test_random_invariants),
		cmocka_unit_test(test_extreme),
		cmocka_unit_test(test_reader_errors),
		cmocka_unit_test(test_unsolvable),
		cmocka_unit_test(test_separate_files),
	};
	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

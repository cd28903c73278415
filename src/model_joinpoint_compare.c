/*
** model_joinpoint_compare.c: comparing two series, coincidence and
** parallelism (model_joinpoint_compare.h).  Pure: the RNG is passed in.
*/
#include "model_joinpoint_impl.h"
#include "tocalc/model_joinpoint_compare.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- comparing two series: coincidence and parallelism ---------- */

/*
** Pooled fits at common x (docs/joinpoint.md): with u = (z1 + z2)/2 and
** d = z1 - z2, sum_g (z_g - f)^2 = 2 (u - f)^2 + d^2 / 2, so
**   coincidence (one curve):       SSE0 = 2 SSE_k0(u) + sum d^2 / 2
**   parallelism (curve + shift):   SSE0 = 2 SSE_k0(u) + sum (d - mean d)^2 / 2
** against SSE1 = SSE_k1(z1) + SSE_k2(z2), all best grid fits.
*/
static void compare_sse(struct dp *d, const double *z1, const double *z2, double *u, size_t n,
			int k0, int k1, int k2, double *sse1, double *coin, double *par)
{
	double s[JP_MAX_JOINPOINTS + 1], su, dd = 0, dm = 0, a, b;
	int K = k0 > k1 ? k0 : k1;

	K = K > k2 ? K : k2;
	for (size_t i = 0; i < n; i++) {
		u[i] = 0.5 * (z1[i] + z2[i]);
		dm += z1[i] - z2[i];
		dd += (z1[i] - z2[i]) * (z1[i] - z2[i]);
	}
	dm /= (double)n;
	jpi_dp_best(d, z1, K, s, NULL);
	a = s[k1];
	jpi_dp_best(d, z2, K, s, NULL);
	b = s[k2];
	jpi_dp_best(d, u, K, s, NULL);
	su = s[k0];
	*sse1 = a + b;
	*coin = 2 * su + 0.5 * dd;
	*par = 2 * su + 0.5 * (dd - (double)n * dm * dm);
	if (*par < 0)
		*par = 0;
}

int jp_compare(const double *x, const double *y1, const double *y2, size_t n, int k1, int k2,
	       const struct jp_options *opt, gsl_rng *rng, struct jp_comparison *out, struct tc_err *err)
{
	struct dp d;
	double *t, *z1, *z2, *u, *p1, *p2, m1 = 0, sse1, coin, par, floor;
	int k0 = k1 > k2 ? k1 : k2, K;
	long N = opt->permutations, ec = 0, ep = 0;

	memset(out, 0, sizeof(*out));
	if (k1 < 0 || k2 < 0 || k1 > JP_MAX_JOINPOINTS || k2 > JP_MAX_JOINPOINTS)
		return tc_failc(err, TC_EXIT_USAGE, "comparison: bad numbers of joinpoints");
	if (!rng)
		return tc_failc(err, TC_EXIT_USAGE, "comparison: the permutation test needs a random number generator");
	if (N < 1 || N > 100000000L)
		return tc_failc(err, TC_EXIT_USAGE, "number of permutations must be 1..100000000, got %ld", N);
	if (n < 3)
		return tc_fail(err, "comparison needs at least 3 points, got %zu", n);
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]) || (i && !(x[i] > x[i - 1])))
			return tc_fail(err, "comparison: x values must be finite and strictly increasing");
		if (!(isfinite(y1[i]) && y1[i] > 0) || !(isfinite(y2[i]) && y2[i] > 0))
			return tc_fail(err, "comparison: the values at x = %g must be numbers > 0 in both series", x[i]);
	}
	K = k0;
	if (jp_feasible_max(n, opt->min_obs_end, opt->min_obs_between) < K)
		return tc_fail(err, "comparison: %zu points are too few for %d joinpoints", n, K);
	{
		/* the size limit of jp_options: 3 searches a permutation (model_joinpoint.h) */
		double cost = jp_dp_search_cost(n, k0, 3.0 * (double)N);
		if (opt->max_cost > 0 && cost > opt->max_cost)
			return tc_failc(err, TC_EXIT_USAGE, "comparison: %ld permutations of %zu points with %d "
					"common joinpoints is estimated at %.1f times the cost limit (about a "
					"minute of CPU); use fewer --permutations or fewer points", N, n, k0,
					cost / opt->max_cost);
	}
	t = xmalloc(6 * n * sizeof(double));
	z1 = t + n;
	z2 = z1 + n;
	u = z2 + n;
	p1 = u + n;
	p2 = p1 + n;
	jpi_to_t(x, n, t);
	/* centre both by the same constant: SSEs and shifts do not change */
	for (size_t i = 0; i < n; i++)
		m1 += log(y1[i]);
	m1 /= (double)n;
	for (size_t i = 0; i < n; i++) {
		z1[i] = log(y1[i]) - m1;
		z2[i] = log(y2[i]) - m1;
	}
	jpi_dp_init(&d, t, NULL, NULL, n, K, opt->min_obs_end, opt->min_obs_between);
	compare_sse(&d, z1, z2, u, n, k0, k1, k2, &sse1, &coin, &par);
	floor = 1e-12 * (coin + sse1) + 1e-300;
	out->k1 = k1;
	out->k2 = k2;
	out->k0 = k0;
	out->sse1 = sse1;
	out->sse_coincidence = coin;
	out->sse_parallel = par;
	{
		double dm = 0;
		for (size_t i = 0; i < n; i++)
			dm += z2[i] - z1[i];
		dm /= (double)n;
		out->shift = dm;
		out->ratio = exp(dm);
	}
	out->stat_coincidence = jpi_sse_ratio(coin, sse1, floor);
	out->stat_parallel = jpi_sse_ratio(par, sse1, floor);
	for (long b = 0; b < N; b++) {
		double s1, c, p;
		/*
		** Under coincidence the two values at each x are exchangeable;
		** under parallelism after removing the estimated shift.  Each
		** pair is swapped with probability 1/2.
		*/
		for (size_t i = 0; i < n; i++) {
			int sw = gsl_rng_uniform_int(rng, 2) == 1;
			p1[i] = sw ? z2[i] : z1[i];
			p2[i] = sw ? z1[i] : z2[i];
		}
		compare_sse(&d, p1, p2, u, n, k0, k1, k2, &s1, &c, &p);
		if (jpi_sse_ratio(c, s1, floor) >= out->stat_coincidence * (1 - 1e-10))
			ec++;
		/* parallelism: swap the shift-corrected values, then restore the shift */
		for (size_t i = 0; i < n; i++) {
			double a = z1[i], bb = z2[i] - out->shift;
			int sw = gsl_rng_uniform_int(rng, 2) == 1;
			p1[i] = sw ? bb : a;
			p2[i] = (sw ? a : bb) + out->shift;
		}
		compare_sse(&d, p1, p2, u, n, k0, k1, k2, &s1, &c, &p);
		if (jpi_sse_ratio(p, s1, floor) >= out->stat_parallel * (1 - 1e-10))
			ep++;
	}
	jpi_dp_release(&d);
	free(t);
	out->permutations = N;
	out->exceed_coincidence = ec;
	out->exceed_parallel = ep;
	out->p_coincidence = (double)(ec + 1) / (double)(N + 1);
	out->p_parallel = (double)(ep + 1) / (double)(N + 1);
	return 0;
}

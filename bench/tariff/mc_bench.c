/*
** mc_bench.c: Monte Carlo throughput of the tariff models (bench/tariff.sh).
** usage: mc_bench DRAWS [ces|smart|gsim] [kernel|stats] [THREADS]
** kernel: the draw-and-evaluate loop alone, in chunks of TARIFF_MC_CHUNK
**         rows (what one pass of `tocalc tariff --draws` costs);
** stats:  tariff_mc_stats, the one pass that gives the mean
**         and the exact percentiles of every output, on THREADS
**         threads (default 1; the numbers do not depend on it).
** Prints "draws seconds draws_per_second checksum" for the three-partner
** China scenario of bench/tariff.sh (CN 20% -> 200%, MX and CA unchanged).
*/
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tocalc/model_tariff.h"

int main(int argc, char **argv)
{
	struct tariff_scenario s;
	struct tariff_params p = { 1.5, INFINITY, 1.5, 1.0, 132737146.0, NAN, NAN };
	struct tariff_mc_dist d;
	enum tariff_model model = TARIFF_CES;
	struct timespec t0, t1;
	struct tc_err err;
	size_t n;
	float *out;
	gsl_rng *rng;
	double sec, check = 0;
	int stats = 0;
	struct tariff_mc_summary sum[TARIFF_MC_NOUT];

	if (argc < 2 || (n = strtoul(argv[1], NULL, 10)) == 0) {
		fprintf(stderr, "usage: mc_bench DRAWS [ces|smart|gsim]\n");
		return 2;
	}
	if (argc > 2 && tariff_model_parse(argv[2], &model)) {
		fprintf(stderr, "mc_bench: unknown model '%s'\n", argv[2]);
		return 2;
	}
	if (argc > 3 && !strcmp(argv[3], "stats"))
		stats = 1;
	gsl_set_error_handler_off();
	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN] = (struct tariff_market){ 1, 438929, 0.20, 2.00 };
	s.m[TARIFF_MX] = (struct tariff_market){ 1, 505900, 0.25, 0.25 };
	s.m[TARIFF_CA] = (struct tariff_market){ 1, 413000, 0.35, 0.35 };
	tariff_mc_dist_default(&d);
	if (argc > 4)
		d.threads = atoi(argv[4]);
	out = malloc(TARIFF_MC_CHUNK * TARIFF_MC_NOUT * sizeof(float));
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!out || !rng)
		return 1;
	gsl_rng_set(rng, 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (stats) {
		if (tariff_mc_stats(model, &s, &p, &d, n, rng, sum, &err)) {
			fprintf(stderr, "mc_bench: %s\n", err.msg);
			return 1;
		}
		check = sum[MC_REVENUE_AFTER].p50;
	} else {
		for (size_t done = 0; done < n; done += TARIFF_MC_CHUNK) {
			size_t m = n - done < TARIFF_MC_CHUNK ? n - done : TARIFF_MC_CHUNK;
			if (tariff_mc_run(model, &s, &p, &d, m, rng, out, &err)) {
				fprintf(stderr, "mc_bench: %s\n", err.msg);
				return 1;
			}
			check += out[MC_REVENUE_AFTER];
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sec = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
	printf("%zu %.6f %.0f %g\n", n, sec, (double)n / sec, check);
	free(out);
	gsl_rng_free(rng);
	return 0;
}

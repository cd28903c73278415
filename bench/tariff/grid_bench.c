/*
** grid_bench.c: the 10 x 10 x 10 sensitivity grid (bench/tariff.sh).
** usage: grid_bench REPS [dump]
** Evaluates tariff_grid() on the four-partner China scenario (CN 20% ->
** 200%, MX, CA, ROW unchanged) over eps = 0.5..5 (10 values), sigma =
** 0..9 (10) and ex = infinite, 0.5, 1, 2, 3, 5, 8, 13, 20, 50 (10), REPS
** times.  Prints "rows seconds rows_per_second failed"; with `dump`, then
** one line per row: eps sigma ex ok imports_after revenue_after dcs dwl.
** Same grid as bench/tariff/grid.py.
*/
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tocalc/model_tariff.h"

int main(int argc, char **argv)
{
	static const double ex[10] = { INFINITY, 0.5, 1, 2, 3, 5, 8, 13, 20, 50 };
	static const double pt[1] = { 1 };
	double eps[10], sigma[10];
	struct tariff_scenario s;
	struct tariff_params base = { 1, INFINITY, 1, 1, 132737146.0, NAN, NAN };
	struct tariff_grid_axes ax = { eps, sigma, ex, pt, 10, 10, 10, 1 };
	struct tariff_grid_row *rows;
	struct timespec t0, t1;
	struct tc_err err;
	long reps;
	size_t n, failed = 0;
	double sec;

	if (argc < 2 || (reps = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: grid_bench REPS [dump]\n");
		return 2;
	}
	gsl_set_error_handler_off();
	for (int i = 0; i < 10; i++) {
		eps[i] = 0.5 + 0.5 * i;
		sigma[i] = i;
	}
	memset(&s, 0, sizeof(s));
	s.m[TARIFF_CN] = (struct tariff_market){ 1, 438929, 0.20, 2.00 };
	s.m[TARIFF_MX] = (struct tariff_market){ 1, 505900, 0.25, 0.25 };
	s.m[TARIFF_CA] = (struct tariff_market){ 1, 413000, 0.35, 0.35 };
	s.m[TARIFF_ROW] = (struct tariff_market){ 1, 1900000, 0.10, 0.10 };
	n = tariff_grid_size(&ax);
	rows = calloc(n, sizeof(*rows));
	if (!rows)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long r = 0; r < reps; r++)
		if (tariff_grid(TARIFF_CES, &s, &base, &ax, rows, &err)) {
			fprintf(stderr, "grid_bench: %s\n", err.msg);
			return 1;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sec = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
	for (size_t i = 0; i < n; i++)
		failed += !rows[i].ok;
	printf("%zu %.6f %.0f %zu\n", n * (size_t)reps, sec, (double)n * (double)reps / sec, failed);
	if (argc > 2 && !strcmp(argv[2], "dump"))
		for (size_t i = 0; i < n; i++)
			printf("%g %g %g %d %.17g %.17g %.17g %.17g\n", rows[i].p.eps, rows[i].p.sigma,
			       rows[i].p.ex, rows[i].ok, rows[i].total.m1, rows[i].total.rev1,
			       rows[i].total.dcs, rows[i].total.dwl);
	free(rows);
	return 0;
}

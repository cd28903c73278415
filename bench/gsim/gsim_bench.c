/*
** bench/gsim/gsim_bench.c: time gsim_solve() in process (no start-up, no
** parsing in the loop), beside bench/gsim/gsim.py --repeat (scipy).
** usage: gsim_bench FILE K   -> "solve <seconds per solve> <iterations>"
*/
#include "tocalc/model_gsim.h"
#include "tocalc/data_gsim.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	struct gsim_input in;
	struct gsim_result r;
	struct tc_err err;
	long k;
	int it = 0;
	double t;

	if (argc != 3)
		return 2;
	gsl_set_error_handler_off();
	tc_err_init(&err);
	k = atol(argv[2]);
	if (gsim_read_file(argv[1], &in, &err)) {
		fprintf(stderr, "gsim_bench: %s\n", err.msg);
		return 1;
	}
	t = now();
	for (long i = 0; i < k; i++) {
		if (gsim_solve(&in, &r, &err)) {
			fprintf(stderr, "gsim_bench: %s\n", err.msg);
			return 1;
		}
		it = r.iterations;
		gsim_result_release(&r);
	}
	t = now() - t;
	printf("solve %.9f %d\n", t / (double)k, it);
	gsim_input_release(&in);
	return 0;
}

/* fuzz-sources: src/data_gsim.c src/model_gsim.c src/tcsv.c src/util.c */
/*
** fuzz_gsim.c: libFuzzer harness for the GSIM reader (src/data_gsim.c,
** docs/gsim.md) and the model behind `tocalc tariff gsim`.  A rejected
** input must give a message starting with the file name and leave the input
** empty; an accepted one must hold values in range, and a small case is
** solved: the solve either fails with a message or gives finite, positive
** prices and flows.  Run: scripts/fuzz.sh 60 gsim
*/
#include "tocalc/model_gsim.h"
#include "tocalc/data_gsim.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_gsim: invariant failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gsim_input in;
	struct gsim_result r;
	struct tc_err err;

	gsl_set_error_handler_off();
	tc_err_init(&err);
	if (gsim_read_buffer("f.gsim", (const char *)data, size, &in, &err)) {
		FZ_CHECK(!strncmp(err.msg, "f.gsim", 6));
		FZ_CHECK(in.n == 0 && in.names == NULL);
		return 0;
	}
	FZ_CHECK(in.n >= 2 && in.n <= GSIM_MAX_REGIONS);
	for (size_t i = 0; i < in.n * in.n; i++)
		FZ_CHECK(in.flow[i] >= 0 && isfinite(in.flow[i]) && in.t0[i] >= 0 && in.t1[i] <= 10);
	if (in.n <= 8) {
		if (gsim_solve(&in, &r, &err) == 0) {
			for (size_t v = 0; v < in.n; v++) {
				FZ_CHECK(isnan(r.pw[v]) || (r.pw[v] > 0 && isfinite(r.pw[v])));
				FZ_CHECK(isfinite(r.net[v]) && isfinite(r.cs[v]) && isfinite(r.ps[v]));
			}
			for (size_t i = 0; i < in.n * in.n; i++)
				FZ_CHECK(r.flow1[i] >= 0 && isfinite(r.flow1[i]));
			gsim_result_release(&r);
		} else {
			FZ_CHECK(err.msg[0] != 0);
		}
	}
	gsim_input_release(&in);
	return 0;
}

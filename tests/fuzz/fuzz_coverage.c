/* fuzz-sources: src/data_coverage.c src/data_tariffs.c src/model_tariff.c src/data_schema.c src/model_claims.c src/tcsv.c src/util.c */
/*
** fuzz_coverage.c: libFuzzer harness for the coverage-table loader
** (src/data_coverage.c, datasets/tariff_coverage.csv): a table either
** loads, and every share it gives is finite in [0, 1] with a basis, every
** Section 301 cell has 1..TARIFF_CELL_MAX_LAYERS non-empty layer names;
** or it fails with a message naming the file and nothing to free.
** Run: scripts/fuzz.sh 60 coverage
*/
#include "tocalc/model_rates.h"
#include "tocalc/data_coverage.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_coverage: invariant failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const layers[] = { "ieepa_fentanyl", "mfn", "s301_list1", "*", "whatif" };
	static const long dates[] = { 20170101, 20250310, 20260224 };
	struct tariff_coverage *cv = NULL;
	struct tc_err err;

	tc_err_init(&err);
	if (tariff_coverage_load_buffer(&cv, "fuzz.csv", (const char *)data, size, &err)) {
		FZ_CHECK(!strncmp(err.msg, "fuzz.csv", 8) && !cv);
		return 0;
	}
	for (int p = 0; p < TARIFF_NPARTNERS; p++)
		for (size_t d = 0; d < sizeof(dates) / sizeof(dates[0]); d++) {
			const struct tariff_cov_cell *cells[8];
			size_t n = tariff_coverage_cells(cv, p, dates[d], cells, 8);
			for (size_t i = 0; i < n && i < 8; i++) {
				FZ_CHECK(cells[i]->nlayers >= 1 && cells[i]->nlayers <= TARIFF_CELL_MAX_LAYERS);
				FZ_CHECK(cells[i]->share >= 0 && cells[i]->share <= 1);
				for (size_t k = 0; k < cells[i]->nlayers; k++)
					FZ_CHECK(cells[i]->layers[k] && *cells[i]->layers[k]);
			}
			for (size_t l = 0; l < sizeof(layers) / sizeof(layers[0]); l++)
				for (int s = 0; s < 3; s++) {
					double share = NAN;
					const char *basis = NULL, *source = NULL;
					int approx = -1;
					tariff_coverage_share(cv, p, layers[l], (enum tariff_scope)s, dates[d],
							      &share, &basis, &source, &approx);
					FZ_CHECK(isfinite(share) && share >= 0 && share <= 1 && basis);
					FZ_CHECK(approx == 0 || approx == 1);
				}
		}
	tariff_coverage_free(cv);
	return 0;
}

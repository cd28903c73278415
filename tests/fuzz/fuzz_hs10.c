/* fuzz-sources: src/data_hs10.c src/data_tariffs.c src/model_tariff.c src/data_schema.c src/model_claims.c src/tcsv.c src/util.c */
/*
** fuzz_hs10.c: libFuzzer harness for the Census HS10 import reader and the
** Section 301 product-list loader (src/data_hs10.c), as `tocalc tariff
** --imports-file F --product-rates F` uses them.  Each input is streamed as
** an HS10 file (every row: 10 and 8 digits that agree, chapter 1..99, a
** finite value >= 0, duty missing or >= 0) and loaded as a product list
** (sorted unique HS8, every rate finite in [0, 1000]%, lookups agree).
** A file that streams is also read through the country/year filter.
** Crashing inputs: tests/fuzz/regressions/hs10/.  Run: scripts/fuzz.sh 60 hs10
*/
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_hs10: invariant failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static int fz_row(const struct hs10_row *r, void *ud, struct tc_err *err)
{
	double *sum = ud;
	(void)err;
	FZ_CHECK(strlen(r->hs10) == 10 && strspn(r->hs10, "0123456789") == 10);
	FZ_CHECK(!strncmp(r->hs8, r->hs10, 8) && strlen(r->hs8) == 8);
	FZ_CHECK(r->hs8num == (uint32_t)strtoul(r->hs8, NULL, 10));
	FZ_CHECK(r->chapter >= 1 && r->chapter <= 99 && r->year >= 1900 && r->year <= 2199);
	FZ_CHECK(isfinite(r->value) && r->value >= 0 && (isnan(r->duty) || r->duty >= 0));
	FZ_CHECK(r->line >= 2);
	*sum += r->value;
	return 0;
}

/*
** The country and year filter (issue 19 item 5) on a file that streams:
** for China, for the rest of the world and for every country, the kept and
** skipped rows add up to the whole file, only kept rows reach the callback,
** and a failure is a located data error.
*/
static void fz_filtered(const char *data, size_t size, double all)
{
	static const struct hs10_filter filters[] = {
		{ "CHINA", NULL, 0, 0 },
		{ NULL, hs10_partner_names, 0, 0 },
		{ "CHINA", NULL, 2024, 1 },
	};

	for (size_t k = 0; k < sizeof(filters) / sizeof(filters[0]); k++) {
		struct hs10_summary hs;
		struct tc_err err;
		double kept = 0, parts = 0;

		tc_err_init(&err);
		if (hs10_stream_filtered_buffer("fuzz.csv", data, size, &filters[k], fz_row, &kept, &hs,
						&err)) {
			FZ_CHECK(!strncmp(err.msg, "fuzz.csv", 8) && err.code == TC_EXIT_DATA);
			continue;
		}
		FZ_CHECK(hs.rows_kept > 0 && hs.year >= 1900 && hs.year <= 2199);
		FZ_CHECK(kept == hs.value_kept);
		FZ_CHECK(hs.ngroups <= HS10_MAX_GROUPS);
		for (size_t g = 0; g < hs.ngroups; g++)
			parts += hs.group[g].value;
		parts += hs.value_other;
		FZ_CHECK(fabs(parts - hs.value_skipped) <= 1e-9 * fabs(hs.value_skipped) ||
			 !isfinite(parts));
		FZ_CHECK(fabs(hs.value_kept + hs.value_skipped - all) <= 1e-9 * fabs(all) ||
			 !isfinite(all));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct product_rates pr;
	struct tc_err err;
	double sum = 0;

	tc_err_init(&err);
	if (hs10_stream_buffer("fuzz.csv", (const char *)data, size, fz_row, &sum, &err))
		FZ_CHECK(!strncmp(err.msg, "fuzz.csv", 8) && err.code == TC_EXIT_DATA);
	else
		fz_filtered((const char *)data, size, sum);
	tc_err_init(&err);
	if (product_rates_load_buffer(&pr, "fuzz.csv", (const char *)data, size, 20250601, NULL, &err)) {
		FZ_CHECK(!strncmp(err.msg, "fuzz.csv", 8) && err.code == TC_EXIT_DATA);
		FZ_CHECK(!pr.hs8 && !pr.n && !pr.path);
		return 0;
	}
	FZ_CHECK(pr.n > 0 && pr.nlists > 0 && pr.nlists <= PRODUCT_MAX_LISTS);
	for (size_t i = 0; i < pr.nlists; i++)
		FZ_CHECK(isfinite(pr.rate[i]) && pr.rate[i] >= 0 && pr.rate[i] <= 1000 && pr.rate_source[i]);
	for (size_t i = 0; i < pr.n; i++) {
		int matched = 0;
		double r = product_rate(&pr, pr.hs8[i], &matched);
		FZ_CHECK(matched && pr.mask[i] && isfinite(r) && r >= 0);
		if (i)
			FZ_CHECK(pr.hs8[i] > pr.hs8[i - 1]);
	}
	product_rates_release(&pr);
	return 0;
}

/* fuzz-sources: src/data_schema.c src/data_validate.c src/data_claims.c src/model_claims.c src/data_tariffs.c src/data_trade.c src/model_tariff.c src/tcsv.c src/util.c */
/*
** fuzz_datasets.c: libFuzzer harness for the CSV layer with the schema of
** every shipped dataset (src/data_schema.c) and the checks beyond it
** (dataset_check, src/data_validate.c), as `tocalc data validate` and
** `--data-dir` use them.  Each input is loaded as every dataset in the
** registry and checked against a small sources table and without one; the
** tables the tariff engine reads are also handed to their consumers (the
** timeline with rate lookups, base imports, model parameters).  Errors must
** name the file; results must be finite and in range.
** Crashing inputs: tests/fuzz/regressions/datasets/.  Run: scripts/fuzz.sh 60 datasets
*/
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
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

#define FZ_CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_datasets: invariant failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static const char fz_sources[] = "id,title,publisher,url,accessed,note,kind\n"
	"cdc_vsrr,VSRR,CDC,,2026-02-14,,primary\nseed-000,a,,,,,primary\nseed-003,b,,,,,secondary\n"
	"nchs,c,,,,,primary\n";

static void fz_consumers(const struct dataset_info *d, const struct tcsv_table *t,
			 const char *buf, size_t len)
{
	struct tc_err err;
	tc_err_init(&err);
	if (d->schema == &schema_trade) {
		struct trade_base tb;
		int y = trade_latest_year(t);
		FZ_CHECK(y == 0 || (y >= 1900 && y <= 2199));
		trade_base_get(t, y ? y : 2024, &tb);
		for (int k = 0; k < TARIFF_NPARTNERS; k++)
			FZ_CHECK(isnan(tb.m0[k]) || (isfinite(tb.m0[k]) && tb.m0[k] >= 0));
	} else if (d->schema == &schema_parameters) {
		struct tariff_params p;
		if (tariff_params_from_table(t, &p, NULL, &err) == 0) {
			FZ_CHECK(isfinite(p.eps) && isfinite(p.sigma) && isfinite(p.pass_through));
			FZ_CHECK(isfinite(p.households) && tariff_params_check(&p, &err) == 0);
		}
	} else if (d->schema == &schema_tariffs) {
		static const char *const partners[] = { "CN", "MX", "CA", "ALL" };
		static const long dates[] = { 20180706, 20250304, 20251110, 20260220 };
		struct tariff_timeline tl;
		struct tariff_stack st;
		if (tariff_timeline_load_buffer(&tl, "fuzz.csv", buf, len, &err))
			return;
		FZ_CHECK(tl.first >= 19000101 && tl.first <= tl.last);
		for (size_t i = 0; i < 4; i++)
			for (size_t j = 0; j < 4; j++)
				if (tariff_rate_on(&tl, partners[i], dates[j], &st, &err) == 0)
					FZ_CHECK(isfinite(st.rate) && st.rate >= 0 && st.nlayers <= TARIFF_MAX_LAYERS);
		if (tariff_rate_on(&tl, "CN", tl.first, &st, &err) == 0)
			FZ_CHECK(isfinite(st.rate));
		tariff_timeline_release(&tl);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tcsv_table sources;
	static int init;
	size_t n;
	const struct dataset_info *all = datasets_all(&n);

	if (!init++ && tcsv_load_buffer(&sources, "sources.csv", fz_sources, sizeof(fz_sources) - 1,
					&schema_sources, NULL))
		abort();
	for (size_t k = 0; k < n; k++) {
		struct tcsv_table t;
		struct tc_err err;
		int a, b;
		tc_err_init(&err);
		if (tcsv_load_buffer(&t, "fuzz.csv", (const char *)data, size, all[k].schema, &err)) {
			FZ_CHECK(!strncmp(err.msg, "fuzz.csv", 8) && err.code == TC_EXIT_DATA);
			continue;
		}
		a = dataset_check(&all[k], &t, &sources, &err);
		if (a)
			FZ_CHECK(!strncmp(err.msg, "fuzz.csv", 8) && err.code == TC_EXIT_DATA);
		b = dataset_check(&all[k], &t, all[k].schema == &schema_sources ? &t : NULL, &err);
		if (all[k].schema != &schema_sources)
			FZ_CHECK(!b || a);	/* no sources table: fewer checks, never more */
		fz_consumers(&all[k], &t, (const char *)data, size);
		tcsv_table_release(&t);
	}
	return 0;
}

/* fuzz-sources: src/data_vsrr.c src/data_schema.c src/data_validate.c src/data_tariffs.c src/data_trade.c src/model_tariff.c src/data_claims.c src/model_claims.c src/tcsv.c src/util.c */
/*
** fuzz_vsrr.c: libFuzzer harness for the raw CDC VSRR reader (src/data_vsrr.c).
** The input is read with vsrr_import_buffer() twice: the default request (US,
** all_drugs and synthetic_opioids) and --all.  When accepted, the rows must be
** sorted, gap-free whole counts covering one month range, and the vintage file
** and overdose_12mo.csv written from them must load against their schemas with
** the same values (round trip).
** Crashing inputs: tests/fuzz/regressions/vsrr/.  Run: scripts/fuzz.sh 60 vsrr
*/
#include "tocalc/data_vsrr.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_vsrr: invariant failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static int fz_same(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

static void fz_one(const uint8_t *data, size_t size, int all)
{
	struct vsrr_request req;
	struct vsrr_import imp;
	struct tcsv_table t;
	struct tc_err err;
	char *out = NULL;
	size_t outlen = 0;
	FILE *fp;

	memset(&req, 0, sizeof(req));
	req.all = all;
	req.vintage = 21991231;
	tc_err_init(&err);
	if (vsrr_import_buffer("fuzz.csv", (const char *)data, size, &req, &imp, &err)) {
		FZ_CHECK(!strncmp(err.msg, "fuzz.csv", 8) && err.code == TC_EXIT_DATA);
		FZ_CHECK(!imp.rows && imp.n == 0);
		return;
	}
	FZ_CHECK(imp.n > 0 && imp.raw_rows >= imp.n);
	/* every row read is kept or counted as skipped: nothing silent */
	FZ_CHECK(imp.raw_rows == imp.n + imp.skip_period + imp.skip_state + imp.skip_indicator);
	FZ_CHECK(imp.normalized <= imp.n);
	for (size_t i = 0; i < imp.n; i++) {
		const struct vsrr_row *r = &imp.rows[i];
		FZ_CHECK(r->state >= 0 && (size_t)r->state < imp.nstates);
		FZ_CHECK(r->indicator >= 0 && (size_t)r->indicator < imp.nind);
		FZ_CHECK(r->period % 100 >= 1 && r->period % 100 <= 12);
		FZ_CHECK(r->period >= imp.first && r->period <= imp.last);
		if (strcmp(imp.indicators[r->indicator], "percent_drugs_specified")) {
			FZ_CHECK(isnan(r->reported) || (r->reported >= 0 && r->reported == floor(r->reported)));
			FZ_CHECK(isnan(r->predicted) || (r->predicted >= 0 && r->predicted == floor(r->predicted)));
		}
		if (i && r->state == imp.rows[i - 1].state && r->indicator == imp.rows[i - 1].indicator)
			FZ_CHECK(tc_month_index(r->period) == tc_month_index(imp.rows[i - 1].period) + 1);
	}
	/* round trip through the vintage writer and schema */
	fp = open_memstream(&out, &outlen);
	FZ_CHECK(fp);
	FZ_CHECK(vsrr_write_vintage(&imp, fp, "2026-02-14", "cdc_vsrr", &err) == 0);
	FZ_CHECK(fclose(fp) == 0);
	if (tcsv_load_buffer(&t, "vintage.csv", out, outlen, &schema_vsrr_vintage, &err)) {
		fprintf(stderr, "fuzz_vsrr: the written vintage does not load: %s\n", err.msg);
		abort();
	}
	FZ_CHECK(t.nrows == imp.n);
	for (size_t i = 0; i < imp.n; i++) {
		FZ_CHECK(t.cols[VV_PERIOD].num[i] == (double)imp.rows[i].period);
		FZ_CHECK(fz_same(t.cols[VV_REPORTED].num[i], imp.rows[i].reported));
	}
	tcsv_table_release(&t);
	free(out);
	out = NULL;
	if (!all) {
		fp = open_memstream(&out, &outlen);
		FZ_CHECK(fp);
		FZ_CHECK(vsrr_write_dataset(&imp, fp, "2026-02-14", "cdc_vsrr", &err) == 0);
		FZ_CHECK(fclose(fp) == 0);
		if (tcsv_load_buffer(&t, "overdose_12mo.csv", out, outlen, &schema_overdose_12mo, &err) ||
		    dataset_check(dataset_find("overdose_12mo"), &t, NULL, &err)) {
			fprintf(stderr, "fuzz_vsrr: the written dataset does not load: %s\n", err.msg);
			abort();
		}
		FZ_CHECK(t.nrows == imp.n);
		tcsv_table_release(&t);
		free(out);
	}
	vsrr_import_release(&imp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_one(data, size, 0);
	fz_one(data, size, 1);
	return 0;
}

/* fuzz-sources: src/data_claims.c src/model_claims.c src/data_schema.c src/data_validate.c src/data_tariffs.c src/data_trade.c src/model_tariff.c src/tcsv.c src/util.c */
/*
** fuzz_claims.c: libFuzzer harness for the claims file (datasets/claims.csv,
** src/data_claims.c) and the verdict rules (src/model_claims.c).  The input is
** loaded against the claims schema; every row goes through claim_from_row()
** (an error names fuzz.csv:LINE) and dataset_check() must agree with it.  Each
** accepted claim with a claimed value is judged against a few computed values
** (its release-time figures and fixed ones): the verdict is one of the three,
** the difference finite and the reason non-empty, or an error when the
** difference overflows.
** Crashing inputs: tests/fuzz/regressions/claims/.  Run: scripts/fuzz.sh 60 claims
*/
#include "tocalc/model_claims.h"
#include "tocalc/data_claims.h"
#include "tocalc/claims_run.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_claims: invariant failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static void fz_judge(const struct claim *c)
{
	static const double fixed[] = { 0, 73838, -18.5, 107941 };
	struct claim_judge_in in;
	struct claim_judge_out out;
	struct tc_err err;

	memset(&in, 0, sizeof(in));
	in.claimed = c->claimed;
	in.unit = c->unit;
	in.cmp = c->cmp;
	in.tolerance = c->tolerance;
	in.release = isnan(c->release_from) ? NAN
		   : (c->release_to - c->release_from) / c->release_from * 100;
	if (!isnan(c->release_to))
		in.cand[in.ncand++] = c->release_to;
	for (size_t i = 0; in.ncand < CLAIM_MAX_CANDIDATES; i++)
		in.cand[in.ncand++] = fixed[i];
	tc_err_init(&err);
	if (claim_judge(&in, &out, &err)) {	/* only a difference that overflows */
		FZ_CHECK(strstr(err.msg, "not a finite number"));
		return;
	}
	FZ_CHECK(out.verdict <= CV_DOES_NOT_HOLD && out.best < in.ncand && out.reason[0]);
	FZ_CHECK(isfinite(out.diff));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tcsv_table t;
	struct tc_err err, err2;
	int all_ok = 1;

	tc_err_init(&err);
	if (tcsv_load_buffer(&t, "fuzz.csv", (const char *)data, size, &schema_claims, &err)) {
		FZ_CHECK(!strncmp(err.msg, "fuzz.csv", 8));
		return 0;
	}
	for (size_t i = 0; i < t.nrows; i++) {
		struct claim c;
		char want[32];
		tc_err_init(&err);
		if (claim_from_row(&t, i, &c, &err)) {
			/* fuzz.csv:LINE: or fuzz.csv:LINE:COL: */
			snprintf(want, sizeof(want), "fuzz.csv:%ld:", t.lines[i]);
			FZ_CHECK(!strncmp(err.msg, want, strlen(want)));
			FZ_CHECK(err.msg[strlen(want)] == ' ' ||
				 (strspn(err.msg + strlen(want), "0123456789") &&
				  !strncmp(err.msg + strlen(want) + strspn(err.msg + strlen(want),
									   "0123456789"), ": ", 2)));
			all_ok = 0;
			continue;
		}
		FZ_CHECK(c.id && c.line == t.lines[i]);
		if (c.method != CM_CANNOT_CHECK && isfinite(c.claimed))
			fz_judge(&c);
	}
	tc_err_init(&err2);
	FZ_CHECK((dataset_check(dataset_find("claims"), &t, NULL, &err2) == 0) == all_ok);
	tcsv_table_release(&t);
	return 0;
}

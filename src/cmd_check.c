/*
** cmd_check.c: `tocalc check [ID...]`: recompute the documents' numeric
** claims from the datasets and give each a verdict (docs/claims.md).
*/
#include "tocalc/cmd.h"
#include "tocalc/model_claims.h"
#include "tocalc/data_claims.h"
#include "tocalc/claims_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char cmd_check_help[] =
	"usage: tocalc check [ID...] [--verdict V] [--json | --csv] [--data-dir DIR]\n"
	"\n"
	"Recompute every numeric claim of the source documents (datasets/claims.csv)\n"
	"from the datasets, with the overdose and tariff engines, and give a verdict:\n"
	"holds, roughly holds (within a documented tolerance, or true at release time\n"
	"but revised since), does not hold, or cannot check (with the reason).\n"
	"\n"
	"With no ID, one line per claim.  With IDs, the full computation of each:\n"
	"the quote, the series used (final or provisional, reported or predicted,\n"
	"data vintage), every computed value, the difference, the tolerance and why.\n"
	"Run it with --data-dir on another data vintage and the verdicts follow the data.\n"
	"\n"
	"options:\n"
	"  --verdict V       only claims with verdict V (holds, roughly, not, cannot)\n"
	"  --json, --csv     machine-readable output (every field of the computation)\n"
	"  --data-dir DIR    datasets directory\n"
	"\n"
	"The rules are in docs/claims.md.  Exit 0 when every claim was evaluated\n"
	"(whatever the verdicts), 1 on bad data, 2 on an unknown claim id.\n";

enum { OPT_VERDICT = TC_OPT_FIRST_FREE };

/* Number format for the claim's unit. */
static int decimals_for(const struct claim_result *r)
{
	return r->c.unit == CU_PERCENT ? 2 : 0;
}

static void add_detail(struct out_doc *doc, const struct claim_result *r, const char *vintage)
{
	struct out_table *t = out_table_add(doc, "claim", r->c.id);
	char buf[64];

	out_col(t, "field", "field");
	out_col(t, "value", "value");
#define KV(k, v) do { out_row(t); out_str(t, k); out_str(t, v); } while (0)
	KV("id", r->c.id);
	KV("document", r->c.document);
	KV("said_on", r->c.said_on);
	KV("quote", r->c.quote);
	snprintf(buf, sizeof(buf), "%s %g %s", claim_comparator_names[r->c.cmp], r->c.claimed,
		 claim_unit_names[r->c.unit]);
	KV("claimed", isnan(r->c.claimed) ? NULL : buf);
	KV("method", claim_method_names[r->c.method]);
	KV("data_used", r->data_used);
	KV("data_vintage", r->c.measure == CME_VSRR ? vintage : NULL);
	for (size_t i = 0; i < r->ncand; i++) {
		char key[80];
		snprintf(key, sizeof(key), "computed: %s", r->cand_label[i]);
		snprintf(buf, sizeof(buf), "%.*f", decimals_for(r), r->cand[i]);
		KV(key, buf);
	}
	if (!isnan(r->release)) {
		snprintf(buf, sizeof(buf), "%.2f", r->release);
		KV("release-time value", buf);
		if (r->release_vintage[0]) {
			snprintf(buf, sizeof(buf), "computed from the kept vintage %s", r->release_vintage);
			KV("release-time data", buf);
		} else {
			KV("release_source", r->c.release_source);
		}
	}
	if (r->data_older)
		KV("data older than the claim", "yes: see context for the data of the claim's date");
	KV("context", r->context[0] ? r->context : NULL);
	if (!isnan(r->diff)) {
		snprintf(buf, sizeof(buf), "%+.2f%s", r->diff, r->c.unit == CU_DEATHS ? "%" : " points");
		KV("difference", buf);
	}
	if (!isnan(r->c.tolerance)) {
		snprintf(buf, sizeof(buf), "%g%s", r->c.tolerance, r->c.unit == CU_DEATHS ? "%" : " points");
		KV("tolerance", buf);
	}
	KV("verdict", claim_verdict_names[r->verdict]);
	KV("reason", r->reason);
	KV("note", r->c.note);
	KV("source", r->c.source);
	KV("secondary sources", r->secondary[0] ? r->secondary : "none");
#undef KV
}

static void add_json_rows(struct out_table *t, const struct claim_result *r, const char *vintage)
{
	out_row(t);
	out_str(t, r->c.id);
	out_str(t, r->c.document);
	out_str(t, r->c.said_on);
	out_str(t, r->c.quote);
	out_num(t, r->c.claimed, -1);
	out_str(t, claim_unit_names[r->c.unit]);
	out_str(t, claim_comparator_names[r->c.cmp]);
	out_str(t, claim_method_names[r->c.method]);
	out_str(t, claim_measure_names[r->c.measure]);
	out_str(t, r->data_used[0] ? r->data_used : NULL);
	out_str(t, r->c.measure == CME_VSRR ? vintage : NULL);
	for (size_t i = 0; i < 2; i++) {
		if (i < r->ncand) {
			out_str(t, r->cand_label[i]);
			out_num(t, r->cand[i], -1);
		} else {
			out_missing(t);
			out_missing(t);
		}
	}
	out_num(t, r->ncand ? r->cand[r->best] : NAN, -1);
	out_num(t, r->release, -1);
	out_num(t, r->diff, -1);
	out_num(t, r->c.tolerance, -1);
	out_str(t, claim_verdict_names[r->verdict]);
	out_str(t, r->reason);
	out_str(t, r->context[0] ? r->context : NULL);
	out_str(t, r->c.source);
}

static int verdict_parse(const char *s, int *v)
{
	static const char *const short_names[] = { "holds", "roughly", "not", "cannot" };
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, short_names[i]) || !strcmp(s, claim_verdict_names[i])) {
			*v = i;
			return 0;
		}
	return -1;
}

int cmd_check(int argc, char **argv, struct tc_ctx *ctx)
{
	static const struct option opts[] = {
		{ "verdict", required_argument, NULL, OPT_VERDICT },
		{ NULL, 0, NULL, 0 }
	};
	struct claims_run run;
	struct tc_err err;
	struct out_doc *doc;
	int c, want = -1, rc;
	size_t counts[4] = { 0, 0, 0, 0 };

	while ((c = tc_getopt(argc, argv, "", opts, ctx)) != -1) {
		switch (c) {
		case TC_OPT_HELP:
			return TC_EXIT_OK;
		case OPT_VERDICT:
			if (verdict_parse(optarg, &want))
				return tc_usage_error("--verdict: expected holds, roughly, not or cannot, got '%s'",
						      optarg);
			break;
		default:
			return TC_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	tc_err_init(&err);
	if (claims_run(&run, ctx->data_dir, argv, (size_t)argc, &err))
		return tc_report(&err);

	doc = out_doc_new("check");
	out_meta_str(doc, "data_dir", ctx->data_dir);
	out_meta_str(doc, "vsrr_vintage", run.vintage[0] ? run.vintage : NULL);
	if (ctx->fmt == OUT_TABLE && argc > 0) {
		for (size_t i = 0; i < run.n; i++)
			if (want < 0 || (int)run.res[i].verdict == want)
				add_detail(doc, &run.res[i], run.vintage);
	} else if (ctx->fmt == OUT_TABLE) {
		claims_summary_table(doc, NULL, &run, 0, want);
	} else {
		static const char *const cols[] = {
			"id", "document", "said_on", "quote", "claimed", "unit", "comparator", "method",
			"measure", "data_used", "data_vintage", "computed_1_label", "computed_1",
			"computed_2_label", "computed_2", "computed", "release_value", "difference",
			"tolerance", "verdict", "reason", "context", "source"
		};
		struct out_table *t = out_table_add(doc, "claims", NULL);
		for (size_t k = 0; k < TC_ARRAY_SIZE(cols); k++)
			out_col(t, cols[k], cols[k]);
		for (size_t i = 0; i < run.n; i++)
			if (want < 0 || (int)run.res[i].verdict == want)
				add_json_rows(t, &run.res[i], run.vintage);
	}
	for (size_t i = 0; i < run.n; i++)
		counts[run.res[i].verdict]++;
	if (ctx->fmt == OUT_TABLE) {
		out_note(doc, "%zu claims: %zu hold, %zu roughly hold, %zu do not hold, %zu cannot be checked",
			 run.n, counts[CV_HOLDS], counts[CV_ROUGHLY], counts[CV_DOES_NOT_HOLD],
			 counts[CV_CANNOT_CHECK]);
		if (argc == 0)
			out_note(doc, "diff: points for percentages, %% of the claim for counts; "
				      "'tocalc check ID' shows the full computation");
	}
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	claims_run_release(&run);
	return rc;
}

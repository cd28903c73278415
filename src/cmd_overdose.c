/*
** cmd_overdose.c: `tocalc overdose change|sum|trend|joinpoint|events`.
** Flags -> struct run_od_opts -> run_overdose() (run_overdose.c: the
** series, the models, every number) -> out_doc.  Nothing is computed here.
*/
#include "tocalc/cmd.h"
#include "tocalc/cmd_overdose_jp.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/model_joinpoint.h"
#include "tocalc/data_overdose.h"
#include "tocalc/run_overdose.h"
#include "tocalc/tcsv.h"
#include "tocalc/model_trend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char cmd_overdose_help[] =
	"usage: tocalc overdose change    [series] --from P --to P\n"
	"       tocalc overdose sum       [series] --from P --to P\n"
	"       tocalc overdose trend     [series] [--from P] [--to P] [--level L]\n"
	"       tocalc overdose joinpoint [series] [range] [joinpoint options]\n"
	"       tocalc overdose events    [series] [range] [joinpoint options]\n"
	"       tocalc overdose value     [series] --at P\n"
	"       tocalc overdose revisions [series] [--from P] [--to P] [-o FILE]\n"
	"       tocalc overdose states    [--indicator NAME] [--vintage V] [--to P]\n"
	"\n"
	"   change      percent change between two periods; VSRR: reported and\n"
	"               predicted side by side, with the data vintage\n"
	"   sum         deaths over non-overlapping periods (years, or 12 month-ending\n"
	"               VSRR windows a whole number of years apart)\n"
	"   trend       ln y = a + b x: APC = 100 (e^b - 1) per year, t-based CI, p\n"
	"   joinpoint   Joinpoint-compatible segmented log-linear regression: segments\n"
	"               with APC, CI and p; AAPC; every candidate model; the tests\n"
	"   events      joinpoints beside the policy dates of datasets/events.csv and\n"
	"               the APC before and after each date (timing only, not cause)\n"
	"   value       one value: status, vintage, sources\n"
	"   revisions   each month's VSRR count, vintage to vintage\n"
	"   states      every jurisdiction's latest 12-month change\n"
	"\n"
	"series (default: all_drugs, final annual deaths):\n"
	"   --series NAME        all_drugs or synthetic_opioids\n"
	"   --measure M          deaths (default) or rate (age-adjusted per 100,000)\n"
	"   --source S           final (NCHS annual, default) or vsrr (CDC 12 month-\n"
	"                        ending counts); YYYY-MM periods imply vsrr\n"
	"   --basis B            VSRR counts for trend/joinpoint/events: reported\n"
	"                        (default) or predicted\n"
	"   --vintage V, --state XX, --indicator NAME\n"
	"                        VSRR vintage, jurisdiction, drug class (heroin, ...)\n"
	"   --file F --x COL --y COL\n"
	"                        a CSV file: x a number or YYYY-MM month, y a number\n"
	"   --allow-uneven       accept unevenly spaced numeric x\n"
	"\n"
	"range:\n"
	"   --from P, --to P     YYYY, YYYY-MM, or a file's x value; trend, joinpoint\n"
	"                        and events default to the whole series\n"
	"   --level L            confidence level (default 0.95)\n"
	"\n"
	"joinpoint and events:\n"
	"   --min-joinpoints N   fewest joinpoints (default 0)\n"
	"   --max-joinpoints N   most joinpoints (default by points: <7 0, 7-11 1,\n"
	"                        12-16 2, 17-21 3, 22-26 4, 27+ 5, within MinObs)\n"
	"   --select M           permutation (default), bic, bic3, wbic or mbic\n"
	"   --method M           grid (joinpoints at observed x, default) or hudson\n"
	"                        (anywhere between observations)\n"
	"   --permutations N     permutations per test (default 4499); --seed N (1)\n"
	"   --alpha A            overall level (default 0.05); the test of k0 against\n"
	"                        k1 joinpoints uses alpha / (max - k0)\n"
	"   --min-obs-end N      points before the first and after the last joinpoint,\n"
	"                        joinpoint excluded (default 2)\n"
	"   --min-obs-between N  points between two joinpoints (default 2)\n"
	"   --aapc FROM:TO       average annual percent change over a range\n"
	"                        (repeatable; default the whole range)\n"
	"   --exhaustive         enumerate every combination (the slow reference)\n"
	"   --model M            loglinear (default) or linear\n"
	"   --weights W          none, poisson (w = y) or deaths (SE = rate/sqrt(D))\n"
	"   --se COLUMN          weights from a --file column of standard errors\n"
	"joinpoint only (docs/joinpoint.md): --ar1 RHO|estimate, --empirical-ci,\n"
	"   --resamples N, --compare S, --jump P [--jump-ratio CR], --group COLUMN,\n"
	"   --stability, --stability-seeds N\n"
	"\n"
	"common: --json, --csv, --format F, --data-dir DIR, --quiet, --help\n"
	"Missing values are never skipped: a range containing one is an error.\n"
	"joinpoint and events accept at most 400 points with the permutation test,\n"
	"1000 with --select bic, bic3, wbic or mbic.\n"
	"Exit codes: 0 ok, 1 bad data or impossible fit, 2 usage error.\n"
	"Examples: man tocalc (EXAMPLES).\n";

enum {
	OPT_SERIES = TC_OPT_FIRST_FREE, OPT_MEASURE, OPT_SOURCE, OPT_BASIS, OPT_FILE, OPT_X, OPT_Y,
	OPT_VINTAGE, OPT_STATE, OPT_INDICATOR,
	OPT_UNEVEN, OPT_FROM, OPT_TO, OPT_LEVEL, OPT_MINJP, OPT_MAXJP, OPT_SELECT, OPT_METHOD,
	OPT_PERMS, OPT_SEED, OPT_ALPHA, OPT_MINEND, OPT_MINBETWEEN, OPT_AAPC, OPT_EXHAUSTIVE,
	OPT_WEIGHTS, OPT_SE, OPT_AR1, OPT_EMPIRICAL, OPT_RESAMPLES, OPT_GROUP, OPT_STABILITY,
	OPT_STABILITY_SEEDS, OPT_COMPARE, OPT_JUMP, OPT_JUMP_RATIO, OPT_MODEL
};

static const struct option longopts[] = {
	{ "series", required_argument, NULL, OPT_SERIES },
	{ "measure", required_argument, NULL, OPT_MEASURE },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "basis", required_argument, NULL, OPT_BASIS },
	{ "file", required_argument, NULL, OPT_FILE },
	{ "vintage", required_argument, NULL, OPT_VINTAGE },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "indicator", required_argument, NULL, OPT_INDICATOR },
	{ "x", required_argument, NULL, OPT_X },
	{ "y", required_argument, NULL, OPT_Y },
	{ "allow-uneven", no_argument, NULL, OPT_UNEVEN },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "level", required_argument, NULL, OPT_LEVEL },
	{ "min-joinpoints", required_argument, NULL, OPT_MINJP },
	{ "max-joinpoints", required_argument, NULL, OPT_MAXJP },
	{ "select", required_argument, NULL, OPT_SELECT },
	{ "method", required_argument, NULL, OPT_METHOD },
	{ "permutations", required_argument, NULL, OPT_PERMS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "alpha", required_argument, NULL, OPT_ALPHA },
	{ "min-obs-end", required_argument, NULL, OPT_MINEND },
	{ "min-obs-between", required_argument, NULL, OPT_MINBETWEEN },
	{ "aapc", required_argument, NULL, OPT_AAPC },
	{ "exhaustive", no_argument, NULL, OPT_EXHAUSTIVE },
	{ "weights", required_argument, NULL, OPT_WEIGHTS },
	{ "se", required_argument, NULL, OPT_SE },
	{ "ar1", required_argument, NULL, OPT_AR1 },
	{ "empirical-ci", no_argument, NULL, OPT_EMPIRICAL },
	{ "resamples", required_argument, NULL, OPT_RESAMPLES },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "stability", no_argument, NULL, OPT_STABILITY },
	{ "stability-seeds", required_argument, NULL, OPT_STABILITY_SEEDS },
	{ "compare", required_argument, NULL, OPT_COMPARE },
	{ "jump", required_argument, NULL, OPT_JUMP },
	{ "jump-ratio", required_argument, NULL, OPT_JUMP_RATIO },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ NULL, 0, NULL, 0 }
};

enum sub { SUB_CHANGE, SUB_SUM, SUB_TREND, SUB_JOINPOINT, SUB_EVENTS };
static const char *const sub_names[] = { "change", "sum", "trend", "joinpoint", "events", NULL };

struct od_opts {
	enum sub sub;
	struct run_od_opts r;	/* what run_overdose() computes (run_overdose.h) */
	const char *aapc[32];	/* --aapc FROM:TO, r.aapc points here */
	int jp_flags;		/* a joinpoint-only flag was given */
	const char *jp_flag_name;
	const char *group;	/* --group COLUMN of --file */
	int stability, stability_seeds;
};

static int parse_choice(const char *flag, const char *arg, const char *const *vals, int *out)
{
	for (int i = 0; vals[i]; i++)
		if (!strcmp(vals[i], arg)) {
			*out = i;
			return 0;
		}
	tc_usage_error("overdose: %s: unknown value '%s'", flag, arg);
	return -1;
}

static int opt_int(const char *flag, const char *arg, long lo, long hi, long *out)
{
	if (tc_opt_long(flag, arg, out))
		return -1;
	if (*out < lo || *out > hi) {
		tc_usage_error("%s: expected %ld..%ld, got %s", flag, lo, hi, arg);
		return -1;
	}
	return 0;
}

static int parse_opts(int argc, char **argv, struct tc_ctx *ctx, struct od_opts *o)
{
	static const char *const measures[] = { "deaths", "rate", NULL };
	static const char *const sources[] = { "final", "vsrr", NULL };
	static const char *const bases[] = { "reported", "predicted", NULL };
	static const char *const selects[] = { "permutation", "bic", "bic3", "wbic", "mbic", NULL };
	static const char *const methods[] = { "grid", "hudson", NULL };
	int c, v;
	long l;
	double d;

	while ((c = tc_getopt(argc, argv, "", longopts, ctx)) != -1) {
		if (c == TC_OPT_HELP)
			return TC_OPT_HELP;
		if (c == '?')
			return -1;
		if (c >= OPT_MINJP) {
			o->jp_flags = 1;
			for (size_t i = 0; longopts[i].name; i++)
				if (longopts[i].val == c)
					o->jp_flag_name = longopts[i].name;
		}
		switch (c) {
		case OPT_SERIES:
			o->r.ser.series = optarg;
			break;
		case OPT_MEASURE:
			if (parse_choice("--measure", optarg, measures, &v))
				return -1;
			o->r.ser.measure = v ? OD_RATE : OD_DEATHS;
			o->r.ser.measure_set = 1;
			break;
		case OPT_SOURCE:
			if (parse_choice("--source", optarg, sources, &v))
				return -1;
			o->r.ser.source = v ? OD_VSRR : OD_FINAL;
			break;
		case OPT_BASIS:
			if (parse_choice("--basis", optarg, bases, &o->r.ser.basis))
				return -1;
			break;
		case OPT_FILE:
			if (!(o->r.ser.file = tc_input_file("--file", optarg)))
				return -1;
			break;
		case OPT_VINTAGE:
		case OPT_STATE:
		case OPT_INDICATOR:
			if (od_select_opt(&o->r.ser.sel, c == OPT_VINTAGE ? "--vintage" : c == OPT_STATE ?
					  "--state" : "--indicator", optarg))
				return -1;
			break;
		case OPT_X:
			o->r.ser.xcol = optarg;
			break;
		case OPT_Y:
			o->r.ser.ycol = optarg;
			break;
		case OPT_UNEVEN:
			o->r.ser.allow_uneven = 1;
			break;
		case OPT_FROM:
			o->r.ser.from = optarg;
			break;
		case OPT_TO:
			o->r.ser.to = optarg;
			break;
		case OPT_LEVEL:
			if (tc_opt_double("--level", optarg, &d))
				return -1;
			if (!(d > 0 && d < 1)) {
				tc_usage_error("--level: expected a number between 0 and 1, got %s", optarg);
				return -1;
			}
			o->r.level = o->r.jp.level = d;
			break;
		case OPT_MINJP:
			if (opt_int("--min-joinpoints", optarg, 0, JP_MAX_JOINPOINTS, &l))
				return -1;
			o->r.jp.min_jp = (int)l;
			break;
		case OPT_MAXJP:
			if (opt_int("--max-joinpoints", optarg, 0, JP_MAX_JOINPOINTS, &l))
				return -1;
			o->r.jp.max_jp = (int)l;
			break;
		case OPT_SELECT:
			if (parse_choice("--select", optarg, selects, &v))
				return -1;
			o->r.jp.select = (enum jp_select)v;
			break;
		case OPT_METHOD:
			if (parse_choice("--method", optarg, methods, &v))
				return -1;
			o->r.jp.method = (enum jp_method)v;
			break;
		case OPT_PERMS:
			if (opt_int("--permutations", optarg, 1, 100000000L, &l))
				return -1;
			o->r.jp.permutations = l;
			break;
		case OPT_SEED:
			if (tc_opt_seed("--seed", optarg, &o->r.seed))
				return -1;
			break;
		case OPT_ALPHA:
			if (tc_opt_double("--alpha", optarg, &d))
				return -1;
			if (!(d > 0 && d < 1)) {
				tc_usage_error("--alpha: expected a number between 0 and 1, got %s", optarg);
				return -1;
			}
			o->r.jp.alpha = d;
			break;
		case OPT_MINEND:
			if (opt_int("--min-obs-end", optarg, 1, 1000, &l))
				return -1;
			o->r.jp.min_obs_end = (int)l;
			break;
		case OPT_MINBETWEEN:
			if (opt_int("--min-obs-between", optarg, 0, 1000, &l))
				return -1;
			o->r.jp.min_obs_between = (int)l;
			break;
		case OPT_AAPC:
			if (o->r.naapc >= (int)TC_ARRAY_SIZE(o->aapc)) {
				tc_usage_error("--aapc: at most %zu ranges", TC_ARRAY_SIZE(o->aapc));
				return -1;
			}
			o->aapc[o->r.naapc++] = optarg;
			break;
		case OPT_EXHAUSTIVE:
			o->r.jp.reference = 1;
			break;
		case OPT_WEIGHTS: {
			static const char *const wnames[] = { "none", "poisson", "deaths", NULL };
			if (parse_choice("--weights", optarg, wnames, &v))
				return -1;
			o->r.weights = (enum run_od_weights)v;
			break;
		}
		case OPT_SE:
			o->r.se_col = optarg;
			o->r.weights = RUN_OD_W_SE;
			break;
		case OPT_AR1:
			if (!strcmp(optarg, "estimate")) {
				o->r.ar1 = 2;
				break;
			}
			if (tc_opt_double("--ar1", optarg, &d))
				return -1;
			if (!(d > -1 && d < 1)) {
				tc_usage_error("--ar1: expected 'estimate' or a number strictly between -1 and 1, got %s",
					       optarg);
				return -1;
			}
			o->r.ar1 = 1;
			o->r.ar1_rho = d;
			break;
		case OPT_EMPIRICAL:
			o->r.empirical = 1;
			break;
		case OPT_GROUP:
			o->group = optarg;
			break;
		case OPT_STABILITY:
			o->stability = 1;
			break;
		case OPT_COMPARE:
			o->r.compare = optarg;
			break;
		case OPT_JUMP:
			o->r.jump = optarg;
			break;
		case OPT_MODEL: {
			static const char *const models[] = { "loglinear", "linear", NULL };
			if (parse_choice("--model", optarg, models, &v))
				return -1;
			o->r.jp.linear = v;
			break;
		}
		case OPT_JUMP_RATIO:
			if (tc_opt_double("--jump-ratio", optarg, &d))
				return -1;
			if (!(d > 0 && isfinite(d))) {
				tc_usage_error("--jump-ratio: expected a comparability ratio > 0, got %s", optarg);
				return -1;
			}
			o->r.jump_ratio = d;
			break;
		case OPT_STABILITY_SEEDS:
			if (opt_int("--stability-seeds", optarg, 1, 20, &l))
				return -1;
			o->stability_seeds = (int)l;
			break;
		case OPT_RESAMPLES:
			if (opt_int("--resamples", optarg, 10, 10000000L, &l))
				return -1;
			o->r.resamples = l;
			break;
		default:
			tc_usage_error("overdose: unexpected option");
			return -1;
		}
	}
	if (optind < argc) {
		tc_usage_error("overdose %s: unexpected argument '%s'", sub_names[o->sub], argv[optind]);
		return -1;
	}
	return 0;
}

static const char *source_name(const struct od_series *s)
{
	return s->source == OD_VSRR ? "vsrr" : s->source == OD_FINAL ? "final" : "file";
}

static void meta_series(struct out_doc *doc, const struct od_series *s)
{
	out_meta_str(doc, "series", s->name);
	out_meta_str(doc, "source", source_name(s));
	if (s->source == OD_FILE)
		out_meta_str(doc, "file", s->path);
	else
		out_meta_str(doc, "measure", s->measure == OD_RATE ? "rate" : "deaths");
	out_meta_str(doc, "unit", s->unit);
	if (s->vintage)
		out_meta_str(doc, "vintage", s->vintage);
	if (s->state)
		out_meta_str(doc, "state", s->state);
	if (s->source == OD_VSRR && s->path && strstr(s->path, "vsrr/"))
		out_meta_str(doc, "vintage_file", s->path);
}

static int data_status_provisional(const struct od_series *s, size_t i0, size_t i1)
{
	if (!s->status)
		return 0;
	for (size_t i = i0; i <= i1; i++)
		if (s->status[i] && !strcmp(s->status[i], "provisional"))
			return 1;
	return 0;
}

static void vsrr_notes(struct out_doc *doc, const struct od_series *s, size_t i0, size_t i1)
{
	if (s->source != OD_VSRR)
		return;
	out_note(doc, "VSRR counts: each period is the 12 months ending in the month shown; deaths by "
		 "place of occurrence, provisional counts revised every month (vintage %s)",
		 s->vintage ? s->vintage : "unknown");
	if (data_status_provisional(s, i0, i1))
		out_note(doc, "some periods are provisional: 'predicted' adjusts 'reported' for delayed reporting");
}

/* Run the analysis of o->r.kind; on error report it and return the exit code (else 0). */
static int run(struct od_opts *o, struct tc_ctx *ctx, enum run_od_kind kind, struct run_od_result *r)
{
	struct tc_err err;

	tc_err_init(&err);
	o->r.kind = kind;
	o->r.ser.data_dir = ctx->data_dir;
	o->r.ser.what = sub_names[o->sub];
	o->r.ser.range_required = kind == RUN_OD_CHANGE || kind == RUN_OD_SUM;
	o->r.ser.range_distinct = kind == RUN_OD_CHANGE;
	o->r.aapc = o->aapc;
	o->r.stability = o->stability;
	o->r.stability_seeds = o->stability_seeds;
	if (run_overdose(&o->r, r, &err))
		return tc_report(&err);
	return 0;
}

/* ---------- change ---------- */

static int do_change(struct od_opts *o, struct tc_ctx *ctx)
{
	struct run_od_result r;
	const struct od_series *s = &r.s;
	struct out_doc *doc;
	struct out_table *t;
	size_t i0, i1;
	int rc;

	if ((rc = run(o, ctx, RUN_OD_CHANGE, &r)))
		return rc;
	i0 = r.i0;
	i1 = r.i1;
	doc = out_doc_new("overdose change");
	meta_series(doc, s);
	t = out_table_add(doc, "change", NULL);
	out_col(t, "basis", "basis");
	out_col(t, "from", "from");
	out_col(t, "from_value", "value");
	out_col(t, "to", "to");
	out_col(t, "to_value", "value");
	out_col(t, "change", "change");
	out_col(t, "percent_change", "% change");
	out_col(t, "data_status", "status");
	for (int b = 0; b < r.nbasis; b++) {
		const double *y = b ? s->y2 : s->y;
		char a[32], c[32], st[64];
		out_row(t);
		out_str(t, s->source == OD_VSRR ? (b ? "predicted" : "reported") : s->source == OD_FINAL ? "final" : "value");
		out_str(t, od_label(s, i0, a));
		out_num(t, y[i0], s->measure == OD_RATE || s->source == OD_FILE ? -1 : 0);
		out_str(t, od_label(s, i1, c));
		out_num(t, y[i1], s->measure == OD_RATE || s->source == OD_FILE ? -1 : 0);
		out_num(t, y[i1] - y[i0], s->measure == OD_RATE || s->source == OD_FILE ? -1 : 0);
		out_num(t, r.pct[b], 2);
		if (s->status) {
			if (strcmp(s->status[i0], s->status[i1]))
				snprintf(st, sizeof(st), "%s -> %s", s->status[i0], s->status[i1]);
			else
				snprintf(st, sizeof(st), "%s", s->status[i0]);
			out_str(t, st);
		} else {
			out_missing(t);
		}
	}
	vsrr_notes(doc, s, i0, i1);
	if (s->source == OD_VSRR) {
		long dm = tc_month_index(s->period[i1]) - tc_month_index(s->period[i0]);
		if (dm % 12 != 0)
			out_note(doc, "the two periods are %ld months apart, not a whole number of years: "
				 "the 12-month windows %s and compare different seasons", dm,
				 dm < 12 ? "overlap" : "do not line up");
	}
	out_note(doc, "percent change = 100 (to / from - 1)");
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	run_od_result_release(&r);
	return rc;
}

/* ---------- sum ---------- */

static int do_sum(struct od_opts *o, struct tc_ctx *ctx)
{
	struct run_od_result r;
	const struct od_series *s = &r.s;
	struct out_doc *doc;
	struct out_table *t;
	char a[32], b[32], cov[80];
	int rc;

	if ((rc = run(o, ctx, RUN_OD_SUM, &r)))
		return rc;
	doc = out_doc_new("overdose sum");
	meta_series(doc, s);
	t = out_table_add(doc, "periods", NULL);
	out_col(t, "period", "period");
	if (s->source == OD_VSRR) {
		out_col(t, "covers", "covers");
		out_col(t, "reported", "reported");
		out_col(t, "predicted", "predicted");
	} else {
		out_col(t, "value", s->source == OD_FILE ? s->unit : "deaths");
	}
	for (size_t i = r.i0; i <= r.i1; i += r.step) {
		out_row(t);
		out_str(t, od_label(s, i, a));
		if (s->source == OD_VSRR) {
			long first = tc_month_from_index(tc_month_index(s->period[i]) - 11);
			tc_format_month(first, b);
			snprintf(cov, sizeof(cov), "%s..%s", b, a);
			out_str(t, cov);
			out_num(t, s->y[i], 0);
			out_num(t, s->y2[i], 0);
		} else {
			out_num(t, s->y[i], s->source == OD_FILE ? -1 : 0);
		}
	}
	out_meta_int(doc, "period_count", (long long)r.nperiods);
	if (s->source == OD_VSRR) {
		long first = tc_month_from_index(tc_month_index(s->period[r.i0]) - 11);
		tc_format_month(first, b);
		snprintf(cov, sizeof(cov), "%s..%s", b, od_label(s, r.i1, a));
		out_meta_str(doc, "covers", cov);
		out_meta_num(doc, "total_reported", r.total[0], 0);
		out_meta_num(doc, "total_predicted", r.total[1], 0);
	} else {
		snprintf(cov, sizeof(cov), "%s..%s", od_label(s, r.i0, a), od_label(s, r.i1, b));
		out_meta_str(doc, "covers", cov);
		out_meta_num(doc, "total", r.total[0], s->source == OD_FILE ? -1 : 0);
	}
	vsrr_notes(doc, s, r.i0, r.i1);
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	run_od_result_release(&r);
	return rc;
}

/* ---------- trend ---------- */

static void meta_range(struct out_doc *doc, const char *basis, const struct od_series *s,
		       size_t i0, size_t i1)
{
	char a[32];

	out_meta_str(doc, "basis", basis);
	out_meta_str(doc, "from", od_label(s, i0, a));
	out_meta_str(doc, "to", od_label(s, i1, a));
	out_meta_int(doc, "points", (long long)(i1 - i0 + 1));
}

static void axis_note(struct out_doc *doc, const struct od_series *s)
{
	if (s->axis == OD_MONTHS)
		out_note(doc, "x is time in years (month m of year Y is Y + (m - 1) / 12), so percent changes are per year");
	else if (s->axis == OD_NUMBERS)
		out_note(doc, "percent changes are per unit of x");
	if (s->source == OD_VSRR)
		out_note(doc, "successive 12 month-ending counts share 11 months, so residuals are strongly "
			 "autocorrelated: confidence intervals and p-values are too narrow/small");
}

static int do_trend(struct od_opts *o, struct tc_ctx *ctx)
{
	struct run_od_result r;
	const struct trend_fit *f = &r.trend;
	struct out_doc *doc;
	struct out_table *t;
	char a[32];
	int rc;

	if ((rc = run(o, ctx, RUN_OD_TREND, &r)))
		return rc;
	doc = out_doc_new("overdose trend");
	meta_series(doc, &r.s);
	meta_range(doc, r.basis, &r.s, r.i0, r.i1);
	out_meta_num(doc, "level", o->r.level, 2);
	t = out_table_add(doc, "trend", NULL);
	out_col(t, "from", "from");
	out_col(t, "to", "to");
	out_col(t, "points", "points");
	out_col(t, "apc", "APC %");
	out_col(t, "apc_lower", "lower");
	out_col(t, "apc_upper", "upper");
	out_col(t, "test_statistic", "t");
	out_col(t, "p_value", "p");
	out_col(t, "slope", "slope (ln)");
	out_col(t, "sse", "SSE");
	out_row(t);
	out_str(t, od_label(&r.s, r.i0, a));
	out_str(t, od_label(&r.s, r.i1, a));
	out_int(t, (long long)r.n);
	out_num(t, f->apc, 2);
	out_num(t, f->apc_lower, 2);
	out_num(t, f->apc_upper, 2);
	out_num(t, f->t_stat, 3);
	out_num(t, f->p_value, 4);
	out_num(t, f->slope, 6);
	out_num(t, f->sse, 6);
	out_note(doc, "ln y = a + b x by least squares; APC = 100 (e^b - 1); %g%% CI from t with %d df",
		 100 * o->r.level, f->df);
	axis_note(doc, &r.s);
	vsrr_notes(doc, &r.s, r.i0, r.i1);
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	run_od_result_release(&r);
	return rc;
}

/* ---------- joinpoint ---------- */

struct prog {
	struct tc_progress p;
	const struct tc_ctx *ctx;
	int started;
};

static void prog_cb(void *ud, long done, long total)
{
	struct prog *pr = ud;
	if (!pr->started) {
		tc_progress_start(&pr->p, pr->ctx, "permutation tests", total);
		pr->started = 1;
	}
	tc_progress_update(&pr->p, done);
}

/* run() for the joinpoint analyses, with a progress bar on a terminal. */
static int run_jp(struct od_opts *o, struct tc_ctx *ctx, enum run_od_kind kind, struct run_od_result *r)
{
	struct prog pr;
	int rc;

	memset(&pr, 0, sizeof(pr));
	pr.ctx = ctx;
	if (ctx->stderr_tty && !ctx->quiet) {
		o->r.jp.progress = prog_cb;
		o->r.jp.progress_ud = &pr;
	}
	rc = run(o, ctx, kind, r);
	if (pr.started)
		tc_progress_done(&pr.p);
	o->r.jp.progress = NULL;
	o->r.jp.progress_ud = NULL;
	return rc;
}

static const char *select_name(enum jp_select s)
{
	static const char *const n[] = { "permutation", "bic", "bic3", "wbic", "mbic" };
	return n[s];
}

/* Label of a joinpoint or endpoint: the period of an observation, else x. */
static const char *jp_label(const struct od_series *s, double x, long index_in_range, size_t i0, char *buf)
{
	if (index_in_range >= 0)
		return od_label(s, i0 + (size_t)index_in_range, buf);
	return od_x_label(s, x, 1, buf);
}

static void add_segments(struct out_doc *doc, const struct od_series *s, size_t i0,
			 const struct jp_model *m)
{
	struct out_table *t = out_table_add(doc, "segments", "segments of the selected model");
	char a[32];

	out_col(t, "segment", "segment");
	out_col(t, "lower_endpoint", "lower");
	out_col(t, "upper_endpoint", "upper");
	if (m->linear) {
		/* the linear model: slopes in y units per unit of x, not percent changes */
		out_col(t, "slope", "change per year");
		out_col(t, "slope_lower", "lower CI");
		out_col(t, "slope_upper", "upper CI");
	} else {
		out_col(t, "apc", "APC %");
		out_col(t, "apc_lower", "lower CI");
		out_col(t, "apc_upper", "upper CI");
	}
	out_col(t, "test_statistic", "t");
	out_col(t, "p_value", "p");
	for (int sg = 0; sg <= m->k; sg++) {
		const struct jp_segment *g = &m->seg[sg];
		out_row(t);
		out_int(t, sg + 1);
		out_str(t, jp_label(s, g->lower, sg == 0 ? 0 : m->tau_index[sg - 1], i0, a));
		out_str(t, jp_label(s, g->upper, sg == m->k ? -1 : m->tau_index[sg], i0, a));
		out_num(t, g->apc, m->linear ? 4 : 2);
		out_num(t, g->apc_lower, m->linear ? 4 : 2);
		out_num(t, g->apc_upper, m->linear ? 4 : 2);
		out_num(t, g->t_stat, 3);
		out_num(t, g->p_value, 4);
	}
}

static void add_joinpoints(struct out_doc *doc, const struct od_series *s, size_t i0,
			   const struct jp_model *m)
{
	struct out_table *t = out_table_add(doc, "joinpoints", "joinpoints of the selected model");
	char a[32];

	out_col(t, "joinpoint", "joinpoint");
	out_col(t, "location", "location");
	out_col(t, "x", "x");
	for (int j = 0; j < m->k; j++) {
		out_row(t);
		out_int(t, j + 1);
		out_str(t, jp_label(s, m->tau[j], m->tau_index[j], i0, a));
		out_num(t, m->tau[j], 4);
	}
}

static void meta_joinpoint(struct out_doc *doc, const struct od_opts *o, const struct jp_result *r)
{
	out_meta_str(doc, "method", r->method == JP_HUDSON ? "hudson" : "grid");
	out_meta_str(doc, "selection", select_name(r->select));
	out_meta_int(doc, "min_joinpoints", r->min_jp);
	out_meta_int(doc, "max_joinpoints", r->max_jp);
	out_meta_int(doc, "min_obs_end", o->r.jp.min_obs_end);
	out_meta_int(doc, "min_obs_between", o->r.jp.min_obs_between);
	if (r->select == JP_SELECT_PERMUTATION) {
		out_meta_int(doc, "permutations", o->r.jp.permutations);
		out_meta_int(doc, "seed", (long long)o->r.seed);
		out_meta_num(doc, "alpha", o->r.jp.alpha, 4);
	}
	out_meta_num(doc, "level", r->level, 2);
	out_meta_int(doc, "selected_joinpoints", r->selected);
}

/* The comparison of two series (Kim et al. 2004), computed by run_overdose(). */
static void add_comparison(struct out_doc *doc, const struct od_opts *o, const struct jp_comparison *c)
{
	struct out_table *t = out_table_add(doc, "comparison", "comparing the two series (Kim et al. 2004)");

	out_col(t, "test", "test");
	out_col(t, "null_hypothesis", "H0");
	out_col(t, "statistic", "SSE(H0)/SSE(H1)");
	out_col(t, "p_value", "p");
	out_col(t, "exceed", "perm >= obs");
	out_col(t, "permutations", "permutations");
	out_row(t);
	out_str(t, "coincidence");
	out_str(t, "one curve fits both series");
	out_num(t, c->stat_coincidence, 4);
	out_num(t, c->p_coincidence, 4);
	out_int(t, c->exceed_coincidence);
	out_int(t, c->permutations);
	out_row(t);
	out_str(t, "parallelism");
	out_str(t, "the curves differ by a constant ratio");
	out_num(t, c->stat_parallel, 4);
	out_num(t, c->p_parallel, 4);
	out_int(t, c->exceed_parallel);
	out_int(t, c->permutations);
	out_meta_str(doc, "compare", o->r.compare);
	out_meta_int(doc, "compare_joinpoints_first", c->k1);
	out_meta_int(doc, "compare_joinpoints_second", c->k2);
	out_meta_int(doc, "compare_joinpoints_pooled", c->k0);
	out_meta_num(doc, "compare_ratio", c->ratio, 4);
	out_note(doc, "comparison: each series keeps its selected joinpoints (%d and %d); the pooled "
		 "models have %d common joinpoints; p by %ld permutations swapping the two values at each "
		 "x (after removing the shift for parallelism), every fit searched again; second/first "
		 "ratio under parallelism %.4f", c->k1, c->k2, c->k0, c->permutations, c->ratio);
}

/* Empirical-quantile CIs beside the parametric ones (one table). */
static void add_empirical(struct out_doc *doc, const struct run_od_result *r)
{
	const struct jp_model *m = r->selected;
	const struct jp_empirical *e = &r->emp;
	struct out_table *t;
	char a[32], b[32], what[96];

	t = out_table_add(doc, "empirical_ci", "empirical-quantile confidence intervals (resampled residuals)");
	out_col(t, "quantity", "quantity");
	out_col(t, "estimate", "estimate");
	out_col(t, "parametric_lower", "parametric lower");
	out_col(t, "parametric_upper", "parametric upper");
	out_col(t, "empirical_lower", "empirical lower");
	out_col(t, "empirical_upper", "empirical upper");
	for (int sg = 0; sg <= m->k; sg++) {
		out_row(t);
		snprintf(what, sizeof(what), "%s segment %d", m->linear ? "slope" : "APC", sg + 1);
		out_str(t, what);
		out_num(t, m->seg[sg].apc, 2);
		out_num(t, m->seg[sg].apc_lower, 2);
		out_num(t, m->seg[sg].apc_upper, 2);
		out_num(t, e->apc_lower[sg], 2);
		out_num(t, e->apc_upper[sg], 2);
	}
	for (int j = 0; j < m->k; j++) {
		out_row(t);
		snprintf(what, sizeof(what), "joinpoint %d location", j + 1);
		out_str(t, what);
		out_num(t, m->tau[j], 4);
		out_missing(t);
		out_missing(t);
		out_num(t, e->tau_lower[j], 4);
		out_num(t, e->tau_upper[j], 4);
	}
	for (int q = 0; q < r->naapc; q++) {
		const struct jp_aapc *ap = &r->emp_aapc[q];
		out_row(t);
		snprintf(what, sizeof(what), "%s %s..%s", m->linear ? "AAC" : "AAPC", od_label(&r->s, r->aapc[q].f0, a),
			 od_label(&r->s, r->aapc[q].f1, b));
		out_str(t, what);
		out_num(t, ap->aapc, 2);
		out_num(t, ap->lower, 2);
		out_num(t, ap->upper, 2);
		out_num(t, e->aapc_lower[q], 2);
		out_num(t, e->aapc_upper[q], 2);
	}
	out_meta_int(doc, "resamples", r->resamples);
	out_meta_int(doc, "resamples_used", e->used);
	out_note(doc, "empirical CIs: %ld resamples of the selected model's residuals on ln y (with "
		 "replacement%s), the %d-joinpoint model refitted with its joinpoints searched again; "
		 "bounds are the %g%% and %g%% quantiles (NCI Joinpoint 5's empirical quantile method); "
		 "they assume independent errors", r->resamples, r->w ? ", standardised by the weights" : "",
		 m->k, 50 * (1 - r->jp.level), 50 * (1 + r->jp.level));
}

static int do_joinpoint(struct od_opts *o, struct tc_ctx *ctx)
{
	struct run_od_result r;
	struct out_doc *doc;
	struct out_table *t;
	const struct jp_model *m;
	const struct od_series *s = &r.s;
	size_t i0;
	char a[32], b[32];
	int rc;

	if (o->group) {
		struct od_jp_group_args ga;
		if (!o->r.ser.file)
			return tc_usage_error("--group COLUMN goes with --file F --x COLUMN --y COLUMN");
		if (o->r.ar1 || o->r.empirical || o->stability || o->r.weights == RUN_OD_W_DEATHS
		    || o->r.jp.method == JP_HUDSON || o->r.naapc || o->r.ser.series || o->r.ser.measure_set
		    || o->r.ser.source >= 0 || o->r.ser.basis >= 0)
			return tc_usage_error("--group runs take the selection, weights (poisson or --se) and "
					      "search options; not --ar1, --empirical-ci, --aapc, --method hudson "
					      "or shipped-series flags");
		memset(&ga, 0, sizeof(ga));
		ga.file = o->r.ser.file;
		ga.xcol = o->r.ser.xcol;
		ga.ycol = o->r.ser.ycol;
		ga.group_col = o->group;
		ga.se_col = o->r.se_col;
		ga.weights = o->r.weights == RUN_OD_W_POISSON ? OD_JPW_POISSON : o->r.weights == RUN_OD_W_SE
			     ? OD_JPW_SE : OD_JPW_NONE;
		ga.from = o->r.ser.from;
		ga.to = o->r.ser.to;
		ga.jp = &o->r.jp;
		ga.seed = o->r.seed;
		return od_joinpoint_groups(&ga, ctx);
	}
	if ((rc = run_jp(o, ctx, RUN_OD_JOINPOINT, &r)))
		return rc;
	m = r.model;
	i0 = r.i0;
	doc = out_doc_new("overdose joinpoint");
	meta_series(doc, s);
	meta_range(doc, r.basis, s, r.i0, r.i1);
	meta_joinpoint(doc, o, &r.jp);
	out_meta_str(doc, "weights", o->r.weights == RUN_OD_W_NONE ? "none" : o->r.weights == RUN_OD_W_POISSON
		     ? "poisson" : o->r.weights == RUN_OD_W_DEATHS ? "deaths" : "se");
	if (o->r.jump && o->r.jump_ratio > 0) {
		out_meta_str(doc, "jump_at", o->r.jump);
		out_meta_num(doc, "jump_ratio", o->r.jump_ratio, 6);
		out_note(doc, "comparability-ratio model: values before %s were multiplied by %g (new coding / "
			 "old coding) so the series is on one coding; the ratio's own uncertainty is not "
			 "carried into the CIs", o->r.jump, o->r.jump_ratio);
	} else if (o->r.jump && m->has_jump) {
		struct out_table *jt = out_table_add(doc, "jump", "estimated jump (selected model)");
		out_col(jt, "at", "at");
		out_col(jt, "estimate", m->linear ? "jump (y units)" : "ratio after / before");
		out_col(jt, "lower", "lower CI");
		out_col(jt, "upper", "upper CI");
		out_row(jt);
		out_str(jt, o->r.jump);
		if (m->linear) {
			out_num(jt, m->jump, 4);
			out_num(jt, m->jump_lower, 4);
			out_num(jt, m->jump_upper, 4);
		} else {
			/* the step on ln y as a ratio */
			out_num(jt, exp(m->jump), 4);
			out_num(jt, exp(m->jump_lower), 4);
			out_num(jt, exp(m->jump_upper), 4);
		}
		out_meta_str(doc, "jump_at", o->r.jump);
		out_note(doc, "jump model: ln y (or y) steps by an estimated amount at %s, the slopes on either "
			 "side unchanged in meaning; one more parameter in df and in every criterion; the step is "
			 "found by a one-dimensional search around the exact joinpoint search", o->r.jump);
	}
	if (o->r.ar1) {
		out_meta_str(doc, "errors", "ar1");
		out_meta_num(doc, "ar1_rho", r.rho, 4);
		out_meta_str(doc, "ar1_rho_from", o->r.ar1 == 2 ? "estimated (REML)" : "given");
	} else {
		out_meta_str(doc, "errors", "independent");
	}
	add_segments(doc, s, i0, m);
	add_joinpoints(doc, s, i0, m);

	if (m->linear) {
		t = out_table_add(doc, "aac", "average annual change (selected model, y units per year)");
		out_col(t, "from", "from");
		out_col(t, "to", "to");
		out_col(t, "aac", "AAC");
		out_col(t, "aac_lower", "lower CI");
		out_col(t, "aac_upper", "upper CI");
	} else {
		t = out_table_add(doc, "aapc", "average annual percent change (selected model)");
		out_col(t, "from", "from");
		out_col(t, "to", "to");
		out_col(t, "aapc", "AAPC %");
		out_col(t, "aapc_lower", "lower CI");
		out_col(t, "aapc_upper", "upper CI");
	}
	out_col(t, "ci", "CI from");
	for (int q = 0; q < r.naapc; q++) {
		const struct jp_aapc *ap = &r.aapc[q].ap;
		out_row(t);
		out_str(t, od_label(s, r.aapc[q].f0, a));
		out_str(t, od_label(s, r.aapc[q].f1, b));
		out_num(t, ap->aapc, m->linear ? 4 : 2);
		out_num(t, ap->lower, m->linear ? 4 : 2);
		out_num(t, ap->upper, m->linear ? 4 : 2);
		out_str(t, ap->t_based ? "t" : "normal");
	}

	t = out_table_add(doc, "models", "candidate models");
	out_col(t, "joinpoints", "joinpoints");
	out_col(t, "locations", "locations");
	out_col(t, "sse", "SSE");
	out_col(t, "df", "df");
	out_col(t, "bic", "BIC");
	out_col(t, "bic3", "BIC3");
	out_col(t, "wbic", "WBIC");
	out_col(t, "mbic", "MBIC");
	out_col(t, "selected", "selected");
	for (int i = 0; i < r.jp.nmodels; i++) {
		const struct jp_model *mm = &r.jp.models[i];
		char loc[512] = "";
		size_t len = 0;
		for (int j = 0; j < mm->k; j++) {
			jp_label(s, mm->tau[j], mm->tau_index[j], i0, a);
			len += (size_t)snprintf(loc + len, sizeof(loc) - len, "%s%s", j ? " " : "", a);
			if (len >= sizeof(loc))
				break;
		}
		out_row(t);
		out_int(t, mm->k);
		out_str(t, loc);
		out_num(t, mm->sse, 6);
		out_int(t, mm->df);
		out_num(t, mm->bic, 4);
		out_num(t, mm->bic3, 4);
		out_num(t, mm->wbic, 4);
		out_num(t, mm->mbic, 4);
		out_bool(t, mm->k == r.jp.selected);
	}
	if (r.jp.select == JP_SELECT_PERMUTATION) {
		t = out_table_add(doc, "tests", "sequential permutation tests");
		out_col(t, "null_joinpoints", "H0 k");
		out_col(t, "alt_joinpoints", "H1 k");
		out_col(t, "statistic", "SSE ratio");
		out_col(t, "p_value", "p");
		out_col(t, "alpha", "alpha");
		out_col(t, "reject", "reject H0");
		out_col(t, "exceed", "perm >= obs");
		out_col(t, "permutations", "permutations");
		for (int i = 0; i < r.jp.ntests; i++) {
			const struct jp_test *ts = &r.jp.tests[i];
			out_row(t);
			out_int(t, ts->ka);
			out_int(t, ts->kb);
			out_num(t, ts->statistic, 4);
			out_num(t, ts->p_value, 4);
			out_num(t, ts->alpha, 4);
			out_bool(t, ts->reject);
			out_int(t, ts->exceed);
			out_int(t, ts->permutations);
		}
		out_note(doc, "p = (1 + permuted statistics >= observed) / (1 + permutations); "
			 "statistic SSE(H0) / SSE(H1); H0 rejected when p < alpha / (max - k0)");
	}
	if (r.has_empirical)
		add_empirical(doc, &r);
	if (r.has_compare)
		add_comparison(doc, o, &r.cmp);
	if (r.has_stability)
		od_joinpoint_stability(s, i0, &r.stab, doc);
	if (o->r.jp.linear)
		out_note(doc, "linear model: y = b0 + b1 x + sum d_j (x - tau_j)+, p = 2k + 2 parameters; "
			 "segments report the slope (change in y per unit of x); %g%% CIs from t with n - p df",
			 100 * r.jp.level);
	else
		out_note(doc, "model: ln y = b0 + b1 x + sum d_j (x - tau_j)+, p = 2k + 2 parameters; "
			 "APC = 100 (e^slope - 1); %g%% CIs from t with n - p df", 100 * r.jp.level);
	if (r.w)
		out_note(doc, "weighted least squares on ln y, weights %s; the scale is estimated from the "
			 "weighted residuals (SSE columns are weighted)",
			 o->r.weights == RUN_OD_W_POISSON ? "w = y (Poisson counts: Var(ln y) ~ 1/y)"
			 : o->r.weights == RUN_OD_W_DEATHS ? "w = deaths (rate SE = rate / sqrt(deaths))"
			 : "w = (y / SE)^2 from the SE column");
	if (o->r.ar1)
		out_note(doc, "AR(1) errors, rho = %.4f (%s): the segments, APC CIs, p-values and AAPC come "
			 "from generalised least squares at the selected joinpoints (t with %d df); the "
			 "joinpoints, candidate models and their selection come from the %s fit",
			 r.rho, o->r.ar1 == 2 ? "REML estimate" : "given", r.ar1.df,
			 r.w ? "weighted independent-error" : "independent-error");
	axis_note(doc, s);
	vsrr_notes(doc, s, r.i0, r.i1);
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	run_od_result_release(&r);
	return rc;
}

/* ---------- events ---------- */

static int do_events(struct od_opts *o, struct tc_ctx *ctx)
{
	struct run_od_result r;
	const struct od_series *s = &r.s;
	const struct tcsv_table *ev = &r.events;
	struct out_doc *doc;
	struct out_table *t;
	const struct jp_model *m;
	int rc;

	if ((rc = run_jp(o, ctx, RUN_OD_EVENTS, &r)))
		return rc;
	m = r.selected;
	doc = out_doc_new("overdose events");
	meta_series(doc, s);
	meta_range(doc, r.basis, s, r.i0, r.i1);
	meta_joinpoint(doc, o, &r.jp);
	add_joinpoints(doc, s, r.i0, m);
	add_segments(doc, s, r.i0, m);
	t = out_table_add(doc, "events", "policy dates beside the trend");
	out_col(t, "date", "date");
	out_col(t, "id", "id");
	out_col(t, "category", "category");
	out_col(t, "apc_before", "APC before %");
	out_col(t, "apc_after", "APC after %");
	out_col(t, "nearest_joinpoint", "nearest joinpoint");
	out_col(t, "years_to_joinpoint", "years to it");
	out_col(t, "event", "event");
	for (size_t q = 0; q < r.nev; q++) {
		const struct run_od_event *e = &r.ev[q];
		char a[32];
		out_row(t);
		out_str(t, tcsv_text(ev, EV_DATE, e->row));
		out_str(t, tcsv_text(ev, EV_ID, e->row));
		out_str(t, tcsv_text(ev, EV_CATEGORY, e->row));
		if (e->seg_before >= 0)
			out_num(t, m->seg[e->seg_before].apc, 2);
		else
			out_missing(t);
		if (e->seg_after >= 0)
			out_num(t, m->seg[e->seg_after].apc, 2);
		else
			out_missing(t);
		if (e->nearest >= 0) {
			out_str(t, jp_label(s, m->tau[e->nearest], m->tau_index[e->nearest], r.i0, a));
			out_num(t, e->to_nearest, 2);
		} else {
			out_missing(t);
			out_missing(t);
		}
		out_str(t, tcsv_text(ev, EV_EVENT, e->row));
	}
	out_note(doc, "timing only: a coincidence of dates is not evidence of cause; a joinpoint near a "
		 "policy date does not show that the policy changed the trend");
	out_note(doc, "APC before/after: the selected model's segments just before and just after each date; "
		 "equal values mean no joinpoint at that date");
	out_note(doc, "dates map to decimal years (day of year / days in year)%s",
		 s->axis == OD_MONTHS ? "; a 12 month-ending period YYYY-MM sits at YYYY + (MM - 1) / 12" :
		 s->axis == OD_YEARS ? "; an annual value for year Y sits at Y" : "");
	if (r.events_outside)
		out_note(doc, "%zu event%s outside the analysed range %s", r.events_outside,
			 r.events_outside == 1 ? "" : "s", "not shown");
	if (s->axis == OD_NUMBERS)
		out_note(doc, "the file's x is compared with dates as decimal years");
	axis_note(doc, s);
	vsrr_notes(doc, s, r.i0, r.i1);
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	run_od_result_release(&r);
	return rc;
}

/* change|sum|trend|joinpoint|events: argv[0] is the subcommand (its index in sub_names). */
static int sub_analysis(int argc, char **argv, struct tc_ctx *ctx, void *unused)
{
	struct od_opts o;
	int rc;

	(void)unused;
	memset(&o, 0, sizeof(o));
	run_od_opts_init(&o.r);
	for (int i = 0; sub_names[i]; i++)
		if (!strcmp(sub_names[i], argv[0]))
			o.sub = (enum sub)i;
	tc_getopt_reset();
	rc = parse_opts(argc, argv, ctx, &o);
	if (rc == TC_OPT_HELP)
		return TC_EXIT_OK;
	if (rc)
		return TC_EXIT_USAGE;
	if (o.jp_flags && o.sub != SUB_JOINPOINT && o.sub != SUB_EVENTS)
		return tc_usage_error("overdose %s: --%s applies to joinpoint and events only",
				      sub_names[o.sub], o.jp_flag_name);
	if (o.sub == SUB_EVENTS && (o.r.ar1 || o.r.empirical || o.r.resamples || o.group || o.stability
				    || o.stability_seeds))
		return tc_usage_error("overdose events: --ar1, --empirical-ci, --resamples, --group and "
				      "--stability apply to joinpoint only");
	if (o.stability_seeds && !o.stability)
		return tc_usage_error("overdose joinpoint: --stability-seeds goes with --stability");
	if (o.r.resamples && !o.r.empirical)
		return tc_usage_error("overdose joinpoint: --resamples goes with --empirical-ci");
	switch (o.sub) {
	case SUB_CHANGE:
		return do_change(&o, ctx);
	case SUB_SUM:
		return do_sum(&o, ctx);
	case SUB_TREND:
		return do_trend(&o, ctx);
	case SUB_JOINPOINT:
		return do_joinpoint(&o, ctx);
	default:
		return do_events(&o, ctx);
	}
}

/* The subcommands, in the order of the help (cmd_dispatch.c). */
static const struct tc_subcommand overdose_subs[] = {
	{ "change", sub_analysis, "percent change between two periods" },
	{ "sum", sub_analysis, "deaths over non-overlapping periods" },
	{ "trend", sub_analysis, "ln y = a + b x: APC per year, CI, p" },
	{ "joinpoint", sub_analysis, "Joinpoint-compatible segmented log-linear regression" },
	{ "events", sub_analysis, "joinpoints beside the policy dates of datasets/events.csv" },
	{ "value", cmd_overdose_value, "one value: status, vintage, sources" },
	{ "revisions", cmd_overdose_revisions, "each month's VSRR count, vintage to vintage" },
	{ "states", cmd_overdose_states, "every jurisdiction's latest 12-month change" },
	{ NULL, NULL, NULL }
};

int cmd_overdose(int argc, char **argv, struct tc_ctx *ctx)
{
	if (argc < 2) {
		fputs(cmd_overdose_help, stderr);
		return TC_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(cmd_overdose_help, stdout);
		return TC_EXIT_OK;
	}
	return tc_subcommand_run("overdose", overdose_subs, argc - 1, argv + 1, ctx, NULL);
}

/*
** cmd_overdose_vintage.c: `tocalc overdose value|revisions|states`, and the
** --vintage/--state/--indicator flags shared with cmd_overdose.c.
**   value      one value of a series with its status, vintage and sources
**   revisions  each month's VSRR count from one kept vintage to the next
**   states     the latest 12-month change of every jurisdiction of a vintage
** Flags -> run_od_value/run_od_revisions/run_od_states (run_overdose_vintage.c:
** loading, look-ups, revision arithmetic) -> out_doc; the revisions figure
** comes from its plot recipe.  Nothing here loads a file or computes.
*/
#include "tocalc/cmd.h"
#include "tocalc/data_overdose.h"
#include "tocalc/plot.h"
#include "tocalc/data_vsrr.h"
#include "tocalc/run_overdose_vintage.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int od_select_opt(struct od_select *sel, const char *flag, const char *arg)
{
	if (!strcmp(flag, "--vintage")) {
		char why[160];
		switch (tc_date_why(arg, why, sizeof(why))) {
		case 0:
			break;
		case TC_DATE_SHAPE:
			return tc_usage_error("--vintage: %s (a file of datasets/vsrr/), got '%s'", why,
					      arg), -1;
		default:
			return tc_usage_error("--vintage: '%s' %s", arg, why), -1;
		}
		sel->vintage = arg;
	} else if (!strcmp(flag, "--state")) {
		if (strlen(arg) != 2 || !isupper((unsigned char)arg[0]) || !isupper((unsigned char)arg[1]))
			return tc_usage_error("--state: expected a 2-letter code such as OH, US or YC "
					      "(New York City), got '%s'", arg), -1;
		sel->state = arg;
	} else {
		if (!vsrr_cdc_name(arg)) {
			char list[512];
			size_t o = 0;
			for (size_t i = 0; vsrr_short_names[i] && o + 40 < sizeof(list); i++)
				o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "",
						      vsrr_short_names[i]);
			return tc_usage_error("--indicator: unknown indicator '%s' (known: %s)", arg,
					      list), -1;
		}
		sel->indicator = arg;
	}
	return 0;
}

/* ---------- options ---------- */

enum { SUB_VALUE, SUB_REVISIONS, SUB_STATES };

struct vopts {
	int sub;
	const char *series, *at, *from, *to, *output;
	int source;		/* -1 unset, 0 final, 1 vsrr */
	int rate;
	struct od_select sel;
};

enum { V_SERIES = TC_OPT_FIRST_FREE, V_AT, V_FROM, V_TO, V_SOURCE, V_MEASURE, V_VINTAGE, V_STATE,
       V_INDICATOR };

static int parse(int argc, char **argv, struct tc_ctx *ctx, struct vopts *o)
{
	static const struct option opts[] = {
		{ "series", required_argument, NULL, V_SERIES },
		{ "at", required_argument, NULL, V_AT },
		{ "from", required_argument, NULL, V_FROM },
		{ "to", required_argument, NULL, V_TO },
		{ "source", required_argument, NULL, V_SOURCE },
		{ "measure", required_argument, NULL, V_MEASURE },
		{ "vintage", required_argument, NULL, V_VINTAGE },
		{ "state", required_argument, NULL, V_STATE },
		{ "indicator", required_argument, NULL, V_INDICATOR },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = tc_getopt(argc, argv, "o:", opts, ctx)) != -1) {
		switch (c) {
		case TC_OPT_HELP:
			return TC_OPT_HELP;
		case 'o':
			o->output = optarg;
			break;
		case V_SERIES:
			o->series = optarg;
			break;
		case V_AT:
			o->at = optarg;
			break;
		case V_FROM:
			o->from = optarg;
			break;
		case V_TO:
			o->to = optarg;
			break;
		case V_SOURCE:
			if (strcmp(optarg, "final") && strcmp(optarg, "vsrr"))
				return tc_usage_error("overdose: --source: unknown value '%s'", optarg), -1;
			o->source = !strcmp(optarg, "vsrr");
			break;
		case V_MEASURE:
			if (strcmp(optarg, "deaths") && strcmp(optarg, "rate"))
				return tc_usage_error("overdose: --measure: unknown value '%s'", optarg), -1;
			o->rate = !strcmp(optarg, "rate");
			break;
		case V_VINTAGE:
		case V_STATE:
		case V_INDICATOR:
			if (od_select_opt(&o->sel, c == V_VINTAGE ? "--vintage" : c == V_STATE ? "--state" :
					  "--indicator", optarg))
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (optind < argc) {
		if (o->series || optind + 1 < argc)
			return tc_usage_error("overdose: unexpected argument '%s'", argv[optind]), -1;
		o->series = argv[optind];
	}
	return 0;
}

static int emit(struct tc_ctx *ctx, struct out_doc *doc)
{
	int rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	return rc;
}

/* ---------- value ---------- */

static int do_value(struct vopts *o, struct tc_ctx *ctx)
{
	struct run_od_value_opts ro;
	struct run_od_value r;
	struct od_series *s = &r.s;
	struct tc_err err;
	struct out_doc *doc;
	struct out_table *t;
	char lab[32];
	long m;
	int monthly;
	size_t i;

	if (!o->at)
		return tc_usage_error("overdose value needs --at P: a year YYYY (final annual data) or a "
				      "month YYYY-MM (VSRR 12 month-ending counts)");
	monthly = tc_parse_month(o->at, &m) == 0;
	memset(&ro, 0, sizeof(ro));
	ro.data_dir = ctx->data_dir;
	ro.series = o->series;
	ro.at = o->at;
	ro.rate = o->rate;
	ro.sel = o->sel;
	ro.vsrr = o->sel.vintage || o->sel.state || o->sel.indicator || (monthly && o->source != 0) ||
		  o->source == 1;
	if (ro.vsrr && o->rate)
		return tc_usage_error("VSRR data are counts; --measure rate needs final annual data");
	if (!ro.vsrr && !od_series_known(o->series ? o->series : "all_drugs"))
		return tc_usage_error("unknown series '%s' (known: all_drugs, synthetic_opioids; "
				      "VSRR drug classes with --indicator)", o->series);
	tc_err_init(&err);
	if (run_od_value(&ro, &r, &err))
		return tc_report(&err);
	i = r.i;
	doc = out_doc_new("overdose value");
	out_meta_str(doc, "series", s->name);
	out_meta_str(doc, "source", s->source == OD_VSRR ? "vsrr" : "final");
	if (s->state)
		out_meta_str(doc, "state", s->state);
	out_meta_str(doc, "unit", s->unit);
	t = out_table_add(doc, "value", NULL);
	out_col(t, "period", "period");
	out_col(t, "basis", "basis");
	out_col(t, "value", "value");
	out_col(t, "status", "status");
	out_col(t, "vintage", "vintage");
	out_col(t, "sources", "sources");
	out_col(t, "secondary", "secondary source");
	for (int b = 0; b < (s->source == OD_VSRR ? 2 : 1); b++) {
		double v = b ? s->y2[i] : s->y[i];
		out_row(t);
		out_str(t, od_label(s, i, lab));
		out_str(t, s->source == OD_VSRR ? (b ? "predicted" : "reported") :
			   o->rate ? "age-adjusted rate" : "deaths");
		if (isnan(v))
			out_missing(t);
		else
			out_num(t, v, o->rate ? 1 : 0);
		out_str(t, s->status ? s->status[i] : NULL);
		out_str(t, s->vintage);
		out_str(t, r.desc[0] ? r.desc : NULL);
		out_bool(t, r.secondary);
	}
	if (s->source == OD_VSRR)
		out_note(doc, "CDC provisional count of the 12 months ending %s (vintage %s); "
			 "provisional_complete: CDC's year is closed but the count may still differ from "
			 "final NCHS data; provisional: underreported due to incomplete data", lab,
			 s->vintage ? s->vintage : "unknown");
	else
		out_note(doc, "final NCHS data for calendar year %s", lab);
	if (r.secondary)
		out_note(doc, "a source of this value is secondary (see 'tocalc data sources --secondary')");
	if (r.rownote[0])
		out_note(doc, "dataset note: %s", r.rownote);
	run_od_value_release(&r);
	return emit(ctx, doc);
}

/* ---------- revisions ---------- */

static int do_revisions(struct vopts *o, struct tc_ctx *ctx)
{
	struct run_od_revisions_opts ro;
	struct run_od_revisions r;
	struct out_doc *doc;
	struct out_table *t;
	struct tc_err err;
	long from = 0, to = 999999;
	int rc;

	if (o->sel.vintage)
		return tc_usage_error("overdose revisions compares every kept vintage; --vintage does "
				      "not apply");
	if ((o->from && tc_parse_month(o->from, &from)) || (o->to && tc_parse_month(o->to, &to)))
		return tc_usage_error("overdose revisions: --from and --to take months YYYY-MM, such as "
				      "2017-01");
	memset(&ro, 0, sizeof(ro));
	ro.data_dir = ctx->data_dir;
	ro.series = o->series;
	ro.sel = o->sel;
	ro.from = from;
	ro.to = to;
	tc_err_init(&err);
	if (run_od_revisions(&ro, &r, &err))
		return tc_report(&err);
	doc = out_doc_new("overdose revisions");
	out_meta_str(doc, "series", r.ser[r.first].name);
	out_meta_str(doc, "state", r.ser[r.first].state);
	t = out_table_add(doc, "revisions", NULL);
	out_col(t, "period", "12 months ending");
	out_col(t, "old_vintage", "old vintage");
	out_col(t, "new_vintage", "new vintage");
	out_col(t, "old_reported", "reported (old)");
	out_col(t, "new_reported", "reported (new)");
	out_col(t, "revision_reported", "revision");
	out_col(t, "revision_reported_pct", "revision %");
	out_col(t, "old_predicted", "predicted (old)");
	out_col(t, "new_predicted", "predicted (new)");
	out_col(t, "revision_predicted", "revision");
	out_col(t, "revision_predicted_pct", "revision %");
	out_col(t, "old_status", "status (old)");
	for (size_t q = 0; q < r.nrows; q++) {
		const struct run_od_revision *w = &r.rows[q];
		const struct od_series *a = &r.ser[w->old_k], *b = &r.ser[w->new_k];
		size_t i = w->old_i, j = w->new_i;
		char lab[32];
		out_row(t);
		out_str(t, od_label(a, i, lab));
		out_str(t, a->vintage);
		out_str(t, b->vintage);
		out_num(t, a->y[i], 0);
		out_num(t, b->y[j], 0);
		out_num(t, w->d_reported, 0);
		out_num(t, w->pct_reported, 2);
		out_num(t, a->y2[i], 0);
		out_num(t, b->y2[j], 0);
		out_num(t, w->d_predicted, 0);
		out_num(t, w->pct_predicted, 2);
		out_str(t, a->status[i]);
	}
	out_note(doc, "revision = new - old; revision %% = 100 (new / old - 1); each pair is two "
		 "consecutive kept vintages (datasets/vsrr/); a missing predicted value means the older "
		 "layout had no Predicted Value column");
	if (!r.nrows)
		out_note(doc, "no month is in two consecutive vintages within the range");
	rc = emit(ctx, doc);
	if (rc == TC_EXIT_OK && o->output) {
		struct plot_desc d;
		enum plot_term term;
		plot_desc_init(&d);
		if (plot_term_from_path(o->output, &term))
			term = PLOT_TERM_SVG;
		if (plot_revisions_desc(r.ser, r.nv, from, to, &d, &err) ||
		    plot_render(&d, term, o->output, 0, &err))
			rc = tc_report(&err);
		else if (!ctx->quiet && strcmp(o->output, "-"))
			tc_message("overdose revisions: figure written to '%s'", o->output);
		plot_desc_release(&d);
	}
	run_od_revisions_release(&r);
	return rc;
}

/* ---------- states ---------- */

static int do_states(struct vopts *o, struct tc_ctx *ctx)
{
	const char *ind = o->sel.indicator ? o->sel.indicator : o->series ? o->series : "all_drugs";
	struct run_od_states_opts ro;
	struct run_od_states r;
	char a[8], b[8];
	struct tc_err err;
	struct out_doc *doc;
	struct out_table *ot;
	long to = 0;
	int rc;

	if (o->sel.state)
		return tc_usage_error("overdose states lists every jurisdiction; --state does not apply");
	if (o->to && tc_parse_month(o->to, &to))
		return tc_usage_error("overdose states: --to takes a month YYYY-MM, such as 2018-09");
	if (!vsrr_cdc_name(ind) || !strcmp(ind, "percent_drugs_specified"))
		return tc_usage_error("overdose states: '%s' is not a VSRR death-count indicator", ind);
	memset(&ro, 0, sizeof(ro));
	ro.data_dir = ctx->data_dir;
	ro.indicator = ind;
	ro.vintage = o->sel.vintage;
	ro.to = to;
	tc_err_init(&err);
	if (run_od_states(&ro, &r, &err))
		return tc_report(&err);
	doc = out_doc_new("overdose states");
	out_meta_str(doc, "indicator", ind);
	out_meta_str(doc, "vintage", r.vintage);
	out_meta_str(doc, "vintage_file", r.path);
	ot = out_table_add(doc, "states", NULL);
	out_col(ot, "state", "jurisdiction");
	out_col(ot, "from", "from");
	out_col(ot, "from_reported", "reported");
	out_col(ot, "to", "to");
	out_col(ot, "to_reported", "reported");
	out_col(ot, "percent_change", "% change");
	out_col(ot, "percent_complete", "% complete");
	out_col(ot, "incomplete", "CDC: underreported");
	for (size_t k = 0; k < r.n; k++) {
		const struct run_od_state_row *w = &r.rows[k];
		out_row(ot);
		out_str(ot, w->state);
		out_str(ot, tc_format_month(r.prev, a));
		out_num(ot, w->a, 0);
		out_str(ot, tc_format_month(r.last, b));
		out_num(ot, w->b, 0);
		out_num(ot, w->pct, 2);
		out_str(ot, w->complete);
		out_bool(ot, w->flagged);
	}
	out_note(doc, "reported 12 month-ending counts of vintage %s, %s against %s, sorted by "
		 "change; US is the national total, YC New York City (also inside NY)", r.vintage,
		 tc_format_month(r.last, a), tc_format_month(r.prev, b));
	if (r.nflag)
		out_note(doc, "%zu jurisdiction%s flagged: CDC marks the count underreported due to "
			 "incomplete data (Footnote '*'); compare with care", r.nflag, r.nflag == 1 ? "" : "s");
	rc = emit(ctx, doc);
	run_od_states_release(&r);
	return rc;
}

/* The flags of value|revisions|states (argv[0] the subcommand) and their common checks. */
static int vintage_opts(int argc, char **argv, struct tc_ctx *ctx, int sub, struct vopts *o)
{
	int rc;

	memset(o, 0, sizeof(*o));
	o->source = -1;
	o->sub = sub;
	tc_getopt_reset();
	rc = parse(argc, argv, ctx, o);
	if (rc == TC_OPT_HELP)
		return TC_EXIT_OK;
	if (rc)
		return TC_EXIT_USAGE;
	if (sub != SUB_VALUE && (o->at || o->source >= 0 || o->rate))
		return tc_usage_error("overdose %s: --at, --source and --measure go with 'value'", argv[0]);
	if (sub != SUB_REVISIONS && o->output)
		return tc_usage_error("overdose %s: -o/--output goes with 'revisions' (its figure)", argv[0]);
	return -1;	/* go on */
}

int cmd_overdose_value(int argc, char **argv, struct tc_ctx *ctx, void *unused)
{
	struct vopts o;
	int rc = vintage_opts(argc, argv, ctx, SUB_VALUE, &o);

	(void)unused;
	if (rc >= 0)
		return rc;
	if (o.from || o.to)
		return tc_usage_error("overdose value: use --at P (one period), not --from/--to");
	return do_value(&o, ctx);
}

int cmd_overdose_revisions(int argc, char **argv, struct tc_ctx *ctx, void *unused)
{
	struct vopts o;
	int rc = vintage_opts(argc, argv, ctx, SUB_REVISIONS, &o);

	(void)unused;
	return rc >= 0 ? rc : do_revisions(&o, ctx);
}

int cmd_overdose_states(int argc, char **argv, struct tc_ctx *ctx, void *unused)
{
	struct vopts o;
	int rc = vintage_opts(argc, argv, ctx, SUB_STATES, &o);

	(void)unused;
	if (rc >= 0)
		return rc;
	if (o.from)
		return tc_usage_error("overdose states: --from does not apply (the change is over 12 "
				      "months to --to)");
	return do_states(&o, ctx);
}

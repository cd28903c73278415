/*
** cmd_overdose_vintage.c: `tocalc overdose value|revisions|states`, and the
** --vintage/--state/--indicator flags shared with cmd_overdose.c.
**   value      one value of a series with its status, vintage and sources
**   revisions  each month's VSRR count from one kept vintage to the next
**   states     the latest 12-month change of every jurisdiction of a vintage
** Flags -> series (data_overdose.c, data_vsrr.c) -> out_doc; the revision
** arithmetic is model_revisions (below, pure); no figure code here.
*/
#include "tocalc/cmd.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/data_overdose.h"
#include "tocalc/plot.h"
#include "tocalc/tcsv.h"
#include "tocalc/model_trend.h"
#include "tocalc/data_vsrr.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int od_select_opt(struct od_select *sel, const char *flag, const char *arg)
{
	long d;

	if (!strcmp(flag, "--vintage")) {
		if (tc_parse_date(arg, &d))
			return tc_usage_error("--vintage: expected a date YYYY-MM-DD (a file of "
					      "datasets/vsrr/), got '%s'", arg), -1;
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

/* Each ';'-separated source id of `ids`, with its kind from sources.csv, into buf. */
static void describe_sources(const struct tcsv_table *src, const char *ids, char *buf, size_t size,
			     int *secondary)
{
	size_t o = 0;
	const char *p = ids;

	buf[0] = '\0';
	*secondary = 0;
	while (p && *p) {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		for (size_t i = 0; src && i < src->nrows; i++) {
			const char *id = tcsv_text(src, SO_ID, i);
			if (strlen(id) == len && !strncmp(id, p, len) &&
			    !strcmp(tcsv_text(src, SO_KIND, i), "secondary"))
				*secondary = 1;
		}
		if (o < size)
			o += (size_t)snprintf(buf + o, size - o, "%s%.*s", o ? "; " : "", (int)len, p);
		p = e ? e + 1 : NULL;
	}
}

/* The source ids of one row: annual (deaths_source or rate_source) or a VSRR file's source. */
static int source_ids(struct tc_ctx *ctx, const struct od_series *s, long period, int rate, char *out,
		      size_t size, char *note, size_t nsize, struct tc_err *err)
{
	struct tcsv_table t;
	int col;

	out[0] = '\0';
	note[0] = '\0';
	if (s->source == OD_FINAL) {
		if (dataset_load(&t, ctx->data_dir, "overdose_annual", err))
			return -1;
		col = rate ? OA_RATE_SOURCE : OA_DEATHS_SOURCE;
		for (size_t r = 0; r < t.nrows; r++)
			if ((long)tcsv_num(&t, OA_YEAR, r) == period &&
			    !strcmp(tcsv_text(&t, OA_SERIES, r), s->name) && !tcsv_is_missing(&t, col, r)) {
				snprintf(out, size, "%s", tcsv_text(&t, col, r));
				if (!tcsv_is_missing(&t, OA_NOTE, r))
					snprintf(note, nsize, "%s", tcsv_text(&t, OA_NOTE, r));
			}
		tcsv_table_release(&t);
		return 0;
	}
	if (!strcmp(s->path, "overdose_12mo.csv")) {
		if (dataset_load(&t, ctx->data_dir, "overdose_12mo", err))
			return -1;
		for (size_t r = 0; r < t.nrows; r++)
			if ((long)tcsv_num(&t, O12_PERIOD, r) == period &&
			    !strcmp(tcsv_text(&t, O12_SERIES, r), s->name))
				snprintf(out, size, "%s", tcsv_text(&t, O12_SOURCE, r));
		tcsv_table_release(&t);
		return 0;
	}
	if (tcsv_load_file(&t, s->path, &schema_vsrr_vintage, err))
		return -1;
	for (size_t r = 0; r < t.nrows; r++)
		if ((long)tcsv_num(&t, VV_PERIOD, r) == period &&
		    !strcmp(tcsv_text(&t, VV_STATE, r), s->state) &&
		    !strcmp(tcsv_text(&t, VV_INDICATOR, r), s->name))
			snprintf(out, size, "%s", tcsv_text(&t, VV_SOURCE, r));
	tcsv_table_release(&t);
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
	struct od_series s;
	struct tc_err err;
	struct out_doc *doc;
	struct out_table *t;
	struct tcsv_table src;
	char ids[512], desc[600], lab[32], rownote[512];
	long m;
	int monthly, sec = 0, have_src;
	size_t i;

	if (!o->at)
		return tc_usage_error("overdose value needs --at P: a year YYYY (final annual data) or a "
				      "month YYYY-MM (VSRR 12 month-ending counts)");
	monthly = tc_parse_month(o->at, &m) == 0;
	tc_err_init(&err);
	if (o->sel.vintage || o->sel.state || o->sel.indicator || (monthly && o->source != 0) ||
	    o->source == 1) {
		struct od_select sel = o->sel;
		if (o->rate)
			return tc_usage_error("VSRR data are counts; --measure rate needs final annual data");
		if (!sel.indicator)
			sel.indicator = o->series;
		if (!sel.vintage && !sel.state && (!sel.indicator || od_series_known(sel.indicator))) {
			if (od_load_vsrr(&s, ctx->data_dir, sel.indicator ? sel.indicator : "all_drugs", &err))
				return tc_report(&err);
		} else if (od_load_vsrr_sel(&s, ctx->data_dir, &sel, &err)) {
			return tc_report(&err);
		}
	} else {
		const char *name = o->series ? o->series : "all_drugs";
		if (!od_series_known(name))
			return tc_usage_error("unknown series '%s' (known: all_drugs, synthetic_opioids; "
					      "VSRR drug classes with --indicator)", name);
		if (od_load_final(&s, ctx->data_dir, name, o->rate ? OD_RATE : OD_DEATHS, &err))
			return tc_report(&err);
	}
	if (od_find_period(&s, o->at, &i, &err) ||
	    source_ids(ctx, &s, s.period[i], o->rate, ids, sizeof(ids), rownote, sizeof(rownote), &err)) {
		od_series_release(&s);
		return tc_report(&err);
	}
	have_src = dataset_load(&src, ctx->data_dir, "sources", &err) == 0;
	describe_sources(have_src ? &src : NULL, ids, desc, sizeof(desc), &sec);
	if (have_src)
		tcsv_table_release(&src);
	doc = out_doc_new("overdose value");
	out_meta_str(doc, "series", s.name);
	out_meta_str(doc, "source", s.source == OD_VSRR ? "vsrr" : "final");
	if (s.state)
		out_meta_str(doc, "state", s.state);
	out_meta_str(doc, "unit", s.unit);
	t = out_table_add(doc, "value", NULL);
	out_col(t, "period", "period");
	out_col(t, "basis", "basis");
	out_col(t, "value", "value");
	out_col(t, "status", "status");
	out_col(t, "vintage", "vintage");
	out_col(t, "sources", "sources");
	out_col(t, "secondary", "secondary source");
	for (int b = 0; b < (s.source == OD_VSRR ? 2 : 1); b++) {
		double v = b ? s.y2[i] : s.y[i];
		out_row(t);
		out_str(t, od_label(&s, i, lab));
		out_str(t, s.source == OD_VSRR ? (b ? "predicted" : "reported") :
			   o->rate ? "age-adjusted rate" : "deaths");
		if (isnan(v))
			out_missing(t);
		else
			out_num(t, v, o->rate ? 1 : 0);
		out_str(t, s.status ? s.status[i] : NULL);
		out_str(t, s.vintage);
		out_str(t, desc[0] ? desc : NULL);
		out_bool(t, sec);
	}
	if (s.source == OD_VSRR)
		out_note(doc, "CDC provisional count of the 12 months ending %s (vintage %s); "
			 "provisional_complete: CDC's year is closed but the count may still differ from "
			 "final NCHS data; provisional: underreported due to incomplete data", lab,
			 s.vintage ? s.vintage : "unknown");
	else
		out_note(doc, "final NCHS data for calendar year %s", lab);
	if (sec)
		out_note(doc, "a source of this value is secondary (see 'tocalc data sources --secondary')");
	if (rownote[0])
		out_note(doc, "dataset note: %s", rownote);
	od_series_release(&s);
	return emit(ctx, doc);
}

/* ---------- revisions ---------- */

/*
** One month seen in two vintages: the revision (new - old) and its percent
** of the old count; NAN when either is missing or the old count is 0.
*/
static void revise(double old, double nw, double *delta, double *pct)
{
	*delta = isnan(old) || isnan(nw) ? NAN : nw - old;
	*pct = isnan(*delta) || old == 0 ? NAN : 100.0 * (nw - old) / old;
}

static int do_revisions(struct vopts *o, struct tc_ctx *ctx)
{
	size_t nv;
	char **vs = vsrr_list_vintages(ctx->data_dir, &nv);
	struct od_series *ser;
	struct out_doc *doc;
	struct out_table *t;
	struct tc_err err;
	long from = 0, to = 999999;
	int nhave = 0, rc = TC_EXIT_OK;
	size_t rows = 0;

	if (o->sel.vintage) {
		for (size_t i = 0; i < nv; i++)
			free(vs[i]);
		free(vs);
		return tc_usage_error("overdose revisions compares every kept vintage; --vintage does "
				      "not apply");
	}
	if ((o->from && tc_parse_month(o->from, &from)) || (o->to && tc_parse_month(o->to, &to))) {
		for (size_t i = 0; i < nv; i++)
			free(vs[i]);
		free(vs);
		return tc_usage_error("overdose revisions: --from and --to take months YYYY-MM, such as "
				      "2017-01");
	}
	ser = xcalloc(nv ? nv : 1, sizeof(*ser));
	tc_err_init(&err);
	for (size_t k = 0; k < nv; k++) {
		struct od_select sel = o->sel;
		struct tc_err e;
		tc_err_init(&e);
		sel.vintage = vs[k];
		if (!sel.indicator)
			sel.indicator = o->series;
		{
			/* a broken vintage file is an error; one without the series is skipped */
			struct tcsv_table vt;
			char *path = vsrr_vintage_path(ctx->data_dir, vs[k]);
			int bad = tcsv_load_file(&vt, path, &schema_vsrr_vintage, &e);
			free(path);
			if (bad) {
				rc = tc_report(&e);
				goto out;
			}
			tcsv_table_release(&vt);
		}
		if (od_load_vsrr_sel(&ser[k], ctx->data_dir, &sel, &e) == 0)
			nhave++;
		else if (e.code == TC_EXIT_USAGE) {
			rc = tc_report(&e);
			goto out;
		}
	}
	if (nhave < 2) {
		tc_fail(&err, "overdose revisions needs the series in two kept vintages; %d of %zu "
			"vintages in %s/vsrr have it", nhave, nv, ctx->data_dir);
		rc = tc_report(&err);
		goto out;
	}
	doc = out_doc_new("overdose revisions");
	{
		size_t k0 = 0;
		while (!ser[k0].n)
			k0++;
		out_meta_str(doc, "series", ser[k0].name);
		out_meta_str(doc, "state", ser[k0].state);
	}
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
	for (size_t k = 0, prev = (size_t)-1; k < nv; k++) {
		if (!ser[k].n)
			continue;
		if (prev != (size_t)-1) {
			const struct od_series *a = &ser[prev], *b = &ser[k];
			for (size_t i = 0; i < a->n; i++) {
				double d, p;
				char lab[32];
				size_t j;
				if (a->period[i] < from || a->period[i] > to)
					continue;
				for (j = 0; j < b->n && b->period[j] != a->period[i]; j++)
					;
				if (j == b->n)
					continue;
				rows++;
				out_row(t);
				out_str(t, od_label(a, i, lab));
				out_str(t, a->vintage);
				out_str(t, b->vintage);
				out_num(t, a->y[i], 0);
				out_num(t, b->y[j], 0);
				revise(a->y[i], b->y[j], &d, &p);
				out_num(t, d, 0);
				out_num(t, p, 2);
				out_num(t, a->y2[i], 0);
				out_num(t, b->y2[j], 0);
				revise(a->y2[i], b->y2[j], &d, &p);
				out_num(t, d, 0);
				out_num(t, p, 2);
				out_str(t, a->status[i]);
			}
		}
		prev = k;
	}
	out_note(doc, "revision = new - old; revision %% = 100 (new / old - 1); each pair is two "
		 "consecutive kept vintages (datasets/vsrr/); a missing predicted value means the older "
		 "layout had no Predicted Value column");
	if (!rows)
		out_note(doc, "no month is in two consecutive vintages within the range");
	rc = emit(ctx, doc);
	if (rc == TC_EXIT_OK && o->output) {
		struct plot_desc d;
		enum plot_term term;
		plot_desc_init(&d);
		if (plot_term_from_path(o->output, &term))
			term = PLOT_TERM_SVG;
		if (plot_revisions_desc(ser, nv, from, to, &d, &err) ||
		    plot_render(&d, term, o->output, 0, &err))
			rc = tc_report(&err);
		else if (!ctx->quiet && strcmp(o->output, "-"))
			fprintf(stderr, "tocalc: overdose revisions: figure written to '%s'\n", o->output);
		plot_desc_release(&d);
	}
out:
	for (size_t k = 0; k < nv; k++) {
		od_series_release(&ser[k]);
		free(vs[k]);
	}
	free(ser);
	free(vs);
	return rc;
}

/* ---------- states ---------- */

struct state_row {
	const char *state;
	double a, b, pct;
	const char *flag_a, *flag_b, *complete;
};

static int cmp_state_rows(const void *x, const void *y)
{
	const struct state_row *a = x, *b = y;
	if (isnan(a->pct) != isnan(b->pct))
		return isnan(a->pct) ? 1 : -1;
	if (a->pct != b->pct)
		return a->pct < b->pct ? 1 : -1;
	return strcmp(a->state, b->state);
}

static int do_states(struct vopts *o, struct tc_ctx *ctx)
{
	const char *ind = o->sel.indicator ? o->sel.indicator : o->series ? o->series : "all_drugs";
	size_t nv;
	char **vs = vsrr_list_vintages(ctx->data_dir, &nv);
	char vintage[11], *path, a[8], b[8];
	struct tcsv_table t;
	struct tc_err err;
	struct state_row *rows;
	struct out_doc *doc;
	struct out_table *ot;
	size_t n = 0, nflag = 0;
	long last = 0, to = 0, prev;

	if (o->sel.state)
		return tc_usage_error("overdose states lists every jurisdiction; --state does not apply");
	if (o->to && tc_parse_month(o->to, &to))
		return tc_usage_error("overdose states: --to takes a month YYYY-MM, such as 2018-09");
	if (!vsrr_cdc_name(ind) || !strcmp(ind, "percent_drugs_specified"))
		return tc_usage_error("overdose states: '%s' is not a VSRR death-count indicator", ind);
	vintage[0] = '\0';
	for (size_t i = 0; i < nv; i++) {
		if (!o->sel.vintage || !strcmp(vs[i], o->sel.vintage))
			snprintf(vintage, sizeof(vintage), "%s", vs[i]);
		free(vs[i]);
	}
	free(vs);
	tc_err_init(&err);
	if (!vintage[0]) {
		tc_fail(&err, "no VSRR vintage %s in %s/vsrr", o->sel.vintage ? o->sel.vintage : "at all",
			ctx->data_dir);
		return tc_report(&err);
	}
	path = vsrr_vintage_path(ctx->data_dir, vintage);
	if (tcsv_load_file(&t, path, &schema_vsrr_vintage, &err)) {
		free(path);
		return tc_report(&err);
	}
	for (size_t r = 0; r < t.nrows; r++)
		if (!strcmp(tcsv_text(&t, VV_INDICATOR, r), ind) && (long)tcsv_num(&t, VV_PERIOD, r) > last)
			last = (long)tcsv_num(&t, VV_PERIOD, r);
	if (to)
		last = to;
	prev = last - 100;
	rows = xcalloc(t.nrows ? t.nrows : 1, sizeof(*rows));
	for (size_t r = 0; r < t.nrows; r++) {
		long p = (long)tcsv_num(&t, VV_PERIOD, r);
		const char *st = tcsv_text(&t, VV_STATE, r);
		size_t k;
		if (strcmp(tcsv_text(&t, VV_INDICATOR, r), ind) || (p != last && p != prev))
			continue;
		for (k = 0; k < n && strcmp(rows[k].state, st); k++)
			;
		if (k == n) {
			rows[n].state = st;
			rows[n].a = rows[n].b = rows[n].pct = NAN;
			n++;
		}
		if (p == prev) {
			rows[k].a = tcsv_is_missing(&t, VV_REPORTED, r) ? NAN : tcsv_num(&t, VV_REPORTED, r);
			rows[k].flag_a = tcsv_text(&t, VV_STATUS, r);
		} else {
			rows[k].b = tcsv_is_missing(&t, VV_REPORTED, r) ? NAN : tcsv_num(&t, VV_REPORTED, r);
			rows[k].flag_b = tcsv_text(&t, VV_STATUS, r);
			rows[k].complete = tcsv_is_missing(&t, VV_COMPLETE, r) ? NULL :
					   tcsv_text(&t, VV_COMPLETE, r);
		}
	}
	if (!n) {
		tc_fail(&err, "%s: no %s rows for %s", path, ind, tc_format_month(last, a));
		free(rows);
		free(path);
		tcsv_table_release(&t);
		return tc_report(&err);
	}
	for (size_t k = 0; k < n; k++)
		if (!isnan(rows[k].a) && !isnan(rows[k].b) && rows[k].a > 0)
			rows[k].pct = 100.0 * (rows[k].b / rows[k].a - 1);
	qsort(rows, n, sizeof(*rows), cmp_state_rows);
	doc = out_doc_new("overdose states");
	out_meta_str(doc, "indicator", ind);
	out_meta_str(doc, "vintage", vintage);
	out_meta_str(doc, "vintage_file", path);
	ot = out_table_add(doc, "states", NULL);
	out_col(ot, "state", "jurisdiction");
	out_col(ot, "from", "from");
	out_col(ot, "from_reported", "reported");
	out_col(ot, "to", "to");
	out_col(ot, "to_reported", "reported");
	out_col(ot, "percent_change", "% change");
	out_col(ot, "percent_complete", "% complete");
	out_col(ot, "incomplete", "CDC: underreported");
	for (size_t k = 0; k < n; k++) {
		int flag = (rows[k].flag_a && !strcmp(rows[k].flag_a, "provisional")) ||
			   (rows[k].flag_b && !strcmp(rows[k].flag_b, "provisional"));
		nflag += flag;
		out_row(ot);
		out_str(ot, rows[k].state);
		out_str(ot, tc_format_month(prev, a));
		out_num(ot, rows[k].a, 0);
		out_str(ot, tc_format_month(last, b));
		out_num(ot, rows[k].b, 0);
		out_num(ot, rows[k].pct, 2);
		out_str(ot, rows[k].complete);
		out_bool(ot, flag);
	}
	out_note(doc, "reported 12 month-ending counts of vintage %s, %s against %s, sorted by "
		 "change; US is the national total, YC New York City (also inside NY)", vintage,
		 tc_format_month(last, a), tc_format_month(prev, b));
	if (nflag)
		out_note(doc, "%zu jurisdiction%s flagged: CDC marks the count underreported due to "
			 "incomplete data (Footnote '*'); compare with care", nflag, nflag == 1 ? "" : "s");
	free(rows);
	free(path);
	tcsv_table_release(&t);
	return emit(ctx, doc);
}

int cmd_overdose_vintage(int argc, char **argv, struct tc_ctx *ctx)
{
	struct vopts o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.source = -1;
	o.sub = !strcmp(argv[1], "value") ? SUB_VALUE : !strcmp(argv[1], "revisions") ? SUB_REVISIONS
											: SUB_STATES;
	tc_getopt_reset();
	rc = parse(argc - 1, argv + 1, ctx, &o);
	if (rc == TC_OPT_HELP)
		return TC_EXIT_OK;
	if (rc)
		return TC_EXIT_USAGE;
	if (o.sub != SUB_VALUE && (o.at || o.source >= 0 || o.rate))
		return tc_usage_error("overdose %s: --at, --source and --measure go with 'value'", argv[1]);
	if (o.sub != SUB_REVISIONS && o.output)
		return tc_usage_error("overdose %s: -o/--output goes with 'revisions' (its figure)", argv[1]);
	if (o.sub == SUB_VALUE && (o.from || o.to))
		return tc_usage_error("overdose value: use --at P (one period), not --from/--to");
	if (o.sub == SUB_VALUE)
		return do_value(&o, ctx);
	if (o.sub == SUB_REVISIONS)
		return do_revisions(&o, ctx);
	if (o.from)
		return tc_usage_error("overdose states: --from does not apply (the change is over 12 "
				      "months to --to)");
	return do_states(&o, ctx);
}

/*
** cmd_tariff_rates.c: `tocalc tariff rates`, the effective tariff rate by
** partner and date from the legal stack (issue 12): layer by layer the
** statutory rate, the coverage share and the effective contribution, and
** for the partners together an import-weighted total.  Flags and output
** only; the numbers come from model_rates.c.
*/
#include "tocalc/cmd.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/model_rates.h"
#include "tocalc/data_coverage.h"
#include "tocalc/data_trade.h"

#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_tariff_rates_help[] =
	"usage: tocalc tariff rates [--partner P|all] [--as-of DATE | --from DATE --to DATE [--monthly]]\n"
	"\n"
	"Effective US tariff rate (duties over imports, percent) from the dated legal stack\n"
	"of datasets/tariffs.csv: for each layer in force (MFN, Section 301, Section 232,\n"
	"IEEPA fentanyl and reciprocal, Section 122) the statutory rate, the share of the\n"
	"partner's imports it reaches (datasets/tariff_coverage.csv) and its effective\n"
	"contribution = statutory x share.  Methods: docs/effective-rates.md.\n"
	"\n"
	"   --partner P     CN, MX, CA, ROW (the layers for every partner) or all (default)\n"
	"   --as-of DATE    the layers in force on DATE, YYYY-MM-DD (default: the last date\n"
	"                   of the timeline)\n"
	"   --from DATE --to DATE  a series: the effective rate of each partner every day\n"
	"   --monthly       with --from/--to: the first day of each month only\n"
	"\n"
	"With all partners the total 'all' weights each partner by its imports of one\n"
	"year of trade.csv, the same for every date: the latest year with CN, MX, CA\n"
	"and ROW (the US total minus the three).  Notes name every approximated layer\n"
	"(with --csv on stderr, unless --quiet).\n"
	"\n"
	"common options: --json, --csv, --format F, --data-dir DIR, --quiet, --help\n"
	"exit codes: 0 ok, 1 bad data, 2 usage error\n";

enum { OPT_PARTNER = TC_OPT_FIRST_FREE, OPT_AS_OF, OPT_FROM, OPT_TO, OPT_MONTHLY };

static const struct option longopts[] = {
	{ "partner", required_argument, NULL, OPT_PARTNER },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "monthly", no_argument, NULL, OPT_MONTHLY },
	{ NULL, 0, NULL, 0 }
};

#define MAX_SERIES_DAYS 40000L

struct ropts {
	int partner;		/* -1 = all */
	long as_of, from, to;
	int monthly;
};

static int parse(int argc, char **argv, struct tc_ctx *ctx, struct ropts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->partner = -1;
	while ((c = tc_getopt(argc, argv, "", longopts, ctx)) != -1) {
		long *dst = NULL;
		const char *flag = NULL;
		switch (c) {
		case TC_OPT_HELP:
			return TC_OPT_HELP;
		case '?':
			return TC_EXIT_USAGE;
		case OPT_PARTNER:
			if (!strcmp(optarg, "all")) {
				o->partner = -1;
			} else if (tc_partner_arg("--partner", optarg, &o->partner)) {
				return TC_EXIT_USAGE;
			}
			break;
		case OPT_AS_OF:
			dst = &o->as_of;
			flag = "--as-of";
			break;
		case OPT_FROM:
			dst = &o->from;
			flag = "--from";
			break;
		case OPT_TO:
			dst = &o->to;
			flag = "--to";
			break;
		case OPT_MONTHLY:
			o->monthly = 1;
			break;
		default:
			return TC_EXIT_USAGE;
		}
		if (dst && tc_opt_date(flag, optarg, dst))
			return TC_EXIT_USAGE;
	}
	if (optind < argc) {
		tc_usage_error("tariff rates: unexpected argument '%s'", argv[optind]);
		return TC_EXIT_USAGE;
	}
	if (!o->from != !o->to) {
		tc_usage_error("tariff rates: --from and --to go together");
		return TC_EXIT_USAGE;
	}
	if (o->from && o->as_of) {
		tc_usage_error("tariff rates: give --as-of or --from/--to, not both");
		return TC_EXIT_USAGE;
	}
	if (o->from && o->to < o->from) {
		tc_usage_error("--to: %ld is before --from %ld", o->to, o->from);
		return TC_EXIT_USAGE;
	}
	if (o->monthly && !o->from) {
		tc_usage_error("--monthly: needs --from and --to");
		return TC_EXIT_USAGE;
	}
	if (o->from && tc_days_of(o->to) - tc_days_of(o->from) >= MAX_SERIES_DAYS) {
		tc_usage_error("--from/--to: at most %ld days", MAX_SERIES_DAYS);
		return TC_EXIT_USAGE;
	}
	return 0;
}

/*
** A note: in the document (printed after the tables, or in the JSON); CSV
** has no place for notes (src/out.c), so with --csv it also goes to stderr
** unless --quiet, and the CSV stays clean.
*/
static const struct tc_ctx *note_ctx;

static void note(struct out_doc *doc, const char *fmt, ...) TC_PRINTF(2, 3);

static void note(struct out_doc *doc, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	out_note(doc, "%s", buf);
	if (note_ctx && note_ctx->fmt == OUT_CSV && !note_ctx->quiet)
		fprintf(stderr, "tocalc: note: %s\n", buf);
}

/* Approximated layers already noted (partner, layer name). */
struct seen {
	int partner[128];
	const char *layer[128];
	size_t n;
};

static void note_approx(struct out_doc *doc, struct seen *s, const struct eff_stack *st)
{
	for (size_t i = 0; i < st->n; i++) {
		const struct eff_layer *L = &st->l[i];
		size_t k;
		if (!L->approximated || !(L->statutory > 0))
			continue;
		for (k = 0; k < s->n; k++)
			if (s->partner[k] == st->partner && !strcmp(s->layer[k], L->layer))
				break;
		if (k < s->n)
			continue;
		if (s->n < TC_ARRAY_SIZE(s->partner)) {
			s->partner[s->n] = st->partner;
			s->layer[s->n++] = L->layer;
		}
		note(doc, "approximated: %s layer %s: %s", tariff_partner_code(st->partner),
			 L->layer, L->basis ? L->basis : "no coverage row");
	}
}

struct weights {
	int year;
	double m[TARIFF_NPARTNERS];	/* USD million; NAN when missing */
	const char *source[TARIFF_NPARTNERS];
};

static double row_imports(const struct tcsv_table *trade, int y, const char **source)
{
	for (size_t i = 0; i < trade->nrows; i++)
		if ((int)tcsv_num(trade, TR_YEAR, i) == y && !strcmp(tcsv_text(trade, TR_PARTNER, i), "ROW") &&
		    !strcmp(tcsv_text(trade, TR_FLOW, i), "imports") &&
		    !tcsv_is_missing(trade, TR_VALUE_MUSD, i)) {
			*source = tcsv_text(trade, TR_SOURCE, i);
			return tcsv_num(trade, TR_VALUE_MUSD, i);
		}
	return NAN;
}

/*
** Fixed import weights for every date (as the effective-rate trackers do):
** the latest year of trade.csv with imports from CN, MX, CA and the rest
** of the world (ROW: the US total minus the three); without such a year,
** the latest year with CN, MX and CA, and ROW left out.
*/
static void weights_for(const struct tcsv_table *trade, struct weights *w)
{
	struct trade_base tb;
	int y = trade_latest_year(trade);

	memset(w, 0, sizeof(*w));
	for (int yy = y; yy > 1900 && yy > y - 50; yy--) {
		const char *src = NULL;
		trade_base_get(trade, yy, &tb);
		if (isfinite(tb.m0[TARIFF_CN]) && isfinite(tb.m0[TARIFF_MX]) &&
		    isfinite(tb.m0[TARIFF_CA]) && isfinite(row_imports(trade, yy, &src))) {
			y = yy;
			break;
		}
	}
	trade_base_get(trade, y, &tb);
	w->year = y;
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		w->m[k] = k == TARIFF_ROW ? row_imports(trade, y, &w->source[k]) : tb.m0[k];
		if (k != TARIFF_ROW)
			w->source[k] = tb.source[k];
	}
}

/* Import-weighted effective rate of the four partners (of CN, MX and CA
   when ROW has no import value); NAN when a weight of CN, MX or CA is missing. */
static double weighted(const struct eff_stack *st, const struct weights *w)
{
	double num = 0, den = 0;

	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		if (k == TARIFF_ROW && !isfinite(w->m[k]))
			continue;
		if (!isfinite(w->m[k]))
			return NAN;
		num += st[k].effective * w->m[k];
		den += w->m[k];
	}
	return den > 0 ? num / den : NAN;
}

static int run(struct tc_ctx *ctx, const struct ropts *o, const struct tariff_timeline *tl,
	       const struct tariff_coverage *cv, const struct tcsv_table *trade)
{
	struct out_doc *doc = out_doc_new("tariff rates");
	struct eff_stack st[TARIFF_NPARTNERS];
	struct seen seen = { { 0 }, { 0 }, 0 };
	struct tc_err err;
	char d[16], e[16];
	int k0 = o->partner < 0 ? 0 : o->partner, k1 = o->partner < 0 ? TARIFF_NPARTNERS : o->partner + 1;
	int rc;

	tc_err_init(&err);
	note_ctx = ctx;
	if (!o->from) {
		long date = o->as_of ? o->as_of : tl->last;
		struct out_table *t = out_table_add(doc, "layers", "Layers in force");
		struct out_table *tot = out_table_add(doc, "totals", "Effective rate");
		struct weights w;

		out_meta_str(doc, "as_of", tc_format_date(date, d));
		out_col(t, "partner", "partner");
		out_col(t, "layer", "layer");
		out_col(t, "scope", "scope");
		out_col(t, "statutory_pct", "statutory %");
		out_col(t, "coverage", "coverage");
		out_col(t, "effective_pp", "effective pp");
		out_col(t, "approximated", "approx.");
		out_col(t, "row", "tariffs.csv row");
		out_col(t, "coverage_source", "coverage source");
		out_col(tot, "partner", "partner");
		out_col(tot, "effective_pct", "effective %");
		out_col(tot, "imports_musd", "imports USD m");
		out_col(tot, "imports_year", "year");
		for (int k = k0; k < k1; k++) {
			if (tariff_effective_on(tl, cv, k, date, &st[k], &err)) {
				out_doc_free(doc);
				if (err.code == TC_EXIT_USAGE)
					tc_err_prefix(&err, "--as-of");
				return tc_report(&err);
			}
			for (size_t i = 0; i < st[k].n; i++) {
				const struct eff_layer *L = &st[k].l[i];
				out_row(t);
				out_str(t, tariff_partner_code(k));
				out_str(t, L->layer);
				out_str(t, L->row ? L->row->scope_name : "all_goods");
				out_num(t, L->statutory, 4);
				out_num(t, L->coverage, 4);
				out_num(t, L->effective, 4);
				out_bool(t, L->approximated);
				out_str(t, L->row ? L->row->id : NULL);
				out_str(t, L->source);
			}
			note_approx(doc, &seen, &st[k]);
		}
		weights_for(trade, &w);
		for (int k = k0; k < k1; k++) {
			out_row(tot);
			out_str(tot, tariff_partner_code(k));
			out_num(tot, st[k].effective, 4);
			if (isfinite(w.m[k]))
				out_num(tot, w.m[k], 1);
			else
				out_missing(tot);
			out_int(tot, w.year);
		}
		if (o->partner < 0) {
			double all = weighted(st, &w), m = 0;
			for (int k = 0; k < TARIFF_NPARTNERS; k++)
				if (isfinite(w.m[k]))
					m += w.m[k];
			out_row(tot);
			out_str(tot, "all");
			if (isfinite(all))
				out_num(tot, all, 4);
			else
				out_missing(tot);
			out_num(tot, m, 1);
			out_int(tot, w.year);
			if (isfinite(w.m[TARIFF_ROW]))
				note(doc, "'all' weights each partner by its imports of %d in trade.csv, "
					 "the same weights for every date (ROW: the US total minus CN, MX "
					 "and CA)", w.year);
			else
				note(doc, "'all' weights CN, MX and CA by their imports of %d in trade.csv; "
					 "ROW has no import value and is left out", w.year);
		}
		if (o->partner < 0 || o->partner == TARIFF_ROW)
			note(doc, "ROW: the layers for every partner (ALL rows); no MFN layer (no "
				 "sourced duty total for the rest of the world), so its rate and the 'all' "
				 "total leave out normal duties on ROW imports");
	} else {
		struct out_table *t = out_table_add(doc, "series", "Effective rate by date");
		long a = tc_days_of(o->from), b = tc_days_of(o->to);
		struct weights w;

		weights_for(trade, &w);
		out_meta_str(doc, "from", tc_format_date(o->from, d));
		out_meta_str(doc, "to", tc_format_date(o->to, e));
		out_col(t, "date", "date");
		for (int k = k0; k < k1; k++)
			out_col(t, tariff_partner_code(k), tariff_partner_code(k));
		if (o->partner < 0)
			out_col(t, "all", "all");
		for (long z = a; z <= b; z++) {
			long date = tc_date_of_days(z);
			if (o->monthly && date % 100 != 1 && z != a)
				continue;
			out_row(t);
			out_str(t, tc_format_date(date, d));
			for (int k = k0; k < k1; k++) {
				if (tariff_effective_on(tl, cv, k, date, &st[k], &err)) {
					out_doc_free(doc);
					if (err.code == TC_EXIT_USAGE)
						tc_err_prefix(&err, "--from/--to");
					return tc_report(&err);
				}
				out_num(t, st[k].effective, 4);
				note_approx(doc, &seen, &st[k]);
			}
			if (o->partner < 0) {
				double all = weighted(st, &w);
				if (isfinite(all))
					out_num(t, all, 4);
				else
					out_missing(t);
			}
		}
		if (o->partner < 0)
			note(doc, "'all' weights the partners by their imports of %d in trade.csv, "
				 "the same weights for every date%s", w.year,
				 isfinite(w.m[TARIFF_ROW]) ? " (ROW: the US total minus CN, MX and CA)"
							   : "; ROW has no import value and is left out");
	}
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	return rc;
}

int cmd_tariff_rates(int argc, char **argv, struct tc_ctx *ctx)
{
	struct ropts o;
	struct tariff_timeline tl;
	struct tariff_coverage *cv = NULL;
	struct tcsv_table trade;
	struct tc_err err;
	int rc;

	ctx->help = cmd_tariff_rates_help;
	rc = parse(argc, argv, ctx, &o);
	if (rc == TC_OPT_HELP)
		return TC_EXIT_OK;
	if (rc)
		return rc;
	tc_err_init(&err);
	if (tariff_timeline_load(&tl, ctx->data_dir, &err))
		return tc_report(&err);
	if (tariff_coverage_load(&cv, ctx->data_dir, &err)) {
		tariff_timeline_release(&tl);
		return tc_report(&err);
	}
	if (dataset_load(&trade, ctx->data_dir, "trade", &err)) {
		tariff_coverage_free(cv);
		tariff_timeline_release(&tl);
		return tc_report(&err);
	}
	rc = run(ctx, &o, &tl, cv, &trade);
	tcsv_table_release(&trade);
	tariff_coverage_free(cv);
	tariff_timeline_release(&tl);
	return rc;
}

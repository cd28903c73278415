/*
** claims_run.c: recompute every claim of claims.csv from the datasets,
** with the overdose engine's series (od_load_final, od_load_vsrr over
** overdose_annual.csv and overdose_12mo.csv, and trend_pct_change) and the tariff timeline (tariff_layer_rate_on,
** tariff_proposed), then judge it with claim_judge().  Nothing here
** stores an answer: change a dataset value and the verdict follows.
*/
#include "tocalc/model_claims.h"
#include "tocalc/data_claims.h"
#include "tocalc/claims_run.h"
#include "tocalc/out.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/data_overdose.h"
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"
#include "tocalc/model_trend.h"
#include "tocalc/data_vsrr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct sources {
	const char *data_dir;
	struct od_series final[2], vsrr[2];	/* by index into series_values */
	int loaded_final[2], loaded_vsrr[2];	/* 0 not tried, 1 ok, -1 failed */
	struct tariff_timeline tl;
	int have_tl;
	char vintage[11];
	/* why a dataset did not load: a claim that needs it fails with this message */
	struct tc_err err_final[2], err_vsrr[2], err_tl;
};

static int series_index(const char *name)
{
	for (int i = 0; series_values[i] && i < 2; i++)
		if (!strcmp(series_values[i], name))
			return i;
	return -1;
}

/* The final (deaths) or VSRR series si, loaded on first use; NULL if it does not load. */
static const struct od_series *series_of(struct sources *s, int si, int vsrr)
{
	struct tc_err e;
	int *state = vsrr ? &s->loaded_vsrr[si] : &s->loaded_final[si];
	struct od_series *ser = vsrr ? &s->vsrr[si] : &s->final[si];

	if (si < 0)
		return NULL;
	if (!*state) {
		tc_err_init(&e);
		od_series_init(ser);
		if (vsrr)
			*state = od_load_vsrr(ser, s->data_dir, series_values[si], &e) ? -1 : 1;
		else
			*state = od_load_final(ser, s->data_dir, series_values[si], OD_DEATHS, &e) ? -1 : 1;
		if (*state < 0)
			*(vsrr ? &s->err_vsrr[si] : &s->err_final[si]) = e;
		if (vsrr && *state == 1 && ser->vintage)
			snprintf(s->vintage, sizeof(s->vintage), "%s", ser->vintage);
	}
	return *state == 1 ? ser : NULL;
}

/* Value at a period (year or yyyymm): y, or y2 (VSRR predicted); NAN when absent. */
static double value_at(const struct od_series *ser, long period, int second)
{
	for (size_t i = 0; ser && i < ser->n; i++)
		if (ser->period[i] == period)
			return second ? ser->y2[i] : ser->y[i];
	return NAN;
}

static double annual_value(struct sources *s, int si, long year)
{
	return value_at(series_of(s, si, 0), year, 0);
}

static double vsrr_value(struct sources *s, int si, long yyyymm, int predicted)
{
	return value_at(series_of(s, si, 1), yyyymm, predicted);
}

static void cannot(struct claim_result *r, const char *why)
{
	r->verdict = CV_CANNOT_CHECK;
	r->ncand = 0;
	r->diff = NAN;
	snprintf(r->reason, sizeof(r->reason), "%s", why);
}

static void add_cand(struct claim_result *r, double v, const char *label)
{
	if (r->ncand >= CLAIM_MAX_CANDIDATES)
		return;
	r->cand[r->ncand] = v;
	snprintf(r->cand_label[r->ncand], sizeof(r->cand_label[0]), "%s", label);
	r->ncand++;
}

/* Judge the candidates; fills verdict, best, diff, reason. */
static int judge(struct claim_result *r, double claimed, struct tc_err *err)
{
	struct claim_judge_in in;
	struct claim_judge_out out;

	memset(&in, 0, sizeof(in));
	in.claimed = claimed;
	in.unit = r->c.unit;
	in.cmp = r->c.cmp;
	in.tolerance = isnan(r->c.tolerance) ? 0 : r->c.tolerance;
	in.ncand = r->ncand;
	memcpy(in.cand, r->cand, sizeof(in.cand));
	in.release = r->release;
	if (claim_judge(&in, &out, err))
		return tc_err_prefix(err, "claim '%s'", r->c.id);
	r->verdict = out.verdict;
	r->best = out.best;
	r->diff = out.diff;
	snprintf(r->reason, sizeof(r->reason), "%s", out.reason);
	return 0;
}

/* Is every ';'-separated id of `evidence` also an id of `own` (the claim's own sources)? */
static int only_own_sources(const char *evidence, const char *own)
{
	const char *p = evidence;

	if (!evidence || !*evidence || !own)
		return 0;
	while (p && *p) {
		const char *e = strchr(p, ';'), *q = own;
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int found = 0;
		while (q && *q && !found) {
			const char *f = strchr(q, ';');
			size_t l2 = f ? (size_t)(f - q) : strlen(q);
			found = l2 == len && !strncmp(p, q, len);
			q = f ? f + 1 : NULL;
		}
		if (!found)
			return 0;
		p = e ? e + 1 : NULL;
	}
	return 1;
}

/*
** The release-time value of a VSRR percent change from a kept vintage of the
** claim's month (datasets/vsrr/, dated within said_on), predicted counts as
** CDC's releases quote them (reported when the vintage has no prediction).
** 0 and r->release set when such a vintage has both months; 1 when none.
*/
static int release_from_vintage(struct claim_result *r, const char *data_dir, struct tc_err *err)
{
	const struct claim *c = &r->c;
	size_t nv;
	char **vs;
	int rc = 1;

	if (!c->said_on || c->method != CM_PCT_CHANGE)
		return 1;
	vs = vsrr_list_vintages(data_dir, &nv);
	for (size_t k = nv; k-- > 0 && rc == 1;) {
		struct od_series ser;
		struct od_select sel;
		struct tc_err e;
		size_t ia, ib;
		if (strncmp(vs[k], c->said_on, 7))
			continue;
		od_select_init(&sel);
		sel.vintage = vs[k];
		sel.indicator = c->series;
		tc_err_init(&e);
		{
			/* a broken vintage file is an error, never skipped; one without the series is */
			struct tcsv_table t;
			char *path = vsrr_vintage_path(data_dir, vs[k]);
			int bad = tcsv_load_file(&t, path, &schema_vsrr_vintage, err);
			free(path);
			if (bad) {
				rc = -1;
				break;
			}
			tcsv_table_release(&t);
		}
		if (od_load_vsrr_sel(&ser, data_dir, &sel, &e))
			continue;
		if (!od_find_period(&ser, c->from, &ia, &e) && !od_find_period(&ser, c->to, &ib, &e)) {
			int pred = !isnan(ser.y2[ia]) && !isnan(ser.y2[ib]);
			double a = pred ? ser.y2[ia] : ser.y[ia], b = pred ? ser.y2[ib] : ser.y[ib];
			if (!isnan(a) && !isnan(b)) {
				if (trend_pct_change(a, b, &r->release, err)) {
					od_series_release(&ser);
					rc = -1;
					break;
				}
				snprintf(r->release_vintage, sizeof(r->release_vintage), "%s", vs[k]);
				rc = 0;
			}
		}
		od_series_release(&ser);
	}
	for (size_t k = 0; k < nv; k++)
		free(vs[k]);
	free(vs);
	return rc;
}

static int eval_overdose(struct claim_result *r, struct sources *s, const char *vintage,
			 struct tc_err *err)
{
	const struct claim *c = &r->c;
	int si = series_index(c->series);
	char why[192];

	if (si < 0)	/* claim_from_row() rules this out */
		return tc_fail(err, "claim '%s': unknown series '%s'", c->id, c->series ? c->series : "");

	if (c->measure == CME_VSRR) {
		long a, b;
		double ra, rb, pa, pb, pr, pp;
		if (!series_of(s, si, 1)) {
			*err = s->err_vsrr[si];	/* a dataset that does not load is bad data */
			return tc_err_prefix(err, "claim '%s'", c->id);
		}
		tc_parse_month(c->from, &a);
		if (c->method == CM_ANNUAL_VALUE) {
			ra = vsrr_value(s, si, a, 0);
			pa = vsrr_value(s, si, a, 1);
			if (isnan(ra) && isnan(pa)) {
				snprintf(why, sizeof(why), "no VSRR value for %s in %s", c->series, c->from);
				cannot(r, why);
				return 0;
			}
			if (!isnan(ra))
				add_cand(r, ra, "VSRR reported");
			if (!isnan(pa))
				add_cand(r, pa, "VSRR predicted");
		} else {
			tc_parse_month(c->to, &b);
			ra = vsrr_value(s, si, a, 0);
			rb = vsrr_value(s, si, b, 0);
			pa = vsrr_value(s, si, a, 1);
			pb = vsrr_value(s, si, b, 1);
			if (!isnan(ra) && !isnan(rb)) {
				if (trend_pct_change(ra, rb, &pr, err))
					return tc_err_prefix(err, "claim '%s'", c->id);
				add_cand(r, pr, "VSRR reported");
			}
			if (!isnan(pa) && !isnan(pb)) {
				if (trend_pct_change(pa, pb, &pp, err))
					return tc_err_prefix(err, "claim '%s'", c->id);
				add_cand(r, pp, "VSRR predicted");
			}
			if (!r->ncand) {
				snprintf(why, sizeof(why), "no VSRR values for %s to %s", c->from, c->to);
				cannot(r, why);
				return 0;
			}
			snprintf(r->context, sizeof(r->context),
				 "12 months ending %s -> %s: reported %.0f -> %.0f, predicted %.0f -> %.0f",
				 c->from, c->to, ra, rb, pa, pb);
		}
		snprintf(r->data_used, sizeof(r->data_used),
			 "VSRR provisional 12 month-ending, %s, vintage %s", c->series, vintage);
		{
			int rv = release_from_vintage(r, s->data_dir, err);
			if (rv < 0)
				return tc_err_prefix(err, "claim '%s': release vintage", c->id);
			if (rv == 1 && !isnan(c->release_from) &&
			    trend_pct_change(c->release_from, c->release_to, &r->release, err))
				return tc_err_prefix(err, "claim '%s': release figures", c->id);
		}
		return judge(r, c->claimed, err);
	}

	/* final annual data */
	if (!series_of(s, si, 0)) {
		*err = s->err_final[si];
		return tc_err_prefix(err, "claim '%s'", c->id);
	}
	{
		long from = strtol(c->from, NULL, 10);
		long to = c->to ? strtol(c->to, NULL, 10) : from;
		double sum = 0, lo = INFINITY, hi = -INFINITY;
		long n = 0;

		snprintf(r->data_used, sizeof(r->data_used), "NCHS final annual deaths, %s", c->series);
		for (long y = from; y <= to; y++) {
			double v = annual_value(s, si, y);
			if (isnan(v) && c->method != CM_FIRST_DECLINE_SINCE) {
				snprintf(why, sizeof(why), "the final value of %s for %ld is missing", c->series, y);
				cannot(r, why);
				return 0;
			}
			sum += v;
			lo = fmin(lo, v);
			hi = fmax(hi, v);
			n++;
		}
		switch (c->method) {
		case CM_ANNUAL_VALUE: {
			long dec = from * 100 + 12;
			add_cand(r, sum, "final");
			if (series_of(s, si, 1)) {
				double vr = vsrr_value(s, si, dec, 0);
				double vp = vsrr_value(s, si, dec, 1);
				if (!isnan(vr))
					snprintf(r->context, sizeof(r->context),
						 "VSRR 12 months ending Dec %ld (vintage %s): reported %.0f, predicted %.0f",
						 from, vintage, vr, vp);
			}
			break;
		}
		case CM_WINDOW_SUM:
			add_cand(r, sum, "final, sum");
			snprintf(r->context, sizeof(r->context), "%ld years %ld-%ld", n, from, to);
			break;
		case CM_ANNUAL_MEAN: {
			long said;
			add_cand(r, sum / (double)n, "final, mean");
			snprintf(r->context, sizeof(r->context), "%ld-%ld: min %.0f, max %.0f", from, to, lo, hi);
			/* "annually", said more than a year after the data end: say so, with
			   CDC's provisional 12 months ending in the claim's month */
			if (c->said_on && !tc_parse_month(c->said_on, &said) && said > (to + 1) * 100 + 12) {
				size_t o = strlen(r->context);
				r->data_older = 1;
				if (series_of(s, si, 1)) {
					double vr = vsrr_value(s, si, said, 0), vp = vsrr_value(s, si, said, 1);
					if (!isnan(vr) && o < sizeof(r->context))
						snprintf(r->context + o, sizeof(r->context) - o,
							 "; CDC provisional, 12 months ending %s (vintage %s): "
							 "reported %.0f, predicted %.0f", c->said_on, vintage, vr, vp);
				}
			}
			break;
		}
		case CM_FIRST_DECLINE_SINCE: {
			double prev = annual_value(s, si, from - 1);
			double vf = annual_value(s, si, from);
			const struct od_series *fs = series_of(s, si, 0);
			long first = 0, last_year = fs->n ? fs->period[fs->n - 1] : 0;
			if (isnan(prev) || isnan(vf)) {
				snprintf(why, sizeof(why), "final values of %s around %ld are missing", c->series, from);
				cannot(r, why);
				return 0;
			}
			for (long y = from + 1; y <= last_year && !first; y++) {
				double a = annual_value(s, si, y - 1), b = annual_value(s, si, y);
				if (isnan(a) || isnan(b)) {
					snprintf(why, sizeof(why), "final values of %s near %ld are missing", c->series, y);
					cannot(r, why);
					return 0;
				}
				if (b < a)
					first = y;
			}
			if (first)
				snprintf(r->context, sizeof(r->context), "%ld %s (%.0f -> %.0f); next fall: %ld",
					 from, vf < prev ? "fell" : "did not fall", prev, vf, first);
			else
				snprintf(r->context, sizeof(r->context), "%ld %s (%.0f -> %.0f); no later fall",
					 from, vf < prev ? "fell" : "did not fall", prev, vf);
			/* holds when `from` was a fall and the next fall is `to` */
			add_cand(r, vf < prev && first ? (double)first : NAN, "first later fall (year)");
			if (isnan(r->cand[0])) {
				r->verdict = CV_DOES_NOT_HOLD;
				r->diff = NAN;
				snprintf(r->reason, sizeof(r->reason), "%s", vf < prev ?
					 "no later fall in the final data" : "the start year was not a fall");
				return 0;
			}
			{
				struct claim_result tmp = *r;
				tmp.c.unit = CU_PERCENT;	/* compare years exactly */
				tmp.c.cmp = CC_EXACTLY;
				tmp.c.tolerance = 0;
				if (judge(&tmp, (double)strtol(c->to, NULL, 10), err))
					return -1;
				r->verdict = tmp.verdict;
				r->diff = tmp.diff;
				snprintf(r->reason, sizeof(r->reason), "%s", tmp.reason);
			}
			return 0;
		}
		default:
			return tc_fail(err, "claim '%s': method %s does not fit final data", c->id,
				       claim_method_names[c->method]);
		}
	}
	if (judge(r, c->claimed, err))
		return -1;
	if (r->data_older) {
		size_t o = strlen(r->reason);
		snprintf(r->reason + o, sizeof(r->reason) - o, "; judged on final data to %s, older than "
			 "the claim (%s)", c->to ? c->to : c->from, c->said_on);
	}
	return 0;
}

/* Next ';'-separated partner code into buf; returns the rest or NULL. */
static const char *next_partner(const char *s, char buf[8])
{
	const char *e = strchr(s, ';');
	size_t n = e ? (size_t)(e - s) : strlen(s);
	snprintf(buf, 8, "%.*s", (int)(n < 7 ? n : 7), s);
	return e ? e + 1 : NULL;
}

static int eval_tariff(struct claim_result *r, struct sources *s, struct tc_err *err)
{
	const struct claim *c = &r->c;
	long from, to = 0;
	char p[8];
	const char *rest = c->series;
	size_t ctx = 0;

	if (!s->have_tl) {
		*err = s->err_tl;
		return tc_err_prefix(err, "claim '%s'", c->id);
	}
	tc_parse_date(c->from, &from);
	if (c->to)
		tc_parse_date(c->to, &to);
	snprintf(r->data_used, sizeof(r->data_used), "tariff timeline (tariffs.csv)%s%s",
		 c->layer ? ", layer " : "", c->layer ? c->layer : "");

	if (c->method == CM_TARIFF_PROPOSED) {
		const struct tariff_row *rows[32];
		size_t n = tariff_proposed(&s->tl, c->series, rows, 32);
		const struct tariff_row *hit = NULL;
		double maxrate = NAN;
		for (size_t i = 0; i < n && i < 32; i++) {
			if (rows[i]->rate == c->claimed && strcmp(rows[i]->partner, "ALL"))
				hit = rows[i];
			if (isnan(maxrate) || rows[i]->rate > maxrate)
				maxrate = rows[i]->rate;
		}
		if (!n) {
			add_cand(r, 0, "proposed rate");
			r->verdict = CV_DOES_NOT_HOLD;
			r->diff = NAN;
			snprintf(r->reason, sizeof(r->reason), "no proposed rate for %s in the timeline", c->series);
			return 0;
		}
		add_cand(r, hit ? hit->rate : maxrate, "proposed rate");
		if (hit && only_own_sources(hit->source, c->source)) {
			char why[200];
			r->self_sourced = 1;
			snprintf(why, sizeof(why), "the only source of the proposed %.0f%% (tariffs.csv, %s) "
				 "is the document making the claim; an outside source is needed", hit->rate,
				 hit->source);
			cannot(r, why);
			return 0;
		}
		if (hit) {
			char d[11];
			double now = NAN;
			if (tariff_layer_rate_on(&s->tl, c->series, "ieepa_fentanyl", hit->effective, &now, NULL, NULL))
				now = NAN;
			snprintf(r->context, sizeof(r->context),
				 "proposed %s%s (status %s, never enacted); fentanyl tariff in force then: %.0f%%",
				 hit->month_precision ? "in " : "on ",
				 hit->month_precision ? (tc_format_date(hit->effective, d), d[7] = '\0', d)
						      : tc_format_date(hit->effective, d),
				 hit->status_name, now);
		}
		return judge(r, c->claimed, err);
	}

	/* tariff_in_force: every partner listed must carry the claimed rate */
	{
		enum claim_verdict worst = CV_HOLDS;
		double worst_diff = 0;
		char label[64];
		while (rest && *rest) {
			double rate, later = NAN;
			struct claim_result one = *r;
			rest = next_partner(rest, p);
			if (tariff_layer_rate_on(&s->tl, p, c->layer, from, &rate, NULL, err))
				return tc_err_prefix(err, "claim '%s'", c->id);
			if (to && tariff_layer_rate_on(&s->tl, p, c->layer, to, &later, NULL, err))
				return tc_err_prefix(err, "claim '%s'", c->id);
			snprintf(label, sizeof(label), "%s on %s", p, c->from);
			add_cand(r, rate, label);
			one.ncand = 0;
			add_cand(&one, rate, label);
			if (judge(&one, c->claimed, err))
				return -1;
			if (one.verdict > worst || r->ncand == 1) {
				worst = one.verdict > worst || r->ncand == 1 ? one.verdict : worst;
				worst_diff = one.diff;
				r->best = r->ncand - 1;
			}
			if (to && ctx < sizeof(r->context))
				ctx += (size_t)snprintf(r->context + ctx, sizeof(r->context) - ctx,
							"%s%s on %s: %.0f%%", ctx ? "; " : "", p, c->to, later);
		}
		r->verdict = worst;
		r->diff = worst_diff;
		snprintf(r->reason, sizeof(r->reason), "%s",
			 worst == CV_HOLDS ? "the timeline has this rate in force on the date"
					   : "the timeline has another rate in force on the date");
	}
	return 0;
}

/* Append to r->secondary each id of `ids` that sources.csv marks secondary. */
static void mark_secondary(struct claim_result *r, const struct tcsv_table *src, const char *ids)
{
	const char *p = ids;

	while (p && *p) {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p), o = strlen(r->secondary);
		for (size_t i = 0; i < src->nrows; i++) {
			const char *id = tcsv_text(src, SO_ID, i);
			if (strlen(id) == len && !strncmp(id, p, len) &&
			    !strcmp(tcsv_text(src, SO_KIND, i), "secondary") && o < sizeof(r->secondary))
				snprintf(r->secondary + o, sizeof(r->secondary) - o, "%s%.*s", o ? ";" : "",
					 (int)len, p);
		}
		p = e ? e + 1 : NULL;
	}
}

static void load_sources(struct sources *s, const char *data_dir)
{
	struct tc_err e;

	memset(s, 0, sizeof(*s));
	s->data_dir = data_dir;
	tc_err_init(&e);
	s->have_tl = tariff_timeline_load(&s->tl, data_dir, &e) == 0;
	if (!s->have_tl)
		s->err_tl = e;
	series_of(s, 0, 1);	/* the VSRR vintage, for the report header */
}

static void release_sources(struct sources *s)
{
	for (int i = 0; i < 2; i++) {
		if (s->loaded_final[i])
			od_series_release(&s->final[i]);
		if (s->loaded_vsrr[i])
			od_series_release(&s->vsrr[i]);
	}
	if (s->have_tl)
		tariff_timeline_release(&s->tl);
}

int claims_run(struct claims_run *run, const char *data_dir, char *const *ids, size_t nids,
	       struct tc_err *err)
{
	struct sources s;
	struct tcsv_table src;
	int have_src = 0;
	size_t n = 0;

	memset(run, 0, sizeof(*run));
	if (dataset_load(&run->table, data_dir, "claims", err))
		return -1;
	for (size_t k = 0; k < nids; k++) {
		size_t i;
		for (i = 0; i < run->table.nrows; i++)
			if (!strcmp(run->table.cols[CL_ID].text[i], ids[k]))
				break;
		if (i == run->table.nrows) {
			char hint[400];
			tc_suggest(ids[k], (const char *const *)run->table.cols[CL_ID].text,
				   run->table.nrows, NULL, hint, sizeof(hint));
			tcsv_table_release(&run->table);
			return tc_failc(err, TC_EXIT_USAGE, "unknown claim '%s'%s; see 'tocalc check'", ids[k],
					hint);
		}
	}
	run->res = xcalloc(run->table.nrows, sizeof(*run->res));
	load_sources(&s, data_dir);
	{
		struct tc_err e;
		tc_err_init(&e);
		have_src = dataset_load(&src, data_dir, "sources", &e) == 0;
	}
	memcpy(run->vintage, s.vintage, sizeof(run->vintage));
	for (size_t i = 0; i < run->table.nrows; i++) {
		struct claim_result *r = &run->res[n];
		int wanted = nids == 0;
		int rc;

		for (size_t k = 0; k < nids; k++)
			if (!strcmp(run->table.cols[CL_ID].text[i], ids[k]))
				wanted = 1;
		if (!wanted)
			continue;
		memset(r, 0, sizeof(*r));
		r->release = NAN;
		r->diff = NAN;
		if (claim_from_row(&run->table, i, &r->c, err) ||
		    (s.have_tl && claim_check_timeline(&r->c, run->table.path, &s.tl, err)))
			goto fail;
		switch (r->c.method) {
		case CM_CANNOT_CHECK:
			cannot(r, r->c.note);
			rc = 0;
			break;
		case CM_TARIFF_IN_FORCE:
		case CM_TARIFF_PROPOSED:
			rc = eval_tariff(r, &s, err);
			break;
		default:
			rc = eval_overdose(r, &s, run->vintage, err);
			break;
		}
		if (rc)
			goto fail;
		if (have_src) {
			mark_secondary(r, &src, r->c.source);
			mark_secondary(r, &src, r->c.release_source);
		}
		n++;
	}
	run->n = n;
	release_sources(&s);
	if (have_src)
		tcsv_table_release(&src);
	return 0;
fail:
	release_sources(&s);
	if (have_src)
		tcsv_table_release(&src);
	claims_run_release(run);
	return -1;
}

void claims_run_release(struct claims_run *run)
{
	free(run->res);
	tcsv_table_release(&run->table);
	memset(run, 0, sizeof(*run));
}

/* ------------------------------------------------------------------ */
/* the one formatter of a claims run (check, report)                    */

void claims_summary_table(struct out_doc *doc, const char *title, const struct claims_run *run,
			  int quote, int want)
{
	struct out_table *t = out_table_add(doc, "claims", title);

	out_col(t, "id", "claim");
	out_col(t, "document", "doc");
	if (quote)
		out_col(t, "quote", "quote");
	out_col(t, "claimed", "claimed");
	out_col(t, "computed", "computed");
	out_col(t, "series", "series used");
	out_col(t, "difference", "diff");
	out_col(t, "tolerance", "tol");
	out_col(t, "verdict", "verdict");
	for (size_t i = 0; i < run->n; i++) {
		const struct claim_result *r = &run->res[i];

		if (want >= 0 && (int)r->verdict != want)
			continue;
		out_row(t);
		out_str(t, r->c.id);
		out_str(t, r->c.document);
		if (quote)
			out_str(t, r->c.quote);
		out_num(t, r->c.claimed, -1);
		out_num(t, r->ncand ? r->cand[r->best] : NAN, r->c.unit == CU_PERCENT ? 2 : 0);
		out_str(t, r->ncand ? r->cand_label[r->best] : NULL);
		out_num(t, r->diff, 2);
		out_num(t, r->c.tolerance, 2);
		out_str(t, claim_verdict_names[r->verdict]);
	}
}

/*
** run_report.c: the report's run layer (run_report.h): every number of
** `tocalc report` and of its figures, computed once into one
** struct report_result.  Tables (cmd_report.c), figures (plot_recipes.c,
** plot_recipe_rates.c) and the HTML page read the same structs.
**
** Every random number comes from a generator seeded with a constant from
** report.h, so the same datasets give the same result on every run.
*/
#include "tocalc/run_report.h"
#include "tocalc/claims_run.h"
#include "tocalc/run_tariff.h"
#include "tocalc/run_overdose.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/model_rates.h"
#include "tocalc/data_coverage.h"
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"

#include <ctype.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* source lines                                                         */

/*
** A publisher as a source line names it: cut at " (", ", reproduced by"
** and " via "; "CDC National Center for Health Statistics" is "CDC NCHS";
** "" for none or "unknown".
*/
static void short_publisher(const char *raw, char *pub, size_t size)
{
	char *cut;

	snprintf(pub, size, "%s", raw);
	pub[strcspn(pub, "(")] = '\0';
	if ((cut = strstr(pub, ", reproduced by")))
		*cut = '\0';
	if ((cut = strstr(pub, " via ")))
		*cut = '\0';
	for (size_t e = strlen(pub); e && pub[e - 1] == ' '; e--)
		pub[e - 1] = '\0';
	if (!strcmp(pub, "unknown"))
		pub[0] = '\0';
	if (!strcmp(pub, "CDC National Center for Health Statistics"))
		snprintf(pub, size, "CDC NCHS");
}

void report_publishers(const char *data_dir, const char *dataset, const char *scol,
		       const char *fcol, const char *const *fvals, int max, char *out, size_t size)
{
	struct tcsv_table t, src;
	struct tc_err err;
	char *names[64];
	size_t count[64], nn = 0, used = strlen(out);
	int ci, fi = -1, ids, pubi;

	tc_err_init(&err);
	if (dataset_load(&t, data_dir, dataset, &err))
		return;
	if (dataset_load(&src, data_dir, "sources", &err)) {
		tcsv_table_release(&t);
		return;
	}
	ci = tcsv_col_index(t.schema, scol);
	if (fcol)
		fi = tcsv_col_index(t.schema, fcol);
	ids = tcsv_col_index(src.schema, "id");
	pubi = tcsv_col_index(src.schema, "publisher");
	for (size_t r = 0; ci >= 0 && ids >= 0 && pubi >= 0 && r < t.nrows; r++) {
		const char *v = tcsv_is_missing(&t, (size_t)ci, r) ? NULL : tcsv_text(&t, (size_t)ci, r);
		char id[128], pub[160];
		size_t k, j;
		int ok = !fcol;

		if (fcol && fi >= 0 && !tcsv_is_missing(&t, (size_t)fi, r))
			for (const char *const *f = fvals; *f; f++)
				ok |= !strcmp(*f, tcsv_text(&t, (size_t)fi, r));
		if (!ok || !v || !*v)
			continue;
		snprintf(id, sizeof(id), "%.*s", (int)strcspn(v, ";"), v);
		for (k = 0; k < src.nrows; k++)
			if (!strcmp(tcsv_text(&src, (size_t)ids, k), id))
				break;
		if (k == src.nrows || tcsv_is_missing(&src, (size_t)pubi, k))
			continue;
		short_publisher(tcsv_text(&src, (size_t)pubi, k), pub, sizeof(pub));
		if (!*pub)
			continue;
		for (j = 0; j < nn; j++)
			if (!strcmp(names[j], pub))
				break;
		if (j == nn) {
			if (nn == TC_ARRAY_SIZE(names))
				continue;
			names[nn] = xstrdup(pub);
			count[nn++] = 0;
		}
		count[j]++;
	}
	for (int m = 0; m < max; m++) {
		size_t best = nn;
		for (size_t j = 0; j < nn; j++)
			if (count[j] && (best == nn || count[j] > count[best]))
				best = j;
		if (best == nn)
			break;
		if (used < size)
			used += (size_t)snprintf(out + used, size - used, "%s%s", m ? ", " : "", names[best]);
		count[best] = 0;
	}
	for (size_t j = 0; j < nn; j++)
		free(names[j]);
	tcsv_table_release(&src);
	tcsv_table_release(&t);
}

/*
** Secondary sources (issue 15): a row rests on secondary sources when
** every source id it cites is defined in sources.csv with kind
** "secondary".  The publishers of those sources, once each in order of
** first use, make the figure's second footnote line, so a figure says
** so through the dataset: a new primary source clears it.  Without
** sources.csv nothing is marked (as the source line falls back).
*/
#define SEC_MAX 32

struct seclist {
	char *names[SEC_MAX];
	size_t n, more;
};

/* Row k of src whose id is [id, id+len), or src->nrows. */
static size_t source_row(const struct tcsv_table *src, const char *id, size_t len)
{
	for (size_t k = 0; k < src->nrows; k++) {
		const char *s = tcsv_text(src, SO_ID, k);
		if (strlen(s) == len && !strncmp(s, id, len))
			return k;
	}
	return src->nrows;
}

static void sec_add(struct seclist *l, const char *name)
{
	for (size_t j = 0; j < l->n; j++)
		if (!strcmp(l->names[j], name))
			return;
	if (l->n == SEC_MAX) {
		l->more++;
		return;
	}
	l->names[l->n++] = xstrdup(name);
}

/*
** The rows of `dataset` whose `fcol` is one of fvals (NULL: every row)
** and, when ycol is set, whose ycol is one of years[0..ny): the
** publishers of the secondary sources of those resting on them only.
*/
static void sec_collect(const char *data_dir, const struct tcsv_table *src, const char *dataset,
			const char *scol, const char *fcol, const char *const *fvals,
			const char *ycol, const double *years, size_t ny, struct seclist *l)
{
	struct tcsv_table t;
	struct tc_err err;
	int ci, fi = -1, yi = -1;

	tc_err_init(&err);
	if (dataset_load(&t, data_dir, dataset, &err))
		return;
	ci = tcsv_col_index(t.schema, scol);
	if (fcol)
		fi = tcsv_col_index(t.schema, fcol);
	if (ycol)
		yi = tcsv_col_index(t.schema, ycol);
	for (size_t r = 0; ci >= 0 && r < t.nrows; r++) {
		const char *v;
		int ok = !fcol;

		if (fcol && fi >= 0 && !tcsv_is_missing(&t, (size_t)fi, r))
			for (const char *const *f = fvals; *f; f++)
				ok |= !strcmp(*f, tcsv_text(&t, (size_t)fi, r));
		if (ok && yi >= 0) {
			ok = 0;
			for (size_t k = 0; k < ny && !tcsv_is_missing(&t, (size_t)yi, r); k++)
				ok |= tcsv_num(&t, (size_t)yi, r) == years[k];
		}
		v = tcsv_is_missing(&t, (size_t)ci, r) ? NULL : tcsv_text(&t, (size_t)ci, r);
		if (!ok || !v || !od_ids_all_secondary(src, v))
			continue;
		for (const char *p = v; p && *p;) {
			const char *e = strchr(p, ';');
			size_t len = e ? (size_t)(e - p) : strlen(p), k = source_row(src, p, len);
			char pub[160];
			if (!tcsv_is_missing(src, SO_PUBLISHER, k))
				short_publisher(tcsv_text(src, SO_PUBLISHER, k), pub, sizeof(pub));
			else
				snprintf(pub, sizeof(pub), "%.*s", (int)len, p);
			sec_add(l, *pub ? pub : "unknown publisher");
			p = e ? e + 1 : NULL;
		}
	}
	tcsv_table_release(&t);
}

/*
** "1999, 2000, 2001, 2003" -> "1999-2001, 2003": every run of consecutive
** years (4-digit numbers joined by ", ") written as a range, so a long
** list fits one footnote line.  Other text is copied as it is.
*/
static void year_ranges(const char *in, char *out, size_t size)
{
	size_t o = 0;

	while (*in && o + 1 < size) {
		char *end;
		long a, b;

		if (!isdigit((unsigned char)*in) || (o && isalnum((unsigned char)out[o - 1]))) {
			out[o++] = *in++;
			continue;
		}
		a = strtol(in, &end, 10);
		if (end - in != 4) {
			size_t n = (size_t)(end - in);
			if (n >= size - o)
				n = size - o - 1;
			memcpy(out + o, in, n);
			o += n;
			in = end;
			continue;
		}
		b = a;
		in = end;
		for (;;) {
			char *e2;
			long c;
			if (strncmp(in, ", ", 2) || !isdigit((unsigned char)in[2]))
				break;
			c = strtol(in + 2, &e2, 10);
			if (e2 - (in + 2) != 4 || c != b + 1)
				break;
			b = c;
			in = e2;
		}
		o += (size_t)snprintf(out + o, size - o, b > a ? "%ld-%ld" : "%ld", a, b);
		if (o >= size)
			o = size - 1;
	}
	out[o < size ? o : size - 1] = '\0';
}

/* sources.csv of data_dir; -1 (nothing marked) when it cannot be read. */
static int sources_load(const char *data_dir, struct tcsv_table *src)
{
	struct tc_err err;

	tc_err_init(&err);
	return dataset_load(src, data_dir, "sources", &err);
}

/* "Secondary sources (no primary publication found): A, B and 3 more." and free the list. */
static void sec_format(struct seclist *l, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t j = 0; j < l->n && o < size; j++) {
		if (j == 4) {
			o += (size_t)snprintf(out + o, size - o, " and %zu more", l->n - j + l->more);
			break;
		}
		o += (size_t)snprintf(out + o, size - o, "%s%s", j ? ", " : "Secondary sources (no "
				      "primary publication found): ", l->names[j]);
	}
	if (l->n && o < size)
		snprintf(out + o, size - o, "%s.", l->n <= 4 && l->more ? " and more" : "");
	for (size_t j = 0; j < l->n; j++)
		free(l->names[j]);
	memset(l, 0, sizeof(*l));
}

static void sources_compute(const char *data_dir, struct report_result *r)
{
	static const char *const plotted[] = { "all_drugs", "synthetic_opioids", NULL };
	static const char *const cn_all[] = { "CN", "ALL", NULL };
	static const char *const cn[] = { "CN", NULL };
	static const char *const hhrow[] = { "us_households", NULL };
	struct tcsv_table src;

	r->pub_annual[0] = r->pub_vsrr[0] = r->pub_tariffs_cn[0] = '\0';
	r->pub_trade_cn[0] = r->pub_households[0] = '\0';
	report_publishers(data_dir, "overdose_annual", "deaths_source", "series", plotted, 3,
			  r->pub_annual, sizeof(r->pub_annual));
	report_publishers(data_dir, "overdose_12mo", "source", NULL, NULL, 1, r->pub_vsrr,
			  sizeof(r->pub_vsrr));
	report_publishers(data_dir, "tariffs", "source", "partner", cn_all, 2, r->pub_tariffs_cn,
			  sizeof(r->pub_tariffs_cn));
	report_publishers(data_dir, "trade", "source", "partner", cn, 2, r->pub_trade_cn,
			  sizeof(r->pub_trade_cn));
	report_publishers(data_dir, "parameters", "source", "name", hhrow, 1, r->pub_households,
			  sizeof(r->pub_households));

	/* secondary sources of overdose-deaths and vsrr-12mo */
	r->sec_deaths[0] = r->sec_vsrr[0] = '\0';
	{
		struct tc_err err;
		char note[600], ranged[500];

		tc_err_init(&err);
		if (!od_secondary_note(data_dir, note, sizeof(note), &err) && note[0]) {
			year_ranges(note, ranged, sizeof(ranged));
			snprintf(r->sec_deaths, sizeof(r->sec_deaths), "%c%s (see 'tocalc data show "
				 "sources').", toupper((unsigned char)ranged[0]), ranged + 1);
		}
	}
	if (sources_load(data_dir, &src) == 0) {
		struct seclist l;
		memset(&l, 0, sizeof(l));
		sec_collect(data_dir, &src, "overdose_12mo", "source", NULL, NULL, NULL, NULL, 0, &l);
		sec_collect(data_dir, &src, "tariffs", "source", "partner", cn_all, NULL, NULL, 0, &l);
		sec_format(&l, r->sec_vsrr, sizeof(r->sec_vsrr));
		tcsv_table_release(&src);
	}
}

/* Secondary sources behind the Laffer curve: China's imports of its year, the rates, the elasticities. */
static void laffer_secondary(const char *data_dir, struct report_result *r)
{
	static const char *const cn[] = { "CN", NULL };
	static const char *const cn_all[] = { "CN", "ALL", NULL };
	static const char *const el[] = { "import_demand_elasticity", "substitution_elasticity", NULL };
	struct tcsv_table src;
	struct seclist l;
	double year = r->laffer.year;

	r->sec_laffer[0] = '\0';
	if (sources_load(data_dir, &src))
		return;
	memset(&l, 0, sizeof(l));
	sec_collect(data_dir, &src, "trade", "source", "partner", cn, "year", &year, 1, &l);
	sec_collect(data_dir, &src, "tariffs", "source", "partner", cn_all, NULL, NULL, 0, &l);
	sec_collect(data_dir, &src, "parameters", "source", "name", el, NULL, NULL, 0, &l);
	sec_format(&l, r->sec_laffer, sizeof(r->sec_laffer));
	tcsv_table_release(&src);
}

/* Secondary sources behind the scenarios: imports of their base years, every rate, households. */
static void scenarios_secondary(const char *data_dir, struct report_result *r)
{
	static const char *const hh[] = { "us_households", NULL };
	struct tcsv_table src;
	struct seclist l;
	double *years = xcalloc(r->nsc ? r->nsc : 1, sizeof(double));

	r->sec_scenarios[0] = '\0';
	for (size_t i = 0; i < r->nsc; i++)
		years[i] = r->sc[i].year;
	if (sources_load(data_dir, &src) == 0) {
		memset(&l, 0, sizeof(l));
		sec_collect(data_dir, &src, "trade", "source", NULL, NULL, "year", years, r->nsc, &l);
		sec_collect(data_dir, &src, "tariffs", "source", NULL, NULL, NULL, NULL, 0, &l);
		sec_collect(data_dir, &src, "parameters", "source", "name", hh, NULL, NULL, 0, &l);
		sec_format(&l, r->sec_scenarios, sizeof(r->sec_scenarios));
		tcsv_table_release(&src);
	}
	free(years);
}

/*
** Secondary sources behind the claims figure: the ids each claim's result
** lists as secondary (claims_run.c, from sources.csv kind), by publisher.
*/
static void claims_secondary(const char *data_dir, struct report_result *r)
{
	struct tcsv_table src;
	struct seclist l;

	r->sec_claims[0] = '\0';
	if (sources_load(data_dir, &src))
		return;
	memset(&l, 0, sizeof(l));
	for (size_t i = 0; i < r->claims.n; i++)
		for (const char *p = r->claims.res[i].secondary; *p;) {
			const char *e = strchr(p, ';');
			size_t len = e ? (size_t)(e - p) : strlen(p), k = source_row(&src, p, len);
			char pub[160];
			const char *rep;
			if (k < src.nrows && !tcsv_is_missing(&src, SO_PUBLISHER, k))
				short_publisher(tcsv_text(&src, SO_PUBLISHER, k), pub, sizeof(pub));
			else
				snprintf(pub, sizeof(pub), "%.*s", (int)len, p);
			/* "CDC NCHS, as reported by Governing": the secondary publisher is the reporter */
			rep = strstr(pub, ", as reported by ");
			sec_add(&l, rep ? rep + 17 : *pub ? pub : "unknown publisher");
			p = e ? e + 1 : p + len;
		}
	sec_format(&l, r->sec_claims, sizeof(r->sec_claims));
	tcsv_table_release(&src);
}

/* ------------------------------------------------------------------ */
/* overdose trends (report.h)                                           */

static gsl_rng *rng_new(unsigned long seed)
{
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);

	if (!g)
		tc_die("out of memory allocating a random number generator");
	gsl_rng_set(g, seed);
	return g;
}

static const char *const series_label[REPORT_NSERIES] = { "all drugs", "synthetic opioids" };

static const char *series_key(int k)
{
	return k == REPORT_ALL_DRUGS ? "all_drugs" : "synthetic_opioids";
}

static void series_release(struct report_series *s)
{
	free(s->year);
	free(s->deaths);
	free(s->wonder);
	if (s->jp.models)
		jp_result_release(&s->jp);
	memset(s, 0, sizeof(*s));
}

void report_trends_release(struct report_trends *t)
{
	for (int k = 0; k < REPORT_NSERIES; k++)
		series_release(&t->s[k]);
}

/* The final series of overdose_annual.csv (data_overdose.h), every year present. */
int report_trends_compute(const char *data_dir, struct report_trends *t, struct tc_err *err)
{
	memset(t, 0, sizeof(*t));
	for (int k = 0; k < REPORT_NSERIES; k++) {
		struct report_series *s = &t->s[k];
		const char *key = series_key(k);
		struct od_series os;
		struct jp_options opt;
		gsl_rng *rng;
		size_t n;
		int rc;

		s->key = key;
		s->label = series_label[k];
		if (od_load_final(&os, data_dir, key, OD_DEATHS, err))
			goto fail;
		n = os.n;
		if (n < 3 || od_check_range(&os, 0, n - 1, 0, 1, err)) {
			if (n < 3)
				tc_fail(err, "series %s has %zu years; the trend needs at least 3", key, n);
			tc_err_prefix(err, "overdose_annual.csv");
			od_series_release(&os);
			goto fail;
		}
		s->n = n;
		s->year = xcalloc(n, sizeof(double));
		s->deaths = xcalloc(n, sizeof(double));
		s->wonder = xcalloc(n, 1);
		for (size_t i = 0; i < n; i++) {
			s->year[i] = (double)os.period[i];
			s->deaths[i] = os.y[i];
			s->wonder[i] = os.status && os.status[i] && !strcmp(os.status[i], "final_wonder");
		}
		od_series_release(&os);

		jp_options_init(&opt);
		rng = rng_new(REPORT_JP_SEED);
		rc = jp_analyze(s->year, s->deaths, n, &opt, rng, &s->jp, err);
		gsl_rng_free(rng);
		if (rc) {
			memset(&s->jp, 0, sizeof(s->jp));
			tc_err_prefix(err, "overdose_annual.csv: joinpoint fit of %s", key);
			goto fail;
		}
		s->jp.seed_used = REPORT_JP_SEED;
		if (jp_aapc(jp_selected_model(&s->jp), s->jp.level, s->year[0], s->year[n - 1],
			    &s->aapc, err)) {
			tc_err_prefix(err, "overdose_annual.csv: AAPC of %s", key);
			goto fail;
		}
	}
	return 0;
fail:
	report_trends_release(t);
	return -1;
}

/* ------------------------------------------------------------------ */
/* the parts                                                            */

/*
** One series of a selection (r->sel): k = 0 all drugs, 1 the indicator
** (synthetic opioids by default), through the overdose run layer, so the
** figure and `overdose change --state ...` read the same rows.
*/
static int vsrr_load_sel(const char *data_dir, const struct report_result *r, int k,
			 struct od_series *out, struct tc_err *err)
{
	struct run_od_series_opts so;
	struct run_od_series rs;
	int rc;

	run_od_series_opts_init(&so);
	so.data_dir = data_dir;
	so.what = "plot vsrr-12mo";
	so.source = OD_VSRR;
	so.sel = r->sel;
	so.sel.indicator = k == 0 ? "all_drugs" : r->sel.indicator ? r->sel.indicator : series_key(k);
	if (k == 1 && !strcmp(so.sel.indicator, "all_drugs"))
		return 0;	/* all drugs is series 0 already: leave this one empty */
	rc = run_overdose_series(&so, &rs, err);
	if (rc) {
		/*
		** --state alone: CDC publishes no synthetic opioid counts for
		** some states (Ohio in 2019); the figure shows all drugs only
		** and its source line says so (plot_recipes.c)
		*/
		if (k == 1 && !r->sel.indicator && rc == OD_NO_ROWS) {
			tc_err_init(err);
			return 0;
		}
		return -1;
	}
	*out = rs.s;	/* the series moves out of rs: not released here */
	return 0;
}

static int vsrr_load(const char *data_dir, struct report_result *r, struct tc_err *err)
{
	long first = 0, last = 0;
	int sel = r->sel.vintage || r->sel.state || r->sel.indicator;

	for (int k = 0; k < REPORT_NSERIES; k++)
		if (sel ? vsrr_load_sel(data_dir, r, k, &r->vsrr[k], err) :
		    od_load_vsrr(&r->vsrr[k], data_dir, series_key(k), err)) {
			for (int j = 0; j < k; j++) {
				od_series_release(&r->vsrr[j]);
				od_series_init(&r->vsrr[j]);
			}
			od_series_init(&r->vsrr[k]);
			return -1;
		}
	for (int k = 0; k < REPORT_NSERIES; k++)
		for (size_t i = 0; i < r->vsrr[k].n; i++) {
			long m = r->vsrr[k].period[i];
			if (!first || m < first)
				first = m;
			if (m > last)
				last = m;
		}
	r->vsrr_first = first;
	r->vsrr_last = last;
	return 0;
}

/* The effective tariff on China on the last day of each VSRR month (run_tariff.c). */
static int cn_rate_compute(const char *data_dir, struct report_result *r, struct tc_err *err)
{
	size_t nm;
	long *dates;
	int bad;

	if (!r->vsrr_first) {
		r->nmonths = 0;
		r->cn_rate = NULL;
		return 0;
	}
	nm = (size_t)(tc_month_index(r->vsrr_last) - tc_month_index(r->vsrr_first) + 1);
	dates = xcalloc(nm, sizeof(long));
	r->cn_rate = xcalloc(nm, sizeof(double));
	for (size_t i = 0; i < nm; i++) {
		long m = tc_month_from_index(tc_month_index(r->vsrr_first) + (long)i);
		dates[i] = m * 100 + tc_days_in_month(m / 100, m % 100);
	}
	bad = whatif_effective_series(data_dir, TARIFF_CN, dates, nm, r->cn_rate, err);
	free(dates);
	if (bad) {
		free(r->cn_rate);
		r->cn_rate = NULL;
		return -1;
	}
	r->nmonths = nm;
	return 0;
}

/*
** The Laffer curve of the headline scenario (REPORT_LAFFER_SCENARIO, the
** proposed 200% on China): the layer it changes swept over 0-300% with the
** baseline that scenario uses, a Monte Carlo band and the revenue maximum
** `tocalc tariff run` reports for it (run_tariff.c).
*/
static int laffer_compute(const char *data_dir, const char *dir, struct report_result *r,
			  struct tc_err *err)
{
	char *path;
	size_t len;
	int rc;

	if (!dir)
		return tc_fail(err, "tariff-laffer: no scenario directory (the headline scenario %s.scn "
			       "is not installed)", REPORT_LAFFER_SCENARIO);
	len = strlen(dir) + sizeof(REPORT_LAFFER_SCENARIO) + 8;
	path = xmalloc(len);
	snprintf(path, len, "%s/%s.scn", dir, REPORT_LAFFER_SCENARIO);
	rc = whatif_laffer(data_dir, path, REPORT_LAFFER_FROM, REPORT_LAFFER_TO, REPORT_LAFFER_STEP,
			   REPORT_LAFFER_DRAWS, REPORT_MC_SEED, &r->laffer, err);
	free(path);
	if (rc)
		return tc_err_prefix(err, "tariff-laffer");
	laffer_secondary(data_dir, r);
	return 0;
}

static void steps_release(struct report_steps *s)
{
	free(s->day);
	free(s->eff);
	memset(s, 0, sizeof(*s));
}

/* Next day of a yyyymmdd date. */
static long next_day(long d)
{
	return tc_date_of_days(tc_days_of(d) + 1);
}

/* Every partner's effective rate from REPORT_RATES_FROM to the timeline's last day, as steps. */
static int steps_compute(const char *data_dir, struct report_result *r, struct tc_err *err)
{
	struct tariff_timeline tl;
	struct tariff_coverage *cv = NULL;
	int ret = -1;

	if (tariff_timeline_load(&tl, data_dir, err))
		return -1;
	if (tariff_coverage_load(&cv, data_dir, err)) {
		tariff_timeline_release(&tl);
		return -1;
	}
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		struct report_steps *s = &r->steps[k];
		size_t cap = 64;
		double last = NAN;

		s->day = xmalloc(cap * sizeof(*s->day));
		s->eff = xmalloc(cap * sizeof(*s->eff));
		/* a step at every change of the rate, and the last day */
		for (long day = REPORT_RATES_FROM > tl.first ? REPORT_RATES_FROM : tl.first;
		     day <= tl.last; day = next_day(day)) {
			struct eff_stack st;
			if (tariff_effective_on(&tl, cv, k, day, &st, err))
				goto out;
			if (st.effective == last && day != tl.last)
				continue;
			if (s->n == cap) {
				cap *= 2;
				s->day = xrealloc(s->day, cap * sizeof(*s->day));
				s->eff = xrealloc(s->eff, cap * sizeof(*s->eff));
			}
			s->day[s->n] = day;
			s->eff[s->n++] = st.effective;
			last = st.effective;
		}
	}
	ret = 0;
out:
	if (ret)
		for (int k = 0; k < TARIFF_NPARTNERS; k++)
			steps_release(&r->steps[k]);
	tariff_coverage_free(cv);
	tariff_timeline_release(&tl);
	return ret;
}

/* ------------------------------------------------------------------ */
/* the data table: each dataset, its period and what the report used    */

/* What the report used from a dataset, beyond its period. */
static void dataset_note(const char *name, const struct tcsv_table *t, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!strcmp(name, "overdose_annual")) {
		double lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY };
		for (size_t i = 0; i < t->nrows; i++) {
			const char *st = tcsv_text(t, OA_STATUS, i);
			int k = st && !strcmp(st, "final_wonder");
			double y = tcsv_num(t, OA_YEAR, i);
			lo[k] = fmin(lo[k], y);
			hi[k] = fmax(hi[k], y);
		}
		size_t n = 0;
		for (int k = 0; k < 2; k++) {
			if (!isfinite(lo[k]) || n >= size)
				continue;
			n += (size_t)snprintf(buf + n, size - n, "%sfinal %s counts %.0f", n ? "; " : "",
					      k ? "CDC WONDER" : "NCHS", lo[k]);
			if (hi[k] > lo[k] && n < size)
				n += (size_t)snprintf(buf + n, size - n, "-%.0f", hi[k]);
		}
	} else if (!strcmp(name, "overdose_12mo")) {
		char v[11] = "", p[11] = "";
		for (size_t i = 0; i < t->nrows; i++) {
			const char *s = tcsv_text(t, O12_VINTAGE, i);
			const char *st = tcsv_text(t, O12_DATA_STATUS, i);
			if (s && strlen(s) == 10 && strcmp(s, v) > 0)
				memcpy(v, s, 11);
			if (st && !strcmp(st, "provisional")) {
				const char *m = tcsv_text(t, O12_PERIOD, i);
				if (m && strlen(m) < sizeof(p) && (!p[0] || strcmp(m, p) < 0))
					snprintf(p, sizeof(p), "%s", m);
			}
		}
		snprintf(buf, size, "CDC VSRR download of %s%s%s", v[0] ? v : "(unknown)",
			 p[0] ? "; provisional from " : "", p);
	} else if (!strcmp(name, "trade")) {
		int y = trade_latest_year(t);
		if (y)
			snprintf(buf, size, "scenario base year: %d (latest with CN, MX and CA imports)", y);
	} else if (!strcmp(name, "parameters")) {
		struct tariff_param p;
		size_t n = 0;
		static const char *const keys[] = { "import_demand_elasticity", "substitution_elasticity",
						     "us_households" };
		for (size_t k = 0; k < TC_ARRAY_SIZE(keys); k++)
			if (!tariff_param_get(t, keys[k], &p) && p.found && isfinite(p.value) && n < size)
				n += (size_t)snprintf(buf + n, size - n, "%s%s %.15g", n ? "; " : "", keys[k],
						      p.value);
	}
}

static int datasets_compute(const char *data_dir, struct report_result *r, struct tc_err *err)
{
	size_t n;
	const struct dataset_info *all = datasets_all(&n);

	r->datasets = xcalloc(n ? n : 1, sizeof(*r->datasets));
	r->ndatasets = 0;
	for (size_t i = 0; i < n; i++) {
		struct report_dataset *ds = &r->datasets[r->ndatasets];
		struct tcsv_table tab;

		if (!strcmp(all[i].name, "sources"))
			continue;
		if (dataset_load(&tab, data_dir, all[i].name, err)) {
			free(r->datasets);
			r->datasets = NULL;
			r->ndatasets = 0;
			return -1;
		}
		ds->file = all[i].file;
		ds->rows = tab.nrows;
		dataset_period(&all[i], &tab, ds->first, ds->last, sizeof(ds->first));
		dataset_note(all[i].name, &tab, ds->note, sizeof(ds->note));
		tcsv_table_release(&tab);
		r->ndatasets++;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* the result                                                           */

void report_result_init(struct report_result *r)
{
	memset(r, 0, sizeof(*r));
	for (int k = 0; k < REPORT_NSERIES; k++)
		od_series_init(&r->vsrr[k]);
}

int report_run(const char *data_dir, const char *scen_dir, const char *laffer_dir, unsigned need,
	       struct report_result *r, struct tc_err *err)
{
	if (need & RR_CN_RATE)
		need |= RR_VSRR;
	need &= ~r->have;
	if (need & RR_TRENDS) {
		if (report_trends_compute(data_dir, &r->tr, err))
			return -1;
		r->have |= RR_TRENDS;
	}
	if (need & RR_VSRR) {
		if (vsrr_load(data_dir, r, err))
			return -1;
		r->have |= RR_VSRR;
	}
	if (need & RR_EVENTS) {
		if (dataset_load(&r->events, data_dir, "events", err))
			return -1;
		r->have |= RR_EVENTS;
	}
	if (need & RR_CN_RATE) {
		if (cn_rate_compute(data_dir, r, err))
			return -1;
		r->have |= RR_CN_RATE;
	}
	if (need & RR_LAFFER) {
		if (laffer_compute(data_dir, laffer_dir, r, err))
			return -1;
		r->have |= RR_LAFFER;
	}
	if (need & RR_SCENARIOS) {
		if (!scen_dir)
			return tc_failc(err, TC_EXIT_USAGE, "plot scenarios: cannot find the scenarios "
					"directory; give --scenarios DIR");
		if (report_scenarios_run(data_dir, scen_dir, &r->sc, &r->nsc, err))
			return -1;
		scenarios_secondary(data_dir, r);
		r->have |= RR_SCENARIOS;
	}
	if (need & RR_CLAIMS) {
		if (claims_run(&r->claims, data_dir, NULL, 0, err))
			return -1;
		claims_secondary(data_dir, r);
		r->have |= RR_CLAIMS;
	}
	if (need & RR_RATES) {
		if (steps_compute(data_dir, r, err))
			return -1;
		r->have |= RR_RATES;
	}
	if (need & RR_DATA) {
		if (datasets_compute(data_dir, r, err))
			return -1;
		r->have |= RR_DATA;
	}
	if (need & RR_SOURCES) {
		sources_compute(data_dir, r);
		r->have |= RR_SOURCES;
	}
	return 0;
}

void report_result_release(struct report_result *r)
{
	if (r->have & RR_TRENDS)
		report_trends_release(&r->tr);
	for (int k = 0; k < REPORT_NSERIES; k++)
		od_series_release(&r->vsrr[k]);
	if (r->have & RR_EVENTS)
		tcsv_table_release(&r->events);
	free(r->cn_rate);
	if (r->have & RR_LAFFER)
		whatif_laffer_release(&r->laffer);
	report_scenarios_free(r->sc, r->nsc);
	if (r->have & RR_CLAIMS)
		claims_run_release(&r->claims);
	for (int k = 0; k < TARIFF_NPARTNERS; k++)
		steps_release(&r->steps[k]);
	free(r->datasets);
	report_result_init(r);
}

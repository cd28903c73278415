/*
** data_validate.c: dataset rules beyond the schema (sources, gaps, order).
*/
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/model_claims.h"
#include "tocalc/data_claims.h"
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int source_known(const struct tcsv_table *sources, const char *id, size_t len)
{
	for (size_t i = 0; i < sources->nrows; i++) {
		const char *s = sources->cols[SO_ID].text[i];
		if (s && strlen(s) == len && !strncmp(s, id, len))
			return 1;
	}
	return 0;
}

/* Each ';'-separated id in `list` must be a sources.csv id. */
static int check_sources(const struct tcsv_table *t, size_t col, size_t row,
			 const struct tcsv_table *sources, struct tc_err *err)
{
	const char *p = t->cols[col].text[row];

	if (!p || !sources)
		return 0;
	while (*p) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *a = p, *b = p + len;
		while (a < b && *a == ' ')
			a++;
		while (b > a && b[-1] == ' ')
			b--;
		if (b == a)
			return tc_fail(err, "%s:%ld:%zu: column '%s': empty source id", t->path,
				       t->lines[row], col + 1, t->schema->cols[col].name);
		if (!source_known(sources, a, (size_t)(b - a)))
			return tc_fail(err, "%s:%ld:%zu: column '%s': source '%.*s' is not in sources.csv",
				       t->path, t->lines[row], col + 1, t->schema->cols[col].name,
				       (int)(b - a), a);
		p = end ? end + 1 : b;
	}
	return 0;
}

/* A value and its source come together: a missing value has no source. */
static int check_pair(const struct tcsv_table *t, size_t row, size_t vcol, size_t scol,
		      struct tc_err *err)
{
	int has_v = !t->cols[vcol].missing[row];
	int has_s = !t->cols[scol].missing[row];

	if (has_v && !has_s)
		return tc_fail(err, "%s:%ld: column '%s' has a value but '%s' names no source",
			       t->path, t->lines[row], t->schema->cols[vcol].name,
			       t->schema->cols[scol].name);
	if (!has_v && has_s)
		return tc_fail(err, "%s:%ld: column '%s' is missing but '%s' names a source",
			       t->path, t->lines[row], t->schema->cols[vcol].name,
			       t->schema->cols[scol].name);
	return 0;
}

/* [a0, a1) and [b0, b1) intersect; 0 = open end; empty intervals never do. */
static int overlaps(double a0, double a1, double b0, double b1)
{
	double ae = isnan(a1) ? 1e9 : a1, be = isnan(b1) ? 1e9 : b1;

	return a0 < ae && b0 < be && a0 < be && b0 < ae;
}

static int same_text(const struct tcsv_table *t, size_t col, size_t i, size_t j)
{
	const char *a = t->cols[col].text[i], *b = t->cols[col].text[j];

	return a && b && !strcmp(a, b);
}

/*
** tariffs.csv: two rows of one partner and layer that are ever in force
** (status neither proposed nor suspended) may not overlap in time: the
** timeline would hold two rates for the same layer on one day.
*/
static int check_tariff_overlap(const struct tcsv_table *t, struct tc_err *err)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const char *si = t->cols[TF_STATUS].text[i];
		if (!strcmp(si, "proposed") || !strcmp(si, "suspended"))
			continue;
		for (size_t j = 0; j < i; j++) {
			const char *sj = t->cols[TF_STATUS].text[j];
			if (!strcmp(sj, "proposed") || !strcmp(sj, "suspended"))
				continue;
			if (!same_text(t, TF_PARTNER, i, j) || !same_text(t, TF_LAYER, i, j))
				continue;
			if (overlaps(t->cols[TF_EFFECTIVE].num[i], t->cols[TF_END].num[i],
				     t->cols[TF_EFFECTIVE].num[j], t->cols[TF_END].num[j]))
				return tc_fail(err, "%s:%ld:%d: column 'effective': layer '%s' for %s "
					       "overlaps the row on line %ld (%s to %s): two rates in force "
					       "on one day", t->path, t->lines[i], TF_EFFECTIVE + 1,
					       t->cols[TF_LAYER].text[i], t->cols[TF_PARTNER].text[i],
					       t->lines[j], t->cols[TF_EFFECTIVE].text[j],
					       t->cols[TF_END].text[j] ? t->cols[TF_END].text[j] : "open");
		}
	}
	return 0;
}

/* tariff_coverage.csv: one share per partner, layer, scope and day. */
static int check_coverage(const struct tcsv_table *t, struct tc_err *err)
{
	for (size_t i = 0; i < t->nrows; i++) {
		if (!t->cols[CV_END].missing[i] && t->cols[CV_END].num[i] <= t->cols[CV_START].num[i])
			return tc_fail(err, "%s:%ld:%d: column 'end': %s is not after the start %s",
				       t->path, t->lines[i], CV_END + 1, t->cols[CV_END].text[i],
				       t->cols[CV_START].text[i]);
		for (size_t j = 0; j < i; j++) {
			if (!same_text(t, CV_PARTNER, i, j) || !same_text(t, CV_LAYER, i, j) ||
			    !same_text(t, CV_SCOPE, i, j))
				continue;
			if (overlaps(t->cols[CV_START].num[i], t->cols[CV_END].num[i],
				     t->cols[CV_START].num[j], t->cols[CV_END].num[j]))
				return tc_fail(err, "%s:%ld:%d: column 'start': layer '%s' (%s) for %s "
					       "overlaps the row on line %ld: two shares on one day",
					       t->path, t->lines[i], CV_START + 1, t->cols[CV_LAYER].text[i],
					       t->cols[CV_SCOPE].text[i], t->cols[CV_PARTNER].text[i],
					       t->lines[j]);
		}
	}
	return 0;
}

/* Rows of each series must cover consecutive periods (years or month indexes). */
static int check_contiguous(const struct tcsv_table *t, size_t pcol, size_t scol, int months,
			    struct tc_err *err)
{
	for (size_t s = 0; series_values[s]; s++) {
		long lo = 0, hi = 0, n = 0;
		for (size_t i = 0; i < t->nrows; i++) {
			long p;
			if ((size_t)t->cols[scol].num[i] != s)
				continue;
			p = (long)t->cols[pcol].num[i];
			if (months)
				p = tc_month_index(p);
			if (!n || p < lo)
				lo = p;
			if (!n || p > hi)
				hi = p;
			n++;
		}
		if (n && hi - lo + 1 != n)
			return tc_fail(err, "%s: series '%s' has gaps (%ld rows for %ld periods)",
				       t->path, series_values[s], n, hi - lo + 1);
	}
	return 0;
}

/*
** claims.csv: every row (claim_from_row), and the tariff claims against the
** tariffs.csv beside it, the timeline `tocalc check` uses: a layer or date
** that is not there is this file's error, found here rather than by check.
** Without a tariffs.csv beside it (a claims file alone, as in fuzzing) only
** the rows are checked; `data validate` reports a missing tariffs.csv itself.
*/
static int check_claims(const struct tcsv_table *t, struct tc_err *err)
{
	struct tariff_timeline tl;
	const char *slash = strrchr(t->path, '/');
	char *tpath;
	int have_tl = 0, rc = 0;
	struct tc_err e;

	for (size_t i = 0; i < t->nrows; i++) {
		struct claim c;
		if (claim_from_row(t, i, &c, err))
			return -1;
	}
	tpath = xmalloc(strlen(t->path) + 16);
	sprintf(tpath, "%.*stariffs.csv", slash ? (int)(slash - t->path + 1) : 0, t->path);
	tc_err_init(&e);
	if (access(tpath, F_OK)) {
		free(tpath);
		return 0;
	}
	for (size_t i = 0; i < t->nrows && !rc; i++) {
		struct claim c;
		claim_from_row(t, i, &c, err);
		if (c.method != CM_TARIFF_IN_FORCE && c.method != CM_TARIFF_PROPOSED)
			continue;
		if (!have_tl && tariff_timeline_load_file(&tl, tpath, &e)) {
			rc = tc_fail(err, "%s:%ld: claim '%s': cannot be checked against the tariff "
				     "timeline: %s", t->path, c.line, c.id, e.msg);
			break;
		}
		have_tl = 1;
		rc = claim_check_timeline(&c, t->path, &tl, err);
	}
	if (have_tl)
		tariff_timeline_release(&tl);
	free(tpath);
	return rc;
}

int dataset_check(const struct dataset_info *d, const struct tcsv_table *t,
		  const struct tcsv_table *sources, struct tc_err *err)
{
	const struct tcsv_schema *s = d->schema;

	for (size_t k = 0; d->source_cols && d->source_cols[k]; k++) {
		int col = tcsv_col_index(s, d->source_cols[k]);
		if (col < 0)
			continue;
		for (size_t i = 0; i < t->nrows; i++)
			if (check_sources(t, (size_t)col, i, sources, err))
				return -1;
	}
	if (s == &schema_overdose_annual) {
		for (size_t i = 0; i < t->nrows; i++)
			if (check_pair(t, i, OA_DEATHS, OA_DEATHS_SOURCE, err) ||
			    check_pair(t, i, OA_RATE, OA_RATE_SOURCE, err))
				return -1;
		return check_contiguous(t, OA_YEAR, OA_SERIES, 0, err);
	}
	if (s == &schema_overdose_12mo) {
		for (size_t i = 1; i < t->nrows; i++)
			if (strcmp(t->cols[O12_VINTAGE].text[i], t->cols[O12_VINTAGE].text[0]))
				return tc_fail(err, "%s:%ld: vintage %s differs from %s on line %ld",
					       t->path, t->lines[i], t->cols[O12_VINTAGE].text[i],
					       t->cols[O12_VINTAGE].text[0], t->lines[0]);
		return check_contiguous(t, O12_PERIOD, O12_SERIES, 1, err);
	}
	if (s == &schema_tariffs) {
		for (size_t i = 0; i < t->nrows; i++) {
			if (!t->cols[TF_END].missing[i] &&
			    t->cols[TF_END].num[i] < t->cols[TF_EFFECTIVE].num[i])
				/* end == effective is allowed: scheduled but never in force */
				return tc_fail(err, "%s:%ld:%d: column 'end': %s is before the effective date %s",
					       t->path, t->lines[i], TF_END + 1, t->cols[TF_END].text[i],
					       t->cols[TF_EFFECTIVE].text[i]);
		}
		return check_tariff_overlap(t, err);
	}
	if (s == &schema_coverage)
		return check_coverage(t, err);
	if (s == &schema_claims)
		return check_claims(t, err);
	if (s == &schema_parameters)
		return parameters_check(t, err);
	if (s == &schema_trade) {
		for (size_t i = 0; i < t->nrows; i++)
			if (check_pair(t, i, TR_VALUE_MUSD, TR_SOURCE, err))
				return -1;
		return 0;
	}
	return 0;
}

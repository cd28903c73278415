/*
** data_claims.c: claims.csv rows -> checked struct claim.
** A claim whose method, series or window does not make sense is an
** error naming the line: claims are strict data, never silently skipped.
*/
#include "tocalc/model_claims.h"
#include "tocalc/data_claims.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"

#include <math.h>
#include <string.h>

static int is_year(const char *s)
{
	long y;
	return s && strlen(s) == 4 && tc_parse_long(s, &y) == 0 && y >= 1900 && y <= 2199;
}

static int is_month(const char *s)
{
	long m;
	return s && tc_parse_month(s, &m) == 0;
}

static int is_date(const char *s)
{
	long d;
	return s && tc_parse_date(s, &d) == 0;
}

static int known_series(const char *s)
{
	for (size_t i = 0; s && series_values[i]; i++)
		if (!strcmp(series_values[i], s))
			return 1;
	return 0;
}

/* "MX;CA": every part a trade partner code. */
static int known_partners(const char *s)
{
	if (!s || !*s)
		return 0;
	while (*s) {
		const char *e = strchr(s, ';');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (!(n == 2 && (!strncmp(s, "CN", 2) || !strncmp(s, "MX", 2) || !strncmp(s, "CA", 2))))
			return 0;
		s = e ? e + 1 : s + n;
	}
	return 1;
}

int claim_from_row(const struct tcsv_table *t, size_t i, struct claim *c, struct tc_err *err)
{
	const char *file = t->path;
	long line = t->lines[i];
	int (*period_ok)(const char *) = NULL;
	const char *what = NULL;

	memset(c, 0, sizeof(*c));
	c->line = line;
	c->id = t->cols[CL_ID].text[i];
	c->document = t->cols[CL_DOCUMENT].text[i];
	c->said_on = t->cols[CL_SAID_ON].text[i];
	c->quote = t->cols[CL_QUOTE].text[i];
	c->series = t->cols[CL_SERIES].text[i];
	c->layer = t->cols[CL_LAYER].text[i];
	c->from = t->cols[CL_FROM].text[i];
	c->to = t->cols[CL_TO].text[i];
	c->release_source = t->cols[CL_RELEASE_SOURCE].text[i];
	c->source = t->cols[CL_SOURCE].text[i];
	c->note = t->cols[CL_NOTE].text[i];
	c->claimed = t->cols[CL_CLAIMED].num[i];
	c->tolerance = t->cols[CL_TOLERANCE].num[i];
	c->release_from = t->cols[CL_RELEASE_FROM].num[i];
	c->release_to = t->cols[CL_RELEASE_TO].num[i];
	c->unit = (enum claim_unit)t->cols[CL_UNIT].num[i];
	c->cmp = (enum claim_comparator)t->cols[CL_COMPARATOR].num[i];
	c->method = (enum claim_method)t->cols[CL_METHOD].num[i];
	c->measure = (enum claim_measure)t->cols[CL_MEASURE].num[i];

#define BAD(...) return tc_fail(err, __VA_ARGS__)
	switch (c->method) {
	case CM_CANNOT_CHECK:
		if (c->measure != CME_NONE)
			BAD("%s:%ld: claim '%s': method cannot_check takes measure none", file, line, c->id);
		if (!c->note)
			BAD("%s:%ld: claim '%s': say in 'note' why it cannot be checked", file, line, c->id);
		return 0;
	case CM_TARIFF_IN_FORCE:
	case CM_TARIFF_PROPOSED:
		if (c->measure != CME_TARIFF)
			BAD("%s:%ld: claim '%s': a tariff method takes measure tariff", file, line, c->id);
		if (!known_partners(c->series))
			BAD("%s:%ld: claim '%s': column 'series': expected partners CN, MX or CA separated by ';', got \"%s\"",
			    file, line, c->id, c->series ? c->series : "");
		if (c->method == CM_TARIFF_IN_FORCE && !c->layer)
			BAD("%s:%ld: claim '%s': tariff_in_force needs a 'layer'", file, line, c->id);
		if (!is_date(c->from) || (c->to && !is_date(c->to)))
			BAD("%s:%ld: claim '%s': 'from' and 'to' must be dates YYYY-MM-DD", file, line, c->id);
		if (c->to && strcmp(c->to, c->from) < 0)
			BAD("%s:%ld:%d: claim '%s': column 'to': %s is before 'from' %s", file, line,
			    CL_TO + 1, c->id, c->to, c->from);
		break;
	default:
		if (!known_series(c->series))
			BAD("%s:%ld: claim '%s': column 'series': unknown series \"%s\" (expected all_drugs or synthetic_opioids)",
			    file, line, c->id, c->series ? c->series : "");
		if (c->measure == CME_VSRR) {
			period_ok = is_month;
			what = "months YYYY-MM";
			if (c->method != CM_PCT_CHANGE && c->method != CM_ANNUAL_VALUE)
				BAD("%s:%ld: claim '%s': VSRR data support pct_change and annual_value only",
				    file, line, c->id);
		} else if (c->measure == CME_FINAL) {
			period_ok = is_year;
			what = "years YYYY";
		} else {
			BAD("%s:%ld: claim '%s': method %s needs measure final or vsrr", file, line, c->id,
			    claim_method_names[c->method]);
		}
		if (!period_ok(c->from))
			BAD("%s:%ld: claim '%s': column 'from': expected %s, got \"%s\"", file, line, c->id,
			    what, c->from ? c->from : "");
		if (c->method != CM_ANNUAL_VALUE && (!period_ok(c->to) || strcmp(c->from, c->to) >= 0))
			BAD("%s:%ld: claim '%s': column 'to': expected %s after 'from', got \"%s\"", file,
			    line, c->id, what, c->to ? c->to : "");
		break;
	}
	/* a layer names a tariff layer and only a tariff_in_force claim has one */
	if (c->layer && c->method != CM_TARIFF_IN_FORCE)
		BAD("%s:%ld:%d: claim '%s': column 'layer': only a tariff_in_force claim names a "
		    "layer, got \"%s\"", file, line, CL_LAYER + 1, c->id, c->layer);
	if (c->layer && (!*c->layer || strspn(c->layer, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
			 strlen(c->layer)))
		BAD("%s:%ld:%d: claim '%s': column 'layer': expected a layer name of tariffs.csv "
		    "(lower-case letters, digits, '_'), got \"%s\"", file, line, CL_LAYER + 1, c->id,
		    c->layer);
	if (c->unit == CU_DEATHS && !isnan(c->claimed) && !(c->claimed >= 0))
		BAD("%s:%ld:%d: claim '%s': column 'claimed': a number of deaths is not negative, "
		    "got %g", file, line, CL_CLAIMED + 1, c->id, c->claimed);
	if (c->method != CM_FIRST_DECLINE_SINCE && isnan(c->claimed))
		BAD("%s:%ld: claim '%s': column 'claimed' is missing", file, line, c->id);
	if (isnan(c->release_from) != isnan(c->release_to) ||
	    (!isnan(c->release_from) && !c->release_source))
		BAD("%s:%ld: claim '%s': release_from, release_to and release_source come together",
		    file, line, c->id);
	if (c->unit == CU_NONE && c->method != CM_FIRST_DECLINE_SINCE && c->method != CM_CANNOT_CHECK)
		BAD("%s:%ld: claim '%s': unit none only fits first_decline_since and cannot_check",
		    file, line, c->id);
#undef BAD
	return 0;
}

int claim_check_timeline(const struct claim *c, const char *file, const struct tariff_timeline *tl,
			 struct tc_err *err)
{
	const char *dates[2] = { c->from, c->to };
	const int cols[2] = { CL_FROM + 1, CL_TO + 1 };
	const char *p = c->series;
	char a[16], b[16];

	if (c->method != CM_TARIFF_IN_FORCE && c->method != CM_TARIFF_PROPOSED)
		return 0;
	for (int k = 0; k < 2; k++) {
		long d;
		if (!dates[k] || tc_parse_date(dates[k], &d))
			continue;
		if (d < tl->first || d > tl->last)
			return tc_fail(err, "%s:%ld:%d: claim '%s': column '%s': %s is outside the tariff "
				       "timeline of '%s' (%s to %s)", file, c->line, cols[k], c->id,
				       k ? "to" : "from", dates[k], tl->table.path,
				       tc_format_date(tl->first, a), tc_format_date(tl->last, b));
	}
	if (c->method != CM_TARIFF_IN_FORCE || !c->layer)
		return 0;
	/* every partner named must have a row of the layer (its own or ALL's) */
	while (p && *p) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int known = 0;
		for (size_t i = 0; i < tl->nrows && !known; i++) {
			const struct tariff_row *r = &tl->rows[i];
			known = !strcmp(r->layer, c->layer) &&
				((strlen(r->partner) == n && !strncmp(r->partner, p, n)) ||
				 !strcmp(r->partner, "ALL"));
		}
		if (!known)
			return tc_fail(err, "%s:%ld:%d: claim '%s': column 'layer': no layer '%s' for %.*s "
				       "in '%s'", file, c->line, CL_LAYER + 1, c->id, c->layer, (int)n, p,
				       tl->table.path);
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/*
** data_trade.c: base imports by partner and year (trade.csv) and the
** tariff-model parameters (parameters.csv).  Contract: data_tariffs.h.
*/
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"

#include <limits.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------- trade */

int trade_base_get(const struct tcsv_table *t, int year, struct trade_base *tb)
{
	static const char *const codes[] = { "CN", "MX", "CA", "ROW" };
	int rank[TARIFF_NPARTNERS];	/* 0 none, 1 consumption or derived (ROW), 2 general */

	memset(tb, 0, sizeof(*tb));
	tb->year = year;
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		tb->m0[k] = NAN;
		rank[k] = 0;
	}
	for (size_t i = 0; i < t->nrows; i++) {
		const char *partner, *basis;
		int k = -1, r;
		if ((int)tcsv_num(t, TR_YEAR, i) != year || strcmp(tcsv_text(t, TR_FLOW, i), "imports"))
			continue;
		partner = tcsv_text(t, TR_PARTNER, i);
		basis = tcsv_text(t, TR_BASIS, i);
		for (int j = 0; j < TARIFF_NPARTNERS; j++)
			if (!strcmp(partner, codes[j]))
				k = j;
		if (k < 0)
			continue;
		r = !strcmp(basis, "census_general") ? 2 : !strcmp(basis, "census_consumption") ? 1 : 0;
		/* the rest of the world is a total less CN, MX and CA: derived */
		if (k == TARIFF_ROW && !r && !strcmp(basis, "derived"))
			r = 1;
		if (!r)
			continue;
		if (!tb->line[k])
			tb->line[k] = t->lines[i];
		if (tcsv_is_missing(t, TR_VALUE_MUSD, i) || r <= rank[k])
			continue;
		rank[k] = r;
		tb->m0[k] = tcsv_num(t, TR_VALUE_MUSD, i);
		tb->basis[k] = basis;
		tb->source[k] = tcsv_text(t, TR_SOURCE, i);
		tb->line[k] = t->lines[i];
	}
	return 0;
}

/*
** The years from the latest down, each read once (trade_base_get of every
** row's year made it O(rows^2)): the first with the three values is the
** latest such year.
*/
int trade_latest_year(const struct tcsv_table *t)
{
	int below = INT_MAX;

	for (;;) {
		int y = 0;
		struct trade_base tb;
		for (size_t i = 0; i < t->nrows; i++) {
			int v = (int)tcsv_num(t, TR_YEAR, i);
			if (v > y && v < below)
				y = v;
		}
		if (y <= 0)
			return 0;
		trade_base_get(t, y, &tb);
		if (isfinite(tb.m0[TARIFF_CN]) && isfinite(tb.m0[TARIFF_MX]) && isfinite(tb.m0[TARIFF_CA]))
			return y;
		below = y;
	}
}

/* -------------------------------------------------------- parameters */

/*
** The domain of each parameter tocalc reads or ships (the note column of
** datasets/parameters.csv says what each is).  Bounds are inclusive unless
** the open flag says otherwise; `whole`: an integer.  A name not listed is
** checked by its unit: a share in [0, 1], a probability in (0, 1), a count a
** whole number >= 0.
*/
#define LO_OPEN 1
#define HI_OPEN 2
static const struct param_range {
	const char *name;
	double lo, hi;
	int open, whole;
	const char *what;
} param_ranges[] = {
	{ "pass_through_border", 0, 1, 0, 0, "a share in [0, 1]" },
	{ "import_demand_elasticity", 0, INFINITY, LO_OPEN, 0,
	  "a magnitude greater than 0" },
	{ "substitution_elasticity", 0, INFINITY, 0, 0, "an elasticity of at least 0" },
	{ "export_supply_elasticity", 0, INFINITY, LO_OPEN, 0,
	  "an elasticity greater than 0 (empty: infinite)" },
	{ "retail_pass_through_core_goods", 0, INFINITY, 0, 0, "a pass-through of at least 0" },
	{ "retail_pass_through_durables", 0, INFINITY, 0, 0, "a pass-through of at least 0" },
	{ "us_buyer_incidence_2025_jan_aug", 0, 1, 0, 0, "a share in [0, 1]" },
	{ "yale_inflation_2024_2025", -1, INFINITY, LO_OPEN, 0, "an inflation rate above -1" },
	{ "avg_duty_2024_cn_pct", 0, 10000, 0, 0, "a duty rate from 0 to 10,000%" },
	{ "avg_duty_2024_mx_pct", 0, 10000, 0, 0, "a duty rate from 0 to 10,000%" },
	{ "avg_duty_2024_ca_pct", 0, 10000, 0, 0, "a duty rate from 0 to 10,000%" },
	{ "joinpoint_permutations", 1, INFINITY, 0, 1, "a whole number of at least 1" },
	{ "joinpoint_alpha", 0, 1, LO_OPEN | HI_OPEN, 0, "a probability in (0, 1)" },
	{ "import_content_pce", 0, 1, 0, 0, "a share in [0, 1]" },
	{ "pce_annual", 0, INFINITY, LO_OPEN, 0, "an amount greater than 0" },
};

static int in_range(double v, double lo, double hi, int open, int whole)
{
	if (whole && v != floor(v))
		return 0;
	return ((open & LO_OPEN) ? v > lo : v >= lo) && ((open & HI_OPEN) ? v < hi : v <= hi);
}

int parameters_check(const struct tcsv_table *t, struct tc_err *err)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const char *name = tcsv_text(t, PA_NAME, i), *unit = tcsv_text(t, PA_UNIT, i);
		double v = tcsv_num(t, PA_VALUE, i);
		long line = t->lines[i];
		const struct param_range *r = NULL;
		struct param_range byunit = { NULL, 0, 0, 0, 0, NULL };

		if (!strcmp(name, "us_households")) {
			/* a count of households, written as households or millions of them */
			int million = unit && strstr(unit, "million") != NULL;
			if (!unit || (!million && strcmp(unit, "households")))
				return tc_fail(err, "%s:%ld:%d: column 'unit': parameter 'us_households': "
					       "expected 'households' or 'million households', got '%s'",
					       t->path, line, PA_UNIT + 1, unit ? unit : "");
			if (tcsv_is_missing(t, PA_VALUE, i) ||
			    !(million ? v * 1e6 >= 1 && v * 1e6 == floor(v * 1e6) : v >= 1 && v == floor(v)))
				return tc_fail(err, "%s:%ld:%d: column 'value': parameter 'us_households': "
					       "expected a whole number of households, at least 1%s, got %.17g",
					       t->path, line, PA_VALUE + 1,
					       million ? " (in millions: a multiple of 0.000001)" : "", v);
			continue;
		}
		if (tcsv_is_missing(t, PA_VALUE, i))
			continue;	/* missing stays missing; a parameter needed says so when read */
		for (size_t k = 0; k < TC_ARRAY_SIZE(param_ranges) && !r; k++)
			if (!strcmp(param_ranges[k].name, name))
				r = &param_ranges[k];
		if (!r && unit) {
			if (!strcmp(unit, "share"))
				byunit = (struct param_range){ name, 0, 1, 0, 0, "a share in [0, 1]" };
			else if (!strcmp(unit, "probability"))
				byunit = (struct param_range){ name, 0, 1, LO_OPEN | HI_OPEN, 0,
							       "a probability in (0, 1)" };
			else if (!strcmp(unit, "count"))
				byunit = (struct param_range){ name, 0, INFINITY, 0, 1,
							       "a whole number of at least 0" };
			if (byunit.name)
				r = &byunit;
		}
		if (r && !in_range(v, r->lo, r->hi, r->open, r->whole))
			return tc_fail(err, "%s:%ld:%d: column 'value': parameter '%s': expected %s, got %.17g",
				       t->path, line, PA_VALUE + 1, name, r->what, v);
	}
	return 0;
}

int tariff_param_get(const struct tcsv_table *t, const char *name, struct tariff_param *out)
{
	memset(out, 0, sizeof(*out));
	out->value = NAN;
	for (size_t i = 0; i < t->nrows; i++) {
		if (strcmp(tcsv_text(t, PA_NAME, i), name))
			continue;
		out->found = 1;
		out->value = tcsv_is_missing(t, PA_VALUE, i) ? NAN : tcsv_num(t, PA_VALUE, i);
		out->unit = tcsv_text(t, PA_UNIT, i);
		out->source = tcsv_text(t, PA_SOURCE, i);
		out->note = tcsv_text(t, PA_NOTE, i);
		return 0;
	}
	return -1;
}

static int need(const struct tcsv_table *t, const char *name, struct tariff_param *p,
		int allow_empty, struct tc_err *err)
{
	if (tariff_param_get(t, name, p))
		return tc_fail(err, "%s: no parameter '%s'", t->path, name);
	if (!allow_empty && !isfinite(p->value))
		return tc_fail(err, "%s: parameter '%s' has no value", t->path, name);
	return 0;
}

int tariff_params_from_table(const struct tcsv_table *t, struct tariff_params *p,
			     struct tariff_param_sources *src, struct tc_err *err)
{
	struct tariff_param e, s, x, pt, h;

	if (parameters_check(t, err))
		return -1;
	if (need(t, "import_demand_elasticity", &e, 0, err) ||
	    need(t, "substitution_elasticity", &s, 0, err) ||
	    need(t, "export_supply_elasticity", &x, 1, err) ||
	    need(t, "pass_through_border", &pt, 0, err) || need(t, "us_households", &h, 0, err))
		return -1;
	p->eps = fabs(e.value);
	p->sigma = s.value;
	p->ex = isfinite(x.value) ? x.value : INFINITY;
	p->pass_through = pt.value;
	if (h.unit && strstr(h.unit, "million"))
		p->households = h.value * 1e6;
	else if (h.unit && !strcmp(h.unit, "households"))
		p->households = h.value;
	else
		return tc_fail(err, "%s: parameter 'us_households': unit '%s' not understood "
			       "(expected 'households' or 'million households')", t->path,
			       h.unit ? h.unit : "");
	if (p->eps <= 0 || p->sigma < 0 || p->ex <= 0 || p->pass_through < 0 || p->pass_through > 1 ||
	    p->households <= 0)
		return tc_fail(err, "%s: a tariff model parameter is out of range", t->path);
	/* optional: the economy-wide price effect (issue 13 item 7); missing = NAN */
	{
		struct tariff_param q;
		p->import_share_pce = tariff_param_get(t, "import_content_pce", &q) ? NAN : q.value;
		p->pce = tariff_param_get(t, "pce_annual", &q) ? NAN : q.value;
	}
	if (src) {
		src->eps = e.source;
		src->sigma = s.source;
		src->ex = x.source;
		src->pass_through = pt.source;
		src->households = h.source;
	}
	return 0;
}

/*
** scenario_resolve.c: a parsed scenario file (scenario.c) against the
** tariff timeline and trade.csv.  `tocalc tariff run` and the report's
** scenarios both call this, so the two cannot drift apart.
*/
#include "tocalc/tariffs.h"

#include <math.h>
#include <string.h>

void scenario_needs(const struct scenario *sc, int *trade, int *timeline)
{
	*trade = *timeline = 0;
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct scenario_partner *sp = &sc->p[k];
		if (!sp->set)
			continue;
		if (!isfinite(sp->imports) && k != TARIFF_ROW)
			*trade = 1;
		if (!isfinite(sp->base_rate) || sp->nlayers)
			*timeline = 1;
	}
}

static int imports_of(const struct scenario *sc, int k, struct scenario_markets *out,
		      double *m0, struct tc_err *err)
{
	const struct scenario_partner *sp = &sc->p[k];

	if (isfinite(sp->imports)) {
		out->imports_from_file[k] = 1;
		*m0 = sp->imports;
		return 0;
	}
	if (k == TARIFF_ROW)
		return tc_fail(err, "%s:%ld: partner ROW needs 'imports V' (trade.csv has no world total)",
			       sc->path, sp->line);
	if (!isfinite(out->tb.m0[k])) {
		if (out->tb.line[k])
			return tc_fail(err, "%s:%ld: no Census import value from %s for %d in trade.csv "
				       "(line %ld); add 'imports V' to the partner line", sc->path,
				       sp->line, tariff_partner_code(k), out->year, out->tb.line[k]);
		return tc_fail(err, "%s:%ld: no Census import value from %s for %d in trade.csv; add "
			       "'imports V' to the partner line", sc->path, sp->line,
			       tariff_partner_code(k), out->year);
	}
	*m0 = out->tb.m0[k];
	return 0;
}

static int rate_before(const struct scenario *sc, int k, const struct tariff_timeline *tl,
		       int as_of_given, struct scenario_markets *out, double *t0,
		       struct tc_err *err)
{
	const struct scenario_partner *sp = &sc->p[k];

	if (isfinite(sp->base_rate)) {
		if (sp->nlayers)
			return tc_fail(err, "%s:%ld: partner %s: 'layer' needs the timeline's rates, not "
				       "'base-rate'", sc->path, sp->line, tariff_partner_code(k));
		out->t0_from_file[k] = 1;
		*t0 = sp->base_rate;
		return 0;
	}
	if (tariff_rate_on(tl, tariff_timeline_partner(k), out->as_of, &out->stack[k], err)) {
		if (err->code == TC_EXIT_USAGE)
			return tc_err_prefix(err, "%s", as_of_given ? "--as-of" : sc->path);
		return -1;
	}
	*t0 = out->stack[k].rate;
	return 0;
}

int scenario_resolve(const struct scenario *sc, long as_of, int year,
		     const struct tariff_timeline *tl, const struct tcsv_table *trade,
		     struct scenario_markets *out, struct tc_err *err)
{
	int need_trade, need_tl;

	memset(out, 0, sizeof(*out));
	scenario_needs(sc, &need_trade, &need_tl);
	if ((need_trade && !trade) || (need_tl && !tl))
		return tc_fail(err, "%s: internal error: trade.csv or the timeline not loaded", sc->path);
	if (need_tl)
		out->as_of = as_of ? as_of : sc->as_of ? sc->as_of : tl->last;
	if (need_trade) {
		out->year = year ? year : sc->year ? sc->year : trade_latest_year(trade);
		if (!out->year)
			return tc_fail(err, "trade.csv: no year has Census import values for CN, MX and CA; "
				       "add 'imports V' to the partner lines");
		trade_base_get(trade, out->year, &out->tb);
	}
	for (int k = 0; k < TARIFF_NPARTNERS; k++) {
		const struct scenario_partner *sp = &sc->p[k];
		double m0 = NAN, t0 = NAN, t1;

		if (!sp->set)
			continue;
		if (imports_of(sc, k, out, &m0, err) ||
		    rate_before(sc, k, tl, as_of != 0, out, &t0, err))
			return -1;
		switch (sp->op) {
		case SCN_RATE:
			t1 = sp->value;
			break;
		case SCN_ADD:
			t1 = t0 + sp->value;
			break;
		case SCN_BASE:
		default:
			t1 = t0;
			break;
		}
		/* "layer NAME RATE": that layer at RATE instead of its rate in force */
		for (size_t j = 0; j < sp->nlayers; j++) {
			double old;
			if (tariff_layer_rate_on(tl, tariff_timeline_partner(k), sp->layer[j], out->as_of, &old,
						 NULL, err)) {
				err->code = TC_EXIT_DATA;	/* the file's mistake, not a flag's */
				return tc_err_prefix(err, "%s:%ld", sc->path, sp->line);
			}
			t1 += sp->layer_rate[j] - old;
		}
		if (!(t1 >= 0 && t1 <= TARIFF_MAX_RATE * 100))
			return tc_fail(err, "%s:%ld: partner %s: tariff after %g%% out of range", sc->path,
				       sp->line, tariff_partner_code(k), t1);
		out->s.m[k].present = 1;
		out->s.m[k].m0 = m0;
		out->s.m[k].t0 = t0 / 100;
		out->s.m[k].t1 = t1 / 100;
		out->t0pct[k] = t0;
		out->t1pct[k] = t1;
	}
	return 0;
}

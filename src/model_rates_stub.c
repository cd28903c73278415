/* TEMPORARY stub of rates.h until the rates branch lands (coverage 1 for every layer). */
#include "tocalc/rates.h"

#include <math.h>
#include <string.h>

struct tariff_coverage { int dummy; };

int tariff_coverage_load(struct tariff_coverage **cv, const char *data_dir, struct tc_err *err)
{
	(void)data_dir;
	(void)err;
	*cv = NULL;
	return 0;
}

void tariff_coverage_free(struct tariff_coverage *cv)
{
	(void)cv;
}

void tariff_coverage_share(const struct tariff_coverage *cv, int partner, const char *layer,
			   enum tariff_scope scope, long date, double *share, const char **basis,
			   const char **source, int *approximated)
{
	(void)cv; (void)partner; (void)layer; (void)date;
	*share = 1;
	*basis = scope == TSCOPE_NON_USMCA ? "stub: all goods" : "all goods";
	*source = NULL;
	*approximated = scope == TSCOPE_NON_USMCA;
}

int tariff_effective_on(const struct tariff_timeline *tl, const struct tariff_coverage *cv,
			int partner, long date, struct eff_stack *st, struct tc_err *err)
{
	struct tariff_stack ts;

	memset(st, 0, sizeof(*st));
	if (tariff_rate_on(tl, tariff_timeline_partner(partner), date, &ts, err))
		return -1;
	st->date = date;
	st->partner = partner;
	for (size_t i = 0; i < ts.nlayers; i++) {
		struct eff_layer *L = &st->l[st->n];
		if (!ts.layers[i].stacked)
			continue;
		L->layer = ts.layers[i].layer;
		L->row = ts.layers[i].row;
		L->scope = L->row->scope;
		L->statutory = ts.layers[i].rate;
		tariff_coverage_share(cv, partner, L->layer, L->scope, date, &L->coverage, &L->basis,
				      &L->source, &L->approximated);
		L->effective = L->statutory * L->coverage;
		st->effective += L->effective;
		st->approximated |= L->approximated;
		st->n++;
	}
	st->has_ieepa = ts.has_ieepa;
	return 0;
}

int eff_stack_set_layer(const struct eff_stack *base, const struct tariff_timeline *tl,
			const struct tariff_coverage *cv, const char *layer, int scope, double pct,
			struct eff_stack *out, struct tc_err *err)
{
	size_t i;

	(void)tl;
	if (!(pct >= 0) || !isfinite(pct))
		return tc_fail(err, "layer %s: rate %g%% out of range", layer, pct);
	if (out != base)
		*out = *base;
	for (i = 0; i < out->n; i++)
		if (!strcmp(out->l[i].layer, layer))
			break;
	if (i == out->n) {
		if (out->n == TARIFF_MAX_LAYERS)
			return tc_fail(err, "too many layers");
		memset(&out->l[i], 0, sizeof(out->l[i]));
		out->l[i].layer = !strcmp(layer, "whatif") ? "whatif" : layer;
		out->l[i].scope = scope >= 0 ? (enum tariff_scope)scope : TSCOPE_ALL_GOODS;
		tariff_coverage_share(cv, out->partner, layer, out->l[i].scope, out->date,
				      &out->l[i].coverage, &out->l[i].basis, &out->l[i].source,
				      &out->l[i].approximated);
		out->n++;
	}
	out->l[i].statutory = pct;
	out->l[i].effective = pct * out->l[i].coverage;
	out->l[i].changed = 1;
	out->effective = 0;
	for (size_t j = 0; j < out->n; j++)
		out->effective += out->l[j].effective;
	return 0;
}

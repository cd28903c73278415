/*
** model_rates.c: effective tariff rates from the dated legal stack (issue 12).
**
** Pure: the caller loads the timeline (data_tariffs.c) and the coverage
** table (data_coverage.c); results hold pointers into both.  Contract,
** units and ownership: include/tocalc/model_rates.h.  Methods and every
** approximation: docs/effective-rates.md.
*/
#include "tocalc/model_rates.h"
#include "tocalc/data_coverage.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char cell_basis[] =
	"Section 301 cells: imports on this layer's lists where its rate is the highest in force";

static const char group_basis[] =
	"a 2024 review group the Section 301 product lists do not name: its products are counted "
	"under the review layer of the same rate and date";

static void sum_stack(struct eff_stack *st)
{
	st->effective = 0;
	st->approximated = 0;
	st->has_ieepa = 0;
	for (size_t i = 0; i < st->n; i++) {
		const struct eff_layer *L = &st->l[i];
		st->effective += L->effective;
		if (L->approximated && L->statutory > 0)
			st->approximated = 1;
		if (!st->has_ieepa && L->effective > 0 && L->row && tariff_row_is_ieepa(L->row))
			st->has_ieepa = 1;
		if (L->effective > 0 && !L->row && !strncmp(L->layer, "ieepa", 5))
			st->has_ieepa = 1;
	}
}

static struct eff_layer *find(struct eff_stack *st, const char *layer)
{
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->l[i].layer, layer))
			return &st->l[i];
	return NULL;
}

/*
** Give every Section 301 cell to its layer with the highest rate in force.
** The layers of st are the timeline's rows in force, one per layer id, so
** a cell's layer is found by its id (tariff_layer_id) instead of by name.
*/
static void apply_cells(struct eff_stack *st, const struct tariff_timeline *tl,
			const struct tariff_coverage *cv)
{
	const struct tariff_cov_cell *cells[256];
	size_t nc = tariff_coverage_cells(cv, st->partner, st->date, cells, 256);

	if (nc > 256)
		nc = 256;
	for (size_t c = 0; c < nc; c++) {
		struct eff_layer *best = NULL;
		for (size_t k = 0; k < cells[c]->nlayers; k++) {
			int id = tariff_layer_id(tl, cells[c]->layers[k]);
			struct eff_layer *L = NULL;
			for (size_t i = 0; id >= 0 && i < st->n; i++)
				if (st->l[i].row && st->l[i].row->layer_id == id) {
					L = &st->l[i];
					break;
				}
			if (L && (!best || L->statutory > best->statutory))
				best = L;
		}
		if (best) {
			best->coverage += cells[c]->share;
			best->source = cells[c]->source;
		}
	}
}

int tariff_effective_on(const struct tariff_timeline *tl, const struct tariff_coverage *cv,
			int partner, long date, struct eff_stack *st, struct tc_err *err)
{
	struct tariff_stack ts;
	const struct tariff_cov_cell *probe;
	int has_cells;

	memset(st, 0, sizeof(*st));
	st->date = date;
	st->partner = partner;
	if (partner < 0 || partner >= TARIFF_NPARTNERS)
		return tc_failc(err, TC_EXIT_USAGE, "unknown partner %d", partner);
	if (tariff_rate_on(tl, tariff_timeline_partner(partner), date, &ts, err))
		return -1;
	has_cells = tariff_coverage_cells(cv, partner, date, &probe, 1) > 0;
	for (size_t i = 0; i < ts.nlayers; i++) {
		struct eff_layer *L = &st->l[st->n++];
		const struct tariff_row *r = ts.layers[i].row;

		L->layer = ts.layers[i].layer;
		L->row = r;
		L->scope = r->scope;
		L->statutory = ts.layers[i].rate;
		if (tariff_coverage_is_cell_layer(cv, partner, L->layer)) {
			L->coverage = 0;
			L->basis = cell_basis;
			L->source = NULL;
			L->approximated = 0;
		} else if (has_cells && !strncmp(L->layer, "s301_", 5)) {
			/* a 2024 review group the product lists do not name: its
			   products are in the cells of the layer of the same rate
			   and date (docs/effective-rates.md) */
			L->coverage = 0;
			L->basis = group_basis;
			L->source = NULL;
			L->approximated = 0;
		} else {
			tariff_coverage_share(cv, partner, L->layer, r->scope, date, &L->coverage,
					      &L->basis, &L->source, &L->approximated);
		}
	}
	apply_cells(st, tl, cv);
	for (size_t i = 0; i < st->n; i++) {
		struct eff_layer *L = &st->l[i];
		if (L->coverage > 1)	/* rounding of summed cells */
			L->coverage = 1;
		L->effective = L->statutory * L->coverage;
		if (!isfinite(L->effective))
			return tc_fail(err, "%s:%ld: layer '%s': no finite effective rate",
				       tl->table.path, L->row->line, L->layer);
	}
	sum_stack(st);
	return 0;
}

/*
** The scope of a what-if on `layer` for partner pc (0-3, 3 = ALL): its row
** in force, else its next row, else all goods.
*/
static enum tariff_scope whatif_scope(const struct tariff_timeline *tl, int pc, const char *layer,
				      long date)
{
	const struct tariff_row *next = NULL;
	int id = tariff_layer_id(tl, layer);

	for (size_t i = 0; id >= 0 && i < tl->nrows; i++) {
		const struct tariff_row *r = &tl->rows[i];
		if (r->layer_id != id || (r->pcode != pc && r->pcode != TARIFF_ROW))
			continue;
		if (r->effective > date && (!next || r->effective < next->effective))
			next = r;
	}
	return next ? next->scope : TSCOPE_ALL_GOODS;
}

int eff_stack_set_layer(const struct eff_stack *base, const struct tariff_timeline *tl,
			const struct tariff_coverage *cv, const char *layer, int scope, double pct,
			struct eff_stack *out, struct tc_err *err)
{
	struct eff_layer *L;

	if (!isfinite(pct) || pct < 0)
		return tc_failc(err, TC_EXIT_USAGE, "layer '%s': a rate must be finite and >= 0, got %g",
				layer, pct);
	if (!layer || !*layer)
		return tc_failc(err, TC_EXIT_USAGE, "a what-if needs a layer name");
	if (base != out)
		*out = *base;
	L = find(out, layer);
	if (!L) {
		if (out->n == TARIFF_MAX_LAYERS)
			return tc_fail(err, "more than %d tariff layers", TARIFF_MAX_LAYERS);
		L = &out->l[out->n++];
		memset(L, 0, sizeof(*L));
		L->layer = layer;
		L->scope = scope >= 0 ? (enum tariff_scope)scope
				      : whatif_scope(tl, out->partner, layer, out->date);
		tariff_coverage_share(cv, out->partner, layer, L->scope, out->date, &L->coverage,
				      &L->basis, &L->source, &L->approximated);
	} else if (scope >= 0 && (enum tariff_scope)scope != L->scope) {
		L->scope = (enum tariff_scope)scope;
		tariff_coverage_share(cv, out->partner, layer, L->scope, out->date, &L->coverage,
				      &L->basis, &L->source, &L->approximated);
	}
	L->statutory = pct;
	L->effective = pct * L->coverage;
	L->changed = 1;
	sum_stack(out);
	return 0;
}

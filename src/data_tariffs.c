/*
** data_tariffs.c: the tariff timeline (tariffs.csv) and its queries:
** the stacked rate in force on a date, one layer's rate, proposed rates.
** Contract and ownership: include/tocalc/data_tariffs.h.
*/
#include "tocalc/data_tariffs.h"
#include "tocalc/data_trade.h"
#include "tocalc/data_hs10.h"
#include "tocalc/scenario.h"
#include "tocalc/data_schema.h"
#include "tocalc/data_validate.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const scope_names[] = { "all_goods", "non_usmca", "product_list" };
static const char *const status_names[] = {
	"proposed", "in_effect", "reduced", "superseded", "suspended", "voided", "expired"
};

static int name_index(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s && !strcmp(s, names[i]))
			return (int)i;
	return -1;
}

int tariff_row_enforceable(const struct tariff_row *r)
{
	return r->status != TSTAT_PROPOSED && r->status != TSTAT_SUSPENDED;
}

int tariff_row_is_ieepa(const struct tariff_row *r)
{
	return (r->authority && strstr(r->authority, "IEEPA")) ||
	       (r->layer && !strncmp(r->layer, "ieepa", 5));
}

void tariff_timeline_release(struct tariff_timeline *tl)
{
	free(tl->layer_slot);
	free(tl->rows);
	tcsv_table_release(&tl->table);
	memset(tl, 0, sizeof(*tl));
}

unsigned tariff_name_hash(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;

	/* eight bytes at a time (names share long prefixes: s301_list1, s301_list3) */
	for (; n >= 8; n -= 8, s += 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return (unsigned)(h ^ (h >> 32));
}

int tariff_partner_index(const char *c)
{
	for (int k = 0; c && k < TARIFF_NPARTNERS; k++)
		if (!strcmp(c, tariff_timeline_partner(k)))
			return k;
	return -1;
}

/* Number the layer names: rows of one layer share an id (the slot keeps the first row). */
static void index_layers(struct tariff_timeline *tl)
{
	size_t cap = 8;

	while (cap < 2 * tl->nrows)
		cap *= 2;
	tl->layer_cap = cap;
	tl->layer_slot = xmalloc(cap * sizeof(*tl->layer_slot));
	for (size_t h = 0; h < cap; h++)
		tl->layer_slot[h] = -1;
	tl->nlayer_ids = 0;
	for (size_t i = 0; i < tl->nrows; i++) {
		struct tariff_row *r = &tl->rows[i];
		size_t h = tariff_name_hash(r->layer) & (cap - 1);
		while (tl->layer_slot[h] >= 0 && strcmp(tl->rows[tl->layer_slot[h]].layer, r->layer))
			h = (h + 1) & (cap - 1);
		if (tl->layer_slot[h] >= 0) {
			r->layer_id = tl->rows[tl->layer_slot[h]].layer_id;
		} else {
			tl->layer_slot[h] = (int)i;
			r->layer_id = (int)tl->nlayer_ids++;
		}
	}
}

int tariff_layer_id(const struct tariff_timeline *tl, const char *layer)
{
	size_t h;

	if (!layer || !tl->layer_cap)
		return -1;
	h = tariff_name_hash(layer) & (tl->layer_cap - 1);
	while (tl->layer_slot[h] >= 0) {
		const struct tariff_row *r = &tl->rows[tl->layer_slot[h]];
		if (!strcmp(r->layer, layer))
			return r->layer_id;
		h = (h + 1) & (tl->layer_cap - 1);
	}
	return -1;
}

static int build(struct tariff_timeline *tl, struct tc_err *err)
{
	const struct tcsv_table *t = &tl->table;
	const char *name = t->path;

	tl->nrows = t->nrows;
	tl->rows = xcalloc(t->nrows ? t->nrows : 1, sizeof(*tl->rows));
	tl->first = tl->last = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		struct tariff_row *r = &tl->rows[i];
		int sc, st;

		r->line = t->lines[i];
		r->id = tcsv_text(t, TF_ID, i);
		r->partner = tcsv_text(t, TF_PARTNER, i);
		r->pcode = tariff_partner_index(r->partner);
		r->layer = tcsv_text(t, TF_LAYER, i);
		r->measure = tcsv_text(t, TF_MEASURE, i);
		r->authority = tcsv_text(t, TF_AUTHORITY, i);
		r->source = tcsv_text(t, TF_SOURCE, i);
		r->note = tcsv_text(t, TF_NOTE, i);
		r->scope_name = tcsv_text(t, TF_SCOPE, i);
		r->status_name = tcsv_text(t, TF_STATUS, i);
		r->effective = (long)tcsv_num(t, TF_EFFECTIVE, i);
		r->end = tcsv_is_missing(t, TF_END, i) ? 0 : (long)tcsv_num(t, TF_END, i);
		r->month_precision = !strcmp(tcsv_text(t, TF_DATE_PRECISION, i), "month");
		r->rate = tcsv_is_missing(t, TF_RATE, i) ? NAN : tcsv_num(t, TF_RATE, i);
		sc = name_index(r->scope_name, scope_names, TC_ARRAY_SIZE(scope_names));
		st = name_index(r->status_name, status_names, TC_ARRAY_SIZE(status_names));
		if (sc < 0 || st < 0)
			return tc_fail(err, "%s:%ld: unknown scope or status", name, r->line);
		r->scope = (enum tariff_scope)sc;
		r->status = (enum tariff_status)st;
		if (r->end && r->end < r->effective)
			return tc_fail(err, "%s:%ld: column 'end': %ld is before the effective date",
				       name, r->line, r->end);
		if (!r->layer || !*r->layer)
			return tc_fail(err, "%s:%ld: column 'layer' is empty", name, r->line);
		if (isfinite(r->rate) && r->rate < 0)
			return tc_fail(err, "%s:%ld: column 'rate': negative rate %g", name, r->line, r->rate);
		if (!tariff_row_enforceable(r))
			continue;
		if (!tl->first || r->effective < tl->first)
			tl->first = r->effective;
		if (r->effective > tl->last)
			tl->last = r->effective;
		if (r->end > tl->last)
			tl->last = r->end;
	}
	if (!tl->first)
		return tc_fail(err, "%s: no row was ever in force (all proposed or suspended)", name);
	index_layers(tl);
	return 0;
}

int tariff_timeline_load_file(struct tariff_timeline *tl, const char *path, struct tc_err *err)
{
	memset(tl, 0, sizeof(*tl));
	if (tcsv_load_file(&tl->table, path, &schema_tariffs, err))
		return -1;
	if (build(tl, err)) {
		tariff_timeline_release(tl);
		return -1;
	}
	return 0;
}

int tariff_timeline_load_buffer(struct tariff_timeline *tl, const char *name, const char *buf,
				size_t len, struct tc_err *err)
{
	memset(tl, 0, sizeof(*tl));
	if (tcsv_load_buffer(&tl->table, name, buf, len, &schema_tariffs, err))
		return -1;
	if (build(tl, err)) {
		tariff_timeline_release(tl);
		return -1;
	}
	return 0;
}

int tariff_timeline_load(struct tariff_timeline *tl, const char *data_dir, struct tc_err *err)
{
	memset(tl, 0, sizeof(*tl));
	if (dataset_load(&tl->table, data_dir, "tariffs", err))
		return -1;
	if (build(tl, err)) {
		tariff_timeline_release(tl);
		return -1;
	}
	return 0;
}

static int applies(const struct tariff_row *r, const char *partner)
{
	return !strcmp(r->partner, partner) || !strcmp(r->partner, "ALL");
}

/* applies() for a known partner pc = tariff_partner_index(partner) */
static int applies_pc(const struct tariff_row *r, int pc)
{
	return r->pcode == pc || r->pcode == TARIFF_ROW;
}

static int in_force(const struct tariff_row *r, long date)
{
	return tariff_row_enforceable(r) && r->effective <= date && (!r->end || r->end > date);
}

/* Does candidate c beat the current row b of its layer for partner pc (tariff_partner_index)? */
static int beats(const struct tariff_row *c, const struct tariff_row *b, int pc)
{
	int cown, bown;

	if (!b || c->effective > b->effective)
		return 1;
	if (c->effective < b->effective)
		return 0;
	cown = c->pcode == pc;
	bown = b->pcode == pc;
	if (cown != bown)
		return cown;
	return c->line > b->line;
}

static int check_date(const struct tariff_timeline *tl, long date, struct tc_err *err)
{
	char d[16], a[16], b[16];

	if (date < tl->first || date > tl->last)
		return tc_failc(err, TC_EXIT_USAGE,
				"date %s is outside the tariff timeline (%s to %s in '%s')",
				tc_format_date(date, d), tc_format_date(tl->first, a),
				tc_format_date(tl->last, b), tl->table.path);
	return 0;
}

int tariff_rate_on(const struct tariff_timeline *tl, const char *partner, long date,
		   struct tariff_stack *st, struct tc_err *err)
{
	int pc = tariff_partner_index(partner);

	memset(st, 0, sizeof(*st));
	st->date = date;
	if (pc < 0)
		return tc_failc(err, TC_EXIT_USAGE, "unknown partner '%s' (expected CN, MX, CA or ALL)",
				partner ? partner : "");
	if (check_date(tl, date, err))
		return -1;
	for (size_t i = 0; i < tl->nrows; i++) {
		const struct tariff_row *r = &tl->rows[i];
		size_t j;
		if (!applies_pc(r, pc) || !in_force(r, date))
			continue;
		for (j = 0; j < st->nlayers; j++)
			if (st->layers[j].row->layer_id == r->layer_id)
				break;
		if (j == st->nlayers) {
			if (st->nlayers == TARIFF_MAX_LAYERS)
				return tc_fail(err, "%s:%ld: more than %d tariff layers", tl->table.path,
					       r->line, TARIFF_MAX_LAYERS);
			st->layers[j].layer = r->layer;
			st->layers[j].row = NULL;
			st->nlayers++;
		}
		if (beats(r, st->layers[j].row, pc))
			st->layers[j].row = r;
	}
	for (size_t j = 0; j < st->nlayers; j++) {
		struct tariff_layer *L = &st->layers[j];
		if (!isfinite(L->row->rate))
			return tc_fail(err, "%s:%ld: column 'rate': missing for a row in force on the date",
				       tl->table.path, L->row->line);
		L->rate = L->row->rate;
		/* the stack of additional duties: MFN (layer "mfn", the normal
		   duty) and product lists are listed but not summed; the
		   effective rate with both is model_rates.c's */
		L->stacked = L->row->scope != TSCOPE_PRODUCT_LIST && strcmp(L->layer, "mfn");
		if (!L->stacked)
			continue;
		st->rate += L->rate;
		if (L->rate > 0 && tariff_row_is_ieepa(L->row))
			st->has_ieepa = 1;
		if (L->rate > 0 && L->row->scope == TSCOPE_NON_USMCA)
			st->has_non_usmca = 1;
	}
	return 0;
}

int tariff_layer_rate_on(const struct tariff_timeline *tl, const char *partner, const char *layer,
			 long date, double *rate, const struct tariff_row **row, struct tc_err *err)
{
	const struct tariff_row *best = NULL;
	int known = 0, pc = tariff_partner_index(partner), id;

	*rate = 0;
	if (row)
		*row = NULL;
	if (pc < 0)
		return tc_failc(err, TC_EXIT_USAGE, "unknown partner '%s' (expected CN, MX, CA or ALL)",
				partner ? partner : "");
	if (check_date(tl, date, err))
		return -1;
	id = tariff_layer_id(tl, layer);
	for (size_t i = 0; id >= 0 && i < tl->nrows; i++) {
		const struct tariff_row *r = &tl->rows[i];
		if (!applies_pc(r, pc) || r->layer_id != id)
			continue;
		known = 1;
		if (in_force(r, date) && beats(r, best, pc))
			best = r;
	}
	if (!known)
		return tc_failc(err, TC_EXIT_USAGE, "no layer '%s' for %s in '%s'", layer, partner,
				tl->table.path);
	if (best) {
		if (!isfinite(best->rate))
			return tc_fail(err, "%s:%ld: column 'rate': missing for a row in force on the date",
				       tl->table.path, best->line);
		*rate = best->rate;
	}
	if (row)
		*row = best;
	return 0;
}

size_t tariff_proposed(const struct tariff_timeline *tl, const char *partner,
		       const struct tariff_row **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < tl->nrows; i++) {
		const struct tariff_row *r = &tl->rows[i];
		if (r->status != TSTAT_PROPOSED || (partner && !applies(r, partner)))
			continue;
		if (n < max)
			out[n] = r;
		n++;
	}
	return n;
}

const char *tariff_timeline_partner(int k)
{
	return k == TARIFF_ROW ? "ALL" : tariff_partner_code(k);
}
